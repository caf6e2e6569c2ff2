//! Replays `fuzz/corpus/nft_json/` (and `fuzz/regressions/nft_json/`) through the
//! `nft` example's parser, with the body the fuzz target `nft_json` runs
//! (`examples/nft/fuzz_entry.rs`, included here at the crate root).
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../examples/nft/fuzz_entry.rs");

#[path = "../../fuzz/replay.rs"]
mod replay;

#[test]
fn nft_json_corpus() {
    replay::replay("nft_json", nft_json);
}
