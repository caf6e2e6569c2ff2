//! Monitors: the kernel's change notifications as they happen.
//!
//! A [`Monitor`] is a socket joined to multicast groups, by number, of any
//! protocol: rtnetlink groups such as [`Group::LINK`] or
//! [`Group::NEXTHOP`] (32, past the legacy bitmask), generic netlink
//! groups resolved through the controller, nfnetlink groups. Each
//! rtnetlink notification is decoded through the same codecs as a dump
//! ([`Change`]); notifications of other protocols come as the raw message
//! for that family's decoder.
//!
//! Multicast is lossy. When the socket's receive queue overflows the
//! kernel drops notifications and reports `ENOBUFS`; the monitor turns
//! that into [`Event::ResyncNeeded`] and keeps working. The consumer then
//! re-lists what it tracks ([`Snapshot::take`] does it for rtnetlink):
//! events are wake-up hints, a dump is the truth.
//!
//! The part that is not I/O, [`MonitorCore`], is separate so that other
//! drivers (nl-mio's monitor source) feed it the datagrams they receive and
//! get exactly the same events:
//!
//! ```text
//! recv(buf) ──► core.datagram(len, src) ──► core.next_event(&buf) … None
//! ENOBUFS   ──► core.overflowed()       ──► next_event yields ResyncNeeded
//! ```
//!
//! ```no_run
//! use nl_rustix::monitor::{Event, Monitor};
//! use nl_rustix::nl_proto::route::{change::Change, Group};
//! use nl_rustix::Netns;
//!
//! let mut monitor = Monitor::route(&Netns::Current, &[Group::LINK, Group::IPV4_IFADDR])?;
//! loop {
//!     match monitor.recv()? {
//!         Event::Change { change: Change::NewLink(link), .. } => println!("link {}", link.name),
//!         Event::Change { change: Change::NewAddress(a), .. } => println!("address {:?}", a.prefix()),
//!         Event::ResyncNeeded => { /* events were lost: re-list */ }
//!         _ => {}
//!     }
//! }
//! # Ok::<(), nl_rustix::Error>(())
//! ```

pub use crate::snapshot::{SnapshotDump, SnapshotEntry};
use crate::socket::{Protocol, Received, Socket};
use crate::{Conn, Error, Netns, PinnedNetns};
use nl_proto::route::Group;
use nl_proto::route::addr::Address;
use nl_proto::route::change::Change;
use nl_proto::route::link::Link;
use nl_proto::route::neigh::Neighbour;
use nl_proto::route::nexthop::Nexthop;
use nl_proto::route::route::Route;
use nl_proto::route::rule::Rule;
use nl_proto::session::{self, Session, Source};
use nl_proto::wire::Msg;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Duration;

/// The receive buffer (user space) a monitor starts with: one datagram.
/// Notifications are one message each, a few KiB at most.
pub const MONITOR_BUF: usize = 16 * 1024;

/// What a monitor receives.
// A change is as large as a decoded link (about 1 KiB); an event is
// produced and moved once per notification, so boxing would only add an
// allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'b> {
    /// An rtnetlink notification, decoded.
    Change {
        /// The multicast group it was sent to (e.g. 32 for
        /// [`Group::NEXTHOP`]).
        group: u32,
        /// What changed.
        change: Change<'b>,
        /// The message it was decoded from, for what the typed value
        /// leaves out (header flags, the family header, attributes such
        /// as `IFLA_EVENT`).
        msg: RawMsg<'b>,
    },
    /// A notification of another protocol (generic netlink, nfnetlink),
    /// for that family's decoder.
    Message {
        /// The multicast group it was sent to.
        group: u32,
        /// The message.
        msg: RawMsg<'b>,
    },
    /// The kernel dropped notifications (`ENOBUFS`: the socket's receive
    /// queue was full), or one did not fit the buffer. What the consumer
    /// tracks may be stale: re-list it. The monitor keeps delivering.
    ResyncNeeded,
}

/// A received message, borrowed; compares by its bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawMsg<'b>(pub Msg<'b>);

impl PartialEq for RawMsg<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.header() == other.0.header() && self.0.payload() == other.0.payload()
    }
}

