//! Listing benchmarks (issue 12): the `ip` example against iproute2's `ip`
//! on the same namespace, whole processes, side by side in one run.
//!
//! For each command — `route show` of 100,000 routes, `addr show` of
//! 10,000 addresses, `neigh show` of 10,000 neighbours, each as text and
//! as `-j` — both binaries run [`TRIALS`] times, alternating, output to
//! `/dev/null`; the figure is the median wall time (CPU time of the child
//! alongside). Before timing, each command's output from both is compared
//! byte for byte.
//!
//! Everything happens inside one private network namespace
//! ([`PrivateNetns`]); the host's namespace is never touched. Needs root;
//! otherwise prints "skipped" and exits 0. Needs the example built in the
//! bench profile's directory (`cargo build --release --example ip -p
//! nl-rustix`); the bench builds it through `$CARGO` when it is missing.
//!
//! Run with `cargo bench -p nl-rustix --bench listings`; set
//! `NL_BENCH_IP_EXAMPLE=PATH` to time another build of the example (an
//! older commit's, for a before/after).

// `getrusage` for the children's CPU time.
#![allow(unsafe_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nl_rustix::{Netns, PrivateNetns};

/// Whole-process runs of each binary per command.
const TRIALS: usize = 5;
/// Routes in the main table.
const ROUTES: u32 = 100_000;
/// Addresses on `v0`.
const ADDRS: u32 = 10_000;
/// Neighbours on `v0`.
const NEIGHS: u32 = 10_000;
/// The target: ours takes under this fraction of iproute2's time.
const TARGET: f64 = 0.5;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Run a command (in the caller's namespace), failing on a non-zero exit.
fn sh(args: &[&str]) -> Result<Vec<u8>, BoxError> {
    let out = Command::new(args[0]).args(&args[1..]).output()?;
    if !out.status.success() {
        return Err(format!(
            "{}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(out.stdout)
}

/// `ip -batch FILE` of `lines`, in the caller's namespace.
fn ip_batch(lines: impl Iterator<Item = String>) -> Result<(), BoxError> {
    let path = std::env::temp_dir().join(format!("nl-listings-{}.batch", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for l in lines {
        writeln!(f, "{l}")?;
    }
    f.flush()?;
    drop(f);
    let r = sh(&["ip", "-batch", path.to_str().ok_or("temp path")?]);
    std::fs::remove_file(&path)?;
    r.map(|_| ())
}

/// `a.b.c.d` for `base + i`.
fn v4(base: [u8; 4], i: u32) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::from(base)) + i)
}

/// One namespace with lo, a veth pair v0/v1 up, 10.0.0.1/16 on v0, and
/// the routes, addresses and neighbours the listings show.
fn populate(ns: &PrivateNetns) -> Result<(), BoxError> {
    ns.netns().run(|| -> Result<(), BoxError> {
        sh(&["ip", "link", "set", "lo", "up"])?;
        sh(&[
            "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1",
        ])?;
        sh(&["ip", "link", "set", "v0", "up"])?;
        sh(&["ip", "link", "set", "v1", "up"])?;
        sh(&["ip", "addr", "add", "10.0.0.1/16", "dev", "v0"])?;
        ip_batch(
            (0..ROUTES).map(|i| format!("route add {}/32 via 10.0.0.2", v4([172, 16, 0, 0], i))),
        )?;
        ip_batch((0..ADDRS).map(|i| format!("addr add {}/32 dev v1", v4([172, 20, 0, 0], i))))?;
        ip_batch((0..NEIGHS).map(|i| {
            format!(
                "neigh add {} lladdr 02:00:00:00:{:02x}:{:02x} dev v0",
                v4([10, 0, 1, 0], i),
                i >> 8,
                i & 0xff
            )
        }))?;
        Ok(())
    })?
}

fn children_cpu() -> Duration {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `ru` is a valid, zeroed rusage for getrusage to fill.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, ru.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage");
    // SAFETY: zeroed is a valid rusage, and getrusage succeeded.
    let ru = unsafe { ru.assume_init() };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// One whole-process run inside `ns`, stdout to /dev/null: (wall, CPU).
fn time_run(ns: &Netns, bin: &Path, args: &[&str]) -> Result<(Duration, Duration), BoxError> {
    ns.run(|| -> Result<_, BoxError> {
        let cpu = children_cpu();
        let t = Instant::now();
        let status = Command::new(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        let wall = t.elapsed();
        if !status.success() {
            return Err(format!("{} {}: {status}", bin.display(), args.join(" ")).into());
        }
        Ok((wall, children_cpu() - cpu))
    })?
}

/// The output of one run inside `ns`.
fn output(ns: &Netns, bin: &Path, args: &[&str]) -> Result<Vec<u8>, BoxError> {
    ns.run(|| Ok(Command::new(bin).args(args).output()?.stdout))?
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The example, built in the bench profile's directory.
fn example_bin() -> Result<PathBuf, BoxError> {
    if let Some(bin) = std::env::var_os("NL_BENCH_IP_EXAMPLE") {
        return Ok(bin.into());
    }
    let exe = std::env::current_exe()?;
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("unexpected bench binary path")?;
    let bin = profile.join("examples").join("ip");
    if !bin.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let st = Command::new(cargo)
            .args(["build", "--release", "--example", "ip", "-p", "nl-rustix"])
            .status()?;
        if !st.success() || !bin.is_file() {
            return Err(format!("cannot build the ip example at {}", bin.display()).into());
        }
    }
    Ok(bin)
}

fn main() {
    match PrivateNetns::new() {
        Ok(ns) => {
            if let Err(e) = run(&ns) {
                eprintln!("listings bench failed: {e}");
                std::process::exit(1);
            }
        }
        Err(e) => {
            println!("listings bench skipped: needs root (cannot create a network namespace: {e})")
        }
    }
}

fn run(ns: &PrivateNetns) -> Result<(), BoxError> {
    let ours = example_bin()?;
    let ip = PathBuf::from("ip");
    let t = Instant::now();
    populate(ns)?;
    let netns = ns.netns();
    let version = String::from_utf8_lossy(&sh(&["ip", "-V"])?)
        .trim()
        .to_string();
    println!(
        "nl listings: the ip example vs {version}, {ROUTES} routes, {ADDRS} addresses, {NEIGHS} neighbours (set up in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    println!("  median of {TRIALS} whole-process runs each, alternating, stdout to /dev/null\n");
    println!(
        "  {:<22} {:>10} {:>10} {:>9} {:>9} {:>7} {:>9}  target <0.5x",
        "command", "ip wall", "ours wall", "ip cpu", "ours cpu", "ratio", "same out"
    );
    let commands: [&[&str]; 6] = [
        &["route", "show"],
        &["-j", "route", "show"],
        &["addr", "show"],
        &["-j", "addr", "show"],
        &["neigh", "show"],
        &["-j", "neigh", "show"],
    ];
    for args in commands {
        let same = output(&netns, &ip, args)? == output(&netns, &ours, args)?;
        let (mut iw, mut ic, mut ow, mut oc) = (vec![], vec![], vec![], vec![]);
        for _ in 0..TRIALS {
            let (w, c) = time_run(&netns, &ip, args)?;
            iw.push(w);
            ic.push(c);
            let (w, c) = time_run(&netns, &ours, args)?;
            ow.push(w);
            oc.push(c);
        }
        let (iw, ic, ow, oc) = (median(iw), median(ic), median(ow), median(oc));
        let ratio = ow.as_secs_f64() / iw.as_secs_f64();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        println!(
            "  {:<22} {:>10} {:>10} {:>9} {:>9} {:>6.2}x {:>9}  {}",
            args.join(" "),
            ms(iw),
            ms(ow),
            ms(ic),
            ms(oc),
            ratio,
            if same { "yes" } else { "NO" },
            if ratio < TARGET && same {
                "met"
            } else {
                "MISSED"
            }
        );
    }
    // Deleting the links flushes their routes and neighbours now rather
    // than in the kernel's asynchronous namespace cleanup.
    netns.run(|| sh(&["ip", "link", "del", "v0"]))??;
    Ok(())
}
