//! The fair-queueing CoDel qdisc, `fq_codel` (`TCA_FQ_CODEL_*`): every
//! parameter an optional u32, sent only when given, in tc's order.

use super::TcAttr;
use crate::DecodeError;
use crate::EncodeError;
use crate::wire::MsgWriter;

/// `TCA_FQ_CODEL_TARGET` … `TCA_FQ_CODEL_DROP_BATCH_SIZE` (the u32 ones).
const TARGET: u16 = 1;
const LIMIT: u16 = 2;
const INTERVAL: u16 = 3;
const ECN: u16 = 4;
const FLOWS: u16 = 5;
const QUANTUM: u16 = 6;
const CE_THRESHOLD: u16 = 7;
const DROP_BATCH_SIZE: u16 = 8;
const MEMORY_LIMIT: u16 = 9;

/// fq_codel's options; times in microseconds, as tc sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FqCodel {
    /// `limit` (packets).
    pub limit: Option<u32>,
    /// `flows`.
    pub flows: Option<u32>,
    /// `quantum` (bytes).
    pub quantum: Option<u32>,
    /// `interval`.
    pub interval: Option<u32>,
    /// `target`.
    pub target: Option<u32>,
    /// `ecn` / `noecn`.
    pub ecn: Option<bool>,
    /// `ce_threshold`.
    pub ce_threshold: Option<u32>,
    /// `memory_limit` (bytes).
    pub memory_limit: Option<u32>,
    /// `drop_batch`.
    pub drop_batch: Option<u32>,
}

impl FqCodel {
    /// Write `TCA_OPTIONS` in tc's order.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        for (kind, v) in [
            (LIMIT, self.limit),
            (FLOWS, self.flows),
            (QUANTUM, self.quantum),
            (INTERVAL, self.interval),
            (TARGET, self.target),
            (ECN, self.ecn.map(u32::from)),
            (CE_THRESHOLD, self.ce_threshold),
            (MEMORY_LIMIT, self.memory_limit),
            (DROP_BATCH_SIZE, self.drop_batch),
        ] {
            if let Some(v) = v {
                w.put_u32(kind, v)?;
            }
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut f = Self::default();
        for attr in super::nested(payload).map_while(Result::ok) {
            let slot = match attr.kind() {
                LIMIT => &mut f.limit,
                FLOWS => &mut f.flows,
                QUANTUM => &mut f.quantum,
                INTERVAL => &mut f.interval,
                TARGET => &mut f.target,
                CE_THRESHOLD => &mut f.ce_threshold,
                MEMORY_LIMIT => &mut f.memory_limit,
                DROP_BATCH_SIZE => &mut f.drop_batch,
                ECN => {
                    f.ecn = Some(attr.u32()? != 0);
                    continue;
                }
                _ => continue,
            };
            *slot = Some(attr.u32()?);
        }
        Ok(f)
    }
}
