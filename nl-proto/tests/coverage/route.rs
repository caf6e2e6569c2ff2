//! The rt-route spec's attributes: what decodes each, or why none does.

use super::{Set, field, pending, skip};

pub(crate) const SETS: &[&Set] = &[&ROUTE_ATTRS, &METRICS];

static ROUTE_ATTRS: Set = Set {
    spec: "rt-route",
    name: "route-attrs",
    constant: Some(|v| nl_proto::route::route::RouteAttr(v).name()),
    rows: &[
        field("dst", "Route::dst"),
        field("src", "Route::src"),
        field("iif", "Route::iif"),
        field("oif", "Route::oif"),
        field("gateway", "Route::gateway"),
        field("priority", "Route::priority"),
        field("prefsrc", "Route::prefsrc"),
        field("metrics", "RouteExtras::metrics"),
        field("multipath", "RouteExtras::multipath"),
        skip(
            "protoinfo",
            "marked not used in the spec; no kernel sends it",
        ),
        field("flow", "RouteExtras::flow"),
        field("cacheinfo", "RouteExtras::cache"),
        skip("session", "marked not used in the spec; no kernel sends it"),
        skip("mp-algo", "marked not used in the spec; no kernel sends it"),
        field("table", "Route::table"),
        field("mark", "RouteExtras::mark"),
        pending("mfc-stats"),
        field("via", "Route::gateway"),
        pending("newdst"),
        field("pref", "Route::pref"),
        field("encap-type", "RouteExtras::encap (Encap by its type)"),
        field(
            "encap",
            "RouteExtras::encap (mpls, ip, ip6; others by type only)",
        ),
        field("expires", "RouteExtras::expires"),
        skip("pad", "alignment padding for 64-bit attributes, no value"),
        field("uid", "RouteExtras::uid"),
        pending("ttl-propagate"),
        pending("ip-proto"),
        pending("sport"),
        pending("dport"),
        field("nh-id", "Route::nh_id"),
        pending("flowlabel"),
    ],
};

static METRICS: Set = Set {
    spec: "rt-route",
    name: "metrics",
    constant: Some(|v| nl_proto::route::route::Metric(v).name()),
    rows: &[
        skip("unspec", "number 0 is no metric (the spec's type: unused)"),
        field("lock", "RouteExtras::metrics (Metrics::get)"),
        field("mtu", "Route::mtu"),
        field("window", "RouteExtras::metrics (Metrics::get)"),
        field("rtt", "RouteExtras::metrics (Metrics::get)"),
        field("rttvar", "RouteExtras::metrics (Metrics::get)"),
        field("ssthresh", "RouteExtras::metrics (Metrics::get)"),
        field("cwnd", "RouteExtras::metrics (Metrics::get)"),
        field("advmss", "Route::advmss"),
        field("reordering", "RouteExtras::metrics (Metrics::get)"),
        field("hoplimit", "RouteExtras::metrics (Metrics::get)"),
        field("initcwnd", "RouteExtras::metrics (Metrics::get)"),
        field("features", "RouteExtras::metrics (Metrics::get)"),
        field("rto-min", "RouteExtras::metrics (Metrics::get)"),
        field("initrwnd", "RouteExtras::metrics (Metrics::get)"),
        field("quickack", "RouteExtras::metrics (Metrics::get)"),
        field("cc-algo", "RouteExtras::metrics (Metrics::congctl)"),
        field("fastopen-no-cookie", "RouteExtras::metrics (Metrics::get)"),
    ],
};
