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

use super::link::build;
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
    build(w, RTM_GETSTATS, Flags::REQUEST, Expect::Ack, |w| {
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
    build(
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
