//! Route benchmarks (issue 4): installing and dumping 100,000 IPv4 routes,
//! side by side with iproute2 on the same namespace and the same routes,
//! and heap allocations per decoded route.
//!
//! Everything happens inside private network namespaces
//! ([`PrivateNetns`]); the host's namespace is never touched. Needs root
//! (`CAP_SYS_ADMIN` to create a namespace); otherwise prints
//! "skipped: needs root" and exits 0.
//!
//! Run with `cargo bench -p nl-rustix --bench routes`; set
//! `NL_BENCH_DEBUG=1` for per-trial times on stderr.
//!
//! Times are wall clock (median, min, max) and CPU (user + system of the
//! measuring thread for ours, of the child for `ip`; the kernel's work on a
//! netlink request runs in the sender's syscall, so it counts). CPU time
//! is the steadier figure on a busy machine.

// The counting global allocator needs `unsafe impl GlobalAlloc`; it only
// forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use nl_proto::route::AddrFamily;
use nl_proto::route::route::{self, NewRoute, Route, RouteMode};
use nl_proto::session::{Event, Session};
use nl_proto::wire::{MsgType, MsgWriter, Msgs};
use nl_proto::{IpNet, Ipv4Net};
use nl_rustix::{Conn, MAX_IN_FLIGHT, Netns, PrivateNetns, Protocol, Received, Socket};

// ---------------------------------------------------------------------------
// Counting allocator

/// Wraps `System`, counting `alloc`, `alloc_zeroed` and `realloc` calls.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded contract.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------
// Parameters

/// Routes installed and dumped.
const ROUTES: u32 = 100_000;
/// Install trials per method (fresh namespace each).
const INSTALL_TRIALS: usize = 3;
/// Dump iterations per method.
const DUMP_ITERS: usize = 10;
/// The gateway of every route (the peer side of v0's /16).
const GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);
/// `RT_TABLE_MAIN`.
const MAIN: u32 = 254;

/// With `NL_BENCH_DEBUG` set, per-trial details go to stderr.
fn debug(what: std::fmt::Arguments<'_>) {
    if std::env::var_os("NL_BENCH_DEBUG").is_some() {
        eprintln!("  [debug] {what}");
    }
}

/// Pause after a teardown, for deferred (RCU) frees to run.
const SETTLE: Duration = Duration::from_millis(200);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Route `i`: `172.16.0.0 + i` as a /32 (100k fit well inside 172.16.0.0/12).
fn dst(i: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(Ipv4Addr::new(172, 16, 0, 0)) + i)
}

fn new_routes() -> Vec<NewRoute> {
    (0..ROUTES)
        .map(|i| {
            let mut r = NewRoute::new(IpNet::V4(Ipv4Net::new_assert(dst(i), 32)));
            r.gateway = Some(IpAddr::V4(GATEWAY));
            r
        })
        .collect()
}

