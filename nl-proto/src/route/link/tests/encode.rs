//! Requests, byte for byte against iproute2 (`nl-capture`).

use super::*;

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

fn encode_new_bytes<'b>(buf: &'b mut [u8], new: &NewLink<'_>) -> &'b mut [u8] {
    let mut w = MsgWriter::new(buf);
    let n = encode_new(&mut w, new).unwrap().msg.len();
    &mut buf[..n]
}

pub(super) fn assert_new_like_iproute2(new: &NewLink<'_>, golden: &[u8]) {
    let mut buf = [0xa5u8; 512];
    let ours = encode_new_bytes(&mut buf, new);
    as_iproute2(ours);
    assert_eq!(&*ours, golden);
}

pub(super) fn assert_set_like_iproute2(index: u32, change: &LinkChange<'_>, golden: &[u8]) {
    let mut buf = [0xa5u8; 512];
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
        options: VxlanOptions {
            learning: Some(true),
            ..VxlanOptions::default()
        },
    };
    assert_new_like_iproute2(&NewLink::new(&vx0, kind), &IP_LINK_ADD_VXLAN);
    let kind = LinkKind::Vxlan {
        id: 42,
        port: Some(4789),
        local: None,
        remote: None,
        parent: None,
        options: VxlanOptions {
            learning: Some(true),
            ..VxlanOptions::default()
        },
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
                options: VlanOptions::default(),
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
                options: EVERY_VXLAN_OPTION,
            },
            LinkInfoData::Vxlan {
                id: Some((1 << 24) - 1),
                port: None,
                local: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                remote: Some(IpAddr::V6(Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 0, 1))),
                link: Some(6),
                options: EVERY_VXLAN_OPTION,
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
        let mut buf = [0u8; 512];
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
            options: VxlanOptions::default(),
        },
        LinkKind::Vxlan {
            id: 1,
            port: None,
            local: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            remote: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            parent: None,
            options: VxlanOptions::default(),
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

/// `ip link add name b0 index 77 type bridge` (nl-capture).
const IP_LINK_ADD_BRIDGE_INDEX: [u8; 56] = [
    // nlmsghdr: len 56, type 16, flags 0x605, seq 0, pid 0
    0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // ifinfomsg: index 77
    0x00, 0x00, 0x00, 0x00, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // IFLA_IFNAME "b0"
    0x07, 0x00, 0x03, 0x00, 0x62, 0x30, 0x00, 0x00,
    // IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
    0x10, 0x00, 0x12, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x62, 0x72, 0x69, 0x64, 0x67, 0x65, 0x00, 0x00,
];

/// `ip link set dev d0 alias hello`, d0 being index 2 (nl-capture).
const IP_LINK_SET_ALIAS: [u8; 44] = [
    // nlmsghdr: len 44, type 16, flags 0x5, seq 0, pid 0
    0x2c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // ifinfomsg: index 2
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    // IFLA_IFALIAS "hello", without a NUL
    0x09, 0x00, 0x14, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x00, 0x00,
];

#[test]
fn emits_new_with_index_like_iproute2() {
    let b0 = name("b0");
    let new = NewLink {
        index: 77,
        ..NewLink::new(&b0, LinkKind::Bridge)
    };
    assert_new_like_iproute2(&new, &IP_LINK_ADD_BRIDGE_INDEX);
}

#[test]
fn emits_set_alias_like_iproute2() {
    let alias = LinkChange {
        alias: Some("hello"),
        ..LinkChange::default()
    };
    assert_set_like_iproute2(2, &alias, &IP_LINK_SET_ALIAS);
}

#[test]
fn rejects_long_alias_and_bad_index() {
    let b0 = name("b0");
    let long = "x".repeat(256);
    let mut buf = [0u8; 512];
    let mut w = MsgWriter::new(&mut buf);
    let change = LinkChange {
        alias: Some(&long),
        ..LinkChange::default()
    };
    assert!(matches!(
        encode_set(&mut w, 2, &change),
        Err(EncodeError::Invalid { .. })
    ));
    let new = NewLink {
        index: u32::MAX,
        ..NewLink::new(&b0, LinkKind::Bridge)
    };
    assert!(matches!(
        encode_new(&mut w, &new),
        Err(EncodeError::Invalid { .. })
    ));
}

/// Every vxlan option set to something other than the kernel's default,
/// so a round trip through encode and decode checks each one.
const EVERY_VXLAN_OPTION: VxlanOptions = VxlanOptions {
    ttl: Some(7),
    ttl_inherit: Some(true),
    tos: Some(0x10),
    df: Some(VxlanDf::INHERIT),
    label: Some(0x12345),
    port_range: Some((1000, 2000)),
    learning: Some(false),
    proxy: Some(true),
    rsc: Some(true),
    l2miss: Some(true),
    l3miss: Some(true),
    ageing: Some(100),
    limit: Some(9),
    udp_csum: Some(false),
    udp_zero_csum6_tx: Some(true),
    udp_zero_csum6_rx: Some(true),
    remcsum_tx: Some(true),
    remcsum_rx: Some(true),
    collect_metadata: Some(false),
    gbp: true,
    gpe: true,
    remcsum_nopartial: true,
    vnifilter: Some(false),
    localbypass: Some(false),
    label_policy: Some(1),
};
/// `ip link add vx0 type vxlan id 42 remote 2001:db8::2 local 2001:db8::1 ttl 5 tos 0x10 df set flowlabel 0x123 srcport 1000 2000 nolearning proxy rsc l2miss l3miss ageing 100 maxaddress 7 noudpcsum udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx gbp dstport 4789`, captured with nl-capture --normalize (iproute2 6.1).
#[rustfmt::skip]
const IP_LINK_ADD_VXLAN_EVERY_OPTION: [u8; 256] = [
    0x00, 0x01, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x30, 0x00, 0xd8, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00,
    0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00, 0xc8, 0x00, 0x02, 0x00, 0x05, 0x00, 0x05, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x10, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1d, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x01, 0x23, 0x08, 0x00, 0x0a, 0x00,
    0x03, 0xe8, 0x07, 0xd0, 0x05, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0c, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0e, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x64, 0x00, 0x00, 0x00, 0x08, 0x00, 0x09, 0x00,
    0x07, 0x00, 0x00, 0x00, 0x05, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x13, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x15, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x16, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x17, 0x00,
    0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x14, 0x00, 0x11, 0x00, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x14, 0x00, 0x10, 0x00,
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x05, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00, 0x00,
];
/// `ip link add vx1 type vxlan ttl inherit tos inherit external gpe vnifilter dstport 0`, captured with nl-capture --normalize (iproute2 6.1).
#[rustfmt::skip]
const IP_LINK_ADD_VXLAN_EXTERNAL: [u8; 100] = [
    0x64, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x31, 0x00, 0x3c, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00,
    0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x02, 0x00, 0x04, 0x00, 0x1c, 0x00,
    0x05, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x04, 0x00, 0x1b, 0x00, 0x05, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x07, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

#[test]
fn emits_every_vxlan_option_like_iproute2() {
    let vx0 = name("vx0");
    let kind = LinkKind::Vxlan {
        id: 42,
        port: Some(4789),
        local: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
        remote: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2))),
        parent: None,
        options: VxlanOptions {
            ttl: Some(5),
            tos: Some(0x10),
            df: Some(VxlanDf::SET),
            label: Some(0x123),
            port_range: Some((1000, 2000)),
            learning: Some(false),
            proxy: Some(true),
            rsc: Some(true),
            l2miss: Some(true),
            l3miss: Some(true),
            ageing: Some(100),
            limit: Some(7),
            udp_csum: Some(false),
            udp_zero_csum6_tx: Some(true),
            udp_zero_csum6_rx: Some(true),
            remcsum_tx: Some(true),
            remcsum_rx: Some(true),
            gbp: true,
            ..VxlanOptions::default()
        },
    };
    assert_new_like_iproute2(&NewLink::new(&vx0, kind), &IP_LINK_ADD_VXLAN_EVERY_OPTION);
    // `external`: no id; iproute2 sends learning off.
    let vx1 = name("vx1");
    let kind = LinkKind::Vxlan {
        id: 0,
        port: None,
        local: None,
        remote: None,
        parent: None,
        options: VxlanOptions {
            ttl_inherit: Some(true),
            tos: Some(1),
            collect_metadata: Some(true),
            gpe: true,
            vnifilter: Some(true),
            learning: Some(false),
            ..VxlanOptions::default()
        },
    };
    assert_new_like_iproute2(&NewLink::new(&vx1, kind), &IP_LINK_ADD_VXLAN_EXTERNAL);
}

