//! vrf's vocabulary (`IFLA_VRF_*`) and its options ([`VrfOptions`]).

use super::options::kind_options;
use crate::macros::open_enum;

open_enum! {
    /// A vrf `IFLA_INFO_DATA` attribute (`IFLA_VRF_*`).
    pub struct VrfAttr(u16) {
        /// `IFLA_VRF_TABLE` (u32): the routing table the vrf uses.
        TABLE = 1,
    }
}

kind_options! {
    /// A vrf's options (`ip link add NAME type vrf table N`).
    pub struct VrfOptions: VrfAttr {
        /// `table N`.
        table: u32 = TABLE,
    }
}
