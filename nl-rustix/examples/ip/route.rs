//! `ip route`: show (with iproute2's selectors), get, flush, add,
//! change, replace, prepend, append, del.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{self, Json, Names, rt_flag_words};
use crate::values;
use crate::words::{
    Families, Family, Opts, Prefix, Words, duparg, invarg, matches, parse_number, unknown_command,
};
use nl_proto::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Scope;
use nl_rustix::nl_proto::route::route::{
    Metric, Route, RouteExtras, RouteFlags, RouteGet, RouteProtocol, RouteType, Table,
};
use nl_rustix::{LegSpec, LinkId, Op, RouteSpec, Tables};
use std::fmt;
use std::io::{self, Write};
use std::net::IpAddr;

/// `ip route`.
pub(crate) const OBJECT: Object = Object {
    names: &["route"],
    plan,
};

const USAGE: &str = "Usage: ip route { list | flush } SELECTOR
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | seg6 ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
ROUTE_GET_FLAGS := [ fibmatch ]";

/// iproute2's `usage()`: exit 255.
fn usage() -> Failure {
    Failure::usage(USAGE)
}

/// Parse an `ip route` command line (iproute2's order of commands, so
/// abbreviations resolve alike: `a` add, `c` change, `d` delete).
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w);
    };
    let op: fn(RouteSpec) -> Op = if matches(cmd, "add") {
        Op::AddRoute
    } else if matches(cmd, "change") || cmd == "chg" {
        Op::ChangeRoute
    } else if matches(cmd, "replace") {
        Op::ReplaceRoute
    } else if matches(cmd, "prepend") {
        Op::PrependRoute
    } else if matches(cmd, "append") {
        Op::AppendRoute
    } else if matches(cmd, "delete") {
        Op::DeleteRoute
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        return show(opts, &mut w);
    } else if matches(cmd, "get") {
        return get(opts, &mut w);
    } else if matches(cmd, "flush") {
        return flush(opts, &mut w);
    } else if matches(cmd, "help") {
        return Err(usage());
    } else {
        return Err(unknown_command(cmd, "route"));
    };
    Ok(Plan::Op(op(parse_spec(opts, &mut w)?)))
}

fn bad_value(v: &str, what: &str) -> Failure {
    invarg(v, format_args!("\"{what}\" value is invalid"))
}

fn parse_table(v: &str) -> Result<u32, Failure> {
    Table::parse(v)
        .map(|t| t.0)
        .ok_or_else(|| bad_value(v, "table"))
}

/// `via [inet|inet6] ADDR`: a gateway of the route's family, or — named
/// with its family — one of the other family (`RTA_VIA`); the flag says
/// which.
fn parse_via(w: &mut Words<'_>, fam: &mut Families) -> Result<(IpAddr, bool), Failure> {
    let v = w.value("via")?;
    let named = match v {
        "inet" => Some(Family::V4),
        "inet6" => Some(Family::V6),
        _ => None,
    };
    let v = if named.is_some() { w.value("via")? } else { v };
    if let (Some(n), Some(f)) = (named, fam.family()) {
        if n != f {
            let ip: IpAddr = v
                .parse()
                .ok()
                .filter(|ip: &IpAddr| ip.is_ipv6() == (n == Family::V6))
                .ok_or_else(|| {
                    let name = if n == Family::V6 { "inet6" } else { "inet" };
                    Failure::arg(format!(
                        "Error: {name} address is expected rather than \"{v}\"."
                    ))
                })?;
            return Ok((ip, true));
        }
    }
    Ok((fam.addr(v)?, false))
}

