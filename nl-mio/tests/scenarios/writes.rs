//! The write verbs in a readiness loop: each changes the kernel as the
//! blocking verb does (checked by reading back with the blocking
//! connection), `apply` gives the blocking verb's results, and a refusal
//! (an unknown link, `EEXIST`) is the blocking verb's error.

use super::{run_until_idle, setup};
use mio::Poll;
use nl_mio::{Call, Conn, Error};
use nl_proto::route::AddrFamily;
use nl_proto::route::link::MacvlanMode;
use nl_proto::route::nexthop::NexthopDump;
use nl_proto::tc::{Handle, Mode, Object};
use nl_rustix::{
    AddrSpec, LinkSet, LinkSpec, Mac, NexthopSpec, Op, PrivateNetns, RouteSpec, RuleSpec, Tables,
    TcSpec,
};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::fmt::Debug;
use std::net::IpAddr;

const V4: Option<AddrFamily> = Some(AddrFamily::INET);

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: false,
        run,
    };
    vec![
        s("writes::every_write_verb_changes_the_kernel", every_write),
        s("writes::apply_gives_the_blocking_verbs_results", apply),
        s("writes::refusals_are_the_blocking_verbs_errors", refusals),
        s("writes::veth_peer_created_in_another_namespace", peer_netns),
        s(
            "writes::apply_larger_than_the_send_queue_is_sent_in_parts",
            apply_past_the_queue,
        ),
    ]
}

/// Run the loop until `call` ends; its result.
pub(crate) fn done<T: 'static>(
    poll: &mut Poll,
    conn: &mut Conn,
    start: impl FnOnce(&mut Conn) -> Result<Call<T>, Error>,
) -> Result<Result<T, Error>, Failed> {
    let call = t!(start(conn));
    run_until_idle(poll, conn)?;
    conn.poll_call(&call)
        .ok_or_else(|| "the loop went idle with the call unfinished".to_string())
}

/// Both drivers' results agree: equal values, or the same error.
pub(crate) fn same<T: PartialEq + Debug>(
    what: &str,
    mio: Result<T, Error>,
    blocking: Result<T, Error>,
) -> Result<(), Failed> {
    match (mio, blocking) {
        (Ok(a), Ok(b)) => ensure_eq!(a, b, "{what}"),
        (Err(a), Err(b)) => {
            ensure_eq!(a.errno(), b.errno(), "{what}: errno");
            ensure_eq!(a.kind(), b.kind(), "{what}: kind");
            ensure_eq!(a.to_string(), b.to_string(), "{what}: error");
        }
        (a, b) => return Err(format!("{what}: nl-mio {a:?}, blocking {b:?}")),
    }
    Ok(())
}

fn ip(s: &str) -> Result<IpAddr, Failed> {
    s.parse().map_err(|e| format!("{s}: {e}"))
}

fn mac(s: &str) -> Result<Mac, Failed> {
    s.parse().map_err(|e| format!("{s}: {e:?}"))
}

