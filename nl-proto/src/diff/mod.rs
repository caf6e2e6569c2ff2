//! Desired vs observed state: which objects to create, update or delete.
//!
//! Pure functions over the decoded values themselves — desired and
//! observed are the same type ([`Route`], [`Address`], [`Neighbour`],
//! [`Rule`]) — that report each difference as a [`Change`] to a callback.
//! No allocation: both sides are sorted in place on the caller's storage
//! and merged in one pass, so 100k routes against 100k routes costs two
//! sorts and a linear walk.
//!
//! # Who owns what
//!
//! - **Routes** are owned by their `rtm_protocol` (two-way, [`routes`]):
//!   every observed route carrying the owner's protocol, in any table and
//!   either family, is the caller's — kept when desired, deleted when not.
//!   Routes of any other protocol (connected routes, DHCP, other daemons)
//!   are never updated and never deleted, but they hold their kernel
//!   identity: a desired route that one of them already satisfies (the
//!   connected route of an address, written out in desired state) is
//!   present; one that differs from it is a [`Change::Conflict`].
//! - **Addresses, neighbours and rules** are three-way ([`addresses`],
//!   [`neighbours`], [`rules`]): every observed object counts when
//!   matching desired (an address that is already there is not created
//!   again), but only one whose key is in the caller's `last_applied` set
//!   — what it installed before — is ever deleted. Foreign state that
//!   merely appeared is never touched.
//!
//! # Identity and what is compared
//!
//! Each object has a kernel identity (its *group*, e.g. a route's table,
//! family, destination, source and tos) plus an optional *rank* (a
//! route's metric, a rule's priority). A desired object that leaves its
//! rank out matches an observed one of any rank. Beyond identity, only
//! what the desired value states is compared (see each type's notes in
//! [`Object::satisfies`] implementations). An observed object that
//! differs in a stated field is an [`Change::Update`] (replace in place)
//! when the kernel can change every such field in place
//! ([`Object::in_place`]), otherwise a [`Change::Recreate`] (delete, then
//! create) when the caller owns it, or a [`Change::Conflict`] when it
//! does not: the diff never plans an update the kernel would acknowledge
//! and ignore.
//!
//! Matching within one group (routes to one prefix in one table) is a
//! scan of that group; the kernel keeps such groups small (one route per
//! metric), so the whole diff stays `O(n log n)`.
//!
//! # Example
//!
//! ```
//! use nl_proto::diff::{self, Change};
//! use nl_proto::route::route::{Route, RouteProtocol};
//!
//! let ours = RouteProtocol(76);
//! let mut desired = [Route::new("10.1.0.0/24".parse().unwrap())];
//! desired[0].gateway = Some("10.0.0.1".parse().unwrap());
//! // Observed: the same route via another gateway, and a stale one of ours.
//! let mut moved = desired[0].clone();
//! moved.gateway = Some("10.0.0.9".parse().unwrap());
//! moved.protocol = ours;
//! let mut stale = Route::new("10.2.0.0/24".parse().unwrap());
//! stale.protocol = ours;
//! let mut observed = [moved, stale];
//!
//! let (mut creates, mut updates, mut deletes) = (0, 0, 0);
//! diff::routes(&mut desired, &mut observed, ours, |c| match c {
//!     Change::Create(_) => creates += 1,
//!     Change::Update { .. } | Change::Recreate { .. } => updates += 1,
//!     Change::Delete(_) => deletes += 1,
//!     Change::Conflict { .. } => unreachable!("no foreign route here"),
//! });
//! assert_eq!((creates, updates, deletes), (0, 1, 1));
//! ```

mod objects;

use core::cmp::Ordering;

use crate::route::addr::Address;
use crate::route::neigh::Neighbour;
use crate::route::route::{Route, RouteFlags, RouteProtocol};
use crate::route::rule::Rule;

pub use objects::{route_rank, scope_is_default};

