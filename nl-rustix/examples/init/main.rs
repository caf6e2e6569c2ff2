//! `init`: the network part of a small system's first program.
//!
//! ```text
//! init [-n NETNS] [--cmdline FILE] [CONFIG]
//! ```
//!
//! Brings `lo` up, then runs the steps of the kernel command line's `ip=`
//! parameter (read from `/proc/cmdline`, or `--cmdline FILE`) and of the
//! CONFIG file, in that order. CONFIG has one step per line (`#` starts a
//! comment):
//!
//! ```text
//! link eth0 up mtu 1400
//! addr eth0 10.0.0.2/24
//! route default via 10.0.0.1
//! route 10.1.0.0/16 via 10.0.0.254 dev eth0 metric 10
//! ```
//!
//! Every line is checked before anything changes (exit 2, naming the
//! file and line). Addresses and routes are replaced, so running it twice
//! is harmless. Each step prints one line on stderr, `init: STEP: ok` or
//! `init: STEP: ERROR`; a failed step does not stop the others (a system
//! with a broken route still wants its loopback). Exit status: 0 every
//! step done, 1 a step failed, 2 bad configuration.
//!
//! It changes the namespace it runs in: try it in one of your own
//! (`unshare -n`, or `-n NETNS`). For PID 1, build it small (README).

mod config;

use config::Step;
use nl_rustix::{AddrSpec, Conn, Error, Netns, RouteSpec, verb};
use std::process::ExitCode;

struct Args {
    netns: Option<String>,
    cmdline: String,
    config: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        netns: None,
        cmdline: "/proc/cmdline".into(),
        config: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-n" | "--netns" => args.netns = Some(it.next().ok_or("-n needs a namespace")?),
            "--cmdline" => args.cmdline = it.next().ok_or("--cmdline needs a file")?,
            "-h" | "--help" => return Err(String::new()),
            _ if a.starts_with('-') => return Err(format!("unknown option \"{a}\"")),
            _ if args.config.is_none() => args.config = Some(a),
            _ => return Err(format!("unexpected argument \"{a}\"")),
        }
    }
    Ok(args)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

/// Every step, checked, before anything changes.
fn plan(args: &Args) -> Result<Vec<Step>, String> {
    let mut steps = vec![Step::Up {
        link: "lo".into(),
        mtu: None,
    }];
    // A missing /proc/cmdline (no /proc mounted yet) means no ip=.
    let cmdline = match std::fs::read_to_string(&args.cmdline) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && args.cmdline == "/proc/cmdline" => {
            String::new()
        }
        Err(e) => return Err(format!("{}: {e}", args.cmdline)),
    };
    steps.extend(config::parse_cmdline(&cmdline).map_err(|e| e.to_string())?);
    if let Some(path) = &args.config {
        steps.extend(config::parse_file(path, &read(path)?).map_err(|e| e.to_string())?);
    }
    Ok(steps)
}

fn run(conn: &mut Conn, step: &Step) -> Result<(), Error> {
    match step {
        // The small verbs: one request each after a name lookup, so the
        // program links no batch ledger and no link decoder.
        Step::Up { link, mtu } => conn.run(verb::set_link_state(link.as_str(), Some(true), *mtu)),
        Step::Addr { link, prefix } => conn.run(verb::replace_address(&AddrSpec::new(
            link.as_str(),
            *prefix,
        ))),
        Step::Route {
            dst,
            via,
            dev,
            metric,
        } => {
            let mut spec = RouteSpec::new(*dst);
            if let Some(gw) = via {
                spec = spec.via(*gw);
            }
            if let Some(d) = dev {
                spec = spec.dev(d.as_str());
            }
            if let Some(m) = metric {
                spec = spec.metric(*m);
            }
            conn.run(verb::replace_route(&spec))
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("init: {e}");
            }
            eprintln!("usage: init [-n NETNS] [--cmdline FILE] [CONFIG]");
            return ExitCode::from(2);
        }
    };
    let steps = match plan(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("init: {e}");
            return ExitCode::from(2);
        }
    };
    let netns = args
        .netns
        .as_deref()
        .map_or(Netns::Current, Netns::from_arg);
    let mut conn = match Conn::open_in(&netns) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("init: open netlink: {e}");
            return ExitCode::from(1);
        }
    };
    let mut failed = false;
    for step in &steps {
        match run(&mut conn, step) {
            Ok(()) => eprintln!("init: {step}: ok"),
            Err(e) => {
                failed = true;
                eprintln!("init: {step}: {e}");
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
