//! The flower classifier's words (`f_flower.c`'s `flower_parse_opt`)
//! and listing (`flower_print_opt`), for the keys nl-proto models:
//! `dst_mac`/`src_mac`, `vlan_id`, `vlan_prio`, `ip_proto`, `ip_tos`,
//! `ip_ttl`, `dst_ip`/`src_ip`, `dst_port`/`src_port`, `classid`,
//! `indev`, `skip_hw`/`skip_sw`, `action`.

use crate::fail::Failure;
use crate::out::{Out, To};
use crate::words::{Links, Words, get_u32, matches, proto_name};
use crate::{Ctx, Opts};
use nl_rustix::nl_proto::tc::Handle;
use nl_rustix::nl_proto::tc::cls_flower::{End, FlowerFilter, FlowerKey};
use nl_rustix::nl_proto::tc::cls_u32::{FLAG_IN_HW, FLAG_NOT_IN_HW, FLAG_SKIP_HW, FLAG_SKIP_SW};
use nl_rustix::nl_proto::values::IfName;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const USAGE: &str = "Usage: ... flower [ MATCH-LIST ] [ verbose ]";
const ETH_P_ALL: u16 = 0x0003;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;

fn illegal(what: &str) -> Failure {
    Failure::ret(1, format!("Illegal \"{what}\""))
}

fn mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut parts = s.split(':');
    for b in &mut out {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `flower_parse_eth_addr`: an address, `/BITS` or `/MASK`.
fn mac_key(v: &str, end: End) -> Option<FlowerKey> {
    let (a, m) = match v.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (v, None),
    };
    let addr = mac(a)?;
    let mask = match m {
        None => [0xff; 6],
        Some(m) => match m.parse::<u32>() {
            Ok(bits) if bits <= 48 => {
                let all = (0xffff_ffff_ffffu64 << (48 - bits)) & 0xffff_ffff_ffff;
                let b = all.to_be_bytes();
                [b[2], b[3], b[4], b[5], b[6], b[7]]
            }
            _ => mac(m)?,
        },
    };
    Some(FlowerKey::Mac { end, addr, mask })
}

/// `__flower_parse_ip_addr` with the filter's EtherType.
fn ip_key(v: &str, eth_type: u16, end: End) -> Result<FlowerKey, Failure> {
    let (a, len) = match v.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (v, None),
    };
    let addr: IpAddr = a.parse().map_err(|_| Failure::ret(1, ""))?;
    let want_v4 = match eth_type {
        ETH_P_IP => Some(true),
        ETH_P_IPV6 => Some(false),
        0 | ETH_P_ALL => None,
        _ => return Err(Failure::ret(1, "")),
    };
    if want_v4.is_some_and(|v4| v4 != addr.is_ipv4()) {
        return Err(Failure::ret(1, "Illegal \"eth_type\" for ip address"));
    }
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits: u32 = match len {
        Some(l) => l
            .parse()
            .ok()
            .filter(|&b| b <= max)
            .ok_or_else(|| Failure::ret(1, ""))?,
        None => max,
    };
    Ok(match addr {
        IpAddr::V4(addr) => FlowerKey::Ipv4 {
            end,
            addr,
            mask: Ipv4Addr::from(u32::MAX.checked_shl(32 - bits).unwrap_or(0)),
        },
        IpAddr::V6(addr) => FlowerKey::Ipv6 {
            end,
            addr,
            mask: Ipv6Addr::from(u128::MAX.checked_shl(128 - bits).unwrap_or(0)),
        },
    })
}

/// `get_u8` with a base: what tc's `strtoul` reads.
fn u8_in(s: &str, base: u32) -> Option<u8> {
    get_u32(s, base).and_then(|v| u8::try_from(v).ok())
}

