//! `ip rule show [SELECTOR]`: which rules iproute2 6.1 lists for a
//! selector, and how it prints them.

use crate::fail::Failure;
use crate::plan::Plan;
use crate::render::print_json;
use crate::values;
use crate::words::{Families, Family, Opts, Prefix, Words, invarg, parse_number};
use nl_proto::IpNet;
use nl_rustix::nl_proto::route::route::{RouteProtocol, Table};
use nl_rustix::nl_proto::route::rule::{FLOWLABEL_MAX, Rule, RuleAction, RuleFlags};
use serde_json::{Map, Value};

/// The selectors of `ip rule show`, as iproute2 6.1's `filter_nlmsg`
/// applies them. A mark or mask of 0 is no filter, as there.
#[derive(Debug, Default)]
pub(super) struct Filter {
    not: bool,
    pref: Option<u32>,
    src: Option<IpNet>,
    dst: Option<IpNet>,
    tos: Option<u8>,
    fwmark: u32,
    fwmask: u32,
    iif: Option<String>,
    oif: Option<String>,
    l3mdev: bool,
    uid_range: Option<(u32, u32)>,
    sport: Option<(u16, u16)>,
    dport: Option<(u16, u16)>,
    ip_proto: Option<u8>,
    table: Option<u32>,
    tun_id: Option<u64>,
}

/// Whether the rule's prefix `have` lies inside the selector's `want`
/// (of the same family, at least as long).
fn within(want: Option<IpNet>, have: Option<IpNet>) -> bool {
    match (want, have) {
        (None, _) => true,
        (Some(w), Some(h)) => {
            w.addr().is_ipv4() == h.addr().is_ipv4()
                && w.prefix_len() <= h.prefix_len()
                && w.contains(&h.addr())
        }
        (Some(w), None) => w.prefix_len() == 0,
    }
}

impl Filter {
    /// Read the selectors after `ip rule show`.
    pub(super) fn parse(opts: &Opts, w: &mut Words<'_>) -> Result<Self, Failure> {
        let mut fam = Families::new(opts);
        let mut f = Self::default();
        let prefix = |fam: &mut Families, v: &str| -> Result<Option<IpNet>, Failure> {
            match fam.prefix(v) {
                Ok(Prefix::Net(n)) => Ok(Some(n)),
                Ok(Prefix::Any) => Ok(None),
                Err(_) => Err(Failure::arg(format!(
                    "Error: inet prefix is expected rather than \"{v}\"."
                ))),
            }
        };
        while let Some(word) = w.next() {
            match word {
                "not" => f.not = true,
                "preference" | "order" | "priority" | "pref" | "prio" => {
                    let v = w.value("preference")?;
                    f.pref = Some(
                        parse_number(v).ok_or_else(|| invarg(v, "preference value is invalid"))?,
                    );
                }
                "from" | "src" => f.src = prefix(&mut fam, w.value("from")?)?,
                "tos" | "dsfield" => f.tos = Some(values::tos(w.value("tos")?)?),
                "fwmark" => {
                    let (mark, mask) = values::fwmark(w.value("fwmark")?)?;
                    f.fwmark = mark;
                    f.fwmask = mask.unwrap_or(0);
                }
                "dev" | "iif" => f.iif = Some(w.value("iif")?.to_string()),
                "oif" => f.oif = Some(w.value("oif")?.to_string()),
                "l3mdev" => f.l3mdev = true,
                "uidrange" => f.uid_range = Some(values::uid_range(w.value("uidrange")?)?),
                "sport" => f.sport = Some(values::port_range(w.value("sport")?)?),
                "dport" => f.dport = Some(values::port_range(w.value("dport")?)?),
                "ipproto" => f.ip_proto = Some(values::ip_proto(w.value("ipproto")?)?),
                "tun_id" => f.tun_id = Some(values::tun_id(w.value("tun_id")?)?),
                "table" | "lookup" => {
                    let v = w.value("table")?;
                    f.table = Some(
                        Table::parse(v)
                            .ok_or_else(|| invarg(v, "table id value is invalid"))?
                            .0,
                    );
                }
                // iproute2 6.1 reads it and filters on nothing.
                "protocol" | "proto" => {
                    let v = w.value("protocol")?;
                    RouteProtocol::parse(v).ok_or_else(|| invarg(v, "invalid \"protocol\""))?;
                }
                "to" | "dst" => f.dst = prefix(&mut fam, w.value("to")?)?,
                // A bare prefix is a destination.
                other => f.dst = prefix(&mut fam, other)?,
            }
        }
        Ok(f)
    }

