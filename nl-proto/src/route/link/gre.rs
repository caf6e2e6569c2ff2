//! The GRE family's vocabulary (`IFLA_GRE_*`, `include/uapi/linux/if_tunnel.h`)
//! and options ([`GreOptions`]) for `gre`, `gretap`, `erspan`, `ip6gre`,
//! `ip6gretap` and `ip6erspan`.

use super::options::{Be16, Be32, Flag, kind_options};
use crate::macros::open_enum;
use core::net::IpAddr;

open_enum! {
    /// A GRE `IFLA_INFO_DATA` attribute (`IFLA_GRE_*`).
    pub struct GreAttr(u16) {
        /// `IFLA_GRE_LINK` (u32): the underlay interface.
        LINK = 1,
        /// `IFLA_GRE_IFLAGS` (be16 `GRE_*` bits: csum, key, seq).
        IFLAGS = 2,
        /// `IFLA_GRE_OFLAGS` (be16).
        OFLAGS = 3,
        /// `IFLA_GRE_IKEY` (be32).
        IKEY = 4,
        /// `IFLA_GRE_OKEY` (be32).
        OKEY = 5,
        /// `IFLA_GRE_LOCAL` (4 or 16 bytes).
        LOCAL = 6,
        /// `IFLA_GRE_REMOTE` (4 or 16 bytes).
        REMOTE = 7,
        /// `IFLA_GRE_TTL` (u8; hop limit for IPv6).
        TTL = 8,
        /// `IFLA_GRE_TOS` (u8).
        TOS = 9,
        /// `IFLA_GRE_PMTUDISC` (u8).
        PMTUDISC = 10,
        /// `IFLA_GRE_ENCAP_LIMIT` (u8, IPv6).
        ENCAP_LIMIT = 11,
        /// `IFLA_GRE_FLOWINFO` (be32, IPv6: traffic class and flow label).
        FLOWINFO = 12,
        /// `IFLA_GRE_FLAGS` (u32 `IP6_TNL_F_*`, IPv6).
        FLAGS = 13,
        /// `IFLA_GRE_ENCAP_TYPE` (u16: none, fou, gue).
        ENCAP_TYPE = 14,
        /// `IFLA_GRE_ENCAP_FLAGS` (u16).
        ENCAP_FLAGS = 15,
        /// `IFLA_GRE_ENCAP_SPORT` (be16).
        ENCAP_SPORT = 16,
        /// `IFLA_GRE_ENCAP_DPORT` (be16).
        ENCAP_DPORT = 17,
        /// `IFLA_GRE_COLLECT_METADATA` (flag).
        COLLECT_METADATA = 18,
        /// `IFLA_GRE_IGNORE_DF` (u8).
        IGNORE_DF = 19,
        /// `IFLA_GRE_FWMARK` (u32).
        FWMARK = 20,
        /// `IFLA_GRE_ERSPAN_INDEX` (u32).
        ERSPAN_INDEX = 21,
        /// `IFLA_GRE_ERSPAN_VER` (u8).
        ERSPAN_VER = 22,
        /// `IFLA_GRE_ERSPAN_DIR` (u8).
        ERSPAN_DIR = 23,
        /// `IFLA_GRE_ERSPAN_HWID` (u16).
        ERSPAN_HWID = 24,
    }
}

/// `GRE_CSUM` in `IFLA_GRE_IFLAGS`/`OFLAGS` (host order here).
pub const GRE_CSUM: u16 = 0x8000;
/// `GRE_KEY`.
pub const GRE_KEY: u16 = 0x2000;
/// `GRE_SEQ`.
pub const GRE_SEQ: u16 = 0x1000;

kind_options! {
    /// A GRE tunnel's options, in iproute2's order (its `gre_parse_opt`
    /// and `gre6_parse_opt` write a fixed sequence, whatever the order of
    /// the words).
    pub struct GreOptions: GreAttr {
        /// `ikey KEY`.
        ikey: Be32 = IKEY,
        /// `okey KEY`.
        okey: Be32 = OKEY,
        /// `icsum`, `ikey`, `iseq` bits ([`GRE_CSUM`], [`GRE_KEY`], [`GRE_SEQ`]).
        iflags: Be16 = IFLAGS,
        /// `ocsum`, `okey`, `oseq` bits.
        oflags: Be16 = OFLAGS,
        /// `local ADDR`.
        local: IpAddr = LOCAL,
        /// `remote ADDR`.
        remote: IpAddr = REMOTE,
        /// `[no]pmtudisc` (IPv4).
        pmtudisc: u8 = PMTUDISC,
        /// `[no]ignore-df` (IPv4).
        ignore_df: u8 = IGNORE_DF,
        /// `tos N` (IPv4).
        tos: u8 = TOS,
        /// `dev NAME`.
        link: u32 = LINK,
        /// `ttl N` / `hoplimit N`.
        ttl: u8 = TTL,
        /// `encaplimit N` (IPv6).
        encap_limit: u8 = ENCAP_LIMIT,
        /// `tclass`, `flowlabel` (IPv6).
        flowinfo: Be32 = FLOWINFO,
        /// `IP6_TNL_F_*` (IPv6).
        flags: u32 = FLAGS,
        /// `fwmark N`.
        fwmark: u32 = FWMARK,
        /// `erspan_ver N`.
        erspan_ver: u8 = ERSPAN_VER,
        /// `erspan IDX` (ERSPAN v1).
        erspan_index: u32 = ERSPAN_INDEX,
        /// `erspan_dir ingress|egress` (v2).
        erspan_dir: u8 = ERSPAN_DIR,
        /// `erspan_hwid N` (v2).
        erspan_hwid: u16 = ERSPAN_HWID,
        /// `encap none|fou|gue`.
        encap_type: u16 = ENCAP_TYPE,
        /// `[no]encap-csum`, `[no]encap-remcsum` bits.
        encap_flags: u16 = ENCAP_FLAGS,
        /// `encap-sport PORT`.
        encap_sport: Be16 = ENCAP_SPORT,
        /// `encap-dport PORT`.
        encap_dport: Be16 = ENCAP_DPORT,
        /// `external`.
        collect_metadata: Flag = COLLECT_METADATA,
    }
}
