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
//! This file holds the header ([`IfInfoMsg`]), the attribute kinds
//! ([`LinkAttr`], [`InfoAttr`] and the per-kind `IFLA_INFO_DATA` kinds), the
//! interface flags ([`IfFlags`]), the owned value ([`Link`]) and the request
//! encoders ([`encode_dump`], [`encode_get`], [`encode_new`], [`encode_set`],
//! [`encode_del`]).

use super::common::{request, split_object};
use super::stats::LinkStats64;
use super::{AddrFamily, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::values::{IfName, IfNameError, Mac};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::IpAddr;
use zerocopy::byteorder::{I32, NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `struct ifinfomsg`, the fixed header of every link message.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct IfInfoMsg {
    /// `ifi_family` (`AF_UNSPEC` in most requests).
    pub family: u8,
    /// `__ifi_pad`; must be 0.
    pub pad: u8,
    /// `ifi_type`: the link type (`ARPHRD_*`), see [`link_type_name`].
    pub ty: U16<NativeEndian>,
    /// `ifi_index`: the interface index (0 = not specified).
    pub index: I32<NativeEndian>,
    /// `ifi_flags`: `IFF_*` flags, see [`IfFlags`].
    pub flags: U32<NativeEndian>,
    /// `ifi_change`: which `ifi_flags` bits a request changes.
    pub change: U32<NativeEndian>,
}

impl IfInfoMsg {
    /// A request header for `family` and `index`, with `flags` applied under
    /// the `change` mask.
    pub fn new(family: AddrFamily, index: i32, flags: IfFlags, change: IfFlags) -> Self {
        Self {
            family: family.0,
            pad: 0,
            ty: U16::new(0),
            index: I32::new(index),
            flags: U32::new(flags.0),
            change: U32::new(change.0),
        }
    }
}

open_enum! {
    /// A link attribute type (`IFLA_*`, `include/uapi/linux/if_link.h`).
    pub struct LinkAttr(u16) {
        /// `IFLA_UNSPEC`.
        #[doc(alias = "IFLA_UNSPEC")]
        UNSPEC = 0,
        /// `IFLA_ADDRESS`: the link-layer address.
        #[doc(alias = "IFLA_ADDRESS")]
        ADDRESS = 1,
        /// `IFLA_BROADCAST`: the link-layer broadcast address.
        #[doc(alias = "IFLA_BROADCAST")]
        BROADCAST = 2,
        /// `IFLA_IFNAME`: the interface name (NUL-terminated).
        #[doc(alias = "IFLA_IFNAME")]
        IFNAME = 3,
        /// `IFLA_MTU` (u32).
        #[doc(alias = "IFLA_MTU")]
        MTU = 4,
        /// `IFLA_LINK` (u32): the parent (lower) interface index.
        #[doc(alias = "IFLA_LINK")]
        LINK = 5,
        /// `IFLA_QDISC`: the root qdisc's name.
        #[doc(alias = "IFLA_QDISC")]
        QDISC = 6,
        /// `IFLA_STATS`: `struct rtnl_link_stats` (32-bit counters).
        #[doc(alias = "IFLA_STATS")]
        STATS = 7,
        /// `IFLA_COST`.
        #[doc(alias = "IFLA_COST")]
        COST = 8,
        /// `IFLA_PRIORITY`.
        #[doc(alias = "IFLA_PRIORITY")]
        PRIORITY = 9,
        /// `IFLA_MASTER` (u32): the master (bridge, bond, VRF) index; 0 = none.
        #[doc(alias = "IFLA_MASTER")]
        MASTER = 10,
        /// `IFLA_WIRELESS`.
        #[doc(alias = "IFLA_WIRELESS")]
        WIRELESS = 11,
        /// `IFLA_PROTINFO`.
        #[doc(alias = "IFLA_PROTINFO")]
        PROTINFO = 12,
        /// `IFLA_TXQLEN` (u32).
        #[doc(alias = "IFLA_TXQLEN")]
        TXQLEN = 13,
        /// `IFLA_MAP`: `struct rtnl_link_ifmap`.
        #[doc(alias = "IFLA_MAP")]
        MAP = 14,
        /// `IFLA_WEIGHT`.
        #[doc(alias = "IFLA_WEIGHT")]
        WEIGHT = 15,
        /// `IFLA_OPERSTATE` (u8, `IF_OPER_*`).
        #[doc(alias = "IFLA_OPERSTATE")]
        OPERSTATE = 16,
        /// `IFLA_LINKMODE` (u8).
        #[doc(alias = "IFLA_LINKMODE")]
        LINKMODE = 17,
        /// `IFLA_LINKINFO`: nested `IFLA_INFO_*`, see [`InfoAttr`].
        #[doc(alias = "IFLA_LINKINFO")]
        LINKINFO = 18,
        /// `IFLA_NET_NS_PID` (u32): move to the namespace of this process.
        #[doc(alias = "IFLA_NET_NS_PID")]
        NET_NS_PID = 19,
        /// `IFLA_IFALIAS`: the interface alias.
        #[doc(alias = "IFLA_IFALIAS")]
        IFALIAS = 20,
        /// `IFLA_NUM_VF` (u32).
        #[doc(alias = "IFLA_NUM_VF")]
        NUM_VF = 21,
        /// `IFLA_VFINFO_LIST`.
        #[doc(alias = "IFLA_VFINFO_LIST")]
        VFINFO_LIST = 22,
        /// `IFLA_STATS64`: `struct rtnl_link_stats64`.
        #[doc(alias = "IFLA_STATS64")]
        STATS64 = 23,
        /// `IFLA_VF_PORTS`.
        #[doc(alias = "IFLA_VF_PORTS")]
        VF_PORTS = 24,
        /// `IFLA_PORT_SELF`.
        #[doc(alias = "IFLA_PORT_SELF")]
        PORT_SELF = 25,
        /// `IFLA_AF_SPEC`: nested per-family data.
        #[doc(alias = "IFLA_AF_SPEC")]
        AF_SPEC = 26,
        /// `IFLA_GROUP` (u32).
        #[doc(alias = "IFLA_GROUP")]
        GROUP = 27,
        /// `IFLA_NET_NS_FD` (u32): move to the namespace this fd refers to.
        #[doc(alias = "IFLA_NET_NS_FD")]
        NET_NS_FD = 28,
        /// `IFLA_EXT_MASK` (u32, `RTEXT_FILTER_*`).
        #[doc(alias = "IFLA_EXT_MASK")]
        EXT_MASK = 29,
        /// `IFLA_PROMISCUITY` (u32): promiscuity count.
        #[doc(alias = "IFLA_PROMISCUITY")]
        PROMISCUITY = 30,
        /// `IFLA_NUM_TX_QUEUES` (u32).
        #[doc(alias = "IFLA_NUM_TX_QUEUES")]
        NUM_TX_QUEUES = 31,
        /// `IFLA_NUM_RX_QUEUES` (u32).
        #[doc(alias = "IFLA_NUM_RX_QUEUES")]
        NUM_RX_QUEUES = 32,
        /// `IFLA_CARRIER` (u8).
        #[doc(alias = "IFLA_CARRIER")]
        CARRIER = 33,
        /// `IFLA_PHYS_PORT_ID`.
        #[doc(alias = "IFLA_PHYS_PORT_ID")]
        PHYS_PORT_ID = 34,
        /// `IFLA_CARRIER_CHANGES` (u32).
        #[doc(alias = "IFLA_CARRIER_CHANGES")]
        CARRIER_CHANGES = 35,
        /// `IFLA_PHYS_SWITCH_ID`.
        #[doc(alias = "IFLA_PHYS_SWITCH_ID")]
        PHYS_SWITCH_ID = 36,
        /// `IFLA_LINK_NETNSID` (i32): namespace id of the `IFLA_LINK` peer.
        #[doc(alias = "IFLA_LINK_NETNSID")]
        LINK_NETNSID = 37,
        /// `IFLA_PHYS_PORT_NAME`.
        #[doc(alias = "IFLA_PHYS_PORT_NAME")]
        PHYS_PORT_NAME = 38,
        /// `IFLA_PROTO_DOWN` (u8).
        #[doc(alias = "IFLA_PROTO_DOWN")]
        PROTO_DOWN = 39,
        /// `IFLA_GSO_MAX_SEGS` (u32).
        #[doc(alias = "IFLA_GSO_MAX_SEGS")]
        GSO_MAX_SEGS = 40,
        /// `IFLA_GSO_MAX_SIZE` (u32).
        #[doc(alias = "IFLA_GSO_MAX_SIZE")]
        GSO_MAX_SIZE = 41,
        /// `IFLA_PAD`.
        #[doc(alias = "IFLA_PAD")]
        PAD = 42,
        /// `IFLA_XDP`.
        #[doc(alias = "IFLA_XDP")]
        XDP = 43,
        /// `IFLA_EVENT` (u32).
        #[doc(alias = "IFLA_EVENT")]
        EVENT = 44,
        /// `IFLA_NEW_NETNSID` (i32).
        #[doc(alias = "IFLA_NEW_NETNSID")]
        NEW_NETNSID = 45,
        /// `IFLA_IF_NETNSID` / `IFLA_TARGET_NETNSID` (i32).
        #[doc(alias = "IFLA_TARGET_NETNSID")]
        TARGET_NETNSID = 46,
        /// `IFLA_CARRIER_UP_COUNT` (u32).
        #[doc(alias = "IFLA_CARRIER_UP_COUNT")]
        CARRIER_UP_COUNT = 47,
        /// `IFLA_CARRIER_DOWN_COUNT` (u32).
        #[doc(alias = "IFLA_CARRIER_DOWN_COUNT")]
        CARRIER_DOWN_COUNT = 48,
        /// `IFLA_NEW_IFINDEX` (i32).
        #[doc(alias = "IFLA_NEW_IFINDEX")]
        NEW_IFINDEX = 49,
        /// `IFLA_MIN_MTU` (u32).
        #[doc(alias = "IFLA_MIN_MTU")]
        MIN_MTU = 50,
        /// `IFLA_MAX_MTU` (u32; 0 = no limit).
        #[doc(alias = "IFLA_MAX_MTU")]
        MAX_MTU = 51,
        /// `IFLA_PROP_LIST`.
        #[doc(alias = "IFLA_PROP_LIST")]
        PROP_LIST = 52,
        /// `IFLA_ALT_IFNAME`.
        #[doc(alias = "IFLA_ALT_IFNAME")]
        ALT_IFNAME = 53,
        /// `IFLA_PERM_ADDRESS`: the permanent hardware address.
        #[doc(alias = "IFLA_PERM_ADDRESS")]
        PERM_ADDRESS = 54,
        /// `IFLA_PROTO_DOWN_REASON`.
        #[doc(alias = "IFLA_PROTO_DOWN_REASON")]
        PROTO_DOWN_REASON = 55,
        /// `IFLA_PARENT_DEV_NAME`.
        #[doc(alias = "IFLA_PARENT_DEV_NAME")]
        PARENT_DEV_NAME = 56,
        /// `IFLA_PARENT_DEV_BUS_NAME`.
        #[doc(alias = "IFLA_PARENT_DEV_BUS_NAME")]
        PARENT_DEV_BUS_NAME = 57,
        /// `IFLA_GRO_MAX_SIZE` (u32).
        #[doc(alias = "IFLA_GRO_MAX_SIZE")]
        GRO_MAX_SIZE = 58,
        /// `IFLA_TSO_MAX_SIZE` (u32).
        #[doc(alias = "IFLA_TSO_MAX_SIZE")]
        TSO_MAX_SIZE = 59,
        /// `IFLA_TSO_MAX_SEGS` (u32).
        #[doc(alias = "IFLA_TSO_MAX_SEGS")]
        TSO_MAX_SEGS = 60,
        /// `IFLA_ALLMULTI` (u32): allmulti count.
        #[doc(alias = "IFLA_ALLMULTI")]
        ALLMULTI = 61,
    }
}

open_enum! {
    /// A kind inside `IFLA_LINKINFO` (`IFLA_INFO_*`).
    pub struct InfoAttr(u16) {
        /// `IFLA_INFO_UNSPEC`.
        #[doc(alias = "IFLA_INFO_UNSPEC")]
        UNSPEC = 0,
        /// `IFLA_INFO_KIND`: the driver kind, e.g. `"veth"`.
        #[doc(alias = "IFLA_INFO_KIND")]
        KIND = 1,
        /// `IFLA_INFO_DATA`: nested kind-specific attributes.
        #[doc(alias = "IFLA_INFO_DATA")]
        DATA = 2,
        /// `IFLA_INFO_XSTATS`.
        #[doc(alias = "IFLA_INFO_XSTATS")]
        XSTATS = 3,
        /// `IFLA_INFO_SLAVE_KIND`: the master's kind, e.g. `"bridge"`.
        #[doc(alias = "IFLA_INFO_SLAVE_KIND")]
        SLAVE_KIND = 4,
        /// `IFLA_INFO_SLAVE_DATA`.
        #[doc(alias = "IFLA_INFO_SLAVE_DATA")]
        SLAVE_DATA = 5,
    }
}

/// `VETH_INFO_PEER` (`include/uapi/linux/veth.h`): inside veth's
/// `IFLA_INFO_DATA`, an `ifinfomsg` plus `IFLA_*` attributes for the peer.
pub const VETH_INFO_PEER: u16 = 1;

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

/// `RTEXT_FILTER_VF`: in `IFLA_EXT_MASK`, include SR-IOV VF information
/// (what iproute2 asks for in `ip link show`).
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
/// `RTEXT_FILTER_SKIP_STATS`: in `IFLA_EXT_MASK`, leave out statistics.
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// Interface flags (`IFF_*`, `enum net_device_flags` in
/// `include/uapi/linux/if.h`), as in `ifi_flags`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IfFlags(pub u32);

impl IfFlags {
    /// No flags.
    pub const EMPTY: Self = Self(0);
    /// `IFF_UP`: administratively up.
    #[doc(alias = "IFF_UP")]
    pub const UP: Self = Self(1 << 0);
    /// `IFF_BROADCAST`.
    #[doc(alias = "IFF_BROADCAST")]
    pub const BROADCAST: Self = Self(1 << 1);
    /// `IFF_DEBUG`.
    #[doc(alias = "IFF_DEBUG")]
    pub const DEBUG: Self = Self(1 << 2);
    /// `IFF_LOOPBACK`.
    #[doc(alias = "IFF_LOOPBACK")]
    pub const LOOPBACK: Self = Self(1 << 3);
    /// `IFF_POINTOPOINT`.
    #[doc(alias = "IFF_POINTOPOINT")]
    pub const POINTOPOINT: Self = Self(1 << 4);
    /// `IFF_NOTRAILERS`.
    #[doc(alias = "IFF_NOTRAILERS")]
    pub const NOTRAILERS: Self = Self(1 << 5);
    /// `IFF_RUNNING`: operationally up (RFC 2863 `OPER_UP`).
    #[doc(alias = "IFF_RUNNING")]
    pub const RUNNING: Self = Self(1 << 6);
    /// `IFF_NOARP`.
    #[doc(alias = "IFF_NOARP")]
    pub const NOARP: Self = Self(1 << 7);
    /// `IFF_PROMISC`.
    #[doc(alias = "IFF_PROMISC")]
    pub const PROMISC: Self = Self(1 << 8);
    /// `IFF_ALLMULTI`.
    #[doc(alias = "IFF_ALLMULTI")]
    pub const ALLMULTI: Self = Self(1 << 9);
    /// `IFF_MASTER`.
    #[doc(alias = "IFF_MASTER")]
    pub const MASTER: Self = Self(1 << 10);
    /// `IFF_SLAVE`.
    #[doc(alias = "IFF_SLAVE")]
    pub const SLAVE: Self = Self(1 << 11);
    /// `IFF_MULTICAST`.
    #[doc(alias = "IFF_MULTICAST")]
    pub const MULTICAST: Self = Self(1 << 12);
    /// `IFF_PORTSEL`.
    #[doc(alias = "IFF_PORTSEL")]
    pub const PORTSEL: Self = Self(1 << 13);
    /// `IFF_AUTOMEDIA`.
    #[doc(alias = "IFF_AUTOMEDIA")]
    pub const AUTOMEDIA: Self = Self(1 << 14);
    /// `IFF_DYNAMIC`.
    #[doc(alias = "IFF_DYNAMIC")]
    pub const DYNAMIC: Self = Self(1 << 15);
    /// `IFF_LOWER_UP`: the driver signals carrier.
    #[doc(alias = "IFF_LOWER_UP")]
    pub const LOWER_UP: Self = Self(1 << 16);
    /// `IFF_DORMANT`.
    #[doc(alias = "IFF_DORMANT")]
    pub const DORMANT: Self = Self(1 << 17);
    /// `IFF_ECHO`.
    #[doc(alias = "IFF_ECHO")]
    pub const ECHO: Self = Self(1 << 18);

    /// The flags iproute2 names, in the order it prints them
    /// (`print_link_flags` in `ip/ipaddress.c`). `RUNNING` is not printed.
    const IPROUTE2_ORDER: [(Self, &'static str); 18] = [
        (Self::LOOPBACK, "LOOPBACK"),
        (Self::BROADCAST, "BROADCAST"),
        (Self::POINTOPOINT, "POINTOPOINT"),
        (Self::MULTICAST, "MULTICAST"),
        (Self::NOARP, "NOARP"),
        (Self::ALLMULTI, "ALLMULTI"),
        (Self::PROMISC, "PROMISC"),
        (Self::MASTER, "MASTER"),
        (Self::SLAVE, "SLAVE"),
        (Self::DEBUG, "DEBUG"),
        (Self::DYNAMIC, "DYNAMIC"),
        (Self::AUTOMEDIA, "AUTOMEDIA"),
        (Self::PORTSEL, "PORTSEL"),
        (Self::NOTRAILERS, "NOTRAILERS"),
        (Self::UP, "UP"),
        (Self::LOWER_UP, "LOWER_UP"),
        (Self::DORMANT, "DORMANT"),
        (Self::ECHO, "ECHO"),
    ];

    /// The raw bits.
    pub const fn bits(self) -> u32 {
        self.0
    }
    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    /// Both sets of bits.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The names iproute2 prints for these flags, in its order and
    /// spelling: `<BROADCAST,MULTICAST,UP,LOWER_UP>` is
    /// `["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]`, as in `ip -j link`'s
    /// `"flags"` array. Like iproute2, `NO-CARRIER` comes first when `UP` is
    /// set without `RUNNING`, and `RUNNING` itself is never named. Bits
    /// without a name are left out; see [`IfFlags::unnamed_bits`].
    ///
    /// ```
    /// use nl_proto::route::link::IfFlags;
    /// let f = IfFlags(0x10049); // lo: UP|LOOPBACK|RUNNING|LOWER_UP
    /// let names: heapless::Vec<&str, 20> = f.iproute2_names().collect();
    /// assert_eq!(names.as_slice(), ["LOOPBACK", "UP", "LOWER_UP"]);
    /// ```
    pub fn iproute2_names(self) -> impl Iterator<Item = &'static str> {
        let no_carrier = self.contains(Self::UP) && !self.contains(Self::RUNNING);
        no_carrier.then_some("NO-CARRIER").into_iter().chain(
            Self::IPROUTE2_ORDER
                .into_iter()
                .filter(move |(f, _)| self.contains(*f))
                .map(|(_, n)| n),
        )
    }

    /// Bits iproute2 has no name for (it prints them in hex after the names).
    pub fn unnamed_bits(self) -> u32 {
        let named = Self::IPROUTE2_ORDER
            .iter()
            .fold(Self::RUNNING.0, |acc, (f, _)| acc | f.0);
        self.0 & !named
    }
}

impl core::ops::BitOr for IfFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl core::fmt::Debug for IfFlags {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IfFlags(")?;
        let mut first = true;
        for n in self.iproute2_names() {
            if !first {
                f.write_str("|")?;
            }
            first = false;
            f.write_str(n)?;
        }
        if self.contains(Self::RUNNING) {
            f.write_str(if first { "RUNNING" } else { "|RUNNING" })?;
            first = false;
        }
        let rest = self.unnamed_bits();
        if rest != 0 {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "{rest:#x}")?;
        }
        f.write_str(")")
    }
}

/// The name iproute2 gives a link type (`ARPHRD_*`, the `ifi_type`), as in
/// `ip -j link`'s `"link_type"` (`ll_type_n2a` in `lib/ll_types.c`):
/// `1` is `"ether"`, `772` is `"loopback"`, `65534` is `"none"`.
pub fn link_type_name(ty: u16) -> Option<&'static str> {
    Some(match ty {
        0 => "generic",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "atalk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "hdlc",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "ltalk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        784 => "fcpp",
        785 => "fcal",
        786 => "fcpl",
        787 => "fcfb0",
        788 => "fcfb1",
        789 => "fcfb2",
        790 => "fcfb3",
        791 => "fcfb4",
        792 => "fcfb5",
        793 => "fcfb6",
        794 => "fcfb7",
        795 => "fcfb8",
        796 => "fcfb9",
        797 => "fcfb10",
        798 => "fcfb11",
        799 => "fcfb12",
        800 => "tr",
        801 => "ieee802.11",
        802 => "ieee802.11/prism",
        803 => "ieee802.11/radiotap",
        804 => "ieee802.15.4",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "gre6",
        824 => "netlink",
        0xfffe => "none",
        0xffff => "void",
        _ => return None,
    })
}

