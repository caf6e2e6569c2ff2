//! The I/O-free pass: snapshot → diff → ordered steps → report.

use super::state::{LastApplied, parse_rule, rule_text};
use super::{Desired, NeighSpec};
pub use crate::monitor::Snapshot;
pub(super) use crate::ops::Ready;
use crate::ops::{context, encode_ready};
use crate::{AddrSpec, Error, LinkId, Op, RouteSpec, RuleSpec};
use nl_proto::EncodeError;
use nl_proto::diff::{self, Change, Object};
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{Address, AddressKey, Scope};
use nl_proto::route::link::Link;
use nl_proto::route::neigh::{NeighFlags, Neighbour, NeighbourKey, NewNeighbour, NudState};
use nl_proto::route::route::{Route, RouteMode, RouteProtocol};
use nl_proto::route::rule::{Rule, RuleKey};
use nl_proto::session::Request;
use nl_proto::wire::MsgWriter;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

/// What a step does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Desired and absent.
    Create,
    /// Present, a stated field differs: replaced in place.
    Update,
    /// Owned and no longer desired.
    Delete,
}

impl Action {
    /// `"create"`, `"update"` or `"delete"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

/// The kind of object a step changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectKind {
    /// A link (interface).
    Link,
    /// An interface address.
    Address,
    /// A nexthop object.
    Nexthop,
    /// A neighbour entry.
    Neighbour,
    /// A route.
    Route,
    /// A policy rule.
    Rule,
}

impl ObjectKind {
    /// `"link"`, `"address"`, `"nexthop"`, `"neighbour"`, `"route"` or
    /// `"rule"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Link => "link",
            Self::Nexthop => "nexthop",
            Self::Address => "address",
            Self::Neighbour => "neighbour",
            Self::Route => "route",
            Self::Rule => "rule",
        }
    }
}

/// A `last_applied` entry a step adds (create, update) or removes (delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Applied {
    /// A link a pass created, by name.
    Link(String),
    Address(String, ipnet::IpNet),
    Neighbour(String, IpAddr),
    Rule(Vec<String>),
}

/// One kernel change: the operation as a caller would write it (links by
/// name, for reports and error messages) and the request, resolved.
pub struct Step {
    /// Create, update or delete.
    pub action: Action,
    /// What it changes, links named, e.g. `Op::ReplaceRoute(spec)`.
    pub op: Op,
    ready: Ready,
    applied: Option<Applied>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("action", &self.action)
            .field("op", &self.op)
            .finish_non_exhaustive()
    }
}

impl Step {
    /// A step for `op`, sent as `ready`, recording `applied` when it
    /// succeeds.
    pub(super) fn new(action: Action, op: Op, ready: Ready, applied: Option<Applied>) -> Self {
        Self {
            action,
            op,
            ready,
            applied,
        }
    }

    /// The kind of object this step changes.
    pub fn object(&self) -> ObjectKind {
        match &self.op {
            Op::AddAddress(_) | Op::ReplaceAddress(_) | Op::DeleteAddress(..) => {
                ObjectKind::Address
            }
            Op::AddNeighbour(..) | Op::ReplaceNeighbour(..) | Op::DeleteNeighbour(..) => {
                ObjectKind::Neighbour
            }
            Op::AddRule(_) | Op::DeleteRule(_) => ObjectKind::Rule,
            Op::CreateLink(_) | Op::SetLink(..) | Op::DeleteLink(_) => ObjectKind::Link,
            Op::AddNexthop(_) | Op::ReplaceNexthop(_) | Op::DeleteNexthop(_) => ObjectKind::Nexthop,
            _ => ObjectKind::Route,
        }
    }

    /// Write this step's request (for any driver's batch). Encoding the
    /// same step again writes the same bytes.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`] when `w` has no room.
    pub fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        encode_ready(&self.ready, w)
    }

    /// Name what went wrong for an error the kernel returned for this step
    /// (e.g. "gateway 10.9.9.9 is unreachable").
    pub fn explain(&self, e: Error) -> Error {
        e.context(|errno| context(&self.op, errno))
    }
}

