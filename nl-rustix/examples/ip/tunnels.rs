//! `type geneve|gre|gretap|erspan|ip6gre|ip6gretap|ipip|sit|ip6tnl ARGS`
//! for `ip link add`: iproute2 6.1's words, and the attributes it always
//! sends (its defaults: `pmtudisc`, zero keys and marks, an IPv6 hop limit
//! of 64 and encapsulation limit of 4, …), so that the request is its
//! request. Device names (`dev NAME`) are resolved when the plan runs.

use crate::fail::Failure;
use crate::kinds::{num, unknown, usage};
use crate::words::{Words, invarg, parse_number};
use nl_rustix::nl_proto::route::link::{
    GRE_CSUM, GRE_KEY, GRE_SEQ, GeneveOptions, GreOptions, Ip6tnlOptions, IptunOptions,
    LinkInfoData,
};
use std::net::{IpAddr, Ipv4Addr};

const GENEVE_USAGE: &str = include_str!("usage/geneve.txt");
const GRE_USAGE: &str = include_str!("usage/gre.txt");
const GRETAP_USAGE: &str = include_str!("usage/gretap.txt");
const ERSPAN_USAGE: &str = include_str!("usage/erspan.txt");
const IP6GRE_USAGE: &str = include_str!("usage/ip6gre.txt");
const IP6GRETAP_USAGE: &str = include_str!("usage/ip6gretap.txt");
const IPIP_USAGE: &str = include_str!("usage/ipip.txt");
const SIT_USAGE: &str = include_str!("usage/sit.txt");
const IP6TNL_USAGE: &str = include_str!("usage/ip6tnl.txt");

/// Options that name a device, resolved when the plan runs.
pub(crate) struct Parsed {
    pub(crate) info: LinkInfoData,
    /// `dev NAME`: the underlay, to go in the kind's `LINK` attribute.
    pub(crate) dev: Option<String>,
}

fn addr(w: &mut Words<'_>, key: &str, v6: bool) -> Result<Option<IpAddr>, Failure> {
    let v = w.value(key)?;
    if v == "any" {
        return Ok(None);
    }
    match v.parse::<IpAddr>() {
        Ok(a) if a.is_ipv6() == v6 => Ok(Some(a)),
        _ => Err(invarg(v, format_args!("invalid {key} address"))),
    }
}

/// `KEY := { DOTTED_QUAD | NUMBER }`.
fn key(w: &mut Words<'_>, word: &str) -> Result<u32, Failure> {
    let v = w.value(word)?;
    if let Ok(a) = v.parse::<Ipv4Addr>() {
        return Ok(u32::from(a));
    }
    parse_number(v).ok_or_else(|| invarg(v, "invalid value for \"key\""))
}

fn tos(w: &mut Words<'_>, word: &str) -> Result<u8, Failure> {
    let v = w.value(word)?;
    if v == "inherit" {
        return Ok(1);
    }
    parse_number(v).ok_or_else(|| invarg(v, "bad TOS value"))
}

fn ttl(w: &mut Words<'_>, word: &str) -> Result<u8, Failure> {
    let v = w.value(word)?;
    if v == "inherit" {
        return Ok(0);
    }
    parse_number(v).ok_or_else(|| invarg(v, "invalid TTL"))
}

