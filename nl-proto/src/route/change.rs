//! Typed change notifications: what the kernel announces on the rtnetlink
//! multicast groups ([`Group`](super::Group)), decoded into the same
//! values a dump returns.
//!
//! A monitor joins groups, and the kernel sends one `RTM_NEW*` or
//! `RTM_DEL*` message per change. [`Change::decode`] sends each through
//! the object's own decoder ([`Link::decode`], [`Address::decode`],
//! [`Route::decode`], [`Neighbour::decode`], [`Rule::decode`],
//! [`Nexthop::decode`]), so the value announced equals the value a dump
//! of the same object returns; traffic-control messages are
//! [`Change::Tc`], their identity (the object decodes from the same
//! message). Every other message (netconf, nsid,
//! multicast addresses, families these codecs do not
//! model such as MPLS routes) is [`Change::Other`], with the message, for
//! the caller to decode or ignore: an unknown type is never an error.
//!
//! Nothing here allocates; the values own their data (bounded strings and
//! vectors), and only [`Change::Other`] borrows the datagram.
//!
//! Multicast is lossy: when the kernel cannot queue a notification it
//! drops it and the socket reports `ENOBUFS`. A consumer then re-lists
//! (dumps) what it tracks; notifications are hints, a dump is the truth.
//!
//! ```
//! use nl_proto::route::change::Change;
//! use nl_proto::wire::{Flags, Msg, MsgWriter};
//! use nl_proto::route::link::{IfFlags, IfInfoMsg};
//! use nl_proto::route::{AddrFamily, RTM_DELLINK};
//!
//! // What the kernel announces when `v0` (index 3) is deleted, cut down.
//! let mut buf = [0u8; 64];
//! let mut w = MsgWriter::new(&mut buf);
//! w.begin(RTM_DELLINK, Flags::EMPTY)?;
//! w.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, 3, IfFlags(0), IfFlags(0)))?;
//! w.put_str(3, "v0")?; // IFLA_IFNAME
//! let (msg, _) = Msg::parse(w.finish()?)?;
//!
//! match Change::decode(&msg)? {
//!     Change::DelLink(link) => assert_eq!((link.index, link.name.as_str()), (3, "v0")),
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use super::addr::Address;
use super::link::{IfInfoMsg, Link};
use super::neigh::Neighbour;
use super::nexthop::Nexthop;
use super::route::Route;
use super::rule::Rule;
use super::{
    AddrFamily, RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELNEXTHOP, RTM_DELROUTE, RTM_DELRULE,
    RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE,
};
use crate::DecodeError;
use crate::macros::open_enum;
use crate::wire::{Msg, MsgType};

/// `RTNL_FAMILY_IPMR`: IPv4 multicast routing.
const RTNL_FAMILY_IPMR: u8 = 128;
/// `RTNL_FAMILY_IP6MR`: IPv6 multicast routing.
const RTNL_FAMILY_IP6MR: u8 = 129;

/// One change the kernel announced, decoded. See the module doc.
///
/// `New*` is also sent for an update of an existing object (a link going
/// up, a neighbour changing state, a replaced route): the value is the
/// object as it is now. `Del*` carries the object as it was.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Change<'b> {
    /// `RTM_NEWLINK`: a link appeared or changed.
    NewLink(Link),
    /// `RTM_DELLINK`: a link was deleted.
    DelLink(Link),
    /// `RTM_NEWADDR` (IPv4 or IPv6): an address was added or changed.
    NewAddress(Address),
    /// `RTM_DELADDR`: an address was removed.
    DelAddress(Address),
    /// `RTM_NEWROUTE` (IPv4, IPv6, multicast tables).
    NewRoute(Route),
    /// `RTM_DELROUTE`.
    DelRoute(Route),
    /// `RTM_NEWNEIGH`: a neighbour (or bridge FDB) entry appeared or
    /// changed state.
    NewNeighbour(Neighbour),
    /// `RTM_DELNEIGH`.
    DelNeighbour(Neighbour),
    /// `RTM_NEWRULE`.
    NewRule(Rule),
    /// `RTM_DELRULE`.
    DelRule(Rule),
    /// `RTM_NEWNEXTHOP`.
    NewNexthop(Nexthop),
    /// `RTM_DELNEXTHOP`.
    DelNexthop(Nexthop),
    /// A traffic-control object changed (`RTM_{NEW,DEL}{QDISC,TCLASS,
    /// TFILTER,CHAIN,ACTION}`): its identity; the whole object decodes
    /// from the same message ([`crate::tc::Tc::decode`]).
    Tc(crate::tc::notice::TcNotice),
    /// Any other message: a type or family these codecs do not model.
    Other {
        /// The message, borrowed from the datagram.
        msg: Msg<'b>,
    },
}

