//! Link verbs: list, get, create, change, delete, move between
//! namespaces, statistics.
//!
//! Names are checked ([`IfName`] rules) and resolved to indexes before
//! anything is sent, so a bad name or a missing parent is reported without
//! touching the kernel's state.

use crate::{Conn, Decoder, DumpIter, Error, Netns, verb};
use nl_proto::route::link::{
    self, IpvlanMode, Link, LinkInfoData, MacvlanMode, NetnsRef, PortInfoData, VlanProtocol,
    VxlanOptions,
};
use nl_proto::route::stats::LinkStats64;
use nl_proto::values::{IfName, Mac};
use nl_proto::wire::Msg;
use std::net::IpAddr;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;

/// A link named by index or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkId {
    /// By interface index.
    Index(u32),
    /// By name.
    Name(String),
}

impl From<u32> for LinkId {
    fn from(i: u32) -> Self {
        Self::Index(i)
    }
}
impl From<&str> for LinkId {
    fn from(s: &str) -> Self {
        Self::Name(s.to_string())
    }
}
impl From<String> for LinkId {
    fn from(s: String) -> Self {
        Self::Name(s)
    }
}
impl From<&String> for LinkId {
    fn from(s: &String) -> Self {
        Self::Name(s.clone())
    }
}
impl From<&Link> for LinkId {
    fn from(l: &Link) -> Self {
        Self::Index(l.index)
    }
}

impl std::fmt::Display for LinkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Index(i) => write!(f, "index {i}"),
            Self::Name(n) => write!(f, "\"{n}\""),
        }
    }
}

/// Check an interface name before it is sent.
///
/// # Errors
///
/// [`Error::Invalid`] naming the rule it breaks.
pub fn ifname(name: &str) -> Result<IfName, Error> {
    IfName::new(name).map_err(|e| Error::Invalid(format!("interface name \"{name}\": {e}")))
}

/// What kind of link [`LinkSpec`] creates.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Kind {
    /// A bridge.
    Bridge,
    /// A dummy interface.
    Dummy,
    /// An intermediate functional block.
    Ifb,
    /// A veth pair.
    Veth {
        /// The other end's name.
        peer: String,
        /// Create the other end in this namespace.
        peer_netns: Option<Netns>,
    },
    /// A macvlan on `parent`.
    Macvlan {
        /// The lower link.
        parent: LinkId,
        /// Its mode.
        mode: MacvlanMode,
    },
    /// An ipvlan on `parent`.
    Ipvlan {
        /// The lower link.
        parent: LinkId,
        /// Its mode.
        mode: IpvlanMode,
    },
    /// An 802.1Q / 802.1ad VLAN on `parent`.
    Vlan {
        /// The lower link.
        parent: LinkId,
        /// VLAN id, 0 to 4094.
        id: u16,
        /// Tag protocol.
        protocol: VlanProtocol,
    },
    /// A VXLAN tunnel.
    Vxlan {
        /// VNI, below 2^24.
        id: u32,
        /// UDP destination port (kernel default 8472 when `None`).
        port: Option<u16>,
        /// Local address.
        local: Option<IpAddr>,
        /// Remote address, or multicast group.
        remote: Option<IpAddr>,
        /// Underlay link.
        parent: Option<LinkId>,
        /// Everything else (ttl, tos, learning, …); with
        /// `collect_metadata` (`external`) the id is not sent.
        options: VxlanOptions,
    },
    /// A kind by its kernel name with its options (bridge options, a
    /// vlan's QoS maps, geneve, GRE and IP-in-IP tunnels, bond, vrf, …),
    /// written as [`LinkInfoData::put`](nl_proto::route::link::LinkInfoData::put)
    /// writes them.
    Options {
        /// The kernel's name for the kind, e.g. `"gretap"`.
        kind: String,
        /// Its options (boxed: some kinds' are large).
        options: Box<LinkInfoData>,
        /// The lower link of a vlan, macvlan or ipvlan.
        parent: Option<LinkId>,
    },
    /// Any other kind the kernel may know, by name, without settings
    /// (`ip link add NAME type KIND`).
    Other(String),
}

