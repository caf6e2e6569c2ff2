//! The nexthop spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending, skip};

pub(crate) const SETS: &[&Set] = &[
    &NEXTHOP_ATTRS,
    &NHA_RES_GROUP_ATTRS,
    &NHA_RES_BUCKET_ATTRS,
    &NHA_GROUP_STATS_ATTRS,
    &NHA_GROUP_STATS_ENTRY_ATTRS,
];

static NEXTHOP_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nexthop-attrs",
    constant: Some(|v| nl_proto::route::nexthop::NexthopAttr(v).name()),
    rows: &[
        field("id", "Nexthop::id"),
        field("group", "Nexthop::group"),
        field("group-type", "Nexthop::group_type"),
        field("blackhole", "Nexthop::blackhole"),
        field("oif", "Nexthop::oif"),
        field("gateway", "Nexthop::gateway"),
        field("encap-type", "Nexthop::encap"),
        field("encap", "Nexthop::encap (MPLS labels)"),
        skip(
            "groups",
            "a dump filter in requests (NexthopDump::groups), never in a reply",
        ),
        skip(
            "master",
            "a dump filter in requests (NexthopDump::master), never in a reply",
        ),
        field("fdb", "Nexthop::fdb"),
        pending("res-group"),
        pending("res-bucket"),
        pending("op-flags"),
        pending("group-stats"),
        pending("hw-stats-enable"),
        pending("hw-stats-used"),
    ],
};

static NHA_RES_GROUP_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-res-group-attrs",
    constant: None,
    rows: &[
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        pending("buckets"),
        pending("idle-timer"),
        pending("unbalanced-timer"),
        pending("unbalanced-time"),
    ],
};

static NHA_RES_BUCKET_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-res-bucket-attrs",
    constant: None,
    rows: &[
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        pending("index"),
        pending("idle-time"),
        pending("nh-id"),
    ],
};

static NHA_GROUP_STATS_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-group-stats-attrs",
    constant: None,
    rows: &[pending("entry")],
};

static NHA_GROUP_STATS_ENTRY_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-group-stats-entry-attrs",
    constant: None,
    rows: &[pending("id"), pending("packets"), pending("packets-hw")],
};
