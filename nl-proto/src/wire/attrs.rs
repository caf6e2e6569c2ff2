//! Netlink attributes (`struct nlattr`): a TLV walk and typed getters.
//!
//! ```text
//!  0       2       4
//! +-------+-------+----------------------+---------+
//! | len   | type  | payload (len - 4)    | padding |
//! +-------+-------+----------------------+---------+
//! type bit 15: NLA_F_NESTED, bit 14: NLA_F_NET_BYTEORDER
//! ```

use crate::DecodeError;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use zerocopy::{FromBytes, IntoBytes};

/// `NLA_F_NESTED`.
const NESTED: u16 = 1 << 15;
/// `NLA_F_NET_BYTEORDER`.
const NET_BYTEORDER: u16 = 1 << 14;
/// `NLA_TYPE_MASK`.
const TYPE_MASK: u16 = !(NESTED | NET_BYTEORDER);
/// `NLA_HDRLEN`.
const ATTR_HEADER: usize = 4;

/// One attribute: its type (flag bits removed) and its payload.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_type: u16,
    payload: &'a [u8],
}

impl core::fmt::Debug for Attr<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Attr")
            .field("kind", &self.kind())
            .field("len", &self.payload.len())
            .finish()
    }
}

impl<'a> Attr<'a> {
    /// Make an attribute view by hand (for tests and for callers that
    /// synthesise attributes).
    pub const fn new(kind: u16, payload: &'a [u8]) -> Self {
        Self {
            raw_type: kind,
            payload,
        }
    }

