//! Statements other than matches and verdicts, both ways: nft JSON into
//! the expressions nft 1.0.6 sends (with the dependencies it adds), and
//! those expressions back into nft's JSON. One function pair per
//! statement: `log`, `limit`, `reject`, `reset` (a TCP option) and
//! `mangle` of an extension header.

use crate::exthdr;
use crate::fields;
use crate::matches::{self, Ctx};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Data, Expr, Exthdr, ExthdrOp, Immediate, Limit, LimitType, Log, Masq, MetaKey, Redir, Reject,
    RejectType,
};
use serde_json::{Map, Value, json};

/// Compile statement `k` with `body`; `Ok(false)` when `k` is not one of
/// this module's.
pub(crate) fn compile(
    k: &str,
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<bool, String> {
    match k {
        "log" => out.push(Expr::Log(log(body)?)),
        "limit" => out.push(Expr::Limit(limit(body)?)),
        "reject" => reject(body, fam, ctx, out)?,
        "reset" => out.push(reset(body)?),
        "mangle" => crate::mangle::compile(body, fam, ctx, out)?,
        "masquerade" | "redirect" => masq_redir(k, body, out)?,
        _ => return crate::actions::compile(k, body, fam, ctx, out),
    }
    Ok(true)
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// nft's log flag names and `NF_LOG_*` bits.
const LOG_FLAGS: &[(&str, u32)] = &[
    ("tcp sequence", 0x01),
    ("tcp options", 0x02),
    ("ip options", 0x04),
    ("skuid", 0x08),
    ("ether", 0x20),
];
const LOG_ALL: u32 = 0x2f;

fn log(body: &Value) -> Result<Log<'static>, String> {
    let mut l = Log {
        prefix: None,
        group: None,
        snaplen: None,
        qthreshold: None,
        level: None,
        flags: None,
    };
    let Some(o) = body.as_object() else {
        return Ok(l);
    };
    let n = |k: &str| o.get(k).and_then(Value::as_u64);
    for (k, v) in o {
        match k.as_str() {
            "prefix" => l.prefix = Some(leak(v.as_str().ok_or("log: bad prefix")?)),
            "group" => l.group = n(k).and_then(|g| u16::try_from(g).ok()),
            "snaplen" => l.snaplen = n(k).and_then(|g| u32::try_from(g).ok()),
            "queue-threshold" => l.qthreshold = n(k).and_then(|g| u16::try_from(g).ok()),
            "level" => {
                let s = v.as_str().ok_or("log: bad level")?;
                let lv = crate::rulelist::LOG_LEVELS
                    .iter()
                    .position(|x| *x == s)
                    .ok_or(format!("log: unknown level \"{s}\""))?;
                l.level = Some(u32::try_from(lv).unwrap_or(4));
            }
            "flags" => {
                let one = |f: &Value| -> Result<u32, String> {
                    let s = f.as_str().ok_or("log: bad flag")?;
                    if s == "all" {
                        return Ok(LOG_ALL);
                    }
                    LOG_FLAGS
                        .iter()
                        .find(|(n, _)| *n == s)
                        .map(|(_, b)| *b)
                        .ok_or(format!("log: unknown flag \"{s}\""))
                };
                let bits = match v {
                    Value::Array(a) => a.iter().try_fold(0, |acc, f| one(f).map(|b| acc | b))?,
                    f => one(f)?,
                };
                l.flags = Some(bits);
            }
            other => return Err(format!("log: unsupported property \"{other}\"")),
        }
    }
    Ok(l)
}

/// `log` as nft lists it.
pub(crate) fn list_log(l: &Log<'_>) -> Option<Value> {
    let mut j = Map::new();
    if let Some(p) = l.prefix {
        j.insert("prefix".into(), json!(p));
    }
    if let Some(g) = l.group {
        j.insert("group".into(), json!(g));
    }
    if let Some(s) = l.snaplen.filter(|&s| s != 0) {
        j.insert("snaplen".into(), json!(s));
    }
    if let Some(q) = l.qthreshold.filter(|&q| q != 0) {
        j.insert("queue-threshold".into(), json!(q));
    }
    if let Some(lv) = l.level {
        let name = crate::rulelist::LOG_LEVELS.get(lv as usize)?;
        if *name != "warn" {
            j.insert("level".into(), json!(name));
        }
    }
    match l.flags.unwrap_or(0) {
        0 => {}
        LOG_ALL => {
            j.insert("flags".into(), json!("all"));
        }
        f => {
            let names: Vec<&str> = LOG_FLAGS
                .iter()
                .filter(|(_, b)| f & b != 0)
                .map(|(n, _)| *n)
                .collect();
            if LOG_FLAGS.iter().fold(f, |acc, (_, b)| acc & !b) != 0 {
                return None;
            }
            j.insert(
                "flags".into(),
                if names.len() == 1 {
                    json!(names[0])
                } else {
                    json!(names)
                },
            );
        }
    }
    Some(if j.is_empty() {
        json!({"log": null})
    } else {
        json!({ "log": j })
    })
}

fn unit_bytes(u: Option<&str>) -> Result<u64, String> {
    Ok(match u {
        None | Some("bytes") => 1,
        Some("kbytes") => 1024,
        Some("mbytes") => 1024 * 1024,
        Some(u) => return Err(format!("limit: unknown unit \"{u}\"")),
    })
}

fn limit(body: &Value) -> Result<Limit, String> {
    let o = body.as_object().ok_or("limit: expected an object")?;
    let rate = o
        .get("rate")
        .and_then(Value::as_u64)
        .ok_or("limit: missing rate")?;
    let unit = match o.get("per").and_then(Value::as_str).unwrap_or("second") {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        "day" => 86400,
        "week" => 604800,
        p => return Err(format!("limit: unknown unit \"{p}\"")),
    };
    let bytes = o
        .get("rate_unit")
        .and_then(Value::as_str)
        .is_some_and(|u| u != "packets");
    let burst = o.get("burst").and_then(Value::as_u64);
    let (rate, burst) = if bytes {
        let ru = unit_bytes(o.get("rate_unit").and_then(Value::as_str))?;
        let bu = unit_bytes(o.get("burst_unit").and_then(Value::as_str))?;
        (rate * ru, burst.unwrap_or(0) * bu)
    } else {
        (rate, burst.unwrap_or(5))
    };
    Ok(Limit {
        rate,
        unit,
        burst: u32::try_from(burst).map_err(|_| "limit: burst too large")?,
        kind: if bytes {
            LimitType::PKT_BYTES
        } else {
            LimitType::PKTS
        },
        flags: u32::from(o.get("inv").and_then(Value::as_bool).unwrap_or(false)),
    })
}

/// ICMP codes by name: (type, name, code).
const REJECT_CODES: &[(&str, &str, u8)] = &[
    ("icmp", "net-unreachable", 0),
    ("icmp", "host-unreachable", 1),
    ("icmp", "prot-unreachable", 2),
    ("icmp", "port-unreachable", 3),
    ("icmp", "net-prohibited", 9),
    ("icmp", "host-prohibited", 10),
    ("icmp", "admin-prohibited", 13),
    ("icmpv6", "no-route", 0),
    ("icmpv6", "admin-prohibited", 1),
    ("icmpv6", "addr-unreachable", 3),
    ("icmpv6", "port-unreachable", 4),
    ("icmpv6", "policy-fail", 5),
    ("icmpv6", "reject-route", 6),
    ("icmpx", "no-route", 0),
    ("icmpx", "port-unreachable", 1),
    ("icmpx", "host-unreachable", 2),
    ("icmpx", "admin-prohibited", 3),
];

fn reject(
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let ty = body.get("type").and_then(Value::as_str);
    let code_of = |t: &str| -> Result<u8, String> {
        match body.get("expr") {
            None => Ok(if t == "icmpv6" {
                4
            } else if t == "icmpx" {
                1
            } else {
                3
            }),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .ok_or(format!("reject: bad code {n}")),
            Some(e) => {
                let e = e.as_str().ok_or("reject: bad expr")?;
                REJECT_CODES
                    .iter()
                    .find(|(tt, n, _)| *tt == t && *n == e)
                    .map(|c| c.2)
                    .ok_or(format!("reject: unknown {t} code \"{e}\""))
            }
        }
    };
    // The family the packet must be of, and whether it is known already.
    let l3 = match (ty, fam, ctx.l3) {
        (Some("tcp reset"), ..) => None,
        (Some("icmp"), ..) => Some(2),
        (Some("icmpv6"), ..) => Some(10),
        (Some("icmpx"), ..) => None,
        (None, NfProto::IPV4, _) => Some(2),
        (None, NfProto::IPV6, _) => Some(10),
        (None, _, Some(p @ (2 | 10))) => Some(p),
        (None, ..) => None,
        (Some(t), ..) => return Err(format!("reject: unknown type \"{t}\"")),
    };
    let r = match (ty, l3) {
        (Some("tcp reset"), _) => {
            if ctx.l4 != Some(6) {
                // nft puts it first in the rule.
                let dep = [
                    matches::load_meta(MetaKey::L4PROTO),
                    matches::cmp_eq(vec![6]),
                ];
                out.splice(0..0, dep);
                ctx.l4 = Some(6);
            }
            Reject {
                kind: RejectType::TCP_RST,
                icmp_code: 0,
            }
        }
        (_, Some(p)) => {
            let (t, proto) = if p == 2 {
                ("icmp", "ip")
            } else {
                ("icmpv6", "ip6")
            };
            if fields::family_l3(fam).is_none() {
                matches::depend_on(proto, fam, ctx, out)?;
            }
            Reject {
                kind: RejectType::ICMP_UNREACH,
                icmp_code: code_of(t)?,
            }
        }
        _ => Reject {
            kind: RejectType::ICMPX_UNREACH,
            icmp_code: code_of("icmpx")?,
        },
    };
    out.push(Expr::Reject(r));
    Ok(())
}

/// `reject` as nft lists it, given the network protocol the rule is
/// known to match (its family's, or a dependency's), and the protocol
/// whose dependency it hides.
pub(crate) fn list_reject(r: &Reject, l3: Option<&str>) -> Option<(Value, Option<&'static str>)> {
    let name = |t: &str, c: u8| -> Value {
        REJECT_CODES
            .iter()
            .find(|(tt, _, cc)| *tt == t && *cc == c)
            .map_or(json!(c), |x| json!(x.1))
    };
    Some(match r.kind {
        RejectType::TCP_RST => (json!({"reject": {"type": "tcp reset"}}), None),
        RejectType::ICMPX_UNREACH => (
            json!({"reject": {"type": "icmpx", "expr": name("icmpx", r.icmp_code)}}),
            None,
        ),
        RejectType::ICMP_UNREACH => {
            let (t, p) = match l3? {
                "ip" => ("icmp", "ip"),
                "ip6" => ("icmpv6", "ip6"),
                _ => return None,
            };
            (
                json!({"reject": {"type": t, "expr": name(t, r.icmp_code)}}),
                Some(p),
            )
        }
        _ => return None,
    })
}

/// `reset tcp option NAME` (or `{"base": N}`): strip the option.
fn reset(body: &Value) -> Result<Expr<'static>, String> {
    let o = body
        .get("tcp option")
        .and_then(Value::as_object)
        .ok_or("reset: only \"tcp option\" is supported")?;
    let kind = match o.get("base").and_then(Value::as_u64) {
        Some(b) => u8::try_from(b).map_err(|_| "reset: bad base")?,
        None => {
            let n = o
                .get("name")
                .and_then(Value::as_str)
                .ok_or("reset: missing name")?;
            exthdr::hdr(ExthdrOp::TCPOPT, n)
                .ok_or(format!("reset: unknown tcp option \"{n}\""))?
                .kind
        }
    };
    Ok(Expr::Exthdr(Exthdr {
        op: ExthdrOp::TCPOPT,
        kind,
        offset: 0,
        len: 0,
        flags: 0,
        dreg: None,
        sreg: None,
    }))
}

