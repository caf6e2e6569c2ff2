//! Cutting the requests of one [`Conn::batch`](crate::Conn::batch) call
//! into datagrams. Pure: it sees each encoded request as what it expects
//! and its length, nothing else.
//!
//! The rules:
//!
//! - An nfnetlink batch, a `BatchBegin` … `BatchEnd` span, is always one
//!   datagram of its own, whatever its size: the kernel aborts a batch cut
//!   before its END and ignores what follows an END in the same datagram.
//!   No other limit applies to it (its members are answered only when they
//!   fail, and the driver sizes the send buffer to it).
//! - Other requests are packed in order while the datagram stays within
//!   the byte limit, the session's free slots, and the receive budget:
//!   rtnetlink handles a whole `sendmsg` before we read anything, so every
//!   answer of a datagram is queued at once and what does not fit the
//!   receive buffer is dropped (`ENOBUFS`).
//! - A span that does not close, an END outside a span and a BEGIN inside
//!   one are refused (the kernel would drop such a batch without a word).

use nl_proto::session::Expect;
use std::ops::Range;

/// What one request's answers cost in the receive buffer, by what it
/// expects. The kernel charges an skb's true size, not its payload.
///
/// - [`Expect::Ack`]: an ack alone is about 800 bytes, but `Expect` cannot
///   tell a NEW from a GET, whose reply comes before the ack. Measured on
///   6.18 (`/proc/net/netlink` `Rmem` after a send of 100 requests):
///   `RTM_GETLINK` costs 3136 bytes of reply and ack for `lo`, 5184 for a
///   bridge or a vxlan (the reply's buffer is a 4 KiB allocation). Budget
///   8 KiB, the next allocation size: replies up to about 7 KiB fit (1024
///   GETs overflowed a 2 MiB buffer budgeted at 1 KiB each). A
///   larger reply (a NIC with many VFs) is better fetched on its own.
/// - [`Expect::Dump`]: the first part (up to 32 KiB of messages) is built
///   during `sendmsg`.
/// - Everything else is answered only on failure.
///
/// nl-mio budgets its pipeline with the same figures.
pub const fn answer_cost(expect: Expect) -> usize {
    match expect {
        Expect::Ack => 8 * 1024,
        Expect::Dump => 64 * 1024,
        _ => 0,
    }
}

/// One encoded request, as the planner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    /// What it expects.
    pub(crate) expect: Expect,
    /// Its length in bytes (`nlmsg_len`; the next one starts 4-aligned).
    pub(crate) len: usize,
}

/// Limits for a datagram of plain (non-batch) requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Most bytes.
    pub(crate) bytes: usize,
    /// Most requests that take a session slot.
    pub(crate) tracked: usize,
    /// Most [`answer_cost`] in total (the granted receive buffer).
    pub(crate) answers: usize,
}

/// One datagram: a range of items, and whether it is an nfnetlink batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// The items it holds.
    pub(crate) items: Range<usize>,
    /// Whether it is a `BatchBegin` … `BatchEnd` span.
    pub(crate) batch: bool,
}

/// Why a call's requests cannot be sent; the index is into the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlanError {
    /// A `BatchBegin` with no `BatchEnd` after it.
    Unclosed(usize),
    /// A `BatchEnd` with no open batch.
    EndWithoutBegin(usize),
    /// A `BatchBegin` inside an open batch.
    Nested(usize),
}

/// Cut `items` into datagrams (see the module docs).
pub(crate) fn plan(items: &[Item], limits: Limits) -> Result<Vec<Chunk>, PlanError> {
    let mut chunks = Vec::new();
    let mut i = 0;
    while let Some(item) = items.get(i) {
        match item.expect {
            Expect::BatchBegin => {
                let end = batch_end(items, i)?;
                chunks.push(Chunk {
                    items: i..end + 1,
                    batch: true,
                });
                i = end + 1;
            }
            Expect::BatchEnd => return Err(PlanError::EndWithoutBegin(i)),
            _ => {
                let end = plain_end(items, i, limits);
                chunks.push(Chunk {
                    items: i..end,
                    batch: false,
                });
                i = end;
            }
        }
    }
    Ok(chunks)
}

/// The index of the `BatchEnd` closing the batch opened at `begin`.
fn batch_end(items: &[Item], begin: usize) -> Result<usize, PlanError> {
    for (j, item) in items.iter().enumerate().skip(begin + 1) {
        match item.expect {
            Expect::BatchEnd => return Ok(j),
            Expect::BatchBegin => return Err(PlanError::Nested(j)),
            _ => {}
        }
    }
    Err(PlanError::Unclosed(begin))
}

