//! Stochastic fairness queueing, `sfq` (`struct tc_sfq_qopt_v1`): the
//! options travel as one struct in `TCA_OPTIONS`, not nested; kernels
//! before 3.3 report only the first part (`struct tc_sfq_qopt`).

use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcAttr;
use crate::EncodeError;
use crate::wire::MsgWriter;

/// `struct tc_sfq_qopt_v1` with its `struct tc_sfq_qopt` first and
/// `struct tc_sfqred_stats` last.
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
pub struct Sfq {
    /// `quantum`: bytes per round (0: the device's MTU).
    pub quantum: U32<NativeEndian>,
    /// `perturb_period`: seconds between hash perturbations (0: never).
    pub perturb_period: I32<NativeEndian>,
    /// `limit`: packets queued at most.
    pub limit: U32<NativeEndian>,
    /// `divisor`: hash buckets.
    pub divisor: U32<NativeEndian>,
    /// `flows`: flows at most.
    pub flows: U32<NativeEndian>,
    /// `depth`: packets per flow at most.
    pub depth: U32<NativeEndian>,
    /// `headdrop`: drop from the head of a flow, not its tail.
    pub headdrop: U32<NativeEndian>,
    /// `limit` of the RED part (`redflowlimit`), bytes per flow.
    pub red_limit: U32<NativeEndian>,
    /// `qth_min` (RED).
    pub qth_min: U32<NativeEndian>,
    /// `qth_max` (RED).
    pub qth_max: U32<NativeEndian>,
    /// `Wlog`, `Plog`, `Scell_log`, `flags` (`TC_RED_*`).
    pub red_logs: [u8; 4],
    /// `max_P`: the mark probability, scaled to 2^32.
    pub max_p: U32<NativeEndian>,
    /// `stats`: `prob_drop`, `forced_drop`, `prob_mark`, `forced_mark`,
    /// `prob_mark_head`, `forced_mark_head`.
    pub red_stats: [U32<NativeEndian>; 6],
}

/// The size of the old `struct tc_sfq_qopt` (quantum … flows).
pub const V0_LEN: usize = 20;

impl Sfq {
    /// Write `TCA_OPTIONS` = the whole struct, as tc sends it.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put(TcAttr::OPTIONS.0, self.as_bytes())
    }

    /// The RED flags byte (`TC_RED_ECN` 1, `TC_RED_HARDDROP` 2).
    pub fn red_flags(&self) -> u8 {
        self.red_logs[3]
    }

    pub(crate) fn decode(payload: &[u8]) -> (Self, bool) {
        (
            super::read_struct(payload),
            payload.len() >= size_of::<Self>(),
        )
    }
}
