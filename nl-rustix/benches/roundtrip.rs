//! Round-trip benchmark (issue 12): one `link get` by name on the
//! blocking [`Conn`] against a raw socket sending the same request bytes
//! and reading the same answer (every datagram up to the end of the
//! request), with no session and no decoding.
//!
//! Runs in a private network namespace ([`PrivateNetns`]); needs root,
//! otherwise prints "skipped" and exits 0. Run with
//! `cargo bench -p nl-rustix --bench roundtrip`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use nl_proto::route::link::{self, LinkRef};
use nl_proto::wire::MsgWriter;
use nl_rustix::{Conn, PrivateNetns, Protocol, Socket, ifname};

/// Round trips per run.
const ITERS: u32 = 20_000;
/// Runs; the figure is the median run.
const RUNS: usize = 5;
/// The target: ours within this factor of the raw socket.
const TARGET: f64 = 1.2;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The request `Conn::link("lo")` sends, with `seq`: encoded once by the
/// same encoder, through a session so the flags are the ones it sets.
fn request_bytes() -> Result<Vec<u8>, BoxError> {
    let mut buf = vec![0u8; 512];
    let mut w = MsgWriter::new(&mut buf);
    let name = ifname("lo")?;
    let req = link::encode_get(&mut w, LinkRef::Name(&name))?;
    let mut session = nl_proto::session::Session::<1>::new();
    session.submit(req)?;
    let len = w.len();
    buf.truncate(len);
    Ok(buf)
}

/// One raw round trip: send, then read datagrams until the one holding
/// an `NLMSG_ERROR` (the ack) or `NLMSG_DONE` for our seq.
fn raw_once(fd: &Socket, req: &mut [u8], seq: u32, buf: &mut [u8]) -> Result<usize, BoxError> {
    req[8..12].copy_from_slice(&seq.to_ne_bytes());
    rustix::net::send(fd, req, rustix::net::SendFlags::empty())?;
    let mut total = 0;
    loop {
        let len = rustix::net::recv(fd, &mut *buf, rustix::net::RecvFlags::empty())?.0;
        total += len;
        let mut off = 0;
        while off + 16 <= len {
            let mlen = u32::from_ne_bytes(buf[off..off + 4].try_into()?) as usize;
            let ty = u16::from_ne_bytes(buf[off + 4..off + 6].try_into()?);
            let mseq = u32::from_ne_bytes(buf[off + 8..off + 12].try_into()?);
            if mseq == seq && (ty == 2 || ty == 3) {
                return Ok(total);
            }
            if mlen < 16 {
                return Err("bad nlmsg_len".into());
            }
            off += (mlen + 3) & !3;
        }
    }
}

/// Median of `RUNS` runs of `ITERS` calls of `f`, per call.
fn per_call(mut f: impl FnMut(u32) -> Result<(), BoxError>) -> Result<Duration, BoxError> {
    let mut runs = Vec::with_capacity(RUNS);
    let mut i = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        for _ in 0..ITERS {
            i += 1;
            f(i)?;
        }
        runs.push(t.elapsed() / ITERS);
    }
    runs.sort();
    Ok(runs[RUNS / 2])
}

fn main() {
    let ns = match PrivateNetns::new() {
        Ok(ns) => ns,
        Err(e) => {
            println!(
                "roundtrip bench skipped: needs root (cannot create a network namespace: {e})"
            );
            return;
        }
    };
    if let Err(e) = run(&ns) {
        eprintln!("roundtrip bench failed: {e}");
        std::process::exit(1);
    }
}

fn run(ns: &PrivateNetns) -> Result<(), BoxError> {
    let mut conn = Conn::open_in(&ns.netns())?;
    let raw = ns.netns().socket(Protocol::Route)?;
    let mut req = request_bytes()?;
    let mut buf = vec![0u8; 64 * 1024];
    let reply_len = raw_once(&raw, &mut req, 1, &mut buf)?;
    println!(
        "nl round trip: `link get lo` ({} request bytes, {reply_len} answer bytes), median of {RUNS} runs of {ITERS}",
        req.len()
    );
    // Interleave so both see the same machine load.
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut undecoded = Vec::new();
    let lo = ifname("lo")?;
    for _ in 0..3 {
        undecoded.push(per_call(|_| {
            conn.get(|w| link::encode_get(w, LinkRef::Name(&lo)), |_| Ok(()))?;
            Ok(())
        })?);
        theirs.push(per_call(|i| {
            black_box(raw_once(&raw, &mut req, i.wrapping_add(1 << 30), &mut buf)?);
            Ok(())
        })?);
        ours.push(per_call(|_| {
            black_box(conn.link("lo")?);
            Ok(())
        })?);
    }
    ours.sort();
    theirs.sort();
    undecoded.sort();
    let (o, t, u) = (ours[1], theirs[1], undecoded[1]);
    let ratio = o.as_secs_f64() / t.as_secs_f64();
    println!(
        "  raw socket (send, recv to the ack)   {:>8.2} us",
        t.as_secs_f64() * 1e6
    );
    println!(
        "  Conn::link(\"lo\") -> Link            {:>8.2} us",
        o.as_secs_f64() * 1e6
    );
    println!(
        "  Conn::get, reply not decoded         {:>8.2} us ({:.2}x raw; info: what the session and socket cost)",
        u.as_secs_f64() * 1e6,
        u.as_secs_f64() / t.as_secs_f64()
    );
    println!(
        "  ratio {ratio:.2}x (target <= {TARGET}x: {})",
        if ratio <= TARGET { "met" } else { "MISSED" }
    );
    Ok(())
}
