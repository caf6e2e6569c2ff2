//! The route message header (`struct rtmsg`), its attribute kinds
//! (`RTA_*`) and flags (`RTM_F_*`, `RTNH_F_*`).

use crate::macros::open_enum;
use crate::route::common::bit_flags;
use zerocopy::byteorder::{NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// The route family header, `struct rtmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct RtMsg {
    /// `rtm_family`.
    pub family: u8,
    /// `rtm_dst_len`: destination prefix length.
    pub dst_len: u8,
    /// `rtm_src_len`: source prefix length.
    pub src_len: u8,
    /// `rtm_tos`.
    pub tos: u8,
    /// `rtm_table`: table id, or `RT_TABLE_UNSPEC` with `RTA_TABLE`.
    pub table: u8,
    /// `rtm_protocol`: a [`RouteProtocol`](super::RouteProtocol).
    pub protocol: u8,
    /// `rtm_scope`: a [`Scope`](crate::route::addr::Scope).
    pub scope: u8,
    /// `rtm_type`: a [`RouteType`](super::RouteType).
    pub kind: u8,
    /// `rtm_flags`: [`RouteFlags`].
    pub flags: U32<NativeEndian>,
}

open_enum! {
    /// Route attribute types (`RTA_*`).
    pub struct RouteAttr(u16) {
        /// `RTA_DST`: destination address.
        DST = 1,
        /// `RTA_SRC`: source prefix address.
        SRC = 2,
        /// `RTA_IIF`: input interface index.
        IIF = 3,
        /// `RTA_OIF`: output interface index.
        OIF = 4,
        /// `RTA_GATEWAY`: next-hop address of the same family.
        GATEWAY = 5,
        /// `RTA_PRIORITY`: the metric.
        PRIORITY = 6,
        /// `RTA_PREFSRC`: preferred source address.
        PREFSRC = 7,
        /// `RTA_METRICS`: nested `RTAX_*`.
        METRICS = 8,
        /// `RTA_MULTIPATH`: array of `struct rtnexthop`.
        MULTIPATH = 9,
        /// `RTA_FLOW`: realms.
        FLOW = 11,
        /// `RTA_CACHEINFO`: `struct rta_cacheinfo`.
        CACHEINFO = 12,
        /// `RTA_TABLE`: u32 table id.
        TABLE = 15,
        /// `RTA_MARK`: u32 firewall mark (route lookups).
        MARK = 16,
        /// `RTA_MFC_STATS`.
        MFC_STATS = 17,
        /// `RTA_VIA`: `struct rtvia`, a gateway of another family.
        VIA = 18,
        /// `RTA_NEWDST`.
        NEWDST = 19,
        /// `RTA_PREF`: u8 IPv6 router preference.
        PREF = 20,
        /// `RTA_ENCAP_TYPE`.
        ENCAP_TYPE = 21,
        /// `RTA_ENCAP`.
        ENCAP = 22,
        /// `RTA_EXPIRES`.
        EXPIRES = 23,
        /// `RTA_PAD`.
        PAD = 24,
        /// `RTA_UID`.
        UID = 25,
        /// `RTA_TTL_PROPAGATE`.
        TTL_PROPAGATE = 26,
        /// `RTA_IP_PROTO`.
        IP_PROTO = 27,
        /// `RTA_SPORT`.
        SPORT = 28,
        /// `RTA_DPORT`.
        DPORT = 29,
        /// `RTA_NH_ID`: nexthop object id.
        NH_ID = 30,
    }
}

bit_flags! {
    /// Route flags (`rtm_flags`): `RTM_F_*`, plus the `RTNH_F_*` next-hop
    /// flags the kernel copies into `rtm_flags` for single-path routes.
    pub struct RouteFlags(u32) {
        /// `RTNH_F_DEAD`.
        DEAD = 0x1 => "dead",
        /// `RTNH_F_PERVASIVE`.
        PERVASIVE = 0x2 => "pervasive",
        /// `RTNH_F_ONLINK`: gateway is on link even without a matching prefix.
        ONLINK = 0x4 => "onlink",
        /// `RTNH_F_OFFLOAD`.
        OFFLOAD = 0x8 => "offload",
        /// `RTNH_F_LINKDOWN`: the output link has no carrier.
        LINKDOWN = 0x10 => "linkdown",
        /// `RTNH_F_UNRESOLVED`.
        UNRESOLVED = 0x20 => "unresolved",
        /// `RTNH_F_TRAP`.
        TRAP = 0x40 => "trap",
        /// `RTM_F_NOTIFY`.
        NOTIFY = 0x100 => "notify",
        /// `RTM_F_CLONED`: a cached (cloned) route, as `ip route get` returns.
        CLONED = 0x200 => "cloned",
        /// `RTM_F_EQUALIZE`.
        EQUALIZE = 0x400 => "equalize",
        /// `RTM_F_PREFIX`.
        PREFIX = 0x800 => "prefix",
        /// `RTM_F_LOOKUP_TABLE`: report the table the lookup matched.
        LOOKUP_TABLE = 0x1000 => "lookup_table",
        /// `RTM_F_FIB_MATCH`: return the matching FIB entry.
        FIB_MATCH = 0x2000 => "fib_match",
        /// `RTM_F_OFFLOAD`.
        RT_OFFLOAD = 0x4000 => "rt_offload",
        /// `RTM_F_TRAP`.
        RT_TRAP = 0x8000 => "rt_trap",
        /// `RTM_F_OFFLOAD_FAILED`.
        RT_OFFLOAD_FAILED = 0x2000_0000 => "rt_offload_failed",
    }
}
