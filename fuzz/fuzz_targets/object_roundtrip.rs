//! `object_roundtrip`: see `nl_proto::fuzzing::object_roundtrip` for what it checks and the input
//! format. `cargo test -p nl-proto` replays `fuzz/corpus/object_roundtrip/` with the
//! same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nl_proto::fuzzing::object_roundtrip(data));
