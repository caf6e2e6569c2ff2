//! The link message header (`struct ifinfomsg`), its interface flags
//! (`IFF_*`) and link types (`ARPHRD_*`).

use crate::route::AddrFamily;
use zerocopy::byteorder::{I32, NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `struct ifinfomsg`, the fixed header of every link message.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct IfInfoMsg {
    /// `ifi_family` (`AF_UNSPEC` in most requests).
    pub family: u8,
    /// `__ifi_pad`; must be 0.
    pub pad: u8,
    /// `ifi_type`: the link type (`ARPHRD_*`), see [`link_type_name`].
    pub ty: U16<NativeEndian>,
    /// `ifi_index`: the interface index (0 = not specified).
    pub index: I32<NativeEndian>,
    /// `ifi_flags`: `IFF_*` flags, see [`IfFlags`].
    pub flags: U32<NativeEndian>,
    /// `ifi_change`: which `ifi_flags` bits a request changes.
    pub change: U32<NativeEndian>,
}

impl IfInfoMsg {
    /// A request header for `family` and `index`, with `flags` applied under
    /// the `change` mask.
    pub fn new(family: AddrFamily, index: i32, flags: IfFlags, change: IfFlags) -> Self {
        Self {
            family: family.0,
            pad: 0,
            ty: U16::new(0),
            index: I32::new(index),
            flags: U32::new(flags.0),
            change: U32::new(change.0),
        }
    }
}

/// Interface flags (`IFF_*`, `enum net_device_flags` in
/// `include/uapi/linux/if.h`), as in `ifi_flags`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IfFlags(pub u32);

impl IfFlags {
    /// No flags.
    pub const EMPTY: Self = Self(0);
    /// `IFF_UP`: administratively up.
    #[doc(alias = "IFF_UP")]
    pub const UP: Self = Self(1 << 0);
    /// `IFF_BROADCAST`.
    #[doc(alias = "IFF_BROADCAST")]
    pub const BROADCAST: Self = Self(1 << 1);
    /// `IFF_DEBUG`.
    #[doc(alias = "IFF_DEBUG")]
    pub const DEBUG: Self = Self(1 << 2);
    /// `IFF_LOOPBACK`.
    #[doc(alias = "IFF_LOOPBACK")]
    pub const LOOPBACK: Self = Self(1 << 3);
    /// `IFF_POINTOPOINT`.
    #[doc(alias = "IFF_POINTOPOINT")]
    pub const POINTOPOINT: Self = Self(1 << 4);
    /// `IFF_NOTRAILERS`.
    #[doc(alias = "IFF_NOTRAILERS")]
    pub const NOTRAILERS: Self = Self(1 << 5);
    /// `IFF_RUNNING`: operationally up (RFC 2863 `OPER_UP`).
    #[doc(alias = "IFF_RUNNING")]
    pub const RUNNING: Self = Self(1 << 6);
    /// `IFF_NOARP`.
    #[doc(alias = "IFF_NOARP")]
    pub const NOARP: Self = Self(1 << 7);
    /// `IFF_PROMISC`.
    #[doc(alias = "IFF_PROMISC")]
    pub const PROMISC: Self = Self(1 << 8);
    /// `IFF_ALLMULTI`.
    #[doc(alias = "IFF_ALLMULTI")]
    pub const ALLMULTI: Self = Self(1 << 9);
    /// `IFF_MASTER`.
    #[doc(alias = "IFF_MASTER")]
    pub const MASTER: Self = Self(1 << 10);
    /// `IFF_SLAVE`.
    #[doc(alias = "IFF_SLAVE")]
    pub const SLAVE: Self = Self(1 << 11);
    /// `IFF_MULTICAST`.
    #[doc(alias = "IFF_MULTICAST")]
    pub const MULTICAST: Self = Self(1 << 12);
    /// `IFF_PORTSEL`.
    #[doc(alias = "IFF_PORTSEL")]
    pub const PORTSEL: Self = Self(1 << 13);
    /// `IFF_AUTOMEDIA`.
    #[doc(alias = "IFF_AUTOMEDIA")]
    pub const AUTOMEDIA: Self = Self(1 << 14);
    /// `IFF_DYNAMIC`.
    #[doc(alias = "IFF_DYNAMIC")]
    pub const DYNAMIC: Self = Self(1 << 15);
    /// `IFF_LOWER_UP`: the driver signals carrier.
    #[doc(alias = "IFF_LOWER_UP")]
    pub const LOWER_UP: Self = Self(1 << 16);
    /// `IFF_DORMANT`.
    #[doc(alias = "IFF_DORMANT")]
    pub const DORMANT: Self = Self(1 << 17);
    /// `IFF_ECHO`.
    #[doc(alias = "IFF_ECHO")]
    pub const ECHO: Self = Self(1 << 18);

    /// The flags iproute2 names, in the order it prints them
    /// (`print_link_flags` in `ip/ipaddress.c`). `RUNNING` is not printed.
    const IPROUTE2_ORDER: [(Self, &'static str); 18] = [
        (Self::LOOPBACK, "LOOPBACK"),
        (Self::BROADCAST, "BROADCAST"),
        (Self::POINTOPOINT, "POINTOPOINT"),
        (Self::MULTICAST, "MULTICAST"),
        (Self::NOARP, "NOARP"),
        (Self::ALLMULTI, "ALLMULTI"),
        (Self::PROMISC, "PROMISC"),
        (Self::MASTER, "MASTER"),
        (Self::SLAVE, "SLAVE"),
        (Self::DEBUG, "DEBUG"),
        (Self::DYNAMIC, "DYNAMIC"),
        (Self::AUTOMEDIA, "AUTOMEDIA"),
        (Self::PORTSEL, "PORTSEL"),
        (Self::NOTRAILERS, "NOTRAILERS"),
        (Self::UP, "UP"),
        (Self::LOWER_UP, "LOWER_UP"),
        (Self::DORMANT, "DORMANT"),
        (Self::ECHO, "ECHO"),
    ];

    /// The raw bits.
    pub const fn bits(self) -> u32 {
        self.0
    }
    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    /// Both sets of bits.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The names iproute2 prints for these flags, in its order and
    /// spelling: `<BROADCAST,MULTICAST,UP,LOWER_UP>` is
    /// `["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]`, as in `ip -j link`'s
    /// `"flags"` array. Like iproute2, `NO-CARRIER` comes first when `UP` is
    /// set without `RUNNING`, and `RUNNING` itself is never named. Bits
    /// without a name are left out; see [`IfFlags::unnamed_bits`].
    ///
    /// ```
    /// use nl_proto::route::link::IfFlags;
    /// let f = IfFlags(0x10049); // lo: UP|LOOPBACK|RUNNING|LOWER_UP
    /// let names: heapless::Vec<&str, 20> = f.iproute2_names().collect();
    /// assert_eq!(names.as_slice(), ["LOOPBACK", "UP", "LOWER_UP"]);
    /// ```
    pub fn iproute2_names(self) -> impl Iterator<Item = &'static str> {
        let no_carrier = self.contains(Self::UP) && !self.contains(Self::RUNNING);
        no_carrier.then_some("NO-CARRIER").into_iter().chain(
            Self::IPROUTE2_ORDER
                .into_iter()
                .filter(move |(f, _)| self.contains(*f))
                .map(|(_, n)| n),
        )
    }

    /// Bits iproute2 has no name for (it prints them in hex after the names).
    pub fn unnamed_bits(self) -> u32 {
        let named = Self::IPROUTE2_ORDER
            .iter()
            .fold(Self::RUNNING.0, |acc, (f, _)| acc | f.0);
        self.0 & !named
    }
}

impl core::ops::BitOr for IfFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl core::fmt::Debug for IfFlags {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IfFlags(")?;
        let mut first = true;
        for n in self.iproute2_names() {
            if !first {
                f.write_str("|")?;
            }
            first = false;
            f.write_str(n)?;
        }
        if self.contains(Self::RUNNING) {
            f.write_str(if first { "RUNNING" } else { "|RUNNING" })?;
            first = false;
        }
        let rest = self.unnamed_bits();
        if rest != 0 {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "{rest:#x}")?;
        }
        f.write_str(")")
    }
}

