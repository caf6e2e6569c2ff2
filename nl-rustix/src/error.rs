//! The driver's error type, and the kinds it is matched by.

use crate::link::LinkId;
use nl_proto::wire::OwnedKernelError;
use nl_proto::{DecodeError, EncodeError, SessionError};
use rustix::io::Errno;

/// Everything that can go wrong in this crate.
///
/// `Display` reads like `netlink ENODEV (19): no such interface "nope0"`:
/// the errno's name and number, then the kernel's extended-ack text when
/// it sent one, otherwise what was at fault.
///
/// # Matching
///
/// Tell failures apart by [`Error::kind`] (or by [`Error::errno`]), never
/// by their text: the text is for people and may be reworded. One
/// failure is reported one way whichever verb met it: a link that does
/// not exist is [`Error::NoSuchLink`] (kind [`ErrorKind::NotFound`],
/// `ENODEV`) whether it was found missing before anything was sent or
/// the kernel said so, and a process that does not exist is `ESRCH`
/// whether it was named to open a connection or to move a link.
///
/// ```
/// use nl_rustix::{Conn, ErrorKind, PrivateNetns};
///
/// fn ensure_bridge(conn: &mut Conn, name: &str) -> Result<(), nl_rustix::Error> {
///     match conn.create_link(&nl_rustix::LinkSpec::bridge(name)) {
///         Err(e) if e.kind() == ErrorKind::Exists => Ok(()),
///         other => other,
///     }
/// }
///
/// # let Ok(ns) = PrivateNetns::new() else { return Ok(()) };
/// let mut conn = Conn::open_in(&ns.netns())?;
/// match conn.link("nope0") {
///     Err(e) if e.kind() == ErrorKind::NotFound => {} // create it, report it, …
///     other => panic!("{other:?}"),
/// }
/// ensure_bridge(&mut conn, "br0")?;
/// ensure_bridge(&mut conn, "br0")?; // the second time it exists
/// # Ok::<(), nl_rustix::Error>(())
/// ```
///
/// In a program written against [`std::io::Result`], `?` converts it:
/// `From<Error> for std::io::Error` keeps the text and maps the kind
/// ([`ErrorKind::io_kind`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The kernel refused a request.
    #[error("netlink {} ({}): {}", errno_name(.error.errno.get()), .error.errno.get(), kernel_text(.error, .context))]
    Kernel {
        /// The kernel's answer.
        error: Box<OwnedKernelError>,
        /// What the request was about, used when the kernel gave no text.
        context: Option<String>,
    },
    /// A system call failed.
    #[error("{what}: {} ({}): {}", errno_name(*.errno), .errno, errno_text(*.errno))]
    Sys {
        /// The call or step that failed.
        what: String,
        /// The errno (`libc::E*`).
        errno: i32,
    },
    /// A link the request named does not exist (`ENODEV`): every verb
    /// reports a missing link this way, whether its lookup (before
    /// anything was sent) or the kernel found it missing.
    #[error("netlink ENODEV (19): no such {role}interface {}", link_text(.link))]
    NoSuchLink {
        /// The link, as the caller named it.
        link: LinkId,
        /// Its role in the request.
        role: LinkRole,
    },
    /// The caller's input is invalid; nothing was sent.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// A received message could not be decoded.
    #[error("malformed netlink message: {0}")]
    Decode(#[from] DecodeError),
    /// A request could not be encoded.
    #[error("cannot encode request: {0}")]
    Encode(EncodeError),
    /// The session refused a request.
    #[error("session: {0}")]
    Session(#[from] SessionError),
    /// An answer's datagram was larger than the receive buffer
    /// (`MSG_TRUNC`) and its tail, which the request needed, is lost; the
    /// request failed with this. A [`Conn`](crate::Conn) grew its buffer
    /// and peeks from then on, so the request can be repeated (see
    /// "Receiving" there).
    #[error(
        "netlink answer of {len} bytes was cut short by the {cap}-byte receive buffer and lost"
    )]
    Truncated {
        /// The datagram's real size.
        len: usize,
        /// The buffer's size.
        cap: usize,
    },
    /// The kernel dropped messages (`ENOBUFS`); the requests in flight were
    /// abandoned.
    #[error(
        "netlink ENOBUFS (105): receive queue overflowed; {lost} request(s) were sent but their answers were lost (they may have been applied)"
    )]
    Overflow {
        /// How many requests were in flight.
        lost: usize,
    },
    /// The kernel dropped the answer to this request when the receive
    /// queue overflowed (`ENOBUFS`), and nothing received since tells
    /// whether it was applied. The connection resynchronised and stays
    /// usable; read the state back before repeating a change.
    #[error(
        "netlink ENOBUFS (105): the answer to request {request} was lost when the receive queue overflowed; it may or may not have been applied"
    )]
    OutcomeUnknown {
        /// Which request: its index in the [`Conn::batch`](crate::Conn::batch)
        /// call, or the number of its [`RequestId`](crate::engine::RequestId).
        request: u64,
    },
    /// The socket is non-blocking and no answer was queued (`EAGAIN`): a
    /// blocking call cannot wait on it, so the request was abandoned (its
    /// answer, if one comes, is dropped). Drive non-blocking sockets from a
    /// readiness loop instead.
    #[error(
        "netlink EAGAIN (11): the socket is non-blocking and no answer was queued; the request was abandoned"
    )]
    WouldBlock,
    /// A request of an nfnetlink batch that did not fail itself but was not
    /// applied: the batch is one transaction, and the kernel aborted it
    /// (or it was not sent, when one of its requests could not be encoded).
    #[error("nfnetlink batch not applied: {}", aborted_text(*.failed))]
    BatchAborted {
        /// The index (in the [`Conn::batch`](crate::Conn::batch) call) of
        /// the request that failed, when known; `None` when the kernel's
        /// error answers overflowed the receive buffer.
        failed: Option<usize>,
    },
    /// The send queue has no room for this request: nothing was queued.
    /// Back-pressure, not a failure of the request: let the queue drain
    /// (send what it holds, collect completions) and submit it again.
    /// (A request too large for any queue is [`Error::Encode`].)
    #[error(
        "send queue full: a {need}-byte request does not fit the {room} bytes left; nothing was queued"
    )]
    QueueFull {
        /// The bytes the request takes.
        need: usize,
        /// The bytes the queue had left.
        room: usize,
    },
    /// No answer within the socket's receive timeout.
    #[error("netlink ETIMEDOUT (110): no answer from the kernel within {0:?}")]
    Timeout(std::time::Duration),
    /// The answer to a request ended without what was needed (e.g. a GET
    /// acked without a reply).
    #[error("netlink: {0}")]
    Unexpected(&'static str),
    /// Desired state names an object whose identity a foreign one holds
    /// (a route of another protocol, an address only a delete could
    /// change): left alone, as everything that needs it. Carries the
    /// errno `EEXIST`.
    #[error("netlink EEXIST (17): conflict: {0}")]
    Conflict(String),
    /// The kernel acknowledged changes that a fresh read does not show,
    /// or the namespace kept changing under a reconcile pass.
    #[error("not converged: {0}")]
    NotConverged(String),
}

