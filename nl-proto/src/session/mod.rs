//! The request/reply state machine.
//!
//! [`Session`] does no I/O, reads no clock and never allocates. A driver
//! owns the socket and calls it in this order:
//!
//! 1. **Encode** a request with a family encoder into its send buffer; the
//!    encoder returns a [`Request`].
//! 2. **Submit** it with [`Session::submit`]: the session stamps
//!    `nlmsg_seq`, sets `NLM_F_REQUEST` (and `NLM_F_ACK` unless it is a dump)
//!    and records what the request expects. Several requests may be encoded
//!    back to back and sent with one `send`.
//! 3. **Send** the bytes. If the send fails, call [`Session::cancel`] for
//!    each request in it.
//! 4. **Receive** a datagram with `recvmsg` and **feed** it with its
//!    [`Source`]: the sender address, and the destination group from the
//!    `NETLINK_PKTINFO` control message (turn that socket option on).
//!    [`Session::feed`] returns an iterator of [`Event`]s. Every
//!    request ends with exactly one final event: `Done` or `Failed` for a
//!    dump, `Ack`, `Failed` or `Unreadable` otherwise.
//!
//! What the driver handles, and the call for each:
//!
//! - `EINTR`: retry the syscall; the session is not involved.
//! - `MSG_TRUNC` (the datagram was larger than the buffer): the tail is
//!   lost. Feed nothing; [`Session::cut_short`] names the request it
//!   answered from the received prefix and says whether that request can
//!   still end ([`Lost::Reply`]: one reply is gone, its acknowledgement
//!   still comes) or not ([`Lost::End`]: cancel it and report the loss).
//!   A cut datagram that concerns no request (a stray, another
//!   process's) can be dropped. Drivers avoid losses by peeking the size
//!   first wherever an answer may be large.
//! - `ENOBUFS` on a request socket: the kernel dropped messages, so any
//!   request may have lost its answer. Call [`Session::abort_all`] and fail
//!   each returned seq. On a monitor socket it means events were lost:
//!   resynchronise with a dump.
//! - Timeouts: the session has no clock. [`Session::oldest`] and
//!   [`Session::pending`] tell a driver what is outstanding; it keeps its
//!   own deadlines and calls [`Session::cancel`].
//!
//! Routing of each received message, in order:
//!
//! 1. Sender address `pid != 0`: another process, not the kernel. The whole
//!    datagram is dropped and reported once as [`Event::Foreign`].
//! 2. Sent to a multicast group ([`Source::multicast_group`]: the
//!    `NETLINK_PKTINFO` group number, or else the address's legacy
//!    `groups` mask): a notification, whatever its seq
//!    ([`Event::Notification`]). A notification caused by our own request
//!    carries our seq and can arrive before our ack, so seq alone cannot
//!    tell. The legacy mask is 0 for groups above 32: a driver without
//!    `NETLINK_PKTINFO` must not join those on a socket that also sends
//!    requests.
//! 3. Otherwise by seq against the requests in flight, then against the
//!    members of the batches in flight; a seq with none is
//!    [`Event::Stray`].
//!
//! # Batches
//!
//! nfnetlink transactions are framed by [`Expect::BatchBegin`] and
//! [`Expect::BatchEnd`]; the requests submitted between them (and the
//! `BatchEnd`) are the batch's *members*. Exactly:
//!
//! - The `BatchBegin` takes one slot and stands for the whole batch. It
//!   gets no `NLM_F_ACK`. An error with its seq is a `Failed` event for it
//!   (the kernel refused or failed the whole batch) and ends the batch; an
//!   ack (kernels since 6.10 send one when asked) is an `Ack` and ends it
//!   too.
//! - Members take no slot and get no `NLM_F_ACK`, whatever their kind:
//!   the kernel answers a member only when it fails. An answer with a
//!   member's seq yields the event it would for a request (`Failed`,
//!   `Ack`, `Reply`, `Unreadable`), but ends nothing: several members may
//!   fail, and [`Session::is_pending`] is false for a member
//!   ([`Session::batch_of`] finds its batch).
//! - The kernel never says it has finished with a batch. The session
//!   forgets a batch whose `BatchEnd` was submitted as soon as a request
//!   submitted after that `BatchEnd` ends with its final event: nfnetlink
//!   handles a datagram inside `sendmsg`, so everything it sends about
//!   the batch is queued before the answers to anything sent later. A
//!   driver therefore sends a *barrier* after the batch's datagram (any
//!   request with an answer; `nfnl::batch::encode_barrier` is the
//!   cheapest) and, once its answer is in, knows the batch's outcome: it
//!   committed if and only if no `Failed` came for the batch or a member.
//!   `cancel` on the `BatchBegin` seq forgets a batch at once.
//! - A batch is one datagram: BEGIN first, END last, nothing after it (the
//!   kernel ignores what follows a `BATCH_END`), and submit its requests
//!   back to back, without feeding in between. `BatchBegin` inside a batch
//!   and `BatchEnd` outside one are refused ([`SessionError::BatchMisuse`](crate::SessionError::BatchMisuse)).
//!
//! A framing error (a length that does not fit) yields one `Err` and ends
//! the datagram, as nothing after it can be located. A data payload the
//! caller later fails to decode is still a `Reply` for the right request.
//!
//! ```
//! use nl_proto::session::{Event, Expect, Request, Session, Source};
//! use nl_proto::wire::{Flags, MsgType, MsgWriter};
//!
//! let mut session = Session::<4>::new();
//! let mut buf = [0u8; 64];
//! let mut w = MsgWriter::new(&mut buf);
//! w.begin(MsgType(19), Flags::EMPTY)?; // RTM_SETLINK
//! w.put_fixed(&[0u8; 16])?;
//! let seq = session.submit(Request::new(w.finish()?, Expect::Ack))?;
//!
//! // The kernel's capped ack for it.
//! let mut ack = [0u8; 36];
//! ack[..4].copy_from_slice(&36u32.to_ne_bytes());
//! ack[4..6].copy_from_slice(&2u16.to_ne_bytes()); // NLMSG_ERROR
//! ack[6..8].copy_from_slice(&0x100u16.to_ne_bytes()); // NLM_F_CAPPED
//! ack[8..12].copy_from_slice(&seq.0.to_ne_bytes());
//! let mut events = session.feed(&ack, Source::KERNEL);
//! assert!(matches!(events.next(), Some(Ok(Event::Ack { seq: s })) if s == seq));
//! assert!(events.next().is_none());
//! drop(events);
//! assert_eq!(session.pending(), 0);
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

#![deny(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod event;
mod feed;
mod pending;
mod request;

pub use event::{Event, Source};
pub use feed::Feed;
pub use pending::{Aborted, CutShort, Lost, Session};
pub use request::{Expect, Request};
