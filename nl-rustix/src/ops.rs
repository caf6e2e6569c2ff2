//! Typed batches: many mutations in as few `sendmsg` calls as fit, every
//! ack collected, each failure reported against the operation that caused
//! it.

use crate::error::LinkRole;
use crate::link_request::{self, NewLinkReady, SetLinkReady};
use crate::nexthop::NexthopReady;
use crate::{
    AddrSpec, Conn, Error, LinkId, LinkSet, LinkSpec, NeighSpec, NexthopSpec, RouteSpec, RuleSpec,
    TcSpec,
};
use nl_proto::EncodeError;
use nl_proto::IpNet;
use nl_proto::route::addr;
use nl_proto::route::neigh::{self, NeighFlags, NewNeighbour, NudState};
use nl_proto::route::nexthop;
use nl_proto::route::route::{self as rt, RouteMode};
use nl_proto::route::rule;
use nl_proto::session::Request;
use nl_proto::tc::{self, Mode, Object};
use nl_proto::values::Mac;
use nl_proto::wire::MsgWriter;
use std::net::IpAddr;

/// One mutation for [`Conn::apply`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Op {
    /// `ip addr add`.
    AddAddress(AddrSpec),
    /// `ip addr replace`.
    ReplaceAddress(AddrSpec),
    /// `ip addr change`: change an address (`NLM_F_REPLACE` alone; the
    /// kernel adds one the link lacks, as it does for `ip addr change`).
    ChangeAddress(AddrSpec),
    /// `ip addr del PREFIX dev LINK`.
    DeleteAddress(LinkId, IpNet),
    /// `ip route add`.
    AddRoute(RouteSpec),
    /// `ip route replace`.
    ReplaceRoute(RouteSpec),
    /// `ip route append`.
    AppendRoute(RouteSpec),
    /// `ip route change`: replace an existing route (`ENOENT` if absent).
    ChangeRoute(RouteSpec),
    /// `ip route prepend`: add before any route with the same key.
    PrependRoute(RouteSpec),
    /// `ip route del`.
    DeleteRoute(RouteSpec),
    /// `ip neigh add ADDR lladdr MAC dev LINK`.
    AddNeighbour(LinkId, IpAddr, Option<Mac>),
    /// `ip neigh replace`.
    ReplaceNeighbour(LinkId, IpAddr, Option<Mac>),
    /// `ip neigh del ADDR dev LINK`.
    DeleteNeighbour(LinkId, IpAddr),
    /// `ip neigh add|replace` in any state (`nud STATE`, `router`).
    NewNeighbour(NeighSpec),
    /// `ip rule add`.
    AddRule(RuleSpec),
    /// `ip rule del`.
    DeleteRule(RuleSpec),
    /// `ip link add` (in this namespace: a spec with
    /// [`netns`](LinkSpec::netns) is for [`Conn::create_link`]).
    CreateLink(LinkSpec),
    /// `ip link set`.
    SetLink(LinkId, LinkSet),
    /// `ip link del`.
    DeleteLink(LinkId),
    /// `ip nexthop add`.
    AddNexthop(NexthopSpec),
    /// `ip nexthop replace`.
    ReplaceNexthop(NexthopSpec),
    /// `ip nexthop del id N`.
    DeleteNexthop(u32),
    /// `tc qdisc|class|filter add|replace|change`.
    NewTc(Object, Mode, TcSpec),
    /// `tc qdisc|class|filter del`.
    DeleteTc(Object, TcSpec),
}

