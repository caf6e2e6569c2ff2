//! `tc monitor`: the example prints notifications (qdiscs, classes,
//! filters, chains, actions) as iproute2 6.1's `tc
//! monitor` does, live (for the kinds this kernel has) and from a file
//! of saved messages (`monitor file FILE`), which is how the kinds this
//! kernel lacks (sfq, fq, netem, fq_codel, prio, matchall, skbedit,
//! police, gact) are checked: the golden requests iproute2 sent
//! (`nl-proto/src/tc/golden.txt`), read back as notifications, print the
//! same with both programs, with `-s`, `-d`, `-r` and `-iec`.

use crate::tc::Pair;
use nl_tests::{Ctx, Failed, Scenario, ensure_eq};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const GOLDEN: &str = include_str!("../../nl-proto/src/tc/golden.txt");

pub(crate) fn scenarios() -> Vec<Scenario> {
    const NEEDS: &[&str] = &[
        "veth",
        "ifb",
        "tc:qdisc add dev lo root handle 1: tbf rate 1mbit burst 10kb latency 50ms",
    ];
    vec![
        Scenario {
            name: "tc::monitor_file_every_golden_kind",
            needs_kinds: NEEDS,
            needs_ip: true,
            run: from_file,
        },
        Scenario {
            name: "tc::monitor_library_announces_tc_changes",
            needs_kinds: NEEDS,
            needs_ip: true,
            run: library,
        },
        Scenario {
            name: "tc::monitor_live_qdiscs_classes_filters",
            needs_kinds: NEEDS,
            needs_ip: true,
            run: live,
        },
    ]
}

fn unhex(s: &str) -> Result<Vec<u8>, Failed> {
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| Failed::from(format!("bad hex in golden.txt at {i}")))
        })
        .collect()
}

fn from_file(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    let dir = std::env::temp_dir().join(format!("nl-tc-monitor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = (|| {
        let mut n = 0;
        for line in GOLDEN
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (name, hex) = line.split_once(' ').ok_or("golden line without hex")?;
            let file = dir.join(format!("{name}.bin"));
            std::fs::write(&file, unhex(hex)?).map_err(|e| e.to_string())?;
            for opt in ["", "-s ", "-d ", "-r ", "-iec "] {
                p.same(&format!("{opt}monitor file {}", file.display()))?;
            }
            n += 1;
        }
        ensure_eq!(n > 30, true, "golden.txt holds {n} vectors");
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Start `prog monitor` in `ns`, run `lines` with iproute2's tc there,
/// stop the monitor and return what it printed.
fn watch(ns: &nl_rustix::Netns, prog: &Path, lines: &[&str]) -> Result<String, Failed> {
    let mut child = ns
        .run(|| {
            Command::new(prog)
                .arg("monitor")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
        })
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("spawn {}: {e}", prog.display()))?;
    // The monitor joins its group before its first receive; give it time.
    std::thread::sleep(Duration::from_millis(300));
    for line in lines {
        let args = nl_tests::shell_words(line);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::tc::run(ns, Path::new("tc"), &args)?;
    }
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn live(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    let lines = [
        "qdisc add dev v0 root handle 1: htb default 10",
        "class add dev v0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit",
        "filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10",
        "qdisc add dev v0 ingress",
        "filter add dev v0 parent ffff: protocol ip prio 2 u32 match u32 0 0 action mirred egress redirect dev ifb0",
        "qdisc replace dev ifb0 root handle 2: tbf rate 1mbit burst 10kb latency 50ms",
        "filter del dev v0 parent ffff: prio 2",
        "class del dev v0 classid 1:10",
        "qdisc del dev v0 root",
        "actions add action mirred egress mirror index 7 dev v1",
        "actions replace action mirred egress mirror index 7 dev v1 drop",
        "actions del action mirred index 7",
        "chain add dev v0 parent ffff: chain 5",
        "chain del dev v0 parent ffff: chain 5",
    ];
    let theirs = watch(&p.theirs.netns(), Path::new("tc"), &lines)?;
    let ours = watch(&p.ours.netns(), &p.bin, &lines)?;
    ensure_eq!(
        theirs.lines().count() > 8,
        true,
        "tc monitor printed:\n{theirs}"
    );
    ensure_eq!(
        theirs,
        ours,
        "tc monitor: iproute2 (left) vs the example (right)"
    );
    Ok(())
}

/// nl-rustix's `Monitor` (the core nl-mio's monitor shares) announces
/// qdisc, chain and action changes as `Change::Tc`, and the message it
/// came in decodes to the object a dump returns.
fn library(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::monitor::Event;
    use nl_rustix::nl_proto::route::change::Change;
    use nl_rustix::nl_proto::tc::notice::TcObject;
    use nl_rustix::nl_proto::tc::{Object, Tc};

    let ns = ctx.ns.netns();
    crate::tc::setup(&ns)?;
    let mut m = nl_rustix::Monitor::route(&ns, &[nl_rustix::nl_proto::route::Group::TC])
        .map_err(|e| e.to_string())?;
    m.set_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    for line in [
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 10kb latency 50ms",
        "qdisc add dev v0 ingress",
        "chain add dev v0 parent ffff: chain 4",
        "actions add action mirred egress mirror index 3 dev v1",
        "qdisc del dev v0 root",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        nl_tests::run_in(&ns, "tc", &args)?;
    }
    let mut seen = Vec::new();
    while seen.len() < 6 {
        match m.recv().map_err(|e| e.to_string())? {
            Event::Change {
                change: Change::Tc(n),
                msg,
                ..
            } => {
                if n.object == TcObject::Tc(Object::Qdisc) && n.kind.as_str() == "tbf" {
                    let t = Tc::decode(&msg.0).map_err(|e| e.to_string())?;
                    ensure_eq!(t.kind.as_str(), "tbf", "decoded from the notice's message");
                }
                seen.push((n.object, n.deleted, n.kind.to_string()));
            }
            Event::ResyncNeeded => return Err("notifications lost".into()),
            _ => {}
        }
    }
    let want = |o, d, k: &str| seen.contains(&(o, d, k.to_string()));
    ensure_eq!(
        (
            want(TcObject::Tc(Object::Qdisc), false, "tbf"),
            want(TcObject::Tc(Object::Qdisc), false, "ingress"),
            want(TcObject::Chain, false, ""),
            want(TcObject::Action, false, "mirred"),
            want(TcObject::Tc(Object::Qdisc), true, "tbf"),
        ),
        (true, true, true, true, true),
        "notices seen: {seen:?}"
    );
    Ok(())
}
