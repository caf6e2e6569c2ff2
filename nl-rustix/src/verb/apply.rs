//! The write verbs: [`apply`] (many operations, batched) and the
//! one-object verbs of links, neighbours, rules and nexthops, each of
//! which is `apply` of one [`Op`] (those of addresses and routes are
//! [`Change`](super::Change)s, without the batch).
//!
//! A verb first resolves the link names its operations use, one link get
//! per name (answers are kept, so a name used by many operations costs
//! one), then sends every prepared request as one [`Step::Batch`], and
//! names what failed as the blocking verbs always have.

use super::{BatchResults, Context, Map, Request, Step, Verb};
use crate::engine::Answer;
use crate::error::LinkRole;
use crate::link::ifname;
use crate::ops::{self, Links, Ready};
use crate::{Error, LinkId, NexthopSpec, Op, RuleSpec};
use nl_proto::route::link::{self, Link, LinkRef};
use nl_proto::values::Mac;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// What a link name resolved to.
enum Resolved {
    Found(u32, String),
    /// The kernel has no such link.
    Missing,
    /// Another failure, handed to the first operation that asks (the
    /// next one asks again).
    Failed(Error),
}

/// The names resolved so far, and the one an operation is waiting for.
#[derive(Default)]
struct Names {
    known: HashMap<LinkId, Resolved>,
    needed: Option<LinkId>,
}

impl Names {
    fn lookup(&mut self, id: &LinkId, role: LinkRole) -> Result<(u32, String), Error> {
        match self.known.get(id) {
            Some(Resolved::Found(i, n)) => Ok((*i, n.clone())),
            Some(Resolved::Missing) => Err(Error::no_such_link(id, role)),
            Some(Resolved::Failed(_)) => match self.known.remove(id) {
                Some(Resolved::Failed(e)) => Err(e),
                _ => Err(Error::Unexpected("a link resolution vanished")),
            },
            None => {
                self.needed = Some(id.clone());
                Err(Error::Unexpected("a link name not resolved yet"))
            }
        }
    }
}

impl Links for Names {
    fn index(&mut self, id: &LinkId, role: LinkRole) -> Result<u32, Error> {
        match id {
            LinkId::Index(i) => Ok(*i),
            LinkId::Name(_) => self.lookup(id, role).map(|(i, _)| i),
        }
    }

    fn name(&mut self, id: &LinkId) -> Result<String, Error> {
        match id {
            LinkId::Name(n) => Ok(n.clone()),
            LinkId::Index(_) => self.lookup(id, LinkRole::Link).map(|(_, n)| n),
        }
    }
}

/// Operations applied in one batch: as [`Conn::apply`](crate::Conn::apply).
pub struct Apply {
    ops: Vec<Op>,
    /// May a link be created in another namespace.
    elsewhere: bool,
    names: Names,
    /// The next operation to prepare.
    at: usize,
    ready: Vec<(usize, Arc<Ready>)>,
    results: Vec<Option<Result<(), Error>>>,
}

impl std::fmt::Debug for Apply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Apply")
            .field("ops", &self.ops)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Many operations, batched: as [`Conn::apply`](crate::Conn::apply).
pub fn apply(ops: &[Op]) -> Apply {
    Apply::new(ops.to_vec(), false)
}

impl Apply {
    fn new(ops: Vec<Op>, elsewhere: bool) -> Self {
        let n = ops.len();
        Self {
            ops,
            elsewhere,
            names: Names::default(),
            at: 0,
            ready: Vec::with_capacity(n),
            results: Vec::with_capacity(n),
        }
    }

    /// One operation, its one result taken out: what the one-object verbs
    /// are. `elsewhere`: a link may be created in another namespace.
    pub(crate) fn one(op: Op, elsewhere: bool) -> One {
        Map::new(Self::new(vec![op], elsewhere), |r| {
            r?.pop()
                .unwrap_or(Err(Error::Unexpected("operation was not run")))
        })
    }

