//! Reconcile tells the truth (issue 17): one regression scenario per
//! finding of the state-layer review (C1, C2, M2, M3, M4, m1, m2) and
//! the new-user trial (B2). Each would have failed before the fix.

use crate::addrs::{ip, net, veth};
use crate::reconcile::{converged, pass, summary, watch};
use nl_proto::route::addr::Scope;
use nl_proto::route::route::RouteType;
use nl_rustix::reconcile::{Action, Desired, LastApplied, ObjectKind, WatchOptions};
use nl_rustix::{AddrSpec, Error, LegSpec, NexthopSpec, RoutePref, RouteSpec, RuleSpec};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq};
use serde_json::Value;
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: true,
        run,
    };
    vec![
        s(
            "reconcile_truth::c1_foreign_broadcast_is_a_conflict_not_converged",
            c1_foreign,
        ),
        s(
            "reconcile_truth::c1_owned_label_and_broadcast_are_recreated",
            c1_owned,
        ),
        s("reconcile_truth::c1_ipv6_scope_is_bad_input", c1_v6_scope),
        s("reconcile_truth::c1_watch_stays_idle", c1_watch),
        s(
            "reconcile_truth::c2_every_route_and_address_field_round_trips",
            c2_fields,
        ),
        s(
            "reconcile_truth::multipath_legs_with_only_via_converge",
            legs_via_only,
        ),
        s(
            "reconcile_truth::m2_connected_route_in_desired_converges",
            m2_connected,
        ),
        s(
            "reconcile_truth::m3_ipv6_prefix_length_change_converges",
            m3_prefix_len,
        ),
        s(
            "reconcile_truth::m4_ipv6_destination_with_host_bits_converges",
            m4_host_bits,
        ),
        s(
            "reconcile_truth::m1_m2_bad_label_and_ipv4_host_bits_change_nothing",
            m1_m2_bad_input,
        ),
        s(
            "reconcile_truth::b2_foreign_route_conflict_does_not_block",
            b2_conflict,
        ),
        s(
            "reconcile_truth::raised_address_lifetimes_are_applied_once",
            raised_lifetimes,
        ),
        s(
            "reconcile_truth::route_through_a_blackhole_nexthop_converges",
            blackhole_nexthop,
        ),
        s(
            "reconcile_truth::peer_address_changed_and_dropped_converges",
            peer_address,
        ),
    ]
}

/// The address entry of `ip -j addr show dev v0` whose local address is
/// `local` (`Null` if there is none).
fn addr_json(ctx: &Ctx, family: &str, local: &str) -> Result<Value, Failed> {
    let j = ctx.ip_json(&[family, "addr", "show", "dev", "v0"])?;
    let found = j[0]["addr_info"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["local"] == local).cloned());
    Ok(found.unwrap_or(Value::Null))
}

fn with_broadcast() -> Desired {
    let mut d = Desired::new();
    d.addresses
        .push(AddrSpec::new("v0", net("10.0.0.2/24")).broadcast("10.0.0.255".parse().unwrap()));
    d
}

/// C1: `ip addr add` without `brd`, then desired names one. The kernel
/// cannot add a broadcast in place and the address is not ours: the
/// pass reports a conflict naming it, not "converged", every pass, and
/// applies nothing.
fn c1_foreign(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    ctx.ip(&["addr", "add", "10.0.0.2/24", "dev", "v0"])?;
    let d = with_broadcast();
    let mut last = LastApplied::new();
    for _ in 0..2 {
        let r = pass(&mut ctx.conn, &d, &last)?;
        let shown = addr_json(ctx, "-4", "10.0.0.2")?;
        ensure!(
            !r.converged || shown["broadcast"] == "10.0.0.255",
            "converged, but the kernel shows {shown}"
        );
        ensure_eq!(summary(&r), vec![]);
        ensure_eq!(r.conflicts.len(), 1);
        let e = r.error.as_ref().ok_or("no error")?;
        ensure!(
            matches!(e, Error::Conflict(_)) && e.to_string().contains("10.0.0.2/24"),
            "{e}"
        );
        last = r.last_applied;
    }
    Ok(())
}

