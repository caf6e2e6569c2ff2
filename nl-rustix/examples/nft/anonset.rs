//! Anonymous sets and maps, as nft 1.0.6 makes them for a rule: a
//! `{"set": [...]}` right side (a lookup), a concatenated left side
//! (`ip saddr . tcp dport`), and a `vmap` statement. Each becomes a
//! constant anonymous set added in the rule's transaction before it
//! (`__set%d`, `__map%d`, named by the kernel), with nft's key type,
//! byte order and `typeof` userdata, its elements as nft sends them
//! (intervals merged, start and end elements), and the `lookup` that
//! names it by its batch id. Listing renders the elements back.

use crate::keys::{self, Key};
use crate::matches::{self, Ctx, Loaded};
use crate::settype::{pred, prefix_len, succ};
use nl_rustix::nft::{ElemData, SetElem, SetSpec};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Byteorder, Expr, Lookup, NFT_BYTEORDER_HTON, NFT_DATA_VERDICT, NFT_REG_1, NFT_REG_VERDICT,
    NFT_SET_ANONYMOUS, NFT_SET_CONSTANT, NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_MAP,
    Set, VerdictCode,
};
use serde_json::{Value, json};

/// A set a rule needs, to add before it.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) spec: SetSpec,
    pub(crate) elems: Vec<SetElem>,
}

/// The register of a concatenation's field at byte `off`: nft's 128-bit
/// registers where one starts, else its 32-bit ones (`NFT_REG32_00` is 8).
pub(crate) fn reg_at(off: u32) -> u32 {
    if off % 16 == 0 {
        NFT_REG_1 + off / 16
    } else {
        8 + off / 4
    }
}

