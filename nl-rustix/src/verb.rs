//! Typed verbs as I/O-free values, for drivers that do not block.
//!
//! A [`Verb`] says what to send, what its answer decodes into (the same
//! owned types [`Conn`](crate::Conn)'s verbs return), and which link name
//! it must resolve to an index first. It is a tiny state machine: the
//! driver asks it for its first [`Step`], sends each [`Step::Send`]
//! request and hands the request's answer back, until it reaches
//! [`Step::Done`]. A verb on a link *name* (`addresses_of("eth0", …)`)
//! first sends a link get and then, with the index it answered, the real
//! request; nothing blocks, so a readiness loop (nl-mio's `Conn`) runs it
//! between other work.
//!
//! Errors are the blocking verbs' own: a name that does not exist fails
//! with `ENODEV` reading `no such interface "NAME"`, a malformed one with
//! [`Error::Invalid`] before anything is sent.
//!
//! ```
//! use nl_rustix::verb::{self, Step, Verb};
//! let mut v = verb::addresses_of("eth0", None);
//! // A name: the first request is the link get that resolves it.
//! assert!(matches!(v.start(), Step::Send(_)));
//! ```

use crate::engine::{Answer, RequestOptions};
use crate::error::LinkRole;
use crate::link::{decode_link, ifname};
use crate::route::listed;
use crate::{Encode, Error, LinkId, Tables};
use nl_proto::EncodeError;
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{self, Address};
use nl_proto::route::link::{self, Link, LinkRef};
use nl_proto::route::neigh::{self, Neighbour};
use nl_proto::route::nexthop::{self, Nexthop, NexthopDump};
use nl_proto::route::route::{self as rt, Route};
use nl_proto::route::rule::{self, Rule};
use nl_proto::route::stats::{self, LinkStats64};
use nl_proto::session::Request as Encoded;
use nl_proto::values::IfName;
use nl_proto::wire::MsgWriter;

/// How many times a dump the kernel flagged as interrupted is run again,
/// as [`Conn::dump_collect`](crate::Conn::dump_collect) does.
const DUMP_ATTEMPTS: u32 = 3;

/// One request a verb wants sent: an encoder value and its options.
pub struct Request {
    encode: Box<dyn Encode + Send>,
    /// How the driver should queue it.
    pub opts: RequestOptions,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request").finish_non_exhaustive()
    }
}

impl Request {
    fn new(encode: impl crate::EncodeClosure + Send + 'static) -> Self {
        Self {
            encode: Box::new(encode),
            opts: RequestOptions::new(),
        }
    }
}

impl Request {
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

/// What a verb wants next.
#[derive(Debug)]
pub enum Step<T> {
    /// Send this request and pass its answer to [`Verb::on_answer`].
    Send(Request),
    /// The verb is finished.
    Done(Result<T, Error>),
}

/// A typed verb as a state machine (see the [module](self) docs).
pub trait Verb: Send {
    /// What the verb returns.
    type Output: Send + 'static;
    /// The first step.
    fn start(&mut self) -> Step<Self::Output>;
    /// The next step, given the answer to the request of the last
    /// [`Step::Send`].
    fn on_answer(&mut self, answer: Result<Answer, Error>) -> Step<Self::Output>;
}

/// Builds the real request from the resolved link index (if any).
type Build = Box<dyn Fn(Option<u32>) -> Request + Send>;
/// Turns the real request's answer into the verb's result.
type Finish<T> = Box<dyn Fn(Option<u32>, Result<Answer, Error>) -> Result<T, Error> + Send>;

/// The verbs of this module: at most one link name resolved, then one
/// request (run again while a dump comes back interrupted).
pub struct Call<T> {
    link: Option<LinkId>,
    /// An error found before anything is sent (a malformed name).
    early: Option<Error>,
    index: Option<u32>,
    resolving: bool,
    dump: bool,
    attempts: u32,
    build: Build,
    finish: Finish<T>,
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("link", &self.link)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Call<T> {
    fn new(
        link: Option<LinkId>,
        dump: bool,
        build: impl Fn(Option<u32>) -> Request + Send + 'static,
        finish: impl Fn(Option<u32>, Result<Answer, Error>) -> Result<T, Error> + Send + 'static,
    ) -> Self {
        Self {
            link,
            early: None,
            index: None,
            resolving: false,
            dump,
            attempts: 0,
            build: Box::new(build),
            finish: Box::new(finish),
        }
    }

    fn send_real(&mut self) -> Step<T> {
        self.attempts += 1;
        Step::Send((self.build)(self.index))
    }
}

impl<T: Send + 'static> Verb for Call<T> {
    type Output = T;

