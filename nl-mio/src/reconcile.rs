//! The long-lived reconcile loop inside the caller's mio loop.
//!
//! The pass and its timing are nl-rustix's, I/O-free: the dumps of a
//! read ([`SnapshotDump`]) and the [`Observation`] each entry is pushed
//! into as it arrives (routes that match desired state decided there, not
//! kept: the same streamed read as the blocking pass), the
//! [`Pass`](reconcile::Pass) state machine (plan, batches, confirming
//! reads, report), [`Schedule`] and [`wake`](reconcile::wake). What this
//! module adds is the waiting: the dumps all in flight at once on a
//! pipelined [`Conn`], each streaming into the read from its reply
//! callback; each batch the pass hands out as one burst of requests; the
//! monitor and the timer as the caller's readiness events and poll
//! timeout.

use crate::{Conn, Monitor, RequestId, encoder};
use mio::event::Event;
use mio::{Interest, Registry, Token};
use nl_rustix::engine::RequestOptions;
use nl_rustix::monitor::SnapshotDump;
use nl_rustix::reconcile::{
    self, Desired, GROUPS, LastApplied, Next, Observation, Report, Schedule, Wake, WatchOptions,
};
use nl_rustix::{Error, Netns, PinnedNetns};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often a dump the kernel flagged as interrupted is asked again
/// before its entries are kept as they are (as nl-rustix's listings do).
const DUMP_ATTEMPTS: u32 = 3;

/// Keeps one namespace converged to [`Desired`] state from inside the
/// caller's mio loop, never blocking it.
///
/// It behaves as nl-rustix's [`Watch`](nl_rustix::reconcile::Watch): a
/// pass at once, then one per [`interval`](WatchOptions::interval) as
/// the safety net and one per burst of monitor events (a hand-deleted
/// address comes back within the settle time), a fresh pass when the
/// monitor lost notifications or failed, a failed pass reported and the
/// loop going on. Each pass opens its own short-lived [`Conn`] (its
/// dumps pipelined, each phase's steps sent as one burst); the
/// [`Monitor`] lives as long as the reconciler.
///
/// The namespace is resolved once, here ([`Netns::pin`]): a pass never
/// looks the pid or path up again. For [`Netns::Pid`], once that process
/// exits the reconciler ends: a last report carries an error naming the
/// process, no pass starts after it, and [`is_finished`](Self::is_finished)
/// turns true (it looks before every pass and in every
/// [`handle_timeout`](Self::handle_timeout)).
///
/// Both are registered with the caller's registry under the tokens the
/// caller chose. In the loop: poll with [`timeout`](Self::timeout), hand
/// every event to [`on_ready`](Self::on_ready), call
/// [`handle_timeout`](Self::handle_timeout), and collect
/// [`poll_report`](Self::poll_report). Dropping it deregisters both.
///
/// ```no_run
/// use mio::{Events, Poll, Token};
/// use nl_mio::Reconciler;
/// use nl_mio::nl_rustix::reconcile::{Desired, WatchOptions};
/// use nl_mio::nl_rustix::{AddrSpec, Netns};
/// use std::time::Instant;
///
/// let mut desired = Desired::new();
/// desired.addresses.push(AddrSpec::new("eth0", "10.0.0.2/24".parse().unwrap()));
///
/// let mut poll = Poll::new()?;
/// let mut reconciler = Reconciler::new(
///     poll.registry(),
///     [Token(10), Token(11)],
///     Netns::Pid(4242),
///     desired,
///     WatchOptions::default(),
/// )?;
/// let mut events = Events::with_capacity(64);
/// loop {
///     poll.poll(&mut events, reconciler.timeout())?;
///     for event in &events {
///         if !reconciler.on_ready(event) {
///             // another source of the caller's
///         }
///     }
///     reconciler.handle_timeout(Instant::now());
///     while let Some(report) = reconciler.poll_report() {
///         if let Some(e) = &report.error {
///             eprintln!("pass failed: {e}");
///         }
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Reconciler {
    netns: PinnedNetns,
    /// Shared with the read of a running pass, which streams each entry
    /// into its observation from the dump's reply callback.
    desired: Arc<Desired>,
    registry: Registry,
    conn_token: Token,
    monitor_token: Token,
    use_monitor: bool,
    monitor: Option<Monitor>,
    schedule: Schedule,
    last: LastApplied,
    pass: Option<Running>,
    /// What the monitor saw while a pass ran: applied when it ends (the
    /// pass's end resets the schedule).
    seen: Wake,
    reports: VecDeque<Report>,
    /// The pinned process exited: no pass starts again.
    finished: bool,
}

