//! ethtool verbs over generic netlink: a device's link modes (speed,
//! duplex, autonegotiation, supported modes) and link info (port,
//! transceiver), as `ethtool DEV` shows them.

use crate::link::ifname;
use crate::{Conn, Error, LinkId};
use nl_proto::genl::FamilyId;
use nl_proto::genl::ethtool::{self, Dev, ETHTOOL_GENL_NAME, LinkInfo, LinkModes};
use nl_proto::session::Request;
use nl_proto::values::IfName;
use nl_proto::wire::MsgWriter;

/// A resolved device argument, owned so the encoder can borrow it.
enum Target {
    Index(u32),
    Name(IfName),
}

impl Target {
    fn of(dev: &LinkId) -> Result<Self, Error> {
        Ok(match dev {
            LinkId::Index(i) => Self::Index(*i),
            LinkId::Name(n) => Self::Name(ifname(n)?),
        })
    }

    fn dev(&self) -> Dev<'_> {
        match self {
            Self::Index(i) => Dev::Index(*i),
            Self::Name(n) => Dev::Name(n),
        }
    }
}

type GetEncoder = for<'w, 'b> fn(
    &'w mut MsgWriter<'b>,
    FamilyId,
    Dev<'_>,
) -> Result<Request<'w>, nl_proto::EncodeError>;

impl Conn {
    /// One ethtool GET for `dev`, its reply decoded; a missing device is
    /// [`Error::NoSuchLink`].
    fn ethtool_get<T>(
        &mut self,
        dev: LinkId,
        encode: GetEncoder,
        decode: fn(&nl_proto::wire::Msg<'_>) -> Result<T, nl_proto::DecodeError>,
    ) -> Result<T, Error> {
        let family = self.genl_family(ETHTOOL_GENL_NAME)?.id;
        let target = Target::of(&dev)?;
        self.get(|w| encode(w, family, target.dev()), decode)
            .map_err(|e| e.link_missing(&dev, crate::error::LinkRole::Link))
    }

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
        self.ethtool_get(dev.into(), ethtool::encode_get_linkmodes, LinkModes::decode)
    }

    /// The link info of `dev` (`ethtool DEV`: port, PHY address, MDI-X,
    /// transceiver).
    ///
    /// # Errors
    ///
    /// As [`Conn::ethtool_linkmodes`].
    pub fn ethtool_linkinfo(&mut self, dev: impl Into<LinkId>) -> Result<LinkInfo, Error> {
        self.ethtool_get(dev.into(), ethtool::encode_get_linkinfo, LinkInfo::decode)
    }
}
