//! Route verbs: `ip route show|get|add|replace|del`.

use crate::{Conn, Error, LinkId, verb};
use nl_proto::IpNet;
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::Scope;
use nl_proto::route::encap::Encap;
use nl_proto::route::route::{
    self as rt, DelRoute, Metric, NewRoute, Route, RouteExtras, RouteGet, RouteProtocol, RouteType,
    Table,
};
use std::net::IpAddr;

/// A route: `ip route add|replace|del DST [via GW] [dev LINK] …`.
///
/// The family comes from the destination; a gateway or source of the
/// other family is refused before anything is sent.
///
/// ```no_run
/// use nl_rustix::{Conn, RouteSpec};
/// let mut conn = Conn::open()?;
/// let default = RouteSpec::new("0.0.0.0/0".parse().unwrap()).via("10.0.0.1".parse().unwrap());
/// conn.replace_route(&default)?;
/// conn.add_route(&RouteSpec::new("10.9.0.0/24".parse().unwrap()).dev("veth0").table(100).metric(50))?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// Destination prefix (`0.0.0.0/0` or `::/0` for `default`).
    pub dst: IpNet,
    /// Gateway of the destination's family (`via GW`, `RTA_GATEWAY`); the
    /// [`via`](RouteSpec::via) builder sets it. A gateway of the other
    /// family is [`via_other_family`](RouteSpec::via_other_family).
    pub gateway: Option<IpAddr>,
    /// Output link (`dev`).
    pub dev: Option<LinkId>,
    /// Table (`table`, main by default).
    pub table: Option<u32>,
    /// Protocol (`proto`, boot by default on add, like iproute2).
    pub protocol: Option<RouteProtocol>,
    /// Scope (`scope`; iproute2's default when unset).
    pub scope: Option<Scope>,
    /// Type (`unicast`, `blackhole`, `unreachable`, `prohibit`, `local`…).
    pub kind: RouteType,
    /// Metric (`metric`/`priority`).
    pub metric: Option<u32>,
    /// Preferred source (`src`).
    pub prefsrc: Option<IpAddr>,
    /// Path MTU (`mtu`).
    pub mtu: Option<u32>,
    /// A gateway of the other family than the destination's (`via inet6
    /// GW` on an IPv4 route), sent as `RTA_VIA`; the
    /// [`via_other_family`](RouteSpec::via_other_family) builder sets it.
    /// A gateway of the destination's own family is
    /// [`gateway`](RouteSpec::gateway).
    pub via_other_family: Option<IpAddr>,
    /// A nexthop object (`nhid ID`).
    pub nh_id: Option<u32>,
    /// `onlink`: use the gateway even if no route says it is reachable
    /// on `dev`.
    pub onlink: bool,
    /// Next hops of a multipath route (`nexthop via GW [dev NAME] [weight
    /// N] nexthop …`), at most [`MULTIPATH_MAX`](rt::MULTIPATH_MAX).
    pub nexthops: Vec<LegSpec>,
    /// Advertised MSS (`advmss N`): `RTAX_ADVMSS`.
    pub advmss: Option<u32>,
    /// Congestion control algorithm (`congctl [lock] NAME`):
    /// `RTAX_CC_ALGO`, at most [`CC_MAX`](nl_proto::route::route::CC_MAX)
    /// bytes.
    pub congctl: Option<String>,
    /// `congctl lock NAME`: sockets may not choose another (`RTAX_LOCK`).
    pub congctl_lock: bool,
    /// IPv6 router preference (`pref low|medium|high`): `RTA_PREF`.
    pub pref: Option<RoutePref>,
    /// Lightweight tunnel encapsulation (`encap mpls|ip|ip6|seg6 …`):
    /// `RTA_ENCAP` and `RTA_ENCAP_TYPE`. Not part of
    /// [`to_route`](RouteSpec::to_route): a [`Route`] keeps its encap in
    /// [`RouteExtras`].
    pub encap: Option<Encap>,
}

/// An IPv6 route's router preference (RFC 4191), `RTA_PREF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutePref {
    /// `low` (3 on the wire).
    Low,
    /// `medium` (0).
    Medium,
    /// `high` (1).
    High,
}

impl RoutePref {
    /// The `RTA_PREF` value.
    pub fn to_wire(self) -> u8 {
        match self {
            Self::Low => 3,
            Self::Medium => 0,
            Self::High => 1,
        }
    }