/// One difference between desired and observed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a, T> {
    /// Desired but absent: add it (leaving out what desired leaves out).
    Create(&'a T),
    /// Present with the same identity but a stated field differs: replace
    /// `observed` with `desired` in place. Where desired leaves its rank
    /// out (a route without a metric), the replacement must name
    /// `observed`'s rank, or the kernel would add a second object.
    Update {
        /// What should be there.
        desired: &'a T,
        /// What is there now.
        observed: &'a T,
    },
    /// Present with the same identity, owned, and a stated field differs
    /// that the kernel cannot change in place (an IPv4 address's label,
    /// an IPv6 address's prefix length): delete `observed`, then create
    /// `desired` — the kernel holds one of them at a time.
    Recreate {
        /// What should be there.
        desired: &'a T,
        /// What is there now, to delete first.
        observed: &'a T,
    },
    /// The identity desired names is held by an object the caller does
    /// not own and may not change (a route of another protocol, a
    /// foreign address that only a delete could change): left alone and
    /// reported, so nothing that depends on it is attempted either.
    Conflict {
        /// What should be there.
        desired: &'a T,
        /// The foreign object holding its identity.
        observed: &'a T,
    },
    /// Owned (by protocol, or through `last_applied`) and no longer
    /// desired: remove it.
    Delete(&'a T),
}

/// Which side of the diff a value is on: ranks read differently (a
/// desired route without a metric matches any; an observed IPv4 route
/// without `RTA_PRIORITY` has metric 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// What the caller wants.
    Desired,
    /// What the kernel reported.
    Observed,
}

/// An object the diff can compare: its kernel identity and what a
/// desired value states about it.
pub trait Object {
    /// The identity without the rank; the diff sorts and groups by it.
    type Group: Ord;
    /// The full identity of an observed object, as kept in a
    /// `last_applied` set.
    type Key: Ord;
    /// The identity without the rank.
    fn group(&self) -> Self::Group;
    /// The rank within the group (a route's metric, a rule's priority):
    /// on the desired side `None` means "any"; on the observed side it
    /// is the kernel's value, defaults filled in.
    fn rank(&self, side: Side) -> Option<u32>;
    /// The full identity of this (observed) object.
    fn key(&self) -> Self::Key;
    /// Whether `observed` (same identity) already has everything `self`
    /// (desired) states.
    fn satisfies(&self, observed: &Self) -> bool;
    /// Whether the kernel can bring `observed` to `self` in place
    /// (replace): every field in which they differ is one it rewrites
    /// on an update. Asked only when [`Object::satisfies`] is false.
    fn in_place(&self, observed: &Self) -> bool {
        let _ = observed;
        true
    }
    /// The rank the kernel gives this (desired) object when it is
    /// created: the stated one, or the default (a route without a metric
    /// gets 0, or 1024 for IPv6). A foreign object of another rank is no
    /// obstacle to the create.
    fn created_rank(&self) -> Option<u32> {
        self.rank(Side::Desired)
    }
}

/// Routes, owned by `protocol` (two-way). Sorts both slices in place and
/// calls `change` for every difference, in group order.
///
/// Cloned cache entries (`RTM_F_CLONED`) are invisible. Observed routes
/// of another protocol are never updated or deleted: a desired route
/// they satisfy is present, one they hold the identity of and differ
/// from is a [`Change::Conflict`]. Where a group holds both, desired
/// routes match the owner's first. A desired value's own `protocol` is
/// not compared: whatever is created or updated carries `protocol`.
/// Exact duplicates in `desired` (same identity and rank) count once.
pub fn routes<'a>(
    desired: &'a mut [Route],
    observed: &'a mut [Route],
    protocol: RouteProtocol,
    change: impl FnMut(Change<'a, Route>),
) {
    let owned = move |r: &Route| r.protocol == protocol;
    let rules = Ownership {
        visible: |r: &Route| !r.flags.contains(RouteFlags::CLONED),
        owned,
        update_foreign: false,
    };
    merge(desired, observed, &rules, change);
}