/// A link to create: `ip link add`.
///
/// ```no_run
/// use nl_rustix::{Conn, LinkSpec};
/// let mut conn = Conn::open()?;
/// conn.create_link(&LinkSpec::veth("veth0", "veth1").mtu(1400).up())?;
/// conn.create_link(&LinkSpec::bridge("br0"))?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LinkSpec {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// MTU.
    pub mtu: Option<u32>,
    /// MAC address.
    pub mac: Option<Mac>,
    /// A bridge to enslave it to.
    pub master: Option<LinkId>,
    /// Bring it up at creation.
    pub up: bool,
    /// Create it in another namespace.
    pub netns: Option<Netns>,
    /// For a veth: the peer's MAC address (`peer name P address MAC`).
    pub peer_mac: Option<Mac>,
    /// Its interface index (`index N`; `None`: the kernel picks one).
    pub index: Option<u32>,
    /// For a veth: the peer's index (`peer name P index N`); the kernel
    /// honours it only when [`LinkSpec::index`] is set too.
    pub peer_index: Option<u32>,
}

impl LinkSpec {
    /// A link of `kind` named `name`.
    pub fn new(name: impl Into<String>, kind: Kind) -> Self {
        Self {
            name: name.into(),
            kind,
            mtu: None,
            mac: None,
            master: None,
            up: false,
            netns: None,
            peer_mac: None,
            index: None,
            peer_index: None,
        }
    }
    /// `ip link add NAME type bridge`.
    pub fn bridge(name: impl Into<String>) -> Self {
        Self::new(name, Kind::Bridge)
    }
    /// `ip link add NAME type dummy`.
    pub fn dummy(name: impl Into<String>) -> Self {
        Self::new(name, Kind::Dummy)
    }
    /// `ip link add NAME type veth peer name PEER`.
    pub fn veth(name: impl Into<String>, peer: impl Into<String>) -> Self {
        Self::new(
            name,
            Kind::Veth {
                peer: peer.into(),
                peer_netns: None,
            },
        )
    }
    /// `ip link add NAME link PARENT type macvlan mode MODE`.
    pub fn macvlan(name: impl Into<String>, parent: impl Into<LinkId>, mode: MacvlanMode) -> Self {
        Self::new(
            name,
            Kind::Macvlan {
                parent: parent.into(),
                mode,
            },
        )
    }
    /// `ip link add NAME link PARENT type ipvlan mode MODE`.
    pub fn ipvlan(name: impl Into<String>, parent: impl Into<LinkId>, mode: IpvlanMode) -> Self {
        Self::new(
            name,
            Kind::Ipvlan {
                parent: parent.into(),
                mode,
            },
        )
    }
    /// `ip link add NAME link PARENT type vlan id ID`.
    pub fn vlan(name: impl Into<String>, parent: impl Into<LinkId>, id: u16) -> Self {
        Self::new(
            name,
            Kind::Vlan {
                parent: parent.into(),
                id,
                protocol: VlanProtocol::DOT1Q,
            },
        )
    }
    /// `ip link add NAME type vxlan id ID`.
    pub fn vxlan(name: impl Into<String>, id: u32) -> Self {
        Self::new(
            name,
            Kind::Vxlan {
                id,
                port: None,
                local: None,
                remote: None,
                parent: None,
                options: VxlanOptions::default(),
            },
        )
    }
    /// Set the MTU.
    #[must_use]
    pub fn mtu(mut self, mtu: u32) -> Self {
        self.mtu = Some(mtu);
        self
    }
    /// Set the MAC address.
    #[must_use]
    pub fn mac(mut self, mac: Mac) -> Self {
        self.mac = Some(mac);
        self
    }
    /// Enslave to `master` at creation.
    #[must_use]
    pub fn master(mut self, master: impl Into<LinkId>) -> Self {
        self.master = Some(master.into());
        self
    }
    /// Bring it up at creation.
    #[must_use]
    pub fn up(mut self) -> Self {
        self.up = true;
        self
    }
    /// Create it in `netns` instead.
    #[must_use]
    pub fn netns(mut self, netns: Netns) -> Self {
        self.netns = Some(netns);
        self
    }
    /// Create it with interface index `index` (`index N`).
    #[must_use]
    pub fn index(mut self, index: u32) -> Self {
        self.index = Some(index);
        self
    }
    /// For a veth: create the other end (the peer) in `netns`, in the same
    /// request: `ip link add NAME type veth peer name PEER netns NETNS`.
    /// This end stays here (or goes where [`LinkSpec::netns`] says). Like
    /// [`LinkSpec::peer_mac`], it means nothing for other kinds, which
    /// have no peer, and is ignored there.
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, LinkSpec, Netns};
    /// let mut host = Conn::open()?;
    /// // The container's end is born inside it, never visible on the host.
    /// host.create_link(&LinkSpec::veth("veth-h", "eth0").peer_netns(Netns::Pid(4242)))?;
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    #[must_use]
    pub fn peer_netns(mut self, netns: Netns) -> Self {
        if let Kind::Veth { peer_netns, .. } = &mut self.kind {
            *peer_netns = Some(netns);
        }
        self
    }
}

