//! Filter chains (`RTM_{NEW,DEL,GET}CHAIN`): the numbered lists of
//! filters under a qdisc or block that `goto chain N` jumps to. A chain
//! message is a `tcmsg` (device and parent) with `TCA_CHAIN`, and a
//! template's kind and options when the chain has one.
//!
//! ```
//! use nl_proto::tc::{Handle, chain};
//! use nl_proto::wire::MsgWriter;
//!
//! // `tc chain add dev IFINDEX 3 parent ffff: chain 3`
//! let mut buf = [0u8; 64];
//! let mut w = MsgWriter::new(&mut buf);
//! let req = chain::encode_new(&mut w, &chain::ChainSpec::new(3, Handle::INGRESS_QDISC, 3))?;
//! let back = chain::Chain::decode(&nl_proto::wire::Msg::parse(req.msg)?.0)?;
//! assert_eq!(back.index, 3);
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use super::{Handle, KindName, NewTc, RTM_DELCHAIN, RTM_GETCHAIN, RTM_NEWCHAIN, TcAttr, TcMsg};
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};

/// A chain, decoded from `RTM_NEWCHAIN` or `RTM_DELCHAIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// `tcm_ifindex`.
    pub ifindex: i32,
    /// `tcm_parent`.
    pub parent: Handle,
    /// `TCA_CHAIN`.
    pub index: u32,
    /// The template's `TCA_KIND`, when the chain has one.
    pub template: Option<KindName>,
    /// Whether this was `RTM_DELCHAIN`.
    pub deleted: bool,
}

impl Chain {
    /// Decode `RTM_NEWCHAIN` or `RTM_DELCHAIN` (or the `RTM_GETCHAIN`
    /// the kernel echoes to `tc chain get`).
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`],
    /// [`DecodeError::MissingAttr`] (no `TCA_CHAIN`).
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let ty = msg.msg_type();
        if ty != RTM_NEWCHAIN && ty != RTM_DELCHAIN && ty != RTM_GETCHAIN {
            return Err(DecodeError::UnexpectedType {
                what: "chain",
                ty: ty.0,
            });
        }
        let (hdr, attrs) = msg.split::<TcMsg>("tcmsg")?;
        let mut index = None;
        let mut template = None;
        for a in attrs.map_while(Result::ok) {
            match TcAttr(a.kind()) {
                TcAttr::CHAIN => index = Some(a.u32()?),
                TcAttr::KIND => {
                    let k = a.cstr()?;
                    template = Some(KindName::try_from(k).map_err(|_| DecodeError::TooLong {
                        what: "TCA_KIND",
                        len: k.len(),
                        cap: 15,
                    })?);
                }
                _ => {}
            }
        }
        Ok(Self {
            ifindex: hdr.ifindex.get(),
            parent: Handle(hdr.parent.get()),
            index: index.ok_or(DecodeError::MissingAttr {
                what: "chain",
                kind: TcAttr::CHAIN.0,
            })?,
            template,
            deleted: ty == RTM_DELCHAIN,
        })
    }
}

/// A chain to add, delete or get: device, parent and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainSpec {
    /// `tcm_ifindex`.
    pub ifindex: i32,
    /// `tcm_parent` (the qdisc: `ffff:` for ingress, `1:` …).
    pub parent: Handle,
    /// `TCA_CHAIN`.
    pub index: u32,
}

impl ChainSpec {
    /// Chain `index` under `parent` on link `ifindex`.
    pub fn new(ifindex: i32, parent: Handle, index: u32) -> Self {
        Self {
            ifindex,
            parent,
            index,
        }
    }

    fn req(&self) -> NewTc<'static> {
        let mut r = NewTc::new(self.ifindex, self.parent, "");
        r.chain = Some(self.index);
        r
    }
}

/// `tc chain add`: `RTM_NEWCHAIN` with `NLM_F_CREATE | NLM_F_EXCL`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    spec: &ChainSpec,
) -> Result<Request<'w>, EncodeError> {
    let flags = Flags::REQUEST | Flags::CREATE | Flags::EXCL;
    let msg = w.message(RTM_NEWCHAIN, flags, |w| spec.req().write(w))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `tc chain del`: `RTM_DELCHAIN`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    spec: &ChainSpec,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_DELCHAIN, Flags::REQUEST, |w| spec.req().write(w))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `tc chain get`: `RTM_GETCHAIN` with `NLM_F_ECHO`, as tc sends it; the
/// kernel answers with one `RTM_NEWCHAIN`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    spec: &ChainSpec,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_GETCHAIN, Flags::REQUEST | Flags::ECHO, |w| {
        spec.req().write(w)
    })?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `tc chain show dev DEV parent P`: `RTM_GETCHAIN` with `NLM_F_DUMP`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    ifindex: i32,
    parent: Handle,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(RTM_GETCHAIN, Flags::REQUEST | Flags::DUMP, |w| {
        NewTc::new(ifindex, parent, "").write(w)
    })?;
    Ok(Request::new(msg, Expect::Dump))
}