impl<'b> Change<'b> {
    /// Decode a notification through the object's decoder.
    ///
    /// Messages of other types, and address, route and rule messages of
    /// families the typed values cannot carry (anything but IPv4 and IPv6,
    /// plus the multicast routing families for routes and rules), are
    /// [`Change::Other`].
    ///
    /// # Errors
    ///
    /// The object decoder's error, when a message of a modelled type is
    /// malformed (the kernel does not send such messages).
    pub fn decode(msg: &Msg<'b>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        let other = || Ok(Self::Other { msg: *msg });
        Ok(match ty {
            RTM_NEWLINK => Self::NewLink(Link::decode(msg)?),
            RTM_DELLINK => Self::DelLink(Link::decode(msg)?),
            RTM_NEWADDR | RTM_DELADDR => {
                if !is_ip(family(msg)) {
                    return other();
                }
                let a = Address::decode(msg)?;
                if ty == RTM_NEWADDR {
                    Self::NewAddress(a)
                } else {
                    Self::DelAddress(a)
                }
            }
            RTM_NEWROUTE | RTM_DELROUTE => {
                if !is_ip_or_mr(family(msg)) {
                    return other();
                }
                let r = Route::decode(msg)?;
                if ty == RTM_NEWROUTE {
                    Self::NewRoute(r)
                } else {
                    Self::DelRoute(r)
                }
            }
            RTM_NEWNEIGH => Self::NewNeighbour(Neighbour::decode(msg)?),
            RTM_DELNEIGH => Self::DelNeighbour(Neighbour::decode(msg)?),
            RTM_NEWRULE | RTM_DELRULE => {
                if !is_ip_or_mr(family(msg)) {
                    return other();
                }
                let r = Rule::decode(msg)?;
                if ty == RTM_NEWRULE {
                    Self::NewRule(r)
                } else {
                    Self::DelRule(r)
                }
            }
            RTM_NEWNEXTHOP => Self::NewNexthop(Nexthop::decode(msg)?),
            RTM_DELNEXTHOP => Self::DelNexthop(Nexthop::decode(msg)?),
            _ => match crate::tc::notice::TcNotice::decode(msg)? {
                Some(n) => Self::Tc(n),
                None => return other(),
            },
        })
    }

    /// Whether this announces a deletion (`RTM_DEL*`).
    pub fn is_deletion(&self) -> bool {
        match self {
            Self::DelLink(_)
            | Self::DelAddress(_)
            | Self::DelRoute(_)
            | Self::DelNeighbour(_)
            | Self::DelRule(_)
            | Self::DelNexthop(_) => true,
            Self::Tc(n) => n.deleted,
            Self::NewLink(_)
            | Self::NewAddress(_)
            | Self::NewRoute(_)
            | Self::NewNeighbour(_)
            | Self::NewRule(_)
            | Self::NewNexthop(_) => false,
            // RTM_DEL* types are odd numbers from RTM_BASE (16) on, in
            // every rtnetlink object family.
            Self::Other { msg } => {
                let t = msg.msg_type().0;
                t >= 16 && t % 4 == 1
            }
        }
    }

    /// This change without its borrow of the datagram: `Ok` for a typed
    /// change (whose values own their data), `Err` with the message for
    /// [`Change::Other`].
    ///
    /// # Errors
    ///
    /// `Err(msg)` for [`Change::Other`].
    pub fn into_static(self) -> Result<Change<'static>, Msg<'b>> {
        Ok(match self {
            Self::NewLink(v) => Change::NewLink(v),
            Self::DelLink(v) => Change::DelLink(v),
            Self::NewAddress(v) => Change::NewAddress(v),
            Self::DelAddress(v) => Change::DelAddress(v),
            Self::NewRoute(v) => Change::NewRoute(v),
            Self::DelRoute(v) => Change::DelRoute(v),
            Self::NewNeighbour(v) => Change::NewNeighbour(v),
            Self::DelNeighbour(v) => Change::DelNeighbour(v),
            Self::NewRule(v) => Change::NewRule(v),
            Self::DelRule(v) => Change::DelRule(v),
            Self::NewNexthop(v) => Change::NewNexthop(v),
            Self::DelNexthop(v) => Change::DelNexthop(v),
            Self::Tc(v) => Change::Tc(v),
            Self::Other { msg } => return Err(msg),
        })
    }

