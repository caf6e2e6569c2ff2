//! Link requests: which link ([`LinkRef`]), what to create ([`NewLink`],
//! [`LinkKind`]) or change ([`LinkChange`]), and their encoders.

use super::{
    IfFlags, IfInfoMsg, InfoAttr, IpvlanAttr, IpvlanMode, LinkAttr, LinkInfoData, MacvlanAttr,
    MacvlanMode, PortInfoData, RTEXT_FILTER_VF, VETH_INFO_PEER, VlanAttr, VlanProtocol, VxlanAttr,
    VxlanOptions,
};
use crate::EncodeError;
use crate::route::common::request;
use crate::route::{
    AddrFamily, RTM_DELLINK, RTM_DELLINKPROP, RTM_GETLINK, RTM_NEWLINK, RTM_NEWLINKPROP,
};
use crate::session::{Expect, Request};
use crate::values::{IfName, Mac};
use crate::wire::{Flags, MsgWriter};
use core::net::IpAddr;

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Which link a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRef<'a> {
    /// By interface index (`ifi_index`).
    Index(u32),
    /// By name (`IFLA_IFNAME`, with `ifi_index` 0).
    Name(&'a IfName),
}

/// A network namespace to move a link into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetnsRef {
    /// The namespace of process `pid` (`IFLA_NET_NS_PID`).
    Pid(u32),
    /// The namespace an open file descriptor refers to (`IFLA_NET_NS_FD`),
    /// e.g. `/run/netns/NAME` or `/proc/PID/ns/net`.
    Fd(u32),
}

/// The kind of link to create, with its kind-specific settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkKind<'a> {
    /// `bridge`.
    Bridge,
    /// `dummy`.
    Dummy,
    /// `ifb`.
    Ifb,
    /// `veth`: a pair; `peer` names the other end.
    Veth {
        /// The peer's name.
        peer: &'a IfName,
        /// Create the peer directly in this namespace.
        peer_netns: Option<NetnsRef>,
    },
    /// `macvlan` on `parent`.
    Macvlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// `IFLA_MACVLAN_MODE`.
        mode: MacvlanMode,
    },
    /// `ipvlan` on `parent`.
    Ipvlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// `IFLA_IPVLAN_MODE`.
        mode: IpvlanMode,
    },
    /// `vlan` on `parent`.
    Vlan {
        /// The lower interface (`IFLA_LINK`).
        parent: u32,
        /// The VLAN id, 0 to 4094.
        id: u16,
        /// The tag protocol. [`VlanProtocol::DOT1Q`] is the kernel's default
        /// and is not sent (as iproute2 does).
        protocol: VlanProtocol,
    },
    /// `vxlan`.
    Vxlan {
        /// The VNI, below 2^24; not sent with `options.collect_metadata`
        /// = `Some(true)` (`external`, where iproute2 refuses an id).
        id: u32,
        /// Destination UDP port; the kernel's default without it is 8472,
        /// not IANA's 4789.
        port: Option<u16>,
        /// Source address.
        local: Option<IpAddr>,
        /// Unicast remote, or multicast group when the address is multicast.
        /// Must be of the same family as `local`.
        remote: Option<IpAddr>,
        /// The underlay interface (`IFLA_VXLAN_LINK`).
        parent: Option<u32>,
        /// The other options (ttl, tos, learning, …). iproute2 always
        /// sends `learning` (`Some(true)` unless `nolearning` or
        /// `external`).
        options: VxlanOptions,
    },
    /// A kind with its options as [`LinkInfoData`] (bridge, vlan with QoS
    /// maps, geneve, the GRE and IP-in-IP tunnels, bond, vrf, …):
    /// `IFLA_INFO_KIND` is `kind`, `IFLA_INFO_DATA` what
    /// [`LinkInfoData::put`] writes (left out when it writes nothing).
    Options {
        /// The `IFLA_INFO_KIND` name, e.g. `"gretap"`.
        kind: &'a str,
        /// The options.
        options: &'a LinkInfoData,
        /// The lower interface (`IFLA_LINK`) of a vlan, macvlan or ipvlan.
        parent: Option<u32>,
    },
    /// Any other kind, by its `IFLA_INFO_KIND` name, without
    /// kind-specific settings (`ip link add NAME type KIND`); the kernel
    /// refuses one it does not know (`EOPNOTSUPP`, "Unknown device type").
    Other {
        /// The kind's name, e.g. `"wireguard"`.
        kind: &'a str,
    },
}

