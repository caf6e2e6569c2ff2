//! Links: `RTM_NEWLINK`, `RTM_DELLINK`, `RTM_GETLINK` (`ip link`).
//!
//! A link message is an `ifinfomsg` followed by `IFLA_*` attributes
//! (`include/uapi/linux/rtnetlink.h`, `include/uapi/linux/if_link.h`):
//!
//! ```text
//!  0      1      2             4                    8                12               16
//! +------+------+-------------+--------------------+----------------+----------------+
//! |family| pad  | type (ARPHRD)| index (i32)        | flags (IFF_*)  | change (mask)  |
//! +------+------+-------------+--------------------+----------------+----------------+
//! | IFLA_* attributes ...                                                             |
//! ```
//!
//! One file per axis: the header and flags ([`IfInfoMsg`], [`IfFlags`],
//! `header.rs`), the attribute kinds ([`LinkAttr`], [`InfoAttr`],
//! `attr.rs`), the states ([`OperState`], [`LinkMode`], `state.rs`), the
//! owned value and its decoder ([`Link`], `object.rs`), the decoded
//! `IFLA_INFO_DATA` and `IFLA_INFO_SLAVE_DATA` ([`LinkInfoData`],
//! [`PortInfoData`], `info.rs`), how kind options are read and written
//! (`options.rs`), the per-family settings ([`LinkAfSpec`], `afspec.rs`),
//! the attributes few read ([`LinkDetails`], `details.rs`),
//! raw option readers
//! ([`LinkInfoAttrs`], `raw.rs`), each kind's vocabulary (`bridge.rs`,
//! `bond.rs`, `veth.rs`, `macvlan.rs`, `ipvlan.rs`, `vlan.rs`, `vxlan.rs`,
//! `geneve.rs`, `gre.rs`, `iptun.rs`, `vrf.rs`, and `others.rs` for vti,
//! tun, hsr, netkit and ovpn) and the
//! request encoders ([`encode_dump`], [`encode_get`], [`encode_new`],
//! [`encode_set`], [`encode_del`], `request.rs`).

mod afspec;
mod attr;
mod bond;
mod bridge;
mod details;
mod geneve;
mod gre;
mod header;
mod info;
mod iptun;
mod ipvlan;
mod macvlan;
mod object;
pub(crate) mod options;
mod others;
mod raw;
mod request;
mod state;
mod veth;
mod vlan;
mod vrf;
mod vxlan;

#[cfg(test)]
mod tests;

pub use afspec::{
    AF_STATS_MAX, AfStats, DEVCONF_MAX, Devconf, Inet6CacheInfo, Inet6Spec, InetSpec, LinkAfSpec,
    MctpSpec,
};
pub use attr::{InfoAttr, LinkAttr, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF};
pub use bond::{
    BOND_MAX_TARGETS, BondAdInfo, BondAdInfoAttr, BondAttr, BondOptions, BondPortAttr,
    BondPortOptions,
};
pub use bridge::{BridgeAttr, BridgeOptions, BridgePortAttr, BridgePortOptions};
pub use details::{IfMap, LinkDetails, XdpAttr, XdpInfo};
pub use geneve::{GeneveAttr, GeneveOptions};
pub use gre::{GRE_CSUM, GRE_KEY, GRE_SEQ, GreAttr, GreOptions};
pub use header::{ARPHRD_ETHER, ARPHRD_LOOPBACK, ARPHRD_NONE, IfFlags, IfInfoMsg, link_type_name};
pub use info::{LinkInfoData, PortInfoData};
pub use iptun::{Ip6tnlOptions, IptunAttr, IptunOptions};
pub use ipvlan::{IpvlanAttr, IpvlanMode};
pub use macvlan::{MacvlanAttr, MacvlanMode};
pub use object::{ALTNAME_LEN, ALTNAMES_MAX, AltNames, KindName, Link, ParentName, RawAddress};
pub use options::{BridgeId, OptValue};
pub use others::{
    HsrAttr, HsrOptions, NetkitAttr, NetkitOptions, OvpnAttr, OvpnOptions, TunAttr, TunOptions,
    VtiAttr, VtiOptions,
};
pub use raw::{INFO_ATTRS_MAX, InfoAttrs, LinkInfoAttrs};
pub use request::{
    LinkChange, LinkKind, LinkRef, NetnsRef, NewLink, encode_altnames, encode_del, encode_dump,
    encode_get, encode_new, encode_set, encode_set_state,
};
pub use state::{LinkMode, OperState};
pub use veth::VETH_INFO_PEER;
pub use vlan::{
    VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP,
    VLAN_FLAG_REORDER_HDR, VLAN_QOS_MAX, VlanAttr, VlanOptions, VlanProtocol,
};
pub use vrf::{VrfAttr, VrfOptions};
pub use vxlan::{VxlanAttr, VxlanDf, VxlanOptions};
