//! `ip rule` verbs against the kernel: add, delete, show in IPv4 and
//! IPv6, cross-checked with `ip -j rule`.

use crate::addrs::{expect_err, jn, js, net};
use nl_proto::route::AddrFamily;
use nl_proto::route::rule::{Rule, RuleAction, RuleFlags};
use nl_rustix::{Error, RuleSpec};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "rules::add_show_delete_v4",
            needs_kinds: &[],
            needs_ip: true,
            run: v4,
        },
        Scenario {
            name: "rules::add_show_delete_v6",
            needs_kinds: &[],
            needs_ip: true,
            run: v6,
        },
        Scenario {
            name: "rules::errors",
            needs_kinds: &[],
            needs_ip: true,
            run: errors,
        },
    ]
}

fn by_pref(rules: &[Rule], p: u32) -> Result<&Rule, Failed> {
    rules
        .iter()
        .find(|r| r.pref() == p)
        .ok_or_else(|| format!("no rule {p} in {rules:?}"))
}

fn json_pref(j: &Value, p: u64) -> Result<&Value, Failed> {
    j.as_array()
        .and_then(|a| a.iter().find(|r| jn(r, "priority") == Some(p)))
        .ok_or_else(|| format!("ip -j rule: no {p} in {j}"))
}

fn v4(ctx: &mut Ctx) -> Result<(), Failed> {
    let c = &mut ctx.conn;
    t!(c.add_rule(
        &RuleSpec::new()
            .from(net("10.0.0.0/24"))
            .table(100)
            .priority(1000)
    ));
    let mut inv = RuleSpec::new()
        .to(net("10.1.0.0/16"))
        .fwmark(0x10, Some(0xff))
        .iif("v0")
        .oif("v1")
        .priority(1001)
        .table(1000);
    inv.invert = true;
    t!(c.add_rule(&inv));
    t!(c.add_rule(
        &RuleSpec::new()
            .action(RuleAction::BLACKHOLE)
            .priority(1002)
            .table(0)
    ));
    t!(c.add_rule(&RuleSpec::new().fwmark(7, None).priority(1003).table(200)));

    let rules = t!(ctx.conn.rules(None));
    ensure_eq!(rules.len(), 7, "3 defaults + 4: {rules:?}");
    let r = by_pref(&rules, 1000)?;
    ensure_eq!(r.src, Some(net("10.0.0.0/24")));
    ensure_eq!(r.table, 100);
    ensure_eq!(r.action, RuleAction::TO_TBL);
    let r = by_pref(&rules, 1001)?;
    ensure!(r.flags.contains(RuleFlags::INVERT), "{r:?}");
    ensure_eq!(r.dst, Some(net("10.1.0.0/16")));
    ensure_eq!(r.fwmark, Some(0x10));
    ensure_eq!(r.fwmask, Some(0xff));
    ensure_eq!(r.iif.as_ref().map(|n| n.as_str()), Some("v0"));
    ensure_eq!(r.oif.as_ref().map(|n| n.as_str()), Some("v1"));
    ensure_eq!(r.table, 1000);
    ensure_eq!(by_pref(&rules, 1002)?.action, RuleAction::BLACKHOLE);
    ensure_eq!(by_pref(&rules, 1003)?.fwmark, Some(7));

    let j = ctx.ip_json(&["rule"])?;
    let e = json_pref(&j, 1000)?;
    ensure_eq!(js(e, "src"), Some("10.0.0.0"));
    ensure_eq!(jn(e, "srclen"), Some(24));
    ensure_eq!(js(e, "table"), Some("100"));
    let e = json_pref(&j, 1001)?;
    ensure_eq!(e.get("not"), Some(&Value::Null));
    ensure_eq!(js(e, "dst"), Some("10.1.0.0"));
    ensure_eq!(jn(e, "dstlen"), Some(16));
    ensure_eq!(js(e, "fwmark"), Some("0x10"));
    ensure_eq!(js(e, "fwmask"), Some("0xff"));
    ensure_eq!(js(e, "iif"), Some("v0"));
    ensure_eq!(js(e, "oif"), Some("v1"));
    ensure_eq!(js(e, "table"), Some("1000"));
    let e = json_pref(&j, 1002)?;
    ensure_eq!(js(e, "action"), Some("blackhole"));
    ensure_eq!(js(e, "src"), Some("all"));
    ensure_eq!(js(json_pref(&j, 1003)?, "fwmark"), Some("0x7"));

    // Delete by priority only, and by the full spec.
    t!(ctx.conn.delete_rule(&RuleSpec::new().priority(1002)));
    t!(ctx.conn.delete_rule(&inv));
    t!(ctx
        .conn
        .delete_rule(&RuleSpec::new().from(net("10.0.0.0/24")).table(100)));
    t!(ctx.conn.delete_rule(&RuleSpec::new().fwmark(7, None)));
    let rules = t!(ctx.conn.rules(None));
    ensure_eq!(rules.len(), 3, "defaults only: {rules:?}");
    let j = ctx.ip_json(&["rule"])?;
    ensure_eq!(j.as_array().map(Vec::len), Some(3), "{j}");
    Ok(())
}

