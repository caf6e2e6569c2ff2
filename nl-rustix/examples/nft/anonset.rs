//! Anonymous sets and maps, as nft 1.0.6 makes them for a rule: a
//! `{"set": [...]}` right side (a lookup), a concatenated left side
//! (`ip saddr . tcp dport`), and a `vmap` statement. Each becomes a
//! constant anonymous set added in the rule's transaction before it
//! (`__set%d`, `__map%d`, named by the kernel), with nft's key type,
//! byte order and `typeof` userdata, its elements as nft sends them
//! (intervals merged, start and end elements), and the `lookup` that
//! names it by its batch id. Listing renders the elements back.

use crate::fields::Ty;
use crate::keys::{self, Key};
use crate::matches::{self, Ctx, Left};
use crate::settype::{pred, prefix_len, succ};
use nl_rustix::nft::{ElemData, SetElem, SetSpec};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Bitwise, Byteorder, Expr, Lookup, NFT_BYTEORDER_HTON, NFT_DATA_VERDICT, NFT_REG_1,
    NFT_REG_VERDICT, NFT_SET_ANONYMOUS, NFT_SET_CONCAT, NFT_SET_CONSTANT, NFT_SET_ELEM_CATCHALL,
    NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_MAP, NFT_SET_TIMEOUT, Set, VerdictCode,
};
use serde_json::{Value, json};

/// A left side loaded into a register: its values' type, length and byte
/// order, and the mask and shift that select a field that is not whole
/// bytes.
pub(crate) struct Loaded {
    left: Left,
    ty: Ty,
    len: u32,
    host: bool,
    mask: Option<Vec<u8>>,
    shift: u32,
}

impl Loaded {
    /// A JSON value as the register holds it (shifted into place).
    fn value(&self, v: &Value) -> Result<Vec<u8>, String> {
        let b = self.ty.encode(v, self.len as usize, self.host)?;
        if self.shift == 0 {
            return Ok(b);
        }
        let n = b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)) << self.shift;
        Ok(n.to_be_bytes()[8 - self.len as usize..].to_vec())
    }
}

/// A set a rule needs, to add before it.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) spec: SetSpec,
    pub(crate) elems: Vec<SetElem>,
}

/// The key length of loaded left sides: one field's, or a concatenation's
/// fields each rounded up to 32 bits.
pub(crate) fn key_len(lds: &[Loaded]) -> u32 {
    match lds {
        [one] => one.len,
        _ => lds.iter().map(|l| l.len.next_multiple_of(4)).sum(),
    }
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
pub(crate) fn load_key(
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
    // nft describes a raw payload key by a `typeof` not modelled here
    // (without it nft 1.0.6 cannot even list the set).
    if lefts.iter().any(|l| {
        matches!(l, matches::Left::Field(f)
            if f.proto.is_empty() && matches!(f.loc, crate::fields::Loc::Payload(_)))
    }) {
        return Err("unsupported: a raw payload in a set's key".into());
    }
    let lefts = lefts
        .into_iter()
        .map(|l| matches::depend_left(l, fam, ctx, out))
        .collect::<Result<Vec<_>, _>>()?;
    let mut off = 0;
    let mut loaded = Vec::new();
    for l in lefts {
        let reg = reg_at(off);
        let (mask, shift) = matches::load_to(l, reg, out);
        let (ty, len, host) = l.ty();
        if let Some(m) = &mask {
            out.push(Expr::Bitwise(Bitwise {
                sreg: reg,
                dreg: reg,
                len,
                mask: matches::keep(m.clone()),
                xor: matches::keep(vec![0; len as usize]),
            }));
        }
        off += len.next_multiple_of(4);
        loaded.push(Loaded {
            left: l,
            ty,
            len,
            host,
            mask,
            shift,
        });
    }
    // In a concatenation nft keeps the `typeof` of a bit field that ends
    // on a byte (`vlan id`), not of a shifted one (`ip dscp`).
    let concat = loaded.len() > 1;
    let ks: Vec<Key> = loaded
        .iter()
        .map(|ld| keys::of(ld.left, ld.mask.is_some() && !(concat && ld.shift == 0)))
        .collect();
    let key = if ks.len() == 1 {
        ks.into_iter().next().ok_or("empty key")?
    } else {
        keys::concat(&ks)
    };
    Ok((loaded, key))
}

/// The fields of loaded left sides.
pub(crate) fn fields_of(lds: &[Loaded]) -> Vec<Field<'_>> {
    lds.iter()
        .map(|ld| Field {
            enc: Box::new(move |v| ld.value(v)),
            len: ld.len,
            swap: swaps(ld),
        })
        .collect()
}

