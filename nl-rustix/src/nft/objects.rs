//! Stateful objects and flowtables: what [`Cmd::AddObj`](super::Cmd::AddObj)
//! and [`Cmd::AddFlowtable`](super::Cmd::AddFlowtable) carry (owned), and
//! the objects and flowtables [`list_ruleset`](super::list_ruleset) reads.

use crate::{Conn, Error};
use nl_proto::nfnl::NfProto;
use nl_proto::nfnl::nft::{
    self as p, Connlimit, Counter, CtExpect, CtHelper, CtTimeout, Flowtable, Limit, NewFlowtable,
    NewObj, Obj, ObjData, ObjType, Quota, Synproxy,
};
use nl_proto::session::Request;
use nl_proto::wire::{Flags, Msg, MsgWriter};
use nl_proto::{DecodeError, EncodeError};

/// What an object to add is and holds (owned, see [`ObjData`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjSpec {
    /// A counter with its starting values.
    Counter(Counter),
    /// A quota.
    Quota(Quota),
    /// A rate limit.
    Limit(Limit),
    /// A connection count limit.
    Connlimit(Connlimit),
    /// A conntrack helper (`ftp`, `sip`, …) for one protocol.
    CtHelper {
        /// The kernel helper's name.
        name: String,
        /// `NFPROTO_*`; `None`: the table's family.
        l3proto: Option<u16>,
        /// `IPPROTO_TCP` or `IPPROTO_UDP`.
        l4proto: u8,
    },
    /// A conntrack timeout policy.
    CtTimeout(CtTimeout),
    /// A conntrack expectation.
    CtExpect(CtExpect),
    /// SYN proxy parameters.
    Synproxy(Synproxy),
    /// A security context.
    Secmark(String),
}

impl ObjSpec {
    /// The object's type.
    pub fn kind(&self) -> ObjType {
        self.borrow().kind()
    }

    fn borrow(&self) -> ObjData<'_> {
        match self {
            ObjSpec::Counter(c) => ObjData::Counter(*c),
            ObjSpec::Quota(q) => ObjData::Quota(*q),
            ObjSpec::Limit(l) => ObjData::Limit(*l),
            ObjSpec::Connlimit(c) => ObjData::Connlimit(*c),
            ObjSpec::CtHelper {
                name,
                l3proto,
                l4proto,
            } => ObjData::CtHelper(CtHelper {
                name,
                l3proto: *l3proto,
                l4proto: *l4proto,
            }),
            ObjSpec::CtTimeout(t) => ObjData::CtTimeout(t.clone()),
            ObjSpec::CtExpect(e) => ObjData::CtExpect(*e),
            ObjSpec::Synproxy(s) => ObjData::Synproxy(*s),
            ObjSpec::Secmark(s) => ObjData::Secmark(s),
        }
    }
}

/// A flowtable to add (owned, see [`NewFlowtable`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowtableSpec {
    /// Table.
    pub table: String,
    /// Name.
    pub name: String,
    /// The netdev hook (0, ingress).
    pub hook: u32,
    /// Hook priority.
    pub priority: i32,
    /// The devices it serves.
    pub devices: Vec<String>,
    /// `NF_FLOWTABLE_*` flags.
    pub flags: u32,
}

pub(super) fn encode_add_obj<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    table: &str,
    name: &str,
    obj: &ObjSpec,
    comment: Option<&str>,
) -> Result<Request<'w>, EncodeError> {
    let new = NewObj {
        table,
        name,
        data: obj.borrow(),
        comment,
    };
    p::encode_new_obj(w, family, &new)
}

pub(super) fn encode_add_flowtable<'w>(
    w: &'w mut MsgWriter<'_>,
    family: NfProto,
    ft: &FlowtableSpec,
) -> Result<Request<'w>, EncodeError> {
    let devices: Vec<&str> = ft.devices.iter().map(String::as_str).collect();
    let new = NewFlowtable {
        table: &ft.table,
        name: &ft.name,
        hook: ft.hook,
        priority: ft.priority,
        devices: &devices,
        flags: ft.flags,
    };
    p::encode_new_flowtable(w, family, &new)
}

/// An object read back from the kernel: its message, decodable with
/// [`OwnedObj::obj`].
#[derive(Debug, Clone)]
pub struct OwnedObj {
    bytes: Vec<u8>,
}

impl OwnedObj {
    /// The decoded object (decoding cannot fail: it was checked when read).
    pub fn obj(&self) -> Obj<'_> {
        Msg::parse(&self.bytes)
            .ok()
            .and_then(|(m, _)| Obj::decode(&m).ok())
            .expect("checked when read")
    }
}

/// A flowtable read back from the kernel, decodable with
/// [`OwnedFlowtable::flowtable`].
#[derive(Debug, Clone)]
pub struct OwnedFlowtable {
    bytes: Vec<u8>,
}

impl OwnedFlowtable {
    /// The decoded flowtable (checked when read).
    pub fn flowtable(&self) -> Flowtable<'_> {
        Msg::parse(&self.bytes)
            .ok()
            .and_then(|(m, _)| Flowtable::decode(&m).ok())
            .expect("checked when read")
    }
}

/// A copy of message `m` as `emit` writes it back (the kernel's flags
/// dropped), checked to decode.
fn keep(
    m: &Msg<'_>,
    emit: impl FnOnce(&mut MsgWriter<'_>) -> Result<usize, EncodeError>,
) -> Result<Vec<u8>, DecodeError> {
    let mut buf = vec![0u8; m.payload().len() + 64];
    let mut w = MsgWriter::new(&mut buf);
    let len = emit(&mut w).map_err(|_| DecodeError::BadLength {
        what: "nf_tables object",
        len: m.payload().len(),
    })?;
    buf.truncate(len);
    Ok(buf)
}

/// One object of a dump, kept as its own message.
pub(crate) fn decode_obj(m: &Msg<'_>) -> Result<Option<OwnedObj>, DecodeError> {
    let obj = Obj::decode(m)?;
    let bytes = keep(m, |w| obj.emit(w, Flags::EMPTY).map(|b| b.len()))?;
    Ok(Some(OwnedObj { bytes }))
}

/// One flowtable of a dump, kept as its own message.
pub(crate) fn decode_flowtable(m: &Msg<'_>) -> Result<Option<OwnedFlowtable>, DecodeError> {
    let ft = Flowtable::decode(m)?;
    let bytes = keep(m, |w| ft.emit(w, Flags::EMPTY).map(|b| b.len()))?;
    Ok(Some(OwnedFlowtable { bytes }))
}

/// Read every stateful object of every table.
///
/// # Errors
///
/// I/O, kernel and decoding errors.
pub fn list_objs(conn: &mut Conn) -> Result<Vec<OwnedObj>, Error> {
    conn.dump_collect(|w| p::encode_dump_objs(w, NfProto::UNSPEC), decode_obj)
}

/// Read every flowtable of every table.
///
/// # Errors
///
/// I/O, kernel and decoding errors.
pub fn list_flowtables(conn: &mut Conn) -> Result<Vec<OwnedFlowtable>, Error> {
    conn.dump_collect(
        |w| p::encode_dump_flowtables(w, NfProto::UNSPEC),
        decode_flowtable,
    )
}
