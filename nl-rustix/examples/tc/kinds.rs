//! The qdisc and class kinds: their words → typed options (with tc's
//! messages for bad values), and their options and statistics → output,
//! as tc 6.1's `q_*.c` print them.

use crate::Opts;
use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::{Words, get_u32};
use nl_rustix::nl_proto::tc::fifo::{Fifo, Prio};
use nl_rustix::nl_proto::tc::fq_codel::FqCodel;
use nl_rustix::nl_proto::tc::htb::{Htb, HtbClass, HtbClassSpec};
use nl_rustix::nl_proto::tc::stats::{Stats, Xstats};
use nl_rustix::nl_proto::tc::tbf::{Tbf, TbfSpec};
use nl_rustix::nl_proto::tc::units::{LinkLayer, Rate, Size, Time};
use nl_rustix::nl_proto::tc::{Options, Tc};

const TBF_USAGE: &str =
    "Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]
\t[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]";
const HTB_USAGE: &str = "Usage: ... qdisc add ... htb [default N] [r2q N]";
const FIFO_USAGE: &str = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]";

/// A size with an optional `/CELL` (tc's `get_size_and_cell`).
pub(crate) fn size_and_cell(s: &str) -> Option<(Size, Option<u8>)> {
    let (size, cell) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let size = Size::parse(size)?;
    let cell = match cell {
        None => None,
        Some(c) => {
            let c: u32 = get_u32(c, 0)?;
            Some(u8::try_from((0..32).find(|i| 1u32 << i == c)?).ok()?)
        }
    };
    Some((size, cell))
}

/// Parse a qdisc's options after its kind (`parse_qopt`). An error
/// returns 1 from the command, as tc.
pub(crate) fn parse_qdisc(kind: &str, w: &mut Words<'_>) -> Result<Options, Failure> {
    match kind {
        "pfifo" | "bfifo" | "pfifo_head_drop" => {
            let mut limit = None;
            while let Some(word) = w.next() {
                match word {
                    "limit" => {
                        let v = w.value()?;
                        limit = Some(Size::parse(v).ok_or_else(|| {
                            Failure::ret(1, format!("{kind}: Illegal value for \"limit\": \"{v}\""))
                        })?);
                    }
                    "help" => return Err(Failure::ret(1, FIFO_USAGE)),
                    _ => {
                        return Err(Failure::ret(
                            1,
                            format!("{kind}: unknown parameter \"{word}\"\n{FIFO_USAGE}"),
                        ));
                    }
                }
            }
            Ok(limit.map_or(Options::None, |l| Options::Fifo(Fifo { limit: l.0 })))
        }
        "tbf" => parse_tbf(w),
        "prio" => parse_prio(w),
        "fq_codel" => parse_fq_codel(w),
        "sfq" => crate::fair::parse_sfq(w),
        "fq" => crate::fair::parse_fq(w),
        "netem" => crate::netem::parse(w),
        "htb" => parse_htb(w),
        "ingress" => {
            while let Some(word) = w.next() {
                if word == "handle" {
                    w.value()?;
                } else {
                    return Err(Failure::ret(
                        1,
                        format!("What is \"{word}\"?\nUsage: ... ingress"),
                    ));
                }
            }
            Ok(Options::None)
        }
        "clsact" => match w.next() {
            Some(word) => Err(Failure::ret(
                1,
                format!("What is \"{word}\"?\nUsage: ... clsact"),
            )),
            None => Ok(Options::None),
        },
        "pfifo_fast" => match w.peek() {
            Some(_) => Err(Failure::ret(
                255,
                "qdisc 'pfifo_fast' does not support option parsing",
            )),
            None => Ok(Options::None),
        },
        _ => match w.next() {
            // tc knows many more kinds than this example encodes: with
            // options, say so; without, the kernel decides.
            Some(word) => Err(Failure::ret(
                1,
                format!("Unknown qdisc \"{kind}\", hence option \"{word}\" is unparsable"),
            )),
            None => Ok(Options::None),
        },
    }
}

const PRIO_USAGE: &str = "Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]";