/// The order a pass applies changes in. Creates and updates go links,
/// addresses, nexthops, routes, neighbours, rules (an address needs its
/// link, a gateway its address, a route its nexthop); deletes go the
/// other way (a route goes before the nexthop and the address it uses).
pub const PHASES: [(Action, ObjectKind); 12] = [
    (Action::Create, ObjectKind::Link),
    (Action::Create, ObjectKind::Address),
    (Action::Create, ObjectKind::Nexthop),
    (Action::Create, ObjectKind::Route),
    (Action::Create, ObjectKind::Neighbour),
    (Action::Create, ObjectKind::Rule),
    (Action::Delete, ObjectKind::Rule),
    (Action::Delete, ObjectKind::Neighbour),
    (Action::Delete, ObjectKind::Route),
    (Action::Delete, ObjectKind::Nexthop),
    (Action::Delete, ObjectKind::Address),
    (Action::Delete, ObjectKind::Link),
];

fn phase_of(s: &Step) -> usize {
    let a = if s.action == Action::Delete {
        Action::Delete
    } else {
        Action::Create
    };
    PHASES
        .iter()
        .position(|&(pa, po)| pa == a && po == s.object())
        .unwrap_or(PHASES.len())
}

/// One pass, planned: the steps in [`PHASES`] order.
///
/// A driver runs [`Plan::phases`] in order — each phase as one batch —
/// stops after the first phase with a failure (fail-fast), and hands the
/// results to [`Plan::finish`]:
///
/// ```no_run
/// # fn send_batch(steps: &[nl_rustix::reconcile::Step]) -> Vec<Result<(), nl_rustix::Error>> { vec![] }
/// # let plan: nl_rustix::reconcile::Plan = unimplemented!();
/// let mut results = Vec::new();
/// for phase in plan.phases() {
///     let answers = send_batch(phase); // one result per step, in order
///     let failed = answers.iter().any(Result::is_err);
///     results.extend(answers);
///     if failed {
///         break;
///     }
/// }
/// let report = plan.finish(results, None);
/// ```
#[derive(Debug)]
pub struct Plan {
    steps: Vec<Step>,
    /// `last_applied` before this pass, minus keys whose object is
    /// neither observed nor desired any more.
    base: LastApplied,
}

/// What a pass did.
#[derive(Debug)]
pub struct Report {
    /// Every step ran and succeeded: the namespace matches desired state.
    pub converged: bool,
    /// The steps the kernel accepted, in the order they ran.
    pub applied: Vec<Step>,
    /// The error that stopped the pass.
    pub error: Option<Error>,
    /// The set to pass to the next pass.
    pub last_applied: LastApplied,
    /// Steps planned but not run (after a failure).
    pub skipped: usize,
}

impl Report {
    /// The report of a pass that failed before applying anything (the
    /// state could not be read, desired state is invalid): nothing
    /// applied, `last` carried over unchanged.
    pub fn failed(error: Error, last: &LastApplied) -> Self {
        Self {
            converged: false,
            applied: Vec::new(),
            error: Some(error),
            last_applied: last.clone(),
            skipped: 0,
        }
    }
}

impl Plan {
    /// Every step, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps grouped by phase, in [`PHASES`] order, empty phases left out.
    pub fn phases(&self) -> impl Iterator<Item = &[Step]> {
        self.steps
            .chunk_by(|a, b| phase_of(a) == phase_of(b))
            .filter(|c| !c.is_empty())
    }

    /// The report of a pass: `results` holds one entry per step run, in
    /// step order (a prefix of [`Plan::steps`]); `stopped` is an error
    /// that ended the pass outside any one step (I/O, a timeout).
    pub fn finish(self, results: Vec<Result<(), Error>>, stopped: Option<Error>) -> Report {
        let mut last = self.base;
        let mut applied = Vec::new();
        let mut error = stopped;
        let mut ran = 0;
        let total = self.steps.len();
        for (step, result) in self.steps.into_iter().zip(results) {
            ran += 1;
            match result {
                Ok(()) => {
                    record(&mut last, &step);
                    applied.push(step);
                }
                Err(e) => {
                    if error.is_none() {
                        error = Some(step.explain(e));
                    }
                }
            }
        }
        Report {
            converged: error.is_none() && ran == total,
            applied,
            error,
            last_applied: last,
            skipped: total - ran,
        }
    }
}

fn record(last: &mut LastApplied, step: &Step) {
    let delete = step.action == Action::Delete;
    match &step.applied {
        Some(Applied::Link(name)) if delete => {
            last.links.remove(name);
        }
        Some(Applied::Link(name)) => {
            last.links.insert(name.clone());
        }
        Some(Applied::Address(l, p)) if delete => {
            last.addresses.remove(&(l.clone(), *p));
        }
        Some(Applied::Address(l, p)) => {
            last.addresses.insert((l.clone(), *p));
        }
        Some(Applied::Neighbour(l, d)) if delete => {
            last.neighbours.remove(&(l.clone(), *d));
        }
        Some(Applied::Neighbour(l, d)) => {
            last.neighbours.insert((l.clone(), *d));
        }
        Some(Applied::Rule(texts)) if delete => {
            for t in texts {
                last.rules.remove(t);
            }
        }
        Some(Applied::Rule(texts)) => last.rules.extend(texts.iter().cloned()),
        None => {}
    }
}

