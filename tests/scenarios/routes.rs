//! `ip route` verbs against the kernel: every option of add, replace,
//! delete, show and get, in IPv4 and IPv6, read back with our verbs and
//! cross-checked with `ip -j route`.

use crate::addrs::{expect_err, ip, jn, js, net, veth};
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::Scope;
use nl_proto::route::route::{Route, RouteProtocol, RouteType, Table};
use nl_rustix::{AddrSpec, Error, RouteSpec, Tables};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: true,
        run,
    };
    vec![
        s("routes::v4_device_via_default_and_get", v4_basic),
        s("routes::v6_default_metric_and_get", v6_basic),
        s("routes::table_proto_metric_scope_src_mtu", options),
        s("routes::types_blackhole_unreachable_prohibit_local", types),
        s("routes::replace_is_idempotent", replace),
        s("routes::errors_name_errno_and_route", errors),
    ]
}

/// v0 with 10.0.0.1/24 and 2001:db8::1/64.
fn addressed(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))));
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("2001:db8::1/64")).nodad()));
    Ok(())
}

fn find<'a>(routes: &'a [Route], dst: &str) -> Result<&'a Route, Failed> {
    let d = net(dst);
    routes
        .iter()
        .find(|r| r.dst == d)
        .ok_or_else(|| format!("route {dst} not found in {routes:?}"))
}

fn find_json<'a>(routes: &'a Value, dst: &str) -> Result<&'a Value, Failed> {
    routes
        .as_array()
        .and_then(|a| a.iter().find(|r| js(r, "dst") == Some(dst)))
        .ok_or_else(|| format!("ip -j: route {dst} not found in {routes}"))
}

fn v4_basic(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    let v0 = t!(ctx.conn.link_index("v0"));
    t!(ctx
        .conn
        .add_route(&RouteSpec::new(net("10.8.0.0/24")).dev("v0")));
    t!(ctx
        .conn
        .add_route(&RouteSpec::new(net("10.9.0.0/24")).via(ip("10.0.0.2"))));
    t!(ctx
        .conn
        .add_route(&RouteSpec::default_v4().via(ip("10.0.0.2")).dev("v0")));

    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    let r = find(&main, "10.8.0.0/24")?;
    ensure_eq!(r.oif, Some(v0));
    ensure_eq!(r.scope, Scope::LINK);
    ensure_eq!(r.protocol, RouteProtocol::BOOT);
    let r = find(&main, "10.9.0.0/24")?;
    ensure_eq!(r.gateway, Some(ip("10.0.0.2")));
    ensure_eq!(r.oif, Some(v0));
    let d = find(&main, "0.0.0.0/0")?;
    ensure!(d.is_default(), "{d:?}");
    ensure_eq!(d.gateway, Some(ip("10.0.0.2")));
    let k = find(&main, "10.0.0.0/24")?;
    ensure_eq!(k.protocol, RouteProtocol::KERNEL);
    ensure_eq!(k.prefsrc, Some(ip("10.0.0.1")));
    ensure!(
        main.iter().all(|r| r.family == AddrFamily::INET),
        "IPv4 only by default"
    );

    let j = ctx.ip_json(&["route", "show"])?;
    ensure_eq!(j.as_array().map(Vec::len), Some(main.len()), "{j}");
    let e = find_json(&j, "default")?;
    ensure_eq!(js(e, "gateway"), Some("10.0.0.2"));
    ensure_eq!(js(e, "dev"), Some("v0"));
    let e = find_json(&j, "10.8.0.0/24")?;
    ensure_eq!(js(e, "scope"), Some("link"));
    let e = find_json(&j, "10.0.0.0/24")?;
    ensure_eq!(js(e, "protocol"), Some("kernel"));
    ensure_eq!(js(e, "prefsrc"), Some("10.0.0.1"));

    // route get: through the gateway, and on-link.
    let g = t!(ctx.conn.route_get(ip("10.9.0.7")));
    ensure_eq!(g.oif, Some(v0));
    ensure_eq!(g.gateway, Some(ip("10.0.0.2")));
    ensure_eq!(g.prefsrc, Some(ip("10.0.0.1")));
    let g = t!(ctx.conn.route_get(ip("10.8.0.5")));
    ensure_eq!(g.gateway, None);
    ensure_eq!(g.oif, Some(v0));
    let j = ctx.ip_json(&["route", "get", "10.9.0.7"])?;
    let e = j.get(0).ok_or("ip -j route get: empty")?;
    ensure_eq!(js(e, "gateway"), Some("10.0.0.2"));
    ensure_eq!(js(e, "dev"), Some("v0"));
    ensure_eq!(js(e, "prefsrc"), Some("10.0.0.1"));

    // Delete them again.
    t!(ctx.conn.delete_route(&RouteSpec::default_v4()));
    t!(ctx.conn.delete_route(&RouteSpec::new(net("10.9.0.0/24"))));
    t!(ctx
        .conn
        .delete_route(&RouteSpec::new(net("10.8.0.0/24")).dev("v0")));
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(main.len(), 1, "only the kernel's prefix route: {main:?}");
    let j = ctx.ip_json(&["route", "show"])?;
    ensure_eq!(j.as_array().map(Vec::len), Some(1), "{j}");
    Ok(())
}

