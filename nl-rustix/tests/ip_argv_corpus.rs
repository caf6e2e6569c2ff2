//! Replays `fuzz/corpus/ip_argv/` (and `fuzz/regressions/ip_argv/`) through the
//! `ip` example's parser, with the body the fuzz target `ip_argv` runs
//! (`examples/ip/fuzz_entry.rs`, included here at the crate root).
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../examples/ip/fuzz_entry.rs");

#[path = "../../fuzz/replay.rs"]
mod replay;

#[test]
fn ip_argv_corpus() {
    replay::replay("ip_argv", ip_argv);
}
