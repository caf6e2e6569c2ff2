//! `-batch FILE`: run each line of a file (`-` is stdin) as a command.
//!
//! Sits under the dispatcher and over the objects: it is handed the
//! dispatcher's planner, so it never names an object itself.

use crate::fail::{Failure, strerror};
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

/// Where a `-batch` run stands.
struct Run<'f> {
    file: &'f Path,
    failed: bool,
    /// `-force`: consecutive mutations, not sent yet, with their lines.
    pending: Vec<(usize, Op)>,
}

impl Run<'_> {
    /// Send the pending mutations as one batch (`Conn::apply`) and report
    /// each failure against its line, in order.
    fn flush(&mut self, ctx: &mut Ctx) -> Result<(), Failure> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let ops: Vec<Op> = self.pending.iter().map(|(_, op)| op.clone()).collect();
        let results = ctx.conn.apply(&ops)?;
        for ((line, _), result) in self.pending.iter().zip(results) {
            if let Err(e) = result {
                self.failed = true;
                report(&Failure::Nl(e), self.file, *line);
            }
        }
        self.pending.clear();
        Ok(())
    }
}

/// Read a `-batch` file (`-` is stdin) and run each line as a command, as
/// iproute2 6.1 does. Comments (`#`) and blank lines are skipped; a
/// failing line is reported with `Command failed FILE:LINE`.
///
/// - Without `-force`: line by line; the first failing line ends the run
///   (exit 1), nothing after it is applied.
/// - With `-force`: every line runs; consecutive mutations ([`Plan::Op`])
///   are pipelined with `Conn::apply` (batched `sendmsg`, every ack
///   collected) — the same outcome as one by one, faster. Exit 1 if any
///   line failed.
/// - Either way, a line iproute2 answers with `exit(-1)` (usage, invalid
///   argument: [`Failure::ends_batch`]) ends the run at once with exit
///   255, after the lines before it were applied.
pub(crate) fn run(ctx: &mut Ctx, file: &Path, plan: Planner) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| {
        let why = e.raw_os_error().map_or_else(|| e.to_string(), strerror);
        Failure::arg(format!(
            "Cannot open file \"{}\" for reading: {why}",
            file.display()
        ))
    })?;
    let force = ctx.opts.force;
    let mut run = Run {
        file,
        failed: false,
        pending: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let result = match plan(&ctx.opts, &words) {
            Ok(Plan::Op(op)) if force => {
                run.pending.push((line_no, op));
                continue;
            }
            Ok(p) => {
                run.flush(ctx)?;
                p.execute(ctx)
            }
            Err(e) => {
                run.flush(ctx)?;
                Err(e)
            }
        };
        if let Err(e) = result {
            if e.ends_batch() {
                return Err(e);
            }
            report(&e, file, line_no);
            run.failed = true;
            if !force {
                break;
            }
        }
    }
    run.flush(ctx)?;
    if run.failed {
        return Err(Failure::Batch);
    }
    Ok(())
}
