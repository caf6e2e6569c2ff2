//! `ip rule`: show, add, del.

use crate::cli::{Ctx, Failure, Family, UsageError, Words, matches, parse_number};
use crate::objcommon::{
    Families, J, af, garbage, parse_prefix, plan_and_run, print_json, unknown_command,
};
use nl_rustix::nl_proto::route::route::{RouteProtocol, Table};
use nl_rustix::nl_proto::route::rule::{Rule, RuleAction, RuleFlags};
use nl_rustix::{Op, RuleSpec};

/// Run `ip rule …`.
pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    if plan_and_run(ctx, args, plan)? {
        return Ok(());
    }
    let mut w = Words::new(args);
    w.next();
    if let Some(word) = w.next() {
        return Err(garbage(word, "rule"));
    }
    show(ctx)
}

/// Parse a mutating `ip rule` command into an [`Op`]; `None` for `show`.
pub(crate) fn plan(ctx: &mut Ctx, args: &[String]) -> Result<Option<Op>, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(None);
    };
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        Ok(None)
    } else if matches(cmd, "add") {
        Ok(Some(Op::AddRule(parse_spec(ctx, &mut w, true)?)))
    } else if matches(cmd, "delete") {
        Ok(Some(Op::DeleteRule(parse_spec(ctx, &mut w, false)?)))
    } else {
        Err(unknown_command(cmd, "rule"))
    }
}

fn bad_value(v: &str, what: &str) -> Failure {
    UsageError::new(format!("Error: argument \"{v}\" is wrong: invalid {what}")).into()
}

fn number(w: &mut Words<'_>, what: &str) -> Result<u32, Failure> {
    let v = w.value(what)?;
    parse_number(v).ok_or_else(|| bad_value(v, what))
}

/// `[not] [from P|all] [to P|all] [fwmark N[/M]] [iif NAME] [oif NAME]
/// [priority N] [table ID] [blackhole|unreachable|prohibit|nop] [goto N]
/// [protocol P]`.
fn parse_spec(ctx: &Ctx, w: &mut Words<'_>, add: bool) -> Result<RuleSpec, Failure> {
    let mut fam = Families::new(ctx);
    let mut spec = RuleSpec::new();
    let mut src = None;
    let mut dst = None;
    while let Some(word) = w.next() {
        match word {
            "not" => spec.invert = true,
            "from" => {
                let p = parse_prefix(w.value("from")?, "from")?;
                if let crate::objcommon::Prefix::Net(n) = p {
                    fam.see("from", n.addr())?;
                    src = Some(n);
                }
            }
            "to" => {
                let p = parse_prefix(w.value("to")?, "to")?;
                if let crate::objcommon::Prefix::Net(n) = p {
                    fam.see("to", n.addr())?;
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
                spec.priority = Some(number(w, "preference")?);
            }
            "table" | "lookup" => {
                let v = w.value("table")?;
                spec.table = Some(Table::parse(v).ok_or_else(|| bad_value(v, "table id"))?.0);
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
                    _ => return Err(garbage(other, "rule")),
                }
            }
        }
    }
    spec.src = src;
    spec.dst = dst;
    spec.family = Some(af(fam.family().unwrap_or(Family::V4)));
    // As iproute2: an action other than "lookup" leaves the table unset.
    if add && spec.table.is_none() && spec.action.is_some_and(|a| a != RuleAction::TO_TBL) {
        spec.table = Some(0);
    }
    Ok(spec)
}

fn show(ctx: &mut Ctx) -> Result<(), Failure> {
    let family = ctx.opts.family.map(af);
    let rules = ctx.conn.rules(family)?;
    let details = ctx.opts.details;
    if ctx.opts.json {
        print_json(rules.iter().map(|r| fields(r, details).0).collect());
    } else {
        for r in &rules {
            println!("{}", fields(r, details).1);
        }
    }
    Ok(())
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
fn fields(r: &Rule, details: bool) -> (J, String) {
    let mut j = J::obj();
    let p = r.pref();
    j.set("priority", p);
    let mut s = format!("{p}:\t");
    if r.flags.contains(RuleFlags::INVERT) {
        j.set("not", J::Null);
        s += "not ";
    }
    match r.src {
        Some(n) => {
            j.set("src", n.addr().to_string());
            s += &format!("from {}", n.addr());
            if n.prefix_len() != n.max_prefix_len() {
                j.set("srclen", n.prefix_len());
                s += &format!("/{}", n.prefix_len());
            }
        }
        None => {
            j.set("src", "all");
            s += "from all";
        }
    }
    if let Some(n) = r.dst {
        j.set("dst", n.addr().to_string());
        s += &format!(" to {}", n.addr());
        if n.prefix_len() != n.max_prefix_len() {
            j.set("dstlen", n.prefix_len());
            s += &format!("/{}", n.prefix_len());
        }
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        let mark = r.fwmark.unwrap_or(0);
        let mask = r.fwmask.unwrap_or(u32::MAX);
        j.set("fwmark", hex(mark));
        s += &format!(" fwmark {}", hex(mark));
        if mask != u32::MAX {
            j.set("fwmask", hex(mask));
            s += &format!("/{}", hex(mask));
        }
    }
    if let Some(i) = &r.iif {
        j.set("iif", i.as_str());
        s += &format!(" iif {i}");
        if r.flags.contains(RuleFlags::IIF_DETACHED) {
            j.set("iif_detached", J::Null);
            s += " [detached]";
        }
    }
    if let Some(o) = &r.oif {
        j.set("oif", o.as_str());
        s += &format!(" oif {o}");
        if r.flags.contains(RuleFlags::OIF_DETACHED) {
            j.set("oif_detached", J::Null);
            s += " [detached]";
        }
    }
    if r.table != 0 {
        let t = Table(r.table).to_string();
        s += &format!(" lookup {t}");
        j.set("table", t);
    }
    match r.action {
        RuleAction::TO_TBL => {}
        RuleAction::GOTO => {
            let g = r.goto.unwrap_or(0);
            j.set("goto", g);
            s += &format!(" goto {g}");
            if r.flags.contains(RuleFlags::UNRESOLVED) {
                j.set("unresolved", J::Null);
                s += " [unresolved]";
            }
        }
        a => {
            let n = a.to_string();
            s += &format!(" {n}");
            j.set("action", n);
        }
    }
    if let Some(p) = r.protocol {
        if (p.0 != 0 && p != RouteProtocol::KERNEL) || details {
            j.set("protocol", p.to_string());
            s += &format!(" proto {p}");
        }
    }
    (j, s)
}
