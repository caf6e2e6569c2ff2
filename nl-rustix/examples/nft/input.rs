//! nft's JSON commands into [`Cmd`]s, rule statements compiled into the
//! kernel expressions nft 1.0.6 sends for them (same registers, same
//! implicit protocol dependency), so that nft lists our rules exactly as
//! its own.

use crate::matches;
use crate::namedset::{self, SetInfo};
use nl_rustix::nft::{BaseSpec, Cmd, SetSpec, encode_exprs, family_by_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::Set;
use nl_rustix::nl_proto::nfnl::nft::{
    Counter, Expr, HookNum, NF_ACCEPT, NF_DROP, NFT_QUOTA_F_INV, Placement, Quota, Verdict,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The sets known while compiling: the kernel's, then the document's.
#[derive(Default)]
struct Sets {
    known: HashMap<(u8, String, String), SetInfo>,
    next_id: u32,
}

/// Every command of an nft JSON document, in order; `existing` are the
/// kernel's sets (for elements and lookups naming them).
pub(crate) fn parse(text: &str, existing: &[Set]) -> Result<Vec<Cmd>, String> {
    let start = || {
        let mut sets = Sets::default();
        for s in existing {
            if let Some(info) = SetInfo::of(s) {
                sets.known
                    .insert((s.family.0, s.table.to_string(), s.name.to_string()), info);
            }
        }
        (Vec::new(), sets)
    };
    let each = |(cmds, sets): &mut (Vec<Cmd>, Sets), item: &Value| command(item, cmds, sets);
    crate::document::commands(text, start, each).map(|(cmds, _)| cmds)
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
        "table" | "chain" | "rule" | "set" | "map" | "flowtable" | "counter" | "quota"
        | "limit" | "ct helper" | "ct timeout" | "ct expectation" | "synproxy" | "secmark" => {
            object("add", verb, body, out, sets)
        }
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
    if let Some(cmd) = crate::objects::command(verb, kind, o, fam) {
        out.push(cmd?);
        return Ok(());
    }
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
            let table = s(o, "table")?;
            let (exprs, anon) = compile(fam, table, stmts, sets)?;
            for p in anon {
                let set = p.spec.name.clone();
                let id = p.spec.id;
                out.push(Cmd::AddSet {
                    family: fam,
                    set: SetSpec {
                        table: table.into(),
                        ..p.spec
                    },
                });
                out.push(Cmd::AddElems {
                    family: fam,
                    table: table.into(),
                    set,
                    set_id: Some(id),
                    elems: p.elems,
                });
            }
            Cmd::AddRule {
                family: fam,
                table: table.into(),
                chain: s(o, "chain")?.into(),
                at,
                exprs,
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
        ("add", "set" | "map") => return add_set(fam, o, kind == "map", out, sets),
        ("delete", "set" | "map") => Cmd::DeleteSet {
            family: fam,
            table: s(o, "table")?.into(),
            name: s(o, "name")?.into(),
        },
        ("add" | "delete", "element") => {
            let (table, name) = (s(o, "table")?, s(o, "name")?);
            let info = sets
                .known
                .get(&(fam.0, table.to_string(), name.to_string()))
                .ok_or(format!("no set \"{name}\" in table \"{table}\""))?;
            let vals = o
                .get("elem")
                .and_then(Value::as_array)
                .ok_or("element: missing \"elem\"")?;
            let elems = namedset::elements(info, vals, false)?;
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
    map: bool,
    out: &mut Vec<Cmd>,
    sets: &mut Sets,
) -> Result<(), String> {
    sets.next_id += 1;
    let (spec, info) = namedset::spec(o, map, sets.next_id)?;
    let (table, name) = (spec.table.clone(), spec.name.clone());
    let id = spec.id;
    let elems = match o.get("elem").and_then(Value::as_array) {
        Some(vals) => Some(namedset::elements(&info, vals, true)?),
        None => None,
    };
    sets.known
        .insert((fam.0, table.clone(), name.clone()), info);
    out.push(Cmd::AddSet {
        family: fam,
        set: spec,
    });
    if let Some(elems) = elems {
        out.push(Cmd::AddElems {
            family: fam,
            table,
            set: name,
            set_id: Some(id),
            elems,
        });
    }
    Ok(())
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

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// Compile nft JSON statements into expressions, encoded, and the
/// anonymous sets they use.
fn compile(
    fam: NfProto,
    table: &str,
    stmts: &[Value],
    sets: &mut Sets,
) -> Result<(Vec<u8>, Vec<crate::anonset::Pending>), String> {
    let mut out: Vec<Expr<'static>> = Vec::new();
    let mut ctx = matches::Ctx {
        next_set_id: sets.next_id,
        ..Default::default()
    };
    // A named set's batch id, if this document adds it.
    let named = |name: &str| -> Result<Option<u32>, String> {
        sets.known
            .get(&(fam.0, table.to_string(), name.to_string()))
            .map(|info| info.id)
            .ok_or(format!("no set \"{name}\" in table \"{table}\""))
    };
    for st in stmts {
        let (k, body) = one(st)?;
        if crate::objects::stmt(k, body, fam, &named, &mut ctx, &mut out)? {
            continue;
        }
        match k {
            "match" => {
                let o = body.as_object().ok_or("match: expected an object")?;
                matches::compile(o, fam, &named, &mut ctx, &mut out)?;
            }
            "vmap" => crate::anonset::vmap(body, fam, &named, &mut ctx, &mut out)?,
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
            other => {
                if !crate::stmt::compile(other, body, fam, &mut ctx, &mut out)? {
                    return Err(format!("unsupported statement `{other}`"));
                }
            }
        }
    }
    sets.next_id = ctx.next_set_id;
    crate::merge::payloads(&mut out);
    let exprs = encode_exprs(&out).map_err(|e| e.to_string())?;
    Ok((exprs, ctx.sets))
}