impl Event<'_> {
    /// A copy that owns its data, for keeping past the next receive.
    pub fn to_owned(&self) -> OwnedEvent {
        match self {
            Self::Change { group, change, .. } => match change.clone().into_static() {
                Ok(change) => OwnedEvent::Change {
                    group: *group,
                    change,
                },
                Err(msg) => OwnedEvent::Message {
                    group: *group,
                    bytes: msg_bytes(&msg),
                },
            },
            Self::Message {
                group,
                msg: RawMsg(msg),
            } => OwnedEvent::Message {
                group: *group,
                bytes: msg_bytes(msg),
            },
            Self::ResyncNeeded => OwnedEvent::ResyncNeeded,
        }
    }
}

/// An [`Event`] that owns its data, as [`Monitor::iter`] yields it.
#[allow(clippy::large_enum_variant)] // as `Event`
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OwnedEvent {
    /// A decoded rtnetlink change (never [`Change::Other`]: those are
    /// [`OwnedEvent::Message`]).
    Change {
        /// The multicast group it was sent to.
        group: u32,
        /// What changed.
        change: Change<'static>,
    },
    /// A message not decoded into a [`Change`]: the whole message (header
    /// and payload); [`OwnedEvent::msg`] parses it back.
    Message {
        /// The multicast group it was sent to.
        group: u32,
        /// The message's bytes.
        bytes: Vec<u8>,
    },
    /// See [`Event::ResyncNeeded`].
    ResyncNeeded,
}

impl OwnedEvent {
    /// The message of an [`OwnedEvent::Message`].
    pub fn msg(&self) -> Option<Msg<'_>> {
        match self {
            Self::Message { bytes, .. } => Msg::parse(bytes).ok().map(|(m, _)| m),
            _ => None,
        }
    }
}

fn msg_bytes(msg: &Msg<'_>) -> Vec<u8> {
    let h = msg.header();
    let mut out = Vec::with_capacity(16 + msg.payload().len());
    out.extend_from_slice(&h.len.get().to_ne_bytes());
    out.extend_from_slice(&h.ty.get().to_ne_bytes());
    out.extend_from_slice(&h.flags.get().to_ne_bytes());
    out.extend_from_slice(&h.seq.get().to_ne_bytes());
    out.extend_from_slice(&h.pid.get().to_ne_bytes());
    out.extend_from_slice(msg.payload());
    out
}

/// The I/O-free half of a monitor: classifies each received datagram
/// with the protocol core's session and decodes its notifications, and
/// turns a receive-queue overflow into [`Event::ResyncNeeded`].
///
/// A driver owns the socket and the buffer, and calls, per datagram:
/// [`MonitorCore::datagram`] after receiving `len` bytes from `src` into
/// its buffer, then [`MonitorCore::next_event`] with that buffer until it
/// returns `None`. When a receive fails with `ENOBUFS` it calls
/// [`MonitorCore::overflowed`] (or [`MonitorCore::recv_failed`], which
/// tells `ENOBUFS` from other errors); when a datagram did not fit the
/// buffer, [`MonitorCore::truncated`]. Unicast messages (a monitor sends no
/// requests) and datagrams from other processes are skipped.
#[derive(Debug)]
pub struct MonitorCore {
    protocol: Protocol,
    /// Holds no requests: it only classifies (notification, stray, foreign).
    session: Session<1>,
    src: Source,
    /// Unread part of the current datagram: `buf[pos..len]`.
    pos: usize,
    len: usize,
    resync: bool,
}

impl MonitorCore {
    /// A core for notifications of `protocol` (rtnetlink ones are decoded
    /// into [`Change`]s, others passed raw).
    pub fn new(protocol: Protocol) -> Self {
        Self {
            protocol,
            session: Session::new(),
            src: Source::KERNEL,
            pos: 0,
            len: 0,
            resync: false,
        }
    }

    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// A datagram of `len` bytes from `src` is now at the start of the
    /// driver's buffer. Anything unread of the previous one is dropped.
    pub fn datagram(&mut self, len: usize, src: Source) {
        self.src = src;
        self.pos = 0;
        self.len = len;
    }

