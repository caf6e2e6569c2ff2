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
pub mod link;
pub mod neigh;
pub mod nexthop;
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
/// `RTM_NEWRULE`.
pub const RTM_NEWRULE: MsgType = MsgType(32);
/// `RTM_DELRULE`.
pub const RTM_DELRULE: MsgType = MsgType(33);
/// `RTM_GETRULE`.
pub const RTM_GETRULE: MsgType = MsgType(34);
/// `RTM_NEWNEXTHOP`.
pub const RTM_NEWNEXTHOP: MsgType = MsgType(104);
/// `RTM_DELNEXTHOP`.
pub const RTM_DELNEXTHOP: MsgType = MsgType(105);
/// `RTM_GETNEXTHOP`.
pub const RTM_GETNEXTHOP: MsgType = MsgType(106);
/// `RTM_NEWSTATS`.
pub const RTM_NEWSTATS: MsgType = MsgType(92);
/// `RTM_GETSTATS`.
pub const RTM_GETSTATS: MsgType = MsgType(94);

open_enum! {
    /// An rtnetlink multicast group number (`enum rtnetlink_groups`), as
    /// joined with `NETLINK_ADD_MEMBERSHIP`. The legacy bitmask for groups
    /// below 32 is `1 << (group - 1)`.
    pub struct Group(u32) {
        /// `RTNLGRP_LINK`.
        LINK = 1,
        /// `RTNLGRP_NOTIFY`.
        NOTIFY = 2,
        /// `RTNLGRP_NEIGH`.
        NEIGH = 3,
        /// `RTNLGRP_TC`.
        TC = 4,
        /// `RTNLGRP_IPV4_IFADDR`.
        IPV4_IFADDR = 5,
        /// `RTNLGRP_IPV4_MROUTE`.
        IPV4_MROUTE = 6,
        /// `RTNLGRP_IPV4_ROUTE`.
        IPV4_ROUTE = 7,
        /// `RTNLGRP_IPV4_RULE`.
        IPV4_RULE = 8,
        /// `RTNLGRP_IPV6_IFADDR`.
        IPV6_IFADDR = 9,
        /// `RTNLGRP_IPV6_MROUTE`.
        IPV6_MROUTE = 10,
        /// `RTNLGRP_IPV6_ROUTE`.
        IPV6_ROUTE = 11,
        /// `RTNLGRP_IPV6_IFINFO`.
        IPV6_IFINFO = 12,
        /// `RTNLGRP_IPV6_PREFIX`.
        IPV6_PREFIX = 18,
        /// `RTNLGRP_IPV6_RULE`.
        IPV6_RULE = 19,
        /// `RTNLGRP_ND_USEROPT`.
        ND_USEROPT = 20,
        /// `RTNLGRP_IPV4_NETCONF`.
        IPV4_NETCONF = 24,
        /// `RTNLGRP_IPV6_NETCONF`.
        IPV6_NETCONF = 25,
        /// `RTNLGRP_NSID`.
        NSID = 28,
    }
}

impl Group {
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
