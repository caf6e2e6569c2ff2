//! `struct nlmsghdr`, message types and flags (`include/uapi/linux/netlink.h`).

use core::fmt;
use zerocopy::byteorder::{NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// Size of [`Header`] on the wire.
pub const HEADER_LEN: usize = 16;

/// The netlink message header, `struct nlmsghdr`.
///
/// ```text
///  0               4       6       8               12              16
/// +---------------+-------+-------+---------------+---------------+
/// | nlmsg_len     | type  | flags | nlmsg_seq     | nlmsg_pid     |
/// +---------------+-------+-------+---------------+---------------+
/// ```
///
/// Host byte order, laid over unaligned bytes, so it can be read in place
/// from any receive buffer.
#[derive(Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct Header {
    /// Length of the whole message including this header (`nlmsg_len`).
    pub len: U32<NativeEndian>,
    /// Message type (`nlmsg_type`).
    pub ty: U16<NativeEndian>,
    /// Flags (`nlmsg_flags`).
    pub flags: U16<NativeEndian>,
    /// Sequence number (`nlmsg_seq`).
    pub seq: U32<NativeEndian>,
    /// Port id of the sending socket (`nlmsg_pid`). In replies from the
    /// kernel this is *our* port id, not 0: see the session docs.
    pub pid: U32<NativeEndian>,
}

// A header always describes a message of at least 16 bytes: no `is_empty`.
#[allow(clippy::len_without_is_empty)]
impl Header {
    /// The header as the 16 bytes on the wire, for a driver that copies a
    /// message (header and payload) without depending on `zerocopy`.
    pub fn bytes(&self) -> &[u8; HEADER_LEN] {
        zerocopy::transmute_ref!(self)
    }

    /// Message length (`nlmsg_len`).
    pub fn len(&self) -> u32 {
        self.len.get()
    }
    /// Message type.
    pub fn msg_type(&self) -> MsgType {
        MsgType(self.ty.get())
    }
    /// Message flags.
    pub fn flags(&self) -> Flags {
        Flags(self.flags.get())
    }
    /// Sequence number.
    pub fn seq(&self) -> Seq {
        Seq(self.seq.get())
    }
    /// Port id field.
    pub fn pid(&self) -> u32 {
        self.pid.get()
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("len", &self.len.get())
            .field("ty", &self.msg_type())
            .field("flags", &self.flags())
            .field("seq", &self.seq.get())
            .field("pid", &self.pid.get())
            .finish()
    }
}

/// A request sequence number (`nlmsg_seq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seq(pub u32);

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A netlink message type (`nlmsg_type`): an open set, so unknown values
/// are kept, not rejected.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgType(pub u16);

impl MsgType {
    /// `NLMSG_NOOP`: ignored.
    #[doc(alias = "NLMSG_NOOP")]
    pub const NOOP: Self = Self(1);
    /// `NLMSG_ERROR`: an error or, with error 0, an acknowledgement.
    #[doc(alias = "NLMSG_ERROR")]
    pub const ERROR: Self = Self(2);
    /// `NLMSG_DONE`: end of a multipart (dump) reply.
    #[doc(alias = "NLMSG_DONE")]
    pub const DONE: Self = Self(3);
    /// `NLMSG_OVERRUN`: data lost.
    #[doc(alias = "NLMSG_OVERRUN")]
    pub const OVERRUN: Self = Self(4);
    /// `NLMSG_MIN_TYPE`: types below this are reserved for control messages.
    #[doc(alias = "NLMSG_MIN_TYPE")]
    pub const MIN_TYPE: Self = Self(0x10);

    /// Whether this is one of the reserved control types (below
    /// [`MsgType::MIN_TYPE`]).
    pub const fn is_control(self) -> bool {
        self.0 < Self::MIN_TYPE.0
    }
}

impl fmt::Debug for MsgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NOOP => f.write_str("NOOP"),
            Self::ERROR => f.write_str("ERROR"),
            Self::DONE => f.write_str("DONE"),
            Self::OVERRUN => f.write_str("OVERRUN"),
            Self(v) => write!(f, "MsgType({v})"),
        }
    }
}

