//! Corpus replay for `cargo test`: every file of `fuzz/corpus/<target>/`
//! and of `fuzz/regressions/<target>/` through a fuzz body. Included
//! with `#[path]` by the replay tests of nl-proto
//! (`nl-proto/tests/fuzz_corpus.rs`) and of nl-rustix's example parsers
//! (`nl-rustix/tests/*_corpus.rs`); both crates sit one directory below
//! the repository root, so `CARGO_MANIFEST_DIR/../fuzz` is this
//! directory for either.

use std::path::{Path, PathBuf};

/// The files of `fuzz/<kind>/<target>/`, sorted, or `None` without
/// that directory.
fn files(kind: &str, target: &str) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    Some(files)
}

/// Run `body` on every file of `fuzz/corpus/<target>/` and of
/// `fuzz/regressions/<target>/` (the inputs that once failed it, named
/// for what they found, kept apart so that minimising the corpus cannot
/// drop them), and on a few prefixes of each. A missing or empty corpus
/// fails: a moved corpus must not turn into a silent pass.
pub(crate) fn replay(target: &str, body: fn(&[u8])) {
    let mut all = files("corpus", target).unwrap_or_default();
    assert!(!all.is_empty(), "fuzz/corpus/{target} is missing or empty");
    all.extend(files("regressions", target).unwrap_or_default());
    for (path, bytes) in &all {
        let result = std::panic::catch_unwind(|| body(bytes));
        assert!(result.is_ok(), "{target}: {} fails", path.display());
        // Every prefix too: cheap, and it covers truncated datagrams.
        for cut in [1, 3, 16, bytes.len() / 2] {
            body(bytes.get(..cut.min(bytes.len())).unwrap());
        }
    }
    eprintln!("{target}: {} corpus files replayed", all.len());
}
