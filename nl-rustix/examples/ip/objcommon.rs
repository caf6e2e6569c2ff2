//! Helpers shared by the objects: printing JSON records, prefix and
//! lifetime parsing, the address-family check, interface names, and
//! running a planned [`Op`].

use crate::cli::{Ctx, Failure, Family, UsageError, invarg};
use ipnet::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::link::{IfFlags, Link};
use nl_rustix::{Error, Op};
use serde_json::Value;
use std::collections::HashMap;
use std::net::IpAddr;

/// Print a list of JSON records as `ip -j` does (one line).
pub(crate) fn print_json(records: Vec<Value>) {
    println!("{}", Value::Array(records));
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
    crate::cli::parse_number(word)
        .ok_or_else(|| invarg(word, format_args!("{what} value is invalid")).into())
}

/// Interface index → name and flags, for printing (iproute2's
/// `ll_index_to_name` cache).
pub(crate) struct Names(HashMap<u32, (String, IfFlags)>);

impl Names {
    /// The names of `links`.
    pub(crate) fn of(links: &[Link]) -> Self {
        Self(
            links
                .iter()
                .map(|l| (l.index, (l.name.as_str().to_string(), l.flags)))
                .collect(),
        )
    }

    /// Dump the links and name them.
    pub(crate) fn fetch(ctx: &mut Ctx) -> Result<Self, Error> {
        Ok(Self::of(&ctx.conn.links()?))
    }

    /// The name of interface `index` (`ifN` when unknown).
    pub(crate) fn name(&self, index: u32) -> String {
        self.0
            .get(&index)
            .map_or_else(|| format!("if{index}"), |(n, _)| n.clone())
    }

    /// Whether interface `index` is known and up.
    pub(crate) fn is_up(&self, index: u32) -> bool {
        self.0
            .get(&index)
            .is_some_and(|(_, f)| f.contains(IfFlags::UP))
    }
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
