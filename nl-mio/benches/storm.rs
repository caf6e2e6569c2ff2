//! A notification storm (issue 22 item 3): 1,000,000 address and route
//! notifications through the monitors and reconcile loops of both drivers.
//!
//! In a private network namespace ([`PrivateNetns`]; the host's is never
//! touched), four consumers run on their own threads while one `Conn`
//! makes the storm (batches of /32 routes added and deleted, and /32
//! addresses added and deleted):
//!
//! - nl-rustix's blocking `Monitor`, default queue;
//! - nl-mio's `Monitor` in a mio loop, default queue;
//! - nl-rustix's `Watch` (the reconcile loop) keeping one address and one
//!   route converged;
//! - nl-mio's `Reconciler`, the same desired state, in a mio loop.
//!
//! The kernel drops what a monitor's queue cannot hold: nothing may be lost
//! *silently*. Each monitor reports what it received and how many times it
//! was told to resync (`ENOBUFS`); received + dropped must account for the
//! storm, so a monitor that received fewer than the storm without a resync
//! fails the bench. Memory: the process's peak RSS before and after (the
//! consumers' buffers are fixed; the storm's own request vectors are the
//! rest). Convergence: after the storm, both loops' last pass converged and
//! applied nothing, and the desired state is in the kernel.
//!
//! Needs root; otherwise prints "skipped" and exits 0. Run with
//! `cargo bench -p nl-mio --bench storm` (about a minute).

use mio::{Events, Interest, Poll, Token};
use nl_mio::Reconciler;
use nl_proto::route::Group;
use nl_proto::route::change::Change;
use nl_proto::route::route::{self, DelRoute, NewRoute, RouteMode};
use nl_proto::{IpNet, Ipv4Net};
use nl_rustix::monitor::{Event, Monitor};
use nl_rustix::reconcile::{Desired, Report, Watch, WatchOptions};
use nl_rustix::{AddrSpec, Conn, LinkSet, LinkSpec, Op, PrivateNetns, RouteSpec, encoder};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Routes per batch; each is added then deleted: two notifications.
const ROUTES: u32 = 50_000;
/// Route rounds (add + delete): 900,000 notifications.
const ROUTE_ROUNDS: u32 = 9;
/// Addresses per batch, each added then deleted.
const ADDRS: u32 = 10_000;
/// Address rounds: 100,000 address notifications (plus their local routes).
const ADDR_ROUNDS: u32 = 5;
/// Quiet time after which a consumer is taken to have seen the end.
const QUIET: Duration = Duration::from_secs(2);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn host(i: u32, base: Ipv4Addr) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(base) + i)
}

fn dst(i: u32) -> IpNet {
    IpNet::V4(Ipv4Net::new_assert(
        host(i, Ipv4Addr::new(172, 16, 0, 0)),
        32,
    ))
}

fn check(results: Vec<Result<(), nl_rustix::Error>>) -> Result<(), BoxError> {
    match results.into_iter().find(Result::is_err) {
        Some(Err(e)) => Err(format!("storm: {e}").into()),
        _ => Ok(()),
    }
}

/// The storm; returns the notifications it caused on the route and
/// address groups the consumers joined (an address adds a local route too).
fn storm(conn: &mut Conn) -> Result<u64, BoxError> {
    let mut made = 0u64;
    for _ in 0..ROUTE_ROUNDS {
        let add: Vec<NewRoute> = (0..ROUTES)
            .map(|i| {
                let mut r = NewRoute::new(dst(i));
                r.gateway = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)));
                r
            })
            .collect();
        check(
            conn.batch(
                add.iter()
                    .map(|r| encoder(move |w| route::encode_new(w, r, RouteMode::Add))),
            )?,
        )?;
        let del: Vec<DelRoute> = (0..ROUTES).map(|i| DelRoute::new(dst(i))).collect();
        check(
            conn.batch(
                del.iter()
                    .map(|r| encoder(move |w| route::encode_del(w, r))),
            )?,
        )?;
        made += 2 * u64::from(ROUTES);
    }
    for _ in 0..ADDR_ROUNDS {
        let prefix = |i| IpNet::V4(Ipv4Net::new_assert(host(i, Ipv4Addr::new(10, 8, 0, 0)), 32));
        let add: Vec<Op> = (0..ADDRS)
            .map(|i| Op::AddAddress(AddrSpec::new("v1", prefix(i))))
            .collect();
        check(conn.apply(&add)?)?;
        let del: Vec<Op> = (0..ADDRS)
            .map(|i| Op::DeleteAddress("v1".into(), prefix(i)))
            .collect();
        check(conn.apply(&del)?)?;
        // The address and its local route, both ways.
        made += 4 * u64::from(ADDRS);
    }
    Ok(made)
}

