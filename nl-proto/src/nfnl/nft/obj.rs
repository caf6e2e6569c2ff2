//! nf_tables stateful objects: `NFT_MSG_{NEW,GET,DEL}OBJ` and `NFTA_OBJ_*`
//! (counter, quota, limit, connlimit, ct helper, ct timeout, ct
//! expectation, synproxy, secmark), which rules name with `objref`.
//!
//! ```text
//! NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_TYPE (be32), [NFTA_OBJ_USERDATA],
//!     NFTA_OBJ_DATA { the type's attributes }, NFTA_OBJ_USE (be32), NFTA_OBJ_HANDLE (be64)
//! ```
//!
//! The data attributes are those of the expression of the same name where
//! there is one (`NFTA_COUNTER_*`, `NFTA_QUOTA_*`, `NFTA_LIMIT_*`), with the
//! difference nft makes: an object's counter always carries both values.

use super::NftMsg;
use super::expr::{Counter, Limit, Quota};
use super::stmts::{Connlimit, Synproxy};
use super::table::{build, check_names};
use super::words::LimitType;
use crate::macros::open_enum;
use crate::nfnl::{NfGenMsg, NfProto};
use crate::session::{Expect, Request};
use crate::wire::{Attr, AttrTable, Attrs, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

open_enum! {
    /// An object type (`NFT_OBJECT_*`, `NFTA_OBJ_TYPE`).
    pub struct ObjType(u32) {
        /// `NFT_OBJECT_COUNTER`.
        COUNTER = 1,
        /// `NFT_OBJECT_QUOTA`.
        QUOTA = 2,
        /// `NFT_OBJECT_CT_HELPER`.
        CT_HELPER = 3,
        /// `NFT_OBJECT_LIMIT`.
        LIMIT = 4,
        /// `NFT_OBJECT_CONNLIMIT`.
        CONNLIMIT = 5,
        /// `NFT_OBJECT_TUNNEL`.
        TUNNEL = 6,
        /// `NFT_OBJECT_CT_TIMEOUT`.
        CT_TIMEOUT = 7,
        /// `NFT_OBJECT_SECMARK`.
        SECMARK = 8,
        /// `NFT_OBJECT_CT_EXPECT`.
        CT_EXPECT = 9,
        /// `NFT_OBJECT_SYNPROXY`.
        SYNPROXY = 10,
    }
}

const OBJ_TABLE: u16 = 1;
const OBJ_NAME: u16 = 2;
const OBJ_TYPE: u16 = 3;
const OBJ_DATA: u16 = 4;
const OBJ_USE: u16 = 5;
const OBJ_HANDLE: u16 = 6;
const OBJ_USERDATA: u16 = 8;
const NLA_F_NESTED: u16 = 0x8000;

/// `NFTNL_UDATA_OBJ_COMMENT`: the TLV of nft's comment in
/// `NFTA_OBJ_USERDATA`.
const UDATA_COMMENT: u8 = 0;

/// Most timeouts a [`CtTimeout`] holds (TCP has 11 states; the kernel's
/// largest table, SCTP's, 10).
pub const CT_TIMEOUT_CAP: usize = 16;

/// `ct helper` (`NFTA_CT_HELPER_NAME` 1, `_L3PROTO` 2 (be16), `_L4PROTO`
/// 3 (`u8`)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtHelper<'a> {
    /// The kernel helper's name (`"ftp"`, `"sip"`, …).
    pub name: &'a str,
    /// `NFPROTO_*`; absent, the kernel takes the table's family.
    pub l3proto: Option<u16>,
    /// `IPPROTO_TCP` or `IPPROTO_UDP`.
    pub l4proto: u8,
}

/// `ct timeout` (`NFTA_CT_TIMEOUT_L3PROTO` 1 (be16), `_L4PROTO` 2 (`u8`),
/// `_DATA` 3: `CTA_TIMEOUT_<PROTO>_<STATE>` seconds, be32).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtTimeout {
    /// `NFPROTO_*`; absent, the kernel takes the table's family.
    pub l3proto: Option<u16>,
    /// The protocol whose states these are.
    pub l4proto: u8,
    /// Seconds per state: `timeouts[i]` is attribute `i + 1` (for TCP
    /// `syn_sent`, `syn_recv`, `established`, …, in the kernel's order).
    pub timeouts: heapless::Vec<u32, CT_TIMEOUT_CAP>,
}

