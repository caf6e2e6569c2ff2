//! nf_tables sets and their elements: `NFT_MSG_{NEW,GET,DEL}SET`
//! (`NFTA_SET_*`) and `NFT_MSG_{NEW,GET,DEL}SETELEM` (`NFTA_SET_ELEM_LIST_*`,
//! `NFTA_SET_ELEM_*`).
//!
//! ```text
//! set:      NFTA_SET_TABLE, NFTA_SET_NAME, NFTA_SET_FLAGS (be32), NFTA_SET_KEY_TYPE (be32,
//!           nft's datatype id), NFTA_SET_KEY_LEN (be32), NFTA_SET_ID (be32),
//!           NFTA_SET_TIMEOUT (be64 ms), NFTA_SET_USERDATA, NFTA_SET_HANDLE (be64)
//! elements: NFTA_SET_ELEM_LIST_TABLE, _SET, _SET_ID, _ELEMENTS { NFTA_LIST_ELEM {
//!           NFTA_SET_ELEM_FLAGS (be32), NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE }, ... } }
//! ```
//!
//! An interval set holds each range `[a, b]` as two elements: `a`, and
//! `b + 1` flagged [`NFT_SET_ELEM_INTERVAL_END`] (plus an end element at 0
//! when the first range does not start at 0), as nft sends them.

use super::NftMsg;
use super::chain::{CHAIN_NAME_CAP, short_string};
use super::expr::Data;
use super::table::{build, check_names};
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{AttrTable, Attrs, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `NFT_SET_ANONYMOUS`.
pub const NFT_SET_ANONYMOUS: u32 = 0x1;
/// `NFT_SET_CONSTANT`.
pub const NFT_SET_CONSTANT: u32 = 0x2;
/// `NFT_SET_INTERVAL`: elements are ranges.
pub const NFT_SET_INTERVAL: u32 = 0x4;
/// `NFT_SET_MAP`.
pub const NFT_SET_MAP: u32 = 0x8;
/// `NFT_SET_TIMEOUT`: elements expire.
pub const NFT_SET_TIMEOUT: u32 = 0x10;
/// `NFT_SET_EVAL`: elements added from the packet path (a meter, a
/// dynamic set).
pub const NFT_SET_EVAL: u32 = 0x20;
/// `NFT_SET_OBJECT`: a map to stateful objects.
pub const NFT_SET_OBJECT: u32 = 0x40;
/// `NFT_SET_CONCAT`: keys are concatenations with ranges.
pub const NFT_SET_CONCAT: u32 = 0x80;
/// `NFT_DATA_VERDICT`: the data type of a verdict map.
pub const NFT_DATA_VERDICT: u32 = 0xffff_ff00;
/// `NFT_SET_ELEM_INTERVAL_END`: the element closes a range (exclusive).
pub const NFT_SET_ELEM_INTERVAL_END: u32 = 0x1;
/// `NFT_SET_ELEM_CATCHALL`: the element matches every key (`*`); it has
/// no key.
pub const NFT_SET_ELEM_CATCHALL: u32 = 0x2;

/// Longest key (and `NFTA_SET_USERDATA`) [`Set`] and the encoders handle.
pub const SET_KEY_CAP: usize = 64;

const SET_TABLE: u16 = 1;
const SET_NAME: u16 = 2;
const SET_FLAGS: u16 = 3;
const SET_KEY_TYPE: u16 = 4;
const SET_KEY_LEN: u16 = 5;
const SET_DATA_TYPE: u16 = 6;
const SET_DATA_LEN: u16 = 7;
const SET_POLICY: u16 = 8;
const SET_DESC: u16 = 9;
const SET_ID: u16 = 10;
const SET_TIMEOUT: u16 = 11;
const SET_GC_INTERVAL: u16 = 12;
const SET_USERDATA: u16 = 13;
const SET_OBJ_TYPE: u16 = 15;
const DESC_SIZE: u16 = 1;
const DESC_CONCAT: u16 = 2;
const FIELD_LEN: u16 = 1;
const SET_HANDLE: u16 = 16;

const LIST_TABLE: u16 = 1;
const LIST_SET: u16 = 2;
const LIST_ELEMENTS: u16 = 3;
const LIST_SET_ID: u16 = 4;

const ELEM_KEY: u16 = 1;
const ELEM_DATA: u16 = 2;
const ELEM_FLAGS: u16 = 3;
const ELEM_TIMEOUT: u16 = 4;
const ELEM_EXPIRATION: u16 = 5;
const ELEM_OBJREF: u16 = 9;
const ELEM_KEY_END: u16 = 10;
const DATA_VALUE: u16 = 1;

/// A set to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewSet<'a> {
    /// Table.
    pub table: &'a str,
    /// Name.
    pub name: &'a str,
    /// `NFT_SET_*` flags.
    pub flags: u32,
    /// nft's datatype id of the key (ipv4_addr 7, ipv6_addr 8, ether_addr
    /// 9, inet_service 13, mark 19, ifname 41).
    pub key_type: u32,
    /// Key length in bytes.
    pub key_len: u32,
    /// A map's data: nft's datatype id (or [`NFT_DATA_VERDICT`]) and
    /// length in bytes (`NFTA_SET_DATA_TYPE`, `_DATA_LEN`).
    pub data: Option<(u32, u32)>,
    /// An object map's object type (`NFTA_SET_OBJ_TYPE`).
    pub obj_type: Option<u32>,
    /// Batch-local id, so elements in the same batch can name it.
    pub id: u32,
    /// `NFTA_SET_POLICY` (0 performance, 1 memory).
    pub policy: Option<u32>,
    /// `NFTA_SET_DESC_SIZE`: the size the set is made for.
    pub size: Option<u32>,
    /// `NFTA_SET_DESC_CONCAT`: the byte length of each field of a
    /// concatenated interval key.
    pub concat: &'a [u32],
    /// Default element timeout, milliseconds.
    pub timeout: Option<u64>,
    /// Garbage collection interval, milliseconds (`NFTA_SET_GC_INTERVAL`).
    pub gc_interval: Option<u32>,
    /// `NFTA_SET_USERDATA` (nft's TLVs, e.g. the key byte order).
    pub userdata: &'a [u8],
}

