//! The pipeline against a scripted kernel: answers are built by hand
//! for the sequence numbers the pipeline stamped, so these run without
//! root or a socket.

use super::*;
use crate::EncodeFn;
use nl_proto::session::Request;
use nl_proto::wire::{Flags, MsgType, Msgs};

const RTM_GETLINK: MsgType = MsgType(18);
const RTM_NEWLINK: u16 = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;

fn plain<'w>(
    w: &'w mut MsgWriter<'_>,
    expect: Expect,
) -> Result<Request<'w>, nl_proto::EncodeError> {
    let flags = if expect == Expect::Dump {
        Flags::DUMP
    } else {
        Flags::EMPTY
    };
    w.begin(RTM_GETLINK, flags)?;
    w.put_fixed(&[0u8; 16])?;
    Ok(Request::new(w.finish()?, expect))
}

fn ack_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    plain(w, Expect::Ack)
}

fn dump_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    plain(w, Expect::Dump)
}

fn delimiter<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    plain(w, Expect::Nothing)
}

fn header(len: usize, ty: u16, flags: u16, seq: u32) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&(len as u32).to_ne_bytes());
    h.extend_from_slice(&ty.to_ne_bytes());
    h.extend_from_slice(&flags.to_ne_bytes());
    h.extend_from_slice(&seq.to_ne_bytes());
    h.extend_from_slice(&0u32.to_ne_bytes());
    h
}

/// An `NLMSG_ERROR` for `seq` with `errno` (0: an ack), capped.
fn error(seq: u32, errno: i32) -> Vec<u8> {
    let mut m = header(36, NLMSG_ERROR, 0x100, seq);
    m.extend_from_slice(&(-errno).to_ne_bytes());
    m.extend_from_slice(&header(32, RTM_GETLINK.0, 0, seq));
    m
}

fn reply(seq: u32, flags: u16) -> Vec<u8> {
    let mut m = header(20, RTM_NEWLINK, flags, seq);
    m.extend_from_slice(&seq.to_ne_bytes());
    m
}

fn done(seq: u32) -> Vec<u8> {
    let mut m = header(20, NLMSG_DONE, Flags::MULTI.bits(), seq);
    m.extend_from_slice(&0i32.to_ne_bytes());
    m
}

/// Send what the pipeline offers; returns the seqs of the chunk.
fn transmit(p: &mut Pipeline) -> Vec<u32> {
    let Some(chunk) = p.poll_transmit() else {
        return Vec::new();
    };
    let seqs = Msgs::new(chunk)
        .map(|m| m.map(|m| m.seq().0))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_default();
    p.sent();
    seqs
}

fn completions(p: &mut Pipeline) -> Vec<(RequestId, Result<Answer, Error>)> {
    std::iter::from_fn(|| p.poll_completion()).collect()
}

