//! vxlan's vocabulary (`IFLA_VXLAN_*`, `include/uapi/linux/if_link.h`) and
//! its options beyond id, addresses, parent and port ([`VxlanOptions`]),
//! read from and written to `IFLA_INFO_DATA`.

use crate::EncodeError;
use crate::macros::open_enum;
use crate::wire::{Attr, MsgWriter};

open_enum! {
    /// A vxlan `IFLA_INFO_DATA` attribute (`IFLA_VXLAN_*`).
    pub struct VxlanAttr(u16) {
        /// `IFLA_VXLAN_ID` (u32, 24 bits used).
        #[doc(alias = "IFLA_VXLAN_ID")]
        ID = 1,
        /// `IFLA_VXLAN_GROUP`: IPv4 remote or multicast group.
        #[doc(alias = "IFLA_VXLAN_GROUP")]
        GROUP = 2,
        /// `IFLA_VXLAN_LINK` (u32): the underlay interface.
        #[doc(alias = "IFLA_VXLAN_LINK")]
        LINK = 3,
        /// `IFLA_VXLAN_LOCAL`: IPv4 source address.
        #[doc(alias = "IFLA_VXLAN_LOCAL")]
        LOCAL = 4,
        /// `IFLA_VXLAN_TTL` (u8; 0 is `auto`).
        #[doc(alias = "IFLA_VXLAN_TTL")]
        TTL = 5,
        /// `IFLA_VXLAN_TOS` (u8; 1 is `inherit`).
        #[doc(alias = "IFLA_VXLAN_TOS")]
        TOS = 6,
        /// `IFLA_VXLAN_LEARNING` (u8).
        #[doc(alias = "IFLA_VXLAN_LEARNING")]
        LEARNING = 7,
        /// `IFLA_VXLAN_AGEING` (u32 seconds; 0: entries never age).
        #[doc(alias = "IFLA_VXLAN_AGEING")]
        AGEING = 8,
        /// `IFLA_VXLAN_LIMIT` (u32): most forwarding entries (`maxaddress`).
        #[doc(alias = "IFLA_VXLAN_LIMIT")]
        LIMIT = 9,
        /// `IFLA_VXLAN_PORT_RANGE` (`struct ifla_vxlan_port_range`: two
        /// big-endian u16): the UDP source ports.
        #[doc(alias = "IFLA_VXLAN_PORT_RANGE")]
        PORT_RANGE = 10,
        /// `IFLA_VXLAN_PROXY` (u8): answer ARP/ND from the forwarding table.
        #[doc(alias = "IFLA_VXLAN_PROXY")]
        PROXY = 11,
        /// `IFLA_VXLAN_RSC` (u8): route short circuit.
        #[doc(alias = "IFLA_VXLAN_RSC")]
        RSC = 12,
        /// `IFLA_VXLAN_L2MISS` (u8): notify on link-layer misses.
        #[doc(alias = "IFLA_VXLAN_L2MISS")]
        L2MISS = 13,
        /// `IFLA_VXLAN_L3MISS` (u8): notify on IP misses.
        #[doc(alias = "IFLA_VXLAN_L3MISS")]
        L3MISS = 14,
        /// `IFLA_VXLAN_PORT` (big-endian u16): the destination UDP port.
        #[doc(alias = "IFLA_VXLAN_PORT")]
        PORT = 15,
        /// `IFLA_VXLAN_GROUP6`: IPv6 remote or multicast group.
        #[doc(alias = "IFLA_VXLAN_GROUP6")]
        GROUP6 = 16,
        /// `IFLA_VXLAN_LOCAL6`: IPv6 source address.
        #[doc(alias = "IFLA_VXLAN_LOCAL6")]
        LOCAL6 = 17,
        /// `IFLA_VXLAN_UDP_CSUM` (u8): UDP checksums over IPv4.
        #[doc(alias = "IFLA_VXLAN_UDP_CSUM")]
        UDP_CSUM = 18,
        /// `IFLA_VXLAN_UDP_ZERO_CSUM6_TX` (u8).
        #[doc(alias = "IFLA_VXLAN_UDP_ZERO_CSUM6_TX")]
        UDP_ZERO_CSUM6_TX = 19,
        /// `IFLA_VXLAN_UDP_ZERO_CSUM6_RX` (u8).
        #[doc(alias = "IFLA_VXLAN_UDP_ZERO_CSUM6_RX")]
        UDP_ZERO_CSUM6_RX = 20,
        /// `IFLA_VXLAN_REMCSUM_TX` (u8): remote checksum offload, sending.
        #[doc(alias = "IFLA_VXLAN_REMCSUM_TX")]
        REMCSUM_TX = 21,
        /// `IFLA_VXLAN_REMCSUM_RX` (u8): remote checksum offload, receiving.
        #[doc(alias = "IFLA_VXLAN_REMCSUM_RX")]
        REMCSUM_RX = 22,
        /// `IFLA_VXLAN_GBP` (flag): the group policy extension.
        #[doc(alias = "IFLA_VXLAN_GBP")]
        GBP = 23,
        /// `IFLA_VXLAN_REMCSUM_NOPARTIAL` (flag).
        #[doc(alias = "IFLA_VXLAN_REMCSUM_NOPARTIAL")]
        REMCSUM_NOPARTIAL = 24,
        /// `IFLA_VXLAN_COLLECT_METADATA` (u8): `external`, flow-based.
        #[doc(alias = "IFLA_VXLAN_COLLECT_METADATA")]
        COLLECT_METADATA = 25,
        /// `IFLA_VXLAN_LABEL` (big-endian u32): the IPv6 flow label.
        #[doc(alias = "IFLA_VXLAN_LABEL")]
        LABEL = 26,
        /// `IFLA_VXLAN_GPE` (flag): generic protocol extension.
        #[doc(alias = "IFLA_VXLAN_GPE")]
        GPE = 27,
        /// `IFLA_VXLAN_TTL_INHERIT` (a flag in requests, u8 in replies).
        #[doc(alias = "IFLA_VXLAN_TTL_INHERIT")]
        TTL_INHERIT = 28,
        /// `IFLA_VXLAN_DF` (u8, see [`VxlanDf`]).
        #[doc(alias = "IFLA_VXLAN_DF")]
        DF = 29,
        /// `IFLA_VXLAN_VNIFILTER` (u8): per-VNI filtering (with
        /// `external`).
        #[doc(alias = "IFLA_VXLAN_VNIFILTER")]
        VNIFILTER = 30,
        /// `IFLA_VXLAN_LOCALBYPASS` (u8, Linux 6.8): deliver to a local
        /// vxlan directly.
        #[doc(alias = "IFLA_VXLAN_LOCALBYPASS")]
        LOCALBYPASS = 31,
        /// `IFLA_VXLAN_LABEL_POLICY` (u32, Linux 6.9): fixed (0) or
        /// inherited (1) flow label.
        #[doc(alias = "IFLA_VXLAN_LABEL_POLICY")]
        LABEL_POLICY = 32,
    }
}

