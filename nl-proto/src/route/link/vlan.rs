//! vlan's vocabulary (`IFLA_VLAN_*`, `include/uapi/linux/if_link.h`).

use super::options::{PairList, ValueMask, kind_options};
use crate::macros::open_enum;

open_enum! {
    /// A vlan `IFLA_INFO_DATA` attribute (`IFLA_VLAN_*`).
    pub struct VlanAttr(u16) {
        /// `IFLA_VLAN_ID` (u16).
        #[doc(alias = "IFLA_VLAN_ID")]
        ID = 1,
        /// `IFLA_VLAN_FLAGS`.
        #[doc(alias = "IFLA_VLAN_FLAGS")]
        FLAGS = 2,
        /// `IFLA_VLAN_EGRESS_QOS`.
        #[doc(alias = "IFLA_VLAN_EGRESS_QOS")]
        EGRESS_QOS = 3,
        /// `IFLA_VLAN_INGRESS_QOS`.
        #[doc(alias = "IFLA_VLAN_INGRESS_QOS")]
        INGRESS_QOS = 4,
        /// `IFLA_VLAN_PROTOCOL` (big-endian u16 ethertype).
        #[doc(alias = "IFLA_VLAN_PROTOCOL")]
        PROTOCOL = 5,
    }
}

open_enum! {
    /// A VLAN tag protocol (ethertype), as in `IFLA_VLAN_PROTOCOL`.
    pub struct VlanProtocol(u16) {
        /// `ETH_P_8021Q` (0x8100), the kernel's default.
        #[doc(alias = "ETH_P_8021Q")]
        DOT1Q = 0x8100,
        /// `ETH_P_8021AD` (0x88a8), QinQ service tag.
        #[doc(alias = "ETH_P_8021AD")]
        DOT1AD = 0x88a8,
    }
}

/// The most QoS mappings a [`VlanOptions`] keeps per direction: ingress
/// has one per PCP (8); egress maps that many priorities too, as iproute2
/// users write them.
pub const VLAN_QOS_MAX: usize = 16;

kind_options! {
    /// A vlan's options beyond its id and protocol, in iproute2's order.
    pub struct VlanOptions: VlanAttr {
        /// `ingress-qos-map FROM:TO…`: PCP → skb priority.
        ingress_qos: PairList<VLAN_QOS_MAX> = INGRESS_QOS,
        /// `egress-qos-map FROM:TO…`: skb priority → PCP.
        egress_qos: PairList<VLAN_QOS_MAX> = EGRESS_QOS,
        /// `struct ifla_vlan_flags` (flags, mask): [`VLAN_FLAG_REORDER_HDR`],
        /// [`VLAN_FLAG_GVRP`], [`VLAN_FLAG_LOOSE_BINDING`],
        /// [`VLAN_FLAG_MVRP`], [`VLAN_FLAG_BRIDGE_BINDING`].
        flags: ValueMask = FLAGS,
    }
}

/// `VLAN_FLAG_REORDER_HDR`.
pub const VLAN_FLAG_REORDER_HDR: u32 = 0x1;
/// `VLAN_FLAG_GVRP`.
pub const VLAN_FLAG_GVRP: u32 = 0x2;
/// `VLAN_FLAG_LOOSE_BINDING`.
pub const VLAN_FLAG_LOOSE_BINDING: u32 = 0x4;
/// `VLAN_FLAG_MVRP`.
pub const VLAN_FLAG_MVRP: u32 = 0x8;
/// `VLAN_FLAG_BRIDGE_BINDING`.
pub const VLAN_FLAG_BRIDGE_BINDING: u32 = 0x10;
