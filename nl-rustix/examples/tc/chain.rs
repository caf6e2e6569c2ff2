//! `tc chain add|del|get|show` (`tc_filter.c`'s `do_chain`): the same
//! words before the kind as a filter, and chains listed as
//! `print_filter` lists them (`chain parent ffff: chain 3`).

use crate::Ctx;
use crate::fail::Failure;
use crate::filter::{Head, TALK, head};
use crate::out::{Out, To};
use crate::words::{Links, Words, matches};
use nl_rustix::LinkId;
use nl_rustix::nl_proto::tc::Handle;
use nl_rustix::nl_proto::tc::chain::Chain;

const USAGE: &str = "Usage: tc chain [ add | del | get | show ] [ dev STRING ]
       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]";

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    let mut w = Words::new(rest);
    if matches(cmd, "add") || matches(cmd, "delete") {
        let h = head(&mut w)?;
        let (dev, index) = target(ctx, &h)?;
        let r = if matches(cmd, "add") {
            ctx.conn.tc_chain_new(&dev, h.parent, index)
        } else {
            ctx.conn.tc_chain_delete(&dev, h.parent, index)
        };
        r.map_err(|e| Failure::kernel(&e, TALK))
    } else if matches(cmd, "get") {
        let h = head(&mut w)?;
        let (dev, index) = target(ctx, &h)?;
        let shown = match dev {
            LinkId::Index(i) => Some(i),
            LinkId::Name(_) => None,
        };
        let c = ctx
            .conn
            .tc_chain_get(&dev, h.parent, index)
            .map_err(|e| Failure::kernel(&e, TALK))?;
        ctx.links.preload(&mut ctx.conn)?;
        let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
        print(&ctx.links, &mut out, &c, shown, None);
        out.finish();
        Ok(())
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(ctx, rest)
    } else if matches(cmd, "help") {
        eprintln!("{USAGE}");
        Ok(())
    } else {
        Err(Failure::ret(
            255,
            format!("Command \"{cmd}\" is unknown, try \"tc chain help\"."),
        ))
    }
}

/// The device and index a chain command names (`tc_filter_modify`'s
/// checks: a device, then the kernel judges the rest).
fn target(ctx: &mut Ctx, h: &Head) -> Result<(LinkId, u32), Failure> {
    let Some(d) = &h.dev else {
        return Err(Failure::ret(
            1,
            "Must specify netdevice \"dev\" or block index \"block\"",
        ));
    };
    let i = ctx
        .links
        .index(&mut ctx.conn, d)?
        .ok_or_else(|| Failure::ret(1, format!("Cannot find device \"{d}\"")))?;
    Ok((LinkId::Index(i), h.chain.unwrap_or(0)))
}

fn show(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut w = Words::new(args);
    let h = head(&mut w)?;
    // Without a device tc's dump finds nothing to print.
    let Some(d) = &h.dev else {
        return Ok(());
    };
    let i = ctx.links.dev(&mut ctx.conn, d)?;
    let chains = ctx
        .conn
        .tc_chains(&LinkId::Index(i), h.parent)
        .map_err(|e| Failure::ret(1, format!("Dump terminated\n  {e}")))?;
    ctx.links.preload(&mut ctx.conn)?;
    let mut out = Out::new(ctx.opts.json, ctx.opts.pretty);
    let parent = (h.parent != Handle::UNSPEC).then_some(h.parent);
    for c in chains
        .iter()
        .filter(|c| h.chain.is_none_or(|n| n == c.index))
    {
        print(&ctx.links, &mut out, c, Some(i), parent);
    }
    out.finish();
    Ok(())
}

/// One chain, as `print_filter` prints a chain message: the device and
/// parent unless the listing named them, then the index.
pub(crate) fn print(
    links: &Links,
    out: &mut Out,
    c: &Chain,
    dev: Option<u32>,
    parent: Option<Handle>,
) {
    out.open(None);
    out.fp("chain ");
    let ifindex = u32::try_from(c.ifindex).unwrap_or(0);
    if dev != Some(ifindex) {
        let name = links.name(ifindex);
        out.any(To::Any, "dev", name.clone(), format_args!("dev {name} "));
    }
    if parent != Some(c.parent) {
        if c.parent == Handle::ROOT {
            out.any(To::Any, "root", true, "root ");
        } else if c.parent == Handle::CLSACT_INGRESS {
            out.any(To::Any, "ingress", true, "ingress ");
        } else if c.parent == Handle::CLSACT_EGRESS {
            out.any(To::Any, "egress", true, "egress ");
        } else {
            out.any(
                To::Any,
                "parent",
                c.parent.to_string(),
                format_args!("parent {} ", c.parent),
            );
        }
    }
    if let Some(k) = &c.template {
        out.any(To::Any, "kind", k.as_str(), format_args!("{k} "));
    }
    out.any(
        To::Any,
        "chain",
        c.index,
        format_args!("chain {} ", c.index),
    );
    out.nl();
    out.close();
}
