//! Actions attached to filters (`TCA_ACT_*`, `include/uapi/linux/
//! tc_act/`): `mirred` (redirect or mirror to a device) and `gact`
//! (pass, drop, …) here, `skbedit` and `police` in their own files,
//! with their control verdicts and statistics.
//!
//! A filter carries its actions as a nest (u32's `TCA_U32_ACT`) of one
//! nest per action, numbered from 1 by order; each holds `TCA_ACT_KIND`
//! and `TCA_ACT_OPTIONS`, and in dumps the action's index, statistics
//! and times.

use core::fmt;

use zerocopy::byteorder::{I32, NativeEndian, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::KindName;
use super::stats::Stats;
use crate::macros::open_enum;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

open_enum! {
    /// Attributes of one action (`TCA_ACT_*`).
    pub struct ActAttr(u16) {
        /// `TCA_ACT_KIND`.
        KIND = 1,
        /// `TCA_ACT_OPTIONS`.
        OPTIONS = 2,
        /// `TCA_ACT_INDEX`.
        INDEX = 3,
        /// `TCA_ACT_STATS`: nested `TCA_STATS_*`.
        STATS = 4,
        /// `TCA_ACT_PAD`.
        PAD = 5,
        /// `TCA_ACT_COOKIE`.
        COOKIE = 6,
        /// `TCA_ACT_FLAGS`: `nla_bitfield32`.
        FLAGS = 7,
        /// `TCA_ACT_HW_STATS`.
        HW_STATS = 8,
        /// `TCA_ACT_USED_HW_STATS`.
        USED_HW_STATS = 9,
        /// `TCA_ACT_IN_HW_COUNT`.
        IN_HW_COUNT = 10,
    }
}

open_enum! {
    /// An action's verdict (`TC_ACT_*`): what happens to the packet after it.
    pub struct Verdict(i32) {
        /// `TC_ACT_UNSPEC` (-1): tc's `continue`.
        UNSPEC = -1,
        /// `TC_ACT_OK`: `pass`.
        OK = 0,
        /// `TC_ACT_RECLASSIFY`.
        RECLASSIFY = 1,
        /// `TC_ACT_SHOT`: `drop`.
        SHOT = 2,
        /// `TC_ACT_PIPE`: go on with the next action.
        PIPE = 3,
        /// `TC_ACT_STOLEN`.
        STOLEN = 4,
        /// `TC_ACT_QUEUED`.
        QUEUED = 5,
        /// `TC_ACT_REPEAT`.
        REPEAT = 6,
        /// `TC_ACT_REDIRECT`.
        REDIRECT = 7,
        /// `TC_ACT_TRAP`.
        TRAP = 8,
    }
}

impl Verdict {
    /// `TC_ACT_JUMP`: jump over the next N actions (low bits).
    pub const JUMP: i32 = 0x1000_0000;
    /// `TC_ACT_GOTO_CHAIN`: continue in chain N (low bits).
    pub const GOTO_CHAIN: i32 = 0x2000_0000;

    /// tc's word for a verdict (`action_n2a`), `None` for jumps and
    /// chains (printed with their number).
    pub fn tc_name(self) -> Option<&'static str> {
        Some(match self {
            Self::UNSPEC => "continue",
            Self::OK => "pass",
            Self::SHOT => "drop",
            Self::RECLASSIFY => "reclassify",
            Self::PIPE => "pipe",
            Self::STOLEN => "stolen",
            Self::TRAP => "trap",
            _ => return None,
        })
    }

    /// tc's `action_a2n`: `continue`, `drop`/`shot`, `pass`/`ok`,
    /// `reclassify`, `pipe`, `trap`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "continue" => Self::UNSPEC,
            "drop" | "shot" => Self::SHOT,
            "pass" | "ok" => Self::OK,
            "reclassify" => Self::RECLASSIFY,
            "pipe" => Self::PIPE,
            "trap" => Self::TRAP,
            _ => return None,
        })
    }
}

