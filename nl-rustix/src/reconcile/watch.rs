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

/// When the next pass is due: at once at the start and on a resync, a
/// short settle time after the first change of a burst (so a burst of
/// notifications is one pass), and otherwise one interval after the last
/// pass. No I/O; the driver passes the time in.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval: Duration,
    settle: Duration,
    next: Instant,
}

impl Schedule {
    /// The first pass is due at `now`.
    pub fn new(interval: Duration, settle: Duration, now: Instant) -> Self {
        Self {
            interval,
            settle,
            next: now,
        }
    }

    /// Feed what a monitor event means ([`wake`]).
    pub fn event(&mut self, wake: Wake, now: Instant) {
        match wake {
            Wake::No => {}
            Wake::Change => self.next = self.next.min(now + self.settle),
            Wake::Resync => self.resync(now),
        }
    }

    /// A pass now, from scratch (lost notifications, a failed monitor).
    pub fn resync(&mut self, now: Instant) {
        self.next = self.next.min(now);
    }

    /// Whether a pass is due.
    pub fn due(&self, now: Instant) -> bool {
        now >= self.next
    }

    /// How long until the next pass is due.
    pub fn wait(&self, now: Instant) -> Duration {
        self.next.saturating_duration_since(now)
    }

    /// A pass finished at `now`: the next is one interval away unless a
    /// monitor event brings it forward.
    pub fn passed(&mut self, now: Instant) {
        self.next = now + self.interval;
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
        // A burst: the first change sets the pass 50 ms out; later ones
        // in the burst do not push it back.
        s.event(Wake::Change, t0 + ms(10));
        s.event(Wake::Change, t0 + ms(40));
        s.event(Wake::No, t0 + ms(41));
        assert_eq!(s.wait(t0 + ms(40)), ms(20));
        assert!(s.due(t0 + ms(60)));
        s.passed(t0 + ms(70));
        // Lost notifications: a pass now.
        s.event(Wake::Resync, t0 + ms(100));
        assert!(s.due(t0 + ms(100)));
    }
}
