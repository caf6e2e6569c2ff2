//! nfnetlink batches: a `BATCH_BEGIN` … `BATCH_END` span queued as one
//! unit, followed by a barrier, and how the kernel's answers (refusal of
//! the whole batch, errors of members, or nothing) become one result per
//! request.

use super::{End, Glue, Now, Pipeline, RequestId, RequestOptions};
use crate::{Encode, Error, Outcome};
use nl_proto::DecodeError;
use nl_proto::nfnl::batch::encode_barrier;
use nl_proto::session::Expect;
use nl_proto::wire::{MsgWriter, OwnedKernelError};

/// A request's part in an nfnetlink batch (see
/// [`Pipeline::submit_batch`]).
pub(super) enum Role {
    /// Not in a batch.
    Plain,
    /// `BATCH_BEGIN`: stands for the batch in the session.
    Begin(Box<Opened>),
    /// A later request of the batch (`BATCH_END` too): answered by the
    /// kernel only if it fails.
    Member,
    /// The request sent after the batch's datagram: once it is answered,
    /// the kernel has said all it will about the batch.
    Barrier { begin: RequestId },
}

/// What `BATCH_BEGIN` keeps for its batch (boxed: every request carries
/// a [`Role`], few of them this).
pub(super) struct Opened {
    /// Every request of the batch in order, `BATCH_BEGIN` first.
    members: Vec<RequestId>,
    /// The kernel refused the batch as a whole.
    refused: Option<Result<Box<OwnedKernelError>, DecodeError>>,
}

/// The nfnetlink batch being queued by [`Pipeline::submit_item`], if any.
#[derive(Debug, Default)]
pub(super) enum Span {
    /// None open: a `BATCH_BEGIN` opens one.
    #[default]
    Closed,
    /// Queued so far, `BATCH_BEGIN` first; the queue's last entries. The
    /// time it opened at, if read: its requests share one deadline.
    Open(Vec<RequestId>, Now),
    /// A request of it failed to encode: what was queued of it was taken
    /// back, and the rest up to its `BATCH_END` is refused.
    Poisoned {
        /// The position in the batch of the request that failed.
        failed: usize,
        /// The position of the next request.
        next: usize,
    },
}

impl Pipeline {
    /// Queue the next request of a sequence that may hold nfnetlink
    /// batches, as [`Conn::batch`](crate::Conn::batch) takes them: a
    /// `BATCH_BEGIN` opens a batch, the requests after it join it, and a
    /// `BATCH_END` closes it (then queued as
    /// [`submit_batch`](Self::submit_batch) queues one). Nothing of an
    /// open batch is sent. Other requests are queued as by
    /// [`submit`](Self::submit).
    ///
    /// # Errors
    ///
    /// As [`submit`](Self::submit). If a request inside a batch fails to
    /// encode, or a `BATCH_BEGIN` comes inside one, what was queued of the
    /// batch is taken back (those ids never complete) and this request's
    /// error is returned; each later request up to the batch's
    /// `BATCH_END` is then refused with [`Error::BatchAborted`] naming the
    /// position in the batch of the one that failed.
    pub fn submit_item(
        &mut self,
        encode: &impl Encode,
        opts: RequestOptions,
    ) -> Result<RequestId, Error> {
        let now = &mut match &self.span {
            Span::Open(_, at) => *at,
            _ => Now::default(),
        };
        match &mut self.span {
            Span::Poisoned { failed, next } => {
                let failed = *failed;
                *next += 1;
                // Encoded only to find the batch's end.
                let mut w = MsgWriter::new(&mut self.scratch);
                if let Ok(req) = encode.encode(&mut w) {
                    if req.expect == Expect::BatchEnd {
                        self.span = Span::Closed;
                    }
                }
                Err(Error::BatchAborted {
                    failed: Some(failed),
                })
            }
            Span::Closed => {
                let id = self.enqueue(encode, opts, now, Glue::Item)?;
                if self
                    .reqs
                    .get(&id)
                    .is_some_and(|r| r.expect == Expect::BatchBegin)
                {
                    self.span = Span::Open(vec![id], *now);
                }
                Ok(id)
            }
            Span::Open(..) => match self.enqueue(encode, opts, now, Glue::Span) {
                Ok(id) => {
                    let expect = self.reqs.get(&id).map(|r| r.expect);
                    if let Span::Open(ids, at) = &mut self.span {
                        ids.push(id);
                        *at = *now;
                    }
                    if expect == Some(Expect::BatchBegin) {
                        let at = self.open_len() - 1;
                        self.take_back_span();
                        self.span = Span::Poisoned {
                            failed: at,
                            next: at + 1,
                        };
                        return Err(Error::Invalid(
                            "an nfnetlink batch begins inside another batch".into(),
                        ));
                    }
                    if expect == Some(Expect::BatchEnd) {
                        self.close_span(now)?;
                    }
                    Ok(id)
                }
                Err(e) => {
                    let at = self.open_len();
                    self.take_back_span();
                    self.span = Span::Poisoned {
                        failed: at,
                        next: at + 1,
                    };
                    Err(e)
                }
            },
        }
    }

