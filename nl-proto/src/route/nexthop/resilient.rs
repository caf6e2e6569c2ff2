//! Resilient nexthop groups (Linux 5.13+): a group of type
//! [`GroupType::RESILIENT`] spreads its members over a fixed table of
//! buckets, and moves a bucket to another member only once it has been
//! idle for `idle_timer` (or the group has been unbalanced for
//! `unbalanced_timer`), so flows keep their path when members come and go.
//! The group's parameters travel in the nest `NHA_RES_GROUP`
//! ([`ResilientGroup`]); the buckets themselves are objects of their own,
//! listed with `RTM_GETNEXTHOPBUCKET` ([`NexthopBucket`]).
//!
//! Times are the kernel's `clock_t`: hundredths of a second
//! (`USER_HZ` = 100), as `ip nexthop` takes them in seconds times 100.

use super::{NexthopAttr, header};
use crate::macros::open_enum;
use crate::route::common::{request, split_object};
use crate::route::route::RouteProtocol;
use crate::route::{AddrFamily, RTM_DELNEXTHOPBUCKET, RTM_GETNEXTHOPBUCKET, RTM_NEWNEXTHOPBUCKET};
use crate::session::{Expect, Request};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

open_enum! {
    /// A nexthop group's type (`NHA_GROUP_TYPE`, `NEXTHOP_GRP_TYPE_*`).
    pub struct GroupType(u16) {
        /// `NEXTHOP_GRP_TYPE_MPATH`: hash-threshold multipath, the
        /// default (`type mpath`).
        MPATH = 0,
        /// `NEXTHOP_GRP_TYPE_RES`: resilient, with buckets (`type
        /// resilient`).
        RESILIENT = 1,
    }
}

impl GroupType {
    /// iproute2's word for the type (`mpath`, `resilient`).
    pub fn name_word(self) -> Option<&'static str> {
        match self {
            Self::MPATH => Some("mpath"),
            Self::RESILIENT => Some("resilient"),
            _ => None,
        }
    }
}

open_enum! {
    /// Attributes inside `NHA_RES_GROUP` (`NHA_RES_GROUP_*`).
    pub struct ResGroupAttr(u16) {
        /// `NHA_RES_GROUP_BUCKETS`: u16, the number of buckets.
        BUCKETS = 1,
        /// `NHA_RES_GROUP_IDLE_TIMER`: u32 `clock_t`.
        IDLE_TIMER = 2,
        /// `NHA_RES_GROUP_UNBALANCED_TIMER`: u32 `clock_t`.
        UNBALANCED_TIMER = 3,
        /// `NHA_RES_GROUP_UNBALANCED_TIME`: u64 `clock_t`, reported only.
        UNBALANCED_TIME = 4,
    }
}

open_enum! {
    /// Attributes inside `NHA_RES_BUCKET` (`NHA_RES_BUCKET_*`).
    pub struct ResBucketAttr(u16) {
        /// `NHA_RES_BUCKET_INDEX`: u16.
        INDEX = 1,
        /// `NHA_RES_BUCKET_IDLE_TIME`: u64 `clock_t`.
        IDLE_TIME = 2,
        /// `NHA_RES_BUCKET_NH_ID`: u32, the member the bucket points at.
        NH_ID = 3,
    }
}

/// A resilient group's parameters (`NHA_RES_GROUP`): what `type resilient
/// buckets N idle_timer S unbalanced_timer S` sets, and what the kernel
/// reports back. Each is sent only when set, as iproute2 does; the kernel
/// reports all four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResilientGroup {
    /// `NHA_RES_GROUP_BUCKETS`: the table size (the kernel requires it
    /// when a group is created).
    pub buckets: Option<u16>,
    /// `NHA_RES_GROUP_IDLE_TIMER`, in `clock_t` (1/100 s): how long a
    /// bucket must be idle before it may move.
    pub idle_timer: Option<u32>,
    /// `NHA_RES_GROUP_UNBALANCED_TIMER`, in `clock_t`: how long the group
    /// may stay unbalanced before busy buckets move too (0: never).
    pub unbalanced_timer: Option<u32>,
    /// `NHA_RES_GROUP_UNBALANCED_TIME`, in `clock_t`: how long the group
    /// has been unbalanced. Reported only; [`encode_new`](super::encode_new)
    /// refuses it.
    pub unbalanced_time: Option<u64>,
}

impl ResilientGroup {
    /// Decode the nest `NHA_RES_GROUP`.
    ///
    /// # Errors
    ///
    /// A member of the wrong size.
    pub fn decode(attr: &Attr<'_>) -> Result<Self, DecodeError> {
        let mut g = Self::default();
        for a in attr.nested().map_while(Result::ok) {
            match ResGroupAttr(a.kind()) {
                ResGroupAttr::BUCKETS => g.buckets = Some(a.u16()?),
                ResGroupAttr::IDLE_TIMER => g.idle_timer = Some(a.u32()?),
                ResGroupAttr::UNBALANCED_TIMER => g.unbalanced_timer = Some(a.u32()?),
                ResGroupAttr::UNBALANCED_TIME => g.unbalanced_time = Some(a.u64()?),
                _ => {}
            }
        }
        Ok(g)
    }

    /// Write the nest `NHA_RES_GROUP` (flagged nested, as iproute2),
    /// members in iproute2's order.
    pub(super) fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if self.unbalanced_time.is_some() {
            return Err(EncodeError::Invalid {
                what: "NHA_RES_GROUP_UNBALANCED_TIME is reported by the kernel, not set",
            });
        }
        w.nested(NexthopAttr::RES_GROUP.0, |w| {
            if let Some(b) = self.buckets {
                w.put_u16(ResGroupAttr::BUCKETS.0, b)?;
            }
            if let Some(t) = self.idle_timer {
                w.put_u32(ResGroupAttr::IDLE_TIMER.0, t)?;
            }
            if let Some(t) = self.unbalanced_timer {
                w.put_u32(ResGroupAttr::UNBALANCED_TIMER.0, t)?;
            }
            Ok(())
        })
    }
}

