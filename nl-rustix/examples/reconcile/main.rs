//! `reconcile`: make a network namespace look like a JSON document.
//!
//! ```text
//! reconcile [-n NETNS] [--pid PID] [--protocol P] [--state FILE] [--dry-run]
//!           [--watch [--interval SECS]] DESIRED.json
//! ```
//!
//! DESIRED.json (every section and field optional unless marked `*`; an
//! unknown field is bad input naming it):
//!
//! ```json
//! {"links": [{"name": "br0", "kind": "bridge", "up": true, "mtu": 1400},
//!            {"name": "v0", "kind": "veth", "peer": "v1", "master": "br0", "up": true},
//!            {"name": "eth0", "mtu": 9000, "alias": "uplink"}],
//!  "nexthops": [{"id": 1, "via": "10.0.0.1", "dev": "eth0"},
//!               {"id": 10, "group": [{"id": 1, "weight": 2}]}],
//!  "addresses": [{"dev": "eth0", "prefix": "10.0.0.2/24"}],
//!  "routes": [{"dst": "10.50.0.0/24", "via": "10.0.0.1"},
//!             {"dst": "default", "via": "10.0.0.1", "dev": "eth0", "table": 100, "metric": 50}],
//!  "neighbours": [{"dev": "eth0", "dst": "10.0.0.9", "lladdr": "02:00:00:00:00:09"}],
//!  "rules": [{"from": "10.0.0.0/24", "table": 100, "priority": 100}],
//!  "qdiscs": [{"dev": "v0", "ingress_redirect": "ifb0",
//!              "root": {"kind": "htb", "handle": "1:", "default": "1:20",
//!                       "classes": [{"classid": "1:1", "rate": "10mbit"},
//!                                   {"classid": "1:20", "parent": "1:1", "rate": "1mbit",
//!                                    "ceil": "10mbit", "prio": 1}],
//!                       "filters": [{"prio": 1, "dst": "10.0.0.0/24", "flowid": "1:20"}]}},
//!             {"dev": "eth0", "root": {"kind": "tbf", "rate": "1mbit", "burst": "32kbit",
//!                                      "latency": "400ms"}}]}
//! ```
//!
//! - `addresses`: `dev*`, `prefix*`, `peer`, `broadcast`, `label`, `scope`
//!   (`global`, `link`, `host` or a number; IPv4), `flags` (array of
//!   `nodad`, `noprefixroute`, `home`, `mngtmpaddr`, `autojoin`),
//!   `valid_lft`, `preferred_lft` (seconds; absent = forever; a finite one is
//!   applied again once less than half of it remains, so a raise to more
//!   than twice what remains is applied at once), `metric`.
//! - `routes`: `dst*` (a prefix, `default`, or an address = host route),
//!   `via` (an IPv6 gateway on an IPv4 route is `via inet6`), `dev`,
//!   `table`, `metric`, `protocol`, `scope`, `type` (`unicast`,
//!   `blackhole`, `unreachable`, `prohibit`, `throw`), `src`, `onlink`,
//!   `nhid`, `nexthops` (`[{"via", "dev", "weight"}]`, `dev` needed),
//!   `mtu`, `advmss`, `pref` (`low`, `medium`, `high`; IPv6).
//! - `neighbours`: `dev*`, `dst*`, `lladdr`, `state` (`permanent`
//!   default, `noarp`, `reachable`, `stale`), `router`, `proxy` (proxy
//!   entries are refused: a neighbour dump does not list them).
//! - `rules`: `from`, `to`, `table`, `priority`, `iif`, `oif`, `fwmark`,
//!   `fwmask`, `tos`, `ipproto`, `sport`, `dport` (a number or `"lo-hi"`),
//!   `uidrange` (`"lo-hi"`), `action` (`lookup` default, `blackhole`,
//!   `unreachable`, `prohibit`), `not`, `suppress_prefixlength`.
//! - `qdiscs`: `dev*`, `root` (`kind*` `tbf` with `rate*`, `burst*`,
//!   `latency*`; or `htb` with `handle*`, `default`, `classes`
//!   (`classid*`, `parent` (a class; none: the qdisc), `rate*`, `ceil`,
//!   `prio`) and `filters` (u32: `prio*`, `src`, `dst`, `flowid*`)),
//!   `ingress_redirect` (a link every packet arriving on `dev` is
//!   redirected to: an ingress qdisc and a u32 filter with mirred). Rates,
//!   sizes and times in tc's units.
//!
//! One pass (see `nl_rustix::reconcile`): routes and nexthops of
//! protocol P (default 76) are the reconciler's; links, addresses,
//! neighbours, rules and qdiscs (with their classes and filters) only
//! when the state file says an earlier pass created (links, qdiscs) or
//! installed them. A link with a `kind` (`bridge`,
//! `veth` with `peer`, `macvlan` with `link`, `vxlan` with `id`, `ifb`)
//! is created when absent; one without must exist (or be a veth's peer). Prints one line of
//! JSON on stdout — `{"converged":…,"applied":[…],"error":…}` — and logs
//! on stderr.
//!
//! `--state FILE` reads `last_applied` before the pass (a missing file is
//! an empty set) and replaces it atomically after. `--dry-run` prints the
//! plan (`"planned"` instead of `"applied"`) and changes nothing.
//!
//! `--pid PID` names the namespace of a process (a container's init):
//! it is pinned once, at the start, and `--watch` ends with exit status
//! 1 and a last line naming the process when that process exits — it
//! never follows the pid into another namespace.
//!
//! `--watch` keeps the namespace converged (`nl_rustix::reconcile::Watch`):
//! a pass at once, one every `--interval` seconds (default 60) and one
//! per burst of kernel notifications, one line per pass; the state file
//! is replaced after each. It exits 0 on SIGTERM or SIGINT.
//!
//! Exit status: 0 converged (a fresh read matched every desired field),
//! 1 the pass failed or met a conflict (a foreign object in the way:
//! named in `"error"`, everything else still applied), 2 bad input
//! (unreadable or invalid file, unknown link: nothing was changed).

