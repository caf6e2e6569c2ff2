//! Statements that act on the packet, both ways, as nft 1.0.6 compiles
//! and lists them: `snat`/`dnat` (addresses, ranges, prefixes, ports,
//! port ranges, flags, an inet table's family), `tproxy`, `synproxy`,
//! `dup`, `fwd`, `notrack`, `ct count`, and the `jhash`/`symhash` value
//! of a mangle. Constants go into registers by `immediate`, from register
//! 1 up, in the order nft fills them.

use crate::fields::Ty;
use crate::matches::{self, Ctx, keep};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Connlimit, Data, Dup, Expr, Fwd, Hash, Immediate, NFT_CONNLIMIT_F_INV, NFT_HASH_JENKINS,
    NFT_HASH_SYM, Nat, NatType, Synproxy, Tproxy,
};
use serde_json::{Map, Value, json};
use std::net::IpAddr;

/// Compile statement `k`; `Ok(false)` when it is not one of this
/// module's.
pub(crate) fn compile(
    k: &str,
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<bool, String> {
    match k {
        "snat" | "dnat" => nat(k, body, fam, out)?,
        "tproxy" => tproxy(body, fam, out)?,
        "synproxy" => out.push(Expr::Synproxy(synproxy(body)?)),
        "dup" => dup(body, fam, out)?,
        "fwd" => fwd(body, out)?,
        "notrack" => out.push(Expr::Notrack),
        "ct count" => {
            let count = body
                .get("val")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or("ct count: missing val")?;
            let inv = body.get("inv").and_then(Value::as_bool).unwrap_or(false);
            out.push(Expr::Connlimit(Connlimit {
                count,
                flags: if inv { NFT_CONNLIMIT_F_INV } else { 0 },
            }));
        }
        _ => {
            let _ = ctx;
            return Ok(false);
        }
    }
    Ok(true)
}

fn imm(dreg: u32, v: Vec<u8>) -> Expr<'static> {
    Expr::Immediate(Immediate {
        dreg,
        data: Data::Value(keep(v)),
    })
}

fn ip_bytes(v: &Value) -> Result<(u32, Vec<u8>), String> {
    let s = v.as_str().ok_or(format!("bad address {v}"))?;
    let ip: IpAddr = s.parse().map_err(|_| format!("bad address \"{s}\""))?;
    Ok(match ip {
        IpAddr::V4(a) => (2, a.octets().to_vec()),
        IpAddr::V6(a) => (10, a.octets().to_vec()),
    })
}

fn port_bytes(v: &Value) -> Result<Vec<u8>, String> {
    let n = v
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or(format!("bad port {v}"))?;
    Ok(n.to_be_bytes().to_vec())
}

fn nfproto_of(name: &str) -> Result<u32, String> {
    match name {
        "ip" => Ok(2),
        "ip6" => Ok(10),
        f => Err(format!("unknown family \"{f}\"")),
    }
}

fn table_nfproto(fam: NfProto) -> Option<u32> {
    match fam {
        NfProto::IPV4 => Some(2),
        NfProto::IPV6 => Some(10),
        _ => None,
    }
}

/// An address's family (`NFPROTO_*`), lowest and (a range, a prefix)
/// highest address.
type AddrRange = (u32, Vec<u8>, Option<Vec<u8>>);

/// An address, a range or a prefix: the lowest and (if any) highest.
fn addr_range(v: &Value) -> Result<AddrRange, String> {
    if let Some([lo, hi]) = v.get("range").and_then(Value::as_array).map(Vec::as_slice) {
        let (f, lo) = ip_bytes(lo)?;
        let (_, hi) = ip_bytes(hi)?;
        return Ok((f, lo, Some(hi)));
    }
    if let Some(p) = v.get("prefix") {
        let (f, a) = ip_bytes(p.get("addr").ok_or("prefix: missing addr")?)?;
        let len = p
            .get("len")
            .and_then(Value::as_u64)
            .and_then(|l| usize::try_from(l).ok())
            .filter(|&l| l <= a.len() * 8)
            .ok_or("prefix: bad len")?;
        let (mut lo, mut hi) = (a.clone(), a);
        for i in 0..lo.len() {
            let have = len.saturating_sub(i * 8).min(8);
            let m = if have == 0 { 0 } else { 0xffu8 << (8 - have) };
            lo[i] &= m;
            hi[i] |= !m;
        }
        return Ok((f, lo, Some(hi)));
    }
    let (f, a) = ip_bytes(v)?;
    Ok((f, a, None))
}

