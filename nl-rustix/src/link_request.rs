//! Link requests with their names resolved ([`LinkSpec`] → `RTM_NEWLINK`,
//! [`LinkSet`] → `RTM_SETLINK`, a link → `RTM_DELLINK`), ready to encode
//! any number of times. [`Conn::create_link`](crate::Conn::create_link),
//! [`Conn::set_link`](crate::Conn::set_link), [`Conn::apply`](crate::Conn::apply)
//! and the reconciler's steps all go through here, so the checks and the
//! encoding are written once; only how a name becomes an index differs
//! (a lookup on the socket, or a pass's snapshot).

use crate::error::LinkRole;
use crate::link::{Kind, LinkSet, LinkSpec, NsTarget, ifname, ns_target};
use crate::{Error, LinkId};
use nl_proto::EncodeError;
use nl_proto::route::link::{self, LinkChange, LinkKind, LinkRef, NewLink};
use nl_proto::session::Request;
use nl_proto::values::IfName;
use nl_proto::wire::MsgWriter;

/// Turns a link named in a spec into its index; a missing one is
/// [`Error::NoSuchLink`] in `role`.
pub(crate) type Resolve<'r> = dyn FnMut(&LinkId, LinkRole) -> Result<u32, Error> + 'r;

/// An `RTM_NEWLINK` ready to send: a [`LinkSpec`] checked, its names
/// resolved and its namespaces opened (held until the request is done).
pub(crate) struct NewLinkReady {
    spec: LinkSpec,
    name: IfName,
    peer: Option<IfName>,
    /// The macvlan, ipvlan, vlan or vxlan lower link.
    parent: Option<u32>,
    master: Option<u32>,
    netns: Option<NsTarget>,
    peer_netns: Option<NsTarget>,
}

impl LinkSpec {
    /// What creating it is, as a refusal names it: `create link "v0"`.
    pub(crate) fn describe(&self) -> String {
        format!("create link \"{}\"", self.name)
    }

    /// Check this spec and resolve its names.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad name or setting, what `resolve`
    /// returns for an unknown parent or master, errors opening a
    /// namespace.
    pub(crate) fn ready(&self, resolve: &mut Resolve<'_>) -> Result<NewLinkReady, Error> {
        let name = ifname(&self.name)?;
        let peer = match &self.kind {
            Kind::Veth { peer, .. } => Some(ifname(peer)?),
            _ => None,
        };
        let master = self
            .master
            .as_ref()
            .map(|m| resolve(m, LinkRole::Master))
            .transpose()?;
        let parent = match &self.kind {
            Kind::Macvlan { parent, .. } | Kind::Ipvlan { parent, .. } => {
                Some(resolve(parent, LinkRole::Parent)?)
            }
            Kind::Vlan { parent, id, .. } => {
                if *id > 4094 {
                    return Err(Error::Invalid(format!(
                        "vlan id {id} is out of range 0-4094"
                    )));
                }
                Some(resolve(parent, LinkRole::Parent)?)
            }
            Kind::Options {
                parent: Some(p), ..
            } => Some(resolve(p, LinkRole::Parent)?),
            Kind::Vxlan {
                id,
                local,
                remote,
                parent,
                ..
            } => {
                if *id >= 1 << 24 {
                    return Err(Error::Invalid(format!(
                        "vxlan id {id} is out of range 0-16777215"
                    )));
                }
                if let (Some(l), Some(r)) = (local, remote) {
                    if l.is_ipv4() != r.is_ipv4() {
                        return Err(Error::Invalid(format!(
                            "vxlan local {l} and remote {r} are of different families"
                        )));
                    }
                }
                parent
                    .as_ref()
                    .map(|p| resolve(p, LinkRole::Parent))
                    .transpose()?
            }
            _ => None,
        };
        let peer_netns = match &self.kind {
            Kind::Veth {
                peer_netns: Some(ns),
                ..
            } => Some(ns_target(ns)?),
            _ => None,
        };
        Ok(NewLinkReady {
            spec: self.clone(),
            name,
            peer,
            parent,
            master,
            netns: self.netns.as_ref().map(ns_target).transpose()?,
            peer_netns,
        })
    }
}

impl NewLinkReady {
    /// The kernel's name for this link's kind, e.g. `"veth"`.
    pub(crate) fn kind_name(&self) -> &str {
        self.kind().name()
    }

