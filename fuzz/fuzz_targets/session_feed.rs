//! `session_feed`: see `nl_proto::fuzzing::session_feed` for what it checks and the input
//! format. `cargo test -p nl-proto` replays `fuzz/corpus/session_feed/` with the
//! same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nl_proto::fuzzing::session_feed(data));
