//! The `flower` classifier (`TCA_FLOWER_*`), for its common keys:
//! Ethernet addresses, VLAN id and priority, IP protocol, IPv4 and IPv6
//! addresses, TCP and UDP ports, TOS and TTL, each with its mask; a
//! class id, the input device, actions and flags.
//!
//! tc writes each key where its word comes, then the flags, then the
//! EtherType (the filter's protocol); so a filter is an ordered list of
//! [`FlowerKey`]s, which also keeps a decoded filter equal to the one
//! that was sent. Keys this crate does not model are skipped when
//! decoding (counted in [`FlowerFilter::other_keys`]).

use core::net::{Ipv4Addr, Ipv6Addr};

use super::action::{self, Actions};
use super::{Handle, TcAttr};
use crate::values::IfName;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

/// `TCA_FLOWER_*` attribute types used here.
pub mod attr {
    #![allow(missing_docs)]
    pub const CLASSID: u16 = 1;
    pub const INDEV: u16 = 2;
    pub const ACT: u16 = 3;
    pub const ETH_DST: u16 = 4;
    pub const ETH_DST_MASK: u16 = 5;
    pub const ETH_SRC: u16 = 6;
    pub const ETH_SRC_MASK: u16 = 7;
    pub const ETH_TYPE: u16 = 8;
    pub const IP_PROTO: u16 = 9;
    pub const IPV4_SRC: u16 = 10;
    pub const IPV4_SRC_MASK: u16 = 11;
    pub const IPV4_DST: u16 = 12;
    pub const IPV4_DST_MASK: u16 = 13;
    pub const IPV6_SRC: u16 = 14;
    pub const IPV6_SRC_MASK: u16 = 15;
    pub const IPV6_DST: u16 = 16;
    pub const IPV6_DST_MASK: u16 = 17;
    pub const TCP_SRC: u16 = 18;
    pub const TCP_DST: u16 = 19;
    pub const UDP_SRC: u16 = 20;
    pub const UDP_DST: u16 = 21;
    pub const FLAGS: u16 = 22;
    pub const VLAN_ID: u16 = 23;
    pub const VLAN_PRIO: u16 = 24;
    pub const VLAN_ETH_TYPE: u16 = 25;
    pub const TCP_SRC_MASK: u16 = 35;
    pub const TCP_DST_MASK: u16 = 36;
    pub const UDP_SRC_MASK: u16 = 37;
    pub const UDP_DST_MASK: u16 = 38;
    pub const IP_TOS: u16 = 73;
    pub const IP_TOS_MASK: u16 = 74;
    pub const IP_TTL: u16 = 75;
    pub const IP_TTL_MASK: u16 = 76;
    pub const IN_HW_COUNT: u16 = 86;
}

/// Which end of a flow a key is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `src_*`.
    Src,
    /// `dst_*`.
    Dst,
}

/// One key of a flower filter, with its mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowerKey {
    /// `dst_mac` / `src_mac`.
    Mac {
        /// Which address.
        end: End,
        /// The address.
        addr: [u8; 6],
        /// The mask.
        mask: [u8; 6],
    },
    /// `vlan_id`.
    VlanId(u16),
    /// `vlan_prio`.
    VlanPrio(u8),
    /// `vlan_ethtype` (host order).
    VlanEthType(u16),
    /// `ip_proto`.
    IpProto(u8),
    /// `dst_ip` / `src_ip` of IPv4.
    Ipv4 {
        /// Which address.
        end: End,
        /// The address.
        addr: Ipv4Addr,
        /// The mask.
        mask: Ipv4Addr,
    },
    /// `dst_ip` / `src_ip` of IPv6.
    Ipv6 {
        /// Which address.
        end: End,
        /// The address.
        addr: Ipv6Addr,
        /// The mask.
        mask: Ipv6Addr,
    },
    /// `dst_port` / `src_port` (TCP when `tcp`, else UDP), host order.
    Port {
        /// TCP (true) or UDP.
        tcp: bool,
        /// Which port.
        end: End,
        /// The port.
        port: u16,
        /// The mask, when one was given.
        mask: Option<u16>,
    },
    /// `ip_tos` with its mask.
    IpTos(u8, u8),
    /// `ip_ttl` with its mask.
    IpTtl(u8, u8),
    /// `classid` (tc writes it where its word comes).
    ClassId(Handle),
    /// `indev`.
    Indev(IfName),
}

/// The most keys one decoded filter holds.
pub const MAX_KEYS: usize = 24;

