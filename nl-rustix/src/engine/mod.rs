//! The request engine: everything about talking to the kernel that is not
//! I/O. A send queue, the session, receive budgets, nfnetlink batches,
//! deadlines and completed results, for one netlink socket, without the
//! socket.
//!
//! Both drivers run on it: the blocking [`Conn::batch`](crate::Conn::batch)
//! waits in `recv`, nl-mio's `Conn` in a readiness loop; any other loop
//! (epoll, io_uring) can drive a [`Pipeline`] the same way (see its call
//! contract). [`crate::drive`] holds the few socket calls the drivers
//! share.
//!
//! One concern per file: the send queue and what may share a datagram
//! (`queue.rs`), nfnetlink batches and their outcomes (`batch.rs`),
//! per-request options, deadlines, answers, and the table of requests
//! alive; the rest (submission, sending, feeding answers, overflow and
//! truncation) is here.

mod answer;
mod batch;
mod deadlines;
mod options;
mod queue;
mod table;
#[cfg(test)]
mod tests;

pub use answer::{Answer, Replies, RequestId};
pub use options::RequestOptions;
pub use queue::{FAILURE_COST, MAX_CHUNK, answer_cost};

pub(crate) use answer::append_msg;
use batch::Role;
use deadlines::Deadlines;
use nl_proto::nfnl::batch::encode_barrier;
use nl_proto::session::{Event, Expect, Lost, Session, Source};
use nl_proto::wire::{Msg, MsgWriter, Seq};
use nl_proto::{DecodeError, SessionError};
use options::{DeadlineOpt, Replies as ReplyMode};
use queue::{SendQueue, Staged};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

use crate::{Encode, EncodeClosure, Error, Outcome};

/// Requests in flight at once (the session's table). An nfnetlink batch
/// counts as one, whatever its size.
pub const MAX_IN_FLIGHT: usize = 1024;
/// The timeout a request gets unless its [`RequestOptions`] say otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of encoded plain requests the send queue holds by default, 4 MiB
/// (an nfnetlink batch grows it as far as it needs).
pub const DEFAULT_QUEUE_BYTES: usize = 4_194_304;
/// What a non-dump request's answer is budgeted at in the receive buffer
/// (a GET's reply and its ack), 8 KiB: [`answer_cost`] of [`Expect::Ack`].
pub const ANSWER_COST: usize = answer_cost(Expect::Ack);
/// What a dump is budgeted at: the part the kernel builds during
/// `sendmsg`, and the next one it builds while the queue is below half
/// the buffer.
pub const DUMP_COST: usize = answer_cost(Expect::Dump);
/// The least [`Pipeline::handle_overflow`] shrinks the budget to: a few
/// answers in flight.
pub const MIN_BUDGET: usize = 4 * ANSWER_COST;
/// How long a request that timed out while in flight is still tracked, so
/// that its late answer is recognised and dropped (and its receive budget
/// released) instead of being mistaken for nothing.
pub const LATE_ANSWER_GRACE: Duration = Duration::from_secs(30);

/// One request, from submission until its completion is queued (or, if it
/// timed out in flight, until its late answer or the grace period ends).
struct Req {
    expect: Expect,
    cost: usize,
    deadline: Option<Instant>,
    /// The timeout it was given, for the error message.
    timeout: Duration,
    /// Set once sent.
    seq: Option<Seq>,
    replies: Vec<u8>,
    count: usize,
    replies_mode: ReplyMode,
    /// A reply handler failed, or a reply was lost; reported when the
    /// request ends.
    failure: Option<Box<Error>>,
    /// Completed as a timeout; its answer is dropped when it comes.
    expired: bool,
    /// What part it plays in an nfnetlink batch, if any.
    role: Role,
    /// Counted in the requests and answer budget in flight.
    counted: bool,
    /// Counted in the requests whose answers are read with a size peek.
    peeked: bool,
}

/// Counters a loop can log or test against.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Requests submitted.
    pub submitted: u64,
    /// `sendmsg` calls that carried requests.
    pub sends: u64,
    /// Sends that hit `EWOULDBLOCK`; their requests stayed queued.
    pub blocked_sends: u64,
    /// Datagrams fed to the session.
    pub datagrams: u64,
    /// Answers to requests that had timed out, dropped.
    pub late_answers: u64,
    /// Unicast messages that matched no request (answers to requests that
    /// were abandoned, or after their grace period).
    pub stray: u64,
    /// Multicast messages (a request socket joins no group, so normally 0).
    pub notifications: u64,
    /// `ENOBUFS` reports: the kernel dropped answers.
    pub overflows: u64,
    /// Datagrams cut short by the receive buffer.
    pub truncated: u64,
}

/// What the socket must take for the chunk [`Pipeline::poll_transmit`]
/// returned, when that may be more than a socket takes by default: the
/// driver raises `SO_SNDBUF` and `SO_RCVBUF` to it before sending
/// ([`Socket::make_room`](crate::Socket::make_room)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    /// Bytes of the datagram (the send buffer must exceed it).
    pub datagram: usize,
    /// Bytes of answers it may bring at once (one error per batch member,
    /// [`FAILURE_COST`] each, plus the barrier's ack).
    pub answers: usize,
}

