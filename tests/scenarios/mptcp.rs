//! The MPTCP path manager through the driver (`MptcpPm`), cross-checked
//! with `ip mptcp` in the same private namespace (endpoints and limits are
//! per network namespace); and the `ip` example's `ip mptcp` against
//! iproute2 6.1 on the same lines, in two namespaces set up alike.

use crate::addrs::{expect_err, jn, js};
use crate::example::example_bin;
use nl_proto::genl::mptcp::{Endpoint, EndpointFlags, Limits};
use nl_rustix::{Conn, Netns, PrivateNetns};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, run_in, t};
use serde_json::Value;
use std::net::IpAddr;
use std::path::Path;
use std::process::Command;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "mptcp::endpoints_like_ip_mptcp",
            needs_kinds: &[],
            needs_ip: true,
            run: endpoints,
        },
        Scenario {
            name: "mptcp::limits_like_ip_mptcp",
            needs_kinds: &[],
            needs_ip: true,
            run: limits,
        },
        Scenario {
            name: "mptcp::kernel_refusals_name_the_endpoint",
            needs_kinds: &[],
            needs_ip: false,
            run: refusals,
        },
        Scenario {
            name: "mptcp::example_same_lines_same_output_and_state_as_iproute2",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: example_like_iproute2,
        },
        Scenario {
            name: "mptcp::example_batch_like_iproute2",
            needs_kinds: &[],
            needs_ip: true,
            run: example_batch_like_iproute2,
        },
        Scenario {
            name: "mptcp::example_monitor_prints_what_iproute2_prints",
            needs_kinds: &[],
            needs_ip: true,
            run: example_monitor_like_iproute2,
        },
    ]
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// An endpoint as `ip -j mptcp endpoint show` lists it: address, id,
/// flag names, dev.
type Row = (String, u64, Vec<String>, Option<String>);

fn ip_endpoints(ctx: &Ctx) -> Result<Vec<Row>, Failed> {
    let v = ctx.ip_json(&["mptcp", "endpoint", "show"])?;
    let list = v.as_array().ok_or_else(|| format!("not a list: {v}"))?;
    Ok(list
        .iter()
        .map(|e| {
            let flags = ["signal", "subflow", "backup", "fullmesh"]
                .iter()
                .filter(|f| e.get(**f) == Some(&Value::Bool(true)))
                .map(|f| f.to_string())
                .collect();
            (
                js(e, "address").unwrap_or_default().to_string(),
                jn(e, "id").unwrap_or(u64::MAX),
                flags,
                js(e, "dev").map(str::to_string),
            )
        })
        .collect())
}