    /// The attribute type without the `NLA_F_*` flag bits.
    pub fn kind(&self) -> u16 {
        self.raw_type & TYPE_MASK
    }
    /// Whether `NLA_F_NESTED` is set. The kernel does not set it
    /// consistently, so [`Attr::nested`] does not require it.
    pub fn is_nested_flagged(&self) -> bool {
        self.raw_type & NESTED != 0
    }
    /// Whether `NLA_F_NET_BYTEORDER` is set. Most families fix each
    /// attribute's byte order (use the plain or `be*` getters); for those
    /// that mark big-endian values with the flag (ipset), the `*_by_flag`
    /// getters follow it.
    pub fn is_net_byteorder_flagged(&self) -> bool {
        self.raw_type & NET_BYTEORDER != 0
    }
    /// The payload without padding.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    fn exact<const N: usize>(&self) -> Result<[u8; N], DecodeError> {
        <[u8; N]>::try_from(self.payload).map_err(|_| DecodeError::AttrSize {
            kind: self.kind(),
            expected: N,
            got: self.payload.len(),
        })
    }

    /// A `u8`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless the payload is exactly 1 byte; likewise
    /// for every fixed-size getter below.
    pub fn u8(&self) -> Result<u8, DecodeError> {
        self.exact::<1>().map(|b| b[0])
    }
    /// A host-order `u16`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 2 bytes.
    pub fn u16(&self) -> Result<u16, DecodeError> {
        self.exact().map(u16::from_ne_bytes)
    }
    /// A host-order `u32`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 4 bytes.
    pub fn u32(&self) -> Result<u32, DecodeError> {
        self.exact().map(u32::from_ne_bytes)
    }
    /// A host-order `i32`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 4 bytes.
    pub fn i32(&self) -> Result<i32, DecodeError> {
        self.exact().map(i32::from_ne_bytes)
    }
    /// A host-order `u64`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 8 bytes.
    pub fn u64(&self) -> Result<u64, DecodeError> {
        self.exact().map(u64::from_ne_bytes)
    }
    /// A network-order (big-endian) `u16`, e.g. a port number.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 2 bytes.
    pub fn be16(&self) -> Result<u16, DecodeError> {
        self.exact().map(u16::from_be_bytes)
    }
    /// A network-order (big-endian) `u32`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 4 bytes.
    pub fn be32(&self) -> Result<u32, DecodeError> {
        self.exact().map(u32::from_be_bytes)
    }
    /// A network-order (big-endian) `u64`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 8 bytes.
    pub fn be64(&self) -> Result<u64, DecodeError> {
        self.exact().map(u64::from_be_bytes)
    }
    /// A `u16` in the byte order the attribute's `NLA_F_NET_BYTEORDER`
    /// flag says: big-endian when set, host order otherwise.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 2 bytes.
    pub fn u16_by_flag(&self) -> Result<u16, DecodeError> {
        if self.is_net_byteorder_flagged() {
            self.be16()
        } else {
            self.u16()
        }
    }
    /// A `u32` in the byte order its `NLA_F_NET_BYTEORDER` flag says.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 4 bytes.
    pub fn u32_by_flag(&self) -> Result<u32, DecodeError> {
        if self.is_net_byteorder_flagged() {
            self.be32()
        } else {
            self.u32()
        }
    }
    /// A `u64` in the byte order its `NLA_F_NET_BYTEORDER` flag says.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 8 bytes.
    pub fn u64_by_flag(&self) -> Result<u64, DecodeError> {
        if self.is_net_byteorder_flagged() {
            self.be64()
        } else {
            self.u64()
        }
    }
    /// An IPv4 address (4 bytes, network order).
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 4 bytes.
    pub fn ipv4(&self) -> Result<Ipv4Addr, DecodeError> {
        self.exact::<4>().map(Ipv4Addr::from)
    }
    /// An IPv6 address (16 bytes).
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless exactly 16 bytes.
    pub fn ipv6(&self) -> Result<Ipv6Addr, DecodeError> {
        self.exact::<16>().map(Ipv6Addr::from)
    }
    /// An IPv4 or IPv6 address, told apart by length.
    ///
    /// # Errors
    ///
    /// [`DecodeError::AttrSize`] unless 4 or 16 bytes; its `expected` is
    /// whichever of the two is nearer the size found.
    pub fn ip(&self) -> Result<IpAddr, DecodeError> {
        match self.payload.len() {
            4 => self.ipv4().map(IpAddr::V4),
            16 => self.ipv6().map(IpAddr::V6),
            got => Err(DecodeError::AttrSize {
                kind: self.kind(),
                expected: if got <= 10 { 4 } else { 16 },
                got,
            }),
        }
    }
    /// The bytes of a NUL-terminated string, without the NUL (`NLA_NUL_STRING`,
    /// and `NLA_STRING` as the kernel emits it).
    ///
    /// # Errors
    ///
    /// [`DecodeError::NotNulTerminated`] if there is no NUL.
    pub fn cstr_bytes(&self) -> Result<&'a [u8], DecodeError> {
        let nul = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .ok_or(DecodeError::NotNulTerminated { kind: self.kind() })?;
        Ok(self.payload.get(..nul).unwrap_or_default())
    }
    /// A NUL-terminated UTF-8 string, without the NUL.
    ///
    /// # Errors
    ///
    /// [`DecodeError::NotNulTerminated`], or [`DecodeError::NotUtf8`].
    pub fn cstr(&self) -> Result<&'a str, DecodeError> {
        core::str::from_utf8(self.cstr_bytes()?)
            .map_err(|_| DecodeError::NotUtf8 { kind: self.kind() })
    }
    /// A string that may or may not end in NUL: everything up to the first
    /// NUL, or the whole payload.
    ///
    /// # Errors
    ///
    /// [`DecodeError::NotUtf8`].
    pub fn str(&self) -> Result<&'a str, DecodeError> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        let bytes = self.payload.get(..end).unwrap_or_default();
        core::str::from_utf8(bytes).map_err(|_| DecodeError::NotUtf8 { kind: self.kind() })
    }
    /// The attributes nested in this one. `NLA_F_NESTED` is not required.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
    /// A fixed kernel struct. Kernel structs inside attributes grow over
    /// time, so a longer payload is accepted (the extra bytes are ignored)
    /// and a shorter one is zero-filled.
    pub fn read_struct<T: FromBytes + IntoBytes>(&self) -> T {
        let mut value = T::new_zeroed();
        let dst = value.as_mut_bytes();
        let n = dst.len().min(self.payload.len());
        if let (Some(d), Some(s)) = (dst.get_mut(..n), self.payload.get(..n)) {
            d.copy_from_slice(s);
        }
        value
    }
}

