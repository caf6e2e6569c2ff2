//! Property tests of the diff (`nl_proto::diff`): applying its changes
//! to observed state, the way the kernel would, yields the desired state
//! plus the untouched foreign state — and diffing again finds nothing.
//! No change ever touches a route of another protocol, and no address,
//! neighbour or rule outside `last_applied` is ever deleted.

use nl_proto::IpNet;
use nl_proto::diff::{self, Change, Object};
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{Address, Scope};
use nl_proto::route::neigh::Neighbour;
use nl_proto::route::route::{Route, RouteProtocol};
use nl_proto::route::rule::Rule;
use nl_proto::values::Mac;
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::net::IpAddr;

const OURS: RouteProtocol = RouteProtocol(76);

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}
fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

const DSTS: [&str; 6] = [
    "10.1.0.0/24",
    "10.2.0.0/16",
    "0.0.0.0/0",
    "2001:db8:1::/64",
    "::/0",
    "10.3.0.0/24",
];

fn gateway_for(dst: &IpNet, pick: u8) -> Option<IpAddr> {
    match (dst.addr().is_ipv4(), pick % 3) {
        (_, 0) => None,
        (true, 1) => Some(ip("10.0.0.1")),
        (true, _) => Some(ip("10.0.0.2")),
        (false, 1) => Some(ip("2001:db8::1")),
        (false, _) => Some(ip("2001:db8::2")),
    }
}

/// A desired route: metric unstated, 0 or 10; output link unstated, 2 or 3.
fn desired_route() -> impl Strategy<Value = Route> {
    (
        0..DSTS.len(),
        prop::bool::ANY,
        0u8..3,
        0u8..3,
        0u8..3,
        0u8..3,
    )
        .prop_map(|(d, table, gw, metric, oif, scope)| {
            let mut r = Route::new(net(DSTS[d]));
            r.table = if table { 254 } else { 100 };
            r.gateway = gateway_for(&r.dst, gw);
            r.priority = [None, Some(0), Some(10)][usize::from(metric)];
            r.oif = [None, Some(2), Some(3)][usize::from(oif)];
            if scope == 1 {
                r.scope = Scope::UNIVERSE;
            }
            r
        })
}

/// An observed route: ours, or another protocol's. Foreign ones use
/// metrics 5 and 7 so they never hold a key a desired route needs (the
/// kernel would refuse that create with `EEXIST`).
fn observed_route() -> impl Strategy<Value = Route> {
    (desired_route(), 0u8..4, 0u8..2, 0u8..3).prop_map(|(mut r, who, metric, legs)| {
        r.protocol = [OURS, OURS, RouteProtocol::STATIC, RouteProtocol::KERNEL][usize::from(who)];
        let foreign = r.protocol != OURS;
        let v6 = r.family == AddrFamily::INET6;
        r.priority = match (foreign, r.priority) {
            (true, _) => Some([5, 7][usize::from(metric)]),
            (false, Some(p)) => Some(p),
            (false, None) => Some(if metric == 0 { 0 } else { 10 }),
        };
        if v6 && r.priority == Some(0) {
            r.priority = Some(1024);
        }
        if !v6 && r.priority == Some(0) {
            r.priority = None; // the kernel leaves RTA_PRIORITY out for 0
        }
        if r.scope == Scope::NOWHERE {
            r.scope = Scope::UNIVERSE;
        }
        r.oif = r.oif.or(Some(2));
        // A multipath route: no single gateway or link.
        if legs == 1 {
            r.multipath_legs = 2;
            r.gateway = None;
            r.oif = None;
        }
        r
    })
}

