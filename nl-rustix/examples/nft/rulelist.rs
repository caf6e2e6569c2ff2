//! One kernel rule back into nft's JSON statements, as nft 1.0.6 lists
//! it: a load (payload, meta, ct; masked, byte-swapped) and a comparison
//! are one `match`, named by the tables of `fields.rs`; a short or masked
//! address load is a `prefix`; `>=` then `<=` is a `range`; a bit test is
//! `in`; the dependency nft adds before a protocol's field is hidden.

use crate::exthdr;
use crate::fields::{self, Ty};
use crate::listing::unsupported;
use nl_rustix::nft::{Ruleset, family_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::route::link::VlanProtocol;
use nl_rustix::nl_proto::nfnl::nft::Objref;
use nl_rustix::nl_proto::nfnl::nft::{
    CmpOp, CtKey, Data, Expr, ExthdrOp, HeaderField, LimitType, MetaKey, NFT_EXTHDR_F_PRESENT,
    NFT_SET_ANONYMOUS, PayloadBase, RangeOp, RejectType, Rule, VerdictCode,
};
use serde_json::{Map, Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Where a register's value came from.
#[derive(Clone, Debug)]
enum Src {
    /// A value nft lists as this JSON (a hash).
    Json(Value),
    Payload(PayloadBase, u32, u32),
    /// An extension header: op, type, offset, length, flags.
    Exthdr(ExthdrOp, u8, u32, u32, u32),
    Meta(MetaKey),
    Ct(CtKey, Option<u8>),
    /// A route, socket, fib, ipsec or osf load: its JSON, type, order.
    Keyed(Value, Ty, bool),
    Value(Vec<u8>),
}

/// A register: its source, a mask applied to it, and whether it was
/// turned to network order.
#[derive(Clone, Debug)]
struct Load {
    src: Src,
    mask: Option<Vec<u8>>,
    /// A constant xored in after the mask (`|`, `^` of a mangle value).
    xor: Option<Vec<u8>>,
    swapped: bool,
}

/// A load named: its JSON, value type, byte order, shift, and protocol.
struct Named {
    left: Value,
    ty: Ty,
    host: bool,
    shift: u32,
    proto: Option<&'static str>,
    /// A prefix of an address field: its full length in bytes.
    prefix_of: Option<u32>,
}

/// One statement of the listing, before dependencies are hidden.
struct Stmt {
    json: Value,
    /// For a dependency match: the protocol it makes implicit.
    implies: Option<&'static str>,
    /// For a payload match: its protocol.
    proto: Option<&'static str>,
}

fn plain(json: Value) -> Stmt {
    Stmt {
        json,
        implies: None,
        proto: None,
    }
}

/// The rule's protocol context.
#[derive(Default)]
struct Ctx {
    l3: Option<&'static str>,
    l4: Option<&'static str>,
    /// The ICMP type matched, which names the fields only it has.
    icmp_type: Option<u8>,
    /// How many 802.1Q tags the rule has announced.
    vlans: u32,
}

fn l4_proto_name(p: u8) -> Option<&'static str> {
    let n = fields::proto_name(p)?;
    Some(match n {
        "ipv6-icmp" => "icmpv6",
        "ipcomp" => "comp",
        n => n,
    })
}

fn name(load: &Load, ctx: &Ctx) -> Option<Named> {
    let mask = load.mask.as_deref();
    match &load.src {
        Src::Payload(base, off, len) => {
            // A field of an announced 802.1Q tag: named as the outer one's.
            let tags = HeaderField::VLAN_TCI.offset;
            if *base == PayloadBase::LL_HEADER && *off >= tags && ctx.vlans > 0 {
                let k = ((*off - tags) / HeaderField::VLAN_TAG_LEN).min(ctx.vlans - 1);
                let at = *off - k * HeaderField::VLAN_TAG_LEN;
                let f = fields::field_at("vlan", *base, at, *len, mask)?;
                return Some(Named {
                    left: f.left_json(),
                    ty: f.ty,
                    host: false,
                    shift: f.shift(),
                    proto: Some(f.proto),
                    prefix_of: None,
                });
            }
            let candidates: Vec<&str> = match *base {
                PayloadBase::LL_HEADER => vec!["ether"],
                PayloadBase::NETWORK_HEADER => ctx.l3.into_iter().collect(),
                PayloadBase::TRANSPORT_HEADER => match ctx.l4 {
                    Some(p) => vec![p],
                    None => vec!["th"],
                },
                _ => vec![],
            };
            for p in candidates {
                let json = |f: &fields::Field| f.left_json();
                // A field only one ICMP type has, after that type's match.
                if let Some(f) = fields::FIELDS.iter().find(|f| {
                    f.proto == p
                        && f.loc == fields::Loc::Payload(*base)
                        && f.load() == (*off, *len)
                        && mask.is_none()
                        && ctx.icmp_type.is_some()
                        && fields::icmp_type_dep(f.proto, f.name) == ctx.icmp_type
                }) {
                    return Some(Named {
                        left: json(f),
                        ty: f.ty,
                        host: false,
                        shift: 0,
                        proto: Some(f.proto),
                        prefix_of: None,
                    });
                }
                if let Some(f) = fields::field_at(p, *base, *off, *len, mask) {
                    return Some(Named {
                        left: json(f),
                        ty: f.ty,
                        host: false,
                        shift: f.shift(),
                        proto: Some(f.proto),
                        prefix_of: None,
                    });
                }
                // An address loaded short or masked: a prefix.
                if let Some(f) = fields::FIELDS.iter().find(|f| {
                    f.proto == p
                        && f.loc == fields::Loc::Payload(*base)
                        && f.load().0 == *off
                        && matches!(f.ty, Ty::Ipv4 | Ty::Ipv6)
                        && (*len < f.load().1 || (*len == f.load().1 && mask.is_some()))
                }) {
                    return Some(Named {
                        left: json(f),
                        ty: f.ty,
                        host: false,
                        shift: 0,
                        proto: Some(f.proto),
                        prefix_of: Some(f.load().1),
                    });
                }
            }
            None
        }
        Src::Exthdr(op, kind, off, len, flags) => {
            let dep = |op: ExthdrOp| match op {
                ExthdrOp::IPV6 => Some("ip6"),
                ExthdrOp::IPV4 => Some("ip"),
                _ => None,
            };
            if flags & NFT_EXTHDR_F_PRESENT != 0 {
                return (mask.is_none() && *len == 1).then(|| Named {
                    left: exthdr::presence_json(*op, *kind),
                    ty: Ty::Bool,
                    host: false,
                    shift: 0,
                    proto: dep(*op),
                    prefix_of: None,
                });
            }
            if let Some(f) = exthdr::field_at(*op, *kind, *off, *len, mask) {
                return Some(Named {
                    left: f.left_json(),
                    ty: f.ty,
                    host: false,
                    shift: f.shift(),
                    proto: dep(*op),
                    prefix_of: None,
                });
            }
            (*op == ExthdrOp::TCPOPT && mask.is_none()).then(|| Named {
                left: json!({"tcp option": {"base": kind, "offset": off * 8, "len": len * 8}}),
                ty: Ty::Int,
                host: false,
                shift: 0,
                proto: None,
                prefix_of: None,
            })
        }
        Src::Meta(k) => {
            let (n, ty, _) = fields::meta_by_key(*k)?;
            Some(Named {
                left: json!({"meta": {"key": n}}),
                ty,
                // `meta random` is big-endian, turned or not.
                host: !load.swapped && *k != MetaKey::PRANDOM,
                shift: 0,
                proto: None,
                prefix_of: None,
            })
        }
        Src::Ct(k, dir) => {
            let (n, ty, _) = fields::ct_by_key(*k)?;
            let mut o = Map::new();
            o.insert("key".into(), json!(n));
            match dir {
                None => {}
                Some(0) => {
                    o.insert("dir".into(), json!("original"));
                }
                Some(_) => {
                    o.insert("dir".into(), json!("reply"));
                }
            }
            Some(Named {
                left: json!({ "ct": o }),
                ty,
                // `ct id` is big-endian.
                host: !load.swapped && *k != CtKey::ID,
                shift: 0,
                proto: None,
                prefix_of: None,
            })
        }
        Src::Keyed(left, ty, host) => Some(Named {
            left: left.clone(),
            ty: *ty,
            host: *host && !load.swapped,
            shift: 0,
            proto: None,
            prefix_of: None,
        }),
        Src::Value(_) | Src::Json(_) => None,
    }
}

/// A whole-byte payload load no protocol names, as nft lists it: raw
/// (`{"base": "nh", "offset": 8, "len": 8}`, in bits).
fn raw(load: &Load) -> Option<Named> {
    let Src::Payload(base, off, len) = &load.src else {
        return None;
    };
    if load.mask.is_some() {
        return None;
    }
    let (b, _) = crate::matches::RAW_BASES.iter().find(|(_, x)| x == base)?;
    Some(Named {
        left: json!({"payload": {"base": b, "offset": off * 8, "len": len * 8}}),
        ty: Ty::Int,
        host: false,
        shift: 0,
        proto: None,
        prefix_of: None,
    })
}

fn addr(full: u32, data: &[u8]) -> Option<String> {
    let mut b = [0u8; 16];
    b.get_mut(..data.len())?.copy_from_slice(data);
    Some(if full == 4 {
        Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()
    } else {
        Ipv6Addr::from(b).to_string()
    })
}

/// A compared value as nft prints it.
fn value(n: &Named, data: &[u8]) -> Option<Value> {
    if n.shift == 0 {
        return n.ty.render(data, n.host);
    }
    let x = data.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)) >> n.shift;
    let bytes = x.to_be_bytes();
    n.ty.render(&bytes[8 - data.len()..], false)
}

