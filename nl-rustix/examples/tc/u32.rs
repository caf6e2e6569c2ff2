//! The u32 classifier's words (`f_u32.c`'s `u32_parse_opt`) and listing
//! (`u32_print_opt`), with the actions it carries (`m_action.c`,
//! `m_mirred.c`, `m_gact.c`).

use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::Links;
use crate::words::{Words, get_u32, matches};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::Handle;
use nl_rustix::nl_proto::tc::cls_u32::{self, Selector, U32Filter, U32Handle, fields};
use nl_rustix::nl_proto::values::IfName;
use std::net::IpAddr;

fn illegal(what: &str) -> Failure {
    Failure::ret(1, format!("Illegal \"{what}\""))
}

/// `[at [nexthdr+]OFF]` after a match.
fn at(w: &mut Words<'_>, off: &mut i32, offmask: &mut i32) -> Result<(), ()> {
    if w.peek() != Some("at") {
        return Ok(());
    }
    w.next();
    let mut p = w.next().ok_or(())?;
    if p.len() > "nexthdr+".len() && p.starts_with("nexthdr+") {
        *offmask = -1;
        p = &p["nexthdr+".len()..];
    } else if matches(p, "nexthdr+") {
        *offmask = -1;
        p = w.next().ok_or(())?;
    }
    *off = p.parse().map_err(|_| ())?;
    Ok(())
}

/// `u32|u16|u8 VAL MASK [at …]` at `off`.
fn value_mask(
    w: &mut Words<'_>,
    sel: &mut Selector,
    bits: u8,
    mut off: i32,
    mut offmask: i32,
) -> Result<(), ()> {
    let val = get_u32(w.next().ok_or(())?, 0).ok_or(())?;
    let mask = get_u32(w.next().ok_or(())?, 16).ok_or(())?;
    at(w, &mut off, &mut offmask)?;
    let r = match bits {
        32 => sel.pack32(val, mask, off, offmask),
        16 => sel.pack16(val, mask, off, offmask),
        _ => sel.pack8(val, mask, off, offmask),
    };
    r.map_err(|_| ())
}

fn addr(w: &mut Words<'_>, sel: &mut Selector, v6: bool, mut off: i32) -> Result<(), ()> {
    let word = w.next().ok_or(())?;
    let (a, len) = match word.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u8>().map_err(|_| ())?)),
        None => (word, None),
    };
    let ip: IpAddr = a.parse().map_err(|_| ())?;
    let mut offmask = 0;
    at(w, &mut off, &mut offmask)?;
    match ip {
        IpAddr::V4(a4) if !v6 => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return Err(());
            }
            sel.pack_ipv4(off, a4, len, offmask).map_err(|_| ())
        }
        IpAddr::V6(a6) if v6 => {
            let len = len.unwrap_or(128);
            if len > 128 {
                return Err(());
            }
            sel.pack_ipv6(off, a6, len, offmask).map_err(|_| ())
        }
        _ => Err(()),
    }
}

/// `i32` as iproute2's `get_integer` (base 0).
fn integer(s: &str) -> Option<i32> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let v = i64::from(get_u32(body, 0)?);
    i32::try_from(if neg { -v } else { v }).ok()
}

/// `offset [plus N] [at N] [mask M] [shift S] [eat]` (`parse_offset`).
fn offset(w: &mut Words<'_>, sel: &mut Selector) -> Result<(), ()> {
    while let Some(word) = w.peek() {
        let m = |full: &str| matches(word, full);
        if m("plus") {
            w.next();
            sel.off =
                u16::try_from(integer(w.next().ok_or(())?).ok_or(())? & 0xffff).map_err(|_| ())?;
            sel.flags |= cls_u32::OFFSET;
        } else if m("at") {
            w.next();
            let off = integer(w.next().ok_or(())?).ok_or(())?;
            if off % 2 != 0 {
                return Err(());
            }
            sel.offoff = i16::try_from(off).map_err(|_| ())?;
            sel.flags |= cls_u32::VAROFFSET;
        } else if m("mask") {
            w.next();
            sel.offmask = get_u32(w.next().ok_or(())?, 16)
                .and_then(|v| u16::try_from(v).ok())
                .ok_or(())?;
            sel.flags |= cls_u32::VAROFFSET;
        } else if m("shift") {
            w.next();
            sel.offshift = u8::try_from(integer(w.next().ok_or(())?).ok_or(())?).map_err(|_| ())?;
            sel.flags |= cls_u32::VAROFFSET;
        } else if m("eat") {
            w.next();
            sel.flags |= cls_u32::EAT;
        } else {
            break;
        }
    }
    Ok(())
}

