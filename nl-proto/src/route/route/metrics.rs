//! Route metrics (`RTA_METRICS`, `RTAX_*`), cache info and the rest of a
//! route that bulk users rarely need ([`RouteExtras`]).

use super::{Leg, MULTIPATH_MAX, RouteAttr};
use crate::EncodeError;
use crate::macros::open_enum;
use crate::wire::{Attr, MsgWriter};
use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

open_enum! {
    /// Route metric types (`RTAX_*`), nested in `RTA_METRICS`.
    pub struct Metric(u16) {
        /// `RTAX_LOCK`: bitmask of locked metrics.
        LOCK = 1,
        /// `RTAX_MTU`.
        MTU = 2,
        /// `RTAX_WINDOW`.
        WINDOW = 3,
        /// `RTAX_RTT`.
        RTT = 4,
        /// `RTAX_RTTVAR`.
        RTTVAR = 5,
        /// `RTAX_SSTHRESH`.
        SSTHRESH = 6,
        /// `RTAX_CWND`.
        CWND = 7,
        /// `RTAX_ADVMSS`.
        ADVMSS = 8,
        /// `RTAX_REORDERING`.
        REORDERING = 9,
        /// `RTAX_HOPLIMIT`.
        HOPLIMIT = 10,
        /// `RTAX_INITCWND`.
        INITCWND = 11,
        /// `RTAX_FEATURES`.
        FEATURES = 12,
        /// `RTAX_RTO_MIN`.
        RTO_MIN = 13,
        /// `RTAX_INITRWND`.
        INITRWND = 14,
        /// `RTAX_QUICKACK`.
        QUICKACK = 15,
        /// `RTAX_CC_ALGO`: a string, kept apart ([`Metrics::congctl`]).
        CC_ALGO = 16,
        /// `RTAX_FASTOPEN_NO_COOKIE`.
        FASTOPEN_NO_COOKIE = 17,
    }
}

const METRIC_SLOTS: usize = 18;

/// The u32 route metrics of `RTA_METRICS` (`RTAX_LOCK` ..
/// `RTAX_FASTOPEN_NO_COOKIE`, except the string `RTAX_CC_ALGO`), kept in
/// a fixed array with a presence mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Metrics {
    present: u32,
    values: [u32; METRIC_SLOTS],
    /// `RTAX_CC_ALGO`'s name (`TCP_CA_NAME_MAX` is 16 with the NUL).
    cc: [u8; CC_MAX],
    cc_len: u8,
}

/// The longest congestion control name (`TCP_CA_NAME_MAX` less the NUL).
pub const CC_MAX: usize = 15;

impl Metrics {
    /// No metrics.
    pub const EMPTY: Self = Self {
        present: 0,
        values: [0; METRIC_SLOTS],
        cc: [0; CC_MAX],
        cc_len: 0,
    };

    /// `RTAX_CC_ALGO`: the congestion control algorithm (`congctl NAME`).
    pub fn congctl(&self) -> Option<&str> {
        let name = self.cc.get(..usize::from(self.cc_len))?;
        core::str::from_utf8(name).ok().filter(|n| !n.is_empty())
    }

    /// Set `RTAX_CC_ALGO` to `name`. Returns `false` (and changes nothing)
    /// for an empty name or one longer than [`CC_MAX`] bytes.
    pub fn set_congctl(&mut self, name: &str) -> bool {
        let (Some(slot), Ok(len)) = (self.cc.get_mut(..name.len()), u8::try_from(name.len()))
        else {
            return false;
        };
        if name.is_empty() {
            return false;
        }
        slot.copy_from_slice(name.as_bytes());
        self.cc_len = len;
        true
    }

    /// The value of `m`, if set.
    pub fn get(&self, m: Metric) -> Option<u32> {
        let i = usize::from(m.0);
        if m == Metric::CC_ALGO || i >= METRIC_SLOTS || self.present & (1u32 << i) == 0 {
            return None;
        }
        self.values.get(i).copied()
    }

    /// Set `m` to `v`. Returns `false` (and changes nothing) for a metric
    /// this type does not keep (`RTAX_CC_ALGO`, unknown types).
    pub fn set(&mut self, m: Metric, v: u32) -> bool {
        let i = usize::from(m.0);
        if m == Metric::CC_ALGO || i == 0 {
            return false;
        }
        match self.values.get_mut(i) {
            Some(slot) => {
                *slot = v;
                self.present |= 1u32 << i;
                true
            }
            None => false,
        }
    }

    /// `self` with `m` set to `v` (for building requests).
    #[must_use]
    pub fn with(mut self, m: Metric, v: u32) -> Self {
        self.set(m, v);
        self
    }

    /// Whether no metric is set.
    pub fn is_empty(&self) -> bool {
        self.present == 0 && self.cc_len == 0
    }

