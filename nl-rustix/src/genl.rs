//! Generic netlink: connections on `NETLINK_GENERIC`, and families resolved
//! by name through the controller (`nlctrl`), cached per connection.
//!
//! A generic family's id (the `nlmsg_type` of its messages) and its
//! multicast group numbers are assigned by the kernel when the family
//! registers, so they differ between machines and boots. Resolve them by
//! name on the connection that will use them:
//!
//! ```no_run
//! use nl_rustix::Conn;
//! let mut conn = Conn::open_generic()?;
//! let mptcp = conn.genl_family("mptcp_pm")?;
//! println!("mptcp_pm is family {:?}, version {}", mptcp.id, mptcp.version);
//! let events = conn.genl_group("mptcp_pm", "mptcp_pm_events")?;
//! // A monitor joins `events` with `Socket::join`.
//! # let _ = events;
//! # Ok::<(), nl_rustix::Error>(())
//! ```

use crate::socket::{Protocol, Socket};
use crate::verb;
use crate::{Conn, Error, Netns};
use nl_proto::genl::ctrl::Family;
use std::collections::HashMap;
use std::sync::Arc;

/// Families a connection has resolved, by name.
///
/// A family keeps its id for as long as it stays registered; one that is
/// unregistered and registered again (a module reloaded) gets a new id, so
/// a long-lived connection can drop the cache with
/// [`Conn::forget_genl_families`]. Each driver's connection keeps one and
/// hands it to the verbs it runs ([`verb::Context`](crate::verb::Context)).
#[derive(Debug, Default)]
pub struct Families {
    by_name: HashMap<String, Arc<Family>>,
}

impl Families {
    /// The family called `name`, if resolved.
    pub fn get(&self, name: &str) -> Option<Arc<Family>> {
        self.by_name.get(name).cloned()
    }

    /// Remember `family` as `name`.
    pub fn insert(&mut self, name: &str, family: Arc<Family>) {
        self.by_name.insert(name.to_string(), family);
    }

    /// Forget everything, then remember each of `all` by its name.
    pub fn refill(&mut self, all: &[Arc<Family>]) {
        self.by_name = all
            .iter()
            .map(|f| (f.name.to_string(), Arc::clone(f)))
            .collect();
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.by_name.clear();
    }
}

impl Conn {
    /// A generic netlink (`NETLINK_GENERIC`) connection in the current
    /// network namespace.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] if the socket cannot be opened.
    pub fn open_generic() -> Result<Self, Error> {
        Self::with_socket(Socket::open(Protocol::Generic)?)
    }

    /// A generic netlink connection in `netns`.
    ///
    /// # Errors
    ///
    /// As [`Netns::socket`].
    pub fn open_generic_in(netns: &Netns) -> Result<Self, Error> {
        Self::with_socket(netns.socket(Protocol::Generic)?)
    }

    /// The generic netlink family called `name`: its id, version,
    /// operations and multicast groups (`genl ctrl get name NAME`).
    ///
    /// Asked of the kernel once per connection, then served from the
    /// connection's cache.
    ///
    /// # Errors
    ///
    /// `netlink ENOENT (2): no such generic netlink family "x"` when the
    /// kernel has no such family (the module is not loaded, or the name is
    /// wrong); [`Error::Invalid`] for a name the controller cannot hold
    /// (empty, over 15 bytes, a NUL) or a connection that is not generic;
    /// I/O and decoding errors.
    pub fn genl_family(&mut self, name: &str) -> Result<Arc<Family>, Error> {
        self.run(verb::genl_family(name))
    }

    /// Every registered generic netlink family (`genl ctrl list`). The
    /// cache is refilled from the answer.
    ///
    /// # Errors
    ///
    /// As [`Conn::genl_family`].
    pub fn genl_families(&mut self) -> Result<Vec<Arc<Family>>, Error> {
        self.run(verb::genl_families())
    }

    /// The number of multicast group `group` of family `family`, to join
    /// with [`Socket::join`] on a monitor socket (e.g. `mptcp_pm`'s
    /// `mptcp_pm_events`).
    ///
    /// # Errors
    ///
    /// As [`Conn::genl_family`]; [`Error::Invalid`] naming both when the
    /// family has no such group.
    pub fn genl_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        self.run(verb::genl_group(family, group))
    }

    /// Drop every cached family, so the next lookup asks the kernel again.
    pub fn forget_genl_families(&mut self) {
        self.genl.clear();
    }
}
