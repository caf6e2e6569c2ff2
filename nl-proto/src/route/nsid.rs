//! Network namespace ids: `RTM_NEWNSID` / `RTM_DELNSID` / `RTM_GETNSID`
//! (`include/uapi/linux/net_namespace.h`), as `ip netns set NAME auto|N`
//! and `ip netns list-id` use them.
//!
//! A namespace id is a number one namespace (the one the socket lives in)
//! gives another, named by an open file (`NETNSA_FD`, e.g.
//! `/run/netns/NAME`) or a process (`NETNSA_PID`). Link dumps name a
//! peer's namespace by it (`IFLA_LINK_NETNSID`).
//!
//! ```text
//! +--------+-----------+------------+
//! | family | pad (3)   | NETNSA_*   |
//! +--------+-----------+------------+
//! ```

use super::common::{request, split_object};
use super::{AddrFamily, RTM_DELNSID, RTM_GETNSID, RTM_NEWNSID};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `struct rtgenmsg` (one byte; padded to four on the wire).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    zerocopy::FromBytes,
    zerocopy::IntoBytes,
    zerocopy::KnownLayout,
    zerocopy::Immutable,
    zerocopy::Unaligned,
)]
#[repr(C)]
pub struct RtGenMsg {
    /// `rtgen_family` (`AF_UNSPEC` here).
    pub family: u8,
}

open_enum! {
    /// Namespace id attribute types (`NETNSA_*`).
    pub struct NsidAttr(u16) {
        /// `NETNSA_NSID`: s32, the id (`-1`: none assigned; in a request,
        /// let the kernel pick).
        NSID = 1,
        /// `NETNSA_PID`: u32, the namespace of this process.
        PID = 2,
        /// `NETNSA_FD`: u32, the namespace of this open file.
        FD = 3,
        /// `NETNSA_TARGET_NSID`: s32, answer as seen from the namespace with
        /// this id.
        TARGET_NSID = 4,
        /// `NETNSA_CURRENT_NSID`: s32, in replies to `TARGET_NSID`: the
        /// id in the asking namespace.
        CURRENT_NSID = 5,
    }
}

/// `NETNSA_NSID_NOT_ASSIGNED`: no id (in a request: the kernel picks one).
pub const NSID_NOT_ASSIGNED: i32 = -1;

/// Which namespace a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsRef {
    /// `NETNSA_FD`: the namespace of an open file descriptor.
    Fd(u32),
    /// `NETNSA_PID`: the namespace of a process.
    Pid(u32),
}

/// A namespace id as the kernel reports it (a dump entry, a `get` answer,
/// or a notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nsid {
    /// `NETNSA_NSID`: the id, or [`NSID_NOT_ASSIGNED`].
    pub nsid: i32,
    /// `NETNSA_CURRENT_NSID` (answers to a `target-nsid` query).
    pub current: Option<i32>,
    /// An `RTM_DELNSID` (the id was released).
    pub deleted: bool,
}

impl Nsid {
    /// Decode an `RTM_NEWNSID` or `RTM_DELNSID` message.
    ///
    /// # Errors
    ///
    /// A wrong message type, a short header, a missing or malformed
    /// `NETNSA_NSID`.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split_object::<RtGenMsg>(msg, [RTM_NEWNSID, RTM_DELNSID], "rtgenmsg")?;
        let mut nsid = None;
        let mut current = None;
        for attr in attrs.map_while(Result::ok) {
            match NsidAttr(attr.kind()) {
                NsidAttr::NSID => nsid = Some(attr.i32()?),
                NsidAttr::CURRENT_NSID => current = attr.i32().ok(),
                _ => {}
            }
        }
        Ok(Self {
            nsid: nsid.ok_or(DecodeError::MissingAttr {
                what: "nsid",
                kind: NsidAttr::NSID.0,
            })?,
            current,
            deleted: msg.msg_type() == RTM_DELNSID,
        })
    }
}

fn header() -> RtGenMsg {
    RtGenMsg {
        family: AddrFamily::UNSPEC.0,
    }
}

fn put_ns(w: &mut MsgWriter<'_>, ns: NsRef) -> Result<(), EncodeError> {
    match ns {
        NsRef::Fd(fd) => w.put_u32(NsidAttr::FD.0, fd),
        NsRef::Pid(pid) => w.put_u32(NsidAttr::PID.0, pid),
    }
}

