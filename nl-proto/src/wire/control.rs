//! Control messages: `NLMSG_ERROR` (errors and acks, with extended-ack
//! TLVs), `NLMSG_DONE`, `NLMSG_OVERRUN`, `NLMSG_NOOP`.
//!
//! ```text
//! NLMSG_ERROR payload (struct nlmsgerr):
//! +--------+------------------------------+---------------------------+
//! | error  | echoed request: nlmsghdr     | NLMSGERR_ATTR_* TLVs      |
//! | (i32)  | + payload unless NLM_F_CAPPED| if NLM_F_ACK_TLVS         |
//! +--------+------------------------------+---------------------------+
//! ```
//!
//! A success ack carries `NLM_F_CAPPED` even without `NETLINK_CAP_ACK`,
//! and an error echoes the whole request unless that option is on, so the
//! TLVs are located through the flag and the echoed length, never through a
//! fixed offset.

use super::attrs::{Attr, Attrs};
use super::header::{Flags, HEADER_LEN, Header, MsgType};
use super::msgs::Msg;
use crate::DecodeError;
use core::num::NonZeroI32;
use zerocopy::FromBytes;

/// `NLMSGERR_ATTR_MSG`.
const ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`.
const ATTR_OFFS: u16 = 2;
/// `NLMSGERR_ATTR_COOKIE`.
const ATTR_COOKIE: u16 = 3;
/// `NLMSGERR_ATTR_MISS_TYPE`.
const ATTR_MISS_TYPE: u16 = 5;
/// `NLMSGERR_ATTR_MISS_NEST`.
const ATTR_MISS_NEST: u16 = 6;

/// Extended ack information (`NLMSGERR_ATTR_*`), borrowed from the datagram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtAck<'b> {
    /// Human-readable text (`NLMSGERR_ATTR_MSG`).
    pub msg: Option<&'b str>,
    /// Byte offset of the offending attribute in the request
    /// (`NLMSGERR_ATTR_OFFS`), counted from the start of its header.
    pub offset: Option<u32>,
    /// Type of a missing required attribute (`NLMSGERR_ATTR_MISS_TYPE`).
    pub missing_type: Option<u16>,
    /// Offset of the nest that lacks it (`NLMSGERR_ATTR_MISS_NEST`).
    pub missing_nest: Option<u32>,
    /// Opaque cookie (`NLMSGERR_ATTR_COOKIE`).
    pub cookie: Option<&'b [u8]>,
}

impl<'b> ExtAck<'b> {
    /// Read the extended-ack TLVs. Unknown or malformed ones are skipped:
    /// they add context to an answer that is already known.
    pub fn parse(tlvs: Attrs<'b>) -> Self {
        let mut ext = Self::default();
        for attr in tlvs.map_while(Result::ok) {
            match attr.kind() {
                ATTR_MSG => ext.msg = Some(valid_text(&attr)).filter(|s| !s.is_empty()),
                ATTR_OFFS => ext.offset = attr.u32().ok(),
                ATTR_COOKIE => ext.cookie = Some(attr.payload()),
                ATTR_MISS_TYPE => {
                    ext.missing_type = attr.u32().ok().and_then(|v| u16::try_from(v).ok())
                }
                ATTR_MISS_NEST => ext.missing_nest = attr.u32().ok(),
                _ => {}
            }
        }
        ext
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An extack text up to its NUL. Bytes that are not UTF-8 end it, so a
/// text with a stray byte keeps what came before instead of vanishing.
fn valid_text<'b>(attr: &Attr<'b>) -> &'b str {
    let bytes = attr.cstr_bytes().unwrap_or(attr.payload());
    match core::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => bytes
            .get(..e.valid_up_to())
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default(),
    }
}

/// The kernel refused a request: a positive errno and its extended ack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelError<'b> {
    /// The error number, positive (`ENODEV` is 19).
    pub errno: NonZeroI32,
    /// The kernel's explanation, if it gave one.
    pub ext: ExtAck<'b>,
    /// The echoed request header, if present.
    pub request: Option<&'b Header>,
}

impl KernelError<'_> {
    /// A copy that does not borrow the receive buffer.
    pub fn to_owned(&self) -> OwnedKernelError {
        let mut msg = heapless::String::new();
        let mut msg_truncated = false;
        if let Some(text) = self.ext.msg {
            for ch in text.chars() {
                if msg.push(ch).is_err() {
                    msg_truncated = true;
                    break;
                }
            }
        }
        OwnedKernelError {
            errno: self.errno,
            msg,
            msg_truncated,
            offset: self.ext.offset,
            missing_type: self.ext.missing_type,
            missing_nest: self.ext.missing_nest,
        }
    }
}

/// Capacity of [`OwnedKernelError::msg`]. Kernel extack texts are short
/// constant strings; longer ones are cut and flagged.
pub const EXTACK_MSG_CAP: usize = 256;

/// A [`KernelError`] that owns its text, for keeping past the receive buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedKernelError {
    /// The error number, positive.
    pub errno: NonZeroI32,
    /// The kernel's text, empty if none.
    pub msg: heapless::String<EXTACK_MSG_CAP>,
    /// Whether `msg` was cut to fit.
    pub msg_truncated: bool,
    /// Offset of the offending attribute in the request.
    pub offset: Option<u32>,
    /// Type of a missing attribute.
    pub missing_type: Option<u16>,
    /// Offset of the nest lacking it.
    pub missing_nest: Option<u32>,
}

/// An `NLMSG_DONE` payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneMsg<'b> {
    /// The status: 0, or a negative errno when the dump failed part-way.
    pub status: i32,
    /// Extended ack TLVs, when `NLM_F_ACK_TLVS` was set.
    pub ext: ExtAck<'b>,
}

/// A decoded control message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control<'b> {
    /// `NLMSG_ERROR` with error 0: the request succeeded.
    Ack {
        /// Any extended-ack information (e.g. a warning text).
        ext: ExtAck<'b>,
        /// The echoed request header, if present.
        request: Option<&'b Header>,
    },
    /// `NLMSG_ERROR` with a non-zero error.
    Error(KernelError<'b>),
    /// `NLMSG_DONE`.
    Done(DoneMsg<'b>),
    /// `NLMSG_OVERRUN`.
    Overrun,
    /// `NLMSG_NOOP`.
    Noop,
}

fn read_i32(payload: &[u8], what: &'static str) -> Result<i32, DecodeError> {
    payload
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(i32::from_ne_bytes)
        .ok_or(DecodeError::Truncated {
            what,
            need: 4,
            have: payload.len(),
        })
}

/// Decode `msg` if it is a control message (type below `NLMSG_MIN_TYPE`);
/// `Ok(None)` for data messages and for unassigned control types.
///
/// # Errors
///
/// [`DecodeError::Truncated`] if an `NLMSG_ERROR` lacks its error code;
/// [`DecodeError::OutOfRange`] for an error code that is not a negated errno.
pub fn decode_control<'b>(msg: &Msg<'b>) -> Result<Option<Control<'b>>, DecodeError> {
    let payload = msg.payload();
    let flags = msg.flags();
    match msg.msg_type() {
        MsgType::NOOP => Ok(Some(Control::Noop)),
        MsgType::OVERRUN => Ok(Some(Control::Overrun)),
        MsgType::DONE => {
            // Some old families send NLMSG_DONE with no status at all.
            let status = if payload.is_empty() {
                0
            } else {
                read_i32(payload, "NLMSG_DONE status")?
            };
            let ext = if flags.contains(Flags::ACK_TLVS) {
                ExtAck::parse(Attrs::new(payload.get(4..).unwrap_or_default()))
            } else {
                ExtAck::default()
            };
            Ok(Some(Control::Done(DoneMsg { status, ext })))
        }
        MsgType::ERROR => {
            let code = read_i32(payload, "nlmsgerr")?;
            let echoed = payload.get(4..).unwrap_or_default();
            let request = Header::ref_from_prefix(echoed).ok().map(|(h, _)| h);
            let ext = if flags.contains(Flags::ACK_TLVS) {
                let echoed_len = if flags.contains(Flags::CAPPED) {
                    HEADER_LEN
                } else {
                    request.map_or(0, |h| usize::try_from(h.len()).unwrap_or(usize::MAX))
                };
                let tlv_start = super::align(echoed_len)
                    .and_then(|l| l.checked_add(4))
                    .unwrap_or(usize::MAX);
                ExtAck::parse(Attrs::new(payload.get(tlv_start..).unwrap_or_default()))
            } else {
                ExtAck::default()
            };
            if code == 0 {
                return Ok(Some(Control::Ack { ext, request }));
            }
            let errno = code
                .checked_neg()
                .filter(|e| *e > 0)
                .and_then(NonZeroI32::new)
                .ok_or(DecodeError::OutOfRange {
                    what: "nlmsgerr.error",
                    value: u64::from(code.unsigned_abs()),
                })?;
            Ok(Some(Control::Error(KernelError {
                errno,
                ext,
                request,
            })))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(bytes: &[u8]) -> Control<'_> {
        let (msg, _) = Msg::parse(bytes).unwrap();
        decode_control(&msg).unwrap().unwrap()
    }

    /// A capped success ack: error 0, echoed header only, flags CAPPED.
    const ACK: [u8; 36] = [
        36, 0, 0, 0, 2, 0, 0x00, 0x01, 5, 0, 0, 0, 0x39, 0x30, 0, 0, //
        0, 0, 0, 0, // error 0
        32, 0, 0, 0, 16, 0, 0x05, 0x05, 5, 0, 0, 0, 0x39, 0x30, 0,
        0, // echoed header (len 32)
    ];

    #[test]
    fn capped_ack() {
        match first(&ACK) {
            Control::Ack { ext, request } => {
                assert!(ext.is_empty());
                assert_eq!(request.unwrap().len(), 32);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn uncapped_error_with_extack_after_full_echo() {
        // error -EINVAL, echoed 20-byte request (header + 4), then
        // NLMSGERR_ATTR_MSG "bad" and NLMSGERR_ATTR_OFFS 16.
        let bytes: [u8; 56] = [
            56, 0, 0, 0, 2, 0, 0x00, 0x02, 9, 0, 0, 0, 0, 0, 0, 0, //
            0xea, 0xff, 0xff, 0xff, // -22
            20, 0, 0, 0, 16, 0, 0x05, 0x00, 9, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd, //
            8, 0, 1, 0, b'b', b'a', b'd', 0, //
            8, 0, 2, 0, 16, 0, 0, 0,
        ];
        match first(&bytes) {
            Control::Error(e) => {
                assert_eq!(e.errno.get(), 22);
                assert_eq!(e.ext.msg, Some("bad"));
                assert_eq!(e.ext.offset, Some(16));
                let owned = e.to_owned();
                assert_eq!(owned.msg.as_str(), "bad");
                assert!(!owned.msg_truncated);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn done_with_negative_status() {
        let bytes = [
            20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff,
        ];
        assert_eq!(
            first(&bytes),
            Control::Done(DoneMsg {
                status: -16,
                ext: ExtAck::default()
            })
        );
    }

    #[test]
    fn rejects_error_without_code() {
        let bytes = [18, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&bytes).unwrap();
        assert!(matches!(
            decode_control(&msg),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn rejects_positive_error_code() {
        let bytes = [20, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0];
        let (msg, _) = Msg::parse(&bytes).unwrap();
        assert!(matches!(
            decode_control(&msg),
            Err(DecodeError::OutOfRange { .. })
        ));
    }

    #[test]
    fn data_messages_are_not_control() {
        let bytes = [16, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        let (msg, _) = Msg::parse(&bytes).unwrap();
        assert_eq!(decode_control(&msg), Ok(None));
    }

    /// The kernel's answer to `ip link add name vx0 address 01:00:00:00:00:01
    /// type vxlan id 42 dstport 4789` (captured with nl-capture): EADDRNOTAVAIL,
    /// the whole 96-byte request echoed (no NETLINK_CAP_ACK), then
    /// NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS = 32 (IFLA_ADDRESS).
    const KERNEL_EXTACK_ERROR: [u8; 172] = [
        0xac, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x9d, 0xff, 0xff, 0xff, 0x60, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0xd9, 0x0a,
        0x05, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x76, 0x78, 0x30, 0x00, 0x2c, 0x00, 0x12,
        0x00, 0x09, 0x00, 0x01, 0x00, 0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00, 0x1c, 0x00,
        0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x07, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00, 0x00, 0x2d, 0x00, 0x01, 0x00,
        0x50, 0x72, 0x6f, 0x76, 0x69, 0x64, 0x65, 0x64, 0x20, 0x45, 0x74, 0x68, 0x65, 0x72, 0x6e,
        0x65, 0x74, 0x20, 0x61, 0x64, 0x64, 0x72, 0x65, 0x73, 0x73, 0x20, 0x69, 0x73, 0x20, 0x6e,
        0x6f, 0x74, 0x20, 0x75, 0x6e, 0x69, 0x63, 0x61, 0x73, 0x74, 0x00, 0x00, 0x00, 0x00, 0x08,
        0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00,
    ];

    /// The kernel's answer to `ip link add d0 type dummy` on a kernel without
    /// the dummy driver: EOPNOTSUPP with text and no offset.
    const KERNEL_UNKNOWN_KIND: [u8; 100] = [
        0x64, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xa1, 0xff, 0xff, 0xff, 0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, 0xda, 0x0a,
        0x05, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x03, 0x00, 0x64, 0x30, 0x00, 0x00,
        0x10, 0x00, 0x12, 0x00, 0x09, 0x00, 0x01, 0x00, 0x64, 0x75, 0x6d, 0x6d, 0x79, 0x00, 0x00,
        0x00, 0x18, 0x00, 0x01, 0x00, 0x55, 0x6e, 0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x20, 0x64, 0x65,
        0x76, 0x69, 0x63, 0x65, 0x20, 0x74, 0x79, 0x70, 0x65, 0x00,
    ];

    #[test]
    fn golden_kernel_error_with_text_and_offset() {
        match first(&KERNEL_EXTACK_ERROR) {
            Control::Error(e) => {
                assert_eq!(e.errno.get(), 99);
                assert_eq!(e.ext.msg, Some("Provided Ethernet address is not unicast"));
                assert_eq!(e.ext.offset, Some(32));
                let req = e.request.unwrap();
                assert_eq!(req.len(), 96);
                assert_eq!(req.msg_type(), MsgType(16));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn golden_kernel_error_with_text_only() {
        match first(&KERNEL_UNKNOWN_KIND) {
            Control::Error(e) => {
                assert_eq!(e.errno.get(), 95);
                assert_eq!(e.ext.msg, Some("Unknown device type"));
                assert_eq!(e.ext.offset, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn extack_text_with_a_bad_byte_keeps_its_valid_start() {
        // NLMSGERR_ATTR_MSG "bad \xff mtu\0", then NLMSGERR_ATTR_OFFS 20.
        let tlvs = [
            16, 0, 1, 0, b'b', b'a', b'd', b' ', 0xff, b' ', b'm', b't', b'u', 0, 0, 0, //
            8, 0, 2, 0, 20, 0, 0, 0,
        ];
        let ext = ExtAck::parse(Attrs::new(&tlvs));
        assert_eq!(ext.msg, Some("bad "));
        assert_eq!(ext.offset, Some(20));
        let all_bad = [6, 0, 1, 0, 0xff, 0, 0, 0];
        assert_eq!(ExtAck::parse(Attrs::new(&all_bad)).msg, None);
    }
}