/// Whether `dep` is the `icmp type` match nft adds before `next`, a field
/// of that type only (`icmp mtu`).
fn icmp_type_dep_of(dep: &Value, next: &Value) -> bool {
    let field = |m: &Value| -> Option<(String, String)> {
        let p = m.get("match")?.get("left")?.get("payload")?;
        Some((
            p.get("protocol")?.as_str()?.to_string(),
            p.get("field")?.as_str()?.to_string(),
        ))
    };
    let (Some((dp, df)), Some((np, nf))) = (field(dep), field(next)) else {
        return false;
    };
    let Some(t) = fields::icmp_type_dep(&np, &nf) else {
        return false;
    };
    let m = &dep["match"];
    let ty = fields::field(&np, "type").map(|f| f.ty);
    dp == np
        && df == "type"
        && m["op"] == "=="
        && ty.and_then(|ty| ty.render(&[t], false)).as_ref() == Some(&m["right"])
}

/// A merged load of `len` bytes at `off` compared with `data`, as the
/// whole-byte fields it covers and their values.
fn split(
    base: PayloadBase,
    off: u32,
    len: u32,
    data: &[u8],
    ctx: &Ctx,
) -> Option<Vec<(Named, Value, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut at = 0u32;
    while at < len {
        // The longest field that starts here and fits.
        let (n, flen) = (1..=len - at).rev().find_map(|l| {
            let load = Load {
                src: Src::Payload(base, off + at, l),
                mask: None,
                xor: None,
                swapped: false,
            };
            name(&load, ctx)
                .filter(|n| n.prefix_of.is_none() && n.shift == 0)
                .map(|n| (n, l))
        })?;
        let part = data.get(at as usize..(at + flen) as usize)?;
        let v = value(&n, part)?;
        out.push((n, v, part.to_vec()));
        at += flen;
    }
    (out.len() > 1).then_some(out)
}

