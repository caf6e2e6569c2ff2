//! The words of nf_tables expressions as open enums (a named constant for
//! each value the kernel defines, any other value still representable):
//! payload bases and the header fields nft names, meta and ct keys, cmp
//! and range operators, verdict codes, and the kinds of reject, nat and
//! limit.
//!
//! ```
//! use nl_proto::nfnl::nft::{CmpOp, HeaderField, MetaKey, PayloadBase, VerdictCode};
//! assert_eq!(HeaderField::TCP_DPORT.base, PayloadBase::TRANSPORT_HEADER);
//! assert_eq!((HeaderField::TCP_DPORT.offset, HeaderField::TCP_DPORT.len), (2, 2));
//! assert_eq!(MetaKey::L4PROTO.0, 16);
//! // `vlan type` of the second (inner) 802.1Q tag:
//! assert_eq!(HeaderField::VLAN_TYPE.offset + HeaderField::VLAN_TAG_LEN, 20);
//! assert_eq!(CmpOp::NEQ.symbol(), Some("!="));
//! assert_eq!(VerdictCode::JUMP.0, -3);
//! ```

use crate::macros::open_enum;

open_enum! {
    /// Where a payload offset counts from (`enum nft_payload_bases`).
    pub struct PayloadBase(u32) {
        /// `NFT_PAYLOAD_LL_HEADER`: the link-layer header (`@ll`).
        LL_HEADER = 0,
        /// `NFT_PAYLOAD_NETWORK_HEADER`: the network header (`@nh`).
        NETWORK_HEADER = 1,
        /// `NFT_PAYLOAD_TRANSPORT_HEADER`: the transport header (`@th`).
        TRANSPORT_HEADER = 2,
        /// `NFT_PAYLOAD_INNER_HEADER`: what follows the transport header
        /// (`@ih`).
        INNER_HEADER = 3,
        /// `NFT_PAYLOAD_TUN_HEADER`: a tunnel's header.
        TUN_HEADER = 4,
    }
}

/// A header field as nft names it (`tcp dport`, `ip saddr`): where a
/// payload load reads it. Sub-byte fields (`ip dscp`, `tcp flags` bits)
/// are loaded as their bytes and masked, as nft does; only the
/// byte-aligned ones are here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderField {
    /// The header.
    pub base: PayloadBase,
    /// Byte offset in it.
    pub offset: u32,
    /// Byte length.
    pub len: u32,
}

const fn field(base: PayloadBase, offset: u32, len: u32) -> HeaderField {
    HeaderField { base, offset, len }
}

const LL: PayloadBase = PayloadBase::LL_HEADER;
const NH: PayloadBase = PayloadBase::NETWORK_HEADER;
const TH: PayloadBase = PayloadBase::TRANSPORT_HEADER;

