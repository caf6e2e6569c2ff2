//! Traffic-control benchmark (issue 21), side by side with iproute2 6.1's
//! `tc`: install 10,000 u32 filters under an htb qdisc, then list them.
//!
//! - install: `tc -batch FILE` (one request and ack per line) against
//!   nl-rustix's `Conn::batch` of the same requests (pipelined, every ack
//!   checked) and, for reference, the `tc` example's `-batch FILE`;
//! - list: `tc filter show dev v0` against the `tc` example's, both
//!   whole processes writing to /dev/null, and the library's dump into
//!   owned values, one at a time.
//!
//! Everything happens inside private network namespaces; the host's is
//! never touched. Needs root and `tc`; otherwise prints why it is skipped
//! and exits 0. Run with `cargo bench -p nl-rustix --bench tc`. Wall
//! clock, median of 5 with min and max, and beside it the median CPU
//! time (user + system, which is where the kernel's work on our
//! requests is charged): on a machine shared with other jobs the wall
//! clock mostly measures waiting for a core, the CPU time does not.
//! Each install gets a fresh namespace.
//!
//! Both rows are bound by the kernel: u32 keeps a hash bucket's keys in
//! a list sorted by handle and walks it on every insert (80% of an
//! install is `u32_change`), and a dump restarts its walk of that list
//! for every 32 KiB reply (`u32_walk` and `u32_dump` are half of the
//! example's listing). That part is the same for every client.

use nl_rustix::nl_proto::tc::cls_u32::{Selector, TERMINAL, U32Filter, fields};
use nl_rustix::nl_proto::tc::{self, Handle, Mode, NewTc, Object, Options};
use nl_rustix::{Conn, PrivateNetns, TcDump, encoder};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILTERS: u32 = 10_000;
const TRIALS: usize = 5;

fn addr(i: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x0a00_0000 | i)
}

fn batch_file(n: u32) -> String {
    (0..n)
        .map(|i| {
            format!(
                "filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst {}/32 flowid 1:10\n",
                addr(i)
            )
        })
        .collect()
}

fn example_bin() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("examples").join("tc");
    bin.is_file().then_some(bin)
}

fn prepared() -> PrivateNetns {
    let ns = PrivateNetns::new().expect("netns");
    ns.netns()
        .run(|| {
            for line in [
                "ip link add v0 type veth peer name v1",
                "ip link set v0 up",
                "tc qdisc add dev v0 root handle 1: htb default 10",
                "tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
            ] {
                let args: Vec<&str> = line.split(' ').collect();
                let ok = Command::new(args[0])
                    .args(&args[1..])
                    .status()
                    .expect("spawn");
                assert!(ok.success(), "{line}");
            }
        })
        .expect("enter namespace");
    ns
}

/// Wall clock and CPU time (user + system) of one measurement.
#[derive(Clone, Copy)]
struct Took {
    wall: Duration,
    cpu: Duration,
}

/// This thread's CPU time so far (`CLOCK_THREAD_CPUTIME_ID`; system
/// time spent in our syscalls, the kernel's work, included). Not
/// `/proc/thread-self/schedstat`: it lags the running thread by up to
/// a tick, which is most of a 10 ms listing.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).expect("seconds"),
        u32::try_from(t.tv_nsec).expect("nanoseconds"),
    )
}

/// Run `prog args` in `ns`, timing the whole process with bash's `time`
/// (wall clock, and user + system from `wait4`, in ms), so bash's own
/// start is not counted.
fn timed(ns: &PrivateNetns, prog: &Path, args: &[&str]) -> Took {
    ns.netns()
        .run(|| {
            let out = Command::new("bash")
                .arg("-c")
                .arg("TIMEFORMAT='%3R %3U %3S'; time \"$0\" \"$@\" >/dev/null 2>&1")
                .arg(prog)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .expect("spawn");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{} {args:?}: {err}", prog.display());
            let t: Vec<f64> = err
                .split_whitespace()
                .map(|t| t.parse::<f64>().expect("time's output"))
                .collect();
            assert_eq!(t.len(), 3, "time's output: {err}");
            Took {
                wall: Duration::from_secs_f64(t[0]),
                cpu: Duration::from_secs_f64(t[1] + t[2]),
            }
        })
        .expect("enter namespace")
}

/// The library: all filters through `Conn::batch`, every ack checked.
///
/// The requests are made as the batch takes them: a `NewTc` is about
/// 6 KB (its options hold any kind's), so collecting 10,000 first
/// would walk 60 MB past the cache that the kernel's list walk needs.
fn install_lib(ns: &PrivateNetns) -> Took {
    let mut conn = Conn::open_in(&ns.netns()).expect("conn");
    let (start, cpu) = (Instant::now(), thread_cpu());
    let ifindex = i32::try_from(conn.link_index("v0").expect("v0")).expect("index");
    let request = |i: u32| {
        let mut sel = Selector {
            flags: TERMINAL,
            ..Selector::default()
        };
        sel.pack_ipv4(fields::IP_DST, addr(i), 32, 0).expect("key");
        let u = U32Filter {
            classid: Some(Handle::new(1, 0x10)),
            sel: Some(sel),
            ..U32Filter::default()
        };
        NewTc::new(ifindex, Handle::new(1, 0), "u32")
            .filter(1, 0x0800)
            .options(Options::U32(u))
    };
    let results = conn
        .batch((0..FILTERS).map(|i| {
            let r = request(i);
            encoder(move |w| tc::encode_new(w, Object::Filter, Mode::Add, &r))
        }))
        .expect("batch");
    let took = Took {
        wall: start.elapsed(),
        cpu: thread_cpu() - cpu,
    };
    assert!(results.iter().all(Result::is_ok), "a filter failed");
    took
}