/// `flower_parse_opt`: the words after `flower`.
pub(crate) fn parse(
    ctx: &mut Ctx,
    w: &mut Words<'_>,
    handle: Option<&str>,
    tcm_handle: &mut u32,
    protocol: u16,
) -> Result<FlowerFilter, Failure> {
    let mut f = FlowerFilter::default();
    if let Some(h) = handle {
        *tcm_handle = get_u32(h, 0).ok_or_else(|| illegal("handle"))?;
    }
    let eth_type = protocol;
    let mut ip_proto = 0xffu8;
    let mut flags = 0u32;
    let vlan = matches!(protocol, 0x8100 | 0x88a8);
    while let Some(word) = w.next() {
        let m = |full: &str| matches(word, full);
        let key = if m("classid") || m("flowid") {
            let v = w.value()?;
            Some(FlowerKey::ClassId(
                Handle::parse_classid(v).ok_or_else(|| illegal("classid"))?,
            ))
        } else if m("skip_hw") {
            flags |= FLAG_SKIP_HW;
            None
        } else if m("skip_sw") {
            flags |= FLAG_SKIP_SW;
            None
        } else if m("indev") {
            let v = w.value()?;
            Some(FlowerKey::Indev(
                IfName::new(v).map_err(|_| illegal("indev"))?,
            ))
        } else if m("vlan_id") || m("vlan_prio") {
            let v = w.value()?;
            let what = if m("vlan_id") { "vlan_id" } else { "vlan_prio" };
            if !vlan {
                return Err(Failure::ret(
                    1,
                    format!(
                        "Can't set \"{what}\" if ethertype isn't 802.1Q or 802.1AD and num_of_vlans is 0"
                    ),
                ));
            }
            if what == "vlan_id" {
                let id = get_u32(v, 10).filter(|&i| i & !0xfff == 0);
                Some(FlowerKey::VlanId(
                    id.and_then(|i| u16::try_from(i).ok())
                        .ok_or_else(|| illegal(what))?,
                ))
            } else {
                let p = u8_in(v, 10).filter(|&p| p & !7 == 0);
                Some(FlowerKey::VlanPrio(p.ok_or_else(|| illegal(what))?))
            }
        } else if m("dst_mac") || m("src_mac") {
            let end = if m("dst_mac") { End::Dst } else { End::Src };
            let what = if end == End::Dst {
                "dst_mac"
            } else {
                "src_mac"
            };
            Some(mac_key(w.value()?, end).ok_or_else(|| illegal(what))?)
        } else if m("ip_proto") {
            let v = w.value()?;
            if eth_type != ETH_P_IP && eth_type != ETH_P_IPV6 {
                return Err(Failure::ret(
                    1,
                    "Illegal \"eth_type\" for ip proto\nIllegal \"ip_proto\"",
                ));
            }
            let p = if matches(v, "tcp") {
                6
            } else if matches(v, "udp") {
                17
            } else if matches(v, "sctp") {
                132
            } else if matches(v, "icmp") && eth_type == ETH_P_IP {
                1
            } else if matches(v, "icmpv6") && eth_type == ETH_P_IPV6 {
                58
            } else {
                u8_in(v, 16).ok_or_else(|| illegal("ip_proto"))?
            };
            ip_proto = p;
            Some(FlowerKey::IpProto(p))
        } else if m("ip_tos") || m("ip_ttl") {
            let tos = m("ip_tos");
            let what = if tos { "ip_tos" } else { "ip_ttl" };
            let v = w.value()?;
            let (a, mk) = match v.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            let val = u8_in(a, 10)
                .or_else(|| u8_in(a, 16))
                .ok_or_else(|| illegal(what))?;
            let mask = match mk {
                Some(b) => u8_in(b, 16).ok_or_else(|| illegal(what))?,
                None => 0xff,
            };
            Some(if tos {
                FlowerKey::IpTos(val, mask)
            } else {
                FlowerKey::IpTtl(val, mask)
            })
        } else if m("dst_ip") || m("src_ip") {
            let end = if m("dst_ip") { End::Dst } else { End::Src };
            let what = if end == End::Dst { "dst_ip" } else { "src_ip" };
            let v = w.value()?;
            Some(ip_key(v, eth_type, end).map_err(|e| {
                let first = e.text.trim_end();
                let sep = if first.is_empty() { "" } else { "\n" };
                Failure::ret(1, format!("{first}{sep}Illegal \"{what}\""))
            })?)
        } else if m("dst_port") || m("src_port") {
            let end = if m("dst_port") { End::Dst } else { End::Src };
            let what = if end == End::Dst {
                "dst_port"
            } else {
                "src_port"
            };
            let v = w.value()?;
            let tcp = match ip_proto {
                6 => true,
                17 => false,
                _ => return Err(illegal(what)),
            };
            let (p, mk) = match v.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            let port = get_u32(p, 10)
                .and_then(|x| u16::try_from(x).ok())
                .filter(|&x| x != 0)
                .ok_or_else(|| illegal(what))?;
            let mask = match mk {
                Some(b) => Some(
                    get_u32(b, 0)
                        .and_then(|x| u16::try_from(x).ok())
                        .ok_or_else(|| illegal(what))?,
                ),
                None => None,
            };
            Some(FlowerKey::Port {
                tcp,
                end,
                port,
                mask,
            })
        } else if m("action") {
            let mut acts = Vec::new();
            crate::action::actions(ctx, w, &mut acts)?;
            for a in acts {
                f.actions
                    .push(a)
                    .map_err(|_| Failure::ret(1, "Too many actions"))?;
            }
            None
        } else if word == "help" {
            return Err(Failure::ret(1, USAGE));
        } else {
            return Err(Failure::ret(1, format!("What is \"{word}\"?\n{USAGE}")));
        };
        if let Some(k) = key {
            f.keys
                .push(k)
                .map_err(|_| Failure::ret(1, "Too many flower keys"))?;
        }
    }
    f.flags = Some(flags);
    f.eth_type = (protocol != ETH_P_ALL).then_some(protocol);
    Ok(f)
}