impl Reconciler {
    /// A reconciler for `netns`, its first pass due at once. `tokens` are
    /// the pass connection's and the monitor's. The monitor is joined
    /// here, before the first pass, so no change after that pass's dumps
    /// is missed.
    ///
    /// # Errors
    ///
    /// The namespace cannot be pinned ([`Netns::pin`]), the registry
    /// cannot be cloned, or the monitor cannot be opened or registered
    /// (with [`WatchOptions::monitor`] set).
    pub fn new(
        registry: &Registry,
        tokens: [Token; 2],
        netns: Netns,
        desired: Desired,
        options: WatchOptions,
    ) -> Result<Self, Error> {
        let registry = registry
            .try_clone()
            .map_err(|e| Error::io("clone the poll registry", &e))?;
        let [conn_token, monitor_token] = tokens;
        let mut this = Self {
            netns: netns.pin()?,
            desired: Arc::new(desired),
            registry,
            conn_token,
            monitor_token,
            use_monitor: options.monitor,
            monitor: None,
            schedule: Schedule::new(options.interval, options.settle, Instant::now()),
            last: options.last_applied,
            pass: None,
            seen: Wake::No,
            reports: VecDeque::new(),
            finished: false,
        };
        if this.use_monitor {
            this.monitor = Some(this.open_monitor()?);
        }
        Ok(this)
    }

    /// Handle a readiness event. Returns whether it was one of this
    /// reconciler's (its tokens); other events are left to the caller.
    pub fn on_ready(&mut self, event: &Event) -> bool {
        let token = event.token();
        if token == self.monitor_token {
            self.read_monitor(Instant::now());
            true
        } else if token == self.conn_token {
            if let Some(pass) = &mut self.pass {
                match pass.conn.on_ready(event) {
                    Ok(()) => self.advance(),
                    Err(e) => self.stop_pass(e),
                }
            }
            true
        } else {
            false
        }
    }

    /// Time out the pass's requests whose deadline passed, and start a
    /// pass if one is due (and the pinned process still runs).
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(pass) = &mut self.pass {
            pass.conn.handle_timeout(now);
            self.advance();
        }
        if self.pass.is_none() && !self.finished {
            if let Err(e) = self.netns.check() {
                self.finish(e, now);
            } else if self.schedule.due(now) {
                self.start_pass(now);
            }
        }
    }

    /// The poll timeout this reconciler needs: until the next pass is due,
    /// or, during a pass, until its nearest request deadline (`None` once
    /// it [finished](Self::is_finished)). Take the minimum with the
    /// caller's own.
    pub fn timeout(&self) -> Option<Duration> {
        match &self.pass {
            Some(pass) => pass.conn.timeout(),
            None if self.finished => None,
            None => Some(self.schedule.wait(Instant::now())),
        }
    }

    /// Whether the reconciler ended by itself: the process whose
    /// namespace it kept exited (its last report says so).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The report of the next finished pass, failed ones included.
    pub fn poll_report(&mut self) -> Option<Report> {
        self.reports.pop_front()
    }

    /// Whether a pass is in progress.
    pub fn is_passing(&self) -> bool {
        self.pass.is_some()
    }

    /// What the passes so far installed (to persist).
    pub fn last_applied(&self) -> &LastApplied {
        &self.last
    }

    /// Converge to new desired state: a pass as soon as the current one
    /// (if any) ends.
    pub fn set_desired(&mut self, desired: Desired) {
        self.desired = Arc::new(desired);
        self.note(Wake::Resync, Instant::now());
    }

    /// Stop (deregistering both sources; a pass in progress is left as
    /// it is) and return the `last_applied` set to persist.
    pub fn stop(self) -> LastApplied {
        self.last
    }

    fn open_monitor(&self) -> Result<Monitor, Error> {
        let mut monitor = Monitor::route(&self.netns.netns(), &GROUPS)?;
        self.registry
            .register(&mut monitor, self.monitor_token, Interest::READABLE)
            .map_err(|e| Error::io("register the reconcile monitor", &e))?;
        Ok(monitor)
    }

    /// Drain the monitor (readiness is edge-triggered) and feed what it
    /// saw to the schedule.
    fn read_monitor(&mut self, now: Instant) {
        let Some(monitor) = &mut self.monitor else {
            return;
        };
        let mut woke = Wake::No;
        let mut failed = false;
        while let Some(event) = monitor.next_event() {
            let wake = match event {
                Ok(event) => reconcile::wake(&event),
                // One notification that did not decode: something changed.
                Err(Error::Decode(_)) => Wake::Change,
                Err(_) => {
                    failed = true;
                    Wake::Resync
                }
            };
            woke = stronger(woke, wake);
            if failed {
                break;
            }
        }
        if failed {
            // Reopened at the next pass; until then the timer rules.
            self.monitor = None;
        }
        self.note(woke, now);
    }

    fn note(&mut self, wake: Wake, now: Instant) {
        if self.pass.is_some() {
            self.seen = stronger(self.seen, wake);
        } else {
            self.schedule.event(wake, now);
        }
    }

    /// The pinned process exited: report it, and start no pass again.
    fn finish(&mut self, error: Error, now: Instant) {
        self.finished = true;
        // Dropping the monitor deregisters it.
        self.monitor = None;
        self.end(Report::failed(error, &self.last), now);
    }

    fn start_pass(&mut self, now: Instant) {
        if let Err(e) = self.netns.check() {
            return self.finish(e, now);
        }
        if self.use_monitor && self.monitor.is_none() {
            // The pass about to run reads everything afresh.
            self.monitor = self.open_monitor().ok();
        }
        match self.open_pass() {
            Ok(pass) => {
                self.pass = Some(pass);
                self.advance();
            }
            Err(e) => self.end(Report::failed(e, &self.last), now),
        }
    }

    fn open_pass(&self) -> Result<Running, Error> {
        let mut conn = Conn::open_in(&self.netns.netns())?;
        self.registry
            .register(&mut conn, self.conn_token, Interest::READABLE)
            .map_err(|e| Error::io("register the reconcile connection", &e))?;
        let mut pass = reconcile::Pass::new(&self.last);
        pass.in_namespace_of(conn.socket().get_ref());
        let mut running = Running {
            conn,
            pass,
            stage: Stage::Idle,
        };
        // A fresh pass starts with a read: it is running.
        running.drive(&self.desired)?;
        Ok(running)
    }

    /// Take every completion the pass's connection has, moving the pass
    /// on; end it when it is done.
    fn advance(&mut self) {
        while let Some(pass) = &mut self.pass {
            let Some((id, result)) = pass.conn.poll_completion() else {
                return;
            };
            match pass.complete(id, result, &self.desired) {
                Ok(Progress::Running) => {}
                Ok(Progress::Finished) => self.finish_pass(None),
                Err(e) => self.stop_pass(e),
            }
        }
    }

    /// End the pass in progress with `error` (the state could not be read,
    /// the plan failed, or I/O stopped it).
    fn stop_pass(&mut self, error: Error) {
        self.finish_pass(Some(error));
    }

    fn finish_pass(&mut self, stopped: Option<Error>) {
        let Some(mut running) = self.pass.take() else {
            return;
        };
        if let Some(e) = stopped {
            running.pass.failed(e);
        }
        // Dropping the pass's connection deregisters it.
        self.end(running.pass.report(), Instant::now());
    }

    fn end(&mut self, report: Report, now: Instant) {
        self.last.clone_from(&report.last_applied);
        self.reports.push_back(report);
        self.schedule.passed(now);
        let seen = std::mem::replace(&mut self.seen, Wake::No);
        self.schedule.event(seen, now);
    }
}

