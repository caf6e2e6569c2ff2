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

use crate::session::{Event, Expect, Request, Session, Source};
use crate::wire::{
    self, Attr, AttrTable, Attrs, Control, EXTACK_MSG_CAP, Flags, HEADER_LEN, Msg, MsgType,
    MsgWriter, Msgs, Nest, Seq, decode_control,
};
use crate::{EncodeError, SessionError};
use core::hint::black_box;

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

/// Family header sizes at which a payload's attribute stream may start:
/// none, genlmsghdr/nfgenmsg (4), ifaddrmsg (8), rtmsg/ndmsg/fib_rule_hdr
/// (12), ifinfomsg (16), tcmsg (20).
const ATTR_OFFSETS: [usize; 6] = [0, 4, 8, 12, 16, 20];

/// Nesting depth up to which [`msgs_attrs`] descends (each level is at
/// least 4 bytes shorter, so the walk is bounded anyway; this bounds the
/// stack).
const MAX_DEPTH: usize = 32;

/// Walk a datagram: every message, its header getters, `decode_control`
/// (and `to_owned` of an error), `Msg::split`, and the payload as an
/// attribute stream at every common family-header offset, recursively
/// into every attribute as if it were nested, calling every `Attr` getter,
/// `Attrs::find` and `AttrTable::parse` at each level.
///
/// Input: the datagram, as received.
///
/// # Panics
///
/// When a parser breaks its contract (wrong sizes accepted, an iterator
/// that does not fuse or terminate, a payload outside its message).
pub fn msgs_attrs(data: &[u8]) {
    let mut msgs = Msgs::new(data);
    let mut count = 0usize;
    let mut covered = 0usize;
    while let Some(item) = msgs.next() {
        count = count.saturating_add(1);
        // Every message takes at least 16 bytes, and only one Err is yielded.
        assert!(count <= data.len() / HEADER_LEN + 1, "Msgs did not advance");
        match item {
            Ok(msg) => {
                covered = covered.saturating_add(msg_len(&msg));
                check_msg(&msg);
            }
            Err(_) => assert!(msgs.next().is_none(), "Msgs must fuse after an error"),
        }
    }
    assert!(covered <= data.len());
    assert!(msgs.next().is_none());
}

fn msg_len(msg: &Msg<'_>) -> usize {
    usize::try_from(msg.header().len()).unwrap_or(usize::MAX)
}

fn check_msg(msg: &Msg<'_>) {
    let h = msg.header();
    black_box((h.pid(), msg.seq(), msg.flags(), msg.msg_type().is_control()));
    assert_eq!(
        msg.payload().len().checked_add(HEADER_LEN),
        Some(msg_len(msg))
    );
    match decode_control(msg) {
        Ok(Some(Control::Error(e))) => {
            assert!(e.errno.get() > 0);
            let owned = e.to_owned();
            assert!(owned.msg.len() <= EXTACK_MSG_CAP);
            if let Some(text) = e.ext.msg {
                assert_eq!(owned.msg_truncated, owned.msg.len() < text.len());
                assert!(text.starts_with(owned.msg.as_str()));
            }
            black_box(owned);
        }
        Ok(Some(Control::Ack { ext, request })) => {
            black_box((ext.is_empty(), request.map(wire::Header::len)));
        }
        Ok(Some(Control::Done(done))) => {
            black_box((done.status, done.ext.is_empty()));
        }
        Ok(Some(c @ (Control::Overrun | Control::Noop))) => {
            assert!(msg.msg_type().is_control());
            black_box(c);
        }
        Ok(None) => {
            assert!(!matches!(
                msg.msg_type(),
                MsgType::NOOP | MsgType::ERROR | MsgType::DONE | MsgType::OVERRUN
            ));
        }
        Err(e) => {
            assert!(msg.msg_type() == MsgType::ERROR || msg.msg_type() == MsgType::DONE);
            black_box(e);
        }
    }
    let payload = msg.payload();
    for offset in ATTR_OFFSETS {
        if let Some(rest) = payload.get(offset..) {
            walk(Attrs::new(rest), rest.len(), 0);
        }
    }
    check_split::<[u8; 4]>(msg);
    check_split::<[u8; 12]>(msg);
    check_split::<[u8; 16]>(msg);
}

fn check_split<T>(msg: &Msg<'_>)
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    let size = core::mem::size_of::<T>();
    match msg.split::<T>("fuzz") {
        Ok((fixed, attrs)) => {
            assert!(msg.payload().len() >= size);
            black_box(fixed);
            walk(attrs, msg.payload().len().saturating_sub(size), MAX_DEPTH);
        }
        Err(_) => assert!(msg.payload().len() < size),
    }
}

/// Walk `attrs` (over `len` bytes), checking every getter of every
/// attribute and descending into each.
fn walk(attrs: Attrs<'_>, len: usize, depth: usize) {
    let mut it = attrs.clone();
    let mut count = 0usize;
    let mut last_kind = None;
    while let Some(item) = it.next() {
        count = count.saturating_add(1);
        assert!(count <= len / 4 + 1, "Attrs did not advance");
        match item {
            Ok(attr) => {
                assert!(attr.payload().len() <= len);
                check_attr(&attr);
                last_kind = Some(attr.kind());
                if depth < MAX_DEPTH {
                    walk(attr.nested(), attr.payload().len(), depth.saturating_add(1));
                }
            }
            Err(_) => assert!(it.next().is_none(), "Attrs must fuse after an error"),
        }
    }
    assert!(it.next().is_none());
    // `find` skips nothing but malformed tails: it finds the first attribute
    // of a kind that the walk saw before any error.
    if let Some(kind) = last_kind {
        let found = attrs.clone().find(kind);
        assert_eq!(found.map(|a| a.kind()), Some(kind));
    }
    let table = AttrTable::<64>::parse(attrs.clone());
    for kind in 0..70u16 {
        if let Some(a) = table.get(kind) {
            assert_eq!(a.kind(), kind);
            assert!(kind < 64);
        }
    }
    assert_eq!(table.error().is_some(), attrs.clone().any(|r| r.is_err()));
}

