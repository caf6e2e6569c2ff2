//! Named stateful objects and flowtables, both ways, as nft 1.0.6 writes
//! them in JSON: `{"counter": {...}}`, `{"quota": ...}`, `{"limit": ...}`,
//! `{"ct helper": ...}`, `{"ct timeout": ...}`, `{"ct expectation":
//! ...}`, `{"synproxy": ...}`, `{"secmark": ...}` and `{"flowtable":
//! ...}` objects; the statements that use them (`{"counter": "name"}`,
//! `{"quota": {"map": ...}}`, `{"ct helper": "name"}`, `{"flow": {"op":
//! "add", "flowtable": "@ft"}}`, …), with anonymous object maps.
//!
//! Where nft 1.0.6's JSON reader is broken this follows what its JSON
//! writer means instead: it drops a ct timeout's `policy` (and refuses one
//! without), reads a ct expectation's `dport` and `size` as 0 (and so
//! refuses every one), and has no `synproxy` object in `add`.

use crate::anonset::{self, Pending};
use crate::keys;
use crate::matches::Ctx;
use nl_rustix::nft::{
    Cmd, ElemData, FlowtableSpec, ObjSpec, SetElem, SetSpec, family_by_name, family_name,
};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Connlimit, Counter, CtExpect, CtTimeout, Expr, FlowOffload, Flowtable, Limit, LimitType,
    NFT_QUOTA_F_INV, NFT_REG_1, NFT_SET_ANONYMOUS, NFT_SET_CONSTANT, NFT_SET_INTERVAL, NFT_SET_MAP,
    NFT_SET_OBJECT, Obj, ObjData, ObjType, Objref, Quota, Set, Synproxy,
};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// Object types by nft's JSON key.
const KINDS: &[(&str, ObjType)] = &[
    ("counter", ObjType::COUNTER),
    ("quota", ObjType::QUOTA),
    ("limit", ObjType::LIMIT),
    ("ct helper", ObjType::CT_HELPER),
    ("ct timeout", ObjType::CT_TIMEOUT),
    ("ct expectation", ObjType::CT_EXPECT),
    ("synproxy", ObjType::SYNPROXY),
    ("secmark", ObjType::SECMARK),
];

/// TCP's conntrack states in the kernel's order, with nft's defaults
/// (seconds), which nft sends for every state a policy leaves out.
const TCP_STATES: &[(&str, u32)] = &[
    ("syn_sent", 120),
    ("syn_recv", 60),
    ("established", 432_000),
    ("fin_wait", 120),
    ("close_wait", 60),
    ("last_ack", 30),
    ("time_wait", 120),
    ("close", 10),
    ("syn_sent2", 120),
    ("retrans", 300),
    ("unack", 300),
];
const UDP_STATES: &[(&str, u32)] = &[("unreplied", 30), ("replied", 120)];

/// `NF_SYNPROXY_OPT_*` flags nft names.
const SYNPROXY_FLAGS: &[(&str, u32)] = &[("timestamp", 4), ("sack-perm", 8)];
const SYNPROXY_MSS_WSCALE: u32 = 3;

fn states(l4: u8) -> &'static [(&'static str, u32)] {
    match l4 {
        6 => TCP_STATES,
        17 => UDP_STATES,
        _ => &[],
    }
}

fn s<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, String> {
    o.get(k)
        .and_then(Value::as_str)
        .ok_or(format!("missing string \"{k}\""))
}

fn num(o: &Map<String, Value>, k: &str) -> Result<u64, String> {
    match o.get(k) {
        None => Ok(0),
        Some(v) => v.as_u64().ok_or(format!("\"{k}\": not a number")),
    }
}

fn proto(o: &Map<String, Value>, what: &str) -> Result<u8, String> {
    match o.get("protocol").and_then(Value::as_str) {
        None => Ok(0),
        Some("tcp") => Ok(6),
        Some("udp") => Ok(17),
        Some(p) => Err(format!("{what}: unknown protocol \"{p}\"")),
    }
}

