//! The few raw system calls rustix does not wrap: `SOL_NETLINK` socket
//! options, and `unshare(CLONE_NEWNET)`.
//!
//! Every block does one operation and says why it is sound.

#![allow(unsafe_code)]
#![deny(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]

use rustix::io::Errno;
use std::os::fd::{AsFd, AsRawFd};

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
    if rc == 0 {
        Ok(())
    } else {
        Err(Errno::from_io_error(&std::io::Error::last_os_error()).unwrap_or(Errno::IO))
    }
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
