//! The bpf classifier's words (`f_bpf.c`'s `bpf_parse_opt`, classic
//! `bytecode` only: this example loads no eBPF object) and listing
//! (`bpf_print_opt`).

use crate::action::{actions, print_actions};
use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::{Links, Words, get_u32, matches};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::Handle;
use nl_rustix::nl_proto::tc::cls_bpf::{BpfFilter, FLAG_ACT_DIRECT, SockFilter};
use nl_rustix::nl_proto::tc::cls_u32;

/// tc's `bpf_parse_string`: `N,code jt jf k,…`; `Err(Some(i))` when
/// instruction `i` is malformed.
fn bytecode(s: &str, out: &mut BpfFilter) -> Result<(), Option<usize>> {
    let mut parts = s.split(',');
    let n: usize = parts
        .next()
        .and_then(|p| p.trim().parse().ok())
        .filter(|&n| n > 0)
        .ok_or(None)?;
    for i in 0..n {
        let op = (|| {
            let mut f = parts.next()?.split_whitespace();
            let code = u16::try_from(get_u32(f.next()?, 0)?).ok()?;
            let jt = u8::try_from(get_u32(f.next()?, 0)?).ok()?;
            let jf = u8::try_from(get_u32(f.next()?, 0)?).ok()?;
            let k = get_u32(f.next()?, 0)?;
            Some(SockFilter::new(code, jt, jf, k))
        })()
        .ok_or(Some(i))?;
        out.ops.push(op).map_err(|_| Some(i))?;
    }
    Ok(())
}

fn program(w: &mut Words<'_>, b: &mut BpfFilter) -> Result<(), Failure> {
    let unable = |at: Option<usize>| {
        let first = at.map_or(String::new(), |i| format!("Error at instruction {i}!\n"));
        Failure::ret(1, format!("{first}Unable to parse bpf command line"))
    };
    match w.next() {
        Some("bytecode" | "bc") => bytecode(w.value()?, b).map_err(unable),
        Some("bytecode-file" | "bcf") => {
            let path = w.value()?;
            let text = std::fs::read_to_string(path).map_err(|_| unable(None))?;
            bytecode(text.trim(), b).map_err(unable)
        }
        Some(_) => Err(Failure::ret(
            1,
            "Unable to load program (this tc loads classic bytecode only, no eBPF object)",
        )),
        None => Err(unable(None)),
    }
}

/// `bpf_parse_opt`: the words after `bpf`, and the filter `handle`.
pub(crate) fn parse(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    handle: Option<&str>,
    tcm_handle: &mut u32,
) -> Result<Option<BpfFilter>, Failure> {
    if let Some(h) = handle {
        *tcm_handle = get_u32(h, 0).ok_or_else(|| Failure::ret(1, "Illegal \"handle\""))?;
    }
    if w.peek().is_none() {
        return Ok(None);
    }
    let mut b = BpfFilter::default();
    let (mut flags, mut gflags) = (0u32, 0u32);
    let mut seen_run = false;
    let mut acts = Vec::new();
    while let Some(word) = w.peek() {
        let m = |full: &str| matches(word, full);
        if m("run") {
            w.next();
            program(w, &mut b)?;
            seen_run = true;
        } else if m("classid") || m("flowid") {
            w.next();
            let v = w.value()?;
            b.classid = Some(
                Handle::parse_classid(v).ok_or_else(|| Failure::ret(1, "Illegal \"classid\""))?,
            );
        } else if m("direct-action") || m("da") {
            w.next();
            flags |= FLAG_ACT_DIRECT;
        } else if m("skip_hw") {
            w.next();
            gflags |= cls_u32::FLAG_SKIP_HW;
        } else if m("skip_sw") {
            w.next();
            gflags |= cls_u32::FLAG_SKIP_SW;
        } else if m("action") {
            w.next();
            actions(ctx, w, &mut acts)?;
        } else if !seen_run {
            program(w, &mut b)?;
            seen_run = true;
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?")));
        }
    }
    for a in acts {
        b.actions
            .push(a)
            .map_err(|_| Failure::ret(1, "Too many actions"))?;
    }
    b.flags = (flags != 0).then_some(flags);
    b.flags_gen = (gflags != 0).then_some(gflags);
    Ok(Some(b))
}

/// `bpf_print_opt`.
pub(crate) fn print(links: &Links, o: &Opts, out: &mut Out, b: &BpfFilter, handle: u32) {
    if handle != 0 {
        out.any(
            To::Any,
            "handle",
            format_args!("{handle:#x}"),
            format_args!("handle {handle:#x} "),
        );
    }
    if let Some(c) = b.classid {
        out.any(
            To::Any,
            "flowid",
            format_args!("{c}"),
            format_args!("flowid {c} "),
        );
    }
    if let Some(n) = &b.name {
        out.any(To::Any, "bpf_name", n.as_str(), format_args!("{n} "));
    }
    if b.flags.is_some_and(|f| f & FLAG_ACT_DIRECT != 0) {
        out.any(To::Any, "direct-action", true, "direct-action ");
    }
    if let Some(f) = b.flags_gen {
        if f & cls_u32::FLAG_SKIP_HW != 0 {
            out.any(To::Any, "skip_hw", true, "skip_hw ");
        }
        if f & cls_u32::FLAG_SKIP_SW != 0 {
            out.any(To::Any, "skip_sw", true, "skip_sw ");
        }
        if f & cls_u32::FLAG_IN_HW != 0 {
            out.any(To::Any, "in_hw", true, "in_hw ");
        } else if f & cls_u32::FLAG_NOT_IN_HW != 0 {
            out.any(To::Any, "not_in_hw", true, "not_in_hw ");
        }
    }
    if !b.ops.is_empty() {
        out.open(Some("bytecode"));
        let n = b.ops.len();
        out.any(To::Any, "length", n, format_args!("bytecode '{n},"));
        if out.is_json() {
            out.open_array("insns", "");
        }
        for (i, op) in b.ops.iter().enumerate() {
            out.open(None);
            out.any(
                To::Any,
                "code",
                op.code.get(),
                format_args!("{} ", op.code.get()),
            );
            out.any(To::Any, "jt", op.jt, format_args!("{} ", op.jt));
            out.any(To::Any, "jf", op.jf, format_args!("{} ", op.jf));
            let end = if i + 1 == n { "'" } else { "," };
            out.any(
                To::Any,
                "k",
                op.k.get(),
                format_args!("{}{end}", op.k.get()),
            );
            out.close();
        }
        if out.is_json() {
            out.close();
        }
        out.close();
    }
    if b.id.is_none() {
        if let Some(tag) = b.tag {
            let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
            out.any(To::Any, "tag", hex.as_str(), format_args!("tag {hex} "));
        }
    }
    if !b.actions.is_empty() {
        print_actions(links, o, out, &b.actions, true);
    }
}
