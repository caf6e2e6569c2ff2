//! Traffic control in desired state, per link: a root qdisc (`tbf`, or
//! an `htb` tree with classes and u32 filters) and an ingress redirect
//! (an `ingress` qdisc whose u32 filter sends every packet to another
//! link, an ifb, with `mirred`) — what a bandwidth plugin and a
//! tenant-shaping daemon install.
//!
//! Ownership is by slot, like links: a link's root or ingress qdisc is
//! the reconciler's when an earlier pass created it
//! ([`LastApplied::qdiscs`](super::LastApplied::qdiscs)), and so is
//! what hangs off it (classes and filters desired state does not name
//! are deleted with it, or on their own). A root slot held by the
//! kernel's default qdisc (handle 0) is free. A foreign qdisc is left
//! alone: when it and what hangs off it are exactly what desired state
//! asks, nothing is done; otherwise it is a [`Conflict`].
//!
//! What is compared is what the kernel reports back: rates, buckets (in
//! ticks), limits, class priorities and parents, selector keys, flow
//! ids, the redirect's target. A change the kernel makes in place is
//! one step (`replace`); what it cannot is a delete and a create: a u32
//! filter's keys (a replace keeps a node's selector; its flow id and
//! actions change), a class's parent, and an htb qdisc's own options
//! (htb has no `change`: the tree is recreated).

use super::plan::{Action, Applied, Conflict, Names, Ready, Step};
use crate::monitor::SnapshotDump;
use crate::{Error, LinkId, Op, TcSpec};
use nl_proto::IpNet;
use nl_proto::tc::action::{Action as TcAction, ActionParams, MirredAction};
use nl_proto::tc::cls_u32::{self, Selector, U32Filter, U32Handle, fields};
use nl_proto::tc::htb::{Htb, HtbClass, HtbClassSpec};
use nl_proto::tc::tbf::Tbf;
use nl_proto::tc::units::{Rate, Size, Time};
use nl_proto::tc::{Handle, Mode, Object, Options, Tc};
use std::collections::{BTreeMap, BTreeSet};

/// `ETH_P_ALL`, `ETH_P_IP`, `ETH_P_IPV6`: a filter's protocol.
const ETH_P_ALL: u16 = 0x0003;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86DD;

/// The priority of the ingress redirect's filter (as the CNI bandwidth
/// plugin installs it).
const REDIRECT_PRIO: u16 = 1;

/// Which qdisc of a link: the root (egress) or the ingress one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TcSlot {
    /// The root qdisc (`tc qdisc … root`).
    Root,
    /// The ingress qdisc (`tc qdisc … ingress`).
    Ingress,
}

impl TcSlot {
    /// `"root"` or `"ingress"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Ingress => "ingress",
        }
    }

    /// Read [`TcSlot::as_str`] back.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "root" => Some(Self::Root),
            "ingress" => Some(Self::Ingress),
            _ => None,
        }
    }
}

/// One link's traffic control in desired state; a part left `None` is
/// not desired (and deleted when an earlier pass created it).
///
/// ```
/// use nl_rustix::reconcile::{Desired, DesiredQdiscs, DesiredRoot};
/// use nl_rustix::nl_proto::tc::units::{Rate, Size, Time};
/// let mut desired = Desired::new();
/// let mut tc = DesiredQdiscs::new("veth0");
/// // tc qdisc add dev veth0 root tbf rate 1mbit burst 4kb latency 400ms
/// tc.root = Some(DesiredRoot::Tbf {
///     rate: Rate::parse("1mbit").unwrap(),
///     burst: Size(4096),
///     latency: Time(400_000),
/// });
/// // … and everything arriving on veth0 redirected to ifb0.
/// tc.ingress_redirect = Some("ifb0".into());
/// desired.qdiscs.push(tc);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredQdiscs {
    /// The link, by name.
    pub link: String,
    /// Its root qdisc.
    pub root: Option<DesiredRoot>,
    /// The link every packet arriving on `link` is redirected to (`tc
    /// qdisc add dev LINK handle ffff: ingress; tc filter add dev LINK
    /// parent ffff: protocol all prio 1 u32 match u32 0 0 action mirred
    /// egress redirect dev TO`).
    pub ingress_redirect: Option<String>,
}

