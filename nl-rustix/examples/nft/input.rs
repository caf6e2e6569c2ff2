//! nft's JSON commands into [`Cmd`]s, rule statements compiled into the
//! kernel expressions nft 1.0.6 sends for them (same registers, same
//! implicit protocol dependency), so that nft lists our rules exactly as
//! its own.

use crate::settype::{KeyType, succ};
use nl_rustix::nft::{BaseSpec, Cmd, SetElem, SetSpec, encode_exprs, family_by_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Bitwise, Cmp, CmpOp, Counter, Ct, CtKey, Data, Expr, HookNum, Immediate, Limit, LimitType, Log,
    Masq, Meta, MetaKey, NF_ACCEPT, NF_DROP, NFT_REG_1, Nat, NatType, Payload, PayloadBase,
    Placement, Range, RangeOp, Reject, RejectType, Verdict,
};
use nl_rustix::nl_proto::nfnl::nft::{
    Lookup, NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_TIMEOUT, Set,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What the commands need to know of a set: its key type, whether it holds
/// intervals, and its batch id when this document adds it.
#[derive(Clone, Copy)]
struct SetInfo {
    ty: KeyType,
    interval: bool,
    id: Option<u32>,
}

/// The sets known while compiling: the kernel's, then the document's.
#[derive(Default)]
struct Sets {
    known: HashMap<(u8, String, String), SetInfo>,
    next_id: u32,
}

/// Every command of an nft JSON document, in order; `existing` are the
/// kernel's sets (for elements and lookups naming them).
pub(crate) fn parse(text: &str, existing: &[Set]) -> Result<Vec<Cmd>, String> {
    let mut sets = Sets::default();
    for s in existing {
        if let Some(ty) = KeyType::by_id(s.key_type) {
            let info = SetInfo {
                ty,
                interval: s.flags & NFT_SET_INTERVAL != 0,
                id: None,
            };
            sets.known
                .insert((s.family.0, s.table.to_string(), s.name.to_string()), info);
        }
    }
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?;
    let list = doc
        .get("nftables")
        .and_then(Value::as_array)
        .ok_or("JSON: expected {\"nftables\": [...]}")?;
    let mut cmds = Vec::new();
    for (i, item) in list.iter().enumerate() {
        command(item, &mut cmds, &mut sets).map_err(|e| format!("command {}: {e}", i + 1))?;
    }
    Ok(cmds)
}

fn one(item: &Value) -> Result<(&str, &Value), String> {
    let obj = item.as_object().ok_or("expected an object")?;
    match obj.iter().next() {
        Some((k, v)) if obj.len() == 1 => Ok((k.as_str(), v)),
        _ => Err(format!("expected an object with one key, got {item}")),
    }
}

fn command(item: &Value, out: &mut Vec<Cmd>, sets: &mut Sets) -> Result<(), String> {
    let (verb, body) = one(item)?;
    match verb {
        "metainfo" => Ok(()),
        // A bare object (as `nft -j list` prints it) is `add`.
        "table" | "chain" | "rule" | "set" => object("add", verb, body, out, sets),
        "add" | "create" | "insert" | "delete" | "flush" => {
            let (kind, body) = one(body)?;
            object(verb, kind, body, out, sets)
        }
        other => Err(format!("unsupported command `{other}`")),
    }
}

fn s<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, String> {
    o.get(k)
        .and_then(Value::as_str)
        .ok_or(format!("missing string \"{k}\""))
}

fn family(o: &Map<String, Value>) -> Result<NfProto, String> {
    let f = s(o, "family")?;
    family_by_name(f).ok_or(format!("unknown family \"{f}\""))
}

fn object(
    verb: &str,
    kind: &str,
    body: &Value,
    out: &mut Vec<Cmd>,
    sets: &mut Sets,
) -> Result<(), String> {
    if (verb, kind) == ("flush", "ruleset") {
        out.push(Cmd::FlushRuleset);
        return Ok(());
    }
    let o = body
        .as_object()
        .ok_or(format!("{verb} {kind}: expected an object"))?;
    let fam = family(o)?;
    let cmd = match (verb, kind) {
        ("add", "table") => Cmd::AddTable {
            family: fam,
            name: s(o, "name")?.into(),
        },
        ("create", "table") => Cmd::CreateTable {
            family: fam,
            name: s(o, "name")?.into(),
        },
        ("delete", "table") => Cmd::DeleteTable {
            family: fam,
            name: s(o, "name")?.into(),
        },
        ("flush", "table") => Cmd::FlushTable {
            family: fam,
            name: s(o, "name")?.into(),
        },
        ("add" | "create", "chain") => Cmd::AddChain {
            family: fam,
            table: s(o, "table")?.into(),
            name: s(o, "name")?.into(),
            base: base_chain(o)?,
            exclusive: verb == "create",
        },
        ("delete", "chain") => Cmd::DeleteChain {
            family: fam,
            table: s(o, "table")?.into(),
            name: s(o, "name")?.into(),
        },
        ("flush", "chain") => Cmd::FlushChain {
            family: fam,
            table: s(o, "table")?.into(),
            name: s(o, "name")?.into(),
        },
        ("add" | "insert", "rule") => {
            // nft ignores a rule's "handle" when adding (it is what
            // `nft -j list` prints, and a new rule gets a new one).
            let at = if verb == "add" {
                Placement::Append(None)
            } else {
                Placement::Insert(None)
            };
            let stmts = o
                .get("expr")
                .and_then(Value::as_array)
                .ok_or("rule: missing \"expr\"")?;
            Cmd::AddRule {
                family: fam,
                table: s(o, "table")?.into(),
                chain: s(o, "chain")?.into(),
                at,
                exprs: compile(fam, s(o, "table")?, stmts, sets)?,
            }
        }
        ("delete", "rule") => Cmd::DeleteRule {
            family: fam,
            table: s(o, "table")?.into(),
            chain: s(o, "chain")?.into(),
            handle: o
                .get("handle")
                .and_then(Value::as_u64)
                .ok_or("delete rule: missing \"handle\"")?,
        },
        ("add", "set") => return add_set(fam, o, out, sets),
        ("delete", "set") => Cmd::DeleteSet {
            family: fam,
            table: s(o, "table")?.into(),
            name: s(o, "name")?.into(),
        },
        ("add" | "delete", "element") => {
            let (table, name) = (s(o, "table")?, s(o, "name")?);
            let info = *sets
                .known
                .get(&(fam.0, table.to_string(), name.to_string()))
                .ok_or(format!("no set \"{name}\" in table \"{table}\""))?;
            let vals = o
                .get("elem")
                .and_then(Value::as_array)
                .ok_or("element: missing \"elem\"")?;
            let elems = elements(info, vals, false)?;
            if verb == "add" {
                Cmd::AddElems {
                    family: fam,
                    table: table.into(),
                    set: name.into(),
                    set_id: info.id,
                    elems,
                }
            } else {
                Cmd::DeleteElems {
                    family: fam,
                    table: table.into(),
                    set: name.into(),
                    elems,
                }
            }
        }
        _ => return Err(format!("unsupported: {verb} {kind}")),
    };
    out.push(cmd);
    Ok(())
}

fn add_set(
    fam: NfProto,
    o: &Map<String, Value>,
    out: &mut Vec<Cmd>,
    sets: &mut Sets,
) -> Result<(), String> {
    let (table, name) = (s(o, "table")?, s(o, "name")?);
    let ty_name = s(o, "type")?;
    let ty = KeyType::by_name(ty_name).ok_or(format!("unsupported set type \"{ty_name}\""))?;
    let mut flags = 0;
    if let Some(fl) = o.get("flags") {
        let fl = fl.as_array().ok_or("set: \"flags\" must be a list")?;
        for f in fl {
            flags |= match f.as_str() {
                Some("interval") => NFT_SET_INTERVAL,
                Some("timeout") => NFT_SET_TIMEOUT,
                _ => return Err(format!("unsupported set flag {f}")),
            };
        }
    }
    if flags & NFT_SET_INTERVAL != 0 && ty.host_order() {
        return Err(format!("interval sets of {ty_name} are not supported"));
    }
    let timeout = match o.get("timeout") {
        None => None,
        Some(t) => Some(t.as_u64().ok_or("set: \"timeout\" must be seconds")? * 1000),
    };
    for k in o.keys() {
        if !matches!(
            k.as_str(),
            "family" | "table" | "name" | "type" | "flags" | "timeout" | "elem" | "handle"
        ) {
            return Err(format!("set: unsupported property \"{k}\""));
        }
    }
    sets.next_id += 1;
    let id = sets.next_id;
    let info = SetInfo {
        ty,
        interval: flags & NFT_SET_INTERVAL != 0,
        id: Some(id),
    };
    sets.known
        .insert((fam.0, table.to_string(), name.to_string()), info);
    out.push(Cmd::AddSet {
        family: fam,
        set: SetSpec {
            table: table.into(),
            name: name.into(),
            flags,
            key_type: ty.id(),
            key_len: u32::try_from(ty.len()).unwrap_or(0),
            id,
            timeout,
            userdata: ty.userdata(),
        },
    });
    if let Some(vals) = o.get("elem").and_then(Value::as_array) {
        out.push(Cmd::AddElems {
            family: fam,
            table: table.into(),
            set: name.into(),
            set_id: Some(id),
            elems: elements(info, vals, true)?,
        });
    }
    Ok(())
}

fn elem(key: Vec<u8>, flags: u32, timeout: Option<u64>) -> SetElem {
    SetElem {
        key,
        flags,
        timeout,
        expiration: None,
    }
}

/// Element values as the kernel wants them. An interval set gets each
/// range as a start and an (exclusive) end element, sorted, preceded by an
/// end element at 0 when the whole set is new and does not start at 0, as
/// nft sends them.
fn elements(info: SetInfo, vals: &[Value], new_set: bool) -> Result<Vec<SetElem>, String> {
    let ty = info.ty;
    if !info.interval {
        return vals
            .iter()
            .map(|v| {
                let (v, timeout) = match v.get("elem") {
                    Some(e) => (
                        e.get("val").ok_or("elem: missing \"val\"")?,
                        e.get("timeout").and_then(Value::as_u64).map(|t| t * 1000),
                    ),
                    None => (v, None),
                };
                Ok(elem(ty.encode(v)?, 0, timeout))
            })
            .collect();
    }
    let mut ranges = Vec::new();
    for v in vals {
        let (lo, hi) = if let Some(r) = v.get("range").and_then(Value::as_array) {
            if r.len() != 2 {
                return Err(format!("bad range {v}"));
            }
            (ty.encode(&r[0])?, ty.encode(&r[1])?)
        } else if let Some(p) = v.get("prefix") {
            if !ty.is_addr() {
                return Err(format!("prefix in a {} set", ty.name()));
            }
            let addr = ty.encode(p.get("addr").ok_or("prefix: missing addr")?)?;
            let len = p
                .get("len")
                .and_then(Value::as_u64)
                .ok_or("prefix: missing len")?;
            let len = usize::try_from(len)
                .ok()
                .filter(|&l| l <= addr.len() * 8)
                .ok_or("prefix: bad len")?;
            let (mut lo, mut hi) = (addr.clone(), addr);
            for i in 0..lo.len() {
                let have = len.saturating_sub(i * 8).min(8);
                let m = if have == 0 { 0 } else { 0xffu8 << (8 - have) };
                lo[i] &= m;
                hi[i] |= !m;
            }
            (lo, hi)
        } else {
            let k = ty.encode(v)?;
            (k.clone(), k)
        };
        if lo > hi {
            return Err(format!("empty range {v}"));
        }
        ranges.push((lo, hi));
    }
    ranges.sort();
    let mut out = Vec::new();
    if new_set
        && ranges
            .first()
            .is_some_and(|(lo, _)| lo.iter().any(|&b| b != 0))
    {
        out.push(elem(vec![0; ty.len()], NFT_SET_ELEM_INTERVAL_END, None));
    }
    for (lo, hi) in ranges {
        out.push(elem(lo, 0, None));
        if let Some(end) = succ(&hi) {
            out.push(elem(end, NFT_SET_ELEM_INTERVAL_END, None));
        }
    }
    Ok(out)
}

fn base_chain(o: &Map<String, Value>) -> Result<Option<BaseSpec>, String> {
    let Some(hook) = o.get("hook") else {
        return Ok(None);
    };
    let hook = match hook.as_str().ok_or("chain: \"hook\" is not a string")? {
        "prerouting" => HookNum::PREROUTING,
        "input" => HookNum::INPUT,
        "forward" => HookNum::FORWARD,
        "output" => HookNum::OUTPUT,
        "postrouting" => HookNum::POSTROUTING,
        "ingress" => HookNum::INGRESS,
        h => return Err(format!("chain: unknown hook \"{h}\"")),
    };
    let prio = o
        .get("prio")
        .and_then(Value::as_i64)
        .ok_or("chain: missing numeric \"prio\"")?;
    let policy = match o.get("policy").and_then(Value::as_str) {
        None => None,
        Some("accept") => Some(NF_ACCEPT),
        Some("drop") => Some(NF_DROP),
        Some(p) => return Err(format!("chain: unknown policy \"{p}\"")),
    };
    Ok(Some(BaseSpec {
        chain_type: s(o, "type")?.into(),
        hook,
        priority: i32::try_from(prio).map_err(|_| "chain: prio out of range")?,
        policy,
    }))
}

/// Where the values the expressions borrow live: leaked, for the life of
/// this short-lived program.
struct Arena;

impl Arena {
    fn keep(&mut self, b: Vec<u8>) -> &'static [u8] {
        Box::leak(b.into_boxed_slice())
    }
}

