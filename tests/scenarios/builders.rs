//! What a new user reached for: a veth whose peer is born in another
//! namespace, a private namespace with a name `ip -n` finds, and a
//! gateway of the other family.

use nl_rustix::{Conn, ErrorKind, LinkSpec, Netns, PrivateNetns, RouteSpec, Tables};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::os::unix::fs::MetadataExt;
use std::process::Command;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "builders::veth_peer_created_in_another_namespace",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: veth_peer_netns,
        },
        Scenario {
            name: "builders::named_private_netns_is_what_ip_n_finds",
            needs_kinds: &["bridge"],
            needs_ip: true,
            run: named_private_netns,
        },
        Scenario {
            name: "builders::route_via_other_family_is_rta_via",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: via_other_family,
        },
    ]
}

fn names(conn: &mut Conn) -> Result<Vec<String>, Failed> {
    Ok(t!(conn.links())
        .iter()
        .map(|l| l.name.as_str().to_string())
        .collect())
}

fn veth_peer_netns(ctx: &mut Ctx) -> Result<(), Failed> {
    let other = t!(PrivateNetns::new());
    let mut there = t!(Conn::open_in(&other.netns()));
    t!(ctx
        .conn
        .create_link(&LinkSpec::veth("veth-h", "eth1").peer_netns(other.netns())));
    let here = names(&mut ctx.conn)?;
    ensure!(
        here.contains(&"veth-h".to_string()) && !here.contains(&"eth1".to_string()),
        "here: {here:?}"
    );
    let peer = t!(there.link("eth1"));
    let host = t!(ctx.conn.link("veth-h"));
    // Each end names the other as its peer.
    ensure_eq!(peer.link, Some(host.index), "{peer:?}");
    ensure_eq!(host.link, Some(peer.index), "{host:?}");
    // The builder means nothing for kinds without a peer.
    let bridge = LinkSpec::bridge("br0").peer_netns(other.netns());
    t!(ctx.conn.create_link(&bridge));
    ensure!(
        names(&mut ctx.conn)?.contains(&"br0".to_string()),
        "br0 here"
    );
    ensure!(
        !names(&mut there)?.contains(&"br0".to_string()),
        "br0 there"
    );
    Ok(())
}

/// A named private namespace is what `ip -n NAME` reaches, and its name
/// goes with the last handle.
pub(crate) fn named_private_netns(_ctx: &mut Ctx) -> Result<(), Failed> {
    let name = format!("nl-test-{}-named", std::process::id());
    let run_path = std::path::Path::new(nl_rustix::NETNS_RUN_DIR).join(&name);
    let ns = t!(PrivateNetns::named(&name));
    ensure_eq!(ns.name(), Some(name.as_str()));
    let mut conn = t!(Conn::open_in(&Netns::Named(name.clone())));
    t!(conn.create_link(&LinkSpec::bridge("br7")));
    // iproute2 finds it by name, and sees the same namespace.
    let out = Command::new("ip")
        .args(["-n", &name, "-br", "link", "show", "br7"])
        .output()
        .map_err(|e| format!("ip: {e}"))?;
    ensure!(
        out.status.success(),
        "ip -n {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    ensure!(
        String::from_utf8_lossy(&out.stdout).starts_with("br7 "),
        "ip -n {name}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    ensure_eq!(
        t!(std::fs::metadata(&run_path)).ino(),
        t!(std::fs::metadata(ns.path())).ino(),
        "the name is a mount of the namespace"
    );
    // A name in use is refused, and the first stays.
    let e = PrivateNetns::named(&name).err().ok_or("named twice")?;
    ensure_eq!(e.kind(), ErrorKind::Exists, "{e}");
    ensure!(run_path.exists(), "the refusal removed the first name");
    // A clone keeps the name; the last handle takes it.
    let clone = ns.clone();
    drop(ns);
    ensure!(run_path.exists(), "the name went with a clone still alive");
    drop(clone);
    ensure!(!run_path.exists(), "{} is left", run_path.display());
    let out = Command::new("ip")
        .args(["-n", &name, "link"])
        .output()
        .map_err(|e| format!("ip: {e}"))?;
    ensure!(!out.status.success(), "ip -n {name} still works");
    // The namespace lives on while a socket is in it.
    ensure!(
        t!(conn.link("br7")).index > 0,
        "the namespace went with its name"
    );
    Ok(())
}

fn via_other_family(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("v0", "v1").up()));
    t!(ctx.conn.set_link("v1", &nl_rustix::LinkSet::new().up()));
    let dst = "10.4.0.0/24".parse().map_err(|e| format!("{e}"))?;
    let gw = "fe80::1".parse().map_err(|e| format!("{e}"))?;
    // The builders say which family they take; the other is refused
    // before anything is sent.
    let e = ctx
        .conn
        .add_route(&RouteSpec::new(dst).via(gw).dev("v0"))
        .err()
        .ok_or("via with an IPv6 gateway on an IPv4 route")?;
    ensure_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    let e = ctx
        .conn
        .add_route(
            &RouteSpec::new(dst)
                .via_other_family("10.0.0.1".parse().map_err(|e| format!("{e}"))?)
                .dev("v0"),
        )
        .err()
        .ok_or("via_other_family with an IPv4 gateway on an IPv4 route")?;
    ensure_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    t!(ctx
        .conn
        .add_route(&RouteSpec::new(dst).via_other_family(gw).dev("v0")));
    let shown = ctx.ip(&["route", "show", "10.4.0.0/24"])?;
    ensure!(
        shown.starts_with("10.4.0.0/24 via inet6 fe80::1 dev v0"),
        "ip route: {shown}"
    );
    let routes = t!(ctx.conn.routes(None, Tables::MAIN));
    let r = routes
        .iter()
        .find(|r| r.dst == dst)
        .ok_or(format!("no route to {dst}: {routes:?}"))?;
    ensure_eq!(r.gateway, Some(gw));
    // A spec made from the route states the gateway the same way.
    let spec = RouteSpec::from(r);
    ensure_eq!((spec.gateway, spec.via_other_family), (None, Some(gw)));
    t!(ctx.conn.delete_route(&spec));
    Ok(())
}