/// Changes to a link: `ip link set`. Unset fields are left alone.
///
/// ```no_run
/// use nl_rustix::{Conn, LinkSet};
/// let mut conn = Conn::open()?;
/// conn.set_link("veth0", &LinkSet::new().mtu(1400).up())?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LinkSet {
    /// Administrative state.
    pub up: Option<bool>,
    /// MTU.
    pub mtu: Option<u32>,
    /// MAC address.
    pub mac: Option<Mac>,
    /// New name.
    pub name: Option<String>,
    /// `Some(Some(m))`: enslave to `m`; `Some(None)`: release.
    pub master: Option<Option<LinkId>>,
    /// Move to another namespace.
    pub netns: Option<Netns>,
    /// `alias TEXT` (`IFLA_IFALIAS`; an empty text removes it).
    pub alias: Option<String>,
    /// `type KIND OPTIONS…`: the kind's name and the options to change
    /// (boxed, as some kinds' are large).
    pub info: Option<Box<(String, LinkInfoData)>>,
    /// `type bridge_slave|bond_slave OPTIONS…`: the port's options to
    /// change.
    pub port: Option<Box<PortInfoData>>,
}

impl LinkSet {
    /// No changes yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// `up`.
    #[must_use]
    pub fn up(mut self) -> Self {
        self.up = Some(true);
        self
    }
    /// `down`.
    #[must_use]
    pub fn down(mut self) -> Self {
        self.up = Some(false);
        self
    }
    /// `mtu N`.
    #[must_use]
    pub fn mtu(mut self, mtu: u32) -> Self {
        self.mtu = Some(mtu);
        self
    }
    /// `address MAC`.
    #[must_use]
    pub fn mac(mut self, mac: Mac) -> Self {
        self.mac = Some(mac);
        self
    }
    /// `name NEW`.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// `master M`.
    #[must_use]
    pub fn master(mut self, master: impl Into<LinkId>) -> Self {
        self.master = Some(Some(master.into()));
        self
    }
    /// `nomaster`.
    #[must_use]
    pub fn nomaster(mut self) -> Self {
        self.master = Some(None);
        self
    }
    /// `netns NETNS`.
    #[must_use]
    pub fn netns(mut self, netns: Netns) -> Self {
        self.netns = Some(netns);
        self
    }
    /// `alias TEXT` (an empty text removes the alias).
    #[must_use]
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }
}

/// A namespace reference ready to send, keeping its descriptor open until
/// the request is done.
pub(crate) struct NsTarget {
    pub(crate) r: NetnsRef,
    _fd: Arc<OwnedFd>,
}

/// Every namespace is sent as a descriptor opened now (`IFLA_NET_NS_FD`).
/// For `Pid` that pins the process's namespace at call time, where
/// `IFLA_NET_NS_PID` would let the kernel resolve a pid reused meanwhile;
/// for `Current` it is the calling thread's namespace: a thread that
/// entered one must not send links to the process's.
pub(crate) fn ns_target(netns: &Netns) -> Result<NsTarget, Error> {
    let fd = netns.open_file()?;
    Ok(NsTarget {
        r: NetnsRef::Fd(fd_number(&fd)?),
        _fd: fd,
    })
}

fn fd_number(fd: &OwnedFd) -> Result<u32, Error> {
    u32::try_from(fd.as_raw_fd()).map_err(|_| Error::Unexpected("negative descriptor"))
}

pub(crate) fn decode_link(msg: &Msg<'_>) -> Result<Option<Link>, nl_proto::DecodeError> {
    Link::decode(msg).map(Some)
}

impl Conn {
    /// All links: `ip link show`.
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn links(&mut self) -> Result<Vec<Link>, Error> {
        self.run(verb::links())
    }