impl HeaderField {
    /// `ether daddr`.
    pub const ETHER_DADDR: Self = field(LL, 0, 6);
    /// `ether saddr`.
    pub const ETHER_SADDR: Self = field(LL, 6, 6);
    /// `ether type`.
    pub const ETHER_TYPE: Self = field(LL, 12, 2);
    /// The outer 802.1Q tag's control information (`vlan pcp`, `vlan
    /// dei`, `vlan id`: 3, 1 and 12 bits), right after `ether type`; an
    /// inner tag's is [`HeaderField::VLAN_TAG_LEN`] bytes further per tag.
    pub const VLAN_TCI: Self = field(LL, 14, 2);
    /// `vlan type`: the ethertype after the outer 802.1Q tag.
    pub const VLAN_TYPE: Self = field(LL, 16, 2);
    /// The length of one 802.1Q tag (TCI and type), by which an inner
    /// tag's fields are further into the link-layer header.
    pub const VLAN_TAG_LEN: u32 = 4;
    /// `arp htype`.
    pub const ARP_HTYPE: Self = field(NH, 0, 2);
    /// `arp ptype`.
    pub const ARP_PTYPE: Self = field(NH, 2, 2);
    /// `arp hlen`.
    pub const ARP_HLEN: Self = field(NH, 4, 1);
    /// `arp plen`.
    pub const ARP_PLEN: Self = field(NH, 5, 1);
    /// `arp operation`.
    pub const ARP_OPERATION: Self = field(NH, 6, 2);
    /// `ip length`.
    pub const IP_LENGTH: Self = field(NH, 2, 2);
    /// `ip id`.
    pub const IP_ID: Self = field(NH, 4, 2);
    /// `ip frag-off`.
    pub const IP_FRAG_OFF: Self = field(NH, 6, 2);
    /// `ip ttl`.
    pub const IP_TTL: Self = field(NH, 8, 1);
    /// `ip protocol`.
    pub const IP_PROTOCOL: Self = field(NH, 9, 1);
    /// `ip checksum`.
    pub const IP_CHECKSUM: Self = field(NH, 10, 2);
    /// `ip saddr`.
    pub const IP_SADDR: Self = field(NH, 12, 4);
    /// `ip daddr`.
    pub const IP_DADDR: Self = field(NH, 16, 4);
    /// `ip6 length`.
    pub const IP6_LENGTH: Self = field(NH, 4, 2);
    /// `ip6 nexthdr`.
    pub const IP6_NEXTHDR: Self = field(NH, 6, 1);
    /// `ip6 hoplimit`.
    pub const IP6_HOPLIMIT: Self = field(NH, 7, 1);
    /// `ip6 saddr`.
    pub const IP6_SADDR: Self = field(NH, 8, 16);
    /// `ip6 daddr`.
    pub const IP6_DADDR: Self = field(NH, 24, 16);
    /// `icmp type` (also `icmpv6 type`).
    pub const ICMP_TYPE: Self = field(TH, 0, 1);
    /// `icmp code` (also `icmpv6 code`).
    pub const ICMP_CODE: Self = field(TH, 1, 1);
    /// `icmp checksum` (also `icmpv6 checksum`).
    pub const ICMP_CHECKSUM: Self = field(TH, 2, 2);
    /// `icmp id` (also `icmpv6 id`).
    pub const ICMP_ID: Self = field(TH, 4, 2);
    /// `icmp sequence` (also `icmpv6 sequence`).
    pub const ICMP_SEQUENCE: Self = field(TH, 6, 2);
    /// `th sport`, `tcp sport`, `udp sport`, `sctp sport`, ...
    pub const TH_SPORT: Self = field(TH, 0, 2);
    /// `th dport`, `tcp dport`, `udp dport`, `sctp dport`, ...
    pub const TH_DPORT: Self = field(TH, 2, 2);
    /// `tcp sport`.
    pub const TCP_SPORT: Self = Self::TH_SPORT;
    /// `tcp dport`.
    pub const TCP_DPORT: Self = Self::TH_DPORT;
    /// `tcp sequence`.
    pub const TCP_SEQUENCE: Self = field(TH, 4, 4);
    /// `tcp ackseq`.
    pub const TCP_ACKSEQ: Self = field(TH, 8, 4);
    /// `tcp flags`.
    pub const TCP_FLAGS: Self = field(TH, 13, 1);
    /// `tcp window`.
    pub const TCP_WINDOW: Self = field(TH, 14, 2);
    /// `tcp checksum`.
    pub const TCP_CHECKSUM: Self = field(TH, 16, 2);
    /// `tcp urgptr`.
    pub const TCP_URGPTR: Self = field(TH, 18, 2);
    /// `udp sport`.
    pub const UDP_SPORT: Self = Self::TH_SPORT;
    /// `udp dport`.
    pub const UDP_DPORT: Self = Self::TH_DPORT;
    /// `udp length`.
    pub const UDP_LENGTH: Self = field(TH, 4, 2);
    /// `udp checksum`.
    pub const UDP_CHECKSUM: Self = field(TH, 6, 2);
    /// `sctp vtag`.
    pub const SCTP_VTAG: Self = field(TH, 4, 4);
    /// `sctp checksum`.
    pub const SCTP_CHECKSUM: Self = field(TH, 8, 4);
}