impl<'a> LinkKind<'a> {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &'a str {
        match self {
            Self::Other { kind } | Self::Options { kind, .. } => kind,
            Self::Bridge => "bridge",
            Self::Dummy => "dummy",
            Self::Ifb => "ifb",
            Self::Veth { .. } => "veth",
            Self::Macvlan { .. } => "macvlan",
            Self::Ipvlan { .. } => "ipvlan",
            Self::Vlan { .. } => "vlan",
            Self::Vxlan { .. } => "vxlan",
        }
    }
}

/// What [`encode_new`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLink<'a> {
    /// The new link's name.
    pub name: &'a IfName,
    /// Its kind.
    pub kind: LinkKind<'a>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_ADDRESS`.
    pub mac: Option<Mac>,
    /// `IFLA_MASTER`: enslave to this bridge/bond at creation.
    pub master: Option<u32>,
    /// Create it administratively up (`IFF_UP` in `ifi_flags` and `ifi_change`).
    pub up: bool,
    /// Create it in another namespace.
    pub netns: Option<NetnsRef>,
    /// For a veth: the peer's `IFLA_ADDRESS` (`peer name P address MAC`).
    pub peer_mac: Option<Mac>,
    /// `ifi_index` (`index N`): the index to create it with; 0 lets the
    /// kernel pick one.
    pub index: u32,
    /// For a veth: the peer's `ifi_index` (`peer name P index N`); the
    /// kernel honours it only when [`NewLink::index`] is set too.
    pub peer_index: u32,
}

impl<'a> NewLink<'a> {
    /// A link named `name` of `kind`, everything else left to the kernel.
    pub fn new(name: &'a IfName, kind: LinkKind<'a>) -> Self {
        Self {
            name,
            kind,
            mtu: None,
            mac: None,
            master: None,
            up: false,
            netns: None,
            peer_mac: None,
            index: 0,
            peer_index: 0,
        }
    }
}