/// The name iproute2 gives a link type (`ARPHRD_*`, the `ifi_type`), as in
/// `ip -j link`'s `"link_type"` (`ll_type_n2a` in `lib/ll_types.c`):
/// `1` is `"ether"`, `772` is `"loopback"`, `65534` is `"none"`.
pub fn link_type_name(ty: u16) -> Option<&'static str> {
    Some(match ty {
        0 => "generic",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "atalk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "hdlc",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "ltalk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        784 => "fcpp",
        785 => "fcal",
        786 => "fcpl",
        787 => "fcfb0",
        788 => "fcfb1",
        789 => "fcfb2",
        790 => "fcfb3",
        791 => "fcfb4",
        792 => "fcfb5",
        793 => "fcfb6",
        794 => "fcfb7",
        795 => "fcfb8",
        796 => "fcfb9",
        797 => "fcfb10",
        798 => "fcfb11",
        799 => "fcfb12",
        800 => "tr",
        801 => "ieee802.11",
        802 => "ieee802.11/prism",
        803 => "ieee802.11/radiotap",
        804 => "ieee802.15.4",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "gre6",
        824 => "netlink",
        0xfffe => "none",
        0xffff => "void",
        _ => return None,
    })
}

/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = 1;
/// `ARPHRD_LOOPBACK`.
pub const ARPHRD_LOOPBACK: u16 = 772;
/// `ARPHRD_NONE`.
pub const ARPHRD_NONE: u16 = 0xfffe;
