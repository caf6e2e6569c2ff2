//! One nft JSON `match` statement compiled into expressions as nft 1.0.6
//! does: the protocol dependency (once per rule), the load (payload, meta
//! or ct; masked for a field that is not whole bytes; `byteorder` for a
//! host-order value compared by magnitude), then the comparison (`cmp`,
//! `>=`/`<=` pair or `range` for a range, masked `cmp` for a prefix, bit
//! test for `in`, `lookup` for a named set).

use crate::exthdr;
use crate::fields::{self, Dep, Field, Loc, Ty};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::route::link::VlanProtocol;
use nl_rustix::nl_proto::nfnl::nft::{
    Bitwise, Byteorder, Cmp, CmpOp, Ct, CtKey, Expr, Exthdr, ExthdrOp, Lookup, Meta, MetaKey,
    NFT_BYTEORDER_HTON, NFT_EXTHDR_F_PRESENT, NFT_REG_1, Payload, PayloadBase, Range, RangeOp,
};
use serde_json::{Map, Value};

/// What the rule has made sure of so far.
#[derive(Default)]
pub(crate) struct Ctx {
    pub(crate) l3: Option<u8>,
    pub(crate) l4: Option<u8>,
    pub(crate) ether: bool,
    /// How many 802.1Q tags the rule has announced (`ether type 8021q`,
    /// then `vlan type 8021q`): `vlan` fields are those of the last.
    pub(crate) vlans: u32,
    /// The last batch id given to a set (anonymous sets take the next).
    pub(crate) next_set_id: u32,
    /// Anonymous sets the rule needs, to add before it.
    pub(crate) sets: Vec<crate::anonset::Pending>,
    /// The ICMP type matched (a dependency of `icmp mtu` and the like).
    pub(crate) icmp_type: Option<u8>,
}

/// Values the expressions borrow, kept for the life of this short-lived
/// program.
pub(crate) fn keep(b: Vec<u8>) -> &'static [u8] {
    Box::leak(b.into_boxed_slice())
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn cmp(op: CmpOp, data: Vec<u8>) -> Expr<'static> {
    Expr::Cmp(Cmp {
        sreg: NFT_REG_1,
        op,
        data: keep(data),
    })
}

pub(crate) fn load_meta(key: MetaKey) -> Expr<'static> {
    Expr::Meta(Meta {
        key,
        dreg: Some(NFT_REG_1),
        sreg: None,
    })
}