/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = 1;
/// `ARPHRD_LOOPBACK`.
pub const ARPHRD_LOOPBACK: u16 = 772;
/// `ARPHRD_NONE`.
pub const ARPHRD_NONE: u16 = 0xfffe;

/// `MAX_ADDR_LEN`: the longest link-layer address.
const MAX_ADDR_LEN: usize = 32;
/// `IFALIASZ` - 1: the longest interface alias.
const IFALIAS_MAX: usize = 256;

/// A link-layer address of any length up to `MAX_ADDR_LEN` (32) bytes.
pub type RawAddress = heapless::Vec<u8, MAX_ADDR_LEN>;
/// A driver kind such as `"veth"` (`IFLA_INFO_KIND`).
pub type KindName = heapless::String<16>;

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
    },
}

/// A link, decoded from an `RTM_NEWLINK` (reply, dump entry or notification)
/// or `RTM_DELLINK` notification. Owned and bounded: it outlives the receive
/// buffer and never allocates.
///
/// Decoding policy: the `ifinfomsg`, a non-negative index and a valid
/// `IFLA_IFNAME` are essential; without them [`Link::decode`] fails. Every
/// other attribute is optional: when one is malformed (wrong size, bad
/// UTF-8, longer than its bounded field) its field stays `None` and the
/// first such error is kept in [`Link::malformed`], so nothing is dropped
/// silently and one odd attribute cannot make the link unreadable. A framing
/// error in the attribute stream is recorded the same way (attributes after
/// it are lost). Of a repeated attribute (the kernel sends none) the last
/// is kept, except `IFLA_IFNAME`, of which the first is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// `ifi_index`.
    pub index: u32,
    /// `IFLA_IFNAME`.
    pub name: IfName,
    /// `ifi_flags`.
    pub flags: IfFlags,
    /// `ifi_type` (`ARPHRD_*`); see [`link_type_name`].
    pub link_type: u16,
    /// `IFLA_OPERSTATE` (`UNKNOWN` when absent).
    pub operstate: OperState,
    /// `IFLA_LINKMODE`.
    pub linkmode: Option<LinkMode>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_MIN_MTU`.
    pub min_mtu: Option<u32>,
    /// `IFLA_MAX_MTU` (0 = no limit).
    pub max_mtu: Option<u32>,
    /// `IFLA_TXQLEN`.
    pub txqlen: Option<u32>,
    /// `IFLA_ADDRESS` when it is 6 bytes long (Ethernet-like links).
    pub mac: Option<Mac>,
    /// `IFLA_ADDRESS` as sent, any length (empty when absent).
    pub address_raw: RawAddress,
    /// `IFLA_BROADCAST` when it is 6 bytes long.
    pub broadcast: Option<Mac>,
    /// `IFLA_BROADCAST` as sent (empty when absent).
    pub broadcast_raw: RawAddress,
    /// `IFLA_PERM_ADDRESS` when it is 6 bytes long.
    pub perm_address: Option<Mac>,
    /// `IFLA_INFO_KIND` inside `IFLA_LINKINFO`, e.g. `"veth"`.
    pub kind: Option<KindName>,
    /// `IFLA_INFO_SLAVE_KIND`, e.g. `"bridge"` for a bridge port.
    pub slave_kind: Option<KindName>,
    /// What `IFLA_INFO_DATA` said, for kinds this crate decodes.
    pub info: LinkInfoData,
    /// `IFLA_MASTER`.
    pub master: Option<u32>,
    /// `IFLA_LINK`: the parent (lower) interface, or a veth's peer.
    pub link: Option<u32>,
    /// `IFLA_LINK_NETNSID`: the namespace id in which `link` lives.
    pub link_netnsid: Option<i32>,
    /// `IFLA_IFALIAS`.
    pub alias: Option<heapless::String<IFALIAS_MAX>>,
    /// `IFLA_GROUP`.
    pub group: Option<u32>,
    /// `IFLA_PROMISCUITY`.
    pub promiscuity: Option<u32>,
    /// `IFLA_CARRIER`.
    pub carrier: Option<bool>,
    /// `IFLA_CARRIER_CHANGES`.
    pub carrier_changes: Option<u32>,
    /// `IFLA_QDISC`.
    pub qdisc: Option<KindName>,
    /// `IFLA_STATS64`.
    pub stats: Option<LinkStats64>,
    /// The first error met in an optional attribute (see the type's doc).
    pub malformed: Option<DecodeError>,
    /// `IFLA_ALLMULTI`: the all-multicast count.
    pub allmulti: Option<u32>,
    /// `IFLA_NUM_TX_QUEUES`.
    pub num_tx_queues: Option<u32>,
    /// `IFLA_NUM_RX_QUEUES`.
    pub num_rx_queues: Option<u32>,
    /// `IFLA_GSO_MAX_SIZE`.
    pub gso_max_size: Option<u32>,
    /// `IFLA_GSO_MAX_SEGS`.
    pub gso_max_segs: Option<u32>,
    /// `IFLA_TSO_MAX_SIZE`.
    pub tso_max_size: Option<u32>,
    /// `IFLA_TSO_MAX_SEGS`.
    pub tso_max_segs: Option<u32>,
    /// `IFLA_GRO_MAX_SIZE`.
    pub gro_max_size: Option<u32>,
    /// The IPv6 address generation mode (`IFLA_AF_SPEC` > `AF_INET6` >
    /// `IFLA_INET6_ADDR_GEN_MODE`): 0 eui64, 1 none, 2 stable_secret, 3
    /// random. `None` without IPv6 on the link.
    pub addr_gen_mode: Option<u8>,
    /// `IFLA_PARENT_DEV_BUS_NAME`: the bus of the device behind the link
    /// (`pci`, `virtio`).
    pub parent_bus: Option<ParentName>,
    /// `IFLA_PARENT_DEV_NAME`: the device behind the link (`0000:00:03.0`).
    pub parent_dev: Option<ParentName>,
}

/// A parent device or bus name (`IFLA_PARENT_DEV_NAME`,
/// `IFLA_PARENT_DEV_BUS_NAME`): a `dev_name()` of the kernel's device
/// model, such as a PCI address.
pub type ParentName = heapless::String<32>;

/// The scalar attributes of a link's `IFLA_INFO_DATA` and
/// `IFLA_INFO_SLAVE_DATA`, for kinds [`LinkInfoData`] does not model —
/// a bridge's options ([`BridgeAttr`]), a bridge port's
/// ([`BridgePortAttr`]). Kept out of [`Link`] (it is large); read it from
/// the same message with [`LinkInfoAttrs::decode`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkInfoAttrs {
    /// `IFLA_INFO_DATA`.
    pub data: InfoAttrs,
    /// `IFLA_INFO_SLAVE_DATA`.
    pub slave: InfoAttrs,
}

impl LinkInfoAttrs {
    /// Read them from an `RTM_NEWLINK` message (the one [`Link::decode`]
    /// reads). Malformed attributes are skipped.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let mut out = Self::default();
        let info = attrs
            .map_while(Result::ok)
            .find(|a| a.kind() == LinkAttr::LINKINFO.0);
        for inner in info
            .into_iter()
            .flat_map(|i| i.nested())
            .map_while(Result::ok)
        {
            match InfoAttr(inner.kind()) {
                InfoAttr::DATA => out.data = InfoAttrs::from_nest(inner),
                InfoAttr::SLAVE_DATA => out.slave = InfoAttrs::from_nest(inner),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The most attributes an [`InfoAttrs`] keeps.
pub const INFO_ATTRS_MAX: usize = 64;

/// Scalar attributes of a nest, by type, as the kernel sent them (those
/// longer than 8 bytes are left out), with typed readers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InfoAttrs {
    items: heapless::Vec<(u16, heapless::Vec<u8, 8>), INFO_ATTRS_MAX>,
}

impl InfoAttrs {
    fn from_nest(nest: Attr<'_>) -> Self {
        let mut out = Self::default();
        for a in nest.nested().map_while(Result::ok) {
            if let Ok(bytes) = heapless::Vec::from_slice(a.payload()) {
                // A full list drops the rest; readers then see `None`.
                let _ = out.items.push((a.kind(), bytes));
            }
        }
        out
    }

    /// The payload of attribute `kind`.
    pub fn bytes(&self, kind: u16) -> Option<&[u8]> {
        self.items
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.as_slice())
    }

    /// Attribute `kind` as a native-endian unsigned integer of its own
    /// size (1, 2, 4 or 8 bytes).
    pub fn uint(&self, kind: u16) -> Option<u64> {
        let b = self.bytes(kind)?;
        Some(match b.len() {
            1 => u64::from(b[0]),
            2 => u64::from(u16::from_ne_bytes([b[0], b[1]])),
            4 => u64::from(u32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
            8 => u64::from_ne_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            _ => return None,
        })
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

open_enum! {
    /// Bridge options in `IFLA_INFO_DATA` (`IFLA_BR_*`).
    pub struct BridgeAttr(u16) {
        /// `IFLA_BR_FORWARD_DELAY` (u32, centiseconds).
        FORWARD_DELAY = 1,
        /// `IFLA_BR_HELLO_TIME` (u32).
        HELLO_TIME = 2,
        /// `IFLA_BR_MAX_AGE` (u32).
        MAX_AGE = 3,
        /// `IFLA_BR_AGEING_TIME` (u32).
        AGEING_TIME = 4,
        /// `IFLA_BR_STP_STATE` (u32).
        STP_STATE = 5,
        /// `IFLA_BR_PRIORITY` (u16).
        PRIORITY = 6,
        /// `IFLA_BR_VLAN_FILTERING` (u8).
        VLAN_FILTERING = 7,
        /// `IFLA_BR_VLAN_PROTOCOL` (be16).
        VLAN_PROTOCOL = 8,
        /// `IFLA_BR_GROUP_FWD_MASK` (u16).
        GROUP_FWD_MASK = 9,
        /// `IFLA_BR_ROOT_ID` (`struct ifla_bridge_id`: priority, MAC).
        ROOT_ID = 10,
        /// `IFLA_BR_BRIDGE_ID`.
        BRIDGE_ID = 11,
        /// `IFLA_BR_ROOT_PORT` (u16).
        ROOT_PORT = 12,
        /// `IFLA_BR_ROOT_PATH_COST` (u32).
        ROOT_PATH_COST = 13,
        /// `IFLA_BR_TOPOLOGY_CHANGE` (u8).
        TOPOLOGY_CHANGE = 14,
        /// `IFLA_BR_TOPOLOGY_CHANGE_DETECTED` (u8).
        TOPOLOGY_CHANGE_DETECTED = 15,
        /// `IFLA_BR_HELLO_TIMER` (u64, centiseconds).
        HELLO_TIMER = 16,
        /// `IFLA_BR_TCN_TIMER` (u64).
        TCN_TIMER = 17,
        /// `IFLA_BR_TOPOLOGY_CHANGE_TIMER` (u64).
        TOPOLOGY_CHANGE_TIMER = 18,
        /// `IFLA_BR_GC_TIMER` (u64).
        GC_TIMER = 19,
        /// `IFLA_BR_GROUP_ADDR` (MAC).
        GROUP_ADDR = 20,
        /// `IFLA_BR_MCAST_ROUTER` (u8).
        MCAST_ROUTER = 22,
        /// `IFLA_BR_MCAST_SNOOPING` (u8).
        MCAST_SNOOPING = 23,
        /// `IFLA_BR_MCAST_QUERY_USE_IFADDR` (u8).
        MCAST_QUERY_USE_IFADDR = 24,
        /// `IFLA_BR_MCAST_QUERIER` (u8).
        MCAST_QUERIER = 25,
        /// `IFLA_BR_MCAST_HASH_ELASTICITY` (u32).
        MCAST_HASH_ELASTICITY = 26,
        /// `IFLA_BR_MCAST_HASH_MAX` (u32).
        MCAST_HASH_MAX = 27,
        /// `IFLA_BR_MCAST_LAST_MEMBER_CNT` (u32).
        MCAST_LAST_MEMBER_CNT = 28,
        /// `IFLA_BR_MCAST_STARTUP_QUERY_CNT` (u32).
        MCAST_STARTUP_QUERY_CNT = 29,
        /// `IFLA_BR_MCAST_LAST_MEMBER_INTVL` (u64, centiseconds).
        MCAST_LAST_MEMBER_INTVL = 30,
        /// `IFLA_BR_MCAST_MEMBERSHIP_INTVL` (u64).
        MCAST_MEMBERSHIP_INTVL = 31,
        /// `IFLA_BR_MCAST_QUERIER_INTVL` (u64).
        MCAST_QUERIER_INTVL = 32,
        /// `IFLA_BR_MCAST_QUERY_INTVL` (u64).
        MCAST_QUERY_INTVL = 33,
        /// `IFLA_BR_MCAST_QUERY_RESPONSE_INTVL` (u64).
        MCAST_QUERY_RESPONSE_INTVL = 34,
        /// `IFLA_BR_MCAST_STARTUP_QUERY_INTVL` (u64).
        MCAST_STARTUP_QUERY_INTVL = 35,
        /// `IFLA_BR_NF_CALL_IPTABLES` (u8).
        NF_CALL_IPTABLES = 36,
        /// `IFLA_BR_NF_CALL_IP6TABLES` (u8).
        NF_CALL_IP6TABLES = 37,
        /// `IFLA_BR_NF_CALL_ARPTABLES` (u8).
        NF_CALL_ARPTABLES = 38,
        /// `IFLA_BR_VLAN_DEFAULT_PVID` (u16).
        VLAN_DEFAULT_PVID = 39,
        /// `IFLA_BR_VLAN_STATS_ENABLED` (u8).
        VLAN_STATS_ENABLED = 41,
        /// `IFLA_BR_MCAST_STATS_ENABLED` (u8).
        MCAST_STATS_ENABLED = 42,
        /// `IFLA_BR_MCAST_IGMP_VERSION` (u8).
        MCAST_IGMP_VERSION = 43,
        /// `IFLA_BR_MCAST_MLD_VERSION` (u8).
        MCAST_MLD_VERSION = 44,
        /// `IFLA_BR_VLAN_STATS_PER_PORT` (u8).
        VLAN_STATS_PER_PORT = 45,
        /// `IFLA_BR_MULTI_BOOLOPT` (`struct br_boolopt_multi`: value, mask).
        MULTI_BOOLOPT = 46,
    }
}

open_enum! {
    /// Bridge port options in `IFLA_INFO_SLAVE_DATA` (`IFLA_BRPORT_*`).
    pub struct BridgePortAttr(u16) {
        /// `IFLA_BRPORT_STATE` (u8: disabled, listening, learning,
        /// forwarding, blocking).
        STATE = 1,
        /// `IFLA_BRPORT_PRIORITY` (u16).
        PRIORITY = 2,
        /// `IFLA_BRPORT_COST` (u32).
        COST = 3,
        /// `IFLA_BRPORT_MODE` (u8): hairpin.
        MODE = 4,
        /// `IFLA_BRPORT_GUARD` (u8).
        GUARD = 5,
        /// `IFLA_BRPORT_PROTECT` (u8): root block.
        PROTECT = 6,
        /// `IFLA_BRPORT_FAST_LEAVE` (u8).
        FAST_LEAVE = 7,
        /// `IFLA_BRPORT_LEARNING` (u8).
        LEARNING = 8,
        /// `IFLA_BRPORT_UNICAST_FLOOD` (u8).
        UNICAST_FLOOD = 9,
        /// `IFLA_BRPORT_PROXYARP` (u8).
        PROXYARP = 10,
        /// `IFLA_BRPORT_PROXYARP_WIFI` (u8).
        PROXYARP_WIFI = 12,
        /// `IFLA_BRPORT_ROOT_ID`.
        ROOT_ID = 13,
        /// `IFLA_BRPORT_BRIDGE_ID`.
        BRIDGE_ID = 14,
        /// `IFLA_BRPORT_DESIGNATED_PORT` (u16).
        DESIGNATED_PORT = 15,
        /// `IFLA_BRPORT_DESIGNATED_COST` (u16).
        DESIGNATED_COST = 16,
        /// `IFLA_BRPORT_ID` (u16).
        ID = 17,
        /// `IFLA_BRPORT_NO` (u16).
        NO = 18,
        /// `IFLA_BRPORT_TOPOLOGY_CHANGE_ACK` (u8).
        TOPOLOGY_CHANGE_ACK = 19,
        /// `IFLA_BRPORT_CONFIG_PENDING` (u8).
        CONFIG_PENDING = 20,
        /// `IFLA_BRPORT_MESSAGE_AGE_TIMER` (u64, centiseconds).
        MESSAGE_AGE_TIMER = 21,
        /// `IFLA_BRPORT_FORWARD_DELAY_TIMER` (u64).
        FORWARD_DELAY_TIMER = 22,
        /// `IFLA_BRPORT_HOLD_TIMER` (u64).
        HOLD_TIMER = 23,
        /// `IFLA_BRPORT_MULTICAST_ROUTER` (u8).
        MULTICAST_ROUTER = 25,
        /// `IFLA_BRPORT_MCAST_FLOOD` (u8).
        MCAST_FLOOD = 27,
        /// `IFLA_BRPORT_MCAST_TO_UCAST` (u8).
        MCAST_TO_UCAST = 28,
        /// `IFLA_BRPORT_VLAN_TUNNEL` (u8).
        VLAN_TUNNEL = 29,
        /// `IFLA_BRPORT_BCAST_FLOOD` (u8).
        BCAST_FLOOD = 30,
        /// `IFLA_BRPORT_GROUP_FWD_MASK` (u16).
        GROUP_FWD_MASK = 31,
        /// `IFLA_BRPORT_NEIGH_SUPPRESS` (u8).
        NEIGH_SUPPRESS = 32,
        /// `IFLA_BRPORT_ISOLATED` (u8).
        ISOLATED = 33,
        /// `IFLA_BRPORT_LOCKED` (u8).
        LOCKED = 39,
    }
}

/// `IFLA_INET6_ADDR_GEN_MODE`, inside `IFLA_AF_SPEC` > `AF_INET6`.
const INET6_ADDR_GEN_MODE: u16 = 8;

fn bounded_str<const N: usize>(
    attr: &Attr<'_>,
    what: &'static str,
) -> Result<heapless::String<N>, DecodeError> {
    let s = attr.str()?;
    let mut out = heapless::String::new();
    out.push_str(s).map_err(|_| DecodeError::TooLong {
        what,
        len: s.len(),
        cap: N,
    })?;
    Ok(out)
}

fn raw_address(attr: &Attr<'_>, what: &'static str) -> Result<RawAddress, DecodeError> {
    RawAddress::from_slice(attr.payload()).map_err(|_| DecodeError::TooLong {
        what,
        len: attr.payload().len(),
        cap: MAX_ADDR_LEN,
    })
}

fn decode_name(s: &str) -> Result<IfName, DecodeError> {
    IfName::new(s).map_err(|e| match e {
        IfNameError::Empty => DecodeError::BadLength {
            what: "IFLA_IFNAME",
            len: 0,
        },
        IfNameError::TooLong { len } => DecodeError::TooLong {
            what: "IFLA_IFNAME",
            len,
            cap: IfName::MAX_LEN,
        },
        _ => DecodeError::OutOfRange {
            what: "IFLA_IFNAME (forbidden byte)",
            value: s
                .bytes()
                .find(|&b| b == 0 || b == b'/' || b == b':' || b.is_ascii_whitespace())
                .map_or(u64::from(b'.'), u64::from),
        },
    })
}

fn mac_of(bytes: &[u8]) -> Option<Mac> {
    <[u8; 6]>::try_from(bytes).ok().map(Mac)
}

impl Link {
    /// Decode an `RTM_NEWLINK` or `RTM_DELLINK` message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short,
    /// [`DecodeError::OutOfRange`] for a negative index,
    /// [`DecodeError::MissingAttr`] without `IFLA_IFNAME`, and for a name
    /// [`IfName`] refuses (the kernel never sends one): [`DecodeError::NotUtf8`],
    /// [`DecodeError::BadLength`] (empty), [`DecodeError::TooLong`] (over 15
    /// bytes) or [`DecodeError::OutOfRange`] (a forbidden byte, as `value`),
    /// each with `what = "IFLA_IFNAME"`. Optional attributes never fail the
    /// decode; see the type's doc.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let raw_index = hdr.index.get();
        let index = u32::try_from(raw_index).map_err(|_| DecodeError::OutOfRange {
            what: "ifi_index",
            value: u64::from(raw_index.unsigned_abs()),
        })?;
        // The name first, so the link is built once and filled in place
        // (the kernel sends IFLA_IFNAME first; 1 KiB not copied twice).
        let name_attr = attrs
            .clone()
            .map_while(Result::ok)
            .find(|a| a.kind() == LinkAttr::IFNAME.0)
            .ok_or(DecodeError::MissingAttr {
                what: "link",
                kind: LinkAttr::IFNAME.0,
            })?;
        let name = decode_name(name_attr.str()?)?;
        let mut link = Self::empty(index, name, IfFlags(hdr.flags.get()), hdr.ty.get());
        for item in attrs {
            match item {
                Ok(attr) => link.take(&attr),
                Err(e) => {
                    link.note(e);
                    break;
                }
            }
        }
        link.mac = mac_of(&link.address_raw);
        link.broadcast = mac_of(&link.broadcast_raw);
        Ok(link)
    }

    /// A link with only its identity, before its attributes are read.
    fn empty(index: u32, name: IfName, flags: IfFlags, link_type: u16) -> Self {
        Self {
            index,
            name,
            flags,
            link_type,
            operstate: OperState::UNKNOWN,
            linkmode: None,
            mtu: None,
            min_mtu: None,
            max_mtu: None,
            txqlen: None,
            mac: None,
            address_raw: RawAddress::default(),
            broadcast: None,
            broadcast_raw: RawAddress::default(),
            perm_address: None,
            kind: None,
            slave_kind: None,
            info: LinkInfoData::default(),
            master: None,
            link: None,
            link_netnsid: None,
            alias: None,
            group: None,
            promiscuity: None,
            carrier: None,
            carrier_changes: None,
            qdisc: None,
            stats: None,
            malformed: None,
            allmulti: None,
            num_tx_queues: None,
            num_rx_queues: None,
            gso_max_size: None,
            gso_max_segs: None,
            tso_max_size: None,
            tso_max_segs: None,
            gro_max_size: None,
            addr_gen_mode: None,
            parent_bus: None,
            parent_dev: None,
        }
    }

    /// Whether `IFF_UP` is set (administratively up).
    pub fn is_up(&self) -> bool {
        self.flags.contains(IfFlags::UP)
    }
}

/// The attribute walk of [`Link::decode`], filling the link in place.
impl Link {
    fn note(&mut self, e: DecodeError) {
        self.malformed.get_or_insert(e);
    }

    fn opt<T>(&mut self, r: Result<T, DecodeError>) -> Option<T> {
        r.map_err(|e| self.note(e)).ok()
    }

    fn take(&mut self, attr: &Attr<'_>) {
        match LinkAttr(attr.kind()) {
            LinkAttr::OPERSTATE => {
                if let Some(state) = self.opt(attr.u8().map(OperState)) {
                    self.operstate = state;
                }
            }
            LinkAttr::LINKMODE => self.linkmode = self.opt(attr.u8().map(LinkMode)),
            LinkAttr::MTU => self.mtu = self.opt(attr.u32()),
            LinkAttr::MIN_MTU => self.min_mtu = self.opt(attr.u32()),
            LinkAttr::MAX_MTU => self.max_mtu = self.opt(attr.u32()),
            LinkAttr::TXQLEN => self.txqlen = self.opt(attr.u32()),
            LinkAttr::ADDRESS => {
                self.address_raw = self
                    .opt(raw_address(attr, "IFLA_ADDRESS"))
                    .unwrap_or_default();
            }
            LinkAttr::BROADCAST => {
                self.broadcast_raw = self
                    .opt(raw_address(attr, "IFLA_BROADCAST"))
                    .unwrap_or_default();
            }
            LinkAttr::PERM_ADDRESS => self.perm_address = mac_of(attr.payload()),
            LinkAttr::MASTER => self.master = self.opt(attr.u32()),
            LinkAttr::LINK => self.link = self.opt(attr.u32()),
            LinkAttr::LINK_NETNSID => self.link_netnsid = self.opt(attr.i32()),
            LinkAttr::IFALIAS => self.alias = self.opt(bounded_str(attr, "IFLA_IFALIAS")),
            LinkAttr::GROUP => self.group = self.opt(attr.u32()),
            LinkAttr::PROMISCUITY => self.promiscuity = self.opt(attr.u32()),
            LinkAttr::CARRIER => self.carrier = self.opt(attr.u8().map(|c| c != 0)),
            LinkAttr::CARRIER_CHANGES => self.carrier_changes = self.opt(attr.u32()),
            LinkAttr::QDISC => self.qdisc = self.opt(bounded_str(attr, "IFLA_QDISC")),
            LinkAttr::STATS64 => self.stats = Some(LinkStats64::from_attr(attr)),
            LinkAttr::LINKINFO => self.linkinfo(attr),
            LinkAttr::ALLMULTI => self.allmulti = self.opt(attr.u32()),
            LinkAttr::NUM_TX_QUEUES => self.num_tx_queues = self.opt(attr.u32()),
            LinkAttr::NUM_RX_QUEUES => self.num_rx_queues = self.opt(attr.u32()),
            LinkAttr::GSO_MAX_SIZE => self.gso_max_size = self.opt(attr.u32()),
            LinkAttr::GSO_MAX_SEGS => self.gso_max_segs = self.opt(attr.u32()),
            LinkAttr::TSO_MAX_SIZE => self.tso_max_size = self.opt(attr.u32()),
            LinkAttr::TSO_MAX_SEGS => self.tso_max_segs = self.opt(attr.u32()),
            LinkAttr::GRO_MAX_SIZE => self.gro_max_size = self.opt(attr.u32()),
            LinkAttr::PARENT_DEV_BUS_NAME => {
                self.parent_bus = self.opt(bounded_str(attr, "IFLA_PARENT_DEV_BUS_NAME"))
            }
            LinkAttr::PARENT_DEV_NAME => {
                self.parent_dev = self.opt(bounded_str(attr, "IFLA_PARENT_DEV_NAME"))
            }
            LinkAttr::AF_SPEC => self.af_spec(attr),
            _ => {}
        }
    }

    /// `IFLA_AF_SPEC`: per family; only IPv6's address generation mode
    /// is kept.
    fn af_spec(&mut self, attr: &Attr<'_>) {
        let inet6 = attr
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == u16::from(AddrFamily::INET6.0));
        if let Some(inet6) = inet6 {
            if let Some(mode) = inet6
                .nested()
                .map_while(Result::ok)
                .find(|a| a.kind() == INET6_ADDR_GEN_MODE)
            {
                self.addr_gen_mode = self.opt(mode.u8());
            }
        }
    }

    fn linkinfo(&mut self, attr: &Attr<'_>) {
        let mut data = None;
        for item in attr.nested() {
            let inner = match item {
                Ok(a) => a,
                Err(e) => {
                    self.note(e);
                    break;
                }
            };
            match InfoAttr(inner.kind()) {
                InfoAttr::KIND => self.kind = self.opt(bounded_str(&inner, "IFLA_INFO_KIND")),
                InfoAttr::SLAVE_KIND => {
                    self.slave_kind = self.opt(bounded_str(&inner, "IFLA_INFO_SLAVE_KIND"));
                }
                InfoAttr::DATA => data = Some(inner),
                _ => {}
            }
        }
        self.info = match self.kind.as_deref() {
            Some(kind) => info_data(kind, data),
            None => LinkInfoData::Other,
        };
    }
}

/// Best-effort decode of `IFLA_INFO_DATA` for `kind`. Malformed or missing
/// attributes give `None` fields; this never fails.
fn info_data(kind: &str, data: Option<Attr<'_>>) -> LinkInfoData {
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
            }
        }
        _ => LinkInfoData::Other,
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Which link a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRef<'a> {
    /// By interface index (`ifi_index`).
    Index(u32),
    /// By name (`IFLA_IFNAME`, with `ifi_index` 0).
    Name(&'a IfName),
}

/// A network namespace to move a link into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetnsRef {
    /// The namespace of process `pid` (`IFLA_NET_NS_PID`).
    Pid(u32),
    /// The namespace an open file descriptor refers to (`IFLA_NET_NS_FD`),
    /// e.g. `/run/netns/NAME` or `/proc/PID/ns/net`.
    Fd(u32),
}

/// The kind of link to create, with its kind-specific settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkKind<'a> {
    /// `bridge`.
    Bridge,
    /// `dummy`.
    Dummy,
    /// `ifb`.
    Ifb,
    /// `veth`: a pair; `peer` names the other end.
    Veth {
        /// The peer's name.
        peer: &'a IfName,
        /// Create the peer directly in this namespace.
        peer_netns: Option<NetnsRef>,
    },
    /// `macvlan` on `parent`.
    Macvlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// `IFLA_MACVLAN_MODE`.
        mode: MacvlanMode,
    },
    /// `ipvlan` on `parent`.
    Ipvlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// `IFLA_IPVLAN_MODE`.
        mode: IpvlanMode,
    },
    /// `vlan` on `parent`.
    Vlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// The VLAN id, 0 to 4094.
        id: u16,
        /// The tag protocol. [`VlanProtocol::DOT1Q`] is the kernel's default
        /// and is not sent (as iproute2 does).
        protocol: VlanProtocol,
    },
    /// `vxlan`.
    Vxlan {
        /// The VNI, below 2^24.
        id: u32,
        /// Destination UDP port; the kernel's default without it is 8472,
        /// not IANA's 4789.
        port: Option<u16>,
        /// Source address.
        local: Option<IpAddr>,
        /// Unicast remote, or multicast group when the address is multicast.
        /// Must be of the same family as `local`.
        remote: Option<IpAddr>,
        /// The underlay interface (`IFLA_VXLAN_LINK`).
        parent: Option<u32>,
        /// `IFLA_VXLAN_LEARNING`; the kernel default is on. iproute2 always
        /// sends it (`Some(true)` unless `nolearning`).
        learning: Option<bool>,
    },
    /// Any other kind, by its `IFLA_INFO_KIND` name, without
    /// kind-specific settings (`ip link add NAME type KIND`); the kernel
    /// refuses one it does not know (`EOPNOTSUPP`, "Unknown device type").
    Other {
        /// The kind's name, e.g. `"wireguard"`.
        kind: &'a str,
    },
}

impl<'a> LinkKind<'a> {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &'a str {
        match self {
            Self::Other { kind } => kind,
            Self::Bridge => "bridge",
            Self::Dummy => "dummy",
            Self::Ifb => "ifb",
            Self::Veth { .. } => "veth",
            Self::Macvlan { .. } => "macvlan",
            Self::Ipvlan { .. } => "ipvlan",
            Self::Vlan { .. } => "vlan",
            Self::Vxlan { .. } => "vxlan",
        }
    }
}

/// What [`encode_new`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLink<'a> {
    /// The new link's name.
    pub name: &'a IfName,
    /// Its kind.
    pub kind: LinkKind<'a>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_ADDRESS`.
    pub mac: Option<Mac>,
    /// `IFLA_MASTER`: enslave to this bridge/bond at creation.
    pub master: Option<u32>,
    /// Create it administratively up (`IFF_UP` in `ifi_flags` and `ifi_change`).
    pub up: bool,
    /// Create it in another namespace.
    pub netns: Option<NetnsRef>,
    /// For a veth: the peer's `IFLA_ADDRESS` (`peer name P address MAC`).
    pub peer_mac: Option<Mac>,
}

