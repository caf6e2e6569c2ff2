//! `ip rule`: show, add, del.

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::render::print_json;
use crate::words::{
    Families, Family, Opts, Prefix, Words, invarg, matches, parse_number, unknown_command,
};
use nl_rustix::nl_proto::route::route::{RouteProtocol, Table};
use nl_rustix::nl_proto::route::rule::{Rule, RuleAction, RuleFlags};
use nl_rustix::{Op, RuleSpec};
use serde_json::{Map, Value};

/// `ip rule`.
pub(crate) const OBJECT: Object = Object {
    names: &["rule"],
    plan,
};

/// Parse an `ip rule` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(show());
    };
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        if let Some(word) = w.next() {
            return Err(Failure::arg(format!(
                "Error: inet prefix is expected rather than \"{word}\"."
            )));
        }
        Ok(show())
    } else if matches(cmd, "add") {
        requires_arguments(&w, "add")?;
        Ok(Plan::Op(Op::AddRule(parse_spec(opts, &mut w, true)?)))
    } else if matches(cmd, "delete") {
        requires_arguments(&w, "del")?;
        Ok(Plan::Op(Op::DeleteRule(parse_spec(opts, &mut w, false)?)))
    } else {
        Err(unknown_command(cmd, "rule"))
    }
}

/// As iproute2: `ip rule add` (or `del`) alone is refused, not a
/// catch-all rule.
fn requires_arguments(w: &Words<'_>, cmd: &str) -> Result<(), Failure> {
    if w.is_empty() {
        return Err(Failure::arg(format!(
            "\"ip rule {cmd}\" requires arguments."
        )));
    }
    Ok(())
}

fn bad_value(v: &str, what: &str) -> Failure {
    invarg(v, format_args!("invalid {what}"))
}

fn number(w: &mut Words<'_>, what: &str) -> Result<u32, Failure> {
    let v = w.value(what)?;
    parse_number(v).ok_or_else(|| bad_value(v, what))
}

/// `[not] [from P|all] [to P|all] [fwmark N[/M]] [iif NAME] [oif NAME]
/// [priority N] [table ID] [blackhole|unreachable|prohibit|nop] [goto N]
/// [protocol P]`.
fn parse_spec(opts: &Opts, w: &mut Words<'_>, add: bool) -> Result<RuleSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut spec = RuleSpec::new();
    let mut src = None;
    let mut dst = None;
    while let Some(word) = w.next() {
        match word {
            "not" => spec.invert = true,
            "from" => {
                if let Prefix::Net(n) = fam.prefix(w.value("from")?)? {
                    src = Some(n);
                }
            }
            "to" => {
                if let Prefix::Net(n) = fam.prefix(w.value("to")?)? {
                    dst = Some(n);
                }
            }
            "fwmark" => {
                let v = w.value("fwmark")?;
                let (m, mask) = match v.split_once('/') {
                    Some((m, k)) => (m, Some(k)),
                    None => (v, None),
                };
                spec.fwmark = Some(parse_number(m).ok_or_else(|| bad_value(v, "fwmark"))?);
                spec.fwmask = mask
                    .map(|k| parse_number(k).ok_or_else(|| bad_value(v, "fwmask")))
                    .transpose()?;
            }
            "iif" | "dev" => spec.iif = Some(w.value("iif")?.to_string()),
            "oif" => spec.oif = Some(w.value("oif")?.to_string()),
            "priority" | "pref" | "preference" | "order" => {
                let v = w.value("preference")?;
                spec.priority =
                    Some(parse_number(v).ok_or_else(|| invarg(v, "preference value is invalid"))?);
            }
            "table" | "lookup" => {
                let v = w.value("table")?;
                spec.table = Some(
                    Table::parse(v)
                        .ok_or_else(|| invarg(v, "invalid table ID"))?
                        .0,
                );
            }
            "goto" => {
                spec.goto = Some(number(w, "goto")?);
                spec.action = Some(RuleAction::GOTO);
            }
            "protocol" | "proto" => {
                let v = w.value("protocol")?;
                spec.protocol =
                    Some(RouteProtocol::parse(v).ok_or_else(|| bad_value(v, "protocol"))?);
            }
            other => {
                let name = if other == "type" {
                    w.value("type")?
                } else {
                    other
                };
                match RuleAction::parse(name) {
                    Some(a) if !name.starts_with(|c: char| c.is_ascii_digit()) => {
                        spec.action = Some(a)
                    }
                    _ => return Err(invarg(name, "Failed to parse rule type")),
                }
            }
        }
    }
    spec.src = src;
    spec.dst = dst;
    spec.family = Some(fam.family().unwrap_or(Family::V4).af());
    // As iproute2: an action other than "lookup" leaves the table unset.
    if add && spec.table.is_none() && spec.action.is_some_and(|a| a != RuleAction::TO_TBL) {
        spec.table = Some(0);
    }
    Ok(spec)
}

