//! Interface addresses: `RTM_NEWADDR` / `RTM_DELADDR` / `RTM_GETADDR`
//! (`include/uapi/linux/if_addr.h`).
//!
//! ```text
//!  0        1          2        3        4                8
//! +--------+----------+--------+--------+----------------+------------+
//! | family | prefixlen| flags  | scope  | index (u32)    | IFA_* ...  |
//! +--------+----------+--------+--------+----------------+------------+
//! ```
//!
//! `IFA_LOCAL` and `IFA_ADDRESS`: for IPv4 the kernel always sends both;
//! `IFA_LOCAL` is the interface's own address and `IFA_ADDRESS` the peer
//! on a point-to-point link (equal to the local address otherwise). For
//! IPv6 it sends only `IFA_ADDRESS` (the local address), plus `IFA_LOCAL`
//! when a peer is configured, in which case `IFA_ADDRESS` is the peer.
//! [`Address::local`] picks the right one in every case.

use core::net::{IpAddr, Ipv4Addr};

use crate::IpNet;
use zerocopy::byteorder::{NativeEndian, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::common::{bit_flags, bounded, request, split_object};
use super::{AddrFamily, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR};
use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// The address family header, `struct ifaddrmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct IfAddrMsg {
    /// `ifa_family`: `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `ifa_prefixlen`.
    pub prefixlen: u8,
    /// `ifa_flags`: the low 8 bits of [`AddrFlags`] (`IFA_FLAGS` carries all 32).
    pub flags: u8,
    /// `ifa_scope`: a [`Scope`].
    pub scope: u8,
    /// `ifa_index`: the interface index.
    pub index: U32<NativeEndian>,
}

open_enum! {
    /// Address attribute types (`IFA_*`).
    pub struct AddrAttr(u16) {
        /// `IFA_ADDRESS`: the prefix address (IPv6), or the peer (point-to-point).
        ADDRESS = 1,
        /// `IFA_LOCAL`: the local address.
        LOCAL = 2,
        /// `IFA_LABEL`: the IPv4 label (alias name), NUL-terminated.
        LABEL = 3,
        /// `IFA_BROADCAST`: the IPv4 broadcast address.
        BROADCAST = 4,
        /// `IFA_ANYCAST`.
        ANYCAST = 5,
        /// `IFA_CACHEINFO`: `struct ifa_cacheinfo` (lifetimes).
        CACHEINFO = 6,
        /// `IFA_MULTICAST`.
        MULTICAST = 7,
        /// `IFA_FLAGS`: u32 extending `ifa_flags`.
        FLAGS = 8,
        /// `IFA_RT_PRIORITY`: u32 metric of the prefix route.
        RT_PRIORITY = 9,
        /// `IFA_TARGET_NETNSID`.
        TARGET_NETNSID = 10,
        /// `IFA_PROTO`: u8, who added the address (`IFAPROT_*`).
        PROTO = 11,
    }
}

bit_flags! {
    /// Address flags (`IFA_F_*`), with iproute2's names.
    pub struct AddrFlags(u32) {
        /// `IFA_F_SECONDARY` (`IFA_F_TEMPORARY` for IPv6, which iproute2 calls "temporary").
        SECONDARY = 0x01 => "secondary",
        /// `IFA_F_NODAD`: skip duplicate address detection.
        NODAD = 0x02 => "nodad",
        /// `IFA_F_OPTIMISTIC`.
        OPTIMISTIC = 0x04 => "optimistic",
        /// `IFA_F_DADFAILED`.
        DADFAILED = 0x08 => "dadfailed",
        /// `IFA_F_HOMEADDRESS`.
        HOMEADDRESS = 0x10 => "home",
        /// `IFA_F_DEPRECATED`.
        DEPRECATED = 0x20 => "deprecated",
        /// `IFA_F_TENTATIVE`.
        TENTATIVE = 0x40 => "tentative",
        /// `IFA_F_PERMANENT`: no lifetime (iproute2 prints "dynamic" when absent).
        PERMANENT = 0x80 => "permanent",
        /// `IFA_F_MANAGETEMPADDR`.
        MANAGETEMPADDR = 0x100 => "mngtmpaddr",
        /// `IFA_F_NOPREFIXROUTE`: do not add the prefix route.
        NOPREFIXROUTE = 0x200 => "noprefixroute",
        /// `IFA_F_MCAUTOJOIN`.
        MCAUTOJOIN = 0x400 => "autojoin",
        /// `IFA_F_STABLE_PRIVACY`.
        STABLE_PRIVACY = 0x800 => "stable-privacy",
    }
}

open_enum! {
    /// Address and route scope (`enum rt_scope_t`, `RT_SCOPE_*`). Values
    /// between the named ones are user-defined.
    pub struct Scope(u8) {
        /// `RT_SCOPE_UNIVERSE`, iproute2 "global".
        UNIVERSE = 0,
        /// `RT_SCOPE_SITE`.
        SITE = 200,
        /// `RT_SCOPE_LINK`.
        LINK = 253,
        /// `RT_SCOPE_HOST`.
        HOST = 254,
        /// `RT_SCOPE_NOWHERE`.
        NOWHERE = 255,
    }
}

impl Scope {
    /// iproute2's name: "global", "site", "link", "host" or "nowhere".
    pub const fn ip_name(self) -> Option<&'static str> {
        match self {
            Self::UNIVERSE => Some("global"),
            Self::SITE => Some("site"),
            Self::LINK => Some("link"),
            Self::HOST => Some("host"),
            Self::NOWHERE => Some("nowhere"),
            _ => None,
        }
    }

    /// Parse an iproute2 name (also "universe") or a number (decimal or `0x` hex).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "global" | "universe" => Some(Self::UNIVERSE),
            "site" => Some(Self::SITE),
            "link" => Some(Self::LINK),
            "host" => Some(Self::HOST),
            "nowhere" => Some(Self::NOWHERE),
            _ => parse_number(s).and_then(|v| u8::try_from(v).ok()).map(Self),
        }
    }
}