/// `ip link property add dev v0 altname someverylongname0` (v0 is index
/// 3), captured with nl-capture --normalize. iproute2 marks this nest
/// `NLA_F_NESTED` too.
#[rustfmt::skip]
const IP_LINK_PROPERTY_ADD_ALTNAME: [u8; 60] = [
    0x3c, 0x00, 0x00, 0x00, 0x6c, 0x00, 0x05, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x1c, 0x00, 0x34, 0x80, 0x16, 0x00, 0x35, 0x00, 0x73, 0x6f, 0x6d, 0x65, 0x76, 0x65, 0x72, 0x79,
    0x6c, 0x6f, 0x6e, 0x67, 0x6e, 0x61, 0x6d, 0x65, 0x30, 0x00, 0x00, 0x00,
];
/// `ip link property del dev v0 altname x`, likewise.
#[rustfmt::skip]
const IP_LINK_PROPERTY_DEL_ALTNAME: [u8; 44] = [
    0x2c, 0x00, 0x00, 0x00, 0x6d, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x0c, 0x00, 0x34, 0x80, 0x06, 0x00, 0x35, 0x00, 0x78, 0x00, 0x00, 0x00,
];

#[test]
fn emits_altnames_like_iproute2() {
    for (names, add, golden) in [
        (
            &["someverylongname0"][..],
            true,
            &IP_LINK_PROPERTY_ADD_ALTNAME[..],
        ),
        (&["x"][..], false, &IP_LINK_PROPERTY_DEL_ALTNAME[..]),
    ] {
        let mut buf = [0xa5u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_altnames(&mut w, 3, names, add).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        // The ack flag is the session's to set.
        req.msg[6] |= Flags::ACK.0 as u8;
        assert_eq!(&*req.msg, golden);
    }
    let mut buf = [0u8; 256];
    let long = "x".repeat(128);
    for bad in [&[][..], &[""], &["a\0b"], &[long.as_str()]] {
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            encode_altnames(&mut w, 3, bad, true),
            Err(EncodeError::Invalid { .. })
        ));
    }
}
