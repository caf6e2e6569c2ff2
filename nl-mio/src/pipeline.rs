//! The I/O-free request pipeline: a send queue, the session, deadlines and
//! completed results. [`Conn`](crate::Conn) pairs it with a socket; any
//! other loop (epoll, io_uring) can drive it the same way.

use crate::answer::{Answer, RequestId, append_msg};
use crate::deadlines::Deadlines;
use nl_proto::nfnl::batch::encode_barrier;
use nl_proto::session::{Event, Expect, Request, Session, Source};
use nl_proto::wire::{Msg, MsgWriter, OwnedKernelError, Seq};
use nl_proto::{DecodeError, SessionError};
use nl_rustix::{Encode, Error, Outcome};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

/// Requests in flight at once (the session's table).
pub const MAX_IN_FLIGHT: usize = nl_rustix::MAX_IN_FLIGHT;
/// The timeout a request gets unless its [`RequestOptions`] say otherwise.
pub const DEFAULT_TIMEOUT: Duration = nl_rustix::DEFAULT_TIMEOUT;
/// Bytes of encoded requests the send queue holds by default: 4 MiB.
pub const DEFAULT_QUEUE_BYTES: usize = 4_194_304;
/// The most bytes put into one `sendmsg` (one datagram of requests).
pub const MAX_CHUNK: usize = 64 * 1024;
/// What a non-dump request's answer is budgeted at in the receive buffer
/// (a GET's reply and its ack): nl-rustix's
/// [`answer_cost`](nl_rustix::answer_cost), which its batches use too.
pub const ANSWER_COST: usize = nl_rustix::answer_cost(Expect::Ack);
/// What a dump is budgeted at: the part the kernel builds during
/// `sendmsg`, and the next one it builds while the queue is below half
/// the buffer.
pub const DUMP_COST: usize = nl_rustix::answer_cost(Expect::Dump);
/// The least [`Pipeline::handle_overflow`] shrinks the budget to: a few
/// answers in flight.
pub const MIN_BUDGET: usize = 4 * ANSWER_COST;
/// How long a request that timed out while in flight is still tracked, so
/// that its late answer is recognised and dropped (and its receive budget
/// released) instead of being mistaken for nothing.
pub const LATE_ANSWER_GRACE: Duration = Duration::from_secs(30);

/// Called with each reply message of a streaming request as it arrives.
type OnReply = Box<dyn FnMut(&Msg<'_>) -> Result<(), Error> + Send>;

/// Per-request settings for [`Pipeline::submit_with`].
///
/// ```
/// use nl_mio::RequestOptions;
/// use std::time::Duration;
/// let opts = RequestOptions::new()
///     .timeout(Duration::from_millis(500))
///     .answer_cost(16 * 1024);
/// # let _ = opts;
/// ```
#[derive(Default)]
#[must_use]
pub struct RequestOptions {
    deadline: DeadlineOpt,
    cost: Option<usize>,
    on_reply: Option<OnReply>,
}

#[derive(Debug, Default, Clone, Copy)]
enum DeadlineOpt {
    #[default]
    Default,
    After(Duration),
    At(Instant),
    Never,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestOptions")
            .field("deadline", &self.deadline)
            .field("cost", &self.cost)
            .field("on_reply", &self.on_reply.is_some())
            .finish()
    }
}

impl RequestOptions {
    /// The defaults: the pipeline's timeout, the cost its expectation
    /// implies, replies collected into the [`Answer`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Fail the request with [`Error::Timeout`] if it has not ended
    /// `timeout` after it was submitted.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.deadline = DeadlineOpt::After(timeout);
        self
    }

    /// Fail the request with [`Error::Timeout`] if it has not ended by
    /// `deadline`.
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = DeadlineOpt::At(deadline);
        self
    }

    /// No deadline: the request waits as long as it takes.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = DeadlineOpt::Never;
        self
    }

    /// Budget the answer at `bytes` of the receive buffer instead of
    /// [`ANSWER_COST`] / [`DUMP_COST`] (e.g. a GET of a link with hundreds
    /// of VFs, whose reply alone is tens of KiB).
    pub fn answer_cost(mut self, bytes: usize) -> Self {
        self.cost = Some(bytes);
        self
    }

    /// Hand each reply message to `on_reply` as it arrives instead of
    /// collecting it: a dump of any size then runs in constant memory, and
    /// the final [`Answer`] holds no replies. An error from `on_reply`
    /// fails the request (the rest of its answer is read and dropped).
    pub fn on_reply(
        mut self,
        on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error> + Send + 'static,
    ) -> Self {
        self.on_reply = Some(Box::new(on_reply));
        self
    }
}

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
    on_reply: Option<OnReply>,
    /// A reply handler failed; reported when the request ends.
    failure: Option<Error>,
    /// Completed as a timeout; its answer is dropped when it comes.
    expired: bool,
    /// What part it plays in an nfnetlink batch, if any.
    role: Role,
    /// Counted in the requests and answer budget in flight.
    counted: bool,
}

/// A request's part in an nfnetlink batch (see
/// [`Pipeline::submit_batch`]).
enum Role {
    /// Not in a batch.
    Plain,
    /// `BATCH_BEGIN`: stands for the batch in the session.
    Begin {
        /// Every request of the batch in order, this one first.
        members: Vec<RequestId>,
        /// The kernel refused the batch as a whole.
        refused: Option<Result<Box<OwnedKernelError>, DecodeError>>,
    },
    /// A later request of the batch (`BATCH_END` too): answered by the
    /// kernel only if it fails.
    Member,
    /// The request sent after the batch's datagram: once it is answered,
    /// the kernel has said all it will about the batch.
    Barrier { begin: RequestId },
}

/// One encoded request waiting in the send queue.
#[derive(Debug, Clone, Copy)]
struct Queued {
    id: RequestId,
    /// The message length (`nlmsg_len`).
    len: usize,
    /// Bytes it occupies in the queue (aligned).
    size: usize,
    /// It must go in the same datagram as the next entry (a batch span).
    glued: bool,
    /// Copies of what staging needs from the request, so that it reads
    /// the queue only (contiguous) and not the request map.
    expect: Expect,
    cost: usize,
    /// It opens a batch.
    begin: bool,
    /// It completed (timed out) while queued: never sent.
    dead: bool,
}