/// What an `ether type` or `vlan type` match `n` of `data` makes sure
/// of, counting the 802.1Q tags it announces into `ctx`: the protocol it
/// makes implicit (a tag for `ether type 8021q`, which nft hides before a
/// tag's field; the network protocol in bridge and netdev), and the
/// protocol of the match itself (none for `vlan type`, before which nft
/// hides nothing); for other matches, `(None, n.proto)`.
fn link_type(
    n: &Named,
    data: &[u8],
    fam: NfProto,
    ctx: &mut Ctx,
) -> (Option<&'static str>, Option<&'static str>) {
    let outer = match n.proto {
        Some("ether") => true,
        Some("vlan") => false,
        _ => return (None, n.proto),
    };
    if n.left["payload"]["field"] != "type" {
        return (None, n.proto);
    }
    let proto = if outer { n.proto } else { None };
    if fields::is_vlan_ethertype(data) {
        ctx.vlans = if outer { 1 } else { ctx.vlans + 1 };
        let dot1q = VlanProtocol::DOT1Q.0.to_be_bytes();
        return ((outer && data == dot1q).then_some("vlan"), proto);
    }
    // The last header's type says what follows.
    if !matches!(fam, NfProto::BRIDGE | NfProto::NETDEV) || outer != (ctx.vlans == 0) {
        return (None, proto);
    }
    let l3 = match data {
        [0x08, 0x00] => Some("ip"),
        [0x86, 0xdd] => Some("ip6"),
        [0x08, 0x06] => Some("arp"),
        _ => None,
    };
    (l3, proto)
}

/// The constant a register holds (an `immediate` before a nat
/// statement).
fn reg_value(regs: &[Option<Load>], rg: Option<u32>) -> Option<Vec<u8>> {
    match &regs.get(usize::try_from(rg?).ok()?)?.as_ref()?.src {
        Src::Value(v) => Some(v.clone()),
        _ => None,
    }
}

/// A compared meta or ct value under a mask, as nft lists it: a prefix
/// when the mask is the high bits of a plain number, else the binary
/// operation on the left.
fn masked_match(load: &Load, data: &[u8], ctx: &Ctx) -> Option<(Value, Value)> {
    let bare = Load {
        mask: None,
        xor: None,
        ..load.clone()
    };
    let n = name(&bare, ctx)?;
    let mask = load.mask.as_deref()?;
    let m = mask
        .iter()
        .rev()
        .fold(0u64, |a, &x| (a << 8) | u64::from(x));
    let width = u32::try_from(mask.len() * 8).ok()?;
    let ones = m.leading_zeros() - (64 - width);
    if load.xor.is_none() && n.ty == Ty::Int && n.host && ones == 0 && m != 0 {
        let len = m.count_ones();
        if m.trailing_zeros() + len == width && len < width {
            let v = data
                .iter()
                .rev()
                .fold(0u64, |a, &x| (a << 8) | u64::from(x));
            return Some((n.left, json!({"prefix": {"addr": v, "len": len}})));
        }
    }
    Some((rvalue(load, n.ty, n.host, ctx)?, n.ty.render(data, n.host)?))
}

/// A mangle's value as nft lists it: a constant of the key's type, a
/// load, or a load combined with a constant (`&`, `|`, `^`).
fn rvalue(load: &Load, ty: Ty, host: bool, ctx: &Ctx) -> Option<Value> {
    if let Src::Value(b) = &load.src {
        return ty.render(b, host);
    }
    if let Src::Json(j) = &load.src {
        return load.mask.is_none().then(|| j.clone());
    }
    let bare = Load {
        mask: None,
        xor: None,
        ..load.clone()
    };
    let n = name(&bare, ctx)?;
    let Some(mask) = &load.mask else {
        return Some(n.left);
    };
    let zero = vec![0u8; mask.len()];
    let xor = load.xor.clone().unwrap_or_else(|| zero.clone());
    let (op, arg) = if xor == zero {
        ("&", mask.clone())
    } else if mask.iter().zip(&xor).all(|(m, x)| *m == !x) {
        ("|", xor)
    } else if mask.iter().all(|&m| m == 0xff) {
        ("^", xor)
    } else {
        return None;
    };
    Some(json!({ op: [n.left, n.ty.render(&arg, n.host)?] }))
}

/// A range bound as nft prints it: symbolic types as numbers (nft
/// prints ranges with numeric output).
fn bound(n: &Named, data: &[u8]) -> Option<Value> {
    if matches!(n.ty, Ty::Named(_) | Ty::InetProto | Ty::EtherType) {
        let num = Named {
            left: Value::Null,
            ty: Ty::Int,
            host: n.host,
            shift: n.shift,
            proto: None,
            prefix_of: None,
        };
        return value(&num, data);
    }
    value(n, data)
}

