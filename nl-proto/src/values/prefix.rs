//! IP prefixes: an address and a prefix length (`10.0.0.1/24`, `fd00::/64`).
//!
//! The `ipnet` crate's types, which nl used to re-export, link the `alloc`
//! crate unconditionally, so a bare-metal program using nl-proto needed a
//! global allocator it never called. These are the same values with the
//! same names and the subset of methods netlink needs, in `core` only:
//! the address is kept as given (host bits included, as the kernel keeps an
//! interface address), [`trunc`](Ipv4Net::trunc) clears them.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

/// An IPv4 or IPv6 prefix.
///
/// ```
/// use nl_proto::IpNet;
///
/// let net: IpNet = "10.0.0.7/24".parse().unwrap();
/// assert_eq!(net.prefix_len(), 24);
/// assert_eq!(net.trunc().to_string(), "10.0.0.0/24");
/// assert!("fd00::1/129".parse::<IpNet>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpNet {
    /// An IPv4 prefix.
    V4(Ipv4Net),
    /// An IPv6 prefix.
    V6(Ipv6Net),
}

/// An IPv4 address and a prefix length of at most 32.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Net {
    addr: Ipv4Addr,
    len: u8,
}

/// An IPv6 address and a prefix length of at most 128.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv6Net {
    addr: Ipv6Addr,
    len: u8,
}

/// A prefix length longer than the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid IP prefix length")]
pub struct PrefixLenError;

/// Text that is not `ADDRESS/LENGTH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid IP prefix syntax")]
pub struct AddrParseError;

impl Ipv4Net {
    /// `addr/len`, or [`PrefixLenError`] when `len` is above 32.
    pub const fn new(addr: Ipv4Addr, len: u8) -> Result<Self, PrefixLenError> {
        if len > 32 {
            return Err(PrefixLenError);
        }
        Ok(Self { addr, len })
    }

    /// `addr/len` for a length known to be valid, e.g. in a constant.
    ///
    /// # Panics
    ///
    /// When `len` is above 32.
    pub const fn new_assert(addr: Ipv4Addr, len: u8) -> Self {
        assert!(len <= 32, "IPv4 prefix length above 32");
        Self { addr, len }
    }

    /// The address as given, host bits included.
    pub const fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// The prefix length.
    pub const fn prefix_len(&self) -> u8 {
        self.len
    }

    /// 32.
    pub const fn max_prefix_len(&self) -> u8 {
        32
    }

    /// The mask of the prefix's bits (`255.255.255.0` for a /24).
    pub const fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.mask())
    }

    /// The address with its host bits cleared.
    pub const fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.addr.to_bits() & self.mask())
    }

    /// The address with its host bits set.
    pub const fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.addr.to_bits() | !self.mask())
    }

    /// The prefix with its host bits cleared (`10.0.0.0/24` of `10.0.0.7/24`).
    pub const fn trunc(&self) -> Self {
        Self {
            addr: self.network(),
            len: self.len,
        }
    }

    /// Whether `addr` is inside the prefix.
    pub const fn contains(&self, addr: &Ipv4Addr) -> bool {
        addr.to_bits() & self.mask() == self.network().to_bits()
    }

    const fn mask(&self) -> u32 {
        // `checked_shl` keeps a /0 from shifting by the width.
        match u32::MAX.checked_shl(32 - self.len as u32) {
            Some(m) => m,
            None => 0,
        }
    }
}

impl Ipv6Net {
    /// `addr/len`, or [`PrefixLenError`] when `len` is above 128.
    pub const fn new(addr: Ipv6Addr, len: u8) -> Result<Self, PrefixLenError> {
        if len > 128 {
            return Err(PrefixLenError);
        }
        Ok(Self { addr, len })
    }

    /// `addr/len` for a length known to be valid, e.g. in a constant.
    ///
    /// # Panics
    ///
    /// When `len` is above 128.
    pub const fn new_assert(addr: Ipv6Addr, len: u8) -> Self {
        assert!(len <= 128, "IPv6 prefix length above 128");
        Self { addr, len }
    }