impl core::fmt::Display for Scope {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.ip_name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

/// Parse a decimal or `0x`-prefixed hex number, as iproute2's `get_u32`.
pub(crate) fn parse_number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Address lifetimes, `struct ifa_cacheinfo`.
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
pub struct CacheInfo {
    /// `ifa_prefered`: preferred lifetime in seconds ([`CacheInfo::FOREVER`] = forever).
    pub prefered: U32<NativeEndian>,
    /// `ifa_valid`: valid lifetime in seconds ([`CacheInfo::FOREVER`] = forever).
    pub valid: U32<NativeEndian>,
    /// `cstamp`: created, in hundredths of a second since boot.
    pub cstamp: U32<NativeEndian>,
    /// `tstamp`: last updated, in hundredths of a second since boot.
    pub tstamp: U32<NativeEndian>,
}

impl CacheInfo {
    /// `INFINITY_LIFE_TIME`: the lifetime that never ends.
    pub const FOREVER: u32 = u32::MAX;

    /// Lifetimes only, timestamps zero (what a request carries).
    pub fn lifetimes(valid: u32, preferred: u32) -> Self {
        Self {
            prefered: preferred.into(),
            valid: valid.into(),
            cstamp: 0.into(),
            tstamp: 0.into(),
        }
    }
}

/// The longest address label (`IFNAMSIZ` - 1).
pub const LABEL_MAX: usize = 15;

/// An address's identity on its link, as [`Address::key`] returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressKey {
    /// Interface index.
    pub index: u32,
    /// The interface's own address ([`Address::local`]).
    pub address: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
}