/// C1: an address the reconciler installed gets a label and a broadcast
/// in desired state: delete + create (reported as such), and the routes
/// the kernel removed with it come back in the same pass.
fn c1_owned(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    d.routes
        .push(RouteSpec::new(net("10.50.0.0/24")).via(ip("10.0.0.1")));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    d.addresses[0] = AddrSpec::new("v0", net("10.0.0.2/24"))
        .broadcast("10.0.0.255".parse().unwrap())
        .label("v0:x");
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Delete, ObjectKind::Address),
            (Action::Create, ObjectKind::Address),
            (Action::Create, ObjectKind::Route),
        ]
    );
    let shown = addr_json(ctx, "-4", "10.0.0.2")?;
    ensure_eq!(shown["broadcast"], "10.0.0.255", "{shown}");
    ensure_eq!(shown["label"], "v0:x", "{shown}");
    let route = ctx.ip_json(&["route", "show", "10.50.0.0/24"])?;
    ensure_eq!(route[0]["gateway"], "10.0.0.1", "{route}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// C1 (IPv6): the kernel derives the scope; asking for one is refused
/// before anything changes, never "applied" every pass.
fn c1_v6_scope(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    d.addresses.push(
        AddrSpec::new("v0", net("2001:db8::2/64"))
            .nodad()
            .scope(Scope::LINK),
    );
    match ctx.conn.reconcile(&d, &LastApplied::new()) {
        Err(Error::Invalid(e)) => ensure!(e.contains("2001:db8::2/64"), "{e}"),
        other => return Err(format!("expected bad input, got {other:?}")),
    }
    ensure!(
        !ctx.ip(&["addr", "show", "dev", "v0"])?.contains("10.0.0.2"),
        "changed despite bad input"
    );
    Ok(())
}

/// C1: a Watch on a converged state with a broadcast and a label: its
/// own notifications cause at most one confirming pass (the review saw
/// 52 passes in 3 s).
fn c1_watch(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    // A quiet namespace: no IPv6 autoconfiguration finishing its DAD
    // during the watch (its notifications are not the loop's own).
    for link in ["all", "default", "lo", "v0", "v1"] {
        let key = format!("net.ipv6.conf.{link}.disable_ipv6=1");
        nl_tests::run_in(&ctx.netns(), "sysctl", &["-qw", &key])?;
    }
    let mut d = Desired::new();
    d.addresses.push(
        AddrSpec::new("v0", net("10.0.0.2/24"))
            .broadcast("10.0.0.255".parse().unwrap())
            .label("v0:x"),
    );
    let (w, rx) = watch(ctx.netns(), d, WatchOptions::default())?;
    let start = Instant::now();
    let mut passes = Vec::new();
    while start.elapsed() < Duration::from_secs(2) {
        if let Ok(p) = rx.recv_timeout(Duration::from_millis(50)) {
            passes.push(p);
        }
    }
    drop(w);
    ensure!(!passes.is_empty(), "no pass");
    ensure_eq!(passes[0], (true, 1, None));
    ensure!(
        passes.len() <= 3,
        "{} passes in 2 s: {passes:?}",
        passes.len()
    );
    ensure!(
        passes[1..].iter().all(|p| *p == (true, 0, None)),
        "{passes:?}"
    );
    Ok(())
}

/// Multipath legs that name only their gateway: the kernel picks each
/// leg's link (the one whose address covers the gateway, here an address
/// the same pass adds), and the pass compares the route as the kernel
/// stores it: converged at once, nothing to do the next time. A gateway
/// no address covers is bad input naming it.
fn legs_via_only(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    let mut multi = RouteSpec::new(net("10.63.0.0/24"));
    multi.nexthops = vec![
        LegSpec::via(ip("10.0.0.1")).weight(3),
        LegSpec::via(ip("10.0.0.3")),
    ];
    d.routes.push(multi);
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    let m = ctx.ip(&["route", "show", "10.63.0.0/24"])?;
    ensure!(
        m.contains("via 10.0.0.1 dev v0 weight 3") && m.contains("via 10.0.0.3 dev v0 weight 1"),
        "{m}"
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure!(again.converged && again.applied.is_empty(), "{again:?}");
    // One weight changed: one update.
    d.routes[0].nexthops[1] = LegSpec::via(ip("10.0.0.3")).weight(2);
    let r = pass(&mut ctx.conn, &d, &again.last_applied)?;
    converged(&r)?;
    ensure_eq!(r.applied.len(), 1, "{:?}", r.applied);
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure!(again.converged && again.applied.is_empty(), "{again:?}");
    // Nothing covers 10.9.9.9: refused before anything changes.
    d.routes[0].nexthops.push(LegSpec::via(ip("10.9.9.9")));
    match ctx.conn.reconcile(&d, &again.last_applied) {
        Err(e) => ensure!(e.to_string().contains("10.9.9.9"), "{e}"),
        Ok(r) => return Err(format!("accepted: {r:?}")),
    }
    Ok(())
}

/// C2: every field a spec states reaches the kernel and reads back the
/// same; a second pass applies nothing.
fn c2_fields(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    // A nexthop with a gateway: the kernel reports it on the route too.
    ctx.ip(&["addr", "add", "10.0.0.2/24", "dev", "v0"])?;
    ctx.ip(&["nexthop", "add", "id", "5", "via", "10.0.0.1", "dev", "v0"])?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    d.addresses
        .push(AddrSpec::new("v0", net("2001:db8::2/64")).nodad());
    d.addresses.push(
        AddrSpec::new("v0", net("10.0.7.77/24"))
            .lifetimes(300, 200)
            .metric(7),
    );
    let mut v6via = RouteSpec::new(net("10.60.0.0/24")).dev("v0");
    v6via.via_other_family = Some(ip("2001:db8::1"));
    d.routes.push(v6via);
    let mut nh = RouteSpec::new(net("10.61.0.0/24"));
    nh.nh_id = Some(5);
    d.routes.push(nh);
    let mut onlink = RouteSpec::new(net("10.62.0.0/24"))
        .via(ip("192.0.2.1"))
        .dev("v0");
    onlink.onlink = true;
    d.routes.push(onlink);
    let mut multi = RouteSpec::new(net("10.63.0.0/24"));
    multi.nexthops = vec![
        LegSpec::via(ip("10.0.0.1")).dev("v0").weight(3),
        LegSpec::via(ip("10.0.0.3")).dev("v0"),
    ];
    d.routes.push(multi);
    d.routes.push(
        RouteSpec::new(net("10.64.0.0/24"))
            .via(ip("10.0.0.1"))
            .src(ip("10.0.0.2"))
            .mtu(1400)
            .advmss(1360)
            .metric(20),
    );
    d.routes.push(
        RouteSpec::new(net("2001:db8:65::/64"))
            .via(ip("2001:db8::1"))
            .pref(RoutePref::High),
    );
    d.routes
        .push(RouteSpec::new(net("10.66.0.0/24")).kind(RouteType::BLACKHOLE));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    fn show(ctx: &Ctx, dst: &str) -> Result<String, Failed> {
        ctx.ip(&["route", "show", dst])
    }
    ensure!(
        show(ctx, "10.60.0.0/24")?.contains("via inet6 2001:db8::1"),
        "{}",
        show(ctx, "10.60.0.0/24")?
    );
    ensure!(
        show(ctx, "10.61.0.0/24")?.contains("nhid 5"),
        "{}",
        show(ctx, "10.61.0.0/24")?
    );
    ensure!(
        show(ctx, "10.62.0.0/24")?.contains("onlink"),
        "{}",
        show(ctx, "10.62.0.0/24")?
    );
    let m = show(ctx, "10.63.0.0/24")?;
    ensure!(
        m.contains("via 10.0.0.1 dev v0 weight 3") && m.contains("via 10.0.0.3 dev v0 weight 1"),
        "{m}"
    );
    let p = show(ctx, "10.64.0.0/24")?;
    ensure!(
        p.contains("src 10.0.0.2")
            && p.contains("mtu 1400")
            && p.contains("advmss 1360")
            && p.contains("metric 20"),
        "{p}"
    );
    let six = ctx.ip(&["-6", "route", "show", "2001:db8:65::/64"])?;
    ensure!(six.contains("pref high"), "{six}");
    ensure!(
        show(ctx, "10.66.0.0/24")?.contains("blackhole"),
        "blackhole"
    );
    let a = addr_json(ctx, "-4", "10.0.7.77")?;
    ensure!(
        a["valid_life_time"].as_u64().is_some_and(|v| v <= 300)
            && a["preferred_life_time"].as_u64().is_some_and(|v| v <= 200),
        "{a}"
    );
    ensure!(
        ctx.ip(&["route", "show", "10.0.7.0/24"])?
            .contains("metric 7"),
        "{}",
        ctx.ip(&["route", "show", "10.0.7.0/24"])?
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    // One field changed: the next pass applies exactly that.
    d.routes[4].mtu = Some(1300);
    let one = pass(&mut ctx.conn, &d, &again.last_applied)?;
    converged(&one)?;
    ensure_eq!(summary(&one), vec![(Action::Update, ObjectKind::Route)]);
    ensure!(
        show(ctx, "10.64.0.0/24")?.contains("mtu 1300"),
        "{}",
        show(ctx, "10.64.0.0/24")?
    );
    Ok(())
}

/// A finite lifetime raised in desired state is applied (in place: one
/// update), reads back raised, and the next pass, with the lifetime
/// counting down, applies nothing.
fn raised_lifetimes(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses
        .push(AddrSpec::new("v0", net("10.0.8.8/24")).lifetimes(600, 300));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    d.addresses[0] = AddrSpec::new("v0", net("10.0.8.8/24")).lifetimes(3600, 1800);
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Update, ObjectKind::Address)]);
    let shown = addr_json(ctx, "-4", "10.0.8.8")?;
    let valid = shown["valid_life_time"].as_u64().unwrap_or(0);
    let preferred = shown["preferred_life_time"].as_u64().unwrap_or(0);
    ensure!(valid > 3000 && valid <= 3600, "{shown}");
    ensure!(preferred > 1500 && preferred <= 1800, "{shown}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// M2: the address's connected route, written out in desired state, is
/// present: one pass converges, the next applies nothing.
fn m2_connected(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.9.0.2/24")));
    d.routes.push(RouteSpec::new(net("10.9.0.0/24")).dev("v0"));
    d.routes
        .push(RouteSpec::new(net("10.50.0.0/24")).via(ip("10.9.0.1")));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Create, ObjectKind::Address),
            (Action::Create, ObjectKind::Route),
        ]
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// M3: an IPv6 prefix length change converges (delete, then create).
fn m3_prefix_len(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses
        .push(AddrSpec::new("v0", net("2001:db8:aa::1/48")).nodad());
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    d.addresses[0] = AddrSpec::new("v0", net("2001:db8:aa::1/64")).nodad();
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    let shown = addr_json(ctx, "-6", "2001:db8:aa::1")?;
    ensure_eq!(shown["prefixlen"], 64, "{shown}");
    ensure_eq!(
        r.last_applied
            .addresses
            .iter()
            .map(|a| a.1)
            .collect::<Vec<_>>(),
        vec![net("2001:db8:aa::1/64")]
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// M4: an IPv6 destination written with host bits is the kernel's
/// normalised route.
fn m4_host_bits(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.routes
        .push(RouteSpec::new(net("2001:db8:64::1/64")).dev("v0"));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    ensure!(
        ctx.ip(&["-6", "route", "show", "2001:db8:64::/64"])?
            .contains("dev v0"),
        "route missing"
    );
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// m1 and m2: an invalid label and an IPv4 destination with host bits
/// are bad input, found before the address phase changes anything.
fn m1_m2_bad_input(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut long = Desired::new();
    long.addresses
        .push(AddrSpec::new("v0", net("10.0.0.2/24")).label("v0:this-label-is-too-long"));
    let mut host = Desired::new();
    host.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    host.routes
        .push(RouteSpec::new(net("10.60.0.1/24")).dev("v0"));
    for (d, what) in [(long, "label"), (host, "host bits")] {
        match ctx.conn.reconcile(&d, &LastApplied::new()) {
            Err(Error::Invalid(e)) => ensure!(e.contains(what), "{e}"),
            other => return Err(format!("expected bad input ({what}), got {other:?}")),
        }
    }
    ensure!(
        !ctx.ip(&["addr", "show", "dev", "v0"])?.contains("10.0.0.2"),
        "changed despite bad input"
    );
    Ok(())
}

/// B2: a `proto static` route holds the key of a desired route. The pass
/// names it (and its protocol), is not converged, and still restores a
/// hand-deleted rule; the route through it is not attempted.
fn b2_conflict(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.50.0.2/24")));
    d.routes
        .push(RouteSpec::new(net("10.60.0.0/24")).via(ip("10.50.0.1")));
    d.rules.push(
        RuleSpec::new()
            .from(net("10.50.0.0/24"))
            .table(100)
            .priority(1000),
    );
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    ctx.ip(&["route", "del", "10.60.0.0/24"])?;
    ctx.ip(&[
        "route",
        "add",
        "10.60.0.0/24",
        "via",
        "10.50.0.4",
        "proto",
        "static",
    ])?;
    ctx.ip(&["rule", "del", "priority", "1000"])?;
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    ensure!(!r.converged, "converged with a conflict");
    ensure_eq!(summary(&r), vec![(Action::Create, ObjectKind::Rule)]);
    let e = r.error.as_ref().ok_or("no error")?.to_string();
    ensure!(
        e.contains("10.60.0.0/24") && e.contains("static") && e.contains("10.50.0.4"),
        "{e}"
    );
    ensure!(
        !ctx.ip(&["rule", "show", "priority", "1000"])?
            .trim()
            .is_empty(),
        "the rule was not restored"
    );
    // The foreign route is untouched; once it goes, the next pass converges.
    let shown = ctx.ip(&["route", "show", "10.60.0.0/24"])?;
    ensure!(
        shown.contains("10.50.0.4") && shown.contains("static"),
        "{shown}"
    );
    ctx.ip(&["route", "del", "10.60.0.0/24"])?;
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Create, ObjectKind::Route)]);
    Ok(())
}

/// A route through a desired blackhole nexthop object: the kernel dumps
/// it as `blackhole ... dev lo`; the pass is converged at once and the
/// next applies nothing (found running the example by hand: every pass
/// replaced it and said "did not keep").
fn blackhole_nexthop(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.nexthops.push(NexthopSpec {
        id: 3,
        blackhole: true,
        ..NexthopSpec::default()
    });
    let mut r = RouteSpec::new(net("10.61.1.0/24"));
    r.nh_id = Some(3);
    d.routes.push(r);
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Create, ObjectKind::Nexthop),
            (Action::Create, ObjectKind::Route),
        ]
    );
    let shown = ctx.ip(&["route", "show", "10.61.1.0/24"])?;
    ensure!(shown.contains("nhid 3"), "{shown}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    Ok(())
}

