//! What nft can match on, as data: the header fields of each protocol
//! (where they sit, how long, of which type), the meta and ct keys, and
//! each type's values to and from nft's JSON. Both directions use these
//! tables: `input.rs` to compile a match, `listing.rs` to name a load.

use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::route::link::VlanProtocol;
use nl_rustix::nl_proto::nfnl::nft::{CtKey, ExthdrOp, HeaderField, MetaKey, PayloadBase};
use serde_json::{Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

/// A value type: how its bytes read and how nft prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A number (big-endian in headers, host order in meta and ct).
    Int,
    Ipv4,
    Ipv6,
    Ether,
    /// A NUL-padded interface name (or `ct helper`'s name, nft's other
    /// 16-byte string).
    Ifname,
    /// An IP protocol number, named as in `/etc/protocols`.
    InetProto,
    /// An ethertype (big-endian).
    EtherType,
    /// `ipv4`/`ipv6`.
    NfProto,
    /// Names of a small enumeration.
    Named(&'static [(u64, &'static str)]),
    /// Names of single bits, `op: in` when matched bare.
    Bits(&'static [(u64, &'static str)]),
    /// A host-order number of milliseconds, printed in seconds.
    Millis,
    /// A tc class handle (`meta priority`): `MAJOR:MINOR` in hex, `root`,
    /// `none`.
    TcHandle,
    /// `true`/`false` in one byte (an extension header's presence).
    Bool,
    /// An interface index, named by the namespace's interface.
    Ifindex,
    /// A routing realm, named as in `/etc/iproute2/rt_realms`.
    Realm,
    /// Nanoseconds since the epoch, printed as a UTC date and time.
    Time,
    /// A day of the week, 0 = Sunday.
    Day,
    /// Seconds since midnight, printed as `HH:MM[:SS]`.
    Hour,
}

/// The namespace's interfaces (index, name), for [`Ty::Ifindex`]; set
/// once by `main`, before any rule is compiled or listed.
pub(crate) static LINKS: OnceLock<Vec<(u32, String)>> = OnceLock::new();

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `"YYYY-MM-DD HH:MM[:SS]"` (UTC) as seconds since the epoch.
fn parse_time(t: &str) -> Option<u64> {
    let (date, time) = t.split_once(' ').unwrap_or((t, "00:00"));
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, dd) = (d.next()??, d.next()??, d.next()??);
    let secs = parse_hour(time)?;
    u64::try_from(days_from_civil(y, m, dd) * 86400 + i64::try_from(secs).ok()?).ok()
}

