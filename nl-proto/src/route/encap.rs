//! Lightweight tunnel encapsulation (`RTA_ENCAP` / `NHA_ENCAP` with their
//! `*_ENCAP_TYPE`, `include/uapi/linux/lwtunnel.h`): the MPLS label stack
//! of `ip route|nexthop … encap mpls L1/L2/…`, and the IPv4/IPv6 tunnel
//! metadata of `encap ip|ip6 id N dst A …` ([`IpTunnelEncap`], what a
//! collect-metadata tunnel device such as `vxlan external` sends with),
//! and the IPv6 segment routing header of `encap seg6 mode M segs A,B,…`
//! ([`Seg6Encap`]). [`Encap`] is a route's `RTA_ENCAP` by its
//! `RTA_ENCAP_TYPE`, decoded and encoded.

use core::net::{IpAddr, Ipv6Addr};

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
        w.nested(encap_attr, |w| self.put_stack(w))?;
        w.put_u16(type_attr, ENCAP_MPLS)
    }

    /// `MPLS_IPTUNNEL_DST`: one label stack entry per label, the last
    /// with the bottom-of-stack bit.
    fn put_stack(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let mut buf = [0u8; MPLS_LABELS_MAX * 4];
        let labels = self.labels();
        for (i, (l, out)) in labels.iter().zip(buf.chunks_exact_mut(4)).enumerate() {
            let bos = if i + 1 == labels.len() { BOS } else { 0 };
            out.copy_from_slice(&(l << 12 | bos).to_be_bytes());
        }
        let stack = buf.get(..labels.len() * 4).unwrap_or_default();
        w.put(MPLS_IPTUNNEL_DST, stack)
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
    /// Write the nest's members as iproute2 orders them for `id N dst A
    /// src A ttl N tos N key csum seq`: id, dst, src, ttl, tos, flags.
    fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if let Some(id) = self.id {
            w.put_be64(1, id)?;
        }
        for (kind, a) in [(2, self.dst), (3, self.src)] {
            if let Some(a) = a {
                w.put_ip(kind, a)?;
            }
        }
        for (kind, v) in [(4, self.ttl), (5, self.tos)] {
            if let Some(v) = v {
                w.put_u8(kind, v)?;
            }
        }
        match self.flags {
            Some(f) => w.put_be16(6, f),
            None => Ok(()),
        }
    }

    /// `Invalid` when an address is not of the tunnel's family.
    fn check(&self, v6: bool) -> Result<(), EncodeError> {
        if [self.dst, self.src]
            .iter()
            .flatten()
            .any(|a| a.is_ipv6() != v6)
        {
            return Err(EncodeError::Invalid {
                what: "ip/ip6 encap address of the other family",
            });
        }
        Ok(())
    }

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
    /// `encap seg6 mode M segs A,B… [hmac N]`.
    Seg6(Seg6Encap),
    /// Another type (bpf, ila, seg6local, …; its `LWTUNNEL_ENCAP_*`
    /// number), not decoded.
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
            ENCAP_SEG6 => Self::Seg6(Seg6Encap::decode(encap)?),
            other => Self::Other(other),
        })
    }

    /// Write `encap_attr` (the type's nest), then `type_attr` (its
    /// `LWTUNNEL_ENCAP_*` number), as iproute2 does for `encap TYPE …`.
    ///
    /// A route request puts it through
    /// [`NewRoute::encap`](crate::route::route::NewRoute::encap):
    ///
    /// ```
    /// use nl_proto::route::encap::{Encap, IpTunnelEncap};
    /// use nl_proto::route::route::{encode_new, NewRoute, RouteMode};
    /// use nl_proto::wire::MsgWriter;
    /// let mut req = NewRoute::new("10.9.0.0/24".parse().unwrap());
    /// req.oif = Some(3);
    /// req.encap = Some(Encap::Ip(IpTunnelEncap {
    ///     id: Some(42),
    ///     dst: Some("10.1.1.1".parse().unwrap()),
    ///     ..IpTunnelEncap::default()
    /// }));
    /// let mut buf = [0u8; 128];
    /// let mut w = MsgWriter::new(&mut buf);
    /// let r = encode_new(&mut w, &req, RouteMode::Add)?;
    /// // header and rtmsg, RTA_DST, RTA_ENCAP (id, dst), RTA_ENCAP_TYPE, RTA_OIF
    /// assert_eq!(r.msg.len(), 28 + 8 + (4 + 12 + 8) + 8 + 8);
    /// # Ok::<(), nl_proto::EncodeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EncodeError::Invalid`] for [`Encap::Other`] (nothing to send) or
    /// an `ip`/`ip6` address of the other family;
    /// [`EncodeError::BufferFull`].
    pub fn put(
        &self,
        w: &mut MsgWriter<'_>,
        encap_attr: u16,
        type_attr: u16,
    ) -> Result<(), EncodeError> {
        match self {
            Self::Mpls { labels, ttl } => {
                w.nested(encap_attr, |w| {
                    labels.put_stack(w)?;
                    match ttl {
                        Some(t) => w.put_u8(MPLS_IPTUNNEL_TTL, *t),
                        None => Ok(()),
                    }
                })?;
            }
            Self::Ip(t) | Self::Ip6(t) => {
                t.check(matches!(self, Self::Ip6(_)))?;
                w.nested(encap_attr, |w| t.put(w))?;
            }
            Self::Seg6(s) => w.nested(encap_attr, |w| s.put(w))?,
            Self::Other(_) => {
                return Err(EncodeError::Invalid {
                    what: "encap type without an encoder",
                });
            }
        }
        w.put_u16(type_attr, self.kind())
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
            Self::Seg6(_) => ENCAP_SEG6,
            Self::Other(k) => *k,
        }
    }
}

