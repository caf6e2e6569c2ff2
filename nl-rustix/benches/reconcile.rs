//! Reconcile benchmarks (issue 8), side by side in one run over the same
//! 100,000 IPv4 routes in one private namespace:
//!
//! 1. collecting the routes (`dump_collect` into a `Vec<Route>`) vs the
//!    floor (a raw receive loop that only counts messages);
//! 2. diffing 100k desired against 100k observed routes with 1% changed
//!    (time, and heap: bytes held by the inputs and the diff's own peak);
//! 3. a no-op reconcile pass (`Conn::reconcile`, its read streamed:
//!    routes that match desired state are decided as they arrive, not
//!    kept) vs a plain dump of the routes, streamed and collected,
//!    interleaved; and the pass's peak heap (a counting global
//!    allocator) vs the dump's bytes;
//! 4. converging an empty namespace to the 100k routes (a whole
//!    `Conn::reconcile`: read, plan, batches, confirming read) vs the raw
//!    batch install of the same routes (`Conn::batch` of `RTM_NEWROUTE`);
//! 5. the diff alone at 10k, 100k and 1M routes (linear: the time per
//!    route stays flat).
//!
//! Runs in private namespaces only; without root it prints "skipped" and
//! exits 0. `cargo bench -p nl-rustix --bench reconcile`.

// The counting global allocator needs `unsafe impl GlobalAlloc`; it only
// forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use nl_proto::diff::{self, Change};
use nl_proto::route::AddrFamily;
use nl_proto::route::route::{self, Route};
use nl_proto::route::route::{NewRoute, RouteMode, RouteProtocol};
use nl_proto::wire::MsgWriter;
use nl_proto::{IpNet, Ipv4Net};
use nl_rustix::reconcile::{Desired, LastApplied, Step, plan};
use nl_rustix::{Conn, PrivateNetns, Protocol, Received, RouteSpec, Socket, encoder};

/// Tracks live heap bytes and their peak.
struct Peak;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments.
unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded contract.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        // SAFETY: forwarded contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Peak = Peak;

/// Reset the peak to what is live now; returns that baseline.
fn reset_peak() -> usize {
    let now = LIVE.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

const ROUTES: u32 = 100_000;
const ITERS: usize = 10;
const GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);
const MAIN: u32 = 254;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn dst(i: u32) -> IpNet {
    IpNet::V4(Ipv4Net::new_assert(
        Ipv4Addr::from(u32::from(Ipv4Addr::new(172, 16, 0, 0)) + i),
        32,
    ))
}