/// `"HH:MM[:SS]"` as seconds since midnight.
fn parse_hour(t: &str) -> Option<u64> {
    let mut it = t.split(':').map(|x| x.parse::<u64>().ok());
    let (h, m) = (it.next()??, it.next()??);
    let s = it.next().flatten().unwrap_or(0);
    (h < 24 && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

fn render_hour(s: u64) -> String {
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    }
}

pub(crate) const ICMP_TYPES: &[(u64, &str)] = &[
    (0, "echo-reply"),
    (3, "destination-unreachable"),
    (4, "source-quench"),
    (5, "redirect"),
    (8, "echo-request"),
    (9, "router-advertisement"),
    (10, "router-solicitation"),
    (11, "time-exceeded"),
    (12, "parameter-problem"),
    (13, "timestamp-request"),
    (14, "timestamp-reply"),
    (15, "info-request"),
    (16, "info-reply"),
    (17, "address-mask-request"),
    (18, "address-mask-reply"),
];

const ICMP6_TYPES: &[(u64, &str)] = &[
    (1, "destination-unreachable"),
    (2, "packet-too-big"),
    (3, "time-exceeded"),
    (4, "parameter-problem"),
    (128, "echo-request"),
    (129, "echo-reply"),
    (130, "mld-listener-query"),
    (131, "mld-listener-report"),
    (132, "mld-listener-done"),
    (133, "nd-router-solicit"),
    (134, "nd-router-advert"),
    (135, "nd-neighbor-solicit"),
    (136, "nd-neighbor-advert"),
    (137, "nd-redirect"),
    (138, "router-renumbering"),
    (141, "ind-neighbor-solicit"),
    (142, "ind-neighbor-advert"),
    (143, "mld2-listener-report"),
];

const ICMP_CODES: &[(u64, &str)] = &[
    (0, "net-unreachable"),
    (1, "host-unreachable"),
    (2, "prot-unreachable"),
    (3, "port-unreachable"),
    (4, "frag-needed"),
    (9, "net-prohibited"),
    (10, "host-prohibited"),
    (13, "admin-prohibited"),
];

const ICMP6_CODES: &[(u64, &str)] = &[
    (0, "no-route"),
    (1, "admin-prohibited"),
    (3, "addr-unreachable"),
    (4, "port-unreachable"),
    (5, "policy-fail"),
    (6, "reject-route"),
];

const DSCP: &[(u64, &str)] = &[
    (0, "cs0"),
    (8, "cs1"),
    (16, "cs2"),
    (24, "cs3"),
    (32, "cs4"),
    (40, "cs5"),
    (48, "cs6"),
    (56, "cs7"),
    (10, "af11"),
    (12, "af12"),
    (14, "af13"),
    (18, "af21"),
    (20, "af22"),
    (22, "af23"),
    (26, "af31"),
    (28, "af32"),
    (30, "af33"),
    (34, "af41"),
    (36, "af42"),
    (38, "af43"),
    (46, "ef"),
];

const ECN: &[(u64, &str)] = &[(0, "not-ect"), (1, "ect1"), (2, "ect0"), (3, "ce")];

const TCP_FLAGS: &[(u64, &str)] = &[
    (0x01, "fin"),
    (0x02, "syn"),
    (0x04, "rst"),
    (0x08, "psh"),
    (0x10, "ack"),
    (0x20, "urg"),
    (0x40, "ecn"),
    (0x80, "cwr"),
];

const ARP_OPS: &[(u64, &str)] = &[
    (1, "request"),
    (2, "reply"),
    (3, "rrequest"),
    (4, "rreply"),
    (8, "inrequest"),
    (9, "inreply"),
    (10, "nak"),
];

const PKTTYPES: &[(u64, &str)] = &[
    (0, "host"),
    (1, "broadcast"),
    (2, "multicast"),
    (3, "other"),
];

/// nft's `arphrd` names (`src/meta.c`): ipip6 is `ARPHRD_TUNNEL6`.
const ARPHRD: &[(u64, &str)] = &[
    (1, "ether"),
    (512, "ppp"),
    (768, "ipip"),
    (769, "ipip6"),
    (772, "loopback"),
    (776, "sit"),
    (778, "ipgre"),
];

const GROUPS: &[(u64, &str)] = &[(0, "default")];

/// `igmp_type` (`src/proto.c`).
const IGMP_TYPES: &[(u64, &str)] = &[
    (0x11, "membership-query"),
    (0x12, "membership-report-v1"),
    (0x16, "membership-report-v2"),
    (0x22, "membership-report-v3"),
    (0x17, "leave-group"),
];

/// `dccp_pkttype` (`src/proto.c`).
const DCCP_TYPES: &[(u64, &str)] = &[
    (0, "request"),
    (1, "response"),
    (2, "data"),
    (3, "ack"),
    (4, "dataack"),
    (5, "closereq"),
    (6, "close"),
    (7, "reset"),
    (8, "sync"),
    (9, "syncack"),
];

const CT_DIRS: &[(u64, &str)] = &[(0, "original"), (1, "reply")];

const CT_STATUS: &[(u64, &str)] = &[
    (1, "expected"),
    (2, "seen-reply"),
    (4, "assured"),
    (8, "confirmed"),
    (16, "snat"),
    (32, "dnat"),
    (512, "dying"),
];

const CT_EVENTS: &[(u64, &str)] = &[
    (1, "new"),
    (2, "related"),
    (4, "destroy"),
    (8, "reply"),
    (16, "assured"),
    (32, "protoinfo"),
    (64, "helper"),
    (128, "mark"),
    (256, "seqadj"),
    (512, "secmark"),
    (1024, "label"),
];

const CT_STATES: &[(u64, &str)] = &[
    (1, "invalid"),
    (2, "established"),
    (4, "related"),
    (8, "new"),
    (64, "untracked"),
];

const ETHER_TYPES: &[(u64, &str)] = &[
    (0x0800, "ip"),
    (0x0806, "arp"),
    (0x86dd, "ip6"),
    (VlanProtocol::DOT1Q.0 as u64, "8021q"),
    (VlanProtocol::DOT1AD.0 as u64, "8021ad"),
];

/// Where a header's bytes are loaded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    /// `payload`, from a header base.
    Payload(PayloadBase),
    /// `exthdr`, from the extension header of this op and type.
    Exthdr(ExthdrOp, u8),
}

/// A header field: `bits` bits at bit `bit` of the header at `loc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) proto: &'static str,
    pub(crate) name: &'static str,
    pub(crate) loc: Loc,
    pub(crate) bit: u32,
    pub(crate) bits: u32,
    pub(crate) ty: Ty,
}

const LL: PayloadBase = PayloadBase::LL_HEADER;
const NH: PayloadBase = PayloadBase::NETWORK_HEADER;
const TH: PayloadBase = PayloadBase::TRANSPORT_HEADER;

const fn f(
    proto: &'static str,
    name: &'static str,
    base: PayloadBase,
    bit: u32,
    bits: u32,
    ty: Ty,
) -> Field {
    Field {
        proto,
        name,
        loc: Loc::Payload(base),
        bit,
        bits,
        ty,
    }
}

/// `ether type`.
pub(crate) const ETHER_TYPE: Field = f(
    "ether",
    "type",
    LL,
    HeaderField::ETHER_TYPE.offset * 8,
    16,
    Ty::EtherType,
);

/// `vlan type` of the outer tag.
pub(crate) const VLAN_TYPE: Field = f(
    "vlan",
    "type",
    LL,
    HeaderField::VLAN_TYPE.offset * 8,
    16,
    Ty::EtherType,
);

