//! Traffic control in desired state (issue 21 item 4): an htb tree with
//! classes and u32 filters, a tbf root and an ingress redirect to an
//! ifb converge in one pass; a second pass applies nothing; one changed
//! field is exactly that one change; dropping them deletes what the
//! reconciler created and never a foreign qdisc. Checked against `tc -j`.

use crate::addrs::net;
use nl_proto::tc::Handle;
use nl_proto::tc::units::{Rate, Size, Time};
use nl_rustix::Conn;
use nl_rustix::reconcile::{
    Action, Desired, DesiredClass, DesiredFilter, DesiredHtb, DesiredKind, DesiredLink,
    DesiredQdiscs, DesiredRoot, LastApplied, ObjectKind, Report, TcSlot,
};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, run_in, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth", "ifb", "tc:qdisc add dev lo root htb"],
        needs_ip: true,
        run,
    };
    vec![
        s(
            "reconcile_qdiscs::htb_tbf_and_redirect_in_one_pass_then_nothing",
            converges,
        ),
        s("reconcile_qdiscs::one_changed_field_is_one_step", one_field),
        s(
            "reconcile_qdiscs::dropped_ones_deleted_foreign_kept",
            ownership,
        ),
        s("reconcile_qdiscs::example_qdiscs_section", example),
    ]
}

fn rate(text: &str) -> Rate {
    Rate::parse(text).unwrap_or_default()
}

fn class(id: u16, parent: Option<u16>, r: &str) -> DesiredClass {
    DesiredClass {
        classid: Handle::new(1, id),
        parent: parent.map(|p| Handle::new(1, p)),
        rate: rate(r),
        ceil: None,
        prio: 0,
    }
}

/// Links v0 (peer v1), ifb0 and ifb1; on v0 an htb tree and a redirect
/// to ifb0; on v1 a tbf.
fn desired() -> Desired {
    let mut d = Desired::new();
    let mut v0 = DesiredLink::new("v0");
    v0.kind = Some(DesiredKind::Veth { peer: "v1".into() });
    v0.up = Some(true);
    d.links.push(v0);
    for ifb in ["ifb0", "ifb1"] {
        let mut l = DesiredLink::new(ifb);
        l.kind = Some(DesiredKind::Ifb);
        l.up = Some(true);
        d.links.push(l);
    }
    let mut classes = vec![
        class(0x1, None, "10mbit"),
        class(0x10, Some(0x1), "5mbit"),
        class(0x20, Some(0x1), "1mbit"),
    ];
    classes[1].ceil = Some(rate("10mbit"));
    classes[1].prio = 1;
    let mut v0 = DesiredQdiscs::new("v0");
    v0.root = Some(DesiredRoot::Htb(DesiredHtb {
        handle: Handle::new(1, 0),
        default_class: Some(Handle::new(1, 0x20)),
        classes,
        filters: vec![
            DesiredFilter {
                prio: 1,
                src: None,
                dst: Some(net("10.0.0.0/24")),
                flowid: Handle::new(1, 0x10),
            },
            DesiredFilter {
                prio: 2,
                src: Some(net("2001:db8::/64")),
                dst: None,
                flowid: Handle::new(1, 0x20),
            },
        ],
    }));
    v0.ingress_redirect = Some("ifb0".into());
    d.qdiscs.push(v0);
    let mut v1 = DesiredQdiscs::new("v1");
    v1.root = Some(tbf("1mbit"));
    d.qdiscs.push(v1);
    d
}

fn tbf(r: &str) -> DesiredRoot {
    DesiredRoot::Tbf {
        rate: rate(r),
        burst: Size(4096),
        latency: Time(400_000),
    }
}

fn htb(d: &mut Desired) -> &mut DesiredHtb {
    match d.qdiscs[0].root.as_mut() {
        Some(DesiredRoot::Htb(h)) => h,
        _ => unreachable!("v0's root is the htb"),
    }
}

fn pass(conn: &mut Conn, d: &Desired, last: &LastApplied) -> Result<Report, Failed> {
    Ok(t!(conn.reconcile(d, last)))
}

fn summary(r: &Report) -> Vec<(Action, ObjectKind)> {
    r.applied.iter().map(|s| (s.action, s.object())).collect()
}

fn converged(r: &Report) -> Result<(), Failed> {
    ensure!(
        r.converged && r.error.is_none(),
        "pass did not converge: {:?}, applied {:?}",
        r.error.as_ref().map(ToString::to_string),
        r.applied
    );
    Ok(())
}

