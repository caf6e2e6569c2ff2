//! `-batch FILE`: run each line of a file (`-` is stdin) as a command.
//!
//! Sits under the dispatcher and over the objects: it is handed the
//! dispatcher's planner, so it never names an object itself.

use crate::fail::Failure;
use crate::plan::{Ctx, Plan};
use crate::words::Opts;
use nl_rustix::Op;
use std::path::Path;

/// The dispatcher: one command line (after the global options) → plan.
pub(crate) type Planner = fn(&Opts, &[String]) -> Result<Plan, Failure>;

fn report(e: &Failure, file: &Path, line: usize) {
    e.report();
    eprintln!("Command failed {}:{line}", file.display());
}

/// Send the collected mutations as one batch (`Conn::apply`) and report
/// each failure against its line. Returns how many failed.
fn flush(ctx: &mut Ctx, pending: &mut Vec<(usize, Op)>, file: &Path) -> Result<usize, Failure> {
    if pending.is_empty() {
        return Ok(0);
    }
    let ops: Vec<Op> = pending.iter().map(|(_, op)| op.clone()).collect();
    let results = ctx.conn.apply(&ops)?;
    let mut failed = 0;
    for ((line, _), result) in pending.iter().zip(results) {
        if let Err(e) = result {
            failed += 1;
            report(&Failure::Nl(e), file, *line);
        }
    }
    pending.clear();
    Ok(failed)
}

/// Read a `-batch` file (`-` is stdin) and run each line as a command, as
/// iproute2 does. Comments (`#`) and blank lines are skipped.
///
/// Runs of consecutive mutations ([`Plan::Op`]) are sent together with
/// `Conn::apply` (batched `sendmsg`); every failure among them is
/// reported as `Error: …` and `Command failed FILE:LINE`. Other lines run
/// one at a time, in order, after the run before them was sent.
///
/// As iproute2 without `-force`, nothing after the first failing line (or
/// the first failing run, whose other lines were already sent) is run;
/// with `-force` every line runs. The result is an error (exit status 1)
/// when any line failed.
pub(crate) fn run(ctx: &mut Ctx, file: &Path, plan: Planner) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| {
        Failure::arg(format!(
            "Cannot open file \"{}\" for reading: {e}",
            file.display()
        ))
    })?;
    let force = ctx.opts.force;
    let mut failed = 0usize;
    let mut pending: Vec<(usize, Op)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        match plan(&ctx.opts, &words) {
            Ok(Plan::Op(op)) => {
                pending.push((line_no, op));
                continue;
            }
            Ok(Plan::Run(step)) => {
                failed += flush(ctx, &mut pending, file)?;
                if failed > 0 && !force {
                    break;
                }
                if let Err(e) = step(ctx) {
                    failed += 1;
                    report(&e, file, line_no);
                }
            }
            Err(e) => {
                failed += flush(ctx, &mut pending, file)?;
                if failed == 0 || force {
                    failed += 1;
                    report(&e, file, line_no);
                }
            }
        }
        if failed > 0 && !force {
            break;
        }
    }
    if failed == 0 || force {
        failed += flush(ctx, &mut pending, file)?;
    }
    if failed > 0 {
        return Err(Failure::arg(format!("{failed} command(s) failed")));
    }
    Ok(())
}
