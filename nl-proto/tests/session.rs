//! The session driven by a scripted fake kernel: each test submits
//! requests, has the fake kernel answer with datagrams built byte by byte,
//! and checks the exact event sequence.

use nl_proto::SessionError;
use nl_proto::session::{Event, Expect, Request, Session, Source};
use nl_proto::wire::{Flags, Msg, MsgType, MsgWriter, Seq};

const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const OUR_PORT: u32 = 4242;

/// Builds what the kernel would send: datagrams of back-to-back messages.
#[derive(Default)]
struct FakeKernel {
    dgram: Vec<u8>,
}

impl FakeKernel {
    fn msg(mut self, ty: u16, flags: u16, seq: Seq, payload: &[u8]) -> Self {
        let len = 16 + payload.len();
        self.dgram.extend_from_slice(&(len as u32).to_ne_bytes());
        self.dgram.extend_from_slice(&ty.to_ne_bytes());
        self.dgram.extend_from_slice(&flags.to_ne_bytes());
        self.dgram.extend_from_slice(&seq.0.to_ne_bytes());
        // Replies carry *our* port id in the header, never 0.
        self.dgram.extend_from_slice(&OUR_PORT.to_ne_bytes());
        self.dgram.extend_from_slice(payload);
        while self.dgram.len() % 4 != 0 {
            self.dgram.push(0);
        }
        self
    }
    fn link(self, seq: Seq, flags: u16) -> Self {
        self.msg(RTM_NEWLINK, flags, seq, &[0u8; 16])
    }
    fn echoed_header(ty: u16, seq: Seq, len: u32) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&len.to_ne_bytes());
        h.extend_from_slice(&ty.to_ne_bytes());
        h.extend_from_slice(&0x405u16.to_ne_bytes());
        h.extend_from_slice(&seq.0.to_ne_bytes());
        h.extend_from_slice(&OUR_PORT.to_ne_bytes());
        h
    }
    /// A success ack, capped as the kernel always sends it.
    fn ack(self, seq: Seq) -> Self {
        let mut p = 0i32.to_ne_bytes().to_vec();
        p.extend(Self::echoed_header(RTM_NEWLINK, seq, 32));
        self.msg(2, Flags::CAPPED.bits(), seq, &p)
    }
    /// An error echoing the whole 32-byte request, then extack TLVs.
    fn error(self, seq: Seq, errno: i32, text: &str, offset: u32) -> Self {
        let mut p = (-errno).to_ne_bytes().to_vec();
        p.extend(Self::echoed_header(RTM_NEWLINK, seq, 32));
        p.extend([0u8; 16]); // echoed ifinfomsg
        let text_len = 4 + text.len() + 1;
        p.extend((text_len as u16).to_ne_bytes());
        p.extend(1u16.to_ne_bytes()); // NLMSGERR_ATTR_MSG
        p.extend(text.as_bytes());
        p.push(0);
        while p.len() % 4 != 0 {
            p.push(0);
        }
        p.extend(8u16.to_ne_bytes());
        p.extend(2u16.to_ne_bytes()); // NLMSGERR_ATTR_OFFS
        p.extend(offset.to_ne_bytes());
        self.msg(2, Flags::ACK_TLVS.bits(), seq, &p)
    }
    fn done(self, seq: Seq, status: i32, flags: u16) -> Self {
        self.msg(3, Flags::MULTI.bits() | flags, seq, &status.to_ne_bytes())
    }
    fn bytes(&self) -> &[u8] {
        &self.dgram
    }
}

fn submit<const N: usize>(
    s: &mut Session<N>,
    ty: u16,
    expect: Expect,
) -> Result<Seq, SessionError> {
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    let flags = if expect == Expect::Dump {
        Flags::DUMP
    } else {
        Flags::EMPTY
    };
    w.begin(MsgType(ty), flags).unwrap();
    w.put_fixed(&[0u8; 16]).unwrap();
    let msg = w.finish().unwrap();
    let seq = s.submit(Request::new(msg, expect))?;
    // The session stamped seq and flags into the message.
    let (m, _) = Msg::parse(msg).unwrap();
    assert_eq!(m.seq(), seq);
    assert!(m.flags().contains(Flags::REQUEST));
    assert_eq!(m.flags().contains(Flags::ACK), expect == Expect::Ack);
    Ok(seq)
}