/// `SEG6_IPTUNNEL_SRH`: `struct seg6_iptunnel_encap` (a native-endian
/// `int mode`, then `struct ipv6_sr_hdr`).
const SEG6_IPTUNNEL_SRH: u16 = 1;
/// The most segments a [`Seg6Encap`] holds (with an inline route's
/// placeholder).
pub const SEG6_SEGMENTS_MAX: usize = 8;
/// `IPV6_SRCRT_TYPE_4`: the segment routing header's routing type.
const SRH_TYPE: u8 = 4;
/// `SR6_FLAG1_HMAC` in `ipv6_sr_hdr.flags`: an HMAC TLV follows.
const SR6_FLAG1_HMAC: u8 = 1 << 3;
/// `SR6_TLV_HMAC`, and its `struct sr6_tlv_hmac` length (type, len,
/// reserved u16, be32 key id, 32 bytes of HMAC).
const SR6_TLV_HMAC: u8 = 5;
const HMAC_TLV_LEN: usize = 40;

/// How a seg6 route applies its segment list (`SEG6_IPTUN_MODE_*`,
/// iproute2's `mode` words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg6Mode {
    /// `inline` (0): insert the header into the packet.
    Inline,
    /// `encap` (1): wrap the packet in an outer IPv6 header.
    Encap,
    /// `l2encap` (2): wrap the Ethernet frame.
    L2Encap,
    /// `encap.red` (3): reduced encapsulation (first segment only in
    /// the outer destination).
    EncapRed,
    /// `l2encap.red` (4).
    L2EncapRed,
    /// A mode iproute2 has no word for (printed `<unknown>`).
    Other(i32),
}

impl Seg6Mode {
    const WORDS: [(Self, &'static str); 5] = [
        (Self::Inline, "inline"),
        (Self::Encap, "encap"),
        (Self::L2Encap, "l2encap"),
        (Self::EncapRed, "encap.red"),
        (Self::L2EncapRed, "l2encap.red"),
    ];

    /// The `SEG6_IPTUN_MODE_*` number.
    pub fn to_wire(self) -> i32 {
        match self {
            Self::Inline => 0,
            Self::Encap => 1,
            Self::L2Encap => 2,
            Self::EncapRed => 3,
            Self::L2EncapRed => 4,
            Self::Other(m) => m,
        }
    }

    /// From a `SEG6_IPTUN_MODE_*` number.
    pub fn from_wire(m: i32) -> Self {
        Self::WORDS
            .iter()
            .map(|(mode, _)| *mode)
            .find(|mode| mode.to_wire() == m)
            .unwrap_or(Self::Other(m))
    }

    /// iproute2's word (`<unknown>` for [`Seg6Mode::Other`]).
    pub fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(mode, _)| *mode == self)
            .map_or("<unknown>", |(_, w)| w)
    }

    /// The mode of iproute2's word.
    pub fn parse(word: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .find(|(_, w)| *w == word)
            .map(|(m, _)| *m)
    }
}

/// An IPv6 segment routing encapsulation (`encap seg6 mode M segs
/// A,B,… [hmac KEYID]`): the header's segments in the order the packet
/// visits them, as `ip route` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg6Encap {
    /// The mode.
    pub mode: Seg6Mode,
    segments: [Ipv6Addr; SEG6_SEGMENTS_MAX],
    len: u8,
    /// The HMAC key id (`hmac N`): an HMAC TLV the kernel fills in.
    pub hmac: Option<u32>,
}

