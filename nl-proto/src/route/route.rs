//! Routes: `RTM_NEWROUTE` / `RTM_DELROUTE` / `RTM_GETROUTE`
//! (`include/uapi/linux/rtnetlink.h`).
//!
//! ```text
//!  0        1         2         3     4       5          6       7      8            12
//! +--------+---------+---------+-----+-------+----------+-------+------+------------+---------+
//! | family | dst_len | src_len | tos | table | protocol | scope | type | flags u32  | RTA_*...|
//! +--------+---------+---------+-----+-------+----------+-------+------+------------+---------+
//! ```
//!
//! Tables: `rtm_table` is a u8. A table id above 255 travels in
//! `RTA_TABLE` with `rtm_table` = `RT_TABLE_UNSPEC` (0), which is what
//! iproute2 sends for `table 1000`; the kernel reports every route with
//! `RTA_TABLE`, and a decoded [`Route::table`] takes `RTA_TABLE` over
//! `rtm_table`.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use zerocopy::byteorder::{I32, NativeEndian, U16, U32};
use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::addr::{Scope, parse_number};
use super::common::{bit_flags, display_ip_name, request, split_object};
use super::{AddrFamily, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

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
    /// `rtm_protocol`: a [`RouteProtocol`].
    pub protocol: u8,
    /// `rtm_scope`: a [`Scope`].
    pub scope: u8,
    /// `rtm_type`: a [`RouteType`].
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

bit_flags! {
    /// Next-hop flags (`rtnh_flags`, `RTNH_F_*`).
    pub struct LegFlags(u8) {
        /// `RTNH_F_DEAD`.
        DEAD = 0x1 => "dead",
        /// `RTNH_F_PERVASIVE`.
        PERVASIVE = 0x2 => "pervasive",
        /// `RTNH_F_ONLINK`.
        ONLINK = 0x4 => "onlink",
        /// `RTNH_F_OFFLOAD`.
        OFFLOAD = 0x8 => "offload",
        /// `RTNH_F_LINKDOWN`.
        LINKDOWN = 0x10 => "linkdown",
        /// `RTNH_F_UNRESOLVED`.
        UNRESOLVED = 0x20 => "unresolved",
        /// `RTNH_F_TRAP`.
        TRAP = 0x40 => "trap",
    }
}

/// One next hop of a multipath route, `struct rtnexthop` and its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    /// `rtnh_flags`.
    pub flags: LegFlags,
    /// `rtnh_hops`: the weight minus one.
    pub hops: u8,
    /// `rtnh_ifindex`: output interface.
    pub ifindex: u32,
    /// `RTA_GATEWAY`, or the address of `RTA_VIA`.
    pub gateway: Option<IpAddr>,
    /// `RTA_FLOW`.
    pub flow: Option<u32>,
}

impl Leg {
    /// The weight, as `ip route ... nexthop ... weight N` gives it (`hops + 1`).
    pub fn weight(&self) -> u16 {
        u16::from(self.hops) + 1
    }
}

/// `struct rtnexthop`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct RtNextHop {
    len: U16<NativeEndian>,
    flags: u8,
    hops: u8,
    ifindex: I32<NativeEndian>,
}

/// Most next hops a decoded [`Route`] keeps.
pub const MULTIPATH_MAX: usize = 8;

open_enum! {
    /// Route metric types (`RTAX_*`), nested in `RTA_METRICS`.
    pub struct Metric(u16) {
        /// `RTAX_LOCK`: bitmask of locked metrics.
        LOCK = 1,
        /// `RTAX_MTU`.
        MTU = 2,
        /// `RTAX_WINDOW`.
        WINDOW = 3,
        /// `RTAX_RTT`.
        RTT = 4,
        /// `RTAX_RTTVAR`.
        RTTVAR = 5,
        /// `RTAX_SSTHRESH`.
        SSTHRESH = 6,
        /// `RTAX_CWND`.
        CWND = 7,
        /// `RTAX_ADVMSS`.
        ADVMSS = 8,
        /// `RTAX_REORDERING`.
        REORDERING = 9,
        /// `RTAX_HOPLIMIT`.
        HOPLIMIT = 10,
        /// `RTAX_INITCWND`.
        INITCWND = 11,
        /// `RTAX_FEATURES`.
        FEATURES = 12,
        /// `RTAX_RTO_MIN`.
        RTO_MIN = 13,
        /// `RTAX_INITRWND`.
        INITRWND = 14,
        /// `RTAX_QUICKACK`.
        QUICKACK = 15,
        /// `RTAX_CC_ALGO`: a string, not kept by [`Metrics`].
        CC_ALGO = 16,
        /// `RTAX_FASTOPEN_NO_COOKIE`.
        FASTOPEN_NO_COOKIE = 17,
    }
}

const METRIC_SLOTS: usize = 18;

/// The u32 route metrics of `RTA_METRICS` (`RTAX_LOCK` ..
/// `RTAX_FASTOPEN_NO_COOKIE`, except the string `RTAX_CC_ALGO`), kept in
/// a fixed array with a presence mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Metrics {
    present: u32,
    values: [u32; METRIC_SLOTS],
}

impl Metrics {
    /// No metrics.
    pub const EMPTY: Self = Self {
        present: 0,
        values: [0; METRIC_SLOTS],
    };

    /// The value of `m`, if set.
    pub fn get(&self, m: Metric) -> Option<u32> {
        let i = usize::from(m.0);
        if m == Metric::CC_ALGO || i >= METRIC_SLOTS || self.present & (1u32 << i) == 0 {
            return None;
        }
        self.values.get(i).copied()
    }

    /// Set `m` to `v`. Returns `false` (and changes nothing) for a metric
    /// this type does not keep (`RTAX_CC_ALGO`, unknown types).
    pub fn set(&mut self, m: Metric, v: u32) -> bool {
        let i = usize::from(m.0);
        if m == Metric::CC_ALGO || i == 0 {
            return false;
        }
        match self.values.get_mut(i) {
            Some(slot) => {
                *slot = v;
                self.present |= 1u32 << i;
                true
            }
            None => false,
        }
    }

    /// `self` with `m` set to `v` (for building requests).
    #[must_use]
    pub fn with(mut self, m: Metric, v: u32) -> Self {
        self.set(m, v);
        self
    }

    /// Whether no metric is set.
    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The set metrics, in `RTAX_*` order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric, u32)> + '_ {
        (1u16..)
            .zip(self.values.iter().skip(1))
            .filter(|(i, _)| self.present & (1u32 << i) != 0)
            .map(|(i, v)| (Metric(i), *v))
    }

    /// `RTAX_MTU`.
    pub fn mtu(&self) -> Option<u32> {
        self.get(Metric::MTU)
    }
    /// `RTAX_ADVMSS`.
    pub fn advmss(&self) -> Option<u32> {
        self.get(Metric::ADVMSS)
    }
    /// `RTAX_HOPLIMIT`.
    pub fn hoplimit(&self) -> Option<u32> {
        self.get(Metric::HOPLIMIT)
    }

    fn decode(attr: &Attr<'_>) -> Self {
        let mut m = Self::EMPTY;
        for a in attr.nested().map_while(Result::ok) {
            if let Ok(v) = a.u32() {
                m.set(Metric(a.kind()), v);
            }
        }
        m
    }

    fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if self.is_empty() {
            return Ok(());
        }
        w.nested(RouteAttr::METRICS.0, |w| {
            self.iter().try_for_each(|(m, v)| w.put_u32(m.0, v))
        })
    }
}

/// Route cache information, `struct rta_cacheinfo`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct RouteCacheInfo {
    /// `rta_clntref`.
    pub clntref: U32<NativeEndian>,
    /// `rta_lastuse`.
    pub lastuse: U32<NativeEndian>,
    /// `rta_expires`: clock ticks (`USER_HZ`) until expiry, 0 = none.
    pub expires: I32<NativeEndian>,
    /// `rta_error`.
    pub error: U32<NativeEndian>,
    /// `rta_used`.
    pub used: U32<NativeEndian>,
    /// `rta_id`.
    pub id: U32<NativeEndian>,
    /// `rta_ts`.
    pub ts: U32<NativeEndian>,
    /// `rta_tsage`.
    pub tsage: U32<NativeEndian>,
}

/// A route, decoded from `RTM_NEWROUTE`: its identity and path, compact
/// (a little over 100 bytes) so that 100k of them collect and diff
/// cheaply. The rarely needed rest — every metric, the legs of a
/// multipath route, cache info, expiry, mark, uid, realms, router
/// preference — is a [`RouteExtras`], decoded on request with
/// [`Route::decode_full`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `rtm_family`.
    pub family: AddrFamily,
    /// Destination prefix: `RTA_DST` with `rtm_dst_len`; a default route
    /// is `0.0.0.0/0` or `::/0` (never absent).
    pub dst: IpNet,
    /// Source prefix: `RTA_SRC` with `rtm_src_len` (IPv6 source routing).
    pub src: Option<IpNet>,
    /// `rtm_tos`.
    pub tos: u8,
    /// Table id: `RTA_TABLE` when present, else `rtm_table`.
    pub table: u32,
    /// `rtm_protocol`.
    pub protocol: RouteProtocol,
    /// `rtm_scope`.
    pub scope: Scope,
    /// `rtm_type`.
    pub kind: RouteType,
    /// `rtm_flags`.
    pub flags: RouteFlags,
    /// The next hop: `RTA_GATEWAY`, or `RTA_VIA` — a gateway of the other
    /// family (IPv4 via an IPv6 link-local), sent back as `RTA_VIA`. For
    /// a multipath route with one leg, that leg's gateway (the kernel
    /// itself reports such a route as a plain one).
    pub gateway: Option<IpAddr>,
    /// `RTA_OIF` (for a one-leg multipath route, the leg's interface).
    pub oif: Option<u32>,
    /// `RTA_IIF`.
    pub iif: Option<u32>,
    /// `RTA_PRIORITY`: the metric.
    pub priority: Option<u32>,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<IpAddr>,
    /// The route MTU: `RTAX_MTU` in `RTA_METRICS`.
    pub mtu: Option<u32>,
    /// `RTA_NH_ID`: the nexthop object this route uses.
    pub nh_id: Option<u32>,
    /// How many `RTA_MULTIPATH` legs the route has (0 for a single-path
    /// route, saturating at 255); the legs are [`RouteExtras::multipath`].
    pub multipath_legs: u8,
}

