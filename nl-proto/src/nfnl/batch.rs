//! Batch framing: `NFNL_MSG_BATCH_BEGIN` … inner messages …
//! `NFNL_MSG_BATCH_END`, and the `nlmsghdr` + `nfgenmsg` start of every
//! nfnetlink message. See the [module docs](super#batches) for what the
//! kernel answers.
//!
//! ```text
//! BATCH_BEGIN  nlmsghdr(0x10, REQUEST) | nfgenmsg(AF_UNSPEC, 0, res_id = subsys)
//! inner ...    nlmsghdr(subsys << 8 | msg, REQUEST [| ACK by the session]) | nfgenmsg | attrs
//! BATCH_END    nlmsghdr(0x11, REQUEST) | nfgenmsg(AF_UNSPEC, 0, res_id = subsys)
//! ```

use super::{
    BatchAttr, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END, NfGenMsg, NfProto, Subsys, msg_type,
};
use crate::EncodeError;
use crate::session::{Expect, Request};
use crate::wire::{Flags, MsgType, MsgWriter};

/// Start an nfnetlink message: `nlmsghdr` (type `subsys << 8 | msg`,
/// `flags`) and `nfgenmsg` (`family`, version 0, `res_id` 0). Attributes
/// follow with the writer's `put_*` calls, then
/// [`MsgWriter::finish`].
///
/// # Errors
///
/// [`EncodeError::BufferFull`] or [`EncodeError::Misuse`] (a message is
/// already open). On error no message is left open.
pub fn begin_msg(
    w: &mut MsgWriter<'_>,
    subsys: Subsys,
    msg: u8,
    family: NfProto,
    flags: Flags,
) -> Result<(), EncodeError> {
    w.begin(msg_type(subsys, msg), flags)?;
    if let Err(e) = w.put_fixed(&NfGenMsg::new(family, 0)) {
        w.cancel();
        return Err(e);
    }
    Ok(())
}

fn delimiter<'w>(
    w: &'w mut MsgWriter<'_>,
    ty: MsgType,
    subsys: Subsys,
    genid: Option<u32>,
    expect: Expect,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(ty, Flags::REQUEST, |w| {
        w.put_fixed(&NfGenMsg::new(NfProto::UNSPEC, u16::from(subsys.0)))?;
        match genid {
            Some(genid) => w.put_be32(BatchAttr::GENID.0, genid),
            None => Ok(()),
        }
    })?;
    Ok(Request::new(msg, expect))
}

/// `NFNL_MSG_BATCH_BEGIN` for a batch of `subsys` messages (in practice
/// [`Subsys::NFTABLES`]): `nfgen_family` `AF_UNSPEC`, `res_id` = the
/// subsystem. [`Expect::BatchBegin`]: the kernel answers it only to refuse
/// or fail the whole batch.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn begin_batch<'w>(
    w: &'w mut MsgWriter<'_>,
    subsys: Subsys,
) -> Result<Request<'w>, EncodeError> {
    delimiter(w, NFNL_MSG_BATCH_BEGIN, subsys, None, Expect::BatchBegin)
}

/// [`begin_batch`] with `NFNL_BATCH_GENID`: the kernel refuses the batch
/// (`ERESTART`) if the ruleset generation is no longer `genid`, so changes
/// computed from a listing are not applied to a ruleset that moved on.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn begin_batch_genid<'w>(
    w: &'w mut MsgWriter<'_>,
    subsys: Subsys,
    genid: u32,
) -> Result<Request<'w>, EncodeError> {
    delimiter(
        w,
        NFNL_MSG_BATCH_BEGIN,
        subsys,
        Some(genid),
        Expect::BatchBegin,
    )
}

/// `NFNL_MSG_BATCH_END` closing a batch of `subsys` messages
/// ([`Expect::BatchEnd`]: never answered, as `NLM_F_ACK` is not set).
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn end_batch<'w>(w: &'w mut MsgWriter<'_>, subsys: Subsys) -> Result<Request<'w>, EncodeError> {
    delimiter(w, NFNL_MSG_BATCH_END, subsys, None, Expect::BatchEnd)
}

/// `NLMSG_NOOP` with `NLM_F_ACK` (set by the session, [`Expect::Ack`]): the
/// barrier sent in a datagram of its own after a batch's. Every netlink
/// protocol acks it (nfnetlink refuses it with `EPERM` without
/// `CAP_NET_ADMIN`, which is an answer too), and that answer comes after
/// everything the kernel sent about the batch: once it is in, the batch's
/// outcome is known and the session has forgotten the batch. See the
/// [module docs](super#batches).
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_barrier<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(NLMSG_NOOP, Flags::REQUEST, |_| Ok(()))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// `NLMSG_NOOP` (`include/uapi/linux/netlink.h`).
const NLMSG_NOOP: MsgType = MsgType(1);

