//! The rt-link spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending, skip};

pub(crate) const SETS: &[&Set] = &[
    &LINK_ATTRS,
    &PROP_LIST_LINK_ATTRS,
    &AF_SPEC_ATTRS,
    &VFINFO_LIST_ATTRS,
    &VFINFO_ATTRS,
    &VF_STATS_ATTRS,
    &VF_VLAN_ATTRS,
    &VF_PORTS_ATTRS,
    &PORT_SELF_ATTRS,
    &LINKINFO_ATTRS,
    &LINKINFO_BOND_ATTRS,
    &BOND_AD_INFO_ATTRS,
    &BOND_SLAVE_ATTRS,
    &LINKINFO_BRIDGE_ATTRS,
    &LINKINFO_BRPORT_ATTRS,
    &LINKINFO_GRE_ATTRS,
    &LINKINFO_GRE6_ATTRS,
    &LINKINFO_VTI_ATTRS,
    &LINKINFO_VTI6_ATTRS,
    &LINKINFO_GENEVE_ATTRS,
    &LINKINFO_HSR_ATTRS,
    &LINKINFO_IPTUN_ATTRS,
    &LINKINFO_IP6TNL_ATTRS,
    &LINKINFO_TUN_ATTRS,
    &LINKINFO_VLAN_ATTRS,
    &IFLA_VLAN_QOS,
    &LINKINFO_VRF_ATTRS,
    &XDP_ATTRS,
    &IFLA_ATTRS,
    &IFLA6_ATTRS,
    &MCTP_ATTRS,
    &STATS_ATTRS,
    &LINK_OFFLOAD_XSTATS,
    &HW_S_INFO_ONE,
    &LINK_DPLL_PIN_ATTRS,
    &LINKINFO_NETKIT_ATTRS,
    &LINKINFO_OVPN_ATTRS,
];

