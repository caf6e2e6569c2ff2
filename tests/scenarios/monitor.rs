//! Monitors (issue 7): every kind of change arrives typed and equal to
//! what a dump returns for the same object; groups above 31 are
//! notifications; a storm overflows a small queue, the monitor says so and
//! keeps going, and a re-list matches the kernel.

use crate::addrs::{ip, net};
use nl_proto::route::change::Change;
use nl_proto::route::nexthop::{self, Nexthop};
use nl_proto::route::route::{self as rt, NewRoute, Route, RouteMode};
use nl_proto::route::{AddrFamily, Group};
use nl_rustix::monitor::{Event, Monitor, OwnedEvent, Snapshot};
use nl_rustix::{AddrSpec, LinkSpec, RouteSpec, RuleSpec, Tables, encoder};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::collections::BTreeMap;
use std::time::Duration;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "monitor::links_new_and_deleted_equal_the_dump",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: links,
        },
        Scenario {
            name: "monitor::addresses_v4_v6_equal_the_dump",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: addresses,
        },
        Scenario {
            name: "monitor::routes_v4_v6_equal_the_dump",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: routes,
        },
        Scenario {
            name: "monitor::neighbours_and_rules_equal_the_dump",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: neighbours_and_rules,
        },
        Scenario {
            name: "monitor::groups_above_31_are_notifications",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: groups_above_31,
        },
        Scenario {
            name: "monitor::example_ip_monitor_prints_as_iproute2",
            needs_kinds: &["veth", "bridge"],
            needs_ip: true,
            run: example_side_by_side,
        },
        Scenario {
            name: "monitor::storm_resync_then_keeps_delivering",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: storm,
        },
    ]
}

/// How long the kernel may stay quiet before a drain ends.
const QUIET: Duration = Duration::from_millis(300);

fn monitor(ctx: &Ctx, groups: &[Group]) -> Result<Monitor, Failed> {
    let mut m = t!(Monitor::route(&ctx.netns(), groups));
    t!(m.set_timeout(Some(QUIET)));
    Ok(m)
}

/// Every event until the kernel has been quiet for [`QUIET`].
fn drain(m: &mut Monitor) -> Result<Vec<OwnedEvent>, Failed> {
    let events: Result<Vec<_>, _> = m.iter().collect();
    Ok(t!(events))
}

/// The changes among `events` (a resync here would be a failure: these
/// tests make a handful of changes).
fn changes(events: Vec<OwnedEvent>) -> Result<Vec<Change<'static>>, Failed> {
    let mut out = Vec::new();
    for e in events {
        match e {
            OwnedEvent::Change { change, .. } => out.push(change),
            OwnedEvent::ResyncNeeded => return Err("unexpected resync".into()),
            _ => {}
        }
    }
    Ok(out)
}

/// The last change that `pick` selects.
fn last<T>(changes: &[Change<'static>], pick: impl Fn(&Change<'static>) -> Option<T>) -> Option<T> {
    changes.iter().rev().find_map(pick)
}

fn links(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut m = monitor(ctx, &[Group::LINK])?;
    t!(ctx.conn.create_link(&LinkSpec::veth("m0", "m1")));
    let got = changes(drain(&mut m)?)?;
    let dump = t!(ctx.conn.links());
    for name in ["m0", "m1"] {
        let event = last(&got, |c| match c {
            Change::NewLink(l) if l.name.as_str() == name => Some(l.clone()),
            _ => None,
        });
        let mut dumped = dump.iter().find(|l| l.name.as_str() == name).cloned();
        ensure!(event.is_some(), "no NewLink for {name} in {got:?}");
        if name == "m1" {
            // The kernel creates (and announces) the peer first, when m0
            // does not exist yet: its IFLA_LINK then is 0, and no later
            // announcement updates it. The rest is as the dump has it.
            ensure_eq!(event.as_ref().and_then(|l| l.link), Some(0));
            if let Some(d) = dumped.as_mut() {
                d.link = Some(0);
            }
        }
        ensure_eq!(event, dumped, "{name}: event vs dump");
    }

    let before = t!(ctx.conn.link("m0"));
    t!(ctx.conn.delete_link("m0"));
    let got = changes(drain(&mut m)?)?;
    // Deleting one end of a veth deletes both.
    for name in ["m0", "m1"] {
        ensure!(
            got.iter()
                .any(|c| matches!(c, Change::DelLink(l) if l.name.as_str() == name)),
            "no DelLink for {name} in {got:?}"
        );
    }
    let Some(gone) = last(&got, |c| match c {
        Change::DelLink(l) if l.name.as_str() == "m0" => Some(l.clone()),
        _ => None,
    }) else {
        return Err("no DelLink m0".into());
    };
    // The kernel announces a deleted link without its statistics and
    // queue details; what identifies it is as the dump had it.
    ensure_eq!(
        (gone.index, &gone.name, gone.mac, &gone.kind, gone.mtu),
        (
            before.index,
            &before.name,
            before.mac,
            &before.kind,
            before.mtu
        )
    );
    ensure!(
        t!(ctx.conn.links()).iter().all(|l| l.index != gone.index),
        "m0 still listed"
    );
    Ok(())
}