/// `prio_parse_opt`.
fn parse_prio(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut p = Prio::default();
    let (mut pmap, mut idx) = (false, 0);
    while let Some(word) = w.next() {
        match word {
            "bands" => {
                let v = w.value()?;
                p.bands = v
                    .parse()
                    .map_err(|_| Failure::ret(1, "Illegal \"bands\""))?;
            }
            "priomap" if pmap => return Err(Failure::ret(1, "Error: duplicate priomap")),
            "priomap" => pmap = true,
            "multiqueue" => p.multiqueue = Some(true),
            "help" => return Err(Failure::ret(1, PRIO_USAGE)),
            _ if !pmap => {
                return Err(Failure::ret(
                    1,
                    format!("What is \"{word}\"?\n{PRIO_USAGE}"),
                ));
            }
            _ => {
                let band: u8 = word
                    .parse()
                    .map_err(|_| Failure::ret(1, "Illegal \"priomap\" element"))?;
                if i32::from(band) >= p.bands {
                    return Err(Failure::ret(1, "\"priomap\" element is out of bands"));
                }
                let slot = p
                    .priomap
                    .get_mut(idx)
                    .ok_or_else(|| Failure::ret(1, "\"priomap\" index > TC_PRIO_MAX=15"))?;
                *slot = band;
                idx += 1;
            }
        }
    }
    Ok(Options::Prio(p))
}

/// `fq_codel_parse_opt` (without `ce_threshold_selector`).
fn parse_fq_codel(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut f = FqCodel::default();
    let bad = |what: &str| Failure::ret(1, format!("Illegal \"{what}\""));
    let nonzero = |v: u32| (v != 0).then_some(v);
    while let Some(word) = w.next() {
        match word {
            "limit" | "flows" | "quantum" | "drop_batch" => {
                let v = get_u32(w.value()?, 0).ok_or_else(|| bad(word))?;
                let slot = match word {
                    "limit" => &mut f.limit,
                    "flows" => &mut f.flows,
                    "quantum" => &mut f.quantum,
                    _ => &mut f.drop_batch,
                };
                *slot = nonzero(v);
            }
            "target" | "interval" | "ce_threshold" => {
                let t = Time::parse(w.value()?).ok_or_else(|| bad(word))?.0;
                match word {
                    "target" => f.target = nonzero(t),
                    "interval" => f.interval = nonzero(t),
                    _ => f.ce_threshold = Some(t),
                }
            }
            "memory_limit" => {
                f.memory_limit = Some(Size::parse(w.value()?).ok_or_else(|| bad(word))?.0)
            }
            "ecn" => f.ecn = Some(true),
            "noecn" => f.ecn = Some(false),
            _ => {
                return Err(Failure::ret(
                    1,
                    format!(
                        "What is \"{word}\"?\nUsage: ... fq_codel\t[ limit PACKETS ] [ flows NUMBER ]"
                    ),
                ));
            }
        }
    }
    Ok(Options::FqCodel(f))
}

fn tbf_bad(arg: &str, val: &str) -> Failure {
    Failure::ret(1, format!("tbf: illegal value for \"{arg}\": \"{val}\""))
}

