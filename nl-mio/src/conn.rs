//! A pipelined request connection as a mio source.

use crate::call::Calls;
use crate::socket::{Registration, Socket};
use mio::event::{Event, Source};
use mio::{Interest, Registry, Token};
use nl_rustix::engine::{Answer, Pipeline, RequestId, RequestOptions, Stats};
use nl_rustix::verb::Families;
use nl_rustix::{Encode, EncodeClosure, Error, Netns, Protocol, RECV_BUF, drive};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::{Duration, Instant};

/// Of the receive buffer the kernel granted, the share answers may take;
/// the rest absorbs estimates that were too low.
const BUDGET_SHARE: (usize, usize) = (3, 4);

/// A netlink connection for a readiness loop: many requests in flight at
/// once, each answered through the shared [`Pipeline`], none of it
/// blocking.
///
/// Register it with a [`mio::Poll`] for `READABLE`; it adds `WRITABLE` to
/// its own registration while it has requests it may send, and removes it
/// when they are sent. In the loop:
///
/// 1. [`submit`](Self::submit) requests (queued; sent on the next writable
///    event, or at once with [`flush`](Self::flush));
/// 2. poll with [`timeout`](Self::timeout) (the nearest request deadline);
/// 3. pass this connection's events to [`on_ready`](Self::on_ready), which
///    sends what it may and reads until `EAGAIN`;
/// 4. call [`handle_timeout`](Self::handle_timeout) with the time;
/// 5. collect results with [`poll_completion`](Self::poll_completion).
///
/// Dropping it deregisters it first.
#[derive(Debug)]
pub struct Conn {
    pub(crate) sock: Socket,
    pub(crate) pipeline: Pipeline,
    pub(crate) calls: Calls,
    /// Generic netlink families resolved on this connection.
    pub(crate) families: Families,
    recv: Vec<u8>,
    reg: Option<Registration>,
}

impl Conn {
    /// An rtnetlink connection in the calling thread's namespace.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the socket cannot be opened.
    pub fn open() -> Result<Self, Error> {
        Self::with_socket(nl_rustix::Socket::open(Protocol::Route)?)
    }

    /// An rtnetlink connection in `netns`: the host's
    /// ([`Netns::Current`]), a process's ([`Netns::Pid`]), a namespace
    /// file's ([`Netns::Path`], e.g. `/run/netns/NAME`), or one pinned
    /// earlier ([`PinnedNetns::netns`](nl_rustix::PinnedNetns::netns)).
    /// The socket is created there by nl-rustix's namespace code (a
    /// short-lived thread enters the namespace); the calling thread
    /// never changes namespace.
    ///
    /// ```no_run
    /// use nl_mio::{Conn, Netns};
    /// let mut conn = Conn::open_in(&Netns::Path("/run/netns/blue".into()))?;
    /// let pinned = Netns::Pid(4242).pin()?;
    /// let mut other = Conn::open_in(&pinned.netns())?;
    /// # let _ = (&mut conn, &mut other);
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_in(netns: &Netns) -> Result<Self, Error> {
        Self::open_protocol_in(Protocol::Route, netns)
    }

    /// A generic netlink (`NETLINK_GENERIC`) connection in the calling
    /// thread's namespace, for the generic netlink verbs
    /// ([`Conn::genl_family`], [`Conn::mptcp_pm`], [`Conn::ethtool_linkmodes`]).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the socket cannot be opened.
    pub fn open_generic() -> Result<Self, Error> {
        Self::open_protocol_in(Protocol::Generic, &Netns::Current)
    }

    /// A generic netlink connection in `netns`.
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_generic_in(netns: &Netns) -> Result<Self, Error> {
        Self::open_protocol_in(Protocol::Generic, netns)
    }

    /// A connection of `protocol` in `netns` (e.g. [`Protocol::Netfilter`]
    /// for the nf_tables verbs of [`crate::nft`]).
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_protocol_in(protocol: Protocol, netns: &Netns) -> Result<Self, Error> {
        Self::with_socket(netns.socket(protocol)?)
    }

    /// A connection over an open socket of any protocol, which it switches
    /// to non-blocking. The answer budget is three quarters of the receive
    /// buffer the kernel granted.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the socket cannot be made non-blocking.
    pub fn with_socket(sock: nl_rustix::Socket) -> Result<Self, Error> {
        // Errors echo only the request header, so a refused large request
        // costs no more receive buffer than an ack.
        let _ = sock.set_cap_ack(true);
        let granted = sock.recv_buffer_size()?;
        let budget = granted / BUDGET_SHARE.1 * BUDGET_SHARE.0;
        Ok(Self {
            sock: Socket::from_blocking(sock)?,
            pipeline: Pipeline::new(budget),
            calls: Calls::default(),
            families: Families::default(),
            recv: vec![0; RECV_BUF],
            reg: None,
        })
    }

