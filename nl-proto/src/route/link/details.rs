//! The link attributes most users never read, typed ([`LinkDetails`]):
//! carrier counts, protodown, physical port and switch ids, XDP programs,
//! the IPv4 GSO/GRO sizes, head- and tailroom, the namespace move a
//! deletion notification reports. Kept out of [`Link`](super::Link),
//! which stays small: read it from the same message with
//! [`LinkDetails::decode`].

use super::options::{Flag, OptValue, kind_options};
use super::{IfInfoMsg, LinkAttr, RawAddress};
use crate::macros::open_enum;
use crate::route::common::split_object;
use crate::route::{RTM_DELLINK, RTM_NEWLINK};
use crate::wire::{Attr, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

open_enum! {
    /// An `IFLA_XDP` attribute (`IFLA_XDP_*`).
    pub struct XdpAttr(u16) {
        /// `IFLA_XDP_FD` (s32, set only).
        FD = 1,
        /// `IFLA_XDP_ATTACHED` (u8: 0 none, 1 driver, 2 generic, 3 offload,
        /// 4 several).
        ATTACHED = 2,
        /// `IFLA_XDP_FLAGS` (u32).
        FLAGS = 3,
        /// `IFLA_XDP_PROG_ID` (u32).
        PROG_ID = 4,
        /// `IFLA_XDP_DRV_PROG_ID` (u32).
        DRV_PROG_ID = 5,
        /// `IFLA_XDP_SKB_PROG_ID` (u32).
        SKB_PROG_ID = 6,
        /// `IFLA_XDP_HW_PROG_ID` (u32).
        HW_PROG_ID = 7,
        /// `IFLA_XDP_EXPECTED_FD` (s32, set only).
        EXPECTED_FD = 8,
    }
}

kind_options! {
    /// A link's XDP programs (`IFLA_XDP`).
    pub struct XdpInfo: XdpAttr {
        /// Set only: the program's file descriptor.
        fd: i32 = FD,
        /// How programs are attached.
        attached: u8 = ATTACHED,
        /// `XDP_FLAGS_*`.
        flags: u32 = FLAGS,
        /// The program's id (one mode).
        prog_id: u32 = PROG_ID,
        /// The driver-mode program.
        drv_prog_id: u32 = DRV_PROG_ID,
        /// The generic-mode program.
        skb_prog_id: u32 = SKB_PROG_ID,
        /// The offloaded program.
        hw_prog_id: u32 = HW_PROG_ID,
        /// Set only: replace only this program.
        expected_fd: i32 = EXPECTED_FD,
    }
}

impl OptValue for XdpInfo {
    type Value = XdpInfo;
    fn read(attr: &Attr<'_>) -> Result<XdpInfo, DecodeError> {
        Ok(XdpInfo::from_attrs(attr.nested().map_while(Result::ok)))
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &XdpInfo) -> Result<(), EncodeError> {
        w.nested(kind, |w| v.put(w))
    }
}

/// `struct rtnl_link_ifmap` (`IFLA_MAP`): a device's I/O resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IfMap {
    /// `mem_start`.
    pub mem_start: u64,
    /// `mem_end`.
    pub mem_end: u64,
    /// `base_addr`.
    pub base_addr: u64,
    /// `irq`.
    pub irq: u16,
    /// `dma`.
    pub dma: u8,
    /// `port`.
    pub port: u8,
}

impl OptValue for IfMap {
    type Value = IfMap;
    fn read(attr: &Attr<'_>) -> Result<IfMap, DecodeError> {
        let p = attr.payload();
        let u64_at = |i: usize| -> Option<u64> {
            Some(u64::from_ne_bytes(p.get(i..i + 8)?.try_into().ok()?))
        };
        let bad = || DecodeError::AttrSize {
            kind: attr.kind(),
            expected: 28,
            got: p.len(),
        };
        let irq = p.get(24..26).ok_or_else(bad)?;
        Ok(IfMap {
            mem_start: u64_at(0).ok_or_else(bad)?,
            mem_end: u64_at(8).ok_or_else(bad)?,
            base_addr: u64_at(16).ok_or_else(bad)?,
            irq: u16::from_ne_bytes([irq[0], irq[1]]),
            dma: *p.get(26).ok_or_else(bad)?,
            port: *p.get(27).ok_or_else(bad)?,
        })
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &IfMap) -> Result<(), EncodeError> {
        // The C struct's tail padding to 32 bytes is written as zeros.
        w.put_parts(
            kind,
            &[
                &v.mem_start.to_ne_bytes(),
                &v.mem_end.to_ne_bytes(),
                &v.base_addr.to_ne_bytes(),
                &v.irq.to_ne_bytes(),
                &[v.dma, v.port, 0, 0, 0, 0],
            ],
        )
    }
}

/// A byte string of up to 32 bytes (`MAX_PHYS_ITEM_ID_LEN`): a physical
/// port or switch id.
pub struct PhysId;
impl OptValue for PhysId {
    type Value = RawAddress;
    fn read(attr: &Attr<'_>) -> Result<RawAddress, DecodeError> {
        RawAddress::from_slice(attr.payload()).map_err(|_| DecodeError::TooLong {
            what: "physical id",
            len: attr.payload().len(),
            cap: 32,
        })
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &RawAddress) -> Result<(), EncodeError> {
        w.put(kind, v)
    }
}

