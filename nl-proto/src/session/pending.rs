//! The session and its fixed table of requests in flight.

use super::{Expect, Feed, Request, Source};
use crate::SessionError;
use crate::wire::{Flags, HEADER_LEN, Header, Msg, Seq};
use zerocopy::FromBytes;

/// A datagram cut short, as [`Session::cut_short`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutShort {
    /// The request in flight it answered (a batch: its `BatchBegin`).
    pub seq: Seq,
    /// What the request lost with it.
    pub lost: Lost,
}

/// What a request lost with a datagram cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// One reply to a request that is not a dump. Its acknowledgement (or
    /// error) is a datagram of its own and still comes (for a batch
    /// member, the batch still ends at its barrier): the request ends as
    /// usual, without that reply. A driver whose caller does not read
    /// replies can go on; one whose caller does must fail the request or
    /// send it again.
    Reply,
    /// A dump part, an acknowledgement or an error: the request may never
    /// end. Cancel it and report the loss.
    End,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub(super) seq: u32,
    pub(super) expect: Expect,
    pub(super) order: u64,
    pub(super) interrupted: bool,
    /// For a batch (`BatchBegin`): the seq of its latest member; its
    /// members are the seqs after `seq` up to this one. `seq` otherwise.
    pub(super) last: u32,
    /// For a closed batch: the `order` the first request tracked after its
    /// `BatchEnd` gets. When a request of that order or later ends, the
    /// batch has had all its answers.
    pub(super) closed_at: Option<u64>,
}

impl Pending {
    /// Whether `seq` is a member of this batch (never for a plain request).
    fn has_member(&self, seq: u32) -> bool {
        let span = self.last.wrapping_sub(self.seq);
        let at = seq.wrapping_sub(self.seq);
        at != 0 && at <= span
    }
}

/// The netlink request/reply state machine for one socket, tracking at
/// most `N` requests in flight. See the [module docs](crate::session) for the call
/// contract.
#[derive(Debug, Clone)]
pub struct Session<const N: usize> {
    next_seq: u32,
    next_order: u64,
    /// Occupied slots.
    used: usize,
    /// Occupied slots not at their request's hint (`seq % N`). While it is
    /// 0, a seq lookup probes the hint slot only: submit and every answer
    /// cost O(1) instead of a scan of the table.
    displaced: usize,
    /// Batches in the table; while 0, no lookup scans for batch members.
    batches: usize,
    /// The seq of the batch whose `BatchEnd` is not submitted yet.
    open_batch: Option<u32>,
    slots: [Option<Pending>; N],
}

impl<const N: usize> Default for Session<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Session<N> {
    /// A session with nothing in flight. Sequence numbers start at 1.
    pub const fn new() -> Self {
        Self {
            next_seq: 1,
            next_order: 0,
            used: 0,
            displaced: 0,
            batches: 0,
            open_batch: None,
            slots: [None; N],
        }
    }

    /// A session whose first sequence number is `seq` (0 is skipped).
    /// Drivers seed it from a clock so that late answers to an earlier
    /// socket user are not mistaken for ours.
    pub const fn with_first_seq(seq: u32) -> Self {
        Self {
            next_seq: if seq == 0 { 1 } else { seq },
            next_order: 0,
            used: 0,
            displaced: 0,
            batches: 0,
            open_batch: None,
            slots: [None; N],
        }
    }

