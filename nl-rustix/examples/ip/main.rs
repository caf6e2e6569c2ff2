//! `ip`: a subset of iproute2's `ip`, on nl-rustix.
//!
//! Same argument syntax as iproute2 for what it supports, so the same line
//! works with both:
//!
//! ```text
//! ip [-j [-p]] [-d] [-s [-s]] [-br] [-o] [-4|-6] [-n NETNS] [-V]
//!    [-force] [-batch FILE] OBJECT COMMAND…
//! OBJECT := link | address | addrlabel | route | neigh | rule | nexthop | netns | mptcp | monitor
//! ```
//!
//! `-n NETNS` is a name under `/run/netns` (as iproute2) or a path.
//! Errors go to stderr with iproute2 6.1's exit status and first line
//! (`fail.rs`). Read-only unless a mutating command is given.
//!
//! # Shape
//!
//! Each line flows one way — words → plan → run → render — and each module
//! uses only the modules below it:
//!
//! ```text
//! main.rs      dispatcher: global options, OBJECTS (the registry),
//!    │         one line or -batch, exit status
//!    ├── batch.rs    -batch: lines → plans (through the dispatcher's
//!    │               planner, handed in) → runs
//!    ├── link.rs addr.rs route.rs neigh.rs rule.rs netns.rs nexthop.rs …
//!    │               the objects: words → Plan, each independent of
//!    │               the others
//!    ├── plan.rs     Plan (one Op, or a step of its own), Ctx, Object
//!    ├── values.rs   selector values and their names (rule, route get)
//!    ├── words.rs    shared parsing: Opts, Words, numbers, prefixes,
//!    │               families, iproute2's argument errors
//!    ├── linkview.rs the link header (ip link, ip address), with
//!    │   bridgeview.rs  a bridge's and a bridge port's -d options
//!    │   vxlan.rs    `type vxlan` words and a vxlan's -d options
//!    ├── render.rs   JSON records, interface names
//!    └── fail.rs     Failure: what iproute2 prints, and its exit status
//! ```
//!
//! An object is one module exposing `pub(crate) const OBJECT: Object`
//! (its names and its `plan` function), and one line in `OBJECTS`.
//! Objects never import each other; what two of them share goes below.

mod addr;
mod addrlabel;
mod batch;
mod bridgeview;
mod fail;
mod kinds;
mod link;
mod linkview;
mod monitor;
mod mptcp;
mod neigh;
mod netns;
mod nexthop;
mod nhbucket;
mod plan;
#[path = "../shared/pretty_json.rs"]
mod pretty_json;
mod render;
mod route;
mod rule;
#[path = "../shared/words.rs"]
mod shared_words;
mod tunnels;
mod values;
mod vxlan;
mod words;

use fail::Failure;
use plan::{Ctx, Object, Plan};
use std::process::ExitCode;
use words::{Opts, matches};

/// The objects this `ip` knows. Adding one is a module and a line here.
const OBJECTS: &[Object] = &[
    addr::OBJECT,
    addrlabel::OBJECT,
    route::OBJECT,
    rule::OBJECT,
    neigh::OBJECT,
    link::OBJECT,
    mptcp::OBJECT,
    netns::OBJECT,
    nexthop::OBJECT,
    monitor::OBJECT,
];

/// iproute2's objects in the order it tries them, so an abbreviation
/// means the same object here (`r` is route, `n` neighbour, `l` link).
const IPROUTE2_ORDER: &[&str] = &[
    "address",
    "addrlabel",
    "amt",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "stats",
    "help",
];

/// iproute2's usage line, then what this `ip` knows.
pub(crate) const USAGE: &str = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | link | monitor | mptcp | neighbour | netns | nexthop | route | rule }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -4 | -6 |
                    -f[orce] | -b[atch] [filename] | -n[etns] name |
                    -j[son] | -p[retty] | -o[neline] | -br[ief] }";

/// The registered object `word` names (iproute2's abbreviation rules).
fn object(word: &str) -> Result<&'static Object, Failure> {
    let full = IPROUTE2_ORDER
        .iter()
        .find(|full| matches(word, full))
        .copied();
    full.and_then(|f| OBJECTS.iter().find(|o| o.names.contains(&f)))
        .ok_or_else(|| Failure::arg(format!("Object \"{word}\" is unknown, try \"ip help\".")))
}

/// The dispatcher: one command line (after the global options) → plan.
fn plan_line(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let Some((word, rest)) = args.split_first() else {
        return Err(Failure::usage(USAGE));
    };
    if matches(word, "help") {
        return Err(Failure::usage(USAGE));
    }
    (object(word)?.plan)(opts, rest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = match run(&args) {
        Ok(()) => 0,
        Err(e) => {
            e.report();
            e.status()
        }
    };
    ExitCode::from(status)
}

fn run(args: &[String]) -> Result<(), Failure> {
    let (opts, rest) = Opts::parse(args)?;
    if opts.version {
        println!(
            "ip utility, nl-rustix example {} (iproute2-6.1.0 syntax)",
            env!("CARGO_PKG_VERSION")
        );
        return Ok(());
    }
    if let Some(name) = &opts.netns {
        // iproute2 switches namespace while it reads the options: exit 255.
        if let Err(e) = nl_rustix::Netns::from_arg(name).open_file() {
            let why = e.errno().map_or_else(|| e.to_string(), fail::strerror);
            return Err(Failure::usage(format!(
                "Cannot open network namespace \"{name}\": {why}"
            )));
        }
    }
    let mut ctx = Ctx::open(opts)?;
    match ctx.opts.batch.clone() {
        Some(file) => batch::run(&mut ctx, &file, plan_line),
        None => plan_line(&ctx.opts, &rest)?.execute(&mut ctx),
    }
}