fn endpoints(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "set", "lo", "up"])?;
    // A port needs the address to exist (the kernel opens a listener).
    ctx.ip(&["addr", "add", "10.0.0.1/8", "dev", "lo"])?;
    let lo = t!(ctx.conn.link_index("lo"));
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    ensure!(
        t!(pm.endpoints()).is_empty(),
        "a fresh namespace has endpoints"
    );

    let signal = Endpoint {
        addr: Some(ip("10.0.0.1")),
        id: Some(3),
        port: Some(5000),
        flags: EndpointFlags::SIGNAL,
        ifindex: Some(lo),
    };
    t!(pm.add_endpoint(&signal));
    let mesh = Endpoint::at(
        ip("2001:db8::1"),
        EndpointFlags::SUBFLOW | EndpointFlags::BACKUP | EndpointFlags::FULLMESH,
    );
    t!(pm.add_endpoint(&mesh));
    // One made by iproute2 is seen too.
    ctx.ip(&["mptcp", "endpoint", "add", "10.0.0.9", "id", "9", "subflow"])?;

    let ours = t!(pm.endpoints());
    ensure_eq!(ours.len(), 3, "{ours:?}");
    ensure_eq!(ours[0], signal);
    ensure_eq!(ours[1].addr, mesh.addr);
    ensure_eq!(ours[1].flags, mesh.flags);
    let mesh_id = ours[1].id.ok_or("the kernel gave no id")?;
    ensure_eq!(ours[2].id, Some(9));

    // The same list as ip shows it.
    let listed: Vec<Row> = ours
        .iter()
        .map(|e| {
            (
                e.addr.map(|a| a.to_string()).unwrap_or_default(),
                u64::from(e.id.unwrap_or(0)),
                e.flags.names().map(str::to_string).collect::<Vec<_>>(),
                (e.ifindex == Some(lo)).then(|| "lo".to_string()),
            )
        })
        .collect();
    ensure_eq!(listed, ip_endpoints(ctx)?);

    // Get by id, change flags, delete, flush.
    ensure_eq!(t!(pm.endpoint(3)), signal);
    t!(pm.change_endpoint(&Endpoint {
        flags: EndpointFlags::SUBFLOW,
        ..Endpoint::with_id(9)
    }));
    ensure_eq!(t!(pm.endpoint(9)).flags, EndpointFlags::SUBFLOW);
    t!(pm.change_endpoint(&Endpoint {
        flags: EndpointFlags::BACKUP,
        ..Endpoint::with_id(9)
    }));
    ensure_eq!(
        t!(pm.endpoint(9)).flags,
        EndpointFlags::SUBFLOW | EndpointFlags::BACKUP
    );
    t!(pm.delete_endpoint(&Endpoint::with_id(mesh_id)));
    let ids: Vec<_> = t!(pm.endpoints()).iter().map(|e| e.id).collect();
    ensure_eq!(ids, vec![Some(3), Some(9)]);
    t!(pm.flush_endpoints());
    ensure!(t!(pm.endpoints()).is_empty(), "flush left endpoints");
    ensure!(ip_endpoints(ctx)?.is_empty(), "ip still lists endpoints");
    Ok(())
}

fn limits(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    let before = t!(pm.limits());
    let text = ctx.ip(&["mptcp", "limits", "show"])?;
    ensure_eq!(
        text,
        format!(
            "add_addr_accepted {} subflows {} \n",
            before.add_addr_accepted.unwrap_or(0),
            before.subflows.unwrap_or(0)
        )
    );
    // Setting one leaves the other.
    t!(pm.set_limits(&Limits {
        subflows: Some(5),
        ..Limits::default()
    }));
    ensure_eq!(
        t!(pm.limits()),
        Limits {
            subflows: Some(5),
            ..before
        }
    );
    t!(pm.set_limits(&Limits {
        add_addr_accepted: Some(8),
        subflows: Some(0),
    }));
    ensure_eq!(
        ctx.ip(&["mptcp", "limits", "show"])?,
        "add_addr_accepted 8 subflows 0 \n"
    );
    ctx.ip(&["mptcp", "limits", "set", "subflows", "2"])?;
    ensure_eq!(
        t!(pm.limits()),
        Limits {
            add_addr_accepted: Some(8),
            subflows: Some(2),
        }
    );
    Ok(())
}

fn refusals(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    let ep = Endpoint::at(ip("10.0.0.2"), EndpointFlags::SUBFLOW);
    t!(pm.add_endpoint(&ep));
    expect_err(
        pm.add_endpoint(&ep),
        17,
        "netlink EEXIST (17): too many addresses or duplicate one: -17 (mptcp endpoint 10.0.0.2)",
    )?;
    expect_err(
        pm.endpoint(42),
        22,
        "netlink EINVAL (22): address not found (mptcp endpoint id 42)",
    )?;
    expect_err(
        pm.delete_endpoint(&Endpoint::with_id(42)),
        22,
        "netlink EINVAL (22): address not found (mptcp endpoint id 42)",
    )?;
    expect_err(
        pm.set_limits(&Limits {
            subflows: Some(9),
            ..Limits::default()
        }),
        22,
        "netlink EINVAL (22): limit greater than maximum (8)",
    )?;
    // Still one endpoint, limits unchanged by the refusal.
    ensure_eq!(t!(pm.endpoints()).len(), 1);
    ensure!(
        t!(pm.limits()).subflows != Some(9),
        "a refused limit applied"
    );
    Ok(())
}

/// Both namespaces get this, through iproute2: `lo` with an address (an
/// endpoint with a port needs its address to exist) and a veth, so that
/// `dev` resolves to the same index in both.
const SETUP: &[&str] = &[
    "link set lo up",
    "addr add 10.0.0.1/8 dev lo",
    "link add v0 type veth peer name v1",
];

