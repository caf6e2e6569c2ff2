//! A link's operational state and link mode (`include/uapi/linux/if.h`).

use crate::macros::open_enum;

open_enum! {
    /// RFC 2863 operational state (`IFLA_OPERSTATE`, `IF_OPER_*` in
    /// `include/uapi/linux/if.h`). [`OperState::name`] gives iproute2's
    /// spelling (`"UP"`, `"LOWERLAYERDOWN"`, ...).
    pub struct OperState(u8) {
        /// `IF_OPER_UNKNOWN`.
        #[doc(alias = "IF_OPER_UNKNOWN")]
        UNKNOWN = 0,
        /// `IF_OPER_NOTPRESENT`.
        #[doc(alias = "IF_OPER_NOTPRESENT")]
        NOTPRESENT = 1,
        /// `IF_OPER_DOWN`.
        #[doc(alias = "IF_OPER_DOWN")]
        DOWN = 2,
        /// `IF_OPER_LOWERLAYERDOWN`.
        #[doc(alias = "IF_OPER_LOWERLAYERDOWN")]
        LOWERLAYERDOWN = 3,
        /// `IF_OPER_TESTING`.
        #[doc(alias = "IF_OPER_TESTING")]
        TESTING = 4,
        /// `IF_OPER_DORMANT`.
        #[doc(alias = "IF_OPER_DORMANT")]
        DORMANT = 5,
        /// `IF_OPER_UP`.
        #[doc(alias = "IF_OPER_UP")]
        UP = 6,
    }
}

open_enum! {
    /// Link mode (`IFLA_LINKMODE`, `IF_LINK_MODE_*` in
    /// `include/uapi/linux/if.h`). [`LinkMode::name`] is iproute2's spelling
    /// in `ip link`'s `mode DEFAULT` / `"linkmode": "DEFAULT"`.
    pub struct LinkMode(u8) {
        /// `IF_LINK_MODE_DEFAULT`.
        #[doc(alias = "IF_LINK_MODE_DEFAULT")]
        DEFAULT = 0,
        /// `IF_LINK_MODE_DORMANT`: limit upward transition to dormant.
        #[doc(alias = "IF_LINK_MODE_DORMANT")]
        DORMANT = 1,
        /// `IF_LINK_MODE_TESTING`: limit upward transition to testing.
        #[doc(alias = "IF_LINK_MODE_TESTING")]
        TESTING = 2,
    }
}
