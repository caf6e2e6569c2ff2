//! Route requests: dump, get, add/replace/append (single and multipath)
//! and delete.

use super::leg::{put_request_multipath, put_via};
use super::{Leg, Metrics, RouteAttr, RouteFlags, RouteProtocol, RouteType, RtMsg, Table};
use crate::EncodeError;
use crate::IpNet;
use crate::route::addr::Scope;
use crate::route::common::request;
use crate::route::encap::Encap;
use crate::route::{AddrFamily, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use crate::session::{Expect, Request};
use crate::wire::{Flags, MsgWriter};
use core::net::IpAddr;
use zerocopy::FromZeros;

/// Request a dump of routes: `RTM_GETROUTE` with
/// `NLM_F_REQUEST | NLM_F_DUMP`.
///
/// `table` adds an `RTA_TABLE` filter, as `ip route show [table N]`
/// does (iproute2 always asks for `main` by default). The kernel honours
/// it only with `NETLINK_GET_STRICT_CHK` on (our drivers set it), and then
/// marks the replies `NLM_F_DUMP_FILTERED`; without strict checking every
/// table comes back and the caller must filter on [`Route::table`](super::Route::table).
/// `None` dumps every table (`ip route show table all`).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
    table: Option<u32>,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETROUTE,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&RtMsg {
                family: family.0,
                ..RtMsg::new_zeroed()
            })?;
            if let Some(t) = table {
                w.put_u32(RouteAttr::TABLE.0, t)?;
            }
            Ok(())
        },
    )
}

/// A route lookup for [`encode_get`] (`ip route get`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteGet {
    /// Destination address.
    pub dst: IpAddr,
    /// Source address (`from`).
    pub src: Option<IpAddr>,
    /// Output interface (`oif`).
    pub oif: Option<u32>,
    /// Input interface (`iif`): look up as if received there.
    pub iif: Option<u32>,
    /// Firewall mark (`mark`).
    pub mark: Option<u32>,
    /// `fibmatch`: answer with the FIB entry that matched
    /// (`RTM_F_FIB_MATCH`), not the resolved path.
    pub fib_match: bool,
    /// `tos T` / `dsfield T`: `rtm_tos`.
    pub tos: u8,
    /// `uid N`: look up as this user's socket would (`RTA_UID`).
    pub uid: Option<u32>,
    /// `ipproto P`: the flow's protocol (`RTA_IP_PROTO`, for rules and
    /// multipath hashing).
    pub ip_proto: Option<u8>,
    /// `sport N`: the flow's source port (`RTA_SPORT`, big-endian).
    pub sport: Option<u16>,
    /// `dport N`: the flow's destination port (`RTA_DPORT`, big-endian).
    pub dport: Option<u16>,
}

impl RouteGet {
    /// A lookup of `dst` with nothing else set.
    pub fn new(dst: IpAddr) -> Self {
        Self {
            dst,
            src: None,
            oif: None,
            iif: None,
            mark: None,
            fib_match: false,
            tos: 0,
            uid: None,
            ip_proto: None,
            sport: None,
            dport: None,
        }
    }
}

