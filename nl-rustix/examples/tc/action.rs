//! Actions (`m_action.c`): their words and listing, for every filter
//! that carries them — `mirred`, `gact`, `skbedit`, `police` — and the
//! policer a u32 filter has of its own.

use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::{Links, Words, get_u32, matches};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::Handle;
use nl_rustix::nl_proto::tc::act_police::{Police, PoliceSpec};
use nl_rustix::nl_proto::tc::act_skbedit::{F_INHERITDSFIELD, PTYPES, Skbedit};
use nl_rustix::nl_proto::tc::action::{Action, ActionParams, Cookie, MirredAction, Tm, Verdict};
use nl_rustix::nl_proto::tc::units::{LinkLayer, Rate, Size};

/// `action …` (one or more, `parse_action`). The words after the last
/// action go back to the classifier.
pub(crate) fn actions(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    out: &mut Vec<Action>,
) -> Result<(), Failure> {
    while let Some(kind) = w.next() {
        // tc's `parse_action` names the words left from the kind on.
        let left = w.remaining() + 1;
        let parsed = if kind == "mirred" {
            mirred(ctx, w)
        } else if kind == "gact" {
            verdict_words(w)
                .map(Action::gact)
                .ok_or_else(|| bad_action(kind))
        } else if kind == "skbedit" {
            skbedit(w)
        } else if kind == "police" {
            police(w).map(Action::police)
        } else if let Some(v) = Verdict::parse(kind) {
            Ok(Action::gact(v))
        } else {
            Err(bad_action(kind))
        };
        let mut a = parsed.map_err(|mut f| {
            if !f.exits {
                f.text.push_str(&format!(
                    "bad action parsing\nparse_action: bad value ({left}:{kind})!\nIllegal \"action\"\n"
                ));
            }
            f
        })?;
        if kind != "mirred" {
            if w.peek() == Some("index") {
                w.next();
                let i = w
                    .next()
                    .and_then(|v| get_u32(v, 10))
                    .ok_or_else(|| bad_action(kind))?;
                a.set_index(i);
            }
            if let Some(v) = verdict_words(w) {
                a.set_verdict(v);
            }
        }
        if w.peek() == Some("cookie") {
            w.next();
            let v = w.value()?;
            if v.len() > 32 {
                return Err(crate::fail::invarg(
                    &format!("{} Max allowed size 32", v.len()),
                    v,
                ));
            }
            let bytes = (v.len() % 2 == 0)
                .then(|| {
                    (0..v.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&v[i..i + 2], 16).ok())
                        .collect::<Option<Vec<u8>>>()
                })
                .flatten()
                .ok_or_else(|| crate::fail::invarg("cookie must be a hex string\n", v))?;
            a.cookie = Cookie::from_slice(&bytes).ok();
        }
        out.push(a);
        match w.peek() {
            Some(n) if matches(n, "action") || n == "actions" => {
                w.next();
            }
            // A verdict word starts a gact action, as tc's `action_a2n`.
            Some(n) if Verdict::parse(n).is_some() => {}
            _ => break,
        }
    }
    Ok(())
}

/// A control verdict and its operands (`__parse_action_control`):
/// `pass`, `drop`, …, `jump N`, `goto chain N`. Nothing taken when the
/// next words are not one.
fn verdict_words(w: &mut Words<'_>) -> Option<Verdict> {
    let word = w.peek()?;
    if let Some(v) = Verdict::parse(word) {
        w.next();
        return Some(v);
    }
    let mut probe = w.clone();
    probe.next();
    let v = match word {
        "jump" => Verdict::JUMP | i32::try_from(get_u32(probe.next()?, 10)?).ok()?,
        "goto" if probe.next() == Some("chain") => {
            Verdict::GOTO_CHAIN | i32::try_from(get_u32(probe.next()?, 10)?).ok()?
        }
        _ => return None,
    };
    *w = probe;
    Some(Verdict(v))
}