/// What the kernel holds after a route change (no failures: the
/// generators avoid conflicting keys).
fn apply_route(state: &mut Vec<Route>, c: Change<'_, Route>) {
    match c {
        Change::Create(d) => {
            let mut r = d.clone();
            r.protocol = OURS;
            r.priority = Some(r.key().priority).filter(|&p| p != 0);
            if r.scope == Scope::NOWHERE {
                r.scope = Scope::UNIVERSE;
            }
            r.oif = r.oif.or(Some(2));
            state.push(r);
        }
        Change::Update { desired, observed } => {
            let i = state
                .iter()
                .position(|r| r == observed)
                .expect("updated route exists");
            let mut r = desired.clone();
            r.protocol = OURS;
            r.priority = observed
                .priority
                .filter(|_| desired.priority.is_none())
                .or(r.priority);
            r.priority = Some(r.key().priority).filter(|&p| p != 0);
            if r.scope == Scope::NOWHERE {
                r.scope = observed.scope;
            }
            r.oif = r.oif.or(Some(2));
            state[i] = r;
        }
        Change::Recreate { desired, observed } => {
            apply_route(state, Change::Delete(observed));
            apply_route(state, Change::Create(desired));
        }
        Change::Conflict { desired, observed } => {
            panic!("the generators hold no conflicting key: {desired:?} vs {observed:?}")
        }
        Change::Delete(o) => {
            let i = state
                .iter()
                .position(|r| r == o)
                .expect("deleted route exists");
            state.remove(i);
        }
    }
}

fn unique_by<T, K: Ord>(v: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|x| seen.insert(key(x))).collect()
}

fn foreign(routes: &[Route]) -> Vec<Route> {
    let mut f: Vec<Route> = routes
        .iter()
        .filter(|r| r.protocol != OURS)
        .cloned()
        .collect();
    f.sort_by_key(Route::key);
    f
}

// Addresses, neighbours and rules -------------------------------------------

fn address() -> impl Strategy<Value = Address> {
    (1u32..3, 0u8..4, prop::bool::ANY, 0u8..3).prop_map(|(index, a, long, scope)| {
        let prefix = [
            net("10.0.0.1/24"),
            net("10.0.0.2/24"),
            net("10.0.1.1/24"),
            net("2001:db8::1/64"),
        ][usize::from(a)];
        let prefix = if long && prefix.addr().is_ipv4() {
            IpNet::new(prefix.addr(), 16).unwrap()
        } else {
            prefix
        };
        let mut x = Address::new(index, prefix);
        x.scope = [Scope::NOWHERE, Scope::UNIVERSE, Scope::LINK][usize::from(scope)];
        x
    })
}

fn observed_address() -> impl Strategy<Value = Address> {
    address().prop_map(|mut a| {
        if a.scope == Scope::NOWHERE {
            a.scope = Scope::UNIVERSE;
        }
        a
    })
}

fn neighbour() -> impl Strategy<Value = Neighbour> {
    (1u32..3, 0u8..3, 0u8..3).prop_map(|(index, d, mac)| {
        let mut n = Neighbour::new(
            index,
            [ip("10.0.0.9"), ip("10.0.0.8"), ip("fe80::9")][usize::from(d)],
        );
        n.lladdr = [
            None,
            Some(Mac([2, 0, 0, 0, 0, 9])),
            Some(Mac([2, 0, 0, 0, 0, 8])),
        ][usize::from(mac)];
        n
    })
}

fn rule() -> impl Strategy<Value = Rule> {
    (0u8..3, 0u8..3, 0u8..2).prop_map(|(from, prio, table)| {
        let mut r = Rule::new(AddrFamily::INET);
        r.src = [None, Some(net("10.0.0.0/24")), Some(net("10.1.0.0/16"))][usize::from(from)];
        r.priority = [None, Some(100), Some(200)][usize::from(prio)];
        r.table = [100, 254][usize::from(table)];
        r
    })
}

/// Apply a three-way change; a created object with an unstated rank
/// gets `fill` as the kernel would choose it.
fn apply_3way<T: Clone + PartialEq + std::fmt::Debug>(
    state: &mut Vec<T>,
    c: Change<'_, T>,
    settle: impl Fn(&T, Option<&T>) -> T,
) {
    match c {
        Change::Create(d) => state.push(settle(d, None)),
        Change::Update { desired, observed } => {
            let i = state
                .iter()
                .position(|x| x == observed)
                .expect("updated object exists");
            state[i] = settle(desired, Some(observed));
        }
        Change::Recreate { desired, observed } => {
            let i = state
                .iter()
                .position(|x| x == observed)
                .expect("recreated object exists");
            state.remove(i);
            state.push(settle(desired, None));
        }
        // Left alone: the foreign object stays as it is.
        Change::Conflict { .. } => {}
        Change::Delete(o) => {
            let i = state
                .iter()
                .position(|x| x == o)
                .expect("deleted object exists");
            state.remove(i);
        }
    }
}