impl fmt::Display for Verdict {
    /// tc's spelling: the name, `jump N`, `goto chain N`, else the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.tc_name() {
            return f.write_str(n);
        }
        let v = self.0;
        if v & 0x7000_0000 == Self::JUMP {
            write!(f, "jump {}", v & 0x0fff_ffff)
        } else if v & 0x7000_0000 == Self::GOTO_CHAIN {
            write!(f, "goto chain {}", v & 0x0fff_ffff)
        } else {
            write!(f, "{v}")
        }
    }
}

/// `tc_gen`: the fields every action's parameters start with.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct TcGen {
    /// `index`: the action's index (0: the kernel picks one).
    pub index: U32<NativeEndian>,
    /// `capab`.
    pub capab: U32<NativeEndian>,
    /// `action`: the [`Verdict`].
    pub action: I32<NativeEndian>,
    /// `refcnt`.
    pub refcnt: I32<NativeEndian>,
    /// `bindcnt`.
    pub bindcnt: I32<NativeEndian>,
}

/// `struct tc_mirred`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct MirredParms {
    /// The common part.
    pub common: TcGen,
    /// `eaction`: a [`MirredAction`].
    pub eaction: I32<NativeEndian>,
    /// `ifindex`: the target device.
    pub ifindex: U32<NativeEndian>,
}

open_enum! {
    /// What mirred does (`TCA_*_REDIR`, `TCA_*_MIRROR`).
    pub struct MirredAction(i32) {
        /// `TCA_EGRESS_REDIR`.
        EGRESS_REDIR = 1,
        /// `TCA_EGRESS_MIRROR`.
        EGRESS_MIRROR = 2,
        /// `TCA_INGRESS_REDIR`.
        INGRESS_REDIR = 3,
        /// `TCA_INGRESS_MIRROR`.
        INGRESS_MIRROR = 4,
    }
}

impl MirredAction {
    /// tc's text (`mirred_n2a`): `Egress Redirect`, `Ingress Mirror`, …
    pub fn tc_text(self) -> &'static str {
        match self {
            Self::EGRESS_REDIR => "Egress Redirect",
            Self::INGRESS_REDIR => "Ingress Redirect",
            Self::EGRESS_MIRROR => "Egress Mirror",
            Self::INGRESS_MIRROR => "Ingress Mirror",
            _ => "unknown",
        }
    }

    /// `redirect` or `mirror` (tc's JSON `mirred_action`).
    pub fn verb(self) -> &'static str {
        match self {
            Self::EGRESS_REDIR | Self::INGRESS_REDIR => "redirect",
            Self::EGRESS_MIRROR | Self::INGRESS_MIRROR => "mirror",
            _ => "unknown",
        }
    }

    /// `egress` or `ingress` (tc's JSON `direction`).
    pub fn direction(self) -> &'static str {
        match self {
            Self::EGRESS_REDIR | Self::EGRESS_MIRROR => "egress",
            Self::INGRESS_REDIR | Self::INGRESS_MIRROR => "ingress",
            _ => "unknown",
        }
    }
}

/// `struct tcf_t`: an action's times, in `USER_HZ` ticks (tc divides by 100).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct Tm {
    /// `install`: since installed.
    pub install: U64<NativeEndian>,
    /// `lastuse`: since last used.
    pub lastuse: U64<NativeEndian>,
    /// `expires`.
    pub expires: U64<NativeEndian>,
    /// `firstuse`: since first used.
    pub firstuse: U64<NativeEndian>,
}

/// An action's kind-specific parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActionParams {
    /// `mirred`.
    Mirred(MirredParms),
    /// `gact`: the verdict in its `tc_gen`.
    Gact(TcGen),
    /// `skbedit`.
    Skbedit(super::act_skbedit::Skbedit),
    /// `police`.
    Police(super::act_police::Police),
    /// A kind not decoded here.
    Other,
}