/// `NFT_MSG_NEWSET` with `NLM_F_CREATE` (`nft add set`). Goes inside a batch.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for bad names; writer errors.
pub fn encode_new_set<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    set: &NewSet<'_>,
) -> Result<Request<'w>, EncodeError> {
    check_names(set.table, set.name, "nf_tables set name")?;
    let msg = build(
        w,
        NftMsg::NEWSET,
        family,
        Flags::REQUEST | Flags::CREATE,
        |w| {
            w.put_str(SET_TABLE, set.table)?;
            w.put_str(SET_NAME, set.name)?;
            w.put_be32(SET_FLAGS, set.flags)?;
            w.put_be32(SET_KEY_TYPE, set.key_type)?;
            w.put_be32(SET_KEY_LEN, set.key_len)?;
            if let Some((ty, len)) = set.data {
                w.put_be32(SET_DATA_TYPE, ty)?;
                w.put_be32(SET_DATA_LEN, len)?;
            }
            if let Some(t) = set.obj_type {
                w.put_be32(SET_OBJ_TYPE, t)?;
            }
            w.put_be32(SET_ID, set.id)?;
            if let Some(p) = set.policy {
                w.put_be32(SET_POLICY, p)?;
            }
            if set.size.is_some() || !set.concat.is_empty() {
                w.nested(SET_DESC, |w| {
                    if let Some(n) = set.size {
                        w.put_be32(DESC_SIZE, n)?;
                    }
                    if set.concat.is_empty() {
                        return Ok(());
                    }
                    w.nested(DESC_CONCAT, |w| {
                        set.concat.iter().try_for_each(|&l| {
                            w.nested(crate::nfnl::nft::NFTA_LIST_ELEM, |w| {
                                w.put_be32(FIELD_LEN, l)
                            })
                        })
                    })
                })?;
            }
            if let Some(t) = set.timeout {
                w.put_be64(SET_TIMEOUT, t)?;
            }
            if let Some(t) = set.gc_interval {
                w.put_be32(SET_GC_INTERVAL, t)?;
            }
            if !set.userdata.is_empty() {
                w.put(SET_USERDATA, set.userdata)?;
            }
            Ok(())
        },
    )?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_DELSET` (`nft delete set`). Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_set`].
