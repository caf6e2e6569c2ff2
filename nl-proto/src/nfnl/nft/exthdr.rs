//! `exthdr`: load from, write to, or strip an extension header — IPv6
//! extension headers, TCP options, IPv4 options, SCTP chunks —
//! (`NFTA_EXTHDR_*`).
//!
//! ```text
//! NFTA_EXTHDR_DREG (be32) | NFTA_EXTHDR_SREG (be32) | NFTA_EXTHDR_TYPE (u8)
//! | NFTA_EXTHDR_OFFSET (be32) | NFTA_EXTHDR_LEN (be32) | NFTA_EXTHDR_OP (be32)
//! | NFTA_EXTHDR_FLAGS (be32)
//! ```
//!
//! With `dreg` it is a load (with [`NFT_EXTHDR_F_PRESENT`]: a 1-byte
//! boolean, is the header there); with `sreg` a write (TCP options only);
//! with neither, a TCP option is stripped (`reset tcp option`).

use crate::EncodeError;
use crate::macros::open_enum;
use crate::wire::{AttrTable, MsgWriter};

open_enum! {
    /// Which kind of extension header (`enum nft_exthdr_op`).
    pub struct ExthdrOp(u32) {
        /// `NFT_EXTHDR_OP_IPV6`: an IPv6 extension header (`exthdr`).
        IPV6 = 0,
        /// `NFT_EXTHDR_OP_TCPOPT`: a TCP option (`tcp option`).
        TCPOPT = 1,
        /// `NFT_EXTHDR_OP_IPV4`: an IPv4 option (`ip option`).
        IPV4 = 2,
        /// `NFT_EXTHDR_OP_SCTP`: an SCTP chunk (`sctp chunk`).
        SCTP = 3,
        /// `NFT_EXTHDR_OP_DCCP`: a DCCP option.
        DCCP = 4,
    }
}

/// `NFT_EXTHDR_F_PRESENT`: load whether the header is there (1 byte,
/// 0 or 1) rather than its bytes.
pub const NFT_EXTHDR_F_PRESENT: u32 = 1;

const DREG: u16 = 1;
const TYPE: u16 = 2;
const OFFSET: u16 = 3;
const LEN: u16 = 4;
const FLAGS: u16 = 5;
const OP: u16 = 6;
const SREG: u16 = 7;

/// `exthdr`: `len` bytes at `offset` of the extension header `kind` (the
/// IPv6 next-header number, the TCP option kind, the IPv4 option number
/// or the SCTP chunk type).
///
/// ```
/// use nl_proto::nfnl::nft::{Exthdr, ExthdrOp, NFT_REG_1};
/// // `tcp option maxseg size`: 2 bytes at offset 2 of option 2.
/// let e = Exthdr::load(ExthdrOp::TCPOPT, 2, 2, 2, NFT_REG_1);
/// assert_eq!(e.dreg, Some(NFT_REG_1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exthdr {
    /// Which kind of header.
    pub op: ExthdrOp,
    /// The header's type (`NFTA_EXTHDR_TYPE`).
    pub kind: u8,
    /// Byte offset in it.
    pub offset: u32,
    /// Byte length (0 for a strip).
    pub len: u32,
    /// `NFT_EXTHDR_F_*`.
    pub flags: u32,
    /// Destination register: a load.
    pub dreg: Option<u32>,
    /// Source register: a write.
    pub sreg: Option<u32>,
}

impl Exthdr {
    /// A load of `len` bytes at `offset` of header `kind` into `dreg`.
    pub const fn load(op: ExthdrOp, kind: u8, offset: u32, len: u32, dreg: u32) -> Self {
        Self {
            op,
            kind,
            offset,
            len,
            flags: 0,
            dreg: Some(dreg),
            sreg: None,
        }
    }

