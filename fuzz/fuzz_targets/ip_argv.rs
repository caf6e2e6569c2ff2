//! `ip_argv`: the `ip` example's parser (`nl-rustix/examples/ip/fuzz_entry.rs`,
//! included here at the crate root, where it says what it checks).
//! `cargo test -p nl-rustix --test ip_argv_corpus` replays `fuzz/corpus/ip_argv/`
//! with the same body.
#![no_main]
// The example's I/O half (its `main`, running plans) is compiled, not
// called.
#![allow(dead_code)]

include!("../../nl-rustix/examples/ip/fuzz_entry.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| ip_argv(data));