/// One pass in progress over its own connection.
#[derive(Debug)]
struct Running {
    conn: Conn,
    pass: reconcile::Pass,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// Waiting for the pass to say what is next.
    Idle,
    /// The snapshot's dumps in flight (id, dump, attempt).
    /// The dumps in flight, each streaming its entries into `read` as
    /// its replies arrive (nothing collected); the read of `attempt`
    /// (of [`DUMP_ATTEMPTS`]), run again whole when a dump was
    /// interrupted, as the blocking pass does.
    Observing {
        dumps: Vec<(RequestId, SnapshotDump)>,
        read: Shared,
        attempt: u32,
        interrupted: bool,
        /// Whether the read's follow-ups (after every
        /// [`SnapshotDump::ALL`]) are sent.
        followed: bool,
    },
    /// One batch of steps in flight, in order.
    Sending(Vec<Sent>),
}

/// One step of the batch in flight.
/// The read of a running pass, filled by the dumps' reply callbacks.
type Shared = Arc<Mutex<Observation<Arc<Desired>>>>;

#[derive(Debug)]
struct Sent {
    /// Its request (`None`: it could not be queued).
    id: Option<RequestId>,
    /// Its result, once known.
    result: Option<Result<(), Error>>,
}

enum Progress {
    Running,
    /// The pass is over: its report is ready.
    Finished,
}

impl Running {
    /// Ask the pass what is next and start it: the dumps of a read, or
    /// one batch of steps.
    fn drive(&mut self, desired: &Arc<Desired>) -> Result<Progress, Error> {
        match self.pass.poll() {
            Next::Done => Ok(Progress::Finished),
            Next::Observe => {
                let read = Arc::new(Mutex::new(self.pass.observation(Arc::clone(desired))));
                self.observe(read, 1)
            }
            Next::Send(steps) => {
                let mut sent = Vec::with_capacity(steps.len());
                for step in steps {
                    match self.conn.submit(encoder(|w| step.encode(w))) {
                        Ok(id) => sent.push(Sent {
                            id: Some(id),
                            result: None,
                        }),
                        // This step failed; the ones queued before it still run.
                        Err(e) => sent.push(Sent {
                            id: None,
                            result: Some(Err(e)),
                        }),
                    }
                }
                self.conn.flush()?;
                self.stage = Stage::Sending(sent);
                // A batch whose every step failed to queue is complete already.
                self.batch_done(desired)
            }
        }
    }

