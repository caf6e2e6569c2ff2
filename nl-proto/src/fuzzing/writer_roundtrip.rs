//! The `writer_roundtrip` body: attribute trees written and read back.

use super::Input;
use crate::EncodeError;
use crate::wire::{self, Attrs, Flags, HEADER_LEN, MsgType, MsgWriter, Msgs, Nest};

/// Most tokens one [`writer_roundtrip`] tree has (plus closing tokens).
const MAX_TOKENS: usize = 64;
/// Deepest nesting of a [`writer_roundtrip`] tree.
const MAX_NEST: usize = 4;
/// Size of the writer buffers: a header plus 64 tokens of at most 68 bytes.
const TREE_BUF: usize = HEADER_LEN + MAX_TOKENS * (4 + 64) + 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Leaf(u16, &'a [u8]),
    Open(u16),
    Close,
}

/// An attribute tree as a balanced token list.
struct Tree<'a> {
    toks: [Tok<'a>; MAX_TOKENS + MAX_NEST],
    n: usize,
}

impl<'a> Tree<'a> {
    /// Tokens: op byte `% 4`: 0, 1 leaf (kind `u16 & 0x3fff`, length
    /// `u8 % 65`, payload); 2 open a nest (kind), a leaf past depth 4;
    /// 3 close a nest (ignored at depth 0). Open nests close at the end.
    fn parse(input: &mut Input<'a>) -> Self {
        let mut t = Self {
            toks: [Tok::Close; MAX_TOKENS + MAX_NEST],
            n: 0,
        };
        let mut depth = 0usize;
        while t.n < MAX_TOKENS && !input.is_empty() {
            let op = input.u8() % 4;
            let tok = match op {
                2 if depth < MAX_NEST => {
                    depth += 1;
                    Tok::Open(input.u16() & 0x3fff)
                }
                3 if depth > 0 => {
                    depth -= 1;
                    Tok::Close
                }
                3 => continue,
                _ => {
                    let kind = input.u16() & 0x3fff;
                    let len = usize::from(input.u8() % 65);
                    Tok::Leaf(kind, input.bytes(len))
                }
            };
            t.push(tok);
        }
        for _ in 0..depth {
            t.push(Tok::Close);
        }
        t
    }
    fn push(&mut self, tok: Tok<'a>) {
        if let Some(slot) = self.toks.get_mut(self.n) {
            *slot = tok;
            self.n += 1;
        }
    }
    fn toks(&self) -> &[Tok<'a>] {
        self.toks.get(..self.n).unwrap_or_default()
    }
}

/// The attribute type the writer's `begin_nest` puts on the wire.
const NLA_F_NESTED: u16 = 0x8000;

/// A plain reference encoder: the tokens selected by `keep` (bit `i` for
/// token `i`), after a 16-byte header, into `out`. Returns the length.
fn reference(tree: &Tree<'_>, keep: u128, ty: MsgType, out: &mut [u8]) -> usize {
    fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
        out.get_mut(at..at + bytes.len())
            .expect("reference buffer is large enough")
            .copy_from_slice(bytes);
    }
    let mut pos = HEADER_LEN;
    let mut stack = [0usize; MAX_NEST];
    let mut depth = 0;
    for (i, tok) in tree.toks().iter().enumerate() {
        if keep & (1 << i) == 0 {
            continue;
        }
        match *tok {
            Tok::Leaf(kind, p) => {
                put(
                    out,
                    pos,
                    &u16::try_from(4 + p.len()).expect("short").to_ne_bytes(),
                );
                put(out, pos + 2, &kind.to_ne_bytes());
                put(out, pos + 4, p);
                let end = wire::align(pos + 4 + p.len()).expect("small");
                out.get_mut(pos + 4 + p.len()..end).expect("fits").fill(0);
                pos = end;
            }
            Tok::Open(kind) => {
                put(out, pos + 2, &(kind | NLA_F_NESTED).to_ne_bytes());
                *stack.get_mut(depth).expect("depth <= 4") = pos;
                depth += 1;
                pos += 4;
            }
            Tok::Close => {
                depth -= 1;
                let start = *stack.get(depth).expect("balanced");
                put(
                    out,
                    start,
                    &u16::try_from(pos - start).expect("short").to_ne_bytes(),
                );
            }
        }
    }
    put(out, 0, &u32::try_from(pos).expect("short").to_ne_bytes());
    put(out, 4, &ty.0.to_ne_bytes());
    put(out, 6, &0u16.to_ne_bytes());
    put(out, 8, &[0; 8]);
    pos
}

