//! `tc actions add|change|replace|delete|get|list|flush` (`m_action.c`'s
//! `do_action`): actions in the kernel's tables, by kind and index. Any
//! failure ends with status 255, as tc 6.1's `do_action` returns -1.

use crate::Ctx;
use crate::action::{actions, print_actions};
use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::{Words, get_u32, matches};
use nl_rustix::nl_proto::tc::Mode;
use nl_rustix::nl_proto::tc::act_msg::{self, ActionMsg};
use nl_rustix::nl_proto::wire::{Flags, Msg};

const USAGE: &str = "usage: tc actions <ACTSPECOP>*";
const TALK: &str = "We have an error talking to the kernel";

/// The action kinds this example knows (tc's `get_action_kind`).
const KINDS: [&str; 4] = ["mirred", "gact", "skbedit", "police"];

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    run_inner(ctx, args).map_err(|mut f| {
        f.status = 255;
        f
    })
}

fn run_inner(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((cmd, rest)) = args.split_first() else {
        return Ok(());
    };
    if matches(cmd, "add") || matches(cmd, "change") || matches(cmd, "replace") {
        let mode = if matches(cmd, "add") {
            Mode::Add
        } else {
            Mode::Replace
        };
        let mut w = Words::new(rest);
        if w.peek() == Some("action") {
            w.next();
        }
        let mut acts = Vec::new();
        actions(ctx, &mut w, &mut acts)?;
        if let Some(extra) = w.peek() {
            return Err(Failure::ret(
                255,
                format!("Command \"{extra}\" is unknown, try \"tc actions help\"."),
            ));
        }
        ctx.conn
            .ack(|wr| act_msg::encode_new(wr, mode, &acts))
            .map_err(|e| Failure::kernel(&e, TALK))
    } else if matches(cmd, "delete") || matches(cmd, "get") {
        let which = by_index(rest)?;
        let refs: Vec<(&str, u32)> = which.iter().map(|(k, i)| (k.as_str(), *i)).collect();
        // On a kernel error tc 6.1's `do_action` reads the words again
        // from `action` and stops there.
        let again = "\nCommand \"action\" is unknown, try \"tc actions help\".";
        let talk = format!("{TALK}{again}");
        if matches(cmd, "delete") {
            ctx.conn
                .ack(|wr| act_msg::encode_del(wr, &refs))
                .map_err(|e| Failure::kernel(&e, &talk))
        } else {
            let m = ctx
                .conn
                .get(|wr| act_msg::encode_get(wr, &refs), ActionMsg::decode)
                .map_err(|e| Failure::kernel(&e, &talk))?;
            ctx.links.preload(&mut ctx.conn)?;
            let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
            print_msg(ctx, &mut out, &m, None);
            out.finish();
            Ok(())
        }
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        let kind = table_kind(rest)?;
        ctx.links.preload(&mut ctx.conn)?;
        let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
        let mut msgs = Vec::new();
        ctx.conn
            .dump(
                |wr| act_msg::encode_dump(wr, kind),
                |msg| {
                    msgs.push(ActionMsg::decode(msg)?);
                    Ok(())
                },
            )
            .map_err(|e| Failure::kernel(&e, TALK))?;
        for m in &msgs {
            print_msg(ctx, &mut out, m, None);
        }
        out.finish();
        Ok(())
    } else if matches(cmd, "flush") {
        let kind = table_kind(rest)?;
        ctx.conn
            .ack(|wr| act_msg::encode_flush(wr, kind))
            .map_err(|e| Failure::kernel(&e, "We have an error flushing"))
    } else if matches(cmd, "help") {
        Err(Failure::ret(255, USAGE))
    } else {
        Err(Failure::ret(
            255,
            format!("Command \"{cmd}\" is unknown, try \"tc actions help\"."),
        ))
    }
}

/// `list|flush action KIND`.
fn table_kind(rest: &[String]) -> Result<&str, Failure> {
    let (Some(_), Some(kind)) = (rest.first(), rest.get(1)) else {
        return Err(Failure::ret(255, USAGE));
    };
    Ok(kind)
}

/// `tc_action_gd`: `action KIND index N …`.
fn by_index(rest: &[String]) -> Result<Vec<(String, u32)>, Failure> {
    let mut w = Words::new(rest);
    let mut out = Vec::new();
    while let Some(word) = w.next() {
        if word == "action" {
            continue;
        }
        if !KINDS.contains(&word) {
            return Err(Failure::ret(
                255,
                format!("Error: non existent action: {word}"),
            ));
        }
        let no_index = || Failure::ret(255, format!("Error: no index specified action: {word}"));
        match w.next() {
            Some(i) if matches(i, "index") => {
                let v = w.value()?;
                out.push((
                    word.to_string(),
                    get_u32(v, 10).ok_or_else(|| Failure::ret(255, "Illegal \"index\""))?,
                ));
            }
            _ => return Err(no_index()),
        }
    }
    Ok(out)
}

/// `print_action`: the count line, then the actions. `headline` is the
/// monitor's `Added action ` and the like.
pub(crate) fn print_msg(ctx: &Ctx, out: &mut Out, m: &ActionMsg, headline: Option<&str>) {
    out.open(None);
    let n = m.count.unwrap_or(0);
    out.any(To::Any, "total acts", n, format_args!("total acts {n}"));
    out.nl();
    out.close();
    if !m.has_tab {
        return;
    }
    if let Some(h) = headline {
        out.fp(h);
    }
    out.open(None);
    print_actions(&ctx.links, &ctx.opts, out, &m.actions, false);
    out.close();
}

/// The monitor's headline for an action message (`print_action`).
pub(crate) fn headline(msg: &Msg<'_>) -> Option<&'static str> {
    let flags = Flags(msg.header().flags.get());
    match msg.msg_type() {
        nl_rustix::nl_proto::tc::RTM_DELACTION if flags.contains(Flags::ROOT) => {
            Some("Flushed table ")
        }
        nl_rustix::nl_proto::tc::RTM_DELACTION => Some("Deleted action "),
        nl_rustix::nl_proto::tc::RTM_NEWACTION
            if flags.contains(Flags::CREATE) && !flags.contains(Flags::REPLACE) =>
        {
            Some("Added action ")
        }
        nl_rustix::nl_proto::tc::RTM_NEWACTION if flags.contains(Flags::REPLACE) => {
            Some("Replaced action ")
        }
        _ => None,
    }
}
