//! [`Conn::batch`]: many requests in few `sendmsg` calls, with nfnetlink
//! batches sent as the transactions they are. A blocking loop over the
//! [engine](crate::engine): the same queue, span, budget and batch rules
//! as the readiness driver; only the waiting differs.

use super::Conn;
use crate::engine::{Pipeline, RequestId, RequestOptions};
use crate::{Encode, Error, drive};
use nl_proto::EncodeError;

/// Requests queued, not yet sent, past which the call sends and reads
/// before queueing more (a few receive windows' worth).
const QUEUED_AHEAD: usize = 512;

/// No result index: an id the call did not hand out (a batch's barrier).
const NONE: u32 = u32::MAX;

/// Where each request of one call went: its result index by id, and the
/// nfnetlink batches (first id, index of their `BATCH_BEGIN`) to turn a
/// position in a batch back into an index of the call.
#[derive(Default)]
struct Ledger {
    base: Option<u64>,
    index_of: Vec<u32>,
    spans: Vec<(u64, usize)>,
    results: Vec<Result<(), Error>>,
    /// Requests handed to the pipeline whose completion is awaited.
    open: usize,
}

impl Ledger {
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

    fn collect(&mut self, p: &mut Pipeline) {
        while let Some((id, result)) = p.poll_completion() {
            let Some(i) = self.index(id) else { continue };
            self.open -= 1;
            self.results[i] = result.map(|_| ()).map_err(|e| self.error(id, i, e));
        }
    }
}

impl Conn {
    /// Send many requests with as few `sendmsg` calls as fit, and collect
    /// every answer. Results come back in request order, one per request.
    ///
    /// - **Plain requests** are packed into datagrams as the send buffer,
    ///   the session's table and the receive buffer allow (each request is
    ///   budgeted for a reply and an ack, so a batch of GETs loses no
    ///   answer); replies are read and dropped. A failure is reported
    ///   against the request that caused it and does not stop the others.
    /// - **nfnetlink batches** (a `BATCH_BEGIN` … `BATCH_END` span, as
    ///   [`nl_proto::nfnl::batch`] encodes it) are transactions: each is
    ///   sent as one datagram of its own, whatever its size (the send
    ///   buffer is raised to fit, and the receive buffer to an error per
    ///   request, with `SO_SNDBUFFORCE`/`SO_RCVBUFFORCE` when privileged),
    ///   followed by a barrier that tells when the kernel is done with it.
    ///   Every request of a batch is `Ok` only if the kernel committed it.
    ///   If it did not, each failing request carries its own error, the
    ///   others [`Error::BatchAborted`] naming the first that failed; an
    ///   error the kernel sends against `BATCH_BEGIN` (e.g. `ERESTART` for
    ///   a stale generation id) is every request's result. A batch one of
    ///   whose requests cannot be encoded is not sent: that request has
    ///   its error, the others of the batch [`Error::BatchAborted`]. A
    ///   batch that never ends, or ends twice, or nests, is not sent
    ///   either ([`Error::Invalid`]).
    /// - If the kernel dropped answers (`ENOBUFS`), the connection empties
    ///   its queue and resynchronises; a request whose answer was lost is
    ///   [`Error::OutcomeUnknown`] (a batch of which any error survived is
    ///   reported as aborted, as above).
    ///
    /// This is a blocking loop over the [engine](crate::engine), which
    /// the readiness driver runs too.
    ///
    /// # Errors
    ///
    /// I/O that makes the outcome of the remaining requests unknown (a
    /// receive that failed, no answer within the timeout); the requests
    /// already answered are lost with it. A failed send fails only the
    /// requests it carried, e.g. `EMSGSIZE` for a batch larger than the
    /// kernel lets this socket send. An encoding error for one item is
    /// that item's result.
    pub fn batch<E: Encode>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Result<(), Error>>, Error> {
        let granted = self.sock.recv_buffer_size().unwrap_or(212_992);
        let first = self.batch_first_seq;
        let mut p = self
            .engine
            .take()
            .unwrap_or_else(|| Box::new(Pipeline::with_first_seq(granted, first)));
        p.set_budget(granted);
        p.set_default_timeout(None);
        let outcome = self.batch_on(&mut p, requests);
        if outcome.is_err() {
            p.abandon_all();
        }
        self.engine = Some(p);
        outcome
    }

