//! What a link's `IFLA_INFO_DATA` says, decoded for the kinds this crate
//! models.

use super::{
    BondOptions, BondPortOptions, BridgeOptions, BridgePortOptions, GeneveOptions, GreOptions,
    HsrOptions, Ip6tnlOptions, IptunOptions, IpvlanAttr, IpvlanMode, MacvlanAttr, MacvlanMode,
    NetkitOptions, OvpnOptions, TunOptions, VlanAttr, VlanOptions, VlanProtocol, VrfOptions,
    VtiOptions, VxlanAttr, VxlanOptions,
};
use crate::EncodeError;
use crate::wire::{Attr, MsgWriter};
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
    /// `bridge`.
    Bridge(BridgeOptions),
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
        /// Flags and QoS maps.
        options: VlanOptions,
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
    /// `geneve`.
    Geneve(GeneveOptions),
    /// `gre`, `gretap`, `erspan`, `ip6gre`, `ip6gretap`, `ip6erspan`
    /// ([`Link::kind`](super::Link::kind) says which).
    Gre(GreOptions),
    /// `ipip` and `sit`.
    Iptun(IptunOptions),
    /// `ip6tnl`.
    Ip6tnl(Ip6tnlOptions),
    /// `bond`.
    Bond(BondOptions),
    /// `vrf`.
    Vrf(VrfOptions),
    /// `wireguard` (configured over generic netlink; no link options).
    Wireguard,
    /// `vti` and `vti6`.
    Vti(VtiOptions),
    /// `tun` (tun and tap devices).
    Tun(TunOptions),
    /// `hsr` and `prp`.
    Hsr(HsrOptions),
    /// `netkit`.
    Netkit(NetkitOptions),
    /// `ovpn`.
    Ovpn(OvpnOptions),
}

impl LinkInfoData {
    /// Write this kind's `IFLA_INFO_DATA` attributes (the nest's content)
    /// for a create or change: the options that are set, in iproute2's
    /// order. Veth and vxlan are written by their own
    /// [`LinkKind`](super::LinkKind) variants; for them, and for kinds
    /// without options, this writes nothing.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match self {
            Self::Bridge(o) => o.put(w),
            Self::Macvlan { mode: Some(m) } => w.put_u32(MacvlanAttr::MODE.0, m.0),
            Self::Ipvlan { mode: Some(m) } => w.put_u16(IpvlanAttr::MODE.0, m.0),
            Self::Vlan {
                id,
                protocol,
                options,
            } => {
                if let Some(p) = protocol {
                    w.put_be16(VlanAttr::PROTOCOL.0, p.0)?;
                }
                if let Some(id) = id {
                    w.put_u16(VlanAttr::ID.0, *id)?;
                }
                options.put(w)
            }
            Self::Geneve(o) => o.put(w),
            Self::Gre(o) => o.put(w),
            Self::Iptun(o) => o.put(w),
            Self::Ip6tnl(o) => o.put(w),
            Self::Bond(o) => o.put(w),
            Self::Vrf(o) => o.put(w),
            Self::Vti(o) => o.put(w),
            Self::Hsr(o) => o.put(w),
            Self::Netkit(o) => o.put(w),
            Self::Ovpn(o) => o.put(w),
            _ => Ok(()),
        }
    }

    /// Whether [`put`](Self::put) writes nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Bridge(o) => o.is_empty(),
            Self::Macvlan { mode } => mode.is_none(),
            Self::Ipvlan { mode } => mode.is_none(),
            Self::Vlan {
                id,
                protocol,
                options,
            } => id.is_none() && protocol.is_none() && options.is_empty(),
            Self::Geneve(o) => o.is_empty(),
            Self::Gre(o) => o.is_empty(),
            Self::Iptun(o) => o.is_empty(),
            Self::Ip6tnl(o) => o.is_empty(),
            Self::Bond(o) => o.is_empty(),
            Self::Vrf(o) => o.is_empty(),
            Self::Vti(o) => o.is_empty(),
            Self::Hsr(o) => o.is_empty(),
            Self::Netkit(o) => o.is_empty(),
            Self::Ovpn(o) => o.is_empty(),
            _ => true,
        }
    }
}

/// What a port's `IFLA_INFO_SLAVE_DATA` says, for the masters this crate
/// models (`IFLA_INFO_SLAVE_KIND`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PortInfoData {
    /// Not a port, or of a master this crate does not decode.
    #[default]
    Other,
    /// A bridge port.
    Bridge(BridgePortOptions),
    /// A bond port.
    Bond(BondPortOptions),
}

impl PortInfoData {
    /// Write the `IFLA_INFO_SLAVE_DATA` attributes (the nest's content).
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match self {
            Self::Bridge(o) => o.put(w),
            Self::Bond(o) => o.put(w),
            Self::Other => Ok(()),
        }
    }

    /// The `IFLA_INFO_KIND` iproute2 sends with these options in `ip link
    /// set … type KIND_slave` (`bridge_slave`, `bond_slave`), or `None`.
    pub fn set_kind(&self) -> Option<&'static str> {
        match self {
            Self::Bridge(_) => Some("bridge_slave"),
            Self::Bond(_) => Some("bond_slave"),
            Self::Other => None,
        }
    }
}

/// Best-effort decode of `IFLA_INFO_SLAVE_DATA` for `slave_kind`.
pub(super) fn port_data(slave_kind: &str, data: Option<Attr<'_>>) -> PortInfoData {
    let attrs = data
        .map(|d| d.nested())
        .into_iter()
        .flatten()
        .map_while(Result::ok);
    match slave_kind {
        "bridge" => PortInfoData::Bridge(BridgePortOptions::from_attrs(attrs)),
        "bond" => PortInfoData::Bond(BondPortOptions::from_attrs(attrs)),
        _ => PortInfoData::Other,
    }
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
        "bridge" => LinkInfoData::Bridge(BridgeOptions::from_attrs(attrs())),
        "geneve" => LinkInfoData::Geneve(GeneveOptions::from_attrs(attrs())),
        "gre" | "gretap" | "erspan" | "ip6gre" | "ip6gretap" | "ip6erspan" => {
            LinkInfoData::Gre(GreOptions::from_attrs(attrs()))
        }
        "ipip" | "sit" => LinkInfoData::Iptun(IptunOptions::from_attrs(attrs())),
        "ip6tnl" => LinkInfoData::Ip6tnl(Ip6tnlOptions::from_attrs(attrs())),
        "bond" => LinkInfoData::Bond(BondOptions::from_attrs(attrs())),
        "vrf" => LinkInfoData::Vrf(VrfOptions::from_attrs(attrs())),
        "wireguard" => LinkInfoData::Wireguard,
        "vti" | "vti6" => LinkInfoData::Vti(VtiOptions::from_attrs(attrs())),
        "tun" => LinkInfoData::Tun(TunOptions::from_attrs(attrs())),
        "hsr" | "prp" => LinkInfoData::Hsr(HsrOptions::from_attrs(attrs())),
        "netkit" => LinkInfoData::Netkit(NetkitOptions::from_attrs(attrs())),
        "ovpn" => LinkInfoData::Ovpn(OvpnOptions::from_attrs(attrs())),
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
            options: VlanOptions::from_attrs(attrs()),
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