    /// The address as given, host bits included.
    pub const fn addr(&self) -> Ipv6Addr {
        self.addr
    }

    /// The prefix length.
    pub const fn prefix_len(&self) -> u8 {
        self.len
    }

    /// 128.
    pub const fn max_prefix_len(&self) -> u8 {
        128
    }

    /// The mask of the prefix's bits (`ffff:ffff:ffff:ffff::` for a /64).
    pub const fn netmask(&self) -> Ipv6Addr {
        Ipv6Addr::from_bits(self.mask())
    }

    /// The address with its host bits cleared.
    pub const fn network(&self) -> Ipv6Addr {
        Ipv6Addr::from_bits(self.addr.to_bits() & self.mask())
    }

    /// The address with its host bits set.
    pub const fn broadcast(&self) -> Ipv6Addr {
        Ipv6Addr::from_bits(self.addr.to_bits() | !self.mask())
    }

    /// The prefix with its host bits cleared.
    pub const fn trunc(&self) -> Self {
        Self {
            addr: self.network(),
            len: self.len,
        }
    }

    /// Whether `addr` is inside the prefix.
    pub const fn contains(&self, addr: &Ipv6Addr) -> bool {
        addr.to_bits() & self.mask() == self.network().to_bits()
    }

    const fn mask(&self) -> u128 {
        match u128::MAX.checked_shl(128 - self.len as u32) {
            Some(m) => m,
            None => 0,
        }
    }
}

impl IpNet {
    /// `addr/len` in the address's family, or [`PrefixLenError`] when `len`
    /// is longer than the address.
    pub const fn new(addr: IpAddr, len: u8) -> Result<Self, PrefixLenError> {
        match addr {
            IpAddr::V4(a) => match Ipv4Net::new(a, len) {
                Ok(n) => Ok(Self::V4(n)),
                Err(e) => Err(e),
            },
            IpAddr::V6(a) => match Ipv6Net::new(a, len) {
                Ok(n) => Ok(Self::V6(n)),
                Err(e) => Err(e),
            },
        }
    }

    /// The address as given, host bits included.
    pub const fn addr(&self) -> IpAddr {
        match self {
            Self::V4(n) => IpAddr::V4(n.addr),
            Self::V6(n) => IpAddr::V6(n.addr),
        }
    }

    /// The prefix length.
    pub const fn prefix_len(&self) -> u8 {
        match self {
            Self::V4(n) => n.len,
            Self::V6(n) => n.len,
        }
    }

    /// 32 or 128: the address's length in bits.
    pub const fn max_prefix_len(&self) -> u8 {
        match self {
            Self::V4(_) => 32,
            Self::V6(_) => 128,
        }
    }

    /// The mask of the prefix's bits.
    pub const fn netmask(&self) -> IpAddr {
        match self {
            Self::V4(n) => IpAddr::V4(n.netmask()),
            Self::V6(n) => IpAddr::V6(n.netmask()),
        }
    }

    /// The address with its host bits cleared.
    pub const fn network(&self) -> IpAddr {
        match self {
            Self::V4(n) => IpAddr::V4(n.network()),
            Self::V6(n) => IpAddr::V6(n.network()),
        }
    }

    /// The address with its host bits set.
    pub const fn broadcast(&self) -> IpAddr {
        match self {
            Self::V4(n) => IpAddr::V4(n.broadcast()),
            Self::V6(n) => IpAddr::V6(n.broadcast()),
        }
    }

    /// The prefix with its host bits cleared.
    pub const fn trunc(&self) -> Self {
        match self {
            Self::V4(n) => Self::V4(n.trunc()),
            Self::V6(n) => Self::V6(n.trunc()),
        }
    }

