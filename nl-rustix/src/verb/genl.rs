//! Generic netlink verbs: families resolved through the controller (and
//! kept in the connection's [`Families`]), then the family's own
//! requests: the MPTCP path manager ([`mptcp`]) and ethtool.
//!
//! [`Families`]: crate::verb::Families

use super::{Context, Request, Step, Verb};
use crate::engine::Answer;
use crate::error::LinkRole;
use crate::link::ifname;
use crate::{Error, LinkId, Protocol};
use nl_proto::genl::FamilyId;
use nl_proto::genl::ctrl::{self, Family};
use nl_proto::genl::ethtool::{self, Dev, ETHTOOL_GENL_NAME, LinkInfo, LinkModes};
use nl_proto::session::Request as Encoded;
use nl_proto::values::IfName;
use nl_proto::wire::{Msg, MsgWriter};
use std::sync::Arc;

/// How many times an interrupted dump is run again.
const DUMP_ATTEMPTS: u32 = 3;

/// The request a family's verb sends once the family is known (`None`:
/// the family is the answer).
type Build = Box<dyn Fn(FamilyId) -> Option<Request> + Send>;
/// The verb's result from the family and the request's answer.
type Finish<T> = Box<dyn Fn(&Arc<Family>, Result<&Answer, Error>) -> Result<T, Error> + Send>;

/// A generic netlink verb: its family resolved (from the connection's
/// cache, or by a controller get), then one request.
pub struct Genl<T> {
    family: String,
    /// The result, known before anything is sent (a malformed name).
    early: Option<Error>,
    /// What a refusal for want of privilege was refused (see
    /// [`Genl::permission`]).
    permission: Option<Box<dyn Fn() -> String + Send>>,
    resolved: Option<Arc<Family>>,
    dump: bool,
    attempts: u32,
    build: Build,
    finish: Finish<T>,
}

impl<T> std::fmt::Debug for Genl<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Genl")
            .field("family", &self.family)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Genl<T> {
    fn new(
        family: &str,
        dump: bool,
        build: impl Fn(FamilyId) -> Option<Request> + Send + 'static,
        finish: impl Fn(&Arc<Family>, Result<&Answer, Error>) -> Result<T, Error> + Send + 'static,
    ) -> Self {
        Self {
            family: family.to_string(),
            early: None,
            permission: None,
            resolved: None,
            dump,
            attempts: 0,
            build: Box::new(build),
            finish: Box::new(finish),
        }
    }

    /// Name `what` was refused, and where, when the kernel answers `EPERM`.
    fn permission(mut self, what: impl Fn() -> String + Send + 'static) -> Self {
        self.permission = Some(Box::new(what));
        self
    }

    /// The family is known: send the request, or answer with the family.
    fn with_family(&mut self, family: Arc<Family>) -> Step<T> {
        let step = match (self.build)(family.id) {
            Some(req) => {
                self.attempts += 1;
                Step::Send(req)
            }
            None => Step::done((self.finish)(&family, Ok(&Answer::empty()))),
        };
        self.resolved = Some(family);
        step
    }
}

/// Refuse generic netlink requests on another protocol's socket: the
/// controller's id (0x10) is `RTM_NEWLINK` to rtnetlink.
fn require_generic(cx: &Context<'_>) -> Result<(), Error> {
    match cx.socket().protocol() {
        Protocol::Generic => Ok(()),
        other => Err(Error::Invalid(format!(
            "generic netlink request on a {other:?} connection (open it with Conn::open_generic)"
        ))),
    }
}

impl<T: Send + 'static> Verb for Genl<T> {
    type Output = T;

    fn start(&mut self, cx: &mut Context<'_>) -> Step<T> {
        if let Err(e) = require_generic(cx) {
            return Step::done(Err(e));
        }
        if let Some(e) = self.early.take() {
            return Step::done(Err(e));
        }
        if let Some(f) = cx.families().get(&self.family) {
            return self.with_family(f);
        }
        let name = self.family.clone();
        Step::Send(Request::get(move |w| ctrl::encode_get_family(w, &name)))
    }

    fn on_answer(&mut self, answer: Result<&Answer, Error>, cx: &mut Context<'_>) -> Step<T> {
        let Some(family) = self.resolved.clone() else {
            let name = &self.family;
            let found = answer
                .and_then(|a| a.decode_one(Family::decode))
                .map_err(|e| {
                    e.context(|errno| {
                        (errno == libc::ENOENT)
                            .then(|| format!("no such generic netlink family \"{name}\""))
                    })
                });
            return match found {
                Ok(f) => {
                    let f = Arc::new(f);
                    cx.families().insert(name, Arc::clone(&f));
                    self.with_family(f)
                }
                Err(e) => Step::done(Err(e)),
            };
        };
        if self.dump
            && self.attempts < DUMP_ATTEMPTS
            && matches!(&answer, Ok(a) if a.interrupted())
            && let Some(req) = (self.build)(family.id)
        {
            self.attempts += 1;
            return Step::Send(req);
        }
        let answer = answer.map_err(|e| match &self.permission {
            Some(what) => e.not_permitted(cx.socket(), what),
            None => e,
        });
        Step::done((self.finish)(&family, answer))
    }
}

