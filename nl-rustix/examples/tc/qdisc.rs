//! `tc qdisc add|change|replace|link|delete|show`, as tc 6.1's
//! `tc_qdisc.c`.

use crate::fail::{self, Failure};
use crate::kinds;
use crate::out::{Out, To};
use crate::words::{self, Links, Verb};
use crate::words::{Words, matches};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Options, Tc};
use nl_rustix::{TcDump, TcSpec};

const USAGE: &str = "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING";

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    match words::verb(cmd, "qdisc", USAGE, true, false)? {
        Verb::Modify(mode) => modify(ctx, mode, rest),
        Verb::Get => unreachable!("tc qdisc has no get"),
        Verb::Show => show(ctx, rest),
    }
}

/// `tc_qdisc_modify`: `mode` `None` is delete.
fn modify(ctx: &mut Ctx, mode: Option<Mode>, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let mut dev = None;
    let mut handle = Handle::UNSPEC;
    let mut parent = Handle::UNSPEC;
    let mut kind = String::new();
    let mut options = Options::None;
    let parse_kind = |kind: &str, w: &mut Words<'_>| kinds::parse_qdisc(kind, w);
    while let Some(word) = w.next() {
        match word {
            "dev" => {
                let v = w.value()?;
                if dev.is_some() {
                    return Err(fail::duparg("dev", v));
                }
                dev = Some(v.to_string());
            }
            "handle" => {
                if handle != Handle::UNSPEC {
                    return Err(fail::duparg("handle", word));
                }
                let v = w.value()?;
                handle =
                    Handle::parse_qdisc(v).ok_or_else(|| fail::invarg("invalid qdisc ID", v))?;
            }
            "root" => {
                if parent != Handle::UNSPEC {
                    return Err(Failure::ret(255, "Error: \"root\" is duplicate parent ID"));
                }
                parent = Handle::ROOT;
            }
            "clsact" | "ingress" => {
                if parent != Handle::UNSPEC {
                    return Err(Failure::ret(
                        255,
                        format!("Error: \"{word}\" is a duplicate parent ID"),
                    ));
                }
                parent = Handle::INGRESS;
                handle = Handle::INGRESS_QDISC;
                kind = word.to_string();
                options = parse_kind(word, &mut w)?;
                break;
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
                options = parse_kind(k, &mut w)?;
                break;
            }
        }
    }
    let ifindex = match &dev {
        Some(d) => ctx.links.dev(&mut ctx.conn, d)?,
        None => 0,
    };
    let spec = TcSpec::new(ifindex, parent, kind)
        .handle(handle)
        .options(options);
    let result = match mode {
        Some(m) => ctx.conn.tc_new(Object::Qdisc, m, &spec),
        None => ctx.conn.tc_delete(Object::Qdisc, &spec),
    };
    result.map_err(|e| Failure::kernel(&e, ""))
}

/// `tc_qdisc_list` and `print_qdisc`.
fn show(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let mut dev = None;
    let mut what = TcDump::default();
    let mut invisible = false;
    while let Some(word) = w.next() {
        let taken = |what: &TcDump| -> Result<(), Failure> {
            if what.parent.is_some() {
                return Err(fail::invarg("parent is already specified", word));
            }
            if what.handle.is_some() {
                return Err(fail::invarg("handle is already specified", word));
            }
            Ok(())
        };
        if word == "dev" {
            dev = Some(w.value()?.to_string());
        } else if word == "root" {
            taken(&what)?;
            what.parent = Some(Handle::ROOT);
        } else if word == "ingress" || word == "clsact" {
            taken(&what)?;
            what.parent = Some(Handle::INGRESS);
        } else if matches(word, "parent") {
            taken(&what)?;
            let v = w.value()?;
            what.parent =
                Some(Handle::parse_classid(v).ok_or_else(|| fail::invarg("invalid parent ID", v))?);
        } else if matches(word, "handle") {
            taken(&what)?;
            let v = w.value()?;
            what.handle =
                Some(Handle::parse_qdisc(v).ok_or_else(|| fail::invarg("invalid handle ID", v))?);
        } else if matches(word, "help") {
            return Err(Failure::exit(USAGE));
        } else if word == "invisible" {
            invisible = true;
        } else {
            return Err(Failure::ret(
                255,
                format!("What is \"{word}\"? Try \"tc qdisc help\"."),
            ));
        }
    }
    let _ = invisible;
    let filtered = dev.is_some();
    if let Some(d) = &dev {
        what.dev = Some(ctx.links.dev(&mut ctx.conn, d)?.into());
    }
    ctx.links.preload(&mut ctx.conn)?;
    let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
    let Ctx {
        conn, opts, links, ..
    } = ctx;
    conn.tc_dump_each(Object::Qdisc, &what, |t| {
        print(links, opts, &mut out, t, filtered, false);
        Ok(())
    })
    .map_err(|e| Failure::ret(1, format!("Dump terminated\n  {e}")))?;
    out.finish();
    Ok(())
}

/// One qdisc, as `print_qdisc` (`deleted`/`added` come from monitors).
pub(crate) fn print(links: &Links, o: &Opts, out: &mut Out, t: &Tc, filtered: bool, deleted: bool) {
    out.open(None);
    if deleted {
        out.any(To::Any, "deleted", true, "deleted ");
    }
    out.any(
        To::Any,
        "kind",
        t.kind.as_str(),
        format_args!("qdisc {}", t.kind),
    );
    let h = format!("{:x}:", t.handle.major());
    out.any(To::Any, "handle", h.clone(), format_args!(" {h}"));
    if o.raw {
        out.fp(format_args!("[{:08x}]", t.handle.0));
    }
    out.fp(" ");
    if !filtered {
        let name = links.name(u32::try_from(t.ifindex).unwrap_or(0));
        out.any(To::Any, "dev", name.clone(), format_args!("dev {name} "));
    }
    if t.parent == Handle::ROOT {
        out.any(To::Any, "root", true, "root ");
    } else if t.parent != Handle::UNSPEC {
        out.any(
            To::Any,
            "parent",
            t.parent.to_string(),
            format_args!("parent {} ", t.parent),
        );
    }
    if t.info != 1 {
        out.any(
            To::Any,
            "refcnt",
            t.info,
            format_args!("refcnt {} ", t.info),
        );
    }
    if t.hw_offload {
        out.any(To::Any, "offloaded", true, "offloaded ");
    }
    if let Some(b) = t.ingress_block.filter(|&b| b != 0) {
        out.any(
            To::Any,
            "ingress_block",
            b,
            format_args!("ingress_block {b} "),
        );
    }
    if let Some(b) = t.egress_block.filter(|&b| b != 0) {
        out.any(
            To::Any,
            "egress_block",
            b,
            format_args!("egress_block {b} "),
        );
    }
    out.open(Some("options"));
    kinds::print_qdisc(out, o, t);
    out.close();
    out.nl();
    if o.stats > 0 {
        if let Some(s) = &t.stats {
            kinds::print_stats(out, o, s, " ");
            out.nl();
        }
    }
    out.close();
}