    /// Requests of the open batch queued so far.
    fn open_len(&self) -> usize {
        match &self.span {
            Span::Open(ids, _) => ids.len(),
            _ => 0,
        }
    }

    /// Whether a batch opened by [`submit_item`](Self::submit_item) waits
    /// for its `BATCH_END` (or, after a failure, for the end of its
    /// requests).
    pub fn batch_open(&self) -> bool {
        !matches!(self.span, Span::Closed)
    }

    /// Take the open batch's requests back out of the queue, without
    /// completing them, and forget any batch in progress.
    pub fn discard_open_batch(&mut self) {
        self.take_back_span();
        self.span = Span::Closed;
    }

    fn take_back_span(&mut self) {
        if let Span::Open(ids, _) = std::mem::take(&mut self.span) {
            for _ in &ids {
                if let Some(q) = self.queue.pop_back() {
                    self.reqs.remove(&q.id);
                    self.stats.submitted -= 1;
                }
            }
            self.drop_stale_deadlines();
        }
    }

    /// The open batch got its `BATCH_END`: give its requests their roles
    /// and queue its barrier.
    fn close_span(&mut self, now: &mut Now) -> Result<(), Error> {
        let Span::Open(ids, at) = std::mem::take(&mut self.span) else {
            return Ok(());
        };
        let barrier = match self.enqueue(&encode_barrier, RequestOptions::new(), now, Glue::Barrier)
        {
            Ok(id) => id,
            Err(e) => {
                self.span = Span::Open(ids, at);
                self.take_back_span();
                return Err(e);
            }
        };
        let n = self.queue.entries.len();
        if let Some(end) = self.queue.entries.get_mut(n - 2) {
            end.glued = false;
        }
        let begin = ids[0];
        let first = n - 1 - ids.len();
        for (k, q) in self.queue.entries.range_mut(first..n - 1).enumerate() {
            q.begin = k == 0;
            if k > 0 {
                q.cost = 0;
            }
        }
        for id in &ids[1..] {
            if let Some(r) = self.reqs.get_mut(id) {
                r.role = Role::Member;
                r.cost = 0;
            }
        }
        if let Some(r) = self.reqs.get_mut(&begin) {
            r.role = Role::Begin(Box::new(Opened {
                members: ids,
                refused: None,
            }));
        }
        if let Some(r) = self.reqs.get_mut(&barrier) {
            r.role = Role::Barrier { begin };
        }
        self.stats.submitted -= 1;
        Ok(())
    }

