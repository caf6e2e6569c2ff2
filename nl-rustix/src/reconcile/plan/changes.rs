//! What each change a diff reports becomes: the steps (a recreate is a
//! delete and a create in the create phase) and the conflicts, with the
//! text that names a foreign object.

use super::*;

/// The steps and conflicts of a round, as the diffs report them.
#[derive(Default)]
pub(super) struct Steps {
    pub(super) steps: Vec<Step>,
    pub(super) conflicts: Vec<Conflict>,
}

impl Steps {
    /// A step of `action`; what waits for it follows from its request
    /// ([`Step::needs`]).
    fn push(&mut self, action: Action, op: Op, ready: Ready, applied: Option<Applied>) {
        self.steps.push(Step::new(action, op, ready, applied));
    }

    fn push_route(&mut self, action: Action, op: Op, request: Request) {
        self.steps
            .push(Step::with_request(action, op, request, None));
    }

    /// The delete half of a recreate, run in the create phase.
    fn push_early_delete(&mut self, step: Step) {
        self.push_early_delete_at(self.steps.len(), step);
    }

    pub(super) fn address(&mut self, c: Change<'_, Address>, names: &Names) {
        let spec_of = |a: &Address| {
            let mut s = AddrSpec::from(a);
            s.link = names.link(a.index);
            s
        };
        let applied = |a: &Address| Some(Applied::Address(names.name(a.index), a.prefix()));
        let needs = |a: &Address| Needs::Address {
            index: a.index,
            prefix: a.prefix(),
        };
        let new = |d: &Address, replace: bool| {
            let spec = desired_addr_spec(d, names);
            let ready = Ready::NewAddress(spec.to_new(d.index, replace), spec.label.clone());
            (spec, ready)
        };
        let delete = |o: &Address| {
            let spec = spec_of(o);
            (
                Op::DeleteAddress(spec.link, spec.prefix),
                Ready::DelAddress(o.index, spec.prefix, o.peer),
            )
        };
        match c {
            Change::Create(d) => {
                let (spec, ready) = new(d, false);
                self.push(Action::Create, Op::AddAddress(spec), ready, applied(d));
            }
            Change::Update { desired: d, .. } => {
                let (spec, ready) = new(d, true);
                self.push(Action::Update, Op::ReplaceAddress(spec), ready, applied(d));
            }
            Change::Recreate {
                desired: d,
                observed: o,
            } => {
                let (op, ready) = delete(o);
                self.push_early_delete(Step::new(Action::Delete, op, ready, applied(o)));
                let (spec, ready) = new(d, false);
                self.push(Action::Create, Op::AddAddress(spec), ready, applied(d));
            }
            Change::Conflict {
                desired: d,
                observed: o,
            } => self.conflicts.push(Conflict {
                desired: Op::AddAddress(desired_addr_spec(d, names)),
                holder: address_text(o, names),
                needs: needs(d),
            }),
            Change::Delete(o) => {
                let (op, ready) = delete(o);
                self.push(Action::Delete, op, ready, applied(o));
            }
        }
    }

    pub(super) fn neighbour(&mut self, c: Change<'_, Neighbour>, names: &Names) {
        let dst = |n: &Neighbour| n.dst.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let applied = |n: &Neighbour| Some(Applied::Neighbour(names.name(n.index), dst(n)));
        let new = |d: &Neighbour, replace: bool| {
            let spec = NeighSpec {
                link: names.link(d.index),
                dst: dst(d),
                lladdr: d.lladdr,
                state: d.state,
                router: d.flags.contains(NeighFlags::ROUTER),
                proxy: d.flags.contains(NeighFlags::PROXY),
                replace,
            };
            let ready = Ready::NewNeighbour(NewNeighbour {
                index: d.index,
                dst: dst(d),
                lladdr: d.lladdr,
                state: d.state,
                flags: spec.flags(),
                replace,
            });
            (Op::NewNeighbour(spec), ready)
        };
        match c {
            Change::Create(d) => {
                let (op, ready) = new(d, false);
                self.push(Action::Create, op, ready, applied(d));
            }
            Change::Update { desired: d, .. } => {
                let (op, ready) = new(d, true);
                self.push(Action::Update, op, ready, applied(d));
            }
            Change::Recreate {
                desired: d,
                observed: o,
            } => {
                self.push_early_delete(Step::new(
                    Action::Delete,
                    Op::DeleteNeighbour(names.link(o.index), dst(o)),
                    Ready::DelNeighbour(o.index, dst(o)),
                    applied(o),
                ));
                let (op, ready) = new(d, false);
                self.push(Action::Create, op, ready, applied(d));
            }
            Change::Conflict {
                desired: d,
                observed: o,
            } => self.conflicts.push(Conflict {
                desired: new(d, false).0,
                holder: format!(
                    "neighbour {} on {} state {:?}",
                    dst(o),
                    names.name(o.index),
                    o.state
                ),
                needs: Needs::Nothing,
            }),
            Change::Delete(o) => self.push(
                Action::Delete,
                Op::DeleteNeighbour(names.link(o.index), dst(o)),
                Ready::DelNeighbour(o.index, dst(o)),
                applied(o),
            ),
        }
    }

