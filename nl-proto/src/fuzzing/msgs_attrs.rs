//! The `msgs_attrs` body: every wire getter on any datagram.

use crate::wire::{
    self, Attr, AttrTable, Attrs, Control, EXTACK_MSG_CAP, HEADER_LEN, Msg, MsgType, Msgs,
    decode_control,
};
use core::hint::black_box;

/// Family header sizes at which a payload's attribute stream may start:
/// none, genlmsghdr/nfgenmsg (4), ifaddrmsg (8), rtmsg/ndmsg/fib_rule_hdr
/// (12), ifinfomsg (16), tcmsg (20).
const ATTR_OFFSETS: [usize; 6] = [0, 4, 8, 12, 16, 20];

/// Nesting depth up to which [`msgs_attrs`] descends (each level is at
/// least 4 bytes shorter, so the walk is bounded anyway; this bounds the
/// stack).
const MAX_DEPTH: usize = 32;

/// Walk a datagram: every message, its header getters, `decode_control`
/// (and `to_owned` of an error), `Msg::split`, and the payload as an
/// attribute stream at every common family-header offset, recursively
/// into every attribute as if it were nested, calling every `Attr` getter,
/// `Attrs::find` and `AttrTable::parse` at each level.
///
/// Input: the datagram, as received.
///
/// # Panics
///
/// When a parser breaks its contract (wrong sizes accepted, an iterator
/// that does not fuse or terminate, a payload outside its message).
pub fn msgs_attrs(data: &[u8]) {
    let mut msgs = Msgs::new(data);
    let mut count = 0usize;
    let mut covered = 0usize;
    while let Some(item) = msgs.next() {
        count = count.saturating_add(1);
        // Every message takes at least 16 bytes, and only one Err is yielded.
        assert!(count <= data.len() / HEADER_LEN + 1, "Msgs did not advance");
        match item {
            Ok(msg) => {
                covered = covered.saturating_add(msg_len(&msg));
                check_msg(&msg);
            }
            Err(_) => assert!(msgs.next().is_none(), "Msgs must fuse after an error"),
        }
    }
    assert!(covered <= data.len());
    assert!(msgs.next().is_none());
}

fn msg_len(msg: &Msg<'_>) -> usize {
    usize::try_from(msg.header().len()).unwrap_or(usize::MAX)
}

fn check_msg(msg: &Msg<'_>) {
    let h = msg.header();
    black_box((h.pid(), msg.seq(), msg.flags(), msg.msg_type().is_control()));
    assert_eq!(
        msg.payload().len().checked_add(HEADER_LEN),
        Some(msg_len(msg))
    );
    match decode_control(msg) {
        Ok(Some(Control::Error(e))) => {
            assert!(e.errno.get() > 0);
            let owned = e.to_owned();
            assert!(owned.msg.len() <= EXTACK_MSG_CAP);
            if let Some(text) = e.ext.msg {
                assert_eq!(owned.msg_truncated, owned.msg.len() < text.len());
                assert!(text.starts_with(owned.msg.as_str()));
            }
            black_box(owned);
        }
        Ok(Some(Control::Ack { ext, request })) => {
            black_box((ext.is_empty(), request.map(wire::Header::len)));
        }
        Ok(Some(Control::Done(done))) => {
            black_box((done.status, done.ext.is_empty()));
        }
        Ok(Some(c @ (Control::Overrun | Control::Noop))) => {
            assert!(msg.msg_type().is_control());
            black_box(c);
        }
        Ok(None) => {
            assert!(!matches!(
                msg.msg_type(),
                MsgType::NOOP | MsgType::ERROR | MsgType::DONE | MsgType::OVERRUN
            ));
        }
        Err(e) => {
            assert!(msg.msg_type() == MsgType::ERROR || msg.msg_type() == MsgType::DONE);
            black_box(e);
        }
    }
    let payload = msg.payload();
    for offset in ATTR_OFFSETS {
        if let Some(rest) = payload.get(offset..) {
            walk(Attrs::new(rest), rest.len(), 0);
        }
    }
    check_split::<[u8; 4]>(msg);
    check_split::<[u8; 12]>(msg);
    check_split::<[u8; 16]>(msg);
}

