//! Lightweight tunnel encapsulation (`RTA_ENCAP` / `NHA_ENCAP` with their
//! `*_ENCAP_TYPE`, `include/uapi/linux/lwtunnel.h`): the MPLS label stack
//! of `ip route|nexthop … encap mpls L1/L2/…`.

use crate::EncodeError;
use crate::wire::{Attr, MsgWriter};

/// `LWTUNNEL_ENCAP_MPLS`.
pub const ENCAP_MPLS: u16 = 1;
/// `LWTUNNEL_ENCAP_SEG6`.
pub const ENCAP_SEG6: u16 = 5;
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
