//! The long-lived loop: a pass at once, then one per interval as the
//! safety net and one per burst of monitor events, re-syncing from
//! scratch when notifications were lost or the monitor failed.
//!
//! When to run a pass is decided by [`Schedule`], which does no I/O: a
//! driver feeds it the time and what its monitor saw, and runs a pass
//! when it says so. [`Watch`] is the blocking driver — its own thread, a
//! stop handle; a readiness driver (nl-mio) keeps a [`Schedule`] in the
//! caller's loop, registers its monitor source, and uses its timer for
//! [`Schedule::wait`].

use super::{Desired, LastApplied, Report};
use crate::monitor::{Event, Monitor};
use crate::{Conn, Error, Netns, PinnedNetns};
use nl_proto::route::Group;
use nl_proto::route::change::Change;
use nl_proto::route::neigh::NudState;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The rtnetlink groups whose notifications can mean reconciled state
/// changed: links, addresses, routes, neighbours and rules of both
/// families, and nexthop objects.
pub const GROUPS: [Group; 9] = [
    Group::LINK,
    Group::IPV4_IFADDR,
    Group::IPV6_IFADDR,
    Group::IPV4_ROUTE,
    Group::IPV6_ROUTE,
    Group::NEIGH,
    Group::IPV4_RULE,
    Group::IPV6_RULE,
    Group::NEXTHOP,
];

/// What a monitor event means for the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Nothing reconciled changed.
    No,
    /// Something may have changed: a pass after the burst settles.
    Change,
    /// Notifications were lost: a pass now, from a fresh dump.
    Resync,
}

/// Classify a monitor event. Neighbour entries the kernel resolves on
/// its own (reachable, stale, …) come and go all the time; only
/// permanent entries and deletions wake the loop.
pub fn wake(event: &Event<'_>) -> Wake {
    match event {
        Event::ResyncNeeded => Wake::Resync,
        Event::Change { change, .. } => match change {
            Change::NewNeighbour(n) if !n.state.contains(NudState::PERMANENT) => Wake::No,
            Change::NewLink(_)
            | Change::DelLink(_)
            | Change::NewAddress(_)
            | Change::DelAddress(_)
            | Change::NewRoute(_)
            | Change::DelRoute(_)
            | Change::NewNeighbour(_)
            | Change::DelNeighbour(_)
            | Change::NewRule(_)
            | Change::DelRule(_)
            | Change::NewNexthop(_)
            | Change::DelNexthop(_) => Wake::Change,
            _ => Wake::No,
        },
        _ => Wake::No,
    }
}

/// How many settle times a burst may hold a pass back at first; the
/// hold doubles while bursts keep coming (up to the interval).
const HOLD_SETTLES: u32 = 10;

/// When the next pass is due. No I/O; the driver passes the time in.
///
/// - At once at the start and on a [`resync`](Self::resync).
/// - One interval after the last pass (the safety net).
/// - After a burst of changes: once no change came for the quiet time
///   (the settle time, so a burst of notifications — the pass's own
///   included — is one pass), but no later than the burst's *hold* after
///   its first change.
///
/// A storm — changes that never stop for the quiet time, or bursts that
/// keep starting within the hold of the last pass — backs off: each pass
/// it causes doubles the hold (from ten settle times up to the interval)
/// and, with it, the quiet time that ends a burst (from the settle
/// time). A storm of any length and rhythm so costs a number of passes
/// that grows with the logarithm of its length (plus one per interval),
/// and its end is caught up with a quiet time later. A burst that starts
/// more than the hold after the last pass finds both back at their
/// start. Lost notifications during a storm count as one more change (a
/// pass reads everything afresh anyway).
#[derive(Debug, Clone)]
pub struct Schedule {
    interval: Duration,
    settle: Duration,
    /// The pass the interval or a resync asks for.
    timer: Instant,
    /// The first and the latest change since the last pass.
    burst: Option<(Instant, Instant)>,
    /// How long a burst may hold the pass back.
    hold: Duration,
    /// When the last pass a burst caused ended.
    burst_pass: Option<Instant>,
}