fn v6(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.add_rule(
        &RuleSpec::new()
            .from(net("2001:db8::/64"))
            .table(100)
            .priority(1000)
    ));
    let mut to = RuleSpec::new()
        .to(net("2001:db8:1::/48"))
        .priority(1001)
        .action(RuleAction::UNREACHABLE)
        .table(0);
    to.family = Some(AddrFamily::INET6);
    t!(ctx.conn.add_rule(&to));
    let rules = t!(ctx.conn.rules(Some(AddrFamily::INET6)));
    ensure_eq!(rules.len(), 4, "local, main + 2: {rules:?}");
    ensure!(
        rules.iter().all(|r| r.family == AddrFamily::INET6),
        "{rules:?}"
    );
    ensure_eq!(by_pref(&rules, 1000)?.src, Some(net("2001:db8::/64")));
    ensure_eq!(by_pref(&rules, 1001)?.action, RuleAction::UNREACHABLE);
    // IPv4's list is untouched.
    ensure_eq!(t!(ctx.conn.rules(None)).len(), 3);
    let j = ctx.ip_json(&["-6", "rule"])?;
    let e = json_pref(&j, 1000)?;
    ensure_eq!(js(e, "src"), Some("2001:db8::"));
    ensure_eq!(jn(e, "srclen"), Some(64));
    let e = json_pref(&j, 1001)?;
    ensure_eq!(js(e, "dst"), Some("2001:db8:1::"));
    ensure_eq!(js(e, "action"), Some("unreachable"));
    let mut del = RuleSpec::new().priority(1000);
    del.family = Some(AddrFamily::INET6);
    t!(ctx.conn.delete_rule(&del));
    t!(ctx.conn.delete_rule(&to));
    ensure_eq!(t!(ctx.conn.rules(Some(AddrFamily::INET6))).len(), 2);
    Ok(())
}

fn errors(ctx: &mut Ctx) -> Result<(), Failed> {
    expect_err(
        ctx.conn.delete_rule(&RuleSpec::new().priority(4444)),
        2,
        "netlink ENOENT (2): no such rule",
    )?;
    let spec = RuleSpec::new()
        .from(net("10.0.0.0/8"))
        .table(5)
        .priority(10);
    t!(ctx.conn.add_rule(&spec));
    expect_err(
        ctx.conn.add_rule(&spec),
        17,
        "netlink EEXIST (17): the rule already exists",
    )?;
    let e = ctx
        .conn
        .add_rule(
            &RuleSpec::new()
                .from(net("10.0.0.0/8"))
                .to(net("2001:db8::/32")),
        )
        .err();
    ensure!(matches!(e, Some(Error::Invalid(_))), "{e:?}");
    let e = ctx
        .conn
        .add_rule(&RuleSpec::new().iif("this-name-is-too-long"))
        .err();
    ensure!(matches!(e, Some(Error::Invalid(_))), "{e:?}");
    ensure_eq!(t!(ctx.conn.rules(None)).len(), 4, "only the one good rule");
    ensure_eq!(t!(ctx.conn.rules(Some(AddrFamily::INET6))).len(), 2);
    Ok(())
}