/// `tc -j ARGS…`, parsed.
fn tc_json(ctx: &Ctx, args: &[&str]) -> Result<Value, Failed> {
    let mut full = vec!["-j"];
    full.extend_from_slice(args);
    let out = run_in(&ctx.netns(), "tc", &full)?;
    serde_json::from_str(&out).map_err(|e| format!("tc -j {args:?}: {e}: {out}"))
}

/// `tc ARGS…`'s text.
fn tc(ctx: &Ctx, args: &[&str]) -> Result<String, Failed> {
    run_in(&ctx.netns(), "tc", args)
}

/// The kind of `dev`'s root qdisc, and its handle.
fn root(ctx: &Ctx, dev: &str) -> Result<(String, String), Failed> {
    let q = tc_json(ctx, &["qdisc", "show", "dev", dev, "root"])?;
    Ok((
        q[0]["kind"].as_str().unwrap_or("").to_string(),
        q[0]["handle"].as_str().unwrap_or("").to_string(),
    ))
}

fn converges(ctx: &mut Ctx) -> Result<(), Failed> {
    let d = desired();
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let count = |k: (Action, ObjectKind)| summary(&r).iter().filter(|s| **s == k).count();
    ensure_eq!(
        (
            count((Action::Create, ObjectKind::Qdisc)),
            count((Action::Create, ObjectKind::Class)),
            count((Action::Create, ObjectKind::Filter)),
        ),
        (3, 3, 3),
        "{:?}",
        r.applied
    );
    ensure_eq!(root(ctx, "v0")?, ("htb".into(), "1:".into()));
    ensure_eq!(root(ctx, "v1")?.0, "tbf");
    let htb = tc(ctx, &["-d", "qdisc", "show", "dev", "v0", "root"])?;
    ensure!(htb.contains("default 0x20"), "{htb}");
    let classes = tc(ctx, &["class", "show", "dev", "v0"])?;
    for want in [
        "class htb 1:1 root rate 10Mbit",
        "class htb 1:10 parent 1:1 prio 1 rate 5Mbit ceil 10Mbit",
        "class htb 1:20 parent 1:1 prio 0 rate 1Mbit ceil 1Mbit",
    ] {
        ensure!(classes.contains(want), "{want}: {classes}");
    }
    let filters = tc(ctx, &["filter", "show", "dev", "v0"])?;
    ensure!(
        filters.contains("flowid 1:10") && filters.contains("match 0a000000/ffffff00 at 16"),
        "{filters}"
    );
    ensure!(
        filters.contains("protocol ipv6 pref 2")
            && filters.contains("match 20010db8/ffffffff at 8"),
        "{filters}"
    );
    let ingress = tc(ctx, &["filter", "show", "dev", "v0", "ingress"])?;
    ensure!(
        ingress.contains("protocol all pref 1 u32")
            && ingress.contains("mirred (Egress Redirect to device ifb0)"),
        "{ingress}"
    );
    let tbf = tc(ctx, &["qdisc", "show", "dev", "v1"])?;
    ensure!(tbf.contains("rate 1Mbit burst 4Kb lat 400ms"), "{tbf}");

    let last = r.last_applied;
    for (link, slot) in [
        ("v0", TcSlot::Root),
        ("v0", TcSlot::Ingress),
        ("v1", TcSlot::Root),
    ] {
        ensure!(
            last.qdiscs.contains(&(link.into(), slot)),
            "{link} {slot:?}: {last:?}"
        );
    }
    ensure_eq!(
        LastApplied::parse(&last.to_text()).map_err(|e| e.to_string())?,
        last
    );
    let again = pass(&mut ctx.conn, &d, &last)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    // A dry run (the same read) plans nothing either.
    let plan = t!(ctx.conn.plan_reconcile(&d, &again.last_applied));
    ensure!(plan.is_empty(), "{:?}", plan.steps());
    Ok(())
}

