//! `type KIND ARGS` for `ip link add` and `ip link set` beyond vxlan:
//! bridge, bridge_slave, vlan, vrf, bond (iproute2 6.1's `*_parse_opt`:
//! the same words, the same refusals, its usage texts word for word in
//! `usage/`). The tunnels are in `tunnels.rs`.

use crate::fail::Failure;
use crate::words::{Words, invarg, parse_number};
use nl_rustix::nl_proto::route::link::{
    BondOptions, BridgeOptions, BridgePortOptions, LinkInfoData, PortInfoData,
    VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP,
    VLAN_FLAG_REORDER_HDR, VlanOptions, VlanProtocol,
};
use nl_rustix::nl_proto::values::Mac;
use std::net::{Ipv4Addr, Ipv6Addr};

pub(crate) const BRIDGE_USAGE: &str = include_str!("usage/bridge.txt");
pub(crate) const BRIDGE_SLAVE_USAGE: &str = include_str!("usage/bridge_slave.txt");
pub(crate) const VLAN_USAGE: &str = include_str!("usage/vlan.txt");
pub(crate) const VRF_USAGE: &str = include_str!("usage/vrf.txt");
pub(crate) const BOND_USAGE: &str = include_str!("usage/bond.txt");

/// The usage text as a failure: `help` (exit 1, as iproute2's
/// `explain()` then `return -1`).
pub(crate) fn usage(text: &str) -> Failure {
    Failure::arg(text.trim_end().to_string())
}

/// `KIND: unknown command "WORD"?` and the usage.
pub(crate) fn unknown(kind: &str, word: &str, text: &str) -> Failure {
    Failure::arg(format!(
        "{kind}: unknown command \"{word}\"?\n{}",
        text.trim_end()
    ))
}

/// A number after `key`, or iproute2's `invalid KEY`.
pub(crate) fn num<T: std::str::FromStr>(w: &mut Words<'_>, key: &str) -> Result<T, Failure> {
    let v = w.value(key)?;
    parse_number(v).ok_or_else(|| invarg(v, format_args!("invalid {key}")))
}

/// `on` or `off` after `key`.
pub(crate) fn on_off(w: &mut Words<'_>, key: &str) -> Result<bool, Failure> {
    let v = w.value(key)?;
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(Failure::arg(format!(
            "Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{v}\""
        ))),
    }
}

/// A number after `key`, or `KEY is invalid` (iproute2's bridge_slave
/// wording).
fn port_num<T: std::str::FromStr>(w: &mut Words<'_>, key: &str) -> Result<T, Failure> {
    let v = w.value(key)?;
    parse_number(v).ok_or_else(|| invarg(v, format_args!("{key} is invalid")))
}

fn mac(w: &mut Words<'_>, key: &str) -> Result<Mac, Failure> {
    let v = w.value(key)?;
    v.parse()
        .map_err(|_| invarg(v, format_args!("invalid {key}")))
}