    /// Prepare operations until one needs a name resolved (send its link
    /// get) or all are ready (send them).
    fn advance(&mut self) -> Step<Vec<Result<(), Error>>> {
        while self.at < self.ops.len() {
            match ops::prepare(&self.ops[self.at], &mut self.names, self.elsewhere) {
                Ok(r) => {
                    self.ready.push((self.at, Arc::new(r)));
                    self.results.push(None);
                }
                Err(e) => match self.names.needed.take() {
                    Some(id) => match link_get(&id) {
                        Ok(req) => {
                            self.names.needed = Some(id);
                            return Step::Send(req);
                        }
                        Err(e) => {
                            self.names.known.insert(id, Resolved::Failed(e));
                            continue;
                        }
                    },
                    None => self.results.push(Some(Err(e))),
                },
            }
            self.at += 1;
        }
        if self.ready.is_empty() {
            return Step::done(Ok(self.collect()));
        }
        Step::Batch(
            self.ready
                .iter()
                .map(|(_, r)| {
                    let r = Arc::clone(r);
                    Request::ack(move |w| ops::encode_ready(&r, w))
                })
                .collect(),
        )
    }

    fn collect(&mut self) -> Vec<Result<(), Error>> {
        std::mem::take(&mut self.results)
            .into_iter()
            .map(|r| r.unwrap_or(Err(Error::Unexpected("operation was not run"))))
            .collect()
    }
}

/// The link get that resolves `id`.
pub(super) fn link_get(id: &LinkId) -> Result<Request, Error> {
    Ok(match id {
        LinkId::Index(i) => {
            let i = *i;
            Request::get(move |w| link::encode_get(w, LinkRef::Index(i)))
        }
        LinkId::Name(n) => {
            let name = ifname(n)?;
            Request::get(move |w| link::encode_get(w, LinkRef::Name(&name)))
        }
    })
}

impl Verb for Apply {
    type Output = Vec<Result<(), Error>>;

    fn start(&mut self, _cx: &mut Context<'_>) -> Step<Self::Output> {
        self.advance()
    }

    fn on_answer(
        &mut self,
        answer: Result<&Answer, Error>,
        _cx: &mut Context<'_>,
    ) -> Step<Self::Output> {
        let Some(id) = self.names.needed.take() else {
            return Step::done(Err(Error::Unexpected("an answer no link get asked for")));
        };
        // A name needs only the index the kernel answered (no link
        // decoder linked for it); an index is asked for its name.
        let found = answer.and_then(|a| match &id {
            LinkId::Name(n) => a.decode_one(Link::decode_index).map(|i| (i, n.clone())),
            LinkId::Index(_) => a
                .decode_one(Link::decode)
                .map(|l| (l.index, l.name.as_str().to_string())),
        });
        let resolved = match found {
            Ok((i, name)) => Resolved::Found(i, name),
            Err(e) => match e.link_missing(&id, LinkRole::Link) {
                Error::NoSuchLink { .. } => Resolved::Missing,
                e => Resolved::Failed(e),
            },
        };
        self.names.known.insert(id, resolved);
        self.advance()
    }

    fn on_batch(&mut self, results: BatchResults, cx: &mut Context<'_>) -> Step<Self::Output> {
        let answers = match results {
            Ok(a) => a,
            Err(e) => return Step::done(Err(e)),
        };
        for ((i, r), answer) in std::mem::take(&mut self.ready).into_iter().zip(answers) {
            let op = &self.ops[i];
            self.results[i] = Some(answer.map_err(|e| {
                ops::explain(op, &r, e.not_permitted(cx.socket(), || ops::describe(op)))
            }));
        }
        Step::done(Ok(self.collect()))
    }
}

/// A one-object write verb: [`Apply`] of one operation, its result taken
/// out.
pub type One = Map<Apply, fn(Result<Vec<Result<(), Error>>, Error>) -> Result<(), Error>>;

