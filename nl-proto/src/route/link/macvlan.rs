//! macvlan's and macvtap's vocabulary (`IFLA_MACVLAN_*`,
//! `include/uapi/linux/if_link.h`).

use crate::macros::open_enum;

open_enum! {
    /// A macvlan `IFLA_INFO_DATA` attribute (`IFLA_MACVLAN_*`).
    pub struct MacvlanAttr(u16) {
        /// `IFLA_MACVLAN_MODE` (u32, see [`MacvlanMode`]).
        #[doc(alias = "IFLA_MACVLAN_MODE")]
        MODE = 1,
        /// `IFLA_MACVLAN_FLAGS` (u16).
        #[doc(alias = "IFLA_MACVLAN_FLAGS")]
        FLAGS = 2,
    }
}

open_enum! {
    /// A macvlan mode (`enum macvlan_mode`, `MACVLAN_MODE_*`).
    pub struct MacvlanMode(u32) {
        /// `MACVLAN_MODE_PRIVATE`: no traffic between macvlans.
        #[doc(alias = "MACVLAN_MODE_PRIVATE")]
        PRIVATE = 1,
        /// `MACVLAN_MODE_VEPA`: macvlans talk through the external switch.
        #[doc(alias = "MACVLAN_MODE_VEPA")]
        VEPA = 2,
        /// `MACVLAN_MODE_BRIDGE`: macvlans talk directly.
        #[doc(alias = "MACVLAN_MODE_BRIDGE")]
        BRIDGE = 4,
        /// `MACVLAN_MODE_PASSTHRU`: take over the parent.
        #[doc(alias = "MACVLAN_MODE_PASSTHRU")]
        PASSTHRU = 8,
        /// `MACVLAN_MODE_SOURCE`: by source MAC list.
        #[doc(alias = "MACVLAN_MODE_SOURCE")]
        SOURCE = 16,
    }
}
