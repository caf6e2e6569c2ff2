//! The `ip` example as a drop-in for iproute2 6.1: the same line, run by
//! both, must give the same exit status, the same stdout and (where the
//! line says so) the same first stderr line, and leave the same state.
//!
//! Each program runs as a child started inside a private namespace, with
//! identical arguments. Mutations run in two namespaces set up alike (one
//! per program), then their state is compared through `ip -j`; listings
//! run in one namespace through both programs.

use crate::example::example_bin;
use nl_rustix::{Netns, PrivateNetns};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, run_in};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: true,
        run,
    };
    vec![
        s("example_cli::bad_input_same_status_and_message", bad_input),
        s("example_cli::route_show_selectors_same_output", route_show),
        s(
            "example_cli::flush_and_route_modes_same_state",
            flush_and_modes,
        ),
        s("example_cli::batch_stops_where_iproute2_stops", batch),
        s("example_cli::options_json_pretty_version_help", options),
        s("example_cli::netns_add_list_exec_del", netns),
        s("example_cli::multipath_via_and_nexthops", nexthops),
        Scenario {
            name: "example_cli::vxlan_every_option_add_and_show",
            needs_kinds: &["veth", "vxlan"],
            needs_ip: true,
            run: vxlan_options,
        },
    ]
}

/// What a run printed and how it ended.
#[derive(Debug, PartialEq, Eq)]
struct Out {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn first_err(&self) -> &str {
        self.stderr.lines().next().unwrap_or("")
    }
}

fn out(o: Output) -> Out {
    Out {
        status: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Run `prog args` inside `ns`, optionally with `stdin`.
fn run(ns: &Netns, prog: &Path, args: &[&str], stdin: Option<&str>) -> Result<Out, Failed> {
    ns.run(|| -> Result<Out, String> {
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("run {}: {e}", prog.display()))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            use std::io::Write;
            pipe.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        }
        child.wait_with_output().map(out).map_err(|e| e.to_string())
    })
    .map_err(|e| e.to_string())?
}

/// iproute2 and the example, each in a namespace of its own, set up alike.
struct Pair {
    bin: PathBuf,
    theirs: PrivateNetns,
    ours: PrivateNetns,
}

/// The setup both namespaces get (through iproute2): fixed MACs, no DAD,
/// so that listings are byte-for-byte comparable.
const SETUP: &[&str] = &[
    "link set lo up",
    "link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11",
    "link set v0 up",
    "link set v1 up",
    "addr add 10.0.0.1/24 dev v0",
    "addr add 2001:db8::1/64 dev v0 nodad",
];

