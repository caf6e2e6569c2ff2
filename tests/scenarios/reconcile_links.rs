//! Links and nexthops in desired state (issue 17 item 6): each kind is
//! created with every stated setting in one pass, together with what
//! depends on it; a second pass applies nothing; one changed field is
//! exactly one step; a link this reconciler created is deleted when
//! dropped from desired state, a foreign one never; what cannot change
//! in place is refused before anything changes. Checked against `ip -j`.

use crate::addrs::{ip, net};
use nl_proto::route::nexthop::GroupMember;
use nl_rustix::reconcile::{
    Action, Desired, DesiredKind, DesiredLink, LastApplied, ObjectKind, Report,
};
use nl_rustix::{AddrSpec, Conn, Error, LinkSet, LinkSpec, NexthopSpec, RouteSpec};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth", "bridge", "macvlan", "vxlan", "ifb"],
        needs_ip: true,
        run,
    };
    vec![
        s(
            "reconcile_links::each_kind_created_with_its_address_then_nothing",
            each_kind,
        ),
        s(
            "reconcile_links::one_changed_field_is_one_update",
            one_field,
        ),
        s(
            "reconcile_links::created_link_deleted_when_dropped_foreign_kept",
            ownership,
        ),
        s(
            "reconcile_links::what_cannot_change_in_place_is_refused",
            refused,
        ),
        s(
            "reconcile_links::nexthops_created_updated_deleted_by_protocol",
            nexthops,
        ),
        s(
            "reconcile_links::example_links_and_nexthops_sections",
            example,
        ),
        s(
            "reconcile_links::verbs_create_with_index_and_set_alias",
            verbs,
        ),
    ]
}

fn link(name: &str, kind: Option<DesiredKind>) -> DesiredLink {
    let mut l = DesiredLink::new(name);
    l.kind = kind;
    l
}

/// A bridge with a veth end as its port, the other end and a macvlan on
/// it, a vxlan and an ifb; an address on the bridge.
fn all_kinds() -> Desired {
    let mut d = Desired::new();
    let mut br = link("br0", Some(DesiredKind::Bridge));
    br.up = Some(true);
    br.mtu = Some(1400);
    br.alias = Some("lan".into());
    d.links.push(br);
    let mut v0 = link("v0", Some(DesiredKind::Veth { peer: "v1".into() }));
    v0.master = Some("br0".into());
    v0.up = Some(true);
    v0.address = Some("02:00:00:00:00:01".parse().expect("mac"));
    d.links.push(v0);
    // The peer: no kind, its settings applied after the veth's creation.
    let mut v1 = link("v1", None);
    v1.up = Some(true);
    v1.mtu = Some(1300);
    d.links.push(v1);
    let mut mv = link("mv0", Some(DesiredKind::Macvlan { link: "v1".into() }));
    mv.up = Some(true);
    d.links.push(mv);
    d.links
        .push(link("vx0", Some(DesiredKind::Vxlan { id: 42 })));
    d.links.push(link("ifb0", Some(DesiredKind::Ifb)));
    d.addresses.push(AddrSpec::new("br0", net("10.0.0.1/24")));
    d
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
        summary(r)
    );
    Ok(())
}

/// `ip -j -d link show NAME`'s one object.
fn shown(ctx: &Ctx, name: &str) -> Result<Value, Failed> {
    let v = ctx.ip_json(&["-d", "link", "show", name])?;
    Ok(v[0].clone())
}

