//! One `link get lo` round trip at a time on nl-mio's [`Conn`], side by
//! side with a raw socket (plain bound netlink socket, `send` then `recv`
//! up to the ack, the same request bytes, no session, no decoding) and
//! the blocking [`nl_rustix::Conn::link`]: the readiness driver's half of
//! "a get of one link, round trip" (nl-rustix's `roundtrip` bench has
//! the blocking half, with rows in between).
//!
//! nl-mio rows: [`Conn::submit_now`] (the answer is read right after the
//! send, the registration never changes), and the typed verb
//! [`Conn::link`] driven as a readiness loop does (flush, poll, on_ready,
//! poll_call). Every variant runs in chunks interleaved with the others;
//! the figures are the median chunk's wall time and this thread's CPU
//! time (user + system: the kernel answers inside our system calls).
//!
//! Runs in a private network namespace ([`PrivateNetns`]); needs root,
//! otherwise prints "skipped" and exits 0. Run with
//! `cargo bench -p nl-mio --bench roundtrip`.

use mio::{Events, Interest, Poll, Token};
use nl_mio::Conn;
use nl_proto::route::link::{self, Link, LinkRef};
use nl_proto::wire::Msgs;
use nl_rustix::{PrivateNetns, ifname};
use std::hint::black_box;
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The target: ours within this factor of the raw socket.
const TARGET: f64 = 1.15;
/// Calls per timed chunk.
const CHUNK: u32 = 1_000;
/// Chunks per variant, interleaved.
const CHUNKS: usize = 41;

fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// A plain bound netlink socket and one round trip on it: send, then
/// read datagrams until the one holding the ack (`NLMSG_ERROR`) of `seq`.
struct Raw {
    fd: std::os::fd::OwnedFd,
    req: Vec<u8>,
    buf: Vec<u8>,
}

impl Raw {
    fn open(ns: &PrivateNetns) -> Result<Self, BoxError> {
        use rustix::net::{AddressFamily, SocketFlags, SocketType, netlink::SocketAddrNetlink};
        let fd = ns.netns().run(|| {
            rustix::net::socket_with(
                AddressFamily::NETLINK,
                SocketType::RAW,
                SocketFlags::CLOEXEC,
                None,
            )
        })??;
        rustix::net::bind(&fd, &SocketAddrNetlink::new(0, 0))?;
        // The request nl-rustix's Conn::link("lo") sends, flags included.
        let mut req = vec![0u8; 512];
        let mut w = nl_proto::wire::MsgWriter::new(&mut req);
        let name = ifname("lo")?;
        let r = link::encode_get(&mut w, LinkRef::Name(&name))?;
        nl_proto::session::Session::<1>::new().submit(r)?;
        let len = w.len();
        req.truncate(len);
        Ok(Self {
            fd,
            req,
            buf: vec![0u8; 64 * 1024],
        })
    }