fn one_field(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut d = desired();
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let mut last = r.last_applied;
    type Change = fn(&mut Desired);
    /// What changes, how, the steps it takes, and the `tc` listing that
    /// shows it.
    type Case = (
        &'static str,
        Change,
        &'static [(Action, ObjectKind)],
        &'static [&'static str],
        &'static str,
    );
    let changes: [Case; 6] = [
        (
            "class rate",
            |d| htb(d).classes[2].rate = rate("2mbit"),
            &[(Action::Update, ObjectKind::Class)],
            &["class", "show", "dev", "v0", "classid", "1:20"],
            "rate 2Mbit",
        ),
        (
            "filter flowid",
            |d| htb(d).filters[0].flowid = Handle::new(1, 0x20),
            &[(Action::Update, ObjectKind::Filter)],
            &["filter", "show", "dev", "v0", "pref", "1"],
            "flowid 1:20",
        ),
        // A replace keeps a node's keys: the filter again.
        (
            "filter dst",
            |d| htb(d).filters[0].dst = Some(net("10.9.0.0/16")),
            &[
                (Action::Delete, ObjectKind::Filter),
                (Action::Create, ObjectKind::Filter),
            ],
            &["filter", "show", "dev", "v0"],
            "match 0a090000/ffff0000 at 16",
        ),
        (
            "tbf rate",
            |d| d.qdiscs[1].root = Some(tbf("2mbit")),
            &[(Action::Update, ObjectKind::Qdisc)],
            &["qdisc", "show", "dev", "v1"],
            "rate 2Mbit",
        ),
        (
            "redirect target",
            |d| d.qdiscs[0].ingress_redirect = Some("ifb1".into()),
            &[(Action::Update, ObjectKind::Filter)],
            &["filter", "show", "dev", "v0", "ingress"],
            "Redirect to device ifb1",
        ),
        (
            "class removed",
            |d| {
                let h = htb(d);
                h.filters.truncate(1);
                h.filters[0].flowid = Handle::new(1, 0x10);
                h.classes.truncate(2);
                h.default_class = Some(Handle::new(1, 0x10));
            },
            &[(Action::Delete, ObjectKind::Class)],
            &["class", "show", "dev", "v0"],
            "class htb 1:10",
        ),
    ];
    for (what, change, want, args, shows) in changes {
        change(&mut d);
        let r = pass(&mut ctx.conn, &d, &last)?;
        converged(&r)?;
        if what == "class removed" {
            // The default class cannot change in place: the tree again
            // (qdisc recreated, its two classes and one filter), and the
            // class and filter of 1:20 went with the old tree.
            ensure!(!summary(&r).contains(&want[0]), "{what}: {:?}", r.applied);
            ensure_eq!(
                summary(&r).iter().filter(|s| s.0 == Action::Create).count(),
                4,
                "{what}: {:?}",
                r.applied
            );
            let shown = tc(ctx, args)?;
            ensure!(
                shown.contains(shows) && !shown.contains("1:20"),
                "{what}: {shown}"
            );
        } else {
            ensure_eq!(summary(&r), want.to_vec(), "{what}: {:?}", r.applied);
            let shown = tc(ctx, args)?;
            ensure!(shown.contains(shows), "{what}: {shown}");
        }
        last = r.last_applied;
        let again = pass(&mut ctx.conn, &d, &last)?;
        ensure_eq!(
            summary(&again),
            vec![],
            "{what}, again: {:?}",
            again.applied
        );
    }
    Ok(())
}