/// Encoded requests back to back in caller-sized storage: sent from the
/// front as contiguous chunks, so a chunk is one `sendmsg` with no copy.
struct SendQueue {
    buf: Vec<u8>,
    head: usize,
    tail: usize,
    entries: VecDeque<Queued>,
}

impl SendQueue {
    fn new(capacity: usize) -> Self {
        Self {
            buf: vec![0; capacity],
            head: 0,
            tail: 0,
            entries: VecDeque::new(),
        }
    }

    /// Append an encoded message, compacting first if the free tail is too
    /// short. Returns false when it does not fit at all.
    fn push(&mut self, entry: Queued, bytes: &[u8]) -> bool {
        let size = bytes.len();
        if self.buf.len() - self.tail < size {
            if self.buf.len() - (self.tail - self.head) < size {
                return false;
            }
            self.buf.copy_within(self.head..self.tail, 0);
            self.tail -= self.head;
            self.head = 0;
        }
        self.buf[self.tail..self.tail + size].copy_from_slice(bytes);
        self.tail += size;
        self.entries.push_back(Queued { size, ..entry });
        true
    }

    /// Mark request `id`'s entry dead, if it is queued. Entries are in id
    /// order, so this is a binary search.
    fn kill(&mut self, id: RequestId) {
        if let Ok(i) = self.entries.binary_search_by_key(&id, |q| q.id) {
            self.entries[i].dead = true;
        }
    }

    /// Take the newest entry back out (a batch that did not fit).
    fn pop_back(&mut self) -> Option<Queued> {
        let q = self.entries.pop_back()?;
        self.tail -= q.size;
        if self.entries.is_empty() {
            self.head = 0;
            self.tail = 0;
        }
        Some(q)
    }

    fn pop(&mut self) {
        if let Some(q) = self.entries.pop_front() {
            self.head += q.size;
        }
        if self.entries.is_empty() {
            self.head = 0;
            self.tail = 0;
        }
    }
}

/// Queue entries that go out together: one request, or a batch span.
#[derive(Debug, Default)]
struct Unit {
    /// A batch span: sent as a datagram of its own.
    batch: bool,
    entries: usize,
    bytes: usize,
    /// Entries whose request has not completed (timed out) while queued.
    live: usize,
    cost: usize,
    dumps: usize,
}

