//! `ip neigh` verbs against the kernel: add, replace, delete, show, ARP
//! and NDP, cross-checked with `ip -j neigh`.

use crate::addrs::{expect_err, ip, js, net, veth};
use nl_proto::route::AddrFamily;
use nl_proto::route::neigh::{Neighbour, NudState};
use nl_proto::values::Mac;
use nl_rustix::{AddrSpec, LinkId};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "neighs::add_replace_delete_v4_v6",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: lifecycle,
        },
        Scenario {
            name: "neighs::errors_name_errno_and_entry",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: errors,
        },
    ]
}

fn mac(s: &str) -> Mac {
    s.parse().expect("test mac")
}

fn permanent(c: &mut nl_rustix::Conn) -> Result<Vec<Neighbour>, Failed> {
    Ok(t!(c.neighbours(None, Some(LinkId::from("v0"))))
        .into_iter()
        .filter(|n| n.state.contains(NudState::PERMANENT))
        .collect())
}

fn ip_permanent(ctx: &Ctx) -> Result<Vec<Value>, Failed> {
    let j = ctx.ip_json(&["neigh", "show", "dev", "v0", "nud", "permanent"])?;
    Ok(j.as_array().cloned().unwrap_or_default())
}

fn lifecycle(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))));
    let v0 = t!(ctx.conn.link_index("v0"));
    t!(ctx
        .conn
        .add_neighbour("v0", ip("10.0.0.2"), Some(mac("02:00:00:00:00:02"))));
    t!(ctx
        .conn
        .add_neighbour("v0", ip("2001:db8::2"), Some(mac("02:00:00:00:00:03"))));
    let ours = permanent(&mut ctx.conn)?;
    ensure_eq!(ours.len(), 2, "{ours:?}");
    let n4 = ours
        .iter()
        .find(|n| n.dst == Some(ip("10.0.0.2")))
        .ok_or("v4 entry")?;
    ensure_eq!(n4.family, AddrFamily::INET);
    ensure_eq!(n4.index, v0);
    ensure_eq!(n4.lladdr, Some(mac("02:00:00:00:00:02")));
    let n6 = ours
        .iter()
        .find(|n| n.dst == Some(ip("2001:db8::2")))
        .ok_or("v6 entry")?;
    ensure_eq!(n6.family, AddrFamily::INET6);
    ensure_eq!(n6.lladdr, Some(mac("02:00:00:00:00:03")));
    // Family filter.
    let only6 = t!(ctx.conn.neighbours(Some(AddrFamily::INET6), None));
    ensure!(
        only6.iter().all(|n| n.family == AddrFamily::INET6),
        "{only6:?}"
    );

    let j = ctx.ip_json(&["neigh"])?;
    let e = j
        .as_array()
        .and_then(|a| a.iter().find(|e| js(e, "dst") == Some("10.0.0.2")))
        .ok_or_else(|| format!("ip -j neigh: {j}"))?;
    ensure_eq!(js(e, "dev"), Some("v0"));
    ensure_eq!(js(e, "lladdr"), Some("02:00:00:00:00:02"));
    ensure_eq!(e.get("state"), Some(&serde_json::json!(["PERMANENT"])));
    ensure_eq!(ip_permanent(ctx)?.len(), 2);

    // replace: updates the MAC, and creates when missing.
    t!(ctx
        .conn
        .replace_neighbour("v0", ip("10.0.0.2"), Some(mac("02:00:00:00:00:22"))));
    t!(ctx
        .conn
        .replace_neighbour("v0", ip("10.0.0.3"), Some(mac("02:00:00:00:00:33"))));
    let ours = permanent(&mut ctx.conn)?;
    ensure_eq!(ours.len(), 3, "{ours:?}");
    ensure_eq!(
        ours.iter()
            .find(|n| n.dst == Some(ip("10.0.0.2")))
            .and_then(|n| n.lladdr),
        Some(mac("02:00:00:00:00:22"))
    );
    let j = ip_permanent(ctx)?;
    ensure!(
        j.iter()
            .any(|e| js(e, "dst") == Some("10.0.0.2")
                && js(e, "lladdr") == Some("02:00:00:00:00:22")),
        "{j:?}"
    );

    for d in ["10.0.0.2", "10.0.0.3", "2001:db8::2"] {
        t!(ctx.conn.delete_neighbour("v0", ip(d)));
    }
    ensure!(permanent(&mut ctx.conn)?.is_empty(), "all deleted");
    ensure!(ip_permanent(ctx)?.is_empty(), "ip agrees");
    Ok(())
}

fn errors(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    expect_err(
        ctx.conn.delete_neighbour("v0", ip("10.0.0.9")),
        2,
        "netlink ENOENT (2): no neighbour 10.0.0.9 on \"v0\"",
    )?;
    let e = ctx.conn.delete_neighbour("v0", ip("2001:db8::9")).err();
    ensure_eq!(
        e.as_ref().and_then(nl_rustix::Error::errno),
        Some(2),
        "{e:?}"
    );
    t!(ctx
        .conn
        .add_neighbour("v0", ip("10.0.0.9"), Some(mac("02:00:00:00:00:09"))));
    expect_err(
        ctx.conn
            .add_neighbour("v0", ip("10.0.0.9"), Some(mac("02:00:00:00:00:09"))),
        17,
        "netlink EEXIST (17): neighbour 10.0.0.9 already exists on \"v0\"",
    )?;
    expect_err(
        ctx.conn
            .add_neighbour("nope0", ip("10.0.0.8"), Some(mac("02:00:00:00:00:08"))),
        19,
        "netlink ENODEV (19): no such interface \"nope0\"",
    )?;
    expect_err(
        ctx.conn.neighbours(None, Some(LinkId::from("nope0"))),
        19,
        "netlink ENODEV (19): no such interface \"nope0\"",
    )?;
    Ok(())
}