    fn start(&mut self) -> Step<T> {
        if let Some(e) = self.early.take() {
            return Step::Done(Err(e));
        }
        match &self.link {
            Some(LinkId::Index(i)) => self.index = Some(*i),
            Some(LinkId::Name(n)) => {
                let name = match ifname(n) {
                    Ok(name) => name,
                    Err(e) => return Step::Done(Err(e)),
                };
                self.resolving = true;
                return Step::Send(link_get_by_name(name));
            }
            None => {}
        }
        self.send_real()
    }

    fn on_answer(&mut self, answer: Result<Answer, Error>) -> Step<T> {
        if self.resolving {
            self.resolving = false;
            let id = self.link.clone().unwrap_or(LinkId::Index(0));
            match answer.and_then(|a| a.decode_one(Link::decode)) {
                Ok(l) => self.index = Some(l.index),
                Err(e) => return Step::Done(Err(no_such_link(e, &id))),
            }
            return self.send_real();
        }
        if self.dump && self.attempts < DUMP_ATTEMPTS && matches!(&answer, Ok(a) if a.interrupted())
        {
            return self.send_real();
        }
        Step::Done((self.finish)(self.index, answer))
    }
}

fn link_get_by_name(name: IfName) -> Request {
    Request::new(move |w| link::encode_get(w, LinkRef::Name(&name)))
}

/// A link error as [`Conn::link`](crate::Conn::link) reports it.
pub(crate) fn no_such_link(e: Error, id: &LinkId) -> Error {
    e.link_missing(id, LinkRole::Link)
}

/// All links: as [`Conn::links`](crate::Conn::links).
pub fn links() -> Call<Vec<Link>> {
    Call::new(
        None,
        true,
        |_| Request::new(link::encode_dump),
        |_, a| a?.decode(decode_link),
    )
}

/// One link: as [`Conn::link`](crate::Conn::link).
pub fn link(id: impl Into<LinkId>) -> Call<Link> {
    let id = id.into();
    // A get by name needs no resolution: the kernel looks the name up.
    let target = match &id {
        LinkId::Name(n) => match ifname(n) {
            Ok(name) => Ok(Some(name)),
            Err(e) => Err(e),
        },
        LinkId::Index(_) => Ok(None),
    };
    let index = match id {
        LinkId::Index(i) => i,
        LinkId::Name(_) => 0,
    };
    let (name, early) = match target {
        Ok(name) => (name, None),
        Err(e) => (None, Some(e)),
    };
    let mut call = Call::new(
        None,
        false,
        move |_| match &name {
            Some(n) => link_get_by_name(n.clone()),
            None => Request::new(move |w| link::encode_get(w, LinkRef::Index(index))),
        },
        move |_, a| {
            a.and_then(|a| a.decode_one(Link::decode))
                .map_err(|e| no_such_link(e, &id))
        },
    );
    call.early = early;
    call
}

/// Every address: as [`Conn::addresses`](crate::Conn::addresses).
pub fn addresses(family: Option<AddrFamily>) -> Call<Vec<Address>> {
    let f = family.unwrap_or(AddrFamily::UNSPEC);
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| addr::encode_dump(w, f, None)),
        |_, a| a?.decode(Address::decode_ip),
    )
}