/// The rule as nft lists it.
pub(crate) fn rule(r: &Rule<'_>, rs: &Ruleset) -> Result<Value, String> {
    let exprs: Vec<Expr<'_>> = r.exprs().collect::<Result<_, _>>().map_err(|e| {
        format!(
            "rule {} {} {} handle {}: {e}",
            family_name(r.family),
            r.table,
            r.chain,
            r.handle
        )
    })?;
    let mut ctx = Ctx {
        l3: fields::family_l3(r.family),
        l4: None,
        icmp_type: None,
        vlans: 0,
    };
    let mut regs: Vec<Option<Load>> = vec![None; 24];
    let mut stmts: Vec<Stmt> = Vec::new();
    // The protocols of each concatenation's fields, by statement.
    let mut concats: Vec<(usize, Vec<&'static str>)> = Vec::new();
    // `reject with tcp reset` in ip and ip6 hides the `meta l4proto tcp`
    // nft puts first in the rule.
    let mut hide_tcp_dep = false;
    let mut i = 0;
    while i < exprs.len() {
        let e = exprs[i];
        let bad = || unsupported(r, e.name());
        let reg = |n: u32| usize::try_from(n).ok().filter(|&n| n < 24);
        let set = |regs: &mut Vec<Option<Load>>, n: u32, l: Load| -> Result<(), String> {
            *regs.get_mut(reg(n).ok_or_else(bad)?).ok_or_else(bad)? = Some(l);
            Ok(())
        };
        let get = |regs: &Vec<Option<Load>>, n: u32| -> Result<Load, String> {
            regs.get(reg(n).ok_or_else(bad)?)
                .cloned()
                .flatten()
                .ok_or_else(bad)
        };
        let plain_load = |src| Load {
            src,
            mask: None,
            xor: None,
            swapped: false,
        };
        match e {
            Expr::Meta(m) if m.dreg.is_some() && m.sreg.is_none() => {
                set(&mut regs, m.dreg.unwrap_or(0), plain_load(Src::Meta(m.key)))?;
            }
            Expr::Payload(p) => {
                set(
                    &mut regs,
                    p.dreg,
                    plain_load(Src::Payload(p.base, p.offset, p.len)),
                )?;
            }
            Expr::Rt(_) | Expr::Socket(_) | Expr::Fib(_) | Expr::Xfrm(_) | Expr::Osf(_) => {
                let (left, ty, host) = crate::sources::list(&e).ok_or_else(bad)?;
                let dreg = match e {
                    Expr::Rt(x) => x.dreg,
                    Expr::Socket(x) => x.dreg,
                    Expr::Fib(x) => x.dreg,
                    Expr::Xfrm(x) => x.dreg,
                    Expr::Osf(x) => x.dreg,
                    _ => return Err(bad()),
                };
                set(&mut regs, dreg, plain_load(Src::Keyed(left, ty, host)))?;
            }
            Expr::Exthdr(x) if x.sreg.is_none() && x.dreg.is_some() => {
                set(
                    &mut regs,
                    x.dreg.unwrap_or(0),
                    plain_load(Src::Exthdr(x.op, x.kind, x.offset, x.len, x.flags)),
                )?;
            }
            Expr::Ct(ct) if ct.dreg.is_some() && ct.sreg.is_none() => {
                set(
                    &mut regs,
                    ct.dreg.unwrap_or(0),
                    plain_load(Src::Ct(ct.key, ct.direction)),
                )?;
            }
            Expr::Bitwise(b) => {
                let mut l = get(&regs, b.sreg)?;
                if l.mask.is_some() {
                    return Err(bad());
                }
                l.mask = Some(b.mask.to_vec());
                if b.xor.iter().any(|&x| x != 0) {
                    l.xor = Some(b.xor.to_vec());
                }
                set(&mut regs, b.dreg, l)?;
            }
            Expr::Byteorder(b) => {
                let mut l = get(&regs, b.sreg)?;
                if l.swapped || b.op != 1 {
                    return Err(bad());
                }
                l.swapped = true;
                set(&mut regs, b.dreg, l)?;
            }
            Expr::Cmp(c) => {
                let load = get(&regs, c.sreg)?;
                if load.xor.is_some() && !matches!(load.src, Src::Meta(_) | Src::Ct(..)) {
                    return Err(bad());
                }
                // A bit test: (x & bits) != 0 is `in`, == 0 is `!`.
                let bare = Load {
                    mask: None,
                    ..load.clone()
                };
                if (c.op == CmpOp::NEQ || c.op == CmpOp::EQ)
                    && c.data.iter().all(|&x| x == 0)
                    && let Some(m) = &load.mask
                    && let Some(n) = name(&bare, &ctx).filter(|n| matches!(n.ty, Ty::Bits(_)))
                {
                    let right = n.ty.render(m, n.host).ok_or_else(bad)?;
                    let op = if c.op == CmpOp::NEQ { "in" } else { "!" };
                    stmts.push(Stmt {
                        json: json!({"match": {"op": op, "left": n.left, "right": right}}),
                        implies: None,
                        proto: n.proto,
                    });
                    i += 1;
                    continue;
                }
                // A meta or ct value masked (`&`, `|`, `^`, or a prefix).
                if load.mask.is_some() && matches!(load.src, Src::Meta(_) | Src::Ct(..)) {
                    let (left, right) = masked_match(&load, c.data, &ctx).ok_or_else(bad)?;
                    let op = c.op.symbol().ok_or_else(bad)?;
                    stmts.push(plain(
                        json!({"match": {"op": op, "left": left, "right": right}}),
                    ));
                    i += 1;
                    continue;
                }
                // A header field under a mask of the rule's own: `&`.
                if let (Src::Payload(..), Some(m), None) =
                    (&load.src, &load.mask, name(&load, &ctx))
                    && let Some(n) = name(&bare, &ctx)
                        .or_else(|| raw(&bare))
                        .filter(|n| n.shift == 0)
                {
                    let op = c.op.symbol().ok_or_else(bad)?;
                    let left = json!({"&": [n.left, n.ty.render(m, n.host).ok_or_else(bad)?]});
                    let right = value(&n, c.data).ok_or_else(bad)?;
                    stmts.push(Stmt {
                        json: json!({"match": {"op": op, "left": left, "right": right}}),
                        implies: None,
                        proto: n.proto,
                    });
                    i += 1;
                    continue;
                }
                // nft's merge of adjacent header fields compared for
                // equality: one match per field.
                if let (Src::Payload(base, off, len), None, CmpOp::EQ) =
                    (&load.src, &load.mask, c.op)
                    && name(&load, &ctx).is_none()
                    && let Some(parts) = split(*base, *off, *len, c.data, &ctx)
                {
                    for (n, v, data) in parts {
                        let (implies, proto) = link_type(&n, &data, r.family, &mut ctx);
                        stmts.push(Stmt {
                            json: json!({"match": {"op": "==", "left": n.left, "right": v}}),
                            implies,
                            proto,
                        });
                    }
                    i += 1;
                    continue;
                }
                let n = name(&load, &ctx).or_else(|| raw(&load)).ok_or_else(bad)?;
                // >= then <= on the same load: a range.
                if c.op == CmpOp::GTE
                    && let Some(Expr::Cmp(hi)) = exprs.get(i + 1)
                    && hi.op == CmpOp::LTE
                    && hi.sreg == c.sreg
                {
                    let (lo, hi) = (
                        bound(&n, c.data).ok_or_else(bad)?,
                        bound(&n, hi.data).ok_or_else(bad)?,
                    );
                    stmts.push(Stmt {
                        json: json!({"match": {"op": "==", "left": n.left, "right": {"range": [lo, hi]}}}),
                        implies: None,
                        proto: n.proto,
                    });
                    i += 2;
                    continue;
                }
                let op = c.op.symbol().ok_or_else(bad)?;
                let right = match (n.prefix_of, &load.mask) {
                    (Some(full), None) => {
                        let len = u32::try_from(c.data.len()).map_err(|_| bad())?;
                        json!({"prefix": {"addr": addr(full, c.data).ok_or_else(bad)?, "len": len * 8}})
                    }
                    (Some(full), Some(m)) => {
                        let bits: u32 = m.iter().map(|b| b.count_ones()).sum();
                        let ones: u32 = m.iter().map(|b| b.leading_ones()).sum();
                        if bits != ones {
                            return Err(bad());
                        }
                        json!({"prefix": {"addr": addr(full, c.data).ok_or_else(bad)?, "len": bits}})
                    }
                    _ => value(&n, c.data).ok_or_else(bad)?,
                };
                // What this match makes sure of.
                let mut implies = None;
                let mut proto = n.proto;
                if c.op == CmpOp::EQ {
                    (implies, proto) = link_type(&n, c.data, r.family, &mut ctx);
                    match (&load.src, c.data) {
                        (Src::Meta(MetaKey::NFPROTO), [2]) => implies = Some("ip"),
                        (Src::Meta(MetaKey::NFPROTO), [10]) => implies = Some("ip6"),
                        (Src::Meta(MetaKey::PROTOCOL), [8, 0]) => implies = Some("ip"),
                        (Src::Meta(MetaKey::PROTOCOL), [0x86, 0xdd]) => implies = Some("ip6"),
                        (Src::Meta(MetaKey::PROTOCOL), [8, 6]) => implies = Some("arp"),
                        (Src::Meta(MetaKey::L4PROTO), [p]) => {
                            ctx.l4 = l4_proto_name(*p);
                            implies = ctx.l4;
                        }
                        (Src::Meta(MetaKey::IIFTYPE), [1, 0]) => implies = Some("ether"),
                        (Src::Payload(PayloadBase::TRANSPORT_HEADER, 0, 1), [t])
                            if matches!(n.proto, Some("icmp" | "icmpv6")) =>
                        {
                            ctx.icmp_type = Some(*t);
                        }
                        (Src::Payload(PayloadBase::NETWORK_HEADER, 9 | 6, 1), [p])
                            if n.proto.is_some_and(|x| x == "ip" || x == "ip6") =>
                        {
                            ctx.l4 = l4_proto_name(*p);
                        }
                        _ => {}
                    }
                    if let Some(l3 @ ("ip" | "ip6" | "arp")) = implies {
                        ctx.l3 = Some(l3);
                    }
                }
                stmts.push(Stmt {
                    json: json!({"match": {"op": op, "left": n.left, "right": right}}),
                    implies,
                    proto,
                });
            }
            Expr::Range(g) => {
                let load = get(&regs, g.sreg)?;
                let n = name(&load, &ctx).ok_or_else(bad)?;
                let op = match g.op {
                    RangeOp::EQ => "==",
                    RangeOp::NEQ => "!=",
                    _ => return Err(bad()),
                };
                let (lo, hi) = (
                    bound(&n, g.from).ok_or_else(bad)?,
                    bound(&n, g.to).ok_or_else(bad)?,
                );
                stmts.push(Stmt {
                    json: json!({"match": {"op": op, "left": n.left, "right": {"range": [lo, hi]}}}),
                    implies: None,
                    proto: n.proto,
                });
            }
            Expr::Lookup(lk) if lk.dreg.is_none_or(|d| d == 0) => {
                let (left, right, parts) = set_of(
                    r,
                    rs,
                    &regs,
                    &ctx,
                    (lk.set, lk.sreg),
                    &crate::anonset::verdict_json,
                    &bad,
                )?;
                let json = if lk.dreg == Some(0) {
                    json!({"vmap": {"key": left, "data": right}})
                } else {
                    let op = match lk.flags.unwrap_or(0) {
                        0 => "==",
                        1 => "!=",
                        _ => return Err(bad()),
                    };
                    json!({"match": {"op": op, "left": left, "right": right}})
                };
                if parts.len() > 1 {
                    concats.push((
                        stmts.len(),
                        parts.iter().filter_map(|p| p.0.proto).collect(),
                    ));
                }
                stmts.push(Stmt {
                    json,
                    implies: None,
                    proto: parts.last().and_then(|p| p.0.proto),
                });
            }
            Expr::Counter(c) => stmts.push(plain(
                json!({"counter": {"packets": c.packets, "bytes": c.bytes}}),
            )),
            Expr::FlowOffload(f) => stmts.push(plain(
                json!({"flow": {"op": "add", "flowtable": format!("@{}", f.table)}}),
            )),
            Expr::Objref(Objref::Named { kind, name }) => {
                let word = crate::objects::stmt_word(kind).ok_or_else(bad)?;
                stmts.push(plain(json!({ word: name })));
            }
            Expr::Objref(Objref::Map { sreg, set, .. }) => {
                let word = crate::objects::stmt_word(kind_of_map(rs, r, set)).ok_or_else(bad)?;
                let (left, right, parts) = set_of(
                    r,
                    rs,
                    &regs,
                    &ctx,
                    (set, sreg),
                    &|d| match d {
                        nl_rustix::nft::ElemData::Value(v) => {
                            std::str::from_utf8(v).ok().map(|n| json!(n))
                        }
                        nl_rustix::nft::ElemData::Verdict(..) => None,
                    },
                    &bad,
                )?;
                stmts.push(Stmt {
                    json: json!({ word: {"map": {"key": left, "data": right}} }),
                    implies: None,
                    proto: parts.last().and_then(|p| p.0.proto),
                });
            }
            Expr::Immediate(imm) => match imm.data {
                Data::Verdict(v) => {
                    let j = match (v.code, v.chain) {
                        (VerdictCode::ACCEPT, None) => json!({"accept": null}),
                        (VerdictCode::DROP, None) => json!({"drop": null}),
                        (VerdictCode::RETURN, None) => json!({"return": null}),
                        (VerdictCode::CONTINUE, None) => json!({"continue": null}),
                        (VerdictCode::JUMP, Some(t)) => json!({"jump": {"target": t}}),
                        (VerdictCode::GOTO, Some(t)) => json!({"goto": {"target": t}}),
                        _ => return Err(bad()),
                    };
                    stmts.push(plain(j));
                }
                Data::Value(v) => set(&mut regs, imm.dreg, plain_load(Src::Value(v.to_vec())))?,
            },
            Expr::Limit(l) => stmts.push(plain(limit(&l).ok_or_else(bad)?)),
            Expr::Quota(q) => {
                let mut j = Map::new();
                let (v, u) = data_unit(q.bytes);
                j.insert("val".into(), json!(v));
                j.insert("val_unit".into(), json!(u));
                if q.consumed != 0 {
                    let (v, u) = data_unit(q.consumed);
                    j.insert("used".into(), json!(v));
                    j.insert("used_unit".into(), json!(u));
                }
                if q.flags & 1 != 0 {
                    j.insert("inv".into(), json!(true));
                }
                stmts.push(plain(json!({ "quota": j })));
            }
            Expr::Log(l) => stmts.push(plain(crate::stmt::list_log(&l).ok_or_else(bad)?)),
            Expr::Reject(rj) => {
                let (j, hides) = crate::stmt::list_reject(&rj, ctx.l3).ok_or_else(bad)?;
                if rj.kind == RejectType::TCP_RST
                    && matches!(r.family, NfProto::IPV4 | NfProto::IPV6)
                {
                    hide_tcp_dep = true;
                }
                stmts.push(Stmt {
                    json: j,
                    implies: None,
                    proto: hides,
                });
            }
            Expr::Exthdr(x) if x.dreg.is_none() && x.sreg.is_none() => {
                stmts.push(plain(crate::stmt::list_reset(&x).ok_or_else(bad)?));
            }
            Expr::Meta(m) if m.sreg.is_some() && m.dreg.is_none() => {
                let (n, ty, _) = fields::meta_by_key(m.key).ok_or_else(bad)?;
                let v =
                    rvalue(&get(&regs, m.sreg.unwrap_or(0))?, ty, true, &ctx).ok_or_else(bad)?;
                stmts.push(plain(
                    json!({"mangle": {"key": {"meta": {"key": n}}, "value": v}}),
                ));
            }
            Expr::Ct(c) if c.sreg.is_some() && c.dreg.is_none() => {
                let (n, ty, _) = fields::ct_by_key(c.key).ok_or_else(bad)?;
                let v =
                    rvalue(&get(&regs, c.sreg.unwrap_or(0))?, ty, true, &ctx).ok_or_else(bad)?;
                let mut k = Map::new();
                k.insert("key".into(), json!(n));
                if let Some(d) = c.direction {
                    k.insert(
                        "dir".into(),
                        json!(if d == 0 { "original" } else { "reply" }),
                    );
                }
                stmts.push(plain(json!({"mangle": {"key": {"ct": k}, "value": v}})));
            }
            Expr::Exthdr(x) if x.sreg.is_some() && x.dreg.is_none() => {
                let f = exthdr::field_at(x.op, x.kind, x.offset, x.len, None).ok_or_else(bad)?;
                let v =
                    rvalue(&get(&regs, x.sreg.unwrap_or(0))?, f.ty, false, &ctx).ok_or_else(bad)?;
                stmts.push(plain(json!({"mangle": {"key": f.left_json(), "value": v}})));
            }
            Expr::PayloadWrite(p) => {
                let l = get(&regs, p.sreg)?;
                let tag = (ctx.vlans == 1).then_some("vlan");
                let protos: Vec<&str> = ["ether"]
                    .into_iter()
                    .chain(tag)
                    .chain(ctx.l3)
                    .chain(ctx.l4)
                    .collect();
                let (imm, rmw) = match &l.src {
                    Src::Value(v) => (Some(v.as_slice()), None),
                    Src::Payload(b, o, n) if (*b, *o, *n) == (p.base, p.offset, p.len) => {
                        let mask = l.mask.clone().ok_or_else(bad)?;
                        let xor = l.xor.clone().unwrap_or_else(|| vec![0; mask.len()]);
                        (None, Some((mask, xor)))
                    }
                    _ => return Err(bad()),
                };
                let rmw = rmw.as_ref().map(|(m, x)| (m.as_slice(), x.as_slice()));
                let (j, proto) =
                    crate::mangle::list_payload_write(&p, imm, rmw, &protos).ok_or_else(bad)?;
                stmts.push(Stmt {
                    json: j,
                    implies: None,
                    proto: Some(proto),
                });
            }
            Expr::Masq(m) => {
                let port = |rg: Option<u32>| reg_value(&regs, rg);
                let j = crate::stmt::list_masq_redir(
                    "masquerade",
                    m.flags,
                    port(m.reg_proto_min),
                    port(m.reg_proto_max),
                )
                .ok_or_else(bad)?;
                stmts.push(plain(j));
            }
            Expr::Redir(m) => {
                let port = |rg: Option<u32>| reg_value(&regs, rg);
                let j = crate::stmt::list_masq_redir(
                    "redirect",
                    m.flags,
                    port(m.reg_proto_min),
                    port(m.reg_proto_max),
                )
                .ok_or_else(bad)?;
                stmts.push(plain(j));
            }
            Expr::Nat(n) => {
                let rv = |rg: Option<u32>| reg_value(&regs, rg);
                let j = crate::actions::list_nat(&n, r.family, &rv).ok_or_else(bad)?;
                stmts.push(plain(j));
            }
            Expr::Tproxy(t) => {
                let rv = |rg: Option<u32>| reg_value(&regs, rg);
                let j = crate::actions::list_tproxy(&t, r.family, &rv).ok_or_else(bad)?;
                stmts.push(plain(j));
            }
            Expr::Dup(d) => {
                let rv = |rg: Option<u32>| reg_value(&regs, rg);
                stmts.push(plain(crate::actions::list_dup(&d, &rv).ok_or_else(bad)?));
            }
            Expr::Fwd(f) => {
                let rv = |rg: Option<u32>| reg_value(&regs, rg);
                stmts.push(plain(crate::actions::list_fwd(&f, &rv).ok_or_else(bad)?));
            }
            Expr::Synproxy(sp) => {
                stmts.push(plain(crate::actions::list_synproxy(&sp).ok_or_else(bad)?));
            }
            Expr::Connlimit(c) => stmts.push(plain(crate::actions::list_connlimit(&c))),
            Expr::Notrack => stmts.push(plain(json!({"notrack": null}))),
            Expr::Hash(h) => {
                // jhash's keys: one load, or a concatenation from register 2.
                let keys = match (h.sreg, h.len) {
                    (Some(sreg), Some(len)) => {
                        let mut parts = Vec::new();
                        let mut off = 0;
                        while off < len {
                            let rg = if off == 0 {
                                sreg
                            } else {
                                8 + (sreg - 1) * 4 + off / 4
                            };
                            let load = get(&regs, rg)?;
                            let n = load_len(&load).ok_or_else(bad)?;
                            parts.push(name(&load, &ctx).ok_or_else(bad)?.left);
                            off += n.next_multiple_of(4);
                        }
                        Some(if parts.len() == 1 {
                            parts.remove(0)
                        } else {
                            json!({ "concat": parts })
                        })
                    }
                    _ => None,
                };
                let j = crate::actions::list_hash(&h, keys).ok_or_else(bad)?;
                set(&mut regs, h.dreg, plain_load(Src::Json(j)))?;
            }
            _ => return Err(bad()),
        }
        i += 1;
    }
    if hide_tcp_dep && stmts.first().is_some_and(|s| s.implies == Some("tcp")) {
        stmts.remove(0);
    }
    // Hide the dependency a protocol field implies (and the network
    // protocol's under a hidden icmp or icmpv6 dependency), from the end.
    let mut hidden = vec![false; stmts.len()];
    for k in (0..stmts.len()).rev() {
        let s = &stmts[k];
        let Some(next) = stmts.get(k + 1) else {
            continue;
        };
        // A concatenation hides the dependencies of all its fields, which
        // nft puts before it in a row.
        let user = (k + 1..stmts.len()).find(|&j| stmts[j].implies.is_none());
        let in_concat = user.is_some_and(|j| {
            concats
                .iter()
                .any(|(i, ps)| *i == j && s.implies.is_some_and(|p| ps.contains(&p)))
        });
        let via = |n: &Stmt| match n.implies {
            // nft 1.0.6 lists igmp's `meta nfproto ipv4` (not icmp's).
            Some("icmp") => Some("ip"),
            Some("icmpv6") => Some("ip6"),
            _ => None,
        };
        hidden[k] = s.implies.is_some()
            && (in_concat || next.proto == s.implies || (hidden[k + 1] && via(next) == s.implies))
            || icmp_type_dep_of(&s.json, &next.json);
    }
    let shown: Vec<Value> = stmts
        .iter()
        .zip(&hidden)
        .filter(|(_, h)| !**h)
        .map(|(s, _)| s.json.clone())
        .collect();
    Ok(
        json!({"rule": {"family": family_name(r.family), "table": r.table, "chain": r.chain,
        "handle": r.handle, "expr": shown}}),
    )
}