fn parse_tbf(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut s = TbfSpec::default();
    let dup = |what: &str| Failure::ret(1, format!("tbf: duplicate \"{what}\" specification"));
    while let Some(word) = w.next() {
        let m = |full: &str| crate::words::matches(word, full);
        if m("limit") {
            let v = w.value()?;
            if s.limit.is_some() {
                return Err(dup("limit"));
            }
            if s.latency.is_some() {
                return Err(Failure::ret(
                    1,
                    "tbf: specifying both \"latency\" and \"limit\" is not allowed",
                ));
            }
            s.limit = Some(Size::parse(v).ok_or_else(|| tbf_bad("limit", v))?);
        } else if m("latency") {
            let v = w.value()?;
            if s.latency.is_some() {
                return Err(dup("latency"));
            }
            if s.limit.is_some() {
                return Err(Failure::ret(
                    1,
                    "tbf: specifying both \"limit\" and \"/latency\" is not allowed",
                ));
            }
            s.latency = Some(Time::parse(v).ok_or_else(|| tbf_bad("latency", v))?);
        } else if m("burst") || word == "buffer" || word == "maxburst" {
            let v = w.value()?;
            if s.burst.0 != 0 {
                return Err(dup("buffer/burst/maxburst"));
            }
            let (b, c) = size_and_cell(v).ok_or_else(|| tbf_bad(word, v))?;
            s.burst = b;
            s.cell_log = c;
        } else if word == "mtu" || word == "minburst" {
            let v = w.value()?;
            if s.mtu.0 != 0 {
                return Err(dup("mtu/minburst"));
            }
            let (b, c) = size_and_cell(v).ok_or_else(|| tbf_bad(word, v))?;
            s.mtu = b;
            s.pcell_log = c;
        } else if word == "mpu" {
            let v = w.value()?;
            if s.mpu.0 != 0 {
                return Err(dup("mpu"));
            }
            s.mpu = Size::parse(v).ok_or_else(|| tbf_bad("mpu", v))?;
        } else if word == "rate" {
            let v = w.value()?;
            if s.rate.0 != 0 {
                return Err(dup("rate"));
            }
            s.rate = Rate::parse(v)
                .filter(|_| !v.contains('%'))
                .ok_or_else(|| tbf_bad("rate", v))?;
        } else if m("peakrate") {
            let v = w.value()?;
            if s.peakrate.is_some() {
                return Err(dup("peakrate"));
            }
            s.peakrate = Some(
                Rate::parse(v)
                    .filter(|_| !v.contains('%'))
                    .ok_or_else(|| tbf_bad("peakrate", v))?,
            );
        } else if m("overhead") {
            let v = w.value()?;
            s.overhead = get_u32(v, 10)
                .and_then(|o| u16::try_from(o).ok())
                .ok_or_else(|| tbf_bad("overhead", v))?;
        } else if m("linklayer") {
            let v = w.value()?;
            s.linklayer = linklayer(v).ok_or_else(|| tbf_bad("linklayer", v))?;
        } else if word == "help" {
            return Err(Failure::ret(1, TBF_USAGE));
        } else {
            return Err(Failure::ret(
                1,
                format!("tbf: unknown parameter \"{word}\"\n{TBF_USAGE}"),
            ));
        }
    }
    // tc reports every missing parameter at once, then the usage.
    let mut missing = String::new();
    if s.rate.0 == 0 {
        missing.push_str("tbf: the \"rate\" parameter is mandatory.\n");
    }
    if s.burst.0 == 0 {
        missing.push_str("tbf: the \"burst\" parameter is mandatory.\n");
    }
    if s.peakrate.is_some_and(|p| p.0 != 0) && s.mtu.0 == 0 {
        missing.push_str("tbf: when \"peakrate\" is specified, \"mtu\" must also be specified.\n");
    }
    if s.limit.is_none_or(|l| l.0 == 0) && s.latency.is_none_or(|l| l.0 == 0) {
        missing.push_str("tbf: either \"limit\" or \"latency\" is required.\n");
    }
    if !missing.is_empty() {
        missing.push_str(TBF_USAGE);
        return Err(Failure::ret(1, missing));
    }
    Tbf::new(&s)
        .map(Options::Tbf)
        .ok_or_else(|| Failure::ret(1, "tbf: failed to calculate rate table."))
}

fn linklayer(v: &str) -> Option<LinkLayer> {
    let m = |full: &str| crate::words::matches(v, full);
    if m("ethernet") {
        Some(LinkLayer::Ethernet)
    } else if m("atm") || m("adsl") {
        Some(LinkLayer::Atm)
    } else {
        None
    }
}

fn htb_illegal(what: &str) -> Failure {
    Failure::ret(1, format!("Illegal \"{what}\"\n{HTB_USAGE}"))
}

