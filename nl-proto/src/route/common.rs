//! Helpers shared by the rtnetlink object files: the bit-flag newtype
//! macro (defined in `crate::macros`, shared with genl) and the
//! begin/body/finish frame every request encoder uses.

use crate::DecodeError;
use crate::EncodeError;
use crate::session::{Expect, Request};
use crate::wire::{Attrs, Flags, Msg, MsgType, MsgWriter};

pub(crate) use crate::macros::bit_flags;

/// `Display` for an open enum with an `ip_name()`: the name, else the number.
macro_rules! display_ip_name {
    ($t:ty) => {
        impl core::fmt::Display for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.ip_name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}", self.0),
                }
            }
        }
    };
}
pub(crate) use display_ip_name;

/// Write one request with [`MsgWriter::message`] and pair it with what it
/// expects.
pub(crate) fn request<'w>(
    w: &'w mut MsgWriter<'_>,
    ty: MsgType,
    flags: Flags,
    expect: Expect,
    body: impl FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
) -> Result<Request<'w>, EncodeError> {
    Ok(Request::new(w.message(ty, flags, |w| body(w))?, expect))
}

/// Write `name` into a bounded string, or `None` if it does not fit.
pub(crate) fn bounded<const N: usize>(s: &str) -> Option<heapless::String<N>> {
    let mut out = heapless::String::new();
    out.push_str(s).ok()?;
    Some(out)
}

/// Check that `msg` is one of `types` (an object's NEW and DEL messages)
/// and split it into its family header `T` and the attributes after it.
/// `what` names the header in both errors.
pub(crate) fn split_object<'a, T>(
    msg: &Msg<'a>,
    types: [MsgType; 2],
    what: &'static str,
) -> Result<(&'a T, Attrs<'a>), DecodeError>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    let ty = msg.msg_type();
    if !types.contains(&ty) {
        return Err(DecodeError::UnexpectedType { what, ty: ty.0 });
    }
    msg.split::<T>(what)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::wire::{Flags, MsgWriter};

    /// Hex text to bytes, at compile time (`N` must be half the text's length).
    pub(crate) const fn hex<const N: usize>(s: &str) -> [u8; N] {
        const fn nibble(c: u8) -> u8 {
            match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => panic!("not lower-case hex"),
            }
        }
        let b = s.as_bytes();
        assert!(b.len() == 2 * N, "hex length");
        let mut out = [0u8; N];
        let mut i = 0;
        while i < N {
            out[i] = nibble(b[2 * i]) << 4 | nibble(b[2 * i + 1]);
            i += 1;
        }
        out
    }

    /// Encode with `f` and return the bytes with `NLM_F_ACK` added, as the
    /// session would send them (iproute2 sets ACK itself).
    pub(crate) fn with_ack(buf: &mut [u8], f: impl FnOnce(&mut MsgWriter<'_>)) -> &[u8] {
        let mut w = MsgWriter::new(buf);
        f(&mut w);
        let n = w.len();
        buf[6] |= Flags::ACK.0 as u8;
        &buf[..n]
    }

    /// Mutate every byte of `bytes` (one message, at most 512 bytes) to a
    /// few values and cut it at every length, fixing `nlmsg_len`, and run
    /// `decode` on each result: it must return, never panic.
    pub(crate) fn hammer(bytes: &[u8], decode: impl Fn(&crate::wire::Msg<'_>)) {
        let mut buf = [0u8; 512];
        let n = bytes.len();
        for i in 0..n {
            for v in [0u8, 1, 4, 0x7f, 0x80, 0xff, bytes[i] ^ 0x55] {
                buf[..n].copy_from_slice(bytes);
                buf[i] = v;
                if let Ok((m, _)) = crate::wire::Msg::parse(&buf[..n]) {
                    decode(&m);
                }
            }
        }
        for cut in 16..n {
            buf[..n].copy_from_slice(bytes);
            buf[..4].copy_from_slice(&u32::try_from(cut).unwrap().to_ne_bytes());
            decode(&msg(&buf[..cut]));
        }
    }

    /// The raw bytes of each message in a datagram.
    pub(crate) fn raw_msgs(mut bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
        core::iter::from_fn(move || {
            let len = usize::try_from(u32::from_ne_bytes(bytes.get(..4)?.try_into().ok()?)).ok()?;
            let (m, _) = bytes.split_at(len);
            bytes = &bytes[crate::wire::align(len).unwrap().min(bytes.len())..];
            Some(m)
        })
    }

    /// The first message of `bytes`.
    pub(crate) fn msg(bytes: &[u8]) -> crate::wire::Msg<'_> {
        crate::wire::Msg::parse(bytes).unwrap().0
    }
}
