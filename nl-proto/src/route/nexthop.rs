//! Nexthop objects: `RTM_NEWNEXTHOP` / `RTM_DELNEXTHOP` / `RTM_GETNEXTHOP`
//! (`include/uapi/linux/nexthop.h`), as `ip nexthop` shows them.
//!
//! ```text
//!  0        1       2          3       4            8
//! +--------+-------+----------+-------+------------+---------+
//! | family | scope | protocol | resvd | flags u32  | NHA_*...|
//! +--------+-------+----------+-------+------------+---------+
//! ```
//!
//! A nexthop is either one path (a gateway and/or device, or a
//! blackhole) or a group of other nexthops by id with weights. Routes name
//! one with `RTA_NH_ID`.

use core::net::IpAddr;

use zerocopy::byteorder::{NativeEndian, U16, U32};
use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::common::{request, split_object};
use super::route::RouteProtocol;
use super::{AddrFamily, RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_NEWNEXTHOP};
use crate::macros::open_enum;
use crate::route::addr::Scope;
use crate::session::{Expect, Request};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// The nexthop family header, `struct nhmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct NhMsg {
    /// `nh_family`: `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for groups.
    pub family: u8,
    /// `nh_scope` (reported only).
    pub scope: u8,
    /// `nh_protocol`: who installed it.
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
        /// `NHA_GROUP_TYPE`: u16 [`GroupType`].
        GROUP_TYPE = 3,
        /// `NHA_BLACKHOLE`: flag.
        BLACKHOLE = 4,
        /// `NHA_OIF`: u32 output interface.
        OIF = 5,
        /// `NHA_GATEWAY`: IPv4 or IPv6 gateway.
        GATEWAY = 6,
        /// `NHA_ENCAP_TYPE`: u16 lightweight tunnel type.
        ENCAP_TYPE = 7,
        /// `NHA_ENCAP`: nested encapsulation.
        ENCAP = 8,
        /// `NHA_GROUPS`: flag, dump filter (groups only).
        GROUPS = 9,
        /// `NHA_MASTER`: u32, dump filter (nexthops under this master).
        MASTER = 10,
        /// `NHA_FDB`: flag, a bridge FDB nexthop.
        FDB = 11,
        /// `NHA_RES_GROUP`: nested resilient-group parameters.
        RES_GROUP = 12,
        /// `NHA_RES_BUCKET`: nested bucket.
        RES_BUCKET = 13,
    }
}

open_enum! {
    /// A nexthop group's type (`NEXTHOP_GRP_TYPE_*`).
    pub struct GroupType(u16) {
        /// `NEXTHOP_GRP_TYPE_MPATH`: hash-threshold multipath (the default).
        MPATH = 0,
        /// `NEXTHOP_GRP_TYPE_RES`: resilient.
        RES = 1,
    }
}

/// One entry of `NHA_GROUP`, `struct nexthop_grp`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct NexthopGrp {
    id: U32<NativeEndian>,
    weight: u8,
    /// `weight_high` since Linux 6.12, reserved (0) before.
    weight_high: u8,
    resvd2: U16<NativeEndian>,
}

/// A member of a nexthop group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMember {
    /// The member nexthop's id.
    pub id: u32,
    /// Its weight, 1 to 65536 (the wire carries weight minus one).
    pub weight: u32,
}

/// Group members kept in a decoded [`Nexthop`]; larger groups set
/// [`Nexthop::group_truncated`].
pub const GROUP_MAX: usize = 32;