/// A lookup key's loads, named, with their lengths.
type KeyParts = Vec<(Named, u32)>;

/// The key and the set of a lookup of set `set` with the key in `sreg`,
/// as nft lists them: the left side (one load, or a concatenation in
/// consecutive registers), the right side (an anonymous set's elements,
/// each map element's data rendered by `render_data`, or `@name`), and
/// the key's parts with their lengths.
fn set_of(
    r: &Rule<'_>,
    rs: &Ruleset,
    regs: &[Option<Load>],
    ctx: &Ctx,
    (set_name, sreg): (&str, u32),
    render_data: &dyn Fn(&nl_rustix::nft::ElemData) -> Option<Value>,
    bad: &dyn Fn() -> String,
) -> Result<(Value, Value, KeyParts), String> {
    let get = |regs: &[Option<Load>], n: u32| -> Result<Load, String> {
        usize::try_from(n)
            .ok()
            .and_then(|n| regs.get(n))
            .cloned()
            .flatten()
            .ok_or_else(bad)
    };
    let (set, elems) = rs
        .sets
        .iter()
        .find(|(s, _)| {
            s.family == r.family && s.table.as_str() == r.table && s.name.as_str() == set_name
        })
        .ok_or_else(bad)?;
    // An object map's elements name objects: listed as a map's data.
    let (set, elems) = crate::objects::as_named_data(set, elems);
    let mut parts = Vec::new();
    let mut off = 0;
    while off < set.key_len.max(1) {
        let rg = if off == 0 {
            sreg
        } else {
            crate::anonset::reg_at(off)
        };
        let load = get(regs, rg)?;
        let len = load_len(&load).ok_or_else(bad)?;
        let n = name(&load, ctx).ok_or_else(bad)?;
        parts.push((n, len));
        off += len.next_multiple_of(4);
        if parts.len() == 1 && off >= set.key_len {
            break;
        }
    }
    let left = if let [(n, _)] = parts.as_slice() {
        n.left.clone()
    } else {
        json!({"concat": parts.iter().map(|p| p.0.left.clone()).collect::<Vec<_>>()})
    };
    let closures: Vec<_> = parts
        .iter()
        .map(|(n, _)| move |b: &[u8]| value(n, b))
        .collect();
    // In a set, nft prints an inet_proto's range bounds as numbers (an
    // ether type's by name).
    let bounds: Vec<_> = parts
        .iter()
        .map(|(n, _)| {
            move |b: &[u8]| {
                if n.ty == Ty::InetProto {
                    bound(n, b)
                } else {
                    value(n, b)
                }
            }
        })
        .collect();
    let fields: Vec<crate::anonset::Render<'_>> = parts
        .iter()
        .zip(closures.iter().zip(&bounds))
        .map(|((n, len), (f, bd))| crate::anonset::Render {
            value: f,
            bound: Some(bd),
            addr: matches!(n.ty, Ty::Ipv4 | Ty::Ipv6),
            len: if parts.len() == 1 {
                set.key_len as usize
            } else {
                *len as usize
            },
        })
        .collect();
    let right = if set.flags & NFT_SET_ANONYMOUS != 0 {
        json!({ "set": crate::anonset::elements(&set, &elems, &fields, render_data).ok_or_else(bad)? })
    } else {
        json!(format!("@{set_name}"))
    };
    Ok((left, right, parts))
}