fn setup(ns: &Netns) -> Result<(), Failed> {
    run_in(ns, "sysctl", &["-qw", "net.ipv6.conf.default.accept_dad=0"])?;
    for line in SETUP {
        let args: Vec<&str> = line.split(' ').collect();
        run_in(ns, "ip", &args)?;
    }
    // Carrier and the link-local addresses come a moment after `up`:
    // wait for them, so both namespaces are compared settled.
    for _ in 0..200 {
        let out = run_in(ns, "ip", &["-j", "addr"])?;
        let settled = out.matches("fe80::").count() == 2
            && !out.contains("tentative")
            && !out.contains("NO-CARRIER");
        if settled {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Err("the veth pair did not settle within 2 s".into())
}

impl Pair {
    /// The scenario's namespace is iproute2's; the example gets a new one.
    fn new(ctx: &Ctx) -> Result<Self, Failed> {
        let pair = Self {
            bin: example_bin()?,
            theirs: ctx.ns.clone(),
            ours: PrivateNetns::new().map_err(|e| e.to_string())?,
        };
        setup(&pair.theirs.netns())?;
        setup(&pair.ours.netns())?;
        Ok(pair)
    }

    /// Run `line` in both namespaces: (iproute2's, the example's).
    fn both(&self, line: &str, stdin: Option<&str>) -> Result<(Out, Out), Failed> {
        let args: Vec<&str> = line.split_whitespace().collect();
        Ok((
            run(&self.theirs.netns(), Path::new("ip"), &args, stdin)?,
            run(&self.ours.netns(), &self.bin, &args, stdin)?,
        ))
    }

    /// The state views of both namespaces are equal.
    fn same_state(&self, after: &str) -> Result<(), Failed> {
        for view in [
            "-j addr",
            "-j route show table all",
            "-j -6 route show table all",
            "-j neigh show nud all",
            "-j rule",
            "-j -6 rule",
            "-j nexthop",
        ] {
            let args: Vec<&str> = view.split(' ').collect();
            let parse = |ns: &PrivateNetns| -> Result<Value, Failed> {
                let text = run_in(&ns.netns(), "ip", &args)?;
                let mut v: Value =
                    serde_json::from_str(if text.trim().is_empty() { "[]" } else { &text })
                        .map_err(|e| format!("ip {view}: {e}"))?;
                // The kernel's neighbour hash order is random per table,
                // and routes of one prefix keep the order they came in
                // (link-local ones: whichever link came up first).
                if let Some(a) = v.as_array_mut() {
                    a.sort_by_key(Value::to_string);
                }
                Ok(v)
            };
            ensure_eq!(
                parse(&self.theirs)?,
                parse(&self.ours)?,
                "after {after}: `ip {view}` in iproute2's namespace (left) vs the example's (right)"
            );
        }
        Ok(())
    }
}

/// How much of a failing line's output must match.
#[derive(Clone, Copy, PartialEq)]
enum Match {
    /// Status, stdout and the first stderr line.
    Line,
    /// Status and stdout (the example words its message its own way).
    Status,
}

/// Bad input, and a few good lines around it: every line the same exit
/// status as iproute2 6.1, and the same first stderr line where marked;
/// afterwards the same state (nothing half-applied).
const LINES: &[(&str, Match)] = &[
    // Missing arguments.
    ("rule add", Match::Line),
    ("rule del", Match::Line),
    ("route add", Match::Status),
    ("route del", Match::Status),
    ("route get", Match::Line),
    ("addr add 10.0.0.5/24", Match::Line),
    ("addr add", Match::Line),
    ("addr del 10.0.0.1/24", Match::Line),
    ("neigh add 10.0.0.2", Match::Line),
    ("neigh del", Match::Line),
    ("link add x0", Match::Line),
    ("link set", Match::Line),
    ("link del", Match::Line),
    ("link set lo mtu", Match::Line),
    ("route add 10.1.0.0/24 via", Match::Line),
    ("route flush", Match::Line),
    ("addr flush", Match::Line),
    ("neigh flush", Match::Line),
    // Unknown device.
    ("addr add 10.0.0.5/24 dev nope0", Match::Line),
    ("route add 10.1.0.0/24 dev nope0", Match::Line),
    ("route show dev nope0", Match::Line),
    ("route get 10.0.0.5 oif nope0", Match::Line),
    ("link set nope0 up", Match::Line),
    ("link del nope0", Match::Line),
    ("link show nope0", Match::Line),
    ("addr show dev nope0", Match::Line),
    ("neigh show dev nope0", Match::Line),
    // Bad prefix or value, wrong family.
    ("addr add 10.0.0.5/33 dev v0", Match::Line),
    ("route add 10.1.0.0/33 dev v0", Match::Line),
    ("route add bogus dev v0", Match::Line),
    ("route show 10.0.0.0/33", Match::Line),
    ("route show garbage", Match::Line),
    ("route get bogus", Match::Line),
    ("rule add from bogus lookup 100", Match::Line),
    ("route add 10.1.0.0/24 via 2001:db8::1", Match::Line),
    ("route add 10.1.0.0/24 src 2001:db8::1 dev v0", Match::Line),
    ("-4 route add 2001:db8:1::/64 dev v0", Match::Line),
    ("-6 addr add 10.0.0.9/24 dev v0", Match::Line),
    (
        "addr add 10.0.0.9/24 dev v0 broadcast 2001:db8::1",
        Match::Line,
    ),
    ("addr add 10.0.0.9/24 peer 2001:db8::1 dev v0", Match::Line),
    ("route add 10.1.0.0/24 dev v0 metric abc", Match::Line),
    ("route add 10.1.0.0/24 dev v0 table abc", Match::Line),
    ("route add 10.1.0.0/24 dev v0 proto abcxyz", Match::Line),
    ("route add 10.1.0.0/24 dev v0 mtu lock abc", Match::Line),
    ("route add 10.1.0.0/24 frob", Match::Line),
    ("rule add pref abc", Match::Line),
    ("rule add from 10.0.0.0/8 lookup abc", Match::Line),
    ("rule add type frob", Match::Line),
    ("link set lo mtu abc", Match::Line),
    ("addr add 10.0.0.9/24 dev v0 scope bogus", Match::Line),
    (
        "neigh add 10.0.0.7 lladdr 02:00:00:00:00:01 dev v0 nud bogus",
        Match::Line,
    ),
    ("neigh add 10.0.0.9 10.0.0.10 dev v0", Match::Line),
    ("neigh add 10.0.0.7 lladdr zz dev v0", Match::Line),
    (
        "neigh add 10.0.0.7 lladdr 02:00:00:00:00:1ff dev v0",
        Match::Line,
    ),
    ("addr add 10.0.0.9/24 10.0.0.10/24 dev v0", Match::Line),
    ("addr show dev v0 extra", Match::Line),
    ("link show v0 extra", Match::Line),
    ("link set dev v0 dev v1", Match::Line),
    ("neigh show frob", Match::Line),
    ("rule show extra", Match::Line),
    ("rule show pref x", Match::Line),
    ("rule show table all", Match::Line),
    ("rule show l3mdev x", Match::Line),
    ("rule show table", Match::Line),
    ("rule add tos zz", Match::Line),
    ("rule add dsfield 0x1ff", Match::Line),
    ("rule add ipproto frob", Match::Line),
    ("rule add sport x", Match::Line),
    ("rule add uidrange 5", Match::Line),
    ("rule add suppress_prefixlength x", Match::Line),
    ("rule add suppress_ifgroup x", Match::Line),
    ("rule add realms x", Match::Line),
    ("rule add tun_id x", Match::Line),
    ("rule add fwmark 5/x", Match::Line),
    ("rule add protocol frob", Match::Line),
    ("rule add sport 100-50 lookup 5", Match::Line),
    ("rule add uidrange", Match::Line),
    // Unknown commands and objects, options.
    ("frob", Match::Line),
    ("rule frob", Match::Line),
    ("route frob", Match::Line),
    ("addr frob", Match::Line),
    ("neigh frob", Match::Line),
    ("link frob", Match::Line),
    ("-frob link", Match::Line),
    ("-n nosuchns link", Match::Line),
    ("-batch /nonexistent/file", Match::Line),
    // 16-byte names: iproute2 checks a `name`, the kernel a bare one.
    ("link add name a-name-of-16-byt type veth", Match::Line),
    ("link set lo name a-name-of-16-byt", Match::Line),
    (
        "link add v5 type veth peer name a-name-of-16-byt",
        Match::Line,
    ),
    ("link add a-name-of-16-byt type veth", Match::Status),
    // Link addresses, the veth peer's too.
    (
        "link add v5 address 02:00:00:00:00:55 type veth peer name v6 address 02:00:00:00:00:66",
        Match::Line,
    ),
    ("link set lo address zz:zz", Match::Line),
    ("link set v5 address 02:00:00:00:00", Match::Line),
    ("link set v5 address 02:00:00:00:00:1ff", Match::Line),
    ("link set v5 address 02:00:00:00:00:0", Match::Line),
    (
        "link add v7 address 02:00:00:00:00 type veth",
        Match::Status,
    ),
    ("link add v7 type veth peer name v8 address zz", Match::Line),
    // Unknown link kind: the kernel's refusal (exit 2).
    ("link add foo type nosuchkind", Match::Line),
    // Kernel errors: iproute2's first line.
    ("route add 10.1.0.0/24 dev v0", Match::Line),
    ("route add 10.1.0.0/24 dev v0", Match::Line),
    ("route append 10.1.0.0/24 dev v0", Match::Line),
    ("route change 10.77.0.0/24 dev v0", Match::Line),
    ("route del 10.2.0.0/24", Match::Line),
    ("route add 10.1.0.0/24", Match::Line),
    ("route add 10.3.0.0/24 via 10.9.9.9", Match::Line),
    ("route get 192.0.2.1", Match::Line),
    ("addr add 10.0.0.1/24 dev v0", Match::Line),
    ("addr del 10.9.9.9/24 dev v0", Match::Line),
    ("neigh add 10.0.0.2 dev v0", Match::Line),
    (
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:01 dev v0",
        Match::Line,
    ),
    (
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:01 dev v0",
        Match::Line,
    ),
    ("neigh del 10.0.0.9 dev v0", Match::Line),
    ("rule add from 10.0.0.0/24 lookup 100 pref 100", Match::Line),
    ("rule add from 10.0.0.0/24 lookup 100 pref 100", Match::Line),
    ("rule del pref 999", Match::Line),
    ("link add v0 type veth peer name v9", Match::Line),
    // Alternative names and aliases (the state views show both).
    ("link property add dev v0 altname alt-zero", Match::Line),
    ("link property add dev v0 altname alt-zero", Match::Line),
    (
        "link property add dev v1 altname alt-one altname a-much-longer-alternative-name",
        Match::Line,
    ),
    ("link property del dev v1 altname alt-one", Match::Line),
    ("link property del dev v1 altname nope", Match::Line),
    ("link property add altname x", Match::Line),
    ("link property frob", Match::Line),
    ("link set dev v1 alias the-uplink", Match::Line),
    // Proxy entries.
    ("neigh add proxy 10.0.0.77 dev v0", Match::Line),
    ("neigh add proxy 10.0.0.77 dev v0", Match::Line),
    ("-6 neigh add proxy 2001:db8::77 dev v0", Match::Line),
    ("neigh get proxy 10.0.0.77 dev v0", Match::Line),
    ("neigh del proxy 10.0.0.77 dev v0", Match::Line),
    ("neigh del proxy 10.0.0.77 dev v0", Match::Line),
    ("neigh get proxy 10.0.0.77 dev v0", Match::Line),
    // Kind options: refusals of words and values, kinds without words,
    // the kernel's refusal of kinds it lacks.
    ("link add x type bridge foo", Match::Line),
    ("link add x type bridge stp_state x", Match::Line),
    ("link add x type wireguard foo", Match::Line),
    ("link add x type bond mode xx", Match::Line),
    ("link add x type geneve id 5", Match::Line),
    ("link add x type vlan id 5 reorder_hdr maybe", Match::Line),
    ("link add gre9 type gre remote 10.0.0.2", Match::Line),
    ("link add x link v0 type vlan id 5", Match::Line),
    ("link add x type vrf table 10", Match::Line),
    ("link set dev v0 type bridge_slave cost x", Match::Line),
    // Address metrics (IFA_RT_PRIORITY) and `change`.
    ("addr add 10.0.0.7/24 dev v0 metric 300", Match::Line),
    ("addr change 10.0.0.7/24 dev v0 metric 301", Match::Line),
    ("addr replace 10.0.0.7/24 dev v0 priority 302", Match::Line),
    ("addr add 10.0.0.8/24 dev v0 metric x", Match::Line),
    ("addr add 10.0.0.8/24 dev v0 metric", Match::Line),
    (
        "-6 addr add 2001:db8:7::1/64 dev v0 metric 5 nodad",
        Match::Line,
    ),
    ("addr del 10.0.0.7/24 dev v0 metric 302", Match::Line),
];

fn bad_input(ctx: &mut Ctx) -> Result<(), Failed> {
    let pair = Pair::new(ctx)?;
    let mut wrong = Vec::new();
    for (line, how) in LINES {
        let (theirs, ours) = pair.both(line, None)?;
        let same = theirs.status == ours.status
            && theirs.stdout == ours.stdout
            && (*how == Match::Status || theirs.first_err() == ours.first_err());
        if !same {
            wrong.push(format!(
                "`ip {line}`:\n  iproute2: {:?} {:?}\n  example:  {:?} {:?}",
                theirs.status,
                theirs.first_err(),
                ours.status,
                ours.first_err()
            ));
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    pair.same_state("the bad lines")
}

/// Routes of every kind in several tables, for the listings.
const ROUTES: &[&str] = &[
    "route add 10.9.0.0/24 via 10.0.0.2 proto static metric 5",
    "route add 10.9.1.0/24 via 10.0.0.3",
    "route add 10.8.0.0/16 dev v0 scope link src 10.0.0.1",
    "route add 10.8.1.0/24 dev v0 proto 42",
    "route add blackhole 10.7.0.0/16",
    "route add unreachable 10.6.0.0/16 metric 7",
    "route add prohibit 10.5.0.0/16",
    "route add throw 10.4.0.0/16",
    "route add 10.3.0.0/24 dev v0 table 100",
    "route add blackhole 10.3.1.0/24 table 100",
    "route add default via 10.0.0.254",
    "route add 10.9.2.0/24 via 10.0.0.2 mtu 1400",
    "route add 10.9.3.0/24 via 10.0.0.2 congctl lock cubic",
    "-6 route add 2001:db8:5::/64 via 2001:db8::2 metric 10",
    "-6 route add blackhole 2001:db8:7::/48",
    "-6 route add unreachable 2001:db8:8::/48",
    "-6 route add prohibit 2001:db8:9::/48",
    "rule add from 10.0.0.0/24 lookup 100 pref 1000",
    // Every selector iproute2 6.1 has (the flush scenario runs these in
    // both namespaces and compares the kernel's rules).
    "rule add from 10.0.0.0/8 to 10.1.0.0/16 tos 0x10 pref 20 fwmark 0x5/0xff iif lo oif lo table 1000 protocol static uidrange 100-200 ipproto udp sport 53 dport 1000-2000 suppress_prefixlength 0 suppress_ifgroup 5 realms 3/4 tun_id 7",
    "rule add not from 10.2.0.0/16 pref 30 lookup 5",
    "rule add pref 31 l3mdev",
    "rule add pref 32 goto 40",
    "rule add realms 3/0 lookup 5 pref 4 ipproto 200",
    "rule add pref 5 not fwmark 5 iif lo l3mdev unreachable",
    "rule add suppress_ifgroup default lookup 5 pref 7 ipproto icmp",
    "rule add pref 40 sport 1-2 dport 70000 lookup 4 suppress_prefixlength 8",
    "-6 rule add tos AF11 ipproto ipv6-icmp lookup 5 pref 9",
];

/// Listings with iproute2's selectors, text and JSON.
const SHOWS: &[&str] = &[
    "route",
    "route show",
    "route show 10.9.0.0/24",
    "route show 10.9.0.0",
    "route show to 10.9.0.0/24",
    "route show root 10.8.0.0/16",
    "route show match 10.8.1.5",
    "route show exact 10.8.0.0/16",
    "route show to match 10.9.0.7",
    "route show default",
    "route show proto static",
    "route show proto boot",
    "route show scope link",
    "route show type blackhole",
    "route show type unreachable",
    "route show type prohibit",
    "route show type throw",
    "route show via 10.0.0.2",
    "route show via 10.0.0.0/24",
    "route show dev v0",
    "route show dev v0 proto kernel",
    "route show src 10.0.0.1",
    "route show metric 5",
    "route show table 100",
    "route show table all",
    "route show table all type blackhole",
    "route show root 10.0.0.0/8 type unicast",
    "route show table main match 10.9.0.1 via 10.0.0.2",
    // A cached route with a metric: iproute2 prints `cache` before `mtu`.
    "route get 10.9.2.1",
    "-6 route",
    "-6 route show type unreachable",
    "-6 route show root 2001:db8::/32",
    "route show 2001:db8:5::/64",
    "route get 10.9.0.1",
    "route get 10.9.0.1 from 10.0.0.1",
    "route get 10.9.0.1 mark 7",
    "route get 10.9.0.1 oif v0",
    "route get fibmatch 10.9.0.1",
    "route get 10.0.0.1",
    "route get 10.0.0.255",
    "route get 127.0.0.1",
    "route get to 10.9.0.1",
    "route get 10.8.1.1 fibmatch",
    "-6 route get fibmatch 2001:db8:5::1",
    "neigh get 10.0.0.2 dev v0",
    "-j neigh get 10.0.0.3 dev v0",
    "neigh get 10.0.0.99 dev v0",
    "neigh get 10.0.0.2",
    "neigh get 10.0.0.2 dev nope0",
    "r s t all",
    "ro sh ty unreachable",
    "route show t 100 s link",
    "route get 10.9.0.1 tos 0x10 uid 100 ipproto tcp sport 666 dport 777",
    "-6 route get 2001:db8:5::1 dsfield 0x10 ipproto ipv6-icmp",
    "route get 10.9.0.1 uid x",
    "route get 10.9.0.1 sport 70000",
    "route get 10.9.0.1 ipproto frob",
    "route get 10.9.0.1 tos zz",
    "rule",
    "-6 rule",
    "-d rule",
    "rule show from 10.0.0.0/8",
    "rule show from 10.0.0.0",
    "rule show to 10.1.0.0/16",
    "rule show 10.0.0.0/8",
    "rule show pref 20",
    "rule show tos 0x10",
    "rule show tos 0",
    "rule show fwmark 5",
    "rule show fwmark 5/0xf",
    "rule show iif lo oif lo",
    "rule show l3mdev",
    "rule show uidrange 100-200",
    "rule show sport 53",
    "rule show dport 1000",
    "rule show ipproto udp",
    "rule show lookup 5",
    "rule show table main",
    "rule show protocol static",
    "rule show not",
    "rule show tun_id 7",
    "rule show from all",
    "neigh show nud all",
    "neigh show to 10.0.0.0/24",
    "neigh show nud permanent",
    "neigh show nud stale",
    "neigh show dev v0 nud all",
];

/// `ip address show` with selectors: text only — iproute2 6.1's JSON
/// leaves an empty object `{}` for each link or address its filter drops,
/// which the example does not copy.
const ADDR_SHOWS: &[&str] = &[
    "addr show to 10.0.0.0/24",
    "addr show scope host",
    "addr show secondary",
    "addr show primary dev v0",
    "addr show up",
    "-4 addr show to 10.0.0.0/16",
    "addr show permanent",
    "addr show dynamic",
    "addr show v0 scope global",
    "-br addr show to 10.0.0.0/8",
    "-br -j addr show to 10.0.0.0/8",
    "-j addr show dev v0",
    "-o addr show scope host",
    "addr show to 2001:db8::/32",
    "-6 addr show to 10.0.0.0/8",
    "addr show to 10.0.0.1",
    "addr show scope link",
    "-j addr show scope host",
    "-j addr show permanent",
];

fn route_show(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let ns = ctx.netns();
    setup(&ns)?;
    for line in ROUTES.iter().chain(&[
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0",
        "neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale",
        "neigh add 10.0.1.3 lladdr 02:00:00:00:00:04 dev v0 nud reachable",
        "addr add 10.0.5.1/24 dev v0 metric 300",
    ]) {
        run_in(&ns, "ip", &line.split(' ').collect::<Vec<_>>())?;
    }
    run_in(&ns, "ip", &["addr", "add", "10.0.0.2/24", "dev", "v0"])?;
    run_in(&ns, "ip", &["link", "set", "v1", "down"])?;
    // v0 loses its carrier a moment after its peer goes down: wait, so
    // both programs list the same state.
    let mut settled = false;
    for _ in 0..200 {
        if run_in(&ns, "ip", &["link", "show", "v0"])?.contains("NO-CARRIER") {
            settled = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if !settled {
        return Err("v0 kept its carrier 2 s after v1 went down".into());
    }
    let mut wrong = Vec::new();
    for line in ADDR_SHOWS {
        let args: Vec<&str> = line.split(' ').collect();
        let theirs = run(&ns, Path::new("ip"), &args, None)?;
        let ours = run(&ns, &bin, &args, None)?;
        if (theirs.status, &theirs.stdout) != (ours.status, &ours.stdout) {
            wrong.push(format!(
                "`ip {line}`:\n  iproute2 ({:?}):\n{}{}\n  example ({:?}):\n{}{}",
                theirs.status, theirs.stdout, theirs.stderr, ours.status, ours.stdout, ours.stderr
            ));
        }
    }
    for line in SHOWS {
        for json in ["", "-j "] {
            let full = format!("{json}{line}");
            let args: Vec<&str> = full.split(' ').collect();
            let theirs = run(&ns, Path::new("ip"), &args, None)?;
            let ours = run(&ns, &bin, &args, None)?;
            // The kernel keeps neighbours in a hash: order them.
            let norm = |o: &Out| {
                if line.starts_with("neigh") {
                    let mut l: Vec<&str> = o.stdout.lines().collect();
                    l.sort_unstable();
                    l.join("\n")
                } else {
                    o.stdout.clone()
                }
            };
            if (theirs.status, norm(&theirs)) != (ours.status, norm(&ours))
                || (json.is_empty()
                    && line.starts_with("neigh")
                    && theirs.stdout.len() != ours.stdout.len())
            {
                wrong.push(format!(
                    "`ip {full}`:\n  iproute2 ({:?}):\n{}{}\n  example ({:?}):\n{}{}",
                    theirs.status,
                    theirs.stdout,
                    theirs.stderr,
                    ours.status,
                    ours.stdout,
                    ours.stderr
                ));
            }
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    Ok(())
}

/// Flushes with selectors, and change/append/prepend/replace: the same
/// lines leave the same state.
fn flush_and_modes(ctx: &mut Ctx) -> Result<(), Failed> {
    let pair = Pair::new(ctx)?;
    let mut lines: Vec<&str> = ROUTES.to_vec();
    lines.extend_from_slice(&[
        "addr add 10.1.0.1/24 dev v0",
        "addr add 10.1.0.2/24 dev v0",
        "addr add 10.2.0.1/24 dev v1 label v1:a",
        "addr add 2001:db8:2::1/64 dev v1 nodad",
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0",
        "neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale",
        "neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud reachable",
        "neigh add 10.1.0.9 lladdr 02:00:00:00:00:05 dev v0 nud reachable",
        "-6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:06 dev v0 nud stale router",
        "neigh replace 10.0.0.3 lladdr 02:00:00:00:00:07 dev v0 nud noarp",
        // Route modes.
        "route change 10.9.1.0/24 via 10.0.0.4",
        "route replace 10.9.1.0/24 via 10.0.0.5 metric 3",
        "route prepend 10.9.1.0/24 via 10.0.0.6",
        "route append 10.9.1.0/24 via 10.0.0.7",
        "-6 route append 2001:db8:5::/64 via 2001:db8::3 metric 10",
        "-6 route prepend 2001:db8:6::/64 via 2001:db8::4",
        "route chg 10.8.1.0/24 dev v0 proto 43",
        // Flushes.
        "route flush proto 42",
        "route flush type blackhole",
        "route flush 10.9.1.0/24",
        "route flush root 10.5.0.0/16 type prohibit",
        "route flush table 100",
        "-6 route flush 2001:db8:5::/64",
        "neigh flush dev v0 to 10.1.0.0/16",
        "neigh flush dev v0",
        "addr flush to 10.1.0.0/24",
        "addr flush dev v1 label v1:a",
        "-6 addr flush dev v1 scope global",
        "route flush dev v0 via 10.0.0.2",
    ]);
    let mut wrong = Vec::new();
    for line in &lines {
        let (theirs, ours) = pair.both(line, None)?;
        if (theirs.status, theirs.first_err()) != (ours.status, ours.first_err()) {
            wrong.push(format!(
                "`ip {line}`: iproute2 {:?} {:?}, example {:?} {:?}",
                theirs.status,
                theirs.first_err(),
                ours.status,
                ours.first_err()
            ));
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    pair.same_state("the flushes and route modes")
}

/// `-batch` with a failing line, with and without `-force`, from a file
/// and from stdin: same status, same stderr, same state.
fn batch(ctx: &mut Ctx) -> Result<(), Failed> {
    let pair = Pair::new(ctx)?;
    let dir = std::env::temp_dir().join(format!("nl-example-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let cases: &[(&str, &str)] = &[
        // A kernel error in the middle: stops there without -force.
        (
            "kernel",
            "route add 10.1.0.0/24 dev v0\n# comment\n\nroute add 10.1.0.0/24 dev v0\nroute add 10.2.0.0/24 dev v0\naddr add 10.0.5.1/24 dev v0\n",
        ),
        // A missing device (exit 1 class), then more lines.
        (
            "nodev",
            "route add 10.3.0.0/24 dev v0\nroute add 10.4.0.0/24 dev nope0\nneigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0\n",
        ),
        // An invalid argument: iproute2 exits 255 at once, even with -force.
        (
            "invarg",
            "route add 10.5.0.0/24 dev v0\nroute add 10.6.0.0/24 dev v0 metric abc\nroute add 10.7.0.0/24 dev v0\n",
        ),
        // Several failures; -force runs every line.
        (
            "many",
            "route add 10.8.0.0/24 dev v0\nroute add 10.8.0.0/24 dev v0\nrule add\nroute show 10.8.0.0/24\nroute del 10.99.0.0/24\nrule add from 10.8.0.0/24 lookup 8 pref 8\n",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, text) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
        let path = file.to_string_lossy().into_owned();
        for (line, stdin) in [
            (format!("-batch {path}"), None),
            (format!("-force -batch {path}"), None),
            ("-batch -".to_string(), Some(*text)),
        ] {
            let (theirs, ours) = pair.both(&line, stdin)?;
            // Our kernel errors add a line of context after iproute2's;
            // some of iproute2's messages end in an empty line.
            let lines = |s: &str, ours: bool| -> Vec<String> {
                s.lines()
                    .filter(|l| !(l.is_empty() || ours && l.starts_with("  ")))
                    .map(str::to_string)
                    .collect()
            };
            if (theirs.status, &theirs.stdout, lines(&theirs.stderr, false))
                != (ours.status, &ours.stdout, lines(&ours.stderr, true))
            {
                wrong.push(format!(
                    "{name}: `ip {line}`:\n  iproute2 {:?}:\n{}{}  example {:?}:\n{}{}",
                    theirs.status,
                    theirs.stdout,
                    theirs.stderr,
                    ours.status,
                    ours.stdout,
                    ours.stderr
                ));
            }
            pair.same_state(&format!("{name}: ip {line}"))?;
            for ns in [&pair.theirs, &pair.ours] {
                // Undo, through iproute2, for the next run.
                for undo in ["route flush dev v0 proto boot", "rule flush"] {
                    let _ = run_in(&ns.netns(), "ip", &undo.split(' ').collect::<Vec<_>>());
                }
                let _ = run_in(
                    &ns.netns(),
                    "ip",
                    &["neigh", "flush", "dev", "v0", "nud", "all"],
                );
                let _ = run_in(
                    &ns.netns(),
                    "ip",
                    &["addr", "del", "10.0.5.1/24", "dev", "v0"],
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    Ok(())
}

/// `-p -j`, `-br`, `-o`, `-d` (for veth and lo: no bridge options), `-V`,
/// `help`.
fn options(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let ns = ctx.netns();
    setup(&ns)?;
    run_in(&ns, "ip", &["route", "add", "blackhole", "10.7.0.0/16"])?;
    for line in [
        "link add br0 address 02:00:00:00:00:20 type bridge",
        "link add br1 type bridge stp_state 1 priority 4096 group_fwd_mask 0x4000 mcast_snooping 0",
        "link set v1 master br0",
        "link set dev v1 type bridge_slave cost 7 learning off hairpin on guard on",
    ] {
        run_in(&ns, "ip", &line.split(' ').collect::<Vec<_>>())?;
    }
    for line in [
        "-p -j link show lo",
        "-j -p addr show dev v0",
        "-p -j route show table all",
        "-p -j rule",
        "-p route",
        "-j -p -6 route",
        "-br link",
        "-br -j link",
        "-br addr",
        "-br -j addr",
        "-br -4 addr",
        "-br -6 addr show dev v0",
        "-br link show dev v0",
        "-br -d -s link",
        "-o addr",
        "-o -4 addr",
        "-o link",
        "-o -s link show lo",
        "-o -j link show v0",
        "-o route",
        "-o rule",
        "-d link show lo",
        "-d link show v1",
        "-d -j link show v0",
        "-d addr show v0",
        "-d -j addr show lo",
        "-d link show br0",
        "-d link show br1",
        "-d link show v1",
        "-d link",
        "-d addr",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        let theirs = run(&ns, Path::new("ip"), &args, None)?;
        let ours = run(&ns, &bin, &args, None)?;
        ensure_eq!(theirs, ours, "`ip {line}`");
    }
    // JSON with bridge timers: iproute2 writes `0.00`, serde `0.0`; the
    // same numbers, so compare them as JSON.
    for line in ["-d -j link", "-d -j addr", "-d -j link show v1"] {
        let args: Vec<&str> = line.split(' ').collect();
        let theirs = run(&ns, Path::new("ip"), &args, None)?;
        let ours = run(&ns, &bin, &args, None)?;
        let parse = |o: &Out| -> Result<Value, Failed> {
            serde_json::from_str(&o.stdout).map_err(|e| format!("`ip {line}`: {e}: {o:?}"))
        };
        ensure_eq!(parse(&theirs)?, parse(&ours)?, "`ip {line}`");
    }
    let v = run(&ns, &bin, &["-V"], None)?;
    ensure!(
        v.status == Some(0) && v.stdout.starts_with("ip utility, "),
        "-V: {v:?}"
    );
    for line in [
        "help",
        "",
        "route help",
        "link help",
        "address help",
        "neigh help",
        "rule help",
        "netns help",
        "nexthop help",
        "link add help",
    ] {
        let args: Vec<&str> = line.split_whitespace().collect();
        let theirs = run(&ns, Path::new("ip"), &args, None)?;
        let ours = run(&ns, &bin, &args, None)?;
        ensure_eq!(
            (theirs.status, theirs.stdout.as_str(), theirs.first_err()),
            (ours.status, ours.stdout.as_str(), ours.first_err()),
            "`ip {line}`"
        );
    }
    Ok(())
}

/// `ip netns` lines, each run by iproute2 on namespace `nsA` and by the
/// example on `nsB` (`N` in the line), in a private mount namespace with
/// a tmpfs on `/run`, so nothing outlives the test.
const NETNS: &[&str] = &[
    "netns add N",
    "netns add N",
    "netns list",
    "netns set",
    "netns set N",
    "netns set N frob",
    "netns set N -1",
    "netns set nosuchns 3",
    "netns set N auto",
    "netns list",
    "netns list-id",
    "-j netns list-id",
    "netns list-id nsid 0",
    "netns list-id nsid frob",
    "-n N link",
    "netns exec N ip -br link",
    "netns exec N sh -c exit_3",
    "netns exec nosuchns true",
    "netns del nosuchns",
    "netns add",
    "netns exec N",
    "netns frob",
    "netns del N",
    "netns list",
];

fn netns(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let mut script = String::from(
        "mount -t tmpfs tmpfs /run || exit 99\n\
         r() { out=$(\"$@\" 2>&1); printf '%s %s\\036' \"$?\" \"$out\"; }\n",
    );
    for line in NETNS {
        // `exit_3` keeps the word list simple: one shell word.
        let line = line.replace("exit_3", "'exit 3'");
        script += &format!("r ip {}\n", line.replace('N', "nsA"));
        script += &format!("r {} {}\n", bin.display(), line.replace('N', "nsB"));
    }
    let out = run(
        &ctx.netns(),
        Path::new("unshare"),
        &["--mount", "--propagation", "private", "sh", "-c", &script],
        None,
    )?;
    ensure_eq!(out.status, Some(0), "{out:?}");
    let results: Vec<&str> = out.stdout.split('\u{1e}').collect();
    ensure_eq!(results.len(), NETNS.len() * 2 + 1, "{out:?}");
    let mut wrong = Vec::new();
    for (i, line) in NETNS.iter().enumerate() {
        let theirs = results[2 * i];
        let ours = results[2 * i + 1].replace("nsB", "nsA");
        // Both programs list both namespaces (and their ids, iproute2's
        // first): compare the sets.
        let norm = |s: &str| {
            let mut l: Vec<String> = s
                .split(['\n', ' '])
                .map(|w| w.replace("nsB", "nsA"))
                .collect();
            l.sort();
            l
        };
        let same = if line.contains("list") {
            norm(theirs) == norm(&ours)
        } else {
            theirs == ours
        };
        if !same {
            wrong.push(format!(
                "`ip {line}`: iproute2 {theirs:?}, example {ours:?}"
            ));
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    Ok(())
}

/// Multipath routes, `via inet6` (RTA_VIA), nexthop objects and groups,
/// routes by `nhid`: the same lines leave the same state, and list alike.
const NEXTHOP_LINES: &[&str] = &[
    "route add 10.1.0.0/24 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.0.3 dev v0",
    "route add default via 169.254.1.1 dev v0 onlink",
    "route add 10.8.0.0/24 via 169.254.1.2 dev v0",
    "route add 10.8.1.0/24 nexthop via 169.254.1.3 dev v0 onlink nexthop via 10.0.0.3 dev v0",
    "route add 10.2.0.0/24 via inet6 2001:db8::2 dev v0",
    "route add 10.3.0.0/24 nexthop via inet6 2001:db8::2 dev v0 nexthop via 10.0.0.3 dev v0 weight 5",
    "-6 route add 2001:db8:1::/64 nexthop via 2001:db8::2 nexthop via 2001:db8::3 weight 3",
    "route add 10.4.0.0/24 nexthop via 10.0.0.2 weight 0",
    "route add 10.4.0.0/24 nexthop via 10.0.0.2 weight abc",
    "route add 10.4.0.0/24 nexthop via 10.0.0.2 frob",
    "route add 10.4.0.0/24 via 10.0.0.2 weight 3",
    "route add 10.4.0.0/24 via inet6 bogus dev v0",
    "nexthop add id 7 via 10.0.0.2 dev v0",
    "nexthop add id 8 via 10.0.0.3 dev v0 proto static",
    "nexthop add id 9 blackhole",
    "nexthop add id 10 group 7/8,3",
    "-6 nexthop add id 11 via 2001:db8::2 dev v0",
    "nexthop add id 12 dev v0",
    "nexthop add id 13 via 10.0.0.4 dev v0 onlink",
    // Resilient groups (and their refusals: no buckets, bad words).
    "nexthop add id 30 group 7/13,3 type resilient buckets 8 idle_timer 120 unbalanced_timer 300",
    "nexthop add id 31 group 7/13 type resilient buckets 4",
    "nexthop add id 32 group 7/13 type mpath",
    "nexthop add id 33 group 7/13 type resilient",
    "nexthop add id 33 group 7/13 type resilient idle_timer 5",
    "nexthop add id 33 group 7/13 type weird",
    "nexthop add id 33 group 7/13 type resilient buckets x",
    "nexthop add id 33 group 7/13 type resilient buckets 4 frob",
    "nexthop add id 7 via 10.0.0.9 dev v0",
    "nexthop add id 21 group 99",
    "nexthop add id 22 group 7,0",
    "nexthop add id 23 via 10.0.0.2 dev nope0",
    // MPLS encap: this kernel has no MPLS tunnels, both get its refusal.
    "nexthop add id 24 encap mpls 101/102 via 10.0.0.2 dev v0",
    "nexthop add id 25 encap mpls 101 via 10.0.0.2 fdb",
    "nexthop del id 99",
    "nexthop frob",
    "route add 10.5.0.0/24 nhid 10",
    "route add 10.6.0.0/24 nhid 7",
    "route add 10.7.0.0/24 nhid 99",
    "nexthop replace id 7 via 10.0.0.9 dev v0",
    "nexthop del id 8",
    "route change 10.1.0.0/24 nexthop via 10.0.0.4 nexthop via 10.0.0.5 weight 7",
    // A delete names the legs in the route's order, or deletes nothing.
    "route del 10.1.0.0/24 nexthop via 10.0.0.5 weight 7 nexthop via 10.0.0.4",
    "route del 10.1.0.0/24 nexthop via 10.0.0.4 nexthop via 10.0.0.5 weight 7",
    "route del 10.3.0.0/24 nexthop via 10.0.0.3 dev v0 weight 5 nexthop via inet6 2001:db8::2 dev v0",
    // Congestion control (RTAX_CC_ALGO): an unknown one is the kernel's refusal.
    "route add 10.4.0.0/24 via 10.0.0.2 congctl lock nosuchcc",
    "route add 10.4.1.0/24 via 10.0.0.2 congctl reno",
    "route add 10.4.2.0/24 via 10.0.0.2 congctl lock cubic",
    // Tunnel encapsulation: ip and ip6 metadata; mpls and seg6 are this
    // kernel's refusal (no MPLS routing, no seg6 tunnels); bad words.
    "route add 10.20.0.0/24 encap ip id 5 dst 10.0.0.9 ttl 4 dev v0",
    "route add 10.20.1.0/24 encap ip id 7 src 10.0.0.1 dst 10.0.0.8 tos 8 key csum dev v0",
    "-6 route add 2001:db8:20::/64 encap ip6 id 9 dst 2001:db8::9 hoplimit 3 tc 4 seq dev v0",
    "route add 10.20.2.0/24 encap mpls 100/200 via 10.0.0.2 dev v0",
    "route add 10.20.2.0/24 encap mpls 100 ttl 5 dev v0",
    "-6 route add 2001:db8:21::/64 encap seg6 mode encap segs 2001:db8::a,2001:db8::b dev v0",
    "-6 route add 2001:db8:21::/64 encap seg6 mode inline segs 2001:db8::a hmac 7 dev v0",
    "route add 10.20.3.0/24 encap frob dev v0",
    "route add 10.20.3.0/24 encap mpls x dev v0",
    "route add 10.20.3.0/24 encap ip dst 2001:db8::1 dev v0",
    "route add 10.20.3.0/24 encap ip id x dev v0",
    "route add 10.20.3.0/24 encap ip id 1 id 2 dev v0",
    "-6 route add 2001:db8:21::/64 encap seg6 segs 2001:db8::a dev v0",
    "-6 route add 2001:db8:21::/64 encap seg6 mode frob segs 2001:db8::a dev v0",
];

/// Routes with lightweight tunnel encapsulation, added by iproute2 for
/// the listings.
const ENCAP_ROUTES: &[&str] = &[
    "route add 10.9.0.0/24 encap ip id 5 dst 10.0.0.9 ttl 4 dev v0",
    "route add 10.9.1.0/24 encap ip id 7 src 10.0.0.1 dst 10.0.0.8 tos 8 key csum dev v0",
    "-6 route add 2001:db8:9::/64 encap ip6 id 9 dst 2001:db8::9 hoplimit 3 tc 4 seq dev v0",
];

const NEXTHOP_SHOWS: &[&str] = &[
    "-d route show 10.9.1.0/24",
    "route",
    "-6 route",
    "route show 10.1.0.0/24",
    "nexthop",
    "nexthop show",
    "-d nexthop",
    "-4 nexthop",
    "-6 nexthop",
    "nexthop show dev v0",
    "nexthop show groups",
    "nexthop show group",
    "nexthop list protocol 4",
    "nexthop ls master v0",
    "nexthop show dev nope0",
    "nexthop show id 10",
    "nexthop get id 7",
    "nexthop get id 99",
    "nexthop show id 30",
    "-d nexthop show id 31",
    "nexthop bucket",
    "nexthop bucket show id 30",
    "nexthop bucket list id 31 nhid 7",
    "nexthop bucket show nhid 13",
    "nexthop bucket show dev v0",
    "nexthop bucket show dev nope0",
    "nexthop bucket show id 7",
    "nexthop bucket get id 31 index 2",
    "nexthop bucket get id 31 index 9",
    "nexthop bucket get id 31",
    "nexthop bucket frob",
];

/// A listing with each bucket's idle time (which grows between the two
/// programs' runs) replaced by `T`, text and JSON.
fn idle_times_masked(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("idle_time") {
        let (head, tail) = rest.split_at(i + "idle_time".len());
        out.push_str(head);
        let tail = match tail.strip_prefix("\":") {
            Some(t) => {
                out.push_str("\":");
                t
            }
            None => {
                out.push(' ');
                tail.trim_start_matches(' ')
            }
        };
        out.push('T');
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit() || ".e+-".contains(c));
    }
    out.push_str(rest);
    out
}

fn nexthops(ctx: &mut Ctx) -> Result<(), Failed> {
    let pair = Pair::new(ctx)?;
    let mut wrong = Vec::new();
    for line in NEXTHOP_LINES {
        let (theirs, ours) = pair.both(line, None)?;
        if (theirs.status, theirs.first_err()) != (ours.status, ours.first_err()) {
            wrong.push(format!(
                "`ip {line}`: iproute2 {:?} {:?}, example {:?} {:?}",
                theirs.status,
                theirs.first_err(),
                ours.status,
                ours.first_err()
            ));
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    pair.same_state("the multipath and nexthop lines")?;
    // Listings: both programs on iproute2's namespace, with routes
    // carrying tunnel metadata (`encap ip|ip6`, which only iproute2 adds).
    let ns = pair.theirs.netns();
    for line in ENCAP_ROUTES {
        let args: Vec<&str> = line.split(' ').collect();
        let added = run(&ns, Path::new("ip"), &args, None)?;
        ensure_eq!(added.status, Some(0), "`ip {line}`: {}", added.stderr);
    }
    for line in NEXTHOP_SHOWS {
        for json in ["", "-j "] {
            let full = format!("{json}{line}");
            let args: Vec<&str> = full.split(' ').collect();
            let mut theirs = run(&ns, Path::new("ip"), &args, None)?;
            let mut ours = run(&ns, &pair.bin, &args, None)?;
            if line.contains("bucket") {
                theirs.stdout = idle_times_masked(&theirs.stdout);
                ours.stdout = idle_times_masked(&ours.stdout);
            }
            if (theirs.status, &theirs.stdout, theirs.first_err())
                != (ours.status, &ours.stdout, ours.first_err())
            {
                wrong.push(format!(
                    "`ip {full}`:\n  iproute2 ({:?}):\n{}{}\n  example ({:?}):\n{}{}",
                    theirs.status,
                    theirs.stdout,
                    theirs.stderr,
                    ours.status,
                    ours.stdout,
                    ours.stderr
                ));
            }
        }
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    for line in ENCAP_ROUTES {
        let del = line.replacen("route add", "route del", 1);
        let args: Vec<&str> = del.split(' ').collect();
        let gone = run(&ns, Path::new("ip"), &args, None)?;
        ensure_eq!(gone.status, Some(0), "`ip {del}`: {}", gone.stderr);
    }
    // And flush, in both.
    let (theirs, ours) = pair.both("nexthop flush", None)?;
    ensure_eq!((theirs.status, &theirs.stdout), (ours.status, &ours.stdout));
    pair.same_state("nexthop flush")
}

/// `ip link add … type vxlan …` lines: each option iproute2 6.1 takes,
/// good and bad; the name is the second word.
const VXLAN_LINES: &[&str] = &[
    "link add vxa type vxlan id 42 dstport 4789 local 2001:db8::1 remote 2001:db8::2 nolearning ttl 5 tos 0x10 flowlabel 0x123 ageing 100 maxaddr 7 srcport 1000 2000 proxy rsc l2miss l3miss noudpcsum udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx gbp df set",
    "link add vxb type vxlan external ttl auto tos inherit gpe dstport 0",
    "link add vxc type vxlan dstport 0 ageing none ttl 0 df unset vnifilter external",
    "link add vxd type vxlan id 2 local 2001:db8::1 group ff05::1 dev v0 ttl inherit df inherit",
    "link add vxe type vxlan id 4 remote 10.1.1.1 local 10.1.1.2 ttl 64 tos 1 learning",
    "link add vxf type vxlan vni 5 dstport 4789 group 239.1.1.1 dev v0 maxaddress unlimited noproxy norsc nol2miss nol3miss udpcsum noremcsumtx noremcsumrx noexternal",
    // Refused by iproute2 or by the kernel.
    "link add vxg type vxlan dstport 4789",
    "link add vxg type vxlan id 1 external dstport 0",
    "link add vxg type vxlan id 16777216 dstport 0",
    "link add vxg type vxlan id 1 dstport 0 ttl 256",
    "link add vxg type vxlan id 1 dstport 0 tos zz",
    "link add vxg type vxlan id 1 dstport 0 df maybe",
    "link add vxg type vxlan id 1 dstport 0 flowlabel 0x100000",
    "link add vxg type vxlan id 1 dstport 0 flowlabel 5 remote 10.0.0.9",
    "link add vxg type vxlan id 1 dstport 0 group 239.1.1.1",
    "link add vxg type vxlan id 1 dstport 0 srcport 10",
    "link add vxg type vxlan id 1 dstport 0 frob",
    "link add vxg type vxlan id 1 dstport 0 gpe",
];

/// Every vxlan option: each line gives iproute2's status and first
/// stderr line, the links come out the same (`-d -j` kind data) and our
/// `-d link show` prints what iproute2's does, text and JSON.
fn vxlan_options(ctx: &mut Ctx) -> Result<(), Failed> {
    let pair = Pair::new(ctx)?;
    let mut wrong = Vec::new();
    for line in VXLAN_LINES {
        let (theirs, ours) = pair.both(line, None)?;
        if (theirs.status, theirs.first_err()) != (ours.status, ours.first_err()) {
            wrong.push(format!(
                "{line}\n  iproute2: {theirs:?}\n  ours:     {ours:?}"
            ));
            continue;
        }
        if theirs.status != Some(0) {
            continue;
        }
        let name = line.split(' ').nth(2).unwrap_or_default();
        let info = |ns: &PrivateNetns| -> Result<Value, Failed> {
            let text = run_in(&ns.netns(), "ip", &["-d", "-j", "link", "show", name])?;
            let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            Ok(v[0]["linkinfo"].clone())
        };
        ensure_eq!(
            info(&pair.theirs)?,
            info(&pair.ours)?,
            "{line}: the link made"
        );
    }
    ensure!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Listings, in iproute2's namespace through both programs.
    for line in ["-d link show", "-d -j link show", "-d link show type vxlan"] {
        let args: Vec<&str> = line.split(' ').collect();
        let theirs = run(&pair.theirs.netns(), Path::new("ip"), &args, None)?;
        let ours = run(&pair.theirs.netns(), &pair.bin, &args, None)?;
        for (o, t) in ours.stdout.lines().zip(theirs.stdout.lines()) {
            ensure_eq!(o, t, "ip {line}");
        }
        ensure_eq!(ours, theirs, "ip {line}");
    }
    Ok(())
}