impl Schedule {
    /// The first pass is due at `now`.
    pub fn new(interval: Duration, settle: Duration, now: Instant) -> Self {
        let mut s = Self {
            interval,
            settle,
            timer: now,
            burst: None,
            hold: Duration::ZERO,
            burst_pass: None,
        };
        s.hold = s.base_hold();
        s
    }

    fn base_hold(&self) -> Duration {
        (self.settle * HOLD_SETTLES)
            .min(self.interval)
            .max(self.settle)
    }

    /// How long without a change ends a burst: the settle time, grown
    /// with the hold in a storm.
    fn quiet(&self) -> Duration {
        let base = self.base_hold().as_nanos().max(1);
        let factor = u32::try_from(self.hold.as_nanos() / base).unwrap_or(u32::MAX);
        self.settle.saturating_mul(factor.max(1))
    }

    fn in_storm(&self) -> bool {
        self.hold > self.base_hold()
    }

    /// Feed what a monitor event means ([`wake`]).
    pub fn event(&mut self, wake: Wake, now: Instant) {
        match wake {
            Wake::No => {}
            Wake::Resync if !self.in_storm() => self.resync(now),
            Wake::Change | Wake::Resync => {
                if self.burst.is_none()
                    && self
                        .burst_pass
                        .is_none_or(|p| now.saturating_duration_since(p) > self.hold)
                {
                    // Quiet for a whole hold: the storm, if any, is over.
                    self.hold = self.base_hold();
                }
                let first = self.burst.map_or(now, |(f, _)| f);
                self.burst = Some((first, now));
            }
        }
    }

    /// A pass now, from scratch (lost notifications, a failed monitor,
    /// new desired state).
    pub fn resync(&mut self, now: Instant) {
        self.timer = self.timer.min(now);
    }

    /// When the pass a burst asks for is due.
    fn burst_due(&self) -> Option<Instant> {
        let (first, last) = self.burst?;
        Some((last + self.quiet()).min(first + self.hold))
    }

    fn next(&self) -> Instant {
        self.burst_due().map_or(self.timer, |b| b.min(self.timer))
    }

    /// Whether a pass is due.
    pub fn due(&self, now: Instant) -> bool {
        now >= self.next()
    }

    /// How long until the next pass is due.
    pub fn wait(&self, now: Instant) -> Duration {
        self.next().saturating_duration_since(now)
    }

    /// A pass finished at `now`: the next is one interval away unless a
    /// monitor event brings it forward.
    pub fn passed(&mut self, now: Instant) {
        if let Some((first, last)) = self.burst.take() {
            // Cut short by the hold (never quiet), or one more burst
            // soon after the last: a storm.
            let held = last + self.quiet() > first + self.hold;
            let again = self
                .burst_pass
                .is_some_and(|p| first.saturating_duration_since(p) <= self.hold);
            if held || again {
                self.hold = (self.hold * 2).min(self.interval.max(self.base_hold()));
            }
            self.burst_pass = Some(now);
        }
        self.timer = now + self.interval;
    }
}

/// How a [`Watch`] runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The safety-net interval between passes.
    pub interval: Duration,
    /// How long after the first notification of a burst the pass runs.
    pub settle: Duration,
    /// Wake early on monitor events (`false`: the timer only).
    pub monitor: bool,
    /// What earlier runs installed.
    pub last_applied: LastApplied,
}

impl Default for WatchOptions {
    /// A pass a minute, woken by the monitor 50 ms after a change.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(60),
            settle: Duration::from_millis(50),
            monitor: true,
            last_applied: LastApplied::new(),
        }
    }
}

/// The longest the loop blocks before looking at its stop flag.
const STOP_POLL: Duration = Duration::from_millis(50);