/// `ct expectation` (`NFTA_CT_EXPECT_L3PROTO` 1 (be16), `_L4PROTO` 2
/// (`u8`), `_DPORT` 3 (be16), `_TIMEOUT` 4 (host-order `u32`, ms),
/// `_SIZE` 5 (`u8`)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtExpect {
    /// `NFPROTO_*`; absent, the kernel takes the table's family.
    pub l3proto: Option<u16>,
    /// The expected connection's protocol.
    pub l4proto: u8,
    /// Its destination port.
    pub dport: u16,
    /// How long it is expected, milliseconds.
    pub timeout: u32,
    /// Most expectations at once.
    pub size: u8,
}

/// What an object is and holds (`NFTA_OBJ_TYPE` and `NFTA_OBJ_DATA`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjData<'a> {
    /// A counter.
    Counter(Counter),
    /// A quota.
    Quota(Quota),
    /// A rate limit.
    Limit(Limit),
    /// A connection count limit.
    Connlimit(Connlimit),
    /// A conntrack helper to assign.
    CtHelper(CtHelper<'a>),
    /// A conntrack timeout policy to assign.
    CtTimeout(CtTimeout),
    /// A conntrack expectation to create.
    CtExpect(CtExpect),
    /// SYN proxy parameters.
    Synproxy(Synproxy),
    /// A security context (`NFTA_SECMARK_CTX`), e.g. an SELinux label.
    Secmark(&'a str),
    /// Any other type, or data this crate cannot read: the type and the
    /// raw `NFTA_OBJ_DATA` payload.
    Unknown {
        /// `NFTA_OBJ_TYPE`.
        kind: ObjType,
        /// `NFTA_OBJ_DATA`'s payload.
        data: &'a [u8],
    },
}

impl<'a> ObjData<'a> {
    /// The object's type.
    pub fn kind(&self) -> ObjType {
        match self {
            ObjData::Counter(_) => ObjType::COUNTER,
            ObjData::Quota(_) => ObjType::QUOTA,
            ObjData::Limit(_) => ObjType::LIMIT,
            ObjData::Connlimit(_) => ObjType::CONNLIMIT,
            ObjData::CtHelper(_) => ObjType::CT_HELPER,
            ObjData::CtTimeout(_) => ObjType::CT_TIMEOUT,
            ObjData::CtExpect(_) => ObjType::CT_EXPECT,
            ObjData::Synproxy(_) => ObjType::SYNPROXY,
            ObjData::Secmark(_) => ObjType::SECMARK,
            ObjData::Unknown { kind, .. } => *kind,
        }
    }

    /// The attributes inside `NFTA_OBJ_DATA`, in the order nft writes them.
    fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let l3 = |w: &mut MsgWriter<'_>, l3: Option<u16>| match l3 {
            Some(p) => w.put_be16(1, p),
            None => Ok(()),
        };
        match self {
            ObjData::Counter(c) => {
                w.put_be64(1, c.bytes)?;
                w.put_be64(2, c.packets)
            }
            ObjData::Quota(q) => {
                w.put_be64(1, q.bytes)?;
                w.put_be64(4, q.consumed)?;
                w.put_be32(2, q.flags)
            }
            ObjData::Limit(l) => {
                w.put_be64(1, l.rate)?;
                w.put_be64(2, l.unit)?;
                w.put_be32(3, l.burst)?;
                w.put_be32(4, l.kind.0)?;
                w.put_be32(5, l.flags)
            }
            // The same attributes as the statements'.
            ObjData::Connlimit(c) => c.emit(w),
            // nft sends the name without its NUL.
            ObjData::CtHelper(h) => {
                w.put(1, h.name.as_bytes())?;
                if let Some(p) = h.l3proto {
                    w.put_be16(2, p)?;
                }
                w.put_u8(3, h.l4proto)
            }
            ObjData::CtTimeout(t) => {
                l3(w, t.l3proto)?;
                w.put_u8(2, t.l4proto)?;
                w.nested(3, |w| {
                    (1u16..)
                        .zip(&t.timeouts)
                        .try_for_each(|(k, &v)| w.put_be32(k, v))
                })
            }
            ObjData::CtExpect(e) => {
                l3(w, e.l3proto)?;
                w.put_u8(2, e.l4proto)?;
                w.put_be16(3, e.dport)?;
                w.put_u32(4, e.timeout)?;
                w.put_u8(5, e.size)
            }
            ObjData::Synproxy(s) => s.emit(w),
            // nft sends the context without its NUL.
            ObjData::Secmark(ctx) => w.put(1, ctx.as_bytes()),
            // Written whole by `put_data`.
            ObjData::Unknown { .. } => Ok(()),
        }
    }

    /// `NFTA_OBJ_DATA`: the type's attributes, or an unknown type's bytes
    /// as they came.
    fn put_data(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match self {
            ObjData::Unknown { data, .. } => w.put(OBJ_DATA | NLA_F_NESTED, data),
            _ => w.nested(OBJ_DATA, |w| self.emit(w)),
        }
    }

    /// Read `NFTA_OBJ_DATA`'s payload for an object of type `kind`:
    /// [`ObjData::Unknown`] when the type or an attribute is not as
    /// expected.
    fn decode(kind: ObjType, data: &'a [u8]) -> Self {
        Self::decode_known(kind, data).unwrap_or(ObjData::Unknown { kind, data })
    }

    fn decode_known(kind: ObjType, data: &'a [u8]) -> Option<Self> {
        let tb = AttrTable::<12>::parse(Attrs::new(data));
        if tb.error().is_some() {
            return None;
        }
        let be64 = |k| tb.get(k).map_or(Some(0), |a: Attr<'_>| a.be64().ok());
        let be32 = |k| tb.get(k).map_or(Some(0), |a: Attr<'_>| a.be32().ok());
        let l3 = || match tb.get(1) {
            None => Some(None),
            Some(a) => a.be16().ok().map(Some),
        };
        let u8_of = |k| tb.get(k).map_or(Some(0), |a: Attr<'_>| a.u8().ok());
        Some(match kind {
            ObjType::COUNTER => ObjData::Counter(Counter {
                bytes: be64(1)?,
                packets: be64(2)?,
            }),
            ObjType::QUOTA => ObjData::Quota(Quota {
                bytes: be64(1)?,
                flags: be32(2)?,
                consumed: be64(4)?,
            }),
            ObjType::LIMIT => ObjData::Limit(Limit {
                rate: be64(1)?,
                unit: be64(2)?,
                burst: be32(3)?,
                kind: LimitType(be32(4)?),
                flags: be32(5)?,
            }),
            ObjType::CONNLIMIT => ObjData::Connlimit(Connlimit {
                count: be32(1)?,
                flags: be32(2)?,
            }),
            ObjType::CT_HELPER => ObjData::CtHelper(CtHelper {
                name: text(tb.get(1)?.payload())?,
                l3proto: match tb.get(2) {
                    None => None,
                    Some(a) => Some(a.be16().ok()?),
                },
                l4proto: u8_of(3)?,
            }),
            ObjType::CT_TIMEOUT => {
                let mut timeouts = heapless::Vec::new();
                if let Some(nest) = tb.get(3) {
                    for a in nest.nested() {
                        let a = a.ok()?;
                        let at = usize::from(a.kind().checked_sub(1)?);
                        while timeouts.len() <= at {
                            timeouts.push(0).ok()?;
                        }
                        *timeouts.get_mut(at)? = a.be32().ok()?;
                    }
                }
                ObjData::CtTimeout(CtTimeout {
                    l3proto: l3()?,
                    l4proto: u8_of(2)?,
                    timeouts,
                })
            }
            ObjType::CT_EXPECT => ObjData::CtExpect(CtExpect {
                l3proto: l3()?,
                l4proto: u8_of(2)?,
                dport: tb.get(3).map_or(Some(0), |a| a.be16().ok())?,
                timeout: tb.get(4).map_or(Some(0), |a| a.u32().ok())?,
                size: u8_of(5)?,
            }),
            ObjType::SYNPROXY => ObjData::Synproxy(Synproxy {
                mss: match tb.get(1) {
                    None => None,
                    Some(a) => Some(a.be16().ok()?),
                },
                wscale: match tb.get(2) {
                    None => None,
                    Some(a) => Some(a.u8().ok()?),
                },
                flags: be32(3)?,
            }),
            ObjType::SECMARK => ObjData::Secmark(text(tb.get(1)?.payload())?),
            _ => return None,
        })
    }
}

/// A string sent with or without its NUL (nft leaves it out, the kernel
/// puts it in).
pub(super) fn text(b: &[u8]) -> Option<&str> {
    core::str::from_utf8(b.strip_suffix(&[0]).unwrap_or(b)).ok()
}

/// An object to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObj<'a> {
    /// Table.
    pub table: &'a str,
    /// Name.
    pub name: &'a str,
    /// Its type and contents.
    pub data: ObjData<'a>,
    /// nft's comment (`NFTA_OBJ_USERDATA`).
    pub comment: Option<&'a str>,
}

/// `NFT_MSG_NEWOBJ` with `NLM_F_CREATE` (`nft add counter|quota|limit|ct
/// helper|… FAMILY TABLE NAME`): create the object, or leave an existing
/// one as it is. Goes inside a batch.
///
/// ```
/// use nl_proto::nfnl::NfProto;
/// use nl_proto::nfnl::nft::{Counter, NewObj, ObjData, encode_new_obj};
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 128];
/// let mut w = MsgWriter::new(&mut buf);
/// let obj = NewObj {
///     table: "t",
///     name: "hits",
///     data: ObjData::Counter(Counter::default()),
///     comment: None,
/// };
/// let req = encode_new_obj(&mut w, NfProto::INET, &obj)?;
/// assert_eq!(req.msg.len(), 76); // as `nft add counter inet t hits` sends it
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::Invalid`] for empty, too long (over
/// [`CHAIN_NAME_CAP`](super::CHAIN_NAME_CAP)) or NUL-holding names; writer errors. Nothing is
/// left in the writer on error.
pub fn encode_new_obj<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    obj: &NewObj<'_>,
) -> Result<Request<'w>, EncodeError> {
    check_names(obj.table, obj.name, "nf_tables object name")?;
    let msg = build(
        w,
        NftMsg::NEWOBJ,
        family,
        Flags::REQUEST | Flags::CREATE,
        |w| {
            w.put_str(OBJ_TABLE, obj.table)?;
            w.put_str(OBJ_NAME, obj.name)?;
            w.put_be32(OBJ_TYPE, obj.data.kind().0)?;
            if let Some(c) = obj.comment {
                put_comment(w, c)?;
            }
            obj.data.put_data(w)
        },
    )?;
    Ok(Request::new(msg, Expect::Ack))
}

/// nft's comment TLV (type 0, length with the NUL, the text and a NUL).
fn put_comment(w: &mut MsgWriter<'_>, c: &str) -> Result<(), EncodeError> {
    let len = u8::try_from(c.len().saturating_add(1)).map_err(|_| EncodeError::Invalid {
        what: "nf_tables object comment (over 254 bytes)",
    })?;
    w.put_parts(OBJ_USERDATA, &[&[UDATA_COMMENT, len], c.as_bytes(), &[0]])
}

/// `NFT_MSG_DELOBJ` (`nft delete counter|quota|… FAMILY TABLE NAME`): the
/// type is part of the object's identity. Goes inside a batch.
///
/// # Errors
///
/// As [`encode_new_obj`].
pub fn encode_del_obj<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
    kind: ObjType,
) -> Result<Request<'w>, EncodeError> {
    check_names(table, name, "nf_tables object name")?;
    let msg = build(w, NftMsg::DELOBJ, family, Flags::REQUEST, |w| {
        w.put_str(OBJ_TABLE, table)?;
        w.put_str(OBJ_NAME, name)?;
        w.put_be32(OBJ_TYPE, kind.0)?;
        // nft sends an empty data nest.
        w.nested(OBJ_DATA, |_| Ok(()))
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NFT_MSG_GETOBJ` with `NLM_F_DUMP`: every object of `family`
/// ([`NfProto::UNSPEC`] for all). Not batched.
///
/// # Errors
///
/// Writer errors.
pub fn encode_dump_objs<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        NftMsg::GETOBJ,
        family,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// An object as the kernel reports it, borrowed from its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obj<'a> {
    /// Family.
    pub family: NfProto,
    /// Table.
    pub table: &'a str,
    /// Name.
    pub name: &'a str,
    /// Handle; 0 if absent.
    pub handle: u64,
    /// Rules and set elements referring to it; 0 if absent.
    pub use_count: u32,
    /// `NFTA_OBJ_USERDATA`, if present (see [`Obj::comment`]).
    pub userdata: Option<&'a [u8]>,
    /// Type and contents.
    pub data: ObjData<'a>,
}

