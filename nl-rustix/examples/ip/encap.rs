//! `encap TYPE …` of `ip route` (iproute2's `lwt_parse_encap`): the
//! words of each type into an [`Encap`], and back into the words
//! `ip route show` prints (`lwt_print_encap`).

use crate::fail::Failure;
use crate::words::{Words, duparg, invarg, parse_number};
use nl_rustix::nl_proto::route::encap::{
    Encap, IpTunnelEncap, MplsEncap, Seg6Encap, Seg6Mode, TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ,
};
use serde_json::Value;
use std::net::{IpAddr, Ipv6Addr};

/// The words after `encap`: the type, then its options up to the first
/// word that is not one of them (left for the route's own parser).
pub(crate) fn parse(w: &mut Words<'_>) -> Result<Encap, Failure> {
    let kind = w.value("encap")?;
    match kind {
        "mpls" => parse_mpls(w),
        "ip" => Ok(Encap::Ip(parse_ip(w, false)?)),
        "ip6" => Ok(Encap::Ip6(parse_ip(w, true)?)),
        "seg6" => parse_seg6(w),
        "ila" | "bpf" | "seg6local" | "rpl" | "ioam6" | "xfrm" => Err(Failure::Unsupported(
            format!("Error: encap type \"{kind}\" is not supported by this ip (mpls, ip, ip6 and seg6 are)."),
        )),
        _ => Err(invarg(kind, "\"encap type\" value is invalid")),
    }
}

/// `L1/L2/… [ttl N]`.
fn parse_mpls(w: &mut Words<'_>) -> Result<Encap, Failure> {
    let v = w.value("encap")?;
    let labels: Option<Vec<u32>> = v.split('/').map(parse_number).collect();
    let labels = labels.as_deref().and_then(MplsEncap::new).ok_or_else(|| {
        Failure::arg(format!(
            "Error: mpls address is expected rather than \"{v}\"."
        ))
    })?;
    let mut ttl = None;
    while w.peek() == Some("ttl") {
        w.next();
        let v = w.value("ttl")?;
        if ttl.is_some() {
            return Err(duparg("ttl", v));
        }
        ttl = Some(parse_number(v).ok_or_else(|| invarg(v, "\"ttl\" value is invalid"))?);
    }
    Ok(Encap::Mpls { labels, ttl })
}

/// `id N dst A src A ttl|hoplimit N tos|tc N key csum seq`, in any order.
fn parse_ip(w: &mut Words<'_>, v6: bool) -> Result<IpTunnelEncap, Failure> {
    let (ttl_word, tos_word) = if v6 { ("hoplimit", "tc") } else { ("ttl", "tos") };
    let mut t = IpTunnelEncap::default();
    let mut flags = 0;
    while let Some(word) = w.peek() {
        let flag = match word {
            "key" => TUNNEL_KEY,
            "csum" => TUNNEL_CSUM,
            "seq" => TUNNEL_SEQ,
            _ => 0,
        };
        if flag != 0 {
            w.next();
            flags |= flag;
            continue;
        }
        let known = ["id", "dst", "src", ttl_word, tos_word];
        if !known.contains(&word) {
            break;
        }
        w.next();
        let v = w.value(word)?;
        let invalid = || invarg(v, format_args!("\"{word}\" value is invalid"));
        let dup = match word {
            "id" => t.id.replace(parse_number(v).ok_or_else(invalid)?).is_some(),
            "dst" => t.dst.replace(tunnel_addr(v, v6)?).is_some(),
            "src" => t.src.replace(tunnel_addr(v, v6)?).is_some(),
            w if w == ttl_word => t.ttl.replace(parse_number(v).ok_or_else(invalid)?).is_some(),
            _ => t.tos.replace(parse_number(v).ok_or_else(invalid)?).is_some(),
        };
        if dup {
            return Err(duparg(word, v));
        }
    }
    if flags != 0 {
        t.flags = Some(flags);
    }
    Ok(t)
}

fn tunnel_addr(v: &str, v6: bool) -> Result<IpAddr, Failure> {
    v.parse::<IpAddr>()
        .ok()
        .filter(|a| a.is_ipv6() == v6)
        .ok_or_else(|| {
            let fam = if v6 { "inet6" } else { "inet" };
            Failure::arg(format!(
                "Error: {fam} address is expected rather than \"{v}\"."
            ))
        })
}