fn v6_basic(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    let v0 = t!(ctx.conn.link_index("v0"));
    t!(ctx
        .conn
        .add_route(&RouteSpec::default_v6().via(ip("2001:db8::2")).dev("v0")));
    t!(ctx
        .conn
        .add_route(&RouteSpec::new(net("2001:db8:5::/64")).dev("v0").metric(10)));
    t!(ctx.conn.add_route(
        &RouteSpec::new(net("2001:db8:6::/64"))
            .via(ip("2001:db8::3"))
            .metric(77)
    ));
    let six = t!(ctx.conn.routes(Some(AddrFamily::INET6), Tables::MAIN));
    let d = find(&six, "::/0")?;
    ensure_eq!(d.gateway, Some(ip("2001:db8::2")));
    ensure_eq!(d.oif, Some(v0));
    ensure_eq!(d.priority, Some(1024), "the kernel's default IPv6 metric");
    ensure_eq!(find(&six, "2001:db8:5::/64")?.priority, Some(10));
    let r = find(&six, "2001:db8:6::/64")?;
    ensure_eq!(r.priority, Some(77));
    ensure_eq!(r.gateway, Some(ip("2001:db8::3")));
    ensure_eq!(r.oif, Some(v0));

    let j = ctx.ip_json(&["-6", "route", "show"])?;
    let e = find_json(&j, "default")?;
    ensure_eq!(js(e, "gateway"), Some("2001:db8::2"));
    ensure_eq!(jn(e, "metric"), Some(1024));
    ensure_eq!(jn(find_json(&j, "2001:db8:5::/64")?, "metric"), Some(10));
    ensure_eq!(
        js(find_json(&j, "2001:db8:6::/64")?, "gateway"),
        Some("2001:db8::3")
    );

    let g = t!(ctx.conn.route_get(ip("2001:db8:7::1")));
    ensure_eq!(g.gateway, Some(ip("2001:db8::2")));
    ensure_eq!(g.oif, Some(v0));
    ensure_eq!(g.prefsrc, Some(ip("2001:db8::1")));
    let g = t!(ctx.conn.route_get(ip("2001:db8::9")));
    ensure_eq!(g.gateway, None);
    let j = ctx.ip_json(&["route", "get", "2001:db8:7::1"])?;
    let e = j.get(0).ok_or("ip -j route get: empty")?;
    ensure_eq!(js(e, "gateway"), Some("2001:db8::2"));
    ensure_eq!(js(e, "prefsrc"), Some("2001:db8::1"));

    t!(ctx.conn.delete_route(&RouteSpec::default_v6()));
    let six = t!(ctx.conn.routes(Some(AddrFamily::INET6), Tables::MAIN));
    ensure!(six.iter().all(|r| !r.is_default()), "{six:?}");
    Ok(())
}

