//! The `diff_converge` body: the diff against arbitrary observed state,
//! applied to a model of the kernel, converges.

use super::Input;
use crate::IpNet;
use crate::diff::{self, Change, Object};
use crate::route::AddrFamily;
use crate::route::addr::{Address, Scope};
use crate::route::neigh::{NeighFlags, Neighbour, NudState};
use crate::route::route::{Route, RouteFlags, RouteProtocol, RouteType};
use crate::route::rule::Rule;
use crate::values::Mac;
use core::fmt::Debug;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Objects per side: small, so identities collide often.
const N: usize = 8;
/// Changes one diff may report (at most one per desired plus one per
/// observed object).
const CHANGES: usize = 2 * N;
/// The owner of routes.
const OURS: RouteProtocol = RouteProtocol(76);

type List<T> = heapless::Vec<T, N>;
/// The model kernel's table: observed plus what the diff creates.
type State<T> = heapless::Vec<T, CHANGES>;

fn state_of<T: Clone>(observed: &[T]) -> State<T> {
    State::from_slice(observed).unwrap_or_else(|_| panic!("state holds observed"))
}

/// The diff of one object family, applied to a model of the kernel.
///
/// Input: byte 0 picks routes, addresses, neighbours or rules; then up
/// to 8 desired and 8 observed objects, each field a byte taken modulo
/// a small set of values (so identities collide), and for the three-way
/// kinds one byte per object saying whether its key is in
/// `last_applied`. Observed state is what a kernel could report (one
/// object per kernel key, defaults filled in); desired state holds no
/// two objects the kernel would store as one.
///
/// The model applies the changes as the reconcile planner sends them
/// (creates, updates and recreates first, deletes last) and as the kernel
/// would: a create of a key it holds fails (`EEXIST`), an update or
/// delete of an object it does not hold fails (`ENOENT`). Checks: no
/// panic; no change fails; no route of another protocol, and no object
/// outside `last_applied`, is deleted or recreated; a conflict names a
/// foreign object; objects neither desired nor owned are unchanged; and
/// a second diff over the result reports nothing but conflicts.
pub fn diff_converge(data: &[u8]) {
    let mut input = Input::new(data);
    match input.u8() % 4 {
        0 => routes(&mut input),
        1 => three_way(&mut input, address, settle_address),
        2 => three_way(&mut input, neighbour, settle_neighbour),
        _ => three_way(&mut input, rule, settle_rule),
    }
}

/// A list of up to [`N`] objects from `make`, without two of the same
/// `same` value (the first is kept).
fn list<T, K: PartialEq>(
    input: &mut Input<'_>,
    make: impl Fn(&mut Input<'_>) -> T,
    same: impl Fn(&T) -> K,
) -> List<T> {
    let n = usize::from(input.u8()) % (N + 1);
    let mut out = List::new();
    for _ in 0..n {
        let x = make(input);
        if !out.iter().any(|y| same(y) == same(&x)) {
            let _ = out.push(x);
        }
    }
    out
}

fn pick<T: Copy>(input: &mut Input<'_>, from: &[T]) -> T {
    from[usize::from(input.u8()) % from.len()]
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn v6(last: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, last))
}

fn net(addr: IpAddr, len: u8) -> IpNet {
    IpNet::new(addr, len).unwrap_or_else(|_| panic!("a valid prefix length"))
}

// Routes ---------------------------------------------------------------

