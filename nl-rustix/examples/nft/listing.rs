//! The kernel's ruleset back into nft's JSON (`nft -j list ruleset`):
//! a metainfo object, then per table the table, its chains, its rules.
//!
//! Rules are translated in `rulelist.rs`. A rule or set this example cannot render is never a guess:
//! it is left out with a warning naming it, and the rest is listed.

use nl_rustix::nft::{Ruleset, family_name};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{Chain, HookNum, NF_DROP, NFT_SET_ANONYMOUS, Rule};
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
        for o in rs.objs.iter().map(|o| o.obj()) {
            if o.family == t.family && o.table == t.name.as_str() {
                keep(crate::objects::obj_json(&o), &mut out);
            }
        }
        for (set, elems) in &rs.sets {
            if set.family == t.family && set.table == t.name && set.flags & NFT_SET_ANONYMOUS == 0 {
                keep(crate::namedset::set_json(set, elems), &mut out);
            }
        }
        for f in rs.flowtables.iter().map(|f| f.flowtable()) {
            if f.family == t.family && f.table == t.name.as_str() {
                keep(crate::objects::flowtable_json(&f), &mut out);
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
