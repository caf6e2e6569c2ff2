//! The `tc` example as a drop-in for iproute2 6.1's `tc`, in the
//! scenarios a bandwidth plugin and a tenant-shaping daemon run: every
//! line, run by both, gives the same exit status, stdout and first stderr
//! line, and leaves the same state (listed by iproute2's `tc` in both
//! namespaces).
//!
//! Each program gets a private namespace set up alike (a veth pair and an
//! ifb, IPv6 off so no packet moves a counter). Handles are always given:
//! the kernel numbers unnamed qdiscs from one counter for all namespaces.

use nl_rustix::{Netns, PrivateNetns};
use nl_tests::{Ctx, Failed, Scenario, ensure_eq, run_in};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, needs_kinds, run| Scenario {
        name,
        needs_kinds,
        needs_ip: true,
        run,
    };
    const BANDWIDTH: &[&str] = &[
        "veth",
        "ifb",
        "tc:qdisc add dev lo root handle 1: tbf rate 1mbit burst 10kb latency 50ms",
        "tc:filter add dev lo parent ffff: protocol ip u32 match u32 0 0 action mirred egress redirect dev lo",
    ];
    const TENANT: &[&str] = &[
        "veth",
        "ifb",
        "tc:qdisc add dev lo root handle 1: htb default 10",
        "tc:filter add dev lo parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 flowid 1:10",
    ];
    vec![
        s(
            "tc::bandwidth_plugin_tbf_ingress_mirred_ifb",
            BANDWIDTH,
            bandwidth,
        ),
        s("tc::tenant_htb_tree_u32_filters", TENANT, tenant),
        s("tc::errors_same_status_and_first_line", BANDWIDTH, errors),
        s("tc::batch_stops_at_first_failure", TENANT, batch),
        s("tc::fifos_clsact_and_listing_options", BANDWIDTH, fifos),
    ]
}

/// What one run printed and how it ended: status, stdout, first stderr line.
#[derive(Debug, PartialEq, Eq)]
struct Out {
    status: Option<i32>,
    stdout: String,
    first_err: String,
}

fn run(ns: &Netns, prog: &Path, args: &[&str]) -> Result<Out, Failed> {
    ns.run(|| -> Result<Out, String> {
        let o = Command::new(prog)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("run {}: {e}", prog.display()))?;
        Ok(Out {
            status: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            first_err: String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
        })
    })
    .map_err(|e| e.to_string())?
}

/// iproute2's `tc` and the example, each in a namespace of its own.
struct Pair {
    bin: PathBuf,
    theirs: PrivateNetns,
    ours: PrivateNetns,
}

fn setup(ns: &Netns) -> Result<(), Failed> {
    for key in ["all", "default"] {
        run_in(
            ns,
            "sysctl",
            &["-qw", &format!("net.ipv6.conf.{key}.disable_ipv6=1")],
        )?;
    }
    for line in [
        "link set lo up",
        "link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11",
        "link add ifb0 address 02:00:00:00:00:12 type ifb",
        "link set v0 up",
        "link set v1 up",
        "link set ifb0 up",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        run_in(ns, "ip", &args)?;
    }
    Ok(())
}

impl Pair {
    fn new(ctx: &Ctx) -> Result<Self, Failed> {
        let pair = Self {
            bin: nl_tests::example_bin("tc")?,
            theirs: ctx.ns.clone(),
            ours: PrivateNetns::new().map_err(|e| e.to_string())?,
        };
        setup(&pair.theirs.netns())?;
        setup(&pair.ours.netns())?;
        Ok(pair)
    }

    /// Run `line` with both programs, each in its namespace, and require
    /// the same status, stdout and first stderr line.
    fn same(&self, line: &str) -> Result<(), Failed> {
        let args: Vec<&str> = line.split_whitespace().collect();
        let theirs = run(&self.theirs.netns(), Path::new("tc"), &args)?;
        let ours = run(&self.ours.netns(), &self.bin, &args)?;
        ensure_eq!(
            theirs,
            ours,
            "`tc {line}`: iproute2 (left) vs the example (right)"
        );
        Ok(())
    }

    /// Run every line with both, then compare the state.
    fn lines(&self, lines: &[&str]) -> Result<(), Failed> {
        for line in lines {
            self.same(line)?;
        }
        self.same_state(lines.last().copied().unwrap_or(""))
    }

    /// iproute2's listings of both namespaces are equal.
    fn same_state(&self, after: &str) -> Result<(), Failed> {
        for view in [
            "-d qdisc show",
            "-d class show dev v0",
            "-d class show dev ifb0",
            "filter show dev v0",
            "filter show dev v0 parent ffff:",
            "filter show dev v0 ingress",
            "filter show dev v0 egress",
            "filter show dev ifb0",
        ] {
            let args: Vec<&str> = view.split(' ').collect();
            let list = |ns: &PrivateNetns| run(&ns.netns(), Path::new("tc"), &args);
            ensure_eq!(
                list(&self.theirs)?,
                list(&self.ours)?,
                "after `tc {after}`: `tc {view}` in iproute2's namespace (left) vs the example's (right)"
            );
        }
        Ok(())
    }
}