impl From<EncodeError> for Error {
    /// Invalid input found by an encoder is the caller's mistake, reported
    /// as [`Error::Invalid`]; anything else is an encoding failure.
    fn from(e: EncodeError) -> Self {
        match e {
            EncodeError::Invalid { what } => Self::Invalid(what.to_string()),
            other => Self::Encode(other),
        }
    }
}

/// The part a link that does not exist plays in a request, as
/// [`Error::NoSuchLink`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LinkRole {
    /// The link the verb acts on (or the `dev` of an address, route,
    /// neighbour…): `no such interface "x"`.
    Link,
    /// The lower link of a macvlan, ipvlan, VLAN or VXLAN:
    /// `no such parent interface "x"`.
    Parent,
    /// A bridge or bond to enslave to: `no such master interface "x"`.
    Master,
}

impl std::fmt::Display for LinkRole {
    /// The word before "interface" in the message, with its space.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Link => "",
            Self::Parent => "parent ",
            Self::Master => "master ",
        })
    }
}

fn link_text(link: &LinkId) -> String {
    match link {
        LinkId::Name(n) => format!("\"{n}\""),
        LinkId::Index(i) => format!("with index {i}"),
    }
}

impl Error {
    /// The errno behind this error, if there is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Self::Kernel { error, .. } => Some(error.errno.get()),
            Self::Sys { errno, .. } => Some(*errno),
            Self::NoSuchLink { .. } => Some(libc::ENODEV),
            Self::Conflict(_) => Some(libc::EEXIST),
            Self::Overflow { .. } => Some(libc::ENOBUFS),
            Self::OutcomeUnknown { .. } => Some(libc::ENOBUFS),
            Self::Timeout(_) => Some(libc::ETIMEDOUT),
            Self::WouldBlock => Some(libc::EAGAIN),
            _ => None,
        }
    }

    /// The kernel's extended-ack text, if it sent one.
    pub fn kernel_message(&self) -> Option<&str> {
        match self {
            Self::Kernel { error, .. } if !error.msg.is_empty() => Some(error.msg.as_str()),
            _ => None,
        }
    }

    /// Link `link` does not exist, in the part `role` of a request.
    pub(crate) fn no_such_link(link: &LinkId, role: LinkRole) -> Self {
        Self::NoSuchLink {
            link: link.clone(),
            role,
        }
    }

    /// A kernel `ENODEV` answer to a request about `link` as
    /// [`Error::NoSuchLink`]; other errors unchanged.
    pub(crate) fn link_missing(self, link: &LinkId, role: LinkRole) -> Self {
        match &self {
            Self::Kernel { error, .. } if error.errno.get() == libc::ENODEV => {
                Self::no_such_link(link, role)
            }
            _ => self,
        }
    }

    /// Name what was refused, and where, when the kernel answered `EPERM`
    /// (it sends no text then): `not permitted to create link "d0" in
    /// network namespace "blue" (net:[4026532304]); changes there need
    /// CAP_NET_ADMIN`.
    pub(crate) fn not_permitted(self, sock: &crate::Socket, op: impl FnOnce() -> String) -> Self {
        self.not_permitted_in(sock.netns_name(), op)
    }

    /// [`Error::not_permitted`] for a namespace named by `netns` (e.g.
    /// `network namespace net:[4026532304]`).
    pub(crate) fn not_permitted_in(
        self,
        netns: &dyn std::fmt::Display,
        op: impl FnOnce() -> String,
    ) -> Self {
        self.context(|errno| {
            (errno == libc::EPERM).then(|| {
                format!(
                    "not permitted to {} in {netns}; changes there need CAP_NET_ADMIN",
                    op()
                )
            })
        })
    }

    pub(crate) fn kernel(error: &nl_proto::wire::KernelError<'_>) -> Self {
        Self::Kernel {
            error: Box::new(error.to_owned()),
            context: None,
        }
    }

    pub(crate) fn sys(what: impl Into<String>, errno: impl RawErrno) -> Self {
        Self::Sys {
            what: what.into(),
            errno: errno.raw_errno(),
        }
    }

    /// A failed I/O call, named by `what` (e.g. `"recv netlink answer"`),
    /// as [`Error::Sys`]; an `io::Error` without an errno becomes `EIO`.
    pub fn io(what: impl Into<String>, error: &std::io::Error) -> Self {
        Self::sys(what, error.raw_errno())
    }

    /// Attach context (what the request was about) to a kernel error.
    pub(crate) fn context(self, ctx: impl FnOnce(i32) -> Option<String>) -> Self {
        match self {
            Self::Kernel {
                error,
                context: None,
            } => {
                let context = ctx(error.errno.get());
                Self::Kernel { error, context }
            }
            other => other,
        }
    }
}

