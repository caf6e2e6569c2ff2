//! Neighbours (ARP / NDP / FDB entries): `RTM_NEWNEIGH` / `RTM_DELNEIGH` /
//! `RTM_GETNEIGH` (`include/uapi/linux/neighbour.h`).
//!
//! ```text
//!  0        1      2        4              8       10      11     12
//! +--------+------+--------+--------------+-------+-------+------+---------+
//! | family | pad1 | pad2   | ifindex i32  | state | flags | type | NDA_*...|
//! +--------+------+--------+--------------+-------+-------+------+---------+
//! ```

use core::net::IpAddr;

use zerocopy::byteorder::{I32, NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::common::{bit_flags, request, split_object};
use super::route::RouteType;
use super::{AddrFamily, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::values::Mac;
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// The neighbour family header, `struct ndmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct NdMsg {
    /// `ndm_family`: `AF_INET`, `AF_INET6` or `AF_BRIDGE` (FDB).
    pub family: u8,
    /// `ndm_pad1`.
    pub pad1: u8,
    /// `ndm_pad2`.
    pub pad2: U16<NativeEndian>,
    /// `ndm_ifindex`.
    pub ifindex: I32<NativeEndian>,
    /// `ndm_state`: [`NudState`].
    pub state: U16<NativeEndian>,
    /// `ndm_flags`: [`NeighFlags`].
    pub flags: u8,
    /// `ndm_type`: a [`RouteType`] (`RTN_UNICAST`, `RTN_MULTICAST`, ...).
    pub kind: u8,
}

open_enum! {
    /// Neighbour attribute types (`NDA_*`).
    pub struct NeighAttr(u16) {
        /// `NDA_DST`: the network-layer address.
        DST = 1,
        /// `NDA_LLADDR`: the link-layer address.
        LLADDR = 2,
        /// `NDA_CACHEINFO`: `struct nda_cacheinfo`.
        CACHEINFO = 3,
        /// `NDA_PROBES`: u32 probes sent.
        PROBES = 4,
        /// `NDA_VLAN`: u16 (FDB).
        VLAN = 5,
        /// `NDA_PORT`: be16 (VXLAN FDB).
        PORT = 6,
        /// `NDA_VNI`: u32 (VXLAN FDB).
        VNI = 7,
        /// `NDA_IFINDEX`: u32, also the dump filter.
        IFINDEX = 8,
        /// `NDA_MASTER`: u32 master (bridge/VRF) index, also a dump filter.
        MASTER = 9,
        /// `NDA_LINK_NETNSID`.
        LINK_NETNSID = 10,
        /// `NDA_SRC_VNI`.
        SRC_VNI = 11,
        /// `NDA_PROTOCOL`: u8 originator of the entry.
        PROTOCOL = 12,
        /// `NDA_NH_ID`.
        NH_ID = 13,
        /// `NDA_FDB_EXT_ATTRS`.
        FDB_EXT_ATTRS = 14,
        /// `NDA_FLAGS_EXT`: u32 extended flags.
        FLAGS_EXT = 15,
        /// `NDA_NDM_STATE_MASK`: u16, a bulk delete's state filter.
        NDM_STATE_MASK = 16,
        /// `NDA_NDM_FLAGS_MASK`: u8, a bulk delete's flags filter.
        NDM_FLAGS_MASK = 17,
    }
}

/// `NTF_EXT_MANAGED` in [`Neighbour::flags_ext`]: the kernel keeps the
/// entry resolved (`ip neigh add … managed`).
pub const NTF_EXT_MANAGED: u32 = 1 << 0;
/// `NTF_EXT_LOCKED`: a locked bridge port learned it.
pub const NTF_EXT_LOCKED: u32 = 1 << 1;
/// `NFEA_ACTIVITY_NOTIFY` inside `NDA_FDB_EXT_ATTRS`.
const NFEA_ACTIVITY_NOTIFY: u16 = 1;

bit_flags! {
    /// Neighbour states (`ndm_state`, `NUD_*`), named as `ip -j neigh`
    /// prints them (`"state": ["PERMANENT"]`). `NONE` names the empty set.
    pub struct NudState(u16) {
        /// `NUD_NONE`.
        NONE = 0x00 => "NONE",
        /// `NUD_INCOMPLETE`: resolution in progress.
        INCOMPLETE = 0x01 => "INCOMPLETE",
        /// `NUD_REACHABLE`: confirmed reachable.
        REACHABLE = 0x02 => "REACHABLE",
        /// `NUD_STALE`.
        STALE = 0x04 => "STALE",
        /// `NUD_DELAY`.
        DELAY = 0x08 => "DELAY",
        /// `NUD_PROBE`.
        PROBE = 0x10 => "PROBE",
        /// `NUD_FAILED`.
        FAILED = 0x20 => "FAILED",
        /// `NUD_NOARP`: no resolution needed.
        NOARP = 0x40 => "NOARP",
        /// `NUD_PERMANENT`: static entry.
        PERMANENT = 0x80 => "PERMANENT",
    }
}

bit_flags! {
    /// Neighbour flags (`ndm_flags`, `NTF_*`), with iproute2's names.
    pub struct NeighFlags(u8) {
        /// `NTF_USE`.
        USE = 0x01 => "use",
        /// `NTF_SELF`.
        SELF = 0x02 => "self",
        /// `NTF_MASTER`.
        MASTER = 0x04 => "master",
        /// `NTF_PROXY`: a proxy ARP/ND entry.
        PROXY = 0x08 => "proxy",
        /// `NTF_EXT_LEARNED`.
        EXT_LEARNED = 0x10 => "extern_learn",
        /// `NTF_OFFLOADED`.
        OFFLOADED = 0x20 => "offload",
        /// `NTF_STICKY`.
        STICKY = 0x40 => "sticky",
        /// `NTF_ROUTER`: the neighbour is an IPv6 router.
        ROUTER = 0x80 => "router",
    }
}

/// Neighbour timers, `struct nda_cacheinfo` (in clock ticks).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct NeighCacheInfo {
    /// `ndm_confirmed`.
    pub confirmed: U32<NativeEndian>,
    /// `ndm_used`.
    pub used: U32<NativeEndian>,
    /// `ndm_updated`.
    pub updated: U32<NativeEndian>,
    /// `ndm_refcnt`.
    pub refcnt: U32<NativeEndian>,
}

