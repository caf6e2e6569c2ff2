//! The bond's and bond ports' vocabulary (`IFLA_BOND_*`,
//! `IFLA_BOND_SLAVE_*`, `include/uapi/linux/if_link.h`) and options
//! ([`BondOptions`], [`BondPortOptions`]).

use super::options::{AddrList, OptValue, kind_options};
use crate::macros::open_enum;
use crate::values::Mac;
use crate::wire::{Attr, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::{Ipv4Addr, Ipv6Addr};

open_enum! {
    /// A bond `IFLA_INFO_DATA` attribute (`IFLA_BOND_*`).
    pub struct BondAttr(u16) {
        /// `IFLA_BOND_MODE` (u8).
        MODE = 1,
        /// `IFLA_BOND_ACTIVE_SLAVE` (u32 ifindex).
        ACTIVE_SLAVE = 2,
        /// `IFLA_BOND_MIIMON` (u32 ms).
        MIIMON = 3,
        /// `IFLA_BOND_UPDELAY` (u32 ms).
        UPDELAY = 4,
        /// `IFLA_BOND_DOWNDELAY` (u32 ms).
        DOWNDELAY = 5,
        /// `IFLA_BOND_USE_CARRIER` (u8).
        USE_CARRIER = 6,
        /// `IFLA_BOND_ARP_INTERVAL` (u32 ms).
        ARP_INTERVAL = 7,
        /// `IFLA_BOND_ARP_IP_TARGET` (nest of be32 addresses).
        ARP_IP_TARGET = 8,
        /// `IFLA_BOND_ARP_VALIDATE` (u32).
        ARP_VALIDATE = 9,
        /// `IFLA_BOND_ARP_ALL_TARGETS` (u32).
        ARP_ALL_TARGETS = 10,
        /// `IFLA_BOND_PRIMARY` (u32 ifindex).
        PRIMARY = 11,
        /// `IFLA_BOND_PRIMARY_RESELECT` (u8).
        PRIMARY_RESELECT = 12,
        /// `IFLA_BOND_FAIL_OVER_MAC` (u8).
        FAIL_OVER_MAC = 13,
        /// `IFLA_BOND_XMIT_HASH_POLICY` (u8).
        XMIT_HASH_POLICY = 14,
        /// `IFLA_BOND_RESEND_IGMP` (u32).
        RESEND_IGMP = 15,
        /// `IFLA_BOND_NUM_PEER_NOTIF` (u8).
        NUM_PEER_NOTIF = 16,
        /// `IFLA_BOND_ALL_SLAVES_ACTIVE` (u8).
        ALL_SLAVES_ACTIVE = 17,
        /// `IFLA_BOND_MIN_LINKS` (u32).
        MIN_LINKS = 18,
        /// `IFLA_BOND_LP_INTERVAL` (u32).
        LP_INTERVAL = 19,
        /// `IFLA_BOND_PACKETS_PER_SLAVE` (u32).
        PACKETS_PER_SLAVE = 20,
        /// `IFLA_BOND_AD_LACP_RATE` (u8).
        AD_LACP_RATE = 21,
        /// `IFLA_BOND_AD_SELECT` (u8).
        AD_SELECT = 22,
        /// `IFLA_BOND_AD_INFO` (nest, read only).
        AD_INFO = 23,
        /// `IFLA_BOND_AD_ACTOR_SYS_PRIO` (u16).
        AD_ACTOR_SYS_PRIO = 24,
        /// `IFLA_BOND_AD_USER_PORT_KEY` (u16).
        AD_USER_PORT_KEY = 25,
        /// `IFLA_BOND_AD_ACTOR_SYSTEM` (MAC).
        AD_ACTOR_SYSTEM = 26,
        /// `IFLA_BOND_TLB_DYNAMIC_LB` (u8).
        TLB_DYNAMIC_LB = 27,
        /// `IFLA_BOND_PEER_NOTIF_DELAY` (u32 ms).
        PEER_NOTIF_DELAY = 28,
        /// `IFLA_BOND_AD_LACP_ACTIVE` (u8).
        AD_LACP_ACTIVE = 29,
        /// `IFLA_BOND_MISSED_MAX` (u8).
        MISSED_MAX = 30,
        /// `IFLA_BOND_NS_IP6_TARGET` (nest of IPv6 addresses).
        NS_IP6_TARGET = 31,
        /// `IFLA_BOND_COUPLED_CONTROL` (u8).
        COUPLED_CONTROL = 32,
    }
}

open_enum! {
    /// An attribute of `IFLA_BOND_AD_INFO` (`IFLA_BOND_AD_INFO_*`).
    pub struct BondAdInfoAttr(u16) {
        /// `IFLA_BOND_AD_INFO_AGGREGATOR` (u16).
        AGGREGATOR = 1,
        /// `IFLA_BOND_AD_INFO_NUM_PORTS` (u16).
        NUM_PORTS = 2,
        /// `IFLA_BOND_AD_INFO_ACTOR_KEY` (u16).
        ACTOR_KEY = 3,
        /// `IFLA_BOND_AD_INFO_PARTNER_KEY` (u16).
        PARTNER_KEY = 4,
        /// `IFLA_BOND_AD_INFO_PARTNER_MAC` (MAC).
        PARTNER_MAC = 5,
    }
}

open_enum! {
    /// A bond port's `IFLA_INFO_SLAVE_DATA` attribute (`IFLA_BOND_SLAVE_*`).
    pub struct BondPortAttr(u16) {
        /// `IFLA_BOND_SLAVE_STATE` (u8: 0 active, 1 backup).
        STATE = 1,
        /// `IFLA_BOND_SLAVE_MII_STATUS` (u8).
        MII_STATUS = 2,
        /// `IFLA_BOND_SLAVE_LINK_FAILURE_COUNT` (u32).
        LINK_FAILURE_COUNT = 3,
        /// `IFLA_BOND_SLAVE_PERM_HWADDR` (MAC).
        PERM_HWADDR = 4,
        /// `IFLA_BOND_SLAVE_QUEUE_ID` (u16).
        QUEUE_ID = 5,
        /// `IFLA_BOND_SLAVE_AD_AGGREGATOR_ID` (u16).
        AD_AGGREGATOR_ID = 6,
        /// `IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE` (u8).
        AD_ACTOR_OPER_PORT_STATE = 7,
        /// `IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE` (u16).
        AD_PARTNER_OPER_PORT_STATE = 8,
        /// `IFLA_BOND_SLAVE_PRIO` (u32).
        PRIO = 9,
    }
}

/// The most ARP or NS targets a bond takes (`BOND_MAX_ARP_TARGETS`).
pub const BOND_MAX_TARGETS: usize = 16;

kind_options! {
    /// An 802.3ad bond's aggregator (`IFLA_BOND_AD_INFO`, read only).
    pub struct BondAdInfo: BondAdInfoAttr {
        /// The active aggregator's id.
        aggregator: u16 = AGGREGATOR,
        /// Its ports.
        num_ports: u16 = NUM_PORTS,
        /// The actor key.
        actor_key: u16 = ACTOR_KEY,
        /// The partner key.
        partner_key: u16 = PARTNER_KEY,
        /// The partner's MAC address.
        partner_mac: Mac = PARTNER_MAC,
    }
}

impl OptValue for BondAdInfo {
    type Value = BondAdInfo;
    fn read(attr: &Attr<'_>) -> Result<BondAdInfo, DecodeError> {
        Ok(BondAdInfo::from_attrs(attr.nested().map_while(Result::ok)))
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &BondAdInfo) -> Result<(), EncodeError> {
        w.nested(kind, |w| v.put(w))
    }
}

kind_options! {
    /// A bond's options (`ip link add NAME type bond mode … miimon …`),
    /// every `IFLA_BOND_*`, in the kernel's numbering (iproute2 writes
    /// them in the order of its words).
    pub struct BondOptions: BondAttr {
        /// `mode` (0 balance-rr, 1 active-backup, 2 balance-xor, 3
        /// broadcast, 4 802.3ad, 5 balance-tlb, 6 balance-alb).
        mode: u8 = MODE,
        /// `active_slave` (ifindex).
        active_slave: u32 = ACTIVE_SLAVE,
        /// `miimon`.
        miimon: u32 = MIIMON,
        /// `updelay`.
        updelay: u32 = UPDELAY,
        /// `downdelay`.
        downdelay: u32 = DOWNDELAY,
        /// `use_carrier`.
        use_carrier: u8 = USE_CARRIER,
        /// `arp_interval`.
        arp_interval: u32 = ARP_INTERVAL,
        /// `arp_ip_target`.
        arp_ip_target: AddrList<Ipv4Addr, BOND_MAX_TARGETS> = ARP_IP_TARGET,
        /// `arp_validate`.
        arp_validate: u32 = ARP_VALIDATE,
        /// `arp_all_targets`.
        arp_all_targets: u32 = ARP_ALL_TARGETS,
        /// `primary` (ifindex).
        primary: u32 = PRIMARY,
        /// `primary_reselect`.
        primary_reselect: u8 = PRIMARY_RESELECT,
        /// `fail_over_mac`.
        fail_over_mac: u8 = FAIL_OVER_MAC,
        /// `xmit_hash_policy` (0 layer2, 1 layer3+4, 2 layer2+3, 3 encap2+3,
        /// 4 encap3+4, 5 vlan+srcmac).
        xmit_hash_policy: u8 = XMIT_HASH_POLICY,
        /// `resend_igmp`.
        resend_igmp: u32 = RESEND_IGMP,
        /// `num_grat_arp` / `num_unsol_na`.
        num_peer_notif: u8 = NUM_PEER_NOTIF,
        /// `all_slaves_active`.
        all_slaves_active: u8 = ALL_SLAVES_ACTIVE,
        /// `min_links`.
        min_links: u32 = MIN_LINKS,
        /// `lp_interval`.
        lp_interval: u32 = LP_INTERVAL,
        /// `packets_per_slave`.
        packets_per_slave: u32 = PACKETS_PER_SLAVE,
        /// `lacp_rate` (0 slow, 1 fast).
        ad_lacp_rate: u8 = AD_LACP_RATE,
        /// `ad_select` (0 stable, 1 bandwidth, 2 count).
        ad_select: u8 = AD_SELECT,
        /// The 802.3ad aggregator (read only).
        ad_info: BondAdInfo = AD_INFO,
        /// `ad_actor_sys_prio`.
        ad_actor_sys_prio: u16 = AD_ACTOR_SYS_PRIO,
        /// `ad_user_port_key`.
        ad_user_port_key: u16 = AD_USER_PORT_KEY,
        /// `ad_actor_system`.
        ad_actor_system: Mac = AD_ACTOR_SYSTEM,
        /// `tlb_dynamic_lb`.
        tlb_dynamic_lb: u8 = TLB_DYNAMIC_LB,
        /// `peer_notify_delay`.
        peer_notif_delay: u32 = PEER_NOTIF_DELAY,
        /// `lacp_active`.
        ad_lacp_active: u8 = AD_LACP_ACTIVE,
        /// `arp_missed_max`.
        missed_max: u8 = MISSED_MAX,
        /// `ns_ip6_target`.
        ns_ip6_target: AddrList<Ipv6Addr, BOND_MAX_TARGETS> = NS_IP6_TARGET,
        /// `coupled_control`.
        coupled_control: u8 = COUPLED_CONTROL,
    }
}

kind_options! {
    /// A bond port's options (`IFLA_INFO_SLAVE_DATA` of a port whose
    /// master is a bond); all read only but `queue_id` and `prio`.
    pub struct BondPortOptions: BondPortAttr {
        /// `state` (0 active, 1 backup).
        state: u8 = STATE,
        /// `mii_status` (0 up, 1 fail, 2 down, 3 back).
        mii_status: u8 = MII_STATUS,
        /// `link_failure_count`.
        link_failure_count: u32 = LINK_FAILURE_COUNT,
        /// `perm_hwaddr`.
        perm_hwaddr: Mac = PERM_HWADDR,
        /// `queue_id`.
        queue_id: u16 = QUEUE_ID,
        /// `ad_aggregator_id`.
        ad_aggregator_id: u16 = AD_AGGREGATOR_ID,
        /// `ad_actor_oper_port_state`.
        ad_actor_oper_port_state: u8 = AD_ACTOR_OPER_PORT_STATE,
        /// `ad_partner_oper_port_state`.
        ad_partner_oper_port_state: u16 = AD_PARTNER_OPER_PORT_STATE,
        /// `prio`.
        prio: u32 = PRIO,
    }
}
