//! Expressions that name a stateful object or a flowtable: `objref`
//! (`counter name "x"`, `quota name "x"`, `ct helper set "x"`, … and the
//! same through an object map) and `flow_offload` (`flow add @ft`).

use super::obj::{ObjType, text};
use crate::EncodeError;
use crate::wire::{AttrTable, MsgWriter};

/// `objref`: apply a named object (`NFTA_OBJREF_IMM_TYPE` 1 (be32),
/// `NFTA_OBJREF_IMM_NAME` 2), or the one an object map gives for register
/// `sreg` (`NFTA_OBJREF_SET_SREG` 3, `_SET_NAME` 4, `_SET_ID` 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objref<'a> {
    /// One object, by type and name.
    Named {
        /// Its type.
        kind: ObjType,
        /// Its name.
        name: &'a str,
    },
    /// The object the map `set` holds for the key in `sreg`.
    Map {
        /// The key's register.
        sreg: u32,
        /// The map (anonymous ones are `__objmap%d`).
        set: &'a str,
        /// Batch-local id of a map added in the same batch.
        set_id: Option<u32>,
    },
}

impl<'a> Objref<'a> {
    pub(crate) const ATTRS: &'static [u16] = &[1, 2, 3, 4, 5];

    pub(crate) fn decode(tb: &AttrTable<'a, 9>) -> Option<Self> {
        if let Some(n) = tb.get(2) {
            return Some(Objref::Named {
                kind: ObjType(tb.get(1)?.be32().ok()?),
                name: text(n.payload())?,
            });
        }
        Some(Objref::Map {
            sreg: tb.get(3)?.be32().ok()?,
            set: text(tb.get(4)?.payload())?,
            set_id: match tb.get(5) {
                None => None,
                Some(a) => Some(a.be32().ok()?),
            },
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match *self {
            // nft sends both names without their NUL.
            Objref::Named { kind, name } => {
                w.put_be32(1, kind.0)?;
                w.put(2, name.as_bytes())
            }
            Objref::Map { sreg, set, set_id } => {
                w.put_be32(3, sreg)?;
                w.put(4, set.as_bytes())?;
                match set_id {
                    Some(id) => w.put_be32(5, id),
                    None => Ok(()),
                }
            }
        }
    }
}

/// `flow_offload`: put the packet's connection in flowtable `table`
/// (`NFTA_FLOW_TABLE_NAME` 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowOffload<'a> {
    /// The flowtable's name.
    pub table: &'a str,
}

impl<'a> FlowOffload<'a> {
    pub(crate) const ATTRS: &'static [u16] = &[1];

    pub(crate) fn decode(tb: &AttrTable<'a, 9>) -> Option<Self> {
        Some(Self {
            table: tb.get(1)?.str().ok()?,
        })
    }

    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_str(1, self.table)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::nfnl::NfProto;
    use crate::nfnl::nft::{
        Expr, NFT_SET_ANONYMOUS, NFT_SET_CONSTANT, NFT_SET_OBJECT, NewSet, NewSetElem, Placement,
        Rule, SetElems, encode_new_elems, encode_new_rule, encode_new_set, test_hex as hex,
    };
    use crate::wire::{Msg, MsgWriter};

    /// nft 1.0.6 (nl-capture --normalize), in `ip t c`: `ip saddr
    /// 192.168.1.3 counter name "cnt2"`.
    const RULE_NAMED: &str = "ac000000060a010c0000000000000000020000000600010074000000060002006300000088000480340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c00018008000100636d700020000280080001000000000108000200000000000c00038008000100c0a80103240001800b0001006f626a726566000014000280080001000000000108000200636e7432";
    /// `counter name tcp dport map {443 : "cnt1", 80 : "cnt2", 22 :
    /// "cnt1"}`: the object map, its elements, the rule.
    const OBJMAP_SET: &str = "70000000090a010400000000000000000200000006000100740000000f0002005f5f6f626a6d6170256400000800030000000043080004000000000d080005000000000208000f000000000108000a00000000010c000980080001000000000310000d00000402000000060400000000";
    const OBJMAP_ELEMS: &str = "8c0000000c0a010400000000000000000200000006000100740000000f0002005f5f6f626a6d6170256400000800040000000001580003801c0001800c0001800600010001bb000009000900636e7431000000001c0002800c000180060001000050000009000900636e7432000000001c0003800c000180060001000016000009000900636e743100000000";
    const RULE_MAP: &str = "e0000000060a010c00000000000000000200000006000100740000000600020063000000bc00048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f616400240002800800010000000001080002000000000208000300000000020800040000000002340001800b0001006f626a72656600002400028008000300000000010e0004005f5f6f626a6d6170256400000800050000000001";
    /// `ip protocol tcp flow add @ft3` in `inet t f`.
    const RULE_FLOW: &str = "fc000000060a010c00000000000000000100000006000100740000000600020066000000d800048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000908000400000000012c00018008000100636d700020000280080001000000000108000200000000000c00038005000100060000002400018011000100666c6f775f6f66666c6f6164000000000c0002800800010066743300";
    /// `meta secmark set "sec1"` in `ip t c`.
    const RULE_SECMARK: &str = "4c000000060a010c0000000000000000020000000600010074000000060002006300000028000480240001800b0001006f626a72656600001400028008000100000000080800020073656331";