open_enum! {
    /// The outer header's don't-fragment bit (`enum ifla_vxlan_df`).
    pub struct VxlanDf(u8) {
        /// `VXLAN_DF_UNSET`: never set (the default).
        #[doc(alias = "VXLAN_DF_UNSET")]
        UNSET = 0,
        /// `VXLAN_DF_SET`: always set.
        #[doc(alias = "VXLAN_DF_SET")]
        SET = 1,
        /// `VXLAN_DF_INHERIT`: copied from the inner IPv4 header.
        #[doc(alias = "VXLAN_DF_INHERIT")]
        INHERIT = 2,
    }
}

/// A vxlan's options besides its id, addresses, parent and destination
/// port: what the kernel reports in `IFLA_INFO_DATA` (it sends most of
/// them always), and what a request sets. `None` (or `false` for the
/// flag attributes) is "not reported" / "leave to the kernel's default".
///
/// ```
/// use nl_proto::route::link::{VxlanDf, VxlanOptions};
///
/// // `ip link add … type vxlan … nolearning ttl 64 df set`
/// let o = VxlanOptions {
///     learning: Some(false),
///     ttl: Some(64),
///     df: Some(VxlanDf::SET),
///     ..VxlanOptions::default()
/// };
/// assert_eq!(o.tos, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VxlanOptions {
    /// `IFLA_VXLAN_TTL`; 0 is `ttl auto`.
    pub ttl: Option<u8>,
    /// `IFLA_VXLAN_TTL_INHERIT` (`ttl inherit`).
    pub ttl_inherit: Option<bool>,
    /// `IFLA_VXLAN_TOS`; 1 is `tos inherit`.
    pub tos: Option<u8>,
    /// `IFLA_VXLAN_DF`.
    pub df: Option<VxlanDf>,
    /// `IFLA_VXLAN_LABEL`, host order (20 bits used; IPv6 only).
    pub label: Option<u32>,
    /// `IFLA_VXLAN_PORT_RANGE`: (low, high) UDP source ports.
    pub port_range: Option<(u16, u16)>,
    /// `IFLA_VXLAN_LEARNING`; the kernel's default is on.
    pub learning: Option<bool>,
    /// `IFLA_VXLAN_PROXY`.
    pub proxy: Option<bool>,
    /// `IFLA_VXLAN_RSC`.
    pub rsc: Option<bool>,
    /// `IFLA_VXLAN_L2MISS`.
    pub l2miss: Option<bool>,
    /// `IFLA_VXLAN_L3MISS`.
    pub l3miss: Option<bool>,
    /// `IFLA_VXLAN_AGEING` in seconds; 0 never ages (`ageing none`).
    pub ageing: Option<u32>,
    /// `IFLA_VXLAN_LIMIT` (`maxaddress`); 0 is no limit.
    pub limit: Option<u32>,
    /// `IFLA_VXLAN_UDP_CSUM`.
    pub udp_csum: Option<bool>,
    /// `IFLA_VXLAN_UDP_ZERO_CSUM6_TX`.
    pub udp_zero_csum6_tx: Option<bool>,
    /// `IFLA_VXLAN_UDP_ZERO_CSUM6_RX`.
    pub udp_zero_csum6_rx: Option<bool>,
    /// `IFLA_VXLAN_REMCSUM_TX`.
    pub remcsum_tx: Option<bool>,
    /// `IFLA_VXLAN_REMCSUM_RX`.
    pub remcsum_rx: Option<bool>,
    /// `IFLA_VXLAN_COLLECT_METADATA` (`external`).
    pub collect_metadata: Option<bool>,
    /// `IFLA_VXLAN_GBP`.
    pub gbp: bool,
    /// `IFLA_VXLAN_GPE`.
    pub gpe: bool,
    /// `IFLA_VXLAN_REMCSUM_NOPARTIAL`.
    pub remcsum_nopartial: bool,
    /// `IFLA_VXLAN_VNIFILTER`.
    pub vnifilter: Option<bool>,
    /// `IFLA_VXLAN_LOCALBYPASS`.
    pub localbypass: Option<bool>,
    /// `IFLA_VXLAN_LABEL_POLICY`.
    pub label_policy: Option<u32>,
}

