//! What identifies each rtnetlink object, and what a desired value states.

use super::{Object, Side};
use crate::route::AddrFamily;
use crate::route::addr::{AddrFlags, Address, AddressKey, Scope};
use crate::route::neigh::{NeighFlags, Neighbour, NeighbourKey, NudState};
use crate::route::route::{
    IPV6_DEFAULT_METRIC, LegsDigest, Route, RouteFlags, RouteKey, RouteType,
};
use crate::route::rule::{Rule, RuleKey};

/// A route's metric on `side`: desired `None` is "any"; the kernel
/// stores an IPv6 metric of 0 (or none) as 1024 and reports an IPv4
/// metric of 0 by leaving `RTA_PRIORITY` out.
pub fn route_rank(r: &Route, side: Side) -> Option<u32> {
    match side {
        Side::Desired if r.family == AddrFamily::INET6 => r
            .priority
            .map(|p| if p == 0 { IPV6_DEFAULT_METRIC } else { p }),
        Side::Desired => r.priority,
        Side::Observed => Some(r.key().priority),
    }
}

/// Whether a desired scope leaves the choice to the default:
/// [`Scope::NOWHERE`], which no installed route or address has, is what
/// [`Route::new`] and [`Address::new`] set.
pub fn scope_is_default(s: Scope) -> bool {
    s == Scope::NOWHERE
}

fn stated<T: PartialEq>(desired: Option<T>, observed: Option<T>) -> bool {
    desired.is_none() || desired == observed
}

/// The route flags a caller sets (`onlink`); the rest are the kernel's.
const ROUTE_FLAGS_SET_BY_CALLER: RouteFlags = RouteFlags::ONLINK;

impl Object for Route {
    type Group = RouteKey;
    type Key = RouteKey;

    fn group(&self) -> RouteKey {
        RouteKey {
            priority: 0,
            ..self.key()
        }
    }

    fn rank(&self, side: Side) -> Option<u32> {
        route_rank(self, side)
    }

    fn created_rank(&self) -> Option<u32> {
        Some(Route::key(self).priority)
    }

    fn key(&self) -> RouteKey {
        Route::key(self)
    }

    /// Compared: type; the path — with a nexthop object (`nh_id`) that
    /// object alone (the kernel also reports the nexthop's gateway and
    /// link, `nexthop_compat_mode`), otherwise the gateway (none means a
    /// direct route) and the number of multipath legs (a one-leg
    /// multipath is a plain route, as [`Route::decode`] reads it) and
    /// their [`LegsDigest`] (gateway, link, weight, `onlink` of each); the
    /// `onlink` flag; and, when desired states them, output link,
    /// preferred source, scope, MTU, advertised MSS, IPv6 router
    /// preference. A plain route through a nexthop object matches one
    /// dumped as `blackhole`: the kernel reports every route through a
    /// blackhole nexthop so. Not compared: protocol
    /// (ownership), cache info, expiry, the kernel's flags.
    fn satisfies(&self, o: &Self) -> bool {
        let kind = |k: RouteType| {
            if k == RouteType::UNSPEC {
                RouteType::UNICAST
            } else {
                k
            }
        };
        let legs = |r: &Route| {
            if r.multipath_legs > 1 {
                (r.multipath_legs, r.legs_digest)
            } else {
                (0, LegsDigest::NONE)
            }
        };
        let caller = |r: &Route| r.flags.0 & ROUTE_FLAGS_SET_BY_CALLER.0;
        let path = match self.nh_id {
            Some(id) => o.nh_id == Some(id),
            None => {
                o.nh_id.is_none()
                    && self.gateway == o.gateway
                    && stated(self.oif, o.oif)
                    && legs(self) == legs(o)
            }
        };
        // The kernel dumps a route through a blackhole nexthop object as
        // `blackhole` whatever its stored type (`fib_dump_info`): a plain
        // route with that id is what desired state asked for.
        let through_blackhole = self.nh_id.is_some()
            && kind(self.kind) == RouteType::UNICAST
            && o.kind == RouteType::BLACKHOLE;
        (kind(self.kind) == kind(o.kind) || through_blackhole)
            && path
            && stated(self.prefsrc, o.prefsrc)
            && (scope_is_default(self.scope) || self.scope == o.scope)
            && caller(self) == caller(o)
            && stated(self.mtu, o.mtu)
            && stated(self.advmss, o.advmss)
            && stated(self.pref, o.pref)
    }
}

/// The address flags a caller sets; the others (`permanent`,
/// `tentative`, `dadfailed`, …) are the kernel's.
const ADDR_FLAGS_SET_BY_CALLER: AddrFlags = AddrFlags(
    AddrFlags::NODAD.0
        | AddrFlags::HOMEADDRESS.0
        | AddrFlags::MANAGETEMPADDR.0
        | AddrFlags::NOPREFIXROUTE.0
        | AddrFlags::MCAUTOJOIN.0,
);

fn settable(f: AddrFlags) -> AddrFlags {
    AddrFlags(f.0 & ADDR_FLAGS_SET_BY_CALLER.0)
}

/// `u32::MAX` seconds is the kernel's "forever".
const FOREVER: u32 = u32::MAX;