/// A left side: how to load it and its values' type and length.
#[derive(Clone, Copy)]
pub(crate) enum Left {
    Field(&'static Field),
    Meta(MetaKey, Ty, u32),
    Ct(CtKey, Ty, u32, Option<u8>),
    /// Whether an extension header is there.
    Present(ExthdrOp, u8),
    /// A route, socket, fib, ipsec or osf load.
    Keyed(crate::sources::Keyed),
}

fn s<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, String> {
    o.get(k)
        .and_then(Value::as_str)
        .ok_or(format!("missing string \"{k}\""))
}

pub(crate) fn left(v: &Value) -> Result<Left, String> {
    let o = v
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or("match: bad left side")?;
    let (k, body) = o.iter().next().ok_or("match: bad left side")?;
    let o = body.as_object().ok_or("match: bad left side")?;
    match k.as_str() {
        "meta" => {
            let key = s(o, "key")?;
            let (k, t, l) = fields::meta(key).ok_or(format!("unsupported meta key \"{key}\""))?;
            Ok(Left::Meta(k, t, l))
        }
        "ct" => {
            let key = s(o, "key")?;
            let (k, t, l) = fields::ct(key).ok_or(format!("unsupported ct key \"{key}\""))?;
            let dir = match o.get("dir").and_then(Value::as_str) {
                None => None,
                Some("original") => Some(0),
                Some("reply") => Some(1),
                Some(d) => return Err(format!("bad ct direction \"{d}\"")),
            };
            Ok(Left::Ct(k, t, l, dir))
        }
        "payload" if o.contains_key("base") => raw_left(o),
        "payload" => {
            let (p, f) = (s(o, "protocol")?, s(o, "field")?);
            fields::field(p, f)
                .map(Left::Field)
                .ok_or(format!("unsupported payload \"{p} {f}\""))
        }
        other => match exthdr::op_of(other) {
            Some(op) => exthdr_left(op, o),
            None => match crate::sources::left(other, o) {
                Some(k) => k.map(Left::Keyed),
                None => Err(format!("unsupported match on `{other}`")),
            },
        },
    }
}

/// nft's names of the payload bases (`@ll`, `@nh`, `@th`, `@ih`).
pub(crate) const RAW_BASES: &[(&str, PayloadBase)] = &[
    ("ll", PayloadBase::LL_HEADER),
    ("nh", PayloadBase::NETWORK_HEADER),
    ("th", PayloadBase::TRANSPORT_HEADER),
    ("ih", PayloadBase::INNER_HEADER),
];

/// A raw payload, `{"base": "nh", "offset": 8, "len": 8}` (in bits): a
/// field of no protocol, so of no dependency.
fn raw_left(o: &Map<String, Value>) -> Result<Left, String> {
    let b = s(o, "base")?;
    let base = RAW_BASES
        .iter()
        .find(|(n, _)| *n == b)
        .map(|(_, base)| *base)
        .ok_or(format!("unknown payload base \"{b}\""))?;
    let n = |k: &str| {
        o.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(format!("payload: bad {k}"))
    };
    let (bit, bits) = (n("offset")?, n("len")?);
    if bits == 0 || bits > 128 {
        return Err("payload: bad len".into());
    }
    Ok(Left::Field(Box::leak(Box::new(Field {
        proto: "",
        name: "",
        loc: Loc::Payload(base),
        bit,
        bits,
        ty: Ty::Int,
    }))))
}

/// `{"exthdr": {"name": "hbh", "field": "nexthdr"}}`, a presence test
/// without a field, or a raw TCP option (`{"base", "offset", "len"}`, in
/// bits).
fn exthdr_left(op: ExthdrOp, o: &Map<String, Value>) -> Result<Left, String> {
    let what = exthdr::key(op);
    if let Some(kind) = o.get("base").and_then(Value::as_u64) {
        let kind = u8::try_from(kind).map_err(|_| format!("{what}: bad base {kind}"))?;
        let n = |k: &str| {
            o.get(k)
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        let (off, len) = (n("offset").unwrap_or(0), n("len").unwrap_or(0));
        if off == 0 && (len == 8 || len == 0) {
            return Ok(Left::Present(op, kind));
        }
        let f: &'static Field = Box::leak(Box::new(Field {
            proto: "",
            name: "",
            loc: Loc::Exthdr(op, kind),
            bit: off,
            bits: len,
            ty: Ty::Int,
        }));
        return Ok(Left::Field(f));
    }
    let name = s(o, "name")?;
    let h = exthdr::hdr(op, name).ok_or(format!("unknown {what} \"{name}\""))?;
    match o.get("field").and_then(Value::as_str) {
        None => Ok(Left::Present(op, h.kind)),
        Some(f) => exthdr::field(h, f)
            .map(Left::Field)
            .ok_or(format!("unknown {what} field \"{name} {f}\"")),
    }
}

