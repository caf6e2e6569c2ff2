//! Rates, sizes and times as tc 6.1 reads and writes them, and the
//! psched clock arithmetic behind tbf's and htb's token buckets and rate
//! tables.
//!
//! tc reads `/proc/net/psched` once; every kernel since 2.6.31 with
//! high-resolution timers reports `000003e8 00000040 000f4240 3b9aca00`,
//! so a psched tick is 64 ns and a microsecond is 15.625 ticks. The
//! arithmetic below uses that constant, with tc's own truncations (two
//! conversions to `unsigned int` per transmit time), so the numbers in a
//! request and in a listing match tc's byte for byte.
//!
//! ```
//! use nl_proto::tc::units::{Rate, Size, Time};
//! let r = Rate::parse("1mbit").unwrap();
//! assert_eq!(r.0, 125_000); // bytes per second
//! assert_eq!(r.to_string(), "1Mbit");
//! assert_eq!(Size::parse("32kbit").unwrap().0, 4096);
//! assert_eq!(Size(4096).to_string(), "4Kb");
//! assert_eq!(Time::parse("400ms").unwrap().0, 400_000);
//! assert_eq!(Time(400_000).to_string(), "400ms");
//! ```

use core::fmt::{self, Write as _};

use zerocopy::byteorder::{I16, NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// Microseconds per second: tc's `TIME_UNITS_PER_SEC`.
pub const TIME_UNITS_PER_SEC: f64 = 1_000_000.0;

/// Psched ticks per microsecond on every current kernel (see the module doc).
pub const TICKS_PER_USEC: f64 = 15.625;

/// A rate in bytes per second (tc's `rate64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(pub u64);

/// A size in bytes (`limit`, `burst`, `mtu`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Size(pub u32);

/// A time in microseconds (`latency`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub u32);

/// Split `s` as `strtod` would: the longest prefix that reads as a
/// decimal number, its value, and the rest.
fn strtod(s: &str) -> Option<(f64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_from = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut mantissa = i - digits_from;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let from = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        mantissa += i - from;
    }
    if mantissa == 0 {
        return None;
    }
    // An exponent counts only when digits follow it.
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let from = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > from {
            i = j;
        }
    }
    let (num, rest) = s.split_at(i);
    num.parse::<f64>().ok().map(|v| (v, rest))
}

/// tc's rate suffixes and their bits per unit (`lib/utils_math.c`),
/// matched without regard to case.
const RATE_SUFFIXES: &[(&str, f64)] = &[
    ("bit", 1.),
    ("Kibit", 1024.),
    ("kbit", 1000.),
    ("mibit", 1024. * 1024.),
    ("mbit", 1_000_000.),
    ("gibit", 1024. * 1024. * 1024.),
    ("gbit", 1_000_000_000.),
    ("tibit", 1024. * 1024. * 1024. * 1024.),
    ("tbit", 1_000_000_000_000.),
    ("Bps", 8.),
    ("KiBps", 8. * 1024.),
    ("KBps", 8000.),
    ("MiBps", 8. * 1024. * 1024.),
    ("MBps", 8_000_000.),
    ("GiBps", 8. * 1024. * 1024. * 1024.),
    ("GBps", 8_000_000_000.),
    ("TiBps", 8. * 1024. * 1024. * 1024. * 1024.),
    ("TBps", 8_000_000_000_000.),
];

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "C's double to unsigned conversions, which tc relies on"
)]
fn f64_to_u64(v: f64) -> u64 {
    v as u64
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "C's double to unsigned conversions, which tc relies on"
)]
fn f64_to_u32(v: f64) -> u32 {
    v as u32
}

#[allow(clippy::cast_precision_loss, reason = "tc computes in double")]
fn u64_to_f64(v: u64) -> f64 {
    v as f64
}

