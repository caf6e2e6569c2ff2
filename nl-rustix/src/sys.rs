//! The few raw system calls rustix does not wrap: `SOL_NETLINK` socket
//! options, `recvmsg` with the `NETLINK_PKTINFO` control message (rustix
//! parses only `SCM_RIGHTS` and `SCM_CREDENTIALS`), the coarse monotonic
//! clock (rustix's `time` feature parses the vDSO itself), the `SIOCGSKNS`
//! and `NS_GET_NSTYPE` ioctls, and `unshare(CLONE_NEWNET)`.
//!
//! Every block does one operation and says why it is sound.

#![allow(unsafe_code)]
#![deny(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]

use nl_proto::session::Source;
use rustix::io::Errno;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

/// `SOL_NETLINK` (`include/linux/socket.h`).
const SOL_NETLINK: libc::c_int = 270;

/// `NETLINK_*` socket options (`include/uapi/linux/netlink.h`).
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub(crate) enum NetlinkOpt {
    /// Join a multicast group by number.
    AddMembership = 1,
    /// Leave a multicast group by number.
    DropMembership = 2,
    /// Attach `struct nl_pktinfo` (the destination group) to every datagram.
    PktInfo = 3,
    /// Do not report ENOBUFS (for monitors that resync otherwise).
    NoEnobufs = 5,
    /// Echo only the request header in error messages.
    CapAck = 10,
    /// Extended ack TLVs (error text, offsets).
    ExtAck = 11,
    /// Strict checking of dump requests (kernel-side filters).
    GetStrictChk = 12,
}

/// `setsockopt(fd, SOL_NETLINK, opt, &value, 4)`.
///
/// See [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html).
pub(crate) fn set_netlink_opt(fd: impl AsFd, opt: NetlinkOpt, value: u32) -> Result<(), Errno> {
    let value: libc::c_int = libc::c_int::try_from(value).map_err(|_| Errno::INVAL)?;
    let len = libc::socklen_t::try_from(size_of::<libc::c_int>()).map_err(|_| Errno::INVAL)?;
    // SAFETY: `fd` is a live descriptor borrowed for the call; `value` is a
    // local `c_int` that outlives the call, and `len` is its exact size, so
    // the kernel reads only initialised memory we own.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_fd().as_raw_fd(),
            SOL_NETLINK,
            opt as libc::c_int,
            (&raw const value).cast::<libc::c_void>(),
            len,
        )
    };
    if rc == 0 { Ok(()) } else { Err(last_errno()) }
}

/// The size of the next datagram queued on `fd`, without taking it:
/// `recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC)` (no address, no control
/// messages, nothing copied).
pub(crate) fn peek_len(fd: impl AsFd, flags: libc::c_int) -> Result<usize, Errno> {
    // SAFETY: `fd` is a live descriptor borrowed for the call; the buffer
    // is null with length 0, so the kernel writes no memory of ours.
    let n = unsafe {
        libc::recv(
            fd.as_fd().as_raw_fd(),
            std::ptr::null_mut(),
            0,
            flags | libc::MSG_PEEK | libc::MSG_TRUNC,
        )
    };
    usize::try_from(n).map_err(|_| last_errno())
}

/// Room for the control messages of one datagram: one `nl_pktinfo`
/// (a 16-byte header plus 4 bytes, aligned) with margin.
const CONTROL_LEN: usize = 64;

/// `recvmsg(fd, buf, flags | MSG_TRUNC)` on a netlink socket: the
/// datagram's real length (larger than `buf` when it was truncated) and
/// its [`Source`]: the sender
/// address, and the destination group from `NETLINK_PKTINFO` when that
/// option is on.
///
/// See [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html).
pub(crate) fn recvmsg(
    fd: impl AsFd,
    buf: &mut [u8],
    flags: libc::c_int,
) -> Result<(usize, Source), Errno> {
    let mut addr = sockaddr_nl_zeroed();
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast::<libc::c_void>(),
        iov_len: buf.len(),
    };
    let mut control = [0u8; CONTROL_LEN];
    let mut msg = msghdr_zeroed();
    msg.msg_name = (&raw mut addr).cast::<libc::c_void>();
    msg.msg_namelen =
        libc::socklen_t::try_from(size_of::<libc::sockaddr_nl>()).map_err(|_| Errno::INVAL)?;
    msg.msg_iov = &raw mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast::<libc::c_void>();
    msg.msg_controllen = CONTROL_LEN as _;
    // SAFETY: `fd` is a live descriptor borrowed for the call. `msg` points
    // at `addr` (a `sockaddr_nl`, its size in `msg_namelen`), at one iovec
    // covering exactly `buf` (writable, `buf.len()` bytes) and at
    // `control` (`CONTROL_LEN` writable bytes); all are locals or borrows
    // that outlive the call, and the kernel writes no more than the sizes
    // given.
    let n = unsafe {
        libc::recvmsg(
            fd.as_fd().as_raw_fd(),
            &raw mut msg,
            flags | libc::MSG_TRUNC,
        )
    };
    let len = usize::try_from(n).map_err(|_| last_errno())?;
    let pid_groups = (usize::try_from(msg.msg_namelen)
        .is_ok_and(|l| l >= size_of::<libc::sockaddr_nl>())
        && i32::from(addr.nl_family) == libc::AF_NETLINK)
        .then_some((addr.nl_pid, addr.nl_groups));
    // No address means the kernel (some paths omit it).
    let (pid, groups) = pid_groups.unwrap_or((0, 0));
    // `size_t` with glibc, `socklen_t` with musl.
    #[allow(clippy::useless_conversion)]
    let written = usize::try_from(msg.msg_controllen).map_or(0, |l| l.min(CONTROL_LEN));
    let group = pktinfo_group(control.get(..written).unwrap_or_default()).unwrap_or(0);
    Ok((len, Source { pid, group, groups }))
}