/// Every field, as nft 1.0.6 places them (`src/proto.c`).
pub(crate) const FIELDS: &[Field] = &[
    f("ether", "daddr", LL, 0, 48, Ty::Ether),
    f("ether", "saddr", LL, 48, 48, Ty::Ether),
    ETHER_TYPE,
    // The first (outer) 802.1Q tag; an inner tag's fields are these
    // moved by `VLAN_TAG_LEN` per tag (`vlan_at`). `cfi` is nft's old
    // name of `dei` (listed as `dei`, so after it).
    f("vlan", "pcp", LL, 112, 3, Ty::Int),
    f("vlan", "dei", LL, 115, 1, Ty::Int),
    f("vlan", "cfi", LL, 115, 1, Ty::Int),
    f("vlan", "id", LL, 116, 12, Ty::Int),
    VLAN_TYPE,
    f("arp", "htype", NH, 0, 16, Ty::Int),
    f("arp", "ptype", NH, 16, 16, Ty::EtherType),
    f("arp", "hlen", NH, 32, 8, Ty::Int),
    f("arp", "plen", NH, 40, 8, Ty::Int),
    f("arp", "operation", NH, 48, 16, Ty::Named(ARP_OPS)),
    f("ip", "version", NH, 0, 4, Ty::Int),
    f("ip", "hdrlength", NH, 4, 4, Ty::Int),
    f("ip", "dscp", NH, 8, 6, Ty::Named(DSCP)),
    f("ip", "ecn", NH, 14, 2, Ty::Named(ECN)),
    f("ip", "length", NH, 16, 16, Ty::Int),
    f("ip", "id", NH, 32, 16, Ty::Int),
    f("ip", "frag-off", NH, 48, 16, Ty::Int),
    f("ip", "ttl", NH, 64, 8, Ty::Int),
    f("ip", "protocol", NH, 72, 8, Ty::InetProto),
    f("ip", "checksum", NH, 80, 16, Ty::Int),
    f("ip", "saddr", NH, 96, 32, Ty::Ipv4),
    f("ip", "daddr", NH, 128, 32, Ty::Ipv4),
    f("ip6", "version", NH, 0, 4, Ty::Int),
    f("ip6", "dscp", NH, 4, 6, Ty::Named(DSCP)),
    f("ip6", "ecn", NH, 10, 2, Ty::Named(ECN)),
    f("ip6", "flowlabel", NH, 12, 20, Ty::Int),
    f("ip6", "length", NH, 32, 16, Ty::Int),
    f("ip6", "nexthdr", NH, 48, 8, Ty::InetProto),
    f("ip6", "hoplimit", NH, 56, 8, Ty::Int),
    f("ip6", "saddr", NH, 64, 128, Ty::Ipv6),
    f("ip6", "daddr", NH, 192, 128, Ty::Ipv6),
    f("icmp", "type", TH, 0, 8, Ty::Named(ICMP_TYPES)),
    f("icmp", "code", TH, 8, 8, Ty::Named(ICMP_CODES)),
    f("icmp", "checksum", TH, 16, 16, Ty::Int),
    f("icmp", "id", TH, 32, 16, Ty::Int),
    f("icmp", "sequence", TH, 48, 16, Ty::Int),
    f("icmp", "gateway", TH, 32, 32, Ty::Int),
    f("icmp", "mtu", TH, 48, 16, Ty::Int),
    f("icmpv6", "type", TH, 0, 8, Ty::Named(ICMP6_TYPES)),
    f("icmpv6", "code", TH, 8, 8, Ty::Named(ICMP6_CODES)),
    f("icmpv6", "checksum", TH, 16, 16, Ty::Int),
    f("icmpv6", "parameter-problem", TH, 32, 32, Ty::Int),
    f("icmpv6", "mtu", TH, 32, 32, Ty::Int),
    f("icmpv6", "id", TH, 32, 16, Ty::Int),
    f("icmpv6", "sequence", TH, 48, 16, Ty::Int),
    f("icmpv6", "max-delay", TH, 32, 16, Ty::Int),
    f("tcp", "sport", TH, 0, 16, Ty::Int),
    f("tcp", "dport", TH, 16, 16, Ty::Int),
    f("tcp", "sequence", TH, 32, 32, Ty::Int),
    f("tcp", "ackseq", TH, 64, 32, Ty::Int),
    f("tcp", "doff", TH, 96, 4, Ty::Int),
    f("tcp", "reserved", TH, 100, 4, Ty::Int),
    f("tcp", "flags", TH, 104, 8, Ty::Bits(TCP_FLAGS)),
    f("tcp", "window", TH, 112, 16, Ty::Int),
    f("tcp", "checksum", TH, 128, 16, Ty::Int),
    f("tcp", "urgptr", TH, 144, 16, Ty::Int),
    f("udp", "sport", TH, 0, 16, Ty::Int),
    f("udp", "dport", TH, 16, 16, Ty::Int),
    f("udp", "length", TH, 32, 16, Ty::Int),
    f("udp", "checksum", TH, 48, 16, Ty::Int),
    f("udplite", "sport", TH, 0, 16, Ty::Int),
    f("udplite", "dport", TH, 16, 16, Ty::Int),
    f("udplite", "csumcov", TH, 32, 16, Ty::Int),
    f("udplite", "checksum", TH, 48, 16, Ty::Int),
    f("sctp", "sport", TH, 0, 16, Ty::Int),
    f("sctp", "dport", TH, 16, 16, Ty::Int),
    f("sctp", "vtag", TH, 32, 32, Ty::Int),
    f("sctp", "checksum", TH, 64, 32, Ty::Int),
    f("dccp", "sport", TH, 0, 16, Ty::Int),
    f("dccp", "dport", TH, 16, 16, Ty::Int),
    f("dccp", "type", TH, 67, 4, Ty::Named(DCCP_TYPES)),
    f("igmp", "type", TH, 0, 8, Ty::Named(IGMP_TYPES)),
    f("igmp", "mrt", TH, 8, 8, Ty::Int),
    f("igmp", "checksum", TH, 16, 16, Ty::Int),
    f("igmp", "group", TH, 32, 32, Ty::Int),
    f("ah", "nexthdr", TH, 0, 8, Ty::InetProto),
    f("ah", "hdrlength", TH, 8, 8, Ty::Int),
    f("ah", "reserved", TH, 16, 16, Ty::Int),
    f("ah", "spi", TH, 32, 32, Ty::Int),
    f("ah", "sequence", TH, 64, 32, Ty::Int),
    f("esp", "spi", TH, 0, 32, Ty::Int),
    f("esp", "sequence", TH, 32, 32, Ty::Int),
    f("comp", "nexthdr", TH, 0, 8, Ty::InetProto),
    f("comp", "flags", TH, 8, 8, Ty::Int),
    f("comp", "cpi", TH, 16, 16, Ty::Int),
    f("th", "sport", TH, 0, 16, Ty::Int),
    f("th", "dport", TH, 16, 16, Ty::Int),
];

