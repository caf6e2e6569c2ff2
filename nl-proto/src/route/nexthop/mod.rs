//! Nexthop objects (Linux 5.3+): `RTM_NEWNEXTHOP` / `RTM_DELNEXTHOP` /
//! `RTM_GETNEXTHOP` (`include/uapi/linux/nexthop.h`). A nexthop is a
//! gateway and/or device (or a blackhole) with an id, or a group of such
//! ids with weights; routes use one with `RTA_NH_ID`
//! ([`NewRoute::nh_id`](super::route::NewRoute::nh_id)).
//!
//! Resilient groups ([`ResilientGroup`], [`GroupType`]) and their buckets
//! ([`NexthopBucket`], [`encode_bucket_dump`]) have a file of their own.
//!
//! ```text
//!  0        1       2          3        4            8
//! +--------+-------+----------+--------+------------+---------+
//! | family | scope | protocol | resvd  | flags u32  | NHA_*...|
//! +--------+-------+----------+--------+------------+---------+
//! ```

use core::net::IpAddr;

use zerocopy::byteorder::{NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::common::{request, split_object};
use super::encap::{ENCAP_MPLS, MplsEncap};
use super::route::RouteProtocol;
use super::{AddrFamily, RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_NEWNEXTHOP};
use crate::macros::open_enum;
use crate::route::addr::Scope;
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

mod resilient;

pub use resilient::{
    BucketDump, GroupType, NexthopBucket, ResBucketAttr, ResGroupAttr, ResilientGroup,
    encode_bucket_dump, encode_bucket_get,
};

/// The nexthop family header, `struct nhmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct NhMsg {
    /// `nh_family`: `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for a group.
    pub family: u8,
    /// `nh_scope`.
    pub scope: u8,
    /// `nh_protocol`.
    pub protocol: u8,
    /// `resvd`.
    pub resvd: u8,
    /// `nh_flags`: `RTNH_F_*`.
    pub flags: U32<NativeEndian>,
}

open_enum! {
    /// Nexthop attribute types (`NHA_*`).
    pub struct NexthopAttr(u16) {
        /// `NHA_ID`: u32 id.
        ID = 1,
        /// `NHA_GROUP`: array of `struct nexthop_grp`.
        GROUP = 2,
        /// `NHA_GROUP_TYPE`: u16 (`NEXTHOP_GRP_TYPE_*`).
        GROUP_TYPE = 3,
        /// `NHA_BLACKHOLE`: flag.
        BLACKHOLE = 4,
        /// `NHA_OIF`: u32 output interface.
        OIF = 5,
        /// `NHA_GATEWAY`: address of the nexthop's family.
        GATEWAY = 6,
        /// `NHA_ENCAP_TYPE`.
        ENCAP_TYPE = 7,
        /// `NHA_ENCAP`.
        ENCAP = 8,
        /// `NHA_GROUPS`: flag, dump only groups.
        GROUPS = 9,
        /// `NHA_MASTER`: u32, dump only nexthops on this master's ports.
        MASTER = 10,
        /// `NHA_FDB`: flag, a nexthop for the bridge FDB.
        FDB = 11,
        /// `NHA_RES_GROUP`: nest, a resilient group's parameters
        /// ([`ResilientGroup`]).
        RES_GROUP = 12,
        /// `NHA_RES_BUCKET`: nest, one bucket ([`NexthopBucket`]) or a
        /// bucket dump's filter.
        RES_BUCKET = 13,
        /// `NHA_OP_FLAGS`: u32, `NHA_OP_FLAG_*` — in requests, what to
        /// report (group statistics); in replies (Linux 6.12+), what the
        /// kernel honours ([`NHA_OP_FLAG_RESP_GRP_RESVD_0`]).
        OP_FLAGS = 14,
        /// `NHA_GROUP_STATS`: nest of `NHA_GROUP_STATS_ENTRY` (Linux 6.10+).
        GROUP_STATS = 15,
        /// `NHA_HW_STATS_ENABLE`: u32, hardware statistics on (Linux 6.10+).
        HW_STATS_ENABLE = 16,
        /// `NHA_HW_STATS_USED`: u32, a driver counts in hardware.
        HW_STATS_USED = 17,
    }
}

