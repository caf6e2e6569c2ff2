//! Pinned namespaces (issue 17 item 5): a loop or monitor built from
//! `Netns::Pid` keeps the namespace the process had when it started. It
//! does not follow the pid into another namespace, and a loop ends (with
//! an error naming the process, changing nothing more) once the process
//! exits.

use crate::addrs::{net, veth};
use nl_proto::route::AddrFamily;
use nl_rustix::reconcile::{Desired, Watch, WatchOptions};
use nl_rustix::{AddrSpec, Conn, LinkSpec, Monitor, Netns, Protocol};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::io::Write as _;
use std::os::fd::AsFd;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: true,
        run,
    };
    vec![
        s(
            "pinned::loop_for_an_exited_process_ends_and_changes_nothing",
            exited,
        ),
        s("pinned::loop_does_not_follow_a_moved_pid", moved_loop),
        s(
            "pinned::monitor_snapshot_reads_the_monitors_namespace",
            moved_monitor,
        ),
        s(
            "pinned::example_watch_exits_when_the_process_does",
            example_exited,
        ),
    ]
}

/// A process started in the scenario's namespace that, told to, moves
/// itself (same pid) into a new namespace of its own: `exec unshare -n`.
struct Mover {
    child: std::process::Child,
}

impl Mover {
    fn spawn(ctx: &Ctx) -> Result<Self, Failed> {
        let child = t!(t!(ctx.netns().run(|| {
            Command::new("sh")
                .args(["-c", "read go; exec unshare -n sleep 30"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
        })));
        Ok(Self { child })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Move to the new namespace; returns once `/proc/PID/ns/net` is no
    /// longer `from`.
    fn move_away(&mut self, from: u64) -> Result<(), Failed> {
        let stdin = self.child.stdin.as_mut().ok_or("no stdin")?;
        t!(stdin.write_all(b"go\n"));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.inode().is_ok_and(|i| i != from) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Err(format!("process {} did not change namespace", self.pid()))
    }

    fn inode(&self) -> Result<u64, Failed> {
        let file = t!(Netns::Pid(self.pid()).open_file());
        inode(&*file)
    }

    fn kill(&mut self) -> Result<(), Failed> {
        t!(self.child.kill());
        t!(self.child.wait());
        Ok(())
    }
}

impl Drop for Mover {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn inode(fd: impl AsFd) -> Result<u64, Failed> {
    Ok(t!(rustix::fs::fstat(fd)).st_ino)
}

fn desired() -> Desired {
    let mut d = Desired::new();
    d.addresses.push(AddrSpec::new("v0", net("10.0.0.2/24")));
    d
}

type Passes = Receiver<(bool, usize, Option<String>)>;

fn watch(netns: Netns, options: WatchOptions) -> Result<(Watch, Passes), Failed> {
    let (tx, rx) = std::sync::mpsc::channel();
    let w = t!(Watch::spawn(netns, desired(), options, move |r| {
        let _ = tx.send((
            r.converged,
            r.applied.len(),
            r.error.as_ref().map(ToString::to_string),
        ));
    }));
    Ok((w, rx))
}

fn has_address(conn: &mut Conn, dev: &str) -> Result<bool, Failed> {
    Ok(t!(conn.addresses_of(dev, Some(AddrFamily::INET)))
        .iter()
        .any(|a| a.prefix() == net("10.0.0.2/24")))
}

/// The process exits: the loop's next report names it, the loop ends, and
/// a hand-deleted address stays deleted (the timer and the monitor would
/// each have restored it within 200 ms).
fn exited(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let mut mover = Mover::spawn(ctx)?;
    let pid = mover.pid();
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        ..WatchOptions::default()
    };
    let (w, rx) = watch(Netns::Pid(pid), options)?;
    let first = t!(rx.recv_timeout(Duration::from_secs(5)));
    ensure_eq!(first, (true, 1, None));
    ensure!(!w.is_finished(), "the loop ended while the process runs");

    mover.kill()?;
    // Passes that started before the exit may still report; the loop's
    // last report is the exit.
    let deadline = Instant::now() + Duration::from_secs(2);
    let last = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let p = rx
            .recv_timeout(left)
            .map_err(|e| format!("no report of the exit: {e}"))?;
        if p.2.is_some() {
            break p;
        }
    };
    let e = last.2.clone().unwrap_or_default();
    ensure!(
        e.contains(&format!("process {pid}")) && e.contains("exited") && e.contains("ESRCH"),
        "{e}"
    );
    ensure!(!last.0, "{last:?}");

    ctx.ip(&["addr", "del", "10.0.0.2/24", "dev", "v0"])?;
    // The loop's thread ended, so its report channel closes, with no
    // pass after the exit's report.
    match rx.recv_timeout(Duration::from_secs(1)) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => return Err(format!("a report after the exit: {other:?}")),
    }
    ensure!(w.is_finished(), "the loop still runs");
    std::thread::sleep(Duration::from_millis(300));
    ensure!(
        !has_address(&mut ctx.conn, "v0")?,
        "the loop changed the namespace after its process exited"
    );
    drop(w);
    Ok(())
}

/// The process moves to a namespace that also has a `v0`: the loop keeps
/// converging the one it started in and never touches the other.
fn moved_loop(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let a = inode(&ctx.ns)?;
    let mut mover = Mover::spawn(ctx)?;
    ensure_eq!(
        mover.inode()?,
        a,
        "the process starts in the scenario's namespace"
    );
    let (w, rx) = watch(Netns::Pid(mover.pid()), WatchOptions::default())?;
    ensure_eq!(t!(rx.recv_timeout(Duration::from_secs(5))), (true, 1, None));

    mover.move_away(a)?;
    // The new namespace gets a v0 of its own, as most namespaces have an
    // eth0: a loop following the pid would configure it.
    let b = Netns::Path(format!("/proc/{}/ns/net", mover.pid()).into());
    let b = t!(b.pin());
    let mut in_b = t!(Conn::open_in(&b.netns()));
    t!(in_b.create_link(&LinkSpec::veth("v0", "v1").up()));

    ctx.ip(&["addr", "del", "10.0.0.2/24", "dev", "v0"])?;
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut reports = Vec::new();
    while !has_address(&mut ctx.conn, "v0")? {
        ensure!(
            Instant::now() < deadline,
            "not restored in the pinned namespace; passes: {reports:?}"
        );
        while let Ok(p) = rx.try_recv() {
            reports.push(p);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Whatever passes ran, none touched the pid's new namespace.
    std::thread::sleep(Duration::from_millis(200));
    ensure!(
        !has_address(&mut in_b, "v0")?,
        "the loop followed the pid into its new namespace"
    );
    while let Ok(p) = rx.try_recv() {
        reports.push(p);
    }
    ensure!(
        reports.iter().all(|p| p.2.is_none()),
        "a pass failed: {reports:?}"
    );
    ensure!(!w.is_finished(), "the loop ended while the process runs");
    w.stop();
    Ok(())
}

/// A monitor opened by pid keeps its socket's namespace, and its
/// snapshot lists that namespace after the process moved away.
fn moved_monitor(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("onlya0", "onlya1")));
    let a = inode(&ctx.ns)?;
    let mut mover = Mover::spawn(ctx)?;
    let monitor = t!(Monitor::route(&Netns::Pid(mover.pid()), &[]));
    mover.move_away(a)?;
    let names: Vec<String> = t!(monitor.snapshot())
        .links
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    ensure!(names.iter().any(|n| n == "onlya0"), "{names:?}");
    ensure_eq!(
        inode(&*t!(monitor.netns().netns().open_file()))?,
        a,
        "Monitor::netns is the pinned namespace"
    );
    let sock = t!(monitor.netns().netns().socket(Protocol::Route));
    let Netns::Fd(sock_ns) = t!(sock.netns()) else {
        return Err("Socket::netns is not a descriptor".into());
    };
    ensure_eq!(inode(&*sock_ns)?, a);
    Ok(())
}

/// `reconcile --pid P --watch`: one line per pass, then, when P exits, a
/// last line naming P and exit status 1.
fn example_exited(ctx: &mut Ctx) -> Result<(), Failed> {
    use std::io::BufRead as _;
    veth(ctx)?;
    let bin = crate::reconcile::reconcile_bin()?;
    let mut mover = Mover::spawn(ctx)?;
    let pid = mover.pid();
    let dir = std::env::temp_dir().join(format!("nl-pinned-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let desired = dir.join("desired.json");
    t!(std::fs::write(
        &desired,
        r#"{"addresses": [{"dev": "v0", "prefix": "10.0.0.2/24"}]}"#,
    ));
    let mut child = t!(Command::new(&bin)
        .args(["--pid", &pid.to_string(), "--watch", "--interval", "60"])
        .arg(&desired)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn());
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let line = || -> Result<serde_json::Value, Failed> {
        let l = t!(t!(rx.recv_timeout(Duration::from_secs(5))));
        Ok(t!(serde_json::from_str::<serde_json::Value>(&l)))
    };
    let result = (|| {
        let first = line()?;
        ensure_eq!(first["converged"], serde_json::Value::Bool(true), "{first}");
        mover.kill()?;
        // A pass woken by the first pass's own notifications may print a
        // line before the exit's.
        let last = loop {
            let l = line()?;
            if !l["error"].is_null() {
                break l;
            }
        };
        let e = last["error"].as_str().unwrap_or_default();
        ensure!(e.contains(&format!("process {pid}")), "{last}");
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(status) = t!(child.try_wait()) {
                break status;
            }
            ensure!(Instant::now() < deadline, "still running after the exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        ensure_eq!(status.code(), Some(1));
        match rx.recv_timeout(Duration::from_secs(1)) {
            Err(RecvTimeoutError::Disconnected) => Ok(()),
            other => Err(format!("a line after the exit's: {other:?}")),
        }
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