static LINK_ATTRS: Set = Set {
    spec: "rt-link",
    name: "link-attrs",
    constant: Some(|v| nl_proto::route::link::LinkAttr(v).name()),
    rows: &[
        field("address", "Link::mac, Link::address_raw"),
        field("broadcast", "Link::broadcast, Link::broadcast_raw"),
        field("ifname", "Link::name"),
        field("mtu", "Link::mtu"),
        field("link", "Link::link"),
        field("qdisc", "Link::qdisc"),
        skip(
            "stats",
            "the 32-bit counters; IFLA_STATS64 carries the same, unwrapped (Link::stats)",
        ),
        skip("cost", "defined but never sent or read by the kernel"),
        skip("priority", "defined but never sent or read by the kernel"),
        field("master", "Link::master"),
        skip(
            "wireless",
            "wireless extensions events only; nl80211 replaced them",
        ),
        skip(
            "protinfo",
            "sent only in AF_BRIDGE link dumps (`bridge link`), which this crate does not request",
        ),
        field("txqlen", "Link::txqlen"),
        field("map", "LinkDetails::map"),
        skip("weight", "defined but never sent or read by the kernel"),
        field("operstate", "Link::operstate"),
        field("linkmode", "Link::linkmode"),
        field("linkinfo", "Link::kind, Link::slave_kind, Link::info"),
        skip(
            "net-ns-pid",
            "request only: NewLink::netns and LinkChange::netns write it; the kernel never sends it",
        ),
        field("ifalias", "Link::alias"),
        field("num-vf", "LinkDetails::num_vf"),
        skip(
            "vfinfo-list",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace; LinkDetails::num_vf counts them",
        ),
        field("stats64", "Link::stats"),
        skip(
            "vf-ports",
            "SR-IOV 802.1Qbg port profiles: hardware NICs only",
        ),
        skip(
            "port-self",
            "SR-IOV 802.1Qbg port profiles: hardware NICs only",
        ),
        field(
            "af-spec",
            "LinkAfSpec::inet, LinkAfSpec::inet6, LinkAfSpec::mctp",
        ),
        field("group", "Link::group"),
        skip(
            "net-ns-fd",
            "request only: NewLink::netns and LinkChange::netns write it; the kernel never sends it",
        ),
        skip(
            "ext-mask",
            "request only: encode_dump and encode_get write it (RTEXT_FILTER_*); the kernel never sends it",
        ),
        field("promiscuity", "Link::promiscuity"),
        field("num-tx-queues", "Link::num_tx_queues"),
        field("num-rx-queues", "Link::num_rx_queues"),
        field("carrier", "Link::carrier"),
        field("phys-port-id", "LinkDetails::phys_port_id"),
        field("carrier-changes", "Link::carrier_changes"),
        field("phys-switch-id", "LinkDetails::phys_switch_id"),
        field("link-netnsid", "Link::link_netnsid"),
        field("phys-port-name", "LinkDetails::phys_port_name"),
        field("proto-down", "LinkDetails::proto_down"),
        field("gso-max-segs", "Link::gso_max_segs"),
        field("gso-max-size", "Link::gso_max_size"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("xdp", "LinkDetails::xdp"),
        field("event", "LinkDetails::event"),
        field("new-netnsid", "LinkDetails::new_netnsid"),
        field("target-netnsid", "LinkDetails::target_netnsid"),
        field("carrier-up-count", "LinkDetails::carrier_up_count"),
        field("carrier-down-count", "LinkDetails::carrier_down_count"),
        field("new-ifindex", "LinkDetails::new_ifindex"),
        field("min-mtu", "Link::min_mtu"),
        field("max-mtu", "Link::max_mtu"),
        field("prop-list", "Link::altnames"),
        field("alt-ifname", "Link::altnames"),
        field("perm-address", "Link::perm_address"),
        field("proto-down-reason", "LinkDetails::proto_down_reason"),
        field("parent-dev-name", "Link::parent_dev"),
        field("parent-dev-bus-name", "Link::parent_bus"),
        field("gro-max-size", "Link::gro_max_size"),
        field("tso-max-size", "Link::tso_max_size"),
        field("tso-max-segs", "Link::tso_max_segs"),
        field("allmulti", "Link::allmulti"),
        field("devlink-port", "LinkDetails::devlink_port"),
        field("gso-ipv4-max-size", "LinkDetails::gso_ipv4_max_size"),
        field("gro-ipv4-max-size", "LinkDetails::gro_ipv4_max_size"),
        field("dpll-pin", "LinkDetails::dpll_pin"),
        field(
            "max-pacing-offload-horizon",
            "LinkDetails::max_pacing_offload_horizon",
        ),
        field("netns-immutable", "LinkDetails::netns_immutable"),
        field("headroom", "LinkDetails::headroom"),
        field("tailroom", "LinkDetails::tailroom"),
    ],
};

static PROP_LIST_LINK_ATTRS: Set = Set {
    spec: "rt-link",
    name: "prop-list-link-attrs",
    constant: None,
    rows: &[field("alt-ifname", "Link::altnames")],
};

static AF_SPEC_ATTRS: Set = Set {
    spec: "rt-link",
    name: "af-spec-attrs",
    constant: None,
    rows: &[
        field("inet", "LinkAfSpec::inet"),
        field("inet6", "LinkAfSpec::inet6"),
        field("mctp", "LinkAfSpec::mctp"),
    ],
};

static VFINFO_LIST_ATTRS: Set = Set {
    spec: "rt-link",
    name: "vfinfo-list-attrs",
    constant: None,
    rows: &[skip(
        "info",
        "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
    )],
};

static VFINFO_ATTRS: Set = Set {
    spec: "rt-link",
    name: "vfinfo-attrs",
    constant: None,
    rows: &[
        skip(
            "mac",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "vlan",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "tx-rate",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "spoofchk",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "link-state",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "rate",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "rss-query-en",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "stats",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "trust",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "ib-node-guid",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "ib-port-guid",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "vlan-list",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "broadcast",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
    ],
};

static VF_STATS_ATTRS: Set = Set {
    spec: "rt-link",
    name: "vf-stats-attrs",
    constant: None,
    rows: &[
        skip(
            "rx-packets",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "tx-packets",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "rx-bytes",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "tx-bytes",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "broadcast",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "multicast",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "pad",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "rx-dropped",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
        skip(
            "tx-dropped",
            "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
        ),
    ],
};

static VF_VLAN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "vf-vlan-attrs",
    constant: None,
    rows: &[skip(
        "info",
        "SR-IOV virtual functions: hardware NICs only, in the initial namespace",
    )],
};

static VF_PORTS_ATTRS: Set = Set {
    spec: "rt-link",
    name: "vf-ports-attrs",
    constant: None,
    rows: &[],
};

static PORT_SELF_ATTRS: Set = Set {
    spec: "rt-link",
    name: "port-self-attrs",
    constant: None,
    rows: &[],
};

static LINKINFO_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-attrs",
    constant: Some(|v| nl_proto::route::link::InfoAttr(v).name()),
    rows: &[
        field("kind", "Link::kind"),
        field("data", "Link::info"),
        skip(
            "xstats",
            "a driver's statistics blob without a fixed layout (bond 802.3ad, CAN); no kind this crate models sends one",
        ),
        field("slave-kind", "Link::slave_kind"),
        field("slave-data", "Link::port"),
    ],
};

static LINKINFO_BOND_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-bond-attrs",
    constant: Some(|v| nl_proto::route::link::BondAttr(v).name()),
    rows: &[
        field("mode", "BondOptions::mode"),
        field("active-slave", "BondOptions::active_slave"),
        field("miimon", "BondOptions::miimon"),
        field("updelay", "BondOptions::updelay"),
        field("downdelay", "BondOptions::downdelay"),
        field("use-carrier", "BondOptions::use_carrier"),
        field("arp-interval", "BondOptions::arp_interval"),
        field("arp-ip-target", "BondOptions::arp_ip_target"),
        field("arp-validate", "BondOptions::arp_validate"),
        field("arp-all-targets", "BondOptions::arp_all_targets"),
        field("primary", "BondOptions::primary"),
        field("primary-reselect", "BondOptions::primary_reselect"),
        field("fail-over-mac", "BondOptions::fail_over_mac"),
        field("xmit-hash-policy", "BondOptions::xmit_hash_policy"),
        field("resend-igmp", "BondOptions::resend_igmp"),
        field("num-peer-notif", "BondOptions::num_peer_notif"),
        field("all-slaves-active", "BondOptions::all_slaves_active"),
        field("min-links", "BondOptions::min_links"),
        field("lp-interval", "BondOptions::lp_interval"),
        field("packets-per-slave", "BondOptions::packets_per_slave"),
        field("ad-lacp-rate", "BondOptions::ad_lacp_rate"),
        field("ad-select", "BondOptions::ad_select"),
        field("ad-info", "BondOptions::ad_info"),
        field("ad-actor-sys-prio", "BondOptions::ad_actor_sys_prio"),
        field("ad-user-port-key", "BondOptions::ad_user_port_key"),
        field("ad-actor-system", "BondOptions::ad_actor_system"),
        field("tlb-dynamic-lb", "BondOptions::tlb_dynamic_lb"),
        field("peer-notif-delay", "BondOptions::peer_notif_delay"),
        field("ad-lacp-active", "BondOptions::ad_lacp_active"),
        field("missed-max", "BondOptions::missed_max"),
        field("ns-ip6-target", "BondOptions::ns_ip6_target"),
        field("coupled-control", "BondOptions::coupled_control"),
    ],
};

