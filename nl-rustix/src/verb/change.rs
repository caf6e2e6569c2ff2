//! The one-object changes that need no batch: addresses, routes and a
//! link's state (`ip addr add|replace|change|del`, `ip route
//! add|replace|del`, `ip link set … up|down mtu N`).
//!
//! Each is a [`Change`]: the link names it uses resolved in turn (a link
//! get each, of which only the index is read), then its one request,
//! written by the object's own encoder, of which only the
//! acknowledgement is read. So a program that only sets links up, adds
//! addresses and routes links neither the batch ledger of [`apply`]
//! (which encodes every kind of [`Op`](crate::Op)) nor the full link
//! decoder: what a small init needs. Errors are named as [`apply`] names
//! them (a missing link is [`Error::NoSuchLink`], a refusal says what was
//! refused).
//!
//! [`apply`]: super::apply

use super::apply::link_get;
use super::{Context, Request, Step, Verb};
use crate::engine::Answer;
use crate::error::LinkRole;
use crate::{AddrSpec, Error, LinkId, RouteSpec, addr as addr_verbs, route as route_verbs};
use nl_proto::IpNet;
use nl_proto::route::addr;
use nl_proto::route::link::{self, Link};
use nl_proto::route::route::{self as rt, RouteMode};

/// Builds the request from the resolved indices (in the order of
/// [`Change::links`]) and the first link's name (when asked for).
type Build = Box<dyn Fn(&[u32], &str) -> Result<Request, Error> + Send>;

/// One change: its links resolved, then one request answered by an
/// acknowledgement.
pub struct Change {
    /// The links to resolve, in order.
    links: Vec<LinkId>,
    /// Whether the first link's name is needed (an address label starts
    /// with it); a link given by index is then asked for it.
    name_of_first: bool,
    indices: Vec<u32>,
    name: String,
    /// Known before anything is sent: an argument found bad.
    early: Option<Error>,
    sent: bool,
    build: Build,
    /// Names what went wrong in the kernel's refusal of the request.
    explain: Box<dyn Fn(Error) -> Error + Send>,
    /// What the change is, as a refusal for want of privilege names it.
    describe: Box<dyn Fn() -> String + Send>,
}

impl std::fmt::Debug for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Change")
            .field("links", &self.links)
            .field("indices", &self.indices)
            .finish_non_exhaustive()
    }
}

impl Change {
    fn new(
        links: Vec<LinkId>,
        build: impl Fn(&[u32], &str) -> Result<Request, Error> + Send + 'static,
        describe: impl Fn() -> String + Send + 'static,
    ) -> Self {
        Self {
            indices: Vec::with_capacity(links.len()),
            links,
            name_of_first: false,
            name: String::new(),
            early: None,
            sent: false,
            build: Box::new(build),
            explain: Box::new(|e| e),
            describe: Box::new(describe),
        }
    }

    fn explain(mut self, explain: impl Fn(Error) -> Error + Send + 'static) -> Self {
        self.explain = Box::new(explain);
        self
    }

    fn fail_early(mut self, e: Result<(), Error>) -> Self {
        self.early = e.err();
        self
    }

    /// Resolve the next link, or send the request once all are.
    fn next(&mut self) -> Step<()> {
        while let Some(id) = self.links.get(self.indices.len()) {
            let first = self.indices.is_empty();
            match id {
                LinkId::Index(i) if !(first && self.name_of_first) => self.indices.push(*i),
                _ => {
                    if let (true, LinkId::Name(n)) = (first, id) {
                        self.name.clone_from(n);
                    }
                    return match link_get(id) {
                        Ok(req) => Step::Send(req),
                        Err(e) => Step::done(Err(e)),
                    };
                }
            }
        }
        self.sent = true;
        match (self.build)(&self.indices, &self.name) {
            Ok(req) => Step::Send(req),
            Err(e) => Step::done(Err(e)),
        }
    }
}

impl Verb for Change {
    type Output = ();
    const BATCHES: bool = false;

    fn start(&mut self, _cx: &mut Context<'_>) -> Step<()> {
        match self.early.take() {
            Some(e) => Step::done(Err(e)),
            None => self.next(),
        }
    }

    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<()> {
        if self.sent {
            let done = answer
                .map(|_| ())
                .map_err(|e| (self.explain)(e.not_permitted(cx.socket(), || (self.describe)())));
            return Step::done(done);
        }
        let Some(id) = self.links.get(self.indices.len()) else {
            return Step::done(Err(Error::Unexpected("an answer no link get asked for")));
        };
        // Only the index, and the name when it was asked for by index:
        // no link decoder linked for it.
        let found = answer.and_then(|a| match id {
            LinkId::Index(_) => a.decode_one(Link::decode_identity).map(|(i, name)| {
                self.name = name.as_str().to_string();
                i
            }),
            LinkId::Name(_) => a.decode_one(Link::decode_index),
        });
        match found {
            Ok(i) => self.indices.push(i),
            Err(e) => return Step::done(Err(e.link_missing(id, LinkRole::Link))),
        }
        self.next()
    }
}