/// One action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Its place in the list (1-based; the nest's type).
    pub order: u16,
    /// `TCA_ACT_KIND`.
    pub kind: KindName,
    /// `TCA_ACT_OPTIONS`, typed.
    pub params: ActionParams,
    /// `TCA_ACT_INDEX`.
    pub index: Option<u32>,
    /// `TCA_ACT_STATS`.
    pub stats: Option<Stats>,
    /// The kind's `*_TM` (install and use times).
    pub tm: Option<Tm>,
    /// `TCA_ACT_IN_HW_COUNT`.
    pub in_hw_count: Option<u32>,
    /// `TCA_ACT_FLAGS` as (value, selector).
    pub flags: Option<(u32, u32)>,
    /// `TCA_ACT_COOKIE`: up to 16 bytes the user attached.
    pub cookie: Option<Cookie>,
    /// `TCA_ACT_HW_STATS` as (value, selector).
    pub hw_stats: Option<(u32, u32)>,
    /// `TCA_ACT_USED_HW_STATS` as (value, selector).
    pub used_hw_stats: Option<(u32, u32)>,
}

/// An action's cookie (`TC_COOKIE_MAX_SIZE` is 16).
pub type Cookie = heapless::Vec<u8, 16>;

/// An `nla_bitfield32` as (value, selector).
fn bitfield(attr: &crate::wire::Attr<'_>) -> Result<(u32, u32), DecodeError> {
    let v = attr.u64()?.to_ne_bytes();
    let (x, y) = v.split_at(4);
    Ok((
        u32::from_ne_bytes(x.try_into().unwrap_or_default()),
        u32::from_ne_bytes(y.try_into().unwrap_or_default()),
    ))
}

/// `mirred`'s and `gact`'s `*_TM` and `*_PARMS` attribute types.
const TM: u16 = 1;
const PARMS: u16 = 2;

impl Action {
    /// `mirred egress|ingress redirect|mirror dev IFINDEX`, with tc's
    /// default verdict (`stolen` for a redirect, `pipe` for a mirror).
    pub fn mirred(eaction: MirredAction, ifindex: u32) -> Self {
        let verdict = match eaction {
            MirredAction::EGRESS_MIRROR | MirredAction::INGRESS_MIRROR => Verdict::PIPE,
            _ => Verdict::STOLEN,
        };
        Self::new(
            "mirred",
            ActionParams::Mirred(MirredParms {
                common: TcGen {
                    action: verdict.0.into(),
                    ..TcGen::default()
                },
                eaction: eaction.0.into(),
                ifindex: ifindex.into(),
            }),
        )
    }

    /// `gact VERDICT` (`action drop`, `action pass`, …).
    pub fn gact(verdict: Verdict) -> Self {
        Self::new(
            "gact",
            ActionParams::Gact(TcGen {
                action: verdict.0.into(),
                ..TcGen::default()
            }),
        )
    }

    /// `skbedit …`.
    pub fn skbedit(s: super::act_skbedit::Skbedit) -> Self {
        Self::new("skbedit", ActionParams::Skbedit(s))
    }

    /// `police …`.
    pub fn police(p: super::act_police::Police) -> Self {
        Self::new("police", ActionParams::Police(p))
    }

    fn new(kind: &str, params: ActionParams) -> Self {
        Self {
            order: 0,
            kind: KindName::try_from(kind).unwrap_or_default(),
            params,
            index: None,
            stats: None,
            tm: None,
            in_hw_count: None,
            flags: None,
            cookie: None,
            hw_stats: None,
            used_hw_stats: None,
        }
    }

    /// Set the index in the parameters (`… index N`).
    pub fn set_index(&mut self, index: u32) {
        match &mut self.params {
            ActionParams::Mirred(m) => m.common.index = index.into(),
            ActionParams::Gact(g) => g.index = index.into(),
            ActionParams::Skbedit(s) => s.common.index = index.into(),
            ActionParams::Police(p) => p.parms.index = index.into(),
            ActionParams::Other => {}
        }
    }