/// The words after `type bridge` (add and set).
pub(crate) fn bridge(w: &mut Words<'_>) -> Result<LinkInfoData, Failure> {
    let mut o = BridgeOptions::default();
    // `no_linklocal_learn` and `mcast_vlan_snooping` share one boolopt.
    let mut boolopt: Option<(u32, u32)> = None;
    let mut set_bool = |bit: u32, on: bool| {
        let (v, m) = boolopt.unwrap_or((0, 0));
        boolopt = Some((if on { v | bit } else { v & !bit }, m | bit));
    };
    while let Some(word) = w.next() {
        match word {
            "fdb_flush" => o.fdb_flush = Some(true),
            "forward_delay" => o.forward_delay = Some(num(w, word)?),
            "hello_time" => o.hello_time = Some(num(w, word)?),
            "max_age" => o.max_age = Some(num(w, word)?),
            "ageing_time" => o.ageing_time = Some(num(w, word)?),
            "stp_state" => o.stp_state = Some(num(w, word)?),
            "priority" => o.priority = Some(num(w, word)?),
            "vlan_filtering" => o.vlan_filtering = Some(num(w, word)?),
            "vlan_protocol" => {
                let v = w.value(word)?;
                o.vlan_protocol = Some(match v.to_ascii_lowercase().as_str() {
                    "802.1q" => VlanProtocol::DOT1Q.0,
                    "802.1ad" => VlanProtocol::DOT1AD.0,
                    _ => return Err(invarg(v, "invalid vlan_protocol")),
                });
            }
            "group_fwd_mask" => o.group_fwd_mask = Some(num(w, word)?),
            "group_address" => o.group_addr = Some(mac(w, word)?),
            "no_linklocal_learn" => set_bool(1 << 0, num::<u8>(w, word)? != 0),
            "mcast_vlan_snooping" => set_bool(1 << 1, num::<u8>(w, word)? != 0),
            "mcast_router" => o.mcast_router = Some(num(w, word)?),
            "mcast_snooping" => o.mcast_snooping = Some(num(w, word)?),
            "mcast_query_use_ifaddr" => o.mcast_query_use_ifaddr = Some(num(w, word)?),
            "mcast_querier" => o.mcast_querier = Some(num(w, word)?),
            "mcast_hash_elasticity" => o.mcast_hash_elasticity = Some(num(w, word)?),
            "mcast_hash_max" => o.mcast_hash_max = Some(num(w, word)?),
            "mcast_last_member_count" => o.mcast_last_member_cnt = Some(num(w, word)?),
            "mcast_startup_query_count" => o.mcast_startup_query_cnt = Some(num(w, word)?),
            "mcast_last_member_interval" => o.mcast_last_member_intvl = Some(num(w, word)?),
            "mcast_membership_interval" => o.mcast_membership_intvl = Some(num(w, word)?),
            "mcast_querier_interval" => o.mcast_querier_intvl = Some(num(w, word)?),
            "mcast_query_interval" => o.mcast_query_intvl = Some(num(w, word)?),
            "mcast_query_response_interval" => {
                o.mcast_query_response_intvl = Some(num(w, word)?);
            }
            "mcast_startup_query_interval" => o.mcast_startup_query_intvl = Some(num(w, word)?),
            "mcast_stats_enabled" => o.mcast_stats_enabled = Some(num(w, word)?),
            "mcast_igmp_version" => o.mcast_igmp_version = Some(num(w, word)?),
            "mcast_mld_version" => o.mcast_mld_version = Some(num(w, word)?),
            "nf_call_iptables" => o.nf_call_iptables = Some(num(w, word)?),
            "nf_call_ip6tables" => o.nf_call_ip6tables = Some(num(w, word)?),
            "nf_call_arptables" => o.nf_call_arptables = Some(num(w, word)?),
            "vlan_default_pvid" => o.vlan_default_pvid = Some(num(w, word)?),
            "vlan_stats_enabled" => o.vlan_stats_enabled = Some(num(w, word)?),
            "vlan_stats_per_port" => o.vlan_stats_per_port = Some(num(w, word)?),
            "help" => return Err(usage(BRIDGE_USAGE)),
            other => return Err(unknown("bridge", other, BRIDGE_USAGE)),
        }
    }
    o.multi_boolopt = boolopt;
    Ok(LinkInfoData::Bridge(o))
}

/// The words after `type bridge_slave` (`ip link set`); `backup_port
/// DEVICE` is returned by name, to be resolved when the plan runs.
pub(crate) fn bridge_slave(
    w: &mut Words<'_>,
) -> Result<(BridgePortOptions, Option<String>), Failure> {
    let mut o = BridgePortOptions::default();
    let mut backup = None;
    while let Some(word) = w.next() {
        match word {
            "fdb_flush" => o.flush = Some(true),
            "state" => {
                let v = w.value(word)?;
                let names = [
                    "disabled",
                    "listening",
                    "learning",
                    "forwarding",
                    "blocking",
                ];
                o.state = Some(match names.iter().position(|n| *n == v) {
                    Some(i) => i as u8,
                    None => parse_number(v).ok_or_else(|| invarg(v, "invalid state"))?,
                });
            }
            "priority" => o.priority = Some(port_num(w, word)?),
            "cost" => o.cost = Some(port_num(w, word)?),
            "guard" => o.guard = Some(on_off(w, word)?),
            "hairpin" => o.mode = Some(on_off(w, word)?),
            "fastleave" => o.fast_leave = Some(on_off(w, word)?),
            "root_block" => o.protect = Some(on_off(w, word)?),
            "learning" => o.learning = Some(on_off(w, word)?),
            "flood" => o.unicast_flood = Some(on_off(w, word)?),
            "proxy_arp" => o.proxyarp = Some(on_off(w, word)?),
            "proxy_arp_wifi" => o.proxyarp_wifi = Some(on_off(w, word)?),
            "mcast_router" => o.multicast_router = Some(port_num(w, word)?),
            "mcast_fast_leave" => o.fast_leave = Some(on_off(w, word)?),
            "mcast_flood" => o.mcast_flood = Some(on_off(w, word)?),
            "bcast_flood" => o.bcast_flood = Some(on_off(w, word)?),
            "mcast_to_unicast" => o.mcast_to_ucast = Some(on_off(w, word)?),
            "group_fwd_mask" => o.group_fwd_mask = Some(port_num(w, word)?),
            "neigh_suppress" => o.neigh_suppress = Some(on_off(w, word)?),
            "vlan_tunnel" => o.vlan_tunnel = Some(on_off(w, word)?),
            "isolated" => o.isolated = Some(on_off(w, word)?),
            "locked" => o.locked = Some(on_off(w, word)?),
            "backup_port" => backup = Some(w.value(word)?.to_string()),
            "nobackup_port" => o.backup_port = Some(0),
            "help" => return Err(usage(BRIDGE_SLAVE_USAGE)),
            other => return Err(unknown("bridge_slave", other, BRIDGE_SLAVE_USAGE)),
        }
    }
    Ok((o, backup))
}

