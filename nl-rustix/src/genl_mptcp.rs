//! MPTCP path manager verbs: `ip mptcp endpoint add|delete|change|show|flush`
//! and `ip mptcp limits set|show`, over a generic netlink connection.

use crate::{Conn, Error, verb};
use nl_proto::genl::FamilyId;
use nl_proto::genl::mptcp::{Endpoint, Limits, MPTCP_PM_NAME};

/// The in-kernel MPTCP path manager (`mptcp_pm`) on a generic netlink
/// connection: [`Conn::mptcp_pm`] resolves the family once, and every
/// verb here uses its id.
///
/// Endpoints name their interface by index; resolve a name with
/// [`Conn::link_index`] on an rtnetlink connection in the same namespace.
///
/// ```no_run
/// use nl_rustix::Conn;
/// use nl_rustix::nl_proto::genl::mptcp::{Endpoint, EndpointFlags, Limits};
/// let mut conn = Conn::open_generic()?;
/// let mut pm = conn.mptcp_pm()?;
/// pm.set_limits(&Limits { subflows: Some(2), add_addr_accepted: Some(2) })?;
/// pm.add_endpoint(&Endpoint::at("10.0.0.2".parse().unwrap(), EndpointFlags::SUBFLOW))?;
/// for ep in pm.endpoints()? {
///     println!("{:?} id {:?} {:?}", ep.addr, ep.id, ep.flags);
/// }
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug)]
pub struct MptcpPm<'c> {
    conn: &'c mut Conn,
    family: FamilyId,
}

impl Conn {
    /// The MPTCP path manager on this (generic netlink) connection.
    ///
    /// # Errors
    ///
    /// `netlink ENOENT (2): no such generic netlink family "mptcp_pm"` on a
    /// kernel without MPTCP; otherwise as [`Conn::genl_family`].
    pub fn mptcp_pm(&mut self) -> Result<MptcpPm<'_>, Error> {
        let family = self.genl_family(MPTCP_PM_NAME)?.id;
        Ok(MptcpPm { conn: self, family })
    }
}

impl MptcpPm<'_> {
    /// The family id the kernel gave `mptcp_pm`.
    pub fn family(&self) -> FamilyId {
        self.family
    }

    /// Every endpoint (`ip mptcp endpoint show`).
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn endpoints(&mut self) -> Result<Vec<Endpoint>, Error> {
        self.conn.run(verb::mptcp::endpoints())
    }

    /// The endpoint with id `id` (`ip mptcp endpoint show id ID`).
    ///
    /// # Errors
    ///
    /// `EINVAL` with the kernel's "address not found" when there is none.
    pub fn endpoint(&mut self, id: u8) -> Result<Endpoint, Error> {
        self.conn.run(verb::mptcp::endpoint(id))
    }

    /// The endpoint `ep` names, asked of the kernel as given (`ip mptcp
    /// endpoint show [id ID] [ADDRESS]`): the kernel looks it up by id
    /// (an absent id is 0).
    ///
    /// # Errors
    ///
    /// As [`MptcpPm::endpoint`].
    pub fn get_endpoint(&mut self, ep: &Endpoint) -> Result<Endpoint, Error> {
        self.conn.run(verb::mptcp::get_endpoint(ep))
    }

    /// Add an endpoint (`ip mptcp endpoint add`). It needs an address; the
    /// kernel picks an id when `id` is `None`.
    ///
    /// # Errors
    ///
    /// The kernel's refusal, e.g. `EINVAL` "too many addresses or duplicate
    /// one" for an address or id already in use.
    pub fn add_endpoint(&mut self, ep: &Endpoint) -> Result<(), Error> {
        self.conn.run(verb::mptcp::add_endpoint(ep))
    }

    /// Delete an endpoint by id (`ip mptcp endpoint delete id ID`); id 0
    /// also needs the address.
    ///
    /// # Errors
    ///
    /// `EINVAL` "address not found" when there is no such endpoint.
    pub fn delete_endpoint(&mut self, ep: &Endpoint) -> Result<(), Error> {
        self.conn.run(verb::mptcp::delete_endpoint(ep))
    }

    /// Change an endpoint's `backup`/`fullmesh` flags (`ip mptcp endpoint
    /// change`), found by id or, without one, by address.
    ///
    /// # Errors
    ///
    /// The kernel's refusal.
    pub fn change_endpoint(&mut self, ep: &Endpoint) -> Result<(), Error> {
        self.conn.run(verb::mptcp::change_endpoint(ep))
    }

    /// Delete every endpoint (`ip mptcp endpoint flush`).
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn flush_endpoints(&mut self) -> Result<(), Error> {
        self.conn.run(verb::mptcp::flush_endpoints())
    }

    /// The limits (`ip mptcp limits show`).
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn limits(&mut self) -> Result<Limits, Error> {
        self.conn.run(verb::mptcp::limits())
    }

    /// Set the limits that are `Some` (`ip mptcp limits set`).
    ///
    /// # Errors
    ///
    /// `EINVAL` "limit greater than maximum (8)" past the kernel's maximum.
    pub fn set_limits(&mut self, limits: &Limits) -> Result<(), Error> {
        self.conn.run(verb::mptcp::set_limits(limits))
    }
}