/// A veth pair `v0`/`v1`, both up (the kernel's own changes on the way
/// are drained by the callers).
fn veth_up(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("v0", "v1").up()));
    t!(ctx.conn.set_link("v1", &nl_rustix::LinkSet::new().up()));
    Ok(())
}

fn addresses(ctx: &mut Ctx) -> Result<(), Failed> {
    veth_up(ctx)?;
    let mut m = monitor(ctx, &[Group::IPV4_IFADDR, Group::IPV6_IFADDR])?;
    drain(&mut m)?;
    for prefix in ["10.1.0.1/24", "2001:db8::1/64"] {
        let p = net(prefix);
        t!(ctx.conn.add_address(&AddrSpec::new("v0", p).nodad()));
        let got = changes(drain(&mut m)?)?;
        let event = last(&got, |c| match c {
            Change::NewAddress(a) if a.prefix() == p => Some(a.clone()),
            _ => None,
        });
        let dumped = t!(ctx.conn.addresses(None))
            .into_iter()
            .find(|a| a.prefix() == p);
        ensure!(event.is_some(), "no NewAddress {prefix} in {got:?}");
        ensure_eq!(event, dumped, "{prefix}: event vs dump");

        t!(ctx.conn.delete_address("v0", p));
        let got = changes(drain(&mut m)?)?;
        let gone = last(&got, |c| match c {
            Change::DelAddress(a) if a.prefix() == p => Some(a.clone()),
            _ => None,
        });
        // As announced on deletion, the address is the one the dump had.
        ensure_eq!(gone, dumped, "{prefix}: deletion vs dump");
    }
    Ok(())
}

fn routes(ctx: &mut Ctx) -> Result<(), Failed> {
    veth_up(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.1.0.1/24"))));
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("2001:db8::1/64")).nodad()));
    let mut m = monitor(ctx, &[Group::IPV4_ROUTE, Group::IPV6_ROUTE])?;
    drain(&mut m)?;
    for (family, dst, gw) in [
        (AddrFamily::INET, "10.2.0.0/16", "10.1.0.2"),
        (AddrFamily::INET6, "2001:db8:1::/48", "2001:db8::2"),
    ] {
        let d = net(dst);
        t!(ctx.conn.add_route(&RouteSpec::new(d).via(ip(gw))));
        let got = changes(drain(&mut m)?)?;
        let event = last(&got, |c| match c {
            Change::NewRoute(r) if r.dst == d => Some(r.clone()),
            _ => None,
        });
        let dumped = t!(ctx.conn.routes(Some(family), Tables::MAIN))
            .into_iter()
            .find(|r| r.dst == d);
        ensure!(event.is_some(), "no NewRoute {dst} in {got:?}");
        ensure_eq!(event, dumped, "{dst}: event vs dump");

        t!(ctx.conn.delete_route(&RouteSpec::new(d).via(ip(gw))));
        let got = changes(drain(&mut m)?)?;
        let gone = last(&got, |c| match c {
            Change::DelRoute(r) if r.dst == d => Some(r.clone()),
            _ => None,
        });
        ensure_eq!(gone, dumped, "{dst}: deletion vs dump");
    }
    Ok(())
}

