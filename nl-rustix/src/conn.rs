//! The request layer: one socket, one session, one reused receive buffer.

use crate::Error;
use crate::engine::Answer;
use crate::netns::Netns;
use crate::socket::{Protocol, Received, Socket};
use nl_proto::EncodeError;
use nl_proto::session::{Event, Expect, Lost, Request, Session};
use nl_proto::wire::{Msg, MsgWriter, Seq};
use std::collections::VecDeque;
use std::time::Duration;

mod batch;

pub use crate::engine::{DEFAULT_TIMEOUT, MAX_IN_FLIGHT, answer_cost};
/// The receive buffer a connection starts with. The kernel sends dump
/// parts of up to 32 KiB, but one message can be larger (a link with
/// hundreds of SR-IOV VFs): where such an answer may come, the buffer
/// grows to each datagram's size, peeked before it is read, and keeps
/// that size (see [`Conn`] on when the peek is skipped).
pub const RECV_BUF: usize = 64 * 1024;
/// Send buffer size: one request, or one datagram of plain requests in a
/// batch (an nfnetlink batch grows it to its own size).
pub const SEND_BUF: usize = 64 * 1024;
/// What the answer buffer [`Conn::run`] reuses keeps of its size after a
/// large dump.
const KEPT_ANSWER: usize = 256 * 1024;

/// An encoder for one request: a value that writes the request into a
/// writer and says what it expects. Encoding does not consume it, so a
/// request can be encoded again (sent again after a reply was cut short,
/// or after the send queue had no room). Closures and functions of the
/// right shape are encoders, e.g. `|w| link::encode_dump(w)`; a type of
/// one's own (a reconcile step, an nf_tables command) implements it
/// directly:
///
/// ```
/// use nl_proto::EncodeError;
/// use nl_proto::route::link::{self, LinkRef};
/// use nl_proto::session::Request;
/// use nl_proto::wire::MsgWriter;
/// use nl_rustix::Encode;
///
/// struct DeleteLink(u32);
///
/// impl Encode for DeleteLink {
///     fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
///         link::encode_del(w, LinkRef::Index(self.0))
///     }
/// }
///
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// let req = DeleteLink(7).encode(&mut w)?;
/// assert_eq!(req.msg.len(), 32);
/// # Ok::<(), EncodeError>(())
/// ```
pub trait Encode {
    /// Write the request into `w`.
    ///
    /// # Errors
    ///
    /// What the family encoder returns: the writer ran out of room
    /// (`BufferFull`, which drivers answer by encoding again into more),
    /// or the input is invalid.
    fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError>;
}

impl<F> Encode for F
where
    F: for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>,
{
    fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        self(w)
    }
}

/// Encoders of different types side by side, e.g. a batch built from a
/// `Vec<&dyn Encode>`.
impl Encode for &dyn Encode {
    fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        (**self).encode(w)
    }
}

/// A request encoder written as a closure, as the one-request verbs
/// ([`Conn::ack`], [`Conn::get`], [`Conn::dump`], …) take it: a closure
/// written inline at the call gets its signature (any writer, a request
/// borrowing from it) from this bound, which a bound on [`Encode`] alone
/// cannot give it. Every such closure is an [`Encode`]; wrap a value of
/// your own as `|w| value.encode(w)`.
pub trait EncodeClosure:
    for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>
{
}

impl<F> EncodeClosure for F where
    F: for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>
{
}

/// Pin a closure to the [`Encode`] signature. Closures built inside
/// iterator adaptors (as batches are) need this for their lifetimes to be
/// inferred as "any writer".
///
/// ```
/// use nl_rustix::{encoder, Encode};
/// use nl_proto::route::link;
/// let requests: Vec<_> = (1..=3u32)
///     .map(|i| encoder(move |w| link::encode_get(w, link::LinkRef::Index(i))))
///     .collect();
/// assert_eq!(requests.len(), 3);
/// ```
pub fn encoder<F>(f: F) -> F
where
    F: for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>,
{
    f
}

/// A request encoder as a plain function pointer: the common type of
/// several different non-capturing encoders, e.g. the parts of an
/// nfnetlink batch passed to [`Conn::batch`] together.
pub type EncodeFn = for<'w, 'b> fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>;