    pub(super) fn route(
        &mut self,
        c: Change<'_, Route>,
        names: &Names,
        protocol: RouteProtocol,
        legs: &HashMap<(RouteKey, Option<u32>), &RouteSpec>,
    ) {
        let needs = |r: &Route| Needs::Route {
            oif: r.oif,
            gateway: r.gateway,
            prefsrc: r.prefsrc,
        };
        let spec_of = |d: &Route| {
            let mut spec = desired_route_spec(d, names, protocol);
            if let Some(s) = (!legs.is_empty())
                .then(|| legs.get(&(d.key(), d.priority)))
                .flatten()
            {
                spec.nexthops.clone_from(&s.nexthops);
            }
            spec
        };
        let request = |spec: &RouteSpec, d: &Route, mode: RouteMode| Request::NewRoute {
            mode,
            oif: d.oif,
            legs: route_legs(spec, names),
        };
        match c {
            Change::Create(d) => {
                let spec = spec_of(d);
                let r = request(&spec, d, RouteMode::Add);
                self.push_route(Action::Create, Op::AddRoute(spec), r);
            }
            Change::Update { desired, observed } => {
                let mut spec = spec_of(desired);
                // Replace the route that is there, not a sibling of another metric.
                spec.metric = Some(observed.key().priority);
                let r = request(&spec, desired, RouteMode::Replace);
                self.push_route(Action::Update, Op::ReplaceRoute(spec), r);
            }
            Change::Recreate { desired, observed } => {
                let op = route_delete(observed, names);
                self.push_early_delete(Step::with_request(
                    Action::Delete,
                    op,
                    Request::DelRoute,
                    None,
                ));
                let spec = spec_of(desired);
                let r = request(&spec, desired, RouteMode::Add);
                self.push_route(Action::Create, Op::AddRoute(spec), r);
            }
            Change::Conflict { desired, observed } => self.conflicts.push(Conflict {
                desired: Op::AddRoute(spec_of(desired)),
                holder: route_text(observed, names),
                needs: needs(desired),
            }),
            Change::Delete(o) => {
                let op = route_delete(o, names);
                self.push_route(Action::Delete, op, Request::DelRoute);
            }
        }
    }

    pub(super) fn rule(
        &mut self,
        c: Change<'_, Rule>,
        protocol: RouteProtocol,
        texts: &BTreeMap<RuleKey, Vec<String>>,
    ) {
        match c {
            // Every field of a rule is its identity: never updated.
            Change::Update { .. } | Change::Recreate { .. } | Change::Conflict { .. } => {}
            Change::Create(d) => {
                let mut spec = <RuleSpec as From<&Rule>>::from(d);
                spec.priority = d.priority;
                spec.protocol = Some(protocol);
                let applied = Applied::Rule(vec![rule_text(&RuleSpec {
                    protocol: None,
                    ..spec.clone()
                })]);
                self.push(
                    Action::Create,
                    Op::AddRule(spec.clone()),
                    Ready::NewRule(spec),
                    Some(applied),
                );
            }
            Change::Delete(o) => {
                let mut spec = <RuleSpec as From<&Rule>>::from(o);
                // Match on what identifies it; the protocol tag is descriptive.
                spec.protocol = None;
                let stored = texts.get(&o.key()).cloned().unwrap_or_default();
                self.push(
                    Action::Delete,
                    Op::DeleteRule(spec.clone()),
                    Ready::DelRule(spec),
                    Some(Applied::Rule(stored)),
                );
            }
        }
    }
}

