//! Pipelined round trips, side by side in one run: nl-mio's [`Conn`], the
//! blocking [`nl_rustix::Conn`] (one request at a time, and its `batch`),
//! and a raw-socket floor (pre-encoded requests, windows of the same size
//! as nl-mio's budget, answers counted without a session); then one
//! round trip at a time, for nl-mio, the blocking `Conn::get` and a raw
//! floor that sends each request alone and reads to its ack.
//!
//! Each method keeps one connection for all its runs (after an unreported
//! warm-up run), as a long-lived program would.
//!
//! Every request is a route lookup (`RTM_GETROUTE` for `127.0.x.y`), which
//! the kernel answers with one reply and an ack. Everything runs in a
//! private network namespace ([`PrivateNetns`]); the host's is never
//! touched. Needs root; otherwise prints "skipped: needs root" and exits 0.
//!
//! Run with `cargo bench -p nl-mio --bench pipeline`.

use mio::{Events, Interest, Poll, Token};
use nl_mio::{ANSWER_COST, Conn};
use nl_proto::route::route::{self, Route, RouteGet};
use nl_proto::session::{Expect, Request, Session};
use nl_proto::wire::{Flags, MsgType, MsgWriter, Msgs};
use nl_rustix::{LinkSet, PrivateNetns, Protocol, Received};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Requests per run.
const REQUESTS: u32 = 10_000;
/// Runs per method; the median is reported.
const RUNS: usize = 7;

/// Runs per method, `NL_BENCH_RUNS` if set (more, for profiling).
fn runs() -> usize {
    std::env::var("NL_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(RUNS)
}
/// Requests outstanding at once in the windowed nl-mio run.
const WINDOW: u32 = 256;
/// `NLMSG_ERROR`: an ack ends each request.
const NLMSG_ERROR: MsgType = MsgType(2);

fn dst(i: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, (i >> 8) as u8, i as u8))
}

fn lookup(i: u32) -> impl nl_mio::EncodeClosure + Clone {
    let get = RouteGet::new(dst(i));
    nl_mio::encoder(move |w| route::encode_get(w, &get))
}

/// The connections every method uses, opened once (and warmed up by a
/// first, unreported run) so that runs measure steady-state round trips.
struct Conns {
    poll: Poll,
    mio: Conn,
    blocking: nl_rustix::Conn,
    raw: nl_rustix::Socket,
    /// The raw floor's requests, encoded and stamped once.
    wire: Vec<u8>,
    /// Where each request starts in `wire` (and where the last ends).
    offsets: Vec<usize>,
    /// Requests per raw window: as many as nl-mio's budget admits.
    window: usize,
    buf: Vec<u8>,
}

impl Conns {
    fn open(ns: &PrivateNetns) -> Result<Self, BoxError> {
        let poll = Poll::new()?;
        let mut mio = Conn::open_in(&ns.netns())?;
        poll.registry()
            .register(&mut mio, Token(0), Interest::READABLE)?;
        let raw = ns.netns().socket(Protocol::Route)?;
        let window = (mio.pipeline().budget() / ANSWER_COST).max(1);
        let mut session = Session::<1>::new();
        let mut wire = vec![0u8; 64 * (REQUESTS as usize)];
        let mut offsets = Vec::with_capacity(REQUESTS as usize + 1);
        let mut w = MsgWriter::new(&mut wire);
        offsets.push(0);
        for i in 0..REQUESTS {
            let req = lookup(i)(&mut w)?;
            // Stamp seq and NLM_F_REQUEST (not tracked), then ask for the ack.
            let msg = req.msg;
            let _ = session.submit(Request::new(msg, Expect::Nothing))?;
            let flags = (Flags::REQUEST | Flags::ACK).bits().to_ne_bytes();
            msg[6..8].copy_from_slice(&flags);
            offsets.push(w.len());
        }
        Ok(Self {
            poll,
            mio,
            blocking: nl_rustix::Conn::open_in(&ns.netns())?,
            raw,
            wire,
            offsets,
            window,
            buf: vec![0u8; 64 * 1024],
        })
    }
}

