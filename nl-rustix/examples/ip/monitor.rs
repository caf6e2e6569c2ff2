//! `ip monitor`: the kernel's notifications as they arrive, printed as
//! iproute2 6.1 prints them.
//!
//! ```text
//! ip [-ts] [-4|-6] monitor [ all | OBJECTS ] [ label ]
//!     OBJECTS := link | address | route | neigh | rule | nexthop | netconf
//! ```
//!
//! With no object, all of them. `all` and `label` put iproute2's
//! `[LINK]`-style label before each line; `-ts` a `[YYYY-MM-DDTHH:MM:SS.usec]`
//! stamp. Names come from a link dump at start, kept current by the link
//! notifications (iproute2's `ll_remember_index`). Each notification is
//! written and flushed as it arrives; SIGINT or SIGTERM end it. When the
//! kernel drops notifications, iproute2's `netlink receive error` line
//! goes to stderr and the monitor goes on.
//!
//! Not here: `-j` (text only), `file`, `dev`, `all-nsid`, and the groups
//! iproute2 also joins by default whose messages this `ip` does not render
//! (multicast routes, IPv6 prefixes, nsid, stats, MPLS).
//!
//! Rendering is this module's own: iproute2's monitor prints links without
//! `qlen` and addresses after `INDEX: NAME`, and prints the attributes the
//! message carries, which `show` never meets (bridge ports, FDB entries,
//! `event FEATURE CHANGE`, `Deleted`).

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::render::{Names, RT_FLAGS};
use crate::words::{Family, Opts, Words, matches};
use nl_rustix::monitor::{Event, Monitor};
use nl_rustix::nl_proto::route::addr::{AddrFlags, Address, Scope};
use nl_rustix::nl_proto::route::change::{Change, LinkEvent};
use nl_rustix::nl_proto::route::link::{IfFlags, Link, link_type_name};
use nl_rustix::nl_proto::route::neigh::{NeighFlags, Neighbour};
use nl_rustix::nl_proto::route::netconf::{IFINDEX_ALL, IFINDEX_DEFAULT, Netconf};
use nl_rustix::nl_proto::route::nexthop::Nexthop;
use nl_rustix::nl_proto::route::route::{
    Route, RouteExtras, RouteFlags, RouteProtocol, RouteType, Table,
};
use nl_rustix::nl_proto::route::rule::{Rule, RuleAction, RuleFlags};
use nl_rustix::nl_proto::route::{AddrFamily, Group, RTM_DELNETCONF, RTM_NEWNETCONF};
use nl_rustix::nl_proto::wire::Msg;
use nl_rustix::{Conn, Netns};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

/// `ip monitor`.
pub(crate) const OBJECT: Object = Object {
    names: &["monitor"],
    plan,
};

const USAGE: &str = "Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME";

/// What to watch and how to print it.
#[derive(Clone, Copy, Default)]
struct Select {
    link: bool,
    address: bool,
    route: bool,
    neigh: bool,
    rule: bool,
    nexthop: bool,
    netconf: bool,
    /// `all` or `label`: `[LINK]`… before each line.
    label: bool,
}

/// Parse `ip monitor …` (iproute2's `do_ipmonitor` order of tests).
fn plan(_opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let mut s = Select::default();
    while let Some(word) = w.next() {
        if matches(word, "label") {
            s.label = true;
        } else if matches(word, "link") {
            s.link = true;
        } else if matches(word, "address") {
            s.address = true;
        } else if matches(word, "route") {
            s.route = true;
        } else if matches(word, "neigh") {
            s.neigh = true;
        } else if matches(word, "netconf") {
            s.netconf = true;
        } else if matches(word, "rule") {
            s.rule = true;
        } else if matches(word, "nexthop") {
            s.nexthop = true;
        } else if word == "all" {
            s.label = true;
        } else if matches(word, "help") {
            return Err(Failure::usage(USAGE));
        } else {
            return Err(Failure::usage(format!(
                "Argument \"{word}\" is unknown, try \"ip monitor help\"."
            )));
        }
    }
    if !(s.link || s.address || s.route || s.neigh || s.rule || s.nexthop || s.netconf) {
        s = Select {
            label: s.label,
            ..Select {
                link: true,
                address: true,
                route: true,
                neigh: true,
                rule: true,
                nexthop: true,
                netconf: true,
                label: false,
            }
        };
    }
    Ok(Plan::run(move |ctx| run(&ctx.opts, s)))
}