/// The library: dump every filter, each decoded into the one reused
/// owned value `tc_dump_each` lends (counting keys so nothing is skipped).
fn list_lib(ns: &PrivateNetns) -> (Took, usize) {
    let mut conn = Conn::open_in(&ns.netns()).expect("conn");
    let (start, cpu) = (Instant::now(), thread_cpu());
    let (mut n, mut keys) = (0, 0);
    conn.tc_dump_each(Object::Filter, &TcDump::dev("v0"), |t| {
        n += 1;
        if let Options::U32(u) = &t.options {
            keys += u.sel.as_ref().map_or(0, |s| s.keys.len());
        }
        Ok(())
    })
    .expect("dump");
    let took = Took {
        wall: start.elapsed(),
        cpu: thread_cpu() - cpu,
    };
    assert_eq!(keys, FILTERS as usize);
    (took, n)
}

/// Print a row; returns the medians of wall clock and CPU time.
fn summary(name: &str, t: &[Took]) -> Took {
    let median = |mut v: Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (wall, lo, hi) = median(t.iter().map(|t| t.wall).collect());
    let (cpu, _, _) = median(t.iter().map(|t| t.cpu).collect());
    println!(
        "{name:<46} median {:>7.1} ms (min {:.1}, max {:.1}); cpu {:>7.1} ms",
        ms(wall),
        ms(lo),
        ms(hi),
        ms(cpu)
    );
    Took { wall, cpu }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if PrivateNetns::new().is_err() {
        println!("tc bench skipped: needs root (cannot create a network namespace)");
        return;
    }
    if !Command::new("tc")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("tc bench skipped: needs the `tc` command");
        return;
    }
    let ours = example_bin();
    if ours.is_none() {
        println!("(the tc example is not built next to the bench: its rows are left out)");
    }
    let file = std::env::temp_dir().join(format!("nl-bench-tc-{}.batch", std::process::id()));
    std::fs::write(&file, batch_file(FILTERS)).expect("write batch");
    let file_s = file.to_string_lossy().to_string();
    let tc = PathBuf::from("tc");

    println!("tc: {FILTERS} u32 filters under htb on a veth; {TRIALS} trials");
    let mut rows: Vec<(&str, Vec<Took>)> = vec![
        ("install: tc -batch", vec![]),
        ("install: Conn::batch (library)", vec![]),
        ("install: tc example -batch", vec![]),
        ("list: tc filter show (to /dev/null)", vec![]),
        ("list: tc example filter show (to /dev/null)", vec![]),
        ("list: Conn::tc_dump_each, decoded (library)", vec![]),
    ];
    let mut listed = 0;
    for _ in 0..TRIALS {
        let ns = prepared();
        rows[0].1.push(timed(&ns, &tc, &["-batch", &file_s]));
        rows[3]
            .1
            .push(timed(&ns, &tc, &["filter", "show", "dev", "v0"]));
        if let Some(bin) = &ours {
            rows[4]
                .1
                .push(timed(&ns, bin, &["filter", "show", "dev", "v0"]));
        }
        let (t, n) = list_lib(&ns);
        rows[5].1.push(t);
        listed = n;
        drop(ns);
        let ns = prepared();
        rows[1].1.push(install_lib(&ns));
        drop(ns);
        if let Some(bin) = &ours {
            let ns = prepared();
            rows[2].1.push(timed(&ns, bin, &["-batch", &file_s]));
        }
    }
    let _ = std::fs::remove_file(&file);
    let mut medians = Vec::new();
    for (name, t) in rows {
        if t.is_empty() {
            medians.push(None);
            continue;
        }
        medians.push(Some(summary(name, &t)));
    }
    println!("(the dump returned {listed} entries: filters plus u32's table and chain heads)");
    let ratio = |a: Option<Took>, b: Option<Took>| match (a, b) {
        (Some(a), Some(b)) => format!(
            "{:.2}x (cpu {:.2}x)",
            a.wall.as_secs_f64() / b.wall.as_secs_f64(),
            a.cpu.as_secs_f64() / b.cpu.as_secs_f64()
        ),
        _ => "-".into(),
    };
    println!(
        "install, library vs tc -batch: {}\nlisting, example vs tc: {}, library vs tc: {}",
        ratio(medians[1], medians[0]),
        ratio(medians[4], medians[3]),
        ratio(medians[5], medians[3])
    );
}