    /// From an `RTA_PREF` value (`None` for a reserved one).
    pub fn from_wire(v: u8) -> Option<Self> {
        match v {
            3 => Some(Self::Low),
            0 => Some(Self::Medium),
            1 => Some(Self::High),
            _ => None,
        }
    }
}

/// One next hop of a multipath [`RouteSpec`].
///
/// ```no_run
/// use nl_rustix::{Conn, LegSpec, RouteSpec};
/// let mut conn = Conn::open()?;
/// let mut spec = RouteSpec::new("10.1.0.0/24".parse().unwrap());
/// spec.nexthops = vec![
///     LegSpec::via("10.0.0.2".parse().unwrap()).weight(2),
///     LegSpec::via("10.0.0.3".parse().unwrap()).dev("veth0"),
/// ];
/// conn.add_route(&spec)?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegSpec {
    /// Gateway (`via`), of either family (the other is sent as `RTA_VIA`).
    pub gateway: Option<IpAddr>,
    /// Output link (`dev`).
    pub dev: Option<LinkId>,
    /// Weight, 1 to 256 (`weight`).
    pub weight: u16,
    /// `onlink`: use the gateway even if no route says it is reachable.
    pub onlink: bool,
}

impl LegSpec {
    /// A next hop through `gw`, weight 1.
    pub fn via(gw: IpAddr) -> Self {
        Self {
            gateway: Some(gw),
            dev: None,
            weight: 1,
            onlink: false,
        }
    }
    /// A next hop out of `link`, weight 1.
    pub fn dev_only(link: impl Into<LinkId>) -> Self {
        Self {
            gateway: None,
            dev: Some(link.into()),
            weight: 1,
            onlink: false,
        }
    }
    /// `dev LINK`.
    #[must_use]
    pub fn dev(mut self, link: impl Into<LinkId>) -> Self {
        self.dev = Some(link.into());
        self
    }
    /// `weight N` (1 to 256).
    #[must_use]
    pub fn weight(mut self, weight: u16) -> Self {
        self.weight = weight;
        self
    }

    /// The codec's leg, the link resolved to `ifindex` (0 = none). The
    /// weight was checked 1 to 256 by [`RouteSpec::check`].
    pub(crate) fn to_leg(&self, ifindex: Option<u32>) -> rt::Leg {
        rt::Leg {
            flags: if self.onlink {
                rt::LegFlags::ONLINK
            } else {
                rt::LegFlags::EMPTY
            },
            hops: u8::try_from(self.weight.saturating_sub(1)).unwrap_or(u8::MAX),
            ifindex: ifindex.unwrap_or(0),
            gateway: self.gateway,
            flow: None,
        }
    }
}

