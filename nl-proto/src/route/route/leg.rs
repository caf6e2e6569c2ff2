//! Multipath legs: `RTA_MULTIPATH`'s `struct rtnexthop` entries, decoded
//! ([`Leg`]) and written.

use super::object::via;
use super::{RouteAttr, RouteExtras};
use crate::route::AddrFamily;
use crate::route::common::bit_flags;
use crate::wire::{Attr, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::IpAddr;
use zerocopy::byteorder::{I32, NativeEndian, U16};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

bit_flags! {
    /// Next-hop flags (`rtnh_flags`, `RTNH_F_*`).
    pub struct LegFlags(u8) {
        /// `RTNH_F_DEAD`.
        DEAD = 0x1 => "dead",
        /// `RTNH_F_PERVASIVE`.
        PERVASIVE = 0x2 => "pervasive",
        /// `RTNH_F_ONLINK`.
        ONLINK = 0x4 => "onlink",
        /// `RTNH_F_OFFLOAD`.
        OFFLOAD = 0x8 => "offload",
        /// `RTNH_F_LINKDOWN`.
        LINKDOWN = 0x10 => "linkdown",
        /// `RTNH_F_UNRESOLVED`.
        UNRESOLVED = 0x20 => "unresolved",
        /// `RTNH_F_TRAP`.
        TRAP = 0x40 => "trap",
    }
}

/// One next hop of a multipath route, `struct rtnexthop` and its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    /// `rtnh_flags`.
    pub flags: LegFlags,
    /// `rtnh_hops`: the weight minus one.
    pub hops: u8,
    /// `rtnh_ifindex`: output interface.
    pub ifindex: u32,
    /// `RTA_GATEWAY`, or the address of `RTA_VIA`.
    pub gateway: Option<IpAddr>,
    /// `RTA_FLOW`.
    pub flow: Option<u32>,
}

impl Leg {
    /// The weight, as `ip route ... nexthop ... weight N` gives it (`hops + 1`).
    pub fn weight(&self) -> u16 {
        u16::from(self.hops) + 1
    }
}

/// `struct rtnexthop`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct RtNextHop {
    len: U16<NativeEndian>,
    flags: u8,
    hops: u8,
    ifindex: I32<NativeEndian>,
}

/// Most next hops a decoded [`Route`](super::Route) keeps.
pub const MULTIPATH_MAX: usize = 8;

/// Walk `RTA_MULTIPATH`: the number of legs and the first one, and every
/// leg into `extras` when asked.
pub(super) fn decode_multipath(
    attr: &Attr<'_>,
    mut extras: Option<&mut RouteExtras>,
) -> Result<(u8, Option<Leg>), DecodeError> {
    let mut rest = attr.payload();
    let mut count = 0u8;
    let mut first = None;
    while !rest.is_empty() {
        let (nh, _) = RtNextHop::ref_from_prefix(rest).map_err(|_| DecodeError::Truncated {
            what: "rtnexthop",
            need: 8,
            have: rest.len(),
        })?;
        let len = usize::from(nh.len.get());
        if len < 8 || len > rest.len() {
            return Err(DecodeError::BadLength {
                what: "rtnh_len",
                len,
            });
        }
        let mut hop = Leg {
            flags: LegFlags(nh.flags),
            hops: nh.hops,
            ifindex: u32::try_from(nh.ifindex.get()).map_err(|_| DecodeError::OutOfRange {
                what: "rtnh_ifindex",
                value: u64::from(nh.ifindex.get().unsigned_abs()),
            })?,
            gateway: None,
            flow: None,
        };
        for a in crate::wire::Attrs::new(rest.get(8..len).unwrap_or_default()) {
            let a = a?;
            match RouteAttr(a.kind()) {
                RouteAttr::GATEWAY => hop.gateway = Some(a.ip()?),
                RouteAttr::VIA => hop.gateway = Some(via(&a)?),
                RouteAttr::FLOW => hop.flow = a.u32().ok(),
                _ => {}
            }
        }
        count = count.saturating_add(1);
        first.get_or_insert(hop);
        if let Some(x) = extras.as_deref_mut() {
            if x.multipath.push(hop).is_err() {
                x.multipath_truncated = true;
            }
        }
        let step = crate::wire::align(len).unwrap_or(len).min(rest.len());
        rest = rest.get(step..).unwrap_or_default();
    }
    Ok((count, first))
}

pub(super) fn put_via(w: &mut MsgWriter<'_>, kind: u16, ip: IpAddr) -> Result<(), EncodeError> {
    let fam = u16::from(AddrFamily::of(&ip).0).to_ne_bytes();
    match ip {
        IpAddr::V4(a) => w.put_parts(kind, &[&fam, &a.octets()]),
        IpAddr::V6(a) => w.put_parts(kind, &[&fam, &a.octets()]),
    }
}

