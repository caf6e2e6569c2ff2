//! Moving bytes between a [`Socket`] and a [`Pipeline`]: the socket calls
//! both drivers make around the engine. They differ only in how they
//! wait: the blocking [`Conn::batch`](crate::Conn::batch) in `recv`, the
//! readiness driver in its poll, between the same [`flush`] and
//! [`receive`].

use crate::Error;
use crate::engine::Pipeline;
use crate::socket::{Received, Socket};
use std::io;

/// Send every chunk the pipeline offers now, making room in the socket
/// for a large one first ([`Pipeline::staged_room`]). A send that would
/// block leaves the rest queued; a send that fails fails its requests
/// (as their completions). Returns how many datagrams were sent.
pub fn flush(p: &mut Pipeline, sock: &Socket) -> usize {
    let mut sends = 0;
    while p.poll_transmit().is_some() {
        if let Some(room) = p.staged_room()
            && let Err(e) = sock.make_room(room)
        {
            p.send_refused(&|| match &e {
                Error::Sys { what, errno } => Error::Sys {
                    what: what.clone(),
                    errno: *errno,
                },
                other => Error::Invalid(other.to_string()),
            });
            continue;
        }
        let Some(chunk) = p.poll_transmit() else {
            break;
        };
        match sock.send(chunk) {
            Ok(_) => {
                p.sent();
                sends += 1;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                p.send_blocked();
                break;
            }
            Err(e) => p.send_failed(&e),
        }
    }
    sends
}

/// Receive one datagram into `buf` and feed it to the pipeline, peeking
/// its size first when the pipeline wants that ([`Pipeline::wants_peek`]).
/// With `wait`, as the socket's blocking mode and receive timeout say;
/// without, never waiting. Returns whether anything was received (a
/// datagram, or an overflow the pipeline was told of); `false` when
/// nothing was queued (or, waiting, the receive timed out).
///
/// # Errors
///
/// A receive error other than `EAGAIN`, `EINTR` and `ENOBUFS`.
pub fn receive(p: &mut Pipeline, sock: &Socket, buf: &mut Vec<u8>, wait: bool) -> io::Result<bool> {
    let peek = p.wants_peek();
    let got = match (wait, peek) {
        (true, true) => sock.recv_vec(buf),
        (true, false) => sock.recv(buf),
        (false, _) => sock.try_recv(buf, peek),
    };
    match got {
        Ok(Received::Datagram { len, src }) => {
            p.handle_datagram(&buf[..len], src);
            Ok(true)
        }
        Ok(Received::Truncated { len, src }) => {
            p.handle_truncated(buf, src, len);
            if src.pid == 0 && len > buf.len() {
                buf.resize(len, 0);
            }
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
        Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
            p.handle_overflow();
            Ok(true)
        }
        Err(e) => Err(e),
    }
}

/// Receive and feed every datagram queued now, until `EAGAIN`, or until
/// no answer is awaited any more ([`Pipeline::awaits_answers`]) once one
/// datagram was read. After an overflow it always reads to `EAGAIN`:
/// that is what lets the kernel deliver to the socket again.
///
/// Stopping when nothing is awaited saves the receive that would only
/// say `EAGAIN` (about a tenth of a round trip). What may be left queued
/// is no one's answer, and is read with the next ones; an edge-triggered
/// poll still reports them, as Linux signals readiness for every
/// datagram queued, not only when the queue was empty.
///
/// # Errors
///
/// As [`receive`].
pub fn drain(p: &mut Pipeline, sock: &Socket, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut read = false;
    while !read || p.awaits_answers() || p.resync_pending() {
        if !receive(p, sock, buf, false)? {
            break;
        }
        read = true;
    }
    Ok(())
}
