//! `ip rule`: show (with its selectors), add, del.
//!
//! ```text
//! rule/
//! ├── mod.rs      the command line: add and del with every selector
//! ├── listing.rs  show: the filters and iproute2's text and JSON
//! ```

mod listing;
use crate::values;

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::words::{
    Families, Family, Opts, Prefix, Words, invarg, matches, parse_number, unknown_command,
};
use nl_rustix::nl_proto::route::route::{RouteProtocol, Table};
use nl_rustix::nl_proto::route::rule::RuleAction;
use nl_rustix::{Op, RuleSpec};

/// `ip rule`.
pub(crate) const OBJECT: Object = Object {
    names: &["rule"],
    plan,
};

/// iproute2 6.1's words (scripts grep them to probe for a selector);
/// this `ip` has no `flush`, `save`, `restore` or `nat`, and takes `dscp
/// N` and `flowlabel LABEL[/MASK]` beyond them.
const USAGE: &str = "Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]";

/// Parse an `ip rule` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(listing::show(listing::Filter::default()));
    };
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        Ok(listing::show(listing::Filter::parse(opts, &mut w)?))
    } else if matches(cmd, "add") {
        requires_arguments(&w, "add")?;
        Ok(Plan::Op(Op::AddRule(parse_spec(opts, &mut w, true)?)))
    } else if matches(cmd, "delete") {
        requires_arguments(&w, "del")?;
        Ok(Plan::Op(Op::DeleteRule(parse_spec(opts, &mut w, false)?)))
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
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

/// `[not] [from P|all] [to P|all] [tos T] [fwmark N[/M]] [iif NAME]
/// [oif NAME] [priority N] [l3mdev] [uidrange A-B] [ipproto P] [sport
/// A[-B]] [dport A[-B]] [table ID] [protocol P] [realms [F/]T] [tun_id N]
/// [suppress_prefixlength N] [suppress_ifgroup G] [dscp N] [flowlabel
/// L[/M]] [blackhole|unreachable|prohibit|nop] [goto N]`.
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
                let (mark, mask) = values::fwmark(w.value("fwmark")?)?;
                spec.fwmark = Some(mark);
                spec.fwmask = mask;
            }
            "tos" | "dsfield" => spec.tos = values::tos(w.value("tos")?)?,
            "l3mdev" => spec.l3mdev = true,
            "uidrange" => spec.uid_range = Some(values::uid_range(w.value("uidrange")?)?),
            "ipproto" => spec.ip_proto = Some(values::ip_proto(w.value("ipproto")?)?),
            "sport" => spec.sport_range = Some(values::port_range(w.value("sport")?)?),
            "dport" => spec.dport_range = Some(values::port_range(w.value("dport")?)?),
            "realms" => spec.flow = Some(values::realms(w.value("realms")?)?),
            "tun_id" => spec.tun_id = Some(values::tun_id(w.value("tun_id")?)?),
            "suppress_prefixlength" => {
                let v = w.value("suppress_prefixlength")?;
                spec.suppress_prefixlen = Some(values::suppress_prefixlen(v)?);
            }
            "suppress_ifgroup" => {
                spec.suppress_ifgroup = Some(values::ifgroup(w.value("suppress_ifgroup")?)?);
            }
            "dscp" => spec.dscp = Some(values::dscp(w.value("dscp")?)?),
            "flowlabel" => spec.flowlabel = Some(values::flowlabel(w.value("flowlabel")?)?),
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
                spec.protocol = Some(
                    RouteProtocol::parse(v)
                        .ok_or_else(|| invarg(v, "\"protocol\" value is invalid"))?,
                );
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
    // As iproute2: an action other than "lookup", or l3mdev, leaves the
    // table unset.
    let other_action = spec.action.is_some_and(|a| a != RuleAction::TO_TBL);
    if add && spec.table.is_none() && (other_action || spec.l3mdev) {
        spec.table = Some(0);
    }
    Ok(spec)
}
