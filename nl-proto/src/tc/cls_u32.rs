//! The `u32` classifier (`TCA_U32_*`, `struct tc_u32_sel`): 32-bit
//! value/mask keys at offsets in the packet, hash tables, links between
//! them, a class id and actions.
//!
//! Keys are kept as tc prints them: value and mask as numbers (the wire
//! carries them big-endian), offsets in bytes. [`Selector::pack32`] and
//! its 16- and 8-bit forms merge keys the way tc's `pack_key` does, so a
//! selector built from tc's words has tc's keys, in tc's order.
//!
//! ```
//! use nl_proto::tc::cls_u32::{Selector, fields};
//! let mut sel = Selector::default();
//! // `match ip dst 10.0.0.1/32`
//! sel.pack_ipv4(fields::IP_DST, "10.0.0.1".parse().unwrap(), 32, 0).unwrap();
//! assert_eq!((sel.keys[0].val, sel.keys[0].mask, sel.keys[0].off), (0x0a00_0001, !0, 16));
//! ```

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use zerocopy::byteorder::{BigEndian, I16, I32, NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::act_police::Police;
use super::action::{self, Actions};
use super::{Handle, TcAttr};
use crate::macros::open_enum;
use crate::values::IfName;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

open_enum! {
    /// u32 option attributes (`TCA_U32_*`).
    pub struct U32Attr(u16) {
        /// `TCA_U32_CLASSID`: u32 class id (`flowid`).
        CLASSID = 1,
        /// `TCA_U32_HASH`: u32 hash table and bucket (`ht`, `sample`).
        HASH = 2,
        /// `TCA_U32_LINK`: u32 hash table to continue in (`link`).
        LINK = 3,
        /// `TCA_U32_DIVISOR`: u32 buckets of a new hash table.
        DIVISOR = 4,
        /// `TCA_U32_SEL`: `struct tc_u32_sel` and its keys.
        SEL = 5,
        /// `TCA_U32_POLICE`: legacy police.
        POLICE = 6,
        /// `TCA_U32_ACT`: actions.
        ACT = 7,
        /// `TCA_U32_INDEV`: input device name.
        INDEV = 8,
        /// `TCA_U32_PCNT`: `struct tc_u32_pcnt` (with `CONFIG_CLS_U32_PERF`).
        PCNT = 9,
        /// `TCA_U32_MARK`: `struct tc_u32_mark`.
        MARK = 10,
        /// `TCA_U32_FLAGS`: u32 `TCA_CLS_FLAGS_*`.
        FLAGS = 11,
        /// `TCA_U32_PAD`.
        PAD = 12,
    }
}

/// `TC_U32_TERMINAL`: a match ends classification.
pub const TERMINAL: u8 = 1;
/// `TC_U32_OFFSET`: `offset plus N`.
pub const OFFSET: u8 = 2;
/// `TC_U32_VAROFFSET`: `offset at N mask M shift S`.
pub const VAROFFSET: u8 = 4;
/// `TC_U32_EAT`: `offset … eat`.
pub const EAT: u8 = 8;

/// `TCA_CLS_FLAGS_SKIP_HW`.
pub const FLAG_SKIP_HW: u32 = 1;
/// `TCA_CLS_FLAGS_SKIP_SW`.
pub const FLAG_SKIP_SW: u32 = 2;
/// `TCA_CLS_FLAGS_IN_HW`.
pub const FLAG_IN_HW: u32 = 4;
/// `TCA_CLS_FLAGS_NOT_IN_HW`.
pub const FLAG_NOT_IN_HW: u32 = 8;

/// The most keys one selector holds (tc's limit).
pub const MAX_KEYS: usize = 128;

/// Offsets of the header fields tc's `match ip|ip6|tcp|udp|icmp` words
/// name (`f_u32.c`), as (offset, relative to the next header).
pub mod fields {
    /// `ip src`: 12.
    pub const IP_SRC: i32 = 12;
    /// `ip dst`: 16.
    pub const IP_DST: i32 = 16;
    /// `ip tos`/`dsfield`/`precedence`: byte 1.
    pub const IP_TOS: i32 = 1;
    /// `ip ihl`: byte 0.
    pub const IP_IHL: i32 = 0;
    /// `ip protocol`: byte 9.
    pub const IP_PROTOCOL: i32 = 9;
    /// `ip sport`: 20 (assumes no IP options).
    pub const IP_SPORT: i32 = 20;
    /// `ip dport`: 22.
    pub const IP_DPORT: i32 = 22;
    /// `ip icmp_type`: 20.
    pub const IP_ICMP_TYPE: i32 = 20;
    /// `ip icmp_code`: 21.
    pub const IP_ICMP_CODE: i32 = 21;
    /// `ip6 src`: 8.
    pub const IP6_SRC: i32 = 8;
    /// `ip6 dst`: 24.
    pub const IP6_DST: i32 = 24;
    /// `ip6 protocol`: byte 6.
    pub const IP6_PROTOCOL: i32 = 6;
    /// `ip6 sport`: 40.
    pub const IP6_SPORT: i32 = 40;
    /// `ip6 dport`: 42.
    pub const IP6_DPORT: i32 = 42;
    /// `ip6 icmp_type`: 40.
    pub const IP6_ICMP_TYPE: i32 = 40;
    /// `ip6 icmp_code`: 41.
    pub const IP6_ICMP_CODE: i32 = 41;
    /// `tcp|udp src`: next header + 0.
    pub const L4_SRC: i32 = 0;
    /// `tcp|udp dst`: next header + 2.
    pub const L4_DST: i32 = 2;
    /// `icmp type`: next header + 0.
    pub const ICMP_TYPE: i32 = 0;
    /// `icmp code`: next header + 1.
    pub const ICMP_CODE: i32 = 1;
}

/// One key: `match VAL/MASK at [nexthdr+]OFF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Key {
    /// The value, as a number (tc prints it `%08x`).
    pub val: u32,
    /// The mask.
    pub mask: u32,
    /// Byte offset (a multiple of 4).
    pub off: i32,
    /// `offmask`: -1 for offsets relative to the next header (`nexthdr+`).
    pub offmask: i32,
}

