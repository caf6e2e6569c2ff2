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
    const BPF: &[&str] = &[
        "veth",
        "ifb",
        "tc:filter add dev lo parent ffff: bpf bytecode '1,6 0 0 0,' classid 1:1",
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
        s("tc::bpf_classic_bytecode_on_clsact", BPF, bpf),
        s("tc::library_verbs_add_dump_get_delete", BANDWIDTH, verbs),
        s("tc::chains_add_show_get_delete", BANDWIDTH, chains),
        s(
            "tc::actions_standalone_mirred",
            BANDWIDTH,
            standalone_actions,
        ),
    ]
}

/// What one run printed and how it ended: status, stdout, first stderr line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Out {
    pub(super) status: Option<i32>,
    pub(super) stdout: String,
    pub(super) first_err: String,
}

pub(super) fn run(ns: &Netns, prog: &Path, args: &[&str]) -> Result<Out, Failed> {
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
pub(super) struct Pair {
    pub(super) bin: PathBuf,
    pub(super) theirs: PrivateNetns,
    pub(super) ours: PrivateNetns,
}

pub(super) fn setup(ns: &Netns) -> Result<(), Failed> {
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
    pub(super) fn new(ctx: &Ctx) -> Result<Self, Failed> {
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
    pub(super) fn same(&self, line: &str) -> Result<(), Failed> {
        let args = nl_tests::shell_words(line);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
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
        "filter get dev v0 parent 1: protocol ip prio 2 handle 801::800 u32",
        "-j filter get dev v0 parent 1: protocol ip prio 1 handle 800::800 u32",
        "filter get dev v0 parent 1: protocol ip prio 1 handle 800::999 u32",
        "filter get dev v0 parent 1: prio 1 handle 800::800 u32",
        "-p filter show dev v0",
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
        // Kinds this kernel may lack: the same request, the same answer.
        "qdisc add dev v0 root handle 7: prio bands 4 priomap 0 1 2 3",
        "qdisc add dev v0 root handle 7: prio bands 2 priomap 0 1 2",
        "qdisc add dev v0 root handle 7: fq_codel limit 1000 flows 512 target 5ms interval 100ms quantum 1514 ecn",
        "qdisc add dev v0 root handle 7: fq_codel target 5x",
        "filter add dev v0 parent ffff: prio 3 matchall action mirred egress redirect dev ifb0",
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

/// The bpf classifier with classic bytecode (this kernel's eBPF needs a
/// loaded program, which neither side loads here): flowid, direct
/// action with a mirred action, a malformed program, listings, delete.
fn bpf(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev v0 clsact",
        "filter add dev v0 ingress bpf bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,' classid 1:1",
        "filter add dev v0 egress prio 7 handle 5 bpf da bytecode '1,6 0 0 4294967295,' action mirred egress redirect dev ifb0",
        "filter add dev v0 egress prio 8 bpf bytecode '2,6 0 0'",
        "filter add dev v0 egress prio 9 bpf skip_sw bytecode '1,6 0 0 0,'",
        "filter show dev v0 ingress",
        "filter show dev v0 egress",
        "-j filter show dev v0 ingress",
        "-j -p filter show dev v0 egress",
        "filter del dev v0 egress prio 7",
        "filter show dev v0 egress",
    ])
}

/// The nl-rustix verbs themselves: what they add is what iproute2 lists,
/// a dump decodes what the kernel holds, and the errors name what was
/// missing.
fn verbs(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::nl_proto::tc::action::{Action, MirredAction};
    use nl_rustix::nl_proto::tc::cls_u32::{Selector, TERMINAL, U32Filter, U32Handle, fields};
    use nl_rustix::nl_proto::tc::tbf::Tbf;
    use nl_rustix::nl_proto::tc::units::{Rate, Size, Time};
    use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Options};
    use nl_rustix::{TcDump, TcSpec};

    setup(&ctx.ns.netns())?;
    let ifb = ctx.conn.link_index("ifb0").map_err(|e| e.to_string())?;
    let c = &mut ctx.conn;
    let tbf = Tbf::with_latency(Rate::parse("1mbit").unwrap(), Size(4096), Time(400_000));
    let root = TcSpec::new("v0", Handle::ROOT, "tbf")
        .handle(Handle::new(1, 0))
        .options(Options::Tbf(tbf));
    c.tc_new(Object::Qdisc, Mode::Add, &root)
        .map_err(|e| e.to_string())?;
    let listed = run_in(&ctx.ns.netns(), "tc", &["qdisc", "show", "dev", "v0"])?;
    ensure_eq!(
        listed,
        "qdisc tbf 1: root refcnt 3 rate 1Mbit burst 4Kb lat 400ms \n",
        "tc's view of our tbf"
    );

    let qdiscs = c.qdiscs(Some("v0".into())).map_err(|e| e.to_string())?;
    ensure_eq!(qdiscs.len(), 1, "one qdisc on v0: {qdiscs:?}");
    let Options::Tbf(got) = &qdiscs[0].options else {
        return Err(format!("not a tbf: {:?}", qdiscs[0].options));
    };
    ensure_eq!(
        (got.rate, got.burst_bytes(), got.parms.limit.get()),
        (Rate(125_000), 4096, 54_096),
        "tbf read back"
    );

    // Adding it again: the kernel's own words.
    let again = c.tc_new(Object::Qdisc, Mode::Add, &root).unwrap_err();
    // EEXIST
    ensure_eq!(again.errno(), Some(17), "{again}");
    ensure_eq!(
        again.kernel_message(),
        Some("Exclusivity flag on, cannot modify"),
        "{again}"
    );
    // A missing device, found before anything is sent.
    let missing = c
        .tc_new(
            Object::Qdisc,
            Mode::Add,
            &TcSpec {
                dev: "nope0".into(),
                ..root.clone()
            },
        )
        .unwrap_err();
    ensure_eq!(
        missing.to_string(),
        r#"netlink ENODEV (19): no such interface "nope0""#,
        "missing device"
    );
    // A missing qdisc.
    let ingress = TcSpec::new("v0", Handle::INGRESS, "ingress").handle(Handle::INGRESS_QDISC);
    let gone = c.tc_delete(Object::Qdisc, &ingress).unwrap_err();
    // ENOENT
    ensure_eq!(gone.errno(), Some(2), "{gone}");

    // ingress + u32 + mirred to the ifb, then read back by get.
    c.tc_new(Object::Qdisc, Mode::Add, &ingress)
        .map_err(|e| e.to_string())?;
    let mut sel = Selector {
        flags: TERMINAL,
        ..Selector::default()
    };
    sel.pack_ipv4(fields::IP_DST, "10.0.0.1".parse().unwrap(), 32, 0)
        .map_err(|_| "pack")?;
    let mut u = U32Filter {
        sel: Some(sel.clone()),
        ..U32Filter::default()
    };
    u.actions
        .push(Action::mirred(MirredAction::EGRESS_REDIR, ifb))
        .map_err(|_| "push")?;
    let filter = TcSpec::new("v0", Handle::INGRESS_QDISC, "u32")
        .filter(10, 0x0800)
        .options(Options::U32(u));
    c.tc_new(Object::Filter, Mode::Add, &filter)
        .map_err(|e| e.to_string())?;
    let one = TcSpec::new("v0", Handle::INGRESS_QDISC, "u32")
        .filter(10, 0x0800)
        .handle(Handle(U32Handle::parse("800::800").unwrap().0));
    let t = c.tc_get(Object::Filter, &one).map_err(|e| e.to_string())?;
    let Options::U32(back) = &t.options else {
        return Err(format!("not u32: {:?}", t.options));
    };
    ensure_eq!(
        back.sel.as_ref().map(|s| s.keys.clone()),
        Some(sel.keys),
        "keys read back"
    );
    ensure_eq!(back.actions.len(), 1, "one action");
    ensure_eq!(
        (t.priority(), t.protocol()),
        (10, 0x0800),
        "prio and protocol"
    );
    let all = c
        .tc_dump(
            Object::Filter,
            &TcDump {
                parent: Some(Handle::INGRESS_QDISC),
                ..TcDump::dev("v0")
            },
        )
        .map_err(|e| e.to_string())?;
    ensure_eq!(all.len(), 3, "chain head, table, filter: {all:?}");

    c.tc_delete(
        Object::Filter,
        &TcSpec::new("v0", Handle::INGRESS_QDISC, "").filter(10, 0x0800),
    )
    .map_err(|e| e.to_string())?;
    c.tc_delete(Object::Qdisc, &TcSpec::new("v0", Handle::ROOT, ""))
        .map_err(|e| e.to_string())?;
    let left = c.qdiscs(Some("v0".into())).map_err(|e| e.to_string())?;
    ensure_eq!(
        left.iter().map(|q| q.kind.as_str()).collect::<Vec<_>>(),
        vec!["noqueue", "ingress"],
        "after deletes"
    );
    Ok(())
}

/// Filter chains: add, list (text and JSON), get, delete, the errors,
/// and a filter in a chain.
fn chains(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "qdisc add dev v0 ingress",
        "chain add dev v0 parent ffff: chain 3",
        "chain add dev v0 parent ffff: chain 3",
        "chain add dev v0 parent ffff: chain 7",
        "chain show dev v0 parent ffff:",
        "chain show dev v0",
        "-j chain show dev v0 parent ffff:",
        "chain get dev v0 parent ffff: chain 3",
        "chain get dev v0 parent ffff: chain 9",
        "chain del dev v0 parent ffff: chain 3",
        "chain del dev v0 parent ffff: chain 3",
        "chain add dev nope parent ffff: chain 3",
        "chain show",
        "chain foo",
        "filter add dev v0 parent ffff: protocol ip chain 7 u32 match u32 0 0 action mirred egress redirect dev v1",
        "filter show dev v0 parent ffff: chain 7",
        "chain show dev v0 parent ffff:",
    ])
}

/// Standalone actions (`tc actions`): add with every verdict and a
/// cookie, list (text and JSON), get, delete, flush, and the errors.
fn standalone_actions(ctx: &mut Ctx) -> Result<(), Failed> {
    let p = Pair::new(ctx)?;
    p.lines(&[
        "actions add action mirred egress mirror index 1 dev v1",
        "actions list action mirred",
        "-j actions list action mirred",
        "actions get action mirred index 1",
        "actions add action mirred egress redirect index 2 dev v1 action pipe",
        "actions add action mirred ingress mirror dev v1 jump 10 index 99",
        "actions get action mirred index 99",
        "actions add action mirred ingress mirror dev v1 reclassify cookie aa11bb22cc33dd44ee55",
        "actions replace action mirred ingress mirror dev v1 pass index 99",
        "actions ls action mirred",
        "actions add action mirred egress mirror index 15 dev v1",
        "actions add action mirred egress mirror index 15 dev v1",
        "actions add action mirred inbound mirror index 20 dev v1",
        "actions add action mirred egress mirror index 20 dev eltoh",
        "actions del action mirred index 1",
        "actions del action mirred index 1",
        "actions get action mirred index 4",
        "actions flush action mirred",
        "actions ls action mirred",
        "actions foo",
    ])
}