open_enum! {
    /// A packet metadata key (`enum nft_meta_keys`).
    pub struct MetaKey(u32) {
        /// `NFT_META_LEN`: `meta length`.
        LEN = 0,
        /// `NFT_META_PROTOCOL`: `meta protocol` (the ethertype).
        PROTOCOL = 1,
        /// `NFT_META_PRIORITY`: `meta priority`.
        PRIORITY = 2,
        /// `NFT_META_MARK`: `meta mark`.
        MARK = 3,
        /// `NFT_META_IIF`: `meta iif` (an index).
        IIF = 4,
        /// `NFT_META_OIF`: `meta oif`.
        OIF = 5,
        /// `NFT_META_IIFNAME`: `meta iifname`.
        IIFNAME = 6,
        /// `NFT_META_OIFNAME`: `meta oifname`.
        OIFNAME = 7,
        /// `NFT_META_IIFTYPE`: `meta iiftype`.
        IIFTYPE = 8,
        /// `NFT_META_OIFTYPE`: `meta oiftype`.
        OIFTYPE = 9,
        /// `NFT_META_SKUID`: `meta skuid`.
        SKUID = 10,
        /// `NFT_META_SKGID`: `meta skgid`.
        SKGID = 11,
        /// `NFT_META_NFTRACE`: `meta nftrace`.
        NFTRACE = 12,
        /// `NFT_META_RTCLASSID`: `meta rtclassid`.
        RTCLASSID = 13,
        /// `NFT_META_SECMARK`: `meta secmark`.
        SECMARK = 14,
        /// `NFT_META_NFPROTO`: `meta nfproto` (ipv4, ipv6).
        NFPROTO = 15,
        /// `NFT_META_L4PROTO`: `meta l4proto` (tcp, udp, ...).
        L4PROTO = 16,
        /// `NFT_META_BRI_IIFNAME`: `meta ibrname`.
        BRI_IIFNAME = 17,
        /// `NFT_META_BRI_OIFNAME`: `meta obrname`.
        BRI_OIFNAME = 18,
        /// `NFT_META_PKTTYPE`: `meta pkttype`.
        PKTTYPE = 19,
        /// `NFT_META_CPU`: `meta cpu`.
        CPU = 20,
        /// `NFT_META_IIFGROUP`: `meta iifgroup`.
        IIFGROUP = 21,
        /// `NFT_META_OIFGROUP`: `meta oifgroup`.
        OIFGROUP = 22,
        /// `NFT_META_CGROUP`: `meta cgroup`.
        CGROUP = 23,
        /// `NFT_META_PRANDOM`: `meta random`.
        PRANDOM = 24,
        /// `NFT_META_SECPATH`: `meta ipsec`.
        SECPATH = 25,
        /// `NFT_META_IIFKIND`: `meta iifkind`.
        IIFKIND = 26,
        /// `NFT_META_OIFKIND`: `meta oifkind`.
        OIFKIND = 27,
        /// `NFT_META_BRI_IIFPVID`: `meta ibrpvid`.
        BRI_IIFPVID = 28,
        /// `NFT_META_BRI_IIFVPROTO`: `meta ibrvproto`.
        BRI_IIFVPROTO = 29,
        /// `NFT_META_TIME_NS`: `meta time`.
        TIME_NS = 30,
        /// `NFT_META_TIME_DAY`: `meta day`.
        TIME_DAY = 31,
        /// `NFT_META_TIME_HOUR`: `meta hour`.
        TIME_HOUR = 32,
        /// `NFT_META_SDIF`: `meta sdif`.
        SDIF = 33,
        /// `NFT_META_SDIFNAME`: `meta sdifname`.
        SDIFNAME = 34,
    }
}

open_enum! {
    /// A conntrack key (`enum nft_ct_keys`).
    pub struct CtKey(u32) {
        /// `NFT_CT_STATE`: `ct state` (a bit mask of [`CtKey::STATE_ESTABLISHED`] and the others).
        STATE = 0,
        /// `NFT_CT_DIRECTION`: `ct direction`.
        DIRECTION = 1,
        /// `NFT_CT_STATUS`: `ct status`.
        STATUS = 2,
        /// `NFT_CT_MARK`: `ct mark`.
        MARK = 3,
        /// `NFT_CT_SECMARK`: `ct secmark`.
        SECMARK = 4,
        /// `NFT_CT_EXPIRATION`: `ct expiration` (ms).
        EXPIRATION = 5,
        /// `NFT_CT_HELPER`: `ct helper`.
        HELPER = 6,
        /// `NFT_CT_L3PROTOCOL`: `ct l3proto`.
        L3PROTOCOL = 7,
        /// `NFT_CT_SRC`: `ct saddr` (either family; deprecated).
        SRC = 8,
        /// `NFT_CT_DST`: `ct daddr` (either family; deprecated).
        DST = 9,
        /// `NFT_CT_PROTOCOL`: `ct protocol`.
        PROTOCOL = 10,
        /// `NFT_CT_PROTO_SRC`: `ct proto-src`.
        PROTO_SRC = 11,
        /// `NFT_CT_PROTO_DST`: `ct proto-dst`.
        PROTO_DST = 12,
        /// `NFT_CT_LABELS`: `ct label`.
        LABELS = 13,
        /// `NFT_CT_PKTS`: `ct packets`.
        PKTS = 14,
        /// `NFT_CT_BYTES`: `ct bytes`.
        BYTES = 15,
        /// `NFT_CT_AVGPKT`: `ct avgpkt`.
        AVGPKT = 16,
        /// `NFT_CT_ZONE`: `ct zone`.
        ZONE = 17,
        /// `NFT_CT_EVENTMASK`: `ct event`.
        EVENTMASK = 18,
        /// `NFT_CT_SRC_IP`: `ct ip saddr`.
        SRC_IP = 19,
        /// `NFT_CT_DST_IP`: `ct ip daddr`.
        DST_IP = 20,
        /// `NFT_CT_SRC_IP6`: `ct ip6 saddr`.
        SRC_IP6 = 21,
        /// `NFT_CT_DST_IP6`: `ct ip6 daddr`.
        DST_IP6 = 22,
        /// `NFT_CT_ID`: `ct id`.
        ID = 23,
    }
}

