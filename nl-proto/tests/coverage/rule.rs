//! The rt-rule spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending, skip};

pub(crate) const SETS: &[&Set] = &[&FIB_RULE_ATTRS];

static FIB_RULE_ATTRS: Set = Set {
    spec: "rt-rule",
    name: "fib-rule-attrs",
    constant: Some(|v| nl_proto::route::rule::RuleAttr(v).name()),
    rows: &[
        field("dst", "Rule::dst"),
        field("src", "Rule::src"),
        field("iifname", "Rule::iif"),
        field("goto", "Rule::goto"),
        skip("unused2", "a retired number, never sent"),
        field("priority", "Rule::priority"),
        skip("unused3", "a retired number, never sent"),
        skip("unused4", "a retired number, never sent"),
        skip("unused5", "a retired number, never sent"),
        field("fwmark", "Rule::fwmark"),
        field("flow", "Rule::flow"),
        field("tun-id", "Rule::tun_id"),
        field("suppress-ifgroup", "Rule::suppress_ifgroup"),
        field("suppress-prefixlen", "Rule::suppress_prefixlen"),
        field("table", "Rule::table"),
        field("fwmask", "Rule::fwmask"),
        field("oifname", "Rule::oif"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("l3mdev", "Rule::l3mdev"),
        field("uid-range", "Rule::uid_range"),
        field("protocol", "Rule::protocol"),
        field("ip-proto", "Rule::ip_proto"),
        field("sport-range", "Rule::sport_range"),
        field("dport-range", "Rule::dport_range"),
        field("dscp", "Rule::dscp"),
        field("flowlabel", "Rule::flowlabel"),
        field("flowlabel-mask", "Rule::flowlabel"),
        pending("sport-mask"),
        pending("dport-mask"),
        pending("dscp-mask"),
    ],
};
