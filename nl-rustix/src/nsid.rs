//! Namespace id verbs: `ip netns set NAME auto|N`, `ip netns list-id`, and
//! the `(id: N)` of `ip netns list`.

use crate::{Conn, Error};
use nl_proto::route::nsid::{self, NSID_NOT_ASSIGNED, NsRef, Nsid};
use std::os::fd::{AsFd, AsRawFd};

/// The `NETNSA_FD` of an open namespace file.
fn fd_ref(ns: &impl AsFd) -> NsRef {
    // A descriptor is never negative.
    NsRef::Fd(u32::try_from(ns.as_fd().as_raw_fd()).unwrap_or(u32::MAX))
}

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
        let id = nsid.map_or(NSID_NOT_ASSIGNED, |n| i32::try_from(n).unwrap_or(i32::MAX));
        let r = fd_ref(ns);
        self.ack(move |w| nsid::encode_set(w, r, id))
    }

    /// The id this connection's namespace gives the namespace open as
    /// `ns`, if any: the `(id: N)` of `ip netns list`.
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn nsid_of(&mut self, ns: &impl AsFd) -> Result<Option<u32>, Error> {
        let r = fd_ref(ns);
        let n = self.get(move |w| nsid::encode_get(w, r), Nsid::decode)?;
        Ok(u32::try_from(n.nsid).ok())
    }

    /// The ids this connection's namespace gives others (or, with
    /// `target`, those the namespace with that id gives): `ip netns
    /// list-id [target-nsid T]`.
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn nsids(&mut self, target: Option<u32>) -> Result<Vec<Nsid>, Error> {
        let target = target.map(|t| i32::try_from(t).unwrap_or(i32::MAX));
        self.dump_collect(
            move |w| nsid::encode_dump(w, target),
            |m| Nsid::decode(m).map(Some),
        )
    }

    /// Id `nsid`, as seen from the namespace with id `target` when given:
    /// `ip netns list-id nsid N [target-nsid T]`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when no namespace has that id.
    pub fn nsid_lookup(&mut self, nsid: u32, target: Option<u32>) -> Result<Nsid, Error> {
        let id = i32::try_from(nsid).unwrap_or(i32::MAX);
        let target = target.map(|t| i32::try_from(t).unwrap_or(i32::MAX));
        self.get(move |w| nsid::encode_get_by_id(w, id, target), Nsid::decode)
    }
}