fn parse_htb(w: &mut Words<'_>) -> Result<Options, Failure> {
    let mut h = Htb::new(0);
    while let Some(word) = w.next() {
        let m = |full: &str| crate::words::matches(word, full);
        if m("r2q") {
            h.glob.rate2quantum = get_u32(w.value()?, 10)
                .ok_or_else(|| htb_illegal("r2q"))?
                .into();
        } else if m("default") {
            h.glob.defcls = get_u32(w.value()?, 16)
                .ok_or_else(|| htb_illegal("default"))?
                .into();
        } else if m("debug") {
            let v = w.value()?;
            let mut d = 0u32;
            for (i, c) in v.bytes().take(16).enumerate() {
                if !(b'0'..=b'3').contains(&c) {
                    break;
                }
                d |= u32::from(c - b'0') << (2 * i);
            }
            h.glob.debug = d.into();
        } else if m("direct_qlen") {
            h.direct_qlen =
                Some(get_u32(w.value()?, 10).ok_or_else(|| htb_illegal("direct_qlen"))?);
        } else if m("offload") {
            h.offload = true;
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?\n{HTB_USAGE}")));
        }
    }
    Ok(Options::Htb(h))
}

/// Parse a class's options after its kind (`parse_copt`).
pub(crate) fn parse_class(kind: &str, w: &mut Words<'_>) -> Result<Options, Failure> {
    if kind != "htb" {
        return match w.next() {
            Some(word) => Err(Failure::ret(
                1,
                format!("Unknown qdisc \"{kind}\", hence option \"{word}\" is unparsable"),
            )),
            None => Ok(Options::None),
        };
    }
    let usage = "Usage: ... qdisc add ... htb [default N] [r2q N]";
    let illegal = |what: &str| Failure::ret(1, format!("Illegal \"{what}\"\n{usage}"));
    let mut s = HtbClassSpec::new(Rate(0));
    while let Some(word) = w.next() {
        let m = |full: &str| crate::words::matches(word, full);
        if m("prio") {
            s.prio = get_u32(w.value()?, 10).ok_or_else(|| illegal("prio"))?;
        } else if m("mtu") {
            s.mtu = get_u32(w.value()?, 10).ok_or_else(|| illegal("mtu"))?;
        } else if m("mpu") {
            s.mpu = get_u32(w.value()?, 10)
                .and_then(|v| u16::try_from(v).ok())
                .ok_or_else(|| illegal("mpu"))?;
        } else if m("overhead") {
            s.overhead = get_u32(w.value()?, 10)
                .and_then(|v| u16::try_from(v).ok())
                .ok_or_else(|| illegal("overhead"))?;
        } else if m("linklayer") {
            s.linklayer = linklayer(w.value()?).ok_or_else(|| illegal("linklayer"))?;
        } else if m("quantum") {
            s.quantum = get_u32(w.value()?, 10).ok_or_else(|| illegal("quantum"))?;
        } else if m("burst") || word == "buffer" || word == "maxburst" {
            s.burst = Some(size_and_cell(w.value()?).ok_or_else(|| illegal(word))?);
        } else if m("cburst") || word == "cbuffer" || word == "cmaxburst" {
            s.cburst = Some(size_and_cell(w.value()?).ok_or_else(|| illegal(word))?);
        } else if word == "ceil" {
            let v = w.value()?;
            if s.ceil.is_some() {
                return Err(Failure::ret(1, "Double \"ceil\" spec"));
            }
            s.ceil = Some(
                Rate::parse(v)
                    .filter(|_| !v.contains('%'))
                    .ok_or_else(|| illegal("ceil"))?,
            );
        } else if word == "rate" {
            let v = w.value()?;
            if s.rate.0 != 0 {
                return Err(Failure::ret(1, "Double \"rate\" spec"));
            }
            s.rate = Rate::parse(v)
                .filter(|_| !v.contains('%'))
                .ok_or_else(|| illegal("rate"))?;
        } else if word == "help" {
            return Err(Failure::ret(1, usage));
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?\n{usage}")));
        }
    }
    HtbClass::new(&s)
        .map(Options::HtbClass)
        .ok_or_else(|| Failure::ret(1, format!("\"rate\" is required.\n{usage}")))
}

fn rate(o: &Opts, r: Rate) -> String {
    if o.iec {
        r.iec().to_string()
    } else {
        r.to_string()
    }
}

fn size(v: u32) -> String {
    Size(v).to_string()
}