    /// Whether `other` (an address, or a prefix as long or longer) is
    /// inside the prefix; never for the other family.
    ///
    /// ```
    /// use nl_proto::IpNet;
    ///
    /// let net: IpNet = "10.0.0.0/8".parse().unwrap();
    /// assert!(net.contains(&"10.1.0.0/16".parse::<IpNet>().unwrap()));
    /// assert!(net.contains(&"10.0.0.1".parse::<core::net::IpAddr>().unwrap()));
    /// assert!(!net.contains(&"0.0.0.0/0".parse::<IpNet>().unwrap()));
    /// ```
    pub fn contains<T: Member>(&self, other: T) -> bool {
        let (addr, len) = other.as_prefix();
        len >= self.prefix_len()
            && match (self, addr) {
                (Self::V4(n), IpAddr::V4(a)) => n.contains(&a),
                (Self::V6(n), IpAddr::V6(a)) => n.contains(&a),
                _ => false,
            }
    }
}

/// What [`IpNet::contains`] takes: `&IpAddr` or `&IpNet`.
pub trait Member: sealed::Sealed {
    /// The address and its prefix length (the address's width for an
    /// address).
    fn as_prefix(&self) -> (IpAddr, u8);
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for &core::net::IpAddr {}
    impl Sealed for &super::IpNet {}
}

impl Member for &IpAddr {
    fn as_prefix(&self) -> (IpAddr, u8) {
        (**self, if self.is_ipv4() { 32 } else { 128 })
    }
}

impl Member for &IpNet {
    fn as_prefix(&self) -> (IpAddr, u8) {
        (self.addr(), self.prefix_len())
    }
}

/// `0.0.0.0/0`.
impl Default for Ipv4Net {
    fn default() -> Self {
        Self::new_assert(Ipv4Addr::UNSPECIFIED, 0)
    }
}

/// `::/0`.
impl Default for Ipv6Net {
    fn default() -> Self {
        Self::new_assert(Ipv6Addr::UNSPECIFIED, 0)
    }
}

/// `0.0.0.0/0`.
impl Default for IpNet {
    fn default() -> Self {
        Self::V4(Ipv4Net::default())
    }
}

/// A host prefix: `/32`.
impl From<Ipv4Addr> for Ipv4Net {
    fn from(addr: Ipv4Addr) -> Self {
        Self::new_assert(addr, 32)
    }
}

/// A host prefix: `/128`.
impl From<Ipv6Addr> for Ipv6Net {
    fn from(addr: Ipv6Addr) -> Self {
        Self::new_assert(addr, 128)
    }
}

/// A host prefix: `/32` or `/128`.
impl From<IpAddr> for IpNet {
    fn from(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(a) => Self::V4(a.into()),
            IpAddr::V6(a) => Self::V6(a.into()),
        }
    }
}

impl From<Ipv4Net> for IpNet {
    fn from(net: Ipv4Net) -> Self {
        Self::V4(net)
    }
}

impl From<Ipv6Net> for IpNet {
    fn from(net: Ipv6Net) -> Self {
        Self::V6(net)
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

impl fmt::Display for Ipv6Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::V4(n) => n.fmt(f),
            Self::V6(n) => n.fmt(f),
        }
    }
}

// Debug is the text form: a prefix in a test failure reads `10.0.0.0/24`.
impl fmt::Debug for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Ipv6Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `ADDRESS/LENGTH`, the length as one to three decimal digits (no sign).
fn split(s: &str) -> Result<(&str, u8), AddrParseError> {
    let (addr, len) = s.split_once('/').ok_or(AddrParseError)?;
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddrParseError);
    }
    Ok((addr, len.parse().map_err(|_| AddrParseError)?))
}

impl FromStr for Ipv4Net {
    type Err = AddrParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, len) = split(s)?;
        Self::new(addr.parse().map_err(|_| AddrParseError)?, len).map_err(|_| AddrParseError)
    }
}

impl FromStr for Ipv6Net {
    type Err = AddrParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, len) = split(s)?;
        Self::new(addr.parse().map_err(|_| AddrParseError)?, len).map_err(|_| AddrParseError)
    }
}

