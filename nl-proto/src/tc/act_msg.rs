//! Standalone actions (`RTM_{NEW,DEL,GET}ACTION`, `tc actions …`):
//! actions that live in the kernel's per-kind tables, not bound to one
//! filter, addressed by kind and index. The family header is `struct
//! tcamsg` (a family byte and padding); the actions travel in
//! `TCA_ACT_TAB` as a filter's do, numbered from 1.
//!
//! ```
//! use nl_proto::tc::act_msg::{self, ActionMsg};
//! use nl_proto::tc::action::{Action, MirredAction};
//! use nl_proto::tc::Mode;
//! use nl_proto::wire::{Msg, MsgWriter};
//!
//! // `tc actions add action mirred egress mirror index 1 dev IFINDEX 2`
//! let mut a = Action::mirred(MirredAction::EGRESS_MIRROR, 2);
//! a.set_index(1);
//! let mut buf = [0u8; 256];
//! let mut w = MsgWriter::new(&mut buf);
//! let req = act_msg::encode_new(&mut w, Mode::Add, &[a])?;
//! let back = ActionMsg::decode(&Msg::parse(req.msg)?.0)?;
//! assert_eq!(back.actions[0].kind.as_str(), "mirred");
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::action::{self, ActAttr, Action};
use super::{Mode, RTM_DELACTION, RTM_GETACTION, RTM_NEWACTION};
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `struct tcamsg`.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct TcaMsg {
    /// `tca_family` (`AF_UNSPEC`).
    pub family: u8,
    /// `tca__pad1`.
    pub pad1: u8,
    /// `tca__pad2`.
    pub pad2: [u8; 2],
}

/// `TCA_ROOT_TAB` (`TCA_ACT_TAB`): the actions.
pub const ROOT_TAB: u16 = 1;
/// `TCA_ROOT_FLAGS`: `nla_bitfield32` of `TCA_ACT_FLAG_*`.
pub const ROOT_FLAGS: u16 = 2;
/// `TCA_ROOT_COUNT`: u32, actions in this message of a dump.
pub const ROOT_COUNT: u16 = 3;
/// `TCA_ACT_FLAG_LARGE_DUMP_ON`: many actions per dump message.
pub const FLAG_LARGE_DUMP_ON: u32 = 1;

/// The most actions one message carries (`TCA_ACT_MAX_PRIO`).
pub const MAX_TABLE: usize = 32;

/// The actions of one message, in order.
pub type TableActions = heapless::Vec<Action, MAX_TABLE>;

/// A decoded `RTM_NEWACTION`, `RTM_DELACTION` or `RTM_GETACTION`
/// (a few KiB: up to 32 actions inline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionMsg {
    /// `TCA_ROOT_COUNT`.
    pub count: Option<u32>,
    /// `TCA_ACT_TAB`, when present.
    pub actions: TableActions,
    /// Whether the message had `TCA_ACT_TAB` at all.
    pub has_tab: bool,
}

impl ActionMsg {
    /// Decode an action message.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`]; the
    /// actions' own errors.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != RTM_NEWACTION && ty != RTM_DELACTION && ty != RTM_GETACTION {
            return Err(DecodeError::UnexpectedType {
                what: "tcamsg",
                ty: ty.0,
            });
        }
        let (_, attrs) = msg.split::<TcaMsg>("tcamsg")?;
        let mut m = Self {
            count: None,
            actions: TableActions::new(),
            has_tab: false,
        };
        for a in attrs.map_while(Result::ok) {
            match a.kind() {
                ROOT_COUNT => m.count = Some(a.u32()?),
                ROOT_TAB => {
                    m.has_tab = true;
                    action::decode_actions_into_vec(a.payload(), &mut m.actions)?;
                }
                _ => {}
            }
        }
        Ok(m)
    }
}

/// `tc actions add|replace …`: `RTM_NEWACTION` with `actions` in
/// `TCA_ACT_TAB` (add: `NLM_F_CREATE | NLM_F_EXCL`; replace and change:
/// `NLM_F_CREATE | NLM_F_REPLACE`).
///
/// # Errors
///
/// [`EncodeError::BufferFull`]; actions of kinds not encoded here.
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    mode: Mode,
    actions: &[Action],
) -> Result<Request<'w>, EncodeError> {
    let flags = match mode {
        Mode::Add => Mode::Add.flags(),
        _ => Mode::Replace.flags(),
    };
    let msg = w.message(RTM_NEWACTION, flags, |w| {
        w.put_fixed(&TcaMsg::default())?;
        action::emit_actions(w, ROOT_TAB, actions)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

fn by_index(w: &mut MsgWriter<'_>, which: &[(&str, u32)]) -> Result<(), EncodeError> {
    w.put_fixed(&TcaMsg::default())?;
    let tab = w.begin_nest_unflagged(ROOT_TAB)?;
    for (i, (kind, index)) in which.iter().enumerate() {
        let order = u16::try_from(i + 1).map_err(|_| EncodeError::Invalid {
            what: "too many actions",
        })?;
        let n = w.begin_nest_unflagged(order)?;
        w.put_str(ActAttr::KIND.0, kind)?;
        if *index > 0 {
            w.put_u32(ActAttr::INDEX.0, *index)?;
        }
        w.end_nest(n)?;
    }
    w.end_nest(tab)
}

/// `tc actions del action KIND index N …`: `RTM_DELACTION` naming each
/// action by kind and index.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    which: &[(&str, u32)],
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_DELACTION, Flags::REQUEST, |w| by_index(w, which))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `tc actions get action KIND index N`: `RTM_GETACTION`; the kernel
/// answers with the actions in one message.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    which: &[(&str, u32)],
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_GETACTION, Flags::REQUEST, |w| by_index(w, which))?;
    Ok(Request::new(msg, Expect::Ack))
}

fn whole_kind(w: &mut MsgWriter<'_>, kind: &str) -> Result<(), EncodeError> {
    w.put_fixed(&TcaMsg::default())?;
    let tab = w.begin_nest_unflagged(ROOT_TAB)?;
    let n = w.begin_nest_unflagged(1)?;
    w.put_str(ActAttr::KIND.0, kind)?;
    w.end_nest(n)?;
    w.end_nest(tab)?;
    let mut bf = [0u8; 8];
    bf[..4].copy_from_slice(&FLAG_LARGE_DUMP_ON.to_ne_bytes());
    bf[4..].copy_from_slice(&FLAG_LARGE_DUMP_ON.to_ne_bytes());
    w.put(ROOT_FLAGS, &bf)
}

/// `tc actions list action KIND`: `RTM_GETACTION` with `NLM_F_DUMP`,
/// large dumps on (several actions per message, each with its count).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(w: &'w mut MsgWriter<'_>, kind: &str) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_GETACTION, Flags::REQUEST | Flags::DUMP, |w| {
        whole_kind(w, kind)
    })?;
    Ok(Request::new(msg, Expect::Dump))
}

/// `tc actions flush action KIND`: `RTM_DELACTION` with `NLM_F_ROOT`
/// and the dump's body, as tc sends it.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_flush<'w>(w: &'w mut MsgWriter<'_>, kind: &str) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_DELACTION, Flags::REQUEST | Flags::ROOT, |w| {
        whole_kind(w, kind)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}