/// Run a three-way diff and check it: deletes only inside
/// `last_applied` and outside desired; after applying, every object
/// neither desired nor applied before is unchanged; a second diff finds
/// nothing.
fn check_three_way<T>(
    desired: Vec<T>,
    observed: Vec<T>,
    last_applied: Vec<T::Key>,
    settle: impl Fn(&T, Option<&T>) -> T + Copy,
) -> Result<(), TestCaseError>
where
    T: Object + Clone + PartialEq + std::fmt::Debug,
    T::Key: Clone + std::fmt::Debug,
{
    let (mut d, mut o, mut la) = (desired.clone(), observed.clone(), last_applied.clone());
    let applied: BTreeSet<T::Key> = last_applied.iter().cloned().collect();
    let desired_groups: BTreeSet<T::Group> = desired.iter().map(T::group).collect();
    let untouchable = |x: &T| !applied.contains(&x.key()) && !desired_groups.contains(&x.group());
    let mut state = observed.clone();
    let mut changes = Vec::new();
    diff::three_way(&mut d, &mut o, &mut la, |c| changes.push(c));
    for c in changes {
        match c {
            Change::Delete(x) => {
                prop_assert!(
                    applied.contains(&x.key()),
                    "deleted outside last_applied: {x:?}"
                );
            }
            Change::Update { observed: x, .. } => {
                prop_assert!(
                    desired_groups.contains(&x.group()),
                    "updated undesired {x:?}"
                );
            }
            Change::Recreate { observed: x, .. } => {
                prop_assert!(
                    applied.contains(&x.key()),
                    "recreated outside last_applied: {x:?}"
                );
            }
            Change::Conflict { observed: x, .. } => {
                prop_assert!(
                    !applied.contains(&x.key()),
                    "a conflict with an owned object: {x:?}"
                );
            }
            Change::Create(_) => {}
        }
        apply_3way(&mut state, c, settle);
    }
    let before: Vec<&T> = observed.iter().filter(|x| untouchable(x)).collect();
    let after: Vec<&T> = state.iter().filter(|x| untouchable(x)).collect();
    prop_assert_eq!(before, after, "foreign state changed");
    let (mut d, mut la) = (desired.clone(), last_applied.clone());
    let mut again = 0;
    diff::three_way(&mut d, &mut state, &mut la, |c| {
        if !matches!(c, Change::Conflict { .. }) {
            again += 1;
        }
    });
    prop_assert_eq!(again, 0, "a second diff still finds changes");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `diff::settles`: a desired route alone in its group and settled by
    /// an observed one gets no change, and every other route of ours in
    /// its group is deleted, whatever else the group holds.
    #[test]
    fn a_settled_route_needs_nothing_else(
        desired in vec(desired_route(), 0..10),
        observed in vec(observed_route(), 0..12),
    ) {
        let observed = unique_by(observed, Route::key);
        let (mut d, mut o) = (desired.clone(), observed.clone());
        let mut changes = Vec::new();
        diff::routes(&mut d, &mut o, OURS, |c| changes.push(c.clone()));
        for want in &desired {
            let alone = desired.iter().filter(|x| x.group() == want.group()).count() == 1;
            if !alone || !observed.iter().any(|x| diff::settles(want, x, OURS)) {
                continue;
            }
            let named = changes.iter().filter(|c| matches!(c,
                Change::Create(x) | Change::Update { desired: x, .. }
                | Change::Recreate { desired: x, .. } | Change::Conflict { desired: x, .. }
                if x.group() == want.group()));
            prop_assert_eq!(named.count(), 0, "{:?}", changes);
            let ours = observed.iter()
                .filter(|x| x.protocol == OURS && x.group() == want.group())
                .count();
            let deleted = changes.iter()
                .filter(|c| matches!(c, Change::Delete(x) if x.group() == want.group()))
                .count();
            prop_assert_eq!(deleted, ours - 1, "{:?}", changes);
        }
    }

    #[test]
    fn routes_converge_and_spare_foreign(
        desired in vec(desired_route(), 0..10),
        observed in vec(observed_route(), 0..12),
    ) {
        // One desired route per identity; observed unique by identity.
        let desired = unique_by(desired, |r| (r.key().family, r.table, r.dst));
        let observed = unique_by(observed, Route::key);
        let (mut d, mut o) = (desired.clone(), observed.clone());
        let mut state = observed.clone();
        let mut changes = Vec::new();
        diff::routes(&mut d, &mut o, OURS, |c| changes.push(c));
        let ours_before = observed.iter().filter(|r| r.protocol == OURS).count();
        prop_assert!(changes.len() <= desired.len() + ours_before);
        for c in changes {
            match c {
                Change::Update { observed: x, .. }
                | Change::Recreate { observed: x, .. }
                | Change::Delete(x) => {
                    prop_assert_eq!(x.protocol, OURS, "touched a foreign route");
                }
                Change::Create(_) | Change::Conflict { .. } => {}
            }
            apply_route(&mut state, c);
        }
        prop_assert_eq!(foreign(&observed), foreign(&state), "foreign routes changed");
        // Every route of ours now answers exactly one desired route (a
        // desired route a foreign one satisfies needs none of ours).
        prop_assert!(state.iter().filter(|r| r.protocol == OURS).count() <= desired.len());
        let mut d = desired.clone();
        let mut again = Vec::new();
        diff::routes(&mut d, &mut state, OURS, |c| again.push(format!("{c:?}")));
        prop_assert!(again.is_empty(), "second diff: {again:?}");
    }

    #[test]
    fn addresses_three_way(
        desired in vec(address(), 0..6),
        observed in vec(observed_address(), 0..8),
        applied_from in vec((0usize..16, prop::bool::ANY), 0..8),
    ) {
        let desired = unique_by(desired, Address::key);
        let observed = unique_by(observed, Address::key);
        let pool: Vec<_> = observed.iter().chain(&desired).map(Address::key).collect();
        let last_applied: Vec<_> = applied_from
            .iter()
            .filter_map(|&(i, _)| pool.get(i).copied())
            .collect();
        check_three_way(desired, observed, last_applied, |d, o| {
            let mut a = d.clone();
            if a.scope == Scope::NOWHERE {
                a.scope = o.map_or(Scope::UNIVERSE, |o| o.scope);
            }
            a
        })?;
    }

    #[test]
    fn neighbours_three_way(
        desired in vec(neighbour(), 0..6),
        observed in vec(neighbour(), 0..8),
        applied_from in vec(0usize..16, 0..8),
    ) {
        let desired = unique_by(desired, Neighbour::key);
        let observed = unique_by(observed, Neighbour::key);
        let pool: Vec<_> = observed.iter().chain(&desired).map(Neighbour::key).collect();
        let last_applied = applied_from.iter().filter_map(|&i| pool.get(i).copied()).collect();
        check_three_way(desired, observed, last_applied, |d, o| {
            let mut n = d.clone();
            n.lladdr = n.lladdr.or(o.and_then(|o| o.lladdr));
            n
        })?;
    }

    #[test]
    fn rules_three_way(
        desired in vec(rule(), 0..6),
        observed in vec(rule(), 0..8),
        applied_from in vec(0usize..16, 0..8),
    ) {
        // Installed rules have a priority; one desired rule per group.
        let desired = unique_by(desired, |r| r.group());
        let observed: Vec<Rule> = observed
            .into_iter()
            .map(|mut r| {
                r.priority = Some(r.priority.unwrap_or(300));
                r
            })
            .collect();
        let observed = unique_by(observed, Rule::key);
        let pool: Vec<_> = observed.iter().chain(&desired).map(Rule::key).collect();
        let last_applied = applied_from.iter().filter_map(|&i| pool.get(i).cloned()).collect();
        check_three_way(desired, observed, last_applied, |d, _| {
            let mut r = d.clone();
            r.priority = Some(r.priority.unwrap_or(299));
            r
        })?;
    }
}

