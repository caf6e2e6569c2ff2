//! `type vxlan ARGS` for `ip link add`, and a vxlan's options as
//! `ip -d link show` prints them (iproute2 6.1's `vxlan_parse_opt` and
//! `vxlan_print_opt`).

use crate::fail::Failure;
use crate::render::Names;
use crate::words::{Words, invarg, parse_number};
use nl_rustix::nl_proto::route::link::{VxlanDf, VxlanOptions};
use nl_rustix::{Kind, LinkId};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::net::IpAddr;

/// iproute2's `vxlan` usage, word for word (scripts grep it).
const USAGE: &str = "Usage: ... vxlan id VNI
		[ { group | remote } IP_ADDRESS ]
		[ local ADDR ]
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dev PHYS_DEV ]
		[ dstport PORT ]
		[ srcport MIN MAX ]
		[ [no]learning ]
		[ [no]proxy ]
		[ [no]rsc ]
		[ [no]l2miss ]
		[ [no]l3miss ]
		[ ageing SECONDS ]
		[ maxaddress NUMBER ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ [no]remcsumtx ] [ [no]remcsumrx ]
		[ [no]external ] [ gbp ] [ gpe ]
		[ [no]vnifilter ]

Where:	VNI	:= 0-16777215
	ADDR	:= { IP_ADDRESS | any }
	TOS	:= { NUMBER | inherit }
	TTL	:= { 1..255 | auto | inherit }
	DF	:= { unset | set | inherit }
	LABEL := 0-1048575";

fn ip_arg(v: &str, what: &str) -> Result<IpAddr, Failure> {
    v.parse()
        .map_err(|_| invarg(v, format_args!("invalid {what} address")))
}

fn num<T: std::str::FromStr>(w: &mut Words<'_>, msg: &str) -> Result<T, Failure> {
    let v = w.value(msg)?;
    parse_number(v).ok_or_else(|| invarg(v, msg))
}

/// The words after `type vxlan`.
pub(crate) fn parse(w: &mut Words<'_>) -> Result<Kind, Failure> {
    let mut id = None;
    let mut port = None;
    let mut local = None;
    let mut remote: Option<IpAddr> = None;
    let mut parent = None;
    let mut o = VxlanOptions::default();
    while let Some(word) = w.next() {
        match word {
            "id" | "vni" => {
                let v = w.value("id")?;
                let n = parse_number::<u32>(v)
                    .filter(|n| *n < 1 << 24)
                    .ok_or_else(|| invarg(v, "invalid id"))?;
                id = Some(n);
            }
            "dstport" => port = Some(num::<u16>(w, "dstport")?),
            "local" => {
                let v = w.value("local")?;
                local = if v == "any" {
                    None
                } else {
                    Some(ip_arg(v, "local")?)
                };
            }
            "remote" => {
                let v = w.value("remote")?;
                let a = ip_arg(v, "remote")?;
                if a.is_multicast() {
                    return Err(invarg(v, "invalid remote address"));
                }
                remote = Some(a);
            }
            "group" => {
                let v = w.value("group")?;
                let a = ip_arg(v, "group")?;
                if !a.is_multicast() {
                    return Err(invarg(v, "invalid group address"));
                }
                remote = Some(a);
            }
            "dev" => parent = Some(LinkId::from(w.value("dev")?)),
            "ttl" | "hoplimit" => match w.value("ttl")? {
                "inherit" => o.ttl_inherit = Some(true),
                "auto" => o.ttl = Some(0),
                v => {
                    let n = parse_number::<u32>(v).ok_or_else(|| invarg(v, "invalid TTL"))?;
                    let n = u8::try_from(n).map_err(|_| invarg(v, "TTL must be <= 255"))?;
                    o.ttl = Some(n);
                }
            },
            "tos" | "dsfield" => match w.value("tos")? {
                "inherit" => o.tos = Some(1),
                v => o.tos = Some(parse_hex_u8(v).ok_or_else(|| invarg(v, "bad TOS value"))?),
            },
            "df" => {
                let v = w.value("df")?;
                o.df = Some(match v {
                    "unset" => VxlanDf::UNSET,
                    "set" => VxlanDf::SET,
                    "inherit" => VxlanDf::INHERIT,
                    _ => return Err(invarg(v, "DF must be 'unset', 'set' or 'inherit'")),
                });
            }
            "label" | "flowlabel" => {
                let v = w.value("flowlabel")?;
                let n = parse_number::<u32>(v)
                    .filter(|n| *n < 1 << 20)
                    .ok_or_else(|| invarg(v, "invalid flowlabel"))?;
                o.label = Some(n);
            }
            "port" | "srcport" => {
                let lo = num::<u16>(w, "min port")?;
                let hi = num::<u16>(w, "max port")?;
                o.port_range = Some((lo, hi));
            }
            "ageing" => match w.value("ageing")? {
                "none" => o.ageing = Some(0),
                v => o.ageing = Some(parse_number(v).ok_or_else(|| invarg(v, "ageing"))?),
            },
            "maxaddress" | "maxaddr" => match w.value("maxaddress")? {
                "unlimited" => o.limit = Some(0),
                v => o.limit = Some(parse_number(v).ok_or_else(|| invarg(v, "max addresses"))?),
            },
            "learning" | "nolearning" => o.learning = Some(word == "learning"),
            "proxy" | "noproxy" => o.proxy = Some(word == "proxy"),
            "rsc" | "norsc" => o.rsc = Some(word == "rsc"),
            "l2miss" | "nol2miss" => o.l2miss = Some(word == "l2miss"),
            "l3miss" | "nol3miss" => o.l3miss = Some(word == "l3miss"),
            "udpcsum" | "noudpcsum" => o.udp_csum = Some(word == "udpcsum"),
            "udp6zerocsumtx" | "noudp6zerocsumtx" => {
                o.udp_zero_csum6_tx = Some(word == "udp6zerocsumtx");
            }
            "udp6zerocsumrx" | "noudp6zerocsumrx" => {
                o.udp_zero_csum6_rx = Some(word == "udp6zerocsumrx");
            }
            "remcsumtx" | "noremcsumtx" => o.remcsum_tx = Some(word == "remcsumtx"),
            "remcsumrx" | "noremcsumrx" => o.remcsum_rx = Some(word == "remcsumrx"),
            "external" | "noexternal" => o.collect_metadata = Some(word == "external"),
            "vnifilter" | "novnifilter" => o.vnifilter = Some(word == "vnifilter"),
            "gbp" => o.gbp = true,
            "gpe" => o.gpe = true,
            "help" => return Err(Failure::arg(USAGE)),
            other => {
                return Err(Failure::arg(format!(
                    "vxlan: unknown command \"{other}\"?\n{USAGE}"
                )));
            }
        }
    }
    let external = o.collect_metadata == Some(true);
    if external && id.is_some() {
        return Err(Failure::arg(
            "vxlan: both 'external' and vni cannot be specified",
        ));
    }
    if !external && id.is_none() {
        return Err(Failure::arg("vxlan: missing virtual network identifier"));
    }
    if remote.is_some_and(|r| r.is_multicast()) && parent.is_none() {
        return Err(Failure::arg(
            "vxlan: 'group' requires 'dev' to be specified",
        ));
    }
    if port.is_none() && !o.gpe {
        eprintln!(
            "vxlan: destination port not specified\n\
             Will use Linux kernel default (non-standard value)\n\
             Use 'dstport 4789' to get the IANA assigned value\n\
             Use 'dstport 0' to get default and quiet this message"
        );
    }
    // As iproute2: learning is always sent, off by default with
    // `external`; a zero port is not sent.
    o.learning.get_or_insert(!external);
    Ok(Kind::Vxlan {
        id: id.unwrap_or(0),
        port: port.filter(|p| *p != 0),
        local,
        remote,
        parent,
        options: o,
    })
}