fn neighbours_and_rules(ctx: &mut Ctx) -> Result<(), Failed> {
    veth_up(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.1.0.1/24"))));
    let mut m = monitor(ctx, &[Group::NEIGH, Group::IPV4_RULE, Group::IPV6_RULE])?;
    drain(&mut m)?;

    let dst = ip("10.1.0.9");
    let mac = "02:00:00:00:00:09".parse().map_err(|e| format!("{e}"))?;
    t!(ctx.conn.add_neighbour("v0", dst, Some(mac)));
    let got = changes(drain(&mut m)?)?;
    let event = last(&got, |c| match c {
        Change::NewNeighbour(n) if n.dst == Some(dst) => Some(n.clone()),
        _ => None,
    });
    let dumped = t!(ctx.conn.neighbours(None, None))
        .into_iter()
        .find(|n| n.dst == Some(dst));
    ensure!(event.is_some(), "no NewNeighbour in {got:?}");
    // `NDA_CACHEINFO` holds ages (now minus last use), which move between
    // the event and the dump; everything else must match.
    let no_cache = |n: Option<nl_proto::route::neigh::Neighbour>| {
        n.map(|mut n| {
            n.cache = None;
            n
        })
    };
    ensure_eq!(no_cache(event), no_cache(dumped.clone()), "neighbour");
    t!(ctx.conn.delete_neighbour("v0", dst));
    let got = changes(drain(&mut m)?)?;
    let gone = last(&got, |c| match c {
        Change::DelNeighbour(n) if n.dst == Some(dst) => Some(n.clone()),
        _ => None,
    });
    // The kernel marks the entry FAILED before it removes it (iproute2's
    // monitor prints "Deleted … FAILED" too); the entry is the same one.
    let key = |n: &Option<nl_proto::route::neigh::Neighbour>| {
        n.as_ref().map(|n| (n.index, n.dst, n.family))
    };
    ensure!(gone.is_some(), "no DelNeighbour in {got:?}");
    ensure_eq!(key(&gone), key(&dumped), "deleted neighbour");

    for (src, family) in [
        ("10.3.0.0/16", AddrFamily::INET),
        ("2001:db8:3::/48", AddrFamily::INET6),
    ] {
        let spec = RuleSpec {
            src: Some(net(src)),
            table: Some(100),
            priority: Some(100),
            ..RuleSpec::default()
        };
        t!(ctx.conn.add_rule(&spec));
        let got = changes(drain(&mut m)?)?;
        let event = last(&got, |c| match c {
            Change::NewRule(r) if r.priority == Some(100) => Some(r.clone()),
            _ => None,
        });
        let dumped = t!(ctx.conn.rules(Some(family)))
            .into_iter()
            .find(|r| r.priority == Some(100));
        ensure!(event.is_some(), "no NewRule {src} in {got:?}");
        ensure_eq!(event, dumped, "rule {src}");
        t!(ctx.conn.delete_rule(&spec));
        let got = changes(drain(&mut m)?)?;
        let gone = last(&got, |c| match c {
            Change::DelRule(r) if r.priority == Some(100) => Some(r.clone()),
            _ => None,
        });
        ensure_eq!(gone, dumped, "deleted rule {src}");
    }
    Ok(())
}

fn groups_above_31(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("v0", "v1")));
    t!(ctx.conn.set_link("v1", &nl_rustix::LinkSet::new().up()));
    let mut m = monitor(ctx, &[Group::NEXTHOP, Group::IPV4_MCADDR])?;
    // Bringing v0 up joins 224.0.0.1: RTM_NEWMULTICAST on group 37, which
    // the sender address's 32-bit mask cannot express (it carries 0).
    t!(ctx.conn.set_link("v0", &nl_rustix::LinkSet::new().up()));
    let events = drain(&mut m)?;
    let mcast = events.iter().find_map(|e| match e {
        OwnedEvent::Message { group: 37, .. } => e.msg(),
        _ => None,
    });
    ensure!(
        mcast.is_some_and(|m| m.msg_type().0 == 56),
        "no RTM_NEWMULTICAST on group 37 in {events:?}"
    );

    // A nexthop (group 32, the last bit of the legacy mask) arrives typed
    // and equal to the dump.
    ctx.ip(&["nexthop", "add", "id", "7", "dev", "v0"])?;
    let got = changes(drain(&mut m)?)?;
    let event = last(&got, |c| match c {
        Change::NewNexthop(n) => Some(n.clone()),
        _ => None,
    });
    let dumped = t!(ctx.conn.dump_collect(
        |w| nexthop::encode_dump(w, &nexthop::NexthopDump::default()),
        |m| Nexthop::decode(m).map(Some),
    ));
    ensure_eq!(dumped.len(), 1);
    ensure_eq!(event.as_ref(), dumped.first(), "nexthop: event vs dump");
    ensure_eq!(event.map(|n| n.id), Some(7));
    Ok(())
}

