//! Fixtures for the criterion benches in `benches/`: realistic rtnetlink
//! messages built by hand with [`MsgWriter`], so the benches measure the
//! wire codec and the session and nothing else.
//!
//! Run with `cargo bench -p nl-benches`.

use core::net::Ipv4Addr;
use nl_proto::EncodeError;
use nl_proto::route::RTM_NEWROUTE;
use nl_proto::wire::{Flags, MsgWriter};

/// `RTA_DST`.
pub const RTA_DST: u16 = 1;
/// `RTA_OIF`.
pub const RTA_OIF: u16 = 4;
/// `RTA_GATEWAY`.
pub const RTA_GATEWAY: u16 = 5;
/// `RTA_PRIORITY`.
pub const RTA_PRIORITY: u16 = 6;
/// `RTA_PREFSRC`.
pub const RTA_PREFSRC: u16 = 7;
/// `RTA_TABLE`.
pub const RTA_TABLE: u16 = 15;
/// Size of `struct rtmsg`.
pub const RTMSG_LEN: usize = 12;

/// `struct rtmsg` for an IPv4 unicast route in the main table:
/// family `AF_INET`, `dst_len`, src_len 0, tos 0, table `RT_TABLE_MAIN`,
/// protocol `RTPROT_STATIC`, scope `RT_SCOPE_UNIVERSE`, type
/// `RTN_UNICAST`, flags 0.
pub fn rtmsg(dst_len: u8) -> [u8; RTMSG_LEN] {
    [2, dst_len, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0]
}

/// Append one `RTM_NEWROUTE` as the kernel sends it in a dump (`NLM_F_MULTI`,
/// sequence number `seq`): rtmsg, then `RTA_TABLE`, `RTA_DST`,
/// `RTA_GATEWAY`, `RTA_OIF`, `RTA_PRIORITY`, `RTA_PREFSRC` (76 bytes).
///
/// # Errors
///
/// [`EncodeError::BufferFull`] when it does not fit (nothing is written).
pub fn put_dump_route(w: &mut MsgWriter<'_>, i: u32, seq: u32) -> Result<(), EncodeError> {
    w.begin(RTM_NEWROUTE, Flags::MULTI)?;
    let body = |w: &mut MsgWriter<'_>| {
        w.put_fixed(&rtmsg(24))?;
        w.put_u32(RTA_TABLE, 254)?;
        w.put(RTA_DST, &Ipv4Addr::from(0x0a00_0000 | (i << 8)).octets())?;
        w.put(RTA_GATEWAY, &Ipv4Addr::new(192, 168, 0, 1).octets())?;
        w.put_u32(RTA_OIF, 2 + i % 8)?;
        w.put_u32(RTA_PRIORITY, 100)?;
        w.put(RTA_PREFSRC, &Ipv4Addr::new(192, 168, 0, 2).octets())?;
        let msg = w.finish()?;
        msg[8..12].copy_from_slice(&seq.to_ne_bytes());
        Ok(())
    };
    body(w).inspect_err(|_| w.cancel())
}

/// A datagram of at most `cap` bytes filled with dump routes for `seq`.
/// Returns the bytes and the number of messages.
pub fn route_dump_datagram(cap: usize, seq: u32) -> (Vec<u8>, u64) {
    let mut buf = vec![0u8; cap];
    let mut w = MsgWriter::new(&mut buf);
    let mut n = 0u32;
    while put_dump_route(&mut w, n, seq).is_ok() {
        n += 1;
    }
    let len = w.len();
    buf.truncate(len);
    (buf, u64::from(n))
}

/// Encode a route-add request (`ip route add 10.9.0.0/24 via 10.0.0.2 dev
/// 2 metric 100 table main`): nlmsghdr + rtmsg + `RTA_TABLE`, `RTA_DST`,
/// `RTA_GATEWAY`, `RTA_OIF`, `RTA_PRIORITY`. Returns the message.
///
/// # Errors
///
/// [`EncodeError`] if `w` has no room or a message is open.
pub fn encode_route_add<'w>(w: &'w mut MsgWriter<'_>) -> Result<&'w mut [u8], EncodeError> {
    w.begin(RTM_NEWROUTE, Flags::REQUEST | Flags::CREATE | Flags::EXCL)?;
    let body = |w: &mut MsgWriter<'_>| {
        w.put_fixed(&rtmsg(24))?;
        w.put_u32(RTA_TABLE, 254)?;
        w.put(RTA_DST, &[10, 9, 0, 0])?;
        w.put(RTA_GATEWAY, &[10, 0, 0, 2])?;
        w.put_u32(RTA_OIF, 2)?;
        w.put_u32(RTA_PRIORITY, 100)
    };
    if let Err(e) = body(w) {
        w.cancel();
        return Err(e);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_proto::wire::{AttrTable, Msgs};

    #[test]
    fn dump_datagram_frames_into_routes() {
        let (d, n) = route_dump_datagram(32 * 1024, 7);
        assert_eq!(n, 431);
        assert_eq!(d.len(), 431 * 76);
        let mut count = 0;
        for m in Msgs::new(&d) {
            let m = m.unwrap();
            assert_eq!(m.msg_type(), RTM_NEWROUTE);
            assert_eq!(m.seq().0, 7);
            let (_, attrs) = m.split::<[u8; RTMSG_LEN]>("rtmsg").unwrap();
            let tb = AttrTable::<16>::parse(attrs);
            assert!(tb.error().is_none());
            assert_eq!(tb.get(RTA_TABLE).unwrap().u32(), Ok(254));
            assert_eq!(
                tb.get(RTA_PREFSRC).unwrap().ipv4(),
                Ok(Ipv4Addr::new(192, 168, 0, 2))
            );
            count += 1;
        }
        assert_eq!(count, n);
    }

    #[test]
    fn route_add_is_68_bytes() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let msg = encode_route_add(&mut w).unwrap();
        // 16 header + 12 rtmsg + 5 attributes of 8 bytes.
        assert_eq!(msg.len(), 68);
        assert_eq!(msg[..4], 68u32.to_ne_bytes());
    }
}