/// An operation with its names resolved, ready to encode any number of
/// times (a batch chunk that runs out of room encodes it again).
pub(crate) enum Ready {
    NewAddress(addr::NewAddress<'static>, Option<String>),
    /// An address's index, prefix and peer (an IPv4 peer address is
    /// found by its peer).
    DelAddress(u32, IpNet, Option<IpAddr>),
    NewRoute(rt::NewRoute, RouteMode, Vec<rt::Leg>),
    /// A delete, with the route's next hops when it names them (`ip
    /// route del … nexthop …`: the kernel matches them leg for leg).
    DelRoute(rt::DelRoute, Vec<rt::Leg>),
    NewNeighbour(NewNeighbour),
    DelNeighbour(u32, IpAddr),
    NewRule(RuleSpec),
    DelRule(RuleSpec),
    NewLink(Box<NewLinkReady>),
    SetLink(Box<SetLinkReady>),
    DelLink(u32),
    NewNexthop(Box<NexthopReady>),
    DelNexthop(u32),
    /// A qdisc, class or filter created or changed (`Some(mode)`) or
    /// deleted (`None`) on link `ifindex`.
    Tc(Object, Option<Mode>, Box<TcSpec>, u32),
}

impl Conn {
    /// Apply many mutations, batched: as many requests per `sendmsg` as fit
    /// the send buffer and the in-flight table, every ack collected.
    ///
    /// Returns one result per operation, in order. An operation that fails
    /// (before sending, e.g. an unknown link, or in the kernel) does not stop
    /// the others: nothing is silently lost, and nothing is rolled back —
    /// the batch is not a transaction. Link names are resolved first, one
    /// link get per name. The verb is [`verb::apply`](crate::verb::apply),
    /// which nl-mio runs too.
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, Op, RouteSpec};
    /// let mut conn = Conn::open()?;
    /// let ops: Vec<Op> = (0..100u8)
    ///     .map(|i| Op::AddRoute(RouteSpec::new(format!("10.1.{i}.0/24").parse().unwrap()).dev("veth0")))
    ///     .collect();
    /// for (op, result) in ops.iter().zip(conn.apply(&ops)?) {
    ///     if let Err(e) = result {
    ///         eprintln!("{op:?}: {e}");
    ///     }
    /// }
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The outer error is I/O that leaves the outcome of operations unknown.
    pub fn apply(&mut self, ops: &[Op]) -> Result<Vec<Result<(), Error>>, Error> {
        self.run(crate::verb::apply(ops))
    }
}

/// Names of links as an operation's preparation asks for them (an
/// index for a name, a name for an index), answered by the verb that
/// resolves them.
pub(crate) trait Links {
    /// The index of `id`, in the role it plays (a missing parent reads
    /// `no such parent interface`).
    fn index(&mut self, id: &LinkId, role: LinkRole) -> Result<u32, Error>;
    /// The name of `id`.
    fn name(&mut self, id: &LinkId) -> Result<String, Error>;
}

/// A route's next hops with their links resolved, in order (empty for
/// a route with one path).
fn legs(spec: &RouteSpec, links: &mut dyn Links) -> Result<Vec<rt::Leg>, Error> {
    spec.nexthops
        .iter()
        .map(|h| {
            let ifindex = h
                .dev
                .as_ref()
                .map(|d| links.index(d, LinkRole::Link))
                .transpose()?;
            Ok(h.to_leg(ifindex))
        })
        .collect()
}

/// Check `op` and resolve its names into a request ready to encode.
/// `elsewhere`: a link may be created in another namespace (the
/// one-object [`Conn::create_link`]; a batch creates in this one).
pub(crate) fn prepare(op: &Op, links: &mut dyn Links, elsewhere: bool) -> Result<Ready, Error> {
    let index = |id: &LinkId, links: &mut dyn Links| links.index(id, LinkRole::Link);
    Ok(match op {
        Op::AddAddress(spec) | Op::ReplaceAddress(spec) | Op::ChangeAddress(spec) => {
            let replace = matches!(op, Op::ReplaceAddress(_));
            let i = index(&spec.link, links)?;
            let name = match &spec.label {
                Some(_) => links.name(&spec.link)?,
                None => String::new(),
            };
            spec.check(&name)?;
            let mut req = spec.to_new(i, replace);
            req.change = matches!(op, Op::ChangeAddress(_));
            Ready::NewAddress(req, spec.label.clone())
        }
        Op::DeleteAddress(link, prefix) => Ready::DelAddress(index(link, links)?, *prefix, None),
        Op::AddRoute(spec)
        | Op::ReplaceRoute(spec)
        | Op::AppendRoute(spec)
        | Op::ChangeRoute(spec)
        | Op::PrependRoute(spec) => {
            spec.check()?;
            let oif = spec.dev.as_ref().map(|d| index(d, links)).transpose()?;
            let mode = match op {
                Op::ReplaceRoute(_) => RouteMode::Replace,
                Op::AppendRoute(_) => RouteMode::Append,
                Op::ChangeRoute(_) => RouteMode::Change,
                Op::PrependRoute(_) => RouteMode::Prepend,
                _ => RouteMode::Add,
            };
            Ready::NewRoute(spec.to_new(oif), mode, legs(spec, links)?)
        }
        Op::DeleteRoute(spec) => {
            spec.check()?;
            let oif = spec.dev.as_ref().map(|d| index(d, links)).transpose()?;
            Ready::DelRoute(spec.to_del(oif), legs(spec, links)?)
        }
        Op::AddNeighbour(link, dst, mac) | Op::ReplaceNeighbour(link, dst, mac) => {
            Ready::NewNeighbour(NewNeighbour {
                index: index(link, links)?,
                dst: *dst,
                lladdr: *mac,
                state: NudState::PERMANENT,
                flags: NeighFlags::EMPTY,
                replace: matches!(op, Op::ReplaceNeighbour(..)),
            })
        }
        Op::DeleteNeighbour(link, dst) => Ready::DelNeighbour(index(link, links)?, *dst),
        Op::NewNeighbour(spec) => Ready::NewNeighbour(NewNeighbour {
            index: index(&spec.link, links)?,
            dst: spec.dst,
            lladdr: spec.lladdr,
            state: spec.state,
            flags: spec.flags(),
            replace: spec.replace,
        }),
        Op::AddRule(spec) => {
            spec.with_codec(|_| ())?;
            Ready::NewRule(spec.clone())
        }
        Op::DeleteRule(spec) => {
            spec.with_codec(|_| ())?;
            Ready::DelRule(spec.clone())
        }
        Op::CreateLink(spec) => {
            if spec.netns.is_some() && !elsewhere {
                return Err(Error::Invalid(format!(
                    "link \"{}\" in another namespace: use Conn::create_link",
                    spec.name
                )));
            }
            Ready::NewLink(Box::new(spec.ready(&mut |id, role| links.index(id, role))?))
        }
        Op::SetLink(link, change) => {
            let i = index(link, links)?;
            Ready::SetLink(Box::new(
                change.ready(i, &mut |id, role| links.index(id, role))?,
            ))
        }
        Op::DeleteLink(link) => Ready::DelLink(index(link, links)?),
        Op::AddNexthop(spec) | Op::ReplaceNexthop(spec) => {
            let oif = spec.dev.as_ref().map(|d| index(d, links)).transpose()?;
            Ready::NewNexthop(Box::new(
                spec.ready(oif, matches!(op, Op::ReplaceNexthop(_))),
            ))
        }
        Op::DeleteNexthop(id) => Ready::DelNexthop(*id),
        Op::NewTc(object, mode, spec) => Ready::Tc(
            *object,
            Some(*mode),
            Box::new(spec.clone()),
            index(&spec.dev, links)?,
        ),
        Op::DeleteTc(object, spec) => Ready::Tc(
            *object,
            None,
            Box::new(spec.clone()),
            index(&spec.dev, links)?,
        ),
    })
}

