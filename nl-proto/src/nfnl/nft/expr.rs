//! nf_tables rule expressions: one `NFTA_LIST_ELEM` of a rule's
//! `NFTA_RULE_EXPRESSIONS`, `{ NFTA_EXPR_NAME (string), NFTA_EXPR_DATA
//! (nested, per expression) }`.
//!
//! [`Expr::decode`] decodes the expressions common rulesets use and keeps
//! anything else — an unknown name, or a known one using attributes this
//! crate does not model (payload writes, for example) — as
//! [`Expr::Unknown`] with its raw bytes, so a rule always decodes and
//! re-encodes unchanged. Values are borrowed from the message.
//!
//! Attribute numbers come from `include/uapi/linux/netfilter/nf_tables.h`.

use super::exthdr::Exthdr;
use super::loads::{Fib, Numgen, Osf, Rt, Socket, Xfrm};
use super::objref::{FlowOffload, Objref};
use super::stmts::{Connlimit, Dup, Fwd, Hash, PayloadWrite, Synproxy, Tproxy};
use super::words::{
    CmpOp, CtKey, HeaderField, LimitType, MetaKey, NatType, PayloadBase, RangeOp, RejectType,
    VerdictCode,
};
use crate::wire::{Attr, AttrTable, Attrs, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `NFTA_LIST_ELEM`: one element of a list (an expression of a rule).
pub const NFTA_LIST_ELEM: u16 = 1;
const EXPR_NAME: u16 = 1;
const EXPR_DATA: u16 = 2;
const DATA_VALUE: u16 = 1;
const DATA_VERDICT: u16 = 2;
const VERDICT_CODE: u16 = 1;
const VERDICT_CHAIN: u16 = 2;

/// `NFT_REG_VERDICT`: the verdict register.
pub const NFT_REG_VERDICT: u32 = 0;
/// `NFT_REG_1`: the first 128-bit data register (nft's usual choice).
pub const NFT_REG_1: u32 = 1;

/// A verdict, with the target chain for jump and goto.
///
/// ```
/// use nl_proto::nfnl::nft::{Verdict, VerdictCode};
/// assert_eq!(Verdict::ACCEPT.code, VerdictCode::ACCEPT);
/// assert_eq!(Verdict::jump("next").chain, Some("next"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// The code (`NFTA_VERDICT_CODE`, a big-endian signed 32-bit value).
    pub code: VerdictCode,
    /// The target chain (`NFTA_VERDICT_CHAIN`).
    pub chain: Option<&'a str>,
}

impl<'a> Verdict<'a> {
    /// `accept`.
    pub const ACCEPT: Self = Self::plain(VerdictCode::ACCEPT);
    /// `drop`.
    pub const DROP: Self = Self::plain(VerdictCode::DROP);
    /// `continue`.
    pub const CONTINUE: Self = Self::plain(VerdictCode::CONTINUE);
    /// `return`.
    pub const RETURN: Self = Self::plain(VerdictCode::RETURN);

    const fn plain(code: VerdictCode) -> Self {
        Self { code, chain: None }
    }

    /// `jump CHAIN`.
    pub const fn jump(chain: &'a str) -> Self {
        Self {
            code: VerdictCode::JUMP,
            chain: Some(chain),
        }
    }

    /// `goto CHAIN`.
    pub const fn goto(chain: &'a str) -> Self {
        Self {
            code: VerdictCode::GOTO,
            chain: Some(chain),
        }
    }
}

/// The data of an immediate: a register value or a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data<'a> {
    /// `NFTA_DATA_VALUE`: raw bytes, in network order for addresses/ports.
    Value(&'a [u8]),
    /// `NFTA_DATA_VERDICT`.
    Verdict(Verdict<'a>),
}

impl<'a> Data<'a> {
    /// Write this as the content of an `NFTA_DATA` nest (an immediate's
    /// data, a set element's key or data).
    pub(crate) fn emit_inner(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match *self {
            Data::Value(v) => w.put(DATA_VALUE, v),
            Data::Verdict(v) => w.nested(DATA_VERDICT, |w| {
                w.put_be32(VERDICT_CODE, u32::from_ne_bytes(v.code.0.to_ne_bytes()))?;
                match v.chain {
                    Some(c) => w.put_str(VERDICT_CHAIN, c),
                    None => Ok(()),
                }
            }),
        }
    }

    /// Read the content of an `NFTA_DATA` nest: one value or one verdict.
    pub(crate) fn decode_nest(nest: Attr<'a>) -> Option<Self> {
        let mut it = nest.nested();
        let a = it.next()?.ok()?;
        if it.next().is_some() {
            return None;
        }
        match a.kind() {
            DATA_VALUE => Some(Data::Value(a.payload())),
            DATA_VERDICT => verdict(a).map(Data::Verdict),
            _ => None,
        }
    }
}

/// `payload`: load `len` bytes at `offset` of header `base` into `dreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload {
    /// Destination register (`NFTA_PAYLOAD_DREG`).
    pub dreg: u32,
    /// The header the offset counts from.
    pub base: PayloadBase,
    /// Byte offset in that header.
    pub offset: u32,
    /// Byte length.
    pub len: u32,
}