/// A desired route: one of six destinations in two tables, any gateway
/// of its family, metric unstated or stated, output link, scope, type.
fn desired_route(input: &mut Input<'_>) -> Route {
    let dsts = [
        net(v4(10, 1, 0, 0), 24),
        net(v4(10, 2, 0, 0), 16),
        net(v4(0, 0, 0, 0), 0),
        net(v6(0), 64),
        net(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0),
        net(v4(10, 1, 0, 0), 25),
    ];
    let mut r = Route::new(pick(input, &dsts));
    r.table = pick(input, &[254, 100]);
    let v6 = r.family == AddrFamily::INET6;
    r.gateway = match (v6, input.u8() % 3) {
        (_, 0) => None,
        (false, g) => Some(v4(10, 0, 0, g)),
        (true, g) => Some(self::v6(u16::from(g))),
    };
    r.priority = pick(input, &[None, Some(0), Some(10), Some(1024)]);
    r.oif = pick(input, &[None, Some(2), Some(3)]);
    r.scope = pick(input, &[Scope::NOWHERE, Scope::UNIVERSE, Scope::LINK]);
    r.kind = pick(
        input,
        &[RouteType::UNSPEC, RouteType::UNICAST, RouteType::BLACKHOLE],
    );
    r
}

/// An observed route, as the kernel reports one: ours or another
/// protocol's, the metric filled in (no `RTA_PRIORITY` for an IPv4
/// metric 0, 1024 for an IPv6 route without one), scope and output
/// link filled in, sometimes multipath, sometimes a cached clone.
fn observed_route(input: &mut Input<'_>) -> Route {
    let mut r = desired_route(input);
    r.protocol = pick(
        input,
        &[OURS, OURS, RouteProtocol::STATIC, RouteProtocol::KERNEL],
    );
    r.priority = pick(input, &[None, Some(0), Some(5), Some(10), Some(1024)]);
    if r.scope == Scope::NOWHERE {
        r.scope = Scope::UNIVERSE;
    }
    r.kind = if r.kind == RouteType::UNSPEC {
        RouteType::UNICAST
    } else {
        r.kind
    };
    match input.u8() % 8 {
        0 => {
            r.multipath_legs = 2;
            r.gateway = None;
            r.oif = None;
        }
        1 => r.flags = RouteFlags::CLONED,
        _ => r.oif = r.oif.or(Some(2)),
    }
    settle_route_metric(&mut r);
    r
}

/// The metric as the kernel reports it: `RTA_PRIORITY` left out for
/// IPv4 metric 0, 1024 for IPv6 without one.
fn settle_route_metric(r: &mut Route) {
    r.priority = Some(r.key().priority).filter(|&p| p != 0);
}

/// What the kernel holds after creating desired `d` (or replacing
/// `observed` with it): ours, the metric and defaults filled in.
fn settle_route(d: &Route, observed: Option<&Route>) -> Route {
    let mut r = d.clone();
    r.protocol = OURS;
    if r.priority.is_none() {
        r.priority = observed.and_then(|o| o.priority);
    }
    settle_route_metric(&mut r);
    if r.scope == Scope::NOWHERE {
        r.scope = observed.map_or(Scope::UNIVERSE, |o| o.scope);
    }
    if r.kind == RouteType::UNSPEC {
        r.kind = RouteType::UNICAST;
    }
    r.oif = r.oif.or(Some(2));
    r
}

fn routes(input: &mut Input<'_>) {
    let desired = list(input, desired_route, |r| (r.group(), r.created_rank()));
    let observed = list(input, observed_route, |r| {
        (r.key(), r.flags.contains(RouteFlags::CLONED))
    });
    let (mut d, mut o) = (desired.clone(), observed.clone());
    let mut changes: heapless::Vec<Change<'_, Route>, CHANGES> = heapless::Vec::new();
    diff::routes(&mut d, &mut o, OURS, |c| {
        changes
            .push(c)
            .unwrap_or_else(|_| panic!("more changes than objects"));
    });
    let ours = |r: &Route| r.protocol == OURS && !r.flags.contains(RouteFlags::CLONED);
    let mut state = state_of(&observed);
    let model = Model {
        key: |r: &Route| (r.key(), r.flags.contains(RouteFlags::CLONED)),
        settle: settle_route,
        owned: &ours,
    };
    model.apply(&mut state, &changes, false);
    // Foreign routes (and cached clones) are as they were.
    for r in observed.iter().filter(|r| !ours(r)) {
        assert_eq!(
            count(&observed, r),
            count(&state, r),
            "foreign route changed: {r:?}"
        );
    }
    let (mut d, mut again) = (desired.clone(), state.clone());
    diff::routes(&mut d, &mut again, OURS, |c| {
        assert!(
            matches!(c, Change::Conflict { .. }),
            "a second diff still changes: {c:?}\nstate {state:?}"
        );
    });
}