impl VxlanOptions {
    /// Read them from the attributes of a vxlan's `IFLA_INFO_DATA`;
    /// malformed ones are left `None`.
    pub(super) fn from_attrs<'a>(attrs: impl Iterator<Item = Attr<'a>>) -> Self {
        let mut o = Self::default();
        let bool8 = |a: &Attr<'_>| a.u8().ok().map(|v| v != 0);
        for a in attrs {
            match VxlanAttr(a.kind()) {
                VxlanAttr::TTL => o.ttl = a.u8().ok(),
                // A flag in requests, a u8 in the kernel's replies.
                VxlanAttr::TTL_INHERIT => {
                    o.ttl_inherit = if a.payload().is_empty() {
                        Some(true)
                    } else {
                        bool8(&a)
                    }
                }
                VxlanAttr::TOS => o.tos = a.u8().ok(),
                VxlanAttr::DF => o.df = a.u8().ok().map(VxlanDf),
                VxlanAttr::LABEL => o.label = a.be32().ok(),
                VxlanAttr::PORT_RANGE => {
                    o.port_range = match a.payload() {
                        [a, b, c, d] => {
                            Some((u16::from_be_bytes([*a, *b]), u16::from_be_bytes([*c, *d])))
                        }
                        _ => None,
                    }
                }
                VxlanAttr::LEARNING => o.learning = bool8(&a),
                VxlanAttr::PROXY => o.proxy = bool8(&a),
                VxlanAttr::RSC => o.rsc = bool8(&a),
                VxlanAttr::L2MISS => o.l2miss = bool8(&a),
                VxlanAttr::L3MISS => o.l3miss = bool8(&a),
                VxlanAttr::AGEING => o.ageing = a.u32().ok(),
                VxlanAttr::LIMIT => o.limit = a.u32().ok(),
                VxlanAttr::UDP_CSUM => o.udp_csum = bool8(&a),
                VxlanAttr::UDP_ZERO_CSUM6_TX => o.udp_zero_csum6_tx = bool8(&a),
                VxlanAttr::UDP_ZERO_CSUM6_RX => o.udp_zero_csum6_rx = bool8(&a),
                VxlanAttr::REMCSUM_TX => o.remcsum_tx = bool8(&a),
                VxlanAttr::REMCSUM_RX => o.remcsum_rx = bool8(&a),
                VxlanAttr::COLLECT_METADATA => o.collect_metadata = bool8(&a),
                VxlanAttr::GBP => o.gbp = true,
                VxlanAttr::GPE => o.gpe = true,
                VxlanAttr::REMCSUM_NOPARTIAL => o.remcsum_nopartial = true,
                VxlanAttr::VNIFILTER => o.vnifilter = bool8(&a),
                VxlanAttr::LOCALBYPASS => o.localbypass = bool8(&a),
                VxlanAttr::LABEL_POLICY => o.label_policy = a.u32().ok(),
                _ => {}
            }
        }
        o
    }

    /// Write the ones set, in the order of iproute2's usage text (its
    /// own requests follow the order of the words on its command line;
    /// the kernel takes any order). `learning` is left to
    /// [`VxlanOptions::put_learning`], which goes after the addresses as
    /// in iproute2's requests. `parent` (`IFLA_VXLAN_LINK`) sits where
    /// `dev` is in the usage text.
    pub(super) fn put(
        &self,
        w: &mut MsgWriter<'_>,
        parent: Option<u32>,
    ) -> Result<(), EncodeError> {
        let bool8 = |w: &mut MsgWriter<'_>, k: VxlanAttr, v: Option<bool>| match v {
            Some(v) => w.put_u8(k.0, u8::from(v)),
            None => Ok(()),
        };
        let flag = |w: &mut MsgWriter<'_>, k: VxlanAttr, v: bool| {
            if v { w.put_flag(k.0) } else { Ok(()) }
        };
        if let Some(t) = self.ttl {
            w.put_u8(VxlanAttr::TTL.0, t)?;
        }
        // The kernel's policy takes `IFLA_VXLAN_TTL_INHERIT` as a flag:
        // only its presence counts.
        flag(w, VxlanAttr::TTL_INHERIT, self.ttl_inherit == Some(true))?;
        if let Some(t) = self.tos {
            w.put_u8(VxlanAttr::TOS.0, t)?;
        }
        if let Some(d) = self.df {
            w.put_u8(VxlanAttr::DF.0, d.0)?;
        }
        if let Some(l) = self.label {
            w.put_be32(VxlanAttr::LABEL.0, l)?;
        }
        if let Some(p) = parent {
            w.put_u32(VxlanAttr::LINK.0, p)?;
        }
        if let Some((lo, hi)) = self.port_range {
            let [a, b] = lo.to_be_bytes();
            let [c, d] = hi.to_be_bytes();
            w.put(VxlanAttr::PORT_RANGE.0, &[a, b, c, d])?;
        }
        bool8(w, VxlanAttr::PROXY, self.proxy)?;
        bool8(w, VxlanAttr::RSC, self.rsc)?;
        bool8(w, VxlanAttr::L2MISS, self.l2miss)?;
        bool8(w, VxlanAttr::L3MISS, self.l3miss)?;
        if let Some(a) = self.ageing {
            w.put_u32(VxlanAttr::AGEING.0, a)?;
        }
        if let Some(l) = self.limit {
            w.put_u32(VxlanAttr::LIMIT.0, l)?;
        }
        bool8(w, VxlanAttr::UDP_CSUM, self.udp_csum)?;
        bool8(w, VxlanAttr::UDP_ZERO_CSUM6_TX, self.udp_zero_csum6_tx)?;
        bool8(w, VxlanAttr::UDP_ZERO_CSUM6_RX, self.udp_zero_csum6_rx)?;
        bool8(w, VxlanAttr::REMCSUM_TX, self.remcsum_tx)?;
        bool8(w, VxlanAttr::REMCSUM_RX, self.remcsum_rx)?;
        bool8(w, VxlanAttr::COLLECT_METADATA, self.collect_metadata)?;
        flag(w, VxlanAttr::GBP, self.gbp)?;
        flag(w, VxlanAttr::GPE, self.gpe)?;
        bool8(w, VxlanAttr::VNIFILTER, self.vnifilter)?;
        flag(w, VxlanAttr::REMCSUM_NOPARTIAL, self.remcsum_nopartial)?;
        bool8(w, VxlanAttr::LOCALBYPASS, self.localbypass)?;
        if let Some(p) = self.label_policy {
            w.put_u32(VxlanAttr::LABEL_POLICY.0, p)?;
        }
        Ok(())
    }

    /// `IFLA_VXLAN_LEARNING`, if set.
    pub(super) fn put_learning(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match self.learning {
            Some(l) => w.put_u8(VxlanAttr::LEARNING.0, u8::from(l)),
            None => Ok(()),
        }
    }
}