/// `FROM:TO …` after `ingress-qos-map` / `egress-qos-map`, up to the next
/// word that is not a mapping.
fn qos_map(w: &mut Words<'_>) -> Result<heapless::Vec<(u32, u32), 16>, Failure> {
    let mut out = heapless::Vec::new();
    while let Some(v) = w.peek() {
        let Some((from, to)) = v.split_once(':') else {
            break;
        };
        let pair = (parse_number(from), parse_number(to));
        let (Some(from), Some(to)) = pair else { break };
        w.next();
        out.push((from, to))
            .map_err(|_| Failure::arg("too many QoS mappings"))?;
    }
    Ok(out)
}

/// The words after `type vlan` (add and set): id, protocol, QoS maps and
/// flags.
pub(crate) fn vlan(w: &mut Words<'_>) -> Result<LinkInfoData, Failure> {
    let mut id = None;
    let mut protocol = None;
    let mut o = VlanOptions::default();
    let mut flags: Option<(u32, u32)> = None;
    while let Some(word) = w.next() {
        let bit = match word {
            "reorder_hdr" => VLAN_FLAG_REORDER_HDR,
            "gvrp" => VLAN_FLAG_GVRP,
            "mvrp" => VLAN_FLAG_MVRP,
            "loose_binding" => VLAN_FLAG_LOOSE_BINDING,
            "bridge_binding" => VLAN_FLAG_BRIDGE_BINDING,
            _ => 0,
        };
        if bit != 0 {
            let on = on_off(w, word)?;
            let (v, m) = flags.unwrap_or((0, 0));
            flags = Some((if on { v | bit } else { v & !bit }, m | bit));
            continue;
        }
        match word {
            "id" => id = Some(num::<u16>(w, "id")?),
            "protocol" => {
                let v = w.value(word)?;
                protocol = Some(match v.to_ascii_lowercase().as_str() {
                    "802.1q" => VlanProtocol::DOT1Q,
                    "802.1ad" => VlanProtocol::DOT1AD,
                    _ => return Err(invarg(v, "protocol is invalid")),
                });
            }
            "ingress-qos-map" => o.ingress_qos = Some(qos_map(w)?),
            "egress-qos-map" => o.egress_qos = Some(qos_map(w)?),
            "help" => return Err(usage(VLAN_USAGE)),
            other => return Err(unknown("vlan", other, VLAN_USAGE)),
        }
    }
    o.flags = flags;
    Ok(LinkInfoData::Vlan {
        id,
        protocol,
        options: o,
    })
}

/// The words after `type vrf`.
pub(crate) fn vrf(w: &mut Words<'_>) -> Result<LinkInfoData, Failure> {
    let mut o = nl_rustix::nl_proto::route::link::VrfOptions::default();
    while let Some(word) = w.next() {
        match word {
            "table" => {
                let v = w.value(word)?;
                o.table = Some(parse_number(v).ok_or_else(|| invarg(v, "invalid table ID"))?);
            }
            "help" => return Err(usage(VRF_USAGE)),
            other => return Err(unknown("vrf", other, VRF_USAGE)),
        }
    }
    Ok(LinkInfoData::Vrf(o))
}

fn named(w: &mut Words<'_>, key: &str, names: &[&str]) -> Result<u8, Failure> {
    let v = w.value(key)?;
    match names.iter().position(|n| *n == v) {
        Some(i) => Ok(i as u8),
        None => parse_number(v).ok_or_else(|| invarg(v, format_args!("invalid {key}"))),
    }
}