/// The groups iproute2 joins for `s` and the `-4`/`-6` family.
fn groups(s: Select, family: Option<Family>) -> Vec<Group> {
    let v4 = family != Some(Family::V6);
    let v6 = family != Some(Family::V4);
    let mut g = Vec::new();
    let mut add = |on: bool, group: Group| {
        if on {
            g.push(group);
        }
    };
    add(s.link, Group::LINK);
    add(s.address && v4, Group::IPV4_IFADDR);
    add(s.address && v6, Group::IPV6_IFADDR);
    add(s.route && v4, Group::IPV4_ROUTE);
    add(s.route && v6, Group::IPV6_ROUTE);
    add(s.neigh, Group::NEIGH);
    add(s.netconf && v4, Group::IPV4_NETCONF);
    add(s.netconf && v6, Group::IPV6_NETCONF);
    add(s.rule && v4, Group::IPV4_RULE);
    add(s.rule && v6, Group::IPV6_RULE);
    add(s.nexthop, Group::NEXTHOP);
    g
}

fn run(opts: &Opts, s: Select) -> Result<(), Failure> {
    let netns = opts
        .netns
        .as_deref()
        .map_or(Netns::Current, Netns::from_arg);
    // Join first, then list the links: nothing falls between the two.
    let mut monitor = Monitor::route(&netns, &groups(s, opts.family))?;
    let mut names = LinkCache::new(Conn::open_in(&netns)?)?;
    let family = opts.family.map(Family::af);
    let stdout = std::io::stdout();
    loop {
        let text = match monitor.recv() {
            Ok(Event::Change { change, msg, .. }) => render(&change, &msg.0, &mut names, family),
            Ok(Event::ResyncNeeded) => {
                // iproute2's rtnl_listen says so and listens on.
                eprintln!("netlink receive error No buffer space available (105)");
                None
            }
            Ok(_) => None,
            Err(nl_rustix::Error::Decode(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let Some((label, body)) = text else { continue };
        let mut line = String::new();
        if opts.tshort {
            line += &timestamp();
        }
        if s.label {
            line += label;
        }
        line += &body;
        let mut out = stdout.lock();
        // A closed pipe ends the monitor, as it ends iproute2's.
        if out
            .write_all(line.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return Ok(());
        }
    }
}

/// iproute2's `-ts` stamp, `[YYYY-MM-DDTHH:MM:SS.usec] `. iproute2 uses
/// local time; this example uses UTC (the same on a machine set to UTC,
/// as this one is), to stay free of `unsafe` and of a time-zone crate.
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "[{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}] ",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    )
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Interface names and flags, fed by link notifications; a link not met
/// yet (a notification about it can come before its own) is asked of the
/// kernel, as iproute2's `if_indextoname` fallback does.
struct LinkCache {
    links: BTreeMap<u32, Link>,
    names: Names,
    conn: Conn,
}

impl LinkCache {
    fn new(mut conn: Conn) -> Result<Self, nl_rustix::Error> {
        let links = conn.links()?;
        Ok(Self {
            names: Names::of(&links),
            links: links.into_iter().map(|l| (l.index, l)).collect(),
            conn,
        })
    }

    fn remember(&mut self, l: &Link, deleted: bool) {
        if deleted {
            self.links.remove(&l.index);
        } else {
            self.links.insert(l.index, l.clone());
        }
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let all: Vec<Link> = self.links.values().cloned().collect();
        self.names = Names::of(&all);
    }

    /// Make sure the links `indexes` name are known, asking the kernel
    /// for the ones that are not; then the names.
    fn names(&mut self, indexes: &[u32]) -> &Names {
        let mut changed = false;
        for &i in indexes {
            if i != 0 && !self.links.contains_key(&i) {
                if let Ok(l) = self.conn.link(i) {
                    self.links.insert(i, l);
                    changed = true;
                }
            }
        }
        if changed {
            self.rebuild();
        }
        &self.names
    }
}

/// The label and the text (with its newline) iproute2 prints for one
/// notification, or `None` for what it prints nothing for.
fn render(
    change: &Change<'_>,
    msg: &Msg<'_>,
    cache: &mut LinkCache,
    family: Option<AddrFamily>,
) -> Option<(&'static str, String)> {
    let mut s = String::new();
    if change.is_deletion() {
        s += "Deleted ";
    }
    let label = match change {
        Change::NewLink(l) | Change::DelLink(l) => {
            cache.remember(l, change.is_deletion());
            let names = cache.names(&[l.link.unwrap_or(0), l.master.unwrap_or(0)]);
            link(l, LinkEvent::of(msg), names, &mut s);
            "[LINK]"
        }
        Change::NewAddress(a) | Change::DelAddress(a) => {
            if family.is_some_and(|f| f != a.family) {
                return None;
            }
            address(a, cache.names(&[a.index]), &mut s);
            "[ADDR]"
        }
        Change::NewRoute(r) | Change::DelRoute(r) => {
            if r.flags.contains(RouteFlags::CLONED)
                || !matches!(r.family, AddrFamily::INET | AddrFamily::INET6)
            {
                return None;
            }
            // The compact value leaves the rare parts (legs, metrics,
            // mark, pref) to the extras, read from the same message.
            let (_, x) = Route::decode_full(msg).ok()?;
            let mut idx = vec![r.oif.unwrap_or(0), r.iif.unwrap_or(0)];
            idx.extend(x.multipath.iter().map(|nh| nh.ifindex));
            route(r, &x, cache.names(&idx), &mut s);
            "[ROUTE]"
        }
        Change::NewNeighbour(n) | Change::DelNeighbour(n) => {
            if family.is_some_and(|f| f != n.family) {
                return None;
            }
            neighbour(n, cache.names(&[n.index]), &mut s);
            "[NEIGH]"
        }
        Change::NewRule(r) | Change::DelRule(r) => {
            rule(r, &mut s);
            "[RULE]"
        }
        Change::NewNexthop(n) | Change::DelNexthop(n) => {
            nexthop(n, cache.names(&[n.oif.unwrap_or(0)]), &mut s);
            "[NEXTHOP]"
        }
        Change::Other { msg } if matches!(msg.msg_type(), RTM_NEWNETCONF | RTM_DELNETCONF) => {
            let n = Netconf::decode(msg).ok()?;
            let i = n.ifindex.and_then(|i| u32::try_from(i).ok()).unwrap_or(0);
            netconf(&n, cache.names(&[i]), &mut s);
            "[NETCONF]"
        }
        _ => return None,
    };
    s.push('\n');
    Some((label, s))
}

/// `aa:bb:…` for a link-layer address of any length.
fn hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(":")
}

/// iproute2's `print_linkinfo` as the monitor calls it.
fn link(l: &Link, event: Option<LinkEvent>, names: &Names, s: &mut String) {
    let _ = write!(s, "{}: {}", l.index, l.name);
    let mut mdown = false;
    match (l.link, l.link_netnsid) {
        (Some(0), _) => s.push_str("@NONE: "),
        (Some(p), Some(_)) => {
            let _ = write!(s, "@if{p}: ");
        }
        (Some(p), None) => {
            let _ = write!(s, "@{}: ", names.name(p));
            mdown = !names.is_up(p);
        }
        (None, _) => s.push_str(": "),
    }
    let mut flags: Vec<String> = l.flags.iproute2_names().map(str::to_string).collect();
    let rest = l.flags.unnamed_bits();
    if rest != 0 {
        flags.push(format!("{rest:x}"));
    }
    if mdown {
        flags.push("M-DOWN".into());
    }
    let _ = write!(s, "<{}> ", flags.join(","));
    if let Some(m) = l.mtu {
        let _ = write!(s, "mtu {m} ");
    }
    if let Some(q) = &l.qdisc {
        let _ = write!(s, "qdisc {q} ");
    }
    if let Some(m) = l.master {
        let _ = write!(s, "master {} ", names.name(m));
    }
    let state = l
        .operstate
        .name()
        .map_or_else(|| l.operstate.0.to_string(), str::to_string);
    let _ = write!(s, "state {state} ");
    match l.group {
        Some(0) => s.push_str("group default "),
        Some(g) => {
            let _ = write!(s, "group {g} ");
        }
        None => {}
    }
    if let Some(name) = event.and_then(LinkEvent::ip_name) {
        let _ = write!(s, "event {name} ");
    }
    let ty =
        link_type_name(l.link_type).map_or_else(|| format!("[{}]", l.link_type), str::to_string);
    let _ = write!(s, "\n    link/{ty} ");
    if !l.address_raw.is_empty() {
        s.push_str(&hex(&l.address_raw));
    }
    if !l.broadcast_raw.is_empty() {
        let word = if l.flags.contains(IfFlags::POINTOPOINT) {
            "peer"
        } else {
            "brd"
        };
        let _ = write!(s, " {word} {}", hex(&l.broadcast_raw));
    }
    if let Some(id) = l.link_netnsid {
        let _ = write!(s, " link-netnsid {id}");
    }
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "forever".into()
    } else {
        format!("{v}sec")
    }
}

