//! Statements that act on the packet rather than load or compare a value:
//! a `payload` write (with its checksum update), `tproxy`, `synproxy`,
//! `hash` (which loads a hash of registers), `dup`, `fwd`, `connlimit`
//! and `notrack`. Attributes are big-endian `u32` unless said otherwise
//! (`include/uapi/linux/netfilter/nf_tables.h`); each `emit` writes them
//! in the order nft 1.0.6 (libnftnl) does, leaving out what is absent.

use super::words::PayloadBase;
use crate::EncodeError;
use crate::wire::{AttrTable, MsgWriter};

fn be32(tb: &AttrTable<'_, 9>, k: u16) -> Option<u32> {
    tb.get(k)?.be32().ok()
}

/// An optional attribute: absent is `Some(None)`, malformed `None`.
fn opt32(tb: &AttrTable<'_, 9>, k: u16) -> Option<Option<u32>> {
    match tb.get(k) {
        None => Some(None),
        Some(a) => a.be32().ok().map(Some),
    }
}

fn put_opt(w: &mut MsgWriter<'_>, k: u16, v: Option<u32>) -> Result<(), EncodeError> {
    match v {
        Some(v) => w.put_be32(k, v),
        None => Ok(()),
    }
}

/// `NFT_PAYLOAD_CSUM_INET`: update the header's internet checksum.
pub const NFT_PAYLOAD_CSUM_INET: u32 = 1;
/// `NFT_PAYLOAD_L4CSUM_PSEUDOHDR`: the field is in the transport
/// checksum's pseudo-header (an address); update that checksum too.
pub const NFT_PAYLOAD_L4CSUM_PSEUDOHDR: u32 = 1;

/// `payload` write (`NFTA_PAYLOAD_SREG` 5, `BASE` 2, `OFFSET` 3, `LEN` 4,
/// `CSUM_TYPE` 6, `CSUM_OFFSET` 7, `CSUM_FLAGS` 8): write `len` bytes of
/// `sreg` at `offset` of header `base`, then fix the checksum at
/// `csum_offset` of that header.
///
/// ```
/// use nl_proto::nfnl::nft::{NFT_PAYLOAD_CSUM_INET, NFT_REG_1, PayloadBase, PayloadWrite};
/// // `ip ttl set 23` writes the 2 bytes at 8 (ttl, protocol) and fixes
/// // the IPv4 header checksum at 10.
/// let w = PayloadWrite {
///     csum_type: NFT_PAYLOAD_CSUM_INET,
///     csum_offset: 10,
///     ..PayloadWrite::new(NFT_REG_1, PayloadBase::NETWORK_HEADER, 8, 2)
/// };
/// assert_eq!(w.csum_flags, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadWrite {
    /// Source register.
    pub sreg: u32,
    /// The header the offset counts from.
    pub base: PayloadBase,
    /// Byte offset in that header.
    pub offset: u32,
    /// Byte length.
    pub len: u32,
    /// `NFT_PAYLOAD_CSUM_*` (0: none).
    pub csum_type: u32,
    /// Byte offset of the checksum in the header.
    pub csum_offset: u32,
    /// `NFT_PAYLOAD_L4CSUM_*`.
    pub csum_flags: u32,
}

impl PayloadWrite {
    /// A write with no checksum to update.
    pub const fn new(sreg: u32, base: PayloadBase, offset: u32, len: u32) -> Self {
        Self {
            sreg,
            base,
            offset,
            len,
            csum_type: 0,
            csum_offset: 0,
            csum_flags: 0,
        }
    }

    pub(crate) const ATTRS: &'static [u16] = &[2, 3, 4, 5, 6, 7, 8];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            sreg: be32(tb, 5)?,
            base: PayloadBase(be32(tb, 2)?),
            offset: be32(tb, 3)?,
            len: be32(tb, 4)?,
            csum_type: opt32(tb, 6)?.unwrap_or(0),
            csum_offset: opt32(tb, 7)?.unwrap_or(0),
            csum_flags: opt32(tb, 8)?.unwrap_or(0),
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(5, self.sreg)?;
        w.put_be32(2, self.base.0)?;
        w.put_be32(3, self.offset)?;
        w.put_be32(4, self.len)?;
        let nz = |v: u32| (v != 0).then_some(v);
        put_opt(w, 6, nz(self.csum_type))?;
        put_opt(w, 7, nz(self.csum_offset))?;
        put_opt(w, 8, nz(self.csum_flags))
    }
}

/// `tproxy` (`NFTA_TPROXY_FAMILY` 1, `REG_ADDR` 2, `REG_PORT` 3): divert
/// the packet to a local socket at the address and port in the registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tproxy {
    /// `NFPROTO_IPV4` 2, `NFPROTO_IPV6` 10, or 0 (an inet table's rule
    /// with only a port).
    pub family: u32,
    /// Register holding the address.
    pub reg_addr: Option<u32>,
    /// Register holding the port.
    pub reg_port: Option<u32>,
}