static BOND_AD_INFO_ATTRS: Set = Set {
    spec: "rt-link",
    name: "bond-ad-info-attrs",
    constant: Some(|v| nl_proto::route::link::BondAdInfoAttr(v).name()),
    rows: &[
        field("aggregator", "BondAdInfo::aggregator"),
        field("num-ports", "BondAdInfo::num_ports"),
        field("actor-key", "BondAdInfo::actor_key"),
        field("partner-key", "BondAdInfo::partner_key"),
        field("partner-mac", "BondAdInfo::partner_mac"),
    ],
};

static BOND_SLAVE_ATTRS: Set = Set {
    spec: "rt-link",
    name: "bond-slave-attrs",
    constant: Some(|v| nl_proto::route::link::BondPortAttr(v).name()),
    rows: &[
        field("state", "BondPortOptions::state"),
        field("mii-status", "BondPortOptions::mii_status"),
        field("link-failure-count", "BondPortOptions::link_failure_count"),
        field("perm-hwaddr", "BondPortOptions::perm_hwaddr"),
        field("queue-id", "BondPortOptions::queue_id"),
        field("ad-aggregator-id", "BondPortOptions::ad_aggregator_id"),
        field(
            "ad-actor-oper-port-state",
            "BondPortOptions::ad_actor_oper_port_state",
        ),
        field(
            "ad-partner-oper-port-state",
            "BondPortOptions::ad_partner_oper_port_state",
        ),
        field("prio", "BondPortOptions::prio"),
    ],
};