/// Look up the route to a destination: `RTM_GETROUTE` with
/// `NLM_F_REQUEST` only (not a dump; the session adds `NLM_F_ACK`). The
/// kernel answers with one `RTM_NEWROUTE` (flagged `RTM_F_CLONED`) that
/// [`Route::decode`](super::Route::decode) reads.
///
/// As iproute2 6.1: `rtm_dst_len` (and `rtm_src_len` with a source) is
/// the full address length, `rtm_flags` = `RTM_F_LOOKUP_TABLE` for IPv4
/// so the reply names the table that matched (IPv6 refuses that flag under
/// strict checking: `EINVAL`, "Invalid flags for get route request"), and
/// `RTM_F_FIB_MATCH` with [`RouteGet::fib_match`], `rtm_tos`; then `RTA_DST`,
/// `RTA_SRC`, `RTA_IIF`, `RTA_OIF`, `RTA_MARK`, `RTA_UID`, `RTA_IP_PROTO`,
/// `RTA_SPORT`, `RTA_DPORT` (iproute2 puts the last four where they come
/// on its command line).
///
/// # Errors
///
/// [`EncodeError::Invalid`] if the source's family differs from the
/// destination's; [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &RouteGet,
) -> Result<Request<'w>, EncodeError> {
    if req.src.is_some_and(|s| s.is_ipv4() != req.dst.is_ipv4()) {
        return Err(EncodeError::Invalid {
            what: "source family differs from destination",
        });
    }
    let full = if req.dst.is_ipv4() { 32 } else { 128 };
    request(w, RTM_GETROUTE, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst).0,
            dst_len: full,
            src_len: if req.src.is_some() { full } else { 0 },
            // IPv6 refuses any flag but RTM_F_FIB_MATCH under strict checking.
            flags: (if req.dst.is_ipv4() {
                RouteFlags::LOOKUP_TABLE.0
            } else {
                0
            } | if req.fib_match {
                RouteFlags::FIB_MATCH.0
            } else {
                0
            })
            .into(),
            tos: req.tos,
            ..RtMsg::new_zeroed()
        })?;
        w.put_ip(RouteAttr::DST.0, req.dst)?;
        if let Some(s) = req.src {
            w.put_ip(RouteAttr::SRC.0, s)?;
        }
        let u32s = [
            (RouteAttr::IIF, req.iif),
            (RouteAttr::OIF, req.oif),
            (RouteAttr::MARK, req.mark),
            (RouteAttr::UID, req.uid),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        if let Some(p) = req.ip_proto {
            w.put_u8(RouteAttr::IP_PROTO.0, p)?;
        }
        for (k, v) in [(RouteAttr::SPORT, req.sport), (RouteAttr::DPORT, req.dport)] {
            if let Some(port) = v {
                w.put(k.0, &port.to_be_bytes())?;
            }
        }
        Ok(())
    })
}

/// How [`encode_new`] treats an existing route with the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteMode {
    /// `ip route add`: `NLM_F_CREATE | NLM_F_EXCL`, `EEXIST` if present.
    #[default]
    Add,
    /// `ip route replace`: `NLM_F_CREATE | NLM_F_REPLACE`.
    Replace,
    /// `ip route append`: `NLM_F_CREATE | NLM_F_APPEND` (adds another
    /// route with the same key, e.g. an IPv6 multipath leg).
    Append,
    /// `ip route change`: `NLM_F_REPLACE` alone, `ENOENT` if absent.
    Change,
    /// `ip route prepend`: `NLM_F_CREATE` alone (the new route goes
    /// before any with the same key).
    Prepend,
}

impl RouteMode {
    fn flags(self) -> Flags {
        Flags::REQUEST
            | Flags::CREATE
            | match self {
                Self::Add => Flags::EXCL,
                Self::Replace => Flags::REPLACE,
                Self::Append => Flags::APPEND,
                Self::Change => return Flags::REQUEST | Flags::REPLACE,
                Self::Prepend => Flags::EMPTY,
            }
    }
}