    /// The index in the parameters (`TCA_ACT_INDEX` when they have none).
    pub fn param_index(&self) -> Option<u32> {
        match &self.params {
            ActionParams::Police(p) => Some(p.parms.index.get()),
            _ => self.common().map(|g| g.index.get()).or(self.index),
        }
    }

    /// The verdict in the parameters' `tc_gen`.
    pub fn verdict(&self) -> Option<Verdict> {
        match &self.params {
            ActionParams::Mirred(m) => Some(Verdict(m.common.action.get())),
            ActionParams::Gact(g) => Some(Verdict(g.action.get())),
            ActionParams::Skbedit(s) => Some(Verdict(s.common.action.get())),
            ActionParams::Police(p) => Some(Verdict(p.parms.action.get())),
            ActionParams::Other => None,
        }
    }

    /// Set the verdict (tc's control word after an action).
    pub fn set_verdict(&mut self, v: Verdict) {
        match &mut self.params {
            ActionParams::Mirred(m) => m.common.action = v.0.into(),
            ActionParams::Gact(g) => g.action = v.0.into(),
            ActionParams::Skbedit(s) => s.common.action = v.0.into(),
            ActionParams::Police(p) => p.parms.action = v.0.into(),
            ActionParams::Other => {}
        }
    }

    /// The parameters' `tc_gen`.
    pub fn common(&self) -> Option<&TcGen> {
        match &self.params {
            ActionParams::Mirred(m) => Some(&m.common),
            ActionParams::Gact(g) => Some(g),
            ActionParams::Skbedit(s) => Some(&s.common),
            ActionParams::Police(_) | ActionParams::Other => None,
        }
    }

    fn emit(&self, w: &mut MsgWriter<'_>, order: u16) -> Result<(), EncodeError> {
        let outer = w.begin_nest_unflagged(order)?;
        w.put_str(ActAttr::KIND.0, &self.kind)?;
        let opts = w.begin_nest(ActAttr::OPTIONS.0)?;
        match &self.params {
            ActionParams::Mirred(m) => w.put(PARMS, m.as_bytes())?,
            ActionParams::Gact(g) => w.put(PARMS, g.as_bytes())?,
            ActionParams::Skbedit(s) => s.emit(w)?,
            ActionParams::Police(p) => p.emit(w)?,
            ActionParams::Other => {
                return Err(EncodeError::Invalid {
                    what: "an action of an unknown kind cannot be encoded",
                });
            }
        }
        w.end_nest(opts)?;
        if let Some(c) = &self.cookie {
            w.put(ActAttr::COOKIE.0, c)?;
        }
        w.end_nest(outer)
    }

    fn decode(order: u16, payload: &[u8]) -> Result<Self, DecodeError> {
        let mut a = Self::new("", ActionParams::Other);
        a.order = order;
        let mut opts = None;
        for attr in super::nested(payload).map_while(Result::ok) {
            match ActAttr(attr.kind()) {
                ActAttr::KIND => {
                    let k = attr.cstr()?;
                    a.kind = KindName::try_from(k).map_err(|_| DecodeError::TooLong {
                        what: "TCA_ACT_KIND",
                        len: k.len(),
                        cap: 15,
                    })?;
                }
                ActAttr::OPTIONS => opts = Some(attr.payload()),
                ActAttr::INDEX => a.index = Some(attr.u32()?),
                ActAttr::STATS => a.stats = Some(Stats::decode_stats2(attr.payload())?.0),
                ActAttr::IN_HW_COUNT => a.in_hw_count = Some(attr.u32()?),
                ActAttr::FLAGS => a.flags = Some(bitfield(&attr)?),
                ActAttr::HW_STATS => a.hw_stats = Some(bitfield(&attr)?),
                ActAttr::USED_HW_STATS => a.used_hw_stats = Some(bitfield(&attr)?),
                ActAttr::COOKIE => {
                    let c = attr.payload();
                    a.cookie = Some(Cookie::from_slice(c).map_err(|_| DecodeError::TooLong {
                        what: "TCA_ACT_COOKIE",
                        len: c.len(),
                        cap: 16,
                    })?);
                }
                _ => {}
            }
        }
        if let (Some(p), "police") = (opts, a.kind.as_str()) {
            let police = super::act_police::Police::decode(p)?;
            a.tm = police.tm;
            a.params = ActionParams::Police(police);
            return Ok(a);
        }
        if let (Some(p), "skbedit") = (opts, a.kind.as_str()) {
            let mut s = super::act_skbedit::Skbedit::default();
            for attr in super::nested(p).map_while(Result::ok) {
                if !s.decode_attr(&attr)? && attr.kind() == super::act_skbedit::attr::TM {
                    a.tm = Some(super::read_struct(attr.payload()));
                }
            }
            a.params = ActionParams::Skbedit(s);
            return Ok(a);
        }
        if let Some(p) = opts {
            for attr in super::nested(p).map_while(Result::ok) {
                match (a.kind.as_str(), attr.kind()) {
                    ("mirred", PARMS) => {
                        a.params = ActionParams::Mirred(super::read_struct(attr.payload()));
                    }
                    ("gact", PARMS) => {
                        a.params = ActionParams::Gact(super::read_struct(attr.payload()))
                    }
                    ("mirred" | "gact", TM) => a.tm = Some(super::read_struct(attr.payload())),
                    _ => {}
                }
            }
        }
        Ok(a)
    }
}

