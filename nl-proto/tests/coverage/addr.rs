//! The rt-addr spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending};

pub(crate) const SETS: &[&Set] = &[&ADDR_ATTRS];

static ADDR_ATTRS: Set = Set {
    spec: "rt-addr",
    name: "addr-attrs",
    constant: Some(|v| nl_proto::route::addr::AddrAttr(v).name()),
    rows: &[
        field("address", "Address::local, Address::peer"),
        field("local", "Address::local"),
        field("label", "Address::label"),
        field("broadcast", "Address::broadcast"),
        pending("anycast"),
        field(
            "cacheinfo",
            "Address::valid_lft, Address::preferred_lft, Address::stamps",
        ),
        pending("multicast"),
        field("flags", "Address::flags"),
        field("rt-priority", "Address::rt_priority"),
        pending("target-netnsid"),
        field("proto", "Address::proto"),
    ],
};
