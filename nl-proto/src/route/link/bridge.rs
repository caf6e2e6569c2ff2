//! The bridge's and bridge ports' vocabulary (`IFLA_BR_*`,
//! `IFLA_BRPORT_*`, `include/uapi/linux/if_link.h`).

use super::options::{Be16, BridgeId, Flag, U8Bool, ValueMask, kind_options};
use crate::macros::open_enum;
use crate::values::Mac;

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
        /// `IFLA_BR_FDB_FLUSH` (flag, set only): flush the forwarding table.
        FDB_FLUSH = 21,
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
        /// `IFLA_BR_PAD`: alignment for 64-bit timers.
        PAD = 40,
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
        /// `IFLA_BR_MCAST_QUERIER_STATE` (nest: the elected querier).
        MCAST_QUERIER_STATE = 47,
        /// `IFLA_BR_FDB_N_LEARNED` (u32, read only).
        FDB_N_LEARNED = 48,
        /// `IFLA_BR_FDB_MAX_LEARNED` (u32).
        FDB_MAX_LEARNED = 49,
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
        /// `IFLA_BRPORT_LEARNING_SYNC` (u8).
        LEARNING_SYNC = 11,
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
        /// `IFLA_BRPORT_FLUSH` (flag, set only): flush the port's entries.
        FLUSH = 24,
        /// `IFLA_BRPORT_MULTICAST_ROUTER` (u8).
        MULTICAST_ROUTER = 25,
        /// `IFLA_BRPORT_PAD`: alignment for 64-bit timers.
        PAD = 26,
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
        /// `IFLA_BRPORT_BACKUP_PORT` (u32 ifindex).
        BACKUP_PORT = 34,
        /// `IFLA_BRPORT_MRP_RING_OPEN` (u8, read only).
        MRP_RING_OPEN = 35,
        /// `IFLA_BRPORT_MRP_IN_OPEN` (u8, read only).
        MRP_IN_OPEN = 36,
        /// `IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT` (u32).
        MCAST_EHT_HOSTS_LIMIT = 37,
        /// `IFLA_BRPORT_MCAST_EHT_HOSTS_CNT` (u32, read only).
        MCAST_EHT_HOSTS_CNT = 38,
        /// `IFLA_BRPORT_LOCKED` (u8).
        LOCKED = 39,
        /// `IFLA_BRPORT_MAB` (u8): MAC authentication bypass.
        MAB = 40,
        /// `IFLA_BRPORT_MCAST_N_GROUPS` (u32, read only).
        MCAST_N_GROUPS = 41,
        /// `IFLA_BRPORT_MCAST_MAX_GROUPS` (u32).
        MCAST_MAX_GROUPS = 42,
        /// `IFLA_BRPORT_NEIGH_VLAN_SUPPRESS` (u8).
        NEIGH_VLAN_SUPPRESS = 43,
        /// `IFLA_BRPORT_BACKUP_NHID` (u32).
        BACKUP_NHID = 44,
    }
}