/// The field `proto name`.
pub(crate) fn field(proto: &str, name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|x| x.proto == proto && x.name == name)
}

/// The field of `proto` a load of `len` bytes at byte `offset` of `base`
/// reads, with the mask that selects it (`None`: the whole bytes).
pub(crate) fn field_at(
    proto: &str,
    base: PayloadBase,
    offset: u32,
    len: u32,
    mask: Option<&[u8]>,
) -> Option<&'static Field> {
    FIELDS.iter().find(|x| {
        x.proto == proto
            && x.loc == Loc::Payload(base)
            && x.load() == (offset, len)
            && match mask {
                None => x.mask().is_none(),
                Some(m) => x.mask().as_deref() == Some(m),
            }
    })
}

impl Field {
    /// The bytes nft loads for this field: (offset, length).
    pub(crate) fn load(&self) -> (u32, u32) {
        let start = self.bit / 8;
        let end = (self.bit + self.bits).div_ceil(8);
        (start, end - start)
    }
    /// The mask over the loaded bytes, for a field that is not whole bytes.
    pub(crate) fn mask(&self) -> Option<Vec<u8>> {
        if self.bit % 8 == 0 && self.bits % 8 == 0 {
            return None;
        }
        let (start, len) = self.load();
        let mut m = vec![0u8; len as usize];
        for b in self.bit..self.bit + self.bits {
            let i = (b / 8 - start) as usize;
            m[i] |= 0x80 >> (b % 8);
        }
        Some(m)
    }
    /// The left shift of a value within the loaded bytes.
    pub(crate) fn shift(&self) -> u32 {
        let (start, len) = self.load();
        (start + len) * 8 - (self.bit + self.bits)
    }
    /// The protocol this field depends on.
    pub(crate) fn dep(&self) -> Dep {
        dep_of(self.dep_proto())
    }
    /// The protocol whose dependency this field needs and, listed,
    /// hides: its own for a header field, the network protocol of an
    /// IPv6 extension header or IPv4 option, none for the others.
    pub(crate) fn dep_proto(&self) -> &'static str {
        match self.loc {
            Loc::Payload(_) => self.proto,
            Loc::Exthdr(ExthdrOp::IPV6, _) => "ip6",
            Loc::Exthdr(ExthdrOp::IPV4, _) => "ip",
            Loc::Exthdr(..) => "th",
        }
    }
    /// The payload base of a header field (the transport header for an
    /// extension header's, which has none).
    pub(crate) fn base_payload(&self) -> PayloadBase {
        match self.loc {
            Loc::Payload(b) => b,
            Loc::Exthdr(..) => PayloadBase::TRANSPORT_HEADER,
        }
    }
    /// The left side of a match on this field, as nft writes it.
    pub(crate) fn left_json(&self) -> Value {
        match self.loc {
            Loc::Payload(_) => json!({"payload": {"protocol": self.proto, "field": self.name}}),
            Loc::Exthdr(op, _) => {
                json!({ crate::exthdr::key(op): {"name": self.proto, "field": self.name} })
            }
        }
    }
}

