//! Property tests of the wire codec and the session:
//!
//! - `MsgWriter` → `Msgs`/`Attrs` round trip on arbitrary attribute trees,
//!   written both with the closure form and with begin/end tokens;
//! - the parsers and the session never panic and always terminate on
//!   arbitrary bytes;
//! - every `MsgWriter` put is all-or-nothing.

use nl_proto::EncodeError;
use nl_proto::session::{Event, Expect, Request, Session, Source};
use nl_proto::wire::{
    AttrTable, Attrs, Flags, HEADER_LEN, MsgType, MsgWriter, Msgs, Nest, align, decode_control,
};
use proptest::collection::vec;
use proptest::prelude::*;

/// An attribute tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Leaf(u16, Vec<u8>),
    Nest(u16, Vec<Node>),
}

impl Node {
    /// Bytes on the wire, padding included.
    fn size(&self) -> usize {
        match self {
            Node::Leaf(_, p) => 4 + align(p.len()).unwrap(),
            Node::Nest(_, c) => 4 + c.iter().map(Node::size).sum::<usize>(),
        }
    }
}

/// Leaves of kind < 0x3fff with 0..64 payload bytes, nests up to depth 4.
fn tree() -> impl Strategy<Value = Vec<Node>> {
    let leaf = (0u16..0x3fff, vec(any::<u8>(), 0..64)).prop_map(|(k, p)| Node::Leaf(k, p));
    let node = leaf.prop_recursive(4, 48, 6, |inner| {
        (0u16..0x3fff, vec(inner, 0..6)).prop_map(|(k, c)| Node::Nest(k, c))
    });
    vec(node, 0..8)
}

fn write_closure(w: &mut MsgWriter<'_>, nodes: &[Node]) -> Result<(), EncodeError> {
    for n in nodes {
        match n {
            Node::Leaf(k, p) => w.put(*k, p)?,
            Node::Nest(k, c) => w.nested(*k, |w| write_closure(w, c))?,
        }
    }
    Ok(())
}

fn write_tokens(w: &mut MsgWriter<'_>, nodes: &[Node]) -> Result<(), EncodeError> {
    for n in nodes {
        match n {
            Node::Leaf(k, p) => w.put(*k, p)?,
            Node::Nest(k, c) => {
                let nest = w.begin_nest(*k)?;
                write_tokens(w, c)?;
                w.end_nest(nest)?;
            }
        }
    }
    Ok(())
}

/// Read a stream back into a tree; every byte of padding must be zero.
/// `base` is the address of the start of the buffer `buf`.
fn read(attrs: Attrs<'_>, buf: &[u8]) -> Vec<Node> {
    attrs
        .map(|a| {
            let a = a.expect("the writer's output frames");
            let p = a.payload();
            let start = p.as_ptr() as usize - buf.as_ptr() as usize;
            let padded = align(start + p.len()).unwrap().min(buf.len());
            assert!(
                buf[start + p.len()..padded].iter().all(|&b| b == 0),
                "padding not zero"
            );
            if a.is_nested_flagged() {
                Node::Nest(a.kind(), read(a.nested(), buf))
            } else {
                Node::Leaf(a.kind(), p.to_vec())
            }
        })
        .collect()
}

fn encode(nodes: &[Node], closure: bool) -> Vec<u8> {
    let mut buf = vec![0xa5u8; 16 * 1024];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(MsgType(16), Flags::REQUEST).unwrap();
    w.put_fixed(&[7u8; 16]).unwrap();
    if closure {
        write_closure(&mut w, nodes).unwrap();
    } else {
        write_tokens(&mut w, nodes).unwrap();
    }
    let n = w.finish().unwrap().len();
    assert!(buf[n..].iter().all(|&b| b == 0xa5), "wrote past the end");
    buf.truncate(n);
    buf
}

