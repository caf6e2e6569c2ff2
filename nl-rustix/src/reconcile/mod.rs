//! Keep a namespace converged: desired links, addresses, nexthops,
//! routes, neighbours and rules, applied in one ordered, batched pass
//! that tells the truth.
//!
//! # The pass
//!
//! 1. **Observe** — a [`Snapshot`]: links, addresses, routes (both
//!    families, every table), neighbours, rules, nexthop objects.
//! 2. **Plan** ([`plan`], no I/O) — give each link to create the next
//!    free interface index, resolve desired link *names* to this pass's
//!    indexes and check every field (bad input fails here, before
//!    anything changes), diff with [`nl_proto::diff`], and order the
//!    [`Step`]s by [`PHASES`]: creates and updates in [`CREATE_ORDER`]
//!    (links, addresses, nexthops, routes, neighbours, rules), deletes
//!    the other way.
//!    What the kernel cannot change in place (an IPv4 address's label,
//!    broadcast, scope, peer or flags; an IPv6 prefix length) is a delete
//!    and a create; what a foreign object holds is a [`Conflict`].
//! 3. **Execute** — each phase as one batch. A failure does not stop the
//!    pass: only the steps that need the failed object (a route through a
//!    failed address) wait.
//! 4. **Confirm** — when anything was applied, read again and plan again:
//!    the pass is converged only when that fresh read matches every
//!    desired field. What the kernel removed by itself (routes through a
//!    recreated address) is restored in the same pass, at most
//!    [`MAX_ROUNDS`] rounds; a change the kernel acknowledged and did not
//!    keep is not reported as applied.
//! 5. **Report** ([`Report`]) — converged or not, the steps applied, the
//!    first error, the conflicts, and the `last_applied` set for the next
//!    pass.
//!
//! Steps 2 to 5 are the I/O-free [`Pass`]; a driver only reads and sends.
//!
//! Ownership: routes and nexthops are the reconciler's when they carry
//! its protocol ([`Desired::protocol`], default 76); links when an
//! earlier pass created them ([`LastApplied::links`]); addresses,
//! neighbours and rules when their key is in [`LastApplied`] — what
//! earlier passes installed. Nothing else is ever deleted. What cannot
//! change in place on an existing link (its kind, a veth's peer, a
//! macvlan's lower link, a VNI) is refused as bad input. A foreign address or neighbour that
//! desired state names is updated in place where the kernel can do that
//! (and is then the reconciler's); where only a delete could change it,
//! and for a foreign route in the way, the pass reports a conflict
//! naming it and is not converged.
//!
//! A pass for another namespace runs in the namespace resolved when the
//! session or loop started ([`Netns::pin`](crate::Netns::pin)).
//!
//! # The loop
//!
//! [`Watch`] keeps a namespace converged: a pass at once, then one per
//! interval, and one per burst of monitor events (a hand-deleted address
//! comes back within the settle time, not the interval), backing off
//! while a storm of notifications goes on; a fresh pass on lost
//! notifications or a failed monitor. Its timing is the I/O-free
//! [`Schedule`], which nl-mio's `Reconciler` keeps too.
//!
//! # Other drivers
//!
//! A driver that waits differently (nl-mio's `Reconciler`, inside the
//! caller's loop) runs the same [`Pass`]: it sends the [`SnapshotDump`]s
//! its own way and [`push`](Snapshot::push)es what each decodes into a
//! [`Snapshot`], and sends each batch the pass hands out.
//! [`Conn::reconcile`] is exactly that, blocking. A loop keeps a
//! [`Schedule`], feeds it [`wake`] of each monitor event, and runs a pass
//! when [`Schedule::due`].
//!
//! ```no_run
//! use nl_rustix::reconcile::{Desired, LastApplied};
//! use nl_rustix::{AddrSpec, Conn, RouteSpec};
//!
//! let mut desired = Desired::new();
//! desired.addresses.push(AddrSpec::new("eth0", "10.0.0.2/24".parse().unwrap()));
//! desired.routes.push(RouteSpec::default_v4().via("10.0.0.1".parse().unwrap()));
//!
//! let mut conn = Conn::open()?;
//! let mut last = LastApplied::new();
//! let report = conn.reconcile(&desired, &last)?;
//! assert!(report.converged, "{:?}", report.error);
//! last = report.last_applied;
//! // A second pass with the threaded set applies nothing.
//! assert!(conn.reconcile(&desired, &last)?.applied.is_empty());
//! # Ok::<(), nl_rustix::Error>(())
//! ```