/// A nexthop as the kernel reports it (`ip nexthop show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nexthop {
    /// `NHA_ID`.
    pub id: u32,
    /// `nh_family`.
    pub family: AddrFamily,
    /// `nh_scope`.
    pub scope: Scope,
    /// `nh_protocol`.
    pub protocol: RouteProtocol,
    /// `nh_flags` (`RTNH_F_*`: dead, onlink, linkdown, …).
    pub flags: u32,
    /// `NHA_OIF`.
    pub oif: Option<u32>,
    /// `NHA_GATEWAY`.
    pub gateway: Option<IpAddr>,
    /// `NHA_BLACKHOLE`.
    pub blackhole: bool,
    /// `NHA_FDB`.
    pub fdb: bool,
    /// `NHA_ENCAP_TYPE`, when encapsulated.
    pub encap_type: Option<u16>,
    /// `NHA_GROUP` members, in order (empty for a single nexthop).
    pub group: heapless::Vec<GroupMember, GROUP_MAX>,
    /// More than [`GROUP_MAX`] members were reported; the rest are not kept.
    pub group_truncated: bool,
    /// `NHA_GROUP_TYPE` (for groups).
    pub group_type: Option<GroupType>,
}

impl Nexthop {
    /// Whether this is a group of other nexthops.
    pub fn is_group(&self) -> bool {
        !self.group.is_empty() || self.group_truncated
    }

    /// Decode an `RTM_NEWNEXTHOP` (or `RTM_DELNEXTHOP`) message.
    ///
    /// One walk. `NHA_ID`, `NHA_OIF`, `NHA_GATEWAY` and `NHA_GROUP`
    /// identify the nexthop, so a malformed one fails the decode; a
    /// framing error ends the walk and keeps what came before; unknown
    /// attributes are ignored.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`] (short
    /// `nhmsg`), [`DecodeError::AttrSize`], [`DecodeError::BadLength`]
    /// (`NHA_GROUP` not a whole number of entries),
    /// [`DecodeError::MissingAttr`] without `NHA_ID`.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<NhMsg>(msg, [RTM_NEWNEXTHOP, RTM_DELNEXTHOP], "nhmsg")?;
        let mut id = None;
        let mut nh = Self {
            id: 0,
            family: AddrFamily(hdr.family),
            scope: Scope(hdr.scope),
            protocol: RouteProtocol(hdr.protocol),
            flags: hdr.flags.get(),
            oif: None,
            gateway: None,
            blackhole: false,
            fdb: false,
            encap_type: None,
            group: heapless::Vec::new(),
            group_truncated: false,
            group_type: None,
        };
        for attr in attrs.map_while(Result::ok) {
            match NexthopAttr(attr.kind()) {
                NexthopAttr::ID => id = Some(attr.u32()?),
                NexthopAttr::OIF => nh.oif = Some(attr.u32()?),
                NexthopAttr::GATEWAY => nh.gateway = Some(attr.ip()?),
                NexthopAttr::BLACKHOLE => nh.blackhole = true,
                NexthopAttr::FDB => nh.fdb = true,
                NexthopAttr::ENCAP_TYPE => nh.encap_type = attr.u16().ok(),
                NexthopAttr::GROUP_TYPE => nh.group_type = attr.u16().ok().map(GroupType),
                NexthopAttr::GROUP => decode_group(&attr, &mut nh)?,
                _ => {}
            }
        }
        nh.id = id.ok_or(DecodeError::MissingAttr {
            what: "nhmsg",
            kind: NexthopAttr::ID.0,
        })?;
        Ok(nh)
    }
}

fn decode_group(attr: &Attr<'_>, nh: &mut Nexthop) -> Result<(), DecodeError> {
    let bytes = attr.payload();
    let entries = <[NexthopGrp]>::ref_from_bytes(bytes).map_err(|_| DecodeError::BadLength {
        what: "NHA_GROUP",
        len: bytes.len(),
    })?;
    for e in entries {
        let weight = (u32::from(e.weight_high) << 8 | u32::from(e.weight)).saturating_add(1);
        let member = GroupMember {
            id: e.id.get(),
            weight,
        };
        if nh.group.push(member).is_err() {
            nh.group_truncated = true;
        }
    }
    Ok(())
}