/// `hashkey [mask M] [at N]` (`parse_hashkey`).
fn hashkey(w: &mut Words<'_>, sel: &mut Selector) -> Result<(), ()> {
    while let Some(word) = w.peek() {
        if matches(word, "mask") {
            w.next();
            sel.hmask = get_u32(w.next().ok_or(())?, 16).ok_or(())?;
        } else if matches(word, "at") {
            w.next();
            let n = integer(w.next().ok_or(())?).ok_or(())?;
            if n % 4 != 0 {
                return Err(());
            }
            sel.hoff = i16::try_from(n).map_err(|_| ())?;
        } else {
            break;
        }
    }
    Ok(())
}

/// One `match …` selector.
fn selector(w: &mut Words<'_>, sel: &mut Selector) -> Result<(), ()> {
    let what = w.next().ok_or(())?;
    let m = |full: &str| matches(what, full);
    if m("u32") {
        return value_mask(w, sel, 32, 0, 0);
    }
    if m("u16") {
        return value_mask(w, sel, 16, 0, 0);
    }
    if m("u8") {
        return value_mask(w, sel, 8, 0, 0);
    }
    let field = w.next().ok_or(())?;
    if m("ip") {
        return match field {
            "src" => addr(w, sel, false, fields::IP_SRC),
            "dst" => addr(w, sel, false, fields::IP_DST),
            "tos" | "dsfield" | "precedence" => value_mask(w, sel, 8, fields::IP_TOS, 0),
            "ihl" => value_mask(w, sel, 8, fields::IP_IHL, 0),
            "protocol" => value_mask(w, sel, 8, fields::IP_PROTOCOL, 0),
            "nofrag" => sel.pack16(0, 0x3FFF, 6, 0).map_err(|_| ()),
            "firstfrag" => sel.pack16(0x2000, 0x3FFF, 6, 0).map_err(|_| ()),
            "df" => sel.pack16(0x4000, 0x4000, 6, 0).map_err(|_| ()),
            "mf" => sel.pack16(0x2000, 0x2000, 6, 0).map_err(|_| ()),
            "dport" => value_mask(w, sel, 16, fields::IP_DPORT, 0),
            "sport" => value_mask(w, sel, 16, fields::IP_SPORT, 0),
            "icmp_type" => value_mask(w, sel, 8, fields::IP_ICMP_TYPE, 0),
            "icmp_code" => value_mask(w, sel, 8, fields::IP_ICMP_CODE, 0),
            _ => Err(()),
        };
    }
    if m("ip6") {
        return match field {
            "src" => addr(w, sel, true, fields::IP6_SRC),
            "dst" => addr(w, sel, true, fields::IP6_DST),
            "protocol" => value_mask(w, sel, 8, fields::IP6_PROTOCOL, 0),
            "dport" => value_mask(w, sel, 16, fields::IP6_DPORT, 0),
            "sport" => value_mask(w, sel, 16, fields::IP6_SPORT, 0),
            "icmp_type" => value_mask(w, sel, 8, fields::IP6_ICMP_TYPE, 0),
            "icmp_code" => value_mask(w, sel, 8, fields::IP6_ICMP_CODE, 1),
            "flowlabel" => value_mask(w, sel, 32, 0, 0),
            _ => Err(()),
        };
    }
    if m("udp") || m("tcp") {
        return match field {
            "src" => value_mask(w, sel, 16, fields::L4_SRC, -1),
            "dst" => value_mask(w, sel, 16, fields::L4_DST, -1),
            _ => Err(()),
        };
    }
    if m("icmp") {
        return match field {
            "type" => value_mask(w, sel, 8, fields::ICMP_TYPE, -1),
            "code" => value_mask(w, sel, 8, fields::ICMP_CODE, -1),
            _ => Err(()),
        };
    }
    Err(())
}

