//! `tc class add|change|replace|delete|show`, as tc 6.1's `tc_class.c`.
//! tc prints classes as text only, `-j` or not.

use crate::fail::{self, Failure};
use crate::kinds;
use crate::out::Out;
use crate::words::{self, Links, Verb};
use crate::words::{Words, matches};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Options, Tc};
use nl_rustix::{TcDump, TcSpec};

const USAGE: &str = "Usage: tc class [ add | del | change | replace | show ] dev STRING";

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    match words::verb(cmd, "class", USAGE, false, false)? {
        Verb::Modify(mode) => modify(ctx, mode, rest),
        Verb::Get => unreachable!("tc class has no get"),
        Verb::Show => show(ctx, rest),
    }
}

fn modify(ctx: &mut Ctx, mode: Option<Mode>, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let mut dev = None;
    let mut classid = Handle::UNSPEC;
    let mut parent = Handle::UNSPEC;
    let mut kind = String::new();
    let mut options = Options::None;
    while let Some(word) = w.next() {
        match word {
            "dev" => {
                let v = w.value()?;
                if dev.is_some() {
                    return Err(fail::duparg("dev", v));
                }
                dev = Some(v.to_string());
            }
            "classid" => {
                let v = w.value()?;
                if classid != Handle::UNSPEC {
                    return Err(fail::duparg("classid", v));
                }
                classid =
                    Handle::parse_classid(v).ok_or_else(|| fail::invarg("invalid class ID", v))?;
            }
            "handle" => {
                return Err(Failure::ret(
                    255,
                    "Error: try \"classid\" instead of \"handle\"",
                ));
            }
            "root" => {
                if parent != Handle::UNSPEC {
                    return Err(Failure::ret(255, "Error: \"root\" is duplicate parent ID."));
                }
                parent = Handle::ROOT;
            }
            "parent" => {
                let v = w.value()?;
                if parent != Handle::UNSPEC {
                    return Err(fail::duparg("parent", v));
                }
                parent =
                    Handle::parse_classid(v).ok_or_else(|| fail::invarg("invalid parent ID", v))?;
            }
            w2 if matches(w2, "help") => return Err(Failure::exit(USAGE)),
            k => {
                kind = k.to_string();
                if matches!(k, "pfifo" | "bfifo" | "pfifo_fast" | "ingress" | "clsact") {
                    return Err(Failure::ret(
                        1,
                        format!("Error: Qdisc \"{k}\" is classless."),
                    ));
                }
                options = kinds::parse_class(k, &mut w)?;
                break;
            }
        }
    }
    let ifindex = match &dev {
        Some(d) => ctx.links.dev(&mut ctx.conn, d)?,
        None => 0,
    };
    let spec = TcSpec::new(ifindex, parent, kind)
        .handle(classid)
        .options(options);
    let result = match mode {
        Some(m) => ctx.conn.tc_new(Object::Class, m, &spec),
        None => ctx.conn.tc_delete(Object::Class, &spec),
    };
    result.map_err(|e| Failure::kernel(&e, ""))
}

fn show(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let mut dev = None;
    let mut what = TcDump::default();
    let mut qdisc: Option<Handle> = None;
    while let Some(word) = w.next() {
        if word == "dev" {
            let v = w.value()?;
            if dev.is_some() {
                return Err(fail::duparg("dev", v));
            }
            dev = Some(v.to_string());
        } else if word == "qdisc" {
            let v = w.value()?;
            if qdisc.is_some() {
                return Err(fail::duparg("qdisc", v));
            }
            qdisc =
                Some(Handle::parse_qdisc(v).ok_or_else(|| fail::invarg("invalid qdisc ID", v))?);
        } else if word == "classid" {
            let v = w.value()?;
            if what.handle.is_some() {
                return Err(fail::duparg("classid", v));
            }
            what.handle =
                Some(Handle::parse_classid(v).ok_or_else(|| fail::invarg("invalid class ID", v))?);
        } else if word == "root" {
            if what.parent.is_some() {
                return Err(Failure::ret(255, "Error: \"root\" is duplicate parent ID"));
            }
            what.parent = Some(Handle::ROOT);
        } else if word == "parent" {
            let v = w.value()?;
            if what.parent.is_some() {
                return Err(fail::duparg("parent", v));
            }
            what.parent =
                Some(Handle::parse_classid(v).ok_or_else(|| fail::invarg("invalid parent ID", v))?);
        } else if matches(word, "help") {
            return Err(Failure::exit(USAGE));
        } else {
            return Err(Failure::ret(
                255,
                format!("What is \"{word}\"? Try \"tc class help\"."),
            ));
        }
    }
    let filtered = dev.is_some();
    if let Some(d) = &dev {
        what.dev = Some(ctx.links.dev(&mut ctx.conn, d)?.into());
    }
    ctx.links.preload(&mut ctx.conn)?;
    let mut out = Out::new(false, false);
    let Ctx {
        conn, opts, links, ..
    } = ctx;
    conn.tc_dump_each(Object::Class, &what, |t| {
        if qdisc.is_none_or(|q| q.major() == t.handle.major()) {
            print(links, opts, &mut out, t, filtered, qdisc.is_some());
        }
        Ok(())
    })
    .map_err(|e| Failure::ret(1, format!("Dump terminated\n  {e}")))?;
    out.finish();
    Ok(())
}

/// One class, as `print_class`.
pub(crate) fn print(
    links: &Links,
    o: &Opts,
    out: &mut Out,
    t: &Tc,
    filtered: bool,
    by_qdisc: bool,
) {
    let id = |h: Handle| {
        if by_qdisc {
            Handle(u32::from(h.minor()))
        } else {
            h
        }
    };
    let handle = if t.handle == Handle::UNSPEC {
        String::new()
    } else {
        id(t.handle).to_string()
    };
    out.fp(format_args!("class {} {handle} ", t.kind));
    if !filtered {
        let name = links.name(u32::try_from(t.ifindex).unwrap_or(0));
        out.fp(format_args!("dev {name} "));
    }
    if t.parent == Handle::ROOT {
        out.fp("root ");
    } else {
        out.fp(format_args!("parent {} ", id(t.parent)));
    }
    if t.info != 0 {
        out.fp(format_args!("leaf {:x}: ", t.info >> 16));
    }
    kinds::print_class(out, o, t);
    out.fp("\n");
    if o.stats > 0 {
        if let Some(s) = &t.stats {
            if s.basic.is_some() || s.queue.is_some() {
                kinds::print_stats(out, o, s, " ");
                out.fp("\n");
            }
            if kinds::print_xstats(out, s) {
                out.fp("\n");
            }
        }
    }
}
