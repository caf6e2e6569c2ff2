//! Traffic-control statistics: `TCA_STATS2` (`TCA_STATS_*`: basic
//! counters, queue, rate estimator), the legacy `TCA_STATS`, and the
//! kind-specific `TCA_XSTATS` (`TCA_STATS_APP`) this crate decodes.

use zerocopy::byteorder::{NativeEndian, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::Object;
use super::htb::HtbXstats;
use crate::DecodeError;
use crate::macros::open_enum;

open_enum! {
    /// Statistics attribute types nested in `TCA_STATS2` (`TCA_STATS_*`).
    pub struct StatsAttr(u16) {
        /// `TCA_STATS_BASIC`: `struct gnet_stats_basic`.
        BASIC = 1,
        /// `TCA_STATS_RATE_EST`: `struct gnet_stats_rate_est`.
        RATE_EST = 2,
        /// `TCA_STATS_QUEUE`: `struct gnet_stats_queue`.
        QUEUE = 3,
        /// `TCA_STATS_APP`: the kind's own statistics.
        APP = 4,
        /// `TCA_STATS_RATE_EST64`: `struct gnet_stats_rate_est64`.
        RATE_EST64 = 5,
        /// `TCA_STATS_PAD`.
        PAD = 6,
        /// `TCA_STATS_BASIC_HW`: hardware counters.
        BASIC_HW = 7,
        /// `TCA_STATS_PKT64`: u64 packets.
        PKT64 = 8,
    }
}

/// `struct gnet_stats_basic` (padded to 16 bytes by the kernel).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
struct GnetBasic {
    bytes: U64<NativeEndian>,
    packets: U32<NativeEndian>,
}

/// `struct gnet_stats_queue`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
struct GnetQueue {
    qlen: U32<NativeEndian>,
    backlog: U32<NativeEndian>,
    drops: U32<NativeEndian>,
    requeues: U32<NativeEndian>,
    overlimits: U32<NativeEndian>,
}

/// `struct gnet_stats_rate_est64`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
struct GnetRate64 {
    bps: U64<NativeEndian>,
    pps: U64<NativeEndian>,
}

/// `struct gnet_stats_rate_est`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
struct GnetRate {
    bps: U32<NativeEndian>,
    pps: U32<NativeEndian>,
}

/// Legacy `struct tc_stats`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
struct TcStats {
    bytes: U64<NativeEndian>,
    packets: U32<NativeEndian>,
    drops: U32<NativeEndian>,
    overlimits: U32<NativeEndian>,
    bps: U32<NativeEndian>,
    pps: U32<NativeEndian>,
    qlen: U32<NativeEndian>,
    backlog: U32<NativeEndian>,
}

/// Byte and packet counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// Bytes.
    pub bytes: u64,
    /// Packets (`TCA_STATS_PKT64` when the kernel sent it).
    pub packets: u64,
}

/// Queue counters (`struct gnet_stats_queue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Queue {
    /// `qlen`: packets queued.
    pub qlen: u32,
    /// `backlog`: bytes queued.
    pub backlog: u32,
    /// `drops`.
    pub drops: u32,
    /// `requeues`.
    pub requeues: u32,
    /// `overlimits`.
    pub overlimits: u32,
}

/// A rate estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateEst {
    /// Bytes per second.
    pub bps: u64,
    /// Packets per second.
    pub pps: u64,
}

/// Kind-specific statistics this crate decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Xstats {
    /// An htb class's.
    HtbClass {
        /// Lends.
        lends: u32,
        /// Borrows.
        borrows: u32,
        /// Giants.
        giants: u32,
        /// Tokens (ticks).
        tokens: i32,
        /// Ceil tokens (ticks).
        ctokens: i32,
    },
    /// Present, of a kind not decoded here: its size.
    Other {
        /// Payload bytes.
        len: usize,
    },
}

/// The statistics of a qdisc, class, filter or action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// `TCA_STATS_BASIC`.
    pub basic: Option<Counters>,
    /// `TCA_STATS_BASIC_HW`.
    pub basic_hw: Option<Counters>,
    /// `TCA_STATS_QUEUE`.
    pub queue: Option<Queue>,
    /// `TCA_STATS_RATE_EST64`, else `TCA_STATS_RATE_EST`.
    pub rate_est: Option<RateEst>,
    /// Whether the legacy `TCA_STATS` was the source (tc prints it
    /// differently).
    pub legacy: bool,
    /// `TCA_STATS_APP` (or `TCA_XSTATS`).
    pub xstats: Option<Xstats>,
}