/// `nexthop via [inet|inet6] ADDR [dev NAME] [weight N] [onlink] nexthop …`
/// up to the end of the line (as iproute2 reads them).
fn parse_nexthops(w: &mut Words<'_>, fam: &mut Families) -> Result<Vec<LegSpec>, Failure> {
    let mut hops = Vec::new();
    let mut hop: Option<LegSpec> = None;
    let new_hop = || LegSpec {
        gateway: None,
        dev: None,
        weight: 1,
        onlink: false,
    };
    // The `nexthop` keyword that led here opens the first.
    hop.replace(new_hop());
    while let Some(word) = w.next() {
        let Some(h) = hop.as_mut() else {
            break;
        };
        match word {
            "nexthop" => hops.extend(hop.replace(new_hop())),
            "via" => h.gateway = Some(parse_via(w, fam)?.0),
            "dev" => h.dev = Some(LinkId::from(w.value("dev")?)),
            "weight" => {
                let v = w.value("weight")?;
                h.weight = parse_number::<u16>(v)
                    .filter(|n| (1..=256).contains(n))
                    .ok_or_else(|| invarg(v, "\"weight\" is invalid"))?;
            }
            "onlink" => h.onlink = true,
            other => {
                return Err(Failure::usage(format!(
                    "Error: \"nexthop\" or end of line is expected instead of \"{other}\""
                )));
            }
        }
    }
    hops.extend(hop);
    Ok(hops)
}

/// `[TYPE] [to] PREFIX|default [via GW] [dev NAME] [table ID] [proto P]
/// [metric N] [scope S] [src IP] [mtu [lock] N]`.
fn parse_spec(opts: &Opts, w: &mut Words<'_>) -> Result<RouteSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut dst = None;
    let mut kind = RouteType::UNICAST;
    let mut gateway = None;
    let mut via = None;
    let mut nh_id = None;
    let mut nexthops = Vec::new();
    let mut onlink = false;
    let mut dev = None;
    let mut table = None;
    let mut protocol = None;
    let mut metric = None;
    let mut scope = None;
    let mut prefsrc = None;
    let mut mtu = None;
    let mut congctl = None;
    let mut encap = None;
    while let Some(word) = w.next() {
        match word {
            "encap" => encap = Some(crate::encap::parse(w)?),
            _ if matches(word, "congctl") => {
                let mut v = w.value("congctl")?;
                let lock = v == "lock";
                if lock {
                    v = w.value("congctl")?;
                }
                congctl = Some((v.to_string(), lock));
            }
            "via" => match parse_via(w, &mut fam)? {
                (ip, false) => gateway = Some(ip),
                (ip, true) => via = Some(ip),
            },
            "nhid" => {
                let v = w.value("nhid")?;
                nh_id = Some(parse_number(v).ok_or_else(|| invarg(v, "\"id\" value is invalid"))?);
            }
            "nexthop" => nexthops = parse_nexthops(w, &mut fam)?,
            "onlink" => onlink = true,
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
                scope = Some(Scope::parse(v).ok_or_else(|| invarg(v, "invalid \"scope\" value"))?);
            }
            "src" => prefsrc = Some(fam.addr(w.value("src")?)?),
            "mtu" => {
                let mut v = w.value("mtu")?;
                if v == "lock" {
                    v = w.value("mtu")?;
                }
                mtu = Some(parse_number(v).ok_or_else(|| bad_value(v, "mtu"))?);
            }
            other => {
                if dst.is_some() {
                    return Err(duparg("to", other));
                }
                let mut word = if other == "to" { w.value("to")? } else { other };
                let starts_digit = word.starts_with(|c: char| c.is_ascii_digit());
                if !starts_digit && word != "default" && !word.contains(':') {
                    if let Some(t) = RouteType::parse(word) {
                        kind = t;
                        word = w.value("type")?;
                    }
                }
                dst = Some(fam.prefix(word)?);
            }
        }
    }
    let Some(dst) = dst else {
        return Err(usage());
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
    if let Some((name, lock)) = congctl {
        spec.congctl = Some(name);
        spec.congctl_lock = lock;
    }
    spec.via_other_family = via;
    spec.encap = encap;
    spec.nh_id = nh_id;
    spec.nexthops = nexthops;
    spec.onlink = onlink;
    Ok(spec)
}

/// The selectors of `ip route show` and `ip route flush`.
#[derive(Debug, Clone)]
struct Filter {
    tables: Tables,
    /// `-4`/`-6` (the dump's family; a prefix of the other family then
    /// matches nothing, as in iproute2).
    family: Option<Family>,
    /// `root P`: routes inside P.
    root: Option<IpNet>,
    /// `match P`: routes that cover P (`exact P` sets both).
    covers: Option<IpNet>,
    protocol: Option<RouteProtocol>,
    scope: Option<Scope>,
    types: Vec<RouteType>,
    dev: Option<String>,
    via: Option<IpNet>,
    prefsrc: Option<IpNet>,
    metric: Option<u32>,
    /// Any selector was given (`flush` requires one).
    given: bool,
}