    /// The socket.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// The pipeline (budget, default timeout, queue size, counters).
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The pipeline, to change its settings.
    pub fn pipeline_mut(&mut self) -> &mut Pipeline {
        &mut self.pipeline
    }

    /// Queue a request with the default options (the pipeline's default
    /// timeout, replies collected). Returns the id its completion carries.
    ///
    /// # Errors
    ///
    /// As [`Pipeline::submit_with`]; [`Error::Sys`] if the poll
    /// registration cannot be updated.
    pub fn submit(&mut self, encode: impl EncodeClosure) -> Result<RequestId, Error> {
        self.submit_with(encode, RequestOptions::new())
    }

    /// Queue a request with `opts` (deadline, answer cost, streaming).
    ///
    /// # Errors
    ///
    /// As [`Conn::submit`].
    pub fn submit_with(
        &mut self,
        encode: impl EncodeClosure,
        opts: RequestOptions,
    ) -> Result<RequestId, Error> {
        // Only a new front of the queue can change what may be sent.
        let was_empty = self.pipeline.queued() == 0;
        let id = self.pipeline.submit_with(encode, opts)?;
        if was_empty {
            self.update_interest()?;
        }
        Ok(id)
    }

    /// Queue a request with the default options and carry it at once:
    /// send what may be sent, then read the answers the kernel has
    /// already queued. For a loop that waits on each answer, this is the
    /// round trip with the fewest system calls: rtnetlink and most
    /// generic netlink families answer inside the `sendmsg`, so the
    /// request usually completes here ([`poll_completion`](Self::poll_completion)
    /// has it, no poll needed), and the registration never changes (the
    /// request is sent before `WRITABLE` would be asked for). An answer
    /// still to come is read on the next readable event, as usual.
    ///
    /// [`submit`](Self::submit) then [`flush`](Self::flush) sends the
    /// same, but asks the poll for `WRITABLE` in between and reads the
    /// answers only on the next event: two `epoll_ctl` and an
    /// `epoll_wait` more per round trip. Submit many requests, then
    /// flush, to send them in few datagrams.
    ///
    /// ```no_run
    /// use nl_mio::Conn;
    /// use nl_proto::route::link::{self, Link, LinkRef};
    ///
    /// let mut conn = Conn::open()?;
    /// let id = conn.submit_now(|w: &mut _| link::encode_get(w, LinkRef::Index(1)))?;
    /// if let Some((done, answer)) = conn.poll_completion() {
    ///     assert_eq!(done, id);
    ///     let lo = answer?.decode_one(Link::decode)?;
    ///     println!("{}", lo.name);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::submit`] (nothing was queued) and [`Conn::receive`]
    /// (the request was queued and sent; it completes as usual).
    pub fn submit_now(&mut self, encode: impl EncodeClosure) -> Result<RequestId, Error> {
        let id = self.pipeline.submit_with(encode, RequestOptions::new())?;
        drive::flush(&mut self.pipeline, self.sock.get_ref());
        if self.pipeline.awaits_answers() {
            // Reads, routes completions, sends what they freed, and
            // updates the registration once.
            self.receive()?;
        } else {
            self.update_interest()?;
        }
        Ok(id)
    }

    /// Queue requests that must reach the kernel in one datagram (an
    /// nfnetlink batch); see [`Pipeline::submit_batch`].
    ///
    /// # Errors
    ///
    /// As [`Pipeline::submit_batch`]; nothing is queued on error.
    pub fn submit_batch<E: Encode>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<RequestId>, Error> {
        let ids = self.pipeline.submit_batch(requests)?;
        self.update_interest()?;
        Ok(ids)
    }

    /// Queue the next request of a sequence that may hold nfnetlink
    /// batches, as [`nl_rustix::Conn::batch`] takes them (a `BATCH_BEGIN`
    /// opens a batch that the next `BATCH_END` closes); see
    /// [`Pipeline::submit_item`]. The completions carry the same
    /// per-request results as that call's.
    ///
    /// # Errors
    ///
    /// As [`Pipeline::submit_item`].
    pub fn submit_item(
        &mut self,
        encode: &impl Encode,
        opts: RequestOptions,
    ) -> Result<RequestId, Error> {
        let was_empty = self.pipeline.queued() == 0;
        let id = self.pipeline.submit_item(encode, opts)?;
        if was_empty || !self.pipeline.batch_open() {
            self.update_interest()?;
        }
        Ok(id)
    }

    /// Send every queued request the budget admits now, without waiting
    /// for a writable event. A send that would block leaves the rest
    /// queued for the next writable event.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the poll registration cannot be updated. A failed
    /// send fails its requests (reported as their completions).
    pub fn flush(&mut self) -> Result<(), Error> {
        drive::flush(&mut self.pipeline, self.sock.get_ref());
        // What was sent left room in the queue for verbs' batches.
        self.resume_batches();
        self.update_interest()
    }