    /// Queue an nfnetlink batch: `BATCH_BEGIN`, the messages, `BATCH_END`
    /// (as [`nl_proto::nfnl::batch`] encodes them), sent as **one**
    /// datagram of its own whatever its size or the budget (the kernel
    /// aborts a batch cut before its end, and ignores what follows it),
    /// then a barrier that tells when the kernel has said all it will
    /// about it. The send queue grows to take a batch larger than its
    /// capacity, and [`staged_room`](Self::staged_room) tells the driver
    /// how large a datagram, and how many error answers, the socket must
    /// then take.
    ///
    /// Each request gets its own id and completion, all at once when the
    /// barrier is answered: if the kernel committed the batch, `Ok` (the
    /// delimiters with [`Outcome::Sent`], the others [`Outcome::Acked`]);
    /// if not, each failing request its own error and the others
    /// [`Error::BatchAborted`] naming the first that failed (its index in
    /// this call); if the kernel refused the whole batch, that refusal for
    /// every request. They share the default deadline. All or nothing: if
    /// one fails to encode, none is queued.
    ///
    /// # Errors
    ///
    /// As [`submit_with`](Self::submit_with), for the first that fails;
    /// [`Error::Invalid`] unless the requests are one `BATCH_BEGIN` …
    /// `BATCH_END` span.
    pub fn submit_batch<E: Encode>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<RequestId>, Error> {
        let not_one =
            || Error::Invalid("a batch is one BATCH_BEGIN, its messages, and one BATCH_END".into());
        if self.batch_open() {
            return Err(not_one());
        }
        let mut ids = Vec::new();
        for encode in requests {
            // Anything after the span's end, or before its start, is not
            // part of one batch.
            if !ids.is_empty() && !self.batch_open() {
                self.rollback(&ids);
                return Err(not_one());
            }
            match self.submit_item(&encode, RequestOptions::new()) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    self.discard_open_batch();
                    return Err(e);
                }
            }
            if !self.batch_open() {
                // A plain request, or the span closed.
                if ids.len() == 1 {
                    self.rollback(&ids);
                    return Err(not_one());
                }
            }
        }
        if ids.is_empty() || self.batch_open() {
            self.discard_open_batch();
            return Err(not_one());
        }
        Ok(ids)
    }

    /// Take back a closed batch (its requests and barrier) or a plain
    /// request just queued, which are the queue's last entries.
    fn rollback(&mut self, ids: &[RequestId]) {
        let Some(&first) = ids.first() else {
            return;
        };
        while self.queue.entries.back().is_some_and(|q| q.id >= first) {
            if let Some(q) = self.queue.pop_back() {
                // The barrier was never counted as submitted.
                if let Some(r) = self.reqs.remove(&q.id)
                    && !matches!(r.role, Role::Barrier { .. })
                {
                    self.stats.submitted -= 1;
                }
            }
        }
        self.drop_stale_deadlines();
    }

    /// The kernel answered a request of a batch (or its barrier).
    pub(super) fn end_in_batch(&mut self, id: RequestId, end: End) {
        let Some(r) = self.reqs.get_mut(&id) else {
            return;
        };
        match &mut r.role {
            Role::Plain => {}
            // The kernel answers a member only when it fails; the batch's
            // outcome is known once its barrier is answered.
            Role::Member => {
                if let End::Failed(e) = end {
                    r.failure.get_or_insert(Box::new(e));
                }
            }
            Role::Begin(opened) => {
                if let End::Failed(e) = end {
                    opened.refused = Some(match e {
                        Error::Kernel { error, .. } => Ok(error),
                        Error::Decode(d) => Err(d),
                        _ => Err(DecodeError::BadLength {
                            what: "batch refusal",
                            len: 0,
                        }),
                    });
                }
            }
            Role::Barrier { begin } => {
                let begin = *begin;
                self.finish(id, end, None);
                self.end_batch(begin, None);
            }
        }
    }

    /// The kernel has said all it will about the batch opened by `begin`
    /// (its barrier was answered), or its answers were lost (`lost` gives
    /// each request's error): complete every request of it.
    ///
    /// What the kernel did answer wins over a loss: a refusal, or a member
    /// that failed, means nothing was applied (the first failure is named
    /// in the others' [`Error::BatchAborted`]); only a batch of which no
    /// answer survived gets `lost`'s error.
    pub(super) fn end_batch(
        &mut self,
        begin: RequestId,
        lost: Option<&dyn Fn(RequestId) -> Error>,
    ) {
        let Some(r) = self.reqs.get_mut(&begin) else {
            return;
        };
        let Role::Begin(opened) = std::mem::replace(&mut r.role, Role::Plain) else {
            return;
        };
        let Opened { members, refused } = *opened;
        if let Some(seq) = r.seq {
            // Normally forgotten by the session already.
            self.session.cancel(seq);
        }
        let first_failed = members
            .iter()
            .position(|id| self.reqs.get(id).is_some_and(|r| r.failure.is_some()));
        let last = members.len().saturating_sub(1);
        for (i, id) in members.into_iter().enumerate() {
            let own = self.reqs.get(&id).is_some_and(|r| r.failure.is_some());
            let end = match (&refused, first_failed, lost) {
                (Some(Ok(e)), _, _) => End::Failed(Error::batch_refused((**e).clone())),
                (Some(Err(d)), _, _) => End::Failed(Error::Decode(*d)),
                // Its own error wins (finish reports `failure`).
                (None, Some(_), _) if own => End::Acked,
                (None, Some(f), _) => End::Failed(Error::BatchAborted { failed: Some(f) }),
                (None, None, Some(error)) => End::Failed(error(id)),
                (None, None, None) => End::Acked,
            };
            let outcome = if i == 0 || i == last {
                Outcome::Sent
            } else {
                Outcome::Acked
            };
            self.finish(id, end, Some(outcome));
        }
    }
}

impl Error {
    /// The error each request of an nfnetlink batch gets when the kernel
    /// refused the batch as a whole (an error against `BATCH_BEGIN`), with
    /// what that means when the kernel sent no text. Every driver that
    /// sends batches reports a refusal this way.
    pub fn batch_refused(error: OwnedKernelError) -> Self {
        let context = Some(refusal_text(error.errno.get()));
        Self::Kernel {
            error: Box::new(error),
            context,
        }
    }
}

/// What a refusal of the whole batch means, for errors without extack text.
fn refusal_text(errno: i32) -> String {
    let why = match errno {
        libc::ERESTART => "the ruleset changed since the batch's generation id",
        libc::EOPNOTSUPP => "the subsystem takes no batches",
        libc::EPERM => "nfnetlink needs CAP_NET_ADMIN",
        _ => "the kernel refused the batch as a whole",
    };
    format!("{why}; nothing was applied")
}