impl Payload {
    /// Load header field `f` into `dreg`.
    ///
    /// ```
    /// use nl_proto::nfnl::nft::{HeaderField, NFT_REG_1, Payload};
    /// let p = Payload::load(HeaderField::IP_SADDR, NFT_REG_1);
    /// assert_eq!((p.offset, p.len), (12, 4));
    /// ```
    pub const fn load(f: HeaderField, dreg: u32) -> Self {
        Self {
            dreg,
            base: f.base,
            offset: f.offset,
            len: f.len,
        }
    }
}

/// `meta`: load packet metadata `key` (`NFT_META_*`) into `dreg`, or set
/// it from `sreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// The key (`NFTA_META_KEY`).
    pub key: MetaKey,
    /// Destination register (a load).
    pub dreg: Option<u32>,
    /// Source register (a set).
    pub sreg: Option<u32>,
}

/// `cmp`: compare register `sreg` with `data` using `op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cmp<'a> {
    /// Source register.
    pub sreg: u32,
    /// Operator.
    pub op: CmpOp,
    /// The value (`NFTA_CMP_DATA`'s `NFTA_DATA_VALUE`).
    pub data: &'a [u8],
}

/// `bitwise` (boolean form): `dreg = (sreg & mask) ^ xor` over `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bitwise<'a> {
    /// Source register.
    pub sreg: u32,
    /// Destination register.
    pub dreg: u32,
    /// Byte length.
    pub len: u32,
    /// Mask value.
    pub mask: &'a [u8],
    /// Xor value.
    pub xor: &'a [u8],
}

/// `byteorder`: convert `len` bytes of `sreg`, in units of `size` bytes,
/// between host and network order into `dreg` (nft adds it before
/// comparing a host-order value by magnitude).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Byteorder {
    /// Source register.
    pub sreg: u32,
    /// Destination register.
    pub dreg: u32,
    /// `NFT_BYTEORDER_NTOH` 0 or `NFT_BYTEORDER_HTON` 1.
    pub op: u32,
    /// Byte length.
    pub len: u32,
    /// Unit size in bytes (2, 4 or 8).
    pub size: u32,
}

/// `quota`: match until `bytes` have passed (or, with
/// [`NFT_QUOTA_F_INV`], once they have).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quota {
    /// The quota (`NFTA_QUOTA_BYTES`).
    pub bytes: u64,
    /// `NFTA_QUOTA_FLAGS`.
    pub flags: u32,
    /// Bytes used so far (`NFTA_QUOTA_CONSUMED`).
    pub consumed: u64,
}

/// `NFT_QUOTA_F_INV`: `quota over`.
pub const NFT_QUOTA_F_INV: u32 = 1;

/// `NFT_BYTEORDER_HTON`: host to network order.
pub const NFT_BYTEORDER_HTON: u32 = 1;

/// `lookup`: is register `sreg` in set `set` (or, with `dreg`, map it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup<'a> {
    /// Set name (`NFTA_LOOKUP_SET`); anonymous sets are `__set%d`.
    pub set: &'a str,
    /// Source register.
    pub sreg: u32,
    /// Destination register, for maps.
    pub dreg: Option<u32>,
    /// Batch-local set id (`NFTA_LOOKUP_SET_ID`) for a set added in the
    /// same batch.
    pub set_id: Option<u32>,
    /// `NFT_LOOKUP_F_INV` (1): match when *not* in the set.
    pub flags: Option<u32>,
}

