//! `tc_decode`: see `nl_proto::fuzzing::tc_decode` for what it checks and the input
//! format. `cargo test -p nl-proto` replays `fuzz/corpus/tc_decode/` with the
//! same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nl_proto::fuzzing::tc_decode(data));
