//! The network emulator, `netem` (`struct tc_netem_qopt` and
//! `TCA_NETEM_*`). Unlike other kinds, its `TCA_OPTIONS` is a struct
//! *followed by* attributes: delay, limit, loss, gap and duplication in
//! the struct; correlations, reordering, corruption, loss models, rate,
//! ECN and slots after it. Probabilities are scaled to `u32::MAX`
//! (tc's `set_percent`), delays are psched ticks.

use zerocopy::byteorder::{I32, I64, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcAttr;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

crate::macros::open_enum! {
    /// netem's attributes after the struct (`TCA_NETEM_*`).
    pub struct NetemAttr(u16) {
        /// `TCA_NETEM_CORR`: `struct tc_netem_corr`.
        CORR = 1,
        /// `TCA_NETEM_DELAY_DIST`: the delay distribution table (s16s).
        DELAY_DIST = 2,
        /// `TCA_NETEM_REORDER`: probability, correlation.
        REORDER = 3,
        /// `TCA_NETEM_CORRUPT`: probability, correlation.
        CORRUPT = 4,
        /// `TCA_NETEM_LOSS`: nested loss model (`NETEM_LOSS_GI`/`_GE`).
        LOSS = 5,
        /// `TCA_NETEM_RATE`: `struct tc_netem_rate`.
        RATE = 6,
        /// `TCA_NETEM_ECN`: u32, mark instead of dropping.
        ECN = 7,
        /// `TCA_NETEM_RATE64`.
        RATE64 = 8,
        /// `TCA_NETEM_LATENCY64` (ns).
        LATENCY64 = 10,
        /// `TCA_NETEM_JITTER64` (ns).
        JITTER64 = 11,
        /// `TCA_NETEM_SLOT`: `struct tc_netem_slot`.
        SLOT = 12,
        /// `TCA_NETEM_SLOT_DIST`.
        SLOT_DIST = 13,
    }
}

/// `NETEM_LOSS_GI`: the 4-state Markov loss model.
const LOSS_GI: u16 = 1;
/// `NETEM_LOSS_GE`: the Gilbert-Elliott loss model.
const LOSS_GE: u16 = 2;

macro_rules! wire_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $f:ident: $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Default,
            FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
        )]
        #[repr(C)]
        pub struct $name { $($(#[$fm])* pub $f: $t),* }
    };
}

wire_struct! {
    /// `struct tc_netem_qopt`.
    NetemQopt {
        /// `latency` (ticks).
        latency: U32<NativeEndian>,
        /// `limit` (packets; tc's default 1000).
        limit: U32<NativeEndian>,
        /// `loss`: random loss probability.
        loss: U32<NativeEndian>,
        /// `gap`: re-order every gap-th packet.
        gap: U32<NativeEndian>,
        /// `duplicate` probability.
        duplicate: U32<NativeEndian>,
        /// `jitter` (ticks).
        jitter: U32<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_corr`.
    NetemCorr {
        /// `delay_corr`.
        delay_corr: U32<NativeEndian>,
        /// `loss_corr`.
        loss_corr: U32<NativeEndian>,
        /// `dup_corr`.
        dup_corr: U32<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_reorder` and `struct tc_netem_corrupt`.
    NetemProb {
        /// `probability`.
        probability: U32<NativeEndian>,
        /// `correlation`.
        correlation: U32<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_rate`.
    NetemRate {
        /// `rate` (bytes/s; all ones when `TCA_NETEM_RATE64` has it).
        rate: U32<NativeEndian>,
        /// `packet_overhead`.
        packet_overhead: I32<NativeEndian>,
        /// `cell_size`.
        cell_size: U32<NativeEndian>,
        /// `cell_overhead`.
        cell_overhead: I32<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_slot` (times in ns).
    NetemSlot {
        /// `min_delay`.
        min_delay: I64<NativeEndian>,
        /// `max_delay`.
        max_delay: I64<NativeEndian>,
        /// `max_packets`.
        max_packets: I32<NativeEndian>,
        /// `max_bytes`.
        max_bytes: I32<NativeEndian>,
        /// `dist_delay`.
        dist_delay: I64<NativeEndian>,
        /// `dist_jitter`.
        dist_jitter: I64<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_gimodel`: `p13 p31 p32 p14 p23`.
    NetemGi {
        /// `p13`.
        p13: U32<NativeEndian>,
        /// `p31`.
        p31: U32<NativeEndian>,
        /// `p32`.
        p32: U32<NativeEndian>,
        /// `p14`.
        p14: U32<NativeEndian>,
        /// `p23`.
        p23: U32<NativeEndian>,
    }
}

wire_struct! {
    /// `struct tc_netem_gemodel`: `p r h k1`.
    NetemGe {
        /// `p`.
        p: U32<NativeEndian>,
        /// `r`.
        r: U32<NativeEndian>,
        /// `h`.
        h: U32<NativeEndian>,
        /// `k1`.
        k1: U32<NativeEndian>,
    }
}

/// A loss model (`TCA_NETEM_LOSS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossModel {
    /// `loss state …`.
    State(NetemGi),
    /// `loss gemodel …`.
    Gemodel(NetemGe),
}

/// netem's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Netem {
    /// The struct.
    pub qopt: NetemQopt,
    /// `TCA_NETEM_CORR`.
    pub corr: Option<NetemCorr>,
    /// `TCA_NETEM_REORDER`.
    pub reorder: Option<NetemProb>,
    /// `TCA_NETEM_CORRUPT`.
    pub corrupt: Option<NetemProb>,
    /// `TCA_NETEM_LOSS`.
    pub loss_model: Option<LossModel>,
    /// `TCA_NETEM_RATE`.
    pub rate: Option<NetemRate>,
    /// `TCA_NETEM_RATE64`.
    pub rate64: Option<u64>,
    /// `TCA_NETEM_ECN`.
    pub ecn: Option<u32>,
    /// `TCA_NETEM_SLOT`.
    pub slot: Option<NetemSlot>,
    /// `TCA_NETEM_LATENCY64` (ns).
    pub latency64: Option<i64>,
    /// `TCA_NETEM_JITTER64` (ns).
    pub jitter64: Option<i64>,
    /// Entries of `TCA_NETEM_DELAY_DIST` the kernel reported (the table
    /// itself is not kept).
    pub dist_len: usize,
}

/// tc's `set_percent`: a fraction in [0, 1] scaled to `u32::MAX`.
pub fn scale_percent(fraction: f64) -> u32 {
    let v = libm_rint(fraction * f64::from(u32::MAX));
    if v <= 0.0 {
        0
    } else if v >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        // In range and integral: the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let r = v as u32;
        r
    }
}

/// `rint` (round half to even) without `std`, for values in
/// `[0, u32::MAX]`.
fn libm_rint(v: f64) -> f64 {
    if !(0.0..=f64::from(u32::MAX)).contains(&v) {
        return v;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let floor = f64::from(v as u32);
    let frac = v - floor;
    if frac > 0.5 || (frac == 0.5 && floor % 2.0 != 0.0) {
        floor + 1.0
    } else {
        floor
    }
}

impl Netem {
    /// tc's defaults: a limit of 1000 packets, nothing else.
    pub fn new() -> Self {
        Self {
            qopt: NetemQopt {
                limit: 1000.into(),
                ..NetemQopt::default()
            },
            ..Self::default()
        }
    }

    /// Write `TCA_OPTIONS` as tc does: the struct, then correlations,
    /// reordering, ECN, corruption, slot, loss model, rate.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        w.put_fixed(&self.qopt)?;
        if let Some(c) = &self.corr {
            w.put(NetemAttr::CORR.0, c.as_bytes())?;
        }
        if let Some(r) = &self.reorder {
            w.put(NetemAttr::REORDER.0, r.as_bytes())?;
        }
        if let Some(e) = self.ecn {
            w.put_u32(NetemAttr::ECN.0, e)?;
        }
        if let Some(c) = &self.corrupt {
            w.put(NetemAttr::CORRUPT.0, c.as_bytes())?;
        }
        if let Some(s) = &self.slot {
            w.put(NetemAttr::SLOT.0, s.as_bytes())?;
        }
        if let Some(m) = &self.loss_model {
            let n = w.begin_nest(NetemAttr::LOSS.0)?;
            match m {
                LossModel::State(gi) => w.put(LOSS_GI, gi.as_bytes())?,
                LossModel::Gemodel(ge) => w.put(LOSS_GE, ge.as_bytes())?,
            }
            w.end_nest(n)?;
        }
        if let Some(r) = &self.rate {
            if let Some(r64) = self.rate64 {
                w.put_u64(NetemAttr::RATE64.0, r64)?;
            }
            w.put(NetemAttr::RATE.0, r.as_bytes())?;
        }
        w.end_nest(nest)
    }

    /// The rate, 64 bits.
    pub fn rate_bps(&self) -> Option<u64> {
        let r = self.rate?;
        Some(self.rate64.unwrap_or(u64::from(r.rate.get())))
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let (qopt, rest) =
            NetemQopt::read_from_prefix(payload).map_err(|_| DecodeError::Truncated {
                what: "tc_netem_qopt",
                need: size_of::<NetemQopt>(),
                have: payload.len(),
            })?;
        let mut n = Self {
            qopt,
            ..Self::default()
        };
        for a in super::nested(rest).map_while(Result::ok) {
            let p = a.payload();
            match NetemAttr(a.kind()) {
                NetemAttr::CORR => n.corr = Some(super::read_struct(p)),
                NetemAttr::REORDER => n.reorder = Some(super::read_struct(p)),
                NetemAttr::CORRUPT => n.corrupt = Some(super::read_struct(p)),
                NetemAttr::RATE => n.rate = Some(super::read_struct(p)),
                NetemAttr::SLOT => n.slot = Some(super::read_struct(p)),
                NetemAttr::ECN => n.ecn = Some(a.u32()?),
                NetemAttr::RATE64 => n.rate64 = Some(a.u64()?),
                NetemAttr::LATENCY64 => {
                    n.latency64 = Some(i64::from_ne_bytes(a.u64()?.to_ne_bytes()))
                }
                NetemAttr::JITTER64 => {
                    n.jitter64 = Some(i64::from_ne_bytes(a.u64()?.to_ne_bytes()))
                }
                NetemAttr::DELAY_DIST => n.dist_len = p.len() / 2,
                NetemAttr::LOSS => {
                    for m in super::nested(p).map_while(Result::ok) {
                        match m.kind() {
                            LOSS_GI => {
                                n.loss_model =
                                    Some(LossModel::State(super::read_struct(m.payload())));
                            }
                            LOSS_GE => {
                                n.loss_model =
                                    Some(LossModel::Gemodel(super::read_struct(m.payload())));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_percent_as_tc() {
        assert_eq!(scale_percent(0.25), 0x4000_0000);
        assert_eq!(scale_percent(1.0), u32::MAX);
        assert_eq!(scale_percent(0.005), 21_474_836);
        assert_eq!(scale_percent(0.0), 0);
    }
}
