//! One pass as an I/O-free state machine that every driver runs: read
//! the namespace, plan, send each phase as one batch, hold back what
//! depends on a failure or a conflict, read again to confirm what was
//! applied, report.
//!
//! A driver asks [`Pass::poll`] what to do and hands back what happened:
//!
//! - [`Next::Observe`]: read a [`Snapshot`] (the [`SnapshotDump`]s, in any
//!   order) and give it to [`Pass::observed`], or a read error to
//!   [`Pass::failed`];
//! - [`Next::Send`]: send the steps as one batch (their
//!   [`Step::encode`]d requests, in order) and give one result per step
//!   to [`Pass::sent`], or an error that lost them all to [`Pass::failed`];
//! - [`Next::Done`]: take the [`Pass::report`].
//!
//! [`SnapshotDump`]: crate::monitor::SnapshotDump

use super::Desired;
use super::observe::{Observation, RouteIndex};
use super::plan::{Conflict, Needs, Plan, Snapshot, Step, describe_change, plan_read};
use super::state::LastApplied;
use crate::Error;
use std::borrow::Borrow;

/// How many rounds (plan, apply) one pass may take before it reports
/// that the namespace does not settle. A round after the first runs only
/// when the confirming read still differs: what the kernel removed by
/// itself (routes through a recreated address) comes back in the same
/// pass.
pub const MAX_ROUNDS: usize = 3;

/// What a driver does next for a [`Pass`].
#[derive(Debug)]
pub enum Next<'p> {
    /// Read the namespace and hand the snapshot to [`Pass::observed`].
    Observe,
    /// Send these steps as one batch, in order, and hand one result per
    /// step to [`Pass::sent`].
    Send(Vec<&'p Step>),
    /// The pass is over: [`Pass::report`].
    Done,
}

/// What became of one step of the round in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pending,
    Sent,
    Applied,
    Failed,
    Skipped,
}

#[derive(Debug)]
enum Stage {
    Observe,
    Apply {
        /// In [`PHASES`](super::PHASES) order, as a plan makes them.
        steps: Vec<Step>,
        outcome: Vec<Outcome>,
        /// The first step not yet handed out.
        next: usize,
        /// What failed, was skipped or conflicts so far: what a later
        /// step may wait for.
        failed: Vec<Needs>,
    },
    Done,
}

/// One reconcile pass in progress (see the module doc for the driver's
/// side).
#[derive(Debug)]
pub struct Pass {
    last: LastApplied,
    /// Plans made so far.
    rounds: usize,
    stage: Stage,
    applied: Vec<Step>,
    error: Option<Error>,
    conflicts: Vec<Conflict>,
    skipped: usize,
    converged: bool,
    /// The desired routes by group, kept from one round to the next.
    index: Option<RouteIndex>,
    /// The namespace the pass changes, as errors name it.
    netns: Option<String>,
}

/// What a pass did.
#[derive(Debug)]
pub struct Report {
    /// A fresh read after the last change matched every desired field:
    /// the namespace is as desired.
    pub converged: bool,
    /// The steps the kernel applied (and a fresh read confirmed), in the
    /// order they ran. A recreated object is its delete and its create.
    pub applied: Vec<Step>,
    /// The first failure: a step's error, a conflict, or what ended the
    /// pass (I/O, a timeout).
    pub error: Option<Error>,
    /// The desired objects whose identity a foreign object holds.
    pub conflicts: Vec<Conflict>,
    /// The set to pass to the next pass.
    pub last_applied: LastApplied,
    /// Steps planned but not run: they needed a step that failed or a
    /// conflicting object.
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
            conflicts: Vec::new(),
            last_applied: last.clone(),
            skipped: 0,
        }
    }
}

impl Pass {
    /// A pass starting from `last` (what earlier passes installed); its
    /// first step is a read.
    pub fn new(last: &LastApplied) -> Self {
        Self {
            last: last.clone(),
            rounds: 0,
            stage: Stage::Observe,
            applied: Vec::new(),
            error: None,
            conflicts: Vec::new(),
            skipped: 0,
            converged: false,
            index: None,
            netns: None,
        }
    }

