//! Lightweight tunnel encapsulation (`RTA_ENCAP` / `NHA_ENCAP` with their
//! `*_ENCAP_TYPE`, `include/uapi/linux/lwtunnel.h`): the MPLS label stack
//! of `ip route|nexthop … encap mpls L1/L2/…`, and the IPv4/IPv6 tunnel
//! metadata of `encap ip|ip6 id N dst A …` ([`IpTunnelEncap`], what a
//! collect-metadata tunnel device such as `vxlan external` sends with).
//! [`Encap`] is a route's `RTA_ENCAP` by its `RTA_ENCAP_TYPE`.

use core::net::IpAddr;

use crate::EncodeError;
use crate::wire::{Attr, MsgWriter};

/// `LWTUNNEL_ENCAP_MPLS`.
pub const ENCAP_MPLS: u16 = 1;
/// `LWTUNNEL_ENCAP_IP`.
pub const ENCAP_IP: u16 = 2;
/// `LWTUNNEL_ENCAP_IP6`.
pub const ENCAP_IP6: u16 = 4;
/// `LWTUNNEL_ENCAP_SEG6`.
pub const ENCAP_SEG6: u16 = 5;
/// `MPLS_IPTUNNEL_TTL`: u8.
const MPLS_IPTUNNEL_TTL: u16 = 2;
/// `MPLS_IPTUNNEL_DST`: the label stack, one big-endian label stack
/// entry per label.
const MPLS_IPTUNNEL_DST: u16 = 1;
/// The most labels an [`MplsEncap`] holds (the kernel's
/// `MAX_NEW_LABELS` is 30; iproute2 scripts use a few).
pub const MPLS_LABELS_MAX: usize = 8;
/// The bottom-of-stack bit of a label stack entry.
const BOS: u32 = 1 << 8;

/// An MPLS label stack to push (`encap mpls 100/200`), outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MplsEncap {
    labels: [u32; MPLS_LABELS_MAX],
    len: u8,
}

impl MplsEncap {
    /// The stack of `labels` (20-bit values), or `None` for none, more
    /// than [`MPLS_LABELS_MAX`] or a label above 2^20 - 1.
    pub fn new(labels: &[u32]) -> Option<Self> {
        let mut out = [0u32; MPLS_LABELS_MAX];
        out.get_mut(..labels.len())?.copy_from_slice(labels);
        if labels.is_empty() || labels.iter().any(|&l| l >= 1 << 20) {
            return None;
        }
        Some(Self {
            labels: out,
            len: u8::try_from(labels.len()).ok()?,
        })
    }

    /// The labels, outermost first.
    pub fn labels(&self) -> &[u32] {
        self.labels.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// Read `MPLS_IPTUNNEL_DST` out of an `*_ENCAP` nest; `None` when it
    /// is missing or malformed.
    pub(crate) fn decode(encap: &Attr<'_>) -> Option<Self> {
        let dst = encap
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == MPLS_IPTUNNEL_DST)?;
        let mut labels = [0u32; MPLS_LABELS_MAX];
        let mut n = 0;
        for chunk in dst.payload().chunks_exact(4) {
            let entry = u32::from_be_bytes(chunk.try_into().ok()?);
            *labels.get_mut(n)? = entry >> 12;
            n += 1;
        }
        Self::new(labels.get(..n)?)
    }

    /// Write `encap_attr` (a nest holding `MPLS_IPTUNNEL_DST`), then
    /// `type_attr` = [`ENCAP_MPLS`], as iproute2 does.
    pub(crate) fn put(
        &self,
        w: &mut MsgWriter<'_>,
        encap_attr: u16,
        type_attr: u16,
    ) -> Result<(), EncodeError> {
        let mut buf = [0u8; MPLS_LABELS_MAX * 4];
        let labels = self.labels();
        for (i, (l, out)) in labels.iter().zip(buf.chunks_exact_mut(4)).enumerate() {
            let bos = if i + 1 == labels.len() { BOS } else { 0 };
            out.copy_from_slice(&(l << 12 | bos).to_be_bytes());
        }
        let stack = buf.get(..labels.len() * 4).unwrap_or_default();
        w.nested(encap_attr, |w| w.put(MPLS_IPTUNNEL_DST, stack))?;
        w.put_u16(type_attr, ENCAP_MPLS)
    }
}

impl MplsEncap {
    /// `MPLS_IPTUNNEL_TTL` of an `*_ENCAP` nest, if sent.
    pub(crate) fn decode_ttl(encap: &Attr<'_>) -> Option<u8> {
        encap
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == MPLS_IPTUNNEL_TTL)?
            .u8()
            .ok()
    }
}