/// Iterator over an attribute stream. Yields `Err` once on a malformed
/// length, then `None`.
///
/// ```
/// use nl_proto::wire::Attrs;
/// // IFLA_MTU (4) = 1500, then IFLA_IFNAME (3) = "lo\0" padded to 8.
/// let bytes = [8, 0, 4, 0, 0xdc, 0x05, 0, 0, 7, 0, 3, 0, b'l', b'o', 0, 0];
/// let mut attrs = Attrs::new(&bytes);
/// assert_eq!(attrs.next().unwrap()?.u32()?, 1500);
/// assert_eq!(attrs.next().unwrap()?.cstr()?, "lo");
/// assert!(attrs.next().is_none());
/// # Ok::<(), nl_proto::DecodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Walk the attributes in `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// The first attribute of type `kind`, skipping malformed tails.
    pub fn find(self, kind: u16) -> Option<Attr<'a>> {
        self.map_while(Result::ok).find(|a| a.kind() == kind)
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let Some((head, _)) = self.rest.split_first_chunk::<ATTR_HEADER>() else {
            let have = self.rest.len();
            self.rest = &[];
            return Some(Err(DecodeError::Truncated {
                what: "nlattr",
                need: ATTR_HEADER,
                have,
            }));
        };
        let [l0, l1, t0, t1] = *head;
        let len = usize::from(u16::from_ne_bytes([l0, l1]));
        let (Some(payload), true) = (self.rest.get(ATTR_HEADER..len), len >= ATTR_HEADER) else {
            self.rest = &[];
            return Some(Err(DecodeError::BadLength {
                what: "nla_len",
                len,
            }));
        };
        // The last attribute may omit its padding.
        let used = super::align(len).unwrap_or(len).min(self.rest.len());
        self.rest = self.rest.get(used..).unwrap_or_default();
        Some(Ok(Attr {
            raw_type: u16::from_ne_bytes([t0, t1]),
            payload,
        }))
    }
}

impl core::iter::FusedIterator for Attrs<'_> {}

/// A one-pass index of an attribute stream by type, in the manner of
/// libmnl's `tb[]`: slot `k` holds the last attribute of type `k`.
///
/// Types `>= N` are ignored. A framing error stops the walk; the attributes
/// before it stay readable and the error is kept in [`AttrTable::error`].
///
/// ```
/// use nl_proto::wire::{AttrTable, Attrs};
/// let bytes = [8, 0, 4, 0, 0xdc, 0x05, 0, 0, 0xff, 0xff]; // MTU, then junk
/// let tb = AttrTable::<8>::parse(Attrs::new(&bytes));
/// assert_eq!(tb.get(4).unwrap().u32()?, 1500);
/// assert!(tb.error().is_some());
/// # Ok::<(), nl_proto::DecodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AttrTable<'a, const N: usize> {
    slots: [Option<Attr<'a>>; N],
    error: Option<DecodeError>,
}

