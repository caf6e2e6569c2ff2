//! The decoder on malformed and mutated input.

use super::leg::{MULTIPATH, V6_VIA};
use super::request::{ADD_VIA, GET_REPLY, REPLACE_DEFAULT, SHOW, SHOW_REPLY};
use super::*;

#[test]
fn never_panics_on_mutations() {
    let all: [&[u8]; 4] = [&GET_REPLY, &SHOW_REPLY, &MULTIPATH, &V6_VIA];
    for m in all.into_iter().flat_map(raw_msgs) {
        hammer(m, |m| {
            let _ = Route::decode(m);
        });
    }
}

#[test]
fn rejects_malformed_messages() {
    // wrong message type
    assert!(matches!(
        Route::decode(&msg(&SHOW)),
        Err(DecodeError::UnexpectedType { .. })
    ));
    // dst_len 24 but no RTA_DST
    let mut b = REPLACE_DEFAULT;
    b[4] = 24;
    b[17] = 24;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::MissingAttr { kind: 1, .. })
    ));
    // dst_len 33
    let mut b = ADD_VIA;
    b[17] = 33;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::OutOfRange { .. })
    ));
    // IPv6 family with a 4-byte RTA_DST
    let mut b = ADD_VIA;
    b[16] = 10;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::AttrSize { .. })
    ));
    // AF_MPLS is refused
    let mut b = ADD_VIA;
    b[16] = 28;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::OutOfRange { .. })
    ));
    // rtnexthop longer than RTA_MULTIPATH
    let mut b = MULTIPATH;
    b[48] = 40;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::BadLength { .. })
    ));
    // short rtmsg
    let mut b = [0u8; 24];
    b[..16].copy_from_slice(&ADD_VIA[..16]);
    b[0] = 24;
    assert!(matches!(
        Route::decode(&msg(&b)),
        Err(DecodeError::Truncated { .. })
    ));
    // malformed descriptive attribute: ignored
    let mut b = V6_VIA;
    b[140] = 4; // RTA_PREF with an empty payload
    let (r, x) = Route::decode_full(&msg(&b)).unwrap();
    assert_eq!(x.pref, None);
    assert_eq!(r.mtu, Some(1400));
}

/// The kernel's answer to `ip route show 10.9.0.0/24` after `ip route add
/// 10.9.0.0/24 encap ip id 5 dst 10.0.0.9 ttl 4 dev d0` (nl-capture
/// --recv --normalize): `RTA_ENCAP` (id, dst, src, tos, ttl, flags) then
/// `RTA_ENCAP_TYPE` `LWTUNNEL_ENCAP_IP`.
#[rustfmt::skip]
const ENCAP_IP_REPLY: [u8; 116] = [
    0x74, 0x00, 0x00, 0x00, 0x18, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x18, 0x00, 0x00, 0xfe, 0x03, 0xfd, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0f, 0x00,
    0xfe, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x38, 0x00, 0x16, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x05, 0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x09, 0x08, 0x00, 0x03, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 0x00,
    0x04, 0x00, 0x00, 0x00, 0x06, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x15, 0x00,
    0x02, 0x00, 0x00, 0x00,
];

#[test]
fn decodes_ip_tunnel_encap() {
    use crate::route::encap::{Encap, IpTunnelEncap};
    let (r, x) = Route::decode_full(&msg(&ENCAP_IP_REPLY)).unwrap();
    assert_eq!(r.oif, Some(2));
    let want = IpTunnelEncap {
        id: Some(5),
        dst: Some("10.0.0.9".parse().unwrap()),
        src: Some("0.0.0.0".parse().unwrap()),
        ttl: Some(4),
        tos: Some(0),
        flags: Some(0),
    };
    assert_eq!(x.encap, Some(Encap::Ip(want)));
    assert_eq!(Encap::type_word(x.encap.unwrap().kind()), "ip");
    // The type decides how the nest reads: typed MPLS, the id's eight
    // bytes are two label stack entries (labels 0 and 0).
    let mut mpls = ENCAP_IP_REPLY;
    mpls[0x70] = 1;
    let x = Route::decode_full(&msg(&mpls)).unwrap().1;
    let Some(Encap::Mpls { labels, ttl: None }) = x.encap else {
        panic!("{:?}", x.encap)
    };
    assert_eq!(labels.labels(), [0, 0]);
    hammer(&ENCAP_IP_REPLY, |m| {
        let _ = Route::decode_full(m);
    });
}
