//! A bridge's and a bridge port's options as `ip -d link` prints them
//! (iproute2 6.1's order, words and JSON keys), from the attributes the
//! kernel sent ([`InfoAttrs`]). Options this kernel does not send are left
//! out, as iproute2 leaves them out.

use nl_rustix::nl_proto::route::link::{BridgeAttr, BridgePortAttr, InfoAttrs};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// How one option is printed.
#[derive(Clone, Copy)]
enum Form {
    /// A number.
    Uint,
    /// A timer in centiseconds: `%7.2f` seconds.
    Timer,
    /// `struct ifla_bridge_id`: `8000.2:0:0:0:0:20`.
    BridgeId,
    /// A MAC address.
    Mac,
    /// C's `%#x` (`0` for zero), a string in JSON.
    Hex,
    /// `0x…` always (`group_fwd_mask_str`), a string in JSON.
    HexStr,
    /// `on`/`off`, a boolean in JSON.
    OnOff,
    /// A port state name.
    PortState,
    /// A bit of `IFLA_BR_MULTI_BOOLOPT`'s value, as a number.
    BoolOpt(u32),
}

/// (text word, JSON key or "" for text only, attribute, form).
type Opt = (&'static str, &'static str, u16, Form);

const BRIDGE: &[Opt] = &[
    (
        "forward_delay",
        "forward_delay",
        BridgeAttr::FORWARD_DELAY.0,
        Form::Uint,
    ),
    (
        "hello_time",
        "hello_time",
        BridgeAttr::HELLO_TIME.0,
        Form::Uint,
    ),
    ("max_age", "max_age", BridgeAttr::MAX_AGE.0, Form::Uint),
    (
        "ageing_time",
        "ageing_time",
        BridgeAttr::AGEING_TIME.0,
        Form::Uint,
    ),
    (
        "stp_state",
        "stp_state",
        BridgeAttr::STP_STATE.0,
        Form::Uint,
    ),
    ("priority", "priority", BridgeAttr::PRIORITY.0, Form::Uint),
    (
        "vlan_filtering",
        "vlan_filtering",
        BridgeAttr::VLAN_FILTERING.0,
        Form::Uint,
    ),
    (
        "bridge_id",
        "bridge_id",
        BridgeAttr::BRIDGE_ID.0,
        Form::BridgeId,
    ),
    (
        "designated_root",
        "root_id",
        BridgeAttr::ROOT_ID.0,
        Form::BridgeId,
    ),
    (
        "root_port",
        "root_port",
        BridgeAttr::ROOT_PORT.0,
        Form::Uint,
    ),
    (
        "root_path_cost",
        "root_path_cost",
        BridgeAttr::ROOT_PATH_COST.0,
        Form::Uint,
    ),
    (
        "topology_change",
        "topology_change",
        BridgeAttr::TOPOLOGY_CHANGE.0,
        Form::Uint,
    ),
    (
        "topology_change_detected",
        "topology_change_detected",
        BridgeAttr::TOPOLOGY_CHANGE_DETECTED.0,
        Form::Uint,
    ),
    (
        "hello_timer",
        "hello_timer",
        BridgeAttr::HELLO_TIMER.0,
        Form::Timer,
    ),
    (
        "tcn_timer",
        "tcn_timer",
        BridgeAttr::TCN_TIMER.0,
        Form::Timer,
    ),
    (
        "topology_change_timer",
        "topology_change_timer",
        BridgeAttr::TOPOLOGY_CHANGE_TIMER.0,
        Form::Timer,
    ),
    ("gc_timer", "gc_timer", BridgeAttr::GC_TIMER.0, Form::Timer),
    (
        "group_fwd_mask",
        "group_fwd_mask",
        BridgeAttr::GROUP_FWD_MASK.0,
        Form::Hex,
    ),
    (
        "group_address",
        "group_addr",
        BridgeAttr::GROUP_ADDR.0,
        Form::Mac,
    ),
    (
        "mcast_snooping",
        "mcast_snooping",
        BridgeAttr::MCAST_SNOOPING.0,
        Form::Uint,
    ),
    (
        "no_linklocal_learn",
        "no_linklocal_learn",
        BridgeAttr::MULTI_BOOLOPT.0,
        Form::BoolOpt(0),
    ),
    (
        "mcast_vlan_snooping",
        "mcast_vlan_snooping",
        BridgeAttr::MULTI_BOOLOPT.0,
        Form::BoolOpt(1),
    ),
    (
        "mcast_router",
        "mcast_router",
        BridgeAttr::MCAST_ROUTER.0,
        Form::Uint,
    ),
    (
        "mcast_query_use_ifaddr",
        "mcast_query_use_ifaddr",
        BridgeAttr::MCAST_QUERY_USE_IFADDR.0,
        Form::Uint,
    ),
    (
        "mcast_querier",
        "mcast_querier",
        BridgeAttr::MCAST_QUERIER.0,
        Form::Uint,
    ),
    (
        "mcast_hash_elasticity",
        "mcast_hash_elasticity",
        BridgeAttr::MCAST_HASH_ELASTICITY.0,
        Form::Uint,
    ),
    (
        "mcast_hash_max",
        "mcast_hash_max",
        BridgeAttr::MCAST_HASH_MAX.0,
        Form::Uint,
    ),
    (
        "mcast_last_member_count",
        "mcast_last_member_cnt",
        BridgeAttr::MCAST_LAST_MEMBER_CNT.0,
        Form::Uint,
    ),
    (
        "mcast_startup_query_count",
        "mcast_startup_query_cnt",
        BridgeAttr::MCAST_STARTUP_QUERY_CNT.0,
        Form::Uint,
    ),
    (
        "mcast_last_member_interval",
        "mcast_last_member_intvl",
        BridgeAttr::MCAST_LAST_MEMBER_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_membership_interval",
        "mcast_membership_intvl",
        BridgeAttr::MCAST_MEMBERSHIP_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_querier_interval",
        "mcast_querier_intvl",
        BridgeAttr::MCAST_QUERIER_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_query_interval",
        "mcast_query_intvl",
        BridgeAttr::MCAST_QUERY_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_query_response_interval",
        "mcast_query_response_intvl",
        BridgeAttr::MCAST_QUERY_RESPONSE_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_startup_query_interval",
        "mcast_startup_query_intvl",
        BridgeAttr::MCAST_STARTUP_QUERY_INTVL.0,
        Form::Uint,
    ),
    (
        "mcast_stats_enabled",
        "mcast_stats_enabled",
        BridgeAttr::MCAST_STATS_ENABLED.0,
        Form::Uint,
    ),
    (
        "mcast_igmp_version",
        "mcast_igmp_version",
        BridgeAttr::MCAST_IGMP_VERSION.0,
        Form::Uint,
    ),
    (
        "mcast_mld_version",
        "mcast_mld_version",
        BridgeAttr::MCAST_MLD_VERSION.0,
        Form::Uint,
    ),
    (
        "nf_call_iptables",
        "nf_call_iptables",
        BridgeAttr::NF_CALL_IPTABLES.0,
        Form::Uint,
    ),
    (
        "nf_call_ip6tables",
        "nf_call_ip6tables",
        BridgeAttr::NF_CALL_IP6TABLES.0,
        Form::Uint,
    ),
    (
        "nf_call_arptables",
        "nf_call_arptables",
        BridgeAttr::NF_CALL_ARPTABLES.0,
        Form::Uint,
    ),
];

