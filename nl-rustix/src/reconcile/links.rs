//! Links in desired state: created when absent, their stated settings
//! applied, deleted only when an earlier pass created them.
//!
//! A link a pass creates gets its interface index from the plan (the
//! next free ones after the snapshot's highest, sent as `ifi_index`), so
//! the addresses, routes and neighbours of the same pass name it by that
//! index and the whole pass stays one I/O-free plan. Should another
//! process take the index first, the create fails (`EBUSY`) and the
//! next pass plans again.

use super::plan::{Action, Applied, Ready, Step};
use crate::error::LinkRole;
use crate::link::{Kind, LinkSet, LinkSpec, ifname};
use crate::{Error, LinkId, Op};
use nl_proto::route::link::{IfFlags, Link, LinkInfoData, MacvlanMode, VxlanOptions};
use nl_proto::values::Mac;
use std::collections::{BTreeSet, HashMap};

/// The kinds of link a reconciler creates, with what identifies each:
/// none of this can change on a link that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DesiredKind {
    /// `bridge`.
    Bridge,
    /// `veth`, with the other end's name (created with it).
    Veth {
        /// The peer's name.
        peer: String,
    },
    /// `macvlan` (mode bridge) on `link`.
    Macvlan {
        /// The lower link.
        link: String,
    },
    /// `vxlan` with VNI `id`.
    Vxlan {
        /// The VNI, below 2^24.
        id: u32,
    },
    /// `ifb`.
    Ifb,
}

impl DesiredKind {
    /// The kernel's name for it (`IFLA_INFO_KIND`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Veth { .. } => "veth",
            Self::Macvlan { .. } => "macvlan",
            Self::Vxlan { .. } => "vxlan",
            Self::Ifb => "ifb",
        }
    }
}

/// A link as desired state states it. Fields left `None` are neither
/// compared nor set.
///
/// ```
/// use nl_rustix::reconcile::{Desired, DesiredKind, DesiredLink};
/// let mut desired = Desired::new();
/// let mut br = DesiredLink::new("br0");
/// br.kind = Some(DesiredKind::Bridge);
/// br.up = Some(true);
/// desired.links.push(br);
/// // An existing link (no kind): only its MTU is managed.
/// let mut eth = DesiredLink::new("eth0");
/// eth.mtu = Some(9000);
/// desired.links.push(eth);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredLink {
    /// Its name.
    pub name: String,
    /// Create it as this kind when absent; `None`: a link that must
    /// exist already (or be created as a desired veth's peer).
    pub kind: Option<DesiredKind>,
    /// MTU.
    pub mtu: Option<u32>,
    /// Administratively up or down.
    pub up: Option<bool>,
    /// The bridge it is a port of.
    pub master: Option<String>,
    /// Its MAC address.
    pub address: Option<Mac>,
    /// Its alias (`IFLA_IFALIAS`); an empty one means none.
    pub alias: Option<String>,
}

impl DesiredLink {
    /// Link `name`, nothing stated about it yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: None,
            mtu: None,
            up: None,
            master: None,
            address: None,
            alias: None,
        }
    }

    /// The settings that differ from `observed` (`master` resolved by
    /// `index_of`), as one `ip link set`.
    fn differences(
        &self,
        observed: Option<&Link>,
        index_of: &dyn Fn(&str) -> Option<u32>,
    ) -> LinkSet {
        let mut set = LinkSet::new();
        if self.mtu.is_some() && self.mtu != observed.and_then(|o| o.mtu) {
            set.mtu = self.mtu;
        }
        // No observed link: a peer this pass creates, down.
        if let Some(up) = self.up {
            if observed.map_or(up, |o| o.flags.contains(IfFlags::UP) != up) {
                set.up = Some(up);
            }
        }
        if let Some(m) = &self.master {
            let want = index_of(m);
            if want.is_none() || want != observed.and_then(|o| o.master) {
                set.master = Some(Some(LinkId::Name(m.clone())));
            }
        }
        if self.address.is_some() && self.address != observed.and_then(|o| o.mac) {
            set.mac = self.address;
        }
        if let Some(a) = &self.alias {
            let have = observed.and_then(|o| o.alias.as_deref()).unwrap_or("");
            if a != have {
                set.alias = Some(a.clone());
            }
        }
        set
    }
}