/// One bucket of a resilient group, as `RTM_NEWNEXTHOPBUCKET` reports it
/// (`ip nexthop bucket show`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NexthopBucket {
    /// `nh_family` of the header.
    pub family: AddrFamily,
    /// `nh_flags` (`RTNH_F_*`: `trap`, `offload` when a driver has it).
    pub flags: u32,
    /// `NHA_ID`: the group's id.
    pub id: u32,
    /// `NHA_RES_BUCKET_INDEX`.
    pub index: u16,
    /// `NHA_RES_BUCKET_IDLE_TIME`, in `clock_t` (1/100 s), if sent.
    pub idle_time: Option<u64>,
    /// `NHA_RES_BUCKET_NH_ID`: the member nexthop the bucket points at.
    pub nh_id: u32,
}

impl NexthopBucket {
    /// Decode an `RTM_NEWNEXTHOPBUCKET` (or `RTM_DELNEXTHOPBUCKET`).
    ///
    /// # Errors
    ///
    /// A wrong message type, a short header, a missing `NHA_ID` or
    /// `NHA_RES_BUCKET`, or a member of the wrong size.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<super::NhMsg>(
            msg,
            [RTM_NEWNEXTHOPBUCKET, RTM_DELNEXTHOPBUCKET],
            "nhmsg",
        )?;
        let mut b = Self {
            family: AddrFamily(hdr.family),
            flags: hdr.flags.get(),
            id: 0,
            index: 0,
            idle_time: None,
            nh_id: 0,
        };
        let (mut id, mut bucket) = (None, false);
        for attr in attrs.map_while(Result::ok) {
            match NexthopAttr(attr.kind()) {
                NexthopAttr::ID => id = Some(attr.u32()?),
                NexthopAttr::RES_BUCKET => {
                    bucket = true;
                    for a in attr.nested().map_while(Result::ok) {
                        match ResBucketAttr(a.kind()) {
                            ResBucketAttr::INDEX => b.index = a.u16()?,
                            ResBucketAttr::IDLE_TIME => b.idle_time = Some(a.u64()?),
                            ResBucketAttr::NH_ID => b.nh_id = a.u32()?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if !bucket {
            return Err(DecodeError::MissingAttr {
                what: "nexthop bucket",
                kind: NexthopAttr::RES_BUCKET.0,
            });
        }
        b.id = id.ok_or(DecodeError::MissingAttr {
            what: "nexthop bucket",
            kind: NexthopAttr::ID.0,
        })?;
        Ok(b)
    }
}

/// What a bucket dump asks for (`ip nexthop bucket show [id N] [nhid N]
/// [dev NAME] [master NAME]`); the kernel filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BucketDump {
    /// `-4` / `-6` (the kernel ignores it for buckets).
    pub family: AddrFamily,
    /// `id N`: only this group's buckets (`NHA_ID`; `EINVAL` "Not a
    /// nexthop group" for another nexthop).
    pub id: Option<u32>,
    /// `dev NAME`: only buckets whose member leaves by this device
    /// (`NHA_OIF`).
    pub oif: Option<u32>,
    /// `master NAME`: only buckets whose member's device is this master's
    /// port (`NHA_MASTER`).
    pub master: Option<u32>,
    /// `nhid N`: only buckets pointing at this member
    /// (`NHA_RES_BUCKET` { `NHA_RES_BUCKET_NH_ID` }).
    pub nh_id: Option<u32>,
}

/// Dump nexthop buckets: `RTM_GETNEXTHOPBUCKET` with `NLM_F_DUMP`, the
/// filter's attributes in iproute2's order (`NHA_OIF`, `NHA_MASTER`,
/// `NHA_ID`, `NHA_RES_BUCKET`).
///
/// ```
/// use nl_proto::route::nexthop::{encode_bucket_dump, BucketDump};
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// let req = encode_bucket_dump(&mut w, &BucketDump { id: Some(10), ..BucketDump::default() })?;
/// assert_eq!(req.msg.len(), 32);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_bucket_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    filter: &BucketDump,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNEXTHOPBUCKET,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&header(filter.family, RouteProtocol::UNSPEC, 0))?;
            if let Some(o) = filter.oif {
                w.put_u32(NexthopAttr::OIF.0, o)?;
            }
            if let Some(m) = filter.master {
                w.put_u32(NexthopAttr::MASTER.0, m)?;
            }
            if let Some(id) = filter.id {
                w.put_u32(NexthopAttr::ID.0, id)?;
            }
            if let Some(nh) = filter.nh_id {
                w.nested(NexthopAttr::RES_BUCKET.0, |w| {
                    w.put_u32(ResBucketAttr::NH_ID.0, nh)
                })?;
            }
            Ok(())
        },
    )
}

/// Get bucket `index` of group `id`: `ip nexthop bucket get id N index
/// I`; the kernel answers with one `RTM_NEWNEXTHOPBUCKET`
/// ([`NexthopBucket::decode`]), or `ERANGE` ("Bucket index out of bounds").
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_bucket_get<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
    id: u32,
    index: u16,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETNEXTHOPBUCKET, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header(family, RouteProtocol::UNSPEC, 0))?;
        w.put_u32(NexthopAttr::ID.0, id)?;
        w.nested(NexthopAttr::RES_BUCKET.0, |w| {
            w.put_u16(ResBucketAttr::INDEX.0, index)
        })
    })
}