/// `clock_gettime(CLOCK_MONOTONIC_COARSE)` as a duration since its epoch:
/// the time of the last tick, read from the vDSO without a system call
/// (a memory read, where the precise clock costs 2-3% of a round trip).
pub(crate) fn coarse_now() -> std::time::Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a live, writable `timespec` for the duration of the
    // call; the kernel (or vDSO) writes only that struct.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &raw mut t) };
    if rc != 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

/// `clock_getres(CLOCK_MONOTONIC_COARSE)`: how far [`coarse_now`] can lag
/// the precise clock (one tick); `None` if the kernel does not say.
pub(crate) fn coarse_resolution() -> Option<std::time::Duration> {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a live, writable `timespec` for the duration of the
    // call; the kernel (or vDSO) writes only that struct.
    let rc = unsafe { libc::clock_getres(libc::CLOCK_MONOTONIC_COARSE, &raw mut t) };
    (rc == 0).then(|| {
        std::time::Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    })
}

/// The `nl_pktinfo.group` in a control-message buffer as the kernel lays
/// it out (`struct cmsghdr { size_t len; int level; int type; }`, data
/// and each header aligned to `size_t`).
fn pktinfo_group(mut control: &[u8]) -> Option<u32> {
    const WORD: usize = size_of::<usize>();
    let align = |n: usize| n.checked_add(WORD - 1).map(|n| n & !(WORD - 1));
    let header = WORD + 8;
    let data_at = align(header)?;
    while control.len() >= header {
        let word = |at: usize, n: usize| control.get(at..at + n);
        let len = usize::from_ne_bytes(word(0, WORD)?.try_into().ok()?);
        let level = i32::from_ne_bytes(word(WORD, 4)?.try_into().ok()?);
        let kind = i32::from_ne_bytes(word(WORD + 4, 4)?.try_into().ok()?);
        if len < header || len > control.len() {
            return None;
        }
        if level == SOL_NETLINK && kind == NetlinkOpt::PktInfo as i32 {
            let data = control.get(data_at..len)?;
            return Some(u32::from_ne_bytes(data.get(..4)?.try_into().ok()?));
        }
        control = control.get(align(len)?..).unwrap_or_default();
    }
    None
}

fn sockaddr_nl_zeroed() -> libc::sockaddr_nl {
    // SAFETY: `sockaddr_nl` is a C struct of integers (and private
    // padding), for which all-zero bytes are a valid value.
    unsafe { std::mem::zeroed() }
}

fn msghdr_zeroed() -> libc::msghdr {
    // SAFETY: `msghdr` is a C struct of integers and raw pointers (and, on
    // some targets, private padding); all-zero is a valid value (null
    // pointers, zero lengths).
    unsafe { std::mem::zeroed() }
}

fn last_errno() -> Errno {
    Errno::from_io_error(&std::io::Error::last_os_error()).unwrap_or(Errno::IO)
}

/// `ioctl(fd, SIOCGSKNS)`: a new descriptor of the network namespace
/// socket `fd` belongs to (needs `CAP_NET_ADMIN` there).
pub(crate) fn socket_netns(fd: impl AsFd) -> Result<OwnedFd, Errno> {
    // SAFETY: `fd` is a live descriptor borrowed for the call; SIOCGSKNS
    // takes no argument and touches no memory of ours, it only returns a
    // new descriptor.
    let rc = unsafe { libc::ioctl(fd.as_fd().as_raw_fd(), libc::SIOCGSKNS as _) };
    if rc < 0 {
        return Err(last_errno());
    }
    // SAFETY: on success SIOCGSKNS returns a descriptor it just opened for
    // us, which nothing else owns or closes.
    Ok(unsafe { OwnedFd::from_raw_fd(rc) })
}

/// `NS_GET_NSTYPE` (`include/uapi/linux/nsfs.h`: `_IO(0xb7, 0x3)`).
const NS_GET_NSTYPE: libc::c_ulong = 0xb703;