impl<'a, const N: usize> AttrTable<'a, N> {
    /// Index every attribute in `attrs`.
    pub fn parse(attrs: Attrs<'a>) -> Self {
        let mut slots = [None; N];
        let mut error = None;
        for item in attrs {
            match item {
                Ok(attr) => {
                    if let Some(slot) = slots.get_mut(usize::from(attr.kind())) {
                        *slot = Some(attr);
                    }
                }
                Err(e) => error = Some(e),
            }
        }
        Self { slots, error }
    }
    /// The attribute of type `kind`, if present.
    pub fn get(&self, kind: u16) -> Option<Attr<'a>> {
        self.slots.get(usize::from(kind)).copied().flatten()
    }
    /// The framing error that ended the walk early, if any.
    pub fn error(&self) -> Option<DecodeError> {
        self.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getters_check_exact_size() {
        let a = Attr::new(1, &[1, 2, 3]);
        assert_eq!(
            a.u32(),
            Err(DecodeError::AttrSize {
                kind: 1,
                expected: 4,
                got: 3
            })
        );
        assert_eq!(Attr::new(1, &[0x12, 0x34]).be16(), Ok(0x1234));
        assert_eq!(Attr::new(1, &0x1234u16.to_ne_bytes()).u16(), Ok(0x1234));
        assert_eq!(Attr::new(1, &[7]).u8(), Ok(7));
        assert_eq!(Attr::new(1, &u64::MAX.to_ne_bytes()).u64(), Ok(u64::MAX));
        assert_eq!(
            Attr::new(1, &[10, 0, 0, 1]).ip(),
            Ok(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)))
        );
        assert!(Attr::new(1, &[0; 5]).ip().is_err());
        assert_eq!(
            Attr::new(1, &[0; 16]).ip(),
            Ok(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
        );
    }

    #[test]
    fn strings() {
        assert_eq!(Attr::new(3, b"eth0\0").cstr(), Ok("eth0"));
        assert_eq!(
            Attr::new(3, b"eth0").cstr(),
            Err(DecodeError::NotNulTerminated { kind: 3 })
        );
        assert_eq!(Attr::new(3, b"eth0").str(), Ok("eth0"));
        assert_eq!(
            Attr::new(3, b"\xff\0").cstr(),
            Err(DecodeError::NotUtf8 { kind: 3 })
        );
    }

    #[test]
    fn flags_are_masked_from_kind() {
        let bytes = [8, 0, 0x12, 0x80, 4, 0, 1, 0];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert_eq!(a.kind(), 0x12);
        assert!(a.is_nested_flagged());
        let inner = a.nested().next().unwrap().unwrap();
        assert_eq!(inner.kind(), 1);
        assert!(inner.payload().is_empty());
    }

    #[test]
    fn structs_grow_and_shrink() {
        #[derive(FromBytes, IntoBytes, zerocopy::Immutable, Debug, PartialEq)]
        #[repr(C)]
        struct Two {
            a: u32,
            b: u32,
        }
        let long = [1, 0, 0, 0, 2, 0, 0, 0, 9, 9];
        let v: Two = Attr::new(1, &long).read_struct();
        assert_eq!(
            v,
            Two {
                a: u32::from_ne_bytes([1, 0, 0, 0]),
                b: u32::from_ne_bytes([2, 0, 0, 0])
            }
        );
        let v: Two = Attr::new(1, &long[..4]).read_struct();
        assert_eq!(v.b, 0);
    }

    #[test]
    fn rejects_nest_longer_than_parent() {
        // outer attr of length 8 whose inner claims 12
        let bytes = [8, 0, 1, 0, 12, 0, 2, 0];
        let outer = Attrs::new(&bytes).next().unwrap().unwrap();
        let mut inner = outer.nested();
        assert!(matches!(
            inner.next(),
            Some(Err(DecodeError::BadLength { len: 12, .. }))
        ));
        assert!(inner.next().is_none());
    }

    #[test]
    fn rejects_short_lengths() {
        for bytes in [&[0u8, 0, 1, 0][..], &[3, 0, 1, 0], &[4, 0, 1]] {
            let mut it = Attrs::new(bytes);
            assert!(it.next().unwrap().is_err());
            assert!(it.next().is_none());
        }
    }

    #[test]
    fn table_keeps_last_and_tolerates_junk() {
        let bytes = [
            5, 0, 1, 0, 1, 0, 0, 0, 5, 0, 1, 0, 2, 0, 0, 0, 5, 0, 40, 0, 3, 0, 0, 0, 9,
        ];
        let tb = AttrTable::<4>::parse(Attrs::new(&bytes));
        assert_eq!(tb.get(1).unwrap().u8(), Ok(2));
        assert!(tb.get(40).is_none());
        assert!(tb.get(2).is_none());
        assert!(tb.error().is_some());
    }

    #[test]
    fn byte_order_follows_the_flag() {
        let be = Attr::new(0x4000 | 7, &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(be.kind(), 7);
        assert_eq!(be.u32_by_flag(), Ok(0x1234_5678));
        let host = Attr::new(7, &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(
            host.u32_by_flag(),
            Ok(u32::from_ne_bytes([0x12, 0x34, 0x56, 0x78]))
        );
        assert_eq!(Attr::new(0x4001, &[1, 2]).u16_by_flag(), Ok(0x0102));
        assert_eq!(
            Attr::new(0x4001, &[0, 0, 0, 0, 0, 0, 1, 2]).u64_by_flag(),
            Ok(0x0102)
        );
        assert!(Attr::new(0x4001, &[1]).u16_by_flag().is_err());
    }

    #[test]
    fn ip_size_error_names_the_nearer_size() {
        let expected = |n: usize| match Attr::new(1, &[0; 32][..n]).ip() {
            Err(DecodeError::AttrSize { expected, .. }) => expected,
            other => panic!("{other:?}"),
        };
        assert_eq!(expected(1), 4);
        assert_eq!(expected(5), 4);
        assert_eq!(expected(12), 16);
        assert_eq!(expected(17), 16);
    }
}