/// A compact rendering of an event for comparing sequences.
fn show(e: Result<Event<'_>, nl_proto::DecodeError>) -> String {
    match e {
        Ok(Event::Reply { seq, msg }) => format!("reply {} ty{}", seq.0, msg.msg_type().0),
        Ok(Event::Done { seq, interrupted }) => format!("done {} intr={interrupted}", seq.0),
        Ok(Event::Ack { seq }) => format!("ack {}", seq.0),
        Ok(Event::Failed { seq, error }) => format!(
            "failed {} errno={} msg={:?} off={:?}",
            seq.0, error.errno, error.ext.msg, error.ext.offset
        ),
        Ok(Event::Unreadable { seq, error }) => format!("unreadable {} {error}", seq.0),
        Ok(Event::Notification { group, msg }) => {
            format!("notify g{group} seq{} ty{}", msg.seq().0, msg.msg_type().0)
        }
        Ok(Event::Stray { msg }) => format!("stray seq{}", msg.seq().0),
        Ok(Event::Overrun { seq }) => format!("overrun {}", seq.0),
        Ok(Event::Foreign { pid }) => format!("foreign {pid}"),
        Ok(other) => format!("{other:?}"),
        Err(e) => format!("err {e}"),
    }
}

fn feed<const N: usize>(s: &mut Session<N>, k: &FakeKernel, src: Source) -> Vec<String> {
    s.feed(k.bytes(), src).map(show).collect()
}

#[test]
fn several_messages_in_one_datagram() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let b = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default()
        .ack(a)
        .link(b, 2)
        .link(b, 2)
        .done(b, 0, 0);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["ack 1", "reply 2 ty16", "reply 2 ty16", "done 2 intr=false"]
    );
    assert_eq!(s.pending(), 0);
}

#[test]
fn dump_across_datagrams() {
    let mut s = Session::<4>::new();
    let d = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    for _ in 0..3 {
        let k = FakeKernel::default().link(d, 2).link(d, 2);
        assert_eq!(
            feed(&mut s, &k, Source::KERNEL),
            ["reply 1 ty16", "reply 1 ty16"]
        );
        assert!(s.is_pending(d));
    }
    let k = FakeKernel::default().done(d, 0, 0);
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["done 1 intr=false"]);
    assert!(!s.is_pending(d));
}

#[test]
fn notification_with_our_seq_before_our_ack() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    // RTNLGRP_LINK's legacy mask is 1; the notification carries our seq.
    let note = FakeKernel::default().link(a, 0);
    assert_eq!(
        feed(&mut s, &note, Source::multicast(1)),
        ["notify g1 seq1 ty16"]
    );
    assert!(
        s.is_pending(a),
        "a notification must not complete the request"
    );
    let ack = FakeKernel::default().ack(a);
    assert_eq!(feed(&mut s, &ack, Source::KERNEL), ["ack 1"]);
}

#[test]
fn capped_ack_completes_request() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let k = FakeKernel::default().ack(a);
    assert_eq!(k.bytes().len(), 36);
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["ack 1"]);
    assert_eq!(s.pending(), 0);
}

#[test]
fn error_with_extack_text_and_offset() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let k = FakeKernel::default().error(a, 22, "mtu greater than device maximum", 32);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["failed 1 errno=22 msg=Some(\"mtu greater than device maximum\") off=Some(32)"]
    );
    assert_eq!(s.pending(), 0);
}

#[test]
fn done_with_negative_status_fails_the_dump() {
    let mut s = Session::<2>::new();
    let d = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default().link(d, 2).done(d, -16, 0);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["reply 1 ty16", "failed 1 errno=16 msg=None off=None"]
    );
    assert_eq!(s.pending(), 0);
}

