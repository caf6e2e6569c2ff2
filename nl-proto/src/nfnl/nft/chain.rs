//! nf_tables chains: `NFT_MSG_{NEW,GET,DEL}CHAIN` and `NFTA_CHAIN_*`, and
//! flushing a chain's rules (`NFT_MSG_DELRULE` naming only the chain).
//!
//! ```text
//! nlmsghdr(0x0a03 | ..) | nfgenmsg | NFTA_CHAIN_TABLE (string), NFTA_CHAIN_NAME (string),
//!     NFTA_CHAIN_HANDLE (be64), NFTA_CHAIN_TYPE ("filter"|"nat"|"route"),
//!     NFTA_CHAIN_POLICY (be32 verdict), NFTA_CHAIN_HOOK { NUM (be32), PRIORITY (be32, signed) },
//!     NFTA_CHAIN_FLAGS (be32), NFTA_CHAIN_USE (be32)
//! ```
//!
//! A *base* chain is one with a hook (and a type and policy); a *regular*
//! chain has none and is only reached by `jump`/`goto`.

use super::NftMsg;
use super::table::{build, check_names};
use crate::macros::open_enum;
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{AttrTable, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// Longest table or chain name [`Chain`] holds, in bytes (the kernel
/// allows 255); the encoders refuse longer names.
pub const CHAIN_NAME_CAP: usize = 64;
/// Longest chain type name [`Chain`] holds (`"filter"`, `"nat"`, `"route"`).
pub const CHAIN_TYPE_CAP: usize = 16;

open_enum! {
    /// A chain attribute (`enum nft_chain_attributes`).
    pub struct ChainAttr(u16) {
        /// `NFTA_CHAIN_UNSPEC`.
        UNSPEC = 0,
        /// `NFTA_CHAIN_TABLE`: string.
        TABLE = 1,
        /// `NFTA_CHAIN_HANDLE`: big-endian `u64`.
        HANDLE = 2,
        /// `NFTA_CHAIN_NAME`: string.
        NAME = 3,
        /// `NFTA_CHAIN_HOOK`: nested [`HookAttr`].
        HOOK = 4,
        /// `NFTA_CHAIN_POLICY`: big-endian `u32` verdict (`NF_DROP` 0, `NF_ACCEPT` 1).
        POLICY = 5,
        /// `NFTA_CHAIN_USE`: big-endian `u32`, number of references.
        USE = 6,
        /// `NFTA_CHAIN_TYPE`: string.
        TYPE = 7,
        /// `NFTA_CHAIN_COUNTERS`: nested counters.
        COUNTERS = 8,
        /// `NFTA_CHAIN_PAD`.
        PAD = 9,
        /// `NFTA_CHAIN_FLAGS`: big-endian `u32`, `NFT_CHAIN_*`.
        FLAGS = 10,
        /// `NFTA_CHAIN_ID`: big-endian `u32`, batch-local id.
        ID = 11,
        /// `NFTA_CHAIN_USERDATA`.
        USERDATA = 12,
    }
}

open_enum! {
    /// A hook attribute (`enum nft_hook_attributes`), inside [`ChainAttr::HOOK`].
    pub struct HookAttr(u16) {
        /// `NFTA_HOOK_UNSPEC`.
        UNSPEC = 0,
        /// `NFTA_HOOK_HOOKNUM`: big-endian `u32`, `NF_INET_*`.
        HOOKNUM = 1,
        /// `NFTA_HOOK_PRIORITY`: big-endian `u32` (a signed priority).
        PRIORITY = 2,
        /// `NFTA_HOOK_DEV`: string (netdev family).
        DEV = 3,
        /// `NFTA_HOOK_DEVS`: nested device names.
        DEVS = 4,
    }
}

open_enum! {
    /// A netfilter hook number (`enum nf_inet_hooks`; netdev's ingress is 0).
    pub struct HookNum(u32) {
        /// `NF_INET_PRE_ROUTING` (`prerouting`).
        PREROUTING = 0,
        /// `NF_INET_LOCAL_IN` (`input`).
        INPUT = 1,
        /// `NF_INET_FORWARD` (`forward`).
        FORWARD = 2,
        /// `NF_INET_LOCAL_OUT` (`output`).
        OUTPUT = 3,
        /// `NF_INET_POST_ROUTING` (`postrouting`).
        POSTROUTING = 4,
        /// `NF_INET_INGRESS` (`ingress`, inet family).
        INGRESS = 5,
    }
}

/// `NF_DROP`: a chain policy or verdict.
pub const NF_DROP: u32 = 0;
/// `NF_ACCEPT`: a chain policy or verdict.
pub const NF_ACCEPT: u32 = 1;
/// `NFT_CHAIN_BASE`: the chain has a hook.
pub const NFT_CHAIN_BASE: u32 = 1;

/// What makes a chain a base chain: its type, hook, priority and policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseChain<'a> {
    /// `"filter"`, `"nat"` or `"route"`.
    pub chain_type: &'a str,
    /// The hook.
    pub hook: HookNum,
    /// The priority (lower runs first).
    pub priority: i32,
    /// [`NF_ACCEPT`] or [`NF_DROP`]; `None` leaves the kernel's default
    /// (accept), as nft does when no policy is given.
    pub policy: Option<u32>,
    /// The device of a netdev-family hook (`NFTA_HOOK_DEV`).
    pub device: Option<&'a str>,
}