pub fn encode_del_set<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables set name")?;
    let msg = build(w, NftMsg::DELSET, family, Flags::REQUEST, |w| {
        w.put_str(SET_TABLE, table)?;
        w.put_str(SET_NAME, name)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETSET` with `NLM_F_DUMP`. Not batched.
///
/// # Errors
///
/// Writer errors.
pub fn encode_dump_sets<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETSET,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// One element to add or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewSetElem<'a> {
    /// The key, in the set's byte order (network order for addresses and
    /// ports).
    pub key: &'a [u8],
    /// `NFT_SET_ELEM_*` flags (0, or [`NFT_SET_ELEM_INTERVAL_END`]).
    pub flags: u32,
    /// Timeout in milliseconds (sets with [`NFT_SET_TIMEOUT`]).
    pub timeout: Option<u64>,
    /// A map element's data: a value or a verdict.
    pub data: Option<Data<'a>>,
    /// The last key of the range this element covers
    /// (`NFTA_SET_ELEM_KEY_END`, sets with [`NFT_SET_CONCAT`]).
    pub key_end: Option<&'a [u8]>,
    /// An object map element's object (`NFTA_SET_ELEM_OBJREF`, sets with
    /// [`NFT_SET_OBJECT`]).
    pub objref: Option<&'a str>,
}

/// The most bytes of element nests one `NFTA_SET_ELEM_LIST_ELEMENTS`
/// holds: an attribute's length is a `u16`, and the list's own header
/// counts.
const ELEMS_ROOM: usize = u16::MAX as usize - 4;

impl NewSetElem<'_> {
    /// The bytes this element takes in `NFTA_SET_ELEM_LIST_ELEMENTS`.
    pub const fn wire_len(&self) -> usize {
        let flags: usize = if self.flags != 0 { 8 } else { 0 };
        let timeout: usize = if self.timeout.is_some() { 12 } else { 0 };
        let data: usize = match self.data {
            None => 0,
            // NFTA_SET_ELEM_DATA { NFTA_DATA_VALUE }.
            Some(Data::Value(v)) => v.len().next_multiple_of(4).saturating_add(8),
            // NFTA_SET_ELEM_DATA { NFTA_DATA_VERDICT { CODE, CHAIN } }.
            Some(Data::Verdict(v)) => match v.chain {
                None => 16,
                Some(c) => c
                    .len()
                    .saturating_add(1)
                    .next_multiple_of(4)
                    .saturating_add(20),
            },
        };
        // The element's nest, the key's nest and its NFTA_DATA_VALUE.
        self.key
            .len()
            .next_multiple_of(4)
            .saturating_add(12)
            .saturating_add(flags)
            .saturating_add(timeout)
            .saturating_add(data)
            .saturating_add(match self.key_end {
                Some(k) => k.len().next_multiple_of(4).saturating_add(8),
                None => 0,
            })
            .saturating_add(match self.objref {
                Some(o) => o
                    .len()
                    .saturating_add(1)
                    .next_multiple_of(4)
                    .saturating_add(4),
                None => 0,
            })
    }
}

/// Split `items` into runs that each fit one `NFT_MSG_NEWSETELEM` (or
/// `DELSETELEM`) message, in order: a set of any size is sent as several
/// element messages inside the same batch, as nft does. An element too
/// large for a message on its own is a run of its own (its encoding
/// fails).
///
/// ```
/// use nl_proto::nfnl::nft::{NewSetElem, elem_runs};
/// let keys: Vec<[u8; 4]> = (0..10_000u32).map(u32::to_be_bytes).collect();
/// let items: Vec<NewSetElem<'_>> =
///     keys.iter().map(|k| NewSetElem { key: k, ..Default::default() }).collect();
/// let runs: Vec<&[NewSetElem<'_>]> = elem_runs(&items).collect();
/// assert_eq!(runs.len(), 3); // 16 bytes an element, 4,095 a message
/// assert_eq!(runs.iter().map(|r| r.len()).sum::<usize>(), 10_000);
/// ```
pub fn elem_runs<'s, 'a>(
    mut items: &'s [NewSetElem<'a>],
) -> impl Iterator<Item = &'s [NewSetElem<'a>]> + use<'s, 'a> {
    core::iter::from_fn(move || {
        if items.is_empty() {
            return None;
        }
        let mut used = 0usize;
        let n = items
            .iter()
            .position(|e| {
                used = used.saturating_add(e.wire_len());
                used > ELEMS_ROOM
            })
            .unwrap_or(items.len())
            .max(1);
        let (run, rest) = items.split_at(n);
        items = rest;
        Some(run)
    })
}