/// A flower filter's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowerFilter {
    /// The keys, in the order they are sent.
    pub keys: heapless::Vec<FlowerKey, MAX_KEYS>,
    /// `TCA_FLOWER_ACT`.
    pub actions: Actions,
    /// `TCA_FLOWER_FLAGS` (`TCA_CLS_FLAGS_*`; tc always sends it).
    pub flags: Option<u32>,
    /// `TCA_FLOWER_KEY_ETH_TYPE` (host order): the filter's protocol.
    pub eth_type: Option<u16>,
    /// `TCA_FLOWER_IN_HW_COUNT`.
    pub in_hw_count: Option<u32>,
    /// Attributes of keys not modelled here.
    pub other_keys: usize,
}

fn full(end: End, src: u16, dst: u16) -> u16 {
    match end {
        End::Src => src,
        End::Dst => dst,
    }
}

impl FlowerFilter {
    /// The first key `f` picks out.
    pub fn find<T>(&self, f: impl FnMut(&FlowerKey) -> Option<T>) -> Option<T> {
        self.keys.iter().find_map(f)
    }

    /// Write `TCA_OPTIONS`: the keys in order, the actions, the flags,
    /// the EtherType.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; actions of kinds not encoded here.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        use attr::*;
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        for k in &self.keys {
            match k.clone() {
                FlowerKey::Mac { end, addr, mask } => {
                    w.put(full(end, ETH_SRC, ETH_DST), &addr)?;
                    w.put(full(end, ETH_SRC_MASK, ETH_DST_MASK), &mask)?;
                }
                FlowerKey::VlanId(v) => w.put_u16(VLAN_ID, v)?,
                FlowerKey::VlanPrio(v) => w.put_u8(VLAN_PRIO, v)?,
                FlowerKey::VlanEthType(v) => w.put_be16(VLAN_ETH_TYPE, v)?,
                FlowerKey::IpProto(v) => w.put_u8(IP_PROTO, v)?,
                FlowerKey::Ipv4 { end, addr, mask } => {
                    w.put(full(end, IPV4_SRC, IPV4_DST), &addr.octets())?;
                    w.put(full(end, IPV4_SRC_MASK, IPV4_DST_MASK), &mask.octets())?;
                }
                FlowerKey::Ipv6 { end, addr, mask } => {
                    w.put(full(end, IPV6_SRC, IPV6_DST), &addr.octets())?;
                    w.put(full(end, IPV6_SRC_MASK, IPV6_DST_MASK), &mask.octets())?;
                }
                FlowerKey::Port {
                    tcp,
                    end,
                    port,
                    mask,
                } => {
                    let (v, m) = match (tcp, end) {
                        (true, End::Src) => (TCP_SRC, TCP_SRC_MASK),
                        (true, End::Dst) => (TCP_DST, TCP_DST_MASK),
                        (false, End::Src) => (UDP_SRC, UDP_SRC_MASK),
                        (false, End::Dst) => (UDP_DST, UDP_DST_MASK),
                    };
                    w.put_be16(v, port)?;
                    if let Some(m2) = mask {
                        w.put_be16(m, m2)?;
                    }
                }
                FlowerKey::IpTos(v, m) => {
                    w.put_u8(IP_TOS, v)?;
                    w.put_u8(IP_TOS_MASK, m)?;
                }
                FlowerKey::IpTtl(v, m) => {
                    w.put_u8(IP_TTL, v)?;
                    w.put_u8(IP_TTL_MASK, m)?;
                }
                FlowerKey::ClassId(h) => w.put_u32(CLASSID, h.0)?,
                FlowerKey::Indev(n) => w.put_str(INDEV, n.as_str())?,
            }
        }
        action::emit_actions(w, ACT, &self.actions)?;
        if let Some(f) = self.flags {
            w.put_u32(FLAGS, f)?;
        }
        if let Some(e) = self.eth_type {
            w.put_be16(ETH_TYPE, e)?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        use attr::*;
        let mut f = Self::default();
        let full_err = || DecodeError::TooLong {
            what: "flower keys",
            len: MAX_KEYS + 1,
            cap: MAX_KEYS,
        };
        for a in super::nested(payload).map_while(Result::ok) {
            let p = a.payload();
            let six = || <[u8; 6]>::try_from(p).ok();
            let v4 = || <[u8; 4]>::try_from(p).ok().map(Ipv4Addr::from);
            let v6 = || <[u8; 16]>::try_from(p).ok().map(Ipv6Addr::from);
            let end = |src: u16| if a.kind() == src { End::Src } else { End::Dst };
            let new = match a.kind() {
                CLASSID => Some(FlowerKey::ClassId(Handle(a.u32()?))),
                INDEV => {
                    let s = a.cstr()?;
                    Some(FlowerKey::Indev(IfName::new(s).map_err(|_| {
                        DecodeError::TooLong {
                            what: "TCA_FLOWER_INDEV",
                            len: s.len(),
                            cap: IfName::MAX_LEN,
                        }
                    })?))
                }
                ACT => {
                    action::decode_actions_into(p, &mut f.actions)?;
                    None
                }
                FLAGS => {
                    f.flags = Some(a.u32()?);
                    None
                }
                ETH_TYPE => {
                    f.eth_type = Some(a.be16()?);
                    None
                }
                IN_HW_COUNT => {
                    f.in_hw_count = Some(a.u32()?);
                    None
                }
                ETH_DST | ETH_SRC => six().map(|addr| FlowerKey::Mac {
                    end: end(ETH_SRC),
                    addr,
                    mask: [0xff; 6],
                }),
                VLAN_ID => Some(FlowerKey::VlanId(a.u16()?)),
                VLAN_PRIO => Some(FlowerKey::VlanPrio(a.u8()?)),
                VLAN_ETH_TYPE => Some(FlowerKey::VlanEthType(a.be16()?)),
                IP_PROTO => Some(FlowerKey::IpProto(a.u8()?)),
                IPV4_SRC | IPV4_DST => v4().map(|addr| FlowerKey::Ipv4 {
                    end: end(IPV4_SRC),
                    addr,
                    mask: Ipv4Addr::BROADCAST,
                }),
                IPV6_SRC | IPV6_DST => v6().map(|addr| FlowerKey::Ipv6 {
                    end: end(IPV6_SRC),
                    addr,
                    mask: Ipv6Addr::from([0xff; 16]),
                }),
                TCP_SRC | TCP_DST | UDP_SRC | UDP_DST => Some(FlowerKey::Port {
                    tcp: a.kind() <= TCP_DST,
                    end: if a.kind() == TCP_SRC || a.kind() == UDP_SRC {
                        End::Src
                    } else {
                        End::Dst
                    },
                    port: a.be16()?,
                    mask: None,
                }),
                IP_TOS => Some(FlowerKey::IpTos(a.u8()?, 0xff)),
                IP_TTL => Some(FlowerKey::IpTtl(a.u8()?, 0xff)),
                ETH_DST_MASK | ETH_SRC_MASK | IPV4_SRC_MASK | IPV4_DST_MASK | IPV6_SRC_MASK
                | IPV6_DST_MASK | TCP_SRC_MASK | TCP_DST_MASK | UDP_SRC_MASK | UDP_DST_MASK
                | IP_TOS_MASK | IP_TTL_MASK => {
                    f.set_mask(a.kind(), p);
                    None
                }
                _ => {
                    f.other_keys += 1;
                    None
                }
            };
            if let Some(k) = new {
                f.keys.push(k).map_err(|_| full_err())?;
            }
        }
        Ok(f)
    }