/// The words after `type bond` (add and set). Devices (`active_slave`,
/// `primary`) are not taken: they need a lookup iproute2 does while it
/// parses.
pub(crate) fn bond(w: &mut Words<'_>) -> Result<LinkInfoData, Failure> {
    let mut o = BondOptions::default();
    while let Some(word) = w.next() {
        match word {
            "mode" => {
                let names = [
                    "balance-rr",
                    "active-backup",
                    "balance-xor",
                    "broadcast",
                    "802.3ad",
                    "balance-tlb",
                    "balance-alb",
                ];
                o.mode = Some(named(w, "mode", &names)?);
            }
            "miimon" => o.miimon = Some(num(w, word)?),
            "updelay" => o.updelay = Some(num(w, word)?),
            "downdelay" => o.downdelay = Some(num(w, word)?),
            "peer_notify_delay" => o.peer_notif_delay = Some(num(w, word)?),
            "use_carrier" => o.use_carrier = Some(num(w, word)?),
            "arp_interval" => o.arp_interval = Some(num(w, word)?),
            "arp_validate" => {
                let names = [
                    "none",
                    "active",
                    "backup",
                    "all",
                    "filter",
                    "filter_active",
                    "filter_backup",
                ];
                o.arp_validate = Some(u32::from(named(w, "arp_validate", &names)?));
            }
            "arp_all_targets" => {
                o.arp_all_targets = Some(u32::from(named(w, word, &["any", "all"])?));
            }
            "arp_ip_target" => {
                let v = w.value(word)?;
                let mut list = heapless::Vec::new();
                for a in v.split(',').filter(|a| !a.is_empty()) {
                    let ip: Ipv4Addr = a.parse().map_err(|_| invarg(a, "invalid arp_ip_target"))?;
                    list.push(ip)
                        .map_err(|_| invarg(v, "too many arp_ip_target"))?;
                }
                o.arp_ip_target = Some(list);
            }
            "ns_ip6_target" => {
                let v = w.value(word)?;
                let mut list = heapless::Vec::new();
                for a in v.split(',').filter(|a| !a.is_empty()) {
                    let ip: Ipv6Addr = a.parse().map_err(|_| invarg(a, "invalid ns_ip6_target"))?;
                    list.push(ip)
                        .map_err(|_| invarg(v, "too many ns_ip6_target"))?;
                }
                o.ns_ip6_target = Some(list);
            }
            "primary_reselect" => {
                let names = ["always", "better", "failure"];
                o.primary_reselect = Some(named(w, word, &names)?);
            }
            "fail_over_mac" => {
                o.fail_over_mac = Some(named(w, word, &["none", "active", "follow"])?);
            }
            "xmit_hash_policy" => {
                let names = [
                    "layer2",
                    "layer3+4",
                    "layer2+3",
                    "encap2+3",
                    "encap3+4",
                    "vlan+srcmac",
                ];
                o.xmit_hash_policy = Some(named(w, word, &names)?);
            }
            "resend_igmp" => o.resend_igmp = Some(num(w, word)?),
            "num_grat_arp" | "num_unsol_na" => o.num_peer_notif = Some(num(w, word)?),
            "all_slaves_active" => o.all_slaves_active = Some(num(w, word)?),
            "min_links" => o.min_links = Some(num(w, word)?),
            "lp_interval" => o.lp_interval = Some(num(w, word)?),
            "packets_per_slave" => o.packets_per_slave = Some(num(w, word)?),
            "tlb_dynamic_lb" => o.tlb_dynamic_lb = Some(num(w, word)?),
            "lacp_rate" => o.ad_lacp_rate = Some(named(w, word, &["slow", "fast"])?),
            "lacp_active" => o.ad_lacp_active = Some(named(w, word, &["off", "on"])?),
            "ad_select" => {
                let names = ["stable", "bandwidth", "count"];
                o.ad_select = Some(named(w, word, &names)?);
            }
            "ad_user_port_key" => o.ad_user_port_key = Some(num(w, word)?),
            "ad_actor_sys_prio" => o.ad_actor_sys_prio = Some(num(w, word)?),
            "ad_actor_system" => o.ad_actor_system = Some(mac(w, word)?),
            "arp_missed_max" => o.missed_max = Some(num(w, word)?),
            "help" => return Err(usage(BOND_USAGE)),
            other => return Err(unknown("bond", other, BOND_USAGE)),
        }
    }
    Ok(LinkInfoData::Bond(o))
}

/// The port options of `type bridge_slave`, for the change.
pub(crate) fn port(o: BridgePortOptions) -> PortInfoData {
    PortInfoData::Bridge(o)
}
