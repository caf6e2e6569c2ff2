//! The network emulator `netem`: its words (`q_netem.c`'s
//! `netem_parse_opt`) and its options as tc 6.1 prints them. Delay
//! distributions (`distribution`, `slot distribution`) read tables from
//! iproute2's library directory and are not supported here.

use crate::Opts;
use crate::fail::Failure;
use crate::fair::{time64, time64_text};
use crate::out::{Float, Out, To};
use crate::words::{Words, get_u32, matches};
use nl_rustix::nl_proto::tc::Options;
use nl_rustix::nl_proto::tc::netem::{
    LossModel, Netem, NetemCorr, NetemGe, NetemGi, NetemProb, NetemRate, NetemSlot, scale_percent,
};
use nl_rustix::nl_proto::tc::units::{Rate, Time, ticks_to_time, time_to_ticks};

const USAGE: &str = "Usage: ... netem [ limit PACKETS ]";

fn illegal(what: &str) -> Failure {
    Failure::ret(1, format!("Illegal \"{what}\""))
}

/// `parse_percent`: `P` or `P%`, as a fraction in [0, 1].
fn fraction(s: &str) -> Option<f64> {
    let num = s.strip_suffix('%').unwrap_or(s);
    let v = num.parse::<f64>().ok()? / 100.0;
    (0.0..=1.0).contains(&v).then_some(v)
}

fn percent(s: &str, what: &str) -> Result<u32, Failure> {
    fraction(s).map(scale_percent).ok_or_else(|| illegal(what))
}

/// `get_ticks`: a time, in psched ticks.
fn ticks(s: &str, what: &str) -> Result<u32, Failure> {
    let t = Time::parse(s).ok_or_else(|| illegal(what))?.0;
    Ok(time_to_ticks(t))
}