/// `struct tc_u32_key` on the wire.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct WireKey {
    mask: U32<BigEndian>,
    val: U32<BigEndian>,
    off: I32<NativeEndian>,
    offmask: I32<NativeEndian>,
}

/// `struct tc_u32_sel` on the wire, without its keys.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct WireSel {
    flags: u8,
    offshift: u8,
    nkeys: u8,
    pad: u8,
    offmask: U16<BigEndian>,
    off: U16<NativeEndian>,
    offoff: I16<NativeEndian>,
    hoff: I16<NativeEndian>,
    hmask: U32<BigEndian>,
}

/// A key could not be packed (tc's "Illegal \"match\"").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackError;

/// A u32 selector: flags, offsets, hash key and keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    /// `TC_U32_*` flags.
    pub flags: u8,
    /// `offshift`.
    pub offshift: u8,
    /// `offmask` (as a number).
    pub offmask: u16,
    /// `off`: `offset plus N`.
    pub off: u16,
    /// `offoff`: `offset at N`.
    pub offoff: i16,
    /// `hoff`: `hashkey … at N`.
    pub hoff: i16,
    /// `hmask` (as a number).
    pub hmask: u32,
    /// The keys.
    pub keys: heapless::Vec<Key, MAX_KEYS>,
}

impl Selector {
    /// tc's `pack_key`: merge into a key at the same offset (refusing a
    /// conflicting value) or append one. `val`, `mask` are numbers.
    ///
    /// # Errors
    ///
    /// [`PackError`] on a conflict, an offset not a multiple of 4, or a
    /// full selector.
    pub fn pack(&mut self, val: u32, mask: u32, off: i32, offmask: i32) -> Result<(), PackError> {
        let val = val & mask;
        if let Some(k) = self
            .keys
            .iter_mut()
            .find(|k| k.off == off && k.offmask == offmask)
        {
            if (val ^ k.val) & (mask & k.mask) != 0 {
                return Err(PackError);
            }
            k.val |= val;
            k.mask |= mask;
            return Ok(());
        }
        if off % 4 != 0 {
            return Err(PackError);
        }
        self.keys
            .push(Key {
                val,
                mask,
                off,
                offmask,
            })
            .map_err(|_| PackError)
    }