    fn once(&mut self, seq: u32) -> Result<(), BoxError> {
        self.req[8..12].copy_from_slice(&seq.to_ne_bytes());
        rustix::net::send(&self.fd, &self.req, rustix::net::SendFlags::empty())?;
        loop {
            let len =
                rustix::net::recv(&self.fd, &mut self.buf[..], rustix::net::RecvFlags::empty())?.0;
            for m in Msgs::new(&self.buf[..len]) {
                let m = m?;
                if m.seq().0 == seq && m.msg_type() == nl_proto::wire::MsgType::ERROR {
                    return Ok(());
                }
            }
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
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

type Call<'a> = Box<dyn FnMut(u32) -> Result<(), BoxError> + 'a>;
/// Per call in each chunk: wall time, thread CPU time.
type Chunks = Vec<(Duration, Duration)>;

fn run(ns: &PrivateNetns) -> Result<(), BoxError> {
    let mut raw = Raw::open(ns)?;
    let mut blocking = nl_rustix::Conn::open_in(&ns.netns())?;
    let lo = ifname("lo")?;
    let mut now = Conn::open_in(&ns.netns())?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut now, Token(0), Interest::READABLE)?;
    let mut verb_poll = Poll::new()?;
    let mut verb = Conn::open_in(&ns.netns())?;
    verb_poll
        .registry()
        .register(&mut verb, Token(0), Interest::READABLE)?;
    let mut events = Events::with_capacity(16);
    let mut verb_events = Events::with_capacity(16);
    let mut variants: Vec<(&str, Call<'_>, Chunks)> = vec![
        (
            "raw socket (send, recv to the ack)",
            Box::new(|seq| raw.once(seq)),
            Vec::new(),
        ),
        (
            "nl-rustix Conn::link(\"lo\") -> Link",
            Box::new(|_| {
                black_box(blocking.link("lo")?);
                Ok(())
            }),
            Vec::new(),
        ),
        (
            "nl-mio submit_now(link get lo) -> Link",
            Box::new(|_| {
                now.submit_now(|w: &mut _| link::encode_get(w, LinkRef::Name(&lo)))?;
                loop {
                    if let Some((_, answer)) = now.poll_completion() {
                        black_box(answer?.decode_one(Link::decode)?);
                        return Ok(());
                    }
                    poll.poll(&mut events, now.timeout())?;
                    for ev in &events {
                        now.on_ready(ev)?;
                    }
                }
            }),
            Vec::new(),
        ),
        (
            "nl-mio Conn::link(\"lo\"), flush, poll",
            Box::new(|_| {
                let call = verb.link("lo")?;
                verb.flush()?;
                loop {
                    if let Some(link) = verb.poll_call(&call) {
                        black_box(link?);
                        return Ok(());
                    }
                    verb_poll.poll(&mut verb_events, verb.timeout())?;
                    for ev in &verb_events {
                        verb.on_ready(ev)?;
                    }
                }
            }),
            Vec::new(),
        ),
    ];
    // Warm-up: one chunk each, unreported.
    let mut seq = 1u32 << 30;
    for (_, call, _) in &mut variants {
        for _ in 0..CHUNK {
            seq = seq.wrapping_add(1);
            call(seq)?;
        }
    }
    for _ in 0..CHUNKS {
        for (_, call, chunks) in &mut variants {
            let (t, c) = (Instant::now(), thread_cpu());
            for _ in 0..CHUNK {
                seq = seq.wrapping_add(1);
                call(seq)?;
            }
            chunks.push((t.elapsed() / CHUNK, (thread_cpu() - c) / CHUNK));
        }
    }
    let median = |v: &Chunks| {
        let mut w: Vec<_> = v.iter().map(|c| c.0).collect();
        let mut c: Vec<_> = v.iter().map(|c| c.1).collect();
        w.sort();
        c.sort();
        (w[w.len() / 2].as_secs_f64(), c[c.len() / 2].as_secs_f64())
    };
    println!(
        "nl-mio round trip: `link get lo`, median of {CHUNKS} chunks of {CHUNK} calls, interleaved"
    );
    println!("  {:<45} {:>10} {:>12}", "", "wall", "CPU");
    let (raw_wall, raw_cpu) = median(&variants[0].2);
    for (name, _, chunks) in &variants {
        let (w, c) = median(chunks);
        println!(
            "  {name:<45} {:>7.2} us {:.2}x {:>6.2} us {:.2}x",
            w * 1e6,
            w / raw_wall,
            c * 1e6,
            c / raw_cpu
        );
    }
    let verdict = |r: f64| if r <= TARGET { "met" } else { "MISSED" };
    let (w, c) = median(&variants[2].2);
    println!(
        "  submit_now: {:.2}x wall, {:.2}x CPU (target <= {TARGET}x: {} by wall, {} by CPU)",
        w / raw_wall,
        c / raw_cpu,
        verdict(w / raw_wall),
        verdict(c / raw_cpu)
    );
    Ok(())
}