/// A bandwidth plugin: egress shaped by a tbf on the host side of a veth,
/// ingress redirected by u32 + mirred into an ifb shaped by its own tbf;
/// then changed, replaced and torn down, listed every way.
fn bandwidth(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev v0 root handle 1: tbf rate 10mbit burst 32kbit latency 400ms",
        "qdisc show dev v0",
        "-s qdisc show dev v0",
        "-d qdisc show dev v0",
        "-j qdisc show dev v0",
        "-j -p qdisc show dev v0",
        "-s -j qdisc show dev v0",
        "qdisc add dev v0 handle ffff: ingress",
        "qdisc add dev ifb0 root handle 2: tbf rate 5mbit burst 16kb limit 100kb",
        "filter add dev v0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev ifb0",
        "filter show dev v0 parent ffff:",
        "-j filter show dev v0 parent ffff:",
        "-j -p filter show dev v0 parent ffff:",
        "qdisc show",
        "-j qdisc show",
        "qdisc show dev v0 ingress",
        "qdisc show dev v0 root",
    ])?;
    p.lines(&[
        "qdisc change dev v0 root handle 1: tbf rate 20mbit burst 64kb latency 100ms",
        "qdisc show dev v0",
        "qdisc replace dev ifb0 root handle 2: tbf rate 1gbit burst 1mb latency 10ms peakrate 2gbit mtu 9000",
        "-d qdisc show dev ifb0",
        "-r qdisc show dev ifb0",
        "-iec qdisc show dev ifb0",
        "filter del dev v0 parent ffff: protocol all prio 49152",
        "filter show dev v0 parent ffff:",
        "qdisc del dev v0 ingress",
        "qdisc del dev v0 root",
        "qdisc del dev ifb0 root",
        "qdisc show",
    ])
}

/// A tenant-shaping daemon: an htb tree with rate/ceil classes and u32
/// filters (plain, port matches, a hash table with a link), changed and
/// pruned.
fn tenant(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev v0 root handle 1: htb default 30",
        "class add dev v0 parent 1: classid 1:1 htb rate 10mbit",
        "class add dev v0 parent 1:1 classid 1:10 htb rate 3mbit ceil 10mbit prio 1",
        "class add dev v0 parent 1:1 classid 1:20 htb rate 5mbit ceil 8mbit burst 15k cburst 20k",
        "class add dev v0 parent 1:1 classid 1:30 htb rate 1mbit quantum 1500",
        "class show dev v0",
        "-d class show dev v0",
        "-s class show dev v0",
        "class show dev v0 classid 1:10",
        "filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10",
        "filter add dev v0 parent 1: protocol ip prio 2 u32 match ip src 192.168.0.0/16 match ip dport 80 0xffff flowid 1:20",
        "filter add dev v0 parent 1: protocol ip prio 3 u32 match ip protocol 17 0xff match udp dst 53 0xffff flowid 1:30",
        "filter add dev v0 parent 1: protocol ip prio 4 handle 2: u32 divisor 16",
        "filter add dev v0 parent 1: protocol ip prio 4 u32 ht 800:: match ip dst 10.9.0.0/16 hashkey mask 0x000000ff at 16 link 2:",
        "filter add dev v0 parent 1: protocol ip prio 4 u32 ht 2:7: match ip dst 10.9.0.7/32 flowid 1:10",
        "filter show dev v0",
        "-j filter show dev v0",
        "-s filter show dev v0",
        "filter show dev v0 prio 2",
        "-s qdisc show dev v0",
    ])?;
    p.lines(&[
        "class change dev v0 parent 1:1 classid 1:10 htb rate 4mbit ceil 9mbit",
        "class replace dev v0 parent 1:1 classid 1:20 htb rate 2mbit",
        "class show dev v0",
        "filter del dev v0 parent 1: protocol ip prio 2",
        "filter replace dev v0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip dst 10.0.0.2/32 flowid 1:30",
        "filter show dev v0",
        "class del dev v0 classid 1:30",
        "qdisc replace dev v0 root handle 1: htb default 10 r2q 20",
        "qdisc show dev v0",
        "qdisc del dev v0 root",
        "class show dev v0",
    ])
}