impl Seg6Encap {
    /// The header for `mode` and the segments as given on `ip route`'s
    /// command line. An inline header gets iproute2's extra all-zero
    /// last segment (the kernel puts the packet's destination there).
    /// `None` for no segments or more than [`SEG6_SEGMENTS_MAX`] in all.
    pub fn new(mode: Seg6Mode, segments: &[Ipv6Addr]) -> Option<Self> {
        let mut out = [Ipv6Addr::UNSPECIFIED; SEG6_SEGMENTS_MAX];
        let n = segments.len() + usize::from(mode == Seg6Mode::Inline);
        if segments.is_empty() {
            return None;
        }
        out.get_mut(..segments.len())?.copy_from_slice(segments);
        Some(Self {
            mode,
            segments: out,
            len: u8::try_from(n)
                .ok()
                .filter(|&n| usize::from(n) <= SEG6_SEGMENTS_MAX)?,
            hmac: None,
        })
    }

    /// The header's segments, first visited first (with an inline
    /// header's trailing placeholder).
    pub fn segments(&self) -> &[Ipv6Addr] {
        self.segments
            .get(..usize::from(self.len))
            .unwrap_or_default()
    }

    /// Read `SEG6_IPTUNNEL_SRH`; `None` when it is missing, shorter than
    /// its header says, or holds more than [`SEG6_SEGMENTS_MAX`] segments.
    fn decode(encap: &Attr<'_>) -> Option<Self> {
        let srh = encap
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == SEG6_IPTUNNEL_SRH)?;
        let p = srh.payload();
        let mode = i32::from_ne_bytes(p.get(..4)?.try_into().ok()?);
        let hdr = p.get(4..12)?;
        let (first, flags) = (usize::from(*hdr.get(4)?), *hdr.get(5)?);
        let n = first + 1;
        let mut segments = [Ipv6Addr::UNSPECIFIED; SEG6_SEGMENTS_MAX];
        // The wire holds the last segment first.
        for (i, seg) in p.get(12..12 + n * 16)?.chunks_exact(16).rev().enumerate() {
            *segments.get_mut(i)? = Ipv6Addr::from(<[u8; 16]>::try_from(seg).ok()?);
        }
        let hdr_bytes = (usize::from(*hdr.get(1)?) + 1) * 8;
        let hmac = if flags & SR6_FLAG1_HMAC != 0 && hdr_bytes >= HMAC_TLV_LEN {
            let tlv = p.get(4 + hdr_bytes - HMAC_TLV_LEN..)?;
            Some(u32::from_be_bytes(tlv.get(4..8)?.try_into().ok()?))
        } else {
            None
        };
        Some(Self {
            mode: Seg6Mode::from_wire(mode),
            segments,
            len: u8::try_from(n).ok()?,
            hmac,
        })
    }

    /// `SEG6_IPTUNNEL_SRH` as iproute2 builds it: the mode, then the
    /// header (`hdrlen` in 8-byte units past the first 8, routing type 4,
    /// segments left = first segment = n − 1), the segments last first,
    /// and with `hmac` an HMAC TLV holding only the key id.
    fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        const MAX: usize = 4 + 8 + SEG6_SEGMENTS_MAX * 16 + HMAC_TLV_LEN;
        let segs = self.segments();
        let n = segs.len();
        let tlv = if self.hmac.is_some() { HMAC_TLV_LEN } else { 0 };
        let srh_len = 8 + n * 16 + tlv;
        let mut buf = [0u8; MAX];
        let too_long = EncodeError::Invalid {
            what: "seg6 header too long",
        };
        let last = u8::try_from(n.saturating_sub(1)).map_err(|_| too_long)?;
        let hdrlen = u8::try_from(srh_len / 8 - 1).map_err(|_| too_long)?;
        let flags = if self.hmac.is_some() {
            SR6_FLAG1_HMAC
        } else {
            0
        };
        let head = [0, hdrlen, SRH_TYPE, last, last, flags, 0, 0];
        let out = buf.get_mut(..4 + srh_len).ok_or(too_long)?;
        let (mode, rest) = out.split_at_mut(4);
        mode.copy_from_slice(&self.mode.to_wire().to_ne_bytes());
        let (head_out, rest) = rest.split_at_mut(8);
        head_out.copy_from_slice(&head);
        let (seg_out, tlv_out) = rest.split_at_mut(n * 16);
        for (seg, o) in segs.iter().rev().zip(seg_out.chunks_exact_mut(16)) {
            o.copy_from_slice(&seg.octets());
        }
        if let (Some(key), Some(t)) = (self.hmac, tlv_out.get_mut(..8)) {
            let [a, b, c, d] = key.to_be_bytes();
            t.copy_from_slice(&[SR6_TLV_HMAC, 38, 0, 0, a, b, c, d]);
        }
        w.put(SEG6_IPTUNNEL_SRH, out)
    }
}