/// `parse_direction` (`m_mirred.c`): direction, mirror or redirect, an
/// index anywhere before the device, the device; a mirror's verdict and
/// an index after it.
fn mirred(ctx: &mut Ctx, w: &mut Words<'_>) -> Result<Action, Failure> {
    match w.peek() {
        Some(d) if matches(d, "egress") || matches(d, "ingress") || matches(d, "index") => {}
        Some(d) => return Err(Failure::ret(1, format!("mirred option not supported {d}"))),
        None => return Err(Failure::ret(1, "mirred bad argument count 0")),
    }
    let (mut egress, mut ingress, mut mirror, mut redir) = (false, false, false, false);
    let (mut ok, mut iok) = (false, false);
    let mut index = 0;
    let mut dev = None;
    while let Some(word) = w.peek() {
        if matches(word, "action") {
            break;
        } else if !egress && matches(word, "egress") {
            if ingress {
                return Err(Failure::ret(1, "Can't have both egress and ingress"));
            }
            egress = true;
            ok = true;
        } else if !ingress && matches(word, "ingress") {
            if egress {
                return Err(Failure::ret(1, "Can't have both ingress and egress"));
            }
            ingress = true;
            ok = true;
        } else if matches(word, "index") {
            w.next();
            index = get_u32(w.value()?, 10).ok_or_else(|| Failure::ret(1, "Illegal \"index\""))?;
            iok = true;
            if !ok {
                break;
            }
            continue;
        } else if !ok {
            return Err(Failure::ret(
                1,
                format!("was expecting egress or ingress ({word})"),
            ));
        } else if !mirror && matches(word, "mirror") {
            if redir {
                return Err(Failure::ret(1, "Can't have both mirror and redir"));
            }
            mirror = true;
        } else if !redir && matches(word, "redirect") {
            if mirror {
                return Err(Failure::ret(1, "Can't have both mirror and redir"));
            }
            redir = true;
        } else if (redir || mirror) && matches(word, "dev") {
            w.next();
            dev = Some(w.value()?);
            break;
        }
        w.next();
    }
    if !ok && !iok {
        return Err(bad_action("mirred"));
    }
    let eaction = match (egress, mirror, redir) {
        (true, true, _) => MirredAction::EGRESS_MIRROR,
        (true, _, true) => MirredAction::EGRESS_REDIR,
        (false, true, _) => MirredAction::INGRESS_MIRROR,
        (false, _, true) => MirredAction::INGRESS_REDIR,
        _ => MirredAction(0),
    };
    let mut ifindex = 0;
    if let Some(d) = dev {
        ifindex = ctx
            .links
            .index(&mut ctx.conn, d)?
            .ok_or_else(|| Failure::ret(1, format!("Cannot find device \"{d}\"")))?;
    }
    let mut a = Action::mirred(eaction, ifindex);
    if !mirror && !redir {
        a.set_verdict(Verdict::OK);
    }
    if mirror {
        if let Some(v) = verdict_words(w) {
            a.set_verdict(v);
        }
    }
    if w.peek().is_some_and(|n| matches(n, "index")) {
        if iok {
            return Err(Failure::ret(1, "mirred: Illegal double index"));
        }
        w.next();
        index =
            get_u32(w.value()?, 10).ok_or_else(|| Failure::ret(1, "mirred: Illegal \"index\""))?;
    }
    a.set_index(index);
    Ok(a)
}

/// A kind's parser refused its words (it printed nothing of its own);
/// [`actions`] adds tc's lines.
fn bad_action(_kind: &str) -> Failure {
    Failure::ret(1, "")
}

/// `tc_dump_action` with `bind`: each action in order.
pub(crate) fn print_actions(
    links: &Links,
    o: &Opts,
    out: &mut Out,
    actions: &[Action],
    bind: bool,
) {
    if out.is_json() {
        out.open_array("actions", "");
    }
    for a in actions {
        out.open(None);
        out.nl();
        out.any(
            To::Any,
            "order",
            a.order,
            format_args!("\taction order {}: ", a.order),
        );
        match &a.params {
            ActionParams::Mirred(m) => {
                out.any(To::Any, "kind", "mirred", "mirred ");
                let ea = MirredAction(m.eaction.get());
                out.fp(format_args!("({}", ea.tc_text()));
                out.any(To::Json, "mirred_action", ea.verb(), "");
                out.any(To::Json, "direction", ea.direction(), "");
                let dev = links.name(m.ifindex.get());
                out.any(
                    To::Any,
                    "to_dev",
                    dev.clone(),
                    format_args!(" to device {dev})"),
                );
                control(out, " ", Verdict(m.common.action.get()));
                out.nl();
                index_line(out, o, a, "\tindex");
            }
            ActionParams::Skbedit(s) => print_skbedit(out, o, a, s),
            ActionParams::Police(p) => print_police(out, o, p),
            ActionParams::Gact(g) => {
                out.any(To::Any, "kind", "gact", "gact ");
                control(out, "action ", Verdict(g.action.get()));
                // tc 6.1 (built with CONFIG_GACT_PROB) prints a
                // probability even when the action has none.
                out.open(Some("prob"));
                out.nl();
                out.any(To::Any, "random_type", "none", "\t random type none");
                control(out, " ", Verdict::OK);
                out.fp(" ");
                out.any(To::Any, "val", 0, "val 0");
                out.close();
                out.nl();
                index_line(out, o, a, "\t index");
            }
            _ => out.any(
                To::Any,
                "kind",
                a.kind.as_str(),
                format_args!("{} ", a.kind),
            ),
        }
        if o.stats > 0 {
            if let Some(s) = &a.stats {
                out.fp("\tAction statistics:");
                out.nl();
                out.open(Some("stats"));
                crate::kinds::print_stats(out, o, s, "\t");
                out.close();
                out.nl();
            }
        }
        print_trailer(out, a, bind);
        out.close();
    }
    if out.is_json() {
        out.close();
    }
}

