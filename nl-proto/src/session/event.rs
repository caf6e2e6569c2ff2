//! What the session reports for each received message.

use crate::DecodeError;
use crate::wire::{KernelError, Msg, Seq};

/// The sender of a datagram, from the address `recvfrom` filled in
/// (`struct sockaddr_nl`).
///
/// The kernel is `pid == 0`. A datagram is a multicast notification when
/// `groups != 0`. The header's `nlmsg_pid` is *not* the sender: in replies
/// it holds our own port id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Source {
    /// `nl_pid` of the sender's address.
    pub pid: u32,
    /// `nl_groups` of the sender's address: the legacy bitmask of the
    /// multicast group the datagram was sent to, 0 for unicast.
    pub groups: u32,
}

impl Source {
    /// A unicast datagram from the kernel.
    pub const KERNEL: Self = Self { pid: 0, groups: 0 };

    /// A multicast datagram from the kernel to `groups`.
    pub const fn multicast(groups: u32) -> Self {
        Self { pid: 0, groups }
    }
}

/// One thing the session learned from a received datagram. Borrows only
/// the datagram, never the session.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'b> {
    /// A data message answering request `seq` (one reply, or one dump entry).
    Reply {
        /// The request.
        seq: Seq,
        /// The message; decode it with the family's view.
        msg: Msg<'b>,
    },
    /// The dump `seq` is complete.
    Done {
        /// The request.
        seq: Seq,
        /// `NLM_F_DUMP_INTR` was seen: state changed during the dump, so
        /// the entries may be inconsistent. Retry if that matters.
        interrupted: bool,
    },
    /// Request `seq` succeeded.
    Ack {
        /// The request.
        seq: Seq,
    },
    /// Request `seq` failed: the kernel's errno and extended ack. For a
    /// dump this also ends it (an error reply, or `NLMSG_DONE` with a
    /// negative status).
    Failed {
        /// The request.
        seq: Seq,
        /// What the kernel said.
        error: KernelError<'b>,
    },
    /// The final answer to request `seq` (an `NLMSG_ERROR`) could not be
    /// decoded. The request is over, with an unknown outcome.
    Unreadable {
        /// The request.
        seq: Seq,
        /// What was wrong with the answer.
        error: DecodeError,
    },
    /// A multicast message (the sender address had non-zero `groups`),
    /// whatever its sequence number: a notification caused by our own
    /// request carries our seq and may arrive before our ack.
    Notification {
        /// The sender address's group mask.
        groups: u32,
        /// The message.
        msg: Msg<'b>,
    },
    /// A unicast message whose seq matches no request in flight (never
    /// sent, already finished, or cancelled).
    Stray {
        /// The message.
        msg: Msg<'b>,
    },
    /// `NLMSG_OVERRUN`: the kernel lost data for request `seq`.
    Overrun {
        /// The seq the overrun carried.
        seq: Seq,
    },
    /// The datagram came from another process (`nl_pid != 0`), not the
    /// kernel. It was dropped whole.
    Foreign {
        /// The sender's port id.
        pid: u32,
    },
}

impl Event<'_> {
    /// The request this event belongs to, if any.
    pub fn seq(&self) -> Option<Seq> {
        match *self {
            Self::Reply { seq, .. }
            | Self::Done { seq, .. }
            | Self::Ack { seq }
            | Self::Failed { seq, .. }
            | Self::Unreadable { seq, .. }
            | Self::Overrun { seq } => Some(seq),
            Self::Notification { .. } | Self::Stray { .. } | Self::Foreign { .. } => None,
        }
    }

    /// Whether this event ends its request (nothing more will come for it).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Done { .. } | Self::Ack { .. } | Self::Failed { .. } | Self::Unreadable { .. }
        )
    }
}