    /// Decode `hex` as a rule, check its last expression, and encode the
    /// expressions back into the same bytes.
    fn check_rule(bytes: &str, family: NfProto, want: Expr<'_>) {
        let b = hex(bytes);
        let (m, _) = Msg::parse(&b).unwrap();
        let r = Rule::decode(&m).unwrap();
        let exprs: heapless::Vec<Expr<'_>, 16> = r.exprs().map(Result::unwrap).collect();
        assert_eq!(exprs.last(), Some(&want));
        let mut buf = [0u8; 1024];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_new_rule(
            &mut w,
            family,
            r.table,
            r.chain,
            Placement::Append(None),
            &exprs,
        )
        .unwrap();
        assert_eq!(&req.msg[..], &b[..]);
    }

    #[test]
    fn objref_and_flow_offload_as_nft() {
        let named = Objref::Named {
            kind: ObjType::COUNTER,
            name: "cnt2",
        };
        check_rule(RULE_NAMED, NfProto::IPV4, Expr::Objref(named));
        let map = Objref::Map {
            sreg: 1,
            set: "__objmap%d",
            set_id: Some(1),
        };
        check_rule(RULE_MAP, NfProto::IPV4, Expr::Objref(map));
        check_rule(
            RULE_FLOW,
            NfProto::INET,
            Expr::FlowOffload(FlowOffload { table: "ft3" }),
        );
        let secmark = Objref::Named {
            kind: ObjType::SECMARK,
            name: "sec1",
        };
        check_rule(RULE_SECMARK, NfProto::IPV4, Expr::Objref(secmark));
    }

    /// The anonymous quota beside the named one: `quota 25 mbytes used 3
    /// kbytes` in `ip t c` (NFTA_QUOTA_CONSUMED is attribute 4).
    #[test]
    fn quota_with_used_bytes_as_nft() {
        const RULE_QUOTA: &str = "5c000000060a010c0000000000000000020000000600010074000000060002006300000038000480340001800a00010071756f7461000000240002800c00010000000000019000000c0004000000000000000c000800020000000000";
        let q = crate::nfnl::nft::Quota {
            bytes: 25 << 20,
            flags: 0,
            consumed: 3072,
        };
        check_rule(RULE_QUOTA, NfProto::IPV4, Expr::Quota(q));
    }

    #[test]
    fn object_map_and_elements_as_nft() {
        let mut buf = [0u8; 1024];
        let mut w = MsgWriter::new(&mut buf);
        let set = NewSet {
            table: "t",
            name: "__objmap%d",
            flags: NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_OBJECT,
            key_type: 13,
            key_len: 2,
            obj_type: Some(ObjType::COUNTER.0),
            id: 1,
            size: Some(3),
            userdata: &[0, 4, 2, 0, 0, 0, 6, 4, 0, 0, 0, 0],
            ..Default::default()
        };
        let req = encode_new_set(&mut w, NfProto::IPV4, &set).unwrap();
        assert_eq!(&req.msg[..], &hex(OBJMAP_SET)[..]);
        let keys: [[u8; 2]; 3] = [
            443u16.to_be_bytes(),
            80u16.to_be_bytes(),
            22u16.to_be_bytes(),
        ];
        let names = ["cnt1", "cnt2", "cnt1"];
        let mut items = [NewSetElem::default(); 3];
        for ((e, k), n) in items.iter_mut().zip(&keys).zip(names) {
            *e = NewSetElem {
                key: k,
                objref: Some(n),
                ..Default::default()
            };
        }
        let mut w = MsgWriter::new(&mut buf);
        let req =
            encode_new_elems(&mut w, NfProto::IPV4, "t", "__objmap%d", Some(1), &items).unwrap();
        assert_eq!(&req.msg[..], &hex(OBJMAP_ELEMS)[..]);
        let used: usize = items.iter().map(NewSetElem::wire_len).sum();
        // The message less its headers, table, set, set id and list header.
        assert_eq!(used, hex(OBJMAP_ELEMS).len() - 56);
        let b = hex(OBJMAP_ELEMS);
        let (m, _) = Msg::parse(&b).unwrap();
        let got: heapless::Vec<Option<&str>, 4> = SetElems::decode(&m)
            .unwrap()
            .elems()
            .map(|e| e.unwrap().objref)
            .collect();
        assert_eq!(got[..], [Some("cnt1"), Some("cnt2"), Some("cnt1")]);
    }
}