mod input;

use nl_proto::route::route::RouteProtocol;
use nl_rustix::reconcile::{
    DEFAULT_PROTOCOL, Desired, LastApplied, Report, Step, Watch, WatchOptions,
};
use nl_rustix::{Conn, Error, LinkId, Netns, Op, PinnedNetns};
use serde_json::{Map, Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const USAGE: &str = "usage: reconcile [-n NETNS] [--pid PID] [--protocol P] [--state FILE] \
                     [--dry-run] [--watch [--interval SECS]] DESIRED.json";

struct Args {
    netns: Netns,
    protocol: RouteProtocol,
    state: Option<PathBuf>,
    dry_run: bool,
    /// `--watch`, with its interval.
    watch: Option<Duration>,
    desired: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut netns = None;
    let mut protocol = DEFAULT_PROTOCOL;
    let mut state = None;
    let mut dry_run = false;
    let mut watch = false;
    let mut interval = None;
    let mut desired = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{a} needs {what}"));
        match a.as_str() {
            "-n" | "--netns" | "--pid" if netns.is_some() => {
                return Err(format!("-n and --pid name one namespace, once\n{USAGE}"));
            }
            "-n" | "--netns" => netns = Some(Netns::from_arg(&value("a namespace")?)),
            "--pid" => {
                let v = value("a process id")?;
                let pid = v
                    .parse()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| format!("--pid: \"{v}\" is not a process id"))?;
                netns = Some(Netns::Pid(pid));
            }
            "--protocol" => {
                let p = value("a protocol")?;
                protocol = RouteProtocol::parse(&p)
                    .ok_or_else(|| format!("--protocol: \"{p}\" is not a protocol"))?;
            }
            "--state" => state = Some(PathBuf::from(value("a file")?)),
            "--dry-run" => dry_run = true,
            "--watch" => watch = true,
            "--interval" => {
                let v = value("seconds")?;
                let secs: f64 = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| format!("--interval: \"{v}\" is not a positive number"))?;
                interval = Some(Duration::from_secs_f64(secs));
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s if desired.is_none() => desired = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}\n{USAGE}")),
        }
    }
    if interval.is_some() && !watch {
        return Err(format!("--interval needs --watch\n{USAGE}"));
    }
    if watch && dry_run {
        return Err(format!("--watch and --dry-run exclude each other\n{USAGE}"));
    }
    Ok(Args {
        netns: netns.unwrap_or(Netns::Current),
        protocol,
        state,
        dry_run,
        watch: watch.then(|| interval.unwrap_or(Duration::from_secs(60))),
        desired: desired.ok_or_else(|| format!("no DESIRED.json given\n{USAGE}"))?,
    })
}

