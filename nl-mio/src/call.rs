//! nl-rustix's typed verbs on the readiness [`Conn`], run as the
//! I/O-free [`Verb`] values of [`nl_rustix::verb`], so each verb is
//! defined once for both drivers.
//!
//! A verb method (`conn.links()`, `conn.addresses_of("veth0", None)`, …)
//! takes the blocking verb's arguments, queues the verb's first request and
//! returns a [`Call`] handle; [`Conn::poll_call`] gives its result, of the
//! blocking verb's type, once the loop has carried its requests. A verb
//! on a link name sends the link get that resolves it first, then the
//! real request, without blocking.

use crate::Conn;
use nl_rustix::engine::{Answer, RequestId};
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Address;
use nl_rustix::nl_proto::route::link::Link;
use nl_rustix::nl_proto::route::neigh::Neighbour;
use nl_rustix::nl_proto::route::nexthop::{Nexthop, NexthopDump};
use nl_rustix::nl_proto::route::route::Route;
use nl_rustix::nl_proto::route::rule::Rule;
use nl_rustix::nl_proto::route::stats::LinkStats64;
use nl_rustix::verb::{self, Step, Verb};
use nl_rustix::{Error, LinkId, Tables};
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
    fn start(&mut self) -> Step<Output>;
    fn on_answer(&mut self, answer: Result<Answer, Error>) -> Step<Output>;
}

struct Erased<V>(V);

fn erase<T: Send + 'static>(step: Step<T>) -> Step<Output> {
    match step {
        Step::Send(r) => Step::Send(r),
        Step::Done(r) => Step::Done(r.map(|v| Box::new(v) as Output)),
    }
}

impl<V: Verb> Running for Erased<V> {
    fn start(&mut self) -> Step<Output> {
        erase(self.0.start())
    }
    fn on_answer(&mut self, answer: Result<Answer, Error>) -> Step<Output> {
        erase(self.0.on_answer(answer))
    }
}

/// The verbs a connection is running, and completions of raw requests
/// met while routing answers to them.
#[derive(Default)]
pub(crate) struct Calls {
    next: u64,
    waiting: HashMap<RequestId, (u64, Box<dyn Running>)>,
    done: HashMap<u64, Result<Output, Error>>,
    raw: VecDeque<(RequestId, Result<Answer, Error>)>,
}

impl std::fmt::Debug for Calls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calls")
            .field("waiting", &self.waiting.len())
            .field("done", &self.done.len())
            .field("raw", &self.raw.len())
            .finish()
    }
}

impl Calls {
    /// Whether any verb waits for the answer to a request.
    pub(crate) fn any_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// The next raw (non-verb) completion set aside while routing.
    pub(crate) fn pop_raw(&mut self) -> Option<(RequestId, Result<Answer, Error>)> {
        self.raw.pop_front()
    }
}

impl Conn {
    /// Start `verb`: queue its first request. Any [`Verb`] runs here,
    /// including ones written outside nl-rustix.
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
        let step = running.start();
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

    /// Feed every completion waiting in the pipeline to the verb that
    /// asked for it; keep the others for [`Conn::poll_completion`].
    pub(crate) fn route_completions(&mut self) {
        // Raw completions stay in the pipeline until polled, unless a
        // verb waits behind them.
        while self.calls.any_waiting()
            && let Some((req, answer)) = self.pipeline.poll_completion()
        {
            match self.calls.waiting.remove(&req) {
                Some((id, mut running)) => {
                    let step = running.on_answer(answer);
                    if let Err(e) = self.advance(id, running, step) {
                        self.calls.done.insert(id, Err(e));
                    }
                }
                None => self.calls.raw.push_back((req, answer)),
            }
        }
    }

    fn advance(
        &mut self,
        id: u64,
        running: Box<dyn Running>,
        step: Step<Output>,
    ) -> Result<(), Error> {
        match step {
            Step::Done(out) => {
                self.calls.done.insert(id, out);
            }
            Step::Send(request) => {
                let (encode, opts) = request.into_parts();
                let req = self.submit_with(move |w| encode.encode(w), opts)?;
                self.calls.waiting.insert(req, (id, running));
            }
        }
        Ok(())
    }

    /// All links: as [`nl_rustix::Conn::links`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn links(&mut self) -> Result<Call<Vec<Link>>, Error> {
        self.call(verb::links())
    }

    /// One link: as [`nl_rustix::Conn::link`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link(&mut self, id: impl Into<LinkId>) -> Result<Call<Link>, Error> {
        self.call(verb::link(id))
    }

    /// Every address: as [`nl_rustix::Conn::addresses`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn addresses(&mut self, family: Option<AddrFamily>) -> Result<Call<Vec<Address>>, Error> {
        self.call(verb::addresses(family))
    }

    /// One link's addresses: as [`nl_rustix::Conn::addresses_of`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn addresses_of(
        &mut self,
        link: impl Into<LinkId>,
        family: Option<AddrFamily>,
    ) -> Result<Call<Vec<Address>>, Error> {
        self.call(verb::addresses_of(link, family))
    }

    /// Routes: as [`nl_rustix::Conn::routes`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn routes(
        &mut self,
        family: Option<AddrFamily>,
        tables: Tables,
    ) -> Result<Call<Vec<Route>>, Error> {
        self.call(verb::routes(family, tables))
    }

    /// Neighbour entries: as [`nl_rustix::Conn::neighbours`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn neighbours(
        &mut self,
        family: Option<AddrFamily>,
        link: Option<LinkId>,
    ) -> Result<Call<Vec<Neighbour>>, Error> {
        self.call(verb::neighbours(family, link))
    }

    /// Rules: as [`nl_rustix::Conn::rules`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn rules(&mut self, family: Option<AddrFamily>) -> Result<Call<Vec<Rule>>, Error> {
        self.call(verb::rules(family))
    }

    /// Nexthops: as [`nl_rustix::Conn::nexthops`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nexthops(&mut self, filter: &NexthopDump) -> Result<Call<Vec<Nexthop>>, Error> {
        self.call(verb::nexthops(filter))
    }

    /// One nexthop: as [`nl_rustix::Conn::nexthop`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nexthop(&mut self, id: u32) -> Result<Call<Nexthop>, Error> {
        self.call(verb::nexthop(id))
    }

    /// One link's statistics: as [`nl_rustix::Conn::link_stats`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link_stats(&mut self, id: impl Into<LinkId>) -> Result<Call<LinkStats64>, Error> {
        self.call(verb::link_stats(id))
    }

    /// Every link's statistics: as [`nl_rustix::Conn::all_link_stats`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn all_link_stats(&mut self) -> Result<Call<Vec<(u32, LinkStats64)>>, Error> {
        self.call(verb::all_link_stats())
    }
}