/// Every getter of `a`, each checked against the payload size.
fn check_attr(a: &Attr<'_>) {
    let p = a.payload();
    let n = p.len();
    assert!(a.kind() < 0x4000);
    black_box((a.is_nested_flagged(), a.is_net_byteorder_flagged()));
    assert_eq!(a.u8().is_ok(), n == 1);
    assert_eq!(a.u16().is_ok(), n == 2);
    assert_eq!(a.be16().is_ok(), n == 2);
    assert_eq!(a.u32().is_ok(), n == 4);
    assert_eq!(a.i32().is_ok(), n == 4);
    assert_eq!(a.be32().is_ok(), n == 4);
    assert_eq!(a.ipv4().is_ok(), n == 4);
    assert_eq!(a.u64().is_ok(), n == 8);
    assert_eq!(a.be64().is_ok(), n == 8);
    assert_eq!(a.ipv6().is_ok(), n == 16);
    assert_eq!(a.ip().is_ok(), n == 4 || n == 16);
    if let (Ok(x), Ok(y)) = (a.u32(), a.be32()) {
        assert_eq!(
            x,
            if cfg!(target_endian = "little") {
                y.swap_bytes()
            } else {
                y
            }
        );
    }
    let nul = p.iter().position(|&b| b == 0);
    match a.cstr_bytes() {
        Ok(s) => assert_eq!(Some(s.len()), nul),
        Err(_) => assert!(nul.is_none()),
    }
    if let Ok(s) = a.cstr() {
        assert_eq!(Ok(s.as_bytes()), a.cstr_bytes());
    }
    if let Ok(s) = a.str() {
        assert_eq!(s.len(), nul.unwrap_or(n));
    }
    let s: [u8; 8] = a.read_struct();
    let k = n.min(8);
    assert_eq!(s.get(..k), p.get(..k));
    assert!(s.get(k..).unwrap_or_default().iter().all(|&b| b == 0));
    let _ = black_box((
        a.u64(),
        a.ip(),
        a.str(),
        a.cstr(),
        a.read_struct::<[u8; 32]>(),
    ));
}

/// Capacity of the session driven by [`session_feed`].
pub const SESSION_CAP: usize = 4;
/// Largest datagram [`session_feed`] feeds at once.
const DGRAM_CAP: usize = 4096;
/// Most operations [`session_feed`] performs for one input.
const MAX_OPS: usize = 256;

/// One request (or batch) in the model's table.
#[derive(Clone, Copy)]
struct Entry {
    seq: u32,
    expect: Expect,
    order: u64,
    /// A batch's latest member seq (`seq` otherwise).
    last: u32,
    /// A closed batch: the order of the first request tracked after its end.
    closed_at: Option<u64>,
}

impl Entry {
    fn has_member(&self, seq: u32) -> bool {
        let at = seq.wrapping_sub(self.seq);
        self.expect == Expect::BatchBegin && at != 0 && at <= self.last.wrapping_sub(self.seq)
    }
}

/// A reference model of the session's table of requests in flight, written
/// as plainly as possible (linear scans) from the documented contract.
#[derive(Clone, Copy)]
struct Model {
    slots: [Option<Entry>; SESSION_CAP],
    order: u64,
    open_batch: Option<u32>,
    seqs: [u32; 8],
    n_seqs: usize,
}

impl Model {
    fn count(&self) -> usize {
        self.slots.iter().flatten().count()
    }
    fn find(&self, seq: Seq) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.is_some_and(|e| e.seq == seq.0))
    }
    fn entry(&self, seq: Seq) -> Option<Entry> {
        self.find(seq)
            .and_then(|i| self.slots.get(i).copied().flatten())
    }
    fn expects(&self, seq: Seq) -> Option<Expect> {
        self.entry(seq).map(|e| e.expect)
    }
    /// The batch `seq` is a member of.
    fn batch_of(&self, seq: Seq) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.is_some_and(|e| e.has_member(seq.0)))
    }
    /// Forget `seq` (a cancel, or one step of `abort_all`).
    fn remove(&mut self, seq: Seq) -> bool {
        match self.find(seq).and_then(|i| self.slots.get_mut(i)) {
            Some(slot) => {
                *slot = None;
                if self.open_batch == Some(seq.0) {
                    self.open_batch = None;
                }
                true
            }
            None => false,
        }
    }
    /// `seq` ended with its final answer: forget it and the closed batches
    /// whose end came before it.
    fn finish(&mut self, seq: Seq) -> bool {
        let Some(order) = self.entry(seq).map(|e| e.order) else {
            return false;
        };
        self.remove(seq);
        for slot in &mut self.slots {
            if slot.is_some_and(|e| e.closed_at.is_some_and(|at| at <= order)) {
                *slot = None;
            }
        }
        true
    }
    fn oldest(&self) -> Option<Seq> {
        self.slots
            .iter()
            .flatten()
            .min_by_key(|e| e.order)
            .map(|e| Seq(e.seq))
    }
    fn remember(&mut self, seq: Seq) {
        let i = self.n_seqs % self.seqs.len();
        if let Some(s) = self.seqs.get_mut(i) {
            *s = seq.0;
        }
        self.n_seqs = self.n_seqs.wrapping_add(1);
    }
    /// A seq to use: one we submitted (recent), or 0 if none yet.
    fn pick(&self, i: u8) -> u32 {
        let n = self.n_seqs.min(self.seqs.len());
        if n == 0 {
            return 0;
        }
        self.seqs.get(usize::from(i) % n).copied().unwrap_or(0)
    }
    /// Assert that `s` agrees with the model.
    fn check(&self, s: &Session<SESSION_CAP>) {
        assert_eq!(s.pending(), self.count());
        assert!(s.pending() <= s.capacity());
        for e in self.slots.iter().flatten() {
            assert_eq!(s.expects(Seq(e.seq)), Some(e.expect));
            assert!(s.is_pending(Seq(e.seq)));
        }
        for &q in self.seqs.iter().take(self.n_seqs.min(self.seqs.len())) {
            if self.find(Seq(q)).is_none() {
                let want = self
                    .batch_of(Seq(q))
                    .and_then(|i| self.slots.get(i).copied().flatten())
                    .map(|e| Seq(e.seq));
                assert_eq!(s.batch_of(Seq(q)), want, "batch membership");
            }
        }
        assert_eq!(s.oldest(), self.oldest());
    }
}

