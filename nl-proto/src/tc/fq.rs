//! The fair-queue packet scheduler, `fq` (`TCA_FQ_*`): each parameter an
//! optional attribute, sent only when given, in tc's order.

use super::TcAttr;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

crate::macros::open_enum! {
    /// `fq`'s attributes (`TCA_FQ_*`).
    pub struct FqAttr(u16) {
        /// `TCA_FQ_PLIMIT`: packets queued at most.
        PLIMIT = 1,
        /// `TCA_FQ_FLOW_PLIMIT`: packets per flow at most.
        FLOW_PLIMIT = 2,
        /// `TCA_FQ_QUANTUM`.
        QUANTUM = 3,
        /// `TCA_FQ_INITIAL_QUANTUM`.
        INITIAL_QUANTUM = 4,
        /// `TCA_FQ_RATE_ENABLE`: pacing on (1) or off (0).
        RATE_ENABLE = 5,
        /// `TCA_FQ_FLOW_DEFAULT_RATE` (obsolete, still sent by tc).
        FLOW_DEFAULT_RATE = 6,
        /// `TCA_FQ_FLOW_MAX_RATE`: bytes per second per flow.
        FLOW_MAX_RATE = 7,
        /// `TCA_FQ_BUCKETS_LOG`.
        BUCKETS_LOG = 8,
        /// `TCA_FQ_FLOW_REFILL_DELAY` (µs).
        FLOW_REFILL_DELAY = 9,
        /// `TCA_FQ_ORPHAN_MASK`.
        ORPHAN_MASK = 10,
        /// `TCA_FQ_LOW_RATE_THRESHOLD`.
        LOW_RATE_THRESHOLD = 11,
        /// `TCA_FQ_CE_THRESHOLD` (µs).
        CE_THRESHOLD = 12,
        /// `TCA_FQ_TIMER_SLACK` (ns).
        TIMER_SLACK = 13,
        /// `TCA_FQ_HORIZON` (µs).
        HORIZON = 14,
        /// `TCA_FQ_HORIZON_DROP` (u8): drop (1) or cap (0) past the horizon.
        HORIZON_DROP = 15,
    }
}

/// fq's options; `None` is "not sent", as tc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fq {
    /// `limit`.
    pub plimit: Option<u32>,
    /// `flow_limit`.
    pub flow_plimit: Option<u32>,
    /// `quantum`.
    pub quantum: Option<u32>,
    /// `initial_quantum`.
    pub initial_quantum: Option<u32>,
    /// `pacing` / `nopacing`.
    pub pacing: Option<bool>,
    /// `defrate`.
    pub defrate: Option<u32>,
    /// `maxrate` (`!0`: unlimited).
    pub maxrate: Option<u32>,
    /// `buckets`, as its log2.
    pub buckets_log: Option<u32>,
    /// `refill_delay`.
    pub refill_delay: Option<u32>,
    /// `orphan_mask`.
    pub orphan_mask: Option<u32>,
    /// `low_rate_threshold`.
    pub low_rate_threshold: Option<u32>,
    /// `ce_threshold` (`!0`: off).
    pub ce_threshold: Option<u32>,
    /// `timer_slack`.
    pub timer_slack: Option<u32>,
    /// `horizon`.
    pub horizon: Option<u32>,
    /// `horizon_drop` (true) / `horizon_cap` (false).
    pub horizon_drop: Option<bool>,
}

impl Fq {
    /// Write `TCA_OPTIONS` in tc's order (buckets first).
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        for (kind, v) in [
            (FqAttr::BUCKETS_LOG, self.buckets_log),
            (FqAttr::PLIMIT, self.plimit),
            (FqAttr::FLOW_PLIMIT, self.flow_plimit),
            (FqAttr::QUANTUM, self.quantum),
            (FqAttr::INITIAL_QUANTUM, self.initial_quantum),
            (FqAttr::RATE_ENABLE, self.pacing.map(u32::from)),
            (FqAttr::FLOW_MAX_RATE, self.maxrate),
            (FqAttr::LOW_RATE_THRESHOLD, self.low_rate_threshold),
            (FqAttr::FLOW_DEFAULT_RATE, self.defrate),
            (FqAttr::FLOW_REFILL_DELAY, self.refill_delay),
            (FqAttr::ORPHAN_MASK, self.orphan_mask),
            (FqAttr::CE_THRESHOLD, self.ce_threshold),
            (FqAttr::TIMER_SLACK, self.timer_slack),
            (FqAttr::HORIZON, self.horizon),
        ] {
            if let Some(v) = v {
                w.put_u32(kind.0, v)?;
            }
        }
        if let Some(d) = self.horizon_drop {
            w.put_u8(FqAttr::HORIZON_DROP.0, u8::from(d))?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut f = Self::default();
        for attr in super::nested(payload).map_while(Result::ok) {
            let slot = match FqAttr(attr.kind()) {
                FqAttr::PLIMIT => &mut f.plimit,
                FqAttr::FLOW_PLIMIT => &mut f.flow_plimit,
                FqAttr::QUANTUM => &mut f.quantum,
                FqAttr::INITIAL_QUANTUM => &mut f.initial_quantum,
                FqAttr::FLOW_DEFAULT_RATE => &mut f.defrate,
                FqAttr::FLOW_MAX_RATE => &mut f.maxrate,
                FqAttr::BUCKETS_LOG => &mut f.buckets_log,
                FqAttr::FLOW_REFILL_DELAY => &mut f.refill_delay,
                FqAttr::ORPHAN_MASK => &mut f.orphan_mask,
                FqAttr::LOW_RATE_THRESHOLD => &mut f.low_rate_threshold,
                FqAttr::CE_THRESHOLD => &mut f.ce_threshold,
                FqAttr::TIMER_SLACK => &mut f.timer_slack,
                FqAttr::HORIZON => &mut f.horizon,
                FqAttr::RATE_ENABLE => {
                    f.pacing = Some(attr.u32()? != 0);
                    continue;
                }
                FqAttr::HORIZON_DROP => {
                    f.horizon_drop = Some(attr.u8()? != 0);
                    continue;
                }
                _ => continue,
            };
            *slot = Some(attr.u32()?);
        }
        Ok(f)
    }
}