/// The chunk handed out by [`Pipeline::poll_transmit`], awaiting the
/// driver's verdict.
#[derive(Debug, Default)]
struct Staged {
    /// (id, seq) of each request in it, in queue order.
    reqs: Vec<(RequestId, Seq)>,
    /// Queue entries it spans (including none skipped).
    entries: usize,
    bytes: usize,
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
    /// were abandoned after `ENOBUFS`, or after their grace period).
    pub stray: u64,
    /// Multicast messages (a request socket joins no group, so normally 0).
    pub notifications: u64,
    /// `ENOBUFS` reports: the kernel dropped answers.
    pub overflows: u64,
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
/// - [`submit`](Self::submit) / [`submit_with`](Self::submit_with): encode
///   a request into the send queue. Nothing is sent yet.
/// - [`poll_transmit`](Self::poll_transmit): the next chunk of queued
///   requests to send as **one** datagram (`sendmsg` to the kernel), or
///   `None`. After sending it, call exactly one of [`sent`](Self::sent),
///   [`send_blocked`](Self::send_blocked) (`EWOULDBLOCK`: the requests stay
///   queued, try again when writable) or [`send_failed`](Self::send_failed).
/// - [`handle_datagram`](Self::handle_datagram): every datagram received,
///   with its sender address. On `ENOBUFS` from `recv`, call
///   [`handle_overflow`](Self::handle_overflow): every request in flight
///   fails with [`Error::Overflow`] (the kernel dropped answers, and which
///   ones is unknowable). Receive until `EWOULDBLOCK` before waiting again.
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
/// use nl_mio::{Outcome, Pipeline};
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
    reqs: HashMap<RequestId, Req, IdHash>,
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
    /// The dump in flight, if any.
    dump: Option<RequestId>,
    /// Requests in `reqs` that completed as timeouts and wait for their
    /// late answers.
    expired: usize,
    stats: Stats,
    /// Scratch for the ends of one datagram, processed after it is fed.
    ends: Vec<(Seq, End)>,
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
        Self {
            session: Box::new(Session::with_first_seq(first)),
            queue: SendQueue::new(DEFAULT_QUEUE_BYTES),
            scratch: vec![0; MAX_CHUNK],
            staged: Staged::default(),
            reqs: HashMap::default(),
            by_seq: HashMap::default(),
            deadlines: Deadlines::default(),
            completions: VecDeque::new(),
            next_id: 0,
            default_timeout: Some(DEFAULT_TIMEOUT),
            budget,
            in_flight_cost: 0,
            in_flight: 0,
            dump: None,
            expired: 0,
            stats: Stats::default(),
            ends: Vec::new(),
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

    /// Resize the send queue's storage (bytes of encoded requests waiting
    /// to be sent). Only while the queue is empty; returns whether it did.
    pub fn set_queue_capacity(&mut self, bytes: usize) -> bool {
        if !self.queue.entries.is_empty() || self.staged.entries != 0 {
            return false;
        }
        self.queue = SendQueue::new(bytes);
        true
    }

    /// Queue a request with the default options; see
    /// [`submit_with`](Self::submit_with).
    ///
    /// # Errors
    ///
    /// As [`submit_with`](Self::submit_with).
    pub fn submit(&mut self, encode: impl Encode) -> Result<RequestId, Error> {
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
        encode: impl Encode,
        opts: RequestOptions,
    ) -> Result<RequestId, Error> {
        self.enqueue(encode, opts, Instant::now(), false)
    }

    /// A delimiter outside [`submit_batch`](Self::submit_batch) would open
    /// or close a batch that the queue does not know as one.
    fn check_plain(expect: Expect) -> Result<(), Error> {
        match expect {
            Expect::BatchBegin | Expect::BatchEnd => Err(Error::Invalid(
                "nfnetlink batch delimiters go through submit_batch".into(),
            )),
            _ => Ok(()),
        }
    }

    /// Queue an nfnetlink batch: `BATCH_BEGIN`, the messages, `BATCH_END`
    /// (as [`nl_proto::nfnl::batch`] encodes them), sent as **one**
    /// datagram of its own whatever the budget (the kernel aborts a batch
    /// cut before its end, and ignores what follows it), then a barrier
    /// that tells when the kernel has said all it will about it.
    ///
    /// Each request gets its own id and completion, all at once when the
    /// barrier is answered: if the kernel committed the batch, `Ok` (the
    /// delimiters with [`Outcome::Sent`], the others [`Outcome::Acked`]);
    /// if not, each failing request its own error and the others
    /// [`Error::BatchAborted`] naming the first that failed (its index in
    /// this call); if the kernel refused the whole batch, that refusal for
    /// every request. They share the default deadline. All or nothing: if
    /// one fails to encode or the queue is full, none is queued.
    ///
    /// # Errors
    ///
    /// As [`submit_with`](Self::submit_with), for the first that fails;
    /// [`Error::Invalid`] unless the requests are one `BATCH_BEGIN` …
    /// `BATCH_END` span.
    pub fn submit_batch<E: Encode>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<RequestId>, Error> {
        let now = Instant::now();
        let mut ids = Vec::new();
        let mut failed = None;
        for encode in requests {
            match self.enqueue(encode, RequestOptions::new(), now, true) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let expects: Vec<Expect> = ids
            .iter()
            .filter_map(|id| self.reqs.get(id).map(|r| r.expect))
            .collect();
        let framed = expects.first() == Some(&Expect::BatchBegin)
            && expects.last() == Some(&Expect::BatchEnd)
            && expects.len() >= 2
            && expects[1..expects.len() - 1]
                .iter()
                .all(|e| !matches!(e, Expect::BatchBegin | Expect::BatchEnd));
        let failed = failed.or_else(|| {
            (!framed).then(|| {
                Error::Invalid("a batch is one BATCH_BEGIN, its messages, and one BATCH_END".into())
            })
        });
        // The barrier, queued right after the batch (its own datagram).
        let barrier = match failed {
            Some(e) => Err(e),
            None => self.enqueue(encode_barrier, RequestOptions::new(), now, false),
        };
        let barrier = match barrier {
            Ok(id) => id,
            Err(e) => {
                for _ in &ids {
                    if let Some(q) = self.queue.pop_back() {
                        self.reqs.remove(&q.id);
                        self.stats.submitted -= 1;
                    }
                }
                self.drop_stale_deadlines();
                return Err(e);
            }
        };
        let n = self.queue.entries.len();
        if let Some(end) = self.queue.entries.get_mut(n - 2) {
            end.glued = false;
        }
        let begin = ids[0];
        let first = n - 1 - ids.len();
        for (k, q) in self.queue.entries.range_mut(first..n - 1).enumerate() {
            q.begin = k == 0;
            if k > 0 {
                q.cost = 0;
            }
        }
        for id in &ids[1..] {
            if let Some(r) = self.reqs.get_mut(id) {
                r.role = Role::Member;
                r.cost = 0;
            }
        }
        if let Some(r) = self.reqs.get_mut(&begin) {
            r.role = Role::Begin {
                members: ids.clone(),
                refused: None,
            };
        }
        if let Some(r) = self.reqs.get_mut(&barrier) {
            r.role = Role::Barrier { begin };
        }
        self.stats.submitted -= 1;
        Ok(ids)
    }

    fn enqueue(
        &mut self,
        encode: impl Encode,
        opts: RequestOptions,
        now: Instant,
        glued: bool,
    ) -> Result<RequestId, Error> {
        let mut w = MsgWriter::new(&mut self.scratch);
        let req = encode(&mut w)?;
        let (len, expect) = (req.msg.len(), req.expect);
        if !glued {
            Self::check_plain(expect)?;
        }
        let size = w.len();
        // The session checks this again on send; checking here means a
        // queued request can always be submitted, so it never blocks the
        // queue.
        match Msg::parse(&self.scratch[..size]) {
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
        let cost = opts.cost.unwrap_or_else(|| nl_rustix::answer_cost(expect));
        let id = RequestId(self.next_id);
        let entry = Queued {
            id,
            len,
            size,
            glued,
            expect,
            cost,
            begin: false,
            dead: false,
        };
        if !self.queue.push(entry, &self.scratch[..size]) {
            return Err(Error::Encode(nl_proto::EncodeError::BufferFull {
                need: size,
                have: self.queue.buf.len() - (self.queue.tail - self.queue.head),
            }));
        }
        self.next_id += 1;
        self.stats.submitted += 1;
        let (deadline, timeout) = match opts.deadline {
            DeadlineOpt::Default => match self.default_timeout {
                Some(t) => (now.checked_add(t), t),
                None => (None, Duration::ZERO),
            },
            DeadlineOpt::After(t) => (now.checked_add(t), t),
            DeadlineOpt::At(at) => (Some(at), at.saturating_duration_since(now)),
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
                on_reply: opts.on_reply,
                failure: None,
                expired: false,
                role: Role::Plain,
                counted: false,
            },
        );
        Ok(id)
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

    /// Whether any request has not completed yet.
    pub fn is_busy(&self) -> bool {
        self.reqs.len() > self.expired
    }

    /// Whether [`poll_transmit`](Self::poll_transmit) would return a chunk
    /// now: the queue is not empty and its front fits the budget. A driver
    /// wants writable readiness only while this holds.
    pub fn wants_send(&self) -> bool {
        let u = self.unit(0);
        // A unit whose requests all timed out is dropped on the next poll.
        u.entries > 0
            && (u.live < u.entries || self.admits(&u, 0, self.in_flight_cost, self.dump.is_some()))
    }

    /// The next chunk of queued requests to send as one datagram, with
    /// their sequence numbers stamped, or `None` when nothing may be sent
    /// now (queue empty, budget full, or a dump waiting for the one in
    /// flight). Calling it again before the verdict returns the same chunk.
    pub fn poll_transmit(&mut self) -> Option<&[u8]> {
        if self.staged.entries == 0 {
            self.stage();
        }
        if self.staged.entries == 0 || self.staged.bytes == 0 {
            return None;
        }
        let head = self.queue.head;
        Some(&self.queue.buf[head..head + self.staged.bytes])
    }

    /// The queue entries from `from` that must be sent together (one, or
    /// a batch span), with what they need.
    fn unit(&self, from: usize) -> Unit {
        let mut u = Unit::default();
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
                break;
            }
        }
        u
    }

    /// Whether `u` may join a chunk that already holds `staged` requests
    /// with `cost` of answers in flight (counting it) and `dump` running.
    fn admits(&self, u: &Unit, staged_bytes: usize, cost: usize, dump: bool) -> bool {
        // A batch starts its datagram (and `stage` ends it after).
        if staged_bytes > 0 && (u.batch || staged_bytes + u.bytes > MAX_CHUNK) {
            return false;
        }
        // The kernel runs one dump per socket.
        if u.dumps > usize::from(!dump) {
            return false;
        }
        if self.session.pending() + u.live > MAX_IN_FLIGHT {
            return false;
        }
        cost == 0 || cost + u.cost <= self.budget
    }

    fn stage(&mut self) {
        let mut dump = self.dump.is_some();
        let mut cost = self.in_flight_cost;
        let mut offset = self.queue.head;
        loop {
            let u = self.unit(self.staged.entries);
            if u.entries == 0 {
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
                // The kernel ignores what follows a BATCH_END.
                break;
            }
        }
    }

    /// The chunk from [`poll_transmit`](Self::poll_transmit) was sent: its
    /// requests are now in flight.
    pub fn sent(&mut self) {
        let staged = std::mem::take(&mut self.staged);
        if staged.entries > 0 {
            self.stats.sends += 1;
        }
        for _ in 0..staged.entries {
            self.queue.pop();
        }
        for (id, seq) in staged.reqs {
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
            }
            if r.expect == Expect::Dump {
                self.dump = Some(id);
            }
            self.by_seq.insert(seq.0, id);
        }
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
        let staged = std::mem::take(&mut self.staged);
        for _ in 0..staged.entries {
            self.queue.pop();
        }
        for (id, seq) in staged.reqs {
            self.session.cancel(seq);
            let error = Error::io("send netlink request", error);
            self.finish(id, End::Failed(error), None);
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
                    match &mut r.on_reply {
                        Some(f) => r.failure = f(&msg).err(),
                        None => {
                            append_msg(&mut r.replies, &msg);
                            r.count += 1;
                        }
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
                        r.failure.get_or_insert(Error::Overflow { lost: 1 });
                    }
                }
                Event::Notification { .. } => self.stats.notifications += 1,
                Event::Stray { .. } | Event::Foreign { .. } => self.stats.stray += 1,
                _ => self.stats.stray += 1,
            }
        }
        let mut ends = std::mem::take(&mut self.ends);
        for (seq, end) in ends.drain(..) {
            if let Some(id) = self.by_seq.get(&seq.0).copied() {
                self.end(id, end);
            }
        }
        self.ends = ends;
        if let Some(e) = framing {
            // Nothing after a framing error can be located, so any request
            // may have lost its answer in the rest of the datagram.
            let lost: Vec<Seq> = self.session.abort_all().collect();
            self.fail_all(lost, &|| Error::Decode(e));
        }
    }

    /// The final answer of request `id` (or any answer of a batch member).
    fn end(&mut self, id: RequestId, end: End) {
        let Some(r) = self.reqs.get_mut(&id) else {
            return;
        };
        match &mut r.role {
            Role::Plain => {
                if r.expired {
                    self.stats.late_answers += 1;
                }
                self.finish(id, end, None);
            }
            // The kernel answers a member only when it fails; the batch's
            // outcome is known once its barrier is answered.
            Role::Member => {
                if let End::Failed(e) = end {
                    r.failure.get_or_insert(e);
                }
            }
            Role::Begin { refused, .. } => {
                if let End::Failed(e) = end {
                    *refused = Some(match e {
                        Error::Kernel { error, .. } => Ok(error),
                        Error::Decode(d) => Err(d),
                        _ => Err(DecodeError::BadLength {
                            what: "batch refusal",
                            len: 0,
                        }),
                    });
                }
            }
            Role::Barrier { begin } => {
                let begin = *begin;
                self.finish(id, end, None);
                self.end_batch(begin, None);
            }
        }
    }

    /// The kernel has said all it will about the batch opened by `begin`
    /// (its barrier was answered), or its answers were lost (`lost` gives
    /// each request's error): complete every request of it.
    fn end_batch(&mut self, begin: RequestId, lost: Option<&dyn Fn() -> Error>) {
        let Some(r) = self.reqs.get_mut(&begin) else {
            return;
        };
        let Role::Begin { members, refused } = std::mem::replace(&mut r.role, Role::Plain) else {
            return;
        };
        if let Some(seq) = r.seq {
            // Normally forgotten by the session already.
            self.session.cancel(seq);
        }
        let first_failed = members
            .iter()
            .position(|id| self.reqs.get(id).is_some_and(|r| r.failure.is_some()));
        let last = members.len().saturating_sub(1);
        for (i, id) in members.into_iter().enumerate() {
            let own = self.reqs.get(&id).is_some_and(|r| r.failure.is_some());
            let end = match (&refused, first_failed, lost) {
                (_, _, Some(error)) => End::Failed(error()),
                (Some(Ok(e)), _, _) => End::Failed(Error::batch_refused((**e).clone())),
                (Some(Err(d)), _, _) => End::Failed(Error::Decode(*d)),
                // Its own error wins (finish reports `failure`).
                (None, Some(_), _) if own => End::Acked,
                (None, Some(f), _) => End::Failed(Error::BatchAborted { failed: Some(f) }),
                (None, None, _) => End::Acked,
            };
            let outcome = if i == 0 || i == last {
                Outcome::Sent
            } else {
                Outcome::Acked
            };
            self.finish(id, end, Some(outcome));
        }
    }

    /// The kernel dropped answers (`ENOBUFS` from `recv`): every request
    /// in flight fails with [`Error::Overflow`], and later answers to them
    /// are dropped as strays. Queued requests are unaffected.
    ///
    /// The answers were larger than budgeted, so the budget is halved (not
    /// below [`MIN_BUDGET`]) for what follows; [`set_budget`](Self::set_budget)
    /// restores it. The driver then keeps receiving until `EWOULDBLOCK`:
    /// the kernel drops everything for a socket that overflowed until its
    /// queue has been emptied once.
    pub fn handle_overflow(&mut self) {
        self.stats.overflows += 1;
        self.budget = (self.budget / 2).max(MIN_BUDGET.min(self.budget));
        let lost: Vec<Seq> = self.session.abort_all().collect();
        let n = lost
            .iter()
            .filter(|s| {
                self.by_seq
                    .get(&s.0)
                    .and_then(|id| self.reqs.get(id))
                    .is_some_and(|r| !r.expired)
            })
            .count();
        self.fail_all(lost, &|| Error::Overflow { lost: n });
    }

    /// Fail the requests of `lost` (seqs the session forgot), and the
    /// members of any batch among them.
    fn fail_all(&mut self, lost: Vec<Seq>, error: &dyn Fn() -> Error) {
        for seq in lost {
            let Some(id) = self.by_seq.get(&seq.0).copied() else {
                continue;
            };
            match self.reqs.get(&id).map(|r| &r.role) {
                Some(Role::Begin { .. }) => self.end_batch(id, Some(error)),
                Some(&Role::Barrier { begin }) => {
                    self.finish(id, End::Acked, None);
                    // The session may have forgotten the batch already (a
                    // refusal ends it): its requests end here.
                    self.end_batch(begin, Some(error));
                }
                _ => self.finish(id, End::Failed(error()), None),
            }
        }
    }

    /// A datagram larger than the receive buffer lost its tail
    /// (`MSG_TRUNC`): which request it belonged to is unknown, so every
    /// request in flight fails with [`Error::Truncated`].
    pub fn handle_truncated(&mut self, len: usize, cap: usize) {
        let lost: Vec<Seq> = self.session.abort_all().collect();
        self.fail_all(lost, &|| Error::Truncated { len, cap });
    }

    /// The nearest deadline of a request not yet completed (or of a late
    /// answer's grace period): wait no longer than this.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.peek().map(|(at, _)| at)
    }

    /// How long from `now` until [`next_deadline`](Self::next_deadline)
    /// (zero if it passed), for a poll timeout.
    pub fn timeout(&self, now: Instant) -> Option<Duration> {
        self.next_deadline()
            .map(|at| at.saturating_duration_since(now))
    }

    /// Complete every request whose deadline is at or before `now` with
    /// [`Error::Timeout`]. A timed-out request still queued is never sent;
    /// one in flight stays tracked for [`LATE_ANSWER_GRACE`] so that its
    /// answer, if it comes, is dropped.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some((at, id)) = self.deadlines.peek() {
            if at > now {
                break;
            }
            self.deadlines.pop();
            let Some(r) = self.reqs.get_mut(&id).filter(|r| r.deadline == Some(at)) else {
                continue;
            };
            if r.expired {
                // Grace is over: the answer is not coming.
                let r = self.reqs.remove(&id);
                self.expired -= 1;
                if let Some(seq) = r.as_ref().and_then(|r| r.seq) {
                    self.session.cancel(seq);
                }
                self.release(id, r);
                continue;
            }
            let timeout = r.timeout;
            let sent = r.seq.is_some();
            if matches!(r.role, Role::Barrier { .. }) {
                // Internal: it ends with its batch, whose requests have the
                // same deadline and report the timeout.
                if !sent {
                    self.reqs.remove(&id);
                    self.queue.kill(id);
                } else {
                    r.expired = true;
                    self.expired += 1;
                    if let Some(grace) = now.checked_add(LATE_ANSWER_GRACE) {
                        r.deadline = Some(grace);
                        self.deadlines.push(grace, id);
                    }
                }
                continue;
            }
            if sent {
                r.expired = true;
                self.expired += 1;
                r.replies = Vec::new();
                r.on_reply = None;
                if let Some(grace) = now.checked_add(LATE_ANSWER_GRACE) {
                    r.deadline = Some(grace);
                    self.deadlines.push(grace, id);
                }
                self.completions
                    .push_back((id, Err(Error::Timeout(timeout))));
            } else {
                // Still queued: `stage` drops dead entries.
                self.reqs.remove(&id);
                self.queue.kill(id);
                self.completions
                    .push_back((id, Err(Error::Timeout(timeout))));
            }
        }
        self.drop_stale_deadlines();
    }

    /// Pop deadlines of requests that ended, until the nearest is live.
    fn drop_stale_deadlines(&mut self) {
        while let Some((at, id)) = self.deadlines.peek() {
            if self.reqs.get(&id).is_some_and(|r| r.deadline == Some(at)) {
                break;
            }
            self.deadlines.pop();
        }
    }

    /// Rebuild the deadlines without ended requests once those
    /// outnumber the live ones: amortised O(1) per request, and memory
    /// bounded by about twice the requests alive.
    fn compact_deadlines(&mut self) {
        if self.deadlines.len() > 2 * self.reqs.len() + 1024 {
            let reqs = &self.reqs;
            self.deadlines
                .retain(|at, id| reqs.get(&id).is_some_and(|r| r.deadline == Some(at)));
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
        self.release(id, Some(r));
        self.drop_stale_deadlines();
        if expired || internal {
            // Its completion (a timeout) was queued when it expired.
            return;
        }
        let result = match (end, failure) {
            (End::Failed(e), _) | (_, Some(e)) => Err(e),
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

#[cfg(test)]
mod tests {
    //! The pipeline against a scripted kernel: answers are built by hand
    //! for the sequence numbers the pipeline stamped, so these run without
    //! root or a socket.

    use super::*;
    use nl_proto::wire::{Flags, MsgType, Msgs};
    use nl_rustix::EncodeFn;

    const RTM_GETLINK: MsgType = MsgType(18);
    const RTM_NEWLINK: u16 = 16;
    const NLMSG_ERROR: u16 = 2;
    const NLMSG_DONE: u16 = 3;

    fn plain<'w>(
        w: &'w mut MsgWriter<'_>,
        expect: Expect,
    ) -> Result<Request<'w>, nl_proto::EncodeError> {
        let flags = if expect == Expect::Dump {
            Flags::DUMP
        } else {
            Flags::EMPTY
        };
        w.begin(RTM_GETLINK, flags)?;
        w.put_fixed(&[0u8; 16])?;
        Ok(Request::new(w.finish()?, expect))
    }

    fn ack_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        plain(w, Expect::Ack)
    }

    fn dump_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        plain(w, Expect::Dump)
    }

    fn delimiter<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        plain(w, Expect::Nothing)
    }

    fn header(len: usize, ty: u16, flags: u16, seq: u32) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&(len as u32).to_ne_bytes());
        h.extend_from_slice(&ty.to_ne_bytes());
        h.extend_from_slice(&flags.to_ne_bytes());
        h.extend_from_slice(&seq.to_ne_bytes());
        h.extend_from_slice(&0u32.to_ne_bytes());
        h
    }

    /// An `NLMSG_ERROR` for `seq` with `errno` (0: an ack), capped.
    fn error(seq: u32, errno: i32) -> Vec<u8> {
        let mut m = header(36, NLMSG_ERROR, 0x100, seq);
        m.extend_from_slice(&(-errno).to_ne_bytes());
        m.extend_from_slice(&header(32, RTM_GETLINK.0, 0, seq));
        m
    }

    fn reply(seq: u32, flags: u16) -> Vec<u8> {
        let mut m = header(20, RTM_NEWLINK, flags, seq);
        m.extend_from_slice(&seq.to_ne_bytes());
        m
    }

    fn done(seq: u32) -> Vec<u8> {
        let mut m = header(20, NLMSG_DONE, Flags::MULTI.bits(), seq);
        m.extend_from_slice(&0i32.to_ne_bytes());
        m
    }

    /// Send what the pipeline offers; returns the seqs of the chunk.
    fn transmit(p: &mut Pipeline) -> Vec<u32> {
        let Some(chunk) = p.poll_transmit() else {
            return Vec::new();
        };
        let seqs = Msgs::new(chunk)
            .map(|m| m.map(|m| m.seq().0))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_default();
        p.sent();
        seqs
    }

    fn completions(p: &mut Pipeline) -> Vec<(RequestId, Result<Answer, Error>)> {
        std::iter::from_fn(|| p.poll_completion()).collect()
    }

    #[test]
    fn routes_answers_to_their_requests_in_any_order() {
        let mut p = Pipeline::new(1 << 20);
        let ids: Vec<_> = (0..3).map(|_| p.submit(ack_req).unwrap()).collect();
        let seqs = transmit(&mut p);
        assert_eq!(seqs.len(), 3);
        assert_eq!((p.queued(), p.in_flight()), (0, 3));
        let mut dgram = reply(seqs[2], 0);
        dgram.extend(error(seqs[2], 0));
        dgram.extend(error(seqs[0], 0));
        p.handle_datagram(&dgram, Source::KERNEL);
        p.handle_datagram(&error(seqs[1], 19), Source::KERNEL);
        let done = completions(&mut p);
        let order: Vec<_> = done.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, [ids[2], ids[0], ids[1]]);
        let third = done[0].1.as_ref().unwrap();
        assert_eq!((third.outcome(), third.len()), (Outcome::Acked, 1));
        assert_eq!(third.replies().next().map(|m| m.seq().0), Some(seqs[2]));
        assert!(done[1].1.as_ref().unwrap().is_empty());
        assert_eq!(done[2].1.as_ref().unwrap_err().errno(), Some(19));
        assert!(!p.is_busy());
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn budget_bounds_what_is_in_flight() {
        let mut p = Pipeline::new(2 * ANSWER_COST);
        for _ in 0..5 {
            p.submit(ack_req).unwrap();
        }
        let first = transmit(&mut p);
        assert_eq!(first.len(), 2);
        assert!(!p.wants_send(), "budget full");
        assert!(transmit(&mut p).is_empty());
        p.handle_datagram(&error(first[0], 0), Source::KERNEL);
        assert!(p.wants_send());
        assert_eq!(transmit(&mut p).len(), 1);
        assert_eq!((p.queued(), p.in_flight()), (2, 2));
    }

    #[test]
    fn one_request_always_goes_whatever_its_cost() {
        let mut p = Pipeline::new(0);
        p.submit(dump_req).unwrap();
        p.submit(ack_req).unwrap();
        assert_eq!(transmit(&mut p).len(), 1);
    }

    #[test]
    fn a_dump_waits_for_the_dump_in_flight() {
        let mut p = Pipeline::new(1 << 20);
        let a = p.submit(dump_req).unwrap();
        let b = p.submit(dump_req).unwrap();
        p.submit(ack_req).unwrap();
        let first = transmit(&mut p);
        assert_eq!(first.len(), 1, "the second dump and what follows wait");
        p.handle_datagram(&reply(first[0], Flags::MULTI.bits()), Source::KERNEL);
        assert!(transmit(&mut p).is_empty());
        p.handle_datagram(&done(first[0]), Source::KERNEL);
        let next = transmit(&mut p);
        assert_eq!(next.len(), 2, "second dump and the ack");
        p.handle_datagram(&done(next[0]), Source::KERNEL);
        p.handle_datagram(&error(next[1], 0), Source::KERNEL);
        let done = completions(&mut p);
        assert_eq!(done[0].0, a);
        assert_eq!(done[0].1.as_ref().unwrap().len(), 1);
        assert_eq!(done[1].0, b);
        assert_eq!(
            done[1].1.as_ref().unwrap().outcome(),
            Outcome::Done { interrupted: false }
        );
    }

    #[test]
    fn a_blocked_send_keeps_the_chunk_and_restamps_it() {
        let mut p = Pipeline::new(1 << 20);
        let id = p.submit(ack_req).unwrap();
        let stale = Msgs::new(p.poll_transmit().unwrap())
            .next()
            .unwrap()
            .unwrap()
            .seq()
            .0;
        p.send_blocked();
        assert_eq!((p.queued(), p.in_flight()), (1, 0));
        let seqs = transmit(&mut p);
        assert_eq!(seqs.len(), 1);
        assert_ne!(seqs[0], stale, "a fresh seq");
        // An answer to the seq that never left is a stray, not the answer.
        p.handle_datagram(&error(stale, 0), Source::KERNEL);
        assert!(p.poll_completion().is_none());
        assert_eq!(p.stats().stray, 1);
        p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
        assert_eq!(
            p.poll_completion().map(|(i, r)| (i, r.is_ok())),
            Some((id, true))
        );
    }

    #[test]
    fn a_failed_send_fails_each_request_in_it() {
        let mut p = Pipeline::new(1 << 20);
        let ids: Vec<_> = (0..2).map(|_| p.submit(ack_req).unwrap()).collect();
        assert!(p.poll_transmit().is_some());
        p.send_failed(&std::io::Error::from_raw_os_error(90));
        let done = completions(&mut p);
        assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), ids);
        for (_, r) in &done {
            let e = r.as_ref().unwrap_err();
            assert_eq!(e.errno(), Some(90));
            assert!(
                e.to_string()
                    .starts_with("send netlink request: EMSGSIZE (90)"),
                "{e}"
            );
        }
        assert!(!p.is_busy());
    }

    #[test]
    fn a_timed_out_request_drops_its_late_answer() {
        let mut p = Pipeline::new(1 << 20);
        let t0 = Instant::now();
        let id = p
            .submit_with(
                ack_req,
                RequestOptions::new().deadline(t0 + Duration::from_secs(1)),
            )
            .unwrap();
        let seqs = transmit(&mut p);
        p.handle_timeout(t0 + Duration::from_secs(2));
        let (got, r) = p.poll_completion().unwrap();
        assert_eq!(got, id);
        assert!(matches!(r, Err(Error::Timeout(_))));
        assert_eq!(p.in_flight(), 1, "still tracked for its late answer");
        assert_eq!(
            p.next_deadline(),
            Some(t0 + Duration::from_secs(2) + LATE_ANSWER_GRACE)
        );
        p.handle_datagram(&reply(seqs[0], 0), Source::KERNEL);
        p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
        assert!(p.poll_completion().is_none());
        assert_eq!(p.stats().late_answers, 1);
        assert_eq!((p.in_flight(), p.next_deadline()), (0, None));
    }

    #[test]
    fn a_late_answer_that_never_comes_is_forgotten_after_the_grace() {
        let mut p = Pipeline::new(ANSWER_COST);
        let t0 = Instant::now();
        p.submit_with(ack_req, RequestOptions::new().deadline(t0))
            .unwrap();
        p.submit_with(ack_req, RequestOptions::new().no_deadline())
            .unwrap();
        let first = transmit(&mut p);
        assert_eq!(first.len(), 1);
        p.handle_timeout(t0);
        assert!(p.poll_completion().is_some());
        assert!(!p.wants_send(), "the late answer still holds the budget");
        p.handle_timeout(t0 + LATE_ANSWER_GRACE);
        assert_eq!(p.in_flight(), 0);
        assert_eq!(transmit(&mut p).len(), 1);
        p.handle_datagram(&error(first[0], 0), Source::KERNEL);
        assert_eq!(p.stats().stray, 1);
    }

    #[test]
    fn overflow_fails_what_is_in_flight_and_keeps_the_queue() {
        let mut p = Pipeline::new(2 * ANSWER_COST);
        let ids: Vec<_> = (0..3).map(|_| p.submit(ack_req).unwrap()).collect();
        let seqs = transmit(&mut p);
        assert_eq!(seqs.len(), 2);
        p.handle_overflow();
        let done = completions(&mut p);
        assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), ids[..2]);
        for (_, r) in &done {
            assert!(matches!(r, Err(Error::Overflow { lost: 2 })), "{r:?}");
        }
        assert_eq!(
            p.budget(),
            2 * ANSWER_COST,
            "never below what it was if small"
        );
        // Their answers, if any arrive, are strays; the queued one goes on.
        p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
        assert_eq!(p.stats().stray, 1);
        let next = transmit(&mut p);
        p.handle_datagram(&error(next[0], 0), Source::KERNEL);
        assert_eq!(
            p.poll_completion().map(|(i, r)| (i, r.is_ok())),
            Some((ids[2], true))
        );
    }

    #[test]
    fn overflow_halves_the_budget_down_to_a_floor() {
        let mut p = Pipeline::new(64 * ANSWER_COST);
        p.handle_overflow();
        assert_eq!(p.budget(), 32 * ANSWER_COST);
        for _ in 0..10 {
            p.handle_overflow();
        }
        assert_eq!(p.budget(), MIN_BUDGET);
        assert_eq!(p.stats().overflows, 11);
    }

    #[test]
    fn a_delimiter_completes_once_sent() {
        let mut p = Pipeline::new(1 << 20);
        let id = p.submit(delimiter).unwrap();
        assert!(p.poll_completion().is_none());
        transmit(&mut p);
        let (got, r) = p.poll_completion().unwrap();
        assert_eq!((got, r.unwrap().outcome()), (id, Outcome::Sent));
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn a_failing_reply_handler_fails_its_request_at_its_end() {
        let mut p = Pipeline::new(1 << 20);
        let id = p
            .submit_with(
                dump_req,
                RequestOptions::new().on_reply(|_| Err(Error::Unexpected("no thanks"))),
            )
            .unwrap();
        let seqs = transmit(&mut p);
        p.handle_datagram(&reply(seqs[0], Flags::MULTI.bits()), Source::KERNEL);
        assert!(p.poll_completion().is_none(), "not before its end");
        p.handle_datagram(&done(seqs[0]), Source::KERNEL);
        let (got, r) = p.poll_completion().unwrap();
        assert_eq!(got, id);
        assert!(matches!(r, Err(Error::Unexpected("no thanks"))));
    }

    #[test]
    fn a_full_queue_refuses_and_changes_nothing() {
        let mut p = Pipeline::new(1 << 20);
        assert!(p.set_queue_capacity(40), "one 32-byte request fits");
        p.submit(ack_req).unwrap();
        let e = p.submit(ack_req).unwrap_err();
        assert!(
            matches!(e, Error::Encode(nl_proto::EncodeError::BufferFull { .. })),
            "{e:?}"
        );
        assert_eq!(p.queued(), 1);
        assert_eq!(transmit(&mut p).len(), 1);
        // Sent requests leave the queue: room again.
        p.submit(ack_req).unwrap();
    }

    fn begin_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        plain(w, Expect::BatchBegin)
    }

    fn end_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        plain(w, Expect::BatchEnd)
    }

    const BATCH: [EncodeFn; 4] = [begin_req, ack_req, ack_req, end_req];

    /// A batch of two behind request A, budget for one answer: returns
    /// (A, the batch's ids, the batch's seqs, the barrier's seq).
    fn sent_batch(p: &mut Pipeline) -> (RequestId, Vec<RequestId>, Vec<u32>, u32) {
        let a = p.submit(ack_req).unwrap();
        let batch = p.submit_batch(BATCH).unwrap();
        assert_eq!(batch.len(), 4);
        let first = transmit(p);
        assert_eq!(first.len(), 1, "a batch starts a datagram of its own");
        // Answered only if it fails: no budget, so it goes beside A.
        let seqs = transmit(p);
        assert_eq!(seqs.len(), 4);
        // The barrier expects an ack, and waits for A's.
        assert!(!p.wants_send());
        p.handle_datagram(&error(first[0], 0), Source::KERNEL);
        let barrier = transmit(p);
        assert_eq!(
            barrier.len(),
            1,
            "the barrier follows in a datagram of its own"
        );
        (a, batch, seqs, barrier[0])
    }

    #[test]
    fn a_batch_commits_when_its_barrier_is_answered() {
        let mut p = Pipeline::new(ANSWER_COST);
        let (a, batch, _, barrier) = sent_batch(&mut p);
        let done = completions(&mut p);
        assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), [a]);
        assert!(p.is_busy());
        p.handle_datagram(&error(barrier, 0), Source::KERNEL);
        let done = completions(&mut p);
        assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), batch);
        let outcomes: Vec<_> = done
            .iter()
            .map(|d| d.1.as_ref().unwrap().outcome())
            .collect();
        use Outcome::{Acked, Sent};
        assert_eq!(outcomes, [Sent, Acked, Acked, Sent]);
        assert!(!p.is_busy());
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn a_failing_member_aborts_the_others() {
        let mut p = Pipeline::new(ANSWER_COST);
        let (_, batch, seqs, barrier) = sent_batch(&mut p);
        completions(&mut p);
        p.handle_datagram(&error(seqs[2], 17), Source::KERNEL);
        assert!(p.poll_completion().is_none(), "known only at the barrier");
        p.handle_datagram(&error(barrier, 0), Source::KERNEL);
        let done = completions(&mut p);
        assert_eq!(done.len(), 4);
        for (i, (id, r)) in done.iter().enumerate() {
            assert_eq!(*id, batch[i]);
            let e = r.as_ref().unwrap_err();
            if i == 2 {
                assert_eq!(e.errno(), Some(17));
            } else {
                assert!(
                    matches!(e, Error::BatchAborted { failed: Some(2) }),
                    "{e:?}"
                );
            }
        }
    }

    #[test]
    fn a_refused_batch_fails_every_request_with_the_refusal() {
        let mut p = Pipeline::new(ANSWER_COST);
        let (_, _, seqs, barrier) = sent_batch(&mut p);
        completions(&mut p);
        p.handle_datagram(&error(seqs[0], 85), Source::KERNEL);
        p.handle_datagram(&error(barrier, 0), Source::KERNEL);
        let done = completions(&mut p);
        assert_eq!(done.len(), 4);
        for (_, r) in &done {
            let e = r.as_ref().unwrap_err();
            assert_eq!(e.errno(), Some(85), "{e}");
        }
        assert!(!p.is_busy());
    }

    #[test]
    fn an_overflow_fails_a_batch_in_flight() {
        let mut p = Pipeline::new(ANSWER_COST);
        let (_, _, _, _) = sent_batch(&mut p);
        completions(&mut p);
        p.handle_overflow();
        let done = completions(&mut p);
        assert_eq!(done.len(), 4);
        assert!(
            done.iter()
                .all(|(_, r)| matches!(r, Err(Error::Overflow { .. })))
        );
        assert!(!p.is_busy());
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn a_batch_must_be_one_span_and_is_all_or_nothing() {
        let mut p = Pipeline::new(1 << 20);
        p.submit(ack_req).unwrap();
        fn broken<'w>(_: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
            Err(nl_proto::EncodeError::Invalid { what: "test" })
        }
        let encoders: [EncodeFn; 3] = [begin_req, ack_req, broken];
        assert!(matches!(p.submit_batch(encoders), Err(Error::Invalid(_))));
        let unclosed: [EncodeFn; 2] = [begin_req, ack_req];
        assert!(matches!(p.submit_batch(unclosed), Err(Error::Invalid(_))));
        let nested: [EncodeFn; 4] = [begin_req, begin_req, end_req, end_req];
        assert!(matches!(p.submit_batch(nested), Err(Error::Invalid(_))));
        assert!(matches!(p.submit(begin_req), Err(Error::Invalid(_))));
        assert!(matches!(p.submit(end_req), Err(Error::Invalid(_))));
        assert_eq!(p.queued(), 1);
        assert_eq!(p.stats().submitted, 1);
        assert_eq!(transmit(&mut p).len(), 1);
    }
}