static LINKINFO_BRIDGE_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-bridge-attrs",
    constant: Some(|v| nl_proto::route::link::BridgeAttr(v).name()),
    rows: &[
        field("forward-delay", "BridgeOptions::forward_delay"),
        field("hello-time", "BridgeOptions::hello_time"),
        field("max-age", "BridgeOptions::max_age"),
        field("ageing-time", "BridgeOptions::ageing_time"),
        field("stp-state", "BridgeOptions::stp_state"),
        field("priority", "BridgeOptions::priority"),
        field("vlan-filtering", "BridgeOptions::vlan_filtering"),
        field("vlan-protocol", "BridgeOptions::vlan_protocol"),
        field("group-fwd-mask", "BridgeOptions::group_fwd_mask"),
        field("root-id", "BridgeOptions::root_id"),
        field("bridge-id", "BridgeOptions::bridge_id"),
        field("root-port", "BridgeOptions::root_port"),
        field("root-path-cost", "BridgeOptions::root_path_cost"),
        field("topology-change", "BridgeOptions::topology_change"),
        field(
            "topology-change-detected",
            "BridgeOptions::topology_change_detected",
        ),
        field("hello-timer", "BridgeOptions::hello_timer"),
        field("tcn-timer", "BridgeOptions::tcn_timer"),
        field(
            "topology-change-timer",
            "BridgeOptions::topology_change_timer",
        ),
        field("gc-timer", "BridgeOptions::gc_timer"),
        field("group-addr", "BridgeOptions::group_addr"),
        field("fdb-flush", "BridgeOptions::fdb_flush"),
        field("mcast-router", "BridgeOptions::mcast_router"),
        field("mcast-snooping", "BridgeOptions::mcast_snooping"),
        field(
            "mcast-query-use-ifaddr",
            "BridgeOptions::mcast_query_use_ifaddr",
        ),
        field("mcast-querier", "BridgeOptions::mcast_querier"),
        field(
            "mcast-hash-elasticity",
            "BridgeOptions::mcast_hash_elasticity",
        ),
        field("mcast-hash-max", "BridgeOptions::mcast_hash_max"),
        field(
            "mcast-last-member-cnt",
            "BridgeOptions::mcast_last_member_cnt",
        ),
        field(
            "mcast-startup-query-cnt",
            "BridgeOptions::mcast_startup_query_cnt",
        ),
        field(
            "mcast-last-member-intvl",
            "BridgeOptions::mcast_last_member_intvl",
        ),
        field(
            "mcast-membership-intvl",
            "BridgeOptions::mcast_membership_intvl",
        ),
        field("mcast-querier-intvl", "BridgeOptions::mcast_querier_intvl"),
        field("mcast-query-intvl", "BridgeOptions::mcast_query_intvl"),
        field(
            "mcast-query-response-intvl",
            "BridgeOptions::mcast_query_response_intvl",
        ),
        field(
            "mcast-startup-query-intvl",
            "BridgeOptions::mcast_startup_query_intvl",
        ),
        field("nf-call-iptables", "BridgeOptions::nf_call_iptables"),
        field("nf-call-ip6tables", "BridgeOptions::nf_call_ip6tables"),
        field("nf-call-arptables", "BridgeOptions::nf_call_arptables"),
        field("vlan-default-pvid", "BridgeOptions::vlan_default_pvid"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("vlan-stats-enabled", "BridgeOptions::vlan_stats_enabled"),
        field("mcast-stats-enabled", "BridgeOptions::mcast_stats_enabled"),
        field("mcast-igmp-version", "BridgeOptions::mcast_igmp_version"),
        field("mcast-mld-version", "BridgeOptions::mcast_mld_version"),
        field("vlan-stats-per-port", "BridgeOptions::vlan_stats_per_port"),
        field("multi-boolopt", "BridgeOptions::multi_boolopt"),
        skip(
            "mcast-querier-state",
            "the elected querier's nest (address, port, timer per family); iproute2 6.1 does not print it either",
        ),
        field("fdb-n-learned", "BridgeOptions::fdb_n_learned"),
        field("fdb-max-learned", "BridgeOptions::fdb_max_learned"),
    ],
};