fn show() -> Plan {
    Plan::run(|ctx| {
        let family = ctx.opts.family.map(Family::af);
        let rules = ctx.conn.rules(family)?;
        let details = ctx.opts.details;
        if ctx.opts.json {
            print_json(
                &ctx.opts,
                rules.iter().map(|r| fields(r, details).0).collect(),
            );
        } else {
            for r in &rules {
                println!("{}", fields(r, details).1);
            }
        }
        Ok(())
    })
}

fn hex(v: u32) -> String {
    // C's "%#x": no prefix for 0.
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// The rule as `ip -j rule` and `ip rule` print it.
fn fields(r: &Rule, details: bool) -> (Value, String) {
    let mut j = Map::new();
    let p = r.pref();
    j.insert("priority".into(), p.into());
    let mut s = format!("{p}:\t");
    if r.flags.contains(RuleFlags::INVERT) {
        j.insert("not".into(), Value::Null);
        s += "not ";
    }
    match r.src {
        Some(n) => {
            j.insert("src".into(), n.addr().to_string().into());
            s += &format!("from {}", n.addr());
            if n.prefix_len() != n.max_prefix_len() {
                j.insert("srclen".into(), n.prefix_len().into());
                s += &format!("/{}", n.prefix_len());
            }
        }
        None => {
            j.insert("src".into(), "all".into());
            s += "from all";
        }
    }
    if let Some(n) = r.dst {
        j.insert("dst".into(), n.addr().to_string().into());
        s += &format!(" to {}", n.addr());
        if n.prefix_len() != n.max_prefix_len() {
            j.insert("dstlen".into(), n.prefix_len().into());
            s += &format!("/{}", n.prefix_len());
        }
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        let mark = r.fwmark.unwrap_or(0);
        let mask = r.fwmask.unwrap_or(u32::MAX);
        j.insert("fwmark".into(), hex(mark).into());
        s += &format!(" fwmark {}", hex(mark));
        if mask != u32::MAX {
            j.insert("fwmask".into(), hex(mask).into());
            s += &format!("/{}", hex(mask));
        }
    }
    if let Some(i) = &r.iif {
        j.insert("iif".into(), i.as_str().into());
        s += &format!(" iif {i}");
        if r.flags.contains(RuleFlags::IIF_DETACHED) {
            j.insert("iif_detached".into(), Value::Null);
            s += " [detached]";
        }
    }
    if let Some(o) = &r.oif {
        j.insert("oif".into(), o.as_str().into());
        s += &format!(" oif {o}");
        if r.flags.contains(RuleFlags::OIF_DETACHED) {
            j.insert("oif_detached".into(), Value::Null);
            s += " [detached]";
        }
    }
    if r.table != 0 {
        let t = Table(r.table).to_string();
        s += &format!(" lookup {t}");
        j.insert("table".into(), t.into());
    }
    match r.action {
        RuleAction::TO_TBL => {}
        RuleAction::GOTO => {
            let g = r.goto.unwrap_or(0);
            j.insert("goto".into(), g.into());
            s += &format!(" goto {g}");
            if r.flags.contains(RuleFlags::UNRESOLVED) {
                j.insert("unresolved".into(), Value::Null);
                s += " [unresolved]";
            }
        }
        a => {
            let n = a.to_string();
            s += &format!(" {n}");
            j.insert("action".into(), n.into());
        }
    }
    if let Some(p) = r.protocol {
        if (p.0 != 0 && p != RouteProtocol::KERNEL) || details {
            j.insert("protocol".into(), p.to_string().into());
            s += &format!(" proto {p}");
        }
    }
    (Value::Object(j), s)
}