/// `u32_parse_opt`: the words after `u32`, and the filter `handle`.
pub(crate) fn parse(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    handle: Option<&str>,
    tcm_handle: &mut u32,
) -> Result<U32Filter, Failure> {
    let mut u = U32Filter::default();
    if let Some(h) = handle {
        *tcm_handle = U32Handle::parse(h)
            .ok_or_else(|| Failure::ret(1, "Illegal filter ID"))?
            .0;
    }
    if w.peek().is_none() {
        u.empty = true;
        return Ok(u);
    }
    let mut sel = Selector::default();
    let mut sel_ok = false;
    let mut terminal = false;
    let mut htid = 0u32;
    let mut order = 0u32;
    let mut flags = 0u32;
    let mut acts = Vec::new();
    while let Some(word) = w.next() {
        let m = |full: &str| matches(word, full);
        if m("match") {
            selector(w, &mut sel).map_err(|()| illegal("match"))?;
            sel_ok = true;
        } else if m("offset") {
            offset(w, &mut sel).map_err(|()| illegal("offset"))?;
        } else if m("hashkey") {
            hashkey(w, &mut sel).map_err(|()| illegal("hashkey"))?;
        } else if m("classid") || word == "flowid" {
            let v = w.value()?;
            u.classid = Some(Handle::parse_classid(v).ok_or_else(|| illegal("classid"))?);
            sel.flags |= cls_u32::TERMINAL;
        } else if m("divisor") {
            let v = w.value()?;
            let d = get_u32(v, 0).filter(|&d| d != 0 && d <= 0x100 && (d - 1) & d == 0);
            u.divisor = Some(d.ok_or_else(|| illegal("divisor"))?);
        } else if m("order") {
            order = get_u32(w.value()?, 0).ok_or_else(|| illegal("order"))?;
        } else if word == "link" {
            let l = U32Handle::parse(w.value()?).ok_or_else(|| illegal("link"))?;
            if l.0 != 0 && l.node() != 0 {
                return Err(Failure::ret(1, "\"link\" must be a hash table."));
            }
            u.link = Some(l.0);
        } else if word == "ht" {
            let h = U32Handle::parse(w.value()?).ok_or_else(|| illegal("ht"))?;
            if handle.is_some() && h.node() != 0 {
                return Err(Failure::ret(1, "\"ht\" must be a hash table."));
            }
            htid = h.0 & 0xFFFF_F000;
        } else if word == "indev" {
            let v = w.next().ok_or_else(|| Failure::ret(1, "Illegal indev"))?;
            u.indev = Some(IfName::new(v).map_err(|_| Failure::ret(1, "Illegal indev"))?);
        } else if m("action") {
            crate::action::actions(ctx, w, &mut acts)?;
            terminal = true;
        } else if m("police") {
            u.police = Some(crate::action::police(w)?);
            terminal = true;
        } else if word == "skip_hw" {
            flags |= cls_u32::FLAG_SKIP_HW;
        } else if word == "skip_sw" {
            flags |= cls_u32::FLAG_SKIP_SW;
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?")));
        }
    }
    if terminal {
        sel.flags |= cls_u32::TERMINAL;
    }
    if order != 0 {
        let node = *tcm_handle & 0xfff;
        if node != 0 && order != node {
            return Err(Failure::ret(1, "\"order\" contradicts \"handle\""));
        }
        *tcm_handle |= order;
    }
    if htid != 0 {
        u.hash = Some(htid);
    }
    if sel_ok {
        u.sel = Some(sel);
    }
    if flags != 0 {
        if flags == cls_u32::FLAG_SKIP_HW | cls_u32::FLAG_SKIP_SW {
            return Err(Failure::ret(
                1,
                "skip_hw and skip_sw are mutually exclusive",
            ));
        }
        u.flags = Some(flags);
    }
    for a in acts {
        u.actions
            .push(a)
            .map_err(|_| Failure::ret(1, "Too many actions"))?;
    }
    Ok(u)
}