impl Tproxy {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            family: be32(tb, 1)?,
            reg_addr: opt32(tb, 2)?,
            reg_port: opt32(tb, 3)?,
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.family)?;
        put_opt(w, 2, self.reg_addr)?;
        put_opt(w, 3, self.reg_port)
    }
}

/// `synproxy` (`NFTA_SYNPROXY_MSS` 1 (`be16`), `WSCALE` 2 (`u8`), `FLAGS`
/// 3): answer a SYN for the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Synproxy {
    /// The MSS announced.
    pub mss: Option<u16>,
    /// The window scale announced.
    pub wscale: Option<u8>,
    /// `NF_SYNPROXY_OPT_*`: mss 1, wscale 2, sack-perm 4, timestamp 8.
    pub flags: u32,
}

impl Synproxy {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            mss: match tb.get(1) {
                None => None,
                Some(a) => Some(a.be16().ok()?),
            },
            wscale: match tb.get(2) {
                None => None,
                Some(a) => Some(a.u8().ok()?),
            },
            flags: opt32(tb, 3)?.unwrap_or(0),
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if let Some(m) = self.mss {
            w.put_be16(1, m)?;
        }
        if let Some(s) = self.wscale {
            w.put_u8(2, s)?;
        }
        w.put_be32(3, self.flags)
    }
}

/// `NFT_HASH_JENKINS`: `jhash` of `len` bytes from `sreg`.
pub const NFT_HASH_JENKINS: u32 = 0;
/// `NFT_HASH_SYM`: `symhash`, the same for both directions of a flow.
pub const NFT_HASH_SYM: u32 = 1;

/// `hash` (`NFTA_HASH_SREG` 1, `DREG` 2, `LEN` 3, `MODULUS` 4, `SEED` 5,
/// `OFFSET` 6, `TYPE` 7): load `hash % modulus + offset` into `dreg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hash {
    /// [`NFT_HASH_JENKINS`] or [`NFT_HASH_SYM`].
    pub kind: u32,
    /// Register of the hashed bytes (jhash).
    pub sreg: Option<u32>,
    /// Destination register.
    pub dreg: u32,
    /// Bytes hashed (jhash).
    pub len: Option<u32>,
    /// Results are `0..modulus`.
    pub modulus: u32,
    /// The seed (jhash).
    pub seed: Option<u32>,
    /// Added to the result.
    pub offset: Option<u32>,
}

impl Hash {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3, 4, 5, 6, 7];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            kind: opt32(tb, 7)?.unwrap_or(NFT_HASH_JENKINS),
            sreg: opt32(tb, 1)?,
            dreg: be32(tb, 2)?,
            len: opt32(tb, 3)?,
            modulus: be32(tb, 4)?,
            seed: opt32(tb, 5)?,
            offset: opt32(tb, 6)?,
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        put_opt(w, 1, self.sreg)?;
        w.put_be32(2, self.dreg)?;
        put_opt(w, 3, self.len)?;
        w.put_be32(4, self.modulus)?;
        put_opt(w, 5, self.seed)?;
        put_opt(w, 6, self.offset)?;
        w.put_be32(7, self.kind)
    }
}

/// `dup` (`NFTA_DUP_SREG_ADDR` 1, `SREG_DEV` 2): send a copy to the
/// address, through the interface, in the registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dup {
    /// Register of the gateway address.
    pub sreg_addr: Option<u32>,
    /// Register of the interface index.
    pub sreg_dev: Option<u32>,
}

impl Dup {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            sreg_addr: opt32(tb, 1)?,
            sreg_dev: opt32(tb, 2)?,
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        put_opt(w, 1, self.sreg_addr)?;
        put_opt(w, 2, self.sreg_dev)
    }
}

/// `fwd` (`NFTA_FWD_SREG_DEV` 1, `SREG_ADDR` 2, `NFPROTO` 3): send the
/// packet out of the interface (netdev), to the next hop if given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fwd {
    /// Register of the interface index.
    pub sreg_dev: u32,
    /// Register of the next hop's address.
    pub sreg_addr: Option<u32>,
    /// That address's family (`NFPROTO_IPV4` 2, `NFPROTO_IPV6` 10).
    pub nfproto: Option<u32>,
}

impl Fwd {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            sreg_dev: be32(tb, 1)?,
            sreg_addr: opt32(tb, 2)?,
            nfproto: opt32(tb, 3)?,
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.sreg_dev)?;
        put_opt(w, 2, self.sreg_addr)?;
        put_opt(w, 3, self.nfproto)
    }
}