/// What [`encode_set`] changes. `None` fields are left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkChange<'a> {
    /// Set (`Some(true)`) or clear `IFF_UP`.
    pub up: Option<bool>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_ADDRESS`.
    pub mac: Option<Mac>,
    /// Rename (`IFLA_IFNAME`).
    pub name: Option<&'a IfName>,
    /// `Some(Some(i))` enslaves to `i`; `Some(None)` releases
    /// (`nomaster`: `IFLA_MASTER` 0).
    pub master: Option<Option<u32>>,
    /// Move to another namespace.
    pub netns: Option<NetnsRef>,
    /// `IFLA_IFALIAS` (`alias TEXT`; an empty text removes the alias), at
    /// most 255 bytes.
    pub alias: Option<&'a str>,
    /// `type KIND OPTIONS…`: change the link's kind options
    /// (`IFLA_LINKINFO` { `IFLA_INFO_KIND`, `IFLA_INFO_DATA` }); the kind
    /// must be the link's own.
    pub info: Option<(&'a str, &'a LinkInfoData)>,
    /// `type bridge_slave|bond_slave OPTIONS…`: change the port's options
    /// (`IFLA_LINKINFO` { `IFLA_INFO_KIND` = [`PortInfoData::set_kind`],
    /// `IFLA_INFO_SLAVE_DATA` }), as iproute2 sends them.
    pub port: Option<&'a PortInfoData>,
}

/// `IFLA_IFALIAS` without a NUL, as iproute2 sends it; the kernel keeps
/// at most `IFALIASZ` - 1 = 255 bytes and refuses longer ones.
fn put_alias(w: &mut MsgWriter<'_>, alias: Option<&str>) -> Result<(), EncodeError> {
    match alias {
        Some(a) if a.len() > 255 || a.contains('\0') => Err(EncodeError::Invalid {
            what: "interface alias (at most 255 bytes, no NUL)",
        }),
        Some(a) => w.put(LinkAttr::IFALIAS.0, a.as_bytes()),
        None => Ok(()),
    }
}

/// An index to create a link with: 0 (the kernel picks) or a valid one.
fn optional_index(index: u32) -> Result<i32, EncodeError> {
    if index == 0 { Ok(0) } else { index_i32(index) }
}

fn index_i32(index: u32) -> Result<i32, EncodeError> {
    match i32::try_from(index) {
        Ok(i) if i > 0 => Ok(i),
        _ => Err(EncodeError::Invalid {
            what: "interface index (must be 1..=i32::MAX)",
        }),
    }
}

fn put_netns(w: &mut MsgWriter<'_>, ns: NetnsRef) -> Result<(), EncodeError> {
    match ns {
        NetnsRef::Pid(pid) => w.put_u32(LinkAttr::NET_NS_PID.0, pid),
        NetnsRef::Fd(fd) => w.put_u32(LinkAttr::NET_NS_FD.0, fd),
    }
}

fn put_ref(
    w: &mut MsgWriter<'_>,
    family: AddrFamily,
    link: LinkRef<'_>,
) -> Result<(), EncodeError> {
    match link {
        LinkRef::Index(i) => {
            let hdr = IfInfoMsg::new(family, index_i32(i)?, IfFlags::EMPTY, IfFlags::EMPTY);
            w.put_fixed(&hdr)
        }
        LinkRef::Name(name) => {
            w.put_fixed(&IfInfoMsg::new(family, 0, IfFlags::EMPTY, IfFlags::EMPTY))?;
            w.put_str(LinkAttr::IFNAME.0, name)
        }
    }
}

/// `RTM_GETLINK` dump of every link, as `ip link show` sends it: family
/// `AF_PACKET` and `IFLA_EXT_MASK` = [`RTEXT_FILTER_VF`]. (The kernel
/// serves link requests of any family with its `AF_UNSPEC` handler; iproute2
/// uses `AF_PACKET`, and so do we so the bytes match.)
///
/// # Errors
///
/// [`EncodeError::BufferFull`] (nothing is left in the writer) or
/// [`EncodeError::Misuse`] if a message is already open.
pub fn encode_dump<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    request(
        w,
        RTM_GETLINK,
        Flags::REQUEST | Flags::DUMP,
        Expect::Dump,
        |w| {
            w.put_fixed(&IfInfoMsg::new(
                AddrFamily::PACKET,
                0,
                IfFlags::EMPTY,
                IfFlags::EMPTY,
            ))?;
            w.put_u32(LinkAttr::EXT_MASK.0, RTEXT_FILTER_VF)
        },
    )
}

/// `RTM_GETLINK` for one link, as `ip link show NAME` sends it (family
/// `AF_PACKET`, then `IFLA_IFNAME` for a name, then `IFLA_EXT_MASK` =
/// [`RTEXT_FILTER_VF`]). The answer is one `RTM_NEWLINK`, then the ack.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 or above `i32::MAX`;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    link: LinkRef<'_>,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_GETLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_ref(w, AddrFamily::PACKET, link)?;
        w.put_u32(LinkAttr::EXT_MASK.0, RTEXT_FILTER_VF)
    })
}

/// `RTM_DELLINK` (`ip link del`). Deleting one end of a veth deletes both.
///
/// # Errors
///
/// As [`encode_get`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    link: LinkRef<'_>,
) -> Result<Request<'w>, EncodeError> {
    request(w, RTM_DELLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_ref(w, AddrFamily::UNSPEC, link)
    })
}

fn check_kind(kind: &LinkKind<'_>) -> Result<(), EncodeError> {
    match *kind {
        LinkKind::Vlan { id, .. } if id > 4094 => Err(EncodeError::Invalid {
            what: "vlan id (must be 0..=4094)",
        }),
        LinkKind::Vxlan { id, .. } if id >= 1 << 24 => Err(EncodeError::Invalid {
            what: "vxlan id (must be below 2^24)",
        }),
        LinkKind::Vxlan {
            local: Some(l),
            remote: Some(r),
            ..
        } if l.is_ipv4() != r.is_ipv4() => Err(EncodeError::Invalid {
            what: "vxlan local and remote of different address families",
        }),
        _ => Ok(()),
    }
}

fn put_info_data(
    w: &mut MsgWriter<'_>,
    kind: &LinkKind<'_>,
    peer_mac: Option<Mac>,
    peer_index: i32,
) -> Result<(), EncodeError> {
    match *kind {
        LinkKind::Bridge | LinkKind::Dummy | LinkKind::Ifb | LinkKind::Other { .. } => Ok(()),
        LinkKind::Options { options, .. } if options.is_empty() => Ok(()),
        LinkKind::Options { options, .. } => w.nested(InfoAttr::DATA.0, |w| options.put(w)),
        LinkKind::Veth { peer, peer_netns } => w.nested(InfoAttr::DATA.0, |w| {
            w.nested(VETH_INFO_PEER, |w| {
                w.put_fixed(&IfInfoMsg::new(
                    AddrFamily::UNSPEC,
                    peer_index,
                    IfFlags::EMPTY,
                    IfFlags::EMPTY,
                ))?;
                if let Some(mac) = peer_mac {
                    w.put(LinkAttr::ADDRESS.0, &mac.0)?;
                }
                w.put_str(LinkAttr::IFNAME.0, peer)?;
                peer_netns.map_or(Ok(()), |ns| put_netns(w, ns))
            })
        }),
        LinkKind::Macvlan { mode, .. } => {
            w.nested(InfoAttr::DATA.0, |w| w.put_u32(MacvlanAttr::MODE.0, mode.0))
        }
        LinkKind::Ipvlan { mode, .. } => w.nested(InfoAttr::DATA.0, |w| {
            w.put_u16(IpvlanAttr::MODE.0, mode.0)?;
            // iproute2 always sends the flags; 0 (bridge) is also the
            // kernel's default.
            w.put_u16(IpvlanAttr::FLAGS.0, 0)
        }),
        LinkKind::Vlan { id, protocol, .. } => w.nested(InfoAttr::DATA.0, |w| {
            if protocol != VlanProtocol::DOT1Q {
                w.put_be16(VlanAttr::PROTOCOL.0, protocol.0)?;
            }
            w.put_u16(VlanAttr::ID.0, id)
        }),
        LinkKind::Vxlan {
            id,
            port,
            local,
            remote,
            parent,
            options,
        } => w.nested(InfoAttr::DATA.0, |w| {
            // iproute2's order: the options as its words come, then id,
            // addresses, learning and port.
            options.put(w, parent)?;
            if options.collect_metadata != Some(true) {
                w.put_u32(VxlanAttr::ID.0, id)?;
            }
            match local {
                Some(IpAddr::V4(a)) => w.put(VxlanAttr::LOCAL.0, &a.octets())?,
                Some(IpAddr::V6(a)) => w.put(VxlanAttr::LOCAL6.0, &a.octets())?,
                None => {}
            }
            match remote {
                Some(IpAddr::V4(a)) => w.put(VxlanAttr::GROUP.0, &a.octets())?,
                Some(IpAddr::V6(a)) => w.put(VxlanAttr::GROUP6.0, &a.octets())?,
                None => {}
            }
            options.put_learning(w)?;
            if let Some(p) = port {
                w.put_be16(VxlanAttr::PORT.0, p)?;
            }
            Ok(())
        }),
    }
}

/// `RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL` (`ip link add`).
///
/// Attribute order follows iproute2: `IFLA_ADDRESS`, `IFLA_LINK` (parent of
/// macvlan/ipvlan/vlan), `IFLA_IFNAME`, `IFLA_MTU`, `IFLA_MASTER`,
/// `IFLA_NET_NS_*`, `IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA }`.
/// (No alias: the kernel ignores `IFLA_IFALIAS` when it creates a link;
/// set it with [`encode_set`] afterwards.) Nests carry `NLA_F_NESTED` (iproute2 leaves it out; the kernel accepts
/// both).
///
/// # Errors
///
/// [`EncodeError::Invalid`] for a vlan id above 4094, a vxlan id of 2^24 or
/// more, vxlan `local`/`remote` of different families, or an index above
/// `i32::MAX`;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    new: &NewLink<'_>,
) -> Result<Request<'w>, EncodeError> {
    check_kind(&new.kind)?;
    let flags = Flags::REQUEST | Flags::CREATE | Flags::EXCL;
    request(w, RTM_NEWLINK, flags, Expect::Ack, |w| {
        let up = if new.up { IfFlags::UP } else { IfFlags::EMPTY };
        let index = optional_index(new.index)?;
        w.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, index, up, up))?;
        if let Some(mac) = new.mac {
            w.put(LinkAttr::ADDRESS.0, &mac.0)?;
        }
        match new.kind {
            LinkKind::Macvlan { parent, .. }
            | LinkKind::Ipvlan { parent, .. }
            | LinkKind::Vlan { parent, .. }
            | LinkKind::Options {
                parent: Some(parent),
                ..
            } => w.put_u32(LinkAttr::LINK.0, parent)?,
            _ => {}
        }
        w.put_str(LinkAttr::IFNAME.0, new.name)?;
        if let Some(mtu) = new.mtu {
            w.put_u32(LinkAttr::MTU.0, mtu)?;
        }
        if let Some(master) = new.master {
            w.put_u32(LinkAttr::MASTER.0, master)?;
        }
        if let Some(ns) = new.netns {
            put_netns(w, ns)?;
        }
        let peer_index = optional_index(new.peer_index)?;
        w.nested(LinkAttr::LINKINFO.0, |w| {
            // Without the NUL, as iproute2 sends it (`addattr_l(.., strlen)`);
            // `IFLA_INFO_KIND` is an `NLA_STRING`, so the kernel takes both.
            w.put(InfoAttr::KIND.0, new.kind.name().as_bytes())?;
            put_info_data(w, &new.kind, new.peer_mac, peer_index)
        })
    })
}

/// `RTM_NEWLINK` without create flags on link `index` (`ip link set`), as
/// iproute2 sends it: `IFF_UP` goes in `ifi_flags` under an `ifi_change`
/// mask of `IFF_UP`; the rest are attributes (`IFLA_ADDRESS`, `IFLA_IFNAME`,
/// `IFLA_MTU`, `IFLA_MASTER`, `IFLA_NET_NS_*`, `IFLA_IFALIAS`).
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 or above `i32::MAX`;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_set<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    change: &LinkChange<'_>,
) -> Result<Request<'w>, EncodeError> {
    let index = index_i32(index)?;
    request(w, RTM_NEWLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_set_header(w, index, change.up)?;
        if let Some(mac) = change.mac {
            w.put(LinkAttr::ADDRESS.0, &mac.0)?;
        }
        if let Some(name) = change.name {
            w.put_str(LinkAttr::IFNAME.0, name)?;
        }
        if let Some(mtu) = change.mtu {
            w.put_u32(LinkAttr::MTU.0, mtu)?;
        }
        if let Some(master) = change.master {
            w.put_u32(LinkAttr::MASTER.0, master.unwrap_or(0))?;
        }
        if let Some(ns) = change.netns {
            put_netns(w, ns)?;
        }
        put_alias(w, change.alias)?;
        if let Some((kind, data)) = change.info {
            w.nested(LinkAttr::LINKINFO.0, |w| {
                w.put(InfoAttr::KIND.0, kind.as_bytes())?;
                if data.is_empty() {
                    Ok(())
                } else {
                    w.nested(InfoAttr::DATA.0, |w| data.put(w))
                }
            })?;
        }
        match change.port.and_then(|p| Some((p.set_kind()?, p))) {
            Some((kind, port)) => w.nested(LinkAttr::LINKINFO.0, |w| {
                w.put(InfoAttr::KIND.0, kind.as_bytes())?;
                w.nested(InfoAttr::SLAVE_DATA.0, |w| port.put(w))
            }),
            None => Ok(()),
        }
    })
}

/// [`encode_set`] of a change of `up` and `mtu` alone (`ip link set dev
/// … up|down [mtu N]`): the same bytes, from an encoder that has no code
/// for the other fields, so a program that only brings links up links
/// no link-info encoder.
///
/// ```
/// use nl_proto::route::link::{encode_set, encode_set_state, LinkChange};
/// use nl_proto::wire::MsgWriter;
/// let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
/// let mut w = MsgWriter::new(&mut a);
/// encode_set_state(&mut w, 2, Some(true), Some(1400))?;
/// let mut v = MsgWriter::new(&mut b);
/// let change = LinkChange { up: Some(true), mtu: Some(1400), ..LinkChange::default() };
/// encode_set(&mut v, 2, &change)?;
/// assert_eq!(w.finished(), v.finished());
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
///
/// # Errors
///
/// As [`encode_set`].
pub fn encode_set_state<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    up: Option<bool>,
    mtu: Option<u32>,
) -> Result<Request<'w>, EncodeError> {
    let index = index_i32(index)?;
    request(w, RTM_NEWLINK, Flags::REQUEST, Expect::Ack, |w| {
        put_set_header(w, index, up)?;
        match mtu {
            Some(mtu) => w.put_u32(LinkAttr::MTU.0, mtu),
            None => Ok(()),
        }
    })
}

