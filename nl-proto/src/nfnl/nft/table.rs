//! nf_tables tables: `NFT_MSG_{NEW,GET,DEL}TABLE` and `NFTA_TABLE_*`.
//!
//! ```text
//! nlmsghdr(0x0a00 | msg) | nfgenmsg(NFPROTO_*, 0, res_id) | NFTA_TABLE_NAME (string),
//!     NFTA_TABLE_FLAGS (be32), NFTA_TABLE_USE (be32), NFTA_TABLE_HANDLE (be64)
//! ```

use super::NftMsg;
use crate::macros::open_enum;
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{AttrTable, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// Longest table name [`Table`] holds, in bytes. The kernel allows 255
/// (`NFT_NAME_MAXLEN - 1`); the encoders here refuse names longer than this
/// so every table they create can be decoded back.
pub const TABLE_NAME_CAP: usize = 64;

open_enum! {
    /// A table attribute (`enum nft_table_attributes`).
    pub struct TableAttr(u16) {
        /// `NFTA_TABLE_UNSPEC`.
        UNSPEC = 0,
        /// `NFTA_TABLE_NAME`: string.
        NAME = 1,
        /// `NFTA_TABLE_FLAGS`: big-endian `u32`, `NFT_TABLE_F_*`.
        FLAGS = 2,
        /// `NFTA_TABLE_USE`: big-endian `u32`, number of chains.
        USE = 3,
        /// `NFTA_TABLE_HANDLE`: big-endian `u64`.
        HANDLE = 4,
        /// `NFTA_TABLE_PAD`: alignment padding.
        PAD = 5,
        /// `NFTA_TABLE_USERDATA`: opaque bytes for userspace.
        USERDATA = 6,
        /// `NFTA_TABLE_OWNER`: big-endian `u32`, owning port id.
        OWNER = 7,
    }
}

/// `NFTA_TABLE_FLAGS` sent with a new table: none. nft sends it too.
const NEW_TABLE_FLAGS: u32 = 0;

/// A name the kernel keeps (`NFT_NAME_MAXLEN`): not empty, at most 64
/// bytes, no NUL. `what` names it in the error.
pub(super) fn check_name(name: &str, what: &'static str) -> Result<(), EncodeError> {
    if name.is_empty() || name.len() > TABLE_NAME_CAP || name.as_bytes().contains(&0) {
        return Err(EncodeError::Invalid { what });
    }
    Ok(())
}

/// A table's name and the name of something in it (`what` names the latter).
pub(super) fn check_names(table: &str, name: &str, what: &'static str) -> Result<(), EncodeError> {
    check_name(table, "nf_tables table name")?;
    check_name(name, what)
}

/// One nf_tables message: `nfgenmsg` then what `body` writes, rolled back
/// on any error.
pub(super) fn build<'w, F>(
    w: &'w mut MsgWriter<'_>,
    msg: NftMsg,
    family: NfProto,
    flags: Flags,
    body: F,
) -> Result<&'w mut [u8], EncodeError>
where
    F: FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
{
    w.message(msg.msg_type(), flags, |w| {
        w.put_fixed(&NfGenMsg::new(family, 0))?;
        body(w)
    })
}

fn new_table<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    name: &str,
    flags: Flags,
) -> Result<Request<'w>, EncodeError> {
    check_name(name, "nf_tables table name")?;
    let msg = build(w, NftMsg::NEWTABLE, family, flags, |w| {
        w.put_str(TableAttr::NAME.0, name)?;
        w.put_be32(TableAttr::FLAGS.0, NEW_TABLE_FLAGS)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_NEWTABLE` (`nft add table FAMILY NAME`): create the table, or
/// succeed without change if it exists. Goes inside a batch.
///
/// Flags are `NLM_F_REQUEST` only, as nft sends them: nf_tables creates a
/// missing table without `NLM_F_CREATE`, and `NLM_F_EXCL` is what
/// [`encode_create_table`] adds. `NFTA_TABLE_FLAGS` 0 is included, as nft
/// does.
///
/// # Errors
///
/// [`EncodeError::Invalid`] if `name` is empty, longer than
/// [`TABLE_NAME_CAP`] or contains a NUL; writer errors otherwise. Nothing
/// is left in the writer on error.
pub fn encode_new_table<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    new_table(w, family, name, Flags::REQUEST)
}

/// `NFT_MSG_NEWTABLE` with `NLM_F_EXCL` (`nft create table FAMILY NAME`):
/// fails with `EEXIST` if the table exists. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_table`].
pub fn encode_create_table<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    new_table(w, family, name, Flags::REQUEST | Flags::EXCL)
}

