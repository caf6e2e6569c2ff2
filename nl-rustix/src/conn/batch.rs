//! [`Conn::batch`]: many requests in few `sendmsg` calls, with nfnetlink
//! batches sent as the transactions they are. A blocking loop over the
//! [engine](crate::engine): the same queue, span, budget and batch rules
//! as the readiness driver; only the waiting differs.

use super::Conn;
use crate::engine::Pipeline;
use crate::verb::{BatchRun, Pushed};
use crate::{Encode, Error, drive};

/// Requests queued, not yet sent, past which the call sends and reads
/// before queueing more (a few receive windows' worth).
const QUEUED_AHEAD: usize = 512;

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
        let mut run = BatchRun::new();
        for encode in requests {
            while run.push(p, &encode) == Pushed::Full {
                self.pump(p, &mut run)?;
            }
            // Keep only a few windows queued ahead: what a request holds
            // stays in cache until its answer.
            if !p.batch_open() && p.queued() >= QUEUED_AHEAD {
                self.pump(p, &mut run)?;
            }
        }
        run.finish(p);
        while !run.is_done() {
            self.pump(p, &mut run)?;
        }
        Ok(run.into_results())
    }

    /// Send what the pipeline may send, wait for an answer, read every
    /// answer queued, and collect what completed.
    fn pump(&mut self, p: &mut Pipeline, ledger: &mut BatchRun) -> Result<(), Error> {
        let before = ledger.open();
        let sends = drive::flush(p, &self.sock);
        ledger.collect(p);
        if ledger.open() == 0 {
            return Ok(());
        }
        if !p.awaits_answers() {
            if sends == 0 && ledger.open() == before {
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