/// iproute2's `print_addrinfo`: `INDEX: NAME` then the `ip address` lines.
fn address(a: &Address, names: &Names, s: &mut String) {
    let fam = match a.family {
        AddrFamily::INET => "inet",
        AddrFamily::INET6 => "inet6",
        _ => "unknown",
    };
    let _ = write!(s, "{}: {}    {fam} ", a.index, names.name(a.index));
    let _ = write!(s, "{}", a.local);
    if let Some(p) = a.peer {
        let _ = write!(s, " peer {p}");
    }
    let _ = write!(s, "/{} ", a.prefix_len);
    if let Some(b) = a.broadcast {
        let _ = write!(s, "brd {b} ");
    }
    let _ = write!(s, "scope {} ", a.scope);
    for bit in 0..12 {
        let f = AddrFlags::from(1u32 << bit);
        if f == AddrFlags::PERMANENT {
            if !a.flags.contains(f) {
                s.push_str("dynamic ");
            }
        } else if a.flags.contains(f) {
            if f == AddrFlags::SECONDARY && a.family == AddrFamily::INET6 {
                s.push_str("temporary ");
            } else if let Some(n) = f.names().next() {
                let _ = write!(s, "{n} ");
            }
        }
    }
    if let Some(l) = &a.label {
        s.push_str(l.as_str());
    }
    if let (Some(v), Some(p)) = (a.valid_lft, a.preferred_lft) {
        let _ = write!(
            s,
            "\n       valid_lft {} preferred_lft {}",
            lifetime(v),
            lifetime(p)
        );
    }
}

