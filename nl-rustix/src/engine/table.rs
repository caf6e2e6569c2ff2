//! The requests alive, by id: a ring indexed by the id's distance from
//! the oldest, since ids are handed out in order and requests mostly end
//! in order. A lookup is an index, not a hash, and an entry never moves
//! while it lives. One request that stays alive for long (no deadline,
//! no answer) would pin the ring; past [`RING_LIMIT`] entries the oldest
//! moves to a map instead.

use super::{IdHash, Req, RequestId};
use std::collections::{HashMap, VecDeque};

/// Entries the ring spans at most before its oldest live one moves out.
const RING_LIMIT: usize = 1 << 16;

#[derive(Default)]
pub(super) struct Requests {
    /// Id `base + i` at index `i`; `None` once it ended.
    ring: VecDeque<Option<Req>>,
    base: u64,
    /// Live requests older than `base`.
    far: HashMap<RequestId, Req, IdHash>,
    live: usize,
}

impl Requests {
    /// Add request `id`, the next id after every one added before.
    pub(super) fn insert(&mut self, id: RequestId, req: Req) {
        // Older live requests, if any, are in `far`.
        if self.ring.is_empty() {
            self.base = id.0;
        }
        // Ids are handed out in order: the ring ends just before `id`.
        while self.base + (self.ring.len() as u64) < id.0 {
            self.ring.push_back(None);
        }
        self.ring.push_back(Some(req));
        self.live += 1;
        while self.ring.len() > RING_LIMIT {
            if let Some(Some(old)) = self.ring.pop_front() {
                self.far.insert(RequestId(self.base), old);
            }
            self.base += 1;
        }
        self.trim();
    }

    fn slot(&self, id: RequestId) -> Option<usize> {
        let i = id.0.checked_sub(self.base)?;
        usize::try_from(i).ok().filter(|&i| i < self.ring.len())
    }

    pub(super) fn get(&self, id: &RequestId) -> Option<&Req> {
        match self.slot(*id) {
            Some(i) => self.ring[i].as_ref(),
            None => self.far.get(id),
        }
    }

    pub(super) fn get_mut(&mut self, id: &RequestId) -> Option<&mut Req> {
        match self.slot(*id) {
            Some(i) => self.ring[i].as_mut(),
            None => self.far.get_mut(id),
        }
    }

    pub(super) fn remove(&mut self, id: &RequestId) -> Option<Req> {
        let r = match self.slot(*id) {
            Some(i) => self.ring[i].take(),
            None => self.far.remove(id),
        };
        if r.is_some() {
            self.live -= 1;
            self.trim();
        }
        r
    }

    /// Drop ended entries from the front.
    fn trim(&mut self) {
        while matches!(self.ring.front(), Some(None)) {
            self.ring.pop_front();
            self.base += 1;
        }
    }

    /// Requests alive.
    pub(super) fn len(&self) -> usize {
        self.live
    }

    pub(super) fn clear(&mut self) {
        self.ring.clear();
        self.far.clear();
        self.live = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_out_of_order_ends_and_a_pinned_head() {
        let mut t = Requests::default();
        let req = || super::super::tests::blank_req();
        for i in 0..10 {
            t.insert(RequestId(i), req());
        }
        assert!(t.remove(&RequestId(3)).is_some());
        assert!(t.remove(&RequestId(3)).is_none());
        assert!(t.remove(&RequestId(0)).is_some());
        assert_eq!(t.len(), 8);
        assert!(t.get(&RequestId(1)).is_some() && t.get(&RequestId(3)).is_none());
        // Request 1 stays alive while many come and go after it.
        for i in 10..(RING_LIMIT as u64 + 100) {
            t.insert(RequestId(i), req());
            if i > 12 {
                t.remove(&RequestId(i));
            }
        }
        assert!(t.ring.len() <= RING_LIMIT);
        assert!(t.get_mut(&RequestId(1)).is_some(), "moved, not lost");
        assert!(t.remove(&RequestId(1)).is_some());
        assert_eq!(t.len(), 9 - 1 + 3 - 1);
        // A gap (ids taken by requests that were refused) is fine.
        t.insert(RequestId(RING_LIMIT as u64 + 500), req());
        assert!(t.get(&RequestId(RING_LIMIT as u64 + 500)).is_some());
    }
}