/// Routes installed by the storm: 50,000 /32s via the veth peer.
const STORM: u32 = 50_000;

fn storm(ctx: &mut Ctx) -> Result<(), Failed> {
    veth_up(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.0.1/16"))));
    // IPv4 only: IPv6 adds the link-local addresses' routes on its own
    // once DAD ends, at a moment no test can wait for.
    let mut m = monitor(ctx, &[Group::IPV4_ROUTE])?;
    drain(&mut m)?;
    // A queue of a few dozen notifications: the storm must overflow it.
    let granted = t!(m.set_queue_size(16 * 1024));
    ensure!(granted < 256 * 1024, "queue of {granted} bytes");

    let routes: Vec<NewRoute> = (0..STORM)
        .map(|i| {
            let dst =
                std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(172, 16, 0, 0)) + i);
            let mut r = NewRoute::new(nl_proto::IpNet::V4(nl_proto::Ipv4Net::new_assert(dst, 32)));
            r.gateway = Some(ip("10.0.0.2"));
            r
        })
        .collect();
    let results = t!(ctx
        .conn
        .batch(
            routes
                .iter()
                .map(|r| encoder(move |w| rt::encode_new(w, r, RouteMode::Add)))
        ));
    ensure!(results.iter().all(Result::is_ok), "a storm route failed");

    // The monitor read nothing during the batch: the kernel dropped
    // notifications, and the monitor says so.
    let mut resync = false;
    let mut seen = 0usize;
    while let Ok(event) = m.recv() {
        match event {
            Event::ResyncNeeded => {
                resync = true;
                break;
            }
            _ => seen += 1,
        }
    }
    ensure!(resync, "no ResyncNeeded after {seen} events");
    ensure!(
        (seen as u32) < STORM,
        "all {seen} events arrived: no overflow"
    );

    // Resync: the re-list holds every route of the storm, as the kernel has
    // them. Then follow the events (they are hints: applying one the
    // snapshot already reflects changes nothing) and check against a fresh
    // dump after one more change.
    let snapshot = t!(m.snapshot());
    let storm_routes = |s: &Snapshot| {
        s.routes
            .iter()
            .filter(|r| net("172.16.0.0/12").contains(&r.dst))
            .count()
    };
    ensure_eq!(storm_routes(&snapshot), STORM as usize);
    let mut tracked = v4_routes(&snapshot);

    // The monitor keeps delivering: a later change is seen.
    let sentinel = net("10.9.0.0/24");
    t!(ctx.conn.add_route(&RouteSpec::new(sentinel).dev("v0")));
    let mut saw_sentinel = false;
    loop {
        match m.recv() {
            Ok(Event::Change { change, .. }) => match &change {
                Change::NewRoute(r) => {
                    saw_sentinel |= r.dst == sentinel;
                    tracked.insert(route_key(r), r.clone());
                }
                Change::DelRoute(r) => {
                    tracked.remove(&route_key(r));
                }
                _ => {}
            },
            Ok(Event::ResyncNeeded) => return Err("second overflow while following".into()),
            Ok(_) => {}
            Err(nl_rustix::Error::Timeout(_)) => break,
            Err(e) => return Err(e.to_string()),
        }
    }
    ensure!(saw_sentinel, "the change after the storm was not delivered");
    let kernel = t!(Snapshot::take(&ctx.netns()));
    let now = v4_routes(&kernel);
    let missing: Vec<_> = now.keys().filter(|k| !tracked.contains_key(*k)).collect();
    let extra: Vec<_> = tracked.keys().filter(|k| !now.contains_key(*k)).collect();
    ensure!(
        missing.is_empty() && extra.is_empty(),
        "followed state differs from the kernel's: missing {missing:?}, extra {extra:?}"
    );
    ensure!(tracked == now, "followed routes differ from the kernel's");
    Ok(())
}

/// What identifies a route in a table.
fn route_key(r: &Route) -> String {
    format!(
        "{} {} {} {:?} {:?} {:?} {:?}",
        r.table, r.dst, r.tos, r.priority, r.kind, r.oif, r.gateway
    )
}

/// The IPv4 routes of a snapshot, by [`route_key`].
fn v4_routes(s: &Snapshot) -> BTreeMap<String, Route> {
    s.routes
        .iter()
        .filter(|r| r.family == AddrFamily::INET)
        .map(|r| (route_key(r), r.clone()))
        .collect()
}