fn every_write(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let (p, c) = (&mut poll, &mut conn);
    t!(done(p, c, |c| c.create_link(&LinkSpec::veth("va", "vb")))?);
    let set = LinkSet::new().up().mtu(1400);
    t!(done(p, c, |c| c.set_link("va", &set))?);
    t!(done(p, c, |c| c.set_link("vb", &LinkSet::new().up()))?);
    let va = t!(ctx.conn.link("va"));
    ensure_eq!(
        (va.is_up(), va.mtu),
        (true, Some(1400)),
        "va after set_link"
    );
    ensure!(t!(done(p, c, |c| c.link_is_up("va"))?), "link_is_up");
    ensure_eq!(t!(done(p, c, |c| c.link_index("va"))?), va.index);

    t!(done(p, c, |c| c.link_altnames(
        "va",
        &["va-long-name"],
        true
    ))?);
    ensure!(
        t!(ctx.conn.link("va"))
            .altnames
            .iter()
            .any(|n| n.as_str() == "va-long-name"),
        "altname added"
    );

    let addr = AddrSpec::new("va", t!("10.9.0.1/24".parse())).nodad();
    t!(done(p, c, |c| c.add_address(&addr))?);
    t!(done(p, c, |c| c.replace_address(&addr.clone().metric(5)))?);
    let addrs = t!(ctx.conn.addresses_of("va", V4));
    ensure_eq!(
        addrs.len(),
        1,
        "one address after add and replace: {addrs:?}"
    );

    let route = RouteSpec::new(t!("10.77.0.0/16".parse())).via(ip("10.9.0.2")?);
    t!(done(p, c, |c| c.add_route(&route))?);
    t!(done(p, c, |c| c.replace_route(&route.clone().metric(0)))?);
    let routes = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure!(
        routes.iter().any(|r| r.dst.to_string() == "10.77.0.0/16"),
        "route added: {routes:?}"
    );

    let (m1, m2) = (mac("02:00:00:00:00:01")?, mac("02:00:00:00:00:02")?);
    let n9 = ip("10.9.0.9")?;
    t!(done(p, c, |c| c.add_neighbour("va", n9, Some(m1)))?);
    t!(done(p, c, |c| c.replace_neighbour("va", n9, Some(m2)))?);
    let n = t!(ctx.conn.neighbours(V4, Some("va".into())));
    ensure!(
        n.iter().any(|n| n.lladdr == Some(m2)),
        "neighbour replaced: {n:?}"
    );

    let rule = RuleSpec::new().priority(100).table(10);
    t!(done(p, c, |c| c.add_rule(&rule))?);
    let rules = t!(ctx.conn.rules(V4));
    ensure!(
        rules.iter().any(|r| r.priority == Some(100)),
        "rule added: {rules:?}"
    );

    let nh2 = NexthopSpec::via(7, ip("10.9.0.2")?).dev("va");
    let nh3 = NexthopSpec::via(7, ip("10.9.0.3")?).dev("va");
    t!(done(p, c, |c| c.add_nexthop(&nh2))?);
    t!(done(p, c, |c| c.replace_nexthop(&nh3))?);
    let nh = t!(ctx.conn.nexthop(7));
    ensure_eq!(nh.gateway, Some(ip("10.9.0.3")?), "nexthop replaced");

    // The deletes all in flight at once.
    let calls = [
        t!(c.delete_route(&route)),
        t!(c.delete_neighbour("va", ip("10.9.0.9")?)),
        t!(c.delete_rule(&rule)),
        t!(c.delete_nexthop(7)),
        t!(c.delete_address("va", t!("10.9.0.1/24".parse()))),
        t!(c.link_altnames("va", &["va-long-name"], false)),
    ];
    run_until_idle(p, c)?;
    for (i, call) in calls.iter().enumerate() {
        let r = c.poll_call(call).ok_or("a delete did not finish")?;
        ensure!(r.is_ok(), "delete {i}: {r:?}");
    }
    let b = &mut ctx.conn;
    ensure!(
        !t!(b.routes(None, Tables::MAIN))
            .iter()
            .any(|r| r.dst.to_string() == "10.77.0.0/16"),
        "route deleted"
    );
    ensure!(
        t!(b.neighbours(V4, Some("va".into()))).is_empty(),
        "neighbour deleted"
    );
    ensure!(
        !t!(b.rules(V4)).iter().any(|r| r.priority == Some(100)),
        "rule deleted"
    );
    ensure!(
        t!(b.nexthops(&NexthopDump::default())).is_empty(),
        "nexthop deleted"
    );
    ensure!(t!(b.addresses_of("va", V4)).is_empty(), "address deleted");
    ensure!(t!(b.link("va")).altnames.is_empty(), "altname deleted");

    t!(done(p, c, |c| c.delete_link("va"))?);
    let names: Vec<String> = t!(b.links()).iter().map(|l| l.name.to_string()).collect();
    ensure_eq!(names, vec!["lo".to_string()], "veth pair deleted");
    Ok(())
}

/// `va`/`vb` up, `10.9.0.1/24` on `va`.
fn base(conn: &mut nl_rustix::Conn) -> Result<(), Failed> {
    t!(conn.create_link(&LinkSpec::veth("va", "vb").up()));
    t!(conn.set_link("vb", &LinkSet::new().up()));
    t!(conn.add_address(&AddrSpec::new("va", t!("10.9.0.1/24".parse())).nodad()));
    Ok(())
}

