//! Running nl-rustix's typed verbs on the readiness [`Conn`]: each is an
//! I/O-free [`Verb`] value of [`nl_rustix::verb`], so every verb is
//! defined once for both drivers.
//!
//! A verb method (`conn.links()`, `conn.add_route(&spec)`, …) takes the
//! blocking verb's arguments, queues the verb's first request(s) and
//! returns a [`Call`] handle; [`Conn::poll_call`] gives its result, of the
//! blocking verb's type, once the loop has carried its requests. A verb
//! on a link name sends the link get that resolves it first, then the
//! real request, without blocking; a verb that sends many requests
//! (`apply`, nf_tables transactions) has them queued as the blocking
//! `Conn::batch` would send them, through the same
//! [`BatchRun`](nl_rustix::verb::BatchRun).

use crate::Conn;
use nl_rustix::Error;
use nl_rustix::engine::{Answer, RequestId};
use nl_rustix::verb::{BatchRun, Context, Pushed, Request, Step, Verb};
use std::any::Any;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::marker::PhantomData;

/// A verb in flight on a [`Conn`]; [`Conn::poll_call`] gives its result.
#[derive(Debug)]
#[must_use = "a call's result is collected with Conn::poll_call"]
pub struct Call<T> {
    id: u64,
    _output: PhantomData<fn() -> T>,
}

type Output = Box<dyn Any + Send>;

/// A verb with its output type erased, so calls of every type share one
/// table.
trait Running: Send {
    fn start(&mut self, cx: &mut Context<'_>) -> Step<Output>;
    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<Output>;
    fn on_batch(
        &mut self,
        results: Result<Vec<Result<(), Error>>, Error>,
        cx: &mut Context<'_>,
    ) -> Step<Output>;
}

struct Erased<V>(V);

fn erase<T: Send + 'static>(step: Step<T>) -> Step<Output> {
    step.map(|v| Box::new(v) as Output)
}

impl<V: Verb> Running for Erased<V> {
    fn start(&mut self, cx: &mut Context<'_>) -> Step<Output> {
        erase(self.0.start(cx))
    }
    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<Output> {
        erase(self.0.on_answer(answer, cx))
    }
    fn on_batch(
        &mut self,
        results: Result<Vec<Result<(), Error>>, Error>,
        cx: &mut Context<'_>,
    ) -> Step<Output> {
        erase(self.0.on_batch(results, cx))
    }
}

/// A verb's batch on its way: the requests not queued yet (the send
/// queue was full), and the results of those that were.
struct Batch {
    running: Box<dyn Running>,
    run: BatchRun,
    pending: VecDeque<Request>,
}

/// The verbs a connection is running, and completions of raw requests
/// met while routing answers to them.
#[derive(Default)]
pub(crate) struct Calls {
    next: u64,
    waiting: HashMap<RequestId, (u64, Box<dyn Running>)>,
    batches: HashMap<u64, Batch>,
    done: HashMap<u64, Result<Output, Error>>,
    raw: VecDeque<(RequestId, Result<Answer, Error>)>,
}

impl std::fmt::Debug for Calls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calls")
            .field("waiting", &self.waiting.len())
            .field("batches", &self.batches.len())
            .field("done", &self.done.len())
            .field("raw", &self.raw.len())
            .finish()
    }
}

impl Calls {
    /// Whether any verb waits for the answer to a request (one it sent
    /// alone, or one of its batch).
    pub(crate) fn any_waiting(&self) -> bool {
        !self.waiting.is_empty() || !self.batches.is_empty()
    }

    /// The next raw (non-verb) completion set aside while routing.
    pub(crate) fn pop_raw(&mut self) -> Option<(RequestId, Result<Answer, Error>)> {
        self.raw.pop_front()
    }
}

