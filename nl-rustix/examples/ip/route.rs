//! `ip route`: show, get, add, replace, del.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{
    Families, Opts, Prefix, Words, duparg, invarg, matches, parse_addr, parse_number, parse_prefix,
    unknown_command,
};
use ipnet::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Scope;
use nl_rustix::nl_proto::route::route::{
    Metric, Route, RouteFlags, RouteProtocol, RouteType, Table,
};
use nl_rustix::{LinkId, Op, RouteSpec, Tables};
use serde_json::{Map, Value};
use std::net::IpAddr;

/// `ip route`.
pub(crate) const OBJECT: Object = Object {
    names: &["route"],
    plan,
};

/// Parse an `ip route` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w);
    };
    // iproute2's order decides abbreviations: `a` is add, `d` delete.
    if matches(cmd, "add") {
        Ok(Plan::Op(Op::AddRoute(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "replace") {
        Ok(Plan::Op(Op::ReplaceRoute(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "append") {
        Ok(Plan::Op(Op::AppendRoute(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "delete") {
        Ok(Plan::Op(Op::DeleteRoute(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(opts, &mut w)
    } else if matches(cmd, "get") {
        get(opts, &mut w)
    } else {
        Err(unknown_command(cmd, "route"))
    }
}

fn bad_value(v: &str, what: &str) -> Failure {
    invarg(v, format_args!("\"{what}\" value is invalid"))
}

fn parse_table(v: &str) -> Result<u32, Failure> {
    Table::parse(v)
        .map(|t| t.0)
        .ok_or_else(|| bad_value(v, "table"))
}

/// `[TYPE] [to] PREFIX|default [via GW] [dev NAME] [table ID] [proto P]
/// [metric N] [scope S] [src IP] [mtu N]`.
fn parse_spec(opts: &Opts, w: &mut Words<'_>) -> Result<RouteSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut dst = None;
    let mut kind = RouteType::UNICAST;
    let mut gateway = None;
    let mut dev = None;
    let mut table = None;
    let mut protocol = None;
    let mut metric = None;
    let mut scope = None;
    let mut prefsrc = None;
    let mut mtu = None;
    while let Some(word) = w.next() {
        match word {
            "via" => {
                let mut v = w.value("via")?;
                if v == "inet" || v == "inet6" {
                    v = w.value("via")?;
                }
                let gw = parse_addr(v, "via")?;
                fam.see("gateway", gw)?;
                gateway = Some(gw);
            }
            "dev" | "oif" => dev = Some(w.value("dev")?),
            "table" => table = Some(parse_table(w.value("table")?)?),
            "proto" | "protocol" => {
                let v = w.value("proto")?;
                protocol = Some(RouteProtocol::parse(v).ok_or_else(|| bad_value(v, "protocol"))?);
            }
            "metric" | "priority" | "preference" => {
                let v = w.value("metric")?;
                metric = Some(parse_number(v).ok_or_else(|| bad_value(v, "metric"))?);
            }
            "scope" => {
                let v = w.value("scope")?;
                scope = Some(Scope::parse(v).ok_or_else(|| bad_value(v, "scope"))?);
            }
            "src" => {
                let v = parse_addr(w.value("src")?, "src")?;
                fam.see("src", v)?;
                prefsrc = Some(v);
            }
            "mtu" => {
                let mut v = w.value("mtu")?;
                if v == "lock" {
                    v = w.value("mtu")?;
                }
                mtu = Some(parse_number(v).ok_or_else(|| bad_value(v, "mtu"))?);
            }
            other => {
                if dst.is_some() {
                    return Err(duparg("to", other, Some("route")));
                }
                let mut word = if other == "to" { w.value("to")? } else { other };
                let starts_digit = word.starts_with(|c: char| c.is_ascii_digit());
                if !starts_digit && word != "default" && !word.contains(':') {
                    if let Some(t) = RouteType::parse(word) {
                        kind = t;
                        word = w.value("type")?;
                    }
                }
                let p = parse_prefix(word, "to")?;
                if let Prefix::Net(n) = p {
                    fam.see("destination", n.addr())?;
                }
                dst = Some(p);
            }
        }
    }
    let Some(dst) = dst else {
        return Err(Failure::arg(
            "Error: destination prefix is required (\"to\").",
        ));
    };
    let dst: IpNet = dst.resolve(fam.family());
    let mut spec = RouteSpec::new(dst).kind(kind);
    spec.gateway = gateway;
    spec.dev = dev.map(LinkId::from);
    spec.table = table;
    spec.protocol = protocol;
    spec.metric = metric;
    spec.scope = scope;
    spec.prefsrc = prefsrc;
    spec.mtu = mtu;
    Ok(spec)
}

/// `show [table ID|all] [dev NAME]`.
fn show(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut tables = Tables::MAIN;
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "table" => {
                let v = w.value("table")?;
                tables = if v == "all" {
                    Tables::All
                } else {
                    Tables::Id(parse_table(v)?)
                };
            }
            "dev" | "oif" => dev = Some(w.value("dev")?.to_string()),
            other => return Err(duparg("to", other, Some("route"))),
        }
    }
    let family = match (opts.family, tables) {
        (Some(f), _) => f.af(),
        // As iproute2: `table all` lists both families, one table IPv4 only.
        (None, Tables::All) => AddrFamily::UNSPEC,
        (None, Tables::Id(_)) => AddrFamily::INET,
    };
    Ok(Plan::run(move |ctx| {
        let oif = dev.as_deref().map(|d| ctx.conn.link_index(d)).transpose()?;
        let routes = ctx.conn.routes(Some(family), tables)?;
        let names = Names::fetch(&mut ctx.conn)?;
        let show_table = matches!(tables, Tables::All);
        let mut out = Vec::new();
        for r in routes.iter().filter(|r| {
            matches!(r.family, AddrFamily::INET | AddrFamily::INET6)
                && oif.is_none_or(|o| r.oif == Some(o))
        }) {
            let f = Fields::of(r, &names, ctx.opts.details, show_table, dev.is_none());
            if ctx.opts.json {
                out.push(f.json());
            } else {
                println!("{}", f.text());
            }
        }
        if ctx.opts.json {
            print_json(out);
        }
        Ok(())
    }))
}

/// `get ADDR`.
fn get(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut addr: Option<IpAddr> = None;
    while let Some(word) = w.next() {
        let word = if word == "to" { w.value("to")? } else { word };
        if addr.is_some() {
            return Err(duparg("to", word, Some("route")));
        }
        let a = parse_addr(word, "to")?;
        Families::new(opts).see("destination", a)?;
        addr = Some(a);
    }
    let Some(addr) = addr else {
        return Err(Failure::arg("need at least a destination address"));
    };
    Ok(Plan::run(move |ctx: &mut Ctx| {
        let r = ctx.conn.route_get(addr)?;
        let names = Names::fetch(&mut ctx.conn)?;
        let f = Fields::of(&r, &names, ctx.opts.details, true, true);
        if ctx.opts.json {
            print_json(vec![f.json()]);
        } else {
            println!("{}", f.text());
        }
        Ok(())
    }))
}

fn host_or_prefix(n: &IpNet) -> String {
    if n.prefix_len() == n.max_prefix_len() {
        n.addr().to_string()
    } else {
        n.to_string()
    }
}

/// The fields iproute2 prints for a route, in its order.
struct Fields {
    list: Vec<(&'static str, Value, String)>,
    cloned_v4: bool,
}

/// iproute2's route flag words, in its order.
const FLAG_ORDER: [(u32, &str); 10] = [
    (0x1, "dead"),
    (0x4, "onlink"),
    (0x2, "pervasive"),
    (0x8, "offload"),
    (0x100, "notify"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x4000, "rt_offload"),
    (0x8000, "rt_trap"),
    (0x2000_0000, "rt_offload_failed"),
];

fn metric_name(m: Metric) -> Option<&'static str> {
    Some(match m {
        Metric::MTU => "mtu",
        Metric::WINDOW => "window",
        Metric::RTT => "rtt",
        Metric::RTTVAR => "rttvar",
        Metric::SSTHRESH => "ssthresh",
        Metric::CWND => "cwnd",
        Metric::ADVMSS => "advmss",
        Metric::REORDERING => "reordering",
        Metric::HOPLIMIT => "hoplimit",
        Metric::INITCWND => "initcwnd",
        Metric::FEATURES => "features",
        Metric::RTO_MIN => "rto_min",
        Metric::INITRWND => "initrwnd",
        Metric::QUICKACK => "quickack",
        _ => return None,
    })
}

impl Fields {
    fn of(r: &Route, names: &Names, details: bool, show_table: bool, show_dev: bool) -> Self {
        let mut list: Vec<(&'static str, Value, String)> = Vec::new();
        let mut push = |k: &'static str, v: Value, t: String| list.push((k, v, t));
        let cloned = r.flags.contains(RouteFlags::CLONED);
        if r.kind != RouteType::UNICAST || details {
            let t = r.kind.to_string();
            push("type", Value::from(t.as_str()), format!("{t} "));
        }
        let dst = if r.dst.prefix_len() == 0 {
            "default".to_string()
        } else {
            host_or_prefix(&r.dst)
        };
        push("dst", Value::from(dst.as_str()), format!("{dst} "));
        if let Some(s) = &r.src {
            let s = host_or_prefix(s);
            push("from", Value::from(s.as_str()), format!("from {s} "));
        }
        if let Some(g) = r.gateway {
            push("gateway", Value::from(g.to_string()), format!("via {g} "));
        }
        if let (Some(o), true) = (r.oif, show_dev) {
            let n = names.name(o);
            push("dev", Value::from(n.as_str()), format!("dev {n} "));
        }
        // As iproute2: not when one table was asked for.
        if show_table && (r.table != Table::MAIN.0 || details) {
            let t = Table(r.table).to_string();
            push("table", Value::from(t.as_str()), format!("table {t} "));
        }
        if !cloned {
            if r.protocol != RouteProtocol::BOOT || details {
                let p = r.protocol.to_string();
                push("protocol", Value::from(p.as_str()), format!("proto {p} "));
            }
            if r.scope != Scope::UNIVERSE || details {
                let s = r.scope.to_string();
                push("scope", Value::from(s.as_str()), format!("scope {s} "));
            }
        }
        if let Some(p) = r.prefsrc {
            push("prefsrc", Value::from(p.to_string()), format!("src {p} "));
        }
        if let Some(m) = r.priority {
            push("metric", Value::from(m), format!("metric {m} "));
        }
        let text_flags: Vec<&'static str> = FLAG_ORDER
            .iter()
            .filter(|(b, _)| r.flags.0 & b != 0)
            .map(|(_, n)| *n)
            .collect();
        push(
            "flags",
            text_flags.iter().map(|f| Value::from(*f)).collect(),
            text_flags.iter().map(|f| format!("{f} ")).collect(),
        );
        if let Some(u) = r.uid {
            push("uid", Value::from(u), format!("uid {u} "));
        }
        if !r.metrics.is_empty() {
            let mut obj = Map::new();
            let mut text = String::new();
            for (m, v) in r.metrics.iter() {
                if let Some(n) = metric_name(m) {
                    obj.insert(n.into(), v.into());
                    text += &format!("{n} {v} ");
                }
            }
            push("metrics", Value::Array(vec![Value::Object(obj)]), text);
        }
        if let Some(p) = r.pref {
            let p = match p {
                0 => "medium".to_string(),
                1 => "high".to_string(),
                3 => "low".to_string(),
                n => n.to_string(),
            };
            push("pref", Value::from(p.as_str()), format!("pref {p}"));
        }
        Self {
            list,
            cloned_v4: cloned && r.family == AddrFamily::INET,
        }
    }

    fn json(&self) -> Value {
        let mut j = Map::new();
        for (k, v, _) in &self.list {
            j.insert((*k).into(), v.clone());
        }
        if self.cloned_v4 {
            j.insert("cache".into(), Value::Array(Vec::new()));
        }
        Value::Object(j)
    }

    fn text(&self) -> String {
        let mut s: String = self.list.iter().map(|(_, _, t)| t.as_str()).collect();
        if self.cloned_v4 {
            s += "\n    cache ";
        }
        s
    }
}