/// nl-mio: submit everything, run one poll loop until all completed.
fn run_mio(c: &mut Conns) -> Result<(), BoxError> {
    let (poll, conn) = (&mut c.poll, &mut c.mio);
    for i in 0..REQUESTS {
        conn.submit(lookup(i))?;
    }
    conn.flush()?;
    let mut events = Events::with_capacity(16);
    let mut done = 0;
    while done < REQUESTS {
        poll.poll(&mut events, conn.timeout())?;
        for ev in &events {
            conn.on_ready(ev)?;
        }
        for (_, result) in conn.completions() {
            let answer = result?;
            black_box(answer.decode_one(Route::decode)?);
            done += 1;
        }
    }
    Ok(())
}

/// nl-mio as a long-running loop uses it: at most [`WINDOW`] requests
/// submitted and not completed, a new one submitted per completion.
fn run_mio_window(c: &mut Conns) -> Result<(), BoxError> {
    let (poll, conn) = (&mut c.poll, &mut c.mio);
    let mut next = 0;
    while next < WINDOW.min(REQUESTS) {
        conn.submit(lookup(next))?;
        next += 1;
    }
    conn.flush()?;
    let mut events = Events::with_capacity(16);
    let mut done = 0;
    while done < REQUESTS {
        poll.poll(&mut events, conn.timeout())?;
        for ev in &events {
            conn.on_ready(ev)?;
        }
        while let Some((_, result)) = conn.poll_completion() {
            black_box(result?.decode_one(Route::decode)?);
            done += 1;
            if next < REQUESTS {
                conn.submit(lookup(next))?;
                next += 1;
            }
        }
        conn.flush()?;
    }
    Ok(())
}

/// nl-mio one round trip at a time: submit one lookup, poll until its
/// answer, decode it, then the next (what a loop that waits on each
/// answer pays per request; compare with the raw one-at-a-time floor).
fn run_mio_one(c: &mut Conns) -> Result<(), BoxError> {
    let (poll, conn) = (&mut c.poll, &mut c.mio);
    let mut events = Events::with_capacity(16);
    for i in 0..REQUESTS {
        conn.submit(lookup(i))?;
        conn.flush()?;
        loop {
            if let Some((_, result)) = conn.poll_completion() {
                black_box(result?.decode_one(Route::decode)?);
                break;
            }
            poll.poll(&mut events, conn.timeout())?;
            for ev in &events {
                conn.on_ready(ev)?;
            }
        }
    }
    Ok(())
}

/// [`run_mio_one`] with [`Conn::submit_now`]: the request is sent at
/// once and its answer, queued by the kernel during the send, read
/// right after it; the loop polls only if it was not there yet.
fn run_mio_now(c: &mut Conns) -> Result<(), BoxError> {
    let (poll, conn) = (&mut c.poll, &mut c.mio);
    let mut events = Events::with_capacity(16);
    for i in 0..REQUESTS {
        conn.submit_now(lookup(i))?;
        loop {
            if let Some((_, result)) = conn.poll_completion() {
                black_box(result?.decode_one(Route::decode)?);
                break;
            }
            poll.poll(&mut events, conn.timeout())?;
            for ev in &events {
                conn.on_ready(ev)?;
            }
        }
    }
    Ok(())
}

/// The floor of one round trip at a time: each pre-encoded request sent
/// alone, and read up to its ack.
fn run_raw_one(c: &mut Conns) -> Result<(), BoxError> {
    for i in 0..REQUESTS as usize {
        c.raw.send(&c.wire[c.offsets[i]..c.offsets[i + 1]])?;
        let mut acked = false;
        while !acked {
            match c.raw.recv(&mut c.buf)? {
                Received::Datagram { len, .. } => {
                    for msg in Msgs::new(&c.buf[..len]) {
                        acked |= msg?.msg_type() == NLMSG_ERROR;
                    }
                }
                Received::Truncated { len, .. } => return Err(format!("truncated {len}").into()),
            }
        }
    }
    Ok(())
}

/// The blocking connection, one round trip per request.
fn run_blocking(c: &mut Conns) -> Result<(), BoxError> {
    for i in 0..REQUESTS {
        black_box(c.blocking.get(lookup(i), Route::decode)?);
    }
    Ok(())
}

/// The blocking connection's batch: pipelined, but it keeps only each
/// request's success (replies are read and dropped).
fn run_blocking_batch(c: &mut Conns) -> Result<(), BoxError> {
    for r in c.blocking.batch((0..REQUESTS).map(lookup))? {
        r?;
    }
    Ok(())
}

