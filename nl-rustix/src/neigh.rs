//! Neighbour verbs: `ip neigh show|add|replace|del` (ARP and NDP).

use crate::{Conn, Error, LinkId};
use nl_proto::route::AddrFamily;
use nl_proto::route::neigh::{self, NeighFlags, Neighbour, NewNeighbour, NudState};
use nl_proto::values::Mac;
use std::net::IpAddr;

impl Conn {
    /// Neighbour entries (`family` `None` = IPv4 and IPv6), optionally of
    /// one link: `ip neigh show [dev NAME]`.
    ///
    /// # Errors
    ///
    /// `ENODEV` for a missing link; I/O, kernel or decoding errors.
    pub fn neighbours(
        &mut self,
        family: Option<AddrFamily>,
        link: Option<LinkId>,
    ) -> Result<Vec<Neighbour>, Error> {
        let index = link.map(|l| self.link_index(l)).transpose()?;
        let f = family.unwrap_or(AddrFamily::UNSPEC);
        self.dump_collect(
            move |w| neigh::encode_dump(w, f, index),
            move |m| {
                let n = Neighbour::decode(m)?;
                let wanted = matches!(n.family, AddrFamily::INET | AddrFamily::INET6)
                    && index.is_none_or(|i| n.index == i);
                Ok(wanted.then_some(n))
            },
        )
    }

    fn put_neighbour(
        &mut self,
        link: LinkId,
        dst: IpAddr,
        lladdr: Option<Mac>,
        replace: bool,
    ) -> Result<(), Error> {
        let index = self.link_index(link.clone())?;
        let req = NewNeighbour {
            index,
            dst,
            lladdr,
            state: NudState::PERMANENT,
            flags: NeighFlags::EMPTY,
            replace,
        };
        self.ack(move |w| neigh::encode_new(w, &req)).map_err(|e| {
            e.context(|errno| {
                (errno == libc::EEXIST).then(|| format!("neighbour {dst} already exists on {link}"))
            })
        })
    }

    /// Add a permanent entry: `ip neigh add ADDR lladdr MAC dev LINK`.
    ///
    /// # Errors
    ///
    /// `EEXIST` if there is one, `ENODEV` for a missing link.
    pub fn add_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<(), Error> {
        self.put_neighbour(link.into(), dst, lladdr, false)
    }

    /// Add or update a permanent entry: `ip neigh replace`.
    ///
    /// # Errors
    ///
    /// `ENODEV` for a missing link.
    pub fn replace_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<(), Error> {
        self.put_neighbour(link.into(), dst, lladdr, true)
    }

    /// Delete an entry: `ip neigh del ADDR dev LINK`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when there is none.
    pub fn delete_neighbour(&mut self, link: impl Into<LinkId>, dst: IpAddr) -> Result<(), Error> {
        let link = link.into();
        let index = self.link_index(link.clone())?;
        self.ack(move |w| neigh::encode_del(w, index, dst))
            .map_err(|e| {
                e.context(|errno| {
                    (errno == libc::ENOENT).then(|| format!("no neighbour {dst} on {link}"))
                })
            })
    }
}