fn index_line(out: &mut Out, o: &Opts, a: &Action, label: &str) {
    if let Some(g) = a.common() {
        out.any(
            To::Any,
            "index",
            g.index.get(),
            format_args!("{label} {}", g.index.get()),
        );
        out.any(
            To::Any,
            "ref",
            g.refcnt.get(),
            format_args!(" ref {}", g.refcnt.get()),
        );
        out.any(
            To::Any,
            "bind",
            g.bindcnt.get(),
            format_args!(" bind {}", g.bindcnt.get()),
        );
    }
    if o.stats > 0 {
        if let Some(tm) = &a.tm {
            tm_line(out, tm);
        }
    }
    out.nl();
}

/// `print_action_control`.
fn control(out: &mut Out, prefix: &str, v: Verdict) {
    out.fp(prefix);
    out.open(Some("control_action"));
    let ext = v.0 & 0x7000_0000;
    let n = v.0 & 0x0fff_ffff;
    if ext == Verdict::GOTO_CHAIN {
        out.any(To::Any, "type", "goto", "goto");
        out.any(To::Any, "chain", n, format_args!(" chain {n}"));
    } else if ext == Verdict::JUMP {
        out.any(To::Any, "type", "jump", "jump");
        out.any(To::Any, "jump", n, format_args!(" {n}"));
    } else {
        let name = v.tc_name().map_or_else(|| v.0.to_string(), str::to_string);
        out.any(To::Any, "type", name.clone(), name);
    }
    out.close();
}

const SKBEDIT_USAGE: &str = "Usage: ... skbedit <[QM] [PM] [MM] [PT] [IF]>";

/// `parse_skbedit`: the words after `skbedit`, up to its verdict (the
/// caller reads `index` and the verdict after it, as for every kind).
fn skbedit(w: &mut Words<'_>) -> Result<Action, Failure> {
    let mut s = Skbedit::default();
    let mut ok = false;
    while let Some(word) = w.peek() {
        let m = |full: &str| matches(word, full);
        if m("queue_mapping") {
            w.next();
            let v = w.value()?;
            s.queue_mapping = Some(
                get_u32(v, 10)
                    .and_then(|q| u16::try_from(q).ok())
                    .ok_or_else(|| Failure::ret(1, "Illegal queue_mapping"))?,
            );
        } else if m("priority") {
            w.next();
            let v = w.value()?;
            s.priority =
                Some(Handle::parse_classid(v).ok_or_else(|| Failure::ret(1, "Illegal priority"))?);
        } else if m("mark") {
            w.next();
            let v = w.value()?;
            let (mark, mask) = match v.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            s.mark = Some(get_u32(mark, 0).ok_or_else(|| Failure::ret(1, "Illegal mark"))?);
            if let Some(mask) = mask {
                s.mask = Some(get_u32(mask, 0).ok_or_else(|| Failure::ret(1, "Illegal mask"))?);
            }
        } else if m("ptype") {
            w.next();
            let v = w.value()?;
            let p = PTYPES
                .iter()
                .find(|(_, name)| matches(v, name))
                .ok_or_else(|| Failure::ret(1, format!("Illegal ptype ({v})")))?;
            s.ptype = Some(p.0);
        } else if m("inheritdsfield") {
            w.next();
            s.flags = Some(s.flags.unwrap_or(0) | F_INHERITDSFIELD);
        } else if m("help") {
            return Err(Failure::exit(SKBEDIT_USAGE));
        } else {
            break;
        }
        ok = true;
    }
    let index_next = w.peek() == Some("index");
    let verdict_next = w.peek().and_then(Verdict::parse).is_some();
    if !ok && !index_next && !verdict_next {
        return Err(Failure::ret(1, SKBEDIT_USAGE));
    }
    s.common.action = Verdict::PIPE.0.into();
    Ok(Action::skbedit(s))
}

