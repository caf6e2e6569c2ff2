//! `reconcile_json`: the `reconcile` example's parser (`nl-rustix/examples/reconcile/fuzz_entry.rs`,
//! included here at the crate root, where it says what it checks).
//! `cargo test -p nl-rustix --test reconcile_json_corpus` replays `fuzz/corpus/reconcile_json/`
//! with the same body.
#![no_main]
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../../nl-rustix/examples/reconcile/fuzz_entry.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| reconcile_json(data));
