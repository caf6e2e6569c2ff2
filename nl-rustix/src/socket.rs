//! A netlink socket: open, bind, options, send, receive with the sender's
//! address.

use crate::Error;
use crate::netns::NetnsName;
use crate::sys::{self, NetlinkOpt};
use nl_proto::session::Source;
use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketFlags, SocketType};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Which netlink protocol a socket speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `NETLINK_ROUTE`: links, addresses, routes, neighbours, rules.
    Route,
    /// `NETLINK_GENERIC`: generic netlink families.
    Generic,
    /// `NETLINK_NETFILTER`: nfnetlink (nf_tables, conntrack).
    Netfilter,
}

impl Protocol {
    fn raw(self) -> Option<rustix::net::Protocol> {
        match self {
            // rustix spells NETLINK_ROUTE (0) as "no protocol".
            Self::Route => None,
            Self::Generic => Some(rustix::net::netlink::GENERIC),
            Self::Netfilter => Some(rustix::net::netlink::NETFILTER),
        }
    }
}

/// The receive buffer we ask the kernel for. Dumps are sent in datagrams
/// of up to 32 KiB; a larger socket buffer lets several queue up.
const SO_RCVBUF: usize = 1 << 20;

/// An `AF_NETLINK` socket bound to a kernel-assigned port id.
///
/// Opened with `NETLINK_EXT_ACK` (the kernel explains errors),
/// `NETLINK_GET_STRICT_CHK` (dump filters are applied by the kernel, and
/// malformed requests rejected instead of ignored), each where the kernel
/// has it, and `NETLINK_PKTINFO` from its first [`join`](Socket::join)
/// (each datagram says which multicast group it was sent to, so
/// notifications are told from replies for every group number); and
/// connected to the kernel, which then refuses other processes' unicasts
/// to it: until it joins a multicast group, everything it receives is the
/// kernel's, read without the sender's address. (Should `connect` fail,
/// the socket stays unconnected and every receive reads the sender's
/// address.) The socket lives in the network namespace it was created in;
/// see [`Netns`](crate::Netns) to create one elsewhere.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port: u32,
    protocol: Protocol,
    /// `NETLINK_PKTINFO` is on (turned on by the first `join`): received
    /// datagrams carry their group.
    pktinfo: AtomicBool,
    /// Connected to the kernel: the kernel refuses other processes'
    /// unicasts to this socket.
    kernel_only: bool,
    /// A multicast group was joined: receives ask for the sender address
    /// and the `NETLINK_PKTINFO` control message. Until then (on a
    /// `kernel_only` socket) every datagram is the kernel's unicast, and
    /// a plain `recv` is cheaper.
    joined: AtomicBool,
    /// The network namespace it was opened in, as errors name it.
    netns: NetnsName,
}

impl Socket {
    /// Open a socket in the calling thread's network namespace.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if `socket`, `bind` or a socket option fails.
    pub fn open(protocol: Protocol) -> Result<Self, Error> {
        let fd = rustix::net::socket_with(
            AddressFamily::NETLINK,
            SocketType::RAW,
            SocketFlags::CLOEXEC,
            protocol.raw(),
        )
        .map_err(|e| Error::sys("socket(AF_NETLINK)", e))?;
        let mut sock = Self::from_fd(fd, protocol)?;
        sock.netns = NetnsName::of_this_thread();
        Ok(sock)
    }