impl RouteSpec {
    /// A unicast route to `dst`.
    pub fn new(dst: IpNet) -> Self {
        Self {
            dst,
            gateway: None,
            dev: None,
            table: None,
            protocol: None,
            scope: None,
            kind: RouteType::UNICAST,
            metric: None,
            prefsrc: None,
            mtu: None,
            via_other_family: None,
            nh_id: None,
            onlink: false,
            nexthops: Vec::new(),
            advmss: None,
            congctl: None,
            congctl_lock: false,
            pref: None,
            encap: None,
        }
    }
    /// The IPv4 default route (`0.0.0.0/0`).
    pub fn default_v4() -> Self {
        Self::new(IpNet::V4(nl_proto::Ipv4Net::default()))
    }
    /// The IPv6 default route (`::/0`).
    pub fn default_v6() -> Self {
        Self::new(IpNet::V6(nl_proto::Ipv6Net::default()))
    }
    /// `via GW`: the gateway, of the destination's family; sets
    /// [`gateway`](RouteSpec::gateway). A gateway of the other family is
    /// refused (nothing is sent), as iproute2 refuses `via` without
    /// `inet6`: that is [`RouteSpec::via_other_family`].
    #[must_use]
    pub fn via(mut self, gw: IpAddr) -> Self {
        self.gateway = Some(gw);
        self
    }
    /// `via inet6 GW` on an IPv4 route (`via inet GW` on an IPv6 one): a
    /// gateway of the other family than the destination's, sent as
    /// `RTA_VIA`; sets [`via_other_family`](RouteSpec::via_other_family).
    /// The kernel takes IPv6 gateways for IPv4 routes (RFC 5549); a
    /// gateway of the destination's own family is refused (nothing is
    /// sent): that is [`RouteSpec::via`].
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, RouteSpec};
    /// let mut conn = Conn::open()?;
    /// let spec = RouteSpec::new("10.4.0.0/24".parse().unwrap())
    ///     .via_other_family("fe80::1".parse().unwrap())
    ///     .dev("veth0");
    /// conn.add_route(&spec)?;
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    #[must_use]
    pub fn via_other_family(mut self, gw: IpAddr) -> Self {
        self.via_other_family = Some(gw);
        self
    }
    /// `dev LINK`.
    #[must_use]
    pub fn dev(mut self, link: impl Into<LinkId>) -> Self {
        self.dev = Some(link.into());
        self
    }
    /// `table ID`.
    #[must_use]
    pub fn table(mut self, table: u32) -> Self {
        self.table = Some(table);
        self
    }
    /// `proto P`.
    #[must_use]
    pub fn protocol(mut self, p: RouteProtocol) -> Self {
        self.protocol = Some(p);
        self
    }
    /// `scope S`.
    #[must_use]
    pub fn scope(mut self, s: Scope) -> Self {
        self.scope = Some(s);
        self
    }
    /// The route type (`blackhole`, `unreachable`, …).
    #[must_use]
    pub fn kind(mut self, kind: RouteType) -> Self {
        self.kind = kind;
        self
    }
    /// `metric N`.
    #[must_use]
    pub fn metric(mut self, m: u32) -> Self {
        self.metric = Some(m);
        self
    }
    /// `src IP`.
    #[must_use]
    pub fn src(mut self, ip: IpAddr) -> Self {
        self.prefsrc = Some(ip);
        self
    }
    /// `mtu N`.
    #[must_use]
    pub fn mtu(mut self, mtu: u32) -> Self {
        self.mtu = Some(mtu);
        self
    }
    /// `advmss N`.
    #[must_use]
    pub fn advmss(mut self, mss: u32) -> Self {
        self.advmss = Some(mss);
        self
    }
    /// `encap TYPE …`: a lightweight tunnel encapsulation.
    ///
    /// ```
    /// # use nl_rustix::RouteSpec;
    /// use nl_rustix::nl_proto::route::encap::{Encap, MplsEncap};
    /// let spec = RouteSpec::new("10.9.0.0/24".parse().unwrap())
    ///     .via("10.0.0.2".parse().unwrap())
    ///     .encap(Encap::Mpls { labels: MplsEncap::new(&[100, 200]).unwrap(), ttl: None });
    /// assert!(spec.encap.is_some());
    /// ```
    #[must_use]
    pub fn encap(mut self, encap: Encap) -> Self {
        self.encap = Some(encap);
        self
    }

    /// `pref low|medium|high` (IPv6).
    #[must_use]
    pub fn pref(mut self, pref: RoutePref) -> Self {
        self.pref = Some(pref);
        self
    }

    /// Check the families agree and an IPv4 destination has no host
    /// bits (the kernel refuses `10.0.0.1/24`), before anything is
    /// resolved or sent.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let v4 = self.dst.addr().is_ipv4();
        if v4 && self.dst.trunc() != self.dst {
            return Err(Error::Invalid(format!(
                "route destination {} has host bits set (did you mean {}?)",
                self.dst,
                self.dst.trunc()
            )));
        }
        if let Some(gw) = self.gateway {
            if gw.is_ipv4() != v4 {
                return Err(Error::Invalid(format!(
                    "gateway {gw} is not of the same family as destination {} (a gateway of the other family is via_other_family)",
                    self.dst
                )));
            }
        }
        if let Some(src) = self.prefsrc {
            if src.is_ipv4() != v4 {
                return Err(Error::Invalid(format!(
                    "source {src} is not of the same family as destination {}",
                    self.dst
                )));
            }
        }
        if let Some(via) = self.via_other_family {
            if via.is_ipv4() == v4 {
                return Err(Error::Invalid(format!(
                    "via_other_family {via} is of the same family as destination {}: make it the gateway",
                    self.dst
                )));
            }
        }
        if let Some(cc) = &self.congctl {
            if cc.is_empty() || cc.len() > rt::CC_MAX {
                return Err(Error::Invalid(format!(
                    "congestion control name \"{cc}\": 1 to {} bytes",
                    rt::CC_MAX
                )));
            }
        }
        if self.pref.is_some() && v4 {
            return Err(Error::Invalid(format!(
                "route {}: a router preference is IPv6 only",
                self.dst
            )));
        }
        if self.nexthops.len() > rt::MULTIPATH_MAX {
            return Err(Error::Invalid(format!(
                "{} next hops, at most {} are supported",
                self.nexthops.len(),
                rt::MULTIPATH_MAX
            )));
        }
        if let Some(h) = self
            .nexthops
            .iter()
            .find(|h| !(1..=256).contains(&h.weight))
        {
            return Err(Error::Invalid(format!(
                "next-hop weight {} is out of range 1-256",
                h.weight
            )));
        }
        Ok(())
    }

    /// The table to name when it is not main: the stated one (0 is
    /// main), or local for local, broadcast, anycast and nat routes, as
    /// iproute2 picks.
    pub(crate) fn table_to_send(&self) -> Option<u32> {
        if let Some(t) = self.table.filter(|&t| t != 0) {
            Some(t)
        } else if matches!(
            self.kind,
            RouteType::LOCAL | RouteType::BROADCAST | RouteType::ANYCAST | RouteType::NAT
        ) {
            // iproute2 puts these in the local table unless told otherwise.
            Some(Table::LOCAL.0)
        } else {
            None
        }
    }

    pub(crate) fn to_new(&self, oif: Option<u32>) -> NewRoute {
        // The kernel stores an IPv6 destination without its host bits.
        let mut r = NewRoute::new(self.dst.trunc());
        r.gateway = self.gateway;
        r.oif = oif;
        if let Some(t) = self.table_to_send() {
            r.table = t;
        }
        if let Some(p) = self.protocol {
            r.protocol = p;
        }
        r.scope = self.scope;
        r.kind = self.kind;
        r.priority = self.metric;
        r.prefsrc = self.prefsrc;
        if let Some(mtu) = self.mtu {
            r.metrics.set(Metric::MTU, mtu);
        }
        if let Some(mss) = self.advmss {
            r.metrics.set(Metric::ADVMSS, mss);
        }
        if let Some(cc) = &self.congctl {
            r.metrics.set_congctl(cc);
            if self.congctl_lock {
                r.metrics.set(Metric::LOCK, 1 << Metric::CC_ALGO.0);
            }
        }
        r.pref = self.pref.map(RoutePref::to_wire);
        r.encap = self.encap;
        r.via = self.via_other_family;
        r.nh_id = self.nh_id;
        if self.onlink {
            r.flags = rt::RouteFlags::ONLINK;
        }
        r
    }

    pub(crate) fn to_del(&self, oif: Option<u32>) -> DelRoute {
        let mut d = DelRoute::new(self.dst);
        d.table = Some(self.table.unwrap_or(Table::MAIN.0));
        d.gateway = self.gateway;
        d.oif = oif;
        d.protocol = self.protocol;
        d.priority = self.metric;
        d.kind = (self.kind != RouteType::UNICAST).then_some(self.kind);
        d
    }
}