/// `MAX_ADDR_LEN`: the longest link-layer address.
pub const LLADDR_MAX: usize = 32;

/// A neighbour entry's identity, as [`Neighbour::key`] returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NeighbourKey {
    /// Interface index.
    pub index: u32,
    /// `NDA_DST`.
    pub dst: Option<IpAddr>,
}

/// A neighbour entry, decoded from `RTM_NEWNEIGH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    /// `ndm_family`.
    pub family: AddrFamily,
    /// `ndm_ifindex`.
    pub index: u32,
    /// `ndm_state`.
    pub state: NudState,
    /// `ndm_flags`.
    pub flags: NeighFlags,
    /// `ndm_type`.
    pub kind: RouteType,
    /// `NDA_DST`.
    pub dst: Option<IpAddr>,
    /// `NDA_LLADDR` when it is 6 bytes (Ethernet).
    pub lladdr: Option<Mac>,
    /// `NDA_LLADDR` as sent, any length up to [`LLADDR_MAX`] (empty if absent).
    pub lladdr_raw: heapless::Vec<u8, LLADDR_MAX>,
    /// `NDA_PROBES`.
    pub probes: Option<u32>,
    /// `NTF_ROUTER` is set.
    pub router: bool,
    /// `NDA_CACHEINFO`.
    pub cache: Option<NeighCacheInfo>,
    /// `NDA_VLAN`.
    pub vlan: Option<u16>,
    /// `NDA_MASTER`.
    pub master: Option<u32>,
    /// `NDA_PROTOCOL`.
    pub protocol: Option<u8>,
    /// `NDA_PORT`: a VXLAN FDB entry's UDP port (big-endian on the wire).
    pub port: Option<u16>,
    /// `NDA_VNI`: a VXLAN FDB entry's VNI.
    pub vni: Option<u32>,
    /// `NDA_SRC_VNI`: the VNI a collect-metadata VXLAN entry matches.
    pub src_vni: Option<u32>,
    /// `NDA_LINK_NETNSID`: the namespace id of the peer a VXLAN FDB
    /// entry's remote is reached in.
    pub link_netnsid: Option<i32>,
    /// `NDA_NH_ID`: the nexthop (group) an FDB entry points at.
    pub nh_id: Option<u32>,
    /// `NDA_FLAGS_EXT`: [`NTF_EXT_MANAGED`], [`NTF_EXT_LOCKED`].
    pub flags_ext: Option<u32>,
    /// `NFEA_ACTIVITY_NOTIFY` of `NDA_FDB_EXT_ATTRS`: a bridge FDB
    /// entry's activity notification state (`FDB_NOTIFY_BIT` 1,
    /// `FDB_NOTIFY_INACTIVE_BIT` 2).
    pub activity_notify: Option<u8>,
}