/// The resynchronisation after an overflow: a barrier (`NLMSG_NOOP` with
/// an ack) sent once the receive queue has been emptied. The kernel
/// answers requests in order while handling each `sendmsg`, so when the
/// barrier's ack comes, a request sent before it that is still waiting
/// has lost its answer.
#[derive(Debug, Default)]
enum Resync {
    #[default]
    Idle,
    /// To be sent: the requests in flight at the overflow.
    Pending(Vec<RequestId>),
    /// Sent with `seq`.
    Sent(Seq, Vec<RequestId>),
}

/// The request pipeline of one netlink socket, without the socket.
///
/// It keeps many requests in flight at once, bounded by what the socket's
/// receive buffer can hold of their answers (the *budget*), routes every
/// answer to its request through [`nl_proto::session::Session`], applies
/// per-request deadlines from the caller's clock, and queues each result
/// for the caller to collect.
///
/// # Call contract
///
/// Inputs, from the caller:
/// - [`submit`](Self::submit) / [`submit_with`](Self::submit_with) /
///   [`submit_batch`](Self::submit_batch): encode requests into the send
///   queue. Nothing is sent yet.
/// - [`poll_transmit`](Self::poll_transmit): the next chunk of queued
///   requests to send as **one** datagram (`sendmsg` to the kernel), or
///   `None`. If [`staged_room`](Self::staged_room) says so, make room in
///   the socket first. After sending it, call exactly one of
///   [`sent`](Self::sent), [`send_blocked`](Self::send_blocked)
///   (`EWOULDBLOCK`: the requests stay queued, try again when writable) or
///   [`send_failed`](Self::send_failed).
/// - [`handle_datagram`](Self::handle_datagram): every datagram received,
///   with its sender address. Peek each datagram's size first while
///   [`wants_peek`](Self::wants_peek) holds; a datagram cut short all the
///   same goes to [`handle_truncated`](Self::handle_truncated). On
///   `ENOBUFS` from `recv`, call [`handle_overflow`](Self::handle_overflow).
///   Receive until `EWOULDBLOCK` before sending or waiting again: the
///   kernel drops every answer to a socket that overflowed until its queue
///   has been emptied once, and the pipeline then resynchronises.
/// - [`handle_timeout`](Self::handle_timeout) with the current time, at the
///   latest at [`next_deadline`](Self::next_deadline).
///
/// Outputs: [`poll_completion`](Self::poll_completion) yields each request's
/// `(RequestId, Result<Answer, Error>)` exactly once, in the order they
/// ended.
///
/// The kernel runs one dump per socket at a time (a second is refused with
/// `EBUSY`), so a queued dump waits until the dump before it ends; requests
/// leave the queue in submission order.
///
/// Driven by hand, with the kernel's answer written out (what a loop
/// around its own socket does with `sendmsg` and `recvmsg`):
///
/// ```
/// use nl_rustix::Outcome;
/// use nl_rustix::engine::Pipeline;
/// use nl_proto::route::link::{self, LinkRef};
/// use nl_proto::session::Source;
///
/// let mut pipeline = Pipeline::new(1 << 20);
/// let id = pipeline.submit(|w: &mut _| link::encode_del(w, LinkRef::Index(7)))?;
/// let chunk = pipeline.poll_transmit().expect("one request to send");
/// let seq = u32::from_ne_bytes(chunk[8..12].try_into()?);
/// // ... sendmsg(chunk) ...
/// pipeline.sent();
///
/// // ... recvmsg: the kernel's ack (NLMSG_ERROR with error 0, capped) ...
/// let mut ack = Vec::new();
/// ack.extend_from_slice(&36u32.to_ne_bytes()); // nlmsg_len
/// ack.extend_from_slice(&2u16.to_ne_bytes()); // NLMSG_ERROR
/// ack.extend_from_slice(&0x100u16.to_ne_bytes()); // NLM_F_CAPPED
/// ack.extend_from_slice(&seq.to_ne_bytes());
/// ack.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid
/// ack.extend_from_slice(&0i32.to_ne_bytes()); // error: 0, an ack
/// ack.extend_from_slice(&chunk_header(seq));
/// pipeline.handle_datagram(&ack, Source::KERNEL);
///
/// let (done, result) = pipeline.poll_completion().expect("completed");
/// assert_eq!(done, id);
/// assert_eq!(result?.outcome(), Outcome::Acked);
/// # fn chunk_header(seq: u32) -> [u8; 16] {
/// #     let mut h = [0u8; 16];
/// #     h[..4].copy_from_slice(&32u32.to_ne_bytes());
/// #     h[4..6].copy_from_slice(&17u16.to_ne_bytes());
/// #     h[8..12].copy_from_slice(&seq.to_ne_bytes());
/// #     h
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Pipeline {
    session: Box<Session<MAX_IN_FLIGHT>>,
    queue: SendQueue,
    scratch: Vec<u8>,
    staged: Staged,
    reqs: table::Requests,
    by_seq: HashMap<u32, RequestId, IdHash>,
    /// Deadlines, nearest first. Entries of requests that ended are left
    /// in place and dropped when they come first (`drop_stale_deadlines`),
    /// which keeps the first one live; `compact_deadlines` bounds the rest.
    deadlines: Deadlines,
    completions: VecDeque<(RequestId, Result<Answer, Error>)>,
    next_id: u64,
    default_timeout: Option<Duration>,
    budget: usize,
    in_flight_cost: usize,
    /// Requests sent whose answers are still awaited (including timed-out
    /// ones whose late answers are awaited, to drop them).
    in_flight: usize,
    /// Requests in flight whose answers may be larger than a receive
    /// buffer of the usual size (dumps, or a declared large cost).
    peeked: usize,
    /// A datagram was cut short once: peek before every receive.
    always_peek: bool,
    /// The dump in flight, if any.
    dump: Option<RequestId>,
    /// Requests in `reqs` that completed as timeouts and wait for their
    /// late answers.
    expired: usize,
    resync: Resync,
    /// The batch being queued by `submit_item`.
    span: batch::Span,
    /// The resynchronising barrier, encoded when it is staged.
    resync_msg: [u8; 16],
    stats: Stats,
    /// Scratch for the ends of one datagram, processed after it is fed.
    ends: Vec<(Seq, End)>,
    /// Where default deadlines start.
    clock: deadlines::CoarseClock,
}

