//! nf_tables rules: `NFT_MSG_{NEW,GET,DEL}RULE` and `NFTA_RULE_*`.
//!
//! ```text
//! nlmsghdr(0x0a06 | ..) | nfgenmsg | NFTA_RULE_TABLE (string), NFTA_RULE_CHAIN (string),
//!     NFTA_RULE_HANDLE (be64), NFTA_RULE_POSITION (be64),
//!     NFTA_RULE_EXPRESSIONS { NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA }, ... },
//!     NFTA_RULE_USERDATA (bytes)
//! ```
//!
//! [`Rule`] borrows from the message; its expressions decode lazily
//! through [`Rule::exprs`] (see [`Expr`]).

use super::NftMsg;
use super::expr::{Expr, NFTA_LIST_ELEM};
use super::table::{build, check_names};
use crate::macros::open_enum;
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{AttrTable, Attrs, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

open_enum! {
    /// A rule attribute (`enum nft_rule_attributes`).
    pub struct RuleAttr(u16) {
        /// `NFTA_RULE_UNSPEC`.
        UNSPEC = 0,
        /// `NFTA_RULE_TABLE`: string.
        TABLE = 1,
        /// `NFTA_RULE_CHAIN`: string.
        CHAIN = 2,
        /// `NFTA_RULE_HANDLE`: big-endian `u64`.
        HANDLE = 3,
        /// `NFTA_RULE_EXPRESSIONS`: nested list of expressions.
        EXPRESSIONS = 4,
        /// `NFTA_RULE_COMPAT`: nested, x_tables compatibility.
        COMPAT = 5,
        /// `NFTA_RULE_POSITION`: big-endian `u64`, handle of the rule to
        /// insert before (insert) or after (add).
        POSITION = 6,
        /// `NFTA_RULE_USERDATA`: opaque bytes (nft keeps comments here).
        USERDATA = 7,
        /// `NFTA_RULE_PAD`.
        PAD = 8,
        /// `NFTA_RULE_ID`: big-endian `u32`, batch-local id.
        ID = 9,
    }
}

/// Where a new rule goes in its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At the end (`nft add rule`), or after the rule with this handle.
    Append(Option<u64>),
    /// At the start (`nft insert rule`), or before the rule with this handle.
    Insert(Option<u64>),
}

/// `NFT_MSG_NEWRULE` (`nft add rule` / `nft insert rule`): a rule made of
/// `exprs` in `table`/`chain`, placed as `at` says. Flags are
/// `NLM_F_CREATE`, plus `NLM_F_APPEND` for [`Placement::Append`], as nft
/// sends them. Goes inside a batch.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for a bad table or chain name; writer errors.
/// Nothing is left in the writer on error.
pub fn encode_new_rule<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    chain: &str,
    at: Placement,
    exprs: &[Expr<'_>],
) -> Result<Request<'w>, EncodeError> {
    new_rule(w, family, table, chain, at, |w| {
        w.nested(RuleAttr::EXPRESSIONS.0, |w| {
            exprs.iter().try_for_each(|e| e.emit(w))
        })
    })
}

/// [`encode_new_rule`] with the expressions already encoded: `exprs` is
/// the content of `NFTA_RULE_EXPRESSIONS` (`NFTA_LIST_ELEM`s back to back,
/// e.g. [`Rule::exprs_raw`] of a rule read back, or what [`Expr::emit`]
/// wrote).
///
/// # Errors
///
/// As [`encode_new_rule`].
pub fn encode_new_rule_raw<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    chain: &str,
    at: Placement,
    exprs: &[u8],
) -> Result<Request<'w>, EncodeError> {
    new_rule(w, family, table, chain, at, |w| {
        w.put(RuleAttr::EXPRESSIONS.0 | 0x8000, exprs)
    })
}