/// `mode M segs A,B,… [hmac N]` (`mode` before `segs`, as iproute2
/// requires).
fn parse_seg6(w: &mut Words<'_>) -> Result<Encap, Failure> {
    let (mut mode, mut segs, mut hmac) = (None, None, None);
    while let Some(word) = w.peek() {
        if !matches!(word, "mode" | "segs" | "hmac") {
            break;
        }
        w.next();
        let v = w.value(word)?;
        match word {
            "mode" => {
                let m = Seg6Mode::parse(v).ok_or_else(|| invarg(v, "\"mode\" value is invalid"))?;
                if mode.replace(m).is_some() {
                    return Err(duparg("mode", v));
                }
            }
            "segs" => {
                if mode.is_none() {
                    return Err(invarg(v, "\"segs\" provided before \"mode\""));
                }
                let list: Result<Vec<Ipv6Addr>, Failure> = v
                    .split(',')
                    .map(|s| {
                        s.parse().map_err(|_| {
                            Failure::arg(format!(
                                "Error: inet6 address is expected rather than \"{s}\"."
                            ))
                        })
                    })
                    .collect();
                if segs.replace(list?).is_some() {
                    return Err(duparg("segs", v));
                }
            }
            _ => {
                let n: u32 = parse_number(v).ok_or_else(|| invarg(v, "\"hmac\" value is invalid"))?;
                if hmac.replace(n).is_some() {
                    return Err(duparg("hmac", v));
                }
            }
        }
    }
    let mode = mode.unwrap_or(Seg6Mode::Inline);
    let segs = segs.unwrap_or_default();
    let mut s = Seg6Encap::new(mode, &segs).ok_or_else(|| {
        Failure::Unsupported(format!(
            "Error: {} segments: this ip takes 1 to {} (with an inline route's placeholder).",
            segs.len(),
            nl_rustix::nl_proto::route::encap::SEG6_SEGMENTS_MAX
        ))
    })?;
    s.hmac = hmac.filter(|&k| k != 0);
    Ok(Encap::Seg6(s))
}

/// iproute2's `lwt_print_encap` for a route: each member as (JSON key,
/// text, JSON value), in its order — `" encap TYPE "` (with its leading
/// space), then the type's own words.
pub(crate) fn words(e: &Encap) -> Vec<(&'static str, String, Value)> {
    let mut out = vec![(
        "encap",
        format!(" encap {} ", Encap::type_word(e.kind())),
        Value::from(Encap::type_word(e.kind())),
    )];
    match e {
        Encap::Mpls { labels, ttl } => {
            let stack: Vec<String> = labels.labels().iter().map(u32::to_string).collect();
            let stack = stack.join("/");
            out.push(("dst", format!(" {stack} "), stack.into()));
            if let Some(t) = ttl {
                out.push(("ttl", format!("ttl {t} "), (*t).into()));
            }
        }
        Encap::Ip(t) | Encap::Ip6(t) => ip_words(t, matches!(e, Encap::Ip6(_)), &mut out),
        Encap::Seg6(s) => {
            let mode = s.mode.word();
            out.push(("mode", format!("mode {mode} "), mode.into()));
            let segs: Vec<String> = s.segments().iter().map(Ipv6Addr::to_string).collect();
            let text = format!("segs {} [ {}] ", segs.len(), segs.iter().map(|a| format!("{a} ")).collect::<String>());
            out.push(("segs", text, segs.into()));
            if let Some(k) = s.hmac {
                out.push(("hmac", format!("hmac {k:X} "), format!("{k:#x}").into()));
            }
        }
        Encap::Other(_) => {}
    }
    out
}

fn ip_words(t: &IpTunnelEncap, v6: bool, out: &mut Vec<(&'static str, String, Value)>) {
    if let Some(id) = t.id {
        out.push(("id", format!("id {id} "), id.into()));
    }
    for (key, a) in [("src", t.src), ("dst", t.dst)] {
        if let Some(a) = a {
            out.push((key, format!("{key} {a} "), a.to_string().into()));
        }
    }
    let (ttl, tos) = if v6 { ("hoplimit", "tc") } else { ("ttl", "tos") };
    if let Some(v) = t.ttl {
        out.push((ttl, format!("{ttl} {v} "), v.into()));
    }
    if let Some(v) = t.tos {
        out.push((tos, format!("{tos} {v} "), v.into()));
    }
    let flags = t.flags.unwrap_or(0);
    for (bit, word) in [(TUNNEL_KEY, "key"), (TUNNEL_CSUM, "csum"), (TUNNEL_SEQ, "seq")] {
        if flags & bit != 0 {
            out.push((word, format!("{word} "), true.into()));
        }
    }
}