impl Rate {
    /// Parse as tc's `get_rate64`: a number and an optional suffix
    /// (`bit` when none; `kbit`, `mbit`, `Kibit`, `MBps`, …), in bits
    /// per second unless the suffix says bytes.
    pub fn parse(s: &str) -> Option<Self> {
        let (v, rest) = strtod(s)?;
        let scale = if rest.is_empty() {
            1.
        } else {
            RATE_SUFFIXES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(rest))?
                .1
        };
        Some(Self(f64_to_u64(v * scale / 8.)))
    }

    /// Parse as tc's 32-bit `get_rate`, which refuses a rate of 4 GB/s
    /// or more (and fractions of a byte).
    pub fn parse32(s: &str) -> Option<Self> {
        let (v, rest) = strtod(s)?;
        let scale = if rest.is_empty() {
            1.
        } else {
            RATE_SUFFIXES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(rest))?
                .1
        };
        let bps = v * scale / 8.;
        let r = f64_to_u32(bps);
        (f64::from(r) == libm_floor(bps)).then_some(Self(u64::from(r)))
    }

    /// The rate as tc prints it with `-iec` (`1Mibit`).
    pub fn iec(self) -> impl fmt::Display {
        RateDisplay(self.0, true)
    }
}

/// `floor` without std: exact for the magnitudes a rate or size has.
fn libm_floor(v: f64) -> f64 {
    if !(0.0..1.8e19).contains(&v) {
        return v;
    }
    #[allow(clippy::cast_precision_loss, reason = "integral part only")]
    let f = f64_to_u64(v) as f64;
    f
}

struct RateDisplay(u64, bool);

impl fmt::Display for RateDisplay {
    /// `print_color_rate`: bits per second, divided by 1000 (1024 with
    /// `-iec`) while it divides evenly or is at least a million.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kilo: u64 = if self.1 { 1024 } else { 1000 };
        let units = ["", "K", "M", "G", "T"];
        let mut rate = self.0.wrapping_shl(3);
        let mut i = 0;
        while i < units.len() - 1 {
            if rate < kilo || (rate % kilo != 0 && rate < 1000 * kilo) {
                break;
            }
            rate /= kilo;
            i += 1;
        }
        let iec = if i > 0 && self.1 { "i" } else { "" };
        write!(f, "{rate}{}{iec}bit", units[i])
    }
}

impl fmt::Display for Rate {
    /// As tc 6.1 prints a rate: `1Mbit`, `32Kbit`, `1500Kbit`, `800bit`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        RateDisplay(self.0, false).fmt(f)
    }
}

impl Size {
    /// Parse as tc's `get_size`: bytes, or with a suffix `k`/`kb`,
    /// `m`/`mb`, `g`/`gb` (powers of 1024), `kbit`, `mbit`, `gbit`
    /// (powers of 1024, in bits), `b`; `None` when it overflows 32 bits or
    /// is not a whole number of bytes.
    pub fn parse(s: &str) -> Option<Self> {
        let (v, rest) = strtod(s)?;
        let scale: f64 = match rest.to_ascii_lowercase_small().as_str() {
            "" | "b" => 1.,
            "kb" | "k" => 1024.,
            "gb" | "g" => 1024. * 1024. * 1024.,
            "gbit" => 1024. * 1024. * 1024. / 8.,
            "mb" | "m" => 1024. * 1024.,
            "mbit" => 1024. * 1024. / 8.,
            "kbit" => 1024. / 8.,
            _ => return None,
        };
        let sz = v * scale;
        let r = f64_to_u32(sz);
        (f64::from(r) == libm_floor(sz)).then_some(Self(r))
    }
}

/// A lowercase copy of a short suffix, without allocation.
trait LowerSmall {
    fn to_ascii_lowercase_small(&self) -> heapless::String<8>;
}

impl LowerSmall for str {
    fn to_ascii_lowercase_small(&self) -> heapless::String<8> {
        let mut out = heapless::String::new();
        for c in self.chars() {
            if out.push(c.to_ascii_lowercase()).is_err() {
                // Longer than any suffix: make it match none.
                out.clear();
                let _ = out.push_str("?");
                break;
            }
        }
        out
    }
}

/// C's `rint` in the default rounding mode: to nearest, halves to even.
fn rint(v: f64) -> f64 {
    let t = libm_floor(v);
    let frac = v - t;
    if frac > 0.5 || (frac == 0.5 && f64_to_u64(t) % 2 == 1) {
        t + 1.
    } else {
        t
    }
}

