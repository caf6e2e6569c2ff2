//! vxlan's vocabulary (`IFLA_VXLAN_*`, `include/uapi/linux/if_link.h`).

use crate::macros::open_enum;

open_enum! {
    /// A vxlan `IFLA_INFO_DATA` attribute (`IFLA_VXLAN_*`), the ones this
    /// crate reads or writes.
    pub struct VxlanAttr(u16) {
        /// `IFLA_VXLAN_ID` (u32, 24 bits used).
        #[doc(alias = "IFLA_VXLAN_ID")]
        ID = 1,
        /// `IFLA_VXLAN_GROUP`: IPv4 remote or multicast group.
        #[doc(alias = "IFLA_VXLAN_GROUP")]
        GROUP = 2,
        /// `IFLA_VXLAN_LINK` (u32): the underlay interface.
        #[doc(alias = "IFLA_VXLAN_LINK")]
        LINK = 3,
        /// `IFLA_VXLAN_LOCAL`: IPv4 source address.
        #[doc(alias = "IFLA_VXLAN_LOCAL")]
        LOCAL = 4,
        /// `IFLA_VXLAN_TTL` (u8).
        #[doc(alias = "IFLA_VXLAN_TTL")]
        TTL = 5,
        /// `IFLA_VXLAN_TOS` (u8).
        #[doc(alias = "IFLA_VXLAN_TOS")]
        TOS = 6,
        /// `IFLA_VXLAN_LEARNING` (u8).
        #[doc(alias = "IFLA_VXLAN_LEARNING")]
        LEARNING = 7,
        /// `IFLA_VXLAN_PORT` (big-endian u16): the destination UDP port.
        #[doc(alias = "IFLA_VXLAN_PORT")]
        PORT = 15,
        /// `IFLA_VXLAN_GROUP6`: IPv6 remote or multicast group.
        #[doc(alias = "IFLA_VXLAN_GROUP6")]
        GROUP6 = 16,
        /// `IFLA_VXLAN_LOCAL6`: IPv6 source address.
        #[doc(alias = "IFLA_VXLAN_LOCAL6")]
        LOCAL6 = 17,
    }
}
