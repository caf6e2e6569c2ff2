//! The read of one round, streamed: each dumped entry is pushed as it
//! arrives, and a route that settles its desired route
//! ([`diff::settles`]) is decided there and dropped instead of kept.
//! What a no-op pass over 100,000 routes holds is then an index of the
//! desired routes (a hash of each group), not the observed routes.
//!
//! Only the routes the diff still needs are kept (the *residue*): those
//! in a group with no settled desired route, the owner's routes in groups
//! desired does not name (to delete), and the other routes of the owner
//! in a settled group (to delete too: [`diff::settles`] says why). A
//! foreign route in a group desired does not name can matter to nothing
//! and is dropped. [`plan`](super::plan) diffs the residue against the
//! desired routes not settled, exactly as it would diff everything.

use super::Desired;
use super::plan::Names;
use crate::monitor::{Snapshot, SnapshotDump, SnapshotEntry};
use crate::{Error, LinkId, RouteSpec};
use nl_proto::diff::{self, Object};
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::Address;
use nl_proto::route::route::{LegsDigest, Route, RouteFlags, RouteKey, Table};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::net::IpAddr;

/// A read in progress for a round: push every entry of every
/// [`SnapshotDump`](crate::monitor::SnapshotDump) into it, in any order,
/// then hand it to [`Pass::observation_done`](super::Pass::observation_done).
///
/// `D` holds the pass's desired state: `&Desired` for a read that ends
/// where it began ([`Conn::reconcile`](crate::Conn::reconcile)),
/// `Arc<Desired>` for one that lives in a driver's callbacks across
/// readiness events (nl-mio's `Reconciler`).
#[derive(Debug)]
pub struct Observation<D> {
    pub(super) desired: D,
    /// Everything read but routes; `routes` holds the residue.
    pub(super) snapshot: Snapshot,
    pub(super) index: RouteIndex,
    /// The links read so far, to resolve a desired route's `dev`.
    pub(super) names: Names,
    /// Whether `last_applied` holds qdiscs: they are read (to delete
    /// them) even when desired state names none.
    pub(super) tc_owned: bool,
}

impl<D: Borrow<Desired>> Observation<D> {
    /// An empty read for `desired`.
    pub fn new(desired: D) -> Self {
        let index = RouteIndex::new(desired.borrow());
        Self::with_index(desired, index)
    }

    pub(super) fn with_index(desired: D, mut index: RouteIndex) -> Self {
        if !index.is_for(desired.borrow()) {
            index = RouteIndex::new(desired.borrow());
        }
        index.settled.fill(false);
        index.next = None;
        Self {
            desired,
            snapshot: Snapshot::default(),
            index,
            names: Names::new(&[]),
            tc_owned: false,
        }
    }

    /// Forget everything pushed (a dump was interrupted: read again).
    pub fn clear(&mut self) {
        self.snapshot = Snapshot::default();
        self.index.settled.fill(false);
        self.index.next = None;
        self.names = Names::new(&[]);
    }

    /// Add one decoded entry.
    pub fn push(&mut self, entry: SnapshotEntry) {
        match entry {
            SnapshotEntry::Route(r) => self.route(r),
            SnapshotEntry::Link(l) => {
                self.names.add(&l);
                self.snapshot.push(SnapshotEntry::Link(l));
            }
            other => self.snapshot.push(other),
        }
    }

    /// Add every entry of `snapshot` (links first, so that routes can be
    /// decided as they come).
    pub fn extend(&mut self, snapshot: Snapshot) {
        let Snapshot {
            links,
            addresses,
            routes,
            neighbours,
            rules,
            nexthops,
            tc,
        } = snapshot;
        for l in links {
            self.names.add(&l);
            self.snapshot.links.push(l);
        }
        self.snapshot.addresses.extend(addresses);
        self.snapshot.neighbours.extend(neighbours);
        self.snapshot.rules.extend(rules);
        self.snapshot.nexthops.extend(nexthops);
        self.snapshot.tc.extend(tc);
        for r in routes {
            self.route(r);
        }
    }

