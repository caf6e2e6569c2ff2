//! Link attribute kinds: `IFLA_*` and `IFLA_INFO_*`, and the
//! `IFLA_EXT_MASK` filter bits.

use crate::macros::open_enum;

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
        /// `IFLA_DEVLINK_PORT`: the devlink port behind the link.
        #[doc(alias = "IFLA_DEVLINK_PORT")]
        DEVLINK_PORT = 62,
        /// `IFLA_GSO_IPV4_MAX_SIZE` (u32).
        #[doc(alias = "IFLA_GSO_IPV4_MAX_SIZE")]
        GSO_IPV4_MAX_SIZE = 63,
        /// `IFLA_GRO_IPV4_MAX_SIZE` (u32).
        #[doc(alias = "IFLA_GRO_IPV4_MAX_SIZE")]
        GRO_IPV4_MAX_SIZE = 64,
        /// `IFLA_DPLL_PIN` (nest): the clock pin behind the link.
        #[doc(alias = "IFLA_DPLL_PIN")]
        DPLL_PIN = 65,
        /// `IFLA_MAX_PACING_OFFLOAD_HORIZON` (uint, ns).
        #[doc(alias = "IFLA_MAX_PACING_OFFLOAD_HORIZON")]
        MAX_PACING_OFFLOAD_HORIZON = 66,
        /// `IFLA_NETNS_IMMUTABLE` (u8): the link cannot change namespace.
        #[doc(alias = "IFLA_NETNS_IMMUTABLE")]
        NETNS_IMMUTABLE = 67,
        /// `IFLA_HEADROOM` (u16).
        #[doc(alias = "IFLA_HEADROOM")]
        HEADROOM = 68,
        /// `IFLA_TAILROOM` (u16).
        #[doc(alias = "IFLA_TAILROOM")]
        TAILROOM = 69,
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

/// `RTEXT_FILTER_VF`: in `IFLA_EXT_MASK`, include SR-IOV VF information
/// (what iproute2 asks for in `ip link show`).
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
/// `RTEXT_FILTER_SKIP_STATS`: in `IFLA_EXT_MASK`, leave out statistics.
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;