fn invarg(what: &str, arg: &str) -> Failure {
    crate::fail::invarg(&format!("\"{what}\" is invalid"), arg)
}

/// `act_parse_police` (the words after `police`), as an action or as a
/// filter's own policer.
pub(crate) fn police(w: &mut Words<'_>) -> Result<Police, Failure> {
    let mut s = PoliceSpec::default();
    let mut ok = false;
    let dup = |what: &str, arg: &str| crate::fail::duparg(what, arg);
    while let Some(word) = w.peek() {
        let m = |full: &str| matches(word, full);
        if m("index") {
            w.next();
            let v = w.value()?;
            s.index = get_u32(v, 10).ok_or_else(|| invarg("index", v))?;
        } else if m("burst") || word == "buffer" || word == "maxburst" {
            w.next();
            let v = w.value()?;
            if s.burst.0 != 0 {
                return Err(dup("buffer/burst", v));
            }
            let (b, c) = crate::kinds::size_and_cell(v).ok_or_else(|| invarg("buffer", v))?;
            (s.burst, s.cell_log) = (b, c);
        } else if word == "mtu" || word == "minburst" {
            w.next();
            let v = w.value()?;
            if s.mtu.0 != 0 {
                return Err(dup("mtu/minburst", v));
            }
            let (b, c) = crate::kinds::size_and_cell(v).ok_or_else(|| invarg("mtu", v))?;
            (s.mtu, s.pcell_log) = (b, c);
        } else if word == "mpu" {
            w.next();
            let v = w.value()?;
            if s.mpu != 0 {
                return Err(dup("mpu", v));
            }
            s.mpu = Size::parse(v)
                .and_then(|m| u16::try_from(m.0).ok())
                .ok_or_else(|| invarg("mpu", v))?;
        } else if word == "rate" {
            w.next();
            let v = w.value()?;
            if s.rate.0 != 0 {
                return Err(dup("rate", v));
            }
            s.rate = Rate::parse(v).ok_or_else(|| invarg("rate", v))?;
        } else if word == "avrate" {
            w.next();
            let v = w.value()?;
            if s.avrate != 0 {
                return Err(dup("avrate", v));
            }
            s.avrate = Rate::parse32(v)
                .and_then(|r| u32::try_from(r.0).ok())
                .ok_or_else(|| invarg("avrate", v))?;
        } else if m("peakrate") {
            w.next();
            let v = w.value()?;
            if s.peakrate.0 != 0 {
                return Err(dup("peakrate", v));
            }
            s.peakrate = Rate::parse(v).ok_or_else(|| invarg("peakrate", v))?;
        } else if [
            "reclassify",
            "drop",
            "shot",
            "continue",
            "pass",
            "ok",
            "pipe",
        ]
        .iter()
        .any(|v| matches(word, v))
        {
            w.next();
            s.exceed = verdict_word(word)?;
        } else if word == "conform-exceed" {
            w.next();
            let v = w.value()?;
            let (exceed, conform) = match v.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            s.exceed = verdict_word(exceed)?;
            if let Some(c) = conform {
                s.conform = Some(verdict_word(c)?);
            }
        } else if m("overhead") {
            w.next();
            let v = w.value()?;
            s.overhead = get_u32(v, 10)
                .and_then(|o| u16::try_from(o).ok())
                .ok_or_else(|| invarg("overhead", v))?;
        } else if m("linklayer") {
            w.next();
            let v = w.value()?;
            s.linklayer = LinkLayer::parse(v).ok_or_else(|| invarg("linklayer", v))?;
        } else if m("pkts_rate") {
            w.next();
            let v = w.value()?;
            if s.pkts_rate != 0 {
                return Err(dup("pkts_rate", v));
            }
            s.pkts_rate = v.parse().map_err(|_| invarg("pkts_rate", v))?;
        } else if m("pkts_burst") {
            w.next();
            let v = w.value()?;
            if s.pkts_burst != 0 {
                return Err(dup("pkts_burst", v));
            }
            s.pkts_burst = v.parse().map_err(|_| invarg("pkts_burst", v))?;
        } else if word == "help" {
            return Err(Failure::exit(
                "Usage: ... police [ rate BPS burst BYTES[/BYTES] ] ",
            ));
        } else {
            break;
        }
        ok = true;
    }
    let bad = |msg: &str| Failure::ret(1, msg.to_string());
    if !ok || (s.rate.0 != 0 && s.avrate != 0) {
        return Err(bad("bad action parsing"));
    }
    if s.rate.0 == 0 && s.avrate == 0 && s.index == 0 && s.mtu.0 == 0 && s.pkts_rate == 0 {
        return Err(bad(
            "'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.",
        ));
    }
    if s.rate.0 != 0 && s.burst.0 == 0 && s.avrate == 0 {
        return Err(bad("'burst' requires 'rate'."));
    }
    if s.pkts_rate != 0 && s.pkts_burst == 0 {
        return Err(bad("'pkts_burst' requires 'pkts_rate'."));
    }
    if s.pkts_rate != 0 && s.rate.0 != 0 {
        return Err(bad(
            "'rate' and 'pkts_rate' are not allowed in same action.",
        ));
    }
    if s.peakrate.0 != 0 && s.rate.0 == 0 {
        return Err(bad("'peakrate' requires 'rate'."));
    }
    if s.peakrate.0 != 0 && s.mtu.0 == 0 {
        return Err(bad("'mtu' is required, if 'peakrate' is requested."));
    }
    Ok(Police::new(&s))
}