impl CtKey {
    /// `ct state invalid`'s bit (`NF_CT_STATE_INVALID_BIT`).
    pub const STATE_INVALID: u32 = 1;
    /// `ct state established` (`IP_CT_ESTABLISHED` + 1).
    pub const STATE_ESTABLISHED: u32 = 1 << 1;
    /// `ct state related`.
    pub const STATE_RELATED: u32 = 1 << 2;
    /// `ct state new`.
    pub const STATE_NEW: u32 = 1 << 3;
    /// `ct state untracked` (`NF_CT_STATE_UNTRACKED_BIT`).
    pub const STATE_UNTRACKED: u32 = 1 << 6;
}

open_enum! {
    /// A `cmp` operator (`enum nft_cmp_ops`).
    pub struct CmpOp(u32) {
        /// `NFT_CMP_EQ`: `==`.
        EQ = 0,
        /// `NFT_CMP_NEQ`: `!=`.
        NEQ = 1,
        /// `NFT_CMP_LT`: `<`.
        LT = 2,
        /// `NFT_CMP_LTE`: `<=`.
        LTE = 3,
        /// `NFT_CMP_GT`: `>`.
        GT = 4,
        /// `NFT_CMP_GTE`: `>=`.
        GTE = 5,
    }
}

impl CmpOp {
    /// The operator as nft writes it (`==`, `!=`, `<`, `<=`, `>`, `>=`).
    pub const fn symbol(self) -> Option<&'static str> {
        Some(match self {
            Self::EQ => "==",
            Self::NEQ => "!=",
            Self::LT => "<",
            Self::LTE => "<=",
            Self::GT => ">",
            Self::GTE => ">=",
            _ => return None,
        })
    }

    /// The operator nft writes as `s`.
    pub fn by_symbol(s: &str) -> Option<Self> {
        Some(match s {
            "==" => Self::EQ,
            "!=" => Self::NEQ,
            "<" => Self::LT,
            "<=" => Self::LTE,
            ">" => Self::GT,
            ">=" => Self::GTE,
            _ => return None,
        })
    }
}

open_enum! {
    /// A `range` operator (`enum nft_range_ops`).
    pub struct RangeOp(u32) {
        /// `NFT_RANGE_EQ`: inside.
        EQ = 0,
        /// `NFT_RANGE_NEQ`: outside.
        NEQ = 1,
    }
}

open_enum! {
    /// A verdict code: netfilter's (`NF_DROP`, `NF_ACCEPT`, ...) and
    /// nf_tables' own (`enum nft_verdicts`), a signed 32-bit value.
    pub struct VerdictCode(i32) {
        /// `NF_DROP`.
        DROP = 0,
        /// `NF_ACCEPT`.
        ACCEPT = 1,
        /// `NF_STOLEN`.
        STOLEN = 2,
        /// `NF_QUEUE`.
        QUEUE = 3,
        /// `NF_REPEAT`.
        REPEAT = 4,
        /// `NF_STOP` (deprecated).
        STOP = 5,
        /// `NFT_CONTINUE`: go on with the rule.
        CONTINUE = -1,
        /// `NFT_BREAK`: stop this rule.
        BREAK = -2,
        /// `NFT_JUMP`: to a chain, and come back.
        JUMP = -3,
        /// `NFT_GOTO`: to a chain, for good.
        GOTO = -4,
        /// `NFT_RETURN`: back to the calling chain.
        RETURN = -5,
    }
}

open_enum! {
    /// How `reject` answers (`enum nft_reject_types`).
    pub struct RejectType(u32) {
        /// `NFT_REJECT_ICMP_UNREACH`: an ICMP (or ICMPv6) unreachable.
        ICMP_UNREACH = 0,
        /// `NFT_REJECT_TCP_RST`: a TCP reset.
        TCP_RST = 1,
        /// `NFT_REJECT_ICMPX_UNREACH`: an unreachable of the packet's
        /// family, with an `NFT_REJECT_ICMPX_*` code.
        ICMPX_UNREACH = 2,
    }
}

open_enum! {
    /// Which address `nat` rewrites (`enum nft_nat_types`).
    pub struct NatType(u32) {
        /// `NFT_NAT_SNAT`.
        SNAT = 0,
        /// `NFT_NAT_DNAT`.
        DNAT = 1,
    }
}

open_enum! {
    /// What `limit` counts (`enum nft_limit_type`).
    pub struct LimitType(u32) {
        /// `NFT_LIMIT_PKTS`: packets.
        PKTS = 0,
        /// `NFT_LIMIT_PKT_BYTES`: bytes.
        PKT_BYTES = 1,
    }
}