fn apply(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    base(&mut ctx.conn)?;
    // The same operations, on the same state, in another namespace, by
    // the blocking verb.
    let other = t!(PrivateNetns::new());
    let mut blocking = t!(nl_rustix::Conn::open_in(&other.netns()));
    t!(blocking.set_link(1u32, &LinkSet::new().up()));
    base(&mut blocking)?;
    let mut ops: Vec<Op> = (0..300u16)
        .map(|i| {
            let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
            Ok(Op::AddRoute(RouteSpec::new(t!(dst.parse())).dev("va")))
        })
        .collect::<Result<_, Failed>>()?;
    ops.insert(
        10,
        Op::AddRoute(RouteSpec::new(t!("10.200.0.0/24".parse())).dev("nosuch0")),
    );
    ops.insert(
        20,
        Op::AddAddress(AddrSpec::new("va", t!("10.9.0.1/24".parse())).nodad()),
    );
    ops.push(Op::AddRoute(
        RouteSpec::new(t!("10.100.0.0/24".parse())).dev("va"),
    ));
    let got = t!(done(&mut poll, &mut conn, |c| c.apply(&ops))?);
    let want = t!(blocking.apply(&ops));
    ensure_eq!(got.len(), ops.len());
    for (i, (g, w)) in got.into_iter().zip(want).enumerate() {
        same(&format!("op {i} ({:?})", ops[i]), g, w)?;
    }
    let mine = t!(ctx.conn.routes(None, Tables::MAIN));
    let theirs = t!(blocking.routes(None, Tables::MAIN));
    ensure_eq!(mine.len(), theirs.len(), "routes in both namespaces");
    ensure!(mine.len() >= 300, "the routes were added: {}", mine.len());
    Ok(())
}

fn refusals(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    base(&mut ctx.conn)?;
    let route = RouteSpec::new(t!("10.77.0.0/16".parse())).via(ip("10.9.0.2")?);
    t!(ctx.conn.add_route(&route));
    t!(ctx
        .conn
        .add_nexthop(&NexthopSpec::via(7, ip("10.9.0.2")?).dev("va")));
    let (p, c) = (&mut poll, &mut conn);
    let b = &mut ctx.conn;
    let dup = AddrSpec::new("va", t!("10.9.0.1/24".parse())).nodad();
    let nowhere = AddrSpec::new("nosuch0", t!("10.9.9.1/24".parse()));
    let via_nowhere = RouteSpec::new(t!("10.78.0.0/16".parse())).dev("nosuch0");
    let missing_link = |r: &Result<(), Error>| matches!(r, Err(Error::NoSuchLink { .. }));
    let exists =
        |r: &Result<(), Error>| r.as_ref().err().and_then(Error::errno) == Some(libc::EEXIST);

    let got = done(p, c, |c| c.add_address(&dup))?;
    ensure!(exists(&got), "add_address twice: {got:?}");
    same("add_address twice", got, b.add_address(&dup))?;
    let got = done(p, c, |c| c.add_address(&nowhere))?;
    ensure!(missing_link(&got), "add_address on nosuch0: {got:?}");
    same("add_address on nosuch0", got, b.add_address(&nowhere))?;
    let got = done(p, c, |c| c.add_route(&route))?;
    ensure!(exists(&got), "add_route twice: {got:?}");
    same("add_route twice", got, b.add_route(&route))?;
    let got = done(p, c, |c| c.add_route(&via_nowhere))?;
    ensure!(missing_link(&got), "add_route dev nosuch0: {got:?}");
    same("add_route dev nosuch0", got, b.add_route(&via_nowhere))?;
    let veth = LinkSpec::veth("va", "vb");
    let got = done(p, c, |c| c.create_link(&veth))?;
    ensure!(exists(&got), "create_link twice: {got:?}");
    same("create_link twice", got, b.create_link(&veth))?;
    let orphan = LinkSpec::macvlan("mv0", "nosuch0", MacvlanMode::BRIDGE);
    let got = done(p, c, |c| c.create_link(&orphan))?;
    ensure!(missing_link(&got), "macvlan on nosuch0: {got:?}");
    same("macvlan on nosuch0", got, b.create_link(&orphan))?;
    let up = LinkSet::new().up();
    let got = done(p, c, |c| c.set_link("nosuch0", &up))?;
    ensure!(missing_link(&got), "set_link nosuch0: {got:?}");
    same("set_link nosuch0", got, b.set_link("nosuch0", &up))?;
    let got = done(p, c, |c| c.delete_link("nosuch0"))?;
    ensure!(missing_link(&got), "delete_link nosuch0: {got:?}");
    same("delete_link nosuch0", got, b.delete_link("nosuch0"))?;
    let n9 = ip("10.9.0.9")?;
    let got = done(p, c, |c| c.add_neighbour("nosuch0", n9, None))?;
    ensure!(missing_link(&got), "add_neighbour nosuch0: {got:?}");
    same(
        "add_neighbour nosuch0",
        got,
        b.add_neighbour("nosuch0", ip("10.9.0.9")?, None),
    )?;
    let nh = NexthopSpec::via(7, ip("10.9.0.2")?).dev("va");
    let got = done(p, c, |c| c.add_nexthop(&nh))?;
    ensure!(exists(&got), "add_nexthop twice: {got:?}");
    same("add_nexthop twice", got, b.add_nexthop(&nh))?;
    let got = done(p, c, |c| c.delete_nexthop(99))?;
    same("delete_nexthop 99", got, b.delete_nexthop(99))?;
    let absent = RuleSpec::new().priority(4242).table(10);
    let got = done(p, c, |c| c.delete_rule(&absent))?;
    ensure!(got.is_err(), "delete_rule absent: {got:?}");
    same("delete_rule absent", got, b.delete_rule(&absent))?;
    let pfifo = TcSpec::new("nosuch0", Handle::ROOT, "pfifo");
    let got = done(p, c, |c| c.tc_new(Object::Qdisc, Mode::Add, &pfifo))?;
    ensure!(missing_link(&got), "tc_new on nosuch0: {got:?}");
    same(
        "tc_new on nosuch0",
        got,
        b.tc_new(Object::Qdisc, Mode::Add, &pfifo),
    )?;
    Ok(())
}