kind_options! {
    /// A bridge's options (`IFLA_INFO_DATA` of kind `bridge`), every
    /// `IFLA_BR_*` but the querier state nest; times are in centiseconds
    /// (`USER_HZ`), as the kernel sends them. Read-only ones (ids, timers,
    /// topology change) are refused by the kernel on create or set.
    pub struct BridgeOptions: BridgeAttr {
        /// `forward_delay`.
        forward_delay: u32 = FORWARD_DELAY,
        /// `hello_time`.
        hello_time: u32 = HELLO_TIME,
        /// `max_age`.
        max_age: u32 = MAX_AGE,
        /// `ageing_time`.
        ageing_time: u32 = AGEING_TIME,
        /// `stp_state` (0 off, 1 kernel STP, 2 user space).
        stp_state: u32 = STP_STATE,
        /// `priority`.
        priority: u16 = PRIORITY,
        /// `vlan_filtering` (0 or 1).
        vlan_filtering: u8 = VLAN_FILTERING,
        /// `vlan_protocol` (`0x8100` 802.1Q, `0x88a8` 802.1ad).
        vlan_protocol: Be16 = VLAN_PROTOCOL,
        /// `group_fwd_mask`.
        group_fwd_mask: u16 = GROUP_FWD_MASK,
        /// The root bridge (read only).
        root_id: BridgeId = ROOT_ID,
        /// This bridge's id (read only).
        bridge_id: BridgeId = BRIDGE_ID,
        /// `root_port` (read only).
        root_port: u16 = ROOT_PORT,
        /// `root_path_cost` (read only).
        root_path_cost: u32 = ROOT_PATH_COST,
        /// `topology_change` (read only).
        topology_change: u8 = TOPOLOGY_CHANGE,
        /// `topology_change_detected` (read only).
        topology_change_detected: u8 = TOPOLOGY_CHANGE_DETECTED,
        /// `hello_timer` (read only).
        hello_timer: u64 = HELLO_TIMER,
        /// `tcn_timer` (read only).
        tcn_timer: u64 = TCN_TIMER,
        /// `topology_change_timer` (read only).
        topology_change_timer: u64 = TOPOLOGY_CHANGE_TIMER,
        /// `gc_timer` (read only).
        gc_timer: u64 = GC_TIMER,
        /// `group_address`.
        group_addr: Mac = GROUP_ADDR,
        /// `fdb_flush` (set only).
        fdb_flush: Flag = FDB_FLUSH,
        /// `mcast_router` (0 disabled, 1 learning, 2 permanent).
        mcast_router: u8 = MCAST_ROUTER,
        /// `mcast_snooping`.
        mcast_snooping: u8 = MCAST_SNOOPING,
        /// `mcast_query_use_ifaddr`.
        mcast_query_use_ifaddr: u8 = MCAST_QUERY_USE_IFADDR,
        /// `mcast_querier`.
        mcast_querier: u8 = MCAST_QUERIER,
        /// `mcast_hash_elasticity`.
        mcast_hash_elasticity: u32 = MCAST_HASH_ELASTICITY,
        /// `mcast_hash_max`.
        mcast_hash_max: u32 = MCAST_HASH_MAX,
        /// `mcast_last_member_count`.
        mcast_last_member_cnt: u32 = MCAST_LAST_MEMBER_CNT,
        /// `mcast_startup_query_count`.
        mcast_startup_query_cnt: u32 = MCAST_STARTUP_QUERY_CNT,
        /// `mcast_last_member_interval`.
        mcast_last_member_intvl: u64 = MCAST_LAST_MEMBER_INTVL,
        /// `mcast_membership_interval`.
        mcast_membership_intvl: u64 = MCAST_MEMBERSHIP_INTVL,
        /// `mcast_querier_interval`.
        mcast_querier_intvl: u64 = MCAST_QUERIER_INTVL,
        /// `mcast_query_interval`.
        mcast_query_intvl: u64 = MCAST_QUERY_INTVL,
        /// `mcast_query_response_interval`.
        mcast_query_response_intvl: u64 = MCAST_QUERY_RESPONSE_INTVL,
        /// `mcast_startup_query_interval`.
        mcast_startup_query_intvl: u64 = MCAST_STARTUP_QUERY_INTVL,
        /// `nf_call_iptables`.
        nf_call_iptables: u8 = NF_CALL_IPTABLES,
        /// `nf_call_ip6tables`.
        nf_call_ip6tables: u8 = NF_CALL_IP6TABLES,
        /// `nf_call_arptables`.
        nf_call_arptables: u8 = NF_CALL_ARPTABLES,
        /// `vlan_default_pvid`.
        vlan_default_pvid: u16 = VLAN_DEFAULT_PVID,
        /// `vlan_stats_enabled`.
        vlan_stats_enabled: u8 = VLAN_STATS_ENABLED,
        /// `mcast_stats_enabled`.
        mcast_stats_enabled: u8 = MCAST_STATS_ENABLED,
        /// `mcast_igmp_version`.
        mcast_igmp_version: u8 = MCAST_IGMP_VERSION,
        /// `mcast_mld_version`.
        mcast_mld_version: u8 = MCAST_MLD_VERSION,
        /// `vlan_stats_per_port`.
        vlan_stats_per_port: u8 = VLAN_STATS_PER_PORT,
        /// `struct br_boolopt_multi` (value, mask): bit 0
        /// `no_linklocal_learn`, 1 `mcast_vlan_snooping`, 2
        /// `mst_enabled`.
        multi_boolopt: ValueMask = MULTI_BOOLOPT,
        /// `fdb_n_learned` (read only).
        fdb_n_learned: u32 = FDB_N_LEARNED,
        /// `fdb_max_learned`.
        fdb_max_learned: u32 = FDB_MAX_LEARNED,
    }
}

