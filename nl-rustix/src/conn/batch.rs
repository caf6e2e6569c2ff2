//! [`Conn::batch`]: many requests in few `sendmsg` calls, with nfnetlink
//! batches sent as the transactions they are.

use super::plan::{self, Chunk, Item, Limits, PlanError};
use super::{Awaiting, Conn, Encode, MAX_IN_FLIGHT, SEND_BUF};
use crate::Error;
use nl_proto::EncodeError;
use nl_proto::nfnl::batch::encode_barrier;
use nl_proto::session::{Event, Expect, Request};
use nl_proto::wire::{MsgWriter, OwnedKernelError, Seq};
use rustix::io::Errno;

/// The most room one request may need in the send buffer.
const MAX_REQUEST: usize = 16 << 20;

/// The results of one call, and where each encoded request sits.
struct Encoded {
    results: Vec<Result<(), Error>>,
    items: Vec<Item>,
    /// For each item: its offset in the send buffer and its result index.
    at: Vec<(usize, usize)>,
}

/// The seqs of one datagram's requests and their result indexes, for
/// finding a request by the seq of an answer.
struct Seqs(Vec<(Seq, usize)>);

impl Seqs {
    fn index(&self, seq: Seq) -> Option<usize> {
        // Seqs are allocated increasing, except across a wrap of u32.
        match self.0.binary_search_by_key(&seq, |&(s, _)| s) {
            Ok(i) => Some(self.0[i].1),
            Err(_) if !self.0.is_sorted_by_key(|&(s, _)| s) => {
                self.0.iter().find(|&&(s, _)| s == seq).map(|&(_, i)| i)
            }
            Err(_) => None,
        }
    }
}

impl Conn {
    /// Send many requests with as few `sendmsg` calls as fit, and collect
    /// every answer. Results come back in request order, one per request.
    ///
    /// - **Plain requests** are packed into datagrams as the send buffer,
    ///   the session's table and the receive buffer allow (each request is
    ///   budgeted for a reply and an ack, so a batch of GETs loses no
    ///   answer). A failure is reported against the request that caused it
    ///   and does not stop the others.
    /// - **nfnetlink batches** (a `BATCH_BEGIN` … `BATCH_END` span, as
    ///   [`nl_proto::nfnl::batch`] encodes it) are transactions: each is
    ///   sent as one datagram of its own, whatever its size (the send
    ///   buffer is raised to fit, with `SO_SNDBUFFORCE` when privileged),
    ///   followed by a barrier that tells when the kernel is done with it.
    ///   Every request of a batch is `Ok` only if the kernel committed it.
    ///   If it did not, each failing request carries its own error, the
    ///   others [`Error::BatchAborted`]; an error the kernel sends against
    ///   `BATCH_BEGIN` (e.g. `ERESTART` for a stale generation id) is every
    ///   request's result. A batch one of whose requests could not be
    ///   encoded is not sent.
    ///
    /// # Errors
    ///
    /// Before anything is sent: [`Error::Invalid`] for a batch that does
    /// not close (or closes twice, or nests), and `EMSGSIZE` for a batch
    /// larger than the kernel lets this socket send. Afterwards, I/O that
    /// makes the outcome of the remaining requests unknown (a send that
    /// failed, a timeout); the requests already answered are lost with it.
    /// An encoding error for one item is that item's result.
    pub fn batch<E: Encode + Clone>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Result<(), Error>>, Error> {
        let outcome = self.batch_inner(requests);
        // A large call grew the buffer; do not keep megabytes around.
        if self.send.len() > 4 * SEND_BUF {
            self.send = vec![0; SEND_BUF];
        }
        outcome
    }