    /// Stamp a sequence number into `req`, set `NLM_F_REQUEST` (and
    /// `NLM_F_ACK` for [`Expect::Ack`] outside a batch) and record what it
    /// expects. Inside a batch the request is a member of it: it takes no
    /// slot and gets no `NLM_F_ACK` (see [`Expect::BatchBegin`]).
    ///
    /// # Errors
    ///
    /// [`SessionError::TableFull`] when `N` requests are in flight;
    /// [`SessionError::NotARequest`] when `req.msg` is not one whole message;
    /// [`SessionError::BatchMisuse`] for a `BatchBegin` inside a batch or a
    /// `BatchEnd` outside one. Nothing is changed on error.
    pub fn submit(&mut self, req: Request<'_>) -> Result<Seq, SessionError> {
        let len = Msg::parse(req.msg)
            .map_err(SessionError::NotARequest)?
            .0
            .header()
            .len();
        if usize::try_from(len).ok() != Some(req.msg.len()) {
            return Err(SessionError::NotARequest(crate::DecodeError::BadLength {
                what: "request nlmsg_len",
                len: req.msg.len(),
            }));
        }
        let batch = self.open_batch.and_then(|b| self.find(b));
        match (req.expect, batch) {
            (Expect::BatchBegin, Some(_)) => {
                return Err(SessionError::BatchMisuse(
                    "a batch begins inside another batch",
                ));
            }
            (Expect::BatchEnd, None) => {
                return Err(SessionError::BatchMisuse("a batch ends without a begin"));
            }
            _ => {}
        }
        let tracked = batch.is_none() && req.expect.is_tracked();
        if tracked && self.used >= N {
            return Err(SessionError::TableFull);
        }
        let seq = self.allocate_seq();
        // Prefer slot `seq % N`, so that `find` usually hits on its first
        // probe; else the first free one (there is one: `used < N`).
        let hint = Self::hint(seq);
        let slot = if !tracked {
            None
        } else if self.slots.get(hint).is_some_and(Option::is_none) {
            Some(hint)
        } else {
            self.slots.iter().position(Option::is_none)
        };
        let (head, _) = req.msg.split_at_mut(HEADER_LEN.min(req.msg.len()));
        let mut flags = u16::from_ne_bytes([
            head.get(6).copied().unwrap_or(0),
            head.get(7).copied().unwrap_or(0),
        ]);
        flags |= Flags::REQUEST.bits();
        if req.expect == Expect::Ack && batch.is_none() {
            flags |= Flags::ACK.bits();
        }
        if let Some(f) = head.get_mut(6..8) {
            f.copy_from_slice(&flags.to_ne_bytes());
        }
        if let Some(s) = head.get_mut(8..12) {
            s.copy_from_slice(&seq.to_ne_bytes());
        }
        if let Some(b) = batch.and_then(|i| self.slot_mut(i)) {
            b.last = seq;
        }
        if req.expect == Expect::BatchEnd {
            let closed_at = self.next_order;
            if let Some(b) = batch.and_then(|i| self.slot_mut(i)) {
                b.closed_at = Some(closed_at);
            }
            self.open_batch = None;
        }
        if let Some((i, entry)) = slot.and_then(|i| Some((i, self.slots.get_mut(i)?))) {
            *entry = Some(Pending {
                seq,
                expect: req.expect,
                order: self.next_order,
                interrupted: false,
                last: seq,
                closed_at: None,
            });
            self.next_order = self.next_order.wrapping_add(1);
            self.used = self.used.saturating_add(1);
            if i != hint {
                self.displaced = self.displaced.saturating_add(1);
            }
            if req.expect == Expect::BatchBegin {
                self.batches = self.batches.saturating_add(1);
                self.open_batch = Some(seq);
            }
        }
        Ok(Seq(seq))
    }

    fn allocate_seq(&mut self) -> u32 {
        loop {
            let seq = self.next_seq;
            self.next_seq = match seq.wrapping_add(1) {
                0 => 1,
                next => next,
            };
            // N is small, so a wrap into a seq still in flight is rare and
            // the scan short.
            if self.find(seq).is_none() && self.find_batch(seq).is_none() {
                return seq;
            }
        }
    }

    /// The slot a request with `seq` is put in when it is free.
    fn hint(seq: u32) -> usize {
        usize::try_from(seq)
            .unwrap_or(0)
            .checked_rem(N)
            .unwrap_or(0)
    }

    pub(super) fn find(&self, seq: u32) -> Option<usize> {
        let hint = Self::hint(seq);
        if self
            .slots
            .get(hint)
            .copied()
            .flatten()
            .is_some_and(|p| p.seq == seq)
        {
            return Some(hint);
        }
        if self.displaced == 0 {
            return None;
        }
        self.slots
            .iter()
            .position(|s| s.is_some_and(|p| p.seq == seq))
    }

    /// The slot of the batch `seq` is a member of.
    pub(super) fn find_batch(&self, seq: u32) -> Option<usize> {
        if self.batches == 0 {
            return None;
        }
        self.slots
            .iter()
            .position(|s| s.is_some_and(|p| p.expect == Expect::BatchBegin && p.has_member(seq)))
    }

    pub(super) fn slot_mut(&mut self, i: usize) -> Option<&mut Pending> {
        self.slots.get_mut(i).and_then(Option::as_mut)
    }

    pub(super) fn take(&mut self, i: usize) -> Option<Pending> {
        let p = self.slots.get_mut(i).and_then(Option::take)?;
        self.used = self.used.saturating_sub(1);
        if Self::hint(p.seq) != i {
            self.displaced = self.displaced.saturating_sub(1);
        }
        if p.expect == Expect::BatchBegin {
            self.batches = self.batches.saturating_sub(1);
            if self.open_batch == Some(p.seq) {
                self.open_batch = None;
            }
        }
        Some(p)
    }