/// What kind of failure an [`Error`] is: what a caller branches on.
///
/// Each kind gathers the errnos that mean the same thing to a caller
/// (the kernel answers a missing link with `ENODEV`, a missing route
/// with `ESRCH`, a missing address with `EADDRNOTAVAIL`, a missing
/// nexthop, rule or file with `ENOENT`: all [`ErrorKind::NotFound`]),
/// and the variants that carry no errno. The errno itself is still
/// [`Error::errno`].
///
/// ```
/// use nl_rustix::{Error, ErrorKind};
/// let e = Error::Invalid("vlan id 5000 is out of range 0-4094".into());
/// assert_eq!(e.kind(), ErrorKind::Invalid);
/// assert_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::InvalidInput);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// What the request named does not exist: a link, address, route,
    /// neighbour, rule, nexthop, generic netlink family, nf_tables
    /// object, namespace or process (`ENODEV`, `ENOENT`, `ESRCH`,
    /// `EADDRNOTAVAIL`, `ENXIO`).
    NotFound,
    /// What the request would create exists already (`EEXIST`).
    Exists,
    /// The caller lacks a privilege (`EPERM`, `EACCES`): most changes
    /// need `CAP_NET_ADMIN` in the namespace.
    Permission,
    /// The input is invalid: refused before anything was sent
    /// ([`Error::Invalid`]), or by the kernel (`EINVAL`, `ERANGE`,
    /// `E2BIG`, `ENAMETOOLONG`, `EAFNOSUPPORT` for a family that does
    /// not fit).
    Invalid,
    /// The kernel lacks what was asked for: a link kind, a feature, a
    /// protocol (`EOPNOTSUPP`, `ENOTSUPP`, `EPROTONOSUPPORT`, `ENOSYS`).
    Unsupported,
    /// The object is in use (`EBUSY`, `ENOTEMPTY`).
    Busy,
    /// No route leads there (`ENETUNREACH`, `EHOSTUNREACH`), e.g. a
    /// gateway no address's prefix covers.
    Unreachable,
    /// No answer in time ([`Error::Timeout`], `ETIMEDOUT`).
    TimedOut,
    /// A non-blocking socket had nothing queued ([`Error::WouldBlock`],
    /// `EAGAIN`).
    WouldBlock,
    /// Requests were sent but their answers were lost
    /// ([`Error::Overflow`], [`Error::Truncated`]): they may have been
    /// applied; read the state back to know.
    Lost,
    /// An nfnetlink batch was not applied because another of its
    /// requests failed ([`Error::BatchAborted`]).
    Aborted,
    /// The send queue is full ([`Error::QueueFull`]): nothing was
    /// queued; submit again once it has drained.
    QueueFull,
    /// Anything else: a message that could not be decoded or encoded, a
    /// refused session, an unexpected answer, an errno not listed above.
    Other,
}