    fn batch_inner<E: Encode + Clone>(
        &mut self,
        requests: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Result<(), Error>>, Error> {
        let mut enc = self.encode_all(requests);
        let granted = self.sock.recv_buffer_size().unwrap_or(212_992);
        let limits = Limits {
            bytes: SEND_BUF,
            tracked: MAX_IN_FLIGHT.saturating_sub(self.session.pending()).max(1),
            answers: granted,
        };
        let chunks = plan::plan(&enc.items, limits).map_err(|e| {
            let (what, i) = match e {
                PlanError::Unclosed(i) => ("a batch begins and never ends", i),
                PlanError::EndWithoutBegin(i) => ("a batch ends that never began", i),
                PlanError::Nested(i) => ("a batch begins inside another batch", i),
            };
            Error::Invalid(format!("{what} (request {})", enc.at[i].1))
        })?;
        let largest = chunks
            .iter()
            .map(|c| chunk_bytes(&enc, c).len())
            .max()
            .unwrap_or(0);
        if largest > SEND_BUF {
            let can = self.sock.reserve_send_datagram(largest)?;
            if can < largest {
                return Err(Error::sys(
                    format!(
                        "nfnetlink batch of {largest} bytes: the socket sends at most {can} \
                         (net.core.wmem_max; SO_SNDBUFFORCE needs CAP_NET_ADMIN)"
                    ),
                    Errno::MSGSIZE,
                ));
            }
        }
        for chunk in &chunks {
            if chunk.batch {
                self.run_batch(&mut enc, chunk)?;
            } else {
                self.run_plain(&mut enc, chunk)?;
            }
        }
        Ok(enc.results)
    }

    /// Encode every request back to back into the send buffer, growing it
    /// as needed.
    fn encode_all<E: Encode + Clone>(&mut self, requests: impl IntoIterator<Item = E>) -> Encoded {
        let mut enc = Encoded {
            results: Vec::new(),
            items: Vec::new(),
            at: Vec::new(),
        };
        let mut used = 0;
        for encode in requests {
            match self.encode_at(used, encode) {
                Ok(item) => {
                    enc.at.push((used, enc.results.len()));
                    enc.items.push(item);
                    // Messages start 4-aligned (NLMSG_ALIGN).
                    used += item.len.next_multiple_of(4);
                    enc.results.push(Ok(()));
                }
                Err(e) => enc.results.push(Err(e.into())),
            }
        }
        enc
    }

    /// Encode one request at offset `at` of the send buffer.
    fn encode_at(&mut self, at: usize, encode: impl Encode + Clone) -> Result<Item, EncodeError> {
        loop {
            let room = self.send.len().saturating_sub(at);
            if room < SEND_BUF {
                self.send
                    .resize((self.send.len() * 2).max(at + SEND_BUF), 0);
            }
            let mut w = MsgWriter::new(&mut self.send[at..]);
            match encode.clone()(&mut w) {
                Ok(req) => {
                    let expect = req.expect;
                    return Ok(Item {
                        expect,
                        len: w.len(),
                    });
                }
                Err(EncodeError::BufferFull { .. }) if room < MAX_REQUEST => {
                    let grown = (self.send.len() * 2).min(at + MAX_REQUEST);
                    self.send.resize(grown, 0);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Submit the chunk's requests to the session: their seqs, paired with
    /// their result indexes. A refusal (which the plan rules out) cancels
    /// what was submitted.
    fn submit_chunk(&mut self, enc: &Encoded, chunk: &Chunk) -> Result<Seqs, Error> {
        let mut seqs = Vec::with_capacity(chunk.items.len());
        for k in chunk.items.clone() {
            let (off, index) = enc.at[k];
            let item = enc.items[k];
            let msg = &mut self.send[off..off + item.len];
            match self.session.submit(Request::new(msg, item.expect)) {
                Ok(seq) => seqs.push((seq, index)),
                Err(e) => {
                    for &(s, _) in &seqs {
                        self.session.cancel(s);
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(Seqs(seqs))
    }

    fn send_chunk(&mut self, enc: &Encoded, chunk: &Chunk, seqs: &Seqs) -> Result<(), Error> {
        let bytes = chunk_bytes(enc, chunk);
        if let Err(e) = self.sock.send(&self.send[bytes]) {
            for &(s, _) in &seqs.0 {
                self.session.cancel(s);
            }
            return Err(Error::sys("send netlink batch", e));
        }
        Ok(())
    }

    /// Send a datagram of plain requests and read every answer.
    fn run_plain(&mut self, enc: &mut Encoded, chunk: &Chunk) -> Result<(), Error> {
        let all = self.submit_chunk(enc, chunk)?;
        self.send_chunk(enc, chunk, &all)?;
        // Requests that expect no answer are done once sent.
        let waiting = Seqs(
            all.0
                .into_iter()
                .filter(|&(s, _)| self.session.is_pending(s))
                .collect(),
        );
        let seqs: Vec<Seq> = waiting.0.iter().map(|&(s, _)| s).collect();
        // A dump among them answers with parts of any size: peek then.
        let items = enc.items.get(chunk.items.clone()).unwrap_or_default();
        let awaiting = if items.iter().any(|i| i.expect == Expect::Dump) {
            Awaiting::Anything
        } else {
            Awaiting::Acks
        };
        let mut open = seqs.len();
        while open > 0 {
            let (n, src) = self.recv_datagram(&seqs, awaiting)?;
            let mut framing = None;
            for event in self.session.feed(&self.recv[..n], src) {
                let event = match event {
                    Ok(ev) => ev,
                    Err(e) => {
                        framing = Some(e);
                        break;
                    }
                };
                if !event.is_final() {
                    continue;
                }
                let Some(i) = event.seq().and_then(|s| waiting.index(s)) else {
                    continue;
                };
                open -= 1;
                enc.results[i] = match event {
                    Event::Failed { error, .. } => Err(Error::kernel(&error)),
                    Event::Unreadable { error, .. } => Err(Error::Decode(error)),
                    _ => Ok(()),
                };
            }
            if let Some(e) = framing {
                for &s in &seqs {
                    self.session.cancel(s);
                }
                return Err(Error::Decode(e));
            }
        }
        Ok(())
    }

    /// Send an nfnetlink batch (one datagram), then a barrier, and read
    /// until the barrier's answer: by then the kernel has said all it will
    /// about the batch (it handles the datagram inside `sendmsg`, and
    /// answers a batch only when it fails).
    fn run_batch(&mut self, enc: &mut Encoded, chunk: &Chunk) -> Result<(), Error> {
        let indexes: Vec<usize> = enc.at[chunk.items.clone()]
            .iter()
            .map(|&(_, i)| i)
            .collect();
        let (first, last) = (enc.at[chunk.items.start].1, enc.at[chunk.items.end - 1].1);
        // A request of the batch that could not be encoded: send none of it.
        if let Some(bad) = (first..=last).find(|&i| enc.results[i].is_err()) {
            for &i in &indexes {
                enc.results[i] = Err(Error::BatchAborted { failed: Some(bad) });
            }
            return Ok(());
        }
        let members = self.submit_chunk(enc, chunk)?;
        let begin = members.0[0].0;
        self.send_chunk(enc, chunk, &members)?;
        let barrier = self.send_barrier(begin)?;

        let mut refused: Option<Result<OwnedKernelError, nl_proto::DecodeError>> = None;
        let mut failed: Option<usize> = None;
        let mut overflowed = false;
        let mut framing = None;
        'read: loop {
            let (n, src) = match self.recv_datagram(&[begin, barrier], Awaiting::Acks) {
                Ok(v) => v,
                // Everything in flight was forgotten; see below.
                Err(Error::Overflow { .. }) => {
                    overflowed = true;
                    break;
                }
                Err(e) => return Err(e),
            };
            for event in self.session.feed(&self.recv[..n], src) {
                let (seq, outcome) = match event {
                    Ok(Event::Failed { seq, error }) => (seq, Err(Ok(error.to_owned()))),
                    Ok(Event::Unreadable { seq, error }) => (seq, Err(Err(error))),
                    Ok(ev) if ev.is_final() => (ev.seq().unwrap_or(Seq(0)), Ok(())),
                    Ok(_) => continue,
                    Err(e) => {
                        framing = Some(e);
                        break 'read;
                    }
                };
                if seq == barrier {
                    // Its own failure (EPERM) is the batch's too, and was
                    // reported against BATCH_BEGIN before it.
                    break 'read;
                }
                let Err(error) = outcome else { continue };
                if seq == begin {
                    refused = Some(error);
                } else if let Some(i) = members.index(seq) {
                    failed = Some(failed.map_or(i, |f| f.min(i)));
                    enc.results[i] = Err(match error {
                        Ok(e) => Error::Kernel {
                            error: Box::new(e),
                            context: None,
                        },
                        Err(e) => Error::Decode(e),
                    });
                }
            }
        }
        // Normally retired with the barrier's answer already.
        self.session.cancel(begin);
        if let Some(e) = framing {
            self.session.cancel(barrier);
            return Err(Error::Decode(e));
        }

        if let Some(error) = refused {
            for i in indexes {
                enc.results[i] = Err(match &error {
                    Ok(e) => Error::batch_refused(e.clone()),
                    Err(e) => Error::Decode(*e),
                });
            }
        } else if failed.is_some() || overflowed {
            // An answer to a batch means it failed: with nothing else
            // subscribed, an overflow can only be its errors.
            for i in indexes {
                if enc.results[i].is_ok() {
                    enc.results[i] = Err(Error::BatchAborted { failed });
                }
            }
        }
        Ok(())
    }

    /// Send the barrier that follows a batch, in a datagram of its own.
    fn send_barrier(&mut self, begin: Seq) -> Result<Seq, Error> {
        let mut buf = [0u8; 16];
        let mut w = MsgWriter::new(&mut buf);
        let seq = self.session.submit(encode_barrier(&mut w)?)?;
        let len = w.len();
        if let Err(e) = self.sock.send(&buf[..len]) {
            self.session.cancel(seq);
            self.session.cancel(begin);
            return Err(Error::sys("send netlink barrier", e));
        }
        Ok(seq)
    }
}

/// The byte range of a chunk in the send buffer.
fn chunk_bytes(enc: &Encoded, chunk: &Chunk) -> std::ops::Range<usize> {
    let start = enc.at[chunk.items.start].0;
    let last = chunk.items.end - 1;
    start..enc.at[last].0 + enc.items[last].len
}

impl Error {
    /// The error each request of an nfnetlink batch gets when the kernel
    /// refused the batch as a whole (an error against `BATCH_BEGIN`), with
    /// what that means when the kernel sent no text. Every driver that
    /// sends batches reports a refusal this way.
    pub fn batch_refused(error: OwnedKernelError) -> Self {
        let context = Some(refusal_text(error.errno.get()));
        Self::Kernel {
            error: Box::new(error),
            context,
        }
    }
}

/// What a refusal of the whole batch means, for errors without extack text.
fn refusal_text(errno: i32) -> String {
    let why = match errno {
        libc::ERESTART => "the ruleset changed since the batch's generation id",
        libc::EOPNOTSUPP => "the subsystem takes no batches",
        libc::EPERM => "nfnetlink needs CAP_NET_ADMIN",
        _ => "the kernel refused the batch as a whole",
    };
    format!("{why}; nothing was applied")
}