/// The left side loaded: one field, or a concatenation in consecutive
/// registers (dependencies first, as nft orders them).
fn load_key(
    lj: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(Vec<Loaded>, Key), String> {
    let parts: Vec<&Value> = match lj.get("concat").and_then(Value::as_array) {
        Some(a) => a.iter().collect(),
        None => vec![lj],
    };
    let lefts = parts
        .iter()
        .map(|p| matches::left(p))
        .collect::<Result<Vec<_>, _>>()?;
    for l in &lefts {
        matches::depend_on(*l, fam, ctx, out)?;
    }
    let mut off = 0;
    let mut loaded = Vec::new();
    for l in lefts {
        let ld = matches::load(l, reg_at(off), out);
        off += ld.len.next_multiple_of(4);
        loaded.push(ld);
    }
    let ks: Vec<Key> = loaded
        .iter()
        .map(|ld| keys::of(ld.left, ld.mask.is_some()))
        .collect();
    let key = if ks.len() == 1 {
        ks.into_iter().next().ok_or("empty key")?
    } else {
        keys::concat(&ks)
    };
    Ok((loaded, key))
}

/// Host-order numbers are compared by magnitude in an interval set: nft
/// turns them to network order first.
fn swaps(ld: &Loaded) -> bool {
    ld.host && ld.len > 1 && !matches!(ld.ty, crate::fields::Ty::Ifname)
}

/// One element's key: a value, or a `[lo, hi]` range (a range, a prefix).
fn elem_key(lds: &[Loaded], v: &Value, swapped: bool) -> Result<(Vec<u8>, Vec<u8>), String> {
    let v = v.get("elem").and_then(|e| e.get("val")).unwrap_or(v);
    if lds.len() > 1 {
        let parts = v
            .get("concat")
            .and_then(Value::as_array)
            .filter(|p| p.len() == lds.len())
            .ok_or(format!("bad concatenation {v}"))?;
        let (mut lo, mut hi) = (Vec::new(), Vec::new());
        for (ld, p) in lds.iter().zip(parts) {
            let (a, b) = elem_key(std::slice::from_ref(ld), p, swapped)?;
            let pad = ld.len.next_multiple_of(4) as usize - a.len();
            lo.extend(a);
            lo.extend(std::iter::repeat_n(0, pad));
            hi.extend(b);
            hi.extend(std::iter::repeat_n(0, pad));
        }
        return Ok((lo, hi));
    }
    let ld = &lds[0];
    let order = |mut b: Vec<u8>| {
        if swapped && swaps(ld) {
            b.reverse();
        }
        b
    };
    if let Some(r) = v.get("range").and_then(Value::as_array) {
        let [a, b] = r.as_slice() else {
            return Err(format!("bad range {v}"));
        };
        return Ok((order(ld.value(a)?), order(ld.value(b)?)));
    }
    if let Some(p) = v.get("prefix") {
        let addr = ld.value(p.get("addr").ok_or("prefix: missing addr")?)?;
        let len = p
            .get("len")
            .and_then(Value::as_u64)
            .and_then(|l| usize::try_from(l).ok())
            .filter(|&l| l <= addr.len() * 8)
            .ok_or("prefix: bad len")?;
        let (mut lo, mut hi) = (addr.clone(), addr);
        for i in 0..lo.len() {
            let have = len.saturating_sub(i * 8).min(8);
            let m = if have == 0 { 0 } else { 0xffu8 << (8 - have) };
            lo[i] &= m;
            hi[i] |= !m;
        }
        return Ok((lo, hi));
    }
    let k = order(ld.value(v)?);
    Ok((k.clone(), k))
}

fn is_interval(v: &Value) -> bool {
    let v = v.get("elem").and_then(|e| e.get("val")).unwrap_or(v);
    v.get("range").is_some()
        || v.get("prefix").is_some()
        || v.get("concat")
            .and_then(Value::as_array)
            .is_some_and(|p| p.iter().any(is_interval))
}

fn elem(key: Vec<u8>, flags: u32, data: Option<ElemData>) -> SetElem {
    SetElem {
        key,
        flags,
        data,
        ..Default::default()
    }
}

/// Ranges (sorted, a set's merged) as the kernel's start and end
/// elements, as nft sends them: an end at 0 first unless a range starts
/// there; a map's range that ends where the next starts has no end.
fn interval_elems(
    mut ranges: Vec<(Vec<u8>, Vec<u8>, Option<ElemData>)>,
    merge: bool,
) -> Vec<SetElem> {
    ranges.sort_by(|a, b| a.0.cmp(&b.0));
    if merge {
        let mut merged: Vec<(Vec<u8>, Vec<u8>, Option<ElemData>)> = Vec::new();
        for r in ranges {
            if let Some(last) = merged.last_mut()
                && succ(&last.1).is_none_or(|n| r.0 <= n)
            {
                if r.1 > last.1 {
                    last.1 = r.1;
                }
                continue;
            }
            merged.push(r);
        }
        ranges = merged;
    }
    let mut out = Vec::new();
    if ranges.first().is_some_and(|r| r.0.iter().any(|&b| b != 0)) {
        let len = ranges[0].0.len();
        out.push(elem(vec![0; len], NFT_SET_ELEM_INTERVAL_END, None));
    }
    for i in 0..ranges.len() {
        let (lo, hi, data) = &ranges[i];
        out.push(elem(lo.clone(), 0, data.clone()));
        if let Some(end) = succ(hi)
            && ranges.get(i + 1).is_none_or(|n| n.0 != end)
        {
            out.push(elem(end, NFT_SET_ELEM_INTERVAL_END, None));
        }
    }
    out
}

/// The set of a rule: its spec (`__set%d` or `__map%d`), numbered from the
/// rule's context.
fn pending(
    ctx: &mut Ctx,
    key: &Key,
    key_len: u32,
    interval: bool,
    map: bool,
    elems: Vec<SetElem>,
) -> (String, u32) {
    ctx.next_set_id += 1;
    let id = ctx.next_set_id;
    let mut ud = Vec::new();
    keys::tlv32(&mut ud, keys::UD_KEYBYTEORDER, key.byteorder);
    if map {
        let data = keys::verdict();
        keys::tlv32(&mut ud, keys::UD_DATABYTEORDER, data.byteorder);
        data.put_typeof(&mut ud, keys::UD_DATA_TYPEOF);
        keys::tlv32(&mut ud, keys::UD_DATA_INTERVAL, 0);
    } else {
        if interval {
            keys::tlv32(&mut ud, keys::UD_MERGE_ELEMENTS, 1);
        }
        key.put_typeof(&mut ud, keys::UD_KEY_TYPEOF);
    }
    let name = if map { "__map%d" } else { "__set%d" };
    let mut flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
    if interval {
        flags |= NFT_SET_INTERVAL;
    }
    if map {
        flags |= NFT_SET_MAP;
    }
    let spec = SetSpec {
        name: name.into(),
        flags,
        key_type: key.dtype,
        key_len,
        data: map.then_some((NFT_DATA_VERDICT, 0)),
        id,
        size: Some(u32::try_from(elems.len()).unwrap_or(u32::MAX)),
        userdata: ud,
        ..Default::default()
    };
    ctx.sets.push(Pending { spec, elems });
    (name.to_string(), id)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Byte order turned for an interval lookup of host-order numbers.
fn hton(lds: &[Loaded], out: &mut Vec<Expr<'static>>) {
    if let [ld] = lds
        && swaps(ld)
    {
        out.push(Expr::Byteorder(Byteorder {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            op: NFT_BYTEORDER_HTON,
            len: ld.len,
            size: ld.len,
        }));
    }
}

/// A match whose right side is an anonymous set, or whose left side is a
/// concatenation.
pub(crate) fn lookup(
    lj: &Value,
    op: &str,
    right: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let inv = match op {
        "==" | "in" => false,
        "!=" => true,
        _ => return Err(format!("unsupported op \"{op}\" on a set")),
    };
    let items = right
        .get("set")
        .and_then(Value::as_array)
        .ok_or(format!("unsupported match right side {right}"))?;
    let (lds, key) = load_key(lj, fam, ctx, out)?;
    let key_len: u32 = if lds.len() == 1 {
        lds[0].len
    } else {
        lds.iter().map(|l| l.len.next_multiple_of(4)).sum()
    };
    let interval = items.iter().any(is_interval);
    if interval && lds.len() > 1 {
        return Err("concatenated ranges are not supported".into());
    }
    let elems = if interval {
        hton(&lds, out);
        let ranges = items
            .iter()
            .map(|v| elem_key(&lds, v, true).map(|(a, b)| (a, b, None)))
            .collect::<Result<Vec<_>, _>>()?;
        interval_elems(ranges, true)
    } else {
        let mut ks = items
            .iter()
            .map(|v| elem_key(&lds, v, false).map(|k| k.0))
            .collect::<Result<Vec<_>, _>>()?;
        ks.dedup();
        ks.into_iter().map(|k| elem(k, 0, None)).collect()
    };
    let (name, id) = pending(ctx, &key, key_len, interval, false, elems);
    out.push(Expr::Lookup(Lookup {
        set: leak(name),
        sreg: NFT_REG_1,
        dreg: None,
        set_id: Some(id),
        flags: inv.then_some(1),
    }));
    Ok(())
}

/// A verdict as nft's JSON writes it, to element data.
fn verdict(v: &Value) -> Result<ElemData, String> {
    let o = v
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or(format!("bad verdict {v}"))?;
    let (k, body) = o.iter().next().ok_or(format!("bad verdict {v}"))?;
    let code = match k.as_str() {
        "accept" => VerdictCode::ACCEPT,
        "drop" => VerdictCode::DROP,
        "continue" => VerdictCode::CONTINUE,
        "return" => VerdictCode::RETURN,
        "jump" => VerdictCode::JUMP,
        "goto" => VerdictCode::GOTO,
        _ => return Err(format!("unsupported verdict {v}")),
    };
    let chain = match code {
        VerdictCode::JUMP | VerdictCode::GOTO => Some(
            body.get("target")
                .and_then(Value::as_str)
                .ok_or(format!("bad verdict {v}"))?
                .to_string(),
        ),
        _ => None,
    };
    Ok(ElemData::Verdict(code, chain))
}

/// A verdict element's data as nft's JSON writes it.
pub(crate) fn verdict_json(d: &ElemData) -> Option<Value> {
    let ElemData::Verdict(code, chain) = d else {
        return None;
    };
    Some(match (*code, chain) {
        (VerdictCode::ACCEPT, None) => json!({"accept": null}),
        (VerdictCode::DROP, None) => json!({"drop": null}),
        (VerdictCode::CONTINUE, None) => json!({"continue": null}),
        (VerdictCode::RETURN, None) => json!({"return": null}),
        (VerdictCode::JUMP, Some(t)) => json!({"jump": {"target": t}}),
        (VerdictCode::GOTO, Some(t)) => json!({"goto": {"target": t}}),
        _ => return None,
    })
}

/// A `vmap` statement with an anonymous map: `{"key": …, "data": {"set":
/// [[key, verdict], …]}}`.
pub(crate) fn vmap(
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let lj = body.get("key").ok_or("vmap: missing key")?;
    let items = body
        .get("data")
        .and_then(|d| d.get("set"))
        .and_then(Value::as_array)
        .ok_or("vmap: only anonymous maps are supported")?;
    let (lds, key) = load_key(lj, fam, ctx, out)?;
    let key_len: u32 = lds.iter().map(|l| l.len.next_multiple_of(4)).sum::<u32>();
    let key_len = if lds.len() == 1 { lds[0].len } else { key_len };
    let pairs = items
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([k, v]) => Ok((k, verdict(v)?)),
            _ => Err(format!("vmap: bad element {p}")),
        })
        .collect::<Result<Vec<_>, String>>()?;
    let interval = pairs.iter().any(|(k, _)| is_interval(k));
    if interval && lds.len() > 1 {
        return Err("concatenated ranges are not supported".into());
    }
    let elems = if interval {
        hton(&lds, out);
        let ranges = pairs
            .into_iter()
            .map(|(k, d)| elem_key(&lds, k, true).map(|(a, b)| (a, b, Some(d))))
            .collect::<Result<Vec<_>, _>>()?;
        interval_elems(ranges, false)
    } else {
        pairs
            .into_iter()
            .map(|(k, d)| elem_key(&lds, k, false).map(|k| elem(k.0, 0, Some(d))))
            .collect::<Result<Vec<_>, _>>()?
    };
    let (name, id) = pending(ctx, &key, key_len, interval, true, elems);
    out.push(Expr::Lookup(Lookup {
        set: leak(name),
        sreg: NFT_REG_1,
        dreg: Some(NFT_REG_VERDICT),
        set_id: Some(id),
        flags: None,
    }));
    Ok(())
}

