//! DESIRED.json → [`Desired`]. Strict: an unknown section or field, a
//! missing required field or a malformed value is bad input (exit 2).

use nl_proto::IpNet;
use nl_proto::route::addr::{AddrFlags, Scope};
use nl_proto::route::neigh::NudState;
use nl_proto::route::nexthop::GroupMember;
use nl_proto::route::route::{RouteProtocol, RouteType, Table};
use nl_proto::route::rule::RuleAction;
use nl_rustix::reconcile::{Desired, DesiredKind, DesiredLink, range};
use nl_rustix::{AddrSpec, LegSpec, NeighSpec, NexthopSpec, RoutePref, RouteSpec, RuleSpec};
use serde_json::{Map, Value};
use std::net::IpAddr;

mod qdiscs;

type Obj = Map<String, Value>;

/// Parse the desired-state document. `protocol` is the reconciler's.
pub(crate) fn parse(text: &str, protocol: RouteProtocol) -> Result<Desired, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let doc = doc
        .as_object()
        .ok_or("the document must be a JSON object")?;
    let mut d = Desired::new();
    d.protocol = protocol;
    for (section, items) in doc {
        let items = items
            .as_array()
            .ok_or_else(|| format!("\"{section}\" must be an array"))?;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{section}[{i}]");
            let o = item
                .as_object()
                .ok_or_else(|| format!("{at}: must be an object"))?;
            let r = match section.as_str() {
                "addresses" => address(o).map(|a| d.addresses.push(a)),
                "routes" => route(o, protocol).map(|r| d.routes.push(r)),
                "neighbours" => neighbour(o).map(|n| d.neighbours.push(n)),
                "rules" => rule(o).map(|r| d.rules.push(r)),
                "links" => link(o).map(|l| d.links.push(l)),
                "nexthops" => nexthop(o).map(|n| d.nexthops.push(n)),
                "qdiscs" => qdiscs::qdiscs(o).map(|q| d.qdiscs.push(q)),
                _ => Err("unknown section (want links, addresses, nexthops, routes, neighbours, rules, qdiscs)".to_string()),
            };
            r.map_err(|e| format!("{at}: {e}"))?;
        }
    }
    Ok(d)
}

fn only(o: &Obj, allowed: &[&str]) -> Result<(), String> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "unknown field \"{k}\" (want {})",
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

fn text<'a>(o: &'a Obj, k: &str) -> Result<Option<&'a str>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(format!("\"{k}\" must be a string, not {v}")),
    }
}

fn need<'a>(o: &'a Obj, k: &str) -> Result<&'a str, String> {
    text(o, k)?.ok_or_else(|| format!("\"{k}\" is required"))
}

fn number(o: &Obj, k: &str) -> Result<Option<u32>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("\"{k}\" must be a number from 0 to {}", u32::MAX)),
    }
}

fn parsed<T: std::str::FromStr>(o: &Obj, k: &str, what: &str) -> Result<Option<T>, String> {
    text(o, k)?
        .map(|s| {
            s.parse()
                .map_err(|_| format!("\"{k}\": \"{s}\" is not {what}"))
        })
        .transpose()
}

/// A boolean field, false when absent.
fn flag(o: &Obj, k: &str) -> Result<bool, String> {
    Ok(boolean(o, k)?.unwrap_or(false))
}

/// A name from `names` or a number, as with `scope`, `table`, `protocol`.
fn named<T>(
    o: &Obj,
    k: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    from: impl Fn(u32) -> Option<T>,
) -> Result<Option<T>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse(s)
            .map(Some)
            .ok_or_else(|| format!("\"{k}\": \"{s}\" is not {what}")),
        Some(_) => number(o, k)?
            .map(|n| from(n).ok_or_else(|| format!("\"{k}\": {n} is not {what}")))
            .transpose(),
    }
}

