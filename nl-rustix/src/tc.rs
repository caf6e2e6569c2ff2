//! Traffic-control verbs: `tc qdisc|class|filter add|replace|change|del|show|get`.
//!
//! What a caller asks for is a [`TcSpec`] (the link by name or index,
//! parent, handle, kind and typed options); [`TcSpec::request`] turns it,
//! with the resolved link index, into the core's request, and
//! [`decode_tc`] is the dump decoder — neither does I/O. The verbs are
//! [`verb`](crate::verb) values ([`verb::tc_new`], …) that this driver
//! runs and nl-mio runs too.

use crate::link::LinkId;
use crate::{Conn, Error, verb};
use nl_proto::DecodeError;
use nl_proto::tc::chain::Chain;
use nl_proto::tc::{self, DumpFilter, Handle, NewTc, Object, Options, Tc};
use nl_proto::wire::Msg;

use nl_proto::tc::Mode;

/// A qdisc, class or filter to create, change or delete:
/// `tc OBJECT add dev DEV parent P [handle H] [prio N protocol P] KIND OPTIONS…`.
///
/// ```no_run
/// use nl_rustix::{Conn, TcSpec};
/// use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Options, tbf::Tbf, units::{Rate, Size, Time}};
/// let mut conn = Conn::open()?;
/// // tc qdisc add dev veth0 root tbf rate 1mbit burst 32kbit latency 400ms
/// let tbf = Tbf::with_latency(Rate::parse("1mbit").unwrap(), Size(4096), Time(400_000));
/// let spec = TcSpec::new("veth0", Handle::ROOT, "tbf").options(Options::Tbf(tbf));
/// conn.tc_new(Object::Qdisc, Mode::Add, &spec)?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TcSpec {
    /// The link (`dev`).
    pub dev: LinkId,
    /// `parent` (or `root`, `ingress`…).
    pub parent: Handle,
    /// `handle` / `classid` (0: the kernel picks).
    pub handle: Handle,
    /// The kind (`tbf`, `htb`, `u32`, …); empty for a delete by handle.
    pub kind: String,
    /// The kind's options.
    pub options: Options,
    /// A filter's `prio` (0: the kernel picks).
    pub priority: u16,
    /// A filter's `protocol`, an EtherType in host order (`ETH_P_ALL` = 3).
    pub protocol: u16,
    /// A filter's `chain`.
    pub chain: Option<u32>,
}

impl TcSpec {
    /// `kind` on `dev` under `parent`, no handle, default options.
    pub fn new(dev: impl Into<LinkId>, parent: Handle, kind: impl Into<String>) -> Self {
        Self {
            dev: dev.into(),
            parent,
            handle: Handle::UNSPEC,
            kind: kind.into(),
            options: Options::None,
            priority: 0,
            protocol: 0,
            chain: None,
        }
    }

    /// With `handle`.
    #[must_use]
    pub fn handle(mut self, h: Handle) -> Self {
        self.handle = h;
        self
    }

    /// With `options`.
    #[must_use]
    pub fn options(mut self, o: Options) -> Self {
        self.options = o;
        self
    }

    /// A filter's priority and protocol.
    #[must_use]
    pub fn filter(mut self, priority: u16, protocol: u16) -> Self {
        self.priority = priority;
        self.protocol = protocol;
        self
    }

    /// The core's request for this spec on link `ifindex` (no I/O).
    pub fn request(&self, ifindex: u32) -> NewTc<'_> {
        let mut r = NewTc::new(i32::try_from(ifindex).unwrap_or(0), self.parent, &self.kind)
            .handle(self.handle)
            .options(self.options.clone());
        if self.priority != 0 || self.protocol != 0 {
            r = r.filter(self.priority, self.protocol);
        }
        r.chain = self.chain;
        r
    }
}

/// What a dump is narrowed to: `tc OBJECT show [dev DEV] [parent P]
/// [handle H] [prio N] [protocol P] [chain C]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcDump {
    /// `dev` (classes and filters need one).
    pub dev: Option<LinkId>,
    /// `parent` / `root` / `ingress`.
    pub parent: Option<Handle>,
    /// `handle`.
    pub handle: Option<Handle>,
    /// A filter's `prio`.
    pub priority: u16,
    /// A filter's `protocol`.
    pub protocol: u16,
    /// A filter's `chain`.
    pub chain: Option<u32>,
}