/// `ip link set dev LINK up|down [mtu N]`: a link's administrative state
/// (`up`: `Some(true)` up, `Some(false)` down, `None` left alone) and
/// MTU. What [`set_link`](super::set_link) does with a
/// [`LinkSet`](crate::LinkSet) of these two fields, without the code for
/// the others (kind options, namespaces, masters): the verb for a small
/// program.
///
/// ```no_run
/// use nl_rustix::{Conn, verb};
/// let mut conn = Conn::open()?;
/// conn.run(verb::set_link_state("lo", Some(true), None))?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::NoSuchLink`] for a link that does not exist, [`Error::Invalid`]
/// for a malformed name, the kernel's refusal.
pub fn set_link_state(id: impl Into<LinkId>, up: Option<bool>, mtu: Option<u32>) -> Change {
    let id = id.into();
    let (shown, missing) = (id.clone(), id.clone());
    Change::new(
        vec![id],
        move |ix, _| {
            let index = ix.first().copied().unwrap_or(0);
            Ok(Request::ack(move |w| {
                link::encode_set_state(w, index, up, mtu)
            }))
        },
        move || format!("change link {shown}"),
    )
    .explain(move |e| e.link_missing(&missing, LinkRole::Link))
}

/// `NLM_F_REPLACE` alone, as `ip addr change` sends it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AddrMode {
    Add,
    Replace,
    Change,
}

impl AddrMode {
    fn verb(self) -> &'static str {
        match self {
            AddrMode::Add => "add",
            AddrMode::Replace => "replace",
            AddrMode::Change => "change",
        }
    }
}

fn new_address(spec: &AddrSpec, mode: AddrMode) -> Change {
    let (s, shown, why) = (spec.clone(), spec.clone(), spec.clone());
    let mut change = Change::new(
        vec![spec.link.clone()],
        move |ix, name| {
            // The name is asked for only with a label (an empty one
            // otherwise, as `apply` checks).
            s.check(name)?;
            let mut req = s.to_new(ix.first().copied().unwrap_or(0), mode == AddrMode::Replace);
            req.change = mode == AddrMode::Change;
            let label = s.label.clone();
            Ok(Request::ack(move |w| {
                let mut req = req;
                req.label = label.as_deref();
                addr::encode_new(w, &req)
            }))
        },
        move || shown.describe(mode.verb()),
    )
    .explain(move |e| {
        e.context(|errno| match mode {
            AddrMode::Add => addr_verbs::add_context(errno, &why),
            _ => None,
        })
    });
    change.name_of_first = spec.label.is_some();
    change
}

/// `ip addr add`: as [`Conn::add_address`](crate::Conn::add_address).
pub fn add_address(spec: &AddrSpec) -> Change {
    new_address(spec, AddrMode::Add)
}

/// `ip addr replace`: as
/// [`Conn::replace_address`](crate::Conn::replace_address).
pub fn replace_address(spec: &AddrSpec) -> Change {
    new_address(spec, AddrMode::Replace)
}

/// `ip addr change`: as
/// [`Conn::change_address`](crate::Conn::change_address).
pub fn change_address(spec: &AddrSpec) -> Change {
    new_address(spec, AddrMode::Change)
}

/// `ip addr del`: as [`Conn::delete_address`](crate::Conn::delete_address).
pub fn delete_address(link: impl Into<LinkId>, prefix: IpNet) -> Change {
    let link = link.into();
    let (shown, why) = (link.clone(), link.clone());
    Change::new(
        vec![link],
        move |ix, _| {
            let index = ix.first().copied().unwrap_or(0);
            Ok(Request::ack(move |w| {
                addr::encode_del(w, index, prefix, None)
            }))
        },
        move || addr_verbs::describe_delete(&shown, prefix),
    )
    .explain(move |e| e.context(|errno| addr_verbs::delete_context(errno, &why, prefix)))
}

/// The links a route names, in order: its `dev`, then each leg's.
fn route_links(spec: &RouteSpec) -> Vec<LinkId> {
    spec.dev
        .iter()
        .chain(spec.nexthops.iter().filter_map(|h| h.dev.as_ref()))
        .cloned()
        .collect()
}