/// Which tables [`Conn::routes`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tables {
    /// One table by id (`Tables::Id(254)` is main).
    Id(u32),
    /// Every table (`table all`).
    All,
}

impl Tables {
    /// The main table, `ip route show`'s default.
    pub const MAIN: Self = Self::Id(254);
}

/// A dumped route as a listing keeps it: `None` for a family this codec
/// does not model (e.g. MPLS), a route of a table other than `table`
/// (kernels without strict checking ignore the filter), or a cache clone
/// (`RTM_F_CLONED`, left out as iproute2 does).
pub(crate) fn listed<T>(
    decoded: Result<T, nl_proto::DecodeError>,
    route: fn(&T) -> &Route,
    table: Option<u32>,
) -> Result<Option<T>, nl_proto::DecodeError> {
    let v = match decoded {
        Ok(v) => v,
        Err(nl_proto::DecodeError::OutOfRange {
            what: "rtm_family", ..
        }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let r = route(&v);
    let wanted = table.is_none_or(|t| r.table == t) && !r.flags.contains(rt::RouteFlags::CLONED);
    Ok(wanted.then_some(v))
}

impl Conn {
    /// Routes of `family` (IPv4 if `None`, like `ip route`) in `tables`:
    /// `ip [-4|-6] route show [table ID|all]`. Routes cloned into the cache
    /// (`RTM_F_CLONED`) are left out, as iproute2 does.
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn routes(
        &mut self,
        family: Option<AddrFamily>,
        tables: Tables,
    ) -> Result<Vec<Route>, Error> {
        self.run(verb::routes(family, tables))
    }

    /// [`Conn::routes`] with each route's [`RouteExtras`] (every metric,
    /// multipath legs, cache info, expiry, router preference).
    ///
    /// # Errors
    ///
    /// As [`Conn::routes`].
    pub fn routes_full(
        &mut self,
        family: Option<AddrFamily>,
        tables: Tables,
    ) -> Result<Vec<(Route, RouteExtras)>, Error> {
        self.run(verb::routes_full(family, tables))
    }

    /// The route the kernel would use for `dst`: `ip route get ADDR`.
    ///
    /// # Errors
    ///
    /// `ENETUNREACH` when no route matches.
    pub fn route_get(&mut self, dst: IpAddr) -> Result<Route, Error> {
        self.run(verb::route_get(dst))
    }

    /// A route lookup with the selectors of `ip route get ADDR [from SRC]
    /// [iif NAME] [oif NAME] [mark N] [fibmatch]` (interfaces by index:
    /// see [`Conn::link_index`]).
    ///
    /// ```no_run
    /// use nl_rustix::Conn;
    /// use nl_rustix::nl_proto::route::route::RouteGet;
    /// let mut conn = Conn::open()?;
    /// let mut get = RouteGet::new("10.9.1.1".parse().unwrap());
    /// get.mark = Some(7);
    /// get.fib_match = true;
    /// println!("{:?}", conn.route_lookup(&get)?);
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENETUNREACH` when no route matches.
    pub fn route_lookup(&mut self, req: &RouteGet) -> Result<Route, Error> {
        self.run(verb::route_lookup(req))
    }

    /// [`Conn::route_lookup`] with the route's [`RouteExtras`] (the mark,
    /// uid and cache info a lookup reports).
    ///
    /// # Errors
    ///
    /// As [`Conn::route_lookup`].
    pub fn route_lookup_full(&mut self, req: &RouteGet) -> Result<(Route, RouteExtras), Error> {
        self.run(verb::route_lookup_full(req))
    }

    /// Add a route: `ip route add`.
    ///
    /// # Errors
    ///
    /// `EEXIST` if present, `ENETUNREACH` when the gateway is not reachable
    /// on any link, [`Error::NoSuchLink`] for a missing `dev`, [`Error::Invalid`] for
    /// mixed families (nothing sent).
    pub fn add_route(&mut self, spec: &RouteSpec) -> Result<(), Error> {
        self.run(verb::add_route(spec))
    }

    /// Add or update a route: `ip route replace` (idempotent).
    ///
    /// # Errors
    ///
    /// As [`Conn::add_route`], without `EEXIST`.
    pub fn replace_route(&mut self, spec: &RouteSpec) -> Result<(), Error> {
        self.run(verb::replace_route(spec))
    }

    /// Delete a route: `ip route del`. Unset fields of `spec` match any.
    ///
    /// # Errors
    ///
    /// `ESRCH` when no route matches.
    pub fn delete_route(&mut self, spec: &RouteSpec) -> Result<(), Error> {
        self.run(verb::delete_route(spec))
    }
}

impl RouteSpec {
    /// What `verb` (`add`, `delete`, …) of this route is, as a refusal
    /// names it: `add route to 10.1.0.0/16`.
    pub(crate) fn describe(&self, verb: &str) -> String {
        format!("{verb} route to {}", self.dst)
    }
}

pub(crate) fn route_context(errno: i32, spec: &RouteSpec) -> Option<String> {
    match errno {
        libc::EEXIST => Some(format!("route to {} already exists", spec.dst)),
        libc::ESRCH => Some(format!("no such route to {}", spec.dst)),
        libc::ENETUNREACH => spec.gateway.map(|g| format!("gateway {g} is unreachable")),
        _ => None,
    }
}

impl From<&Route> for RouteSpec {
    /// The spec that names this route exactly (its identity, path and
    /// type, `dev` by index), so deleting what a dump returned is
    /// `conn.delete_route(&(&route).into())`. Cache info, expiry and the
    /// kernel's flags are not part of a spec; a multipath route's legs
    /// are not either (the spec has one path). The metric is the kernel's
    /// (IPv4 0 and IPv6 1024 filled in), so the spec never matches a
    /// sibling with another metric.
    fn from(r: &Route) -> Self {
        let (gateway, via_other_family) = split_gateway(&r.dst, r.gateway);
        Self {
            dst: r.dst,
            gateway,
            dev: r.oif.map(LinkId::Index),
            table: Some(r.table),
            protocol: Some(r.protocol),
            scope: (r.scope != Scope::NOWHERE).then_some(r.scope),
            kind: r.kind,
            metric: Some(r.key().priority),
            prefsrc: r.prefsrc,
            mtu: r.mtu,
            via_other_family,
            nh_id: r.nh_id,
            onlink: r.flags.contains(rt::RouteFlags::ONLINK),
            nexthops: Vec::new(),
            advmss: r.advmss,
            congctl: None,
            congctl_lock: false,
            pref: r.pref.and_then(RoutePref::from_wire),
            encap: None,
        }
    }
}

/// A decoded gateway as a spec states it: of the route's own family in
/// `gateway`, of the other family (`RTA_VIA`, read into the value's
/// `gateway`) in `via_other_family`.
pub(crate) fn split_gateway(
    dst: &IpNet,
    gateway: Option<IpAddr>,
) -> (Option<IpAddr>, Option<IpAddr>) {
    match gateway {
        Some(g) if g.is_ipv4() != matches!(dst, IpNet::V4(_)) => (None, Some(g)),
        g => (g, None),
    }
}

impl RouteSpec {
    /// The desired-state [`Route`] this spec describes, with `dev`
    /// resolved to `oif` by the caller: what [`nl_proto::diff`] compares.
    /// Unset scope stays unstated ([`Scope::NOWHERE`]); an unset table is
    /// main (local for local, broadcast, anycast and nat routes, as
    /// iproute2 picks).
    ///
    /// Everything the spec states is carried: the gateway of either
    /// family (`via` is what [`Route::decode`] reads `RTA_VIA` into), the
    /// nexthop object, `onlink`, the number of multipath legs. IPv6
    /// destinations are written without host bits, as the kernel stores
    /// them; table 0 is main.
    pub fn to_route(&self, oif: Option<u32>) -> Route {
        // What to_new sends, built directly: a read compares every
        // observed route with one of these.
        let mut r = Route::new(self.dst.trunc());
        r.gateway = self.via_other_family.or(self.gateway);
        r.oif = oif;
        r.table = self.table_to_send().unwrap_or(Table::MAIN.0);
        r.protocol = self.protocol.unwrap_or(RouteProtocol::UNSPEC);
        r.scope = self.scope.unwrap_or(Scope::NOWHERE);
        r.kind = self.kind;
        r.priority = self.metric;
        r.prefsrc = self.prefsrc;
        r.mtu = self.mtu;
        r.nh_id = self.nh_id;
        if self.onlink {
            r.flags = rt::RouteFlags::ONLINK;
        }
        r.multipath_legs = u8::try_from(self.nexthops.len()).unwrap_or(u8::MAX);
        r.advmss = self.advmss;
        r.pref = self.pref.map(RoutePref::to_wire);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// `via` is the gateway of the destination's family, `via_other_family`
    /// the other family's (`RTA_VIA`); each refuses the other's family.
    #[test]
    fn via_builders_say_which_family_they_take() {
        let same = RouteSpec::new(net("10.4.0.0/24")).via(ip("10.0.0.1"));
        assert_eq!(
            (same.gateway, same.via_other_family),
            (Some(ip("10.0.0.1")), None)
        );
        assert!(same.check().is_ok());
        let new = same.to_new(None);
        assert_eq!((new.gateway, new.via), (Some(ip("10.0.0.1")), None));

        let other = RouteSpec::new(net("10.4.0.0/24")).via_other_family(ip("fe80::1"));
        assert_eq!(
            (other.gateway, other.via_other_family),
            (None, Some(ip("fe80::1")))
        );
        assert!(other.check().is_ok());
        let new = other.to_new(Some(2));
        assert_eq!((new.gateway, new.via), (None, Some(ip("fe80::1"))));

        for wrong in [
            RouteSpec::new(net("10.4.0.0/24")).via(ip("fe80::1")),
            RouteSpec::new(net("10.4.0.0/24")).via_other_family(ip("10.0.0.1")),
            RouteSpec::default_v6().via_other_family(ip("fe80::1")),
        ] {
            let e = wrong.check().unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Invalid, "{e}");
        }
    }

    #[test]
    fn defaults_are_their_family_default_routes() {
        assert_eq!(RouteSpec::default_v4().dst, net("0.0.0.0/0"));
        assert_eq!(RouteSpec::default_v6().dst, net("::/0"));
    }
}