impl ErrorKind {
    /// The kind of errno `errno`.
    pub fn of_errno(errno: i32) -> Self {
        match errno {
            libc::ENODEV | libc::ENOENT | libc::ESRCH | libc::EADDRNOTAVAIL | libc::ENXIO => {
                Self::NotFound
            }
            libc::EEXIST => Self::Exists,
            libc::EPERM | libc::EACCES => Self::Permission,
            libc::EINVAL | libc::ERANGE | libc::E2BIG | libc::ENAMETOOLONG | libc::EAFNOSUPPORT => {
                Self::Invalid
            }
            // 524 is the kernel-internal ENOTSUPP, which leaks to netlink.
            libc::EOPNOTSUPP | libc::EPROTONOSUPPORT | libc::ENOSYS | 524 => Self::Unsupported,
            libc::EBUSY | libc::ENOTEMPTY => Self::Busy,
            libc::ENETUNREACH | libc::EHOSTUNREACH => Self::Unreachable,
            libc::ETIMEDOUT => Self::TimedOut,
            libc::EAGAIN => Self::WouldBlock,
            libc::ENOBUFS => Self::Lost,
            _ => Self::Other,
        }
    }

    /// The closest [`std::io::ErrorKind`].
    pub fn io_kind(self) -> std::io::ErrorKind {
        use std::io::ErrorKind as Io;
        match self {
            Self::NotFound => Io::NotFound,
            Self::Exists => Io::AlreadyExists,
            Self::Permission => Io::PermissionDenied,
            Self::Invalid => Io::InvalidInput,
            Self::Unsupported => Io::Unsupported,
            Self::Busy => Io::ResourceBusy,
            Self::Unreachable => Io::NetworkUnreachable,
            Self::TimedOut => Io::TimedOut,
            // Retry later, as for a socket that would block.
            Self::WouldBlock | Self::QueueFull => Io::WouldBlock,
            Self::Lost | Self::Aborted | Self::Other => Io::Other,
        }
    }
}