impl<'a> Obj<'a> {
    /// Decode an `NFT_MSG_NEWOBJ` (dump entry, notification) or
    /// `NFT_MSG_DELOBJ` message.
    ///
    /// Strictness: table, name and type must be present and valid; data
    /// this crate cannot read is [`ObjData::Unknown`], not an error.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`],
    /// [`DecodeError::MissingAttr`], [`DecodeError::NotUtf8`], framing
    /// errors.
    pub fn decode(msg: &Msg<'a>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != NftMsg::NEWOBJ.msg_type() && ty != NftMsg::DELOBJ.msg_type() {
            return Err(DecodeError::UnexpectedType {
                what: "nf_tables object",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<NfGenMsg>("nfgenmsg")?;
        let tb = AttrTable::<9>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let need = |k| {
            tb.get(k).ok_or(DecodeError::MissingAttr {
                what: "nf_tables object",
                kind: k,
            })
        };
        let kind = ObjType(need(OBJ_TYPE)?.be32()?);
        Ok(Self {
            family: hdr.family(),
            table: need(OBJ_TABLE)?.str()?,
            name: need(OBJ_NAME)?.str()?,
            handle: tb.get(OBJ_HANDLE).and_then(|a| a.be64().ok()).unwrap_or(0),
            use_count: tb.get(OBJ_USE).and_then(|a| a.be32().ok()).unwrap_or(0),
            userdata: tb.get(OBJ_USERDATA).map(|a| a.payload()),
            data: ObjData::decode(kind, tb.get(OBJ_DATA).map(|a| a.payload()).unwrap_or(&[])),
        })
    }

    /// nft's comment, from the userdata's comment TLV.
    pub fn comment(&self) -> Option<&'a str> {
        let mut u = self.userdata?;
        while let [t, len, rest @ ..] = u {
            let (v, next) = rest.split_at_checked(usize::from(*len))?;
            if *t == UDATA_COMMENT {
                let v = v.strip_suffix(&[0]).unwrap_or(v);
                return core::str::from_utf8(v).ok();
            }
            u = next;
        }
        None
    }

    /// Write this object as the kernel describes it (`NFT_MSG_NEWOBJ` with
    /// `flags` and every field), for tests, fakes and round trips.
    ///
    /// # Errors
    ///
    /// Writer errors.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, NftMsg::NEWOBJ, self.family, flags, |w| {
            w.put_str(OBJ_TABLE, self.table)?;
            w.put_str(OBJ_NAME, self.name)?;
            w.put_be32(OBJ_TYPE, self.data.kind().0)?;
            w.put_be64(OBJ_HANDLE, self.handle)?;
            w.put_be32(OBJ_USE, self.use_count)?;
            if let Some(u) = self.userdata {
                w.put(OBJ_USERDATA, u)?;
            }
            self.data.put_data(w)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