/// A qdisc's options (`print_qopt`), inside the JSON `options` object.
pub(crate) fn print_qdisc(out: &mut Out, o: &Opts, t: &Tc) {
    match (&t.options, t.kind.as_str()) {
        (Options::Fifo(f), "bfifo") => out.any(
            To::Any,
            "limit",
            f.limit,
            format_args!("limit {}", size(f.limit)),
        ),
        (Options::Fifo(f), _) => out.any(
            To::Any,
            "limit",
            f.limit,
            format_args!("limit {}p", f.limit),
        ),
        (Options::Prio(p), _) => print_prio(out, p),
        (Options::Tbf(tbf), _) => print_tbf(out, o, tbf),
        (Options::Htb(h), _) => {
            out.any(
                To::Any,
                "r2q",
                h.glob.rate2quantum.get(),
                format_args!("r2q {}", h.glob.rate2quantum.get()),
            );
            let d = h.glob.defcls.get();
            let hex = if d == 0 {
                "0".to_string()
            } else {
                format!("{d:#x}")
            };
            out.any(
                To::Any,
                "default",
                hex.clone(),
                format_args!(" default {hex}"),
            );
            let dp = h.glob.direct_pkts.get();
            out.any(
                To::Any,
                "direct_packets_stat",
                dp,
                format_args!(" direct_packets_stat {dp}"),
            );
            if o.details > 0 {
                let v = h.glob.version.get();
                let ver = format!("{}.{}", v >> 16, v & 0xffff);
                out.any(To::Any, "ver", ver.clone(), format_args!(" ver {ver}"));
            }
            if let Some(q) = h.direct_qlen {
                out.any(To::Any, "direct_qlen", q, format_args!(" direct_qlen {q}"));
            }
            if h.offload {
                out.fp(" offload");
            }
        }
        (Options::Sfq { sfq, v1 }, _) => crate::fair::print_sfq(out, o, sfq, *v1),
        (Options::Fq(f), _) => crate::fair::print_fq(out, o, f),
        (Options::Netem(n), _) => crate::netem::print(out, o, n),
        (Options::FqCodel(f), _) => print_fq_codel(out, f),
        // tc prints this only when the kernel sent options (it does).
        (Options::Other { .. }, "ingress") => out.fp("---------------- "),
        (Options::Other { len }, _) if *len > 0 && !known(&t.kind) => {
            out.fp(format_args!("[Unknown qdisc, optlen={len}] "));
        }
        _ => {}
    }
}

/// `fq_codel_print_opt`.
fn print_fq_codel(out: &mut Out, f: &FqCodel) {
    if let Some(v) = f.limit {
        out.any(To::Any, "limit", v, format_args!("limit {v}p "));
    }
    if let Some(v) = f.flows {
        out.any(To::Any, "flows", v, format_args!("flows {v} "));
    }
    if let Some(v) = f.quantum {
        out.any(To::Any, "quantum", v, format_args!("quantum {v} "));
    }
    for (key, v) in [
        ("target", f.target),
        ("ce_threshold", f.ce_threshold),
        ("interval", f.interval),
    ] {
        if let Some(v) = v {
            out.any(To::Json, key, v, "");
            out.fp(format_args!("{key} {} ", Time(v)));
        }
    }
    if let Some(v) = f.memory_limit {
        out.any(
            To::Any,
            "memory_limit",
            v,
            format_args!("memory_limit {} ", size(v)),
        );
    }
    if f.ecn == Some(true) {
        out.any(To::Any, "ecn", true, "ecn ");
    }
    if let Some(v) = f.drop_batch.filter(|&v| v != 0) {
        out.any(To::Any, "drop_batch", v, format_args!("drop_batch {v} "));
    }
}

/// Kinds tc prints options for but this example does not decode.
fn known(kind: &str) -> bool {
    matches!(
        kind,
        "fq_codel" | "fq" | "sfq" | "netem" | "cake" | "mq" | "noqueue"
    )
}

fn print_prio(out: &mut Out, p: &Prio) {
    out.any(
        To::Any,
        "bands",
        p.bands,
        format_args!("bands {} ", p.bands),
    );
    out.open_array("priomap", "priomap");
    for b in p.priomap {
        out.item(b, format_args!(" {b}"));
    }
    out.close();
    if let Some(mq) = p.multiqueue {
        out.fp(format_args!(
            " multiqueue: {} ",
            if mq { "on" } else { "off" }
        ));
    }
    out.any(To::Json, "multiqueue", p.multiqueue == Some(true), "");
}