/// A port name (`IFLA_PHYS_PORT_NAME`, at most `IFNAMSIZ` bytes).
pub struct PortName;
impl OptValue for PortName {
    type Value = heapless::String<16>;
    fn read(attr: &Attr<'_>) -> Result<heapless::String<16>, DecodeError> {
        let s = attr.str()?;
        let mut out = heapless::String::new();
        out.push_str(s).map_err(|_| DecodeError::TooLong {
            what: "IFLA_PHYS_PORT_NAME",
            len: s.len(),
            cap: 16,
        })?;
        Ok(out)
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &heapless::String<16>) -> Result<(), EncodeError> {
        w.put_str(kind, v)
    }
}

/// `IFLA_PROTO_DOWN_REASON` (`IFLA_PROTO_DOWN_REASON_MASK` = 1,
/// `_VALUE` = 2): why the link is held down, as bits.
pub struct ProtoDownReason;
impl OptValue for ProtoDownReason {
    type Value = u32;
    fn read(attr: &Attr<'_>) -> Result<u32, DecodeError> {
        attr.nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == 2)
            .map_or(Ok(0), |a| a.u32())
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &u32) -> Result<(), EncodeError> {
        w.nested(kind, |w| {
            w.put_u32(1, u32::MAX)?;
            w.put_u32(2, *v)
        })
    }
}

/// A u32 or u64 (`NLA_UINT`).
pub struct Uint;
impl OptValue for Uint {
    type Value = u64;
    fn read(attr: &Attr<'_>) -> Result<u64, DecodeError> {
        match attr.payload().len() {
            4 => attr.u32().map(u64::from),
            _ => attr.u64(),
        }
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &u64) -> Result<(), EncodeError> {
        w.put_u64(kind, *v)
    }
}

/// The single `DPLL_A_ID` of `IFLA_DPLL_PIN`.
pub struct DpllPin;
impl OptValue for DpllPin {
    type Value = u32;
    fn read(attr: &Attr<'_>) -> Result<u32, DecodeError> {
        attr.nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == 1)
            .ok_or(DecodeError::MissingAttr {
                what: "IFLA_DPLL_PIN",
                kind: 1,
            })?
            .u32()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &u32) -> Result<(), EncodeError> {
        w.nested(kind, |w| w.put_u32(1, *v))
    }
}

kind_options! {
    /// The link attributes [`Link`](super::Link) leaves out.
    pub struct LinkDetails: LinkAttr {
        /// `IFLA_MAP`.
        map: IfMap = MAP,
        /// `IFLA_NUM_VF`: SR-IOV virtual functions.
        num_vf: u32 = NUM_VF,
        /// `IFLA_PHYS_PORT_ID`.
        phys_port_id: PhysId = PHYS_PORT_ID,
        /// `IFLA_PHYS_SWITCH_ID`.
        phys_switch_id: PhysId = PHYS_SWITCH_ID,
        /// `IFLA_PHYS_PORT_NAME`.
        phys_port_name: PortName = PHYS_PORT_NAME,
        /// `IFLA_PROTO_DOWN` (`ip link set … protodown on`).
        proto_down: u8 = PROTO_DOWN,
        /// `IFLA_PROTO_DOWN_REASON`'s value bits.
        proto_down_reason: ProtoDownReason = PROTO_DOWN_REASON,
        /// `IFLA_XDP`.
        xdp: XdpInfo = XDP,
        /// `IFLA_EVENT` (`IFLA_EVENT_*`) of a notification.
        event: u32 = EVENT,
        /// `IFLA_NEW_NETNSID`: the namespace a deleted link moved to.
        new_netnsid: i32 = NEW_NETNSID,
        /// `IFLA_TARGET_NETNSID`, when the kernel echoes it.
        target_netnsid: i32 = TARGET_NETNSID,
        /// `IFLA_CARRIER_UP_COUNT`.
        carrier_up_count: u32 = CARRIER_UP_COUNT,
        /// `IFLA_CARRIER_DOWN_COUNT`.
        carrier_down_count: u32 = CARRIER_DOWN_COUNT,
        /// `IFLA_NEW_IFINDEX`: its index in the namespace it moved to.
        new_ifindex: i32 = NEW_IFINDEX,
        /// `IFLA_GSO_IPV4_MAX_SIZE`.
        gso_ipv4_max_size: u32 = GSO_IPV4_MAX_SIZE,
        /// `IFLA_GRO_IPV4_MAX_SIZE`.
        gro_ipv4_max_size: u32 = GRO_IPV4_MAX_SIZE,
        /// `IFLA_DPLL_PIN`'s pin id.
        dpll_pin: DpllPin = DPLL_PIN,
        /// `IFLA_MAX_PACING_OFFLOAD_HORIZON` (ns).
        max_pacing_offload_horizon: Uint = MAX_PACING_OFFLOAD_HORIZON,
        /// `IFLA_NETNS_IMMUTABLE`.
        netns_immutable: u8 = NETNS_IMMUTABLE,
        /// `IFLA_HEADROOM`.
        headroom: u16 = HEADROOM,
        /// `IFLA_TAILROOM`.
        tailroom: u16 = TAILROOM,
        /// `IFLA_DEVLINK_PORT` (flag here: the attribute's nest is
        /// devlink's; its presence says a devlink port is behind the link).
        devlink_port: Flag = DEVLINK_PORT,
    }
}

impl LinkDetails {
    /// Read them from an `RTM_NEWLINK` or `RTM_DELLINK`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        Ok(Self::from_attrs(attrs.map_while(Result::ok)))
    }
}