/// Host-order numbers are compared by magnitude in an interval set: nft
/// turns them to network order first.
fn swaps(ld: &Loaded) -> bool {
    ld.host && ld.len > 1 && !matches!(ld.ty, Ty::Ifname)
}

/// The bytes of one JSON value.
pub(crate) type Enc<'a> = Box<dyn Fn(&Value) -> Result<Vec<u8>, String> + 'a>;

/// How one field of a key encodes: a JSON value to its bytes, its
/// length, and whether an interval set holds it turned to network order.
pub(crate) struct Field<'a> {
    pub(crate) enc: Enc<'a>,
    pub(crate) len: u32,
    pub(crate) swap: bool,
}

/// One element's key: a value, or a `[lo, hi]` range (a range, a prefix).
fn elem_key(lds: &[Field<'_>], v: &Value, swapped: bool) -> Result<(Vec<u8>, Vec<u8>), String> {
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
        if swapped && ld.swap {
            b.reverse();
        }
        b
    };
    if let Some(r) = v.get("range").and_then(Value::as_array) {
        let [a, b] = r.as_slice() else {
            return Err(format!("bad range {v}"));
        };
        return Ok((order((ld.enc)(a)?), order((ld.enc)(b)?)));
    }
    if let Some(p) = v.get("prefix") {
        let addr = (ld.enc)(p.get("addr").ok_or("prefix: missing addr")?)?;
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
    let k = order((ld.enc)(v)?);
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
    new_set: bool,
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
    if new_set && ranges.first().is_some_and(|r| r.0.iter().any(|&b| b != 0)) {
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
    lds: &[Loaded],
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
    let concat = if interval && lds.len() > 1 {
        flags |= NFT_SET_CONCAT;
        lds.iter().map(|l| l.len).collect()
    } else {
        Vec::new()
    };
    let spec = SetSpec {
        name: name.into(),
        flags,
        key_type: key.dtype,
        key_len,
        data: map.then_some((NFT_DATA_VERDICT, 0)),
        id,
        size: Some(u32::try_from(elems.len()).unwrap_or(u32::MAX)),
        concat,
        userdata: ud,
        ..Default::default()
    };
    ctx.sets.push(Pending { spec, elems });
    (name.to_string(), id)
}

pub(crate) fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Byte order turned for an interval lookup of host-order numbers (each
/// field of a concatenation in its own register).
pub(crate) fn hton(lds: &[Loaded], out: &mut Vec<Expr<'static>>) {
    let mut off = 0;
    for ld in lds {
        if swaps(ld) {
            let reg = reg_at(off);
            out.push(Expr::Byteorder(Byteorder {
                sreg: reg,
                dreg: reg,
                op: NFT_BYTEORDER_HTON,
                len: ld.len,
                size: ld.len,
            }));
        }
        off += ld.len.next_multiple_of(4);
    }
}

/// The elements of an anonymous set or map, and whether it holds
/// intervals. A concatenation with ranges has one element per range, its
/// last key in `key_end`.
pub(crate) fn build_elems(
    lds: &[Field<'_>],
    items: Vec<(&Value, Option<ElemData>)>,
    merge: bool,
    new_set: bool,
) -> Result<(Vec<SetElem>, bool), String> {
    // A catch-all element (`*`) has no key.
    let (all, items): (Vec<_>, Vec<_>) = items
        .into_iter()
        .partition(|(k, _)| k.as_str() == Some("*"));
    let catchall = all
        .into_iter()
        .map(|(_, d)| elem(Vec::new(), NFT_SET_ELEM_CATCHALL, d));
    let (mut elems, interval) = build_keyed(lds, items, merge, new_set)?;
    elems.extend(catchall);
    Ok((elems, interval))
}

fn build_keyed(
    lds: &[Field<'_>],
    items: Vec<(&Value, Option<ElemData>)>,
    merge: bool,
    new_set: bool,
) -> Result<(Vec<SetElem>, bool), String> {
    let interval = items.iter().any(|(k, _)| is_interval(k));
    if !interval {
        let mut elems = items
            .into_iter()
            .map(|(k, d)| elem_key(lds, k, false).map(|k| elem(k.0, 0, d)))
            .collect::<Result<Vec<_>, _>>()?;
        elems.dedup();
        return Ok((elems, false));
    }
    let ranges = items
        .into_iter()
        .map(|(k, d)| elem_key(lds, k, true).map(|(a, b)| (a, b, d)))
        .collect::<Result<Vec<_>, _>>()?;
    if lds.len() > 1 {
        let elems = ranges
            .into_iter()
            .map(|(lo, hi, d)| SetElem {
                key_end: Some(hi),
                ..elem(lo, 0, d)
            })
            .collect();
        return Ok((elems, true));
    }
    Ok((interval_elems(ranges, merge, new_set), true))
}

/// A match whose right side is an anonymous set, or whose left side is a
/// concatenation.
pub(crate) fn lookup(
    lj: &Value,
    op: &str,
    right: &Value,
    fam: NfProto,
    named_set: &dyn Fn(&str) -> Result<Option<u32>, String>,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let inv = match op {
        "==" | "in" => false,
        "!=" => true,
        _ => return Err(format!("unsupported op \"{op}\" on a set")),
    };
    if let Some(name) = right.as_str().and_then(|r| r.strip_prefix('@')) {
        let set_id = named_set(name)?;
        load_key(lj, fam, ctx, out)?;
        out.push(Expr::Lookup(Lookup {
            set: leak(name.to_string()),
            sreg: NFT_REG_1,
            dreg: None,
            set_id,
            flags: inv.then_some(1),
        }));
        return Ok(());
    }
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
    let items: Vec<(&Value, Option<ElemData>)> = items.iter().map(|v| (v, None)).collect();
    let (elems, interval) = build_elems(&fields_of(&lds), items, true, true)?;
    if interval {
        hton(&lds, out);
    }
    let (name, id) = pending(ctx, &key, &lds, key_len, interval, false, elems);
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
pub(crate) fn verdict(v: &Value) -> Result<ElemData, String> {
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
    named_set: &dyn Fn(&str) -> Result<Option<u32>, String>,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let lj = body.get("key").ok_or("vmap: missing key")?;
    if let Some(name) = body
        .get("data")
        .and_then(Value::as_str)
        .and_then(|d| d.strip_prefix('@'))
    {
        let set_id = named_set(name)?;
        load_key(lj, fam, ctx, out)?;
        out.push(Expr::Lookup(Lookup {
            set: leak(name.to_string()),
            sreg: NFT_REG_1,
            dreg: Some(NFT_REG_VERDICT),
            set_id,
            flags: None,
        }));
        return Ok(());
    }
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
    let pairs = pairs.into_iter().map(|(k, d)| (k, Some(d))).collect();
    let (elems, interval) = build_elems(&fields_of(&lds), pairs, false, true)?;
    if interval {
        hton(&lds, out);
    }
    let (name, id) = pending(ctx, &key, &lds, key_len, interval, true, elems);
    out.push(Expr::Lookup(Lookup {
        set: leak(name),
        sreg: NFT_REG_1,
        dreg: Some(NFT_REG_VERDICT),
        set_id: Some(id),
        flags: None,
    }));
    Ok(())
}

/// One field's bytes as JSON.
pub(crate) type RenderFn<'a> = dyn Fn(&[u8]) -> Option<Value> + 'a;

/// How one field of a listed key renders: its bytes to JSON, and whether
/// it is an address (a range of one is a prefix), and its length.
pub(crate) struct Render<'a> {
    pub(crate) value: &'a dyn Fn(&[u8]) -> Option<Value>,
    /// How it renders as a range's bound, when not as `value` (nft
    /// prints a symbolic type's bounds as numbers: `{"range": [33, 55]}`
    /// of an inet_proto).
    pub(crate) bound: Option<&'a RenderFn<'a>>,
    pub(crate) addr: bool,
    pub(crate) len: usize,
}

/// A range's bound: a field's `bound` rendering where it has one.
fn render_bound(fields: &[Render<'_>], b: &[u8]) -> Option<Value> {
    if let [f] = fields
        && let Some(bound) = f.bound
    {
        return bound(b.get(..f.len)?);
    }
    render_key(fields, b)
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
pub(crate) fn elements(
    set: &Set,
    elems: &[SetElem],
    fields: &[Render<'_>],
    render_data: &dyn Fn(&ElemData) -> Option<Value>,
) -> Option<Vec<Value>> {
    // The catch-all element (`*`) comes last.
    let (all, keyed): (Vec<SetElem>, Vec<SetElem>) = elems
        .iter()
        .cloned()
        .partition(|e| e.flags & NFT_SET_ELEM_CATCHALL != 0);
    let mut out = keyed_elements(set, &keyed, fields, render_data)?;
    for e in &all {
        let d = e.data.as_ref().and_then(render_data);
        out.push(match d {
            Some(d) => json!(["*", d]),
            None => json!("*"),
        });
    }
    Some(out)
}

fn keyed_elements(
    set: &Set,
    elems: &[SetElem],
    fields: &[Render<'_>],
    render_data: &dyn Fn(&ElemData) -> Option<Value>,
) -> Option<Vec<Value>> {
    fn data<'e>(
        set: &Set,
        e: &'e SetElem,
        render_data: &dyn Fn(&ElemData) -> Option<Value>,
    ) -> Option<(Option<Value>, &'e SetElem)> {
        if set.flags & NFT_SET_MAP == 0 {
            return Some((None, e));
        }
        e.data.as_ref().and_then(render_data).map(|d| (Some(d), e))
    }
    let data = |e| data(set, e, render_data);
    let with = |k: Value, (d, e): (Option<Value>, &SetElem)| {
        // A set with timeouts lists each element with its own.
        let k = if set.flags & NFT_SET_TIMEOUT != 0 {
            let mut o = json!({ "val": k });
            if let Some(t) = e.timeout.filter(|t| Some(*t) != set.timeout) {
                o["timeout"] = json!(t / 1000);
            }
            if let Some(x) = e.expiration {
                o["expires"] = json!(x / 1000);
            }
            json!({ "elem": o })
        } else {
            k
        };
        match d {
            Some(d) => json!([k, d]),
            None => k,
        }
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
    if let Some(concat) = concat_ranges(set, elems, fields, render_data) {
        return concat;
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
            json!({"range": [render_bound(fields, lo)?, render_bound(fields, &hi)?]})
        };
        out.push(with(v, data(e)?));
    }
    Some(out)
}

/// A concatenated interval set's elements (each a range from its key to
/// its `key_end`): per field a value, a prefix (addresses) or a range.
fn concat_ranges(
    set: &Set,
    elems: &[SetElem],
    fields: &[Render<'_>],
    render_data: &dyn Fn(&ElemData) -> Option<Value>,
) -> Option<Option<Vec<Value>>> {
    if set.flags & NFT_SET_CONCAT == 0 {
        return None;
    }
    let one = |e: &SetElem| -> Option<Value> {
        let hi = e.key_end.as_ref()?;
        let mut at = 0;
        let mut parts = Vec::new();
        for f in fields {
            let (a, b) = (e.key.get(at..at + f.len)?, hi.get(at..at + f.len)?);
            parts.push(if a == b {
                (f.value)(a)?
            } else if let Some(len) = prefix_len(a, b).filter(|_| f.addr) {
                json!({"prefix": {"addr": (f.value)(a)?, "len": len}})
            } else {
                json!({"range": [(f.value)(a)?, (f.value)(b)?]})
            });
            at += f.len.next_multiple_of(4);
        }
        let k = json!({ "concat": parts });
        if set.flags & NFT_SET_MAP == 0 {
            return Some(k);
        }
        Some(json!([k, e.data.as_ref().and_then(render_data)?]))
    };
    Some(elems.iter().map(one).collect())
}