fn print_tbf(out: &mut Out, o: &Opts, t: &Tbf) {
    out.any(
        To::Any,
        "rate",
        t.rate.0,
        format_args!("rate {} ", rate(o, t.rate)),
    );
    let buffer = t.burst_bytes();
    if o.details > 0 {
        let b = format!("{}/{}", size(buffer), 1u32 << t.parms.rate.cell_log);
        out.any(To::Any, "burst", b.clone(), format_args!("burst {b} "));
        let mpu = u32::from(t.parms.rate.mpu.get());
        out.any(To::Any, "mpu", mpu, format_args!("mpu {} ", size(mpu)));
    } else {
        out.any(
            To::Any,
            "burst",
            buffer,
            format_args!("burst {} ", size(buffer)),
        );
    }
    if o.raw {
        let b = t.parms.buffer.get();
        out.any(
            To::Any,
            "burst_raw",
            format_args!("{b:x}"),
            format_args!("[{b:08x}] "),
        );
    }
    if t.peakrate.0 != 0 {
        out.any(
            To::Fp,
            "peakrate",
            t.peakrate.0,
            format_args!("peakrate {} ", rate(o, t.peakrate)),
        );
        if t.parms.mtu.get() != 0 || t.parms.peakrate.mpu.get() != 0 {
            let mtu = t.mtu_bytes();
            if o.details > 0 {
                let b = format!("{}/{}", size(mtu), 1u32 << t.parms.peakrate.cell_log);
                out.any(To::Any, "mtu", b.clone(), format_args!("mtu {b} "));
                let mpu = u32::from(t.parms.peakrate.mpu.get());
                out.any(To::Any, "mpu", mpu, format_args!("mpu {} ", size(mpu)));
            } else {
                out.any(
                    To::Any,
                    "minburst",
                    mtu,
                    format_args!("minburst {} ", size(mtu)),
                );
            }
            if o.raw {
                let m = t.parms.mtu.get();
                out.any(
                    To::Any,
                    "mtu_raw",
                    format_args!("{m:x}"),
                    format_args!("[{m:08x}] "),
                );
            }
        }
    }
    let lat = t.latency();
    if lat >= 0.0 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "tc's conversions"
        )]
        let (l64, l32) = (lat as u64, lat as u32);
        out.any(To::Json, "lat", l64, "");
        out.fp(format_args!("lat {} ", Time(l32)));
    }
    if o.raw || lat < 0.0 {
        let l = t.parms.limit.get();
        out.any(To::Any, "limit", l, format_args!("limit {} ", size(l)));
    }
    let oh = t.parms.rate.overhead.get();
    if oh != 0 {
        out.any(To::Any, "overhead", oh, format_args!("overhead {oh} "));
    }
    let ll = LinkLayer::from_wire(t.parms.rate.linklayer).unwrap_or_default();
    if ll != LinkLayer::Ethernet || o.details > 0 {
        out.any(
            To::Any,
            "linklayer",
            ll.name(),
            format_args!("linklayer {} ", ll.name()),
        );
    }
}

/// A class's options (`print_copt`); tc prints classes as text only.
pub(crate) fn print_class(out: &mut Out, o: &Opts, t: &Tc) {
    let Options::HtbClass(c) = &t.options else {
        if !matches!(t.options, Options::None) {
            eprint!("[cannot parse class parameters]");
        }
        return;
    };
    let p = &c.parms;
    if p.level.get() == 0 {
        out.fp(format_args!("prio {} ", p.prio.get() as i32));
        if o.details > 0 {
            out.fp(format_args!("quantum {} ", p.quantum.get() as i32));
        }
    }
    out.fp(format_args!("rate {} ", rate(o, c.rate)));
    if p.rate.overhead.get() != 0 {
        out.fp(format_args!("overhead {} ", p.rate.overhead.get()));
    }
    out.fp(format_args!("ceil {} ", rate(o, c.ceil)));
    let ll = LinkLayer::from_wire(p.rate.linklayer).unwrap_or_default();
    if ll != LinkLayer::Ethernet || o.details > 0 {
        out.fp(format_args!("linklayer {} ", ll.name()));
    }
    if o.details > 0 {
        out.fp(format_args!(
            "burst {}/{} mpu {} cburst {}/{} mpu {} level {} ",
            size(c.burst_bytes()),
            1u32 << p.rate.cell_log,
            size(u32::from(p.rate.mpu.get())),
            size(c.cburst_bytes()),
            1u32 << p.ceil.cell_log,
            size(u32::from(p.ceil.mpu.get())),
            p.level.get() as i32
        ));
    } else {
        out.fp(format_args!(
            "burst {} cburst {} ",
            size(c.burst_bytes()),
            size(c.cburst_bytes())
        ));
    }
    if o.raw {
        out.fp(format_args!(
            "buffer [{:08x}] cbuffer [{:08x}] ",
            p.buffer.get(),
            p.cbuffer.get()
        ));
    }
}

