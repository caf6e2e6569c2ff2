//! Generic netlink (`NETLINK_GENERIC`): the `genlmsghdr` framing shared by
//! every generic family, the controller ([`ctrl`]) that resolves a
//! family's name to its id, version, operations and multicast groups, and
//! two families: the MPTCP path manager ([`mptcp`]) and ethtool
//! ([`ethtool`]: link modes and link info).
//!
//! ```text
//! +-----------------+-----+---------+----------+---------------------+
//! | nlmsghdr        | cmd | version | reserved | attributes          |
//! | type = family id| u8  | u8      | u16      | (family-specific)   |
//! +-----------------+-----+---------+----------+---------------------+
//! ```
//!
//! A generic family has no fixed message type: the kernel assigns each
//! family an id at registration and that id is the `nlmsg_type` of all its
//! messages. Only the controller has a fixed id, [`GENL_ID_CTRL`]. So a
//! user first asks the controller ([`ctrl::encode_get_family`]), keeps the
//! [`ctrl::Family`] it gets back, and builds its requests with
//! [`begin_genl`] and the family's [`FamilyId`].
//!
//! Constants come from `include/uapi/linux/genetlink.h`.

#![deny(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod ctrl;
pub mod ethtool;
pub mod mptcp;

use crate::wire::{Attrs, Flags, Msg, MsgType, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::fmt;
use core::num::NonZeroU16;
use zerocopy::byteorder::{NativeEndian, U16};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `GENL_NAMSIZ`: size of a family or multicast group name, NUL included,
/// so names hold at most 15 bytes.
pub const GENL_NAMSIZ: usize = 16;

/// `GENL_HDRLEN`: size of [`GenlHeader`] on the wire.
pub const GENL_HDRLEN: usize = 4;

/// The generic netlink header, `struct genlmsghdr`.
///
/// ```text
///  0     1         2           4
/// +-----+---------+-----------+
/// | cmd | version | reserved  |
/// +-----+---------+-----------+
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct GenlHeader {
    /// Command (`cmd`), family-specific.
    pub cmd: u8,
    /// Family interface version (`version`).
    pub version: u8,
    /// Reserved, zero (`reserved`).
    pub reserved: U16<NativeEndian>,
}

impl GenlHeader {
    /// A header for `cmd` at interface `version`.
    pub fn new(cmd: u8, version: u8) -> Self {
        Self {
            cmd,
            version,
            reserved: U16::new(0),
        }
    }
}

/// A generic netlink family id: the `nlmsg_type` of the family's messages.
///
/// Never 0: `GENL_ID_GENERATE` (0) only ever meant "not yet assigned", and
/// ids below `NLMSG_MIN_TYPE` are control messages, so a family id of 0 is
/// refused at construction instead of being carried as a sentinel.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FamilyId(NonZeroU16);

impl FamilyId {
    /// The controller, `GENL_ID_CTRL` (0x10).
    #[doc(alias = "GENL_ID_CTRL")]
    pub const CTRL: Self = Self(match NonZeroU16::new(0x10) {
        Some(v) => v,
        None => NonZeroU16::MIN,
    });

    /// The id `raw`, or `None` for 0.
    pub const fn new(raw: u16) -> Option<Self> {
        match NonZeroU16::new(raw) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }
    /// The raw id.
    pub const fn get(self) -> u16 {
        self.0.get()
    }
    /// The message type that addresses this family.
    pub const fn msg_type(self) -> MsgType {
        MsgType(self.0.get())
    }
}

impl fmt::Debug for FamilyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FamilyId({:#x})", self.get())
    }
}

impl From<FamilyId> for u16 {
    fn from(id: FamilyId) -> u16 {
        id.get()
    }
}

impl From<FamilyId> for MsgType {
    fn from(id: FamilyId) -> MsgType {
        id.msg_type()
    }
}

/// `GENL_ID_CTRL`: the controller's fixed family id.
pub const GENL_ID_CTRL: FamilyId = FamilyId::CTRL;

/// Start a generic netlink message: `nlmsghdr` (type = `family`, `flags`)
/// followed by `genlmsghdr` (`cmd`, `version`). Attributes follow with the
/// writer's `put_*` calls, then [`MsgWriter::finish`].
///
/// # Errors
///
/// [`EncodeError::BufferFull`] or [`EncodeError::Misuse`] (a message is
/// already open). On error no message is left open.
pub fn begin_genl(
    w: &mut MsgWriter<'_>,
    family: FamilyId,
    cmd: u8,
    version: u8,
    flags: Flags,
) -> Result<(), EncodeError> {
    w.begin(family.msg_type(), flags)?;
    if let Err(e) = w.put_fixed(&GenlHeader::new(cmd, version)) {
        w.cancel();
        return Err(e);
    }
    Ok(())
}

/// View a generic netlink message as its `genlmsghdr` and the attributes
/// after it. The message type (the family id) is not checked: callers know
/// which family they expect.
///
/// # Errors
///
/// [`DecodeError::Truncated`] if the payload is shorter than 4 bytes.
pub fn split<'a>(msg: &Msg<'a>) -> Result<(&'a GenlHeader, Attrs<'a>), DecodeError> {
    msg.split::<GenlHeader>("genlmsghdr")
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;

    #[test]
    fn header_layout() {
        assert_eq!(core::mem::size_of::<GenlHeader>(), GENL_HDRLEN);
        assert_eq!(GenlHeader::new(3, 1).as_bytes(), &[3, 1, 0, 0]);
    }

    #[test]
    fn family_id_is_never_zero() {
        assert_eq!(FamilyId::new(0), None);
        assert_eq!(FamilyId::new(0x10), Some(GENL_ID_CTRL));
        assert_eq!(GENL_ID_CTRL.get(), 0x10);
        assert_eq!(GENL_ID_CTRL.msg_type(), MsgType(0x10));
    }

    #[test]
    fn begin_writes_both_headers() {
        let mut buf = [0u8; 32];
        let mut w = MsgWriter::new(&mut buf);
        begin_genl(&mut w, FamilyId::new(0x1c).unwrap(), 7, 1, Flags::REQUEST).unwrap();
        w.put_u32(1, 5).unwrap();
        let msg = w.finish().unwrap();
        let (m, _) = Msg::parse(msg).unwrap();
        assert_eq!(m.msg_type(), MsgType(0x1c));
        let (h, mut attrs) = split(&m).unwrap();
        assert_eq!((h.cmd, h.version), (7, 1));
        assert_eq!(attrs.next().unwrap().unwrap().u32(), Ok(5));
    }

    #[test]
    fn begin_rolls_back_when_full() {
        let mut buf = [0u8; 18];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            begin_genl(&mut w, GENL_ID_CTRL, 3, 0, Flags::REQUEST),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(!w.in_message());
        assert!(w.is_empty());
    }

    #[test]
    fn rejects_short_genl_payload() {
        let bytes = [18, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0];
        let (m, _) = Msg::parse(&bytes).unwrap();
        assert!(matches!(
            split(&m),
            Err(DecodeError::Truncated {
                need: 4,
                have: 2,
                ..
            })
        ));
    }
}