/// Encode a dump of every nexthop of `family` (`AF_UNSPEC` for all):
/// `ip nexthop show`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNEXTHOP,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&NhMsg {
                family: family.0,
                ..NhMsg::new_zeroed()
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg};

    // `ip nexthop add id 7 via 10.1.0.3 dev v0` as the kernel announced it
    // on RTNLGRP_NEXTHOP (v0 = index 3).
    #[rustfmt::skip]
    const NEW_V4: [u8; 48] = [
        0x30, 0, 0, 0, 0x68, 0, 0x05, 0x06, 0x42, 0x7c, 0x0f, 0x6b, 0x80, 0x3b, 0, 0,
        // nhmsg: INET, scope link (253), proto 0, flags 0
        0x02, 0xfd, 0, 0, 0, 0, 0, 0,
        // NHA_ID 7
        0x08, 0, 0x01, 0, 0x07, 0, 0, 0,
        // NHA_OIF 3
        0x08, 0, 0x05, 0, 0x03, 0, 0, 0,
        // NHA_GATEWAY 10.1.0.3
        0x08, 0, 0x06, 0, 10, 1, 0, 3,
    ];

    #[test]
    fn decodes_a_gateway_nexthop() {
        let nh = Nexthop::decode(&msg(&NEW_V4)).unwrap();
        assert_eq!(nh.id, 7);
        assert_eq!(nh.family, AddrFamily::INET);
        assert_eq!(nh.scope, Scope::LINK);
        assert_eq!(nh.oif, Some(3));
        assert_eq!(nh.gateway, Some(IpAddr::from([10, 1, 0, 3])));
        assert!(!nh.blackhole && !nh.is_group());
    }

    #[test]
    fn decodes_a_group_with_weights() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWNEXTHOP, Flags::EMPTY).unwrap();
        w.put_fixed(&NhMsg::new_zeroed()).unwrap();
        w.put_u32(NexthopAttr::ID.0, 9).unwrap();
        // members 7 (weight 1) and 8 (weight 300 = 299 + 1: low 0x2b, high 1)
        let grp = [
            7u32.to_ne_bytes(),
            [0, 0, 0, 0],
            8u32.to_ne_bytes(),
            [0x2b, 1, 0, 0],
        ];
        w.put(NexthopAttr::GROUP.0, grp.as_flattened()).unwrap();
        let bytes = w.finish().unwrap();
        let nh = Nexthop::decode(&msg(bytes)).unwrap();
        assert_eq!(nh.id, 9);
        assert_eq!(
            nh.group.as_slice(),
            &[
                GroupMember { id: 7, weight: 1 },
                GroupMember { id: 8, weight: 300 }
            ]
        );
        assert!(nh.is_group());
    }

    #[test]
    fn rejects_a_ragged_group_and_a_missing_id() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWNEXTHOP, Flags::EMPTY).unwrap();
        w.put_fixed(&NhMsg::new_zeroed()).unwrap();
        w.put_u32(NexthopAttr::ID.0, 9).unwrap();
        w.put(NexthopAttr::GROUP.0, &[1, 2, 3, 4, 5, 6]).unwrap();
        let bytes = w.finish().unwrap();
        assert!(matches!(
            Nexthop::decode(&msg(bytes)),
            Err(DecodeError::BadLength {
                what: "NHA_GROUP",
                ..
            })
        ));

        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWNEXTHOP, Flags::EMPTY).unwrap();
        w.put_fixed(&NhMsg::new_zeroed()).unwrap();
        let bytes = w.finish().unwrap();
        assert!(matches!(
            Nexthop::decode(&msg(bytes)),
            Err(DecodeError::MissingAttr { what: "nhmsg", .. })
        ));
    }

    #[test]
    fn dump_request_is_a_bare_nhmsg() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_dump(&mut w, AddrFamily::UNSPEC).unwrap();
        assert_eq!(r.expect, Expect::Dump);
        assert_eq!(r.msg.len(), 24);
        assert_eq!(&r.msg[4..6], &106u16.to_ne_bytes());
    }

    #[test]
    fn never_panics_on_mutations() {
        hammer(&NEW_V4, |m| {
            let _ = Nexthop::decode(m);
        });
    }
}
