//! nl-proto on a bare-metal target: no `std`, no allocator, no socket.
//!
//! What a firmware image that talks netlink over some transport of its own
//! (a shared-memory ring, a serial link to a Linux co-processor) keeps of
//! this library: it encodes "bring `lo` up" and "add 127.0.0.1/8 to it"
//! into one buffer on the stack, hands the bytes to its transport, and
//! feeds the session what comes back until both requests are answered.
//!
//! It is a library of its own, so that it builds for any target without a
//! linker script or an entry point; CI builds it for
//! `thumbv7em-none-eabihf`, which has no `std` and no global allocator, so
//! using either would fail that build:
//!
//! ```text
//! cargo rustc -p nl-bare-metal --target thumbv7em-none-eabihf --crate-type staticlib
//! ```
//!
//! (A static library is a final artifact, which is where a missing global
//! allocator is an error; an `rlib` would build even if something needed
//! one.)
//!
//! On the host, `cargo test -p nl-bare-metal` runs its tests, which play
//! the kernel's part with answers built by hand.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

use core::net::{IpAddr, Ipv4Addr};

use nl_proto::route::addr::{self, NewAddress};
use nl_proto::route::link::{self, LinkChange};
use nl_proto::session::{Event, Session, Source};
use nl_proto::wire::{MsgWriter, Seq};
use nl_proto::{EncodeError, IpNet};

/// The loopback interface's index: the kernel gives it 1 in every
/// namespace.
pub const LOOPBACK: u32 = 1;

/// Two requests in flight at most; the table lives inside the session.
pub type BootSession = Session<2>;

/// Why bringing loopback up did not finish.
#[derive(Debug, PartialEq, Eq)]
pub enum BootError {
    /// Encoding, the session or a received datagram failed.
    Proto(nl_proto::Error),
    /// The kernel refused a request: its errno (positive), and which step.
    Kernel {
        /// `"link up"` or `"address"`.
        step: &'static str,
        /// The error number (`EPERM` is 1).
        errno: i32,
    },
}

impl<E: Into<nl_proto::Error>> From<E> for BootError {
    fn from(e: E) -> Self {
        Self::Proto(e.into())
    }
}

/// The requests sent, by sequence number, and how many are still open.
#[derive(Debug, Clone, Copy)]
pub struct Boot {
    link_up: Seq,
    address: Seq,
    open: u8,
}

/// Encodes both requests back to back into `buf` and submits them to
/// `session`. Returns what to wait for and the number of bytes to send.
pub fn encode_boot(session: &mut BootSession, buf: &mut [u8]) -> Result<(Boot, usize), BootError> {
    let mut w = MsgWriter::new(buf);
    let up = LinkChange {
        up: Some(true),
        ..LinkChange::default()
    };
    let link_up = session.submit(link::encode_set(&mut w, LOOPBACK, &up)?)?;
    let prefix =
        IpNet::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8).map_err(|_| EncodeError::Invalid {
            what: "prefix length",
        })?;
    let address = session.submit(addr::encode_new(
        &mut w,
        &NewAddress::new(LOOPBACK, prefix),
    )?)?;
    let boot = Boot {
        link_up,
        address,
        open: 2,
    };
    Ok((boot, w.len()))
}

impl Boot {
    /// Feeds one received datagram. `Ok(true)` once both requests have
    /// been acknowledged; the first refusal ends it with its errno.
    pub fn feed(&mut self, session: &mut BootSession, datagram: &[u8]) -> Result<bool, BootError> {
        for event in session.feed(datagram, Source::KERNEL) {
            match event? {
                Event::Ack { seq } if seq == self.link_up || seq == self.address => self.open -= 1,
                Event::Failed { seq, error } => {
                    let step = if seq == self.link_up {
                        "link up"
                    } else {
                        "address"
                    };
                    return Err(BootError::Kernel {
                        step,
                        errno: error.errno.get(),
                    });
                }
                // Notifications and strays are not ours to act on here.
                _ => {}
            }
        }
        Ok(self.open == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_proto::wire::{Flags, MsgType};

    /// What the kernel answers request `seq` with: an `NLMSG_ERROR` whose
    /// errno is 0 (an ack) or `-errno`, echoing the request's header.
    fn answer(out: &mut MsgWriter<'_>, request: &[u8], seq: Seq, errno: i32) {
        out.begin(MsgType::ERROR, Flags::CAPPED).unwrap();
        out.put_fixed(&(-errno)).unwrap();
        out.put_fixed(&request[..16]).unwrap();
        out.finish().unwrap()[8..12].copy_from_slice(&seq.0.to_ne_bytes());
    }

    /// The header of the first message in `bytes`, and its length.
    fn first(bytes: &[u8]) -> (u16, usize) {
        let len = u32::from_ne_bytes(bytes[..4].try_into().unwrap());
        (u16::from_ne_bytes([bytes[4], bytes[5]]), len as usize)
    }

    #[test]
    fn both_acks_finish_the_boot() {
        let mut session = BootSession::new();
        let mut buf = [0u8; 256];
        let (mut boot, len) = encode_boot(&mut session, &mut buf).unwrap();
        let (kind, first_len) = first(&buf);
        assert_eq!(kind, 16, "RTM_NEWLINK first");
        assert_eq!(first(&buf[first_len..len]).0, 20, "then RTM_NEWADDR");

        let mut reply = [0u8; 128];
        let mut k = MsgWriter::new(&mut reply);
        answer(&mut k, &buf[..first_len], boot.link_up, 0);
        let n = k.len();
        assert_eq!(boot.feed(&mut session, &reply[..n]), Ok(false));

        let mut k = MsgWriter::new(&mut reply);
        answer(&mut k, &buf[first_len..len], boot.address, 0);
        let n = k.len();
        assert_eq!(boot.feed(&mut session, &reply[..n]), Ok(true));
        assert_eq!(session.pending(), 0);
    }

    #[test]
    fn a_refusal_names_its_step_and_errno() {
        let mut session = BootSession::new();
        let mut buf = [0u8; 256];
        let (mut boot, len) = encode_boot(&mut session, &mut buf).unwrap();
        let first_len = first(&buf).1;
        let mut reply = [0u8; 128];
        let mut k = MsgWriter::new(&mut reply);
        answer(&mut k, &buf[first_len..len], boot.address, 1);
        let n = k.len();
        assert_eq!(
            boot.feed(&mut session, &reply[..n]),
            Err(BootError::Kernel {
                step: "address",
                errno: 1
            })
        );
    }

    #[test]
    fn a_buffer_too_small_is_an_error_not_a_truncation() {
        let mut session = BootSession::new();
        let mut buf = [0u8; 40];
        assert!(matches!(
            encode_boot(&mut session, &mut buf),
            Err(BootError::Proto(nl_proto::Error::Encode(
                EncodeError::BufferFull { .. }
            )))
        ));
    }
}

/// A firmware image has its own panic handler; this one stands in for it
/// so that the static library links on its own.
#[cfg(all(not(test), target_os = "none"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