/// Drive a `Session<4>` with a script of submits, datagrams, cancels and
/// aborts, checking it against a reference model of its table after every
/// step, and every event against what the model allows.
///
/// Input: byte 0 picks the first sequence number (1, `u32::MAX - 1`,
/// `0x7fff_ffff` or 0). Then up to 256 operations, each an op byte
/// (`op % 8`) and its arguments:
///
/// - 0, 1, 2: submit with `Expect::{Ack, Dump, Nothing}`: type `u16`,
///   flags `u16`, payload length `u8 % 32`, payload bytes;
/// - 3: submit raw bytes that may not be a message: length `u8 % 40`,
///   bytes, then an expect selector byte (`% 5`: the three above, then
///   `BatchBegin`, `BatchEnd`);
/// - 4: feed a datagram: a source byte (bits 0-1: kernel, multicast to
///   group number `u32` (any, so above 32 too, where the legacy mask is
///   0), foreign pid `u32 | 1`, or any `u32` pid, group and mask; bit 2:
///   overwrite every
///   message's seq with seqs we submitted, chosen by the next byte;
///   bit 3: stop after `u8` events and drop the iterator early), the length
///   `u16 % 4096`, then the bytes;
/// - 5: cancel a seq: a selector byte (even: one we submitted; odd: a raw
///   `u32`);
/// - 6: `abort_all`, taking `u8` seqs before dropping the iterator;
/// - 7: submit a batch delimiter: a selector byte (even: `BatchBegin`,
///   odd: `BatchEnd`), then as for 0.
///
/// # Panics
///
/// When the session disagrees with the model, reports an event it may not
/// (a reply for a seq not in flight, two final events for one request, a
/// notification from unicast...), or exceeds its capacity. (`oldest()` is
/// checked after every step.)
pub fn session_feed(data: &[u8]) {
    let mut input = Input::new(data);
    let mut s = match input.u8() % 4 {
        0 => Session::<SESSION_CAP>::new(),
        1 => Session::with_first_seq(u32::MAX - 1),
        2 => Session::with_first_seq(0x7fff_ffff),
        _ => Session::with_first_seq(0),
    };
    let mut model = Model {
        slots: [None; SESSION_CAP],
        order: 0,
        open_batch: None,
        seqs: [0; 8],
        n_seqs: 0,
    };
    let mut dgram = [0u8; DGRAM_CAP];
    for _ in 0..MAX_OPS {
        if input.is_empty() {
            break;
        }
        match input.u8() % 8 {
            op @ (0..=2 | 7) => {
                let expect = if op == 7 {
                    if input.u8() % 2 == 0 {
                        Expect::BatchBegin
                    } else {
                        Expect::BatchEnd
                    }
                } else {
                    [Expect::Ack, Expect::Dump, Expect::Nothing]
                        .get(usize::from(op))
                        .copied()
                        .unwrap_or(Expect::Ack)
                };
                let ty = MsgType(input.u16());
                let flags = Flags(input.u16());
                let n = usize::from(input.u8() % 32);
                let payload = input.bytes(n);
                let mut buf = [0u8; 64];
                let mut w = MsgWriter::new(&mut buf);
                w.begin(ty, flags).expect("64 bytes hold a header");
                w.put_fixed(payload).expect("and 32 bytes");
                let msg = w.finish().expect("nothing is nested");
                submit(&mut s, &mut model, msg, expect, true);
            }
            3 => {
                let n = usize::from(input.u8() % 40);
                let raw = input.bytes(n);
                let expect = match input.u8() % 5 {
                    0 => Expect::Ack,
                    1 => Expect::Dump,
                    2 => Expect::Nothing,
                    3 => Expect::BatchBegin,
                    _ => Expect::BatchEnd,
                };
                let mut buf = [0u8; 40];
                let msg = buf.get_mut(..raw.len()).unwrap_or_default();
                msg.copy_from_slice(raw);
                submit(&mut s, &mut model, msg, expect, false);
            }
            4 => {
                let src_byte = input.u8();
                // Group numbers range over all of u32 (above 32 the legacy
                // mask is 0, as the kernel sends it), and the last case
                // pairs any group with any mask and any sender.
                let src = match src_byte & 3 {
                    0 => Source::KERNEL,
                    1 => Source::multicast(input.u32()),
                    2 => Source::from_address(input.u32() | 1, 0),
                    _ => Source {
                        pid: input.u32(),
                        group: input.u32(),
                        groups: input.u32(),
                    },
                };
                let stamp = (src_byte & 4 != 0).then(|| input.u8());
                let take = (src_byte & 8 != 0).then(|| usize::from(input.u8()));
                let len = usize::from(input.u16()) % DGRAM_CAP;
                let bytes = input.bytes(len);
                let d = dgram.get_mut(..bytes.len()).unwrap_or_default();
                d.copy_from_slice(bytes);
                if let Some(pick) = stamp {
                    stamp_seqs(d, &model, pick);
                }
                // Read as a datagram cut short: it names a request in
                // flight, never another process's or a notification.
                if let Some(cut) = s.cut_short(d, src) {
                    assert!(s.is_pending(cut.seq), "cut_short names a pending request");
                    assert!(model.find(cut.seq).is_some(), "the model agrees");
                    assert_eq!(src.pid, 0, "another process's datagram");
                    assert!(src.multicast_group().is_none(), "a notification");
                }
                feed(&mut s, &mut model, d, src, take);
            }
            5 => {
                let sel = input.u8();
                let seq = if sel % 2 == 0 {
                    Seq(model.pick(sel / 2))
                } else {
                    Seq(input.u32())
                };
                let was = model.remove(seq);
                assert_eq!(s.cancel(seq), was);
                assert!(!s.is_pending(seq));
            }
            _ => {
                let k = usize::from(input.u8());
                let mut expected = model;
                let mut aborted = s.abort_all();
                for _ in 0..k {
                    let want = expected.oldest();
                    assert_eq!(aborted.next(), want, "abort_all yields oldest first");
                    match want {
                        Some(seq) => assert!(expected.remove(seq)),
                        None => break,
                    }
                }
                drop(aborted);
                model.slots = [None; SESSION_CAP];
                model.open_batch = None;
            }
        }
        model.check(&s);
    }
}