/// The words after `type geneve`.
pub(crate) fn geneve(w: &mut Words<'_>) -> Result<Parsed, Failure> {
    let mut o = GeneveOptions::default();
    let mut id = None;
    let mut remote = None;
    let mut external = false;
    while let Some(word) = w.next() {
        match word {
            "id" | "vni" => {
                let v = w.value(word)?;
                let n = parse_number::<u32>(v)
                    .filter(|n| *n < 1 << 24)
                    .ok_or_else(|| invarg(v, "invalid id"))?;
                id = Some(n);
            }
            "remote" => remote = addr_any_family(w, word)?,
            "ttl" | "hoplimit" => o.ttl = Some(ttl(w, word)?),
            "tos" | "dsfield" => o.tos = Some(tos(w, word)?),
            "df" => {
                let v = w.value(word)?;
                o.df = Some(match v {
                    "unset" => 0,
                    "set" => 1,
                    "inherit" => 2,
                    _ => return Err(invarg(v, "df must be 'unset', 'set' or 'inherit'")),
                });
            }
            "flowlabel" => {
                let v = w.value(word)?;
                let n = parse_number::<u32>(v)
                    .filter(|n| *n < 1 << 20)
                    .ok_or_else(|| invarg(v, "invalid flowlabel"))?;
                o.label = Some(n);
            }
            "dstport" => o.port = Some(num(w, word)?),
            "external" => external = true,
            "noexternal" => external = false,
            "udpcsum" => o.udp_csum = Some(1),
            "noudpcsum" => o.udp_csum = Some(0),
            "udp6zerocsumtx" => o.udp_zero_csum6_tx = Some(1),
            "noudp6zerocsumtx" => o.udp_zero_csum6_tx = Some(0),
            "udp6zerocsumrx" => o.udp_zero_csum6_rx = Some(1),
            "noudp6zerocsumrx" => o.udp_zero_csum6_rx = Some(0),
            "innerprotoinherit" => o.inner_proto_inherit = Some(true),
            "help" => return Err(usage(GENEVE_USAGE)),
            other => return Err(unknown("geneve", other, GENEVE_USAGE)),
        }
    }
    if !external && id.is_none() {
        return Err(Failure::arg("geneve: missing virtual network identifier"));
    }
    if !external && remote.is_none() {
        return Err(Failure::arg("geneve: remote link partner not specified"));
    }
    // iproute2 always sends the id (0 with `external`), the label, ttl
    // and tos.
    o.id = Some(id.unwrap_or(0));
    match remote {
        Some(IpAddr::V4(a)) => o.remote = Some(a),
        Some(IpAddr::V6(a)) => o.remote6 = Some(a),
        None => {}
    }
    o.label.get_or_insert(0);
    o.ttl.get_or_insert(0);
    o.tos.get_or_insert(0);
    o.collect_metadata = external.then_some(true);
    Ok(Parsed {
        info: LinkInfoData::Geneve(o),
        dev: None,
    })
}

fn addr_any_family(w: &mut Words<'_>, key: &str) -> Result<Option<IpAddr>, Failure> {
    let v = w.value(key)?;
    v.parse()
        .map(Some)
        .map_err(|_| invarg(v, format_args!("invalid {key} address")))
}

/// Which GRE: IPv4 or IPv6 outer header, and its usage.
fn gre_usage(kind: &str) -> &'static str {
    match kind {
        "gretap" => GRETAP_USAGE,
        "erspan" => ERSPAN_USAGE,
        "ip6gre" | "ip6erspan" => IP6GRE_USAGE,
        "ip6gretap" => IP6GRETAP_USAGE,
        _ => GRE_USAGE,
    }
}