impl Filter {
    fn parse(opts: &Opts, w: &mut Words<'_>) -> Result<Self, Failure> {
        let mut fam = Families::new(opts);
        let mut f = Self {
            tables: Tables::MAIN,
            family: None,
            root: None,
            covers: None,
            protocol: None,
            scope: None,
            types: Vec::new(),
            dev: None,
            via: None,
            prefsrc: None,
            metric: None,
            given: false,
        };
        while let Some(word) = w.next() {
            f.given = true;
            match word {
                _ if matches(word, "table") => {
                    let v = w.value("table")?;
                    f.tables = if v == "all" {
                        Tables::All
                    } else {
                        Tables::Id(
                            Table::parse(v)
                                .ok_or_else(|| invarg(v, "table id value is invalid"))?
                                .0,
                        )
                    };
                }
                _ if matches(word, "protocol") => {
                    let v = w.value("protocol")?;
                    if v != "all" {
                        f.protocol = Some(
                            RouteProtocol::parse(v)
                                .ok_or_else(|| invarg(v, "invalid \"protocol\""))?,
                        );
                    }
                }
                _ if matches(word, "scope") => {
                    let v = w.value("scope")?;
                    if v != "all" {
                        f.scope =
                            Some(Scope::parse(v).ok_or_else(|| invarg(v, "invalid \"scope\""))?);
                    }
                }
                _ if matches(word, "type") => {
                    let v = w.value("type")?;
                    f.types.push(
                        RouteType::parse(v)
                            .ok_or_else(|| invarg(v, "node type value is invalid"))?,
                    );
                }
                "dev" | "oif" => f.dev = Some(w.value("dev")?.to_string()),
                "via" => {
                    let mut v = w.value("via")?;
                    if v == "inet" || v == "inet6" {
                        v = w.value("via")?;
                    }
                    f.via = Some(fam.prefix(v)?.resolve(fam.family()));
                }
                "src" => f.prefsrc = Some(fam.prefix(w.value("src")?)?.resolve(fam.family())),
                _ if matches(word, "metric")
                    || matches(word, "priority")
                    || word == "preference" =>
                {
                    let v = w.value("metric")?;
                    f.metric = Some(
                        parse_number(v).ok_or_else(|| invarg(v, "\"metric\" value is invalid"))?,
                    );
                }
                other => {
                    let word = if other == "to" { w.value("to")? } else { other };
                    let (root, covers) = if matches(word, "root") {
                        (true, false)
                    } else if matches(word, "match") {
                        (false, true)
                    } else {
                        (true, true)
                    };
                    let word = if matches(word, "root")
                        || matches(word, "match")
                        || matches(word, "exact")
                    {
                        w.value("to")?
                    } else {
                        word
                    };
                    let p = match fam.prefix(word)? {
                        Prefix::Any if word != "default" => continue,
                        p => p.resolve(fam.family()),
                    };
                    if root {
                        f.root = Some(p);
                    }
                    if covers {
                        f.covers = Some(p);
                    }
                }
            }
        }
        f.family = opts.family;
        Ok(f)
    }

    /// The family to dump.
    fn dump_family(&self) -> AddrFamily {
        match (self.family, self.tables) {
            (Some(f), _) => f.af(),
            // As iproute2: `table all` lists both families, one table IPv4 only.
            (None, Tables::All) => AddrFamily::UNSPEC,
            (None, Tables::Id(_)) => AddrFamily::INET,
        }
    }

