//! Plans and running them: what an object makes of its words, and the
//! context a plan runs in.
//!
//! An object never runs anything while it parses: it returns a [`Plan`],
//! either one mutation ([`Plan::Op`], which `-batch -force` can pipeline
//! with its neighbours) or a step of its own ([`Plan::Run`]: a listing,
//! a flush, a link change) that talks to the kernel and renders.

use crate::fail::Failure;
use crate::words::Opts;
use nl_rustix::{Conn, Error, Netns, Op};

/// What a command runs with.
pub(crate) struct Ctx {
    pub(crate) opts: Opts,
    pub(crate) conn: Conn,
}

impl Ctx {
    /// Open the rtnetlink socket in `-n NETNS` (or the current namespace).
    pub(crate) fn open(opts: Opts) -> Result<Self, Error> {
        let netns = opts
            .netns
            .as_deref()
            .map_or(Netns::Current, Netns::from_arg);
        let conn = Conn::open_in(&netns)?;
        Ok(Self { opts, conn })
    }
}

/// A step that talks to the kernel its own way and renders its answer.
pub(crate) type Step = Box<dyn FnOnce(&mut Ctx) -> Result<(), Failure>>;

/// What one command line is to do, decided before anything is sent.
// One per command line, moved a few times: an `Op`'s size (a vxlan's
// options make a `LinkSpec` large) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Plan {
    /// One mutation.
    Op(Op),
    /// Anything else.
    Run(Step),
}

impl Plan {
    /// A [`Plan::Run`] from a closure.
    pub(crate) fn run(step: impl FnOnce(&mut Ctx) -> Result<(), Failure> + 'static) -> Self {
        Self::Run(Box::new(step))
    }

    /// Carry the plan out.
    pub(crate) fn execute(self, ctx: &mut Ctx) -> Result<(), Failure> {
        match self {
            Self::Op(op) => exec(ctx, op),
            Self::Run(step) => step(ctx),
        }
    }
}

/// An object (`ip link`, `ip route`, …) as the dispatcher knows it.
pub(crate) struct Object {
    /// The names iproute2 gives the object, in full (`neighbour` and
    /// `neighbor`); the dispatcher resolves abbreviations in iproute2's
    /// order to one of these.
    pub(crate) names: &'static [&'static str],
    /// Turn the words after the object into a plan (no I/O).
    pub(crate) plan: fn(&Opts, &[String]) -> Result<Plan, Failure>,
}

/// Run one mutation with the single-request verbs.
fn exec(ctx: &mut Ctx, op: Op) -> Result<(), Failure> {
    ctx.conn
        .apply(std::slice::from_ref(&op))?
        .pop()
        .unwrap_or(Err(Error::Unexpected("no result")))
        .map_err(Failure::Nl)
}
