//! The owned link ([`Link`]) and its decoder.

use super::info::{info_data, port_data};
use super::{
    IfFlags, IfInfoMsg, InfoAttr, LinkAttr, LinkInfoData, LinkMode, OperState, PortInfoData,
};
use crate::DecodeError;
use crate::route::common::split_object;
use crate::route::stats::LinkStats64;
use crate::route::{AddrFamily, RTM_DELLINK, RTM_NEWLINK};
use crate::values::{IfName, IfNameError, Mac};
use crate::wire::{Attr, Msg};

/// `MAX_ADDR_LEN`: the longest link-layer address.
const MAX_ADDR_LEN: usize = 32;
/// `IFALIASZ` - 1: the longest interface alias.
const IFALIAS_MAX: usize = 256;

/// A link-layer address of any length up to `MAX_ADDR_LEN` (32) bytes.
pub type RawAddress = heapless::Vec<u8, MAX_ADDR_LEN>;
/// A driver kind such as `"veth"` (`IFLA_INFO_KIND`).
pub type KindName = heapless::String<16>;

/// A link, decoded from an `RTM_NEWLINK` (reply, dump entry or notification)
/// or `RTM_DELLINK` notification. Owned and bounded: it outlives the receive
/// buffer and never allocates.
///
/// Decoding policy: the `ifinfomsg`, a non-negative index and a valid
/// `IFLA_IFNAME` are essential; without them [`Link::decode`] fails. Every
/// other attribute is optional: when one is malformed (wrong size, bad
/// UTF-8, longer than its bounded field) its field stays `None` and the
/// first such error is kept in [`Link::malformed`], so nothing is dropped
/// silently and one odd attribute cannot make the link unreadable. A framing
/// error in the attribute stream is recorded the same way (attributes after
/// it are lost). Of a repeated attribute (the kernel sends none) the last
/// is kept, except `IFLA_IFNAME`, of which the first is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// `ifi_index`.
    pub index: u32,
    /// `IFLA_IFNAME`.
    pub name: IfName,
    /// `ifi_flags`.
    pub flags: IfFlags,
    /// `ifi_type` (`ARPHRD_*`); see [`link_type_name`](super::link_type_name).
    pub link_type: u16,
    /// `IFLA_OPERSTATE` (`UNKNOWN` when absent).
    pub operstate: OperState,
    /// `IFLA_LINKMODE`.
    pub linkmode: Option<LinkMode>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_MIN_MTU`.
    pub min_mtu: Option<u32>,
    /// `IFLA_MAX_MTU` (0 = no limit).
    pub max_mtu: Option<u32>,
    /// `IFLA_TXQLEN`.
    pub txqlen: Option<u32>,
    /// `IFLA_ADDRESS` when it is 6 bytes long (Ethernet-like links).
    pub mac: Option<Mac>,
    /// `IFLA_ADDRESS` as sent, any length (empty when absent).
    pub address_raw: RawAddress,
    /// `IFLA_BROADCAST` when it is 6 bytes long.
    pub broadcast: Option<Mac>,
    /// `IFLA_BROADCAST` as sent (empty when absent).
    pub broadcast_raw: RawAddress,
    /// `IFLA_PERM_ADDRESS` when it is 6 bytes long.
    pub perm_address: Option<Mac>,
    /// `IFLA_INFO_KIND` inside `IFLA_LINKINFO`, e.g. `"veth"`.
    pub kind: Option<KindName>,
    /// `IFLA_INFO_SLAVE_KIND`, e.g. `"bridge"` for a bridge port.
    pub slave_kind: Option<KindName>,
    /// What `IFLA_INFO_DATA` said, for kinds this crate decodes.
    pub info: LinkInfoData,
    /// What `IFLA_INFO_SLAVE_DATA` said: a bridge or bond port's options.
    pub port: PortInfoData,
    /// `IFLA_MASTER`.
    pub master: Option<u32>,
    /// `IFLA_LINK`: the parent (lower) interface, or a veth's peer.
    pub link: Option<u32>,
    /// `IFLA_LINK_NETNSID`: the namespace id in which `link` lives.
    pub link_netnsid: Option<i32>,
    /// `IFLA_IFALIAS`.
    pub alias: Option<heapless::String<IFALIAS_MAX>>,
    /// `IFLA_PROP_LIST` > `IFLA_ALT_IFNAME`: the alternative names
    /// (`ip link property add … altname`), in the kernel's order; past
    /// [`ALTNAMES_MAX`] the rest are left out and `malformed` says so.
    pub altnames: AltNames,
    /// `IFLA_GROUP`.
    pub group: Option<u32>,
    /// `IFLA_PROMISCUITY`.
    pub promiscuity: Option<u32>,
    /// `IFLA_CARRIER`.
    pub carrier: Option<bool>,
    /// `IFLA_CARRIER_CHANGES`.
    pub carrier_changes: Option<u32>,
    /// `IFLA_QDISC`.
    pub qdisc: Option<KindName>,
    /// `IFLA_STATS64`.
    pub stats: Option<LinkStats64>,
    /// The first error met in an optional attribute (see the type's doc).
    pub malformed: Option<DecodeError>,
    /// `IFLA_ALLMULTI`: the all-multicast count.
    pub allmulti: Option<u32>,
    /// `IFLA_NUM_TX_QUEUES`.
    pub num_tx_queues: Option<u32>,
    /// `IFLA_NUM_RX_QUEUES`.
    pub num_rx_queues: Option<u32>,
    /// `IFLA_GSO_MAX_SIZE`.
    pub gso_max_size: Option<u32>,
    /// `IFLA_GSO_MAX_SEGS`.
    pub gso_max_segs: Option<u32>,
    /// `IFLA_TSO_MAX_SIZE`.
    pub tso_max_size: Option<u32>,
    /// `IFLA_TSO_MAX_SEGS`.
    pub tso_max_segs: Option<u32>,
    /// `IFLA_GRO_MAX_SIZE`.
    pub gro_max_size: Option<u32>,
    /// The IPv6 address generation mode (`IFLA_AF_SPEC` > `AF_INET6` >
    /// `IFLA_INET6_ADDR_GEN_MODE`): 0 eui64, 1 none, 2 stable_secret, 3
    /// random. `None` without IPv6 on the link.
    pub addr_gen_mode: Option<u8>,
    /// `IFLA_PARENT_DEV_BUS_NAME`: the bus of the device behind the link
    /// (`pci`, `virtio`).
    pub parent_bus: Option<ParentName>,
    /// `IFLA_PARENT_DEV_NAME`: the device behind the link (`0000:00:03.0`).
    pub parent_dev: Option<ParentName>,
}

/// A parent device or bus name (`IFLA_PARENT_DEV_NAME`,
/// `IFLA_PARENT_DEV_BUS_NAME`): a `dev_name()` of the kernel's device
/// model, such as a PCI address.
pub type ParentName = heapless::String<32>;

/// `ALTIFNAMSIZ` - 1: the longest alternative name.
pub const ALTNAME_LEN: usize = 127;
/// The most alternative names a [`Link`] keeps.
pub const ALTNAMES_MAX: usize = 4;
/// A link's alternative names.
pub type AltNames = heapless::Vec<heapless::String<ALTNAME_LEN>, ALTNAMES_MAX>;

/// `IFLA_INET6_ADDR_GEN_MODE`, inside `IFLA_AF_SPEC` > `AF_INET6`.
pub(super) const INET6_ADDR_GEN_MODE: u16 = 8;

fn bounded_str<const N: usize>(
    attr: &Attr<'_>,
    what: &'static str,
) -> Result<heapless::String<N>, DecodeError> {
    let s = attr.str()?;
    let mut out = heapless::String::new();
    out.push_str(s).map_err(|_| DecodeError::TooLong {
        what,
        len: s.len(),
        cap: N,
    })?;
    Ok(out)
}

fn raw_address(attr: &Attr<'_>, what: &'static str) -> Result<RawAddress, DecodeError> {
    RawAddress::from_slice(attr.payload()).map_err(|_| DecodeError::TooLong {
        what,
        len: attr.payload().len(),
        cap: MAX_ADDR_LEN,
    })
}

fn decode_name(s: &str) -> Result<IfName, DecodeError> {
    IfName::new(s).map_err(|e| match e {
        IfNameError::Empty => DecodeError::BadLength {
            what: "IFLA_IFNAME",
            len: 0,
        },
        IfNameError::TooLong { len } => DecodeError::TooLong {
            what: "IFLA_IFNAME",
            len,
            cap: IfName::MAX_LEN,
        },
        _ => DecodeError::OutOfRange {
            what: "IFLA_IFNAME (forbidden byte)",
            value: s
                .bytes()
                .find(|&b| b == 0 || b == b'/' || b == b':' || b.is_ascii_whitespace())
                .map_or(u64::from(b'.'), u64::from),
        },
    })
}

fn mac_of(bytes: &[u8]) -> Option<Mac> {
    <[u8; 6]>::try_from(bytes).ok().map(Mac)
}

impl Link {
    /// Only the interface index of an `RTM_NEWLINK`/`RTM_DELLINK`: what a
    /// name lookup needs, without decoding (or linking the code for) every
    /// attribute.
    ///
    /// # Errors
    ///
    /// As [`Link::decode`] for the message type and the fixed header.
    pub fn decode_index(msg: &Msg<'_>) -> Result<u32, DecodeError> {
        let (hdr, _) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let raw_index = hdr.index.get();
        u32::try_from(raw_index).map_err(|_| DecodeError::OutOfRange {
            what: "ifi_index",
            value: u64::from(raw_index.unsigned_abs()),
        })
    }

    /// Only the interface index and name of an `RTM_NEWLINK`/`RTM_DELLINK`:
    /// what naming a link given by index needs, without decoding (or
    /// linking the code for) the other attributes.
    ///
    /// # Errors
    ///
    /// As [`Link::decode`] for the message type, the fixed header and
    /// `IFLA_IFNAME`.
    pub fn decode_identity(msg: &Msg<'_>) -> Result<(u32, IfName), DecodeError> {
        let index = Self::decode_index(msg)?;
        let (_, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        let name_attr = attrs
            .map_while(Result::ok)
            .find(|a| a.kind() == LinkAttr::IFNAME.0)
            .ok_or(DecodeError::MissingAttr {
                what: "link",
                kind: LinkAttr::IFNAME.0,
            })?;
        Ok((index, decode_name(name_attr.str()?)?))
    }

    /// Decode an `RTM_NEWLINK` or `RTM_DELLINK` message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`] for another message type,
    /// [`DecodeError::Truncated`] if the `ifinfomsg` is cut short,
    /// [`DecodeError::OutOfRange`] for a negative index,
    /// [`DecodeError::MissingAttr`] without `IFLA_IFNAME`, and for a name
    /// [`IfName`] refuses (the kernel never sends one): [`DecodeError::NotUtf8`],
    /// [`DecodeError::BadLength`] (empty), [`DecodeError::TooLong`] (over 15
    /// bytes) or [`DecodeError::OutOfRange`] (a forbidden byte, as `value`),
    /// each with `what = "IFLA_IFNAME"`. Optional attributes never fail the
    /// decode; see the type's doc.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split_object::<IfInfoMsg>(msg, [RTM_NEWLINK, RTM_DELLINK], "ifinfomsg")?;
        // The name first, so the link is built once and filled in place
        // (the kernel sends IFLA_IFNAME first; 1 KiB not copied twice).
        let (index, name) = Self::decode_identity(msg)?;
        let mut link = Self::empty(index, name, IfFlags(hdr.flags.get()), hdr.ty.get());
        for item in attrs {
            match item {
                Ok(attr) => link.take(&attr),
                Err(e) => {
                    link.note(e);
                    break;
                }
            }
        }
        link.mac = mac_of(&link.address_raw);
        link.broadcast = mac_of(&link.broadcast_raw);
        Ok(link)
    }

    /// A link with only its identity, before its attributes are read.
    fn empty(index: u32, name: IfName, flags: IfFlags, link_type: u16) -> Self {
        Self {
            index,
            name,
            flags,
            link_type,
            operstate: OperState::UNKNOWN,
            linkmode: None,
            mtu: None,
            min_mtu: None,
            max_mtu: None,
            txqlen: None,
            mac: None,
            address_raw: RawAddress::default(),
            broadcast: None,
            broadcast_raw: RawAddress::default(),
            perm_address: None,
            kind: None,
            slave_kind: None,
            port: PortInfoData::Other,
            info: LinkInfoData::default(),
            master: None,
            link: None,
            link_netnsid: None,
            alias: None,
            altnames: AltNames::new(),
            group: None,
            promiscuity: None,
            carrier: None,
            carrier_changes: None,
            qdisc: None,
            stats: None,
            malformed: None,
            allmulti: None,
            num_tx_queues: None,
            num_rx_queues: None,
            gso_max_size: None,
            gso_max_segs: None,
            tso_max_size: None,
            tso_max_segs: None,
            gro_max_size: None,
            addr_gen_mode: None,
            parent_bus: None,
            parent_dev: None,
        }
    }

    /// Whether `IFF_UP` is set (administratively up).
    pub fn is_up(&self) -> bool {
        self.flags.contains(IfFlags::UP)
    }
}