/// Write the tree with the closure form ([`MsgWriter::nested`]), from
/// token `i`; returns the index after the matching close.
fn write_closure(
    w: &mut MsgWriter<'_>,
    toks: &[Tok<'_>],
    mut i: usize,
) -> Result<usize, EncodeError> {
    while let Some(tok) = toks.get(i) {
        i += 1;
        match *tok {
            Tok::Leaf(kind, p) => w.put(kind, p)?,
            Tok::Open(kind) => {
                let mut next = i;
                w.nested(kind, |w| {
                    next = write_closure(w, toks, i)?;
                    Ok(())
                })?;
                i = next;
            }
            Tok::Close => return Ok(i),
        }
    }
    Ok(i)
}

/// Check that `attrs` holds exactly the tokens from `i` to the matching
/// close; returns the index after it.
fn read_back(attrs: &mut Attrs<'_>, toks: &[Tok<'_>], mut i: usize) -> usize {
    while let Some(tok) = toks.get(i) {
        i += 1;
        match *tok {
            Tok::Leaf(kind, p) => {
                let a = attrs.next().expect("attribute missing").expect("readable");
                assert_eq!((a.kind(), a.payload()), (kind, p));
                assert!(!a.is_nested_flagged());
            }
            Tok::Open(kind) => {
                let a = attrs.next().expect("nest missing").expect("readable");
                assert_eq!(a.kind(), kind);
                assert!(a.is_nested_flagged());
                let mut inner = a.nested();
                i = read_back(&mut inner, toks, i);
            }
            Tok::Close => break,
        }
    }
    assert!(attrs.next().is_none(), "extra attributes");
    i
}

/// Write an attribute tree with `MsgWriter` twice (closure form and
/// begin/end tokens), compare both with a reference encoding (lengths,
/// zero padding), read it back with `Msgs` and `Attrs` and compare with the
/// tree; then write it into a buffer of a chosen size and check that every
/// failed put changed nothing.
///
/// Input: message type `u16`, buffer size `u16`, then the tree's tokens:
/// op byte `% 4`: 0, 1 leaf (kind `u16 & 0x3fff`, length `u8 % 65`,
/// payload); 2 open a nest (kind; a leaf past depth 4); 3 close a nest.
/// At most 64 tokens; open nests close at the end.
///
/// # Panics
///
/// When the writer's bytes differ from the reference, do not read back as
/// the same tree, or a failed put changed the buffer.
pub fn writer_roundtrip(data: &[u8]) {
    let mut input = Input::new(data);
    let ty = MsgType(input.u16());
    let limit = usize::from(input.u16());
    let tree = Tree::parse(&mut input);
    let toks = tree.toks();
    let all = u128::MAX;

    let mut expect = [0u8; TREE_BUF];
    let len = reference(&tree, all, ty, &mut expect);
    let expect = expect.get(..len).unwrap_or_default();

    // Closure form.
    let mut a = [0xa5u8; TREE_BUF];
    let mut w = MsgWriter::new(&mut a);
    w.begin(ty, Flags::EMPTY).expect("room");
    assert_eq!(write_closure(&mut w, toks, 0), Ok(toks.len()));
    assert_eq!(w.finish().expect("balanced"), expect);
    assert_eq!(w.len(), len);
    assert!(a.get(len..).unwrap_or_default().iter().all(|&b| b == 0xa5));

    // begin_nest / end_nest tokens.
    let mut b = [0x5au8; TREE_BUF];
    let mut w = MsgWriter::new(&mut b);
    w.begin(ty, Flags::EMPTY).expect("room");
    let mut stack: [Option<Nest>; MAX_NEST] = [None; MAX_NEST];
    let mut depth = 0;
    for tok in toks {
        match *tok {
            Tok::Leaf(kind, p) => w.put(kind, p).expect("room"),
            Tok::Open(kind) => {
                *stack.get_mut(depth).expect("depth <= 4") =
                    Some(w.begin_nest(kind).expect("room"));
                depth += 1;
            }
            Tok::Close => {
                depth -= 1;
                let nest = stack.get_mut(depth).and_then(Option::take).expect("open");
                w.end_nest(nest).expect("short");
            }
        }
    }
    assert_eq!(w.finish().expect("balanced"), expect);

    // Read back.
    let mut msgs = Msgs::new(expect);
    let msg = msgs.next().expect("one message").expect("readable");
    assert!(msgs.next().is_none());
    assert_eq!(msg.msg_type(), ty);
    let mut attrs = Attrs::new(msg.payload());
    assert_eq!(read_back(&mut attrs, toks, 0), toks.len());

    all_or_nothing(&tree, ty, limit % (len + 8));
}