/// The ICMP (ICMPv6) type a field exists in, which nft matches before
/// it (`icmp mtu` only means something in a destination-unreachable).
pub(crate) fn icmp_type_dep(proto: &str, name: &str) -> Option<u8> {
    Some(match (proto, name) {
        ("icmp", "mtu") => 3,
        ("icmp", "gateway") => 5,
        ("icmpv6", "mtu") => 2,
        ("icmpv6", "max-delay") => 130,
        ("icmpv6", "parameter-problem") => 4,
        _ => return None,
    })
}

/// What nft makes sure of before it loads a protocol's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dep {
    None,
    /// A network protocol: its `meta nfproto` (inet) and ethertype
    /// (bridge, netdev).
    L3(u8, u16),
    /// A transport protocol: `meta l4proto`.
    L4(u8),
    /// A link-layer header: `meta iiftype` outside bridge.
    Ether,
    /// An 802.1Q tag: `ether type 8021q` unless the rule has announced
    /// a tag.
    Vlan,
}

const VLAN_TAG_LEN: u32 = HeaderField::VLAN_TAG_LEN;

/// Whether an ethertype announces an 802.1Q tag after it (`8021q`,
/// `8021ad`).
pub(crate) fn is_vlan_ethertype(data: &[u8]) -> bool {
    <[u8; 2]>::try_from(data).is_ok_and(|b| {
        let p = VlanProtocol(u16::from_be_bytes(b));
        p == VlanProtocol::DOT1Q || p == VlanProtocol::DOT1AD
    })
}

/// Field `f` of the `depth`-th 802.1Q tag (1 is the outer one; other
/// fields as they are).
pub(crate) fn vlan_at(f: &'static Field, depth: u32) -> &'static Field {
    if f.proto != "vlan" || depth <= 1 {
        return f;
    }
    Box::leak(Box::new(Field {
        bit: f.bit + (depth - 1) * VLAN_TAG_LEN * 8,
        ..*f
    }))
}

pub(crate) fn dep_of(proto: &str) -> Dep {
    match proto {
        "ip" => Dep::L3(2, 0x0800),
        "ip6" => Dep::L3(10, 0x86dd),
        "arp" => Dep::L3(3, 0x0806),
        "ether" => Dep::Ether,
        "vlan" => Dep::Vlan,
        "th" => Dep::None,
        p => proto_number(p).map_or(Dep::None, Dep::L4),
    }
}

/// The table family's own network protocol.
pub(crate) fn family_l3(fam: NfProto) -> Option<&'static str> {
    match fam {
        NfProto::IPV4 => Some("ip"),
        NfProto::IPV6 => Some("ip6"),
        NfProto::ARP => Some("arp"),
        _ => None,
    }
}

/// `/etc/iproute2/rt_realms`, as nft reads it (number, name).
fn realms() -> &'static Vec<(u32, String)> {
    static R: OnceLock<Vec<(u32, String)>> = OnceLock::new();
    R.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/iproute2/rt_realms").unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let mut it = l.split('#').next()?.split_whitespace();
                let n = it.next()?;
                let n = match n.strip_prefix("0x") {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => n.parse().ok()?,
                };
                Some((n, it.next()?.to_string()))
            })
            .collect()
    })
}

/// `/etc/protocols`, as nft reads it (names for numbers), with the usual
/// names when the file is missing.
fn protocols() -> &'static Vec<(u8, String)> {
    static P: OnceLock<Vec<(u8, String)>> = OnceLock::new();
    P.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/protocols").unwrap_or_default();
        let mut v: Vec<(u8, String)> = text
            .lines()
            .filter_map(|l| {
                let l = l.split('#').next()?;
                let mut it = l.split_whitespace();
                let name = it.next()?;
                let n: u8 = it.next()?.parse().ok()?;
                Some((n, name.to_string()))
            })
            .collect();
        if v.is_empty() {
            for (n, s) in [
                (1, "icmp"),
                (6, "tcp"),
                (17, "udp"),
                (58, "ipv6-icmp"),
                (132, "sctp"),
            ] {
                v.push((n, s.to_string()));
            }
        }
        v
    })
}

pub(crate) fn proto_name(n: u8) -> Option<&'static str> {
    protocols()
        .iter()
        .find(|(x, _)| *x == n)
        .map(|(_, s)| s.as_str())
}

pub(crate) fn proto_number(name: &str) -> Option<u8> {
    // nft's names where /etc/protocols has others.
    let name = match name {
        "icmpv6" => "ipv6-icmp",
        "comp" => "ipcomp",
        n => n,
    };
    protocols().iter().find(|(_, s)| s == name).map(|(n, _)| *n)
}