proptest! {
    // Integration tests have no lib.rs next to them to persist failures by.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn writer_attrs_round_trip(nodes in tree()) {
        let closure = encode(&nodes, true);
        let tokens = encode(&nodes, false);
        prop_assert_eq!(&closure, &tokens);
        let expected_len = HEADER_LEN + 16 + nodes.iter().map(Node::size).sum::<usize>();
        prop_assert_eq!(closure.len(), expected_len);

        let mut msgs = Msgs::new(&closure);
        let msg = msgs.next().unwrap().unwrap();
        prop_assert!(msgs.next().is_none());
        prop_assert_eq!(msg.header().len() as usize, expected_len);
        let (fixed, attrs) = msg.split::<[u8; 16]>("fixed").unwrap();
        prop_assert_eq!(fixed, &[7u8; 16]);
        prop_assert_eq!(read(attrs, &closure), nodes);
    }

    /// Arbitrary bytes: every parser, getter and the control decoder.
    #[test]
    fn parsers_never_panic_on_bytes(bytes in vec(any::<u8>(), 0..600)) {
        nl_proto::fuzzing::msgs_attrs(&bytes);
        let n = Msgs::new(&bytes).count();
        prop_assert!(n <= bytes.len() / 16 + 1);
        let tb = AttrTable::<32>::parse(Attrs::new(&bytes));
        prop_assert_eq!(tb.error().is_some(), Attrs::new(&bytes).any(|a| a.is_err()));
    }

    /// Datagrams that frame (right lengths, random payloads), with a few
    /// bytes then corrupted: reaches the attribute and control decoders far
    /// more often than random bytes do.
    #[test]
    fn parsers_never_panic_on_near_datagrams(dgram in near_datagram()) {
        nl_proto::fuzzing::msgs_attrs(&dgram);
        for msg in Msgs::new(&dgram).map_while(Result::ok) {
            let _ = decode_control(&msg);
        }
    }

    /// The session fed arbitrary datagrams from arbitrary sources after a
    /// few submits: it never panics, iteration ends, `pending()` stays
    /// within capacity and agrees with `is_pending`.
    #[test]
    fn session_never_panics(
        submits in vec(0u8..5, 0..6),
        feeds in vec((near_datagram(), source(), any::<bool>(), 0usize..4), 0..6),
        cancels in vec(0u32..8, 0..3),
    ) {
        let mut s = Session::<3>::new();
        let mut seqs = Vec::new();
        for e in submits {
            let expect = [
                Expect::Ack,
                Expect::Dump,
                Expect::Nothing,
                Expect::BatchBegin,
                Expect::BatchEnd,
            ][e as usize];
            let mut buf = [0u8; 32];
            let mut w = MsgWriter::new(&mut buf);
            w.begin(MsgType(18), Flags::EMPTY).unwrap();
            w.put_fixed(&[0u8; 16]).unwrap();
            if let Ok(seq) = s.submit(Request::new(w.finish().unwrap(), expect)) {
                seqs.push(seq);
            }
            prop_assert!(s.pending() <= s.capacity());
        }
        for (mut dgram, src, stamp, take) in feeds {
            if stamp && !seqs.is_empty() {
                // Give each message one of our seqs.
                let mut off = 0;
                let mut i = 0;
                while off + 16 <= dgram.len() {
                    let len = u32::from_ne_bytes(dgram[off..off + 4].try_into().unwrap()) as usize;
                    dgram[off + 8..off + 12].copy_from_slice(&seqs[i % seqs.len()].0.to_ne_bytes());
                    i += 1;
                    if len < 16 { break; }
                    off += align(len).unwrap();
                }
            }
            let limit = Msgs::new(&dgram).count() + 1;
            let mut events = 0;
            let mut it = s.feed(&dgram, src);
            for e in it.by_ref() {
                events += 1;
                prop_assert!(events <= limit, "feed does not terminate");
                if let Ok(Event::Foreign { pid }) = e {
                    prop_assert_eq!(pid, src.pid);
                }
                if events == take {
                    break;
                }
            }
            drop(it);
            prop_assert!(s.pending() <= s.capacity());
            prop_assert_eq!(s.pending(), seqs.iter().filter(|q| s.is_pending(**q)).count());
        }
        for c in cancels {
            s.cancel(nl_proto::wire::Seq(c));
            prop_assert!(s.pending() <= s.capacity());
        }
        let n = s.pending();
        prop_assert_eq!(s.abort_all().count(), n);
        prop_assert_eq!(s.pending(), 0);
    }

    /// The fuzz body of the session on arbitrary scripts.
    #[test]
    fn session_script_never_panics(script in vec(any::<u8>(), 0..400)) {
        nl_proto::fuzzing::session_feed(&script);
    }

    /// Scripts of nfnetlink batches (BEGIN, members, END, barriers) and
    /// well-formed acks and errors stamped with the seqs submitted, run
    /// through the session fuzz body, which checks the session against its
    /// reference model after every step. Random bytes almost never form
    /// such answers; these do.
    #[test]
    fn session_batch_scripts_match_the_model(
        first in any::<u8>(),
        ops in vec((0u8..8, any::<u8>(), any::<bool>()), 0..60),
    ) {
        let mut script = vec![first];
        for (op, arg, flag) in ops {
            match op {
                // BATCH_BEGIN (even selector) or BATCH_END (odd).
                0 | 1 => script.extend([7, op, 0x10 + op, 0, 1, 0, 4, 0, 0, 0, 10]),
                // A member or plain request (NEWTABLE) expecting an ack.
                2 | 3 => script.extend([0, 0x00, 0x0a, 1, 0, 4, 1, 0, 0, 0]),
                // A dump.
                4 => script.extend([1, 0x01, 0x0a, 1, 3, 4, 0, 0, 0, 0]),
                // An ack (or an error when `flag`), for the seq picked by `arg`,
                // maybe followed by a second answer in the same datagram.
                5 | 6 => {
                    let errno: i32 = if flag { -2 } else { 0 };
                    let mut msg = Vec::new();
                    for _ in 0..(op - 4) {
                        msg.extend(36u32.to_ne_bytes());
                        msg.extend(2u16.to_ne_bytes());
                        msg.extend(0x100u16.to_ne_bytes());
                        msg.extend([0u8; 8]); // seq (stamped), port id
                        msg.extend(errno.to_ne_bytes());
                        msg.extend(16u32.to_ne_bytes());
                        msg.extend([0u8; 12]);
                    }
                    script.extend([4, 4, arg]);
                    script.extend((msg.len() as u16).to_le_bytes());
                    script.extend(msg);
                }
                // Cancel one of ours, or abort all.
                _ if flag => script.extend([5, arg & !1]),
                _ => script.extend([6, arg % 4]),
            }
        }
        nl_proto::fuzzing::session_feed(&script);
    }

    /// Every put on a buffer of random size either succeeds or returns
    /// `BufferFull` leaving `len()` and every byte of the buffer unchanged.
    #[test]
    fn writer_puts_are_all_or_nothing(size in 0usize..200, ops in vec(put_op(), 0..24)) {
        for i in 0..ops.len() {
            let (before_len, _, before) = run(size, &ops[..i]);
            let (after_len, result, after) = run(size, &ops[..=i]);
            match result {
                Ok(()) => prop_assert!(after_len >= before_len),
                Err(EncodeError::BufferFull { need, have }) => {
                    prop_assert!(need > have);
                    prop_assert_eq!(have, size - before_len);
                    prop_assert_eq!(after_len, before_len);
                    prop_assert_eq!(&after, &before);
                }
                Err(e) => prop_assert!(false, "unexpected {:?}", e),
            }
        }
        // Whatever fitted still finishes into a message that reads back.
        let mut buf = vec![0u8; size];
        let mut w = MsgWriter::new(&mut buf);
        if w.begin(MsgType(24), Flags::REQUEST).is_ok() {
            let mut stack = Vec::new();
            for op in &ops {
                let _ = apply(&mut w, &mut stack, op);
            }
            while let Some(n) = stack.pop() {
                w.end_nest(n).unwrap();
            }
            let len = w.len();
            let msg = w.finish().unwrap();
            prop_assert_eq!(msg.len(), len);
            let msg = Msgs::new(&buf[..len]).next().unwrap().unwrap();
            prop_assert_eq!(msg.header().len() as usize, len);
        }
    }
}