/// Submit `msg`, checking the result against the model. `well_formed`: the
/// message came from the writer, so only `TableFull` may refuse it.
fn submit(
    s: &mut Session<SESSION_CAP>,
    model: &mut Model,
    msg: &mut [u8],
    expect: Expect,
    well_formed: bool,
) {
    let mut before = [0u8; 64];
    let snapshot = before
        .get_mut(..msg.len())
        .expect("requests here are short");
    snapshot.copy_from_slice(msg);
    let snapshot = &*snapshot;
    let in_batch = model.open_batch.is_some();
    let misuse = match expect {
        Expect::BatchBegin => in_batch,
        Expect::BatchEnd => !in_batch,
        _ => false,
    };
    let tracked = !in_batch && matches!(expect, Expect::Ack | Expect::Dump | Expect::BatchBegin);
    let full = model.count() == SESSION_CAP && tracked;
    match s.submit(Request::new(msg, expect)) {
        Ok(seq) => {
            assert!(!misuse, "a misplaced batch delimiter was accepted");
            assert!(!full, "submit past capacity");
            assert_ne!(seq.0, 0, "seq 0 is never used");
            assert!(model.find(seq).is_none(), "seq reused while in flight");
            assert!(
                model.batch_of(seq).is_none(),
                "seq reused from a batch in flight"
            );
            let (m, used) = Msg::parse(msg).expect("submit accepted it");
            assert_eq!(used, msg.len());
            assert_eq!(m.seq(), seq);
            assert!(m.flags().contains(Flags::REQUEST));
            let had_ack = snapshot
                .get(6..8)
                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                .is_some_and(|b| Flags(u16::from_ne_bytes(b)).contains(Flags::ACK));
            assert_eq!(
                m.flags().contains(Flags::ACK),
                had_ack || (expect == Expect::Ack && !in_batch),
                "NLM_F_ACK on requests expecting an ack, outside batches only"
            );
            // Only flags and seq were touched.
            assert_eq!(msg.get(..6), snapshot.get(..6));
            assert_eq!(msg.get(12..), snapshot.get(12..));
            if let Some(open) = model.open_batch {
                let i = model.find(Seq(open)).expect("the open batch is tracked");
                if let Some(Some(b)) = model.slots.get_mut(i) {
                    b.last = seq.0;
                    if expect == Expect::BatchEnd {
                        b.closed_at = Some(model.order);
                    }
                }
                if expect == Expect::BatchEnd {
                    model.open_batch = None;
                }
            } else if tracked {
                let slot = model.slots.iter_mut().find(|s| s.is_none());
                *slot.expect("model has room") = Some(Entry {
                    seq: seq.0,
                    expect,
                    order: model.order,
                    last: seq.0,
                    closed_at: None,
                });
                model.order = model.order.wrapping_add(1);
                if expect == Expect::BatchBegin {
                    model.open_batch = Some(seq.0);
                }
            }
            model.remember(seq);
        }
        Err(e) => {
            match e {
                SessionError::TableFull => assert!(full && !misuse, "TableFull with room"),
                SessionError::NotARequest(_) => assert!(!well_formed),
                SessionError::BatchMisuse(_) => assert!(misuse),
            }
            assert_eq!(msg, snapshot, "a refused request was modified");
        }
    }
}

/// Overwrite the seq of every message that frames in `d` with seqs the
/// model knows, starting at `pick`.
fn stamp_seqs(d: &mut [u8], model: &Model, pick: u8) {
    let mut off = 0usize;
    let mut i = pick;
    while let Some(head) = off.checked_add(HEADER_LEN).and_then(|end| d.get(off..end)) {
        let len = head
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_ne_bytes);
        let seq = model.pick(i).to_ne_bytes();
        if let Some(field) = off.checked_add(8).and_then(|s| d.get_mut(s..s + 4)) {
            field.copy_from_slice(&seq);
        }
        i = i.wrapping_add(1);
        let Some(step) = usize::try_from(len).ok().and_then(wire::align) else {
            break;
        };
        if step < HEADER_LEN {
            break;
        }
        off = off.saturating_add(step);
    }
}

