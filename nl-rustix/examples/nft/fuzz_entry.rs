// The `nft` example's JSON input without its `main`, for the fuzz target
// `nft_json` (fuzz/fuzz_targets/nft_json.rs) and its corpus replay
// (nl-rustix/tests/nft_json_corpus.rs), which `include!` this file at
// their crate root: the example's modules then resolve `crate::…` as in
// the binary. No inner attributes or `//!` docs: `include!` takes items
// only.

include!("modules.rs");

/// The `nft_json` fuzz body: the input as text (not UTF-8: nothing to
/// do) through `input::parse`, as `nft -j -f` reads a file, against no
/// existing sets. Checks: no panic, and every rule it compiles is a
/// well-formed list of expressions that nl-proto decodes back.
pub fn nft_json(data: &[u8]) {
    use nl_rustix::nft::Cmd;
    use nl_rustix::nl_proto::nfnl::nft::Expr;
    use nl_rustix::nl_proto::wire::Attrs;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cmds) = input::parse(text, &[]) else {
        return;
    };
    for cmd in &cmds {
        if let Cmd::AddRule { exprs, .. } = cmd {
            for attr in Attrs::new(exprs) {
                let attr = attr.unwrap_or_else(|e| panic!("a compiled rule is malformed: {e:?}"));
                if let Err(e) = Expr::decode(attr) {
                    panic!("a compiled expression does not decode: {e:?} in {cmd:?}");
                }
            }
        }
    }
}
