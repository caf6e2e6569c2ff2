//! Traffic-control handles: the `major:minor` 32-bit ids of qdiscs,
//! classes and parents (`TC_H_*` in `include/uapi/linux/pkt_sched.h`).
//!
//! ```
//! use nl_proto::tc::Handle;
//! let h = Handle::parse_classid("1:10").unwrap();
//! assert_eq!((h.major(), h.minor()), (1, 0x10));
//! assert_eq!(h.to_string(), "1:10");
//! assert_eq!(Handle::parse_qdisc("ffff:").unwrap(), Handle::INGRESS_QDISC);
//! assert_eq!(Handle::ROOT.to_string(), "root");
//! ```

use core::fmt;

/// A tc handle or class id: major in the high 16 bits, minor in the low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Handle(pub u32);

impl Handle {
    /// `TC_H_UNSPEC`: no handle (`none`); the kernel picks one.
    pub const UNSPEC: Self = Self(0);
    /// `TC_H_ROOT`: the parent of a root qdisc (`root`).
    pub const ROOT: Self = Self(0xFFFF_FFFF);
    /// `TC_H_INGRESS` (= `TC_H_CLSACT`): the parent of the ingress and
    /// clsact qdiscs.
    pub const INGRESS: Self = Self(0xFFFF_FFF1);
    /// The handle tc gives the ingress and clsact qdiscs, `ffff:`.
    pub const INGRESS_QDISC: Self = Self(0xFFFF_0000);
    /// `TC_H_MIN_INGRESS` under `ffff:`: clsact's ingress hook (`ingress`).
    pub const CLSACT_INGRESS: Self = Self(0xFFFF_FFF2);
    /// `TC_H_MIN_EGRESS` under `ffff:`: clsact's egress hook (`egress`).
    pub const CLSACT_EGRESS: Self = Self(0xFFFF_FFF3);

    /// `TC_H_MAKE(major << 16, minor)`.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self(((major as u32) << 16) | minor as u32)
    }

    /// The major number (`TC_H_MAJ(h) >> 16`).
    pub const fn major(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The minor number (`TC_H_MIN(h)`).
    pub const fn minor(self) -> u16 {
        (self.0 & 0xFFFF) as u16
    }

    /// Parse a qdisc handle as tc's `get_qdisc_handle`: `none`, or a hex
    /// major optionally followed by `:` (`1:`, `ffff:`, `1`).
    pub fn parse_qdisc(s: &str) -> Option<Self> {
        if s == "none" {
            return Some(Self::UNSPEC);
        }
        let (major, rest) = strtoul_hex(s)?;
        if major >= 1 << 16 || !(rest.is_empty() || rest.starts_with(':')) {
            return None;
        }
        Some(Self(major << 16))
    }

    /// Parse a class id as tc's `get_tc_classid`: `root`, `none`,
    /// `MAJ:MIN`, `MAJ:`, `:MIN` (hex), or one hex number taken whole.
    pub fn parse_classid(s: &str) -> Option<Self> {
        match s {
            "root" => return Some(Self::ROOT),
            "none" => return Some(Self::UNSPEC),
            _ => {}
        }
        let (major, rest) = match strtoul_hex(s) {
            Some(v) => v,
            None if s.starts_with(':') => (0, s),
            None => return None,
        };
        match rest.strip_prefix(':') {
            Some(min) => {
                if major >= 1 << 16 {
                    return None;
                }
                let (minor, tail) = if min.is_empty() {
                    (0, min)
                } else {
                    strtoul_hex(min)?
                };
                if !tail.is_empty() || minor >= 1 << 16 {
                    return None;
                }
                Some(Self((major << 16) | minor))
            }
            None if rest.is_empty() => Some(Self(major)),
            None => None,
        }
    }
}

/// `strtoul(s, &end, 16)` for what tc accepts: hex digits (an optional
/// `0x`), the value and the rest; `None` when no digit was read or the
/// value overflows 32 bits (tc's `unsigned long` is wider, but every
/// caller then refuses it).
fn strtoul_hex(s: &str) -> Option<(u32, &str)> {
    let body = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .filter(|b| b.starts_with(|c: char| c.is_ascii_hexdigit()))
        .unwrap_or(s);
    let end = body
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(body.len());
    if end == 0 {
        return None;
    }
    let (digits, rest) = body.split_at(end);
    u32::from_str_radix(digits, 16).ok().map(|v| (v, rest))
}

impl fmt::Display for Handle {
    /// As tc's `print_tc_classid`: `root`, `none`, `:MIN`, `MAJ:`,
    /// `MAJ:MIN`, in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::ROOT => f.write_str("root"),
            Self::UNSPEC => f.write_str("none"),
            h if h.major() == 0 => write!(f, ":{:x}", h.minor()),
            h if h.minor() == 0 => write!(f, "{:x}:", h.major()),
            h => write!(f, "{:x}:{:x}", h.major(), h.minor()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_tc() {
        assert_eq!(Handle::parse_qdisc("1:"), Some(Handle(0x1_0000)));
        assert_eq!(Handle::parse_qdisc("1"), Some(Handle(0x1_0000)));
        assert_eq!(Handle::parse_qdisc("1:5"), Some(Handle(0x1_0000)));
        assert_eq!(Handle::parse_qdisc("10000:"), None);
        assert_eq!(Handle::parse_qdisc("x"), None);
        assert_eq!(Handle::parse_classid("1:10"), Some(Handle(0x1_0010)));
        assert_eq!(Handle::parse_classid(":3"), Some(Handle(3)));
        assert_eq!(Handle::parse_classid("1:"), Some(Handle(0x1_0000)));
        assert_eq!(Handle::parse_classid("10003"), Some(Handle(0x1_0003)));
        assert_eq!(Handle::parse_classid("root"), Some(Handle::ROOT));
        assert_eq!(Handle::parse_classid("1:x"), None);
        assert_eq!(Handle::parse_classid("1:10000"), None);
    }

    #[test]
    fn prints_as_tc() {
        let s = |h: Handle| {
            let mut out = heapless::String::<16>::new();
            core::fmt::write(&mut out, format_args!("{h}")).unwrap();
            out
        };
        assert_eq!(s(Handle(0x1_0010)), "1:10");
        assert_eq!(s(Handle(0xffff_0000)), "ffff:");
        assert_eq!(s(Handle(0xffff_fff2)), "ffff:fff2");
        assert_eq!(s(Handle(7)), ":7");
        assert_eq!(s(Handle::UNSPEC), "none");
    }
}