/// Feed `d` from `src`, checking each event against the model, then check
/// that dropping the iterator after `take` events leaves the same state.
fn feed(
    s: &mut Session<SESSION_CAP>,
    model: &mut Model,
    d: &[u8],
    src: Source,
    take: Option<usize>,
) {
    let max_events = Msgs::new(d).count().saturating_add(1);
    let want_member_failures = member_failures(model, d, src);
    let mut member_failures = 0usize;
    let mut full = s.clone();
    let mut events = 0usize;
    let mut finished = [0u32; 256];
    let mut n_finished = 0usize;
    for item in full.feed(d, src) {
        events = events.saturating_add(1);
        assert!(events <= max_events, "more events than messages");
        let Ok(event) = item else { continue };
        assert_eq!(
            event.is_final(),
            matches!(
                event,
                Event::Done { .. }
                    | Event::Ack { .. }
                    | Event::Failed { .. }
                    | Event::Unreadable { .. }
            )
        );
        match event {
            Event::Foreign { pid } => {
                assert_eq!(pid, src.pid);
                assert_eq!(events, 1);
            }
            Event::Notification { group, msg } => {
                assert_eq!(src.pid, 0);
                assert_eq!(Some(group), src.multicast_group());
                assert_ne!(group, 0);
                if src.group != 0 {
                    assert_eq!(group, src.group, "the pktinfo group wins");
                }
                black_box(msg);
            }
            Event::Stray { msg } => {
                assert!(src.pid == 0 && src.group == 0 && src.groups == 0);
                assert!(model.find(msg.seq()).is_none(), "stray for a seq in flight");
                assert!(
                    model.batch_of(msg.seq()).is_none(),
                    "stray for a batch member"
                );
            }
            other => {
                assert!(src.pid == 0 && src.group == 0 && src.groups == 0);
                let seq = other.seq().expect("request events carry a seq");
                let expect = model.expects(seq);
                if expect.is_none() {
                    // A batch member: any event but Done, ending nothing.
                    assert!(
                        model.batch_of(seq).is_some(),
                        "event for a seq not in flight"
                    );
                    assert!(!matches!(other, Event::Done { .. }), "Done for a member");
                    if let Event::Failed { .. } = other {
                        member_failures = member_failures.saturating_add(1);
                    }
                    continue;
                }
                if let Event::Done { .. } = other {
                    assert_eq!(expect, Some(Expect::Dump), "Done for a non-dump");
                }
                if let Event::Failed { error, .. } = other {
                    assert!(error.errno.get() > 0);
                }
                if other.is_final() {
                    assert!(
                        !finished.iter().take(n_finished).any(|&q| q == seq.0),
                        "two final events for one request"
                    );
                    if let Some(f) = finished.get_mut(n_finished) {
                        *f = seq.0;
                        n_finished = n_finished.saturating_add(1);
                    }
                    assert!(model.finish(seq));
                }
            }
        }
    }
    assert_eq!(
        member_failures, want_member_failures,
        "every error against a batch member is reported"
    );
    model.check(&full);
    if src.pid != 0 {
        assert_eq!(events, 1, "a foreign datagram is one event");
    }
    // The same datagram on the real session, dropped after `take` events,
    // must end in the same state.
    let mut it = s.feed(d, src);
    for _ in 0..take.unwrap_or(usize::MAX) {
        if it.next().is_none() {
            break;
        }
    }
    drop(it);
    model.check(s);
}

/// How many errors against batch members the kernel's datagram `d` holds,
/// walking it with a copy of the model (requests end as the session ends
/// them, so batches retire at the same messages).
fn member_failures(model: &Model, d: &[u8], src: Source) -> usize {
    if src.pid != 0 || src.multicast_group().is_some() {
        return 0;
    }
    let mut sim = *model;
    let mut n = 0usize;
    for msg in Msgs::new(d) {
        let Ok(msg) = msg else { break };
        let seq = msg.seq();
        let control = decode_control(&msg);
        if let Some(expect) = sim.expects(seq) {
            let last = match control {
                Err(_) | Ok(Some(Control::Ack { .. } | Control::Error(_))) => true,
                Ok(Some(Control::Done(_))) => expect == Expect::Dump,
                _ => false,
            };
            if last {
                sim.finish(seq);
            }
        } else if sim.batch_of(seq).is_some() && matches!(control, Ok(Some(Control::Error(_)))) {
            n = n.saturating_add(1);
        }
    }
    n
}

/// Most tokens one [`writer_roundtrip`] tree has (plus closing tokens).
const MAX_TOKENS: usize = 64;
/// Deepest nesting of a [`writer_roundtrip`] tree.
const MAX_NEST: usize = 4;
/// Size of the writer buffers: a header plus 64 tokens of at most 68 bytes.
const TREE_BUF: usize = HEADER_LEN + MAX_TOKENS * (4 + 64) + 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Leaf(u16, &'a [u8]),
    Open(u16),
    Close,
}

/// An attribute tree as a balanced token list.
struct Tree<'a> {
    toks: [Tok<'a>; MAX_TOKENS + MAX_NEST],
    n: usize,
}

impl<'a> Tree<'a> {
    /// Tokens: op byte `% 4`: 0, 1 leaf (kind `u16 & 0x3fff`, length
    /// `u8 % 65`, payload); 2 open a nest (kind), a leaf past depth 4;
    /// 3 close a nest (ignored at depth 0). Open nests close at the end.
    fn parse(input: &mut Input<'a>) -> Self {
        let mut t = Self {
            toks: [Tok::Close; MAX_TOKENS + MAX_NEST],
            n: 0,
        };
        let mut depth = 0usize;
        while t.n < MAX_TOKENS && !input.is_empty() {
            let op = input.u8() % 4;
            let tok = match op {
                2 if depth < MAX_NEST => {
                    depth += 1;
                    Tok::Open(input.u16() & 0x3fff)
                }
                3 if depth > 0 => {
                    depth -= 1;
                    Tok::Close
                }
                3 => continue,
                _ => {
                    let kind = input.u16() & 0x3fff;
                    let len = usize::from(input.u8() % 65);
                    Tok::Leaf(kind, input.bytes(len))
                }
            };
            t.push(tok);
        }
        for _ in 0..depth {
            t.push(Tok::Close);
        }
        t
    }
    fn push(&mut self, tok: Tok<'a>) {
        if let Some(slot) = self.toks.get_mut(self.n) {
            *slot = tok;
            self.n += 1;
        }
    }
    fn toks(&self) -> &[Tok<'a>] {
        self.toks.get(..self.n).unwrap_or_default()
    }
}

/// The attribute type the writer's `begin_nest` puts on the wire.
const NLA_F_NESTED: u16 = 0x8000;