#[test]
fn dump_intr_is_reported_on_done() {
    let mut s = Session::<2>::new();
    let d = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default()
        .link(d, 2)
        .link(d, 2 | Flags::DUMP_INTR.bits())
        .link(d, 2);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL).len(),
        3,
        "replies keep coming after DUMP_INTR"
    );
    let k = FakeKernel::default().done(d, 0, 0);
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["done 1 intr=true"]);
    // DUMP_INTR on the DONE message alone counts too.
    let d = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default().done(d, 0, Flags::DUMP_INTR.bits());
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["done 2 intr=true"]);
}

#[test]
fn stray_and_cancelled_seqs() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let b = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    assert!(s.cancel(a));
    assert!(!s.cancel(a));
    let k = FakeKernel::default().ack(a).ack(Seq(99)).ack(b);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["stray seq1", "stray seq99", "ack 2"]
    );
}

/// A notification to a group above 32 (the legacy mask is 0 there) that
/// happens to carry a pending request's seq is still a notification: the
/// session classifies on the `NETLINK_PKTINFO` group number.
#[test]
fn group_above_32_with_a_pending_seq_is_a_notification() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    // RTM_NEWMULTICAST (56) to RTNLGRP_IPV4_MCADDR (37), carrying seq 1.
    let note = FakeKernel::default().msg(56, 0, a, &[0u8; 8]);
    let src = Source::multicast(37);
    assert_eq!(src.groups, 0, "the kernel's legacy mask is 0 above 32");
    assert_eq!(feed(&mut s, &note, src), ["notify g37 seq1 ty56"]);
    assert!(s.is_pending(a), "it must not be taken for the reply");
    // Above 32 a driver without the group number cannot tell: this is the
    // case the type's docs warn about.
    assert_eq!(
        feed(&mut s, &note, Source::from_address(0, 0)),
        ["reply 1 ty56"]
    );
    let ack = FakeKernel::default().ack(a);
    assert_eq!(feed(&mut s, &ack, Source::KERNEL), ["ack 1"]);
}

/// Without `NETLINK_PKTINFO` the legacy mask still classifies groups up to
/// 32, reported by number.
#[test]
fn legacy_mask_reports_the_group_number() {
    let mut s = Session::<4>::new();
    let note = FakeKernel::default().link(Seq(0), 0);
    // RTNLGRP_IPV4_IFADDR (5) is bit 4.
    assert_eq!(
        feed(&mut s, &note, Source::from_address(0, 1 << 4)),
        ["notify g5 seq0 ty16"]
    );
    assert_eq!(
        feed(&mut s, &note, Source::from_address(0, 1 << 31)),
        ["notify g32 seq0 ty16"]
    );
    assert_eq!(Source::multicast(32).groups, 1 << 31);
    assert_eq!(Source::multicast(0), Source::KERNEL);
}

#[test]
fn foreign_sender_is_dropped_whole() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    // A forged ack from another process (port 777), with our seq.
    let k = FakeKernel::default().ack(a);
    assert_eq!(
        feed(&mut s, &k, Source::from_address(777, 0)),
        ["foreign 777"]
    );
    assert!(
        s.is_pending(a),
        "a forged ack must not complete our request"
    );
    // Multicast from a non-kernel sender is foreign too.
    assert_eq!(
        feed(&mut s, &k, Source::from_address(777, 1)),
        ["foreign 777"]
    );
}

#[test]
fn full_table_is_an_error_and_changes_nothing() {
    let mut s = Session::<2>::new();
    submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    assert_eq!(
        submit(&mut s, RTM_NEWLINK, Expect::Ack).err(),
        Some(SessionError::TableFull)
    );
    assert_eq!(s.pending(), 2);
    // Requests that expect nothing need no slot.
    let mut buf = [0u8; 32];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(MsgType(0x10), Flags::EMPTY).unwrap();
    w.put_fixed(&[0u8; 4]).unwrap();
    assert_eq!(
        s.submit(Request::new(w.finish().unwrap(), Expect::Nothing)),
        Ok(Seq(3))
    );
}

