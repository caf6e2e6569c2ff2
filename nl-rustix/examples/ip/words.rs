//! Shared parsing: the global options, a cursor over a command's words,
//! numbers, addresses and prefixes, the family check, and iproute2's
//! argument-error messages. No I/O; objects build their plans from these.

use crate::fail::Failure;
use ipnet::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

/// Address family selected with `-4` / `-6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    V4,
    V6,
}

impl Family {
    /// As an rtnetlink family.
    pub(crate) fn af(self) -> AddrFamily {
        match self {
            Self::V4 => AddrFamily::INET,
            Self::V6 => AddrFamily::INET6,
        }
    }

    fn of(ip: &IpAddr) -> Self {
        if ip.is_ipv4() { Self::V4 } else { Self::V6 }
    }

    fn name(self) -> &'static str {
        match self {
            Self::V4 => "IPv4",
            Self::V6 => "IPv6",
        }
    }
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
    pub(crate) fn parse(args: &[String]) -> Result<(Self, Vec<String>), Failure> {
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
                            .ok_or_else(|| Failure::arg("Option \"-n\" needs an argument"))?
                            .clone(),
                    );
                }
                "b" | "batch" => {
                    i += 1;
                    o.batch = Some(
                        args.get(i)
                            .ok_or_else(|| Failure::arg("Option \"-batch\" needs a file name"))?
                            .into(),
                    );
                }
                _ => {
                    return Err(Failure::arg(format!(
                        "Option \"{a}\" is unknown, try \"ip -help\"."
                    )));
                }
            }
            i += 1;
        }
        Ok((o, args[i..].to_vec()))
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
    pub(crate) fn value(&mut self, what: &str) -> Result<&'a str, Failure> {
        self.next().ok_or_else(|| {
            Failure::arg(format!(
                "Command line is not complete. Try option \"help\"; \"{what}\" needs an argument"
            ))
        })
    }
    /// Parse the next word as a number for `what`.
    pub(crate) fn number<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, Failure> {
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

/// iproute2's `invarg`: `arg` is not a valid value (`msg` says why).
pub(crate) fn invarg(arg: &str, msg: impl fmt::Display) -> Failure {
    Failure::arg(format!("Error: argument \"{arg}\" is wrong: {msg}"))
}

/// iproute2's `duparg2`: `key` was given twice, or `word` is not
/// understood; `object`, when given, follows in parentheses.
pub(crate) fn duparg(key: &str, word: &str, object: Option<&str>) -> Failure {
    let tail = object.map(|o| format!(" ({o})")).unwrap_or_default();
    Failure::arg(format!(
        "Error: either \"{key}\" is duplicate, or \"{word}\" is a garbage{tail}."
    ))
}

/// iproute2's `missarg`: the required argument `key` is missing.
pub(crate) fn missarg(key: &str) -> Failure {
    Failure::arg(format!(
        "Not enough information: \"{key}\" argument is required."
    ))
}

/// A subcommand `object` does not know.
pub(crate) fn unknown_command(word: &str, object: &str) -> Failure {
    Failure::arg(format!(
        "Command \"{word}\" is unknown, try \"ip {object} help\"."
    ))
}

/// Collects the addresses of one command and refuses mixed families
/// (before anything is sent). Starts from `-4`/`-6` when given.
pub(crate) struct Families {
    first: Option<(Family, String)>,
}

impl Families {
    pub(crate) fn new(opts: &Opts) -> Self {
        Self {
            first: opts.family.map(|f| {
                let opt = match f {
                    Family::V4 => "-4",
                    Family::V6 => "-6",
                };
                (f, format!("option {opt}"))
            }),
        }
    }

    /// Note `ip`, named `what` in the error.
    pub(crate) fn see(&mut self, what: &str, ip: IpAddr) -> Result<(), Failure> {
        let f = Family::of(&ip);
        match &self.first {
            None => {
                self.first = Some((f, format!("{what} {ip}")));
                Ok(())
            }
            Some((g, first)) if *g != f => Err(nl_rustix::Error::Invalid(format!(
                "mixed address families: {what} {ip} is {} but {first} is {}",
                f.name(),
                g.name()
            ))
            .into()),
            Some(_) => Ok(()),
        }
    }

    /// The family of the command (`None` when nothing said).
    pub(crate) fn family(&self) -> Option<Family> {
        self.first.as_ref().map(|(f, _)| *f)
    }
}

/// A prefix argument: `default`/`all`/`any`, or an address with an
/// optional length (a bare address is a host prefix).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Prefix {
    Any,
    Net(IpNet),
}

impl Prefix {
    /// The prefix, with `Any` resolved to `0.0.0.0/0` or `::/0`.
    pub(crate) fn resolve(self, family: Option<Family>) -> IpNet {
        match self {
            Self::Net(n) => n,
            Self::Any => match family {
                Some(Family::V6) => IpNet::V6(Default::default()),
                _ => IpNet::V4(Default::default()),
            },
        }
    }
}

/// Parse `word` as a prefix for `what`.
pub(crate) fn parse_prefix(word: &str, what: &str) -> Result<Prefix, Failure> {
    if matches!(word, "default" | "all" | "any") {
        return Ok(Prefix::Any);
    }
    if word.contains('/') {
        return word.parse::<IpNet>().map(Prefix::Net).map_err(|_| {
            Failure::arg(format!(
                "Error: any valid prefix is expected rather than \"{word}\" ({what})."
            ))
        });
    }
    let ip = parse_addr(word, what)?;
    Ok(Prefix::Net(IpNet::from(ip)))
}

/// Parse `word` as an IP address for `what`.
pub(crate) fn parse_addr(word: &str, what: &str) -> Result<IpAddr, Failure> {
    word.parse::<IpAddr>().map_err(|_| {
        Failure::arg(format!(
            "Error: an IP address is expected rather than \"{word}\" ({what})."
        ))
    })
}

/// `forever` or a number of seconds.
pub(crate) fn parse_lifetime(word: &str, what: &str) -> Result<u32, Failure> {
    if word == "forever" {
        return Ok(u32::MAX);
    }
    parse_number(word).ok_or_else(|| invarg(word, format_args!("{what} value is invalid")))
}