/// A plain reference encoder: the tokens selected by `keep` (bit `i` for
/// token `i`), after a 16-byte header, into `out`. Returns the length.
fn reference(tree: &Tree<'_>, keep: u128, ty: MsgType, out: &mut [u8]) -> usize {
    fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
        out.get_mut(at..at + bytes.len())
            .expect("reference buffer is large enough")
            .copy_from_slice(bytes);
    }
    let mut pos = HEADER_LEN;
    let mut stack = [0usize; MAX_NEST];
    let mut depth = 0;
    for (i, tok) in tree.toks().iter().enumerate() {
        if keep & (1 << i) == 0 {
            continue;
        }
        match *tok {
            Tok::Leaf(kind, p) => {
                put(
                    out,
                    pos,
                    &u16::try_from(4 + p.len()).expect("short").to_ne_bytes(),
                );
                put(out, pos + 2, &kind.to_ne_bytes());
                put(out, pos + 4, p);
                let end = wire::align(pos + 4 + p.len()).expect("small");
                out.get_mut(pos + 4 + p.len()..end).expect("fits").fill(0);
                pos = end;
            }
            Tok::Open(kind) => {
                put(out, pos + 2, &(kind | NLA_F_NESTED).to_ne_bytes());
                *stack.get_mut(depth).expect("depth <= 4") = pos;
                depth += 1;
                pos += 4;
            }
            Tok::Close => {
                depth -= 1;
                let start = *stack.get(depth).expect("balanced");
                put(
                    out,
                    start,
                    &u16::try_from(pos - start).expect("short").to_ne_bytes(),
                );
            }
        }
    }
    put(out, 0, &u32::try_from(pos).expect("short").to_ne_bytes());
    put(out, 4, &ty.0.to_ne_bytes());
    put(out, 6, &0u16.to_ne_bytes());
    put(out, 8, &[0; 8]);
    pos
}

/// Write the tree with the closure form ([`MsgWriter::nested`]), from
/// token `i`; returns the index after the matching close.
fn write_closure(
    w: &mut MsgWriter<'_>,
    toks: &[Tok<'_>],
    mut i: usize,
) -> Result<usize, EncodeError> {
    while let Some(tok) = toks.get(i) {
        i += 1;
        match *tok {
            Tok::Leaf(kind, p) => w.put(kind, p)?,
            Tok::Open(kind) => {
                let mut next = i;
                w.nested(kind, |w| {
                    next = write_closure(w, toks, i)?;
                    Ok(())
                })?;
                i = next;
            }
            Tok::Close => return Ok(i),
        }
    }
    Ok(i)
}

/// Check that `attrs` holds exactly the tokens from `i` to the matching
/// close; returns the index after it.
fn read_back(attrs: &mut Attrs<'_>, toks: &[Tok<'_>], mut i: usize) -> usize {
    while let Some(tok) = toks.get(i) {
        i += 1;
        match *tok {
            Tok::Leaf(kind, p) => {
                let a = attrs.next().expect("attribute missing").expect("readable");
                assert_eq!((a.kind(), a.payload()), (kind, p));
                assert!(!a.is_nested_flagged());
            }
            Tok::Open(kind) => {
                let a = attrs.next().expect("nest missing").expect("readable");
                assert_eq!(a.kind(), kind);
                assert!(a.is_nested_flagged());
                let mut inner = a.nested();
                i = read_back(&mut inner, toks, i);
            }
            Tok::Close => break,
        }
    }
    assert!(attrs.next().is_none(), "extra attributes");
    i
}

/// Write an attribute tree with `MsgWriter` twice (closure form and
/// begin/end tokens), compare both with a reference encoding (lengths,
/// zero padding), read it back with `Msgs` and `Attrs` and compare with the
/// tree; then write it into a buffer of a chosen size and check that every
/// failed put changed nothing.
///
/// Input: message type `u16`, buffer size `u16`, then the tree's tokens:
/// op byte `% 4`: 0, 1 leaf (kind `u16 & 0x3fff`, length `u8 % 65`,
/// payload); 2 open a nest (kind; a leaf past depth 4); 3 close a nest.
/// At most 64 tokens; open nests close at the end.
///
/// # Panics
///
/// When the writer's bytes differ from the reference, do not read back as
/// the same tree, or a failed put changed the buffer.
pub fn writer_roundtrip(data: &[u8]) {
    let mut input = Input::new(data);
    let ty = MsgType(input.u16());
    let limit = usize::from(input.u16());
    let tree = Tree::parse(&mut input);
    let toks = tree.toks();
    let all = u128::MAX;

    let mut expect = [0u8; TREE_BUF];
    let len = reference(&tree, all, ty, &mut expect);
    let expect = expect.get(..len).unwrap_or_default();

    // Closure form.
    let mut a = [0xa5u8; TREE_BUF];
    let mut w = MsgWriter::new(&mut a);
    w.begin(ty, Flags::EMPTY).expect("room");
    assert_eq!(write_closure(&mut w, toks, 0), Ok(toks.len()));
    assert_eq!(w.finish().expect("balanced"), expect);
    assert_eq!(w.len(), len);
    assert!(a.get(len..).unwrap_or_default().iter().all(|&b| b == 0xa5));

    // begin_nest / end_nest tokens.
    let mut b = [0x5au8; TREE_BUF];
    let mut w = MsgWriter::new(&mut b);
    w.begin(ty, Flags::EMPTY).expect("room");
    let mut stack: [Option<Nest>; MAX_NEST] = [None; MAX_NEST];
    let mut depth = 0;
    for tok in toks {
        match *tok {
            Tok::Leaf(kind, p) => w.put(kind, p).expect("room"),
            Tok::Open(kind) => {
                *stack.get_mut(depth).expect("depth <= 4") =
                    Some(w.begin_nest(kind).expect("room"));
                depth += 1;
            }
            Tok::Close => {
                depth -= 1;
                let nest = stack.get_mut(depth).and_then(Option::take).expect("open");
                w.end_nest(nest).expect("short");
            }
        }
    }
    assert_eq!(w.finish().expect("balanced"), expect);

    // Read back.
    let mut msgs = Msgs::new(expect);
    let msg = msgs.next().expect("one message").expect("readable");
    assert!(msgs.next().is_none());
    assert_eq!(msg.msg_type(), ty);
    let mut attrs = Attrs::new(msg.payload());
    assert_eq!(read_back(&mut attrs, toks, 0), toks.len());

    all_or_nothing(&tree, ty, limit % (len + 8));
}