fn new_rule<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    chain: &str,
    at: Placement,
    exprs: impl FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, chain, "nf_tables chain name")?;
    let (flags, position) = match at {
        Placement::Append(p) => (Flags::REQUEST | Flags::CREATE | Flags::APPEND, p),
        Placement::Insert(p) => (Flags::REQUEST | Flags::CREATE, p),
    };
    let msg = build(w, NftMsg::NEWRULE, family, flags, |w| {
        w.put_str(RuleAttr::TABLE.0, table)?;
        w.put_str(RuleAttr::CHAIN.0, chain)?;
        if let Some(p) = position {
            w.put_be64(RuleAttr::POSITION.0, p)?;
        }
        exprs(w)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELRULE` by handle (`nft delete rule FAMILY TABLE CHAIN handle
/// N`). Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_rule`].
pub fn encode_del_rule<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    chain: &str,
    handle: u64,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, chain, "nf_tables chain name")?;
    let msg = build(w, NftMsg::DELRULE, family, Flags::REQUEST, |w| {
        w.put_str(RuleAttr::TABLE.0, table)?;
        w.put_str(RuleAttr::CHAIN.0, chain)?;
        w.put_be64(RuleAttr::HANDLE.0, handle)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETRULE` with `NLM_F_DUMP`: every rule of `family`
/// ([`NfProto::UNSPEC`] for all). Not batched.
///
/// # Errors
///
/// Writer errors. Nothing is left in the writer on error.
pub fn encode_dump_rules<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETRULE,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// An nf_tables rule, borrowed from its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule<'a> {
    /// Family (`nfgen_family`).
    pub family: NfProto,
    /// Table name.
    pub table: &'a str,
    /// Chain name.
    pub chain: &'a str,
    /// Handle; 0 if absent.
    pub handle: u64,
    /// Position (`NFTA_RULE_POSITION`), if present.
    pub position: Option<u64>,
    /// User data (`NFTA_RULE_USERDATA`), if present.
    pub userdata: Option<&'a [u8]>,
    /// The raw `NFTA_RULE_EXPRESSIONS` payload; walk it with [`Rule::exprs`].
    pub exprs_raw: &'a [u8],
}

impl<'a> Rule<'a> {
    /// Decode an `NFT_MSG_NEWRULE` (dump entry, notification) or
    /// `NFT_MSG_DELRULE` message.
    ///
    /// Strictness: table and chain must be present and UTF-8; every
    /// expression must have a name (an expression this crate does not
    /// know is [`Expr::Unknown`], not an error).
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`],
    /// [`DecodeError::MissingAttr`], [`DecodeError::NotUtf8`], framing
    /// errors.
    pub fn decode(msg: &Msg<'a>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWRULE.msg_type() && ty != NftMsg::DELRULE.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables rule",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<10>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let req = |k: RuleAttr| {
            tb.get(k.0).ok_or(DecodeError::MissingAttr {
                what: "nf_tables rule",
                kind: k.0,
            })
        };
        let rule = Self {
            family: hdr.family(),
            table: req(RuleAttr::TABLE)?.str()?,
            chain: req(RuleAttr::CHAIN)?.str()?,
            handle: tb
                .get(RuleAttr::HANDLE.0)
                .and_then(|a| a.be64().ok())
                .unwrap_or(0),
            position: tb.get(RuleAttr::POSITION.0).and_then(|a| a.be64().ok()),
            userdata: tb.get(RuleAttr::USERDATA.0).map(|a| a.payload()),
            exprs_raw: tb
                .get(RuleAttr::EXPRESSIONS.0)
                .map(|a| a.payload())
                .unwrap_or_default(),
        };
        for e in rule.exprs() {
            e?;
        }
        Ok(rule)
    }

    /// The expressions, in order.
    pub fn exprs(&self) -> impl Iterator<Item = Result<Expr<'a>, DecodeError>> + use<'a> {
        Attrs::new(self.exprs_raw).map(|a| {
            let a = a?;
            if a.kind() != NFTA_LIST_ELEM {
                return Err(DecodeError::MissingAttr {
                    what: "NFTA_RULE_EXPRESSIONS",
                    kind: NFTA_LIST_ELEM,
                });
            }
            Expr::decode(a)
        })
    }

    /// Write this rule as the kernel describes it (`NFT_MSG_NEWRULE` with
    /// `flags`), expressions copied as they are, for tests, fakes and round
    /// trips.
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWRULE, self.family, flags, |w| {
            w.put_str(RuleAttr::TABLE.0, self.table)?;
            w.put_str(RuleAttr::CHAIN.0, self.chain)?;
            w.put_be64(RuleAttr::HANDLE.0, self.handle)?;
            if let Some(p) = self.position {
                w.put_be64(RuleAttr::POSITION.0, p)?;
            }
            w.put(RuleAttr::EXPRESSIONS.0 | 0x8000, self.exprs_raw)?;
            match self.userdata {
                Some(u) => w.put(RuleAttr::USERDATA.0, u),
                None => Ok(()),
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::nfnl::nft::NF_DROP;
    use crate::nfnl::nft::expr::*;
    use crate::nfnl::nft::test_hex as hex;
    use crate::nfnl::nft::words::*;

    // nft 1.0.6 batch members (nl-capture --normalize) for, in inet t c:
    /// `add rule inet t c iifname "lo" accept`
    const SENT_IIFNAME: &str = "b4000000060a010c000000000000000001000000060001007400000006000200630000009000048024000180090001006d6574610000000014000280080002000000000608000100000000013800018008000100636d70002c0002800800010000000001080002000000000018000380140001006c6f0000000000000000000000000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001";
    /// `add rule inet t c meta l4proto udp udp dport 1000-2000 limit rate
    /// 10/second burst 5 packets log prefix "x " jump r`
    const SENT_JUMP: &str = "98010000060a010c000000000000000001000000060001007400000006000200630000007401048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010011000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000050c0003800600010003e800002c00018008000100636d700020000280080001000000000108000200000000030c0003800600010007d00000440001800a0001006c696d6974000000340002800c000100000000000000000a0c000200000000000000000108000300000000050800040000000000080005000000000018000180080001006c6f67000c0002800700020078200000380001800e000100696d6d656469617465000000240002800800010000000000180002801400028008000100fffffffd0600020072000000";
    /// `add rule inet t c meta mark 0x1 reject`
    const SENT_REJECT: &str = "9c000000060a010c000000000000000001000000060001007400000006000200630000007800048024000180090001006d6574610000000014000280080002000000000308000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800800010001000000240001800b00010072656a65637400001400028008000100000000020500020001000000";
    /// in ip n pre: `ip saddr 10.1.16.0/20 tcp dport != 100-200 dnat to 10.0.0.2:8080`
    const SENT_DNAT: &str = "1c020000060a010c000000000000000002000000060001006e0000000800020070726500f8010480340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c0800040000000004440001800c0001006269747769736500340002800800010000000001080002000000000108000300000000040c00048008000100fffff0000c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000000c000380080001000a01100024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000023c0001800a00010072616e67650000002c000280080001000000000108000200000000010c00038006000100006400000c0004800600010000c800002c0001800e000100696d6d6564696174650000001800028008000100000000010c000280080001000a0000022c0001800e000100696d6d6564696174650000001800028008000100000000020c000280060001001f90000038000180080001006e6174002c00028008000100000000010800020000000002080003000000000108000500000000020800070000000002";

    /// Kernel dump entries (`nft list chain`): the counter rule (handle 4),
    /// the `ct state` set lookup, the jump rule, and the ip n rules
    /// (dnat, masquerade, snat).
    const RECV: [&str; 6] = [
        "f0010000060a0208000000000000000001000002060001007400000006000200630000000c0003000000000000000004c001040024000100090001006d6574610000000014000200080002000000000f08000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010002000000340001000c0001007061796c6f6164002400020008000100000000010800020000000001080003000000000c08000400000000012c00010008000100636d700020000200080001000000000108000200000000000c000300050001000a00000024000100090001006d6574610000000014000200080002000000001008000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010006000000340001000c0001007061796c6f6164002400020008000100000000010800020000000002080003000000000208000400000000022c00010008000100636d700020000200080001000000000108000200000000000c00030006000100001600002c0001000c000100636f756e746572001c0002000c00010000000000000000000c0002000000000000000000300001000e000100696d6d6564696174650000001c0002000800010000000000100002000c0002000800010000000001",
        "c0000000060a0208000000000000000001000002060001007400000006000200630000000c00030000000000000000070c0006000000000000000005840004002000010007000100637400001400020008000100000000010800020000000000300001000b0001006c6f6f6b75700000200002000b0001005f5f73657430000008000200000000010800050000000000300001000e000100696d6d6564696174650000001c0002000800010000000000100002000c0002000800010000000001",
        "b8010000060a0208000000000000000001000002060001007400000006000200630000000c00030000000000000000090c00060000000000000000087c01040024000100090001006d6574610000000014000200080002000000001008000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010011000000340001000c0001007061796c6f6164002400020008000100000000010800020000000002080003000000000208000400000000022c00010008000100636d700020000200080001000000000108000200000000050c0003000600010003e800002c00010008000100636d700020000200080001000000000108000200000000030c0003000600010007d00000440001000a0001006c696d6974000000340002000c000100000000000000000a0c000200000000000000000108000300000000050800040000000000080005000000000020000100080001006c6f67001400020007000200782000000800050000000004380001000e000100696d6d656469617465000000240002000800010000000000180002001400020008000100fffffffd0600020072000000",
        "40020000060a0208000000000000000002000002060001006e00000008000200707265000c000300000000000000000310020400340001000c0001007061796c6f6164002400020008000100000000010800020000000001080003000000000c08000400000000044c0001000c00010062697477697365003c00020008000100000000010800020000000001080003000000000408000600000000000c00040008000100fffff0000c00050008000100000000002c00010008000100636d700020000200080001000000000108000200000000000c000300080001000a01100024000100090001006d6574610000000014000200080002000000001008000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010006000000340001000c0001007061796c6f6164002400020008000100000000010800020000000002080003000000000208000400000000023c0001000a00010072616e67650000002c000200080001000000000108000200000000010c00030006000100006400000c0004000600010000c800002c0001000e000100696d6d6564696174650000001800020008000100000000010c000200080001000a0000022c0001000e000100696d6d6564696174650000001800020008000100000000020c000200060001001f90000048000100080001006e6174003c0002000800010000000001080002000000000208000300000000010800040000000001080005000000000208000600000000020800070000000003",
        "a8000000060a0208000000000000000002000002060001006e00000009000200706f7374000000000c00030000000000000000047400040024000100090001006d6574610000000014000200080002000000000708000100000000013800010008000100636d70002c0002000800010000000001080002000000000018000300140001006574683000000000000000000000000014000100090001006d6173710000000004000200",
        "08010000060a0208000000000000000002000002060001006e00000009000200706f7374000000000c00030000000000000000050c0006000000000000000004c8000400340001000c0001007061796c6f6164002400020008000100000000010800020000000001080003000000001008000400000000022c00010008000100636d700020000200080001000000000108000200000000000c00030006000100c0a800002c0001000e000100696d6d6564696174650000001800020008000100000000010c000200080001000102030438000100080001006e6174002c00020008000100000000000800020000000002080003000000000108000400000000010800070000000001",
    ];

    const IFNAME_LO: [u8; 16] = *b"lo\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    fn meta(key: MetaKey) -> Expr<'static> {
        Expr::Meta(Meta {
            key,
            dreg: Some(NFT_REG_1),
            sreg: None,
        })
    }
    fn cmp(op: CmpOp, data: &[u8]) -> Expr<'_> {
        Expr::Cmp(Cmp {
            sreg: NFT_REG_1,
            op,
            data,
        })
    }
    fn payload(f: HeaderField) -> Expr<'static> {
        Expr::Payload(Payload::load(f, NFT_REG_1))
    }

    fn encode(
        family: NfProto,
        table: &str,
        chain: &str,
        exprs: &[Expr<'_>],
    ) -> heapless::Vec<u8, 1024> {
        let mut buf = [0u8; 1024];
        let mut w = MsgWriter::new(&mut buf);
        let req =
            encode_new_rule(&mut w, family, table, chain, Placement::Append(None), exprs).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        req.msg.iter().copied().collect()
    }

    #[test]
    fn encoders_match_nft() {
        let got = encode(
            NfProto::INET,
            "t",
            "c",
            &[
                meta(MetaKey::IIFNAME),
                cmp(CmpOp::EQ, &IFNAME_LO),
                Expr::verdict(Verdict::ACCEPT),
            ],
        );
        assert_eq!(&got[..], &hex(SENT_IIFNAME)[..]);

        let jump = [
            meta(MetaKey::L4PROTO),
            cmp(CmpOp::EQ, &[17]),
            payload(HeaderField::TH_DPORT),
            cmp(CmpOp::GTE, &[0x03, 0xe8]),
            cmp(CmpOp::LTE, &[0x07, 0xd0]),
            Expr::Limit(Limit {
                rate: 10,
                unit: 1,
                burst: 5,
                kind: LimitType::PKTS,
                flags: 0,
            }),
            Expr::Log(Log {
                prefix: Some("x "),
                group: None,
                snaplen: None,
                qthreshold: None,
                level: None,
                flags: None,
            }),
            Expr::verdict(Verdict::jump("r")),
        ];
        assert_eq!(
            &encode(NfProto::INET, "t", "c", &jump)[..],
            &hex(SENT_JUMP)[..]
        );

        let reject = [
            meta(MetaKey::MARK),
            cmp(CmpOp::EQ, &[1, 0, 0, 0]),
            Expr::Reject(Reject {
                kind: RejectType::ICMPX_UNREACH,
                icmp_code: 1,
            }),
        ];
        assert_eq!(
            &encode(NfProto::INET, "t", "c", &reject)[..],
            &hex(SENT_REJECT)[..]
        );

        let dnat = [
            payload(HeaderField::IP_SADDR),
            Expr::Bitwise(Bitwise {
                sreg: 1,
                dreg: 1,
                len: 4,
                mask: &[0xff, 0xff, 0xf0, 0],
                xor: &[0, 0, 0, 0],
            }),
            cmp(CmpOp::EQ, &[10, 1, 16, 0]),
            meta(MetaKey::L4PROTO),
            cmp(CmpOp::EQ, &[6]),
            payload(HeaderField::TH_DPORT),
            Expr::Range(Range {
                sreg: 1,
                op: RangeOp::NEQ,
                from: &[0, 100],
                to: &[0, 200],
            }),
            Expr::Immediate(Immediate {
                dreg: 1,
                data: Data::Value(&[10, 0, 0, 2]),
            }),
            Expr::Immediate(Immediate {
                dreg: 2,
                data: Data::Value(&[0x1f, 0x90]),
            }),
            Expr::Nat(Nat {
                kind: NatType::DNAT,
                family: 2,
                reg_addr_min: Some(1),
                reg_addr_max: None,
                reg_proto_min: Some(2),
                reg_proto_max: None,
                flags: Some(2),
            }),
        ];
        assert_eq!(
            &encode(NfProto::IPV4, "n", "pre", &dnat)[..],
            &hex(SENT_DNAT)[..]
        );
    }

    #[test]
    fn decodes_kernel_rules() {
        let b = hex(RECV[0]);
        let m = Msg::parse(&b).unwrap().0;
        let r = Rule::decode(&m).unwrap();
        assert_eq!(
            (r.family, r.table, r.chain, r.handle),
            (NfProto::INET, "t", "c", 4)
        );
        let exprs: heapless::Vec<Expr<'_>, 16> = r.exprs().map(Result::unwrap).collect();
        assert_eq!(
            &exprs[..],
            &[
                meta(MetaKey::NFPROTO),
                cmp(CmpOp::EQ, &[2]),
                Expr::Payload(Payload {
                    len: 1,
                    ..Payload::load(HeaderField::IP_SADDR, NFT_REG_1)
                }),
                cmp(CmpOp::EQ, &[10]),
                meta(MetaKey::L4PROTO),
                cmp(CmpOp::EQ, &[6]),
                payload(HeaderField::TH_DPORT),
                cmp(CmpOp::EQ, &[0, 22]),
                Expr::Counter(Counter {
                    bytes: 0,
                    packets: 0
                }),
                Expr::verdict(Verdict::ACCEPT),
            ][..]
        );
        let b = hex(RECV[1]);
        let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
        let exprs: heapless::Vec<Expr<'_>, 16> = r.exprs().map(Result::unwrap).collect();
        assert_eq!(
            exprs[1],
            Expr::Lookup(Lookup {
                set: "__set0",
                sreg: 1,
                dreg: None,
                set_id: None,
                flags: Some(0)
            })
        );
        assert_eq!(
            exprs[0],
            Expr::Ct(Ct {
                key: CtKey::STATE,
                dreg: Some(1),
                sreg: None,
                direction: None
            })
        );
        let b = hex(RECV[4]);
        let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
        assert_eq!(
            r.exprs().last().unwrap().unwrap(),
            Expr::Masq(Masq {
                flags: None,
                reg_proto_min: None,
                reg_proto_max: None
            })
        );
        assert_eq!(NF_DROP, 0);
    }

    #[test]
    fn every_kernel_expression_is_known_and_round_trips() {
        for h in RECV {
            let b = hex(h);
            let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
            for e in r.exprs() {
                let e = e.unwrap();
                assert!(!matches!(e, Expr::Unknown { .. }), "{e:?}");
                let mut buf = [0u8; 512];
                let mut w = MsgWriter::new(&mut buf);
                Batch(&mut w).one(&e);
                let out = w.finished();
                let m = Msg::parse(out).unwrap().0;
                let elem = crate::wire::Attrs::new(&m.payload()[4..])
                    .next()
                    .unwrap()
                    .unwrap();
                assert_eq!(Expr::decode(elem).unwrap(), e);
            }
            let mut buf = [0u8; 1024];
            let mut w = MsgWriter::new(&mut buf);
            let out = r.emit(&mut w, Flags::MULTI).unwrap();
            assert_eq!(Rule::decode(&Msg::parse(out).unwrap().0).unwrap(), r);
        }
    }

    /// Wrap one expression in a message so it can be parsed back.
    struct Batch<'x, 'b>(&'x mut MsgWriter<'b>);
    impl Batch<'_, '_> {
        fn one(&mut self, e: &Expr<'_>) {
            build(
                self.0,
                NftMsg::NEWRULE,
                NfProto::INET,
                Flags::REQUEST,
                |w| e.emit(w),
            )
            .unwrap();
        }
    }

    #[test]
    fn unknown_and_unmodelled_expressions_stay_raw() {
        // A name we do not know, and a payload *write* (NFTA_PAYLOAD_SREG).
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let exprs = [
            Expr::Unknown {
                name: "fib",
                data: &[12, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9],
            },
            Expr::Unknown {
                name: "payload",
                data: &[8, 0, 5, 0, 0, 0, 0, 1],
            },
        ];
        let req = encode_new_rule(
            &mut w,
            NfProto::INET,
            "t",
            "c",
            Placement::Insert(Some(3)),
            &exprs,
        )
        .unwrap();
        assert_eq!(req.msg[6..8], [0x01, 0x04]); // REQUEST|CREATE, no APPEND
        let m = Msg::parse(req.msg).unwrap().0;
        let r = Rule::decode(&m).unwrap();
        assert_eq!(r.position, Some(3));
        let back: heapless::Vec<Expr<'_>, 4> = r.exprs().map(Result::unwrap).collect();
        assert_eq!(&back[..], &exprs[..]);
    }

    #[test]
    fn del_rule_and_dump_bytes() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_del_rule(&mut w, NfProto::INET, "t", "c", 4).unwrap();
        // `nft delete rule inet t c handle 4` (nl-capture --normalize)
        assert_eq!(
            &req.msg[..],
            &hex(
                "30000000080a0100000000000000000001000000060001007400000006000200630000000c0003000000000000000004"
            )[..]
        );
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump_rules(&mut w, NfProto::UNSPEC).unwrap();
        assert_eq!(
            &req.msg[..],
            &hex("14000000070a0103000000000000000000000000")[..]
        );
    }

    #[test]
    fn never_panics_on_truncations_and_bit_flips() {
        for h in RECV {
            let full = hex(h);
            for cut in 16..full.len() {
                let mut b: heapless::Vec<u8, 1024> = full[..cut].iter().copied().collect();
                b[..4].copy_from_slice(&u32::try_from(cut).unwrap().to_ne_bytes());
                if let Ok(r) = Rule::decode(&Msg::parse(&b).unwrap().0) {
                    r.exprs().for_each(drop);
                }
            }
            for i in 16..full.len() {
                let mut b = full.clone();
                b[i] ^= 0x55;
                if let Ok((m, _)) = Msg::parse(&b)
                    && let Ok(r) = Rule::decode(&m)
                {
                    r.exprs().for_each(drop);
                }
            }
        }
    }
}
