//! What an encoder hands the session: a finished message and what it expects.

/// What a request expects back.
///
/// Told to the session explicitly instead of being inferred from flags:
/// `0x300` is `NLM_F_DUMP` on a GET but `REPLACE | EXCL` on a NEW, and a
/// generic-netlink GET is not recognisable by its message type.
///
/// The two batch kinds frame an nfnetlink transaction (see the
/// [session docs](super#batches)): every request submitted after a
/// [`BatchBegin`](Expect::BatchBegin) up to and including its
/// [`BatchEnd`](Expect::BatchEnd) is a *member* of that batch, whatever
/// its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An acknowledgement, possibly after reply messages. The session sets
    /// `NLM_F_ACK`, so the request always ends with `Ack` or `Failed`.
    /// (Inside a batch, see [`BatchBegin`](Expect::BatchBegin).)
    Ack,
    /// A dump (`NLM_F_DUMP` set by the encoder): replies, then `Done` or
    /// `Failed`.
    Dump,
    /// A message the kernel never answers: nothing is recorded and the
    /// session stamps a sequence number only.
    Nothing,
    /// Opens a batch (`NFNL_MSG_BATCH_BEGIN`). Tracked, without
    /// `NLM_F_ACK`: the kernel answers it only to refuse or fail the whole
    /// batch (a stale generation id, a missing subsystem, a failed commit),
    /// which is a `Failed` event for this seq. The requests submitted after
    /// it, up to its `BatchEnd`, are its members: they get no `NLM_F_ACK`
    /// and take no slot; the kernel answers a member only when it fails
    /// (one failure aborts the whole batch). The batch stays in flight
    /// until it fails, is cancelled, or a request submitted after its
    /// `BatchEnd` ends: nfnetlink handles a datagram inside `sendmsg`, so
    /// every answer about the batch precedes that request's answers.
    BatchBegin,
    /// Closes the open batch (`NFNL_MSG_BATCH_END`): a member of it, never
    /// answered.
    BatchEnd,
}

impl Expect {
    /// Whether a request of this kind takes a slot in the session's table
    /// when it is not a batch member.
    pub const fn is_tracked(self) -> bool {
        matches!(self, Self::Ack | Self::Dump | Self::BatchBegin)
    }
}

/// One encoded request message, ready for [`Session::submit`](super::Session::submit).
///
/// Encoders return it from the writer's [`finish`](crate::wire::MsgWriter::finish).
#[derive(Debug)]
#[must_use = "a request does nothing until it is submitted"]
pub struct Request<'w> {
    /// The message bytes (header included).
    pub msg: &'w mut [u8],
    /// What the request expects.
    pub expect: Expect,
}

impl<'w> Request<'w> {
    /// Pair a finished message with what it expects.
    pub fn new(msg: &'w mut [u8], expect: Expect) -> Self {
        Self { msg, expect }
    }
}