impl Neighbour {
    /// Decode an `RTM_NEWNEIGH` (or `RTM_DELNEIGH`) message.
    ///
    /// One walk. `NDA_DST` and `NDA_LLADDR` identify the entry, so a
    /// malformed one fails the decode; the others are left unset when
    /// malformed. A framing error ends the walk and keeps what came
    /// before; unknown attributes are ignored.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`] (short
    /// `ndmsg`), [`DecodeError::OutOfRange`] (negative ifindex),
    /// [`DecodeError::AttrSize`] (`NDA_DST` neither 4 nor 16 bytes),
    /// [`DecodeError::TooLong`] (`NDA_LLADDR` over 32 bytes).
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<NdMsg>(msg, [RTM_NEWNEIGH, RTM_DELNEIGH], "ndmsg")?;
        let ifindex = hdr.ifindex.get();
        let flags = NeighFlags(hdr.flags);
        let mut n = Self {
            family: AddrFamily(hdr.family),
            index: u32::try_from(ifindex).map_err(|_| DecodeError::OutOfRange {
                what: "ndm_ifindex",
                value: u64::from(ifindex.unsigned_abs()),
            })?,
            state: NudState(hdr.state.get()),
            flags,
            kind: RouteType(hdr.kind),
            dst: None,
            lladdr: None,
            lladdr_raw: heapless::Vec::new(),
            probes: None,
            router: flags.contains(NeighFlags::ROUTER),
            cache: None,
            vlan: None,
            master: None,
            protocol: None,
            port: None,
            vni: None,
            src_vni: None,
            link_netnsid: None,
            nh_id: None,
            flags_ext: None,
            activity_notify: None,
        };
        for attr in attrs.map_while(Result::ok) {
            match NeighAttr(attr.kind()) {
                NeighAttr::DST => n.dst = Some(attr.ip()?),
                NeighAttr::LLADDR => {
                    let p = attr.payload();
                    n.lladdr_raw =
                        heapless::Vec::from_slice(p).map_err(|_| DecodeError::TooLong {
                            what: "NDA_LLADDR",
                            len: p.len(),
                            cap: LLADDR_MAX,
                        })?;
                    n.lladdr = <[u8; 6]>::try_from(p).ok().map(Mac);
                }
                NeighAttr::PROBES => n.probes = attr.u32().ok(),
                NeighAttr::CACHEINFO => n.cache = Some(attr.read_struct()),
                NeighAttr::VLAN => n.vlan = attr.u16().ok(),
                NeighAttr::MASTER => n.master = attr.u32().ok(),
                NeighAttr::PROTOCOL => n.protocol = attr.u8().ok(),
                NeighAttr::PORT => n.port = attr.be16().ok(),
                NeighAttr::VNI => n.vni = attr.u32().ok(),
                NeighAttr::SRC_VNI => n.src_vni = attr.u32().ok(),
                NeighAttr::LINK_NETNSID => n.link_netnsid = attr.i32().ok(),
                NeighAttr::NH_ID => n.nh_id = attr.u32().ok(),
                NeighAttr::FLAGS_EXT => n.flags_ext = attr.u32().ok(),
                NeighAttr::FDB_EXT_ATTRS => {
                    n.activity_notify = attr
                        .nested()
                        .map_while(Result::ok)
                        .find(|a| a.kind() == NFEA_ACTIVITY_NOTIFY)
                        .and_then(|a| a.u8().ok());
                }
                _ => {}
            }
        }
        Ok(n)
    }

    /// A permanent entry for `dst` on link `index`, to be used as desired
    /// state: family from `dst`, no link-layer address yet.
    pub fn new(index: u32, dst: IpAddr) -> Self {
        Self {
            family: AddrFamily::of(&dst),
            index,
            state: NudState::PERMANENT,
            flags: NeighFlags::EMPTY,
            kind: RouteType::UNSPEC,
            dst: Some(dst),
            lladdr: None,
            lladdr_raw: heapless::Vec::new(),
            probes: None,
            router: false,
            cache: None,
            vlan: None,
            master: None,
            protocol: None,
            port: None,
            vni: None,
            src_vni: None,
            link_netnsid: None,
            nh_id: None,
            flags_ext: None,
            activity_notify: None,
        }
    }

    /// This entry's identity: link and network-layer address.
    pub fn key(&self) -> NeighbourKey {
        NeighbourKey {
            index: self.index,
            dst: self.dst,
        }
    }

    /// Decode an IPv4 or IPv6 entry (ARP, NDP); `Ok(None)` for any other
    /// family (bridge FDB entries, families this type does not model)
    /// without looking at its attributes, so one odd entry cannot fail a
    /// listing.
    ///
    /// # Errors
    ///
    /// As [`Neighbour::decode`], for IPv4 and IPv6 entries.
    pub fn decode_ip(msg: &Msg<'_>) -> Result<Option<Self>, DecodeError> {
        // Every rtnetlink family header starts with the family byte. A
        // message of another type still gets `decode`'s error.
        let family = msg.payload().first().copied().map(AddrFamily);
        let ours = [RTM_NEWNEIGH, RTM_DELNEIGH].contains(&msg.msg_type());
        match family {
            Some(f) if ours && f != AddrFamily::INET && f != AddrFamily::INET6 => Ok(None),
            _ => Self::decode(msg).map(Some),
        }
    }

    /// Write this entry as the kernel would report it: an `RTM_NEWNEIGH`
    /// with `flags` in the header. The inverse of [`Neighbour::decode`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::Invalid`] for an index above `i32::MAX`;
    /// [`EncodeError::BufferFull`].
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        let ifindex = ifindex(self.index)?;
        let mut ndm_flags = self.flags;
        if self.router {
            ndm_flags |= NeighFlags::ROUTER;
        }
        w.message(RTM_NEWNEIGH, flags, |w| {
            w.put_fixed(&NdMsg {
                family: self.family.0,
                pad1: 0,
                pad2: 0.into(),
                ifindex: ifindex.into(),
                state: self.state.0.into(),
                flags: ndm_flags.0,
                kind: self.kind.0,
            })?;
            if let Some(d) = self.dst {
                w.put_ip(NeighAttr::DST.0, d)?;
            }
            if !self.lladdr_raw.is_empty() {
                w.put(NeighAttr::LLADDR.0, &self.lladdr_raw)?;
            } else if let Some(m) = self.lladdr {
                w.put(NeighAttr::LLADDR.0, &m.0)?;
            }
            if let Some(p) = self.probes {
                w.put_u32(NeighAttr::PROBES.0, p)?;
            }
            if let Some(c) = &self.cache {
                w.put_struct(NeighAttr::CACHEINFO.0, c)?;
            }
            if let Some(v) = self.vlan {
                w.put_u16(NeighAttr::VLAN.0, v)?;
            }
            if let Some(m) = self.master {
                w.put_u32(NeighAttr::MASTER.0, m)?;
            }
            if let Some(p) = self.protocol {
                w.put_u8(NeighAttr::PROTOCOL.0, p)?;
            }
            self.emit_fdb(w)
        })
    }
}