    fn wants(&self, r: &Route, oif: Option<u32>) -> bool {
        let same_family = |p: &IpNet| p.addr().is_ipv4() == (r.family == AddrFamily::INET);
        if let Some(p) = &self.root {
            if !same_family(p)
                || r.dst.prefix_len() < p.prefix_len()
                || !p.trunc().contains(&r.dst.addr())
            {
                return false;
            }
        }
        if let Some(p) = &self.covers {
            if !same_family(p)
                || r.dst.prefix_len() > p.prefix_len()
                || !r.dst.trunc().contains(&p.addr())
            {
                return false;
            }
        }
        let inside = |p: &Option<IpNet>, a: Option<IpAddr>| {
            p.is_none_or(|p| a.is_some_and(|a| p.trunc().contains(&a)))
        };
        self.protocol.is_none_or(|p| r.protocol == p)
            && self.scope.is_none_or(|s| r.scope == s)
            && (self.types.is_empty() || self.types.contains(&r.kind))
            && oif.is_none_or(|o| r.oif == Some(o))
            && inside(&self.via, r.gateway)
            && inside(&self.prefsrc, r.prefsrc)
            && self.metric.is_none_or(|m| r.priority.unwrap_or(0) == m)
    }

    /// The index of `dev NAME`, if given.
    fn oif(&self, ctx: &mut Ctx) -> Result<Option<u32>, Failure> {
        Ok(self
            .dev
            .as_deref()
            .map(|d| ctx.conn.link_index(d))
            .transpose()?)
    }

    /// Call `each` on every route the filter selects (cloned routes left
    /// out), one message at a time as the dump arrives.
    fn each(
        &self,
        ctx: &mut Ctx,
        oif: Option<u32>,
        mut each: impl FnMut(&Route, &RouteExtras) -> io::Result<()>,
    ) -> Result<(), Failure> {
        let family = self.dump_family();
        let table = match self.tables {
            Tables::Id(t) => Some(t),
            Tables::All => None,
        };
        let result = ctx.conn.dump(
            move |w| nl_rustix::nl_proto::route::route::encode_dump(w, family, table),
            |m| {
                let (r, x) = match Route::decode_full(m) {
                    Ok(v) => v,
                    // Families the codec does not model (e.g. MPLS).
                    Err(nl_rustix::nl_proto::DecodeError::OutOfRange {
                        what: "rtm_family",
                        ..
                    }) => return Ok(()),
                    Err(e) => return Err(e.into()),
                };
                let wanted = table.is_none_or(|t| r.table == t)
                    && !r.flags.contains(RouteFlags::CLONED)
                    && matches!(r.family, AddrFamily::INET | AddrFamily::INET6)
                    && self.wants(&r, oif);
                if wanted {
                    each(&r, &x).map_err(|e| render::write_error(&e))?;
                }
                Ok(())
            },
        );
        match result {
            Ok(interrupted) => {
                if interrupted {
                    eprintln!("Dump was interrupted and may be inconsistent.");
                }
                Ok(())
            }
            // The kernel ends a dump of an IPv4 table that does not exist
            // yet with ENOENT; an empty main table is simply empty.
            Err(e) if e.errno() == Some(libc::ENOENT) && self.tables == Tables::MAIN => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The routes the filter selects (cloned routes left out).
    fn select(&self, ctx: &mut Ctx) -> Result<Vec<Route>, Failure> {
        let oif = self.oif(ctx)?;
        let mut routes = Vec::new();
        self.each(ctx, oif, |r, _| {
            routes.push(r.clone());
            Ok(())
        })?;
        Ok(routes)
    }

    /// What iproute2 leaves out of each line because the filter fixed it.
    fn hide(&self) -> Hide {
        let host = |p: &Option<IpNet>| p.is_some_and(|p| p.prefix_len() == p.max_prefix_len());
        Hide {
            dev: self.dev.is_some(),
            table: !matches!(self.tables, Tables::All),
            protocol: self.protocol.is_some(),
            scope: self.scope.is_some(),
            via: host(&self.via),
            prefsrc: host(&self.prefsrc),
            metric: self.metric.is_some(),
        }
    }
}

/// `show SELECTOR`: streamed, one route per message, straight to a
/// buffered stdout (constant memory whatever the table's size).
fn show(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w)?;
    Ok(Plan::run(move |ctx| {
        let oif = filter.oif(ctx)?;
        let names = Names::fetch(&mut ctx.conn)?;
        let hide = filter.hide();
        let (json, pretty, details) = (ctx.opts.json, ctx.opts.pretty, ctx.opts.details);
        let mut out = Json::new(render::stdout(), pretty);
        if json {
            out.begin_array().map_err(|e| render::write_error(&e))?;
        }
        filter.each(ctx, oif, |r, x| {
            let shown = Shown::of(r, x, &names, details, &hide);
            if json {
                shown.json(&mut out)
            } else {
                let w = out.inner();
                shown.text(w)?;
                w.write_all(b"\n")
            }
        })?;
        let end = |out: &mut render::Out| -> io::Result<()> {
            if json {
                out.end_array()?;
                out.inner().write_all(b"\n")?;
            }
            out.inner().flush()
        };
        end(&mut out).map_err(|e| render::write_error(&e))?;
        Ok(())
    }))
}

/// `flush SELECTOR`: delete what `show SELECTOR` lists, pipelined.
fn flush(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w)?;
    if !filter.given {
        return Err(Failure::arg("\"ip route flush\" requires arguments."));
    }
    Ok(Plan::run(move |ctx| {
        let ops: Vec<Op> = filter
            .select(ctx)?
            .iter()
            .map(|r| {
                let mut spec = RouteSpec::new(r.dst).kind(r.kind);
                spec.table = Some(r.table);
                spec.dev = r.oif.map(LinkId::Index);
                spec.gateway = r.gateway;
                spec.protocol = Some(r.protocol);
                spec.metric = r.priority;
                Op::DeleteRoute(spec)
            })
            .collect();
        for result in ctx.conn.apply(&ops)? {
            match result {
                // Gone already (with its link or its prefix's address).
                Err(e) if e.errno() == Some(libc::ESRCH) => {}
                other => other?,
            }
        }
        Ok(())
    }))
}

