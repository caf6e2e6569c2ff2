//! The `police` action (`TCA_POLICE_*`): a token-bucket meter with a
//! verdict for packets that exceed it and one for those that conform.
//! The same nest is a u32 filter's `police` (`TCA_U32_POLICE`) and the
//! options of a `police` action.

use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::action::{Tm, Verdict};
use super::units::{LinkLayer, Rate, RateSpec, Size, xmit_size, xmit_ticks};
use crate::wire::{Attr, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `TCA_POLICE_*` attribute types.
pub(crate) mod attr {
    pub(crate) const TBF: u16 = 1;
    pub(crate) const RATE: u16 = 2;
    pub(crate) const PEAKRATE: u16 = 3;
    pub(crate) const AVRATE: u16 = 4;
    pub(crate) const RESULT: u16 = 5;
    pub(crate) const TM: u16 = 6;
    pub(crate) const RATE64: u16 = 8;
    pub(crate) const PEAKRATE64: u16 = 9;
    pub(crate) const PKTRATE64: u16 = 10;
    pub(crate) const PKTBURST64: u16 = 11;
}

/// `struct tc_police`.
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
pub struct PoliceParms {
    /// `index` (0: the kernel picks one).
    pub index: U32<NativeEndian>,
    /// `action`: the verdict for packets over the rate.
    pub action: I32<NativeEndian>,
    /// `limit`.
    pub limit: U32<NativeEndian>,
    /// `burst`: the bucket, in psched ticks at the rate.
    pub burst: U32<NativeEndian>,
    /// `mtu`: the largest packet that can conform.
    pub mtu: U32<NativeEndian>,
    /// `rate`.
    pub rate: RateSpec,
    /// `peakrate`.
    pub peakrate: RateSpec,
    /// `refcnt`.
    pub refcnt: I32<NativeEndian>,
    /// `bindcnt`.
    pub bindcnt: I32<NativeEndian>,
    /// `capab`.
    pub capab: U32<NativeEndian>,
}

/// What a user gives `police` (tc's words), before tc's arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoliceSpec {
    /// `index`.
    pub index: u32,
    /// `rate` (0: none).
    pub rate: Rate,
    /// `burst`/`buffer`/`maxburst`, with its optional `/CELL` as a log.
    pub burst: Size,
    /// The burst's cell log.
    pub cell_log: Option<u8>,
    /// `mtu`/`minburst`.
    pub mtu: Size,
    /// The mtu's cell log.
    pub pcell_log: Option<u8>,
    /// `mpu`.
    pub mpu: u16,
    /// `peakrate` (0: none).
    pub peakrate: Rate,
    /// `avrate` (0: none).
    pub avrate: u32,
    /// `overhead`.
    pub overhead: u16,
    /// `linklayer`.
    pub linklayer: LinkLayer,
    /// The verdict over the rate (tc's default: `reclassify`).
    pub exceed: Verdict,
    /// `conform-exceed …/CONFORM`: the verdict under it.
    pub conform: Option<Verdict>,
    /// `pkts_rate` (0: none).
    pub pkts_rate: u64,
    /// `pkts_burst`.
    pub pkts_burst: u64,
}

impl Default for PoliceSpec {
    fn default() -> Self {
        Self {
            index: 0,
            rate: Rate(0),
            burst: Size(0),
            cell_log: None,
            mtu: Size(0),
            pcell_log: None,
            mpu: 0,
            peakrate: Rate(0),
            avrate: 0,
            overhead: 0,
            linklayer: LinkLayer::Ethernet,
            exceed: Verdict::RECLASSIFY,
            conform: None,
            pkts_rate: 0,
            pkts_burst: 0,
        }
    }
}

/// A policer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Police {
    /// `TCA_POLICE_TBF`.
    pub parms: PoliceParms,
    /// The rate, 64 bits (`TCA_POLICE_RATE64` or the parameters').
    pub rate: Rate,
    /// The peak rate, 64 bits.
    pub peakrate: Rate,
    /// `TCA_POLICE_AVRATE`.
    pub avrate: Option<u32>,
    /// `TCA_POLICE_RESULT`: the verdict for conforming packets.
    pub result: Option<i32>,
    /// `TCA_POLICE_PKTRATE64`.
    pub pkt_rate: Option<u64>,
    /// `TCA_POLICE_PKTBURST64` (ticks).
    pub pkt_burst: Option<u64>,
    /// `TCA_POLICE_TM`.
    pub tm: Option<Tm>,
}

