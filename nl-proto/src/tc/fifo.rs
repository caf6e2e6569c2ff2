//! The simple qdiscs: `pfifo`, `bfifo` (`struct tc_fifo_qopt`), and
//! `pfifo_fast` / `prio` (`struct tc_prio_qopt`).

use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcAttr;
use crate::EncodeError;
use crate::wire::MsgWriter;

/// `struct tc_fifo_qopt`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct FifoQopt {
    limit: U32<NativeEndian>,
}

/// A fifo's options: its limit, in packets (`pfifo`) or bytes (`bfifo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fifo {
    /// `limit`.
    pub limit: u32,
}

impl Fifo {
    /// Write `TCA_OPTIONS` = `struct tc_fifo_qopt` (not nested).
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put(
            TcAttr::OPTIONS.0,
            FifoQopt {
                limit: self.limit.into(),
            }
            .as_bytes(),
        )
    }

    pub(crate) fn decode(payload: &[u8]) -> Self {
        let q: FifoQopt = super::read_struct(payload);
        Self {
            limit: q.limit.get(),
        }
    }
}

/// `struct tc_prio_qopt`.
#[derive(Debug, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct PrioQopt {
    bands: I32<NativeEndian>,
    priomap: [u8; 16],
}

/// `pfifo_fast`'s and `prio`'s options: bands and the map from the 16
/// logical priorities (`TC_PRIO_*`) to bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prio {
    /// `bands`.
    pub bands: i32,
    /// `priomap`.
    pub priomap: [u8; 16],
    /// `TCA_PRIO_MQ`, when the kernel reported it.
    pub multiqueue: Option<bool>,
}

impl Default for Prio {
    /// tc's and the kernel's default: 3 bands, `1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1`.
    fn default() -> Self {
        Self {
            bands: 3,
            priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
            multiqueue: None,
        }
    }
}

impl Prio {
    /// Write `TCA_OPTIONS` as tc's `addattr_nest_compat` does: the
    /// struct, then a nested `TCA_OPTIONS` holding `TCA_PRIO_MQ` when
    /// multiqueue is on.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let q = PrioQopt {
            bands: self.bands.into(),
            priomap: self.priomap,
        };
        let outer = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        w.put_fixed(&q)?;
        let inner = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if self.multiqueue == Some(true) {
            w.put_flag(1)?;
        }
        w.end_nest(inner)?;
        w.end_nest(outer)
    }

    /// The struct first, then an attribute whose nested `TCA_PRIO_*`
    /// follow (`parse_rtattr_nested_compat`).
    pub(crate) fn decode(payload: &[u8]) -> Self {
        let q: PrioQopt = super::read_struct(payload);
        let mut p = Self {
            bands: q.bands.get(),
            priomap: q.priomap,
            multiqueue: None,
        };
        let rest = payload.get(20..).unwrap_or(&[]);
        if let Some(inner) = super::nested(rest).map_while(Result::ok).next() {
            for attr in super::nested(inner.payload()).map_while(Result::ok) {
                if attr.kind() == 1 {
                    p.multiqueue = Some(attr.payload().first().is_none_or(|&v| v != 0));
                }
            }
        }
        p
    }
}
