//! The read verbs: one request (a dump or a get), after at most one link
//! name resolved.

use super::{Context, Map, Request, Step, Verb};
use crate::engine::Answer;
use crate::error::LinkRole;
use crate::link::{decode_link, ifname};
use crate::route::listed;
use crate::{Error, LinkId, Tables};
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{self, Address};
use nl_proto::route::link::{self, Link, LinkRef};
use nl_proto::route::neigh::{self, Neighbour};
use nl_proto::route::nexthop::{self, Nexthop, NexthopDump};
use nl_proto::route::route::{self as rt, Route};
use nl_proto::route::route::{RouteExtras, RouteGet};
use nl_proto::route::rule::{self, Rule};
use nl_proto::route::stats::{self, LinkStats64};
use nl_proto::values::IfName;
use nl_proto::wire::Msg;
use std::net::IpAddr;

/// How many times a dump the kernel flagged as interrupted is run again,
/// as [`Conn::dump_collect`](crate::Conn::dump_collect) does.
const DUMP_ATTEMPTS: u32 = 3;

/// Builds the real request from the resolved link index (if any).
type Build = Box<dyn Fn(Option<u32>) -> Request + Send>;
/// Turns the real request's answer into the verb's result.
type Finish<T> = Box<dyn Fn(Option<u32>, Result<&Answer, Error>) -> Result<T, Error> + Send>;

/// The verbs of this module: at most one link name resolved, then one
/// request (run again while a dump comes back interrupted).
pub struct Call<T> {
    link: Option<LinkId>,
    /// The result, known before anything is sent (a malformed name).
    /// (Boxed: an output can be kilobytes, and the verb is moved.)
    early: Option<Box<Result<T, Error>>>,
    index: Option<u32>,
    resolving: bool,
    dump: bool,
    attempts: u32,
    /// `None`: the resolved index is all the verb asks.
    build: Option<Build>,
    finish: Finish<T>,
    /// What a refusal for want of privilege was refused.
    permission: Option<Box<dyn Fn() -> String + Send>>,
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
    /// A verb that resolves `link` (if any), then sends what `build`
    /// makes of its index (again while a `dump` comes back interrupted),
    /// and returns what `finish` makes of the answer.
    pub(crate) fn new(
        link: Option<LinkId>,
        dump: bool,
        build: impl Fn(Option<u32>) -> Request + Send + 'static,
        finish: impl Fn(Option<u32>, Result<&Answer, Error>) -> Result<T, Error> + Send + 'static,
    ) -> Self {
        let mut call = Self::bare(link, finish);
        call.dump = dump;
        call.build = Some(Box::new(build));
        call
    }

    /// Name `what` was refused, and where, when the kernel answers
    /// `EPERM` to the request.
    pub(crate) fn permission(mut self, what: impl Fn() -> String + Send + 'static) -> Self {
        self.permission = Some(Box::new(what));
        self
    }

    /// Fail with `e` before sending anything (an argument found bad
    /// while the verb was built).
    pub(crate) fn fail_early(mut self, e: Option<Error>) -> Self {
        self.early = e.map(|e| Box::new(Err(e)));
        self
    }

    /// A verb whose result is known without asking the kernel.
    pub(crate) fn finished(result: Result<T, Error>) -> Self {
        let mut call = Self::bare(None, |_, _| {
            Err(Error::Unexpected("a finished verb was answered"))
        });
        call.early = Some(Box::new(result));
        call
    }

    /// A verb with no request of its own: at most a link resolved.
    fn bare(
        link: Option<LinkId>,
        finish: impl Fn(Option<u32>, Result<&Answer, Error>) -> Result<T, Error> + Send + 'static,
    ) -> Self {
        Self {
            link,
            early: None,
            index: None,
            resolving: false,
            dump: false,
            attempts: 0,
            build: None,
            finish: Box::new(finish),
            permission: None,
        }
    }

    fn send_real(&mut self) -> Step<T> {
        self.attempts += 1;
        match &self.build {
            Some(build) => Step::Send(build(self.index)),
            None => Step::done((self.finish)(self.index, Ok(&Answer::empty()))),
        }
    }
}

impl Call<u32> {
    /// The index of a link name, from the resolution alone.
    fn resolution(id: LinkId) -> Self {
        Self::bare(Some(id), |index, _| {
            index.ok_or(Error::Unexpected("a link resolved to no index"))
        })
    }
}

impl<T: Send + 'static> Verb for Call<T> {
    type Output = T;
    // One request after at most one link get: never a batch.
    const BATCHES: bool = false;

    fn start(&mut self, _cx: &mut Context<'_>) -> Step<T> {
        if let Some(r) = self.early.take() {
            return Step::Done(r);
        }
        match &self.link {
            Some(LinkId::Index(i)) => self.index = Some(*i),
            Some(LinkId::Name(n)) => {
                let name = match ifname(n) {
                    Ok(name) => name,
                    Err(e) => return Step::done(Err(e)),
                };
                self.resolving = true;
                return Step::Send(link_get_by_name(name));
            }
            None => {}
        }
        self.send_real()
    }

    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<T> {
        if self.resolving {
            self.resolving = false;
            let id = self.link.clone().unwrap_or(LinkId::Index(0));
            // Only the index: resolving a name links no link decoder.
            match answer.and_then(|a| a.decode_one(Link::decode_index)) {
                Ok(i) => self.index = Some(i),
                Err(e) => return Step::done(Err(no_such_link(e, &id))),
            }
            return self.send_real();
        }
        if self.dump && self.attempts < DUMP_ATTEMPTS && matches!(&answer, Ok(a) if a.interrupted())
        {
            return self.send_real();
        }
        let answer = answer.map_err(|e| match &self.permission {
            Some(what) => e.not_permitted(cx.socket(), what),
            None => e,
        });
        Step::done((self.finish)(self.index, answer))
    }
}