/// The words after `type gre|gretap|erspan|ip6gre|ip6gretap`.
pub(crate) fn gre(kind: &str, w: &mut Words<'_>) -> Result<Parsed, Failure> {
    let v6 = kind.starts_with("ip6");
    let text = gre_usage(kind);
    let mut o = GreOptions::default();
    let (mut ikey, mut okey, mut iflags, mut oflags) = (0u32, 0u32, 0u16, 0u16);
    let mut dev = None;
    let mut pmtudisc = 1u8;
    let mut external = false;
    let mut tclass = None;
    let mut flowlabel = None;
    let mut ign_encap_limit = false;
    while let Some(word) = w.next() {
        match word {
            "key" => {
                let k = key(w, word)?;
                (ikey, okey) = (k, k);
                iflags |= GRE_KEY;
                oflags |= GRE_KEY;
            }
            "ikey" => {
                ikey = key(w, word)?;
                iflags |= GRE_KEY;
            }
            "okey" => {
                okey = key(w, word)?;
                oflags |= GRE_KEY;
            }
            "seq" => {
                iflags |= GRE_SEQ;
                oflags |= GRE_SEQ;
            }
            "iseq" => iflags |= GRE_SEQ,
            "oseq" => oflags |= GRE_SEQ,
            "csum" => {
                iflags |= GRE_CSUM;
                oflags |= GRE_CSUM;
            }
            "icsum" => iflags |= GRE_CSUM,
            "ocsum" => oflags |= GRE_CSUM,
            "remote" => o.remote = addr(w, word, v6)?,
            "local" => o.local = addr(w, word, v6)?,
            "dev" => dev = Some(w.value(word)?.to_string()),
            "ttl" | "hoplimit" | "hlim" => o.ttl = Some(ttl(w, word)?),
            "tos" | "tclass" | "dsfield" if !v6 => o.tos = Some(tos(w, word)?),
            "tclass" => tclass = Some(num::<u8>(w, word)?),
            "flowlabel" => flowlabel = Some(num::<u32>(w, word)?),
            "encaplimit" if v6 => {
                let v = w.value(word)?;
                if v == "none" {
                    ign_encap_limit = true;
                } else {
                    let n = parse_number(v).ok_or_else(|| invarg(v, "invalid encaplimit"))?;
                    o.encap_limit = Some(n);
                }
            }
            "pmtudisc" if !v6 => pmtudisc = 1,
            "nopmtudisc" if !v6 => pmtudisc = 0,
            "ignore-df" if !v6 => o.ignore_df = Some(1),
            "noignore-df" if !v6 => o.ignore_df = Some(0),
            "fwmark" => o.fwmark = Some(num(w, word)?),
            "external" => external = true,
            "erspan" => o.erspan_index = Some(num(w, word)?),
            "erspan_ver" => o.erspan_ver = Some(num(w, word)?),
            "erspan_hwid" => o.erspan_hwid = Some(num(w, word)?),
            "erspan_dir" => {
                let v = w.value(word)?;
                o.erspan_dir = Some(match v {
                    "ingress" => 0,
                    "egress" => 1,
                    _ => return Err(invarg(v, "Invalid erspan direction.")),
                });
            }
            "help" => return Err(usage(text)),
            _ => return Err(usage(text)),
        }
    }
    if external {
        let mut m = GreOptions::default();
        m.collect_metadata = Some(true);
        return Ok(Parsed {
            info: LinkInfoData::Gre(m),
            dev,
        });
    }
    o.ikey = Some(ikey);
    o.okey = Some(okey);
    o.iflags = Some(iflags);
    o.oflags = Some(oflags);
    if v6 {
        o.ttl.get_or_insert(64);
        o.encap_limit.get_or_insert(4);
        let tc = u32::from(tclass.unwrap_or(0));
        o.flowinfo = Some(tc << 20 | flowlabel.unwrap_or(0));
        o.flags = Some(u32::from(ign_encap_limit));
        o.erspan_ver.get_or_insert(1);
    } else {
        o.pmtudisc = Some(pmtudisc);
        o.tos.get_or_insert(0);
        o.ttl.get_or_insert(0);
    }
    o.fwmark.get_or_insert(0);
    o.encap_type = Some(0);
    o.encap_flags = Some(if v6 { 2 } else { 0 });
    o.encap_sport = Some(0);
    o.encap_dport = Some(0);
    Ok(Parsed {
        info: LinkInfoData::Gre(o),
        dev,
    })
}

