//! How a kind's options (`IFLA_INFO_DATA`, `IFLA_INFO_SLAVE_DATA`) are
//! read and written: [`OptValue`], one wire form per type, and
//! `kind_options!`, which declares an options struct from a list of
//! `(field, type, attribute)` so that its decoder and encoder cannot
//! disagree about a field.
//!
//! Every field is an `Option`: `None` when the kernel did not send the
//! attribute (or sent a malformed one; decoding is best effort, as for the
//! rest of [`LinkInfoData`](super::LinkInfoData)), and not written when
//! encoding. Fields are written in their declaration order, which follows
//! iproute2's where a golden vector pins it.

use crate::values::Mac;
use crate::wire::{Attr, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One attribute's wire form: how a value of `Self::Value` is read from an
/// attribute and written as one.
pub trait OptValue {
    /// The typed value a field holds.
    type Value;
    /// Read it.
    ///
    /// # Errors
    ///
    /// The attribute's size or content does not fit the form.
    fn read(attr: &Attr<'_>) -> Result<Self::Value, DecodeError>;
    /// Write it as attribute `kind`.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`].
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Self::Value) -> Result<(), EncodeError>;
}

macro_rules! native_form {
    ($($ty:ty => $get:ident, $put:ident;)*) => {$(
        impl OptValue for $ty {
            type Value = $ty;
            fn read(attr: &Attr<'_>) -> Result<$ty, DecodeError> {
                attr.$get()
            }
            fn put(w: &mut MsgWriter<'_>, kind: u16, v: &$ty) -> Result<(), EncodeError> {
                w.$put(kind, *v)
            }
        }
    )*};
}

native_form! {
    u8 => u8, put_u8;
    u16 => u16, put_u16;
    u32 => u32, put_u32;
    u64 => u64, put_u64;
    i32 => i32, put_i32;
}

/// A big-endian u16 on the wire (a port, a protocol), host order in the
/// field.
pub struct Be16;
impl OptValue for Be16 {
    type Value = u16;
    fn read(attr: &Attr<'_>) -> Result<u16, DecodeError> {
        attr.be16()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &u16) -> Result<(), EncodeError> {
        w.put_be16(kind, *v)
    }
}

/// A big-endian u32 on the wire (a GRE key, a flow label), host order in
/// the field.
pub struct Be32;
impl OptValue for Be32 {
    type Value = u32;
    fn read(attr: &Attr<'_>) -> Result<u32, DecodeError> {
        attr.be32()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &u32) -> Result<(), EncodeError> {
        w.put_be32(kind, *v)
    }
}

/// A u8 that is 0 or 1 (`on`/`off` options); any non-zero reads as true.
pub struct U8Bool;
impl OptValue for U8Bool {
    type Value = bool;
    fn read(attr: &Attr<'_>) -> Result<bool, DecodeError> {
        Ok(attr.u8()? != 0)
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &bool) -> Result<(), EncodeError> {
        w.put_u8(kind, u8::from(*v))
    }
}

/// A flag attribute (no payload): present is `true`; `false` is not
/// written.
pub struct Flag;
impl OptValue for Flag {
    type Value = bool;
    fn read(_attr: &Attr<'_>) -> Result<bool, DecodeError> {
        Ok(true)
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &bool) -> Result<(), EncodeError> {
        if *v { w.put_flag(kind) } else { Ok(()) }
    }
}

impl OptValue for Mac {
    type Value = Mac;
    fn read(attr: &Attr<'_>) -> Result<Mac, DecodeError> {
        <[u8; 6]>::try_from(attr.payload())
            .map(Mac)
            .map_err(|_| DecodeError::AttrSize {
                kind: attr.kind(),
                expected: 6,
                got: attr.payload().len(),
            })
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Mac) -> Result<(), EncodeError> {
        w.put(kind, &v.0)
    }
}

impl OptValue for Ipv4Addr {
    type Value = Ipv4Addr;
    fn read(attr: &Attr<'_>) -> Result<Ipv4Addr, DecodeError> {
        attr.ipv4()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Ipv4Addr) -> Result<(), EncodeError> {
        w.put(kind, &v.octets())
    }
}

impl OptValue for Ipv6Addr {
    type Value = Ipv6Addr;
    fn read(attr: &Attr<'_>) -> Result<Ipv6Addr, DecodeError> {
        attr.ipv6()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Ipv6Addr) -> Result<(), EncodeError> {
        w.put(kind, &v.octets())
    }
}

/// 4 or 16 bytes: an IPv4 or IPv6 address (tunnel endpoints).
impl OptValue for IpAddr {
    type Value = IpAddr;
    fn read(attr: &Attr<'_>) -> Result<IpAddr, DecodeError> {
        attr.ip()
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &IpAddr) -> Result<(), EncodeError> {
        w.put_ip(kind, *v)
    }
}

/// Two big-endian u16 (`struct ifla_geneve_port_range`,
/// `struct ifla_vxlan_port_range`): low and high UDP source port.
pub struct PortRange;
impl OptValue for PortRange {
    type Value = (u16, u16);
    fn read(attr: &Attr<'_>) -> Result<(u16, u16), DecodeError> {
        match *attr.payload() {
            [a, b, c, d] => Ok((u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]))),
            _ => Err(DecodeError::AttrSize {
                kind: attr.kind(),
                expected: 4,
                got: attr.payload().len(),
            }),
        }
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &(u16, u16)) -> Result<(), EncodeError> {
        let (lo, hi) = (v.0.to_be_bytes(), v.1.to_be_bytes());
        w.put(kind, &[lo[0], lo[1], hi[0], hi[1]])
    }
}

