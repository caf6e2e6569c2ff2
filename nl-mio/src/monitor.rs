//! A monitor as a mio source: the kernel's change notifications, read
//! without blocking.

use crate::socket::{Registration, Socket};
use mio::event::Source;
use mio::{Interest, Registry, Token};
use nl_proto::route::Group;
use nl_proto::session::Source as Sender;
use nl_rustix::monitor::{Event, MONITOR_BUF, MonitorCore, is_overflow};
use nl_rustix::{Error, Netns, PinnedNetns, Protocol, Received};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

/// A non-blocking monitor: a socket joined to multicast groups whose
/// notifications come out decoded, exactly as nl-rustix's blocking
/// [`Monitor`](nl_rustix::monitor::Monitor) yields them (both feed the same
/// [`MonitorCore`]).
///
/// Register it for `READABLE`; on each readable event call
/// [`next_event`](Self::next_event) until it returns `None` (readiness is
/// edge-triggered: the socket must be drained). When the kernel dropped
/// notifications (its queue for this socket was full) the next event is
/// [`Event::ResyncNeeded`]: re-list what you track, and carry on, the
/// monitor keeps delivering. Dropping it deregisters it first.
///
/// ```no_run
/// use mio::{Events, Interest, Poll, Token};
/// use nl_mio::Monitor;
/// use nl_mio::nl_rustix::monitor::Event;
/// use nl_proto::route::{Group, change::Change};
///
/// let mut poll = Poll::new()?;
/// let mut monitor = Monitor::route(&nl_mio::Netns::Current, &[Group::LINK])?;
/// poll.registry().register(&mut monitor, Token(1), Interest::READABLE)?;
/// let mut events = Events::with_capacity(8);
/// loop {
///     poll.poll(&mut events, None)?;
///     while let Some(event) = monitor.next_event() {
///         match event? {
///             Event::Change { change: Change::NewLink(l), .. } => println!("link {}", l.name),
///             Event::ResyncNeeded => println!("events lost: re-list"),
///             _ => {}
///         }
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Monitor {
    sock: Socket,
    core: MonitorCore,
    buf: Vec<u8>,
    netns: PinnedNetns,
    reg: Option<Registration>,
}

impl Monitor {
    /// An rtnetlink monitor in `netns`, joined to `groups`.
    ///
    /// # Errors
    ///
    /// As [`Monitor::open`].
    pub fn route(netns: &Netns, groups: &[Group]) -> Result<Self, Error> {
        let numbers: Vec<u32> = groups.iter().map(|g| g.0).collect();
        Self::open(netns, Protocol::Route, &numbers)
    }

    /// A monitor of `protocol` in `netns` (any [`Netns`]: by pid, path,
    /// name or descriptor, pinned now: see [`Netns::pin`]), joined to
    /// `groups` by number, above 31 too.
    ///
    /// # Errors
    ///
    /// Pinning `netns` or opening the socket in it fails, or joining a
    /// group (`EINVAL` for a group the protocol does not have).
    pub fn open(netns: &Netns, protocol: Protocol, groups: &[u32]) -> Result<Self, Error> {
        let netns = netns.pin()?;
        let sock = Socket::open_in(&netns.netns(), protocol)?;
        for &g in groups {
            sock.get_ref().join(g)?;
        }
        Ok(Self {
            sock,
            core: MonitorCore::new(protocol),
            buf: vec![0; MONITOR_BUF],
            netns,
            reg: None,
        })
    }

    /// Join one more group.
    ///
    /// # Errors
    ///
    /// As [`nl_rustix::Socket::join`].
    pub fn join(&self, group: u32) -> Result<(), Error> {
        self.sock.get_ref().join(group)
    }

    /// Leave a group.
    ///
    /// # Errors
    ///
    /// As [`nl_rustix::Socket::leave`].
    pub fn leave(&self, group: u32) -> Result<(), Error> {
        self.sock.get_ref().leave(group)
    }

    /// The socket.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// The namespace this monitor watches, pinned when it was opened.
    pub fn netns(&self) -> &PinnedNetns {
        &self.netns
    }

    /// The next event, without blocking: `None` once the socket has
    /// nothing more queued (wait for the next readable event). The event
    /// borrows the monitor's buffer; [`Event::to_owned`] keeps it longer.
    ///
    /// An `Err` concerns one notification or one receive; the monitor stays
    /// usable.
    pub fn next_event(&mut self) -> Option<Result<Event<'_>, Error>> {
        loop {
            if self.core.ready(&self.buf) {
                return self.core.next_event(&self.buf);
            }
            match self.sock.get_ref().recv_vec(&mut self.buf) {
                Ok(Received::Datagram { len, src }) => self.core.datagram(len, src),
                Ok(Received::Truncated { .. }) => self.core.truncated(),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return None,
                Err(e) if is_overflow(&e) => {
                    if let Err(e) = self.discard_queued() {
                        return Some(Err(e));
                    }
                    self.core.overflowed();
                }
                Err(e) => return Some(Err(Error::io("recv netlink notifications", &e))),
            }
        }
    }

    /// After an overflow, empty the receive queue: the kernel delivers
    /// nothing more to a congested socket until its queue has been emptied
    /// once (see [`MonitorCore::overflowed`]). What is discarded is older
    /// than the re-list the consumer makes on [`Event::ResyncNeeded`].
    fn discard_queued(&mut self) -> Result<(), Error> {
        self.core.datagram(0, Sender::KERNEL);
        self.sock
            .get_ref()
            .discard_queued()
            .map(drop)
            .map_err(|e| Error::io("recv netlink notifications", &e))
    }
}

impl Source for Monitor {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.reg = Some(Registration::register(
            self.sock.as_raw_fd(),
            registry,
            token,
            interests,
            None,
        )?);
        Ok(())
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        let fd = self.sock.as_raw_fd();
        match &mut self.reg {
            Some(reg) => reg.reregister(fd, registry, token, interests, None),
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

impl Drop for Monitor {
    fn drop(&mut self) {
        if let Some(reg) = self.reg.take() {
            let _ = reg.deregister(self.sock.as_raw_fd());
        }
    }
}

impl AsFd for Monitor {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl AsRawFd for Monitor {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}