    /// `match u32 VAL MASK at OFF`.
    ///
    /// # Errors
    ///
    /// As [`Selector::pack`].
    pub fn pack32(&mut self, val: u32, mask: u32, off: i32, offmask: i32) -> Result<(), PackError> {
        self.pack(val, mask, off, offmask)
    }

    /// `match u16 VAL MASK at OFF` (tc's `pack_key16`).
    ///
    /// # Errors
    ///
    /// As [`Selector::pack`]; values above 16 bits.
    pub fn pack16(&mut self, val: u32, mask: u32, off: i32, offmask: i32) -> Result<(), PackError> {
        if val > 0xFFFF || mask > 0xFFFF {
            return Err(PackError);
        }
        let shift = if off & 3 == 0 { 16 } else { 0 };
        self.pack(val << shift, mask << shift, off & !3, offmask)
    }

    /// `match u8 VAL MASK at OFF` (tc's `pack_key8`).
    ///
    /// # Errors
    ///
    /// As [`Selector::pack`]; values above 8 bits.
    pub fn pack8(&mut self, val: u32, mask: u32, off: i32, offmask: i32) -> Result<(), PackError> {
        if val > 0xFF || mask > 0xFF {
            return Err(PackError);
        }
        let shift = match off & 3 {
            0 => 24,
            1 => 16,
            2 => 8,
            _ => 0,
        };
        self.pack(val << shift, mask << shift, off & !3, offmask)
    }

    /// `match ip src|dst ADDR/LEN` at `off`.
    ///
    /// # Errors
    ///
    /// As [`Selector::pack`].
    pub fn pack_ipv4(
        &mut self,
        off: i32,
        addr: Ipv4Addr,
        len: u8,
        offmask: i32,
    ) -> Result<(), PackError> {
        let mask = if len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(len.min(32)))
        };
        self.pack(u32::from(addr), mask, off, offmask)
    }

    /// `match ip6 src|dst ADDR/LEN` at `off`: one key per 32 bits the
    /// prefix covers (tc's `parse_ip6_addr`).
    ///
    /// # Errors
    ///
    /// As [`Selector::pack`].
    pub fn pack_ipv6(
        &mut self,
        off: i32,
        addr: Ipv6Addr,
        len: u8,
        offmask: i32,
    ) -> Result<(), PackError> {
        let words = addr.octets();
        let mut plen = i32::from(len.min(128));
        for (i, w) in words.chunks_exact(4).enumerate() {
            if plen <= 0 {
                break;
            }
            let mask = if plen >= 32 {
                u32::MAX
            } else {
                u32::MAX << (32 - plen)
            };
            let val = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
            let at = off + 4 * i32::try_from(i).unwrap_or(0);
            self.pack(val, mask, at, offmask)?;
            plen -= 32;
        }
        Ok(())
    }

    fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let hdr = WireSel {
            flags: self.flags,
            offshift: self.offshift,
            nkeys: u8::try_from(self.keys.len()).map_err(|_| EncodeError::Invalid {
                what: "u32: too many keys",
            })?,
            pad: 0,
            offmask: self.offmask.into(),
            off: self.off.into(),
            offoff: self.offoff.into(),
            hoff: self.hoff.into(),
            hmask: self.hmask.into(),
        };
        let mut keys = [WireKey::default(); MAX_KEYS];
        for (slot, k) in keys.iter_mut().zip(&self.keys) {
            *slot = WireKey {
                mask: k.mask.into(),
                val: k.val.into(),
                off: k.off.into(),
                offmask: k.offmask.into(),
            };
        }
        let keys = keys.get(..self.keys.len()).unwrap_or(&[]);
        w.put_parts(U32Attr::SEL.0, &[hdr.as_bytes(), keys.as_bytes()])
    }

    /// Decode in place, reusing the key storage.
    fn decode_into(&mut self, payload: &[u8]) -> Result<(), DecodeError> {
        let (hdr, rest) =
            WireSel::read_from_prefix(payload).map_err(|_| DecodeError::Truncated {
                what: "tc_u32_sel",
                need: 16,
                have: payload.len(),
            })?;
        self.flags = hdr.flags;
        self.offshift = hdr.offshift;
        self.offmask = hdr.offmask.get();
        self.off = hdr.off.get();
        self.offoff = hdr.offoff.get();
        self.hoff = hdr.hoff.get();
        self.hmask = hdr.hmask.get();
        self.keys.clear();
        let n = usize::from(hdr.nkeys);
        for chunk in rest.chunks_exact(16).take(n) {
            let k: WireKey = super::read_struct(chunk);
            self.keys
                .push(Key {
                    val: k.val.get(),
                    mask: k.mask.get(),
                    off: k.off.get(),
                    offmask: k.offmask.get(),
                })
                .map_err(|_| DecodeError::TooLong {
                    what: "u32 keys",
                    len: n,
                    cap: MAX_KEYS,
                })?;
        }
        if self.keys.len() < n {
            return Err(DecodeError::Truncated {
                what: "tc_u32_sel keys",
                need: 16 + 16 * n,
                have: payload.len(),
            });
        }
        Ok(())
    }
}