fn host_or_prefix(n: &nl_proto::IpNet) -> String {
    if n.prefix_len() == n.max_prefix_len() {
        n.addr().to_string()
    } else {
        n.to_string()
    }
}

/// iproute2's names of the `RTAX_*` metrics it prints.
fn metric_name(m: u16) -> Option<&'static str> {
    const NAMES: [&str; 17] = [
        "",
        "lock",
        "mtu",
        "window",
        "rtt",
        "rttvar",
        "ssthresh",
        "cwnd",
        "advmss",
        "reordering",
        "hoplimit",
        "initcwnd",
        "features",
        "rto_min",
        "initrwnd",
        "quickack",
        "congctl",
    ];
    NAMES
        .get(usize::from(m))
        .copied()
        .filter(|n| !n.is_empty() && *n != "lock")
}

/// iproute2's `print_route` with no filter: every table.
fn route(r: &Route, x: &RouteExtras, names: &Names, s: &mut String) {
    if r.kind != RouteType::UNICAST {
        let _ = write!(s, "{} ", r.kind);
    }
    if r.dst.prefix_len() == 0 {
        s.push_str("default ");
    } else {
        let _ = write!(s, "{} ", host_or_prefix(&r.dst));
    }
    if let Some(src) = &r.src {
        let _ = write!(s, "from {} ", host_or_prefix(src));
    }
    if let Some(id) = r.nh_id {
        let _ = write!(s, "nhid {id} ");
    }
    if r.tos != 0 {
        let _ = write!(s, "tos {:#x} ", r.tos);
    }
    if let Some(g) = r.gateway {
        let _ = write!(s, "via {g} ");
    }
    if let Some(o) = r.oif {
        let _ = write!(s, "dev {} ", names.name(o));
    }
    if r.table != Table::MAIN.0 {
        let _ = write!(s, "table {} ", Table(r.table));
    }
    if r.protocol != RouteProtocol::BOOT {
        let _ = write!(s, "proto {} ", r.protocol);
    }
    if r.scope != Scope::UNIVERSE {
        let _ = write!(s, "scope {} ", r.scope);
    }
    if let Some(p) = r.prefsrc {
        let _ = write!(s, "src {p} ");
    }
    if let Some(m) = r.priority {
        let _ = write!(s, "metric {m} ");
    }
    for (bit, word) in RT_FLAGS {
        if r.flags.0 & bit != 0 {
            let _ = write!(s, "{word} ");
        }
    }
    if let Some(m) = x.mark {
        let _ = write!(s, "mark {m} ");
    }
    if let Some(u) = x.uid {
        let _ = write!(s, "uid {u} ");
    }
    for (m, v) in x.metrics.iter() {
        if let Some(n) = metric_name(m.0) {
            let _ = write!(s, "{n} {v} ");
        }
    }
    if let Some(i) = r.iif {
        let _ = write!(s, "iif {} ", names.name(i));
    }
    for nh in &x.multipath {
        s.push_str("\n\tnexthop ");
        if let Some(g) = nh.gateway {
            let _ = write!(s, "via {g} ");
        }
        let _ = write!(s, "dev {} weight {} ", names.name(nh.ifindex), nh.weight());
        for (bit, word) in RT_FLAGS {
            if u32::from(nh.flags.0) & bit != 0 {
                let _ = write!(s, "{word} ");
            }
        }
    }
    if let Some(p) = x.pref {
        match p {
            0 => s.push_str("pref medium"),
            1 => s.push_str("pref high"),
            3 => s.push_str("pref low"),
            n => {
                let _ = write!(s, "pref {n}");
            }
        }
    }
}

