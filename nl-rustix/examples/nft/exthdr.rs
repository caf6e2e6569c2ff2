//! Extension headers as nft 1.0.6 names them, as data: the IPv6 extension
//! headers (`exthdr`: hbh, rt, rt0, rt2, srh, frag, dst, mh), TCP options
//! (`tcp option`), IPv4 options (`ip option`) and SCTP chunks (`sctp
//! chunk`), each with its fields (where they sit, of which type). The
//! fields are [`Field`]s like a protocol header's, loaded by `exthdr`
//! instead of `payload`, so matching, masking and listing share
//! `fields.rs`'s code.

use crate::fields::{Field, Loc, Ty};
use nl_rustix::nl_proto::nfnl::nft::ExthdrOp;
use serde_json::{Value, json};

/// One extension header: its JSON key, its name there, the kernel's op
/// and type number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hdr {
    pub(crate) op: ExthdrOp,
    pub(crate) name: &'static str,
    pub(crate) kind: u8,
}

/// The JSON key of an op's expressions.
pub(crate) fn key(op: ExthdrOp) -> &'static str {
    match op {
        ExthdrOp::TCPOPT => "tcp option",
        ExthdrOp::IPV4 => "ip option",
        ExthdrOp::SCTP => "sctp chunk",
        _ => "exthdr",
    }
}

/// The op of a JSON key.
pub(crate) fn op_of(key: &str) -> Option<ExthdrOp> {
    Some(match key {
        "exthdr" => ExthdrOp::IPV6,
        "tcp option" => ExthdrOp::TCPOPT,
        "ip option" => ExthdrOp::IPV4,
        "sctp chunk" => ExthdrOp::SCTP,
        _ => return None,
    })
}

const V6: ExthdrOp = ExthdrOp::IPV6;
const TCP: ExthdrOp = ExthdrOp::TCPOPT;
const IP4: ExthdrOp = ExthdrOp::IPV4;
const SCTP: ExthdrOp = ExthdrOp::SCTP;

const fn h(op: ExthdrOp, name: &'static str, kind: u8) -> Hdr {
    Hdr { op, name, kind }
}

/// Every header, in the order nft prefers a name when several share a
/// type number (rt before srh, rt0, rt2; sack before sack1..3).
pub(crate) const HDRS: &[Hdr] = &[
    h(V6, "hbh", 0),
    h(V6, "rt", 43),
    h(V6, "srh", 43),
    h(V6, "rt0", 43),
    h(V6, "rt2", 43),
    h(V6, "frag", 44),
    h(V6, "dst", 60),
    h(V6, "mh", 135),
    h(TCP, "eol", 0),
    h(TCP, "nop", 1),
    h(TCP, "maxseg", 2),
    h(TCP, "window", 3),
    h(TCP, "sack-perm", 4),
    h(TCP, "sack", 5),
    h(TCP, "sack1", 5),
    h(TCP, "sack2", 5),
    h(TCP, "sack3", 5),
    h(TCP, "timestamp", 8),
    h(TCP, "md5sig", 19),
    h(TCP, "mptcp", 30),
    h(TCP, "fastopen", 34),
    h(IP4, "lsrr", 131),
    h(IP4, "rr", 7),
    h(IP4, "ssrr", 137),
    h(IP4, "ra", 148),
    h(SCTP, "data", 0),
    h(SCTP, "init", 1),
    h(SCTP, "init-ack", 2),
    h(SCTP, "sack", 3),
    h(SCTP, "heartbeat", 4),
    h(SCTP, "heartbeat-ack", 5),
    h(SCTP, "abort", 6),
    h(SCTP, "shutdown", 7),
    h(SCTP, "shutdown-ack", 8),
    h(SCTP, "error", 9),
    h(SCTP, "cookie-echo", 10),
    h(SCTP, "cookie-ack", 11),
    h(SCTP, "ecne", 12),
    h(SCTP, "cwr", 13),
    h(SCTP, "shutdown-complete", 14),
    h(SCTP, "asconf-ack", 128),
    h(SCTP, "forward-tsn", 192),
    h(SCTP, "asconf", 193),
];