/// Message flags (`nlmsg_flags`).
///
/// The low byte means the same on every message. Bits `0x100`..`0x800`
/// mean different things by message kind (`0x100` is `ROOT` on a GET,
/// `REPLACE` on a NEW, `NONREC` on a DEL and `CAPPED` on an ack), so the
/// constants for them are aliases of one another and `Debug` prints those
/// bits as a raw number instead of guessing a name. Use [`Flags::names`]
/// with a [`FlagsFor`] to print them for a known kind.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u16);

/// The kind of message whose flags are being named (see [`Flags::names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagsFor {
    /// A GET request.
    Get,
    /// A NEW request.
    New,
    /// A DEL request.
    Del,
    /// An `NLMSG_ERROR` (ack) message.
    Ack,
}

impl Flags {
    /// No flags.
    pub const EMPTY: Self = Self(0);
    /// `NLM_F_REQUEST`: a request.
    #[doc(alias = "NLM_F_REQUEST")]
    pub const REQUEST: Self = Self(0x01);
    /// `NLM_F_MULTI`: part of a multipart reply.
    #[doc(alias = "NLM_F_MULTI")]
    pub const MULTI: Self = Self(0x02);
    /// `NLM_F_ACK`: ask for an acknowledgement.
    #[doc(alias = "NLM_F_ACK")]
    pub const ACK: Self = Self(0x04);
    /// `NLM_F_ECHO`: echo this request to the sender.
    #[doc(alias = "NLM_F_ECHO")]
    pub const ECHO: Self = Self(0x08);
    /// `NLM_F_DUMP_INTR`: the dump was inconsistent because state changed.
    #[doc(alias = "NLM_F_DUMP_INTR")]
    pub const DUMP_INTR: Self = Self(0x10);
    /// `NLM_F_DUMP_FILTERED`: the dump was filtered as requested.
    #[doc(alias = "NLM_F_DUMP_FILTERED")]
    pub const DUMP_FILTERED: Self = Self(0x20);

    /// GET: `NLM_F_ROOT`, return the whole table.
    #[doc(alias = "NLM_F_ROOT")]
    pub const ROOT: Self = Self(0x100);
    /// GET: `NLM_F_MATCH`, return all matching.
    #[doc(alias = "NLM_F_MATCH")]
    pub const MATCH: Self = Self(0x200);
    /// GET: `NLM_F_ATOMIC`, atomic snapshot.
    #[doc(alias = "NLM_F_ATOMIC")]
    pub const ATOMIC: Self = Self(0x400);
    /// GET: `NLM_F_DUMP` = `ROOT | MATCH`.
    #[doc(alias = "NLM_F_DUMP")]
    pub const DUMP: Self = Self(0x300);

    /// NEW: `NLM_F_REPLACE`, replace an existing object.
    #[doc(alias = "NLM_F_REPLACE")]
    pub const REPLACE: Self = Self(0x100);
    /// NEW: `NLM_F_EXCL`, fail if it exists.
    #[doc(alias = "NLM_F_EXCL")]
    pub const EXCL: Self = Self(0x200);
    /// NEW: `NLM_F_CREATE`, create if it does not exist.
    #[doc(alias = "NLM_F_CREATE")]
    pub const CREATE: Self = Self(0x400);
    /// NEW: `NLM_F_APPEND`, add to the end of a list.
    #[doc(alias = "NLM_F_APPEND")]
    pub const APPEND: Self = Self(0x800);

    /// DEL: `NLM_F_NONREC`, do not delete recursively.
    #[doc(alias = "NLM_F_NONREC")]
    pub const NONREC: Self = Self(0x100);
    /// DEL: `NLM_F_BULK`, delete several objects.
    #[doc(alias = "NLM_F_BULK")]
    pub const BULK: Self = Self(0x200);

