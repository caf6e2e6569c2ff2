//! Error types of the protocol core.
//!
//! All of them are small `Copy` enums with static context: nothing here
//! formats a string until someone displays the error, and nothing allocates.

/// A received byte sequence could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer bytes than the structure needs.
    #[error("{what}: truncated, need {need} bytes, have {have}")]
    Truncated {
        /// What was being decoded.
        what: &'static str,
        /// Bytes needed.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// A length field is impossible (below its own header, or past its container).
    #[error("{what}: bad length {len}")]
    BadLength {
        /// What carried the length.
        what: &'static str,
        /// The length found.
        len: usize,
    },
    /// A fixed-size attribute has the wrong size.
    #[error("attribute {kind}: expected {expected} bytes, got {got}")]
    AttrSize {
        /// Attribute type.
        kind: u16,
        /// Size the accessor expects.
        expected: usize,
        /// Size found.
        got: usize,
    },
    /// A string attribute lacks its terminating NUL.
    #[error("attribute {kind}: string is not NUL-terminated")]
    NotNulTerminated {
        /// Attribute type.
        kind: u16,
    },
    /// A string attribute is not UTF-8.
    #[error("attribute {kind}: string is not UTF-8")]
    NotUtf8 {
        /// Attribute type.
        kind: u16,
    },
    /// A value is present but outside what this type can hold.
    #[error("{what}: value {value} out of range")]
    OutOfRange {
        /// What was being decoded.
        what: &'static str,
        /// The offending value.
        value: u64,
    },
    /// A message of an unexpected type was given to a decoder.
    #[error("{what}: unexpected message type {ty}")]
    UnexpectedType {
        /// The decoder.
        what: &'static str,
        /// The message type found.
        ty: u16,
    },
    /// A value does not fit the bounded container it is decoded into.
    #[error("{what}: {len} bytes do not fit (capacity {cap})")]
    TooLong {
        /// What was being decoded.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The capacity available.
        cap: usize,
    },
    /// A required attribute is absent.
    #[error("{what}: missing attribute {kind}")]
    MissingAttr {
        /// The object being decoded.
        what: &'static str,
        /// Attribute type.
        kind: u16,
    },
}

/// A request could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The caller's buffer is too small; nothing was written.
    #[error("buffer full: need {need} bytes, have {have}")]
    BufferFull {
        /// Bytes the write needed.
        need: usize,
        /// Bytes left in the buffer.
        have: usize,
    },
    /// An attribute (or nest) is longer than the 16-bit length field allows.
    #[error("attribute {kind}: {len} bytes exceed the 65535-byte attribute limit")]
    AttrTooLong {
        /// Attribute type.
        kind: u16,
        /// The length it would have.
        len: usize,
    },
    /// A message is longer than the 32-bit length field allows.
    #[error("message of {len} bytes is too long")]
    MsgTooLong {
        /// The length it would have.
        len: usize,
    },
    /// A write that needs an open message was made with none open, or a
    /// message was begun while another was open.
    #[error("writer misuse: {what}")]
    Misuse {
        /// What was wrong.
        what: &'static str,
    },
    /// A nest token does not belong to the currently open nest.
    #[error("nest token does not match the innermost open nest")]
    BadNest,
    /// An input value is invalid for this request.
    #[error("invalid {what}")]
    Invalid {
        /// What was invalid.
        what: &'static str,
    },
}

/// A session call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// Every slot of the pending table is in use.
    #[error("too many requests in flight")]
    TableFull,
    /// The bytes given to `submit` are not one complete netlink message.
    #[error("not a request: {0}")]
    NotARequest(DecodeError),
    /// A batch delimiter out of place: a `BatchBegin` while a batch is
    /// open (the kernel would drop the whole batch without a word), or a
    /// `BatchEnd` with none open.
    #[error("{0}")]
    BatchMisuse(&'static str),
}

/// Any failure of the protocol core: what a `no_std` caller's own
/// functions return when they encode, submit and feed, so that `?` works
/// across all three steps without an error enum of the caller's own.
///
/// ```
/// # #[cfg(feature = "route")] {
/// use nl_proto::route::link;
/// use nl_proto::session::Session;
/// use nl_proto::wire::MsgWriter;
///
/// fn dump_links(session: &mut Session<4>, buf: &mut [u8]) -> Result<usize, nl_proto::Error> {
///     let mut w = MsgWriter::new(buf);
///     session.submit(link::encode_dump(&mut w)?)?; // EncodeError, then SessionError
///     Ok(w.len())
/// }
///
/// let mut session = Session::<4>::new();
/// assert!(matches!(
///     dump_links(&mut session, &mut [0u8; 8]),
///     Err(nl_proto::Error::Encode(nl_proto::EncodeError::BufferFull { .. }))
/// ));
/// assert!(dump_links(&mut session, &mut [0u8; 64]).is_ok());
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// Received bytes could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The session refused a request or a datagram.
    #[error(transparent)]
    Session(#[from] SessionError),
}
