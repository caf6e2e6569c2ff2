//! The rt-neigh spec's attributes: what decodes each, or why none does.

use super::{Set, field, skip};

pub(crate) const SETS: &[&Set] = &[&NEIGHBOUR_ATTRS, &NDT_ATTRS, &NDTPA_ATTRS];

static NEIGHBOUR_ATTRS: Set = Set {
    spec: "rt-neigh",
    name: "neighbour-attrs",
    constant: Some(|v| nl_proto::route::neigh::NeighAttr(v).name()),
    rows: &[
        skip("unspec", "number 0 carries no value"),
        field("dst", "Neighbour::dst"),
        field("lladdr", "Neighbour::lladdr, Neighbour::lladdr_raw"),
        field("cacheinfo", "Neighbour::cache"),
        field("probes", "Neighbour::probes"),
        field("vlan", "Neighbour::vlan"),
        field("port", "Neighbour::port"),
        field("vni", "Neighbour::vni"),
        skip(
            "ifindex",
            "a dump filter in requests (encode_dump's index), never in a reply",
        ),
        field("master", "Neighbour::master"),
        field("link-netnsid", "Neighbour::link_netnsid"),
        field("src-vni", "Neighbour::src_vni"),
        field("protocol", "Neighbour::protocol"),
        field("nh-id", "Neighbour::nh_id"),
        field(
            "fdb-ext-attrs",
            "Neighbour::activity_notify (NFEA_ACTIVITY_NOTIFY; NFEA_DONT_REFRESH is request-only)",
        ),
        field("flags-ext", "Neighbour::flags_ext"),
        skip(
            "ndm-state-mask",
            "request-only: the state filter of a bulk delete (`bridge fdb flush … state`), never in a reply",
        ),
        skip(
            "ndm-flags-mask",
            "request-only: the flags filter of a bulk delete (`bridge fdb flush … [no]sticky`), never in a reply",
        ),
    ],
};

static NDT_ATTRS: Set = Set {
    spec: "rt-neigh",
    name: "ndt-attrs",
    constant: Some(|v| nl_proto::route::neightbl::NeighTableAttr(v).name()),
    rows: &[
        field("name", "NeighTable::name"),
        field("thresh1", "NeighTable::thresh1"),
        field("thresh2", "NeighTable::thresh2"),
        field("thresh3", "NeighTable::thresh3"),
        field("config", "NeighTable::config (NdtConfig)"),
        field("parms", "NeighTable::parms (NeighParms)"),
        field("stats", "NeighTable::stats (NdtStats)"),
        field("gc-interval", "NeighTable::gc_interval"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
    ],
};

static NDTPA_ATTRS: Set = Set {
    spec: "rt-neigh",
    name: "ndtpa-attrs",
    constant: Some(|v| nl_proto::route::neightbl::NeighParmsAttr(v).name()),
    rows: &[
        field("ifindex", "NeighParms::ifindex"),
        field("refcnt", "NeighParms::refcnt"),
        field("reachable-time", "NeighParms::reachable_time"),
        field("base-reachable-time", "NeighParms::base_reachable_time"),
        field("retrans-time", "NeighParms::retrans_time"),
        field("gc-staletime", "NeighParms::gc_staletime"),
        field("delay-probe-time", "NeighParms::delay_probe_time"),
        field("queue-len", "NeighParms::queue_len"),
        field("app-probes", "NeighParms::app_probes"),
        field("ucast-probes", "NeighParms::ucast_probes"),
        field("mcast-probes", "NeighParms::mcast_probes"),
        field("anycast-delay", "NeighParms::anycast_delay"),
        field("proxy-delay", "NeighParms::proxy_delay"),
        field("proxy-qlen", "NeighParms::proxy_qlen"),
        field("locktime", "NeighParms::locktime"),
        field("queue-lenbytes", "NeighParms::queue_lenbytes"),
        field("mcast-reprobes", "NeighParms::mcast_reprobes"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field(
            "interval-probe-time-ms",
            "NeighParms::interval_probe_time_ms",
        ),
    ],
};