impl Neighbour {
    /// The bridge and VXLAN FDB attributes of [`Neighbour::emit`].
    fn emit_fdb(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if let Some(p) = self.port {
            w.put_be16(NeighAttr::PORT.0, p)?;
        }
        let u32s = [
            (NeighAttr::VNI, self.vni),
            (NeighAttr::SRC_VNI, self.src_vni),
            (NeighAttr::NH_ID, self.nh_id),
            (NeighAttr::FLAGS_EXT, self.flags_ext),
        ];
        for (k, v) in u32s {
            if let Some(v) = v {
                w.put_u32(k.0, v)?;
            }
        }
        if let Some(id) = self.link_netnsid {
            w.put_i32(NeighAttr::LINK_NETNSID.0, id)?;
        }
        if let Some(a) = self.activity_notify {
            w.nested(NeighAttr::FDB_EXT_ATTRS.0, |w| {
                w.put_u8(NFEA_ACTIVITY_NOTIFY, a)
            })?;
        }
        Ok(())
    }
}

fn ifindex(index: u32) -> Result<i32, EncodeError> {
    i32::try_from(index).map_err(|_| EncodeError::Invalid {
        what: "interface index above i32::MAX",
    })
}

/// Request a dump of neighbours: `RTM_GETNEIGH` with
/// `NLM_F_REQUEST | NLM_F_DUMP`.
///
/// `index` adds an `NDA_IFINDEX` filter attribute, as `ip neigh show dev
/// X` does; the kernel honours it only with `NETLINK_GET_STRICT_CHK` on
/// (replies then carry `NLM_F_DUMP_FILTERED`), otherwise it returns every
/// entry and the caller filters on [`Neighbour::index`].
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
    index: Option<u32>,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNEIGH,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&NdMsg {
                family: family.0,
                pad1: 0,
                pad2: 0.into(),
                ifindex: 0.into(),
                state: 0.into(),
                flags: 0,
                kind: 0,
            })?;
            if let Some(i) = index {
                w.put_u32(NeighAttr::IFINDEX.0, i)?;
            }
            Ok(())
        },
    )
}

/// A neighbour entry to add with [`encode_new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNeighbour {
    /// Interface index.
    pub index: u32,
    /// Network-layer address.
    pub dst: IpAddr,
    /// Link-layer address.
    pub lladdr: Option<Mac>,
    /// State; [`NudState::PERMANENT`] by default, like iproute2.
    pub state: NudState,
    /// Flags (`NTF_PROXY`, `NTF_ROUTER`, ...).
    pub flags: NeighFlags,
    /// Replace an existing entry instead of failing with `EEXIST`.
    pub replace: bool,
}

impl NewNeighbour {
    /// A permanent entry for `dst` on `index`, no link-layer address yet.
    pub fn new(index: u32, dst: IpAddr) -> Self {
        Self {
            index,
            dst,
            lladdr: None,
            state: NudState::PERMANENT,
            flags: NeighFlags::EMPTY,
            replace: false,
        }
    }
}

