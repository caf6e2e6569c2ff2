//! nfnetlink (`NETLINK_NETFILTER`): the `nfgenmsg` framing shared by the
//! netfilter subsystems, the subsystem/message split of `nlmsg_type`, and
//! the batch framing that nf_tables requires ([`batch`]), with enough of
//! nf_tables ([`nft`]) to add, delete and list tables.
//!
//! ```text
//! nlmsg_type = subsystem << 8 | message
//! +-----------+--------------+---------+--------------------+-------------+
//! | nlmsghdr  | nfgen_family | version | res_id (big-endian)| attributes  |
//! |           | u8 (NFPROTO) | u8 (0)  | u16                |             |
//! +-----------+--------------+---------+--------------------+-------------+
//! ```
//!
//! Most nfnetlink attributes are big-endian (nf_tables puts its `u32` and
//! `u64` values in network order); use the `be*` getters and writers.
//!
//! # Batches
//!
//! nf_tables only accepts changes inside a batch: one `sendmsg` holding
//! `NFNL_MSG_BATCH_BEGIN` (with `res_id` = the subsystem,
//! [`Subsys::NFTABLES`]), the change messages, and `NFNL_MSG_BATCH_END`.
//! Build them back to back in one [`MsgWriter`](crate::wire::MsgWriter)
//! with [`batch::begin_batch`], encoders such as [`nft::encode_new_table`],
//! and [`batch::end_batch`], submitting each [`Request`](crate::session::Request)
//! to the session as it is returned (so each gets its sequence number),
//! then send [`MsgWriter::finished`](crate::wire::MsgWriter::finished) at
//! once, then a barrier.
//!
//! - **Begin** is [`Expect::BatchBegin`](crate::session::Expect::BatchBegin)
//!   and **end** [`Expect::BatchEnd`](crate::session::Expect::BatchEnd):
//!   the session tracks the batch through its BEGIN (see the
//!   [session docs](crate::session#batches) for the exact rules). Neither
//!   carries `NLM_F_ACK`. The kernel answers BEGIN only to refuse or fail
//!   the whole batch (`nfnetlink_rcv_batch` in
//!   `net/netfilter/nfnetlink.c`): `ERESTART` for a stale
//!   `NFNL_BATCH_GENID`, `EOPNOTSUPP` for a subsystem without batches,
//!   `EPERM` without `CAP_NET_ADMIN`, or the commit's own error. Nothing
//!   else of the batch is processed or answered in the first three cases;
//!   a commit error comes before the members' answers. (Kernels since 6.10
//!   also ack a BEGIN or END that carries `NLM_F_ACK`; older ones never
//!   answer END, so this crate does not ask.)
//! - **Inner messages** (the encoders' [`Expect::Ack`](crate::session::Expect::Ack)
//!   requests) are batch members: the session sets no `NLM_F_ACK` on them,
//!   as nft does not, so the kernel answers a member only when it fails,
//!   with an `NLMSG_ERROR` against that member's seq (extended ack offsets
//!   count from the member's header). A batch of any size therefore costs
//!   the receive side nothing when it succeeds.
//! - **The batch is atomic** in nf_tables: it is committed only if every
//!   message in it succeeded; one failure aborts all of it, and the
//!   members that did not fail are not applied either.
//! - **One datagram per batch**, BEGIN first and END last: the kernel
//!   aborts a batch without END (saying so to nobody), and ignores
//!   whatever follows END in the same datagram. Size the socket's send
//!   buffer to the batch (the kernel refuses a datagram larger than
//!   `SO_SNDBUF` minus 32 bytes with `EMSGSIZE`).
//! - **Knowing the outcome**: the kernel handles the datagram inside
//!   `sendmsg` and says nothing on success. Send a barrier next
//!   ([`batch::encode_barrier`], in its own datagram) and read until its
//!   answer: the batch committed if and only if nothing failed before it.
//!
//! Constants come from `include/uapi/linux/netfilter/nfnetlink.h` and
//! `include/uapi/linux/netfilter.h`.

#![deny(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod batch;
pub mod nft;

use crate::macros::open_enum;
use crate::wire::MsgType;
use zerocopy::byteorder::{BigEndian, U16};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `NFNETLINK_V0`: the only `nfgenmsg` version.
pub const NFNETLINK_V0: u8 = 0;

/// `NFNL_MSG_BATCH_BEGIN` (= `NLMSG_MIN_TYPE`): opens a batch.
pub const NFNL_MSG_BATCH_BEGIN: MsgType = MsgType(0x10);
/// `NFNL_MSG_BATCH_END`: closes a batch.
pub const NFNL_MSG_BATCH_END: MsgType = MsgType(0x11);

/// The nfnetlink header, `struct nfgenmsg`.
///
/// ```text
///  0              1         2                 4
/// +--------------+---------+-----------------+
/// | nfgen_family | version | res_id (BE u16) |
/// +--------------+---------+-----------------+
/// ```
///
/// `res_id` is big-endian: the subsystem in batch delimiters, the ruleset
/// generation (low 16 bits) in nf_tables replies, a queue number in
/// nfqueue, 0 in most requests.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct NfGenMsg {
    /// Protocol family (`nfgen_family`, an [`NfProto`]).
    pub family: u8,
    /// Version (`version`), [`NFNETLINK_V0`].
    pub version: u8,
    /// Resource id (`res_id`), big-endian.
    pub res_id: U16<BigEndian>,
}