/// `get [to] ADDR [from ADDR] [iif NAME] [oif NAME] [mark N] [fibmatch]`.
fn get(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut fam = Families::new(opts);
    let mut dst: Option<IpAddr> = None;
    let mut src = None;
    let mut iif = None;
    let mut oif = None;
    let mut mark = None;
    let mut fib_match = false;
    let mut flow = RouteGet::new(IpAddr::from([0, 0, 0, 0]));
    // iproute2's order of keywords, so abbreviations resolve alike.
    while let Some(word) = w.next() {
        match word {
            _ if word == "tos" || matches(word, "dsfield") => {
                flow.tos = values::tos(w.value(word)?)?
            }
            _ if matches(word, "from") => {
                src = Some(fam.prefix(w.value("from")?)?.resolve(fam.family()).addr());
            }
            _ if matches(word, "iif") => iif = Some(w.value("iif")?.to_string()),
            _ if matches(word, "mark") => {
                let v = w.value("mark")?;
                mark = Some(parse_number(v).ok_or_else(|| invarg(v, "invalid mark value"))?);
            }
            _ if matches(word, "oif") || word == "dev" => {
                oif = Some(w.value("oif")?.to_string());
            }
            _ if matches(word, "uid") => {
                let v = w.value("uid")?;
                flow.uid = Some(parse_number(v).ok_or_else(|| invarg(v, "invalid UID"))?);
            }
            _ if matches(word, "fibmatch") => fib_match = true,
            _ if matches(word, "sport") => {
                let v = w.value("sport")?;
                flow.sport = Some(parse_number(v).ok_or_else(|| invarg(v, "invalid sport"))?);
            }
            _ if matches(word, "dport") => {
                let v = w.value("dport")?;
                flow.dport = Some(parse_number(v).ok_or_else(|| invarg(v, "invalid dport"))?);
            }
            _ if matches(word, "ipproto") => {
                let v = w.value("ipproto")?;
                flow.ip_proto =
                    Some(values::ip_proto(v).map_err(|_| invarg(v, "Invalid \"ipproto\" value"))?);
            }
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                if matches(word, "help") {
                    return Err(usage());
                }
                if dst.is_some() {
                    // iproute2 takes the last destination given.
                }
                dst = Some(fam.prefix(word)?.resolve(fam.family()).addr());
            }
        }
    }
    let Some(dst) = dst else {
        return Err(Failure::arg("need at least a destination address"));
    };
    Ok(Plan::run(move |ctx: &mut Ctx| {
        let mut req = RouteGet { dst, ..flow };
        req.src = src;
        req.mark = mark;
        req.fib_match = fib_match;
        req.iif = iif.as_deref().map(|d| ctx.conn.link_index(d)).transpose()?;
        req.oif = oif.as_deref().map(|d| ctx.conn.link_index(d)).transpose()?;
        let (r, x) = ctx.conn.route_lookup_full(&req)?;
        let names = Names::fetch(&mut ctx.conn)?;
        let shown = Shown::of(&r, &x, &names, ctx.opts.details, &Hide::default());
        let mut out = Json::new(render::stdout(), ctx.opts.pretty);
        let write = |out: &mut render::Out| -> io::Result<()> {
            if ctx.opts.json {
                out.begin_array()?;
                shown.json(out)?;
                out.end_array()?;
            } else {
                shown.text(out.inner())?;
            }
            out.inner().write_all(b"\n")?;
            out.inner().flush()
        };
        write(&mut out).map_err(|e| render::write_error(&e))?;
        Ok(())
    }))
}

