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
//! main.rs      global options, one line or -batch, exit status
//!    ├── dispatch.rs the dispatcher: OBJECTS (the registry), one
//!    │               line → plan (no I/O)
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
//! (its names and its `plan` function), and one line in `OBJECTS` (`dispatch.rs`).
//! Objects never import each other; what two of them share goes below.

// The modules, listed once for this binary and for the fuzz target and
// corpus replay of its parser (`fuzz_entry.rs`).
include!("modules.rs");

use dispatch::plan_line;
use fail::Failure;
use plan::Ctx;
use std::process::ExitCode;
use words::Opts;

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