    fn batch_on<E: Encode>(
        &mut self,
        p: &mut Pipeline,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Result<(), Error>>, Error> {
        let mut ledger = Ledger::default();
        // The call index of the open batch's BATCH_BEGIN, and its id.
        let mut span: Option<(usize, Option<RequestId>)> = None;
        for (index, encode) in requests.into_iter().enumerate() {
            ledger.results.push(Ok(()));
            loop {
                let opened = p.batch_open();
                match p.submit_item(&encode, RequestOptions::new().discard_replies()) {
                    Ok(id) => {
                        ledger.note(id, index);
                        if !opened && p.batch_open() {
                            span = Some((index, Some(id)));
                            ledger.spans.push((id.0, index));
                        }
                        // Keep only a few windows queued ahead: what a
                        // request holds stays in cache until its answer.
                        if !p.batch_open() && p.queued() >= QUEUED_AHEAD {
                            self.pump(p, &mut ledger)?;
                        }
                    }
                    // The queue is full: send and read, then try again.
                    Err(Error::Encode(EncodeError::BufferFull { .. }))
                        if !opened && p.queued() > 0 =>
                    {
                        self.pump(p, &mut ledger)?;
                        continue;
                    }
                    Err(e) => {
                        if let Some((begin, first @ Some(_))) = span
                            && opened
                        {
                            // The batch was taken back: none of it is sent.
                            if let Some(first) = first {
                                ledger.forget_from(first);
                            }
                            for r in &mut ledger.results[begin..index] {
                                *r = Err(Error::BatchAborted {
                                    failed: Some(index),
                                });
                            }
                            span = Some((begin, None));
                        }
                        ledger.results[index] = Err(match (e, span) {
                            (Error::BatchAborted { failed: Some(pos) }, Some((begin, _))) => {
                                Error::BatchAborted {
                                    failed: Some(begin + pos),
                                }
                            }
                            (e, _) => e,
                        });
                    }
                }
                break;
            }
            if !p.batch_open() {
                span = None;
            }
        }
        if let Some((begin, first)) = span {
            // A batch that never ends.
            p.discard_open_batch();
            if let Some(first) = first {
                ledger.forget_from(first);
            }
            for r in &mut ledger.results[begin..] {
                if r.is_ok() {
                    *r = Err(Error::Invalid(format!(
                        "an nfnetlink batch begins and never ends (request {begin})"
                    )));
                }
            }
        }
        while ledger.open > 0 {
            self.pump(p, &mut ledger)?;
        }
        Ok(ledger.results)
    }

    /// Send what the pipeline may send, wait for an answer, read every
    /// answer queued, and collect what completed.
    fn pump(&mut self, p: &mut Pipeline, ledger: &mut Ledger) -> Result<(), Error> {
        let before = ledger.open;
        let sends = drive::flush(p, &self.sock);
        ledger.collect(p);
        if ledger.open == 0 {
            return Ok(());
        }
        if !p.awaits_answers() {
            if sends == 0 && ledger.open == before {
                return Err(Error::Unexpected(
                    "the request engine has nothing to send and no answer to wait for",
                ));
            }
            return Ok(());
        }
        let got = drive::receive(p, &self.sock, &mut self.recv, true)
            .map_err(|e| Error::io("recv netlink answers", &e))?;
        if !got {
            return Err(if self.sock.is_nonblocking().unwrap_or(false) {
                Error::WouldBlock
            } else {
                Error::Timeout(self.timeout.unwrap_or_default())
            });
        }
        if p.awaits_answers() || p.resync_pending() {
            drive::drain(p, &self.sock, &mut self.recv)
                .map_err(|e| Error::io("recv netlink answers", &e))?;
        }
        ledger.collect(p);
        Ok(())
    }
}