/// The lines run through both programs, in order: listings of an empty
/// and a full path manager, every endpoint and limit command with its
/// abbreviations, and the error cases (bad words, missing and invalid
/// arguments, duplicates, missing ids, limits out of range).
const LINES: &[&str] = &[
    "mptcp endpoint show",
    "mptcp endpoint",
    "-j mptcp endpoint show",
    "mptcp limits show",
    "mptcp limits",
    "-j mptcp limits show",
    "mptcp endpoint add 10.0.0.1 dev lo id 3 port 5000 signal",
    "mptcp endpoint add 10.0.0.2 id 5 subflow backup",
    "mptcp endpoint add 2001:db8::1 subflow backup fullmesh",
    "mptcp endpoint add 10.0.0.11 dev v0 subflow",
    "mptcp e a 10.0.0.12 i 0x10 d v1 p 0 signal nobackup",
    "mptcp endpoint add 10.13 id 012 subflow",
    // Refused before sending.
    "mptcp endpoint add 10.0.0.3 signal fullmesh",
    "mptcp endpoint add 10.0.0.4 port 80 subflow",
    "mptcp endpoint add 10.0.0.5 dev nope0",
    "mptcp endpoint add 10.0.0.5 dev nope0 id x",
    "mptcp endpoint add 10.0.0.5 dev a/b",
    "mptcp endpoint add 10.0.0.5 id 256",
    "mptcp endpoint add 10.0.0.5 id x",
    "mptcp endpoint add 10.0.0.5 id",
    "mptcp endpoint add 10.0.0.5 port 70000 signal",
    "mptcp endpoint add id 7",
    "mptcp endpoint add 10.0.0.x",
    "mptcp endpoint add 10.0.0.7 nobackup implicit",
    "mptcp endpoint add 10.0.0.1.5",
    // Refused by the kernel: duplicate address, duplicate id.
    "mptcp endpoint add 10.0.0.2",
    "mptcp endpoint add 10.0.0.6 id 5",
    "mptcp endpoint show",
    "-j mptcp endpoint show",
    "-j -p mptcp endpoint show",
    "mptcp endpoint show id 5",
    "-j mptcp endpoint show id 5",
    "mptcp endpoint show id 42",
    "mptcp endpoint show id",
    "mptcp endpoint show 10.0.0.2",
    "mptcp endpoint delete id 42",
    "mptcp endpoint delete",
    "mptcp endpoint delete 10.0.0.2",
    "mptcp endpoint delete id 5 10.0.0.2",
    "mptcp endpoint delete id 0",
    "mptcp endpoint delete id 0 10.9.9.9",
    "mptcp endpoint delete id 5",
    "mptcp endpoint change id 3 backup",
    "mptcp endpoint change id 3 signal",
    "mptcp endpoint change id 3 port 5 backup",
    "mptcp endpoint change 2001:db8::1 nofullmesh",
    "mptcp endpoint show",
    "mptcp endpoint bogus",
    "mptcp limits set subflows 9",
    "mptcp limits set add_addr_accepted 9",
    "mptcp limits set subflows -1",
    "mptcp limits set subflows x",
    "mptcp limits set subflows",
    "mptcp limits set foo 1",
    "mptcp limits set subflows 3 add_addr_accepted 4",
    "mptcp limits show",
    "mptcp limits set s 1 a 010",
    "mptcp limits set",
    "mptcp limits show extra",
    "mptcp limits show subflows 7",
    "mptcp limits bogus",
    "mptcp limits",
    "mptcp endpoint flush",
    "mptcp endpoint show",
    "-j mptcp endpoint show",
    "mptcp help",
    "mptcp h",
    "mptcp",
    "mptcp bogus",
    "mptcp monitor x",
    "mptcp limits m x",
    "mptcp limits mon x",
];

/// What one run printed and how it ended.
#[derive(Debug, PartialEq)]
struct Out {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(ns: &Netns, prog: &Path, args: &[&str]) -> Result<Out, Failed> {
    let o = ns
        .run(|| Command::new(prog).args(args).output())
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("run {}: {e}", prog.display()))?;
    Ok(Out {
        status: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    })
}