fn l3proto(o: &Map<String, Value>, what: &str) -> Result<Option<u16>, String> {
    match o.get("l3proto").and_then(Value::as_str) {
        None => Ok(None),
        Some(f) => family_by_name(f)
            .map(|f| Some(u16::from(f.0)))
            .ok_or(format!("{what}: unknown l3proto \"{f}\"")),
    }
}

/// Bytes in nft's units (`bytes`, `kbytes`, `mbytes`).
fn bytes(v: u64, unit: &str) -> Result<u64, String> {
    Ok(v * match unit {
        "bytes" => 1,
        "kbytes" => 1024,
        "mbytes" => 1024 * 1024,
        u => return Err(format!("unknown unit \"{u}\"")),
    })
}

fn seconds(per: &str) -> Result<u64, String> {
    Ok(match per {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        "week" => 604_800,
        p => return Err(format!("limit: unknown unit \"{p}\"")),
    })
}

/// An object's contents from its JSON body.
fn spec(kind: ObjType, o: &Map<String, Value>) -> Result<ObjSpec, String> {
    Ok(match kind {
        ObjType::COUNTER => ObjSpec::Counter(Counter {
            packets: num(o, "packets")?,
            bytes: num(o, "bytes")?,
        }),
        ObjType::QUOTA => ObjSpec::Quota(Quota {
            bytes: num(o, "bytes")?,
            consumed: num(o, "used")?,
            flags: if o.get("inv").and_then(Value::as_bool) == Some(true) {
                NFT_QUOTA_F_INV
            } else {
                0
            },
        }),
        ObjType::LIMIT => {
            let rate = o
                .get("rate")
                .and_then(Value::as_u64)
                .ok_or("limit: missing \"rate\"")?;
            let unit = seconds(s(o, "per")?)?;
            let burst = num(o, "burst")?;
            let flags = u32::from(o.get("inv").and_then(Value::as_bool) == Some(true));
            let rate_unit = o.get("rate_unit").and_then(Value::as_str);
            let (kind, rate, burst) = match rate_unit.unwrap_or("packets") {
                "packets" => (LimitType::PKTS, rate, burst),
                u => {
                    let bu = o.get("burst_unit").and_then(Value::as_str);
                    (
                        LimitType::PKT_BYTES,
                        bytes(rate, u)?,
                        bytes(burst, bu.unwrap_or("bytes"))?,
                    )
                }
            };
            ObjSpec::Limit(Limit {
                rate,
                unit,
                burst: u32::try_from(burst).map_err(|_| "limit: burst too large")?,
                kind,
                flags,
            })
        }
        ObjType::CT_HELPER => ObjSpec::CtHelper {
            name: s(o, "type")?.into(),
            l3proto: l3proto(o, "ct helper")?,
            l4proto: proto(o, "ct helper")?,
        },
        ObjType::CT_TIMEOUT => {
            let l4 = proto(o, "ct timeout")?;
            let table = states(l4);
            let mut timeouts: heapless::Vec<u32, 16> = table.iter().map(|x| x.1).collect();
            if let Some(p) = o.get("policy").and_then(Value::as_object) {
                for (k, v) in p {
                    let i = table
                        .iter()
                        .position(|x| x.0 == k)
                        .ok_or(format!("ct timeout: no state \"{k}\" for this protocol"))?;
                    timeouts[i] = v
                        .as_u64()
                        .and_then(|v| u32::try_from(v).ok())
                        .ok_or(format!("ct timeout: bad value for \"{k}\""))?;
                }
            }
            ObjSpec::CtTimeout(CtTimeout {
                l3proto: l3proto(o, "ct timeout")?,
                l4proto: l4,
                timeouts,
            })
        }
        ObjType::CT_EXPECT => {
            let e = CtExpect {
                l3proto: l3proto(o, "ct expectation")?,
                l4proto: proto(o, "ct expectation")?,
                dport: u16::try_from(num(o, "dport")?).map_err(|_| "ct expectation: bad dport")?,
                timeout: u32::try_from(num(o, "timeout")?)
                    .map_err(|_| "ct expectation: bad timeout")?,
                size: u8::try_from(num(o, "size")?).map_err(|_| "ct expectation: bad size")?,
            };
            // As nft checks it.
            if e.l4proto == 0 || e.dport == 0 || e.timeout == 0 || e.size == 0 {
                return Err("ct expectation: missing options".into());
            }
            ObjSpec::CtExpect(e)
        }
        ObjType::SYNPROXY => {
            let mut flags = SYNPROXY_MSS_WSCALE;
            for f in o
                .get("flags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let f = f.as_str().unwrap_or_default();
                flags |= SYNPROXY_FLAGS
                    .iter()
                    .find(|x| x.0 == f)
                    .ok_or(format!("synproxy: unknown flag \"{f}\""))?
                    .1;
            }
            ObjSpec::Synproxy(Synproxy {
                mss: Some(u16::try_from(num(o, "mss")?).map_err(|_| "synproxy: bad mss")?),
                wscale: Some(u8::try_from(num(o, "wscale")?).map_err(|_| "synproxy: bad wscale")?),
                flags,
            })
        }
        ObjType::SECMARK => ObjSpec::Secmark(s(o, "context")?.into()),
        _ => return Err("unsupported object type".into()),
    })
}