/// An interface address, decoded from `RTM_NEWADDR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Address family (`ifa_family`).
    pub family: AddrFamily,
    /// Interface index (`ifa_index`).
    pub index: u32,
    /// Prefix length (`ifa_prefixlen`).
    pub prefix_len: u8,
    /// Scope (`ifa_scope`).
    pub scope: Scope,
    /// Flags: `IFA_FLAGS` when present, else `ifa_flags`.
    pub flags: AddrFlags,
    /// The interface's own address: `IFA_LOCAL`, or `IFA_ADDRESS` when the
    /// kernel sends only that (IPv6 without a peer does).
    pub local: IpAddr,
    /// The point-to-point peer: `IFA_ADDRESS` when it differs from
    /// `IFA_LOCAL` (see the module doc).
    pub peer: Option<IpAddr>,
    /// `IFA_BROADCAST`.
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_LABEL`.
    pub label: Option<heapless::String<LABEL_MAX>>,
    /// Valid lifetime in seconds from `IFA_CACHEINFO` (`u32::MAX` = forever).
    pub valid_lft: Option<u32>,
    /// Preferred lifetime in seconds from `IFA_CACHEINFO` (`u32::MAX` = forever).
    pub preferred_lft: Option<u32>,
    /// `IFA_CACHEINFO` timestamps: `(cstamp, tstamp)`.
    pub stamps: Option<(u32, u32)>,
    /// `IFA_RT_PRIORITY`: metric of the prefix route.
    pub rt_priority: Option<u32>,
    /// `IFA_PROTO` (`IFAPROT_*`).
    pub proto: Option<u8>,
}

impl Address {
    /// Decode an `RTM_NEWADDR` (or `RTM_DELADDR`) message.
    ///
    /// One walk over the attributes. The addresses (`IFA_LOCAL`,
    /// `IFA_ADDRESS`, `IFA_BROADCAST`) and the label identify the object,
    /// so a malformed one fails the decode; the descriptive ones
    /// (`IFA_FLAGS`, `IFA_CACHEINFO`, `IFA_RT_PRIORITY`, `IFA_PROTO`) are
    /// left unset when malformed. A framing error ends the walk and keeps
    /// what was read before it. Unknown attributes are ignored.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type;
    /// [`DecodeError::Truncated`] if the payload is shorter than `ifaddrmsg`;
    /// [`DecodeError::AttrSize`] for an address of the wrong size;
    /// [`DecodeError::OutOfRange`] if the prefix length exceeds the address;
    /// [`DecodeError::TooLong`] / [`DecodeError::NotUtf8`] for a bad label.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<IfAddrMsg>(msg, [RTM_NEWADDR, RTM_DELADDR], "ifaddrmsg")?;
        let mut a = Self {
            family: AddrFamily(hdr.family),
            index: hdr.index.get(),
            prefix_len: hdr.prefixlen,
            scope: Scope(hdr.scope),
            flags: AddrFlags(u32::from(hdr.flags)),
            local: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            peer: None,
            broadcast: None,
            label: None,
            valid_lft: None,
            preferred_lft: None,
            stamps: None,
            rt_priority: None,
            proto: None,
        };
        let (mut local, mut address) = (None, None);
        for attr in attrs.map_while(Result::ok) {
            match AddrAttr(attr.kind()) {
                AddrAttr::ADDRESS => address = Some(attr.ip()?),
                AddrAttr::LOCAL => local = Some(attr.ip()?),
                AddrAttr::BROADCAST => a.broadcast = Some(attr.ipv4()?),
                AddrAttr::LABEL => {
                    let s = attr.str()?;
                    a.label = Some(bounded(s).ok_or(DecodeError::TooLong {
                        what: "IFA_LABEL",
                        len: s.len(),
                        cap: LABEL_MAX,
                    })?);
                }
                AddrAttr::FLAGS => {
                    if let Ok(v) = attr.u32() {
                        a.flags = AddrFlags(v);
                    }
                }
                AddrAttr::CACHEINFO => {
                    let ci: CacheInfo = attr.read_struct();
                    a.valid_lft = Some(ci.valid.get());
                    a.preferred_lft = Some(ci.prefered.get());
                    a.stamps = Some((ci.cstamp.get(), ci.tstamp.get()));
                }
                AddrAttr::RT_PRIORITY => a.rt_priority = attr.u32().ok(),
                AddrAttr::PROTO => a.proto = attr.u8().ok(),
                _ => {}
            }
        }
        (a.local, a.peer) = match (local, address) {
            (Some(l), Some(p)) if l != p => (l, Some(p)),
            (Some(l), _) | (None, Some(l)) => (l, None),
            (None, None) => {
                return Err(DecodeError::MissingAttr {
                    what: "ifaddrmsg",
                    kind: AddrAttr::ADDRESS.0,
                });
            }
        };
        let max = if a.local.is_ipv4() { 32 } else { 128 };
        if a.prefix_len > max {
            return Err(DecodeError::OutOfRange {
                what: "ifa_prefixlen",
                value: u64::from(a.prefix_len),
            });
        }
        Ok(a)
    }

    /// An address to be used as desired state: `prefix` (host bits are
    /// the address, `10.0.0.2/24`) on link `index`, `IFA_LOCAL` and
    /// `IFA_ADDRESS` both the address, scope [`Scope::NOWHERE`] ("not
    /// stated": the default applies), nothing else set.
    pub fn new(index: u32, prefix: IpNet) -> Self {
        let ip = prefix.addr();
        Self {
            family: AddrFamily::of(&ip),
            index,
            prefix_len: prefix.prefix_len(),
            scope: Scope::NOWHERE,
            flags: AddrFlags::EMPTY,
            local: ip,
            peer: None,
            broadcast: None,
            label: None,
            valid_lft: None,
            preferred_lft: None,
            stamps: None,
            rt_priority: None,
            proto: None,
        }
    }

    /// Decode an address of the families this type models (IPv4, IPv6);
    /// `Ok(None)` for any other family without looking at its attributes.
    ///
    /// An `AF_UNSPEC` dump (`ip addr show`) also returns `AF_MCTP` and
    /// `AF_PHONET` addresses, whose 1-byte `IFA_LOCAL` is no IP address:
    /// listing through this skips them instead of failing the whole dump.
    ///
    /// # Errors
    ///
    /// As [`Address::decode`], for IPv4 and IPv6 entries.
    pub fn decode_ip(msg: &Msg<'_>) -> Result<Option<Self>, DecodeError> {
        // Every rtnetlink family header starts with the family byte. A
        // message of another type still gets `decode`'s error.
        let family = msg.payload().first().copied().map(AddrFamily);
        let ours = [RTM_NEWADDR, RTM_DELADDR].contains(&msg.msg_type());
        match family {
            Some(f) if ours && f != AddrFamily::INET && f != AddrFamily::INET6 => Ok(None),
            _ => Self::decode(msg).map(Some),
        }
    }

    /// This address's identity: link, address and prefix length.
    pub fn key(&self) -> AddressKey {
        AddressKey {
            index: self.index,
            address: self.local,
            prefix_len: self.prefix_len,
        }
    }

    /// The local address with its prefix length, as `ip addr` shows it
    /// (`10.0.0.1/24`; host bits kept — use [`IpNet::trunc`] for the network).
    /// A prefix length too long for the address (never from a decode)
    /// reads as the full length.
    pub fn prefix(&self) -> IpNet {
        IpNet::new(self.local, self.prefix_len).unwrap_or_else(|_| IpNet::from(self.local))
    }

    /// Write this address as the kernel would report it: an `RTM_NEWADDR`
    /// with `flags` in the header (e.g. [`Flags::MULTI`]). The inverse of
    /// [`Address::decode`], for round trips and fake kernels.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`], or [`EncodeError::Invalid`] for a label
    /// longer than 15 bytes (not possible for a decoded value).
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        w.message(RTM_NEWADDR, flags, |w| {
            w.put_fixed(&IfAddrMsg {
                family: self.family.0,
                prefixlen: self.prefix_len,
                flags: u8::try_from(self.flags.0 & 0xff).unwrap_or(0),
                scope: self.scope.0,
                index: self.index.into(),
            })?;
            // As the kernel: IPv6 without a peer has IFA_ADDRESS only.
            w.put_ip(AddrAttr::ADDRESS.0, self.peer.unwrap_or(self.local))?;
            if self.local.is_ipv4() || self.peer.is_some() {
                w.put_ip(AddrAttr::LOCAL.0, self.local)?;
            }
            if let Some(b) = self.broadcast {
                w.put(AddrAttr::BROADCAST.0, &b.octets())?;
            }
            if let Some(l) = &self.label {
                w.put_str(AddrAttr::LABEL.0, l)?;
            }
            w.put_u32(AddrAttr::FLAGS.0, self.flags.0)?;
            if self.valid_lft.is_some() || self.preferred_lft.is_some() || self.stamps.is_some() {
                let (c, t) = self.stamps.unwrap_or((0, 0));
                w.put_struct(
                    AddrAttr::CACHEINFO.0,
                    &CacheInfo {
                        prefered: self.preferred_lft.unwrap_or(CacheInfo::FOREVER).into(),
                        valid: self.valid_lft.unwrap_or(CacheInfo::FOREVER).into(),
                        cstamp: c.into(),
                        tstamp: t.into(),
                    },
                )?;
            }
            if let Some(p) = self.rt_priority {
                w.put_u32(AddrAttr::RT_PRIORITY.0, p)?;
            }
            if let Some(p) = self.proto {
                w.put_u8(AddrAttr::PROTO.0, p)?;
            }
            Ok(())
        })
    }
}

/// Request a dump of addresses: `RTM_GETADDR` with
/// `NLM_F_REQUEST | NLM_F_DUMP`.
///
/// `family` is [`AddrFamily::UNSPEC`] (all), `INET` or `INET6`. `index`
/// puts an interface index into `ifa_index`: with `NETLINK_GET_STRICT_CHK`
/// on (our drivers turn it on) the kernel then returns only that link's
/// addresses and flags the replies `NLM_F_DUMP_FILTERED`. Without strict
/// checking the kernel ignores the field and returns everything (iproute2
/// filters again in user space for that reason; callers on a non-strict
/// socket must too).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    family: AddrFamily,
    index: Option<u32>,
) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETADDR,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&IfAddrMsg {
                family: family.0,
                prefixlen: 0,
                flags: 0,
                scope: 0,
                index: index.unwrap_or(0).into(),
            })
        },
    )
}

