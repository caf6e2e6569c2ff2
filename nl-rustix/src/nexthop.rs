//! Nexthop object verbs: `ip nexthop show|get|add|replace|del`.

use crate::{Conn, Error, LinkId, verb};
use nl_proto::EncodeError;
use nl_proto::route::AddrFamily;
use nl_proto::route::nexthop::{self, GroupMember, NH_F_ONLINK, NewNexthop, Nexthop, NexthopDump};
use nl_proto::route::route::RouteProtocol;
use nl_proto::session::Request;
use nl_proto::wire::MsgWriter;
use std::net::IpAddr;

/// A nexthop object to add or replace: `ip nexthop add id N { via GW [dev
/// NAME] | dev NAME | blackhole | group ID[,WEIGHT]/… } [proto P] [onlink]
/// [fdb]`.
///
/// ```no_run
/// use nl_rustix::{Conn, NexthopSpec};
/// use nl_rustix::nl_proto::route::nexthop::GroupMember;
/// let mut conn = Conn::open()?;
/// conn.add_nexthop(&NexthopSpec::via(7, "10.0.0.2".parse().unwrap()).dev("veth0"))?;
/// conn.add_nexthop(&NexthopSpec::via(8, "10.0.0.3".parse().unwrap()).dev("veth0"))?;
/// let members = vec![GroupMember { id: 7, weight: 1 }, GroupMember { id: 8, weight: 3 }];
/// conn.add_nexthop(&NexthopSpec::group(10, members))?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NexthopSpec {
    /// Its id (0: the kernel picks one).
    pub id: u32,
    /// `-4`/`-6`; otherwise the gateway's family, IPv4 for a device or
    /// blackhole, none for a group (as iproute2).
    pub family: Option<AddrFamily>,
    /// `via GW`.
    pub gateway: Option<IpAddr>,
    /// `dev NAME`.
    pub dev: Option<LinkId>,
    /// `blackhole`.
    pub blackhole: bool,
    /// `group ID[,WEIGHT]/…`.
    pub group: Vec<GroupMember>,
    /// `proto P`.
    pub protocol: Option<RouteProtocol>,
    /// `onlink`.
    pub onlink: bool,
    /// `fdb`.
    pub fdb: bool,
    /// `encap mpls L1/L2…`.
    pub encap: Option<nl_proto::route::encap::MplsEncap>,
}

impl NexthopSpec {
    /// Nexthop `id` through `gw`.
    pub fn via(id: u32, gw: IpAddr) -> Self {
        Self {
            id,
            gateway: Some(gw),
            ..Self::default()
        }
    }
    /// Group `id` of `members`.
    pub fn group(id: u32, members: Vec<GroupMember>) -> Self {
        Self {
            id,
            group: members,
            ..Self::default()
        }
    }
    /// `dev NAME`.
    #[must_use]
    pub fn dev(mut self, link: impl Into<LinkId>) -> Self {
        self.dev = Some(link.into());
        self
    }

    /// The family sent: as iproute2 picks it.
    pub(crate) fn family(&self) -> AddrFamily {
        if let Some(f) = self.family {
            return f;
        }
        match self.gateway {
            Some(g) => AddrFamily::of(&g),
            None if self.dev.is_some() || self.blackhole => AddrFamily::INET,
            None => AddrFamily::UNSPEC,
        }
    }
}

/// A nexthop request with its link resolved, ready to encode any number
/// of times (for [`Conn::apply`] and the reconciler's steps).
#[derive(Debug, Clone)]
pub(crate) struct NexthopReady {
    spec: NexthopSpec,
    oif: Option<u32>,
    replace: bool,
}

impl NexthopSpec {
    /// This spec with its `dev` resolved to `oif`.
    pub(crate) fn ready(&self, oif: Option<u32>, replace: bool) -> NexthopReady {
        NexthopReady {
            spec: self.clone(),
            oif,
            replace,
        }
    }
}

impl NexthopReady {
    pub(crate) fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        let spec = &self.spec;
        let req = NewNexthop {
            gateway: spec.gateway,
            oif: self.oif,
            blackhole: spec.blackhole,
            group: &spec.group,
            protocol: spec.protocol.unwrap_or(RouteProtocol::UNSPEC),
            flags: if spec.onlink { NH_F_ONLINK } else { 0 },
            fdb: spec.fdb,
            encap: spec.encap,
            ..NewNexthop::new(spec.id, spec.family())
        };
        nexthop::encode_new(w, &req, self.replace)
    }
}

impl Conn {
    /// Nexthop objects the kernel has, filtered by `filter` (in the
    /// kernel): `ip [-4|-6] nexthop show [dev NAME] [groups] [fdb]`.
    ///
    /// # Errors
    ///
    /// I/O, kernel (e.g. `EOPNOTSUPP` before Linux 5.3) or decoding errors.
    pub fn nexthops(&mut self, filter: &NexthopDump) -> Result<Vec<Nexthop>, Error> {
        self.run(verb::nexthops(filter))
    }

    /// Nexthop `id`: `ip nexthop get id N`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none.
    pub fn nexthop(&mut self, id: u32) -> Result<Nexthop, Error> {
        self.run(verb::nexthop(id))
    }

    /// Add a nexthop: `ip nexthop add`.
    ///
    /// # Errors
    ///
    /// `EEXIST` if the id is taken, [`Error::NoSuchLink`] for a missing `dev`, kernel
    /// refusals with the kernel's text (an unknown group member, …).
    pub fn add_nexthop(&mut self, spec: &NexthopSpec) -> Result<(), Error> {
        self.run(verb::add_nexthop(spec))
    }

    /// Add or replace a nexthop: `ip nexthop replace`.
    ///
    /// # Errors
    ///
    /// As [`Conn::add_nexthop`], without `EEXIST`.
    pub fn replace_nexthop(&mut self, spec: &NexthopSpec) -> Result<(), Error> {
        self.run(verb::replace_nexthop(spec))
    }

    /// Delete nexthop `id` (and the routes using it): `ip nexthop del id N`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none.
    pub fn delete_nexthop(&mut self, id: u32) -> Result<(), Error> {
        self.run(verb::delete_nexthop(id))
    }
}
