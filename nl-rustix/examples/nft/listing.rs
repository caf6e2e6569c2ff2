//! The kernel's ruleset back into nft's JSON (`nft -j list ruleset`):
//! a metainfo object, then per table the table, its chains, its rules.
//!
//! Rules are translated the way nft 1.0.6 prints them: a load (payload or
//! meta) followed by a comparison is one `match`; a byte-aligned short
//! payload or a bitwise mask is a `prefix`; `>=` then `<=` on one load is a
//! `range`; the dependency nft adds for a protocol field (`meta nfproto
//! ipv4` before `ip saddr` in inet, `meta l4proto tcp` before `tcp dport`)
//! is hidden. A rule or set this example cannot render is never a guess:
//! it is left out with a warning naming it, and the rest is listed.

use crate::settype::{KeyType, pred, prefix_len};
use nl_rustix::nft::{Ruleset, SetElem, family_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Chain, CmpOp, CtKey, Data, Expr, HookNum, LimitType, MetaKey, NF_DROP, NFT_SET_ANONYMOUS,
    NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_TIMEOUT, NatType, PayloadBase, RangeOp,
    RejectType, Rule, Set, VerdictCode,
};
use serde_json::{Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The whole listing, and a warning for each rule or set left out (one
/// this example cannot render does not fail the rest).
pub(crate) fn ruleset(rs: &Ruleset) -> (Value, Vec<String>) {
    let mut warnings = Vec::new();
    let mut keep = |v: Result<Value, String>, out: &mut Vec<Value>| match v {
        Ok(v) => out.push(v),
        Err(e) => warnings.push(format!("{e}: not listed")),
    };
    let mut out = vec![json!({"metainfo": {
        "version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}})];
    for t in &rs.tables {
        let fam = family_name(t.family);
        out.push(json!({"table": {"family": fam, "name": t.name.as_str(), "handle": t.handle}}));
        for (set, elems) in &rs.sets {
            if set.family == t.family && set.table == t.name && set.flags & NFT_SET_ANONYMOUS == 0 {
                keep(set_json(set, elems), &mut out);
            }
        }
        let chains: Vec<&Chain> = rs
            .chains
            .iter()
            .filter(|c| c.family == t.family && c.table == t.name)
            .collect();
        for c in &chains {
            out.push(chain(c));
        }
        for c in &chains {
            for r in rs.rules.iter().map(|r| r.rule()) {
                if r.family == t.family && r.table == t.name.as_str() && r.chain == c.name.as_str()
                {
                    keep(rule(&r, rs), &mut out);
                }
            }
        }
    }
    (json!({ "nftables": out }), warnings)
}

fn hook_name(h: HookNum) -> String {
    match h {
        HookNum::PREROUTING => "prerouting".into(),
        HookNum::INPUT => "input".into(),
        HookNum::FORWARD => "forward".into(),
        HookNum::OUTPUT => "output".into(),
        HookNum::POSTROUTING => "postrouting".into(),
        HookNum::INGRESS => "ingress".into(),
        other => other.0.to_string(),
    }
}

fn chain(c: &Chain) -> Value {
    let mut v = json!({"family": family_name(c.family), "table": c.table.as_str(),
        "name": c.name.as_str(), "handle": c.handle});
    if let (Some(h), Some(ty)) = (c.hook, &c.chain_type) {
        let m = v.as_object_mut().expect("an object");
        m.insert("type".into(), json!(ty.as_str()));
        m.insert("hook".into(), json!(hook_name(h.num)));
        m.insert("prio".into(), json!(h.priority));
        let policy = match c.policy {
            Some(NF_DROP) => "drop",
            _ => "accept",
        };
        m.insert("policy".into(), json!(policy));
    }
    json!({ "chain": v })
}

/// What a register holds.
#[derive(Clone, Copy, Debug)]
enum Load {
    /// `meta KEY`.
    Meta(MetaKey),
    /// A header field: (protocol, field, full length in bytes), loaded
    /// with `len` bytes.
    Field(&'static str, &'static str, u32, u32),
    /// A field masked to a prefix of `bits`.
    Masked(&'static str, &'static str, u32, u32),
    /// An immediate value.
    Value([u8; 16], usize),
    /// `ct state`.
    CtState,
    /// `ct state` masked with these state bits.
    CtStateBits(u32),
}

/// `ct state` bits as nft names them, lowest first.
const CT_STATES: [(u32, &str); 5] = [
    (1, "invalid"),
    (2, "established"),
    (4, "related"),
    (8, "new"),
    (64, "untracked"),
];

fn ct_state_names(bits: u32) -> Option<Vec<&'static str>> {
    let names: Vec<&str> = CT_STATES
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|&(_, n)| n)
        .collect();
    let known: u32 = CT_STATES.iter().map(|(b, _)| b).sum();
    (bits & !known == 0 && !names.is_empty()).then_some(names)
}

/// One statement of the listing, before dependencies are hidden.
struct Stmt {
    json: Value,
    /// For `meta nfproto|l4proto == X`: the protocol it makes implicit.
    implies: Option<&'static str>,
    /// For a payload match: its protocol.
    proto: Option<&'static str>,
}

fn l4_name(p: u8) -> Option<&'static str> {
    Some(match p {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "ipv6-icmp",
        132 => "sctp",
        _ => return None,
    })
}

fn be(b: &[u8]) -> u64 {
    b.iter().fold(0, |a, &x| (a << 8) | u64::from(x))
}

fn field(
    base: PayloadBase,
    offset: u32,
    len: u32,
    l3: Option<&'static str>,
    l4: Option<&'static str>,
) -> Option<Load> {
    const NH: PayloadBase = PayloadBase::NETWORK_HEADER;
    const TH: PayloadBase = PayloadBase::TRANSPORT_HEADER;
    match (base, l3, l4, offset) {
        (NH, Some("ip"), _, 12) if len <= 4 => Some(Load::Field("ip", "saddr", 4, len)),
        (NH, Some("ip"), _, 16) if len <= 4 => Some(Load::Field("ip", "daddr", 4, len)),
        (NH, Some("ip6"), _, 8) if len <= 16 => Some(Load::Field("ip6", "saddr", 16, len)),
        (NH, Some("ip6"), _, 24) if len <= 16 => Some(Load::Field("ip6", "daddr", 16, len)),
        (TH, _, Some(p @ ("tcp" | "udp")), 0) if len == 2 => Some(Load::Field(p, "sport", 2, 2)),
        (TH, _, Some(p @ ("tcp" | "udp")), 2) if len == 2 => Some(Load::Field(p, "dport", 2, 2)),
        _ => None,
    }
}

/// A value of a load as nft prints it.
fn value(load: Load, data: &[u8]) -> Option<Value> {
    Some(match load {
        Load::Meta(MetaKey::IIFNAME | MetaKey::OIFNAME) => {
            let s = data.split(|&b| b == 0).next()?;
            json!(std::str::from_utf8(s).ok()?)
        }
        Load::Meta(MetaKey::MARK) => json!(u32::from_ne_bytes(data.try_into().ok()?)),
        Load::Meta(MetaKey::L4PROTO) => {
            let p = *data.first()?;
            l4_name(p).map_or(json!(p), |n| json!(n))
        }
        Load::Meta(MetaKey::NFPROTO) => match data.first()? {
            2 => json!("ipv4"),
            10 => json!("ipv6"),
            p => json!(p),
        },
        Load::Field(_, _, 4, 4) => {
            json!(Ipv4Addr::from(<[u8; 4]>::try_from(data).ok()?).to_string())
        }
        Load::Field(_, _, 16, 16) => {
            json!(Ipv6Addr::from(<[u8; 16]>::try_from(data).ok()?).to_string())
        }
        Load::Field(_, _, 2, 2) => json!(be(data)),
        Load::CtState => {
            let names = ct_state_names(u32::from_ne_bytes(data.try_into().ok()?))?;
            match names.as_slice() {
                [one] => json!(one),
                _ => return None,
            }
        }
        _ => return None,
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

fn left(load: Load) -> Option<Value> {
    Some(match load {
        Load::Meta(k) => {
            let key = match k {
                MetaKey::MARK => "mark",
                MetaKey::IIFNAME => "iifname",
                MetaKey::OIFNAME => "oifname",
                MetaKey::NFPROTO => "nfproto",
                MetaKey::L4PROTO => "l4proto",
                _ => return None,
            };
            json!({"meta": {"key": key}})
        }
        Load::Field(p, f, ..) | Load::Masked(p, f, ..) => {
            json!({"payload": {"protocol": p, "field": f}})
        }
        Load::CtState | Load::CtStateBits(_) => json!({"ct": {"key": "state"}}),
        Load::Value(..) => return None,
    })
}

fn unsupported(r: &Rule<'_>, what: &str) -> String {
    format!(
        "rule {} {} {} handle {}: unsupported expression `{what}`",
        family_name(r.family),
        r.table,
        r.chain,
        r.handle
    )
}

fn set_type(set: &Set) -> Result<KeyType, String> {
    KeyType::by_id(set.key_type).ok_or(format!(
        "set {} {} {}: unsupported key type {}",
        family_name(set.family),
        set.table,
        set.name,
        set.key_type
    ))
}

/// A set's elements as nft lists them: sorted by value; an interval set's
/// start/end pairs as values, prefixes (addresses) or ranges.
fn elem_values(set: &Set, elems: &[SetElem]) -> Result<Vec<Value>, String> {
    let ty = set_type(set)?;
    let bad = || {
        format!(
            "set {} {} {}: an element this example cannot render",
            family_name(set.family),
            set.table,
            set.name
        )
    };
    if set.flags & NFT_SET_INTERVAL == 0 {
        let mut sorted: Vec<&SetElem> = elems.iter().collect();
        sorted.sort_by_key(|e| ty.sort_key(&e.key));
        return sorted
            .into_iter()
            .map(|e| {
                let v = ty.render(&e.key).ok_or_else(bad)?;
                if set.flags & NFT_SET_TIMEOUT == 0 {
                    return Ok(v);
                }
                let mut o = json!({ "val": v });
                if e.timeout.is_some() && e.timeout != set.timeout {
                    o["timeout"] = json!(e.timeout.unwrap_or(0) / 1000);
                }
                if let Some(x) = e.expiration {
                    o["expires"] = json!(x / 1000);
                }
                Ok(json!({ "elem": o }))
            })
            .collect();
    }
    let mut sorted: Vec<&SetElem> = elems.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.key, a.flags & NFT_SET_ELEM_INTERVAL_END == 0)
            .cmp(&(&b.key, b.flags & NFT_SET_ELEM_INTERVAL_END == 0))
    });
    let mut out = Vec::new();
    let mut k = 0;
    while k < sorted.len() {
        let e = sorted[k];
        if e.flags & NFT_SET_ELEM_INTERVAL_END != 0 {
            k += 1;
            continue;
        }
        let lo = &e.key;
        let hi = match sorted.get(k + 1) {
            Some(n) if n.flags & NFT_SET_ELEM_INTERVAL_END != 0 => {
                k += 2;
                pred(&n.key)
            }
            _ => {
                k += 1;
                vec![0xff; lo.len()]
            }
        };
        let v = if *lo == hi {
            ty.render(lo).ok_or_else(bad)?
        } else if let Some(len) = prefix_len(lo, &hi).filter(|_| ty.is_addr()) {
            json!({"prefix": {"addr": ty.render(lo).ok_or_else(bad)?, "len": len}})
        } else {
            json!({"range": [ty.render(lo).ok_or_else(bad)?, ty.render(&hi).ok_or_else(bad)?]})
        };
        out.push(v);
    }
    Ok(out)
}

fn set_json(set: &Set, elems: &[SetElem]) -> Result<Value, String> {
    let ty = set_type(set)?;
    let mut v = json!({"family": family_name(set.family), "name": set.name.as_str(),
        "table": set.table.as_str(), "type": ty.name(), "handle": set.handle});
    let mut flags = Vec::new();
    if set.flags & NFT_SET_INTERVAL != 0 {
        flags.push("interval");
    }
    if set.flags & NFT_SET_TIMEOUT != 0 {
        flags.push("timeout");
    }
    if set.flags & !(NFT_SET_INTERVAL | NFT_SET_TIMEOUT) != 0 {
        return Err(format!(
            "set {} {} {}: unsupported flags {:#x}",
            family_name(set.family),
            set.table,
            set.name,
            set.flags
        ));
    }
    if !flags.is_empty() {
        v["flags"] = json!(flags);
    }
    if let Some(t) = set.timeout {
        v["timeout"] = json!(t / 1000);
    }
    let elems = elem_values(set, elems)?;
    if !elems.is_empty() {
        v["elem"] = json!(elems);
    }
    Ok(json!({ "set": v }))
}

fn rule(r: &Rule<'_>, rs: &Ruleset) -> Result<Value, String> {
    let exprs: Vec<Expr<'_>> = r.exprs().collect::<Result<_, _>>().map_err(|e| {
        format!(
            "rule {} {} {} handle {}: {e}",
            family_name(r.family),
            r.table,
            r.chain,
            r.handle
        )
    })?;
    let mut l3: Option<&'static str> = match r.family {
        NfProto::IPV4 => Some("ip"),
        NfProto::IPV6 => Some("ip6"),
        _ => None,
    };
    let mut l4: Option<&'static str> = None;
    let mut regs: [Option<Load>; 5] = [None; 5];
    let mut stmts: Vec<Stmt> = Vec::new();
    let mut i = 0;
    while i < exprs.len() {
        let e = exprs[i];
        let bad = || unsupported(r, e.name());
        let reg = |n: u32| usize::try_from(n).ok().filter(|&n| n < 5);
        match e {
            Expr::Meta(m) if m.dreg.is_some() => {
                regs[reg(m.dreg.unwrap_or(0)).ok_or_else(bad)?] = Some(Load::Meta(m.key));
            }
            Expr::Payload(p) => {
                let f = field(p.base, p.offset, p.len, l3, l4).ok_or_else(bad)?;
                regs[reg(p.dreg).ok_or_else(bad)?] = Some(f);
            }
            Expr::Ct(ct)
                if ct.key == CtKey::STATE && ct.dreg.is_some() && ct.direction.is_none() =>
            {
                regs[reg(ct.dreg.unwrap_or(0)).ok_or_else(bad)?] = Some(Load::CtState);
            }
            Expr::Bitwise(b)
                if matches!(regs[reg(b.sreg).ok_or_else(bad)?], Some(Load::CtState)) =>
            {
                if b.len != 4 || b.xor != [0; 4] {
                    return Err(bad());
                }
                let mask = u32::from_ne_bytes(b.mask.try_into().map_err(|_| bad())?);
                regs[reg(b.dreg).ok_or_else(bad)?] = Some(Load::CtStateBits(mask));
            }
            Expr::Cmp(c)
                if matches!(
                    regs[reg(c.sreg).ok_or_else(bad)?],
                    Some(Load::CtStateBits(_))
                ) =>
            {
                let Some(Load::CtStateBits(mask)) = regs[reg(c.sreg).ok_or_else(bad)?] else {
                    return Err(bad());
                };
                // `ct state A,B`: (state & bits) != 0.
                if c.op != CmpOp::NEQ || c.data != [0; 4] {
                    return Err(bad());
                }
                let names = ct_state_names(mask).ok_or_else(bad)?;
                let right = match names.as_slice() {
                    [one] => json!(one),
                    _ => json!(names),
                };
                stmts.push(plain(json!({"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": right}})));
            }
            Expr::Bitwise(b) => {
                let src = regs[reg(b.sreg).ok_or_else(bad)?].ok_or_else(bad)?;
                let Load::Field(p, f, full, len) = src else {
                    return Err(bad());
                };
                if b.xor.iter().any(|&x| x != 0) || len != full {
                    return Err(bad());
                }
                let ones = b.mask.iter().map(|m| m.leading_ones()).sum::<u32>();
                let prefix_ok = b.mask.iter().map(|m| m.count_ones()).sum::<u32>() == ones
                    && b.mask
                        .iter()
                        .scan(true, |full_so_far, &m| {
                            let ok = *full_so_far || m == 0;
                            *full_so_far = m == 0xff;
                            Some(ok)
                        })
                        .all(|x| x);
                if !prefix_ok {
                    return Err(bad());
                }
                regs[reg(b.dreg).ok_or_else(bad)?] = Some(Load::Masked(p, f, full, ones));
            }
            Expr::Cmp(c) => {
                let load = regs[reg(c.sreg).ok_or_else(bad)?].ok_or_else(bad)?;
                // >= then <= on the same load: a range.
                if c.op == CmpOp::GTE
                    && let Some(Expr::Cmp(n)) = exprs.get(i + 1)
                    && n.op == CmpOp::LTE
                    && n.sreg == c.sreg
                {
                    let (lo, hi) = (
                        value(load, c.data).ok_or_else(bad)?,
                        value(load, n.data).ok_or_else(bad)?,
                    );
                    stmts.push(Stmt {
                        json: json!({"match": {"op": "==", "left": left(load).ok_or_else(bad)?, "right": {"range": [lo, hi]}}}),
                        implies: None,
                        proto: proto_of(load),
                    });
                    i += 2;
                    continue;
                }
                let op = c.op.symbol().ok_or_else(bad)?;
                let right = match load {
                    Load::Field(_, _, full, len) if len < full => {
                        json!({"prefix": {"addr": addr(full, c.data).ok_or_else(bad)?, "len": len * 8}})
                    }
                    Load::Masked(_, _, full, bits) => {
                        json!({"prefix": {"addr": addr(full, c.data).ok_or_else(bad)?, "len": bits}})
                    }
                    _ => value(load, c.data).ok_or_else(bad)?,
                };
                let mut implies = None;
                if c.op == CmpOp::EQ {
                    match (load, c.data) {
                        (Load::Meta(MetaKey::NFPROTO), [2]) => {
                            l3 = Some("ip");
                            implies = Some("ip");
                        }
                        (Load::Meta(MetaKey::NFPROTO), [10]) => {
                            l3 = Some("ip6");
                            implies = Some("ip6");
                        }
                        (Load::Meta(MetaKey::L4PROTO), [p]) => {
                            l4 = l4_name(*p);
                            implies = l4;
                        }
                        _ => {}
                    }
                }
                stmts.push(Stmt {
                    json: json!({"match": {"op": op, "left": left(load).ok_or_else(bad)?, "right": right}}),
                    implies,
                    proto: proto_of(load),
                });
            }
            Expr::Range(g) => {
                let load = regs[reg(g.sreg).ok_or_else(bad)?].ok_or_else(bad)?;
                let op = match g.op {
                    RangeOp::EQ => "==",
                    RangeOp::NEQ => "!=",
                    _ => return Err(bad()),
                };
                let (lo, hi) = (
                    value(load, g.from).ok_or_else(bad)?,
                    value(load, g.to).ok_or_else(bad)?,
                );
                stmts.push(Stmt {
                    json: json!({"match": {"op": op, "left": left(load).ok_or_else(bad)?, "right": {"range": [lo, hi]}}}),
                    implies: None,
                    proto: proto_of(load),
                });
            }
            Expr::Lookup(lk) if lk.dreg.is_none() => {
                let load = regs[reg(lk.sreg).ok_or_else(bad)?].ok_or_else(bad)?;
                let op = match lk.flags.unwrap_or(0) {
                    0 => "==",
                    1 => "!=",
                    _ => return Err(bad()),
                };
                let (set, elems) = rs
                    .sets
                    .iter()
                    .find(|(s, _)| {
                        s.family == r.family
                            && s.table.as_str() == r.table
                            && s.name.as_str() == lk.set
                    })
                    .ok_or_else(bad)?;
                let right = if set.flags & NFT_SET_ANONYMOUS != 0 {
                    json!({ "set": elem_values(set, elems)? })
                } else {
                    json!(format!("@{}", lk.set))
                };
                stmts.push(Stmt {
                    json: json!({"match": {"op": op, "left": left(load).ok_or_else(bad)?, "right": right}}),
                    implies: None,
                    proto: proto_of(load),
                });
            }
            Expr::Counter(c) => stmts.push(plain(
                json!({"counter": {"packets": c.packets, "bytes": c.bytes}}),
            )),
            Expr::Immediate(imm) => match imm.data {
                Data::Verdict(v) => {
                    let j = match (v.code, v.chain) {
                        (VerdictCode::ACCEPT, None) => json!({"accept": null}),
                        (VerdictCode::DROP, None) => json!({"drop": null}),
                        (VerdictCode::RETURN, None) => json!({"return": null}),
                        (VerdictCode::JUMP, Some(t)) => json!({"jump": {"target": t}}),
                        (VerdictCode::GOTO, Some(t)) => json!({"goto": {"target": t}}),
                        _ => return Err(bad()),
                    };
                    stmts.push(plain(j));
                }
                Data::Value(v) => {
                    let mut b = [0u8; 16];
                    b.get_mut(..v.len()).ok_or_else(bad)?.copy_from_slice(v);
                    regs[reg(imm.dreg).ok_or_else(bad)?] = Some(Load::Value(b, v.len()));
                }
            },
            Expr::Limit(l) => {
                let per = match l.unit {
                    1 => "second",
                    60 => "minute",
                    3600 => "hour",
                    86400 => "day",
                    604800 => "week",
                    _ => return Err(bad()),
                };
                if l.kind != LimitType::PKTS || l.flags != 0 {
                    return Err(bad());
                }
                let mut j = json!({"rate": l.rate});
                if l.burst != 0 {
                    j["burst"] = json!(l.burst);
                }
                j["per"] = json!(per);
                stmts.push(plain(json!({ "limit": j })));
            }
            Expr::Log(l) => {
                if l.group.is_some() || l.flags.is_some_and(|f| f != 0) {
                    return Err(bad());
                }
                let j = match l.prefix {
                    Some(p) => json!({"log": {"prefix": p}}),
                    None => json!({"log": null}),
                };
                stmts.push(plain(j));
            }
            Expr::Reject(rj) => {
                let j = match (rj.kind, rj.icmp_code, r.family) {
                    (RejectType::ICMPX_UNREACH, 1, _) => {
                        json!({"reject": {"type": "icmpx", "expr": "port-unreachable"}})
                    }
                    (RejectType::ICMP_UNREACH, 3, NfProto::IPV4) => {
                        json!({"reject": {"type": "icmp", "expr": "port-unreachable"}})
                    }
                    (RejectType::ICMP_UNREACH, 4, NfProto::IPV6) => {
                        json!({"reject": {"type": "icmpv6", "expr": "port-unreachable"}})
                    }
                    _ => return Err(bad()),
                };
                stmts.push(plain(j));
            }
            Expr::Masq(m) => {
                if m.flags.is_some_and(|f| f != 0) || m.reg_proto_min.is_some() {
                    return Err(bad());
                }
                stmts.push(plain(json!({"masquerade": null})));
            }
            Expr::Nat(n) => {
                let kind = match n.kind {
                    NatType::SNAT => "snat",
                    NatType::DNAT => "dnat",
                    _ => return Err(bad()),
                };
                let reg_value = |rg: Option<u32>| -> Option<Load> { regs[reg(rg?)?] };
                let mut j = serde_json::Map::new();
                if let Some(Load::Value(b, len)) = reg_value(n.reg_addr_min) {
                    if n.reg_addr_max.is_some() && n.reg_addr_max != n.reg_addr_min {
                        return Err(bad());
                    }
                    let full = if n.family == 10 { 16 } else { 4 };
                    if len != usize::try_from(full).unwrap_or(0) {
                        return Err(bad());
                    }
                    j.insert("addr".into(), json!(addr(full, &b[..len]).ok_or_else(bad)?));
                }
                if let Some(Load::Value(b, 2)) = reg_value(n.reg_proto_min) {
                    if n.reg_proto_max.is_some() && n.reg_proto_max != n.reg_proto_min {
                        return Err(bad());
                    }
                    j.insert("port".into(), json!(be(&b[..2])));
                }
                // NF_NAT_RANGE_MAP_IPS 1 and PROTO_SPECIFIED 2 are implied.
                if n.flags.is_some_and(|f| f & !3 != 0) {
                    return Err(bad());
                }
                stmts.push(plain(json!({ kind: Value::Object(j) })));
            }
            _ => return Err(bad()),
        }
        i += 1;
    }
    // Hide the dependency a protocol field implies.
    let mut shown = Vec::new();
    for (k, s) in stmts.iter().enumerate() {
        let hidden = s.implies.is_some() && stmts.get(k + 1).is_some_and(|n| n.proto == s.implies);
        if !hidden {
            shown.push(s.json.clone());
        }
    }
    Ok(
        json!({"rule": {"family": family_name(r.family), "table": r.table, "chain": r.chain,
        "handle": r.handle, "expr": shown}}),
    )
}

fn proto_of(load: Load) -> Option<&'static str> {
    match load {
        Load::Field(p, ..) | Load::Masked(p, ..) => Some(p),
        _ => None,
    }
}

fn plain(json: Value) -> Stmt {
    Stmt {
        json,
        implies: None,
        proto: None,
    }
}