/// `add`/`create`/`delete` of an object or a flowtable, or `None` when
/// `kind` is neither.
pub(crate) fn command(
    verb: &str,
    kind: &str,
    o: &Map<String, Value>,
    fam: NfProto,
) -> Option<Result<Cmd, String>> {
    let obj = KINDS.iter().find(|k| k.0 == kind).map(|k| k.1);
    if obj.is_none() && kind != "flowtable" {
        return None;
    }
    Some((|| {
        let table = s(o, "table")?.to_string();
        let name = s(o, "name")?.to_string();
        Ok(match (verb, obj) {
            ("add" | "create", Some(t)) => Cmd::AddObj {
                family: fam,
                table,
                name,
                obj: spec(t, o).map_err(|e| format!("{kind}: {e}"))?,
                comment: o.get("comment").and_then(Value::as_str).map(String::from),
            },
            ("delete", Some(t)) => Cmd::DeleteObj {
                family: fam,
                table,
                name,
                kind: t,
            },
            ("add" | "create", None) => Cmd::AddFlowtable {
                family: fam,
                flowtable: flowtable_spec(o, table, name)?,
            },
            ("delete", None) => Cmd::DeleteFlowtable {
                family: fam,
                table,
                name,
            },
            _ => return Err(format!("unsupported: {verb} {kind}")),
        })
    })())
}

fn flowtable_spec(
    o: &Map<String, Value>,
    table: String,
    name: String,
) -> Result<FlowtableSpec, String> {
    match s(o, "hook")? {
        "ingress" => {}
        h => return Err(format!("flowtable: invalid hook \"{h}\"")),
    }
    let prio = o
        .get("prio")
        .and_then(Value::as_i64)
        .and_then(|p| i32::try_from(p).ok())
        .ok_or("flowtable: missing numeric \"prio\"")?;
    let mut devices: Vec<String> = match o.get("dev") {
        None => Vec::new(),
        Some(Value::String(d)) => vec![d.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|d| d.as_str().map(String::from).ok_or("flowtable: bad dev"))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("flowtable: bad dev".into()),
    };
    // nft sends the devices last first.
    devices.reverse();
    Ok(FlowtableSpec {
        table,
        name,
        hook: 0,
        priority: prio,
        devices,
        flags: 0,
    })
}