    /// The set metrics, in `RTAX_*` order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric, u32)> + '_ {
        (1u16..)
            .zip(self.values.iter().skip(1))
            .filter(|(i, _)| self.present & (1u32 << i) != 0)
            .map(|(i, v)| (Metric(i), *v))
    }

    /// `RTAX_MTU`.
    pub fn mtu(&self) -> Option<u32> {
        self.get(Metric::MTU)
    }
    /// `RTAX_ADVMSS`.
    pub fn advmss(&self) -> Option<u32> {
        self.get(Metric::ADVMSS)
    }
    /// `RTAX_HOPLIMIT`.
    pub fn hoplimit(&self) -> Option<u32> {
        self.get(Metric::HOPLIMIT)
    }

    pub(super) fn decode(attr: &Attr<'_>) -> Self {
        let mut m = Self::EMPTY;
        for a in attr.nested().map_while(Result::ok) {
            if Metric(a.kind()) == Metric::CC_ALGO {
                let name = a.payload().split(|&b| b == 0).next().unwrap_or_default();
                if let Ok(name) = core::str::from_utf8(name) {
                    m.set_congctl(name);
                }
            } else if let Ok(v) = a.u32() {
                m.set(Metric(a.kind()), v);
            }
        }
        m
    }

    pub(super) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if self.is_empty() {
            return Ok(());
        }
        w.nested(RouteAttr::METRICS.0, |w| {
            self.iter().try_for_each(|(m, v)| w.put_u32(m.0, v))?;
            // Without its NUL, as iproute2 sends it.
            match self.congctl() {
                Some(name) => w.put(Metric::CC_ALGO.0, name.as_bytes()),
                None => Ok(()),
            }
        })
    }
}

/// Route cache information, `struct rta_cacheinfo`.
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
pub struct RouteCacheInfo {
    /// `rta_clntref`.
    pub clntref: U32<NativeEndian>,
    /// `rta_lastuse`.
    pub lastuse: U32<NativeEndian>,
    /// `rta_expires`: clock ticks (`USER_HZ`) until expiry, 0 = none.
    pub expires: I32<NativeEndian>,
    /// `rta_error`.
    pub error: U32<NativeEndian>,
    /// `rta_used`.
    pub used: U32<NativeEndian>,
    /// `rta_id`.
    pub id: U32<NativeEndian>,
    /// `rta_ts`.
    pub ts: U32<NativeEndian>,
    /// `rta_tsage`.
    pub tsage: U32<NativeEndian>,
}

/// The parts of a route that bulk users rarely need, decoded with
/// [`Route::decode_full`](super::Route::decode_full).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteExtras {
    /// `RTA_METRICS` (the MTU is also [`Route::mtu`](super::Route::mtu)).
    pub metrics: Metrics,
    /// `RTA_MULTIPATH` next hops, at most [`MULTIPATH_MAX`].
    pub multipath: heapless::Vec<Leg, MULTIPATH_MAX>,
    /// Set when the kernel sent more than [`MULTIPATH_MAX`] next hops;
    /// `multipath` then holds the first ones. Never silently dropped.
    pub multipath_truncated: bool,
    /// `RTA_MARK`.
    pub mark: Option<u32>,
    /// `RTA_PREF`: IPv6 router preference (0 medium, 1 high, 3 low).
    pub pref: Option<u8>,
    /// `RTA_EXPIRES` (u32 or u64 on the wire).
    pub expires: Option<u64>,
    /// `RTA_CACHEINFO`.
    pub cache: Option<RouteCacheInfo>,
    /// `RTA_UID`.
    pub uid: Option<u32>,
    /// `RTA_FLOW`: realms.
    pub flow: Option<u32>,
    /// `RTA_ENCAP` by `RTA_ENCAP_TYPE`: lightweight tunnel encapsulation
    /// (`encap mpls|ip|ip6 …`).
    pub encap: Option<crate::route::encap::Encap>,
}

/// `RTAX_MTU` of an `RTA_METRICS` nest.
/// One metric of an `RTA_METRICS` nest.
pub(super) fn metric_of(attr: &Attr<'_>, metric: Metric) -> Option<u32> {
    attr.nested()
        .map_while(Result::ok)
        .filter(|a| a.kind() == metric.0)
        .find_map(|a| a.u32().ok())
}

impl RouteExtras {
    /// The attributes only [`RouteExtras`] keeps; malformed ones are left
    /// unset (they are descriptive).
    pub(super) fn rare(&mut self, kind: RouteAttr, attr: &Attr<'_>) {
        match kind {
            RouteAttr::MARK => self.mark = attr.u32().ok(),
            RouteAttr::PREF => self.pref = attr.u8().ok(),
            RouteAttr::EXPIRES => {
                self.expires = attr.u64().ok().or_else(|| attr.u32().ok().map(u64::from));
            }
            RouteAttr::CACHEINFO => self.cache = Some(attr.read_struct()),
            RouteAttr::UID => self.uid = attr.u32().ok(),
            RouteAttr::FLOW => self.flow = attr.u32().ok(),
            _ => {}
        }
    }
}