/// A decoder of one dump entry, as [`Conn::dump_iter`] takes it; `None`
/// skips the entry.
pub type Decoder<T> = fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>;

/// How a request ended, when it succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Acknowledged.
    Acked,
    /// Sent; the request expects no answer.
    Sent,
    /// A dump finished; `interrupted` when the kernel flagged
    /// `NLM_F_DUMP_INTR` (the entries may be inconsistent).
    Done {
        /// Whether the dump was interrupted by a change.
        interrupted: bool,
    },
}

/// What a receive waits for: whether each datagram's size is peeked
/// first, and what a datagram cut short costs (see [`Conn`], "Receiving").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Awaiting {
    /// Replies or dump parts of any size, read by the caller: peeked.
    Anything,
    /// Acknowledgements; replies are not read (`ack`, plain batches):
    /// read straight, and a reply cut short is skipped.
    Acks,
    /// One reply the caller reads, then its acknowledgement (`get`): read
    /// straight; a reply cut short fails the request, which `get` sends
    /// again.
    OneReply,
}

/// A blocking netlink connection: a [`Socket`] paired with the protocol
/// core's session and reused buffers.
///
/// Every call sends its request(s) and reads until each has its final
/// answer. Multicast notifications and answers to cancelled requests that
/// arrive meanwhile are dropped: a request socket joins no multicast group.
///
/// # Receiving
///
/// A datagram larger than the receive buffer loses its tail, so where an
/// answer of any size may come ([`dump`](Conn::dump) and the other dumps,
/// [`request`](Conn::request)), each datagram's size is peeked first and
/// the buffer grown to it (`MSG_PEEK | MSG_TRUNC`, one more system call).
/// Where the answer is acknowledgements ([`ack`](Conn::ack), plain
/// requests in a [`batch`](Conn::batch)) or one reply to a read
/// ([`get`](Conn::get)), datagrams are read straight into the buffer:
/// errors echo only the request's header (`NETLINK_CAP_ACK`), far less
/// than the buffer's 64 KiB, and most single objects fit. That saves a
/// system call per datagram, about 0.13× of a `link get` round trip.
/// When a datagram is cut short all the same (a link with hundreds of
/// SR-IOV VFs), nothing is lost silently: a `get` sends its read again,
/// peeking this time, and returns the whole reply; a reply nobody reads
/// (to an `ack` or a batch) is skipped, as its acknowledgement still
/// comes; an acknowledgement cut short fails its request with
/// [`Error::Truncated`], and the connection peeks from then on. A cut
/// datagram that answers no request waiting (a late answer to a
/// cancelled one) is dropped. See [`Session::cut_short`].
#[derive(Debug)]
pub struct Conn {
    sock: Socket,
    session: Box<Session<MAX_IN_FLIGHT>>,
    recv: Vec<u8>,
    send: Vec<u8>,
    timeout: Option<Duration>,
    /// A datagram was cut short once: peek before every receive.
    always_peek: bool,
    /// Generic netlink families resolved on this connection.
    pub(crate) genl: crate::genl::Families,
    /// The engine [`Conn::batch`] runs on, kept between calls.
    engine: Option<Box<crate::engine::Pipeline>>,
    /// The answer [`Conn::run`] collects a verb's replies into, kept.
    answer: Answer,
    /// Where the engine's sequence numbers start: half the number space
    /// away from the session's, so neither takes the other's answers.
    batch_first_seq: u32,
}

impl Conn {
    /// An rtnetlink connection in the current network namespace.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the socket cannot be opened.
    pub fn open() -> Result<Self, Error> {
        Self::with_socket(Socket::open(Protocol::Route)?)
    }

    /// An rtnetlink connection in `netns`.
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_in(netns: &Netns) -> Result<Self, Error> {
        Self::with_socket(netns.socket(Protocol::Route)?)
    }

