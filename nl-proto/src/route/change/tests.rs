//! Golden tests on real notifications (captured on Linux 6.18, see
//! `notifications.txt`).

use super::*;
use crate::route::Group;
use crate::route::common::tests::{hammer, msg};
use crate::route::neigh::NudState;
use core::net::IpAddr;

const CAPTURES: &str = include_str!("notifications.txt");

/// The captured message `name` (hex-decoded into `buf`) and the group it
/// was sent to.
fn capture<'b>(name: &str, buf: &'b mut [u8; 2048]) -> (&'b [u8], u32) {
    let line = CAPTURES
        .lines()
        .find(|l| l.split(' ').next() == Some(name))
        .unwrap_or_else(|| panic!("no capture {name}"));
    let mut parts = line.split(' ').skip(1);
    let group: u32 = parts.next().unwrap().parse().unwrap();
    let hex = parts.next().unwrap().as_bytes();
    for (i, pair) in hex.chunks(2).enumerate() {
        let s = core::str::from_utf8(pair).unwrap();
        buf[i] = u8::from_str_radix(s, 16).unwrap();
    }
    (&buf[..hex.len() / 2], group)
}

fn change(name: &str, f: impl FnOnce(Change<'_>, u32)) {
    let mut buf = [0u8; 2048];
    let (bytes, group) = capture(name, &mut buf);
    let m = msg(bytes);
    let c = Change::decode(&m).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(c.msg_type(), m.msg_type(), "{name}");
    f(c, group);
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn links() {
    change("new_link", |c, group| {
        assert_eq!(group, Group::LINK.0);
        assert!(!c.is_deletion());
        let Change::NewLink(l) = c else {
            panic!("{c:?}")
        };
        assert_eq!((l.index, l.name.as_str()), (2, "v1"));
        assert_eq!(l.kind.as_deref(), Some("veth"));
    });
    change("del_link", |c, group| {
        assert_eq!(group, Group::LINK.0);
        assert!(c.is_deletion());
        let Change::DelLink(l) = c else {
            panic!("{c:?}")
        };
        assert_eq!((l.index, l.name.as_str()), (3, "v0"));
    });
}

#[test]
fn addresses() {
    for (name, deleted, group, prefix) in [
        ("new_addr_v4", false, Group::IPV4_IFADDR, "10.1.0.1/24"),
        ("del_addr_v4", true, Group::IPV4_IFADDR, "10.1.0.1/24"),
        ("new_addr_v6", false, Group::IPV6_IFADDR, "2001:db8::1/64"),
        ("del_addr_v6", true, Group::IPV6_IFADDR, "2001:db8::1/64"),
    ] {
        change(name, |c, g| {
            assert_eq!(g, group.0, "{name}");
            assert_eq!(c.is_deletion(), deleted, "{name}");
            let (Change::NewAddress(a) | Change::DelAddress(a)) = c else {
                panic!("{name}: {c:?}")
            };
            assert_eq!(a.index, 3, "{name}");
            assert_eq!(
                a.prefix(),
                prefix.parse::<crate::IpNet>().unwrap(),
                "{name}"
            );
        });
    }
}

#[test]
fn routes() {
    for (name, deleted, group, dst, gw) in [
        (
            "new_route_v4",
            false,
            Group::IPV4_ROUTE,
            "10.2.0.0/16",
            "10.1.0.2",
        ),
        (
            "del_route_v4",
            true,
            Group::IPV4_ROUTE,
            "10.2.0.0/16",
            "10.1.0.2",
        ),
        (
            "new_route_v6",
            false,
            Group::IPV6_ROUTE,
            "2001:db8:1::/48",
            "2001:db8::2",
        ),
        (
            "del_route_v6",
            true,
            Group::IPV6_ROUTE,
            "2001:db8:1::/48",
            "2001:db8::2",
        ),
    ] {
        change(name, |c, g| {
            assert_eq!(g, group.0, "{name}");
            assert_eq!(c.is_deletion(), deleted, "{name}");
            let (Change::NewRoute(r) | Change::DelRoute(r)) = c else {
                panic!("{name}: {c:?}")
            };
            assert_eq!(r.dst, dst.parse().unwrap(), "{name}");
            assert_eq!(r.gateway, Some(ip(gw)), "{name}");
            assert_eq!((r.oif, r.table), (Some(3), 254), "{name}");
        });
    }
}

#[test]
fn neighbours() {
    change("new_neigh", |c, g| {
        assert_eq!(g, Group::NEIGH.0);
        let Change::NewNeighbour(n) = c else {
            panic!("{c:?}")
        };
        assert_eq!((n.index, n.dst), (3, Some(ip("10.1.0.9"))));
        assert_eq!(n.lladdr.unwrap().0, [2, 0, 0, 0, 0, 9]);
        assert_eq!(n.state, NudState::PERMANENT);
    });
    change("del_neigh", |c, g| {
        assert_eq!(g, Group::NEIGH.0);
        let Change::DelNeighbour(n) = c else {
            panic!("{c:?}")
        };
        assert_eq!((n.index, n.dst), (3, Some(ip("10.1.0.9"))));
    });
}

#[test]
fn rules() {
    for (name, deleted) in [("new_rule", false), ("del_rule", true)] {
        change(name, |c, g| {
            assert_eq!(g, Group::IPV4_RULE.0);
            assert_eq!(c.is_deletion(), deleted);
            let (Change::NewRule(r) | Change::DelRule(r)) = c else {
                panic!("{name}: {c:?}")
            };
            assert_eq!((r.priority, r.table), (Some(100), 100), "{name}");
            assert_eq!(r.src, Some("10.3.0.0/16".parse().unwrap()), "{name}");
        });
    }
}

#[test]
fn nexthops_come_on_a_group_past_31() {
    for (name, deleted) in [("new_nexthop", false), ("del_nexthop", true)] {
        change(name, |c, g| {
            assert_eq!(g, Group::NEXTHOP.0);
            assert_eq!(Group::NEXTHOP.legacy_mask(), Some(1 << 31));
            assert_eq!(c.is_deletion(), deleted);
            let (Change::NewNexthop(n) | Change::DelNexthop(n)) = c else {
                panic!("{name}: {c:?}")
            };
            assert_eq!((n.id, n.oif, n.gateway), (7, Some(3), Some(ip("10.1.0.3"))));
        });
    }
}

#[test]
fn other_types_are_raw_not_errors() {
    // RTM_NEWNETCONF (80) and RTM_NEWMULTICAST (56, on group 37, which the
    // legacy bitmask cannot express).
    for (name, ty, group) in [
        ("new_netconf", 80, Group::IPV4_NETCONF),
        ("new_multicast", 56, Group::IPV4_MCADDR),
    ] {
        change(name, |c, g| {
            assert_eq!(g, group.0);
            assert_eq!(group.legacy_mask().is_none(), g > 32);
            let Change::Other { msg } = c else {
                panic!("{name}: {c:?}")
            };
            assert_eq!(msg.msg_type(), MsgType(ty));
            assert!(!c.is_deletion());
        });
    }
}

#[test]
fn unmodelled_families_and_unknown_types_are_raw() {
    let mut buf = [0u8; 2048];
    let (bytes, _) = capture("new_route_v4", &mut buf);
    let mut route = [0u8; 60];
    route.copy_from_slice(bytes);
    // The same route message with family AF_MPLS (28).
    route[16] = 28;
    assert!(matches!(
        Change::decode(&msg(&route)),
        Ok(Change::Other { .. })
    ));
    // An unknown message type; RTM_DELNETCONF-like odd types count as deletions.
    route[16] = 2;
    route[4..6].copy_from_slice(&0x7ff1u16.to_ne_bytes());
    let c = Change::decode(&msg(&route)).unwrap();
    assert!(matches!(c, Change::Other { .. }) && c.is_deletion());
    // Address messages of a family without IP addresses (AF_MCTP = 45).
    let (bytes, _) = capture("new_addr_v4", &mut buf);
    let mut addr = [0u8; 76];
    addr.copy_from_slice(bytes);
    addr[16] = 45;
    assert!(matches!(
        Change::decode(&msg(&addr)),
        Ok(Change::Other { .. })
    ));
}

#[test]
fn a_malformed_known_message_is_an_error() {
    let mut buf = [0u8; 2048];
    let (bytes, _) = capture("new_rule", &mut buf);
    let mut rule = [0u8; 68];
    rule.copy_from_slice(bytes);
    // FRA_PRIORITY (6) shrunk to 2 bytes of payload: nla_len 8 -> 6.
    let pos = (28..rule.len() - 4)
        .step_by(4)
        .find(|&i| rule[i..i + 4] == [8, 0, 6, 0])
        .unwrap();
    rule[pos] = 6;
    assert!(Change::decode(&msg(&rule)).is_err());
}

#[test]
fn equality_compares_values_and_raw_bytes() {
    let mut a = [0u8; 2048];
    let mut b = [0u8; 2048];
    let (x, _) = capture("new_route_v4", &mut a);
    let (y, _) = capture("del_route_v4", &mut b);
    let (mx, my) = (msg(x), msg(y));
    let (cx, cy) = (Change::decode(&mx).unwrap(), Change::decode(&my).unwrap());
    assert_ne!(cx, cy);
    assert_eq!(cx, Change::decode(&mx).unwrap());
    let (Change::NewRoute(r1), Change::DelRoute(r2)) = (&cx, &cy) else {
        panic!()
    };
    // Announced on add and on delete, the route is the same object.
    assert_eq!(r1.dst, r2.dst);
    let mut c = [0u8; 2048];
    let (z, _) = capture("new_netconf", &mut c);
    let mz = msg(z);
    assert_eq!(Change::decode(&mz).unwrap(), Change::Other { msg: mz });
    assert_ne!(Change::decode(&mz).unwrap(), cx);
}

#[test]
fn never_panics_on_mutated_captures() {
    for name in [
        "new_addr_v6",
        "new_route_v6",
        "new_neigh",
        "new_rule",
        "new_nexthop",
    ] {
        let mut buf = [0u8; 2048];
        let (bytes, _) = capture(name, &mut buf);
        hammer(bytes, |m| {
            let _ = Change::decode(m);
        });
    }
}

#[test]
fn every_capture_is_a_notification_of_its_group_through_the_session() {
    use crate::session::{Event, Session, Source};
    let mut session = Session::<1>::new();
    for line in CAPTURES.lines().filter(|l| !l.starts_with('#')) {
        let name = line.split(' ').next().unwrap();
        let mut buf = [0u8; 2048];
        let (bytes, group) = capture(name, &mut buf);
        let mut events = session.feed(bytes, Source::multicast(group));
        let Some(Ok(Event::Notification { group: g, msg })) = events.next() else {
            panic!("{name}: not a notification")
        };
        assert_eq!(g, group, "{name}");
        assert!(Change::decode(&msg).is_ok(), "{name}");
        assert!(events.next().is_none());
    }
}

#[test]
fn link_events_are_read_from_newlink() {
    use crate::route::link::{IfFlags, IfInfoMsg};
    use crate::wire::{Flags, MsgWriter};
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(RTM_NEWLINK, Flags::EMPTY).unwrap();
    w.put_fixed(&IfInfoMsg::new(
        AddrFamily::UNSPEC,
        2,
        IfFlags(0),
        IfFlags(0),
    ))
    .unwrap();
    w.put_str(3, "br0").unwrap();
    w.put_u32(44, 2).unwrap(); // IFLA_EVENT_FEATURES
    let m = msg(w.finish().unwrap());
    assert_eq!(LinkEvent::of(&m), Some(LinkEvent::FEATURES));
    assert_eq!(LinkEvent::FEATURES.ip_name(), Some("FEATURE CHANGE"));
    // The captured notifications carry none.
    let mut b = [0u8; 2048];
    let (bytes, _) = capture("new_link", &mut b);
    assert_eq!(LinkEvent::of(&msg(bytes)), None);
}