    /// The dumps to run once every [`SnapshotDump::ALL`] is read: the
    /// traffic control of the links desired state's `qdiscs` name (the
    /// kernel dumps classes and filters per link), or none.
    ///
    /// [`SnapshotDump::ALL`]: crate::monitor::SnapshotDump::ALL
    pub fn follow_ups(&self) -> Vec<SnapshotDump> {
        let desired: &Desired = self.desired.borrow();
        super::qdiscs::dumps(&desired.qdiscs, self.tc_owned, |name| {
            self.names.resolve(&LinkId::Name(name.to_string())).ok()
        })
    }

    /// Decide an observed route now, or keep it for the diff.
    pub(super) fn route(&mut self, o: Route) {
        if o.flags.contains(RouteFlags::CLONED) {
            return;
        }
        let desired: &Desired = self.desired.borrow();
        let protocol = desired.protocol;
        let group = o.group();
        let keep = match self.index.lookup(&group, &desired.routes) {
            None => o.protocol == protocol,
            Some(Slot::Many) => true,
            Some(Slot::One(i)) => {
                let spec = &desired.routes[i as usize];
                let covering = |g| covering_link(&self.snapshot.addresses, g);
                match desired_route(spec, |l| self.names.resolve(l), covering) {
                    Ok(d) if d.group() != group => o.protocol == protocol,
                    Ok(d) if !self.index.settled[i as usize] && diff::settles(&d, &o, protocol) => {
                        self.index.settled[i as usize] = true;
                        self.index.next = i.checked_add(1);
                        false
                    }
                    // Another of the group, or not decidable yet (its
                    // link not read yet): the diff decides.
                    _ => true,
                }
            }
        };
        if keep {
            self.snapshot.routes.push(o);
        }
    }
}

/// The desired route `spec` as the diff compares it, links resolved by
/// `resolve`; a multipath leg that names only its gateway gets the link
/// the kernel will give it, the one `covering` says has an address whose
/// prefix holds the gateway.
///
/// # Errors
///
/// Bad input ([`RouteSpec::check`]), a link `resolve` does not know, a
/// multipath leg without a link whose gateway no address covers (or
/// addresses on several links do).
pub(super) fn desired_route(
    spec: &RouteSpec,
    resolve: impl Fn(&LinkId) -> Result<u32, Error>,
    covering: impl Fn(IpAddr) -> Option<u32>,
) -> Result<Route, Error> {
    spec.check()?;
    let oif = spec.dev.as_ref().map(&resolve).transpose()?;
    let mut route = spec.to_route(oif);
    if !spec.nexthops.is_empty() {
        let legs = spec
            .nexthops
            .iter()
            .map(|h| {
                let link = match (&h.dev, h.gateway) {
                    (Some(d), _) => resolve(d)?,
                    (None, Some(g)) => covering(g).ok_or_else(|| {
                        Error::Invalid(format!(
                            "route {}: next hop via {g} names no \"dev\" and no address on one link covers {g}",
                            spec.dst
                        ))
                    })?,
                    (None, None) => {
                        return Err(Error::Invalid(format!(
                            "route {}: a next hop needs \"via\" or \"dev\"",
                            spec.dst
                        )));
                    }
                };
                Ok(h.to_leg(Some(link)))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        route.legs_digest = LegsDigest::of(&legs);
    }
    Ok(route)
}

/// The one link whose addresses cover `gateway` (the link of its
/// connected route, which the kernel gives a leg without a link).
pub(super) fn covering_link<'a>(
    addresses: impl IntoIterator<Item = &'a Address>,
    gateway: IpAddr,
) -> Option<u32> {
    let mut found = None;
    for a in addresses {
        if a.peer.is_none() && a.prefix().contains(&gateway) && a.local != gateway {
            match found {
                None => found = Some(a.index),
                Some(i) if i == a.index => {}
                Some(_) => return None,
            }
        }
    }
    found
}

/// Which desired routes a group hash stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Exactly one desired route, by its index in [`Desired::routes`].
    One(u32),
    /// Several (one group, or a hash collision): the diff decides them.
    Many,
}

