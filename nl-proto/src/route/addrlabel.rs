//! IPv6 address labels (RFC 6724 policy table): `RTM_NEWADDRLABEL` /
//! `RTM_DELADDRLABEL` / `RTM_GETADDRLABEL`
//! (`include/uapi/linux/if_addrlabel.h`), as `ip addrlabel` uses them.
//!
//! ```text
//!  0        1          2           3         4            8          12
//! +--------+----------+-----------+---------+------------+----------+--------+
//! | family | reserved | prefixlen | flags   | index u32  | seq u32  | IFAL_* |
//! +--------+----------+-----------+---------+------------+----------+--------+
//! ```

use core::net::Ipv6Addr;

use zerocopy::byteorder::{NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::common::{request, split_object};
use super::{AddrFamily, RTM_DELADDRLABEL, RTM_GETADDRLABEL, RTM_NEWADDRLABEL};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `struct ifaddrlblmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct IfAddrLblMsg {
    /// `ifal_family` (`AF_INET6`).
    pub family: u8,
    /// `__ifal_reserved`.
    pub reserved: u8,
    /// `ifal_prefixlen`.
    pub prefixlen: u8,
    /// `ifal_flags`.
    pub flags: u8,
    /// `ifal_index`: the interface the label is for (0: any).
    pub index: U32<NativeEndian>,
    /// `ifal_seq`: the table's generation (in dumps).
    pub seq: U32<NativeEndian>,
}

open_enum! {
    /// Address label attribute types (`IFAL_*`).
    pub struct AddrLabelAttr(u16) {
        /// `IFAL_ADDRESS`: the prefix's address (16 bytes).
        ADDRESS = 1,
        /// `IFAL_LABEL`: u32 label.
        LABEL = 2,
    }
}

/// One entry of the policy table: `prefix P/N [dev D] label L`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrLabel {
    /// `IFAL_ADDRESS`.
    pub prefix: Ipv6Addr,
    /// `ifal_prefixlen`.
    pub prefix_len: u8,
    /// `ifal_index` (0: any interface).
    pub index: u32,
    /// `IFAL_LABEL`.
    pub label: u32,
}

impl AddrLabel {
    /// Decode an `RTM_NEWADDRLABEL` or `RTM_DELADDRLABEL` message.
    ///
    /// # Errors
    ///
    /// A wrong message type, a short header, a missing or malformed
    /// `IFAL_ADDRESS` or `IFAL_LABEL`.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<IfAddrLblMsg>(
            msg,
            [RTM_NEWADDRLABEL, RTM_DELADDRLABEL],
            "ifaddrlblmsg",
        )?;
        let (mut prefix, mut label) = (None, None);
        for attr in attrs.map_while(Result::ok) {
            match AddrLabelAttr(attr.kind()) {
                AddrLabelAttr::ADDRESS => {
                    let octets: [u8; 16] =
                        attr.payload()
                            .try_into()
                            .map_err(|_| DecodeError::OutOfRange {
                                what: "IFAL_ADDRESS length",
                                value: attr.payload().len() as u64,
                            })?;
                    prefix = Some(Ipv6Addr::from(octets));
                }
                AddrLabelAttr::LABEL => label = Some(attr.u32()?),
                _ => {}
            }
        }
        let missing = |kind: AddrLabelAttr| DecodeError::MissingAttr {
            what: "address label",
            kind: kind.0,
        };
        Ok(Self {
            prefix: prefix.ok_or(missing(AddrLabelAttr::ADDRESS))?,
            prefix_len: hdr.prefixlen,
            index: hdr.index.get(),
            label: label.ok_or(missing(AddrLabelAttr::LABEL))?,
        })
    }
}

fn header(prefix_len: u8, index: u32) -> IfAddrLblMsg {
    IfAddrLblMsg {
        family: AddrFamily::INET6.0,
        reserved: 0,
        prefixlen: prefix_len,
        flags: 0,
        index: index.into(),
        seq: 0.into(),
    }
}

/// Add (`NLM_F_CREATE | NLM_F_EXCL`) or, with `delete`, delete a label:
/// `ip addrlabel add|del prefix P [dev D] label L`. Byte layout as
/// iproute2's: `IFAL_LABEL`, then `IFAL_ADDRESS`.
///
/// ```
/// use nl_proto::route::addrlabel::{encode_modify, AddrLabel};
/// use nl_proto::wire::MsgWriter;
/// let l = AddrLabel { prefix: "dead::".parse().unwrap(), prefix_len: 64, index: 1, label: 1 };
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// assert_eq!(encode_modify(&mut w, &l, false)?.msg.len(), 56);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::Invalid`] for a prefix length above 128 or the label
/// `0xffffffff` (the kernel's "none"); [`EncodeError::BufferFull`].
pub fn encode_modify<'w>(
    w: &'w mut MsgWriter<'_>,
    label: &AddrLabel,
    delete: bool,
) -> Result<Request<'w>, EncodeError> {
    if label.prefix_len > 128 || label.label == u32::MAX {
        return Err(EncodeError::Invalid {
            what: "address label prefix length above 128 or label 0xffffffff",
        });
    }
    let (ty, flags) = if delete {
        (RTM_DELADDRLABEL, Flags::REQUEST)
    } else {
        (
            RTM_NEWADDRLABEL,
            Flags::REQUEST | Flags::CREATE | Flags::EXCL,
        )
    };
    request(w, ty, flags, Expect::Ack, |w| {
        w.put_fixed(&header(label.prefix_len, label.index))?;
        w.put_u32(AddrLabelAttr::LABEL.0, label.label)?;
        w.put(AddrLabelAttr::ADDRESS.0, &label.prefix.octets())
    })
}