/// `__mask_bits`: the prefix length of a contiguous mask, else `None`.
fn mask_bits(mask: &[u8]) -> Option<u32> {
    let mut bits = 0;
    let mut hole = false;
    for byte in mask {
        for j in (0..8).rev() {
            if (byte >> j) & 1 == 1 {
                if hole {
                    return None;
                }
                bits += 1;
            } else if bits > 0 {
                hole = true;
            } else {
                return None;
            }
        }
    }
    Some(bits)
}

fn with_mask(addr: String, mask: &[u8], shown: impl Fn() -> String) -> String {
    match mask_bits(mask) {
        None => format!("{addr}/{}", shown()),
        Some(b) if (b as usize) < mask.len() * 8 => format!("{addr}/{b}"),
        Some(_) => addr,
    }
}

fn name_value(out: &mut Out, name: &str, value: String) {
    out.fp("\n  ");
    out.any(To::Any, name, value.clone(), format_args!("{name} {value}"));
}

fn hex_mac(m: &[u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `print_masked_type` with a newline: `NAME VALUE[/0xMASK]`.
fn masked(out: &mut Out, name: &str, value: u32, mask: u32, max: u32) {
    out.fp("\n  ");
    out.any(To::Any, name, value, format_args!("{name} {value}"));
    if mask != max {
        out.any(
            To::Any,
            &format!("{name}_mask"),
            format!("{mask:x}"),
            format_args!("/{mask:#x}"),
        );
    }
}

/// `flower_print_opt`.
pub(crate) fn print(links: &Links, o: &Opts, out: &mut Out, f: &FlowerFilter, handle: u32) {
    if handle != 0 {
        out.any(
            To::Any,
            "handle",
            handle,
            format_args!("handle {handle:#x} "),
        );
    }
    if let Some(h) = f.find(|k| match k {
        FlowerKey::ClassId(h) => Some(*h),
        _ => None,
    }) {
        let min = u32::from(h.minor());
        if (0xffe0..0xffe0 + 16).contains(&min) {
            out.any(
                To::Any,
                "hw_tc",
                min - 0xffe0,
                format_args!("hw_tc {} ", min - 0xffe0),
            );
        } else {
            out.any(
                To::Any,
                "classid",
                h.to_string(),
                format_args!("classid {h} "),
            );
        }
    }
    if let Some(d) = f.find(|k| match k {
        FlowerKey::Indev(d) => Some(d.clone()),
        _ => None,
    }) {
        out.nl();
        out.any(
            To::Any,
            "indev",
            d.as_str(),
            format_args!("  indev {}", d.as_str()),
        );
    }
    out.open(Some("keys"));
    if let Some(v) = f.find(|k| match k {
        FlowerKey::VlanId(v) => Some(*v),
        _ => None,
    }) {
        out.nl();
        out.any(To::Any, "vlan_id", v, format_args!("  vlan_id {v}"));
    }
    if let Some(v) = f.find(|k| match k {
        FlowerKey::VlanPrio(v) => Some(*v),
        _ => None,
    }) {
        out.nl();
        out.any(To::Any, "vlan_prio", v, format_args!("  vlan_prio {v}"));
    }
    if let Some(v) = f.find(|k| match k {
        FlowerKey::VlanEthType(v) => Some(*v),
        _ => None,
    }) {
        out.nl();
        let n = proto_name(v);
        out.any(
            To::Any,
            "vlan_ethtype",
            n.clone(),
            format_args!("  vlan_ethtype {n}"),
        );
    }
    for (end, name) in [(End::Dst, "dst_mac"), (End::Src, "src_mac")] {
        if let Some((addr, mask)) = f.find(|k| match k {
            FlowerKey::Mac { end: e, addr, mask } if *e == end => Some((*addr, *mask)),
            _ => None,
        }) {
            name_value(
                out,
                name,
                with_mask(hex_mac(&addr), &mask, || hex_mac(&mask)),
            );
        }
    }
    if let Some(e) = f.eth_type {
        let n = match e {
            ETH_P_IP => "ipv4".to_string(),
            ETH_P_IPV6 => "ipv6".to_string(),
            0x0806 => "arp".to_string(),
            0x8035 => "rarp".to_string(),
            _ => format!("{e:04x}"),
        };
        out.nl();
        out.any(
            To::Any,
            "eth_type",
            n.clone(),
            format_args!("  eth_type {n}"),
        );
    }
    let ip_proto = f.find(|k| match k {
        FlowerKey::IpProto(p) => Some(*p),
        _ => None,
    });
    if let Some(p) = ip_proto {
        let n = match p {
            6 => "tcp".to_string(),
            17 => "udp".to_string(),
            132 => "sctp".to_string(),
            1 => "icmp".to_string(),
            58 => "icmpv6".to_string(),
            _ => format!("{p:02x}"),
        };
        out.nl();
        out.any(
            To::Any,
            "ip_proto",
            n.clone(),
            format_args!("  ip_proto {n}"),
        );
    }
    for tos in [true, false] {
        if let Some((v, m)) = f.find(|k| match k {
            FlowerKey::IpTos(v, m) if tos => Some((*v, *m)),
            FlowerKey::IpTtl(v, m) if !tos => Some((*v, *m)),
            _ => None,
        }) {
            let name = if tos { "ip_tos" } else { "ip_ttl" };
            masked(out, name, u32::from(v), u32::from(m), 0xff);
        }
    }
    for (end, name) in [(End::Dst, "dst_ip"), (End::Src, "src_ip")] {
        let s = f.find(|k| match k {
            FlowerKey::Ipv4 { end: e, addr, mask } if *e == end && f.eth_type == Some(ETH_P_IP) => {
                Some(with_mask(addr.to_string(), &mask.octets(), || {
                    mask.to_string()
                }))
            }
            FlowerKey::Ipv6 { end: e, addr, mask }
                if *e == end && f.eth_type == Some(ETH_P_IPV6) =>
            {
                Some(with_mask(addr.to_string(), &mask.octets(), || {
                    mask.to_string()
                }))
            }
            _ => None,
        });
        if let Some(s) = s {
            name_value(out, name, s);
        }
    }
    let tcp = match ip_proto {
        Some(6) => Some(true),
        Some(17) => Some(false),
        _ => None,
    };
    if let Some(tcp) = tcp {
        for (end, name) in [(End::Dst, "dst_port"), (End::Src, "src_port")] {
            if let Some((p, m)) = f.find(|k| match k {
                FlowerKey::Port {
                    tcp: t,
                    end: e,
                    port,
                    mask,
                } if *t == tcp && *e == end => Some((*port, *mask)),
                _ => None,
            }) {
                masked(
                    out,
                    name,
                    u32::from(p),
                    u32::from(m.unwrap_or(0xffff)),
                    0xffff,
                );
            }
        }
    }
    out.close();
    if let Some(flags) = f.flags {
        if flags & FLAG_SKIP_HW != 0 {
            out.nl();
            out.any(To::Any, "skip_hw", true, "  skip_hw");
        }
        if flags & FLAG_SKIP_SW != 0 {
            out.nl();
            out.any(To::Any, "skip_sw", true, "  skip_sw");
        }
        if flags & FLAG_IN_HW != 0 {
            out.nl();
            out.any(To::Any, "in_hw", true, "  in_hw");
            if let Some(c) = f.in_hw_count {
                out.any(To::Any, "in_hw_count", c, format_args!(" in_hw_count {c}"));
            }
        } else if flags & FLAG_NOT_IN_HW != 0 {
            out.nl();
            out.any(To::Any, "not_in_hw", true, "  not_in_hw");
        }
    }
    if !f.actions.is_empty() {
        crate::action::print_actions(links, o, out, &f.actions, true);
    }
}
