//! Named sets and maps: `{"set": …}` / `{"map": …}` and their elements to
//! the kernel as nft 1.0.6 sends them (key type, a concatenation's packed
//! type and field lengths, flags, size, policy, timeouts, the userdata
//! nft stores), and back into nft's JSON.

use crate::anonset::{self, Enc, Field, Render, verdict_json};
use crate::keys;
use crate::settype::KeyType;
use nl_rustix::nft::{ElemData, SetElem, SetSpec, family_name};
use nl_rustix::nl_proto::nfnl::nft::{
    NFT_DATA_VERDICT, NFT_SET_CONCAT, NFT_SET_CONSTANT, NFT_SET_INTERVAL, NFT_SET_MAP,
    NFT_SET_OBJECT, NFT_SET_TIMEOUT, ObjType, Set,
};
use serde_json::{Map, Value, json};

/// A named set's key and data, as the commands need them.
#[derive(Clone, Debug)]
pub(crate) struct SetInfo {
    /// The key's fields (one unless a concatenation).
    pub(crate) key: Vec<KeyType>,
    /// A map's data: `None` for a verdict map.
    pub(crate) data: Option<Option<KeyType>>,
    pub(crate) interval: bool,
    pub(crate) id: Option<u32>,
    /// An object map's object type (its elements name objects).
    pub(crate) obj: Option<ObjType>,
}

/// `NFTA_SET_POLICY` names.
const POLICIES: [&str; 2] = ["performance", "memory"];

impl SetInfo {
    /// What the kernel's set `s` is, if this example knows its types.
    pub(crate) fn of(s: &Set) -> Option<Self> {
        let key = key_types(s.key_type, s.key_len)?;
        let data = if s.flags & NFT_SET_MAP == 0 {
            None
        } else if s.data_type == NFT_DATA_VERDICT {
            Some(None)
        } else {
            Some(Some(KeyType::by_id(s.data_type)?))
        };
        Some(Self {
            key,
            data,
            interval: s.flags & NFT_SET_INTERVAL != 0,
            id: None,
            obj: (s.flags & NFT_SET_OBJECT != 0).then_some(ObjType(s.obj_type)),
        })
    }

    fn fields(&self) -> Vec<Field<'_>> {
        let interval = self.interval;
        self.key
            .iter()
            .map(|&t| Field {
                enc: Box::new(move |v: &Value| t.encode(v)) as Enc<'_>,
                len: u32::try_from(t.len()).unwrap_or(0),
                swap: interval && t.host_order() && t != KeyType::Ifname,
            })
            .collect()
    }
}

/// A packed key type (6 bits a field) as its fields, checked against the
/// key length.
fn key_types(id: u32, key_len: u32) -> Option<Vec<KeyType>> {
    if let Some(t) = KeyType::by_id(id)
        && u32::try_from(t.len()).ok() == Some(key_len)
    {
        return Some(vec![t]);
    }
    let mut out = Vec::new();
    let mut rest = id;
    while rest != 0 {
        out.push(KeyType::by_id(rest & 0x3f)?);
        rest >>= 6;
    }
    out.reverse();
    let len: usize = out.iter().map(|t| t.len().next_multiple_of(4)).sum();
    (out.len() > 1 && u32::try_from(len).ok() == Some(key_len)).then_some(out)
}

fn type_names(v: &Value) -> Result<Vec<KeyType>, String> {
    let one = |v: &Value| {
        let n = v.as_str().ok_or(format!("bad set type {v}"))?;
        KeyType::by_name(n).ok_or(format!("unsupported set type \"{n}\""))
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        v => Ok(vec![one(v)?]),
    }
}

