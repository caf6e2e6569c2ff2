//! Multipath routes: decoding the kernel's legs and writing iproute2's.

use super::request::{GET_REPLY, SHOW_REPLY};
use super::*;

// From `ip route show table all` after
// `ip route add 10.5.0.0/24 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.0.3`
// (captured with nl-capture --normalize --recv on kernel 6.18; v0 = index 3)
#[rustfmt::skip]
pub(super) const MULTIPATH: [u8; 80] = [
    // nlmsghdr: len 80, RTM_NEWROUTE, MULTI|DUMP_FILTERED
    0x50, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // rtmsg: INET, /24, 0, 0, main, boot, universe, unicast, flags 0
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    // RTA_TABLE (len 8)
    0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
    // RTA_DST (len 8)
    0x08, 0x00, 0x01, 0x00, 0x0a, 0x05, 0x00, 0x00,
    // RTA_MULTIPATH (len 36)
    0x24, 0x00, 0x09, 0x00,
    //   rtnexthop: len 16, flags 0, hops 1 (weight 2), ifindex 3; RTA_GATEWAY 10.0.0.2
    0x10, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x02,
    //   rtnexthop: len 16, flags 0, hops 0, ifindex 3; RTA_GATEWAY 10.0.0.3
    0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x03,
];

// From the same dump, after
// `ip -6 route add 2001:db8:5::/64 via 2001:db8::2 mtu 1400 metric 50 pref high`
#[rustfmt::skip]
pub(super) const V6_VIA: [u8; 148] = [
    // nlmsghdr: len 148, RTM_NEWROUTE, MULTI|DUMP_FILTERED
    0x94, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // rtmsg: INET6, /64, 0, 0, main, boot, universe, unicast, flags 0
    0x0a, 0x40, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    // RTA_TABLE (len 8)
    0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00,
    // RTA_DST (len 20)
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // RTA_METRICS (len 12, no NLA_F_NESTED): RTAX_MTU 1400
    0x0c, 0x00, 0x08, 0x00, 0x08, 0x00, 0x02, 0x00, 0x78, 0x05, 0x00, 0x00,
    // RTA_PRIORITY (len 8)
    0x08, 0x00, 0x06, 0x00, 0x32, 0x00, 0x00, 0x00,
    // RTA_GATEWAY (len 20)
    0x14, 0x00, 0x05, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    // RTA_OIF (len 8)
    0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00,
    // RTA_CACHEINFO (len 36)
    0x24, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // RTA_PREF (len 5): high
    0x05, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00,
];

