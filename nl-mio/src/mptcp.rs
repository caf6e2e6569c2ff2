//! The MPTCP path manager on the readiness [`Conn`]: as
//! [`nl_rustix::MptcpPm`], each verb returning a [`Call`].

use crate::{Call, Conn};
use nl_rustix::Error;
use nl_rustix::nl_proto::genl::mptcp::{Endpoint, Limits};
use nl_rustix::verb::mptcp as v;

/// The in-kernel MPTCP path manager (`mptcp_pm`) on a generic netlink
/// connection ([`Conn::open_generic`]): as [`nl_rustix::MptcpPm`]. Each
/// verb resolves the family first (once per connection; later verbs find
/// it in the connection's cache).
///
/// ```no_run
/// use nl_mio::Conn;
/// use nl_mio::mio::{Interest, Poll, Token};
/// use nl_rustix::nl_proto::genl::mptcp::{Endpoint, EndpointFlags, Limits};
/// let mut poll = Poll::new()?;
/// let mut conn = Conn::open_generic()?;
/// poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
/// let limits = Limits { subflows: Some(2), add_addr_accepted: Some(2) };
/// let call = conn.mptcp_pm()?.set_limits(&limits)?;
/// conn.wait(&mut poll, &call)?;
/// let ep = Endpoint::at("10.0.0.2".parse().unwrap(), EndpointFlags::SUBFLOW);
/// let call = conn.mptcp_pm()?.add_endpoint(&ep)?;
/// conn.wait(&mut poll, &call)?;
/// let call = conn.mptcp_pm()?.endpoints()?;
/// for ep in conn.wait(&mut poll, &call)? {
///     println!("{:?} id {:?}", ep.addr, ep.id);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct MptcpPm<'c> {
    conn: &'c mut Conn,
}

impl Conn {
    /// The MPTCP path manager on this (generic netlink) connection: as
    /// [`nl_rustix::Conn::mptcp_pm`]. Nothing is sent yet: the family is
    /// resolved by the first verb.
    ///
    /// # Errors
    ///
    /// None today; a `Result` as the blocking verb's, so the two read the
    /// same (`conn.mptcp_pm()?.endpoints()?`).
    pub fn mptcp_pm(&mut self) -> Result<MptcpPm<'_>, Error> {
        Ok(MptcpPm { conn: self })
    }
}

impl MptcpPm<'_> {
    /// Every endpoint: as [`nl_rustix::MptcpPm::endpoints`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn endpoints(&mut self) -> Result<Call<Vec<Endpoint>>, Error> {
        self.conn.call(v::endpoints())
    }

    /// The endpoint with id `id`: as [`nl_rustix::MptcpPm::endpoint`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn endpoint(&mut self, id: u8) -> Result<Call<Endpoint>, Error> {
        self.conn.call(v::endpoint(id))
    }

    /// The endpoint `ep` names: as [`nl_rustix::MptcpPm::get_endpoint`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn get_endpoint(&mut self, ep: &Endpoint) -> Result<Call<Endpoint>, Error> {
        self.conn.call(v::get_endpoint(ep))
    }

    /// Add an endpoint: as [`nl_rustix::MptcpPm::add_endpoint`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_endpoint(&mut self, ep: &Endpoint) -> Result<Call<()>, Error> {
        self.conn.call(v::add_endpoint(ep))
    }

    /// Delete an endpoint: as [`nl_rustix::MptcpPm::delete_endpoint`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_endpoint(&mut self, ep: &Endpoint) -> Result<Call<()>, Error> {
        self.conn.call(v::delete_endpoint(ep))
    }

    /// Change an endpoint's flags: as [`nl_rustix::MptcpPm::change_endpoint`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn change_endpoint(&mut self, ep: &Endpoint) -> Result<Call<()>, Error> {
        self.conn.call(v::change_endpoint(ep))
    }

    /// Delete every endpoint: as [`nl_rustix::MptcpPm::flush_endpoints`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn flush_endpoints(&mut self) -> Result<Call<()>, Error> {
        self.conn.call(v::flush_endpoints())
    }

    /// The limits: as [`nl_rustix::MptcpPm::limits`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn limits(&mut self) -> Result<Call<Limits>, Error> {
        self.conn.call(v::limits())
    }

    /// Set the limits that are `Some`: as [`nl_rustix::MptcpPm::set_limits`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn set_limits(&mut self, limits: &Limits) -> Result<Call<()>, Error> {
        self.conn.call(v::set_limits(limits))
    }
}