    /// The kernel dropped notifications (`ENOBUFS` from `recv`): the next
    /// event is [`Event::ResyncNeeded`] (one, however many overflows
    /// happen before it is read).
    ///
    /// Before calling this, the driver empties the socket's receive queue
    /// (receive without waiting until `EAGAIN`, discarding). The kernel
    /// marks an overflowed socket congested and silently drops every
    /// further notification for it until its queue has been emptied, with
    /// no second `ENOBUFS`; so a consumer that re-listed while stale
    /// notifications were still queued would miss the changes made after
    /// its re-list. What is discarded is older than the re-list the
    /// consumer makes on [`Event::ResyncNeeded`], which supersedes it.
    pub fn overflowed(&mut self) {
        self.resync = true;
    }

    /// A datagram was larger than the buffer and its tail is lost: the
    /// notifications in it are unknown, so this too needs a resync.
    pub fn truncated(&mut self) {
        self.len = 0;
        self.resync = true;
    }

    /// Sort out a failed receive: `ENOBUFS` is [`MonitorCore::overflowed`]
    /// and `Ok` (empty the queue first, see there); a timeout or
    /// would-block is [`Error::Timeout`] with `waited`; anything else
    /// [`Error::Sys`].
    ///
    /// # Errors
    ///
    /// As above.
    pub fn recv_failed(
        &mut self,
        error: &std::io::Error,
        waited: Option<Duration>,
    ) -> Result<(), Error> {
        if is_overflow(error) {
            self.overflowed();
            return Ok(());
        }
        if error.kind() == std::io::ErrorKind::WouldBlock {
            return Err(Error::Timeout(waited.unwrap_or_default()));
        }
        Err(Error::io("recv netlink notification", error))
    }

    /// Whether [`MonitorCore::next_event`] may yield something without a
    /// new datagram.
    pub fn has_pending(&self) -> bool {
        self.resync || self.pos < self.len
    }

    /// Skip what a monitor ignores (unicast, other processes) up to the
    /// next event; whether there is one. [`MonitorCore::next_event`] does
    /// this too; a driver that must know before borrowing its buffer for
    /// the event calls this first.
    pub fn ready(&mut self, buf: &[u8]) -> bool {
        loop {
            if self.resync {
                return true;
            }
            let Some(rest) = buf.get(self.pos..self.len) else {
                self.len = 0;
                return false;
            };
            if rest.is_empty() {
                return false;
            }
            let used = match Msg::parse(rest) {
                // A framing error is reported by next_event.
                Err(_) => return true,
                Ok((_, used)) => used,
            };
            let one = rest.get(..used).unwrap_or(rest);
            match self.session.feed(one, self.src).next() {
                Some(Ok(session::Event::Notification { .. }) | Err(_)) => return true,
                Some(Ok(session::Event::Foreign { .. })) => self.len = 0,
                _ => self.pos += used,
            }
        }
    }

    /// The next event of the current datagram (read from `buf`, the buffer
    /// the datagram was received into), or `None` when it is used up and
    /// the driver should receive another.
    ///
    /// An `Err` is for one message (a notification that failed to decode,
    /// or a broken length that ends the datagram); the core stays usable.
    pub fn next_event<'b>(&mut self, buf: &'b [u8]) -> Option<Result<Event<'b>, Error>> {
        if !self.ready(buf) {
            return None;
        }
        if self.resync {
            self.resync = false;
            return Some(Ok(Event::ResyncNeeded));
        }
        let rest = buf.get(self.pos..self.len)?;
        let (msg, used) = match Msg::parse(rest) {
            Ok(m) => m,
            Err(e) => {
                self.len = 0;
                return Some(Err(Error::Decode(e)));
            }
        };
        self.pos += used;
        let group = self.src.multicast_group().unwrap_or(0);
        Some(match self.protocol {
            Protocol::Route => Change::decode(&msg)
                .map(|change| Event::Change {
                    group,
                    change,
                    msg: RawMsg(msg),
                })
                .map_err(Error::Decode),
            _ => Ok(Event::Message {
                group,
                msg: RawMsg(msg),
            }),
        })
    }
}

/// Whether a receive failed because the kernel dropped messages.
pub fn is_overflow(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::ENOBUFS)
}

/// A blocking monitor: a socket joined to multicast groups, a reused
/// receive buffer, and a [`MonitorCore`]. See the [module docs](self).
#[derive(Debug)]
pub struct Monitor {
    sock: Socket,
    core: MonitorCore,
    buf: Vec<u8>,
    /// Where the socket was opened: what [`Monitor::snapshot`] lists.
    netns: PinnedNetns,
    timeout: Option<Duration>,
}

