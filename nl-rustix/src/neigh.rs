//! Neighbour verbs: `ip neigh show|add|replace|del` (ARP and NDP).

use crate::{Conn, Error, LinkId, verb};
use nl_proto::route::AddrFamily;
use nl_proto::route::neigh::{NeighFlags, Neighbour, NudState};
use nl_proto::values::Mac;
use std::net::IpAddr;

/// A neighbour entry to add or replace, in any state: `ip neigh
/// add|replace ADDR [lladdr MAC] dev LINK [nud STATE] [router]`.
///
/// ```no_run
/// use nl_rustix::{Conn, NeighSpec, Op};
/// use nl_rustix::nl_proto::route::neigh::NudState;
/// let mut conn = Conn::open()?;
/// let mut spec = NeighSpec::new("veth0", "10.0.0.2".parse().unwrap());
/// spec.lladdr = Some("02:00:00:00:00:02".parse().unwrap());
/// spec.state = NudState::REACHABLE;
/// conn.apply(&[Op::NewNeighbour(spec)])?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighSpec {
    /// The link.
    pub link: LinkId,
    /// Network-layer address.
    pub dst: IpAddr,
    /// Link-layer address.
    pub lladdr: Option<Mac>,
    /// State (`nud`), permanent by default as in iproute2.
    pub state: NudState,
    /// `router`: the neighbour is a router (`NTF_ROUTER`).
    pub router: bool,
    /// `proxy`: a proxy entry (`NTF_PROXY`, `ip neigh add proxy ADDR dev
    /// LINK`), answered for on the link's behalf; it has no link-layer
    /// address or state.
    pub proxy: bool,
    /// Replace an existing entry (`ip neigh replace`) instead of failing
    /// with `EEXIST`.
    pub replace: bool,
}

impl NeighSpec {
    /// A permanent entry for `dst` on `link`, no link-layer address.
    pub fn new(link: impl Into<LinkId>, dst: IpAddr) -> Self {
        Self {
            link: link.into(),
            dst,
            lladdr: None,
            state: NudState::PERMANENT,
            router: false,
            proxy: false,
            replace: false,
        }
    }
}

impl NeighSpec {
    /// `lladdr MAC`.
    #[must_use]
    pub fn lladdr(mut self, mac: Mac) -> Self {
        self.lladdr = Some(mac);
        self
    }

    /// The `NTF_*` flags this spec sets.
    pub(crate) fn flags(&self) -> NeighFlags {
        let mut f = NeighFlags::EMPTY;
        if self.router {
            f |= NeighFlags::ROUTER;
        }
        if self.proxy {
            f |= NeighFlags::PROXY;
        }
        f
    }
}

impl Conn {
    /// Neighbour entries (`family` `None` = IPv4 and IPv6), optionally of
    /// one link: `ip neigh show [dev NAME]`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] for a missing link; I/O, kernel or decoding errors.
    pub fn neighbours(
        &mut self,
        family: Option<AddrFamily>,
        link: Option<LinkId>,
    ) -> Result<Vec<Neighbour>, Error> {
        self.run(verb::neighbours(family, link))
    }

    /// Add a permanent entry: `ip neigh add ADDR lladdr MAC dev LINK`.
    ///
    /// # Errors
    ///
    /// `EEXIST` if there is one, [`Error::NoSuchLink`] for a missing link.
    pub fn add_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<(), Error> {
        self.run(verb::add_neighbour(link, dst, lladdr))
    }

    /// Add or update a permanent entry: `ip neigh replace`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] for a missing link.
    pub fn replace_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<(), Error> {
        self.run(verb::replace_neighbour(link, dst, lladdr))
    }

    /// Delete an entry: `ip neigh del ADDR dev LINK`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none.
    pub fn delete_neighbour(&mut self, link: impl Into<LinkId>, dst: IpAddr) -> Result<(), Error> {
        self.run(verb::delete_neighbour(link, dst))
    }

    /// Delete the proxy entry for `dst` on `link`: `ip neigh del proxy
    /// ADDR dev LINK`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none, [`Error::NoSuchLink`] for a missing link.
    pub fn delete_proxy_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
    ) -> Result<(), Error> {
        self.run(verb::delete_proxy_neighbour(link, dst))
    }

    /// The entry for `dst` on `link` (with `proxy`, the proxy entry):
    /// `ip neigh get [proxy] ADDR dev LINK`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none, [`Error::NoSuchLink`] for a missing link.
    pub fn neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        proxy: bool,
    ) -> Result<Neighbour, Error> {
        self.run(verb::neighbour(link, dst, proxy))
    }
}