fn new_chain<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
    base: Option<&BaseChain<'_>>,
    flags: Flags,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables chain name")?;
    if let Some(b) = base
        && (b.chain_type.is_empty()
            || b.chain_type.len() > CHAIN_TYPE_CAP
            || b.chain_type.as_bytes().contains(&0))
    {
        return Err(EncodeError::Invalid {
            what: "nf_tables chain type",
        });
    }
    let msg = build(w, NftMsg::NEWCHAIN, family, flags, |w| {
        w.put_str(ChainAttr::TABLE.0, table)?;
        w.put_str(ChainAttr::NAME.0, name)?;
        if let Some(b) = base {
            // nft's order: type, policy, hook.
            w.put_str(ChainAttr::TYPE.0, b.chain_type)?;
            if let Some(p) = b.policy {
                w.put_be32(ChainAttr::POLICY.0, p)?;
            }
            w.nested(ChainAttr::HOOK.0, |w| {
                w.put_be32(HookAttr::HOOKNUM.0, b.hook.0)?;
                w.put_be32(
                    HookAttr::PRIORITY.0,
                    u32::from_ne_bytes(b.priority.to_ne_bytes()),
                )?;
                match b.device {
                    Some(d) => w.put_str(HookAttr::DEV.0, d),
                    None => Ok(()),
                }
            })?;
        }
        Ok(())
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_NEWCHAIN` with `NLM_F_CREATE` (`nft add chain`): create the
/// chain (a base chain if `base` is given), or succeed if it exists. Goes
/// inside a batch.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for an empty, NUL-holding or over-long
/// ([`CHAIN_NAME_CAP`], [`CHAIN_TYPE_CAP`]) name or type; writer errors.
/// Nothing is left in the writer on error.
pub fn encode_new_chain<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
    base: Option<&BaseChain<'_>>,
) -> Result<Request<'w>, EncodeError> {
    new_chain(w, family, table, name, base, Flags::REQUEST | Flags::CREATE)
}

/// `NFT_MSG_NEWCHAIN` with `NLM_F_CREATE | NLM_F_EXCL` (`nft create
/// chain`): fails with `EEXIST` if the chain exists. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_chain`].
pub fn encode_create_chain<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
    base: Option<&BaseChain<'_>>,
) -> Result<Request<'w>, EncodeError> {
    new_chain(
        w,
        family,
        table,
        name,
        base,
        Flags::REQUEST | Flags::CREATE | Flags::EXCL,
    )
}