fn proto_name(p: u8) -> Value {
    match p {
        6 => json!("tcp"),
        17 => json!("udp"),
        n => json!(n),
    }
}

fn l3_name(p: Option<u16>) -> &'static str {
    family_name(NfProto(p.and_then(|p| u8::try_from(p).ok()).unwrap_or(0)))
}

/// A byte count in the largest of nft's units that divides it (a
/// limit's rate and burst).
fn rate_unit(n: u64) -> (u64, &'static str) {
    let mut v = n;
    let mut u = 0;
    while v >= 1024 && v % 1024 == 0 && u < 2 {
        v /= 1024;
        u += 1;
    }
    (v, ["bytes", "kbytes", "mbytes"][u])
}

/// An object as `nft -j list ruleset` prints it.
pub(crate) fn obj_json(obj: &Obj<'_>) -> Result<Value, String> {
    let bad = || {
        format!(
            "object {} {} {}: unsupported type",
            family_name(obj.family),
            obj.table,
            obj.name
        )
    };
    let word = KINDS
        .iter()
        .find(|k| k.1 == obj.data.kind())
        .ok_or_else(bad)?
        .0;
    let mut m = Map::new();
    m.insert("family".into(), json!(family_name(obj.family)));
    m.insert("name".into(), json!(obj.name));
    m.insert("table".into(), json!(obj.table));
    m.insert("handle".into(), json!(obj.handle));
    if let Some(c) = obj.comment() {
        m.insert("comment".into(), json!(c));
    }
    let mut put = |k: &str, v: Value| {
        m.insert(k.into(), v);
    };
    match &obj.data {
        ObjData::Counter(c) => {
            put("packets", json!(c.packets));
            put("bytes", json!(c.bytes));
        }
        ObjData::Quota(q) => {
            put("bytes", json!(q.bytes));
            put("used", json!(q.consumed));
            put("inv", json!(q.flags & NFT_QUOTA_F_INV != 0));
        }
        ObjData::Secmark(ctx) => put("context", json!(ctx)),
        ObjData::CtHelper(h) => {
            put("type", json!(h.name));
            put("protocol", proto_name(h.l4proto));
            put("l3proto", json!(l3_name(h.l3proto)));
        }
        ObjData::CtTimeout(t) => {
            put("protocol", proto_name(t.l4proto));
            put("l3proto", json!(l3_name(t.l3proto)));
            let mut policy = Map::new();
            for (&(name, dflt), &v) in states(t.l4proto).iter().zip(&t.timeouts) {
                if v != dflt {
                    policy.insert(name.into(), json!(v));
                }
            }
            put(
                "policy",
                if policy.is_empty() {
                    Value::Null
                } else {
                    Value::Object(policy)
                },
            );
        }
        ObjData::CtExpect(e) => {
            put("protocol", proto_name(e.l4proto));
            put("dport", json!(e.dport));
            put("timeout", json!(e.timeout));
            put("size", json!(e.size));
            put("l3proto", json!(l3_name(e.l3proto)));
        }
        ObjData::Limit(l) => {
            let per = match l.unit {
                1 => "second",
                60 => "minute",
                3600 => "hour",
                86_400 => "day",
                604_800 => "week",
                _ => return Err(bad()),
            };
            let bytes = l.kind == LimitType::PKT_BYTES;
            let (rate, ru) = if bytes {
                rate_unit(l.rate)
            } else {
                (l.rate, "")
            };
            let (burst, bu) = if bytes {
                rate_unit(u64::from(l.burst))
            } else {
                (u64::from(l.burst), "")
            };
            put("rate", json!(rate));
            put("per", json!(per));
            if l.flags & 1 != 0 {
                put("inv", json!(true));
            }
            if bytes {
                put("rate_unit", json!(ru));
            }
            if burst != 0 {
                put("burst", json!(burst));
                if bytes {
                    put("burst_unit", json!(bu));
                }
            }
        }
        ObjData::Synproxy(sp) => {
            put("mss", json!(sp.mss.unwrap_or(0)));
            put("wscale", json!(sp.wscale.unwrap_or(0)));
            let flags: Vec<&str> = SYNPROXY_FLAGS
                .iter()
                .filter(|f| sp.flags & f.1 != 0)
                .map(|f| f.0)
                .collect();
            if !flags.is_empty() {
                put("flags", json!(flags));
            }
        }
        ObjData::Connlimit(Connlimit { .. }) | ObjData::Unknown { .. } => return Err(bad()),
    }
    Ok(json!({ word: m }))
}