/// The object type of object map `set` (0 if it is not one).
fn kind_of_map(rs: &Ruleset, r: &Rule<'_>, set: &str) -> nl_rustix::nl_proto::nfnl::nft::ObjType {
    let t = rs
        .sets
        .iter()
        .find(|(s, _)| {
            s.family == r.family && s.table.as_str() == r.table && s.name.as_str() == set
        })
        .map_or(0, |(s, _)| s.obj_type);
    nl_rustix::nl_proto::nfnl::nft::ObjType(t)
}

/// How many bytes a load puts in its register.
fn load_len(l: &Load) -> Option<u32> {
    match &l.src {
        Src::Payload(_, _, len) => Some(*len),
        Src::Meta(k) => fields::meta_by_key(*k).map(|m| m.2),
        Src::Ct(k, _) => fields::ct_by_key(*k).map(|m| m.2).filter(|&l| l != 0),
        Src::Value(v) => u32::try_from(v.len()).ok(),
        Src::Json(_) => Some(4),
        Src::Exthdr(_, _, _, len, _) => Some(*len),
        Src::Keyed(left, ..) => crate::sources::len_of(left),
    }
}

/// A byte count in the largest of nft's units that divides it.
fn data_unit(n: u64) -> (u64, &'static str) {
    let mut v = n;
    let mut u = 0;
    while v >= 1024 && v % 1024 == 0 && u < 2 {
        v /= 1024;
        u += 1;
    }
    (v, ["bytes", "kbytes", "mbytes"][u])
}

