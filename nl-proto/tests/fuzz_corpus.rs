//! Replays every committed fuzz corpus file through the same body the
//! fuzzer runs (`nl_proto::fuzzing`, enabled for tests by nl-proto's
//! dev-dependency on itself with `features = ["fuzzing"]`; see the module
//! doc of `src/fuzzing.rs`), and every input that once failed a target
//! (`fuzz/regressions/<target>/`). A missing or empty corpus directory
//! fails: a moved corpus must not turn into a silent pass.

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    files
}

/// The inputs that once failed `target` (`fuzz/regressions/<target>/`,
/// named for what they found), kept apart from the corpus so that
/// minimising the corpus cannot drop them. Absent for a target that
/// never failed.
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|entry| entry.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn replay(target: &str, body: fn(&[u8])) {
    let mut files = corpus(target);
    files.extend(regressions(target));
    for (path, bytes) in &files {
        let result = std::panic::catch_unwind(|| body(bytes));
        assert!(result.is_ok(), "{target}: {} fails", path.display());
        // Every prefix too: cheap, and it covers truncated datagrams.
        for cut in [1, 3, 16, bytes.len() / 2] {
            body(bytes.get(..cut.min(bytes.len())).unwrap());
        }
    }
    eprintln!("{target}: {} corpus files replayed", files.len());
}

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
