//! Turning one datagram into events.

use super::pending::Session;
use super::{Event, Expect, Source};
use crate::DecodeError;
use crate::wire::{Control, Flags, KernelError, Msg, Msgs, decode_control};
use core::num::NonZeroI32;

/// The events of one datagram, from [`Session::feed`].
///
/// Items borrow the datagram only. Dropping this early completes the
/// session's bookkeeping for the remaining messages and discards their
/// events.
#[derive(Debug)]
#[must_use = "events are lost unless iterated; dropping still updates the session"]
pub struct Feed<'s, 'b, const N: usize> {
    session: &'s mut Session<N>,
    msgs: Msgs<'b>,
    src: Source,
}

impl<'s, 'b, const N: usize> Feed<'s, 'b, N> {
    pub(super) fn new(session: &'s mut Session<N>, datagram: &'b [u8], src: Source) -> Self {
        Self {
            session,
            msgs: Msgs::new(datagram),
            src,
        }
    }

    fn route(&mut self, msg: Msg<'b>) -> Option<Event<'b>> {
        if let Some(group) = self.src.multicast_group() {
            return Some(Event::Notification { group, msg });
        }
        let seq = msg.seq();
        let Some(slot) = self.session.find(seq.0) else {
            return match self.session.find_batch(seq.0) {
                Some(_) => member_event(msg),
                None => Some(Event::Stray { msg }),
            };
        };
        let control = match decode_control(&msg) {
            Ok(c) => c,
            Err(error) => {
                // Only NLMSG_ERROR can fail to decode, and it is final.
                self.session.finish(slot);
                return Some(Event::Unreadable { seq, error });
            }
        };
        let pending = self.session.slot_mut(slot)?;
        match control {
            None => {
                if msg.flags().contains(Flags::DUMP_INTR) {
                    pending.interrupted = true;
                }
                Some(Event::Reply { seq, msg })
            }
            Some(Control::Noop) => None,
            Some(Control::Overrun) => Some(Event::Overrun { seq }),
            Some(Control::Ack { .. }) => {
                self.session.finish(slot);
                Some(Event::Ack { seq })
            }
            Some(Control::Error(error)) => {
                self.session.finish(slot);
                Some(Event::Failed { seq, error })
            }
            Some(Control::Done(done)) => {
                if pending.expect != Expect::Dump {
                    // A multipart answer to a plain request: its ack follows.
                    return None;
                }
                let interrupted = pending.interrupted || msg.flags().contains(Flags::DUMP_INTR);
                self.session.finish(slot);
                match done_status(done.status) {
                    Ok(None) => Some(Event::Done { seq, interrupted }),
                    Ok(Some(errno)) => Some(Event::Failed {
                        seq,
                        error: KernelError {
                            errno,
                            ext: done.ext,
                            request: None,
                        },
                    }),
                    Err(error) => Some(Event::Unreadable { seq, error }),
                }
            }
        }
    }
}

/// The event for an answer to a batch member. Members hold no slot, so
/// nothing is taken: the batch stays in flight, and its other members may
/// still fail.
fn member_event(msg: Msg<'_>) -> Option<Event<'_>> {
    let seq = msg.seq();
    match decode_control(&msg) {
        Err(error) => Some(Event::Unreadable { seq, error }),
        Ok(None) => Some(Event::Reply { seq, msg }),
        Ok(Some(Control::Noop | Control::Done(_))) => None,
        Ok(Some(Control::Overrun)) => Some(Event::Overrun { seq }),
        Ok(Some(Control::Ack { .. })) => Some(Event::Ack { seq }),
        Ok(Some(Control::Error(error))) => Some(Event::Failed { seq, error }),
    }
}

/// An `NLMSG_DONE` status: 0 or positive is success, a negated errno is
/// failure, and `i32::MIN` (no errno negates to it) is unreadable.
fn done_status(status: i32) -> Result<Option<NonZeroI32>, DecodeError> {
    if status >= 0 {
        return Ok(None);
    }
    status
        .checked_neg()
        .and_then(NonZeroI32::new)
        .map(Some)
        .ok_or(DecodeError::OutOfRange {
            what: "NLMSG_DONE status",
            value: u64::from(status.unsigned_abs()),
        })
}

impl<'b, const N: usize> Iterator for Feed<'_, 'b, N> {
    type Item = Result<Event<'b>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.src.pid != 0 {
            let pid = self.src.pid;
            self.msgs = Msgs::new(&[]);
            self.src.pid = 0;
            return Some(Ok(Event::Foreign { pid }));
        }
        loop {
            match self.msgs.next()? {
                Err(e) => return Some(Err(e)),
                Ok(msg) => {
                    if let Some(event) = self.route(msg) {
                        return Some(Ok(event));
                    }
                }
            }
        }
    }
}

impl<const N: usize> core::iter::FusedIterator for Feed<'_, '_, N> {}

impl<const N: usize> Drop for Feed<'_, '_, N> {
    fn drop(&mut self) {
        for _ in self.by_ref() {}
    }
}