fn is_up(l: &Value) -> bool {
    l["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x == "UP"))
}

fn each_kind(ctx: &mut Ctx) -> Result<(), Failed> {
    let d = all_kinds();
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let creates = summary(&r)
        .iter()
        .filter(|s| **s == (Action::Create, ObjectKind::Link))
        .count();
    ensure_eq!(creates, 5, "{:?}", summary(&r));
    // The bridge's MTU is set after its port joined (see links.rs), the
    // peer's settings after the veth was created.
    let updates = summary(&r)
        .iter()
        .filter(|s| **s == (Action::Update, ObjectKind::Link))
        .count();
    ensure_eq!(updates, 2, "{:?}", summary(&r));
    ensure!(
        summary(&r).contains(&(Action::Create, ObjectKind::Address)),
        "the address on the new bridge: {:?}",
        summary(&r)
    );

    let br = shown(ctx, "br0")?;
    ensure_eq!(br["linkinfo"]["info_kind"], "bridge", "{br}");
    ensure_eq!(br["mtu"], 1400, "{br}");
    ensure_eq!(br["ifalias"], "lan", "{br}");
    ensure!(is_up(&br), "{br}");
    let v0 = shown(ctx, "v0")?;
    ensure_eq!(v0["linkinfo"]["info_kind"], "veth", "{v0}");
    ensure_eq!(v0["master"], "br0", "{v0}");
    ensure_eq!(v0["address"], "02:00:00:00:00:01", "{v0}");
    ensure!(is_up(&v0), "{v0}");
    let v1 = shown(ctx, "v1")?;
    ensure_eq!(v1["link"], "v0", "{v1}");
    ensure_eq!(v1["mtu"], 1300, "{v1}");
    ensure!(is_up(&v1), "{v1}");
    let mv = shown(ctx, "mv0")?;
    ensure_eq!(mv["linkinfo"]["info_kind"], "macvlan", "{mv}");
    ensure_eq!(mv["link"], "v1", "{mv}");
    let vx = shown(ctx, "vx0")?;
    ensure_eq!(vx["linkinfo"]["info_data"]["id"], 42, "{vx}");
    ensure_eq!(shown(ctx, "ifb0")?["linkinfo"]["info_kind"], "ifb");
    let addrs = ctx.ip(&["-4", "addr", "show", "dev", "br0"])?;
    ensure!(addrs.contains("10.0.0.1/24"), "{addrs}");

    let last = r.last_applied;
    for name in ["br0", "v0", "mv0", "vx0", "ifb0"] {
        ensure!(last.links.contains(name), "{name} not in {last:?}");
    }
    ensure!(!last.links.contains("v1"), "the peer goes with its veth");
    let again = pass(&mut ctx.conn, &d, &last)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    ensure_eq!(
        LastApplied::parse(&last.to_text()).map_err(|e| e.to_string())?,
        last
    );
    Ok(())
}

fn one_field(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut d = all_kinds();
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let mut last = r.last_applied;
    type Change = fn(&mut Desired);
    let changes: [(&str, Change); 5] = [
        ("mtu", |d| d.links[0].mtu = Some(1450)),
        ("alias", |d| d.links[0].alias = Some("wan".into())),
        ("down", |d| d.links[0].up = Some(false)),
        ("address", |d| {
            d.links[1].address = Some("02:00:00:00:00:02".parse().expect("mac"));
        }),
        ("no alias", |d| d.links[0].alias = Some(String::new())),
    ];
    for (what, change) in changes {
        change(&mut d);
        let r = pass(&mut ctx.conn, &d, &last)?;
        converged(&r)?;
        ensure_eq!(
            summary(&r),
            vec![(Action::Update, ObjectKind::Link)],
            "{what}: {:?}",
            r.applied
        );
        last = r.last_applied;
        let again = pass(&mut ctx.conn, &d, &last)?;
        ensure_eq!(summary(&again), vec![], "{what}: a second pass");
    }
    let br = shown(ctx, "br0")?;
    ensure_eq!(br["mtu"], 1450, "{br}");
    ensure!(!is_up(&br), "{br}");
    ensure!(br.get("ifalias").is_none(), "{br}");
    ensure_eq!(shown(ctx, "v0")?["address"], "02:00:00:00:00:02");
    Ok(())
}

fn ownership(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "add", "fb0", "type", "bridge"])?;
    let mut d = Desired::new();
    d.links.push(link("br0", Some(DesiredKind::Bridge)));
    // A foreign link named in desired state: its settings are managed,
    // but it is never this reconciler's to delete.
    let mut fb = link("fb0", Some(DesiredKind::Bridge));
    fb.mtu = Some(1280);
    d.links.push(fb);
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Create, ObjectKind::Link),
            (Action::Update, ObjectKind::Link)
        ]
    );
    ensure_eq!(shown(ctx, "fb0")?["mtu"], 1280);
    ensure_eq!(
        r.last_applied.links.iter().cloned().collect::<Vec<_>>(),
        vec!["br0".to_string()]
    );

    let dropped = Desired::new();
    let r = pass(&mut ctx.conn, &dropped, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Delete, ObjectKind::Link)]);
    ensure!(ctx.ip(&["link", "show", "br0"]).is_err(), "br0 still there");
    ensure!(ctx.ip(&["link", "show", "fb0"]).is_ok(), "fb0 deleted");
    ensure!(r.last_applied.links.is_empty(), "{:?}", r.last_applied);
    let again = pass(&mut ctx.conn, &dropped, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

fn refused(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "add", "fb0", "type", "bridge"])?;
    ctx.ip(&["link", "add", "w0", "type", "veth", "peer", "name", "w1"])?;
    ctx.ip(&["link", "add", "vx0", "type", "vxlan", "id", "7"])?;
    let before = ctx.ip(&["-o", "link"])?;
    let cases: Vec<(DesiredLink, &str)> = vec![
        (
            link("fb0", Some(DesiredKind::Veth { peer: "fb1".into() })),
            "as bridge, desired veth",
        ),
        (
            link(
                "w0",
                Some(DesiredKind::Veth {
                    peer: "other".into(),
                }),
            ),
            "with peer \"w1\"",
        ),
        (
            link("vx0", Some(DesiredKind::Vxlan { id: 8 })),
            "with VNI 7",
        ),
        (link("nope0", None), "no such interface \"nope0\""),
        (
            link("vx1", Some(DesiredKind::Vxlan { id: 1 << 24 })),
            "out of range",
        ),
    ];
    for (l, want) in cases {
        let mut d = Desired::new();
        // Something that would change if the pass ran at all.
        d.links.push(link("br9", Some(DesiredKind::Bridge)));
        d.links.push(l);
        match ctx.conn.reconcile(&d, &LastApplied::new()) {
            Err(e @ (Error::Invalid(_) | Error::NoSuchLink { .. })) => {
                ensure!(e.to_string().contains(want), "{e}, not {want:?}");
            }
            other => return Err(format!("not refused ({want}): {other:?}")),
        }
    }
    ensure_eq!(ctx.ip(&["-o", "link"])?, before, "something changed");
    Ok(())
}