    /// Read every datagram queued on the socket (until `EAGAIN`, or until
    /// no answer is awaited any more; see [`drive::drain`]) and feed it
    /// to the pipeline, then send what the freed budget admits. Each
    /// datagram's size is peeked first when the pipeline wants that
    /// ([`Pipeline::wants_peek`]); a datagram cut short all the same
    /// fails only the request whose answer it was.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] for a receive error other than `EAGAIN` and
    /// `ENOBUFS` (after which the pipeline resynchronises, and requests
    /// whose answers were lost complete with
    /// [`Error::OutcomeUnknown`]).
    pub fn receive(&mut self) -> Result<(), Error> {
        drive::drain(&mut self.pipeline, self.sock.get_ref(), &mut self.recv)
            .map_err(|e| Error::io("recv netlink answers", &e))?;
        // Verbs waiting on these answers queue their next requests now.
        self.route_completions();
        self.flush()
    }

    /// Handle a readiness event for this connection: read if readable,
    /// and send what may be sent.
    ///
    /// # Errors
    ///
    /// As [`Conn::receive`] and [`Conn::flush`].
    pub fn on_ready(&mut self, event: &Event) -> Result<(), Error> {
        if event.is_readable() || event.is_error() {
            self.receive()
        } else {
            self.flush()
        }
    }

    /// Complete every request whose deadline passed by `now` with
    /// [`Error::Timeout`]; its late answer, if one comes, is dropped.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.pipeline.handle_timeout(now);
        self.route_completions();
    }

    /// The nearest request deadline.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.pipeline.next_deadline()
    }

    /// The poll timeout: how long until the nearest deadline (`None`: no
    /// request has one).
    pub fn timeout(&self) -> Option<Duration> {
        self.pipeline.timeout(Instant::now())
    }

    /// The next completed request: its id, and its answer or error.
    /// Requests of verbs ([`Conn::call`]) are not among them: their
    /// answers go to the verb, whose result [`Conn::poll_call`] gives.
    pub fn poll_completion(&mut self) -> Option<(RequestId, Result<Answer, Error>)> {
        if let Some(c) = self.calls.pop_raw() {
            return Some(c);
        }
        if !self.calls.any_waiting() {
            // No verb waits for an answer: every completion is a raw one.
            return self.pipeline.poll_completion();
        }
        self.route_completions();
        self.calls.pop_raw()
    }

    /// Every completion available now.
    pub fn completions(&mut self) -> impl Iterator<Item = (RequestId, Result<Answer, Error>)> + '_ {
        std::iter::from_fn(|| self.poll_completion())
    }

    /// Whether any request has not completed yet.
    pub fn is_busy(&self) -> bool {
        self.pipeline.is_busy()
    }

    /// Counters since creation.
    pub fn stats(&self) -> Stats {
        self.pipeline.stats()
    }

    /// The interest this connection needs now: `READABLE`, plus `WRITABLE`
    /// while it has requests it may send. For loops other than mio (epoll,
    /// io_uring) that watch [`as_fd`](AsFd::as_fd) themselves.
    pub fn interest(&self) -> Interest {
        match self.extra_interest() {
            Some(w) => Interest::READABLE | w,
            None => Interest::READABLE,
        }
    }

    /// The interest registered with the poll now, if registered.
    pub fn registered_interest(&self) -> Option<Interest> {
        self.reg.as_ref().map(Registration::current)
    }

    fn extra_interest(&self) -> Option<Interest> {
        self.pipeline.wants_send().then_some(Interest::WRITABLE)
    }

    pub(crate) fn update_interest(&mut self) -> Result<(), Error> {
        let extra = self.extra_interest();
        let fd = self.sock.as_raw_fd();
        if let Some(reg) = &mut self.reg {
            reg.update(fd, extra)
                .map_err(|e| Error::io("update poll registration", &e))?;
        }
        Ok(())
    }
}

impl Source for Conn {
    /// Register for `interests` (normally `READABLE`); the connection adds
    /// `WRITABLE` itself while it has requests to send.
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        let extra = self.extra_interest();
        self.reg = Some(Registration::register(
            self.sock.as_raw_fd(),
            registry,
            token,
            interests,
            extra,
        )?);
        Ok(())
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        let extra = self.extra_interest();
        let fd = self.sock.as_raw_fd();
        match &mut self.reg {
            Some(reg) => reg.reregister(fd, registry, token, interests, extra),
            None => self.register(registry, token, interests),
        }
    }

    fn deregister(&mut self, _registry: &Registry) -> io::Result<()> {
        match self.reg.take() {
            Some(reg) => reg.deregister(self.sock.as_raw_fd()),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "not registered")),
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(reg) = self.reg.take() {
            let _ = reg.deregister(self.sock.as_raw_fd());
        }
    }
}

impl AsFd for Conn {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl AsRawFd for Conn {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}