/// Fields iproute2 leaves out of a listing because its filter fixed them.
#[derive(Debug, Default)]
struct Hide {
    dev: bool,
    table: bool,
    protocol: bool,
    scope: bool,
    via: bool,
    prefsrc: bool,
    metric: bool,
}

/// The `RTCF_*` words of a cached IPv4 route (`rtm_flags` above bit 16),
/// in iproute2's order; bits it has no word for in hex.
fn cache_words(flags: u32) -> Vec<String> {
    const RTCF: [(u32, &str); 14] = [
        (0x8000_0000, "local"),
        (0x4000_0000, "reject"),
        (0x2000_0000, "mc"),
        (0x1000_0000, "brd"),
        (0x0800_0000, "dst-nat"),
        (0x0080_0000, "src-nat"),
        (0x0040_0000, "masq"),
        (0x0002_0000, "dst-direct"),
        (0x0400_0000, "src-direct"),
        (0x0004_0000, "redirected"),
        (0x0100_0000, "redirect"),
        (0x0020_0000, "fastroute"),
        (0x0001_0000, "notify"),
        (0x0008_0000, "tproxy"),
    ];
    let high = flags & !0xffff;
    let mut words: Vec<String> = RTCF
        .iter()
        .filter(|(bit, _)| high & bit != 0)
        .map(|(_, w)| (*w).to_string())
        .collect();
    let rest = RTCF.iter().fold(high, |r, (bit, _)| r & !bit);
    if rest != 0 {
        words.push(format!("{rest:x}"));
    }
    words
}

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

/// `RTA_PREF` as iproute2 names it.
struct Pref(u8);

impl fmt::Display for Pref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("medium"),
            1 => f.write_str("high"),
            3 => f.write_str("low"),
            n => n.fmt(f),
        }
    }
}

fn family_word(ip: IpAddr) -> &'static str {
    if ip.is_ipv4() { "inet" } else { "inet6" }
}

/// What iproute2 shows of one route: decided once, then written as text
/// or JSON straight from the decoded route (nothing is built per field).
struct Shown<'r> {
    r: &'r Route,
    x: &'r RouteExtras,
    names: &'r Names,
    kind: bool,
    gateway: Option<IpAddr>,
    /// A gateway of the other family (`RTA_VIA`, read into `gateway`):
    /// iproute2 prints it as `via inet6 …`.
    via: Option<IpAddr>,
    dev: Option<u32>,
    table: bool,
    protocol: bool,
    scope: bool,
    prefsrc: Option<IpAddr>,
    metric: Option<u32>,
    /// An IPv4 route from the cache (`ip route get`): its `cache` flag
    /// words (`RTCF_*`).
    cache: bool,
}

impl<'r> Shown<'r> {
    fn of(r: &'r Route, x: &'r RouteExtras, names: &'r Names, details: bool, hide: &Hide) -> Self {
        let other = |g: &IpAddr| g.is_ipv4() != (r.family == AddrFamily::INET);
        let cloned = r.flags.contains(RouteFlags::CLONED);
        Self {
            r,
            x,
            names,
            kind: r.kind != RouteType::UNICAST || details,
            gateway: r.gateway.filter(|g| !other(g) && !hide.via),
            via: r.gateway.filter(other),
            dev: r.oif.filter(|_| !hide.dev),
            // As iproute2: not when one table was asked for, and never
            // table 0 (what an l3mdev rule's lookup answers).
            table: !hide.table && r.table != 0 && (r.table != Table::MAIN.0 || details),
            protocol: !cloned && (r.protocol != RouteProtocol::BOOT || details) && !hide.protocol,
            scope: !cloned && (r.scope != Scope::UNIVERSE || details) && !hide.scope,
            prefsrc: r.prefsrc.filter(|_| !hide.prefsrc),
            metric: r.priority.filter(|_| !hide.metric),
            cache: cloned && r.family == AddrFamily::INET,
        }
    }