/// The family called `name`: as [`Conn::genl_family`](crate::Conn::genl_family).
pub fn genl_family(name: &str) -> Genl<Arc<Family>> {
    Genl::new(name, false, |_| None, |f, _| Ok(Arc::clone(f)))
}

/// A multicast group's number: as
/// [`Conn::genl_group`](crate::Conn::genl_group).
pub fn genl_group(family: &str, group: &str) -> Genl<u32> {
    let (fname, gname) = (family.to_string(), group.to_string());
    Genl::new(
        family,
        false,
        |_| None,
        move |f, _| {
            f.group(&gname).ok_or_else(|| {
                Error::Invalid(format!(
                    "generic netlink family \"{fname}\" has no multicast group \"{gname}\""
                ))
            })
        },
    )
}

/// Every family, the connection's cache refilled from the answer: as
/// [`Conn::genl_families`](crate::Conn::genl_families).
pub fn genl_families() -> FamilyDump {
    FamilyDump { attempts: 0 }
}

/// The dump of every family (see [`genl_families`]).
#[derive(Debug)]
pub struct FamilyDump {
    attempts: u32,
}

impl Verb for FamilyDump {
    type Output = Vec<Arc<Family>>;

    fn start(&mut self, cx: &mut Context<'_>) -> Step<Self::Output> {
        if let Err(e) = require_generic(cx) {
            return Step::done(Err(e));
        }
        self.attempts += 1;
        Step::Send(Request::new(ctrl::encode_dump_families))
    }

    fn on_answer(
        &mut self,
        answer: Result<&Answer, Error>,
        cx: &mut Context<'_>,
    ) -> Step<Self::Output> {
        if self.attempts < DUMP_ATTEMPTS && matches!(&answer, Ok(a) if a.interrupted()) {
            self.attempts += 1;
            return Step::Send(Request::new(ctrl::encode_dump_families));
        }
        let all = match answer.and_then(|a| a.decode(|m| Family::decode(m).map(Some))) {
            Ok(all) => all,
            Err(e) => return Step::done(Err(e)),
        };
        let all: Vec<Arc<Family>> = all.into_iter().map(Arc::new).collect();
        cx.families().refill(&all);
        Step::done(Ok(all))
    }
}

/// A resolved device argument, owned so the encoder can borrow it.
#[derive(Clone)]
enum Target {
    Index(u32),
    Name(IfName),
}

impl Target {
    fn of(dev: &LinkId) -> Result<Self, Error> {
        Ok(match dev {
            LinkId::Index(i) => Self::Index(*i),
            LinkId::Name(n) => Self::Name(ifname(n)?),
        })
    }

    fn dev(&self) -> Dev<'_> {
        match self {
            Self::Index(i) => Dev::Index(*i),
            Self::Name(n) => Dev::Name(n),
        }
    }
}

type GetEncoder = for<'w, 'b> fn(
    &'w mut MsgWriter<'b>,
    FamilyId,
    Dev<'_>,
) -> Result<Encoded<'w>, nl_proto::EncodeError>;

/// One ethtool GET for `dev`, its reply decoded; a missing device is
/// [`Error::NoSuchLink`].
fn ethtool_get<T: Send + 'static>(
    dev: LinkId,
    encode: GetEncoder,
    decode: fn(&Msg<'_>) -> Result<T, nl_proto::DecodeError>,
) -> Genl<T> {
    let (target, early) = match Target::of(&dev) {
        Ok(t) => (Some(t), None),
        Err(e) => (None, Some(e)),
    };
    let mut verb = Genl::new(
        ETHTOOL_GENL_NAME,
        false,
        move |family| {
            let target = target.clone()?;
            Some(Request::get(move |w| encode(w, family, target.dev())))
        },
        move |_, a| {
            a.and_then(|a| a.decode_one(decode))
                .map_err(|e| e.link_missing(&dev, LinkRole::Link))
        },
    );
    // A malformed name fails before anything is sent.
    verb.early = early;
    verb
}

/// A device's link modes: as
/// [`Conn::ethtool_linkmodes`](crate::Conn::ethtool_linkmodes).
pub fn ethtool_linkmodes(dev: impl Into<LinkId>) -> Genl<LinkModes> {
    ethtool_get(dev.into(), ethtool::encode_get_linkmodes, LinkModes::decode)
}

/// A device's link info: as
/// [`Conn::ethtool_linkinfo`](crate::Conn::ethtool_linkinfo).
pub fn ethtool_linkinfo(dev: impl Into<LinkId>) -> Genl<LinkInfo> {
    ethtool_get(dev.into(), ethtool::encode_get_linkinfo, LinkInfo::decode)
}