/// An `add set` / `add map` body as the set to create, and what the rest
/// of the document needs to know of it (`id`: its batch id).
pub(crate) fn spec(
    o: &Map<String, Value>,
    map: bool,
    id: u32,
) -> Result<(SetSpec, SetInfo), String> {
    let s = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .ok_or(format!("set: missing \"{k}\""))
    };
    let key = type_names(o.get("type").ok_or("set: missing \"type\"")?)?;
    let obj = if map {
        crate::objects::kind_by_word(s("map")?)
    } else {
        None
    };
    let data = if map && obj.is_none() {
        let m = s("map")?;
        Some(if m == "verdict" {
            None
        } else {
            Some(KeyType::by_name(m).ok_or(format!("unsupported map data \"{m}\""))?)
        })
    } else {
        None
    };
    let mut flags = match (map, obj) {
        (_, Some(_)) => NFT_SET_OBJECT,
        (true, None) => NFT_SET_MAP,
        (false, None) => 0,
    };
    let list = match o.get("flags") {
        None => vec![],
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    };
    for f in list {
        flags |= match f.as_str() {
            Some("interval") => NFT_SET_INTERVAL,
            Some("timeout") => NFT_SET_TIMEOUT,
            Some("constant") => NFT_SET_CONSTANT,
            _ => return Err(format!("unsupported set flag {f}")),
        };
    }
    let secs = |k: &str| -> Result<Option<u64>, String> {
        match o.get(k) {
            None => Ok(None),
            Some(t) => Ok(Some(t.as_u64().ok_or(format!("set: bad \"{k}\""))? * 1000)),
        }
    };
    for k in o.keys() {
        if !matches!(
            k.as_str(),
            "family"
                | "table"
                | "name"
                | "type"
                | "map"
                | "flags"
                | "timeout"
                | "gc-interval"
                | "size"
                | "policy"
                | "elem"
                | "handle"
        ) {
            return Err(format!("set: unsupported property \"{k}\""));
        }
    }
    let interval = flags & NFT_SET_INTERVAL != 0;
    let mut ud = Vec::new();
    let concat = key.len() > 1;
    let (key_type, key_len) = if concat {
        if interval {
            flags |= NFT_SET_CONCAT;
        }
        let id = key.iter().fold(0, |a, t| (a << 6) | t.id());
        let len: usize = key.iter().map(|t| t.len().next_multiple_of(4)).sum();
        keys::tlv32(&mut ud, keys::UD_KEYBYTEORDER, 0);
        // A concatenation's typeof: the concat expression, no fields.
        let mut nest = Vec::new();
        keys::tlv32(&mut nest, 0, 13);
        keys::tlv(&mut nest, 1, &[]);
        keys::tlv(&mut ud, keys::UD_KEY_TYPEOF, &nest);
        (id, len)
    } else {
        keys::tlv32(&mut ud, keys::UD_KEYBYTEORDER, key[0].byteorder());
        (key[0].id(), key[0].len())
    };
    if let Some(d) = data {
        keys::tlv32(
            &mut ud,
            keys::UD_DATABYTEORDER,
            d.map_or(0, KeyType::byteorder),
        );
        keys::tlv32(&mut ud, keys::UD_DATA_INTERVAL, 0);
    } else if obj.is_some() {
        keys::tlv32(&mut ud, keys::UD_DATA_INTERVAL, 0);
    }
    let policy = match o.get("policy").and_then(Value::as_str) {
        None => None,
        Some(p) => Some(
            POLICIES
                .iter()
                .position(|x| *x == p)
                .and_then(|i| u32::try_from(i).ok())
                .ok_or(format!("set: bad policy \"{p}\""))?,
        ),
    };
    let spec = SetSpec {
        table: s("table")?.into(),
        name: s("name")?.into(),
        flags,
        key_type,
        key_len: u32::try_from(key_len).unwrap_or(0),
        data: data.map(|d| {
            d.map_or((NFT_DATA_VERDICT, 0), |t| {
                (t.id(), u32::try_from(t.len()).unwrap_or(0))
            })
        }),
        id,
        policy: policy.filter(|&p| p != 0),
        size: o
            .get("size")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok()),
        concat: if flags & NFT_SET_CONCAT != 0 {
            key.iter()
                .map(|t| u32::try_from(t.len()).unwrap_or(0))
                .collect()
        } else {
            Vec::new()
        },
        timeout: secs("timeout")?,
        gc_interval: secs("gc-interval")?.and_then(|t| u32::try_from(t).ok()),
        userdata: ud,
        obj_type: obj.map(|o| o.0),
    };
    let info = SetInfo {
        key,
        data,
        interval,
        id: Some(id),
        obj,
    };
    Ok((spec, info))
}

/// Element values (`"elem"` of a set, map or `element` command) as the
/// kernel wants them; `new_set`: the whole set is new (an interval set
/// then starts with an end element at 0, as nft sends it).
pub(crate) fn elements(
    info: &SetInfo,
    vals: &[Value],
    new_set: bool,
) -> Result<Vec<SetElem>, String> {
    let elems = keyed(info, vals, new_set)?;
    if info.obj.is_none() {
        return Ok(elems);
    }
    elems
        .into_iter()
        .map(|mut e| {
            if let Some(ElemData::Value(v)) = e.data.take() {
                e.objref = Some(String::from_utf8(v).map_err(|_| "bad object name")?);
            }
            Ok(e)
        })
        .collect()
}