/// `struct tc_u32_mark`: `match mark VAL MASK`.
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
pub struct Mark {
    /// `val`.
    pub val: U32<NativeEndian>,
    /// `mask`.
    pub mask: U32<NativeEndian>,
    /// `success` (reported).
    pub success: U32<NativeEndian>,
}

/// A u32 filter's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct U32Filter {
    /// `TCA_U32_CLASSID` (`flowid`/`classid`).
    pub classid: Option<Handle>,
    /// `TCA_U32_DIVISOR`: this filter is a hash table of so many buckets.
    pub divisor: Option<u32>,
    /// `TCA_U32_LINK`.
    pub link: Option<u32>,
    /// `TCA_U32_INDEV`.
    pub indev: Option<IfName>,
    /// `TCA_U32_ACT`.
    pub actions: Actions,
    /// `TCA_U32_POLICE`: the filter's own policer (`… u32 … police …`).
    pub police: Option<Police>,
    /// `TCA_U32_HASH`: the table and bucket this filter sits in.
    pub hash: Option<u32>,
    /// `TCA_U32_SEL`.
    pub sel: Option<Selector>,
    /// `TCA_U32_MARK`.
    pub mark: Option<Mark>,
    /// `TCA_U32_FLAGS`.
    pub flags: Option<u32>,
    /// `TCA_U32_PCNT`: (rule hits, successes).
    pub pcnt: Option<(u64, u64)>,
    /// Whether anything was given at all (tc sends no `TCA_OPTIONS`
    /// for `… u32` with no words).
    pub empty: bool,
}

