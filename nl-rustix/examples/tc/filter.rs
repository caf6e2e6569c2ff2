//! `tc filter add|change|replace|delete|get|show`, as tc 6.1's
//! `tc_filter.c`.

use crate::fail::{self, Failure};
use crate::out::{Out, To};
use crate::words::{self, Links, Verb};
use crate::words::{Words, get_u32, matches, proto_name, proto_parse};
use crate::{Ctx, Opts};
use crate::{bpf, u32};
use nl_rustix::nl_proto::tc::cls_basic::BasicFilter;
use nl_rustix::nl_proto::tc::cls_matchall::MatchallFilter;
use nl_rustix::nl_proto::tc::cls_u32::U32Handle;
use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Options, Tc, cls_u32};
use nl_rustix::{TcDump, TcSpec};

const USAGE: &str = "Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]";
const ETH_P_ALL: u16 = 0x0003;
/// What tc prints after the kernel refused a filter.
pub(crate) const TALK: &str = "We have an error talking to the kernel\n";

/// `show`'s narrowing, which the listing also uses to leave out what was
/// asked for (tc's `filter_*` globals).
#[derive(Default)]
pub(crate) struct Shown {
    dev: bool,
    parent: Option<Handle>,
    priority: u16,
    protocol: u16,
    chain: Option<u32>,
}

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    match words::verb(cmd, "filter", USAGE, false, true)? {
        Verb::Modify(mode) => modify(ctx, mode, rest),
        Verb::Get => get(ctx, rest),
        Verb::Show => show(ctx, rest),
    }
}

/// The words before the kind, common to add/del/get (`tc_filter_modify`).
pub(crate) struct Head {
    pub(crate) dev: Option<String>,
    pub(crate) parent: Handle,
    pub(crate) fhandle: Option<String>,
    pub(crate) priority: u16,
    pub(crate) protocol: Option<u16>,
    pub(crate) chain: Option<u32>,
    pub(crate) kind: String,
}

pub(crate) fn head(w: &mut Words<'_>) -> Result<Head, Failure> {
    let mut h = Head {
        dev: None,
        parent: Handle::UNSPEC,
        fhandle: None,
        priority: 0,
        protocol: None,
        chain: None,
        kind: String::new(),
    };
    while let Some(word) = w.next() {
        let dup_parent = |p: Handle| {
            if p == Handle::UNSPEC {
                Ok(())
            } else {
                Err(Failure::ret(
                    255,
                    format!("Error: \"{word}\" is duplicate parent ID"),
                ))
            }
        };
        if word == "dev" {
            let v = w.value()?;
            if h.dev.is_some() {
                return Err(fail::duparg("dev", v));
            }
            h.dev = Some(v.to_string());
        } else if word == "root" {
            dup_parent(h.parent)?;
            h.parent = Handle::ROOT;
        } else if word == "ingress" {
            dup_parent(h.parent)?;
            h.parent = Handle::CLSACT_INGRESS;
        } else if word == "egress" {
            dup_parent(h.parent)?;
            h.parent = Handle::CLSACT_EGRESS;
        } else if word == "parent" {
            let v = w.value()?;
            if h.parent != Handle::UNSPEC {
                return Err(fail::duparg("parent", v));
            }
            h.parent =
                Handle::parse_classid(v).ok_or_else(|| fail::invarg("Invalid parent ID", v))?;
        } else if word == "handle" {
            let v = w.value()?;
            if h.fhandle.is_some() {
                return Err(fail::duparg("handle", v));
            }
            h.fhandle = Some(v.to_string());
        } else if matches(word, "preference") || matches(word, "priority") {
            let v = w.value()?;
            if h.priority != 0 {
                return Err(fail::duparg("priority", v));
            }
            h.priority = get_u32(v, 0)
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| fail::invarg("invalid priority value", v))?;
        } else if matches(word, "protocol") {
            let v = w.value()?;
            if h.protocol.is_some() {
                return Err(fail::duparg("protocol", v));
            }
            h.protocol = Some(proto_parse(v).ok_or_else(|| fail::invarg("invalid protocol", v))?);
        } else if matches(word, "chain") {
            let v = w.value()?;
            if h.chain.is_some() {
                return Err(fail::duparg("chain", v));
            }
            h.chain =
                Some(get_u32(v, 0).ok_or_else(|| fail::invarg("invalid chain index value", v))?);
        } else if matches(word, "help") {
            return Err(Failure::exit(USAGE));
        } else {
            h.kind = word.to_string();
            break;
        }
    }
    Ok(h)
}