impl Monitor {
    /// An rtnetlink monitor in `netns`, joined to `groups` (e.g.
    /// [`Group::CHANGES`]).
    ///
    /// # Errors
    ///
    /// As [`Monitor::open`].
    pub fn route(netns: &Netns, groups: &[Group]) -> Result<Self, Error> {
        let numbers: Vec<u32> = groups.iter().map(|g| g.0).collect();
        Self::open(netns, Protocol::Route, &numbers)
    }

    /// A monitor of `protocol` in `netns`, joined to `groups` by number
    /// (any number the family has, above 31 too). It blocks in
    /// [`Monitor::recv`] until a notification arrives.
    ///
    /// # Errors
    ///
    /// Pinning `netns` ([`Netns::pin`]) or opening the socket in it
    /// fails, or joining a group (`EINVAL` for a group the protocol does
    /// not have).
    pub fn open(netns: &Netns, protocol: Protocol, groups: &[u32]) -> Result<Self, Error> {
        let netns = netns.pin()?;
        let sock = netns.netns().socket(protocol)?;
        sock.set_recv_timeout(None)?;
        for &g in groups {
            sock.join(g)?;
        }
        Ok(Self {
            sock,
            core: MonitorCore::new(protocol),
            buf: vec![0; MONITOR_BUF],
            netns,
            timeout: None,
        })
    }

    /// Join one more group.
    ///
    /// # Errors
    ///
    /// As [`Socket::join`].
    pub fn join(&self, group: u32) -> Result<(), Error> {
        self.sock.join(group)
    }

    /// Leave a group.
    ///
    /// # Errors
    ///
    /// As [`Socket::leave`].
    pub fn leave(&self, group: u32) -> Result<(), Error> {
        self.sock.leave(group)
    }

    /// Size the kernel's receive queue for this socket (`SO_RCVBUF`):
    /// how many notifications may wait unread before the kernel drops
    /// them and the monitor reports [`Event::ResyncNeeded`]. The kernel
    /// doubles the figure for its bookkeeping and, without
    /// `CAP_NET_ADMIN`, caps it at `net.core.rmem_max`. Returns what was
    /// granted.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_queue_size(&self, bytes: usize) -> Result<usize, Error> {
        use rustix::net::sockopt;
        // The forced option (CAP_NET_ADMIN) is not capped by rmem_max.
        if sockopt::set_socket_recv_buffer_size_force(&self.sock, bytes).is_err() {
            sockopt::set_socket_recv_buffer_size(&self.sock, bytes)
                .map_err(|e| Error::sys("SO_RCVBUF", e))?;
        }
        self.sock.recv_buffer_size()
    }

    /// Size the user-space buffer one datagram is received into (at
    /// least 4 KiB; [`MONITOR_BUF`] to start). A notification larger than
    /// it is lost and reported as [`Event::ResyncNeeded`], and the buffer
    /// grows to its size.
    pub fn set_buffer_size(&mut self, bytes: usize) {
        self.buf = vec![0; bytes.max(4096)];
        self.core.datagram(0, Source::KERNEL);
    }

    /// Make [`Monitor::recv`] give up with [`Error::Timeout`] after
    /// `timeout` without a notification (`None`, the default: wait
    /// forever).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        self.sock.set_recv_timeout(timeout)?;
        self.timeout = timeout;
        Ok(())
    }

    /// The socket.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// The namespace this monitor watches, pinned when it was opened
    /// (a process named by pid may have moved or exited since; see
    /// [`PinnedNetns::check`]).
    pub fn netns(&self) -> &PinnedNetns {
        &self.netns
    }

    /// Wait for the next event. It borrows the monitor's buffer; see
    /// [`Event::to_owned`] or [`Monitor::iter`] to keep it longer.
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] (see [`Monitor::set_timeout`]), [`Error::Sys`]
    /// for a failed receive, [`Error::Decode`] for a notification that did
    /// not decode. The monitor stays usable after any of them.
    pub fn recv(&mut self) -> Result<Event<'_>, Error> {
        while !self.core.ready(&self.buf) {
            self.fill()?;
        }
        self.core
            .next_event(&self.buf)
            .unwrap_or(Err(Error::Unexpected(
                "monitor lost its place in a datagram",
            )))
    }

    /// Receive one datagram into the buffer and hand it to the core.
    fn fill(&mut self) -> Result<(), Error> {
        match self.sock.recv(&mut self.buf) {
            Ok(Received::Datagram { len, src }) => self.core.datagram(len, src),
            Ok(Received::Truncated { len, .. }) => {
                // That notification is lost; the next one of its size fits.
                self.buf.resize(len, 0);
                self.core.truncated();
            }
            Err(e) if is_overflow(&e) => {
                self.discard_queued()?;
                self.core.overflowed();
            }
            Err(e) => self.core.recv_failed(&e, self.timeout)?,
        }
        Ok(())
    }

    /// After an overflow, empty the receive queue (see
    /// [`MonitorCore::overflowed`]): the kernel delivers nothing more to
    /// this socket until its queue has been emptied once.
    fn discard_queued(&mut self) -> Result<(), Error> {
        let drained = self.sock.discard_queued();
        self.core.datagram(0, Source::KERNEL);
        drained
            .map(drop)
            .map_err(|e| Error::io("recv netlink notification", &e))
    }

    /// The events as an iterator of owned values. It ends only when the
    /// monitor's timeout expires ([`Monitor::set_timeout`]); other errors
    /// are yielded and iteration continues.
    pub fn iter(&mut self) -> Iter<'_> {
        Iter { monitor: self }
    }

    /// Re-list this monitor's namespace — the one its socket was opened
    /// in, never resolved again — links, addresses, routes, neighbours and
    /// rules, through a short-lived connection: what a consumer does after
    /// [`Event::ResyncNeeded`].
    ///
    /// # Errors
    ///
    /// As [`Snapshot::take`].
    pub fn snapshot(&self) -> Result<Snapshot, Error> {
        Snapshot::take(&self.netns.netns())
    }
}

