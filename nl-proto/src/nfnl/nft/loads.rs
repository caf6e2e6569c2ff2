//! Expressions that load a value about the packet from elsewhere than its
//! bytes: `rt` (its route), `socket` (its socket), `fib` (a FIB lookup),
//! `xfrm` (its IPsec state), `osf` (the sender's OS) and `numgen` (a
//! number generator). Each loads into `dreg`; attributes are big-endian
//! `u32` unless said otherwise (`include/uapi/linux/netfilter/nf_tables.h`).

use crate::EncodeError;
use crate::wire::{AttrTable, MsgWriter};

fn be32(tb: &AttrTable<'_, 9>, k: u16) -> Option<u32> {
    tb.get(k)?.be32().ok()
}

/// `rt` (`NFTA_RT_DREG` 1, `NFTA_RT_KEY` 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rt {
    /// Destination register.
    pub dreg: u32,
    /// `NFT_RT_*`: classid 0, nexthop4 1, nexthop6 2, tcpmss 3, xfrm 4.
    pub key: u32,
}

/// `socket` (`NFTA_SOCKET_KEY` 1, `NFTA_SOCKET_DREG` 2,
/// `NFTA_SOCKET_LEVEL` 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Socket {
    /// `NFT_SOCKET_*`: transparent 0, mark 1, wildcard 2, cgroupv2 3.
    pub key: u32,
    /// Destination register.
    pub dreg: u32,
    /// The cgroup v2 ancestor level (`cgroupv2` only).
    pub level: Option<u32>,
}

/// `fib` (`NFTA_FIB_DREG` 1, `NFTA_FIB_RESULT` 2, `NFTA_FIB_FLAGS` 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fib {
    /// Destination register.
    pub dreg: u32,
    /// `NFT_FIB_RESULT_*`: oif 1, oifname 2, addrtype 3.
    pub result: u32,
    /// `NFTA_FIB_F_*`: saddr 1, daddr 2, mark 4, iif 8, oif 16, present 32.
    pub flags: u32,
}

/// `xfrm` (`NFTA_XFRM_DREG` 1, `NFTA_XFRM_KEY` 2, `NFTA_XFRM_DIR` 3 (`u8`),
/// `NFTA_XFRM_SPNUM` 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Xfrm {
    /// Destination register.
    pub dreg: u32,
    /// `NFT_XFRM_KEY_*`: daddr4 1, daddr6 2, saddr4 3, saddr6 4, reqid 5,
    /// spi 6.
    pub key: u32,
    /// `XFRM_POLICY_IN` 0 or `XFRM_POLICY_OUT` 1.
    pub dir: u8,
    /// Index in the secpath.
    pub spnum: u32,
}

/// `osf` (`NFTA_OSF_DREG` 1, `NFTA_OSF_TTL` 2 (`u8`), `NFTA_OSF_FLAGS` 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Osf {
    /// Destination register.
    pub dreg: u32,
    /// TTL handling: 0 true, 1 loose, 2 skip (absent: 0).
    pub ttl: Option<u8>,
    /// `NFT_OSF_F_VERSION` (1): load `name:version`.
    pub flags: Option<u32>,
}

/// `numgen` (`NFTA_NG_DREG` 1, `NFTA_NG_MODULUS` 2, `NFTA_NG_TYPE` 3,
/// `NFTA_NG_OFFSET` 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numgen {
    /// Destination register.
    pub dreg: u32,
    /// Numbers are `0..modulus`, plus `offset`.
    pub modulus: u32,
    /// `NFT_NG_INCREMENTAL` 0 or `NFT_NG_RANDOM` 1.
    pub kind: u32,
    /// Added to each number.
    pub offset: u32,
}

impl Rt {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            dreg: be32(tb, 1)?,
            key: be32(tb, 2)?,
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(2, self.key)?;
        w.put_be32(1, self.dreg)
    }
}

impl Socket {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            key: be32(tb, 1)?,
            dreg: be32(tb, 2)?,
            level: match tb.get(3) {
                None => None,
                Some(a) => Some(a.be32().ok()?),
            },
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.key)?;
        w.put_be32(2, self.dreg)?;
        match self.level {
            Some(l) => w.put_be32(3, l),
            None => Ok(()),
        }
    }
}

impl Fib {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            dreg: be32(tb, 1)?,
            result: be32(tb, 2)?,
            flags: be32(tb, 3)?,
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(3, self.flags)?;
        w.put_be32(2, self.result)?;
        w.put_be32(1, self.dreg)
    }
}

impl Xfrm {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3, 4];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            dreg: be32(tb, 1)?,
            key: be32(tb, 2)?,
            dir: tb.get(3)?.u8().ok()?,
            spnum: be32(tb, 4)?,
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(2, self.key)?;
        w.put_u8(3, self.dir)?;
        w.put_be32(4, self.spnum)?;
        w.put_be32(1, self.dreg)
    }
}