fn meta(key: MetaKey) -> Expr<'static> {
    Expr::Meta(Meta {
        key,
        dreg: Some(NFT_REG_1),
        sreg: None,
    })
}
fn cmp(op: CmpOp, data: &'static [u8]) -> Expr<'static> {
    Expr::Cmp(Cmp {
        sreg: NFT_REG_1,
        op,
        data,
    })
}
fn payload(base: PayloadBase, offset: u32, len: u32) -> Expr<'static> {
    Expr::Payload(Payload {
        dreg: NFT_REG_1,
        base,
        offset,
        len,
    })
}
fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// A left-hand side: how to load it, and how to encode its values.
#[derive(Clone, Copy)]
enum Left {
    MetaIfname(MetaKey),
    MetaMark,
    MetaL4proto,
    MetaNfproto,
    /// (l3 "ip"/"ip6", offset, addr len)
    Addr(&'static str, u32, u32),
    /// (l4 proto number, offset)
    Port(u8, u32),
    /// `ct state`.
    CtState,
}

/// `ct state` names as bits.
fn ct_state_bits(v: &Value) -> Result<u32, String> {
    let one = |n: &Value| -> Result<u32, String> {
        Ok(match n.as_str() {
            Some("invalid") => 1,
            Some("established") => 2,
            Some("related") => 4,
            Some("new") => 8,
            Some("untracked") => 64,
            _ => return Err(format!("bad ct state {n}")),
        })
    };
    match v {
        Value::Array(items) if !items.is_empty() => {
            items.iter().try_fold(0, |acc, n| Ok(acc | one(n)?))
        }
        _ => one(v),
    }
}

fn left(v: &Value) -> Result<Left, String> {
    let (k, body) = one(v)?;
    let o = body.as_object().ok_or("match: bad left side")?;
    match k {
        "meta" => match s(o, "key")? {
            "iifname" => Ok(Left::MetaIfname(MetaKey::IIFNAME)),
            "oifname" => Ok(Left::MetaIfname(MetaKey::OIFNAME)),
            "mark" => Ok(Left::MetaMark),
            "l4proto" => Ok(Left::MetaL4proto),
            "nfproto" => Ok(Left::MetaNfproto),
            key => Err(format!("unsupported meta key \"{key}\"")),
        },
        "ct" => match s(o, "key")? {
            "state" if !o.contains_key("dir") => Ok(Left::CtState),
            key => Err(format!("unsupported ct key \"{key}\"")),
        },
        "payload" => match (s(o, "protocol")?, s(o, "field")?) {
            ("ip", "saddr") => Ok(Left::Addr("ip", 12, 4)),
            ("ip", "daddr") => Ok(Left::Addr("ip", 16, 4)),
            ("ip6", "saddr") => Ok(Left::Addr("ip6", 8, 16)),
            ("ip6", "daddr") => Ok(Left::Addr("ip6", 24, 16)),
            ("tcp", "sport") => Ok(Left::Port(6, 0)),
            ("tcp", "dport") => Ok(Left::Port(6, 2)),
            ("udp", "sport") => Ok(Left::Port(17, 0)),
            ("udp", "dport") => Ok(Left::Port(17, 2)),
            (p, f) => Err(format!("unsupported payload \"{p} {f}\"")),
        },
        other => Err(format!("unsupported match on `{other}`")),
    }
}

fn l4_number(v: &Value) -> Result<u8, String> {
    match v {
        Value::String(n) => match n.as_str() {
            "icmp" => Ok(1),
            "tcp" => Ok(6),
            "udp" => Ok(17),
            "ipv6-icmp" | "icmpv6" => Ok(58),
            "sctp" => Ok(132),
            other => Err(format!("unknown protocol \"{other}\"")),
        },
        _ => v
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .ok_or(format!("bad protocol {v}")),
    }
}

fn port(v: &Value) -> Result<Vec<u8>, String> {
    let n = v
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or(format!("bad port {v}"))?;
    Ok(n.to_be_bytes().to_vec())
}

fn ip_bytes(l3: &str, v: &str) -> Result<Vec<u8>, String> {
    match l3 {
        "ip" => v.parse::<Ipv4Addr>().map(|a| a.octets().to_vec()),
        _ => v.parse::<Ipv6Addr>().map(|a| a.octets().to_vec()),
    }
    .map_err(|_| format!("bad {l3} address \"{v}\""))
}

/// Compile nft JSON statements into expressions, encoded.
fn compile(fam: NfProto, table: &str, stmts: &[Value], sets: &Sets) -> Result<Vec<u8>, String> {
    let mut a = Arena;
    let mut out: Vec<Expr<'static>> = Vec::new();
    let mut l4_done: Option<u8> = None;
    let mut l3_done: Option<&str> = None;
    for st in stmts {
        let (k, body) = one(st)?;
        match k {
            "match" => {
                let o = body.as_object().ok_or("match: expected an object")?;
                let op_name = s(o, "op")?;
                let op = match op_name {
                    "==" | "in" => CmpOp::EQ,
                    "!=" => CmpOp::NEQ,
                    other => return Err(format!("unsupported match op \"{other}\"")),
                };
                let l = left(o.get("left").ok_or("match: missing left")?)?;
                let right = o.get("right").ok_or("match: missing right")?;
                if let Left::CtState = l {
                    // As nft: `in` (the implicit op of a flag type) tests
                    // bits, `==`/`!=` compare the whole value.
                    let bits = ct_state_bits(right)?;
                    out.push(Expr::Ct(Ct {
                        key: CtKey::STATE,
                        dreg: Some(NFT_REG_1),
                        sreg: None,
                        direction: None,
                    }));
                    if op_name == "in" {
                        out.push(Expr::Bitwise(Bitwise {
                            sreg: NFT_REG_1,
                            dreg: NFT_REG_1,
                            len: 4,
                            mask: a.keep(bits.to_ne_bytes().to_vec()),
                            xor: a.keep(vec![0; 4]),
                        }));
                        out.push(cmp(CmpOp::NEQ, a.keep(vec![0; 4])));
                    } else {
                        out.push(cmp(op, a.keep(bits.to_ne_bytes().to_vec())));
                    }
                    continue;
                }
                // The load, with the dependency nft adds.
                match l {
                    Left::MetaIfname(key) => out.push(meta(key)),
                    Left::MetaMark => out.push(meta(MetaKey::MARK)),
                    Left::MetaL4proto => out.push(meta(MetaKey::L4PROTO)),
                    Left::MetaNfproto => out.push(meta(MetaKey::NFPROTO)),
                    Left::CtState => {}
                    Left::Addr(l3, off, len) => {
                        let want = if l3 == "ip" {
                            NfProto::IPV4
                        } else {
                            NfProto::IPV6
                        };
                        if fam == NfProto::INET && l3_done != Some(l3) {
                            out.push(meta(MetaKey::NFPROTO));
                            out.push(cmp(CmpOp::EQ, a.keep(vec![want.0])));
                            l3_done = Some(l3);
                        } else if fam != NfProto::INET && fam != want {
                            return Err(format!(
                                "conflicting protocols: {l3} in a {} table",
                                nl_rustix::nft::family_name(fam)
                            ));
                        }
                        let _ = len;
                        let _ = off;
                    }
                    Left::Port(p, _) => {
                        if l4_done != Some(p) {
                            out.push(meta(MetaKey::L4PROTO));
                            out.push(cmp(CmpOp::EQ, a.keep(vec![p])));
                            l4_done = Some(p);
                        }
                    }
                }
                // A named set: `@name`.
                if let Some(name) = right.as_str().and_then(|r| r.strip_prefix('@')) {
                    let info = sets
                        .known
                        .get(&(fam.0, table.to_string(), name.to_string()))
                        .ok_or(format!("no set \"{name}\" in table \"{table}\""))?;
                    match l {
                        Left::Addr(_, off, len) => {
                            out.push(payload(PayloadBase::NETWORK_HEADER, off, len))
                        }
                        Left::Port(_, off) => {
                            out.push(payload(PayloadBase::TRANSPORT_HEADER, off, 2))
                        }
                        Left::MetaIfname(_)
                        | Left::MetaMark
                        | Left::MetaL4proto
                        | Left::MetaNfproto
                        | Left::CtState => {}
                    }
                    out.push(Expr::Lookup(Lookup {
                        set: leak_str(name),
                        sreg: NFT_REG_1,
                        dreg: None,
                        set_id: info.id,
                        flags: (op == CmpOp::NEQ).then_some(1),
                    }));
                    continue;
                }
                // The comparison.
                let range = right.get("range").and_then(Value::as_array);
                let prefix = right.get("prefix").and_then(Value::as_object);
                match (l, range, prefix) {
                    (Left::Port(_, off), Some(r), None) if r.len() == 2 => {
                        out.push(payload(PayloadBase::TRANSPORT_HEADER, off, 2));
                        let (lo, hi) = (port(&r[0])?, port(&r[1])?);
                        if op == CmpOp::EQ {
                            out.push(cmp(CmpOp::GTE, a.keep(lo)));
                            out.push(cmp(CmpOp::LTE, a.keep(hi)));
                        } else {
                            out.push(Expr::Range(Range {
                                sreg: NFT_REG_1,
                                op: RangeOp::NEQ,
                                from: a.keep(lo),
                                to: a.keep(hi),
                            }));
                        }
                    }
                    (Left::Port(_, off), None, None) => {
                        out.push(payload(PayloadBase::TRANSPORT_HEADER, off, 2));
                        out.push(cmp(op, a.keep(port(right)?)));
                    }
                    (Left::Addr(l3, off, len), None, Some(p)) => {
                        let bits = p
                            .get("len")
                            .and_then(Value::as_u64)
                            .ok_or("prefix: missing len")?;
                        let addr = ip_bytes(l3, s(p, "addr")?)?;
                        let bits = u32::try_from(bits)
                            .ok()
                            .filter(|&b| b >= 1 && b <= len * 8)
                            .ok_or("prefix: bad len")?;
                        if bits % 8 == 0 {
                            let n = bits / 8;
                            out.push(payload(PayloadBase::NETWORK_HEADER, off, n));
                            out.push(cmp(op, a.keep(addr[..n as usize].to_vec())));
                        } else {
                            out.push(payload(PayloadBase::NETWORK_HEADER, off, len));
                            let mut mask = vec![0u8; len as usize];
                            for (i, m) in mask.iter_mut().enumerate() {
                                let have = bits.saturating_sub(i as u32 * 8).min(8);
                                *m = if have == 0 { 0 } else { 0xffu8 << (8 - have) };
                            }
                            let masked: Vec<u8> =
                                addr.iter().zip(&mask).map(|(a, m)| a & m).collect();
                            out.push(Expr::Bitwise(Bitwise {
                                sreg: NFT_REG_1,
                                dreg: NFT_REG_1,
                                len,
                                mask: a.keep(mask),
                                xor: a.keep(vec![0; len as usize]),
                            }));
                            out.push(cmp(op, a.keep(masked)));
                        }
                    }
                    (Left::Addr(l3, off, len), None, None) => {
                        out.push(payload(PayloadBase::NETWORK_HEADER, off, len));
                        let v = right.as_str().ok_or(format!("bad {l3} address {right}"))?;
                        out.push(cmp(op, a.keep(ip_bytes(l3, v)?)));
                    }
                    (Left::MetaIfname(_), None, None) => {
                        let name = right.as_str().ok_or("interface name must be a string")?;
                        if name.len() >= 16 || name.contains('*') {
                            return Err(format!("unsupported interface name \"{name}\""));
                        }
                        let mut b = vec![0u8; 16];
                        b[..name.len()].copy_from_slice(name.as_bytes());
                        out.push(cmp(op, a.keep(b)));
                    }
                    (Left::MetaMark, None, None) => {
                        let m = right
                            .as_u64()
                            .and_then(|m| u32::try_from(m).ok())
                            .ok_or("mark must be a number")?;
                        out.push(cmp(op, a.keep(m.to_ne_bytes().to_vec())));
                    }
                    (Left::MetaL4proto, None, None) => {
                        let p = l4_number(right)?;
                        out.push(cmp(op, a.keep(vec![p])));
                        if op == CmpOp::EQ {
                            l4_done = Some(p);
                        }
                    }
                    (Left::MetaNfproto, None, None) => {
                        let p = match right.as_str() {
                            Some("ipv4") => 2,
                            Some("ipv6") => 10,
                            _ => return Err(format!("bad nfproto {right}")),
                        };
                        out.push(cmp(op, a.keep(vec![p])));
                    }
                    _ => return Err(format!("unsupported match right side {right}")),
                }
            }
            "counter" => out.push(Expr::Counter(Counter::default())),
            "accept" => out.push(Expr::verdict(Verdict::ACCEPT)),
            "drop" => out.push(Expr::verdict(Verdict::DROP)),
            "return" => out.push(Expr::verdict(Verdict::RETURN)),
            "jump" | "goto" => {
                let t = body
                    .get("target")
                    .and_then(Value::as_str)
                    .ok_or("jump/goto: missing target")?;
                let t = leak_str(t);
                let v = if k == "jump" {
                    Verdict::jump(t)
                } else {
                    Verdict::goto(t)
                };
                out.push(Expr::verdict(v));
            }
            "log" => {
                let prefix = body.get("prefix").and_then(Value::as_str).map(leak_str);
                if body
                    .as_object()
                    .is_some_and(|o| o.keys().any(|k| k != "prefix"))
                {
                    return Err("log: only \"prefix\" is supported".into());
                }
                out.push(Expr::Log(Log {
                    prefix,
                    group: None,
                    level: None,
                    flags: None,
                }));
            }
            "limit" => {
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
                let burst = o.get("burst").and_then(Value::as_u64).unwrap_or(5);
                out.push(Expr::Limit(Limit {
                    rate,
                    unit,
                    burst: u32::try_from(burst).map_err(|_| "limit: burst too large")?,
                    kind: LimitType::PKTS,
                    flags: 0,
                }));
            }
            "reject" => {
                let (kind, code) = match fam {
                    NfProto::IPV4 => (RejectType::ICMP_UNREACH, 3),
                    NfProto::IPV6 => (RejectType::ICMP_UNREACH, 4),
                    _ => (RejectType::ICMPX_UNREACH, 1),
                };
                if !body.is_null() {
                    let ty = body.get("type").and_then(Value::as_str);
                    let ex = body.get("expr").and_then(Value::as_str);
                    let ok = matches!(
                        (kind, ty, ex),
                        (
                            RejectType::ICMPX_UNREACH,
                            Some("icmpx"),
                            Some("port-unreachable")
                        ) | (
                            RejectType::ICMP_UNREACH,
                            Some("icmp" | "icmpv6"),
                            Some("port-unreachable")
                        )
                    );
                    if !ok {
                        return Err(format!("unsupported reject {body}"));
                    }
                }
                out.push(Expr::Reject(Reject {
                    kind,
                    icmp_code: code,
                }));
            }
            "masquerade" => {
                if !body.is_null() {
                    return Err("masquerade: options are not supported".into());
                }
                out.push(Expr::Masq(Masq {
                    flags: None,
                    reg_proto_min: None,
                    reg_proto_max: None,
                }));
            }
            "snat" | "dnat" => {
                let o = body.as_object().ok_or("nat: expected an object")?;
                let addr = s(o, "addr")?;
                let ip: IpAddr = addr
                    .parse()
                    .map_err(|_| format!("nat: bad address \"{addr}\""))?;
                let (nfam, bytes) = match ip {
                    IpAddr::V4(v) => (2, v.octets().to_vec()),
                    IpAddr::V6(v) => (10, v.octets().to_vec()),
                };
                out.push(Expr::Immediate(Immediate {
                    dreg: 1,
                    data: Data::Value(a.keep(bytes)),
                }));
                let mut nat = Nat {
                    kind: if k == "dnat" {
                        NatType::DNAT
                    } else {
                        NatType::SNAT
                    },
                    family: nfam,
                    reg_addr_min: Some(1),
                    reg_addr_max: None,
                    reg_proto_min: None,
                    reg_proto_max: None,
                    flags: None,
                };
                if let Some(p) = o.get("port") {
                    out.push(Expr::Immediate(Immediate {
                        dreg: 2,
                        data: Data::Value(a.keep(port(p)?)),
                    }));
                    nat.reg_proto_min = Some(2);
                    nat.flags = Some(2);
                }
                if o.keys().any(|k| k != "addr" && k != "port") {
                    return Err(format!("{k}: only \"addr\" and \"port\" are supported"));
                }
                out.push(Expr::Nat(nat));
            }
            other => return Err(format!("unsupported statement `{other}`")),
        }
    }
    encode_exprs(&out).map_err(|e| e.to_string())
}