    /// Set up an unbound netlink socket created elsewhere (e.g. in another
    /// namespace): bind it and set its options.
    pub(crate) fn from_fd(fd: OwnedFd, protocol: Protocol) -> Result<Self, Error> {
        rustix::net::bind(&fd, &SocketAddrNetlink::new(0, 0))
            .map_err(|e| Error::sys("bind(AF_NETLINK)", e))?;
        // Connected to port 0, the kernel: `netlink_getsockbyportid`
        // refuses a unicast from any other port to a connected socket
        // (ECONNREFUSED to the sender), so what such a socket receives
        // outside multicast groups is the kernel's.
        let connected = rustix::net::connect(&fd, &SocketAddrNetlink::new(0, 0)).is_ok();
        let addr = rustix::net::getsockname(&fd).map_err(|e| Error::sys("getsockname", e))?;
        let port = SocketAddrNetlink::try_from(addr)
            .map_err(|e| Error::sys("getsockname: not netlink", e))?
            .pid();
        // Best effort, as strict checking below: kernels before 4.12 lack
        // extended acks, and errors then carry the errno alone.
        let _ = sys::set_netlink_opt(&fd, NetlinkOpt::ExtAck, 1);
        // Kernels before 4.20 lack strict checking; requests still work.
        let _ = sys::set_netlink_opt(&fd, NetlinkOpt::GetStrictChk, 1);
        let mut sock = Self {
            fd,
            port,
            protocol,
            pktinfo: AtomicBool::new(false),
            kernel_only: false,
            joined: AtomicBool::new(false),
            netns: NetnsName::default(),
        };
        // What another process queued between `bind` and `connect`, before
        // the kernel began refusing its unicasts, goes.
        sock.kernel_only = connected && sock.discard_queued().is_ok();
        // Best effort: the default is already enough for one 32 KiB dump part.
        let _ = sock.set_recv_buffer_size(SO_RCVBUF);
        Ok(sock)
    }

    /// The port id the kernel assigned (`nl_pid` of our address).
    pub fn port_id(&self) -> u32 {
        self.port
    }

    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The network namespace it was opened in, as errors name it.
    pub(crate) fn netns_name(&self) -> &NetnsName {
        &self.netns
    }

    /// Name the namespace it was opened in as the caller named it.
    pub(crate) fn set_netns_given(&mut self, given: String) {
        self.netns.given = Some(given.into());
    }

