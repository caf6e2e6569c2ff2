//! Link statistics: `struct rtnl_link_stats64` (in `IFLA_STATS64` of link
//! messages and in `IFLA_STATS_LINK_64` of `RTM_NEWSTATS`), and the
//! `RTM_GETSTATS` request (`ip stats show ... group link`).
//!
//! ```text
//! RTM_GETSTATS / RTM_NEWSTATS payload (struct if_stats_msg, 12 bytes):
//!  0      1      2             4                  8                  12
//! +------+------+-------------+------------------+------------------+
//! |family| pad1 | pad2        | ifindex (u32)    | filter_mask (u32)|
//! +------+------+-------------+------------------+------------------+
//! | IFLA_STATS_* attributes (replies only) ...                       |
//! ```
//!
//! `filter_mask` has bit `1 << (IFLA_STATS_x - 1)` for each group wanted
//! (`IFLA_STATS_FILTER_BIT`). See `include/uapi/linux/if_link.h`.

use super::common::request;
use super::{AddrFamily, RTM_GETSTATS, RTM_NEWSTATS};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};
use zerocopy::byteorder::{NativeEndian, U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// Defines the wire struct, the owned struct and the name tables from one
/// list, so the three cannot disagree on order.
macro_rules! stats64 {
    ($( $(#[$m:meta])* $field:ident => ($dir:literal, $key:literal), )*) => {
        /// `struct rtnl_link_stats64` as it is on the wire: 25 native-endian
        /// `u64` counters in header order, with no alignment requirement.
        /// Read it with [`Attr::read_struct`] (longer payloads from newer
        /// kernels are accepted, shorter ones from older kernels zero-filled),
        /// or use [`LinkStats64::from_attr`].
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
        #[repr(C)]
        pub struct RtnlLinkStats64 {
            $( $(#[$m])* pub $field: U64<NativeEndian>, )*
        }

        /// The 25 counters of `struct rtnl_link_stats64`, owned, as plain
        /// `u64`s, in header order.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct LinkStats64 {
            $( $(#[$m])* pub $field: u64, )*
        }

        impl From<&RtnlLinkStats64> for LinkStats64 {
            fn from(w: &RtnlLinkStats64) -> Self {
                Self { $( $field: w.$field.get(), )* }
            }
        }

        impl From<&LinkStats64> for RtnlLinkStats64 {
            fn from(s: &LinkStats64) -> Self {
                Self { $( $field: U64::new(s.$field), )* }
            }
        }

        impl LinkStats64 {
            /// Number of counters.
            pub const COUNT: usize = [$(stringify!($field)),*].len();

            /// Each counter with its C field name, in header order
            /// (`("rx_packets", n)`, ...). These are also the names of
            /// `/sys/class/net/IF/statistics/*`.
            pub fn counters(&self) -> [(&'static str, u64); Self::COUNT] {
                [$( (stringify!($field), self.$field), )*]
            }

            /// Each counter with the place `ip -s -s -j link` prints it:
            /// (`"rx"` or `"tx"`, key inside `stats64.rx`/`stats64.tx`,
            /// value), in header order. `multicast` is under `rx`,
            /// `collisions` under `tx`; the `rx_`/`tx_` prefix is dropped
            /// from the rest (`rx_over_errors` is `rx.over_errors`).
            pub fn iproute2_counters(&self) -> [(&'static str, &'static str, u64); Self::COUNT] {
                [$( ($dir, $key, self.$field), )*]
            }
        }
    };
}

stats64! {
    /// `rx_packets`.
    rx_packets => ("rx", "packets"),
    /// `tx_packets`.
    tx_packets => ("tx", "packets"),
    /// `rx_bytes`.
    rx_bytes => ("rx", "bytes"),
    /// `tx_bytes`.
    tx_bytes => ("tx", "bytes"),
    /// `rx_errors`.
    rx_errors => ("rx", "errors"),
    /// `tx_errors`.
    tx_errors => ("tx", "errors"),
    /// `rx_dropped`.
    rx_dropped => ("rx", "dropped"),
    /// `tx_dropped`.
    tx_dropped => ("tx", "dropped"),
    /// `multicast` (received).
    multicast => ("rx", "multicast"),
    /// `collisions` (transmit side).
    collisions => ("tx", "collisions"),
    /// `rx_length_errors`.
    rx_length_errors => ("rx", "length_errors"),
    /// `rx_over_errors`.
    rx_over_errors => ("rx", "over_errors"),
    /// `rx_crc_errors`.
    rx_crc_errors => ("rx", "crc_errors"),
    /// `rx_frame_errors`.
    rx_frame_errors => ("rx", "frame_errors"),
    /// `rx_fifo_errors`.
    rx_fifo_errors => ("rx", "fifo_errors"),
    /// `rx_missed_errors`.
    rx_missed_errors => ("rx", "missed_errors"),
    /// `tx_aborted_errors`.
    tx_aborted_errors => ("tx", "aborted_errors"),
    /// `tx_carrier_errors`.
    tx_carrier_errors => ("tx", "carrier_errors"),
    /// `tx_fifo_errors`.
    tx_fifo_errors => ("tx", "fifo_errors"),
    /// `tx_heartbeat_errors`.
    tx_heartbeat_errors => ("tx", "heartbeat_errors"),
    /// `tx_window_errors`.
    tx_window_errors => ("tx", "window_errors"),
    /// `rx_compressed`.
    rx_compressed => ("rx", "compressed"),
    /// `tx_compressed`.
    tx_compressed => ("tx", "compressed"),
    /// `rx_nohandler`.
    rx_nohandler => ("rx", "nohandler"),
    /// `rx_otherhost_dropped`.
    rx_otherhost_dropped => ("rx", "otherhost_dropped"),
}

impl LinkStats64 {
    /// Read an `IFLA_STATS64` or `IFLA_STATS_LINK_64` attribute, with
    /// [`Attr::read_struct`] semantics: a longer payload (a newer kernel's
    /// struct) is accepted, a shorter one (an older kernel's) is zero-filled.
    pub fn from_attr(attr: &Attr<'_>) -> Self {
        Self::from(&attr.read_struct::<RtnlLinkStats64>())
    }

    /// The wire form, e.g. to emit it as an attribute in tests.
    pub fn to_wire(&self) -> RtnlLinkStats64 {
        RtnlLinkStats64::from(self)
    }
}

/// `struct if_stats_msg`, the fixed header of `RTM_GETSTATS`/`RTM_NEWSTATS`.
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
pub struct IfStatsMsg {
    /// `family` (`AF_UNSPEC`).
    pub family: u8,
    /// `pad1`; must be 0.
    pub pad1: u8,
    /// `pad2`; must be 0.
    pub pad2: U16<NativeEndian>,
    /// `ifindex`: the link (0 in dumps).
    pub ifindex: U32<NativeEndian>,
    /// `filter_mask`: the `IFLA_STATS_*` groups wanted, see [`StatsAttr::filter_bit`].
    pub filter_mask: U32<NativeEndian>,
}

open_enum! {
    /// An `RTM_NEWSTATS` attribute type, and a statistics group for the
    /// request's filter mask (`IFLA_STATS_*`).
    pub struct StatsAttr(u16) {
        /// `IFLA_STATS_LINK_64`: `struct rtnl_link_stats64`.
        #[doc(alias = "IFLA_STATS_LINK_64")]
        LINK_64 = 1,
        /// `IFLA_STATS_LINK_XSTATS`.
        #[doc(alias = "IFLA_STATS_LINK_XSTATS")]
        LINK_XSTATS = 2,
        /// `IFLA_STATS_LINK_XSTATS_SLAVE`.
        #[doc(alias = "IFLA_STATS_LINK_XSTATS_SLAVE")]
        LINK_XSTATS_SLAVE = 3,
        /// `IFLA_STATS_LINK_OFFLOAD_XSTATS`.
        #[doc(alias = "IFLA_STATS_LINK_OFFLOAD_XSTATS")]
        LINK_OFFLOAD_XSTATS = 4,
        /// `IFLA_STATS_AF_SPEC`.
        #[doc(alias = "IFLA_STATS_AF_SPEC")]
        AF_SPEC = 5,
    }
}

impl StatsAttr {
    /// `IFLA_STATS_FILTER_BIT(attr)`: `1 << (attr - 1)`, or 0 for kinds
    /// that cannot be filtered (0 and above 32).
    pub const fn filter_bit(self) -> u32 {
        if self.0 >= 1 && self.0 <= 32 {
            1 << (self.0 - 1)
        } else {
            0
        }
    }
}

fn stats_msg(ifindex: u32) -> IfStatsMsg {
    IfStatsMsg {
        family: AddrFamily::UNSPEC.0,
        pad1: 0,
        pad2: U16::new(0),
        ifindex: U32::new(ifindex),
        filter_mask: U32::new(StatsAttr::LINK_64.filter_bit()),
    }
}

/// `RTM_GETSTATS` for link `ifindex`, asking for `IFLA_STATS_LINK_64` only
/// (what `ip stats show dev IF group link` sends). The answer is one
/// `RTM_NEWSTATS`, see [`decode`].
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 (the kernel would refuse it);
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_get<'w>(w: &'w mut MsgWriter<'_>, ifindex: u32) -> Result<Request<'w>, EncodeError> {
    if ifindex == 0 {
        return Err(EncodeError::Invalid {
            what: "interface index 0",
        });
    }
    request(w, RTM_GETSTATS, Flags::REQUEST, Expect::Ack, |w| {
        w.put_fixed(&stats_msg(ifindex))
    })
}

/// `RTM_GETSTATS` dump of every link's `IFLA_STATS_LINK_64` (what
/// `ip stats show group link` sends).
///
/// # Errors
///
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_dump<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETSTATS,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| w.put_fixed(&stats_msg(0)),
    )
}

/// Decode an `RTM_NEWSTATS` message into its link index and its
/// `IFLA_STATS_LINK_64` counters. Other groups are ignored.
///
/// # Errors
///
/// [`DecodeError::UnexpectedType`] for another message type,
/// [`DecodeError::Truncated`] if the `if_stats_msg` is cut short, a framing
/// error met before `IFLA_STATS_LINK_64`, or [`DecodeError::MissingAttr`]
/// when the message has no `IFLA_STATS_LINK_64`.
pub fn decode(msg: &Msg<'_>) -> Result<(u32, LinkStats64), DecodeError> {
    if msg.msg_type() != RTM_NEWSTATS {
        return Err(DecodeError::UnexpectedType {
            what: "link stats",
            ty: msg.msg_type().0,
        });
    }
    let (hdr, attrs) = msg.split::<IfStatsMsg>("if_stats_msg")?;
    for attr in attrs {
        let attr = attr?;
        if attr.kind() == StatsAttr::LINK_64.0 {
            return Ok((hdr.ifindex.get(), LinkStats64::from_attr(&attr)));
        }
    }
    Err(DecodeError::MissingAttr {
        what: "link stats",
        kind: StatsAttr::LINK_64.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{MsgWriter, Msgs};

    fn first_msg(bytes: &[u8]) -> Msg<'_> {
        Msgs::new(bytes).next().unwrap().unwrap()
    }

    /// `ip stats show dev lo group link`: RTM_GETSTATS for ifindex 1.
    const IP_STATS_SHOW_LO: [u8; 28] = [
        // nlmsghdr: len 28, RTM_GETSTATS (94), flags REQUEST
        0x1c, 0x00, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00,
        // if_stats_msg: family 0, pad1, pad2, ifindex 1, filter_mask IFLA_STATS_FILTER_BIT(LINK_64)
        0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    /// `ip stats show group link`: RTM_GETSTATS dump (the datagram iproute2 sent
    /// is zero-padded to 156 bytes; this is the message, its first 28).
    #[rustfmt::skip]
    const IP_STATS_SHOW_DUMP: [u8; 28] = [
        // nlmsghdr: len 28, RTM_GETSTATS (94), flags REQUEST|DUMP
        0x1c, 0x00, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // if_stats_msg: family 0, pad1, pad2, ifindex 0, filter_mask LINK_64
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    /// The kernel's RTM_NEWSTATS answer to `IP_STATS_SHOW_LO`, after 5 UDP datagrams
    /// to 127.0.0.1 (captured with nl-capture, setup: a python UDP sender).
    #[rustfmt::skip]
    const KERNEL_REPLY_GETSTATS_LO: [u8; 232] = [
        // nlmsghdr: len 232, RTM_NEWSTATS (92), flags 0
        0xe8, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // if_stats_msg: family 0, pad, ifindex 1, filter_mask 1
        0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFLA_STATS_LINK_64 (len 204)
        0xcc, 0x00, 0x01, 0x00,
        // rx_packets = 10
        0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_packets = 10
        0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_bytes = 1420
        0x8c, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_bytes = 1420
        0x8c, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_dropped = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_dropped = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // multicast = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // collisions = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_length_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_over_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_crc_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_frame_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_fifo_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_missed_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_aborted_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_carrier_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_fifo_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_heartbeat_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_window_errors = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_compressed = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // tx_compressed = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_nohandler = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // rx_otherhost_dropped = 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn struct_matches_header() {
        // 25 counters in include/uapi/linux/if_link.h (rx_packets ..
        // rx_otherhost_dropped), 200 bytes, as in the kernel's attribute.
        assert_eq!(LinkStats64::COUNT, 25);
        assert_eq!(core::mem::size_of::<RtnlLinkStats64>(), 200);
        assert_eq!(core::mem::size_of::<IfStatsMsg>(), 12);
        let s = LinkStats64 {
            rx_packets: 1,
            rx_otherhost_dropped: 25,
            ..LinkStats64::default()
        };
        let c = s.counters();
        assert_eq!(c[0], ("rx_packets", 1));
        assert_eq!(c[8].0, "multicast");
        assert_eq!(c[24], ("rx_otherhost_dropped", 25));
        let j = s.iproute2_counters();
        assert_eq!(j[0], ("rx", "packets", 1));
        assert_eq!(j[9], ("tx", "collisions", 0));
        assert_eq!(j[24], ("rx", "otherhost_dropped", 25));
    }

    #[test]
    fn emits_get_like_iproute2() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_get(&mut w, 1).unwrap();
        assert_eq!(req.expect, Expect::Ack);
        // iproute2 sends no NLM_F_ACK here; the session adds it to ours.
        assert_eq!(&*req.msg, &IP_STATS_SHOW_LO[..]);
    }

    #[test]
    fn emits_dump_like_iproute2() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let req = encode_dump(&mut w).unwrap();
        assert_eq!(req.expect, Expect::Dump);
        assert_eq!(&*req.msg, &IP_STATS_SHOW_DUMP[..]);
    }

    #[test]
    fn parses_kernel_reply() {
        let (index, s) = decode(&first_msg(&KERNEL_REPLY_GETSTATS_LO)).unwrap();
        assert_eq!(index, 1);
        assert_eq!((s.rx_packets, s.tx_packets), (10, 10));
        assert_eq!((s.rx_bytes, s.tx_bytes), (1420, 1420));
        assert_eq!(s.rx_errors + s.rx_dropped + s.rx_otherhost_dropped, 0);
    }

    #[test]
    fn roundtrips_stats() {
        let s = LinkStats64 {
            rx_bytes: u64::MAX,
            tx_window_errors: 7,
            rx_nohandler: 3,
            ..LinkStats64::default()
        };
        let wire = s.to_wire();
        let back = LinkStats64::from_attr(&Attr::new(1, wire.as_bytes()));
        assert_eq!(back, s);
    }

    #[test]
    fn struct_grows_and_shrinks() {
        let mut long = [0u8; 216];
        long[..8].copy_from_slice(&5u64.to_ne_bytes());
        long[200..208].copy_from_slice(&9u64.to_ne_bytes());
        let s = LinkStats64::from_attr(&Attr::new(1, &long));
        assert_eq!(s.rx_packets, 5);
        assert_eq!(s.rx_otherhost_dropped, 0);
        // A kernel before rx_otherhost_dropped sends 192 bytes.
        let s = LinkStats64::from_attr(&Attr::new(1, &long[..192]));
        assert_eq!(s.rx_packets, 5);
        assert_eq!(s.rx_nohandler, 0);
        assert_eq!(
            LinkStats64::from_attr(&Attr::new(1, &[])),
            LinkStats64::default()
        );
    }

    #[test]
    fn rejects_other_messages() {
        let mut bytes = KERNEL_REPLY_GETSTATS_LO;
        bytes[4] = 16; // RTM_NEWLINK
        assert!(matches!(
            decode(&first_msg(&bytes)),
            Err(DecodeError::UnexpectedType { ty: 16, .. })
        ));
        // header only: no IFLA_STATS_LINK_64
        let mut short = [0u8; 28];
        short.copy_from_slice(&KERNEL_REPLY_GETSTATS_LO[..28]);
        short[0] = 28;
        assert!(matches!(
            decode(&first_msg(&short)),
            Err(DecodeError::MissingAttr { kind: 1, .. })
        ));
        // if_stats_msg cut short
        let mut cut = [0u8; 24];
        cut.copy_from_slice(&KERNEL_REPLY_GETSTATS_LO[..24]);
        cut[0] = 24;
        assert!(matches!(
            decode(&first_msg(&cut)),
            Err(DecodeError::Truncated { .. })
        ));
        // attribute length past the end
        let mut bad = KERNEL_REPLY_GETSTATS_LO;
        bad[28] = 0xff;
        assert!(matches!(
            decode(&first_msg(&bad)),
            Err(DecodeError::BadLength { .. })
        ));
    }

    #[test]
    fn rejects_index_zero_and_rolls_back() {
        let mut buf = [0u8; 20];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            encode_get(&mut w, 0),
            Err(EncodeError::Invalid { .. })
        ));
        assert!(matches!(
            encode_get(&mut w, 1),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(w.is_empty());
        assert!(!w.in_message());
    }
}