/// Add the dependency of `dep` unless the rule has it already.
fn depend(
    dep: Dep,
    proto: &str,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    match dep {
        Dep::None => {}
        Dep::L3(nfp, ethertype) => {
            if let Some(own) = fields::family_l3(fam) {
                if own != proto {
                    return Err(format!(
                        "conflicting protocols: {proto} in a {} table",
                        nl_rustix::nft::family_name(fam)
                    ));
                }
            } else if ctx.l3 != Some(nfp) {
                if ctx.vlans > 0 {
                    // Under a tag, the last tag's type says what follows.
                    let ty = fields::vlan_at(&fields::VLAN_TYPE, ctx.vlans);
                    load_to(Left::Field(ty), NFT_REG_1, out);
                    out.push(cmp(CmpOp::EQ, ethertype.to_be_bytes().to_vec()));
                } else if fam == NfProto::INET {
                    out.push(load_meta(MetaKey::NFPROTO));
                    out.push(cmp(CmpOp::EQ, vec![nfp]));
                } else {
                    out.push(load_meta(MetaKey::PROTOCOL));
                    out.push(cmp(CmpOp::EQ, ethertype.to_be_bytes().to_vec()));
                }
                ctx.l3 = Some(nfp);
            }
        }
        Dep::L4(p) => {
            // ICMP and IGMP only exist over IPv4, ICMPv6 over IPv6: nft
            // makes sure of the network protocol first.
            let l3 = match p {
                1 | 2 => Some("ip"),
                58 => Some("ip6"),
                _ => None,
            };
            if let Some(l3) = l3
                && fields::family_l3(fam).is_none()
                && ctx.l4 != Some(p)
            {
                depend(fields::dep_of(l3), l3, fam, ctx, out)?;
            }
            if ctx.l4 != Some(p) {
                out.push(load_meta(MetaKey::L4PROTO));
                out.push(cmp(CmpOp::EQ, vec![p]));
                ctx.l4 = Some(p);
            }
        }
        Dep::Vlan => {
            if ctx.vlans == 0 {
                depend(Dep::Ether, "ether", fam, ctx, out)?;
                load_to(Left::Field(&fields::ETHER_TYPE), NFT_REG_1, out);
                out.push(cmp(CmpOp::EQ, VlanProtocol::DOT1Q.0.to_be_bytes().to_vec()));
                ctx.vlans = 1;
            }
        }
        Dep::Ether => {
            // A netdev chain's device may have no link-layer header either.
            if fam != NfProto::BRIDGE && !ctx.ether {
                out.push(load_meta(MetaKey::IIFTYPE));
                out.push(cmp(CmpOp::EQ, 1u16.to_ne_bytes().to_vec()));
                ctx.ether = true;
            }
        }
    }
    Ok(())
}

impl Left {
    /// Its values' type, length, and whether numbers are in host order.
    pub(crate) fn ty(self) -> (Ty, u32, bool) {
        match self {
            Left::Field(f) => (f.ty, f.load().1, false),
            Left::Present(..) => (Ty::Bool, 1, false),
            // nft's `meta random` and `ct id` are big-endian numbers.
            Left::Meta(MetaKey::PRANDOM, t, n) | Left::Ct(CtKey::ID, t, n, _) => (t, n, false),
            Left::Meta(_, t, n) | Left::Ct(_, t, n, _) => (t, n, true),
            Left::Keyed(k) => (k.ty, k.len, k.host),
        }
    }
}

