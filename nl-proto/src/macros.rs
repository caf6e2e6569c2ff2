//! `open_enum!`: wire enums as transparent newtypes with named constants;
//! `bit_flags!`: flag sets over a wire integer.
//!
//! Netlink enums grow with every kernel, so a value this crate does not
//! know must survive a decode/encode round trip. Each is a newtype over its
//! wire integer with associated constants; `Debug` prints the constant's
//! name when there is one and the number otherwise.

/// Define an open enum. See the module doc.
#[cfg_attr(
    not(any(feature = "route", feature = "genl", feature = "nfnl")),
    allow(unused_macros)
)]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($int:ty) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[repr(transparent)]
        $vis struct $name(pub $int);

        impl $name {
            $(
                $(#[$vmeta])*
                pub const $variant: Self = Self($value);
            )*

            /// The constant's name, if this value has one.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some(stringify!($variant)),)*
                    _ => None,
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                Self(v)
            }
        }

        impl From<$name> for $int {
            fn from(v: $name) -> $int {
                v.0
            }
        }
    };
}

#[cfg_attr(
    not(any(feature = "route", feature = "genl", feature = "nfnl")),
    allow(unused_imports)
)]
pub(crate) use open_enum;

#[cfg_attr(not(any(feature = "route", feature = "genl")), allow(unused_macros))]
/// Define a bit-flag newtype over an integer, with one constant per flag
/// and the flag's iproute2 spelling for display and parsing.
///
/// Unknown bits are kept (the kernel adds flags over time). A flag whose
/// value is 0 names the empty set (as `NUD_NONE` does).
macro_rules! bit_flags {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($int:ty) {
            $(
                $(#[$vmeta:meta])*
                $flag:ident = $value:expr => $ipname:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[repr(transparent)]
        $vis struct $name(pub $int);

        impl $name {
            $(
                $(#[$vmeta])*
                pub const $flag: Self = Self($value);
            )*
            /// No bits set.
            pub const EMPTY: Self = Self(0);
            const NAMED: &'static [(Self, &'static str)] = &[$((Self($value), $ipname)),*];

            /// The raw bits.
            pub const fn bits(self) -> $int {
                self.0
            }
            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
            /// Whether every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
            /// Whether any bit of `other` is set.
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }
            /// Both sets of bits.
            #[must_use]
            pub const fn union(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
            /// The bits of `self` that are not in `other`.
            #[must_use]
            pub const fn difference(self, other: Self) -> Self {
                Self(self.0 & !other.0)
            }
            /// iproute2 names of the set flags, in bit order.
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                let bits = self.0;
                Self::NAMED
                    .iter()
                    .filter(move |(f, _)| if f.0 == 0 { bits == 0 } else { bits & f.0 == f.0 })
                    .map(|&(_, n)| n)
            }
            /// Bits set that have no name here.
            pub fn unknown_bits(self) -> $int {
                Self::NAMED.iter().fold(self.0, |acc, (f, _)| acc & !f.0)
            }
            /// The flag spelled `name` as iproute2 spells it.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::NAMED.iter().find(|(_, n)| *n == name).map(|&(f, _)| f)
            }
        }

        impl core::ops::BitOr for $name {
            type Output = Self;
            fn bitor(self, rhs: Self) -> Self {
                self.union(rhs)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: Self) {
                *self = self.union(rhs);
            }
        }

        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                Self(v)
            }
        }

        impl From<$name> for $int {
            fn from(v: $name) -> $int {
                v.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "("))?;
                let mut first = true;
                for n in self.names() {
                    if !first {
                        f.write_str(" | ")?;
                    }
                    f.write_str(n)?;
                    first = false;
                }
                let rest = self.unknown_bits();
                if rest != 0 {
                    if !first {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{rest:#x}")?;
                }
                f.write_str(")")
            }
        }
    };
}

#[cfg_attr(not(any(feature = "route", feature = "genl")), allow(unused_imports))]
pub(crate) use bit_flags;