#[test]
fn route_rewrites_are_not_changes() {
    // IPv6 without a metric comes back with 1024; IPv4 metric 0 comes
    // back without RTA_PRIORITY; the kernel adds flags, an output link
    // and a scope.
    let mut d6 = Route::new(net("2001:db8:5::/64"));
    d6.gateway = Some(ip("2001:db8::1"));
    let mut o6 = d6.clone();
    o6.protocol = OURS;
    o6.priority = Some(1024);
    o6.oif = Some(3);
    o6.scope = Scope::UNIVERSE;
    o6.flags = nl_proto::route::route::RouteFlags::LINKDOWN;
    let mut d4 = Route::new(net("10.5.0.0/24"));
    d4.priority = Some(0);
    d4.gateway = Some(ip("10.0.0.1"));
    let mut o4 = Route::new(net("10.5.0.0/24"));
    o4.protocol = OURS;
    o4.gateway = Some(ip("10.0.0.1"));
    o4.oif = Some(3);
    o4.scope = Scope::UNIVERSE;
    let mut desired = [d6, d4];
    let mut observed = [o4, o6];
    let mut n = 0;
    diff::routes(&mut desired, &mut observed, OURS, |c| {
        n += 1;
        eprintln!("{c:?}");
    });
    assert_eq!(n, 0);
}