/// Syslog levels by number, as nft names them.
pub(crate) const LOG_LEVELS: [&str; 9] = [
    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit",
];

/// `limit` as nft lists it: packets per unit, or bytes with the largest
/// unit that divides the rate (and the burst).
fn limit(l: &nl_rustix::nl_proto::nfnl::nft::Limit) -> Option<Value> {
    let per = match l.unit {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        604800 => "week",
        _ => return None,
    };
    let mut j = Map::new();
    if l.kind == LimitType::PKTS {
        j.insert("rate".into(), json!(l.rate));
        if l.burst != 0 {
            j.insert("burst".into(), json!(l.burst));
        }
        j.insert("per".into(), json!(per));
        if l.flags & 1 != 0 {
            j.insert("inv".into(), json!(true));
        }
        return Some(json!({ "limit": j }));
    }
    if l.kind != LimitType::PKT_BYTES {
        return None;
    }
    let unit = data_unit;
    let (rate, rate_unit) = unit(l.rate);
    j.insert("rate".into(), json!(rate));
    let (burst, burst_unit) = unit(u64::from(l.burst));
    j.insert("burst".into(), json!(burst));
    j.insert("per".into(), json!(per));
    if l.flags & 1 != 0 {
        j.insert("inv".into(), json!(true));
    }
    j.insert("rate_unit".into(), json!(rate_unit));
    j.insert("burst_unit".into(), json!(burst_unit));
    Some(json!({ "limit": j }))
}