#[test]
fn feed_dropped_early_still_completes_bookkeeping() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let b = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let c = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default().ack(a).ack(b).link(c, 2).done(c, 0, 0);
    let mut events = s.feed(k.bytes(), Source::KERNEL);
    assert!(matches!(events.next(), Some(Ok(Event::Ack { seq })) if seq == a));
    drop(events);
    assert_eq!(s.pending(), 0);
}

#[test]
fn framing_error_ends_the_datagram() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let mut k = FakeKernel::default().link(a, 0).ack(a);
    k.dgram[32] = 0xff; // second message's nlmsg_len: 255 > what remains
    let events = feed(&mut s, &k, Source::KERNEL);
    assert_eq!(events, ["reply 1 ty16", "err nlmsg_len: bad length 255"]);
    assert!(s.is_pending(a));
}

#[test]
fn truncated_error_is_unreadable_and_final() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let k = FakeKernel::default().msg(2, 0, a, &[0xff, 0xff]);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["unreadable 1 nlmsgerr: truncated, need 4 bytes, have 2"]
    );
    assert_eq!(s.pending(), 0);
}

#[test]
fn multipart_answer_to_plain_request_waits_for_ack() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_GETLINK, Expect::Ack).unwrap();
    let k = FakeKernel::default().link(a, 2).done(a, 0, 0).ack(a);
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["reply 1 ty16", "ack 1"]);
}

#[test]
fn overrun_and_noop() {
    let mut s = Session::<2>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let k = FakeKernel::default()
        .msg(1, 0, a, &[])
        .msg(4, 0, a, &[])
        .ack(a);
    assert_eq!(feed(&mut s, &k, Source::KERNEL), ["overrun 1", "ack 1"]);
}

#[test]
fn abort_all_yields_oldest_first_and_clears_on_drop() {
    let mut s = Session::<4>::new();
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let b = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let c = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    assert_eq!(s.oldest(), Some(a));
    let mut aborted = s.abort_all();
    assert_eq!(aborted.next(), Some(a));
    drop(aborted);
    assert_eq!(s.pending(), 0);
    assert!(!s.is_pending(b) && !s.is_pending(c));
}

#[test]
fn seq_wraps_past_zero() {
    let mut s = Session::<4>::with_first_seq(u32::MAX - 1);
    let a = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let b = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let c = submit(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    assert_eq!((a, b, c), (Seq(u32::MAX - 1), Seq(u32::MAX), Seq(1)));
}

#[test]
fn submit_rejects_non_messages() {
    let mut s = Session::<2>::new();
    let mut short = [0u8; 8];
    assert!(matches!(
        s.submit(Request::new(&mut short, Expect::Ack)),
        Err(SessionError::NotARequest(_))
    ));
    let mut wrong_len = [0u8; 32];
    wrong_len[0] = 16;
    assert!(matches!(
        s.submit(Request::new(&mut wrong_len, Expect::Ack)),
        Err(SessionError::NotARequest(_))
    ));
    assert_eq!(s.pending(), 0);
}

#[test]
fn done_with_unnegatable_status_is_unreadable() {
    let mut s = Session::<2>::new();
    let d = submit(&mut s, RTM_GETLINK, Expect::Dump).unwrap();
    let k = FakeKernel::default().done(d, i32::MIN, 0);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        ["unreadable 1 NLMSG_DONE status: value 2147483648 out of range"]
    );
    assert_eq!(s.pending(), 0);
}

/// Submit a request of `ty` without checking its flags (batch members get
/// no `NLM_F_ACK` whatever they expect).
fn submit_raw<const N: usize>(
    s: &mut Session<N>,
    ty: u16,
    expect: Expect,
) -> Result<(Seq, Flags), SessionError> {
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(MsgType(ty), Flags::EMPTY).unwrap();
    w.put_fixed(&[0u8; 4]).unwrap();
    let msg = w.finish().unwrap();
    let seq = s.submit(Request::new(msg, expect))?;
    let (m, _) = Msg::parse(msg).unwrap();
    assert_eq!(m.seq(), seq);
    Ok((seq, m.flags()))
}