impl FromStr for IpNet {
    type Err = AddrParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, len) = split(s)?;
        Self::new(addr.parse().map_err(|_| AddrParseError)?, len).map_err(|_| AddrParseError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    fn text(net: impl fmt::Display) -> heapless::String<64> {
        let mut s = heapless::String::new();
        write!(s, "{net}").unwrap();
        s
    }

    #[test]
    fn parses_and_prints_both_families() {
        for s in [
            "10.0.0.7/24",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "fd00::1/64",
            "::/0",
            "::1/128",
        ] {
            assert_eq!(text(s.parse::<IpNet>().unwrap()).as_str(), s);
        }
    }

    #[test]
    fn refuses_what_is_not_a_prefix() {
        for s in [
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0.0/+8",
            "10.0.0.0/ 8",
            "10.0.0.0/8/8",
            "10.0.0/8",
            "/8",
            "10.0.0.0/1000",
        ] {
            assert_eq!(s.parse::<IpNet>(), Err(AddrParseError), "{s}");
        }
        assert_eq!("fd00::/64".parse::<Ipv4Net>(), Err(AddrParseError));
        assert_eq!("10.0.0.0/8".parse::<Ipv6Net>(), Err(AddrParseError));
    }

    #[test]
    fn masks_at_every_length() {
        let a = Ipv4Addr::new(10, 1, 2, 3);
        assert_eq!(Ipv4Net::new_assert(a, 0).network(), Ipv4Addr::UNSPECIFIED);
        assert_eq!(Ipv4Net::new_assert(a, 0).broadcast(), Ipv4Addr::BROADCAST);
        assert_eq!(Ipv4Net::new_assert(a, 32).network(), a);
        assert_eq!(
            Ipv4Net::new_assert(a, 24).broadcast(),
            Ipv4Addr::new(10, 1, 2, 255)
        );
        assert_eq!(
            Ipv4Net::new_assert(a, 24).netmask(),
            Ipv4Addr::new(255, 255, 255, 0)
        );
        assert_eq!(
            Ipv4Net::new_assert(a, 20).trunc(),
            "10.1.0.0/20".parse().unwrap()
        );
        let b: Ipv6Net = "fd00:1:2:3:4:5:6:7/64".parse().unwrap();
        assert_eq!(text(b.trunc()).as_str(), "fd00:1:2:3::/64");
        assert_eq!(
            Ipv6Net::new_assert(Ipv6Addr::LOCALHOST, 0).network(),
            Ipv6Addr::UNSPECIFIED
        );
        assert_eq!(
            Ipv6Net::new_assert(Ipv6Addr::LOCALHOST, 128).network(),
            Ipv6Addr::LOCALHOST
        );
        for len in 0..=32 {
            let n = Ipv4Net::new_assert(Ipv4Addr::BROADCAST, len);
            assert_eq!(n.netmask().to_bits().count_ones(), u32::from(len));
        }
        for len in 0..=128 {
            let n = Ipv6Net::new_assert(Ipv6Addr::from_bits(u128::MAX), len);
            assert_eq!(n.netmask().to_bits().count_ones(), u32::from(len));
        }
    }

    #[test]
    fn contains_only_its_family_and_range() {
        let n: IpNet = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains(&"10.255.0.1".parse::<IpAddr>().unwrap()));
        assert!(!n.contains(&"11.0.0.1".parse::<IpAddr>().unwrap()));
        assert!(!n.contains(&"::a00:1".parse::<IpAddr>().unwrap()));
    }

    #[test]
    fn orders_by_family_then_address_then_length() {
        let a: IpNet = "10.0.0.0/8".parse().unwrap();
        let b: IpNet = "10.0.0.0/16".parse().unwrap();
        let c: IpNet = "9.0.0.0/32".parse().unwrap();
        let d: IpNet = "::/0".parse().unwrap();
        assert!(c < a && a < b && b < d);
    }

    #[test]
    fn lengths_past_the_address_are_refused() {
        assert_eq!(Ipv4Net::new(Ipv4Addr::UNSPECIFIED, 33), Err(PrefixLenError));
        assert_eq!(
            IpNet::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 129),
            Err(PrefixLenError)
        );
        assert_eq!(
            IpNet::from(IpAddr::V6(Ipv6Addr::LOCALHOST)).prefix_len(),
            128
        );
    }
}
