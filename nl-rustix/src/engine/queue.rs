//! The send queue and the rules for what goes out together: which queued
//! requests may share a datagram, and what the receive buffer, the
//! session's table and the kernel's one-dump-per-socket rule admit.
//!
//! - An nfnetlink batch, a `BATCH_BEGIN` … `BATCH_END` span, is always one
//!   datagram of its own, whatever its size: the kernel aborts a batch cut
//!   before its END and ignores what follows an END in the same datagram.
//!   It takes one slot in the session (its BEGIN) and no receive budget
//!   (its members are answered only when they fail; the driver sizes the
//!   socket for that, see [`Pipeline::staged_room`]).
//! - Other requests are packed in order while the datagram stays within
//!   [`MAX_CHUNK`], the session's free slots and the receive budget: the
//!   kernel handles a whole `sendmsg` before anything is read, so every
//!   answer of a datagram is queued at once, and what does not fit the
//!   receive buffer is dropped (`ENOBUFS`).
//! - One request always goes, whatever its cost, when nothing else is in
//!   flight; a dump waits for the dump in flight (the kernel runs one per
//!   socket and refuses a second with `EBUSY`).

use super::{End, Pipeline, RequestId};
use crate::Error;
use nl_proto::session::{Expect, Request};
use std::collections::VecDeque;

/// The most bytes put into one `sendmsg` of plain requests (a batch span
/// is one datagram whatever its size).
pub const MAX_CHUNK: usize = 64 * 1024;

/// What one request's answers cost in the receive buffer, by what it
/// expects. The kernel charges an skb's true size, not its payload.
///
/// - [`Expect::Ack`]: an ack alone is about 800 bytes, but `Expect` cannot
///   tell a NEW from a GET, whose reply comes before the ack. Measured on
///   6.18 (`/proc/net/netlink` `Rmem` after a send of 100 requests):
///   `RTM_GETLINK` costs 3136 bytes of reply and ack for `lo`, 5184 for a
///   bridge or a vxlan (the reply's buffer is a 4 KiB allocation). Budget
///   8 KiB, the next allocation size: replies up to about 7 KiB fit (1024
///   GETs overflowed a 2 MiB buffer budgeted at 1 KiB each). A larger
///   reply (a NIC with many VFs) is better fetched on its own, or
///   budgeted with [`RequestOptions::answer_cost`](super::RequestOptions::answer_cost).
/// - [`Expect::Dump`]: the first part (up to 32 KiB of messages) is built
///   during `sendmsg`.
/// - Everything else is answered only on failure (see [`FAILURE_COST`]).
pub const fn answer_cost(expect: Expect) -> usize {
    match expect {
        Expect::Ack => 8 * 1024,
        Expect::Dump => 64 * 1024,
        _ => 0,
    }
}

/// What one error answer to an nfnetlink batch member can take of the
/// receive buffer: an `NLMSG_ERROR` with the capped request header and
/// the extended ack's text, in a 1 KiB allocation plus the skb's own
/// bookkeeping. nfnetlink reports every failing member, so a batch of `n`
/// members can need `n` of these at once.
pub const FAILURE_COST: usize = 2 * 1024;

/// One encoded request waiting in the send queue.
#[derive(Debug, Clone, Copy)]
pub(super) struct Queued {
    pub(super) id: RequestId,
    /// The message length (`nlmsg_len`).
    pub(super) len: usize,
    /// Bytes it occupies in the queue (aligned).
    pub(super) size: usize,
    /// It must go in the same datagram as the next entry (a batch span).
    pub(super) glued: bool,
    /// Copies of what staging needs from the request, so that it reads
    /// the queue only (contiguous) and not the request map.
    pub(super) expect: Expect,
    pub(super) cost: usize,
    /// It opens a batch.
    pub(super) begin: bool,
    /// It completed (timed out) while queued: never sent.
    pub(super) dead: bool,
}

/// Encoded requests back to back in caller-sized storage: sent from the
/// front as contiguous chunks, so a chunk is one `sendmsg` with no copy.
pub(super) struct SendQueue {
    pub(super) buf: Vec<u8>,
    pub(super) head: usize,
    pub(super) tail: usize,
    pub(super) entries: VecDeque<Queued>,
    /// The capacity plain requests are held to (a batch span may grow the
    /// storage past it, as it must go whole).
    pub(super) capacity: usize,
}