fn options(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    // A table above 255 travels in RTA_TABLE.
    t!(ctx.conn.add_route(
        &RouteSpec::new(net("10.9.0.0/24"))
            .via(ip("10.0.0.2"))
            .table(1000)
            .protocol(RouteProtocol::parse("static").unwrap())
            .metric(5)
    ));
    t!(ctx.conn.add_route(
        &RouteSpec::new(net("10.10.0.0/24"))
            .dev("v0")
            .table(100)
            .protocol(RouteProtocol::parse("42").unwrap())
            .scope(Scope::HOST)
            .src(ip("10.0.0.1"))
            .mtu(1300)
    ));
    t!(ctx.conn.add_route(
        &RouteSpec::new(net("2001:db8:9::/64"))
            .dev("v0")
            .table(1000)
            .protocol(RouteProtocol::STATIC)
            .metric(33)
            .mtu(1400)
    ));
    let t1000 = t!(ctx.conn.routes(None, Tables::Id(1000)));
    ensure_eq!(t1000.len(), 1, "{t1000:?}");
    let r = &t1000[0];
    ensure_eq!(r.table, 1000);
    ensure_eq!(r.protocol, RouteProtocol::STATIC);
    ensure_eq!(r.priority, Some(5));
    let t100 = t!(ctx.conn.routes(None, Tables::Id(100)));
    let r = find(&t100, "10.10.0.0/24")?;
    ensure_eq!(r.protocol, RouteProtocol::BABEL);
    ensure_eq!(r.protocol.0, 42);
    ensure_eq!(r.scope, Scope::HOST);
    ensure_eq!(r.prefsrc, Some(ip("10.0.0.1")));
    ensure_eq!(r.mtu, Some(1300));
    let six = t!(ctx.conn.routes(Some(AddrFamily::INET6), Tables::Id(1000)));
    let r = find(&six, "2001:db8:9::/64")?;
    ensure_eq!(r.priority, Some(33));
    ensure_eq!(r.mtu, Some(1400));
    ensure_eq!(r.table, 1000);
    // Not in main.
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure!(main.iter().all(|r| r.dst != net("10.9.0.0/24")), "{main:?}");

    let j = ctx.ip_json(&["route", "show", "table", "1000"])?;
    let e = find_json(&j, "10.9.0.0/24")?;
    ensure_eq!(js(e, "protocol"), Some("static"));
    ensure_eq!(jn(e, "metric"), Some(5));
    ensure_eq!(js(e, "gateway"), Some("10.0.0.2"));
    let j = ctx.ip_json(&["route", "show", "table", "all"])?;
    let e = find_json(&j, "10.10.0.0/24")?;
    ensure_eq!(js(e, "table"), Some("100"));
    ensure_eq!(js(e, "protocol"), Some("babel"));
    ensure_eq!(js(e, "scope"), Some("host"));
    ensure_eq!(js(e, "prefsrc"), Some("10.0.0.1"));
    ensure_eq!(
        e.pointer("/metrics/0/mtu").and_then(Value::as_u64),
        Some(1300)
    );
    let e = find_json(&j, "2001:db8:9::/64")?;
    ensure_eq!(js(e, "table"), Some("1000"));
    ensure_eq!(jn(e, "metric"), Some(33));

    // Table-all listing through our verb sees all three.
    let all4 = t!(ctx.conn.routes(None, Tables::All));
    find(&all4, "10.9.0.0/24")?;
    find(&all4, "10.10.0.0/24")?;
    // Deleting needs the table.
    expect_err(
        ctx.conn.delete_route(&RouteSpec::new(net("10.9.0.0/24"))),
        3,
        "netlink ESRCH (3): no such route to 10.9.0.0/24",
    )?;
    t!(ctx
        .conn
        .delete_route(&RouteSpec::new(net("10.9.0.0/24")).table(1000)));
    ensure!(
        t!(ctx.conn.routes(None, Tables::Id(1000))).is_empty(),
        "table 1000 is empty"
    );
    Ok(())
}