/// `counter`: packets and bytes (zero when absent, as nft sends them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    /// Bytes (`NFTA_COUNTER_BYTES`).
    pub bytes: u64,
    /// Packets (`NFTA_COUNTER_PACKETS`).
    pub packets: u64,
}

/// `immediate`: load `data` into `dreg` (register 0: a verdict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Immediate<'a> {
    /// Destination register.
    pub dreg: u32,
    /// Value or verdict.
    pub data: Data<'a>,
}

/// `limit`: `rate` per `unit` seconds with `burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Rate (`NFTA_LIMIT_RATE`).
    pub rate: u64,
    /// Unit in seconds (`NFTA_LIMIT_UNIT`): 1, 60, 3600, 86400, 604800.
    pub unit: u64,
    /// Burst (`NFTA_LIMIT_BURST`).
    pub burst: u32,
    /// Packets or bytes.
    pub kind: LimitType,
    /// `NFT_LIMIT_F_INV` (1): `over`.
    pub flags: u32,
}

/// `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Log<'a> {
    /// Prefix (`NFTA_LOG_PREFIX`).
    pub prefix: Option<&'a str>,
    /// nflog group (`NFTA_LOG_GROUP`, big-endian `u16`).
    pub group: Option<u16>,
    /// Bytes of the packet copied to nflog (`NFTA_LOG_SNAPLEN`).
    pub snaplen: Option<u32>,
    /// Packets nflog queues before sending (`NFTA_LOG_QTHRESHOLD`,
    /// big-endian `u16`).
    pub qthreshold: Option<u16>,
    /// Syslog level (`NFTA_LOG_LEVEL`).
    pub level: Option<u32>,
    /// `NF_LOG_*` flags (`NFTA_LOG_FLAGS`).
    pub flags: Option<u32>,
}

/// `reject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reject {
    /// How it answers.
    pub kind: RejectType,
    /// The ICMP (or `NFT_REJECT_ICMPX_*`) code.
    pub icmp_code: u8,
}

/// `nat`: snat/dnat to the address/port in the given registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nat {
    /// Source or destination.
    pub kind: NatType,
    /// `NFPROTO_IPV4` 2 or `NFPROTO_IPV6` 10.
    pub family: u32,
    /// Register holding the lowest address.
    pub reg_addr_min: Option<u32>,
    /// Register holding the highest address.
    pub reg_addr_max: Option<u32>,
    /// Register holding the lowest port.
    pub reg_proto_min: Option<u32>,
    /// Register holding the highest port.
    pub reg_proto_max: Option<u32>,
    /// `NF_NAT_RANGE_*` flags.
    pub flags: Option<u32>,
}

/// `masq`: masquerade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Masq {
    /// `NF_NAT_RANGE_*` flags.
    pub flags: Option<u32>,
    /// Register holding the lowest port.
    pub reg_proto_min: Option<u32>,
    /// Register holding the highest port.
    pub reg_proto_max: Option<u32>,
}

/// `redir`: redirect to the local machine (`redirect`), optionally to
/// the port (range) in the given registers. The same fields as [`Masq`],
/// at other attribute numbers (`NFTA_REDIR_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redir {
    /// Register holding the lowest port.
    pub reg_proto_min: Option<u32>,
    /// Register holding the highest port.
    pub reg_proto_max: Option<u32>,
    /// `NF_NAT_RANGE_*` flags.
    pub flags: Option<u32>,
}

/// `range`: is `sreg` within `[from, to]` ([`RangeOp::EQ`]) or outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range<'a> {
    /// Source register.
    pub sreg: u32,
    /// Inside or outside.
    pub op: RangeOp,
    /// Low bound.
    pub from: &'a [u8],
    /// High bound.
    pub to: &'a [u8],
}

/// `ct`: load conntrack `key` into `dreg`, or set it from `sreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ct {
    /// Key.
    pub key: CtKey,
    /// Destination register (a load).
    pub dreg: Option<u32>,
    /// Source register (a set).
    pub sreg: Option<u32>,
    /// Direction (`NFTA_CT_DIRECTION`, `u8`), for keys that need one.
    pub direction: Option<u8>,
}