impl U32Filter {
    /// Write `TCA_OPTIONS` in tc's order: class id, divisor, link, input
    /// device, policer, actions, hash, selector, flags.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; actions of kinds not encoded here.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if self.empty {
            return Ok(());
        }
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if let Some(c) = self.classid {
            w.put_u32(U32Attr::CLASSID.0, c.0)?;
        }
        if let Some(d) = self.divisor {
            w.put_u32(U32Attr::DIVISOR.0, d)?;
        }
        if let Some(l) = self.link {
            w.put_u32(U32Attr::LINK.0, l)?;
        }
        if let Some(i) = &self.indev {
            w.put_str(U32Attr::INDEV.0, i.as_str())?;
        }
        if let Some(p) = &self.police {
            let n = w.begin_nest_unflagged(U32Attr::POLICE.0)?;
            p.emit(w)?;
            w.end_nest(n)?;
        }
        action::emit_actions(w, U32Attr::ACT.0, &self.actions)?;
        if let Some(h) = self.hash {
            w.put_u32(U32Attr::HASH.0, h)?;
        }
        if let Some(s) = &self.sel {
            s.emit(w)?;
        }
        if let Some(m) = &self.mark {
            w.put(U32Attr::MARK.0, m.as_bytes())?;
        }
        if let Some(f) = self.flags {
            w.put_u32(U32Attr::FLAGS.0, f)?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut u = Self::default();
        u.decode_into(payload)?;
        Ok(u)
    }

    /// Decode in place, reusing the storage of the keys and actions (a
    /// u32 filter is a few KiB: dumps reuse one value).
    pub(crate) fn decode_into(&mut self, payload: &[u8]) -> Result<(), DecodeError> {
        self.classid = None;
        self.divisor = None;
        self.link = None;
        self.indev = None;
        self.actions.clear();
        self.police = None;
        self.hash = None;
        self.mark = None;
        self.flags = None;
        self.pcnt = None;
        self.empty = false;
        let mut sel = false;
        for attr in super::nested(payload).map_while(Result::ok) {
            match U32Attr(attr.kind()) {
                U32Attr::CLASSID => self.classid = Some(Handle(attr.u32()?)),
                U32Attr::DIVISOR => self.divisor = Some(attr.u32()?),
                U32Attr::LINK => self.link = Some(attr.u32()?),
                U32Attr::HASH => self.hash = Some(attr.u32()?),
                U32Attr::SEL => {
                    self.sel
                        .get_or_insert_with(Selector::default)
                        .decode_into(attr.payload())?;
                    sel = true;
                }
                U32Attr::ACT => action::decode_actions_into(attr.payload(), &mut self.actions)?,
                U32Attr::POLICE => self.police = Some(Police::decode(attr.payload())?),
                U32Attr::MARK => self.mark = Some(super::read_struct(attr.payload())),
                U32Attr::FLAGS => self.flags = Some(attr.u32()?),
                U32Attr::INDEV => {
                    let s = attr.cstr()?;
                    self.indev = Some(IfName::new(s).map_err(|_| DecodeError::TooLong {
                        what: "TCA_U32_INDEV",
                        len: s.len(),
                        cap: IfName::MAX_LEN,
                    })?);
                }
                U32Attr::PCNT => {
                    let p = attr.payload();
                    let word = |i: usize| {
                        p.get(i * 8..i * 8 + 8)
                            .and_then(|b| b.try_into().ok())
                            .map_or(0, u64::from_ne_bytes)
                    };
                    self.pcnt = Some((word(0), word(1)));
                }
                _ => {}
            }
        }
        if !sel {
            self.sel = None;
        }
        Ok(())
    }
}

/// A u32 filter handle, `htid:hash:node` (`TC_U32_HTID`, `TC_U32_HASH`,
/// `TC_U32_NODE`), printed and parsed as tc does (`800:`, `800::800`,
/// `1:2:3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct U32Handle(pub u32);

impl U32Handle {
    /// The hash table id (12 bits).
    pub fn htid(self) -> u32 {
        self.0 >> 20
    }
    /// The bucket (8 bits).
    pub fn bucket(self) -> u32 {
        (self.0 >> 12) & 0xff
    }
    /// The node (12 bits).
    pub fn node(self) -> u32 {
        self.0 & 0xfff
    }

    /// tc's `get_u32_handle`: `HT:[BKT[:NODE]]` in hex, or `0x…`.
    pub fn parse(s: &str) -> Option<Self> {
        let Some(colon) = s.find(':') else {
            let hex = s.strip_prefix("0x")?;
            return u32::from_str_radix(hex, 16).ok().map(Self);
        };
        let hex = |p: &str| -> Option<(u32, usize)> {
            let n = p.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(p.len());
            if n == 0 {
                return Some((0, 0));
            }
            u32::from_str_radix(p.get(..n)?, 16).ok().map(|v| (v, n))
        };
        let (htid, n) = hex(s)?;
        if n != colon || htid >= 0x1000 {
            return None;
        }
        let rest = s.get(colon + 1..)?;
        let (hash, n) = hex(rest)?;
        if hash >= 0x100 {
            return None;
        }
        let mut node = 0;
        match rest.get(n..)? {
            "" => {}
            tail => {
                let node_s = tail.strip_prefix(':')?;
                let (v, m) = hex(node_s)?;
                if m != node_s.len() || v >= 0x1000 {
                    return None;
                }
                node = v;
            }
        }
        Some(Self((htid << 20) | (hash << 12) | node))
    }
}

impl fmt::Display for U32Handle {
    /// tc's `sprint_u32_handle`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("none");
        }
        if self.htid() != 0 {
            write!(f, "{:x}:", self.htid())?;
        }
        if self.bucket() != 0 {
            write!(f, "{:x}", self.bucket())?;
        }
        if self.node() != 0 {
            write!(f, ":{:x}", self.node())?;
        }
        Ok(())
    }
}