fn types(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    let c = &mut ctx.conn;
    t!(c.add_route(&RouteSpec::new(net("10.7.0.0/16")).kind(RouteType::BLACKHOLE)));
    t!(c.add_route(&RouteSpec::new(net("10.8.0.0/16")).kind(RouteType::UNREACHABLE)));
    t!(c.add_route(&RouteSpec::new(net("10.6.0.0/16")).kind(RouteType::PROHIBIT)));
    t!(c.add_route(
        &RouteSpec::new(net("10.5.0.1/32"))
            .kind(RouteType::LOCAL)
            .dev("v0")
    ));
    t!(c.add_route(&RouteSpec::new(net("2001:db8:7::/48")).kind(RouteType::BLACKHOLE)));
    t!(c.add_route(&RouteSpec::new(net("2001:db8:8::/48")).kind(RouteType::PROHIBIT)));

    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(find(&main, "10.7.0.0/16")?.kind, RouteType::BLACKHOLE);
    ensure_eq!(find(&main, "10.8.0.0/16")?.kind, RouteType::UNREACHABLE);
    ensure_eq!(find(&main, "10.6.0.0/16")?.kind, RouteType::PROHIBIT);
    let local = t!(ctx.conn.routes(None, Tables::Id(Table::LOCAL.0)));
    let l = find(&local, "10.5.0.1/32")?;
    ensure_eq!(l.kind, RouteType::LOCAL);
    ensure_eq!(l.scope, Scope::HOST);
    let six = t!(ctx.conn.routes(Some(AddrFamily::INET6), Tables::MAIN));
    ensure_eq!(find(&six, "2001:db8:7::/48")?.kind, RouteType::BLACKHOLE);
    ensure_eq!(find(&six, "2001:db8:8::/48")?.kind, RouteType::PROHIBIT);

    let j = ctx.ip_json(&["route", "show", "table", "all"])?;
    for (dst, ty) in [
        ("10.7.0.0/16", "blackhole"),
        ("10.8.0.0/16", "unreachable"),
        ("10.6.0.0/16", "prohibit"),
        ("10.5.0.1", "local"),
        ("2001:db8:7::/48", "blackhole"),
        ("2001:db8:8::/48", "prohibit"),
    ] {
        ensure_eq!(js(find_json(&j, dst)?, "type"), Some(ty), "{dst}");
    }
    ensure_eq!(js(find_json(&j, "10.5.0.1")?, "table"), Some("local"));

    // A lookup into a blackhole is refused by the kernel.
    let e = ctx.conn.route_get(ip("10.6.1.1")).err();
    ensure!(
        e.as_ref().and_then(Error::errno) == Some(13),
        "prohibit → EACCES: {e:?}"
    );

    t!(ctx
        .conn
        .delete_route(&RouteSpec::new(net("10.7.0.0/16")).kind(RouteType::BLACKHOLE)));
    t!(ctx
        .conn
        .delete_route(&RouteSpec::new(net("2001:db8:7::/48"))));
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure!(find(&main, "10.7.0.0/16").is_err(), "deleted");
    Ok(())
}

fn replace(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    let spec = RouteSpec::new(net("10.9.0.0/24")).via(ip("10.0.0.2"));
    t!(ctx.conn.replace_route(&spec));
    t!(ctx.conn.replace_route(&spec));
    let count = |routes: &[Route], d: &str| routes.iter().filter(|r| r.dst == net(d)).count();
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(count(&main, "10.9.0.0/24"), 1, "{main:?}");
    // Replace changes the route in place.
    t!(ctx
        .conn
        .replace_route(&RouteSpec::new(net("10.9.0.0/24")).via(ip("10.0.0.3"))));
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(count(&main, "10.9.0.0/24"), 1);
    ensure_eq!(find(&main, "10.9.0.0/24")?.gateway, Some(ip("10.0.0.3")));
    let j = ctx.ip_json(&["route", "show"])?;
    ensure_eq!(
        js(find_json(&j, "10.9.0.0/24")?, "gateway"),
        Some("10.0.0.3")
    );
    // The same in IPv6, and a default route.
    let d6 = RouteSpec::default_v6().via(ip("2001:db8::2")).dev("v0");
    t!(ctx.conn.replace_route(&d6));
    t!(ctx.conn.replace_route(&d6));
    let d4 = RouteSpec::default_v4().via(ip("10.0.0.2"));
    t!(ctx.conn.replace_route(&d4));
    t!(ctx.conn.replace_route(&d4));
    let six = t!(ctx.conn.routes(Some(AddrFamily::INET6), Tables::MAIN));
    ensure_eq!(count(&six, "::/0"), 1, "{six:?}");
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(count(&main, "0.0.0.0/0"), 1, "{main:?}");
    let j = ctx.ip_json(&["-6", "route", "show"])?;
    let n = j.as_array().map_or(0, |a| {
        a.iter().filter(|r| js(r, "dst") == Some("default")).count()
    });
    ensure_eq!(n, 1, "{j}");
    Ok(())
}