    /// End the request in slot `i` because its final answer arrived, and
    /// forget the closed batches submitted before it: their answers all
    /// came before this one.
    pub(super) fn finish(&mut self, i: usize) -> Option<Pending> {
        let p = self.take(i)?;
        if self.batches > 0 {
            for j in 0..N {
                let done = self
                    .slots
                    .get(j)
                    .copied()
                    .flatten()
                    .and_then(|b| b.closed_at)
                    .is_some_and(|at| at <= p.order);
                if done {
                    self.take(j);
                }
            }
        }
        Some(p)
    }

    /// Decode one received datagram. `src` is its sender and destination
    /// group, from `recvmsg` (see [`Source`]). The returned iterator must be consumed or dropped
    /// before the session is used again; dropping it early still finishes
    /// the bookkeeping for the rest of the datagram (those events are lost).
    pub fn feed<'s, 'b>(&'s mut self, datagram: &'b [u8], src: Source) -> Feed<'s, 'b, N> {
        Feed::new(self, datagram, src)
    }

    /// What was lost with a datagram that arrived cut short (`MSG_TRUNC`),
    /// of which only `prefix` was received: the request in flight it
    /// answered, and whether that request can still end. Read from the
    /// first message header alone: the kernel puts the answer to one
    /// request in a datagram (one reply, one dump part, or one
    /// acknowledgement), so the first header speaks for the whole
    /// datagram. (nf_tables may gather the echoes of several members of
    /// one batch into one datagram; they all name the same batch.)
    ///
    /// `None` when the datagram concerns no request in flight: it came
    /// from another process, was sent to a multicast group, is shorter
    /// than a header, or carries a seq nothing waits for (an answer to a
    /// cancelled request). A batch member's answer concerns its
    /// `BatchBegin`. Nothing changes in the session: the driver decides
    /// (see [`Lost`]).
    ///
    /// ```
    /// use nl_proto::session::{CutShort, Expect, Lost, Request, Session, Source};
    /// use nl_proto::wire::{Flags, MsgType, MsgWriter};
    ///
    /// let mut session = Session::<4>::new();
    /// let mut buf = [0u8; 32];
    /// let mut w = MsgWriter::new(&mut buf);
    /// w.begin(MsgType(18), Flags::EMPTY)?; // RTM_GETLINK
    /// w.put_fixed(&[0u8; 16])?;
    /// let seq = session.submit(Request::new(w.finish()?, Expect::Ack))?;
    ///
    /// // The first 20 bytes of a 70,000-byte RTM_NEWLINK answering it.
    /// let mut prefix = [0u8; 20];
    /// prefix[..4].copy_from_slice(&70_000u32.to_ne_bytes());
    /// prefix[4..6].copy_from_slice(&16u16.to_ne_bytes());
    /// prefix[8..12].copy_from_slice(&seq.0.to_ne_bytes());
    /// assert_eq!(
    ///     session.cut_short(&prefix, Source::KERNEL),
    ///     Some(CutShort { seq, lost: Lost::Reply })
    /// );
    /// assert_eq!(session.cut_short(&prefix[..10], Source::KERNEL), None);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn cut_short(&self, prefix: &[u8], src: Source) -> Option<CutShort> {
        if src.pid != 0 || src.multicast_group().is_some() {
            return None;
        }
        let (header, _) = Header::ref_from_prefix(prefix).ok()?;
        let seq = header.seq();
        let (seq, expect) = match self.expects(seq) {
            Some(expect) => (seq, expect),
            None => {
                let begin = self.batch_of(seq)?;
                (begin, self.expects(begin)?)
            }
        };
        // A reply to a request that is not a dump is a datagram of its own,
        // its acknowledgement another: losing it loses no end.
        let lone_reply = !header.msg_type().is_control()
            && !header.flags().contains(Flags::MULTI)
            && expect != Expect::Dump;
        let lost = if lone_reply { Lost::Reply } else { Lost::End };
        Some(CutShort { seq, lost })
    }

    /// Forget request `seq`; later answers to it become [`Event::Stray`](super::Event::Stray).
    /// Returns whether it was in flight. Cancelling a batch's `BatchBegin`
    /// forgets the batch and its members.
    pub fn cancel(&mut self, seq: Seq) -> bool {
        self.find(seq.0).and_then(|i| self.take(i)).is_some()
    }

    /// Forget every request in flight (after `ENOBUFS`), yielding their
    /// seqs oldest first. Dropping the iterator early still forgets them all.
    pub fn abort_all(&mut self) -> Aborted<'_, N> {
        Aborted { session: self }
    }

    /// The `BatchBegin` seq of the batch in flight that `seq` is a member of.
    pub fn batch_of(&self, seq: Seq) -> Option<Seq> {
        self.find_batch(seq.0)
            .and_then(|i| self.slots.get(i).copied().flatten())
            .map(|p| Seq(p.seq))
    }

    /// Whether request `seq` is in flight (a batch member is not on its
    /// own: see [`Session::batch_of`]).
    pub fn is_pending(&self, seq: Seq) -> bool {
        self.find(seq.0).is_some()
    }

    /// What request `seq` expects, if it is in flight.
    pub fn expects(&self, seq: Seq) -> Option<Expect> {
        self.find(seq.0)
            .and_then(|i| self.slots.get(i).copied().flatten())
            .map(|p| p.expect)
    }

    /// How many requests are in flight.
    pub fn pending(&self) -> usize {
        self.used
    }

    /// The request submitted longest ago that is still in flight.
    pub fn oldest(&self) -> Option<Seq> {
        self.slots
            .iter()
            .flatten()
            .min_by_key(|p| p.order)
            .map(|p| Seq(p.seq))
    }

    /// The table's capacity, `N`.
    pub const fn capacity(&self) -> usize {
        N
    }
}

