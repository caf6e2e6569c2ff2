//! Namespace id verbs: `ip netns set NAME auto|N`, `ip netns list-id`, and
//! the `(id: N)` of `ip netns list`.

use crate::{Conn, Error, verb};
use nl_proto::route::nsid::Nsid;
use std::os::fd::AsFd;

impl Conn {
    /// Give the namespace open as `ns` (e.g. `/run/netns/NAME`) the id
    /// `nsid`, or one the kernel picks (`None`), in this connection's
    /// namespace: `ip netns set NAME N|auto`.
    ///
    /// ```no_run
    /// use nl_rustix::Conn;
    /// let ns = std::fs::File::open("/run/netns/blue")?;
    /// Conn::open()?.set_nsid(&ns, Some(5))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EEXIST` when the namespace has an id already or `nsid` is taken.
    pub fn set_nsid(&mut self, ns: &impl AsFd, nsid: Option<u32>) -> Result<(), Error> {
        self.run(verb::set_nsid(ns, nsid))
    }

    /// The id this connection's namespace gives the namespace open as
    /// `ns`, if any: the `(id: N)` of `ip netns list`.
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn nsid_of(&mut self, ns: &impl AsFd) -> Result<Option<u32>, Error> {
        self.run(verb::nsid_of(ns))
    }

    /// The ids this connection's namespace gives others (or, with
    /// `target`, those the namespace with that id gives): `ip netns
    /// list-id [target-nsid T]`.
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn nsids(&mut self, target: Option<u32>) -> Result<Vec<Nsid>, Error> {
        self.run(verb::nsids(target))
    }

    /// Id `nsid`, as seen from the namespace with id `target` when given:
    /// `ip netns list-id nsid N [target-nsid T]`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when no namespace has that id.
    pub fn nsid_lookup(&mut self, nsid: u32, target: Option<u32>) -> Result<Nsid, Error> {
        self.run(verb::nsid_lookup(nsid, target))
    }
}
