//! `ip neigh`: show, add, replace, del.

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{Families, Family, Opts, Words, duparg, matches, parse_addr, unknown_command};
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
        return show(&mut w);
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
        show(&mut w)
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
                if v != "permanent" && v != "perm" {
                    return Err(Failure::arg(format!(
                        "Error: nud state \"{v}\" is not supported here, only \"permanent\"."
                    )));
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
        return Err(Failure::arg(
            "Device and destination are required arguments.",
        ));
    };
    if !add && mac.is_some() {
        // iproute2 accepts and ignores it on delete.
        mac = None;
    }
    Ok((LinkId::from(dev), dst, mac))
}

/// `show [dev NAME]`.
fn show(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.value("dev")?.to_string()),
            other => return Err(duparg("to", other, Some("neigh"))),
        }
    }
    Ok(Plan::run(move |ctx| {
        let family = ctx.opts.family.map(Family::af);
        let entries = ctx
            .conn
            .neighbours(family, dev.as_deref().map(LinkId::from))?;
        let names = Names::fetch(&mut ctx.conn)?;
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