impl Error {
    /// What kind of failure this is; see [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::Truncated { .. } | Self::Overflow { .. } => ErrorKind::Lost,
            Self::BatchAborted { .. } => ErrorKind::Aborted,
            Self::QueueFull { .. } => ErrorKind::QueueFull,
            Self::Decode(_) => ErrorKind::Other,
            _ => self.errno().map_or(ErrorKind::Other, ErrorKind::of_errno),
        }
    }
}

/// Shorthands for the kinds most often branched on: each is
/// `self.kind() == ErrorKind::…`.
impl Error {
    /// What the request named does not exist ([`ErrorKind::NotFound`]):
    /// a link ([`Error::NoSuchLink`]), address, route, process, ….
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// What the request would create exists already
    /// ([`ErrorKind::Exists`]).
    pub fn is_exists(&self) -> bool {
        self.kind() == ErrorKind::Exists
    }

    /// The caller lacks a privilege ([`ErrorKind::Permission`]).
    pub fn is_permission(&self) -> bool {
        self.kind() == ErrorKind::Permission
    }

    /// The send queue is full and nothing was queued
    /// ([`ErrorKind::QueueFull`]): submit again once it drained.
    ///
    /// ```
    /// use nl_rustix::engine::Pipeline;
    /// use nl_rustix::nl_proto::route::link::{self, LinkRef};
    /// let mut p = Pipeline::new(1 << 20);
    /// p.set_queue_capacity(64);
    /// let get = nl_rustix::encoder(|w| link::encode_get(w, LinkRef::Index(1)));
    /// let mut queued = 0;
    /// loop {
    ///     match p.submit(&get) {
    ///         Ok(_) => queued += 1,
    ///         Err(e) if e.is_queue_full() => break, // send, collect, retry
    ///         Err(e) => return Err(e),
    ///     }
    /// }
    /// assert!(queued >= 1);
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    pub fn is_queue_full(&self) -> bool {
        self.kind() == ErrorKind::QueueFull
    }
}

impl From<Error> for std::io::Error {
    /// An [`std::io::Error`] of the [kind](ErrorKind::io_kind) of
    /// `e`, carrying `e` itself: its text reads the same, and
    /// [`std::io::Error::downcast`] gives `e` back with its errno. (An
    /// `io::Error` holds either an OS error code or a payload, never both,
    /// so [`raw_os_error`](std::io::Error::raw_os_error) is `None`: the
    /// errno is read from the payload.)
    ///
    /// ```
    /// fn setup(conn: &mut nl_rustix::Conn) -> std::io::Result<()> {
    ///     conn.set_link("lo", &nl_rustix::LinkSet::new().up())?;
    ///     Ok(())
    /// }
    ///
    /// let e = std::io::Error::from(nl_rustix::Error::Sys { what: "open x".into(), errno: libc::EACCES });
    /// assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
    /// assert_eq!(e.to_string(), "open x: EACCES (13): permission denied");
    /// let back = e.downcast::<nl_rustix::Error>().unwrap();
    /// assert_eq!(back.errno(), Some(libc::EACCES));
    /// ```
    fn from(e: Error) -> Self {
        Self::new(e.kind().io_kind(), e)
    }
}

/// A system call's failure as an errno: rustix's [`Errno`] inside the
/// crate, `std::io::Error` from [`Socket`](crate::Socket)'s I/O.
pub(crate) trait RawErrno {
    fn raw_errno(&self) -> i32;
}

impl RawErrno for Errno {
    fn raw_errno(&self) -> i32 {
        self.raw_os_error()
    }
}

impl RawErrno for i32 {
    fn raw_errno(&self) -> i32 {
        *self
    }
}

impl RawErrno for std::io::Error {
    /// An error without an errno (never from a system call) is `EIO`.
    fn raw_errno(&self) -> i32 {
        self.raw_os_error().unwrap_or(libc::EIO)
    }
}