/// A route to add with [`encode_new`]. Start from [`NewRoute::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRoute {
    /// Destination prefix (`0.0.0.0/0` for a default route). IPv4 host
    /// bits must be clear (the kernel refuses `10.0.0.1/24` with `EINVAL`).
    pub dst: IpNet,
    /// Gateway (`via`), same family as `dst`.
    pub gateway: Option<IpAddr>,
    /// Output interface (`dev`).
    pub oif: Option<u32>,
    /// Table id; [`Table::MAIN`] by default. Ids above 255 go in
    /// `RTA_TABLE` with `rtm_table` = 0, like iproute2. (iproute2 picks
    /// `local` for local/broadcast/anycast/nat types when no table is
    /// given; set it here explicitly.)
    pub table: u32,
    /// Protocol; [`RouteProtocol::BOOT`] by default, like iproute2.
    pub protocol: RouteProtocol,
    /// Scope; `None` picks iproute2's default (see [`NewRoute::effective_scope`]).
    pub scope: Option<Scope>,
    /// Route type; [`RouteType::UNICAST`] by default.
    pub kind: RouteType,
    /// Metric (`RTA_PRIORITY`).
    pub priority: Option<u32>,
    /// Preferred source address (`RTA_PREFSRC`), same family as `dst`.
    pub prefsrc: Option<IpAddr>,
    /// Route metrics (`RTA_METRICS`), e.g. `Metrics::EMPTY.with(Metric::MTU, 1400)`.
    pub metrics: Metrics,
    /// A gateway of the other family (`via inet6 ADDR` on an IPv4 route):
    /// `RTA_VIA`, in place of [`NewRoute::gateway`].
    pub via: Option<IpAddr>,
    /// A nexthop object to use (`nhid ID`): `RTA_NH_ID`.
    pub nh_id: Option<u32>,
    /// `rtm_flags` (`RTNH_F_*`): [`RouteFlags::ONLINK`] for `onlink`.
    pub flags: RouteFlags,
    /// IPv6 router preference (`pref low|medium|high`): `RTA_PREF`, 3 low,
    /// 0 medium, 1 high.
    pub pref: Option<u8>,
    /// Lightweight tunnel encapsulation (`encap mpls|ip|ip6|seg6 …`):
    /// `RTA_ENCAP` and `RTA_ENCAP_TYPE`.
    pub encap: Option<Encap>,
}

impl NewRoute {
    /// A unicast route to `dst` in the main table, protocol boot, default
    /// scope, nothing else set.
    pub fn new(dst: IpNet) -> Self {
        Self {
            dst,
            gateway: None,
            oif: None,
            table: Table::MAIN.0,
            protocol: RouteProtocol::BOOT,
            scope: None,
            kind: RouteType::UNICAST,
            priority: None,
            prefsrc: None,
            metrics: Metrics::EMPTY,
            via: None,
            nh_id: None,
            flags: RouteFlags::EMPTY,
            pref: None,
            encap: None,
        }
    }

    /// The scope sent: `scope` if set, else iproute2's choice — universe
    /// for IPv6; host for local and nat; link for broadcast, multicast and
    /// anycast; link for a unicast route without a gateway, `via` or
    /// nexthop object (a device route); universe otherwise. (A multipath
    /// route, [`encode_new_multipath`], is universe.)
    pub fn effective_scope(&self) -> Scope {
        if let Some(s) = self.scope {
            return s;
        }
        if self.dst.addr().is_ipv6() {
            return Scope::UNIVERSE;
        }
        match self.kind {
            RouteType::LOCAL | RouteType::NAT => Scope::HOST,
            RouteType::BROADCAST | RouteType::MULTICAST | RouteType::ANYCAST => Scope::LINK,
            RouteType::UNICAST | RouteType::UNSPEC
                if self.gateway.is_none() && self.via.is_none() && self.nh_id.is_none() =>
            {
                Scope::LINK
            }
            _ => Scope::UNIVERSE,
        }
    }
}

fn check_family(dst: &IpNet, other: Option<IpAddr>, what: &'static str) -> Result<(), EncodeError> {
    if other.is_some_and(|o| o.is_ipv4() != dst.addr().is_ipv4()) {
        return Err(EncodeError::Invalid { what });
    }
    Ok(())
}

/// Add, replace or append a route: `RTM_NEWROUTE` with `NLM_F_REQUEST |
/// NLM_F_CREATE` and `NLM_F_EXCL` ([`RouteMode::Add`]), `NLM_F_REPLACE`
/// ([`RouteMode::Replace`]) or `NLM_F_APPEND` ([`RouteMode::Append`]).
///
/// Byte layout as iproute2's: `RTA_DST` (omitted for a `/0` default
/// route), `RTA_TABLE` (only for ids above 255), `RTA_PRIORITY`,
/// `RTA_PREFSRC`, `RTA_ENCAP` and `RTA_ENCAP_TYPE` (where `ip route add
/// DST encap … via GW dev D` puts them), `RTA_GATEWAY`, `RTA_OIF`,
/// `RTA_METRICS`.
///
/// # Errors
///
/// [`EncodeError::Invalid`] when the gateway's or preferred source's
/// family differs from the destination's, or an IPv4 destination has
/// host bits set; [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewRoute,
    mode: RouteMode,
) -> Result<Request<'w>, EncodeError> {
    encode_new_multipath(w, req, mode, &[])
}