impl Osf {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            dreg: be32(tb, 1)?,
            ttl: match tb.get(2) {
                None => None,
                Some(a) => Some(a.u8().ok()?),
            },
            flags: match tb.get(3) {
                None => None,
                Some(a) => Some(a.be32().ok()?),
            },
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.dreg)?;
        if let Some(t) = self.ttl {
            w.put_u8(2, t)?;
        }
        match self.flags {
            Some(f) => w.put_be32(3, f),
            None => Ok(()),
        }
    }
}

impl Numgen {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3, 4];
    pub(crate) fn decode(tb: &AttrTable<'_, 9>) -> Option<Self> {
        Some(Self {
            dreg: be32(tb, 1)?,
            modulus: be32(tb, 2)?,
            kind: be32(tb, 3)?,
            offset: be32(tb, 4).unwrap_or(0),
        })
    }
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_be32(1, self.dreg)?;
        w.put_be32(2, self.modulus)?;
        w.put_be32(3, self.kind)?;
        w.put_be32(4, self.offset)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::{Expr, Placement, Rule, encode_new_rule, test_hex};
    use super::*;
    use crate::nfnl::NfProto;
    use crate::wire::{Msg, MsgWriter};

    /// Decode a captured `NFT_MSG_NEWRULE` (`nl-capture --normalize`, table
    /// `t`, chain `c`) and encode its expressions back to the same bytes.
    fn roundtrip(family: NfProto, hex: &str) -> heapless::Vec<Expr<'static>, 8> {
        let b = test_hex(hex);
        let r = Rule::decode(&Msg::parse(&b).unwrap().0).unwrap();
        let exprs: heapless::Vec<Expr<'_>, 8> = r.exprs().map(|e| e.unwrap()).collect();
        let mut buf = [0xa5u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let out =
            encode_new_rule(&mut w, family, "t", "c", Placement::Append(None), &exprs).unwrap();
        assert_eq!(&*out.msg, b.as_slice());
        // Owned copies for the caller's checks (no borrowed data in these).
        exprs
            .iter()
            .filter_map(|e| match *e {
                Expr::Rt(x) => Some(Expr::Rt(x)),
                Expr::Socket(x) => Some(Expr::Socket(x)),
                Expr::Fib(x) => Some(Expr::Fib(x)),
                Expr::Xfrm(x) => Some(Expr::Xfrm(x)),
                _ => None,
            })
            .collect()
    }

    /// `nft add rule inet t c fib daddr . iif type local`: fib daddr . iif
    /// type => reg 1, cmp eq reg 1 2.
    const FIB_DADDR_IIF_TYPE: &str = "7c000000060a010c00000000000000000100000006000100740000000600020063000000580004802800018008000100666962001c000280080003000000000a080002000000000308000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800800010002000000";
    /// `socket mark 0x00000005`: socket load mark => reg 1 (level 0 sent).
    const SOCKET_MARK: &str = "80000000060a010c000000000000000001000000060001007400000006000200630000005c0004802c0001800b000100736f636b657400001c0002800800010000000001080002000000000108000300000000002c00018008000100636d700020000280080001000000000108000200000000000c0003800800010005000000";
    /// `rt classid 1`: rt load classid => reg 1.
    const RT_CLASSID: &str = "74000000060a010c000000000000000001000000060001007400000006000200630000005000048020000180070001007274000014000280080002000000000008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800800010001000000";
    /// `ipsec in reqid 1`: xfrm load in 0 reqid => reg 1.
    const XFRM_IN_REQID: &str = "88000000060a010c000000000000000001000000060001007400000006000200630000006400048034000180090001007866726d000000002400028008000200000000050500030000000000080004000000000008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800800010001000000";

    #[test]
    fn roundtrips_fib() {
        let e = roundtrip(NfProto::INET, FIB_DADDR_IIF_TYPE);
        let want = Fib {
            dreg: 1,
            result: 3,
            flags: 2 | 8,
        };
        assert_eq!(e.as_slice(), &[Expr::Fib(want)]);
    }

    #[test]
    fn roundtrips_socket_rt_xfrm() {
        let socket = Socket {
            key: 1,
            dreg: 1,
            level: Some(0),
        };
        assert_eq!(
            roundtrip(NfProto::INET, SOCKET_MARK).as_slice(),
            &[Expr::Socket(socket)]
        );
        let rt = Rt { dreg: 1, key: 0 };
        assert_eq!(
            roundtrip(NfProto::INET, RT_CLASSID).as_slice(),
            &[Expr::Rt(rt)]
        );
        let xfrm = Xfrm {
            dreg: 1,
            key: 5,
            dir: 0,
            spnum: 0,
        };
        assert_eq!(
            roundtrip(NfProto::INET, XFRM_IN_REQID).as_slice(),
            &[Expr::Xfrm(xfrm)]
        );
    }
}