/// The desired routes by a hash of their group (16 bytes each, not the
/// routes themselves), and which of them this round's read settled.
/// Built once per pass: it depends on desired state only.
#[derive(Debug)]
pub(super) struct RouteIndex {
    slots: HashMap<u64, Slot, BuildHasherDefault<Fold>>,
    pub(super) settled: Vec<bool>,
    /// Whether desired route `i` is [`Slot::One`] of its group's hash.
    alone: Vec<bool>,
    /// The desired route after the last one settled: where the next
    /// observed route is looked for first. A dump lists a table in key
    /// order, and desired state written (or generated) in that order then
    /// finds each route there, without a lookup that misses the cache.
    next: Option<u32>,
    /// Which desired routes it was built for.
    of: (usize, usize),
}

impl RouteIndex {
    pub(super) fn new(desired: &Desired) -> Self {
        let mut slots: HashMap<u64, Slot, BuildHasherDefault<Fold>> = HashMap::default();
        slots.reserve(desired.routes.len());
        for (i, spec) in desired.routes.iter().enumerate() {
            let h = hash(&group_of(spec));
            let one = u32::try_from(i).map_or(Slot::Many, Slot::One);
            slots
                .entry(h)
                .and_modify(|s| *s = Slot::Many)
                .or_insert(one);
        }
        let mut alone = vec![false; desired.routes.len()];
        for slot in slots.values() {
            if let Slot::One(i) = *slot {
                alone[i as usize] = true;
            }
        }
        Self {
            slots,
            alone,
            next: None,
            settled: vec![false; desired.routes.len()],
            of: Self::identity(desired),
        }
    }

    fn identity(desired: &Desired) -> (usize, usize) {
        (desired.routes.as_ptr() as usize, desired.routes.len())
    }

    fn is_for(&self, desired: &Desired) -> bool {
        self.of == Self::identity(desired)
    }

    pub(super) fn slot(&self, group: &RouteKey) -> Option<Slot> {
        self.slots.get(&hash(group)).copied()
    }

    /// [`RouteIndex::slot`], trying the desired route after the last
    /// settled one first (`routes` are the desired routes it indexes).
    pub(super) fn lookup(&self, group: &RouteKey, routes: &[RouteSpec]) -> Option<Slot> {
        if let Some(i) = self.next {
            let next = routes.get(i as usize);
            if self.alone.get(i as usize) == Some(&true)
                && next.map(group_of).as_ref() == Some(group)
            {
                return Some(Slot::One(i));
            }
        }
        self.slot(group)
    }

    /// Whether desired route `i` is settled, alone in its group.
    pub(super) fn is_settled(&self, i: usize) -> bool {
        self.settled.get(i).copied().unwrap_or(false)
    }
}

/// The group of `spec`'s route: `spec.to_route(None).group()`, without
/// building the route (the index takes one per desired route each pass).
fn group_of(spec: &RouteSpec) -> RouteKey {
    let dst = spec.dst.trunc();
    RouteKey {
        family: AddrFamily::of(&dst.addr()),
        table: spec.table_to_send().unwrap_or(Table::MAIN.0),
        dst,
        src: None,
        tos: 0,
        priority: 0,
    }
}

fn hash(group: &RouteKey) -> u64 {
    let mut h = Fold::default();
    group.hash(&mut h);
    h.finish()
}

/// A small multiply-and-rotate hash (no per-process key: the index is
/// private and short-lived, and a collision only sends routes to the
/// full diff).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Fold(u64);