#[test]
fn routes_answers_to_their_requests_in_any_order() {
    let mut p = Pipeline::new(1 << 20);
    let ids: Vec<_> = (0..3).map(|_| p.submit(ack_req).unwrap()).collect();
    let seqs = transmit(&mut p);
    assert_eq!(seqs.len(), 3);
    assert_eq!((p.queued(), p.in_flight()), (0, 3));
    let mut dgram = reply(seqs[2], 0);
    dgram.extend(error(seqs[2], 0));
    dgram.extend(error(seqs[0], 0));
    p.handle_datagram(&dgram, Source::KERNEL);
    p.handle_datagram(&error(seqs[1], 19), Source::KERNEL);
    let done = completions(&mut p);
    let order: Vec<_> = done.iter().map(|(id, _)| *id).collect();
    assert_eq!(order, [ids[2], ids[0], ids[1]]);
    let third = done[0].1.as_ref().unwrap();
    assert_eq!((third.outcome(), third.len()), (Outcome::Acked, 1));
    assert_eq!(third.replies().next().map(|m| m.seq().0), Some(seqs[2]));
    assert!(done[1].1.as_ref().unwrap().is_empty());
    assert_eq!(done[2].1.as_ref().unwrap_err().errno(), Some(19));
    assert!(!p.is_busy());
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn budget_bounds_what_is_in_flight() {
    let mut p = Pipeline::new(2 * ANSWER_COST);
    for _ in 0..5 {
        p.submit(ack_req).unwrap();
    }
    let first = transmit(&mut p);
    assert_eq!(first.len(), 2);
    assert!(!p.wants_send(), "budget full");
    assert!(transmit(&mut p).is_empty());
    p.handle_datagram(&error(first[0], 0), Source::KERNEL);
    assert!(p.wants_send());
    assert_eq!(transmit(&mut p).len(), 1);
    assert_eq!((p.queued(), p.in_flight()), (2, 2));
}

#[test]
fn one_request_always_goes_whatever_its_cost() {
    let mut p = Pipeline::new(0);
    p.submit(dump_req).unwrap();
    p.submit(ack_req).unwrap();
    assert_eq!(transmit(&mut p).len(), 1);
}

#[test]
fn a_dump_waits_for_the_dump_in_flight() {
    let mut p = Pipeline::new(1 << 20);
    let a = p.submit(dump_req).unwrap();
    let b = p.submit(dump_req).unwrap();
    p.submit(ack_req).unwrap();
    let first = transmit(&mut p);
    assert_eq!(first.len(), 1, "the second dump and what follows wait");
    p.handle_datagram(&reply(first[0], Flags::MULTI.bits()), Source::KERNEL);
    assert!(transmit(&mut p).is_empty());
    p.handle_datagram(&done(first[0]), Source::KERNEL);
    let next = transmit(&mut p);
    assert_eq!(next.len(), 2, "second dump and the ack");
    p.handle_datagram(&done(next[0]), Source::KERNEL);
    p.handle_datagram(&error(next[1], 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done[0].0, a);
    assert_eq!(done[0].1.as_ref().unwrap().len(), 1);
    assert_eq!(done[1].0, b);
    assert_eq!(
        done[1].1.as_ref().unwrap().outcome(),
        Outcome::Done { interrupted: false }
    );
}

#[test]
fn a_blocked_send_keeps_the_chunk_and_restamps_it() {
    let mut p = Pipeline::new(1 << 20);
    let id = p.submit(ack_req).unwrap();
    let stale = Msgs::new(p.poll_transmit().unwrap())
        .next()
        .unwrap()
        .unwrap()
        .seq()
        .0;
    p.send_blocked();
    assert_eq!((p.queued(), p.in_flight()), (1, 0));
    let seqs = transmit(&mut p);
    assert_eq!(seqs.len(), 1);
    assert_ne!(seqs[0], stale, "a fresh seq");
    // An answer to the seq that never left is a stray, not the answer.
    p.handle_datagram(&error(stale, 0), Source::KERNEL);
    assert!(p.poll_completion().is_none());
    assert_eq!(p.stats().stray, 1);
    p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
    assert_eq!(
        p.poll_completion().map(|(i, r)| (i, r.is_ok())),
        Some((id, true))
    );
}

#[test]
fn a_failed_send_fails_each_request_in_it() {
    let mut p = Pipeline::new(1 << 20);
    let ids: Vec<_> = (0..2).map(|_| p.submit(ack_req).unwrap()).collect();
    assert!(p.poll_transmit().is_some());
    p.send_failed(&std::io::Error::from_raw_os_error(90));
    let done = completions(&mut p);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), ids);
    for (_, r) in &done {
        let e = r.as_ref().unwrap_err();
        assert_eq!(e.errno(), Some(90));
        assert!(
            e.to_string()
                .starts_with("send netlink request: EMSGSIZE (90)"),
            "{e}"
        );
    }
    assert!(!p.is_busy());
}

#[test]
fn a_timed_out_request_drops_its_late_answer() {
    let mut p = Pipeline::new(1 << 20);
    let t0 = Instant::now();
    let id = p
        .submit_with(
            ack_req,
            RequestOptions::new().deadline(t0 + Duration::from_secs(1)),
        )
        .unwrap();
    let seqs = transmit(&mut p);
    p.handle_timeout(t0 + Duration::from_secs(2));
    let (got, r) = p.poll_completion().unwrap();
    assert_eq!(got, id);
    assert!(matches!(r, Err(Error::Timeout(_))));
    assert_eq!(p.in_flight(), 1, "still tracked for its late answer");
    assert_eq!(
        p.next_deadline(),
        Some(t0 + Duration::from_secs(2) + LATE_ANSWER_GRACE)
    );
    p.handle_datagram(&reply(seqs[0], 0), Source::KERNEL);
    p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
    assert!(p.poll_completion().is_none());
    assert_eq!(p.stats().late_answers, 1);
    assert_eq!((p.in_flight(), p.next_deadline()), (0, None));
}