/// The header `name` of `op` (nft's input aliases included).
pub(crate) fn hdr(op: ExthdrOp, name: &str) -> Option<&'static Hdr> {
    let name = match (op, name) {
        (TCP, "sack0") => "sack",
        (TCP, "noop") => "nop",
        (TCP, "sack-permitted") => "sack-perm",
        (o, n) => return HDRS.iter().find(|x| x.op == o && x.name == n),
    };
    HDRS.iter().find(|x| x.op == op && x.name == name)
}

/// The header nft names for `op`'s type `kind` (the first of those
/// sharing it).
pub(crate) fn hdr_by_kind(op: ExthdrOp, kind: u8) -> Option<&'static Hdr> {
    HDRS.iter().find(|x| x.op == op && x.kind == kind)
}

const MH_TYPES: &[(u64, &str)] = &[
    (0, "binding-refresh-request"),
    (1, "home-test-init"),
    (2, "careof-test-init"),
    (3, "home-test"),
    (4, "careof-test"),
    (5, "binding-update"),
    (6, "binding-acknowledgement"),
    (7, "binding-error"),
    (8, "fast-binding-update"),
    (9, "fast-binding-acknowledgement"),
    (10, "fast-binding-advertisement"),
    (11, "experimental-mobility-header"),
    (12, "home-agent-switch-message"),
];

const fn x(
    op: ExthdrOp,
    kind: u8,
    proto: &'static str,
    name: &'static str,
    bit: u32,
    bits: u32,
    ty: Ty,
) -> Field {
    Field {
        proto,
        name,
        loc: Loc::Exthdr(op, kind),
        bit,
        bits,
        ty,
    }
}

macro_rules! v6 {
    ($kind:expr, $hdr:expr, $($name:expr, $bit:expr, $bits:expr, $ty:expr);* $(;)?) => {
        [$(x(V6, $kind, $hdr, $name, $bit, $bits, $ty)),*]
    };
}

const I: Ty = Ty::Int;
const P: Ty = Ty::InetProto;

