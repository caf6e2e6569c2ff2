//! nft's JSON commands into [`Cmd`]s, rule statements compiled into the
//! kernel expressions nft 1.0.6 sends for them (same registers, same
//! implicit protocol dependency), so that nft lists our rules exactly as
//! its own.

use crate::matches;
use crate::settype::{KeyType, succ};
use nl_rustix::nft::{BaseSpec, Cmd, SetElem, SetSpec, encode_exprs, family_by_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Counter, Data, Expr, HookNum, Immediate, NF_ACCEPT, NF_DROP, NFT_QUOTA_F_INV, Nat, NatType,
    Placement, Quota, Verdict,
};
use nl_rustix::nl_proto::nfnl::nft::{
    NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_TIMEOUT, Set,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::net::IpAddr;

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
            base: base_chain(fam, o)?,
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

fn base_chain(fam: NfProto, o: &Map<String, Value>) -> Result<Option<BaseSpec>, String> {
    let Some(hook) = o.get("hook") else {
        return Ok(None);
    };
    let name = hook.as_str().ok_or("chain: \"hook\" is not a string")?;
    let hook = match (fam, name) {
        // arp's hooks (NF_ARP_IN, _OUT, _FORWARD) and netdev's.
        (NfProto::ARP, "input") => HookNum(0),
        (NfProto::ARP, "output") => HookNum(1),
        (NfProto::ARP, "forward") => HookNum(2),
        (NfProto::NETDEV, "ingress") => HookNum(0),
        (NfProto::NETDEV, "egress") => HookNum(1),
        (_, h) => hook_by_name(h)?,
    };
    let device = o.get("dev").and_then(Value::as_str).map(String::from);
    // As nft 1.0.6 (the kernel would take it, and hook no device).
    if fam == NfProto::NETDEV && device.is_none() {
        return Err("chain: missing \"dev\" in a netdev base chain".into());
    }
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
        device,
    }))
}

fn hook_by_name(h: &str) -> Result<HookNum, String> {
    Ok(match h {
        "prerouting" => HookNum::PREROUTING,
        "input" => HookNum::INPUT,
        "forward" => HookNum::FORWARD,
        "output" => HookNum::OUTPUT,
        "postrouting" => HookNum::POSTROUTING,
        "ingress" => HookNum::INGRESS,
        h => return Err(format!("chain: unknown hook \"{h}\"")),
    })
}

/// Where the values the expressions borrow live: leaked, for the life of
/// this short-lived program.
struct Arena;

impl Arena {
    fn keep(&mut self, b: Vec<u8>) -> &'static [u8] {
        Box::leak(b.into_boxed_slice())
    }
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn port(v: &Value) -> Result<Vec<u8>, String> {
    let n = v
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or(format!("bad port {v}"))?;
    Ok(n.to_be_bytes().to_vec())
}

/// Compile nft JSON statements into expressions, encoded.
fn compile(fam: NfProto, table: &str, stmts: &[Value], sets: &Sets) -> Result<Vec<u8>, String> {
    let mut a = Arena;
    let mut out: Vec<Expr<'static>> = Vec::new();
    let mut ctx = matches::Ctx::default();
    for st in stmts {
        let (k, body) = one(st)?;
        match k {
            "match" => {
                let o = body.as_object().ok_or("match: expected an object")?;
                let named = |name: &str| -> Result<Option<u32>, String> {
                    sets.known
                        .get(&(fam.0, table.to_string(), name.to_string()))
                        .map(|info| info.id)
                        .ok_or(format!("no set \"{name}\" in table \"{table}\""))
                };
                matches::compile(o, fam, &named, &mut ctx, &mut out)?;
            }
            "quota" => {
                let unit = |k: &str| match body.get(k).and_then(Value::as_str) {
                    None | Some("bytes") => Ok(1),
                    Some("kbytes") => Ok(1024),
                    Some("mbytes") => Ok(1024 * 1024),
                    Some(u) => Err(format!("quota: unknown unit \"{u}\"")),
                };
                let n = |k: &str| body.get(k).and_then(Value::as_u64).unwrap_or(0);
                let inv = body.get("inv").and_then(Value::as_bool).unwrap_or(false);
                out.push(Expr::Quota(Quota {
                    bytes: n("val") * unit("val_unit")?,
                    flags: if inv { NFT_QUOTA_F_INV } else { 0 },
                    consumed: n("used") * unit("used_unit")?,
                }));
            }
            "counter" => {
                // nft keeps the values it is given.
                let n = |k| body.get(k).and_then(Value::as_u64).unwrap_or(0);
                out.push(Expr::Counter(Counter {
                    packets: n("packets"),
                    bytes: n("bytes"),
                }));
            }
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
            other => {
                if !crate::stmt::compile(other, body, fam, &mut ctx, &mut out)? {
                    return Err(format!("unsupported statement `{other}`"));
                }
            }
        }
    }
    crate::merge::payloads(&mut out);
    encode_exprs(&out).map_err(|e| e.to_string())
}
