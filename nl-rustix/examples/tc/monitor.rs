//! `tc monitor [file FILE]` (`tc_monitor.c`): every qdisc, class and
//! filter notification of the traffic-control group, printed as the
//! listings print them with tc's `added`/`replaced`/`deleted` in front;
//! with `file`, the messages saved in FILE (a stream of netlink
//! messages, as `rtnl_from_file` reads them) instead of the socket's.
//! tc's monitor writes text even with `-j`, and so does this one.

use crate::fail::Failure;
use crate::out::Out;
use crate::words::matches;
use crate::{Ctx, Opts};
use nl_rustix::monitor::{Event, Monitor};
use nl_rustix::nl_proto::route::Group;
use nl_rustix::nl_proto::tc::{self, Object, Tc};
use nl_rustix::nl_proto::wire::{Flags, Msg};

const USAGE: &str = "Usage: tc [-timestamp [-tshort] monitor";

pub(crate) fn run(ctx: &mut Ctx, args: &[String]) -> Result<(), Failure> {
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if matches(a, "file") {
            file = Some(it.next().ok_or_else(crate::fail::incomplete)?.clone());
        } else if matches(a, "help") {
            return Err(Failure::exit(USAGE));
        } else {
            return Err(Failure::exit(format!(
                "Argument \"{a}\" is unknown, try \"tc monitor help\"."
            )));
        }
    }
    ctx.links.preload(&mut ctx.conn)?;
    let mut opts = ctx.opts.clone();
    opts.json = false;
    let mut tc = Tc::empty(Object::Qdisc);
    if let Some(f) = file {
        let bytes = std::fs::read(&f).map_err(|e| {
            Failure::exit(format!(
                "Cannot fopen: {}",
                crate::fail::strerror(e.raw_os_error().unwrap_or(0))
            ))
        })?;
        let mut rest = &bytes[..];
        while rest.len() >= 16 {
            let len = u32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            if len < 16 || len > rest.len() {
                return Err(Failure::ret(
                    255,
                    format!(
                        "!!!malformed message: len={len} @{}",
                        bytes.len() - rest.len() + 16
                    ),
                ));
            }
            let (msg, _) =
                Msg::parse(&rest[..len]).map_err(|e| Failure::ret(255, e.to_string()))?;
            print_msg(ctx, &opts, &msg, &mut tc);
            rest = rest.get(len.next_multiple_of(4)..).unwrap_or_default();
        }
        return Ok(());
    }
    let mut m =
        Monitor::route(&ctx.netns, &[Group::TC]).map_err(|e| Failure::ret(1, e.to_string()))?;
    loop {
        match m.recv().map_err(|e| Failure::ret(2, e.to_string()))? {
            Event::Change { msg, .. } | Event::Message { msg, .. } => {
                print_msg(ctx, &opts, &msg.0, &mut tc);
            }
            _ => {}
        }
    }
}

/// `accept_tcmsg`: one message, with its headline.
fn print_msg(ctx: &Ctx, o: &Opts, msg: &Msg<'_>, tc: &mut Tc) {
    let ty = msg.msg_type();
    if ty == tc::RTM_NEWCHAIN || ty == tc::RTM_DELCHAIN {
        let Ok(c) = tc::chain::Chain::decode(msg) else {
            return;
        };
        let flags = Flags(msg.header().flags.get());
        let mut out = Out::new(false, false);
        if c.deleted {
            out.fp("deleted ");
        } else if flags.contains(Flags::CREATE) && !flags.contains(Flags::EXCL) {
            out.fp("replaced ");
        } else if flags.contains(Flags::CREATE) {
            out.fp("added ");
        }
        crate::chain::print(&ctx.links, &mut out, &c, None, None);
        out.finish();
        return;
    }
    let get = Object::of(ty).is_some_and(|o| o.types()[2] == ty);
    if ty == tc::RTM_NEWACTION || ty == tc::RTM_DELACTION || ty == tc::RTM_GETACTION {
        match tc::act_msg::ActionMsg::decode(msg) {
            Ok(m) => {
                let mut out = Out::new(false, false);
                crate::standalone::print_msg(ctx, &mut out, &m, crate::standalone::headline(msg));
                out.finish();
            }
            Err(_) => eprintln!("print_action: NULL kind"),
        }
        return;
    }
    let Some(object) = Object::of(ty).filter(|_| !get) else {
        {
            eprintln!(
                "Unknown message: length {:08} type {:08x} flags {:08x}",
                msg.header().len.get(),
                ty.0,
                msg.header().flags.get()
            );
        }
        return;
    };
    if let Err(e) = tc.decode_into(msg) {
        if matches!(e, nl_rustix::nl_proto::DecodeError::MissingAttr { .. }) {
            let what = ["qdisc", "class", "filter"][object as usize];
            eprintln!("print_{what}: NULL kind");
        }
        return;
    }
    let flags = Flags(msg.header().flags.get());
    let deleted = ty == object.types()[1];
    let create = flags.contains(Flags::CREATE);
    let mut out = Out::new(false, false);
    match object {
        Object::Qdisc => {
            if deleted {
                out.fp("deleted ");
            } else if create && flags.contains(Flags::REPLACE) {
                out.fp("replaced ");
            }
            if !deleted && create && flags.contains(Flags::EXCL) {
                out.fp("added ");
            }
            crate::qdisc::print(&ctx.links, o, &mut out, tc, false, false);
        }
        Object::Class => {
            if deleted {
                out.fp("deleted ");
            }
            crate::class::print(&ctx.links, o, &mut out, tc, false, false);
        }
        Object::Filter => {
            if deleted {
                out.fp("deleted ");
            } else if create && !flags.contains(Flags::EXCL) {
                out.fp("replaced ");
            } else if create {
                out.fp("added ");
            }
            crate::filter::print(
                &ctx.links,
                o,
                &mut out,
                tc,
                &crate::filter::Shown::default(),
            );
        }
    }
    out.finish();
}
