//! rtnetlink (`NETLINK_ROUTE`): links, addresses, routes, neighbours,
//! policy rules and link statistics.
//!
//! One file per object; each file holds that object's family header,
//! attribute types, owned value, decoder and request encoders. Message
//! types and multicast groups shared by all of them are here.
//! Constants come from `include/uapi/linux/rtnetlink.h`.

use crate::macros::open_enum;
use crate::wire::MsgType;

mod common;

pub mod addr;
pub mod addrlabel;
pub mod change;
pub mod encap;
pub mod link;
pub mod neigh;
pub mod neightbl;
pub mod netconf;
pub mod nexthop;
pub mod nsid;
// `route::route` mirrors the kernel's object name; one file per object.
#[allow(clippy::module_inception)]
pub mod route;
pub mod rule;
pub mod stats;

/// `RTM_NEWLINK`.
pub const RTM_NEWLINK: MsgType = MsgType(16);
/// `RTM_DELLINK`.
pub const RTM_DELLINK: MsgType = MsgType(17);
/// `RTM_GETLINK`.
pub const RTM_GETLINK: MsgType = MsgType(18);
/// `RTM_SETLINK`.
pub const RTM_SETLINK: MsgType = MsgType(19);
/// `RTM_NEWADDR`.
pub const RTM_NEWADDR: MsgType = MsgType(20);
/// `RTM_DELADDR`.
pub const RTM_DELADDR: MsgType = MsgType(21);
/// `RTM_GETADDR`.
pub const RTM_GETADDR: MsgType = MsgType(22);
/// `RTM_NEWROUTE`.
pub const RTM_NEWROUTE: MsgType = MsgType(24);
/// `RTM_DELROUTE`.
pub const RTM_DELROUTE: MsgType = MsgType(25);
/// `RTM_GETROUTE`.
pub const RTM_GETROUTE: MsgType = MsgType(26);
/// `RTM_NEWNEIGH`.
pub const RTM_NEWNEIGH: MsgType = MsgType(28);
/// `RTM_DELNEIGH`.
pub const RTM_DELNEIGH: MsgType = MsgType(29);
/// `RTM_GETNEIGH`.
pub const RTM_GETNEIGH: MsgType = MsgType(30);
/// `RTM_NEWNEIGHTBL`.
pub const RTM_NEWNEIGHTBL: MsgType = MsgType(64);
/// `RTM_GETNEIGHTBL`.
pub const RTM_GETNEIGHTBL: MsgType = MsgType(66);
/// `RTM_SETNEIGHTBL`.
pub const RTM_SETNEIGHTBL: MsgType = MsgType(67);
/// `RTM_NEWRULE`.
pub const RTM_NEWRULE: MsgType = MsgType(32);
/// `RTM_DELRULE`.
pub const RTM_DELRULE: MsgType = MsgType(33);
/// `RTM_GETRULE`.
pub const RTM_GETRULE: MsgType = MsgType(34);
/// `RTM_NEWSTATS`.
pub const RTM_NEWSTATS: MsgType = MsgType(92);
/// `RTM_GETSTATS`.
pub const RTM_GETSTATS: MsgType = MsgType(94);
/// `RTM_NEWNETCONF`.
pub const RTM_NEWNETCONF: MsgType = MsgType(80);
/// `RTM_DELNETCONF`.
pub const RTM_DELNETCONF: MsgType = MsgType(81);
/// `RTM_NEWADDRLABEL`.
pub const RTM_NEWADDRLABEL: MsgType = MsgType(72);
/// `RTM_DELADDRLABEL`.
pub const RTM_DELADDRLABEL: MsgType = MsgType(73);
/// `RTM_GETADDRLABEL`.
pub const RTM_GETADDRLABEL: MsgType = MsgType(74);
/// `RTM_NEWNSID`.
pub const RTM_NEWNSID: MsgType = MsgType(88);
/// `RTM_DELNSID`.
pub const RTM_DELNSID: MsgType = MsgType(89);
/// `RTM_GETNSID`.
pub const RTM_GETNSID: MsgType = MsgType(90);
/// `RTM_NEWNEXTHOP`.
pub const RTM_NEWNEXTHOP: MsgType = MsgType(104);
/// `RTM_DELNEXTHOP`.
pub const RTM_DELNEXTHOP: MsgType = MsgType(105);
/// `RTM_GETNEXTHOP`.
pub const RTM_GETNEXTHOP: MsgType = MsgType(106);
/// `RTM_NEWLINKPROP`: add link properties (alternative names).
pub const RTM_NEWLINKPROP: MsgType = MsgType(108);
/// `RTM_DELLINKPROP`: delete link properties.
pub const RTM_DELLINKPROP: MsgType = MsgType(109);
/// `RTM_NEWNEXTHOPBUCKET`: one bucket of a resilient nexthop group.
pub const RTM_NEWNEXTHOPBUCKET: MsgType = MsgType(116);
/// `RTM_DELNEXTHOPBUCKET`.
pub const RTM_DELNEXTHOPBUCKET: MsgType = MsgType(117);
/// `RTM_GETNEXTHOPBUCKET`.
pub const RTM_GETNEXTHOPBUCKET: MsgType = MsgType(118);

