//! Replays every committed fuzz corpus file through the same body the
//! fuzzer runs (`nl_proto::fuzzing`, enabled for tests by nl-proto's
//! dev-dependency on itself with `features = ["fuzzing"]`; see the module
//! doc of `src/fuzzing.rs`), and every input that once failed a target
//! (`fuzz/regressions/<target>/`). A missing or empty corpus directory
//! fails: a moved corpus must not turn into a silent pass.

// Shared with nl-rustix's replays of the example parsers' corpora.
#[path = "../../fuzz/replay.rs"]
mod replay;
use replay::replay;

#[test]
fn msgs_attrs_corpus() {
    replay("msgs_attrs", nl_proto::fuzzing::msgs_attrs);
}

#[test]
fn session_feed_corpus() {
    replay("session_feed", nl_proto::fuzzing::session_feed);
}

#[test]
fn writer_roundtrip_corpus() {
    replay("writer_roundtrip", nl_proto::fuzzing::writer_roundtrip);
}

#[test]
fn family_decode_corpus() {
    replay("family_decode", nl_proto::fuzzing::family_decode);
}

#[test]
fn route_decode_corpus() {
    replay("route_decode", nl_proto::fuzzing::route_decode);
}

#[test]
fn genl_decode_corpus() {
    replay("genl_decode", nl_proto::fuzzing::genl_decode);
}

#[test]
fn nft_decode_corpus() {
    replay("nft_decode", nl_proto::fuzzing::nft_decode);
}

#[test]
fn tc_decode_corpus() {
    replay("tc_decode", nl_proto::fuzzing::tc_decode);
}

#[test]
fn object_roundtrip_corpus() {
    replay("object_roundtrip", nl_proto::fuzzing::object_roundtrip);
}

#[test]
fn diff_converge_corpus() {
    replay("diff_converge", nl_proto::fuzzing::diff_converge);
}

/// The bodies themselves accept the empty input.
#[test]
fn empty_inputs() {
    nl_proto::fuzzing::msgs_attrs(&[]);
    nl_proto::fuzzing::session_feed(&[]);
    nl_proto::fuzzing::writer_roundtrip(&[]);
    nl_proto::fuzzing::family_decode(&[]);
    nl_proto::fuzzing::route_decode(&[]);
    nl_proto::fuzzing::genl_decode(&[]);
    nl_proto::fuzzing::nft_decode(&[]);
    nl_proto::fuzzing::tc_decode(&[]);
    nl_proto::fuzzing::object_roundtrip(&[]);
    nl_proto::fuzzing::diff_converge(&[]);
}
