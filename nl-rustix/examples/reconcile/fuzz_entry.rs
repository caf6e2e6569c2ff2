// The `reconcile` example's JSON input without its `main`, for the fuzz
// target `reconcile_json` (fuzz/fuzz_targets/reconcile_json.rs) and its
// corpus replay (nl-rustix/tests/reconcile_json_corpus.rs), which
// `include!` this file at their crate root. No inner attributes or `//!`
// docs: `include!` takes items only.

mod input;

/// The `reconcile_json` fuzz body: the input as text (not UTF-8: nothing
/// to do) through `input::parse`, as `reconcile FILE` reads its desired
/// state, then planned against an empty namespace (no links, nothing
/// applied before). Checks: no panic in either, and a plan's steps all
/// encode into requests.
pub fn reconcile_json(data: &[u8]) {
    use nl_rustix::nl_proto::route::route::RouteProtocol;
    use nl_rustix::reconcile::{LastApplied, Snapshot};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(desired) = input::parse(text, RouteProtocol(76)) else {
        return;
    };
    let Ok(plan) = desired.plan(Snapshot::default(), &LastApplied::new()) else {
        return;
    };
    for step in plan.steps() {
        let mut buf = vec![0u8; 65536];
        let mut w = nl_rustix::nl_proto::wire::MsgWriter::new(&mut buf);
        if let Err(e) = step.encode(&mut w) {
            panic!("a planned step does not encode: {e:?} {step:?}");
        }
    }
}