// Addresses, neighbours, rules -----------------------------------------

fn address(input: &mut Input<'_>) -> Address {
    let prefixes = [
        net(v4(10, 0, 0, 1), 24),
        net(v4(10, 0, 0, 2), 24),
        net(v4(10, 0, 0, 1), 16),
        net(v6(1), 64),
        net(v6(1), 48),
    ];
    let mut a = Address::new(pick(input, &[1, 2]), pick(input, &prefixes));
    a.scope = pick(input, &[Scope::NOWHERE, Scope::UNIVERSE, Scope::LINK]);
    a
}

fn settle_address(d: &Address, observed: Option<&Address>) -> Address {
    let mut a = d.clone();
    if a.scope == Scope::NOWHERE {
        a.scope = observed.map_or(Scope::UNIVERSE, |o| o.scope);
    }
    a
}

fn neighbour(input: &mut Input<'_>) -> Neighbour {
    let dsts = [v4(10, 0, 0, 9), v4(10, 0, 0, 8), v6(9)];
    let mut n = Neighbour::new(pick(input, &[1, 2]), pick(input, &dsts));
    n.lladdr = pick(
        input,
        &[
            None,
            Some(Mac([2, 0, 0, 0, 0, 9])),
            Some(Mac([2, 0, 0, 0, 0, 8])),
        ],
    );
    n.state = pick(
        input,
        &[
            NudState::NONE,
            NudState::PERMANENT,
            NudState::REACHABLE,
            NudState::STALE,
        ],
    );
    n.flags = pick(input, &[NeighFlags::EMPTY, NeighFlags::ROUTER]);
    n
}

fn settle_neighbour(d: &Neighbour, observed: Option<&Neighbour>) -> Neighbour {
    let mut n = d.clone();
    n.lladdr = n.lladdr.or(observed.and_then(|o| o.lladdr));
    if n.state == NudState::NONE {
        n.state = observed.map_or(NudState::PERMANENT, |o| o.state);
    }
    n
}

fn rule(input: &mut Input<'_>) -> Rule {
    let mut r = Rule::new(AddrFamily::INET);
    r.src = pick(
        input,
        &[
            None,
            Some(net(v4(10, 0, 0, 0), 24)),
            Some(net(v4(10, 1, 0, 0), 16)),
        ],
    );
    r.priority = pick(input, &[None, Some(100), Some(200), Some(300)]);
    r.table = pick(input, &[100, 254]);
    r
}

/// The kernel gives a rule without a priority one below the first
/// rule's; here a value no generated rule has.
fn settle_rule(d: &Rule, _: Option<&Rule>) -> Rule {
    let mut r = d.clone();
    r.priority = Some(r.priority.unwrap_or(299));
    r
}

