//! What a link's `IFLA_INFO_DATA` says, decoded for the kinds this crate
//! models.

use super::{
    IpvlanAttr, IpvlanMode, MacvlanAttr, MacvlanMode, VlanAttr, VlanProtocol, VxlanAttr,
    VxlanOptions,
};
use crate::wire::Attr;
use core::net::IpAddr;

/// What the kernel reported in `IFLA_INFO_DATA` for the kinds this crate
/// understands. Best effort: a field is `None` when its attribute is absent
/// or malformed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LinkInfoData {
    /// No `IFLA_INFO_KIND`, or a kind this crate does not decode.
    #[default]
    Other,
    /// `veth`.
    Veth,
    /// `bridge` (its many `IFLA_BR_*` options are not decoded).
    Bridge,
    /// `dummy`.
    Dummy,
    /// `ifb`.
    Ifb,
    /// `macvlan` (and `macvtap`).
    Macvlan {
        /// `IFLA_MACVLAN_MODE`.
        mode: Option<MacvlanMode>,
    },
    /// `ipvlan` (and `ipvtap`).
    Ipvlan {
        /// `IFLA_IPVLAN_MODE`.
        mode: Option<IpvlanMode>,
    },
    /// `vlan`.
    Vlan {
        /// `IFLA_VLAN_ID`.
        id: Option<u16>,
        /// `IFLA_VLAN_PROTOCOL`.
        protocol: Option<VlanProtocol>,
    },
    /// `vxlan`.
    Vxlan {
        /// `IFLA_VXLAN_ID`.
        id: Option<u32>,
        /// `IFLA_VXLAN_PORT` (host order here).
        port: Option<u16>,
        /// `IFLA_VXLAN_LOCAL` / `IFLA_VXLAN_LOCAL6`.
        local: Option<IpAddr>,
        /// `IFLA_VXLAN_GROUP` / `IFLA_VXLAN_GROUP6`: a unicast remote or a
        /// multicast group.
        remote: Option<IpAddr>,
        /// `IFLA_VXLAN_LINK`: the underlay interface.
        link: Option<u32>,
        /// Everything else the kernel reported.
        options: VxlanOptions,
    },
}

/// Best-effort decode of `IFLA_INFO_DATA` for `kind`. Malformed or missing
/// attributes give `None` fields; this never fails.
pub(super) fn info_data(kind: &str, data: Option<Attr<'_>>) -> LinkInfoData {
    let attrs = || {
        data.map(|d| d.nested())
            .into_iter()
            .flatten()
            .map_while(Result::ok)
    };
    let find = |k: u16| attrs().find(|a| a.kind() == k);
    match kind {
        "veth" => LinkInfoData::Veth,
        "bridge" => LinkInfoData::Bridge,
        "dummy" => LinkInfoData::Dummy,
        "ifb" => LinkInfoData::Ifb,
        "macvlan" | "macvtap" => LinkInfoData::Macvlan {
            mode: find(MacvlanAttr::MODE.0)
                .and_then(|a| a.u32().ok())
                .map(MacvlanMode),
        },
        "ipvlan" | "ipvtap" => LinkInfoData::Ipvlan {
            mode: find(IpvlanAttr::MODE.0)
                .and_then(|a| a.u16().ok())
                .map(IpvlanMode),
        },
        "vlan" => LinkInfoData::Vlan {
            id: find(VlanAttr::ID.0).and_then(|a| a.u16().ok()),
            protocol: find(VlanAttr::PROTOCOL.0)
                .and_then(|a| a.be16().ok())
                .map(VlanProtocol),
        },
        "vxlan" => {
            let v4_or_v6 = |k4: VxlanAttr, k6: VxlanAttr| {
                find(k4.0)
                    .and_then(|a| a.ipv4().ok())
                    .map(IpAddr::V4)
                    .or_else(|| find(k6.0).and_then(|a| a.ipv6().ok()).map(IpAddr::V6))
            };
            LinkInfoData::Vxlan {
                id: find(VxlanAttr::ID.0).and_then(|a| a.u32().ok()),
                port: find(VxlanAttr::PORT.0).and_then(|a| a.be16().ok()),
                local: v4_or_v6(VxlanAttr::LOCAL, VxlanAttr::LOCAL6),
                remote: v4_or_v6(VxlanAttr::GROUP, VxlanAttr::GROUP6),
                link: find(VxlanAttr::LINK.0).and_then(|a| a.u32().ok()),
                options: VxlanOptions::from_attrs(attrs()),
            }
        }
        _ => LinkInfoData::Other,
    }
}