/// `NFT_CONNLIMIT_F_INV`: `ct count over`.
pub const NFT_CONNLIMIT_F_INV: u32 = 1;

/// `connlimit` (`NFTA_CONNLIMIT_COUNT` 1, `FLAGS` 2): `ct count`, match
/// while the flow's source has at most `count` connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Connlimit {
    /// The limit.
    pub count: u32,
    /// [`NFT_CONNLIMIT_F_INV`].
    pub flags: u32,
}

impl Connlimit {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2];

    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            count: be32(tb, 1)?,
            flags: opt32(tb, 2)?.unwrap_or(0),
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.count)?;
        w.put_be32(2, self.flags)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::{Expr, NFT_REG_1, Placement, Rule, encode_new_rule, test_hex};
    use super::*;
    use crate::nfnl::NfProto;
    use crate::wire::{Attrs, Msg, MsgWriter};

    // `NFT_MSG_NEWRULE`s nft 1.0.6 sends for `nft add rule FAMILY t c
    // RULE` (nl-capture --normalize).

    /// ip: `ip ttl set 23`: payload load 2b @ nh + 8, bitwise, payload
    /// write 2b @ nh + 8 csum_type 1 csum_off 10.
    const IP_TTL_SET: &str = "ec000000060a010c00000000000000000200000006000100740000000600020063000000c8000480340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000808000400000000024c0001800c00010062697477697365003c00028008000100000000010800020000000001080006000000000008000300000000020c0004800600010000ff00000c0005800600010017000000440001800c0001007061796c6f6164003400028008000500000000010800020000000001080003000000000808000400000000020800060000000001080007000000000a";
    /// ip6: `ip6 daddr set ::1`: immediate, payload write 16b @ nh + 24
    /// csum_flags 1 (pseudo-header).
    const IP6_DADDR_SET: &str = "9c000000060a010c00000000000000000a0000000600010074000000060002006300000078000480380001800e000100696d6d6564696174650000002400028008000100000000011800028014000100000000000000000000000000000000013c0001800c0001007061796c6f6164002c00028008000500000000010800020000000001080003000000001808000400000000100800080000000001";
    /// ip: `meta l4proto 6 tproxy to 192.0.2.1:50080`.
    const TPROXY: &str = "fc000000060a010c00000000000000000200000006000100740000000600020063000000d800048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c00038005000100060000002c0001800e000100696d6d6564696174650000001800028008000100000000010c00028008000100c00002012c0001800e000100696d6d6564696174650000001800028008000100000000020c00028006000100c3a000002c0001800b0001007470726f787900001c000280080001000000000208000200000000010800030000000002";
    /// inet: `meta l4proto 6 tproxy ip to :50080`.
    const INET_TPROXY_PORT: &str = "c8000000060a010c00000000000000000100000006000100740000000600020063000000a400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c00038005000100060000002c0001800e000100696d6d6564696174650000001800028008000100000000010c00028006000100c3a00000240001800b0001007470726f787900001400028008000100000000020800030000000001";
    /// ip: `tcp dport 80 synproxy mss 1460 wscale 7 timestamp sack-perm`.
    const SYNPROXY: &str = "08010000060a010c00000000000000000200000006000100740000000600020063000000e400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000000c0003800600010000500000300001800d00010073796e70726f7879000000001c0002800600010005b400000500020007000000080003000000000f";
    /// ip: `ct mark set jhash ip saddr . ip daddr mod 2 seed 0xdeadbeef
    /// offset 100`.
    const JHASH: &str = "fc000000060a010c00000000000000000200000006000100740000000600020063000000d8000480340001800c0001007061796c6f6164002400028008000100000000020800020000000001080003000000000c0800040000000004340001800c0001007061796c6f61640024000280080001000000000d0800020000000001080003000000001008000400000000044c0001800900010068617368000000003c000280080001000000000208000200000000010800030000000008080004000000000208000500deadbeef080006000000006408000700000000002000018007000100637400001400028008000200000000030800040000000001";
    /// ip: `ct mark set symhash mod 2 offset 100`.
    const SYMHASH: &str = "7c000000060a010c0000000000000000020000000600010074000000060002006300000058000480340001800900010068617368000000002400028008000200000000010800040000000002080006000000006408000700000000012000018007000100637400001400028008000200000000030800040000000001";
    /// ip: `dup to 192.168.2.1 device "lo"`.
    const DUP: &str = "a0000000060a010c000000000000000002000000060001007400000006000200630000007c0004802c0001800e000100696d6d6564696174650000001800028008000100000000010c00028008000100c0a802012c0001800e000100696d6d6564696174650000001800028008000100000000020c00028008000100010000002000018008000100647570001400028008000100000000010800020000000002";
    /// ip: `notrack`.
    const NOTRACK: &str = "38000000060a010c0000000000000000020000000600010074000000060002006300000014000480100001800c0001006e6f747261636b00";
    /// netdev: `fwd ip to 192.168.2.200 device "lo"`.
    const FWD: &str = "a8000000060a010c00000000000000000500000006000100740000000600020063000000840004802c0001800e000100696d6d6564696174650000001800028008000100000000010c00028008000100010000002c0001800e000100696d6d6564696174650000001800028008000100000000020c00028008000100c0a802c82800018008000100667764001c000280080001000000000108000200000000020800030000000002";
    /// ip: `ct count over 3`.
    const CONNLIMIT: &str = "50000000060a010c000000000000000002000000060001007400000006000200630000002c000480280001800e000100636f6e6e6c696d69740000001400028008000100000000030800020000000001";

    /// Decode the captured rule, check expression `at`, and encode it back
    /// to the bytes of that element of the capture (the rest of the rule
    /// is checked by `rule.rs`).
    fn roundtrip(hex: &str, at: usize, want: Expr<'_>) {
        let b = test_hex(hex);
        let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
        let got = r.exprs().nth(at).unwrap().unwrap();
        assert_eq!(got, want);
        let raw = Attrs::new(r.exprs_raw).nth(at).unwrap().unwrap();
        let mut buf = [0xa5u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let fam = NfProto(r.family.0);
        let out = encode_new_rule(&mut w, fam, "t", "c", Placement::Append(None), &[got]).unwrap();
        let mine = Rule::decode(&Msg::parse(out.msg).unwrap().0).unwrap();
        let mine = Attrs::new(mine.exprs_raw).next().unwrap().unwrap();
        assert_eq!(mine.payload(), raw.payload());
    }

    #[test]
    fn roundtrips_payload_write_with_checksum() {
        let want = PayloadWrite {
            csum_type: NFT_PAYLOAD_CSUM_INET,
            csum_offset: 10,
            ..PayloadWrite::new(NFT_REG_1, PayloadBase::NETWORK_HEADER, 8, 2)
        };
        roundtrip(IP_TTL_SET, 2, Expr::PayloadWrite(want));
    }

    #[test]
    fn roundtrips_payload_write_of_pseudo_header_field() {
        let want = PayloadWrite {
            csum_flags: NFT_PAYLOAD_L4CSUM_PSEUDOHDR,
            ..PayloadWrite::new(NFT_REG_1, PayloadBase::NETWORK_HEADER, 24, 16)
        };
        roundtrip(IP6_DADDR_SET, 1, Expr::PayloadWrite(want));
    }

    #[test]
    fn roundtrips_tproxy() {
        let want = Tproxy {
            family: 2,
            reg_addr: Some(1),
            reg_port: Some(2),
        };
        roundtrip(TPROXY, 4, Expr::Tproxy(want));
        let port_only = Tproxy {
            family: 2,
            reg_addr: None,
            reg_port: Some(1),
        };
        roundtrip(INET_TPROXY_PORT, 3, Expr::Tproxy(port_only));
    }

    #[test]
    fn roundtrips_synproxy() {
        let want = Synproxy {
            mss: Some(1460),
            wscale: Some(7),
            flags: 0xf,
        };
        roundtrip(SYNPROXY, 4, Expr::Synproxy(want));
    }

    #[test]
    fn roundtrips_hashes() {
        let jhash = Hash {
            kind: NFT_HASH_JENKINS,
            sreg: Some(2),
            dreg: 1,
            len: Some(8),
            modulus: 2,
            seed: Some(0xdead_beef),
            offset: Some(100),
        };
        roundtrip(JHASH, 2, Expr::Hash(jhash));
        let symhash = Hash {
            kind: NFT_HASH_SYM,
            sreg: None,
            dreg: 1,
            len: None,
            modulus: 2,
            seed: None,
            offset: Some(100),
        };
        roundtrip(SYMHASH, 0, Expr::Hash(symhash));
    }

    #[test]
    fn roundtrips_dup_notrack_connlimit() {
        let dup = Dup {
            sreg_addr: Some(1),
            sreg_dev: Some(2),
        };
        roundtrip(DUP, 2, Expr::Dup(dup));
        roundtrip(NOTRACK, 0, Expr::Notrack);
        let want = Connlimit {
            count: 3,
            flags: NFT_CONNLIMIT_F_INV,
        };
        roundtrip(CONNLIMIT, 0, Expr::Connlimit(want));
    }

    #[test]
    fn roundtrips_fwd() {
        let want = Fwd {
            sreg_dev: 1,
            sreg_addr: Some(2),
            nfproto: Some(2),
        };
        roundtrip(FWD, 2, Expr::Fwd(want));
    }
}
