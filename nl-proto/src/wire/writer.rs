//! Building messages into a caller's buffer.

use super::header::{Flags, HEADER_LEN, MsgType};
use crate::EncodeError;
use core::net::IpAddr;
use zerocopy::{Immutable, IntoBytes};

const ATTR_HEADER: usize = 4;

/// A nest in progress, from [`MsgWriter::begin_nest`]. A plain value (its
/// offset and a serial number): it does not borrow the writer, so loops can
/// hold it across other writes. The serial number keeps a stale token
/// (ended or cancelled) from matching a later nest at the same offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a nest must be ended or cancelled"]
pub struct Nest {
    offset: usize,
    serial: u32,
    kind: u16,
}

/// An open nest as the writer records it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct OpenNest {
    offset: usize,
    serial: u32,
}

impl OpenNest {
    fn is(self, nest: Nest) -> bool {
        self.offset == nest.offset && self.serial == nest.serial
    }
}

/// Writes netlink messages, back to back, into a caller's `&mut [u8]`.
///
/// The header's `nlmsg_len` is patched by [`MsgWriter::finish`] from the
/// cursor, so it cannot disagree with what was written. Every `put_*` is
/// all-or-nothing: on [`EncodeError::BufferFull`] the buffer and cursor are
/// unchanged, so a caller can send what is already finished and retry.
///
/// ```
/// use nl_proto::wire::{Flags, MsgType, MsgWriter};
/// let mut buf = [0u8; 64];
/// let mut w = MsgWriter::new(&mut buf);
/// w.begin(MsgType(18), Flags::REQUEST)?; // RTM_GETLINK
/// w.put_fixed(&[0u8; 16])?;               // struct ifinfomsg
/// w.put_str(3, "lo")?;                    // IFLA_IFNAME
/// let msg = w.finish()?;
/// assert_eq!(msg.len(), 16 + 16 + 8);
/// assert_eq!(msg[0], 40);
/// # Ok::<(), nl_proto::EncodeError>(())
/// ```
#[derive(Debug)]
pub struct MsgWriter<'b> {
    buf: &'b mut [u8],
    pos: usize,
    msg_start: Option<usize>,
    /// The open nests, outermost first; `depth` are in use.
    nests: [OpenNest; MAX_NEST_DEPTH],
    depth: usize,
    /// The serial number of the next nest.
    serial: u32,
}

/// How deep nests may go in one message. The kernel's own policy
/// validation stops at 10 levels.
pub const MAX_NEST_DEPTH: usize = 16;