/// [`encode_new`] with next hops: `ip route add DST nexthop via GW [dev
/// NAME] [weight N] nexthop …` puts them in `RTA_MULTIPATH`, one `struct
/// rtnexthop` each (`rtnh_hops` = weight − 1, `rtnh_ifindex` 0 when no
/// device), with `RTA_GATEWAY`, or `RTA_VIA` for a gateway of the other
/// family, as iproute2 does. `hops` empty is [`encode_new`]. A route with
/// next hops takes universe scope unless `scope` says otherwise.
///
/// ```
/// use nl_proto::route::route::{encode_new_multipath, NewRoute, Leg, LegFlags, RouteMode};
/// use nl_proto::wire::MsgWriter;
/// let hop = |gw: &str, weight: u8| Leg {
///     flags: LegFlags::EMPTY,
///     hops: weight - 1,
///     ifindex: 0,
///     gateway: Some(gw.parse().unwrap()),
///     flow: None,
/// };
/// let mut buf = [0u8; 256];
/// let mut w = MsgWriter::new(&mut buf);
/// let req = NewRoute::new("10.1.0.0/24".parse().unwrap());
/// let r = encode_new_multipath(&mut w, &req, RouteMode::Add, &[hop("10.0.0.2", 2), hop("10.0.0.3", 1)])?;
/// assert_eq!(r.msg.len(), 72);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// As [`encode_new`]; [`EncodeError::Invalid`] for a `via` of the
/// destination's own family (use `gateway`), more than [`MULTIPATH_MAX`](super::MULTIPATH_MAX)
/// next hops, or a next hop whose ifindex is above `i32::MAX`.
pub fn encode_new_multipath<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewRoute,
    mode: RouteMode,
    hops: &[Leg],
) -> Result<Request<'w>, EncodeError> {
    check_family(
        &req.dst,
        req.gateway,
        "gateway family differs from destination",
    )?;
    check_family(
        &req.dst,
        req.prefsrc,
        "prefsrc family differs from destination",
    )?;
    let v4 = req.dst.addr().is_ipv4();
    if req.via.is_some_and(|v| v.is_ipv4() == v4) {
        return Err(EncodeError::Invalid {
            what: "via of the destination's family (use the gateway)",
        });
    }
    if v4 && req.dst.trunc() != req.dst {
        return Err(EncodeError::Invalid {
            what: "IPv4 destination has host bits set",
        });
    }
    let scope = match req.scope {
        None if !hops.is_empty() && req.kind == RouteType::UNICAST => Scope::UNIVERSE,
        _ => req.effective_scope(),
    };
    let (table, table_attr) = Table(req.table).split();
    request(w, RTM_NEWROUTE, mode.flags(), Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst.addr()).0,
            dst_len: req.dst.prefix_len(),
            src_len: 0,
            tos: 0,
            table,
            protocol: req.protocol.0,
            scope: scope.0,
            kind: req.kind.0,
            flags: req.flags.0.into(),
        })?;
        if req.dst.prefix_len() != 0 {
            w.put_ip(RouteAttr::DST.0, req.dst.addr())?;
        }
        if let Some(t) = table_attr {
            w.put_u32(RouteAttr::TABLE.0, t)?;
        }
        if let Some(p) = req.priority {
            w.put_u32(RouteAttr::PRIORITY.0, p)?;
        }
        if let Some(p) = req.prefsrc {
            w.put_ip(RouteAttr::PREFSRC.0, p)?;
        }
        if let Some(e) = &req.encap {
            e.put(w, RouteAttr::ENCAP.0, RouteAttr::ENCAP_TYPE.0)?;
        }
        if let Some(g) = req.gateway {
            w.put_ip(RouteAttr::GATEWAY.0, g)?;
        }
        if let Some(v) = req.via {
            put_via(w, RouteAttr::VIA.0, v)?;
        }
        if let Some(o) = req.oif {
            w.put_u32(RouteAttr::OIF.0, o)?;
        }
        if let Some(id) = req.nh_id {
            w.put_u32(RouteAttr::NH_ID.0, id)?;
        }
        if !hops.is_empty() {
            put_request_multipath(w, hops, v4)?;
        }
        if let Some(p) = req.pref {
            w.put_u8(RouteAttr::PREF.0, p)?;
        }
        req.metrics.emit(w)
    })
}