fn sh(args: &[&str]) -> Result<(), BoxError> {
    let out = Command::new(args[0]).args(&args[1..]).output()?;
    if !out.status.success() {
        return Err(format!(
            "{}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

fn median(mut s: Vec<Duration>) -> Duration {
    s.sort();
    s[s.len() / 2]
}

/// This thread's CPU time so far, user and system.
fn cpu() -> Duration {
    // SAFETY: `getrusage` only writes the `rusage` it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a `rusage`, and a valid `who`.
    unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut ru) };
    let t = |v: libc::timeval| {
        Duration::from_secs(v.tv_sec as u64) + Duration::from_micros(v.tv_usec as u64)
    };
    t(ru.ru_utime) + t(ru.ru_stime)
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

/// The floor: the raw dump request, one reused buffer, count messages.
fn dump_floor(sock: &Socket, buf: &mut [u8], seq: u32) -> Result<usize, BoxError> {
    let mut req = [0u8; 36];
    req[0..4].copy_from_slice(&36u32.to_ne_bytes());
    req[4..6].copy_from_slice(&26u16.to_ne_bytes()); // RTM_GETROUTE
    req[6..8].copy_from_slice(&0x301u16.to_ne_bytes()); // REQUEST | DUMP
    req[8..12].copy_from_slice(&seq.to_ne_bytes());
    req[16] = 2; // AF_INET
    req[28..30].copy_from_slice(&8u16.to_ne_bytes());
    req[30..32].copy_from_slice(&15u16.to_ne_bytes()); // RTA_TABLE
    req[32..36].copy_from_slice(&MAIN.to_ne_bytes());
    sock.send(&req)?;
    let mut count = 0;
    loop {
        let len = match sock.recv(buf)? {
            Received::Datagram { len, .. } => len,
            Received::Truncated { len, .. } => return Err(format!("truncated {len}").into()),
        };
        let mut off = 0;
        while off + 16 <= len {
            let mlen = u32::from_ne_bytes(buf[off..off + 4].try_into()?) as usize;
            match u16::from_ne_bytes(buf[off + 4..off + 6].try_into()?) {
                3 => return Ok(count),
                2 => return Err("NLMSG_ERROR in dump".into()),
                _ => count += 1,
            }
            off += (mlen.max(16) + 3) & !3;
        }
    }
}

fn collect(conn: &mut Conn) -> Result<Vec<Route>, BoxError> {
    Ok(conn.dump_collect(
        |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
        |m| Route::decode(m).map(Some),
    )?)
}

fn main() {
    if let Err(e) = PrivateNetns::new() {
        println!("reconcile bench skipped: needs root (cannot create a network namespace: {e})");
        return;
    }
    if let Err(e) = run() {
        eprintln!("reconcile bench failed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), BoxError> {
    let ns = PrivateNetns::new()?;
    ns.netns().run(|| -> Result<(), BoxError> {
        sh(&["ip", "link", "set", "lo", "up"])?;
        sh(&[
            "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1",
        ])?;
        sh(&["ip", "link", "set", "v0", "up"])?;
        sh(&["ip", "link", "set", "v1", "up"])?;
        sh(&["ip", "addr", "add", "10.0.0.1/16", "dev", "v0"])?;
        Ok(())
    })??;
    let mut conn = Conn::open_in(&ns.netns())?;
    let mut desired = Desired::new();
    desired.routes = (0..ROUTES)
        .map(|i| RouteSpec::new(dst(i)).via(IpAddr::V4(GATEWAY)))
        .collect();

    println!(
        "nl reconcile benchmarks: {ROUTES} IPv4 /32 routes via {GATEWAY}, protocol {}, one private namespace; medians of {ITERS}",
        desired.protocol
    );
    println!(
        "  size_of::<Route>() = {} bytes, size_of::<Step>() = {} bytes\n",
        std::mem::size_of::<Route>(),
        std::mem::size_of::<Step>()
    );

    // The first pass installs them.
    let t = Instant::now();
    let first = conn.reconcile(&desired, &LastApplied::new())?;
    if !first.converged || first.applied.len() != ROUTES as usize {
        return Err(format!(
            "first pass: {:?}, {} applied",
            first.error,
            first.applied.len()
        )
        .into());
    }
    println!(
        "0. first pass (installs {ROUTES} routes): {}",
        ms(t.elapsed())
    );

    // 1. Collect vs floor.
    let sock = ns.netns().socket(Protocol::Route)?;
    sock.set_recv_timeout(Some(Duration::from_secs(10)))?;
    let mut buf = vec![0u8; 64 * 1024];
    black_box(dump_floor(&sock, &mut buf, 1)?);
    // Interleaved, so a busy machine slows every method alike.
    let (mut floors, mut bares, mut walks, mut collects) = (vec![], vec![], vec![], vec![]);
    let mut n = 0;
    let mut routes = Vec::new();
    for i in 0..ITERS {
        let t = Instant::now();
        n = dump_floor(&sock, &mut buf, 2 + i as u32)?;
        floors.push(t.elapsed());
        let t = Instant::now();
        conn.dump(
            |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
            |m| {
                black_box(m);
                Ok(())
            },
        )?;
        bares.push(t.elapsed());
        let t = Instant::now();
        conn.dump(
            |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
            |m| {
                black_box(Route::decode(m)?);
                Ok(())
            },
        )?;
        walks.push(t.elapsed());
        let t = Instant::now();
        routes = black_box(collect(&mut conn)?);
        collects.push(t.elapsed());
    }
    let (floor, bare, walk, collected) = (
        median(floors),
        median(bares),
        median(walks),
        median(collects),
    );
    if routes.len() < ROUTES as usize || n != routes.len() {
        return Err(format!("dump sizes differ: floor {n}, collect {}", routes.len()).into());
    }
    println!("1. Collect {n} routes");
    println!(
        "  nl dump, no decode (info)                {}  = {:.2}x floor",
        ms(bare),
        bare.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "  nl dump + Route::decode, no Vec (info)   {}  = {:.2}x floor",
        ms(walk),
        walk.as_secs_f64() / floor.as_secs_f64()
    );
    println!("  floor: raw recv loop, count only        {}", ms(floor));
    println!(
        "  nl dump_collect -> Vec<Route>            {}  = {:.2}x floor (target <= 1.3x); Vec holds {:.1} MB",
        ms(collected),
        collected.as_secs_f64() / floor.as_secs_f64(),
        (routes.len() * std::mem::size_of::<Route>()) as f64 / 1e6
    );

    // 2. Diff, 1% changed.
    let desired_routes: Vec<Route> = desired.routes.iter().map(|r| r.to_route(None)).collect();
    let mut observed = routes;
    let mut changed = 0;
    for r in observed
        .iter_mut()
        .filter(|r| r.protocol == desired.protocol)
        .step_by(100)
    {
        r.gateway = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 3)));
        changed += 1;
    }
    let inputs = (desired_routes.len() + observed.len()) * std::mem::size_of::<Route>();
    let mut times = Vec::new();
    let mut extra = 0;
    let mut updates = 0;
    for _ in 0..ITERS {
        let mut d = desired_routes.clone();
        let mut o = observed.clone();
        let base = reset_peak();
        let t = Instant::now();
        let mut u = 0;
        diff::routes(&mut d, &mut o, desired.protocol, |c| {
            if let Change::Update { .. } = c {
                u += 1;
            }
        });
        let took = t.elapsed();
        extra = extra.max(PEAK.load(Ordering::Relaxed) - base);
        times.push(took);
        updates = u;
    }
    if updates != changed {
        return Err(format!("diff found {updates} updates, {changed} changed").into());
    }
    println!(
        "2. Diff {} desired vs {} observed, {changed} changed",
        desired_routes.len(),
        observed.len()
    );
    println!(
        "  diff::routes (sort both + merge)         {}  {updates} updates; heap: inputs {:.1} MB, allocated by the diff {extra} bytes",
        ms(median(times)),
        inputs as f64 / 1e6
    );
    drop(observed);

    // 3. No-op pass vs a plain dump, interleaved.
    let mut dump_bytes = 0usize;
    let (mut dumps, mut streams, mut passes, mut whole) = (vec![], vec![], vec![], vec![]);
    let (mut stream_cpu, mut whole_cpu) = (vec![], vec![]);
    let mut peak = 0;
    for _ in 0..ITERS {
        let t = Instant::now();
        black_box(collect(&mut conn)?);
        dumps.push(t.elapsed());
        let (t, c) = (Instant::now(), cpu());
        let mut bytes = 0usize;
        conn.dump(
            |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
            |m| {
                bytes += m.header().len.get() as usize;
                black_box(Route::decode(m)?);
                Ok(())
            },
        )?;
        streams.push(t.elapsed());
        stream_cpu.push(cpu() - c);
        dump_bytes = bytes;
        let t = Instant::now();
        let snap = conn.snapshot()?;
        let steps = plan(&desired, snap, &first.last_applied)?.steps().len();
        passes.push(t.elapsed());
        if steps != 0 {
            return Err(format!("the no-op pass planned {steps} steps").into());
        }
        let base = reset_peak();
        let (t, c) = (Instant::now(), cpu());
        let report = conn.reconcile(&desired, &first.last_applied)?;
        whole.push(t.elapsed());
        whole_cpu.push(cpu() - c);
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
        if !report.applied.is_empty() || !report.converged {
            return Err("the no-op pass applied something or did not converge".into());
        }
    }
    let (dump, streamed, pass) = (median(dumps), median(streams), median(passes));
    let whole = median(whole);
    println!("3. A no-op reconcile pass over {ROUTES} routes");
    println!("  plain dump_collect of the routes        {}", ms(dump));
    println!(
        "  streamed dump + Route::decode, no Vec   {}  ({:.1} MB of messages)",
        ms(streamed),
        dump_bytes as f64 / 1e6
    );
    println!(
        "  Conn::snapshot (every table) + plan, collected (info)  {}  = {:.2}x the streamed dump",
        ms(pass),
        pass.as_secs_f64() / streamed.as_secs_f64()
    );
    println!(
        "  Conn::reconcile (the whole no-op pass, streamed)  {}  = {:.2}x the streamed dump (target <= 2x); CPU {} = {:.2}x the dump's {}",
        ms(whole),
        whole.as_secs_f64() / streamed.as_secs_f64(),
        ms(median(whole_cpu.clone())),
        median(whole_cpu).as_secs_f64() / median(stream_cpu.clone()).as_secs_f64(),
        ms(median(stream_cpu)),
    );
    println!(
        "  peak heap of the no-op pass {:.2} MB vs the dump's {:.2} MB of messages = {:.2}x (target <= 2x)",
        peak as f64 / 1e6,
        dump_bytes as f64 / 1e6,
        peak as f64 / dump_bytes as f64
    );

    // 4. Converge an empty namespace vs the raw batch install,
    // alternating. Wall time, and this thread's CPU time (user + system:
    // the kernel handles a netlink request in the sender's context), which
    // other loads on the machine disturb less.
    let flush = || sh_in(&ns, &["ip", "route", "flush", "proto", "76"]);
    let (mut raws, mut passes, mut raw_cpu, mut pass_cpu) = (vec![], vec![], vec![], vec![]);
    for _ in 0..5 {
        flush()?;
        let (t, c) = (Instant::now(), cpu());
        let answers = conn.batch((0..ROUTES).map(|i| {
            encoder(move |w: &mut MsgWriter<'_>| {
                let mut r = NewRoute::new(dst(i));
                r.gateway = Some(IpAddr::V4(GATEWAY));
                r.protocol = RouteProtocol(76);
                route::encode_new(w, &r, RouteMode::Add)
            })
        }))?;
        raws.push(t.elapsed());
        raw_cpu.push(cpu() - c);
        if answers.iter().any(Result::is_err) {
            return Err("the raw install failed".into());
        }
        drop(answers);
        flush()?;
        let (t, c) = (Instant::now(), cpu());
        let r = conn.reconcile(&desired, &LastApplied::new())?;
        passes.push(t.elapsed());
        pass_cpu.push(cpu() - c);
        if !r.converged || r.applied.len() != ROUTES as usize {
            return Err(format!("converging pass: {:?}", r.error).into());
        }
    }
    let (raw, conv) = (median(raws), median(passes));
    let (raw_c, conv_c) = (median(raw_cpu), median(pass_cpu));
    println!("4. Converge an empty namespace to {ROUTES} routes (medians of 5, alternating)");
    println!(
        "  raw Conn::batch of {ROUTES} RTM_NEWROUTE      {}  (CPU {})",
        ms(raw),
        ms(raw_c)
    );
    println!(
        "  Conn::reconcile (read, plan, batch, confirming read)  {}  = {:.2}x the raw install (target <= 1.2x); CPU {} = {:.2}x",
        ms(conv),
        conv.as_secs_f64() / raw.as_secs_f64(),
        ms(conv_c),
        conv_c.as_secs_f64() / raw_c.as_secs_f64()
    );

    // 5. The diff alone, three sizes.
    println!("5. diff::routes, n desired vs n observed (1% changed)");
    for n in [10_000u32, 100_000, 1_000_000] {
        let want: Vec<Route> = (0..n)
            .map(|i| {
                RouteSpec::new(dst(i))
                    .via(IpAddr::V4(GATEWAY))
                    .to_route(None)
            })
            .collect();
        let have: Vec<Route> = want
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut o = r.clone();
                o.protocol = desired.protocol;
                if i % 100 == 0 {
                    o.gateway = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 3)));
                }
                o
            })
            .rev()
            .collect();
        let mut times = Vec::new();
        for _ in 0..3 {
            let (mut d, mut o) = (want.clone(), have.clone());
            let t = Instant::now();
            let mut c = 0usize;
            diff::routes(&mut d, &mut o, desired.protocol, |_| c += 1);
            times.push(t.elapsed());
            black_box(c);
        }
        let t = median(times);
        println!(
            "  n = {n:>9}                             {}  = {:.0} ns per route",
            ms(t),
            t.as_secs_f64() * 1e9 / f64::from(n)
        );
    }
    Ok(())
}

/// Run a command inside the bench's namespace.
fn sh_in(ns: &PrivateNetns, args: &[&str]) -> Result<(), BoxError> {
    ns.netns().run(|| sh(args))?
}
