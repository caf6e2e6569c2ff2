//! `ip nexthop`: show, get, add, replace, del, flush — nexthop objects,
//! and groups of them (`group ID[,WEIGHT]/…`) that routes use by `nhid`.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{Families, Family, Opts, Words, invarg, matches, parse_number, unknown_command};
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Scope;
use nl_rustix::nl_proto::route::encap::MplsEncap;
use nl_rustix::nl_proto::route::nexthop::{GroupMember, NH_F_ONLINK, Nexthop, NexthopDump};
use nl_rustix::nl_proto::route::route::RouteProtocol;
use nl_rustix::{LinkId, NexthopSpec};
use serde_json::{Map, Value};

/// `ip nexthop`.
pub(crate) const OBJECT: Object = Object {
    names: &["nexthop"],
    plan,
};

const USAGE: &str = "Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
SELECTOR := [ id ID ] [ dev DEV ] [ master DEV ]
            [ groups ] [ fdb ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
ENCAPTYPE := [ mpls ]
ENCAPHDR := [ MPLSLABEL ]";

/// Parse an `ip nexthop` command line (iproute2's order of commands).
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w, false);
    };
    if matches(cmd, "add") {
        let spec = parse_spec(opts, &mut w)?;
        Ok(Plan::run(move |ctx| {
            ctx.conn
                .add_nexthop(&spec)
                .map_err(|e| Failure::from(e).device_is_argument())
        }))
    } else if matches(cmd, "replace") {
        let spec = parse_spec(opts, &mut w)?;
        Ok(Plan::run(move |ctx| {
            ctx.conn
                .replace_nexthop(&spec)
                .map_err(|e| Failure::from(e).device_is_argument())
        }))
    } else if matches(cmd, "delete") {
        let id = parse_id_only(&mut w)?;
        Ok(Plan::run(move |ctx| Ok(ctx.conn.delete_nexthop(id)?)))
    } else if matches(cmd, "get") {
        let id = parse_id_only(&mut w)?;
        Ok(Plan::run(move |ctx| {
            let nh = ctx.conn.nexthop(id)?;
            render(ctx, &[nh])
        }))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(opts, &mut w, false)
    } else if matches(cmd, "flush") {
        show(opts, &mut w, true)
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(unknown_command(cmd, "nexthop"))
    }
}

fn parse_id(v: &str) -> Result<u32, Failure> {
    parse_number(v).ok_or_else(|| invarg(v, "invalid id value"))
}

/// `id N`: iproute2 sends `del`/`get` without one and the kernel refuses
/// ("Nexthop id is missing"); this `ip` refuses before sending, with the
/// same exit status.
fn parse_id_only(w: &mut Words<'_>) -> Result<u32, Failure> {
    let mut id = None;
    while let Some(word) = w.next() {
        match word {
            "id" => id = Some(parse_id(w.value("id")?)?),
            other => return Err(invarg(other, "Unknown argument")),
        }
    }
    id.ok_or_else(|| Failure::Unsupported("Error: Nexthop id is missing.".into()))
}

/// `GROUP := ID[,WEIGHT]/ID[,WEIGHT]/…`.
fn parse_group(v: &str) -> Result<Vec<GroupMember>, Failure> {
    v.split('/')
        .map(|m| {
            let (id, weight) = match m.split_once(',') {
                Some((i, w)) => (i, Some(w)),
                None => (m, None),
            };
            let id = parse_number(id).ok_or_else(|| invarg(v, "Invalid group"))?;
            let weight = match weight {
                // iproute2 6.1's limit (`weight_high` came with 6.12).
                Some(w) => parse_number::<u32>(w)
                    .filter(|n| (1..=256).contains(n))
                    .ok_or_else(|| invarg(w, "\"weight\" is invalid"))?,
                None => 1,
            };
            Ok(GroupMember { id, weight })
        })
        .collect()
}

/// `id N { group G | [via ADDR] [dev NAME] [onlink] | blackhole } [proto
/// P] [fdb]`.
fn parse_spec(opts: &Opts, w: &mut Words<'_>) -> Result<NexthopSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut spec = NexthopSpec {
        family: opts.family.map(Family::af),
        ..NexthopSpec::default()
    };
    while let Some(word) = w.next() {
        match word {
            "id" => spec.id = parse_id(w.value("id")?)?,
            "via" => {
                let mut v = w.value("via")?;
                if v == "inet" || v == "inet6" {
                    v = w.value("via")?;
                }
                spec.gateway = Some(fam.addr(v)?);
            }
            "dev" => spec.dev = Some(LinkId::from(w.value("dev")?)),
            "blackhole" => spec.blackhole = true,
            "onlink" => spec.onlink = true,
            "fdb" => spec.fdb = true,
            "encap" => {
                let kind = w.value("encap")?;
                if kind != "mpls" {
                    return Err(Failure::Unsupported(format!(
                        "Error: encap type \"{kind}\" is not supported by this ip (mpls is)."
                    )));
                }
                let v = w.value("encap")?;
                let labels: Option<Vec<u32>> = v.split('/').map(parse_number).collect();
                spec.encap = labels
                    .as_deref()
                    .and_then(MplsEncap::new)
                    .map(Some)
                    .ok_or_else(|| invarg(v, "invalid MPLS label stack"))?;
            }
            "group" => spec.group = parse_group(w.value("group")?)?,
            "proto" | "protocol" => {
                let v = w.value("protocol")?;
                spec.protocol = Some(
                    RouteProtocol::parse(v)
                        .ok_or_else(|| invarg(v, "\"protocol\" value is invalid"))?,
                );
            }
            "help" => return Err(Failure::usage(USAGE)),
            other => return Err(invarg(other, "Unknown argument")),
        }
    }
    Ok(spec)
}