/// `NFT_MSG_DELCHAIN` by name (`nft delete chain`). The kernel refuses
/// (`EBUSY`) a chain that still has rules or is jumped to. Goes inside a
/// batch.
///
/// # Errors
///
/// As [`encode_new_chain`].
pub fn encode_del_chain<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables chain name")?;
    let msg = build(w, NftMsg::DELCHAIN, family, Flags::REQUEST, |w| {
        w.put_str(ChainAttr::TABLE.0, table)?;
        w.put_str(ChainAttr::NAME.0, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELRULE` naming a table and chain but no rule (`nft flush
/// chain`): delete every rule of the chain. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_chain`].
pub fn encode_flush_chain<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables chain name")?;
    let msg = build(w, NftMsg::DELRULE, family, Flags::REQUEST, |w| {
        // NFTA_RULE_TABLE = 1, NFTA_RULE_CHAIN = 2.
        w.put_str(1, table)?;
        w.put_str(2, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETCHAIN` with `NLM_F_DUMP`: the chains of `family`
/// ([`NfProto::UNSPEC`] for all). Not batched.
///
/// # Errors
///
/// Writer errors. Nothing is left in the writer on error.
pub fn encode_dump_chains<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETCHAIN,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// A base chain's hook as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// Hook number (`NFTA_HOOK_HOOKNUM`).
    pub num: HookNum,
    /// Priority (`NFTA_HOOK_PRIORITY`).
    pub priority: i32,
    /// The device of a netdev-family hook (`NFTA_HOOK_DEV`), when it fits
    /// an interface name.
    pub device: Option<heapless::String<16>>,
}

/// An nf_tables chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Family (`nfgen_family`).
    pub family: NfProto,
    /// Table name (`NFTA_CHAIN_TABLE`).
    pub table: heapless::String<CHAIN_NAME_CAP>,
    /// Chain name (`NFTA_CHAIN_NAME`).
    pub name: heapless::String<CHAIN_NAME_CAP>,
    /// Handle (`NFTA_CHAIN_HANDLE`); 0 if absent.
    pub handle: u64,
    /// The hook, for a base chain (`NFTA_CHAIN_HOOK`).
    pub hook: Option<Hook>,
    /// Policy (`NFTA_CHAIN_POLICY`), for a base chain.
    pub policy: Option<u32>,
    /// Type (`NFTA_CHAIN_TYPE`), for a base chain.
    pub chain_type: Option<heapless::String<CHAIN_TYPE_CAP>>,
    /// `NFT_CHAIN_*` flags (`NFTA_CHAIN_FLAGS`); 0 if absent.
    pub flags: u32,
    /// References (`NFTA_CHAIN_USE`); 0 if absent.
    pub use_count: u32,
}

pub(super) fn short_string<const N: usize>(
    tb_attr: Option<crate::wire::Attr<'_>>,
    what: &'static str,
    kind: u16,
) -> Result<heapless::String<N>, DecodeError> {
    let a = tb_attr.ok_or(DecodeError::MissingAttr { what, kind })?;
    let s = a.str()?;
    heapless::String::try_from(s).map_err(|_| DecodeError::TooLong {
        what,
        len: s.len(),
        cap: N,
    })
}

impl Chain {
    /// Decode an `NFT_MSG_NEWCHAIN` (dump entry, notification) or
    /// `NFT_MSG_DELCHAIN` message.
    ///
    /// Strictness: table and name must be present and valid, and a hook,
    /// if present, must hold its number and priority. Handle, flags, use,
    /// policy and type are informational (a malformed one reads as absent).
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`],
    /// [`DecodeError::MissingAttr`], [`DecodeError::TooLong`],
    /// [`DecodeError::NotUtf8`], [`DecodeError::AttrSize`].
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWCHAIN.msg_type() && ty != NftMsg::DELCHAIN.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables chain",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<13>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let table = short_string(tb.get(ChainAttr::TABLE.0), "NFTA_CHAIN_TABLE", 1)?;
        let name = short_string(tb.get(ChainAttr::NAME.0), "NFTA_CHAIN_NAME", 3)?;
        let hook = match tb.get(ChainAttr::HOOK.0) {
            None => None,
            Some(h) => {
                let ht = AttrTable::<5>::parse(h.nested());
                let get = |k: HookAttr| {
                    ht.get(k.0)
                        .ok_or(DecodeError::MissingAttr {
                            what: "NFTA_CHAIN_HOOK",
                            kind: k.0,
                        })
                        .and_then(|a| a.be32())
                };
                Some(Hook {
                    num: HookNum(get(HookAttr::HOOKNUM)?),
                    priority: i32::from_ne_bytes(get(HookAttr::PRIORITY)?.to_ne_bytes()),
                    device: ht
                        .get(HookAttr::DEV.0)
                        .and_then(|a| a.str().ok())
                        .and_then(|d| heapless::String::try_from(d).ok()),
                })
            }
        };
        let be32 = |k: ChainAttr| tb.get(k.0).and_then(|a| a.be32().ok());
        Ok(Self {
            family: hdr.family(),
            table,
            name,
            handle: tb
                .get(ChainAttr::HANDLE.0)
                .and_then(|a| a.be64().ok())
                .unwrap_or(0),
            hook,
            policy: be32(ChainAttr::POLICY),
            chain_type: tb
                .get(ChainAttr::TYPE.0)
                .and_then(|a| a.str().ok())
                .and_then(|s| heapless::String::try_from(s).ok()),
            flags: be32(ChainAttr::FLAGS).unwrap_or(0),
            use_count: be32(ChainAttr::USE).unwrap_or(0),
        })
    }

    /// Write this chain as the kernel describes it (`NFT_MSG_NEWCHAIN`
    /// with `flags` and every field), for tests, fakes and round trips.
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWCHAIN, self.family, flags, |w| {
            w.put_str(ChainAttr::TABLE.0, &self.table)?;
            w.put_str(ChainAttr::NAME.0, &self.name)?;
            w.put_be64(ChainAttr::HANDLE.0, self.handle)?;
            if let Some(h) = &self.hook {
                w.nested(ChainAttr::HOOK.0, |w| {
                    w.put_be32(HookAttr::HOOKNUM.0, h.num.0)?;
                    w.put_be32(
                        HookAttr::PRIORITY.0,
                        u32::from_ne_bytes(h.priority.to_ne_bytes()),
                    )?;
                    match &h.device {
                        Some(d) => w.put_str(HookAttr::DEV.0, d),
                        None => Ok(()),
                    }
                })?;
            }
            if let Some(p) = self.policy {
                w.put_be32(ChainAttr::POLICY.0, p)?;
            }
            if let Some(t) = &self.chain_type {
                w.put_str(ChainAttr::TYPE.0, t)?;
            }
            w.put_be32(ChainAttr::FLAGS.0, self.flags)?;
            w.put_be32(ChainAttr::USE.0, self.use_count)
        })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;
    use crate::wire::Msgs;

    use crate::nfnl::nft::test_hex as hex;

    /// `nft add chain inet t c '{ type filter hook input priority 0; policy
    /// drop; }'` then `add chain inet t r`, `create chain inet t x`,
    /// `delete chain inet t x`, `flush chain inet t r`: the batch members
    /// nft 1.0.6 sent (nl-capture --normalize), in order.
    const NFT_SENT: [&str; 5] = [
        "4c000000030a0104000000000000000001000000060001007400000006000300630000000b00070066696c746572000008000500000000001400048008000100000000010800020000000000",
        "24000000030a010400000000000000000100000006000100740000000600030072000000",
        "24000000030a010600000000000000000100000006000100740000000600030078000000",
        "24000000050a010000000000000000000100000006000100740000000600030078000000",
        "24000000080a010000000000000000000100000006000100740000000600020072000000",
    ];

    /// `nft list chains` request and the kernel's two replies (base chain
    /// `c`, regular chain `r`).
    const DUMP_REQ: &str = "14000000040a0103000000000000000000000000";
    const DUMP_REPLY: &str = "68000000030a0200000000000000000001000004060001007400000006000300630000000c0002000000000000000001140004000800010000000001080002000000000008000500000000000b00070066696c746572000008000a0000000001080006000000000038000000030a0200000000000000000001000004060001007400000006000300720000000c00020000000000000000020800060000000000";

    #[test]
    fn encoders_match_nft() {
        let base = BaseChain {
            chain_type: "filter",
            hook: HookNum::INPUT,
            priority: 0,
            policy: Some(NF_DROP),
            device: None,
        };
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let _ = encode_new_chain(&mut w, NfProto::INET, "t", "c", Some(&base)).unwrap();
        let _ = encode_new_chain(&mut w, NfProto::INET, "t", "r", None).unwrap();
        let _ = encode_create_chain(&mut w, NfProto::INET, "t", "x", None).unwrap();
        let _ = encode_del_chain(&mut w, NfProto::INET, "t", "x").unwrap();
        let _ = encode_flush_chain(&mut w, NfProto::INET, "t", "r").unwrap();
        let want: heapless::Vec<u8, 1024> = NFT_SENT.iter().flat_map(|s| hex(s)).collect();
        assert_eq!(w.finished(), &want[..]);
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump_chains(&mut w, NfProto::UNSPEC).unwrap();
        assert_eq!(req.expect, Expect::Dump);
        assert_eq!(&req.msg[..], &hex(DUMP_REQ)[..]);
    }

    #[test]
    fn decodes_kernel_dump_and_round_trips() {
        let bytes = hex(DUMP_REPLY);
        let chains: heapless::Vec<Chain, 2> = Msgs::new(&bytes)
            .map(|m| Chain::decode(&m.unwrap()).unwrap())
            .collect();
        assert_eq!(chains.len(), 2);
        let c = &chains[0];
        assert_eq!(
            (c.family, c.table.as_str(), c.name.as_str()),
            (NfProto::INET, "t", "c")
        );
        assert_eq!(c.handle, 1);
        assert_eq!(
            c.hook,
            Some(Hook {
                num: HookNum::INPUT,
                priority: 0,
                device: None,
            })
        );
        assert_eq!(c.policy, Some(NF_DROP));
        assert_eq!(c.chain_type.as_deref(), Some("filter"));
        assert_eq!(c.flags, NFT_CHAIN_BASE);
        let r = &chains[1];
        assert_eq!(
            (r.name.as_str(), r.handle, r.hook.clone(), r.policy),
            ("r", 2, None, None)
        );
        for c in &chains {
            let mut buf = [0u8; 512];
            let mut w = MsgWriter::new(&mut buf);
            let out = c.emit(&mut w, Flags::MULTI).unwrap();
            assert_eq!(&Chain::decode(&Msg::parse(out).unwrap().0).unwrap(), c);
        }
    }

    #[test]
    fn negative_priority_and_bad_input() {
        let base = BaseChain {
            chain_type: "nat",
            hook: HookNum::POSTROUTING,
            priority: -100,
            policy: None,
            device: None,
        };
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_new_chain(&mut w, NfProto::IPV4, "t", "post", Some(&base)).unwrap();
        // priority -100 big-endian
        assert!(req.msg.windows(4).any(|x| x == [0xff, 0xff, 0xff, 0x9c]));
        let mut w = MsgWriter::new(&mut buf);
        assert!(encode_new_chain(&mut w, NfProto::INET, "", "c", None).is_err());
        assert!(encode_del_chain(&mut w, NfProto::INET, "t", "a\0").is_err());
        let bad = BaseChain {
            chain_type: "",
            ..base
        };
        assert!(encode_new_chain(&mut w, NfProto::INET, "t", "c", Some(&bad)).is_err());
        assert!(w.is_empty());
        // Truncations and bit flips never panic.
        let bytes = hex(DUMP_REPLY);
        let first = &bytes[..0x68];
        for cut in 16..first.len() {
            let mut b: heapless::Vec<u8, 1024> = first[..cut].iter().copied().collect();
            b[0] = u8::try_from(cut).unwrap();
            let _ = Chain::decode(&Msg::parse(&b).unwrap().0);
        }
        for i in 16..first.len() {
            for bit in 0..8 {
                let mut b: heapless::Vec<u8, 1024> = first.iter().copied().collect();
                b[i] ^= 1 << bit;
                if let Ok((m, _)) = Msg::parse(&b) {
                    let _ = Chain::decode(&m);
                }
            }
        }
        // A hook without a priority is an error, not a silent zero:
        // retype NFTA_HOOK_PRIORITY (at 0x3e) to an unknown attribute.
        let mut b: heapless::Vec<u8, 1024> = first.iter().copied().collect();
        assert_eq!(&b[0x3c..0x40], &[8, 0, 2, 0]);
        b[0x3e] = 9;
        assert_eq!(
            Chain::decode(&Msg::parse(&b).unwrap().0),
            Err(DecodeError::MissingAttr {
                what: "NFTA_CHAIN_HOOK",
                kind: 2
            })
        );
    }
}
