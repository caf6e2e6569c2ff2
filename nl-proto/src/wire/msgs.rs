//! The messages of one datagram.

use super::header::{Flags, HEADER_LEN, Header, MsgType, Seq};
use crate::DecodeError;
use zerocopy::FromBytes;

/// One netlink message: a checked header and the payload after it.
///
/// The payload is exactly `nlmsg_len - 16` bytes (padding excluded) and
/// borrows from the datagram.
#[derive(Debug, Clone, Copy)]
pub struct Msg<'a> {
    header: &'a Header,
    payload: &'a [u8],
}

impl<'a> Msg<'a> {
    /// Parse the first message in `bytes`, returning it and the number of
    /// bytes it occupies including padding (clamped to `bytes.len()`).
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] if fewer than 16 bytes remain,
    /// [`DecodeError::BadLength`] if `nlmsg_len` is below the header size or
    /// past the end of `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<(Self, usize), DecodeError> {
        let (header, _) = Header::ref_from_prefix(bytes).map_err(|_| DecodeError::Truncated {
            what: "nlmsghdr",
            need: HEADER_LEN,
            have: bytes.len(),
        })?;
        let len = usize::try_from(header.len()).unwrap_or(usize::MAX);
        if len < HEADER_LEN || len > bytes.len() {
            return Err(DecodeError::BadLength {
                what: "nlmsg_len",
                len,
            });
        }
        let payload = bytes.get(HEADER_LEN..len).unwrap_or_default();
        let used = super::align(len).unwrap_or(len).min(bytes.len());
        Ok((Self { header, payload }, used))
    }

    /// The header.
    pub fn header(&self) -> &'a Header {
        self.header
    }
    /// Message type.
    pub fn msg_type(&self) -> MsgType {
        self.header.msg_type()
    }
    /// Flags.
    pub fn flags(&self) -> Flags {
        self.header.flags()
    }
    /// Sequence number.
    pub fn seq(&self) -> Seq {
        self.header.seq()
    }
    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Split the payload into a fixed family header `T` (such as
    /// `ifinfomsg`) and the attribute stream that follows it (after
    /// alignment).
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] if the payload is shorter than `T`.
    pub fn split<T>(&self, what: &'static str) -> Result<(&'a T, super::Attrs<'a>), DecodeError>
    where
        T: FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        let (fixed, _) = T::ref_from_prefix(self.payload).map_err(|_| DecodeError::Truncated {
            what,
            need: core::mem::size_of::<T>(),
            have: self.payload.len(),
        })?;
        let start = super::align(core::mem::size_of::<T>()).unwrap_or(usize::MAX);
        let rest = self.payload.get(start..).unwrap_or_default();
        Ok((fixed, super::Attrs::new(rest)))
    }
}

/// Iterator over the messages of one datagram.
///
/// Yields `Err` once on a malformed length, then `None`.
///
/// ```
/// use nl_proto::wire::{Msgs, MsgType};
/// // One NLMSG_DONE (20 bytes) with status 0.
/// let dgram = [20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// let mut msgs = Msgs::new(&dgram);
/// assert_eq!(msgs.next().unwrap().unwrap().msg_type(), MsgType::DONE);
/// assert!(msgs.next().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Msgs<'a> {
    rest: &'a [u8],
}

impl<'a> Msgs<'a> {
    /// Walk the messages of `datagram`.
    pub fn new(datagram: &'a [u8]) -> Self {
        Self { rest: datagram }
    }
}

impl<'a> Iterator for Msgs<'a> {
    type Item = Result<Msg<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Msg::parse(self.rest) {
            Ok((msg, used)) => {
                self.rest = self.rest.get(used..).unwrap_or_default();
                Some(Ok(msg))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Msgs<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two messages: an NLMSG_NOOP with 1 payload byte (padded to 20) and an
    /// NLMSG_DONE without its final padding.
    const TWO: [u8; 40] = [
        17, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, //
        0xaa, 0, 0, 0, // payload + 3 bytes padding
        20, 0, 0, 0, 3, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0,
    ];

    #[test]
    fn walks_padded_messages() {
        let mut it = Msgs::new(&TWO);
        let a = it.next().unwrap().unwrap();
        assert_eq!(a.msg_type(), MsgType::NOOP);
        assert_eq!(a.payload(), &[0xaa]);
        let b = it.next().unwrap().unwrap();
        assert_eq!(b.msg_type(), MsgType::DONE);
        assert_eq!(b.seq(), Seq(2));
        assert!(it.next().is_none());
    }

    #[test]
    fn last_message_may_omit_padding() {
        let mut it = Msgs::new(&TWO[..37]);
        assert!(it.next().unwrap().is_ok());
        // second message claims 20 bytes but only 17 remain
        assert!(matches!(
            it.next(),
            Some(Err(DecodeError::BadLength { len: 20, .. }))
        ));
        assert!(it.next().is_none());
        let mut it = Msgs::new(&TWO[..17]);
        assert_eq!(it.next().unwrap().unwrap().payload(), &[0xaa]);
        assert!(it.next().is_none());
    }

    #[test]
    fn rejects_zero_length() {
        let mut bytes = TWO;
        bytes[0] = 0;
        let mut it = Msgs::new(&bytes);
        assert!(matches!(
            it.next(),
            Some(Err(DecodeError::BadLength { len: 0, .. }))
        ));
        assert!(it.next().is_none());
    }

    #[test]
    fn rejects_length_below_header() {
        let mut bytes = TWO;
        bytes[0] = 15;
        assert!(matches!(
            Msgs::new(&bytes).next(),
            Some(Err(DecodeError::BadLength { len: 15, .. }))
        ));
    }

    #[test]
    fn rejects_length_past_buffer() {
        let mut bytes = TWO;
        bytes[0] = 200;
        assert!(matches!(
            Msgs::new(&bytes).next(),
            Some(Err(DecodeError::BadLength { len: 200, .. }))
        ));
    }

    #[test]
    fn rejects_short_tail() {
        let mut it = Msgs::new(&TWO[..30]);
        assert!(it.next().unwrap().is_ok());
        assert!(matches!(
            it.next(),
            Some(Err(DecodeError::Truncated {
                need: 16,
                have: 10,
                ..
            }))
        ));
    }

    #[test]
    fn empty_datagram_has_no_messages() {
        assert!(Msgs::new(&[]).next().is_none());
    }
}