/// The parts of a route that bulk users rarely need, decoded with
/// [`Route::decode_full`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteExtras {
    /// `RTA_METRICS` (the MTU is also [`Route::mtu`]).
    pub metrics: Metrics,
    /// `RTA_MULTIPATH` next hops, at most [`MULTIPATH_MAX`].
    pub multipath: heapless::Vec<Leg, MULTIPATH_MAX>,
    /// Set when the kernel sent more than [`MULTIPATH_MAX`] next hops;
    /// `multipath` then holds the first ones. Never silently dropped.
    pub multipath_truncated: bool,
    /// `RTA_MARK`.
    pub mark: Option<u32>,
    /// `RTA_PREF`: IPv6 router preference (0 medium, 1 high, 3 low).
    pub pref: Option<u8>,
    /// `RTA_EXPIRES` (u32 or u64 on the wire).
    pub expires: Option<u64>,
    /// `RTA_CACHEINFO`.
    pub cache: Option<RouteCacheInfo>,
    /// `RTA_UID`.
    pub uid: Option<u32>,
    /// `RTA_FLOW`: realms.
    pub flow: Option<u32>,
}

/// A route's kernel identity: what `RTM_NEWROUTE` with `NLM_F_EXCL`
/// calls a duplicate and `RTM_DELROUTE` needs to name exactly one route.
///
/// `priority` is normalized as the kernel stores it: an IPv4 route
/// without `RTA_PRIORITY` has metric 0, an IPv6 route asked for with
/// metric 0 (or none) gets 1024 (`IP6_RT_PRIO_USER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RouteKey {
    /// `rtm_family`.
    pub family: AddrFamily,
    /// Table id.
    pub table: u32,
    /// Destination prefix.
    pub dst: IpNet,
    /// Source prefix (IPv6 source routing).
    pub src: Option<IpNet>,
    /// `rtm_tos`.
    pub tos: u8,
    /// The metric, defaults filled in.
    pub priority: u32,
}

/// `IP6_RT_PRIO_USER`: the metric the kernel gives an IPv6 route added
/// without one (or with 0).
pub const IPV6_DEFAULT_METRIC: u32 = 1024;

/// `RTNL_FAMILY_IPMR`: IPv4 multicast routes.
const RTNL_FAMILY_IPMR: u8 = 128;
/// `RTNL_FAMILY_IP6MR`: IPv6 multicast routes.
const RTNL_FAMILY_IP6MR: u8 = 129;

fn is_v6(family: u8) -> Result<bool, DecodeError> {
    match AddrFamily(family) {
        AddrFamily::INET => Ok(false),
        AddrFamily::INET6 => Ok(true),
        _ if family == RTNL_FAMILY_IPMR => Ok(false),
        _ if family == RTNL_FAMILY_IP6MR => Ok(true),
        _ => Err(DecodeError::OutOfRange {
            what: "rtm_family",
            value: u64::from(family),
        }),
    }
}

fn ip_of(v6: bool, attr: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    if v6 {
        attr.ipv6().map(IpAddr::V6)
    } else {
        attr.ipv4().map(IpAddr::V4)
    }
}

fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}

fn prefix(addr: IpAddr, len: u8, what: &'static str) -> Result<IpNet, DecodeError> {
    IpNet::new(addr, len).map_err(|_| DecodeError::OutOfRange {
        what,
        value: u64::from(len),
    })
}

/// `struct rtvia`: a u16 family and the address.
fn via(attr: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    let p = attr.payload();
    let addr = Attr::new(attr.kind(), p.get(2..).unwrap_or_default());
    addr.ip()
}

/// Walk `RTA_MULTIPATH`: the number of legs and the first one, and every
/// leg into `extras` when asked.
fn decode_multipath(
    attr: &Attr<'_>,
    mut extras: Option<&mut RouteExtras>,
) -> Result<(u8, Option<Leg>), DecodeError> {
    let mut rest = attr.payload();
    let mut count = 0u8;
    let mut first = None;
    while !rest.is_empty() {
        let (nh, _) = RtNextHop::ref_from_prefix(rest).map_err(|_| DecodeError::Truncated {
            what: "rtnexthop",
            need: 8,
            have: rest.len(),
        })?;
        let len = usize::from(nh.len.get());
        if len < 8 || len > rest.len() {
            return Err(DecodeError::BadLength {
                what: "rtnh_len",
                len,
            });
        }
        let mut hop = Leg {
            flags: LegFlags(nh.flags),
            hops: nh.hops,
            ifindex: u32::try_from(nh.ifindex.get()).map_err(|_| DecodeError::OutOfRange {
                what: "rtnh_ifindex",
                value: u64::from(nh.ifindex.get().unsigned_abs()),
            })?,
            gateway: None,
            flow: None,
        };
        for a in crate::wire::Attrs::new(rest.get(8..len).unwrap_or_default()) {
            let a = a?;
            match RouteAttr(a.kind()) {
                RouteAttr::GATEWAY => hop.gateway = Some(a.ip()?),
                RouteAttr::VIA => hop.gateway = Some(via(&a)?),
                RouteAttr::FLOW => hop.flow = a.u32().ok(),
                _ => {}
            }
        }
        count = count.saturating_add(1);
        first.get_or_insert(hop);
        if let Some(x) = extras.as_deref_mut() {
            if x.multipath.push(hop).is_err() {
                x.multipath_truncated = true;
            }
        }
        let step = crate::wire::align(len).unwrap_or(len).min(rest.len());
        rest = rest.get(step..).unwrap_or_default();
    }
    Ok((count, first))
}

/// `RTAX_MTU` of an `RTA_METRICS` nest.
fn mtu_of(attr: &Attr<'_>) -> Option<u32> {
    attr.nested()
        .map_while(Result::ok)
        .filter(|a| a.kind() == Metric::MTU.0)
        .find_map(|a| a.u32().ok())
}