/// A meta key nft names: (name, key, type, length).
pub(crate) const METAS: &[(&str, MetaKey, Ty, u32)] = &[
    ("length", MetaKey::LEN, Ty::Int, 4),
    ("iif", MetaKey::IIF, Ty::Ifindex, 4),
    ("oif", MetaKey::OIF, Ty::Ifindex, 4),
    ("sdif", MetaKey::SDIF, Ty::Ifindex, 4),
    ("time", MetaKey::TIME_NS, Ty::Time, 8),
    ("day", MetaKey::TIME_DAY, Ty::Day, 1),
    ("hour", MetaKey::TIME_HOUR, Ty::Hour, 4),
    ("protocol", MetaKey::PROTOCOL, Ty::EtherType, 2),
    ("priority", MetaKey::PRIORITY, Ty::TcHandle, 4),
    ("mark", MetaKey::MARK, Ty::Int, 4),
    ("iifname", MetaKey::IIFNAME, Ty::Ifname, 16),
    ("oifname", MetaKey::OIFNAME, Ty::Ifname, 16),
    ("iiftype", MetaKey::IIFTYPE, Ty::Named(ARPHRD), 2),
    ("oiftype", MetaKey::OIFTYPE, Ty::Named(ARPHRD), 2),
    ("skuid", MetaKey::SKUID, Ty::Int, 4),
    ("skgid", MetaKey::SKGID, Ty::Int, 4),
    ("nftrace", MetaKey::NFTRACE, Ty::Int, 1),
    ("rtclassid", MetaKey::RTCLASSID, Ty::Realm, 4),
    ("nfproto", MetaKey::NFPROTO, Ty::NfProto, 1),
    ("l4proto", MetaKey::L4PROTO, Ty::InetProto, 1),
    ("ibrname", MetaKey::BRI_IIFNAME, Ty::Ifname, 16),
    ("obrname", MetaKey::BRI_OIFNAME, Ty::Ifname, 16),
    ("pkttype", MetaKey::PKTTYPE, Ty::Named(PKTTYPES), 1),
    ("cpu", MetaKey::CPU, Ty::Int, 4),
    ("iifgroup", MetaKey::IIFGROUP, Ty::Named(GROUPS), 4),
    ("oifgroup", MetaKey::OIFGROUP, Ty::Named(GROUPS), 4),
    ("cgroup", MetaKey::CGROUP, Ty::Int, 4),
    ("random", MetaKey::PRANDOM, Ty::Int, 4),
    ("iifkind", MetaKey::IIFKIND, Ty::Ifname, 16),
    ("oifkind", MetaKey::OIFKIND, Ty::Ifname, 16),
    ("ibrpvid", MetaKey::BRI_IIFPVID, Ty::Int, 2),
    ("ibrvproto", MetaKey::BRI_IIFVPROTO, Ty::EtherType, 2),
    ("sdifname", MetaKey::SDIFNAME, Ty::Ifname, 16),
];

pub(crate) fn meta(name: &str) -> Option<(MetaKey, Ty, u32)> {
    METAS
        .iter()
        .find(|m| m.0 == name)
        .map(|&(_, k, t, l)| (k, t, l))
}

pub(crate) fn meta_by_key(key: MetaKey) -> Option<(&'static str, Ty, u32)> {
    METAS
        .iter()
        .find(|m| m.1 == key)
        .map(|&(n, _, t, l)| (n, t, l))
}

/// A ct key nft names: (name, key, type, length). Lengths 0: the
/// family's address length.
pub(crate) const CTS: &[(&str, CtKey, Ty, u32)] = &[
    ("state", CtKey::STATE, Ty::Bits(CT_STATES), 4),
    ("event", CtKey::EVENTMASK, Ty::Bits(CT_EVENTS), 4),
    ("direction", CtKey::DIRECTION, Ty::Named(CT_DIRS), 1),
    ("status", CtKey::STATUS, Ty::Bits(CT_STATUS), 4),
    ("mark", CtKey::MARK, Ty::Int, 4),
    ("secmark", CtKey::SECMARK, Ty::Int, 4),
    ("expiration", CtKey::EXPIRATION, Ty::Millis, 4),
    ("l3proto", CtKey::L3PROTOCOL, Ty::NfProto, 1),
    ("protocol", CtKey::PROTOCOL, Ty::InetProto, 1),
    ("proto-src", CtKey::PROTO_SRC, Ty::Int, 2),
    ("proto-dst", CtKey::PROTO_DST, Ty::Int, 2),
    ("packets", CtKey::PKTS, Ty::Int, 8),
    ("bytes", CtKey::BYTES, Ty::Int, 8),
    ("avgpkt", CtKey::AVGPKT, Ty::Int, 8),
    ("zone", CtKey::ZONE, Ty::Int, 2),
    ("id", CtKey::ID, Ty::Int, 4),
    ("helper", CtKey::HELPER, Ty::Ifname, 16),
    ("ip saddr", CtKey::SRC_IP, Ty::Ipv4, 4),
    ("ip daddr", CtKey::DST_IP, Ty::Ipv4, 4),
    ("ip6 saddr", CtKey::SRC_IP6, Ty::Ipv6, 16),
    ("ip6 daddr", CtKey::DST_IP6, Ty::Ipv6, 16),
];

pub(crate) fn ct(name: &str) -> Option<(CtKey, Ty, u32)> {
    CTS.iter()
        .find(|m| m.0 == name)
        .map(|&(_, k, t, l)| (k, t, l))
}

pub(crate) fn ct_by_key(key: CtKey) -> Option<(&'static str, Ty, u32)> {
    CTS.iter()
        .find(|m| m.1 == key)
        .map(|&(n, _, t, l)| (n, t, l))
}

