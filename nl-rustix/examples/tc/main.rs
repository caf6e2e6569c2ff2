//! `tc`: a subset of iproute2's `tc`, on nl-rustix.
//!
//! Same argument syntax, stdout, first stderr line and exit status as
//! iproute2 6.1's `tc` for what it supports:
//!
//! ```text
//! tc [-s] [-d] [-j [-p]] [-iec] [-r] [-n NETNS] [-force] [-batch FILE]
//!    qdisc|class|filter add|del|replace|change|link|show|get …
//!    chain add|del|get|show …    monitor [file FILE]
//!    actions add|change|replace|delete|get|list|flush action KIND …
//! qdiscs:  pfifo bfifo pfifo_fast prio tbf htb ingress clsact fq_codel
//!          sfq fq netem
//! classes: htb
//! filters: u32 (match u32|u16|u8|ip|ip6|tcp|udp|icmp, flowid, ht, link,
//!          divisor, order, offset, hashkey, skip_hw|skip_sw, police,
//!          action …), bpf (classic bytecode, da, flowid, action),
//!          matchall, basic (classid, police, action), flower (mac, vlan, ip_proto, ip_tos/ttl, ip/ip6
//!          addresses, tcp/udp ports, classid, indev, skip_*, action)
//! actions: mirred gact skbedit police
//! ```
//!
//! # Shape
//!
//! ```text
//! main.rs     global options, the three objects, one line or -batch
//!   ├── qdisc.rs class.rs filter.rs   an object each: words → request,
//!   │                                 and its listing
//!   ├── kinds.rs    the kinds' options: words → Options, Options → output
//!   ├── fair.rs     sfq and fq;  netem.rs  netem
//!   ├── u32.rs      the u32 classifier's words and listing
//!   ├── bpf.rs      the bpf classifier's (classic bytecode)
//!   ├── flower.rs   the flower classifier's
//!   ├── action.rs   actions: mirred, gact, skbedit, police
//!   ├── chain.rs    `tc chain`;  monitor.rs  `tc monitor`
//!   ├── standalone.rs  `tc actions` (actions by kind and index)
//!   ├── words.rs    the word cursor, iproute2's `matches`, names of links
//!   ├── out.rs      text and JSON from one walk (iproute2's json_print)
//!   └── fail.rs     Failure: what tc prints and its exit status
//! ```

mod action;
mod bpf;
mod chain;
mod class;
mod fail;
mod fair;
mod filter;
mod flower;
mod kinds;
mod monitor;
mod netem;
mod out;
#[path = "../shared/pretty_json.rs"]
mod pretty_json;
mod qdisc;
#[path = "../shared/words.rs"]
mod shared_words;
mod standalone;
mod u32;
mod words;

use fail::Failure;
use nl_rustix::Conn;
use std::process::ExitCode;
use words::{Links, matches};

/// Global options (`tc -s -d -j -p …`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Opts {
    pub(crate) stats: u32,
    pub(crate) details: u32,
    pub(crate) raw: bool,
    pub(crate) json: bool,
    pub(crate) pretty: bool,
    pub(crate) iec: bool,
    pub(crate) force: bool,
    pub(crate) batch: Option<String>,
    pub(crate) netns: Option<String>,
}

/// One process's state: the connection, the options, link names.
pub(crate) struct Ctx {
    pub(crate) conn: Conn,
    pub(crate) opts: Opts,
    pub(crate) links: Links,
    /// The namespace `-n` named (monitors open their own socket there).
    pub(crate) netns: nl_rustix::Netns,
}

const USAGE: &str = "Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }
\ttc [-force] -batch filename
where  OBJECT := { qdisc | class | filter | chain |
\t\t    action | monitor | exec }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |
\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]
\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |
\t\t     -nm | -nam[es] | { -cf | -conf } path
\t\t     -br[ief] }";