impl NfGenMsg {
    /// A version-0 header for `family` with `res_id`.
    pub fn new(family: NfProto, res_id: u16) -> Self {
        Self {
            family: family.0,
            version: NFNETLINK_V0,
            res_id: U16::new(res_id),
        }
    }
    /// The family.
    pub fn family(&self) -> NfProto {
        NfProto(self.family)
    }
    /// The resource id, in host order.
    pub fn res_id(&self) -> u16 {
        self.res_id.get()
    }
}

open_enum! {
    /// An nfnetlink subsystem (`NFNL_SUBSYS_*`): the high byte of
    /// `nlmsg_type`.
    pub struct Subsys(u8) {
        /// `NFNL_SUBSYS_NONE`: batch delimiters.
        NONE = 0,
        /// `NFNL_SUBSYS_CTNETLINK`: connection tracking.
        CTNETLINK = 1,
        /// `NFNL_SUBSYS_CTNETLINK_EXP`: conntrack expectations.
        CTNETLINK_EXP = 2,
        /// `NFNL_SUBSYS_QUEUE`: nfqueue.
        QUEUE = 3,
        /// `NFNL_SUBSYS_ULOG`: nflog.
        ULOG = 4,
        /// `NFNL_SUBSYS_OSF`: passive OS fingerprinting.
        OSF = 5,
        /// `NFNL_SUBSYS_IPSET`: ipset.
        IPSET = 6,
        /// `NFNL_SUBSYS_ACCT`: extended accounting.
        ACCT = 7,
        /// `NFNL_SUBSYS_CTNETLINK_TIMEOUT`: conntrack timeout policies.
        CTNETLINK_TIMEOUT = 8,
        /// `NFNL_SUBSYS_CTHELPER`: userspace conntrack helpers.
        CTHELPER = 9,
        /// `NFNL_SUBSYS_NFTABLES`: nf_tables.
        NFTABLES = 10,
        /// `NFNL_SUBSYS_NFT_COMPAT`: x_tables compatibility for nf_tables.
        NFT_COMPAT = 11,
        /// `NFNL_SUBSYS_HOOK`: netfilter hook listing.
        HOOK = 12,
    }
}

open_enum! {
    /// A netfilter protocol family (`NFPROTO_*`), the `nfgen_family`.
    pub struct NfProto(u8) {
        /// `NFPROTO_UNSPEC`: all families (dumps, batch delimiters).
        UNSPEC = 0,
        /// `NFPROTO_INET`: IPv4 and IPv6 together (nf_tables `inet`).
        INET = 1,
        /// `NFPROTO_IPV4` (nf_tables `ip`).
        IPV4 = 2,
        /// `NFPROTO_ARP`.
        ARP = 3,
        /// `NFPROTO_NETDEV`.
        NETDEV = 5,
        /// `NFPROTO_BRIDGE`.
        BRIDGE = 7,
        /// `NFPROTO_IPV6` (nf_tables `ip6`).
        IPV6 = 10,
    }
}

open_enum! {
    /// Attributes of `NFNL_MSG_BATCH_BEGIN` (`NFNL_BATCH_*`).
    pub struct BatchAttr(u16) {
        /// `NFNL_BATCH_UNSPEC`.
        UNSPEC = 0,
        /// `NFNL_BATCH_GENID`: big-endian `u32` ruleset generation; the
        /// kernel refuses the batch with `ERESTART` if the ruleset changed
        /// since.
        GENID = 1,
    }
}

/// `NFNL_BATCH_GENID`.
pub const NFNL_BATCH_GENID: BatchAttr = BatchAttr::GENID;

/// The subsystem of a message type (`NFNL_SUBSYS_ID`, `type >> 8`).
pub const fn subsys(ty: MsgType) -> Subsys {
    Subsys(ty.0.to_be_bytes()[0])
}

/// The subsystem's message of a message type (`NFNL_MSG_TYPE`,
/// `type & 0xff`).
pub const fn msg(ty: MsgType) -> u8 {
    ty.0.to_be_bytes()[1]
}

/// The message type for message `msg` of `subsys` (`subsys << 8 | msg`).
pub const fn msg_type(subsys: Subsys, msg: u8) -> MsgType {
    MsgType(u16::from_be_bytes([subsys.0, msg]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn header_is_big_endian_res_id() {
        assert_eq!(core::mem::size_of::<NfGenMsg>(), 4);
        let h = NfGenMsg::new(NfProto::UNSPEC, Subsys::NFTABLES.0.into());
        assert_eq!(h.as_bytes(), &[0, 0, 0, 10]);
        let (h, _) = NfGenMsg::ref_from_prefix(&[1u8, 0, 0, 2][..]).unwrap();
        assert_eq!(h.family(), NfProto::INET);
        assert_eq!(h.res_id(), 2);
    }

    #[test]
    fn type_split() {
        let ty = MsgType(0x0a01);
        assert_eq!(subsys(ty), Subsys::NFTABLES);
        assert_eq!(msg(ty), 1);
        assert_eq!(msg_type(Subsys::NFTABLES, 1), ty);
        assert_eq!(subsys(NFNL_MSG_BATCH_BEGIN), Subsys::NONE);
        assert_eq!(msg(NFNL_MSG_BATCH_END), 0x11);
        assert_eq!(msg_type(Subsys::NONE, 0x10), NFNL_MSG_BATCH_BEGIN);
        assert_eq!(msg_type(Subsys(0xff), 0xff), MsgType(0xffff));
    }
}