/// The link part of a pass.
pub(super) struct LinkPlan {
    /// Creates (in dependency order), then updates, then deletes.
    pub(super) steps: Vec<Step>,
    /// The links the creates make, with the indexes they ask for.
    pub(super) planned: Vec<(String, u32)>,
    /// The entries of `last_applied` still meaningful: observed or desired.
    pub(super) kept: BTreeSet<String>,
}

/// Plan the links: what `desired` states against `observed`, deleting
/// only links named in `last` (created by an earlier pass).
///
/// # Errors
///
/// Bad desired state, before anything changes: a bad or repeated name,
/// a kind that differs from the existing link's (a kind, a veth's peer,
/// a macvlan's lower link, a VNI cannot change in place), a link without
/// a kind that does not exist, an unknown master or lower link, a cycle.
pub(super) fn plan(
    desired: &[DesiredLink],
    observed: &[Link],
    last: &BTreeSet<String>,
) -> Result<LinkPlan, Error> {
    let by_name: HashMap<&str, &Link> = observed.iter().map(|l| (l.name.as_str(), l)).collect();
    let by_index: HashMap<u32, &str> = observed
        .iter()
        .map(|l| (l.index, l.name.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    for d in desired {
        ifname(&d.name)?;
        if !seen.insert(d.name.as_str()) {
            return Err(Error::Invalid(format!(
                "link \"{}\" is desired twice",
                d.name
            )));
        }
        if let Some(DesiredKind::Vxlan { id }) = &d.kind {
            if *id >= 1 << 24 {
                return Err(Error::Invalid(format!(
                    "vxlan id {id} of \"{}\" is out of range 0-16777215",
                    d.name
                )));
            }
        }
        if let Some(a) = &d.alias {
            if a.len() > 255 {
                return Err(Error::Invalid(format!(
                    "alias of \"{}\" is longer than 255 bytes",
                    d.name
                )));
            }
        }
        if let Some(o) = by_name.get(d.name.as_str()) {
            check_kind(d, o, &by_index)?;
        }
    }

    // Indexes for the links to create, and each veth's peer.
    let mut next = observed.iter().map(|l| l.index).max().unwrap_or(0) + 1;
    let mut planned: Vec<(String, u32)> = Vec::new();
    // Name of a peer → the desired veth creating it.
    let mut peer_of: HashMap<&str, &str> = HashMap::new();
    let mut creates: Vec<(&DesiredLink, u32, Option<u32>)> = Vec::new();
    for d in desired {
        if by_name.contains_key(d.name.as_str()) {
            continue;
        }
        if let Some(&creator) = peer_of.get(d.name.as_str()) {
            match &d.kind {
                None => continue,
                Some(DesiredKind::Veth { peer }) if peer == creator => continue,
                Some(_) => {
                    return Err(Error::Invalid(format!(
                        "link \"{}\" is the peer of veth \"{creator}\" and cannot be a {}",
                        d.name,
                        d.kind.as_ref().map_or("", DesiredKind::as_str)
                    )));
                }
            }
        }
        let Some(kind) = &d.kind else {
            // A peer described before its veth is found below.
            continue;
        };
        let index = next;
        next += 1;
        planned.push((d.name.clone(), index));
        let mut peer_index = None;
        if let DesiredKind::Veth { peer } = kind {
            ifname(peer)?;
            if by_name.contains_key(peer.as_str()) || peer == &d.name {
                return Err(Error::Invalid(format!(
                    "the peer \"{peer}\" of veth \"{}\" exists already",
                    d.name
                )));
            }
            let back = DesiredKind::Veth {
                peer: d.name.clone(),
            };
            if let Some(e) = desired
                .iter()
                .find(|e| &e.name == peer && e.kind.as_ref().is_some_and(|k| *k != back))
            {
                return Err(Error::Invalid(format!(
                    "link \"{peer}\" is the peer of veth \"{}\" and cannot be a {}",
                    d.name,
                    e.kind.as_ref().map_or("", DesiredKind::as_str)
                )));
            }
            peer_of.insert(peer, &d.name);
            peer_index = Some(next);
            planned.push((peer.clone(), next));
            next += 1;
        }
        creates.push((d, index, peer_index));
    }
    let index_of = |n: &str| {
        by_name
            .get(n)
            .map(|l| l.index)
            .or_else(|| planned.iter().find(|(p, _)| p == n).map(|(_, i)| *i))
    };
    for d in desired {
        let known = by_name.contains_key(d.name.as_str()) || index_of(&d.name).is_some();
        if !known {
            // (Give it a kind to create it.)
            return Err(Error::no_such_link(
                &LinkId::Name(d.name.clone()),
                LinkRole::Link,
            ));
        }
        for (role, dep) in deps(d) {
            if index_of(dep).is_none() {
                return Err(Error::no_such_link(&LinkId::Name(dep.to_string()), role));
            }
        }
    }

    let mut steps = Vec::new();
    let resolve = |id: &LinkId, role: LinkRole| match id {
        LinkId::Index(i) => Ok(*i),
        LinkId::Name(n) => index_of(n).ok_or_else(|| Error::no_such_link(id, role)),
    };
    // Creates, each after the links it needs (master, lower link).
    let mut made: BTreeSet<&str> = BTreeSet::new();
    while !creates.is_empty() {
        let ready_at = creates.iter().position(|(d, _, _)| {
            deps(d).iter().all(|(_, dep)| {
                by_name.contains_key(dep) || made.contains(dep) || peer_made(dep, &peer_of, &made)
            })
        });
        let Some(at) = ready_at else {
            return Err(Error::Invalid(format!(
                "links {} need each other (master or lower link) to be created",
                creates
                    .iter()
                    .map(|(d, _, _)| format!("\"{}\"", d.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let (d, index, peer_index) = creates.remove(at);
        made.insert(&d.name);
        let spec = create_spec(d, index, peer_index);
        let ready = spec.ready(&mut |id, role| resolve(id, role))?;
        steps.push(Step::new(
            Action::Create,
            Op::CreateLink(spec),
            Ready::NewLink(Box::new(ready)),
            Some(Applied::Link(d.name.clone())),
        ));
    }
    // Settings: of links that exist, of peers created above (whose
    // settings the veth's request cannot carry), and what a create cannot
    // set (see `after_create`).
    for d in desired {
        let observed = by_name.get(d.name.as_str()).copied();
        let set = if observed.is_some() || peer_of.contains_key(d.name.as_str()) {
            d.differences(observed, &index_of)
        } else {
            after_create(d)
        };
        if is_empty(&set) {
            continue;
        }
        let index = index_of(&d.name).unwrap_or(0);
        let ready = set.ready(index, &mut |id, role| resolve(id, role))?;
        steps.push(Step::new(
            Action::Update,
            Op::SetLink(LinkId::Name(d.name.clone()), set),
            Ready::SetLink(Box::new(ready)),
            None,
        ));
    }
    // Deletes of links an earlier pass created, lower links last (their
    // macvlans go with them).
    let mut deletes: Vec<&Link> = last
        .iter()
        .filter(|n| !seen.contains(n.as_str()))
        .filter_map(|n| by_name.get(n.as_str()).copied())
        .collect();
    deletes.sort_by_key(|l| l.link.is_none() || l.kind.as_deref() == Some("veth"));
    for l in deletes {
        steps.push(Step::new(
            Action::Delete,
            Op::DeleteLink(LinkId::Name(l.name.to_string())),
            Ready::DelLink(l.index),
            Some(Applied::Link(l.name.to_string())),
        ));
    }
    let kept = last
        .iter()
        .filter(|n| by_name.contains_key(n.as_str()) || seen.contains(n.as_str()))
        .cloned()
        .collect();
    Ok(LinkPlan {
        steps,
        planned,
        kept,
    })
}

/// The links `d` needs before it can be created or set: its master and
/// its lower link.
fn deps(d: &DesiredLink) -> Vec<(LinkRole, &str)> {
    let mut out = Vec::new();
    if let Some(m) = &d.master {
        out.push((LinkRole::Master, m.as_str()));
    }
    if let Some(DesiredKind::Macvlan { link }) = &d.kind {
        out.push((LinkRole::Parent, link.as_str()));
    }
    out
}

/// Whether `name` is the peer of a veth created already.
fn peer_made(name: &str, peer_of: &HashMap<&str, &str>, made: &BTreeSet<&str>) -> bool {
    peer_of
        .get(name)
        .is_some_and(|creator| made.contains(creator))
}

/// A bridge's MTU given at creation follows its ports (the kernel
/// adjusts it to theirs as they join); set afterwards, it stays.
fn bridge_mtu(d: &DesiredLink) -> Option<u32> {
    d.mtu.filter(|_| d.kind == Some(DesiredKind::Bridge))
}

/// What a created link needs set after its creation, as a step of its
/// own: the kernel ignores `IFLA_IFALIAS` in a create, and a bridge's
/// MTU would follow its ports ([`bridge_mtu`]).
fn after_create(d: &DesiredLink) -> LinkSet {
    let mut set = LinkSet::new();
    set.mtu = bridge_mtu(d);
    set.alias = d.alias.clone().filter(|a| !a.is_empty());
    set
}

fn is_empty(set: &LinkSet) -> bool {
    set.up.is_none()
        && set.mtu.is_none()
        && set.mac.is_none()
        && set.master.is_none()
        && set.alias.is_none()
}

/// The `ip link add` of a desired link, with every stated setting.
fn create_spec(d: &DesiredLink, index: u32, peer_index: Option<u32>) -> LinkSpec {
    let kind = match d.kind.as_ref() {
        Some(DesiredKind::Veth { peer }) => Kind::Veth {
            peer: peer.clone(),
            peer_netns: None,
        },
        Some(DesiredKind::Macvlan { link }) => Kind::Macvlan {
            parent: LinkId::Name(link.clone()),
            mode: MacvlanMode::BRIDGE,
        },
        Some(DesiredKind::Vxlan { id }) => Kind::Vxlan {
            id: *id,
            port: None,
            local: None,
            remote: None,
            parent: None,
            options: VxlanOptions::default(),
        },
        Some(DesiredKind::Ifb) => Kind::Ifb,
        Some(DesiredKind::Bridge) | None => Kind::Bridge,
    };
    let mut spec = LinkSpec::new(d.name.clone(), kind);
    spec.mtu = d.mtu.filter(|_| bridge_mtu(d).is_none());
    spec.mac = d.address;
    spec.master = d.master.clone().map(LinkId::Name);
    spec.up = d.up == Some(true);
    spec.index = Some(index);
    spec.peer_index = peer_index;
    spec
}

/// What identifies a link cannot change in place: refuse a desired link
/// whose kind, veth peer, lower link or VNI differs from the existing one.
fn check_kind(d: &DesiredLink, o: &Link, by_index: &HashMap<u32, &str>) -> Result<(), Error> {
    let Some(kind) = &d.kind else {
        return Ok(());
    };
    let have = o.kind.as_deref().unwrap_or("");
    let refuse = |what: String| {
        Err(Error::Invalid(format!(
            "link \"{}\" exists {what}; that cannot change in place (drop it from desired state \
             for one pass to have a link this reconciler created deleted, or delete it)",
            d.name
        )))
    };
    if have != kind.as_str() {
        let have = if have.is_empty() {
            "without a kind"
        } else {
            have
        };
        return refuse(format!("as {have}, desired {}", kind.as_str()));
    }
    // A peer or lower link in another namespace (link_netnsid) is not
    // in the snapshot: not compared.
    let other = o
        .link
        .filter(|_| o.link_netnsid.is_none())
        .and_then(|i| by_index.get(&i).copied());
    match kind {
        DesiredKind::Veth { peer } => match other {
            Some(p) if p != peer => refuse(format!("with peer \"{p}\", desired \"{peer}\"")),
            _ => Ok(()),
        },
        DesiredKind::Macvlan { link } => match other {
            Some(p) if p != link => refuse(format!("on \"{p}\", desired \"{link}\"")),
            _ => Ok(()),
        },
        DesiredKind::Vxlan { id } => match &o.info {
            LinkInfoData::Vxlan { id: Some(have), .. } if have != id => {
                refuse(format!("with VNI {have}, desired {id}"))
            }
            _ => Ok(()),
        },
        DesiredKind::Bridge | DesiredKind::Ifb => Ok(()),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use nl_proto::route::link::IfInfoMsg;
    use nl_proto::route::{AddrFamily, RTM_NEWLINK};
    use nl_proto::wire::{Flags, MsgWriter, Msgs};

    /// A link as a dump would give it: index and name only.
    pub(crate) fn observed(index: u32, name: &str) -> Link {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(RTM_NEWLINK, Flags::EMPTY).expect("begin");
        let index = i32::try_from(index).expect("index");
        w.put_fixed(&IfInfoMsg::new(
            AddrFamily::UNSPEC,
            index,
            IfFlags(0),
            IfFlags(0),
        ))
        .expect("header");
        w.put_str(3, name).expect("name");
        w.finish().expect("finish");
        let len = w.len();
        let msg = Msgs::new(&buf[..len]).next().expect("one").expect("framed");
        Link::decode(&msg).expect("decodes")
    }

    fn kind(name: &str, k: DesiredKind) -> DesiredLink {
        let mut l = DesiredLink::new(name);
        l.kind = Some(k);
        l
    }

    #[test]
    fn plans_indexes_after_the_highest_and_orders_by_dependency() {
        // The macvlan on the peer comes first in desired state; it is
        // created after the veth that makes its lower link.
        let mv = kind("mv0", DesiredKind::Macvlan { link: "v1".into() });
        let desired = vec![mv, kind("v0", DesiredKind::Veth { peer: "v1".into() })];
        let p = plan(
            &desired,
            &[observed(1, "lo"), observed(7, "eth0")],
            &BTreeSet::new(),
        )
        .expect("plan");
        assert_eq!(
            p.planned,
            vec![("mv0".into(), 8), ("v0".into(), 9), ("v1".into(), 10)]
        );
        let order: Vec<String> = p
            .steps
            .iter()
            .map(|s| match &s.op {
                Op::CreateLink(l) => l.name.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(order, ["v0", "mv0"]);
    }

    #[test]
    fn rejects_a_peer_desired_as_another_kind_and_cycles() {
        let peer_as_bridge = vec![
            kind("v1", DesiredKind::Bridge),
            kind("v0", DesiredKind::Veth { peer: "v1".into() }),
        ];
        assert!(matches!(
            plan(&peer_as_bridge, &[], &BTreeSet::new()),
            Err(Error::Invalid(_))
        ));
        let mut a = kind("a0", DesiredKind::Bridge);
        a.master = Some("b0".into());
        let mut b = kind("b0", DesiredKind::Bridge);
        b.master = Some("a0".into());
        assert!(matches!(
            plan(&[a, b], &[], &BTreeSet::new()),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn deletes_only_what_a_pass_created() {
        let last: BTreeSet<String> = ["old0".to_string()].into();
        let p = plan(&[], &[observed(2, "old0"), observed(3, "eth0")], &last).expect("plan");
        assert_eq!(p.steps.len(), 1);
        assert!(matches!(&p.steps[0].op, Op::DeleteLink(LinkId::Name(n)) if n == "old0"));
        assert!(p.kept.contains("old0"));
        // Gone meanwhile: forgotten.
        let p = plan(&[], &[observed(3, "eth0")], &last).expect("plan");
        assert!(p.steps.is_empty() && p.kept.is_empty());
    }
}