impl Route {
    /// Decode an `RTM_NEWROUTE` (or `RTM_DELROUTE`) message.
    ///
    /// One pass over the attributes with a `match` on the type: no
    /// attribute table is built, so a 100k-route dump costs one walk per
    /// route. Attributes that identify the route or its path (`RTA_DST`,
    /// `RTA_SRC`, `RTA_GATEWAY`, `RTA_VIA`, `RTA_OIF`, `RTA_IIF`,
    /// `RTA_PRIORITY`, `RTA_TABLE`, `RTA_PREFSRC`, `RTA_MULTIPATH`) fail
    /// the decode when malformed; descriptive ones (`RTA_METRICS`,
    /// `RTA_CACHEINFO`, `RTA_MARK`, `RTA_PREF`, `RTA_EXPIRES`, `RTA_UID`,
    /// `RTA_NH_ID`, `RTA_FLOW`) are left unset. A framing error ends the
    /// walk and keeps what came before. Unknown attributes are ignored.
    ///
    /// Families: `AF_INET`, `AF_INET6` and the multicast
    /// `RTNL_FAMILY_IPMR`/`IP6MR` tables; others (e.g. `AF_MPLS`) are
    /// refused with [`DecodeError::OutOfRange`], which a dump loop can skip.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`] (short
    /// `rtmsg`), [`DecodeError::OutOfRange`] (family, prefix length),
    /// [`DecodeError::MissingAttr`] (a non-zero `rtm_dst_len` or
    /// `rtm_src_len` without its address), [`DecodeError::AttrSize`],
    /// [`DecodeError::BadLength`] (a broken `rtnexthop`).
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        Self::decode_into(msg, None)
    }

    /// Decode a route and its [`RouteExtras`] in one walk (as
    /// [`Route::decode`], with the same errors).
    ///
    /// # Errors
    ///
    /// As [`Route::decode`].
    pub fn decode_full(msg: &Msg<'_>) -> Result<(Self, RouteExtras), DecodeError> {
        let mut x = RouteExtras::default();
        let r = Self::decode_into(msg, Some(&mut x))?;
        Ok((r, x))
    }

    fn decode_into(msg: &Msg<'_>, mut x: Option<&mut RouteExtras>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<RtMsg>(msg, [RTM_NEWROUTE, RTM_DELROUTE], "rtmsg")?;
        let v6 = is_v6(hdr.family)?;
        let mut dst = None;
        let mut src = None;
        let mut table = None;
        let mut first_leg = None;
        let mut r = Self {
            family: AddrFamily(hdr.family),
            dst: IpNet::new(unspecified(v6), 0).unwrap_or_default(),
            src: None,
            tos: hdr.tos,
            table: u32::from(hdr.table),
            protocol: RouteProtocol(hdr.protocol),
            scope: Scope(hdr.scope),
            kind: RouteType(hdr.kind),
            flags: RouteFlags(hdr.flags.get()),
            gateway: None,
            oif: None,
            iif: None,
            priority: None,
            prefsrc: None,
            mtu: None,
            nh_id: None,
            multipath_legs: 0,
        };
        for attr in attrs.map_while(Result::ok) {
            match RouteAttr(attr.kind()) {
                RouteAttr::TABLE => table = Some(attr.u32()?),
                RouteAttr::DST => dst = Some(ip_of(v6, &attr)?),
                RouteAttr::SRC => src = Some(ip_of(v6, &attr)?),
                RouteAttr::OIF => r.oif = Some(attr.u32()?),
                RouteAttr::IIF => r.iif = Some(attr.u32()?),
                RouteAttr::GATEWAY => r.gateway = Some(ip_of(v6, &attr)?),
                RouteAttr::VIA => r.gateway = Some(via(&attr)?),
                RouteAttr::PRIORITY => r.priority = Some(attr.u32()?),
                RouteAttr::PREFSRC => r.prefsrc = Some(ip_of(v6, &attr)?),
                RouteAttr::METRICS => match x.as_deref_mut() {
                    Some(x) => {
                        x.metrics = Metrics::decode(&attr);
                        r.mtu = x.metrics.mtu();
                    }
                    None => r.mtu = mtu_of(&attr),
                },
                RouteAttr::MULTIPATH => {
                    let (n, first) = decode_multipath(&attr, x.as_deref_mut())?;
                    r.multipath_legs = r.multipath_legs.saturating_add(n);
                    first_leg = first_leg.or(first);
                }
                RouteAttr::NH_ID => r.nh_id = attr.u32().ok(),
                kind => {
                    if let Some(x) = x.as_deref_mut() {
                        x.rare(kind, &attr);
                    }
                }
            }
        }
        if let Some(t) = table {
            r.table = t;
        }
        // A one-leg multipath route is a plain route with that path.
        if let (1, Some(leg), None, None) = (r.multipath_legs, first_leg, r.gateway, r.oif) {
            r.gateway = leg.gateway;
            r.oif = Some(leg.ifindex);
        }
        r.dst = match dst {
            Some(a) => prefix(a, hdr.dst_len, "rtm_dst_len")?,
            None if hdr.dst_len == 0 => r.dst,
            None => {
                return Err(DecodeError::MissingAttr {
                    what: "rtmsg",
                    kind: RouteAttr::DST.0,
                });
            }
        };
        r.src = match src {
            Some(a) => Some(prefix(a, hdr.src_len, "rtm_src_len")?),
            None if hdr.src_len == 0 => None,
            None => {
                return Err(DecodeError::MissingAttr {
                    what: "rtmsg",
                    kind: RouteAttr::SRC.0,
                });
            }
        };
        Ok(r)
    }

    /// A unicast route to `dst` in the main table, to be used as desired
    /// state or a request: family from `dst`, protocol `UNSPEC`, scope
    /// [`Scope::NOWHERE`] (which the diff and the drivers read as "not
    /// stated": the kernel's or iproute2's default applies), everything
    /// else unset.
    pub fn new(dst: IpNet) -> Self {
        Self {
            family: AddrFamily::of(&dst.addr()),
            dst,
            src: None,
            tos: 0,
            table: Table::MAIN.0,
            protocol: RouteProtocol::UNSPEC,
            scope: Scope::NOWHERE,
            kind: RouteType::UNICAST,
            flags: RouteFlags::EMPTY,
            gateway: None,
            oif: None,
            iif: None,
            priority: None,
            prefsrc: None,
            mtu: None,
            nh_id: None,
            multipath_legs: 0,
        }
    }

    /// This route's identity, metric normalized as the kernel stores it
    /// (see [`RouteKey`]).
    pub fn key(&self) -> RouteKey {
        let v6 = self.family == AddrFamily::INET6;
        let priority = match self.priority {
            Some(0) | None if v6 => IPV6_DEFAULT_METRIC,
            p => p.unwrap_or(0),
        };
        RouteKey {
            family: self.family,
            table: self.table,
            dst: self.dst,
            src: self.src,
            tos: self.tos,
            priority,
        }
    }

    /// Whether this is a default route (`/0`).
    pub fn is_default(&self) -> bool {
        self.dst.prefix_len() == 0
    }

    /// Write this route as the kernel would report it: an `RTM_NEWROUTE`
    /// with `flags` in the header, for round trips and fake kernels.
    /// `rtm_table` holds the table id when it fits in 8 bits (else
    /// `RT_TABLE_COMPAT`, as the kernel does) and `RTA_TABLE` always
    /// carries it; a gateway of the other family goes in `RTA_VIA`. The
    /// legs of a multipath route are not part of a `Route`: write them
    /// with [`Route::emit_full`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        let metrics = match self.mtu {
            Some(m) => Metrics::EMPTY.with(Metric::MTU, m),
            None => Metrics::EMPTY,
        };
        w.message(RTM_NEWROUTE, flags, |w| self.emit_body(w, &metrics, None))
    }

    /// [`Route::emit`] with the [`RouteExtras`] too: the inverse of
    /// [`Route::decode_full`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit_full<'w>(
        &self,
        extras: &RouteExtras,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        let mut metrics = extras.metrics;
        if let Some(m) = self.mtu {
            metrics.set(Metric::MTU, m);
        }
        w.message(RTM_NEWROUTE, flags, |w| {
            self.emit_body(w, &metrics, Some(extras))
        })
    }

    fn emit_body(
        &self,
        w: &mut MsgWriter<'_>,
        metrics: &Metrics,
        x: Option<&RouteExtras>,
    ) -> Result<(), EncodeError> {
        w.put_fixed(&RtMsg {
            family: self.family.0,
            dst_len: self.dst.prefix_len(),
            src_len: self.src.map_or(0, |s| s.prefix_len()),
            tos: self.tos,
            table: u8::try_from(self.table).unwrap_or(252 /* RT_TABLE_COMPAT */),
            protocol: self.protocol.0,
            scope: self.scope.0,
            kind: self.kind.0,
            flags: self.flags.0.into(),
        })?;
        w.put_u32(RouteAttr::TABLE.0, self.table)?;
        if self.dst.prefix_len() != 0 || !self.dst.addr().is_unspecified() {
            w.put_ip(RouteAttr::DST.0, self.dst.addr())?;
        }
        if let Some(s) = self.src {
            w.put_ip(RouteAttr::SRC.0, s.addr())?;
        }
        let u32s = [
            (RouteAttr::IIF, self.iif),
            (RouteAttr::OIF, self.oif),
            (RouteAttr::PRIORITY, self.priority),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        match self.gateway {
            Some(g) if g.is_ipv6() == is_v6(self.family.0).unwrap_or(g.is_ipv6()) => {
                w.put_ip(RouteAttr::GATEWAY.0, g)?;
            }
            Some(g) => put_via(w, RouteAttr::VIA.0, g)?,
            None => {}
        }
        if let Some(p) = self.prefsrc {
            w.put_ip(RouteAttr::PREFSRC.0, p)?;
        }
        metrics.emit(w)?;
        if let Some(n) = self.nh_id {
            w.put_u32(RouteAttr::NH_ID.0, n)?;
        }
        let Some(x) = x else {
            return Ok(());
        };
        if !x.multipath.is_empty() {
            // Unflagged, as the kernel emits it (`nla_nest_start_noflag`).
            w.nested_unflagged(RouteAttr::MULTIPATH.0, |w| {
                x.multipath.iter().try_for_each(|h| emit_hop(w, h))
            })?;
        }
        if let Some(p) = x.pref {
            w.put_u8(RouteAttr::PREF.0, p)?;
        }
        if let Some(e) = x.expires {
            match u32::try_from(e) {
                Ok(e) => w.put_u32(RouteAttr::EXPIRES.0, e)?,
                Err(_) => w.put_u64(RouteAttr::EXPIRES.0, e)?,
            }
        }
        if let Some(c) = &x.cache {
            w.put_struct(RouteAttr::CACHEINFO.0, c)?;
        }
        let u32s = [
            (RouteAttr::MARK, x.mark),
            (RouteAttr::UID, x.uid),
            (RouteAttr::FLOW, x.flow),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        Ok(())
    }
}

impl RouteExtras {
    /// The attributes only [`RouteExtras`] keeps; malformed ones are left
    /// unset (they are descriptive).
    fn rare(&mut self, kind: RouteAttr, attr: &Attr<'_>) {
        match kind {
            RouteAttr::MARK => self.mark = attr.u32().ok(),
            RouteAttr::PREF => self.pref = attr.u8().ok(),
            RouteAttr::EXPIRES => {
                self.expires = attr.u64().ok().or_else(|| attr.u32().ok().map(u64::from));
            }
            RouteAttr::CACHEINFO => self.cache = Some(attr.read_struct()),
            RouteAttr::UID => self.uid = attr.u32().ok(),
            RouteAttr::FLOW => self.flow = attr.u32().ok(),
            _ => {}
        }
    }
}

fn put_via(w: &mut MsgWriter<'_>, kind: u16, ip: IpAddr) -> Result<(), EncodeError> {
    let fam = u16::from(AddrFamily::of(&ip).0).to_ne_bytes();
    match ip {
        IpAddr::V4(a) => w.put_parts(kind, &[&fam, &a.octets()]),
        IpAddr::V6(a) => w.put_parts(kind, &[&fam, &a.octets()]),
    }
}

fn emit_hop(w: &mut MsgWriter<'_>, h: &Leg) -> Result<(), EncodeError> {
    let gw_len: u16 = match h.gateway {
        Some(IpAddr::V4(_)) => 8,
        Some(IpAddr::V6(_)) => 20,
        None => 0,
    };
    let flow_len: u16 = if h.flow.is_some() { 8 } else { 0 };
    let len = 8u16.saturating_add(gw_len).saturating_add(flow_len);
    w.put_fixed(&RtNextHop {
        len: len.into(),
        flags: h.flags.0,
        hops: h.hops,
        ifindex: i32::try_from(h.ifindex)
            .map_err(|_| EncodeError::Invalid {
                what: "next-hop ifindex above i32::MAX",
            })?
            .into(),
    })?;
    if let Some(g) = h.gateway {
        w.put_ip(RouteAttr::GATEWAY.0, g)?;
    }
    if let Some(f) = h.flow {
        w.put_u32(RouteAttr::FLOW.0, f)?;
    }
    Ok(())
}

/// Request a dump of routes: `RTM_GETROUTE` with
/// `NLM_F_REQUEST | NLM_F_DUMP`.
///
/// `table` adds an `RTA_TABLE` filter, as `ip route show [table N]`
/// does (iproute2 always asks for `main` by default). The kernel honours
/// it only with `NETLINK_GET_STRICT_CHK` on (our drivers set it), and then
/// marks the replies `NLM_F_DUMP_FILTERED`; without strict checking every
/// table comes back and the caller must filter on [`Route::table`].
/// `None` dumps every table (`ip route show table all`).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
    table: Option<u32>,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETROUTE,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&RtMsg {
                family: family.0,
                ..RtMsg::new_zeroed()
            })?;
            if let Some(t) = table {
                w.put_u32(RouteAttr::TABLE.0, t)?;
            }
            Ok(())
        },
    )
}

/// A route lookup for [`encode_get`] (`ip route get`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteGet {
    /// Destination address.
    pub dst: IpAddr,
    /// Source address (`from`).
    pub src: Option<IpAddr>,
    /// Output interface (`oif`).
    pub oif: Option<u32>,
    /// Input interface (`iif`): look up as if received there.
    pub iif: Option<u32>,
    /// Firewall mark (`mark`).
    pub mark: Option<u32>,
    /// `fibmatch`: answer with the FIB entry that matched
    /// (`RTM_F_FIB_MATCH`), not the resolved path.
    pub fib_match: bool,
}

impl RouteGet {
    /// A lookup of `dst` with nothing else set.
    pub fn new(dst: IpAddr) -> Self {
        Self {
            dst,
            src: None,
            oif: None,
            iif: None,
            mark: None,
            fib_match: false,
        }
    }
}