/// Write `tree` into a buffer of `limit` bytes: each put either succeeds or
/// fails with `BufferFull` leaving the length as it was; what remains is
/// the reference encoding of exactly the puts that succeeded, and the bytes
/// past it are untouched.
fn all_or_nothing(tree: &Tree<'_>, ty: MsgType, limit: usize) {
    let mut buf = [0xa5u8; TREE_BUF];
    let mut w = MsgWriter::new(buf.get_mut(..limit).unwrap_or_default());
    if let Err(e) = w.begin(ty, Flags::EMPTY) {
        assert!(matches!(e, EncodeError::BufferFull { .. }));
        assert!(limit < HEADER_LEN);
        assert_eq!(w.len(), 0);
        return;
    }
    let mut keep = 0u128;
    let mut stack: [Option<Nest>; MAX_NEST] = [None; MAX_NEST];
    let mut depth = 0;
    // Depth of a nest whose begin failed: its content is skipped.
    let mut skipping: Option<usize> = None;
    for (i, tok) in tree.toks().iter().enumerate() {
        let before = w.len();
        let result = match (*tok, skipping) {
            (Tok::Open(_), Some(_)) => {
                depth += 1;
                continue;
            }
            (Tok::Close, Some(d)) => {
                depth -= 1;
                if depth == d {
                    skipping = None;
                }
                continue;
            }
            (Tok::Leaf(..), Some(_)) => continue,
            (Tok::Leaf(kind, p), None) => w.put(kind, p),
            (Tok::Open(kind), None) => match w.begin_nest(kind) {
                Ok(nest) => {
                    *stack.get_mut(depth).expect("depth <= 4") = Some(nest);
                    depth += 1;
                    Ok(())
                }
                Err(e) => {
                    skipping = Some(depth);
                    depth += 1;
                    Err(e)
                }
            },
            (Tok::Close, None) => {
                depth -= 1;
                let nest = stack.get_mut(depth).and_then(Option::take).expect("open");
                let r = w.end_nest(nest);
                assert_eq!(r, Ok(()), "ending a nest needs no room");
                r
            }
        };
        match result {
            Ok(()) => keep |= 1 << i,
            Err(e) => {
                assert!(matches!(e, EncodeError::BufferFull { .. }), "{e:?}");
                assert_eq!(w.len(), before, "a failed put moved the cursor");
            }
        }
    }
    let len = w.len();
    assert!(len <= limit);
    let written = w.finish().expect("balanced").len();
    assert_eq!(written, len);
    let mut expect = [0u8; TREE_BUF];
    let n = reference(tree, keep, ty, &mut expect);
    assert_eq!(n, len);
    assert_eq!(buf.get(..len), expect.get(..len));
    assert!(
        buf.get(len..)
            .unwrap_or_default()
            .iter()
            .all(|&b| b == 0xa5)
    );
}

/// Every family decoder on every message of a datagram.
///
/// Input: byte 0 picks the family decoder (modulo the number of decoders);
/// the rest is a datagram. Each message is decoded twice: as it is, and as
/// a copy whose `nlmsg_type` is forced to the decoder's own type (so the
/// fuzzer reaches the attribute parsing without guessing types). Checks:
/// no panic; for objects with an `emit`, a successful decode followed by
/// `emit` and another decode gives the same value (emit → parse is the
/// identity on whatever the decoder accepted).
pub fn family_decode(data: &[u8]) {
    let mut input = Input::new(data);
    let pick = input.u8();
    let datagram = input.bytes(usize::MAX);
    for msg in Msgs::new(datagram).map_while(Result::ok) {
        decode_all(&msg);
        let mut one = [0u8; 4096];
        let Some(ty) = forced_type(pick) else {
            continue;
        };
        if let Some(forced) = with_type(&msg, ty, &mut one) {
            decode_all(&forced);
        }
    }
}

/// The message types of the decoders `family_decode` exercises.
#[allow(unused_mut, unused_variables, unused_assignments)]
fn forced_type(pick: u8) -> Option<MsgType> {
    let mut types: [Option<MsgType>; 12] = [None; 12];
    #[cfg(feature = "route")]
    {
        use crate::route::*;
        types = [
            Some(RTM_NEWLINK),
            Some(RTM_NEWADDR),
            Some(RTM_NEWROUTE),
            Some(RTM_NEWNEIGH),
            Some(RTM_NEWRULE),
            Some(RTM_NEWSTATS),
            None,
            None,
            None,
            None,
            None,
            None,
        ];
    }
    #[cfg(feature = "genl")]
    {
        types[6] = Some(MsgType(crate::genl::GENL_ID_CTRL.get()));
    }
    #[cfg(feature = "nfnl")]
    {
        use crate::nfnl::nft::NftMsg;
        types[7] = Some(NftMsg::NEWTABLE.msg_type());
        types[8] = Some(NftMsg::NEWCHAIN.msg_type());
        types[9] = Some(NftMsg::NEWRULE.msg_type());
        types[10] = Some(NftMsg::NEWSET.msg_type());
        types[11] = Some(NftMsg::NEWSETELEM.msg_type());
    }
    let n = types.len();
    types.get(usize::from(pick) % n).copied().flatten()
}