/// What one monitor saw.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    changes: u64,
    resyncs: u64,
    took: Duration,
}

fn is_storm(change: &Change<'_>) -> bool {
    matches!(
        change,
        Change::NewRoute(_) | Change::DelRoute(_) | Change::NewAddress(_) | Change::DelAddress(_)
    )
}

/// nl-rustix's blocking monitor, until `QUIET` passes with nothing after `stop`.
fn blocking_monitor(mut m: Monitor, stop: Arc<AtomicBool>) -> Result<Seen, BoxError> {
    m.set_timeout(Some(Duration::from_millis(100)))?;
    let mut seen = Seen::default();
    let t = Instant::now();
    let mut last = Instant::now();
    loop {
        match m.recv() {
            Ok(Event::Change { change, .. }) if is_storm(&change) => {
                seen.changes += 1;
                last = Instant::now();
            }
            Ok(Event::ResyncNeeded) => {
                seen.resyncs += 1;
                last = Instant::now();
            }
            Ok(_) => {}
            Err(e) if e.errno() == Some(libc::EAGAIN) || e.errno() == Some(libc::ETIMEDOUT) => {}
            Err(e) => return Err(format!("blocking monitor: {e}").into()),
        }
        if stop.load(Ordering::Relaxed) && last.elapsed() > QUIET {
            seen.took = last.duration_since(t);
            return Ok(seen);
        }
    }
}

/// nl-mio's monitor in a mio loop.
fn mio_monitor(mut m: nl_mio::Monitor, stop: Arc<AtomicBool>) -> Result<Seen, BoxError> {
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut m, Token(0), Interest::READABLE)?;
    let mut events = Events::with_capacity(16);
    let mut seen = Seen::default();
    let t = Instant::now();
    let mut last = Instant::now();
    loop {
        poll.poll(&mut events, Some(Duration::from_millis(100)))?;
        if !events.is_empty() {
            while let Some(ev) = m.next_event() {
                match ev? {
                    Event::Change { change, .. } if is_storm(&change) => {
                        seen.changes += 1;
                        last = Instant::now();
                    }
                    Event::ResyncNeeded => {
                        seen.resyncs += 1;
                        last = Instant::now();
                    }
                    _ => {}
                }
            }
        }
        if stop.load(Ordering::Relaxed) && last.elapsed() > QUIET {
            seen.took = last.duration_since(t);
            poll.registry().deregister(&mut m)?;
            return Ok(seen);
        }
    }
}

/// Passes a loop ran, and its last report.
#[derive(Debug, Default)]
struct Loop {
    passes: u64,
    after_storm: u64,
    last: Option<(bool, usize, Option<String>)>,
}

fn record(l: &Mutex<Loop>, storm_over: &AtomicBool, r: &Report) {
    let mut l = l.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    l.passes += 1;
    if storm_over.load(Ordering::Relaxed) {
        l.after_storm += 1;
    }
    l.last = Some((
        r.converged,
        r.applied.len(),
        r.error.as_ref().map(ToString::to_string),
    ));
}

