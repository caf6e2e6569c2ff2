//! The `session_feed` body: a scripted session against a model of the kernel.

use super::Input;
use crate::SessionError;
use crate::session::{Event, Expect, Request, Session, Source};
use crate::wire::{
    self, Control, Flags, HEADER_LEN, Msg, MsgType, MsgWriter, Msgs, Seq, decode_control,
};
use core::hint::black_box;

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