/// A flowtable as `nft -j list ruleset` prints it (one device as a
/// string, several as an array).
pub(crate) fn flowtable_json(ft: &Flowtable<'_>) -> Result<Value, String> {
    let hook = match ft.hook {
        0 => "ingress",
        1 => "egress",
        _ => return Err(format!("flowtable {}: unknown hook", ft.name)),
    };
    let mut m = Map::new();
    m.insert("family".into(), json!(family_name(ft.family)));
    m.insert("name".into(), json!(ft.name));
    m.insert("table".into(), json!(ft.table));
    m.insert("handle".into(), json!(ft.handle));
    m.insert("hook".into(), json!(hook));
    m.insert("prio".into(), json!(ft.priority));
    let devs = ft
        .devices()
        .collect::<Result<Vec<&str>, _>>()
        .map_err(|e| format!("flowtable {}: {e}", ft.name))?;
    match devs.as_slice() {
        [] => {}
        [one] => {
            m.insert("dev".into(), json!(one));
        }
        many => {
            m.insert("dev".into(), json!(many));
        }
    }
    Ok(json!({ "flowtable": m }))
}

/// The object type a statement key names, when its value names an object
/// (a string) or an object map (`{"map": ...}`).
fn objref_kind(k: &str, body: &Value) -> Option<ObjType> {
    let kind = KINDS.iter().find(|x| x.0 == k)?.1;
    (body.is_string() || body.get("map").is_some()).then_some(kind)
}

