//! Keep a namespace converged: desired links, addresses, nexthops,
//! routes, neighbours and rules, applied in one ordered, batched,
//! fail-fast pass.
//!
//! # The pass
//!
//! 1. **Observe** — a [`Snapshot`]: links, addresses, routes (both
//!    families, every table), neighbours, rules, nexthop objects.
//! 2. **Plan** ([`plan`], no I/O) — give each link to create the next free
//!    interface index, resolve desired link *names* to this pass's indexes
//!    (an unknown link is bad input: nothing changes), diff with
//!    [`nl_proto::diff`], and order the [`Step`]s by [`PHASES`]: creates
//!    and updates go links, addresses, nexthops, routes, neighbours,
//!    rules; deletes go the other way.
//! 3. **Execute** — each phase as one batch; the pass stops after the
//!    first phase with a failure.
//! 4. **Report** ([`Plan::finish`]) — converged or not, the steps
//!    applied, the error that stopped the pass, and the `last_applied`
//!    set for the next pass.
//!
//! Ownership: routes and nexthops are the reconciler's when they carry
//! its protocol ([`Desired::protocol`], default 76); links when an
//! earlier pass created them ([`LastApplied::links`]); addresses,
//! neighbours and rules when their key is in [`LastApplied`] — what
//! earlier passes installed. Nothing else is ever deleted; a foreign
//! link, address or neighbour that desired state names gets the settings
//! it states. What cannot change in place on an existing link (its kind,
//! a veth's peer, a macvlan's lower link, a VNI) is refused as bad input.
//!
//! A pass for another namespace runs in the namespace resolved when the
//! session or loop started ([`Netns::pin`](crate::Netns::pin)).
//!
//! # The loop
//!
//! [`Watch`] keeps a namespace converged: a pass at once, then one per
//! interval, and one per burst of monitor events (a hand-deleted address
//! comes back within the settle time, not the interval); a fresh pass on
//! lost notifications or a failed monitor. Its timing is the I/O-free
//! [`Schedule`].
//!
//! # Other drivers
//!
//! Steps 2 and 4 are I/O-free and public, so a driver that waits
//! differently (nl-mio's `Reconciler`, inside the caller's loop) runs the
//! same pass: send the [`SnapshotDump`]s its own way and
//! [`push`](Snapshot::push) what each decodes into a [`Snapshot`], call
//! [`plan`], send each of
//! [`Plan::phases`] as a batch of [`Step::encode`] requests, stop after
//! a phase with an error, and hand the per-step results to
//! [`Plan::finish`]. [`Conn::reconcile`] is exactly that, blocking. A
//! loop keeps a [`Schedule`], feeds it [`wake`] of each monitor event,
//! and runs a pass when [`Schedule::due`].
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
mod plan;
mod state;
mod watch;

pub use links::{DesiredKind, DesiredLink};
pub use plan::{Action, ObjectKind, PHASES, Plan, Report, Snapshot, Step, plan};
pub use state::{LastApplied, rule_text};
pub use watch::{GROUPS, Schedule, Wake, Watch, WatchOptions, wake};

use crate::monitor::SnapshotDump;
use crate::{AddrSpec, Conn, Error, LinkId, NexthopSpec, RouteSpec, RuleSpec};
use nl_proto::route::route::RouteProtocol;
use nl_proto::values::Mac;
use std::net::IpAddr;

/// The reconciler's default route protocol (`rtm_protocol` 76), unused by
/// the kernel and by iproute2's named protocols.
pub const DEFAULT_PROTOCOL: RouteProtocol = RouteProtocol(76);

/// A permanent neighbour entry: `ip neigh replace ADDR lladdr MAC dev LINK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighSpec {
    /// The link.
    pub link: LinkId,
    /// Network-layer address.
    pub dst: IpAddr,
    /// Link-layer address.
    pub lladdr: Option<Mac>,
}

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
    /// Neighbour entries.
    pub neighbours: Vec<NeighSpec>,
    /// Policy rules (tagged with [`Desired::protocol`] in `FRA_PROTOCOL`).
    pub rules: Vec<RuleSpec>,
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
        }
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
        for dump in SnapshotDump::ALL {
            let entries = match self.dump_collect(move |w| dump.encode(w), move |m| dump.decode(m))
            {
                Err(e) if dump.is_unsupported(&e) => Vec::new(),
                other => other?,
            };
            for entry in entries {
                snapshot.push(entry);
            }
        }
        Ok(snapshot)
    }

    /// Plan one pass against the namespace as it is now, without changing
    /// anything (a dry run).
    ///
    /// # Errors
    ///
    /// Reading the state failed, or desired state is invalid ([`plan`]).
    pub fn plan_reconcile(&mut self, desired: &Desired, last: &LastApplied) -> Result<Plan, Error> {
        let snapshot = self.snapshot()?;
        plan(desired, snapshot, last)
    }

    /// Run a planned pass: each phase one batch, stopping after the first
    /// phase with a failure.
    pub fn execute(&mut self, plan: Plan) -> Report {
        let mut results: Vec<Result<(), Error>> = Vec::with_capacity(plan.steps().len());
        let mut stopped = None;
        for phase in plan.phases() {
            match self.batch(phase.iter().map(|s| crate::encoder(move |w| s.encode(w)))) {
                Ok(answers) => {
                    let failed = answers.iter().any(Result::is_err);
                    results.extend(answers);
                    if failed {
                        break;
                    }
                }
                Err(e) => {
                    stopped = Some(e);
                    break;
                }
            }
        }
        plan.finish(results, stopped)
    }

    /// One reconcile pass: observe, plan, apply, report.
    ///
    /// # Errors
    ///
    /// Before anything changed: reading the state failed, or desired
    /// state is invalid (an unknown link, mixed families). Failures while
    /// applying are in the [`Report`].
    pub fn reconcile(&mut self, desired: &Desired, last: &LastApplied) -> Result<Report, Error> {
        let plan = self.plan_reconcile(desired, last)?;
        Ok(self.execute(plan))
    }
}