    /// One line (without its newline), as `ip route show` prints it.
    fn text(&self, w: &mut impl Write) -> io::Result<()> {
        let (r, x) = (self.r, self.x);
        if self.kind {
            write!(w, "{} ", r.kind)?;
        }
        if r.dst.prefix_len() == 0 {
            w.write_all(b"default ")?;
        } else {
            render::write_host_or_prefix(w, &r.dst)?;
            w.write_all(b" ")?;
        }
        if let Some(s) = &r.src {
            w.write_all(b"from ")?;
            render::write_host_or_prefix(w, s)?;
            w.write_all(b" ")?;
        }
        if let Some(id) = r.nh_id {
            write!(w, "nhid {id} ")?;
        }
        if let Some(e) = &x.encap {
            for (_, text, _) in crate::encap::words(e) {
                w.write_all(text.as_bytes())?;
            }
        }
        if let Some(g) = self.gateway {
            w.write_all(b"via ")?;
            render::write_ip(w, g)?;
            w.write_all(b" ")?;
        }
        if let Some(v) = self.via {
            write!(w, "via {} {v} ", family_word(v))?;
        }
        if let Some(o) = self.dev {
            w.write_all(b"dev ")?;
            self.names.display(o).write(w)?;
            w.write_all(b" ")?;
        }
        if self.table {
            write!(w, "table {} ", Table(r.table))?;
        }
        if self.protocol {
            write!(w, "proto {} ", r.protocol)?;
        }
        if self.scope {
            write!(w, "scope {} ", r.scope)?;
        }
        if let Some(p) = self.prefsrc {
            w.write_all(b"src ")?;
            render::write_ip(w, p)?;
            w.write_all(b" ")?;
        }
        if let Some(m) = self.metric {
            w.write_all(b"metric ")?;
            render::write_u64(w, m.into())?;
            w.write_all(b" ")?;
        }
        for f in rt_flag_words(r.flags.0) {
            w.write_all(f.as_bytes())?;
            w.write_all(b" ")?;
        }
        if let Some(m) = x.mark {
            write!(w, "mark {m} ")?;
        }
        if let Some(u) = x.uid {
            write!(w, "uid {u} ")?;
        }
        // As iproute2: a cached route's flags before its metrics.
        if self.cache {
            w.write_all(b"\n    cache ")?;
            let words = cache_words(r.flags.0);
            if !words.is_empty() {
                write!(w, "<{}> ", words.join(","))?;
            }
        }
        let locked = x.metrics.get(Metric::LOCK).unwrap_or(0);
        for (m, v) in x.metrics.iter() {
            if let Some(n) = metric_name(m) {
                let lock = if locked & (1 << m.0) != 0 {
                    "lock "
                } else {
                    ""
                };
                write!(w, "{n} {lock}{v} ")?;
            }
        }
        if let Some(cc) = x.metrics.congctl() {
            let lock = if locked & (1 << Metric::CC_ALGO.0) != 0 {
                "lock "
            } else {
                ""
            };
            write!(w, "congctl {lock}{cc} ")?;
        }
        if let Some(p) = x.pref {
            write!(w, "pref {}", Pref(p))?;
        }
        let v4 = r.family == AddrFamily::INET;
        for h in &x.multipath {
            w.write_all(b"\n\tnexthop ")?;
            if let Some(g) = h.gateway {
                if g.is_ipv4() == v4 {
                    write!(w, "via {g} ")?;
                } else {
                    write!(w, "via {} {g} ", family_word(g))?;
                }
            }
            if h.ifindex != 0 {
                write!(w, "dev {} ", self.names.display(h.ifindex))?;
            }
            write!(w, "weight {} ", h.weight())?;
            for f in rt_flag_words(u32::from(h.flags.0)) {
                write!(w, "{f} ")?;
            }
        }
        Ok(())
    }

