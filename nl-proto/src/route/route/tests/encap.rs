//! `ip route add … encap mpls|ip|ip6|seg6 …`: our requests against
//! iproute2 6.1's (captured with `nl-capture --normalize`, the veth `v0`
//! being ifindex 3), and seg6 decoded from those bytes (this kernel has
//! no `CONFIG_IPV6_SEG6_LWTUNNEL` nor MPLS routing: it refuses seg6 and
//! mpls encaps with "lwt encapsulation type not supported").

use super::*;
use crate::route::common::tests::hex;
use crate::route::encap::{
    Encap, IpTunnelEncap, MplsEncap, Seg6Encap, Seg6Mode, TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ,
};
use core::net::Ipv6Addr;

/// `ip route add 10.9.0.0/24 encap mpls 100/200 via 10.0.0.2 dev v0`.
const ADD_MPLS_VIA: [u8; 76] = hex(concat!(
    "4c00000018000506000000000000000002180000fe03000100000000080001000a090000",
    "100016800c00010000064000000c81000600150001000100080005000a00000208000400",
    "03000000",
));
/// `ip route add 10.9.0.0/24 encap mpls 100 ttl 5 dev v0`.
const ADD_MPLS_TTL: [u8; 72] = hex(concat!(
    "4800000018000506000000000000000002180000fe03fd0100000000080001000a090000",
    "140016800800010000064100050002000500000006001500010000000800040003000000",
));
/// `ip route add 10.9.0.0/24 encap ip id 42 dst 10.1.1.1 src 10.1.1.2 ttl
/// 8 tos 4 key csum dev v0`.
const ADD_IP: [u8; 108] = hex(concat!(
    "6c00000018000506000000000000000002180000fe03fd0100000000080001000a090000",
    "380016800c000100000000000000002a080002000a010101080003000a01010205000400",
    "08e101000500050004e10100060006000005000006001500020001000800040003000000",
));
/// `ip route add 10.9.0.0/24 encap ip6 id 7 dst 2001:db8::9 hoplimit 3 tc
/// 2 seq dev v0`.
const ADD_IP6: [u8; 112] = hex(concat!(
    "7000000018000506000000000000000002180000fe03fd0100000000080001000a090000",
    "3c0016800c00010000000000000000071400020020010db8000000000000000000000009",
    "050004000300000005000500020000000600060000080000060015000400000008000400",
    "03000000",
));
/// `ip route add 2001:db8:9::/64 encap seg6 mode encap segs
/// 2001:db8::a,2001:db8::b dev v0`.
const ADD_SEG6_ENCAP: [u8; 116] = hex(concat!(
    "740000001800050600000000000000000a400000fe030001000000001400010020010db8",
    "000900000000000000000000340016803000010001000000000404010100000020010db8",
    "00000000000000000000000b20010db800000000000000000000000a0600150005000000",
    "0800040003000000",
));
/// `ip route add 2001:db8:9::/64 encap seg6 mode inline segs 2001:db8::a
/// dev v0`: iproute2 adds an all-zero last segment.
const ADD_SEG6_INLINE: [u8; 116] = hex(concat!(
    "740000001800050600000000000000000a400000fe030001000000001400010020010db8",
    "000900000000000000000000340016803000010000000000000404010100000000000000",
    "00000000000000000000000020010db800000000000000000000000a0600150005000000",
    "0800040003000000",
));
/// `ip route add 2001:db8:9::/64 encap seg6 mode l2encap segs 2001:db8::a
/// dev v0`.
const ADD_SEG6_L2ENCAP: [u8; 100] = hex(concat!(
    "640000001800050600000000000000000a400000fe030001000000001400010020010db8",
    "000900000000000000000000240016802000010002000000000204000000000020010db8",
    "00000000000000000000000a06001500050000000800040003000000",
));

fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// A capture with its attributes' padding zeroed, as our writer leaves
/// it (iproute2 leaves stack bytes there, e.g. after a u8 or u16).
fn padded_as_ours(golden: &[u8]) -> heapless::Vec<u8, 256> {
    fn walk(b: &mut [u8]) {
        let mut i = 0;
        while i + 4 <= b.len() {
            let len = usize::from(u16::from_ne_bytes([b[i], b[i + 1]]));
            let end = ((i + len + 3) & !3).min(b.len());
            if b[i + 3] & 0x80 != 0 {
                walk(&mut b[i + 4..i + len]);
            }
            b[i + len..end].fill(0);
            i = end;
        }
    }
    let mut out = heapless::Vec::from_slice(golden).unwrap();
    walk(&mut out[28..]);
    out
}

fn encoded<'b>(buf: &'b mut [u8], req: &NewRoute) -> &'b [u8] {
    with_ack(buf, |w| {
        let _ = encode_new(w, req, RouteMode::Add).unwrap();
    })
}

fn route(dst: &str, encap: Encap) -> NewRoute {
    NewRoute {
        oif: Some(3),
        encap: Some(encap),
        ..NewRoute::new(net(dst))
    }
}

#[test]
fn mpls_encap_requests_match_iproute2() {
    let mut buf = [0u8; 256];
    let mut req = route(
        "10.9.0.0/24",
        Encap::Mpls {
            labels: MplsEncap::new(&[100, 200]).unwrap(),
            ttl: None,
        },
    );
    req.gateway = Some(ip("10.0.0.2"));
    assert_eq!(encoded(&mut buf, &req), &padded_as_ours(&ADD_MPLS_VIA)[..]);
    let req = route(
        "10.9.0.0/24",
        Encap::Mpls {
            labels: MplsEncap::new(&[100]).unwrap(),
            ttl: Some(5),
        },
    );
    assert_eq!(encoded(&mut buf, &req), &padded_as_ours(&ADD_MPLS_TTL)[..]);
}

