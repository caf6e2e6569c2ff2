//! ipvlan's and ipvtap's vocabulary (`IFLA_IPVLAN_*`,
//! `include/uapi/linux/if_link.h`).

use crate::macros::open_enum;

open_enum! {
    /// An ipvlan `IFLA_INFO_DATA` attribute (`IFLA_IPVLAN_*`).
    pub struct IpvlanAttr(u16) {
        /// `IFLA_IPVLAN_MODE` (u16, see [`IpvlanMode`]).
        #[doc(alias = "IFLA_IPVLAN_MODE")]
        MODE = 1,
        /// `IFLA_IPVLAN_FLAGS` (u16).
        #[doc(alias = "IFLA_IPVLAN_FLAGS")]
        FLAGS = 2,
    }
}

open_enum! {
    /// An ipvlan mode (`IPVLAN_MODE_*`).
    pub struct IpvlanMode(u16) {
        /// `IPVLAN_MODE_L2`.
        #[doc(alias = "IPVLAN_MODE_L2")]
        L2 = 0,
        /// `IPVLAN_MODE_L3`.
        #[doc(alias = "IPVLAN_MODE_L3")]
        L3 = 1,
        /// `IPVLAN_MODE_L3S`.
        #[doc(alias = "IPVLAN_MODE_L3S")]
        L3S = 2,
    }
}