fn number(b: &[u8], host: bool) -> u64 {
    if host {
        b.iter().rev().fold(0, |a, &x| (a << 8) | u64::from(x))
    } else {
        b.iter().fold(0, |a, &x| (a << 8) | u64::from(x))
    }
}

fn to_bytes(n: u64, len: usize, host: bool) -> Option<Vec<u8>> {
    if len < 8 && n >> (len * 8) != 0 {
        return None;
    }
    let be = n.to_be_bytes();
    let mut v = be[8 - len.min(8)..].to_vec();
    if host {
        v.reverse();
    }
    Some(v)
}

/// Parse a number as nft's JSON gives it (a number, or a string like
/// `"0x10"`).
fn num(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => match s.strip_prefix("0x") {
            Some(h) => u64::from_str_radix(h, 16).ok(),
            None => s.parse().ok(),
        },
        _ => None,
    }
}

impl Ty {
    /// A JSON value as `len` bytes of this type (a field's value before
    /// it is shifted into place); numbers in host order if `host` (meta
    /// and ct keys), else big-endian (header fields).
    pub(crate) fn encode(self, v: &Value, len: usize, host: bool) -> Result<Vec<u8>, String> {
        let bad = || format!("bad value {v}");
        let named = |names: &[(u64, &str)]| -> Option<u64> {
            match v.as_str() {
                Some(s) => names
                    .iter()
                    .find(|(_, n)| *n == s)
                    .map(|(x, _)| *x)
                    .or_else(|| num(v)),
                None => num(v),
            }
        };
        let out = match self {
            Ty::Int => to_bytes(num(v).ok_or_else(bad)?, len, host),
            Ty::Ifindex => {
                let n = match v.as_str() {
                    Some(name) => LINKS
                        .get()
                        .and_then(|l| l.iter().find(|(_, n)| n == name))
                        .map(|(i, _)| u64::from(*i))
                        .or_else(|| name.parse().ok())
                        .ok_or_else(|| format!("interface \"{name}\" does not exist"))?,
                    None => num(v).ok_or_else(bad)?,
                };
                to_bytes(n, len, host)
            }
            Ty::Time => {
                let secs = match v.as_str() {
                    Some(t) => parse_time(t).ok_or_else(bad)?,
                    None => num(v).ok_or_else(bad)?,
                };
                to_bytes(secs * 1_000_000_000, len, host)
            }
            Ty::Day => {
                let n = match v.as_str() {
                    Some(d) => DAYS.iter().position(|x| *x == d).map(|p| p as u64),
                    None => num(v).filter(|&n| n < 7),
                };
                to_bytes(n.ok_or_else(bad)?, len, host)
            }
            Ty::Hour => {
                let n = match v.as_str() {
                    Some(h) => parse_hour(h).ok_or_else(bad)?,
                    None => num(v).ok_or_else(bad)?,
                };
                to_bytes(n, len, host)
            }
            Ty::Bool => match v {
                Value::Bool(b) => to_bytes(u64::from(*b), len, host),
                _ => num(v)
                    .filter(|&n| n <= 1)
                    .and_then(|n| to_bytes(n, len, host)),
            },
            Ty::Realm => {
                let n = match v.as_str() {
                    Some(name) => realms()
                        .iter()
                        .find(|(_, r)| r == name)
                        .map(|(n, _)| u64::from(*n))
                        .or_else(|| num(v)),
                    None => num(v),
                };
                to_bytes(n.ok_or_else(bad)?, len, host)
            }
            Ty::Millis => to_bytes(num(v).ok_or_else(bad)? * 1000, len, host),
            Ty::TcHandle => {
                let n = match v.as_str() {
                    Some("root") => Some(0xffff_ffff),
                    Some("none") => Some(0),
                    Some(t) if t.contains(':') => {
                        let (maj, min) = t.split_once(':').ok_or_else(bad)?;
                        let h = |x: &str| u64::from_str_radix(x, 16).ok().filter(|&x| x <= 0xffff);
                        let maj = if maj.is_empty() { Some(0) } else { h(maj) };
                        maj.zip(h(min)).map(|(a, b)| (a << 16) | b)
                    }
                    _ => num(v),
                };
                to_bytes(n.ok_or_else(bad)?, len, host)
            }
            Ty::Ipv4 => v
                .as_str()
                .and_then(|s| s.parse::<Ipv4Addr>().ok())
                .map(|a| a.octets().to_vec()),
            Ty::Ipv6 => v
                .as_str()
                .and_then(|s| s.parse::<Ipv6Addr>().ok())
                .map(|a| a.octets().to_vec()),
            Ty::Ether => {
                let s = v.as_str().ok_or_else(bad)?;
                let b: Result<Vec<u8>, _> =
                    s.split(':').map(|x| u8::from_str_radix(x, 16)).collect();
                b.ok().filter(|b| b.len() == 6)
            }
            Ty::Ifname => {
                let s = v.as_str().ok_or_else(bad)?;
                // A trailing `*` is a wildcard: nft compares the bytes
                // before it only (no NUL). `\*` is a `*` of the name.
                let (name, wildcard) = match s.strip_suffix('*') {
                    Some(p) if !p.ends_with('\\') => (p.to_string(), true),
                    _ => (s.replace("\\*", "*"), false),
                };
                if name.len() >= 16 {
                    return Err(format!("unsupported interface name \"{s}\""));
                }
                if wildcard {
                    return Ok(name.into_bytes());
                }
                let mut b = vec![0u8; 16];
                b[..name.len()].copy_from_slice(name.as_bytes());
                Some(b)
            }
            Ty::InetProto => {
                let n = match v.as_str() {
                    Some(s) => proto_number(s).map(u64::from).or_else(|| num(v)),
                    None => num(v),
                };
                to_bytes(n.ok_or_else(bad)?, len, false)
            }
            Ty::EtherType => to_bytes(named(ETHER_TYPES).ok_or_else(bad)?, len, false),
            Ty::NfProto => match v.as_str() {
                Some("ipv4") => Some(vec![2]),
                Some("ipv6") => Some(vec![10]),
                _ => None,
            },
            Ty::Named(names) => to_bytes(named(names).ok_or_else(bad)?, len, host),
            Ty::Bits(names) => {
                let one = |x: &Value| -> Option<u64> {
                    x.as_str()
                        .and_then(|s| names.iter().find(|(_, n)| *n == s).map(|(b, _)| *b))
                        .or_else(|| num(x))
                };
                let n = match v {
                    Value::Array(a) => a.iter().try_fold(0, |acc, x| one(x).map(|b| acc | b)),
                    _ => one(v),
                };
                to_bytes(n.ok_or_else(bad)?, len, host)
            }
        };
        out.ok_or_else(bad)
    }

