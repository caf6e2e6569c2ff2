//! ethtool verbs over generic netlink: a device's link modes (speed,
//! duplex, autonegotiation, supported modes) and link info (port,
//! transceiver), as `ethtool DEV` shows them.

use crate::{Conn, Error, LinkId, verb};
use nl_proto::genl::ethtool::{LinkInfo, LinkModes};

impl Conn {
    /// The link modes of `dev` (`ethtool DEV`: speed, duplex,
    /// autonegotiation, supported and advertised modes), on a generic
    /// netlink connection ([`Conn::open_generic`]).
    ///
    /// ```no_run
    /// use nl_rustix::Conn;
    /// let mut conn = Conn::open_generic()?;
    /// let modes = conn.ethtool_linkmodes("eth0")?;
    /// println!("{:?} Mb/s, {:?}", modes.speed_mbps(), modes.duplex);
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] for a missing device, `EOPNOTSUPP` for a driver without
    /// link settings, [`Error::Invalid`] for a bad name; as
    /// [`Conn::genl_family`] otherwise.
    pub fn ethtool_linkmodes(&mut self, dev: impl Into<LinkId>) -> Result<LinkModes, Error> {
        self.run(verb::ethtool_linkmodes(dev))
    }

    /// The link info of `dev` (`ethtool DEV`: port, PHY address, MDI-X,
    /// transceiver).
    ///
    /// # Errors
    ///
    /// As [`Conn::ethtool_linkmodes`].
    pub fn ethtool_linkinfo(&mut self, dev: impl Into<LinkId>) -> Result<LinkInfo, Error> {
        self.run(verb::ethtool_linkinfo(dev))
    }
}