/// `print_tcstats2_attr` with `prefix`: counters, rate estimate, queue.
pub(crate) fn print_stats(out: &mut Out, o: &Opts, s: &Stats, prefix: &str) {
    if let Some(b) = s.basic {
        out.fp(prefix);
        out.any(
            To::Any,
            "bytes",
            b.bytes,
            format_args!("Sent {} bytes", b.bytes),
        );
        out.any(
            To::Any,
            "packets",
            b.packets,
            format_args!(" {} pkt", b.packets),
        );
    }
    if let Some(q) = s.queue {
        out.any(
            To::Any,
            "drops",
            q.drops,
            format_args!(" (dropped {}", q.drops),
        );
        out.any(
            To::Any,
            "overlimits",
            q.overlimits,
            format_args!(", overlimits {}", q.overlimits),
        );
        out.any(
            To::Any,
            "requeues",
            q.requeues,
            format_args!(" requeues {}) ", q.requeues),
        );
    }
    if let Some(hw) = s.basic_hw.filter(|h| h.bytes != 0 || h.packets != 0) {
        if let Some(b) = s
            .basic
            .filter(|b| b.bytes >= hw.bytes && b.packets >= hw.packets)
        {
            out.nl();
            out.fp(prefix);
            out.any(
                To::Any,
                "sw_bytes",
                b.bytes - hw.bytes,
                format_args!("Sent software {} bytes", b.bytes - hw.bytes),
            );
            out.any(
                To::Any,
                "sw_packets",
                b.packets - hw.packets,
                format_args!(" {} pkt", b.packets - hw.packets),
            );
        }
        out.nl();
        out.fp(prefix);
        out.any(
            To::Any,
            "hw_bytes",
            hw.bytes,
            format_args!("Sent hardware {} bytes", hw.bytes),
        );
        out.any(
            To::Any,
            "hw_packets",
            hw.packets,
            format_args!(" {} pkt", hw.packets),
        );
    }
    if let Some(r) = s.rate_est {
        out.fp(format_args!("\n{prefix}"));
        out.any(To::Json, "rate", r.bps, "");
        out.fp(format_args!("rate {}", rate(o, Rate(r.bps))));
        out.any(To::Any, "pps", r.pps, format_args!(" {}pps", r.pps));
    }
    if let Some(q) = s.queue {
        if s.rate_est.is_none() {
            out.nl();
        }
        out.fp(prefix);
        out.any(
            To::Any,
            "backlog",
            q.backlog,
            format_args!("backlog {}", size(q.backlog)),
        );
        out.any(To::Any, "qlen", q.qlen, format_args!(" {}p", q.qlen));
        out.fp(format_args!(" requeues {}", q.requeues));
    }
}

/// An htb class's `TCA_XSTATS` (`htb_print_xstats`).
pub(crate) fn print_xstats(out: &mut Out, s: &Stats) -> bool {
    if let Some(Xstats::HtbClass {
        lends,
        borrows,
        giants,
        tokens,
        ctokens,
    }) = s.xstats
    {
        out.fp(format_args!(
            " lended: {lends} borrowed: {borrows} giants: {giants}\n"
        ));
        out.fp(format_args!(" tokens: {tokens} ctokens: {ctokens}\n"));
        return true;
    }
    false
}