/// Link names and indexes of a snapshot, and of the links a pass
/// creates.
pub(super) struct Names {
    index: HashMap<String, u32>,
    name: HashMap<u32, String>,
}

impl Names {
    fn new(links: &[Link]) -> Self {
        Self {
            index: links
                .iter()
                .map(|l| (l.name.as_str().to_string(), l.index))
                .collect(),
            name: links
                .iter()
                .map(|l| (l.index, l.name.as_str().to_string()))
                .collect(),
        }
    }

    /// Name a link this pass creates with the index it asks for.
    fn planned(&mut self, name: &str, index: u32) {
        self.index.insert(name.to_string(), index);
        self.name.insert(index, name.to_string());
    }

    /// Desired state names links; one that does not exist is bad input.
    pub(super) fn resolve(&self, id: &LinkId) -> Result<u32, Error> {
        match id {
            LinkId::Index(i) => Ok(*i),
            LinkId::Name(n) => self
                .index
                .get(n)
                .copied()
                .ok_or_else(|| Error::NotFound(format!("no such interface \"{n}\""))),
        }
    }

    pub(super) fn link(&self, index: u32) -> LinkId {
        self.name
            .get(&index)
            .map_or(LinkId::Index(index), |n| LinkId::Name(n.clone()))
    }

    fn name(&self, index: u32) -> String {
        self.name
            .get(&index)
            .cloned()
            .unwrap_or_else(|| index.to_string())
    }
}