/// What to add with [`encode_new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewAddress<'a> {
    /// Interface index.
    pub index: u32,
    /// Local address and prefix length (`10.0.0.1/24`).
    pub prefix: IpNet,
    /// Point-to-point peer (`ip addr add ... peer`): sent as `IFA_ADDRESS`.
    pub peer: Option<IpAddr>,
    /// IPv4 broadcast address (`IFA_BROADCAST`).
    pub broadcast: Option<Ipv4Addr>,
    /// IPv4 label (`IFA_LABEL`), at most 15 bytes. The kernel (and
    /// iproute2) want it to start with the interface's name; the encoder
    /// knows only the index, so that is the caller's (driver's) check.
    pub label: Option<&'a str>,
    /// Scope; `None` picks iproute2's default: host for loopback addresses
    /// (`127.0.0.0/8`, `::1`), global otherwise.
    pub scope: Option<Scope>,
    /// Flags to set (`NODAD`, `NOPREFIXROUTE`, ...).
    pub flags: AddrFlags,
    /// Valid lifetime in seconds (`IFA_CACHEINFO`); `None` = forever.
    pub valid_lft: Option<u32>,
    /// Preferred lifetime in seconds (`IFA_CACHEINFO`); `None` = forever.
    pub preferred_lft: Option<u32>,
    /// Metric of the prefix route (`IFA_RT_PRIORITY`, `ip addr add …
    /// metric N`); `None` = the kernel's default.
    pub metric: Option<u32>,
    /// Who adds the address (`IFA_PROTO`, `IFAPROT_*`; `ip addr add …
    /// proto P`); `None` sends none (the kernel records 0).
    pub proto: Option<u8>,
    /// Replace an existing address instead of failing with `EEXIST`.
    pub replace: bool,
    /// Change an existing address only (`ip addr change`: `NLM_F_REPLACE`
    /// without `NLM_F_CREATE`, `ENOENT` if there is none); wins over
    /// `replace`.
    pub change: bool,
}

impl NewAddress<'_> {
    /// An address with iproute2's defaults: no peer, broadcast, label,
    /// flags or lifetimes, default scope, `EEXIST` if present.
    pub fn new(index: u32, prefix: IpNet) -> Self {
        Self {
            index,
            prefix,
            peer: None,
            broadcast: None,
            label: None,
            scope: None,
            flags: AddrFlags::EMPTY,
            valid_lft: None,
            preferred_lft: None,
            metric: None,
            proto: None,
            replace: false,
            change: false,
        }
    }
}

fn default_scope(ip: IpAddr) -> Scope {
    if ip.is_loopback() {
        Scope::HOST
    } else {
        Scope::UNIVERSE
    }
}

/// The local address and `IFA_ADDRESS` pair of an add/delete, and the header.
fn put_addrs(
    w: &mut MsgWriter<'_>,
    hdr: &IfAddrMsg,
    local: IpAddr,
    peer: Option<IpAddr>,
) -> Result<(), EncodeError> {
    w.put_fixed(hdr)?;
    w.put_ip(AddrAttr::LOCAL.0, local)?;
    w.put_ip(AddrAttr::ADDRESS.0, peer.unwrap_or(local))
}

/// Add (or replace, or change) an address: `RTM_NEWADDR` with
/// `NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL`, or
/// `NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE` when `replace` is set,
/// or `NLM_F_REQUEST | NLM_F_REPLACE` when `change` is
/// (`ip addr add` / `ip addr replace` / `ip addr change`).
///
/// Bytes as iproute2 sends them: `IFA_LOCAL` and `IFA_ADDRESS` for both
/// families (`IFA_ADDRESS` = the peer if any, else the local address),
/// then `IFA_BROADCAST`, `IFA_LABEL`; flags go in `ifa_flags` when they
/// fit in 8 bits and in `IFA_FLAGS` otherwise; lifetimes in
/// `IFA_CACHEINFO` (a missing one is forever), `IFA_RT_PRIORITY` and
/// `IFA_PROTO` last (iproute2 puts them where they come on its command
/// line; the kernel reads attributes in any order).
///
/// # Errors
///
/// [`EncodeError::Invalid`] if the peer's family differs from the
/// prefix's, a broadcast is given for IPv6, the label is empty, longer
/// than 15 bytes or contains NUL, the valid lifetime is 0, or the
/// preferred lifetime exceeds the valid one; [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    req: &NewAddress<'_>,
) -> Result<Request<'w>, EncodeError> {
    let local = req.prefix.addr();
    if req.peer.is_some_and(|p| p.is_ipv4() != local.is_ipv4()) {
        return Err(EncodeError::Invalid {
            what: "peer family differs from the address",
        });
    }
    if req.broadcast.is_some() && local.is_ipv6() {
        return Err(EncodeError::Invalid {
            what: "broadcast address on an IPv6 address",
        });
    }
    if let Some(l) = req.label {
        if l.is_empty() || l.len() > LABEL_MAX || l.as_bytes().contains(&0) {
            return Err(EncodeError::Invalid {
                what: "address label (1 to 15 bytes, no NUL)",
            });
        }
    }
    let cache = match (req.valid_lft, req.preferred_lft) {
        (None, None) => None,
        (v, p) => {
            let v = v.unwrap_or(CacheInfo::FOREVER);
            let p = p.unwrap_or(CacheInfo::FOREVER);
            if v == 0 {
                return Err(EncodeError::Invalid {
                    what: "valid lifetime of 0",
                });
            }
            if p > v {
                return Err(EncodeError::Invalid {
                    what: "preferred lifetime exceeds valid lifetime",
                });
            }
            Some(CacheInfo::lifetimes(v, p))
        }
    };
    let small = u8::try_from(req.flags.0).ok();
    let hdr = IfAddrMsg {
        family: AddrFamily::of(&local).0,
        prefixlen: req.prefix.prefix_len(),
        flags: small.unwrap_or(0),
        scope: req.scope.unwrap_or_else(|| default_scope(local)).0,
        index: req.index.into(),
    };
    let flags = if req.change {
        Flags::REQUEST | Flags::REPLACE
    } else if req.replace {
        Flags::REQUEST | Flags::CREATE | Flags::REPLACE
    } else {
        Flags::REQUEST | Flags::CREATE | Flags::EXCL
    };
    request(w, RTM_NEWADDR, flags, Expect::Ack, |w| {
        put_addrs(w, &hdr, local, req.peer)?;
        if let Some(b) = req.broadcast {
            w.put(AddrAttr::BROADCAST.0, &b.octets())?;
        }
        if let Some(l) = req.label {
            w.put_str(AddrAttr::LABEL.0, l)?;
        }
        if small.is_none() {
            w.put_u32(AddrAttr::FLAGS.0, req.flags.0)?;
        }
        if let Some(ci) = &cache {
            w.put_struct(AddrAttr::CACHEINFO.0, ci)?;
        }
        if let Some(m) = req.metric {
            w.put_u32(AddrAttr::RT_PRIORITY.0, m)?;
        }
        if let Some(p) = req.proto {
            w.put_u8(AddrAttr::PROTO.0, p)?;
        }
        Ok(())
    })
}