fn address(o: &Obj) -> Result<AddrSpec, String> {
    only(
        o,
        &[
            "dev",
            "prefix",
            "peer",
            "broadcast",
            "label",
            "scope",
            "flags",
            "valid_lft",
            "preferred_lft",
            "metric",
        ],
    )?;
    let prefix: IpNet =
        parsed(o, "prefix", "an address/prefix length")?.ok_or("\"prefix\" is required")?;
    let mut a = AddrSpec::new(need(o, "dev")?, prefix);
    a.peer = parsed(o, "peer", "an IP address")?;
    a.broadcast = parsed(o, "broadcast", "an IPv4 address")?;
    a.label = text(o, "label")?.map(str::to_string);
    a.scope = named(
        o,
        "scope",
        "a scope (global, link, host or a number)",
        Scope::parse,
        |n| u8::try_from(n).ok().map(Scope),
    )?;
    match o.get("flags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(flags)) => {
            for f in flags {
                a.flags |= match f.as_str() {
                    Some("nodad") => AddrFlags::NODAD,
                    Some("noprefixroute") => AddrFlags::NOPREFIXROUTE,
                    Some("home") => AddrFlags::HOMEADDRESS,
                    Some("mngtmpaddr") => AddrFlags::MANAGETEMPADDR,
                    Some("autojoin") => AddrFlags::MCAUTOJOIN,
                    _ => {
                        return Err(format!(
                            "\"flags\": {f} is not one of nodad, noprefixroute, home, mngtmpaddr, autojoin"
                        ));
                    }
                };
            }
        }
        Some(v) => return Err(format!("\"flags\" must be an array, not {v}")),
    }
    a.valid_lft = number(o, "valid_lft")?;
    a.preferred_lft = number(o, "preferred_lft")?;
    a.metric = number(o, "metric")?;
    // Everything the library refuses (IPv6 scope or label, lifetimes),
    // refused here too; the label's link-name rule needs the namespace.
    a.check(a.label.as_deref().unwrap_or_default())
        .map_err(|e| e.to_string())?;
    Ok(a)
}

fn route(o: &Obj, protocol: RouteProtocol) -> Result<RouteSpec, String> {
    only(
        o,
        &[
            "dst", "via", "dev", "table", "metric", "protocol", "scope", "type", "src", "onlink",
            "nhid", "nexthops", "mtu", "advmss", "pref",
        ],
    )?;
    let via: Option<IpAddr> = parsed(o, "via", "an IP address")?;
    let dst = match need(o, "dst")? {
        "default" if via.is_some_and(|g| g.is_ipv6()) => "::/0".parse().ok(),
        "default" => "0.0.0.0/0".parse().ok(),
        s => s.parse::<IpNet>().ok().or_else(|| {
            // A bare address is a host route, as with `ip route`.
            s.parse::<IpAddr>().ok().map(IpNet::from)
        }),
    }
    .ok_or_else(|| {
        format!(
            "\"dst\": \"{}\" is not a prefix or \"default\"",
            need(o, "dst").unwrap_or_default()
        )
    })?;
    let mut r = RouteSpec::new(dst);
    // A gateway of the other family is `via inet6` (RTA_VIA).
    match via {
        Some(g) if g.is_ipv4() != dst.addr().is_ipv4() => r.via_other_family = Some(g),
        g => r.gateway = g,
    }
    r.scope = named(
        o,
        "scope",
        "a scope (global, link, host or a number)",
        Scope::parse,
        |n| u8::try_from(n).ok().map(Scope),
    )?;
    if let Some(t) = text(o, "type")? {
        r.kind = match t {
            "unicast" => RouteType::UNICAST,
            "blackhole" => RouteType::BLACKHOLE,
            "unreachable" => RouteType::UNREACHABLE,
            "prohibit" => RouteType::PROHIBIT,
            "throw" => RouteType::THROW,
            _ => {
                return Err(format!(
                    "\"type\": \"{t}\" is not unicast, blackhole, unreachable, prohibit or throw"
                ));
            }
        };
    }
    r.prefsrc = parsed(o, "src", "an IP address")?;
    r.onlink = flag(o, "onlink")?;
    r.nh_id = number(o, "nhid")?;
    r.mtu = number(o, "mtu")?;
    r.advmss = number(o, "advmss")?;
    r.pref = match text(o, "pref")? {
        None => None,
        Some("low") => Some(RoutePref::Low),
        Some("medium") => Some(RoutePref::Medium),
        Some("high") => Some(RoutePref::High),
        Some(p) => return Err(format!("\"pref\": \"{p}\" is not low, medium or high")),
    };
    match o.get("nexthops") {
        None | Some(Value::Null) => {}
        Some(Value::Array(legs)) => {
            for (i, leg) in legs.iter().enumerate() {
                let l = leg
                    .as_object()
                    .ok_or_else(|| format!("nexthops[{i}]: must be an object"))?;
                only(l, &["via", "dev", "weight"]).map_err(|e| format!("nexthops[{i}]: {e}"))?;
                let mut h = match parsed::<IpAddr>(l, "via", "an IP address")? {
                    Some(g) => LegSpec::via(g),
                    None => LegSpec::dev_only(need(l, "dev")?),
                };
                if let Some(d) = text(l, "dev")? {
                    h = h.dev(d);
                }
                if let Some(w) = number(l, "weight")? {
                    h =
                        h.weight(u16::try_from(w).map_err(|_| {
                            format!("nexthops[{i}]: weight {w} is out of range 1-256")
                        })?);
                }
                r.nexthops.push(h);
            }
        }
        Some(v) => return Err(format!("\"nexthops\" must be an array, not {v}")),
    }
    if let Some(dev) = text(o, "dev")? {
        r = r.dev(dev);
    }
    r.table = match o.get("table") {
        Some(Value::String(s)) => Some(
            Table::parse(s)
                .ok_or_else(|| format!("\"table\": \"{s}\" is not a table"))?
                .0,
        ),
        _ => number(o, "table")?,
    };
    r.metric = number(o, "metric")?;
    let p = match o.get("protocol") {
        Some(Value::String(s)) => Some(
            RouteProtocol::parse(s)
                .ok_or_else(|| format!("\"protocol\": \"{s}\" is not a protocol"))?,
        ),
        _ => number(o, "protocol")?
            .map(|n| u8::try_from(n).map(RouteProtocol))
            .transpose()
            .map_err(|_| "\"protocol\" must be below 256".to_string())?,
    };
    if let Some(p) = p {
        if p != protocol {
            return Err(format!(
                "\"protocol\": {p} differs from the reconciler's protocol {protocol} \
                 (it owns the routes of its own protocol only; see --protocol)"
            ));
        }
    }
    Ok(r)
}