/// iproute2's `print_neigh`, device always shown.
fn neighbour(n: &Neighbour, names: &Names, s: &mut String) {
    if let Some(d) = n.dst {
        let _ = write!(s, "{d} ");
    }
    if n.index != 0 {
        let _ = write!(s, "dev {} ", names.name(n.index));
    }
    if !n.lladdr_raw.is_empty() {
        let _ = write!(s, "lladdr {} ", hex(&n.lladdr_raw));
    }
    for (f, w) in [
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::PROXY, "proxy"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
    ] {
        if n.flags.contains(f) {
            let _ = write!(s, "{w} ");
        }
    }
    if let Some(p) = n.protocol {
        let _ = write!(s, "proto {} ", RouteProtocol(p));
    }
    if n.state.0 != 0 {
        for st in n.state.names() {
            let _ = write!(s, "{st} ");
        }
    }
}

/// iproute2's `print_rule`.
fn rule(r: &Rule, s: &mut String) {
    let _ = write!(s, "{}:\t", r.pref());
    if r.flags.contains(RuleFlags::INVERT) {
        s.push_str("not ");
    }
    match r.src {
        Some(n) => {
            let _ = write!(s, "from {}", host_or_prefix(&n));
        }
        None => s.push_str("from all"),
    }
    if let Some(n) = r.dst {
        let _ = write!(s, " to {}", host_or_prefix(&n));
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        let hex = |v: u32| {
            if v == 0 {
                "0".to_string()
            } else {
                format!("{v:#x}")
            }
        };
        let _ = write!(s, " fwmark {}", hex(r.fwmark.unwrap_or(0)));
        if let Some(m) = r.fwmask.filter(|m| *m != u32::MAX) {
            let _ = write!(s, "/{}", hex(m));
        }
    }
    if let Some(i) = &r.iif {
        let _ = write!(s, " iif {i}");
        if r.flags.contains(RuleFlags::IIF_DETACHED) {
            s.push_str(" [detached]");
        }
    }
    if let Some(o) = &r.oif {
        let _ = write!(s, " oif {o}");
        if r.flags.contains(RuleFlags::OIF_DETACHED) {
            s.push_str(" [detached]");
        }
    }
    if r.table != 0 {
        let _ = write!(s, " lookup {}", Table(r.table));
    }
    match r.action {
        RuleAction::TO_TBL => {}
        RuleAction::GOTO => {
            let _ = write!(s, " goto {}", r.goto.unwrap_or(0));
            if r.flags.contains(RuleFlags::UNRESOLVED) {
                s.push_str(" [unresolved]");
            }
        }
        a => {
            let _ = write!(s, " {a}");
        }
    }
    if let Some(p) = r
        .protocol
        .filter(|p| p.0 != 0 && *p != RouteProtocol::KERNEL)
    {
        let _ = write!(s, " proto {p}");
    }
}