/// Copy `msg` into `buf` with its type replaced by `ty`.
fn with_type<'b>(msg: &Msg<'_>, ty: MsgType, buf: &'b mut [u8]) -> Option<Msg<'b>> {
    use zerocopy::IntoBytes;
    let head = msg.header().as_bytes();
    let len = HEADER_LEN.checked_add(msg.payload().len())?;
    let out = buf.get_mut(..len)?;
    let (h, p) = out.split_at_mut(HEADER_LEN);
    h.copy_from_slice(head);
    h.get_mut(4..6)?.copy_from_slice(&ty.0.to_ne_bytes());
    p.copy_from_slice(msg.payload());
    Msg::parse(out).ok().map(|(m, _)| m)
}

/// Decode `msg` with every decoder; round-trip the ones that succeed.
#[allow(unused_variables)]
fn decode_all(msg: &Msg<'_>) {
    #[cfg(feature = "route")]
    {
        use crate::route::{addr::Address, link::Link, neigh::Neighbour, route::Route, rule::Rule};
        let _ = black_box(Link::decode(msg));
        let _ = black_box(crate::route::nexthop::Nexthop::decode(msg));
        // A monitor's decoder: dispatches on the type to the ones here.
        let _ = black_box(crate::route::change::Change::decode(msg));
        let _ = black_box(crate::route::stats::decode(msg));
        if let Ok(v) = Address::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Address::decode,
            );
        }
        let _ = black_box(Route::decode(msg));
        if let Ok(v) = Route::decode_full(msg) {
            round_trip(
                &v,
                |(r, x), w| r.emit_full(x, w, Flags::EMPTY).map(|_| ()),
                Route::decode_full,
            );
        }
        if let Ok(v) = Neighbour::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Neighbour::decode,
            );
        }
        if let Ok(v) = Rule::decode(msg) {
            round_trip(&v, |v, w| v.emit(w, Flags::EMPTY).map(|_| ()), Rule::decode);
        }
    }
    #[cfg(feature = "genl")]
    {
        use crate::genl::ctrl::Family;
        if let Ok(v) = Family::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Family::decode,
            );
        }
        // The path manager's and ethtool's decoders take any genl message
        // (their family ids are dynamic), so every input reaches them.
        use crate::genl::FamilyId;
        use crate::genl::mptcp::{Endpoint, Limits, PmCmd};
        let family = FamilyId::new(msg.msg_type().0).unwrap_or(FamilyId::CTRL);
        if let Ok(v) = Endpoint::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, PmCmd::GET_ADDR, Flags::EMPTY).map(|_| ()),
                Endpoint::decode,
            );
        }
        if let Ok(v) = Limits::decode(msg) {
            round_trip(
                &v,
                |v, w| {
                    v.emit(w, family, PmCmd::GET_LIMITS, Flags::EMPTY)
                        .map(|_| ())
                },
                Limits::decode,
            );
        }
        if let Ok(v) = crate::genl::mptcp::Event::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                crate::genl::mptcp::Event::decode,
            );
        }
        use crate::genl::ethtool::{LinkInfo, LinkModes};
        if let Ok(v) = LinkModes::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                LinkModes::decode,
            );
        }
        if let Ok(v) = LinkInfo::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                LinkInfo::decode,
            );
        }
    }
    #[cfg(feature = "nfnl")]
    {
        use crate::nfnl::nft::{Chain, Table};
        if let Ok(v) = Table::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Table::decode,
            );
        }
        if let Ok(v) = Chain::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Chain::decode,
            );
        }
        if let Ok(rule) = crate::nfnl::nft::Rule::decode(msg) {
            nft_rule_round_trip(&rule);
        }
        if let Ok(v) = crate::nfnl::nft::Set::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                crate::nfnl::nft::Set::decode,
            );
        }
        if let Ok(elems) = crate::nfnl::nft::SetElems::decode(msg) {
            // Decoding checked every element; walking them again agrees.
            assert!(elems.elems().all(|e| e.is_ok()), "set elements re-walk");
        }
    }
}

/// A rule, and each of its expressions, must survive emit → decode.
#[cfg(feature = "nfnl")]
fn nft_rule_round_trip(rule: &crate::nfnl::nft::Rule<'_>) {
    use crate::nfnl::nft::{Expr, Rule};
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    if let Ok(out) = rule.emit(&mut w, Flags::EMPTY) {
        let Ok((msg, _)) = Msg::parse(out) else {
            panic!("emit wrote an unparsable rule");
        };
        assert_eq!(
            Rule::decode(&msg).ok().as_ref(),
            Some(rule),
            "rule emit → decode"
        );
    }
    for e in rule.exprs().map_while(Result::ok) {
        let mut buf = [0u8; 8192];
        let mut w = MsgWriter::new(&mut buf);
        let written = w.message(MsgType(0x0a06), Flags::EMPTY, |w| {
            w.put_fixed(&crate::nfnl::NfGenMsg::new(crate::nfnl::NfProto::INET, 0))?;
            e.emit(w)
        });
        let Ok(out) = written else { continue };
        let Ok((msg, _)) = Msg::parse(out) else {
            panic!("emit wrote an unparsable expression");
        };
        let elem = msg
            .payload()
            .get(4..)
            .and_then(|p| crate::wire::Attrs::new(p).next())
            .and_then(Result::ok);
        let again = elem.map(Expr::decode);
        assert_eq!(again, Some(Ok(e)), "expression emit → decode");
    }
}

/// `emit` then decode again must give the same value. A value too large
/// for the buffer (or one `emit` refuses) is skipped, not a finding.
#[allow(dead_code)]
fn round_trip<T: PartialEq + core::fmt::Debug>(
    value: &T,
    emit: impl Fn(&T, &mut MsgWriter<'_>) -> Result<(), EncodeError>,
    decode: impl Fn(&Msg<'_>) -> Result<T, crate::DecodeError>,
) {
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    if emit(value, &mut w).is_err() {
        return;
    }
    let len = w.len();
    let Some((msg, _)) = buf.get(..len).and_then(|b| Msg::parse(b).ok()) else {
        panic!("emit wrote an unparsable message");
    };
    let again = decode(&msg);
    assert_eq!(
        again.as_ref().ok(),
        Some(value),
        "emit → decode is not the identity"
    );
}