/// Plan one pass: compare `desired` with `snapshot`, owning routes of
/// `desired.protocol` and the addresses, neighbours and rules in `last`.
///
/// # Errors
///
/// Bad desired state, found before anything changes: an unknown link
/// ([`Error::NotFound`]), mixed families, a bad rule interface name
/// ([`Error::Invalid`]).
pub fn plan(desired: &Desired, snapshot: Snapshot, last: &LastApplied) -> Result<Plan, Error> {
    let mut names = Names::new(&snapshot.links);
    let links = super::links::plan(&desired.links, &snapshot.links, &last.links)?;
    for (name, index) in &links.planned {
        names.planned(name, *index);
    }
    let nexthops = super::nexthops::plan(
        &desired.nexthops,
        &snapshot.nexthops,
        desired.protocol,
        &names,
    )?;
    let Snapshot {
        addresses: mut obs_addrs,
        routes: mut obs_routes,
        neighbours: mut obs_neighs,
        rules: mut obs_rules,
        ..
    } = snapshot;
    obs_neighs.retain(|n| matches!(n.family, AddrFamily::INET | AddrFamily::INET6));

    // Desired state, links resolved (any unknown link fails here).
    let mut want_addrs = desired
        .addresses
        .iter()
        .map(|a| Ok(a.to_address(names.resolve(&a.link)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut want_routes = desired
        .routes
        .iter()
        .map(|r| {
            r.check()?;
            let oif = r.dev.as_ref().map(|d| names.resolve(d)).transpose()?;
            Ok(r.to_route(oif))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut want_neighs = desired
        .neighbours
        .iter()
        .map(|n| {
            let mut x = Neighbour::new(names.resolve(&n.link)?, n.dst);
            x.lladdr = n.lladdr;
            Ok(x)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut want_rules = desired
        .rules
        .iter()
        .map(RuleSpec::to_rule)
        .collect::<Result<Vec<_>, Error>>()?;

    // last_applied, by kernel identity.
    let mut la_addrs: Vec<AddressKey> = Vec::new();
    let mut base = LastApplied::new();
    base.links = links.kept;
    let observed_addr: BTreeSet<AddressKey> = obs_addrs.iter().map(Address::key).collect();
    let desired_addr: BTreeSet<AddressKey> = want_addrs.iter().map(Address::key).collect();
    for (link, prefix) in &last.addresses {
        let Some(&index) = names.index.get(link) else {
            continue;
        };
        let k = Address::new(index, *prefix).key();
        if observed_addr.contains(&k) || desired_addr.contains(&k) {
            la_addrs.push(k);
            base.addresses.insert((link.clone(), *prefix));
        }
    }
    let mut la_neighs: Vec<NeighbourKey> = Vec::new();
    let observed_neigh: BTreeSet<NeighbourKey> = obs_neighs.iter().map(Neighbour::key).collect();
    let desired_neigh: BTreeSet<NeighbourKey> = want_neighs.iter().map(Neighbour::key).collect();
    for (link, dst) in &last.neighbours {
        let Some(&index) = names.index.get(link) else {
            continue;
        };
        let k = Neighbour::new(index, *dst).key();
        if observed_neigh.contains(&k) || desired_neigh.contains(&k) {
            la_neighs.push(k);
            base.neighbours.insert((link.clone(), *dst));
        }
    }
    // A stored rule without a priority owns every observed rule of its group.
    let mut la_rules: Vec<RuleKey> = Vec::new();
    let mut rule_texts: BTreeMap<RuleKey, Vec<String>> = BTreeMap::new();
    let desired_rule_groups: BTreeSet<RuleKey> = want_rules.iter().map(Rule::group).collect();
    for text in &last.rules {
        let Ok(stored) = parse_rule(text)
            .map_err(Error::Invalid)
            .and_then(|s| s.to_rule())
        else {
            continue;
        };
        let keys: Vec<RuleKey> = match stored.priority {
            Some(_) => obs_rules
                .iter()
                .map(Rule::key)
                .filter(|k| *k == stored.key())
                .collect(),
            None => obs_rules
                .iter()
                .filter(|o| o.group() == stored.group())
                .map(Rule::key)
                .collect(),
        };
        if !keys.is_empty() || desired_rule_groups.contains(&stored.group()) {
            base.rules.insert(text.clone());
        }
        for k in keys {
            rule_texts.entry(k.clone()).or_default().push(text.clone());
            la_rules.push(k);
        }
    }

    let protocol = desired.protocol;
    let mut steps = links.steps;
    steps.extend(nexthops);
    diff::addresses(&mut want_addrs, &mut obs_addrs, &mut la_addrs, |c| {
        steps.push(address_step(c, &names));
    });
    diff::neighbours(&mut want_neighs, &mut obs_neighs, &mut la_neighs, |c| {
        steps.push(neighbour_step(c, &names));
    });
    diff::routes(&mut want_routes, &mut obs_routes, protocol, |c| {
        steps.push(route_step(c, &names, protocol));
    });
    diff::rules(&mut want_rules, &mut obs_rules, &mut la_rules, |c| {
        steps.push(rule_step(c, protocol, &rule_texts));
    });
    // Stable: within a phase, the diff's (sorted) order.
    steps.sort_by_key(phase_of);
    Ok(Plan { steps, base })
}

fn address_step(c: Change<'_, Address>, names: &Names) -> Step {
    let spec_of = |a: &Address| {
        let mut s = AddrSpec::from(a);
        s.link = names.link(a.index);
        s
    };
    let applied = |a: &Address| Some(Applied::Address(names.name(a.index), a.prefix()));
    match c {
        Change::Create(d) | Change::Update { desired: d, .. } => {
            let replace = matches!(c, Change::Update { .. });
            let spec = spec_of(d);
            let ready = Ready::NewAddress(spec.to_new(d.index, replace), spec.label.clone());
            Step {
                action: if replace {
                    Action::Update
                } else {
                    Action::Create
                },
                op: if replace {
                    Op::ReplaceAddress(spec)
                } else {
                    Op::AddAddress(spec)
                },
                ready,
                applied: applied(d),
            }
        }
        Change::Delete(o) => {
            let spec = spec_of(o);
            Step {
                action: Action::Delete,
                ready: Ready::DelAddress(o.index, spec.prefix),
                op: Op::DeleteAddress(spec.link, spec.prefix),
                applied: applied(o),
            }
        }
    }
}

fn neighbour_step(c: Change<'_, Neighbour>, names: &Names) -> Step {
    let dst = |n: &Neighbour| n.dst.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    match c {
        Change::Create(d) | Change::Update { desired: d, .. } => {
            let replace = matches!(c, Change::Update { .. });
            let link = names.link(d.index);
            Step {
                action: if replace {
                    Action::Update
                } else {
                    Action::Create
                },
                ready: Ready::NewNeighbour(NewNeighbour {
                    index: d.index,
                    dst: dst(d),
                    lladdr: d.lladdr,
                    state: NudState::PERMANENT,
                    flags: NeighFlags::EMPTY,
                    replace,
                }),
                op: if replace {
                    Op::ReplaceNeighbour(link, dst(d), d.lladdr)
                } else {
                    Op::AddNeighbour(link, dst(d), d.lladdr)
                },
                applied: Some(Applied::Neighbour(names.name(d.index), dst(d))),
            }
        }
        Change::Delete(o) => Step {
            action: Action::Delete,
            ready: Ready::DelNeighbour(o.index, dst(o)),
            op: Op::DeleteNeighbour(names.link(o.index), dst(o)),
            applied: Some(Applied::Neighbour(names.name(o.index), dst(o))),
        },
    }
}

/// The spec a desired route is created from: what it states, nothing more.
fn desired_route_spec(r: &Route, names: &Names, protocol: RouteProtocol) -> RouteSpec {
    let (gateway, via) = crate::route::split_gateway(&r.dst, r.gateway);
    RouteSpec {
        dst: r.dst,
        gateway,
        dev: r.oif.map(|i| names.link(i)),
        table: Some(r.table),
        protocol: Some(protocol),
        scope: (r.scope != Scope::NOWHERE).then_some(r.scope),
        kind: r.kind,
        metric: r.priority,
        prefsrc: r.prefsrc,
        mtu: r.mtu,
        via,
        nh_id: r.nh_id,
        onlink: false,
        nexthops: Vec::new(),
    }
}

fn route_step(c: Change<'_, Route>, names: &Names, protocol: RouteProtocol) -> Step {
    let (action, spec, oif, mode) = match c {
        Change::Create(d) => (
            Action::Create,
            desired_route_spec(d, names, protocol),
            d.oif,
            Some(RouteMode::Add),
        ),
        Change::Update { desired, observed } => {
            let mut spec = desired_route_spec(desired, names, protocol);
            // Replace the route that is there, not a sibling of another metric.
            spec.metric = Some(observed.key().priority);
            (Action::Update, spec, desired.oif, Some(RouteMode::Replace))
        }
        Change::Delete(o) => {
            let mut spec = RouteSpec::from(o);
            spec.dev = o.oif.map(|i| names.link(i));
            // Identity and protocol name it; the path need not.
            spec.gateway = None;
            (Action::Delete, spec, None, None)
        }
    };
    let (ready, op) = match mode {
        Some(mode) => (
            Ready::NewRoute(spec.to_new(oif), mode, Vec::new()),
            if mode == RouteMode::Replace {
                Op::ReplaceRoute(spec)
            } else {
                Op::AddRoute(spec)
            },
        ),
        None => (Ready::DelRoute(spec.to_del(None)), Op::DeleteRoute(spec)),
    };
    Step {
        action,
        op,
        ready,
        applied: None,
    }
}

fn rule_step(
    c: Change<'_, Rule>,
    protocol: RouteProtocol,
    texts: &BTreeMap<RuleKey, Vec<String>>,
) -> Step {
    match c {
        Change::Create(d) | Change::Update { desired: d, .. } => {
            let mut spec = <RuleSpec as From<&Rule>>::from(d);
            spec.priority = d.priority;
            spec.protocol = Some(protocol);
            let applied = Applied::Rule(vec![rule_text(&RuleSpec {
                protocol: None,
                ..spec.clone()
            })]);
            Step {
                action: Action::Create,
                ready: Ready::NewRule(spec.clone()),
                op: Op::AddRule(spec),
                applied: Some(applied),
            }
        }
        Change::Delete(o) => {
            let mut spec = <RuleSpec as From<&Rule>>::from(o);
            // Match on what identifies it; the protocol tag is descriptive.
            spec.protocol = None;
            let stored = texts.get(&o.key()).cloned().unwrap_or_default();
            Step {
                action: Action::Delete,
                ready: Ready::DelRule(spec.clone()),
                op: Op::DeleteRule(spec),
                applied: Some(Applied::Rule(stored)),
            }
        }
    }
}

impl Desired {
    /// Plan against `snapshot` (see [`plan`]).
    ///
    /// # Errors
    ///
    /// As [`plan`].
    pub fn plan(&self, snapshot: Snapshot, last: &LastApplied) -> Result<Plan, Error> {
        plan(self, snapshot, last)
    }
}

impl NeighSpec {
    /// `ADDR lladdr MAC dev LINK`.
    pub fn new(
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<nl_proto::values::Mac>,
    ) -> Self {
        Self {
            link: link.into(),
            dst,
            lladdr,
        }
    }
}
