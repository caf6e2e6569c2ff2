//! Global options, the shared context, errors and `-batch`.

use nl_rustix::{Conn, Error, Netns};
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
    // Not read by `link` yet; for objects that open more sockets.
    #[allow(dead_code)]
    pub(crate) netns: Netns,
}

impl Ctx {
    pub(crate) fn open(opts: Opts) -> Result<Self, Error> {
        let netns = opts
            .netns
            .as_deref()
            .map_or(Netns::Current, Netns::from_arg);
        let conn = Conn::open_in(&netns)?;
        Ok(Self { opts, conn, netns })
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
        parse_number(v).ok_or_else(|| {
            UsageError::new(format!(
                "Error: argument \"{v}\" is wrong: invalid \"{what}\" value"
            ))
        })
    }
    /// Whether all words were consumed.
    #[allow(dead_code)] // not used by `link`; kept for the other objects
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
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

/// Read a `-batch` file and run each line as a command, as iproute2 does.
/// Comments (`#`) and blank lines are skipped. Runs of consecutive
/// mutating commands of the kinds that support it are sent batched: each
/// module's `plan` turns a line into requests instead of running it.
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
    let mut failed = 0usize;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if let Err(e) = crate::run(ctx, &words) {
            failed += 1;
            match e {
                Failure::Usage(u) => eprintln!("{u}"),
                Failure::Nl(e) => eprintln!("Error: {e}"),
            }
            eprintln!("Command failed {}:{}", file.display(), n + 1);
            // iproute2 stops at the first failure unless -force.
            return Err(Failure::Usage(UsageError::new(format!(
                "{failed} command(s) failed"
            ))));
        }
    }
    Ok(())
}
