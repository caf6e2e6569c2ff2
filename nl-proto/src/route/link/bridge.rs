//! The bridge's and bridge ports' vocabulary (`IFLA_BR_*`,
//! `IFLA_BRPORT_*`, `include/uapi/linux/if_link.h`).

use crate::macros::open_enum;

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
