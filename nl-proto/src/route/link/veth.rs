//! veth's vocabulary (`include/uapi/linux/veth.h`).

/// `VETH_INFO_PEER` (`include/uapi/linux/veth.h`): inside veth's
/// `IFLA_INFO_DATA`, an `ifinfomsg` plus `IFLA_*` attributes for the peer.
pub const VETH_INFO_PEER: u16 = 1;