impl SendQueue {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            buf: vec![0; capacity],
            head: 0,
            tail: 0,
            entries: VecDeque::new(),
            capacity,
        }
    }

    /// Bytes free for plain requests.
    pub(super) fn room(&self) -> usize {
        self.capacity.saturating_sub(self.tail - self.head)
    }

    /// Append an encoded message, compacting first if the free tail is too
    /// short. Returns false when it does not fit; with `grow` (a batch
    /// span) the storage grows instead.
    pub(super) fn push(&mut self, entry: Queued, bytes: &[u8], grow: bool) -> bool {
        let size = bytes.len();
        if !grow && self.room() < size {
            return false;
        }
        if self.buf.len() - self.tail < size {
            self.buf.copy_within(self.head..self.tail, 0);
            self.tail -= self.head;
            self.head = 0;
            if self.buf.len() - self.tail < size {
                let want = (self.tail + size).max(self.buf.len() * 2);
                self.buf.resize(want, 0);
            }
        }
        self.buf[self.tail..self.tail + size].copy_from_slice(bytes);
        self.tail += size;
        self.entries.push_back(Queued { size, ..entry });
        true
    }

    /// The free storage after the queued bytes, made at least `want`
    /// long by moving them to the front if need be; `None` if the storage
    /// is shorter. An encoder writes the next request here, and
    /// [`commit`](Self::commit) queues it without a copy.
    pub(super) fn spare(&mut self, want: usize) -> Option<&mut [u8]> {
        if self.buf.len() - self.tail < want && self.head > 0 {
            self.buf.copy_within(self.head..self.tail, 0);
            self.tail -= self.head;
            self.head = 0;
        }
        (self.buf.len() - self.tail >= want).then(|| &mut self.buf[self.tail..])
    }

    /// The first `size` bytes of the free storage: the request an encoder
    /// wrote there.
    pub(super) fn spare_bytes(&self, size: usize) -> &[u8] {
        &self.buf[self.tail..self.tail + size]
    }

    /// Queue the request of `entry.size` bytes an encoder wrote into
    /// [`spare`](Self::spare). Returns false when it does not fit the
    /// capacity (unless `grow`, as [`push`](Self::push)).
    pub(super) fn commit(&mut self, entry: Queued, grow: bool) -> bool {
        if !grow && self.room() < entry.size {
            return false;
        }
        self.tail += entry.size;
        self.entries.push_back(entry);
        true
    }

    /// Mark request `id`'s entry dead, if it is queued. Entries are in id
    /// order, so this is a binary search.
    pub(super) fn kill(&mut self, id: RequestId) {
        if let Ok(i) = self.entries.binary_search_by_key(&id, |q| q.id) {
            self.entries[i].dead = true;
        }
    }

    /// Take the newest entry back out (a batch that did not fit).
    pub(super) fn pop_back(&mut self) -> Option<Queued> {
        let q = self.entries.pop_back()?;
        self.tail -= q.size;
        if self.entries.is_empty() {
            self.head = 0;
            self.tail = 0;
        }
        Some(q)
    }

    pub(super) fn pop(&mut self) {
        if let Some(q) = self.entries.pop_front() {
            self.head += q.size;
        }
        if self.entries.is_empty() {
            self.head = 0;
            self.tail = 0;
            // A large batch grew the storage: do not keep megabytes.
            if self.buf.len() > 2 * self.capacity {
                self.buf = vec![0; self.capacity];
            }
        }
    }
}

/// Queue entries that go out together: one request, or a batch span.
#[derive(Debug, Default)]
pub(super) struct Unit {
    /// A batch span: sent as a datagram of its own.
    pub(super) batch: bool,
    pub(super) entries: usize,
    pub(super) bytes: usize,
    /// Entries whose request has not completed (timed out) while queued.
    pub(super) live: usize,
    pub(super) cost: usize,
    pub(super) dumps: usize,
    /// A batch still being queued (its END not yet submitted): it may not
    /// be sent.
    pub(super) open: bool,
}