impl Stats {
    /// Decode the `TCA_STATS_*` nested in a `TCA_STATS2` (or an
    /// action's `TCA_ACT_STATS`) payload.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] for a malformed `TCA_STATS_PKT64`.
    pub fn decode_stats2(payload: &[u8]) -> Result<(Self, Option<&[u8]>), DecodeError> {
        let mut s = Self::default();
        let mut pkt64 = None;
        let mut rate32 = None;
        let mut app = None;
        for attr in super::nested(payload).map_while(Result::ok) {
            let p = attr.payload();
            match StatsAttr(attr.kind()) {
                StatsAttr::BASIC => {
                    let b: GnetBasic = super::read_struct(p);
                    s.basic = Some(Counters {
                        bytes: b.bytes.get(),
                        packets: u64::from(b.packets.get()),
                    });
                }
                StatsAttr::BASIC_HW => {
                    let b: GnetBasic = super::read_struct(p);
                    s.basic_hw = Some(Counters {
                        bytes: b.bytes.get(),
                        packets: u64::from(b.packets.get()),
                    });
                }
                StatsAttr::PKT64 => pkt64 = Some(attr.u64()?),
                StatsAttr::QUEUE => {
                    let q: GnetQueue = super::read_struct(p);
                    s.queue = Some(Queue {
                        qlen: q.qlen.get(),
                        backlog: q.backlog.get(),
                        drops: q.drops.get(),
                        requeues: q.requeues.get(),
                        overlimits: q.overlimits.get(),
                    });
                }
                StatsAttr::RATE_EST64 => {
                    let r: GnetRate64 = super::read_struct(p);
                    s.rate_est = Some(RateEst {
                        bps: r.bps.get(),
                        pps: r.pps.get(),
                    });
                }
                StatsAttr::RATE_EST => {
                    let r: GnetRate = super::read_struct(p);
                    rate32 = Some(RateEst {
                        bps: u64::from(r.bps.get()),
                        pps: u64::from(r.pps.get()),
                    });
                }
                StatsAttr::APP => app = Some(p),
                _ => {}
            }
        }
        if let (Some(b), Some(p)) = (s.basic.as_mut(), pkt64) {
            if p != 0 {
                b.packets = p;
            }
        }
        if s.rate_est.is_none() {
            s.rate_est = rate32;
        }
        Ok((s, app))
    }

    pub(crate) fn decode(
        stats2: Option<&[u8]>,
        legacy: Option<&[u8]>,
        xstats: Option<&[u8]>,
        object: Object,
        kind: &str,
    ) -> Result<Option<Self>, DecodeError> {
        let (mut s, app) = match (stats2, legacy) {
            (Some(p), _) => Self::decode_stats2(p)?,
            (None, Some(p)) => {
                let t: TcStats = super::read_struct(p);
                let s = Self {
                    basic: Some(Counters {
                        bytes: t.bytes.get(),
                        packets: u64::from(t.packets.get()),
                    }),
                    queue: Some(Queue {
                        qlen: t.qlen.get(),
                        backlog: t.backlog.get(),
                        drops: t.drops.get(),
                        requeues: 0,
                        overlimits: t.overlimits.get(),
                    }),
                    rate_est: Some(RateEst {
                        bps: u64::from(t.bps.get()),
                        pps: u64::from(t.pps.get()),
                    }),
                    legacy: true,
                    ..Self::default()
                };
                (s, None)
            }
            (None, None) if xstats.is_none() => return Ok(None),
            (None, None) => (Self::default(), None),
        };
        if let Some(x) = app.or(xstats) {
            s.xstats = Some(match (object, kind) {
                (Object::Class, "htb") if x.len() >= 20 => {
                    let h: HtbXstats = super::read_struct(x);
                    Xstats::HtbClass {
                        lends: h.lends.get(),
                        borrows: h.borrows.get(),
                        giants: h.giants.get(),
                        tokens: h.tokens.get(),
                        ctokens: h.ctokens.get(),
                    }
                }
                _ => Xstats::Other { len: x.len() },
            });
        }
        Ok(Some(s))
    }
}