fn neighbour(o: &Obj) -> Result<NeighSpec, String> {
    only(o, &["dev", "dst", "lladdr", "state", "router", "proxy"])?;
    let dst = parsed(o, "dst", "an IP address")?.ok_or("\"dst\" is required")?;
    let mut n = NeighSpec::new(need(o, "dev")?, dst);
    n.lladdr = parsed(o, "lladdr", "a MAC address (six hex octets)")?;
    n.state = match text(o, "state")? {
        None | Some("permanent") => NudState::PERMANENT,
        Some("noarp") => NudState::NOARP,
        Some("reachable") => NudState::REACHABLE,
        Some("stale") => NudState::STALE,
        Some(s) => {
            return Err(format!(
                "\"state\": \"{s}\" is not permanent, noarp, reachable or stale"
            ));
        }
    };
    n.router = flag(o, "router")?;
    n.proxy = flag(o, "proxy")?;
    n.to_neighbour(0).map_err(|e| e.to_string())?;
    Ok(n)
}

fn rule(o: &Obj) -> Result<RuleSpec, String> {
    only(
        o,
        &[
            "from",
            "to",
            "table",
            "priority",
            "iif",
            "oif",
            "fwmark",
            "fwmask",
            "tos",
            "ipproto",
            "sport",
            "dport",
            "uidrange",
            "action",
            "not",
            "suppress_prefixlength",
        ],
    )?;
    let mut r = RuleSpec::new();
    r.src = parsed(o, "from", "a prefix")?;
    r.dst = parsed(o, "to", "a prefix")?;
    r.table = named(
        o,
        "table",
        "a table",
        |s| Table::parse(s).map(|t| t.0),
        Some,
    )?;
    r.priority = number(o, "priority")?;
    r.iif = text(o, "iif")?.map(str::to_string);
    r.oif = text(o, "oif")?.map(str::to_string);
    r.fwmark = number(o, "fwmark")?;
    r.fwmask = number(o, "fwmask")?;
    r.tos = number(o, "tos")?
        .map(|t| u8::try_from(t).map_err(|_| "\"tos\" must be below 256".to_string()))
        .transpose()?
        .unwrap_or(0);
    r.ip_proto = named(
        o,
        "ipproto",
        "an IP protocol (tcp, udp, icmp, or a number)",
        |s| match s {
            "tcp" => Some(6),
            "udp" => Some(17),
            "icmp" => Some(1),
            "ipv6-icmp" => Some(58),
            _ => None,
        },
        |n| u8::try_from(n).ok(),
    )?;
    let ports = |k: &str| -> Result<Option<(u16, u16)>, String> {
        let r = match o.get(k) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(s)) => range(s, 65535).map_err(|e| format!("\"{k}\": {e}"))?,
            Some(_) => {
                let n = number(o, k)?.unwrap_or_default();
                range(&n.to_string(), 65535).map_err(|e| format!("\"{k}\": {e}"))?
            }
        };
        let p = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
        Ok(Some((p(r.0), p(r.1))))
    };
    r.sport_range = ports("sport")?;
    r.dport_range = ports("dport")?;
    r.uid_range = text(o, "uidrange")?
        .map(|s| range(s, u32::MAX).map_err(|e| format!("\"uidrange\": {e}")))
        .transpose()?;
    r.action = match text(o, "action")? {
        None | Some("lookup") => None,
        Some("blackhole") => Some(RuleAction::BLACKHOLE),
        Some("unreachable") => Some(RuleAction::UNREACHABLE),
        Some("prohibit") => Some(RuleAction::PROHIBIT),
        Some(a) => {
            return Err(format!(
                "\"action\": \"{a}\" is not lookup, blackhole, unreachable or prohibit"
            ));
        }
    };
    r.invert = flag(o, "not")?;
    r.suppress_prefixlen = number(o, "suppress_prefixlength")?;
    r.to_rule().map_err(|e| e.to_string())?;
    Ok(r)
}

