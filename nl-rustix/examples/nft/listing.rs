//! The kernel's ruleset back into nft's JSON (`nft -j list ruleset`):
//! a metainfo object, then per table the table, its chains, its rules.
//!
//! Rules are translated in `rulelist.rs`. A rule or set this example cannot render is never a guess:
//! it is left out with a warning naming it, and the rest is listed.

use crate::settype::{KeyType, pred, prefix_len};
use nl_rustix::nft::{Ruleset, SetElem, family_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Chain, HookNum, NF_DROP, NFT_SET_ANONYMOUS, NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL,
    NFT_SET_TIMEOUT, Rule, Set,
};
use serde_json::{Value, json};

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
                    keep(crate::rulelist::rule(&r, rs), &mut out);
                }
            }
        }
    }
    (json!({ "nftables": out }), warnings)
}

fn hook_name(fam: NfProto, h: HookNum) -> String {
    match (fam, h.0) {
        (NfProto::ARP, 0) => return "input".into(),
        (NfProto::ARP, 1) => return "output".into(),
        (NfProto::ARP, 2) => return "forward".into(),
        (NfProto::NETDEV, 0) => return "ingress".into(),
        (NfProto::NETDEV, 1) => return "egress".into(),
        _ => {}
    }
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
    if let (Some(h), Some(ty)) = (&c.hook, &c.chain_type) {
        let m = v.as_object_mut().expect("an object");
        m.insert("type".into(), json!(ty.as_str()));
        m.insert("hook".into(), json!(hook_name(c.family, h.num)));
        m.insert("prio".into(), json!(h.priority));
        let policy = match c.policy {
            Some(NF_DROP) => "drop",
            _ => "accept",
        };
        m.insert("policy".into(), json!(policy));
    }
    json!({ "chain": v })
}

pub(crate) fn unsupported(r: &Rule<'_>, what: &str) -> String {
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
pub(crate) fn elem_values(set: &Set, elems: &[SetElem]) -> Result<Vec<Value>, String> {
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