    /// Decode `NFTA_EXPR_DATA`'s table; `None` when a required attribute
    /// is missing or malformed (the expression stays unknown).
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        let opt = |k| match tb.get(k) {
            None => Some(None),
            Some(a) => a.be32().ok().map(Some),
        };
        Some(Self {
            op: ExthdrOp(opt(OP)?.unwrap_or(0)),
            kind: tb.get(TYPE)?.u8().ok()?,
            offset: opt(OFFSET)?.unwrap_or(0),
            len: opt(LEN)?.unwrap_or(0),
            flags: opt(FLAGS)?.unwrap_or(0),
            dreg: opt(DREG)?,
            sreg: opt(SREG)?,
        })
    }

    /// The attribute numbers [`Exthdr::decode`] reads.
    pub(crate) const ATTRS: &'static [u16] = &[DREG, TYPE, OFFSET, LEN, FLAGS, OP, SREG];

    /// Write the attributes in the order nft (libnftnl) writes them:
    /// registers, type, offset and length (not for a strip), op, flags
    /// (when set).
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if let Some(r) = self.dreg {
            w.put_be32(DREG, r)?;
        }
        if let Some(r) = self.sreg {
            w.put_be32(SREG, r)?;
        }
        w.put_u8(TYPE, self.kind)?;
        if self.dreg.is_some() || self.sreg.is_some() {
            w.put_be32(OFFSET, self.offset)?;
            w.put_be32(LEN, self.len)?;
        }
        w.put_be32(OP, self.op.0)?;
        if self.flags != 0 {
            w.put_be32(FLAGS, self.flags)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::{Expr, NFT_REG_1, Placement, Rule, encode_new_rule, test_hex};
    use super::*;
    use crate::nfnl::NfProto;
    use crate::wire::{Msg, MsgWriter};

    /// The `NFT_MSG_NEWRULE` nft 1.0.6 sends for `nft add rule ip t c tcp
    /// option maxseg exists` (`nl-capture --normalize`): exthdr load 1b @ 2
    /// + 0 present => reg 1, cmp eq reg 1 1.
    const TCPOPT_MAXSEG_EXISTS: &str = "98000000060a010c000000000000000002000000060001007400000006000200630000007400048044000180\
        0b0001006578746864720000340002800800010000000001050002000200000008000300000000000800040000000001080006000000000108000500000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010001000000";
    /// `reset tcp option 123`: exthdr reset tcpopt 123.
    const TCPOPT_RESET_123: &str = "4c000000060a010c0000000000000000020000000600010074000000060002006300000028000480240001800b000100657874686472000014000280050002007b0000000800060000000001";
    /// `tcp option maxseg size set 1360`: immediate reg 1 0x0550, exthdr
    /// write tcpopt reg 1 => 2b @ 2 + 2.
    const TCPOPT_MAXSEG_SET: &str = "90000000060a010c000000000000000002000000060001007400000006000200630000006c0004802c0001800e000100696d6d6564696174650000001800028008000100000000010c00028006000100055000003c0001800b00010065787468647200002c00028008000700000000010500020002000000080003000000000208000400000000020800060000000001";

    /// Decode the captured rule, check its `exthdr`, and encode it back to
    /// the same bytes.
    fn roundtrip(hex: &str, at: usize, want: Exthdr) {
        let b = test_hex(&hex.replace(char::is_whitespace, ""));
        let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
        let exprs: heapless::Vec<Expr<'_>, 4> = r.exprs().map(|e| e.unwrap()).collect();
        assert_eq!(exprs[at], Expr::Exthdr(want));
        let mut buf = [0xa5u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let out = encode_new_rule(
            &mut w,
            NfProto::IPV4,
            "t",
            "c",
            Placement::Append(None),
            &exprs,
        )
        .unwrap();
        assert_eq!(&*out.msg, b.as_slice());
    }

    #[test]
    fn roundtrips_tcpopt_present_load() {
        let want = Exthdr {
            flags: NFT_EXTHDR_F_PRESENT,
            ..Exthdr::load(ExthdrOp::TCPOPT, 2, 0, 1, NFT_REG_1)
        };
        roundtrip(TCPOPT_MAXSEG_EXISTS, 0, want);
    }

    #[test]
    fn roundtrips_tcpopt_reset() {
        let want = Exthdr {
            op: ExthdrOp::TCPOPT,
            kind: 123,
            offset: 0,
            len: 0,
            flags: 0,
            dreg: None,
            sreg: None,
        };
        roundtrip(TCPOPT_RESET_123, 0, want);
    }

    #[test]
    fn roundtrips_tcpopt_write() {
        let want = Exthdr {
            op: ExthdrOp::TCPOPT,
            kind: 2,
            offset: 2,
            len: 2,
            flags: 0,
            dreg: None,
            sreg: Some(NFT_REG_1),
        };
        roundtrip(TCPOPT_MAXSEG_SET, 1, want);
    }
}