/// Whether an observed remaining lifetime fits a desired one. Desired
/// `None` (or `u32::MAX`) is forever, and only forever fits it.
///
/// A finite lifetime counts down: the kernel reports what remains, not
/// what was set. So a remaining lifetime fits a desired `d` while it is
/// no longer than `d` and at least half of it: an address keeps the
/// lifetime desired state gives it, refreshed (replaced in place) once
/// half of it has gone — at most one change per `d / 2` seconds, never
/// one per pass — and a desired lifetime raised above twice what remains,
/// or lowered below it, is applied on the next pass. (A raise to less
/// than twice the remainder is applied at the next refresh.)
fn lifetime_fits(desired: Option<u32>, observed: Option<u32>) -> bool {
    let o = observed.unwrap_or(FOREVER);
    match desired.unwrap_or(FOREVER) {
        FOREVER => o == FOREVER,
        d => o != FOREVER && o <= d && u64::from(o) * 2 >= u64::from(d),
    }
}

/// The prefix route's metric: the kernel reports 0 by leaving
/// `IFA_RT_PRIORITY` out.
fn addr_metric(a: &Address) -> u32 {
    a.rt_priority.unwrap_or(0)
}

impl Object for Address {
    type Group = AddressKey;
    type Key = AddressKey;

    /// IPv4 by (link, address, prefix length): `10.0.0.2/24` and
    /// `10.0.0.2/16` coexist. IPv6 by (link, address): the kernel holds one
    /// `2001:db8::2` per link whatever its prefix length, so a changed
    /// prefix length is the same object, recreated.
    fn group(&self) -> AddressKey {
        let mut k = self.key();
        if self.family == AddrFamily::INET6 {
            k.prefix_len = 0;
        }
        k
    }

    fn rank(&self, _: Side) -> Option<u32> {
        None
    }

    fn key(&self) -> AddressKey {
        Address::key(self)
    }

    /// Compared: the prefix length; the flags a caller sets (`nodad`,
    /// `noprefixroute`, …; exactly); the lifetimes (absent is forever;
    /// see `lifetime_fits`); and, when desired states them, peer,
    /// broadcast, label, the prefix route's metric, and (IPv4 only) the
    /// scope. An IPv6 address's scope is derived by the kernel from the
    /// address, whatever a request says, so it is never compared.
    fn satisfies(&self, o: &Self) -> bool {
        let v6 = self.family == AddrFamily::INET6;
        self.prefix_len == o.prefix_len
            && stated(self.peer, o.peer)
            && stated(self.broadcast, o.broadcast)
            && stated(self.label.as_ref(), o.label.as_ref())
            && (v6 || scope_is_default(self.scope) || self.scope == o.scope)
            && settable(o.flags) == settable(self.flags)
            && self.rt_priority.is_none_or(|m| m == addr_metric(o))
            && lifetime_fits(self.valid_lft, o.valid_lft)
            && lifetime_fits(self.preferred_lft, o.preferred_lft)
    }

    /// What `RTM_NEWADDR` with `NLM_F_REPLACE` changes. IPv4
    /// (`inet_rtm_newaddr`): only the prefix route's metric and the
    /// lifetimes — label, broadcast, scope, peer and flags stay as they
    /// were. IPv6 (`inet6_addr_modify`): the lifetimes, the caller's
    /// flags except `autojoin` (joined only on create), and a non-zero
    /// metric; never the prefix length or the peer.
    fn in_place(&self, o: &Self) -> bool {
        if self.family == AddrFamily::INET6 {
            let join = |f: AddrFlags| f.contains(AddrFlags::MCAUTOJOIN);
            self.prefix_len == o.prefix_len
                && stated(self.peer, o.peer)
                && join(self.flags) == join(o.flags)
                && self
                    .rt_priority
                    .is_none_or(|m| m != 0 || addr_metric(o) == 0)
        } else {
            stated(self.peer, o.peer)
                && stated(self.broadcast, o.broadcast)
                && stated(self.label.as_ref(), o.label.as_ref())
                && (scope_is_default(self.scope) || self.scope == o.scope)
                && settable(o.flags) == settable(self.flags)
        }
    }
}

impl Object for Neighbour {
    type Group = NeighbourKey;
    type Key = NeighbourKey;

    fn group(&self) -> NeighbourKey {
        self.key()
    }

    fn rank(&self, _: Side) -> Option<u32> {
        None
    }

    fn key(&self) -> NeighbourKey {
        Neighbour::key(self)
    }

    /// Compared: the `router` and `proxy` flags (exactly); when desired
    /// states them, the link-layer address and the state. `NONE` is any
    /// state; `permanent` and `noarp` are compared exactly; a state the
    /// kernel moves on by itself (`reachable`, `stale`, `delay`, `probe`)
    /// is satisfied by any of those, so an entry set reachable that went
    /// stale is not set again.
    fn satisfies(&self, o: &Self) -> bool {
        let caller = |f: NeighFlags| NeighFlags(f.0 & (NeighFlags::ROUTER.0 | NeighFlags::PROXY.0));
        let moving = NudState(
            NudState::REACHABLE.0 | NudState::STALE.0 | NudState::DELAY.0 | NudState::PROBE.0,
        );
        let in_moving = |s: NudState| s.0 & moving.0 != 0 && s.0 & !moving.0 == 0;
        let state = self.state == NudState::NONE
            || self.state == o.state
            || (in_moving(self.state) && in_moving(o.state));
        stated(self.lladdr, o.lladdr) && state && caller(o.flags) == caller(self.flags)
    }
}

impl Object for Rule {
    type Group = RuleKey;
    type Key = RuleKey;

    fn group(&self) -> RuleKey {
        RuleKey {
            priority: 0,
            ..self.key()
        }
    }

    fn rank(&self, side: Side) -> Option<u32> {
        match side {
            Side::Desired => self.priority,
            Side::Observed => Some(self.pref()),
        }
    }

    fn key(&self) -> RuleKey {
        Rule::key(self)
    }

    /// Everything a rule states is its identity.
    fn satisfies(&self, _: &Self) -> bool {
        true
    }
}