/// Whether observed route `o` alone settles desired route `d` in a
/// [`routes`] diff owned by `protocol`: `o` is visible, the owner's, of
/// `d`'s group and rank (when `d` states one), and has everything `d`
/// states. Then, for a group that holds no other desired route, the diff
/// reports nothing for `d` whatever else the group holds, and deletes
/// every other route of the owner's in it (one that also satisfies `d`
/// included: `d` keeps one of them). A reader can therefore decide `d` as
/// soon as such an `o` arrives, without keeping it (a streamed diff).
///
/// ```
/// use nl_proto::diff;
/// use nl_proto::route::route::{Route, RouteProtocol};
///
/// let ours = RouteProtocol(76);
/// let mut want = Route::new("10.1.0.0/24".parse().unwrap());
/// want.gateway = Some("10.0.0.1".parse().unwrap());
/// let mut have = want.clone();
/// have.protocol = ours;
/// assert!(diff::settles(&want, &have, ours));
/// have.protocol = RouteProtocol::STATIC; // someone else's
/// assert!(!diff::settles(&want, &have, ours));
/// ```
pub fn settles(d: &Route, o: &Route, protocol: RouteProtocol) -> bool {
    let rank = d.rank(Side::Desired);
    o.protocol == protocol
        && !o.flags.contains(RouteFlags::CLONED)
        && d.group() == o.group()
        && (rank.is_none() || rank == o.rank(Side::Observed))
        && d.satisfies(o)
}

/// Addresses, three-way: only those whose [`Address::key`] is in
/// `last_applied` are ever deleted. Sorts all three slices in place.
pub fn addresses<'a>(
    desired: &'a mut [Address],
    observed: &'a mut [Address],
    last_applied: &mut [<Address as Object>::Key],
    change: impl FnMut(Change<'a, Address>),
) {
    three_way(desired, observed, last_applied, change);
}

/// Neighbours, three-way: only those whose [`Neighbour::key`] is in
/// `last_applied` are ever deleted. Sorts all three slices in place.
pub fn neighbours<'a>(
    desired: &'a mut [Neighbour],
    observed: &'a mut [Neighbour],
    last_applied: &mut [<Neighbour as Object>::Key],
    change: impl FnMut(Change<'a, Neighbour>),
) {
    three_way(desired, observed, last_applied, change);
}

/// Policy rules, three-way: only those whose [`Rule::key`] is in
/// `last_applied` are ever deleted (the kernel's default rules never
/// are). Every field of a rule is part of its identity, so rules are
/// created and deleted, never updated. Sorts all three slices in place.
pub fn rules<'a>(
    desired: &'a mut [Rule],
    observed: &'a mut [Rule],
    last_applied: &mut [<Rule as Object>::Key],
    change: impl FnMut(Change<'a, Rule>),
) {
    three_way(desired, observed, last_applied, change);
}

/// Any [`Object`], three-way: every observed object is visible, and only
/// those whose key is in `last_applied` may be deleted or recreated. A
/// foreign object desired names is updated in place when the kernel can
/// do that (it then becomes the caller's); one only a delete could
/// change is a [`Change::Conflict`].
pub fn three_way<'a, T: Object>(
    desired: &'a mut [T],
    observed: &'a mut [T],
    last_applied: &mut [T::Key],
    change: impl FnMut(Change<'a, T>),
) {
    last_applied.sort_unstable();
    let applied: &[T::Key] = last_applied;
    let rules = Ownership {
        visible: |_: &T| true,
        owned: |o: &T| applied.binary_search(&o.key()).is_ok(),
        update_foreign: true,
    };
    merge(desired, observed, &rules, change);
}

/// Which observed objects the diff sees, which it may change, and how.
struct Ownership<V, O> {
    /// Objects that exist for the diff at all.
    visible: V,
    /// Objects the caller owns: deleted when not desired, recreated when
    /// only that brings them to desired.
    owned: O,
    /// Whether a foreign object may be updated in place.
    update_foreign: bool,
}

/// What to do with a desired object matched to an observed one.
fn decide<'a, T: Object, V, O: Fn(&T) -> bool>(
    rules: &Ownership<V, O>,
    desired: &'a T,
    observed: &'a T,
) -> Option<Change<'a, T>> {
    if desired.satisfies(observed) {
        return None;
    }
    let owned = (rules.owned)(observed);
    let in_place = desired.in_place(observed);
    Some(match (owned || rules.update_foreign, in_place, owned) {
        (true, true, _) => Change::Update { desired, observed },
        (_, false, true) => Change::Recreate { desired, observed },
        _ => Change::Conflict { desired, observed },
    })
}

