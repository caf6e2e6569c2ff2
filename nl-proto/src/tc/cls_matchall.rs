//! The `matchall` classifier (`TCA_MATCHALL_*`): every packet, a class
//! id and/or actions.

use super::action::{self, Actions};
use super::{Handle, TcAttr};
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

const CLASSID: u16 = 1;
const ACT: u16 = 2;
const FLAGS: u16 = 3;

/// A matchall filter's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatchallFilter {
    /// `TCA_MATCHALL_CLASSID`.
    pub classid: Option<Handle>,
    /// `TCA_MATCHALL_ACT`.
    pub actions: Actions,
    /// `TCA_MATCHALL_FLAGS` (`TCA_CLS_FLAGS_*`).
    pub flags: Option<u32>,
}

impl MatchallFilter {
    /// Write `TCA_OPTIONS` in tc's order: class id, actions, flags.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; actions of kinds not encoded here.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if let Some(c) = self.classid {
            w.put_u32(CLASSID, c.0)?;
        }
        action::emit_actions(w, ACT, &self.actions)?;
        if let Some(f) = self.flags {
            w.put_u32(FLAGS, f)?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut m = Self::default();
        for attr in super::nested(payload).map_while(Result::ok) {
            match attr.kind() {
                CLASSID => m.classid = Some(Handle(attr.u32()?)),
                ACT => m.actions = action::decode_actions(attr.payload())?,
                FLAGS => m.flags = Some(attr.u32()?),
                _ => {}
            }
        }
        Ok(m)
    }
}