impl Conn {
    /// Start `verb`: queue its first request(s). Any [`Verb`] runs here,
    /// including ones written outside nl-rustix.
    ///
    /// ```no_run
    /// use nl_mio::Conn;
    /// use nl_mio::mio::{Interest, Poll, Token};
    /// use nl_rustix::verb;
    /// let mut poll = Poll::new()?;
    /// let mut conn = Conn::open()?;
    /// poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// // The same as `conn.links()`.
    /// let call = conn.call(verb::links())?;
    /// let links = conn.wait(&mut poll, &call)?;
    /// # let _ = links;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::submit`], for its first request; a verb that fails
    /// before sending anything (a malformed name) reports that through
    /// [`Conn::poll_call`].
    pub fn call<V: Verb + 'static>(&mut self, verb: V) -> Result<Call<V::Output>, Error> {
        let id = self.calls.next;
        self.calls.next += 1;
        let mut running: Box<dyn Running> = Box::new(Erased(verb));
        let step = running.start(&mut self.context());
        self.advance(id, running, step)?;
        Ok(Call {
            id,
            _output: PhantomData,
        })
    }

    /// The result of `call`, once its last answer came (`None` until
    /// then). Collect it once: later polls return `None`.
    pub fn poll_call<T: 'static>(&mut self, call: &Call<T>) -> Option<Result<T, Error>> {
        self.route_completions();
        let out = self.calls.done.remove(&call.id)?;
        Some(out.and_then(|v| {
            v.downcast::<T>()
                .map(|b| *b)
                .map_err(|_| Error::Unexpected("call result of another type"))
        }))
    }

    /// Run the poll loop until `call` has its result, and return it: for
    /// a `poll` that holds only this connection (a test, an example, a
    /// one-off call in a program that has no loop of its own yet).
    /// Events of other sources registered with `poll` are consumed and
    /// lost. The connection must be registered with `poll`.
    ///
    /// # Errors
    ///
    /// The call's error, or [`Error::Sys`] if polling or receiving fails.
    pub fn wait<T: 'static>(&mut self, poll: &mut mio::Poll, call: &Call<T>) -> Result<T, Error> {
        let mut events = mio::Events::with_capacity(8);
        loop {
            if let Some(out) = self.poll_call(call) {
                return out;
            }
            self.flush()?;
            match poll.poll(&mut events, self.timeout()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io("poll", &e)),
            }
            if !events.is_empty() {
                self.receive()?;
            }
            self.handle_timeout(std::time::Instant::now());
        }
    }

    /// Feed every completion waiting in the pipeline to the verb that
    /// asked for it; keep the others for [`Conn::poll_completion`].
    pub(crate) fn route_completions(&mut self) {
        // Raw completions stay in the pipeline until polled, unless a
        // verb waits behind them.
        while self.calls.any_waiting()
            && let Some((req, answer)) = self.pipeline.poll_completion()
        {
            if let Some((id, mut running)) = self.calls.waiting.remove(&req) {
                let step = match answer {
                    Ok(a) => running.on_answer(Ok(&a), &mut self.context()),
                    Err(e) => running.on_answer(Err(e), &mut self.context()),
                };
                if let Err(e) = self.advance(id, running, step) {
                    self.calls.done.insert(id, Err(e));
                }
                continue;
            }
            let owner = self
                .calls
                .batches
                .iter()
                .find(|(_, b)| b.run.owns(req))
                .map(|(&id, _)| id);
            match owner.and_then(|id| self.calls.batches.remove(&id).map(|b| (id, b))) {
                Some((id, mut batch)) => {
                    batch.run.complete(req, answer);
                    self.push_batch(id, batch);
                }
                None => self.calls.raw.push_back((req, answer)),
            }
        }
    }

    fn context(&mut self) -> Context<'_> {
        Context::new(self.sock.get_ref(), &mut self.families)
    }

    fn advance(
        &mut self,
        id: u64,
        running: Box<dyn Running>,
        step: Step<Output>,
    ) -> Result<(), Error> {
        match step {
            Step::Done(out) => {
                self.calls.done.insert(id, *out);
            }
            Step::Send(request) => {
                let (encode, opts) = request.into_parts();
                let req = self.submit_with(move |w| encode.encode(w), opts)?;
                self.calls.waiting.insert(req, (id, running));
            }
            Step::Batch(requests) => {
                let batch = Batch {
                    running,
                    run: BatchRun::new(),
                    pending: requests.into(),
                };
                self.push_batch(id, batch);
            }
        }
        Ok(())
    }

    /// Queue what the send queue takes of `batch`; once every request is
    /// queued and answered, hand the results to its verb.
    fn push_batch(&mut self, id: u64, mut batch: Batch) {
        let had_pending = !batch.pending.is_empty();
        while let Some(req) = batch.pending.front() {
            if batch.run.push(&mut self.pipeline, req) == Pushed::Full {
                break;
            }
            batch.pending.pop_front();
            if batch.pending.is_empty() {
                batch.run.finish(&mut self.pipeline);
            }
        }
        if had_pending && let Err(e) = self.update_interest() {
            self.calls.done.insert(id, Err(e));
            return;
        }
        if !batch.pending.is_empty() || !batch.run.is_done() {
            self.calls.batches.insert(id, batch);
            return;
        }
        let Batch {
            mut running, run, ..
        } = batch;
        let step = running.on_batch(Ok(run.into_results()), &mut self.context());
        if let Err(e) = self.advance(id, running, step) {
            self.calls.done.insert(id, Err(e));
        }
    }

    /// Queue more of the batches the send queue was too full for.
    pub(crate) fn resume_batches(&mut self) {
        let stalled: Vec<u64> = self
            .calls
            .batches
            .iter()
            .filter(|(_, b)| !b.pending.is_empty())
            .map(|(&id, _)| id)
            .collect();
        for id in stalled {
            if let Some(batch) = self.calls.batches.remove(&id) {
                self.push_batch(id, batch);
            }
        }
    }
}