fn parse_opts(args: &[String]) -> Result<(Opts, &[String]), Failure> {
    let mut o = Opts::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') {
            break;
        }
        let m = |full: &str| matches(a, full);
        if m("-stats") || m("-statistics") {
            o.stats += 1;
        } else if m("-details") {
            o.details += 1;
        } else if m("-raw") {
            o.raw = true;
        } else if m("-pretty") {
            o.pretty = true;
        } else if m("-Version") {
            println!("tc utility, nl-rustix example (iproute2-6.1.0 syntax)");
            std::process::exit(0);
        } else if m("-iec") {
            o.iec = true;
        } else if m("-help") {
            return Err(Failure::exit(USAGE));
        } else if m("-force") {
            o.force = true;
        } else if m("-batch") {
            i += 1;
            o.batch = Some(args.get(i).ok_or_else(|| Failure::exit(USAGE))?.clone());
        } else if m("-netns") {
            i += 1;
            o.netns = Some(args.get(i).ok_or_else(fail::incomplete)?.clone());
        } else if m("-json") {
            o.json = true;
        } else {
            return Err(Failure::exit(format!(
                "Option \"{a}\" is unknown, try \"tc -help\"."
            )));
        }
        i += 1;
    }
    Ok((o, &args[i..]))
}

/// One command line (after the global options).
pub(crate) fn run_line(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((word, rest)) = args.split_first() else {
        return Err(Failure::exit(USAGE));
    };
    if matches(word, "qdisc") {
        qdisc::run(ctx, rest)
    } else if matches(word, "class") {
        class::run(ctx, rest)
    } else if matches(word, "filter") {
        filter::run(ctx, rest)
    } else if matches(word, "actions") {
        standalone::run(ctx, rest)
    } else if matches(word, "chain") {
        chain::run(ctx, rest)
    } else if matches(word, "monitor") {
        monitor::run(ctx, rest)
    } else if matches(word, "help") {
        Err(Failure::exit(USAGE))
    } else {
        Err(Failure::ret(
            255,
            format!("Object \"{word}\" is unknown, try \"tc help\"."),
        ))
    }
}

/// `-batch FILE` (`-` is stdin): each line a command, as tc 6.1 runs
/// them. A failing line prints `Command failed FILE:LINE`; without
/// `-force` the run stops there (exit 1). A line tc answers with
/// `exit()` ends the run at once (255).
fn batch(ctx: &mut Ctx, file: &str) -> Result<(), Failure> {
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| {
        let why = e
            .raw_os_error()
            .map_or_else(|| e.to_string(), fail::strerror);
        Failure::ret(1, format!("Cannot open file \"{file}\" for reading: {why}"))
    })?;
    let mut failed = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            continue;
        }
        if let Err(e) = run_line(ctx, &words) {
            if e.exits {
                return Err(e);
            }
            e.report();
            eprintln!("Command failed {file}:{}", n + 1);
            failed = true;
            if !ctx.opts.force {
                break;
            }
        }
    }
    if failed {
        return Err(Failure::ret(1, ""));
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), Failure> {
    let (opts, rest) = parse_opts(args)?;
    if opts.batch.is_none() && rest.is_empty() {
        println!("{USAGE}");
        return Ok(());
    }
    let netns = match &opts.netns {
        Some(name) => {
            let ns = nl_rustix::Netns::from_arg(name);
            if let Err(e) = ns.open_file() {
                let why = e.errno().map_or_else(|| e.to_string(), fail::strerror);
                return Err(Failure::exit(format!(
                    "Cannot open network namespace \"{name}\": {why}"
                )));
            }
            ns
        }
        None => nl_rustix::Netns::Current,
    };
    let conn = Conn::open_in(&netns)
        .map_err(|e| Failure::ret(1, format!("Cannot open rtnetlink: {e}")))?;
    let mut ctx = Ctx {
        conn,
        opts,
        links: Links::default(),
        netns,
    };
    match ctx.opts.batch.clone() {
        Some(file) => batch(&mut ctx, &file),
        None => run_line(&mut ctx, rest),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.status)
        }
    }
}
