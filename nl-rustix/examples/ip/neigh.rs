//! `ip neigh`: show, add, replace, del.

use crate::cli::{Ctx, Failure, UsageError, Words, duparg, matches, unknown_command};
use crate::objcommon::{Families, Names, af, parse_addr, plan_and_run, print_json};
use nl_rustix::nl_proto::route::neigh::{NeighFlags, Neighbour, NudState};
use nl_rustix::nl_proto::values::Mac;
use nl_rustix::{LinkId, Op};
use serde_json::{Map, Value};

/// Run `ip neigh …`.
pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    if plan_and_run(ctx, args, plan)? {
        return Ok(());
    }
    let mut w = Words::new(args);
    w.next();
    show(ctx, &mut w)
}

/// Parse a mutating `ip neigh` command into an [`Op`]; `None` for `show`.
pub(crate) fn plan(ctx: &mut Ctx, args: &[String]) -> Result<Option<Op>, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(None);
    };
    if matches(cmd, "add") {
        let (link, dst, mac) = parse_entry(ctx, &mut w, true)?;
        Ok(Some(Op::AddNeighbour(link, dst, mac)))
    } else if matches(cmd, "replace") {
        let (link, dst, mac) = parse_entry(ctx, &mut w, true)?;
        Ok(Some(Op::ReplaceNeighbour(link, dst, mac)))
    } else if matches(cmd, "delete") {
        let (link, dst, _) = parse_entry(ctx, &mut w, false)?;
        Ok(Some(Op::DeleteNeighbour(link, dst)))
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        Ok(None)
    } else {
        Err(unknown_command(cmd, "neigh"))
    }
}

/// `[to] ADDR [lladdr MAC] dev NAME [nud permanent]`.
fn parse_entry(
    ctx: &Ctx,
    w: &mut Words<'_>,
    add: bool,
) -> Result<(LinkId, std::net::IpAddr, Option<Mac>), Failure> {
    let mut fam = Families::new(ctx);
    let mut dst = None;
    let mut mac = None;
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "lladdr" => {
                let v = w.value("lladdr")?;
                mac = Some(v.parse::<Mac>().map_err(|_| {
                    UsageError::new(format!("Error: \"{v}\" is not a valid link layer address."))
                })?);
            }
            "dev" => dev = Some(w.value("dev")?),
            "nud" => {
                let v = w.value("nud")?;
                if v != "permanent" && v != "perm" {
                    return Err(UsageError::new(format!(
                        "Error: nud state \"{v}\" is not supported here, only \"permanent\"."
                    ))
                    .into());
                }
            }
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                if dst.is_some() {
                    return Err(duparg("to", word, Some("neigh")));
                }
                let a = parse_addr(word, "to")?;
                fam.see("destination", a)?;
                dst = Some(a);
            }
        }
    }
    let (Some(dst), Some(dev)) = (dst, dev) else {
        return Err(UsageError::new("Device and destination are required arguments.").into());
    };
    if !add && mac.is_some() {
        // iproute2 accepts and ignores it on delete.
        mac = None;
    }
    Ok((LinkId::from(dev), dst, mac))
}

/// `show [dev NAME]`.
fn show(ctx: &mut Ctx, w: &mut Words<'_>) -> Result<(), Failure> {
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.value("dev")?),
            other => return Err(duparg("to", other, Some("neigh"))),
        }
    }
    let family = ctx.opts.family.map(af);
    let entries = ctx.conn.neighbours(family, dev.map(LinkId::from))?;
    let names = Names::fetch(ctx)?;
    // iproute2's default filter: every state but NOARP (and not NONE).
    let shown = 0xff & !NudState::NOARP.0;
    let mut out = Vec::new();
    for n in entries.iter().filter(|n| {
        n.state.0 & shown != 0
            || n.flags.contains(NeighFlags::PROXY)
            || n.flags.contains(NeighFlags::EXT_LEARNED)
    }) {
        if ctx.opts.json {
            out.push(json(n, &names, dev.is_none()));
        } else {
            println!("{}", text(n, &names, dev.is_none()));
        }
    }
    if ctx.opts.json {
        print_json(out);
    }
    Ok(())
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
