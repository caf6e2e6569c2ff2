//! The owned route ([`Route`]), its kernel identity ([`RouteKey`]) and
//! its decoder.

use super::leg::LegsDigest;
use super::leg::{decode_multipath, emit_hop, put_via};
use super::metrics::metric_of;
use super::{
    Metric, Metrics, RouteAttr, RouteExtras, RouteFlags, RouteProtocol, RouteType, RtMsg, Table,
};
use crate::IpNet;
use crate::route::addr::Scope;
use crate::route::common::split_object;
use crate::route::encap::Encap;
use crate::route::{AddrFamily, RTM_DELROUTE, RTM_NEWROUTE};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A route, decoded from `RTM_NEWROUTE`: its identity and path, compact
/// (a little over 100 bytes) so that 100k of them collect and diff
/// cheaply. The rarely needed rest — every metric, the legs of a
/// multipath route, cache info, expiry, mark, uid, realms, router
/// preference — is a [`RouteExtras`], decoded on request with
/// [`Route::decode_full`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `rtm_family`.
    pub family: AddrFamily,
    /// Destination prefix: `RTA_DST` with `rtm_dst_len`; a default route
    /// is `0.0.0.0/0` or `::/0` (never absent).
    pub dst: IpNet,
    /// Source prefix: `RTA_SRC` with `rtm_src_len` (IPv6 source routing).
    pub src: Option<IpNet>,
    /// `rtm_tos`.
    pub tos: u8,
    /// Table id: `RTA_TABLE` when present, else `rtm_table`.
    pub table: u32,
    /// `rtm_protocol`.
    pub protocol: RouteProtocol,
    /// `rtm_scope`.
    pub scope: Scope,
    /// `rtm_type`.
    pub kind: RouteType,
    /// `rtm_flags`.
    pub flags: RouteFlags,
    /// The next hop: `RTA_GATEWAY`, or `RTA_VIA` — a gateway of the other
    /// family (IPv4 via an IPv6 link-local), sent back as `RTA_VIA`. For
    /// a multipath route with one leg, that leg's gateway (the kernel
    /// itself reports such a route as a plain one).
    pub gateway: Option<IpAddr>,
    /// `RTA_OIF` (for a one-leg multipath route, the leg's interface).
    pub oif: Option<u32>,
    /// `RTA_IIF`.
    pub iif: Option<u32>,
    /// `RTA_PRIORITY`: the metric.
    pub priority: Option<u32>,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<IpAddr>,
    /// The route MTU: `RTAX_MTU` in `RTA_METRICS`.
    pub mtu: Option<u32>,
    /// `RTA_NH_ID`: the nexthop object this route uses.
    pub nh_id: Option<u32>,
    /// How many `RTA_MULTIPATH` legs the route has (0 for a single-path
    /// route, saturating at 255); the legs are [`RouteExtras::multipath`].
    pub multipath_legs: u8,
    /// The fingerprint of those legs (see [`LegsDigest`]), so a diff can
    /// compare them without keeping them.
    pub legs_digest: LegsDigest,
    /// The advertised MSS: `RTAX_ADVMSS` in `RTA_METRICS`.
    pub advmss: Option<u32>,
    /// `RTA_PREF`: IPv6 router preference (0 medium, 1 high, 3 low).
    pub pref: Option<u8>,
}

/// A route's kernel identity: what `RTM_NEWROUTE` with `NLM_F_EXCL`
/// calls a duplicate and `RTM_DELROUTE` needs to name exactly one route.
///
/// `priority` is normalized as the kernel stores it: an IPv4 route
/// without `RTA_PRIORITY` has metric 0, an IPv6 route asked for with
/// metric 0 (or none) gets 1024 (`IP6_RT_PRIO_USER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RouteKey {
    /// `rtm_family`.
    pub family: AddrFamily,
    /// Table id.
    pub table: u32,
    /// Destination prefix.
    pub dst: IpNet,
    /// Source prefix (IPv6 source routing).
    pub src: Option<IpNet>,
    /// `rtm_tos`.
    pub tos: u8,
    /// The metric, defaults filled in.
    pub priority: u32,
}

/// `IP6_RT_PRIO_USER`: the metric the kernel gives an IPv6 route added
/// without one (or with 0).
pub const IPV6_DEFAULT_METRIC: u32 = 1024;

/// `RTNL_FAMILY_IPMR`: IPv4 multicast routes.
const RTNL_FAMILY_IPMR: u8 = 128;
/// `RTNL_FAMILY_IP6MR`: IPv6 multicast routes.
const RTNL_FAMILY_IP6MR: u8 = 129;

