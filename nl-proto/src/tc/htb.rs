//! The hierarchy token bucket, `htb`: the qdisc (`struct tc_htb_glob`)
//! and its classes (`struct tc_htb_opt`, rate and ceil tables),
//! `TCA_HTB_*`.

use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcAttr;
use super::units::{LinkLayer, Rate, RateSpec, Size, xmit_size, xmit_ticks};
use crate::macros::open_enum;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

open_enum! {
    /// htb option attributes (`TCA_HTB_*`).
    pub struct HtbAttr(u16) {
        /// `TCA_HTB_PARMS`: a class's `struct tc_htb_opt`.
        PARMS = 1,
        /// `TCA_HTB_INIT`: the qdisc's `struct tc_htb_glob`.
        INIT = 2,
        /// `TCA_HTB_CTAB`: the ceil rate table.
        CTAB = 3,
        /// `TCA_HTB_RTAB`: the rate table.
        RTAB = 4,
        /// `TCA_HTB_DIRECT_QLEN`: u32.
        DIRECT_QLEN = 5,
        /// `TCA_HTB_RATE64`: u64.
        RATE64 = 6,
        /// `TCA_HTB_CEIL64`: u64.
        CEIL64 = 7,
        /// `TCA_HTB_PAD`.
        PAD = 8,
        /// `TCA_HTB_OFFLOAD`: flag.
        OFFLOAD = 9,
    }
}

/// `struct tc_htb_glob`.
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
pub struct HtbGlob {
    /// `version` (3).
    pub version: U32<NativeEndian>,
    /// `rate2quantum` (`r2q`).
    pub rate2quantum: U32<NativeEndian>,
    /// `defcls`: the minor of the default class (`default`, hex).
    pub defcls: U32<NativeEndian>,
    /// `debug`.
    pub debug: U32<NativeEndian>,
    /// `direct_pkts`: packets sent directly (reported).
    pub direct_pkts: U32<NativeEndian>,
}

/// An htb qdisc's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Htb {
    /// `TCA_HTB_INIT`.
    pub glob: HtbGlob,
    /// `TCA_HTB_DIRECT_QLEN`.
    pub direct_qlen: Option<u32>,
    /// `TCA_HTB_OFFLOAD`.
    pub offload: bool,
}

impl Htb {
    /// tc's defaults: version 3, `r2q 10`, default class 0.
    pub fn new(default_class: u32) -> Self {
        Self {
            glob: HtbGlob {
                version: 3.into(),
                rate2quantum: 10.into(),
                defcls: default_class.into(),
                ..HtbGlob::default()
            },
            direct_qlen: None,
            offload: false,
        }
    }

    /// Write `TCA_OPTIONS` as tc does.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        w.put(HtbAttr::INIT.0, self.glob.as_bytes())?;
        if let Some(q) = self.direct_qlen {
            w.put_u32(HtbAttr::DIRECT_QLEN.0, q)?;
        }
        if self.offload {
            w.put_flag(HtbAttr::OFFLOAD.0)?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut h = Self::new(0);
        let mut init = false;
        for attr in super::nested(payload).map_while(Result::ok) {
            match HtbAttr(attr.kind()) {
                HtbAttr::INIT => {
                    h.glob = super::read_struct(attr.payload());
                    init = true;
                }
                HtbAttr::DIRECT_QLEN => h.direct_qlen = Some(attr.u32()?),
                HtbAttr::OFFLOAD => h.offload = true,
                _ => {}
            }
        }
        if !init {
            return Err(DecodeError::MissingAttr {
                what: "htb options",
                kind: HtbAttr::INIT.0,
            });
        }
        Ok(h)
    }
}

/// `struct tc_htb_opt`.
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
pub struct HtbOpt {
    /// `rate`.
    pub rate: RateSpec,
    /// `ceil`.
    pub ceil: RateSpec,
    /// `buffer`: ticks at the rate.
    pub buffer: U32<NativeEndian>,
    /// `cbuffer`: ticks at the ceil.
    pub cbuffer: U32<NativeEndian>,
    /// `quantum`.
    pub quantum: U32<NativeEndian>,
    /// `level` (reported: 0 for leaves).
    pub level: U32<NativeEndian>,
    /// `prio`.
    pub prio: U32<NativeEndian>,
}

/// `struct tc_htb_xstats`: a class's `TCA_XSTATS`.
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
pub struct HtbXstats {
    /// `lends`.
    pub lends: U32<NativeEndian>,
    /// `borrows`.
    pub borrows: U32<NativeEndian>,
    /// `giants`.
    pub giants: U32<NativeEndian>,
    /// `tokens`.
    pub tokens: I32<NativeEndian>,
    /// `ctokens`.
    pub ctokens: I32<NativeEndian>,
}

