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