    fn keeps(&self, r: &Rule) -> bool {
        (!self.not || r.flags.contains(RuleFlags::INVERT))
            && self.pref.is_none_or(|p| p == r.pref())
            && within(self.src, r.src)
            && within(self.dst, r.dst)
            && self.tos.is_none_or(|t| t == r.tos)
            && (self.fwmark == 0 || r.fwmark == Some(self.fwmark))
            && (self.fwmask == 0 || r.fwmask == Some(self.fwmask))
            && self
                .iif
                .as_deref()
                .is_none_or(|i| r.iif.as_ref().is_some_and(|n| n.as_str() == i))
            && self
                .oif
                .as_deref()
                .is_none_or(|o| r.oif.as_ref().is_some_and(|n| n.as_str() == o))
            && (!self.l3mdev || r.l3mdev)
            && (self.uid_range.is_none() || self.uid_range == r.uid_range)
            && (self.sport.is_none() || self.sport == r.sport_range)
            && (self.dport.is_none() || self.dport == r.dport_range)
            && (self.ip_proto.is_none() || self.ip_proto == r.ip_proto)
            && (self.tun_id.is_none() || self.tun_id == r.tun_id)
            && self.table.is_none_or(|t| t == r.table)
    }
}

/// `ip rule [show [SELECTOR]]`.
pub(super) fn show(filter: Filter) -> Plan {
    Plan::run(move |ctx| {
        let family = ctx.opts.family.map(Family::af);
        let rules = ctx.conn.rules(family)?;
        let rules = rules.iter().filter(|r| filter.keeps(r));
        let details = ctx.opts.details;
        if ctx.opts.json {
            print_json(&ctx.opts, rules.map(|r| fields(r, details).0).collect());
        } else {
            for r in rules {
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

/// The text and JSON of one rule, built side by side.
struct Out {
    j: Map<String, Value>,
    s: String,
}

impl Out {
    /// ` KEY VALUE` in the text, `"json": value` in the JSON.
    fn put(&mut self, json: &str, text: &str, v: impl Into<Value> + std::fmt::Display) {
        self.s += &format!(" {text} {v}");
        self.j.insert(json.into(), v.into());
    }

    /// A range as iproute2 prints it: `N` (json `KEY`) when both ends are
    /// equal, else `A-B` (json `KEY_start`, `KEY_end`).
    fn range(&mut self, json: &str, text: &str, (a, b): (u32, u32), single: bool) {
        if single && a == b {
            self.put(json, text, a);
        } else {
            self.s += &format!(" {text} {a}-{b}");
            self.j.insert(format!("{json}_start"), a.into());
            self.j.insert(format!("{json}_end"), b.into());
        }
    }
}

/// The rule as `ip -j rule` and `ip rule` print it (iproute2 6.1's
/// `print_rule`, in its order).
fn fields(r: &Rule, details: bool) -> (Value, String) {
    let p = r.pref();
    let mut o = Out {
        j: Map::new(),
        s: format!("{p}:\t"),
    };
    o.j.insert("priority".into(), p.into());
    if r.flags.contains(RuleFlags::INVERT) {
        o.j.insert("not".into(), Value::Null);
        o.s += "not ";
    }
    match r.src {
        Some(n) => {
            o.j.insert("src".into(), n.addr().to_string().into());
            o.s += &format!("from {}", n.addr());
            if n.prefix_len() != n.max_prefix_len() {
                o.j.insert("srclen".into(), n.prefix_len().into());
                o.s += &format!("/{}", n.prefix_len());
            }
        }
        None => {
            o.j.insert("src".into(), "all".into());
            o.s += "from all";
        }
    }
    if let Some(n) = r.dst {
        o.j.insert("dst".into(), n.addr().to_string().into());
        o.s += &format!(" to {}", n.addr());
        if n.prefix_len() != n.max_prefix_len() {
            o.j.insert("dstlen".into(), n.prefix_len().into());
            o.s += &format!("/{}", n.prefix_len());
        }
    }
    if r.tos != 0 {
        o.put("tos", "tos", values::tos_name(r.tos));
    }
    if let Some(d) = r.dscp {
        o.put("dscp", "dscp", d);
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        let mark = r.fwmark.unwrap_or(0);
        let mask = r.fwmask.unwrap_or(u32::MAX);
        o.put("fwmark", "fwmark", hex(mark));
        if mask != u32::MAX {
            o.j.insert("fwmask".into(), hex(mask).into());
            o.s += &format!("/{}", hex(mask));
        }
    }
    for (name, json, detached, flag) in [
        ("iif", &r.iif, "iif_detached", RuleFlags::IIF_DETACHED),
        ("oif", &r.oif, "oif_detached", RuleFlags::OIF_DETACHED),
    ] {
        if let Some(i) = json {
            o.put(name, name, i.as_str());
            if r.flags.contains(flag) {
                o.j.insert(detached.into(), Value::Null);
                o.s += " [detached]";
            }
        }
    }
    if r.l3mdev {
        o.j.insert("l3mdev".into(), Value::Null);
        o.s += " lookup [l3mdev-table]";
    }
    if let Some(u) = r.uid_range {
        o.range("uid", "uidrange", u, false);
    }
    if let Some(p) = r.ip_proto {
        o.put("ipproto", "ipproto", values::ip_proto_name(p));
    }
    for (name, range) in [("sport", r.sport_range), ("dport", r.dport_range)] {
        if let Some((a, b)) = range {
            o.range(name, name, (a.into(), b.into()), true);
        }
    }
    if let Some((label, mask)) = r.flowlabel {
        o.put("flowlabel", "flowlabel", hex(label));
        if mask != FLOWLABEL_MAX {
            o.j.insert("flowlabel_mask".into(), hex(mask).into());
            o.s += &format!("/{}", hex(mask));
        }
    }
    if let Some(t) = r.tun_id {
        o.put("tun_id", "tun_id", t);
    }
    if r.table != 0 {
        o.put("table", "lookup", Table(r.table).to_string());
        if let Some(l) = r.suppress_prefixlen {
            o.put("suppress_prefixlen", "suppress_prefixlength", l);
        }
        if let Some(g) = r.suppress_ifgroup {
            o.put(
                "suppress_ifgroup",
                "suppress_ifgroup",
                values::ifgroup_name(g),
            );
        }
    }
    if let Some(flow) = r.flow {
        let (from, to) = (flow >> 16, flow & 0xffff);
        o.s += " realms ";
        if from != 0 {
            let f = values::realm_name(from);
            o.s += &format!("{f}/");
            o.j.insert("flow_from".into(), f.into());
        }
        let t = values::realm_name(to);
        o.s += &t;
        o.j.insert("flow_to".into(), t.into());
    }
    match r.action {
        RuleAction::TO_TBL => {}
        RuleAction::GOTO => {
            let g = r.goto.unwrap_or(0);
            o.j.insert("goto".into(), g.into());
            o.s += &format!(" goto {g}");
            if r.flags.contains(RuleFlags::UNRESOLVED) {
                o.j.insert("unresolved".into(), Value::Null);
                o.s += " [unresolved]";
            }
        }
        a => {
            let n = a.to_string();
            o.s += &format!(" {n}");
            o.j.insert("action".into(), n.into());
        }
    }
    if let Some(p) = r.protocol {
        if (p.0 != 0 && p != RouteProtocol::KERNEL) || details {
            o.put("protocol", "proto", p.to_string());
        }
    }
    (Value::Object(o.j), o.s)
}
