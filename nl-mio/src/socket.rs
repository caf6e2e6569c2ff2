//! The netlink socket as a mio source.

use mio::event::Source;
use mio::unix::SourceFd;
use mio::{Interest, Registry, Token};
use nl_rustix::{Error, Netns, Protocol};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

/// A non-blocking netlink socket that a mio [`Poll`](mio::Poll) can watch.
///
/// It is an [`nl_rustix::Socket`] switched to non-blocking mode: open it in
/// any namespace, join groups and read its options through
/// [`get_ref`](Self::get_ref); `send` and `recv` there fail with
/// [`WouldBlock`](std::io::ErrorKind::WouldBlock) (`EAGAIN`) instead of
/// waiting. As with every mio source, read until `WouldBlock` after
/// each readable event (readiness is edge-triggered), and deregister it
/// before dropping it.
///
/// ```no_run
/// use mio::{Events, Interest, Poll, Token};
/// use nl_rustix::Protocol;
///
/// let mut poll = Poll::new()?;
/// let mut sock = nl_mio::Socket::open(Protocol::Route)?;
/// sock.get_ref().join(1)?; // RTNLGRP_LINK
/// poll.registry().register(&mut sock, Token(0), Interest::READABLE)?;
/// # poll.registry().deregister(&mut sock)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Socket {
    inner: nl_rustix::Socket,
}

impl Socket {
    /// Open a socket in the calling thread's namespace.
    ///
    /// # Errors
    ///
    /// As [`nl_rustix::Socket::open`].
    pub fn open(protocol: Protocol) -> Result<Self, Error> {
        Self::from_blocking(nl_rustix::Socket::open(protocol)?)
    }

    /// Open a socket in `netns` (created on a short-lived thread inside it;
    /// the caller's thread never changes namespace).
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_in(netns: &Netns, protocol: Protocol) -> Result<Self, Error> {
        Self::from_blocking(netns.socket(protocol)?)
    }

    /// Switch an open socket to non-blocking mode and wrap it.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if `O_NONBLOCK` cannot be set.
    pub fn from_blocking(inner: nl_rustix::Socket) -> Result<Self, Error> {
        inner.set_nonblocking(true)?;
        Ok(Self { inner })
    }

    /// The underlying socket: port id, group membership, options, and
    /// `send`/`recv` (which fail with
    /// [`WouldBlock`](std::io::ErrorKind::WouldBlock) when they would block).
    pub fn get_ref(&self) -> &nl_rustix::Socket {
        &self.inner
    }

    /// Unwrap the socket (still non-blocking).
    pub fn into_inner(self) -> nl_rustix::Socket {
        self.inner
    }
}

impl Source for Socket {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        SourceFd(&self.as_raw_fd()).deregister(registry)
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_fd().as_raw_fd()
    }
}

impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        s.inner.into()
    }
}

/// Where a source is registered, kept so that it can change its own
/// interest (writable only while it has something to send) and deregister
/// itself when dropped.
#[derive(Debug)]
pub(crate) struct Registration {
    registry: Registry,
    token: Token,
    /// What the caller registered for.
    base: Interest,
    /// What is registered now.
    current: Interest,
}

impl Registration {
    /// Register `fd` for `base` plus `extra`, remembering the registry.
    pub(crate) fn register(
        fd: RawFd,
        registry: &Registry,
        token: Token,
        base: Interest,
        extra: Option<Interest>,
    ) -> io::Result<Self> {
        let current = extra.map_or(base, |e| base | e);
        // A clone first: if it fails, nothing was registered.
        let own = registry.try_clone()?;
        SourceFd(&fd).register(registry, token, current)?;
        Ok(Self {
            registry: own,
            token,
            base,
            current,
        })
    }

    /// Change the registration to `token`/`base` plus `extra`.
    pub(crate) fn reregister(
        &mut self,
        fd: RawFd,
        registry: &Registry,
        token: Token,
        base: Interest,
        extra: Option<Interest>,
    ) -> io::Result<()> {
        let current = extra.map_or(base, |e| base | e);
        SourceFd(&fd).reregister(registry, token, current)?;
        self.registry = registry.try_clone()?;
        (self.token, self.base, self.current) = (token, base, current);
        Ok(())
    }

    /// Make the registered interest `base` plus `extra`, if it differs.
    pub(crate) fn update(&mut self, fd: RawFd, extra: Option<Interest>) -> io::Result<()> {
        let want = extra.map_or(self.base, |e| self.base | e);
        if want != self.current {
            SourceFd(&fd).reregister(&self.registry, self.token, want)?;
            self.current = want;
        }
        Ok(())
    }

    /// The interest registered now.
    pub(crate) fn current(&self) -> Interest {
        self.current
    }

    /// Remove `fd` from the poll.
    pub(crate) fn deregister(self, fd: RawFd) -> io::Result<()> {
        SourceFd(&fd).deregister(&self.registry)
    }
}