static LINKINFO_BRPORT_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-brport-attrs",
    constant: Some(|v| nl_proto::route::link::BridgePortAttr(v).name()),
    rows: &[
        field("state", "BridgePortOptions::state"),
        field("priority", "BridgePortOptions::priority"),
        field("cost", "BridgePortOptions::cost"),
        field("mode", "BridgePortOptions::mode"),
        field("guard", "BridgePortOptions::guard"),
        field("protect", "BridgePortOptions::protect"),
        field("fast-leave", "BridgePortOptions::fast_leave"),
        field("learning", "BridgePortOptions::learning"),
        field("unicast-flood", "BridgePortOptions::unicast_flood"),
        field("proxyarp", "BridgePortOptions::proxyarp"),
        field("learning-sync", "BridgePortOptions::learning_sync"),
        field("proxyarp-wifi", "BridgePortOptions::proxyarp_wifi"),
        field("root-id", "BridgePortOptions::root_id"),
        field("bridge-id", "BridgePortOptions::bridge_id"),
        field("designated-port", "BridgePortOptions::designated_port"),
        field("designated-cost", "BridgePortOptions::designated_cost"),
        field("id", "BridgePortOptions::id"),
        field("no", "BridgePortOptions::no"),
        field(
            "topology-change-ack",
            "BridgePortOptions::topology_change_ack",
        ),
        field("config-pending", "BridgePortOptions::config_pending"),
        field("message-age-timer", "BridgePortOptions::message_age_timer"),
        field(
            "forward-delay-timer",
            "BridgePortOptions::forward_delay_timer",
        ),
        field("hold-timer", "BridgePortOptions::hold_timer"),
        field("flush", "BridgePortOptions::flush"),
        field("multicast-router", "BridgePortOptions::multicast_router"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("mcast-flood", "BridgePortOptions::mcast_flood"),
        field("mcast-to-ucast", "BridgePortOptions::mcast_to_ucast"),
        field("vlan-tunnel", "BridgePortOptions::vlan_tunnel"),
        field("bcast-flood", "BridgePortOptions::bcast_flood"),
        field("group-fwd-mask", "BridgePortOptions::group_fwd_mask"),
        field("neigh-suppress", "BridgePortOptions::neigh_suppress"),
        field("isolated", "BridgePortOptions::isolated"),
        field("backup-port", "BridgePortOptions::backup_port"),
        field("mrp-ring-open", "BridgePortOptions::mrp_ring_open"),
        field("mrp-in-open", "BridgePortOptions::mrp_in_open"),
        field(
            "mcast-eht-hosts-limit",
            "BridgePortOptions::mcast_eht_hosts_limit",
        ),
        field(
            "mcast-eht-hosts-cnt",
            "BridgePortOptions::mcast_eht_hosts_cnt",
        ),
        field("locked", "BridgePortOptions::locked"),
        field("mab", "BridgePortOptions::mab"),
        field("mcast-n-groups", "BridgePortOptions::mcast_n_groups"),
        field("mcast-max-groups", "BridgePortOptions::mcast_max_groups"),
        field(
            "neigh-vlan-suppress",
            "BridgePortOptions::neigh_vlan_suppress",
        ),
        field("backup-nhid", "BridgePortOptions::backup_nhid"),
    ],
};

static LINKINFO_GRE_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-gre-attrs",
    constant: Some(|v| nl_proto::route::link::GreAttr(v).name()),
    rows: &[
        field("link", "GreOptions::link"),
        field("iflags", "GreOptions::iflags"),
        field("oflags", "GreOptions::oflags"),
        field("ikey", "GreOptions::ikey"),
        field("okey", "GreOptions::okey"),
        field("local", "GreOptions::local"),
        field("remote", "GreOptions::remote"),
        field("ttl", "GreOptions::ttl"),
        field("tos", "GreOptions::tos"),
        field("pmtudisc", "GreOptions::pmtudisc"),
        field("encap-limit", "GreOptions::encap_limit"),
        field("flowinfo", "GreOptions::flowinfo"),
        field("flags", "GreOptions::flags"),
        field("encap-type", "GreOptions::encap_type"),
        field("encap-flags", "GreOptions::encap_flags"),
        field("encap-sport", "GreOptions::encap_sport"),
        field("encap-dport", "GreOptions::encap_dport"),
        field("collect-metadata", "GreOptions::collect_metadata"),
        field("ignore-df", "GreOptions::ignore_df"),
        field("fwmark", "GreOptions::fwmark"),
        field("erspan-index", "GreOptions::erspan_index"),
        field("erspan-ver", "GreOptions::erspan_ver"),
        field("erspan-dir", "GreOptions::erspan_dir"),
        field("erspan-hwid", "GreOptions::erspan_hwid"),
    ],
};

