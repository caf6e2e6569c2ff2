//! `ip nexthop`: show, get, add, replace, del, flush — nexthop objects,
//! and groups of them (`group ID[,WEIGHT]/…`) that routes use by `nhid`.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json, rt_flag_words};
use crate::words::{Families, Family, Opts, Words, invarg, matches, parse_number, unknown_command};
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Scope;
use nl_rustix::nl_proto::route::encap::MplsEncap;
use nl_rustix::nl_proto::route::nexthop::{
    GroupMember, GroupType, Nexthop, NexthopDump, ResilientGroup,
};
use nl_rustix::nl_proto::route::route::RouteProtocol;
use nl_rustix::{LinkId, NexthopSpec};
use serde_json::{Map, Value};

/// `ip nexthop`.
pub(crate) const OBJECT: Object = Object {
    names: &["nexthop"],
    plan,
};

/// iproute2 6.1's text (`vrf` is accepted by iproute2 only; this kernel
/// has no VRF links).
pub(crate) const USAGE: &str = "Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
       ip nexthop bucket list BUCKET_SELECTOR
       ip nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
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
        let id = parse_id_only(&mut w, false)?;
        Ok(Plan::run(move |ctx| Ok(ctx.conn.delete_nexthop(id)?)))
    } else if matches(cmd, "get") {
        let id = parse_id_only(&mut w, true)?;
        Ok(Plan::run(move |ctx| {
            let nh = ctx.conn.nexthop(id)?;
            render(ctx, &[nh])
        }))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(opts, &mut w, false)
    } else if matches(cmd, "flush") {
        show(opts, &mut w, true)
    } else if matches(cmd, "bucket") {
        crate::nhbucket::plan(opts, &mut w)
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
/// same exit status. Another word is iproute2's usage for `get`, its
/// `invarg` for `del`.
fn parse_id_only(w: &mut Words<'_>, get: bool) -> Result<u32, Failure> {
    let mut id = None;
    while let Some(word) = w.next() {
        match word {
            "id" => id = Some(parse_id(w.value("id")?)?),
            _ if get => return Err(Failure::usage(USAGE)),
            other => return Err(invarg(other, "")),
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
            "type" => parse_type(w, &mut spec)?,
            "proto" | "protocol" => {
                let v = w.value("protocol")?;
                spec.protocol = Some(
                    RouteProtocol::parse(v)
                        .ok_or_else(|| invarg(v, "\"protocol\" value is invalid"))?,
                );
            }
            "help" => return Err(Failure::usage(USAGE)),
            other => return Err(invarg(other, "")),
        }
    }
    Ok(spec)
}

/// `type mpath | type resilient [buckets N] [idle_timer S]
/// [unbalanced_timer S]`, as iproute2 reads it: the resilient nest is
/// opened when any word follows `resilient`, and ends at the first word
/// that is none of its three; timers in seconds, sent in `clock_t`.
fn parse_type(w: &mut Words<'_>, spec: &mut NexthopSpec) -> Result<(), Failure> {
    let v = w.value("type")?;
    let ty = match v {
        "mpath" => GroupType::MPATH,
        "resilient" => GroupType::RESILIENT,
        _ => return Err(invarg(v, "\"type\" value is invalid\n")),
    };
    spec.group_type = Some(ty);
    if ty != GroupType::RESILIENT || w.is_empty() {
        return Ok(());
    }
    let mut res = ResilientGroup::default();
    let timer = |v: &str, what: &str| {
        parse_number::<u32>(v)
            .filter(|t| *t < u32::MAX / 100)
            .map(|t| t * 100)
            .ok_or_else(|| invarg(v, format!("invalid {what} timer value")))
    };
    loop {
        match w.peek() {
            Some("buckets") => {
                w.next();
                let v = w.value("buckets")?;
                res.buckets =
                    Some(parse_number(v).ok_or_else(|| invarg(v, "invalid buckets value"))?);
            }
            Some("idle_timer") => {
                w.next();
                res.idle_timer = Some(timer(w.value("idle_timer")?, "idle")?);
            }
            Some("unbalanced_timer") => {
                w.next();
                res.unbalanced_timer = Some(timer(w.value("unbalanced_timer")?, "unbalanced")?);
            }
            _ => break,
        }
    }
    spec.resilient = Some(res);
    Ok(())
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
    if let Some(t) = n.group_type.filter(|t| *t != GroupType::MPATH) {
        // iproute2 leaves out the default type, "in order not to break
        // existing output".
        let word = t.name_word().unwrap_or("<unknown type>");
        j.insert("type".into(), word.into());
        s += &format!("type {word} ");
    }
    if let Some(r) = &n.resilient {
        let mut o = Map::new();
        s += &format!("buckets {} ", r.buckets.unwrap_or(0));
        o.insert("buckets".into(), r.buckets.unwrap_or(0).into());
        for (key, t) in [
            ("idle_timer", u64::from(r.idle_timer.unwrap_or(0))),
            (
                "unbalanced_timer",
                u64::from(r.unbalanced_timer.unwrap_or(0)),
            ),
            ("unbalanced_time", r.unbalanced_time.unwrap_or(0)),
        ] {
            let (text, json) = clock_t(t);
            s += &format!("{key} {text} ");
            o.insert(key.into(), json);
        }
        j.insert("resilient_args".into(), Value::Object(o));
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
    let flags = rt_flags(n.flags, &mut s);
    j.insert("flags".into(), Value::Array(flags));
    if n.fdb {
        j.insert("fdb".into(), Value::Null);
        s += "fdb ";
    }
    (Value::Object(j), s)
}

/// A `clock_t` (1/100 s) as iproute2 prints a time in seconds: `%g` in
/// text and in JSON (an integral value as an integer, as `%g` writes it).
pub(crate) fn clock_t(t: u64) -> (String, Value) {
    let mut text = String::new();
    let _ = nl_rustix::nl_proto::tc::units::fmt_g(&mut text, t as f64 / 100.0, 6);
    let json = match text.parse::<u64>() {
        Ok(n) => n.into(),
        Err(_) => text.parse::<f64>().map_or(Value::Null, Value::from),
    };
    (text, json)
}

/// iproute2's `print_rt_flags` for `nh_flags`: the words onto `s`, and
/// the JSON array `flags`.
pub(crate) fn rt_flags(flags: u32, s: &mut String) -> Vec<Value> {
    rt_flag_words(flags)
        .map(|w| {
            *s += w;
            s.push(' ');
            Value::from(w)
        })
        .collect()
}