/// Exit 2: nothing was changed.
fn bad_input(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("reconcile: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => return bad_input(e),
    };
    let desired = match std::fs::read_to_string(&args.desired) {
        Ok(t) => match input::parse(&t, args.protocol) {
            Ok(d) => d,
            Err(e) => return bad_input(format!("{}: {e}", args.desired.display())),
        },
        Err(e) => return bad_input(format!("{}: {e}", args.desired.display())),
    };
    let last = match &args.state {
        Some(p) => match read_state(p) {
            Ok(l) => l,
            Err(e) => return bad_input(e),
        },
        None => LastApplied::new(),
    };
    // Resolved once: the one-shot pass and the watch use this namespace
    // whatever happens to the pid or path meanwhile.
    let netns = match args.netns.pin() {
        Ok(n) => n,
        Err(e) => return bad_input(format!("namespace: {e}")),
    };
    let mut conn = match Conn::open_in(&netns.netns()) {
        Ok(c) => c,
        Err(e) => return bad_input(format!("namespace: {e}")),
    };
    let plan = match conn.plan_reconcile(&desired, &last) {
        Ok(p) => p,
        // An unknown link or invalid spec: found before anything changed.
        Err(e @ (Error::NoSuchLink { .. } | Error::Invalid(_))) => return bad_input(e),
        Err(e) => {
            eprintln!("reconcile: reading the namespace: {e}");
            print_line(&json!({"converged": false, "applied": [], "error": e.to_string()}));
            return ExitCode::from(1);
        }
    };
    if let Some(interval) = args.watch {
        drop(conn);
        return watch(&netns, desired, last, interval, args.state);
    }
    if args.dry_run {
        let planned: Vec<Value> = plan.steps().iter().map(step_json).collect();
        let conflicts: Vec<String> = plan.conflicts().iter().map(ToString::to_string).collect();
        let error = conflicts.first().cloned();
        print_line(&json!({"converged": plan.is_empty(), "planned": planned, "error": error}));
        return ExitCode::SUCCESS;
    }
    let report = conn.execute(&desired, plan);
    for s in &report.applied {
        eprintln!("reconcile: {} {}", s.action.as_str(), s.object().as_str());
    }
    let mut error = report.error.as_ref().map(ToString::to_string);
    if let Some(p) = &args.state {
        if let Err(e) = write_state(p, &report.last_applied) {
            eprintln!("reconcile: {e}");
            error.get_or_insert(e);
        }
    }
    let converged = report.converged && error.is_none();
    let applied: Vec<Value> = report.applied.iter().map(step_json).collect();
    print_line(&json!({"converged": converged, "applied": applied, "error": error}));
    if converged {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `--watch`: passes on the loop's thread, one line each, until SIGTERM
/// or SIGINT (exit 0), or until the process of `--pid` exits (exit 1).
fn watch(
    netns: &PinnedNetns,
    desired: Desired,
    last: LastApplied,
    interval: Duration,
    state: Option<PathBuf>,
) -> ExitCode {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        if let Err(e) = signal_hook::flag::register(sig, Arc::clone(&stop)) {
            eprintln!("reconcile: cannot handle signal {sig}: {e}");
            return ExitCode::from(1);
        }
    }
    let options = WatchOptions {
        interval,
        last_applied: last,
        ..WatchOptions::default()
    };
    let on_pass = move |report: &Report| {
        let mut error = report.error.as_ref().map(ToString::to_string);
        if let Some(p) = &state {
            if let Err(e) = write_state(p, &report.last_applied) {
                eprintln!("reconcile: {e}");
                error.get_or_insert(e);
            }
        }
        if let Some(e) = &error {
            eprintln!("reconcile: pass failed: {e}");
        }
        let applied: Vec<Value> = report.applied.iter().map(step_json).collect();
        let converged = report.converged && error.is_none();
        print_line(&json!({"converged": converged, "applied": applied, "error": error}));
    };
    let watch = match Watch::spawn_pinned(netns.clone(), desired, options, on_pass) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("reconcile: {e}");
            return ExitCode::from(1);
        }
    };
    while !stop.load(Ordering::Relaxed) {
        if watch.is_finished() {
            // The process exited; the last line said so.
            watch.stop();
            return ExitCode::from(1);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    watch.stop();
    ExitCode::SUCCESS
}

fn print_line(v: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

fn read_state(path: &Path) -> Result<LastApplied, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => LastApplied::parse(&t).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(LastApplied::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Write next to the file, then rename over it: a reader sees the old
/// set or the new one, never half of either.
fn write_state(path: &Path, last: &LastApplied) -> Result<(), String> {
    let name = path.file_name().ok_or("--state: not a file name")?;
    let mut tmp = name.to_os_string();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(last.to_text().as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("writing state {}: {e}", path.display())
    })
}

fn link(l: &LinkId) -> Value {
    match l {
        LinkId::Name(n) => json!(n),
        LinkId::Index(i) => json!(i),
    }
}

/// `{"op": …, "object": …, fields…}` for one step.
fn step_json(s: &Step) -> Value {
    let mut m = Map::new();
    m.insert("op".into(), json!(s.action.as_str()));
    m.insert("object".into(), json!(s.object().as_str()));
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    };
    match &s.op {
        Op::AddAddress(a) | Op::ReplaceAddress(a) => {
            put("dev", link(&a.link));
            put("prefix", json!(a.prefix.to_string()));
            put("peer", json!(a.peer.map(|p| p.to_string())));
            put("broadcast", json!(a.broadcast.map(|b| b.to_string())));
            put("label", json!(a.label));
            put("scope", json!(a.scope.map(|s| s.0)));
            put("valid_lft", json!(a.valid_lft));
            put("preferred_lft", json!(a.preferred_lft));
            put("metric", json!(a.metric));
        }
        Op::DeleteAddress(l, p) => {
            put("dev", link(l));
            put("prefix", json!(p.to_string()));
        }
        Op::AddRoute(r) | Op::ReplaceRoute(r) | Op::DeleteRoute(r) => {
            let dst = if r.dst.prefix_len() == 0 {
                "default".to_string()
            } else {
                r.dst.to_string()
            };
            put("dst", json!(dst));
            put(
                "via",
                json!(r.gateway.or(r.via_other_family).map(|g| g.to_string())),
            );
            put("dev", r.dev.as_ref().map_or(Value::Null, link));
            put("table", json!(r.table));
            put("metric", json!(r.metric));
            put("protocol", json!(r.protocol.map(|p| p.0)));
            put("src", json!(r.prefsrc.map(|p| p.to_string())));
            put("nhid", json!(r.nh_id));
            put("mtu", json!(r.mtu));
            put("advmss", json!(r.advmss));
            if r.onlink {
                put("onlink", json!(true));
            }
            if !r.nexthops.is_empty() {
                let legs: Vec<Value> = r
                    .nexthops
                    .iter()
                    .map(|h| {
                        json!({"via": h.gateway.map(|g| g.to_string()),
                               "dev": h.dev.as_ref().map_or(Value::Null, link),
                               "weight": h.weight})
                    })
                    .collect();
                put("nexthops", json!(legs));
            }
        }
        Op::NewNeighbour(n) => {
            put("dev", link(&n.link));
            put("dst", json!(n.dst.to_string()));
            put("lladdr", json!(n.lladdr.map(|m| m.to_string())));
            if n.router {
                put("router", json!(true));
            }
        }
        Op::AddNeighbour(l, d, mac) | Op::ReplaceNeighbour(l, d, mac) => {
            put("dev", link(l));
            put("dst", json!(d.to_string()));
            put("lladdr", json!(mac.map(|m| m.to_string())));
        }
        Op::DeleteNeighbour(l, d) => {
            put("dev", link(l));
            put("dst", json!(d.to_string()));
        }
        Op::CreateLink(l) => put("name", json!(l.name)),
        Op::SetLink(l, _) | Op::DeleteLink(l) => put("name", link(l)),
        Op::AddNexthop(n) | Op::ReplaceNexthop(n) => {
            put("id", json!(n.id));
            put("via", json!(n.gateway.map(|g| g.to_string())));
            put("dev", n.dev.as_ref().map_or(Value::Null, link));
        }
        Op::DeleteNexthop(id) => put("id", json!(id)),
        Op::NewTc(_, _, t) | Op::DeleteTc(_, t) => {
            put("dev", link(&t.dev));
            put("parent", json!(t.parent.to_string()));
            if t.handle.0 != 0 {
                put("handle", json!(t.handle.to_string()));
            }
            if !t.kind.is_empty() {
                put("kind", json!(t.kind));
            }
            if t.priority != 0 {
                put("prio", json!(t.priority));
            }
        }
        Op::AddRule(r) | Op::DeleteRule(r) => {
            put("from", json!(r.src.map(|p| p.to_string())));
            put("to", json!(r.dst.map(|p| p.to_string())));
            put("table", json!(r.table));
            put("priority", json!(r.priority));
        }
        _ => {}
    }
    Value::Object(m)
}