impl Steps {
    /// The kernel's rule identity ignores `not` (`rule_exists` does not
    /// compare `FIB_RULE_INVERT`): a rule created beside an owned one that
    /// differs from it only there fails with `EEXIST`. Such a pair is a
    /// recreate: the delete moves to the create phase, just before the
    /// create.
    pub(super) fn pair_rules_differing_in_not(&mut self) {
        let identity = |r: &RuleSpec| {
            rule_text(&RuleSpec {
                invert: false,
                protocol: None,
                ..r.clone()
            })
        };
        let mut i = 0;
        while i < self.steps.len() {
            let Op::AddRule(c) = &self.steps[i].op else {
                i += 1;
                continue;
            };
            let id = identity(c);
            let twin = self.steps.iter().position(|s| {
                s.action == Action::Delete
                    && matches!(&s.op, Op::DeleteRule(d) if identity(d) == id)
            });
            if let Some(j) = twin {
                let delete = self.steps.remove(j);
                let at = if j < i { i - 1 } else { i };
                self.push_early_delete_at(at, delete);
                i = at + 1;
            }
            i += 1;
        }
    }

    /// [`Steps::push_early_delete`], at `at`.
    fn push_early_delete_at(&mut self, at: usize, mut step: Step) {
        step.phase = phase(Action::Create, step.object());
        self.steps.insert(at, step);
    }
}

/// The spec a desired address is created from: what it states.
fn desired_addr_spec(d: &Address, names: &Names) -> AddrSpec {
    let mut s = AddrSpec::from(d);
    s.link = names.link(d.index);
    s.scope = (d.scope != Scope::NOWHERE).then_some(d.scope);
    s.metric = d.rt_priority;
    s
}

fn address_text(a: &Address, names: &Names) -> String {
    let mut s = format!("address {} on {}", a.prefix(), names.name(a.index));
    if let Some(l) = &a.label {
        s.push_str(&format!(" label {l}"));
    }
    if let Some(b) = a.broadcast {
        s.push_str(&format!(" brd {b}"));
    }
    s.push_str(&format!(" scope {}", a.scope.0));
    s
}

fn route_text(r: &Route, names: &Names) -> String {
    let mut s = format!(
        "route {} table {} proto {} ({}) metric {}",
        r.dst,
        r.table,
        protocol_name(r.protocol),
        r.protocol.0,
        r.key().priority
    );
    if r.kind != RouteType::UNICAST {
        s.push_str(&format!(" type {}", r.kind.0));
    }
    if let Some(g) = r.gateway {
        s.push_str(&format!(" via {g}"));
    }
    if let Some(o) = r.oif {
        s.push_str(&format!(" dev {}", names.name(o)));
    }
    s
}

fn protocol_name(p: RouteProtocol) -> &'static str {
    match p {
        RouteProtocol::KERNEL => "kernel",
        RouteProtocol::BOOT => "boot",
        RouteProtocol::STATIC => "static",
        RouteProtocol::DHCP => "dhcp",
        _ => "other",
    }
}

/// The delete of an observed route (sent as [`Request::DelRoute`]).
fn route_delete(o: &Route, names: &Names) -> Op {
    let mut spec = RouteSpec::from(o);
    spec.dev = o.oif.map(|i| names.link(i));
    // Identity and protocol name it; the path need not.
    spec.gateway = None;
    spec.via_other_family = None;
    Op::DeleteRoute(spec)
}

/// The spec a desired route is created from: what it states, nothing more.
fn desired_route_spec(r: &Route, names: &Names, protocol: RouteProtocol) -> RouteSpec {
    let mut spec = RouteSpec::from(r);
    spec.dev = r.oif.map(|i| names.link(i));
    spec.protocol = Some(protocol);
    spec.metric = r.priority;
    spec.scope = (r.scope != Scope::NOWHERE).then_some(r.scope);
    spec
}

/// A multipath spec's legs, links resolved (checked in [`plan`]).
fn route_legs(spec: &RouteSpec, names: &Names) -> Vec<nl_proto::route::route::Leg> {
    spec.nexthops
        .iter()
        .map(|h| h.to_leg(h.dev.as_ref().and_then(|d| names.resolve(d).ok())))
        .collect()
}