/// `ip neigh add`: as [`Conn::add_neighbour`](crate::Conn::add_neighbour).
pub fn add_neighbour(link: impl Into<LinkId>, dst: IpAddr, lladdr: Option<Mac>) -> One {
    Apply::one(Op::AddNeighbour(link.into(), dst, lladdr), false)
}

/// `ip neigh replace`: as
/// [`Conn::replace_neighbour`](crate::Conn::replace_neighbour).
pub fn replace_neighbour(link: impl Into<LinkId>, dst: IpAddr, lladdr: Option<Mac>) -> One {
    Apply::one(Op::ReplaceNeighbour(link.into(), dst, lladdr), false)
}

/// `ip neigh del`: as
/// [`Conn::delete_neighbour`](crate::Conn::delete_neighbour).
pub fn delete_neighbour(link: impl Into<LinkId>, dst: IpAddr) -> One {
    Apply::one(Op::DeleteNeighbour(link.into(), dst), false)
}

/// `ip rule add`: as [`Conn::add_rule`](crate::Conn::add_rule).
pub fn add_rule(spec: &RuleSpec) -> One {
    Apply::one(Op::AddRule(spec.clone()), false)
}

/// `ip rule del`: as [`Conn::delete_rule`](crate::Conn::delete_rule).
pub fn delete_rule(spec: &RuleSpec) -> One {
    Apply::one(Op::DeleteRule(spec.clone()), false)
}

/// `ip nexthop add`: as [`Conn::add_nexthop`](crate::Conn::add_nexthop).
pub fn add_nexthop(spec: &NexthopSpec) -> One {
    Apply::one(Op::AddNexthop(spec.clone()), false)
}

/// `ip nexthop replace`: as
/// [`Conn::replace_nexthop`](crate::Conn::replace_nexthop).
pub fn replace_nexthop(spec: &NexthopSpec) -> One {
    Apply::one(Op::ReplaceNexthop(spec.clone()), false)
}

/// `ip nexthop del`: as [`Conn::delete_nexthop`](crate::Conn::delete_nexthop).
pub fn delete_nexthop(id: u32) -> One {
    Apply::one(Op::DeleteNexthop(id), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verb::Families;
    use crate::{AddrSpec, Protocol, RouteSpec, Socket};

    /// A name is resolved once for every operation that uses it; an
    /// unknown one fails those operations, and the rest are sent.
    #[test]
    fn an_unknown_name_fails_its_operations_once_resolved() {
        let sock = Socket::open(Protocol::Route).expect("a netlink socket");
        let mut families = Families::default();
        let cx = &mut Context::new(&sock, &mut families);
        let ops = [
            Op::AddAddress(AddrSpec::new("x0", "10.0.0.1/24".parse().unwrap())),
            Op::DeleteNexthop(5),
            Op::AddRoute(RouteSpec::new("10.9.0.0/24".parse().unwrap()).dev("x0")),
        ];
        let mut verb = apply(&ops);
        let Step::Send(get) = verb.start(cx) else {
            panic!("first the link get of x0");
        };
        assert_eq!(get.expecting, super::super::Expecting::OneReply);
        let missing = Error::no_such_link(&LinkId::from("x0"), LinkRole::Link);
        let Step::Batch(reqs) = verb.on_answer(Err(missing), cx) else {
            panic!("then the one operation left, without asking again");
        };
        assert_eq!(reqs.len(), 1);
        let Step::Done(out) = verb.on_batch(Ok(vec![Ok(())]), cx) else {
            panic!("then done");
        };
        let out = out.expect("no I/O error");
        assert!(
            matches!(&out[0], Err(Error::NoSuchLink { .. })),
            "{:?}",
            out[0]
        );
        assert!(out[1].is_ok(), "{:?}", out[1]);
        assert!(
            matches!(&out[2], Err(Error::NoSuchLink { .. })),
            "{:?}",
            out[2]
        );
    }
}