impl DesiredQdiscs {
    /// Link `link`, nothing desired on it yet.
    pub fn new(link: impl Into<String>) -> Self {
        Self {
            link: link.into(),
            root: None,
            ingress_redirect: None,
        }
    }
}

/// A root qdisc in desired state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DesiredRoot {
    /// `tbf rate RATE burst BURST latency LATENCY` (its handle the
    /// kernel's choice).
    Tbf {
        /// `rate`.
        rate: Rate,
        /// `burst`, in bytes.
        burst: Size,
        /// `latency`.
        latency: Time,
    },
    /// An htb tree.
    Htb(DesiredHtb),
}

/// `tc qdisc add … root handle H: htb default D`, its classes and its
/// u32 filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredHtb {
    /// The qdisc's handle (`1:`; a minor of 0).
    pub handle: Handle,
    /// The class unclassified traffic goes to (`default`), of the
    /// qdisc's major.
    pub default_class: Option<Handle>,
    /// Its classes, each once.
    pub classes: Vec<DesiredClass>,
    /// Its filters (attached to the qdisc), each priority once.
    pub filters: Vec<DesiredFilter>,
}

/// `tc class add … parent P classid C htb rate R [ceil R] [prio N]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredClass {
    /// `classid`, of the qdisc's major.
    pub classid: Handle,
    /// The parent class; `None`: the qdisc.
    pub parent: Option<Handle>,
    /// `rate`.
    pub rate: Rate,
    /// `ceil` (the rate when unset).
    pub ceil: Option<Rate>,
    /// `prio`, 0 to 7.
    pub prio: u32,
}

/// `tc filter add … parent H: protocol ip|ipv6|all prio N u32 match ip
/// src S match ip dst D flowid C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredFilter {
    /// `prio` (1 or more).
    pub prio: u16,
    /// `match ip|ip6 src`.
    pub src: Option<IpNet>,
    /// `match ip|ip6 dst`.
    pub dst: Option<IpNet>,
    /// `flowid`: a desired class.
    pub flowid: Handle,
}

impl DesiredFilter {
    /// The filter's protocol: IPv4 or IPv6 after its prefixes, else all.
    fn protocol(&self) -> u16 {
        match self.src.or(self.dst) {
            Some(IpNet::V4(_)) => ETH_P_IP,
            Some(IpNet::V6(_)) => ETH_P_IPV6,
            None => ETH_P_ALL,
        }
    }

    /// The options tc sends for it.
    fn options(&self) -> Result<U32Filter, Error> {
        let bad = || Error::Invalid(format!("filter prio {}: too many keys", self.prio));
        let mut sel = Selector {
            flags: cls_u32::TERMINAL,
            ..Selector::default()
        };
        let mut put = |net: IpNet, v4: i32, v6: i32| match net {
            IpNet::V4(n) => sel.pack_ipv4(v4, n.addr(), n.prefix_len(), 0),
            IpNet::V6(n) => sel.pack_ipv6(v6, n.addr(), n.prefix_len(), 0),
        };
        if let Some(s) = self.src {
            put(s, fields::IP_SRC, fields::IP6_SRC).map_err(|_| bad())?;
        }
        if let Some(d) = self.dst {
            put(d, fields::IP_DST, fields::IP6_DST).map_err(|_| bad())?;
        }
        if sel.keys.is_empty() {
            sel.pack32(0, 0, 0, 0).map_err(|_| bad())?;
        }
        Ok(U32Filter {
            classid: Some(self.flowid),
            sel: Some(sel),
            ..U32Filter::default()
        })
    }
}

/// The redirect filter's options: `u32 match u32 0 0 action mirred
/// egress redirect dev TO`.
fn redirect(to: u32) -> U32Filter {
    let mut sel = Selector {
        flags: cls_u32::TERMINAL,
        ..Selector::default()
    };
    // One zero key always fits an empty selector.
    let _ = sel.pack32(0, 0, 0, 0);
    let mut f = U32Filter {
        sel: Some(sel),
        ..U32Filter::default()
    };
    let _ = f
        .actions
        .push(TcAction::mirred(MirredAction::EGRESS_REDIR, to));
    f
}