#[test]
fn gateway_change_is_one_update_keeping_the_metric() {
    let mut d = Route::new(net("10.5.0.0/24"));
    d.gateway = Some(ip("10.0.0.1"));
    let mut o = d.clone();
    o.protocol = OURS;
    o.priority = Some(50);
    o.gateway = Some(ip("10.0.0.9"));
    let mut desired = [d];
    let mut observed = [o];
    let mut seen = Vec::new();
    diff::routes(&mut desired, &mut observed, OURS, |c| match c {
        Change::Update { desired, observed } => {
            seen.push((desired.gateway, observed.priority));
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(Some(ip("10.0.0.1")), Some(50))]);
}

#[test]
fn hundred_thousand_routes_with_one_percent_changed() {
    // Linear-ish: this would take minutes if the merge were quadratic.
    let mk = |i: u32, gw: &str| {
        let a = u32::from(std::net::Ipv4Addr::new(172, 16, 0, 0)) + i;
        let mut r = Route::new(IpNet::new(IpAddr::V4(a.into()), 32).unwrap());
        r.gateway = Some(ip(gw));
        r
    };
    let mut desired: Vec<Route> = (0..100_000).map(|i| mk(i, "10.0.0.2")).collect();
    let mut observed: Vec<Route> = (0..100_000)
        .rev()
        .map(|i| {
            let mut r = mk(i, if i % 100 == 0 { "10.0.0.3" } else { "10.0.0.2" });
            r.protocol = OURS;
            r.scope = Scope::UNIVERSE;
            r
        })
        .collect();
    let mut updates = 0;
    diff::routes(&mut desired, &mut observed, OURS, |c| {
        assert!(matches!(c, Change::Update { .. }), "{c:?}");
        updates += 1;
    });
    assert_eq!(updates, 1000);
}

/// The kinds of change one diff of addresses yields, in order.
fn address_changes(desired: Address, observed: Address, owned: bool) -> Vec<&'static str> {
    let mut la = if owned { vec![observed.key()] } else { vec![] };
    let (mut d, mut o) = ([desired], [observed]);
    let mut out = Vec::new();
    diff::addresses(&mut d, &mut o, &mut la, |c| {
        out.push(match c {
            Change::Create(_) => "create",
            Change::Update { .. } => "update",
            Change::Recreate { .. } => "recreate",
            Change::Conflict { .. } => "conflict",
            Change::Delete(_) => "delete",
        });
    });
    out
}