fn ownership(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut d = desired();
    // v2 with a foreign tbf, which desired state wants different.
    ctx.ip(&["link", "add", "v2", "type", "veth", "peer", "name", "v3"])?;
    tc(
        ctx,
        &[
            "qdisc", "add", "dev", "v2", "root", "tbf", "rate", "3mbit", "burst", "4kb", "latency",
            "50ms",
        ],
    )?;
    let mut v2 = DesiredQdiscs::new("v2");
    v2.root = Some(tbf("1mbit"));
    d.qdiscs.push(v2);
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    ensure!(!r.converged, "a foreign qdisc in the way: {:?}", r.applied);
    let conflict = r
        .error
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    ensure!(conflict.contains("qdisc tbf"), "{conflict}");
    ensure!(
        tc(ctx, &["qdisc", "show", "dev", "v2"])?.contains("rate 3Mbit"),
        "the foreign tbf is untouched"
    );
    let last = r.last_applied;
    ensure!(
        !last.qdiscs.contains(&("v2".into(), TcSlot::Root)),
        "{last:?}"
    );
    // Everything but the links dropped: ours deleted, the foreign one kept.
    d.qdiscs.clear();
    let r = pass(&mut ctx.conn, &d, &last)?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![(Action::Delete, ObjectKind::Qdisc); 3],
        "{:?}",
        r.applied
    );
    ensure!(r.last_applied.qdiscs.is_empty(), "{:?}", r.last_applied);
    ensure_eq!(root(ctx, "v0")?.0, "noqueue");
    ensure!(
        !tc(ctx, &["qdisc", "show", "dev", "v0"])?.contains("ingress"),
        "the ingress qdisc is gone"
    );
    ensure!(
        tc(ctx, &["qdisc", "show", "dev", "v2"])?.contains("rate 3Mbit"),
        "the foreign tbf is kept"
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// The `reconcile` example's `qdiscs` section: created in one pass with
/// the links it names, nothing the next time, deleted when dropped (the
/// state file says they are ours); bad input changes nothing.
fn example(ctx: &mut Ctx) -> Result<(), Failed> {
    use crate::reconcile::{reconcile_bin, run};
    let bin = reconcile_bin()?;
    let dir = std::env::temp_dir().join(format!("nl-reconcile-qdiscs-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let file = |name: &str, text: &str| -> Result<String, Failed> {
        let p = dir.join(name);
        t!(std::fs::write(&p, text));
        Ok(p.display().to_string())
    };
    let state = dir.join("state").display().to_string();
    let links = r#""links": [{"name": "v0", "kind": "veth", "peer": "v1", "up": true},
                             {"name": "ifb0", "kind": "ifb", "up": true}]"#;
    let result = (|| {
        let desired = file(
            "desired.json",
            &format!(
                r#"{{{links},
                "qdiscs": [{{"dev": "v0", "ingress_redirect": "ifb0",
                             "root": {{"kind": "htb", "handle": "1:", "default": "1:20",
                                      "classes": [{{"classid": "1:1", "rate": "10mbit"}},
                                                  {{"classid": "1:20", "parent": "1:1", "rate": "1mbit",
                                                   "ceil": "10mbit", "prio": 1}}],
                                      "filters": [{{"prio": 1, "dst": "10.0.0.0/24", "flowid": "1:20"}}]}}}},
                           {{"dev": "v1", "root": {{"kind": "tbf", "rate": "1mbit", "burst": "32kbit",
                                                   "latency": "400ms"}}}}]}}"#
            ),
        )?;
        let r = run(&bin, ctx, &["--state", &state, &desired])?;
        ensure_eq!(r.code, Some(0), "{} {}", r.json, r.stderr);
        let applied = r.json["applied"].as_array().ok_or("no applied")?;
        let n = |op: &str, object: &str| {
            applied
                .iter()
                .filter(|s| s["op"] == op && s["object"] == object)
                .count()
        };
        ensure_eq!(
            (
                n("create", "qdisc"),
                n("create", "class"),
                n("create", "filter")
            ),
            (3, 2, 2),
            "{}",
            r.json
        );
        ensure!(
            applied
                .iter()
                .any(|s| s["object"] == "class" && s["handle"] == "1:20" && s["dev"] == "v0"),
            "{}",
            r.json
        );
        ensure!(
            tc(ctx, &["class", "show", "dev", "v0", "classid", "1:20"])?
                .contains("prio 1 rate 1Mbit ceil 10Mbit"),
            "the class as desired"
        );
        let again = run(&bin, ctx, &["--state", &state, &desired])?;
        ensure_eq!(again.code, Some(0), "{}", again.stderr);
        ensure_eq!(
            again.json["applied"],
            Value::Array(vec![]),
            "{}",
            again.json
        );

        let dropped = file("dropped.json", &format!("{{{links}}}"))?;
        let r = run(&bin, ctx, &["--state", &state, &dropped])?;
        ensure_eq!(r.code, Some(0), "{}", r.stderr);
        ensure_eq!(
            r.json["applied"].as_array().map(|a| a
                .iter()
                .filter(|s| s["op"] == "delete" && s["object"] == "qdisc")
                .count()),
            Some(3),
            "{}",
            r.json
        );
        ensure_eq!(root(ctx, "v0")?.0, "noqueue");

        let before = tc(ctx, &["qdisc", "show"])?;
        for bad in [
            r#"{"qdiscs": [{"dev": "v0", "root": {"kind": "cake"}}]}"#,
            r#"{"qdiscs": [{"dev": "v0", "root": {"kind": "tbf", "rate": "fast", "burst": "4k", "latency": "1ms"}}]}"#,
            r#"{"qdiscs": [{"dev": "v0", "root": {"kind": "htb", "handle": "1:", "classes": [{"classid": "2:1", "rate": "1mbit"}]}}]}"#,
            r#"{"qdiscs": [{"dev": "v0", "ingress_redirect": "nope0"}]}"#,
            r#"{"qdiscs": [{"dev": "v0", "colour": "red"}]}"#,
        ] {
            let f = file("bad.json", bad)?;
            let r = run(&bin, ctx, &["--state", &state, &f])?;
            ensure_eq!(r.code, Some(2), "{bad}: {}", r.stderr);
        }
        ensure_eq!(
            tc(ctx, &["qdisc", "show"])?,
            before,
            "bad input changed something"
        );
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