impl Police {
    /// tc's arithmetic for `spec` (`act_parse_police`): rate specs, the
    /// bucket in ticks. Checking which words go together is the
    /// caller's (tc's messages differ by case).
    pub fn new(spec: &PoliceSpec) -> Self {
        let mut p = PoliceParms {
            index: spec.index.into(),
            action: spec.exceed.0.into(),
            mtu: spec.mtu.0.into(),
            ..PoliceParms::default()
        };
        if spec.rate.0 != 0 {
            p.rate = RateSpec::new(
                spec.rate,
                spec.cell_log,
                spec.mtu.0,
                spec.mpu,
                spec.overhead,
                spec.linklayer,
            );
            p.burst = xmit_ticks(spec.rate, spec.burst.0).into();
        }
        if spec.peakrate.0 != 0 {
            p.peakrate = RateSpec::new(
                spec.peakrate,
                spec.pcell_log,
                spec.mtu.0,
                spec.mpu,
                spec.overhead,
                spec.linklayer,
            );
        }
        let pkts = spec.pkts_rate != 0;
        Self {
            parms: p,
            rate: spec.rate,
            peakrate: spec.peakrate,
            avrate: (spec.avrate != 0).then_some(spec.avrate),
            // tc sends the conform verdict only when it is not `pass` (0).
            result: spec.conform.map(|v| v.0).filter(|&v| v != 0),
            pkt_rate: pkts.then_some(spec.pkts_rate),
            pkt_burst: pkts.then(|| {
                let burst = u32::try_from(spec.pkts_burst).unwrap_or(u32::MAX);
                u64::from(xmit_ticks(Rate(spec.pkts_rate), burst))
            }),
            tm: None,
        }
    }

    /// The bucket in bytes, as tc prints it (`burst`).
    pub fn burst_bytes(&self) -> u32 {
        xmit_size(self.rate, self.parms.burst.get())
    }

    /// The packet bucket in packets (`pkts_burst`).
    pub fn pkts_burst(&self) -> Option<u64> {
        let (rate, burst) = (self.pkt_rate?, self.pkt_burst?);
        Some(u64::from(xmit_size(
            Rate(rate),
            u32::try_from(burst).unwrap_or(u32::MAX),
        )))
    }

    /// Write the nest's contents in tc's order: parameters, rate table
    /// (and 64-bit rate), peak rate's, average rate, conform verdict,
    /// packet rate and bucket.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put(attr::TBF, self.parms.as_bytes())?;
        if self.rate.0 != 0 {
            w.put(attr::RATE, &rate_table(&self.parms.rate, self.rate))?;
            if self.rate.0 >= 1 << 32 {
                w.put_u64(attr::RATE64, self.rate.0)?;
            }
        }
        if self.peakrate.0 != 0 {
            w.put(
                attr::PEAKRATE,
                &rate_table(&self.parms.peakrate, self.peakrate),
            )?;
            if self.peakrate.0 >= 1 << 32 {
                w.put_u64(attr::PEAKRATE64, self.peakrate.0)?;
            }
        }
        if let Some(a) = self.avrate {
            w.put_u32(attr::AVRATE, a)?;
        }
        if let Some(r) = self.result {
            w.put_i32(attr::RESULT, r)?;
        }
        if let (Some(r), Some(b)) = (self.pkt_rate, self.pkt_burst) {
            w.put_u64(attr::PKTRATE64, r)?;
            w.put_u64(attr::PKTBURST64, b)?;
        }
        Ok(())
    }

    /// Decode the nest's contents.
    ///
    /// # Errors
    ///
    /// Attribute sizes.
    pub fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut p = Self::default();
        let (mut rate64, mut peak64) = (None, None);
        for a in super::nested(payload).map_while(Result::ok) {
            p.decode_attr(&a, &mut rate64, &mut peak64)?;
        }
        p.rate = Rate(rate64.unwrap_or(u64::from(p.parms.rate.rate.get())));
        p.peakrate = Rate(peak64.unwrap_or(u64::from(p.parms.peakrate.rate.get())));
        Ok(p)
    }

    fn decode_attr(
        &mut self,
        a: &Attr<'_>,
        rate64: &mut Option<u64>,
        peak64: &mut Option<u64>,
    ) -> Result<(), DecodeError> {
        match a.kind() {
            attr::TBF => self.parms = super::read_struct(a.payload()),
            attr::AVRATE => self.avrate = Some(a.u32()?),
            attr::RESULT => self.result = Some(a.i32()?),
            attr::TM => self.tm = Some(super::read_struct(a.payload())),
            attr::RATE64 => *rate64 = Some(a.u64()?),
            attr::PEAKRATE64 => *peak64 = Some(a.u64()?),
            attr::PKTRATE64 => self.pkt_rate = Some(a.u64()?),
            attr::PKTBURST64 => self.pkt_burst = Some(a.u64()?),
            _ => {}
        }
        Ok(())
    }
}

/// tc computes police's tables from the 64-bit rate (`tc_calc_rtable_64`).
fn rate_table(spec: &RateSpec, rate: Rate) -> [u8; 1024] {
    super::units::rate_table(
        rate,
        spec.cell_log,
        u32::from(spec.mpu.get()),
        LinkLayer::from_wire(spec.linklayer).unwrap_or_default(),
    )
}
