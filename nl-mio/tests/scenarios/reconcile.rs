//! The reconcile loop inside a mio loop ([`Reconciler`]): a first pass
//! converges, the next applies nothing, a hand-deleted address comes back
//! through the monitor long before the interval, and a failed pass is
//! reported while the loop goes on.

use mio::{Events, Poll, Token};
use nl_mio::Reconciler;
use nl_proto::IpNet;
use nl_proto::route::AddrFamily;
use nl_proto::route::route::RouteProtocol;
use nl_rustix::reconcile::{Desired, Report, WatchOptions};
use nl_rustix::{AddrSpec, Error, LinkId, LinkSet, LinkSpec, RouteSpec, Tables};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: false,
        run,
    };
    vec![
        s(
            "reconcile::first_pass_converges_second_applies_nothing",
            converge,
        ),
        s(
            "reconcile::hand_deleted_address_back_within_a_second_by_monitor",
            address_back,
        ),
        s(
            "reconcile::failed_pass_is_reported_and_the_loop_goes_on",
            failed_pass,
        ),
        s(
            "reconcile::process_exit_ends_the_reconciler_and_changes_nothing",
            process_exited,
        ),
        s(
            "reconcile::links_and_nexthops_converge_in_one_pass",
            links_and_nexthops,
        ),
        Scenario {
            needs_kinds: &["veth", "ifb", "tc:qdisc add dev lo root htb"],
            ..s(
                "reconcile::qdiscs_converge_in_one_pass_then_nothing",
                qdiscs,
            )
        },
    ]
}

const TOKENS: [Token; 2] = [Token(20), Token(21)];
const ADDRESS: &str = "10.0.0.2/24";
const ROUTE: &str = "10.50.0.0/24";

fn net(s: &str) -> IpNet {
    s.parse().expect("test prefix")
}

/// A veth pair `d0`/`d1`, both up, and `lo` up.
fn veth(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.set_link(1u32, &LinkSet::new().up()));
    t!(ctx.conn.create_link(&LinkSpec::veth("d0", "d1").up()));
    t!(ctx.conn.set_link("d1", &LinkSet::new().up()));
    Ok(())
}

/// An address on d0 and a route through a gateway behind it: two
/// phases, the route's needing the address's.
fn desired() -> Desired {
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("d0", net(ADDRESS)));
    d.routes
        .push(RouteSpec::new(net(ROUTE)).via("10.0.0.1".parse().expect("gateway")));
    d
}

/// A veth pair in the scenario's namespace, and a reconciler for it in a
/// fresh poll.
fn start(
    ctx: &mut Ctx,
    desired: Desired,
    options: WatchOptions,
) -> Result<(Poll, Reconciler), Failed> {
    veth(ctx)?;
    let poll = t!(Poll::new());
    let rec = t!(Reconciler::new(
        poll.registry(),
        TOKENS,
        ctx.netns(),
        desired,
        options
    ));
    Ok((poll, rec))
}

/// What a report says: converged, steps applied, the error.
fn summary(r: &Report) -> (bool, usize, Option<String>) {
    (
        r.converged,
        r.applied.len(),
        r.error.as_ref().map(ToString::to_string),
    )
}

/// Drive `poll` and `rec` the way a caller's loop does until the next
/// report, failing after `within`.
fn next_report(poll: &mut Poll, rec: &mut Reconciler, within: Duration) -> Result<Report, Failed> {
    let deadline = Instant::now() + within;
    let mut events = Events::with_capacity(64);
    loop {
        if let Some(report) = rec.poll_report() {
            return Ok(report);
        }
        let now = Instant::now();
        ensure!(now < deadline, "no pass within {within:?}");
        let wait = rec
            .timeout()
            .map_or(deadline - now, |t| t.min(deadline - now));
        t!(poll.poll(&mut events, Some(wait)));
        for event in &events {
            ensure!(rec.on_ready(event), "an event not the reconciler's");
        }
        rec.handle_timeout(Instant::now());
    }
}

fn has_address(ctx: &mut Ctx) -> Result<bool, Failed> {
    Ok(t!(ctx.conn.addresses_of("d0", Some(AddrFamily::INET)))
        .iter()
        .any(|a| a.prefix() == net(ADDRESS)))
}