fn modify(ctx: &mut Ctx, mode: Option<Mode>, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let h = head(&mut w)?;
    // A new filter's protocol defaults to all; elsewhere to "any".
    let creates = matches!(mode, Some(Mode::Add | Mode::Replace));
    let protocol = h.protocol.unwrap_or(if creates { ETH_P_ALL } else { 0 });
    let ifindex = match &h.dev {
        Some(d) => ctx
            .links
            .index(&mut ctx.conn, d)?
            .ok_or_else(|| Failure::ret(1, format!("Cannot find device \"{d}\"")))?,
        None => 0,
    };
    let mut handle = 0u32;
    let options = match h.kind.as_str() {
        "" => {
            if h.fhandle.is_some() {
                return Err(Failure::ret(
                    255,
                    "Must specify filter type when using \"handle\"",
                ));
            }
            if let Some(g) = w.peek() {
                return Err(Failure::ret(
                    255,
                    format!("Garbage instead of arguments \"{g} ...\". Try \"tc filter help\"."),
                ));
            }
            Options::None
        }
        "u32" => Options::U32(u32::parse(ctx, &mut w, h.fhandle.as_deref(), &mut handle)?),
        "matchall" => Options::Matchall(matchall(ctx, &mut w, h.fhandle.as_deref(), &mut handle)?),
        "basic" => Options::Basic(basic(ctx, &mut w, h.fhandle.as_deref(), &mut handle)?),
        "flower" => Options::Flower(crate::flower::parse(
            ctx,
            &mut w,
            h.fhandle.as_deref(),
            &mut handle,
            protocol,
        )?),
        "bpf" => bpf::parse(ctx, &mut w, h.fhandle.as_deref(), &mut handle)?
            .map_or(Options::None, Options::Bpf),
        k => {
            if let Some(word) = w.peek() {
                return Err(Failure::ret(
                    1,
                    format!("Unknown filter \"{k}\", hence option \"{word}\" is unparsable"),
                ));
            }
            if let Some(fh) = &h.fhandle {
                handle = get_u32(fh, 0).ok_or_else(|| Failure::ret(1, "Illegal filter ID"))?;
            }
            Options::None
        }
    };
    let mut spec = TcSpec::new(ifindex, h.parent, h.kind.clone())
        .handle(Handle(handle))
        .options(options)
        .filter(h.priority, protocol);
    spec.chain = h.chain;
    let result = match mode {
        Some(m) => ctx.conn.tc_new(Object::Filter, m, &spec),
        None => ctx.conn.tc_delete(Object::Filter, &spec),
    };
    result.map_err(|e| Failure::kernel(&e, TALK))
}

/// `matchall_parse_opt`.
fn matchall(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    fhandle: Option<&str>,
    handle: &mut u32,
) -> Result<MatchallFilter, Failure> {
    if let Some(h) = fhandle {
        *handle = get_u32(h, 0)
            .ok_or_else(|| Failure::ret(1, format!("Illegal handle \"{h}\", must be numeric.")))?;
    }
    let mut m = MatchallFilter::default();
    let mut flags = 0;
    let mut acts = Vec::new();
    while let Some(word) = w.next() {
        if matches(word, "classid") || word == "flowid" {
            let v = w.value()?;
            m.classid = Some(
                Handle::parse_classid(v).ok_or_else(|| Failure::ret(1, "Illegal \"classid\""))?,
            );
        } else if matches(word, "action") {
            crate::action::actions(ctx, w, &mut acts)?;
        } else if word == "skip_hw" {
            flags |= cls_u32::FLAG_SKIP_HW;
        } else if word == "skip_sw" {
            flags |= cls_u32::FLAG_SKIP_SW;
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?")));
        }
    }
    for a in acts {
        m.actions
            .push(a)
            .map_err(|_| Failure::ret(1, "Too many actions"))?;
    }
    m.flags = (flags != 0).then_some(flags);
    Ok(m)
}