/// The `ifinfomsg` of an `ip link set`: `IFF_UP` in `ifi_flags` under an
/// `ifi_change` mask of `IFF_UP` when `up` is given.
fn put_set_header(w: &mut MsgWriter<'_>, index: i32, up: Option<bool>) -> Result<(), EncodeError> {
    let (flags, mask) = match up {
        Some(true) => (IfFlags::UP, IfFlags::UP),
        Some(false) => (IfFlags::EMPTY, IfFlags::UP),
        None => (IfFlags::EMPTY, IfFlags::EMPTY),
    };
    w.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, index, flags, mask))
}

/// `RTM_NEWLINKPROP` (`add`, with `NLM_F_CREATE | NLM_F_EXCL |
/// NLM_F_APPEND`) or `RTM_DELLINKPROP` on link `index`: add or delete the
/// alternative names `names` (`ip link property add|del dev DEV altname
/// NAME…`), in one `IFLA_PROP_LIST` as iproute2 sends it.
///
/// # Errors
///
/// [`EncodeError::Invalid`] for index 0 or above `i32::MAX`, no names, or
/// a name empty, longer than 127 bytes or with a NUL;
/// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`].
pub fn encode_altnames<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
    names: &[&str],
    add: bool,
) -> Result<Request<'w>, EncodeError> {
    let index = index_i32(index)?;
    let bad = |n: &&str| n.is_empty() || n.len() > super::object::ALTNAME_LEN || n.contains('\0');
    if names.is_empty() || names.iter().any(bad) {
        return Err(EncodeError::Invalid {
            what: "alternative names (1 to 127 bytes each, no NUL, at least one)",
        });
    }
    let (ty, flags) = if add {
        (
            RTM_NEWLINKPROP,
            Flags::REQUEST | Flags::CREATE | Flags::EXCL | Flags::APPEND,
        )
    } else {
        (RTM_DELLINKPROP, Flags::REQUEST)
    };
    request(w, ty, flags, Expect::Ack, |w| {
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            index,
            IfFlags::EMPTY,
            IfFlags::EMPTY,
        ))?;
        w.nested(LinkAttr::PROP_LIST.0, |w| {
            names
                .iter()
                .try_for_each(|n| w.put_str(LinkAttr::ALT_IFNAME.0, n))
        })
    })
}