fn converge(ctx: &mut Ctx) -> Result<(), Failed> {
    // The timer only, and a short interval: the second pass is the timer's.
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        monitor: false,
        ..WatchOptions::default()
    };
    let (mut poll, mut rec) = start(ctx, desired(), options)?;
    let first = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&first), (true, 2, None));
    ensure!(!rec.is_passing(), "the pass ended with its report");
    ensure!(has_address(ctx)?, "{ADDRESS} not on d0");
    let routes = t!(ctx.conn.routes(Some(AddrFamily::INET), Tables::MAIN));
    ensure!(
        routes
            .iter()
            .any(|r| r.dst == net(ROUTE) && r.protocol == RouteProtocol(76)),
        "{ROUTE} missing or not ours: {routes:?}"
    );
    ensure!(
        rec.last_applied()
            .addresses
            .contains(&("d0".to_string(), net(ADDRESS))),
        "{:?}",
        rec.last_applied()
    );
    let second = next_report(&mut poll, &mut rec, Duration::from_secs(2))?;
    ensure_eq!(summary(&second), (true, 0, None));
    Ok(())
}

fn address_back(ctx: &mut Ctx) -> Result<(), Failed> {
    let options = WatchOptions {
        interval: Duration::from_secs(60),
        ..WatchOptions::default()
    };
    let (mut poll, mut rec) = start(ctx, desired(), options)?;
    let first = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&first), (true, 2, None));

    t!(ctx.conn.delete_address("d0", net(ADDRESS)));
    let deleted = Instant::now();
    // Passes woken by other notifications (the first pass's own, IPv6
    // autoconfiguration on d0) may come first and apply nothing.
    let restored = loop {
        let left = Duration::from_secs(1).saturating_sub(deleted.elapsed());
        let report = next_report(&mut poll, &mut rec, left)?;
        if report.applied.is_empty() {
            ensure_eq!(summary(&report), (true, 0, None));
        } else {
            break report;
        }
    };
    let took = deleted.elapsed();
    // Deleting the address took the route through it too: both come back.
    ensure_eq!(summary(&restored), (true, 2, None), "after {took:?}");
    ensure!(has_address(ctx)?, "{ADDRESS} not back on d0");
    Ok(())
}

fn failed_pass(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut wrong = desired();
    wrong
        .addresses
        .push(AddrSpec::new("nope0", net("10.1.0.2/24")));
    let (mut poll, mut rec) = start(ctx, wrong, WatchOptions::default())?;
    // An unknown link is bad input: the pass fails before changing anything.
    let failed = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    let (converged, applied, _) = summary(&failed);
    ensure!(!converged && applied == 0, "{failed:?}");
    ensure!(
        matches!(
            &failed.error,
            Some(Error::NoSuchLink { link: LinkId::Name(n), .. }) if n == "nope0"
        ),
        "{:?}",
        failed.error
    );
    ensure!(!has_address(ctx)?, "a failed plan changed something");
    // The loop goes on: fixed desired state converges at once.
    rec.set_desired(desired());
    let fixed = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&fixed), (true, 2, None));
    Ok(())
}

