//! Nexthop objects in desired state. Like routes, they are owned by
//! their protocol (`nh_protocol` = [`Desired::protocol`]): a nexthop of
//! that protocol that is not desired is deleted; one of another protocol
//! is never touched (a desired id it holds fails to create, `EEXIST`,
//! naming it).
//!
//! [`Desired::protocol`]: super::Desired::protocol

use super::plan::{Action, Names, Ready, Step};
use crate::{Error, NexthopSpec, Op};
use nl_proto::route::AddrFamily;
use nl_proto::route::nexthop::{GroupMember, NH_F_ONLINK, Nexthop};
use nl_proto::route::route::RouteProtocol;
use std::collections::{BTreeSet, HashMap};

/// Plan the nexthops: creates (members before groups) and updates of
/// `desired` against `observed`, then deletes of `protocol`'s nexthops no
/// longer desired (groups before their members).
///
/// # Errors
///
/// Bad desired state, before anything changes: an id of 0 or repeated,
/// an unknown `dev`, a nexthop that is none of via/dev, blackhole or
/// group, or mixes them, a group weight outside 1-256, a gateway of
/// another family than the one stated.
pub(super) fn plan(
    desired: &[NexthopSpec],
    observed: &[Nexthop],
    protocol: RouteProtocol,
    names: &Names,
) -> Result<Vec<Step>, Error> {
    let by_id: HashMap<u32, &Nexthop> = observed.iter().map(|n| (n.id, n)).collect();
    let mut ids = BTreeSet::new();
    let mut changes = Vec::new();
    for d in desired {
        check(d)?;
        if !ids.insert(d.id) {
            return Err(Error::Invalid(format!("nexthop {} is desired twice", d.id)));
        }
        let oif = d.dev.as_ref().map(|l| names.resolve(l)).transpose()?;
        let mut spec = d.clone();
        spec.protocol = Some(protocol);
        let (action, replace) = match by_id.get(&d.id) {
            None => (Action::Create, false),
            // Someone else's: creating it fails and says so.
            Some(o) if o.protocol != protocol => (Action::Create, false),
            Some(o) if same(&spec, oif, o) => continue,
            Some(_) => (Action::Update, true),
        };
        let ready = spec.ready(oif, replace);
        let op = if replace {
            Op::ReplaceNexthop(spec)
        } else {
            Op::AddNexthop(spec)
        };
        changes.push(Step::new(
            action,
            op,
            Ready::NewNexthop(Box::new(ready)),
            None,
        ));
    }
    // Members before the groups that use them.
    changes.sort_by_key(
        |s| matches!(&s.op, Op::AddNexthop(n) | Op::ReplaceNexthop(n) if !n.group.is_empty()),
    );
    let mut deletes: Vec<&Nexthop> = observed
        .iter()
        .filter(|o| o.protocol == protocol && !ids.contains(&o.id))
        .collect();
    deletes.sort_by_key(|o| o.group.is_empty());
    for o in deletes {
        changes.push(Step::new(
            Action::Delete,
            Op::DeleteNexthop(o.id),
            Ready::DelNexthop(o.id),
            None,
        ));
    }
    Ok(changes)
}

/// Refuse what the kernel would refuse, or what could not round-trip.
fn check(d: &NexthopSpec) -> Result<(), Error> {
    let bad = |why: &str| Err(Error::Invalid(format!("nexthop {}: {why}", d.id)));
    if d.id == 0 {
        return bad("a desired nexthop needs an id (1 or more)");
    }
    let group = !d.group.is_empty();
    if group && (d.gateway.is_some() || d.dev.is_some() || d.blackhole) {
        return bad("a group has no via, dev or blackhole of its own");
    }
    if d.blackhole && (d.gateway.is_some() || d.dev.is_some()) {
        return bad("a blackhole has no via or dev");
    }
    if !group && !d.blackhole && !d.fdb && d.dev.is_none() {
        return bad("needs a dev (or blackhole, or a group)");
    }
    if let Some(m) = d.group.iter().find(|m| !(1..=256).contains(&m.weight)) {
        return bad(&format!(
            "weight {} of member {} is outside 1-256",
            m.weight, m.id
        ));
    }
    if let (Some(f), Some(g)) = (d.family, d.gateway) {
        if AddrFamily::of(&g) != f {
            return bad(&format!("via {g} is not of the family stated"));
        }
    }
    Ok(())
}

/// Whether the kernel's nexthop `o` is what `d` (its dev resolved to
/// `oif`) states. Kernel-set flags (dead, linkdown) are not compared.
fn same(d: &NexthopSpec, oif: Option<u32>, o: &Nexthop) -> bool {
    let sorted = |g: &[GroupMember]| {
        let mut v: Vec<(u32, u32)> = g.iter().map(|m| (m.id, m.weight)).collect();
        v.sort_unstable();
        v
    };
    d.family() == o.family
        && d.gateway == o.gateway
        && oif == o.oif
        && d.blackhole == o.blackhole
        && d.fdb == o.fdb
        && d.onlink == (o.flags & NH_F_ONLINK != 0)
        && !o.group_truncated
        && sorted(&d.group) == sorted(&o.group)
}
