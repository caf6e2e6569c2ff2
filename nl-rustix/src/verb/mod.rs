//! Every typed verb as an I/O-free value, which both drivers run.
//!
//! A [`Verb`] says what to send, what its answer decodes into (the owned
//! types [`Conn`](crate::Conn)'s verbs return), and which link names it
//! must resolve first. It is a small state machine: the driver asks it for
//! its first [`Step`], carries out each [`Step::Send`] (one request, whose
//! [`Answer`] it hands back) or [`Step::Batch`] (many requests, sent as
//! [`Conn::batch`](crate::Conn::batch) sends them, whose results it hands
//! back), until it reaches [`Step::Done`]. Nothing in a verb blocks or
//! touches a socket, so the blocking [`Conn`](crate::Conn) runs it as a
//! loop that sends and waits ([`Conn::run`](crate::Conn::run)), and
//! nl-mio's `Conn` runs it between other work in a readiness loop: each
//! verb's request building and answer decoding exists once.
//!
//! A verb on a link *name* (`addresses_of("eth0", …)`, `add_route` with a
//! `dev`) first sends a link get and then, with the index it answered,
//! the real request. Errors are the blocking verbs' own: a name that does
//! not exist fails with [`Error::NoSuchLink`], a malformed one with
//! [`Error::Invalid`] before anything is sent.
//!
//! ```
//! use nl_rustix::verb::{self, Step, Verb};
//! let mut v = verb::addresses_of("eth0", None);
//! // A name: the first request is the link get that resolves it.
//! let sock = nl_rustix::Socket::open(nl_rustix::Protocol::Route)?;
//! let mut families = nl_rustix::verb::Families::default();
//! assert!(matches!(v.start(&mut verb::Context::new(&sock, &mut families)), Step::Send(_)));
//! # Ok::<(), nl_rustix::Error>(())
//! ```

mod addrlabel;
mod apply;
mod batch;
mod change;
mod genl;
mod link;
mod neigh;
pub mod nft;
mod nsid;
mod read;
mod tc;

pub use crate::genl::Families;
pub use addrlabel::{add_addr_label, addr_labels, delete_addr_label};
pub use apply::{
    Apply, One, add_neighbour, add_nexthop, add_rule, apply, delete_neighbour, delete_nexthop,
    delete_rule, replace_neighbour, replace_nexthop,
};
pub use batch::{BatchRun, Pushed};
pub use change::{
    Change, add_address, add_route, change_address, delete_address, delete_route, replace_address,
    replace_route, set_link_state,
};
pub use genl::{
    FamilyDump, Genl, ethtool_linkinfo, ethtool_linkmodes, genl_families, genl_family, genl_group,
    mptcp,
};
pub use link::{create_link, delete_link, link_altnames, move_link, set_link};
pub use neigh::{delete_proxy_neighbour, neighbour};
pub use nsid::{nsid_lookup, nsid_of, nsids, set_nsid};
pub use read::{
    Call, addresses, addresses_of, all_link_stats, link, link_index, link_is_up, link_stats, links,
    neighbours, nexthop, nexthops, route_get, route_lookup, route_lookup_full, routes, routes_full,
    rules,
};
pub use tc::{
    qdiscs, tc_chain_delete, tc_chain_get, tc_chain_new, tc_chains, tc_delete, tc_dump, tc_get,
    tc_new,
};

use crate::engine::{Answer, RequestOptions};
use crate::{Encode, Error, Socket};
use nl_proto::EncodeError;
use nl_proto::session::Request as Encoded;
use nl_proto::wire::MsgWriter;

/// What a request's answer is, so a driver reads it the cheapest way
/// (see [`Conn`](crate::Conn), "Receiving").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expecting {
    /// Replies of any size (a dump): read with a size peek.
    Replies,
    /// One reply to a read, then its acknowledgement (a GET).
    OneReply,
    /// Only an acknowledgement (a change): replies are dropped.
    Ack,
}

/// One request a verb wants sent: an encoder value and its options.
pub struct Request {
    encode: Box<dyn Encode + Send>,
    /// What its answer is.
    pub expecting: Expecting,
    /// How the driver should queue it.
    pub opts: RequestOptions,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("expecting", &self.expecting)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request answered by replies of any size (a dump, or an echo).
    pub fn new(encode: impl crate::EncodeClosure + Send + 'static) -> Self {
        Self::expecting(encode, Expecting::Replies)
    }

    /// A read answered by one reply (a GET).
    pub fn get(encode: impl crate::EncodeClosure + Send + 'static) -> Self {
        Self::expecting(encode, Expecting::OneReply)
    }

    /// A change answered by an acknowledgement.
    pub fn ack(encode: impl crate::EncodeClosure + Send + 'static) -> Self {
        let mut r = Self::expecting(encode, Expecting::Ack);
        r.opts = RequestOptions::new().discard_replies();
        r
    }

    fn expecting(encode: impl crate::EncodeClosure + Send + 'static, e: Expecting) -> Self {
        Self {
            encode: Box::new(encode),
            expecting: e,
            opts: RequestOptions::new(),
        }
    }