/// Seqs of the requests [`Session::abort_all`] forgot, oldest first.
#[derive(Debug)]
#[must_use = "the aborted requests must be failed by the driver"]
pub struct Aborted<'s, const N: usize> {
    session: &'s mut Session<N>,
}

impl<const N: usize> Iterator for Aborted<'_, N> {
    type Item = Seq;
    fn next(&mut self) -> Option<Seq> {
        let oldest = self.session.oldest()?;
        self.session.cancel(oldest);
        Some(oldest)
    }
}

impl<const N: usize> Drop for Aborted<'_, N> {
    fn drop(&mut self) {
        self.session.slots = [None; N];
        self.session.used = 0;
        self.session.displaced = 0;
        self.session.batches = 0;
        self.session.open_batch = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{MsgType, MsgWriter};

    fn submit(s: &mut Session<2>) -> Seq {
        let mut buf = [0u8; 16];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::EMPTY).ok();
        let msg = w.finish().unwrap_or_default();
        s.submit(Request::new(msg, Expect::Ack)).unwrap_or(Seq(0))
    }

    #[test]
    fn seq_in_flight_is_skipped_when_the_counter_comes_round() {
        let mut s = Session::<2>::new();
        assert_eq!(submit(&mut s), Seq(1));
        s.next_seq = u32::MAX;
        assert_eq!(submit(&mut s), Seq(u32::MAX));
        s.cancel(Seq(u32::MAX));
        // 0 is never used and 1 is still in flight.
        assert_eq!(submit(&mut s), Seq(2));
    }

    #[test]
    fn displaced_requests_are_found_and_counted() {
        let mut s = Session::<2>::new();
        assert_eq!(submit(&mut s), Seq(1)); // slot 1, its hint
        s.next_seq = 3; // hint 1 again: displaced to slot 0
        assert_eq!(submit(&mut s), Seq(3));
        assert_eq!(s.displaced, 1);
        assert_eq!(s.pending(), 2);
        assert!(s.is_pending(Seq(3)) && s.is_pending(Seq(1)));
        assert!(!s.is_pending(Seq(5)));
        let mut buf = [0u8; 16];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::EMPTY).ok();
        let msg = w.finish().unwrap_or_default();
        assert!(matches!(
            s.submit(Request::new(msg, Expect::Ack)),
            Err(SessionError::TableFull)
        ));
        assert!(s.cancel(Seq(1)));
        assert_eq!(s.displaced, 1);
        assert!(s.cancel(Seq(3)));
        assert_eq!((s.pending(), s.displaced), (0, 0));
        // The next one takes its hint slot and is found with one probe.
        assert_eq!(submit(&mut s), Seq(4));
        assert_eq!((s.pending(), s.displaced), (1, 0));
        assert_eq!(s.find(4), Some(0));
        drop(s.abort_all());
        assert_eq!((s.pending(), s.displaced), (0, 0));
    }
}
