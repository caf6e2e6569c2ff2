//! Zero-copy views over netlink bytes, and a writer that builds them.
//!
//! # Contract
//!
//! Everything in this module takes bytes from an untrusted peer and must
//! neither panic nor loop forever on any input. Concretely:
//!
//! - [`Msgs`] and [`Attrs`] check every length against both its own header
//!   size and the bytes that remain. A bad length yields one `Err` item, after
//!   which the iterator is fused and yields `None`: nothing after a broken
//!   length can be located, so nothing after it is guessed at.
//! - The last message or attribute of a buffer may omit its alignment
//!   padding; everything else is advanced by the aligned length, clamped to
//!   the bytes that remain.
//! - Typed getters on [`Attr`] check the payload size exactly for scalars and
//!   addresses. Fixed kernel structs ([`Attr::read_struct`]) accept longer
//!   payloads and zero-fill shorter ones, because the kernel grows them.
//! - [`AttrTable`] reads a whole attribute stream in one pass, keeping the
//!   last attribute of each type; unknown types are skipped and a framing
//!   error ends the walk but keeps what was read before it, so one bad
//!   attribute cannot make a message unreadable.
//! - [`MsgWriter`] writes into a caller's buffer. Every `put_*` is
//!   all-or-nothing: on [`EncodeError::BufferFull`](crate::EncodeError) the
//!   buffer and cursor are as they were. Lengths are narrowed with
//!   `try_from`; padding bytes are written as zero.
//!
//! The byte-handling code here is compiled with clippy's indexing, arithmetic
//! and cast lints denied, so the promise above is checked, not just stated.

#![deny(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod attrs;
mod control;
mod header;
mod msgs;
mod writer;

pub use attrs::{Attr, AttrTable, Attrs};
pub use control::{
    Control, DoneMsg, EXTACK_MSG_CAP, ExtAck, KernelError, OwnedKernelError, decode_control,
};
pub use header::{Flags, FlagsFor, HEADER_LEN, Header, MsgType, Seq};
pub use msgs::{Msg, Msgs};
pub use writer::{MAX_NEST_DEPTH, MsgWriter, Nest};

/// Netlink aligns messages and attributes to 4 bytes (`NLMSG_ALIGNTO`,
/// `NLA_ALIGNTO`).
pub const ALIGN: usize = 4;

/// Round `len` up to the netlink alignment, or `None` on overflow.
#[inline]
pub const fn align(len: usize) -> Option<usize> {
    match len.checked_add(ALIGN - 1) {
        Some(v) => Some(v & !(ALIGN - 1)),
        None => None,
    }
}