#[test]
fn a_late_answer_that_never_comes_is_forgotten_after_the_grace() {
    let mut p = Pipeline::new(ANSWER_COST);
    let t0 = Instant::now();
    p.submit_with(ack_req, RequestOptions::new().deadline(t0))
        .unwrap();
    p.submit_with(ack_req, RequestOptions::new().no_deadline())
        .unwrap();
    let first = transmit(&mut p);
    assert_eq!(first.len(), 1);
    p.handle_timeout(t0);
    assert!(p.poll_completion().is_some());
    assert!(!p.wants_send(), "the late answer still holds the budget");
    p.handle_timeout(t0 + LATE_ANSWER_GRACE);
    assert_eq!(p.in_flight(), 0);
    assert_eq!(transmit(&mut p).len(), 1);
    p.handle_datagram(&error(first[0], 0), Source::KERNEL);
    assert_eq!(p.stats().stray, 1);
}

#[test]
fn overflow_resynchronises_and_names_only_what_was_lost() {
    let mut p = Pipeline::new(3 * ANSWER_COST);
    let ids: Vec<_> = (0..4).map(|_| p.submit(ack_req).unwrap()).collect();
    let seqs = transmit(&mut p);
    assert_eq!(seqs.len(), 3);
    p.handle_overflow();
    assert!(completions(&mut p).is_empty(), "nothing is known yet");
    // Draining the queue: the first answer made it.
    p.handle_datagram(&error(seqs[0], 0), Source::KERNEL);
    // The barrier goes first, in a datagram of its own.
    let barrier = transmit(&mut p);
    assert_eq!(barrier.len(), 1);
    assert!(!seqs.contains(&barrier[0]));
    assert_eq!(
        p.budget(),
        3 * ANSWER_COST,
        "never below what it was if small"
    );
    p.handle_datagram(&error(barrier[0], 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), ids[..3]);
    assert!(done[0].1.is_ok(), "{:?}", done[0].1);
    for (id, r) in &done[1..] {
        match r {
            Err(e @ Error::OutcomeUnknown { request }) => {
                assert_eq!(*request, id.0);
                assert_eq!(e.errno(), Some(105));
            }
            other => panic!("{other:?}"),
        }
    }
    // Their answers, if any arrive late, are strays; the queued one goes on.
    p.handle_datagram(&error(seqs[1], 0), Source::KERNEL);
    assert_eq!(p.stats().stray, 1);
    let next = transmit(&mut p);
    p.handle_datagram(&error(next[0], 0), Source::KERNEL);
    assert_eq!(
        p.poll_completion().map(|(i, r)| (i, r.is_ok())),
        Some((ids[3], true))
    );
    assert!(!p.is_busy());
}

#[test]
fn overflow_fails_a_dump_at_once() {
    let mut p = Pipeline::new(1 << 20);
    let id = p.submit(dump_req).unwrap();
    let seqs = transmit(&mut p);
    assert!(p.wants_peek(), "dump parts come in any size");
    p.handle_overflow();
    let (got, r) = p.poll_completion().unwrap();
    assert_eq!(got, id);
    assert!(matches!(r, Err(Error::Overflow { lost: 1 })), "{r:?}");
    assert!(!p.wants_peek());
    p.handle_datagram(&reply(seqs[0], Flags::MULTI.bits()), Source::KERNEL);
    assert_eq!(p.stats().stray, 1);
    // Nothing else was in flight: the barrier settles nothing more.
    let barrier = transmit(&mut p);
    p.handle_datagram(&error(barrier[0], 0), Source::KERNEL);
    assert!(p.poll_completion().is_none());
}