    /// Bytes of this type as nft prints them (`host` as for
    /// [`Ty::encode`]).
    pub(crate) fn render(self, b: &[u8], host: bool) -> Option<Value> {
        let n = || number(b, host);
        Some(match self {
            Ty::Int => json!(n()),
            Ty::Bool => json!(n() != 0),
            Ty::Ifindex => {
                let i = n();
                match LINKS
                    .get()
                    .and_then(|l| l.iter().find(|(x, _)| u64::from(*x) == i))
                {
                    Some((_, name)) => json!(name),
                    None => json!(i.to_string()),
                }
            }
            Ty::Realm => {
                let x = n();
                match realms().iter().find(|(r, _)| u64::from(*r) == x) {
                    Some((_, name)) => json!(name),
                    None => json!(x),
                }
            }
            Ty::Time => {
                let secs = i64::try_from(n() / 1_000_000_000).ok()?;
                let (y, m, d) = civil_from_days(secs.div_euclid(86400));
                let t = secs.rem_euclid(86400);
                json!(format!(
                    "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
                    t / 3600,
                    t / 60 % 60,
                    t % 60
                ))
            }
            Ty::Day => match DAYS.get(usize::try_from(n()).ok()?) {
                Some(d) => json!(d),
                None => json!(n()),
            },
            Ty::Hour => json!(render_hour(n())),
            Ty::Millis => json!(n() / 1000),
            Ty::TcHandle => match n() {
                0xffff_ffff => json!("root"),
                0 => json!("none"),
                x => json!(format!("{:x}:{:x}", x >> 16, x & 0xffff)),
            },
            Ty::Ipv4 => json!(Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?).to_string()),
            Ty::Ipv6 => json!(Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string()),
            Ty::Ether => {
                if b.len() != 6 {
                    return None;
                }
                let s: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
                json!(s.join(":"))
            }
            Ty::Ifname => {
                let s = std::str::from_utf8(b.split(|&c| c == 0).next()?).ok()?;
                let s = s.replace('*', "\\*");
                // Shorter than a name and not NUL-ended: a wildcard.
                if !b.contains(&0) && b.len() < 16 {
                    json!(format!("{s}*"))
                } else {
                    json!(s)
                }
            }
            Ty::InetProto => {
                let x = n();
                u8::try_from(x)
                    .ok()
                    .and_then(proto_name)
                    .map_or(json!(x), |s| json!(s))
            }
            Ty::EtherType => {
                let x = number(b, false);
                ETHER_TYPES
                    .iter()
                    .find(|(v, _)| *v == x)
                    .map_or(json!(x), |(_, s)| json!(s))
            }
            Ty::NfProto => match b {
                [2] => json!("ipv4"),
                [10] => json!("ipv6"),
                _ => json!(n()),
            },
            Ty::Named(names) => {
                let x = n();
                names
                    .iter()
                    .find(|(v, _)| *v == x)
                    .map_or(json!(x), |(_, s)| json!(s))
            }
            Ty::Bits(names) => {
                let x = n();
                let set: Vec<&str> = names
                    .iter()
                    .filter(|(v, _)| x & v != 0)
                    .map(|(_, s)| *s)
                    .collect();
                let known: u64 = names.iter().map(|(v, _)| v).sum();
                if x & !known != 0 || set.is_empty() {
                    json!(x)
                } else if set.len() == 1 {
                    json!(set[0])
                } else {
                    json!(set)
                }
            }
        })
    }
}