fn verdict_word(v: &str) -> Result<Verdict, Failure> {
    Verdict::parse(v).ok_or_else(|| Failure::ret(1, format!("Bad action type {v}")))
}

fn print_skbedit(out: &mut Out, o: &Opts, a: &Action, s: &Skbedit) {
    out.any(To::Any, "kind", "skbedit", "skbedit ");
    if let Some(q) = s.queue_mapping {
        out.any(
            To::Any,
            "queue_mapping",
            q,
            format_args!("queue_mapping {q}"),
        );
    }
    if let Some(p) = s.priority {
        out.any(
            To::Any,
            "priority",
            p.to_string(),
            format_args!(" priority {p}"),
        );
    }
    if let Some(m) = s.mark {
        out.any(To::Any, "mark", m, format_args!(" mark {m}"));
    }
    if let Some(m) = s.mask {
        out.any(To::Any, "mask", format!("{m:x}"), format_args!("/{m:#x}"));
    }
    if let Some(p) = s.ptype {
        match PTYPES.iter().find(|(v, _)| *v == p) {
            Some((_, name)) => out.any(To::Any, "ptype", *name, format_args!(" ptype {name}")),
            None => out.any(To::Any, "ptype", p, format_args!(" ptype {p}")),
        }
    }
    if s.flags.is_some_and(|f| f & F_INHERITDSFIELD != 0) {
        out.any(
            To::Any,
            "inheritdsfield",
            crate::out::Null,
            " inheritdsfield",
        );
    }
    control(out, " ", Verdict(s.common.action.get()));
    out.nl();
    index_line(out, o, a, "\t index");
}

/// `print_police` (`tc_print_police`).
pub(crate) fn print_police(out: &mut Out, o: &Opts, p: &Police) {
    out.any(To::Json, "kind", "police", "");
    let idx = p.parms.index.get();
    out.fp(format_args!(" police {idx:#x} "));
    out.any(To::Json, "index", idx, "");
    let rate = |r: Rate| {
        if o.iec {
            r.iec().to_string()
        } else {
            r.to_string()
        }
    };
    out.fp(format_args!("rate {} ", rate(p.rate)));
    out.fp(format_args!("burst {} ", Size(p.burst_bytes())));
    out.fp(format_args!("mtu {} ", Size(p.parms.mtu.get())));
    if o.raw {
        out.fp(format_args!("[{:08x}] ", p.parms.burst.get()));
    }
    if p.peakrate.0 != 0 {
        out.fp(format_args!("peakrate {} ", rate(p.peakrate)));
    }
    if let Some(a) = p.avrate {
        out.fp(format_args!("avrate {} ", rate(Rate(u64::from(a)))));
    }
    if let (Some(r), Some(b)) = (p.pkt_rate, p.pkts_burst()) {
        out.any(To::Any, "pkts_rate", r, format_args!("pkts_rate {r} "));
        out.any(To::Any, "pkts_burst", b, format_args!("pkts_burst {b} "));
    }
    control(out, "action ", Verdict(p.parms.action.get()));
    match p.result {
        Some(r) => {
            control(out, "/", Verdict(r));
            out.fp(" ");
        }
        None => out.fp(" "),
    }
    let oh = u32::from(p.parms.rate.overhead.get());
    out.any(
        To::Any,
        "overhead",
        oh,
        format_args!("overhead {} ", Size(oh)),
    );
    let ll = p.parms.rate.linklayer & 0x0f;
    if ll > 1 || o.details > 0 {
        let name = LinkLayer::from_wire(ll).map_or("unknown", LinkLayer::name);
        out.any(
            To::Any,
            "linklayer",
            name,
            format_args!("linklayer {name} "),
        );
    }
    out.nl();
    let (r, b) = (p.parms.refcnt.get(), p.parms.bindcnt.get());
    out.any(To::Any, "ref", r, format_args!("\tref {r} "));
    out.any(To::Any, "bind", b, format_args!("bind {b} "));
    if o.stats > 0 {
        if let Some(tm) = &p.tm {
            tm_line(out, tm);
        }
    }
    out.nl();
}

