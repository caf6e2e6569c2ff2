//! `ip neigh`: show, add, replace, del.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{
    Families, Family, Opts, Prefix, Words, duparg, invarg, matches, unknown_command,
};
use ipnet::IpNet;
use nl_rustix::nl_proto::route::neigh::{NeighFlags, Neighbour, NudState};
use nl_rustix::nl_proto::values::Mac;
use nl_rustix::{LinkId, Op};
use serde_json::{Map, Value};

/// `ip neighbour`.
pub(crate) const OBJECT: Object = Object {
    names: &["neighbour", "neighbor"],
    plan,
};

/// Parse an `ip neigh` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w);
    };
    if matches(cmd, "add") {
        let (link, dst, mac) = parse_entry(opts, &mut w, true)?;
        Ok(Plan::Op(Op::AddNeighbour(link, dst, mac)))
    } else if matches(cmd, "replace") {
        let (link, dst, mac) = parse_entry(opts, &mut w, true)?;
        Ok(Plan::Op(Op::ReplaceNeighbour(link, dst, mac)))
    } else if matches(cmd, "delete") {
        let (link, dst, _) = parse_entry(opts, &mut w, false)?;
        Ok(Plan::Op(Op::DeleteNeighbour(link, dst)))
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        show(opts, &mut w)
    } else if matches(cmd, "flush") {
        flush(opts, &mut w)
    } else {
        Err(unknown_command(cmd, "neigh"))
    }
}

/// `[to] ADDR [lladdr MAC] dev NAME [nud permanent]`.
fn parse_entry(
    opts: &Opts,
    w: &mut Words<'_>,
    add: bool,
) -> Result<(LinkId, std::net::IpAddr, Option<Mac>), Failure> {
    let mut fam = Families::new(opts);
    let mut dst = None;
    let mut mac = None;
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "lladdr" => {
                let v = w.value("lladdr")?;
                mac = Some(v.parse::<Mac>().map_err(|_| {
                    Failure::arg(format!("Error: \"{v}\" is not a valid link layer address."))
                })?);
            }
            "dev" => dev = Some(w.value("dev")?),
            "nud" => {
                let v = w.value("nud")?;
                let lower = v.to_ascii_lowercase();
                if !STATES.iter().any(|(n, _)| *n == lower) && v != "perm" {
                    return Err(invarg(v, "nud state is bad"));
                }
                if v != "permanent" && v != "perm" {
                    return Err(Failure::Unsupported(format!(
                        "Error: nud state \"{v}\" is not supported by this ip, only \"permanent\"."
                    )));
                }
            }
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                if dst.is_some() {
                    return Err(duparg("to", word));
                }
                dst = Some(fam.addr(word)?);
            }
        }
    }
    let (Some(dst), Some(dev)) = (dst, dev) else {
        return Err(Failure::usage(
            "Device and destination are required arguments.",
        ));
    };
    if !add && mac.is_some() {
        // iproute2 accepts and ignores it on delete.
        mac = None;
    }
    Ok((LinkId::from(dev), dst, mac))
}

/// `nud` state names (iproute2's `nud_state_a2n`).
const STATES: [(&str, u16); 9] = [
    ("permanent", 0x80),
    ("reachable", 0x02),
    ("noarp", 0x40),
    ("none", 0x00),
    ("stale", 0x04),
    ("incomplete", 0x01),
    ("delay", 0x08),
    ("probe", 0x10),
    ("failed", 0x20),
];

/// Stands for "no state" in a state mask (iproute2's 0x100).
const NO_STATE: u16 = 0x100;

/// The selectors of `ip neigh show` and `ip neigh flush`.
struct Filter {
    dev: Option<String>,
    to: Option<IpNet>,
    /// States shown (bits of `NUD_*`, [`NO_STATE`] for none).
    states: u16,
    /// Any selector was given (`flush` requires one).
    given: bool,
}

