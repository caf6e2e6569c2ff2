//! A netlink socket: open, bind, options, send, receive with the sender's
//! address.

use crate::Error;
use crate::sys::{self, NetlinkOpt};
use nl_proto::session::Source;
use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, SendFlags, SocketFlags, SocketType};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
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
/// malformed requests rejected instead of ignored) and `NETLINK_PKTINFO`
/// (each datagram says which multicast group it was sent to, so
/// notifications are told from replies for every group number). The socket lives in the
/// network namespace it was created in; see [`Netns`](crate::Netns) to
/// create one elsewhere.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port: u32,
    protocol: Protocol,
    /// `NETLINK_PKTINFO` is on: received datagrams carry their group.
    pktinfo: bool,
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
        Self::from_fd(fd, protocol)
    }

    /// Set up an unbound netlink socket created elsewhere (e.g. in another
    /// namespace): bind it and set its options.
    pub(crate) fn from_fd(fd: OwnedFd, protocol: Protocol) -> Result<Self, Error> {
        rustix::net::bind(&fd, &SocketAddrNetlink::new(0, 0))
            .map_err(|e| Error::sys("bind(AF_NETLINK)", e))?;
        let addr = rustix::net::getsockname(&fd).map_err(|e| Error::sys("getsockname", e))?;
        let port = SocketAddrNetlink::try_from(addr)
            .map_err(|e| Error::sys("getsockname: not netlink", e))?
            .pid();
        sys::set_netlink_opt(&fd, NetlinkOpt::ExtAck, 1)
            .map_err(|e| Error::sys("NETLINK_EXT_ACK", e))?;
        // The destination group of each datagram, so that notifications to
        // groups above 32 (where the address's legacy mask is 0) are told
        // from replies (2.6.14 and later).
        let pktinfo = sys::set_netlink_opt(&fd, NetlinkOpt::PktInfo, 1).is_ok();
        // Older kernels lack strict checking; requests still work there.
        let _ = sys::set_netlink_opt(&fd, NetlinkOpt::GetStrictChk, 1);
        // Best effort: the default is already enough for one 32 KiB dump part.
        // The plain option is capped at net.core.rmem_max; the forced one
        // (CAP_NET_ADMIN) is not.
        if rustix::net::sockopt::set_socket_recv_buffer_size_force(&fd, SO_RCVBUF).is_err() {
            let _ = rustix::net::sockopt::set_socket_recv_buffer_size(&fd, SO_RCVBUF);
        }
        Ok(Self {
            fd,
            port,
            protocol,
            pktinfo,
        })
    }

    /// The port id the kernel assigned (`nl_pid` of our address).
    pub fn port_id(&self) -> u32 {
        self.port
    }

    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
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

    /// Join multicast group `group` by number (`NETLINK_ADD_MEMBERSHIP`,
    /// which works for groups past 31 too).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`], e.g. `EINVAL` for a group the family does not have;
    /// `EOPNOTSUPP` for a group above 32 on a kernel without
    /// `NETLINK_PKTINFO`, whose notifications could not be told from
    /// replies.
    pub fn join(&self, group: u32) -> Result<(), Error> {
        if group > 32 && !self.pktinfo {
            return Err(Error::sys(
                format!("join multicast group {group} (above 32 without NETLINK_PKTINFO)"),
                Errno::OPNOTSUPP,
            ));
        }
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

    /// Send `bytes` (one or more messages) to the kernel, retrying `EINTR`.
    ///
    /// See [sendto(2)](https://man7.org/linux/man-pages/man2/sendto.2.html).
    ///
    /// # Errors
    ///
    /// The system call's error: [`WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// on a non-blocking socket whose buffer is full, `ENOBUFS`, ….
    pub fn send(&self, bytes: &[u8]) -> std::io::Result<usize> {
        let kernel = SocketAddrNetlink::new(0, 0);
        loop {
            match rustix::net::sendto(&self.fd, bytes, SendFlags::empty(), &kernel) {
                Err(Errno::INTR) => continue,
                other => return other.map_err(std::io::Error::from),
            }
        }
    }

    /// Receive one datagram into `buf`, retrying `EINTR`. Returns its
    /// length and [`Source`]: the sender, and the multicast group it was
    /// sent to (from `NETLINK_PKTINFO`), which the session classifies on.
    /// A datagram larger than `buf` is reported as
    /// `Ok(Received::Truncated)` (its tail is lost); [`Socket::recv_vec`]
    /// avoids that.
    ///
    /// See [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html);
    /// `MSG_TRUNC` makes the kernel report the real length.
    ///
    /// # Errors
    ///
    /// The system call's error: [`WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// on timeout or on a non-blocking socket with nothing queued, `ENOBUFS`
    /// (`raw_os_error() == Some(105)`) when the kernel dropped messages
    /// for this socket.
    pub fn recv(&self, buf: &mut [u8]) -> std::io::Result<Received> {
        let (len, src) = retry_intr(|| sys::recvmsg(&self.fd, buf, 0))?;
        if len > buf.len() {
            return Ok(Received::Truncated { len });
        }
        Ok(Received::Datagram { len, src })
    }

    /// Receive one datagram into `buf`, first growing `buf` to the
    /// datagram's size (peeked with `MSG_PEEK | MSG_TRUNC`), so that no
    /// datagram is ever cut short. `buf` keeps its new size for the next
    /// call; it never shrinks.
    ///
    /// Costs one extra system call per datagram over [`Socket::recv`].
    /// Another thread receiving on the same socket between the peek and
    /// the receive can still make it [`Received::Truncated`].
    ///
    /// # Errors
    ///
    /// As [`Socket::recv`].
    pub fn recv_vec(&self, buf: &mut Vec<u8>) -> std::io::Result<Received> {
        let (need, _) = retry_intr(|| sys::recvmsg(&self.fd, &mut [], libc::MSG_PEEK))?;
        if need > buf.len() {
            buf.resize(need, 0);
        }
        self.recv(buf)
    }
}

/// Run a system call until it is not interrupted by a signal (`EINTR`).
fn retry_intr<T>(mut call: impl FnMut() -> Result<T, Errno>) -> std::io::Result<T> {
    loop {
        match call() {
            Err(Errno::INTR) => continue,
            other => return other.map_err(std::io::Error::from),
        }
    }
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
    /// A datagram of `len` bytes did not fit the buffer.
    Truncated {
        /// Its real length.
        len: usize,
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