fn installed(index: u32, prefix: &str) -> Address {
    let mut a = Address::new(index, net(prefix));
    a.scope = Scope::UNIVERSE;
    a.valid_lft = Some(u32::MAX);
    a.preferred_lft = Some(u32::MAX);
    a
}

/// Review C1: the kernel ignores an IPv4 label, broadcast, scope or flag
/// change sent with replace, so the diff never plans one as an update.
#[test]
fn rejects_in_place_update_the_kernel_ignores_c1() {
    use nl_proto::route::addr::AddrFlags;
    let observed = installed(2, "10.0.0.2/24");
    let mut brd = Address::new(2, net("10.0.0.2/24"));
    brd.broadcast = Some("10.0.0.255".parse().unwrap());
    let mut label = Address::new(2, net("10.0.0.2/24"));
    label.label = Some("v0:x".try_into().unwrap());
    let mut scope = Address::new(2, net("10.0.0.2/24"));
    scope.scope = Scope::LINK;
    let mut flags = Address::new(2, net("10.0.0.2/24"));
    flags.flags = AddrFlags::NOPREFIXROUTE;
    for d in [brd, label, scope, flags] {
        assert_eq!(
            address_changes(d.clone(), observed.clone(), true),
            ["recreate"],
            "{d:?}"
        );
        // Foreign: only a delete could change it, which is not ours to do.
        assert_eq!(
            address_changes(d.clone(), observed.clone(), false),
            ["conflict"],
            "{d:?}"
        );
    }
    // The metric and the lifetimes the kernel does change in place.
    let mut metric = Address::new(2, net("10.0.0.2/24"));
    metric.rt_priority = Some(50);
    assert_eq!(address_changes(metric, observed.clone(), false), ["update"]);
    let mut lft = Address::new(2, net("10.0.0.2/24"));
    lft.valid_lft = Some(300);
    lft.preferred_lft = Some(200);
    assert_eq!(
        address_changes(lft.clone(), observed.clone(), true),
        ["update"]
    );
    // Counting down below what was set is no change.
    let mut counting = observed;
    counting.valid_lft = Some(250);
    counting.preferred_lft = Some(150);
    assert_eq!(address_changes(lft, counting, true), Vec::<&str>::new());
}

/// Review C1 (IPv6): the kernel derives an IPv6 address's scope; a
/// desired scope is never compared.
#[test]
fn ipv6_scope_is_the_kernels_c1() {
    let mut d = Address::new(2, net("2001:db8::2/64"));
    d.scope = Scope::LINK;
    let o = installed(2, "2001:db8::2/64");
    assert_eq!(address_changes(d, o, true), Vec::<&str>::new());
}

/// Review M3: one IPv6 address per link whatever its prefix length; a
/// changed length is recreated (delete first), never a failing create.
#[test]
fn ipv6_prefix_length_change_is_recreate_m3() {
    let d = Address::new(2, net("2001:db8:aa::1/64"));
    let o = installed(2, "2001:db8:aa::1/48");
    assert_eq!(address_changes(d.clone(), o.clone(), true), ["recreate"]);
    assert_eq!(address_changes(d, o, false), ["conflict"]);
    // IPv4 /24 and /16 of one address coexist: a create.
    let d4 = Address::new(2, net("10.0.0.2/16"));
    let o4 = installed(2, "10.0.0.2/24");
    assert_eq!(address_changes(d4, o4, false), ["create"]);
}

/// Review M2: the kernel's connected route, written out in desired
/// state, is present; no create that would fail with EEXIST.
#[test]
fn foreign_route_that_satisfies_is_present_m2() {
    let mut d = Route::new(net("10.9.0.0/24"));
    d.oif = Some(2);
    let mut o = d.clone();
    o.protocol = RouteProtocol::KERNEL;
    o.scope = Scope::LINK;
    o.prefsrc = Some(ip("10.9.0.2"));
    let (mut desired, mut observed) = ([d], [o]);
    let mut n = 0;
    diff::routes(&mut desired, &mut observed, OURS, |c| {
        n += 1;
        eprintln!("{c:?}");
    });
    assert_eq!(n, 0);
}