static LINKINFO_GRE6_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-gre6-attrs",
    constant: Some(|v| nl_proto::route::link::GreAttr(v).name()),
    rows: &[
        field("link", "GreOptions::link"),
        field("iflags", "GreOptions::iflags"),
        field("oflags", "GreOptions::oflags"),
        field("ikey", "GreOptions::ikey"),
        field("okey", "GreOptions::okey"),
        field("local", "GreOptions::local"),
        field("remote", "GreOptions::remote"),
        field("ttl", "GreOptions::ttl"),
        field("encap-limit", "GreOptions::encap_limit"),
        field("flowinfo", "GreOptions::flowinfo"),
        field("flags", "GreOptions::flags"),
        field("encap-type", "GreOptions::encap_type"),
        field("encap-flags", "GreOptions::encap_flags"),
        field("encap-sport", "GreOptions::encap_sport"),
        field("encap-dport", "GreOptions::encap_dport"),
        field("collect-metadata", "GreOptions::collect_metadata"),
        field("fwmark", "GreOptions::fwmark"),
        field("erspan-index", "GreOptions::erspan_index"),
        field("erspan-ver", "GreOptions::erspan_ver"),
        field("erspan-dir", "GreOptions::erspan_dir"),
        field("erspan-hwid", "GreOptions::erspan_hwid"),
    ],
};

static LINKINFO_VTI_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-vti-attrs",
    constant: Some(|v| nl_proto::route::link::VtiAttr(v).name()),
    rows: &[
        field("link", "VtiOptions::link"),
        field("ikey", "VtiOptions::ikey"),
        field("okey", "VtiOptions::okey"),
        field("local", "VtiOptions::local"),
        field("remote", "VtiOptions::remote"),
        field("fwmark", "VtiOptions::fwmark"),
    ],
};

static LINKINFO_VTI6_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-vti6-attrs",
    constant: Some(|v| nl_proto::route::link::VtiAttr(v).name()),
    rows: &[
        field("link", "VtiOptions::link"),
        field("ikey", "VtiOptions::ikey"),
        field("okey", "VtiOptions::okey"),
        field("local", "VtiOptions::local"),
        field("remote", "VtiOptions::remote"),
        field("fwmark", "VtiOptions::fwmark"),
    ],
};

static LINKINFO_GENEVE_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-geneve-attrs",
    constant: Some(|v| nl_proto::route::link::GeneveAttr(v).name()),
    rows: &[
        field("id", "GeneveOptions::id"),
        field("remote", "GeneveOptions::remote"),
        field("ttl", "GeneveOptions::ttl"),
        field("tos", "GeneveOptions::tos"),
        field("port", "GeneveOptions::port"),
        field("collect-metadata", "GeneveOptions::collect_metadata"),
        field("remote6", "GeneveOptions::remote6"),
        field("udp-csum", "GeneveOptions::udp_csum"),
        field("udp-zero-csum6-tx", "GeneveOptions::udp_zero_csum6_tx"),
        field("udp-zero-csum6-rx", "GeneveOptions::udp_zero_csum6_rx"),
        field("label", "GeneveOptions::label"),
        field("ttl-inherit", "GeneveOptions::ttl_inherit"),
        field("df", "GeneveOptions::df"),
        field("inner-proto-inherit", "GeneveOptions::inner_proto_inherit"),
        field("port-range", "GeneveOptions::port_range"),
    ],
};