/// One rule expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expr<'a> {
    /// `payload` (load).
    Payload(Payload),
    /// `meta`.
    Meta(Meta),
    /// `cmp`.
    Cmp(Cmp<'a>),
    /// `bitwise` (mask/xor).
    Bitwise(Bitwise<'a>),
    /// `byteorder`.
    Byteorder(Byteorder),
    /// `quota`.
    Quota(Quota),
    /// `lookup`.
    Lookup(Lookup<'a>),
    /// `counter`.
    Counter(Counter),
    /// `immediate` (values and verdicts).
    Immediate(Immediate<'a>),
    /// `limit`.
    Limit(Limit),
    /// `log`.
    Log(Log<'a>),
    /// `reject`.
    Reject(Reject),
    /// `nat`.
    Nat(Nat),
    /// `masq`.
    Masq(Masq),
    /// `redir`.
    Redir(Redir),
    /// `range`.
    Range(Range<'a>),
    /// `ct`.
    Ct(Ct),
    /// `payload` (write, with its checksum update).
    PayloadWrite(PayloadWrite),
    /// `tproxy`.
    Tproxy(Tproxy),
    /// `synproxy`.
    Synproxy(Synproxy),
    /// `hash` (jhash, symhash).
    Hash(Hash),
    /// `dup`.
    Dup(Dup),
    /// `fwd`.
    Fwd(Fwd),
    /// `connlimit` (`ct count`).
    Connlimit(Connlimit),
    /// `notrack` (no attributes).
    Notrack,
    /// `exthdr` (load, write, strip).
    Exthdr(Exthdr),
    /// `rt`.
    Rt(Rt),
    /// `socket`.
    Socket(Socket),
    /// `fib`.
    Fib(Fib),
    /// `xfrm`.
    Xfrm(Xfrm),
    /// `osf`.
    Osf(Osf),
    /// `numgen`.
    Numgen(Numgen),
    /// `objref`: a named object, or one from an object map.
    Objref(Objref<'a>),
    /// `flow_offload`: `flow add @ft`.
    FlowOffload(FlowOffload<'a>),
    /// Anything else, kept as it came: the name and the raw
    /// `NFTA_EXPR_DATA` payload.
    Unknown {
        /// `NFTA_EXPR_NAME`.
        name: &'a str,
        /// `NFTA_EXPR_DATA`'s payload (attributes), possibly empty.
        data: &'a [u8],
    },
}

fn be32(tb: &AttrTable<'_, 9>, k: u16) -> Option<u32> {
    tb.get(k).and_then(|a| a.be32().ok())
}

/// A required big-endian `u32`: `None` (the expression stays unknown) when
/// absent or malformed.
fn req32(tb: &AttrTable<'_, 9>, k: u16) -> Option<u32> {
    be32(tb, k)
}

/// An optional one: absent is `Some(None)`, malformed `None`.
fn opt32(tb: &AttrTable<'_, 9>, k: u16) -> Option<Option<u32>> {
    match tb.get(k) {
        None => Some(None),
        Some(a) => a.be32().ok().map(Some),
    }
}

fn value<'a>(tb: &AttrTable<'a, 9>, k: u16) -> Option<&'a [u8]> {
    let nest = tb.get(k)?;
    let mut it = nest.nested();
    let a = it.next()?.ok()?;
    (a.kind() == DATA_VALUE && it.next().is_none()).then_some(a.payload())
}

fn verdict<'a>(a: Attr<'a>) -> Option<Verdict<'a>> {
    let tb = AttrTable::<4>::parse(a.nested());
    if tb.error().is_some() {
        return None;
    }
    let code = tb.get(VERDICT_CODE)?.be32().ok()?;
    let chain = match tb.get(VERDICT_CHAIN) {
        None => None,
        Some(c) => Some(c.str().ok()?),
    };
    Some(Verdict {
        code: VerdictCode(i32::from_ne_bytes(code.to_ne_bytes())),
        chain,
    })
}

fn data<'a>(tb: &AttrTable<'a, 9>, k: u16) -> Option<Data<'a>> {
    Data::decode_nest(tb.get(k)?)
}

/// Only attributes `0..=max` present: anything beyond is something this
/// crate does not model, and the expression stays [`Expr::Unknown`].
fn only(data: &[u8], allowed: &[u16]) -> bool {
    Attrs::new(data).all(|a| a.is_ok_and(|a| allowed.contains(&a.kind())))
}

fn decode_known<'a>(name: &str, raw: &'a [u8]) -> Option<Expr<'a>> {
    let tb = AttrTable::<9>::parse(Attrs::new(raw));
    if tb.error().is_some() {
        return None;
    }
    Some(match name {
        "payload" if only(raw, &[1, 2, 3, 4]) => Expr::Payload(Payload {
            dreg: req32(&tb, 1)?,
            base: PayloadBase(req32(&tb, 2)?),
            offset: req32(&tb, 3)?,
            len: req32(&tb, 4)?,
        }),
        "meta" if only(raw, &[1, 2, 3]) => Expr::Meta(Meta {
            key: MetaKey(req32(&tb, 2)?),
            dreg: opt32(&tb, 1)?,
            sreg: opt32(&tb, 3)?,
        }),
        "cmp" if only(raw, &[1, 2, 3]) => Expr::Cmp(Cmp {
            sreg: req32(&tb, 1)?,
            op: CmpOp(req32(&tb, 2)?),
            data: value(&tb, 3)?,
        }),
        // The kernel reports NFTA_BITWISE_OP (6): only the boolean form (0)
        // is modelled.
        "bitwise" if only(raw, &[1, 2, 3, 4, 5, 6]) && be32(&tb, 6).unwrap_or(0) == 0 => {
            Expr::Bitwise(Bitwise {
                sreg: req32(&tb, 1)?,
                dreg: req32(&tb, 2)?,
                len: req32(&tb, 3)?,
                mask: value(&tb, 4)?,
                xor: value(&tb, 5)?,
            })
        }
        "byteorder" if only(raw, &[1, 2, 3, 4, 5]) => Expr::Byteorder(Byteorder {
            sreg: req32(&tb, 1)?,
            dreg: req32(&tb, 2)?,
            op: req32(&tb, 3)?,
            len: req32(&tb, 4)?,
            size: req32(&tb, 5)?,
        }),
        "quota" if only(raw, &[1, 2, 3, 4]) => Expr::Quota(Quota {
            bytes: tb.get(1)?.be64().ok()?,
            flags: be32(&tb, 2).unwrap_or(0),
            consumed: match tb.get(4) {
                None => 0,
                Some(a) => a.be64().ok()?,
            },
        }),
        "lookup" if only(raw, &[1, 2, 3, 4, 5]) => Expr::Lookup(Lookup {
            set: tb.get(1)?.str().ok()?,
            sreg: req32(&tb, 2)?,
            dreg: opt32(&tb, 3)?,
            set_id: opt32(&tb, 4)?,
            flags: opt32(&tb, 5)?,
        }),
        "counter" if only(raw, &[1, 2, 3]) => {
            let get = |k| match tb.get(k) {
                None => Some(0),
                Some(a) => a.be64().ok(),
            };
            Expr::Counter(Counter {
                bytes: get(1)?,
                packets: get(2)?,
            })
        }
        "immediate" if only(raw, &[1, 2]) => Expr::Immediate(Immediate {
            dreg: req32(&tb, 1)?,
            data: data(&tb, 2)?,
        }),
        "limit" if only(raw, &[1, 2, 3, 4, 5, 6]) => Expr::Limit(Limit {
            rate: tb.get(1)?.be64().ok()?,
            unit: tb.get(2)?.be64().ok()?,
            burst: req32(&tb, 3)?,
            kind: LimitType(req32(&tb, 4)?),
            flags: be32(&tb, 5).unwrap_or(0),
        }),
        "log" if only(raw, &[1, 2, 3, 4, 5, 6]) => Expr::Log(Log {
            prefix: match tb.get(2) {
                None => None,
                Some(a) => Some(a.str().ok()?),
            },
            group: match tb.get(1) {
                None => None,
                Some(a) => Some(a.be16().ok()?),
            },
            snaplen: opt32(&tb, 3)?,
            qthreshold: match tb.get(4) {
                None => None,
                Some(a) => Some(a.be16().ok()?),
            },
            level: opt32(&tb, 5)?,
            flags: opt32(&tb, 6)?,
        }),
        "reject" if only(raw, &[1, 2]) => Expr::Reject(Reject {
            kind: RejectType(req32(&tb, 1)?),
            icmp_code: match tb.get(2) {
                None => 0,
                Some(a) => a.u8().ok()?,
            },
        }),
        "nat" if only(raw, &[1, 2, 3, 4, 5, 6, 7]) => Expr::Nat(Nat {
            kind: NatType(req32(&tb, 1)?),
            family: req32(&tb, 2)?,
            reg_addr_min: opt32(&tb, 3)?,
            reg_addr_max: opt32(&tb, 4)?,
            reg_proto_min: opt32(&tb, 5)?,
            reg_proto_max: opt32(&tb, 6)?,
            flags: opt32(&tb, 7)?,
        }),
        "masq" if only(raw, &[1, 2, 3]) => Expr::Masq(Masq {
            flags: opt32(&tb, 1)?,
            reg_proto_min: opt32(&tb, 2)?,
            reg_proto_max: opt32(&tb, 3)?,
        }),
        "redir" if only(raw, &[1, 2, 3]) => Expr::Redir(Redir {
            reg_proto_min: opt32(&tb, 1)?,
            reg_proto_max: opt32(&tb, 2)?,
            flags: opt32(&tb, 3)?,
        }),
        "range" if only(raw, &[1, 2, 3, 4]) => Expr::Range(Range {
            sreg: req32(&tb, 1)?,
            op: RangeOp(req32(&tb, 2)?),
            from: value(&tb, 3)?,
            to: value(&tb, 4)?,
        }),
        "ct" if only(raw, &[1, 2, 3, 4]) => Expr::Ct(Ct {
            key: CtKey(req32(&tb, 2)?),
            dreg: opt32(&tb, 1)?,
            sreg: opt32(&tb, 4)?,
            direction: match tb.get(3) {
                None => None,
                Some(a) => Some(a.u8().ok()?),
            },
        }),
        "payload" if only(raw, PayloadWrite::ATTRS) => {
            Expr::PayloadWrite(PayloadWrite::decode(&tb)?)
        }
        "tproxy" if only(raw, Tproxy::ATTRS) => Expr::Tproxy(Tproxy::decode(&tb)?),
        "synproxy" if only(raw, Synproxy::ATTRS) => Expr::Synproxy(Synproxy::decode(&tb)?),
        "hash" if only(raw, Hash::ATTRS) => Expr::Hash(Hash::decode(&tb)?),
        "dup" if only(raw, Dup::ATTRS) => Expr::Dup(Dup::decode(&tb)?),
        "fwd" if only(raw, Fwd::ATTRS) => Expr::Fwd(Fwd::decode(&tb)?),
        "connlimit" if only(raw, Connlimit::ATTRS) => Expr::Connlimit(Connlimit::decode(&tb)?),
        "notrack" if raw.is_empty() => Expr::Notrack,
        "exthdr" if only(raw, Exthdr::ATTRS) => Expr::Exthdr(Exthdr::decode(&tb)?),
        "rt" if only(raw, Rt::ATTRS) => Expr::Rt(Rt::decode(&tb)?),
        "socket" if only(raw, Socket::ATTRS) => Expr::Socket(Socket::decode(&tb)?),
        "fib" if only(raw, Fib::ATTRS) => Expr::Fib(Fib::decode(&tb)?),
        "xfrm" if only(raw, Xfrm::ATTRS) => Expr::Xfrm(Xfrm::decode(&tb)?),
        "osf" if only(raw, Osf::ATTRS) => Expr::Osf(Osf::decode(&tb)?),
        "numgen" if only(raw, Numgen::ATTRS) => Expr::Numgen(Numgen::decode(&tb)?),
        "objref" if only(raw, Objref::ATTRS) => Expr::Objref(Objref::decode(&tb)?),
        "flow_offload" if only(raw, FlowOffload::ATTRS) => {
            Expr::FlowOffload(FlowOffload::decode(&tb)?)
        }
        _ => return None,
    })
}

