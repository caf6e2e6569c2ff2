//! The request layer: one socket, one session, one reused receive buffer.

use crate::Error;
use crate::netns::Netns;
use crate::socket::{Protocol, Received, Socket};
use nl_proto::EncodeError;
use nl_proto::session::{Event, Request, Session};
use nl_proto::wire::{Msg, MsgWriter, Seq};
use std::collections::VecDeque;
use std::time::Duration;

mod batch;
mod plan;

pub use plan::answer_cost;

/// Requests in flight at once on one connection (batches are sent in
/// chunks of at most this many).
pub const MAX_IN_FLIGHT: usize = 1024;
/// The receive buffer a connection starts with. The kernel sends dump
/// parts of up to 32 KiB, but one message can be larger (a link with
/// hundreds of SR-IOV VFs): the buffer grows to any datagram's size,
/// peeked before it is read, and keeps that size.
pub const RECV_BUF: usize = 64 * 1024;
/// Send buffer size: one request, or one datagram of plain requests in a
/// batch (an nfnetlink batch grows it to its own size).
pub const SEND_BUF: usize = 64 * 1024;
/// The receive timeout a new connection starts with.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// An encoder for one request: writes it into the writer and says what it
/// expects. Family encoders such as `nl_proto::route::link::encode_dump`
/// fit directly: `|w| link::encode_dump(w)`.
pub trait Encode:
    for<'w, 'b> FnOnce(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>
{
}
impl<F> Encode for F where
    F: for<'w, 'b> FnOnce(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError>
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
pub fn encoder<F: Encode>(f: F) -> F {
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

/// A blocking netlink connection: a [`Socket`] paired with the protocol
/// core's session and reused buffers.
///
/// Every call sends its request(s) and reads until each has its final
/// answer. Multicast notifications and answers to cancelled requests that
/// arrive meanwhile are dropped: a request socket joins no multicast group.
#[derive(Debug)]
pub struct Conn {
    sock: Socket,
    session: Box<Session<MAX_IN_FLIGHT>>,
    recv: Vec<u8>,
    send: Vec<u8>,
    timeout: Option<Duration>,
    /// Generic netlink families resolved on this connection.
    pub(crate) genl: crate::genl::FamilyCache,
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
            genl: Default::default(),
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

    /// Encode, submit and send one request; returns its seq.
    fn send_one(&mut self, encode: impl Encode) -> Result<Seq, Error> {
        let mut w = MsgWriter::new(&mut self.send);
        let req = encode(&mut w)?;
        let seq = self.session.submit(req)?;
        let len = w.len();
        if let Err(e) = self.sock.send(&self.send[..len]) {
            self.session.cancel(seq);
            return Err(Error::sys("send netlink request", e));
        }
        Ok(seq)
    }

    /// Receive one datagram into the buffer, grown to fit it; failures
    /// cancel `waiting`.
    fn recv_datagram(
        &mut self,
        waiting: &[Seq],
    ) -> Result<(usize, nl_proto::session::Source), Error> {
        let fail = |session: &mut Session<MAX_IN_FLIGHT>| {
            for &s in waiting {
                session.cancel(s);
            }
        };
        match self.sock.recv_vec(&mut self.recv) {
            Ok(Received::Datagram { len, src }) => Ok((len, src)),
            Ok(Received::Truncated { len }) => {
                // Only when another thread read from our socket between
                // the peek and the receive.
                fail(&mut self.session);
                Err(Error::Truncated {
                    len,
                    cap: self.recv.len(),
                })
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
                let lost = self.session.abort_all().count();
                Err(Error::Overflow { lost })
            }
            Err(e) => {
                fail(&mut self.session);
                Err(Error::sys("recv netlink answer", e))
            }
        }
    }

    /// Read until request `seq` ends, passing each reply to `on_reply`.
    /// If `on_reply` fails, the rest of the answer is still read (so the
    /// socket stays in step) and the first error is returned.
    fn wait(
        &mut self,
        seq: Seq,
        mut on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        let mut reply_err = None;
        loop {
            let (len, src) = self.recv_datagram(&[seq])?;
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

    /// Send one request and read its whole answer, passing every reply
    /// message to `on_reply`.
    ///
    /// # Errors
    ///
    /// [`Error::Kernel`] when the kernel refuses it, the first error
    /// `on_reply` returned, or I/O and decoding errors.
    pub fn request(
        &mut self,
        encode: impl Encode,
        on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error>,
    ) -> Result<Outcome, Error> {
        let seq = self.send_one(encode)?;
        if !self.session.is_pending(seq) {
            return Ok(Outcome::Sent);
        }
        if self.session.expects(seq) == Some(nl_proto::session::Expect::BatchBegin) {
            // Alone it opens a batch that never ends; the kernel drops it.
            self.session.cancel(seq);
            return Err(Error::Invalid(
                "an nfnetlink batch is sent whole, with Conn::batch".into(),
            ));
        }
        self.wait(seq, on_reply)
    }

    /// Send a request that expects only an acknowledgement.
    ///
    /// # Errors
    ///
    /// As [`Conn::request`].
    pub fn ack(&mut self, encode: impl Encode) -> Result<(), Error> {
        self.request(encode, |_| Ok(())).map(|_| ())
    }

    /// Send a request whose answer is one message, and decode it.
    ///
    /// # Errors
    ///
    /// As [`Conn::request`]; [`Error::Unexpected`] if no reply came.
    pub fn get<T>(
        &mut self,
        encode: impl Encode,
        decode: impl Fn(&Msg<'_>) -> Result<T, nl_proto::DecodeError>,
    ) -> Result<T, Error> {
        let mut out = None;
        self.request(encode, |msg| {
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
        encode: impl Encode,
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
        encode: impl Encode + Clone,
        decode: impl Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
    ) -> Result<Vec<T>, Error> {
        let mut attempts = 0;
        loop {
            let mut out = Vec::new();
            let interrupted = self.dump(encode.clone(), |msg| {
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
        encode: impl Encode,
        decode: D,
    ) -> Result<DumpIter<'_, T, D>, Error>
    where
        D: Fn(&Msg<'_>) -> Result<Option<T>, nl_proto::DecodeError>,
    {
        let seq = self.send_one(encode)?;
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
        let (len, src) = match self.conn.recv_datagram(&[self.seq]) {
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
            let (len, src) = match self.conn.recv_datagram(&[self.seq]) {
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