/// Whether the next word starts with a digit (`NEXT_IS_NUMBER`).
fn next_is_number(w: &Words<'_>) -> bool {
    w.peek()
        .is_some_and(|n| n.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

fn next_is_signed(w: &Words<'_>) -> bool {
    w.peek().is_some_and(|n| {
        n.as_bytes()
            .first()
            .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
    })
}

/// `netem_parse_opt`.
#[allow(clippy::too_many_lines, reason = "one branch per word, as tc")]
pub(crate) fn parse(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut n = Netem::new();
    let mut cor = NetemCorr::default();
    let mut has_cor = false;
    let mut reorder = NetemProb::default();
    let mut corrupt = NetemProb::default();
    let (mut has_reorder, mut has_corrupt, mut ecn) = (false, false, false);
    while let Some(word) = w.next() {
        let m = |full: &str| matches(word, full);
        if m("limit") {
            n.qopt.limit = crate::kinds::size_and_cell(w.value()?)
                .filter(|(_, c)| c.is_none())
                .ok_or_else(|| illegal("limit"))?
                .0
                .0
                .into();
        } else if m("latency") || m("delay") {
            n.qopt.latency = ticks(w.value()?, "latency")?.into();
            if next_is_number(w) {
                n.qopt.jitter = ticks(w.value()?, "latency")?.into();
                if next_is_number(w) {
                    has_cor = true;
                    cor.delay_corr = percent(w.value()?, "latency")?.into();
                }
            }
        } else if m("loss") || m("drop") {
            if n.qopt.loss.get() > 0 || n.loss_model.is_some() {
                return Err(illegal("duplicate loss argument\n"));
            }
            let mut v = w.value()?;
            let digit = v.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if !digit && v != "random" && v != "state" && v != "gemodel" {
                return Err(Failure::ret(1, format!("Unknown loss parameter: {v}")));
            }
            if digit || v == "random" {
                if !digit {
                    v = w.value()?;
                }
                n.qopt.loss = percent(v, "loss percent")?.into();
                if next_is_number(w) {
                    has_cor = true;
                    cor.loss_corr = percent(w.value()?, "loss correlation")?.into();
                }
            } else if v == "state" {
                let p13 = fraction(w.value()?).ok_or_else(|| illegal("loss p13"))?;
                let mut gi = NetemGi {
                    p13: scale_percent(p13).into(),
                    p31: scale_percent(1.0 - p13).into(),
                    p32: 0.into(),
                    p23: scale_percent(1.0).into(),
                    p14: 0.into(),
                };
                for (slot, what) in [
                    (&mut gi.p31, "loss p31"),
                    (&mut gi.p32, "loss p32"),
                    (&mut gi.p23, "loss p23"),
                    (&mut gi.p14, "loss p14"),
                ] {
                    if !next_is_number(w) {
                        break;
                    }
                    *slot = percent(w.value()?, what)?.into();
                }
                n.loss_model = Some(LossModel::State(gi));
            } else {
                let p = fraction(w.value()?).ok_or_else(|| illegal("loss gemodel p"))?;
                let mut ge = NetemGe {
                    p: scale_percent(p).into(),
                    r: scale_percent(1.0 - p).into(),
                    h: 0.into(),
                    k1: 0.into(),
                };
                if next_is_number(w) {
                    ge.r = percent(w.value()?, "loss gemodel r")?.into();
                    if next_is_number(w) {
                        // tc takes 1-h and sends h.
                        ge.h = (u32::MAX - percent(w.value()?, "loss gemodel h")?).into();
                        if next_is_number(w) {
                            ge.k1 = percent(w.value()?, "loss gemodel k")?.into();
                        }
                    }
                }
                n.loss_model = Some(LossModel::Gemodel(ge));
            }
        } else if m("ecn") {
            ecn = true;
        } else if m("reorder") {
            has_reorder = true;
            reorder.probability = percent(w.value()?, "reorder")?.into();
            if next_is_number(w) {
                has_cor = true;
                reorder.correlation = percent(w.value()?, "reorder")?.into();
            }
        } else if m("corrupt") {
            has_corrupt = true;
            corrupt.probability = percent(w.value()?, "corrupt")?.into();
            if next_is_number(w) {
                has_cor = true;
                corrupt.correlation = percent(w.value()?, "corrupt")?.into();
            }
        } else if m("gap") {
            n.qopt.gap = get_u32(w.value()?, 0).ok_or_else(|| illegal("gap"))?.into();
        } else if m("duplicate") {
            n.qopt.duplicate = percent(w.value()?, "duplicate")?.into();
            if next_is_number(w) {
                cor.dup_corr = percent(w.value()?, "duplicate")?.into();
            }
        } else if m("distribution") {
            return Err(Failure::ret(
                1,
                "netem: \"distribution\" is not supported by this tc",
            ));
        } else if m("rate") {
            let v = w.value()?;
            let r = Rate::parse(v)
                .filter(|_| !v.contains('%'))
                .ok_or_else(|| illegal("rate"))?;
            let mut rate = NetemRate::default();
            if r.0 >= 1 << 32 {
                n.rate64 = Some(r.0);
                rate.rate = u32::MAX.into();
            } else {
                rate.rate = u32::try_from(r.0).unwrap_or(u32::MAX).into();
            }
            if next_is_signed(w) {
                rate.packet_overhead = w
                    .value()?
                    .parse::<i32>()
                    .map_err(|_| illegal("rate"))?
                    .into();
            }
            if next_is_number(w) {
                rate.cell_size = get_u32(w.value()?, 0)
                    .ok_or_else(|| illegal("rate"))?
                    .into();
            }
            if next_is_signed(w) {
                rate.cell_overhead = w
                    .value()?
                    .parse::<i32>()
                    .map_err(|_| illegal("rate"))?
                    .into();
            }
            n.rate = Some(rate);
        } else if m("slot") {
            let mut slot = NetemSlot::default();
            if !next_is_number(w) {
                return Err(Failure::ret(
                    1,
                    "netem: \"slot distribution\" is not supported by this tc",
                ));
            }
            let min = time64(w.value()?).ok_or_else(|| illegal("slot min_delay"))?;
            slot.min_delay = min.into();
            slot.max_delay = min.into();
            if next_is_number(w) {
                let max = time64(w.value()?)
                    .filter(|&m| m >= min)
                    .ok_or_else(|| illegal("slot max_delay"))?;
                slot.max_delay = max.into();
            }
            if w.peek().is_some_and(|p| matches(p, "packets")) {
                w.next();
                let v = w.next().and_then(|v| v.parse::<i32>().ok());
                slot.max_packets = v.ok_or_else(|| illegal("slot packets"))?.into();
            }
            if w.peek().is_some_and(|p| matches(p, "bytes")) {
                w.next();
                let v = w
                    .next()
                    .and_then(nl_rustix::nl_proto::tc::units::Size::parse)
                    .and_then(|s| i32::try_from(s.0).ok());
                slot.max_bytes = v.ok_or_else(|| illegal("slot bytes"))?.into();
            }
            n.slot = Some(slot);
        } else {
            return Err(Failure::ret(
                1,
                if word == "help" {
                    USAGE.to_string()
                } else {
                    format!("What is \"{word}\"?\n{USAGE}")
                },
            ));
        }
    }
    if has_reorder && reorder.probability.get() != 0 {
        if n.qopt.latency.get() == 0 {
            return Err(Failure::ret(1, USAGE));
        }
        if n.qopt.gap.get() == 0 {
            n.qopt.gap = 1.into();
        }
    } else if n.qopt.gap.get() > 0 {
        return Err(Failure::ret(1, USAGE));
    }
    if ecn && n.qopt.loss.get() == 0 && n.loss_model.is_none() {
        return Err(Failure::ret(1, USAGE));
    }
    n.corr = has_cor.then_some(cor);
    n.reorder = has_reorder.then_some(reorder);
    n.corrupt = has_corrupt.then_some(corrupt);
    n.ecn = ecn.then_some(1);
    Ok(Options::Netem(n))
}

/// `__print_percent`: text in percent points, JSON as a fraction.
fn pct(out: &mut Out, key: &str, label: &str, v: u32) {
    let frac = f64::from(v) / f64::from(u32::MAX);
    out.fp(format_args!("{label} {}%", crate::out::g(frac * 100.0)));
    out.any(To::Json, key, Float(frac), "");
}

/// `print_corr`.
fn corr(out: &mut Out, present: bool, v: u32) {
    if out.is_json() {
        pct(out, "correlation", " correlation", v);
    } else if present {
        pct(out, "", "", v);
    }
}

fn int_opt(out: &mut Out, key: &str, v: i32) {
    out.any(To::Json, key, v, "");
    if v != 0 {
        out.fp(format_args!(" {key} {v}"));
    }
}

fn print_time64(out: &mut Out, key: &str, label: &str, v: i64) {
    out.fp(format_args!("{label} {}", time64_text(v)));
    #[allow(clippy::cast_precision_loss, reason = "tc's conversion")]
    out.any(To::Json, key, Float(v as f64 / 1e9), "");
}

/// `netem_print_opt`.
pub(crate) fn print(out: &mut Out, o: &Opts, n: &Netem) {
    let q = &n.qopt;
    out.any(
        To::Any,
        "limit",
        q.limit.get(),
        format_args!("limit {}", q.limit.get()),
    );
    let cor = n.corr.unwrap_or_default();
    if q.latency.get() != 0 {
        out.open(Some("delay"));
        if out.is_json() {
            let secs = |t: u32| Float(f64::from(ticks_to_time(t)) / 1e6);
            out.any(To::Json, "delay", secs(q.latency.get()), "");
            out.any(To::Json, "jitter", secs(q.jitter.get()), "");
        } else {
            out.fp(format_args!(
                " delay {}",
                Time(ticks_to_time(q.latency.get()))
            ));
            if q.jitter.get() != 0 {
                out.fp(format_args!("  {}", Time(ticks_to_time(q.jitter.get()))));
            }
        }
        let dc = cor.delay_corr.get();
        corr(out, q.jitter.get() != 0 && n.corr.is_some() && dc != 0, dc);
        out.close();
    }
    if q.loss.get() != 0 {
        out.open(Some("loss-random"));
        pct(out, "loss", " loss", q.loss.get());
        corr(out, cor.loss_corr.get() != 0, cor.loss_corr.get());
        out.close();
    }
    match &n.loss_model {
        Some(LossModel::State(gi)) => {
            out.open(Some("loss-state"));
            pct(out, "p13", " loss state p13", gi.p13.get());
            pct(out, "p31", " p31", gi.p31.get());
            pct(out, "p32", " p32", gi.p32.get());
            pct(out, "p23", " p23", gi.p23.get());
            pct(out, "p14", " p14", gi.p14.get());
            out.close();
        }
        Some(LossModel::Gemodel(ge)) => {
            out.open(Some("loss-gemodel"));
            pct(out, "p", " loss gemodel p", ge.p.get());
            pct(out, "r", " r", ge.r.get());
            pct(out, "1-h", " 1-h", u32::MAX - ge.h.get());
            pct(out, "1-k", " 1-k", ge.k1.get());
            out.close();
        }
        None => {}
    }
    if q.duplicate.get() != 0 {
        out.open(Some("duplicate"));
        pct(out, "duplicate", " duplicate", q.duplicate.get());
        corr(out, cor.dup_corr.get() != 0, cor.dup_corr.get());
        out.close();
    }
    for (key, p) in [("reorder", &n.reorder), ("corrupt", &n.corrupt)] {
        if let Some(p) = p.filter(|p| p.probability.get() != 0) {
            out.open(Some(key));
            pct(out, key, &format!(" {key}"), p.probability.get());
            corr(out, p.correlation.get() != 0, p.correlation.get());
            out.close();
        }
    }
    if let (Some(r), Some(bps)) = (n.rate.filter(|r| r.rate.get() != 0), n.rate_bps()) {
        out.open(Some("rate"));
        let text = if o.iec {
            Rate(bps).iec().to_string()
        } else {
            Rate(bps).to_string()
        };
        out.any(To::Any, "rate", bps, format_args!(" rate {text}"));
        int_opt(out, "packetoverhead", r.packet_overhead.get());
        let cs = r.cell_size.get();
        out.any(To::Json, "cellsize", cs, "");
        if cs != 0 {
            out.fp(format_args!(" cellsize {cs}"));
        }
        int_opt(out, "celloverhead", r.cell_overhead.get());
        out.close();
    }
    if let Some(s) = &n.slot {
        out.open(Some("slot"));
        if s.dist_jitter.get() > 0 {
            print_time64(
                out,
                "distribution",
                " slot distribution",
                s.dist_delay.get(),
            );
            print_time64(out, "jitter", "", s.dist_jitter.get());
        } else {
            print_time64(out, "min-delay", " slot", s.min_delay.get());
            print_time64(out, "max-delay", "", s.max_delay.get());
        }
        int_opt(out, "packets", s.max_packets.get());
        int_opt(out, "bytes", s.max_bytes.get());
        out.close();
    }
    out.any(To::Json, "ecn", n.ecn.is_some(), "");
    if n.ecn.is_some() {
        out.fp(" ecn ");
    }
    out.any(To::Json, "gap", q.gap.get(), "");
    if q.gap.get() != 0 {
        out.fp(format_args!(" gap {}", q.gap.get()));
    }
}