/// A put of each kind the writer offers.
#[derive(Debug, Clone)]
enum PutOp {
    Bytes(u16, Vec<u8>),
    Flag(u16),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Be32(u32),
    Str(String),
    Ip(std::net::IpAddr),
    Fixed(Vec<u8>),
    Parts(Vec<u8>, Vec<u8>),
    BeginNest(u16),
    EndNest,
}

fn put_op() -> impl Strategy<Value = PutOp> {
    prop_oneof![
        (0u16..0x3fff, vec(any::<u8>(), 0..40)).prop_map(|(k, p)| PutOp::Bytes(k, p)),
        (0u16..0x3fff).prop_map(PutOp::Flag),
        any::<u8>().prop_map(PutOp::U8),
        any::<u16>().prop_map(PutOp::U16),
        any::<u32>().prop_map(PutOp::U32),
        any::<u64>().prop_map(PutOp::U64),
        any::<u32>().prop_map(PutOp::Be32),
        "[a-z0-9]{0,15}".prop_map(PutOp::Str),
        any::<std::net::IpAddr>().prop_map(PutOp::Ip),
        vec(any::<u8>(), 0..20).prop_map(PutOp::Fixed),
        (vec(any::<u8>(), 0..9), vec(any::<u8>(), 0..9)).prop_map(|(a, b)| PutOp::Parts(a, b)),
        (0u16..0x3fff).prop_map(PutOp::BeginNest),
        Just(PutOp::EndNest),
    ]
}

