//! The request engine's own cost per request, without a socket: what
//! [`Pipeline`] adds to a round trip on top of the system calls. Each
//! request is a route lookup answered, as the kernel does, by a reply
//! datagram and an ack datagram, written here into a buffer and fed back.
//!
//! Two shapes, as the drivers use it: one request at a time (submit,
//! transmit, two datagrams, completion), and windows of 192 (the
//! readiness driver's budget on a 2 MiB receive buffer). No kernel, no
//! root. Run with `cargo bench -p nl-rustix --bench engine`;
//! `NL_BENCH_ROUNDS` sets how many times each shape runs. The figure is
//! the median round's CPU time of this thread, steadier than wall time on
//! a shared machine.

// Reading the thread's CPU clock is one `clock_gettime` through libc.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::time::Duration;

use nl_proto::route::route::{self, Route, RouteGet};
use nl_proto::session::Source;
use nl_rustix::engine::{Pipeline, RequestOptions};
use nl_rustix::{EncodeClosure, encoder};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Requests per round.
const REQUESTS: u32 = 10_000;
/// Requests per window in the windowed shape.
const WINDOW: usize = 192;

fn lookup(i: u32) -> impl EncodeClosure {
    let get = RouteGet::new(std::net::Ipv4Addr::new(127, 0, (i >> 8) as u8, i as u8).into());
    encoder(move |w| route::encode_get(w, &get))
}

/// The kernel's answer to the request at the front of `chunk`: an
/// `RTM_NEWROUTE` reply (rtmsg, `RTA_TABLE`, `RTA_DST`, `RTA_OIF`) and a
/// capped ack, each a datagram of its own.
fn answer(request: &[u8]) -> ([u8; 52], [u8; 36]) {
    let seq: [u8; 4] = request[8..12].try_into().expect("a header");
    let mut reply = [0u8; 52];
    reply[0..4].copy_from_slice(&52u32.to_ne_bytes());
    reply[4..6].copy_from_slice(&24u16.to_ne_bytes()); // RTM_NEWROUTE
    reply[8..12].copy_from_slice(&seq);
    reply[16..28].copy_from_slice(&[2, 32, 0, 0, 254, 2, 253, 2, 0, 2, 0, 0]);
    let attr = |b: &mut [u8], at: usize, kind: u16, v: [u8; 4]| {
        b[at..at + 2].copy_from_slice(&8u16.to_ne_bytes());
        b[at + 2..at + 4].copy_from_slice(&kind.to_ne_bytes());
        b[at + 4..at + 8].copy_from_slice(&v);
    };
    attr(&mut reply, 28, 15, 254u32.to_ne_bytes()); // RTA_TABLE
    attr(&mut reply, 36, 1, [127, 0, 0, 1]); // RTA_DST
    attr(&mut reply, 44, 4, 1u32.to_ne_bytes()); // RTA_OIF
    let mut ack = [0u8; 36];
    ack[0..4].copy_from_slice(&36u32.to_ne_bytes());
    ack[4..6].copy_from_slice(&2u16.to_ne_bytes()); // NLMSG_ERROR
    ack[6..8].copy_from_slice(&0x100u16.to_ne_bytes()); // NLM_F_CAPPED
    ack[8..12].copy_from_slice(&seq);
    ack[20..36].copy_from_slice(&request[..16]);
    (reply, ack)
}

/// One request at a time, its reply collected and decoded.
fn one_at_a_time(p: &mut Pipeline) -> Result<(), BoxError> {
    for i in 0..REQUESTS {
        p.submit(lookup(i))?;
        let chunk = p.poll_transmit().ok_or("nothing to send")?;
        let (reply, ack) = answer(chunk);
        p.sent();
        p.handle_datagram(&reply, Source::KERNEL);
        p.handle_datagram(&ack, Source::KERNEL);
        let (_, result) = p.poll_completion().ok_or("no completion")?;
        black_box(result?.decode_one(Route::decode)?);
    }
    Ok(())
}

/// Windows of [`WINDOW`] requests in one datagram, replies discarded (as
/// `Conn::batch` runs them).
fn windows(p: &mut Pipeline) -> Result<(), BoxError> {
    let mut answers = Vec::with_capacity(WINDOW);
    let mut i = 0;
    while i < REQUESTS {
        let n = (WINDOW as u32).min(REQUESTS - i);
        for k in i..i + n {
            p.submit_with(lookup(k), RequestOptions::new().discard_replies())?;
        }
        i += n;
        let chunk = p.poll_transmit().ok_or("nothing to send")?;
        let mut at = 0;
        while at < chunk.len() {
            let len = u32::from_ne_bytes(chunk[at..at + 4].try_into()?) as usize;
            answers.push(answer(&chunk[at..at + len]));
            at += len.next_multiple_of(4);
        }
        p.sent();
        for (reply, ack) in answers.drain(..) {
            p.handle_datagram(&reply, Source::KERNEL);
            p.handle_datagram(&ack, Source::KERNEL);
        }
        while let Some((_, result)) = p.poll_completion() {
            black_box(result?);
        }
    }
    Ok(())
}

/// This thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn main() -> Result<(), BoxError> {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return Ok(());
    }
    let rounds: usize = std::env::var("NL_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(21);
    type Shape = fn(&mut Pipeline) -> Result<(), BoxError>;
    let shapes: [(&str, Shape); 2] = [
        ("one at a time, reply decoded", one_at_a_time),
        ("windows of 192, replies discarded", windows),
    ];
    println!("request engine, no socket: {REQUESTS} route lookups per round, median of {rounds}");
    for (name, shape) in shapes {
        let mut p = Pipeline::new(2 << 20);
        shape(&mut p)?;
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = thread_cpu();
            shape(&mut p)?;
            times.push(thread_cpu() - t);
        }
        times.sort();
        let per = times[rounds / 2].as_nanos() as f64 / f64::from(REQUESTS);
        println!("  {name:<40} {per:>7.0} ns/request (CPU)");
    }
    Ok(())
}
