//! Request deadlines, nearest first.

use crate::answer::RequestId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

/// A priority queue of `(deadline, request)` tuned for what a pipeline
/// sees: requests that share one timeout arrive with deadlines in
/// increasing order, so they go to a FIFO (O(1) each way); only a deadline
/// earlier than the last one queued goes to a heap.
#[derive(Debug, Default)]
pub(crate) struct Deadlines {
    fifo: VecDeque<(Instant, RequestId)>,
    heap: BinaryHeap<Reverse<(Instant, RequestId)>>,
}

impl Deadlines {
    pub(crate) fn push(&mut self, at: Instant, id: RequestId) {
        match self.fifo.back() {
            Some(&last) if (at, id) < last => self.heap.push(Reverse((at, id))),
            _ => self.fifo.push_back((at, id)),
        }
    }

    /// The nearest entry.
    pub(crate) fn peek(&self) -> Option<(Instant, RequestId)> {
        match (self.fifo.front(), self.heap.peek()) {
            (Some(&f), Some(&Reverse(h))) => Some(f.min(h)),
            (Some(&f), None) => Some(f),
            (None, Some(&Reverse(h))) => Some(h),
            (None, None) => None,
        }
    }

    /// Remove the nearest entry.
    pub(crate) fn pop(&mut self) -> Option<(Instant, RequestId)> {
        let first = self.peek()?;
        if self.fifo.front() == Some(&first) {
            self.fifo.pop_front()
        } else {
            self.heap.pop().map(|Reverse(e)| e)
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.fifo.len() + self.heap.len()
    }

    /// Keep only the entries for which `keep` holds.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Instant, RequestId) -> bool) {
        self.fifo.retain(|&(at, id)| keep(at, id));
        self.heap.retain(|&Reverse((at, id))| keep(at, id));
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
