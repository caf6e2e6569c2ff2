//! Raw readers of a link's kind options (`IFLA_INFO_DATA`,
//! `IFLA_INFO_SLAVE_DATA`) for kinds [`LinkInfoData`] does not model.

use super::{IfInfoMsg, InfoAttr, LinkAttr};
use crate::DecodeError;
use crate::route::common::split_object;
use crate::route::{RTM_DELLINK, RTM_NEWLINK};
use crate::wire::{Attr, Msg};

/// The scalar attributes of a link's `IFLA_INFO_DATA` and
/// `IFLA_INFO_SLAVE_DATA`, for kinds [`LinkInfoData`](super::LinkInfoData) does not model —
/// a bridge's options ([`BridgeAttr`](super::BridgeAttr)), a bridge port's
/// ([`BridgePortAttr`](super::BridgePortAttr)). Kept out of [`Link`](super::Link) (it is large); read it from
/// the same message with [`LinkInfoAttrs::decode`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkInfoAttrs {
    /// `IFLA_INFO_DATA`.
    pub data: InfoAttrs,
    /// `IFLA_INFO_SLAVE_DATA`.
    pub slave: InfoAttrs,
}

impl LinkInfoAttrs {
    /// Read them from an `RTM_NEWLINK` message (the one [`Link::decode`](super::Link::decode)
    /// reads). Malformed attributes are skipped.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let mut out = Self::default();
        let info = attrs
            .map_while(Result::ok)
            .find(|a| a.kind() == LinkAttr::LINKINFO.0);
        for inner in info
            .into_iter()
            .flat_map(|i| i.nested())
            .map_while(Result::ok)
        {
            match InfoAttr(inner.kind()) {
                InfoAttr::DATA => out.data = InfoAttrs::from_nest(inner),
                InfoAttr::SLAVE_DATA => out.slave = InfoAttrs::from_nest(inner),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The most attributes an [`InfoAttrs`] keeps.
pub const INFO_ATTRS_MAX: usize = 64;

/// Scalar attributes of a nest, by type, as the kernel sent them (those
/// longer than 8 bytes are left out), with typed readers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InfoAttrs {
    items: heapless::Vec<(u16, heapless::Vec<u8, 8>), INFO_ATTRS_MAX>,
}

impl InfoAttrs {
    fn from_nest(nest: Attr<'_>) -> Self {
        let mut out = Self::default();
        for a in nest.nested().map_while(Result::ok) {
            if let Ok(bytes) = heapless::Vec::from_slice(a.payload()) {
                // A full list drops the rest; readers then see `None`.
                let _ = out.items.push((a.kind(), bytes));
            }
        }
        out
    }

    /// The payload of attribute `kind`.
    pub fn bytes(&self, kind: u16) -> Option<&[u8]> {
        self.items
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.as_slice())
    }

    /// Attribute `kind` as a native-endian unsigned integer of its own
    /// size (1, 2, 4 or 8 bytes).
    pub fn uint(&self, kind: u16) -> Option<u64> {
        let b = self.bytes(kind)?;
        Some(match b.len() {
            1 => u64::from(b[0]),
            2 => u64::from(u16::from_ne_bytes([b[0], b[1]])),
            4 => u64::from(u32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
            8 => u64::from_ne_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            _ => return None,
        })
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
