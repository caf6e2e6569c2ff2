//! The `ip` example against iproute2: the same command lines run through
//! both, in two namespaces set up alike, must leave the same state; and
//! the example's JSON must match `ip -j` on the same namespace.

use crate::addrs::js;
use nl_rustix::PrivateNetns;
use nl_tests::{Ctx, Failed, Scenario, ensure_eq, run_in};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "example::same_commands_same_state_as_iproute2",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: same_state,
        },
        Scenario {
            name: "example::json_matches_ip_on_same_namespace",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: same_json,
        },
    ]
}

/// The `ip` example binary.
pub(crate) fn example_bin() -> Result<PathBuf, Failed> {
    nl_tests::example_bin("ip")
}

/// Run the example with `-n <namespace path>` and `args`.
pub(crate) fn run_example(bin: &Path, ns: &PrivateNetns, args: &[&str]) -> Result<Output, Failed> {
    Command::new(bin)
        .arg("-n")
        .arg(ns.path())
        .args(args)
        .output()
        .map_err(|e| format!("run {}: {e}", bin.display()))
}

/// Run the example and return its stdout; a failure is an error.
fn example_ok(bin: &Path, ns: &PrivateNetns, args: &[&str]) -> Result<String, Failed> {
    let out = run_example(bin, ns, args)?;
    if !out.status.success() {
        return Err(format!(
            "example ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

const COMMANDS: &[&str] = &[
    "addr add 10.0.0.1/24 dev v0",
    "addr add 10.0.1.1/24 peer 10.0.1.2 dev v0 label v0:x",
    "address add 10.0.2.1/24 broadcast + dev v0 noprefixroute scope link",
    "a add 2001:db8::1/64 dev v0 nodad",
    "addr add 2001:db8:1::1/64 dev v0 nodad noprefixroute",
    "addr replace 10.0.0.1/24 dev v0 valid_lft forever preferred_lft forever",
    "addr add 10.0.3.1/24 dev v1",
    "addr del 10.0.3.1/24 dev v1",
    "route add default via 10.0.0.2",
    "route add 10.9.0.0/24 via 10.0.0.2 table 1000 proto static metric 5",
    "r add blackhole 10.7.0.0/16",
    "route add unreachable 10.8.0.0/16 proto 42",
    "route add prohibit 10.6.0.0/16 table 100",
    "route add local 10.5.0.1 dev v0",
    "route add 10.4.0.0/24 dev v0 src 10.0.0.1 mtu 1300 scope host",
    "route replace 10.4.0.0/24 dev v0 src 10.0.0.1 mtu 1400 scope host",
    "route add 10.3.0.0/24 dev v0 table main priority 20",
    "route del 10.7.0.0/16",
    "-6 route add default via 2001:db8::2 dev v0",
    "-6 route add 2001:db8:5::/64 dev v0 metric 10",
    "route add 2001:db8:6::/64 via 2001:db8::3 proto static",
    "route add blackhole 2001:db8:7::/48",
    "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent",
    "neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev v0",
    "neigh replace 10.0.0.3 lladdr 02:00:00:00:00:04 dev v0",
    "neighbour add 10.0.0.4 lladdr 02:00:00:00:00:05 dev v0",
    "neigh del 10.0.0.4 dev v0",
    "rule add from 10.0.0.0/24 lookup 100 pref 1000",
    "rule add not to 10.1.0.0/16 fwmark 0x10/0xff iif v0 priority 1001 table 1000",
    "ru add from 10.66.0.0/16 blackhole pref 1002",
    "rule add fwmark 7 pref 1003 lookup main",
    "-6 rule add from 2001:db8::/64 table 100 pref 1000",
    "rule del pref 1003",
];

/// The views compared, as `ip -j` arguments.
const VIEWS: &[&[&str]] = &[
    &["addr"],
    &["route", "show", "table", "all"],
    &["-6", "route", "show", "table", "all"],
    &["neigh"],
    &["rule"],
    &["-6", "rule"],
];

fn setup(ns: &PrivateNetns) -> Result<(), Failed> {
    let n = ns.netns();
    for c in [
        "link set lo up",
        "link add v0 type veth peer name v1",
        "link set v0 up",
        "link set v1 up",
    ] {
        let args: Vec<&str> = c.split(' ').collect();
        run_in(&n, "ip", &args)?;
    }
    Ok(())
}

fn is_link_local(v: Option<&str>) -> bool {
    v.is_some_and(|s| s.starts_with("fe80"))
}

/// Drop what differs between two namespaces set up alike: MAC addresses
/// of veths, link-local IPv6 addresses and routes, interface indexes.
fn normalize(mut v: Value) -> Value {
    if let Some(list) = v.as_array_mut() {
        list.retain(|e| !is_link_local(js(e, "dst")) && !is_link_local(js(e, "local")));
        for e in list.iter_mut() {
            if let Some(o) = e.as_object_mut() {
                o.remove("ifindex");
                if o.contains_key("addr_info") {
                    o.remove("address");
                    o.remove("broadcast");
                    o.remove("permaddr");
                }
            }
            if let Some(info) = e.get_mut("addr_info") {
                *info = normalize(info.take());
            }
        }
    }
    v
}

fn sort(v: &mut Value) {
    if let Some(a) = v.as_array_mut() {
        a.sort_by_key(Value::to_string);
    }
}

fn same_state(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let theirs = PrivateNetns::new().map_err(|e| e.to_string())?;
    let ours = &ctx.ns;
    setup(&theirs)?;
    setup(ours)?;
    for line in COMMANDS {
        let args: Vec<&str> = line.split(' ').collect();
        run_in(&theirs.netns(), "ip", &args).map_err(|e| format!("iproute2 `{line}`: {e}"))?;
        example_ok(&bin, ours, &args).map_err(|e| format!("example `{line}`: {e}"))?;
    }
    for view in VIEWS {
        let mut args = vec!["-j"];
        args.extend_from_slice(view);
        let a = run_in(&theirs.netns(), "ip", &args)?;
        let b = run_in(&ours.netns(), "ip", &args)?;
        let parse = |s: &str| -> Result<Value, Failed> {
            serde_json::from_str(if s.trim().is_empty() { "[]" } else { s })
                .map_err(|e| format!("ip {args:?}: {e}: {s}"))
        };
        let (mut a, mut b) = (normalize(parse(&a)?), normalize(parse(&b)?));
        // The kernel's neighbour hash order is random per table, and
        // routes of one prefix keep the order they came in (ff00::/8 on
        // v0 and v1: whichever link came up first).
        sort(&mut a);
        sort(&mut b);
        ensure_eq!(
            a,
            b,
            "`ip {}`: iproute2's namespace (left) vs the example's (right)",
            args.join(" ")
        );
    }
    Ok(())
}

fn same_json(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    setup(&ctx.ns)?;
    for line in COMMANDS {
        let args: Vec<&str> = line.split(' ').collect();
        ctx.ip(&args)
            .map_err(|e| format!("iproute2 `{line}`: {e}"))?;
    }
    let views: &[&[&str]] = &[
        &["route", "show"],
        &["route", "show", "table", "all"],
        &["-6", "route", "show"],
        &["-6", "route", "show", "table", "all"],
        &["route", "show", "table", "1000"],
        &["neigh"],
        &["rule"],
        &["-6", "rule"],
        &["route", "get", "10.9.1.1"],
        &["route", "get", "2001:db8:6::1"],
    ];
    for view in views {
        let mut args = vec!["-j"];
        args.extend_from_slice(view);
        let theirs = ctx.ip_json(view)?;
        let out = example_ok(&bin, &ctx.ns, &args)?;
        let ours: Value = serde_json::from_str(&out)
            .map_err(|e| format!("example {args:?}: bad JSON {e}: {out}"))?;
        let (mut theirs, mut ours) = (theirs, ours);
        if view[0] == "route" && view[1] == "get" {
            // Compare what the answer says about the path.
            let pick = |v: &Value| {
                ["dst", "gateway", "dev", "prefsrc"].map(|k| v.pointer(&format!("/0/{k}")).cloned())
            };
            ensure_eq!(pick(&theirs), pick(&ours), "ip -j {view:?}");
            continue;
        }
        theirs = normalize(theirs);
        ours = normalize(ours);
        if view[0] == "neigh" {
            sort(&mut theirs);
            sort(&mut ours);
        }
        ensure_eq!(theirs, ours, "ip -j {:?} (left) vs example (right)", view);
    }
    // addr: per link, the name and the addresses.
    for view in [
        &["addr"][..],
        &["addr", "show", "dev", "v0"],
        &["-6", "addr"],
        &["-4", "addr", "show"],
    ] {
        let mut args = vec!["-j"];
        args.extend_from_slice(view);
        let theirs = ctx.ip_json(view)?;
        let out = example_ok(&bin, &ctx.ns, &args)?;
        let ours: Value = serde_json::from_str(&out)
            .map_err(|e| format!("example {args:?}: bad JSON {e}: {out}"))?;
        let pick = |v: &Value| -> Vec<(Option<String>, Option<Value>)> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .map(|l| {
                            (
                                js(l, "ifname").map(str::to_string),
                                l.get("addr_info").cloned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        ensure_eq!(
            pick(&theirs),
            pick(&ours),
            "ip -j {:?} (left) vs example (right)",
            view
        );
    }
    Ok(())
}
