//! The token bucket filter qdisc, `tbf` (`TCA_TBF_*`, `struct
//! tc_tbf_qopt`).
//!
//! tc turns `rate`, `burst` and `latency` (or `limit`) into the kernel's
//! parameters: the bucket in psched ticks at the rate, the limit in bytes
//! (`rate × latency + burst`), and a rate table; [`Tbf::new`] does the
//! same arithmetic, so the request is byte for byte tc's.

use zerocopy::byteorder::{NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcAttr;
use super::units::{
    LinkLayer, Rate, RateSpec, Size, TIME_UNITS_PER_SEC, Time, xmit_size, xmit_ticks,
};
use crate::macros::open_enum;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

open_enum! {
    /// tbf option attributes (`TCA_TBF_*`).
    pub struct TbfAttr(u16) {
        /// `TCA_TBF_PARMS`: `struct tc_tbf_qopt`.
        PARMS = 1,
        /// `TCA_TBF_RTAB`: the rate table.
        RTAB = 2,
        /// `TCA_TBF_PTAB`: the peak rate table.
        PTAB = 3,
        /// `TCA_TBF_RATE64`: u64 rate when it needs 64 bits.
        RATE64 = 4,
        /// `TCA_TBF_PRATE64`: u64 peak rate.
        PRATE64 = 5,
        /// `TCA_TBF_BURST`: u32 bucket size in bytes.
        BURST = 6,
        /// `TCA_TBF_PBURST`: u32 peak bucket (mtu) in bytes.
        PBURST = 7,
        /// `TCA_TBF_PAD`.
        PAD = 8,
    }
}

/// `struct tc_tbf_qopt`.
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
pub struct TbfQopt {
    /// `rate`.
    pub rate: RateSpec,
    /// `peakrate`.
    pub peakrate: RateSpec,
    /// `limit`: bytes queued.
    pub limit: U32<NativeEndian>,
    /// `buffer`: the bucket, in psched ticks at the rate.
    pub buffer: U32<NativeEndian>,
    /// `mtu`: the peak bucket, in ticks at the peak rate.
    pub mtu: U32<NativeEndian>,
}

/// What `tc qdisc add … tbf` takes, in its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TbfSpec {
    /// `rate`.
    pub rate: Rate,
    /// `burst`/`buffer`/`maxburst`, with its optional `/CELL`.
    pub burst: Size,
    /// log2 of the `/CELL` given with `burst`.
    pub cell_log: Option<u8>,
    /// `limit` (exclusive with `latency`).
    pub limit: Option<Size>,
    /// `latency` (exclusive with `limit`).
    pub latency: Option<Time>,
    /// `peakrate`.
    pub peakrate: Option<Rate>,
    /// `mtu`/`minburst` (needed with `peakrate`), with its `/CELL`.
    pub mtu: Size,
    /// log2 of the `/CELL` given with `mtu`.
    pub pcell_log: Option<u8>,
    /// `mpu`.
    pub mpu: Size,
    /// `overhead`.
    pub overhead: u16,
    /// `linklayer`.
    pub linklayer: LinkLayer,
}

/// tbf's options, as sent and as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tbf {
    /// `TCA_TBF_PARMS`.
    pub parms: TbfQopt,
    /// The rate: `TCA_TBF_RATE64` when present, else the parameters'.
    pub rate: Rate,
    /// The peak rate (0: none).
    pub peakrate: Rate,
    /// `TCA_TBF_BURST`, when present.
    pub burst: Option<u32>,
    /// `TCA_TBF_PBURST`, when present.
    pub pburst: Option<u32>,
}

fn f64_to_u32(v: f64) -> u32 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "C's conversion, as tc"
    )]
    let r = v as u32;
    r
}

#[allow(clippy::cast_precision_loss, reason = "tc computes in double")]
fn u64_to_f64(v: u64) -> f64 {
    v as f64
}