/// Run a command (inside the caller's namespace), failing on a non-zero exit.
fn sh(args: &[&str]) -> Result<(), BoxError> {
    let out = Command::new(args[0]).args(&args[1..]).output()?;
    if !out.status.success() {
        return Err(format!(
            "{}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(())
}

/// A fresh namespace with `lo` up and a veth pair v0/v1 up, 10.0.0.1/16
/// on v0. The veth lives and dies with the namespace.
fn fresh_ns() -> Result<PrivateNetns, BoxError> {
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
    Ok(ns)
}

use nl_rustix::encoder;

/// Tear a trial's namespace down before the next trial starts: deleting
/// v0 flushes its 100k routes synchronously, instead of leaving them to
/// the kernel's asynchronous namespace cleanup, which would otherwise run
/// during (and slow down) the next trial.
fn teardown(ns: PrivateNetns) -> Result<(), BoxError> {
    let t = Instant::now();
    ns.netns().run(|| sh(&["ip", "link", "del", "v0"]))??;
    drop(ns);
    debug(format_args!("teardown {:?}", t.elapsed()));
    std::thread::sleep(SETTLE);
    Ok(())
}

/// Routes of ours in the main table (dst in 172.16.0.0/12, via 10.0.0.2).
fn count_ours(conn: &mut Conn) -> Result<usize, BoxError> {
    let block = IpNet::V4(Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12));
    let mut n = 0;
    conn.dump(
        |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
        |m| {
            let r = Route::decode(m)?;
            if block.contains(&r.dst) && r.gateway == Some(IpAddr::V4(GATEWAY)) {
                n += 1;
            }
            Ok(())
        },
    )?;
    Ok(n)
}

/// Wall-clock and CPU time of one run.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User + system time: the calling thread's for ours (the kernel's
    /// work on a netlink request runs in the sender's syscall), the
    /// child's for `ip`. Unlike wall time it hardly moves when other
    /// processes compete for the CPUs.
    cpu: Duration,
}

fn rusage_cpu(who: libc::c_int) -> Duration {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `ru` is a valid, zeroed rusage for getrusage to fill.
    let rc = unsafe { libc::getrusage(who, ru.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage");
    // SAFETY: zeroed is a valid rusage, and getrusage succeeded.
    let ru = unsafe { ru.assume_init() };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Run `f` on this thread, measuring it.
fn measure<T>(f: impl FnOnce() -> T) -> (T, Sample) {
    let cpu = rusage_cpu(libc::RUSAGE_THREAD);
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed();
    let cpu = rusage_cpu(libc::RUSAGE_THREAD) - cpu;
    (out, Sample { wall, cpu })
}

/// Time a process run inside `ns`, from spawn to exit.
fn time_process(ns: &Netns, args: &[&str], stdin_null: bool) -> Result<Sample, BoxError> {
    ns.run(|| -> Result<Sample, BoxError> {
        let mut cmd = Command::new(args[0]);
        cmd.args(&args[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if stdin_null {
            cmd.stdin(Stdio::null());
        }
        let cpu = rusage_cpu(libc::RUSAGE_CHILDREN);
        let t = Instant::now();
        let out = cmd.output()?;
        let wall = t.elapsed();
        let cpu = rusage_cpu(libc::RUSAGE_CHILDREN) - cpu;
        if !out.status.success() {
            return Err(format!(
                "{}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )
            .into());
        }
        Ok(Sample { wall, cpu })
    })?
}

// ---------------------------------------------------------------------------
// Statistics and printing

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
    cpu: Duration,
}

fn median(mut s: Vec<Duration>) -> Duration {
    s.sort();
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2
    }
}

fn stats(samples: &[Sample]) -> Stats {
    let wall: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    Stats {
        median: median(wall.clone()),
        min: *wall.iter().min().expect("samples"),
        max: *wall.iter().max().expect("samples"),
        cpu: median(samples.iter().map(|s| s.cpu).collect()),
    }
}

/// `a / b` of wall medians and of CPU medians.
fn ratios(a: &Stats, b: &Stats) -> (f64, f64) {
    (
        a.median.as_secs_f64() / b.median.as_secs_f64(),
        a.cpu.as_secs_f64() / b.cpu.as_secs_f64(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:9.1} ms", d.as_secs_f64() * 1e3)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn row(name: &str, s: &Stats, per: u64) {
    let rate = per as f64 / s.median.as_secs_f64();
    let ns_each = s.median.as_nanos() as f64 / per as f64;
    println!(
        "  {name:<38} {} {} {} {}  {:>6.0} ns/route {:>9.0} routes/s",
        ms(s.median),
        ms(s.min),
        ms(s.max),
        ms(s.cpu),
        ns_each,
        rate
    );
}

fn header() {
    println!(
        "  {:<38} {:>12} {:>12} {:>12} {:>12}  (per route and rate: wall median)",
        "method", "wall median", "wall min", "wall max", "cpu median"
    );
}

// ---------------------------------------------------------------------------
// 1. Install

fn install_ours(routes: &[NewRoute]) -> Result<Sample, BoxError> {
    let ns = fresh_ns()?;
    let (out, took) = measure(|| -> Result<_, BoxError> {
        let mut conn = Conn::open_in(&ns.netns())?;
        let results = conn.batch(
            routes
                .iter()
                .map(|r| encoder(move |w| route::encode_new(w, r, RouteMode::Add))),
        )?;
        Ok((conn, results))
    });
    debug(format_args!(
        "ours: wall {:?} cpu {:?}",
        took.wall, took.cpu
    ));
    let (mut conn, results) = out?;
    if results.len() != routes.len() {
        return Err(format!("{} results for {} routes", results.len(), routes.len()).into());
    }
    if let Some((i, Err(e))) = results.iter().enumerate().find(|(_, r)| r.is_err()) {
        return Err(format!("route {i} ({}): {e}", dst(i as u32)).into());
    }
    let n = count_ours(&mut conn)?;
    if n != routes.len() {
        return Err(format!("ours: {n} routes after install, expected {}", routes.len()).into());
    }
    teardown(ns)?;
    Ok(took)
}

fn install_ip(file: &Path) -> Result<Sample, BoxError> {
    let ns = fresh_ns()?;
    let file = file.to_str().ok_or("batch file path not UTF-8")?;
    let took = time_process(&ns.netns(), &["ip", "-batch", file], true)?;
    debug(format_args!(
        "ip -batch: wall {:?} cpu {:?}",
        took.wall, took.cpu
    ));
    let n = count_ours(&mut Conn::open_in(&ns.netns())?)?;
    if n != ROUTES as usize {
        return Err(format!("ip -batch: {n} routes after install, expected {ROUTES}").into());
    }
    teardown(ns)?;
    Ok(took)
}

fn bench_install(routes: &[NewRoute]) -> Result<(Stats, Stats), BoxError> {
    let file = std::env::temp_dir().join(format!("nl-bench-routes-{}.batch", std::process::id()));
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file)?);
        for i in 0..ROUTES {
            writeln!(f, "route add {}/32 via {GATEWAY}", dst(i))?;
        }
        f.flush()?;
    }
    let mut ours = Vec::new();
    let mut ip = Vec::new();
    let res = (|| -> Result<(), BoxError> {
        for _ in 0..INSTALL_TRIALS {
            ours.push(install_ours(routes)?);
            ip.push(install_ip(&file)?);
        }
        Ok(())
    })();
    let _ = std::fs::remove_file(&file);
    res?;
    Ok((stats(&ours), stats(&ip)))
}

// ---------------------------------------------------------------------------
// 2. Dump

/// The hand-written dump request: nlmsghdr + rtmsg(AF_INET) + RTA_TABLE 254.
fn raw_dump_request(seq: u32) -> [u8; 36] {
    let mut b = [0u8; 36];
    b[0..4].copy_from_slice(&36u32.to_ne_bytes()); // nlmsg_len
    b[4..6].copy_from_slice(&26u16.to_ne_bytes()); // RTM_GETROUTE
    b[6..8].copy_from_slice(&0x301u16.to_ne_bytes()); // NLM_F_REQUEST | NLM_F_DUMP
    b[8..12].copy_from_slice(&seq.to_ne_bytes()); // nlmsg_seq
    // nlmsg_pid 0 (12..16)
    b[16] = 2; // rtm_family AF_INET; rest of rtmsg zero (16..28)
    b[28..30].copy_from_slice(&8u16.to_ne_bytes()); // rta_len
    b[30..32].copy_from_slice(&15u16.to_ne_bytes()); // RTA_TABLE
    b[32..36].copy_from_slice(&MAIN.to_ne_bytes());
    b
}

/// The floor: one request, one reused buffer, count messages by walking
/// `nlmsghdr` lengths; no session, no decode.
fn dump_floor(sock: &Socket, buf: &mut [u8], seq: u32) -> Result<usize, BoxError> {
    sock.send(&raw_dump_request(seq))?;
    let mut count = 0;
    loop {
        let len = match sock.recv(buf)? {
            Received::Datagram { len, .. } => len,
            Received::Truncated { len, .. } => return Err(format!("truncated {len}").into()),
        };
        let mut off = 0;
        while off + 16 <= len {
            let mlen = u32::from_ne_bytes(buf[off..off + 4].try_into().unwrap()) as usize;
            let ty = u16::from_ne_bytes(buf[off + 4..off + 6].try_into().unwrap());
            match ty {
                3 => return Ok(count),                         // NLMSG_DONE
                2 => return Err("NLMSG_ERROR in dump".into()), // NLMSG_ERROR
                _ => count += 1,
            }
            if mlen < 16 {
                return Err("bad nlmsg_len".into());
            }
            off += (mlen + 3) & !3;
        }
    }
}

struct DumpResult {
    ours: Stats,
    walk: Stats,
    floor: Stats,
    ip: Stats,
    ip_json: Stats,
    entries: usize,
    route_size: usize,
}

fn bench_dump(ns: &PrivateNetns) -> Result<DumpResult, BoxError> {
    let netns = ns.netns();
    let mut conn = Conn::open_in(&netns)?;
    let sock = netns.socket(Protocol::Route)?;
    sock.set_recv_timeout(Some(Duration::from_secs(10)))?;
    let mut buf = vec![0u8; 64 * 1024];

    let (mut ours, mut walk, mut floor, mut ip, mut ip_json) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut entries = 0;
    // Warm-up (page cache for `ip`, the kernel's route dump path).
    black_box(dump_floor(&sock, &mut buf, 1)?);
    for i in 0..DUMP_ITERS {
        let (routes, took) = measure(|| {
            conn.dump_collect(
                |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
                |m| Route::decode(m).map(Some),
            )
        });
        let routes: Vec<Route> = routes?;
        ours.push(took);
        let n = routes.len();
        drop(black_box(routes));

        // The same driver and decoder, each route dropped after decoding.
        let (decoded, took) = measure(|| {
            let mut k = 0usize;
            conn.dump(
                |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
                |m| {
                    black_box(Route::decode(m)?);
                    k += 1;
                    Ok(())
                },
            )
            .map(|_| k)
        });
        let decoded = decoded?;
        walk.push(took);

        let (m, took) = measure(|| dump_floor(&sock, &mut buf, 2 + i as u32));
        let m = m?;
        floor.push(took);
        if m != n || decoded != n || n < ROUTES as usize {
            return Err(format!("dump sizes differ: ours {n}, {decoded}, floor {m}").into());
        }
        entries = n;

        ip.push(time_process(&netns, &["ip", "route", "show"], true)?);
        ip_json.push(time_process(&netns, &["ip", "-j", "route", "show"], true)?);
    }
    Ok(DumpResult {
        ours: stats(&ours),
        walk: stats(&walk),
        floor: stats(&floor),
        ip: stats(&ip),
        ip_json: stats(&ip_json),
        entries,
        route_size: std::mem::size_of::<Route>(),
    })
}

// ---------------------------------------------------------------------------
// 3. Allocations

struct AllocResult {
    routes: usize,
    datagrams: usize,
    bytes: usize,
    core_msgs: u64,
    core_session: u64,
    driver: u64,
    driver_routes: usize,
}

fn bench_allocs(ns: &PrivateNetns) -> Result<AllocResult, BoxError> {
    let netns = ns.netns();
    let sock = netns.socket(Protocol::Route)?;
    sock.set_recv_timeout(Some(Duration::from_secs(10)))?;

    // Submit one dump through a session, capture its raw datagrams.
    let mut session: Box<Session<MAX_IN_FLIGHT>> = Box::new(Session::new());
    let mut req = [0u8; 64];
    let mut w = MsgWriter::new(&mut req);
    let request = route::encode_dump(&mut w, AddrFamily::INET, Some(MAIN))?;
    let seq = session.submit(request)?;
    let len = w.len();
    sock.send(&req[..len])?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut datagrams: Vec<(Vec<u8>, nl_proto::session::Source)> = Vec::with_capacity(1024);
    loop {
        let (n, src) = match sock.recv(&mut buf)? {
            Received::Datagram { len, src } => (len, src),
            Received::Truncated { len, .. } => return Err(format!("truncated {len}").into()),
        };
        let dgram = buf[..n].to_vec();
        let done = Msgs::new(&dgram)
            .filter_map(Result::ok)
            .any(|m| m.msg_type() == MsgType::DONE || m.msg_type() == MsgType::ERROR);
        datagrams.push((dgram, src));
        if done {
            break;
        }
    }
    let bytes = datagrams.iter().map(|(d, _)| d.len()).sum();

    // Core, plain walk: Msgs + Route::decode.
    let before = allocs();
    let mut routes = 0usize;
    for (d, _) in &datagrams {
        for m in Msgs::new(d) {
            let m = m?;
            if m.msg_type() == nl_proto::route::RTM_NEWROUTE {
                black_box(Route::decode(&m)?);
                routes += 1;
            }
        }
    }
    let core_msgs = allocs() - before;

    // Core, session path: Session::feed + Route::decode.
    let before = allocs();
    let mut routes_session = 0usize;
    let mut done = false;
    for (d, src) in &datagrams {
        for ev in session.feed(d, *src) {
            match ev? {
                Event::Reply { seq: s, msg } if s == seq => {
                    black_box(Route::decode(&msg)?);
                    routes_session += 1;
                }
                Event::Done { seq: s, .. } if s == seq => done = true,
                _ => {}
            }
        }
    }
    let core_session = allocs() - before;
    if !done || routes_session != routes {
        return Err(format!(
            "session path: {routes_session} routes (done: {done}), plain walk: {routes}"
        )
        .into());
    }

    // The whole driver path, for information.
    let mut conn = Conn::open_in(&netns)?;
    let before = allocs();
    let out: Vec<Route> = conn.dump_collect(
        |w: &mut MsgWriter<'_>| route::encode_dump(w, AddrFamily::INET, Some(MAIN)),
        |m| Route::decode(m).map(Some),
    )?;
    let driver = allocs() - before;
    let driver_routes = out.len();
    drop(out);

    Ok(AllocResult {
        routes,
        datagrams: datagrams.len(),
        bytes,
        core_msgs,
        core_session,
        driver,
        driver_routes,
    })
}

// ---------------------------------------------------------------------------

fn main() {
    // `cargo bench` passes `--bench`; other arguments are ignored.
    let probe = PrivateNetns::new();
    if let Err(e) = probe {
        println!("routes bench skipped: needs root (cannot create a network namespace: {e})");
        return;
    }
    drop(probe);
    if let Err(e) = run() {
        eprintln!("routes bench failed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), BoxError> {
    let started = Instant::now();
    let ip_version = Command::new("ip")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("nl route benchmarks: {ROUTES} IPv4 /32 routes in 172.16.0.0/12 via {GATEWAY}");
    println!("  iproute2: {ip_version}");
    println!("  each in a private network namespace (lo up, veth v0/v1 up, 10.0.0.1/16 on v0)\n");

    let routes = new_routes();

    // 1. Install.
    println!(
        "1. Install {ROUTES} routes, every ack checked ({INSTALL_TRIALS} trials, fresh namespace each)"
    );
    let (ours, ip) = bench_install(&routes)?;
    header();
    row("nl Conn::batch (open + batch)", &ours, u64::from(ROUTES));
    row("ip -batch (spawn to exit)", &ip, u64::from(ROUTES));
    let (wall, cpu) = ratios(&ip, &ours);
    println!(
        "  ours is {wall:.2}x faster than ip -batch by wall median (target >= 2x: {}), {cpu:.2}x by CPU\n",
        verdict(wall >= 2.0)
    );

    // 2. Dump.
    let ns = fresh_ns()?;
    {
        let mut conn = Conn::open_in(&ns.netns())?;
        let results = conn.batch(
            routes
                .iter()
                .map(|r| encoder(move |w| route::encode_new(w, r, RouteMode::Add))),
        )?;
        if results.iter().any(Result::is_err) {
            return Err("installing the dump namespace's routes failed".into());
        }
    }
    let d = bench_dump(&ns)?;
    let n = d.entries as u64;
    println!("2. Dump the main table: {n} routes ({DUMP_ITERS} iterations each, same namespace)");
    header();
    row("nl dump_collect -> Vec<Route>", &d.ours, n);
    row("nl dump + Route::decode, no Vec (info)", &d.walk, n);
    row("floor: raw recv loop, count only", &d.floor, n);
    row("ip route show (> /dev/null)", &d.ip, n);
    row("ip -j route show (> /dev/null)", &d.ip_json, n);
    let (wall, cpu) = ratios(&d.ours, &d.floor);
    let min = d.ours.min.as_secs_f64() / d.floor.min.as_secs_f64();
    println!(
        "  dump_collect / floor = {wall:.2}x wall median, {min:.2}x wall min, {cpu:.2}x CPU (target <= 1.3x: {})",
        verdict(wall <= 1.3)
    );
    let (wall, cpu) = ratios(&d.walk, &d.floor);
    println!("  dump + decode, no Vec / floor = {wall:.2}x wall median, {cpu:.2}x CPU");
    let (a, ac) = ratios(&d.ip, &d.ours);
    let (b, bc) = ratios(&d.ip_json, &d.ours);
    println!(
        "  dump_collect vs ip route show: {a:.2}x faster ({ac:.2}x CPU); vs ip -j route show: {b:.2}x faster ({bc:.2}x CPU)"
    );
    println!(
        "  size_of::<Route>() = {} bytes: a Vec<Route> of {n} is {:.1} MB\n",
        d.route_size,
        (d.route_size as u64 * n) as f64 / 1e6
    );

    // 3. Allocations.
    let a = bench_allocs(&ns)?;
    println!(
        "3. Heap allocations while decoding one dump ({} routes, {} datagrams, {} bytes captured)",
        a.routes, a.datagrams, a.bytes
    );
    let per = |n: u64, r: usize| n as f64 / r as f64;
    println!(
        "  core: Msgs + Route::decode            {:>8} allocs  {:.4}/route (must be 0: {})",
        a.core_msgs,
        per(a.core_msgs, a.routes),
        if a.core_msgs == 0 { "ok" } else { "FAILED" }
    );
    println!(
        "  core: Session::feed + Route::decode   {:>8} allocs  {:.4}/route (must be 0: {})",
        a.core_session,
        per(a.core_session, a.routes),
        if a.core_session == 0 { "ok" } else { "FAILED" }
    );
    println!(
        "  driver: Conn::dump_collect (info)     {:>8} allocs  {:.4}/route ({} routes)",
        a.driver,
        per(a.driver, a.driver_routes),
        a.driver_routes
    );
    drop(ns);

    println!(
        "\ntotal bench time {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if a.core_msgs != 0 || a.core_session != 0 {
        return Err("the core allocated while decoding".into());
    }
    Ok(())
}