/// `NHA_OP_FLAG_DUMP_STATS` in a request's `NHA_OP_FLAGS`: report each
/// group's per-member packet counts (`NHA_GROUP_STATS`).
pub const NHA_OP_FLAG_DUMP_STATS: u32 = 1 << 0;
/// `NHA_OP_FLAG_DUMP_HW_STATS`: also the hardware counts.
pub const NHA_OP_FLAG_DUMP_HW_STATS: u32 = 1 << 1;
/// `NHA_OP_FLAG_RESP_GRP_RESVD_0` in a reply's `NHA_OP_FLAGS`: the kernel
/// reads `struct nexthop_grp`'s reserved bytes (the weight's high byte,
/// Linux 6.12+).
pub const NHA_OP_FLAG_RESP_GRP_RESVD_0: u32 = 1 << 31;

open_enum! {
    /// Attributes inside `NHA_GROUP_STATS` and its entries
    /// (`NHA_GROUP_STATS_ENTRY_*`; the outer nest holds only entries, type 1).
    pub struct GroupStatsAttr(u16) {
        /// `NHA_GROUP_STATS_ENTRY` (outer) / `NHA_GROUP_STATS_ENTRY_ID`
        /// (inner): the member's id, u32.
        ENTRY_ID = 1,
        /// `NHA_GROUP_STATS_ENTRY_PACKETS`: uint, packets through the member.
        PACKETS = 2,
        /// `NHA_GROUP_STATS_ENTRY_PACKETS_HW`: uint, of those in hardware.
        PACKETS_HW = 3,
    }
}

/// One member's counts in `NHA_GROUP_STATS` (asked for with
/// [`NHA_OP_FLAG_DUMP_STATS`]), read with [`group_stats`]: a view on the
/// message rather than a field of [`Nexthop`], which would grow by a
/// counter per possible member for a reply few ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupStats {
    /// `NHA_GROUP_STATS_ENTRY_ID`.
    pub id: u32,
    /// `NHA_GROUP_STATS_ENTRY_PACKETS`.
    pub packets: u64,
    /// `NHA_GROUP_STATS_ENTRY_PACKETS_HW` (with
    /// [`NHA_OP_FLAG_DUMP_HW_STATS`]).
    pub packets_hw: Option<u64>,
}

impl GroupStats {
    /// Decode one `NHA_GROUP_STATS_ENTRY` nest.
    ///
    /// # Errors
    ///
    /// A member of the wrong size.
    pub fn decode(entry: &crate::wire::Attr<'_>) -> Result<Self, DecodeError> {
        let mut s = Self::default();
        for a in entry.nested().map_while(Result::ok) {
            match GroupStatsAttr(a.kind()) {
                GroupStatsAttr::ENTRY_ID => s.id = a.u32()?,
                GroupStatsAttr::PACKETS => s.packets = uint(&a)?,
                GroupStatsAttr::PACKETS_HW => s.packets_hw = Some(uint(&a)?),
                _ => {}
            }
        }
        Ok(s)
    }
}

/// A `uint` attribute (`NLA_UINT`: 4 or 8 bytes).
fn uint(a: &crate::wire::Attr<'_>) -> Result<u64, DecodeError> {
    a.u64().or_else(|_| a.u32().map(u64::from))
}

/// The per-member counts of an `RTM_NEWNEXTHOP` group (`NHA_GROUP_STATS`,
/// sent when the request carried [`NHA_OP_FLAG_DUMP_STATS`]): nothing for
/// another message, a nexthop that is not a group, or a request without
/// the flag; a malformed entry ends the list.
pub fn group_stats<'a>(msg: &Msg<'a>) -> impl Iterator<Item = GroupStats> + 'a {
    let attrs = split_object::<NhMsg>(msg, [RTM_NEWNEXTHOP, RTM_DELNEXTHOP], "nhmsg")
        .ok()
        .map(|(_, attrs)| attrs);
    attrs
        .into_iter()
        .flat_map(|attrs| attrs.map_while(Result::ok))
        .filter(|a| a.kind() == NexthopAttr::GROUP_STATS.0)
        .flat_map(|a| a.nested().map_while(Result::ok))
        .map_while(|entry| GroupStats::decode(&entry).ok())
}