/// Compile statement `{k: body}` if it names an object or a flowtable:
/// `Ok(false)` when it is not one of these.
pub(crate) fn stmt(
    k: &str,
    body: &Value,
    fam: NfProto,
    named_set: &dyn Fn(&str) -> Result<Option<u32>, String>,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<bool, String> {
    if k == "flow" {
        if body.get("op").and_then(Value::as_str) != Some("add") {
            return Err("flow: only \"op\": \"add\" is supported".into());
        }
        let ft = body
            .get("flowtable")
            .and_then(Value::as_str)
            .and_then(|f| f.strip_prefix('@'))
            .ok_or("flow: \"flowtable\" must be \"@NAME\"")?;
        out.push(Expr::FlowOffload(FlowOffload {
            table: anonset::leak(ft.to_string()),
        }));
        return Ok(true);
    }
    // `ct helper set ...` as a mangle of the ct helper key.
    let (kind, value) = match body.get("key").and_then(|k| k.get("ct")) {
        Some(ct) if k == "mangle" && ct.get("key").and_then(Value::as_str) == Some("helper") => (
            ObjType::CT_HELPER,
            body.get("value").ok_or("mangle: missing value")?,
        ),
        _ => match objref_kind(k, body) {
            Some(kind) => (kind, body),
            None => return Ok(false),
        },
    };
    if let Some(name) = value.as_str() {
        out.push(Expr::Objref(Objref::Named {
            kind,
            name: anonset::leak(name.to_string()),
        }));
        return Ok(true);
    }
    let map = value
        .get("map")
        .ok_or(format!("{k}: bad object reference"))?;
    objmap(kind, map, fam, named_set, ctx, out)?;
    Ok(true)
}

/// `{"map": {"key": K, "data": {"set": [[k, "name"], ...]} | "@m"}}`: the
/// object the map gives for the key, an anonymous map added before the
/// rule as nft adds it (`__objmap%d`).
fn objmap(
    kind: ObjType,
    map: &Value,
    fam: NfProto,
    named_set: &dyn Fn(&str) -> Result<Option<u32>, String>,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let lj = map.get("key").ok_or("map: missing key")?;
    let data = map.get("data").ok_or("map: missing data")?;
    if let Some(name) = data.as_str().and_then(|d| d.strip_prefix('@')) {
        let set_id = named_set(name)?;
        anonset::load_key(lj, fam, ctx, out)?;
        out.push(Expr::Objref(Objref::Map {
            sreg: NFT_REG_1,
            set: anonset::leak(name.to_string()),
            set_id,
        }));
        return Ok(());
    }
    let items = data
        .get("set")
        .and_then(Value::as_array)
        .ok_or("map: data must be a set or \"@NAME\"")?;
    let (lds, key) = anonset::load_key(lj, fam, ctx, out)?;
    let pairs = items
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([k, Value::String(o)]) => Ok((k, Some(ElemData::Value(o.clone().into_bytes())))),
            _ => Err(format!("map: bad element {p}")),
        })
        .collect::<Result<Vec<_>, String>>()?;
    let (mut elems, interval) =
        anonset::build_elems(&anonset::fields_of(&lds), pairs, false, true)?;
    // The object's name rode along as the element's data.
    for e in &mut elems {
        if let Some(ElemData::Value(v)) = e.data.take() {
            e.objref = Some(String::from_utf8(v).map_err(|_| "map: bad object name")?);
        }
    }
    if interval {
        anonset::hton(&lds, out);
    }
    ctx.next_set_id += 1;
    let id = ctx.next_set_id;
    let mut ud = Vec::new();
    keys::tlv32(&mut ud, keys::UD_KEYBYTEORDER, key.byteorder);
    keys::tlv32(&mut ud, keys::UD_DATA_INTERVAL, 0);
    let mut flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_OBJECT;
    if interval {
        flags |= NFT_SET_INTERVAL;
    }
    let name = "__objmap%d";
    let spec = SetSpec {
        name: name.into(),
        flags,
        key_type: key.dtype,
        key_len: anonset::key_len(&lds),
        obj_type: Some(kind.0),
        id,
        size: Some(u32::try_from(elems.len()).unwrap_or(u32::MAX)),
        userdata: ud,
        ..Default::default()
    };
    ctx.sets.push(Pending { spec, elems });
    out.push(Expr::Objref(Objref::Map {
        sreg: NFT_REG_1,
        set: name,
        set_id: Some(id),
    }));
    Ok(())
}

/// The object type nft's word names (`"counter"`, `"ct helper"`, …).
pub(crate) fn kind_by_word(word: &str) -> Option<ObjType> {
    KINDS.iter().find(|k| k.0 == word).map(|k| k.1)
}

/// An object map as a map whose elements' data are the objects' names
/// (how the listing renders them); any other set as it is.
pub(crate) fn as_named_data<'a>(
    set: &'a Set,
    elems: &'a [SetElem],
) -> (Cow<'a, Set>, Cow<'a, [SetElem]>) {
    if set.flags & NFT_SET_OBJECT == 0 {
        return (Cow::Borrowed(set), Cow::Borrowed(elems));
    }
    let mut s = set.clone();
    s.flags |= NFT_SET_MAP;
    let e = elems
        .iter()
        .map(|e| SetElem {
            data: e.objref.clone().map(|o| ElemData::Value(o.into_bytes())),
            ..e.clone()
        })
        .collect();
    (Cow::Owned(s), Cow::Owned(e))
}

/// nft's JSON key of a statement applying an object of type `kind`.
pub(crate) fn stmt_word(kind: ObjType) -> Option<&'static str> {
    KINDS.iter().find(|k| k.1 == kind).map(|k| k.0)
}