impl fmt::Display for Size {
    /// `sprint_size`: `NMb` when within 1 KiB of a whole number of MiB,
    /// `NKb` when within 16 bytes of a whole number of KiB, else `Nb`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sz = self.0;
        let tmp = f64::from(sz);
        let mega = 1024. * 1024.;
        if sz >= 1 << 20 && (mega * rint(tmp / mega) - tmp).abs() < 1024. {
            fmt_g(f, rint(tmp / mega), 6)?;
            f.write_str("Mb")
        } else if sz >= 1024 && (1024. * rint(tmp / 1024.) - tmp).abs() < 16. {
            fmt_g(f, rint(tmp / 1024.), 6)?;
            f.write_str("Kb")
        } else {
            write!(f, "{sz}b")
        }
    }
}

impl Time {
    /// Parse as tc's `get_time`: microseconds, or with a suffix `s`,
    /// `sec`, `secs`, `ms`, `msec`, `msecs`, `us`, `usec`, `usecs`.
    pub fn parse(s: &str) -> Option<Self> {
        let (v, rest) = strtod(s)?;
        let scale = match rest.to_ascii_lowercase_small().as_str() {
            "" => 1.,
            "s" | "sec" | "secs" => TIME_UNITS_PER_SEC,
            "ms" | "msec" | "msecs" => TIME_UNITS_PER_SEC / 1000.,
            "us" | "usec" | "usecs" => 1.,
            _ => return None,
        };
        Some(Self(f64_to_u32(v * scale)))
    }
}

impl fmt::Display for Time {
    /// `sprint_time`: `%.3gs` from a second, `%.3gms` from a
    /// millisecond, else `Nus`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = f64::from(self.0);
        if t >= TIME_UNITS_PER_SEC {
            fmt_g(f, t / TIME_UNITS_PER_SEC, 3)?;
            f.write_str("s")
        } else if t >= 1000. {
            fmt_g(f, t / 1000., 3)?;
            f.write_str("ms")
        } else {
            write!(f, "{}us", self.0)
        }
    }
}

/// C's `%.{precision}g` for a finite, non-negative value.
pub fn fmt_g(f: &mut impl fmt::Write, v: f64, precision: usize) -> fmt::Result {
    let p = precision.max(1);
    if v == 0.0 {
        return f.write_str("0");
    }
    // The exponent after rounding to `p` significant digits.
    let mut e: heapless::String<40> = heapless::String::new();
    write!(e, "{:.*e}", p - 1, v)?;
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    let p_i = i32::try_from(p).unwrap_or(6);
    if x < -4 || x >= p_i {
        let mant = trim_zeros(mant);
        let sign = if x < 0 { '-' } else { '+' };
        write!(f, "{mant}e{sign}{:02}", x.unsigned_abs())
    } else {
        let decimals = usize::try_from(p_i - 1 - x).unwrap_or(0);
        let mut s: heapless::String<48> = heapless::String::new();
        write!(s, "{v:.decimals$}")?;
        f.write_str(trim_zeros(&s))
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// tc's `tc_core_time2tick`: microseconds to psched ticks, truncated.
pub fn time_to_ticks(usec: u32) -> u32 {
    f64_to_u32(f64::from(usec) * TICKS_PER_USEC)
}

/// tc's `tc_core_tick2time`: psched ticks to microseconds, truncated.
pub fn ticks_to_time(ticks: u32) -> u32 {
    f64_to_u32(f64::from(ticks) / TICKS_PER_USEC)
}

/// tc's `tc_calc_xmittime`: the ticks `size` bytes take at `rate`.
pub fn xmit_ticks(rate: Rate, size: u32) -> u32 {
    let usec = f64_to_u32(TIME_UNITS_PER_SEC * (f64::from(size) / u64_to_f64(rate.0)));
    time_to_ticks(usec)
}

/// tc's `tc_calc_xmitsize`: the bytes `rate` sends in `ticks`.
pub fn xmit_size(rate: Rate, ticks: u32) -> u32 {
    f64_to_u32(u64_to_f64(rate.0) * f64::from(ticks_to_time(ticks)) / TIME_UNITS_PER_SEC)
}

/// Link-layer of a rate table (`TC_LINKLAYER_*`), for the sizes it
/// charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkLayer {
    /// `TC_LINKLAYER_ETHERNET`: packets cost their size.
    #[default]
    Ethernet,
    /// `TC_LINKLAYER_ATM`: packets cost whole 53-byte cells of 48 bytes.
    Atm,
}

impl LinkLayer {
    /// The `linklayer` byte of a `tc_ratespec`.
    pub fn wire(self) -> u8 {
        match self {
            Self::Ethernet => 1,
            Self::Atm => 2,
        }
    }

    /// From the `linklayer` byte (masked with `TC_LINKLAYER_MASK`);
    /// `None` for unknown values.
    pub fn from_wire(v: u8) -> Option<Self> {
        match v & 0x0f {
            0 | 1 => Some(Self::Ethernet),
            2 => Some(Self::Atm),
            _ => None,
        }
    }

    /// tc's `get_linklayer` names: `ethernet`, `atm`, `adsl`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ethernet" | "eth" => Some(Self::Ethernet),
            "atm" | "adsl" => Some(Self::Atm),
            _ => None,
        }
    }

    /// tc's name: `ethernet`, `atm`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ethernet => "ethernet",
            Self::Atm => "atm",
        }
    }

    fn adjust(self, size: u32, mpu: u32) -> u32 {
        let sz = size.max(mpu);
        match self {
            Self::Ethernet => sz,
            Self::Atm => sz.div_ceil(48).saturating_mul(53),
        }
    }
}

