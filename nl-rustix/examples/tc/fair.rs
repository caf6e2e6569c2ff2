//! The fair-queueing qdiscs `sfq` and `fq`: their words (`q_sfq.c`'s
//! `sfq_parse_opt`, `q_fq.c`'s `fq_parse_opt`) and their options as tc
//! 6.1 prints them.

use crate::Opts;
use crate::fail::Failure;
use crate::out::{Null, Out, To};
use crate::words::{Words, get_u32};
use nl_rustix::nl_proto::tc::Options;
use nl_rustix::nl_proto::tc::fq::Fq;
use nl_rustix::nl_proto::tc::sfq::Sfq;
use nl_rustix::nl_proto::tc::units::{Rate, Size, Time};

const SFQ_USAGE: &str = "Usage: ... sfq [ limit NUMBER ] [ perturb SECS ] [ quantum BYTES ]
               [ divisor NUMBER ] [ flows NUMBER] [ depth NUMBER ]
               [ headdrop ]
               [ redflowlimit BYTES ] [ min BYTES ] [ max BYTES ]
               [ avpkt BYTES ] [ burst PACKETS ] [ probability P ]
               [ ecn ] [ harddrop ]";

/// `sfq_parse_opt`. Without words tc sends no options (the kernel's
/// defaults). The RED words are refused: this example does not compute
/// RED's constants.
pub(crate) fn parse_sfq(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut s = Sfq::default();
    let mut ok = false;
    let illegal = |what: &str| Failure::ret(1, format!("Illegal \"{what}\""));
    while let Some(word) = w.next() {
        match word {
            // tc's own message for a bad quantum says "limit".
            "quantum" => {
                s.quantum = Size::parse(w.value()?)
                    .ok_or_else(|| illegal("limit"))?
                    .0
                    .into();
            }
            "perturb" => {
                let v = get_u32(w.value()?, 0)
                    .and_then(|p| i32::try_from(p).ok())
                    .ok_or_else(|| illegal("perturb"))?;
                s.perturb_period = v.into();
            }
            "limit" => {
                let v = get_u32(w.value()?, 0).ok_or_else(|| illegal("limit"))?;
                if v < 2 {
                    return Err(Failure::ret(1, "Illegal \"limit\", must be > 1"));
                }
                s.limit = v.into();
            }
            "divisor" => {
                s.divisor = get_u32(w.value()?, 0)
                    .ok_or_else(|| illegal("divisor"))?
                    .into()
            }
            "flows" => {
                s.flows = get_u32(w.value()?, 0)
                    .ok_or_else(|| illegal("flows"))?
                    .into()
            }
            // tc's message for a bad depth says "flows" too.
            "depth" => {
                s.depth = get_u32(w.value()?, 0)
                    .ok_or_else(|| illegal("flows"))?
                    .into()
            }
            "headdrop" => s.headdrop = 1.into(),
            "redflowlimit" | "min" | "max" | "burst" | "avpkt" | "probability" | "ecn"
            | "harddrop" => {
                return Err(Failure::ret(
                    1,
                    format!("sfq: \"{word}\" (RED) is not supported by this tc"),
                ));
            }
            "help" => return Err(Failure::ret(1, SFQ_USAGE)),
            _ => return Err(Failure::ret(1, format!("What is \"{word}\"?\n{SFQ_USAGE}"))),
        }
        ok = true;
    }
    Ok(if ok {
        Options::Sfq { sfq: s, v1: true }
    } else {
        Options::None
    })
}

