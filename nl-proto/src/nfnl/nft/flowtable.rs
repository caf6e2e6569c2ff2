//! nf_tables flowtables: `NFT_MSG_{NEW,GET,DEL}FLOWTABLE` and
//! `NFTA_FLOWTABLE_*`. A flowtable is a fast path for established
//! connections on a set of devices; a rule's `flow add @NAME`
//! ([`FlowOffload`](super::FlowOffload)) puts a connection in it.
//!
//! ```text
//! NFTA_FLOWTABLE_TABLE, NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HOOK {
//!     NFTA_FLOWTABLE_HOOK_NUM (be32), _PRIORITY (be32), _DEVS { NFTA_DEVICE_NAME ... } },
//! NFTA_FLOWTABLE_FLAGS (be32), NFTA_FLOWTABLE_USE (be32), NFTA_FLOWTABLE_HANDLE (be64)
//! ```

use super::NftMsg;
use super::table::{build, check_names};
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{AttrTable, Attrs, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

const FT_TABLE: u16 = 1;
const FT_NAME: u16 = 2;
const FT_HOOK: u16 = 3;
const FT_USE: u16 = 4;
const FT_HANDLE: u16 = 5;
const FT_FLAGS: u16 = 7;
const HOOK_NUM: u16 = 1;
const HOOK_PRIORITY: u16 = 2;
const HOOK_DEVS: u16 = 3;
const DEVICE_NAME: u16 = 1;

/// `NF_FLOWTABLE_HW_OFFLOAD`: offload to the devices' hardware (`flags
/// offload`).
pub const NF_FLOWTABLE_HW_OFFLOAD: u32 = 0x1;
/// `NF_FLOWTABLE_COUNTER`: count packets and bytes per flow (`counter`).
pub const NF_FLOWTABLE_COUNTER: u32 = 0x2;

/// A flowtable to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewFlowtable<'a> {
    /// Table.
    pub table: &'a str,
    /// Name.
    pub name: &'a str,
    /// The netdev hook (`NF_NETDEV_INGRESS`, 0, is the only one).
    pub hook: u32,
    /// Hook priority.
    pub priority: i32,
    /// The devices it serves, in the order given.
    pub devices: &'a [&'a str],
    /// `NF_FLOWTABLE_*`.
    pub flags: u32,
}

/// `NFT_MSG_NEWFLOWTABLE` with `NLM_F_CREATE` (`nft add flowtable FAMILY
/// TABLE NAME { hook ingress priority P; devices = { … }; }`). Goes inside
/// a batch.
///
/// ```
/// use nl_proto::nfnl::NfProto;
/// use nl_proto::nfnl::nft::{NewFlowtable, encode_new_flowtable};
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 128];
/// let mut w = MsgWriter::new(&mut buf);
/// let ft = NewFlowtable { table: "t", name: "ft", devices: &["lo"], ..Default::default() };
/// let req = encode_new_flowtable(&mut w, NfProto::INET, &ft)?;
/// assert_eq!(req.msg.len(), 76);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::Invalid`] for bad names (and empty or NUL-holding device
/// names); writer errors. Nothing is left in the writer on error.
pub fn encode_new_flowtable<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    ft: &NewFlowtable<'_>,
) -> Result<Request<'w>, EncodeError> {
    check_names(ft.table, ft.name, "nf_tables flowtable name")?;
    if ft
        .devices
        .iter()
        .any(|d| d.is_empty() || d.len() > 15 || d.as_bytes().contains(&0))
    {
        return Err(EncodeError::Invalid {
            what: "flowtable device name",
        });
    }
    let msg = build(
        w,
        NftMsg::NEWFLOWTABLE,
        family,
        Flags::REQUEST | Flags::CREATE,
        |w| {
            w.put_str(FT_TABLE, ft.table)?;
            w.put_str(FT_NAME, ft.name)?;
            w.nested(FT_HOOK, |w| {
                w.put_be32(HOOK_NUM, ft.hook)?;
                w.put_be32(HOOK_PRIORITY, u32::from_ne_bytes(ft.priority.to_ne_bytes()))?;
                if ft.devices.is_empty() {
                    return Ok(());
                }
                w.nested(HOOK_DEVS, |w| {
                    ft.devices
                        .iter()
                        .try_for_each(|d| w.put_str(DEVICE_NAME, d))
                })
            })?;
            w.put_be32(FT_FLAGS, ft.flags)
        },
    )?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELFLOWTABLE` (`nft delete flowtable FAMILY TABLE NAME`). Goes
/// inside a batch.
///
/// # Errors
///
/// As [`encode_new_flowtable`].
pub fn encode_del_flowtable<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables flowtable name")?;
    let msg = build(w, NftMsg::DELFLOWTABLE, family, Flags::REQUEST, |w| {
        w.put_str(FT_TABLE, table)?;
        w.put_str(FT_NAME, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETFLOWTABLE` with `NLM_F_DUMP`. Not batched.
