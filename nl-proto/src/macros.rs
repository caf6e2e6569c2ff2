//! `open_enum!`: wire enums as transparent newtypes with named constants.
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
