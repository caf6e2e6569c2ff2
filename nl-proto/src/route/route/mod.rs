//! Routes: `RTM_NEWROUTE` / `RTM_DELROUTE` / `RTM_GETROUTE`
//! (`include/uapi/linux/rtnetlink.h`).
//!
//! ```text
//!  0        1         2         3     4       5          6       7      8            12
//! +--------+---------+---------+-----+-------+----------+-------+------+------------+---------+
//! | family | dst_len | src_len | tos | table | protocol | scope | type | flags u32  | RTA_*...|
//! +--------+---------+---------+-----+-------+----------+-------+------+------------+---------+
//! ```
//!
//! Tables: `rtm_table` is a u8. A table id above 255 travels in
//! `RTA_TABLE` with `rtm_table` = `RT_TABLE_UNSPEC` (0), which is what
//! iproute2 sends for `table 1000`; the kernel reports every route with
//! `RTA_TABLE`, and a decoded [`Route::table`] takes `RTA_TABLE` over
//! `rtm_table`.
//!
//! One file per axis: the header, attribute kinds and flags ([`RtMsg`],
//! [`RouteAttr`], [`RouteFlags`], `header.rs`), the named values
//! ([`RouteType`], [`RouteProtocol`], [`Table`], `names.rs`), the owned
//! route and its decoder ([`Route`], [`RouteKey`], `object.rs`), metrics
//! and the rarely needed rest ([`Metrics`], [`RouteExtras`],
//! `metrics.rs`), multipath legs ([`Leg`], `leg.rs`) and the request
//! encoders ([`encode_dump`], [`encode_get`], [`encode_new`],
//! [`encode_new_multipath`], [`encode_del`], `request.rs`).

mod header;
mod leg;
mod metrics;
mod names;
mod object;
mod request;

#[cfg(test)]
mod tests;

pub use header::{RouteAttr, RouteFlags, RtMsg};
pub use leg::{Leg, LegFlags, LegsDigest, MULTIPATH_MAX};
pub use metrics::{CC_MAX, Metric, Metrics, RouteCacheInfo, RouteExtras};
pub use names::{RouteProtocol, RouteType, Table};
pub use object::{IPV6_DEFAULT_METRIC, Route, RouteKey};
pub use request::{
    DelRoute, NewRoute, RouteGet, RouteMode, encode_del, encode_del_multipath, encode_dump,
    encode_get, encode_new, encode_new_multipath,
};
