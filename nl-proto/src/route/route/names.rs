//! Route types (`RTN_*`), protocols (`RTPROT_*`) and tables
//! (`RT_TABLE_*`), with iproute2's names.

use crate::macros::open_enum;
use crate::route::addr::parse_number;
use crate::route::common::display_ip_name;

open_enum! {
    /// Route type (`rtm_type`, `RTN_*`).
    pub struct RouteType(u8) {
        /// `RTN_UNSPEC`.
        UNSPEC = 0,
        /// `RTN_UNICAST`: a gateway or direct route.
        UNICAST = 1,
        /// `RTN_LOCAL`: accept locally.
        LOCAL = 2,
        /// `RTN_BROADCAST`.
        BROADCAST = 3,
        /// `RTN_ANYCAST`.
        ANYCAST = 4,
        /// `RTN_MULTICAST`.
        MULTICAST = 5,
        /// `RTN_BLACKHOLE`: drop silently.
        BLACKHOLE = 6,
        /// `RTN_UNREACHABLE`: drop with host unreachable.
        UNREACHABLE = 7,
        /// `RTN_PROHIBIT`: drop with administratively prohibited.
        PROHIBIT = 8,
        /// `RTN_THROW`: not in this table, continue the rule lookup.
        THROW = 9,
        /// `RTN_NAT`.
        NAT = 10,
        /// `RTN_XRESOLVE`.
        XRESOLVE = 11,
    }
}

const ROUTE_TYPE_NAMES: [&str; 12] = [
    "unspec",
    "unicast",
    "local",
    "broadcast",
    "anycast",
    "multicast",
    "blackhole",
    "unreachable",
    "prohibit",
    "throw",
    "nat",
    "xresolve",
];

impl RouteType {
    /// iproute2's name ("unicast", "blackhole", ...).
    pub fn ip_name(self) -> Option<&'static str> {
        ROUTE_TYPE_NAMES.get(usize::from(self.0)).copied()
    }
    /// Parse an iproute2 name or a number.
    pub fn parse(s: &str) -> Option<Self> {
        parse_named(s, ROUTE_TYPE_NAMES.iter().zip(0u8..).map(|(n, v)| (*n, v))).map(Self)
    }
}

fn parse_named<T: TryFrom<u32> + Copy>(
    s: &str,
    mut table: impl Iterator<Item = (&'static str, T)>,
) -> Option<T> {
    match table.find(|(n, _)| *n == s) {
        Some((_, v)) => Some(v),
        None => parse_number(s).and_then(|v| T::try_from(v).ok()),
    }
}

display_ip_name!(RouteType);

open_enum! {
    /// Who installed a route (`rtm_protocol`, `RTPROT_*`). Values above
    /// `STATIC` are not interpreted by the kernel; routing daemons use
    /// them to own their routes.
    pub struct RouteProtocol(u8) {
        /// `RTPROT_UNSPEC`.
        UNSPEC = 0,
        /// `RTPROT_REDIRECT`: ICMP redirect.
        REDIRECT = 1,
        /// `RTPROT_KERNEL`: the kernel.
        KERNEL = 2,
        /// `RTPROT_BOOT`: during boot (iproute2's default).
        BOOT = 3,
        /// `RTPROT_STATIC`: the administrator.
        STATIC = 4,
        /// `RTPROT_GATED`.
        GATED = 8,
        /// `RTPROT_RA`: router advertisements.
        RA = 9,
        /// `RTPROT_MRT`.
        MRT = 10,
        /// `RTPROT_ZEBRA`.
        ZEBRA = 11,
        /// `RTPROT_BIRD`.
        BIRD = 12,
        /// `RTPROT_DNROUTED`.
        DNROUTED = 13,
        /// `RTPROT_XORP`.
        XORP = 14,
        /// `RTPROT_NTK`.
        NTK = 15,
        /// `RTPROT_DHCP`.
        DHCP = 16,
        /// `RTPROT_MROUTED`.
        MROUTED = 17,
        /// `RTPROT_KEEPALIVED`.
        KEEPALIVED = 18,
        /// `RTPROT_BABEL`.
        BABEL = 42,
        /// `RTPROT_OPENR`.
        OPENR = 99,
        /// `RTPROT_BGP`.
        BGP = 186,
        /// `RTPROT_ISIS`.
        ISIS = 187,
        /// `RTPROT_OSPF`.
        OSPF = 188,
        /// `RTPROT_RIP`.
        RIP = 189,
        /// `RTPROT_EIGRP`.
        EIGRP = 192,
    }
}

const PROTOCOL_NAMES: [(&str, u8); 23] = [
    ("unspec", 0),
    ("redirect", 1),
    ("kernel", 2),
    ("boot", 3),
    ("static", 4),
    ("gated", 8),
    ("ra", 9),
    ("mrt", 10),
    ("zebra", 11),
    ("bird", 12),
    ("dnrouted", 13),
    ("xorp", 14),
    ("ntk", 15),
    ("dhcp", 16),
    ("mrouted", 17),
    ("keepalived", 18),
    ("babel", 42),
    ("openr", 99),
    ("bgp", 186),
    ("isis", 187),
    ("ospf", 188),
    ("rip", 189),
    ("eigrp", 192),
];

impl RouteProtocol {
    /// iproute2's name ("kernel", "boot", "static", "dhcp", ...).
    pub fn ip_name(self) -> Option<&'static str> {
        PROTOCOL_NAMES
            .iter()
            .find(|(_, v)| *v == self.0)
            .map(|(n, _)| *n)
    }
    /// Parse an iproute2 name or a number (decimal or `0x` hex).
    pub fn parse(s: &str) -> Option<Self> {
        parse_named(s, PROTOCOL_NAMES.iter().copied()).map(Self)
    }
}

display_ip_name!(RouteProtocol);

open_enum! {
    /// Well-known routing table ids (`RT_TABLE_*`). Any u32 is a table.
    pub struct Table(u32) {
        /// `RT_TABLE_UNSPEC`.
        UNSPEC = 0,
        /// `RT_TABLE_COMPAT`.
        COMPAT = 252,
        /// `RT_TABLE_DEFAULT`.
        DEFAULT = 253,
        /// `RT_TABLE_MAIN`.
        MAIN = 254,
        /// `RT_TABLE_LOCAL`.
        LOCAL = 255,
    }
}

impl Table {
    /// iproute2's name ("main", "local", "default", "unspec").
    pub fn ip_name(self) -> Option<&'static str> {
        match self {
            Self::UNSPEC => Some("unspec"),
            Self::DEFAULT => Some("default"),
            Self::MAIN => Some("main"),
            Self::LOCAL => Some("local"),
            _ => None,
        }
    }
    /// Parse "main", "local", "default", "unspec" or a number.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unspec" => Some(Self::UNSPEC),
            "default" => Some(Self::DEFAULT),
            "main" => Some(Self::MAIN),
            "local" => Some(Self::LOCAL),
            _ => parse_number(s).map(Self),
        }
    }
    /// The `(header byte, RTA_TABLE)` pair for this table, as iproute2
    /// sends it: ids below 256 go in the header only.
    pub fn split(self) -> (u8, Option<u32>) {
        match u8::try_from(self.0) {
            Ok(b) => (b, None),
            Err(_) => (0, Some(self.0)),
        }
    }
}

display_ip_name!(Table);