/// The time a call submits at, read from the clock only if a deadline
/// needs it (a batch of 100,000 requests without deadlines reads it
/// never; with them, once).
#[derive(Debug, Default, Clone, Copy)]
struct Now(Option<Instant>);

impl Now {
    fn get(&mut self) -> Instant {
        *self.0.get_or_insert_with(Instant::now)
    }
}

/// How a request being queued may relate to an nfnetlink batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glue {
    /// A plain request: delimiters are refused.
    Plain,
    /// The next of a sequence, no batch open: a `BATCH_BEGIN` opens one.
    Item,
    /// Inside an open batch: glued to what follows.
    Span,
    /// The barrier after a batch: plain, and, like the batch, never
    /// refused for want of queue room.
    Barrier,
}

/// How a request ended, taken out of a datagram.
enum End {
    Acked,
    Done { interrupted: bool },
    Failed(Error),
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("queued", &self.queued())
            .field("in_flight", &self.in_flight)
            .field("budget", &self.budget)
            .field("in_flight_cost", &self.in_flight_cost)
            .field("completions", &self.completions.len())
            .field("resync", &self.resync)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// A pipeline whose answers may take up to `budget` bytes of the
    /// receive buffer at once (what the kernel granted the socket, read
    /// back with `SO_RCVBUF`, less room for anything else it receives).
    pub fn new(budget: usize) -> Self {
        // A clock-derived first seq, so that late answers addressed to an
        // earlier user of a recycled port id are unlikely to match ours.
        let first = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() as u32);
        Self::with_first_seq(budget, first)
    }

    /// [`Pipeline::new`], numbering requests from `first` (a driver that
    /// shares the socket with another session keeps the two apart).
    pub fn with_first_seq(budget: usize, first: u32) -> Self {
        Self {
            session: Box::new(Session::with_first_seq(first)),
            queue: SendQueue::new(DEFAULT_QUEUE_BYTES),
            scratch: vec![0; MAX_CHUNK],
            staged: Staged::default(),
            reqs: table::Requests::default(),
            by_seq: HashMap::default(),
            deadlines: Deadlines::default(),
            completions: VecDeque::new(),
            next_id: 0,
            default_timeout: Some(DEFAULT_TIMEOUT),
            budget,
            in_flight_cost: 0,
            in_flight: 0,
            peeked: 0,
            always_peek: false,
            dump: None,
            expired: 0,
            resync: Resync::Idle,
            span: batch::Span::Closed,
            resync_msg: [0; 16],
            stats: Stats::default(),
            ends: Vec::new(),
            clock: deadlines::CoarseClock::new(),
        }
    }

    /// Change the receive budget (bytes of answers in flight at once). At
    /// least one request is always let through, whatever its cost.
    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
    }

    /// The receive budget.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// The timeout of requests submitted without one (`None`: no deadline).
    pub fn set_default_timeout(&mut self, timeout: Option<Duration>) {
        self.default_timeout = timeout;
    }

    /// Resize the send queue's storage (bytes of encoded plain requests
    /// waiting to be sent). Only while the queue is empty; returns whether
    /// it did.
    pub fn set_queue_capacity(&mut self, bytes: usize) -> bool {
        if !self.queue.entries.is_empty() || self.staged.entries != 0 {
            return false;
        }
        self.queue = SendQueue::new(bytes);
        true
    }

    /// Bytes the send queue can take now for plain requests.
    pub fn queue_room(&self) -> usize {
        self.queue.room()
    }

    /// Queue a request with the default options; see
    /// [`submit_with`](Self::submit_with).
    ///
    /// # Errors
    ///
    /// As [`submit_with`](Self::submit_with).
    pub fn submit(&mut self, encode: impl EncodeClosure) -> Result<RequestId, Error> {
        self.submit_with(encode, RequestOptions::new())
    }

    /// Encode a request into the send queue. Its deadline starts now
    /// (`now` is read from the clock once, here).
    ///
    /// # Errors
    ///
    /// What the encoder returns ([`Error::Invalid`], [`Error::Encode`]);
    /// [`Error::Encode`] with `BufferFull` when the send queue is full
    /// (collect completions and let it drain).
    pub fn submit_with(
        &mut self,
        encode: impl EncodeClosure,
        opts: RequestOptions,
    ) -> Result<RequestId, Error> {
        self.enqueue(&encode, opts, &mut Now::default(), Glue::Plain)
    }

    /// Encode one request into scratch and queue it, `glue` saying how it
    /// may relate to an nfnetlink batch.
    fn enqueue(
        &mut self,
        encode: &impl Encode,
        opts: RequestOptions,
        now: &mut Now,
        glue: Glue,
    ) -> Result<RequestId, Error> {
        if glue == Glue::Plain && self.batch_open() {
            return Err(Error::Invalid(
                "an nfnetlink batch is being queued (submit_item): end it first".into(),
            ));
        }
        // Straight into the queue's free tail when it has room for a
        // chunk (no copy); a larger request goes through scratch.
        let direct = match self.queue.spare(MAX_CHUNK) {
            Some(spare) => {
                let mut w = MsgWriter::new(spare);
                match encode.encode(&mut w) {
                    Ok(r) => Some((r.msg.len(), r.expect, w.len())),
                    Err(nl_proto::EncodeError::BufferFull { .. }) => None,
                    Err(e) => return Err(e.into()),
                }
            }
            None => None,
        };
        let (len, expect, size) = if let Some(encoded) = direct {
            encoded
        } else {
            self.encode_scratch(encode)?
        };
        let bytes = if direct.is_some() {
            self.queue.spare_bytes(size)
        } else {
            &self.scratch[..size]
        };
        // A delimiter outside a batch the queue knows as one would open or
        // close a batch the kernel sees but the pipeline does not.
        let delimiters = "nfnetlink batch delimiters go through submit_batch or submit_item";
        let glued = match (glue, expect) {
            (Glue::Plain, Expect::BatchBegin | Expect::BatchEnd) => {
                return Err(Error::Invalid(delimiters.into()));
            }
            (Glue::Item, Expect::BatchEnd) => {
                return Err(Error::Invalid(
                    "an nfnetlink batch ends that never began".into(),
                ));
            }
            (Glue::Item, Expect::BatchBegin) | (Glue::Span, _) => true,
            (Glue::Plain | Glue::Item | Glue::Barrier, _) => false,
        };
        // The session checks this again on send; checking here means a
        // queued request can always be submitted, so it never blocks the
        // queue.
        match Msg::parse(bytes) {
            Ok((msg, _)) if msg.header().len() as usize == len && len <= size => {}
            Ok(_) | Err(_) => {
                return Err(Error::Session(SessionError::NotARequest(
                    DecodeError::BadLength {
                        what: "encoded request",
                        len,
                    },
                )));
            }
        }
        // A batch member's cost is set to 0 by submit_batch: members are
        // answered only when they fail, BATCH_BEGIN only when the kernel
        // refuses the batch; the barrier after it is an Ack.
        let cost = opts.cost.unwrap_or_else(|| answer_cost(expect));
        let id = RequestId(self.next_id);
        let entry = queue::Queued {
            id,
            len,
            size,
            glued,
            expect,
            cost,
            begin: false,
            dead: false,
        };
        let grow = glued || glue == Glue::Barrier;
        let queued = if direct.is_some() {
            self.queue.commit(entry, grow)
        } else {
            self.queue.push(entry, &self.scratch[..size], grow)
        };
        if !queued {
            return Err(Error::Encode(nl_proto::EncodeError::BufferFull {
                need: size,
                have: self.queue.room(),
            }));
        }
        if self.scratch.len() > MAX_CHUNK {
            self.scratch = vec![0; MAX_CHUNK];
        }
        self.next_id += 1;
        self.stats.submitted += 1;
        let (deadline, timeout) = match opts.deadline {
            // A default deadline may be late by a few milliseconds, not
            // early: from the coarse clock, unless the call read the
            // precise one already.
            DeadlineOpt::Default => match self.default_timeout {
                Some(t) => (
                    now.0
                        .unwrap_or_else(|| self.clock.not_before_now())
                        .checked_add(t),
                    t,
                ),
                None => (None, Duration::ZERO),
            },
            DeadlineOpt::After(t) => (now.get().checked_add(t), t),
            DeadlineOpt::At(at) => (Some(at), at.saturating_duration_since(now.get())),
            DeadlineOpt::Never => (None, Duration::ZERO),
        };
        if let Some(at) = deadline {
            self.deadlines.push(at, id);
            self.compact_deadlines();
        }
        self.reqs.insert(
            id,
            Req {
                expect,
                cost,
                deadline,
                timeout,
                seq: None,
                replies: Vec::new(),
                count: 0,
                replies_mode: opts.replies,
                failure: None,
                expired: false,
                role: Role::Plain,
                counted: false,
                peeked: false,
            },
        );
        Ok(id)
    }

    /// Encode a request into scratch, growing it for a large one up to
    /// what a datagram can be. Returns the message length, what it
    /// expects, and the bytes it took.
    fn encode_scratch(&mut self, encode: &impl Encode) -> Result<(usize, Expect, usize), Error> {
        loop {
            let mut w = MsgWriter::new(&mut self.scratch);
            let encoded = encode.encode(&mut w).map(|r| (r.msg.len(), r.expect));
            let size = w.len();
            match encoded {
                Ok((len, expect)) => return Ok((len, expect, size)),
                // One large request (a big nf_tables set): more room, up
                // to what a datagram can be.
                Err(nl_proto::EncodeError::BufferFull { .. })
                    if self.scratch.len() < MAX_REQUEST =>
                {
                    let grown = (self.scratch.len() * 4).min(MAX_REQUEST);
                    self.scratch.resize(grown, 0);
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Requests waiting in the send queue.
    pub fn queued(&self) -> usize {
        self.queue.entries.len()
    }

    /// Requests sent whose answers are awaited (including timed-out ones
    /// whose late answers are still expected).
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Whether an answer is awaited: a request is in flight, or the
    /// resynchronising barrier. A blocking driver waits only then.
    pub fn awaits_answers(&self) -> bool {
        self.in_flight > 0 || matches!(self.resync, Resync::Sent(..))
    }

    /// Whether an overflow waits for its resynchronisation: the driver
    /// empties the receive queue (reads to `EAGAIN`) before the barrier
    /// can go.
    pub(crate) fn resync_pending(&self) -> bool {
        matches!(self.resync, Resync::Pending(_))
    }

    /// Forget every request, queued or in flight, without completing any:
    /// answers to them, if they come, are dropped as strays. For a driver
    /// that gave up on a call and reported one error for all of it.
    pub fn abandon_all(&mut self) {
        let _ = self.session.abort_all().count();
        let capacity = self.queue.capacity;
        self.queue = SendQueue::new(capacity);
        self.staged = Staged::default();
        self.reqs.clear();
        self.by_seq.clear();
        self.deadlines = Deadlines::default();
        self.completions.clear();
        self.in_flight = 0;
        self.in_flight_cost = 0;
        self.peeked = 0;
        self.dump = None;
        self.expired = 0;
        self.resync = Resync::Idle;
        self.span = batch::Span::Closed;
    }

    /// Whether any request has not completed yet.
    pub fn is_busy(&self) -> bool {
        self.reqs.len() > self.expired
    }

    /// Whether [`poll_transmit`](Self::poll_transmit) would return a chunk
    /// now: the queue is not empty and its front fits the budget, or the
    /// pipeline resynchronises. A driver wants writable readiness only
    /// while this holds.
    pub fn wants_send(&self) -> bool {
        if matches!(self.resync, Resync::Pending(_)) {
            return true;
        }
        let u = self.unit(0);
        // A unit whose requests all timed out is dropped on the next poll.
        u.entries > 0
            && !u.open
            && (u.live < u.entries || self.admits(&u, 0, self.in_flight_cost, self.dump.is_some()))
    }

    /// Whether the driver should peek each datagram's size and grow its
    /// receive buffer to it before receiving (`MSG_PEEK | MSG_TRUNC`, one
    /// more system call): while a dump (whose parts hold messages of any
    /// size) or a request declared large is in flight, and always once a
    /// datagram was cut short. Otherwise answers fit a 64 KiB buffer:
    /// acknowledgements echo only the request header (`NETLINK_CAP_ACK`),
    /// and most single objects are far smaller.
    pub fn wants_peek(&self) -> bool {
        self.always_peek || self.peeked > 0
    }

    /// The next chunk of queued requests to send as one datagram, with
    /// their sequence numbers stamped, or `None` when nothing may be sent
    /// now (queue empty, budget full, or a dump waiting for the one in
    /// flight). Calling it again before the verdict returns the same chunk.
    pub fn poll_transmit(&mut self) -> Option<&[u8]> {
        if self.staged.entries == 0 && !self.staged.resync {
            self.stage_resync();
        }
        if self.staged.resync {
            return Some(&self.resync_msg);
        }
        if self.staged.entries == 0 {
            self.stage();
        }
        if self.staged.entries == 0 || self.staged.bytes == 0 {
            return None;
        }
        let head = self.queue.head;
        Some(&self.queue.buf[head..head + self.staged.bytes])
    }

    /// What the socket must take for the chunk
    /// [`poll_transmit`](Self::poll_transmit) returned, when that may be
    /// more than a socket takes by default: an nfnetlink batch (its
    /// datagram and an error answer per member), or a datagram larger
    /// than [`MAX_CHUNK`] (one large request). `None` for anything else.
    pub fn staged_room(&self) -> Option<Room> {
        (self.staged.batch > 0 || self.staged.bytes > MAX_CHUNK).then(|| Room {
            datagram: self.staged.bytes,
            answers: self.staged.batch * FAILURE_COST + ANSWER_COST,
        })
    }

    /// Stage the resynchronising barrier, if one is due.
    fn stage_resync(&mut self) {
        if !matches!(self.resync, Resync::Pending(_)) {
            return;
        }
        let mut w = MsgWriter::new(&mut self.resync_msg);
        let Ok(req) = encode_barrier(&mut w) else {
            return;
        };
        // With the table full (every slot a suspect), the barrier waits
        // until answers or timeouts free one.
        if let Ok(seq) = self.session.submit(req) {
            self.staged.resync = true;
            self.staged.reqs.push((RequestId(u64::MAX), seq));
        }
    }

    /// The chunk from [`poll_transmit`](Self::poll_transmit) was sent: its
    /// requests are now in flight.
    pub fn sent(&mut self) {
        let staged = std::mem::take(&mut self.staged);
        if staged.resync {
            if let (Resync::Pending(suspects), Some(&(_, seq))) =
                (std::mem::take(&mut self.resync), staged.reqs.first())
            {
                self.resync = Resync::Sent(seq, suspects);
            }
            return;
        }
        if staged.entries > 0 {
            self.stats.sends += 1;
        }
        for _ in 0..staged.entries {
            self.queue.pop();
        }
        let mut reqs = staged.reqs;
        for (id, seq) in reqs.drain(..) {
            let Some(r) = self.reqs.get_mut(&id) else {
                continue;
            };
            let member = matches!(r.role, Role::Member);
            if r.expect == Expect::Nothing && !member {
                // Nothing will answer it: done once sent.
                self.finish(id, End::Done { interrupted: false }, Some(Outcome::Sent));
                continue;
            }
            r.seq = Some(seq);
            // A member is answered only if it fails, and the batch ends
            // with its barrier: it takes no place in flight.
            if !member {
                r.counted = true;
                self.in_flight_cost += r.cost;
                self.in_flight += 1;
                if r.expect == Expect::Dump || r.cost > ANSWER_COST {
                    r.peeked = true;
                    self.peeked += 1;
                }
            }
            if r.expect == Expect::Dump {
                self.dump = Some(id);
            }
            self.by_seq.insert(seq.0, id);
        }
        // Its storage serves the next chunk: no allocation per send.
        self.staged.reqs = reqs;
    }

    /// Sending the chunk would have blocked (`EWOULDBLOCK`): its requests
    /// stay at the front of the queue, and are sent again (with new
    /// sequence numbers) by the next [`poll_transmit`](Self::poll_transmit).
    pub fn send_blocked(&mut self) {
        let staged = std::mem::take(&mut self.staged);
        if staged.entries > 0 {
            self.stats.blocked_sends += 1;
        }
        for (_, seq) in staged.reqs {
            self.session.cancel(seq);
        }
    }

    /// Sending the chunk failed with `error`: each of its requests fails
    /// with it.
    pub fn send_failed(&mut self, error: &std::io::Error) {
        self.send_refused(&|| Error::io("send netlink request", error));
    }

    /// The chunk cannot be sent (e.g. the socket cannot take a datagram
    /// that large): each of its requests fails with `error()`.
    pub fn send_refused(&mut self, error: &dyn Fn() -> Error) {
        let staged = std::mem::take(&mut self.staged);
        if staged.resync {
            for (_, seq) in staged.reqs {
                self.session.cancel(seq);
            }
            // Nothing will tell what became of the suspects.
            if let Resync::Pending(suspects) = std::mem::take(&mut self.resync) {
                self.fail_lost(suspects);
            }
            return;
        }
        for _ in 0..staged.entries {
            self.queue.pop();
        }
        let mut batch = None;
        for (id, seq) in staged.reqs {
            self.session.cancel(seq);
            if let Some(r) = self.reqs.get(&id) {
                match r.role {
                    Role::Begin(_) => batch = Some(id),
                    Role::Member => continue,
                    _ => {}
                }
            }
            if batch != Some(id) {
                self.finish(id, End::Failed(error()), None);
            }
        }
        // Its barrier, queued next, is not sent: the batch ends here.
        if let Some(begin) = batch {
            let barrier = self.queue.entries.front().map(|q| q.id);
            if let Some(b) = barrier.filter(|b| {
                self.reqs
                    .get(b)
                    .is_some_and(|r| matches!(r.role, Role::Barrier { begin: x } if x == begin))
            }) {
                self.queue.kill(b);
                self.reqs.remove(&b);
            }
            self.end_batch(begin, Some(&|_| error()));
        }
    }

    /// Feed one received datagram and its sender address (`recvfrom`'s).
    pub fn handle_datagram(&mut self, datagram: &[u8], src: Source) {
        self.stats.datagrams += 1;
        let mut framing = None;
        for event in self.session.feed(datagram, src) {
            let event = match event {
                Ok(ev) => ev,
                Err(e) => {
                    framing = Some(e);
                    break;
                }
            };
            match event {
                Event::Reply { seq, msg } => {
                    let Some(r) = self.by_seq.get(&seq.0).and_then(|id| self.reqs.get_mut(id))
                    else {
                        continue;
                    };
                    if r.expired || r.failure.is_some() {
                        continue;
                    }
                    match &mut r.replies_mode {
                        ReplyMode::Stream(f) => r.failure = f(&msg).err().map(Box::new),
                        ReplyMode::Collect => {
                            append_msg(&mut r.replies, &msg);
                            r.count += 1;
                        }
                        ReplyMode::Discard => r.count += 1,
                    }
                }
                Event::Ack { seq } => self.ends.push((seq, End::Acked)),
                Event::Done { seq, interrupted } => {
                    self.ends.push((seq, End::Done { interrupted }))
                }
                Event::Failed { seq, error } => self.ends.push((
                    seq,
                    End::Failed(Error::Kernel {
                        error: Box::new(error.to_owned()),
                        context: None,
                    }),
                )),
                Event::Unreadable { seq, error } => {
                    self.ends.push((seq, End::Failed(Error::Decode(error))))
                }
                Event::Overrun { seq } => {
                    // The kernel lost part of this answer; the request still
                    // ends with its ack or error, then fails.
                    if let Some(r) = self.by_seq.get(&seq.0).and_then(|id| self.reqs.get_mut(id)) {
                        r.failure
                            .get_or_insert_with(|| Box::new(Error::Overflow { lost: 1 }));
                    }
                }
                Event::Notification { .. } => self.stats.notifications += 1,
                Event::Stray { .. } | Event::Foreign { .. } => self.stats.stray += 1,
                _ => self.stats.stray += 1,
            }
        }
        let mut ends = std::mem::take(&mut self.ends);
        for (seq, end) in ends.drain(..) {
            if matches!(self.resync, Resync::Sent(s, _) if s == seq) {
                self.end_resync();
            } else if let Some(id) = self.by_seq.get(&seq.0).copied() {
                self.end(id, end);
            }
        }
        self.ends = ends;
        if let Some(e) = framing {
            // Nothing after a framing error can be located, so any request
            // may have lost its answer in the rest of the datagram.
            let lost: Vec<Seq> = self.session.abort_all().collect();
            self.fail_all(lost, &|_| Error::Decode(e));
        }
    }

    /// The final answer of request `id` (or any answer of a batch member).
    fn end(&mut self, id: RequestId, end: End) {
        let Some(r) = self.reqs.get_mut(&id) else {
            return;
        };
        if matches!(r.role, Role::Plain) {
            if r.expired {
                self.stats.late_answers += 1;
            }
            self.finish(id, end, None);
        } else {
            self.end_in_batch(id, end);
        }
    }

    /// The kernel dropped answers (`ENOBUFS` from `recv`). The driver
    /// then keeps receiving until `EWOULDBLOCK` (the kernel drops every
    /// later answer to a socket that overflowed until its queue has been
    /// emptied once), feeding what it reads as usual: answers that made it
    /// still end their requests.
    ///
    /// A dump in flight fails at once with [`Error::Overflow`] (a read:
    /// repeat it); the rest of its parts are dropped as strays. For every
    /// other request in flight the pipeline resynchronises: the next
    /// [`poll_transmit`](Self::poll_transmit) is a barrier, and when the
    /// kernel answers it, each of those requests still waiting fails with
    /// [`Error::OutcomeUnknown`] (the kernel handled it, its answer was
    /// lost; a batch whose errors partly survived is reported as
    /// aborted, naming the first). Queued requests are unaffected.
    ///
    /// The answers were larger than budgeted, so the budget is halved (not
    /// below [`MIN_BUDGET`]) for what follows; [`set_budget`](Self::set_budget)
    /// restores it.
    pub fn handle_overflow(&mut self) {
        self.stats.overflows += 1;
        self.budget = (self.budget / 2).max(MIN_BUDGET.min(self.budget));
        if let Some(id) = self.dump {
            if let Some(seq) = self.reqs.get(&id).and_then(|r| r.seq) {
                self.session.cancel(seq);
            }
            self.finish(id, End::Failed(Error::Overflow { lost: 1 }), None);
        }
        let mut suspects = match std::mem::take(&mut self.resync) {
            Resync::Idle => Vec::new(),
            Resync::Pending(s) => s,
            // Its answer may be lost too: send another.
            Resync::Sent(seq, s) => {
                self.session.cancel(seq);
                s
            }
        };
        suspects.extend(self.by_seq.values().copied().filter(|id| {
            self.reqs
                .get(id)
                .is_some_and(|r| !matches!(r.role, Role::Member | Role::Begin(_)))
        }));
        // In the order they were submitted, whatever the map's order.
        suspects.sort_unstable();
        suspects.dedup();
        self.resync = Resync::Pending(suspects);
    }

    /// The resynchronising barrier was answered: whatever of the suspects
    /// is still waiting lost its answer.
    fn end_resync(&mut self) {
        if let Resync::Sent(_, suspects) = std::mem::take(&mut self.resync) {
            self.fail_lost(suspects);
        }
    }

    /// Fail each of `ids` still waiting: its answer was lost.
    fn fail_lost(&mut self, ids: Vec<RequestId>) {
        let lost: Vec<Seq> = ids
            .into_iter()
            .filter_map(|id| self.reqs.get(&id).and_then(|r| r.seq))
            .collect();
        for &seq in &lost {
            self.session.cancel(seq);
        }
        self.fail_all(lost, &|id| Error::OutcomeUnknown { request: id.0 });
    }

    /// Fail the requests of `lost` (seqs the session forgot), and the
    /// members of any batch among them.
    fn fail_all(&mut self, lost: Vec<Seq>, error: &dyn Fn(RequestId) -> Error) {
        for seq in lost {
            let Some(id) = self.by_seq.get(&seq.0).copied() else {
                continue;
            };
            match self.reqs.get(&id).map(|r| &r.role) {
                Some(Role::Begin(_)) => self.end_batch(id, Some(error)),
                Some(&Role::Barrier { begin }) => {
                    self.finish(id, End::Acked, None);
                    // The session may have forgotten the batch already (a
                    // refusal ends it): its requests end here.
                    self.end_batch(begin, Some(error));
                }
                _ => self.finish(id, End::Failed(error(id)), None),
            }
        }
    }

    /// A datagram of `len` bytes was larger than the receive buffer
    /// (`MSG_TRUNC`); `prefix` is what the buffer holds of it. The session
    /// tells whose answer it was ([`Session::cut_short`]): a reply nobody
    /// reads is skipped (its ack still comes), a reply that was to be read
    /// fails its request with [`Error::Truncated`] when it ends, and a cut
    /// acknowledgement or dump part fails its request at once. The driver
    /// peeks from then on ([`wants_peek`](Self::wants_peek)).
    pub fn handle_truncated(&mut self, prefix: &[u8], src: Source, len: usize) {
        self.stats.truncated += 1;
        self.always_peek = true;
        let error = || Error::Truncated {
            len,
            cap: prefix.len(),
        };
        let Some(cut) = self.session.cut_short(prefix, src) else {
            // Another process's, or an answer nobody waits for.
            self.stats.stray += 1;
            return;
        };
        let Some(id) = self.by_seq.get(&cut.seq.0).copied() else {
            self.stats.stray += 1;
            return;
        };
        let Some(r) = self.reqs.get_mut(&id) else {
            return;
        };
        match cut.lost {
            Lost::Reply => {
                if !matches!(r.replies_mode, ReplyMode::Discard) && !r.expired {
                    r.failure.get_or_insert_with(|| Box::new(error()));
                }
            }
            _ => {
                self.session.cancel(cut.seq);
                self.fail_all(vec![cut.seq], &|_| error());
            }
        }
    }

    /// Release what a request held once nothing more will come for it.
    fn release(&mut self, id: RequestId, r: Option<Req>) {
        let Some(r) = r else { return };
        if let Some(seq) = r.seq {
            self.by_seq.remove(&seq.0);
        }
        if r.counted {
            self.in_flight_cost = self.in_flight_cost.saturating_sub(r.cost);
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        if r.peeked {
            self.peeked -= 1;
        }
        if self.dump == Some(id) {
            self.dump = None;
        }
    }

    /// End request `id`: queue its completion (unless it had already
    /// completed as a timeout) and release what it held.
    fn finish(&mut self, id: RequestId, end: End, outcome: Option<Outcome>) {
        let Some(mut r) = self.reqs.remove(&id) else {
            return;
        };
        if r.expired {
            self.expired -= 1;
        }
        let replies = std::mem::take(&mut r.replies);
        let (expired, failure, count) = (r.expired, r.failure.take(), r.count);
        let internal = matches!(r.role, Role::Barrier { .. });
        let collected = matches!(r.replies_mode, ReplyMode::Collect);
        self.release(id, Some(r));
        self.drop_stale_deadlines();
        if expired || internal {
            // Its completion (a timeout) was queued when it expired.
            return;
        }
        let count = if collected { count } else { 0 };
        let result = match (end, failure) {
            (End::Failed(e), _) => Err(e),
            (_, Some(e)) => Err(*e),
            (End::Acked, None) => Ok(Answer::new(
                outcome.unwrap_or(Outcome::Acked),
                replies,
                count,
            )),
            (End::Done { interrupted }, None) => Ok(Answer::new(
                outcome.unwrap_or(Outcome::Done { interrupted }),
                replies,
                count,
            )),
        };
        self.completions.push_back((id, result));
    }

    /// The next completed request, if any: each request completes exactly
    /// once, in the order they ended.
    pub fn poll_completion(&mut self) -> Option<(RequestId, Result<Answer, Error>)> {
        self.completions.pop_front()
    }

    /// Counters since creation.
    pub fn stats(&self) -> Stats {
        self.stats
    }
}

/// The most room one encoded request may take (a datagram's practical
/// limit; the kernel's is the send buffer).
const MAX_REQUEST: usize = 16 << 20;

/// Hashes the small integer keys of the pipeline's maps (request ids,
/// sequence numbers) with one multiplication: they are assigned by us, not
/// chosen by an adversary, and the maps sit on the per-message path.
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IdHash = BuildHasherDefault<IdHasher>;