    /// All links, streamed one datagram at a time (constant memory).
    ///
    /// # Errors
    ///
    /// The request cannot be sent.
    pub fn links_iter(&mut self) -> Result<DumpIter<'_, Link, Decoder<Link>>, Error> {
        self.dump_iter(link::encode_dump, decode_link as Decoder<Link>)
    }

    /// One link, by name or index: `ip link show dev NAME`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] (`netlink ENODEV (19): no such interface
    /// "NAME"`) if it does not exist; [`Error::Invalid`] for a malformed
    /// name.
    pub fn link(&mut self, id: impl Into<LinkId>) -> Result<Link, Error> {
        self.run(verb::link(id))
    }

    /// The index of link `name`.
    ///
    /// # Errors
    ///
    /// As [`Conn::link`].
    pub fn link_index(&mut self, id: impl Into<LinkId>) -> Result<u32, Error> {
        self.run(verb::link_index(id))
    }

    /// Whether link `id` is administratively up.
    ///
    /// # Errors
    ///
    /// As [`Conn::link`].
    pub fn link_is_up(&mut self, id: impl Into<LinkId>) -> Result<bool, Error> {
        self.run(verb::link_is_up(id))
    }

    /// Create a link: `ip link add`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad name or setting (nothing is sent),
    /// [`Error::NoSuchLink`] for a missing parent or master (nothing is
    /// sent), `EEXIST` when the name is
    /// taken, `EOPNOTSUPP` when the kernel lacks the kind.
    pub fn create_link(&mut self, spec: &LinkSpec) -> Result<(), Error> {
        self.run(verb::create_link(spec))
    }

    /// Change a link: `ip link set`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] if the link (or the new master) does not exist;
    /// [`Error::Invalid`] for a bad new name; kernel refusals (e.g. an MTU
    /// out of range) with the kernel's text.
    pub fn set_link(&mut self, id: impl Into<LinkId>, change: &LinkSet) -> Result<(), Error> {
        self.run(verb::set_link(id, change))
    }

    /// Move a link into another namespace: `ip link set NAME netns NS`.
    ///
    /// # Errors
    ///
    /// As [`Conn::set_link`], plus errors opening the namespace.
    pub fn move_link(&mut self, id: impl Into<LinkId>, to: &Netns) -> Result<(), Error> {
        self.run(verb::move_link(id, to))
    }

    /// Delete a link: `ip link del`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] if it does not exist.
    pub fn delete_link(&mut self, id: impl Into<LinkId>) -> Result<(), Error> {
        self.run(verb::delete_link(id))
    }

    /// Add (`add`) or delete alternative names of a link (`ip link
    /// property add|del dev DEV altname NAME…`: `RTM_NEWLINKPROP`,
    /// `RTM_DELLINKPROP`).
    ///
    /// # Errors
    ///
    /// As [`Conn::link`] for the link; [`Error::Invalid`] for a bad name;
    /// the kernel's `EEXIST` for a name in use, `ENOENT` deleting one the
    /// link lacks.
    pub fn link_altnames(
        &mut self,
        id: impl Into<LinkId>,
        names: &[&str],
        add: bool,
    ) -> Result<(), Error> {
        self.run(verb::link_altnames(id, names, add))
    }

    /// The 64-bit statistics of one link (`RTM_GETSTATS`).
    ///
    /// # Errors
    ///
    /// As [`Conn::link`].
    pub fn link_stats(&mut self, id: impl Into<LinkId>) -> Result<LinkStats64, Error> {
        self.run(verb::link_stats(id))
    }

    /// The 64-bit statistics of every link, by index.
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn all_link_stats(&mut self) -> Result<Vec<(u32, LinkStats64)>, Error> {
        self.run(verb::all_link_stats())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `peer_netns` puts a veth's peer in the namespace; kinds without a
    /// peer are left as they were.
    #[test]
    fn peer_netns_sets_the_veth_peer_namespace() {
        let spec = LinkSpec::veth("a", "b").peer_netns(Netns::Pid(7));
        match &spec.kind {
            Kind::Veth { peer, peer_netns } => {
                assert_eq!(peer, "b");
                assert!(matches!(peer_netns, Some(Netns::Pid(7))), "{peer_netns:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(spec.netns.is_none(), "this end stays");
        let bridge = LinkSpec::bridge("br0").peer_netns(Netns::Pid(7));
        assert!(matches!(bridge.kind, Kind::Bridge) && bridge.netns.is_none());
    }
}