impl<'b> MsgWriter<'b> {
    /// A writer over `buf`, starting at its beginning.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            msg_start: None,
            nests: [OpenNest::default(); MAX_NEST_DEPTH],
            depth: 0,
            serial: 0,
        }
    }

    /// Bytes of finished (and, if one is open, unfinished) messages.
    pub fn len(&self) -> usize {
        self.pos
    }
    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.pos == 0
    }
    /// Bytes still free.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
    /// Whether a message is open (begun and not finished).
    pub fn in_message(&self) -> bool {
        self.msg_start.is_some()
    }
    /// The finished messages, ready for one `send`. Excludes an open message.
    pub fn finished(&self) -> &[u8] {
        let end = self.msg_start.unwrap_or(self.pos);
        self.buf.get(..end).unwrap_or_default()
    }
    /// The finished messages, mutably (to stamp sequence numbers).
    pub fn finished_mut(&mut self) -> &mut [u8] {
        let end = self.msg_start.unwrap_or(self.pos);
        self.buf.get_mut(..end).unwrap_or_default()
    }
    /// Forget everything written, keeping the buffer.
    pub fn clear(&mut self) {
        self.pos = 0;
        self.msg_start = None;
        self.depth = 0;
    }

    /// Roll back to `len` bytes, a value [`MsgWriter::len`] returned earlier
    /// while no message was open (so a message boundary). Drops an open
    /// message and everything after `len`; a larger `len` changes nothing.
    /// Lets a caller undo a finished message that it then failed to submit.
    ///
    /// A `len` taken inside the open message keeps the message and drops
    /// the nests that began at or after it (their tokens no longer end
    /// anything); one inside the message's header drops the message, so
    /// the writer only ever holds whole messages.
    pub fn truncate(&mut self, len: usize) {
        if len > self.pos {
            return;
        }
        self.pos = len;
        let Some(start) = self.msg_start else {
            return;
        };
        if len < start.saturating_add(HEADER_LEN) {
            self.pos = len.min(start);
            self.msg_start = None;
            self.depth = 0;
            return;
        }
        let open = self.nests.get(..self.depth).unwrap_or_default();
        self.depth = open.iter().take_while(|n| n.offset < len).count();
    }

    /// Reserve `len` bytes plus padding at the cursor, zero the padding and
    /// return the unpadded region. Nothing changes on error.
    fn reserve(&mut self, len: usize) -> Result<&mut [u8], EncodeError> {
        let have = self.remaining();
        let padded = super::align(len).ok_or(EncodeError::BufferFull {
            need: usize::MAX,
            have,
        })?;
        if padded > have {
            return Err(EncodeError::BufferFull { need: padded, have });
        }
        let start = self.pos;
        self.pos = start.saturating_add(padded);
        let region = self
            .buf
            .get_mut(start..start.saturating_add(padded))
            .unwrap_or_default();
        let (data, pad) = region.split_at_mut(len.min(region.len()));
        // At most 3 bytes, and mostly none: a loop, not a `memset` call.
        for b in pad {
            *b = 0;
        }
        Ok(data)
    }

    fn require_message(&self) -> Result<usize, EncodeError> {
        self.msg_start.ok_or(EncodeError::Misuse {
            what: "no message is open",
        })
    }

    /// Start a message of type `ty` with `flags`. Sequence number and port
    /// id are left 0: the session stamps the sequence number on submit.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; [`EncodeError::Misuse`] if a message is
    /// already open.
    pub fn begin(&mut self, ty: MsgType, flags: Flags) -> Result<(), EncodeError> {
        if self.msg_start.is_some() {
            return Err(EncodeError::Misuse {
                what: "a message is already open",
            });
        }
        let start = self.pos;
        let head = self.reserve(HEADER_LEN)?;
        let fields = [0u32.to_ne_bytes(), [0; 4], [0; 4], [0; 4]];
        for (dst, src) in head.chunks_exact_mut(4).zip(fields) {
            dst.copy_from_slice(&src);
        }
        if let Some(t) = head.get_mut(4..6) {
            t.copy_from_slice(&ty.0.to_ne_bytes());
        }
        if let Some(f) = head.get_mut(6..8) {
            f.copy_from_slice(&flags.0.to_ne_bytes());
        }
        self.msg_start = Some(start);
        Ok(())
    }

    /// Append raw bytes (a fixed family header such as `ifinfomsg`), padded
    /// to 4 bytes.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`], or [`EncodeError::Misuse`] outside a message.
    pub fn put_fixed<T: IntoBytes + Immutable + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.require_message()?;
        let bytes = value.as_bytes();
        self.reserve(bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }

    /// Append one attribute of type `kind` with `payload`.
    ///
    /// # Errors
    ///
    /// [`EncodeError::AttrTooLong`] past 65535 bytes, [`EncodeError::BufferFull`],
    /// or [`EncodeError::Misuse`] outside a message.
    pub fn put(&mut self, kind: u16, payload: &[u8]) -> Result<(), EncodeError> {
        self.put_parts(kind, &[payload])
    }

    /// Append one attribute whose payload is the concatenation of `parts`.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_parts(&mut self, kind: u16, parts: &[&[u8]]) -> Result<(), EncodeError> {
        self.require_message()?;
        let payload_len = parts
            .iter()
            .fold(0usize, |acc, p| acc.saturating_add(p.len()));
        let total = payload_len.saturating_add(ATTR_HEADER);
        let len =
            u16::try_from(total).map_err(|_| EncodeError::AttrTooLong { kind, len: total })?;
        let region = self.reserve(total)?;
        let (head, mut body) = region.split_at_mut(ATTR_HEADER.min(region.len()));
        let mut h = [0u8; 4];
        h[..2].copy_from_slice(&len.to_ne_bytes());
        h[2..].copy_from_slice(&kind.to_ne_bytes());
        head.copy_from_slice(&h);
        for part in parts {
            let (dst, rest) = body.split_at_mut(part.len().min(body.len()));
            dst.copy_from_slice(part);
            body = rest;
        }
        Ok(())
    }

    /// Append a flag attribute (no payload).
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_flag(&mut self, kind: u16) -> Result<(), EncodeError> {
        self.put(kind, &[])
    }
    /// Append a `u8` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_u8(&mut self, kind: u16, v: u8) -> Result<(), EncodeError> {
        self.put(kind, &[v])
    }
    /// Append a host-order `u16` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_u16(&mut self, kind: u16, v: u16) -> Result<(), EncodeError> {
        self.put(kind, &v.to_ne_bytes())
    }
    /// Append a host-order `u32` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_u32(&mut self, kind: u16, v: u32) -> Result<(), EncodeError> {
        self.put(kind, &v.to_ne_bytes())
    }
    /// Append a host-order `i32` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_i32(&mut self, kind: u16, v: i32) -> Result<(), EncodeError> {
        self.put(kind, &v.to_ne_bytes())
    }
    /// Append a host-order `u64` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_u64(&mut self, kind: u16, v: u64) -> Result<(), EncodeError> {
        self.put(kind, &v.to_ne_bytes())
    }
    /// Append a network-order `u16` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_be16(&mut self, kind: u16, v: u16) -> Result<(), EncodeError> {
        self.put(kind, &v.to_be_bytes())
    }
    /// Append a network-order `u32` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_be32(&mut self, kind: u16, v: u32) -> Result<(), EncodeError> {
        self.put(kind, &v.to_be_bytes())
    }
    /// Append a network-order `u64` attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_be64(&mut self, kind: u16, v: u64) -> Result<(), EncodeError> {
        self.put(kind, &v.to_be_bytes())
    }
    /// Append a NUL-terminated string attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_str(&mut self, kind: u16, s: &str) -> Result<(), EncodeError> {
        self.put_parts(kind, &[s.as_bytes(), &[0]])
    }
    /// Append an IP address attribute (4 or 16 bytes, network order).
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_ip(&mut self, kind: u16, ip: IpAddr) -> Result<(), EncodeError> {
        match ip {
            IpAddr::V4(a) => self.put(kind, &a.octets()),
            IpAddr::V6(a) => self.put(kind, &a.octets()),
        }
    }
    /// Append a fixed struct as an attribute.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::put`].
    pub fn put_struct<T: IntoBytes + Immutable + ?Sized>(
        &mut self,
        kind: u16,
        v: &T,
    ) -> Result<(), EncodeError> {
        self.put(kind, v.as_bytes())
    }

    /// Open a nested attribute of type `kind` (the `NLA_F_NESTED` bit is
    /// set, as the kernel's strict validation wants). Attributes put until
    /// the matching [`MsgWriter::end_nest`] go inside it. Nests must be
    /// ended innermost first.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`], or [`EncodeError::Misuse`] outside a message.
    pub fn begin_nest(&mut self, kind: u16) -> Result<Nest, EncodeError> {
        self.open_nest(kind | 0x8000)
    }

    /// [`MsgWriter::begin_nest`] without the `NLA_F_NESTED` bit, for the
    /// attributes the kernel itself emits unflagged (`nla_nest_start_noflag`,
    /// e.g. `RTA_MULTIPATH`), so that bytes match the kernel's.
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::begin_nest`].
    pub fn begin_nest_unflagged(&mut self, kind: u16) -> Result<Nest, EncodeError> {
        self.open_nest(kind & 0x7fff)
    }

    fn open_nest(&mut self, raw_type: u16) -> Result<Nest, EncodeError> {
        let kind = raw_type & 0x3fff;
        self.require_message()?;
        if self.depth >= MAX_NEST_DEPTH {
            return Err(EncodeError::Misuse {
                what: "nests deeper than MAX_NEST_DEPTH",
            });
        }
        let offset = self.pos;
        let head = self.reserve(ATTR_HEADER)?;
        head.copy_from_slice(&[4, 0, 0, 0]);
        if let Some(t) = head.get_mut(2..4) {
            t.copy_from_slice(&raw_type.to_ne_bytes());
        }
        let serial = self.serial;
        self.serial = serial.wrapping_add(1);
        if let Some(slot) = self.nests.get_mut(self.depth) {
            *slot = OpenNest { offset, serial };
        }
        self.depth = self.depth.saturating_add(1);
        Ok(Nest {
            offset,
            serial,
            kind,
        })
    }

    /// Close `nest`, patching its length.
    ///
    /// # Errors
    ///
    /// [`EncodeError::AttrTooLong`] if its content passed 65535 bytes (the
    /// nest stays open, so [`MsgWriter::cancel_nest`] can roll it back);
    /// [`EncodeError::BadNest`] if the token is not the innermost open nest
    /// (ended already, cancelled, or an outer one while an inner is open).
    pub fn end_nest(&mut self, nest: Nest) -> Result<(), EncodeError> {
        self.require_message()?;
        if !self.innermost().is_some_and(|n| n.is(nest)) {
            return Err(EncodeError::BadNest);
        }
        let total = self.pos.saturating_sub(nest.offset);
        let len = u16::try_from(total).map_err(|_| EncodeError::AttrTooLong {
            kind: nest.kind,
            len: total,
        })?;
        if let Some(l) = self.buf.get_mut(nest.offset..nest.offset.saturating_add(2)) {
            l.copy_from_slice(&len.to_ne_bytes());
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    fn innermost(&self) -> Option<OpenNest> {
        self.depth
            .checked_sub(1)
            .and_then(|i| self.nests.get(i))
            .copied()
    }

    /// Drop `nest`, any nest opened inside it, and everything written in
    /// them. A token that is not open (ended, or cancelled) changes nothing.
    pub fn cancel_nest(&mut self, nest: Nest) {
        let open = self.nests.get(..self.depth).unwrap_or_default();
        if let Some(level) = open.iter().position(|o| o.is(nest)) {
            self.pos = nest.offset;
            self.depth = level;
        }
    }

    /// Write a nested attribute whose content `f` writes. On error the
    /// nest is rolled back and the error returned.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns, or what [`MsgWriter::begin_nest`] and
    /// [`MsgWriter::end_nest`] return.
    pub fn nested<F>(&mut self, kind: u16, f: F) -> Result<(), EncodeError>
    where
        F: FnOnce(&mut Self) -> Result<(), EncodeError>,
    {
        let nest = self.begin_nest(kind)?;
        self.fill_nest(nest, f)
    }

    /// [`MsgWriter::nested`] without the `NLA_F_NESTED` bit (see
    /// [`MsgWriter::begin_nest_unflagged`]).
    ///
    /// # Errors
    ///
    /// As [`MsgWriter::nested`].
    pub fn nested_unflagged<F>(&mut self, kind: u16, f: F) -> Result<(), EncodeError>
    where
        F: FnOnce(&mut Self) -> Result<(), EncodeError>,
    {
        let nest = self.begin_nest_unflagged(kind)?;
        self.fill_nest(nest, f)
    }

    fn fill_nest<F>(&mut self, nest: Nest, f: F) -> Result<(), EncodeError>
    where
        F: FnOnce(&mut Self) -> Result<(), EncodeError>,
    {
        let result = f(self).and_then(|()| self.end_nest(nest));
        if result.is_err() {
            self.cancel_nest(nest);
        }
        result
    }

    /// Write one whole message: begin it, let `body` write the family
    /// header and attributes, and finish it. On any error the message is
    /// rolled back, so the writer only ever holds whole messages. This is
    /// to [`MsgWriter::begin`]/[`MsgWriter::finish`] what
    /// [`MsgWriter::nested`] is to the nest tokens; family encoders are
    /// built on it.
    ///
    /// # Errors
    ///
    /// Whatever `body` returns, or what `begin` and `finish` return.
    pub fn message<F>(
        &mut self,
        ty: MsgType,
        flags: Flags,
        body: F,
    ) -> Result<&mut [u8], EncodeError>
    where
        F: FnOnce(&mut Self) -> Result<(), EncodeError>,
    {
        let start = self.len();
        self.begin(ty, flags)?;
        if let Err(e) = body(self).and_then(|()| self.finish().map(|_| ())) {
            self.cancel();
            return Err(e);
        }
        Ok(self.finished_mut().get_mut(start..).unwrap_or_default())
    }

    /// Close the open message, patching `nlmsg_len`, and return its bytes
    /// (so a session can stamp its sequence number).
    ///
    /// # Errors
    ///
    /// [`EncodeError::Misuse`] if no message is open or a nest is still open;
    /// [`EncodeError::MsgTooLong`] past `u32::MAX`.
    pub fn finish(&mut self) -> Result<&mut [u8], EncodeError> {
        let start = self.require_message()?;
        if self.depth != 0 {
            return Err(EncodeError::Misuse {
                what: "a nest is still open",
            });
        }
        let total = self.pos.saturating_sub(start);
        let len = u32::try_from(total).map_err(|_| EncodeError::MsgTooLong { len: total })?;
        let msg = self.buf.get_mut(start..self.pos).unwrap_or_default();
        if let Some(l) = msg.get_mut(..4) {
            l.copy_from_slice(&len.to_ne_bytes());
        }
        self.msg_start = None;
        Ok(msg)
    }

    /// Drop the open message, if any.
    pub fn cancel(&mut self) {
        if let Some(start) = self.msg_start.take() {
            self.pos = start;
            self.depth = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attrs, Msgs};

    #[test]
    fn builds_exact_bytes_with_zero_padding() {
        let mut buf = [0xa5u8; 48];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST | Flags::ACK | Flags::CREATE)
            .unwrap();
        w.put_fixed(&[1u8, 0, 0, 0]).unwrap();
        w.put_str(3, "br0").unwrap();
        w.nested(18, |w| w.put(1, b"bridge")).unwrap();
        let n = w.finish().unwrap().len();
        let expect: [u8; 48] = [
            44, 0, 0, 0, 16, 0, 0x05, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, // header
            1, 0, 0, 0, // fixed
            8, 0, 3, 0, b'b', b'r', b'0', 0, // IFLA_IFNAME
            16, 0, 18, 0x80, // IFLA_LINKINFO (nested)
            10, 0, 1, 0, b'b', b'r', b'i', b'd', b'g', b'e', 0, 0, // IFLA_INFO_KIND + padding
            0xa5, 0xa5, 0xa5, 0xa5,
        ];
        assert_eq!(n, 44);
        assert_eq!(buf, expect);
    }

    #[test]
    fn buffer_full_changes_nothing() {
        let mut buf = [0xa5u8; 24];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        assert_eq!(
            w.put(1, &[1; 5]),
            Err(EncodeError::BufferFull { need: 12, have: 8 })
        );
        assert_eq!(w.len(), 16);
        w.put_u32(1, 7).unwrap();
        assert_eq!(w.remaining(), 0);
        assert_eq!(
            w.begin_nest(2),
            Err(EncodeError::BufferFull { need: 4, have: 0 })
        );
        assert_eq!(w.finish().unwrap().len(), 24);
    }

    #[test]
    fn u16_overflow_is_an_error() {
        let mut buf = [0u8; 140_000];
        let big = [0u8; 65532];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        assert_eq!(
            w.put(1, &big),
            Err(EncodeError::AttrTooLong {
                kind: 1,
                len: 65536
            })
        );
        w.put(1, &big[..65531]).unwrap();
        let nest = w.begin_nest(2).unwrap();
        w.put(1, &big[..65531]).unwrap();
        w.put(1, &[1]).unwrap();
        assert!(matches!(
            w.end_nest(nest),
            Err(EncodeError::AttrTooLong { kind: 2, .. })
        ));
        w.cancel_nest(nest);
        assert_eq!(w.len(), 16 + 65536);
    }

    #[test]
    fn cancel_nest_rolls_back() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        let r = w.nested(5, |w| {
            w.put_u32(1, 1)?;
            Err(EncodeError::Invalid { what: "test" })
        });
        assert_eq!(r, Err(EncodeError::Invalid { what: "test" }));
        assert_eq!(w.len(), 16);
        assert_eq!(w.finish().unwrap().len(), 16);
    }

    #[test]
    fn misuse_is_reported() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(w.put_u8(1, 1), Err(EncodeError::Misuse { .. })));
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        assert!(matches!(
            w.begin(MsgType(16), Flags::REQUEST),
            Err(EncodeError::Misuse { .. })
        ));
        let _open = w.begin_nest(1).unwrap();
        assert!(matches!(w.finish(), Err(EncodeError::Misuse { .. })));
        w.cancel();
        assert!(w.is_empty());
    }

    #[test]
    fn several_messages_back_to_back() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        for i in 0..3u32 {
            w.begin(MsgType(16), Flags::REQUEST).unwrap();
            w.put_u32(1, i).unwrap();
            w.finish().unwrap();
        }
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        assert_eq!(w.finished().len(), 72);
        let seen: heapless::Vec<u32, 4> = Msgs::new(w.finished())
            .map(|m| {
                Attrs::new(m.unwrap().payload())
                    .next()
                    .unwrap()
                    .unwrap()
                    .u32()
                    .unwrap()
            })
            .collect();
        assert_eq!(seen.as_slice(), &[0, 1, 2]);
    }

    #[test]
    fn nest_tokens_must_be_innermost_and_open() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        let outer = w.begin_nest(1).unwrap();
        let inner = w.begin_nest(2).unwrap();
        assert_eq!(w.end_nest(outer), Err(EncodeError::BadNest));
        w.end_nest(inner).unwrap();
        assert_eq!(w.end_nest(inner), Err(EncodeError::BadNest), "ended twice");
        w.end_nest(outer).unwrap();
        // Cancelling an outer nest drops the inner one with it.
        let before = w.len();
        let outer = w.begin_nest(3).unwrap();
        let _inner = w.begin_nest(4).unwrap();
        w.put_u32(5, 5).unwrap();
        w.cancel_nest(outer);
        assert_eq!(w.len(), before);
        // A stale token no longer matches anything.
        w.put_u32(6, 6).unwrap();
        w.cancel_nest(outer);
        assert_eq!(w.end_nest(outer), Err(EncodeError::BadNest));
        assert_eq!(w.finish().unwrap().len(), before + 8);
    }

    #[test]
    fn nest_depth_is_bounded() {
        let mut buf = [0u8; 256];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        for _ in 0..MAX_NEST_DEPTH {
            let _ = w.begin_nest(1).unwrap();
        }
        assert!(matches!(w.begin_nest(1), Err(EncodeError::Misuse { .. })));
    }

    #[test]
    fn truncate_undoes_finished_messages() {
        let mut buf = [0u8; 128];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        w.finish().unwrap();
        let mark = w.len();
        w.begin(MsgType(17), Flags::REQUEST).unwrap();
        w.put_u32(1, 1).unwrap();
        w.finish().unwrap();
        w.truncate(mark);
        assert_eq!(w.len(), 16);
        assert_eq!(w.finished().len(), 16);
        w.truncate(1000);
        assert_eq!(w.len(), 16);
    }

    #[test]
    fn message_frame_rolls_back_on_error() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        let len = w
            .message(MsgType(16), Flags::REQUEST, |w| w.put_u32(1, 7))
            .unwrap()
            .len();
        assert_eq!(len, 24);
        let r = w.message(MsgType(16), Flags::REQUEST, |w| {
            w.put_u32(1, 7)?;
            w.put(2, &[0; 64])
        });
        assert!(matches!(r, Err(EncodeError::BufferFull { .. })));
        assert_eq!((w.len(), w.in_message()), (24, false));
        let r = w.message(MsgType(16), Flags::REQUEST, |w| w.begin_nest(1).map(|_| ()));
        assert!(
            matches!(r, Err(EncodeError::Misuse { .. })),
            "an open nest fails finish"
        );
        assert_eq!(w.len(), 24);
    }

    /// A token whose nest was cancelled must not close a nest opened later
    /// at the same offset (ABA).
    #[test]
    fn stale_nest_token_closes_another_nest() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        let a = w.begin_nest(1).unwrap();
        w.cancel_nest(a);
        let b = w.begin_nest(1).unwrap();
        w.put_u32(3, 3).unwrap();
        assert_eq!(w.end_nest(a), Err(EncodeError::BadNest));
        // Cancelling by the stale token leaves b alone too.
        w.cancel_nest(a);
        assert_eq!(w.len(), 16 + 4 + 8);
        w.end_nest(b).unwrap();
        let msg = w.finish().unwrap();
        assert_eq!(&msg[16..20], &[12, 0, 1, 0x80]);
    }

    /// Truncating inside an open message drops the nests past the cursor,
    /// so ending one cannot patch a length into later payload.
    #[test]
    fn truncate_inside_a_message_drops_later_nests() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(16), Flags::REQUEST).unwrap();
        let mark = w.len();
        w.put_u32(1, 1).unwrap();
        let n = w.begin_nest(9).unwrap();
        w.truncate(mark);
        w.put(2, &[0xAA; 12]).unwrap();
        assert_eq!(w.end_nest(n), Err(EncodeError::BadNest));
        let msg = w.finish().unwrap();
        assert_eq!(msg.len(), 32);
        assert_eq!(&msg[16..20], &[16, 0, 2, 0]);
        assert_eq!(&msg[20..32], &[0xAA; 12], "payload intact");
    }

    /// A cut inside the open message's header drops the message: the
    /// writer only ever holds whole messages.
    #[test]
    fn truncate_inside_a_header_drops_the_message() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.message(MsgType(16), Flags::REQUEST, |_| Ok(())).unwrap();
        w.begin(MsgType(17), Flags::REQUEST).unwrap();
        w.truncate(20);
        assert_eq!((w.len(), w.in_message()), (16, false));
    }

    #[test]
    fn unflagged_nest_has_no_nested_bit() {
        let mut buf = [0u8; 64];
        let mut w = MsgWriter::new(&mut buf);
        w.begin(MsgType(24), Flags::REQUEST).unwrap();
        w.nested_unflagged(9, |w| w.put_u32(1, 1)).unwrap();
        let msg = w.finish().unwrap();
        assert_eq!(&msg[16..20], &[12, 0, 9, 0]);
    }
}