#[allow(clippy::too_many_arguments)]
fn elems<'w>(
    w: &'w mut MsgWriter<'_>,
    msg: NftMsg,
    flags: Flags,
    family: NfProto,
    table: &str,
    set: &str,
    set_id: Option<u32>,
    items: &[NewSetElem<'_>],
) -> Result<Request<'w>, EncodeError> {
    check_names(table, set, "nf_tables set name")?;
    let msg = build(w, msg, family, flags, |w| {
        w.put_str(LIST_TABLE, table)?;
        w.put_str(LIST_SET, set)?;
        if let Some(id) = set_id {
            w.put_be32(LIST_SET_ID, id)?;
        }
        w.nested(LIST_ELEMENTS, |w| {
            // nft numbers the elements 1, 2, ... (the kernel ignores it).
            items
                .iter()
                .zip((1..=0x3fffu16).cycle())
                .try_for_each(|(e, n)| {
                    w.nested(n, |w| {
                        if e.flags != 0 {
                            w.put_be32(ELEM_FLAGS, e.flags)?;
                        }
                        if let Some(t) = e.timeout {
                            w.put_be64(ELEM_TIMEOUT, t)?;
                        }
                        if e.flags & NFT_SET_ELEM_CATCHALL == 0 {
                            w.nested(ELEM_KEY, |w| w.put(DATA_VALUE, e.key))?;
                        }
                        if let Some(k) = e.key_end {
                            w.nested(ELEM_KEY_END, |w| w.put(DATA_VALUE, k))?;
                        }
                        if let Some(o) = e.objref {
                            w.put_str(ELEM_OBJREF, o)?;
                        }
                        match e.data {
                            Some(d) => w.nested(ELEM_DATA, |w| d.emit_inner(w)),
                            None => Ok(()),
                        }
                    })
                })
        })
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_NEWSETELEM` with `NLM_F_CREATE` (`nft add element`): `set_id`
/// names a set added earlier in the same batch. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_set`].
pub fn encode_new_elems<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    set: &str,
    set_id: Option<u32>,
    items: &[NewSetElem<'_>],
) -> Result<Request<'w>, EncodeError> {
    let flags = Flags::REQUEST | Flags::CREATE;
    elems(
        w,
        NftMsg::NEWSETELEM,
        flags,
        family,
        table,
        set,
        set_id,
        items,
    )
}

/// `NFT_MSG_DELSETELEM` (`nft delete element`). Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_set`].
pub fn encode_del_elems<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    set: &str,
    items: &[NewSetElem<'_>],
) -> Result<Request<'w>, EncodeError> {
    let flags = Flags::REQUEST;
    elems(
        w,
        NftMsg::DELSETELEM,
        flags,
        family,
        table,
        set,
        None,
        items,
    )
}

/// `NFT_MSG_GETSETELEM` with `NLM_F_DUMP`: the elements of one set. Not
/// batched.
///
/// # Errors
///
/// As [`encode_new_set`].
pub fn encode_dump_elems<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    set: &str,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, set, "nf_tables set name")?;
    let msg = build(
        w,
        NftMsg::GETSETELEM,
        family,
        Flags::REQUEST | Flags::DUMP,
        |w| {
            // nft's order: set, then table.
            w.put_str(LIST_SET, set)?;
            w.put_str(LIST_TABLE, table)
        },
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// An nf_tables set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// Family.
    pub family: NfProto,
    /// Table.
    pub table: heapless::String<CHAIN_NAME_CAP>,
    /// Name.
    pub name: heapless::String<CHAIN_NAME_CAP>,
    /// Handle; 0 if absent.
    pub handle: u64,
    /// `NFT_SET_*` flags; 0 if absent.
    pub flags: u32,
    /// Key datatype (nft's id); 0 if absent.
    pub key_type: u32,
    /// Key length; 0 if absent.
    pub key_len: u32,
    /// A map's data type (nft's id, or [`NFT_DATA_VERDICT`]); 0 if absent.
    pub data_type: u32,
    /// A map's data length; 0 if absent.
    pub data_len: u32,
    /// An object map's object type; 0 if absent.
    pub obj_type: u32,
    /// `NFTA_SET_POLICY`, if reported.
    pub policy: Option<u32>,
    /// `NFTA_SET_DESC_SIZE`, if reported.
    pub size: Option<u32>,
    /// Garbage collection interval (ms), if reported.
    pub gc_interval: Option<u32>,
    /// Default timeout (ms).
    pub timeout: Option<u64>,
    /// `NFTA_SET_USERDATA`, when it fits [`SET_KEY_CAP`] bytes.
    pub userdata: heapless::Vec<u8, SET_KEY_CAP>,
}