/// `tc filter get`: one filter by parent, protocol, priority, kind and
/// handle (`tc_filter_get`).
fn get(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let h = head(&mut w)?;
    let must = |what: &str| Failure::ret(255, format!("Must specify filter {what}"));
    let Some(protocol) = h.protocol else {
        return Err(must("protocol"));
    };
    if h.priority == 0 {
        return Err(must("priority"));
    }
    if h.parent == Handle::UNSPEC {
        return Err(must("parent"));
    }
    if h.kind.is_empty() {
        return Err(must("type"));
    }
    let Some(dev) = &h.dev else {
        return Err(Failure::ret(
            255,
            "Must specify netdevice \"dev\" or block index \"block\"",
        ));
    };
    let ifindex = ctx.links.dev(&mut ctx.conn, dev)?;
    let mut handle = 0u32;
    match h.kind.as_str() {
        "u32" => {
            if let Some(fh) = &h.fhandle {
                handle = U32Handle::parse(fh)
                    .ok_or_else(|| Failure::ret(1, "Illegal filter ID"))?
                    .0;
            }
        }
        _ => {
            if let Some(fh) = &h.fhandle {
                handle = get_u32(fh, 0).ok_or_else(|| Failure::ret(1, "Illegal \"handle\""))?;
            }
        }
    }
    if h.fhandle.is_none() {
        return Err(must("\"handle\""));
    }
    if let Some(g) = w.peek() {
        return Err(Failure::ret(
            255,
            format!("Garbage instead of arguments \"{g} ...\". Try \"tc filter help\"."),
        ));
    }
    let mut spec = TcSpec::new(ifindex, h.parent, h.kind.clone())
        .handle(Handle(handle))
        .filter(h.priority, protocol);
    spec.chain = h.chain;
    let t = ctx
        .conn
        .tc_get(Object::Filter, &spec)
        .map_err(|e| Failure::kernel(&e, TALK))?;
    ctx.links.preload(&mut ctx.conn)?;
    let shown = Shown {
        dev: true,
        ..Shown::default()
    };
    let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
    print(&ctx.links, &ctx.opts, &mut out, &t, &shown);
    out.finish();
    Ok(())
}

fn show(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let h = head(&mut w)?;
    if !h.kind.is_empty() {
        eprintln!(" What is \"{}\"? Try \"tc filter help\"", h.kind);
    }
    let shown = Shown {
        dev: h.dev.is_some(),
        parent: (h.parent != Handle::UNSPEC).then_some(h.parent),
        priority: h.priority,
        protocol: h.protocol.unwrap_or(0),
        chain: h.chain,
    };
    let mut what = TcDump {
        parent: shown.parent,
        priority: h.priority,
        protocol: shown.protocol,
        chain: h.chain,
        ..TcDump::default()
    };
    if let Some(d) = &h.dev {
        what.dev = Some(ctx.links.dev(&mut ctx.conn, d)?.into());
    }
    ctx.links.preload(&mut ctx.conn)?;
    let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
    let Ctx {
        conn, opts, links, ..
    } = ctx;
    conn.tc_dump_each(Object::Filter, &what, |t| {
        print(links, opts, &mut out, t, &shown);
        Ok(())
    })
    .map_err(|e| Failure::ret(1, format!("Dump terminated\n  {e}")))?;
    out.finish();
    Ok(())
}

/// One filter, as `print_filter`.
pub(crate) fn print(links: &Links, o: &Opts, out: &mut Out, t: &Tc, shown: &Shown) {
    out.open(None);
    out.fp("filter ");
    if !shown.dev {
        let name = links.name(u32::try_from(t.ifindex).unwrap_or(0));
        out.any(To::Any, "dev", name.clone(), format_args!("dev {name} "));
    }
    if shown.parent != Some(t.parent) {
        if t.parent == Handle::ROOT {
            out.any(To::Any, "root", true, "root ");
        } else if t.parent == Handle::CLSACT_INGRESS {
            out.any(To::Any, "ingress", true, "ingress ");
        } else if t.parent == Handle::CLSACT_EGRESS {
            out.any(To::Any, "egress", true, "egress ");
        } else {
            out.any(
                To::Any,
                "parent",
                t.parent.to_string(),
                format_args!("parent {} ", t.parent),
            );
        }
    }
    if t.info != 0 {
        let proto = t.protocol();
        if (shown.protocol == 0 || shown.protocol != proto) && proto != 0 {
            let n = proto_name(proto);
            out.any(
                To::Any,
                "protocol",
                n.clone(),
                format_args!("protocol {n} "),
            );
        }
        let prio = t.priority();
        if (shown.priority == 0 || shown.priority != prio) && prio != 0 {
            out.any(To::Any, "pref", prio, format_args!("pref {prio} "));
        }
    }
    out.any(
        To::Any,
        "kind",
        t.kind.as_str(),
        format_args!("{} ", t.kind),
    );
    if let Some(c) = t.chain {
        if shown.chain != Some(c) {
            out.any(To::Any, "chain", c, format_args!("chain {c} "));
        }
    }
    match &t.options {
        Options::None => {}
        Options::U32(u) => {
            out.open(Some("options"));
            u32::print(links, o, out, u, t.handle.0, t.protocol());
            out.close();
        }
        Options::Bpf(b) => {
            out.open(Some("options"));
            bpf::print(links, o, out, b, t.handle.0);
            out.close();
        }
        Options::Basic(b) => {
            out.open(Some("options"));
            print_basic(links, o, out, b, t.handle.0);
            out.close();
        }
        Options::Flower(fl) => {
            out.open(Some("options"));
            crate::flower::print(links, o, out, fl, t.handle.0);
            out.close();
        }
        Options::Matchall(m) => {
            out.open(Some("options"));
            print_matchall(links, o, out, m, t.handle.0);
            out.close();
        }
        _ => {
            out.open(Some("options"));
            eprintln!("cannot parse option parameters");
            out.close();
        }
    }
    out.nl();
    if o.stats > 0 {
        if let Some(s) = &t.stats {
            crate::kinds::print_stats(out, o, s, " ");
            out.nl();
        }
    }
    out.close();
}