/// nft's nat flag names and `NF_NAT_RANGE_*` bits, in nft's order.
const NAT_FLAGS: &[(&str, u32)] = &[("random", 0x4), ("fully-random", 0x10), ("persistent", 0x8)];
/// `NF_NAT_RANGE_PROTO_SPECIFIED`.
const NAT_PROTO: u32 = 0x2;

fn flag_bits(v: Option<&Value>, names: &[(&str, u32)], what: &str) -> Result<u32, String> {
    let one = |f: &Value| -> Result<u32, String> {
        let s = f.as_str().ok_or(format!("{what}: bad flag"))?;
        names
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, b)| *b)
            .ok_or(format!("{what}: unknown flag \"{s}\""))
    };
    match v {
        None => Ok(0),
        Some(Value::Array(a)) => a.iter().try_fold(0, |acc, f| one(f).map(|b| acc | b)),
        Some(f) => one(f),
    }
}

fn flag_names(f: u32, names: &[(&'static str, u32)]) -> Option<Value> {
    let n: Vec<&str> = names
        .iter()
        .filter(|(_, b)| f & b != 0)
        .map(|(n, _)| *n)
        .collect();
    match n.len() {
        0 => None,
        1 => Some(json!(n[0])),
        _ => Some(json!(n)),
    }
}

/// `snat`/`dnat` `{"family"?, "addr"?, "port"?, "flags"?}`.
fn nat(k: &str, body: &Value, fam: NfProto, out: &mut Vec<Expr<'static>>) -> Result<(), String> {
    let o = body.as_object().ok_or("nat: expected an object")?;
    if let Some(x) = o
        .keys()
        .find(|x| !matches!(x.as_str(), "family" | "addr" | "port" | "flags"))
    {
        return Err(format!("{k}: unsupported property \"{x}\""));
    }
    let mut family = match o.get("family").and_then(Value::as_str) {
        Some(f) => Some(nfproto_of(f)?),
        None => table_nfproto(fam),
    };
    let mut nat = Nat {
        kind: if k == "dnat" {
            NatType::DNAT
        } else {
            NatType::SNAT
        },
        family: 0,
        reg_addr_min: None,
        reg_addr_max: None,
        reg_proto_min: None,
        reg_proto_max: None,
        flags: None,
    };
    let mut reg = 1;
    if let Some(a) = o.get("addr") {
        let (f, lo, hi) = addr_range(a)?;
        family.get_or_insert(f);
        out.push(imm(reg, lo));
        nat.reg_addr_min = Some(reg);
        reg += 1;
        if let Some(hi) = hi {
            out.push(imm(reg, hi));
            nat.reg_addr_max = Some(reg);
            reg += 1;
        }
    }
    let mut flags = flag_bits(o.get("flags"), NAT_FLAGS, k)?;
    if let Some(p) = o.get("port") {
        let (lo, hi) = match p.get("range").and_then(Value::as_array).map(Vec::as_slice) {
            Some([a, b]) => (port_bytes(a)?, Some(port_bytes(b)?)),
            _ => (port_bytes(p)?, None),
        };
        out.push(imm(reg, lo));
        nat.reg_proto_min = Some(reg);
        if let Some(hi) = hi {
            out.push(imm(reg + 1, hi));
            nat.reg_proto_max = Some(reg + 1);
        }
        flags |= NAT_PROTO;
    }
    // An inet table's rule with only a port: NFPROTO_INET.
    nat.family = family.unwrap_or(1);
    nat.flags = (flags != 0).then_some(flags);
    out.push(Expr::Nat(nat));
    Ok(())
}

/// The constant a register holds, by register number.
pub(crate) type RegValue<'a> = &'a dyn Fn(Option<u32>) -> Option<Vec<u8>>;

fn addr_json(family: u32, b: &[u8]) -> Option<Value> {
    Some(match (family, b.len()) {
        (2, 4) => json!(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
        (10, 16) => json!(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string()),
        _ => return None,
    })
}

fn port_json(b: &[u8]) -> Option<Value> {
    Some(json!(u16::from_be_bytes(b.try_into().ok()?)))
}

/// `snat`/`dnat` as nft lists it.
pub(crate) fn list_nat(n: &Nat, fam: NfProto, reg: RegValue<'_>) -> Option<Value> {
    let kind = match n.kind {
        NatType::SNAT => "snat",
        NatType::DNAT => "dnat",
        _ => return None,
    };
    let mut j = Map::new();
    if table_nfproto(fam).is_none() && matches!(n.family, 2 | 10) {
        j.insert(
            "family".into(),
            json!(if n.family == 2 { "ip" } else { "ip6" }),
        );
    }
    if let Some(lo) = reg(n.reg_addr_min) {
        let lo_j = addr_json(n.family, &lo)?;
        let v = match n.reg_addr_max.filter(|m| Some(*m) != n.reg_addr_min) {
            None => lo_j,
            Some(m) => {
                let hi = reg(Some(m))?;
                match crate::settype::prefix_len(&lo, &hi) {
                    Some(len) => json!({"prefix": {"addr": lo_j, "len": len}}),
                    None => json!({"range": [lo_j, addr_json(n.family, &hi)?]}),
                }
            }
        };
        j.insert("addr".into(), v);
    }
    if let Some(lo) = reg(n.reg_proto_min) {
        let v = match n.reg_proto_max.filter(|m| Some(*m) != n.reg_proto_min) {
            None => port_json(&lo)?,
            Some(m) => json!({"range": [port_json(&lo)?, port_json(&reg(Some(m))?)?]}),
        };
        j.insert("port".into(), v);
    }
    let f = n.flags.unwrap_or(0);
    // NF_NAT_RANGE_MAP_IPS 1 and PROTO_SPECIFIED 2 are implied.
    if f & !(0x3 | 0x4 | 0x8 | 0x10) != 0 {
        return None;
    }
    if let Some(fl) = flag_names(f, NAT_FLAGS) {
        j.insert("flags".into(), fl);
    }
    Some(json!({ kind: Value::Object(j) }))
}

/// `tproxy` `{"family"?, "addr"?, "port"?}`.
fn tproxy(body: &Value, fam: NfProto, out: &mut Vec<Expr<'static>>) -> Result<(), String> {
    let mut t = Tproxy {
        family: match body.get("family").and_then(Value::as_str) {
            Some(f) => nfproto_of(f)?,
            None => table_nfproto(fam).unwrap_or(0),
        },
        reg_addr: None,
        reg_port: None,
    };
    let mut reg = 1;
    if let Some(a) = body.get("addr") {
        let (f, b) = ip_bytes(a)?;
        if t.family == 0 {
            t.family = f;
        }
        out.push(imm(reg, b));
        t.reg_addr = Some(reg);
        reg += 1;
    }
    if let Some(p) = body.get("port") {
        out.push(imm(reg, port_bytes(p)?));
        t.reg_port = Some(reg);
    }
    out.push(Expr::Tproxy(t));
    Ok(())
}

/// `tproxy` as nft lists it.
pub(crate) fn list_tproxy(t: &Tproxy, fam: NfProto, reg: RegValue<'_>) -> Option<Value> {
    let mut j = Map::new();
    if table_nfproto(fam).is_none() && matches!(t.family, 2 | 10) {
        j.insert(
            "family".into(),
            json!(if t.family == 2 { "ip" } else { "ip6" }),
        );
    }
    if t.reg_addr.is_some() {
        j.insert("addr".into(), addr_json(t.family, &reg(t.reg_addr)?)?);
    }
    if t.reg_port.is_some() {
        j.insert("port".into(), port_json(&reg(t.reg_port)?)?);
    }
    Some(json!({ "tproxy": j }))
}

/// `NF_SYNPROXY_OPT_*` named by nft (mss and wscale go with their values).
const SYNPROXY_FLAGS: &[(&str, u32)] = &[("timestamp", 0x8), ("sack-perm", 0x4)];

fn synproxy(body: &Value) -> Result<Synproxy, String> {
    let n = |k: &str| body.get(k).and_then(Value::as_u64);
    let mss = n("mss")
        .map(|m| u16::try_from(m).map_err(|_| "synproxy: bad mss"))
        .transpose()?;
    let wscale = n("wscale")
        .map(|m| u8::try_from(m).map_err(|_| "synproxy: bad wscale"))
        .transpose()?;
    let mut flags = flag_bits(body.get("flags"), SYNPROXY_FLAGS, "synproxy")?;
    if mss.is_some() {
        flags |= 0x1;
    }
    if wscale.is_some() {
        flags |= 0x2;
    }
    Ok(Synproxy { mss, wscale, flags })
}

/// `synproxy` as nft lists it.
pub(crate) fn list_synproxy(s: &Synproxy) -> Option<Value> {
    let mut j = Map::new();
    if let Some(m) = s.mss.filter(|_| s.flags & 1 != 0) {
        j.insert("mss".into(), json!(m));
    }
    if let Some(w) = s.wscale.filter(|_| s.flags & 2 != 0) {
        j.insert("wscale".into(), json!(w));
    }
    // nft lists flags as a list, timestamp first.
    let names: Vec<&str> = SYNPROXY_FLAGS
        .iter()
        .filter(|(_, b)| s.flags & b != 0)
        .map(|(n, _)| *n)
        .collect();
    if !names.is_empty() {
        j.insert("flags".into(), json!(names));
    }
    Some(if j.is_empty() {
        json!({"synproxy": null})
    } else {
        json!({ "synproxy": j })
    })
}

fn dev_bytes(v: &Value) -> Result<Vec<u8>, String> {
    Ty::Ifindex.encode(v, 4, true)
}

/// `dup` `{"addr", "dev"?}`; in a netdev table `{"addr": DEVICE}`.
fn dup(body: &Value, fam: NfProto, out: &mut Vec<Expr<'static>>) -> Result<(), String> {
    let addr = body.get("addr").ok_or("dup: missing addr")?;
    if fam == NfProto::NETDEV && body.get("dev").is_none() {
        out.push(imm(1, dev_bytes(addr)?));
        out.push(Expr::Dup(Dup {
            sreg_addr: None,
            sreg_dev: Some(1),
        }));
        return Ok(());
    }
    let (_, a) = ip_bytes(addr)?;
    out.push(imm(1, a));
    let mut d = Dup {
        sreg_addr: Some(1),
        sreg_dev: None,
    };
    if let Some(dev) = body.get("dev") {
        out.push(imm(2, dev_bytes(dev)?));
        d.sreg_dev = Some(2);
    }
    out.push(Expr::Dup(d));
    Ok(())
}

/// `dup` as nft lists it.
pub(crate) fn list_dup(d: &Dup, reg: RegValue<'_>) -> Option<Value> {
    let mut j = Map::new();
    if d.sreg_addr.is_none() {
        let dev = Ty::Ifindex.render(&reg(d.sreg_dev)?, true)?;
        return Some(json!({"dup": {"addr": dev}}));
    }
    let a = reg(d.sreg_addr)?;
    j.insert(
        "addr".into(),
        addr_json(if a.len() == 4 { 2 } else { 10 }, &a)?,
    );
    if d.sreg_dev.is_some() {
        j.insert("dev".into(), Ty::Ifindex.render(&reg(d.sreg_dev)?, true)?);
    }
    Some(json!({ "dup": j }))
}

/// `fwd` `{"dev", "family"?, "addr"?}`.
fn fwd(body: &Value, out: &mut Vec<Expr<'static>>) -> Result<(), String> {
    out.push(imm(
        1,
        dev_bytes(body.get("dev").ok_or("fwd: missing dev")?)?,
    ));
    let mut f = Fwd {
        sreg_dev: 1,
        sreg_addr: None,
        nfproto: None,
    };
    if let Some(a) = body.get("addr") {
        let (fam, b) = ip_bytes(a)?;
        out.push(imm(2, b));
        f.sreg_addr = Some(2);
        f.nfproto = Some(fam);
    }
    out.push(Expr::Fwd(f));
    Ok(())
}

/// `fwd` as nft lists it.
pub(crate) fn list_fwd(f: &Fwd, reg: RegValue<'_>) -> Option<Value> {
    let mut j = Map::new();
    j.insert(
        "dev".into(),
        Ty::Ifindex.render(&reg(Some(f.sreg_dev))?, true)?,
    );
    if f.sreg_addr.is_some() {
        let fam = f.nfproto?;
        j.insert("family".into(), json!(if fam == 2 { "ip" } else { "ip6" }));
        j.insert("addr".into(), addr_json(fam, &reg(f.sreg_addr)?)?);
    }
    Some(json!({ "fwd": j }))
}

/// `ct count` as nft lists it.
pub(crate) fn list_connlimit(c: &Connlimit) -> Value {
    if c.flags & NFT_CONNLIMIT_F_INV != 0 {
        json!({"ct count": {"val": c.count, "inv": true}})
    } else {
        json!({"ct count": {"val": c.count}})
    }
}

/// A `jhash`/`symhash` value into register 1: `{"mod", "seed"?,
/// "offset"?, "expr"?}`, jhash's keys loaded from register 2 on.
pub(crate) fn hash(
    k: &str,
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let n = |key: &str| {
        body.get(key)
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
    };
    let mut h = Hash {
        kind: NFT_HASH_SYM,
        sreg: None,
        dreg: 1,
        len: None,
        modulus: n("mod").ok_or(format!("{k}: missing mod"))?,
        seed: n("seed"),
        offset: n("offset"),
    };
    if k == "jhash" {
        let e = body.get("expr").ok_or("jhash: missing expr")?;
        let parts: Vec<&Value> = match e.get("concat").and_then(Value::as_array) {
            Some(a) => a.iter().collect(),
            None => vec![e],
        };
        let lefts = parts
            .iter()
            .map(|p| matches::left(p))
            .collect::<Result<Vec<_>, _>>()?;
        let lefts = lefts
            .into_iter()
            .map(|l| matches::depend_left(l, fam, ctx, out))
            .collect::<Result<Vec<_>, _>>()?;
        // Register 2 is 32-bit register 12 (NFT_REG32_04).
        let mut off = 0;
        for l in &lefts {
            let reg = if off == 0 { 2 } else { 12 + off / 4 };
            let (mask, _) = matches::load_to(*l, reg, out);
            if mask.is_some() {
                return Err("jhash: a field that is not whole bytes".into());
            }
            off += l.ty().1.next_multiple_of(4);
        }
        h.kind = NFT_HASH_JENKINS;
        h.sreg = Some(2);
        h.len = Some(if lefts.len() == 1 {
            lefts[0].ty().1
        } else {
            off
        });
    }
    out.push(Expr::Hash(h));
    Ok(())
}

/// A hash as nft lists it (a mangle's value), given its keys' JSON.
pub(crate) fn list_hash(h: &Hash, expr: Option<Value>) -> Option<Value> {
    let mut j = Map::new();
    j.insert("mod".into(), json!(h.modulus));
    if let Some(s) = h.seed {
        j.insert("seed".into(), json!(s));
    }
    if let Some(o) = h.offset {
        j.insert("offset".into(), json!(o));
    }
    Some(match h.kind {
        NFT_HASH_SYM => json!({ "symhash": j }),
        NFT_HASH_JENKINS => {
            j.insert("expr".into(), expr?);
            json!({ "jhash": j })
        }
        _ => return None,
    })
}