/// A batch of one subsystem's messages: the subsystem named once, for
/// callers that write several batches.
///
/// ```
/// use nl_proto::nfnl::{NfProto, batch::Batch, nft};
/// use nl_proto::wire::MsgWriter;
/// let mut buf = [0u8; 128];
/// let mut w = MsgWriter::new(&mut buf);
/// let batch = Batch::NFTABLES;
/// let _begin = batch.begin(&mut w)?;          // submit each to the session
/// let _add = nft::encode_new_table(&mut w, NfProto::INET, "t")?;
/// let _end = batch.end(&mut w)?;
/// assert_eq!(w.finished().len(), 20 + 36 + 20); // one sendmsg
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// The subsystem of the batch (the delimiters' `res_id`).
    pub subsys: Subsys,
}

impl Batch {
    /// An nf_tables batch.
    pub const NFTABLES: Self = Self {
        subsys: Subsys::NFTABLES,
    };

    /// [`begin_batch`] for this subsystem.
    ///
    /// # Errors
    ///
    /// As [`begin_batch`].
    pub fn begin<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        begin_batch(w, self.subsys)
    }

    /// [`begin_msg`] for message `msg` of this subsystem.
    ///
    /// # Errors
    ///
    /// As [`begin_msg`].
    pub fn begin_msg(
        &self,
        w: &mut MsgWriter<'_>,
        msg: u8,
        family: NfProto,
        flags: Flags,
    ) -> Result<(), EncodeError> {
        begin_msg(w, self.subsys, msg, family, flags)
    }

    /// [`end_batch`] for this subsystem.
    ///
    /// # Errors
    ///
    /// As [`end_batch`].
    pub fn end<'w>(&self, w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, EncodeError> {
        end_batch(w, self.subsys)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::wire::{Msg, Msgs};

    /// nft's NFNL_MSG_BATCH_BEGIN (nft_add_table.jsonl #4, first message).
    const BEGIN: [u8; 20] = [
        0x14, 0, 0, 0, 0x10, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: BATCH_BEGIN, REQUEST
        0, 0, 0, 10, // nfgenmsg: AF_UNSPEC, v0, res_id NFNL_SUBSYS_NFTABLES (BE)
    ];
    /// nft's NFNL_MSG_BATCH_END (nft_add_table.jsonl #4, last message).
    const END: [u8; 20] = [
        0x14, 0, 0, 0, 0x11, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0,
        0, // nlmsghdr: BATCH_END, REQUEST
        0, 0, 0, 10, // nfgenmsg: AF_UNSPEC, v0, res_id NFNL_SUBSYS_NFTABLES (BE)
    ];

    #[test]
    fn delimiters_match_nft() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = begin_batch(&mut w, Subsys::NFTABLES).unwrap();
        assert_eq!(r.expect, Expect::BatchBegin);
        assert_eq!(&r.msg[..], &BEGIN[..]);
        let r = Batch::NFTABLES.end(&mut w).unwrap();
        assert_eq!(r.expect, Expect::BatchEnd);
        assert_eq!(&r.msg[..], &END[..]);
        assert_eq!(w.finished().len(), 40);
    }

    #[test]
    fn barrier_is_a_bare_noop() {
        let mut buf = [0u8; 32];
        let mut w = MsgWriter::new(&mut buf);
        let r = encode_barrier(&mut w).unwrap();
        assert_eq!(r.expect, Expect::Ack);
        assert_eq!(
            &r.msg[..],
            &[16, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn begin_with_genid() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let r = begin_batch_genid(&mut w, Subsys::NFTABLES, 0x1234).unwrap();
        let (m, _) = Msg::parse(r.msg).unwrap();
        assert_eq!(m.msg_type(), NFNL_MSG_BATCH_BEGIN);
        let (h, mut attrs) = m.split::<NfGenMsg>("nfgenmsg").unwrap();
        assert_eq!(h.res_id(), 10);
        let a = attrs.next().unwrap().unwrap();
        assert_eq!((a.kind(), a.be32()), (1, Ok(0x1234)));
    }

    #[test]
    fn inner_message_header() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        Batch::NFTABLES
            .begin_msg(&mut w, 2, NfProto::IPV6, Flags::REQUEST)
            .unwrap();
        let msg = w.finish().unwrap();
        assert_eq!(
            &msg[..],
            &[
                20, 0, 0, 0, 2, 10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0
            ]
        );
    }

    #[test]
    fn rolls_back_when_full() {
        let mut buf = [0u8; 18];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            begin_batch(&mut w, Subsys::NFTABLES),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(w.is_empty() && !w.in_message());
        let mut buf = [0u8; 22];
        let mut w = MsgWriter::new(&mut buf);
        assert!(begin_batch_genid(&mut w, Subsys::NFTABLES, 1).is_err());
        assert!(w.is_empty() && !w.in_message());
        assert_eq!(Msgs::new(w.finished()).count(), 0);
    }
}
