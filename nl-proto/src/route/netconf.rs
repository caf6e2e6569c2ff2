//! Per-link IP configuration notifications: `RTM_NEWNETCONF` /
//! `RTM_DELNETCONF` (`include/uapi/linux/netconf.h`), as `ip monitor
//! netconf` shows them.
//!
//! ```text
//! +--------+-----------+------------+
//! | family | pad (3)   | NETCONFA_* |
//! +--------+-----------+------------+
//! ```

use super::common::split_object;
use super::{AddrFamily, RTM_DELNETCONF, RTM_NEWNETCONF};
use crate::DecodeError;
use crate::wire::Msg;

/// `struct netconfmsg` (one byte; the kernel pads it to four).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    zerocopy::FromBytes,
    zerocopy::IntoBytes,
    zerocopy::KnownLayout,
    zerocopy::Immutable,
    zerocopy::Unaligned,
)]
#[repr(C)]
pub struct NetconfMsg {
    /// `ncm_family`.
    pub family: u8,
}

/// `NETCONFA_IFINDEX_ALL`: the `all` pseudo-interface.
pub const IFINDEX_ALL: i32 = -1;
/// `NETCONFA_IFINDEX_DEFAULT`: the `default` pseudo-interface.
pub const IFINDEX_DEFAULT: i32 = -2;

/// One link's IP configuration, as announced. Each setting is `None` when
/// the message leaves it out (a deletion carries only the link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Netconf {
    /// `ncm_family`: `AF_INET`, `AF_INET6`, `AF_MPLS`.
    pub family: AddrFamily,
    /// `NETCONFA_IFINDEX`: a link index, or [`IFINDEX_ALL`] /
    /// [`IFINDEX_DEFAULT`].
    pub ifindex: Option<i32>,
    /// `NETCONFA_FORWARDING`.
    pub forwarding: Option<i32>,
    /// `NETCONFA_RP_FILTER`: 0 off, 1 strict, 2 loose.
    pub rp_filter: Option<i32>,
    /// `NETCONFA_MC_FORWARDING`.
    pub mc_forwarding: Option<i32>,
    /// `NETCONFA_PROXY_NEIGH`.
    pub proxy_neigh: Option<i32>,
    /// `NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN`.
    pub ignore_routes_with_linkdown: Option<i32>,
    /// `NETCONFA_INPUT` (MPLS).
    pub input: Option<i32>,
    /// `NETCONFA_BC_FORWARDING`.
    pub bc_forwarding: Option<i32>,
}

impl Netconf {
    /// Decode an `RTM_NEWNETCONF` or `RTM_DELNETCONF` message. Malformed
    /// settings are left unset; unknown ones ignored.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`] (no
    /// family byte).
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) =
            split_object::<NetconfMsg>(msg, [RTM_NEWNETCONF, RTM_DELNETCONF], "netconfmsg")?;
        let mut n = Self {
            family: AddrFamily(hdr.family),
            ..Self::default()
        };
        for attr in attrs.map_while(Result::ok) {
            let v = attr.i32().ok();
            match attr.kind() {
                1 => n.ifindex = v,
                2 => n.forwarding = v,
                3 => n.rp_filter = v,
                4 => n.mc_forwarding = v,
                5 => n.proxy_neigh = v,
                6 => n.ignore_routes_with_linkdown = v,
                7 => n.input = v,
                8 => n.bc_forwarding = v,
                _ => {}
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::common::tests::{hammer, msg};

    // The kernel's RTM_NEWNETCONF for a new veth (IPv4, index 3).
    #[rustfmt::skip]
    const NEW: [u8; 76] = [
        0x4c, 0, 0, 0, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x02, 0, 0, 0,
        0x08, 0, 0x01, 0, 0x03, 0, 0, 0, // IFINDEX 3
        0x08, 0, 0x02, 0, 0, 0, 0, 0, // FORWARDING 0
        0x08, 0, 0x03, 0, 0, 0, 0, 0, // RP_FILTER 0
        0x08, 0, 0x04, 0, 0, 0, 0, 0, // MC_FORWARDING 0
        0x08, 0, 0x05, 0, 0, 0, 0, 0, // PROXY_NEIGH 0
        0x08, 0, 0x06, 0, 0, 0, 0, 0, // IGNORE_ROUTES_WITH_LINKDOWN 0
        0x08, 0, 0x08, 0, 0x01, 0, 0, 0, // BC_FORWARDING 1
    ];

    #[test]
    fn decodes_every_setting() {
        let n = Netconf::decode(&msg(&NEW)).unwrap();
        assert_eq!(n.family, AddrFamily::INET);
        assert_eq!(n.ifindex, Some(3));
        assert_eq!(
            (n.forwarding, n.rp_filter, n.mc_forwarding),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(
            (n.proxy_neigh, n.ignore_routes_with_linkdown),
            (Some(0), Some(0))
        );
        assert_eq!((n.input, n.bc_forwarding), (None, Some(1)));
    }

    #[test]
    fn never_panics_on_mutations() {
        hammer(&NEW, |m| {
            let _ = Netconf::decode(m);
        });
    }
}