impl Set {
    /// Decode an `NFT_MSG_NEWSET` or `NFT_MSG_DELSET` message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], framing errors, a missing or bad
    /// table or name.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWSET.msg_type() && ty != NftMsg::DELSET.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables set",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<17>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let be32 = |k| tb.get(k).and_then(|a| a.be32().ok()).unwrap_or(0);
        Ok(Self {
            family: hdr.family(),
            table: short_string(tb.get(SET_TABLE), "NFTA_SET_TABLE", SET_TABLE)?,
            name: short_string(tb.get(SET_NAME), "NFTA_SET_NAME", SET_NAME)?,
            handle: tb.get(SET_HANDLE).and_then(|a| a.be64().ok()).unwrap_or(0),
            flags: be32(SET_FLAGS),
            key_type: be32(SET_KEY_TYPE),
            key_len: be32(SET_KEY_LEN),
            data_type: be32(SET_DATA_TYPE),
            data_len: be32(SET_DATA_LEN),
            obj_type: be32(SET_OBJ_TYPE),
            policy: tb.get(SET_POLICY).and_then(|a| a.be32().ok()),
            size: tb
                .get(SET_DESC)
                .and_then(|d| d.nested().find(DESC_SIZE))
                .and_then(|a| a.be32().ok()),
            gc_interval: tb.get(SET_GC_INTERVAL).and_then(|a| a.be32().ok()),
            timeout: tb.get(SET_TIMEOUT).and_then(|a| a.be64().ok()),
            userdata: tb
                .get(SET_USERDATA)
                .and_then(|a| heapless::Vec::from_slice(a.payload()).ok())
                .unwrap_or_default(),
        })
    }

    /// Write this set as the kernel describes it (`NFT_MSG_NEWSET` with
    /// `flags`), for tests, fakes and round trips.
    ///
    /// # Errors
    ///
    /// Writer errors.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWSET, self.family, flags, |w| {
            w.put_str(SET_TABLE, &self.table)?;
            w.put_str(SET_NAME, &self.name)?;
            w.put_be64(SET_HANDLE, self.handle)?;
            w.put_be32(SET_FLAGS, self.flags)?;
            w.put_be32(SET_KEY_TYPE, self.key_type)?;
            w.put_be32(SET_KEY_LEN, self.key_len)?;
            if self.data_type != 0 || self.data_len != 0 {
                w.put_be32(SET_DATA_TYPE, self.data_type)?;
                w.put_be32(SET_DATA_LEN, self.data_len)?;
            }
            if self.obj_type != 0 {
                w.put_be32(SET_OBJ_TYPE, self.obj_type)?;
            }
            if let Some(p) = self.policy {
                w.put_be32(SET_POLICY, p)?;
            }
            if let Some(n) = self.size {
                w.nested(SET_DESC, |w| w.put_be32(DESC_SIZE, n))?;
            }
            if let Some(t) = self.timeout {
                w.put_be64(SET_TIMEOUT, t)?;
            }
            if let Some(t) = self.gc_interval {
                w.put_be32(SET_GC_INTERVAL, t)?;
            }
            if !self.userdata.is_empty() {
                w.put(SET_USERDATA, &self.userdata)?;
            }
            Ok(())
        })
    }
}

/// One element as the kernel reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elem<'a> {
    /// The key.
    pub key: &'a [u8],
    /// `NFT_SET_ELEM_*` flags; 0 if absent.
    pub flags: u32,
    /// Timeout (ms).
    pub timeout: Option<u64>,
    /// Time left (ms).
    pub expiration: Option<u64>,
    /// A map element's data.
    pub data: Option<Data<'a>>,
    /// The last key of its range (sets with [`NFT_SET_CONCAT`]).
    pub key_end: Option<&'a [u8]>,
    /// An object map element's object (sets with [`NFT_SET_OBJECT`]).
    pub objref: Option<&'a str>,
}

/// A batch of elements of one set (an `NFT_MSG_NEWSETELEM` dump entry),
/// borrowed from its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetElems<'a> {
    /// Family.
    pub family: NfProto,
    /// Table.
    pub table: &'a str,
    /// Set.
    pub set: &'a str,
    /// The raw `NFTA_SET_ELEM_LIST_ELEMENTS` payload; walk it with
    /// [`SetElems::elems`].
    pub elems_raw: &'a [u8],
}