/// What scripts check: a missing device, a bad rate, a missing qdisc,
/// duplicates, unknown words — each with tc's status and first line,
/// and nothing half-applied.
fn errors(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev nope0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: tbf rate 1mbiz burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit",
        "qdisc add dev v0 root handle 1: tbf burst 32kbit",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 4x",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms limit 10",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit rate 2mbit burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms bogus 1",
        "qdisc del dev v0 root",
        "qdisc del dev v0 ingress",
        "qdisc change dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: tbf rate 1mbit burst 32kbit latency 400ms",
        "qdisc add dev v0 root handle 1: htb",
        "qdisc add dev v0 root handle x: htb",
        "qdisc add dev v0 root root htb",
        "qdisc add dev v0 root handle 1: bfifo limit 1z",
        "qdisc add dev v0 root handle 1: pfifo_fast bands 3",
        "qdisc show dev nope0",
        "qdisc bogus",
        "bogus",
        "qdisc add dev v0",
        "class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
        "class add dev v0 parent 5: classid 5:10 htb rate 1mbit",
        "class add dev nope0 parent 1: classid 1:10 htb rate 1mbit",
        "class add dev v0 parent 1: classid 1:10 htb ceil 1mbit",
        "class add dev v0 parent 1: classid 1:10 htb rate fast",
        "class show dev nope0",
        "class del dev v0 classid 1:99",
        "filter add dev v0 parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 action mirred egress redirect dev ifb0",
        "filter add dev v0 parent 1: protocol ip u32 match ip dst 10.0.0.300/32 flowid 1:1",
        "filter add dev v0 parent 1: protocol ip u32 match ip dst 10.0.0.1/32 action mirred egress redirect dev nope0",
        "filter add dev nope0 parent 1: protocol ip u32 match ip dst 10.0.0.1/32 flowid 1:1",
        "filter add dev v0 parent 1: protocol ip u32 bogus",
        "filter show dev nope0",
        "qdisc show dev v0",
    ])
}

/// `-batch`: stops at the first failing line (later lines not applied),
/// reports it as `Command failed FILE:N`, exit 1; with `-force` it goes
/// on; a usage error ends the run at once.
fn batch(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    let dir = std::env::temp_dir().join(format!("nl-tc-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let write = |name: &str, text: &str| -> Result<String, Failed> {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
        Ok(path.display().to_string())
    };
    let stop = write(
        "stop",
        "qdisc add dev v0 root handle 1: htb default 10\n\
         # a comment, then a blank line\n\
         \n\
         class add dev v0 parent 1: classid 1:10 htb rate 1mbit\n\
         class add dev v0 parent 1: classid 1:10 htb rate 1mbit\n\
         class add dev v0 parent 1: classid 1:20 htb rate 2mbit\n",
    )?;
    let force = write(
        "force",
        "class add dev v0 parent 1: classid 1:20 htb rate 2mbit\n\
         class add dev nope0 parent 1: classid 1:30 htb rate 2mbit\n\
         filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10\n\
         qdisc show dev v0\n\
         filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10\n\
         filter add dev v0 parent 1: protocol ip prio 2 u32 match ip dst 10.0.0.2/32 flowid 1:20\n",
    )?;
    let usage = write(
        "usage",
        "class add dev v0 parent 1: classid 1:40 htb rate 3mbit\n\
         qdisc add dev v0 root handle zz: htb\n\
         class add dev v0 parent 1: classid 1:50 htb rate 3mbit\n",
    )?;
    let result = p.lines(&[
        &format!("-batch {stop}"),
        "class show dev v0",
        &format!("-force -batch {force}"),
        "filter show dev v0",
        &format!("-batch {usage}"),
        &format!("-force -batch {usage}"),
        "-batch /nonexistent/tc.batch",
        "class show dev v0",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The other qdiscs this kernel has, and the listing options.
fn fifos(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev v0 root handle 1: pfifo limit 100",
        "qdisc show dev v0",
        "-j qdisc show dev v0",
        "qdisc replace dev v0 root handle 1: bfifo limit 10kb",
        "qdisc show dev v0",
        "qdisc replace dev v0 root handle 1: bfifo limit 1500",
        "-j -p qdisc show dev v0",
        "qdisc replace dev v0 root handle 3: pfifo_fast",
        "qdisc show dev v0",
        "-j -p qdisc show dev v0",
        "qdisc del dev v0 root",
        "qdisc add dev v0 clsact",
        "qdisc show dev v0",
        "-j qdisc show dev v0 clsact",
        "filter add dev v0 ingress protocol ip prio 10 u32 match ip src 192.168.1.0/24 match tcp dst 22 0xffff action mirred egress mirror dev ifb0",
        "filter add dev v0 egress protocol ipv6 prio 20 u32 match ip6 dst 2001:db8::/64 match ip6 protocol 17 0xff action mirred ingress redirect dev ifb0",
        "filter add dev v0 ingress protocol all prio 30 u32 match u8 0x45 0xff at 0 match u16 0x1234 0xffff at nexthdr+4 action mirred egress redirect dev ifb0",
        "filter add dev v0 ingress protocol ip prio 40 u32 match icmp type 8 0xff action mirred egress redirect dev ifb0",
        "filter show dev v0 ingress",
        "filter show dev v0 egress",
        "-j filter show dev v0 egress",
        "filter show dev v0",
        "filter del dev v0 ingress prio 10",
        "filter del dev v0 ingress prio 99",
        "filter show dev v0 ingress",
        "qdisc del dev v0 clsact",
        "qdisc show",
    ])
}