    /// Send every [`SnapshotDump`], all in flight at once, each handing
    /// the entries it decodes to `read` as they arrive.
    fn observe(&mut self, read: Shared, attempt: u32) -> Result<Progress, Error> {
        let dumps = self.send_dumps(&read, SnapshotDump::ALL)?;
        self.stage = Stage::Observing {
            dumps,
            read,
            attempt,
            interrupted: false,
            followed: false,
        };
        Ok(Progress::Running)
    }

    /// Send `dumps`, each handing the entries it decodes to `read`.
    fn send_dumps(
        &mut self,
        read: &Shared,
        dumps: impl IntoIterator<Item = SnapshotDump>,
    ) -> Result<Vec<(RequestId, SnapshotDump)>, Error> {
        let mut sent = Vec::new();
        for dump in dumps {
            let sink = Arc::clone(read);
            let opts = RequestOptions::new().on_reply(move |msg| {
                if let Some(entry) = dump.decode(msg)? {
                    sink.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(entry);
                }
                Ok(())
            });
            let id = self
                .conn
                .submit_with(encoder(move |w| dump.encode(w)), opts)?;
            sent.push((id, dump));
        }
        self.conn.flush()?;
        Ok(sent)
    }

    /// If the batch in flight is complete, hand its results to the pass
    /// and go on.
    fn batch_done(&mut self, desired: &Arc<Desired>) -> Result<Progress, Error> {
        let Stage::Sending(sent) = &mut self.stage else {
            return Ok(Progress::Running);
        };
        if sent.iter().any(|s| s.result.is_none()) {
            return Ok(Progress::Running);
        }
        let results = std::mem::take(sent)
            .into_iter()
            .filter_map(|s| s.result)
            .collect();
        self.stage = Stage::Idle;
        self.pass.sent(results);
        self.drive(desired)
    }

    /// Handle one completion. `Err` ends the pass with that error.
    fn complete(
        &mut self,
        id: RequestId,
        result: Result<crate::Answer, Error>,
        desired: &Arc<Desired>,
    ) -> Result<Progress, Error> {
        match &mut self.stage {
            Stage::Idle => Ok(Progress::Running),
            Stage::Observing {
                dumps,
                read,
                attempt,
                interrupted,
                followed,
            } => {
                let Some(i) = dumps.iter().position(|d| d.0 == id) else {
                    return Ok(Progress::Running);
                };
                let (_, dump) = dumps.swap_remove(i);
                match result {
                    Ok(answer) => *interrupted |= answer.interrupted(),
                    // A kernel without it: that part of the read is empty.
                    Err(e) if dump.is_unsupported(&e) => {}
                    Err(e) => return Err(e),
                }
                if !dumps.is_empty() {
                    return Ok(Progress::Running);
                }
                if !*followed {
                    *followed = true;
                    let read = Arc::clone(read);
                    let more = read
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .follow_ups();
                    if !more.is_empty() {
                        let sent = self.send_dumps(&read, more)?;
                        if let Stage::Observing { dumps, .. } = &mut self.stage {
                            *dumps = sent;
                        }
                        return Ok(Progress::Running);
                    }
                }
                let (read, attempt, again) = (
                    Arc::clone(read),
                    *attempt,
                    *interrupted && *attempt < DUMP_ATTEMPTS,
                );
                self.stage = Stage::Idle;
                if again {
                    read.lock().unwrap_or_else(PoisonError::into_inner).clear();
                    return self.observe(read, attempt + 1);
                }
                // Every dump has ended, so no callback holds the read.
                let read = Arc::try_unwrap(read)
                    .map_err(|_| Error::Unexpected("a reply callback outlived its dump"))?
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner);
                self.pass.observation_done(read)?;
                self.drive(desired)
            }
            Stage::Sending(sent) => {
                if let Some(s) = sent.iter_mut().find(|s| s.id == Some(id)) {
                    s.result = Some(result.map(|_| ()));
                }
                self.batch_done(desired)
            }
        }
    }
}

/// The more urgent of two wakes.
fn stronger(a: Wake, b: Wake) -> Wake {
    match (a, b) {
        (Wake::Resync, _) | (_, Wake::Resync) => Wake::Resync,
        (Wake::Change, _) | (_, Wake::Change) => Wake::Change,
        (Wake::No, Wake::No) => Wake::No,
    }
}