impl TcDump {
    /// Everything on `dev`.
    pub fn dev(dev: impl Into<LinkId>) -> Self {
        Self {
            dev: Some(dev.into()),
            ..Self::default()
        }
    }

    /// The core's dump filter for this with link `ifindex` (0: all; no I/O).
    pub fn request(&self, object: Object, ifindex: u32) -> DumpFilter {
        let info = match object {
            Object::Filter => tc::filter_info(self.priority, self.protocol),
            _ => 0,
        };
        DumpFilter {
            ifindex: i32::try_from(ifindex).unwrap_or(0),
            // The kernel narrows qdisc dumps only by link; classes and
            // filters by parent too.
            parent: match object {
                Object::Qdisc => Handle::UNSPEC,
                _ => self.parent.unwrap_or(Handle::UNSPEC),
            },
            handle: match object {
                Object::Filter => self.handle.unwrap_or(Handle::UNSPEC),
                _ => Handle::UNSPEC,
            },
            info,
            chain: self.chain,
            invisible: false,
        }
    }

    /// Whether dumped `t` is one this dump asked for on link `ifindex`
    /// (0: any): the kernel dumps every link's qdiscs whatever the link
    /// asked for, and narrows some fields only for some objects.
    pub(crate) fn keeps(&self, ifindex: u32, t: &Tc) -> bool {
        self.matches(t) && (ifindex == 0 || u32::try_from(t.ifindex).is_ok_and(|i| i == ifindex))
    }

    /// Whether a dumped object matches what the kernel does not narrow
    /// itself (a qdisc's parent and handle, a class's handle), as tc
    /// filters its listing. (The kernel dumps every link's qdiscs
    /// whatever the link asked for; the dump verbs check that too.)
    pub fn matches(&self, t: &Tc) -> bool {
        match t.object {
            Object::Qdisc => {
                self.parent.is_none_or(|p| p == t.parent)
                    && self.handle.is_none_or(|h| h == t.handle)
            }
            Object::Class => self.handle.is_none_or(|h| h == t.handle),
            Object::Filter => true,
        }
    }
}

/// The dump decoder for `object`: each `RTM_NEW*` of it decoded, other
/// messages skipped. Usable with [`Conn::dump_iter`] (no I/O).
pub fn decode_tc(object: Object) -> impl Fn(&Msg<'_>) -> Result<Option<Tc>, DecodeError> + Copy {
    move |msg| {
        if msg.msg_type() != object.types()[0] {
            return Ok(None);
        }
        Tc::decode(msg).map(Some)
    }
}

pub(crate) fn noun(object: Object) -> &'static str {
    match object {
        Object::Qdisc => "qdisc",
        Object::Class => "class",
        Object::Filter => "filter",
    }
}

impl Conn {
    fn tc_link(&mut self, dev: &LinkId) -> Result<u32, Error> {
        self.link_index(dev.clone())
    }

    /// Create, replace or change a qdisc, class or filter: `tc OBJECT
    /// add|replace|change|link`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] for a missing link (nothing sent); the kernel's refusal
    /// (`EEXIST` on add, `ENOENT` for a missing parent, `EINVAL` for bad
    /// options), with its extack text.
    pub fn tc_new(&mut self, object: Object, mode: Mode, spec: &TcSpec) -> Result<(), Error> {
        self.run(verb::tc_new(object, mode, spec))
    }

    /// Delete a qdisc, class or filter: `tc OBJECT del`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_new`]; `ENOENT` when there is none.
    pub fn tc_delete(&mut self, object: Object, spec: &TcSpec) -> Result<(), Error> {
        self.run(verb::tc_delete(object, spec))
    }

    /// Read one qdisc, class or filter: `tc OBJECT get`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_delete`].
    pub fn tc_get(&mut self, object: Object, spec: &TcSpec) -> Result<Tc, Error> {
        self.run(verb::tc_get(object, spec))
    }

