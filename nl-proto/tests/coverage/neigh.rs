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
        pending("port"),
        pending("vni"),
        skip(
            "ifindex",
            "a dump filter in requests (encode_dump's index), never in a reply",
        ),
        field("master", "Neighbour::master"),
        pending("link-netnsid"),
        pending("src-vni"),
        field("protocol", "Neighbour::protocol"),
        pending("nh-id"),
        pending("fdb-ext-attrs"),
        pending("flags-ext"),
        pending("ndm-state-mask"),
        pending("ndm-flags-mask"),
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