/// A reconcile loop on its own thread, for one namespace.
///
/// The namespace is resolved once, when the loop starts
/// ([`Netns::pin`]): a pass never looks the pid or the path up again, so
/// a process that moves to another namespace, or a pid reused after its
/// process exited, cannot redirect the loop. A loop for [`Netns::Pid`]
/// ends when that process exits: its last report carries an error naming
/// the process (`ESRCH`), no pass starts after it, and
/// [`Watch::is_finished`] turns true. (A pass that started before the
/// exit finishes, in the process's own namespace.)
///
/// ```no_run
/// use nl_rustix::reconcile::{Desired, Watch, WatchOptions};
/// use nl_rustix::{AddrSpec, Netns};
///
/// let mut desired = Desired::new();
/// desired.addresses.push(AddrSpec::new("eth0", "10.0.0.2/24".parse().unwrap()));
/// let watch = Watch::spawn(Netns::Pid(4242), desired, WatchOptions::default(), |report| {
///     if let Some(e) = &report.error {
///         eprintln!("pass failed: {e}");
///     }
/// })?;
/// // … later (or once `watch.is_finished()`: the process exited):
/// let last_applied = watch.stop();
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug)]
pub struct Watch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<LastApplied>>,
}

impl Watch {
    /// Start the loop: the namespace is pinned and the monitor joined
    /// first (so no change between it and the first pass is missed), then
    /// a pass runs at once. `on_pass` sees every pass's report, on the
    /// loop's thread; a failed pass is reported and the loop goes on.
    /// Each pass opens its own short-lived connection in the pinned
    /// namespace.
    ///
    /// # Errors
    ///
    /// The namespace cannot be pinned (no such process or file, see
    /// [`Netns::pin`]), or the thread cannot be spawned. (A monitor that
    /// cannot be opened leaves the loop on its timer, retrying after each
    /// pass.)
    pub fn spawn(
        netns: Netns,
        desired: Desired,
        options: WatchOptions,
        on_pass: impl FnMut(&Report) + Send + 'static,
    ) -> Result<Self, Error> {
        Self::spawn_pinned(netns.pin()?, desired, options, on_pass)
    }