impl Unit {
    /// Session slots it takes: one per tracked request, one for a whole
    /// batch (its BEGIN; members take none).
    fn slots(&self) -> usize {
        if self.batch { 1 } else { self.live }
    }
}

/// The chunk handed out by [`Pipeline::poll_transmit`], awaiting the
/// driver's verdict.
#[derive(Debug, Default)]
pub(super) struct Staged {
    /// (id, seq) of each request in it, in queue order.
    pub(super) reqs: Vec<(RequestId, nl_proto::wire::Seq)>,
    /// Queue entries it spans (including none skipped).
    pub(super) entries: usize,
    pub(super) bytes: usize,
    /// It is an nfnetlink batch of this many members (BEGIN and END
    /// included).
    pub(super) batch: usize,
    /// It is the resynchronising barrier after an overflow, not queue
    /// entries.
    pub(super) resync: bool,
}

impl Pipeline {
    /// The queue entries from `from` that must be sent together (one, or
    /// a batch span), with what they need.
    pub(super) fn unit(&self, from: usize) -> Unit {
        let mut u = Unit::default();
        let mut closed = false;
        // `range`, not `iter().skip()`: O(1) to start at `from`.
        for q in self
            .queue
            .entries
            .range(from.min(self.queue.entries.len())..)
        {
            u.entries += 1;
            u.bytes += q.size;
            if !q.dead {
                u.live += 1;
                u.cost += q.cost;
                u.dumps += usize::from(q.expect == Expect::Dump);
                u.batch |= q.begin;
            }
            if !q.glued {
                closed = true;
                break;
            }
        }
        u.open = u.entries > 0 && !closed;
        u
    }

    /// Whether `u` may join a chunk that already holds `staged_bytes`
    /// with `cost` of answers in flight (counting it) and `dump` running.
    pub(super) fn admits(&self, u: &Unit, staged_bytes: usize, cost: usize, dump: bool) -> bool {
        // A batch starts its datagram (and `stage` ends it after).
        if staged_bytes > 0 && (u.batch || staged_bytes + u.bytes > MAX_CHUNK) {
            return false;
        }
        // The kernel runs one dump per socket.
        if u.dumps > usize::from(!dump) {
            return false;
        }
        if self.session.pending() + u.slots() > super::MAX_IN_FLIGHT {
            return false;
        }
        cost == 0 || cost + u.cost <= self.budget
    }

    /// Stamp the next chunk: as many units from the front of the queue as
    /// the rules admit.
    pub(super) fn stage(&mut self) {
        let mut dump = self.dump.is_some();
        let mut cost = self.in_flight_cost;
        let mut offset = self.queue.head;
        loop {
            let u = self.unit(self.staged.entries);
            if u.entries == 0 || u.open {
                break;
            }
            if u.live < u.entries {
                // Completed (timed out) while queued: drop it, but only
                // from the front, so the chunk stays contiguous. (The
                // requests of a batch share a deadline, so a batch is
                // dropped whole; anything left of one could not be sent.)
                if self.staged.entries > 0 {
                    break;
                }
                for _ in 0..u.entries {
                    if let Some(&q) = self.queue.entries.front() {
                        self.finish(
                            q.id,
                            End::Failed(Error::BatchAborted { failed: None }),
                            None,
                        );
                    }
                    self.queue.pop();
                }
                offset = self.queue.head;
                continue;
            }
            if !self.admits(&u, self.staged.bytes, cost, dump) {
                break;
            }
            for i in 0..u.entries {
                let q = self.queue.entries[self.staged.entries + i];
                let msg = &mut self.queue.buf[offset..offset + q.len];
                // Cannot fail: the message was checked when queued, and
                // `admits` checked the table has room.
                if let Ok(seq) = self.session.submit(Request::new(msg, q.expect)) {
                    self.staged.reqs.push((q.id, seq));
                }
                offset += q.size;
            }
            dump |= u.dumps > 0;
            cost += u.cost;
            self.staged.entries += u.entries;
            self.staged.bytes += u.bytes;
            if u.batch {
                self.staged.batch = u.entries;
                // The kernel ignores what follows a BATCH_END.
                break;
            }
        }
    }
}