fn errors(ctx: &mut Ctx) -> Result<(), Failed> {
    addressed(ctx)?;
    let spec = RouteSpec::new(net("10.9.0.0/24")).via(ip("10.0.0.2"));
    t!(ctx.conn.add_route(&spec));
    expect_err(
        ctx.conn.add_route(&spec),
        17,
        "netlink EEXIST (17): route to 10.9.0.0/24 already exists",
    )?;
    let e = ctx
        .conn
        .add_route(&RouteSpec::new(net("10.8.0.0/24")).via(ip("10.5.0.2")))
        .err();
    ensure_eq!(e.as_ref().and_then(Error::errno), Some(101), "{e:?}");
    ensure_eq!(
        e.as_ref().and_then(Error::kernel_message),
        Some("Nexthop has invalid gateway")
    );
    ensure_eq!(
        e.map(|e| e.to_string()).unwrap_or_default(),
        "netlink ENETUNREACH (101): Nexthop has invalid gateway (gateway 10.5.0.2 is unreachable)"
    );
    expect_err(
        ctx.conn.delete_route(&RouteSpec::new(net("10.99.0.0/24"))),
        3,
        "netlink ESRCH (3): no such route to 10.99.0.0/24",
    )?;
    let e = ctx
        .conn
        .delete_route(&RouteSpec::new(net("2001:db8:99::/64")))
        .err();
    ensure_eq!(e.as_ref().and_then(Error::errno), Some(3), "{e:?}");
    // Wrong-family gateway: refused before anything is sent.
    let e = ctx
        .conn
        .add_route(&RouteSpec::new(net("10.4.0.0/24")).via(ip("2001:db8::2")))
        .err();
    ensure!(matches!(e, Some(Error::Invalid(_))), "{e:?}");
    let e = ctx
        .conn
        .add_route(&RouteSpec::new(net("2001:db8:4::/64")).src(ip("10.0.0.1")))
        .err();
    ensure!(matches!(e, Some(Error::Invalid(_))), "{e:?}");
    let all = t!(ctx.conn.routes(Some(AddrFamily::UNSPEC), Tables::All));
    ensure!(
        all.iter()
            .all(|r| r.dst != net("10.4.0.0/24") && r.dst != net("2001:db8:4::/64")),
        "no route appeared: {all:?}"
    );
    expect_err(
        ctx.conn
            .add_route(&RouteSpec::new(net("10.3.0.0/24")).dev("nope0")),
        19,
        "netlink ENODEV (19): no such interface \"nope0\"",
    )?;
    let e = ctx.conn.route_get(ip("10.200.0.1")).err();
    ensure_eq!(
        e.as_ref().and_then(Error::errno),
        Some(101),
        "no default route: {e:?}"
    );
    // iproute2 agrees that only one 10.9 route exists.
    let j = ctx.ip_json(&["route", "show"])?;
    ensure_eq!(
        j.as_array().map(|a| a
            .iter()
            .filter(|r| js(r, "dst") == Some("10.9.0.0/24"))
            .count()),
        Some(1)
    );
    Ok(())
}