    /// Give the mask in attribute `kind` to the key it belongs to.
    fn set_mask(&mut self, kind: u16, p: &[u8]) {
        use attr::*;
        for k in self.keys.iter_mut().rev() {
            match (k, kind) {
                (FlowerKey::Mac { end, mask, .. }, ETH_SRC_MASK | ETH_DST_MASK)
                    if full(*end, ETH_SRC_MASK, ETH_DST_MASK) == kind =>
                {
                    if let Ok(m) = <[u8; 6]>::try_from(p) {
                        *mask = m;
                    }
                }
                (FlowerKey::Ipv4 { end, mask, .. }, IPV4_SRC_MASK | IPV4_DST_MASK)
                    if full(*end, IPV4_SRC_MASK, IPV4_DST_MASK) == kind =>
                {
                    if let Ok(m) = <[u8; 4]>::try_from(p) {
                        *mask = Ipv4Addr::from(m);
                    }
                }
                (FlowerKey::Ipv6 { end, mask, .. }, IPV6_SRC_MASK | IPV6_DST_MASK)
                    if full(*end, IPV6_SRC_MASK, IPV6_DST_MASK) == kind =>
                {
                    if let Ok(m) = <[u8; 16]>::try_from(p) {
                        *mask = Ipv6Addr::from(m);
                    }
                }
                (FlowerKey::Port { tcp, end, mask, .. }, _)
                    if kind
                        == match (*tcp, *end) {
                            (true, End::Src) => TCP_SRC_MASK,
                            (true, End::Dst) => TCP_DST_MASK,
                            (false, End::Src) => UDP_SRC_MASK,
                            (false, End::Dst) => UDP_DST_MASK,
                        } =>
                {
                    if let Ok(m) = <[u8; 2]>::try_from(p) {
                        *mask = Some(u16::from_be_bytes(m));
                    }
                }
                (FlowerKey::IpTos(_, m), IP_TOS_MASK) | (FlowerKey::IpTtl(_, m), IP_TTL_MASK) => {
                    if let Some(&b) = p.first() {
                        *m = b;
                    }
                }
                _ => continue,
            }
            return;
        }
    }
}