/// Dump the policy table: `ip addrlabel list`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETADDRLABEL,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| w.put_fixed(&header(0, 0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg, with_ack};

    /// `ip addrlabel add prefix dead::/64 dev lo label 1` (iproute2 6.1,
    /// nl-capture --normalize).
    const ADD: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, 0x48, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x0a, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
        0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x01, 0x00, 0xde, 0xad, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// `ip addrlabel list`'s request.
    const DUMP: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, 0x4a, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// The kernel's first answer (Linux 6.18): `prefix ::1/128 label 0`,
    /// table generation 11.
    const REPLY: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, 0x48, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x0a, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x14, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn golden_requests_match_iproute2() {
        let l = AddrLabel {
            prefix: "dead::".parse().unwrap(),
            prefix_len: 64,
            index: 1,
            label: 1,
        };
        let mut buf = [0u8; 64];
        let bytes = with_ack(&mut buf, |w| {
            let _ = encode_modify(w, &l, false).unwrap();
        });
        assert_eq!(bytes, ADD);
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let n = encode_dump(&mut w).unwrap().msg.len();
        assert_eq!(&buf[..n], DUMP);
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let del = encode_modify(&mut w, &l, true).unwrap().msg;
        // RTM_DELADDRLABEL, NLM_F_REQUEST only; the same body.
        assert_eq!(&del[4..8], [0x49, 0, 1, 0]);
        assert_eq!(&del[16..], &ADD[16..]);
    }

    #[test]
    fn decodes_the_kernels_entry() {
        let l = AddrLabel::decode(&msg(&REPLY)).unwrap();
        assert_eq!(
            l,
            AddrLabel {
                prefix: Ipv6Addr::LOCALHOST,
                prefix_len: 128,
                index: 0,
                label: 0
            }
        );
    }

    #[test]
    fn refuses_bad_input_and_survives_mutations() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let bad = AddrLabel {
            prefix: Ipv6Addr::UNSPECIFIED,
            prefix_len: 129,
            index: 0,
            label: 1,
        };
        assert!(encode_modify(&mut w, &bad, false).is_err());
        hammer(&REPLY, |m| {
            let _ = AddrLabel::decode(m);
        });
    }
}