impl<'a> Expr<'a> {
    /// The `immediate` that issues verdict `v`.
    ///
    /// ```
    /// use nl_proto::nfnl::nft::{Expr, Verdict};
    /// let accept = Expr::verdict(Verdict::ACCEPT);
    /// assert_eq!(accept.name(), "immediate");
    /// ```
    pub const fn verdict(v: Verdict<'a>) -> Self {
        Expr::Immediate(Immediate {
            dreg: NFT_REG_VERDICT,
            data: Data::Verdict(v),
        })
    }

    /// Decode one `NFTA_LIST_ELEM`.
    ///
    /// Never fails for an element with a name: what this crate does not
    /// model is [`Expr::Unknown`].
    ///
    /// # Errors
    ///
    /// [`DecodeError::MissingAttr`] without `NFTA_EXPR_NAME`;
    /// [`DecodeError::NotUtf8`] for a name that is not UTF-8; framing
    /// errors of the element.
    pub fn decode(elem: Attr<'a>) -> Result<Self, DecodeError> {
        let tb = AttrTable::<3>::parse(elem.nested());
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let name = tb
            .get(EXPR_NAME)
            .ok_or(DecodeError::MissingAttr {
                what: "nf_tables expression",
                kind: EXPR_NAME,
            })?
            .str()?;
        let data = tb.get(EXPR_DATA).map(|a| a.payload()).unwrap_or_default();
        Ok(decode_known(name, data).unwrap_or(Expr::Unknown { name, data }))
    }