/// Look up the route to a destination: `RTM_GETROUTE` with
/// `NLM_F_REQUEST` only (not a dump; the session adds `NLM_F_ACK`). The
/// kernel answers with one `RTM_NEWROUTE` (flagged `RTM_F_CLONED`) that
/// [`Route::decode`] reads.
///
/// As iproute2 6.1: `rtm_dst_len` (and `rtm_src_len` with a source) is
/// the full address length, `rtm_flags` = `RTM_F_LOOKUP_TABLE` for IPv4
/// so the reply names the table that matched (IPv6 refuses that flag under
/// strict checking: `EINVAL`, "Invalid flags for get route request"), and
/// `RTM_F_FIB_MATCH` with [`RouteGet::fib_match`]; then `RTA_DST`, `RTA_SRC`,
/// `RTA_IIF`, `RTA_OIF`, `RTA_MARK`.
///
/// # Errors
///
/// [`EncodeError::Invalid`] if the source's family differs from the
/// destination's; [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &RouteGet,
) -> Result<Request<'w>, EncodeError> {
    if req.src.is_some_and(|s| s.is_ipv4() != req.dst.is_ipv4()) {
        return Err(EncodeError::Invalid {
            what: "source family differs from destination",
        });
    }
    let full = if req.dst.is_ipv4() { 32 } else { 128 };
    request(w, RTM_GETROUTE, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst).0,
            dst_len: full,
            src_len: if req.src.is_some() { full } else { 0 },
            // IPv6 refuses any flag but RTM_F_FIB_MATCH under strict checking.
            flags: (if req.dst.is_ipv4() {
                RouteFlags::LOOKUP_TABLE.0
            } else {
                0
            } | if req.fib_match {
                RouteFlags::FIB_MATCH.0
            } else {
                0
            })
            .into(),
            ..RtMsg::new_zeroed()
        })?;
        w.put_ip(RouteAttr::DST.0, req.dst)?;
        if let Some(s) = req.src {
            w.put_ip(RouteAttr::SRC.0, s)?;
        }
        let u32s = [
            (RouteAttr::IIF, req.iif),
            (RouteAttr::OIF, req.oif),
            (RouteAttr::MARK, req.mark),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        Ok(())
    })
}

/// How [`encode_new`] treats an existing route with the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteMode {
    /// `ip route add`: `NLM_F_CREATE | NLM_F_EXCL`, `EEXIST` if present.
    #[default]
    Add,
    /// `ip route replace`: `NLM_F_CREATE | NLM_F_REPLACE`.
    Replace,
    /// `ip route append`: `NLM_F_CREATE | NLM_F_APPEND` (adds another
    /// route with the same key, e.g. an IPv6 multipath leg).
    Append,
    /// `ip route change`: `NLM_F_REPLACE` alone, `ENOENT` if absent.
    Change,
    /// `ip route prepend`: `NLM_F_CREATE` alone (the new route goes
    /// before any with the same key).
    Prepend,
}

impl RouteMode {
    fn flags(self) -> Flags {
        Flags::REQUEST
            | Flags::CREATE
            | match self {
                Self::Add => Flags::EXCL,
                Self::Replace => Flags::REPLACE,
                Self::Append => Flags::APPEND,
                Self::Change => return Flags::REQUEST | Flags::REPLACE,
                Self::Prepend => Flags::EMPTY,
            }
    }
}

/// A route to add with [`encode_new`]. Start from [`NewRoute::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRoute {
    /// Destination prefix (`0.0.0.0/0` for a default route). IPv4 host
    /// bits must be clear (the kernel refuses `10.0.0.1/24` with `EINVAL`).
    pub dst: IpNet,
    /// Gateway (`via`), same family as `dst`.
    pub gateway: Option<IpAddr>,
    /// Output interface (`dev`).
    pub oif: Option<u32>,
    /// Table id; [`Table::MAIN`] by default. Ids above 255 go in
    /// `RTA_TABLE` with `rtm_table` = 0, like iproute2. (iproute2 picks
    /// `local` for local/broadcast/anycast/nat types when no table is
    /// given; set it here explicitly.)
    pub table: u32,
    /// Protocol; [`RouteProtocol::BOOT`] by default, like iproute2.
    pub protocol: RouteProtocol,
    /// Scope; `None` picks iproute2's default (see [`NewRoute::effective_scope`]).
    pub scope: Option<Scope>,
    /// Route type; [`RouteType::UNICAST`] by default.
    pub kind: RouteType,
    /// Metric (`RTA_PRIORITY`).
    pub priority: Option<u32>,
    /// Preferred source address (`RTA_PREFSRC`), same family as `dst`.
    pub prefsrc: Option<IpAddr>,
    /// Route metrics (`RTA_METRICS`), e.g. `Metrics::EMPTY.with(Metric::MTU, 1400)`.
    pub metrics: Metrics,
    /// A gateway of the other family (`via inet6 ADDR` on an IPv4 route):
    /// `RTA_VIA`, in place of [`NewRoute::gateway`].
    pub via: Option<IpAddr>,
    /// A nexthop object to use (`nhid ID`): `RTA_NH_ID`.
    pub nh_id: Option<u32>,
    /// `rtm_flags` (`RTNH_F_*`): [`RouteFlags::ONLINK`] for `onlink`.
    pub flags: RouteFlags,
}

impl NewRoute {
    /// A unicast route to `dst` in the main table, protocol boot, default
    /// scope, nothing else set.
    pub fn new(dst: IpNet) -> Self {
        Self {
            dst,
            gateway: None,
            oif: None,
            table: Table::MAIN.0,
            protocol: RouteProtocol::BOOT,
            scope: None,
            kind: RouteType::UNICAST,
            priority: None,
            prefsrc: None,
            metrics: Metrics::EMPTY,
            via: None,
            nh_id: None,
            flags: RouteFlags::EMPTY,
        }
    }

    /// The scope sent: `scope` if set, else iproute2's choice — universe
    /// for IPv6; host for local and nat; link for broadcast, multicast and
    /// anycast; link for a unicast route without a gateway, `via` or
    /// nexthop object (a device route); universe otherwise. (A multipath
    /// route, [`encode_new_multipath`], is universe.)
    pub fn effective_scope(&self) -> Scope {
        if let Some(s) = self.scope {
            return s;
        }
        if self.dst.addr().is_ipv6() {
            return Scope::UNIVERSE;
        }
        match self.kind {
            RouteType::LOCAL | RouteType::NAT => Scope::HOST,
            RouteType::BROADCAST | RouteType::MULTICAST | RouteType::ANYCAST => Scope::LINK,
            RouteType::UNICAST | RouteType::UNSPEC
                if self.gateway.is_none() && self.via.is_none() && self.nh_id.is_none() =>
            {
                Scope::LINK
            }
            _ => Scope::UNIVERSE,
        }
    }
}

fn check_family(dst: &IpNet, other: Option<IpAddr>, what: &'static str) -> Result<(), EncodeError> {
    if other.is_some_and(|o| o.is_ipv4() != dst.addr().is_ipv4()) {
        return Err(EncodeError::Invalid { what });
    }
    Ok(())
}

/// Add, replace or append a route: `RTM_NEWROUTE` with `NLM_F_REQUEST |
/// NLM_F_CREATE` and `NLM_F_EXCL` ([`RouteMode::Add`]), `NLM_F_REPLACE`
/// ([`RouteMode::Replace`]) or `NLM_F_APPEND` ([`RouteMode::Append`]).
///
/// Byte layout as iproute2's: `RTA_DST` (omitted for a `/0` default
/// route), `RTA_TABLE` (only for ids above 255), `RTA_PRIORITY`,
/// `RTA_PREFSRC`, `RTA_GATEWAY`, `RTA_OIF`, `RTA_METRICS`.
///
/// # Errors
///
/// [`EncodeError::Invalid`] when the gateway's or preferred source's
/// family differs from the destination's, or an IPv4 destination has
/// host bits set; [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewRoute,
    mode: RouteMode,
) -> Result<Request<'w>, EncodeError> {
    encode_new_multipath(w, req, mode, &[])
}

/// [`encode_new`] with next hops: `ip route add DST nexthop via GW [dev
/// NAME] [weight N] nexthop …` puts them in `RTA_MULTIPATH`, one `struct
/// rtnexthop` each (`rtnh_hops` = weight − 1, `rtnh_ifindex` 0 when no
/// device), with `RTA_GATEWAY`, or `RTA_VIA` for a gateway of the other
/// family, as iproute2 does. `hops` empty is [`encode_new`]. A route with
/// next hops takes universe scope unless `scope` says otherwise.
///
/// ```
/// use nl_proto::route::route::{encode_new_multipath, NewRoute, Leg, LegFlags, RouteMode};
/// use nl_proto::wire::MsgWriter;
/// let hop = |gw: &str, weight: u8| Leg {
///     flags: LegFlags::EMPTY,
///     hops: weight - 1,
///     ifindex: 0,
///     gateway: Some(gw.parse().unwrap()),
///     flow: None,
/// };
/// let mut buf = [0u8; 256];
/// let mut w = MsgWriter::new(&mut buf);
/// let req = NewRoute::new("10.1.0.0/24".parse().unwrap());
/// let r = encode_new_multipath(&mut w, &req, RouteMode::Add, &[hop("10.0.0.2", 2), hop("10.0.0.3", 1)])?;
/// assert_eq!(r.msg.len(), 72);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// As [`encode_new`]; [`EncodeError::Invalid`] for a `via` of the
/// destination's own family (use `gateway`), more than [`MULTIPATH_MAX`]
/// next hops, or a next hop whose ifindex is above `i32::MAX`.
pub fn encode_new_multipath<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewRoute,
    mode: RouteMode,
    hops: &[Leg],
) -> Result<Request<'w>, EncodeError> {
    check_family(
        &req.dst,
        req.gateway,
        "gateway family differs from destination",
    )?;
    check_family(
        &req.dst,
        req.prefsrc,
        "prefsrc family differs from destination",
    )?;
    let v4 = req.dst.addr().is_ipv4();
    if req.via.is_some_and(|v| v.is_ipv4() == v4) {
        return Err(EncodeError::Invalid {
            what: "via of the destination's family (use the gateway)",
        });
    }
    if v4 && req.dst.trunc() != req.dst {
        return Err(EncodeError::Invalid {
            what: "IPv4 destination has host bits set",
        });
    }
    let scope = match req.scope {
        None if !hops.is_empty() && req.kind == RouteType::UNICAST => Scope::UNIVERSE,
        _ => req.effective_scope(),
    };
    let (table, table_attr) = Table(req.table).split();
    request(w, RTM_NEWROUTE, mode.flags(), Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst.addr()).0,
            dst_len: req.dst.prefix_len(),
            src_len: 0,
            tos: 0,
            table,
            protocol: req.protocol.0,
            scope: scope.0,
            kind: req.kind.0,
            flags: req.flags.0.into(),
        })?;
        if req.dst.prefix_len() != 0 {
            w.put_ip(RouteAttr::DST.0, req.dst.addr())?;
        }
        if let Some(t) = table_attr {
            w.put_u32(RouteAttr::TABLE.0, t)?;
        }
        if let Some(p) = req.priority {
            w.put_u32(RouteAttr::PRIORITY.0, p)?;
        }
        if let Some(p) = req.prefsrc {
            w.put_ip(RouteAttr::PREFSRC.0, p)?;
        }
        if let Some(g) = req.gateway {
            w.put_ip(RouteAttr::GATEWAY.0, g)?;
        }
        if let Some(v) = req.via {
            put_via(w, RouteAttr::VIA.0, v)?;
        }
        if let Some(o) = req.oif {
            w.put_u32(RouteAttr::OIF.0, o)?;
        }
        if let Some(id) = req.nh_id {
            w.put_u32(RouteAttr::NH_ID.0, id)?;
        }
        if !hops.is_empty() {
            put_request_multipath(w, hops, v4)?;
        }
        req.metrics.emit(w)
    })
}