/// One past the last plain item that joins the datagram starting at
/// `start` (at least one item; never a batch delimiter).
fn plain_end(items: &[Item], start: usize, limits: Limits) -> usize {
    let (mut bytes, mut tracked, mut answers) = (0usize, 0usize, 0usize);
    let mut end = start;
    for item in &items[start..] {
        if matches!(item.expect, Expect::BatchBegin | Expect::BatchEnd) {
            break;
        }
        let takes_slot = usize::from(item.expect.is_tracked());
        let fits = bytes + item.len <= limits.bytes
            && tracked + takes_slot <= limits.tracked
            && answers + answer_cost(item.expect) <= limits.answers;
        if end > start && !fits {
            break;
        }
        bytes += item.len;
        tracked += takes_slot;
        answers += answer_cost(item.expect);
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        bytes: 64 * 1024,
        tracked: 1024,
        answers: 2 << 20,
    };

    fn item(expect: Expect, len: usize) -> Item {
        Item { expect, len }
    }

    /// BEGIN, `n` members of `len` bytes, END.
    fn span(n: usize, len: usize) -> Vec<Item> {
        let mut v = vec![item(Expect::BatchBegin, 20)];
        v.extend((0..n).map(|_| item(Expect::Ack, len)));
        v.push(item(Expect::BatchEnd, 20));
        v
    }

    /// Every chunk boundary falls outside every span, every span is a
    /// chunk of its own, and the chunks cover the items in order.
    fn check(items: &[Item], chunks: &[Chunk]) {
        let mut next = 0;
        for c in chunks {
            assert_eq!(c.items.start, next, "chunks cover the items in order");
            assert!(!c.items.is_empty());
            next = c.items.end;
            let first = items[c.items.start].expect;
            let last = items[c.items.end - 1].expect;
            if c.batch {
                assert_eq!((first, last), (Expect::BatchBegin, Expect::BatchEnd));
                let inner = &items[c.items.start + 1..c.items.end - 1];
                assert!(
                    inner
                        .iter()
                        .all(|i| !matches!(i.expect, Expect::BatchBegin | Expect::BatchEnd))
                );
            } else {
                assert!(
                    items[c.items.clone()]
                        .iter()
                        .all(|i| !matches!(i.expect, Expect::BatchBegin | Expect::BatchEnd))
                );
            }
        }
        assert_eq!(next, items.len());
    }

    #[test]
    fn a_span_is_one_chunk_whatever_its_size() {
        for n in [0, 10, 1100, 10_000, 100_000] {
            let items = span(n, 36);
            let chunks = plan(&items, LIMITS).unwrap();
            assert_eq!(
                chunks,
                [Chunk {
                    items: 0..n + 2,
                    batch: true
                }],
                "{n} members"
            );
        }
    }

    #[test]
    fn spans_never_share_a_chunk_with_anything() {
        // plain, span, span, plain, with tight limits for the plain runs.
        let mut items = vec![item(Expect::Ack, 100); 5];
        items.extend(span(3, 36));
        items.extend(span(2000, 36));
        items.extend(vec![item(Expect::Ack, 100); 5]);
        let limits = Limits {
            bytes: 250,
            ..LIMITS
        };
        let chunks = plan(&items, limits).unwrap();
        check(&items, &chunks);
        let batches: Vec<_> = chunks.iter().filter(|c| c.batch).collect();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].items, 5..10);
        assert_eq!(batches[1].items, 10..2012);
        // Plain runs are cut at 2 items (250 bytes), never across a span.
        assert!(
            chunks
                .iter()
                .filter(|c| !c.batch)
                .all(|c| c.items.len() <= 2)
        );
    }

    #[test]
    fn plain_requests_are_budgeted_by_their_answers() {
        // 1024 GET-like requests: a 2 MiB budget takes 256 of them.
        let items = vec![item(Expect::Ack, 32); 1024];
        let chunks = plan(&items, LIMITS).unwrap();
        check(&items, &chunks);
        assert_eq!(chunks.len(), 4);
        assert_eq!(chunks[0].items, 0..256);
        // Requests answered only on failure cost nothing and take no slot.
        let items = vec![item(Expect::Nothing, 32); 3000];
        let chunks = plan(&items, LIMITS).unwrap();
        assert_eq!(chunks.len(), 2, "cut by bytes only: {chunks:?}");
        // The session's free slots bound a chunk too.
        let limits = Limits {
            tracked: 3,
            ..LIMITS
        };
        let items = vec![item(Expect::Ack, 32); 7];
        let chunks = plan(&items, limits).unwrap();
        assert_eq!(
            chunks.iter().map(|c| c.items.len()).collect::<Vec<_>>(),
            [3, 3, 1]
        );
    }

    #[test]
    fn an_oversized_plain_request_still_goes_alone() {
        let items = [item(Expect::Dump, 20), item(Expect::Ack, 100_000)];
        let limits = Limits {
            answers: 1024,
            ..LIMITS
        };
        let chunks = plan(&items, limits).unwrap();
        check(&items, &chunks);
        assert_eq!(chunks.len(), 2);
    }

    #[test]
    fn broken_spans_are_refused() {
        let mut unclosed = span(3, 36);
        unclosed.pop();
        assert_eq!(plan(&unclosed, LIMITS), Err(PlanError::Unclosed(0)));
        let mut stray_end = vec![item(Expect::Ack, 36)];
        stray_end.push(item(Expect::BatchEnd, 20));
        assert_eq!(plan(&stray_end, LIMITS), Err(PlanError::EndWithoutBegin(1)));
        let mut nested = span(1, 36);
        nested.insert(2, item(Expect::BatchBegin, 20));
        assert_eq!(plan(&nested, LIMITS), Err(PlanError::Nested(2)));
    }

    /// Every mix of spans and plain requests, under tight limits: no
    /// boundary falls inside a span.
    #[test]
    fn no_boundary_inside_a_span_exhaustive() {
        // Sequences of up to 6 tokens: plain Ack, plain Nothing, a span of
        // 0..3 members.
        let tokens = 5usize;
        for len in 0..=6u32 {
            for mut code in 0..tokens.pow(len) {
                let mut items = Vec::new();
                for _ in 0..len {
                    match code % tokens {
                        0 => items.push(item(Expect::Ack, 64)),
                        1 => items.push(item(Expect::Nothing, 64)),
                        n => items.extend(span(n - 2, 64)),
                    }
                    code /= tokens;
                }
                for limits in [
                    LIMITS,
                    Limits {
                        bytes: 100,
                        tracked: 1,
                        answers: 4096,
                    },
                ] {
                    let chunks = plan(&items, limits).unwrap();
                    check(&items, &chunks);
                }
            }
        }
    }
}