///
/// # Errors
///
/// Writer errors.
pub fn encode_dump_flowtables<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETFLOWTABLE,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// A flowtable as the kernel reports it, borrowed from its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flowtable<'a> {
    /// Family.
    pub family: NfProto,
    /// Table.
    pub table: &'a str,
    /// Name.
    pub name: &'a str,
    /// Handle; 0 if absent.
    pub handle: u64,
    /// Rules referring to it; 0 if absent.
    pub use_count: u32,
    /// The hook; 0 if absent.
    pub hook: u32,
    /// Hook priority; 0 if absent.
    pub priority: i32,
    /// `NF_FLOWTABLE_*`; 0 if absent.
    pub flags: u32,
    /// The raw `NFTA_FLOWTABLE_HOOK_DEVS` payload; walk it with
    /// [`Flowtable::devices`].
    pub devices_raw: &'a [u8],
}

impl<'a> Flowtable<'a> {
    /// Decode an `NFT_MSG_NEWFLOWTABLE` or `NFT_MSG_DELFLOWTABLE` message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::MissingAttr`]
    /// without a table or name, [`DecodeError::NotUtf8`], framing errors.
    pub fn decode(msg: &Msg<'a>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWFLOWTABLE.msg_type() && ty != NftMsg::DELFLOWTABLE.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables flowtable",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<8>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let need = |k| {
            tb.get(k).ok_or(DecodeError::MissingAttr {
                what: "nf_tables flowtable",
                kind: k,
            })
        };
        let hook = tb.get(FT_HOOK).map(|h| AttrTable::<4>::parse(h.nested()));
        let hook_be32 = |k| {
            hook.as_ref()
                .and_then(|h| h.get(k))
                .and_then(|a| a.be32().ok())
                .unwrap_or(0)
        };
        Ok(Self {
            family: hdr.family(),
            table: need(FT_TABLE)?.str()?,
            name: need(FT_NAME)?.str()?,
            handle: tb.get(FT_HANDLE).and_then(|a| a.be64().ok()).unwrap_or(0),
            use_count: tb.get(FT_USE).and_then(|a| a.be32().ok()).unwrap_or(0),
            hook: hook_be32(HOOK_NUM),
            priority: i32::from_ne_bytes(hook_be32(HOOK_PRIORITY).to_ne_bytes()),
            flags: tb.get(FT_FLAGS).and_then(|a| a.be32().ok()).unwrap_or(0),
            devices_raw: hook
                .as_ref()
                .and_then(|h| h.get(HOOK_DEVS))
                .map(|a| a.payload())
                .unwrap_or(&[]),
        })
    }

    /// The device names, in the kernel's order.
    pub fn devices(&self) -> impl Iterator<Item = Result<&'a str, DecodeError>> + use<'a> {
        Attrs::new(self.devices_raw).map(|a| a.and_then(|a| a.str()))
    }

    /// Write this flowtable as the kernel describes it, for tests, fakes
    /// and round trips.
    ///
    /// # Errors
    ///
    /// Writer errors.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWFLOWTABLE, self.family, flags, |w| {
            w.put_str(FT_TABLE, self.table)?;
            w.put_str(FT_NAME, self.name)?;
            w.put_be64(FT_HANDLE, self.handle)?;
            w.put_be32(FT_USE, self.use_count)?;
            w.nested(FT_HOOK, |w| {
                w.put_be32(HOOK_NUM, self.hook)?;
                w.put_be32(
                    HOOK_PRIORITY,
                    u32::from_ne_bytes(self.priority.to_ne_bytes()),
                )?;
                w.put(HOOK_DEVS | 0x8000, self.devices_raw)
            })?;
            w.put_be32(FT_FLAGS, self.flags)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::nfnl::nft::test_hex;

    /// `nft add flowtable inet t ft3 { hook ingress priority filter + 5;
    /// devices = { lo, veth0 }; flags offload; }` (nl-capture, normalized;
    /// nft sends the devices in this order). The kernel here lacks
    /// flowtables, so no reply is captured.
    const NFT_ADD_FLOWTABLE: &str = "58000000160a0104000000000000000001000000060001007400000008000200667433002c00038008000100000000000800020000000005180003800a0001007665746830000000070001006c6f00000800070000000001";

    /// `nft delete flowtable ip t ft`.
    const NFT_DEL_FLOWTABLE: &str =
        "24000000180a010000000000000000000200000006000100740000000700020066740000";

    #[test]
    fn emits_flowtable_as_nft() {
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let ft = NewFlowtable {
            table: "t",
            name: "ft3",
            hook: 0,
            priority: 5,
            devices: &["veth0", "lo"],
            flags: NF_FLOWTABLE_HW_OFFLOAD,
        };
        let req = encode_new_flowtable(&mut w, NfProto::INET, &ft).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        assert_eq!(&req.msg[..], &test_hex(NFT_ADD_FLOWTABLE)[..]);
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_del_flowtable(&mut w, NfProto::IPV4, "t", "ft").unwrap();
        assert_eq!(&req.msg[..], &test_hex(NFT_DEL_FLOWTABLE)[..]);
    }

    #[test]
    fn parses_what_nft_sends_and_roundtrips() {
        let bytes = test_hex(NFT_ADD_FLOWTABLE);
        let (m, _) = Msg::parse(&bytes).unwrap();
        let ft = Flowtable::decode(&m).unwrap();
        assert_eq!(
            (ft.table, ft.name, ft.hook, ft.priority),
            ("t", "ft3", 0, 5)
        );
        assert_eq!(ft.flags, NF_FLOWTABLE_HW_OFFLOAD);
        let devs: heapless::Vec<&str, 4> = ft.devices().map(Result::unwrap).collect();
        assert_eq!(devs[..], ["veth0", "lo"]);
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let again = Flowtable {
            handle: 7,
            use_count: 1,
            priority: -10,
            ..ft
        };
        let out = again.emit(&mut w, Flags::MULTI).unwrap();
        let (m, _) = Msg::parse(out).unwrap();
        assert_eq!(Flowtable::decode(&m).unwrap(), again);
    }

    #[test]
    fn rejects_bad_names_and_never_panics() {
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let bad = NewFlowtable {
            table: "t",
            name: "ft",
            devices: &["a\0b"],
            ..Default::default()
        };
        assert!(encode_new_flowtable(&mut w, NfProto::INET, &bad).is_err());
        assert!(w.is_empty());
        let bytes = test_hex(NFT_ADD_FLOWTABLE);
        for cut in 16..bytes.len() {
            let mut b = bytes.clone();
            b[0] = u8::try_from(cut).unwrap();
            if let Ok((m, _)) = Msg::parse(&b[..cut]) {
                let _ = Flowtable::decode(&m).map(|f| f.devices().count());
            }
        }
    }
}