/// `ioctl(fd, NS_GET_NSTYPE)`: the `CLONE_NEW*` type of namespace file
/// `fd` (Linux 4.11); `ENOTTY` when `fd` is not a namespace file.
pub(crate) fn namespace_type(fd: impl AsFd) -> Result<libc::c_int, Errno> {
    // SAFETY: `fd` is a live descriptor borrowed for the call;
    // NS_GET_NSTYPE takes no argument and touches no memory of ours, it
    // only returns a number. 0xb7 is nsfs's ioctl type
    // (Documentation/userspace-api/ioctl/ioctl-number.rst): any other
    // file fails it with ENOTTY and is left as it was.
    let rc = unsafe { libc::ioctl(fd.as_fd().as_raw_fd(), NS_GET_NSTYPE as _) };
    if rc < 0 { Err(last_errno()) } else { Ok(rc) }
}

/// Move the calling thread into a new, empty network namespace.
///
/// Only the calling thread changes; callers use a thread of their own and
/// never a thread that other code expects to stay in its namespace.
pub(crate) fn unshare_netns() -> Result<(), Errno> {
    // SAFETY: `unshare` is unsafe in rustix because some flags (e.g.
    // CLONE_FILES, CLONE_FS) change state other Rust code in this thread may
    // rely on. CLONE_NEWNET alone only gives the thread a new network
    // namespace: no memory, descriptor table or filesystem state changes.
    unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNET) }
}

/// Signals for tests that interrupt a blocked system call (`EINTR`).
#[cfg(test)]
pub(crate) mod test_signals {
    /// A thread to signal.
    #[derive(Clone, Copy)]
    pub(crate) struct Thread(libc::pthread_t);

    extern "C" fn ignore(_: libc::c_int) {}

    /// Catch `sig` with a handler that does nothing, so that it interrupts
    /// blocking calls instead of killing the process.
    pub(crate) fn install_noop_handler(sig: libc::c_int) {
        // SAFETY: an all-zero `sigaction` is valid (empty mask, no flags).
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = ignore as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: `action` is initialised and outlives the call; the
        // handler is async-signal-safe (it does nothing).
        let rc = unsafe { libc::sigaction(sig, &raw const action, std::ptr::null_mut()) };
        assert_eq!(rc, 0, "sigaction");
    }

    /// The calling thread.
    pub(crate) fn this_thread() -> Thread {
        // SAFETY: `pthread_self` has no preconditions.
        Thread(unsafe { libc::pthread_self() })
    }

    /// Send `sig` to `thread`, which must still be running.
    pub(crate) fn signal(thread: Thread, sig: libc::c_int) {
        // SAFETY: callers keep `thread` alive (they join the signalling
        // thread before it can exit).
        unsafe { libc::pthread_kill(thread.0, sig) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One control message as the kernel writes it.
    fn cmsg(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
        const WORD: usize = size_of::<usize>();
        let header = WORD + 8;
        let mut c = (header + data.len()).to_ne_bytes().to_vec();
        c.extend(level.to_ne_bytes());
        c.extend(kind.to_ne_bytes());
        c.extend(data);
        while c.len() % WORD != 0 {
            c.push(0);
        }
        c
    }

    /// The clock block, under Miri too (which checks that the call
    /// writes only the `timespec` handed in): the coarse clock never goes
    /// back.
    #[test]
    fn coarse_clock_reads_and_never_goes_back() {
        let a = coarse_now();
        let b = coarse_now();
        assert!(b >= a, "{b:?} before {a:?}");
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri does not implement clock_getres")]
    fn coarse_clock_has_a_resolution() {
        assert!(coarse_resolution().is_some_and(|r| r > std::time::Duration::ZERO));
    }

    /// The all-zero C structs are valid values (Miri checks `zeroed`).
    #[test]
    fn zeroed_structs_are_empty() {
        let a = sockaddr_nl_zeroed();
        assert_eq!((a.nl_family, a.nl_pid, a.nl_groups), (0, 0, 0));
        let m = msghdr_zeroed();
        assert!(m.msg_name.is_null() && m.msg_iov.is_null() && m.msg_control.is_null());
        assert_eq!((m.msg_namelen, m.msg_iovlen, m.msg_controllen), (0, 0, 0));
    }

    #[test]
    fn pktinfo_is_found_after_another_message() {
        let mut c = cmsg(libc::SOL_SOCKET, 1, &[7; 5]);
        c.extend(cmsg(SOL_NETLINK, 3, &37u32.to_ne_bytes()));
        assert_eq!(pktinfo_group(&c), Some(37));
        // Cut inside the group (the last 4 bytes are padding).
        assert_eq!(pktinfo_group(&c[..c.len() - 5]), None, "cut short");
        assert_eq!(pktinfo_group(&[]), None);
        assert_eq!(pktinfo_group(&cmsg(SOL_NETLINK, 3, &[1, 0])), None);
    }
}