/// A reconciler for `Netns::Pid`: once the process exits, a last report
/// names it, the reconciler is finished, and a hand-deleted address stays
/// deleted (the 100 ms timer and the monitor would restore it).
fn process_exited(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut child = t!(t!(ctx
        .netns()
        .run(|| std::process::Command::new("sleep").arg("30").spawn())));
    let pid = child.id();
    let result = (|| {
        let mut poll = t!(Poll::new());
        let options = WatchOptions {
            interval: Duration::from_millis(100),
            ..WatchOptions::default()
        };
        let mut rec = t!(Reconciler::new(
            poll.registry(),
            TOKENS,
            nl_rustix::Netns::Pid(pid),
            desired(),
            options
        ));
        let first = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
        ensure_eq!(summary(&first), (true, 2, None));
        t!(child.kill());
        t!(child.wait());
        let last = loop {
            let r = next_report(&mut poll, &mut rec, Duration::from_secs(2))?;
            if r.error.is_some() {
                break summary(&r);
            }
        };
        let e = last.2.unwrap_or_default();
        ensure!(
            e.contains(&format!("process {pid}")) && e.contains("exited"),
            "{e}"
        );
        ensure!(rec.is_finished(), "not finished after the exit");
        ensure_eq!(rec.timeout(), None);
        t!(ctx.conn.delete_address("d0", net(ADDRESS)));
        // Drive the loop as a caller would: nothing more happens.
        let after = next_report(&mut poll, &mut rec, Duration::from_millis(500));
        ensure!(after.is_err(), "a report after the exit: {after:?}");
        ensure!(!has_address(ctx)?, "changed after the process exited");
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// The same plan as nl-rustix's: a bridge created with its address, and
/// a nexthop on it, in one pass; the next pass applies nothing.
fn links_and_nexthops(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::NexthopSpec;
    use nl_rustix::reconcile::{DesiredKind, DesiredLink};
    let mut d = Desired::new();
    let mut br = DesiredLink::new("br0");
    br.kind = Some(DesiredKind::Bridge);
    br.up = Some(true);
    d.links.push(br);
    d.addresses.push(AddrSpec::new("br0", net(ADDRESS)));
    d.nexthops
        .push(NexthopSpec::via(7, "10.0.0.1".parse().expect("gateway")).dev("br0"));
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        monitor: false,
        ..WatchOptions::default()
    };
    let (mut poll, mut rec) = start(ctx, d, options)?;
    let first = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&first), (true, 3, None));
    ensure!(
        t!(ctx.conn.link("br0")).kind.as_deref() == Some("bridge"),
        "no bridge"
    );
    ensure_eq!(
        t!(ctx.conn.nexthop(7)).gateway,
        Some("10.0.0.1".parse().expect("ip"))
    );
    let second = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&second), (true, 0, None));
    Ok(())
}

/// The qdiscs section through the mio driver: its classes and filters
/// are read by the follow-up dumps, so the second pass sees them and
/// applies nothing.
fn qdiscs(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::tc::units::{Rate, Size, Time};
    use nl_proto::tc::{Handle, Object};
    use nl_rustix::TcDump;
    use nl_rustix::reconcile::{
        DesiredClass, DesiredFilter, DesiredHtb, DesiredKind, DesiredLink, DesiredQdiscs,
        DesiredRoot, ObjectKind,
    };
    let mut d = Desired::new();
    let mut ifb = DesiredLink::new("ifb0");
    ifb.kind = Some(DesiredKind::Ifb);
    d.links.push(ifb);
    let mut d0 = DesiredQdiscs::new("d0");
    d0.root = Some(DesiredRoot::Htb(DesiredHtb {
        handle: Handle::new(1, 0),
        default_class: None,
        classes: vec![DesiredClass {
            classid: Handle::new(1, 0x10),
            parent: None,
            rate: Rate::parse("5mbit").unwrap_or_default(),
            ceil: None,
            prio: 0,
        }],
        filters: vec![DesiredFilter {
            prio: 1,
            src: None,
            dst: Some(net("10.0.0.0/24")),
            flowid: Handle::new(1, 0x10),
        }],
    }));
    d0.ingress_redirect = Some("ifb0".into());
    d.qdiscs.push(d0);
    let mut d1 = DesiredQdiscs::new("d1");
    d1.root = Some(DesiredRoot::Tbf {
        rate: Rate::parse("1mbit").unwrap_or_default(),
        burst: Size(4096),
        latency: Time(400_000),
    });
    d.qdiscs.push(d1);
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        monitor: false,
        ..WatchOptions::default()
    };
    let (mut poll, mut rec) = start(ctx, d, options)?;
    let first = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    let tc_steps = first
        .applied
        .iter()
        .filter(|s| {
            matches!(
                s.object(),
                ObjectKind::Qdisc | ObjectKind::Class | ObjectKind::Filter
            )
        })
        .count();
    ensure_eq!(
        (first.converged, tc_steps),
        (true, 6),
        "{:?}",
        first.applied
    );
    let filters = t!(ctx.conn.tc_dump(Object::Filter, &TcDump::dev("d0")));
    ensure!(
        filters
            .iter()
            .any(|f| f.kind.as_str() == "u32" && f.priority() == 1),
        "{filters:?}"
    );
    let second = next_report(&mut poll, &mut rec, Duration::from_secs(5))?;
    ensure_eq!(summary(&second), (true, 0, None), "{:?}", second.applied);
    Ok(())
}