/// How one field of a listed key renders: its bytes to JSON, and whether
/// it is an address (a range of one is a prefix), and its length.
pub(crate) struct Render<'a> {
    pub(crate) value: &'a dyn Fn(&[u8]) -> Option<Value>,
    pub(crate) addr: bool,
    pub(crate) len: usize,
}

fn render_key(fields: &[Render<'_>], b: &[u8]) -> Option<Value> {
    if let [f] = fields {
        return (f.value)(b.get(..f.len)?);
    }
    let mut at = 0;
    let mut parts = Vec::new();
    for f in fields {
        parts.push((f.value)(b.get(at..at + f.len)?)?);
        at += f.len.next_multiple_of(4);
    }
    Some(json!({ "concat": parts }))
}

/// An anonymous set's (or map's) elements as nft lists them: sorted by
/// value; an interval set's start and end elements as values, prefixes
/// (addresses) or ranges; a map's as `[key, data]`.
pub(crate) fn elements(set: &Set, elems: &[SetElem], fields: &[Render<'_>]) -> Option<Vec<Value>> {
    let data = |e: &SetElem| -> Option<Option<Value>> {
        if set.flags & NFT_SET_MAP == 0 {
            return Some(None);
        }
        e.data.as_ref().and_then(verdict_json).map(Some)
    };
    let with = |k: Value, d: Option<Value>| match d {
        Some(d) => json!([k, d]),
        None => k,
    };
    // nft sorts by value: a host-order key (its userdata says) backwards.
    let host = fields.len() == 1
        && set.userdata.get(..3) == Some(&[keys::UD_KEYBYTEORDER, 4, keys::HOST as u8][..]);
    if set.flags & NFT_SET_INTERVAL == 0 {
        let mut sorted: Vec<&SetElem> = elems.iter().collect();
        sorted.sort_by_key(|e| {
            let mut k = e.key.clone();
            if host {
                k.reverse();
            }
            k
        });
        return sorted
            .into_iter()
            .map(|e| Some(with(render_key(fields, &e.key)?, data(e)?)))
            .collect();
    }
    let mut sorted: Vec<&SetElem> = elems.iter().collect();
    let end = |e: &SetElem| e.flags & NFT_SET_ELEM_INTERVAL_END != 0;
    sorted.sort_by(|a, b| (&a.key, !end(a)).cmp(&(&b.key, !end(b))));
    let mut out = Vec::new();
    for (k, e) in sorted.iter().enumerate() {
        if end(e) {
            continue;
        }
        let hi = match sorted.get(k + 1) {
            Some(n) => pred(&n.key),
            None => vec![0xff; e.key.len()],
        };
        let lo = &e.key;
        let v = if *lo == hi {
            render_key(fields, lo)?
        } else if let Some(len) = prefix_len(lo, &hi).filter(|_| fields.iter().all(|f| f.addr)) {
            json!({"prefix": {"addr": render_key(fields, lo)?, "len": len}})
        } else {
            json!({"range": [render_key(fields, lo)?, render_key(fields, &hi)?]})
        };
        out.push(with(v, data(e)?));
    }
    Some(out)
}
