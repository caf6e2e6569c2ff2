//! The `basic` classifier (`TCA_BASIC_*`): every packet (or those its
//! extended matches pick), a class id, a policer and actions. Extended
//! matches (`TCA_BASIC_EMATCHES`) are kept as their size, not decoded.

use super::act_police::Police;
use super::action::{self, Actions};
use super::{Handle, TcAttr};
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

const CLASSID: u16 = 1;
const EMATCHES: u16 = 2;
const ACT: u16 = 3;
const POLICE: u16 = 4;

/// A basic filter's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BasicFilter {
    /// `TCA_BASIC_CLASSID`.
    pub classid: Option<Handle>,
    /// `TCA_BASIC_POLICE`.
    pub police: Option<Police>,
    /// `TCA_BASIC_ACT`.
    pub actions: Actions,
    /// Bytes of `TCA_BASIC_EMATCHES` the kernel reported.
    pub ematches_len: Option<usize>,
    /// Whether any option was given (tc sends no `TCA_OPTIONS` for a
    /// bare `basic`).
    pub empty: bool,
}

impl BasicFilter {
    /// Write `TCA_OPTIONS`: class id, policer, actions (tc writes them
    /// in the order of their words; this is the order they are usually
    /// given in).
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; [`EncodeError::Invalid`] for extended
    /// matches, which are not encoded here.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if self.empty {
            return Ok(());
        }
        if self.ematches_len.is_some() {
            return Err(EncodeError::Invalid {
                what: "basic's extended matches cannot be encoded",
            });
        }
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if let Some(c) = self.classid {
            w.put_u32(CLASSID, c.0)?;
        }
        if let Some(p) = &self.police {
            let n = w.begin_nest_unflagged(POLICE)?;
            p.emit(w)?;
            w.end_nest(n)?;
        }
        action::emit_actions(w, ACT, &self.actions)?;
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut b = Self::default();
        for a in super::nested(payload).map_while(Result::ok) {
            match a.kind() {
                CLASSID => b.classid = Some(Handle(a.u32()?)),
                EMATCHES => b.ematches_len = Some(a.payload().len()),
                ACT => action::decode_actions_into(a.payload(), &mut b.actions)?,
                POLICE => b.police = Some(Police::decode(a.payload())?),
                _ => {}
            }
        }
        Ok(b)
    }
}