impl<'a> SetElems<'a> {
    /// Decode an `NFT_MSG_NEWSETELEM` or `NFT_MSG_DELSETELEM` message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], framing errors, a missing table or
    /// set, an element without a key.
    pub fn decode(msg: &Msg<'a>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWSETELEM.msg_type() && ty != NftMsg::DELSETELEM.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables set elements",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<5>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let req = |k| {
            tb.get(k).ok_or(DecodeError::MissingAttr {
                what: "nf_tables set elements",
                kind: k,
            })
        };
        let out = Self {
            family: hdr.family(),
            table: req(LIST_TABLE)?.str()?,
            set: req(LIST_SET)?.str()?,
            elems_raw: tb
                .get(LIST_ELEMENTS)
                .map(|a| a.payload())
                .unwrap_or_default(),
        };
        for e in out.elems() {
            e?;
        }
        Ok(out)
    }

    /// The elements, in the kernel's order.
    pub fn elems(&self) -> impl Iterator<Item = Result<Elem<'a>, DecodeError>> + use<'a> {
        Attrs::new(self.elems_raw).map(|a| {
            let a = a?;
            let tb = AttrTable::<11>::parse(a.nested());
            if let Some(e) = tb.error() {
                return Err(e);
            }
            let flags = tb.get(ELEM_FLAGS).and_then(|f| f.be32().ok()).unwrap_or(0);
            let key = match tb.get(ELEM_KEY).and_then(|k| k.nested().find(DATA_VALUE)) {
                Some(k) => k.payload(),
                None if flags & NFT_SET_ELEM_CATCHALL != 0 => &[],
                None => {
                    return Err(DecodeError::MissingAttr {
                        what: "nf_tables set element",
                        kind: ELEM_KEY,
                    });
                }
            };
            Ok(Elem {
                key,
                flags,
                timeout: tb.get(ELEM_TIMEOUT).and_then(|t| t.be64().ok()),
                expiration: tb.get(ELEM_EXPIRATION).and_then(|t| t.be64().ok()),
                data: tb.get(ELEM_DATA).and_then(Data::decode_nest),
                key_end: tb
                    .get(ELEM_KEY_END)
                    .and_then(|k| k.nested().find(DATA_VALUE))
                    .map(|k| k.payload()),
                objref: tb.get(ELEM_OBJREF).and_then(|o| o.str().ok()),
            })
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::nfnl::nft::test_hex as hex;

    // nft 1.0.6 batch members (nl-capture --normalize) for `set a { type
    // ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }`, `set p { type
    // inet_service; flags interval; elements = { 22, 1000-2000 } }`, `set m
    // { type mark; flags timeout; timeout 1h; }` in inet t.
    const SENT_A: &str = "50000000090a01040000000000000000010000000600010074000000060002006100000008000300000000000800040000000007080005000000000408000a00000000010a000d000004020000000000";
    const SENT_A_ELEMS: &str = "500000000c0a010400000000000000000100000006000100740000000600020061000000080004000000000124000380100001800c000180080001000a000001100002800c000180080001000a000002";
    const SENT_P_ELEMS: &str = "980000000c0a01040000000000000000010000000600010074000000060002007000000008000400000000026c0003801800018008000300000000010c0001800600010000000000100002800c00018006000100001600001800038008000300000000010c0001800600010000170000100004800c0001800600010003e800001800058008000300000000010c0001800600010007d10000";
    const SENT_M: &str = "5c000000090a01040000000000000000010000000600010074000000060002006d00000008000300000000100800040000000013080005000000000408000a00000000040c000b00000000000036ee800a000d000004010000000000";
    /// `nft list sets`: the kernel's entry for set p, and the elements of p.
    const RECV_P: &str = "78000000090a0200000000000000000001000002060001007400000006000200700000000c00100000000000000000020800030000000004080004000000000d08000500000000020a000d000004020000000000040009001700130030786666666666666666383235303830653000000800140000000002";
    const RECV_P_ELEMS: &str = "900000000c0a0200000000000000000001000002060001007400000006000200700000006c000300180001000c0001000600010007d100000800030000000001100001000c0001000600010003e80000180001000c00010006000100001700000800030000000001100001000c0001000600010000160000180001000c00010006000100000000000800030000000001";
    const DUMP_ELEMS_P: &str =
        "240000000d0a010300000000000000000100000006000200700000000600010074000000";

    /// nft 1.0.6 for `tcp dport vmap { 22 : accept, 23-30 : drop }` in ip t c:
    /// the anonymous interval map and its elements (verdict data; 23-30
    /// starts where 22 ends, so 22 has no end element).
    const SENT_VMAP: &str = "84000000090a010400000000000000000200000006000100740000000c0002005f5f6d6170256400080003000000000f080004000000000d080005000000000208000600ffffff00080007000000000008000a00000000010c000980080001000000000520000d0000040200000001040000000004080004010000000100060400000000";
    const SENT_VMAP_ELEMS: &str = "a40000000c0a010400000000000000000200000006000100740000000c0002005f5f6d61702564000800040000000001740003801800018008000300000000010c0001800600010000000000200002800c0001800600010000160000100002800c0002800800010000000001200003800c0001800600010000170000100002800c00028008000100000000001800048008000300000000010c00018006000100001f0000";
    /// nft 1.0.6 for `ip saddr . ip daddr { 192.0.2.1 . 10.0.0.1-10.0.0.2 }`:
    /// a concatenated interval set (field lengths, `key_end`).
    const SENT_CONCAT: &str = "b8000000090a010400000000000000000200000006000100740000000c0002005f5f736574256400080003000000008708000400000001c7080005000000000808000a00000000012800098008000100000000011c0002800c00018008000100000000040c000180080001000000000446000d00000400000000020401000000033400040d000000012c0014000407000000010c00040c00000001040b0000000114000407000000010c00040c00000001040c0000000000";
    const SENT_CONCAT_ELEMS: &str = "580000000c0a010400000000000000000200000006000100740000000c0002005f5f73657425640008000400000000012800038024000180100001800c000100c00002010a00000110000a800c000100c00002010a000002";

    fn msg(b: &[u8]) -> Msg<'_> {
        Msg::parse(b).unwrap().0
    }

    #[test]
    fn encoders_match_nft() {
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let a = NewSet {
            table: "t",
            name: "a",
            flags: 0,
            key_type: 7,
            key_len: 4,
            id: 1,
            timeout: None,
            userdata: &[0, 4, 2, 0, 0, 0],
            ..Default::default()
        };
        let req = encode_new_set(&mut w, NfProto::INET, &a).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_A)[..]);
        let mut w = MsgWriter::new(&mut buf);
        let items = [
            NewSetElem {
                key: &[10, 0, 0, 1],
                flags: 0,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
            NewSetElem {
                key: &[10, 0, 0, 2],
                flags: 0,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
        ];
        let req = encode_new_elems(&mut w, NfProto::INET, "t", "a", Some(1), &items).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_A_ELEMS)[..]);
        let mut w = MsgWriter::new(&mut buf);
        let end = NFT_SET_ELEM_INTERVAL_END;
        let items = [
            NewSetElem {
                key: &[0, 0],
                flags: end,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
            NewSetElem {
                key: &[0, 22],
                flags: 0,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
            NewSetElem {
                key: &[0, 23],
                flags: end,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
            NewSetElem {
                key: &[0x03, 0xe8],
                flags: 0,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
            NewSetElem {
                key: &[0x07, 0xd1],
                flags: end,
                timeout: None,
                data: None,
                key_end: None,
                objref: None,
            },
        ];
        let req = encode_new_elems(&mut w, NfProto::INET, "t", "p", Some(2), &items).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_P_ELEMS)[..]);
        let mut w = MsgWriter::new(&mut buf);
        let m = NewSet {
            table: "t",
            name: "m",
            flags: NFT_SET_TIMEOUT,
            key_type: 19,
            key_len: 4,
            id: 4,
            timeout: Some(3_600_000),
            userdata: &[0, 4, 1, 0, 0, 0],
            ..Default::default()
        };
        let req = encode_new_set(&mut w, NfProto::INET, &m).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_M)[..]);
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump_elems(&mut w, NfProto::INET, "t", "p").unwrap();
        assert_eq!(req.expect, Expect::Dump);
        assert_eq!(&req.msg[..], &hex(DUMP_ELEMS_P)[..]);
    }

    #[test]
    fn maps_and_concatenations_match_nft() {
        use crate::nfnl::nft::{Verdict, VerdictCode};
        let mut buf = [0u8; 512];
        // Key byte order, data byte order, data typeof (a verdict), data interval.
        let ud_map = hex("00040200000001040000000004080004010000000100060400000000");
        let mut w = MsgWriter::new(&mut buf);
        let map = NewSet {
            table: "t",
            name: "__map%d",
            flags: NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
            key_type: 13,
            key_len: 2,
            data: Some((NFT_DATA_VERDICT, 0)),
            id: 1,
            size: Some(5),
            userdata: &ud_map,
            ..Default::default()
        };
        let req = encode_new_set(&mut w, NfProto::IPV4, &map).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_VMAP)[..]);
        let (accept, drop) = (
            Some(Data::Verdict(Verdict::ACCEPT)),
            Some(Data::Verdict(Verdict::DROP)),
        );
        let end = NFT_SET_ELEM_INTERVAL_END;
        let e = |key: &'static [u8], flags, data| NewSetElem {
            key,
            flags,
            data,
            ..Default::default()
        };
        let items = [
            e(&[0, 0], end, None),
            e(&[0, 22], 0, accept),
            e(&[0, 23], 0, drop),
            e(&[0, 31], end, None),
        ];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_new_elems(&mut w, NfProto::IPV4, "t", "__map%d", Some(1), &items).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_VMAP_ELEMS)[..]);
        let len: usize = items.iter().map(NewSetElem::wire_len).sum();
        // The header, table, set, set id and the list's own header.
        assert_eq!(len + 52, req.msg.len());
        // The kernel reports elements the same way: decode them back.
        let mut b = hex(SENT_VMAP_ELEMS);
        b[6] = 0x02; // a reply, not a request
        let got = SetElems::decode(&msg(&b)).unwrap();
        let data: heapless::Vec<_, 4> = got.elems().map(|x| x.unwrap().data).collect();
        assert_eq!(&data[..], &[None, accept, drop, None][..]);
        assert!(matches!(
            data[2],
            Some(Data::Verdict(Verdict {
                code: VerdictCode::DROP,
                chain: None
            }))
        ));

        let ud = hex(SENT_CONCAT);
        // NFTA_SET_USERDATA, the last attribute: 66 bytes and 2 of padding.
        let ud = &ud[ud.len() - 68..ud.len() - 2];
        let mut w = MsgWriter::new(&mut buf);
        let set = NewSet {
            table: "t",
            name: "__set%d",
            flags: 0x87,
            key_type: 0x1c7,
            key_len: 8,
            id: 1,
            size: Some(1),
            concat: &[4, 4],
            userdata: ud,
            ..Default::default()
        };
        let req = encode_new_set(&mut w, NfProto::IPV4, &set).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_CONCAT)[..]);
        let items = [NewSetElem {
            key: &[192, 0, 2, 1, 10, 0, 0, 1],
            key_end: Some(&[192, 0, 2, 1, 10, 0, 0, 2]),
            objref: None,
            ..Default::default()
        }];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_new_elems(&mut w, NfProto::IPV4, "t", "__set%d", Some(1), &items).unwrap();
        assert_eq!(&req.msg[..], &hex(SENT_CONCAT_ELEMS)[..]);
        let got = SetElems::decode(&msg(req.msg)).unwrap();
        let e = got.elems().next().unwrap().unwrap();
        assert_eq!(e.key_end, Some(&[192, 0, 2, 1, 10, 0, 0, 2][..]));
    }

    #[test]
    fn decodes_kernel_set_and_elements() {
        let b = hex(RECV_P);
        let s = Set::decode(&msg(&b)).unwrap();
        assert_eq!((s.table.as_str(), s.name.as_str(), s.handle), ("t", "p", 2));
        assert_eq!((s.flags, s.key_type, s.key_len), (NFT_SET_INTERVAL, 13, 2));
        assert_eq!(&s.userdata[..], &[0, 4, 2, 0, 0, 0]);
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let out = s.emit(&mut w, Flags::MULTI).unwrap();
        assert_eq!(Set::decode(&msg(out)).unwrap(), s);

        let b = hex(RECV_P_ELEMS);
        let e = SetElems::decode(&msg(&b)).unwrap();
        assert_eq!((e.table, e.set), ("t", "p"));
        let keys: heapless::Vec<(&[u8], u32), 8> = e
            .elems()
            .map(|x| x.map(|x| (x.key, x.flags)).unwrap())
            .collect();
        // The kernel lists an interval set highest first.
        assert_eq!(
            &keys[..],
            &[
                (&[0x07, 0xd1][..], 1),
                (&[0x03, 0xe8][..], 0),
                (&[0, 23][..], 1),
                (&[0, 22][..], 0),
                (&[0, 0][..], 1),
            ][..]
        );
    }

    #[test]
    fn element_runs_fill_messages_below_the_attribute_limit() {
        let keys: heapless::Vec<[u8; 16], 16> = (0..16u8).map(|i| [i; 16]).collect();
        let mut items: heapless::Vec<NewSetElem<'_>, 8192> = heapless::Vec::new();
        for i in 0..8192usize {
            let e = NewSetElem {
                key: &keys[i % 16],
                flags: u32::from(i % 2 == 0),
                timeout: (i % 3 == 0).then_some(1000),
                data: None,
                key_end: None,
                objref: None,
            };
            items.push(e).unwrap();
        }
        let mut buf = [0u8; 70_000];
        let mut total = 0;
        let mut runs = 0;
        for run in elem_runs(&items) {
            // Each run encodes, and the next element would not have fitted.
            let mut w = MsgWriter::new(&mut buf);
            let req = encode_new_elems(&mut w, NfProto::INET, "t", "s", None, run).unwrap();
            assert_eq!(req.expect, Expect::Ack);
            let bytes: usize = run.iter().map(NewSetElem::wire_len).sum();
            assert!(bytes <= ELEMS_ROOM);
            if let Some(next) = items.get(total + run.len()) {
                assert!(bytes + next.wire_len() > ELEMS_ROOM);
            }
            total += run.len();
            runs += 1;
        }
        assert_eq!(total, items.len());
        assert!(runs > 1);
        assert_eq!(elem_runs(&[]).count(), 0);
    }

    #[test]
    fn never_panics_on_truncations_and_bit_flips() {
        for h in [RECV_P, RECV_P_ELEMS] {
            let full = hex(h);
            for cut in 16..full.len() {
                let mut b: heapless::Vec<u8, 1024> = full[..cut].iter().copied().collect();
                b[..4].copy_from_slice(&u32::try_from(cut).unwrap().to_ne_bytes());
                let _ = Set::decode(&msg(&b));
                let _ = SetElems::decode(&msg(&b));
            }
            for i in 16..full.len() {
                let mut b = full.clone();
                b[i] ^= 0x55;
                if let Ok((m, _)) = Msg::parse(&b) {
                    let _ = Set::decode(&m);
                    let _ = SetElems::decode(&m);
                }
            }
        }
    }
}