/// What `tc class add … htb` takes, in its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtbClassSpec {
    /// `rate` (required).
    pub rate: Rate,
    /// `ceil` (the rate when unset).
    pub ceil: Option<Rate>,
    /// `burst`, with log2 of its `/CELL`.
    pub burst: Option<(Size, Option<u8>)>,
    /// `cburst`, with log2 of its `/CELL`.
    pub cburst: Option<(Size, Option<u8>)>,
    /// `mtu` (1600).
    pub mtu: u32,
    /// `mpu`.
    pub mpu: u16,
    /// `overhead`.
    pub overhead: u16,
    /// `linklayer`.
    pub linklayer: LinkLayer,
    /// `quantum`.
    pub quantum: u32,
    /// `prio`.
    pub prio: u32,
}

impl HtbClassSpec {
    /// `rate R` and tc's defaults for the rest.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            ceil: None,
            burst: None,
            cburst: None,
            mtu: 1600,
            mpu: 0,
            overhead: 0,
            linklayer: LinkLayer::Ethernet,
            quantum: 0,
            prio: 0,
        }
    }
}

/// tc's `get_hz()` on current kernels (`/proc/net/psched`'s fourth
/// field): the default bucket is `rate / HZ + mtu`.
const PSCHED_HZ: u64 = 1_000_000_000;

/// An htb class's options, as sent and as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtbClass {
    /// `TCA_HTB_PARMS`.
    pub parms: HtbOpt,
    /// The rate (`TCA_HTB_RATE64` when present).
    pub rate: Rate,
    /// The ceil (`TCA_HTB_CEIL64` when present).
    pub ceil: Rate,
}

impl HtbClass {
    /// tc's arithmetic for `spec` (`htb_parse_class_opt`); `None` for a
    /// zero rate.
    pub fn new(spec: &HtbClassSpec) -> Option<Self> {
        if spec.rate.0 == 0 {
            return None;
        }
        let ceil = spec.ceil.filter(|c| c.0 != 0).unwrap_or(spec.rate);
        let bucket = |r: Rate| {
            Size(
                u32::try_from(r.0 / PSCHED_HZ)
                    .unwrap_or(u32::MAX)
                    .saturating_add(spec.mtu),
            )
        };
        let (buffer, cell_log) = spec.burst.unwrap_or((bucket(spec.rate), None));
        let (cbuffer, ccell_log) = spec.cburst.unwrap_or((bucket(ceil), None));
        let rs = RateSpec::new(
            spec.rate,
            cell_log,
            spec.mtu,
            spec.mpu,
            spec.overhead,
            spec.linklayer,
        );
        let cs = RateSpec::new(
            ceil,
            ccell_log,
            spec.mtu,
            spec.mpu,
            spec.overhead,
            spec.linklayer,
        );
        Some(Self {
            parms: HtbOpt {
                rate: rs,
                ceil: cs,
                buffer: xmit_ticks(spec.rate, buffer.0).into(),
                cbuffer: xmit_ticks(ceil, cbuffer.0).into(),
                quantum: spec.quantum.into(),
                level: 0.into(),
                prio: spec.prio.into(),
            },
            rate: spec.rate,
            ceil,
        })
    }

    /// The bucket in bytes, as tc prints it (`burst`).
    pub fn burst_bytes(&self) -> u32 {
        xmit_size(self.rate, self.parms.buffer.get())
    }

    /// The ceil bucket in bytes (`cburst`).
    pub fn cburst_bytes(&self) -> u32 {
        xmit_size(self.ceil, self.parms.cbuffer.get())
    }

    /// Write `TCA_OPTIONS` as tc does: 64-bit rates, parameters, rate
    /// table, ceil table.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if self.rate.0 >= 1 << 32 {
            w.put_u64(HtbAttr::RATE64.0, self.rate.0)?;
        }
        if self.ceil.0 >= 1 << 32 {
            w.put_u64(HtbAttr::CEIL64.0, self.ceil.0)?;
        }
        w.put(HtbAttr::PARMS.0, self.parms.as_bytes())?;
        w.put(HtbAttr::RTAB.0, &self.parms.rate.table())?;
        w.put(HtbAttr::CTAB.0, &self.parms.ceil.table())?;
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut c = Self::default();
        let mut parms = false;
        for attr in super::nested(payload).map_while(Result::ok) {
            match HtbAttr(attr.kind()) {
                HtbAttr::PARMS => {
                    c.parms = super::read_struct(attr.payload());
                    parms = true;
                }
                HtbAttr::RATE64 => c.rate = Rate(attr.u64()?),
                HtbAttr::CEIL64 => c.ceil = Rate(attr.u64()?),
                _ => {}
            }
        }
        if !parms {
            return Err(DecodeError::MissingAttr {
                what: "htb class options",
                kind: HtbAttr::PARMS.0,
            });
        }
        if c.rate.0 == 0 {
            c.rate = Rate(u64::from(c.parms.rate.rate.get()));
        }
        if c.ceil.0 == 0 {
            c.ceil = Rate(u64::from(c.parms.ceil.rate.get()));
        }
        Ok(c)
    }
}
