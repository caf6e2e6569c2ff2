//! Request deadlines, nearest first, and what happens when one passes.

use super::{LATE_ANSWER_GRACE, Pipeline, RequestId, batch::Role};
use crate::{Error, sys};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::{Duration, Instant};

/// A priority queue of `(deadline, request)` tuned for what a pipeline
/// sees: requests that share one timeout arrive with deadlines in
/// increasing order, so they go to a FIFO (O(1) each way); only a deadline
/// earlier than the last one queued goes to a heap.
#[derive(Debug, Default)]
pub(super) struct Deadlines {
    fifo: VecDeque<(Instant, RequestId)>,
    heap: BinaryHeap<Reverse<(Instant, RequestId)>>,
}

impl Deadlines {
    pub(super) fn push(&mut self, at: Instant, id: RequestId) {
        match self.fifo.back() {
            Some(&last) if (at, id) < last => self.heap.push(Reverse((at, id))),
            _ => self.fifo.push_back((at, id)),
        }
    }

    /// The nearest entry.
    pub(super) fn peek(&self) -> Option<(Instant, RequestId)> {
        match (self.fifo.front(), self.heap.peek()) {
            (Some(&f), Some(&Reverse(h))) => Some(f.min(h)),
            (Some(&f), None) => Some(f),
            (None, Some(&Reverse(h))) => Some(h),
            (None, None) => None,
        }
    }

    /// Remove the nearest entry.
    pub(super) fn pop(&mut self) -> Option<(Instant, RequestId)> {
        let first = self.peek()?;
        if self.fifo.front() == Some(&first) {
            self.fifo.pop_front()
        } else {
            self.heap.pop().map(|Reverse(e)| e)
        }
    }

    pub(super) fn len(&self) -> usize {
        self.fifo.len() + self.heap.len()
    }

    /// Keep only the entries for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(Instant, RequestId) -> bool) {
        self.fifo.retain(|&(at, id)| keep(at, id));
        self.heap.retain(|&Reverse((at, id))| keep(at, id));
    }
}

/// A clock for deadlines that need not be exact (the default timeout of
/// 10 s): the coarse monotonic clock, a memory read where the precise
/// one costs about 5% of the engine's work per request. The coarse clock
/// lags by up to a tick (1-10 ms); a tick is added, so a deadline from
/// it is never early and at most two ticks late.
#[derive(Debug, Clone, Copy)]
pub(super) struct CoarseClock {
    /// A precise reading, and the coarse one just before it.
    base: Instant,
    base_coarse: Duration,
    tick: Duration,
}

impl CoarseClock {
    pub(super) fn new() -> Self {
        let base_coarse = sys::coarse_now();
        Self {
            base: Instant::now(),
            base_coarse,
            tick: sys::coarse_resolution().unwrap_or(Duration::from_millis(10)),
        }
    }

    /// A time no earlier than now, and at most two ticks later.
    pub(super) fn not_before_now(&self) -> Instant {
        let coarse = sys::coarse_now();
        if coarse.is_zero() || self.base_coarse.is_zero() {
            // The coarse clock failed: read the precise one.
            return Instant::now();
        }
        self.base + coarse.saturating_sub(self.base_coarse) + self.tick
    }
}

impl Pipeline {
    /// The nearest deadline of a request not yet completed (or of a late
    /// answer's grace period): wait no longer than this.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.peek().map(|(at, _)| at)
    }

    /// How long from `now` until [`next_deadline`](Self::next_deadline)
    /// (zero if it passed), for a poll timeout.
    pub fn timeout(&self, now: Instant) -> Option<Duration> {
        self.next_deadline()
            .map(|at| at.saturating_duration_since(now))
    }

    /// Complete every request whose deadline is at or before `now` with
    /// [`Error::Timeout`]. A timed-out request still queued is never sent;
    /// one in flight stays tracked for [`LATE_ANSWER_GRACE`] so that its
    /// answer, if it comes, is dropped.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some((at, id)) = self.deadlines.peek() {
            if at > now {
                break;
            }
            self.deadlines.pop();
            let Some(r) = self.reqs.get_mut(&id).filter(|r| r.deadline == Some(at)) else {
                continue;
            };
            if r.expired {
                // Grace is over: the answer is not coming.
                let r = self.reqs.remove(&id);
                self.expired -= 1;
                if let Some(seq) = r.as_ref().and_then(|r| r.seq) {
                    self.session.cancel(seq);
                }
                self.release(id, r);
                continue;
            }
            let timeout = r.timeout;
            let sent = r.seq.is_some();
            // The barrier is internal: it ends with its batch, whose
            // requests have the same deadline and report the timeout.
            let internal = matches!(r.role, Role::Barrier { .. });
            if sent {
                r.expired = true;
                self.expired += 1;
                r.replies = Vec::new();
                r.replies_mode = super::options::Replies::Discard;
                if let Some(grace) = now.checked_add(LATE_ANSWER_GRACE) {
                    r.deadline = Some(grace);
                    self.deadlines.push(grace, id);
                }
            } else {
                // Still queued: `stage` drops dead entries.
                self.reqs.remove(&id);
                self.queue.kill(id);
            }
            if !internal {
                self.completions
                    .push_back((id, Err(Error::Timeout(timeout))));
            }
        }
        self.drop_stale_deadlines();
    }

    /// Pop deadlines of requests that ended, until the nearest is live.
    pub(super) fn drop_stale_deadlines(&mut self) {
        while let Some((at, id)) = self.deadlines.peek() {
            if self.reqs.get(&id).is_some_and(|r| r.deadline == Some(at)) {
                break;
            }
            self.deadlines.pop();
        }
    }

    /// Rebuild the deadlines without ended requests once those
    /// outnumber the live ones: amortised O(1) per request, and memory
    /// bounded by about twice the requests alive.
    pub(super) fn compact_deadlines(&mut self) {
        if self.deadlines.len() > 2 * self.reqs.len() + 1024 {
            let reqs = &self.reqs;
            self.deadlines
                .retain(|at, id| reqs.get(&id).is_some_and(|r| r.deadline == Some(at)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn pops_in_deadline_order_whatever_the_push_order() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = Deadlines::default();
        for (i, n) in [10, 20, 5, 30, 15, 30, 1].into_iter().enumerate() {
            d.push(ms(n), RequestId(i as u64));
        }
        assert_eq!(d.len(), 7);
        let order: Vec<u64> = std::iter::from_fn(|| d.pop()).map(|(_, id)| id.0).collect();
        assert_eq!(order, [6, 2, 0, 4, 1, 3, 5]);
        d.push(ms(3), RequestId(9));
        d.push(ms(2), RequestId(8));
        d.retain(|_, id| id.0 != 8);
        assert_eq!(d.peek(), Some((ms(3), RequestId(9))));
    }
}
