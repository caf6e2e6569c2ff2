//! A link's per-family settings (`IFLA_AF_SPEC`): IPv4's and IPv6's
//! configuration arrays (the `sysctl net.ipv4.conf.DEV.*` and
//! `net.ipv6.conf.DEV.*` values), IPv6's flags, token, address generation
//! mode, timers, statistics, and MCTP's network. Kept out of
//! [`Link`](super::Link), which stays small: read it from the same message
//! with [`LinkAfSpec::decode`].

use super::{IfInfoMsg, LinkAttr};
use crate::DecodeError;
use crate::route::common::split_object;
use crate::route::{AddrFamily, RTM_DELLINK, RTM_NEWLINK};
use crate::wire::{Attr, Msg};
use core::net::Ipv6Addr;

/// `IFLA_INET_CONF` inside `AF_INET`.
const INET_CONF: u16 = 1;
/// `IFLA_INET6_*` inside `AF_INET6`.
const INET6_FLAGS: u16 = 1;
const INET6_CONF: u16 = 2;
const INET6_STATS: u16 = 3;
const INET6_MCAST: u16 = 4;
const INET6_CACHEINFO: u16 = 5;
const INET6_ICMP6STATS: u16 = 6;
const INET6_TOKEN: u16 = 7;
const INET6_ADDR_GEN_MODE: u16 = 8;
const INET6_RA_MTU: u16 = 9;
/// `AF_MCTP` and its `IFLA_MCTP_*`.
const AF_MCTP: u16 = 45;
const MCTP_NET: u16 = 1;
const MCTP_PHYS_BINDING: u16 = 2;

/// The most configuration values kept per family (Linux 6.18 sends 33
/// for IPv4 and 60 for IPv6).
pub const DEVCONF_MAX: usize = 80;
/// The most statistics counters kept (`IFLA_INET6_STATS` has 38).
pub const AF_STATS_MAX: usize = 48;

/// A configuration array, in its enum's order: IPv4's value `i` is
/// `IPV4_DEVCONF_*` number `i + 1` (`FORWARDING` = 1 is first); IPv6's
/// value `i` is `DEVCONF_*` number `i` (`FORWARDING` = 0, `HOPLIMIT`,
/// `MTU6`, …).
pub type Devconf = heapless::Vec<u32, DEVCONF_MAX>;
/// A statistics array: counter `i` is number `i` of its enum (`[0]` is the
/// count).
pub type AfStats = heapless::Vec<u64, AF_STATS_MAX>;

/// `AF_INET`'s part of `IFLA_AF_SPEC`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct InetSpec {
    /// `IFLA_INET_CONF`: `net.ipv4.conf.DEV.*` in `IPV4_DEVCONF_*` order.
    pub conf: Option<Devconf>,
}

/// `struct ifla_cacheinfo` of `IFLA_INET6_CACHEINFO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Inet6CacheInfo {
    /// `max_reasm_len`.
    pub max_reasm_len: u32,
    /// `tstamp`: when the interface's IPv6 state last changed (1/100 s).
    pub tstamp: u32,
    /// `reachable_time` (ms).
    pub reachable_time: i32,
    /// `retrans_time` (ms).
    pub retrans_time: u32,
}

/// `AF_INET6`'s part of `IFLA_AF_SPEC`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Inet6Spec {
    /// `IFLA_INET6_FLAGS` (`IF_RA_*`, `IF_READY`).
    pub flags: Option<u32>,
    /// `IFLA_INET6_CONF`: `net.ipv6.conf.DEV.*` in `DEVCONF_*` order.
    pub conf: Option<Devconf>,
    /// `IFLA_INET6_STATS` (`IPSTATS_MIB_*`).
    pub stats: Option<AfStats>,
    /// `IFLA_INET6_MCAST`: defined, never sent by the kernel.
    pub mcast: bool,
    /// `IFLA_INET6_CACHEINFO`.
    pub cacheinfo: Option<Inet6CacheInfo>,
    /// `IFLA_INET6_ICMP6STATS` (`ICMP6_MIB_*`).
    pub icmp6stats: Option<AfStats>,
    /// `IFLA_INET6_TOKEN` (`ip token`; `::` when none is set).
    pub token: Option<Ipv6Addr>,
    /// `IFLA_INET6_ADDR_GEN_MODE` (0 eui64, 1 none, 2 stable_secret, 3
    /// random); also [`Link::addr_gen_mode`](super::Link::addr_gen_mode).
    pub addr_gen_mode: Option<u8>,
    /// `IFLA_INET6_RA_MTU`: the MTU the last router advertisement gave.
    pub ra_mtu: Option<u32>,
}