    /// Dump qdiscs, classes or filters, passing each (narrowed by `what`)
    /// to `each` as it arrives: constant memory. Every entry is decoded
    /// into one reused value ([`Tc::decode_into`]), so `each` sees a
    /// borrow; clone what it keeps.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`] for a missing link; I/O, kernel and decoding errors; the
    /// first error `each` returns.
    pub fn tc_dump_each(
        &mut self,
        object: Object,
        what: &TcDump,
        mut each: impl FnMut(&Tc) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let ifindex = match &what.dev {
            Some(d) => self.tc_link(d)?,
            None => 0,
        };
        let filter = what.request(object, ifindex);
        let mut slot = Box::new(Tc::empty(object));
        self.dump(
            |w| tc::encode_dump(w, object, &filter),
            |msg| {
                if msg.msg_type() != object.types()[0] {
                    return Ok(());
                }
                slot.decode_into(msg)?;
                if what.keeps(ifindex, &slot) {
                    each(&slot)
                } else {
                    Ok(())
                }
            },
        )
        .map(|_| ())
    }

    /// Dump qdiscs, classes or filters into a `Vec`: `tc OBJECT show`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_dump_each`].
    pub fn tc_dump(&mut self, object: Object, what: &TcDump) -> Result<Vec<Tc>, Error> {
        self.run(verb::tc_dump(object, what))
    }

    /// Every qdisc (on `dev`, or on all links): `tc qdisc show [dev DEV]`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_dump_each`].
    pub fn qdiscs(&mut self, dev: Option<LinkId>) -> Result<Vec<Tc>, Error> {
        self.run(verb::qdiscs(dev))
    }
}

impl Conn {
    /// Add filter chain `index` under `parent` on `dev`: `tc chain add`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`]; the kernel's refusal (`EEXIST`, `EINVAL`
    /// for a parent with no filters' block).
    pub fn tc_chain_new(&mut self, dev: &LinkId, parent: Handle, index: u32) -> Result<(), Error> {
        self.run(verb::tc_chain_new(dev, parent, index))
    }

    /// Delete a chain and its filters: `tc chain del`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_chain_new`]; `ENOENT` when there is none.
    pub fn tc_chain_delete(
        &mut self,
        dev: &LinkId,
        parent: Handle,
        index: u32,
    ) -> Result<(), Error> {
        self.run(verb::tc_chain_delete(dev, parent, index))
    }

    /// Read one chain: `tc chain get`.
    ///
    /// # Errors
    ///
    /// As [`Conn::tc_chain_delete`].
    pub fn tc_chain_get(
        &mut self,
        dev: &LinkId,
        parent: Handle,
        index: u32,
    ) -> Result<Chain, Error> {
        self.run(verb::tc_chain_get(dev, parent, index))
    }

    /// The chains under `parent` on `dev`: `tc chain show`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchLink`]; I/O, kernel and decoding errors.
    pub fn tc_chains(&mut self, dev: &LinkId, parent: Handle) -> Result<Vec<Chain>, Error> {
        self.run(verb::tc_chains(dev, parent))
    }
}

/// Name what was missing when the kernel gave no text.
pub(crate) fn context(e: Error, object: Object, spec: &TcSpec) -> Error {
    e.context(|errno| {
        let dev = match &spec.dev {
            LinkId::Name(n) => format!("\"{n}\""),
            LinkId::Index(i) => format!("index {i}"),
        };
        (errno == libc::ENOENT).then(|| {
            format!(
                "no such {} (or parent {}) on {dev}",
                noun(object),
                spec.parent
            )
        })
    })
}

/// What `spec` names, for reports and refusals: `qdisc tbf root on v0`,
/// `class 1:10 on v0`, `filter pref 1 on v0`.
pub(crate) fn describe(object: Object, spec: &TcSpec) -> String {
    let what = match object {
        Object::Qdisc if spec.kind.is_empty() => format!("qdisc {}", spec.parent),
        Object::Qdisc => format!("qdisc {} {}", spec.kind, spec.parent),
        Object::Class => format!("class {}", spec.handle),
        Object::Filter => format!("filter parent {} pref {}", spec.parent, spec.priority),
    };
    format!("{what} on {}", spec.dev)
}
