//! Round-trip benchmark (issue 12): one `link get` by name on the
//! blocking [`Conn`] against a raw socket (a plain bound netlink socket,
//! `send` and `recv`) sending the same request bytes and reading the same
//! answer (every datagram up to the end of the request), with no session
//! and no decoding. Rows in between split the difference: this crate's
//! [`Socket`] alone (with and without the size peek), then [`Conn`]
//! without decoding the reply. Every variant runs in chunks interleaved
//! with the others, so all see the same machine load; the figures are the
//! median chunk's wall time and the thread's CPU time (user + system: the
//! kernel answers inside our system calls, so it counts), the steadier
//! figure on a virtual machine whose host steals time.
//!
//! Runs in a private network namespace ([`PrivateNetns`]); needs root,
//! otherwise prints "skipped" and exits 0. Run with
//! `cargo bench -p nl-rustix --bench roundtrip`.

// Reading the thread's CPU clock is one `clock_gettime` through libc.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nl_proto::route::link::{self, LinkRef};
use nl_proto::wire::MsgWriter;
use nl_rustix::{Conn, PrivateNetns, Protocol, Socket, ifname};

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

/// The raw side's socket: `socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)`
/// and `bind`, nothing else (not connected, no socket options), opened in
/// the namespace.
fn plain_socket(ns: &PrivateNetns) -> Result<OwnedFd, BoxError> {
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
    Ok(fd)
}

/// One raw round trip: send, then read datagrams until the one holding
/// an `NLMSG_ERROR` (the ack) or `NLMSG_DONE` for our seq.
fn raw_once(fd: &OwnedFd, req: &mut [u8], seq: u32, buf: &mut [u8]) -> Result<usize, BoxError> {
    req[8..12].copy_from_slice(&seq.to_ne_bytes());
    rustix::net::send(fd, req, rustix::net::SendFlags::empty())?;
    let mut total = 0;
    loop {
        let len = rustix::net::recv(fd, &mut *buf, rustix::net::RecvFlags::empty())?.0;
        total += len;
        if ends(&buf[..len], seq)? {
            return Ok(total);
        }
    }
}

/// Calls per timed chunk.
const CHUNK: u32 = 1_000;
/// Chunks per variant, interleaved across variants so that every variant
/// sees the same machine load; the figure is the median chunk.
const CHUNKS: usize = 41;

/// One way of doing the round trip, timed per call.
struct Variant<'a> {
    name: &'static str,
    call: Box<dyn FnMut(u32) -> Result<(), BoxError> + 'a>,
    /// Per call in each chunk: wall time, thread CPU time.
    chunks: Vec<(Duration, Duration)>,
}

impl<'a> Variant<'a> {
    fn new(name: &'static str, call: impl FnMut(u32) -> Result<(), BoxError> + 'a) -> Self {
        Self {
            name,
            call: Box::new(call),
            chunks: Vec::new(),
        }
    }