/// The changes both monitors watch: links (a bridge and its port, a veth
/// pair), addresses, routes in several tables, a multipath and a nexthop
/// route, neighbours, rules, nexthops and their removal.
const CHANGES: &[&str] = &[
    "link set lo up",
    "link add br0 type bridge",
    "link add v0 type veth peer v1",
    "link set v0 master br0",
    "link set br0 up",
    "link set v0 up",
    "link set v1 up",
    "link set v0 mtu 1400",
    "addr add 10.1.0.1/24 dev v1",
    "-6 addr add 2001:db8::5/64 dev br0 nodad",
    "route add 10.2.0.0/16 via 10.1.0.2",
    "route add 10.3.0.0/16 via 10.1.0.2 table 100 metric 5 mtu 1300",
    "-6 route add 2001:db8:1::/48 via 2001:db8::2",
    "neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v1",
    "rule add from 10.3.0.0/16 table 100 prio 100",
    "rule add fwmark 0x10/0xff table 200 prio 200",
    "nexthop add id 7 via 10.1.0.3 dev v1",
    "nexthop add id 8 via 10.1.0.4 dev v1",
    "nexthop add id 9 group 7/8,3",
    "route add 10.4.0.0/16 nhid 9",
    "route add 10.6.0.0/16 nexthop via 10.1.0.2 weight 2 nexthop via 10.1.0.3",
    "nexthop add id 10 blackhole",
    "link set v0 nomaster",
    "route del 10.2.0.0/16",
    "rule del prio 100",
    "neigh del 10.1.0.9 dev v1",
    "addr del 10.1.0.1/24 dev v1",
    "nexthop del id 9",
    "link del br0",
    "link del v0",
];

/// `ip monitor all` of iproute2 and of the example, side by side in one
/// namespace while the same changes are made: the same lines, in the same
/// order, byte for byte (labels, `Deleted`, bridge ports and FDB entries,
/// `event FEATURE CHANGE`, netconf, nexthops, the kernel's own routes).
fn example_side_by_side(ctx: &mut Ctx) -> Result<(), Failed> {
    use std::process::{Command, Stdio};
    let bin = crate::example::example_bin()?;
    let dir = std::env::temp_dir().join(format!("nl-monitor-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let (theirs, ours) = (dir.join("iproute2.txt"), dir.join("example.txt"));
    let spawn = |prog: &std::path::Path, out: &std::path::Path| {
        let file = std::fs::File::create(out).map_err(|e| e.to_string())?;
        ctx.netns()
            .run(|| {
                Command::new(prog)
                    .args(["monitor", "all"])
                    .stdout(file)
                    .stderr(Stdio::piped())
                    .spawn()
            })
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("spawn {}: {e}", prog.display()))
    };
    let iproute2 = spawn(std::path::Path::new("ip"), &theirs)?;
    let example = spawn(&bin, &ours)?;
    // Both listen within a second of starting.
    std::thread::sleep(Duration::from_secs(1));
    let made: Result<(), Failed> = CHANGES.iter().try_for_each(|c| {
        let args: Vec<&str> = c.split(' ').collect();
        ctx.ip(&args).map(|_| ())
    });
    std::thread::sleep(Duration::from_millis(500));
    let mut stderr = Vec::new();
    for child in [iproute2, example] {
        let pid = rustix::process::Pid::from_child(&child);
        // SIGTERM ends both; every line was flushed as it was printed.
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let out = t!(child.wait_with_output());
        stderr.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    made?;
    let theirs = t!(std::fs::read_to_string(&theirs));
    let ours = t!(std::fs::read_to_string(&ours));
    let _ = std::fs::remove_dir_all(&dir);
    ensure!(
        theirs.lines().count() > 60,
        "iproute2 printed only:\n{theirs}"
    );
    for (i, (a, b)) in theirs.lines().zip(ours.lines()).enumerate() {
        ensure_eq!(b, a, "line {} (example vs iproute2)", i + 1);
    }
    ensure_eq!(ours.lines().count(), theirs.lines().count(), "line count");
    ensure_eq!(stderr[1], stderr[0], "stderr (example vs iproute2)");
    for word in [
        "[LINK]Deleted",
        "event FEATURE CHANGE",
        "[NETCONF]",
        "[NEXTHOP]",
        "lladdr",
    ] {
        ensure!(theirs.contains(word), "no {word:?} in the run");
    }
    Ok(())
}