/// The attribute walk of [`Link::decode`], filling the link in place.
impl Link {
    fn note(&mut self, e: DecodeError) {
        self.malformed.get_or_insert(e);
    }

    fn opt<T>(&mut self, r: Result<T, DecodeError>) -> Option<T> {
        r.map_err(|e| self.note(e)).ok()
    }

    fn take(&mut self, attr: &Attr<'_>) {
        match LinkAttr(attr.kind()) {
            LinkAttr::OPERSTATE => {
                if let Some(state) = self.opt(attr.u8().map(OperState)) {
                    self.operstate = state;
                }
            }
            LinkAttr::LINKMODE => self.linkmode = self.opt(attr.u8().map(LinkMode)),
            LinkAttr::MTU => self.mtu = self.opt(attr.u32()),
            LinkAttr::MIN_MTU => self.min_mtu = self.opt(attr.u32()),
            LinkAttr::MAX_MTU => self.max_mtu = self.opt(attr.u32()),
            LinkAttr::TXQLEN => self.txqlen = self.opt(attr.u32()),
            LinkAttr::ADDRESS => {
                self.address_raw = self
                    .opt(raw_address(attr, "IFLA_ADDRESS"))
                    .unwrap_or_default();
            }
            LinkAttr::BROADCAST => {
                self.broadcast_raw = self
                    .opt(raw_address(attr, "IFLA_BROADCAST"))
                    .unwrap_or_default();
            }
            LinkAttr::PERM_ADDRESS => self.perm_address = mac_of(attr.payload()),
            LinkAttr::MASTER => self.master = self.opt(attr.u32()),
            LinkAttr::LINK => self.link = self.opt(attr.u32()),
            LinkAttr::LINK_NETNSID => self.link_netnsid = self.opt(attr.i32()),
            LinkAttr::IFALIAS => self.alias = self.opt(bounded_str(attr, "IFLA_IFALIAS")),
            LinkAttr::PROP_LIST => {
                for a in attr.nested().map_while(Result::ok) {
                    if a.kind() != LinkAttr::ALT_IFNAME.0 {
                        continue;
                    }
                    if let Some(n) = self.opt(bounded_str(&a, "IFLA_ALT_IFNAME")) {
                        if self.altnames.push(n).is_err() {
                            self.note(DecodeError::TooLong {
                                what: "IFLA_PROP_LIST",
                                len: ALTNAMES_MAX + 1,
                                cap: ALTNAMES_MAX,
                            });
                        }
                    }
                }
            }
            LinkAttr::GROUP => self.group = self.opt(attr.u32()),
            LinkAttr::PROMISCUITY => self.promiscuity = self.opt(attr.u32()),
            LinkAttr::CARRIER => self.carrier = self.opt(attr.u8().map(|c| c != 0)),
            LinkAttr::CARRIER_CHANGES => self.carrier_changes = self.opt(attr.u32()),
            LinkAttr::QDISC => self.qdisc = self.opt(bounded_str(attr, "IFLA_QDISC")),
            LinkAttr::STATS64 => self.stats = Some(LinkStats64::from_attr(attr)),
            LinkAttr::LINKINFO => self.linkinfo(attr),
            LinkAttr::ALLMULTI => self.allmulti = self.opt(attr.u32()),
            LinkAttr::NUM_TX_QUEUES => self.num_tx_queues = self.opt(attr.u32()),
            LinkAttr::NUM_RX_QUEUES => self.num_rx_queues = self.opt(attr.u32()),
            LinkAttr::GSO_MAX_SIZE => self.gso_max_size = self.opt(attr.u32()),
            LinkAttr::GSO_MAX_SEGS => self.gso_max_segs = self.opt(attr.u32()),
            LinkAttr::TSO_MAX_SIZE => self.tso_max_size = self.opt(attr.u32()),
            LinkAttr::TSO_MAX_SEGS => self.tso_max_segs = self.opt(attr.u32()),
            LinkAttr::GRO_MAX_SIZE => self.gro_max_size = self.opt(attr.u32()),
            LinkAttr::PARENT_DEV_BUS_NAME => {
                self.parent_bus = self.opt(bounded_str(attr, "IFLA_PARENT_DEV_BUS_NAME"))
            }
            LinkAttr::PARENT_DEV_NAME => {
                self.parent_dev = self.opt(bounded_str(attr, "IFLA_PARENT_DEV_NAME"))
            }
            LinkAttr::AF_SPEC => self.af_spec(attr),
            _ => {}
        }
    }