    /// A connection over an open socket.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the receive timeout cannot be set.
    pub fn with_socket(sock: Socket) -> Result<Self, Error> {
        sock.set_recv_timeout(Some(DEFAULT_TIMEOUT))?;
        // Errors then echo only the request's header (the extended ack still
        // names the offending attribute), so a failed large request cannot
        // overflow the receive buffer and failures cost no more than acks.
        let _ = sock.set_cap_ack(true);
        // Start from a clock-derived seq so that stale answers addressed to an
        // earlier user of a recycled port id are unlikely to match ours.
        let first = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() as u32);
        Ok(Self {
            sock,
            session: Box::new(Session::with_first_seq(first)),
            recv: vec![0; RECV_BUF],
            send: vec![0; SEND_BUF],
            timeout: Some(DEFAULT_TIMEOUT),
            always_peek: false,
            genl: Default::default(),
            engine: None,
            answer: Answer::empty(),
            batch_first_seq: first.wrapping_add(1 << 31),
        })
    }

    /// The socket.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// Shrink (or grow) the receive buffer to `len` bytes, so that tests can
    /// show that datagrams larger than it still arrive whole. Not API.
    #[doc(hidden)]
    pub fn set_recv_buffer_len_for_tests(&mut self, len: usize) {
        self.recv.resize(len, 0);
        self.recv.shrink_to_fit();
    }

    /// Change the receive timeout (`None`: wait forever).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        self.sock.set_recv_timeout(timeout)?;
        self.timeout = timeout;
        Ok(())
    }

    /// Encode, submit and send one request; returns its seq and length.
    fn send_one(&mut self, encode: impl EncodeClosure) -> Result<(Seq, usize), Error> {
        let mut w = MsgWriter::new(&mut self.send);
        let req = encode.encode(&mut w)?;
        let seq = self.session.submit(req)?;
        let len = w.len();
        self.send_submitted(seq, len).map(|seq| (seq, len))
    }

    /// Submit and send again, under a new seq, the request of `len` bytes
    /// that [`Conn::send_one`] sent last (still in the send buffer).
    fn send_again(&mut self, len: usize, expect: Expect) -> Result<Seq, Error> {
        let msg = self.send.get_mut(..len).ok_or(Error::Unexpected(
            "the last request is no longer in the send buffer",
        ))?;
        let seq = self.session.submit(Request::new(msg, expect))?;
        self.send_submitted(seq, len)
    }

    /// Send request `seq`, just submitted: the first `len` bytes of the
    /// send buffer.
    fn send_submitted(&mut self, seq: Seq, len: usize) -> Result<Seq, Error> {
        if let Err(e) = self.sock.send(&self.send[..len]) {
            self.session.cancel(seq);
            return Err(Error::sys("send netlink request", e));
        }
        Ok(seq)
    }

    /// Receive one datagram for the requests `waiting`: with its size
    /// peeked first and the buffer grown to it when `awaiting` answers of
    /// any size, straight into the buffer otherwise. Failures cancel
    /// `waiting`. A datagram cut short that none of them owns, or that
    /// is a reply nobody reads, is skipped.
    fn recv_datagram(
        &mut self,
        waiting: &[Seq],
        awaiting: Awaiting,
    ) -> Result<(usize, nl_proto::session::Source), Error> {
        let fail = |session: &mut Session<MAX_IN_FLIGHT>| {
            for &s in waiting {
                session.cancel(s);
            }
        };
        loop {
            let peek = self.always_peek || awaiting == Awaiting::Anything;
            let got = if peek {
                self.sock.recv_vec(&mut self.recv)
            } else {
                self.sock.recv(&mut self.recv)
            };
            return match got {
                Ok(Received::Datagram { len, src }) => Ok((len, src)),
                Ok(Received::Truncated { len, src }) => {
                    let cap = self.recv.len();
                    let cut = self.session.cut_short(&self.recv, src);
                    if src.pid == 0 {
                        self.recv.resize(len, 0);
                    }
                    match cut.filter(|c| waiting.contains(&c.seq)) {
                        // Another process's, or an answer nobody waits
                        // for: nothing of ours was lost.
                        None => continue,
                        // A reply nobody reads; its ack still comes.
                        Some(c) if c.lost == Lost::Reply && awaiting == Awaiting::Acks => continue,
                        Some(_) => {}
                    }
                    self.always_peek = true;
                    fail(&mut self.session);
                    Err(Error::Truncated { len, cap })
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    fail(&mut self.session);
                    // EAGAIN is the timeout, unless the socket was made
                    // non-blocking (then nothing was waited for).
                    if self.sock.is_nonblocking().unwrap_or(false) {
                        Err(Error::WouldBlock)
                    } else {
                        Err(Error::Timeout(self.timeout.unwrap_or_default()))
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    // The kernel delivers nothing more to a socket that
                    // overflowed until its queue has been emptied once;
                    // what is queued answers the requests forgotten here.
                    let lost = self.session.abort_all().count();
                    let _ = self.sock.discard_queued();
                    Err(Error::Overflow { lost })
                }
                Err(e) => {
                    fail(&mut self.session);
                    Err(Error::sys("recv netlink answer", e))
                }
            };
        }
    }

    /// Read until request `seq` ends, passing each reply to `on_reply`.
    /// If `on_reply` fails, the rest of the answer is still read (so the
    /// socket stays in step) and the first error is returned.
    fn wait(
        &mut self,
        seq: Seq,
        awaiting: Awaiting,
        mut on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        let mut reply_err = None;
        loop {
            let (len, src) = self.recv_datagram(&[seq], awaiting)?;
            let mut end = None;
            for event in self.session.feed(&self.recv[..len], src) {
                match event {
                    Err(e) => {
                        end = Some(Err(Error::Decode(e)));
                        break;
                    }
                    Ok(ev) if ev.seq() != Some(seq) => {}
                    Ok(Event::Reply { msg, .. }) => {
                        if reply_err.is_none() {
                            reply_err = on_reply(&msg).err();
                        }
                    }
                    Ok(Event::Ack { .. }) => end = Some(Ok(Outcome::Acked)),
                    Ok(Event::Done { interrupted, .. }) => {
                        end = Some(Ok(Outcome::Done { interrupted }))
                    }
                    Ok(Event::Failed { error, .. }) => end = Some(Err(Error::kernel(&error))),
                    Ok(Event::Unreadable { error, .. }) => end = Some(Err(Error::Decode(error))),
                    Ok(_) => {}
                }
            }
            if let Some(end) = end {
                // A framing error leaves the request open: forget it.
                self.session.cancel(seq);
                return match (end, reply_err) {
                    (Err(e), _) | (Ok(_), Some(e)) => Err(e),
                    (Ok(o), None) => Ok(o),
                };
            }
        }
    }

    /// Run `verb` to its end: send each request it asks for, wait for its
    /// answer, hand the answer back. Every typed verb of this type is a
    /// [`verb`](crate::verb) value run here; nl-mio's `Conn` runs the
    /// same values in a readiness loop.
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, verb};
    /// let mut conn = Conn::open()?;
    /// // The same as `conn.links()?`.
    /// let links = conn.run(verb::links())?;
    /// # let _ = links;
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What the verb returns.
    pub fn run<V: crate::verb::Verb>(&mut self, mut verb: V) -> Result<V::Output, Error> {
        use crate::verb::{Context, Step};
        let mut step = verb.start(&mut Context::new(&self.sock, &mut self.genl));
        loop {
            step = match step {
                Step::Done(out) => return *out,
                Step::Send(req) => {
                    // One answer buffer, reused from request to request.
                    let mut answer = std::mem::replace(&mut self.answer, Answer::empty());
                    let got = self.answer(&req, &mut answer);
                    let cx = &mut Context::new(&self.sock, &mut self.genl);
                    let step = verb.on_answer(got.map(|()| &answer), cx);
                    answer.clear(KEPT_ANSWER);
                    self.answer = answer;
                    step
                }
                // Only a verb that may batch links `Conn::batch` here.
                Step::Batch(reqs) if V::BATCHES => {
                    let results = self.batch(reqs);
                    verb.on_batch(results, &mut Context::new(&self.sock, &mut self.genl))
                }
                Step::Batch(_) => {
                    return Err(Error::Unexpected("a batch from a verb that sends none"));
                }
            };
        }
    }

    /// Send one request of a verb and collect its answer into `answer`.
    fn answer(&mut self, req: &crate::verb::Request, answer: &mut Answer) -> Result<(), Error> {
        use crate::verb::Expecting;
        let awaiting = match req.expecting {
            Expecting::Replies => Awaiting::Anything,
            Expecting::OneReply => Awaiting::OneReply,
            Expecting::Ack => Awaiting::Acks,
        };
        let keep = req.expecting != Expecting::Ack;
        let outcome = self.request_with(
            |w| req.encode(w),
            awaiting,
            |msg| {
                if keep {
                    answer.push(msg);
                }
                Ok(())
            },
        )?;
        answer.set_outcome(outcome);
        Ok(())
    }

    /// Send one request and read its whole answer, passing every reply
    /// message to `on_reply`.
    ///
    /// # Errors
    ///
    /// [`Error::Kernel`] when the kernel refuses it, the first error
    /// `on_reply` returned, or I/O and decoding errors.
    pub fn request(
        &mut self,
        encode: impl EncodeClosure,
        on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        self.request_with(encode, Awaiting::Anything, on_reply)
    }

    /// [`Conn::request`], told what its answer is.
    fn request_with(
        &mut self,
        encode: impl EncodeClosure,
        awaiting: Awaiting,
        mut on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        let (seq, len) = self.send_one(encode)?;
        let Some(expect) = self.session.expects(seq) else {
            return Ok(Outcome::Sent);
        };
        // Dump parts come in any size, whoever reads them: peek.
        let awaiting = match expect {
            Expect::Dump => Awaiting::Anything,
            _ => awaiting,
        };
        if expect == Expect::BatchBegin {
            // Alone it opens a batch that never ends; the kernel drops it.
            self.session.cancel(seq);
            return Err(Error::Invalid(
                "an nfnetlink batch is sent whole, with Conn::batch".into(),
            ));
        }
        match self.wait(seq, awaiting, &mut on_reply) {
            // The reply to a `get`, read without peeking, was larger than
            // the buffer. A `get` is a read: ask again, now peeking.
            Err(Error::Truncated { .. }) if awaiting == Awaiting::OneReply => {
                let seq = self.send_again(len, expect)?;
                self.wait(seq, awaiting, on_reply)
            }
            other => other,
        }
    }

    /// Send a request that expects only an acknowledgement.
    ///
    /// # Errors
    ///
    /// As [`Conn::request`].
    pub fn ack(&mut self, encode: impl EncodeClosure) -> Result<(), Error> {
        self.request_with(encode, Awaiting::Acks, |_| Ok(()))
            .map(|_| ())
    }

    /// Send a read whose answer is one message (a `GET` that is not a
    /// dump), and decode it.
    ///
    /// The reply is received without peeking its size (see [`Conn`],
    /// "Receiving"); if it was larger than the receive buffer, the request
    /// is sent again and its reply received whole. So `encode` must make
    /// a request that changes nothing; use [`Conn::request`] for one that
    /// does and is answered (`NLM_F_ECHO`).
    ///
    /// # Errors
    ///
    /// As [`Conn::request`]; [`Error::Unexpected`] if no reply came.
    pub fn get<T>(
        &mut self,
        encode: impl EncodeClosure,
        decode: impl Fn(&Msg<'_>) -> Result<T, nl_proto::DecodeError>,
    ) -> Result<T, Error> {
        let mut out = None;
        self.request_with(encode, Awaiting::OneReply, |msg| {
            if out.is_none() {
                out = Some(decode(msg)?);
            }
            Ok(())
        })?;
        out.ok_or(Error::Unexpected(
            "the kernel acknowledged the request but sent no reply",
        ))
    }

    /// Run a dump, passing each entry to `each` as it arrives (constant
    /// memory). Returns whether the dump was interrupted.
    ///
    /// # Errors
    ///
    /// As [`Conn::request`].
    pub fn dump(
        &mut self,
        encode: impl EncodeClosure,
        each: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<bool, Error> {
        match self.request(encode, each)? {
            Outcome::Done { interrupted } => Ok(interrupted),
            Outcome::Acked | Outcome::Sent => Ok(false),
        }
    }

    /// Run a dump and decode every entry; `decode` returns `None` for
    /// entries to skip. Retries up to 3 times while the kernel reports the
    /// dump as interrupted, then returns the last result (use
    /// [`Conn::dump`] to see the flag yourself).
    ///
    /// # Errors
    ///
    /// As [`Conn::request`]; the first entry that fails to decode.
    pub fn dump_collect<T>(
        &mut self,
        encode: impl EncodeClosure,
        decode: impl Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
    ) -> Result<Vec<T>, Error> {
        let mut attempts = 0;
        loop {
            let mut out = Vec::new();
            let interrupted = self.dump(&encode, |msg| {
                if let Some(v) = decode(msg)? {
                    out.push(v);
                }
                Ok(())
            })?;
            attempts += 1;
            if !interrupted || attempts >= 3 {
                return Ok(out);
            }
        }
    }

    /// Start a dump and iterate its decoded entries, one datagram at a
    /// time: memory stays constant whatever the dump's size. Dropping the
    /// iterator early reads and discards the rest of the dump.
    ///
    /// # Errors
    ///
    /// Encoding or sending fails.
    pub fn dump_iter<T, D>(
        &mut self,
        encode: impl EncodeClosure,
        decode: D,
    ) -> Result<DumpIter<'_, T, D>, Error>
    where
        D: Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
    {
        let (seq, _) = self.send_one(encode)?;
        Ok(DumpIter {
            conn: self,
            seq,
            decode,
            queue: VecDeque::new(),
            end: None,
        })
    }
}

/// Entries of a dump, decoded one datagram at a time (from [`Conn::dump_iter`]).
#[derive(Debug)]
pub struct DumpIter<'c, T, D> {
    conn: &'c mut Conn,
    seq: Seq,
    decode: D,
    queue: VecDeque<Result<T, Error>>,
    end: Option<Result<Outcome, Error>>,
}

