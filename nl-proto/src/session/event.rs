//! What the session reports for each received message.

use crate::DecodeError;
use crate::wire::{KernelError, Msg, Seq};

/// The sender of a datagram and the multicast group it was sent to.
///
/// Drivers fill it from `recvmsg`: `pid` and `groups` from the sender
/// address (`struct sockaddr_nl`), `group` from the `NETLINK_PKTINFO`
/// control message (`struct nl_pktinfo`).
///
/// The kernel is `pid == 0`. The header's `nlmsg_pid` is *not* the
/// sender: in replies it holds our own port id.
///
/// A datagram is a multicast notification when it was sent to a group:
/// `group != 0`, or, when the driver has no `NETLINK_PKTINFO`, a non-zero
/// legacy `groups` mask. The mask is 32 bits wide and the kernel puts 0 in
/// it for groups above 32 (e.g. `RTNLGRP_IPV4_MCADDR` = 37), so such a
/// notification looks like a unicast reply without `group`. A driver that
/// cannot supply `group` must not join groups above 32 on a socket that
/// also sends requests: their notifications would be routed by seq, as
/// strays or as replies to whatever request has the same seq.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Source {
    /// `nl_pid` of the sender's address.
    pub pid: u32,
    /// The multicast group number the datagram was sent to, from
    /// `NETLINK_PKTINFO` (`nl_pktinfo.group`); 0 for unicast, or when the
    /// driver cannot tell (then `groups` is used).
    pub group: u32,
    /// `nl_groups` of the sender's address: the legacy bitmask of the
    /// group the datagram was sent to (bit `n - 1` for group `n`), 0 for
    /// unicast and for every group above 32. Only consulted when `group`
    /// is 0.
    pub groups: u32,
}

impl Source {
    /// A unicast datagram from the kernel.
    pub const KERNEL: Self = Self {
        pid: 0,
        group: 0,
        groups: 0,
    };

    /// A datagram from the kernel to multicast group number `group`, as a
    /// driver with `NETLINK_PKTINFO` sees it (the legacy mask filled in as
    /// the kernel does: the group's bit, or 0 above 32). `multicast(0)` is
    /// [`Source::KERNEL`].
    pub const fn multicast(group: u32) -> Self {
        // Bit `group - 1`; groups above 32 have no bit.
        let groups = match group {
            0 => 0,
            _ => match 1u32.checked_shl(group.wrapping_sub(1)) {
                Some(bit) => bit,
                None => 0,
            },
        };
        Self {
            pid: 0,
            group,
            groups,
        }
    }

    /// A sender known only by its address (`nl_pid`, `nl_groups`), as
    /// `recvfrom` gives it: no group number. See the type's docs for what
    /// this cannot classify.
    pub const fn from_address(pid: u32, groups: u32) -> Self {
        Self {
            pid,
            group: 0,
            groups,
        }
    }

    /// The multicast group number the datagram was sent to, or `None` for
    /// unicast: `group` when set, otherwise the lowest bit of the legacy
    /// `groups` mask.
    pub const fn multicast_group(&self) -> Option<u32> {
        if self.group != 0 {
            Some(self.group)
        } else if self.groups != 0 {
            // At most 31 + 1: never wraps.
            Some(self.groups.trailing_zeros().wrapping_add(1))
        } else {
            None
        }
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
    /// A multicast message (sent to a group, see [`Source`]), whatever
    /// its sequence number: a notification caused by our own request
    /// carries our seq and may arrive before our ack.
    Notification {
        /// The multicast group number it was sent to (e.g. 37 for
        /// `RTNLGRP_IPV4_MCADDR`), as [`Source::multicast_group`] gives it.
        group: u32,
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