fn boolean(o: &Obj, k: &str) -> Result<Option<bool>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => Err(format!("\"{k}\" must be true or false, not {v}")),
    }
}

/// `{"name", "kind", "peer"|"link"|"id", "mtu", "up", "master", "address", "alias"}`.
fn link(o: &Obj) -> Result<DesiredLink, String> {
    only(
        o,
        &[
            "name", "kind", "peer", "link", "id", "mtu", "up", "master", "address", "alias",
        ],
    )?;
    let mut l = DesiredLink::new(need(o, "name")?);
    // Each kind's own field, and no other kind's.
    let own: &[&str] = match text(o, "kind")? {
        None => &[],
        Some("bridge") => {
            l.kind = Some(DesiredKind::Bridge);
            &[]
        }
        Some("ifb") => {
            l.kind = Some(DesiredKind::Ifb);
            &[]
        }
        Some("veth") => {
            l.kind = Some(DesiredKind::Veth {
                peer: need(o, "peer")?.to_string(),
            });
            &["peer"]
        }
        Some("macvlan") => {
            l.kind = Some(DesiredKind::Macvlan {
                link: need(o, "link")?.to_string(),
            });
            &["link"]
        }
        Some("vxlan") => {
            l.kind = Some(DesiredKind::Vxlan {
                id: number(o, "id")?.ok_or("\"id\" is required for a vxlan")?,
            });
            &["id"]
        }
        Some(k) => {
            return Err(format!(
                "\"kind\": \"{k}\" is not one this reconciler creates (want bridge, veth, macvlan, vxlan, ifb)"
            ));
        }
    };
    if let Some(k) = ["peer", "link", "id"]
        .into_iter()
        .find(|k| o.contains_key(*k) && !own.contains(k))
    {
        return Err(format!("\"{k}\" does not belong to this kind of link"));
    }
    l.mtu = number(o, "mtu")?;
    l.up = boolean(o, "up")?;
    l.master = text(o, "master")?.map(str::to_string);
    l.address = parsed(o, "address", "a MAC address (six hex octets)")?;
    l.alias = text(o, "alias")?.map(str::to_string);
    Ok(l)
}

/// `{"id", "via", "dev", "blackhole", "group": [{"id", "weight"}]}`.
fn nexthop(o: &Obj) -> Result<NexthopSpec, String> {
    only(o, &["id", "via", "dev", "blackhole", "group"])?;
    let id = number(o, "id")?.ok_or("\"id\" is required")?;
    let mut n = NexthopSpec {
        id,
        gateway: parsed(o, "via", "an IP address")?,
        blackhole: boolean(o, "blackhole")?.unwrap_or(false),
        ..NexthopSpec::default()
    };
    if let Some(dev) = text(o, "dev")? {
        n = n.dev(dev);
    }
    if let Some(group) = o.get("group") {
        let members = group.as_array().ok_or("\"group\" must be an array")?;
        for (i, m) in members.iter().enumerate() {
            let m = m
                .as_object()
                .ok_or_else(|| format!("group[{i}]: must be an object"))?;
            only(m, &["id", "weight"]).map_err(|e| format!("group[{i}]: {e}"))?;
            let id = number(m, "id")?.ok_or_else(|| format!("group[{i}]: \"id\" is required"))?;
            let weight = number(m, "weight")?.unwrap_or(1);
            let weight = Some(weight)
                .filter(|w| (1..=256).contains(w))
                .ok_or_else(|| format!("group[{i}]: \"weight\" must be from 1 to 256"))?;
            n.group.push(GroupMember { id, weight });
        }
    }
    Ok(n)
}