    /// One record, as `ip -j route show` prints it.
    fn json<W: Write>(&self, j: &mut Json<W>) -> io::Result<()> {
        let (r, x) = (self.r, self.x);
        j.begin_object()?;
        if self.kind {
            j.str_member("type", r.kind)?;
        }
        j.key("dst")?;
        if r.dst.prefix_len() == 0 {
            j.text("default")?;
        } else {
            j.plain(|w| render::write_host_or_prefix(w, &r.dst))?;
        }
        if let Some(s) = &r.src {
            j.key("from")?;
            j.plain(|w| render::write_host_or_prefix(w, s))?;
        }
        if let Some(id) = r.nh_id {
            j.num_member("nhid", id.into())?;
        }
        if let Some(e) = &x.encap {
            for (key, _, v) in crate::encap::words(e) {
                j.key(key)?;
                j.value(&v)?;
            }
        }
        if let Some(g) = self.gateway {
            j.ip_member("gateway", g)?;
        }
        if let Some(v) = self.via {
            j.key("via")?;
            json_via(j, v)?;
        }
        if let Some(o) = self.dev {
            self.names.display(o).json(j, "dev")?;
        }
        if self.table {
            j.str_member("table", Table(r.table))?;
        }
        if self.protocol {
            j.str_member("protocol", r.protocol)?;
        }
        if self.scope {
            j.str_member("scope", r.scope)?;
        }
        if let Some(p) = self.prefsrc {
            j.ip_member("prefsrc", p)?;
        }
        if let Some(m) = self.metric {
            j.num_member("metric", m.into())?;
        }
        j.key("flags")?;
        json_words(j, rt_flag_words(r.flags.0))?;
        if let Some(m) = x.mark {
            j.num_member("mark", m.into())?;
        }
        if let Some(u) = x.uid {
            j.num_member("uid", u.into())?;
        }
        if self.cache {
            j.key("cache")?;
            j.begin_array()?;
            for word in cache_words(r.flags.0) {
                j.str(word)?;
            }
            j.end_array()?;
        }
        if !x.metrics.is_empty() {
            j.key("metrics")?;
            j.begin_array()?;
            j.begin_object()?;
            for (m, v) in x.metrics.iter() {
                if let Some(n) = metric_name(m) {
                    j.num_member(n, v.into())?;
                }
            }
            if let Some(cc) = x.metrics.congctl() {
                j.key("congestion")?;
                j.text(cc)?;
            }
            j.end_object()?;
            j.end_array()?;
        }
        if let Some(p) = x.pref {
            j.str_member("pref", Pref(p))?;
        }
        if !x.multipath.is_empty() {
            let v4 = r.family == AddrFamily::INET;
            j.key("nexthops")?;
            j.begin_array()?;
            for h in &x.multipath {
                j.begin_object()?;
                if let Some(g) = h.gateway {
                    if g.is_ipv4() == v4 {
                        j.str_member("gateway", g)?;
                    } else {
                        j.key("via")?;
                        json_via(j, g)?;
                    }
                }
                if h.ifindex != 0 {
                    j.str_member("dev", self.names.display(h.ifindex))?;
                }
                j.num_member("weight", h.weight().into())?;
                j.key("flags")?;
                json_words(j, rt_flag_words(u32::from(h.flags.0)))?;
                j.end_object()?;
            }
            j.end_array()?;
        }
        j.end_object()
    }
}

/// A gateway of the other family (`RTA_VIA`) as JSON.
fn json_via<W: Write>(j: &mut Json<W>, ip: IpAddr) -> io::Result<()> {
    j.begin_object()?;
    j.str_member("family", family_word(ip))?;
    j.str_member("host", ip)?;
    j.end_object()
}

/// Flag words as a JSON array.
fn json_words<W: Write>(
    j: &mut Json<W>,
    words: impl IntoIterator<Item = &'static str>,
) -> io::Result<()> {
    j.begin_array()?;
    for w in words {
        j.text(w)?;
    }
    j.end_array()
}