/// The cell log tc picks for a rate table when none is given: the
/// smallest that maps `mtu` (2047 when 0) into 256 slots.
pub fn default_cell_log(mtu: u32) -> u8 {
    let mtu = if mtu == 0 { 2047 } else { mtu };
    let mut log = 0u8;
    while log < 31 && (mtu >> log) > 255 {
        log += 1;
    }
    log
}

/// A rate table, `rtab[i]` = ticks to send `(i + 1) << cell_log` bytes
/// (tc's `tc_calc_rtable_64`), as the 1024 bytes tbf and htb send. The
/// kernel no longer reads it but still requires it.
pub fn rate_table(rate: Rate, cell_log: u8, mpu: u32, linklayer: LinkLayer) -> [u8; 1024] {
    let mut out = [0u8; 1024];
    for (i, slot) in out.chunks_exact_mut(4).enumerate() {
        let cells = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let sz = linklayer.adjust(cells.wrapping_shl(u32::from(cell_log)), mpu);
        slot.copy_from_slice(&xmit_ticks(rate, sz).to_ne_bytes());
    }
    out
}

/// `struct tc_ratespec`: a rate as qdiscs carry it, with the parameters
/// of its rate table.
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
pub struct RateSpec {
    /// `cell_log`: log2 of the table's cell size.
    pub cell_log: u8,
    /// `linklayer` (`TC_LINKLAYER_*`, see [`LinkLayer::wire`]).
    pub linklayer: u8,
    /// `overhead`: bytes added to each packet.
    pub overhead: U16<NativeEndian>,
    /// `cell_align` (tc sends -1).
    pub cell_align: I16<NativeEndian>,
    /// `mpu`: minimum packet unit.
    pub mpu: U16<NativeEndian>,
    /// `rate`: bytes per second, all ones when the rate needs 64 bits.
    pub rate: U32<NativeEndian>,
}

impl RateSpec {
    /// The spec tc's `tc_calc_rtable` fills in for `rate`: `cell_log`
    /// (or the default for `mtu`), `cell_align` -1, and the rate clamped
    /// to 32 bits.
    pub fn new(
        rate: Rate,
        cell_log: Option<u8>,
        mtu: u32,
        mpu: u16,
        overhead: u16,
        linklayer: LinkLayer,
    ) -> Self {
        Self {
            cell_log: cell_log.unwrap_or_else(|| default_cell_log(mtu)),
            linklayer: linklayer.wire(),
            overhead: overhead.into(),
            cell_align: (-1i16).into(),
            mpu: mpu.into(),
            rate: u32::try_from(rate.0).unwrap_or(u32::MAX).into(),
        }
    }