impl Fold {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // Mix the high bits down: the table picks buckets from the low ones.
        self.0 ^ (self.0 >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::links::tests::observed;
    use crate::reconcile::{Action, LastApplied, plan};
    use nl_proto::route::addr::Scope;
    use nl_proto::route::route::RouteProtocol;

    fn kernel_form(spec: &RouteSpec, protocol: RouteProtocol) -> Route {
        let mut r = spec.to_route(Some(2));
        r.protocol = protocol;
        r.scope = Scope::UNIVERSE;
        r
    }

    fn desired() -> Desired {
        let mut d = Desired::new();
        d.routes = vec![
            RouteSpec::new("10.1.0.0/24".parse().unwrap()).dev("v0"),
            RouteSpec::new("10.2.0.0/24".parse().unwrap()).via("10.0.0.1".parse().unwrap()),
            // Two in one group: the diff decides them.
            RouteSpec::new("10.3.0.0/24".parse().unwrap()).metric(5),
            RouteSpec::new("10.3.0.0/24".parse().unwrap()).metric(6),
        ];
        d
    }

    /// The index's group of a spec is its route's group.
    #[test]
    fn group_of_is_the_routes_group() {
        let mut specs = desired().routes;
        specs.push(RouteSpec::new("2001:db8:64::1/64".parse().unwrap()).table(7));
        specs.push(
            RouteSpec::new("10.4.0.0/24".parse().unwrap())
                .kind(nl_proto::route::route::RouteType::LOCAL),
        );
        for s in &specs {
            assert_eq!(group_of(s), s.to_route(None).group(), "{s:?}");
        }
    }

    /// Looking at the route after the last settled one first finds what
    /// the hash finds, wherever the hint points.
    #[test]
    fn hinted_lookup_is_the_slot() {
        let d = desired();
        let mut index = RouteIndex::new(&d);
        let mut groups: Vec<RouteKey> = d.routes.iter().map(group_of).collect();
        groups.push(group_of(&RouteSpec::new("10.9.0.0/24".parse().unwrap())));
        for next in [None, Some(0), Some(1), Some(2), Some(3), Some(4)] {
            index.next = next;
            for g in &groups {
                assert_eq!(index.lookup(g, &d.routes), index.slot(g), "{next:?} {g:?}");
            }
        }
    }

    /// A read streamed in any order plans what the diff of everything
    /// plans: settled routes need nothing, the owner's extra route in a
    /// settled group is deleted, a foreign route elsewhere is dropped, a
    /// group of two goes to the diff, a route read before its link waits
    /// for the diff.
    #[test]
    fn streamed_read_plans_as_the_whole_diff() {
        let d = desired();
        let ours = d.protocol;
        let mut extra = kernel_form(&d.routes[1], ours);
        extra.priority = Some(9);
        let mut foreign = kernel_form(&RouteSpec::new("10.9.0.0/24".parse().unwrap()), ours);
        foreign.protocol = RouteProtocol::STATIC;
        let routes = vec![
            kernel_form(&d.routes[0], ours),
            extra,
            kernel_form(&d.routes[1], ours),
            foreign,
            kernel_form(&d.routes[2], ours),
        ];
        let snapshot = Snapshot {
            links: vec![observed(2, "v0")],
            routes: routes.clone(),
            ..Snapshot::default()
        };
        let whole = plan(&d, snapshot, &LastApplied::new()).unwrap();
        let ops = |p: &super::super::Plan| {
            p.steps()
                .iter()
                .map(|s| format!("{} {:?}", s.action.as_str(), s.op))
                .collect::<Vec<_>>()
        };
        // The extra route deleted, the metric-6 route created.
        let actions: Vec<Action> = whole.steps().iter().map(|s| s.action).collect();
        assert_eq!(
            actions,
            [Action::Create, Action::Delete],
            "{:?}",
            ops(&whole)
        );

        // Streamed, routes before the link: the route out of v0 cannot
        // settle before v0 is known (the one via a gateway does).
        let mut read = Observation::new(&d);
        for r in routes.iter().cloned() {
            read.push(SnapshotEntry::Route(r));
        }
        read.push(SnapshotEntry::Link(Box::new(observed(2, "v0"))));
        assert_eq!(read.snapshot.routes.len(), 3, "{:?}", read.snapshot.routes);
        let late = super::super::plan::plan_observed(read, &LastApplied::new()).unwrap();
        assert_eq!(ops(&late), ops(&whole));

        // Streamed, link first: both lone routes settle and are not kept;
        // the foreign route is dropped.
        let mut read = Observation::new(&d);
        read.push(SnapshotEntry::Link(Box::new(observed(2, "v0"))));
        for r in routes.iter().cloned() {
            read.push(SnapshotEntry::Route(r));
        }
        assert_eq!(read.snapshot.routes.len(), 2, "{:?}", read.snapshot.routes);
        let early = super::super::plan::plan_observed(read, &LastApplied::new()).unwrap();
        assert_eq!(ops(&early), ops(&whole));
    }
}
