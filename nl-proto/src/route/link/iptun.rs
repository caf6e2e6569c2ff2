//! The IP-in-IP family's vocabulary (`IFLA_IPTUN_*`,
//! `include/uapi/linux/if_tunnel.h`) and options for `ipip` and `sit`
//! ([`IptunOptions`]) and for `ip6tnl` ([`Ip6tnlOptions`], whose flags are
//! 32 bits wide and whose attributes iproute2 writes in another order).

use super::options::{Be16, Be32, Flag, kind_options};
use crate::macros::open_enum;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

open_enum! {
    /// An `IFLA_INFO_DATA` attribute of ipip, sit and ip6tnl
    /// (`IFLA_IPTUN_*`).
    pub struct IptunAttr(u16) {
        /// `IFLA_IPTUN_LINK` (u32).
        LINK = 1,
        /// `IFLA_IPTUN_LOCAL`.
        LOCAL = 2,
        /// `IFLA_IPTUN_REMOTE`.
        REMOTE = 3,
        /// `IFLA_IPTUN_TTL` (u8).
        TTL = 4,
        /// `IFLA_IPTUN_TOS` (u8).
        TOS = 5,
        /// `IFLA_IPTUN_ENCAP_LIMIT` (u8).
        ENCAP_LIMIT = 6,
        /// `IFLA_IPTUN_FLOWINFO` (be32).
        FLOWINFO = 7,
        /// `IFLA_IPTUN_FLAGS` (u16 for sit, u32 for ip6tnl).
        FLAGS = 8,
        /// `IFLA_IPTUN_PROTO` (u8: `IPPROTO_IPIP`, `IPPROTO_IPV6`, 0 any).
        PROTO = 9,
        /// `IFLA_IPTUN_PMTUDISC` (u8).
        PMTUDISC = 10,
        /// `IFLA_IPTUN_6RD_PREFIX` (IPv6).
        SIXRD_PREFIX = 11,
        /// `IFLA_IPTUN_6RD_RELAY_PREFIX` (IPv4).
        SIXRD_RELAY_PREFIX = 12,
        /// `IFLA_IPTUN_6RD_PREFIXLEN` (u16).
        SIXRD_PREFIXLEN = 13,
        /// `IFLA_IPTUN_6RD_RELAY_PREFIXLEN` (u16).
        SIXRD_RELAY_PREFIXLEN = 14,
        /// `IFLA_IPTUN_ENCAP_TYPE` (u16).
        ENCAP_TYPE = 15,
        /// `IFLA_IPTUN_ENCAP_FLAGS` (u16).
        ENCAP_FLAGS = 16,
        /// `IFLA_IPTUN_ENCAP_SPORT` (be16).
        ENCAP_SPORT = 17,
        /// `IFLA_IPTUN_ENCAP_DPORT` (be16).
        ENCAP_DPORT = 18,
        /// `IFLA_IPTUN_COLLECT_METADATA` (flag).
        COLLECT_METADATA = 19,
        /// `IFLA_IPTUN_FWMARK` (u32).
        FWMARK = 20,
    }
}

kind_options! {
    /// An ipip or sit tunnel's options, in iproute2's order.
    pub struct IptunOptions: IptunAttr {
        /// `mode ipip|ip6ip|mplsip|any` (an `IPPROTO_*`).
        proto: u8 = PROTO,
        /// `local ADDR`.
        local: Ipv4Addr = LOCAL,
        /// `remote ADDR`.
        remote: Ipv4Addr = REMOTE,
        /// `[no]pmtudisc`.
        pmtudisc: u8 = PMTUDISC,
        /// `tos N`.
        tos: u8 = TOS,
        /// `ttl N`.
        ttl: u8 = TTL,
        /// `dev NAME`.
        link: u32 = LINK,
        /// `fwmark N`.
        fwmark: u32 = FWMARK,
        /// `encap none|fou|gue`.
        encap_type: u16 = ENCAP_TYPE,
        /// Encapsulation flag bits.
        encap_flags: u16 = ENCAP_FLAGS,
        /// `encap-sport PORT`.
        encap_sport: Be16 = ENCAP_SPORT,
        /// `encap-dport PORT`.
        encap_dport: Be16 = ENCAP_DPORT,
        /// `isatap` (sit: `SIT_ISATAP`).
        flags: u16 = FLAGS,
        /// `6rd-prefix PREFIX` (sit).
        sixrd_prefix: Ipv6Addr = SIXRD_PREFIX,
        /// `6rd-relay_prefix PREFIX` (sit).
        sixrd_relay_prefix: Ipv4Addr = SIXRD_RELAY_PREFIX,
        /// The 6rd prefix length (sit).
        sixrd_prefixlen: u16 = SIXRD_PREFIXLEN,
        /// The 6rd relay prefix length (sit).
        sixrd_relay_prefixlen: u16 = SIXRD_RELAY_PREFIXLEN,
        /// `external`.
        collect_metadata: Flag = COLLECT_METADATA,
    }
}

kind_options! {
    /// An ip6tnl tunnel's options, in iproute2's order.
    pub struct Ip6tnlOptions: IptunAttr {
        /// `mode ip6ip6|ipip6|any` (an `IPPROTO_*`).
        proto: u8 = PROTO,
        /// `local ADDR`.
        local: IpAddr = LOCAL,
        /// `remote ADDR`.
        remote: IpAddr = REMOTE,
        /// `hoplimit N`.
        ttl: u8 = TTL,
        /// `encaplimit N`.
        encap_limit: u8 = ENCAP_LIMIT,
        /// `tclass`, `flowlabel`.
        flowinfo: Be32 = FLOWINFO,
        /// `IP6_TNL_F_*`.
        flags: u32 = FLAGS,
        /// `dev NAME`.
        link: u32 = LINK,
        /// `fwmark N`.
        fwmark: u32 = FWMARK,
        /// `encap none|fou|gue`.
        encap_type: u16 = ENCAP_TYPE,
        /// Encapsulation flag bits.
        encap_flags: u16 = ENCAP_FLAGS,
        /// `encap-sport PORT`.
        encap_sport: Be16 = ENCAP_SPORT,
        /// `encap-dport PORT`.
        encap_dport: Be16 = ENCAP_DPORT,
        /// `external`.
        collect_metadata: Flag = COLLECT_METADATA,
    }
}
