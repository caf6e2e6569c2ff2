//! Tests of routes, with the golden vectors next to what they check:
//! requests (`request.rs`), multipath legs (`leg.rs`), the decoder on
//! malformed input (`decode.rs`).

mod decode;
mod encap;
mod leg;
mod request;

use super::leg::emit_hop;
use super::*;
use crate::IpNet;
use crate::route::addr::Scope;
use crate::route::common::tests::{hammer, msg, raw_msgs, with_ack};
use crate::route::{AddrFamily, RTM_NEWROUTE};
use crate::session::Expect;
use crate::wire::{Flags, Msg, MsgWriter, Msgs};
use crate::{DecodeError, EncodeError};
use core::net::IpAddr;
use zerocopy::FromZeros;

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}
fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}