/// Give namespace `ns` the id `nsid` ([`NSID_NOT_ASSIGNED`]: the kernel
/// picks one): `ip netns set NAME N|auto`. Byte layout as iproute2's:
/// `NETNSA_FD`, then `NETNSA_NSID`. The kernel refuses with `EEXIST` when
/// `ns` has an id already or `nsid` is taken.
///
/// ```
/// use nl_proto::route::nsid::{encode_set, NsRef};
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// assert_eq!(encode_set(&mut w, NsRef::Fd(6), 5)?.msg.len(), 36);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_set<'w>(
    w: &'w mut MsgWriter<'_>,
    ns: NsRef,
    nsid: i32,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_NEWNSID, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header())?;
        put_ns(w, ns)?;
        w.put_i32(NsidAttr::NSID.0, nsid)
    })
}

/// The id this namespace gives `ns` (`ip netns list` shows it as `(id:
/// N)`); the kernel answers with one `RTM_NEWNSID` ([`Nsid::decode`]),
/// [`NSID_NOT_ASSIGNED`] when there is none.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get<'w>(w: &'w mut MsgWriter<'_>, ns: NsRef) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETNSID, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header())?;
        put_ns(w, ns)
    })
}

/// Whether id `nsid` is in use, and as seen from the namespace with id
/// `target` when given: `ip netns list-id nsid N [target-nsid T]`. The
/// kernel answers with one `RTM_NEWNSID`, or `ENOENT`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get_by_id<'w>(
    w: &'w mut MsgWriter<'_>,
    nsid: i32,
    target: Option<i32>,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETNSID, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header())?;
        w.put_i32(NsidAttr::NSID.0, nsid)?;
        if let Some(t) = target {
            w.put_i32(NsidAttr::TARGET_NSID.0, t)?;
        }
        Ok(())
    })
}

/// Dump the ids this namespace (or, with `target`, the namespace with that
/// id) gives others: `ip netns list-id [target-nsid T]`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    target: Option<i32>,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNSID,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&header())?;
            if let Some(t) = target {
                w.put_i32(NsidAttr::TARGET_NSID.0, t)?;
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg, with_ack};

    /// `ip netns set capx 5` (iproute2 6.1, nl-capture --normalize): the
    /// namespace file open as fd 6.
    const SET_5: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, 0x58, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x08, 0x00,
        0x01, 0x00, 0x05, 0x00, 0x00, 0x00,
    ];

    /// `ip netns list-id`'s request (iproute2 6.1).
    const DUMP: [u8; 20] = [
        0x14, 0x00, 0x00, 0x00, 0x5a, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// The kernel's answer to it (Linux 6.18): one namespace with id 7.
    const DUMP_REPLY: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, 0x58, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn golden_requests_match_iproute2() {
        let mut buf = [0u8; 64];
        let bytes = with_ack(&mut buf, |w| {
            let _ = encode_set(w, NsRef::Fd(6), 5).unwrap();
        });
        assert_eq!(bytes, SET_5);
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let n = encode_dump(&mut w, None).unwrap().msg.len();
        assert_eq!(&buf[..n], DUMP);
    }

    #[test]
    fn decodes_the_kernels_dump_entry() {
        let n = Nsid::decode(&msg(&DUMP_REPLY)).unwrap();
        assert_eq!(
            n,
            Nsid {
                nsid: 7,
                current: None,
                deleted: false
            }
        );
    }

    #[test]
    fn get_by_id_carries_the_target() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let m = encode_get_by_id(&mut w, 3, Some(9)).unwrap().msg;
        // header, rtgenmsg, NSID 3, TARGET_NSID 9.
        assert_eq!(m.len(), 36);
        assert_eq!(&m[20..28], [8, 0, 1, 0, 3, 0, 0, 0]);
        assert_eq!(&m[28..36], [8, 0, 4, 0, 9, 0, 0, 0]);
    }

    #[test]
    fn refuses_bad_replies_and_survives_mutations() {
        // No NETNSA_NSID.
        let mut short = DUMP_REPLY;
        short[0] = 20;
        assert!(Nsid::decode(&msg(&short[..20])).is_err());
        hammer(&DUMP_REPLY, |m| {
            let _ = Nsid::decode(m);
        });
    }
}