/// Two native u32 (`struct ifla_vlan_flags`, `struct br_boolopt_multi`):
/// a value and the mask of bits it sets.
pub struct ValueMask;
impl OptValue for ValueMask {
    type Value = (u32, u32);
    fn read(attr: &Attr<'_>) -> Result<(u32, u32), DecodeError> {
        match *attr.payload() {
            [a, b, c, d, e, f, g, h] => Ok((
                u32::from_ne_bytes([a, b, c, d]),
                u32::from_ne_bytes([e, f, g, h]),
            )),
            _ => Err(DecodeError::AttrSize {
                kind: attr.kind(),
                expected: 8,
                got: attr.payload().len(),
            }),
        }
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &(u32, u32)) -> Result<(), EncodeError> {
        w.put_parts(kind, &[&v.0.to_ne_bytes(), &v.1.to_ne_bytes()])
    }
}

/// `struct ifla_bridge_id`: a bridge's priority (two bytes, as iproute2
/// prints them: big-endian) and MAC address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BridgeId {
    /// The priority bytes, most significant first (`8000` by default).
    pub prio: [u8; 2],
    /// The bridge's address.
    pub addr: Mac,
}

impl OptValue for BridgeId {
    type Value = BridgeId;
    fn read(attr: &Attr<'_>) -> Result<BridgeId, DecodeError> {
        match *attr.payload() {
            [p0, p1, a, b, c, d, e, f] => Ok(BridgeId {
                prio: [p0, p1],
                addr: Mac([a, b, c, d, e, f]),
            }),
            _ => Err(DecodeError::AttrSize {
                kind: attr.kind(),
                expected: 8,
                got: attr.payload().len(),
            }),
        }
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &BridgeId) -> Result<(), EncodeError> {
        w.put_parts(kind, &[&v.prio, &v.addr.0])
    }
}

/// Declare an options struct: fields, `from_attrs` and `put`.
macro_rules! kind_options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident: $attr:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident: $form:ty = $kind:ident,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: Option<<$form as $crate::route::link::options::OptValue>::Value>,
            )*
        }

        impl $name {
            /// Read the options from the attributes of an
            /// `IFLA_INFO_DATA` (or `IFLA_INFO_SLAVE_DATA`) nest. Unknown
            /// attributes are ignored, malformed ones leave their field
            /// `None`; this never fails.
            pub fn from_attrs<'a>(attrs: impl Iterator<Item = $crate::wire::Attr<'a>>) -> Self {
                use $crate::route::link::options::OptValue;
                let mut out = Self::default();
                for a in attrs {
                    match $attr(a.kind()) {
                        $($attr::$kind => out.$field = <$form as OptValue>::read(&a).ok(),)*
                        _ => {}
                    }
                }
                out
            }

            /// Write the set fields, in declaration order.
            ///
            /// # Errors
            ///
            /// [`EncodeError::BufferFull`](crate::EncodeError::BufferFull).
            pub fn put(&self, w: &mut $crate::wire::MsgWriter<'_>) -> Result<(), $crate::EncodeError> {
                use $crate::route::link::options::OptValue;
                $(
                    if let Some(v) = &self.$field {
                        <$form as OptValue>::put(w, $attr::$kind.0, v)?;
                    }
                )*
                Ok(())
            }

            /// Whether no field is set.
            pub fn is_empty(&self) -> bool {
                *self == Self::default()
            }
        }
    };
}

pub(crate) use kind_options;

/// A list of at most `N` addresses in a nest of indexed attributes (a
/// bond's `arp_ip_target`, `ns_ip6_target`): attribute `i` holds the
/// `i`-th address. More than `N` is an error (the field stays `None`),
/// never a silent cut.
pub struct AddrList<A, const N: usize>(core::marker::PhantomData<A>);

impl<A: OptValue<Value = A> + Copy, const N: usize> OptValue for AddrList<A, N> {
    type Value = heapless::Vec<A, N>;
    fn read(attr: &Attr<'_>) -> Result<Self::Value, DecodeError> {
        let mut out = heapless::Vec::new();
        for a in attr.nested() {
            let v = A::read(&a?)?;
            out.push(v).map_err(|_| DecodeError::TooLong {
                what: "address list",
                len: N + 1,
                cap: N,
            })?;
        }
        Ok(out)
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Self::Value) -> Result<(), EncodeError> {
        w.nested(kind, |w| {
            (0u16..)
                .zip(v.iter())
                .try_for_each(|(i, a)| A::put(w, i, a))
        })
    }
}

/// A list of at most `N` `(from, to)` pairs, one `struct` attribute of
/// type 1 each in a nest (a vlan's `IFLA_VLAN_QOS_MAPPING`s).
pub struct PairList<const N: usize>;

impl<const N: usize> OptValue for PairList<N> {
    type Value = heapless::Vec<(u32, u32), N>;
    fn read(attr: &Attr<'_>) -> Result<Self::Value, DecodeError> {
        let mut out = heapless::Vec::new();
        for a in attr.nested() {
            let v = ValueMask::read(&a?)?;
            out.push(v).map_err(|_| DecodeError::TooLong {
                what: "mapping list",
                len: N + 1,
                cap: N,
            })?;
        }
        Ok(out)
    }
    fn put(w: &mut MsgWriter<'_>, kind: u16, v: &Self::Value) -> Result<(), EncodeError> {
        w.nested(kind, |w| v.iter().try_for_each(|p| ValueMask::put(w, 1, p)))
    }
}
