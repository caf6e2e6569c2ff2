//! `nft_json`: the `nft` example's parser (`nl-rustix/examples/nft/fuzz_entry.rs`,
//! included here at the crate root, where it says what it checks).
//! `cargo test -p nl-rustix --test nft_json_corpus` replays `fuzz/corpus/nft_json/`
//! with the same body.
#![no_main]
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../../nl-rustix/examples/nft/fuzz_entry.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| nft_json(data));