    /// The expression's name (`NFTA_EXPR_NAME`).
    pub fn name(&self) -> &'a str {
        match self {
            Expr::Payload(_) => "payload",
            Expr::Meta(_) => "meta",
            Expr::Cmp(_) => "cmp",
            Expr::Bitwise(_) => "bitwise",
            Expr::Byteorder(_) => "byteorder",
            Expr::Quota(_) => "quota",
            Expr::Lookup(_) => "lookup",
            Expr::Counter(_) => "counter",
            Expr::Immediate(_) => "immediate",
            Expr::Limit(_) => "limit",
            Expr::Log(_) => "log",
            Expr::Reject(_) => "reject",
            Expr::Nat(_) => "nat",
            Expr::Masq(_) => "masq",
            Expr::Redir(_) => "redir",
            Expr::Range(_) => "range",
            Expr::Ct(_) => "ct",
            Expr::PayloadWrite(_) => "payload",
            Expr::Tproxy(_) => "tproxy",
            Expr::Synproxy(_) => "synproxy",
            Expr::Hash(_) => "hash",
            Expr::Dup(_) => "dup",
            Expr::Fwd(_) => "fwd",
            Expr::Connlimit(_) => "connlimit",
            Expr::Notrack => "notrack",
            Expr::Exthdr(_) => "exthdr",
            Expr::Rt(_) => "rt",
            Expr::Socket(_) => "socket",
            Expr::Fib(_) => "fib",
            Expr::Xfrm(_) => "xfrm",
            Expr::Osf(_) => "osf",
            Expr::Numgen(_) => "numgen",
            Expr::Objref(_) => "objref",
            Expr::FlowOffload(_) => "flow_offload",
            Expr::Unknown { name, .. } => name,
        }
    }

    /// Write this expression as one `NFTA_LIST_ELEM`, attributes in the
    /// order nft (libnftnl) writes them.
    ///
    /// # Errors
    ///
    /// Writer errors; the element is rolled back.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.nested(NFTA_LIST_ELEM, |w| {
            w.put_str(EXPR_NAME, self.name())?;
            if let Expr::Unknown { data, .. } = self {
                return w.put(EXPR_DATA | 0x8000, data);
            }
            // nft sends `notrack` without NFTA_EXPR_DATA.
            if let Expr::Notrack = self {
                return Ok(());
            }
            w.nested(EXPR_DATA, |w| self.emit_data(w))
        })
    }

    fn emit_data(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let opt = |w: &mut MsgWriter<'_>, k: u16, v: Option<u32>| match v {
            Some(v) => w.put_be32(k, v),
            None => Ok(()),
        };
        let val = |w: &mut MsgWriter<'_>, k: u16, v: &[u8]| w.nested(k, |w| w.put(DATA_VALUE, v));
        match *self {
            Expr::Payload(p) => {
                w.put_be32(1, p.dreg)?;
                w.put_be32(2, p.base.0)?;
                w.put_be32(3, p.offset)?;
                w.put_be32(4, p.len)
            }
            Expr::Meta(m) => {
                w.put_be32(2, m.key.0)?;
                opt(w, 1, m.dreg)?;
                opt(w, 3, m.sreg)
            }
            Expr::Cmp(c) => {
                w.put_be32(1, c.sreg)?;
                w.put_be32(2, c.op.0)?;
                val(w, 3, c.data)
            }
            Expr::Bitwise(b) => {
                w.put_be32(1, b.sreg)?;
                w.put_be32(2, b.dreg)?;
                w.put_be32(3, b.len)?;
                val(w, 4, b.mask)?;
                val(w, 5, b.xor)
            }
            Expr::Byteorder(b) => {
                w.put_be32(1, b.sreg)?;
                w.put_be32(2, b.dreg)?;
                w.put_be32(3, b.op)?;
                w.put_be32(4, b.len)?;
                w.put_be32(5, b.size)
            }
            // NFTA_QUOTA_CONSUMED is 4 (3 is NFTA_QUOTA_PAD).
            Expr::Quota(q) => {
                w.put_be64(1, q.bytes)?;
                w.put_be64(4, q.consumed)?;
                w.put_be32(2, q.flags)
            }
            Expr::Lookup(l) => {
                w.put_be32(2, l.sreg)?;
                opt(w, 3, l.dreg)?;
                w.put_str(1, l.set)?;
                opt(w, 4, l.set_id)?;
                opt(w, 5, l.flags)
            }
            Expr::Counter(c) => {
                if c.bytes != 0 {
                    w.put_be64(1, c.bytes)?;
                }
                if c.packets != 0 {
                    w.put_be64(2, c.packets)?;
                }
                Ok(())
            }
            Expr::Immediate(i) => {
                w.put_be32(1, i.dreg)?;
                w.nested(2, |w| i.data.emit_inner(w))
            }
            Expr::Limit(l) => {
                w.put_be64(1, l.rate)?;
                w.put_be64(2, l.unit)?;
                w.put_be32(3, l.burst)?;
                w.put_be32(4, l.kind.0)?;
                w.put_be32(5, l.flags)
            }
            Expr::Log(l) => {
                if let Some(p) = l.prefix {
                    w.put_str(2, p)?;
                }
                if let Some(g) = l.group {
                    w.put_be16(1, g)?;
                }
                opt(w, 3, l.snaplen)?;
                if let Some(q) = l.qthreshold {
                    w.put_be16(4, q)?;
                }
                opt(w, 5, l.level)?;
                opt(w, 6, l.flags)
            }
            Expr::Reject(r) => {
                w.put_be32(1, r.kind.0)?;
                w.put_u8(2, r.icmp_code)
            }
            Expr::Nat(n) => {
                w.put_be32(1, n.kind.0)?;
                w.put_be32(2, n.family)?;
                opt(w, 3, n.reg_addr_min)?;
                opt(w, 4, n.reg_addr_max)?;
                opt(w, 5, n.reg_proto_min)?;
                opt(w, 6, n.reg_proto_max)?;
                opt(w, 7, n.flags)
            }
            Expr::Masq(m) => {
                opt(w, 1, m.flags)?;
                opt(w, 2, m.reg_proto_min)?;
                opt(w, 3, m.reg_proto_max)
            }
            Expr::Redir(r) => {
                opt(w, 1, r.reg_proto_min)?;
                opt(w, 2, r.reg_proto_max)?;
                opt(w, 3, r.flags)
            }
            Expr::Range(r) => {
                w.put_be32(1, r.sreg)?;
                w.put_be32(2, r.op.0)?;
                val(w, 3, r.from)?;
                val(w, 4, r.to)
            }
            Expr::Ct(c) => {
                w.put_be32(2, c.key.0)?;
                opt(w, 1, c.dreg)?;
                if let Some(d) = c.direction {
                    w.put_u8(3, d)?;
                }
                opt(w, 4, c.sreg)
            }
            Expr::PayloadWrite(e) => e.emit(w),
            Expr::Tproxy(e) => e.emit(w),
            Expr::Synproxy(e) => e.emit(w),
            Expr::Hash(e) => e.emit(w),
            Expr::Dup(e) => e.emit(w),
            Expr::Fwd(e) => e.emit(w),
            Expr::Connlimit(e) => e.emit(w),
            Expr::Notrack => Ok(()),
            Expr::Exthdr(e) => e.emit(w),
            Expr::Rt(e) => e.emit(w),
            Expr::Socket(e) => e.emit(w),
            Expr::Fib(e) => e.emit(w),
            Expr::Xfrm(e) => e.emit(w),
            Expr::Osf(e) => e.emit(w),
            Expr::Numgen(e) => e.emit(w),
            Expr::Objref(e) => e.emit(w),
            Expr::FlowOffload(e) => e.emit(w),
            Expr::Unknown { .. } => Ok(()),
        }
    }
}