impl Tbf {
    /// tc's arithmetic for `spec` (`tbf_parse_opt`). `None` when the
    /// rate is 0, the burst is 0, a peak rate lacks its mtu, or neither
    /// limit nor latency is given (tc's own refusals).
    pub fn new(spec: &TbfSpec) -> Option<Self> {
        if spec.rate.0 == 0 || spec.burst.0 == 0 {
            return None;
        }
        if spec.peakrate.is_some_and(|p| p.0 != 0) && spec.mtu.0 == 0 {
            return None;
        }
        let peak = spec.peakrate.unwrap_or_default();
        let limit = match (spec.limit, spec.latency) {
            (Some(l), _) if l.0 != 0 => l.0,
            (_, Some(lat)) if lat.0 != 0 => {
                let lat = f64::from(lat.0) / TIME_UNITS_PER_SEC;
                let mut lim = u64_to_f64(spec.rate.0) * lat + f64::from(spec.burst.0);
                if peak.0 != 0 {
                    let lim2 = u64_to_f64(peak.0) * lat + f64::from(spec.mtu.0);
                    if lim2 < lim {
                        lim = lim2;
                    }
                }
                f64_to_u32(lim)
            }
            _ => return None,
        };
        let mpu = u16::try_from(spec.mpu.0).unwrap_or(u16::MAX);
        let mut parms = TbfQopt {
            rate: RateSpec::new(
                spec.rate,
                spec.cell_log,
                spec.mtu.0,
                mpu,
                spec.overhead,
                spec.linklayer,
            ),
            limit: limit.into(),
            ..TbfQopt::default()
        };
        parms.buffer = xmit_ticks(Rate(u64::from(parms.rate.rate.get())), spec.burst.0).into();
        if peak.0 != 0 {
            parms.peakrate = RateSpec::new(
                peak,
                spec.pcell_log,
                spec.mtu.0,
                mpu,
                spec.overhead,
                spec.linklayer,
            );
            parms.mtu = xmit_ticks(Rate(u64::from(parms.peakrate.rate.get())), spec.mtu.0).into();
        }
        Some(Self {
            parms,
            rate: spec.rate,
            peakrate: peak,
            burst: Some(spec.burst.0),
            pburst: (peak.0 != 0).then_some(spec.mtu.0),
        })
    }

    /// `tbf rate R burst B latency L`.
    ///
    /// # Panics
    ///
    /// Never for a non-zero rate and burst; those give a zero-rate tbf
    /// the kernel refuses.
    pub fn with_latency(rate: Rate, burst: Size, latency: Time) -> Self {
        Self::new(&TbfSpec {
            rate,
            burst,
            latency: Some(latency),
            ..TbfSpec::default()
        })
        .unwrap_or_default()
    }

    /// The bucket in bytes, as tc prints it (`burst`): from the ticks.
    pub fn burst_bytes(&self) -> u32 {
        xmit_size(self.rate, self.parms.buffer.get())
    }

    /// The peak bucket in bytes (`minburst`/`mtu`).
    pub fn mtu_bytes(&self) -> u32 {
        xmit_size(self.peakrate, self.parms.mtu.get())
    }

    /// The latency tc derives from limit, rate and bucket, in
    /// microseconds (negative when the limit is below the bucket).
    pub fn latency(&self) -> f64 {
        let tick2time = |t: u32| f64::from(super::units::ticks_to_time(t));
        let limit = f64::from(self.parms.limit.get());
        let mut lat = TIME_UNITS_PER_SEC * (limit / u64_to_f64(self.rate.0))
            - tick2time(self.parms.buffer.get());
        if self.peakrate.0 != 0 {
            let lat2 = TIME_UNITS_PER_SEC * (limit / u64_to_f64(self.peakrate.0))
                - tick2time(self.parms.mtu.get());
            if lat2 > lat {
                lat = lat2;
            }
        }
        lat
    }

    /// Write `TCA_OPTIONS` as tc does: parameters, burst, 64-bit rate,
    /// rate table, then the peak rate's.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        w.put(TbfAttr::PARMS.0, self.parms.as_bytes())?;
        if let Some(b) = self.burst {
            w.put_u32(TbfAttr::BURST.0, b)?;
        }
        if self.rate.0 >= 1 << 32 {
            w.put_u64(TbfAttr::RATE64.0, self.rate.0)?;
        }
        w.put(TbfAttr::RTAB.0, &self.parms.rate.table())?;
        if self.parms.peakrate.rate.get() != 0 {
            if self.peakrate.0 >= 1 << 32 {
                w.put_u64(TbfAttr::PRATE64.0, self.peakrate.0)?;
            }
            if let Some(b) = self.pburst {
                w.put_u32(TbfAttr::PBURST.0, b)?;
            }
            w.put(TbfAttr::PTAB.0, &self.parms.peakrate.table())?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut t = Self::default();
        let mut parms = false;
        for attr in super::nested(payload).map_while(Result::ok) {
            match TbfAttr(attr.kind()) {
                TbfAttr::PARMS => {
                    t.parms = super::read_struct(attr.payload());
                    parms = true;
                }
                TbfAttr::RATE64 => t.rate = Rate(attr.u64()?),
                TbfAttr::PRATE64 => t.peakrate = Rate(attr.u64()?),
                TbfAttr::BURST => t.burst = Some(attr.u32()?),
                TbfAttr::PBURST => t.pburst = Some(attr.u32()?),
                _ => {}
            }
        }
        if !parms {
            return Err(DecodeError::MissingAttr {
                what: "tbf options",
                kind: TbfAttr::PARMS.0,
            });
        }
        if t.rate.0 == 0 {
            t.rate = Rate(u64::from(t.parms.rate.rate.get()));
        }
        if t.peakrate.0 == 0 {
            t.peakrate = Rate(u64::from(t.parms.peakrate.rate.get()));
        }
        Ok(t)
    }
}