    /// Ask for a receive buffer of `bytes` (`SO_RCVBUF`), forced past
    /// `net.core.rmem_max` when the caller may (`SO_RCVBUFFORCE`, needs
    /// `CAP_NET_ADMIN`), and return what the kernel granted (it doubles
    /// the request for bookkeeping, then caps it unless forced). A monitor
    /// that must survive bursts of events wants a large one; a small one
    /// makes the kernel drop events sooner (`ENOBUFS`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_recv_buffer_size(&self, bytes: usize) -> Result<usize, Error> {
        use rustix::net::sockopt::{
            set_socket_recv_buffer_size, set_socket_recv_buffer_size_force,
        };
        if set_socket_recv_buffer_size_force(&self.fd, bytes).is_err() {
            set_socket_recv_buffer_size(&self.fd, bytes).map_err(|e| Error::sys("SO_RCVBUF", e))?;
        }
        self.recv_buffer_size()
    }

    /// The receive buffer the kernel actually granted (`SO_RCVBUF` read
    /// back; the kernel doubles what was asked, then caps it).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn recv_buffer_size(&self) -> Result<usize, Error> {
        rustix::net::sockopt::socket_recv_buffer_size(&self.fd)
            .map_err(|e| Error::sys("SO_RCVBUF", e))
    }

    /// The network namespace this socket belongs to (and talks to), as a
    /// descriptor (`SIOCGSKNS`): e.g. to open more sockets there, or to
    /// check where a [`Netns`](crate::Netns) led.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`]; `EPERM` without `CAP_NET_ADMIN` in that namespace.
    pub fn netns(&self) -> Result<crate::Netns, Error> {
        let fd = sys::socket_netns(&self.fd).map_err(|e| Error::sys("SIOCGSKNS", e))?;
        Ok(crate::Netns::Fd(std::sync::Arc::new(fd)))
    }

    /// The send buffer the kernel granted (`SO_SNDBUF` read back). The
    /// kernel refuses a datagram longer than this minus 32 bytes
    /// (`EMSGSIZE`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn send_buffer_size(&self) -> Result<usize, Error> {
        rustix::net::sockopt::socket_send_buffer_size(&self.fd)
            .map_err(|e| Error::sys("SO_SNDBUF", e))
    }

    /// Raise the send buffer so that one datagram of `datagram` bytes can
    /// be sent, as nft does for its batches: `SO_SNDBUFFORCE` (needs
    /// `CAP_NET_ADMIN`, not capped by `net.core.wmem_max`), else
    /// `SO_SNDBUF`. Never shrinks it. Returns the largest datagram the
    /// socket now takes, which may still be less than asked.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the size cannot be read back.
    pub fn reserve_send_datagram(&self, datagram: usize) -> Result<usize, Error> {
        // The kernel doubles what it is asked for (bookkeeping overhead)
        // and caps the request at INT_MAX / 2.
        const OVERHEAD: usize = 32;
        let largest = |granted: usize| granted.saturating_sub(OVERHEAD);
        let granted = self.send_buffer_size()?;
        if largest(granted) >= datagram {
            return Ok(largest(granted));
        }
        let ask = datagram
            .saturating_add(OVERHEAD)
            .div_ceil(2)
            .min(i32::MAX as usize / 2);
        if rustix::net::sockopt::set_socket_send_buffer_size_force(&self.fd, ask).is_err() {
            let _ = rustix::net::sockopt::set_socket_send_buffer_size(&self.fd, ask);
        }
        Ok(largest(self.send_buffer_size()?))
    }

    /// Make the socket take what [`Pipeline::staged_room`](crate::engine::Pipeline::staged_room)
    /// asks for: a send buffer for the datagram
    /// ([`reserve_send_datagram`](Socket::reserve_send_datagram)) and a
    /// receive buffer for its answers (raised, never shrunk, forced past
    /// `net.core.rmem_max` when privileged, as nft does for its batches;
    /// best effort, as the pipeline resynchronises after an overflow).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] with `EMSGSIZE` when the socket cannot send a
    /// datagram that large (`net.core.wmem_max`; `SO_SNDBUFFORCE` needs
    /// `CAP_NET_ADMIN`); [`Error::Sys`] if the sizes cannot be read.
    pub fn make_room(&self, room: crate::engine::Room) -> Result<(), Error> {
        let can = self.reserve_send_datagram(room.datagram)?;
        if can < room.datagram {
            return Err(Error::sys(
                format!(
                    "netlink datagram of {} bytes: the socket sends at most {can} \
                     (net.core.wmem_max; SO_SNDBUFFORCE needs CAP_NET_ADMIN)",
                    room.datagram
                ),
                Errno::MSGSIZE,
            ));
        }
        if self.recv_buffer_size()? < room.answers {
            // The kernel doubles what it is asked for.
            let ask = room.answers.div_ceil(2).min(i32::MAX as usize / 2);
            let _ = self.set_recv_buffer_size(ask);
        }
        Ok(())
    }

    /// Join multicast group `group` by number (`NETLINK_ADD_MEMBERSHIP`,
    /// which works for groups past 31 too).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`], e.g. `EINVAL` for a group the family does not have;
    /// `EOPNOTSUPP` for a group above 32 on a kernel without
    /// `NETLINK_PKTINFO`, whose notifications could not be told from
    /// replies.
    ///
    /// Join before receiving on another thread: a receive already waiting
    /// when the first group is joined does not ask for the group number.
    pub fn join(&self, group: u32) -> Result<(), Error> {
        // The destination group of each datagram, so that notifications to
        // groups above 32 (where the address's legacy mask is 0) are told
        // from replies (2.6.14 and later). Only a socket with groups needs
        // it: the kernel adds a control message to every datagram.
        let pktinfo = self.pktinfo.load(Ordering::Acquire)
            || sys::set_netlink_opt(&self.fd, NetlinkOpt::PktInfo, 1).is_ok();
        self.pktinfo.store(pktinfo, Ordering::Release);
        if group > 32 && !pktinfo {
            return Err(Error::sys(
                format!("join multicast group {group} (above 32 without NETLINK_PKTINFO)"),
                Errno::OPNOTSUPP,
            ));
        }
        // Before the first notification can be queued.
        self.joined.store(true, Ordering::Release);
        sys::set_netlink_opt(&self.fd, NetlinkOpt::AddMembership, group)
            .map_err(|e| Error::sys(format!("join multicast group {group}"), e))
    }

    /// Leave multicast group `group`.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn leave(&self, group: u32) -> Result<(), Error> {
        sys::set_netlink_opt(&self.fd, NetlinkOpt::DropMembership, group)
            .map_err(|e| Error::sys(format!("leave multicast group {group}"), e))
    }

    /// Ask the kernel not to report `ENOBUFS` (`NETLINK_NO_ENOBUFS`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_no_enobufs(&self, on: bool) -> Result<(), Error> {
        sys::set_netlink_opt(&self.fd, NetlinkOpt::NoEnobufs, u32::from(on))
            .map_err(|e| Error::sys("NETLINK_NO_ENOBUFS", e))
    }

    /// Echo only the request header in error answers (`NETLINK_CAP_ACK`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_cap_ack(&self, on: bool) -> Result<(), Error> {
        sys::set_netlink_opt(&self.fd, NetlinkOpt::CapAck, u32::from(on))
            .map_err(|e| Error::sys("NETLINK_CAP_ACK", e))
    }

    /// Make `recv` fail with `EAGAIN` after `timeout` (`SO_RCVTIMEO`); `None`
    /// waits forever.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_recv_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_timeout(
            &self.fd,
            rustix::net::sockopt::Timeout::Recv,
            timeout,
        )
        .map_err(|e| Error::sys("SO_RCVTIMEO", e))
    }

    /// Switch non-blocking mode (`O_NONBLOCK`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn set_nonblocking(&self, on: bool) -> Result<(), Error> {
        rustix::io::ioctl_fionbio(&self.fd, on).map_err(|e| Error::sys("FIONBIO", e))
    }

    /// Whether the socket is in non-blocking mode (`O_NONBLOCK`), however
    /// it was set.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`].
    pub fn is_nonblocking(&self) -> Result<bool, Error> {
        let flags = rustix::fs::fcntl_getfl(&self.fd).map_err(|e| Error::sys("F_GETFL", e))?;
        Ok(flags.contains(rustix::fs::OFlags::NONBLOCK))
    }

    /// Send `bytes` (one or more messages) to the kernel, retrying `EINTR`.
    ///
    /// See [send(2)](https://man7.org/linux/man-pages/man2/send.2.html).
    ///
    /// # Errors
    ///
    /// The system call's error: [`WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// on a non-blocking socket whose buffer is full, `ENOBUFS`, ….
    pub fn send(&self, bytes: &[u8]) -> std::io::Result<usize> {
        // No address: the socket is connected to the kernel (or, if that
        // failed, unconnected, which sends to the kernel too).
        loop {
            match rustix::net::send(&self.fd, bytes, SendFlags::empty()) {
                Err(Errno::INTR) => continue,
                other => return other.map_err(std::io::Error::from),
            }
        }
    }

    /// Receive one datagram into `buf`, retrying `EINTR`. Returns its
    /// length and [`Source`]: the sender, and the multicast group it was
    /// sent to (from `NETLINK_PKTINFO`), which the session classifies on.
    /// A datagram larger than `buf` is reported as
    /// `Ok(Received::Truncated)` (`buf` holds its first bytes, its tail is
    /// lost); [`Socket::recv_vec`] avoids that.
    ///
    /// Until the socket joins a group, everything it can receive is the
    /// kernel's (see [`Socket`]): the call is a plain `recv` and the
    /// source [`Source::KERNEL`]. A receive already waiting on another
    /// thread when the first group is joined is still such a call: join
    /// before receiving notifications. Afterwards it is a `recvmsg` with the
    /// sender address and the `NETLINK_PKTINFO` group. See
    /// [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html);
    /// `MSG_TRUNC` makes the kernel report the real length.
    ///
    /// # Errors
    ///
    /// The system call's error: [`WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// on timeout or on a non-blocking socket with nothing queued, `ENOBUFS`
    /// (`raw_os_error() == Some(105)`) when the kernel dropped messages
    /// for this socket.
    pub fn recv(&self, buf: &mut [u8]) -> std::io::Result<Received> {
        self.recv_into(buf, false)
    }

    /// [`Socket::recv`], without waiting (`MSG_DONTWAIT`) whatever the
    /// socket's blocking mode: [`WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// when nothing is queued. With `peek`, as [`Socket::recv_vec`].
    ///
    /// # Errors
    ///
    /// As [`Socket::recv`].
    pub fn try_recv(&self, buf: &mut Vec<u8>, peek: bool) -> std::io::Result<Received> {
        if peek {
            let need = retry_intr(self.fd.as_fd(), true, || {
                sys::peek_len(&self.fd, libc::MSG_DONTWAIT)
            })?;
            if need > buf.len() {
                buf.resize(need, 0);
            }
        }
        self.recv_into(buf, true)
    }

    fn recv_into(&self, buf: &mut [u8], nowait: bool) -> std::io::Result<Received> {
        let (len, src) = if self.kernel_only && !self.joined.load(Ordering::Acquire) {
            // Only the kernel's unicasts can be queued: no address and no
            // control message to ask for (5-10% of a `link get` round trip).
            let flags = if nowait {
                RecvFlags::TRUNC | RecvFlags::DONTWAIT
            } else {
                RecvFlags::TRUNC
            };
            let len = retry_intr(self.fd.as_fd(), nowait, || {
                rustix::net::recv(&self.fd, &mut *buf, flags).map(|(_, len)| len)
            })?;
            (len, Source::KERNEL)
        } else {
            let flags = if nowait { libc::MSG_DONTWAIT } else { 0 };
            retry_intr(self.fd.as_fd(), nowait, || {
                sys::recvmsg(&self.fd, buf, flags)
            })?
        };
        if len > buf.len() {
            return Ok(Received::Truncated { len, src });
        }
        Ok(Received::Datagram { len, src })
    }

    /// Empty the receive queue without waiting, whatever the socket's
    /// blocking mode, and say how many datagrams were dropped. An
    /// `ENOBUFS` while draining (the queue overflowed again) is skipped.
    /// A monitor does this after an overflow: the kernel delivers nothing
    /// more to a congested socket until its queue has been emptied once.
    ///
    /// # Errors
    ///
    /// A receive error other than `EAGAIN`, `EINTR` and `ENOBUFS`.
    pub fn discard_queued(&self) -> std::io::Result<usize> {
        let mut scrap = [0u8; 16];
        let mut dropped = 0;
        loop {
            let flags = RecvFlags::DONTWAIT | RecvFlags::TRUNC;
            match rustix::net::recv(&self.fd, &mut scrap[..], flags) {
                Ok(_) => dropped += 1,
                Err(Errno::AGAIN) => return Ok(dropped),
                Err(Errno::INTR | Errno::NOBUFS) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Receive one datagram into `buf`, first growing `buf` to the
    /// datagram's size (peeked with `MSG_PEEK | MSG_TRUNC`), so that no
    /// datagram is ever cut short. `buf` keeps its new size for the next
    /// call; it never shrinks.
    ///
    /// Costs one extra system call per datagram over [`Socket::recv`]
    /// (measured: about 0.3 µs of CPU per datagram, 13% of the CPU of a
    /// 100,000-route install where every ack is its own datagram; dumps,
    /// with many messages per datagram, do not notice).
    /// Another thread receiving on the same socket between the peek and
    /// the receive can still make it [`Received::Truncated`].
    ///
    /// # Errors
    ///
    /// As [`Socket::recv`].
    pub fn recv_vec(&self, buf: &mut Vec<u8>) -> std::io::Result<Received> {
        let need = retry_intr(self.fd.as_fd(), false, || sys::peek_len(&self.fd, 0))?;
        if need > buf.len() {
            buf.resize(need, 0);
        }
        self.recv(buf)
    }
}

/// Run a blocking receive until it is not interrupted by a signal
/// (`EINTR`), keeping the receive timeout a deadline: after a signal the
/// call is retried with `SO_RCVTIMEO` set to what is left of it (and
/// `EAGAIN` once none is), then the timeout is restored. Without this a
/// signal more often than the timeout would keep the call waiting
/// forever. (Threads sharing one socket briefly see the shortened
/// timeout.) The start is read from the coarse monotonic clock, a
/// memory read where the precise one costs 2-3% of a round trip here;
/// the deadline can be off by its tick (a few milliseconds) either way.
/// A call that does not wait (`nowait`: `MSG_DONTWAIT`) has no timeout
/// to keep, and is simply retried.
fn retry_intr<T>(
    fd: BorrowedFd<'_>,
    nowait: bool,
    mut call: impl FnMut() -> Result<T, Errno>,
) -> std::io::Result<T> {
    use rustix::net::sockopt::{Timeout, set_socket_timeout, socket_timeout};
    if nowait {
        loop {
            match call() {
                Err(Errno::INTR) => {}
                other => return other.map_err(std::io::Error::from),
            }
        }
    }
    let start = sys::coarse_now();
    // The caller's timeout, once we replaced it with what is left.
    let mut replaced: Option<Duration> = None;
    let result = loop {
        match call() {
            Err(Errno::INTR) => {
                let Some(total) = replaced.or_else(|| socket_timeout(fd, Timeout::Recv).ok()?)
                else {
                    continue; // no timeout: wait on
                };
                let left = total.saturating_sub(sys::coarse_now().saturating_sub(start));
                if left.is_zero() {
                    break Err(Errno::AGAIN);
                }
                if set_socket_timeout(fd, Timeout::Recv, Some(left)).is_ok() {
                    replaced = Some(total);
                }
            }
            other => break other,
        }
    };
    if let Some(total) = replaced {
        let _ = set_socket_timeout(fd, Timeout::Recv, Some(total));
    }
    result.map_err(std::io::Error::from)
}

/// What [`Socket::recv`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A whole datagram of `len` bytes from `src`.
    Datagram {
        /// Its length.
        len: usize,
        /// Its sender.
        src: Source,
    },
    /// A datagram of `len` bytes did not fit the buffer: the buffer holds
    /// its first bytes, the rest is lost.
    Truncated {
        /// Its real length.
        len: usize,
        /// Its sender.
        src: Source,
    },
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        s.fd
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::test_signals;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;

    /// A receive timeout is a deadline: signals that interrupt the wait
    /// every 50 ms must not restart the 300 ms timeout (the socket is
    /// opened and read, nothing is sent; signals stop after 3 s, so the
    /// restarting behaviour shows as a wait of over 2 s).
    #[test]
    fn eintr_does_not_restart_the_receive_timeout() {
        test_signals::install_noop_handler(libc::SIGUSR1);
        let sock = Socket::open(Protocol::Route).unwrap();
        let timeout = Duration::from_millis(300);
        sock.set_recv_timeout(Some(timeout)).unwrap();
        let me = test_signals::this_thread();
        let stop = Arc::new(AtomicBool::new(false));
        let pinger = std::thread::spawn({
            let stop = stop.clone();
            move || {
                let until = Instant::now() + Duration::from_secs(3);
                while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(50));
                    if !stop.load(Ordering::SeqCst) {
                        test_signals::signal(me, libc::SIGUSR1);
                    }
                }
            }
        });
        let start = Instant::now();
        let got = sock.recv(&mut [0u8; 64]);
        let waited = start.elapsed();
        stop.store(true, Ordering::SeqCst);
        pinger.join().unwrap();
        assert_eq!(
            got.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::WouldBlock)
        );
        assert!(
            waited < Duration::from_secs(2),
            "the timeout restarted on EINTR: waited {waited:?}"
        );
        let left = rustix::net::sockopt::socket_timeout(&sock, rustix::net::sockopt::Timeout::Recv);
        assert_eq!(left.unwrap(), Some(timeout), "the timeout is restored");
    }

    #[test]
    fn receive_buffer_can_be_sized_without_rustix() {
        let sock = Socket::open(Protocol::Route).unwrap();
        let small = sock.set_recv_buffer_size(4096).unwrap();
        assert_eq!(small, sock.recv_buffer_size().unwrap());
        // The kernel doubles the request (and has a floor).
        assert!((4096..=2 * 4096 + 4096).contains(&small), "{small}");
        let big = sock.set_recv_buffer_size(1 << 20).unwrap();
        assert!(big > small, "{big} after {small}");
    }
}