kind_options! {
    /// A bridge port's options (`IFLA_INFO_SLAVE_DATA` of a port whose
    /// master is a bridge), every `IFLA_BRPORT_*`; on/off options are
    /// `bool`.
    pub struct BridgePortOptions: BridgePortAttr {
        /// `state` (0 disabled, 1 listening, 2 learning, 3 forwarding, 4
        /// blocking).
        state: u8 = STATE,
        /// `priority`.
        priority: u16 = PRIORITY,
        /// `cost`.
        cost: u32 = COST,
        /// `hairpin`.
        mode: U8Bool = MODE,
        /// `guard` (BPDU guard).
        guard: U8Bool = GUARD,
        /// `root_block`.
        protect: U8Bool = PROTECT,
        /// `fastleave`.
        fast_leave: U8Bool = FAST_LEAVE,
        /// `learning`.
        learning: U8Bool = LEARNING,
        /// `flood` (unicast).
        unicast_flood: U8Bool = UNICAST_FLOOD,
        /// `proxy_arp`.
        proxyarp: U8Bool = PROXYARP,
        /// `learning_sync`.
        learning_sync: U8Bool = LEARNING_SYNC,
        /// `proxy_arp_wifi`.
        proxyarp_wifi: U8Bool = PROXYARP_WIFI,
        /// The root bridge (read only).
        root_id: BridgeId = ROOT_ID,
        /// The designated bridge (read only).
        bridge_id: BridgeId = BRIDGE_ID,
        /// `designated_port` (read only).
        designated_port: u16 = DESIGNATED_PORT,
        /// `designated_cost` (read only).
        designated_cost: u16 = DESIGNATED_COST,
        /// `port_id` (read only).
        id: u16 = ID,
        /// `port_no` (read only).
        no: u16 = NO,
        /// `topology_change_ack` (read only).
        topology_change_ack: u8 = TOPOLOGY_CHANGE_ACK,
        /// `config_pending` (read only).
        config_pending: u8 = CONFIG_PENDING,
        /// `message_age_timer` (read only).
        message_age_timer: u64 = MESSAGE_AGE_TIMER,
        /// `forward_delay_timer` (read only).
        forward_delay_timer: u64 = FORWARD_DELAY_TIMER,
        /// `hold_timer` (read only).
        hold_timer: u64 = HOLD_TIMER,
        /// `flush` (set only).
        flush: Flag = FLUSH,
        /// `mcast_router`.
        multicast_router: u8 = MULTICAST_ROUTER,
        /// `mcast_flood`.
        mcast_flood: U8Bool = MCAST_FLOOD,
        /// `mcast_to_unicast`.
        mcast_to_ucast: U8Bool = MCAST_TO_UCAST,
        /// `vlan_tunnel`.
        vlan_tunnel: U8Bool = VLAN_TUNNEL,
        /// `bcast_flood`.
        bcast_flood: U8Bool = BCAST_FLOOD,
        /// `group_fwd_mask`.
        group_fwd_mask: u16 = GROUP_FWD_MASK,
        /// `neigh_suppress`.
        neigh_suppress: U8Bool = NEIGH_SUPPRESS,
        /// `isolated`.
        isolated: U8Bool = ISOLATED,
        /// `backup_port` (an ifindex; 0 clears).
        backup_port: u32 = BACKUP_PORT,
        /// MRP ring open (read only).
        mrp_ring_open: U8Bool = MRP_RING_OPEN,
        /// MRP interconnect open (read only).
        mrp_in_open: U8Bool = MRP_IN_OPEN,
        /// `mcast_eht_hosts_limit`.
        mcast_eht_hosts_limit: u32 = MCAST_EHT_HOSTS_LIMIT,
        /// `mcast_eht_hosts_cnt` (read only).
        mcast_eht_hosts_cnt: u32 = MCAST_EHT_HOSTS_CNT,
        /// `locked`.
        locked: U8Bool = LOCKED,
        /// `mab`.
        mab: U8Bool = MAB,
        /// `mcast_n_groups` (read only).
        mcast_n_groups: u32 = MCAST_N_GROUPS,
        /// `mcast_max_groups`.
        mcast_max_groups: u32 = MCAST_MAX_GROUPS,
        /// `neigh_vlan_suppress`.
        neigh_vlan_suppress: U8Bool = NEIGH_VLAN_SUPPRESS,
        /// `backup_nhid`.
        backup_nhid: u32 = BACKUP_NHID,
    }
}