/// A strip (`reset`) as nft lists it.
pub(crate) fn list_reset(x: &Exthdr) -> Option<Value> {
    if x.op != ExthdrOp::TCPOPT || x.dreg.is_some() || x.sreg.is_some() {
        return None;
    }
    let opt = match exthdr::hdr_by_kind(x.op, x.kind) {
        Some(h) => json!({"name": h.name}),
        None => json!({"base": x.kind, "offset": 0, "len": 0}),
    };
    Some(json!({"reset": {"tcp option": opt}}))
}

/// nft's nat flag names and `NF_NAT_RANGE_*` bits, in nft's order.
const NAT_FLAGS: &[(&str, u32)] = &[("random", 0x4), ("fully-random", 0x10), ("persistent", 0x8)];
/// `NF_NAT_RANGE_PROTO_SPECIFIED`: a port (range) is given.
const NAT_PROTO: u32 = 0x2;

fn nat_flags(v: Option<&Value>) -> Result<u32, String> {
    let one = |f: &Value| -> Result<u32, String> {
        let s = f.as_str().ok_or("nat: bad flag")?;
        NAT_FLAGS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, b)| *b)
            .ok_or(format!("nat: unknown flag \"{s}\""))
    };
    match v {
        None => Ok(0),
        Some(Value::Array(a)) => a.iter().try_fold(0, |acc, f| one(f).map(|b| acc | b)),
        Some(f) => one(f),
    }
}