const PORT: &[Opt] = &[
    ("state", "state", BridgePortAttr::STATE.0, Form::PortState),
    (
        "priority",
        "priority",
        BridgePortAttr::PRIORITY.0,
        Form::Uint,
    ),
    ("cost", "cost", BridgePortAttr::COST.0, Form::Uint),
    ("hairpin", "hairpin", BridgePortAttr::MODE.0, Form::OnOff),
    ("guard", "guard", BridgePortAttr::GUARD.0, Form::OnOff),
    (
        "root_block",
        "root_block",
        BridgePortAttr::PROTECT.0,
        Form::OnOff,
    ),
    (
        "fastleave",
        "fastleave",
        BridgePortAttr::FAST_LEAVE.0,
        Form::OnOff,
    ),
    (
        "learning",
        "learning",
        BridgePortAttr::LEARNING.0,
        Form::OnOff,
    ),
    (
        "flood",
        "flood",
        BridgePortAttr::UNICAST_FLOOD.0,
        Form::OnOff,
    ),
    ("port_id", "id", BridgePortAttr::ID.0, Form::Hex),
    ("port_no", "no", BridgePortAttr::NO.0, Form::Hex),
    (
        "designated_port",
        "designated_port",
        BridgePortAttr::DESIGNATED_PORT.0,
        Form::Uint,
    ),
    (
        "designated_cost",
        "designated_cost",
        BridgePortAttr::DESIGNATED_COST.0,
        Form::Uint,
    ),
    (
        "designated_bridge",
        "bridge_id",
        BridgePortAttr::BRIDGE_ID.0,
        Form::BridgeId,
    ),
    (
        "designated_root",
        "root_id",
        BridgePortAttr::ROOT_ID.0,
        Form::BridgeId,
    ),
    (
        "hold_timer",
        "hold_timer",
        BridgePortAttr::HOLD_TIMER.0,
        Form::Timer,
    ),
    (
        "message_age_timer",
        "message_age_timer",
        BridgePortAttr::MESSAGE_AGE_TIMER.0,
        Form::Timer,
    ),
    (
        "forward_delay_timer",
        "forward_delay_timer",
        BridgePortAttr::FORWARD_DELAY_TIMER.0,
        Form::Timer,
    ),
    (
        "topology_change_ack",
        "topology_change_ack",
        BridgePortAttr::TOPOLOGY_CHANGE_ACK.0,
        Form::Uint,
    ),
    (
        "config_pending",
        "config_pending",
        BridgePortAttr::CONFIG_PENDING.0,
        Form::Uint,
    ),
    (
        "proxy_arp",
        "proxy_arp",
        BridgePortAttr::PROXYARP.0,
        Form::OnOff,
    ),
    (
        "proxy_arp_wifi",
        "proxy_arp_wifi",
        BridgePortAttr::PROXYARP_WIFI.0,
        Form::OnOff,
    ),
    (
        "mcast_router",
        "multicast_router",
        BridgePortAttr::MULTICAST_ROUTER.0,
        Form::Uint,
    ),
    (
        "mcast_fast_leave",
        "",
        BridgePortAttr::FAST_LEAVE.0,
        Form::OnOff,
    ),
    (
        "mcast_flood",
        "mcast_flood",
        BridgePortAttr::MCAST_FLOOD.0,
        Form::OnOff,
    ),
    (
        "bcast_flood",
        "bcast_flood",
        BridgePortAttr::BCAST_FLOOD.0,
        Form::OnOff,
    ),
    (
        "mcast_to_unicast",
        "mcast_to_unicast",
        BridgePortAttr::MCAST_TO_UCAST.0,
        Form::OnOff,
    ),
    (
        "neigh_suppress",
        "neigh_suppress",
        BridgePortAttr::NEIGH_SUPPRESS.0,
        Form::OnOff,
    ),
    (
        "group_fwd_mask",
        "group_fwd_mask",
        BridgePortAttr::GROUP_FWD_MASK.0,
        Form::Hex,
    ),
    (
        "group_fwd_mask_str",
        "group_fwd_mask_str",
        BridgePortAttr::GROUP_FWD_MASK.0,
        Form::HexStr,
    ),
    (
        "vlan_tunnel",
        "vlan_tunnel",
        BridgePortAttr::VLAN_TUNNEL.0,
        Form::OnOff,
    ),
    (
        "isolated",
        "isolated",
        BridgePortAttr::ISOLATED.0,
        Form::OnOff,
    ),
    ("locked", "locked", BridgePortAttr::LOCKED.0, Form::OnOff),
];

