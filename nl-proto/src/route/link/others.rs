//! The vocabulary and options of kinds decoded but not built by the `ip`
//! example: vti/vti6 (`IFLA_VTI_*`), tun/tap (`IFLA_TUN_*`, read only),
//! hsr/prp (`IFLA_HSR_*`), netkit (`IFLA_NETKIT_*`) and ovpn
//! (`IFLA_OVPN_*`).

use super::options::{Be32, kind_options};
use crate::macros::open_enum;
use crate::values::Mac;
use core::net::IpAddr;

open_enum! {
    /// A vti/vti6 `IFLA_INFO_DATA` attribute (`IFLA_VTI_*`).
    pub struct VtiAttr(u16) {
        /// `IFLA_VTI_LINK` (u32).
        LINK = 1,
        /// `IFLA_VTI_IKEY` (be32).
        IKEY = 2,
        /// `IFLA_VTI_OKEY` (be32).
        OKEY = 3,
        /// `IFLA_VTI_LOCAL`.
        LOCAL = 4,
        /// `IFLA_VTI_REMOTE`.
        REMOTE = 5,
        /// `IFLA_VTI_FWMARK` (u32).
        FWMARK = 6,
    }
}

kind_options! {
    /// A vti (IPv4) or vti6 tunnel's options.
    pub struct VtiOptions: VtiAttr {
        /// `ikey KEY`.
        ikey: Be32 = IKEY,
        /// `okey KEY`.
        okey: Be32 = OKEY,
        /// `local ADDR`.
        local: IpAddr = LOCAL,
        /// `remote ADDR`.
        remote: IpAddr = REMOTE,
        /// `dev NAME`.
        link: u32 = LINK,
        /// `fwmark N`.
        fwmark: u32 = FWMARK,
    }
}

open_enum! {
    /// A tun/tap `IFLA_INFO_DATA` attribute (`IFLA_TUN_*`, read only: tun
    /// devices are made with `ioctl(TUNSETIFF)`).
    pub struct TunAttr(u16) {
        /// `IFLA_TUN_OWNER` (u32 uid).
        OWNER = 1,
        /// `IFLA_TUN_GROUP` (u32 gid).
        GROUP = 2,
        /// `IFLA_TUN_TYPE` (u8: 1 tun, 2 tap).
        TYPE = 3,
        /// `IFLA_TUN_PI` (u8).
        PI = 4,
        /// `IFLA_TUN_VNET_HDR` (u8).
        VNET_HDR = 5,
        /// `IFLA_TUN_PERSIST` (u8).
        PERSIST = 6,
        /// `IFLA_TUN_MULTI_QUEUE` (u8).
        MULTI_QUEUE = 7,
        /// `IFLA_TUN_NUM_QUEUES` (u32).
        NUM_QUEUES = 8,
        /// `IFLA_TUN_NUM_DISABLED_QUEUES` (u32).
        NUM_DISABLED_QUEUES = 9,
    }
}

kind_options! {
    /// A tun or tap device's settings.
    pub struct TunOptions: TunAttr {
        /// The owning user.
        owner: u32 = OWNER,
        /// The owning group.
        group: u32 = GROUP,
        /// 1 tun, 2 tap.
        kind: u8 = TYPE,
        /// Packet information header.
        pi: u8 = PI,
        /// Virtio net header.
        vnet_hdr: u8 = VNET_HDR,
        /// Persistent.
        persist: u8 = PERSIST,
        /// Multi-queue.
        multi_queue: u8 = MULTI_QUEUE,
        /// Queues.
        num_queues: u32 = NUM_QUEUES,
        /// Disabled queues.
        num_disabled_queues: u32 = NUM_DISABLED_QUEUES,
    }
}