/// `NFT_MSG_DELTABLE` by name (`nft delete table FAMILY NAME`), with all
/// its chains, rules and sets. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_table`].
pub fn encode_del_table<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_name(name, "nf_tables table name")?;
    let msg = build(w, NftMsg::DELTABLE, family, Flags::REQUEST, |w| {
        w.put_str(TableAttr::NAME.0, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELTABLE` of family `NFPROTO_UNSPEC` naming no table (`nft
/// flush ruleset`): delete every table of every family. Goes inside a
/// batch.
///
/// # Errors
///
/// Writer errors. Nothing is left in the writer on error.
pub fn encode_flush_ruleset<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    let msg = build(w, NftMsg::DELTABLE, NfProto::UNSPEC, Flags::REQUEST, |_| {
        Ok(())
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELRULE` naming only a table (`nft flush table FAMILY NAME`):
/// delete every rule of every chain of the table. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_table`].
pub fn encode_flush_table<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_name(name, "nf_tables table name")?;
    let msg = build(w, NftMsg::DELRULE, family, Flags::REQUEST, |w| {
        w.put_str(TableAttr::NAME.0, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETTABLE` with `NLM_F_DUMP`: the tables of `family`
/// ([`NfProto::UNSPEC`] for all, as `nft list tables`). Not batched.
///
/// # Errors
///
/// Writer errors. Nothing is left in the writer on error.
pub fn encode_dump_tables<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETTABLE,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// An nf_tables table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Family (`nfgen_family`).
    pub family: NfProto,
    /// Name (`NFTA_TABLE_NAME`).
    pub name: heapless::String<TABLE_NAME_CAP>,
    /// Handle (`NFTA_TABLE_HANDLE`, big-endian on the wire); 0 if absent.
    pub handle: u64,
    /// `NFT_TABLE_F_*` flags (`NFTA_TABLE_FLAGS`, big-endian); 0 if absent.
    pub flags: u32,
    /// Number of chains (`NFTA_TABLE_USE`, big-endian); 0 if absent.
    pub use_count: u32,
}

impl Table {
    /// Decode an `NFT_MSG_NEWTABLE` (dump entry, echo, notification) or
    /// `NFT_MSG_DELTABLE` (notification) message.
    ///
    /// Strictness: the name identifies the table and must be present and
    /// valid. Handle, flags and use count are informational: absent or
    /// malformed, they read as 0. Unknown attributes are ignored.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for any other message type;
    /// [`DecodeError::Truncated`] without an `nfgenmsg`;
    /// [`DecodeError::MissingAttr`] without `NFTA_TABLE_NAME`;
    /// [`DecodeError::TooLong`] for a name over [`TABLE_NAME_CAP`] bytes;
    /// [`DecodeError::NotUtf8`] for a name that is not UTF-8.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWTABLE.msg_type() && ty != NftMsg::DELTABLE.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables table",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<8>::parse(attrs);
        let name_attr = tb.get(TableAttr::NAME.0).ok_or_else(|| {
            tb.error().unwrap_or(DecodeError::MissingAttr {
                what: "nf_tables table",
                kind: TableAttr::NAME.0,
            })
        })?;
        let s = name_attr.str()?;
        let name = heapless::String::try_from(s).map_err(|_| DecodeError::TooLong {
            what: "NFTA_TABLE_NAME",
            len: s.len(),
            cap: TABLE_NAME_CAP,
        })?;
        let be32 = |kind: TableAttr| tb.get(kind.0).and_then(|a| a.be32().ok()).unwrap_or(0);
        Ok(Self {
            family: hdr.family(),
            name,
            handle: tb
                .get(TableAttr::HANDLE.0)
                .and_then(|a| a.be64().ok())
                .unwrap_or(0),
            flags: be32(TableAttr::FLAGS),
            use_count: be32(TableAttr::USE),
        })
    }

    /// Write this table as the kernel describes it: an `NFT_MSG_NEWTABLE`
    /// with `flags` and every field (for tests, fakes and round trips).
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWTABLE, self.family, flags, |w| {
            w.put_str(TableAttr::NAME.0, &self.name)?;
            w.put_be32(TableAttr::USE.0, self.use_count)?;
            w.put_be64(TableAttr::HANDLE.0, self.handle)?;
            w.put_be32(TableAttr::FLAGS.0, self.flags)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::nfnl::Subsys;
    use crate::nfnl::batch::{Batch, begin_batch, begin_msg, end_batch};
    use crate::wire::{Control, MsgType, Msgs, decode_control};

    /// `nft add table inet t`: the whole batch datagram (nft_add_table.jsonl
    /// #4), seq/pid zeroed. nft numbers the three messages 0, 1, 2.
    const ADD_TABLE_BATCH: [u8; 76] = [
        // NFNL_MSG_BATCH_BEGIN
        0x14, 0, 0, 0, 0x10, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: len 20, REQUEST
        0, 0, 0, 10, // nfgenmsg: AF_UNSPEC, v0, res_id NFNL_SUBSYS_NFTABLES (BE)
        // NFT_MSG_NEWTABLE
        0x24, 0, 0, 0, 0x00, 0x0a, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: len 36, 0x0a00, REQUEST
        1, 0, 0, 0, // nfgenmsg: NFPROTO_INET, v0, res_id 0
        6, 0, 1, 0, b't', 0, 0, 0, // NFTA_TABLE_NAME "t" + pad
        8, 0, 2, 0, 0, 0, 0, 0, // NFTA_TABLE_FLAGS 0 (BE)
        // NFNL_MSG_BATCH_END
        0x14, 0, 0, 0, 0x11, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: len 20, REQUEST
        0, 0, 0, 10, // nfgenmsg: AF_UNSPEC, v0, res_id NFNL_SUBSYS_NFTABLES (BE)
    ];

    /// `nft create table inet t` while it exists: the kernel's answer
    /// (err_nft_create_table_exists.jsonl #5). The echoed header is not
    /// normalized: it keeps nft's seq 1.
    const CREATE_EXISTS_REPLY: [u8; 64] = [
        0x40, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: NLMSG_ERROR, ACK_TLVS
        0xef, 0xff, 0xff, 0xff, // error -17 (EEXIST)
        0x24, 0, 0, 0, 0x00, 0x0a, 0x01, 0x02, 1, 0, 0, 0, 0, 0, 0,
        0, // echo: NEWTABLE, REQUEST|EXCL, seq 1
        1, 0, 0, 0, // echo: nfgenmsg NFPROTO_INET
        6, 0, 1, 0, b't', 0, 0, 0, // echo: NFTA_TABLE_NAME "t"
        8, 0, 2, 0, 0, 0, 0, 0, // echo: NFTA_TABLE_FLAGS 0
        8, 0, 2, 0, 20, 0, 0, 0, // NLMSGERR_ATTR_OFFS 20 (NFTA_TABLE_NAME)
    ];

    /// `nft list tables` request (nft_list_tables.jsonl #2).
    const DUMP_REQUEST: [u8; 20] = [
        0x14, 0, 0, 0, 0x01, 0x0a, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: GETTABLE, REQUEST|DUMP
        0, 0, 0, 0, // nfgenmsg: NFPROTO_UNSPEC, v0, res_id 0
    ];

    /// Its reply (nft_list_tables.jsonl #3), seq/pid zeroed.
    const LIST_REPLY: [u8; 56] = [
        0x38, 0, 0, 0, 0x00, 0x0a, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: NEWTABLE, MULTI
        1, 0, 0, 2, // nfgenmsg: NFPROTO_INET, v0, res_id 2 (generation, BE)
        6, 0, 1, 0, b't', 0, 0, 0, // NFTA_TABLE_NAME "t"
        8, 0, 3, 0, 0, 0, 0, 0, // NFTA_TABLE_USE 0
        12, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, // NFTA_TABLE_HANDLE 1 (BE u64)
        8, 0, 2, 0, 0, 0, 0, 0, // NFTA_TABLE_FLAGS 0
    ];

    fn msg(bytes: &[u8]) -> Msg<'_> {
        Msg::parse(bytes).unwrap().0
    }

    #[test]
    fn add_table_batch_matches_nft() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        assert_eq!(
            begin_batch(&mut w, Subsys::NFTABLES).unwrap().expect,
            Expect::BatchBegin
        );
        assert_eq!(
            encode_new_table(&mut w, NfProto::INET, "t").unwrap().expect,
            Expect::Ack
        );
        assert_eq!(
            end_batch(&mut w, Subsys::NFTABLES).unwrap().expect,
            Expect::BatchEnd
        );
        // nft numbers the messages itself; the capture has them zeroed, and
        // so do we until the session stamps them.
        assert_eq!(w.finished(), &ADD_TABLE_BATCH[..]);
    }

    #[test]
    fn create_table_matches_nft_and_its_error_decodes() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_create_table(&mut w, NfProto::INET, "t").unwrap();
        let ours = &req.msg[..];
        // The kernel's echo is our request byte for byte, apart from nft's seq.
        let echoed = &CREATE_EXISTS_REPLY[20..56];
        assert_eq!(&ours[..8], &echoed[..8]);
        assert_eq!(&ours[16..], &echoed[16..]);

        let m = msg(&CREATE_EXISTS_REPLY);
        let Some(Control::Error(e)) = decode_control(&m).unwrap() else {
            panic!("not an error");
        };
        assert_eq!(e.errno.get(), 17); // EEXIST
        assert_eq!(e.ext.offset, Some(20));
        assert_eq!(e.ext.msg, None);
        let echo = e.request.unwrap();
        assert_eq!(echo.msg_type(), NftMsg::NEWTABLE.msg_type());
        assert_eq!(echo.flags(), Flags::REQUEST | Flags::EXCL);
        // Offset 20 of our request is NFTA_TABLE_NAME.
        assert_eq!(&ours[20..24], &[6, 0, 1, 0]);
    }

    #[test]
    fn dump_tables_matches_nft() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump_tables(&mut w, NfProto::UNSPEC).unwrap();
        assert_eq!(req.expect, Expect::Dump);
        assert_eq!(&req.msg[..], &DUMP_REQUEST[..]);
    }

    #[test]
    fn flush_ruleset_and_table_match_nft() {
        // `nft flush ruleset` and `nft flush table inet t` (nl-capture
        // --normalize), the batch members.
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_flush_ruleset(&mut w).unwrap();
        assert_eq!(
            &req.msg[..],
            &[
                0x14, 0, 0, 0, 2, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ][..]
        );
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_flush_table(&mut w, NfProto::INET, "t").unwrap();
        assert_eq!(
            &req.msg[..],
            &[
                0x1c, 0, 0, 0, 8, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 6, 0, 1, 0, b't',
                0, 0, 0
            ][..]
        );
    }

    #[test]
    fn del_table_bytes() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_del_table(&mut w, NfProto::IPV4, "filter").unwrap();
        assert_eq!(req.expect, Expect::Ack);
        assert_eq!(
            &req.msg[..],
            &[
                0x20, 0, 0, 0, 0x02, 0x0a, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
                0, // DELTABLE, REQUEST
                2, 0, 0, 0, // nfgenmsg: NFPROTO_IPV4
                11, 0, 1, 0, b'f', b'i', b'l', b't', b'e', b'r', 0, 0, // NFTA_TABLE_NAME
            ][..]
        );
    }

    #[test]
    fn decodes_list_reply() {
        let mut it = Msgs::new(&LIST_REPLY);
        let t = Table::decode(&it.next().unwrap().unwrap()).unwrap();
        assert_eq!(
            t,
            Table {
                family: NfProto::INET,
                name: heapless::String::try_from("t").unwrap(),
                handle: 1,
                flags: 0,
                use_count: 0,
            }
        );
    }

    #[test]
    fn round_trip() {
        let t = Table {
            family: NfProto::BRIDGE,
            name: heapless::String::try_from("a".repeat(TABLE_NAME_CAP).as_str()).unwrap(),
            handle: 0x0102_0304_0506_0708,
            flags: 1,
            use_count: 7,
        };
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let bytes = t.emit(&mut w, Flags::MULTI).unwrap();
        assert_eq!(Table::decode(&msg(bytes)).unwrap(), t);
        // handle is big-endian on the wire
        assert!(bytes.windows(8).any(|x| x == [1, 2, 3, 4, 5, 6, 7, 8]));
    }

    #[test]
    fn batch_type_helpers_agree() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        Batch::NFTABLES
            .begin_msg(
                &mut w,
                NftMsg::GETTABLE.0,
                NfProto::UNSPEC,
                Flags::REQUEST | Flags::DUMP,
            )
            .unwrap();
        assert_eq!(w.finish().unwrap(), &DUMP_REQUEST[..]);
        assert_eq!(NftMsg::GETGEN.msg_type(), MsgType(0x0a10));
    }

    #[test]
    fn rejects_bad_names_on_encode() {
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let long = "x".repeat(TABLE_NAME_CAP + 1);
        for bad in ["", "a\0b", long.as_str()] {
            assert_eq!(
                encode_new_table(&mut w, NfProto::INET, bad).err(),
                Some(EncodeError::Invalid {
                    what: "nf_tables table name"
                })
            );
            assert!(encode_del_table(&mut w, NfProto::INET, bad).is_err());
            assert!(w.is_empty());
        }
        let mut small = [0u8; 30];
        let mut w = MsgWriter::new(&mut small);
        assert!(matches!(
            encode_new_table(&mut w, NfProto::INET, "t"),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(w.is_empty() && !w.in_message());
    }

    #[test]
    fn rejects_malformed_tables() {
        // wrong type (GETTABLE)
        let mut b = LIST_REPLY;
        b[4] = 1;
        assert!(matches!(
            Table::decode(&msg(&b)),
            Err(DecodeError::UnexpectedType { ty: 0x0a01, .. })
        ));
        // name missing
        let mut b = LIST_REPLY;
        b[22] = 0x7f;
        assert_eq!(
            Table::decode(&msg(&b)),
            Err(DecodeError::MissingAttr {
                what: "nf_tables table",
                kind: 1
            })
        );
        // name not UTF-8
        let mut b = LIST_REPLY;
        b[24] = 0xff;
        assert!(matches!(
            Table::decode(&msg(&b)),
            Err(DecodeError::NotUtf8 { kind: 1 })
        ));
        // no nfgenmsg
        let b = [16, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            Table::decode(&msg(&b)),
            Err(DecodeError::Truncated { .. })
        ));
        // a malformed handle (wrong size) is tolerated and reads as 0
        let mut b = LIST_REPLY;
        b[36] = 11; // nla_len 11: 7-byte handle
        let t = Table::decode(&msg(&b)).unwrap();
        assert_eq!((t.name.as_str(), t.handle), ("t", 0));
    }

    #[test]
    fn too_long_name_is_an_error() {
        let name = "n".repeat(TABLE_NAME_CAP + 1);
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        begin_msg(&mut w, Subsys::NFTABLES, 0, NfProto::INET, Flags::EMPTY).unwrap();
        w.put_str(1, &name).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(
            Table::decode(&msg(bytes)),
            Err(DecodeError::TooLong {
                what: "NFTA_TABLE_NAME",
                len: TABLE_NAME_CAP + 1,
                cap: TABLE_NAME_CAP
            })
        );
    }

    #[test]
    fn never_panics_on_truncations_and_bit_flips() {
        for cut in 16..LIST_REPLY.len() {
            let mut b = LIST_REPLY;
            b[0] = u8::try_from(cut).unwrap();
            let _ = Table::decode(&msg(&b[..cut]));
        }
        for i in 16..LIST_REPLY.len() {
            for bit in 0..8 {
                let mut b = LIST_REPLY;
                b[i] ^= 1 << bit;
                let _ = Table::decode(&msg(&b));
            }
        }
    }
}