/// The most bytes one request next hop takes: `struct rtnexthop` (8),
/// `RTA_VIA` with an IPv6 address (24), `RTA_FLOW` (8).
const REQUEST_HOP_MAX: usize = 40;

/// Append one attribute (header, payload, zero padding) at `at`; returns
/// the new end.
fn put_attr_at(
    buf: &mut [u8],
    at: usize,
    kind: u16,
    parts: &[&[u8]],
) -> Result<usize, EncodeError> {
    let payload: usize = parts.iter().map(|p| p.len()).sum();
    let len = u16::try_from(4 + payload).map_err(|_| EncodeError::Invalid {
        what: "next-hop attribute too long",
    })?;
    let end = at + ((4 + payload + 3) & !3);
    let out = buf.get_mut(at..end).ok_or(EncodeError::Invalid {
        what: "next hop too long",
    })?;
    out.fill(0);
    out[..2].copy_from_slice(&len.to_ne_bytes());
    out[2..4].copy_from_slice(&kind.to_ne_bytes());
    let mut pos = 4;
    for p in parts {
        out[pos..pos + p.len()].copy_from_slice(p);
        pos += p.len();
    }
    Ok(end)
}

/// One `struct rtnexthop` of a request, written at `at` in `buf`: the
/// gateway as `RTA_GATEWAY` when it is of the route's family, else as
/// `RTA_VIA` (as iproute2 writes them). Returns the new end.
fn put_request_hop(
    buf: &mut [u8],
    at: usize,
    h: &Leg,
    v4_route: bool,
) -> Result<usize, EncodeError> {
    let ifindex = i32::try_from(h.ifindex).map_err(|_| EncodeError::Invalid {
        what: "next-hop ifindex above i32::MAX",
    })?;
    let mut end = at + 8;
    if let Some(g) = h.gateway {
        let (v4, v6);
        let addr: &[u8] = match g {
            IpAddr::V4(a) => {
                v4 = a.octets();
                &v4
            }
            IpAddr::V6(a) => {
                v6 = a.octets();
                &v6
            }
        };
        end = if g.is_ipv4() == v4_route {
            put_attr_at(buf, end, RouteAttr::GATEWAY.0, &[addr])?
        } else {
            let fam = u16::from(AddrFamily::of(&g).0).to_ne_bytes();
            put_attr_at(buf, end, RouteAttr::VIA.0, &[&fam, addr])?
        };
    }
    if let Some(f) = h.flow {
        end = put_attr_at(buf, end, RouteAttr::FLOW.0, &[&f.to_ne_bytes()])?;
    }
    let len = u16::try_from(end - at).map_err(|_| EncodeError::Invalid {
        what: "next hop too long",
    })?;
    let head = buf.get_mut(at..at + 8).ok_or(EncodeError::Invalid {
        what: "next hop too long",
    })?;
    head[..2].copy_from_slice(&len.to_ne_bytes());
    head[2] = h.flags.0;
    head[3] = h.hops;
    head[4..].copy_from_slice(&ifindex.to_ne_bytes());
    Ok(end)
}

/// `RTA_MULTIPATH` of a request: an array of `struct rtnexthop`, without
/// `NLA_F_NESTED` (it is not a nest of attributes), as iproute2 sends it.
fn put_request_multipath(
    w: &mut MsgWriter<'_>,
    hops: &[Leg],
    v4_route: bool,
) -> Result<(), EncodeError> {
    if hops.len() > MULTIPATH_MAX {
        return Err(EncodeError::Invalid {
            what: "more next hops than MULTIPATH_MAX",
        });
    }
    let mut buf = [0u8; MULTIPATH_MAX * REQUEST_HOP_MAX];
    let mut end = 0;
    for h in hops {
        end = put_request_hop(&mut buf, end, h, v4_route)?;
    }
    w.put_parts(
        RouteAttr::MULTIPATH.0,
        &[buf.get(..end).unwrap_or_default()],
    )
}

/// Which route(s) [`encode_del`] removes. Unset fields match anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelRoute {
    /// Destination prefix.
    pub dst: IpNet,
    /// Table; `None` = main, as with iproute2.
    pub table: Option<u32>,
    /// Gateway to match.
    pub gateway: Option<IpAddr>,
    /// Output interface to match.
    pub oif: Option<u32>,
    /// Protocol to match (`rtm_protocol`; unset = 0 = any).
    pub protocol: Option<RouteProtocol>,
    /// Metric to match.
    pub priority: Option<u32>,
    /// Type to match (`rtm_type`; unset = `RTN_UNSPEC` = any).
    pub kind: Option<RouteType>,
}

impl DelRoute {
    /// Delete the route to `dst` in the main table, whatever its path.
    pub fn new(dst: IpNet) -> Self {
        Self {
            dst,
            table: None,
            gateway: None,
            oif: None,
            protocol: None,
            priority: None,
            kind: None,
        }
    }
}

