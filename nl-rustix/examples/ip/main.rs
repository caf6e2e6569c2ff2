//! `ip`: a subset of iproute2's `ip`, on nl-rustix.
//!
//! Same argument syntax as iproute2 for what it supports, so the same line
//! works with both:
//!
//! ```text
//! ip [-j] [-d] [-s] [-4|-6] [-n NETNS] [-batch FILE] OBJECT COMMAND…
//! ```
//!
//! `-n NETNS` is a name under `/run/netns` (as iproute2) or a path. Errors
//! go to stderr with exit status 2 (1 for bad usage), as iproute2 does.
//! Read-only unless a mutating command is given.

mod addr;
mod cli;
mod link;
mod neigh;
mod objcommon;
mod route;
mod rule;

use cli::{Ctx, Opts, UsageError};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (opts, rest) = match Opts::parse(&args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let mut ctx = match Ctx::open(opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match ctx.opts.batch.clone() {
        Some(file) => cli::run_batch(&mut ctx, &file),
        None => run(&mut ctx, &rest),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::Usage(e)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(cli::Failure::Nl(e)) => {
            eprintln!("Error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Run one command line (after the global options).
pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), cli::Failure> {
    let Some((object, rest)) = args.split_first() else {
        return Err(UsageError::new("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       OBJECT := { link | address | route | neigh | rule }").into());
    };
    let object = object.as_str();
    match object {
        o if cli::matches(o, "link") => link::run(ctx, rest),
        o if cli::matches(o, "address") => addr::run(ctx, rest),
        o if cli::matches(o, "route") => route::run(ctx, rest),
        o if cli::matches(o, "rule") => rule::run(ctx, rest),
        o if cli::matches(o, "neighbour") || cli::matches(o, "neighbor") => neigh::run(ctx, rest),
        _ => {
            Err(UsageError::new(format!("Object \"{object}\" is unknown, try \"ip help\".")).into())
        }
    }
}