const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
const NFNL_MSG_BATCH_END: u16 = 0x11;
const NFT_MSG_NEWTABLE: u16 = 0x0a00;

/// BEGIN, `n` NEWTABLE members, END.
fn batch<const N: usize>(s: &mut Session<N>, n: usize) -> (Seq, Vec<Seq>, Seq) {
    let (begin, flags) = submit_raw(s, NFNL_MSG_BATCH_BEGIN, Expect::BatchBegin).unwrap();
    assert!(!flags.contains(Flags::ACK));
    let members = (0..n)
        .map(|_| {
            let (seq, flags) = submit_raw(s, NFT_MSG_NEWTABLE, Expect::Ack).unwrap();
            assert!(
                !flags.contains(Flags::ACK),
                "members are answered on error only"
            );
            seq
        })
        .collect();
    let (end, flags) = submit_raw(s, NFNL_MSG_BATCH_END, Expect::BatchEnd).unwrap();
    assert!(!flags.contains(Flags::ACK));
    (begin, members, end)
}

#[test]
fn error_against_batch_begin_is_failed_and_ends_the_batch() {
    let mut s = Session::<4>::new();
    let (begin, members, end) = batch(&mut s, 2);
    assert_eq!(s.pending(), 1, "the batch holds one slot");
    assert!(s.is_pending(begin));
    assert_eq!(s.expects(begin), Some(Expect::BatchBegin));
    for &m in members.iter().chain([&end]) {
        assert!(!s.is_pending(m));
        assert_eq!(s.batch_of(m), Some(begin));
    }
    // A stale generation id: ERESTART against BEGIN, nothing else.
    let k = FakeKernel::default().error(begin, 85, "", 0);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        [format!("failed {} errno=85 msg=None off=Some(0)", begin.0)]
    );
    assert_eq!(s.pending(), 0);
    assert_eq!(s.batch_of(members[0]), None);
    let late = FakeKernel::default().error(members[0], 22, "", 0);
    assert_eq!(
        feed(&mut s, &late, Source::KERNEL),
        [format!("stray seq{}", members[0].0)]
    );
}

#[test]
fn member_errors_are_reported_and_a_later_answer_retires_the_batch() {
    // Members take no slot: a batch far larger than the table.
    let mut s = Session::<2>::new();
    let (begin, members, _end) = batch(&mut s, 100);
    assert_eq!(s.pending(), 1);
    let (barrier, flags) = submit_raw(&mut s, 1, Expect::Ack).unwrap();
    assert!(flags.contains(Flags::ACK));
    assert_eq!(s.pending(), 2);
    // Two members fail; each error is reported against its own seq and
    // the batch stays in flight.
    let k = FakeKernel::default()
        .error(members[7], 2, "", 20)
        .error(members[99], 17, "", 20);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        [
            format!("failed {} errno=2 msg=None off=Some(20)", members[7].0),
            format!("failed {} errno=17 msg=None off=Some(20)", members[99].0),
        ]
    );
    assert!(s.is_pending(begin));
    // The barrier's ack: everything about the batch came before it.
    let k = FakeKernel::default().ack(barrier);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        [format!("ack {}", barrier.0)]
    );
    assert_eq!(s.pending(), 0, "the batch was forgotten with the barrier");
    let late = FakeKernel::default().error(members[8], 2, "", 0);
    assert_eq!(
        feed(&mut s, &late, Source::KERNEL),
        [format!("stray seq{}", members[8].0)]
    );
}