impl AsFd for Monitor {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// Iterator of a monitor's events; see [`Monitor::iter`].
#[derive(Debug)]
pub struct Iter<'m> {
    monitor: &'m mut Monitor,
}

impl Iterator for Iter<'_> {
    type Item = Result<OwnedEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.monitor.recv() {
            Ok(event) => Some(Ok(event.to_owned())),
            Err(Error::Timeout(_)) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// A namespace's rtnetlink state, as a resync reads it: every link,
/// address, route (IPv4 and IPv6, every table, cache clones left out),
/// neighbour (IPv4 and IPv6), rule (IPv4 and IPv6) and nexthop object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Links.
    pub links: Vec<Link>,
    /// Addresses.
    pub addresses: Vec<Address>,
    /// Routes.
    pub routes: Vec<Route>,
    /// Neighbours.
    pub neighbours: Vec<Neighbour>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Nexthop objects.
    pub nexthops: Vec<Nexthop>,
    /// Qdiscs, classes and filters: read only by a reconcile pass whose
    /// desired state has a `qdiscs` section
    /// ([`SnapshotDump::Tc`]), empty in a resync.
    pub tc: Vec<nl_proto::tc::Tc>,
}

impl Snapshot {
    /// Dump everything from `netns` over a connection opened for it.
    ///
    /// # Errors
    ///
    /// Opening the connection, or any dump.
    pub fn take(netns: &Netns) -> Result<Self, Error> {
        Conn::open_in(netns)?.snapshot()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_proto::route::link::{IfFlags, IfInfoMsg};
    use nl_proto::route::{AddrFamily, RTM_DELLINK};
    use nl_proto::wire::{Flags, MsgType, MsgWriter};

    /// A datagram of `RTM_DELLINK` for `v0` (index 3), then an
    /// `RTM_NEWNETCONF` (80) with an empty `netconfmsg`.
    fn datagram(buf: &mut [u8]) -> usize {
        let mut w = MsgWriter::new(buf);
        w.begin(RTM_DELLINK, Flags::EMPTY).unwrap();
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            3,
            IfFlags(0),
            IfFlags(0),
        ))
        .unwrap();
        w.put_str(3, "v0").unwrap();
        w.finish().unwrap();
        w.begin(MsgType(80), Flags::EMPTY).unwrap();
        w.put_fixed(&[2u8, 0, 0, 0]).unwrap();
        w.finish().unwrap();
        w.len()
    }

    fn drain<'b>(core: &mut MonitorCore, buf: &'b [u8]) -> Vec<Result<Event<'b>, Error>> {
        std::iter::from_fn(|| core.next_event(buf)).collect()
    }

    #[test]
    fn notifications_decode_with_their_group() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        let mut core = MonitorCore::new(Protocol::Route);
        core.datagram(len, Source::multicast(1));
        let events = drain(&mut core, &buf);
        assert_eq!(events.len(), 2);
        match &events[0] {
            Ok(Event::Change {
                group: 1,
                change: Change::DelLink(l),
                msg,
            }) if msg.0.msg_type() == RTM_DELLINK => {
                assert_eq!((l.index, l.name.as_str()), (3, "v0"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &events[1],
            Ok(Event::Change { group: 1, change: Change::Other { msg }, .. }) if msg.msg_type() == MsgType(80)
        ));
        assert!(!core.has_pending());
    }

    #[test]
    fn other_protocols_pass_messages_raw_even_above_group_31() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        let mut core = MonitorCore::new(Protocol::Generic);
        core.datagram(len, Source::multicast(40));
        let events = drain(&mut core, &buf);
        assert!(
            events
                .iter()
                .all(|e| matches!(e, Ok(Event::Message { group: 40, .. })))
        );
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn unicast_and_foreign_datagrams_are_skipped() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        let mut core = MonitorCore::new(Protocol::Route);
        core.datagram(len, Source::KERNEL);
        assert!(drain(&mut core, &buf).is_empty());
        core.datagram(len, Source::from_address(4242, 1));
        assert!(drain(&mut core, &buf).is_empty());
    }

    #[test]
    fn overflow_and_truncation_yield_one_resync_each_time() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        let mut core = MonitorCore::new(Protocol::Route);
        core.overflowed();
        core.overflowed();
        assert!(core.has_pending());
        let events = drain(&mut core, &buf);
        assert!(matches!(events.as_slice(), [Ok(Event::ResyncNeeded)]));
        // And the core keeps working afterwards.
        core.datagram(len, Source::multicast(1));
        assert_eq!(drain(&mut core, &buf).len(), 2);
        core.truncated();
        assert!(matches!(
            drain(&mut core, &buf).as_slice(),
            [Ok(Event::ResyncNeeded)]
        ));
        let e = std::io::Error::from_raw_os_error(libc::ENOBUFS);
        assert!(core.recv_failed(&e, None).is_ok());
        assert!(matches!(
            drain(&mut core, &buf).as_slice(),
            [Ok(Event::ResyncNeeded)]
        ));
        let e = std::io::Error::from_raw_os_error(libc::EAGAIN);
        let waited = Some(Duration::from_millis(5));
        assert!(
            matches!(core.recv_failed(&e, waited), Err(Error::Timeout(d)) if d == Duration::from_millis(5))
        );
    }

    #[test]
    fn a_broken_length_is_one_error_and_ends_the_datagram() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        // The second message claims more bytes than the datagram has.
        let first = usize::try_from(u32::from_ne_bytes(buf[..4].try_into().unwrap())).unwrap();
        buf[first..first + 4].copy_from_slice(&1000u32.to_ne_bytes());
        let mut core = MonitorCore::new(Protocol::Route);
        core.datagram(len, Source::multicast(1));
        let events = drain(&mut core, &buf);
        assert_eq!(events.len(), 2);
        assert!(events[0].is_ok());
        assert!(matches!(events[1], Err(Error::Decode(_))));
    }

    #[test]
    fn owned_events_keep_raw_messages_whole() {
        let mut buf = [0u8; 256];
        let len = datagram(&mut buf);
        let mut core = MonitorCore::new(Protocol::Route);
        core.datagram(len, Source::multicast(24));
        let owned: Vec<OwnedEvent> = drain(&mut core, &buf)
            .into_iter()
            .map(|e| e.unwrap().to_owned())
            .collect();
        assert!(matches!(
            &owned[0],
            OwnedEvent::Change {
                group: 24,
                change: Change::DelLink(_)
            }
        ));
        let msg = owned[1].msg().expect("raw message");
        assert_eq!(
            (msg.msg_type(), msg.payload()),
            (MsgType(80), &[2u8, 0, 0, 0][..])
        );
    }
}