static LINKINFO_HSR_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-hsr-attrs",
    constant: Some(|v| nl_proto::route::link::HsrAttr(v).name()),
    rows: &[
        field("slave1", "HsrOptions::slave1"),
        field("slave2", "HsrOptions::slave2"),
        field("multicast-spec", "HsrOptions::multicast_spec"),
        field("supervision-addr", "HsrOptions::supervision_addr"),
        field("seq-nr", "HsrOptions::seq_nr"),
        field("version", "HsrOptions::version"),
        field("protocol", "HsrOptions::protocol"),
        field("interlink", "HsrOptions::interlink"),
    ],
};

static LINKINFO_IPTUN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-iptun-attrs",
    constant: Some(|v| nl_proto::route::link::IptunAttr(v).name()),
    rows: &[
        field("link", "IptunOptions::link"),
        field("local", "IptunOptions::local"),
        field("remote", "IptunOptions::remote"),
        field("ttl", "IptunOptions::ttl"),
        field("tos", "IptunOptions::tos"),
        skip(
            "encap-limit",
            "IPv6 only: ipip and sit have none; Ip6tnlOptions::encap_limit decodes it for ip6tnl",
        ),
        skip(
            "flowinfo",
            "IPv6 only: ipip and sit have none; Ip6tnlOptions::flowinfo decodes it for ip6tnl",
        ),
        field("flags", "IptunOptions::sit"),
        field("proto", "IptunOptions::proto"),
        field("pmtudisc", "IptunOptions::pmtudisc"),
        field("6rd-prefix", "IptunOptions::sixrd_prefix"),
        field("6rd-relay-prefix", "IptunOptions::sixrd_relay_prefix"),
        field("6rd-prefixlen", "IptunOptions::sixrd_prefixlen"),
        field("6rd-relay-prefixlen", "IptunOptions::sixrd_relay_prefixlen"),
        field("encap-type", "IptunOptions::encap_type"),
        field("encap-flags", "IptunOptions::encap_flags"),
        field("encap-sport", "IptunOptions::encap_sport"),
        field("encap-dport", "IptunOptions::encap_dport"),
        field("collect-metadata", "IptunOptions::collect_metadata"),
        field("fwmark", "IptunOptions::fwmark"),
    ],
};

static LINKINFO_IP6TNL_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-ip6tnl-attrs",
    constant: Some(|v| nl_proto::route::link::IptunAttr(v).name()),
    rows: &[
        field("link", "Ip6tnlOptions::link"),
        field("local", "Ip6tnlOptions::local"),
        field("remote", "Ip6tnlOptions::remote"),
        field("ttl", "Ip6tnlOptions::ttl"),
        field("encap-limit", "Ip6tnlOptions::encap_limit"),
        field("flowinfo", "Ip6tnlOptions::flowinfo"),
        field("flags", "Ip6tnlOptions::flags"),
        field("proto", "Ip6tnlOptions::proto"),
        field("encap-type", "Ip6tnlOptions::encap_type"),
        field("encap-flags", "Ip6tnlOptions::encap_flags"),
        field("encap-sport", "Ip6tnlOptions::encap_sport"),
        field("encap-dport", "Ip6tnlOptions::encap_dport"),
        field("collect-metadata", "Ip6tnlOptions::collect_metadata"),
        field("fwmark", "Ip6tnlOptions::fwmark"),
    ],
};

static LINKINFO_TUN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-tun-attrs",
    constant: Some(|v| nl_proto::route::link::TunAttr(v).name()),
    rows: &[
        field("owner", "TunOptions::owner"),
        field("group", "TunOptions::group"),
        field("type", "TunOptions::kind"),
        field("pi", "TunOptions::pi"),
        field("vnet-hdr", "TunOptions::vnet_hdr"),
        field("persist", "TunOptions::persist"),
        field("multi-queue", "TunOptions::multi_queue"),
        field("num-queues", "TunOptions::num_queues"),
        field("num-disabled-queues", "TunOptions::num_disabled_queues"),
    ],
};

static LINKINFO_VLAN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-vlan-attrs",
    constant: Some(|v| nl_proto::route::link::VlanAttr(v).name()),
    rows: &[
        field("id", "LinkInfoData::Vlan.id"),
        field("flags", "VlanOptions::flags"),
        field("egress-qos", "VlanOptions::egress_qos"),
        field("ingress-qos", "VlanOptions::ingress_qos"),
        field("protocol", "LinkInfoData::Vlan.protocol"),
    ],
};