    /// `IFLA_AF_SPEC`: per family; only IPv6's address generation mode
    /// is kept.
    fn af_spec(&mut self, attr: &Attr<'_>) {
        let inet6 = attr
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == u16::from(AddrFamily::INET6.0));
        if let Some(inet6) = inet6 {
            if let Some(mode) = inet6
                .nested()
                .map_while(Result::ok)
                .find(|a| a.kind() == INET6_ADDR_GEN_MODE)
            {
                self.addr_gen_mode = self.opt(mode.u8());
            }
        }
    }

    fn linkinfo(&mut self, attr: &Attr<'_>) {
        let mut data = None;
        let mut slave_data = None;
        for item in attr.nested() {
            let inner = match item {
                Ok(a) => a,
                Err(e) => {
                    self.note(e);
                    break;
                }
            };
            match InfoAttr(inner.kind()) {
                InfoAttr::KIND => self.kind = self.opt(bounded_str(&inner, "IFLA_INFO_KIND")),
                InfoAttr::SLAVE_KIND => {
                    self.slave_kind = self.opt(bounded_str(&inner, "IFLA_INFO_SLAVE_KIND"));
                }
                InfoAttr::DATA => data = Some(inner),
                InfoAttr::SLAVE_DATA => slave_data = Some(inner),
                _ => {}
            }
        }
        self.port = match self.slave_kind.as_deref() {
            Some(kind) => port_data(kind, slave_data),
            None => PortInfoData::Other,
        };
        self.info = match self.kind.as_deref() {
            Some(kind) => info_data(kind, data),
            None => LinkInfoData::Other,
        };
    }
}