/// `RTNH_F_ONLINK` in `nh_flags`.
pub const NH_F_ONLINK: u32 = 0x4;

/// The most members a decoded group keeps ([`Nexthop::group`]).
pub const GROUP_MAX: usize = 32;

/// `struct nexthop_grp`: one member of `NHA_GROUP`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct NexthopGrp {
    id: U32<NativeEndian>,
    /// The weight minus one, low byte.
    weight: u8,
    /// The weight minus one, high byte (`resvd1` before Linux 6.12, which
    /// refuses it non-zero).
    weight_high: u8,
    resvd2: U16<NativeEndian>,
}

/// The largest group weight: `(weight_high << 8 | weight) + 1` with both
/// bytes 0xff (Linux 6.12+; older kernels take at most 256).
pub const GROUP_WEIGHT_MAX: u32 = 1 << 16;

/// One member of a nexthop group: `ID[,WEIGHT]` in `ip nexthop add id N
/// group 1/2,3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMember {
    /// The member nexthop's id.
    pub id: u32,
    /// Its weight, 1 to [`GROUP_WEIGHT_MAX`] (65,536). Above 256 it needs
    /// Linux 6.12+ (`weight_high`); iproute2 6.1 reads only the low byte.
    pub weight: u32,
}

/// A nexthop object as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nexthop {
    /// `nh_family` (`AF_UNSPEC` for a group).
    pub family: AddrFamily,
    /// `nh_scope`.
    pub scope: Scope,
    /// `nh_protocol`.
    pub protocol: RouteProtocol,
    /// `nh_flags` (`RTNH_F_*`, e.g. [`NH_F_ONLINK`]).
    pub flags: u32,
    /// `NHA_ID`.
    pub id: u32,
    /// `NHA_GATEWAY`.
    pub gateway: Option<IpAddr>,
    /// `NHA_OIF`.
    pub oif: Option<u32>,
    /// `NHA_BLACKHOLE`.
    pub blackhole: bool,
    /// `NHA_FDB`.
    pub fdb: bool,
    /// `NHA_GROUP`, at most [`GROUP_MAX`] members.
    pub group: heapless::Vec<GroupMember, GROUP_MAX>,
    /// The group had more than [`GROUP_MAX`] members.
    pub group_truncated: bool,
    /// `NHA_GROUP_TYPE`.
    pub group_type: Option<GroupType>,
    /// `NHA_RES_GROUP`: a resilient group's parameters.
    pub resilient: Option<ResilientGroup>,
    /// `NHA_ENCAP` of `NHA_ENCAP_TYPE` MPLS: the labels pushed.
    pub encap: Option<MplsEncap>,
    /// `NHA_OP_FLAGS` of a reply (e.g. [`NHA_OP_FLAG_RESP_GRP_RESVD_0`]).
    pub op_flags: Option<u32>,
    /// `NHA_HW_STATS_ENABLE`.
    pub hw_stats_enable: Option<bool>,
    /// `NHA_HW_STATS_USED`.
    pub hw_stats_used: Option<bool>,
}