#[test]
fn a_reply_cut_short_fails_only_a_request_that_reads_it() {
    let mut p = Pipeline::new(1 << 20);
    let read = p.submit(ack_req).unwrap();
    let dropped = p
        .submit_with(ack_req, RequestOptions::new().discard_replies())
        .unwrap();
    let seqs = transmit(&mut p);
    assert!(!p.wants_peek());
    for &seq in &seqs {
        // The first 20 bytes of a 70,000-byte reply.
        let mut prefix = header(70_000, RTM_NEWLINK, 0, seq);
        prefix.extend_from_slice(&[0; 4]);
        p.handle_truncated(&prefix, Source::KERNEL, 70_000);
        p.handle_datagram(&error(seq, 0), Source::KERNEL);
    }
    assert!(p.wants_peek(), "peeks from then on");
    let done = completions(&mut p);
    assert_eq!(done[0].0, read);
    assert!(
        matches!(
            done[0].1,
            Err(Error::Truncated {
                len: 70_000,
                cap: 20
            })
        ),
        "{:?}",
        done[0].1
    );
    assert_eq!(done[1].0, dropped);
    assert!(done[1].1.is_ok());
}
#[test]
fn overflow_halves_the_budget_down_to_a_floor() {
    let mut p = Pipeline::new(64 * ANSWER_COST);
    p.handle_overflow();
    assert_eq!(p.budget(), 32 * ANSWER_COST);
    for _ in 0..10 {
        p.handle_overflow();
    }
    assert_eq!(p.budget(), MIN_BUDGET);
    assert_eq!(p.stats().overflows, 11);
}

#[test]
fn a_delimiter_completes_once_sent() {
    let mut p = Pipeline::new(1 << 20);
    let id = p.submit(delimiter).unwrap();
    assert!(p.poll_completion().is_none());
    transmit(&mut p);
    let (got, r) = p.poll_completion().unwrap();
    assert_eq!((got, r.unwrap().outcome()), (id, Outcome::Sent));
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn a_failing_reply_handler_fails_its_request_at_its_end() {
    let mut p = Pipeline::new(1 << 20);
    let id = p
        .submit_with(
            dump_req,
            RequestOptions::new().on_reply(|_| Err(Error::Unexpected("no thanks"))),
        )
        .unwrap();
    let seqs = transmit(&mut p);
    p.handle_datagram(&reply(seqs[0], Flags::MULTI.bits()), Source::KERNEL);
    assert!(p.poll_completion().is_none(), "not before its end");
    p.handle_datagram(&done(seqs[0]), Source::KERNEL);
    let (got, r) = p.poll_completion().unwrap();
    assert_eq!(got, id);
    assert!(matches!(r, Err(Error::Unexpected("no thanks"))));
}

#[test]
fn a_full_queue_refuses_and_changes_nothing() {
    let mut p = Pipeline::new(1 << 20);
    assert!(p.set_queue_capacity(40), "one 32-byte request fits");
    p.submit(ack_req).unwrap();
    let e = p.submit(ack_req).unwrap_err();
    assert!(
        matches!(e, Error::QueueFull { need: 32, .. }) && e.is_queue_full(),
        "{e:?}"
    );
    assert_eq!(p.queued(), 1);
    assert_eq!(transmit(&mut p).len(), 1);
    // Sent requests leave the queue: room again.
    p.submit(ack_req).unwrap();
}

fn begin_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    plain(w, Expect::BatchBegin)
}

fn end_req<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    plain(w, Expect::BatchEnd)
}

const BATCH: [EncodeFn; 4] = [begin_req, ack_req, ack_req, end_req];

/// A batch of two behind request A, budget for one answer: returns
/// (A, the batch's ids, the batch's seqs, the barrier's seq).
fn sent_batch(p: &mut Pipeline) -> (RequestId, Vec<RequestId>, Vec<u32>, u32) {
    let a = p.submit(ack_req).unwrap();
    let batch = p.submit_batch(BATCH).unwrap();
    assert_eq!(batch.len(), 4);
    let first = transmit(p);
    assert_eq!(first.len(), 1, "a batch starts a datagram of its own");
    // Answered only if it fails: no budget, so it goes beside A.
    let seqs = transmit(p);
    assert_eq!(seqs.len(), 4);
    // The barrier expects an ack, and waits for A's.
    assert!(!p.wants_send());
    p.handle_datagram(&error(first[0], 0), Source::KERNEL);
    let barrier = transmit(p);
    assert_eq!(
        barrier.len(),
        1,
        "the barrier follows in a datagram of its own"
    );
    (a, batch, seqs, barrier[0])
}