/// Write `tree` into a buffer of `limit` bytes: each put either succeeds or
/// fails with `BufferFull` leaving the length as it was; what remains is
/// the reference encoding of exactly the puts that succeeded, and the bytes
/// past it are untouched.
fn all_or_nothing(tree: &Tree<'_>, ty: MsgType, limit: usize) {
    let mut buf = [0xa5u8; TREE_BUF];
    let mut w = MsgWriter::new(buf.get_mut(..limit).unwrap_or_default());
    if let Err(e) = w.begin(ty, Flags::EMPTY) {
        assert!(matches!(e, EncodeError::BufferFull { .. }));
        assert!(limit < HEADER_LEN);
        assert_eq!(w.len(), 0);
        return;
    }
    let mut keep = 0u128;
    let mut stack: [Option<Nest>; MAX_NEST] = [None; MAX_NEST];
    let mut depth = 0;
    // Depth of a nest whose begin failed: its content is skipped.
    let mut skipping: Option<usize> = None;
    for (i, tok) in tree.toks().iter().enumerate() {
        let before = w.len();
        let result = match (*tok, skipping) {
            (Tok::Open(_), Some(_)) => {
                depth += 1;
                continue;
            }
            (Tok::Close, Some(d)) => {
                depth -= 1;
                if depth == d {
                    skipping = None;
                }
                continue;
            }
            (Tok::Leaf(..), Some(_)) => continue,
            (Tok::Leaf(kind, p), None) => w.put(kind, p),
            (Tok::Open(kind), None) => match w.begin_nest(kind) {
                Ok(nest) => {
                    *stack.get_mut(depth).expect("depth <= 4") = Some(nest);
                    depth += 1;
                    Ok(())
                }
                Err(e) => {
                    skipping = Some(depth);
                    depth += 1;
                    Err(e)
                }
            },
            (Tok::Close, None) => {
                depth -= 1;
                let nest = stack.get_mut(depth).and_then(Option::take).expect("open");
                let r = w.end_nest(nest);
                assert_eq!(r, Ok(()), "ending a nest needs no room");
                r
            }
        };
        match result {
            Ok(()) => keep |= 1 << i,
            Err(e) => {
                assert!(matches!(e, EncodeError::BufferFull { .. }), "{e:?}");
                assert_eq!(w.len(), before, "a failed put moved the cursor");
            }
        }
    }
    let len = w.len();
    assert!(len <= limit);
    let written = w.finish().expect("balanced").len();
    assert_eq!(written, len);
    let mut expect = [0u8; TREE_BUF];
    let n = reference(tree, keep, ty, &mut expect);
    assert_eq!(n, len);
    assert_eq!(buf.get(..len), expect.get(..len));
    assert!(
        buf.get(len..)
            .unwrap_or_default()
            .iter()
            .all(|&b| b == 0xa5)
    );
}