/// nl-mio's reconciler in a mio loop, until `stop`.
fn mio_reconciler(
    netns: nl_rustix::Netns,
    desired: Desired,
    stop: Arc<AtomicBool>,
    storm_over: Arc<AtomicBool>,
    out: Arc<Mutex<Loop>>,
) -> Result<(), BoxError> {
    let mut poll = Poll::new()?;
    let options = WatchOptions {
        interval: Duration::from_secs(30),
        ..WatchOptions::default()
    };
    let mut rec = Reconciler::new(
        poll.registry(),
        [Token(0), Token(1)],
        netns,
        desired,
        options,
    )?;
    let mut events = Events::with_capacity(64);
    while !stop.load(Ordering::Relaxed) {
        let wait = rec.timeout().map_or(Duration::from_millis(100), |t| {
            t.min(Duration::from_millis(100))
        });
        poll.poll(&mut events, Some(wait))?;
        for event in &events {
            rec.on_ready(event);
        }
        rec.handle_timeout(Instant::now());
        while let Some(report) = rec.poll_report() {
            record(&out, &storm_over, &report);
        }
    }
    Ok(())
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn run() -> Result<(), BoxError> {
    let ns = PrivateNetns::new()?;
    let netns = ns.netns();
    let mut conn = Conn::open_in(&netns)?;
    conn.create_link(&LinkSpec::veth("v0", "v1").up())?;
    conn.set_link("v1", &LinkSet::new().up())?;
    conn.add_address(&AddrSpec::new("v0", "10.0.0.1/16".parse()?))?;

    let mut desired = Desired::new();
    desired
        .addresses
        .push(AddrSpec::new("v0", "10.0.77.1/24".parse()?));
    desired
        .routes
        .push(RouteSpec::new("10.99.0.0/24".parse()?).via("10.0.0.2".parse()?));

    let groups = [Group::IPV4_ROUTE, Group::IPV4_IFADDR];
    let stop = Arc::new(AtomicBool::new(false));
    let storm_over = Arc::new(AtomicBool::new(false));
    let blocking = {
        let (m, stop) = (Monitor::route(&netns, &groups)?, Arc::clone(&stop));
        std::thread::spawn(move || blocking_monitor(m, stop))
    };
    let mio = {
        let (m, stop) = (nl_mio::Monitor::route(&netns, &groups)?, Arc::clone(&stop));
        std::thread::spawn(move || mio_monitor(m, stop))
    };
    let watch_loop = Arc::new(Mutex::new(Loop::default()));
    let watch = {
        let (l, over) = (Arc::clone(&watch_loop), Arc::clone(&storm_over));
        let options = WatchOptions {
            interval: Duration::from_secs(30),
            ..WatchOptions::default()
        };
        Watch::spawn(netns.clone(), desired.clone(), options, move |r| {
            record(&l, &over, r);
        })?
    };
    let mio_loop = Arc::new(Mutex::new(Loop::default()));
    let reconciler = {
        let (l, over, stop) = (
            Arc::clone(&mio_loop),
            Arc::clone(&storm_over),
            Arc::clone(&stop),
        );
        let (netns, desired) = (netns.clone(), desired.clone());
        std::thread::spawn(move || mio_reconciler(netns, desired, stop, over, l))
    };
    // Let both loops converge before the storm.
    std::thread::sleep(Duration::from_secs(1));

    let rss_before = vm_hwm_kib();
    let t = Instant::now();
    let made = storm(&mut conn)?;
    let storm_took = t.elapsed();
    storm_over.store(true, Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    let blocking = blocking.join().map_err(|_| "blocking monitor panicked")??;
    let mio = mio.join().map_err(|_| "mio monitor panicked")??;
    watch.stop();
    reconciler.join().map_err(|_| "mio reconciler panicked")??;
    let rss_after = vm_hwm_kib();

    println!("nl storm benchmark: {made} address and route notifications in {storm_took:.2?}");
    println!("  private namespace, monitors with their default queues\n");
    let mut lost_silently = false;
    for (name, s) in [("nl-rustix Monitor", blocking), ("nl-mio Monitor", mio)] {
        let dropped = made.saturating_sub(s.changes);
        println!(
            "  {name:<18} received {:>9}  dropped by the kernel {:>9}  resyncs {:>5}  ({:.0} events/s while the storm ran)",
            s.changes,
            dropped,
            s.resyncs,
            s.changes as f64 / s.took.as_secs_f64().max(1e-9)
        );
        if dropped > 0 && s.resyncs == 0 {
            lost_silently = true;
        }
    }
    println!(
        "\n  peak RSS: {rss_before} KiB before the storm, {rss_after} KiB after (whole process)"
    );
    for (name, l) in [
        ("nl-rustix Watch", &watch_loop),
        ("nl-mio Reconciler", &mio_loop),
    ] {
        let l = l.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        println!(
            "  {name:<18} {} passes ({} after the storm), last: {:?}",
            l.passes, l.after_storm, l.last
        );
        if !matches!(l.last, Some((true, 0, None))) {
            return Err(format!("{name} did not end converged with nothing applied").into());
        }
    }
    // The desired state is in the kernel.
    let has_addr = conn.addresses(None)?.iter().any(|a| {
        a.local
            == "10.0.77.1"
                .parse::<IpAddr>()
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    });
    let has_route = conn
        .routes(None, nl_rustix::Tables::MAIN)?
        .iter()
        .any(|r| r.dst == "10.99.0.0/24".parse::<IpNet>().unwrap_or_default());
    println!("  desired state present after the storm: address {has_addr}, route {has_route}");
    if lost_silently {
        return Err("a monitor lost notifications without a resync".into());
    }
    if !(has_addr && has_route) {
        return Err("desired state missing after the storm".into());
    }
    Ok(())
}

fn main() {
    if let Err(e) = PrivateNetns::new() {
        println!("storm bench skipped: needs root (cannot create a network namespace: {e})");
        return;
    }
    if let Err(e) = run() {
        eprintln!("storm bench failed: {e}");
        std::process::exit(1);
    }
}