/// `sfq_print_opt`.
pub(crate) fn print_sfq(out: &mut Out, o: &Opts, s: &Sfq, v1: bool) {
    let limit = s.limit.get();
    out.any(To::Any, "limit", limit, format_args!("limit {limit}p "));
    let q = s.quantum.get();
    out.any(To::Any, "quantum", q, format_args!("quantum {} ", Size(q)));
    if v1 && s.depth.get() != 0 {
        let d = s.depth.get();
        out.any(To::Any, "depth", d, format_args!("depth {d} "));
    }
    if v1 && s.headdrop.get() != 0 {
        out.any(To::Any, "headdrop", true, "headdrop ");
    }
    if o.details > 0 {
        let f = s.flows.get();
        out.any(To::Any, "flows", f, format_args!("flows {f} "));
    }
    let d = s.divisor.get();
    out.any(To::Any, "divisor", d, format_args!("divisor {d} "));
    let p = s.perturb_period.get();
    if p != 0 {
        out.any(To::Any, "perturb", p, format_args!("perturb {p}sec "));
    }
    if v1 && s.qth_min.get() != 0 {
        let (min, max) = (s.qth_min.get(), s.qth_max.get());
        out.any(
            To::Any,
            "ewma",
            s.red_logs[0],
            format_args!("ewma {} ", s.red_logs[0]),
        );
        out.any(To::Any, "min", min, format_args!("min {} ", Size(min)));
        out.any(To::Any, "max", max, format_args!("max {} ", Size(max)));
        let prob = f64::from(s.max_p.get()) / 4_294_967_296.0;
        out.any(
            To::Any,
            "probability",
            crate::out::Float(prob),
            format_args!("probability {} ", crate::out::g(prob)),
        );
        let f = s.red_flags();
        for (bit, name) in [
            (1u8, "ecn"),
            (2, "harddrop"),
            (4, "adaptive"),
            (8, "nodrop"),
        ] {
            if f & bit != 0 {
                out.any(To::Any, name, true, format_args!("{name} "));
            }
        }
    }
}

const FQ_USAGE: &str = "Usage: ... fq\t[ limit PACKETS ] [ flow_limit PACKETS ]";

/// tc's `ilog2` in `q_fq.c`: the bits of `val - 1` (a rounded-up log).
fn ilog2(val: u32) -> u32 {
    32 - val.wrapping_sub(1).leading_zeros()
}

/// `get_time64`: a time in nanoseconds.
pub(crate) fn time64(s: &str) -> Option<i64> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    let unit = unit.to_ascii_lowercase();
    let mult = match unit.as_str() {
        "s" | "sec" | "secs" => 1e9,
        "ms" | "msec" | "msecs" => 1e6,
        "us" | "usec" | "usecs" => 1e3,
        "" | "ns" | "nsec" | "nsecs" => 1.0,
        _ => return None,
    };
    #[allow(clippy::cast_possible_truncation, reason = "tc's conversion")]
    Some((v * mult) as i64)
}

/// `sprint_time64`: `%.3g` with the largest unit.
pub(crate) fn time64_text(t: i64) -> String {
    #[allow(clippy::cast_precision_loss, reason = "tc's conversion")]
    let ns = t as f64;
    let g3 = |v: f64| {
        let mut s = String::new();
        let _ = nl_rustix::nl_proto::tc::units::fmt_g(&mut s, v, 3);
        s
    };
    if t >= 1_000_000_000 {
        format!("{}s", g3(ns / 1e9))
    } else if t >= 1_000_000 {
        format!("{}ms", g3(ns / 1e6))
    } else if t >= 1000 {
        format!("{}us", g3(ns / 1e3))
    } else {
        format!("{t}ns")
    }
}

/// `fq_parse_opt`.
pub(crate) fn parse_fq(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut f = Fq::default();
    let illegal = |what: &str| Failure::ret(1, format!("Illegal \"{what}\""));
    let rate = |v: &str, what: &str| {
        Rate::parse32(v)
            .filter(|_| !v.contains('%'))
            .and_then(|r| u32::try_from(r.0).ok())
            .ok_or_else(|| illegal(what))
    };
    while let Some(word) = w.next() {
        match word {
            "limit" => f.plimit = Some(get_u32(w.value()?, 0).ok_or_else(|| illegal(word))?),
            "flow_limit" => {
                f.flow_plimit = Some(get_u32(w.value()?, 0).ok_or_else(|| illegal(word))?);
            }
            "buckets" => {
                let b = get_u32(w.value()?, 0).ok_or_else(|| illegal(word))?;
                f.buckets_log = (b != 0).then(|| ilog2(b));
            }
            "maxrate" => f.maxrate = Some(rate(w.value()?, word)?),
            "low_rate_threshold" => f.low_rate_threshold = Some(rate(w.value()?, word)?),
            "defrate" => f.defrate = Some(rate(w.value()?, word)?),
            "ce_threshold" => {
                f.ce_threshold = Some(Time::parse(w.value()?).ok_or_else(|| illegal(word))?.0);
            }
            "timer_slack" => {
                let t = time64(w.value()?).ok_or_else(|| illegal(word))?;
                f.timer_slack = Some(
                    u32::try_from(t)
                        .map_err(|_| Failure::ret(1, "Illegal (out of range) \"timer_slack\""))?,
                );
            }
            "horizon_drop" => f.horizon_drop = Some(true),
            "horizon_cap" => f.horizon_drop = Some(false),
            "horizon" => f.horizon = Some(Time::parse(w.value()?).ok_or_else(|| illegal(word))?.0),
            "quantum" => f.quantum = Some(get_u32(w.value()?, 0).ok_or_else(|| illegal(word))?),
            "initial_quantum" => {
                f.initial_quantum = Some(get_u32(w.value()?, 0).ok_or_else(|| illegal(word))?);
            }
            // tc's message for a bad orphan mask names initial_quantum.
            "orphan_mask" => {
                f.orphan_mask =
                    Some(get_u32(w.value()?, 0).ok_or_else(|| illegal("initial_quantum"))?);
            }
            "refill_delay" => {
                f.refill_delay = Some(Time::parse(w.value()?).ok_or_else(|| illegal(word))?.0);
            }
            "pacing" => f.pacing = Some(true),
            "nopacing" => f.pacing = Some(false),
            "help" => return Err(Failure::ret(1, FQ_USAGE)),
            _ => return Err(Failure::ret(1, format!("What is \"{word}\"?\n{FQ_USAGE}"))),
        }
    }
    Ok(Options::Fq(f))
}