/// Delete a route: `RTM_DELROUTE` with `NLM_F_REQUEST` only (the session
/// adds `NLM_F_ACK`).
///
/// As iproute2: `rtm_scope` = `RT_SCOPE_NOWHERE` for IPv4 (universe for
/// IPv6), `rtm_type` and `rtm_protocol` 0 unless given (the kernel
/// treats 0 as "any"), table main unless given; then `RTA_DST` (not for
/// `/0`), `RTA_TABLE` (ids above 255), `RTA_PRIORITY`, `RTA_GATEWAY`,
/// `RTA_OIF`.
///
/// # Errors
///
/// [`EncodeError::Invalid`] when the gateway's family differs from the
/// destination's; [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &DelRoute,
) -> Result<Request<'w>, EncodeError> {
    check_family(
        &req.dst,
        req.gateway,
        "gateway family differs from destination",
    )?;
    let (table, table_attr) = Table(req.table.unwrap_or(Table::MAIN.0)).split();
    let v6 = req.dst.addr().is_ipv6();
    request(w, RTM_DELROUTE, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst.addr()).0,
            dst_len: req.dst.prefix_len(),
            src_len: 0,
            tos: 0,
            table,
            protocol: req.protocol.unwrap_or(RouteProtocol::UNSPEC).0,
            scope: if v6 {
                Scope::UNIVERSE.0
            } else {
                Scope::NOWHERE.0
            },
            kind: req.kind.unwrap_or(RouteType::UNSPEC).0,
            flags: 0.into(),
        })?;
        if req.dst.prefix_len() != 0 {
            w.put_ip(RouteAttr::DST.0, req.dst.addr())?;
        }
        if let Some(t) = table_attr {
            w.put_u32(RouteAttr::TABLE.0, t)?;
        }
        if let Some(p) = req.priority {
            w.put_u32(RouteAttr::PRIORITY.0, p)?;
        }
        if let Some(g) = req.gateway {
            w.put_ip(RouteAttr::GATEWAY.0, g)?;
        }
        if let Some(o) = req.oif {
            w.put_u32(RouteAttr::OIF.0, o)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg, raw_msgs, with_ack};
    use crate::wire::Msgs;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // `ip route add 10.9.0.0/24 via 10.0.0.2` (route_add_via.jsonl #0)
    #[rustfmt::skip]
    const ADD_VIA: [u8; 44] = [
        // nlmsghdr: len 44, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
        0x2c, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, dst_len 24, src_len 0, tos 0, table main, proto boot, scope universe, unicast
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_DST 10.9.0.0
        0x08, 0, 0x01, 0, 10, 9, 0, 0,
        // RTA_GATEWAY 10.0.0.2
        0x08, 0, 0x05, 0, 10, 0, 0, 2,
    ];

    // `ip route add 10.8.0.0/16 dev v0 table 1000 proto static metric 100`
    // (route_add_table_proto_metric.jsonl #2; v0 has index 3)
    #[rustfmt::skip]
    const ADD_TABLE_PROTO_METRIC: [u8; 60] = [
        // nlmsghdr: len 60, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
        0x3c, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, /16, 0, 0, table UNSPEC (id in RTA_TABLE), proto static, scope link, unicast
        0x02, 0x10, 0x00, 0x00, 0x00, 0x04, 0xfd, 0x01,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_DST 10.8.0.0
        0x08, 0, 0x01, 0, 10, 8, 0, 0,
        // RTA_TABLE 1000
        0x08, 0, 0x0f, 0, 0xe8, 0x03, 0, 0,
        // RTA_PRIORITY 100
        0x08, 0, 0x06, 0, 0x64, 0, 0, 0,
        // RTA_OIF 3
        0x08, 0, 0x04, 0, 0x03, 0, 0, 0,
    ];

    // `ip route replace default via 10.0.0.2` (route_replace_default.jsonl #0)
    #[rustfmt::skip]
    const REPLACE_DEFAULT: [u8; 36] = [
        // nlmsghdr: len 36, RTM_NEWROUTE, REQUEST|ACK|REPLACE|CREATE
        0x24, 0, 0, 0, 0x18, 0, 0x05, 0x05, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, /0, 0, 0, main, boot, universe, unicast; no RTA_DST
        0x02, 0x00, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_GATEWAY 10.0.0.2
        0x08, 0, 0x05, 0, 10, 0, 0, 2,
    ];

    // `ip route add blackhole 10.7.0.0/16` (route_add_blackhole.jsonl #0)
    #[rustfmt::skip]
    const ADD_BLACKHOLE: [u8; 36] = [
        // nlmsghdr: len 36, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
        0x24, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, /16, 0, 0, main, boot, universe, blackhole
        0x02, 0x10, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x06,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_DST 10.7.0.0
        0x08, 0, 0x01, 0, 10, 7, 0, 0,
    ];

    // `ip route del 10.9.0.0/24` (route_del.jsonl #0)
    #[rustfmt::skip]
    const DEL: [u8; 36] = [
        // nlmsghdr: len 36, RTM_DELROUTE, REQUEST|ACK
        0x24, 0, 0, 0, 0x19, 0, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, /24, 0, 0, main, proto 0, scope nowhere, type unspec
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x00, 0xff, 0x00,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_DST 10.9.0.0
        0x08, 0, 0x01, 0, 10, 9, 0, 0,
    ];

    // `ip -6 route add 2001:db8:1::/64 dev v0` (route_add_v6.jsonl #2)
    #[rustfmt::skip]
    const ADD_V6: [u8; 56] = [
        // nlmsghdr: len 56, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
        0x38, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET6, /64, 0, 0, main, boot, universe (IPv6), unicast
        0x0a, 0x40, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01,
        // rtm_flags 0
        0, 0, 0, 0,
        // RTA_DST 2001:db8:1::
        0x14, 0, 0x01, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        // RTA_OIF 3
        0x08, 0, 0x04, 0, 0x03, 0, 0, 0,
    ];

    // `ip route get 10.9.0.5` request (route_get.jsonl #0)
    #[rustfmt::skip]
    const GET: [u8; 36] = [
        // nlmsghdr: len 36, RTM_GETROUTE, REQUEST (ip sends no ACK here)
        0x24, 0, 0, 0, 0x1a, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, dst_len 32, rest 0
        0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtm_flags RTM_F_LOOKUP_TABLE
        0x00, 0x10, 0x00, 0x00,
        // RTA_DST 10.9.0.5
        0x08, 0, 0x01, 0, 10, 9, 0, 5,
    ];

    // The kernel's answer (route_get.jsonl #1)
    #[rustfmt::skip]
    const GET_REPLY: [u8; 112] = [
        // nlmsghdr: len 112, RTM_NEWROUTE, flags 0
        0x70, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtmsg: INET, /32, 0, 0, main, proto unspec, universe, unicast, flags RTM_F_CLONED
        0x02, 0x20, 0x00, 0x00, 0xfe, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00,
        // RTA_TABLE (len 8)
        0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
        // RTA_DST (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x00, 0x05,
        // RTA_OIF (len 8)
        0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00,
        // RTA_PREFSRC (len 8)
        0x08, 0x00, 0x07, 0x00, 0x0a, 0x00, 0x00, 0x01,
        // RTA_GATEWAY (len 8)
        0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x02,
        // RTA_UID (len 8)
        0x08, 0x00, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00,
        // RTA_CACHEINFO (len 36)
        0x24, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    // `ip route show` request (route_show.jsonl #0, first nlmsg_len bytes)
    #[rustfmt::skip]
    const SHOW: [u8; 36] = [
        // nlmsghdr: len 36, RTM_GETROUTE, REQUEST|ROOT|MATCH
        0x24, 0, 0, 0, 0x1a, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET, all zero
        0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        // RTA_TABLE main (strict-check filter)
        0x08, 0, 0x0f, 0, 0xfe, 0, 0, 0,
    ];

    // The dump reply (route_show.jsonl #1)
    #[rustfmt::skip]
    const SHOW_REPLY: [u8; 120] = [
        // nlmsghdr: len 60, RTM_NEWROUTE, MULTI|DUMP_FILTERED
        0x3c, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtmsg: INET, /24, 0, 0, main, kernel, link, unicast, flags 0
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x02, 0xfd, 0x01, 0x00, 0x00, 0x00, 0x00,
        // RTA_TABLE (len 8)
        0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
        // RTA_DST (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x00,
        // RTA_PREFSRC (len 8)
        0x08, 0x00, 0x07, 0x00, 0x0a, 0x00, 0x00, 0x01,
        // RTA_OIF (len 8)
        0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00,
        // nlmsghdr: len 60, RTM_NEWROUTE, MULTI|DUMP_FILTERED
        0x3c, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtmsg: INET, /24, 0, 0, main, boot, universe, unicast, flags 0
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        // RTA_TABLE (len 8)
        0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
        // RTA_DST (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x00, 0x00,
        // RTA_GATEWAY (len 8)
        0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x02,
        // RTA_OIF (len 8)
        0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00,
    ];

    // From `ip route show table all` after
    // `ip route add 10.5.0.0/24 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.0.3`
    // (captured with nl-capture --normalize --recv on kernel 6.18; v0 = index 3)
    #[rustfmt::skip]
    const MULTIPATH: [u8; 80] = [
        // nlmsghdr: len 80, RTM_NEWROUTE, MULTI|DUMP_FILTERED
        0x50, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtmsg: INET, /24, 0, 0, main, boot, universe, unicast, flags 0
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        // RTA_TABLE (len 8)
        0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
        // RTA_DST (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x05, 0x00, 0x00,
        // RTA_MULTIPATH (len 36)
        0x24, 0x00, 0x09, 0x00,
        //   rtnexthop: len 16, flags 0, hops 1 (weight 2), ifindex 3; RTA_GATEWAY 10.0.0.2
        0x10, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x02,
        //   rtnexthop: len 16, flags 0, hops 0, ifindex 3; RTA_GATEWAY 10.0.0.3
        0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x03,
    ];

    // From the same dump, after
    // `ip -6 route add 2001:db8:5::/64 via 2001:db8::2 mtu 1400 metric 50 pref high`
    #[rustfmt::skip]
    const V6_VIA: [u8; 148] = [
        // nlmsghdr: len 148, RTM_NEWROUTE, MULTI|DUMP_FILTERED
        0x94, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rtmsg: INET6, /64, 0, 0, main, boot, universe, unicast, flags 0
        0x0a, 0x40, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        // RTA_TABLE (len 8)
        0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
        // RTA_DST (len 20)
        0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // RTA_METRICS (len 12, no NLA_F_NESTED): RTAX_MTU 1400
        0x0c, 0x00, 0x08, 0x00, 0x08, 0x00, 0x02, 0x00, 0x78, 0x05, 0x00, 0x00,
        // RTA_PRIORITY (len 8)
        0x08, 0x00, 0x06, 0x00, 0x32, 0x00, 0x00, 0x00,
        // RTA_GATEWAY (len 20)
        0x14, 0x00, 0x05, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        // RTA_OIF (len 8)
        0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00,
        // RTA_CACHEINFO (len 36)
        0x24, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // RTA_PREF (len 5): high
        0x05, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn golden_add_via() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                gateway: Some(ip("10.0.0.2")),
                ..NewRoute::new(net("10.9.0.0/24"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_VIA);
    }

    #[test]
    fn golden_add_table_proto_metric() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                oif: Some(3),
                table: 1000,
                protocol: RouteProtocol::parse("static").unwrap(),
                priority: Some(100),
                ..NewRoute::new(net("10.8.0.0/16"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_TABLE_PROTO_METRIC);
    }

    #[test]
    fn golden_replace_default() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                gateway: Some(ip("10.0.0.2")),
                ..NewRoute::new(net("0.0.0.0/0"))
            };
            let _ = encode_new(w, &req, RouteMode::Replace).unwrap();
        });
        assert_eq!(got, REPLACE_DEFAULT);
    }

    #[test]
    fn golden_add_blackhole() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                kind: RouteType::parse("blackhole").unwrap(),
                ..NewRoute::new(net("10.7.0.0/16"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_BLACKHOLE);
    }

    #[test]
    fn golden_del() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let _ = encode_del(w, &DelRoute::new(net("10.9.0.0/24"))).unwrap();
        });
        assert_eq!(got, DEL);
    }

    #[test]
    fn golden_add_v6() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                oif: Some(3),
                ..NewRoute::new(net("2001:db8:1::/64"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_V6);
    }

    /// The kernel's strict check of an IPv6 `RTM_GETROUTE`
    /// (`inet6_rtm_valid_getroute_req`) refuses any `rtm_flags` bit but
    /// `RTM_F_FIB_MATCH` ("ipv6: Invalid flags for get route request"), so
    /// `RTM_F_LOOKUP_TABLE` may only be sent for IPv4.
    #[test]
    fn get_v6_sends_no_lookup_table_flag() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_get(&mut w, &RouteGet::new(ip("2001:db8::1"))).unwrap();
        let (_, body) = r.msg.split_at(16);
        assert_eq!(body[0], AddrFamily::INET6.0);
        assert_eq!(body[1], 128, "rtm_dst_len");
        assert_eq!(&body[8..12], &[0, 0, 0, 0], "rtm_flags");
    }

    #[test]
    fn golden_get_and_reply() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_get(&mut w, &RouteGet::new(ip("10.9.0.5"))).unwrap();
        assert_eq!(r.expect, Expect::Ack);
        assert_eq!(&*r.msg, &GET);

        let route = Route::decode(&msg(&GET_REPLY)).unwrap();
        assert_eq!(route.family, AddrFamily::INET);
        assert_eq!(route.dst, net("10.9.0.5/32"));
        assert_eq!(route.table, Table::MAIN.0);
        assert_eq!(route.protocol, RouteProtocol::UNSPEC);
        assert_eq!(route.kind, RouteType::UNICAST);
        assert_eq!(route.flags, RouteFlags::CLONED);
        assert_eq!(route.oif, Some(3));
        assert_eq!(route.gateway, Some(ip("10.0.0.2")));
        assert_eq!(route.prefsrc, Some(ip("10.0.0.1")));
        assert_eq!(route.multipath_legs, 0);
        let (full, x) = Route::decode_full(&msg(&GET_REPLY)).unwrap();
        assert_eq!(full, route);
        assert_eq!(x.uid, Some(0));
        assert_eq!(x.cache.map(|c| c.clntref.get()), Some(2));
        assert!(x.multipath.is_empty());
    }

    #[test]
    fn golden_show() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_dump(&mut w, AddrFamily::INET, Some(Table::MAIN.0)).unwrap();
        assert_eq!(r.expect, Expect::Dump);
        assert_eq!(&*r.msg, &SHOW);

        let routes: heapless::Vec<Route, 2> = Msgs::new(&SHOW_REPLY)
            .map(|m| Route::decode(&m.unwrap()).unwrap())
            .collect();
        let link = &routes[0];
        assert_eq!(link.dst, net("10.0.0.0/24"));
        assert_eq!(link.protocol, RouteProtocol::KERNEL);
        assert_eq!(link.protocol.ip_name(), Some("kernel"));
        assert_eq!(link.scope, Scope::LINK);
        assert_eq!(link.prefsrc, Some(ip("10.0.0.1")));
        assert_eq!(link.oif, Some(3));
        assert_eq!(link.gateway, None);
        assert_eq!(link.priority, None);
        let via = &routes[1];
        assert_eq!(via.dst, net("10.9.0.0/24"));
        assert_eq!(via.gateway, Some(ip("10.0.0.2")));
        assert_eq!(via.protocol, RouteProtocol::BOOT);
        assert_eq!(via.scope, Scope::UNIVERSE);
        assert_eq!(via.table, 254);
    }

    #[test]
    fn decodes_multipath_and_v6_metrics() {
        let (r, x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
        assert_eq!(r.dst, net("10.5.0.0/24"));
        assert_eq!((r.gateway, r.oif), (None, None));
        assert_eq!(r.multipath_legs, 2);
        assert_eq!(Route::decode(&msg(&MULTIPATH)).unwrap(), r);
        assert_eq!(x.multipath.len(), 2);
        assert_eq!(x.multipath[0].gateway, Some(ip("10.0.0.2")));
        assert_eq!(x.multipath[0].weight(), 2);
        assert_eq!(x.multipath[0].ifindex, 3);
        assert_eq!(x.multipath[1].gateway, Some(ip("10.0.0.3")));
        assert_eq!(x.multipath[1].weight(), 1);
        assert!(!x.multipath_truncated);

        let (r, x) = Route::decode_full(&msg(&V6_VIA)).unwrap();
        assert_eq!(r.family, AddrFamily::INET6);
        assert_eq!(r.dst, net("2001:db8:5::/64"));
        assert_eq!(r.gateway, Some(ip("2001:db8::2")));
        assert_eq!(r.mtu, Some(1400));
        assert_eq!(x.metrics.mtu(), Some(1400));
        assert_eq!(x.metrics.advmss(), None);
        assert_eq!(r.priority, Some(50));
        assert_eq!(x.pref, Some(1));
        // The compact decode reads the MTU without keeping the metrics.
        assert_eq!(Route::decode(&msg(&V6_VIA)).unwrap(), r);
    }

    /// A one-leg `RTA_MULTIPATH` is the plain route the kernel means.
    #[test]
    fn one_leg_multipath_reads_as_a_plain_route() {
        let (mut r, mut x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
        x.multipath.truncate(1);
        r.multipath_legs = 1;
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let bytes = r.emit_full(&x, &mut w, Flags::MULTI).unwrap();
        let d = Route::decode(&msg(bytes)).unwrap();
        assert_eq!((d.gateway, d.oif), (Some(ip("10.0.0.2")), Some(3)));
        assert_eq!(d.multipath_legs, 1);
    }

    #[test]
    fn keeps_first_hops_and_flags_truncation() {
        let (r, mut x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
        let hop = x.multipath[0];
        while x.multipath.push(hop).is_ok() {}
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let bytes = r.emit_full(&x, &mut w, Flags::MULTI).unwrap();
        let (d, dx) = Route::decode_full(&msg(bytes)).unwrap();
        assert_eq!(dx.multipath.len(), MULTIPATH_MAX);
        assert_eq!(usize::from(d.multipath_legs), MULTIPATH_MAX);
        assert!(!dx.multipath_truncated);

        let mut nine = [0u8; 16 + 12 + 4 + 9 * 16];
        let mut w = MsgWriter::new(&mut nine);
        w.begin(RTM_NEWROUTE, Flags::MULTI).unwrap();
        w.put_fixed(&RtMsg {
            family: 2,
            ..RtMsg::new_zeroed()
        })
        .unwrap();
        let n = w.begin_nest(RouteAttr::MULTIPATH.0).unwrap();
        for _ in 0..9 {
            emit_hop(&mut w, &hop).unwrap();
        }
        w.end_nest(n).unwrap();
        let bytes = w.finish().unwrap();
        let (d, dx) = Route::decode_full(&msg(bytes)).unwrap();
        assert_eq!(dx.multipath.len(), MULTIPATH_MAX);
        assert!(dx.multipath_truncated);
        assert_eq!(d.multipath_legs, 9);
    }

    /// The kernel emits `RTA_MULTIPATH` without `NLA_F_NESTED`; a fake
    /// kernel built on `emit` must too (byte-identical to the capture).
    #[test]
    fn emit_multipath_as_the_kernel_does() {
        let (a, x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let flags = Flags::MULTI | Flags(0x20); // NLM_F_DUMP_FILTERED
        let out = a.emit_full(&x, &mut w, flags).unwrap();
        assert_eq!(out, &MULTIPATH[..]);
    }

    #[test]
    fn emit_round_trip() {
        let replies: [&[u8]; 5] = [
            &GET_REPLY,
            &SHOW_REPLY[..60],
            &SHOW_REPLY[60..],
            &MULTIPATH,
            &V6_VIA,
        ];
        for bytes in replies {
            let (a, x) = Route::decode_full(&msg(bytes)).unwrap();
            let mut buf = [0u8; 256];
            let mut w = MsgWriter::new(&mut buf);
            let out = a.emit_full(&x, &mut w, Flags::MULTI).unwrap();
            assert_eq!(Route::decode_full(&msg(out)).unwrap(), (a.clone(), x));
            if a.multipath_legs == 0 {
                let mut w = MsgWriter::new(&mut buf);
                let out = a.emit(&mut w, Flags::MULTI).unwrap();
                assert_eq!(Route::decode(&msg(out)).unwrap(), a);
            }
        }
        // a big table id, a default route and a gateway of the other
        // family (RTA_VIA) survive too
        let (mut a, mut x) = Route::decode_full(&msg(&SHOW_REPLY[60..])).unwrap();
        a.table = 1000;
        a.dst = net("0.0.0.0/0");
        a.gateway = Some(ip("fe80::1"));
        x.expires = Some(1 << 40);
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let out = a.emit_full(&x, &mut w, Flags::MULTI).unwrap();
        assert_eq!(Route::decode_full(&msg(out)).unwrap(), (a, x));
    }

    #[test]
    fn new_route_decodes_to_its_fields() {
        let req = NewRoute {
            gateway: Some(ip("2001:db8::1")),
            oif: Some(4),
            table: 100_000,
            protocol: RouteProtocol::DHCP,
            priority: Some(1024),
            prefsrc: Some(ip("2001:db8::5")),
            metrics: Metrics::EMPTY
                .with(Metric::MTU, 1280)
                .with(Metric::HOPLIMIT, 9),
            ..NewRoute::new(net("2001:db8:9::/48"))
        };
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_new(&mut w, &req, RouteMode::Append).unwrap();
        let (m, _) = Msg::parse(r.msg).unwrap();
        assert_eq!(m.flags(), Flags::REQUEST | Flags::CREATE | Flags::APPEND);
        let d = Route::decode(&m).unwrap();
        assert_eq!(d.dst, req.dst);
        assert_eq!(d.gateway, req.gateway);
        assert_eq!(d.oif, req.oif);
        assert_eq!(d.table, req.table);
        assert_eq!(d.protocol, req.protocol);
        assert_eq!(d.priority, req.priority);
        assert_eq!(d.prefsrc, req.prefsrc);
        assert_eq!(d.mtu, Some(1280));
        let (_, x) = Route::decode_full(&m).unwrap();
        assert_eq!(x.metrics.hoplimit(), Some(9));
        assert_eq!(d.kind, RouteType::UNICAST);
        assert_eq!(d.scope, Scope::UNIVERSE);
    }

    // `ip route add 10.1.0.0/24 nexthop via 10.0.0.2 weight 2 nexthop via
    // 10.0.0.3 dev v0` (nl-capture, v0 = index 3).
    #[rustfmt::skip]
    const ADD_MULTIPATH: [u8; 72] = [
        0x48, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET /24, main, boot, universe, unicast
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
        // RTA_DST 10.1.0.0
        0x08, 0, 0x01, 0, 10, 1, 0, 0,
        // RTA_MULTIPATH (36)
        0x24, 0, 0x09, 0,
        // rtnexthop len 16, flags 0, hops 1 (weight 2), ifindex 0; RTA_GATEWAY 10.0.0.2
        0x10, 0, 0, 0x01, 0, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 2,
        // rtnexthop len 16, hops 0, ifindex 3; RTA_GATEWAY 10.0.0.3
        0x10, 0, 0, 0x00, 3, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 3,
    ];

    // `ip route add 10.2.0.0/24 nexthop via inet6 2001:db8::2 dev v0
    // nexthop via 10.0.0.3 dev v0` (nl-capture; iproute2 leaves the
    // RTA_VIA padding uninitialised, zero here).
    #[rustfmt::skip]
    const ADD_MULTIPATH_VIA: [u8; 88] = [
        0x58, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
        0x08, 0, 0x01, 0, 10, 2, 0, 0,
        // RTA_MULTIPATH (52)
        0x34, 0, 0x09, 0,
        // rtnexthop len 32, ifindex 3; RTA_VIA (22) AF_INET6 2001:db8::2, 2 bytes padding
        0x20, 0, 0, 0, 3, 0, 0, 0,
        0x16, 0, 0x12, 0, 0x0a, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0x02, 0, 0,
        // rtnexthop len 16, ifindex 3; RTA_GATEWAY 10.0.0.3
        0x10, 0, 0, 0, 3, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 3,
    ];

    // `ip route add 10.2.0.0/24 via inet6 2001:db8::2 dev v0` (nl-capture).
    #[rustfmt::skip]
    const ADD_VIA_INET6: [u8; 68] = [
        0x44, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
        0x08, 0, 0x01, 0, 10, 2, 0, 0,
        // RTA_VIA (22) AF_INET6 2001:db8::2, padded
        0x16, 0, 0x12, 0, 0x0a, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0x02, 0, 0,
        // RTA_OIF 3
        0x08, 0, 0x04, 0, 3, 0, 0, 0,
    ];

    fn hop(gw: &str, weight: u8, ifindex: u32) -> Leg {
        Leg {
            flags: LegFlags::EMPTY,
            hops: weight - 1,
            ifindex,
            gateway: Some(ip(gw)),
            flow: None,
        }
    }

    #[test]
    fn golden_multipath_and_via() {
        let mut buf = [0xa5u8; 128];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute::new(net("10.1.0.0/24"));
            let hops = [hop("10.0.0.2", 2, 0), hop("10.0.0.3", 1, 3)];
            let _ = encode_new_multipath(w, &req, RouteMode::Add, &hops).unwrap();
        });
        assert_eq!(got, ADD_MULTIPATH);
        let mut buf = [0xa5u8; 128];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute::new(net("10.2.0.0/24"));
            let hops = [hop("2001:db8::2", 1, 3), hop("10.0.0.3", 1, 3)];
            let _ = encode_new_multipath(w, &req, RouteMode::Add, &hops).unwrap();
        });
        assert_eq!(got, ADD_MULTIPATH_VIA);
        let mut buf = [0xa5u8; 128];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                via: Some(ip("2001:db8::2")),
                oif: Some(3),
                ..NewRoute::new(net("10.2.0.0/24"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_VIA_INET6);
    }

    // `ip route add default via 169.254.1.1 dev v0 onlink` (nl-capture).
    #[rustfmt::skip]
    const ADD_ONLINK: [u8; 44] = [
        0x2c, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: INET /0, main, boot, universe, unicast, rtm_flags RTNH_F_ONLINK
        0x02, 0, 0, 0, 0xfe, 0x03, 0x00, 0x01, 0x04, 0, 0, 0,
        0x08, 0, 0x05, 0, 169, 254, 1, 1,
        0x08, 0, 0x04, 0, 3, 0, 0, 0,
    ];

    #[test]
    fn golden_onlink() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewRoute {
                gateway: Some(ip("169.254.1.1")),
                oif: Some(3),
                flags: RouteFlags::ONLINK,
                ..NewRoute::new(net("0.0.0.0/0"))
            };
            let _ = encode_new(w, &req, RouteMode::Add).unwrap();
        });
        assert_eq!(got, ADD_ONLINK);
    }

    #[test]
    fn multipath_and_via_decode_back() {
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let req = NewRoute {
            nh_id: Some(7),
            ..NewRoute::new(net("2001:db8:1::/64"))
        };
        let hops = [hop("2001:db8::2", 1, 0), hop("2001:db8::3", 3, 4)];
        let r = encode_new_multipath(&mut w, &req, RouteMode::Append, &hops).unwrap();
        let (m, _) = Msg::parse(r.msg).unwrap();
        let (d, x) = Route::decode_full(&m).unwrap();
        assert_eq!(d.nh_id, Some(7));
        assert_eq!(d.multipath_legs, 2);
        assert_eq!(x.multipath.len(), 2);
        assert_eq!(x.multipath[1].gateway, Some(ip("2001:db8::3")));
        assert_eq!(x.multipath[1].weight(), 3);
        assert_eq!(x.multipath[1].ifindex, 4);
        // A via of the route's own family is a gateway: refused.
        let bad = NewRoute {
            via: Some(ip("10.0.0.1")),
            ..NewRoute::new(net("10.2.0.0/24"))
        };
        assert!(encode_new(&mut w, &bad, RouteMode::Add).is_err());
    }

    #[test]
    fn change_and_prepend_flags_match_iproute2() {
        // iproute2: change = NLM_F_REPLACE, prepend = NLM_F_CREATE.
        let req = NewRoute::new(net("10.9.0.0/24"));
        for (mode, flags) in [
            (RouteMode::Change, Flags::REQUEST | Flags::REPLACE),
            (RouteMode::Prepend, Flags::REQUEST | Flags::CREATE),
        ] {
            let mut buf = [0u8; 128];
            let mut w = MsgWriter::new(&mut buf);
            let r = encode_new(&mut w, &req, mode).unwrap();
            let (m, _) = Msg::parse(r.msg).unwrap();
            assert_eq!(m.flags(), flags, "{mode:?}");
        }
    }

    #[test]
    fn get_fib_match_sets_the_flag() {
        for dst in ["10.9.0.5", "2001:db8::1"] {
            let mut get = RouteGet::new(ip(dst));
            get.fib_match = true;
            let mut buf = [0u8; 128];
            let mut w = MsgWriter::new(&mut buf);
            let r = encode_get(&mut w, &get).unwrap();
            let (m, _) = Msg::parse(r.msg).unwrap();
            let hdr = m.payload();
            let flags = u32::from_ne_bytes([hdr[8], hdr[9], hdr[10], hdr[11]]);
            assert_ne!(flags & RouteFlags::FIB_MATCH.0, 0, "{dst}");
        }
    }

    #[test]
    fn default_scopes_follow_iproute2() {
        let s = |kind, gw: Option<&str>, dst| {
            NewRoute {
                kind,
                gateway: gw.map(ip),
                ..NewRoute::new(net(dst))
            }
            .effective_scope()
        };
        assert_eq!(s(RouteType::UNICAST, None, "10.0.0.0/8"), Scope::LINK);
        assert_eq!(
            s(RouteType::UNICAST, Some("10.0.0.1"), "10.0.0.0/8"),
            Scope::UNIVERSE
        );
        assert_eq!(s(RouteType::LOCAL, None, "10.0.0.1/32"), Scope::HOST);
        assert_eq!(s(RouteType::BROADCAST, None, "10.0.0.255/32"), Scope::LINK);
        assert_eq!(
            s(RouteType::UNREACHABLE, None, "10.0.0.0/8"),
            Scope::UNIVERSE
        );
        assert_eq!(
            s(RouteType::UNICAST, None, "2001:db8::/32"),
            Scope::UNIVERSE
        );
    }

    #[test]
    fn names_parse_both_ways() {
        assert_eq!(RouteProtocol::parse("dhcp"), Some(RouteProtocol::DHCP));
        assert_eq!(RouteProtocol::parse("186"), Some(RouteProtocol::BGP));
        assert_eq!(RouteProtocol::parse("300"), None);
        assert_eq!(RouteProtocol::BGP.ip_name(), Some("bgp"));
        assert_eq!(RouteType::parse("throw"), Some(RouteType::THROW));
        assert_eq!(RouteType(42).ip_name(), None);
        assert_eq!(Table::parse("main"), Some(Table::MAIN));
        assert_eq!(Table::parse("1000"), Some(Table(1000)));
        assert_eq!(Table(1000).split(), (0, Some(1000)));
        assert_eq!(Table::LOCAL.split(), (255, None));
        assert!(
            (RouteFlags::CLONED | RouteFlags::ONLINK)
                .names()
                .eq(["onlink", "cloned"])
        );
    }

    #[test]
    fn rejects_bad_requests() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let bad = [
            NewRoute {
                gateway: Some(ip("fe80::1")),
                ..NewRoute::new(net("10.0.0.0/8"))
            },
            NewRoute {
                prefsrc: Some(ip("10.0.0.1")),
                ..NewRoute::new(net("2001:db8::/32"))
            },
            NewRoute::new(net("10.0.0.1/8")),
        ];
        for req in &bad {
            assert!(matches!(
                encode_new(&mut w, req, RouteMode::Add),
                Err(EncodeError::Invalid { .. })
            ));
        }
        let mut get = RouteGet::new(ip("10.0.0.1"));
        get.src = Some(ip("::1"));
        assert!(encode_get(&mut w, &get).is_err());
        let del = DelRoute {
            gateway: Some(ip("::1")),
            ..DelRoute::new(net("10.0.0.0/8"))
        };
        assert!(encode_del(&mut w, &del).is_err());
        assert!(w.is_empty());
        // full buffer: rolled back
        let mut small = [0u8; 32];
        let mut w = MsgWriter::new(&mut small);
        assert!(matches!(
            encode_new(&mut w, &NewRoute::new(net("10.0.0.0/8")), RouteMode::Add),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(w.is_empty() && !w.in_message());
    }

    #[test]
    fn never_panics_on_mutations() {
        let all: [&[u8]; 4] = [&GET_REPLY, &SHOW_REPLY, &MULTIPATH, &V6_VIA];
        for m in all.into_iter().flat_map(raw_msgs) {
            hammer(m, |m| {
                let _ = Route::decode(m);
            });
        }
    }

    #[test]
    fn rejects_malformed_messages() {
        // wrong message type
        assert!(matches!(
            Route::decode(&msg(&SHOW)),
            Err(DecodeError::UnexpectedType { .. })
        ));
        // dst_len 24 but no RTA_DST
        let mut b = REPLACE_DEFAULT;
        b[4] = 24;
        b[17] = 24;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::MissingAttr { kind: 1, .. })
        ));
        // dst_len 33
        let mut b = ADD_VIA;
        b[17] = 33;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::OutOfRange { .. })
        ));
        // IPv6 family with a 4-byte RTA_DST
        let mut b = ADD_VIA;
        b[16] = 10;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::AttrSize { .. })
        ));
        // AF_MPLS is refused
        let mut b = ADD_VIA;
        b[16] = 28;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::OutOfRange { .. })
        ));
        // rtnexthop longer than RTA_MULTIPATH
        let mut b = MULTIPATH;
        b[48] = 40;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::BadLength { .. })
        ));
        // short rtmsg
        let mut b = [0u8; 24];
        b[..16].copy_from_slice(&ADD_VIA[..16]);
        b[0] = 24;
        assert!(matches!(
            Route::decode(&msg(&b)),
            Err(DecodeError::Truncated { .. })
        ));
        // malformed descriptive attribute: ignored
        let mut b = V6_VIA;
        b[140] = 4; // RTA_PREF with an empty payload
        let (r, x) = Route::decode_full(&msg(&b)).unwrap();
        assert_eq!(x.pref, None);
        assert_eq!(r.mtu, Some(1400));
    }
}
