//! What an encoder hands the session: a finished message and what it expects.

/// What a request expects back.
///
/// Told to the session explicitly instead of being inferred from flags:
/// `0x300` is `NLM_F_DUMP` on a GET but `REPLACE | EXCL` on a NEW, and a
/// generic-netlink GET is not recognisable by its message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An acknowledgement, possibly after reply messages. The session sets
    /// `NLM_F_ACK`, so the request always ends with `Ack` or `Failed`.
    Ack,
    /// A dump (`NLM_F_DUMP` set by the encoder): replies, then `Done` or
    /// `Failed`.
    Dump,
    /// An nfnetlink batch delimiter: no answer is expected, nothing is
    /// recorded, and the session stamps a sequence number only.
    Nothing,
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