/// Add or replace a neighbour entry: `RTM_NEWNEIGH` with `NLM_F_REQUEST |
/// NLM_F_CREATE | NLM_F_EXCL` (`ip neigh add`), or `NLM_F_REQUEST |
/// NLM_F_CREATE | NLM_F_REPLACE` when `replace` is set (`ip neigh
/// replace`). Attributes `NDA_DST` then `NDA_LLADDR`, as iproute2.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for an index above `i32::MAX`;
/// [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewNeighbour,
) -> Result<Request<'w>, EncodeError> {
    let ifindex = ifindex(req.index)?;
    let flags = if req.replace {
        Flags::REQUEST | Flags::CREATE | Flags::REPLACE
    } else {
        Flags::REQUEST | Flags::CREATE | Flags::EXCL
    };
    request(w, RTM_NEWNEIGH, flags, Expect::Ack, |w| {
        w.put_fixed(&NdMsg {
            family: AddrFamily::of(&req.dst).0,
            pad1: 0,
            pad2: 0.into(),
            ifindex: ifindex.into(),
            state: req.state.0.into(),
            flags: req.flags.0,
            kind: 0,
        })?;
        w.put_ip(NeighAttr::DST.0, req.dst)?;
        if let Some(m) = req.lladdr {
            w.put(NeighAttr::LLADDR.0, &m.0)?;
        }
        Ok(())
    })
}

/// Delete a neighbour entry: `RTM_DELNEIGH` with `NLM_F_REQUEST` only (the
/// session adds `NLM_F_ACK`). `ndm_state` is `NUD_PERMANENT`, exactly as
/// `ip neigh del` sends it (the kernel ignores it on delete).
///
/// # Errors
///
/// [`EncodeError::Invalid`] for an index above `i32::MAX`;
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    dst: IpAddr,
) -> Result<Request<'w>, EncodeError> {
    encode_del_flags(w, index, dst, NeighFlags(0))
}

/// Delete an entry with `flags` in `ndm_flags`: [`NeighFlags::PROXY`]
/// deletes a proxy entry (`ip neigh del proxy ADDR dev LINK`), as
/// iproute2 sends it; otherwise as [`encode_del`].
///
/// # Errors
///
/// As [`encode_del`].
pub fn encode_del_flags<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    dst: IpAddr,
    flags: NeighFlags,
) -> Result<Request<'w>, EncodeError> {
    keyed(w, RTM_DELNEIGH, index, dst, NudState::PERMANENT.0, flags)
}

/// Get one entry: `ip neigh get [proxy] ADDR dev LINK` (`RTM_GETNEIGH`,
/// not a dump; [`NeighFlags::PROXY`] in `flags` for a proxy entry). The
/// kernel answers with one `RTM_NEWNEIGH`, or `ENOENT`.
///
/// # Errors
///
/// An index above `i32::MAX`; [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    dst: IpAddr,
    flags: NeighFlags,
) -> Result<Request<'w>, EncodeError> {
    keyed(w, RTM_GETNEIGH, index, dst, 0, flags)
}