impl DesiredClass {
    fn options(&self) -> Result<HtbClass, Error> {
        let mut spec = HtbClassSpec::new(self.rate);
        spec.ceil = self.ceil;
        spec.prio = self.prio;
        HtbClass::new(&spec)
            .ok_or_else(|| Error::Invalid(format!("class {}: a rate of 0", self.classid)))
    }
}

impl DesiredRoot {
    /// The qdisc request, on link `dev`.
    fn spec(&self, dev: &LinkId) -> TcSpec {
        match self {
            Self::Tbf {
                rate,
                burst,
                latency,
            } => TcSpec::new(dev.clone(), Handle::ROOT, "tbf")
                .options(Options::Tbf(Tbf::with_latency(*rate, *burst, *latency))),
            Self::Htb(h) => TcSpec::new(dev.clone(), Handle::ROOT, "htb")
                .handle(h.handle)
                .options(Options::Htb(Htb::new(u32::from(
                    h.default_class.map_or(0, Handle::minor),
                )))),
        }
    }
}

/// Refuse what the kernel would refuse, before anything changes.
fn check(d: &DesiredQdiscs) -> Result<(), Error> {
    let bad = |why: String| Err(Error::Invalid(format!("qdiscs of \"{}\": {why}", d.link)));
    match &d.root {
        Some(DesiredRoot::Tbf { rate, burst, .. }) if rate.0 == 0 || burst.0 == 0 => {
            return bad("tbf needs a rate and a burst".into());
        }
        Some(DesiredRoot::Htb(h)) => {
            let major = h.handle.major();
            if h.handle.minor() != 0 || major == 0 || major == 0xFFFF {
                return bad(format!("htb handle {} is not MAJOR:", h.handle));
            }
            let ours = |c: Handle| c.major() == major && c.minor() != 0;
            let mut ids = BTreeSet::new();
            for c in &h.classes {
                if !ours(c.classid) || !ids.insert(c.classid) {
                    return bad(format!(
                        "class {} is not of {} or repeated",
                        c.classid, h.handle
                    ));
                }
                if c.prio > 7 {
                    return bad(format!("class {}: prio {} is above 7", c.classid, c.prio));
                }
                c.options()?;
            }
            for c in &h.classes {
                if c.parent.is_some_and(|p| !ids.contains(&p)) {
                    return bad(format!("class {}: its parent is not desired", c.classid));
                }
            }
            if depths(&h.classes).is_none() {
                return bad("classes are each other's parents".into());
            }
            if let Some(dc) = h.default_class.filter(|c| !ours(*c)) {
                return bad(format!("default class {dc} is not of {}", h.handle));
            }
            let mut prios = BTreeSet::new();
            for f in &h.filters {
                if f.prio == 0 || !prios.insert(f.prio) {
                    return bad(format!("filter prio {} is 0 or repeated", f.prio));
                }
                if !ids.contains(&f.flowid) {
                    return bad(format!(
                        "filter prio {}: flowid {} is not a desired class",
                        f.prio, f.flowid
                    ));
                }
                if let (Some(s), Some(t)) = (f.src, f.dst) {
                    if matches!(s, IpNet::V4(_)) != matches!(t, IpNet::V4(_)) {
                        return bad(format!(
                            "filter prio {}: src and dst of two families",
                            f.prio
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Each class's depth (0: under the qdisc), in the classes' order;
/// `None` for a cycle.
fn depths(classes: &[DesiredClass]) -> Option<Vec<usize>> {
    let parent: BTreeMap<Handle, Option<Handle>> =
        classes.iter().map(|c| (c.classid, c.parent)).collect();
    classes
        .iter()
        .map(|c| {
            let mut at = c.parent;
            let mut depth = 0;
            while let Some(p) = at {
                depth += 1;
                if depth > classes.len() {
                    return None;
                }
                at = parent.get(&p).copied().flatten();
            }
            Some(depth)
        })
        .collect()
}

/// The dumps that read the traffic control of `desired`'s links (by
/// `index`, the links read so far): every qdisc; each link's classes
/// and root filters when its root is an htb; its ingress filters when
/// it has a redirect. Every qdisc alone when only `owned` (earlier
/// passes' qdiscs, to delete) calls for a read; nothing when neither.
pub(super) fn dumps(
    desired: &[DesiredQdiscs],
    owned: bool,
    index: impl Fn(&str) -> Option<u32>,
) -> Vec<SnapshotDump> {
    if desired.is_empty() && !owned {
        return Vec::new();
    }
    let tc = |object, ifindex, parent| SnapshotDump::Tc {
        object,
        ifindex,
        parent,
    };
    let mut out = vec![tc(Object::Qdisc, 0, Handle::UNSPEC)];
    for d in desired {
        let Some(i) = index(&d.link) else {
            // Created by this pass: nothing to read.
            continue;
        };
        if matches!(d.root, Some(DesiredRoot::Htb(_))) {
            out.push(tc(Object::Class, i, Handle::UNSPEC));
            out.push(tc(Object::Filter, i, Handle::UNSPEC));
        }
        if d.ingress_redirect.is_some() {
            out.push(tc(Object::Filter, i, Handle::INGRESS_QDISC));
        }
    }
    out
}

/// The traffic-control part of a round.
#[derive(Default)]
pub(super) struct QdiscPlan {
    /// Creates (qdiscs, then classes parents first, then filters),
    /// updates and deletes; the plan orders them by phase.
    pub(super) steps: Vec<Step>,
    /// Foreign qdiscs in the way.
    pub(super) conflicts: Vec<Conflict>,
    /// The entries of `last_applied` still meaningful: observed or desired.
    pub(super) kept: BTreeSet<(String, TcSlot)>,
}

/// What one link has, as read.
struct Observed<'a> {
    qdiscs: Vec<&'a Tc>,
    classes: Vec<&'a Tc>,
    filters: Vec<&'a Tc>,
}

impl<'a> Observed<'a> {
    fn of(all: &'a [Tc], index: u32) -> Self {
        let on = |o: Object| {
            all.iter()
                .filter(|t| t.object == o && u32::try_from(t.ifindex) == Ok(index))
                .collect::<Vec<_>>()
        };
        Self {
            qdiscs: on(Object::Qdisc),
            classes: on(Object::Class),
            filters: on(Object::Filter),
        }
    }

    /// The qdisc in `slot`; a default root (handle 0) is none.
    fn qdisc(&self, slot: TcSlot) -> Option<&'a Tc> {
        let parent = match slot {
            TcSlot::Root => Handle::ROOT,
            TcSlot::Ingress => Handle::INGRESS,
        };
        self.qdiscs
            .iter()
            .copied()
            .find(|q| q.parent == parent && q.handle != Handle::UNSPEC)
    }

    /// The u32 filters under qdisc `parent`, by (priority, protocol).
    fn filter_groups(&self, parent: Handle) -> BTreeMap<(u16, u16), Vec<&'a Tc>> {
        let mut out: BTreeMap<(u16, u16), Vec<&'a Tc>> = BTreeMap::new();
        for f in self
            .filters
            .iter()
            .filter(|f| f.parent.major() == parent.major())
        {
            out.entry((f.priority(), f.protocol())).or_default().push(f);
        }
        out
    }
}

/// The steps of one link.
struct LinkSteps<'a> {
    dev: LinkId,
    name: &'a str,
    index: u32,
    steps: Vec<Step>,
}

impl LinkSteps<'_> {
    fn spec(&self, parent: Handle, kind: &str) -> TcSpec {
        TcSpec::new(self.dev.clone(), parent, kind)
    }

    fn push(&mut self, action: Action, object: Object, mode: Option<Mode>, spec: TcSpec) {
        self.push_owning(action, object, mode, spec, None);
    }

    fn push_owning(
        &mut self,
        action: Action,
        object: Object,
        mode: Option<Mode>,
        spec: TcSpec,
        slot: Option<TcSlot>,
    ) {
        let ready = Ready::Tc(object, mode, Box::new(spec.clone()), self.index);
        let op = match mode {
            Some(m) => Op::NewTc(object, m, spec),
            None => Op::DeleteTc(object, spec),
        };
        let applied = slot.map(|s| Applied::Qdisc(self.name.to_string(), s));
        self.steps.push(Step::new(action, op, ready, applied));
    }

    fn early_delete(&mut self, object: Object, spec: TcSpec) {
        self.push(Action::Delete, object, None, spec);
        if let Some(s) = self.steps.pop() {
            self.steps.push(s.early());
        }
    }

    /// Delete a whole filter priority (every node of it).
    fn delete_filters(&mut self, parent: Handle, (prio, protocol): (u16, u16), early: bool) {
        let spec = self.spec(parent, "").filter(prio, protocol);
        if early {
            self.early_delete(Object::Filter, spec);
        } else {
            self.push(Action::Delete, Object::Filter, None, spec);
        }
    }

    /// Make the u32 filters under `parent` exactly `want` (by priority
    /// and protocol): a filter with one node that differs is replaced
    /// through that node's handle.
    fn filters(
        &mut self,
        parent: Handle,
        want: &[(u16, u16, U32Filter)],
        have: &BTreeMap<(u16, u16), Vec<&Tc>>,
    ) {
        let wanted: BTreeSet<u16> = want.iter().map(|w| w.0).collect();
        // Another protocol at a desired priority is in the way of its create.
        for key in have.keys().filter(|k| wanted.contains(&k.0)) {
            if !want.iter().any(|w| (w.0, w.1) == *key) {
                self.delete_filters(parent, *key, true);
            }
        }
        for (prio, protocol, options) in want {
            let spec = self
                .spec(parent, "u32")
                .filter(*prio, *protocol)
                .options(Options::U32(options.clone()));
            let nodes: Vec<&Tc> = have
                .get(&(*prio, *protocol))
                .map(|g| {
                    g.iter()
                        .copied()
                        .filter(|t| U32Handle(t.handle.0).node() != 0)
                        .collect()
                })
                .unwrap_or_default();
            match (have.contains_key(&(*prio, *protocol)), nodes.as_slice()) {
                (false, _) => self.push(Action::Create, Object::Filter, Some(Mode::Add), spec),
                (true, [one]) if same_u32(options, &one.options) => {}
                // The kernel keeps a node's selector on a replace: only
                // its flow id and actions change in place.
                (true, [one]) if same_keys(options, &one.options) => self.push(
                    Action::Update,
                    Object::Filter,
                    Some(Mode::Replace),
                    spec.handle(one.handle),
                ),
                (true, _) => {
                    self.delete_filters(parent, (*prio, *protocol), true);
                    self.push(Action::Create, Object::Filter, Some(Mode::Add), spec);
                }
            }
        }
        for key in have.keys().filter(|k| !wanted.contains(&k.0)) {
            self.delete_filters(parent, *key, false);
        }
    }

    /// Make the htb classes of `h` exactly the desired ones: creates
    /// parents first, updates in place, a parent change recreated,
    /// others deleted leaves first.
    fn classes(&mut self, h: &DesiredHtb, have: &[&Tc]) -> Result<(), Error> {
        let mut order: Vec<(usize, &DesiredClass)> = depths(&h.classes)
            .unwrap_or_default()
            .into_iter()
            .zip(&h.classes)
            .collect();
        order.sort_by_key(|(depth, _)| *depth);
        for (_, c) in order {
            let options = c.options()?;
            let spec = self
                .spec(c.parent.unwrap_or(h.handle), "htb")
                .handle(c.classid)
                .options(Options::HtbClass(options));
            match have.iter().find(|o| o.handle == c.classid) {
                None => self.push(Action::Create, Object::Class, Some(Mode::Add), spec),
                Some(o) if o.parent != c.parent.unwrap_or(Handle::ROOT) => {
                    let gone = self.spec(o.parent, "").handle(c.classid);
                    self.early_delete(Object::Class, gone);
                    self.push(Action::Create, Object::Class, Some(Mode::Add), spec);
                }
                Some(o) if same_class(&options, &o.options) => {}
                Some(_) => self.push(Action::Update, Object::Class, Some(Mode::Replace), spec),
            }
        }
        let mut extra: Vec<&&Tc> = have
            .iter()
            .filter(|o| !h.classes.iter().any(|c| c.classid == o.handle))
            .collect();
        // Leaves (level 0) before the classes they hang from.
        extra.sort_by_key(|o| match &o.options {
            Options::HtbClass(c) => c.parms.level.get(),
            _ => 0,
        });
        for o in extra {
            let spec = self.spec(o.parent, "").handle(o.handle);
            self.push(Action::Delete, Object::Class, None, spec);
        }
        Ok(())
    }
}

/// Plan the traffic control of `desired` against `observed`, owning the
/// slots in `last`.
///
/// # Errors
///
/// Bad desired state, before anything changes: a link named twice or
/// unknown, an unknown redirect target, a tbf without rate or burst, an
/// htb handle, class or filter that does not fit its tree.
pub(super) fn plan(
    desired: &[DesiredQdiscs],
    observed: &[Tc],
    last: &BTreeSet<(String, TcSlot)>,
    names: &Names,
) -> Result<QdiscPlan, Error> {
    let mut out = QdiscPlan::default();
    let mut seen = BTreeSet::new();
    for d in desired {
        check(d)?;
        if !seen.insert(d.link.as_str()) {
            return Err(Error::Invalid(format!(
                "qdiscs of \"{}\" are desired twice",
                d.link
            )));
        }
    }
    let resolve = |name: &str| names.resolve(&LinkId::Name(name.to_string()));
    for d in desired {
        let index = resolve(&d.link)?;
        let target = d.ingress_redirect.as_deref().map(resolve).transpose()?;
        let have = Observed::of(observed, index);
        let mut link = LinkSteps {
            dev: LinkId::Name(d.link.clone()),
            name: &d.link,
            index,
            steps: Vec::new(),
        };
        let owned = |s| last.contains(&(d.link.clone(), s));
        for slot in [TcSlot::Root, TcSlot::Ingress] {
            if !desired_in(d, slot) && !owned(slot) {
                continue;
            }
            let before = link.steps.len();
            let held = have.qdisc(slot);
            let foreign = held.is_some() && !owned(slot);
            if owned(slot) && (held.is_some() || desired_in(d, slot)) {
                out.kept.insert((d.link.clone(), slot));
            }
            let holder = match slot {
                TcSlot::Root => link.root(d.root.as_ref(), held, &have)?,
                TcSlot::Ingress => link.ingress(target, held, &have),
            };
            if foreign && link.steps.len() > before {
                // Not ours, and not as desired: leave it.
                let desired_op = link.steps.swap_remove(before).op;
                link.steps.truncate(before);
                out.conflicts
                    .push(Conflict::new(desired_op, holder.unwrap_or_default()));
            }
        }
        out.steps.extend(link.steps);
    }
    // Owned slots whose link desired state no longer names.
    for (name, slot) in last {
        if seen.contains(name.as_str()) {
            continue;
        }
        let Ok(index) = resolve(name) else {
            continue;
        };
        let have = Observed::of(observed, index);
        let Some(_) = have.qdisc(*slot) else {
            continue;
        };
        out.kept.insert((name.clone(), *slot));
        let mut link = LinkSteps {
            dev: LinkId::Name(name.clone()),
            name,
            index,
            steps: Vec::new(),
        };
        link.delete_slot(*slot);
        out.steps.extend(link.steps);
    }
    Ok(out)
}

fn desired_in(d: &DesiredQdiscs, slot: TcSlot) -> bool {
    match slot {
        TcSlot::Root => d.root.is_some(),
        TcSlot::Ingress => d.ingress_redirect.is_some(),
    }
}

impl LinkSteps<'_> {
    fn delete_slot(&mut self, slot: TcSlot) {
        let parent = match slot {
            TcSlot::Root => Handle::ROOT,
            TcSlot::Ingress => Handle::INGRESS,
        };
        let spec = self.spec(parent, "");
        self.push_owning(Action::Delete, Object::Qdisc, None, spec, Some(slot));
    }

    /// The root slot's steps; the text of the qdisc held there.
    fn root(
        &mut self,
        want: Option<&DesiredRoot>,
        held: Option<&Tc>,
        have: &Observed<'_>,
    ) -> Result<Option<String>, Error> {
        let holder = held.map(|q| format!("qdisc {} {}", q.kind, q.handle));
        let Some(want) = want else {
            if held.is_some() {
                self.delete_slot(TcSlot::Root);
            }
            return Ok(holder);
        };
        let spec = want.spec(&self.dev);
        let slot = Some(TcSlot::Root);
        let tree_is_new = match held {
            None => {
                self.push_owning(Action::Create, Object::Qdisc, Some(Mode::Add), spec, slot);
                true
            }
            Some(q) if same_root(want, q) => false,
            // htb cannot change its own options: the tree again.
            Some(q) if q.kind.as_str() == "htb" && q.handle == spec.handle => {
                self.early_delete(Object::Qdisc, self.spec(Handle::ROOT, ""));
                self.push_owning(Action::Create, Object::Qdisc, Some(Mode::Add), spec, slot);
                true
            }
            // A kind or handle the kernel grafts anew; tbf changes in place.
            Some(q) => {
                let fresh = q.kind.as_str() != "tbf" || !matches!(want, DesiredRoot::Tbf { .. });
                self.push_owning(
                    Action::Update,
                    Object::Qdisc,
                    Some(Mode::Replace),
                    spec,
                    slot,
                );
                fresh
            }
        };
        if let DesiredRoot::Htb(h) = want {
            let none = Observed {
                qdiscs: Vec::new(),
                classes: Vec::new(),
                filters: Vec::new(),
            };
            let have = if tree_is_new { &none } else { have };
            let classes: Vec<&Tc> = have
                .classes
                .iter()
                .copied()
                .filter(|c| c.kind.as_str() == "htb" && c.handle.major() == h.handle.major())
                .collect();
            self.classes(h, &classes)?;
            let want: Vec<(u16, u16, U32Filter)> = h
                .filters
                .iter()
                .map(|f| Ok((f.prio, f.protocol(), f.options()?)))
                .collect::<Result<_, Error>>()?;
            self.filters(h.handle, &want, &have.filter_groups(h.handle));
        }
        Ok(holder)
    }

    /// The ingress slot's steps (`to`: the redirect's target); the text
    /// of the qdisc held there.
    fn ingress(
        &mut self,
        to: Option<u32>,
        held: Option<&Tc>,
        have: &Observed<'_>,
    ) -> Option<String> {
        let holder = held.map(|q| format!("qdisc {} {}", q.kind, Handle::INGRESS_QDISC));
        let Some(to) = to else {
            if held.is_some() {
                self.delete_slot(TcSlot::Ingress);
            }
            return holder;
        };
        let slot = Some(TcSlot::Ingress);
        let spec = self
            .spec(Handle::INGRESS, "ingress")
            .handle(Handle::INGRESS_QDISC);
        let fresh = match held {
            None => true,
            Some(q) if q.kind.as_str() == "ingress" => false,
            // clsact: the ingress qdisc instead.
            Some(_) => {
                self.early_delete(Object::Qdisc, self.spec(Handle::INGRESS, ""));
                true
            }
        };
        if fresh {
            self.push_owning(Action::Create, Object::Qdisc, Some(Mode::Add), spec, slot);
        }
        let want = [(REDIRECT_PRIO, ETH_P_ALL, redirect(to))];
        let groups = if fresh {
            BTreeMap::new()
        } else {
            have.filter_groups(Handle::INGRESS_QDISC)
        };
        self.filters(Handle::INGRESS_QDISC, &want, &groups);
        holder
    }
}

/// Whether the kernel's root qdisc `q` is `want` (a tbf of any handle).
fn same_root(want: &DesiredRoot, q: &Tc) -> bool {
    match (want, &q.options) {
        (
            DesiredRoot::Tbf {
                rate,
                burst,
                latency,
            },
            Options::Tbf(have),
        ) => {
            let t = Tbf::with_latency(*rate, *burst, *latency);
            q.kind.as_str() == "tbf"
                && have.rate == t.rate
                && have.peakrate.0 == 0
                && have.parms.limit == t.parms.limit
                && have.parms.buffer == t.parms.buffer
        }
        (DesiredRoot::Htb(h), Options::Htb(have)) => {
            q.kind.as_str() == "htb"
                && q.handle == h.handle
                && have.glob.defcls.get() == u32::from(h.default_class.map_or(0, Handle::minor))
        }
        _ => false,
    }
}

/// Whether the kernel's htb class options `have` are `want`'s.
fn same_class(want: &HtbClass, have: &Options) -> bool {
    let Options::HtbClass(h) = have else {
        return false;
    };
    h.rate == want.rate
        && h.ceil == want.ceil
        && h.parms.buffer == want.parms.buffer
        && h.parms.cbuffer == want.parms.cbuffer
        && h.parms.prio == want.parms.prio
}

/// Whether the kernel's u32 key node `have` is `want`: keys, flags, flow
/// id, and each action's kind and what it does (not its index or stats).
fn same_u32(want: &U32Filter, have: &Options) -> bool {
    let Options::U32(h) = have else {
        return false;
    };
    want.classid == h.classid
        && same_keys(want, have)
        && want.actions.len() == h.actions.len()
        && want
            .actions
            .iter()
            .zip(&h.actions)
            .all(|(a, b)| same_action(a, b))
}

/// Whether the kernel's u32 key node `have` has `want`'s selector.
fn same_keys(want: &U32Filter, have: &Options) -> bool {
    let Options::U32(h) = have else {
        return false;
    };
    let keys = |f: &U32Filter| f.sel.as_ref().map(|s| (s.flags, s.keys.clone()));
    keys(want) == keys(h)
}

fn same_action(a: &TcAction, b: &TcAction) -> bool {
    match (&a.params, &b.params) {
        (ActionParams::Mirred(x), ActionParams::Mirred(y)) => {
            x.eaction == y.eaction && x.ifindex == y.ifindex && x.common.action == y.common.action
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_proto::wire::MsgWriter;

    /// `tc filter add dev v0 parent ffff: protocol all prio 1 u32 match
    /// u32 0 0 action mirred egress redirect dev ifb0` (v0 index 3,
    /// ifb0 index 4), as `nl-capture --normalize` shows iproute2 6.1
    /// sending it.
    const TC_FILTER_ADD_REDIRECT: &str = "\
        8c000000 2c000506 00000000 00000000 00000000 03000000 00000000 0000ffff \
        00030100 08000100 75333200 60000200 38000700 34000100 0b000100 6d697272 \
        65640000 24000280 20000200 00000000 00000000 04000000 00000000 00000000 \
        01000000 04000000 24000500 01000100 00000000 00000000 00000000 00000000 \
        00000000 00000000 00000000";

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn emits_the_redirect_filter_as_tc() {
        let spec = TcSpec::new("v0", Handle::INGRESS_QDISC, "u32")
            .filter(REDIRECT_PRIO, ETH_P_ALL)
            .options(Options::U32(redirect(4)));
        let ready = Ready::Tc(Object::Filter, Some(Mode::Add), Box::new(spec), 3);
        let mut buf = [0u8; 512];
        let mut w = MsgWriter::new(&mut buf);
        let sent = crate::ops::encode_ready(&ready, &mut w).unwrap();
        let mut got = sent.msg.to_vec();
        // The session sets NLM_F_ACK when it submits.
        got[6] |= 0x04;
        assert_eq!(got, hex(TC_FILTER_ADD_REDIRECT));
    }

    #[test]
    fn rejects_trees_that_do_not_fit() {
        let class = |id, parent: Option<u16>| DesiredClass {
            classid: Handle::new(1, id),
            parent: parent.map(|p| Handle::new(1, p)),
            rate: Rate(1000),
            ceil: None,
            prio: 0,
        };
        let tree = |classes: Vec<DesiredClass>, filters: Vec<DesiredFilter>| {
            let mut d = DesiredQdiscs::new("v0");
            d.root = Some(DesiredRoot::Htb(DesiredHtb {
                handle: Handle::new(1, 0),
                default_class: None,
                classes,
                filters,
            }));
            d
        };
        let flow = |prio, id| DesiredFilter {
            prio,
            src: None,
            dst: None,
            flowid: Handle::new(1, id),
        };
        assert!(
            check(&tree(
                vec![class(1, None), class(2, Some(1))],
                vec![flow(1, 2)]
            ))
            .is_ok()
        );
        for bad in [
            tree(vec![class(1, Some(2)), class(2, Some(1))], vec![]),
            tree(vec![class(1, None), class(1, None)], vec![]),
            tree(vec![class(1, Some(9))], vec![]),
            tree(vec![class(1, None)], vec![flow(1, 2)]),
            tree(vec![class(1, None)], vec![flow(1, 1), flow(1, 1)]),
            tree(vec![class(1, None)], vec![flow(0, 1)]),
        ] {
            assert!(matches!(check(&bad), Err(Error::Invalid(_))), "{bad:?}");
        }
    }
}