/// A three-way diff: observed objects come as the kernel reports them
/// (settled, one per key), and each observed object's key is in
/// `last_applied` when its byte is odd.
fn three_way<T>(
    input: &mut Input<'_>,
    make: fn(&mut Input<'_>) -> T,
    settle: fn(&T, Option<&T>) -> T,
) where
    T: Object + Clone + PartialEq + Debug,
    T::Key: Clone + Debug,
{
    let desired = list(input, make, |x| (x.group(), x.rank(diff::Side::Desired)));
    let observed = list(input, |i| settle(&make(i), None), T::key);
    let mut applied: heapless::Vec<T::Key, N> = heapless::Vec::new();
    for x in &observed {
        if input.u8() & 1 == 1 {
            let _ = applied.push(x.key());
        }
    }
    let (mut d, mut o, mut la) = (desired.clone(), observed.clone(), applied.clone());
    let mut changes: heapless::Vec<Change<'_, T>, CHANGES> = heapless::Vec::new();
    diff::three_way(&mut d, &mut o, &mut la, |c| {
        changes
            .push(c)
            .unwrap_or_else(|_| panic!("more changes than objects"));
    });
    let owned = |x: &T| applied.contains(&x.key());
    let model = Model {
        key: T::key,
        settle,
        owned: &owned,
    };
    let mut state = state_of(&observed);
    model.apply(&mut state, &changes, true);
    // Neither desired (by group) nor owned: untouched.
    let untouchable = |x: &T| !owned(x) && !desired.iter().any(|d| d.group() == x.group());
    for x in observed.iter().filter(|x| untouchable(x)) {
        assert_eq!(
            count(&observed, x),
            count(&state, x),
            "foreign object changed: {x:?}"
        );
    }
    let (mut d, mut again, mut la) = (desired.clone(), state.clone(), applied.clone());
    diff::three_way(&mut d, &mut again, &mut la, |c| {
        assert!(
            matches!(c, Change::Conflict { .. }),
            "a second diff still changes: {c:?}\nstate {state:?}"
        );
    });
}

// The kernel model -----------------------------------------------------

/// The kernel, for one object family: what makes two objects one (its
/// key), what a created or replaced object becomes, and which objects
/// the caller owns.
struct Model<'m, T, Key> {
    key: fn(&T) -> Key,
    settle: fn(&T, Option<&T>) -> T,
    owned: &'m dyn Fn(&T) -> bool,
}

impl<T: Clone + PartialEq + Debug, Key: PartialEq> Model<'_, T, Key> {
    /// Apply `changes` to `state` in the planner's order: everything but
    /// deletes, in the diff's order, then the deletes. `update_foreign`:
    /// whether the diff may replace an object the caller does not own.
    fn apply(&self, state: &mut State<T>, changes: &[Change<'_, T>], update_foreign: bool) {
        for c in changes {
            match *c {
                Change::Create(d) => self.create(state, d),
                Change::Update { desired, observed } => {
                    assert!(
                        update_foreign || (self.owned)(observed),
                        "updated a foreign object: {observed:?}"
                    );
                    let i = self.find(state, observed);
                    let new = (self.settle)(desired, Some(observed));
                    let clash = state
                        .iter()
                        .enumerate()
                        .any(|(j, x)| j != i && (self.key)(x) == (self.key)(&new));
                    assert!(!clash, "update onto a held key (EEXIST): {new:?}");
                    state[i] = new;
                }
                Change::Recreate { desired, observed } => {
                    assert!(
                        (self.owned)(observed),
                        "recreated a foreign object: {observed:?}"
                    );
                    let i = self.find(state, observed);
                    state.swap_remove(i);
                    self.create(state, desired);
                }
                Change::Conflict { observed, .. } => {
                    assert!(
                        !(self.owned)(observed),
                        "a conflict with our own: {observed:?}"
                    );
                }
                Change::Delete(_) => {}
            }
        }
        for c in changes {
            if let Change::Delete(o) = *c {
                assert!((self.owned)(o), "deleted a foreign object: {o:?}");
                let i = self.find(state, o);
                state.swap_remove(i);
            }
        }
    }

    fn create(&self, state: &mut State<T>, d: &T) {
        let new = (self.settle)(d, None);
        let held = state.iter().find(|x| (self.key)(x) == (self.key)(&new));
        assert!(
            held.is_none(),
            "create of a held key (EEXIST): {new:?} held by {held:?}"
        );
        // Room: the state never holds more than desired plus observed.
        if state.push(new).is_err() {
            panic!("model state full");
        }
    }

    /// Where `o` is (ENOENT when it is not).
    fn find(&self, state: &[T], o: &T) -> usize {
        state
            .iter()
            .position(|x| x == o)
            .unwrap_or_else(|| panic!("changed an object that is not there (ENOENT): {o:?}"))
    }
}

fn count<T: PartialEq>(in_: &[T], x: &T) -> usize {
    in_.iter().filter(|y| *y == x).count()
}