#[test]
fn a_batch_commits_when_its_barrier_is_answered() {
    let mut p = Pipeline::new(ANSWER_COST);
    let (a, batch, _, barrier) = sent_batch(&mut p);
    let done = completions(&mut p);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), [a]);
    assert!(p.is_busy());
    p.handle_datagram(&error(barrier, 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), batch);
    let outcomes: Vec<_> = done
        .iter()
        .map(|d| d.1.as_ref().unwrap().outcome())
        .collect();
    use Outcome::{Acked, Sent};
    assert_eq!(outcomes, [Sent, Acked, Acked, Sent]);
    assert!(!p.is_busy());
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn a_failing_member_aborts_the_others() {
    let mut p = Pipeline::new(ANSWER_COST);
    let (_, batch, seqs, barrier) = sent_batch(&mut p);
    completions(&mut p);
    p.handle_datagram(&error(seqs[2], 17), Source::KERNEL);
    assert!(p.poll_completion().is_none(), "known only at the barrier");
    p.handle_datagram(&error(barrier, 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.len(), 4);
    for (i, (id, r)) in done.iter().enumerate() {
        assert_eq!(*id, batch[i]);
        let e = r.as_ref().unwrap_err();
        if i == 2 {
            assert_eq!(e.errno(), Some(17));
        } else {
            assert!(
                matches!(e, Error::BatchAborted { failed: Some(2) }),
                "{e:?}"
            );
        }
    }
}

#[test]
fn a_refused_batch_fails_every_request_with_the_refusal() {
    let mut p = Pipeline::new(ANSWER_COST);
    let (_, _, seqs, barrier) = sent_batch(&mut p);
    completions(&mut p);
    p.handle_datagram(&error(seqs[0], 85), Source::KERNEL);
    p.handle_datagram(&error(barrier, 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.len(), 4);
    for (_, r) in &done {
        let e = r.as_ref().unwrap_err();
        assert_eq!(e.errno(), Some(85), "{e}");
    }
    assert!(!p.is_busy());
}

#[test]
fn an_overflow_keeps_a_batch_failure_that_came_through() {
    let mut p = Pipeline::new(ANSWER_COST);
    let (_, batch, seqs, _) = sent_batch(&mut p);
    completions(&mut p);
    // The kernel's error for member 1 came; the rest, and the barrier's
    // ack, were dropped.
    p.handle_datagram(&error(seqs[1], 2), Source::KERNEL);
    p.handle_overflow();
    let resync = transmit(&mut p);
    p.handle_datagram(&error(resync[0], 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), batch);
    for (i, (_, r)) in done.iter().enumerate() {
        let e = r.as_ref().unwrap_err();
        if i == 1 {
            assert_eq!(e.errno(), Some(2), "its own error: {e}");
        } else {
            assert!(
                matches!(e, Error::BatchAborted { failed: Some(1) }),
                "{e:?}"
            );
        }
    }
    assert!(!p.is_busy());
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn an_overflow_with_no_answer_left_makes_a_batch_unknown() {
    let mut p = Pipeline::new(ANSWER_COST);
    let (_, batch, _, _) = sent_batch(&mut p);
    completions(&mut p);
    p.handle_overflow();
    let resync = transmit(&mut p);
    p.handle_datagram(&error(resync[0], 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.len(), 4);
    for (id, r) in &done {
        assert!(
            matches!(r, Err(Error::OutcomeUnknown { request }) if *request == id.0),
            "{r:?}"
        );
    }
    assert_eq!(done.iter().map(|d| d.0).collect::<Vec<_>>(), batch);
    assert!(!p.is_busy());
}

#[test]
fn a_batch_of_any_size_goes_as_one_datagram() {
    let mut p = Pipeline::new(ANSWER_COST);
    let mut encoders: Vec<EncodeFn> = vec![begin_req];
    encoders.extend(std::iter::repeat_n(ack_req as EncodeFn, 2000));
    encoders.push(end_req);
    assert!(p.set_queue_capacity(4096), "smaller than the batch");
    let ids = p.submit_batch(encoders).unwrap();
    assert_eq!(ids.len(), 2002);
    let chunk = p.poll_transmit().expect("sent whatever its size");
    assert_eq!(Msgs::new(chunk).count(), 2002);
    let len = chunk.len();
    assert_eq!(
        p.staged_room(),
        Some(Room {
            datagram: len,
            answers: 2002 * FAILURE_COST + ANSWER_COST,
        })
    );
    p.sent();
    let barrier = transmit(&mut p);
    assert_eq!(barrier.len(), 1);
    p.handle_datagram(&error(barrier[0], 0), Source::KERNEL);
    let done = completions(&mut p);
    assert_eq!(done.len(), 2002);
    assert!(done.iter().all(|(_, r)| r.is_ok()));
    // Plain requests keep the queue's capacity.
    assert_eq!(p.staged_room(), None);
}

#[test]
fn items_open_and_close_batches_among_plain_requests() {
    let mut p = Pipeline::new(1 << 20);
    let o = RequestOptions::new;
    let plain = p.submit_item(&(ack_req as EncodeFn), o()).unwrap();
    let begin = p.submit_item(&(begin_req as EncodeFn), o()).unwrap();
    assert!(p.batch_open());
    assert!(
        matches!(p.submit(ack_req), Err(Error::Invalid(_))),
        "no plain request inside an open batch"
    );
    let member = p.submit_item(&(ack_req as EncodeFn), o()).unwrap();
    // Nothing of an open batch is sent.
    assert_eq!(transmit(&mut p).len(), 1);
    let end = p.submit_item(&(end_req as EncodeFn), o()).unwrap();
    assert!(!p.batch_open());
    assert_eq!(transmit(&mut p).len(), 3);
    // A batch with a request that cannot be encoded is taken back, and
    // the rest of it refused.
    fn broken<'w>(_: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        Err(nl_proto::EncodeError::Invalid { what: "test" })
    }
    let queued = p.queued();
    p.submit_item(&(begin_req as EncodeFn), o()).unwrap();
    p.submit_item(&(ack_req as EncodeFn), o()).unwrap();
    assert!(matches!(
        p.submit_item(&(broken as EncodeFn), o()),
        Err(Error::Invalid(_))
    ));
    assert_eq!(p.queued(), queued, "taken back");
    assert!(matches!(
        p.submit_item(&(ack_req as EncodeFn), o()),
        Err(Error::BatchAborted { failed: Some(2) })
    ));
    assert!(p.batch_open());
    assert!(p.submit_item(&(end_req as EncodeFn), o()).is_err());
    assert!(!p.batch_open());
    let after = p.submit_item(&(ack_req as EncodeFn), o()).unwrap();
    assert!(
        matches!(
            p.submit_item(&(end_req as EncodeFn), o()),
            Err(Error::Invalid(_))
        ),
        "an end without a begin"
    );
    assert!(plain < begin && begin < member && member < end && end < after);
}

#[test]
fn a_batch_must_be_one_span_and_is_all_or_nothing() {
    let mut p = Pipeline::new(1 << 20);
    p.submit(ack_req).unwrap();
    fn broken<'w>(_: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
        Err(nl_proto::EncodeError::Invalid { what: "test" })
    }
    let encoders: [EncodeFn; 3] = [begin_req, ack_req, broken];
    assert!(matches!(p.submit_batch(encoders), Err(Error::Invalid(_))));
    let unclosed: [EncodeFn; 2] = [begin_req, ack_req];
    assert!(matches!(p.submit_batch(unclosed), Err(Error::Invalid(_))));
    let nested: [EncodeFn; 4] = [begin_req, begin_req, end_req, end_req];
    assert!(matches!(p.submit_batch(nested), Err(Error::Invalid(_))));
    assert!(matches!(p.submit(begin_req), Err(Error::Invalid(_))));
    assert!(matches!(p.submit(end_req), Err(Error::Invalid(_))));
    assert_eq!(p.queued(), 1);
    assert_eq!(p.stats().submitted, 1);
    assert_eq!(transmit(&mut p).len(), 1);
}

/// A request as the table holds it, for the table's own tests.
pub(super) fn blank_req() -> Req {
    Req {
        expect: Expect::Ack,
        cost: 0,
        deadline: None,
        timeout: Duration::ZERO,
        seq: None,
        replies: Vec::new(),
        count: 0,
        replies_mode: ReplyMode::Discard,
        failure: None,
        expired: false,
        role: Role::Plain,
        counted: false,
        peeked: false,
    }
}

/// Every request carries a `Req` and every completion an entry of the
/// queue: keep them small (the rare batch and failure state is boxed).
#[test]
fn per_request_state_stays_small() {
    assert!(size_of::<Req>() <= 136, "{}", size_of::<Req>());
    assert!(size_of::<Role>() <= 16, "{}", size_of::<Role>());
    assert!(size_of::<(RequestId, Result<Answer, Error>)>() <= 56);
}
