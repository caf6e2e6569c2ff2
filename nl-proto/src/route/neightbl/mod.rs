//! Neighbour tables: `RTM_NEWNEIGHTBL` / `RTM_GETNEIGHTBL`
//! (`struct ndtmsg`, `NDTA_*` and `NDTPA_*` of
//! `include/uapi/linux/neighbour.h`), what `ip ntable show` lists.
//!
//! A dump answers with one message per table (`arp_cache`,
//! `ndisc_cache`): its name, thresholds, configuration, default
//! parameters and statistics; then one per device, with the name and
//! the device's parameters only ([`NeighParms::ifindex`] set).

use super::common::{request, split_object};
use super::{AddrFamily, RTM_GETNEIGHTBL, RTM_NEWNEIGHTBL};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Attr, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};
use zerocopy::byteorder::{NativeEndian, U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `struct ndtmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct NdtMsg {
    /// `ndtm_family`.
    pub family: u8,
    /// `ndtm_pad1`.
    pub pad1: u8,
    /// `ndtm_pad2`.
    pub pad2: U16<NativeEndian>,
}

open_enum! {
    /// Neighbour table attribute types (`NDTA_*`).
    pub struct NeighTableAttr(u16) {
        /// `NDTA_NAME`: the table's name.
        NAME = 1,
        /// `NDTA_THRESH1`: u32, no garbage collection below this many entries.
        THRESH1 = 2,
        /// `NDTA_THRESH2`: u32, the soft limit.
        THRESH2 = 3,
        /// `NDTA_THRESH3`: u32, the hard limit.
        THRESH3 = 4,
        /// `NDTA_CONFIG`: `struct ndt_config`.
        CONFIG = 5,
        /// `NDTA_PARMS`: a nest of `NDTPA_*`.
        PARMS = 6,
        /// `NDTA_STATS`: `struct ndt_stats`.
        STATS = 7,
        /// `NDTA_GC_INTERVAL`: u64 ms.
        GC_INTERVAL = 8,
        /// `NDTA_PAD`.
        PAD = 9,
    }
}

open_enum! {
    /// Neighbour table parameter types (`NDTPA_*`), inside `NDTA_PARMS`.
    pub struct NeighParmsAttr(u16) {
        /// `NDTPA_IFINDEX`: u32.
        IFINDEX = 1,
        /// `NDTPA_REFCNT`: u32.
        REFCNT = 2,
        /// `NDTPA_REACHABLE_TIME`: u64 ms.
        REACHABLE_TIME = 3,
        /// `NDTPA_BASE_REACHABLE_TIME`: u64 ms.
        BASE_REACHABLE_TIME = 4,
        /// `NDTPA_RETRANS_TIME`: u64 ms.
        RETRANS_TIME = 5,
        /// `NDTPA_GC_STALETIME`: u64 ms.
        GC_STALETIME = 6,
        /// `NDTPA_DELAY_PROBE_TIME`: u64 ms.
        DELAY_PROBE_TIME = 7,
        /// `NDTPA_QUEUE_LEN`: u32 packets.
        QUEUE_LEN = 8,
        /// `NDTPA_APP_PROBES`: u32.
        APP_PROBES = 9,
        /// `NDTPA_UCAST_PROBES`: u32.
        UCAST_PROBES = 10,
        /// `NDTPA_MCAST_PROBES`: u32.
        MCAST_PROBES = 11,
        /// `NDTPA_ANYCAST_DELAY`: u64 ms.
        ANYCAST_DELAY = 12,
        /// `NDTPA_PROXY_DELAY`: u64 ms.
        PROXY_DELAY = 13,
        /// `NDTPA_PROXY_QLEN`: u32.
        PROXY_QLEN = 14,
        /// `NDTPA_LOCKTIME`: u64 ms.
        LOCKTIME = 15,
        /// `NDTPA_QUEUE_LENBYTES`: u32.
        QUEUE_LENBYTES = 16,
        /// `NDTPA_MCAST_REPROBES`: u32.
        MCAST_REPROBES = 17,
        /// `NDTPA_PAD`.
        PAD = 18,
        /// `NDTPA_INTERVAL_PROBE_TIME_MS`: u64 ms.
        INTERVAL_PROBE_TIME_MS = 19,
    }
}

/// `struct ndt_config` (read-only).
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
pub struct NdtConfig {
    /// `ndtc_key_len`: bytes of a key (4 for ARP, 16 for ND).
    pub key_len: U16<NativeEndian>,
    /// `ndtc_entry_size`.
    pub entry_size: U16<NativeEndian>,
    /// `ndtc_entries`: entries now.
    pub entries: U32<NativeEndian>,
    /// `ndtc_last_flush`: ms since the last flush.
    pub last_flush: U32<NativeEndian>,
    /// `ndtc_last_rand`: ms since the reachable times were last randomised.
    pub last_rand: U32<NativeEndian>,
    /// `ndtc_hash_rnd`.
    pub hash_rnd: U32<NativeEndian>,
    /// `ndtc_hash_mask`.
    pub hash_mask: U32<NativeEndian>,
    /// `ndtc_hash_chain_gc`.
    pub hash_chain_gc: U32<NativeEndian>,
    /// `ndtc_proxy_qlen`.
    pub proxy_qlen: U32<NativeEndian>,
}

/// `struct ndt_stats` (read-only counters).
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
pub struct NdtStats {
    /// `ndts_allocs`.
    pub allocs: U64<NativeEndian>,
    /// `ndts_destroys`.
    pub destroys: U64<NativeEndian>,
    /// `ndts_hash_grows`.
    pub hash_grows: U64<NativeEndian>,
    /// `ndts_res_failed`.
    pub res_failed: U64<NativeEndian>,
    /// `ndts_lookups`.
    pub lookups: U64<NativeEndian>,
    /// `ndts_hits`.
    pub hits: U64<NativeEndian>,
    /// `ndts_rcv_probes_mcast`.
    pub rcv_probes_mcast: U64<NativeEndian>,
    /// `ndts_rcv_probes_ucast`.
    pub rcv_probes_ucast: U64<NativeEndian>,
    /// `ndts_periodic_gc_runs`.
    pub periodic_gc_runs: U64<NativeEndian>,
    /// `ndts_forced_gc_runs`.
    pub forced_gc_runs: U64<NativeEndian>,
    /// `ndts_table_fulls`.
    pub table_fulls: U64<NativeEndian>,
}

/// A table's or a device's parameters (`NDTA_PARMS`); times in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(missing_docs)] // each field is the NDTPA_* of its name
pub struct NeighParms {
    /// `NDTPA_IFINDEX`: the device (absent or 0 for the table's defaults).
    pub ifindex: Option<u32>,
    pub refcnt: Option<u32>,
    pub reachable_time: Option<u64>,
    pub base_reachable_time: Option<u64>,
    pub retrans_time: Option<u64>,
    pub gc_staletime: Option<u64>,
    pub delay_probe_time: Option<u64>,
    pub queue_len: Option<u32>,
    pub app_probes: Option<u32>,
    pub ucast_probes: Option<u32>,
    pub mcast_probes: Option<u32>,
    pub anycast_delay: Option<u64>,
    pub proxy_delay: Option<u64>,
    pub proxy_qlen: Option<u32>,
    pub locktime: Option<u64>,
    pub queue_lenbytes: Option<u32>,
    pub mcast_reprobes: Option<u32>,
    pub interval_probe_time_ms: Option<u64>,
}

impl NeighParms {
    /// The u32 and u64 members by attribute, for one walk each way.
    fn u32s(&mut self) -> [(NeighParmsAttr, &mut Option<u32>); 9] {
        [
            (NeighParmsAttr::IFINDEX, &mut self.ifindex),
            (NeighParmsAttr::REFCNT, &mut self.refcnt),
            (NeighParmsAttr::QUEUE_LEN, &mut self.queue_len),
            (NeighParmsAttr::APP_PROBES, &mut self.app_probes),
            (NeighParmsAttr::UCAST_PROBES, &mut self.ucast_probes),
            (NeighParmsAttr::MCAST_PROBES, &mut self.mcast_probes),
            (NeighParmsAttr::PROXY_QLEN, &mut self.proxy_qlen),
            (NeighParmsAttr::QUEUE_LENBYTES, &mut self.queue_lenbytes),
            (NeighParmsAttr::MCAST_REPROBES, &mut self.mcast_reprobes),
        ]
    }

    fn u64s(&mut self) -> [(NeighParmsAttr, &mut Option<u64>); 9] {
        [
            (NeighParmsAttr::REACHABLE_TIME, &mut self.reachable_time),
            (
                NeighParmsAttr::BASE_REACHABLE_TIME,
                &mut self.base_reachable_time,
            ),
            (NeighParmsAttr::RETRANS_TIME, &mut self.retrans_time),
            (NeighParmsAttr::GC_STALETIME, &mut self.gc_staletime),
            (NeighParmsAttr::DELAY_PROBE_TIME, &mut self.delay_probe_time),
            (NeighParmsAttr::ANYCAST_DELAY, &mut self.anycast_delay),
            (NeighParmsAttr::PROXY_DELAY, &mut self.proxy_delay),
            (NeighParmsAttr::LOCKTIME, &mut self.locktime),
            (
                NeighParmsAttr::INTERVAL_PROBE_TIME_MS,
                &mut self.interval_probe_time_ms,
            ),
        ]
    }

    /// Read an `NDTA_PARMS` nest; malformed members stay unset.
    fn decode(nest: &Attr<'_>) -> Self {
        let mut p = Self::default();
        for a in nest.nested().map_while(Result::ok) {
            let kind = NeighParmsAttr(a.kind());
            if let Some((_, f)) = p.u32s().into_iter().find(|(k, _)| *k == kind) {
                *f = a.u32().ok();
            } else if let Some((_, f)) = p.u64s().into_iter().find(|(k, _)| *k == kind) {
                *f = a.u64().ok();
            }
        }
        p
    }

    fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let mut p = *self;
        for (k, v) in p.u32s() {
            if let Some(v) = *v {
                w.put_u32(k.0, v)?;
            }
        }
        for (k, v) in p.u64s() {
            if let Some(v) = *v {
                w.put_u64(k.0, v)?;
            }
        }
        Ok(())
    }
}

/// The longest table name kept (the kernel's are `arp_cache`,
/// `ndisc_cache`, `clip_arp_cache`, …).
pub const NAME_MAX: usize = 32;

/// A neighbour table, or one device's parameters in it, decoded from
/// `RTM_NEWNEIGHTBL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighTable {
    /// `ndtm_family`.
    pub family: AddrFamily,
    /// `NDTA_NAME`.
    pub name: heapless::String<NAME_MAX>,
    /// `NDTA_THRESH1`.
    pub thresh1: Option<u32>,
    /// `NDTA_THRESH2`.
    pub thresh2: Option<u32>,
    /// `NDTA_THRESH3`.
    pub thresh3: Option<u32>,
    /// `NDTA_CONFIG` (table messages only).
    pub config: Option<NdtConfig>,
    /// `NDTA_PARMS`.
    pub parms: Option<NeighParms>,
    /// `NDTA_STATS` (table messages only).
    pub stats: Option<NdtStats>,
    /// `NDTA_GC_INTERVAL`, ms.
    pub gc_interval: Option<u64>,
}

impl NeighTable {
    /// Decode an `RTM_NEWNEIGHTBL` message. Malformed members other
    /// than the name are left unset.
    ///
    /// # Errors
    ///
    /// A wrong message type, a short `ndtmsg`, a missing `NDTA_NAME` or
    /// one that is not text of at most [`NAME_MAX`] bytes.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<NdtMsg>(msg, [RTM_NEWNEIGHTBL; 2], "ndtmsg")?;
        let mut name = None;
        let mut t = Self {
            family: AddrFamily(hdr.family),
            name: heapless::String::new(),
            thresh1: None,
            thresh2: None,
            thresh3: None,
            config: None,
            parms: None,
            stats: None,
            gc_interval: None,
        };
        for a in attrs.map_while(Result::ok) {
            match NeighTableAttr(a.kind()) {
                NeighTableAttr::NAME => name = Some(a.str()?),
                NeighTableAttr::THRESH1 => t.thresh1 = a.u32().ok(),
                NeighTableAttr::THRESH2 => t.thresh2 = a.u32().ok(),
                NeighTableAttr::THRESH3 => t.thresh3 = a.u32().ok(),
                NeighTableAttr::CONFIG => t.config = Some(a.read_struct()),
                NeighTableAttr::PARMS => t.parms = Some(NeighParms::decode(&a)),
                NeighTableAttr::STATS => t.stats = Some(a.read_struct()),
                NeighTableAttr::GC_INTERVAL => t.gc_interval = a.u64().ok(),
                _ => {}
            }
        }
        let name = name.ok_or(DecodeError::MissingAttr {
            what: "neighbour table name",
            kind: NeighTableAttr::NAME.0,
        })?;
        t.name = heapless::String::try_from(name).map_err(|_| DecodeError::TooLong {
            what: "NDTA_NAME",
            len: name.len(),
            cap: NAME_MAX,
        })?;
        Ok(t)
    }

    /// Write this table as the kernel reports it: the inverse of
    /// [`NeighTable::decode`].
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        w.message(RTM_NEWNEIGHTBL, flags, |w| {
            w.put_fixed(&header(self.family))?;
            w.put_str(NeighTableAttr::NAME.0, &self.name)?;
            let u32s = [
                (NeighTableAttr::THRESH1, self.thresh1),
                (NeighTableAttr::THRESH2, self.thresh2),
                (NeighTableAttr::THRESH3, self.thresh3),
            ];
            for (k, v) in u32s {
                if let Some(v) = v {
                    w.put_u32(k.0, v)?;
                }
            }
            if let Some(g) = self.gc_interval {
                w.put_u64(NeighTableAttr::GC_INTERVAL.0, g)?;
            }
            if let Some(c) = &self.config {
                w.put_struct(NeighTableAttr::CONFIG.0, c)?;
            }
            if let Some(s) = &self.stats {
                w.put_struct(NeighTableAttr::STATS.0, s)?;
            }
            match &self.parms {
                Some(p) => w.nested(NeighTableAttr::PARMS.0, |w| p.emit(w)),
                None => Ok(()),
            }
        })
    }
}

fn header(family: AddrFamily) -> NdtMsg {
    NdtMsg {
        family: family.0,
        pad1: 0,
        pad2: 0.into(),
    }
}

/// Dump the neighbour tables of `family` ([`AddrFamily::UNSPEC`]: all):
/// `RTM_GETNEIGHTBL` with `NLM_F_REQUEST | NLM_F_DUMP`, as `ip ntable
/// show` sends it.
///
/// ```
/// use nl_proto::route::AddrFamily;
/// use nl_proto::route::neightbl::encode_dump;
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// assert_eq!(encode_dump(&mut w, AddrFamily::INET)?.msg.len(), 20);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETNEIGHTBL,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| w.put_fixed(&header(family)),
    )
}

#[cfg(test)]
mod tests;