fn apply(w: &mut MsgWriter<'_>, stack: &mut Vec<Nest>, op: &PutOp) -> Result<(), EncodeError> {
    match op {
        PutOp::Bytes(k, p) => w.put(*k, p),
        PutOp::Flag(k) => w.put_flag(*k),
        PutOp::U8(v) => w.put_u8(1, *v),
        PutOp::U16(v) => w.put_u16(2, *v),
        PutOp::U32(v) => w.put_u32(3, *v),
        PutOp::U64(v) => w.put_u64(4, *v),
        PutOp::Be32(v) => w.put_be32(5, *v),
        PutOp::Str(s) => w.put_str(6, s),
        PutOp::Ip(ip) => w.put_ip(7, *ip),
        PutOp::Fixed(b) => w.put_fixed(b.as_slice()),
        PutOp::Parts(a, b) => w.put_parts(8, &[a, b]),
        PutOp::BeginNest(k) => w.begin_nest(*k).map(|n| stack.push(n)),
        PutOp::EndNest => match stack.pop() {
            Some(n) => w.end_nest(n),
            None => Ok(()),
        },
    }
}

/// Apply `ops` to a writer over `size` bytes (pre-filled with 0xa5) after
/// `begin`; returns the final length, the last op's result and the buffer.
fn run(size: usize, ops: &[PutOp]) -> (usize, Result<(), EncodeError>, Vec<u8>) {
    let mut buf = vec![0xa5u8; size];
    let mut w = MsgWriter::new(&mut buf);
    let mut last = w.begin(MsgType(24), Flags::REQUEST);
    if last.is_ok() {
        let mut stack = Vec::new();
        for op in ops {
            last = apply(&mut w, &mut stack, op);
        }
    }
    let len = w.len();
    (len, last, buf)
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        4 => Just(Source::KERNEL),
        1 => any::<u32>().prop_map(Source::multicast),
        1 => (any::<u32>(), any::<u32>(), any::<u32>())
            .prop_map(|(pid, group, groups)| Source { pid, group, groups }),
    ]
}

/// A datagram of messages with correct lengths, control types often, and
/// payloads that are attribute-like, then up to three bytes overwritten.
fn near_datagram() -> impl Strategy<Value = Vec<u8>> {
    let msg = (
        prop_oneof![Just(1u16), Just(2), Just(3), Just(4), 16u16..40],
        any::<u16>(),
        0u32..8,
        vec(any::<u8>(), 0..96),
    );
    (vec(msg, 0..6), vec((any::<usize>(), any::<u8>()), 0..3)).prop_map(|(msgs, pokes)| {
        let mut d = Vec::new();
        for (ty, flags, seq, payload) in msgs {
            let len = (16 + payload.len()) as u32;
            d.extend_from_slice(&len.to_ne_bytes());
            d.extend_from_slice(&ty.to_ne_bytes());
            d.extend_from_slice(&flags.to_ne_bytes());
            d.extend_from_slice(&seq.to_ne_bytes());
            d.extend_from_slice(&0u32.to_ne_bytes());
            d.extend_from_slice(&payload);
            d.resize(align(d.len()).unwrap(), 0);
        }
        for (at, b) in pokes {
            if !d.is_empty() {
                let i = at % d.len();
                d[i] = b;
            }
        }
        d
    })
}