fn kernel_text(e: &OwnedKernelError, context: &Option<String>) -> String {
    let mut text = if !e.msg.is_empty() {
        let mut t = e.msg.to_string();
        if e.msg_truncated {
            t.push('…');
        }
        t
    } else if let Some(c) = context {
        c.clone()
    } else {
        errno_text(e.errno.get())
    };
    if !e.msg.is_empty() {
        if let Some(c) = context {
            text.push_str(" (");
            text.push_str(c);
            text.push(')');
        }
    }
    if e.msg.is_empty() {
        // Without the kernel's text, where it pointed is all there is.
        if let Some(off) = e.offset {
            text.push_str(&format!(" (attribute at byte {off} of the request)"));
        }
    }
    match (e.missing_type, e.missing_nest) {
        (Some(t), Some(nest)) => text.push_str(&format!(
            " [missing attribute {t} in the nest at byte {nest} of the request]"
        )),
        (Some(t), None) => text.push_str(&format!(" [missing attribute {t}]")),
        _ => {}
    }
    text
}

fn aborted_text(failed: Option<usize>) -> String {
    match failed {
        Some(i) => format!("request {i} of the same batch failed, so the kernel applied none of it"),
        None => "the kernel's error answers overflowed the receive buffer; a batch is answered only when it fails, so none of it was applied".to_string(),
    }
}

fn errno_text(errno: i32) -> String {
    let s = std::io::Error::from_raw_os_error(errno).to_string();
    // "No such device (os error 19)" -> "no such device"
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => s,
    }
}