/// A point-to-point address (`peer`): changing its peer recreates it, and
/// dropping it deletes it, each in one pass (found running the example
/// by hand: the delete named the local address as `IFA_ADDRESS`, the
/// kernel found nothing, and every later pass failed).
fn peer_address(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut d = Desired::new();
    d.addresses
        .push(AddrSpec::new("v0", net("10.0.10.2/32")).peer(ip("10.0.10.1")));
    let r = pass(&mut ctx.conn, &d, &LastApplied::new())?;
    converged(&r)?;
    d.addresses[0] = AddrSpec::new("v0", net("10.0.10.2/32")).peer(ip("10.0.10.3"));
    let r = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&r)?;
    ensure_eq!(
        summary(&r),
        vec![
            (Action::Delete, ObjectKind::Address),
            (Action::Create, ObjectKind::Address),
        ]
    );
    let shown = addr_json(ctx, "-4", "10.0.10.2")?;
    ensure_eq!(shown["address"], "10.0.10.3", "{shown}");
    let again = pass(&mut ctx.conn, &d, &r.last_applied)?;
    converged(&again)?;
    ensure_eq!(summary(&again), vec![]);
    let r = pass(&mut ctx.conn, &Desired::new(), &again.last_applied)?;
    converged(&r)?;
    ensure_eq!(summary(&r), vec![(Action::Delete, ObjectKind::Address)]);
    ensure_eq!(addr_json(ctx, "-4", "10.0.10.2")?, Value::Null);
    Ok(())
}