/// `u32_print_opt`, then the actions.
pub(crate) fn print(
    links: &Links,
    o: &Opts,
    out: &mut Out,
    u: &U32Filter,
    handle: u32,
    protocol: u16,
) {
    let h = U32Handle(handle);
    if handle != 0 {
        let mut s = h.to_string();
        if o.raw {
            s.push_str(&format!("[{handle:08x}]"));
        }
        out.any(To::Any, "fh", s.clone(), format_args!("fh {s} "));
    }
    if h.node() != 0 {
        out.any(
            To::Any,
            "order",
            h.node(),
            format_args!("order {} ", h.node()),
        );
    }
    if let Some(d) = u.divisor {
        out.any(To::Any, "ht_divisor", d, format_args!("ht divisor {d} "));
    } else if let Some(ht) = u.hash {
        let (id, bkt) = ((ht >> 20) & 0xfff, (ht >> 12) & 0xff);
        out.any(
            To::Any,
            "key_ht",
            format_args!("{id:x}"),
            format_args!("key ht {id:x} "),
        );
        out.any(
            To::Any,
            "bkt",
            format_args!("{bkt:x}"),
            format_args!("bkt {bkt:x} "),
        );
    } else {
        eprint!("divisor and hash missing ");
    }
    let terminal = u
        .sel
        .as_ref()
        .is_some_and(|s| s.flags & cls_u32::TERMINAL != 0);
    if let Some(c) = u.classid {
        if terminal {
            out.fp("*");
        }
        out.any(
            To::Any,
            "flowid",
            c.to_string(),
            format_args!("flowid {c} "),
        );
    } else if terminal {
        out.fp("terminal flowid ");
    }
    if let Some(l) = u.link {
        let s = U32Handle(l).to_string();
        out.any(To::Any, "link", s.clone(), format_args!("link {s} "));
    }
    if let Some(f) = u.flags {
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
    if let (Some(_), true, Some((rcnt, rhit))) = (&u.sel, o.stats > 0, u.pcnt) {
        out.any(To::Any, "rule_hit", rcnt, format_args!("(rule hit {rcnt} "));
        out.any(To::Any, "success", rhit, format_args!("success {rhit})"));
    }
    if let Some(mk) = &u.mark {
        out.nl();
        let (v, m, s) = (mk.val.get(), mk.mask.get(), mk.success.get());
        out.any(
            To::Any,
            "fwmark_value",
            format_args!("{v:#x}"),
            format_args!("  mark 0x{v:04x} "),
        );
        out.any(
            To::Any,
            "fwmark_mask",
            format_args!("{m:#x}"),
            format_args!("0x{m:04x} "),
        );
        out.any(To::Any, "fwmark_success", s, format_args!("(success {s})"));
    }
    if let Some(sel) = &u.sel {
        for k in &sel.keys {
            if o.pretty && !out.is_json() && protocol == 0x0800 {
                pretty_ipv4(out, k);
                continue;
            }
            out.open(Some("match"));
            out.nl();
            out.any(
                To::Any,
                "value",
                format_args!("{:x}", k.val),
                format_args!("  match {:08x}", k.val),
            );
            out.any(
                To::Any,
                "mask",
                format_args!("{:x}", k.mask),
                format_args!("/{:08x} ", k.mask),
            );
            let nh = if k.offmask != 0 { "nexthdr+" } else { "" };
            out.any(To::Any, "offmask", nh, format_args!("at {nh}"));
            out.any(To::Any, "off", k.off, k.off);
            out.close();
        }
        if sel.flags & (cls_u32::VAROFFSET | cls_u32::OFFSET) != 0 {
            out.nl();
            out.fp("    offset ");
            if sel.flags & cls_u32::VAROFFSET != 0 {
                out.any(
                    To::Any,
                    "offset_mask",
                    format_args!("{:x}", sel.offmask),
                    format_args!("{:04x}", sel.offmask),
                );
                out.any(
                    To::Any,
                    "offset_shift",
                    sel.offshift,
                    format_args!(">>{} ", sel.offshift),
                );
                out.any(
                    To::Any,
                    "offset_off",
                    sel.offoff,
                    format_args!("at {} ", sel.offoff),
                );
            }
            if sel.off != 0 {
                out.any(To::Any, "plus", sel.off, format_args!("plus {} ", sel.off));
            }
        }
        if sel.flags & cls_u32::EAT != 0 {
            out.fp(" eat ");
        }
        if sel.hmask != 0 {
            out.nl();
            out.any(
                To::Any,
                "hash_mask",
                format_args!("{:x}", sel.hmask),
                format_args!("    hash mask {:08x} ", sel.hmask),
            );
            out.any(
                To::Any,
                "hash_off",
                sel.hoff,
                format_args!("at {} ", sel.hoff),
            );
        }
    }
    if let Some(p) = &u.police {
        out.nl();
        crate::action::print_police(out, o, p);
    }
    if let Some(dev) = &u.indev {
        out.nl();
        out.any(
            To::Any,
            "input_dev",
            dev.as_str(),
            format_args!("  input dev {}", dev.as_str()),
        );
        out.nl();
    }
    if !u.actions.is_empty() {
        crate::action::print_actions(links, o, out, &u.actions, true);
    }
}

/// tc's `-p` text for an IPv4 key (`print_ipv4`): the fields it knows,
/// and nothing for the others (tc prints no raw form there either).
fn pretty_ipv4(out: &mut Out, k: &cls_u32::Key) {
    let (val, mask) = (k.val, k.mask);
    match (k.off, mask) {
        (0, 0x0f00_0000) => out.fp(format_args!("\n  match IP ihl {}", val >> 24)),
        (0, 0x00ff_0000) => {
            let v = val >> 16;
            let hex = if v == 0 {
                "0".to_string()
            } else {
                format!("{v:#x}")
            };
            out.fp(format_args!("\n  match IP dsfield {hex}"));
        }
        (8, 0x00ff_0000) => out.fp(format_args!("\n  match IP protocol {}", val >> 16)),
        (12 | 16, m) if m & (!m >> 1) == 0 => {
            let bits = m.count_ones();
            let dir = if k.off == 12 { "src" } else { "dst" };
            let addr = std::net::Ipv4Addr::from(val);
            out.fp(format_args!("\n  match IP {dir} {addr}/{bits}"));
        }
        (20, 0x0000_ffff) => out.fp(format_args!("match dport {}", val & 0xffff)),
        (20, 0xffff_0000) => out.fp(format_args!("\n  match sport {}", val >> 16)),
        (20, 0xffff_ffff) => out.fp(format_args!(
            "\n  match dport {}, match sport {}",
            val & 0xffff,
            val >> 16
        )),
        _ => {}
    }
}