fn keyed(info: &SetInfo, vals: &[Value], new_set: bool) -> Result<Vec<SetElem>, String> {
    let fields = info.fields();
    let mut items = Vec::new();
    for v in vals {
        let (k, d) = match (info.data, v.as_array().map(Vec::as_slice)) {
            (Some(dt), Some([k, d])) => {
                let d = match dt {
                    None => crate::anonset::verdict(d)?,
                    Some(t) => ElemData::Value(t.encode(d)?),
                };
                (k, Some(d))
            }
            (Some(_), _) => return Err(format!("map element {v}: expected [key, data]")),
            // An object map's element: the object's name rides along as
            // data until the end.
            (None, Some([k, Value::String(o)])) if info.obj.is_some() => {
                (k, Some(ElemData::Value(o.clone().into_bytes())))
            }
            (None, _) => (v, None),
        };
        items.push((k, d));
    }
    let timeouts: Vec<Option<u64>> = items
        .iter()
        .map(|(k, _)| {
            k.get("elem")
                .and_then(|e| e.get("timeout"))
                .and_then(Value::as_u64)
                .map(|t| t * 1000)
        })
        .collect();
    if !info.interval {
        let mut out = Vec::new();
        for ((k, d), t) in items.into_iter().zip(timeouts) {
            let (mut e, _) = anonset::build_elems(&fields, vec![(k, d)], false, false)?;
            let mut e = e.pop().ok_or("no element")?;
            e.timeout = t;
            out.push(e);
        }
        return Ok(out);
    }
    Ok(anonset::build_elems(&fields, items, false, new_set)?.0)
}

fn secs(ms: u64) -> Value {
    json!(ms / 1000)
}

/// An inet_proto range bound as nft lists it: a number.
fn proto_number(b: &[u8]) -> Option<Value> {
    b.first().map(|p| json!(p))
}

/// A named set or map as nft lists it.
pub(crate) fn set_json(set: &Set, elems: &[SetElem]) -> Result<Value, String> {
    let what = || format!("set {} {} {}", family_name(set.family), set.table, set.name);
    let info = SetInfo::of(set).ok_or_else(|| format!("{}: unsupported key type", what()))?;
    let names: Vec<&str> = info.key.iter().map(|t| t.name()).collect();
    let ty = if let [one] = names.as_slice() {
        json!(one)
    } else {
        json!(names)
    };
    let mut v = Map::new();
    v.insert("family".into(), json!(family_name(set.family)));
    v.insert("name".into(), json!(set.name.as_str()));
    v.insert("table".into(), json!(set.table.as_str()));
    v.insert("type".into(), ty);
    v.insert("handle".into(), json!(set.handle));
    if let Some(d) = info.data {
        v.insert("map".into(), json!(d.map_or("verdict", KeyType::name)));
    }
    if let Some(o) = info.obj {
        let word = crate::objects::stmt_word(o).ok_or_else(what)?;
        v.insert("map".into(), json!(word));
    }
    if set.flags & NFT_SET_CONSTANT == 0 {
        if let Some(p) = set.policy.filter(|&p| p != 0) {
            let name = POLICIES.get(p as usize).ok_or_else(what)?;
            v.insert("policy".into(), json!(name));
        }
        if let Some(n) = set.size.filter(|&n| n != 0) {
            v.insert("size".into(), json!(n));
        }
    }
    let known = NFT_SET_CONSTANT
        | NFT_SET_INTERVAL
        | NFT_SET_TIMEOUT
        | NFT_SET_MAP
        | NFT_SET_CONCAT
        | NFT_SET_OBJECT;
    if set.flags & !known != 0 {
        return Err(format!("{}: unsupported flags {:#x}", what(), set.flags));
    }
    let flags: Vec<&str> = [
        (NFT_SET_CONSTANT, "constant"),
        (NFT_SET_INTERVAL, "interval"),
        (NFT_SET_TIMEOUT, "timeout"),
    ]
    .iter()
    .filter(|(f, _)| set.flags & f != 0)
    .map(|(_, n)| *n)
    .collect();
    if !flags.is_empty() {
        v.insert("flags".into(), json!(flags));
    }
    if let Some(t) = set.timeout {
        v.insert("timeout".into(), secs(t));
    }
    if let Some(t) = set.gc_interval {
        v.insert("gc-interval".into(), secs(u64::from(t)));
    }
    let closures: Vec<_> = info
        .key
        .iter()
        .map(|&t| move |b: &[u8]| t.render(b))
        .collect();
    let fields: Vec<Render<'_>> = info
        .key
        .iter()
        .zip(&closures)
        .map(|(t, f)| Render {
            value: f,
            bound: (*t == KeyType::InetProto).then_some(&proto_number),
            addr: t.is_addr(),
            len: t.len(),
        })
        .collect();
    let data_ty = info.data.flatten();
    let data = move |d: &ElemData| match d {
        ElemData::Value(b) => data_ty.and_then(|t| t.render(b)),
        v => verdict_json(v),
    };
    // An object map lists as a map whose data are the objects' names.
    let (set, elems) = crate::objects::as_named_data(set, elems);
    let data = move |d: &ElemData| match (d, info.obj) {
        (ElemData::Value(b), Some(_)) => std::str::from_utf8(b).ok().map(|n| json!(n)),
        _ => data(d),
    };
    let list = anonset::elements(&set, &elems, &fields, &data)
        .ok_or_else(|| format!("{}: an element this example cannot render", what()))?;
    if !list.is_empty() {
        v.insert("elem".into(), json!(list));
    }
    let kind = if info.data.is_some() || info.obj.is_some() {
        "map"
    } else {
        "set"
    };
    Ok(json!({ kind: v }))
}