/// Which route(s) [`encode_del`] removes. Unset fields match anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelRoute {
    /// Destination prefix.
    pub dst: IpNet,
    /// Table; `None` = main, as with iproute2.
    pub table: Option<u32>,
    /// Gateway to match.
    pub gateway: Option<IpAddr>,
    /// Output interface to match.
    pub oif: Option<u32>,
    /// Protocol to match (`rtm_protocol`; unset = 0 = any).
    pub protocol: Option<RouteProtocol>,
    /// Metric to match.
    pub priority: Option<u32>,
    /// Type to match (`rtm_type`; unset = `RTN_UNSPEC` = any).
    pub kind: Option<RouteType>,
}

impl DelRoute {
    /// Delete the route to `dst` in the main table, whatever its path.
    pub fn new(dst: IpNet) -> Self {
        Self {
            dst,
            table: None,
            gateway: None,
            oif: None,
            protocol: None,
            priority: None,
            kind: None,
        }
    }
}

/// Delete a route: `RTM_DELROUTE` with `NLM_F_REQUEST` only (the session
/// adds `NLM_F_ACK`).
///
/// As iproute2: `rtm_scope` = `RT_SCOPE_NOWHERE` for IPv4 (universe for
/// IPv6), `rtm_type` and `rtm_protocol` 0 unless given (the kernel
/// treats 0 as "any"), table main unless given; then `RTA_DST` (not for
/// `/0`), `RTA_TABLE` (ids above 255), `RTA_PRIORITY`, `RTA_GATEWAY`,
/// `RTA_OIF`.
///
/// # Errors
///
/// [`EncodeError::Invalid`] when the gateway's family differs from the
/// destination's; [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &DelRoute,
) -> Result<Request<'w>, EncodeError> {
    encode_del_multipath(w, req, &[])
}

/// Delete a route whose next hops are `hops`, in this order (`ip route
/// del PREFIX nexthop … nexthop …`): [`encode_del`] with `RTA_MULTIPATH`
/// last. IPv4 deletes only a route whose list matches leg for leg
/// (`ESRCH` otherwise); IPv6 deletes the routes of each leg.
///
/// # Errors
///
/// As [`encode_del`] and [`encode_new_multipath`].
pub fn encode_del_multipath<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &DelRoute,
    hops: &[Leg],
) -> Result<Request<'w>, EncodeError> {
    check_family(
        &req.dst,
        req.gateway,
        "gateway family differs from destination",
    )?;
    let (table, table_attr) = Table(req.table.unwrap_or(Table::MAIN.0)).split();
    let v6 = req.dst.addr().is_ipv6();
    request(w, RTM_DELROUTE, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&RtMsg {
            family: AddrFamily::of(&req.dst.addr()).0,
            dst_len: req.dst.prefix_len(),
            src_len: 0,
            tos: 0,
            table,
            protocol: req.protocol.unwrap_or(RouteProtocol::UNSPEC).0,
            scope: if v6 {
                Scope::UNIVERSE.0
            } else {
                Scope::NOWHERE.0
            },
            kind: req.kind.unwrap_or(RouteType::UNSPEC).0,
            flags: 0.into(),
        })?;
        if req.dst.prefix_len() != 0 {
            w.put_ip(RouteAttr::DST.0, req.dst.addr())?;
        }
        if let Some(t) = table_attr {
            w.put_u32(RouteAttr::TABLE.0, t)?;
        }
        if let Some(p) = req.priority {
            w.put_u32(RouteAttr::PRIORITY.0, p)?;
        }
        if let Some(g) = req.gateway {
            w.put_ip(RouteAttr::GATEWAY.0, g)?;
        }
        if let Some(o) = req.oif {
            w.put_u32(RouteAttr::OIF.0, o)?;
        }
        if !hops.is_empty() {
            put_request_multipath(w, hops, !v6)?;
        }
        Ok(())
    })
}