    /// Name the namespace `sock` was opened in (the pass's connection) in
    /// the errors of steps the kernel refuses with `EPERM`: "not permitted
    /// to add route 10.1.0.0/24 table 254 in network namespace
    /// `net:[4026532304]`; …".
    pub fn in_namespace_of(&mut self, sock: &crate::Socket) {
        self.netns = Some(sock.netns_name().to_string());
    }

    /// A pass that applies `plan` (made by [`plan`](super::plan::plan()) from a read the
    /// caller did, e.g. to show it first) and goes on from there.
    pub fn with_plan(plan: Plan) -> Self {
        let mut pass = Self::new(&LastApplied::new());
        pass.rounds = 1;
        pass.start(plan);
        pass
    }

    /// Whether nothing has been read or sent yet: an error now changed
    /// nothing.
    pub fn is_first_read(&self) -> bool {
        self.rounds == 0
    }

    /// What to do next.
    pub fn poll(&mut self) -> Next<'_> {
        loop {
            match &mut self.stage {
                Stage::Observe => return Next::Observe,
                Stage::Done => return Next::Done,
                Stage::Apply { .. } => {}
            }
            if let Some(range) = self.next_batch() {
                let Stage::Apply { steps, .. } = &self.stage else {
                    return Next::Done;
                };
                return Next::Send(range.iter().filter_map(|&i| steps.get(i)).collect());
            }
            self.end_round();
        }
    }

    /// The snapshot [`Next::Observe`] asked for: plan the next round.
    ///
    /// # Errors
    ///
    /// At the first read only, bad desired state ([`plan`](super::plan::plan())): nothing was
    /// changed. Later, the same error ends the pass and is reported.
    pub fn observed(&mut self, desired: &Desired, snapshot: Snapshot) -> Result<(), Error> {
        let mut read = self.observation(desired);
        read.extend(snapshot);
        self.observation_done(read)
    }

    /// Start the read [`Next::Observe`] asked for as a stream: push each
    /// entry into the [`Observation`] as its dump delivers it (routes that
    /// match desired state are decided there and not kept), then hand it
    /// to [`Pass::observation_done`]. `desired` is the pass's desired
    /// state.
    pub fn observation<D: Borrow<Desired>>(&mut self, desired: D) -> Observation<D> {
        let mut read = match self.index.take() {
            Some(index) => Observation::with_index(desired, index),
            None => Observation::new(desired),
        };
        read.tc_owned = !self.last.qdiscs.is_empty();
        read
    }

    /// The read [`Pass::observation`] started is complete: plan the next
    /// round.
    ///
    /// # Errors
    ///
    /// As [`Pass::observed`].
    pub fn observation_done<D: Borrow<Desired>>(
        &mut self,
        read: Observation<D>,
    ) -> Result<(), Error> {
        let planned = plan_read(read, &self.last);
        self.rounds += 1;
        match planned {
            Ok((p, index)) => {
                self.index = Some(index);
                self.start(p);
                Ok(())
            }
            Err(e) if self.rounds == 1 => {
                self.stage = Stage::Done;
                Err(e)
            }
            Err(e) => {
                self.fail(e);
                Ok(())
            }
        }
    }

    /// A read or a batch failed as a whole (I/O, a timeout): the pass
    /// ends with `error`, the outcome of what was in flight unknown.
    pub fn failed(&mut self, error: Error) {
        self.fail(error);
    }

    /// The answers to the batch [`Next::Send`] handed out, one per step
    /// in order (fewer: the rest count as lost).
    pub fn sent(&mut self, results: Vec<Result<(), Error>>) {
        let Stage::Apply {
            steps,
            outcome,
            failed,
            ..
        } = &mut self.stage
        else {
            return;
        };
        let mut results = results.into_iter();
        for (step, o) in steps.iter().zip(outcome.iter_mut()) {
            if *o != Outcome::Sent {
                continue;
            }
            match results.next() {
                Some(Ok(())) => {
                    step.record(&mut self.last);
                    *o = Outcome::Applied;
                }
                Some(Err(e)) => {
                    *o = Outcome::Failed;
                    hold(failed, step.needs());
                    self.error
                        .get_or_insert(step.explain_in(e, self.netns.as_deref()));
                }
                None => {
                    *o = Outcome::Failed;
                    hold(failed, step.needs());
                    self.error
                        .get_or_insert(Error::Unexpected("a step of the batch got no answer"));
                }
            }
        }
    }

    /// The pass's report.
    pub fn report(self) -> Report {
        let error = self
            .error
            .or_else(|| self.conflicts.first().map(Conflict::to_error));
        Report {
            converged: self.converged && error.is_none(),
            applied: self.applied,
            error,
            conflicts: self.conflicts,
            last_applied: self.last,
            skipped: self.skipped,
        }
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
        if let Stage::Apply { .. } = self.stage {
            self.end_round();
        }
        self.stage = Stage::Done;
    }

    /// Begin a round with its plan.
    fn start(&mut self, plan: Plan) {
        let (mut steps, conflicts, base) = plan.into_parts();
        self.last = base;
        if steps.is_empty() && conflicts.is_empty() {
            self.converged = self.error.is_none();
            self.stage = Stage::Done;
            return;
        }
        if self.rounds > 1 {
            // A change planned again after the kernel acknowledged it was
            // not kept: it is not applied, and the pass says so.
            let done: std::collections::HashSet<String> =
                self.applied.iter().map(Step::change_text).collect();
            let kept_out: Vec<usize> = steps
                .iter()
                .enumerate()
                .filter(|(_, s)| done.contains(&s.change_text()))
                .map(|(i, _)| i)
                .collect();
            for &i in kept_out.iter().rev() {
                let s = steps.remove(i);
                let text = s.change_text();
                self.applied.retain(|a| a.change_text() != text);
                self.error.get_or_insert(Error::NotConverged(format!(
                    "the kernel acknowledged but did not keep: {}",
                    describe_change(s.action, &s.op)
                )));
            }
        }
        if self.rounds > MAX_ROUNDS {
            let first = steps
                .first()
                .map_or_else(|| "a conflict".to_string(), |s| format!("{:?}", s.op));
            self.error.get_or_insert(Error::NotConverged(format!(
                "the namespace still differs after {MAX_ROUNDS} rounds ({first})"
            )));
            self.conflicts = conflicts;
            self.stage = Stage::Done;
            return;
        }
        debug_assert!(steps.is_sorted_by_key(Step::phase));
        let mut failed = Vec::new();
        for c in &conflicts {
            hold(&mut failed, *c.needs());
        }
        self.conflicts = conflicts;
        let outcome = vec![Outcome::Pending; steps.len()];
        self.stage = Stage::Apply {
            steps,
            outcome,
            next: 0,
            failed,
        };
    }

    /// Mark the next phase's steps as sent and return their indexes;
    /// a step that needs a failed step or a conflicting object is skipped.
    fn next_batch(&mut self) -> Option<Vec<usize>> {
        let Stage::Apply {
            steps,
            outcome,
            next,
            failed,
        } = &mut self.stage
        else {
            return None;
        };
        while let Some(first) = steps.get(*next) {
            let phase = first.phase();
            let mut batch = Vec::new();
            while let Some(step) = steps.get(*next).filter(|s| s.phase() == phase) {
                let i = *next;
                *next += 1;
                if failed.iter().any(|n| step.waits_for(n)) {
                    outcome[i] = Outcome::Skipped;
                    hold(failed, step.needs());
                    self.skipped += 1;
                } else {
                    outcome[i] = Outcome::Sent;
                    batch.push(i);
                }
            }
            if !batch.is_empty() {
                return Some(batch);
            }
        }
        None
    }

    /// Every phase of the round ran: keep what was applied, and read
    /// again to confirm it, unless something failed (then the pass ends
    /// not converged; the next pass retries).
    fn end_round(&mut self) {
        let Stage::Apply { steps, outcome, .. } = std::mem::replace(&mut self.stage, Stage::Done)
        else {
            return;
        };
        let mut steps = steps;
        let trouble = !self.conflicts.is_empty()
            || self.error.is_some()
            || outcome.iter().any(|&o| o != Outcome::Applied);
        let mut applied = outcome.iter().map(|&o| o == Outcome::Applied);
        steps.retain(|_| applied.next().unwrap_or(false));
        let any = !steps.is_empty();
        if self.applied.is_empty() {
            // Most passes: one round's steps, kept without moving them.
            self.applied = steps;
        } else {
            self.applied.append(&mut steps);
        }
        self.stage = if any && !trouble {
            Stage::Observe
        } else {
            Stage::Done
        };
    }
}

