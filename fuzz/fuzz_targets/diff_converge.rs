//! `diff_converge`: see `nl_proto::fuzzing::diff_converge` for what it checks and the input
//! format. `cargo test -p nl-proto` replays `fuzz/corpus/diff_converge/` with the
//! same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nl_proto::fuzzing::diff_converge(data));