static IFLA_VLAN_QOS: Set = Set {
    spec: "rt-link",
    name: "ifla-vlan-qos",
    constant: None,
    rows: &[field(
        "mapping",
        "VlanOptions::ingress_qos, VlanOptions::egress_qos",
    )],
};

static LINKINFO_VRF_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-vrf-attrs",
    constant: Some(|v| nl_proto::route::link::VrfAttr(v).name()),
    rows: &[pending("table")],
};

static XDP_ATTRS: Set = Set {
    spec: "rt-link",
    name: "xdp-attrs",
    constant: Some(|v| nl_proto::route::link::XdpAttr(v).name()),
    rows: &[
        field("fd", "XdpInfo::fd"),
        field("attached", "XdpInfo::attached"),
        field("flags", "XdpInfo::flags"),
        field("prog-id", "XdpInfo::prog_id"),
        field("drv-prog-id", "XdpInfo::drv_prog_id"),
        field("skb-prog-id", "XdpInfo::skb_prog_id"),
        field("hw-prog-id", "XdpInfo::hw_prog_id"),
        field("expected-fd", "XdpInfo::expected_fd"),
    ],
};

static IFLA_ATTRS: Set = Set {
    spec: "rt-link",
    name: "ifla-attrs",
    constant: None,
    rows: &[field("conf", "InetSpec::conf")],
};

static IFLA6_ATTRS: Set = Set {
    spec: "rt-link",
    name: "ifla6-attrs",
    constant: None,
    rows: &[
        field("flags", "Inet6Spec::flags"),
        field("conf", "Inet6Spec::conf"),
        field("stats", "Inet6Spec::stats"),
        field("mcast", "Inet6Spec::mcast"),
        field("cacheinfo", "Inet6Spec::cacheinfo"),
        field("icmp6stats", "Inet6Spec::icmp6stats"),
        field("token", "Inet6Spec::token"),
        field("addr-gen-mode", "Link::addr_gen_mode"),
        field("ra-mtu", "Inet6Spec::ra_mtu"),
    ],
};

static MCTP_ATTRS: Set = Set {
    spec: "rt-link",
    name: "mctp-attrs",
    constant: None,
    rows: &[
        field("net", "MctpSpec::net"),
        field("phys-binding", "MctpSpec::phys_binding"),
    ],
};

static STATS_ATTRS: Set = Set {
    spec: "rt-link",
    name: "stats-attrs",
    constant: Some(|v| nl_proto::route::stats::StatsAttr(v).name()),
    rows: &[
        field("link-64", "stats::decode -> LinkStats64"),
        pending("link-xstats"),
        pending("link-xstats-slave"),
        pending("link-offload-xstats"),
        pending("af-spec"),
    ],
};

static LINK_OFFLOAD_XSTATS: Set = Set {
    spec: "rt-link",
    name: "link-offload-xstats",
    constant: None,
    rows: &[
        pending("cpu-hit"),
        pending("hw-s-info"),
        pending("l3-stats"),
    ],
};

static HW_S_INFO_ONE: Set = Set {
    spec: "rt-link",
    name: "hw-s-info-one",
    constant: None,
    rows: &[pending("request"), pending("used")],
};

static LINK_DPLL_PIN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "link-dpll-pin-attrs",
    constant: None,
    rows: &[field("id", "LinkDetails::dpll_pin")],
};

static LINKINFO_NETKIT_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-netkit-attrs",
    constant: Some(|v| nl_proto::route::link::NetkitAttr(v).name()),
    rows: &[
        skip(
            "peer-info",
            "set only: the peer to create; the kernel never sends it",
        ),
        field("primary", "NetkitOptions::primary"),
        field("policy", "NetkitOptions::policy"),
        field("peer-policy", "NetkitOptions::peer_policy"),
        field("mode", "NetkitOptions::mode"),
        field("scrub", "NetkitOptions::scrub"),
        field("peer-scrub", "NetkitOptions::peer_scrub"),
        field("headroom", "NetkitOptions::headroom"),
        field("tailroom", "NetkitOptions::tailroom"),
    ],
};

static LINKINFO_OVPN_ATTRS: Set = Set {
    spec: "rt-link",
    name: "linkinfo-ovpn-attrs",
    constant: Some(|v| nl_proto::route::link::OvpnAttr(v).name()),
    rows: &[field("mode", "OvpnOptions::mode")],
};