/// Load `l` into register 1, after its dependency: the mask that selects
/// a field that is not whole bytes, and the field's shift in them.
pub(crate) fn load(
    l: Left,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(Option<Vec<u8>>, u32), String> {
    let l = depend_left(l, fam, ctx, out)?;
    Ok(load_to(l, NFT_REG_1, out))
}

/// The dependency of left side `l`, unless the rule has it; and `l` where
/// the rule's headers put it (a `vlan` field in the last announced tag).
pub(crate) fn depend_left(
    l: Left,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<Left, String> {
    match l {
        Left::Field(f) => {
            depend(f.dep(), f.dep_proto(), fam, ctx, out)?;
            let f = fields::vlan_at(f, ctx.vlans);
            if let Some(t) = fields::icmp_type_dep(f.proto, f.name)
                && ctx.icmp_type != Some(t)
            {
                out.push(Expr::Payload(Payload {
                    dreg: NFT_REG_1,
                    base: f.base_payload(),
                    offset: 0,
                    len: 1,
                }));
                out.push(cmp(CmpOp::EQ, vec![t]));
                ctx.icmp_type = Some(t);
            }
            Ok(Left::Field(f))
        }
        Left::Present(op, _) => {
            let dep = match op {
                ExthdrOp::IPV6 => "ip6",
                ExthdrOp::IPV4 => "ip",
                _ => "th",
            };
            depend_on(dep, fam, ctx, out)?;
            Ok(l)
        }
        Left::Meta(..) | Left::Ct(..) | Left::Keyed(_) => Ok(l),
    }
}

/// Load `l` into register `dreg` (no dependency, no mask): the mask that
/// selects a field that is not whole bytes, and the field's shift in them.
pub(crate) fn load_to(l: Left, dreg: u32, out: &mut Vec<Expr<'static>>) -> (Option<Vec<u8>>, u32) {
    let mut mask = None;
    let mut shift = 0;
    match l {
        Left::Field(f) => {
            let (off, n) = f.load();
            out.push(match f.loc {
                Loc::Payload(base) => Expr::Payload(Payload {
                    dreg,
                    base,
                    offset: off,
                    len: n,
                }),
                Loc::Exthdr(op, kind) => Expr::Exthdr(Exthdr::load(op, kind, off, n, dreg)),
            });
            mask = f.mask();
            shift = f.shift();
        }
        Left::Present(op, kind) => out.push(Expr::Exthdr(Exthdr {
            flags: NFT_EXTHDR_F_PRESENT,
            ..Exthdr::load(op, kind, 0, 1, dreg)
        })),
        Left::Keyed(k) => out.push(crate::sources::into_reg(k.expr, dreg)),
        Left::Meta(key, ..) => out.push(Expr::Meta(Meta {
            key,
            dreg: Some(dreg),
            sreg: None,
        })),
        Left::Ct(k, _, _, dir) => out.push(Expr::Ct(Ct {
            key: k,
            dreg: Some(dreg),
            sreg: None,
            direction: dir,
        })),
    }
    (mask, shift)
}

/// Add the dependency of protocol `proto` (`ip`, `ip6`, `tcp`, ...) unless
/// the rule has it already.
pub(crate) fn depend_on(
    proto: &str,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    depend(fields::dep_of(proto), proto, fam, ctx, out)
}

/// `cmp eq reg 1 data`.
pub(crate) fn cmp_eq(data: Vec<u8>) -> Expr<'static> {
    cmp(CmpOp::EQ, data)
}

fn num_of(v: &Value) -> Result<u64, String> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s
            .strip_prefix("0x")
            .map_or_else(|| s.parse().ok(), |h| u64::from_str_radix(h, 16).ok()),
        _ => None,
    }
    .ok_or(format!("bad number {v}"))
}