pub(super) fn emit_hop(w: &mut MsgWriter<'_>, h: &Leg) -> Result<(), EncodeError> {
    let gw_len: u16 = match h.gateway {
        Some(IpAddr::V4(_)) => 8,
        Some(IpAddr::V6(_)) => 20,
        None => 0,
    };
    let flow_len: u16 = if h.flow.is_some() { 8 } else { 0 };
    let len = 8u16.saturating_add(gw_len).saturating_add(flow_len);
    w.put_fixed(&RtNextHop {
        len: len.into(),
        flags: h.flags.0,
        hops: h.hops,
        ifindex: i32::try_from(h.ifindex)
            .map_err(|_| EncodeError::Invalid {
                what: "next-hop ifindex above i32::MAX",
            })?
            .into(),
    })?;
    if let Some(g) = h.gateway {
        w.put_ip(RouteAttr::GATEWAY.0, g)?;
    }
    if let Some(f) = h.flow {
        w.put_u32(RouteAttr::FLOW.0, f)?;
    }
    Ok(())
}

/// The most bytes one request next hop takes: `struct rtnexthop` (8),
/// `RTA_VIA` with an IPv6 address (24), `RTA_FLOW` (8).
const REQUEST_HOP_MAX: usize = 40;

/// Append one attribute (header, payload, zero padding) at `at`; returns
/// the new end.
fn put_attr_at(
    buf: &mut [u8],
    at: usize,
    kind: u16,
    parts: &[&[u8]],
) -> Result<usize, EncodeError> {
    let payload: usize = parts.iter().map(|p| p.len()).sum();
    let len = u16::try_from(4 + payload).map_err(|_| EncodeError::Invalid {
        what: "next-hop attribute too long",
    })?;
    let end = at + ((4 + payload + 3) & !3);
    let out = buf.get_mut(at..end).ok_or(EncodeError::Invalid {
        what: "next hop too long",
    })?;
    out.fill(0);
    out[..2].copy_from_slice(&len.to_ne_bytes());
    out[2..4].copy_from_slice(&kind.to_ne_bytes());
    let mut pos = 4;
    for p in parts {
        out[pos..pos + p.len()].copy_from_slice(p);
        pos += p.len();
    }
    Ok(end)
}

/// One `struct rtnexthop` of a request, written at `at` in `buf`: the
/// gateway as `RTA_GATEWAY` when it is of the route's family, else as
/// `RTA_VIA` (as iproute2 writes them). Returns the new end.
fn put_request_hop(
    buf: &mut [u8],
    at: usize,
    h: &Leg,
    v4_route: bool,
) -> Result<usize, EncodeError> {
    let ifindex = i32::try_from(h.ifindex).map_err(|_| EncodeError::Invalid {
        what: "next-hop ifindex above i32::MAX",
    })?;
    let mut end = at + 8;
    if let Some(g) = h.gateway {
        let (v4, v6);
        let addr: &[u8] = match g {
            IpAddr::V4(a) => {
                v4 = a.octets();
                &v4
            }
            IpAddr::V6(a) => {
                v6 = a.octets();
                &v6
            }
        };
        end = if g.is_ipv4() == v4_route {
            put_attr_at(buf, end, RouteAttr::GATEWAY.0, &[addr])?
        } else {
            let fam = u16::from(AddrFamily::of(&g).0).to_ne_bytes();
            put_attr_at(buf, end, RouteAttr::VIA.0, &[&fam, addr])?
        };
    }
    if let Some(f) = h.flow {
        end = put_attr_at(buf, end, RouteAttr::FLOW.0, &[&f.to_ne_bytes()])?;
    }
    let len = u16::try_from(end - at).map_err(|_| EncodeError::Invalid {
        what: "next hop too long",
    })?;
    let head = buf.get_mut(at..at + 8).ok_or(EncodeError::Invalid {
        what: "next hop too long",
    })?;
    head[..2].copy_from_slice(&len.to_ne_bytes());
    head[2] = h.flags.0;
    head[3] = h.hops;
    head[4..].copy_from_slice(&ifindex.to_ne_bytes());
    Ok(end)
}

/// `RTA_MULTIPATH` of a request: an array of `struct rtnexthop`, without
/// `NLA_F_NESTED` (it is not a nest of attributes), as iproute2 sends it.
pub(super) fn put_request_multipath(
    w: &mut MsgWriter<'_>,
    hops: &[Leg],
    v4_route: bool,
) -> Result<(), EncodeError> {
    if hops.len() > MULTIPATH_MAX {
        return Err(EncodeError::Invalid {
            what: "more next hops than MULTIPATH_MAX",
        });
    }
    let mut buf = [0u8; MULTIPATH_MAX * REQUEST_HOP_MAX];
    let mut end = 0;
    for h in hops {
        end = put_request_hop(&mut buf, end, h, v4_route)?;
    }
    w.put_parts(
        RouteAttr::MULTIPATH.0,
        &[buf.get(..end).unwrap_or_default()],
    )
}