#[test]
fn ip_encap_requests_match_iproute2_and_decode_back() {
    let ip4 = IpTunnelEncap {
        id: Some(42),
        dst: Some(ip("10.1.1.1")),
        src: Some(ip("10.1.1.2")),
        ttl: Some(8),
        tos: Some(4),
        flags: Some(TUNNEL_KEY | TUNNEL_CSUM),
    };
    let ip6 = IpTunnelEncap {
        id: Some(7),
        dst: Some(ip("2001:db8::9")),
        src: None,
        ttl: Some(3),
        tos: Some(2),
        flags: Some(TUNNEL_SEQ),
    };
    let mut buf = [0u8; 256];
    for (e, golden) in [
        (Encap::Ip(ip4), &ADD_IP[..]),
        (Encap::Ip6(ip6), &ADD_IP6[..]),
    ] {
        assert_eq!(
            encoded(&mut buf, &route("10.9.0.0/24", e)),
            &padded_as_ours(golden)[..]
        );
        let (_, x) = Route::decode_full(&msg(golden)).unwrap();
        assert_eq!(x.encap, Some(e));
    }
    // An address of the other family is refused, not sent.
    let bad = IpTunnelEncap {
        dst: Some(ip("10.1.1.1")),
        ..IpTunnelEncap::default()
    };
    let mut w = MsgWriter::new(&mut buf);
    assert!(matches!(
        encode_new(
            &mut w,
            &route("10.9.0.0/24", Encap::Ip6(bad)),
            RouteMode::Add
        ),
        Err(EncodeError::Invalid { .. })
    ));
}

#[test]
fn seg6_encap_requests_match_iproute2_and_decode_back() {
    let (a, b) = (v6("2001:db8::a"), v6("2001:db8::b"));
    let cases = [
        (
            Seg6Mode::Encap,
            &[a, b][..],
            &ADD_SEG6_ENCAP[..],
            &[a, b][..],
        ),
        (
            Seg6Mode::Inline,
            &[a],
            &ADD_SEG6_INLINE,
            &[a, Ipv6Addr::UNSPECIFIED],
        ),
        (Seg6Mode::L2Encap, &[a], &ADD_SEG6_L2ENCAP, &[a]),
    ];
    let mut buf = [0u8; 256];
    for (mode, given, golden, listed) in cases {
        let s = Seg6Encap::new(mode, given).unwrap();
        assert_eq!(s.segments(), listed);
        let req = route("2001:db8:9::/64", Encap::Seg6(s));
        assert_eq!(
            encoded(&mut buf, &req),
            &padded_as_ours(golden)[..],
            "{mode:?}"
        );
        let (_, x) = Route::decode_full(&msg(golden)).unwrap();
        assert_eq!(x.encap, Some(Encap::Seg6(s)), "{mode:?}");
    }
    assert_eq!(Seg6Mode::parse("encap.red"), Some(Seg6Mode::EncapRed));
    assert_eq!(Seg6Mode::from_wire(4), Seg6Mode::L2EncapRed);
    assert_eq!(Seg6Mode::from_wire(9).word(), "<unknown>");
    assert!(Seg6Encap::new(Seg6Mode::Encap, &[]).is_none());
    assert!(Seg6Encap::new(Seg6Mode::Inline, &[a; 8]).is_none());
}

#[test]
fn seg6_hmac_round_trips() {
    let mut s = Seg6Encap::new(Seg6Mode::Encap, &[v6("2001:db8::a")]).unwrap();
    s.hmac = Some(0x1a);
    let mut buf = [0u8; 256];
    let bytes: heapless::Vec<u8, 256> =
        heapless::Vec::from_slice(encoded(&mut buf, &route("2001:db8:9::/64", Encap::Seg6(s))))
            .unwrap();
    // mode, 8-byte header, one segment, the 40-byte TLV.
    let srh = &bytes[52..];
    assert_eq!(u16::from_ne_bytes([srh[0], srh[1]]), 4 + 4 + 8 + 16 + 40);
    assert_eq!(srh[8 + 1], (8 + 16 + 40) / 8 - 1, "hdrlen");
    assert_eq!(srh[8 + 5], 1 << 3, "SR6_FLAG1_HMAC");
    assert_eq!(&srh[8 + 8 + 16..][..8], &[5, 38, 0, 0, 0, 0, 0, 0x1a]);
    let (_, x) = Route::decode_full(&msg(&bytes)).unwrap();
    assert_eq!(x.encap, Some(Encap::Seg6(s)));
}

#[test]
fn seg6_decoder_survives_malformed_input() {
    hammer(&ADD_SEG6_ENCAP, |m| {
        let _ = Route::decode_full(m);
    });
}

#[test]
fn every_encap_survives_emit_and_decode() {
    for golden in [
        &ADD_MPLS_TTL[..],
        &ADD_IP,
        &ADD_IP6,
        &ADD_SEG6_ENCAP,
        &ADD_SEG6_INLINE,
    ] {
        let (r, x) = Route::decode_full(&msg(golden)).unwrap();
        assert!(x.encap.is_some());
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let bytes = r.emit_full(&x, &mut w, Flags::EMPTY).unwrap();
        assert_eq!(Route::decode_full(&msg(bytes)).unwrap(), (r, x));
    }
    // A type without a decoder keeps its number.
    let (r, mut x) = Route::decode_full(&msg(&ADD_IP)).unwrap();
    x.encap = Some(Encap::Other(6));
    let mut buf = [0u8; 512];
    let mut w = MsgWriter::new(&mut buf);
    let bytes = r.emit_full(&x, &mut w, Flags::EMPTY).unwrap();
    assert_eq!(
        Route::decode_full(&msg(bytes)).unwrap().1.encap,
        Some(Encap::Other(6))
    );
}
