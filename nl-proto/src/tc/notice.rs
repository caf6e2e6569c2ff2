//! What a traffic-control notification is about, in a few bytes: the
//! object, whether it went away, and its identity (device, handle,
//! parent, priority and protocol, kind, chain; an action's kind and
//! index). Monitors announce it as
//! [`Change::Tc`](crate::route::change::Change::Tc); the whole object is
//! one [`Tc::decode`](super::Tc::decode) (or [`Chain::decode`],
//! [`ActionMsg::decode`]) of the same message away, so a stream of
//! notifications stays small even though a decoded u32 filter is a few
//! KiB.
//!
//! [`Chain::decode`]: super::chain::Chain::decode
//! [`ActionMsg::decode`]: super::act_msg::ActionMsg::decode

use super::act_msg::ROOT_TAB;
use super::action::ActAttr;
use super::{
    Handle, KindName, Object, RTM_DELACTION, RTM_DELCHAIN, RTM_GETACTION, RTM_NEWACTION,
    RTM_NEWCHAIN, TcAttr, TcMsg,
};
use crate::DecodeError;
use crate::wire::{Msg, MsgType};

/// Which traffic-control object a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcObject {
    /// A qdisc, class or filter.
    Tc(Object),
    /// A filter chain.
    Chain,
    /// Standalone actions.
    Action,
}

/// A traffic-control notification's identity. See the module doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcNotice {
    /// The message type it was announced with.
    pub msg_type: MsgType,
    /// The object.
    pub object: TcObject,
    /// Announced with `RTM_DEL*`.
    pub deleted: bool,
    /// `tcm_ifindex` (0 for actions).
    pub ifindex: i32,
    /// `tcm_handle`; for actions, the first action's index.
    pub handle: Handle,
    /// `tcm_parent`.
    pub parent: Handle,
    /// `tcm_info` (a filter's priority and protocol).
    pub info: u32,
    /// `TCA_KIND`; for actions, the first action's kind.
    pub kind: KindName,
    /// `TCA_CHAIN`.
    pub chain: Option<u32>,
}

impl TcNotice {
    /// Read the identity of a qdisc, class, filter, chain or action
    /// message; `None` for other types (and for `RTM_GET*` requests).
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] for a header cut short; attribute
    /// sizes.
    pub fn decode(msg: &Msg<'_>) -> Result<Option<Self>, DecodeError> {
        let ty = msg.msg_type();
        let (object, deleted) = if let Some(o) = Object::of(ty) {
            if o.types()[2] == ty {
                return Ok(None);
            }
            (TcObject::Tc(o), o.types()[1] == ty)
        } else if ty == RTM_NEWCHAIN || ty == RTM_DELCHAIN {
            (TcObject::Chain, ty == RTM_DELCHAIN)
        } else if ty == RTM_NEWACTION || ty == RTM_DELACTION || ty == RTM_GETACTION {
            (TcObject::Action, ty == RTM_DELACTION)
        } else {
            return Ok(None);
        };
        let mut n = Self {
            msg_type: ty,
            object,
            deleted,
            ifindex: 0,
            handle: Handle::UNSPEC,
            parent: Handle::UNSPEC,
            info: 0,
            kind: KindName::new(),
            chain: None,
        };
        let set_kind = |n: &mut Self, k: &str| {
            n.kind = KindName::try_from(k).map_err(|_| DecodeError::TooLong {
                what: "TCA_KIND",
                len: k.len(),
                cap: 15,
            })?;
            Ok::<(), DecodeError>(())
        };
        if object == TcObject::Action {
            let (_, attrs) = msg.split::<super::act_msg::TcaMsg>("tcamsg")?;
            let tab = attrs.map_while(Result::ok).find(|a| a.kind() == ROOT_TAB);
            let first = tab.and_then(|t| super::nested(t.payload()).map_while(Result::ok).next());
            if let Some(f) = first {
                for a in super::nested(f.payload()).map_while(Result::ok) {
                    match ActAttr(a.kind()) {
                        ActAttr::KIND => set_kind(&mut n, a.cstr()?)?,
                        ActAttr::INDEX => n.handle = Handle(a.u32()?),
                        _ => {}
                    }
                }
            }
            return Ok(Some(n));
        }
        let (hdr, attrs) = msg.split::<TcMsg>("tcmsg")?;
        n.ifindex = hdr.ifindex.get();
        n.handle = Handle(hdr.handle.get());
        n.parent = Handle(hdr.parent.get());
        n.info = hdr.info.get();
        for a in attrs.map_while(Result::ok) {
            match TcAttr(a.kind()) {
                TcAttr::KIND => set_kind(&mut n, a.cstr()?)?,
                TcAttr::CHAIN => n.chain = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(Some(n))
    }
}