impl Nexthop {
    /// Decode an `RTM_NEWNEXTHOP` (or `RTM_DELNEXTHOP`) message.
    ///
    /// # Errors
    ///
    /// A wrong message type, a short header, a missing `NHA_ID`, or a
    /// malformed `NHA_ID`, `NHA_GATEWAY`, `NHA_OIF` or `NHA_GROUP`.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<NhMsg>(msg, [RTM_NEWNEXTHOP, RTM_DELNEXTHOP], "nhmsg")?;
        let mut n = Self {
            family: AddrFamily(hdr.family),
            scope: Scope(hdr.scope),
            protocol: RouteProtocol(hdr.protocol),
            flags: hdr.flags.get(),
            id: 0,
            gateway: None,
            oif: None,
            blackhole: false,
            fdb: false,
            group: heapless::Vec::new(),
            group_truncated: false,
            group_type: None,
            resilient: None,
            encap: None,
            op_flags: None,
            hw_stats_enable: None,
            hw_stats_used: None,
        };
        let mut id = None;
        let (mut encap_type, mut encap) = (None, None);
        for attr in attrs.map_while(Result::ok) {
            match NexthopAttr(attr.kind()) {
                NexthopAttr::ID => id = Some(attr.u32()?),
                NexthopAttr::GATEWAY => n.gateway = Some(attr.ip()?),
                NexthopAttr::OIF => n.oif = Some(attr.u32()?),
                NexthopAttr::BLACKHOLE => n.blackhole = true,
                NexthopAttr::FDB => n.fdb = true,
                NexthopAttr::GROUP_TYPE => n.group_type = attr.u16().ok().map(GroupType),
                NexthopAttr::RES_GROUP => n.resilient = Some(ResilientGroup::decode(&attr)?),
                NexthopAttr::OP_FLAGS => n.op_flags = Some(attr.u32()?),
                NexthopAttr::HW_STATS_ENABLE => n.hw_stats_enable = Some(attr.u32()? != 0),
                NexthopAttr::HW_STATS_USED => n.hw_stats_used = Some(attr.u32()? != 0),
                NexthopAttr::ENCAP_TYPE => encap_type = attr.u16().ok(),
                NexthopAttr::ENCAP => encap = Some(attr),
                NexthopAttr::GROUP => {
                    let p = attr.payload();
                    let size = core::mem::size_of::<NexthopGrp>();
                    if p.len() % size != 0 {
                        return Err(DecodeError::OutOfRange {
                            what: "NHA_GROUP length",
                            value: p.len() as u64,
                        });
                    }
                    for chunk in p.chunks_exact(size) {
                        let Ok(g) = NexthopGrp::read_from_bytes(chunk) else {
                            continue;
                        };
                        let member = GroupMember {
                            id: g.id.get(),
                            weight: (u32::from(g.weight_high) << 8 | u32::from(g.weight)) + 1,
                        };
                        if n.group.push(member).is_err() {
                            n.group_truncated = true;
                        }
                    }
                }
                _ => {}
            }
        }
        if encap_type == Some(ENCAP_MPLS) {
            n.encap = encap.as_ref().and_then(MplsEncap::decode);
        }
        n.id = id.ok_or(DecodeError::MissingAttr {
            what: "nexthop",
            kind: NexthopAttr::ID.0,
        })?;
        Ok(n)
    }
}

/// A nexthop to add or replace with [`encode_new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNexthop<'a> {
    /// Its id (0 lets the kernel pick one).
    pub id: u32,
    /// `nh_family`: the gateway's, `AF_INET` for a device or blackhole
    /// (as iproute2), `AF_UNSPEC` for a group.
    pub family: AddrFamily,
    /// `NHA_GATEWAY`, of `family`.
    pub gateway: Option<IpAddr>,
    /// `NHA_OIF`.
    pub oif: Option<u32>,
    /// `NHA_BLACKHOLE`.
    pub blackhole: bool,
    /// `NHA_GROUP` (empty: not a group).
    pub group: &'a [GroupMember],
    /// `nh_protocol` (iproute2 sends `RTPROT_UNSPEC` unless told).
    pub protocol: RouteProtocol,
    /// `nh_flags` (`RTNH_F_*`, e.g. [`NH_F_ONLINK`]).
    pub flags: u32,
    /// `NHA_FDB`.
    pub fdb: bool,
    /// `encap mpls L1/L2…`: `NHA_ENCAP` and `NHA_ENCAP_TYPE`.
    pub encap: Option<MplsEncap>,
    /// `type mpath|resilient`: `NHA_GROUP_TYPE` (not sent when `None`:
    /// the kernel's default is multipath).
    pub group_type: Option<GroupType>,
    /// `type resilient [buckets N] [idle_timer S] [unbalanced_timer S]`:
    /// `NHA_RES_GROUP` (`Some` with nothing set: an empty nest, which
    /// iproute2 sends when words follow `resilient`).
    pub resilient: Option<ResilientGroup>,
}