    /// The median chunk's wall time and (separately) CPU time per call.
    fn median(&self) -> (f64, f64) {
        let mut wall: Vec<_> = self.chunks.iter().map(|c| c.0).collect();
        let mut cpu: Vec<_> = self.chunks.iter().map(|c| c.1).collect();
        wall.sort();
        cpu.sort();
        (
            wall[wall.len() / 2].as_secs_f64(),
            cpu[cpu.len() / 2].as_secs_f64(),
        )
    }
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
    let mut conn_undecoded = Conn::open_in(&ns.netns())?;
    let raw = plain_socket(ns)?;
    let ours_raw = ns.netns().socket(Protocol::Route)?;
    let ours_peek = ns.netns().socket(Protocol::Route)?;
    let mut req = request_bytes()?;
    let mut req2 = req.clone();
    let mut req3 = req.clone();
    let mut buf = vec![0u8; 64 * 1024];
    let mut buf2 = vec![0u8; 64 * 1024];
    let mut buf3 = vec![0u8; 64 * 1024];
    let reply_len = raw_once(&raw, &mut req, 1, &mut buf)?;
    println!(
        "nl round trip: `link get lo` ({} request bytes, {reply_len} answer bytes), median of {CHUNKS} chunks of {CHUNK} calls, interleaved",
        req.len()
    );
    let lo = ifname("lo")?;
    let mut variants = vec![
        Variant::new("raw socket (send, recv to the ack)", |i| {
            black_box(raw_once(&raw, &mut req, i, &mut buf)?);
            Ok(())
        }),
        Variant::new("Socket::send + Socket::recv, no session", |i| {
            black_box(socket_once(&ours_raw, &mut req2, i, &mut buf2, false)?);
            Ok(())
        }),
        Variant::new("  the same, each size peeked (recv_vec)", |i| {
            black_box(socket_once(&ours_peek, &mut req3, i, &mut buf3, true)?);
            Ok(())
        }),
        Variant::new("Conn::get, reply not decoded", |_| {
            conn_undecoded.get(|w| link::encode_get(w, LinkRef::Name(&lo)), |_| Ok(()))?;
            Ok(())
        }),
        Variant::new("Conn::link(\"lo\") -> Link", |_| {
            black_box(conn.link("lo")?);
            Ok(())
        }),
    ];
    let mut seq = 1u32 << 30;
    for _ in 0..CHUNKS {
        for v in &mut variants {
            let (t, c) = (Instant::now(), thread_cpu());
            for _ in 0..CHUNK {
                seq = seq.wrapping_add(1);
                (v.call)(seq)?;
            }
            v.chunks
                .push((t.elapsed() / CHUNK, (thread_cpu() - c) / CHUNK));
        }
    }
    let (raw_wall, raw_cpu) = variants[0].median();
    println!("  {:<45} {:>10} {:>12}", "", "wall", "CPU");
    for v in &variants {
        let (w, c) = v.median();
        println!(
            "  {:<45} {:>7.2} us {:.2}x {:>6.2} us {:.2}x",
            v.name,
            w * 1e6,
            w / raw_wall,
            c * 1e6,
            c / raw_cpu
        );
    }
    let (w, c) = variants[4].median();
    let verdict = |r: f64| if r <= TARGET { "met" } else { "MISSED" };
    println!(
        "  ratio {:.2}x wall, {:.2}x CPU (target <= {TARGET}x: {} by wall, {} by CPU)",
        w / raw_wall,
        c / raw_cpu,
        verdict(w / raw_wall),
        verdict(c / raw_cpu)
    );
    Ok(())
}

/// [`raw_once`] through this crate's [`Socket`] (its send, its receive
/// with the sender's address, with or without its size peek) but no
/// session: what the socket layer costs on its own.
fn socket_once(
    sock: &Socket,
    req: &mut [u8],
    seq: u32,
    buf: &mut Vec<u8>,
    peek: bool,
) -> Result<usize, BoxError> {
    req[8..12].copy_from_slice(&seq.to_ne_bytes());
    sock.send(req)?;
    let mut total = 0;
    loop {
        let got = if peek {
            sock.recv_vec(buf)?
        } else {
            sock.recv(buf)?
        };
        let nl_rustix::Received::Datagram { len, .. } = got else {
            return Err("truncated".into());
        };
        total += len;
        if ends(&buf[..len], seq)? {
            return Ok(total);
        }
    }
}

/// Whether `datagram` holds the `NLMSG_ERROR` (ack) or `NLMSG_DONE` of `seq`.
fn ends(datagram: &[u8], seq: u32) -> Result<bool, BoxError> {
    let mut off = 0;
    while off + 16 <= datagram.len() {
        let mlen = u32::from_ne_bytes(datagram[off..off + 4].try_into()?) as usize;
        let ty = u16::from_ne_bytes(datagram[off + 4..off + 6].try_into()?);
        let mseq = u32::from_ne_bytes(datagram[off + 8..off + 12].try_into()?);
        if mseq == seq && (ty == 2 || ty == 3) {
            return Ok(true);
        }
        if mlen < 16 {
            return Err("bad nlmsg_len".into());
        }
        off += (mlen + 3) & !3;
    }
    Ok(false)
}