fn link_get_by_name(name: IfName) -> Request {
    Request::get(move |w| link::encode_get(w, LinkRef::Name(&name)))
}

/// A link error as [`Conn::link`](crate::Conn::link) reports it.
pub(crate) fn no_such_link(e: Error, id: &LinkId) -> Error {
    e.link_missing(id, LinkRole::Link)
}

/// The index of a link: as [`Conn::link_index`](crate::Conn::link_index)
/// (an index is returned as it is, without asking the kernel).
pub fn link_index(id: impl Into<LinkId>) -> Call<u32> {
    match id.into() {
        LinkId::Index(i) => Call::finished(Ok(i)),
        // The resolution alone: only the index is decoded, so resolving
        // a name links no link decoder.
        id => Call::resolution(id),
    }
}

/// Whether a link is up: as [`Conn::link_is_up`](crate::Conn::link_is_up).
pub fn link_is_up(id: impl Into<LinkId>) -> Call<bool> {
    link_then(id.into(), |l| l.is_up())
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
    link_then(id.into(), |l| l)
}

/// A link get, its answer passed through `then`.
fn link_then<T: Send + 'static>(id: LinkId, then: impl Fn(Link) -> T + Send + 'static) -> Call<T> {
    // A get by name needs no resolution: the kernel looks the name up.
    let (name, early) = match &id {
        LinkId::Name(n) => match ifname(n) {
            Ok(name) => (Some(name), None),
            Err(e) => (None, Some(e)),
        },
        LinkId::Index(_) => (None, None),
    };
    let index = match id {
        LinkId::Index(i) => i,
        LinkId::Name(_) => 0,
    };
    Call::new(
        None,
        false,
        move |_| match &name {
            Some(n) => link_get_by_name(n.clone()),
            None => Request::get(move |w| link::encode_get(w, LinkRef::Index(index))),
        },
        move |_, a| match a.and_then(|a| a.decode_one(Link::decode)) {
            Ok(l) => Ok(then(l)),
            Err(e) => Err(no_such_link(e, &id)),
        },
    )
    .fail_early(early)
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
    route_dump(family, tables, Route::decode, |r| r)
}

/// Routes with their extras: as
/// [`Conn::routes_full`](crate::Conn::routes_full).
pub fn routes_full(family: Option<AddrFamily>, tables: Tables) -> Call<Vec<(Route, RouteExtras)>> {
    route_dump(family, tables, Route::decode_full, |(r, _)| r)
}

fn route_dump<T: Send + 'static>(
    family: Option<AddrFamily>,
    tables: Tables,
    decode: fn(&Msg<'_>) -> Result<T, nl_proto::DecodeError>,
    route: fn(&T) -> &Route,
) -> Call<Vec<T>> {
    let family = family.unwrap_or(AddrFamily::INET);
    let table = match tables {
        Tables::Id(t) => Some(t),
        Tables::All => None,
    };
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| rt::encode_dump(w, family, table)),
        move |_, a| match a.and_then(|a| a.decode(|m| listed(decode(m), route, table))) {
            // The kernel ends a filtered dump of a table that does not
            // exist (yet) with ENOENT; a table nothing was ever put in is
            // simply empty, as is an emptied one.
            Err(e) if e.errno() == Some(libc::ENOENT) && table.is_some() => Ok(Vec::new()),
            other => other,
        },
    )
}

/// The route the kernel would use for `dst`: as
/// [`Conn::route_get`](crate::Conn::route_get).
pub fn route_get(dst: IpAddr) -> Map<Call<(Route, RouteExtras)>, RouteOnly> {
    route_lookup(&RouteGet::new(dst))
}

/// The first of a route and its extras.
type RouteOnly = fn(Result<(Route, RouteExtras), Error>) -> Result<Route, Error>;

/// A route lookup: as [`Conn::route_lookup`](crate::Conn::route_lookup).
pub fn route_lookup(req: &RouteGet) -> Map<Call<(Route, RouteExtras)>, RouteOnly> {
    Map::new(route_lookup_full(req), |r| r.map(|(r, _)| r))
}

/// A route lookup with the route's extras: as
/// [`Conn::route_lookup_full`](crate::Conn::route_lookup_full).
pub fn route_lookup_full(req: &RouteGet) -> Call<(Route, RouteExtras)> {
    let req = *req;
    let dst = req.dst;
    Call::new(
        None,
        false,
        move |_| Request::get(move |w| rt::encode_get(w, &req)),
        move |_, a| {
            a.and_then(|a| a.decode_one(Route::decode_full))
                .map_err(|e| {
                    e.context(|errno| {
                        (errno == libc::ENETUNREACH).then(|| format!("no route to {dst}"))
                    })
                })
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
        move |_| Request::get(move |w| nexthop::encode_get(w, id)),
        move |_, a| {
            a.and_then(|a| a.decode_one(Nexthop::decode)).map_err(|e| {
                e.context(|errno| (errno == libc::ENOENT).then(|| format!("no nexthop {id}")))
            })
        },
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
            Request::get(move |w| stats::encode_get(w, index))
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