open_enum! {
    /// An rtnetlink multicast group number (`enum rtnetlink_groups`), as
    /// joined with `NETLINK_ADD_MEMBERSHIP` and as `NETLINK_PKTINFO`
    /// reports it. The legacy bitmask (`nl_groups`) reaches only groups 1 to
    /// 32 (`1 << (group - 1)`); later groups must be joined by number, and
    /// the sender address of their notifications carries 0.
    ///
    /// Which groups carry the objects [`change::Change`] decodes is in
    /// [`Group::CHANGES`].
    pub struct Group(u32) {
        /// `RTNLGRP_LINK` (1): Links: `RTM_NEWLINK`, `RTM_DELLINK`.
        #[doc(alias = "RTNLGRP_LINK")]
        LINK = 1,
        /// `RTNLGRP_NOTIFY` (2).
        #[doc(alias = "RTNLGRP_NOTIFY")]
        NOTIFY = 2,
        /// `RTNLGRP_NEIGH` (3): Neighbours: `RTM_NEWNEIGH`, `RTM_DELNEIGH` (ARP, NDP, bridge FDB).
        #[doc(alias = "RTNLGRP_NEIGH")]
        NEIGH = 3,
        /// `RTNLGRP_TC` (4): Traffic control: qdiscs, classes, filters.
        #[doc(alias = "RTNLGRP_TC")]
        TC = 4,
        /// `RTNLGRP_IPV4_IFADDR` (5): IPv4 addresses: `RTM_NEWADDR`, `RTM_DELADDR`.
        #[doc(alias = "RTNLGRP_IPV4_IFADDR")]
        IPV4_IFADDR = 5,
        /// `RTNLGRP_IPV4_MROUTE` (6): IPv4 multicast routes.
        #[doc(alias = "RTNLGRP_IPV4_MROUTE")]
        IPV4_MROUTE = 6,
        /// `RTNLGRP_IPV4_ROUTE` (7): IPv4 routes: `RTM_NEWROUTE`, `RTM_DELROUTE`.
        #[doc(alias = "RTNLGRP_IPV4_ROUTE")]
        IPV4_ROUTE = 7,
        /// `RTNLGRP_IPV4_RULE` (8): IPv4 policy rules: `RTM_NEWRULE`, `RTM_DELRULE`.
        #[doc(alias = "RTNLGRP_IPV4_RULE")]
        IPV4_RULE = 8,
        /// `RTNLGRP_IPV6_IFADDR` (9): IPv6 addresses.
        #[doc(alias = "RTNLGRP_IPV6_IFADDR")]
        IPV6_IFADDR = 9,
        /// `RTNLGRP_IPV6_MROUTE` (10): IPv6 multicast routes.
        #[doc(alias = "RTNLGRP_IPV6_MROUTE")]
        IPV6_MROUTE = 10,
        /// `RTNLGRP_IPV6_ROUTE` (11): IPv6 routes.
        #[doc(alias = "RTNLGRP_IPV6_ROUTE")]
        IPV6_ROUTE = 11,
        /// `RTNLGRP_IPV6_IFINFO` (12): IPv6 per-link information (`RTM_NEWLINK` with `AF_INET6`).
        #[doc(alias = "RTNLGRP_IPV6_IFINFO")]
        IPV6_IFINFO = 12,
        /// `RTNLGRP_DECnet_IFADDR` (13): DECnet addresses (removed from the kernel).
        #[doc(alias = "RTNLGRP_DECnet_IFADDR")]
        DECNET_IFADDR = 13,
        /// `RTNLGRP_NOP2` (14): Unused.
        #[doc(alias = "RTNLGRP_NOP2")]
        NOP2 = 14,
        /// `RTNLGRP_DECnet_ROUTE` (15): DECnet routes (removed from the kernel).
        #[doc(alias = "RTNLGRP_DECnet_ROUTE")]
        DECNET_ROUTE = 15,
        /// `RTNLGRP_DECnet_RULE` (16): DECnet rules (removed from the kernel).
        #[doc(alias = "RTNLGRP_DECnet_RULE")]
        DECNET_RULE = 16,
        /// `RTNLGRP_NOP4` (17): Unused.
        #[doc(alias = "RTNLGRP_NOP4")]
        NOP4 = 17,
        /// `RTNLGRP_IPV6_PREFIX` (18): IPv6 prefixes from router advertisements (`RTM_NEWPREFIX`).
        #[doc(alias = "RTNLGRP_IPV6_PREFIX")]
        IPV6_PREFIX = 18,
        /// `RTNLGRP_IPV6_RULE` (19): IPv6 policy rules.
        #[doc(alias = "RTNLGRP_IPV6_RULE")]
        IPV6_RULE = 19,
        /// `RTNLGRP_ND_USEROPT` (20): Neighbour discovery user options (`RTM_NEWNDUSEROPT`).
        #[doc(alias = "RTNLGRP_ND_USEROPT")]
        ND_USEROPT = 20,
        /// `RTNLGRP_PHONET_IFADDR` (21): Phonet addresses.
        #[doc(alias = "RTNLGRP_PHONET_IFADDR")]
        PHONET_IFADDR = 21,
        /// `RTNLGRP_PHONET_ROUTE` (22): Phonet routes.
        #[doc(alias = "RTNLGRP_PHONET_ROUTE")]
        PHONET_ROUTE = 22,
        /// `RTNLGRP_DCB` (23): Data center bridging.
        #[doc(alias = "RTNLGRP_DCB")]
        DCB = 23,
        /// `RTNLGRP_IPV4_NETCONF` (24): IPv4 per-link configuration (`RTM_NEWNETCONF`).
        #[doc(alias = "RTNLGRP_IPV4_NETCONF")]
        IPV4_NETCONF = 24,
        /// `RTNLGRP_IPV6_NETCONF` (25): IPv6 per-link configuration.
        #[doc(alias = "RTNLGRP_IPV6_NETCONF")]
        IPV6_NETCONF = 25,
        /// `RTNLGRP_MDB` (26): Bridge multicast database (`RTM_NEWMDB`).
        #[doc(alias = "RTNLGRP_MDB")]
        MDB = 26,
        /// `RTNLGRP_MPLS_ROUTE` (27): MPLS routes.
        #[doc(alias = "RTNLGRP_MPLS_ROUTE")]
        MPLS_ROUTE = 27,
        /// `RTNLGRP_NSID` (28): Namespace ids (`RTM_NEWNSID`).
        #[doc(alias = "RTNLGRP_NSID")]
        NSID = 28,
        /// `RTNLGRP_MPLS_NETCONF` (29): MPLS per-link configuration.
        #[doc(alias = "RTNLGRP_MPLS_NETCONF")]
        MPLS_NETCONF = 29,
        /// `RTNLGRP_IPV4_MROUTE_R` (30): IPv4 multicast routing reports.
        #[doc(alias = "RTNLGRP_IPV4_MROUTE_R")]
        IPV4_MROUTE_R = 30,
        /// `RTNLGRP_IPV6_MROUTE_R` (31): IPv6 multicast routing reports.
        #[doc(alias = "RTNLGRP_IPV6_MROUTE_R")]
        IPV6_MROUTE_R = 31,
        /// `RTNLGRP_NEXTHOP` (32): Nexthop objects: `RTM_NEWNEXTHOP`, `RTM_DELNEXTHOP`. The first group past the legacy bitmask's reach: join it by number.
        #[doc(alias = "RTNLGRP_NEXTHOP")]
        NEXTHOP = 32,
        /// `RTNLGRP_BRVLAN` (33): Bridge VLANs (`RTM_NEWVLAN`).
        #[doc(alias = "RTNLGRP_BRVLAN")]
        BRVLAN = 33,
        /// `RTNLGRP_MCTP_IFADDR` (34): MCTP addresses.
        #[doc(alias = "RTNLGRP_MCTP_IFADDR")]
        MCTP_IFADDR = 34,
        /// `RTNLGRP_TUNNEL` (35): Tunnel VNI filters (`RTM_NEWTUNNEL`).
        #[doc(alias = "RTNLGRP_TUNNEL")]
        TUNNEL = 35,
        /// `RTNLGRP_STATS` (36): Link statistics (`RTM_NEWSTATS`).
        #[doc(alias = "RTNLGRP_STATS")]
        STATS = 36,
        /// `RTNLGRP_IPV4_MCADDR` (37): IPv4 multicast addresses joined by a link (`RTM_NEWMULTICAST`, Linux 6.13+).
        #[doc(alias = "RTNLGRP_IPV4_MCADDR")]
        IPV4_MCADDR = 37,
        /// `RTNLGRP_IPV6_MCADDR` (38): IPv6 multicast addresses joined by a link (`RTM_NEWMULTICAST`, Linux 6.13+).
        #[doc(alias = "RTNLGRP_IPV6_MCADDR")]
        IPV6_MCADDR = 38,
        /// `RTNLGRP_IPV6_ACADDR` (39): IPv6 anycast addresses (`RTM_NEWANYCAST`, Linux 6.13+).
        #[doc(alias = "RTNLGRP_IPV6_ACADDR")]
        IPV6_ACADDR = 39,
    }
}

