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
use crate::{Conn, Error, Netns};
use nl_proto::genl::ctrl::{self, Family};
use std::collections::HashMap;
use std::sync::Arc;

/// Families a connection has resolved, by name.
///
/// A family keeps its id for as long as it stays registered; one that is
/// unregistered and registered again (a module reloaded) gets a new id, so
/// a long-lived connection can drop the cache with
/// [`Conn::forget_genl_families`].
#[derive(Debug, Default)]
pub(crate) struct FamilyCache {
    by_name: HashMap<String, Arc<Family>>,
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

    /// Refuse generic netlink requests on another protocol's socket: the
    /// controller's id (0x10) is `RTM_NEWLINK` to rtnetlink.
    pub(crate) fn require_generic(&self) -> Result<(), Error> {
        match self.socket().protocol() {
            Protocol::Generic => Ok(()),
            other => Err(Error::Invalid(format!(
                "generic netlink request on a {other:?} connection (open it with Conn::open_generic)"
            ))),
        }
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
        self.require_generic()?;
        if let Some(f) = self.genl.by_name.get(name) {
            return Ok(f.clone());
        }
        let family = self
            .get(|w| ctrl::encode_get_family(w, name), Family::decode)
            .map_err(|e| {
                e.context(|errno| {
                    (errno == libc::ENOENT)
                        .then(|| format!("no such generic netlink family \"{name}\""))
                })
            })?;
        let family = Arc::new(family);
        self.genl
            .by_name
            .insert(name.to_string(), Arc::clone(&family));
        Ok(family)
    }

    /// Every registered generic netlink family (`genl ctrl list`). The
    /// cache is refilled from the answer.
    ///
    /// # Errors
    ///
    /// As [`Conn::genl_family`].
    pub fn genl_families(&mut self) -> Result<Vec<Arc<Family>>, Error> {
        self.require_generic()?;
        let all = self.dump_collect(ctrl::encode_dump_families, |m| Family::decode(m).map(Some))?;
        let all: Vec<Arc<Family>> = all.into_iter().map(Arc::new).collect();
        self.genl.by_name = all
            .iter()
            .map(|f| (f.name.to_string(), Arc::clone(f)))
            .collect();
        Ok(all)
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
        self.genl_family(family)?.group(group).ok_or_else(|| {
            Error::Invalid(format!(
                "generic netlink family \"{family}\" has no multicast group \"{group}\""
            ))
        })
    }

    /// Drop every cached family, so the next lookup asks the kernel again.
    pub fn forget_genl_families(&mut self) {
        self.genl.by_name.clear();
    }
}