/// The most actions one decoded filter holds. The kernel allows 32
/// (`TCA_ACT_MAX_PRIO`); a filter with more fails to decode with
/// [`DecodeError::TooLong`] rather than losing some, and 8 keeps a
/// decoded filter small.
pub const MAX_ACTIONS: usize = 8;

/// A filter's actions, in order.
pub type Actions = heapless::Vec<Action, MAX_ACTIONS>;

/// Write `actions` as a nest of type `kind` (u32's `TCA_U32_ACT`),
/// numbered from 1. Nothing when empty.
///
/// # Errors
///
/// [`EncodeError::BufferFull`]; [`EncodeError::Invalid`] for an action
/// of a kind not encoded here.
pub fn emit_actions(
    w: &mut MsgWriter<'_>,
    kind: u16,
    actions: &[Action],
) -> Result<(), EncodeError> {
    if actions.is_empty() {
        return Ok(());
    }
    let nest = w.begin_nest_unflagged(kind)?;
    for (i, a) in actions.iter().enumerate() {
        let order = u16::try_from(i + 1).map_err(|_| EncodeError::Invalid {
            what: "too many actions",
        })?;
        a.emit(w, order)?;
    }
    w.end_nest(nest)
}

/// Decode a nest of actions (the payload of `TCA_U32_ACT`).
///
/// # Errors
///
/// [`DecodeError::TooLong`] past [`MAX_ACTIONS`]; an action's own errors.
pub fn decode_actions(payload: &[u8]) -> Result<Actions, DecodeError> {
    let mut out = Actions::new();
    decode_actions_into(payload, &mut out)?;
    Ok(out)
}

/// [`decode_actions`] into `out`, reusing its storage.
///
/// # Errors
///
/// As [`decode_actions`].
pub fn decode_actions_into(payload: &[u8], out: &mut Actions) -> Result<(), DecodeError> {
    decode_actions_into_vec(payload, out)
}

/// [`decode_actions_into`] for a list of any capacity (a standalone
/// actions message holds up to 32, `TCA_ACT_MAX_PRIO`).
///
/// # Errors
///
/// [`DecodeError::TooLong`] past `N`; an action's own errors.
pub fn decode_actions_into_vec<const N: usize>(
    payload: &[u8],
    out: &mut heapless::Vec<Action, N>,
) -> Result<(), DecodeError> {
    out.clear();
    for attr in super::nested(payload).map_while(Result::ok) {
        let a = Action::decode(attr.kind(), attr.payload())?;
        out.push(a).map_err(|_| DecodeError::TooLong {
            what: "actions",
            len: N + 1,
            cap: N,
        })?;
    }
    Ok(())
}