/// `print_tm`: an action's times, in seconds (tc divides by USER_HZ).
fn tm_line(out: &mut Out, tm: &Tm) {
    // tc divides by USER_HZ (100).
    let s = |v: u64| u32::try_from(v / 100).unwrap_or(u32::MAX);
    if tm.install.get() != 0 {
        out.any(
            To::Any,
            "installed",
            s(tm.install.get()),
            format_args!(" installed {} sec", s(tm.install.get())),
        );
    }
    if tm.lastuse.get() != 0 {
        out.any(
            To::Any,
            "last_used",
            s(tm.lastuse.get()),
            format_args!(" used {} sec", s(tm.lastuse.get())),
        );
    }
    if tm.firstuse.get() != 0 {
        out.any(
            To::Any,
            "first_used",
            s(tm.firstuse.get()),
            format_args!(" firstused {} sec", s(tm.firstuse.get())),
        );
    }
    if tm.expires.get() != 0 {
        out.any(
            To::Any,
            "expires",
            s(tm.expires.get()),
            format_args!(" expires {} sec", s(tm.expires.get())),
        );
    }
}

/// The end of `tc_print_one_action`: cookie, flags and offload state
/// (not for actions bound to a filter), hardware statistics types.
fn print_trailer(out: &mut Out, a: &Action, bind: bool) {
    if let Some(c) = &a.cookie {
        let hex: String = c.iter().map(|b| format!("{b:02x}")).collect();
        out.any(
            To::Any,
            "cookie",
            hex.clone(),
            format_args!("\tcookie {hex}"),
        );
        out.nl();
    }
    if a.flags.is_some() || a.in_hw_count.is_some() {
        let (mut newline, mut skip_hw) = (false, false);
        if let Some((value, selector)) = a.flags {
            if selector & 1 != 0 {
                newline = true;
                out.any(To::Any, "no_percpu", value & 1 != 0, "\tno_percpu");
            }
            if !bind {
                if selector & 2 != 0 {
                    newline = true;
                    out.any(To::Any, "skip_hw", value & 2 != 0, "\tskip_hw");
                    skip_hw = value & 2 != 0;
                }
                if selector & 4 != 0 {
                    newline = true;
                    out.any(To::Any, "skip_sw", value & 4 != 0, "\tskip_sw");
                }
            }
        }
        if let Some(count) = a.in_hw_count.filter(|_| !bind && !skip_hw) {
            newline = true;
            if count != 0 {
                out.any(To::Any, "in_hw", true, "\tin_hw");
                out.any(
                    To::Any,
                    "in_hw_count",
                    count,
                    format_args!(" in_hw_count {count}"),
                );
            } else {
                out.any(To::Any, "not_in_hw", true, "\tnot_in_hw");
            }
        }
        if newline {
            out.nl();
        }
    }
    for (key, bf) in [("hw_stats", a.hw_stats), ("used_hw_stats", a.used_hw_stats)] {
        let Some((value, selector)) = bf else {
            continue;
        };
        let stats = value & selector;
        out.fp("\t");
        out.open_array(key, "");
        out.fp(key);
        for (name, bit) in [("immediate", 1), ("delayed", 2), ("disabled", 0)] {
            if (stats == 0 && bit == 0) || stats & bit != 0 {
                out.item(name, format_args!(" {name}"));
            }
        }
        out.close();
        out.nl();
    }
}
