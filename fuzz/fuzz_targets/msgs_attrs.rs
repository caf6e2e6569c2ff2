//! `msgs_attrs`: see `nl_proto::fuzzing::msgs_attrs` for what it checks and the input
//! format. `cargo test -p nl-proto` replays `fuzz/corpus/msgs_attrs/` with the
//! same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nl_proto::fuzzing::msgs_attrs(data));
