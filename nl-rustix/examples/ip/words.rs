//! Shared parsing: the global options, a cursor over a command's words,
//! numbers, addresses and prefixes, the family check, and iproute2's
//! argument-error messages. No I/O; objects build their plans from these.

use crate::fail::Failure;
pub(crate) use crate::shared_words::{Words, matches};
use nl_proto::IpNet;
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
    /// `-p`: JSON indented as iproute2's `-p -j` (text is unchanged).
    pub(crate) pretty: bool,
    /// `-o`: one line per record.
    pub(crate) oneline: bool,
    /// `-br`: the brief, tabular listing.
    pub(crate) brief: bool,
    /// `-V`: print the version and stop.
    pub(crate) version: bool,
    /// `-ts`: a short timestamp before each `ip monitor` line.
    pub(crate) tshort: bool,
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
                "p" | "pretty" => o.pretty = true,
                "o" | "oneline" => o.oneline = true,
                "br" | "brief" => o.brief = true,
                "V" | "Version" => o.version = true,
                "ts" | "tshort" => o.tshort = true,
                "force" => o.force = true,
                "4" => o.family = Some(Family::V4),
                "6" => o.family = Some(Family::V6),
                "n" | "netns" => {
                    i += 1;
                    o.netns = Some(
                        args.get(i)
                            .ok_or_else(|| {
                                Failure::usage(
                                    "Cannot open network namespace \"(null)\": No such file or directory",
                                )
                            })?
                            .clone(),
                    );
                }
                "b" | "batch" => {
                    i += 1;
                    o.batch = Some(
                        args.get(i)
                            .ok_or_else(|| Failure::usage(crate::dispatch::USAGE))?
                            .into(),
                    );
                }
                _ => {
                    return Err(Failure::usage(format!(
                        "Option \"{a}\" is unknown, try \"ip -help\"."
                    )));
                }
            }
            i += 1;
        }
        Ok((o, args[i..].to_vec()))
    }
}

/// iproute2-style readers on the shared word cursor.
impl<'a> Words<'a> {
    /// The next word, which `what` requires (iproute2's `NEXT_ARG`).
    pub(crate) fn value(&mut self, _what: &str) -> Result<&'a str, Failure> {
        self.next().ok_or_else(incomplete)
    }
    /// Whether any word is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
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

/// iproute2's `incomplete_command`: a keyword's value is missing (255).
pub(crate) fn incomplete() -> Failure {
    Failure::usage("Command line is not complete. Try option \"help\"")
}

/// iproute2's `invarg`: `arg` is not a valid value, `msg` says why (255).
pub(crate) fn invarg(arg: &str, msg: impl fmt::Display) -> Failure {
    Failure::usage(format!("Error: argument \"{arg}\" is wrong: {msg}"))
}

/// iproute2's `duparg2`: `key` was given twice, or `word` is not
/// understood (255).
pub(crate) fn duparg(key: &str, word: &str) -> Failure {
    Failure::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{word}\" is a garbage."
    ))
}

/// iproute2's `missarg`: the required argument `key` is missing (255).
pub(crate) fn missarg(key: &str) -> Failure {
    Failure::usage(format!(
        "Not enough information: \"{key}\" argument is required."
    ))
}

/// A subcommand `object` does not know (255).
pub(crate) fn unknown_command(word: &str, object: &str) -> Failure {
    Failure::usage(format!(
        "Command \"{word}\" is unknown, try \"ip {object} help\"."
    ))
}

/// An interface name given with `name`/`dev`/`peer name`, checked as
/// iproute2's `check_ifname` does (255 for one the kernel cannot take).
pub(crate) fn ifname_arg(v: &str) -> Result<&str, Failure> {
    if v.is_empty() || v.len() > 15 || v.contains(['/', ' ', ':']) || v == "." || v == ".." {
        return Err(invarg(v, "\"name\" not a valid ifname"));
    }
    Ok(v)
}

/// Parses the addresses and prefixes of one command and holds them to
/// one family, as iproute2 does: the first one (or `-4`/`-6`) decides,
/// and a later one of the other family is refused before anything is
/// sent (`Error: inet prefix is expected rather than "2001:db8::/64".`,
/// exit 1).
pub(crate) struct Families {
    family: Option<Family>,
}

impl Families {
    pub(crate) fn new(opts: &Opts) -> Self {
        Self {
            family: opts.family,
        }
    }

    fn expected(&self, what: &str, word: &str) -> Failure {
        let fam = match self.family {
            None => "any valid",
            Some(Family::V4) => "inet",
            Some(Family::V6) => "inet6",
        };
        Failure::arg(format!(
            "Error: {fam} {what} is expected rather than \"{word}\"."
        ))
    }

    fn see(&mut self, what: &str, word: &str, ip: &IpAddr) -> Result<(), Failure> {
        let f = Family::of(ip);
        match self.family {
            Some(g) if g != f => Err(self.expected(what, word)),
            _ => {
                self.family = Some(f);
                Ok(())
            }
        }
    }

    /// Parse `word` as a prefix: `default`/`all`/`any`, or an address with
    /// an optional length (a bare address is a host prefix).
    pub(crate) fn prefix(&mut self, word: &str) -> Result<Prefix, Failure> {
        if matches!(word, "default" | "all" | "any") {
            return Ok(Prefix::Any);
        }
        let net = match word.split_once('/') {
            Some(_) => word.parse::<IpNet>().ok(),
            None => word.parse::<IpAddr>().ok().map(IpNet::from),
        };
        let net = net.ok_or_else(|| self.expected("prefix", word))?;
        self.see("prefix", word, &net.addr())?;
        Ok(Prefix::Net(net))
    }

    /// Parse `word` as an address.
    pub(crate) fn addr(&mut self, word: &str) -> Result<IpAddr, Failure> {
        let ip = word
            .parse::<IpAddr>()
            .map_err(|_| self.expected("address", word))?;
        self.see("address", word, &ip)?;
        Ok(ip)
    }

    /// The family of the command (`None` when nothing said).
    pub(crate) fn family(&self) -> Option<Family> {
        self.family
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

/// `forever` or a number of seconds.
pub(crate) fn parse_lifetime(word: &str, what: &str) -> Result<u32, Failure> {
    if word == "forever" {
        return Ok(u32::MAX);
    }
    parse_number(word).ok_or_else(|| invarg(word, format_args!("{what} value is invalid")))
}