/// Compile one `match` object.
pub(crate) fn compile(
    o: &Map<String, Value>,
    fam: NfProto,
    named_set: &dyn Fn(&str) -> Result<Option<u32>, String>,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let op_name = s(o, "op")?;
    let mut lv = o.get("left").ok_or("match: missing left")?;
    let right = o.get("right").ok_or("match: missing right")?;
    // A concatenation or an anonymous set: see `anonset.rs`.
    if lv.get("concat").is_some() || right.get("set").is_some() {
        return crate::anonset::lookup(lv, op_name, right, fam, named_set, ctx, out);
    }
    // `meta mark and 0x03 == 0x01`: a constant combined into the load.
    let mut binop = None;
    if let Some((op, [inner, arg])) = lv
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.iter().next())
        .filter(|(k, _)| matches!(k.as_str(), "&" | "|" | "^"))
        .and_then(|(k, v)| Some((k.as_str(), v.as_array()?.as_slice())))
    {
        binop = Some((op, arg));
        lv = inner;
    }
    let mut l = left(lv)?;
    if let (Left::Keyed(k), true) = (&mut l, right.is_boolean()) {
        crate::sources::set_present(k);
    }
    let (ty, len, host) = l.ty();
    let l = depend_left(l, fam, ctx, out)?;
    let (mask, shift) = load_to(l, NFT_REG_1, out);
    if let Some((op, arg)) = binop {
        if mask.is_some() {
            return Err("match: a binary operation on a sub-byte field".into());
        }
        let b = ty.encode(arg, len as usize, host)?;
        let n = len as usize;
        let (m, x) = match op {
            "&" => (b, vec![0; n]),
            "|" => (b.iter().map(|x| !x).collect(), b),
            _ => (vec![0xff; n], b),
        };
        out.push(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len,
            mask: keep(m),
            xor: keep(x),
        }));
    }
    if let Some(m) = &mask {
        out.push(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len,
            mask: keep(m.clone()),
            xor: keep(vec![0; len as usize]),
        }));
    }
    let value = |v: &Value| -> Result<Vec<u8>, String> {
        let b = ty.encode(v, len as usize, host)?;
        if shift == 0 {
            return Ok(b);
        }
        let n = b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)) << shift;
        Ok(n.to_be_bytes()[8 - len as usize..].to_vec())
    };
    let op = match op_name {
        "==" | "in" | "!" => CmpOp::EQ,
        other => CmpOp::by_symbol(other).ok_or(format!("unsupported match op \"{other}\""))?,
    };
    // Magnitude of a host-order number: compare it in network order.
    let by_magnitude = |out: &mut Vec<Expr<'static>>| {
        if host
            && matches!(
                ty,
                Ty::Int | Ty::Millis | Ty::TcHandle | Ty::Time | Ty::Hour
            )
            && len > 1
        {
            out.push(Expr::Byteorder(Byteorder {
                sreg: NFT_REG_1,
                dreg: NFT_REG_1,
                op: NFT_BYTEORDER_HTON,
                len,
                size: len,
            }));
            true
        } else {
            false
        }
    };
    let swap = |mut b: Vec<u8>, swapped: bool| {
        if swapped {
            b.reverse();
        }
        b
    };
    // A named set.
    if let Some(name) = right.as_str().and_then(|r| r.strip_prefix('@')) {
        let set_id = named_set(name)?;
        out.push(Expr::Lookup(Lookup {
            set: leak(name),
            sreg: NFT_REG_1,
            dreg: None,
            set_id,
            flags: (op == CmpOp::NEQ).then_some(1),
        }));
        return Ok(());
    }
    if let Some(r) = right.get("range").and_then(Value::as_array) {
        let [lo, hi] = r.as_slice() else {
            return Err("range: expected two values".into());
        };
        let swapped = by_magnitude(out);
        let (lo, hi) = (swap(value(lo)?, swapped), swap(value(hi)?, swapped));
        match op {
            CmpOp::EQ => {
                out.push(cmp(CmpOp::GTE, lo));
                out.push(cmp(CmpOp::LTE, hi));
            }
            CmpOp::NEQ => out.push(Expr::Range(Range {
                sreg: NFT_REG_1,
                op: RangeOp::NEQ,
                from: keep(lo),
                to: keep(hi),
            })),
            _ => return Err(format!("unsupported op \"{op_name}\" on a range")),
        }
        return Ok(());
    }
    if let Some(p) = right.get("prefix").and_then(Value::as_object)
        && host
        && ty == Ty::Int
    {
        // A prefix of a number (`meta mark 0xffffff00/24`): its high bits.
        let bits = p
            .get("len")
            .and_then(Value::as_u64)
            .ok_or("prefix: bad len")?;
        let addr = num_of(p.get("addr").ok_or("prefix: missing addr")?)?;
        let width = u64::from(len) * 8;
        if bits == 0 || bits > width || width > 64 {
            return Err("prefix: bad len".into());
        }
        let m = (u64::MAX >> (64 - width)) & !((1u64 << (width - bits)) - 1);
        let le = |x: u64| x.to_le_bytes()[..len as usize].to_vec();
        out.push(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len,
            mask: keep(le(m)),
            xor: keep(vec![0; len as usize]),
        }));
        out.push(cmp(op, le(addr & m)));
        return Ok(());
    }
    if let Some(p) = right.get("prefix").and_then(Value::as_object) {
        if !matches!(ty, Ty::Ipv4 | Ty::Ipv6) || mask.is_some() {
            return Err("prefix: only on addresses".into());
        }
        let bits = p
            .get("len")
            .and_then(Value::as_u64)
            .and_then(|b| u32::try_from(b).ok())
            .filter(|&b| b >= 1 && b <= len * 8)
            .ok_or("prefix: bad len")?;
        let addr = ty.encode(
            p.get("addr").ok_or("prefix: missing addr")?,
            len as usize,
            false,
        )?;
        if bits % 8 == 0 {
            // nft loads only the prefix's bytes.
            if let Some(Expr::Payload(pl)) = out.last_mut() {
                pl.len = bits / 8;
            }
            out.push(cmp(op, addr[..(bits / 8) as usize].to_vec()));
        } else {
            let m: Vec<u8> = (0..len)
                .map(|i| {
                    let have = bits.saturating_sub(i * 8).min(8);
                    if have == 0 { 0 } else { 0xffu8 << (8 - have) }
                })
                .collect();
            let masked: Vec<u8> = addr.iter().zip(&m).map(|(a, m)| a & m).collect();
            out.push(Expr::Bitwise(Bitwise {
                sreg: NFT_REG_1,
                dreg: NFT_REG_1,
                len,
                mask: keep(m),
                xor: keep(vec![0; len as usize]),
            }));
            out.push(cmp(op, masked));
        }
        return Ok(());
    }
    if right.is_object() {
        return Err(format!("unsupported match right side {right}"));
    }
    // Bits tested with `in` (the implicit op of a flag type), or none of
    // them set (`!`).
    if let (Ty::Bits(_), "in" | "!") = (ty, op_name) {
        let bits = value(right)?;
        out.push(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len,
            mask: keep(bits),
            xor: keep(vec![0; len as usize]),
        }));
        let test = if op_name == "in" {
            CmpOp::NEQ
        } else {
            CmpOp::EQ
        };
        out.push(cmp(test, vec![0; len as usize]));
        return Ok(());
    }
    if right.is_array() && !matches!(ty, Ty::Bits(_)) {
        return Err(format!("unsupported match right side {right}"));
    }
    let swapped =
        matches!(op, CmpOp::LT | CmpOp::LTE | CmpOp::GT | CmpOp::GTE) && by_magnitude(out);
    // nft turns `meta random` "to network order" before comparing its
    // magnitude, though it is big-endian already (the value is not turned).
    if !swapped
        && matches!(op, CmpOp::LT | CmpOp::LTE | CmpOp::GT | CmpOp::GTE)
        && matches!(l, Left::Meta(MetaKey::PRANDOM, ..))
    {
        out.push(Expr::Byteorder(Byteorder {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            op: NFT_BYTEORDER_HTON,
            len,
            size: len,
        }));
    }
    let v = swap(value(right)?, swapped);
    // What this match makes sure of, for the dependencies that follow.
    if op == CmpOp::EQ {
        match (l, v.as_slice()) {
            (Left::Meta(MetaKey::L4PROTO, ..), [p]) => ctx.l4 = Some(*p),
            (Left::Meta(MetaKey::NFPROTO, ..), [p]) => ctx.l3 = Some(*p),
            (Left::Field(f), [p])
                if matches!((f.proto, f.name), ("ip", "protocol") | ("ip6", "nexthdr")) =>
            {
                ctx.l4 = Some(*p);
            }
            (Left::Meta(MetaKey::IIFTYPE, ..), [1, 0]) => ctx.ether = true,
            (Left::Field(f), et) if matches!((f.proto, f.name), ("ether" | "vlan", "type")) => {
                let outer = f.proto == "ether";
                if fields::is_vlan_ethertype(et) {
                    ctx.vlans = if outer { 1 } else { ctx.vlans + 1 };
                } else if matches!(fam, NfProto::BRIDGE | NfProto::NETDEV)
                    && (outer == (ctx.vlans == 0))
                {
                    // The network protocol, as its dependency would say.
                    ctx.l3 = match et {
                        [0x08, 0x00] => Some(2),
                        [0x86, 0xdd] => Some(10),
                        [0x08, 0x06] => Some(3),
                        _ => ctx.l3,
                    };
                }
            }
            _ => {}
        }
    }
    out.push(cmp(op, v));
    Ok(())
}