    /// The message type this change was announced with.
    pub fn msg_type(&self) -> MsgType {
        match self {
            Self::NewLink(_) => RTM_NEWLINK,
            Self::DelLink(_) => RTM_DELLINK,
            Self::NewAddress(_) => RTM_NEWADDR,
            Self::DelAddress(_) => RTM_DELADDR,
            Self::NewRoute(_) => RTM_NEWROUTE,
            Self::DelRoute(_) => RTM_DELROUTE,
            Self::NewNeighbour(_) => RTM_NEWNEIGH,
            Self::DelNeighbour(_) => RTM_DELNEIGH,
            Self::NewRule(_) => RTM_NEWRULE,
            Self::DelRule(_) => RTM_DELRULE,
            Self::NewNexthop(_) => RTM_NEWNEXTHOP,
            Self::DelNexthop(_) => RTM_DELNEXTHOP,
            Self::Tc(n) => n.msg_type,
            Self::Other { msg } => msg.msg_type(),
        }
    }
}

open_enum! {
    /// Why the kernel announced an unchanged link (`IFLA_EVENT`,
    /// `IFLA_EVENT_*`): `ip monitor` prints it as `event NAME`.
    pub struct LinkEvent(u32) {
        /// `IFLA_EVENT_NONE`.
        NONE = 0,
        /// `IFLA_EVENT_REBOOT`.
        REBOOT = 1,
        /// `IFLA_EVENT_FEATURES`: offload features changed.
        FEATURES = 2,
        /// `IFLA_EVENT_BONDING_FAILOVER`.
        BONDING_FAILOVER = 3,
        /// `IFLA_EVENT_NOTIFY_PEERS`.
        NOTIFY_PEERS = 4,
        /// `IFLA_EVENT_IGMP_RESEND`.
        IGMP_RESEND = 5,
        /// `IFLA_EVENT_BONDING_OPTIONS`.
        BONDING_OPTIONS = 6,
    }
}

impl LinkEvent {
    /// `IFLA_EVENT` (44).
    const ATTR: u16 = 44;

    /// The event an `RTM_NEWLINK` notification carries, if any (`None`
    /// for other messages, and for `IFLA_EVENT_NONE`).
    pub fn of(msg: &Msg<'_>) -> Option<Self> {
        if msg.msg_type() != RTM_NEWLINK {
            return None;
        }
        let (_, attrs) = msg.split::<IfInfoMsg>("ifinfomsg").ok()?;
        let attr = attrs
            .map_while(Result::ok)
            .find(|a| a.kind() == Self::ATTR)?;
        Some(Self(attr.u32().ok()?)).filter(|e| *e != Self::NONE)
    }

    /// iproute2's words for it (`FEATURE CHANGE`, …).
    pub fn ip_name(self) -> Option<&'static str> {
        Some(match self {
            Self::REBOOT => "REBOOT",
            Self::FEATURES => "FEATURE CHANGE",
            Self::BONDING_FAILOVER => "BONDING FAILOVER",
            Self::NOTIFY_PEERS => "NOTIFY PEERS",
            Self::IGMP_RESEND => "RESEND IGMP",
            Self::BONDING_OPTIONS => "BONDING OPTION",
            _ => return None,
        })
    }
}

/// Equal when both announce the same change of equal values; two
/// [`Change::Other`]s are equal when their headers and payloads are.
impl PartialEq for Change<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::NewLink(a), Self::NewLink(b)) | (Self::DelLink(a), Self::DelLink(b)) => a == b,
            (Self::NewAddress(a), Self::NewAddress(b))
            | (Self::DelAddress(a), Self::DelAddress(b)) => a == b,
            (Self::NewRoute(a), Self::NewRoute(b)) | (Self::DelRoute(a), Self::DelRoute(b)) => {
                a == b
            }
            (Self::NewNeighbour(a), Self::NewNeighbour(b))
            | (Self::DelNeighbour(a), Self::DelNeighbour(b)) => a == b,
            (Self::NewRule(a), Self::NewRule(b)) | (Self::DelRule(a), Self::DelRule(b)) => a == b,
            (Self::NewNexthop(a), Self::NewNexthop(b))
            | (Self::DelNexthop(a), Self::DelNexthop(b)) => a == b,
            (Self::Other { msg: a }, Self::Other { msg: b }) => {
                a.header() == b.header() && a.payload() == b.payload()
            }
            _ => false,
        }
    }
}

/// The family byte, the first of every rtnetlink family header; `None`
/// for an empty payload (the object decoder then reports it).
fn family(msg: &Msg<'_>) -> Option<u8> {
    msg.payload().first().copied()
}

fn is_ip(family: Option<u8>) -> bool {
    family.is_none_or(|f| matches!(AddrFamily(f), AddrFamily::INET | AddrFamily::INET6))
}

fn is_ip_or_mr(family: Option<u8>) -> bool {
    is_ip(family) || matches!(family, Some(RTNL_FAMILY_IPMR | RTNL_FAMILY_IP6MR))
}

#[cfg(test)]
mod tests;