    /// ACK: `NLM_F_CAPPED`, the echoed request was cut to its header.
    #[doc(alias = "NLM_F_CAPPED")]
    pub const CAPPED: Self = Self(0x100);
    /// ACK: `NLM_F_ACK_TLVS`, extended ack TLVs follow.
    #[doc(alias = "NLM_F_ACK_TLVS")]
    pub const ACK_TLVS: Self = Self(0x200);

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }
    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    /// Whether any bit of `other` is set.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
    /// The union of both.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Names of the set bits as they read on a message of kind `kind`,
    /// followed by unnamed bits as a number.
    pub fn names(self, kind: FlagsFor) -> impl Iterator<Item = &'static str> {
        const COMMON: [(u16, &str); 6] = [
            (0x01, "REQUEST"),
            (0x02, "MULTI"),
            (0x04, "ACK"),
            (0x08, "ECHO"),
            (0x10, "DUMP_INTR"),
            (0x20, "DUMP_FILTERED"),
        ];
        let specific: [(u16, &str); 4] = match kind {
            FlagsFor::Get => [
                (0x100, "ROOT"),
                (0x200, "MATCH"),
                (0x400, "ATOMIC"),
                (0, ""),
            ],
            FlagsFor::New => [
                (0x100, "REPLACE"),
                (0x200, "EXCL"),
                (0x400, "CREATE"),
                (0x800, "APPEND"),
            ],
            FlagsFor::Del => [(0x100, "NONREC"), (0x200, "BULK"), (0, ""), (0, "")],
            FlagsFor::Ack => [(0x100, "CAPPED"), (0x200, "ACK_TLVS"), (0, ""), (0, "")],
        };
        let bits = self.0;
        COMMON
            .into_iter()
            .chain(specific)
            .filter(move |&(bit, _)| bit != 0 && bits & bit == bit)
            .map(|(_, name)| name)
    }
}

impl core::ops::BitOr for Flags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl core::ops::BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Self) {
        *self = self.union(rhs);
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Flags(")?;
        let mut first = true;
        for name in Self(self.0 & 0xff).names(FlagsFor::Ack) {
            if !first {
                f.write_str(" | ")?;
            }
            f.write_str(name)?;
            first = false;
        }
        let rest = self.0 & !0x3f;
        if rest != 0 {
            if !first {
                f.write_str(" | ")?;
            }
            write!(f, "{rest:#x}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_reads_unaligned_bytes() {
        let mut buf = [0u8; 17];
        let bytes: [u8; 16] = [
            0x20, 0, 0, 0, // len 32
            0x12, 0, // type 18 (RTM_GETLINK)
            0x01, 0x03, // REQUEST | DUMP
            7, 0, 0, 0, // seq
            0, 0, 0, 0, // pid
        ];
        buf[1..].copy_from_slice(&bytes);
        let (h, _) = Header::ref_from_prefix(&buf[1..]).unwrap();
        assert_eq!(h.len(), 32);
        assert_eq!(h.msg_type(), MsgType(18));
        assert!(h.flags().contains(Flags::REQUEST | Flags::DUMP));
        assert_eq!(h.seq(), Seq(7));
    }

    #[test]
    fn flag_names_depend_on_kind() {
        let f = Flags(0x0105);
        let mut get = f.names(FlagsFor::Get);
        assert_eq!(get.next(), Some("REQUEST"));
        assert_eq!(get.next(), Some("ACK"));
        assert_eq!(get.next(), Some("ROOT"));
        assert_eq!(get.next(), None);
        assert!(f.names(FlagsFor::New).eq(["REQUEST", "ACK", "REPLACE"]));
        assert!(f.names(FlagsFor::Ack).eq(["REQUEST", "ACK", "CAPPED"]));
    }

    #[test]
    fn debug_does_not_name_ambiguous_bits() {
        let mut s = heapless::String::<64>::new();
        core::fmt::write(&mut s, format_args!("{:?}", Flags(0x0301))).unwrap();
        assert_eq!(s.as_str(), "Flags(REQUEST | 0x300)");
    }
}