/// `matchall_print_opt`.
fn print_matchall(links: &Links, o: &Opts, out: &mut Out, m: &MatchallFilter, handle: u32) {
    if handle != 0 {
        out.any(
            To::Any,
            "handle",
            handle,
            format_args!("handle {handle:#x} "),
        );
    }
    if let Some(c) = m.classid {
        out.any(
            To::Any,
            "flowid",
            c.to_string(),
            format_args!("flowid {c} "),
        );
    }
    if let Some(f) = m.flags {
        for (bit, name) in [
            (cls_u32::FLAG_SKIP_HW, "skip_hw"),
            (cls_u32::FLAG_SKIP_SW, "skip_sw"),
        ] {
            if f & bit != 0 {
                out.any(To::Any, name, true, format_args!("\n  {name}"));
            }
        }
        if f & cls_u32::FLAG_IN_HW != 0 {
            out.any(To::Any, "in_hw", true, "\n  in_hw");
        } else if f & cls_u32::FLAG_NOT_IN_HW != 0 {
            out.any(To::Any, "not_in_hw", true, "\n  not_in_hw");
        }
    }
    if !m.actions.is_empty() {
        crate::action::print_actions(links, o, out, &m.actions, true);
    }
}

const BASIC_USAGE: &str = "Usage: ... basic [ match EMATCH_TREE ] [ flowid FLOWID ]";

/// `basic_parse_opt` (extended matches are not supported here).
fn basic(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    fhandle: Option<&str>,
    handle: &mut u32,
) -> Result<BasicFilter, Failure> {
    if let Some(h) = fhandle {
        *handle = get_u32(h, 0)
            .ok_or_else(|| Failure::ret(1, format!("Illegal handle \"{h}\", must be numeric.")))?;
    }
    let mut b = BasicFilter {
        empty: w.peek().is_none(),
        ..BasicFilter::default()
    };
    while let Some(word) = w.next() {
        if matches(word, "match") {
            return Err(Failure::ret(
                1,
                "basic: extended matches are not supported by this tc\nIllegal \"ematch\"",
            ));
        } else if matches(word, "classid") || word == "flowid" {
            let v = w.value()?;
            b.classid = Some(
                Handle::parse_classid(v).ok_or_else(|| Failure::ret(1, "Illegal \"classid\""))?,
            );
        } else if matches(word, "action") {
            let mut acts = Vec::new();
            crate::action::actions(ctx, w, &mut acts)?;
            for a in acts {
                b.actions
                    .push(a)
                    .map_err(|_| Failure::ret(1, "Too many actions"))?;
            }
        } else if matches(word, "police") {
            b.police = Some(crate::action::police(w)?);
        } else if word == "help" {
            return Err(Failure::ret(1, BASIC_USAGE));
        } else {
            return Err(Failure::ret(
                1,
                format!("What is \"{word}\"?\n{BASIC_USAGE}"),
            ));
        }
    }
    Ok(b)
}

/// `basic_print_opt`.
fn print_basic(links: &Links, o: &Opts, out: &mut Out, b: &BasicFilter, handle: u32) {
    if handle != 0 {
        out.any(
            To::Any,
            "handle",
            format!("{handle:x}"),
            format_args!("handle {handle:#x} "),
        );
    }
    if let Some(c) = b.classid {
        out.any(
            To::Any,
            "flowid",
            c.to_string(),
            format_args!("flowid {c} "),
        );
    }
    if let Some(p) = &b.police {
        out.nl();
        crate::action::print_police(out, o, p);
    }
    if !b.actions.is_empty() {
        crate::action::print_actions(links, o, out, &b.actions, true);
    }
}
