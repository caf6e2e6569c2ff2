//! The rt-neigh spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending, skip};

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
    constant: None,
    rows: &[
        pending("name"),
        pending("thresh1"),
        pending("thresh2"),
        pending("thresh3"),
        pending("config"),
        pending("parms"),
        pending("stats"),
        pending("gc-interval"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
    ],
};

static NDTPA_ATTRS: Set = Set {
    spec: "rt-neigh",
    name: "ndtpa-attrs",
    constant: None,
    rows: &[
        pending("ifindex"),
        pending("refcnt"),
        pending("reachable-time"),
        pending("base-reachable-time"),
        pending("retrans-time"),
        pending("gc-staletime"),
        pending("delay-probe-time"),
        pending("queue-len"),
        pending("app-probes"),
        pending("ucast-probes"),
        pending("mcast-probes"),
        pending("anycast-delay"),
        pending("proxy-delay"),
        pending("proxy-qlen"),
        pending("locktime"),
        pending("queue-lenbytes"),
        pending("mcast-reprobes"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        pending("interval-probe-time-ms"),
    ],
};