mod links;
mod nexthops;
mod observe;
mod pass;
mod plan;
mod qdiscs;
mod state;
mod watch;

pub use links::{DesiredKind, DesiredLink};
pub use observe::Observation;
pub use pass::{MAX_ROUNDS, Next, Pass, Report};
pub use plan::{Action, CREATE_ORDER, Conflict, ObjectKind, PHASES, Plan, Snapshot, Step, plan};
pub use qdiscs::{DesiredClass, DesiredFilter, DesiredHtb, DesiredQdiscs, DesiredRoot, TcSlot};
pub use state::{LastApplied, range, rule_text};
pub use watch::{GROUPS, Schedule, Wake, Watch, WatchOptions, wake};

use crate::monitor::{SnapshotDump, SnapshotEntry};
use crate::{AddrSpec, Conn, Error, NeighSpec, NexthopSpec, RouteSpec, RuleSpec};
use nl_proto::route::route::RouteProtocol;

/// The reconciler's default route protocol (`rtm_protocol` 76), unused by
/// the kernel and by iproute2's named protocols.
pub const DEFAULT_PROTOCOL: RouteProtocol = RouteProtocol(76);

/// The state to converge to, links by name (resolved each pass).
///
/// Fields a spec leaves unset are not compared and not sent: a route
/// without a metric matches a route of any metric and is created
/// without one.
#[derive(Debug, Clone)]
pub struct Desired {
    /// The protocol that marks the reconciler's routes and nexthops.
    pub protocol: RouteProtocol,
    /// Links: created when absent (those with a kind), their stated
    /// settings applied; deleted only when an earlier pass created them
    /// ([`LastApplied::links`]).
    pub links: Vec<DesiredLink>,
    /// Nexthop objects (their `protocol` field is ignored: they carry
    /// [`Desired::protocol`], which marks them as the reconciler's).
    pub nexthops: Vec<NexthopSpec>,
    /// Addresses.
    pub addresses: Vec<AddrSpec>,
    /// Routes (their `protocol` field is ignored: routes carry
    /// [`Desired::protocol`]).
    pub routes: Vec<RouteSpec>,
    /// Neighbour entries (their `replace` field is ignored: the pass
    /// decides).
    pub neighbours: Vec<NeighSpec>,
    /// Policy rules (tagged with [`Desired::protocol`] in `FRA_PROTOCOL`).
    pub rules: Vec<RuleSpec>,
    /// Traffic control per link: a root qdisc and an ingress redirect,
    /// owned through [`LastApplied::qdiscs`] like links.
    pub qdiscs: Vec<DesiredQdiscs>,
}

impl Default for Desired {
    fn default() -> Self {
        Self::new()
    }
}

impl Desired {
    /// Nothing desired, protocol [`DEFAULT_PROTOCOL`]: a pass deletes every
    /// route of that protocol and everything in `last_applied`.
    pub fn new() -> Self {
        Self {
            protocol: DEFAULT_PROTOCOL,
            links: Vec::new(),
            nexthops: Vec::new(),
            addresses: Vec::new(),
            routes: Vec::new(),
            neighbours: Vec::new(),
            rules: Vec::new(),
            qdiscs: Vec::new(),
        }
    }
}

/// Where a read's entries go.
trait Sink {
    fn push(&mut self, entry: SnapshotEntry);
    /// Forget what was pushed: the read starts again.
    fn clear(&mut self);
    /// The dumps that follow [`SnapshotDump::ALL`], from what it read.
    fn follow_ups(&self) -> Vec<SnapshotDump> {
        Vec::new()
    }
}

impl Sink for Snapshot {
    fn push(&mut self, entry: SnapshotEntry) {
        Snapshot::push(self, entry);
    }
    fn clear(&mut self) {
        *self = Snapshot::default();
    }
}

