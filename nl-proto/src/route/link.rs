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

use super::stats::LinkStats64;
use super::{AddrFamily, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::values::{IfName, IfNameError, Mac};
use crate::wire::{Attr, Flags, Msg, MsgType, MsgWriter};
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
/// it are lost).
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
}

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
        let ty = msg.msg_type();
        if ty != RTM_NEWLINK && ty != RTM_DELLINK {
            return Err(DecodeError::UnexpectedType {
                what: "link",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<IfInfoMsg>("ifinfomsg")?;
        let raw_index = hdr.index.get();
        let index = u32::try_from(raw_index).map_err(|_| DecodeError::OutOfRange {
            what: "ifi_index",
            value: u64::from(raw_index.unsigned_abs()),
        })?;
        let mut link = Partial::default();
        for item in attrs {
            match item {
                Ok(attr) => link.take(&attr),
                Err(e) => {
                    link.note(e);
                    break;
                }
            }
        }
        let name_attr = link.name.ok_or(DecodeError::MissingAttr {
            what: "link",
            kind: LinkAttr::IFNAME.0,
        })?;
        let name = decode_name(name_attr.str()?)?;
        Ok(Self {
            index,
            name,
            flags: IfFlags(hdr.flags.get()),
            link_type: hdr.ty.get(),
            operstate: link.operstate.unwrap_or(OperState::UNKNOWN),
            mtu: link.mtu,
            min_mtu: link.min_mtu,
            max_mtu: link.max_mtu,
            txqlen: link.txqlen,
            mac: mac_of(&link.address_raw),
            address_raw: link.address_raw,
            broadcast: mac_of(&link.broadcast_raw),
            broadcast_raw: link.broadcast_raw,
            perm_address: link.perm_address,
            kind: link.kind,
            slave_kind: link.slave_kind,
            info: link.info,
            master: link.master,
            link: link.link,
            link_netnsid: link.link_netnsid,
            alias: link.alias,
            group: link.group,
            promiscuity: link.promiscuity,
            carrier: link.carrier,
            carrier_changes: link.carrier_changes,
            qdisc: link.qdisc,
            stats: link.stats,
            malformed: link.malformed,
        })
    }

    /// Whether `IFF_UP` is set (administratively up).
    pub fn is_up(&self) -> bool {
        self.flags.contains(IfFlags::UP)
    }
}

/// Fields gathered during the one attribute walk of [`Link::decode`].
#[derive(Default)]
struct Partial<'a> {
    name: Option<Attr<'a>>,
    operstate: Option<OperState>,
    mtu: Option<u32>,
    min_mtu: Option<u32>,
    max_mtu: Option<u32>,
    txqlen: Option<u32>,
    address_raw: RawAddress,
    broadcast_raw: RawAddress,
    perm_address: Option<Mac>,
    kind: Option<KindName>,
    slave_kind: Option<KindName>,
    info: LinkInfoData,
    master: Option<u32>,
    link: Option<u32>,
    link_netnsid: Option<i32>,
    alias: Option<heapless::String<IFALIAS_MAX>>,
    group: Option<u32>,
    promiscuity: Option<u32>,
    carrier: Option<bool>,
    carrier_changes: Option<u32>,
    qdisc: Option<KindName>,
    stats: Option<LinkStats64>,
    malformed: Option<DecodeError>,
}

impl<'a> Partial<'a> {
    fn note(&mut self, e: DecodeError) {
        self.malformed.get_or_insert(e);
    }

    fn opt<T>(&mut self, r: Result<T, DecodeError>) -> Option<T> {
        r.map_err(|e| self.note(e)).ok()
    }

    fn take(&mut self, attr: &Attr<'a>) {
        match LinkAttr(attr.kind()) {
            LinkAttr::IFNAME => self.name = Some(*attr),
            LinkAttr::OPERSTATE => self.operstate = self.opt(attr.u8().map(OperState)),
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
            _ => {}
        }
    }

    fn linkinfo(&mut self, attr: &Attr<'a>) {
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
}

impl LinkKind<'_> {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &'static str {
        match self {
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

/// Begin a message, run `body`, finish it; on any error after `begin`, roll
/// the message back so the writer is as it was.
pub(super) fn build<'w, F>(
    w: &'w mut MsgWriter<'_>,
    ty: MsgType,
    flags: Flags,
    expect: Expect,
    body: F,
) -> Result<Request<'w>, EncodeError>
where
    F: FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
{
    let start = w.len();
    w.begin(ty, flags)?;
    if let Err(e) = body(w).and_then(|()| w.finish().map(|_| ())) {
        w.cancel();
        return Err(e);
    }
    let msg = w.finished_mut().get_mut(start..).unwrap_or_default();
    Ok(Request::new(msg, expect))
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
    build(
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
    build(w, RTM_GETLINK, Flags::REQUEST, Expect::Ack, |w| {
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
    build(w, RTM_DELLINK, Flags::REQUEST, Expect::Ack, |w| {
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

fn put_info_data(w: &mut MsgWriter<'_>, kind: &LinkKind<'_>) -> Result<(), EncodeError> {
    match *kind {
        LinkKind::Bridge | LinkKind::Dummy | LinkKind::Ifb => Ok(()),
        LinkKind::Veth { peer, peer_netns } => w.nested(InfoAttr::DATA.0, |w| {
            w.nested(VETH_INFO_PEER, |w| {
                w.put_fixed(&IfInfoMsg::default())?;
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
    build(w, RTM_NEWLINK, flags, Expect::Ack, |w| {
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
            w.put_str(InfoAttr::KIND.0, new.kind.name())?;
            put_info_data(w, &new.kind)
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
    build(w, RTM_NEWLINK, Flags::REQUEST, Expect::Ack, |w| {
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
