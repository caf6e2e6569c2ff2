//! `IFLA_AF_SPEC` and the rarer attributes ([`LinkDetails`]) decoded from the kernel's answer to `ip link show lo`
//! in a fresh namespace (Linux 6.18, captured with `nl-capture --recv`).

// Built field by field, as users outside the crate must.
#![allow(clippy::field_reassign_with_default)]

use super::*;

/// The `RTM_NEWLINK` the kernel sent for `lo` (`--normalize`).
const KERNEL_REPLY_GETLINK_LO: [u8; 1100] = hex(concat!(
    "4c04000010000000000000000000000000000403010000004900010000000000",
    "070003006c6f000008000d00e803000005001000000000000500110000000000",
    "0500430001000000080004000000010008003200000000000800330000000000",
    "08001b000000000008001e000000000008003d000000000008001f0001000000",
    "08002800ffff0000080029000000010008003a000000010008003f0000000100",
    "080040000000010008003b00f8ff070008003c00ffff00000800420000000000",
    "08002000010000000500210001000000080023000000000008002f0000000000",
    "0800300000000000060044000000000006004500000000000500270000000000",
    "0a00010000000000000000000a0002000000000000000000cc00170000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000064000700000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "00000000000000000c002b0005000200000000000c0006006e6f717565756500",
    "c0011a008c000200880001000000000000000000000000000100000001000000",
    "0100000001000000000000000100000000000000000000000000000000000000",
    "0000000001000000010000000000000000000000000000000000000000000000",
    "000000000000000000000000000000000000000010270000e803000000000000",
    "0000000000000000000000000100000030010a00080001000000008014000500",
    "ffff0000d6761300cc8f0000e8030000f4000200000000004000000000000100",
    "01000000010000000100000001000000ffffffffa00f0000e8030000ffffffff",
    "803a090080510100030000005802000010000000000000000100000001000000",
    "0100000060ea0000000000000000000000000000000000000000000000000000",
    "ffffffff000000000000000010270000e8030000010000000000000000000000",
    "0100000000000000000000000100000000000000000000000000000000000000",
    "80ee360000000000000000000100000000000000000000000000000000000000",
    "000000000004000000000000ffff0000ffffffff010000000000000000000000",
    "0000000014000700000000000000000000000000000000000500080000000000",
    "24000e0000000000000000000000000000000000000000000000000000000000",
    "0000000004003e8004004180",
));

#[test]
fn parses_af_spec_of_lo() {
    let spec = LinkAfSpec::decode(&first_msg(&KERNEL_REPLY_GETLINK_LO)).unwrap();
    let conf = spec.inet.unwrap().conf.unwrap();
    // IPV4_DEVCONF_MAX on 6.18; value i is IPV4_DEVCONF number i + 1.
    assert_eq!(conf.len(), 33);
    assert_eq!(conf[0], 0, "forwarding");
    assert_eq!(conf[3], 1, "accept_redirects");
    let v6 = spec.inet6.unwrap();
    let conf6 = v6.conf.unwrap();
    assert_eq!(conf6.len(), 60);
    // DEVCONF_FORWARDING = 0, HOPLIMIT, MTU6.
    assert_eq!(&conf6[..3], &[0, 64, 65536]);
    assert_eq!(v6.flags, Some(0x8000_0000), "IF_READY");
    assert_eq!(v6.token, Some(Ipv6Addr::UNSPECIFIED));
    assert_eq!(v6.addr_gen_mode, Some(0));
    let ci = v6.cacheinfo.unwrap();
    assert_eq!(ci.max_reasm_len, 65535);
    assert_eq!(ci.retrans_time, 1000);
    assert_eq!(v6.stats, None, "not asked for");
    assert!(spec.mctp.is_none());
    // The small decoder agrees.
    let link = Link::decode(&first_msg(&KERNEL_REPLY_GETLINK_LO)).unwrap();
    assert_eq!(link.addr_gen_mode, v6.addr_gen_mode);
}

#[test]
fn parses_details_of_lo() {
    let d = LinkDetails::decode(&first_msg(&KERNEL_REPLY_GETLINK_LO)).unwrap();
    assert_eq!(d.carrier_up_count, Some(0));
    assert_eq!(d.carrier_down_count, Some(0));
    assert_eq!(d.proto_down, Some(0));
    assert_eq!(d.gso_ipv4_max_size, Some(65536));
    assert_eq!(d.gro_ipv4_max_size, Some(65536));
    assert_eq!(d.xdp.map(|x| x.attached), Some(Some(0)), "no XDP program");
    assert_eq!(d.map, Some(IfMap::default()));
    assert_eq!(d.new_ifindex, None);
}

#[test]
fn roundtrips_details() {
    let mut d = LinkDetails::default();
    d.carrier_up_count = Some(3);
    d.phys_port_name = Some(heapless::String::try_from("p0").unwrap());
    d.phys_switch_id = Some(RawAddress::from_slice(&[1, 2, 3]).unwrap());
    d.proto_down_reason = Some(0x4);
    let mut x = XdpInfo::default();
    x.attached = Some(1);
    x.prog_id = Some(42);
    d.xdp = Some(x);
    d.map = Some(IfMap {
        irq: 9,
        dma: 1,
        ..IfMap::default()
    });
    d.max_pacing_offload_horizon = Some(1 << 40);
    d.dpll_pin = Some(7);
    d.devlink_port = Some(true);
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(RTM_NEWLINK, Flags::REQUEST).unwrap();
    w.put_fixed(&IfInfoMsg::new(
        AddrFamily::UNSPEC,
        1,
        IfFlags::EMPTY,
        IfFlags::EMPTY,
    ))
    .unwrap();
    d.put(&mut w).unwrap();
    let msg = w.finish().unwrap();
    assert_eq!(LinkDetails::decode(&first_msg(msg)).unwrap(), d);
}