    fn kind(&self) -> LinkKind<'_> {
        let parent = self.parent.unwrap_or(0);
        match &self.spec.kind {
            Kind::Bridge => LinkKind::Bridge,
            Kind::Dummy => LinkKind::Dummy,
            Kind::Ifb => LinkKind::Ifb,
            Kind::Other(kind) => LinkKind::Other { kind },
            Kind::Options { kind, options, .. } => LinkKind::Options {
                kind,
                options,
                parent: self.parent,
            },
            Kind::Veth { .. } => match &self.peer {
                Some(peer) => LinkKind::Veth {
                    peer,
                    peer_netns: self.peer_netns.as_ref().map(|t| t.r),
                },
                // `ready` names the peer of every veth.
                None => LinkKind::Other { kind: "veth" },
            },
            Kind::Macvlan { mode, .. } => LinkKind::Macvlan {
                parent,
                mode: *mode,
            },
            Kind::Ipvlan { mode, .. } => LinkKind::Ipvlan {
                parent,
                mode: *mode,
            },
            Kind::Vlan { id, protocol, .. } => LinkKind::Vlan {
                parent,
                id: *id,
                protocol: *protocol,
            },
            Kind::Vxlan {
                id,
                port,
                local,
                remote,
                options,
                ..
            } => LinkKind::Vxlan {
                id: *id,
                port: *port,
                local: *local,
                remote: *remote,
                parent: self.parent,
                options: *options,
            },
        }
    }

    /// Write the request.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`] when `w` has no room.
    pub(crate) fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        let spec = &self.spec;
        let req = NewLink {
            name: &self.name,
            kind: self.kind(),
            mtu: spec.mtu,
            mac: spec.mac,
            master: self.master,
            up: spec.up,
            netns: self.netns.as_ref().map(|t| t.r),
            peer_mac: spec.peer_mac,
            index: spec.index.unwrap_or(0),
            peer_index: spec.peer_index.unwrap_or(0),
        };
        link::encode_new(w, &req)
    }

    /// Name what went wrong for a kernel error (after the caller's
    /// [`Error::not_permitted`], which knows the socket).
    pub(crate) fn explain(&self, e: Error) -> Error {
        e.context(|errno| match errno {
            libc::EEXIST => Some(format!("interface \"{}\" already exists", self.spec.name)),
            libc::EOPNOTSUPP => Some(format!(
                "the kernel does not support link type \"{}\"",
                self.kind_name()
            )),
            _ => None,
        })
    }
}

/// An `RTM_SETLINK` ready to send.
pub(crate) struct SetLinkReady {
    index: u32,
    change: LinkSet,
    name: Option<IfName>,
    master: Option<Option<u32>>,
    netns: Option<NsTarget>,
}

impl LinkSet {
    /// What this change of link `id` is, as a refusal names it:
    /// `change link "v0"`, `move link "v0" to network namespace …`.
    pub(crate) fn describe(&self, id: &LinkId) -> String {
        match &self.netns {
            Some(to) => format!("move link {id} to network namespace {to}"),
            None => format!("change link {id}"),
        }
    }

    /// Check this change of link `index` and resolve its names.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad new name or alias, what `resolve`
    /// returns for an unknown master, errors opening a namespace.
    pub(crate) fn ready(
        &self,
        index: u32,
        resolve: &mut Resolve<'_>,
    ) -> Result<SetLinkReady, Error> {
        if let Some(alias) = &self.alias {
            check_alias(alias)?;
        }
        Ok(SetLinkReady {
            index,
            change: self.clone(),
            name: self.name.as_deref().map(ifname).transpose()?,
            master: match &self.master {
                Some(Some(m)) => Some(Some(resolve(m, LinkRole::Master)?)),
                Some(None) => Some(None),
                None => None,
            },
            netns: self.netns.as_ref().map(ns_target).transpose()?,
        })
    }
}

impl SetLinkReady {
    /// Write the request.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`] when `w` has no room.
    pub(crate) fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        let req = LinkChange {
            up: self.change.up,
            mtu: self.change.mtu,
            mac: self.change.mac,
            name: self.name.as_ref(),
            master: self.master,
            netns: self.netns.as_ref().map(|t| t.r),
            alias: self.change.alias.as_deref(),
            info: self.change.info.as_deref().map(|(k, d)| (k.as_str(), d)),
            port: self.change.port.as_deref(),
        };
        link::encode_set(w, self.index, &req)
    }

    /// Name what went wrong for a kernel error about link `id` (after
    /// the caller's [`Error::not_permitted`], which knows the socket):
    /// `ENODEV` is [`Error::NoSuchLink`].
    pub(crate) fn explain(&self, id: &LinkId, e: Error) -> Error {
        e.link_missing(id, LinkRole::Link)
            .context(|errno| match errno {
                libc::EEXIST => self
                    .name
                    .as_ref()
                    .map(|n| format!("interface \"{n}\" already exists")),
                _ => None,
            })
    }
}

/// Write an `RTM_DELLINK` for link `index`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`] when `w` has no room.
pub(crate) fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    index: u32,
) -> Result<Request<'w>, EncodeError> {
    link::encode_del(w, LinkRef::Index(index))
}

/// `IFLA_IFALIAS` holds at most 255 bytes (`IFALIASZ` 256 with its NUL).
fn check_alias(alias: &str) -> Result<(), Error> {
    if alias.len() > 255 || alias.contains('\0') {
        return Err(Error::Invalid(format!(
            "interface alias {alias:?} is longer than 255 bytes or holds a NUL"
        )));
    }
    Ok(())
}