/// C's `%#x`: no prefix for zero.
fn c_hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// One option's text and JSON value, if the kernel sent it.
fn value(attrs: &InfoAttrs, kind: u16, form: Form) -> Option<(String, Value)> {
    let bytes = attrs.bytes(kind)?;
    Some(match form {
        Form::Uint => {
            let v = attrs.uint(kind)?;
            (v.to_string(), json!(v))
        }
        Form::Timer => {
            let secs = attrs.uint(kind)? as f64 / 100.0;
            (format!("{secs:7.2}"), json!(secs))
        }
        Form::BridgeId => {
            let [p0, p1, m @ ..] = <[u8; 8]>::try_from(bytes).ok()?;
            let mac: Vec<String> = m.iter().map(|b| format!("{b:x}")).collect();
            let s = format!("{p0:02x}{p1:02x}.{}", mac.join(":"));
            (s.clone(), json!(s))
        }
        Form::Mac => {
            let s: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let s = s.join(":");
            (s.clone(), json!(s))
        }
        Form::Hex => {
            let s = c_hex(attrs.uint(kind)?);
            (s.clone(), json!(s))
        }
        Form::HexStr => {
            let s = format!("{:#x}", attrs.uint(kind)?);
            (s.clone(), json!(s))
        }
        Form::OnOff => {
            let on = attrs.uint(kind)? != 0;
            ((if on { "on" } else { "off" }).to_string(), json!(on))
        }
        Form::PortState => {
            let s = match attrs.uint(kind)? {
                0 => "disabled".to_string(),
                1 => "listening".to_string(),
                2 => "learning".to_string(),
                3 => "forwarding".to_string(),
                4 => "blocking".to_string(),
                n => n.to_string(),
            };
            (s.clone(), json!(s))
        }
        Form::BoolOpt(bit) => {
            let value = u32::from_ne_bytes(bytes.get(..4)?.try_into().ok()?);
            let v = (value >> bit) & 1;
            (v.to_string(), json!(v))
        }
    })
}

fn table(kind: &str, slave: bool) -> Option<&'static [Opt]> {
    match (kind, slave) {
        ("bridge", false) => Some(BRIDGE),
        ("bridge", true) => Some(PORT),
        _ => None,
    }
}

/// The options of a link of `kind` (or a port of one, `slave`), as text
/// (each `word value ` ) appended to `out`.
pub(crate) fn text(kind: &str, slave: bool, attrs: &InfoAttrs, out: &mut String) {
    for (word, _, attr, form) in table(kind, slave).unwrap_or_default() {
        if let Some((v, _)) = value(attrs, *attr, *form) {
            let _ = write!(out, "{word} {v} ");
        }
    }
}

/// The same as JSON members (`info_data` / `info_slave_data`); `None`
/// for a kind without a table.
pub(crate) fn json(kind: &str, slave: bool, attrs: &InfoAttrs) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    for (_, key, attr, form) in table(kind, slave)? {
        if key.is_empty() {
            continue;
        }
        if let Some((_, v)) = value(attrs, *attr, *form) {
            m.insert((*key).into(), v);
        }
    }
    Some(m)
}