fn check_split<T>(msg: &Msg<'_>)
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    let size = core::mem::size_of::<T>();
    match msg.split::<T>("fuzz") {
        Ok((fixed, attrs)) => {
            assert!(msg.payload().len() >= size);
            black_box(fixed);
            walk(attrs, msg.payload().len().saturating_sub(size), MAX_DEPTH);
        }
        Err(_) => assert!(msg.payload().len() < size),
    }
}

/// Walk `attrs` (over `len` bytes), checking every getter of every
/// attribute and descending into each.
fn walk(attrs: Attrs<'_>, len: usize, depth: usize) {
    let mut it = attrs.clone();
    let mut count = 0usize;
    let mut last_kind = None;
    while let Some(item) = it.next() {
        count = count.saturating_add(1);
        assert!(count <= len / 4 + 1, "Attrs did not advance");
        match item {
            Ok(attr) => {
                assert!(attr.payload().len() <= len);
                check_attr(&attr);
                last_kind = Some(attr.kind());
                if depth < MAX_DEPTH {
                    walk(attr.nested(), attr.payload().len(), depth.saturating_add(1));
                }
            }
            Err(_) => assert!(it.next().is_none(), "Attrs must fuse after an error"),
        }
    }
    assert!(it.next().is_none());
    // `find` skips nothing but malformed tails: it finds the first attribute
    // of a kind that the walk saw before any error.
    if let Some(kind) = last_kind {
        let found = attrs.clone().find(kind);
        assert_eq!(found.map(|a| a.kind()), Some(kind));
    }
    let table = AttrTable::<64>::parse(attrs.clone());
    for kind in 0..70u16 {
        if let Some(a) = table.get(kind) {
            assert_eq!(a.kind(), kind);
            assert!(kind < 64);
        }
    }
    assert_eq!(table.error().is_some(), attrs.clone().any(|r| r.is_err()));
}

/// Every getter of `a`, each checked against the payload size.
fn check_attr(a: &Attr<'_>) {
    let p = a.payload();
    let n = p.len();
    assert!(a.kind() < 0x4000);
    black_box((a.is_nested_flagged(), a.is_net_byteorder_flagged()));
    assert_eq!(a.u8().is_ok(), n == 1);
    assert_eq!(a.u16().is_ok(), n == 2);
    assert_eq!(a.be16().is_ok(), n == 2);
    assert_eq!(a.u32().is_ok(), n == 4);
    assert_eq!(a.i32().is_ok(), n == 4);
    assert_eq!(a.be32().is_ok(), n == 4);
    assert_eq!(a.ipv4().is_ok(), n == 4);
    assert_eq!(a.u64().is_ok(), n == 8);
    assert_eq!(a.be64().is_ok(), n == 8);
    assert_eq!(a.ipv6().is_ok(), n == 16);
    assert_eq!(a.ip().is_ok(), n == 4 || n == 16);
    if let (Ok(x), Ok(y)) = (a.u32(), a.be32()) {
        assert_eq!(
            x,
            if cfg!(target_endian = "little") {
                y.swap_bytes()
            } else {
                y
            }
        );
    }
    let nul = p.iter().position(|&b| b == 0);
    match a.cstr_bytes() {
        Ok(s) => assert_eq!(Some(s.len()), nul),
        Err(_) => assert!(nul.is_none()),
    }
    if let Ok(s) = a.cstr() {
        assert_eq!(Ok(s.as_bytes()), a.cstr_bytes());
    }
    if let Ok(s) = a.str() {
        assert_eq!(s.len(), nul.unwrap_or(n));
    }
    let s: [u8; 8] = a.read_struct();
    let k = n.min(8);
    assert_eq!(s.get(..k), p.get(..k));
    assert!(s.get(k..).unwrap_or_default().iter().all(|&b| b == 0));
    let _ = black_box((
        a.u64(),
        a.ip(),
        a.str(),
        a.cstr(),
        a.read_struct::<[u8; 32]>(),
    ));
}