impl Group {
    /// The groups whose notifications [`change::Change`] decodes into
    /// typed values: links, IPv4 and IPv6 addresses, routes and rules,
    /// neighbours, and nexthops. `ip monitor all` joins these and more.
    pub const CHANGES: [Self; 9] = [
        Self::LINK,
        Self::IPV4_IFADDR,
        Self::IPV6_IFADDR,
        Self::IPV4_ROUTE,
        Self::IPV6_ROUTE,
        Self::NEIGH,
        Self::IPV4_RULE,
        Self::IPV6_RULE,
        Self::NEXTHOP,
    ];

    /// The legacy `nl_groups` bit for this group, if it is below 33.
    pub const fn legacy_mask(self) -> Option<u32> {
        if self.0 >= 1 && self.0 <= 32 {
            Some(1 << (self.0 - 1))
        } else {
            None
        }
    }
}

open_enum! {
    /// An address family (`AF_*`), as carried in family headers.
    pub struct AddrFamily(u8) {
        /// `AF_UNSPEC`.
        UNSPEC = 0,
        /// `AF_INET`.
        INET = 2,
        /// `AF_BRIDGE`.
        BRIDGE = 7,
        /// `AF_INET6`.
        INET6 = 10,
        /// `AF_PACKET`.
        PACKET = 17,
        /// `AF_MPLS`.
        MPLS = 28,
    }
}

impl AddrFamily {
    /// The family of an IP address.
    pub const fn of(ip: &core::net::IpAddr) -> Self {
        match ip {
            core::net::IpAddr::V4(_) => Self::INET,
            core::net::IpAddr::V6(_) => Self::INET6,
        }
    }
}