/// Every field of every extension header, as nft 1.0.6 places them
/// (`src/exthdr.c`, `src/tcpopt.c`, `src/ipopt.c`, `src/sctp_chunk.c`).
pub(crate) static FIELDS: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
    let mut v = Vec::new();
    v.extend(v6!(0, "hbh", "nexthdr", 0, 8, P; "hdrlength", 8, 8, I));
    v.extend(
        v6!(43, "rt", "nexthdr", 0, 8, P; "hdrlength", 8, 8, I; "type", 16, 8, I;
        "seg-left", 24, 8, I),
    );
    v.extend(v6!(43, "srh", "last-entry", 32, 8, I; "flags", 40, 8, I; "tag", 48, 16, I));
    for n in 1..=8u32 {
        let name: &'static str = Box::leak(format!("sid[{n}]").into_boxed_str());
        v.push(x(V6, 43, "srh", name, 64 + 128 * (n - 1), 128, Ty::Ipv6));
    }
    v.extend(v6!(43, "rt0", "reserved", 32, 32, I));
    for n in 1..=8u32 {
        let name: &'static str = Box::leak(format!("addr[{n}]").into_boxed_str());
        v.push(x(V6, 43, "rt0", name, 64 + 128 * (n - 1), 128, Ty::Ipv6));
    }
    v.extend(v6!(43, "rt2", "reserved", 32, 32, I; "addr", 64, 128, Ty::Ipv6));
    v.extend(
        v6!(44, "frag", "nexthdr", 0, 8, P; "reserved", 8, 8, I; "frag-off", 16, 13, I;
        "reserved2", 29, 2, I; "more-fragments", 31, 1, I; "id", 32, 32, I),
    );
    v.extend(v6!(60, "dst", "nexthdr", 0, 8, P; "hdrlength", 8, 8, I));
    v.extend(v6!(135, "mh", "nexthdr", 0, 8, P; "hdrlength", 8, 8, I;
        "type", 16, 8, Ty::Named(MH_TYPES); "reserved", 24, 8, I; "checksum", 32, 16, I));
    let tcp = |kind, hdr, name, bit, bits| x(TCP, kind, hdr, name, bit, bits, I);
    for hd in HDRS.iter().filter(|h| h.op == TCP) {
        v.push(tcp(hd.kind, hd.name, "kind", 0, 8));
        if hd.kind > 1 && !matches!(hd.name, "sack1" | "sack2" | "sack3") {
            v.push(tcp(hd.kind, hd.name, "length", 8, 8));
        }
    }
    v.extend([
        tcp(2, "maxseg", "size", 16, 16),
        tcp(3, "window", "count", 16, 8),
        tcp(5, "sack", "left", 16, 32),
        tcp(5, "sack", "right", 48, 32),
        tcp(5, "sack1", "left", 80, 32),
        tcp(5, "sack1", "right", 112, 32),
        tcp(5, "sack2", "left", 144, 32),
        tcp(5, "sack2", "right", 176, 32),
        tcp(5, "sack3", "left", 208, 32),
        tcp(5, "sack3", "right", 240, 32),
        tcp(8, "timestamp", "tsval", 16, 32),
        tcp(8, "timestamp", "tsecr", 48, 32),
        tcp(30, "mptcp", "subtype", 16, 4),
    ]);
    let ip4 = |kind, hdr, name, bit, bits, ty| x(IP4, kind, hdr, name, bit, bits, ty);
    for (kind, hdr) in [(131, "lsrr"), (7, "rr"), (137, "ssrr")] {
        v.extend([
            ip4(kind, hdr, "type", 0, 8, I),
            ip4(kind, hdr, "length", 8, 8, I),
            ip4(kind, hdr, "ptr", 16, 8, I),
            ip4(kind, hdr, "addr", 24, 32, Ty::Ipv4),
        ]);
    }
    v.extend([
        ip4(148, "ra", "type", 0, 8, I),
        ip4(148, "ra", "length", 8, 8, I),
        ip4(148, "ra", "value", 16, 16, I),
    ]);
    for hd in HDRS.iter().filter(|h| h.op == SCTP) {
        let c = |name, bit, bits| x(SCTP, hd.kind, hd.name, name, bit, bits, I);
        v.extend([c("type", 0, 8), c("flags", 8, 8), c("length", 16, 16)]);
        let more: &[(&'static str, u32, u32)] = match hd.name {
            "data" => &[
                ("tsn", 32, 32),
                ("stream", 64, 16),
                ("ssn", 80, 16),
                ("ppid", 96, 32),
            ],
            "init" | "init-ack" => &[
                ("init-tag", 32, 32),
                ("a-rwnd", 64, 32),
                ("num-outbound-streams", 96, 16),
                ("num-inbound-streams", 112, 16),
                ("initial-tsn", 128, 32),
            ],
            "sack" => &[
                ("cum-tsn-ack", 32, 32),
                ("a-rwnd", 64, 32),
                ("num-gap-ack-blocks", 96, 16),
                ("num-dup-tsns", 112, 16),
            ],
            "shutdown" => &[("cum-tsn-ack", 32, 32)],
            "ecne" | "cwr" => &[("lowest-tsn", 32, 32)],
            "asconf-ack" | "asconf" => &[("seqno", 32, 32)],
            "forward-tsn" => &[("new-cum-tsn", 32, 32)],
            _ => &[],
        };
        for &(n, b, l) in more {
            v.push(c(n, b, l));
        }
    }
    v
});

/// The field `field` of header `hdr`.
pub(crate) fn field(h: &Hdr, field: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|f| f.loc == Loc::Exthdr(h.op, h.kind) && f.proto == h.name && f.name == field)
}

/// The field of `op`'s header `kind` that a load of `len` bytes at byte
/// `offset`, masked by `mask`, reads.
pub(crate) fn field_at(
    op: ExthdrOp,
    kind: u8,
    offset: u32,
    len: u32,
    mask: Option<&[u8]>,
) -> Option<&'static Field> {
    FIELDS.iter().find(|f| {
        f.loc == Loc::Exthdr(op, kind)
            && f.load() == (offset, len)
            && match mask {
                None => f.mask().is_none(),
                Some(m) => f.mask().as_deref() == Some(m),
            }
    })
}

/// The JSON of a header's presence test: `{"exthdr": {"name": "hbh"}}`,
/// or nft's raw form for a TCP option it has no name for.
pub(crate) fn presence_json(op: ExthdrOp, kind: u8) -> Value {
    match hdr_by_kind(op, kind) {
        Some(h) => json!({ key(op): {"name": h.name} }),
        None => json!({ key(op): {"base": kind, "offset": 0, "len": 8} }),
    }
}
