//! Helpers shared by `address`, `route`, `neigh` and `rule`: a small JSON
//! writer (keys in iproute2's order), prefix and lifetime parsing, the
//! address-family check, interface names, and running a planned [`Op`].

use crate::cli::{Ctx, Failure, Family, UsageError};
use ipnet::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::{Error, Op};
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

/// A JSON value whose objects keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Num(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub(crate) fn obj() -> Self {
        Self::Obj(Vec::new())
    }
    /// Append `key: value` to an object.
    pub(crate) fn set(&mut self, key: &str, value: impl Into<J>) {
        if let Self::Obj(fields) = self {
            fields.push((key.to_string(), value.into()));
        }
    }
}

impl From<&str> for J {
    fn from(s: &str) -> Self {
        Self::Str(s.to_string())
    }
}
impl From<String> for J {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}
impl From<u32> for J {
    fn from(n: u32) -> Self {
        Self::Num(n.into())
    }
}
impl From<u8> for J {
    fn from(n: u8) -> Self {
        Self::Num(n.into())
    }
}
impl From<bool> for J {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}
impl From<Vec<J>> for J {
    fn from(v: Vec<J>) -> Self {
        Self::Arr(v)
    }
}

fn write_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for J {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Num(n) => write!(f, "{n}"),
            Self::Str(s) => write_str(f, s),
            Self::Arr(v) => {
                f.write_str("[")?;
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
            Self::Obj(v) => {
                f.write_str("{")?;
                for (i, (k, x)) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_str(f, k)?;
                    write!(f, ":{x}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Print a list of JSON records as `ip -j` does (one line).
pub(crate) fn print_json(records: Vec<J>) {
    println!("{}", J::Arr(records));
}

/// The family `-4`/`-6` selected, as an rtnetlink family.
pub(crate) fn af(f: Family) -> AddrFamily {
    match f {
        Family::V4 => AddrFamily::INET,
        Family::V6 => AddrFamily::INET6,
    }
}

fn family_of(ip: &IpAddr) -> Family {
    if ip.is_ipv4() { Family::V4 } else { Family::V6 }
}

fn family_name(f: Family) -> &'static str {
    match f {
        Family::V4 => "IPv4",
        Family::V6 => "IPv6",
    }
}

/// Collects the addresses of one command and refuses mixed families
/// (before anything is sent). Starts from `-4`/`-6` when given.
pub(crate) struct Families {
    first: Option<(Family, String)>,
}

impl Families {
    pub(crate) fn new(ctx: &Ctx) -> Self {
        Self {
            first: ctx.opts.family.map(|f| {
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
        let f = family_of(&ip);
        match &self.first {
            None => {
                self.first = Some((f, format!("{what} {ip}")));
                Ok(())
            }
            Some((g, first)) if *g != f => Err(Error::Invalid(format!(
                "mixed address families: {what} {ip} is {} but {first} is {}",
                family_name(f),
                family_name(*g)
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
            UsageError::new(format!(
                "Error: any valid prefix is expected rather than \"{word}\" ({what})."
            ))
            .into()
        });
    }
    let ip = parse_addr(word, what)?;
    Ok(Prefix::Net(IpNet::from(ip)))
}

/// Parse `word` as an IP address for `what`.
pub(crate) fn parse_addr(word: &str, what: &str) -> Result<IpAddr, Failure> {
    word.parse::<IpAddr>().map_err(|_| {
        UsageError::new(format!(
            "Error: an IP address is expected rather than \"{word}\" ({what})."
        ))
        .into()
    })
}

/// `forever` or a number of seconds.
pub(crate) fn parse_lifetime(word: &str, what: &str) -> Result<u32, Failure> {
    if word == "forever" {
        return Ok(u32::MAX);
    }
    crate::cli::parse_number(word).ok_or_else(|| {
        UsageError::new(format!(
            "Error: argument \"{word}\" is wrong: {what} value is invalid"
        ))
        .into()
    })
}

/// A usage error for a word no keyword matched.
pub(crate) fn garbage(word: &str, object: &str) -> Failure {
    UsageError::new(format!(
        "Error: either \"to\" is duplicate, or \"{word}\" is a garbage ({object})."
    ))
    .into()
}

/// A usage error for a subcommand this object does not know.
pub(crate) fn unknown_command(word: &str, object: &str) -> Failure {
    UsageError::new(format!(
        "Command \"{word}\" is unknown, try \"ip {object} help\"."
    ))
    .into()
}

/// Interface index → name, for printing.
pub(crate) fn link_names(ctx: &mut Ctx) -> Result<HashMap<u32, String>, Error> {
    Ok(ctx
        .conn
        .links()?
        .into_iter()
        .map(|l| (l.index, l.name.as_str().to_string()))
        .collect())
}

/// The name of interface `index` (`ifN` when unknown).
pub(crate) fn name_of(names: &HashMap<u32, String>, index: u32) -> String {
    names
        .get(&index)
        .cloned()
        .unwrap_or_else(|| format!("if{index}"))
}

/// Run one planned mutation with the single-request verbs.
pub(crate) fn exec(ctx: &mut Ctx, op: Op) -> Result<(), Failure> {
    let c = &mut ctx.conn;
    match op {
        Op::AddAddress(s) => c.add_address(&s),
        Op::ReplaceAddress(s) => c.replace_address(&s),
        Op::DeleteAddress(l, p) => c.delete_address(l, p),
        Op::AddRoute(s) => c.add_route(&s),
        Op::ReplaceRoute(s) => c.replace_route(&s),
        Op::DeleteRoute(s) => c.delete_route(&s),
        Op::AddNeighbour(l, d, m) => c.add_neighbour(l, d, m),
        Op::ReplaceNeighbour(l, d, m) => c.replace_neighbour(l, d, m),
        Op::DeleteNeighbour(l, d) => c.delete_neighbour(l, d),
        Op::AddRule(s) => c.add_rule(&s),
        Op::DeleteRule(s) => c.delete_rule(&s),
        other => c
            .apply(std::slice::from_ref(&other))?
            .pop()
            .unwrap_or(Err(Error::Unexpected("no result"))),
    }
    .map_err(Failure::Nl)
}

/// Run `plan` and, when it planned a mutation, execute it.
pub(crate) fn plan_and_run(
    ctx: &mut Ctx,
    args: &[String],
    plan: fn(&mut Ctx, &[String]) -> Result<Option<Op>, Failure>,
) -> Result<bool, Failure> {
    match plan(ctx, args)? {
        Some(op) => exec(ctx, op).map(|()| true),
        None => Ok(false),
    }
}