/// A request naming one entry by its key (link, destination, `ndm_flags`),
/// as iproute2 sends `get` and `del`.
fn keyed<'w>(
    w: &'w mut MsgWriter<'_>,
    ty: crate::wire::MsgType,
    index: u32,
    dst: IpAddr,
    state: u16,
    flags: NeighFlags,
) -> Result<Request<'w>, EncodeError> {
    let ifindex = ifindex(index)?;
    request(w, ty, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&NdMsg {
            family: AddrFamily::of(&dst).0,
            pad1: 0,
            pad2: 0.into(),
            ifindex: ifindex.into(),
            state: state.into(),
            flags: flags.0,
            kind: 0,
        })?;
        w.put_ip(NeighAttr::DST.0, dst)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg, raw_msgs, with_ack};
    use crate::wire::{MsgType, Msgs};

    /// `ip neigh get proxy 10.0.2.4 dev d0` and `ip neigh del proxy
    /// 10.0.2.4 dev d0` (iproute2 6.1, nl-capture --normalize; d0 is
    /// index 2).
    const GET_PROXY: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00,
        0x01, 0x00, 0x0a, 0x00, 0x02, 0x04,
    ];
    const DEL_PROXY: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x80, 0x00, 0x08, 0x00, 0x08, 0x00,
        0x01, 0x00, 0x0a, 0x00, 0x02, 0x04,
    ];

    /// The kernel's entries (nl-capture --recv): `bridge fdb add
    /// 02:00:00:00:00:01 dev vx1 dst 10.0.0.2 port 4790 vni 100 self
    /// permanent` on a vxlan, and `ip neigh add 10.0.0.9 dev v0 managed`.
    const FDB_VXLAN: [u8; 84] = crate::route::common::tests::hex(concat!(
        "540000001c00020000000000000000000700000002000000c00002010a00020002000000",
        "00010000080001000a0000020600060012b6000008000700640000001400030000000000",
        "020000000200000000000000"
    ));
    const NEIGH_MANAGED: [u8; 72] = crate::route::common::tests::hex(concat!(
        "480000001c0022000000000000000000020000000300000001000001080001000a000009",
        "0800040004000000140003007117000001000000010000000100000008000f0001000000"
    ));

    #[test]
    fn fdb_and_extended_flags_decode_and_emit_back() {
        let n = Neighbour::decode(&msg(&FDB_VXLAN)).unwrap();
        assert_eq!(n.family, AddrFamily(7));
        assert_eq!(n.dst, Some("10.0.0.2".parse().unwrap()));
        assert_eq!((n.port, n.vni), (Some(4790), Some(100)));
        assert_eq!((n.src_vni, n.nh_id, n.flags_ext), (None, None, None));
        let m = Neighbour::decode(&msg(&NEIGH_MANAGED)).unwrap();
        assert_eq!(m.flags_ext, Some(NTF_EXT_MANAGED));
        // Every new field survives emit and decode.
        let mut all = m.clone();
        all.src_vni = Some(7);
        all.link_netnsid = Some(-1);
        all.nh_id = Some(12);
        all.activity_notify = Some(1);
        all.port = Some(4789);
        for n in [n, m, all] {
            let mut buf = [0u8; 256];
            let mut w = MsgWriter::new(&mut buf);
            let bytes = n.emit(&mut w, Flags::EMPTY).unwrap();
            assert_eq!(Neighbour::decode(&msg(bytes)).unwrap(), n);
        }
    }

    #[test]
    fn golden_get_and_del_of_a_proxy_entry() {
        let dst: IpAddr = "10.0.2.4".parse().unwrap();
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let m = encode_get(&mut w, 2, dst, NeighFlags::PROXY).unwrap().msg;
        assert_eq!(&*m, GET_PROXY);
        let mut buf = [0u8; 64];
        let got = with_ack(&mut buf, |w| {
            let _ = encode_del_flags(w, 2, dst, NeighFlags::PROXY).unwrap();
        });
        assert_eq!(got, DEL_PROXY);
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // `ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent`
    // (neigh_add_v4.jsonl #4; v0 = index 3)
    #[rustfmt::skip]
    const ADD_V4: [u8; 48] = [
        // nlmsghdr: len 48, RTM_NEWNEIGH, REQUEST|ACK|EXCL|CREATE
        0x30, 0, 0, 0, 0x1c, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // ndmsg: INET, pad, pad, ifindex 3
        0x02, 0x00, 0x00, 0x00, 0x03, 0, 0, 0,
        // state PERMANENT, flags 0, type 0
        0x80, 0x00, 0x00, 0x00,
        // NDA_DST 10.0.0.2
        0x08, 0, 0x01, 0, 10, 0, 0, 2,
        // NDA_LLADDR 02:00:00:00:00:02 (len 10, padded)
        0x0a, 0, 0x02, 0, 0x02, 0, 0, 0, 0, 0x02, 0, 0,
    ];

    // `ip -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev v0 nud permanent`
    // (neigh_add_v6.jsonl #4)
    #[rustfmt::skip]
    const ADD_V6: [u8; 60] = [
        // nlmsghdr: len 60, RTM_NEWNEIGH, REQUEST|ACK|EXCL|CREATE
        0x3c, 0, 0, 0, 0x1c, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // ndmsg: INET6, pad, pad, ifindex 3
        0x0a, 0x00, 0x00, 0x00, 0x03, 0, 0, 0,
        // state PERMANENT, flags 0, type 0
        0x80, 0x00, 0x00, 0x00,
        // NDA_DST 2001:db8::2
        0x14, 0, 0x01, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
        // NDA_LLADDR 02:00:00:00:00:03
        0x0a, 0, 0x02, 0, 0x02, 0, 0, 0, 0, 0x03, 0, 0,
    ];

    // `ip neigh del 10.0.0.2 dev v0` (neigh_del_v4.jsonl #4)
    #[rustfmt::skip]
    const DEL_V4: [u8; 36] = [
        // nlmsghdr: len 36, RTM_DELNEIGH, REQUEST|ACK
        0x24, 0, 0, 0, 0x1d, 0, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        // ndmsg: INET, pad, pad, ifindex 3
        0x02, 0x00, 0x00, 0x00, 0x03, 0, 0, 0,
        // state PERMANENT (iproute2's initial value), flags 0, type 0
        0x80, 0x00, 0x00, 0x00,
        // NDA_DST 10.0.0.2
        0x08, 0, 0x01, 0, 10, 0, 0, 2,
    ];

    // `ip neigh show dev v0` request (neigh_show.jsonl #4, first nlmsg_len bytes)
    #[rustfmt::skip]
    const SHOW: [u8; 36] = [
        // nlmsghdr: len 36, RTM_GETNEIGH, REQUEST|ROOT|MATCH
        0x24, 0, 0, 0, 0x1e, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0,
        // ndmsg: all zero (AF_UNSPEC)
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        // NDA_IFINDEX 3 (strict-check filter)
        0x08, 0, 0x08, 0, 0x03, 0, 0, 0,
    ];

    // The dump reply (neigh_show.jsonl #5): two permanent entries and the
    // kernel's ff02::16 NOARP multicast entry, then NLMSG_DONE.
    #[rustfmt::skip]
    const SHOW_REPLY: [u8; 272] = [
        // nlmsghdr: len 76, RTM_NEWNEIGH, MULTI|DUMP_FILTERED
        0x4c, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ndmsg: INET, ifindex 3, state PERMANENT, flags 0, type unicast
        0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01,
        // NDA_DST (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x02,
        // NDA_LLADDR (len 10)
        0x0a, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
        // NDA_PROBES (len 8)
        0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
        // NDA_CACHEINFO (len 20)
        0x14, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // nlmsghdr: len 88, RTM_NEWNEIGH, MULTI|DUMP_FILTERED
        0x58, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ndmsg: INET6, ifindex 3, state NOARP, flags 0, type multicast
        0x0a, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x05,
        // NDA_DST (len 20)
        0x14, 0x00, 0x01, 0x00, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16,
        // NDA_LLADDR (len 10)
        0x0a, 0x00, 0x02, 0x00, 0x33, 0x33, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00,
        // NDA_PROBES (len 8)
        0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
        // NDA_CACHEINFO (len 20)
        0x14, 0x00, 0x03, 0x00, 0x70, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // nlmsghdr: len 88, RTM_NEWNEIGH, MULTI|DUMP_FILTERED
        0x58, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ndmsg: INET6, ifindex 3, state PERMANENT, flags 0, type unicast
        0x0a, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01,
        // NDA_DST (len 20)
        0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        // NDA_LLADDR (len 10)
        0x0a, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
        // NDA_PROBES (len 8)
        0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
        // NDA_CACHEINFO (len 20)
        0x14, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // nlmsghdr: len 20, NLMSG_DONE, MULTI
        0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // NLMSG_DONE status
        0x00, 0x00, 0x00, 0x00,
    ];

    fn entries() -> heapless::Vec<Neighbour, 4> {
        Msgs::new(&SHOW_REPLY)
            .map(Result::unwrap)
            .filter(|m| m.msg_type() != MsgType::DONE)
            .map(|m| Neighbour::decode(&m).unwrap())
            .collect()
    }

    #[test]
    fn golden_add_v4() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewNeighbour {
                lladdr: Some("02:00:00:00:00:02".parse().unwrap()),
                ..NewNeighbour::new(3, ip("10.0.0.2"))
            };
            let _ = encode_new(w, &req).unwrap();
        });
        assert_eq!(got, ADD_V4);
    }

    #[test]
    fn golden_add_v6() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let req = NewNeighbour {
                lladdr: Some("02:00:00:00:00:03".parse().unwrap()),
                ..NewNeighbour::new(3, ip("2001:db8::2"))
            };
            let _ = encode_new(w, &req).unwrap();
        });
        assert_eq!(got, ADD_V6);
    }

    #[test]
    fn golden_del_v4() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let _ = encode_del(w, 3, ip("10.0.0.2")).unwrap();
        });
        assert_eq!(got, DEL_V4);
    }

    #[test]
    fn golden_show() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_dump(&mut w, AddrFamily::UNSPEC, Some(3)).unwrap();
        assert_eq!(r.expect, Expect::Dump);
        assert_eq!(&*r.msg, &SHOW);

        let n = entries();
        assert_eq!(n.len(), 3);
        assert_eq!(n[0].family, AddrFamily::INET);
        assert_eq!(n[0].index, 3);
        assert_eq!(n[0].dst, Some(ip("10.0.0.2")));
        assert_eq!(n[0].lladdr, Some(Mac([2, 0, 0, 0, 0, 2])));
        assert_eq!(n[0].lladdr_raw.as_slice(), &[2, 0, 0, 0, 0, 2]);
        assert_eq!(n[0].state, NudState::PERMANENT);
        assert!(n[0].state.names().eq(["PERMANENT"]));
        assert_eq!(n[0].kind, RouteType::UNICAST);
        assert_eq!(n[0].probes, Some(0));
        assert!(!n[0].router);
        assert_eq!(n[0].cache.map(|c| c.updated.get()), Some(1));

        assert_eq!(n[1].dst, Some(ip("ff02::16")));
        assert_eq!(n[1].state, NudState::NOARP);
        assert_eq!(n[1].kind, RouteType::MULTICAST);
        assert_eq!(n[1].lladdr, Some(Mac([0x33, 0x33, 0, 0, 0, 0x16])));

        assert_eq!(n[2].family, AddrFamily::INET6);
        assert_eq!(n[2].dst, Some(ip("2001:db8::2")));
        assert_eq!(n[2].lladdr, Some(Mac([2, 0, 0, 0, 0, 3])));
    }

    #[test]
    fn state_names() {
        assert!(NudState::NONE.names().eq(["NONE"]));
        assert!(
            (NudState::REACHABLE | NudState::STALE)
                .names()
                .eq(["REACHABLE", "STALE"])
        );
        assert_eq!(NudState::from_name("FAILED"), Some(NudState::FAILED));
        assert!(NeighFlags::ROUTER.names().eq(["router"]));
    }

    #[test]
    fn emit_round_trip() {
        for n in entries() {
            let mut buf = [0u8; 128];
            let mut w = MsgWriter::new(&mut buf);
            let out = n.emit(&mut w, Flags::MULTI).unwrap();
            assert_eq!(Neighbour::decode(&msg(out)).unwrap(), n);
        }
    }

    #[test]
    fn new_neighbour_decodes_to_its_fields() {
        let req = NewNeighbour {
            lladdr: Some("02:aa:bb:cc:dd:ee".parse().unwrap()),
            state: NudState::REACHABLE,
            flags: NeighFlags::ROUTER,
            replace: true,
            ..NewNeighbour::new(9, ip("fe80::1"))
        };
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_new(&mut w, &req).unwrap();
        let m = msg(r.msg);
        assert_eq!(m.flags(), Flags::REQUEST | Flags::CREATE | Flags::REPLACE);
        let n = Neighbour::decode(&m).unwrap();
        assert_eq!(n.index, 9);
        assert_eq!(n.dst, Some(req.dst));
        assert_eq!(n.lladdr, req.lladdr);
        assert_eq!(n.state, req.state);
        assert!(n.router);
        assert_eq!(n.family, AddrFamily::INET6);
    }

    #[test]
    fn never_panics_on_mutations() {
        for m in raw_msgs(&SHOW_REPLY) {
            hammer(m, |m| {
                let _ = Neighbour::decode(m);
            });
        }
    }

    #[test]
    fn rejects_bad_input() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            encode_new(&mut w, &NewNeighbour::new(u32::MAX, ip("10.0.0.1"))),
            Err(EncodeError::Invalid { .. })
        ));
        assert!(encode_del(&mut w, 1 << 31, ip("10.0.0.1")).is_err());
        assert!(w.is_empty());

        // wrong message type
        assert!(matches!(
            Neighbour::decode(&msg(&SHOW)),
            Err(DecodeError::UnexpectedType { .. })
        ));
        // negative ifindex
        let mut b = ADD_V4;
        b[23] = 0x80;
        assert!(matches!(
            Neighbour::decode(&msg(&b)),
            Err(DecodeError::OutOfRange { .. })
        ));
        // NDA_DST of 5 bytes
        let mut b = ADD_V4;
        b[28] = 9;
        assert!(matches!(
            Neighbour::decode(&msg(&b)),
            Err(DecodeError::AttrSize { .. })
        ));
        // short ndmsg
        let mut b = [0u8; 24];
        b[..16].copy_from_slice(&ADD_V4[..16]);
        b[0] = 24;
        assert!(matches!(
            Neighbour::decode(&msg(&b)),
            Err(DecodeError::Truncated { .. })
        ));
        // a 4-byte link-layer address (e.g. ipip) is kept raw, not as a Mac
        let mut b = ADD_V4;
        b[36] = 8;
        let n = Neighbour::decode(&msg(&b)).unwrap();
        assert_eq!(n.lladdr, None);
        assert_eq!(n.lladdr_raw.as_slice(), &[2, 0, 0, 0]);
    }

    /// An entry of a family this type does not model, with an `NDA_DST`
    /// that is no IP address, is skipped; the IPv4 entry after it is not.
    #[test]
    fn unknown_family_entry_is_skipped() {
        #[rustfmt::skip]
        const DUMP: [u8; 88] = [
            // nlmsghdr: len 44, RTM_NEWNEIGH, MULTI
            44, 0, 0, 0, 0x1c, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            // ndmsg: AF_MCTP, pad, ifindex 1, state REACHABLE, flags, type
            45, 0, 0, 0, 1, 0, 0, 0, 0x02, 0, 0, 0,
            // NDA_DST: one byte (an MCTP EID), padded
            5, 0, 0x01, 0, 8, 0, 0, 0,
            // NDA_LLADDR: one byte, padded
            5, 0, 0x02, 0, 9, 0, 0, 0,
            // nlmsghdr: len 44, RTM_NEWNEIGH, MULTI
            44, 0, 0, 0, 0x1c, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            // ndmsg: AF_INET, ifindex 1, state PERMANENT
            2, 0, 0, 0, 1, 0, 0, 0, 0x80, 0, 0, 0,
            // NDA_DST 10.0.0.2
            8, 0, 0x01, 0, 10, 0, 0, 2,
            // NDA_PROBES 0
            8, 0, 0x04, 0, 0, 0, 0, 0,
        ];
        let listed: heapless::Vec<_, 2> = Msgs::new(&DUMP)
            .map(|m| Neighbour::decode_ip(&m.unwrap()).unwrap())
            .collect();
        assert_eq!(listed.len(), 2);
        assert!(listed[0].is_none(), "AF_MCTP skipped");
        assert_eq!(listed[1].as_ref().unwrap().dst, Some(ip("10.0.0.2")));
    }
}
