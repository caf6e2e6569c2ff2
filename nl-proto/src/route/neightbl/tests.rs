//! Neighbour tables against the kernel's answer to `ip -4 ntable show`
//! (nl-capture --recv --normalize, Linux 6.18): the `arp_cache` table,
//! then its `lo` parameters.

use super::*;
use crate::route::common::tests::{hammer, hex, msg};

/// The table: name, gc interval, thresholds, config, stats, parms.
const ARP_CACHE: [u8; 376] = hex(concat!(
    "78010000400002000000000000000000020000000e0001006172705f6361636865000000",
    "0c0008003075000000000000080002008000000008000300000200000800040000040000",
    "24000500040050010200000084908e02e87f0100671fd44e0f0000000000000000000000",
    "5c000700983e000000000000963e00000000000001000000000000000000000000000000",
    "c6d4010000000000865300000000000000000000000000000000000000000000060b0000",
    "0000000000000000000000000000000000000000b0000600080002000100000008001000",
    "00400300080008006500000008000e0040000000080009000000000008000a0003000000",
    "08000b000300000008001100000000000c00030080770000000000000c00040030750000",
    "000000000c00060060ea0000000000000c00070088130000000000000c000500e8030000",
    "000000000c000c00e8030000000000000c000d0020030000000000000c000f00e8030000",
    "000000000c0013008813000000000000",
));

/// Device `lo` (index 1): name and parms only.
const ARP_CACHE_LO: [u8; 220] = hex(concat!(
    "dc000000400002000000000000000000020000000e0001006172705f6361636865000000",
    "b80006000800010001000000080002000100000008001000004003000800080065000000",
    "08000e0040000000080009000000000008000a000300000008000b000300000008001100",
    "000000000c000300d4820000000000000c00040030750000000000000c00060060ea0000",
    "000000000c00070088130000000000000c000500e8030000000000000c000c00e8030000",
    "000000000c000d0020030000000000000c000f00e8030000000000000c00130088130000",
    "00000000",
));

#[test]
fn kernel_tables_decode() {
    let t = NeighTable::decode(&msg(&ARP_CACHE)).unwrap();
    assert_eq!(t.family, AddrFamily::INET);
    assert_eq!(t.name, "arp_cache");
    assert_eq!(
        (t.thresh1, t.thresh2, t.thresh3),
        (Some(128), Some(512), Some(1024))
    );
    assert_eq!(t.gc_interval, Some(30_000));
    let c = t.config.unwrap();
    assert_eq!((c.key_len.get(), c.entry_size.get()), (4, 336));
    assert_eq!(t.stats.unwrap().lookups.get(), 120_006);
    let p = t.parms.unwrap();
    assert_eq!(p.ifindex, None);
    assert_eq!(
        (p.refcnt, p.queue_len, p.queue_lenbytes),
        (Some(1), Some(101), Some(212_992))
    );
    assert_eq!(
        (p.base_reachable_time, p.retrans_time),
        (Some(30_000), Some(1000))
    );
    assert_eq!(
        (p.ucast_probes, p.mcast_probes, p.app_probes),
        (Some(3), Some(3), Some(0))
    );
    assert_eq!(
        (p.locktime, p.interval_probe_time_ms),
        (Some(1000), Some(5000))
    );
    let lo = NeighTable::decode(&msg(&ARP_CACHE_LO)).unwrap();
    assert_eq!(lo.name, "arp_cache");
    assert_eq!((lo.config, lo.stats, lo.thresh1), (None, None, None));
    let p = lo.parms.unwrap();
    assert_eq!(
        (p.ifindex, p.refcnt, p.reachable_time),
        (Some(1), Some(1), Some(33_492))
    );
}

#[test]
fn tables_survive_emit_and_decode() {
    for golden in [&ARP_CACHE[..], &ARP_CACHE_LO] {
        let t = NeighTable::decode(&msg(golden)).unwrap();
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let bytes = t.emit(&mut w, Flags::EMPTY).unwrap();
        assert_eq!(NeighTable::decode(&msg(bytes)).unwrap(), t);
    }
}

#[test]
fn dump_request_matches_iproute2() {
    // `ip -4 ntable show`'s request, normalised, without NLM_F_ACK.
    let theirs = hex::<20>("1400000042000103000000000000000002000000");
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    assert_eq!(
        &*encode_dump(&mut w, AddrFamily::INET).unwrap().msg,
        &theirs[..]
    );
}

#[test]
fn missing_or_long_names_are_errors_and_no_input_panics() {
    // The lo message with its name attribute turned into a pad.
    let mut unnamed = ARP_CACHE_LO;
    unnamed[22] = 9;
    assert!(matches!(
        NeighTable::decode(&msg(&unnamed)),
        Err(DecodeError::MissingAttr { .. })
    ));
    hammer(&ARP_CACHE_LO, |m| {
        let _ = NeighTable::decode(m);
    });
}