/// Tunnel metadata for a collect-metadata tunnel (`LWTUNNEL_IP_*` /
/// `LWTUNNEL_IP6_*`, which share their numbers): `encap ip|ip6 id N dst A
/// [src A] [ttl|hoplimit N] [tos|tc N]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpTunnelEncap {
    /// `LWTUNNEL_IP_ID`: the tunnel id (a big-endian u64 on the wire).
    pub id: Option<u64>,
    /// `LWTUNNEL_IP_DST`: the far end.
    pub dst: Option<IpAddr>,
    /// `LWTUNNEL_IP_SRC`: the near end.
    pub src: Option<IpAddr>,
    /// `LWTUNNEL_IP_TTL` / `LWTUNNEL_IP6_HOPLIMIT`.
    pub ttl: Option<u8>,
    /// `LWTUNNEL_IP_TOS` / `LWTUNNEL_IP6_TC`.
    pub tos: Option<u8>,
    /// `LWTUNNEL_IP_FLAGS`: `TUNNEL_*` (key 0x4, csum 0x1, seq 0x8), read
    /// big-endian as the kernel defines them.
    pub flags: Option<u16>,
}

/// `TUNNEL_CSUM` in [`IpTunnelEncap::flags`].
pub const TUNNEL_CSUM: u16 = 0x1;
/// `TUNNEL_KEY`.
pub const TUNNEL_KEY: u16 = 0x4;
/// `TUNNEL_SEQ`.
pub const TUNNEL_SEQ: u16 = 0x8;

impl IpTunnelEncap {
    fn decode(encap: &Attr<'_>, v6: bool) -> Self {
        let mut t = Self::default();
        for a in encap.nested().map_while(Result::ok) {
            match a.kind() {
                1 => t.id = a.be64().ok(),
                2 => {
                    t.dst = if v6 {
                        a.ipv6().ok().map(IpAddr::V6)
                    } else {
                        a.ipv4().ok().map(IpAddr::V4)
                    }
                }
                3 => {
                    t.src = if v6 {
                        a.ipv6().ok().map(IpAddr::V6)
                    } else {
                        a.ipv4().ok().map(IpAddr::V4)
                    }
                }
                4 => t.ttl = a.u8().ok(),
                5 => t.tos = a.u8().ok(),
                // `TUNNEL_*` are big-endian (`__cpu_to_be16`).
                6 => t.flags = a.be16().ok(),
                _ => {}
            }
        }
        t
    }
}

/// A route's lightweight tunnel encapsulation (`RTA_ENCAP` by
/// `RTA_ENCAP_TYPE`), as `ip route show` prints it after `encap TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encap {
    /// `encap mpls L1/L2… [ttl N]`.
    Mpls {
        /// The label stack.
        labels: MplsEncap,
        /// `MPLS_IPTUNNEL_TTL`.
        ttl: Option<u8>,
    },
    /// `encap ip …`.
    Ip(IpTunnelEncap),
    /// `encap ip6 …`.
    Ip6(IpTunnelEncap),
    /// Another type (seg6, bpf, ila, …; its `LWTUNNEL_ENCAP_*` number),
    /// not decoded.
    Other(u16),
}

impl Encap {
    /// Decode `RTA_ENCAP` of type `kind`; `None` for an MPLS nest without
    /// a readable label stack.
    pub fn decode(kind: u16, encap: &Attr<'_>) -> Option<Self> {
        Some(match kind {
            ENCAP_MPLS => Self::Mpls {
                labels: MplsEncap::decode(encap)?,
                ttl: MplsEncap::decode_ttl(encap),
            },
            ENCAP_IP => Self::Ip(IpTunnelEncap::decode(encap, false)),
            ENCAP_IP6 => Self::Ip6(IpTunnelEncap::decode(encap, true)),
            other => Self::Other(other),
        })
    }

    /// iproute2's word for an `LWTUNNEL_ENCAP_*` type (`format_encap_type`).
    pub fn type_word(kind: u16) -> &'static str {
        match kind {
            ENCAP_MPLS => "mpls",
            ENCAP_IP => "ip",
            3 => "ila",
            ENCAP_IP6 => "ip6",
            ENCAP_SEG6 => "seg6",
            6 => "bpf",
            7 => "seg6local",
            8 => "rpl",
            9 => "ioam6",
            10 => "xfrm",
            _ => "unknown",
        }
    }

    /// This encapsulation's `LWTUNNEL_ENCAP_*` number.
    pub fn kind(&self) -> u16 {
        match self {
            Self::Mpls { .. } => ENCAP_MPLS,
            Self::Ip(_) => ENCAP_IP,
            Self::Ip6(_) => ENCAP_IP6,
            Self::Other(k) => *k,
        }
    }
}
