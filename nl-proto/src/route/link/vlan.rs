//! vlan's vocabulary (`IFLA_VLAN_*`, `include/uapi/linux/if_link.h`).

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