open_enum! {
    /// An hsr/prp `IFLA_INFO_DATA` attribute (`IFLA_HSR_*`).
    pub struct HsrAttr(u16) {
        /// `IFLA_HSR_SLAVE1` (u32 ifindex).
        SLAVE1 = 1,
        /// `IFLA_HSR_SLAVE2` (u32 ifindex).
        SLAVE2 = 2,
        /// `IFLA_HSR_MULTICAST_SPEC` (u8).
        MULTICAST_SPEC = 3,
        /// `IFLA_HSR_SUPERVISION_ADDR` (MAC).
        SUPERVISION_ADDR = 4,
        /// `IFLA_HSR_SEQ_NR` (u16).
        SEQ_NR = 5,
        /// `IFLA_HSR_VERSION` (u8).
        VERSION = 6,
        /// `IFLA_HSR_PROTOCOL` (u8: 0 HSR, 1 PRP).
        PROTOCOL = 7,
        /// `IFLA_HSR_INTERLINK` (u32 ifindex).
        INTERLINK = 8,
    }
}

kind_options! {
    /// An hsr or prp device's options.
    pub struct HsrOptions: HsrAttr {
        /// `slave1 DEV`.
        slave1: u32 = SLAVE1,
        /// `slave2 DEV`.
        slave2: u32 = SLAVE2,
        /// `supervision ADDR-BYTE`.
        multicast_spec: u8 = MULTICAST_SPEC,
        /// The supervision address (read only).
        supervision_addr: Mac = SUPERVISION_ADDR,
        /// The sequence number (read only).
        seq_nr: u16 = SEQ_NR,
        /// `version 0|1`.
        version: u8 = VERSION,
        /// `proto 0|1`.
        protocol: u8 = PROTOCOL,
        /// `interlink DEV`.
        interlink: u32 = INTERLINK,
    }
}

open_enum! {
    /// A netkit `IFLA_INFO_DATA` attribute (`IFLA_NETKIT_*`).
    pub struct NetkitAttr(u16) {
        /// `IFLA_NETKIT_PEER_INFO` (the peer's `ifinfomsg` and attributes,
        /// set only).
        PEER_INFO = 1,
        /// `IFLA_NETKIT_PRIMARY` (u8).
        PRIMARY = 2,
        /// `IFLA_NETKIT_POLICY` (u32: 0 forward, 2 blackhole).
        POLICY = 3,
        /// `IFLA_NETKIT_PEER_POLICY` (u32).
        PEER_POLICY = 4,
        /// `IFLA_NETKIT_MODE` (u32: 0 l2, 1 l3).
        MODE = 5,
        /// `IFLA_NETKIT_SCRUB` (u32).
        SCRUB = 6,
        /// `IFLA_NETKIT_PEER_SCRUB` (u32).
        PEER_SCRUB = 7,
        /// `IFLA_NETKIT_HEADROOM` (u16).
        HEADROOM = 8,
        /// `IFLA_NETKIT_TAILROOM` (u16).
        TAILROOM = 9,
    }
}

kind_options! {
    /// A netkit device's options (the peer's are set only, not kept).
    pub struct NetkitOptions: NetkitAttr {
        /// Whether this end is the primary.
        primary: u8 = PRIMARY,
        /// Its policy.
        policy: u32 = POLICY,
        /// The peer's policy.
        peer_policy: u32 = PEER_POLICY,
        /// l2 or l3.
        mode: u32 = MODE,
        /// Scrubbing.
        scrub: u32 = SCRUB,
        /// The peer's scrubbing.
        peer_scrub: u32 = PEER_SCRUB,
        /// Needed headroom.
        headroom: u16 = HEADROOM,
        /// Needed tailroom.
        tailroom: u16 = TAILROOM,
    }
}

open_enum! {
    /// An ovpn `IFLA_INFO_DATA` attribute (`IFLA_OVPN_*`).
    pub struct OvpnAttr(u16) {
        /// `IFLA_OVPN_MODE` (u8: 0 peer-to-peer, 1 multi-peer).
        MODE = 1,
    }
}

kind_options! {
    /// An ovpn device's options.
    pub struct OvpnOptions: OvpnAttr {
        /// Peer-to-peer (0) or multi-peer (1).
        mode: u8 = MODE,
    }
}