#[test]
fn decodes_multipath_and_v6_metrics() {
    let (r, x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
    assert_eq!(r.dst, net("10.5.0.0/24"));
    assert_eq!((r.gateway, r.oif), (None, None));
    assert_eq!(r.multipath_legs, 2);
    assert_eq!(Route::decode(&msg(&MULTIPATH)).unwrap(), r);
    assert_eq!(x.multipath.len(), 2);
    assert_eq!(x.multipath[0].gateway, Some(ip("10.0.0.2")));
    assert_eq!(x.multipath[0].weight(), 2);
    assert_eq!(x.multipath[0].ifindex, 3);
    assert_eq!(x.multipath[1].gateway, Some(ip("10.0.0.3")));
    assert_eq!(x.multipath[1].weight(), 1);
    assert!(!x.multipath_truncated);

    let (r, x) = Route::decode_full(&msg(&V6_VIA)).unwrap();
    assert_eq!(r.family, AddrFamily::INET6);
    assert_eq!(r.dst, net("2001:db8:5::/64"));
    assert_eq!(r.gateway, Some(ip("2001:db8::2")));
    assert_eq!(r.mtu, Some(1400));
    assert_eq!(x.metrics.mtu(), Some(1400));
    assert_eq!(x.metrics.advmss(), None);
    assert_eq!(r.priority, Some(50));
    assert_eq!(x.pref, Some(1));
    // The compact decode reads the MTU without keeping the metrics.
    assert_eq!(Route::decode(&msg(&V6_VIA)).unwrap(), r);
}

/// A one-leg `RTA_MULTIPATH` is the plain route the kernel means.
#[test]
fn one_leg_multipath_reads_as_a_plain_route() {
    let (mut r, mut x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
    x.multipath.truncate(1);
    r.multipath_legs = 1;
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let bytes = r.emit_full(&x, &mut w, Flags::MULTI).unwrap();
    let d = Route::decode(&msg(bytes)).unwrap();
    assert_eq!((d.gateway, d.oif), (Some(ip("10.0.0.2")), Some(3)));
    assert_eq!(d.multipath_legs, 1);
}

#[test]
fn keeps_first_hops_and_flags_truncation() {
    let (r, mut x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
    let hop = x.multipath[0];
    while x.multipath.push(hop).is_ok() {}
    let mut buf = [0u8; 512];
    let mut w = MsgWriter::new(&mut buf);
    let bytes = r.emit_full(&x, &mut w, Flags::MULTI).unwrap();
    let (d, dx) = Route::decode_full(&msg(bytes)).unwrap();
    assert_eq!(dx.multipath.len(), MULTIPATH_MAX);
    assert_eq!(usize::from(d.multipath_legs), MULTIPATH_MAX);
    assert!(!dx.multipath_truncated);

    let mut nine = [0u8; 16 + 12 + 4 + 9 * 16];
    let mut w = MsgWriter::new(&mut nine);
    w.begin(RTM_NEWROUTE, Flags::MULTI).unwrap();
    w.put_fixed(&RtMsg {
        family: 2,
        ..RtMsg::new_zeroed()
    })
    .unwrap();
    let n = w.begin_nest(RouteAttr::MULTIPATH.0).unwrap();
    for _ in 0..9 {
        emit_hop(&mut w, &hop).unwrap();
    }
    w.end_nest(n).unwrap();
    let bytes = w.finish().unwrap();
    let (d, dx) = Route::decode_full(&msg(bytes)).unwrap();
    assert_eq!(dx.multipath.len(), MULTIPATH_MAX);
    assert!(dx.multipath_truncated);
    assert_eq!(d.multipath_legs, 9);
}

/// The kernel emits `RTA_MULTIPATH` without `NLA_F_NESTED`; a fake
/// kernel built on `emit` must too (byte-identical to the capture).
#[test]
fn emit_multipath_as_the_kernel_does() {
    let (a, x) = Route::decode_full(&msg(&MULTIPATH)).unwrap();
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let flags = Flags::MULTI | Flags(0x20); // NLM_F_DUMP_FILTERED
    let out = a.emit_full(&x, &mut w, flags).unwrap();
    assert_eq!(out, &MULTIPATH[..]);
}

#[test]
fn emit_round_trip() {
    let replies: [&[u8]; 5] = [
        &GET_REPLY,
        &SHOW_REPLY[..60],
        &SHOW_REPLY[60..],
        &MULTIPATH,
        &V6_VIA,
    ];
    for bytes in replies {
        let (a, x) = Route::decode_full(&msg(bytes)).unwrap();
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let out = a.emit_full(&x, &mut w, Flags::MULTI).unwrap();
        assert_eq!(Route::decode_full(&msg(out)).unwrap(), (a.clone(), x));
        if a.multipath_legs == 0 {
            let mut w = MsgWriter::new(&mut buf);
            let out = a.emit(&mut w, Flags::MULTI).unwrap();
            assert_eq!(Route::decode(&msg(out)).unwrap(), a);
        }
    }
    // a big table id, a default route and a gateway of the other
    // family (RTA_VIA) survive too
    let (mut a, mut x) = Route::decode_full(&msg(&SHOW_REPLY[60..])).unwrap();
    a.table = 1000;
    a.dst = net("0.0.0.0/0");
    a.gateway = Some(ip("fe80::1"));
    x.expires = Some(1 << 40);
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let out = a.emit_full(&x, &mut w, Flags::MULTI).unwrap();
    assert_eq!(Route::decode_full(&msg(out)).unwrap(), (a, x));
}

#[test]
fn new_route_decodes_to_its_fields() {
    let req = NewRoute {
        gateway: Some(ip("2001:db8::1")),
        oif: Some(4),
        table: 100_000,
        protocol: RouteProtocol::DHCP,
        priority: Some(1024),
        prefsrc: Some(ip("2001:db8::5")),
        metrics: Metrics::EMPTY
            .with(Metric::MTU, 1280)
            .with(Metric::HOPLIMIT, 9),
        ..NewRoute::new(net("2001:db8:9::/48"))
    };
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let r = encode_new(&mut w, &req, RouteMode::Append).unwrap();
    let (m, _) = Msg::parse(r.msg).unwrap();
    assert_eq!(m.flags(), Flags::REQUEST | Flags::CREATE | Flags::APPEND);
    let d = Route::decode(&m).unwrap();
    assert_eq!(d.dst, req.dst);
    assert_eq!(d.gateway, req.gateway);
    assert_eq!(d.oif, req.oif);
    assert_eq!(d.table, req.table);
    assert_eq!(d.protocol, req.protocol);
    assert_eq!(d.priority, req.priority);
    assert_eq!(d.prefsrc, req.prefsrc);
    assert_eq!(d.mtu, Some(1280));
    let (_, x) = Route::decode_full(&m).unwrap();
    assert_eq!(x.metrics.hoplimit(), Some(9));
    assert_eq!(d.kind, RouteType::UNICAST);
    assert_eq!(d.scope, Scope::UNIVERSE);
}

// `ip route add 10.1.0.0/24 nexthop via 10.0.0.2 weight 2 nexthop via
// 10.0.0.3 dev v0` (nl-capture, v0 = index 3).
#[rustfmt::skip]
pub(super) const ADD_MULTIPATH: [u8; 72] = [
    0x48, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
    // rtmsg: INET /24, main, boot, universe, unicast
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
    // RTA_DST 10.1.0.0
    0x08, 0, 0x01, 0, 10, 1, 0, 0,
    // RTA_MULTIPATH (36)
    0x24, 0, 0x09, 0,
    // rtnexthop len 16, flags 0, hops 1 (weight 2), ifindex 0; RTA_GATEWAY 10.0.0.2
    0x10, 0, 0, 0x01, 0, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 2,
    // rtnexthop len 16, hops 0, ifindex 3; RTA_GATEWAY 10.0.0.3
    0x10, 0, 0, 0x00, 3, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 3,
];

// `ip route add 10.2.0.0/24 nexthop via inet6 2001:db8::2 dev v0
// nexthop via 10.0.0.3 dev v0` (nl-capture; iproute2 leaves the
// RTA_VIA padding uninitialised, zero here).
#[rustfmt::skip]
pub(super) const ADD_MULTIPATH_VIA: [u8; 88] = [
    0x58, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
    0x08, 0, 0x01, 0, 10, 2, 0, 0,
    // RTA_MULTIPATH (52)
    0x34, 0, 0x09, 0,
    // rtnexthop len 32, ifindex 3; RTA_VIA (22) AF_INET6 2001:db8::2, 2 bytes padding
    0x20, 0, 0, 0, 3, 0, 0, 0,
    0x16, 0, 0x12, 0, 0x0a, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0x02, 0, 0,
    // rtnexthop len 16, ifindex 3; RTA_GATEWAY 10.0.0.3
    0x10, 0, 0, 0, 3, 0, 0, 0, 0x08, 0, 0x05, 0, 10, 0, 0, 3,
];

// `ip route add 10.2.0.0/24 via inet6 2001:db8::2 dev v0` (nl-capture).
#[rustfmt::skip]
pub(super) const ADD_VIA_INET6: [u8; 68] = [
    0x44, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0, 0, 0, 0,
    0x08, 0, 0x01, 0, 10, 2, 0, 0,
    // RTA_VIA (22) AF_INET6 2001:db8::2, padded
    0x16, 0, 0x12, 0, 0x0a, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0x02, 0, 0,
    // RTA_OIF 3
    0x08, 0, 0x04, 0, 3, 0, 0, 0,
];

fn hop(gw: &str, weight: u8, ifindex: u32) -> Leg {
    Leg {
        flags: LegFlags::EMPTY,
        hops: weight - 1,
        ifindex,
        gateway: Some(ip(gw)),
        flow: None,
    }
}

#[test]
fn golden_multipath_and_via() {
    let mut buf = [0xa5u8; 128];
    let got = with_ack(&mut buf, |w| {
        let req = NewRoute::new(net("10.1.0.0/24"));
        let hops = [hop("10.0.0.2", 2, 0), hop("10.0.0.3", 1, 3)];
        let _ = encode_new_multipath(w, &req, RouteMode::Add, &hops).unwrap();
    });
    assert_eq!(got, ADD_MULTIPATH);
    let mut buf = [0xa5u8; 128];
    let got = with_ack(&mut buf, |w| {
        let req = NewRoute::new(net("10.2.0.0/24"));
        let hops = [hop("2001:db8::2", 1, 3), hop("10.0.0.3", 1, 3)];
        let _ = encode_new_multipath(w, &req, RouteMode::Add, &hops).unwrap();
    });
    assert_eq!(got, ADD_MULTIPATH_VIA);
    let mut buf = [0xa5u8; 128];
    let got = with_ack(&mut buf, |w| {
        let req = NewRoute {
            via: Some(ip("2001:db8::2")),
            oif: Some(3),
            ..NewRoute::new(net("10.2.0.0/24"))
        };
        let _ = encode_new(w, &req, RouteMode::Add).unwrap();
    });
    assert_eq!(got, ADD_VIA_INET6);
}

// `ip route add default via 169.254.1.1 dev v0 onlink` (nl-capture).
#[rustfmt::skip]
pub(super) const ADD_ONLINK: [u8; 44] = [
    0x2c, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
    // rtmsg: INET /0, main, boot, universe, unicast, rtm_flags RTNH_F_ONLINK
    0x02, 0, 0, 0, 0xfe, 0x03, 0x00, 0x01, 0x04, 0, 0, 0,
    0x08, 0, 0x05, 0, 169, 254, 1, 1,
    0x08, 0, 0x04, 0, 3, 0, 0, 0,
];

#[test]
fn golden_onlink() {
    let mut buf = [0xa5u8; 64];
    let got = with_ack(&mut buf, |w| {
        let req = NewRoute {
            gateway: Some(ip("169.254.1.1")),
            oif: Some(3),
            flags: RouteFlags::ONLINK,
            ..NewRoute::new(net("0.0.0.0/0"))
        };
        let _ = encode_new(w, &req, RouteMode::Add).unwrap();
    });
    assert_eq!(got, ADD_ONLINK);
}

#[test]
fn multipath_and_via_decode_back() {
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let req = NewRoute {
        nh_id: Some(7),
        ..NewRoute::new(net("2001:db8:1::/64"))
    };
    let hops = [hop("2001:db8::2", 1, 0), hop("2001:db8::3", 3, 4)];
    let r = encode_new_multipath(&mut w, &req, RouteMode::Append, &hops).unwrap();
    let (m, _) = Msg::parse(r.msg).unwrap();
    let (d, x) = Route::decode_full(&m).unwrap();
    assert_eq!(d.nh_id, Some(7));
    assert_eq!(d.multipath_legs, 2);
    assert_eq!(x.multipath.len(), 2);
    assert_eq!(x.multipath[1].gateway, Some(ip("2001:db8::3")));
    assert_eq!(x.multipath[1].weight(), 3);
    assert_eq!(x.multipath[1].ifindex, 4);
    // A via of the route's own family is a gateway: refused.
    let bad = NewRoute {
        via: Some(ip("10.0.0.1")),
        ..NewRoute::new(net("10.2.0.0/24"))
    };
    assert!(encode_new(&mut w, &bad, RouteMode::Add).is_err());
}
