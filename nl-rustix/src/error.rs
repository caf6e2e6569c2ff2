//! The driver's error type.

use nl_proto::wire::OwnedKernelError;
use nl_proto::{DecodeError, EncodeError, SessionError};
use rustix::io::Errno;

/// Everything that can go wrong in this crate.
///
/// `Display` reads like `netlink ENODEV (19): no such interface "nope0"`:
/// the errno's name and number, then the kernel's extended-ack text when
/// it sent one, otherwise what was at fault.
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
    /// Something we looked up does not exist (checked before anything was sent).
    #[error("netlink ENODEV (19): {0}")]
    NotFound(String),
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
    /// No answer within the socket's receive timeout.
    #[error("netlink ETIMEDOUT (110): no answer from the kernel within {0:?}")]
    Timeout(std::time::Duration),
    /// The answer to a request ended without what was needed (e.g. a GET
    /// acked without a reply).
    #[error("netlink: {0}")]
    Unexpected(&'static str),
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

impl Error {
    /// The errno behind this error, if there is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Self::Kernel { error, .. } => Some(error.errno.get()),
            Self::Sys { errno, .. } => Some(*errno),
            Self::NotFound(_) => Some(libc::ENODEV),
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
            Error::NotFound("no such interface \"x\"".into()).to_string(),
            "netlink ENODEV (19): no such interface \"x\""
        );
    }
}
