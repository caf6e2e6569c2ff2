//! The nexthop spec's attributes: what decodes each, or why none does.

use super::{Set, field, skip};

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
        field("res-group", "Nexthop::resilient (ResilientGroup)"),
        field("res-bucket", "NexthopBucket::index, ::idle_time, ::nh_id"),
        field("op-flags", "Nexthop::op_flags, NexthopDump::op_flags"),
        field(
            "group-stats",
            "nexthop::group_stats (a view on the message)",
        ),
        field("hw-stats-enable", "Nexthop::hw_stats_enable"),
        field("hw-stats-used", "Nexthop::hw_stats_used"),
    ],
};

static NHA_RES_GROUP_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-res-group-attrs",
    constant: Some(|v| nl_proto::route::nexthop::ResGroupAttr(v).name()),
    rows: &[
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("buckets", "ResilientGroup::buckets"),
        field("idle-timer", "ResilientGroup::idle_timer"),
        field("unbalanced-timer", "ResilientGroup::unbalanced_timer"),
        field("unbalanced-time", "ResilientGroup::unbalanced_time"),
    ],
};

static NHA_RES_BUCKET_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-res-bucket-attrs",
    constant: Some(|v| nl_proto::route::nexthop::ResBucketAttr(v).name()),
    rows: &[
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("index", "NexthopBucket::index"),
        field("idle-time", "NexthopBucket::idle_time"),
        field("nh-id", "NexthopBucket::nh_id"),
    ],
};

static NHA_GROUP_STATS_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-group-stats-attrs",
    constant: Some(|v| nl_proto::route::nexthop::GroupStatsAttr(v).name()),
    rows: &[field("entry", "nexthop::group_stats (one GroupStats each)")],
};

static NHA_GROUP_STATS_ENTRY_ATTRS: Set = Set {
    spec: "nexthop",
    name: "nha-group-stats-entry-attrs",
    constant: Some(|v| nl_proto::route::nexthop::GroupStatsAttr(v).name()),
    rows: &[
        field("id", "GroupStats::id"),
        field("packets", "GroupStats::packets"),
        field("packets-hw", "GroupStats::packets_hw"),
    ],
};
