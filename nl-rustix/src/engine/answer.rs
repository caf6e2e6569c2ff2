//! What a finished request hands back: its outcome and its reply messages.

use crate::{Error, Outcome};
use nl_proto::DecodeError;
use nl_proto::wire::{Msg, Msgs};

/// Identifies one submitted request until its completion is collected.
///
/// Ids are assigned in submission order and never reused by a
/// [`Pipeline`](super::Pipeline) (they are not netlink sequence numbers,
/// which the session assigns when the request is sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "request #{}", self.0)
    }
}

/// A request that succeeded: how it ended, and the reply messages it
/// collected (all of a dump's entries, a GET's one reply, none for a plain
/// change).
///
/// The replies are kept back to back in one buffer, exactly as the kernel
/// framed them, so collecting a dump costs one growing allocation, not one
/// per entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    outcome: Outcome,
    replies: Vec<u8>,
    count: usize,
}

impl Answer {
    pub(crate) fn new(outcome: Outcome, replies: Vec<u8>, count: usize) -> Self {
        Self {
            outcome,
            replies,
            count,
        }
    }

    /// An answer with no reply yet, to fill with [`Answer::push`].
    pub(crate) fn empty() -> Self {
        Self::new(Outcome::Acked, Vec::new(), 0)
    }

    /// Empty it for the next request, keeping its buffer (up to
    /// `keep` bytes of it).
    pub(crate) fn clear(&mut self, keep: usize) {
        self.replies.clear();
        self.replies.shrink_to(keep);
        self.count = 0;
        self.outcome = Outcome::Acked;
    }

    /// Append one reply message.
    pub(crate) fn push(&mut self, msg: &Msg<'_>) {
        append_msg(&mut self.replies, msg);
        self.count += 1;
    }

    /// Set how the request ended.
    pub(crate) fn set_outcome(&mut self, outcome: Outcome) {
        self.outcome = outcome;
    }

    /// How the request ended.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// Whether the kernel flagged a dump as interrupted (`NLM_F_DUMP_INTR`):
    /// state changed while it ran, so the entries may be inconsistent.
    pub fn interrupted(&self) -> bool {
        matches!(self.outcome, Outcome::Done { interrupted: true })
    }

    /// How many reply messages were collected.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no reply message was collected.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The reply messages, in the order the kernel sent them. Decode each
    /// with the family's view or owned decoder.
    pub fn replies(&self) -> Replies<'_> {
        Replies {
            msgs: Msgs::new(&self.replies),
        }
    }

    /// Decode every reply with `decode`; `None` skips an entry (e.g. one of
    /// a family the caller does not handle), so one odd entry does not fail
    /// a whole listing unless the decoder says so.
    ///
    /// # Errors
    ///
    /// The first entry `decode` fails on.
    pub fn decode<T>(
        &self,
        decode: impl Fn(&Msg<'_>) -> Result<Option<T>, DecodeError>,
    ) -> Result<Vec<T>, Error> {
        let mut out = Vec::with_capacity(self.count);
        for msg in self.replies() {
            if let Some(v) = decode(&msg)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Decode the first reply (the answer to a GET).
    ///
    /// # Errors
    ///
    /// [`Error::Unexpected`] when the kernel sent no reply; what `decode`
    /// returns.
    pub fn decode_one<T>(
        &self,
        decode: impl Fn(&Msg<'_>) -> Result<T, DecodeError>,
    ) -> Result<T, Error> {
        let msg = self.replies().next().ok_or(Error::Unexpected(
            "the kernel acknowledged the request but sent no reply",
        ))?;
        Ok(decode(&msg)?)
    }
}

/// The reply messages of an [`Answer`].
#[derive(Debug, Clone)]
pub struct Replies<'a> {
    msgs: Msgs<'a>,
}

impl<'a> Iterator for Replies<'a> {
    type Item = Msg<'a>;
    fn next(&mut self) -> Option<Msg<'a>> {
        // Every message was framed by the kernel and checked by the
        // session before it was copied here, so framing cannot fail.
        self.msgs.next()?.ok()
    }
}

/// Append one message (header, payload, padding) to `buf`.
pub(crate) fn append_msg(buf: &mut Vec<u8>, msg: &Msg<'_>) {
    let header = msg.header().bytes();
    buf.reserve((header.len() + msg.payload().len()).next_multiple_of(4));
    buf.extend_from_slice(header);
    buf.extend_from_slice(msg.payload());
    buf.resize(buf.len().next_multiple_of(4), 0);
}