/// iproute2's `print_nexthop`.
fn nexthop(n: &Nexthop, names: &Names, s: &mut String) {
    let _ = write!(s, "id {} ", n.id);
    if !n.group.is_empty() {
        let members: Vec<String> = n
            .group
            .iter()
            .map(|m| {
                if m.weight > 1 {
                    format!("{},{}", m.id, m.weight)
                } else {
                    m.id.to_string()
                }
            })
            .collect();
        let _ = write!(s, "group {} ", members.join("/"));
    }
    if n.blackhole {
        s.push_str("blackhole ");
    }
    if let Some(g) = n.gateway {
        let _ = write!(s, "via {g} ");
    }
    if let Some(o) = n.oif {
        let _ = write!(s, "dev {} ", names.name(o));
    }
    if n.scope != Scope::UNIVERSE {
        let _ = write!(s, "scope {} ", n.scope);
    }
    for (bit, word) in RT_FLAGS {
        if n.flags & bit != 0 {
            let _ = write!(s, "{word} ");
        }
    }
    if n.protocol.0 != 0 {
        let _ = write!(s, "proto {} ", n.protocol);
    }
    if n.fdb {
        s.push_str("fdb ");
    }
}

/// iproute2's `print_netconf`.
fn netconf(n: &Netconf, names: &Names, s: &mut String) {
    let fam = match n.family {
        AddrFamily::INET => "inet",
        AddrFamily::INET6 => "inet6",
        AddrFamily::MPLS => "mpls",
        _ => "unknown",
    };
    let _ = write!(s, "{fam} ");
    match n.ifindex {
        Some(IFINDEX_ALL) => s.push_str("all "),
        Some(IFINDEX_DEFAULT) => s.push_str("default "),
        Some(i) => {
            let _ = write!(s, "{} ", names.name(u32::try_from(i).unwrap_or(0)));
        }
        None => {}
    }
    let on_off = |v: i32| if v != 0 { "on" } else { "off" };
    if let Some(v) = n.forwarding {
        let _ = write!(s, "forwarding {} ", on_off(v));
    }
    if let Some(v) = n.rp_filter {
        let w = match v {
            0 => "off",
            1 => "strict",
            2 => "loose",
            _ => "unknown mode",
        };
        let _ = write!(s, "rp_filter {w} ");
    }
    if let Some(v) = n.mc_forwarding {
        let _ = write!(s, "mc_forwarding {} ", on_off(v));
    }
    if let Some(v) = n.proxy_neigh {
        let _ = write!(s, "proxy_neigh {} ", on_off(v));
    }
    if let Some(v) = n.ignore_routes_with_linkdown {
        let _ = write!(s, "ignore_routes_with_linkdown {} ", on_off(v));
    }
    if let Some(v) = n.input {
        let _ = write!(s, "input {} ", on_off(v));
    }
}
