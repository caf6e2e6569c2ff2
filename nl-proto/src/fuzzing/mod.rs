//! Fuzz bodies, shared by `fuzz/fuzz_targets/*.rs` and by the corpus replay
//! test `nl-proto/tests/fuzz_corpus.rs`. Not a public API: hidden, and only
//! compiled with the non-default `fuzzing` feature.
//!
//! # Why here, and how `cargo test` replays the corpora
//!
//! A fuzz body is only worth its corpus if ordinary `cargo test` runs the
//! same body on the same files. So each body is a plain
//! `pub fn target(data: &[u8])` in this crate, and both callers are thin:
//!
//! - `fuzz/fuzz_targets/<target>.rs` (cargo-fuzz, nightly, its own
//!   workspace) calls it on libFuzzer's input;
//! - `nl-proto/tests/fuzz_corpus.rs` calls it on every file of
//!   `fuzz/corpus/<target>/`, and fails if a corpus directory is missing or
//!   empty, so a moved corpus cannot turn the test into a silent pass.
//!
//! The test sees this module because nl-proto lists *itself* as a
//! dev-dependency with `features = ["fuzzing"]`: cargo enables the feature
//! for test, bench and example builds of the crate only, so
//! `cargo test --workspace` (the README's command) and `cargo test -p
//! nl-proto` replay the corpora, while `cargo build`, the published crate
//! and the bare-metal build never contain this module.
//!
//! # Input format: structured, decoded by hand
//!
//! The `arbitrary` crate needs `std`, and nl-proto is `no_std`. If the
//! structured decoding lived in the fuzz crate (with `arbitrary`), the
//! replay test could not give corpus files the meaning libFuzzer gave them.
//! So the structure is decoded here by a small [`Input`] reader in the
//! manner of `arbitrary::Unstructured` (it takes bytes from the front and
//! never fails: an exhausted input reads as zeros / empty). Each body
//! documents its script format. Everything is allocation-free and lives on
//! the stack.
//!
//! Bodies panic (assert) when an invariant of `wire` or `session` is broken:
//! that is how the fuzzer reports a finding.
//!
//! One file per body: [`msgs_attrs`](msgs_attrs()), [`session_feed`](session_feed()),
//! [`writer_roundtrip`](writer_roundtrip()), [`family_decode`](family_decode()),
//! [`tc_decode`](tc_decode()), [`object_roundtrip`](object_roundtrip()),
//! [`diff_converge`](diff_converge()).

#[cfg(feature = "route")]
mod diff_converge;
mod family_decode;
mod msgs_attrs;
#[cfg(feature = "route")]
mod object_roundtrip;
mod session_feed;
#[cfg(feature = "route")]
mod tc_decode;
mod writer_roundtrip;

#[cfg(feature = "route")]
pub use diff_converge::diff_converge;
pub use family_decode::family_decode;
#[cfg(feature = "genl")]
pub use family_decode::genl_decode;
#[cfg(feature = "nfnl")]
pub use family_decode::nft_decode;
#[cfg(feature = "route")]
pub use family_decode::route_decode;
pub use msgs_attrs::msgs_attrs;
#[cfg(feature = "route")]
pub use object_roundtrip::object_roundtrip;
pub use session_feed::{SESSION_CAP, session_feed};
#[cfg(feature = "route")]
pub use tc_decode::tc_decode;
pub use writer_roundtrip::writer_roundtrip;

/// A byte reader for structured fuzz input, like `arbitrary::Unstructured`:
/// reads from the front, and an exhausted input reads as zeros.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Read `data` from its start.
    pub fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }
    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
    /// One byte, 0 when exhausted.
    pub fn u8(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((b, rest)) => {
                self.rest = rest;
                *b
            }
            None => 0,
        }
    }
    /// A little-endian `u16`.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    /// A little-endian `u32`.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    /// Up to `n` bytes (fewer when the input runs out).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.rest.split_at(n.min(self.rest.len()));
        self.rest = tail;
        head
    }
}