pub(crate) fn encode_ready<'w>(
    r: &Ready,
    w: &'w mut MsgWriter<'_>,
) -> Result<Request<'w>, EncodeError> {
    match r {
        Ready::NewAddress(req, label) => {
            let mut req = *req;
            req.label = label.as_deref();
            addr::encode_new(w, &req)
        }
        Ready::DelAddress(index, prefix, peer) => addr::encode_del(w, *index, *prefix, *peer),
        Ready::NewRoute(req, mode, hops) => rt::encode_new_multipath(w, req, *mode, hops),
        Ready::DelRoute(req, hops) => rt::encode_del_multipath(w, req, hops),
        Ready::NewNeighbour(req) => neigh::encode_new(w, req),
        Ready::DelNeighbour(index, dst) => neigh::encode_del(w, *index, *dst),
        // Interface names were checked in `prepare`, so `with_codec` succeeds.
        Ready::NewRule(spec) => {
            spec.with_codec(|r| rule::encode_new(w, r))
                .unwrap_or(Err(EncodeError::Invalid {
                    what: "rule interface name",
                }))
        }
        Ready::DelRule(spec) => {
            spec.with_codec(|r| rule::encode_del(w, r))
                .unwrap_or(Err(EncodeError::Invalid {
                    what: "rule interface name",
                }))
        }
        Ready::NewLink(r) => r.encode(w),
        Ready::SetLink(r) => r.encode(w),
        Ready::DelLink(index) => link_request::encode_del(w, *index),
        Ready::NewNexthop(r) => r.encode(w),
        Ready::DelNexthop(id) => nexthop::encode_del(w, *id),
        Ready::Tc(object, Some(mode), spec, index) => {
            tc::encode_new(w, *object, *mode, &spec.request(*index))
        }
        Ready::Tc(object, None, spec, index) => tc::encode_del(w, *object, &spec.request(*index)),
    }
}