/// `fq_print_opt`.
pub(crate) fn print_fq(out: &mut Out, o: &Opts, f: &Fq) {
    let rate = |r: u32| {
        let r = Rate(u64::from(r));
        if o.iec {
            r.iec().to_string()
        } else {
            r.to_string()
        }
    };
    if let Some(v) = f.plimit {
        out.any(To::Any, "limit", v, format_args!("limit {v}p "));
    }
    if let Some(v) = f.flow_plimit {
        out.any(To::Any, "flow_limit", v, format_args!("flow_limit {v}p "));
    }
    if let Some(v) = f.buckets_log {
        let b = 1u32.wrapping_shl(v);
        out.any(To::Any, "buckets", b, format_args!("buckets {b} "));
    }
    if let Some(v) = f.orphan_mask {
        out.any(To::Any, "orphan_mask", v, format_args!("orphan_mask {v} "));
    }
    if f.pacing == Some(false) {
        out.any(To::Any, "pacing", false, "nopacing ");
    }
    if let Some(v) = f.quantum {
        out.any(To::Any, "quantum", v, format_args!("quantum {} ", Size(v)));
    }
    if let Some(v) = f.initial_quantum {
        out.any(
            To::Any,
            "initial_quantum",
            v,
            format_args!("initial_quantum {} ", Size(v)),
        );
    }
    if let Some(v) = f.maxrate.filter(|&r| r != u32::MAX) {
        out.any(To::Any, "maxrate", v, format_args!("maxrate {} ", rate(v)));
    }
    if let Some(v) = f.defrate.filter(|&r| r != 0) {
        out.any(To::Any, "defrate", v, format_args!("defrate {} ", rate(v)));
    }
    if let Some(v) = f.low_rate_threshold.filter(|&r| r != 0) {
        out.any(
            To::Any,
            "low_rate_threshold",
            v,
            format_args!("low_rate_threshold {} ", rate(v)),
        );
    }
    if let Some(v) = f.refill_delay {
        out.any(To::Json, "refill_delay", v, "");
        out.fp(format_args!("refill_delay {} ", Time(v)));
    }
    if let Some(v) = f.ce_threshold.filter(|&t| t != u32::MAX) {
        out.any(To::Json, "ce_threshold", v, "");
        out.fp(format_args!("ce_threshold {} ", Time(v)));
    }
    if let Some(v) = f.timer_slack {
        out.any(To::Json, "timer_slack", v, "");
        out.fp(format_args!("timer_slack {} ", time64_text(i64::from(v))));
    }
    if let Some(v) = f.horizon {
        out.any(To::Json, "horizon", v, "");
        out.fp(format_args!("horizon {} ", Time(v)));
    }
    match f.horizon_drop {
        Some(false) => out.any(To::Any, "horizon_cap", Null, "horizon_cap "),
        Some(true) => out.any(To::Any, "horizon_drop", Null, "horizon_drop "),
        None => {}
    }
}