/// A TOS as iproute2's `rtnl_dsfield_a2n`: hexadecimal, `0x` optional.
fn parse_hex_u8(v: &str) -> Option<u8> {
    u8::from_str_radix(v.strip_prefix("0x").unwrap_or(v), 16).ok()
}

/// What `ip -d link` shows of a vxlan.
pub(crate) struct Vxlan<'a> {
    pub(crate) id: Option<u32>,
    pub(crate) port: Option<u16>,
    pub(crate) local: Option<IpAddr>,
    pub(crate) remote: Option<IpAddr>,
    pub(crate) link: Option<u32>,
    pub(crate) options: &'a VxlanOptions,
}

impl Vxlan<'_> {
    /// The text after `vxlan `, each item followed by a space.
    pub(crate) fn text(&self, names: &Names, out: &mut String) {
        let o = self.options;
        if o.collect_metadata == Some(true) {
            out.push_str("external ");
        }
        if o.vnifilter == Some(true) {
            // iproute2 6.1 prints it without its space.
            out.push_str("vnifilter");
        }
        let Some(id) = self.id else { return };
        let _ = write!(out, "id {id} ");
        if let Some(r) = self.remote.filter(|r| !r.is_unspecified()) {
            let word = if r.is_multicast() { "group" } else { "remote" };
            let _ = write!(out, "{word} {r} ");
        }
        if let Some(a) = self.local.filter(|a| !a.is_unspecified()) {
            let _ = write!(out, "local {a} ");
        }
        if let Some(d) = self.link.filter(|d| *d != 0) {
            let _ = write!(out, "dev {} ", names.name(d));
        }
        if let Some((lo, hi)) = o.port_range {
            let _ = write!(out, "srcport {lo} {hi} ");
        }
        if let Some(p) = self.port {
            let _ = write!(out, "dstport {p} ");
        }
        if o.learning == Some(false) {
            out.push_str("nolearning ");
        }
        for (on, word) in [
            (o.proxy, "proxy"),
            (o.rsc, "rsc"),
            (o.l2miss, "l2miss"),
            (o.l3miss, "l3miss"),
        ] {
            if on == Some(true) {
                let _ = write!(out, "{word} ");
            }
        }
        match o.tos {
            Some(0) | None => {}
            Some(1) => out.push_str("tos inherit "),
            Some(t) => {
                let _ = write!(out, "tos {t:#x} ");
            }
        }
        if o.ttl_inherit == Some(true) {
            out.push_str("ttl inherit ");
        } else {
            match o.ttl {
                Some(0) => out.push_str("ttl auto "),
                Some(t) => {
                    let _ = write!(out, "ttl {t} ");
                }
                None => {}
            }
        }
        match o.df {
            Some(VxlanDf::SET) => out.push_str("df set "),
            Some(VxlanDf::INHERIT) => out.push_str("df inherit "),
            _ => {}
        }
        if let Some(l) = o.label.filter(|l| *l != 0) {
            let _ = write!(out, "flowlabel {l:#x} ");
        }
        match o.ageing {
            Some(0) => out.push_str("ageing none "),
            Some(a) => {
                let _ = write!(out, "ageing {a} ");
            }
            None => {}
        }
        if let Some(m) = o.limit.filter(|m| *m != 0) {
            let _ = write!(out, "maxaddr {m} ");
        }
        for (v, word) in [
            (o.udp_csum, "udpcsum"),
            (o.udp_zero_csum6_tx, "udp6zerocsumtx"),
            (o.udp_zero_csum6_rx, "udp6zerocsumrx"),
        ] {
            match v {
                Some(true) => {
                    let _ = write!(out, "{word} ");
                }
                Some(false) => {
                    let _ = write!(out, "no{word} ");
                }
                None => {}
            }
        }
        for (on, word) in [
            (o.remcsum_tx == Some(true), "remcsumtx"),
            (o.remcsum_rx == Some(true), "remcsumrx"),
            (o.gbp, "gbp"),
            (o.gpe, "gpe"),
        ] {
            if on {
                let _ = write!(out, "{word} ");
            }
        }
    }

    /// `info_data` of `ip -j -d link`.
    pub(crate) fn json(&self, names: &Names) -> Map<String, Value> {
        let o = self.options;
        let mut d = Map::new();
        if o.collect_metadata == Some(true) {
            d.insert("external".into(), json!(true));
        }
        if o.vnifilter == Some(true) {
            d.insert("vnifilter".into(), json!(true));
        }
        let Some(id) = self.id else { return d };
        d.insert("id".into(), json!(id));
        if let Some(r) = self.remote.filter(|r| !r.is_unspecified()) {
            let key = match (r.is_multicast(), r.is_ipv4()) {
                (true, true) => "group",
                (true, false) => "group6",
                (false, true) => "remote",
                (false, false) => "remote6",
            };
            d.insert(key.into(), json!(r.to_string()));
        }
        if let Some(a) = self.local.filter(|a| !a.is_unspecified()) {
            let key = if a.is_ipv4() { "local" } else { "local6" };
            d.insert(key.into(), json!(a.to_string()));
        }
        if let Some(x) = self.link.filter(|x| *x != 0) {
            d.insert("link".into(), json!(names.name(x)));
        }
        if let Some((lo, hi)) = o.port_range {
            d.insert("port_range".into(), json!({"low": lo, "high": hi}));
        }
        if let Some(p) = self.port {
            d.insert("port".into(), json!(p));
        }
        if let Some(l) = o.learning {
            d.insert("learning".into(), json!(l));
        }
        for (on, key) in [
            (o.proxy, "proxy"),
            (o.rsc, "rsc"),
            (o.l2miss, "l2miss"),
            (o.l3miss, "l3miss"),
        ] {
            if on == Some(true) {
                d.insert(key.into(), json!(true));
            }
        }
        if let Some(t) = o.tos.filter(|t| *t != 0) {
            d.insert("tos".into(), json!(format!("{t:#x}")));
        }
        if o.ttl_inherit != Some(true) {
            if let Some(t) = o.ttl {
                d.insert("ttl".into(), json!(t));
            }
        }
        let df = match o.df {
            Some(VxlanDf::UNSET) => Some("unset"),
            Some(VxlanDf::SET) => Some("set"),
            Some(VxlanDf::INHERIT) => Some("inherit"),
            _ => None,
        };
        if let Some(df) = df {
            d.insert("df".into(), json!(df));
        }
        if let Some(l) = o.label.filter(|l| *l != 0) {
            d.insert("label".into(), json!(format!("{l:#x}")));
        }
        if let Some(a) = o.ageing {
            d.insert("ageing".into(), json!(a));
        }
        if let Some(m) = o.limit.filter(|m| *m != 0) {
            d.insert("limit".into(), json!(m));
        }
        for (v, key) in [
            (o.udp_csum, "udp_csum"),
            (o.udp_zero_csum6_tx, "udp_zero_csum6_tx"),
            (o.udp_zero_csum6_rx, "udp_zero_csum6_rx"),
        ] {
            if let Some(v) = v {
                d.insert(key.into(), json!(v));
            }
        }
        for (on, key) in [
            (o.remcsum_tx == Some(true), "remcsum_tx"),
            (o.remcsum_rx == Some(true), "remcsum_rx"),
            (o.gbp, "gbp"),
            (o.gpe, "gpe"),
        ] {
            if on {
                d.insert(key.into(), json!(true));
            }
        }
        d
    }
}