    /// [`Watch::spawn`] for a namespace the caller pinned already (and
    /// may have used meanwhile, e.g. for a first pass of its own).
    ///
    /// # Errors
    ///
    /// The thread cannot be spawned.
    pub fn spawn_pinned(
        pinned: PinnedNetns,
        desired: Desired,
        options: WatchOptions,
        mut on_pass: impl FnMut(&Report) + Send + 'static,
    ) -> Result<Self, Error> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("nl-reconcile".into())
            .spawn(move || run(&pinned, &desired, options, &flag, &mut on_pass))
            .map_err(|e| Error::io("spawn the reconcile thread", &e))?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Whether the loop ended by itself: the process whose namespace it
    /// kept exited (its last report says so).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Stop the loop (within about 50 ms, or after the pass in progress)
    /// and return the `last_applied` set to persist.
    pub fn stop(mut self) -> LastApplied {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn open_monitor(netns: &PinnedNetns) -> Option<Monitor> {
    Monitor::route(&netns.netns(), &GROUPS).ok()
}

/// One pass over a fresh connection; a failure to observe or plan is a
/// failed pass like any other.
fn pass(netns: &PinnedNetns, desired: &Desired, last: &LastApplied) -> Report {
    match Conn::open_in(&netns.netns()).and_then(|mut c| c.reconcile(desired, last)) {
        Ok(r) => r,
        Err(e) => Report::failed(e, last),
    }
}

fn run(
    netns: &PinnedNetns,
    desired: &Desired,
    options: WatchOptions,
    stop: &AtomicBool,
    on_pass: &mut dyn FnMut(&Report),
) -> LastApplied {
    let mut monitor = if options.monitor {
        open_monitor(netns)
    } else {
        None
    };
    let mut schedule = Schedule::new(options.interval, options.settle, Instant::now());
    let mut last = options.last_applied;
    while !stop.load(Ordering::Relaxed) {
        // Looked at before every pass and at least every STOP_POLL.
        if let Err(e) = netns.check() {
            on_pass(&Report::failed(e, &last));
            break;
        }
        if schedule.due(Instant::now()) {
            let report = pass(netns, desired, &last);
            last.clone_from(&report.last_applied);
            on_pass(&report);
            schedule.passed(Instant::now());
            if options.monitor && monitor.is_none() {
                // Back from a failure: what changed meanwhile is unseen.
                monitor = open_monitor(netns);
                if monitor.is_some() {
                    schedule.resync(Instant::now());
                }
            }
            continue;
        }
        // SO_RCVTIMEO of 0 means "forever": never ask for less than 1 ms.
        let wait = schedule
            .wait(Instant::now())
            .clamp(Duration::from_millis(1), STOP_POLL);
        let Some(m) = monitor.as_mut() else {
            std::thread::sleep(wait);
            continue;
        };
        let woke = m
            .set_timeout(Some(wait))
            .and_then(|()| m.recv().map(|e| wake(&e)));
        match woke {
            Ok(w) => schedule.event(w, Instant::now()),
            Err(Error::Timeout(_)) => {}
            // One notification that did not decode: something changed.
            Err(Error::Decode(_)) => schedule.event(Wake::Change, Instant::now()),
            Err(_) => {
                monitor = None;
                schedule.resync(Instant::now());
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_runs_first_pass_then_interval_then_bursts() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut s = Schedule::new(ms(60_000), ms(50), t0);
        assert!(s.due(t0), "first pass at once");
        s.passed(t0);
        assert!(!s.due(t0 + ms(59_999)));
        assert!(s.due(t0 + ms(60_000)), "interval");
        // A burst: the pass runs once no change came for 50 ms.
        s.event(Wake::Change, t0 + ms(10));
        s.event(Wake::Change, t0 + ms(40));
        s.event(Wake::No, t0 + ms(41));
        assert_eq!(s.wait(t0 + ms(40)), ms(50));
        assert!(!s.due(t0 + ms(89)));
        assert!(s.due(t0 + ms(90)));
        s.passed(t0 + ms(95));
        // Lost notifications: a pass now.
        s.event(Wake::Resync, t0 + ms(100));
        assert!(s.due(t0 + ms(100)));
    }

    /// Run a schedule against a script of changes (every `every` from
    /// `start` to `end`), a pass taking 5 ms whenever one is due; the
    /// pass start times.
    fn passes(s: &mut Schedule, t0: Instant, every: Duration, end: Duration) -> Vec<Duration> {
        let step = Duration::from_millis(1);
        let (mut now, mut next_change, mut out) = (t0, t0, Vec::new());
        while now < t0 + end + Duration::from_secs(5) {
            if now >= next_change && now < t0 + end {
                s.event(Wake::Change, now);
                next_change = now + every;
            }
            if s.due(now) {
                out.push(now - t0);
                now += Duration::from_millis(5);
                s.passed(now);
            }
            now += step;
        }
        out
    }

    /// Item 7: a storm of changes costs a few passes, not one per burst.
    #[test]
    fn storm_backs_off() {
        let ms = Duration::from_millis;
        for every in [ms(1), ms(20), ms(120), ms(300)] {
            let t0 = Instant::now();
            let mut s = Schedule::new(Duration::from_secs(60), ms(50), t0);
            s.passed(t0);
            // 20 s of changes (up to 20,000 of them).
            let got = passes(&mut s, t0, every, Duration::from_secs(20));
            assert!(
                got.len() <= 10,
                "changes every {every:?}: {} passes {got:?}",
                got.len()
            );
            // And the storm's end is caught up with.
            assert!(got.last().is_some_and(|&l| l >= ms(20_000)), "{got:?}");
        }
    }

    /// One change on a quiet loop is one pass, a settle time later; so is
    /// the next one a while after.
    #[test]
    fn lone_change_is_one_prompt_pass() {
        let ms = Duration::from_millis;
        let t0 = Instant::now();
        let mut s = Schedule::new(Duration::from_secs(60), ms(50), t0);
        s.passed(t0);
        for at in [ms(1_000), ms(10_000)] {
            s.event(Wake::Change, t0 + at);
            assert!(!s.due(t0 + at + ms(49)));
            assert!(s.due(t0 + at + ms(50)));
            s.passed(t0 + at + ms(60));
            // Its own notifications: one confirming pass.
            s.event(Wake::Change, t0 + at + ms(61));
            assert!(s.due(t0 + at + ms(111)));
            s.passed(t0 + at + ms(120));
        }
    }
}