    /// The encoder and the options, for a driver that queues them apart.
    pub fn into_parts(self) -> (Box<dyn Encode + Send>, RequestOptions) {
        (self.encode, self.opts)
    }
}

impl Encode for Request {
    fn encode<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Encoded<'w>, EncodeError> {
        self.encode.encode(w)
    }
}

/// The results of a [`Step::Batch`], one per request, in order (as
/// [`Conn::batch`](crate::Conn::batch) returns them); the outer error is
/// I/O that left the outcome of the rest unknown.
pub type BatchResults = Result<Vec<Result<(), Error>>, Error>;

/// What a verb wants next.
#[derive(Debug)]
pub enum Step<T> {
    /// Send this request and pass its answer to [`Verb::on_answer`].
    Send(Request),
    /// Send these requests as [`Conn::batch`](crate::Conn::batch) does
    /// (packed into few datagrams; nfnetlink batches as transactions) and
    /// pass their results to [`Verb::on_batch`].
    Batch(Vec<Request>),
    /// The verb is finished. (Boxed: a verb's output can be kilobytes,
    /// a [`Link`](nl_proto::route::link::Link) is 1.7 KiB, and a step is
    /// moved through every layer of the state machine.)
    Done(Box<Result<T, Error>>),
}

impl<T> Step<T> {
    /// The verb is finished with `result`.
    pub fn done(result: Result<T, Error>) -> Self {
        Step::Done(Box::new(result))
    }

    /// The same step with its result mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Step<U> {
        match self {
            Step::Send(r) => Step::Send(r),
            Step::Batch(r) => Step::Batch(r),
            Step::Done(r) => Step::done((*r).map(f)),
        }
    }
}

/// What a verb may know of the connection it runs on: the namespace its
/// errors name, and the generic netlink families resolved on it.
#[derive(Debug)]
pub struct Context<'a> {
    sock: &'a Socket,
    families: &'a mut Families,
}

impl<'a> Context<'a> {
    /// The context of a connection over `sock` that keeps `families`.
    pub fn new(sock: &'a Socket, families: &'a mut Families) -> Self {
        Self { sock, families }
    }

    /// The socket (its protocol and namespace, for errors).
    pub fn socket(&self) -> &Socket {
        self.sock
    }

    /// The generic netlink families resolved on this connection.
    pub fn families(&mut self) -> &mut Families {
        self.families
    }
}

/// A typed verb as a state machine (see the [module](self) docs).
pub trait Verb: Send {
    /// What the verb returns.
    type Output: Send + 'static;
    /// Whether the verb may ask for a [`Step::Batch`]. One that never
    /// does says `false`, and a driver running it then links no batch
    /// machinery (what keeps a small program small).
    const BATCHES: bool = true;
    /// The first step.
    fn start(&mut self, cx: &mut Context<'_>) -> Step<Self::Output>;
    /// The next step, given the answer to the request of the last
    /// [`Step::Send`].
    fn on_answer(
        &mut self,
        answer: Result<&Answer, Error>,
        cx: &mut Context<'_>,
    ) -> Step<Self::Output>;
    /// The next step, given the results of the last [`Step::Batch`]. A
    /// verb that sends no batch never gets one.
    fn on_batch(&mut self, results: BatchResults, cx: &mut Context<'_>) -> Step<Self::Output> {
        let _ = (results, cx);
        Step::done(Err(Error::Unexpected(
            "batch results for a verb that sent no batch",
        )))
    }
}

/// A verb whose output is mapped by a function: a one-object verb
/// (`add_route`) is the batch verb of one operation, its one result
/// taken out.
pub struct Map<V, F> {
    verb: V,
    f: Option<F>,
}

impl<V, F> std::fmt::Debug for Map<V, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Map").finish_non_exhaustive()
    }
}

impl<V, F> Map<V, F> {
    /// `verb`, its result then passed through `f`.
    pub fn new(verb: V, f: F) -> Self {
        Self { verb, f: Some(f) }
    }
}

impl<V, F, T> Map<V, F>
where
    V: Verb,
    F: FnOnce(Result<V::Output, Error>) -> Result<T, Error> + Send,
    T: Send + 'static,
{
    fn then(&mut self, step: Step<V::Output>) -> Step<T> {
        match step {
            Step::Send(r) => Step::Send(r),
            Step::Batch(r) => Step::Batch(r),
            Step::Done(out) => match self.f.take() {
                Some(f) => Step::done(f(*out)),
                None => Step::done(Err(Error::Unexpected("a verb that already finished"))),
            },
        }
    }
}

impl<V, F, T> Verb for Map<V, F>
where
    V: Verb,
    F: FnOnce(Result<V::Output, Error>) -> Result<T, Error> + Send,
    T: Send + 'static,
{
    type Output = T;
    const BATCHES: bool = V::BATCHES;

    fn start(&mut self, cx: &mut Context<'_>) -> Step<T> {
        let step = self.verb.start(cx);
        self.then(step)
    }

    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<T> {
        let step = self.verb.on_answer(answer, cx);
        self.then(step)
    }

    fn on_batch(&mut self, results: BatchResults, cx: &mut Context<'_>) -> Step<T> {
        let step = self.verb.on_batch(results, cx);
        self.then(step)
    }
}