/// What `op` does, as a refusal names it: `add address 10.0.0.1/24 on "v0"`.
pub(crate) fn describe(op: &Op) -> String {
    let route = |verb: &str, s: &RouteSpec| s.describe(verb);
    let rule = |verb: &str, s: &RuleSpec| match s.priority {
        Some(p) => format!("{verb} rule {p}"),
        None => format!("{verb} a rule"),
    };
    match op {
        Op::AddAddress(s) => s.describe("add"),
        Op::ReplaceAddress(s) => s.describe("replace"),
        Op::ChangeAddress(s) => s.describe("change"),
        Op::DeleteAddress(l, p) => crate::addr::describe_delete(l, *p),
        Op::AddRoute(s) => route("add", s),
        Op::ReplaceRoute(s) => route("replace", s),
        Op::AppendRoute(s) => route("append", s),
        Op::ChangeRoute(s) => route("change", s),
        Op::PrependRoute(s) => route("prepend", s),
        Op::DeleteRoute(s) => route("delete", s),
        Op::AddNeighbour(l, d, _) => format!("add neighbour {d} on {l}"),
        Op::ReplaceNeighbour(l, d, _) => format!("replace neighbour {d} on {l}"),
        Op::DeleteNeighbour(l, d) => format!("delete neighbour {d} on {l}"),
        Op::NewNeighbour(s) if s.replace => format!("replace neighbour {} on {}", s.dst, s.link),
        Op::NewNeighbour(s) => format!("add neighbour {} on {}", s.dst, s.link),
        Op::AddRule(s) => rule("add", s),
        Op::DeleteRule(s) => rule("delete", s),
        Op::CreateLink(s) => s.describe(),
        Op::SetLink(l, s) => s.describe(l),
        Op::DeleteLink(l) => format!("delete link {l}"),
        Op::AddNexthop(s) => format!("add nexthop {}", s.id),
        Op::ReplaceNexthop(s) => format!("replace nexthop {}", s.id),
        Op::DeleteNexthop(id) => format!("delete nexthop {id}"),
        Op::NewTc(object, mode, s) => {
            format!("{} {}", tc_verb(*mode), crate::tc::describe(*object, s))
        }
        Op::DeleteTc(object, s) => format!("delete {}", crate::tc::describe(*object, s)),
    }
}

/// tc's verb for `mode`.
pub(crate) fn tc_verb(mode: Mode) -> &'static str {
    match mode {
        Mode::Add => "add",
        Mode::Replace => "replace",
        Mode::Change => "change",
        Mode::Link => "link",
    }
}

/// Name what went wrong for the kernel's refusal `e` of `op`, sent as
/// `ready`: a link request as [`Conn::create_link`] and
/// [`Conn::set_link`] name it, a missing link as [`Error::NoSuchLink`],
/// anything else by [`context`].
pub(crate) fn explain(op: &Op, ready: &Ready, e: Error) -> Error {
    let e = e.context(|errno| context(op, errno));
    match (op, ready) {
        (_, Ready::NewLink(r)) => r.explain(e),
        (Op::SetLink(l, _), Ready::SetLink(r)) => r.explain(l, e),
        (Op::DeleteLink(l), _) => e.link_missing(l, LinkRole::Link),
        (Op::NewTc(object, _, s) | Op::DeleteTc(object, s), _) => crate::tc::context(e, *object, s),
        _ => e,
    }
}

/// What the kernel's refusal of `op` with `errno` is about, when it
/// sent no text of its own.
pub(crate) fn context(op: &Op, errno: i32) -> Option<String> {
    if errno == libc::EPERM {
        // Where is the connection's to say (`Error::not_permitted`).
        return Some(format!("not permitted to {}", describe(op)));
    }
    match op {
        Op::AddRoute(s)
        | Op::ReplaceRoute(s)
        | Op::AppendRoute(s)
        | Op::ChangeRoute(s)
        | Op::PrependRoute(s)
        | Op::DeleteRoute(s) => crate::route::route_context(errno, s),
        Op::AddAddress(s) => crate::addr::add_context(errno, s),
        Op::DeleteAddress(l, p) => crate::addr::delete_context(errno, l, *p),
        Op::AddNeighbour(l, d, _) if errno == libc::EEXIST => {
            Some(format!("neighbour {d} already exists on {l}"))
        }
        Op::NewNeighbour(s) if errno == libc::EEXIST => {
            Some(format!("neighbour {} already exists on {}", s.dst, s.link))
        }
        Op::DeleteNeighbour(l, d) if errno == libc::ENOENT => {
            Some(format!("no neighbour {d} on {l}"))
        }
        Op::AddRule(_) if errno == libc::EEXIST => Some("the rule already exists".into()),
        Op::DeleteRule(_) if errno == libc::ENOENT => Some("no such rule".into()),
        Op::AddNexthop(s) if errno == libc::EEXIST => {
            Some(format!("nexthop {} already exists", s.id))
        }
        Op::DeleteNexthop(id) if errno == libc::ENOENT => Some(format!("no nexthop {id}")),
        _ => None,
    }
}
