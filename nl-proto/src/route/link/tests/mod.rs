//! Tests of links, with the golden vectors next to what they check:
//! requests against iproute2's bytes (`encode.rs`), the kernel's replies
//! (`decode.rs`).

mod afspec;
mod decode;
mod encode;
mod kinds;

use super::object::INET6_ADDR_GEN_MODE;
use super::*;
use crate::route::AddrFamily;
use crate::route::RTM_NEWLINK;
use crate::route::stats::LinkStats64;
use crate::session::Expect;
use crate::values::{IfName, Mac};
use crate::wire::{Attrs, Flags, Msg, MsgWriter, Msgs};
use crate::{DecodeError, EncodeError};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn first_msg(bytes: &[u8]) -> Msg<'_> {
    Msgs::new(bytes).next().unwrap().unwrap()
}

fn name(s: &str) -> IfName {
    IfName::new(s).unwrap()
}

/// Make our request comparable with iproute2's: set `NLM_F_ACK` (the
/// session adds it on submit; iproute2 sets it itself) and clear
/// `NLA_F_NESTED` (our writer sets it on every nest, iproute2 never
/// does; the kernel accepts both). The walk descends into flagged
/// attributes only, skipping the `ifinfomsg` at the start of
/// `VETH_INFO_PEER` (depth 2: LINKINFO > DATA > PEER).
fn as_iproute2(msg: &mut [u8]) {
    msg[6] |= Flags::ACK.0 as u8;
    fn walk(b: &mut [u8], depth: usize) {
        let mut i = 0;
        while i + 4 <= b.len() {
            let len = usize::from(u16::from_ne_bytes([b[i], b[i + 1]]));
            let ty = u16::from_ne_bytes([b[i + 2], b[i + 3]]);
            if ty & 0x8000 != 0 {
                b[i + 3] &= 0x7f;
                let skip = if depth == 2 && ty & 0x7fff == VETH_INFO_PEER {
                    16
                } else {
                    0
                };
                walk(&mut b[i + 4 + skip..i + len], depth + 1);
            }
            i += (len + 3) & !3;
        }
    }
    walk(&mut msg[32..], 0);
}

pub(super) use crate::route::common::tests::hex;