impl Sink for Observation<&Desired> {
    fn push(&mut self, entry: SnapshotEntry) {
        Observation::push(self, entry);
    }
    fn clear(&mut self) {
        Observation::clear(self);
    }
    fn follow_ups(&self) -> Vec<SnapshotDump> {
        Observation::follow_ups(self)
    }
}

impl Conn {
    /// Read everything a reconcile pass compares (and a monitor's
    /// resync re-lists): links, addresses, routes of both families in
    /// every table, neighbours, rules of both families.
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn snapshot(&mut self) -> Result<Snapshot, Error> {
        let mut snapshot = Snapshot::default();
        self.read_snapshot(&mut snapshot)?;
        Ok(snapshot)
    }

    /// Run every [`SnapshotDump`], in order (links first, then the
    /// sink's follow-ups), handing each
    /// entry to `sink` as it arrives: nothing is collected here. When the
    /// kernel flags a dump as interrupted, the sink forgets what it got
    /// and the whole read runs again (at most 3 times; the last is kept as
    /// it is).
    fn read_snapshot(&mut self, sink: &mut impl Sink) -> Result<(), Error> {
        for attempt in 1..=3 {
            let mut interrupted = false;
            let mut dumps = SnapshotDump::ALL.to_vec();
            let mut at = 0;
            while let Some(&dump) = dumps.get(at) {
                at += 1;
                let read = self.dump(
                    move |w| dump.encode(w),
                    |m| {
                        if let Some(entry) = dump.decode(m)? {
                            sink.push(entry);
                        }
                        Ok(())
                    },
                );
                interrupted |= match read {
                    Err(e) if dump.is_unsupported(&e) => false,
                    other => other?,
                };
                if at == SnapshotDump::ALL.len() {
                    dumps.extend(sink.follow_ups());
                }
            }
            if !interrupted || attempt == 3 {
                break;
            }
            sink.clear();
        }
        Ok(())
    }

    /// Plan one pass against the namespace as it is now, without changing
    /// anything (a dry run).
    ///
    /// # Errors
    ///
    /// Reading the state failed, or desired state is invalid ([`plan`]).
    pub fn plan_reconcile(&mut self, desired: &Desired, last: &LastApplied) -> Result<Plan, Error> {
        let mut read = Observation::new(desired);
        read.tc_owned = !last.qdiscs.is_empty();
        self.read_snapshot(&mut read)?;
        plan::plan_observed(read, last)
    }

    /// Run a pass that starts with `plan` (from [`Conn::plan_reconcile`],
    /// e.g. shown to the user first), confirming and completing it as
    /// [`Conn::reconcile`] does.
    pub fn execute(&mut self, desired: &Desired, plan: Plan) -> Report {
        let mut pass = Pass::with_plan(plan);
        // Only a first read can fail before anything changed; this pass
        // has read already, so every error is in the report.
        let _ = self.run_pass(&mut pass, desired);
        pass.report()
    }

    /// One reconcile pass: observe, plan, apply, confirm, report.
    ///
    /// # Errors
    ///
    /// Before anything changed: reading the state failed, or desired
    /// state is invalid (an unknown link, mixed families, a field the
    /// library cannot set). Failures while applying are in the [`Report`].
    pub fn reconcile(&mut self, desired: &Desired, last: &LastApplied) -> Result<Report, Error> {
        let mut pass = Pass::new(last);
        self.run_pass(&mut pass, desired)?;
        Ok(pass.report())
    }

    /// Drive `pass` to its end over this connection.
    fn run_pass(&mut self, pass: &mut Pass, desired: &Desired) -> Result<(), Error> {
        pass.in_namespace_of(self.socket());
        loop {
            let answers = match pass.poll() {
                Next::Done => return Ok(()),
                Next::Observe => {
                    let mut read = pass.observation(desired);
                    match self.read_snapshot(&mut read) {
                        Ok(()) => pass.observation_done(read)?,
                        Err(e) if pass.is_first_read() => return Err(e),
                        Err(e) => pass.failed(e),
                    }
                    continue;
                }
                Next::Send(steps) => {
                    self.batch(steps.iter().map(|s| crate::encoder(move |w| s.encode(w))))
                }
            };
            match answers {
                Ok(a) => pass.sent(a),
                Err(e) => pass.failed(e),
            }
        }
    }
}