fn is_v6(family: u8) -> Result<bool, DecodeError> {
    match AddrFamily(family) {
        AddrFamily::INET => Ok(false),
        AddrFamily::INET6 => Ok(true),
        _ if family == RTNL_FAMILY_IPMR => Ok(false),
        _ if family == RTNL_FAMILY_IP6MR => Ok(true),
        _ => Err(DecodeError::OutOfRange {
            what: "rtm_family",
            value: u64::from(family),
        }),
    }
}

fn ip_of(v6: bool, attr: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    if v6 {
        attr.ipv6().map(IpAddr::V6)
    } else {
        attr.ipv4().map(IpAddr::V4)
    }
}

fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}

fn prefix(addr: IpAddr, len: u8, what: &'static str) -> Result<IpNet, DecodeError> {
    IpNet::new(addr, len).map_err(|_| DecodeError::OutOfRange {
        what,
        value: u64::from(len),
    })
}

/// `struct rtvia`: a u16 family and the address.
pub(super) fn via(attr: &Attr<'_>) -> Result<IpAddr, DecodeError> {
    let p = attr.payload();
    let addr = Attr::new(attr.kind(), p.get(2..).unwrap_or_default());
    addr.ip()
}

impl Route {
    /// Decode an `RTM_NEWROUTE` (or `RTM_DELROUTE`) message.
    ///
    /// One pass over the attributes with a `match` on the type: no
    /// attribute table is built, so a 100k-route dump costs one walk per
    /// route. Attributes that identify the route or its path (`RTA_DST`,
    /// `RTA_SRC`, `RTA_GATEWAY`, `RTA_VIA`, `RTA_OIF`, `RTA_IIF`,
    /// `RTA_PRIORITY`, `RTA_TABLE`, `RTA_PREFSRC`, `RTA_MULTIPATH`) fail
    /// the decode when malformed; descriptive ones (`RTA_METRICS`,
    /// `RTA_CACHEINFO`, `RTA_MARK`, `RTA_PREF`, `RTA_EXPIRES`, `RTA_UID`,
    /// `RTA_NH_ID`, `RTA_FLOW`) are left unset. A framing error ends the
    /// walk and keeps what came before. Unknown attributes are ignored.
    ///
    /// Families: `AF_INET`, `AF_INET6` and the multicast
    /// `RTNL_FAMILY_IPMR`/`IP6MR` tables; others (e.g. `AF_MPLS`) are
    /// refused with [`DecodeError::OutOfRange`], which a dump loop can skip.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`] (short
    /// `rtmsg`), [`DecodeError::OutOfRange`] (family, prefix length),
    /// [`DecodeError::MissingAttr`] (a non-zero `rtm_dst_len` or
    /// `rtm_src_len` without its address), [`DecodeError::AttrSize`],
    /// [`DecodeError::BadLength`] (a broken `rtnexthop`).
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        Self::decode_into(msg, None)
    }

    /// Decode a route and its [`RouteExtras`] in one walk (as
    /// [`Route::decode`], with the same errors).
    ///
    /// # Errors
    ///
    /// As [`Route::decode`].
    pub fn decode_full(msg: &Msg<'_>) -> Result<(Self, RouteExtras), DecodeError> {
        let mut x = RouteExtras::default();
        let r = Self::decode_into(msg, Some(&mut x))?;
        Ok((r, x))
    }

    fn decode_into(msg: &Msg<'_>, mut x: Option<&mut RouteExtras>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<RtMsg>(msg, [RTM_NEWROUTE, RTM_DELROUTE], "rtmsg")?;
        let v6 = is_v6(hdr.family)?;
        let mut dst = None;
        let mut src = None;
        let mut table = None;
        let mut first_leg = None;
        let (mut encap, mut encap_type) = (None, None);
        let mut r = Self {
            family: AddrFamily(hdr.family),
            dst: IpNet::new(unspecified(v6), 0).unwrap_or_default(),
            src: None,
            tos: hdr.tos,
            table: u32::from(hdr.table),
            protocol: RouteProtocol(hdr.protocol),
            scope: Scope(hdr.scope),
            kind: RouteType(hdr.kind),
            flags: RouteFlags(hdr.flags.get()),
            gateway: None,
            oif: None,
            iif: None,
            priority: None,
            prefsrc: None,
            mtu: None,
            nh_id: None,
            multipath_legs: 0,
            legs_digest: LegsDigest::NONE,
            advmss: None,
            pref: None,
        };
        for attr in attrs.map_while(Result::ok) {
            match RouteAttr(attr.kind()) {
                RouteAttr::TABLE => table = Some(attr.u32()?),
                RouteAttr::DST => dst = Some(ip_of(v6, &attr)?),
                RouteAttr::SRC => src = Some(ip_of(v6, &attr)?),
                RouteAttr::OIF => r.oif = Some(attr.u32()?),
                RouteAttr::IIF => r.iif = Some(attr.u32()?),
                RouteAttr::GATEWAY => r.gateway = Some(ip_of(v6, &attr)?),
                RouteAttr::VIA => r.gateway = Some(via(&attr)?),
                RouteAttr::PRIORITY => r.priority = Some(attr.u32()?),
                RouteAttr::PREFSRC => r.prefsrc = Some(ip_of(v6, &attr)?),
                RouteAttr::METRICS => match x.as_deref_mut() {
                    Some(x) => {
                        x.metrics = Metrics::decode(&attr);
                        r.mtu = x.metrics.mtu();
                        r.advmss = x.metrics.advmss();
                    }
                    None => {
                        r.mtu = metric_of(&attr, Metric::MTU);
                        r.advmss = metric_of(&attr, Metric::ADVMSS);
                    }
                },
                RouteAttr::MULTIPATH => {
                    let (n, first) = decode_multipath(&attr, &mut r.legs_digest, x.as_deref_mut())?;
                    r.multipath_legs = r.multipath_legs.saturating_add(n);
                    first_leg = first_leg.or(first);
                }
                RouteAttr::PREF => {
                    r.pref = attr.u8().ok();
                    if let Some(x) = x.as_deref_mut() {
                        x.pref = r.pref;
                    }
                }
                RouteAttr::NH_ID => r.nh_id = attr.u32().ok(),
                // The kernel sends the nest before its type.
                RouteAttr::ENCAP => encap = Some(attr),
                RouteAttr::ENCAP_TYPE => encap_type = attr.u16().ok(),
                kind => {
                    if let Some(x) = x.as_deref_mut() {
                        x.rare(kind, &attr);
                    }
                }
            }
        }
        if let (Some(x), Some(kind), Some(e)) = (x, encap_type, &encap) {
            x.encap = Encap::decode(kind, e);
        }
        if let Some(t) = table {
            r.table = t;
        }
        // A one-leg multipath route is a plain route with that path.
        if let (1, Some(leg), None, None) = (r.multipath_legs, first_leg, r.gateway, r.oif) {
            r.gateway = leg.gateway;
            r.oif = Some(leg.ifindex);
        }
        r.dst = match dst {
            Some(a) => prefix(a, hdr.dst_len, "rtm_dst_len")?,
            None if hdr.dst_len == 0 => r.dst,
            None => {
                return Err(DecodeError::MissingAttr {
                    what: "rtmsg",
                    kind: RouteAttr::DST.0,
                });
            }
        };
        r.src = match src {
            Some(a) => Some(prefix(a, hdr.src_len, "rtm_src_len")?),
            None if hdr.src_len == 0 => None,
            None => {
                return Err(DecodeError::MissingAttr {
                    what: "rtmsg",
                    kind: RouteAttr::SRC.0,
                });
            }
        };
        Ok(r)
    }

    /// A unicast route to `dst` in the main table, to be used as desired
    /// state or a request: family from `dst`, protocol `UNSPEC`, scope
    /// [`Scope::NOWHERE`] (which the diff and the drivers read as "not
    /// stated": the kernel's or iproute2's default applies), everything
    /// else unset.
    pub fn new(dst: IpNet) -> Self {
        Self {
            family: AddrFamily::of(&dst.addr()),
            dst,
            src: None,
            tos: 0,
            table: Table::MAIN.0,
            protocol: RouteProtocol::UNSPEC,
            scope: Scope::NOWHERE,
            kind: RouteType::UNICAST,
            flags: RouteFlags::EMPTY,
            gateway: None,
            oif: None,
            iif: None,
            priority: None,
            prefsrc: None,
            mtu: None,
            nh_id: None,
            multipath_legs: 0,
            legs_digest: LegsDigest::NONE,
            advmss: None,
            pref: None,
        }
    }

    /// This route's identity, metric normalized as the kernel stores it
    /// (see [`RouteKey`]).
    pub fn key(&self) -> RouteKey {
        let v6 = self.family == AddrFamily::INET6;
        let priority = match self.priority {
            Some(0) | None if v6 => IPV6_DEFAULT_METRIC,
            p => p.unwrap_or(0),
        };
        RouteKey {
            family: self.family,
            table: self.table,
            dst: self.dst,
            src: self.src,
            tos: self.tos,
            priority,
        }
    }

    /// Whether this is a default route (`/0`).
    pub fn is_default(&self) -> bool {
        self.dst.prefix_len() == 0
    }

    /// Write this route as the kernel would report it: an `RTM_NEWROUTE`
    /// with `flags` in the header, for round trips and fake kernels.
    /// `rtm_table` holds the table id when it fits in 8 bits (else
    /// `RT_TABLE_COMPAT`, as the kernel does) and `RTA_TABLE` always
    /// carries it; a gateway of the other family goes in `RTA_VIA`. The
    /// legs of a multipath route are not part of a `Route`: write them
    /// with [`Route::emit_full`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        let mut metrics = Metrics::EMPTY;
        if let Some(m) = self.mtu {
            metrics.set(Metric::MTU, m);
        }
        if let Some(m) = self.advmss {
            metrics.set(Metric::ADVMSS, m);
        }
        w.message(RTM_NEWROUTE, flags, |w| {
            self.emit_body(w, &metrics, None)?;
            match self.pref {
                Some(p) => w.put_u8(RouteAttr::PREF.0, p),
                None => Ok(()),
            }
        })
    }

    /// [`Route::emit`] with the [`RouteExtras`] too: the inverse of
    /// [`Route::decode_full`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit_full<'w>(
        &self,
        extras: &RouteExtras,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        let mut metrics = extras.metrics;
        if let Some(m) = self.mtu {
            metrics.set(Metric::MTU, m);
        }
        w.message(RTM_NEWROUTE, flags, |w| {
            self.emit_body(w, &metrics, Some(extras))
        })
    }

    fn emit_body(
        &self,
        w: &mut MsgWriter<'_>,
        metrics: &Metrics,
        x: Option<&RouteExtras>,
    ) -> Result<(), EncodeError> {
        w.put_fixed(&RtMsg {
            family: self.family.0,
            dst_len: self.dst.prefix_len(),
            src_len: self.src.map_or(0, |s| s.prefix_len()),
            tos: self.tos,
            table: u8::try_from(self.table).unwrap_or(252 /* RT_TABLE_COMPAT */),
            protocol: self.protocol.0,
            scope: self.scope.0,
            kind: self.kind.0,
            flags: self.flags.0.into(),
        })?;
        w.put_u32(RouteAttr::TABLE.0, self.table)?;
        if self.dst.prefix_len() != 0 || !self.dst.addr().is_unspecified() {
            w.put_ip(RouteAttr::DST.0, self.dst.addr())?;
        }
        if let Some(s) = self.src {
            w.put_ip(RouteAttr::SRC.0, s.addr())?;
        }
        let u32s = [
            (RouteAttr::IIF, self.iif),
            (RouteAttr::OIF, self.oif),
            (RouteAttr::PRIORITY, self.priority),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        match self.gateway {
            Some(g) if g.is_ipv6() == is_v6(self.family.0).unwrap_or(g.is_ipv6()) => {
                w.put_ip(RouteAttr::GATEWAY.0, g)?;
            }
            Some(g) => put_via(w, RouteAttr::VIA.0, g)?,
            None => {}
        }
        if let Some(p) = self.prefsrc {
            w.put_ip(RouteAttr::PREFSRC.0, p)?;
        }
        metrics.emit(w)?;
        if let Some(n) = self.nh_id {
            w.put_u32(RouteAttr::NH_ID.0, n)?;
        }
        let Some(x) = x else {
            return Ok(());
        };
        if !x.multipath.is_empty() {
            // Unflagged, as the kernel emits it (`nla_nest_start_noflag`).
            w.nested_unflagged(RouteAttr::MULTIPATH.0, |w| {
                x.multipath.iter().try_for_each(|h| emit_hop(w, h))
            })?;
        }
        if let Some(p) = x.pref {
            w.put_u8(RouteAttr::PREF.0, p)?;
        }
        if let Some(e) = x.expires {
            match u32::try_from(e) {
                Ok(e) => w.put_u32(RouteAttr::EXPIRES.0, e)?,
                Err(_) => w.put_u64(RouteAttr::EXPIRES.0, e)?,
            }
        }
        if let Some(c) = &x.cache {
            w.put_struct(RouteAttr::CACHEINFO.0, c)?;
        }
        let u32s = [
            (RouteAttr::MARK, x.mark),
            (RouteAttr::UID, x.uid),
            (RouteAttr::FLOW, x.flow),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        match &x.encap {
            // A type without an encoder was decoded from its number alone.
            Some(Encap::Other(kind)) => {
                w.nested(RouteAttr::ENCAP.0, |_| Ok(()))?;
                w.put_u16(RouteAttr::ENCAP_TYPE.0, *kind)
            }
            Some(e) => e.put(w, RouteAttr::ENCAP.0, RouteAttr::ENCAP_TYPE.0),
            None => Ok(()),
        }
    }
}