impl Filter {
    /// `[to] PREFIX | dev NAME | nud STATE|all` (repeatable `nud`).
    fn parse(opts: &Opts, w: &mut Words<'_>, flush: bool) -> Result<Self, Failure> {
        let mut fam = Families::new(opts);
        // As iproute2: show hides NOARP entries, flush NOARP and PERMANENT.
        let default = if flush {
            0xff & !(NudState::NOARP.0 | NudState::PERMANENT.0)
        } else {
            0xff & !NudState::NOARP.0
        };
        let mut f = Self {
            dev: None,
            to: None,
            states: default,
            given: false,
        };
        let mut state_given = false;
        while let Some(word) = w.next() {
            f.given = true;
            match word {
                "dev" => f.dev = Some(w.value("dev")?.to_string()),
                "nud" => {
                    let v = w.value("nud")?;
                    if !state_given {
                        state_given = true;
                        f.states = 0;
                    }
                    let lower = v.to_ascii_lowercase();
                    let state = match STATES.iter().find(|(n, _)| *n == lower) {
                        Some((_, 0)) => NO_STATE,
                        Some((_, s)) => *s,
                        None if v == "all" => {
                            if flush {
                                0x1ff & !NudState::NOARP.0
                            } else {
                                0x1ff
                            }
                        }
                        None => return Err(invarg(v, "nud state is bad")),
                    };
                    f.states |= state;
                }
                "proxy" | "unused" | "nomaster" | "vrf" | "master" => {
                    return Err(Failure::Unsupported(format!(
                        "Error: \"{word}\" is not supported by this ip."
                    )));
                }
                other => {
                    let word = if other == "to" { w.value("to")? } else { other };
                    if let Prefix::Net(n) = fam.prefix(word)? {
                        f.to = Some(n);
                    }
                }
            }
        }
        Ok(f)
    }

    fn wants(&self, n: &Neighbour) -> bool {
        let state_ok =
            n.state.0 & self.states != 0 || (n.state.0 == 0 && self.states & NO_STATE != 0);
        let to_ok = self
            .to
            .is_none_or(|p| n.dst.is_some_and(|d| p.trunc().contains(&d)));
        (state_ok
            || n.flags.contains(NeighFlags::PROXY)
            || n.flags.contains(NeighFlags::EXT_LEARNED))
            && to_ok
    }

    fn select(&self, ctx: &mut Ctx) -> Result<Vec<Neighbour>, Failure> {
        let family = ctx.opts.family.map(Family::af);
        let entries = ctx
            .conn
            .neighbours(family, self.dev.as_deref().map(LinkId::from))?;
        Ok(entries.into_iter().filter(|n| self.wants(n)).collect())
    }
}

/// `show SELECTOR`.
fn show(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w, false)?;
    Ok(Plan::run(move |ctx| {
        let entries = filter.select(ctx)?;
        let names = Names::fetch(&mut ctx.conn)?;
        let show_dev = filter.dev.is_none();
        let mut out = Vec::new();
        for n in &entries {
            if ctx.opts.json {
                out.push(json(n, &names, show_dev));
            } else {
                println!("{}", text(n, &names, show_dev));
            }
        }
        if ctx.opts.json {
            print_json(&ctx.opts, out);
        }
        Ok(())
    }))
}

/// `flush SELECTOR`: delete what the selector picks, pipelined.
fn flush(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w, true)?;
    if !filter.given {
        return Err(Failure::arg("Flush requires arguments."));
    }
    Ok(Plan::run(move |ctx| {
        let ops: Vec<Op> = filter
            .select(ctx)?
            .iter()
            .filter_map(|n| Some(Op::DeleteNeighbour(LinkId::Index(n.index), n.dst?)))
            .collect();
        for result in ctx.conn.apply(&ops)? {
            match result {
                // Gone already (expired or its link went down).
                Err(e) if e.errno() == Some(2) => {}
                other => other?,
            }
        }
        Ok(())
    }))
}

fn flag_words(n: &Neighbour) -> Vec<&'static str> {
    [
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::PROXY, "proxy"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
    ]
    .iter()
    .filter(|(f, _)| n.flags.contains(*f) || (*f == NeighFlags::ROUTER && n.router))
    .map(|(_, w)| *w)
    .collect()
}

fn json(n: &Neighbour, names: &Names, show_dev: bool) -> Value {
    let mut j = Map::new();
    if let Some(d) = n.dst {
        j.insert("dst".into(), d.to_string().into());
    }
    if show_dev && n.index != 0 {
        j.insert("dev".into(), names.name(n.index).into());
    }
    if let Some(m) = n.lladdr {
        j.insert("lladdr".into(), m.to_string().into());
    }
    for f in flag_words(n) {
        j.insert(f.into(), Value::Null);
    }
    if n.state.0 != 0 {
        j.insert("state".into(), n.state.names().collect());
    }
    Value::Object(j)
}

fn text(n: &Neighbour, names: &Names, show_dev: bool) -> String {
    let mut s = String::new();
    if let Some(d) = n.dst {
        s += &format!("{d} ");
    }
    if show_dev && n.index != 0 {
        s += &format!("dev {} ", names.name(n.index));
    }
    if let Some(m) = n.lladdr {
        s += &format!("lladdr {m} ");
    }
    for f in flag_words(n) {
        s += &format!("{f} ");
    }
    for st in n.state.names() {
        s += &format!("{st} ");
    }
    s
}
