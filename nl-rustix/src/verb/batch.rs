//! One [`Conn::batch`](crate::Conn::batch) call on a [`Pipeline`]: which
//! request went where, and each request's result in the call's terms.
//! The blocking `Conn::batch` and nl-mio's runner of
//! [`Step::Batch`](super::Step::Batch) both submit through it; they
//! differ only in how they wait for the completions.

use crate::engine::{Answer, Pipeline, RequestId, RequestOptions};
use crate::{Encode, Error};
use nl_proto::EncodeError;

/// No result index: an id the call did not hand out (a batch's barrier).
const NONE: u32 = u32::MAX;

/// What [`BatchRun::push`] did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Queued (or failed at once; its result says so): push the next.
    Taken,
    /// The send queue is full: send and read, then push it again.
    Full,
}

/// Where each request of one batch call went: its result index by id, and
/// the nfnetlink batches (first id, index of their `BATCH_BEGIN`) to turn
/// a position in a batch back into an index of the call.
#[derive(Debug, Default)]
pub struct BatchRun {
    base: Option<u64>,
    index_of: Vec<u32>,
    spans: Vec<(u64, usize)>,
    results: Vec<Result<(), Error>>,
    /// Requests handed to the pipeline whose completion is awaited.
    open: usize,
    /// The call index of the open batch's `BATCH_BEGIN`, and its id.
    span: Option<(usize, Option<RequestId>)>,
}

impl BatchRun {
    /// A call with no request yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether every request pushed has its result.
    pub fn is_done(&self) -> bool {
        self.open == 0
    }

    /// Requests pushed whose completion has not come.
    pub fn open(&self) -> usize {
        self.open
    }

    /// Every request's result, in push order.
    pub fn into_results(self) -> Vec<Result<(), Error>> {
        self.results
    }

    fn note(&mut self, id: RequestId, index: usize) {
        let base = *self.base.get_or_insert(id.0);
        let k = (id.0 - base) as usize;
        if self.index_of.len() <= k {
            self.index_of.resize(k + 1, NONE);
        }
        self.index_of[k] = index as u32;
        self.open += 1;
    }

    fn index(&self, id: RequestId) -> Option<usize> {
        let k = id.0.checked_sub(self.base?)? as usize;
        self.index_of
            .get(k)
            .filter(|&&i| i != NONE)
            .map(|&i| i as usize)
    }

    /// Forget the ids from `first` on (a batch the pipeline took back).
    fn forget_from(&mut self, first: RequestId) {
        let Some(base) = self.base else { return };
        let from = (first.0.saturating_sub(base)) as usize;
        for slot in self.index_of.iter_mut().skip(from) {
            if *slot != NONE {
                *slot = NONE;
                self.open -= 1;
            }
        }
    }

    /// The call index of position `pos` in the batch holding `id`.
    fn in_batch(&self, id: RequestId, pos: usize) -> Option<usize> {
        let at = self.spans.partition_point(|&(first, _)| first <= id.0);
        let &(_, begin) = self.spans.get(at.checked_sub(1)?)?;
        Some(begin + pos)
    }

    /// The pipeline's error for request `id`, in the call's terms.
    fn error(&self, id: RequestId, index: usize, e: Error) -> Error {
        match e {
            Error::BatchAborted { failed: Some(pos) } => Error::BatchAborted {
                failed: self.in_batch(id, pos),
            },
            Error::OutcomeUnknown { .. } => Error::OutcomeUnknown {
                request: index as u64,
            },
            e => e,
        }
    }

    /// Whether request `id` is one of this call's, still awaited.
    pub fn owns(&self, id: RequestId) -> bool {
        self.index(id).is_some()
    }

    /// Record the completion of `id`; `false` if it is not this call's.
    pub fn complete(&mut self, id: RequestId, result: Result<Answer, Error>) -> bool {
        let Some(i) = self.index(id) else {
            return false;
        };
        self.open -= 1;
        self.results[i] = result.map(|_| ()).map_err(|e| self.error(id, i, e));
        true
    }

    /// Collect every completion of a pipeline this call has to itself.
    pub fn collect(&mut self, p: &mut Pipeline) {
        while let Some((id, result)) = p.poll_completion() {
            self.complete(id, result);
        }
    }

    /// Submit the next request of the call (replies dropped, as the call
    /// reports only outcomes). A request that cannot be queued has its
    /// error as its result (a batch it belonged to is taken back and its
    /// requests [`Error::BatchAborted`]), unless the queue was only full.
    pub fn push(&mut self, p: &mut Pipeline, encode: &impl Encode) -> Pushed {
        let index = self.results.len();
        let opened = p.batch_open();
        match p.submit_item(encode, RequestOptions::new().discard_replies()) {
            Ok(id) => {
                self.results.push(Ok(()));
                self.note(id, index);
                if !opened && p.batch_open() {
                    self.span = Some((index, Some(id)));
                    self.spans.push((id.0, index));
                }
            }
            // The queue is full: send and read, then try again.
            Err(Error::Encode(EncodeError::BufferFull { .. })) if !opened && p.queued() > 0 => {
                return Pushed::Full;
            }
            Err(e) => {
                self.results.push(Ok(()));
                if let Some((begin, first @ Some(_))) = self.span
                    && opened
                {
                    // The batch was taken back: none of it is sent.
                    if let Some(first) = first {
                        self.forget_from(first);
                    }
                    for r in &mut self.results[begin..index] {
                        *r = Err(Error::BatchAborted {
                            failed: Some(index),
                        });
                    }
                    self.span = Some((begin, None));
                }
                self.results[index] = Err(match (e, self.span) {
                    (Error::BatchAborted { failed: Some(pos) }, Some((begin, _))) => {
                        Error::BatchAborted {
                            failed: Some(begin + pos),
                        }
                    }
                    (e, _) => e,
                });
            }
        }
        if !p.batch_open() {
            self.span = None;
        }
        Pushed::Taken
    }

    /// No more requests: a batch still open never ends, so it is taken
    /// back and its requests fail.
    pub fn finish(&mut self, p: &mut Pipeline) {
        let Some((begin, first)) = self.span.take() else {
            return;
        };
        p.discard_open_batch();
        if let Some(first) = first {
            self.forget_from(first);
        }
        for r in &mut self.results[begin..] {
            if r.is_ok() {
                *r = Err(Error::Invalid(format!(
                    "an nfnetlink batch begins and never ends (request {begin})"
                )));
            }
        }
    }
}
