//! Replays `fuzz/corpus/reconcile_json/` (and `fuzz/regressions/reconcile_json/`) through the
//! `reconcile` example's parser, with the body the fuzz target `reconcile_json` runs
//! (`examples/reconcile/fuzz_entry.rs`, included here at the crate root).
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../examples/reconcile/fuzz_entry.rs");

#[path = "../../fuzz/replay.rs"]
mod replay;

#[test]
fn reconcile_json_corpus() {
    replay::replay("reconcile_json", reconcile_json);
}