/// `show|flush [id N] [dev NAME] [master NAME] [groups] [fdb] [protocol
/// P]`, in iproute2's order of keywords (`id` ends the line: a `get`,
/// or for flush a delete of that one nexthop).
fn show(opts: &Opts, w: &mut Words<'_>, flush: bool) -> Result<Plan, Failure> {
    let all = w.is_empty();
    let mut id = None;
    let mut dev = None;
    let mut master = None;
    let mut proto = None;
    let mut filter = NexthopDump {
        family: opts.family.map_or(AddrFamily::UNSPEC, Family::af),
        ..NexthopDump::default()
    };
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "dev") => dev = Some(w.value("dev")?.to_string()),
            _ if matches(word, "groups") => filter.groups = true,
            _ if matches(word, "master") => master = Some(w.value("master")?.to_string()),
            "id" => {
                id = Some(parse_id(w.value("id")?)?);
                break;
            }
            _ if matches(word, "protocol") => {
                let v = w.value("protocol")?;
                proto =
                    Some(parse_number::<u8>(v).ok_or_else(|| invarg(v, "invalid protocol value"))?);
            }
            _ if matches(word, "fdb") => filter.fdb = true,
            _ if matches(word, "help") => return Err(Failure::usage(USAGE)),
            other => return Err(invarg(other, "")),
        }
    }
    Ok(Plan::run(move |ctx: &mut Ctx| {
        for (name, slot) in [(&dev, &mut filter.oif), (&master, &mut filter.master)] {
            if let Some(n) = name {
                let i = ctx.conn.link_index(n.as_str());
                *slot = Some(i.map_err(|_| invarg(n, "Device does not exist"))?);
            }
        }
        match (id, flush) {
            (Some(id), false) => {
                let nh = ctx.conn.nexthop(id)?;
                return render(ctx, &[nh]);
            }
            (Some(id), true) => return Ok(ctx.conn.delete_nexthop(id)?),
            (None, _) => {}
        }
        let wanted = |n: &Nexthop| proto.is_none_or(|p| n.protocol.0 == p);
        if !flush {
            let list: Vec<Nexthop> = ctx
                .conn
                .nexthops(&filter)?
                .into_iter()
                .filter(wanted)
                .collect();
            return render(ctx, &list);
        }
        // A flush of everything removes the groups first, then the rest
        // (as iproute2: a member's deletion would empty a group).
        let passes: &[bool] = if all {
            &[true, false]
        } else {
            &[filter.groups]
        };
        let mut flushed = 0;
        for &groups in passes {
            let list = ctx.conn.nexthops(&NexthopDump { groups, ..filter })?;
            for n in list.iter().filter(|n| wanted(n)) {
                match ctx.conn.delete_nexthop(n.id) {
                    Ok(()) => flushed += 1,
                    // Gone with its last member (an emptied group).
                    Err(e) if e.errno() == Some(libc::ENOENT) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        if flushed == 0 {
            println!("Nothing to flush");
        } else {
            println!("Flushed {flushed} nexthops");
        }
        Ok(())
    }))
}

fn render(ctx: &mut Ctx, list: &[Nexthop]) -> Result<(), Failure> {
    let names = Names::fetch(&mut ctx.conn)?;
    let details = ctx.opts.details;
    if ctx.opts.json {
        print_json(
            &ctx.opts,
            list.iter().map(|n| fields(n, &names, details).0).collect(),
        );
    } else {
        for n in list {
            println!("{}", fields(n, &names, details).1);
        }
    }
    Ok(())
}

/// A nexthop as `ip -j nexthop` and `ip nexthop` print it, in
/// iproute2's order.
fn fields(n: &Nexthop, names: &Names, details: bool) -> (Value, String) {
    let mut j = Map::new();
    let mut s = format!("id {} ", n.id);
    j.insert("id".into(), n.id.into());
    if !n.group.is_empty() {
        let mut members = Vec::new();
        let mut text = Vec::new();
        for m in &n.group {
            let mut o = Map::new();
            o.insert("id".into(), m.id.into());
            if m.weight != 1 {
                o.insert("weight".into(), m.weight.into());
                text.push(format!("{},{}", m.id, m.weight));
            } else {
                text.push(m.id.to_string());
            }
            members.push(Value::Object(o));
        }
        j.insert("group".into(), Value::Array(members));
        s += &format!("group {} ", text.join("/"));
    }
    if let Some(e) = &n.encap {
        let stack: Vec<String> = e.labels().iter().map(u32::to_string).collect();
        j.insert("encap".into(), "mpls".into());
        j.insert("dst".into(), stack.join("/").into());
        s += &format!("encap mpls {} ", stack.join("/"));
    }
    if let Some(g) = n.gateway {
        j.insert("gateway".into(), g.to_string().into());
        s += &format!("via {g} ");
    }
    if let Some(o) = n.oif {
        let name = names.name(o);
        s += &format!("dev {name} ");
        j.insert("dev".into(), name.into());
    }
    if n.scope != Scope::UNIVERSE || details {
        j.insert("scope".into(), n.scope.to_string().into());
        s += &format!("scope {} ", n.scope);
    }
    if n.blackhole {
        j.insert("blackhole".into(), Value::Null);
        s += "blackhole ";
    }
    if n.protocol != RouteProtocol::UNSPEC || details {
        j.insert("protocol".into(), n.protocol.to_string().into());
        s += &format!("proto {} ", n.protocol);
    }
    let mut flags = Vec::new();
    if n.flags & NH_F_ONLINK != 0 {
        flags.push(Value::from("onlink"));
        s += "onlink ";
    }
    j.insert("flags".into(), Value::Array(flags));
    if n.fdb {
        j.insert("fdb".into(), Value::Null);
        s += "fdb ";
    }
    (Value::Object(j), s)
}