fn nexthops(ctx: &mut Ctx) -> Result<(), Failed> {
    // A blackhole nexthop sits on lo, which must be up.
    ctx.ip(&["link", "set", "lo", "up"])?;
    ctx.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ctx.ip(&["link", "set", "v0", "up"])?;
    ctx.ip(&["link", "set", "v1", "up"])?;
    // Someone else's nexthop (protocol static): never touched.
    ctx.ip(&["nexthop", "add", "id", "50", "blackhole", "proto", "static"])?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    d.nexthops
        .push(NexthopSpec::via(1, ip("10.0.0.1")).dev("v0"));
    d.nexthops
        .push(NexthopSpec::via(2, ip("10.0.0.3")).dev("v0"));
    d.nexthops.push(NexthopSpec {
        id: 3,
        blackhole: true,
        ..NexthopSpec::default()
    });
    d.nexthops.push(NexthopSpec::group(
        10,
        vec![
            GroupMember { id: 1, weight: 1 },
            GroupMember { id: 2, weight: 3 },
        ],
    ));
    // A route through the group, created in the same pass after it.
    let mut through = RouteSpec::new(net("10.70.0.0/24"));
    through.nh_id = Some(10);
    d.routes.push(through);

    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let kinds = summary(&r);
    let count = |k| kinds.iter().filter(|s| **s == (Action::Create, k)).count();
    ensure_eq!(count(ObjectKind::Nexthop), 4, "{kinds:?}");
    ensure_eq!(count(ObjectKind::Route), 1, "{kinds:?}");
    let shown = ctx.ip(&["nexthop", "show"])?;
    ensure!(
        shown.contains("id 10 group 1/2,3 proto 76") && shown.contains("id 3 blackhole proto 76"),
        "{shown}"
    );
    let routes = ctx.ip(&["route", "show", "10.70.0.0/24"])?;
    ensure!(
        routes.contains("nhid 10") && routes.contains("proto 76"),
        "{routes}"
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![], "a second pass");

    // One weight changed: one update (the route through it stays).
    d.nexthops[3].group[1].weight = 5;
    let r = pass(&mut ctx.conn, &d, &again.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Update, ObjectKind::Nexthop)]);
    ensure!(
        ctx.ip(&["nexthop", "show", "id", "10"])?
            .contains("group 1/2,5"),
        "weight not applied"
    );
    // The route moved to another nexthop: one route update.
    d.routes[0].nh_id = Some(1);
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Update, ObjectKind::Route)]);
    let routes = ctx.ip(&["route", "show", "10.70.0.0/24"])?;
    ensure!(routes.contains("nhid 1 "), "{routes}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![], "after the route update");
    let r = again;
    // Dropped from desired: deleted, being ours; the foreign one stays.
    d.nexthops.remove(2);
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Delete, ObjectKind::Nexthop)]);
    let shown = ctx.ip(&["nexthop", "show"])?;
    ensure!(!shown.contains("id 3 "), "{shown}");
    ensure!(shown.contains("id 50 blackhole proto static"), "{shown}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![], "after the delete");
    // The route and the nexthop it uses dropped together: the route is
    // deleted first.
    d.routes.clear();
    d.nexthops.retain(|n| n.id != 1 && n.id != 10);
    let r = pass(&mut ctx.conn, &d, &again.last_applied)?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Delete, ObjectKind::Route),
            (Action::Delete, ObjectKind::Nexthop),
            (Action::Delete, ObjectKind::Nexthop)
        ]
    );
    ensure!(
        ctx.ip(&["route", "show", "10.70.0.0/24"])?.is_empty(),
        "the route stays"
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![], "after the route's delete");

    // A nexthop the library would have to guess about: refused.
    let mut bad = d.clone();
    bad.nexthops
        .push(NexthopSpec::via(0, ip("10.0.0.4")).dev("v0"));
    ensure!(
        matches!(
            ctx.conn.reconcile(&bad, &again.last_applied),
            Err(Error::Invalid(_))
        ),
        "id 0 accepted"
    );
    Ok(())
}