/// Desired order: group, then stated ranks ascending, unstated last.
fn desired_order<T: Object>(a: &T, b: &T) -> Ordering {
    a.group()
        .cmp(&b.group())
        .then_with(|| match (a.rank(Side::Desired), b.rank(Side::Desired)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
}

fn observed_order<T: Object>(a: &T, b: &T) -> Ordering {
    a.group()
        .cmp(&b.group())
        .then_with(|| a.rank(Side::Observed).cmp(&b.rank(Side::Observed)))
}

/// The end of the group starting at `start`.
fn group_end<T: Object>(items: &[T], start: usize, group: &T::Group) -> usize {
    items
        .get(start..)
        .unwrap_or_default()
        .iter()
        .position(|x| x.group() != *group)
        .map_or(items.len(), |n| start + n)
}

/// The sort-and-merge both ownership models share.
fn merge<'a, T: Object, V: Fn(&T) -> bool, O: Fn(&T) -> bool>(
    desired: &'a mut [T],
    observed: &'a mut [T],
    rules: &Ownership<V, O>,
    mut change: impl FnMut(Change<'a, T>),
) {
    let visible = &rules.visible;
    desired.sort_unstable_by(desired_order);
    // Invisible objects go to the back, out of the merge.
    observed.sort_unstable_by(|a, b| {
        visible(b)
            .cmp(&visible(a))
            .then_with(|| observed_order(a, b))
    });
    let seen = observed
        .iter()
        .position(|o| !visible(o))
        .unwrap_or(observed.len());
    let observed = observed.get_mut(..seen).unwrap_or_default();

    // Match within each group by moving matched observed objects to the
    // front of their group (the slice is the caller's scratch space),
    // then hand out shared references.
    let mut pairs = Pairing::new(desired, observed);
    pairs.run(rules);
    let Pairing {
        desired, observed, ..
    } = pairs;
    let desired: &'a [T] = desired;
    let observed: &'a [T] = observed;
    emit(desired, observed, rules, &mut change);
}

/// Reorders the observed slice so that, within each group, the objects
/// matched to desired ones come first, in desired order.
struct Pairing<'s, T> {
    desired: &'s mut [T],
    observed: &'s mut [T],
}

impl<'s, T: Object> Pairing<'s, T> {
    fn new(desired: &'s mut [T], observed: &'s mut [T]) -> Self {
        Self { desired, observed }
    }

    fn run<V, O: Fn(&T) -> bool>(&mut self, rules: &Ownership<V, O>) {
        let (mut d, mut o) = (0, 0);
        while d < self.desired.len() || o < self.observed.len() {
            let ord = match (self.desired.get(d), self.observed.get(o)) {
                (Some(x), Some(y)) => x.group().cmp(&y.group()),
                (Some(_), None) => Ordering::Less,
                (None, _) => Ordering::Greater,
            };
            match ord {
                Ordering::Less => {
                    let g = self.desired[d].group();
                    d = group_end(self.desired, d, &g);
                }
                Ordering::Greater => {
                    let g = self.observed[o].group();
                    o = group_end(self.observed, o, &g);
                }
                Ordering::Equal => {
                    let g = self.desired[d].group();
                    let d_end = group_end(self.desired, d, &g);
                    let o_end = group_end(self.observed, o, &g);
                    self.pair_group(d..d_end, o..o_end, rules);
                    d = d_end;
                    o = o_end;
                }
            }
        }
    }

    /// Within one group: each desired object, stated ranks first, takes
    /// the best unmatched observed one — the same rank when stated; when
    /// there is a choice, one that already satisfies it (the caller's
    /// before a foreign one), then the caller's own — which is swapped
    /// to the front of the unmatched part.
    fn pair_group<V, O: Fn(&T) -> bool>(
        &mut self,
        d: core::ops::Range<usize>,
        o: core::ops::Range<usize>,
        rules: &Ownership<V, O>,
    ) {
        let mut free = o.start;
        let mut prev: Option<usize> = None;
        for i in d {
            if prev.is_some_and(|p| is_duplicate(&self.desired[p], &self.desired[i])) {
                continue;
            }
            prev = Some(i);
            let candidates = self.observed.get(free..o.end).unwrap_or_default();
            let pick = pick(&self.desired[i], candidates, rules);
            if let Some(k) = pick {
                self.observed.swap(free, free + k);
                free += 1;
            }
        }
    }
}

/// The observed object (of one group's unmatched `candidates`) that
/// desired `d` takes: the same rank when stated; when there is a choice,
/// one that already satisfies it (the caller's before a foreign one),
/// then the caller's own, then a foreign one that needs changing — one
/// that may be updated, or one in the way of the create.
fn pick<T: Object, V, O: Fn(&T) -> bool>(
    d: &T,
    candidates: &[T],
    rules: &Ownership<V, O>,
) -> Option<usize> {
    let owned = &rules.owned;
    let want = d.rank(Side::Desired);
    let fits = |x: &T| want.is_none() || x.rank(Side::Observed) == want;
    let created = d.created_rank();
    candidates
        .iter()
        .position(|x| fits(x) && owned(x) && d.satisfies(x))
        .or_else(|| candidates.iter().position(|x| fits(x) && d.satisfies(x)))
        .or_else(|| candidates.iter().position(|x| fits(x) && owned(x)))
        .or_else(|| {
            candidates.iter().position(|x| {
                fits(x) && (rules.update_foreign || x.rank(Side::Observed) == created)
            })
        })
}

/// A desired object identical in identity and rank to the previous one
/// of its group adds nothing.
fn is_duplicate<T: Object>(a: &T, b: &T) -> bool {
    a.group() == b.group() && a.rank(Side::Desired) == b.rank(Side::Desired)
}

/// Walk the paired slices again (same matching rule, now with shared
/// references that live as long as the caller's borrow) and report.
fn emit<'a, T: Object, V: Fn(&T) -> bool, O: Fn(&T) -> bool>(
    desired: &'a [T],
    observed: &'a [T],
    rules: &Ownership<V, O>,
    change: &mut impl FnMut(Change<'a, T>),
) {
    let deletable = &rules.owned;
    let (mut d, mut o) = (0, 0);
    let delete_rest = |from: usize, to: usize, change: &mut dyn FnMut(Change<'a, T>)| {
        for x in observed.get(from..to).unwrap_or_default() {
            if deletable(x) {
                change(Change::Delete(x));
            }
        }
    };
    while d < desired.len() || o < observed.len() {
        let ord = match (desired.get(d), observed.get(o)) {
            (Some(x), Some(y)) => x.group().cmp(&y.group()),
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                let g = desired[d].group();
                let end = group_end(desired, d, &g);
                let mut prev: Option<&T> = None;
                for x in desired.get(d..end).unwrap_or_default() {
                    if !prev.is_some_and(|p| is_duplicate(p, x)) {
                        change(Change::Create(x));
                    }
                    prev = Some(x);
                }
                d = end;
            }
            Ordering::Greater => {
                let g = observed[o].group();
                let end = group_end(observed, o, &g);
                delete_rest(o, end, change);
                o = end;
            }
            Ordering::Equal => {
                let g = desired[d].group();
                let d_end = group_end(desired, d, &g);
                let o_end = group_end(observed, o, &g);
                // Replay the pairing: matched observed objects sit at the
                // front of the group, in the order desired took them.
                let mut free = o;
                let mut prev: Option<&T> = None;
                for x in desired.get(d..d_end).unwrap_or_default() {
                    if prev.is_some_and(|p| is_duplicate(p, x)) {
                        continue;
                    }
                    prev = Some(x);
                    // The pairing took observed[free] exactly when a pick
                    // existed among the same unmatched set.
                    let unmatched = observed.get(free..o_end).unwrap_or_default();
                    let taken = pick(x, unmatched, rules).and_then(|_| observed.get(free));
                    match taken {
                        Some(y) => {
                            free += 1;
                            if let Some(c) = decide(rules, x, y) {
                                change(c);
                            }
                        }
                        None => change(Change::Create(x)),
                    }
                }
                delete_rest(free, o_end, change);
                d = d_end;
                o = o_end;
            }
        }
    }
}
