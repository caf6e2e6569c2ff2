//! `ip nexthop bucket show|get`: the buckets of resilient nexthop groups,
//! printed as iproute2 6.1 prints them (`id G index I idle_time S nhid N`).

use crate::fail::Failure;
use crate::nexthop::{USAGE, clock_t};
use crate::plan::{Ctx, Plan};
use crate::render::print_json;
use crate::words::{Family, Opts, Words, invarg, matches, parse_number};
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::nexthop::{BucketDump, NexthopBucket};
use serde_json::{Map, Value};

/// `ip nexthop bucket …` (the words after `bucket`), in iproute2's order
/// of commands.
pub(crate) fn plan(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let Some(cmd) = w.next() else {
        return list(opts, w);
    };
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        list(opts, w)
    } else if matches(cmd, "get") {
        get(w)
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(Failure::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip nexthop help\"."
        )))
    }
}

fn parse_id(v: &str) -> Result<u32, Failure> {
    parse_number(v).ok_or_else(|| invarg(v, "invalid id value"))
}

/// `[id N] [nhid N] [dev NAME] [master NAME] [vrf NAME]`.
fn list(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut filter = BucketDump {
        family: opts.family.map_or(AddrFamily::UNSPEC, Family::af),
        ..BucketDump::default()
    };
    let (mut dev, mut master, mut vrf) = (None, None, None);
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "dev") => dev = Some(w.value("dev")?.to_string()),
            _ if matches(word, "master") => master = Some(w.value("master")?.to_string()),
            _ if matches(word, "vrf") => vrf = Some(w.value("vrf")?.to_string()),
            "id" => filter.id = Some(parse_id(w.value("id")?)?),
            "nhid" => filter.nh_id = Some(parse_id(w.value("nhid")?)?),
            _ if matches(word, "help") => return Err(Failure::usage(USAGE)),
            other => return Err(invarg(other, "")),
        }
    }
    Ok(Plan::run(move |ctx: &mut Ctx| {
        if let Some(n) = &dev {
            let i = ctx.conn.link_index(n.as_str());
            filter.oif = Some(i.map_err(|_| invarg(n, "Device does not exist"))?);
        }
        if let Some(n) = &master {
            let i = ctx.conn.link_index(n.as_str());
            filter.master = Some(i.map_err(|_| invarg(n, "Device does not exist"))?);
        }
        if let Some(n) = &vrf {
            // iproute2's `name_is_vrf`: a link of kind vrf, or nothing.
            let link = ctx.conn.link(n.as_str()).ok();
            let link = link.filter(|l| l.kind.as_deref() == Some("vrf"));
            filter.master = Some(link.ok_or_else(|| invarg(n, "Invalid VRF"))?.index);
        }
        let list = ctx.conn.nexthop_buckets(&filter).inspect_err(|_| {
            // iproute2 opens its JSON array before the dump fails.
            if ctx.opts.json {
                print!("[");
                let _ = std::io::Write::flush(&mut std::io::stdout());
            }
        })?;
        render(ctx, &list);
        Ok(())
    }))
}

/// `get id N index I`: both required, anything else is the usage.
fn get(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let (mut id, mut index) = (0, None);
    while let Some(word) = w.next() {
        match word {
            "id" => id = parse_id(w.value("id")?)?,
            "index" => {
                let v = w.value("index")?;
                let i = parse_number::<u16>(v)
                    .ok_or_else(|| invarg(v, "invalid bucket index value"))?;
                index = Some(i);
            }
            _ => return Err(Failure::usage(USAGE)),
        }
    }
    let Some(index) = index.filter(|_| id != 0) else {
        return Err(Failure::usage(USAGE));
    };
    Ok(Plan::run(move |ctx: &mut Ctx| {
        let b = ctx.conn.nexthop_bucket(id, index)?;
        render(ctx, &[b]);
        Ok(())
    }))
}

fn render(ctx: &Ctx, list: &[NexthopBucket]) {
    if ctx.opts.json {
        print_json(&ctx.opts, list.iter().map(|b| fields(b).0).collect());
    } else {
        for b in list {
            println!("{}", fields(b).1);
        }
    }
}

/// A bucket as `ip -j nexthop bucket` and `ip nexthop bucket` print it.
fn fields(b: &NexthopBucket) -> (Value, String) {
    let mut j = Map::new();
    let mut s = format!("id {} ", b.id);
    j.insert("id".into(), b.id.into());
    let mut o = Map::new();
    s += &format!("index {} ", b.index);
    o.insert("index".into(), b.index.into());
    if let Some(t) = b.idle_time {
        let (text, json) = clock_t(t);
        s += &format!("idle_time {text} ");
        o.insert("idle_time".into(), json);
    }
    s += &format!("nhid {} ", b.nh_id);
    o.insert("nhid".into(), b.nh_id.into());
    j.insert("bucket".into(), Value::Object(o));
    let flags = crate::nexthop::rt_flags(b.flags, &mut s);
    j.insert("flags".into(), Value::Array(flags));
    (Value::Object(j), s)
}
