//! Global options, the shared context, errors and `-batch`.

use nl_rustix::{Conn, Error, Netns, Op};
use std::fmt;
use std::path::{Path, PathBuf};

/// Address family selected with `-4` / `-6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    V4,
    V6,
}

/// Global options.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opts {
    pub(crate) json: bool,
    pub(crate) details: bool,
    pub(crate) stats: bool,
    /// `-s` given twice (`-s -s`): more counters.
    pub(crate) stats_twice: bool,
    pub(crate) family: Option<Family>,
    pub(crate) netns: Option<String>,
    pub(crate) batch: Option<PathBuf>,
    /// `-force`: in `-batch`, go on after a failing line.
    pub(crate) force: bool,
}

impl Opts {
    /// Split the global options from the command.
    pub(crate) fn parse(args: &[String]) -> Result<(Self, Vec<String>), UsageError> {
        let mut o = Self::default();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if !a.starts_with('-') || a == "-" {
                break;
            }
            // iproute2 accepts `--opt` and `-opt` alike.
            let flag = a.trim_start_matches('-');
            match flag {
                "j" | "json" => o.json = true,
                "d" | "details" => o.details = true,
                "s" | "stats" | "statistics" => {
                    o.stats_twice = o.stats;
                    o.stats = true;
                }
                "p" | "pretty" => {}
                "force" => o.force = true,
                "4" => o.family = Some(Family::V4),
                "6" => o.family = Some(Family::V6),
                "n" | "netns" => {
                    i += 1;
                    o.netns = Some(
                        args.get(i)
                            .ok_or_else(|| UsageError::new("Option \"-n\" needs an argument"))?
                            .clone(),
                    );
                }
                "b" | "batch" => {
                    i += 1;
                    o.batch = Some(
                        args.get(i)
                            .ok_or_else(|| UsageError::new("Option \"-batch\" needs a file name"))?
                            .into(),
                    );
                }
                _ => {
                    return Err(UsageError::new(format!(
                        "Option \"{a}\" is unknown, try \"ip -help\"."
                    )));
                }
            }
            i += 1;
        }
        Ok((o, args[i..].to_vec()))
    }
}

/// What a command runs with.
pub(crate) struct Ctx {
    pub(crate) opts: Opts,
    pub(crate) conn: Conn,
}

impl Ctx {
    pub(crate) fn open(opts: Opts) -> Result<Self, Error> {
        let netns = opts
            .netns
            .as_deref()
            .map_or(Netns::Current, Netns::from_arg);
        let conn = Conn::open_in(&netns)?;
        Ok(Self { opts, conn })
    }
}

/// Bad command-line usage (exit status 1).
#[derive(Debug)]
pub(crate) struct UsageError(String);

impl UsageError {
    pub(crate) fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// iproute2's `invarg`: `arg` is not a valid value (`msg` says why).
pub(crate) fn invarg(arg: &str, msg: impl fmt::Display) -> UsageError {
    UsageError::new(format!("Error: argument \"{arg}\" is wrong: {msg}"))
}

/// iproute2's `duparg2`: `key` was given twice, or `word` is not
/// understood; `object`, when given, follows in parentheses.
pub(crate) fn duparg(key: &str, word: &str, object: Option<&str>) -> Failure {
    let tail = object.map(|o| format!(" ({o})")).unwrap_or_default();
    UsageError::new(format!(
        "Error: either \"{key}\" is duplicate, or \"{word}\" is a garbage{tail}."
    ))
    .into()
}

/// iproute2's `missarg`: the required argument `key` is missing.
pub(crate) fn missarg(key: &str) -> UsageError {
    UsageError::new(format!(
        "Not enough information: \"{key}\" argument is required."
    ))
}

/// A subcommand `object` does not know.
pub(crate) fn unknown_command(word: &str, object: &str) -> Failure {
    UsageError::new(format!(
        "Command \"{word}\" is unknown, try \"ip {object} help\"."
    ))
    .into()
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    Usage(UsageError),
    Nl(Error),
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Self {
        Self::Usage(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Nl(e)
    }
}

/// A cursor over a command's words, with iproute2-style helpers.
pub(crate) struct Words<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Words<'a> {
    pub(crate) fn new(words: &'a [String]) -> Self {
        Self { words, pos: 0 }
    }
    /// The next word, if any.
    pub(crate) fn next(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.pos)?;
        self.pos += 1;
        Some(w.as_str())
    }
    /// The next word, which `what` requires.
    pub(crate) fn value(&mut self, what: &str) -> Result<&'a str, UsageError> {
        self.next().ok_or_else(|| {
            UsageError::new(format!(
                "Command line is not complete. Try option \"help\"; \"{what}\" needs an argument"
            ))
        })
    }
    /// Parse the next word as a number for `what`.
    pub(crate) fn number<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, UsageError> {
        let v = self.value(what)?;
        parse_number(v).ok_or_else(|| invarg(v, format_args!("invalid \"{what}\" value")))
    }
}

/// A decimal or `0x` hexadecimal number, as iproute2's `get_u32`.
pub(crate) fn parse_number<T: std::str::FromStr>(v: &str) -> Option<T> {
    if let Some(hex) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()?.to_string().parse().ok()
    } else {
        v.parse().ok()
    }
}

/// Whether `word` is an abbreviation of `full` (iproute2's `matches`).
pub(crate) fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// The planner of an object whose mutations can be batched.
type Planner = fn(&mut Ctx, &[String]) -> Result<Option<Op>, Failure>;

/// The `plan` function of the object a batch line names, if it has one
/// (iproute2's abbreviation order: `r` is route, `ru` rule).
fn planner(object: &str) -> Option<Planner> {
    if matches(object, "address") {
        Some(crate::addr::plan)
    } else if matches(object, "route") {
        Some(crate::route::plan)
    } else if matches(object, "rule") {
        Some(crate::rule::plan)
    } else if matches(object, "neighbour") || matches(object, "neighbor") {
        Some(crate::neigh::plan)
    } else {
        None
    }
}

/// Plan one batch line: `Some(op)` for a mutation that can join a batch.
fn plan_line(ctx: &mut Ctx, words: &[String]) -> Result<Option<Op>, Failure> {
    match words.split_first() {
        Some((object, rest)) => match planner(object) {
            Some(plan) => plan(ctx, rest),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

fn report(e: &Failure, file: &Path, line: usize) {
    match e {
        Failure::Usage(u) => eprintln!("{u}"),
        Failure::Nl(e) => eprintln!("Error: {e}"),
    }
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
/// Runs of consecutive address, route, neighbour and rule mutations are
/// planned into [`Op`]s and sent together with `Conn::apply` (batched
/// `sendmsg`); every failure among them is reported as `Error: …` and
/// `Command failed FILE:LINE`. Other lines (`show`, `get`, `link …`) run
/// one at a time, in order, after the run before them was sent.
///
/// As iproute2 without `-force`, nothing after the first failing line (or
/// the first failing run, whose other lines were already sent) is run;
/// with `-force` every line runs. The result is an error (exit status 1)
/// when any line failed.
pub(crate) fn run_batch(ctx: &mut Ctx, file: &Path) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| {
        UsageError::new(format!(
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
        match plan_line(ctx, &words) {
            Ok(Some(op)) => {
                pending.push((line_no, op));
                continue;
            }
            Ok(None) => {
                failed += flush(ctx, &mut pending, file)?;
                if failed > 0 && !force {
                    break;
                }
                if let Err(e) = crate::run(ctx, &words) {
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
        return Err(Failure::Usage(UsageError::new(format!(
            "{failed} command(s) failed"
        ))));
    }
    Ok(())
}