#[test]
fn an_open_batch_is_not_retired_by_earlier_requests() {
    let mut s = Session::<4>::new();
    let (before, _) = submit_raw(&mut s, RTM_NEWLINK, Expect::Ack).unwrap();
    let (begin, members, _) = batch(&mut s, 1);
    // An answer to a request sent before the batch says nothing about it.
    let k = FakeKernel::default().ack(before);
    assert_eq!(
        feed(&mut s, &k, Source::KERNEL),
        [format!("ack {}", before.0)]
    );
    assert!(s.is_pending(begin));
    assert_eq!(s.batch_of(members[0]), Some(begin));
    // Cancelling BEGIN forgets the batch and its members.
    assert!(s.cancel(begin));
    assert_eq!((s.pending(), s.batch_of(members[0])), (0, None));
}

#[test]
fn misplaced_batch_delimiters_are_refused() {
    let mut s = Session::<4>::new();
    assert!(matches!(
        submit_raw(&mut s, NFNL_MSG_BATCH_END, Expect::BatchEnd),
        Err(SessionError::BatchMisuse(_))
    ));
    let (begin, _) = submit_raw(&mut s, NFNL_MSG_BATCH_BEGIN, Expect::BatchBegin).unwrap();
    assert!(matches!(
        submit_raw(&mut s, NFNL_MSG_BATCH_BEGIN, Expect::BatchBegin),
        Err(SessionError::BatchMisuse(_))
    ));
    assert_eq!(s.pending(), 1);
    assert!(s.is_pending(begin));
}

/// The first 16 bytes of a datagram answering `seq` with a message of
/// type `ty` and `flags`, as a cut-short receive leaves them (the length
/// field says more follows).
fn prefix_for(seq: Seq, ty: u16, flags: u16) -> [u8; 16] {
    let mut p = [0u8; 16];
    p[..4].copy_from_slice(&70_000u32.to_ne_bytes());
    p[4..6].copy_from_slice(&ty.to_ne_bytes());
    p[6..8].copy_from_slice(&flags.to_ne_bytes());
    p[8..12].copy_from_slice(&seq.0.to_ne_bytes());
    p
}

#[test]
fn what_a_cut_datagram_lost() {
    use nl_proto::session::{CutShort, Lost};
    const RTM_NEWLINK: u16 = 16;
    const MULTI: u16 = 0x02;
    let mut s = Session::<8>::new();
    let (get, _) = submit_raw(&mut s, 18, Expect::Ack).unwrap();
    let (dump, _) = submit_raw(&mut s, 18, Expect::Dump).unwrap();
    let (begin, members, _) = batch(&mut s, 2);
    let cut = |s: &Session<8>, p: &[u8], src| s.cut_short(p, src);
    let k = Source::KERNEL;
    // A get's reply: the ack still comes.
    let reply = prefix_for(get, RTM_NEWLINK, 0);
    assert_eq!(
        cut(&s, &reply, k),
        Some(CutShort {
            seq: get,
            lost: Lost::Reply
        })
    );
    // Its ack or error, a dump part, a dump's DONE: the request may never end.
    for (seq, ty, flags) in [(get, 2, 0), (dump, RTM_NEWLINK, MULTI), (dump, 3, MULTI)] {
        let p = prefix_for(seq, ty, flags);
        assert_eq!(
            cut(&s, &p, k),
            Some(CutShort {
                seq,
                lost: Lost::End
            }),
            "type {ty}"
        );
    }
    // A batch member's error concerns its batch.
    let member = prefix_for(members[1], 2, 0);
    assert_eq!(
        cut(&s, &member, k),
        Some(CutShort {
            seq: begin,
            lost: Lost::End
        })
    );
    // Another process's, a notification, a seq nobody waits for, and
    // less than a header concern no request.
    let foreign = Source {
        pid: 4242,
        ..Source::KERNEL
    };
    assert_eq!(cut(&s, &reply, foreign), None);
    assert_eq!(cut(&s, &reply, Source::multicast(5)), None);
    let stray = prefix_for(Seq(get.0 + 100), RTM_NEWLINK, 0);
    assert_eq!(cut(&s, &stray, k), None);
    assert_eq!(cut(&s, &reply[..15], k), None);
    // Nothing changed: the request is still in flight.
    assert!(s.is_pending(get));
    assert!(s.cancel(get));
    assert_eq!(cut(&s, &reply, k), None);
}
