//! geneve's vocabulary (`IFLA_GENEVE_*`, `include/uapi/linux/if_link.h`)
//! and its options ([`GeneveOptions`]).

use super::options::{Be16, Be32, Flag, PortRange, kind_options};
use crate::macros::open_enum;
use core::net::{Ipv4Addr, Ipv6Addr};

open_enum! {
    /// A geneve `IFLA_INFO_DATA` attribute (`IFLA_GENEVE_*`).
    pub struct GeneveAttr(u16) {
        /// `IFLA_GENEVE_ID` (u32, 24 bits used).
        ID = 1,
        /// `IFLA_GENEVE_REMOTE` (IPv4).
        REMOTE = 2,
        /// `IFLA_GENEVE_TTL` (u8).
        TTL = 3,
        /// `IFLA_GENEVE_TOS` (u8).
        TOS = 4,
        /// `IFLA_GENEVE_PORT` (be16).
        PORT = 5,
        /// `IFLA_GENEVE_COLLECT_METADATA` (flag).
        COLLECT_METADATA = 6,
        /// `IFLA_GENEVE_REMOTE6` (IPv6).
        REMOTE6 = 7,
        /// `IFLA_GENEVE_UDP_CSUM` (u8).
        UDP_CSUM = 8,
        /// `IFLA_GENEVE_UDP_ZERO_CSUM6_TX` (u8).
        UDP_ZERO_CSUM6_TX = 9,
        /// `IFLA_GENEVE_UDP_ZERO_CSUM6_RX` (u8).
        UDP_ZERO_CSUM6_RX = 10,
        /// `IFLA_GENEVE_LABEL` (be32 flow label).
        LABEL = 11,
        /// `IFLA_GENEVE_TTL_INHERIT` (u8).
        TTL_INHERIT = 12,
        /// `IFLA_GENEVE_DF` (u8: 0 unset, 1 set, 2 inherit).
        DF = 13,
        /// `IFLA_GENEVE_INNER_PROTO_INHERIT` (flag).
        INNER_PROTO_INHERIT = 14,
        /// `IFLA_GENEVE_PORT_RANGE` (two be16).
        PORT_RANGE = 15,
    }
}

kind_options! {
    /// A geneve tunnel's options, in iproute2's order (`ip link add …
    /// type geneve id VNI remote ADDR …`).
    pub struct GeneveOptions: GeneveAttr {
        /// `df unset|set|inherit` (0, 1, 2).
        df: u8 = DF,
        /// `id VNI` (iproute2 sends 0 with `external`).
        id: u32 = ID,
        /// `remote ADDR` (IPv4).
        remote: Ipv4Addr = REMOTE,
        /// `remote ADDR` (IPv6).
        remote6: Ipv6Addr = REMOTE6,
        /// `flowlabel LABEL`.
        label: Be32 = LABEL,
        /// `ttl N` (0 = auto).
        ttl: u8 = TTL,
        /// `ttl inherit`.
        ttl_inherit: u8 = TTL_INHERIT,
        /// `tos N` (1 = inherit).
        tos: u8 = TOS,
        /// `dstport PORT`.
        port: Be16 = PORT,
        /// `external`.
        collect_metadata: Flag = COLLECT_METADATA,
        /// `[no]udpcsum`.
        udp_csum: u8 = UDP_CSUM,
        /// `[no]udp6zerocsumtx`.
        udp_zero_csum6_tx: u8 = UDP_ZERO_CSUM6_TX,
        /// `[no]udp6zerocsumrx`.
        udp_zero_csum6_rx: u8 = UDP_ZERO_CSUM6_RX,
        /// `innerprotoinherit`.
        inner_proto_inherit: Flag = INNER_PROTO_INHERIT,
        /// `srcport LOW HIGH` (Linux 6.15+).
        port_range: PortRange = PORT_RANGE,
    }
}