/// The path manager's state as iproute2 shows it.
fn pm_state(ns: &Netns) -> Result<(String, String), Failed> {
    Ok((
        run_in(ns, "ip", &["-j", "mptcp", "endpoint", "show"])?,
        run_in(ns, "ip", &["mptcp", "limits", "show"])?,
    ))
}

/// Compare one run of each program: status and stdout equal, iproute2's
/// stderr lines all there in order, and ours adding only the driver's
/// error line after a kernel refusal.
fn same_run(line: &str, got: &Out, want: &Out) -> Result<(), Failed> {
    ensure_eq!(got.status, want.status, "exit status of `ip {line}`");
    ensure_eq!(got.stdout, want.stdout, "stdout of `ip {line}`");
    let ours: Vec<&str> = got
        .stderr
        .lines()
        .filter(|l| !l.starts_with("  netlink "))
        .collect();
    let theirs: Vec<&str> = want.stderr.lines().collect();
    ensure_eq!(
        ours,
        theirs,
        "stderr of `ip {line}` (ours: {:?})",
        got.stderr
    );
    Ok(())
}

fn example_like_iproute2(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let theirs = ctx.netns();
    let ours_ns = t!(PrivateNetns::new());
    let ours = ours_ns.netns();
    for ns in [&theirs, &ours] {
        for line in SETUP {
            let args: Vec<&str> = line.split(' ').collect();
            run_in(ns, "ip", &args)?;
        }
    }
    for line in LINES {
        let args: Vec<&str> = line.split(' ').collect();
        let want = run(&theirs, Path::new("ip"), &args)?;
        let got = run(&ours, &bin, &args)?;
        same_run(line, &got, &want)?;
        // The driver's line comes only after a kernel refusal (exit 2).
        ensure!(
            want.status == Some(2) || !got.stderr.contains("  netlink "),
            "extra stderr for `ip {line}`: {:?}",
            got.stderr
        );
        ensure_eq!(
            pm_state(&ours)?,
            pm_state(&theirs)?,
            "state after `ip {line}`"
        );
    }
    // The lines did reach the kernel: endpoints came and went.
    let (endpoints, limits) = pm_state(&ours)?;
    ensure_eq!(endpoints.trim(), "[]");
    ensure_eq!(limits, "add_addr_accepted 8 subflows 1 \n");
    Ok(())
}

/// Batch files: a kernel refusal ends the batch (exit 1) unless `-force`;
/// a bad argument ends it even with `-force` (exit 255).
const BATCHES: &[(&str, &str)] = &[
    (
        "-batch",
        "mptcp endpoint add 10.0.0.2 id 5 subflow\nmptcp limits set subflows 3\nmptcp endpoint add 10.0.0.2\nmptcp endpoint show\n",
    ),
    (
        "-force -batch",
        "mptcp endpoint add 10.0.0.3 id 6 subflow\nmptcp endpoint add 10.0.0.3\nmptcp endpoint show\nmptcp limits show\n",
    ),
    (
        "-force -batch",
        "mptcp endpoint add 10.0.0.4 id 7 signal\nmptcp endpoint add 10.0.0.5 id x\nmptcp endpoint show\n",
    ),
    (
        "-batch",
        "# comment\n\nmptcp endpoint delete id 6\nmptcp endpoint show\nmptcp endpoint flush\nmptcp endpoint show\n",
    ),
];