/// The words after `type ipip|sit`.
pub(crate) fn iptun(kind: &str, w: &mut Words<'_>) -> Result<Parsed, Failure> {
    let text = if kind == "sit" { SIT_USAGE } else { IPIP_USAGE };
    let mut o = IptunOptions::default();
    let mut dev = None;
    let mut pmtudisc = 1u8;
    let mut proto = 0u8;
    while let Some(word) = w.next() {
        match word {
            "remote" => o.remote = v4(w, word)?,
            "local" => o.local = v4(w, word)?,
            "dev" => dev = Some(w.value(word)?.to_string()),
            "ttl" | "hoplimit" | "hlim" => o.ttl = Some(ttl(w, word)?),
            "tos" | "tclass" | "dsfield" => o.tos = Some(tos(w, word)?),
            "pmtudisc" => pmtudisc = 1,
            "nopmtudisc" => pmtudisc = 0,
            "fwmark" => o.fwmark = Some(num(w, word)?),
            "mode" => {
                let v = w.value(word)?;
                proto = match v {
                    "ipip" | "ip4ip4" => 4,
                    "ip6ip" | "ipv6/ipv4" if kind == "sit" => 41,
                    "mplsip" | "mpls/ipv4" => 137,
                    "any" | "any/ipv4" => 0,
                    _ => return Err(invarg(v, "Cannot guess tunnel mode.")),
                };
            }
            "isatap" if kind == "sit" => o.flags = Some(0x0001),
            "help" => return Err(usage(text)),
            _ => return Err(usage(text)),
        }
    }
    if pmtudisc == 0 && o.ttl.is_some_and(|t| t != 0) {
        return Err(Failure::arg("ttl != 0 and nopmtudisc are incompatible"));
    }
    o.proto = Some(proto);
    o.pmtudisc = Some(pmtudisc);
    o.tos.get_or_insert(0);
    o.ttl.get_or_insert(0);
    o.link = Some(0);
    o.fwmark.get_or_insert(0);
    o.encap_type = Some(0);
    o.encap_flags = Some(0);
    o.encap_sport = Some(0);
    o.encap_dport = Some(0);
    if kind == "sit" {
        o.flags.get_or_insert(0);
    }
    Ok(Parsed {
        info: LinkInfoData::Iptun(o),
        dev,
    })
}

fn v4(w: &mut Words<'_>, key: &str) -> Result<Option<Ipv4Addr>, Failure> {
    Ok(match addr(w, key, false)? {
        Some(IpAddr::V4(a)) => Some(a),
        _ => None,
    })
}

/// The words after `type ip6tnl`.
pub(crate) fn ip6tnl(w: &mut Words<'_>) -> Result<Parsed, Failure> {
    let mut o = Ip6tnlOptions::default();
    let mut dev = None;
    let mut proto = 0u8;
    let mut tclass = None;
    let mut flowlabel = None;
    let mut ign_encap_limit = false;
    while let Some(word) = w.next() {
        match word {
            "remote" => o.remote = addr(w, word, true)?,
            "local" => o.local = addr(w, word, true)?,
            "dev" => dev = Some(w.value(word)?.to_string()),
            "hoplimit" | "ttl" | "hlim" => o.ttl = Some(ttl(w, word)?),
            "encaplimit" => {
                let v = w.value(word)?;
                if v == "none" {
                    ign_encap_limit = true;
                } else {
                    let n = parse_number(v).ok_or_else(|| invarg(v, "invalid encaplimit"))?;
                    o.encap_limit = Some(n);
                }
            }
            "tclass" | "tos" | "dsfield" => tclass = Some(num::<u8>(w, word)?),
            "flowlabel" | "fl" => flowlabel = Some(num::<u32>(w, word)?),
            "fwmark" => o.fwmark = Some(num(w, word)?),
            "mode" => {
                let v = w.value(word)?;
                proto = match v {
                    "ipv6/ipv6" | "ip6ip6" => 41,
                    "ip/ipv6" | "ipv4/ipv6" | "ipip6" | "ip4ip6" => 4,
                    "any/ipv6" | "any" => 0,
                    _ => return Err(invarg(v, "Cannot guess tunnel mode.")),
                };
            }
            "help" => return Err(usage(IP6TNL_USAGE)),
            _ => return Err(usage(IP6TNL_USAGE)),
        }
    }
    o.proto = Some(proto);
    o.ttl.get_or_insert(64);
    o.encap_limit.get_or_insert(4);
    let tc = u32::from(tclass.unwrap_or(0));
    o.flowinfo = Some(tc << 20 | flowlabel.unwrap_or(0));
    // `encaplimit none`: IP6_TNL_F_IGN_ENCAP_LIMIT.
    o.flags = Some(u32::from(ign_encap_limit));
    o.link = Some(0);
    o.fwmark.get_or_insert(0);
    o.encap_type = Some(0);
    o.encap_flags = Some(2);
    o.encap_sport = Some(0);
    o.encap_dport = Some(0);
    Ok(Parsed {
        info: LinkInfoData::Ip6tnl(o),
        dev,
    })
}