    /// This spec's rate table (tc computes it from the 32-bit rate).
    pub fn table(&self) -> [u8; 1024] {
        rate_table(
            Rate(u64::from(self.rate.get())),
            self.cell_log,
            u32::from(self.mpu.get()),
            LinkLayer::from_wire(self.linklayer).unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: impl fmt::Display) -> heapless::String<32> {
        let mut out = heapless::String::new();
        write!(out, "{v}").unwrap();
        out
    }

    #[test]
    fn parses_rates_as_tc() {
        assert_eq!(Rate::parse("1mbit"), Some(Rate(125_000)));
        assert_eq!(Rate::parse("32kbit"), Some(Rate(4000)));
        assert_eq!(Rate::parse("1Mibit"), Some(Rate(131_072)));
        assert_eq!(Rate::parse("8"), Some(Rate(1)));
        assert_eq!(Rate::parse("1.5MBps"), Some(Rate(1_500_000)));
        assert_eq!(Rate::parse("10gbit"), Some(Rate(1_250_000_000)));
        assert_eq!(Rate::parse("1mbi"), None);
        assert_eq!(Rate::parse("mbit"), None);
        assert_eq!(Rate::parse32("40gbit"), None);
        assert_eq!(Rate::parse32("1mbit"), Some(Rate(125_000)));
    }

    #[test]
    fn prints_rates_as_tc() {
        assert_eq!(s(Rate(125_000)), "1Mbit");
        assert_eq!(s(Rate(4000)), "32Kbit");
        assert_eq!(s(Rate(187_500)), "1500Kbit");
        assert_eq!(s(Rate(100)), "800bit");
        assert_eq!(s(Rate(1_250_000_000)), "10Gbit");
        assert_eq!(s(Rate(131_072).iec()), "1Mibit");
        assert_eq!(s(Rate(125_000).iec()), "1000000bit");
    }

    #[test]
    fn sizes_and_times() {
        assert_eq!(Size::parse("32kbit"), Some(Size(4096)));
        assert_eq!(Size::parse("1Kb"), Some(Size(1024)));
        assert_eq!(Size::parse("10kb"), Some(Size(10240)));
        assert_eq!(Size::parse("1.5k"), Some(Size(1536)));
        assert_eq!(Size::parse("0.3"), Some(Size(0)));
        assert_eq!(Size::parse("5000000000"), None);
        assert_eq!(Size::parse("5x"), None);
        assert_eq!(s(Size(4096)), "4Kb");
        assert_eq!(s(Size(1_500_000)), "1500000b");
        assert_eq!(s(Size(1 << 20)), "1Mb");
        assert_eq!(s(Size(1514)), "1514b");
        assert_eq!(s(Size(1600)), "1600b");
        assert_eq!(s(Size(3 << 20)), "3Mb");
        assert_eq!(Time::parse("400ms"), Some(Time(400_000)));
        assert_eq!(Time::parse("1.5s"), Some(Time(1_500_000)));
        assert_eq!(Time::parse("70"), Some(Time(70)));
        assert_eq!(Time::parse("3h"), None);
        assert_eq!(s(Time(400_000)), "400ms");
        assert_eq!(s(Time(12_345)), "12.3ms");
        assert_eq!(s(Time(1_500_000)), "1.5s");
        assert_eq!(s(Time(999)), "999us");
        assert_eq!(s(Time(123_456_789)), "123s");
        assert_eq!(s(Time(1_234_567_890)), "1.23e+03s");
    }

    #[test]
    fn clock_arithmetic_matches_tc() {
        // `tc qdisc add … tbf rate 1mbit burst 32kbit latency 400ms`
        let r = Rate(125_000);
        assert_eq!(xmit_ticks(r, 4096), 512_000);
        assert_eq!(xmit_size(r, 512_000), 4096);
        assert_eq!(default_cell_log(0), 3);
        let t = rate_table(r, 3, 0, LinkLayer::Ethernet);
        assert_eq!(&t[..8], &[0xe8, 0x03, 0, 0, 0xd0, 0x07, 0, 0]);
    }
}