fn example_batch_like_iproute2(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let theirs = ctx.netns();
    let ours_ns = t!(PrivateNetns::new());
    let ours = ours_ns.netns();
    for ns in [&theirs, &ours] {
        run_in(ns, "ip", &["link", "set", "lo", "up"])?;
    }
    let dir = std::env::temp_dir().join(format!("nl-mptcp-batch-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let result = (|| {
        for (i, (opts, text)) in BATCHES.iter().enumerate() {
            let file = dir.join(format!("b{i}"));
            t!(std::fs::write(&file, text));
            let path = file.to_string_lossy().into_owned();
            let mut args: Vec<&str> = opts.split(' ').collect();
            args.push(&path);
            let line = args.join(" ");
            let want = run(&theirs, Path::new("ip"), &args)?;
            let got = run(&ours, &bin, &args)?;
            same_run(&line, &got, &want)?;
            ensure_eq!(
                pm_state(&ours)?,
                pm_state(&theirs)?,
                "state after `ip {line}`"
            );
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A program printing lines in the background, collected as they come.
struct Background {
    child: std::process::Child,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Start `prog args` inside `ns`, its stdout read line by line.
    fn start(ns: &Netns, prog: &Path, args: &[&str]) -> Result<Self, Failed> {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = ns
            .run(|| {
                Command::new(prog)
                    .args(args)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
            })
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("start {}: {e}", prog.display()))?;
        let out = child.stdout.take().ok_or("no stdout pipe")?;
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push(line);
                }
            }
        });
        Ok(Self {
            child,
            lines,
            reader: Some(reader),
        })
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

/// Sockets in `pid`'s namespace (from its `/proc/PID/net/netlink`) that
/// joined generic netlink group `group` (1..=32, the column's bitmask).
fn members(pid: u32, group: u32) -> usize {
    let text = std::fs::read_to_string(format!("/proc/{pid}/net/netlink")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let groups = cols
                .get(3)
                .and_then(|g| u32::from_str_radix(g, 16).ok())
                .unwrap_or(0);
            cols.get(1) == Some(&"16") && groups & (1u32 << (group - 1)) != 0
        })
        .count()
}

/// One MPTCP connection over 127.0.0.1 in the calling thread's
/// namespace: listen, connect, a byte each way, close.
fn mptcp_connection() -> std::io::Result<()> {
    use rustix::net::{AddressFamily, SocketFlags, SocketType, ipproto};
    use std::io::{Read, Write};
    use std::net::{SocketAddrV4, TcpListener, TcpStream};
    let open = || {
        rustix::net::socket_with(
            AddressFamily::INET,
            SocketType::STREAM,
            SocketFlags::CLOEXEC,
            Some(ipproto::MPTCP),
        )
    };
    let srv = open()?;
    rustix::net::bind(&srv, &SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0))?;
    rustix::net::listen(&srv, 1)?;
    let listener = TcpListener::from(srv);
    let addr = listener.local_addr()?;
    let cli = open()?;
    rustix::net::connect(&cli, &addr)?;
    let mut client = TcpStream::from(cli);
    let (mut server, _) = listener.accept()?;
    let mut byte = [0u8; 1];
    client.write_all(b"x")?;
    server.read_exact(&mut byte)?;
    server.write_all(b"y")?;
    client.read_exact(&mut byte)?;
    Ok(())
}

fn example_monitor_like_iproute2(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let ns = ctx.netns();
    ctx.ip(&["link", "set", "lo", "up"])?;
    let group = t!(t!(Conn::open_generic_in(&ns)).genl_group("mptcp_pm", "mptcp_pm_events"));
    let theirs = Background::start(&ns, Path::new("ip"), &["mptcp", "monitor"])?;
    let ours = Background::start(&ns, &bin, &["mptcp", "monitor"])?;
    // Both must listen before the connection: wait until two sockets
    // joined the group (visible for groups up to 32).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let pid = theirs.child.id();
    while group <= 32 && members(pid, group) < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if group > 32 {
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    ensure!(
        group > 32 || members(pid, group) >= 2,
        "the monitors did not join group {group}"
    );
    t!(ns.run(mptcp_connection).map_err(|e| e.to_string())?);
    // Wait (at most 5 s) until both printed the same, complete story.
    let complete = |l: &[String]| l.iter().filter(|x| x.contains("CLOSED]")).count() >= 2;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let (want, got) = loop {
        let (a, b) = (theirs.lines(), ours.lines());
        if (complete(&a) && a == b) || std::time::Instant::now() > deadline {
            break (a, b);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    ensure_eq!(got, want, "ip mptcp monitor output");
    // Not vacuous: both ends' creation, establishment and close were seen.
    for kind in ["CREATED]", "ESTABLISHED]", "CLOSED]"] {
        ensure_eq!(
            want.iter().filter(|l| l.contains(kind)).count(),
            2,
            "{kind} events in {want:?}"
        );
    }
    Ok(())
}