impl NewNexthop<'_> {
    /// A nexthop `id` of `family` with nothing else set.
    pub fn new(id: u32, family: AddrFamily) -> Self {
        Self {
            id,
            family,
            gateway: None,
            oif: None,
            blackhole: false,
            group: &[],
            protocol: RouteProtocol::UNSPEC,
            flags: 0,
            fdb: false,
            encap: None,
            group_type: None,
            resilient: None,
        }
    }
}

pub(super) fn header(family: AddrFamily, protocol: RouteProtocol, flags: u32) -> NhMsg {
    NhMsg {
        family: family.0,
        scope: Scope::UNIVERSE.0,
        protocol: protocol.0,
        resvd: 0,
        flags: flags.into(),
    }
}

/// Add a nexthop (`NLM_F_CREATE | NLM_F_EXCL`, `EEXIST` if the id is
/// taken) or, with `replace`, add or replace it (`NLM_F_CREATE |
/// NLM_F_REPLACE`): `ip nexthop add|replace id N …`. Byte layout as
/// iproute2's: `NHA_ID` (when not 0), `NHA_ENCAP` and `NHA_ENCAP_TYPE`,
/// `NHA_GROUP`, `NHA_RES_GROUP`, `NHA_GROUP_TYPE`, `NHA_BLACKHOLE`,
/// `NHA_GATEWAY`, `NHA_OIF`, `NHA_FDB`.
///
/// ```
/// use nl_proto::route::AddrFamily;
/// use nl_proto::route::nexthop::{encode_new, GroupMember, NewNexthop};
/// use nl_proto::wire::MsgWriter;
/// let members = [GroupMember { id: 7, weight: 1 }, GroupMember { id: 8, weight: 3 }];
/// let req = NewNexthop { group: &members, ..NewNexthop::new(10, AddrFamily::UNSPEC) };
/// let mut buf = [0u8; 128];
/// let mut w = MsgWriter::new(&mut buf);
/// assert_eq!(encode_new(&mut w, &req, false)?.msg.len(), 52);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::Invalid`] for a group weight outside
/// 1–[`GROUP_WEIGHT_MAX`] (above 256 the high byte goes in `weight_high`,
/// which kernels before 6.12 refuse with `EINVAL`), more than
/// [`GROUP_MAX`] members, a gateway of another family than `family`, or
/// a [`ResilientGroup::unbalanced_time`] (the kernel's to report);
/// [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewNexthop<'_>,
    replace: bool,
) -> Result<Request<'w>, EncodeError> {
    if req
        .group
        .iter()
        .any(|m| !(1..=GROUP_WEIGHT_MAX).contains(&m.weight))
    {
        return Err(EncodeError::Invalid {
            what: "nexthop group weight outside 1-65536",
        });
    }
    if req
        .gateway
        .is_some_and(|g| AddrFamily::of(&g) != req.family)
    {
        return Err(EncodeError::Invalid {
            what: "nexthop gateway of another family than nh_family",
        });
    }
    let flags = Flags::REQUEST | Flags::CREATE | if replace { Flags::REPLACE } else { Flags::EXCL };
    request(w, RTM_NEWNEXTHOP, flags, Expect::Ack, |w| {
        w.put_fixed(&header(req.family, req.protocol, req.flags))?;
        if req.id != 0 {
            w.put_u32(NexthopAttr::ID.0, req.id)?;
        }
        if let Some(e) = &req.encap {
            e.put(w, NexthopAttr::ENCAP.0, NexthopAttr::ENCAP_TYPE.0)?;
        }
        if !req.group.is_empty() {
            put_group(w, req.group)?;
        }
        if let Some(r) = &req.resilient {
            r.put(w)?;
        }
        if let Some(t) = req.group_type {
            w.put_u16(NexthopAttr::GROUP_TYPE.0, t.0)?;
        }
        if req.blackhole {
            w.put_flag(NexthopAttr::BLACKHOLE.0)?;
        }
        if let Some(g) = req.gateway {
            w.put_ip(NexthopAttr::GATEWAY.0, g)?;
        }
        if let Some(o) = req.oif {
            w.put_u32(NexthopAttr::OIF.0, o)?;
        }
        if req.fdb {
            w.put_flag(NexthopAttr::FDB.0)?;
        }
        Ok(())
    })
}