/// The floor: requests encoded (and stamped) beforehand, sent in windows
/// of as many requests as nl-mio's budget admits, and each window's acks
/// counted by message type, with no session or decoding.
fn run_raw(c: &mut Conns) -> Result<(), BoxError> {
    let mut sent = 0usize;
    while sent < REQUESTS as usize {
        let n = c.window.min(REQUESTS as usize - sent);
        c.raw.send(&c.wire[c.offsets[sent]..c.offsets[sent + n]])?;
        sent += n;
        let mut acks = 0;
        while acks < n {
            match c.raw.recv(&mut c.buf)? {
                Received::Datagram { len, .. } => {
                    for msg in Msgs::new(&c.buf[..len]) {
                        if msg?.msg_type() == NLMSG_ERROR {
                            acks += 1;
                        }
                    }
                }
                Received::Truncated { len, .. } => return Err(format!("truncated {len}").into()),
            }
        }
    }
    Ok(())
}

/// Wall-clock and CPU time of one run.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User + system time of this thread: the kernel handles a netlink
    /// request inside the sender's `sendmsg`, so its work counts too.
    /// Unlike wall time it hardly moves when other processes compete for
    /// the CPUs.
    cpu: Duration,
}

fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn measure(run: Method, c: &mut Conns) -> Result<Sample, BoxError> {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    run(c)?;
    Ok(Sample {
        wall: wall.elapsed(),
        cpu: thread_cpu() - cpu,
    })
}

type Method = fn(&mut Conns) -> Result<(), BoxError>;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), BoxError> {
    // `cargo test --benches` and `cargo bench --no-run` style invocations
    // pass flags; only a real bench run measures.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return Ok(());
    }
    let ns = match PrivateNetns::new() {
        Ok(ns) => ns,
        Err(e) => {
            println!("skipped: needs root ({e})");
            return Ok(());
        }
    };
    nl_rustix::Conn::open_in(&ns.netns())?.set_link(1u32, &LinkSet::new().up())?;
    let mut conns = Conns::open(&ns)?;
    let methods: [(&str, Method); 8] = [
        ("raw socket floor (windows)", run_raw),
        ("nl-mio Conn (all 10k submitted)", run_mio),
        ("nl-mio Conn (256 outstanding)", run_mio_window),
        ("nl-rustix Conn::batch", run_blocking_batch),
        ("raw socket floor, one at a time", run_raw_one),
        ("nl-mio Conn, one at a time", run_mio_one),
        ("nl-mio Conn::submit_now, one at a time", run_mio_now),
        ("nl-rustix Conn::get, one at a time", run_blocking),
    ];
    // NL_BENCH_ONLY=WORD runs only the methods whose name contains WORD
    // (for profiling one of them).
    let only = std::env::var("NL_BENCH_ONLY").unwrap_or_default();
    let methods: Vec<(&str, Method)> = methods
        .into_iter()
        .filter(|(name, _)| name.contains(only.as_str()))
        .collect();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); methods.len()];
    for (_, run) in &methods {
        run(&mut conns)?;
    }
    // Interleaved, so drift on a shared machine hits every method alike.
    for _ in 0..runs() {
        for (i, (_, run)) in methods.iter().enumerate() {
            samples[i].push(measure(*run, &mut conns)?);
        }
    }
    println!(
        "{REQUESTS} route lookups (reply + ack each), median of {} runs:",
        runs()
    );
    println!(
        "  {:<38} {:>10} {:>12} {:>10} {:>12}",
        "method", "cpu", "req/s (cpu)", "wall", "wall min"
    );
    for ((name, _), s) in methods.iter().zip(samples) {
        let cpu = median(s.iter().map(|s| s.cpu).collect());
        let wall = median(s.iter().map(|s| s.wall).collect());
        let min = s.iter().map(|s| s.wall).min().unwrap_or_default();
        println!(
            "  {name:<38} {:>8.2}ms {:>12.0} {:>8.2}ms {:>10.2}ms",
            cpu.as_secs_f64() * 1e3,
            f64::from(REQUESTS) / cpu.as_secs_f64(),
            wall.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3,
        );
    }
    Ok(())
}