/// `AF_MCTP`'s part of `IFLA_AF_SPEC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MctpSpec {
    /// `IFLA_MCTP_NET`: the MCTP network of the link.
    pub net: Option<u32>,
    /// `IFLA_MCTP_PHYS_BINDING` (u8).
    pub phys_binding: Option<u8>,
}

/// A link's `IFLA_AF_SPEC`, decoded. Best effort: a malformed value
/// leaves its field `None`; an array longer than its bound too (never cut
/// short).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LinkAfSpec {
    /// `AF_INET`, when the link has IPv4 state.
    pub inet: Option<InetSpec>,
    /// `AF_INET6`, when the link has IPv6 state.
    pub inet6: Option<Inet6Spec>,
    /// `AF_MCTP`, for MCTP links.
    pub mctp: Option<MctpSpec>,
}

fn array<T: Copy, const N: usize, const W: usize>(
    attr: &Attr<'_>,
    from: fn([u8; W]) -> T,
) -> Option<heapless::Vec<T, N>> {
    let p = attr.payload();
    if p.len() % W != 0 {
        return None;
    }
    let mut out = heapless::Vec::new();
    for chunk in p.chunks_exact(W) {
        out.push(from(<[u8; W]>::try_from(chunk).ok()?)).ok()?;
    }
    Some(out)
}

impl LinkAfSpec {
    /// Read it from an `RTM_NEWLINK` (the message [`Link::decode`](super::Link::decode)
    /// reads).
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let mut out = Self::default();
        let spec = attrs
            .map_while(Result::ok)
            .find(|a| a.kind() == LinkAttr::AF_SPEC.0);
        for fam in spec.iter().flat_map(Attr::nested).map_while(Result::ok) {
            let items = || fam.nested().map_while(Result::ok);
            match fam.kind() {
                k if k == u16::from(AddrFamily::INET.0) => {
                    let mut s = InetSpec::default();
                    for a in items() {
                        if a.kind() == INET_CONF {
                            s.conf = array(&a, u32::from_ne_bytes);
                        }
                    }
                    out.inet = Some(s);
                }
                k if k == u16::from(AddrFamily::INET6.0) => {
                    out.inet6 = Some(Self::inet6(items()));
                }
                AF_MCTP => {
                    let mut s = MctpSpec::default();
                    for a in items() {
                        match a.kind() {
                            MCTP_NET => s.net = a.u32().ok(),
                            MCTP_PHYS_BINDING => s.phys_binding = a.u8().ok(),
                            _ => {}
                        }
                    }
                    out.mctp = Some(s);
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn inet6<'a>(items: impl Iterator<Item = Attr<'a>>) -> Inet6Spec {
        let mut s = Inet6Spec::default();
        for a in items {
            match a.kind() {
                INET6_FLAGS => s.flags = a.u32().ok(),
                INET6_CONF => s.conf = array(&a, u32::from_ne_bytes),
                INET6_STATS => s.stats = array(&a, u64::from_ne_bytes),
                INET6_MCAST => s.mcast = true,
                INET6_CACHEINFO => s.cacheinfo = cacheinfo(a.payload()),
                INET6_ICMP6STATS => s.icmp6stats = array(&a, u64::from_ne_bytes),
                INET6_TOKEN => s.token = a.ipv6().ok(),
                INET6_ADDR_GEN_MODE => s.addr_gen_mode = a.u8().ok(),
                INET6_RA_MTU => s.ra_mtu = a.u32().ok(),
                _ => {}
            }
        }
        s
    }
}

fn cacheinfo(p: &[u8]) -> Option<Inet6CacheInfo> {
    let word = |i: usize| -> Option<[u8; 4]> { p.get(i * 4..i * 4 + 4)?.try_into().ok() };
    Some(Inet6CacheInfo {
        max_reasm_len: u32::from_ne_bytes(word(0)?),
        tstamp: u32::from_ne_bytes(word(1)?),
        reachable_time: i32::from_ne_bytes(word(2)?),
        retrans_time: u32::from_ne_bytes(word(3)?),
    })
}