fn peer_netns(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let other = t!(PrivateNetns::new());
    let spec = LinkSpec::veth("veth-h", "eth1").peer_netns(other.netns());
    t!(done(&mut poll, &mut conn, |c| c.create_link(&spec))?);
    let here: Vec<String> = t!(ctx.conn.links())
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    ensure_eq!(here, vec!["lo".to_string(), "veth-h".to_string()]);
    let mut there = t!(nl_rustix::Conn::open_in(&other.netns()));
    let names: Vec<String> = t!(there.links())
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    ensure_eq!(names, vec!["lo".to_string(), "eth1".to_string()]);
    // And moved back by move_link, from here.
    let mut theirs = t!(Conn::open_in(&other.netns()));
    let mut poll2 = t!(Poll::new());
    t!(poll2
        .registry()
        .register(&mut theirs, super::CONN, mio::Interest::READABLE));
    t!(done(&mut poll2, &mut theirs, |c| c
        .move_link("eth1", &ctx.netns()))?);
    let here: Vec<String> = t!(ctx.conn.links())
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    ensure_eq!(
        here,
        vec!["lo".to_string(), "veth-h".to_string(), "eth1".to_string()]
    );
    Ok(())
}

/// A batch whose requests do not all fit the send queue at once: the
/// rest is queued as the loop sends, and every operation has its result.
fn apply_past_the_queue(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    base(&mut ctx.conn)?;
    // Room for a few dozen route requests.
    ensure!(
        conn.pipeline_mut().set_queue_capacity(4096),
        "queue resized"
    );
    let ops: Vec<Op> = (0..500u16)
        .map(|i| {
            let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
            Ok(Op::AddRoute(RouteSpec::new(t!(dst.parse())).dev("va")))
        })
        .collect::<Result<_, Failed>>()?;
    let call = t!(conn.apply(&ops));
    ensure!(
        conn.pipeline().queued() < ops.len(),
        "the queue took only part: {} queued",
        conn.pipeline().queued()
    );
    let got = t!(conn.wait(&mut poll, &call));
    ensure_eq!(got.len(), ops.len());
    ensure!(
        got.iter().all(Result::is_ok),
        "{:?}",
        got.iter().find(|r| r.is_err())
    );
    let routes = t!(ctx.conn.routes(None, Tables::MAIN));
    let ours = routes
        .iter()
        .filter(|r| r.dst.to_string().starts_with("10.10"))
        .count();
    ensure_eq!(ours, ops.len(), "every route in the kernel");
    Ok(())
}