/// The addresses of one link: as
/// [`Conn::addresses_of`](crate::Conn::addresses_of).
pub fn addresses_of(link: impl Into<LinkId>, family: Option<AddrFamily>) -> Call<Vec<Address>> {
    let f = family.unwrap_or(AddrFamily::UNSPEC);
    Call::new(
        Some(link.into()),
        true,
        move |index| Request::new(move |w| addr::encode_dump(w, f, index)),
        |index, a| a?.decode(|m| Ok(Address::decode_ip(m)?.filter(|x| Some(x.index) == index))),
    )
}

/// Routes: as [`Conn::routes`](crate::Conn::routes).
pub fn routes(family: Option<AddrFamily>, tables: Tables) -> Call<Vec<Route>> {
    let family = family.unwrap_or(AddrFamily::INET);
    let table = match tables {
        Tables::Id(t) => Some(t),
        Tables::All => None,
    };
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| rt::encode_dump(w, family, table)),
        move |_, a| match a.and_then(|a| a.decode(|m| listed(Route::decode(m), |r| r, table))) {
            // As the blocking verb: a table that does not exist is empty.
            Err(e) if e.errno() == Some(libc::ENOENT) && table.is_some() => Ok(Vec::new()),
            other => other,
        },
    )
}

/// Neighbour entries: as [`Conn::neighbours`](crate::Conn::neighbours).
pub fn neighbours(family: Option<AddrFamily>, link: Option<LinkId>) -> Call<Vec<Neighbour>> {
    let f = family.unwrap_or(AddrFamily::UNSPEC);
    Call::new(
        link,
        true,
        move |index| Request::new(move |w| neigh::encode_dump(w, f, index)),
        |index, a| {
            a?.decode(|m| {
                Ok(Neighbour::decode_ip(m)?.filter(|n| index.is_none_or(|i| n.index == i)))
            })
        },
    )
}

/// Rules: as [`Conn::rules`](crate::Conn::rules).
pub fn rules(family: Option<AddrFamily>) -> Call<Vec<Rule>> {
    let f = family.unwrap_or(AddrFamily::INET);
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| rule::encode_dump(w, f)),
        |_, a| a?.decode(|m| Rule::decode(m).map(Some)),
    )
}

/// Nexthops: as [`Conn::nexthops`](crate::Conn::nexthops).
pub fn nexthops(filter: &NexthopDump) -> Call<Vec<Nexthop>> {
    let filter = *filter;
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| nexthop::encode_dump(w, &filter)),
        |_, a| a?.decode(|m| Nexthop::decode(m).map(Some)),
    )
}

/// One nexthop: as [`Conn::nexthop`](crate::Conn::nexthop).
pub fn nexthop(id: u32) -> Call<Nexthop> {
    Call::new(
        None,
        false,
        move |_| Request::new(move |w| nexthop::encode_get(w, id)),
        |_, a| a?.decode_one(Nexthop::decode),
    )
}

/// One link's statistics: as [`Conn::link_stats`](crate::Conn::link_stats).
pub fn link_stats(id: impl Into<LinkId>) -> Call<LinkStats64> {
    let id = id.into();
    let shown = id.clone();
    Call::new(
        Some(id),
        false,
        move |index| {
            let index = index.unwrap_or(0);
            Request::new(move |w| stats::encode_get(w, index))
        },
        move |_, a| {
            a.and_then(|a| a.decode_one(|m| stats::decode(m).map(|(_, s)| s)))
                .map_err(|e| no_such_link(e, &shown))
        },
    )
}

/// Every link's statistics: as
/// [`Conn::all_link_stats`](crate::Conn::all_link_stats).
pub fn all_link_stats() -> Call<Vec<(u32, LinkStats64)>> {
    Call::new(
        None,
        true,
        |_| Request::new(stats::encode_dump),
        |_, a| a?.decode(|m| stats::decode(m).map(Some)),
    )
}