/// The example's `links` and `nexthops` sections: a pass creates them,
/// the next applies nothing, a changed MTU is one update, a dropped link
/// the state file says was created is deleted, and a bad field is bad
/// input (exit 2) that changes nothing.
fn example(ctx: &mut Ctx) -> Result<(), Failed> {
    use crate::reconcile::{reconcile_bin, run};
    let bin = reconcile_bin()?;
    ctx.ip(&["link", "set", "lo", "up"])?;
    let dir = std::env::temp_dir().join(format!("nl-reconcile-links-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let file = |name: &str, text: &str| -> Result<String, Failed> {
        let p = dir.join(name);
        t!(std::fs::write(&p, text));
        Ok(p.display().to_string())
    };
    let state = dir.join("state").display().to_string();
    let result = (|| {
        let desired = file(
            "desired.json",
            r#"{"links": [{"name": "br0", "kind": "bridge", "up": true, "mtu": 1400, "alias": "lan"},
                          {"name": "v0", "kind": "veth", "peer": "v1", "master": "br0", "up": true},
                          {"name": "v1", "up": true},
                          {"name": "vx0", "kind": "vxlan", "id": 42}],
                "addresses": [{"dev": "v1", "prefix": "10.0.0.2/24"}],
                "nexthops": [{"id": 1, "via": "10.0.0.1", "dev": "v1"},
                             {"id": 2, "blackhole": true},
                             {"id": 10, "group": [{"id": 1, "weight": 2}]}]}"#,
        )?;
        let r = run(&bin, ctx, &["--state", &state, &desired])?;
        ensure_eq!(r.code, Some(0), "{} {}", r.json, r.stderr);
        let applied = r.json["applied"].as_array().ok_or("no applied")?;
        let objects: Vec<(&str, &str)> = applied
            .iter()
            .map(|s| {
                (
                    s["op"].as_str().unwrap_or(""),
                    s["object"].as_str().unwrap_or(""),
                )
            })
            .collect();
        let n = |want: (&str, &str)| objects.iter().filter(|o| **o == want).count();
        ensure_eq!(
            (
                n(("create", "link")),
                n(("create", "nexthop")),
                n(("create", "address"))
            ),
            (3, 3, 1),
            "{}",
            r.json
        );
        ensure!(
            applied.iter().any(|s| s["name"] == "vx0") && applied.iter().any(|s| s["id"] == 10),
            "{}",
            r.json
        );
        let again = run(&bin, ctx, &["--state", &state, &desired])?;
        ensure_eq!(again.code, Some(0), "{}", again.stderr);
        ensure_eq!(
            again.json["applied"],
            Value::Array(vec![]),
            "{}",
            again.json
        );

        let changed = file(
            "changed.json",
            &std::fs::read_to_string(&desired)
                .map_err(|e| e.to_string())?
                .replace(r#""mtu": 1400"#, r#""mtu": 1450"#)
                .replace(
                    r#",
                          {"name": "vx0", "kind": "vxlan", "id": 42}"#,
                    "",
                ),
        )?;
        let r = run(&bin, ctx, &["--state", &state, &changed])?;
        ensure_eq!(r.code, Some(0), "{}", r.stderr);
        let ops: Vec<(Value, Value, Value)> = r.json["applied"]
            .as_array()
            .ok_or("no applied")?
            .iter()
            .map(|s| (s["op"].clone(), s["object"].clone(), s["name"].clone()))
            .collect();
        ensure_eq!(
            ops,
            vec![
                ("update".into(), "link".into(), "br0".into()),
                ("delete".into(), "link".into(), "vx0".into())
            ]
        );
        ensure_eq!(shown(ctx, "br0")?["mtu"], 1450);

        let before = ctx.ip(&["-o", "link"])?;
        for bad in [
            r#"{"links": [{"name": "x0", "kind": "dummy"}]}"#,
            r#"{"links": [{"name": "x0", "kind": "bridge", "peer": "x1"}]}"#,
            r#"{"links": [{"name": "x0", "colour": "red"}]}"#,
            r#"{"nexthops": [{"id": 3, "group": [{"id": 1, "weight": 300}]}]}"#,
            r#"{"links": [{"name": "br0", "kind": "veth", "peer": "b1"}]}"#,
        ] {
            let f = file("bad.json", bad)?;
            let r = run(&bin, ctx, &["--state", &state, &f])?;
            ensure_eq!(r.code, Some(2), "{bad}: {}", r.stderr);
        }
        ensure_eq!(
            ctx.ip(&["-o", "link"])?,
            before,
            "bad input changed something"
        );
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// What the plan relies on, through the verbs: a link created with the
/// index asked for (a veth's peer too), and an alias set and removed.
fn verbs(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut veth = LinkSpec::veth("p0", "p1").index(77);
    veth.peer_index = Some(78);
    t!(ctx.conn.create_link(&veth));
    ensure_eq!(
        (
            shown(ctx, "p0")?["ifindex"].clone(),
            shown(ctx, "p1")?["ifindex"].clone()
        ),
        (Value::from(77), Value::from(78))
    );
    t!(ctx.conn.set_link("p0", &LinkSet::new().alias("uplink")));
    ensure_eq!(shown(ctx, "p0")?["ifalias"], "uplink");
    t!(ctx.conn.set_link("p0", &LinkSet::new().alias("")));
    ensure!(
        shown(ctx, "p0")?.get("ifalias").is_none(),
        "alias not removed"
    );
    // An index taken: the kernel says so.
    let e = ctx.conn.create_link(&LinkSpec::bridge("b0").index(77));
    ensure!(e.is_err(), "index 77 given twice");
    Ok(())
}