/// The route's `dev` index and its legs, from the indices of
/// [`route_links`].
fn route_parts(spec: &RouteSpec, ix: &[u32]) -> (Option<u32>, Vec<rt::Leg>) {
    let mut ix = ix.iter().copied();
    let oif = spec.dev.as_ref().and_then(|_| ix.next());
    let legs = spec
        .nexthops
        .iter()
        .map(|h| h.to_leg(h.dev.as_ref().and_then(|_| ix.next())))
        .collect();
    (oif, legs)
}

fn new_route(spec: &RouteSpec, mode: RouteMode, verb: &'static str) -> Change {
    let (s, shown, why) = (spec.clone(), spec.clone(), spec.clone());
    Change::new(
        route_links(spec),
        move |ix, _| {
            let (oif, legs) = route_parts(&s, ix);
            let req = s.to_new(oif);
            Ok(Request::ack(move |w| {
                rt::encode_new_multipath(w, &req, mode, &legs)
            }))
        },
        move || shown.describe(verb),
    )
    .explain(move |e| e.context(|errno| route_verbs::route_context(errno, &why)))
    .fail_early(spec.check())
}

/// `ip route add`: as [`Conn::add_route`](crate::Conn::add_route).
pub fn add_route(spec: &RouteSpec) -> Change {
    new_route(spec, RouteMode::Add, "add")
}

/// `ip route replace`: as [`Conn::replace_route`](crate::Conn::replace_route).
pub fn replace_route(spec: &RouteSpec) -> Change {
    new_route(spec, RouteMode::Replace, "replace")
}

/// `ip route del`: as [`Conn::delete_route`](crate::Conn::delete_route).
pub fn delete_route(spec: &RouteSpec) -> Change {
    let (s, shown, why) = (spec.clone(), spec.clone(), spec.clone());
    Change::new(
        route_links(spec),
        move |ix, _| {
            let (oif, legs) = route_parts(&s, ix);
            let req = s.to_del(oif);
            Ok(Request::ack(move |w| {
                rt::encode_del_multipath(w, &req, &legs)
            }))
        },
        move || shown.describe("delete"),
    )
    .explain(move |e| e.context(|errno| route_verbs::route_context(errno, &why)))
    .fail_early(spec.check())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verb::{Expecting, Families};
    use crate::{Protocol, Socket};

    /// A route's `dev` and each leg's link are resolved in turn before
    /// the route is sent; a missing one fails the verb, named.
    #[test]
    fn a_missing_link_fails_the_change_before_it_is_sent() {
        let sock = Socket::open(Protocol::Route).expect("a netlink socket");
        let mut families = Families::default();
        let cx = &mut Context::new(&sock, &mut families);
        let spec = RouteSpec::new("10.9.0.0/24".parse().unwrap()).dev("x0");
        let mut verb = replace_route(&spec);
        let Step::Send(get) = verb.start(cx) else {
            panic!("first the link get of x0");
        };
        assert_eq!(get.expecting, Expecting::OneReply);
        let missing = Error::no_such_link(&LinkId::from("x0"), LinkRole::Link);
        let Step::Done(out) = verb.on_answer(Err(missing), cx) else {
            panic!("then done, nothing sent");
        };
        assert!(matches!(*out, Err(Error::NoSuchLink { .. })), "{out:?}");
    }

    /// A link given by index needs no lookup: the change is the first
    /// request, answered by an acknowledgement.
    #[test]
    fn an_index_is_sent_as_it_is() {
        let sock = Socket::open(Protocol::Route).expect("a netlink socket");
        let mut families = Families::default();
        let cx = &mut Context::new(&sock, &mut families);
        let mut verb = set_link_state(1u32, Some(true), Some(1400));
        let Step::Send(req) = verb.start(cx) else {
            panic!("the link set itself");
        };
        assert_eq!(req.expecting, Expecting::Ack);
        // An address label needs the link's name: an index is asked.
        let spec = AddrSpec::new(1u32, "10.0.0.1/8".parse().unwrap()).label("lo:1");
        let Step::Send(get) = add_address(&spec).start(cx) else {
            panic!("first the link get of index 1");
        };
        assert_eq!(get.expecting, Expecting::OneReply);
    }

    /// A bad argument fails before anything is sent.
    #[test]
    fn a_bad_route_is_refused_before_sending() {
        let sock = Socket::open(Protocol::Route).expect("a netlink socket");
        let mut families = Families::default();
        let cx = &mut Context::new(&sock, &mut families);
        let spec = RouteSpec::new("10.9.0.1/24".parse().unwrap()).dev("x0");
        let Step::Done(out) = add_route(&spec).start(cx) else {
            panic!("refused at once");
        };
        assert!(matches!(*out, Err(Error::Invalid(_))), "{out:?}");
    }
}