/// The symbolic name of an errno (`ENODEV`), or `E?` for ones not listed.
pub fn errno_name(errno: i32) -> &'static str {
    match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::ESRCH => "ESRCH",
        libc::EINTR => "EINTR",
        // What nf_tables answers to a batch with a stale generation id.
        libc::ERESTART => "ERESTART",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::E2BIG => "E2BIG",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::EXDEV => "EXDEV",
        libc::ENODEV => "ENODEV",
        libc::ENOTDIR => "ENOTDIR",
        libc::EISDIR => "EISDIR",
        libc::EINVAL => "EINVAL",
        libc::ENFILE => "ENFILE",
        libc::EMFILE => "EMFILE",
        libc::ENOSPC => "ENOSPC",
        libc::EROFS => "EROFS",
        libc::EMLINK => "EMLINK",
        libc::EPIPE => "EPIPE",
        libc::ERANGE => "ERANGE",
        libc::EDEADLK => "EDEADLK",
        libc::ENAMETOOLONG => "ENAMETOOLONG",
        libc::ENOSYS => "ENOSYS",
        libc::ENOTEMPTY => "ENOTEMPTY",
        libc::ELOOP => "ELOOP",
        libc::ENODATA => "ENODATA",
        libc::EPROTO => "EPROTO",
        libc::EBADMSG => "EBADMSG",
        libc::EOVERFLOW => "EOVERFLOW",
        libc::ENOTSOCK => "ENOTSOCK",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::EPROTONOSUPPORT => "EPROTONOSUPPORT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::EAFNOSUPPORT => "EAFNOSUPPORT",
        libc::EADDRINUSE => "EADDRINUSE",
        libc::EADDRNOTAVAIL => "EADDRNOTAVAIL",
        libc::ENETDOWN => "ENETDOWN",
        libc::ENETUNREACH => "ENETUNREACH",
        libc::ENOBUFS => "ENOBUFS",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::EHOSTUNREACH => "EHOSTUNREACH",
        libc::EALREADY => "EALREADY",
        libc::EINPROGRESS => "EINPROGRESS",
        524 => "ENOTSUPP",
        _ => "E?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::num::NonZeroI32;

    fn kernel(errno: i32, msg: &str, context: Option<&str>) -> Error {
        let mut m = heapless::String::new();
        m.push_str(msg).unwrap();
        Error::Kernel {
            error: Box::new(OwnedKernelError {
                errno: NonZeroI32::new(errno).unwrap(),
                msg: m,
                msg_truncated: false,
                offset: None,
                missing_type: None,
                missing_nest: None,
            }),
            context: context.map(str::to_string),
        }
    }

    /// With no text from the kernel, the offset of the attribute it
    /// blamed and the nest lacking a required one are still shown.
    #[test]
    fn display_shows_offsets_without_text() {
        let with = |offset, missing_type, missing_nest| {
            let mut e = kernel(22, "", None);
            if let Error::Kernel { error, .. } = &mut e {
                error.offset = offset;
                error.missing_type = missing_type;
                error.missing_nest = missing_nest;
            }
            e.to_string()
        };
        assert_eq!(
            with(Some(36), None, None),
            "netlink EINVAL (22): invalid argument (attribute at byte 36 of the request)"
        );
        assert_eq!(
            with(None, Some(3), Some(32)),
            "netlink EINVAL (22): invalid argument [missing attribute 3 in the nest at byte 32 of the request]"
        );
        assert_eq!(
            with(None, Some(3), None),
            "netlink EINVAL (22): invalid argument [missing attribute 3]"
        );
        // The kernel's text says it better: no offset then.
        let mut e = kernel(22, "bad mtu", None);
        if let Error::Kernel { error, .. } = &mut e {
            error.offset = Some(36);
        }
        assert_eq!(e.to_string(), "netlink EINVAL (22): bad mtu");
    }

    #[test]
    fn display_reads_like_the_design() {
        assert_eq!(
            kernel(19, "", Some("no such interface \"nope0\"")).to_string(),
            "netlink ENODEV (19): no such interface \"nope0\""
        );
        assert_eq!(
            kernel(22, "mtu greater than device maximum", None).to_string(),
            "netlink EINVAL (22): mtu greater than device maximum"
        );
        assert_eq!(
            kernel(17, "", None).to_string(),
            "netlink EEXIST (17): file exists"
        );
        assert_eq!(
            kernel(85, "", None).to_string(),
            "netlink ERESTART (85): interrupted system call should be restarted"
        );
        assert_eq!(
            Error::no_such_link(&"x".into(), LinkRole::Link).to_string(),
            "netlink ENODEV (19): no such interface \"x\""
        );
        assert_eq!(
            Error::no_such_link(&"x".into(), LinkRole::Parent).to_string(),
            "netlink ENODEV (19): no such parent interface \"x\""
        );
        assert_eq!(
            Error::no_such_link(&9999.into(), LinkRole::Master).to_string(),
            "netlink ENODEV (19): no such master interface with index 9999"
        );
    }

    /// Each way a missing object is reported is one kind, whatever
    /// variant or errno carries it; no text is read.
    #[test]
    fn kinds_gather_errnos_and_variants() {
        let not_found = [
            kernel(libc::ENODEV, "", None),
            kernel(libc::ESRCH, "", None),
            kernel(libc::ENOENT, "", None),
            kernel(libc::EADDRNOTAVAIL, "Address not found", None),
            Error::no_such_link(&"x".into(), LinkRole::Parent),
            Error::sys("no such process 7", libc::ESRCH),
        ];
        for e in &not_found {
            assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        }
        assert_eq!(kernel(libc::EEXIST, "", None).kind(), ErrorKind::Exists);
        assert_eq!(kernel(libc::EPERM, "", None).kind(), ErrorKind::Permission);
        assert_eq!(
            Error::sys("open", libc::EACCES).kind(),
            ErrorKind::Permission
        );
        assert_eq!(Error::Invalid("x".into()).kind(), ErrorKind::Invalid);
        assert_eq!(kernel(libc::EINVAL, "bad", None).kind(), ErrorKind::Invalid);
        assert_eq!(
            kernel(libc::EOPNOTSUPP, "", None).kind(),
            ErrorKind::Unsupported
        );
        assert_eq!(kernel(524, "", None).kind(), ErrorKind::Unsupported);
        assert_eq!(kernel(libc::EBUSY, "", None).kind(), ErrorKind::Busy);
        assert_eq!(
            kernel(libc::ENETUNREACH, "", None).kind(),
            ErrorKind::Unreachable
        );
        assert_eq!(
            Error::Timeout(std::time::Duration::from_secs(1)).kind(),
            ErrorKind::TimedOut
        );
        assert_eq!(Error::WouldBlock.kind(), ErrorKind::WouldBlock);
        assert_eq!(Error::Overflow { lost: 3 }.kind(), ErrorKind::Lost);
        assert_eq!(Error::Truncated { len: 9, cap: 8 }.kind(), ErrorKind::Lost);
        assert_eq!(
            Error::BatchAborted { failed: Some(1) }.kind(),
            ErrorKind::Aborted
        );
        assert_eq!(Error::Unexpected("x").kind(), ErrorKind::Other);
        assert_eq!(kernel(libc::EXDEV, "", None).kind(), ErrorKind::Other);
        let full = Error::QueueFull { need: 40, room: 8 };
        assert_eq!(full.kind(), ErrorKind::QueueFull);
        assert_eq!(full.errno(), None, "back-pressure is no errno");
        // A request too large for any queue is not back-pressure.
        let big = Error::Encode(EncodeError::BufferFull { need: 9, have: 8 });
        assert_ne!(big.kind(), ErrorKind::QueueFull);
    }

    /// Each shorthand is its kind, and only its kind.
    #[test]
    fn shorthands_are_their_kinds() {
        let all = [
            Error::no_such_link(&"x".into(), LinkRole::Link),
            kernel(libc::ESRCH, "", None),
            kernel(libc::EEXIST, "", None),
            kernel(libc::EPERM, "", None),
            Error::sys("open", libc::EACCES),
            Error::QueueFull { need: 40, room: 8 },
            Error::Invalid("x".into()),
            Error::WouldBlock,
        ];
        for e in &all {
            assert_eq!(e.is_not_found(), e.kind() == ErrorKind::NotFound, "{e}");
            assert_eq!(e.is_exists(), e.kind() == ErrorKind::Exists, "{e}");
            assert_eq!(e.is_permission(), e.kind() == ErrorKind::Permission, "{e}");
            assert_eq!(e.is_queue_full(), e.kind() == ErrorKind::QueueFull, "{e}");
        }
        let count = |f: fn(&Error) -> bool| all.iter().filter(|e| f(e)).count();
        assert_eq!(count(Error::is_not_found), 2);
        assert_eq!(count(Error::is_exists), 1);
        assert_eq!(count(Error::is_permission), 2);
        assert_eq!(count(Error::is_queue_full), 1);
    }

    /// `?` into `io::Result` keeps the text, maps the kind, and gives the
    /// error (and its errno) back.
    #[test]
    fn io_error_keeps_text_kind_and_errno() {
        use std::io::ErrorKind as Io;
        let cases = [
            (
                Error::no_such_link(&"nope0".into(), LinkRole::Link),
                Io::NotFound,
            ),
            (kernel(libc::EEXIST, "", None), Io::AlreadyExists),
            (kernel(libc::EPERM, "", None), Io::PermissionDenied),
            (Error::Invalid("bad".into()), Io::InvalidInput),
            (kernel(libc::EOPNOTSUPP, "", None), Io::Unsupported),
            (
                Error::Timeout(std::time::Duration::from_secs(2)),
                Io::TimedOut,
            ),
            (Error::WouldBlock, Io::WouldBlock),
            (Error::Overflow { lost: 1 }, Io::Other),
        ];
        for (e, kind) in cases {
            let text = e.to_string();
            let errno = e.errno();
            let io = std::io::Error::from(e);
            assert_eq!(io.kind(), kind, "{text}");
            assert_eq!(io.to_string(), text);
            let back = io.downcast::<Error>().expect("the payload is the error");
            assert_eq!(back.errno(), errno, "{text}");
            assert_eq!(back.to_string(), text);
        }
        fn setup() -> std::io::Result<()> {
            Err(Error::no_such_link(&"eth9".into(), LinkRole::Link))?;
            Ok(())
        }
        assert_eq!(setup().unwrap_err().kind(), Io::NotFound);
    }

    /// A kernel `EPERM` names what was refused and in which namespace.
    #[test]
    fn eperm_names_the_operation_and_namespace() {
        let sock = crate::Socket::open(crate::Protocol::Route).expect("netlink socket");
        let e =
            kernel(libc::EPERM, "", None).not_permitted(&sock, || "create link \"d0\"".to_string());
        let inode = std::fs::metadata("/proc/thread-self/ns/net").map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.ino()
        });
        let inode = inode.expect("the thread's namespace file");
        assert_eq!(
            e.to_string(),
            format!(
                "netlink EPERM (1): not permitted to create link \"d0\" in network namespace \
                 net:[{inode}]; changes there need CAP_NET_ADMIN"
            )
        );
        assert_eq!(e.kind(), ErrorKind::Permission);
        // Another errno is left to the verb's own context.
        let e = kernel(libc::EEXIST, "", None).not_permitted(&sock, || unreachable!());
        assert_eq!(e.to_string(), "netlink EEXIST (17): file exists");
    }
}