/// The MPTCP path manager's verbs (`ip mptcp endpoint|limits`): as
/// [`MptcpPm`](crate::MptcpPm)'s, each resolving `mptcp_pm` first (from
/// the connection's cache once it is known).
pub mod mptcp {
    use super::Genl;
    use crate::Error;
    use crate::verb::Request;
    use nl_proto::genl::FamilyId;
    use nl_proto::genl::mptcp::{self, Endpoint, Limits, MPTCP_PM_NAME};
    use nl_proto::session::Request as Encoded;
    use nl_proto::wire::MsgWriter;

    /// What an endpoint request was about, for errors the kernel did not
    /// explain: `mptcp endpoint 10.0.0.1 id 3`.
    fn describe(ep: &Endpoint) -> String {
        let mut s = String::from("mptcp endpoint");
        if let Some(a) = ep.addr {
            s.push_str(&format!(" {a}"));
        }
        if let Some(id) = ep.id {
            s.push_str(&format!(" id {id}"));
        }
        s
    }

    type EndpointEncoder = for<'w, 'b> fn(
        &'w mut MsgWriter<'b>,
        FamilyId,
        &Endpoint,
    ) -> Result<Encoded<'w>, nl_proto::EncodeError>;

    /// An endpoint request expecting an ack; failures name the endpoint.
    /// (Where it was refused is named by the driver's namespace: see
    /// [`Context`](crate::verb::Context).)
    fn endpoint_ack(ep: &Endpoint, encode: EndpointEncoder) -> Genl<()> {
        let ep = *ep;
        Genl::new(
            MPTCP_PM_NAME,
            false,
            move |f| Some(Request::ack(move |w| encode(w, f, &ep))),
            move |_, a| {
                a.map(|_| ())
                    .map_err(|e| e.context(|_| Some(describe(&ep))))
            },
        )
        .permission(move || format!("change {}", describe(&ep)))
    }

    /// Every endpoint: as [`MptcpPm::endpoints`](crate::MptcpPm::endpoints).
    pub fn endpoints() -> Genl<Vec<Endpoint>> {
        Genl::new(
            MPTCP_PM_NAME,
            true,
            |f| Some(Request::new(move |w| mptcp::encode_dump_addrs(w, f))),
            |_, a| a?.decode(|m| Endpoint::decode(m).map(Some)),
        )
    }

    /// The endpoint with id `id`: as
    /// [`MptcpPm::endpoint`](crate::MptcpPm::endpoint).
    pub fn endpoint(id: u8) -> Genl<Endpoint> {
        get_endpoint(&Endpoint::with_id(id))
    }

    /// The endpoint `ep` names: as
    /// [`MptcpPm::get_endpoint`](crate::MptcpPm::get_endpoint).
    pub fn get_endpoint(ep: &Endpoint) -> Genl<Endpoint> {
        let ep = *ep;
        Genl::new(
            MPTCP_PM_NAME,
            false,
            move |f| Some(Request::get(move |w| mptcp::encode_get_addr(w, f, &ep))),
            move |_, a| {
                a.and_then(|a| a.decode_one(Endpoint::decode))
                    .map_err(|e| e.context(|_| Some(describe(&ep))))
            },
        )
    }

    /// Add an endpoint: as [`MptcpPm::add_endpoint`](crate::MptcpPm::add_endpoint).
    pub fn add_endpoint(ep: &Endpoint) -> Genl<()> {
        endpoint_ack(ep, mptcp::encode_add_addr)
    }

    /// Delete an endpoint: as
    /// [`MptcpPm::delete_endpoint`](crate::MptcpPm::delete_endpoint).
    pub fn delete_endpoint(ep: &Endpoint) -> Genl<()> {
        endpoint_ack(ep, mptcp::encode_del_addr)
    }

    /// Change an endpoint's flags: as
    /// [`MptcpPm::change_endpoint`](crate::MptcpPm::change_endpoint).
    pub fn change_endpoint(ep: &Endpoint) -> Genl<()> {
        endpoint_ack(ep, mptcp::encode_set_flags)
    }

    /// Delete every endpoint: as
    /// [`MptcpPm::flush_endpoints`](crate::MptcpPm::flush_endpoints).
    pub fn flush_endpoints() -> Genl<()> {
        Genl::new(
            MPTCP_PM_NAME,
            false,
            |f| Some(Request::ack(move |w| mptcp::encode_flush_addrs(w, f))),
            |_, a| a.map(|_| ()),
        )
    }

    /// The limits: as [`MptcpPm::limits`](crate::MptcpPm::limits).
    pub fn limits() -> Genl<Limits> {
        Genl::new(
            MPTCP_PM_NAME,
            false,
            |f| Some(Request::get(move |w| mptcp::encode_get_limits(w, f))),
            |_, a: Result<_, Error>| a?.decode_one(Limits::decode),
        )
    }

    /// Set the limits that are `Some`: as
    /// [`MptcpPm::set_limits`](crate::MptcpPm::set_limits).
    pub fn set_limits(limits: &Limits) -> Genl<()> {
        let limits = *limits;
        Genl::new(
            MPTCP_PM_NAME,
            false,
            move |f| {
                Some(Request::ack(move |w| {
                    mptcp::encode_set_limits(w, f, &limits)
                }))
            },
            |_, a| a.map(|_| ()),
        )
    }
}