/// Review B2: a foreign route holding the key of a desired one is a
/// conflict naming it, and a foreign route of another metric is no
/// obstacle to the create.
#[test]
fn foreign_route_in_the_way_is_a_conflict_b2() {
    let mut d = Route::new(net("10.60.0.0/24"));
    d.gateway = Some(ip("10.50.0.1"));
    let mut o = d.clone();
    o.protocol = RouteProtocol::STATIC;
    o.gateway = Some(ip("10.50.0.4"));
    o.scope = Scope::UNIVERSE;
    let mut far = o.clone();
    far.priority = Some(100);
    let (mut desired, mut observed) = ([d.clone()], [o]);
    let mut seen = Vec::new();
    diff::routes(&mut desired, &mut observed, OURS, |c| match c {
        Change::Conflict { observed, .. } => seen.push(observed.protocol),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [RouteProtocol::STATIC]);
    let (mut desired, mut observed) = ([d], [far]);
    let mut creates = 0;
    diff::routes(&mut desired, &mut observed, OURS, |c| match c {
        Change::Create(_) => creates += 1,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(creates, 1);
}

/// Finite lifetimes: a remaining lifetime counting down from the desired
/// one satisfies it until half of it is gone (then it is refreshed: at
/// most one change per half lifetime, never one per pass); a desired
/// lifetime raised above twice the remaining one, or lowered below it, is
/// applied at once; forever matches only forever.
#[test]
fn lifetimes_refresh_at_half_and_follow_a_raise() {
    let with = |valid: u32, preferred: u32| {
        let mut a = Address::new(2, net("10.0.0.2/24"));
        a.scope = Scope::UNIVERSE;
        a.valid_lft = Some(valid);
        a.preferred_lft = Some(preferred);
        a
    };
    let desired = with(3600, 1800);
    // Counting down: still the desired lifetime.
    for (v, p) in [(3600, 1800), (3590, 1790), (1800, 900)] {
        assert!(desired.satisfies(&with(v, p)), "{v} {p}");
    }
    // Half gone (either lifetime), or longer than desired: applied.
    for (v, p) in [(1799, 1700), (3000, 899), (3700, 1800), (3600, 1900)] {
        assert!(!desired.satisfies(&with(v, p)), "{v} {p}");
    }
    // A raise: 600 s set, then 3600 s desired.
    assert!(!desired.satisfies(&with(590, 290)));
    // A lowered lifetime.
    assert!(!with(600, 300).satisfies(&with(3590, 1790)));
    // Forever against finite, both ways.
    let forever = with(u32::MAX, u32::MAX);
    assert!(!forever.satisfies(&desired));
    assert!(!desired.satisfies(&forever));
    assert!(forever.satisfies(&forever));
    // Deprecated (preferred 0) is exactly 0.
    assert!(with(600, 0).satisfies(&with(599, 0)));
    assert!(!with(600, 0).satisfies(&with(599, 10)));
}

/// A route through a blackhole nexthop object is dumped as `blackhole`
/// (with `dev lo`), whatever type it was created with: a desired plain
/// route with that nexthop id is present, not updated every pass. A
/// desired `unreachable` one is still a difference (the dump cannot show
/// it, so the pass must not claim it).
#[test]
fn route_through_a_blackhole_nexthop_dumps_as_blackhole() {
    let mut d = Route::new(net("10.61.1.0/24"));
    d.nh_id = Some(3);
    let mut o = d.clone();
    o.protocol = OURS;
    o.kind = nl_proto::route::route::RouteType::BLACKHOLE;
    o.oif = Some(1);
    o.scope = Scope::UNIVERSE;
    let mut desired = [d.clone()];
    let mut observed = [o.clone()];
    let mut n = 0;
    diff::routes(&mut desired, &mut observed, OURS, |c| {
        n += 1;
        eprintln!("{c:?}");
    });
    assert_eq!(n, 0);
    d.kind = nl_proto::route::route::RouteType::UNREACHABLE;
    let mut desired = [d];
    let mut observed = [o];
    let mut n = 0;
    diff::routes(&mut desired, &mut observed, OURS, |_| n += 1);
    assert_eq!(n, 1);
}