impl<'a> NewLink<'a> {
    /// A link named `name` of `kind`, everything else left to the kernel.
    pub fn new(name: &'a IfName, kind: LinkKind<'a>) -> Self {
        Self {
            name,
            kind,
            mtu: None,
            mac: None,
            master: None,
            up: false,
            netns: None,
            peer_mac: None,
        }
    }
}

/// What [`encode_set`] changes. `None` fields are left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkChange<'a> {
    /// Set (`Some(true)`) or clear `IFF_UP`.
    pub up: Option<bool>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_ADDRESS`.
    pub mac: Option<Mac>,
    /// Rename (`IFLA_IFNAME`).
    pub name: Option<&'a IfName>,
    /// `Some(Some(i))` enslaves to `i`; `Some(None)` releases
    /// (`nomaster`: `IFLA_MASTER` 0).
    pub master: Option<Option<u32>>,
    /// Move to another namespace.
    pub netns: Option<NetnsRef>,
}

fn index_i32(index: u32) -> Result<i32, EncodeError> {
    match i32::try_from(index) {
        Ok(i) if i > 0 => Ok(i),
        _ => Err(EncodeError::Invalid {
            what: "interface index (must be 1..=i32::MAX)",
        }),
    }
}

fn put_netns(w: &mut MsgWriter<'_>, ns: NetnsRef) -> Result<(), EncodeError> {
    match ns {
        NetnsRef::Pid(pid) => w.put_u32(LinkAttr::NET_NS_PID.0, pid),
        NetnsRef::Fd(fd) => w.put_u32(LinkAttr::NET_NS_FD.0, fd),
    }
}

fn put_ref(
    w: &mut MsgWriter<'_>,
    family: AddrFamily,
    link: LinkRef<'_>,
) -> Result<(), EncodeError> {
    match link {
        LinkRef::Index(i) => {
            let hdr = IfInfoMsg::new(family, index_i32(i)?, IfFlags::EMPTY, IfFlags::EMPTY);
            w.put_fixed(&hdr)
        }
        LinkRef::Name(name) => {
            w.put_fixed(&IfInfoMsg::new(family, 0, IfFlags::EMPTY, IfFlags::EMPTY))?;
            w.put_str(LinkAttr::IFNAME.0, name)
        }
    }
}

/// `RTM_GETLINK` dump of every link, as `ip link show` sends it: family
/// `AF_PACKET` and `IFLA_EXT_MASK` = [`RTEXT_FILTER_VF`]. (The kernel
/// serves link requests of any family with its `AF_UNSPEC` handler; iproute2
/// uses `AF_PACKET`, and so do we so the bytes match.)
///
/// # Errors
///
/// [`EncodeError::BufferFull`] (nothing is left in the writer) or
/// [`EncodeError::Misuse`] if a message is already open.
pub fn encode_dump<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETLINK,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&IfInfoMsg::new(
                AddrFamily::PACKET,
                0,
                IfFlags::EMPTY,
                IfFlags::EMPTY,
            ))?;
            w.put_u32(LinkAttr::EXT_MASK.0, RTEXT_FILTER_VF)
        },
    )
}

/// `RTM_GETLINK` for one link, as `ip link show NAME` sends it (family
/// `AF_PACKET`, then `IFLA_IFNAME` for a name, then `IFLA_EXT_MASK` =
/// [`RTEXT_FILTER_VF`]). The answer is one `RTM_NEWLINK`, then the ack.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 or above `i32::MAX`;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    link: LinkRef<'_>,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_ref(w, AddrFamily::PACKET, link)?;
        w.put_u32(LinkAttr::EXT_MASK.0, RTEXT_FILTER_VF)
    })
}

/// `RTM_DELLINK` (`ip link del`). Deleting one end of a veth deletes both.
///
/// # Errors
///
/// As [`encode_get`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    link: LinkRef<'_>,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_DELLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_ref(w, AddrFamily::UNSPEC, link)
    })
}

fn check_kind(kind: &LinkKind<'_>) -> Result<(), EncodeError> {
    match *kind {
        LinkKind::Vlan { id, .. } if id > 4094 => Err(EncodeError::Invalid {
            what: "vlan id (must be 0..=4094)",
        }),
        LinkKind::Vxlan { id, .. } if id >= 1 << 24 => Err(EncodeError::Invalid {
            what: "vxlan id (must be below 2^24)",
        }),
        LinkKind::Vxlan {
            local: Some(l),
            remote: Some(r),
            ..
        } if l.is_ipv4() != r.is_ipv4() => Err(EncodeError::Invalid {
            what: "vxlan local and remote of different address families",
        }),
        _ => Ok(()),
    }
}

fn put_info_data(
    w: &mut MsgWriter<'_>,
    kind: &LinkKind<'_>,
    peer_mac: Option<Mac>,
) -> Result<(), EncodeError> {
    match *kind {
        LinkKind::Bridge | LinkKind::Dummy | LinkKind::Ifb | LinkKind::Other { .. } => Ok(()),
        LinkKind::Veth { peer, peer_netns } => w.nested(InfoAttr::DATA.0, |w| {
            w.nested(VETH_INFO_PEER, |w| {
                w.put_fixed(&IfInfoMsg::default())?;
                if let Some(mac) = peer_mac {
                    w.put(LinkAttr::ADDRESS.0, &mac.0)?;
                }
                w.put_str(LinkAttr::IFNAME.0, peer)?;
                peer_netns.map_or(Ok(()), |ns| put_netns(w, ns))
            })
        }),
        LinkKind::Macvlan { mode, .. } => {
            w.nested(InfoAttr::DATA.0, |w| w.put_u32(MacvlanAttr::MODE.0, mode.0))
        }
        LinkKind::Ipvlan { mode, .. } => w.nested(InfoAttr::DATA.0, |w| {
            w.put_u16(IpvlanAttr::MODE.0, mode.0)?;
            // iproute2 always sends the flags; 0 (bridge) is also the
            // kernel's default.
            w.put_u16(IpvlanAttr::FLAGS.0, 0)
        }),
        LinkKind::Vlan { id, protocol, .. } => w.nested(InfoAttr::DATA.0, |w| {
            if protocol != VlanProtocol::DOT1Q {
                w.put_be16(VlanAttr::PROTOCOL.0, protocol.0)?;
            }
            w.put_u16(VlanAttr::ID.0, id)
        }),
        LinkKind::Vxlan {
            id,
            port,
            local,
            remote,
            parent,
            learning,
        } => w.nested(InfoAttr::DATA.0, |w| {
            w.put_u32(VxlanAttr::ID.0, id)?;
            if let Some(p) = parent {
                w.put_u32(VxlanAttr::LINK.0, p)?;
            }
            match local {
                Some(IpAddr::V4(a)) => w.put(VxlanAttr::LOCAL.0, &a.octets())?,
                Some(IpAddr::V6(a)) => w.put(VxlanAttr::LOCAL6.0, &a.octets())?,
                None => {}
            }
            match remote {
                Some(IpAddr::V4(a)) => w.put(VxlanAttr::GROUP.0, &a.octets())?,
                Some(IpAddr::V6(a)) => w.put(VxlanAttr::GROUP6.0, &a.octets())?,
                None => {}
            }
            if let Some(l) = learning {
                w.put_u8(VxlanAttr::LEARNING.0, u8::from(l))?;
            }
            if let Some(p) = port {
                w.put_be16(VxlanAttr::PORT.0, p)?;
            }
            Ok(())
        }),
    }
}

/// `RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL` (`ip link add`).
///
/// Attribute order follows iproute2: `IFLA_ADDRESS`, `IFLA_LINK` (parent of
/// macvlan/ipvlan/vlan), `IFLA_IFNAME`, `IFLA_MTU`, `IFLA_MASTER`,
/// `IFLA_NET_NS_*`, `IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA }`.
/// Nests carry `NLA_F_NESTED` (iproute2 leaves it out; the kernel accepts
/// both).
///
/// # Errors
///
/// [`EncodeError::Invalid`] for a vlan id above 4094, a vxlan id of 2^24 or
/// more, or vxlan `local`/`remote` of different families;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    new: &NewLink<'_>,
) -> Result<Request<'w>, EncodeError> {
    check_kind(&new.kind)?;
    let flags = Flags::REQUEST | Flags::CREATE | Flags::EXCL;
    request(w, RTM_NEWLINK, flags, Expect::Ack, |w| {
        let up = if new.up { IfFlags::UP } else { IfFlags::EMPTY };
        w.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, 0, up, up))?;
        if let Some(mac) = new.mac {
            w.put(LinkAttr::ADDRESS.0, &mac.0)?;
        }
        match new.kind {
            LinkKind::Macvlan { parent, .. }
            | LinkKind::Ipvlan { parent, .. }
            | LinkKind::Vlan { parent, .. } => w.put_u32(LinkAttr::LINK.0, parent)?,
            _ => {}
        }
        w.put_str(LinkAttr::IFNAME.0, new.name)?;
        if let Some(mtu) = new.mtu {
            w.put_u32(LinkAttr::MTU.0, mtu)?;
        }
        if let Some(master) = new.master {
            w.put_u32(LinkAttr::MASTER.0, master)?;
        }
        if let Some(ns) = new.netns {
            put_netns(w, ns)?;
        }
        w.nested(LinkAttr::LINKINFO.0, |w| {
            // Without the NUL, as iproute2 sends it (`addattr_l(.., strlen)`);
            // `IFLA_INFO_KIND` is an `NLA_STRING`, so the kernel takes both.
            w.put(InfoAttr::KIND.0, new.kind.name().as_bytes())?;
            put_info_data(w, &new.kind, new.peer_mac)
        })
    })
}

/// `RTM_NEWLINK` without create flags on link `index` (`ip link set`), as
/// iproute2 sends it: `IFF_UP` goes in `ifi_flags` under an `ifi_change`
/// mask of `IFF_UP`; the rest are attributes (`IFLA_ADDRESS`, `IFLA_IFNAME`,
/// `IFLA_MTU`, `IFLA_MASTER`, `IFLA_NET_NS_*`).
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 or above `i32::MAX`;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_set<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    change: &LinkChange<'_>,
) -> Result<Request<'w>, EncodeError> {
    let index = index_i32(index)?;
    request(w, RTM_NEWLINK, Flags::REQUEST, Expect::Ack, |w| {
        let (flags, mask) = match change.up {
            Some(true) => (IfFlags::UP, IfFlags::UP),
            Some(false) => (IfFlags::EMPTY, IfFlags::UP),
            None => (IfFlags::EMPTY, IfFlags::EMPTY),
        };
        w.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, index, flags, mask))?;
        if let Some(mac) = change.mac {
            w.put(LinkAttr::ADDRESS.0, &mac.0)?;
        }
        if let Some(name) = change.name {
            w.put_str(LinkAttr::IFNAME.0, name)?;
        }
        if let Some(mtu) = change.mtu {
            w.put_u32(LinkAttr::MTU.0, mtu)?;
        }
        if let Some(master) = change.master {
            w.put_u32(LinkAttr::MASTER.0, master.unwrap_or(0))?;
        }
        if let Some(ns) = change.netns {
            put_netns(w, ns)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attrs, Msgs};
    use core::net::{Ipv4Addr, Ipv6Addr};

    fn first_msg(bytes: &[u8]) -> Msg<'_> {
        Msgs::new(bytes).next().unwrap().unwrap()
    }

    fn name(s: &str) -> IfName {
        IfName::new(s).unwrap()
    }

    /// Make our request comparable with iproute2's: set `NLM_F_ACK` (the
    /// session adds it on submit; iproute2 sets it itself) and clear
    /// `NLA_F_NESTED` (our writer sets it on every nest, iproute2 never
    /// does; the kernel accepts both). The walk descends into flagged
    /// attributes only, skipping the `ifinfomsg` at the start of
    /// `VETH_INFO_PEER` (depth 2: LINKINFO > DATA > PEER).
    fn as_iproute2(msg: &mut [u8]) {
        msg[6] |= Flags::ACK.0 as u8;
        fn walk(b: &mut [u8], depth: usize) {
            let mut i = 0;
            while i + 4 <= b.len() {
                let len = usize::from(u16::from_ne_bytes([b[i], b[i + 1]]));
                let ty = u16::from_ne_bytes([b[i + 2], b[i + 3]]);
                if ty & 0x8000 != 0 {
                    b[i + 3] &= 0x7f;
                    let skip = if depth == 2 && ty & 0x7fff == VETH_INFO_PEER {
                        16
                    } else {
                        0
                    };
                    walk(&mut b[i + 4 + skip..i + len], depth + 1);
                }
                i += (len + 3) & !3;
            }
        }
        walk(&mut msg[32..], 0);
    }

    /// `ip link show lo` (link_show_lo.jsonl #4): RTM_GETLINK by name.
    #[rustfmt::skip]
    const IP_LINK_SHOW_LO: [u8; 48] = [
        // nlmsghdr: len 48, type 18, flags 0x1, seq 0, pid 0
        0x30, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "lo"
        0x07, 0x00, 0x03, 0x00, 0x6c, 0x6f, 0x00, 0x00,
        // IFLA_EXT_MASK = 1
        0x08, 0x00, 0x1d, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];
    /// `ip link show` (link_show_dump.jsonl #2): RTM_GETLINK dump.
    #[rustfmt::skip]
    const IP_LINK_SHOW: [u8; 40] = [
        // nlmsghdr: len 40, type 18, flags 0x301, seq 0, pid 0
        0x28, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_EXT_MASK = 1
        0x08, 0x00, 0x1d, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];
    /// `ip link add name br0 type bridge` (link_add_bridge.jsonl #2).
    #[rustfmt::skip]
    const IP_LINK_ADD_BRIDGE: [u8; 56] = [
        // nlmsghdr: len 56, type 16, flags 0x605, seq 0, pid 0
        0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "br0"
        0x08, 0x00, 0x03, 0x00, 0x62, 0x72, 0x30, 0x00,
        // IFLA_LINKINFO (12 bytes)
        0x10, 0x00, 0x12, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x62, 0x72, 0x69, 0x64, 0x67, 0x65, 0x00, 0x00,
    ];
    /// `ip link add name v0 type veth peer name v1` (link_add_veth.jsonl #2).
    #[rustfmt::skip]
    const IP_LINK_ADD_VETH: [u8; 84] = [
        // nlmsghdr: len 84, type 16, flags 0x605, seq 0, pid 0
        0x54, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "v0"
        0x07, 0x00, 0x03, 0x00, 0x76, 0x30, 0x00, 0x00,
        // IFLA_LINKINFO (40 bytes)
        0x2c, 0x00, 0x12, 0x00, 0x08, 0x00, 0x01, 0x00, 0x76, 0x65, 0x74, 0x68, 0x20, 0x00, 0x02, 0x00,
        0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x03, 0x00, 0x76, 0x31, 0x00, 0x00,
    ];
    /// `ip link add link v0 name mv0 type macvlan mode bridge` (link_add_macvlan_on_veth.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_ADD_MACVLAN: [u8; 76] = [
        // nlmsghdr: len 76, type 16, flags 0x605, seq 0, pid 0
        0x4c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINK = 3
        0x08, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "mv0"
        0x08, 0x00, 0x03, 0x00, 0x6d, 0x76, 0x30, 0x00,
        // IFLA_LINKINFO (24 bytes)
        0x1c, 0x00, 0x12, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x6d, 0x61, 0x63, 0x76, 0x6c, 0x61, 0x6e, 0x00,
        0x0c, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00,
    ];
    /// `ip link add name vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 remote 10.0.0.2` (link_add_vxlan.jsonl #2).
    #[rustfmt::skip]
    const IP_LINK_ADD_VXLAN: [u8; 100] = [
        // nlmsghdr: len 100, type 16, flags 0x605, seq 0, pid 0
        0x64, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "vx0"
        0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x30, 0x00,
        // IFLA_LINKINFO (56 bytes)
        0x3c, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00, 0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00,
        0x2c, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00,
        0x0a, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x02, 0x05, 0x00, 0x07, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00, 0x00,
    ];
    /// `ip link add name d0 type dummy` (err_link_add_dummy.jsonl #2).
    #[rustfmt::skip]
    const IP_LINK_ADD_DUMMY: [u8; 56] = [
        // nlmsghdr: len 56, type 16, flags 0x605, seq 0, pid 0
        0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "d0"
        0x07, 0x00, 0x03, 0x00, 0x64, 0x30, 0x00, 0x00,
        // IFLA_LINKINFO (12 bytes)
        0x10, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00, 0x64, 0x75, 0x6d, 0x6d, 0x79, 0x00, 0x00, 0x00,
    ];
    /// `ip link add link v0 name v0.10 type vlan id 10` (err_link_add_vlan.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_ADD_VLAN: [u8; 76] = [
        // nlmsghdr: len 76, type 16, flags 0x605, seq 0, pid 0
        0x4c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINK = 3
        0x08, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "v0.10"
        0x0a, 0x00, 0x03, 0x00, 0x76, 0x30, 0x2e, 0x31, 0x30, 0x00, 0x00, 0x00,
        // IFLA_LINKINFO (20 bytes)
        0x18, 0x00, 0x12, 0x00, 0x08, 0x00, 0x01, 0x00, 0x76, 0x6c, 0x61, 0x6e, 0x0c, 0x00, 0x02, 0x00,
        0x06, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x00,
    ];
    /// `ip link add link v0 name v0.20 type vlan proto 802.1ad id 20` (err_link_add_vlan_8021ad.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_ADD_VLAN_8021AD: [u8; 84] = [
        // nlmsghdr: len 84, type 16, flags 0x605, seq 0, pid 0
        0x54, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINK = 3
        0x08, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "v0.20"
        0x0a, 0x00, 0x03, 0x00, 0x76, 0x30, 0x2e, 0x32, 0x30, 0x00, 0x00, 0x00,
        // IFLA_LINKINFO (28 bytes)
        0x20, 0x00, 0x12, 0x00, 0x08, 0x00, 0x01, 0x00, 0x76, 0x6c, 0x61, 0x6e, 0x14, 0x00, 0x02, 0x00,
        0x06, 0x00, 0x05, 0x00, 0x88, 0xa8, 0x00, 0x00, 0x06, 0x00, 0x01, 0x00, 0x14, 0x00, 0x00, 0x00,
    ];
    /// `ip link add link v0 name iv0 type ipvlan mode l2` (err_link_add_ipvlan.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_ADD_IPVLAN: [u8; 84] = [
        // nlmsghdr: len 84, type 16, flags 0x605, seq 0, pid 0
        0x54, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINK = 3
        0x08, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "iv0"
        0x08, 0x00, 0x03, 0x00, 0x69, 0x76, 0x30, 0x00,
        // IFLA_LINKINFO (32 bytes)
        0x24, 0x00, 0x12, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x69, 0x70, 0x76, 0x6c, 0x61, 0x6e, 0x00, 0x00,
        0x14, 0x00, 0x02, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];
    /// `ip link add name vx0 address 01:00:00:00:00:01 type vxlan id 42 dstport 4789` (err_link_add_vxlan_mcast_address.jsonl #2).
    #[rustfmt::skip]
    const IP_LINK_ADD_VXLAN_ADDRESS: [u8; 96] = [
        // nlmsghdr: len 96, type 16, flags 0x605, seq 0, pid 0
        0x60, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ADDRESS (6 bytes)
        0x0a, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
        // IFLA_IFNAME = "vx0"
        0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x30, 0x00,
        // IFLA_LINKINFO (40 bytes)
        0x2c, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00, 0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00,
        0x1c, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x07, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00, 0x00,
    ];
    /// `ip link set dev v0 up` (link_set_up.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_SET_UP: [u8; 32] = [
        // nlmsghdr: len 32, type 16, flags 0x5, seq 0, pid 0
        0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];
    /// `ip link set v0 mtu 1400` (link_set_mtu.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_SET_MTU: [u8; 40] = [
        // nlmsghdr: len 40, type 16, flags 0x5, seq 0, pid 0
        0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MTU = 1400
        0x08, 0x00, 0x04, 0x00, 0x78, 0x05, 0x00, 0x00,
    ];
    /// `ip link set v0 address 02:00:00:00:00:01` (link_set_address.jsonl #6).
    #[rustfmt::skip]
    const IP_LINK_SET_ADDRESS: [u8; 44] = [
        // nlmsghdr: len 44, type 16, flags 0x5, seq 0, pid 0
        0x2c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ADDRESS (6 bytes)
        0x0a, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    ];
    /// `ip link set v0 name v9` (link_set_name.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_SET_NAME: [u8; 40] = [
        // nlmsghdr: len 40, type 16, flags 0x5, seq 0, pid 0
        0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "v9"
        0x07, 0x00, 0x03, 0x00, 0x76, 0x39, 0x00, 0x00,
    ];
    /// `ip link set v0 master br0` (link_set_master.jsonl #6).
    #[rustfmt::skip]
    const IP_LINK_SET_MASTER: [u8; 40] = [
        // nlmsghdr: len 40, type 16, flags 0x5, seq 0, pid 0
        0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MASTER = 4
        0x08, 0x00, 0x0a, 0x00, 0x04, 0x00, 0x00, 0x00,
    ];
    /// `ip link set v0 nomaster` (link_set_nomaster.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_SET_NOMASTER: [u8; 40] = [
        // nlmsghdr: len 40, type 16, flags 0x5, seq 0, pid 0
        0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MASTER = 0
        0x08, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    /// `ip link del v0` (link_del.jsonl #4).
    #[rustfmt::skip]
    const IP_LINK_DEL: [u8; 32] = [
        // nlmsghdr: len 32, type 17, flags 0x5, seq 0, pid 0
        0x20, 0x00, 0x00, 0x00, 0x11, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// The kernel's reply to `ip link show lo` (link_show_lo.jsonl #5).
    #[rustfmt::skip]
    const KERNEL_REPLY_GETLINK_LO: [u8; 1468] = [
        // nlmsghdr: len 1468, type 16, flags 0x0, seq 0, pid 0
        0xbc, 0x05, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x04, 0x03, 0x01, 0x00, 0x00, 0x00, 0x49, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "lo"
        0x07, 0x00, 0x03, 0x00, 0x6c, 0x6f, 0x00, 0x00,
        // IFLA_TXQLEN = 1000
        0x08, 0x00, 0x0d, 0x00, 0xe8, 0x03, 0x00, 0x00,
        // IFLA_OPERSTATE = 0
        0x05, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINKMODE = 0
        0x05, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NETNS_IMMUTABLE = 1
        0x05, 0x00, 0x43, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_MTU = 65536
        0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_MIN_MTU = 0
        0x08, 0x00, 0x32, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MAX_MTU = 0
        0x08, 0x00, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_GROUP = 0
        0x08, 0x00, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROMISCUITY = 0
        0x08, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ALLMULTI = 0
        0x08, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NUM_TX_QUEUES = 1
        0x08, 0x00, 0x1f, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_GSO_MAX_SEGS = 65535
        0x08, 0x00, 0x28, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_GSO_MAX_SIZE = 65536
        0x08, 0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_MAX_SIZE = 65536
        0x08, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GSO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x3f, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_TSO_MAX_SIZE = 524280
        0x08, 0x00, 0x3b, 0x00, 0xf8, 0xff, 0x07, 0x00,
        // IFLA_TSO_MAX_SEGS = 65535
        0x08, 0x00, 0x3c, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_MAX_PACING_OFFLOAD_HORIZON = 0
        0x08, 0x00, 0x42, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NUM_RX_QUEUES = 1
        0x08, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER = 1
        0x05, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_CHANGES = 0
        0x08, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_UP_COUNT = 0
        0x08, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_DOWN_COUNT = 0
        0x08, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_HEADROOM (2 bytes)
        0x06, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_TAILROOM (2 bytes)
        0x06, 0x00, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROTO_DOWN = 0
        0x05, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ADDRESS (6 bytes)
        0x0a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_BROADCAST (6 bytes)
        0x0a, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_STATS64 (200 bytes)
        0xcc, 0x00, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_STATS (96 bytes)
        0x64, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_XDP (8 bytes)
        0x0c, 0x00, 0x2b, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_QDISC = "noqueue"
        0x0c, 0x00, 0x06, 0x00, 0x6e, 0x6f, 0x71, 0x75, 0x65, 0x75, 0x65, 0x00,
        // IFLA_AF_SPEC (812 bytes)
        0x30, 0x03, 0x1a, 0x00, 0x8c, 0x00, 0x02, 0x00, 0x88, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xa0, 0x02, 0x0a, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80, 0x14, 0x00, 0x05, 0x00,
        0xff, 0xff, 0x00, 0x00, 0x52, 0xcc, 0x00, 0x00, 0x54, 0x58, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00,
        0xf4, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xa0, 0x0f, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
        0x80, 0x3a, 0x09, 0x00, 0x80, 0x51, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x58, 0x02, 0x00, 0x00,
        0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x60, 0xea, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00,
        0xe8, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0xee, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x34, 0x01, 0x03, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MAP (32 bytes)
        0x24, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_DEVLINK_PORT (nested) (0 bytes)
        0x04, 0x00, 0x3e, 0x80,
        // IFLA_DPLL_PIN (nested) (0 bytes)
        0x04, 0x00, 0x41, 0x80,
    ];
    /// The kernel's reply to `ip -d link show v0` for a veth `v0` (index 4,
    /// peer `v1` index 3) enslaved to bridge `br0` (index 2), all up, after some
    /// traffic (nl-capture --setup: add br0, veth v0/v1, v0 master br0, all up,
    /// 10.0.0.1/24 on br0, 3 UDP datagrams to 10.0.0.2).
    #[rustfmt::skip]
    const KERNEL_REPLY_GETLINK_VETH: [u8; 1848] = [
        // nlmsghdr: len 1848, type 16, flags 0x0, seq 0, pid 0
        0x38, 0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x43, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "v0"
        0x07, 0x00, 0x03, 0x00, 0x76, 0x30, 0x00, 0x00,
        // IFLA_TXQLEN = 1000
        0x08, 0x00, 0x0d, 0x00, 0xe8, 0x03, 0x00, 0x00,
        // IFLA_OPERSTATE = 6
        0x05, 0x00, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00,
        // IFLA_LINKMODE = 0
        0x05, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NETNS_IMMUTABLE = 0
        0x05, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MTU = 1500
        0x08, 0x00, 0x04, 0x00, 0xdc, 0x05, 0x00, 0x00,
        // IFLA_MIN_MTU = 68
        0x08, 0x00, 0x32, 0x00, 0x44, 0x00, 0x00, 0x00,
        // IFLA_MAX_MTU = 65535
        0x08, 0x00, 0x33, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_GROUP = 0
        0x08, 0x00, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROMISCUITY = 1
        0x08, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_ALLMULTI = 1
        0x08, 0x00, 0x3d, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_NUM_TX_QUEUES = 2
        0x08, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x00, 0x00,
        // IFLA_GSO_MAX_SEGS = 65535
        0x08, 0x00, 0x28, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_GSO_MAX_SIZE = 65536
        0x08, 0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_MAX_SIZE = 65536
        0x08, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GSO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x3f, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_TSO_MAX_SIZE = 524280
        0x08, 0x00, 0x3b, 0x00, 0xf8, 0xff, 0x07, 0x00,
        // IFLA_TSO_MAX_SEGS = 65535
        0x08, 0x00, 0x3c, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_MAX_PACING_OFFLOAD_HORIZON = 0
        0x08, 0x00, 0x42, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NUM_RX_QUEUES = 2
        0x08, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00,
        // IFLA_MASTER = 2
        0x08, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x00, 0x00,
        // IFLA_CARRIER = 1
        0x05, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_CHANGES = 2
        0x08, 0x00, 0x23, 0x00, 0x02, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_UP_COUNT = 1
        0x08, 0x00, 0x2f, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_DOWN_COUNT = 1
        0x08, 0x00, 0x30, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_HEADROOM (2 bytes)
        0x06, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_TAILROOM (2 bytes)
        0x06, 0x00, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROTO_DOWN = 0
        0x05, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ADDRESS (6 bytes)
        0x0a, 0x00, 0x01, 0x00, 0x72, 0xd3, 0xe5, 0x65, 0xfa, 0xa3, 0x00, 0x00,
        // IFLA_BROADCAST (6 bytes)
        0x0a, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
        // IFLA_STATS64 (200 bytes)
        0xcc, 0x00, 0x17, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xaa, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x03, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_STATS (96 bytes)
        0x64, 0x00, 0x07, 0x00, 0x05, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0xaa, 0x01, 0x00, 0x00,
        0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_XDP (8 bytes)
        0x0c, 0x00, 0x2b, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINKINFO (360 bytes)
        0x6c, 0x01, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00, 0x76, 0x65, 0x74, 0x68, 0x00, 0x00, 0x00, 0x00,
        0x0b, 0x00, 0x04, 0x00, 0x62, 0x72, 0x69, 0x64, 0x67, 0x65, 0x00, 0x00, 0x50, 0x01, 0x05, 0x00,
        0x05, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x1b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x0c, 0x00, 0x0d, 0x00, 0x80, 0x00, 0x72, 0xd3, 0xe5, 0x65, 0xfa, 0xa3, 0x0c, 0x00, 0x0e, 0x00,
        0x80, 0x00, 0x72, 0xd3, 0xe5, 0x65, 0xfa, 0xa3, 0x06, 0x00, 0x0f, 0x00, 0x01, 0x80, 0x00, 0x00,
        0x06, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x11, 0x00, 0x01, 0x80, 0x00, 0x00,
        0x06, 0x00, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x0c, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x16, 0x00,
        0x3c, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x25, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x08, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x29, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINK = 3
        0x08, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00,
        // IFLA_QDISC = "noqueue"
        0x0c, 0x00, 0x06, 0x00, 0x6e, 0x6f, 0x71, 0x75, 0x65, 0x75, 0x65, 0x00,
        // IFLA_AF_SPEC (812 bytes)
        0x30, 0x03, 0x1a, 0x00, 0x8c, 0x00, 0x02, 0x00, 0x88, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xa0, 0x02, 0x0a, 0x00, 0x08, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x80, 0x14, 0x00, 0x05, 0x00,
        0xff, 0xff, 0x00, 0x00, 0x09, 0x50, 0x01, 0x00, 0xe0, 0x50, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00,
        0xf4, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0xdc, 0x05, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xa0, 0x0f, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0x3a, 0x09, 0x00, 0x80, 0x51, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x58, 0x02, 0x00, 0x00,
        0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x60, 0xea, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00,
        0xe8, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0xee, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x34, 0x01, 0x03, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x64, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MAP (32 bytes)
        0x24, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_DEVLINK_PORT (nested) (0 bytes)
        0x04, 0x00, 0x3e, 0x80,
        // IFLA_DPLL_PIN (nested) (0 bytes)
        0x04, 0x00, 0x41, 0x80,
    ];
    /// The kernel's reply to `ip -d link show vx0` after
    /// `ip link add name vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 remote 10.0.0.2`.
    #[rustfmt::skip]
    const KERNEL_REPLY_GETLINK_VXLAN: [u8; 1700] = [
        // nlmsghdr: len 1700, type 16, flags 0x0, seq 0, pid 0
        0xa4, 0x06, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifinfomsg: family, pad, type, index, flags, change
        0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_IFNAME = "vx0"
        0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x30, 0x00,
        // IFLA_TXQLEN = 1000
        0x08, 0x00, 0x0d, 0x00, 0xe8, 0x03, 0x00, 0x00,
        // IFLA_OPERSTATE = 2
        0x05, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00,
        // IFLA_LINKMODE = 0
        0x05, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NETNS_IMMUTABLE = 0
        0x05, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MTU = 1500
        0x08, 0x00, 0x04, 0x00, 0xdc, 0x05, 0x00, 0x00,
        // IFLA_MIN_MTU = 68
        0x08, 0x00, 0x32, 0x00, 0x44, 0x00, 0x00, 0x00,
        // IFLA_MAX_MTU = 65535
        0x08, 0x00, 0x33, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_GROUP = 0
        0x08, 0x00, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROMISCUITY = 0
        0x08, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ALLMULTI = 0
        0x08, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NUM_TX_QUEUES = 1
        0x08, 0x00, 0x1f, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_GSO_MAX_SEGS = 65535
        0x08, 0x00, 0x28, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_GSO_MAX_SIZE = 65536
        0x08, 0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_MAX_SIZE = 65536
        0x08, 0x00, 0x3a, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GSO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x3f, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_GRO_IPV4_MAX_SIZE = 65536
        0x08, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_TSO_MAX_SIZE = 65536
        0x08, 0x00, 0x3b, 0x00, 0x00, 0x00, 0x01, 0x00,
        // IFLA_TSO_MAX_SEGS = 65535
        0x08, 0x00, 0x3c, 0x00, 0xff, 0xff, 0x00, 0x00,
        // IFLA_MAX_PACING_OFFLOAD_HORIZON = 0
        0x08, 0x00, 0x42, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_NUM_RX_QUEUES = 1
        0x08, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER = 1
        0x05, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_CHANGES = 0
        0x08, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_UP_COUNT = 0
        0x08, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_CARRIER_DOWN_COUNT = 0
        0x08, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_HEADROOM (2 bytes)
        0x06, 0x00, 0x44, 0x00, 0x40, 0x00, 0x00, 0x00,
        // IFLA_TAILROOM (2 bytes)
        0x06, 0x00, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_PROTO_DOWN = 0
        0x05, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_ADDRESS (6 bytes)
        0x0a, 0x00, 0x01, 0x00, 0x8e, 0xc9, 0xa8, 0x74, 0xf8, 0x89, 0x00, 0x00,
        // IFLA_BROADCAST (6 bytes)
        0x0a, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
        // IFLA_STATS64 (200 bytes)
        0xcc, 0x00, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_STATS (96 bytes)
        0x64, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_XDP (8 bytes)
        0x0c, 0x00, 0x2b, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_LINKINFO (228 bytes)
        0xe8, 0x00, 0x12, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00,
        0xd8, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
        0x0a, 0x00, 0x00, 0x02, 0x08, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x05, 0x00, 0x05, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x1a, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x07, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0c, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0e, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00,
        0x2c, 0x01, 0x00, 0x00, 0x08, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0f, 0x00,
        0x12, 0xb5, 0x00, 0x00, 0x05, 0x00, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x13, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x15, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1f, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x21, 0x00,
        0xf7, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff,
        // IFLA_QDISC = "noop"
        0x09, 0x00, 0x06, 0x00, 0x6e, 0x6f, 0x6f, 0x70, 0x00, 0x00, 0x00, 0x00,
        // IFLA_AF_SPEC (812 bytes)
        0x30, 0x03, 0x1a, 0x00, 0x8c, 0x00, 0x02, 0x00, 0x88, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xa0, 0x02, 0x0a, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x00,
        0xff, 0xff, 0x00, 0x00, 0x48, 0x4d, 0x01, 0x00, 0x3c, 0x70, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00,
        0xf4, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0xdc, 0x05, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xa0, 0x0f, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0x3a, 0x09, 0x00, 0x80, 0x51, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x58, 0x02, 0x00, 0x00,
        0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x60, 0xea, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00,
        0xe8, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0xee, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x34, 0x01, 0x03, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        // IFLA_MAP (32 bytes)
        0x24, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        // IFLA_DEVLINK_PORT (nested) (0 bytes)
        0x04, 0x00, 0x3e, 0x80,
        // IFLA_DPLL_PIN (nested) (0 bytes)
        0x04, 0x00, 0x41, 0x80,
    ];

    fn encode_new_bytes<'b>(buf: &'b mut [u8], new: &NewLink<'_>) -> &'b mut [u8] {
        let mut w = MsgWriter::new(buf);
        let n = encode_new(&mut w, new).unwrap().msg.len();
        &mut buf[..n]
    }

    fn assert_new_like_iproute2(new: &NewLink<'_>, golden: &[u8]) {
        let mut buf = [0xa5u8; 256];
        let ours = encode_new_bytes(&mut buf, new);
        as_iproute2(ours);
        assert_eq!(&*ours, golden);
    }

    fn assert_set_like_iproute2(index: u32, change: &LinkChange<'_>, golden: &[u8]) {
        let mut buf = [0xa5u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_set(&mut w, index, change).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        as_iproute2(req.msg);
        assert_eq!(&*req.msg, golden);
    }

    #[test]
    fn emits_dump_like_iproute2() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump(&mut w).unwrap();
        assert_eq!(req.expect, Expect::Dump);
        assert_eq!(&*req.msg, &IP_LINK_SHOW[..]);
    }

    #[test]
    fn emits_get_like_iproute2() {
        let lo = name("lo");
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_get(&mut w, LinkRef::Name(&lo)).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        // iproute2's GET has no NLM_F_ACK; the session adds it to ours.
        assert_eq!(&*req.msg, &IP_LINK_SHOW_LO[..]);
        // By index: same header, ifi_index set, no IFLA_IFNAME.
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_get(&mut w, LinkRef::Index(7)).unwrap();
        assert_eq!(req.msg.len(), 40);
        assert_eq!(req.msg[16], AddrFamily::PACKET.0);
        assert_eq!(&req.msg[20..24], &7i32.to_ne_bytes());
        assert_eq!(&req.msg[32..40], &IP_LINK_SHOW_LO[40..48]);
    }

    #[test]
    fn emits_new_bridge_dummy_like_iproute2() {
        let br0 = name("br0");
        assert_new_like_iproute2(&NewLink::new(&br0, LinkKind::Bridge), &IP_LINK_ADD_BRIDGE);
        let d0 = name("d0");
        assert_new_like_iproute2(&NewLink::new(&d0, LinkKind::Dummy), &IP_LINK_ADD_DUMMY);
    }

    #[test]
    fn emits_new_veth_like_iproute2() {
        let (v0, v1) = (name("v0"), name("v1"));
        let kind = LinkKind::Veth {
            peer: &v1,
            peer_netns: None,
        };
        assert_new_like_iproute2(&NewLink::new(&v0, kind), &IP_LINK_ADD_VETH);
    }

    #[test]
    fn emits_new_macvlan_ipvlan_like_iproute2() {
        let mv0 = name("mv0");
        let kind = LinkKind::Macvlan {
            parent: 3,
            mode: MacvlanMode::BRIDGE,
        };
        assert_new_like_iproute2(&NewLink::new(&mv0, kind), &IP_LINK_ADD_MACVLAN);
        let iv0 = name("iv0");
        let kind = LinkKind::Ipvlan {
            parent: 3,
            mode: IpvlanMode::L2,
        };
        assert_new_like_iproute2(&NewLink::new(&iv0, kind), &IP_LINK_ADD_IPVLAN);
    }

    #[test]
    fn emits_new_vlan_like_iproute2() {
        let n = name("v0.10");
        let kind = LinkKind::Vlan {
            parent: 3,
            id: 10,
            protocol: VlanProtocol::DOT1Q,
        };
        assert_new_like_iproute2(&NewLink::new(&n, kind), &IP_LINK_ADD_VLAN);
        let n = name("v0.20");
        let kind = LinkKind::Vlan {
            parent: 3,
            id: 20,
            protocol: VlanProtocol::DOT1AD,
        };
        assert_new_like_iproute2(&NewLink::new(&n, kind), &IP_LINK_ADD_VLAN_8021AD);
    }

    #[test]
    fn emits_new_vxlan_like_iproute2() {
        let vx0 = name("vx0");
        let kind = LinkKind::Vxlan {
            id: 42,
            port: Some(4789),
            local: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))),
            remote: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))),
            parent: None,
            // iproute2 always sends IFLA_VXLAN_LEARNING.
            learning: Some(true),
        };
        assert_new_like_iproute2(&NewLink::new(&vx0, kind), &IP_LINK_ADD_VXLAN);
        let kind = LinkKind::Vxlan {
            id: 42,
            port: Some(4789),
            local: None,
            remote: None,
            parent: None,
            learning: Some(true),
        };
        let new = NewLink {
            mac: Some(Mac([1, 0, 0, 0, 0, 1])),
            ..NewLink::new(&vx0, kind)
        };
        assert_new_like_iproute2(&new, &IP_LINK_ADD_VXLAN_ADDRESS);
    }

    #[test]
    fn emits_set_like_iproute2() {
        let up = LinkChange {
            up: Some(true),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &up, &IP_LINK_SET_UP);
        let mtu = LinkChange {
            mtu: Some(1400),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &mtu, &IP_LINK_SET_MTU);
        let mac = LinkChange {
            mac: Some(Mac([2, 0, 0, 0, 0, 1])),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &mac, &IP_LINK_SET_ADDRESS);
        let v9 = name("v9");
        let rename = LinkChange {
            name: Some(&v9),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &rename, &IP_LINK_SET_NAME);
        let master = LinkChange {
            master: Some(Some(4)),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &master, &IP_LINK_SET_MASTER);
        let nomaster = LinkChange {
            master: Some(None),
            ..LinkChange::default()
        };
        assert_set_like_iproute2(3, &nomaster, &IP_LINK_SET_NOMASTER);
    }

    #[test]
    fn emits_set_down_and_netns() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let change = LinkChange {
            up: Some(false),
            netns: Some(NetnsRef::Fd(5)),
            ..LinkChange::default()
        };
        let req = encode_set(&mut w, 3, &change).unwrap();
        let (hdr, mut attrs) = first_msg(req.msg).split::<IfInfoMsg>("t").unwrap();
        assert_eq!((hdr.flags.get(), hdr.change.get()), (0, IfFlags::UP.0));
        let a = attrs.next().unwrap().unwrap();
        assert_eq!((a.kind(), a.u32()), (LinkAttr::NET_NS_FD.0, Ok(5)));
        assert!(attrs.next().is_none());
    }

    #[test]
    fn emits_del_like_iproute2() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_del(&mut w, LinkRef::Index(3)).unwrap();
        as_iproute2(req.msg);
        assert_eq!(&*req.msg, &IP_LINK_DEL[..]);
    }

    #[test]
    fn parses_lo() {
        let link = Link::decode(&first_msg(&KERNEL_REPLY_GETLINK_LO)).unwrap();
        assert_eq!(link.index, 1);
        assert_eq!(link.name.as_str(), "lo");
        assert_eq!(link.mtu, Some(65536));
        assert_eq!(
            link.flags,
            IfFlags::LOOPBACK | IfFlags::UP | IfFlags::LOWER_UP | IfFlags::RUNNING
        );
        let names: heapless::Vec<&str, 20> = link.flags.iproute2_names().collect();
        assert_eq!(names.as_slice(), ["LOOPBACK", "UP", "LOWER_UP"]);
        assert_eq!(link.link_type, ARPHRD_LOOPBACK);
        assert_eq!(link_type_name(link.link_type), Some("loopback"));
        assert_eq!(link.operstate, OperState::UNKNOWN);
        assert_eq!(link.operstate.name(), Some("UNKNOWN"));
        assert_eq!(link.linkmode, Some(LinkMode::DEFAULT));
        assert_eq!(LinkMode(1).name(), Some("DORMANT"));
        assert_eq!(link.txqlen, Some(1000));
        assert_eq!(link.mac, Some(Mac([0; 6])));
        assert_eq!(link.address_raw.as_slice(), &[0; 6]);
        assert_eq!(link.qdisc.as_deref(), Some("noqueue"));
        assert_eq!((link.min_mtu, link.max_mtu), (Some(0), Some(0)));
        assert_eq!(link.carrier, Some(true));
        assert_eq!(
            (link.kind.as_deref(), &link.info),
            (None, &LinkInfoData::Other)
        );
        assert_eq!(link.master, None);
        assert_eq!(link.stats, Some(LinkStats64::default()));
        assert_eq!(link.malformed, None);
        assert!(link.is_up());
    }

    #[test]
    fn parses_veth_with_kind_and_stats() {
        let link = Link::decode(&first_msg(&KERNEL_REPLY_GETLINK_VETH)).unwrap();
        assert_eq!((link.index, link.name.as_str()), (4, "v0"));
        assert_eq!(link.kind.as_deref(), Some("veth"));
        assert_eq!(link.slave_kind.as_deref(), Some("bridge"));
        assert_eq!(link.info, LinkInfoData::Veth);
        assert_eq!(link.master, Some(2));
        assert_eq!(link.link, Some(3));
        assert_eq!(link.link_netnsid, None);
        assert_eq!(link.link_type, ARPHRD_ETHER);
        assert_eq!(link_type_name(link.link_type), Some("ether"));
        assert_eq!(link.operstate, OperState::UP);
        let names: heapless::Vec<&str, 20> = link.flags.iproute2_names().collect();
        assert_eq!(
            names.as_slice(),
            ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]
        );
        assert_eq!(link.mac, Some(Mac([0x72, 0xd3, 0xe5, 0x65, 0xfa, 0xa3])));
        assert_eq!(link.broadcast, Some(Mac([0xff; 6])));
        assert_eq!(
            (link.mtu, link.min_mtu, link.max_mtu),
            (Some(1500), Some(68), Some(65535))
        );
        assert_eq!(link.carrier_changes, Some(2));
        let s = link.stats.unwrap();
        assert_eq!((s.rx_packets, s.tx_packets), (5, 12));
        assert_eq!((s.rx_bytes, s.tx_bytes), (426, 924));
        assert_eq!(link.malformed, None);
    }

    #[test]
    fn parses_vxlan_info_data() {
        let link = Link::decode(&first_msg(&KERNEL_REPLY_GETLINK_VXLAN)).unwrap();
        assert_eq!(link.name.as_str(), "vx0");
        assert_eq!(
            link.info,
            LinkInfoData::Vxlan {
                id: Some(42),
                port: Some(4789),
                local: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))),
                remote: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))),
                link: None,
            }
        );
        assert!(!link.is_up());
        assert_eq!(link.operstate, OperState::DOWN);
        assert_eq!(link.malformed, None);
    }

    /// A create request is itself an RTM_NEWLINK, so it decodes as a Link:
    /// encode -> decode gives back name, parent, kind and info data.
    #[test]
    fn roundtrips_new_requests() {
        let n = name("x0");
        let cases = [
            (
                LinkKind::Macvlan {
                    parent: 3,
                    mode: MacvlanMode::VEPA,
                },
                LinkInfoData::Macvlan {
                    mode: Some(MacvlanMode::VEPA),
                },
                Some(3),
            ),
            (
                LinkKind::Ipvlan {
                    parent: 4,
                    mode: IpvlanMode::L3S,
                },
                LinkInfoData::Ipvlan {
                    mode: Some(IpvlanMode::L3S),
                },
                Some(4),
            ),
            (
                LinkKind::Vlan {
                    parent: 5,
                    id: 4094,
                    protocol: VlanProtocol::DOT1AD,
                },
                LinkInfoData::Vlan {
                    id: Some(4094),
                    protocol: Some(VlanProtocol::DOT1AD),
                },
                Some(5),
            ),
            (
                LinkKind::Vxlan {
                    id: (1 << 24) - 1,
                    port: None,
                    local: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                    remote: Some(IpAddr::V6(Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 0, 1))),
                    parent: Some(6),
                    learning: None,
                },
                LinkInfoData::Vxlan {
                    id: Some((1 << 24) - 1),
                    port: None,
                    local: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                    remote: Some(IpAddr::V6(Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 0, 1))),
                    link: Some(6),
                },
                None,
            ),
            (LinkKind::Ifb, LinkInfoData::Ifb, None),
        ];
        for (kind, info, parent) in cases {
            let new = NewLink {
                mtu: Some(1400),
                mac: Some(Mac([2, 0, 0, 0, 0, 9])),
                master: Some(2),
                up: true,
                ..NewLink::new(&n, kind)
            };
            let mut buf = [0u8; 256];
            let bytes = encode_new_bytes(&mut buf, &new);
            let link = Link::decode(&first_msg(bytes)).unwrap();
            assert_eq!(link.name, n);
            assert_eq!(link.kind.as_deref(), Some(kind.name()));
            assert_eq!(link.info, info, "{kind:?}");
            assert_eq!(link.link, parent);
            assert_eq!(link.mtu, Some(1400));
            assert_eq!(link.master, Some(2));
            assert_eq!(link.mac, Some(Mac([2, 0, 0, 0, 0, 9])));
            assert!(link.is_up());
            assert_eq!(link.malformed, None);
        }
    }

    #[test]
    fn emits_veth_peer_netns() {
        let (a, b) = (name("a"), name("b"));
        let kind = LinkKind::Veth {
            peer: &b,
            peer_netns: Some(NetnsRef::Pid(42)),
        };
        let mut buf = [0u8; 128];
        let bytes = encode_new_bytes(&mut buf, &NewLink::new(&a, kind));
        let msg = first_msg(bytes);
        let (_, attrs) = msg.split::<IfInfoMsg>("t").unwrap();
        let info = attrs.clone().find(LinkAttr::LINKINFO.0).unwrap();
        let data = info.nested().find(InfoAttr::DATA.0).unwrap();
        let peer = data.nested().find(VETH_INFO_PEER).unwrap();
        let rest = Attrs::new(&peer.payload()[16..]);
        assert_eq!(
            rest.clone().find(LinkAttr::IFNAME.0).unwrap().cstr(),
            Ok("b")
        );
        assert_eq!(rest.find(LinkAttr::NET_NS_PID.0).unwrap().u32(), Ok(42));
    }

    #[test]
    fn decodes_queues_offload_sizes_and_addrgenmode() {
        // What `ip -d link show v1` reads after promiscuity (values from a
        // veth's kernel answer, nl-capture --recv): allmulti 0, 2 and 2
        // queues, gso 65536/65535, tso 524280/65535, gro 65536, and
        // addrgenmode none (1) inside IFLA_AF_SPEC > AF_INET6.
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWLINK, Flags::EMPTY).unwrap();
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            2,
            IfFlags::EMPTY,
            IfFlags::EMPTY,
        ))
        .unwrap();
        w.put_str(LinkAttr::IFNAME.0, "v1").unwrap();
        for (k, v) in [
            (LinkAttr::ALLMULTI, 0),
            (LinkAttr::NUM_TX_QUEUES, 2),
            (LinkAttr::NUM_RX_QUEUES, 2),
            (LinkAttr::GSO_MAX_SIZE, 65536),
            (LinkAttr::GSO_MAX_SEGS, 65535),
            (LinkAttr::TSO_MAX_SIZE, 524_280),
            (LinkAttr::TSO_MAX_SEGS, 65535),
            (LinkAttr::GRO_MAX_SIZE, 65536),
        ] {
            w.put_u32(k.0, v).unwrap();
        }
        w.nested(LinkAttr::AF_SPEC.0, |w| {
            w.nested(u16::from(AddrFamily::INET.0), |w| w.put_u32(1, 0))?;
            w.nested(u16::from(AddrFamily::INET6.0), |w| {
                w.put_u32(1, 0)?;
                w.put_u8(INET6_ADDR_GEN_MODE, 1)
            })
        })
        .unwrap();
        let bytes = w.finish().unwrap().to_vec();
        let l = Link::decode(&first_msg(&bytes)).unwrap();
        assert_eq!(l.allmulti, Some(0));
        assert_eq!((l.num_tx_queues, l.num_rx_queues), (Some(2), Some(2)));
        assert_eq!((l.gso_max_size, l.gso_max_segs), (Some(65536), Some(65535)));
        assert_eq!(
            (l.tso_max_size, l.tso_max_segs),
            (Some(524_280), Some(65535))
        );
        assert_eq!(l.gro_max_size, Some(65536));
        assert_eq!(l.addr_gen_mode, Some(1));
        assert_eq!(l.malformed, None);
    }

    #[test]
    fn decodes_parent_device() {
        // `ip -d link` on a virtio NIC: parentbus virtio parentdev virtio2.
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWLINK, Flags::EMPTY).unwrap();
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            2,
            IfFlags::EMPTY,
            IfFlags::EMPTY,
        ))
        .unwrap();
        w.put_str(LinkAttr::IFNAME.0, "eth0").unwrap();
        w.put_str(LinkAttr::PARENT_DEV_NAME.0, "virtio2").unwrap();
        w.put_str(LinkAttr::PARENT_DEV_BUS_NAME.0, "virtio")
            .unwrap();
        let bytes = w.finish().unwrap().to_vec();
        let l = Link::decode(&first_msg(&bytes)).unwrap();
        assert_eq!(l.parent_dev.as_deref(), Some("virtio2"));
        assert_eq!(l.parent_bus.as_deref(), Some("virtio"));
        assert_eq!(l.malformed, None);
    }

    #[test]
    fn reads_bridge_and_bridge_port_options_raw() {
        // A bridge port that is a veth: LINKINFO { KIND veth, SLAVE_KIND
        // bridge, SLAVE_DATA { STATE 3, PRIORITY 32, COST 7, ROOT_ID,
        // HOLD_TIMER 250 } } (types and sizes as the kernel sends them).
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWLINK, Flags::EMPTY).unwrap();
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            3,
            IfFlags::EMPTY,
            IfFlags::EMPTY,
        ))
        .unwrap();
        w.put_str(LinkAttr::IFNAME.0, "v2").unwrap();
        w.nested(LinkAttr::LINKINFO.0, |w| {
            w.put(InfoAttr::KIND.0, b"veth")?;
            w.put(InfoAttr::SLAVE_KIND.0, b"bridge")?;
            w.nested(InfoAttr::SLAVE_DATA.0, |w| {
                w.put_u8(BridgePortAttr::STATE.0, 3)?;
                w.put_u16(BridgePortAttr::PRIORITY.0, 32)?;
                w.put_u32(BridgePortAttr::COST.0, 7)?;
                w.put(BridgePortAttr::ROOT_ID.0, &[0x80, 0, 2, 0, 0, 0, 0, 0x20])?;
                w.put_u64(BridgePortAttr::HOLD_TIMER.0, 250)?;
                // Longer than 8 bytes: not kept.
                w.put(99, &[0; 12])
            })
        })
        .unwrap();
        let bytes = w.finish().unwrap().to_vec();
        let x = LinkInfoAttrs::decode(&first_msg(&bytes)).unwrap();
        assert!(x.data.is_empty());
        assert_eq!(x.slave.uint(BridgePortAttr::STATE.0), Some(3));
        assert_eq!(x.slave.uint(BridgePortAttr::PRIORITY.0), Some(32));
        assert_eq!(x.slave.uint(BridgePortAttr::COST.0), Some(7));
        assert_eq!(x.slave.uint(BridgePortAttr::HOLD_TIMER.0), Some(250));
        assert_eq!(
            x.slave.bytes(BridgePortAttr::ROOT_ID.0),
            Some(&[0x80, 0, 2, 0, 0, 0, 0, 0x20][..])
        );
        assert_eq!(x.slave.bytes(99), None);
        assert_eq!(
            x.slave.uint(BridgePortAttr::ROOT_ID.0),
            Some(u64::from_ne_bytes([0x80, 0, 2, 0, 0, 0, 0, 0x20]))
        );
    }

    #[test]
    fn emits_any_kind_by_name() {
        // `ip link add w0 type wireguard`: just IFLA_INFO_KIND, no data.
        let n = name("w0");
        let new = NewLink::new(&n, LinkKind::Other { kind: "wireguard" });
        let mut buf = [0u8; 128];
        let bytes = encode_new_bytes(&mut buf, &new);
        let msg = first_msg(bytes);
        let (_, attrs) = msg.split::<IfInfoMsg>("t").unwrap();
        let info = attrs.clone().find(LinkAttr::LINKINFO.0).unwrap();
        assert_eq!(
            info.nested().find(InfoAttr::KIND.0).unwrap().payload(),
            b"wireguard"
        );
        assert!(info.nested().find(InfoAttr::DATA.0).is_none());
    }

    #[test]
    fn emits_veth_peer_address_as_iproute2() {
        // The LINKINFO of `ip link add v0 address 02:00:00:00:00:10 type
        // veth peer name v1 address 02:00:00:00:00:11` (nl-capture): the
        // peer's ifinfomsg, then IFLA_ADDRESS, then IFLA_IFNAME.
        let (a, b) = (name("v0"), name("v1"));
        let kind = LinkKind::Veth {
            peer: &b,
            peer_netns: None,
        };
        let new = NewLink {
            mac: Some(Mac([2, 0, 0, 0, 0, 0x10])),
            peer_mac: Some(Mac([2, 0, 0, 0, 0, 0x11])),
            ..NewLink::new(&a, kind)
        };
        let mut buf = [0u8; 256];
        let bytes = encode_new_bytes(&mut buf, &new);
        let msg = first_msg(bytes);
        let (_, attrs) = msg.split::<IfInfoMsg>("t").unwrap();
        let info = attrs.clone().find(LinkAttr::LINKINFO.0).unwrap();
        let data = info.nested().find(InfoAttr::DATA.0).unwrap();
        let peer = data.nested().find(VETH_INFO_PEER).unwrap();
        #[rustfmt::skip]
        let expect: [u8; 36] = [
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x0a, 0, 0x01, 0, 0x02, 0, 0, 0, 0, 0x11, 0, 0,
            0x07, 0, 0x03, 0, 0x76, 0x31, 0, 0,
        ];
        assert_eq!(peer.payload(), &expect);
    }

    #[test]
    fn rejects_invalid_requests() {
        let n = name("x");
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        let bad = [
            LinkKind::Vlan {
                parent: 1,
                id: 4095,
                protocol: VlanProtocol::DOT1Q,
            },
            LinkKind::Vxlan {
                id: 1 << 24,
                port: None,
                local: None,
                remote: None,
                parent: None,
                learning: None,
            },
            LinkKind::Vxlan {
                id: 1,
                port: None,
                local: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                remote: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                parent: None,
                learning: None,
            },
        ];
        for kind in bad {
            assert!(matches!(
                encode_new(&mut w, &NewLink::new(&n, kind)),
                Err(EncodeError::Invalid { .. })
            ));
        }
        for index in [0, u32::MAX] {
            assert!(matches!(
                encode_set(&mut w, index, &LinkChange::default()),
                Err(EncodeError::Invalid { .. })
            ));
            assert!(matches!(
                encode_del(&mut w, LinkRef::Index(index)),
                Err(EncodeError::Invalid { .. })
            ));
        }
        assert!(w.is_empty());
    }

    #[test]
    fn rolls_back_on_buffer_full() {
        let (v0, v1) = (name("v0"), name("v1"));
        let kind = LinkKind::Veth {
            peer: &v1,
            peer_netns: None,
        };
        let mut buf = [0u8; 200];
        let mut w = MsgWriter::new(&mut buf);
        let first = encode_dump(&mut w).unwrap().msg.len();
        for cap in [first + 20, first + 40, first + 70] {
            let mut small = [0u8; 200];
            let mut w = MsgWriter::new(&mut small[..cap]);
            let _ = encode_dump(&mut w).unwrap();
            assert!(matches!(
                encode_new(&mut w, &NewLink::new(&v0, kind)),
                Err(EncodeError::BufferFull { .. })
            ));
            assert_eq!(w.len(), first);
            assert!(!w.in_message());
        }
    }

    #[test]
    fn rejects_bad_messages() {
        let mut bytes = KERNEL_REPLY_GETLINK_LO;
        bytes[4] = 20; // RTM_NEWADDR
        assert!(matches!(
            Link::decode(&first_msg(&bytes)),
            Err(DecodeError::UnexpectedType { ty: 20, .. })
        ));
        // RTM_DELLINK is accepted.
        bytes[4] = 17;
        assert!(Link::decode(&first_msg(&bytes)).is_ok());
        // ifinfomsg cut short
        let mut cut = [0u8; 28];
        cut.copy_from_slice(&KERNEL_REPLY_GETLINK_LO[..28]);
        cut[0] = 28;
        cut[1] = 0;
        assert!(matches!(
            Link::decode(&first_msg(&cut)),
            Err(DecodeError::Truncated { .. })
        ));
        // header only: no IFLA_IFNAME
        let mut bare = [0u8; 32];
        bare.copy_from_slice(&KERNEL_REPLY_GETLINK_LO[..32]);
        bare[0] = 32;
        bare[1] = 0;
        assert!(matches!(
            Link::decode(&first_msg(&bare)),
            Err(DecodeError::MissingAttr { kind: 3, .. })
        ));
        // negative index
        let mut neg = KERNEL_REPLY_GETLINK_LO;
        neg[20..24].copy_from_slice(&(-1i32).to_ne_bytes());
        assert!(matches!(
            Link::decode(&first_msg(&neg)),
            Err(DecodeError::OutOfRange { .. })
        ));
        // a name IfName refuses: "l/" instead of "lo"
        let mut slash = KERNEL_REPLY_GETLINK_LO;
        slash[37] = b'/';
        assert_eq!(
            Link::decode(&first_msg(&slash)),
            Err(DecodeError::OutOfRange {
                what: "IFLA_IFNAME (forbidden byte)",
                value: u64::from(b'/'),
            })
        );
        let mut empty = KERNEL_REPLY_GETLINK_LO;
        empty[36] = 0;
        assert!(matches!(
            Link::decode(&first_msg(&empty)),
            Err(DecodeError::BadLength { len: 0, .. })
        ));
    }

    #[test]
    fn tolerates_malformed_optional_attrs() {
        // Turn IFLA_TXQLEN (at offset 40, 8 bytes) into a 5-byte attribute:
        // the link still decodes, txqlen is None and the error is kept.
        let mut bytes = KERNEL_REPLY_GETLINK_LO;
        bytes[40] = 5;
        let link = Link::decode(&first_msg(&bytes)).unwrap();
        assert_eq!(link.txqlen, None);
        assert_eq!(
            link.malformed,
            Some(DecodeError::AttrSize {
                kind: LinkAttr::TXQLEN.0,
                expected: 4,
                got: 1
            })
        );
        assert_eq!(link.mtu, Some(65536));
        // A framing error mid-stream: what came before survives.
        let mut bytes = KERNEL_REPLY_GETLINK_LO;
        bytes[48] = 0xff; // IFLA_OPERSTATE length past the end
        bytes[49] = 0xff;
        let link = Link::decode(&first_msg(&bytes)).unwrap();
        assert_eq!(link.txqlen, Some(1000));
        assert_eq!(link.mtu, None);
        assert!(matches!(
            link.malformed,
            Some(DecodeError::BadLength { .. })
        ));
    }

    #[test]
    fn never_panics_on_truncations() {
        for src in [
            &KERNEL_REPLY_GETLINK_LO[..],
            &KERNEL_REPLY_GETLINK_VETH[..],
            &KERNEL_REPLY_GETLINK_VXLAN[..],
        ] {
            for cut in 0..src.len() {
                let mut buf = [0u8; 2048];
                buf[..cut].copy_from_slice(&src[..cut]);
                let len = u32::try_from(cut).unwrap().max(16);
                buf[..4].copy_from_slice(&len.to_ne_bytes());
                if let Ok((msg, _)) = Msg::parse(&buf[..cut.max(16)]) {
                    let _ = Link::decode(&msg);
                }
            }
        }
    }

    #[test]
    fn flags_in_iproute2_order() {
        let f = IfFlags::UP | IfFlags::BROADCAST | IfFlags::MULTICAST | IfFlags(1 << 30);
        let names: heapless::Vec<&str, 20> = f.iproute2_names().collect();
        assert_eq!(
            names.as_slice(),
            ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]
        );
        assert_eq!(f.unnamed_bits(), 1 << 30);
        let all = IfFlags(0x7ffff);
        assert_eq!(all.iproute2_names().count(), 18);
        assert_eq!(all.unnamed_bits(), 0);
        let mut s = heapless::String::<96>::new();
        core::fmt::write(&mut s, format_args!("{:?}", IfFlags(0x10049))).unwrap();
        assert_eq!(s.as_str(), "IfFlags(LOOPBACK|UP|LOWER_UP|RUNNING)");
    }

    #[test]
    fn names_link_types_and_states() {
        assert_eq!(link_type_name(1), Some("ether"));
        assert_eq!(link_type_name(ARPHRD_NONE), Some("none"));
        assert_eq!(link_type_name(778), Some("gre"));
        assert_eq!(link_type_name(9999), None);
        assert_eq!(OperState::LOWERLAYERDOWN.name(), Some("LOWERLAYERDOWN"));
        assert_eq!(OperState(7).name(), None);
        assert_eq!(core::mem::size_of::<IfInfoMsg>(), 16);
    }
}
