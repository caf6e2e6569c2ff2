//! Set key types: nft's datatype ids, lengths and byte orders, and their
//! values to and from nft's JSON.

use serde_json::{Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A key type this example supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyType {
    Ipv4,
    Ipv6,
    Ether,
    Service,
    Mark,
    Ifname,
    InetProto,
    /// A duration (nft's `time`): host-order milliseconds, in seconds in
    /// JSON.
    Time,
}

/// nft's `NFTNL_UDATA_SET_KEYBYTEORDER` values.
const BIG_ENDIAN: u8 = 2;
const HOST_ENDIAN: u8 = 1;

impl KeyType {
    pub(crate) fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "ipv4_addr" => Self::Ipv4,
            "ipv6_addr" => Self::Ipv6,
            "ether_addr" => Self::Ether,
            "inet_service" => Self::Service,
            "mark" => Self::Mark,
            "ifname" => Self::Ifname,
            "inet_proto" => Self::InetProto,
            "time" => Self::Time,
            _ => return None,
        })
    }
    pub(crate) fn by_id(id: u32) -> Option<Self> {
        Some(match id {
            7 => Self::Ipv4,
            8 => Self::Ipv6,
            9 => Self::Ether,
            13 => Self::Service,
            19 => Self::Mark,
            41 => Self::Ifname,
            12 => Self::InetProto,
            18 => Self::Time,
            _ => return None,
        })
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Ipv4 => "ipv4_addr",
            Self::Ipv6 => "ipv6_addr",
            Self::Ether => "ether_addr",
            Self::Service => "inet_service",
            Self::Mark => "mark",
            Self::Ifname => "ifname",
            Self::InetProto => "inet_proto",
            Self::Time => "time",
        }
    }
    pub(crate) fn id(self) -> u32 {
        match self {
            Self::Ipv4 => 7,
            Self::Ipv6 => 8,
            Self::Ether => 9,
            Self::Service => 13,
            Self::Mark => 19,
            Self::Ifname => 41,
            Self::InetProto => 12,
            Self::Time => 18,
        }
    }
    pub(crate) fn len(self) -> usize {
        match self {
            Self::Ipv4 | Self::Mark | Self::Time => 4,
            Self::Ipv6 | Self::Ifname => 16,
            Self::Ether => 6,
            Self::Service => 2,
            Self::InetProto => 1,
        }
    }
    /// Keys in host byte order (compared as little-endian numbers).
    pub(crate) fn host_order(self) -> bool {
        matches!(self, Self::Mark | Self::Ifname | Self::Time)
    }
    /// nft's byte order of the type (`BYTEORDER_*`; none for a 1-byte
    /// protocol number).
    pub(crate) fn byteorder(self) -> u32 {
        match self {
            Self::InetProto => 0,
            t if t.host_order() => u32::from(HOST_ENDIAN),
            _ => u32::from(BIG_ENDIAN),
        }
    }
    pub(crate) fn is_addr(self) -> bool {
        matches!(self, Self::Ipv4 | Self::Ipv6)
    }

    /// A JSON value as key bytes.
    pub(crate) fn encode(self, v: &Value) -> Result<Vec<u8>, String> {
        let bad = || format!("bad {} value {v}", self.name());
        match self {
            Self::Ipv4 => Ok(v
                .as_str()
                .and_then(|s| s.parse::<Ipv4Addr>().ok())
                .ok_or_else(bad)?
                .octets()
                .to_vec()),
            Self::Ipv6 => Ok(v
                .as_str()
                .and_then(|s| s.parse::<Ipv6Addr>().ok())
                .ok_or_else(bad)?
                .octets()
                .to_vec()),
            Self::Ether => {
                let s = v.as_str().ok_or_else(bad)?;
                let b: Vec<u8> = s
                    .split(':')
                    .map(|x| u8::from_str_radix(x, 16))
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad())?;
                if b.len() == 6 { Ok(b) } else { Err(bad()) }
            }
            Self::Service => Ok(v
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(bad)?
                .to_be_bytes()
                .to_vec()),
            Self::Mark => Ok(v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(bad)?
                .to_ne_bytes()
                .to_vec()),
            Self::Time => Ok(v
                .as_u64()
                .and_then(|n| u32::try_from(n * 1000).ok())
                .ok_or_else(bad)?
                .to_ne_bytes()
                .to_vec()),
            Self::InetProto => {
                let n = match v.as_str() {
                    Some(s) => crate::fields::proto_number(s),
                    None => v.as_u64().and_then(|n| u8::try_from(n).ok()),
                };
                Ok(vec![n.ok_or_else(bad)?])
            }
            Self::Ifname => {
                let s = v
                    .as_str()
                    .filter(|s| s.len() < 16 && !s.contains('*'))
                    .ok_or_else(bad)?;
                let mut b = vec![0u8; 16];
                b[..s.len()].copy_from_slice(s.as_bytes());
                Ok(b)
            }
        }
    }

    /// Key bytes as nft prints them.
    pub(crate) fn render(self, b: &[u8]) -> Option<Value> {
        Some(match self {
            Self::Ipv4 => json!(Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?).to_string()),
            Self::Ipv6 => json!(Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string()),
            Self::Ether => json!(
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<Vec<_>>()
                    .join(":")
            ),
            Self::Service => json!(u16::from_be_bytes(b.try_into().ok()?)),
            Self::Mark => json!(u32::from_ne_bytes(b.try_into().ok()?)),
            Self::Ifname => {
                let s = b.split(|&c| c == 0).next()?;
                json!(std::str::from_utf8(s).ok()?)
            }
            Self::Time => json!(u32::from_ne_bytes(b.try_into().ok()?) / 1000),
            Self::InetProto => {
                let [n] = b else { return None };
                crate::fields::proto_name(*n).map_or(json!(n), |s| json!(s))
            }
        })
    }
}

/// `b + 1` as a big-endian number; `None` on overflow.
pub(crate) fn succ(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = b.to_vec();
    for x in out.iter_mut().rev() {
        let (v, carry) = x.overflowing_add(1);
        *x = v;
        if !carry {
            return Some(out);
        }
    }
    None
}

/// `b - 1` as a big-endian number (`b` > 0).
pub(crate) fn pred(b: &[u8]) -> Vec<u8> {
    let mut out = b.to_vec();
    for x in out.iter_mut().rev() {
        let (v, borrow) = x.overflowing_sub(1);
        *x = v;
        if !borrow {
            break;
        }
    }
    out
}

/// If `[lo, hi]` is exactly one prefix, its length in bits.
pub(crate) fn prefix_len(lo: &[u8], hi: &[u8]) -> Option<u32> {
    let bits = u32::try_from(lo.len() * 8).ok()?;
    for len in 0..=bits {
        let mask: Vec<u8> = (0..lo.len())
            .map(|i| {
                let have = len
                    .saturating_sub(u32::try_from(i * 8).unwrap_or(u32::MAX))
                    .min(8);
                if have == 0 { 0 } else { 0xffu8 << (8 - have) }
            })
            .collect();
        let net: Vec<u8> = lo.iter().zip(&mask).map(|(a, m)| a & m).collect();
        let top: Vec<u8> = lo.iter().zip(&mask).map(|(a, m)| (a & m) | !m).collect();
        if net == lo && top == hi {
            return Some(len);
        }
    }
    None
}
