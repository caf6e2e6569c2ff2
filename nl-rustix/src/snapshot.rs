//! The dumps a [`Snapshot`] is read with, as data: what to send and how to
//! keep each reply, for every driver (the blocking [`Conn::snapshot`] and
//! nl-mio's pipelined one issue the same requests and decode the same way).
//!
//! [`Conn::snapshot`]: crate::Conn::snapshot

use crate::link::decode_link;
use crate::monitor::Snapshot;
use crate::route::listed;
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{self, Address};
use nl_proto::route::link::{self, Link};
use nl_proto::route::neigh::{self, Neighbour};
use nl_proto::route::nexthop::{self, Nexthop, NexthopDump};
use nl_proto::route::route::{self as rt, Route};
use nl_proto::route::rule::{self, Rule};
use nl_proto::session::Request;
use nl_proto::tc::{self, DumpFilter, Handle, Object, Tc};
use nl_proto::wire::{Msg, MsgWriter};
use nl_proto::{DecodeError, EncodeError};

/// One dump of a [`Snapshot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotDump {
    /// Every link.
    Links,
    /// Every IPv4 and IPv6 address.
    Addresses,
    /// Every route of one family, in every table.
    Routes(AddrFamily),
    /// Every IPv4 and IPv6 neighbour.
    Neighbours,
    /// Every rule of one family.
    Rules(AddrFamily),
    /// Every nexthop object.
    Nexthops,
    /// Traffic control, for a reconcile pass with qdiscs (never in
    /// [`SnapshotDump::ALL`]: the kernel dumps classes and filters per
    /// link, so these follow the links' dump): every qdisc (`ifindex`
    /// 0), or one link's classes, or its filters under `parent`
    /// (`UNSPEC`: the root qdisc).
    Tc {
        /// Qdiscs, classes or filters.
        object: Object,
        /// The link (0: every link's qdiscs).
        ifindex: u32,
        /// A filter dump's parent.
        parent: Handle,
    },
}

/// One entry a [`SnapshotDump`] keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotEntry {
    /// A link (boxed: a link is far larger than the others).
    Link(Box<Link>),
    /// An address.
    Address(Address),
    /// A route.
    Route(Route),
    /// A neighbour.
    Neighbour(Neighbour),
    /// A rule.
    Rule(Rule),
    /// A nexthop object.
    Nexthop(Nexthop),
    /// A qdisc, class or filter (boxed: a u32 filter's keys are inline).
    Tc(Box<Tc>),
}

impl SnapshotDump {
    /// Every dump a [`Snapshot`] is made of; they are independent, so a
    /// pipelining driver may have all of them in flight at once.
    pub const ALL: [Self; 8] = [
        Self::Links,
        Self::Addresses,
        Self::Routes(AddrFamily::INET),
        Self::Routes(AddrFamily::INET6),
        Self::Neighbours,
        Self::Rules(AddrFamily::INET),
        Self::Rules(AddrFamily::INET6),
        Self::Nexthops,
    ];

    /// Whether `error`, this dump's answer, means the kernel lacks the
    /// objects altogether (nexthop objects before Linux 5.3:
    /// `EOPNOTSUPP`): that part of the snapshot is then empty, not a
    /// failed pass.
    pub fn is_unsupported(self, error: &crate::Error) -> bool {
        self == Self::Nexthops && error.errno() == Some(libc::EOPNOTSUPP)
    }

    /// Write the dump request.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`] when `w` has no room.
    pub fn encode<'w>(self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        match self {
            Self::Links => link::encode_dump(w),
            Self::Addresses => addr::encode_dump(w, AddrFamily::UNSPEC, None),
            Self::Routes(f) => rt::encode_dump(w, f, None),
            Self::Neighbours => neigh::encode_dump(w, AddrFamily::UNSPEC, None),
            Self::Rules(f) => rule::encode_dump(w, f),
            Self::Nexthops => nexthop::encode_dump(w, &NexthopDump::default()),
            Self::Tc {
                object,
                ifindex,
                parent,
            } => tc::encode_dump(
                w,
                object,
                &DumpFilter {
                    ifindex: i32::try_from(ifindex).unwrap_or(0),
                    parent,
                    ..DumpFilter::default()
                },
            ),
        }
    }

    /// Decode one reply of this dump: `None` for an entry a listing
    /// leaves out (families the codecs do not model, cached route clones),
    /// exactly as [`Conn`](crate::Conn)'s listings do.
    ///
    /// # Errors
    ///
    /// The entry does not decode.
    #[inline]
    pub fn decode(self, msg: &Msg<'_>) -> Result<Option<SnapshotEntry>, DecodeError> {
        Ok(match self {
            Self::Links => decode_link(msg)?.map(|l| SnapshotEntry::Link(Box::new(l))),
            Self::Addresses => Address::decode_ip(msg)?.map(SnapshotEntry::Address),
            Self::Routes(_) => listed(Route::decode(msg), |r| r, None)?.map(SnapshotEntry::Route),
            Self::Neighbours => Neighbour::decode_ip(msg)?.map(SnapshotEntry::Neighbour),
            Self::Rules(_) => Some(SnapshotEntry::Rule(Rule::decode(msg)?)),
            Self::Nexthops => Some(SnapshotEntry::Nexthop(Nexthop::decode(msg)?)),
            Self::Tc { object, .. } => {
                crate::tc::decode_tc(object)(msg)?.map(|t| SnapshotEntry::Tc(Box::new(t)))
            }
        })
    }
}

impl Snapshot {
    /// Add one decoded entry.
    pub fn push(&mut self, entry: SnapshotEntry) {
        match entry {
            SnapshotEntry::Link(l) => self.links.push(*l),
            SnapshotEntry::Address(a) => self.addresses.push(a),
            SnapshotEntry::Route(r) => self.routes.push(r),
            SnapshotEntry::Neighbour(n) => self.neighbours.push(n),
            SnapshotEntry::Rule(r) => self.rules.push(r),
            SnapshotEntry::Nexthop(n) => self.nexthops.push(n),
            SnapshotEntry::Tc(t) => self.tc.push(*t),
        }
    }
}