fn nat_flags_json(f: u32) -> Option<Value> {
    let names: Vec<&str> = NAT_FLAGS
        .iter()
        .filter(|(_, b)| f & b != 0)
        .map(|(n, _)| *n)
        .collect();
    match names.len() {
        0 => None,
        1 => Some(json!(names[0])),
        _ => Some(json!(names)),
    }
}

fn port_bytes(v: &Value) -> Result<Vec<u8>, String> {
    let n = v
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or(format!("bad port {v}"))?;
    Ok(n.to_be_bytes().to_vec())
}

/// `masquerade` and `redirect`, with a port or port range and flags.
fn masq_redir(k: &str, body: &Value, out: &mut Vec<Expr<'static>>) -> Result<(), String> {
    let mut flags = nat_flags(body.get("flags"))?;
    let (mut min, mut max) = (None, None);
    if let Some(p) = body.get("port") {
        let (lo, hi) = match p.get("range").and_then(Value::as_array) {
            Some(r) if r.len() == 2 => (port_bytes(&r[0])?, Some(port_bytes(&r[1])?)),
            _ => (port_bytes(p)?, None),
        };
        let imm = |dreg, v: Vec<u8>| {
            Expr::Immediate(Immediate {
                dreg,
                data: Data::Value(crate::matches::keep(v)),
            })
        };
        out.push(imm(1, lo));
        min = Some(1);
        if let Some(hi) = hi {
            out.push(imm(2, hi));
            max = Some(2);
        }
        flags |= NAT_PROTO;
    }
    if let Some(o) = body.as_object()
        && let Some(x) = o.keys().find(|x| *x != "port" && *x != "flags")
    {
        return Err(format!("{k}: unsupported property \"{x}\""));
    }
    let flags = (flags != 0).then_some(flags);
    out.push(if k == "redirect" {
        Expr::Redir(Redir {
            reg_proto_min: min,
            reg_proto_max: max,
            flags,
        })
    } else {
        Expr::Masq(Masq {
            flags,
            reg_proto_min: min,
            reg_proto_max: max,
        })
    });
    Ok(())
}

/// `masquerade` or `redirect` as nft lists it, given the constants its
/// port registers hold.
pub(crate) fn list_masq_redir(
    k: &str,
    flags: Option<u32>,
    min: Option<Vec<u8>>,
    max: Option<Vec<u8>>,
) -> Option<Value> {
    let f = flags.unwrap_or(0);
    if f & !(NAT_PROTO | 0x1c) != 0 {
        return None;
    }
    let port = |b: &[u8]| -> Option<Value> { Some(json!(u16::from_be_bytes(b.try_into().ok()?))) };
    let mut j = Map::new();
    match (min, max) {
        (None, None) => {}
        (Some(lo), None) => {
            j.insert("port".into(), port(&lo)?);
        }
        (Some(lo), Some(hi)) if lo == hi => {
            j.insert("port".into(), port(&lo)?);
        }
        (Some(lo), Some(hi)) => {
            j.insert("port".into(), json!({"range": [port(&lo)?, port(&hi)?]}));
        }
        (None, Some(_)) => return None,
    }
    if let Some(fl) = nat_flags_json(f) {
        j.insert("flags".into(), fl);
    }
    Some(if j.is_empty() {
        json!({ k: null })
    } else {
        json!({ k: j })
    })
}