/// `NHA_GROUP`: the members as `struct nexthop_grp`, weight minus one —
/// an array, not a nest of attributes, so no `NLA_F_NESTED` (as iproute2).
fn put_group(w: &mut MsgWriter<'_>, group: &[GroupMember]) -> Result<(), EncodeError> {
    let size = core::mem::size_of::<NexthopGrp>();
    let mut buf = [0u8; GROUP_MAX * 8];
    let bytes = buf
        .get_mut(..group.len().saturating_mul(size))
        .ok_or(EncodeError::Invalid {
            what: "nexthop group larger than GROUP_MAX",
        })?;
    for (m, out) in group.iter().zip(bytes.chunks_exact_mut(size)) {
        // Checked by `encode_new`: 1..=65536, so weight - 1 fits in 16 bits.
        let [weight, weight_high] = u16::try_from(m.weight.saturating_sub(1))
            .unwrap_or(u16::MAX)
            .to_le_bytes();
        let g = NexthopGrp {
            id: m.id.into(),
            weight,
            weight_high,
            resvd2: 0.into(),
        };
        out.copy_from_slice(g.as_bytes());
    }
    w.put(NexthopAttr::GROUP.0, bytes)
}

/// Delete nexthop `id`: `ip nexthop del id N` (`RTM_DELNEXTHOP`; routes
/// using it go too).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(w: &'w mut MsgWriter<'_>, id: u32) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_DELNEXTHOP, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header(AddrFamily::UNSPEC, RouteProtocol::UNSPEC, 0))?;
        w.put_u32(NexthopAttr::ID.0, id)
    })
}

/// Get nexthop `id`: `ip nexthop get id N`; the kernel answers with one
/// `RTM_NEWNEXTHOP` ([`Nexthop::decode`]).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get<'w>(w: &'w mut MsgWriter<'_>, id: u32) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETNEXTHOP, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&header(AddrFamily::UNSPEC, RouteProtocol::UNSPEC, 0))?;
        w.put_u32(NexthopAttr::ID.0, id)
    })
}

/// What a nexthop dump asks the kernel for (`ip nexthop show …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NexthopDump {
    /// `-4` / `-6`: only this family (`AF_UNSPEC` for all).
    pub family: AddrFamily,
    /// `dev NAME`: only nexthops out of this interface (`NHA_OIF`).
    pub oif: Option<u32>,
    /// `groups`: only groups (`NHA_GROUPS`).
    pub groups: bool,
    /// `master NAME`: only nexthops on this master's ports (`NHA_MASTER`).
    pub master: Option<u32>,
    /// `fdb`: only FDB nexthops (`NHA_FDB`).
    pub fdb: bool,
    /// `NHA_OP_FLAGS` (0: not sent), e.g. [`NHA_OP_FLAG_DUMP_STATS`] for
    /// [`group_stats`] (Linux 6.10+).
    pub op_flags: u32,
}

/// Dump nexthops: `RTM_GETNEXTHOP` with `NLM_F_DUMP`, the kernel filtering
/// on what `filter` sets.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    filter: &NexthopDump,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNEXTHOP,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&header(filter.family, RouteProtocol::UNSPEC, 0))?;
            if let Some(o) = filter.oif {
                w.put_u32(NexthopAttr::OIF.0, o)?;
            }
            if filter.groups {
                w.put_flag(NexthopAttr::GROUPS.0)?;
            }
            if let Some(m) = filter.master {
                w.put_u32(NexthopAttr::MASTER.0, m)?;
            }
            if filter.fdb {
                w.put_flag(NexthopAttr::FDB.0)?;
            }
            if filter.op_flags != 0 {
                w.put_u32(NexthopAttr::OP_FLAGS.0, filter.op_flags)?;
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests;