/// Delete an address: `RTM_DELADDR` with `NLM_F_REQUEST` (no
/// CREATE/EXCL/REPLACE bits; the session adds `NLM_F_ACK`). Carries
/// `IFA_LOCAL` and `IFA_ADDRESS` (the `peer` if any, else the local
/// address), as `ip addr del … [peer P]` does: the kernel matches
/// `IFA_ADDRESS` against an IPv4 address's peer, so a peer address is
/// found only by its peer.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    prefix: IpNet,
    peer: Option<IpAddr>,
) -> Result<Request<'w>, EncodeError> {
    let local = prefix.addr();
    let hdr = IfAddrMsg {
        family: AddrFamily::of(&local).0,
        prefixlen: prefix.prefix_len(),
        flags: 0,
        scope: 0,
        index: index.into(),
    };
    request(w, RTM_DELADDR, Flags::REQUEST, Expect::Ack, |w| {
        put_addrs(w, &hdr, local, peer)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, raw_msgs, with_ack};
    use crate::wire::Msgs;
    use core::net::Ipv6Addr;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    // `ip addr add 10.0.0.1/24 dev lo` (addr_add_v4.jsonl #2)
    #[rustfmt::skip]
    const ADD_V4: [u8; 40] = [
        // nlmsghdr: len 40, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 0, pid 0
        0x28, 0, 0, 0, 0x14, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 1
        0x02, 0x18, 0x00, 0x00, 0x01, 0, 0, 0,
        // IFA_LOCAL 10.0.0.1
        0x08, 0, 0x02, 0, 10, 0, 0, 1,
        // IFA_ADDRESS 10.0.0.1
        0x08, 0, 0x01, 0, 10, 0, 0, 1,
    ];

    // `ip addr add 2001:db8::1/64 dev lo nodad` (addr_add_v6_nodad.jsonl #2)
    #[rustfmt::skip]
    const ADD_V6_NODAD: [u8; 64] = [
        // nlmsghdr: len 64, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
        0x40, 0, 0, 0, 0x14, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
        // ifaddrmsg: AF_INET6, /64, flags NODAD, scope universe, index 1
        0x0a, 0x40, 0x02, 0x00, 0x01, 0, 0, 0,
        // IFA_LOCAL 2001:db8::1
        0x14, 0, 0x02, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        // IFA_ADDRESS 2001:db8::1
        0x14, 0, 0x01, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    ];

    // `ip addr del 10.0.0.1/24 dev lo` (addr_del_v4.jsonl #2)
    #[rustfmt::skip]
    const DEL_V4: [u8; 40] = [
        // nlmsghdr: len 40, RTM_DELADDR, REQUEST|ACK
        0x28, 0, 0, 0, 0x15, 0, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        // ifaddrmsg: AF_INET, /24, flags 0, scope 0, index 1
        0x02, 0x18, 0x00, 0x00, 0x01, 0, 0, 0,
        // IFA_LOCAL 10.0.0.1
        0x08, 0, 0x02, 0, 10, 0, 0, 1,
        // IFA_ADDRESS 10.0.0.1
        0x08, 0, 0x01, 0, 10, 0, 0, 1,
    ];

    // `ip addr del 10.0.10.2 peer 10.0.10.1 dev d0` (nl-capture; seq
    // zeroed), d0 being index 3
    #[rustfmt::skip]
    const DEL_V4_PEER: [u8; 40] = [
        // nlmsghdr: len 40, RTM_DELADDR, REQUEST|ACK
        0x28, 0, 0, 0, 0x15, 0, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        // ifaddrmsg: AF_INET, /32, flags 0, scope 0, index 3
        0x02, 0x20, 0x00, 0x00, 0x03, 0, 0, 0,
        // IFA_LOCAL 10.0.10.2
        0x08, 0, 0x02, 0, 10, 0, 10, 2,
        // IFA_ADDRESS 10.0.10.1 (the peer)
        0x08, 0, 0x01, 0, 10, 0, 10, 1,
    ];

    // `ip addr show dev lo` request (addr_show_lo.jsonl #4, first
    // nlmsg_len bytes; iproute2 pads the datagram with 128 zero bytes)
    #[rustfmt::skip]
    const DUMP_LO: [u8; 24] = [
        // nlmsghdr: len 24, RTM_GETADDR, REQUEST|ROOT|MATCH
        0x18, 0, 0, 0, 0x16, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0,
        // ifaddrmsg: AF_UNSPEC, 0, 0, 0, index 1 (strict-check filter)
        0x00, 0x00, 0x00, 0x00, 0x01, 0, 0, 0,
    ];

    // Kernel reply to `ip addr show dev lo` (addr_show_lo.jsonl #5)
    #[rustfmt::skip]
    const DUMP_LO_REPLY: [u8; 304] = [
        // nlmsghdr: len 76, type 20, flags 0x0022, seq, pid
        0x4c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifaddrmsg: AF_INET, /8, flags 0x80, scope host, index 1
        0x02, 0x08, 0x80, 0xfe, 0x01, 0x00, 0x00, 0x00,
        // IFA_ADDRESS (len 8)
        0x08, 0x00, 0x01, 0x00, 0x7f, 0x00, 0x00, 0x01,
        // IFA_LOCAL (len 8)
        0x08, 0x00, 0x02, 0x00, 0x7f, 0x00, 0x00, 0x01,
        // IFA_LABEL (len 7)
        0x07, 0x00, 0x03, 0x00, 0x6c, 0x6f, 0x00, 0x00,
        // IFA_FLAGS (len 8)
        0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00,
        // IFA_CACHEINFO (len 20)
        0x14, 0x00, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0xcd, 0x00, 0x00, 0x12, 0xcd, 0x00, 0x00,
        // nlmsghdr: len 76, type 20, flags 0x0022, seq, pid
        0x4c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifaddrmsg: AF_INET, /24, flags 0x80, scope universe, index 1
        0x02, 0x18, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFA_ADDRESS (len 8)
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01,
        // IFA_LOCAL (len 8)
        0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x01,
        // IFA_LABEL (len 7)
        0x07, 0x00, 0x03, 0x00, 0x6c, 0x6f, 0x00, 0x00,
        // IFA_FLAGS (len 8)
        0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00,
        // IFA_CACHEINFO (len 20)
        0x14, 0x00, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0xcd, 0x00, 0x00, 0x12, 0xcd, 0x00, 0x00,
        // nlmsghdr: len 72, type 20, flags 0x0022, seq, pid
        0x48, 0x00, 0x00, 0x00, 0x14, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifaddrmsg: AF_INET6, /64, flags 0x82 (PERMANENT|NODAD), scope universe, index 1
        0x0a, 0x40, 0x82, 0x00, 0x01, 0x00, 0x00, 0x00,
        // IFA_ADDRESS (len 20)
        0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        // IFA_CACHEINFO (len 20)
        0x14, 0x00, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0xcd, 0x00, 0x00, 0x12, 0xcd, 0x00, 0x00,
        // IFA_FLAGS (len 8)
        0x08, 0x00, 0x08, 0x00, 0x82, 0x00, 0x00, 0x00,
        // nlmsghdr: len 80, type 20, flags 0x0022, seq, pid
        0x50, 0x00, 0x00, 0x00, 0x14, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // ifaddrmsg: AF_INET6, /128, flags 0x80, scope host, index 1
        0x0a, 0x80, 0x80, 0xfe, 0x01, 0x00, 0x00, 0x00,
        // IFA_ADDRESS (len 20)
        0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        // IFA_CACHEINFO (len 20)
        0x14, 0x00, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0xcd, 0x00, 0x00, 0x12, 0xcd, 0x00, 0x00,
        // IFA_FLAGS (len 8)
        0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00,
        // IFA_PROTO (len 5): IFAPROT_KERNEL_LO
        0x05, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn golden_add_v4() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let _ = encode_new(w, &NewAddress::new(1, net("10.0.0.1/24"))).unwrap();
        });
        assert_eq!(got, ADD_V4);
    }

    #[test]
    fn golden_add_v6_nodad() {
        let mut buf = [0xa5u8; 96];
        let got = with_ack(&mut buf, |w| {
            let req = NewAddress {
                flags: AddrFlags::NODAD,
                ..NewAddress::new(1, net("2001:db8::1/64"))
            };
            let r = encode_new(w, &req).unwrap();
            assert_eq!(r.expect, Expect::Ack);
        });
        assert_eq!(got, ADD_V6_NODAD);
    }

    /// `ip addr change 10.0.0.1/24 dev lo metric 259` (iproute2 6.1,
    /// nl-capture --normalize): `NLM_F_REPLACE` without `NLM_F_CREATE`,
    /// `IFA_RT_PRIORITY` between the addresses (where it came on the
    /// command line).
    const CHANGE_METRIC: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x02, 0x18, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x0a, 0x00,
        0x00, 0x01, 0x08, 0x00, 0x09, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a,
        0x00, 0x00, 0x01,
    ];

    #[test]
    fn change_with_metric_is_iproute2s_message() {
        let mut buf = [0u8; 96];
        let got = with_ack(&mut buf, |w| {
            let req = NewAddress {
                metric: Some(259),
                change: true,
                ..NewAddress::new(1, net("10.0.0.1/24"))
            };
            let _ = encode_new(w, &req).unwrap();
        });
        // Header and family header byte for byte; the same attributes,
        // ours with IFA_RT_PRIORITY last.
        assert_eq!(got.len(), CHANGE_METRIC.len());
        assert_eq!(got[..24], CHANGE_METRIC[..24]);
        let attrs = |b: &[u8]| -> [[u8; 8]; 3] {
            core::array::from_fn(|i| b[24 + 8 * i..32 + 8 * i].try_into().unwrap())
        };
        let (mut theirs, mut ours) = (attrs(&CHANGE_METRIC), attrs(got));
        theirs.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn proto_goes_in_ifa_proto() {
        let mut buf = [0u8; 96];
        let mut w = MsgWriter::new(&mut buf);
        let req = NewAddress {
            proto: Some(0x99),
            ..NewAddress::new(1, net("10.0.0.1/24"))
        };
        let m = encode_new(&mut w, &req).unwrap().msg;
        // The last attribute: IFA_PROTO (11), one byte, padded.
        assert_eq!(&m[m.len() - 8..], [5, 0, 11, 0, 0x99, 0, 0, 0]);
    }

    #[test]
    fn golden_del_v4() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let _ = encode_del(w, 1, net("10.0.0.1/24"), None).unwrap();
        });
        assert_eq!(got, DEL_V4);
    }

    /// A peer address is deleted by its peer (`IFA_ADDRESS`): the kernel
    /// matches `IFA_ADDRESS` against the address's peer and mask, so a
    /// delete that names the local address twice finds nothing.
    #[test]
    fn golden_del_v4_peer() {
        let mut buf = [0xa5u8; 64];
        let got = with_ack(&mut buf, |w| {
            let peer = Some("10.0.10.1".parse().unwrap());
            let _ = encode_del(w, 3, net("10.0.10.2/32"), peer).unwrap();
        });
        assert_eq!(got, DEL_V4_PEER);
    }

    #[test]
    fn golden_dump_one_link() {
        let mut buf = [0xa5u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_dump(&mut w, AddrFamily::UNSPEC, Some(1)).unwrap();
        assert_eq!(r.expect, Expect::Dump);
        assert_eq!(&*r.msg, &DUMP_LO);
    }

    #[test]
    fn golden_decode_dump_reply() {
        let addrs: heapless::Vec<Address, 4> = Msgs::new(&DUMP_LO_REPLY)
            .map(|m| Address::decode(&m.unwrap()).unwrap())
            .collect();
        assert_eq!(addrs.len(), 4);

        let lo4 = &addrs[0];
        assert_eq!(lo4.family, AddrFamily::INET);
        assert_eq!(lo4.index, 1);
        assert_eq!(lo4.scope, Scope::HOST);
        assert_eq!(lo4.prefix(), net("127.0.0.1/8"));
        assert_eq!(lo4.label.as_deref(), Some("lo"));
        assert_eq!(lo4.flags, AddrFlags::PERMANENT);
        assert_eq!(lo4.valid_lft, Some(CacheInfo::FOREVER));
        assert_eq!(lo4.preferred_lft, Some(CacheInfo::FOREVER));
        assert_eq!(lo4.peer, None);

        let v4 = &addrs[1];
        assert_eq!(v4.prefix(), net("10.0.0.1/24"));
        assert_eq!(v4.scope, Scope::UNIVERSE);
        assert_eq!(v4.scope.to_string_in::<8>(), "global");

        let v6 = &addrs[2];
        assert_eq!(v6.family, AddrFamily::INET6);
        // IFA_ADDRESS only: it is the local address, not a peer
        assert_eq!(v6.local, IpAddr::V6("2001:db8::1".parse().unwrap()));
        assert_eq!(v6.peer, None);
        assert_eq!(v6.prefix(), net("2001:db8::1/64"));
        assert_eq!(v6.flags, AddrFlags::PERMANENT | AddrFlags::NODAD);
        assert!(v6.flags.names().eq(["nodad", "permanent"]));
        assert_eq!(v6.label, None);

        let lo6 = &addrs[3];
        assert_eq!(lo6.local, IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(lo6.prefix_len, 128);
        assert_eq!(lo6.proto, Some(1));
        assert_eq!(lo6.stamps, Some((0xcd12, 0xcd12)));
    }

    impl Scope {
        fn to_string_in<const N: usize>(self) -> heapless::String<N> {
            let mut s = heapless::String::new();
            core::fmt::write(&mut s, format_args!("{self}")).unwrap();
            s
        }
    }

    #[test]
    fn scope_names_and_numbers() {
        assert_eq!(Scope::parse("global"), Some(Scope::UNIVERSE));
        assert_eq!(Scope::parse("link"), Some(Scope::LINK));
        assert_eq!(Scope::parse("254"), Some(Scope::HOST));
        assert_eq!(Scope::parse("0x10"), Some(Scope(16)));
        assert_eq!(Scope::parse("256"), None);
        assert_eq!(Scope::parse("galaxy"), None);
        assert_eq!(Scope(7).to_string_in::<8>(), "7");
        assert_eq!(
            AddrFlags::from_name("noprefixroute"),
            Some(AddrFlags::NOPREFIXROUTE)
        );
    }

    #[test]
    fn big_flags_go_in_ifa_flags_attr_and_lifetimes_in_cacheinfo() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let req = NewAddress {
            flags: AddrFlags::NOPREFIXROUTE | AddrFlags::NODAD,
            valid_lft: Some(300),
            preferred_lft: Some(100),
            label: Some("lo:1"),
            broadcast: Some(Ipv4Addr::new(10, 0, 0, 255)),
            replace: true,
            ..NewAddress::new(1, net("10.0.0.1/24"))
        };
        let r = encode_new(&mut w, &req).unwrap();
        let (msg, _) = Msg::parse(r.msg).unwrap();
        assert_eq!(msg.flags(), Flags::REQUEST | Flags::CREATE | Flags::REPLACE);
        let a = Address::decode(&msg).unwrap();
        assert_eq!(a.flags, req.flags);
        assert_eq!(a.valid_lft, Some(300));
        assert_eq!(a.preferred_lft, Some(100));
        assert_eq!(a.label.as_deref(), Some("lo:1"));
        assert_eq!(a.broadcast, req.broadcast);
        assert_eq!(a.prefix(), req.prefix);
    }

    #[test]
    fn encode_new_then_decode_gives_request_fields() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let req = NewAddress {
            peer: Some("10.1.1.2".parse().unwrap()),
            scope: Some(Scope::LINK),
            ..NewAddress::new(7, net("10.1.1.1/32"))
        };
        let r = encode_new(&mut w, &req).unwrap();
        let a = Address::decode(&Msg::parse(r.msg).unwrap().0).unwrap();
        assert_eq!(a.index, 7);
        assert_eq!(a.scope, Scope::LINK);
        assert_eq!(a.local, req.prefix.addr());
        assert_eq!(a.peer, req.peer);
        assert_eq!(a.prefix(), req.prefix);
        // loopback addresses default to host scope, as with iproute2
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_new(&mut w, &NewAddress::new(1, net("127.0.0.2/8"))).unwrap();
        let a = Address::decode(&Msg::parse(r.msg).unwrap().0).unwrap();
        assert_eq!(a.scope, Scope::HOST);
    }

    #[test]
    fn emit_round_trip() {
        for m in Msgs::new(&DUMP_LO_REPLY) {
            let a = Address::decode(&m.unwrap()).unwrap();
            let mut buf = [0u8; 128];
            let mut w = MsgWriter::new(&mut buf);
            let bytes = a.emit(&mut w, Flags::MULTI).unwrap();
            let b = Address::decode(&Msg::parse(bytes).unwrap().0).unwrap();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn rejects_bad_requests() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        let bad = [
            NewAddress {
                peer: Some("::1".parse().unwrap()),
                ..NewAddress::new(1, net("10.0.0.1/24"))
            },
            NewAddress {
                broadcast: Some(Ipv4Addr::BROADCAST),
                ..NewAddress::new(1, net("2001:db8::1/64"))
            },
            NewAddress {
                label: Some("a-label-of-16-by"),
                ..NewAddress::new(1, net("10.0.0.1/24"))
            },
            NewAddress {
                valid_lft: Some(10),
                preferred_lft: Some(20),
                ..NewAddress::new(1, net("10.0.0.1/24"))
            },
            NewAddress {
                valid_lft: Some(0),
                ..NewAddress::new(1, net("10.0.0.1/24"))
            },
        ];
        for req in &bad {
            assert!(matches!(
                encode_new(&mut w, req),
                Err(EncodeError::Invalid { .. })
            ));
        }
        assert!(w.is_empty());
    }

    #[test]
    fn rolls_back_on_full_buffer() {
        let mut buf = [0u8; 36];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            encode_new(&mut w, &NewAddress::new(1, net("10.0.0.1/24"))),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(w.is_empty() && !w.in_message());
    }

    #[test]
    fn never_panics_on_mutations() {
        for m in raw_msgs(&DUMP_LO_REPLY) {
            hammer(m, |m| {
                let _ = Address::decode(m);
            });
        }
    }

    #[test]
    fn rejects_malformed_messages() {
        // wrong type
        let mut bytes = ADD_V4;
        bytes[4] = 24;
        assert!(matches!(
            Address::decode(&Msg::parse(&bytes).unwrap().0),
            Err(DecodeError::UnexpectedType { .. })
        ));
        // payload shorter than ifaddrmsg
        let mut short = [0u8; 20];
        short[..16].copy_from_slice(&ADD_V4[..16]);
        short[0] = 20;
        assert!(matches!(
            Address::decode(&Msg::parse(&short).unwrap().0),
            Err(DecodeError::Truncated { .. })
        ));
        // IFA_LOCAL of 5 bytes
        let mut bytes = ADD_V4;
        bytes[24] = 9;
        assert!(matches!(
            Address::decode(&Msg::parse(&bytes).unwrap().0),
            Err(DecodeError::AttrSize { .. })
        ));
        // prefix length past 32
        let mut bytes = ADD_V4;
        bytes[17] = 33;
        assert!(matches!(
            Address::decode(&Msg::parse(&bytes).unwrap().0),
            Err(DecodeError::OutOfRange { .. })
        ));
        // attribute length past the message: the walk stops, header is kept
        let mut bytes = ADD_V4;
        bytes[32] = 200;
        let a = Address::decode(&Msg::parse(&bytes).unwrap().0).unwrap();
        assert_eq!(a.local, "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(a.peer, None);
    }

    /// An `AF_UNSPEC` dump as the kernel answers it where MCTP is in use:
    /// an `AF_MCTP` (45) address with a 1-byte `IFA_LOCAL` (EID 8), then
    /// an IPv4 one. The IPv4 address must come through; the MCTP one is
    /// skipped, not an error for the whole listing.
    #[test]
    fn unknown_family_entry_is_skipped() {
        #[rustfmt::skip]
        const DUMP: [u8; 80] = [
            // nlmsghdr: len 40, RTM_NEWADDR, MULTI
            40, 0, 0, 0, 0x14, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            // ifaddrmsg: AF_MCTP, prefixlen 0, flags 0, scope 0, index 1
            45, 0, 0, 0, 1, 0, 0, 0,
            // IFA_LOCAL: one byte, padded
            5, 0, 0x02, 0, 8, 0, 0, 0,
            // IFA_ADDRESS: one byte, padded
            5, 0, 0x01, 0, 8, 0, 0, 0,
            // nlmsghdr: len 40, RTM_NEWADDR, MULTI
            40, 0, 0, 0, 0x14, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            // ifaddrmsg: AF_INET, /8, flags 0, scope host, index 1
            2, 8, 0, 254, 1, 0, 0, 0,
            // IFA_LOCAL 127.0.0.1
            8, 0, 0x02, 0, 127, 0, 0, 1,
            // IFA_ADDRESS 127.0.0.1
            8, 0, 0x01, 0, 127, 0, 0, 1,
        ];
        let listed: heapless::Vec<_, 2> = Msgs::new(&DUMP)
            .map(|m| Address::decode_ip(&m.unwrap()).unwrap())
            .collect();
        assert_eq!(listed.len(), 2);
        assert!(listed[0].is_none(), "AF_MCTP skipped");
        let v4 = listed[1].as_ref().unwrap();
        assert_eq!(v4.local, "127.0.0.1".parse::<IpAddr>().unwrap());
        // The plain decoder still reports the odd entry, for callers that
        // want to know.
        assert!(Address::decode(&Msgs::new(&DUMP).next().unwrap().unwrap()).is_err());
    }
}