/// Keep `n` among what later steps may wait for, when anything can
/// ([`Needs::Address`]): a pass where 100,000 routes are skipped does not
/// compare each later step with every one of them.
fn hold(failed: &mut Vec<Needs>, n: Needs) {
    if matches!(n, Needs::Address { .. }) {
        failed.push(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::links::tests::observed;
    use crate::{AddrSpec, RouteSpec};

    fn empty() -> Snapshot {
        Snapshot {
            links: vec![observed(2, "v0")],
            ..Snapshot::default()
        }
    }

    fn desired() -> Desired {
        let mut d = Desired::new();
        d.addresses
            .push(AddrSpec::new("v0", "10.0.0.2/24".parse().unwrap()));
        d.routes
            .push(RouteSpec::new("10.50.0.0/24".parse().unwrap()).via("10.0.0.1".parse().unwrap()));
        d
    }

    fn batch_len(pass: &mut Pass) -> usize {
        match pass.poll() {
            Next::Send(steps) => steps.len(),
            other => panic!("expected a batch, got {other:?}"),
        }
    }

    /// A change the kernel acknowledged but a fresh read does not show is
    /// not reported as applied, and the pass is not converged.
    #[test]
    fn acknowledged_but_not_kept_is_not_applied() {
        let d = desired();
        let mut pass = Pass::new(&LastApplied::new());
        assert!(matches!(pass.poll(), Next::Observe));
        pass.observed(&d, empty()).unwrap();
        assert_eq!(batch_len(&mut pass), 1); // the address
        pass.sent(vec![Ok(())]);
        assert_eq!(batch_len(&mut pass), 1); // the route
        pass.sent(vec![Ok(())]);
        // The confirming read: nothing there.
        assert!(matches!(pass.poll(), Next::Observe));
        pass.observed(&d, empty()).unwrap();
        while let Next::Send(steps) = pass.poll() {
            let n = steps.len();
            pass.sent((0..n).map(|_| Ok(())).collect());
        }
        let r = pass.report();
        assert!(!r.converged);
        assert!(r.applied.is_empty(), "{:?}", r.applied);
        assert!(
            matches!(&r.error, Some(Error::NotConverged(e))
                if e.ends_with("did not keep: add route 10.50.0.0/24 table 254")),
            "{:?}",
            r.error
        );
    }

    /// A failed address holds back the route through it, nothing else,
    /// and no confirming read runs.
    #[test]
    fn failure_holds_back_only_what_needs_it() {
        let mut d = desired();
        d.routes
            .push(RouteSpec::new("10.60.0.0/24".parse().unwrap()).dev("v0"));
        let mut pass = Pass::new(&LastApplied::new());
        assert!(matches!(pass.poll(), Next::Observe));
        pass.observed(&d, empty()).unwrap();
        assert_eq!(batch_len(&mut pass), 1);
        pass.sent(vec![Err(Error::Invalid("refused".into()))]);
        // Only the route out of v0 without a gateway in the prefix goes.
        assert_eq!(batch_len(&mut pass), 1);
        pass.sent(vec![Ok(())]);
        assert!(matches!(pass.poll(), Next::Done));
        let r = pass.report();
        assert!(!r.converged);
        assert_eq!(r.skipped, 1);
        assert_eq!(r.applied.len(), 1);
    }
}