impl<T, D> DumpIter<'_, T, D>
where
    D: Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
{
    /// Whether the kernel flagged the dump as interrupted (known once the
    /// iterator is exhausted).
    pub fn interrupted(&self) -> bool {
        matches!(self.end, Some(Ok(Outcome::Done { interrupted: true })))
    }

    fn fill(&mut self) {
        let (len, src) = match self.conn.recv_datagram(&[self.seq], Awaiting::Anything) {
            Ok(v) => v,
            Err(e) => {
                self.queue.push_back(Err(e));
                self.end = Some(Ok(Outcome::Acked));
                return;
            }
        };
        let seq = self.seq;
        for event in self.conn.session.feed(&self.conn.recv[..len], src) {
            match event {
                Err(e) => {
                    self.queue.push_back(Err(Error::Decode(e)));
                    self.end = Some(Ok(Outcome::Acked));
                    break;
                }
                Ok(ev) if ev.seq() != Some(seq) => {}
                Ok(Event::Reply { msg, .. }) => match (self.decode)(&msg) {
                    Ok(Some(v)) => self.queue.push_back(Ok(v)),
                    Ok(None) => {}
                    Err(e) => self.queue.push_back(Err(Error::Decode(e))),
                },
                Ok(Event::Done { interrupted, .. }) => {
                    self.end = Some(Ok(Outcome::Done { interrupted }))
                }
                Ok(Event::Ack { .. }) => self.end = Some(Ok(Outcome::Acked)),
                Ok(Event::Failed { error, .. }) => {
                    self.queue.push_back(Err(Error::kernel(&error)));
                    self.end = Some(Ok(Outcome::Acked));
                }
                Ok(Event::Unreadable { error, .. }) => {
                    self.queue.push_back(Err(Error::Decode(error)));
                    self.end = Some(Ok(Outcome::Acked));
                }
                Ok(_) => {}
            }
        }
        if self.end.is_some() {
            self.conn.session.cancel(seq);
        }
    }
}

impl<T, D> Iterator for DumpIter<'_, T, D>
where
    D: Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
{
    type Item = Result<T, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.end.is_some() {
                return None;
            }
            self.fill();
        }
    }
}

impl<T, D> Drop for DumpIter<'_, T, D> {
    fn drop(&mut self) {
        // Read the rest so the next request on this socket starts clean.
        while self.end.is_none() {
            let (len, src) = match self.conn.recv_datagram(&[self.seq], Awaiting::Anything) {
                Ok(v) => v,
                Err(_) => return,
            };
            let seq = self.seq;
            for event in self.conn.session.feed(&self.conn.recv[..len], src) {
                match event {
                    Ok(ev) if ev.seq() == Some(seq) && ev.is_final() => {
                        self.end = Some(Ok(Outcome::Acked))
                    }
                    Err(_) => self.end = Some(Ok(Outcome::Acked)),
                    _ => {}
                }
            }
            if self.end.is_some() {
                self.conn.session.cancel(seq);
            }
        }
    }
}
