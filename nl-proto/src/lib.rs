//! # nl-proto
//!
//! A sans-IO netlink protocol core: `no_std`, allocation-free, free of
//! `unsafe`, and independent of any socket or event loop.
//!
//! Layers, bottom up:
//!
//! - [`wire`]: checked zero-copy views of messages and attributes, and a
//!   writer that builds requests into a caller's buffer.
//! - [`session`]: the request/reply state machine. It stamps sequence
//!   numbers, remembers what each request expects, and turns received
//!   datagrams into [`session::Event`]s.
//! - Families: `route` (rtnetlink, with traffic control in `tc`), `genl` (generic netlink),
//!   `nfnl` (nfnetlink), each behind a feature of the same name.
//! - [`values`]: small checked value types ([`IfName`], [`Mac`]; prefixes
//!   are [`IpNet`]), re-exported at the root.
//!
//! Drivers (`nl-rustix`, `nl-mio`) own the socket: they send what the
//! writer built, and feed what they receive, with its sender address, to
//! the session.
//!
//! # A round trip without a socket
//!
//! Encode a link dump, submit it, then feed the session what the kernel
//! would answer (here built by hand: one `RTM_NEWLINK` for `lo` and the
//! `NLMSG_DONE`), and decode the reply into an owned value.
//!
//! ```
//! # #[cfg(feature = "route")] {
//! use nl_proto::route::link::{self, IfInfoMsg, IfFlags, Link};
//! use nl_proto::route::{AddrFamily, RTM_NEWLINK};
//! use nl_proto::session::{Event, Session, Source};
//! use nl_proto::wire::{Flags, MsgType, MsgWriter};
//!
//! let mut session = Session::<8>::new();
//! let mut out = [0u8; 256];
//! let mut w = MsgWriter::new(&mut out);
//! let seq = session.submit(link::encode_dump(&mut w)?)?;
//! // ... a driver sends w.finished() here ...
//!
//! // What the kernel sends back, in one datagram.
//! let mut reply = [0u8; 256];
//! let mut k = MsgWriter::new(&mut reply);
//! k.begin(RTM_NEWLINK, Flags::MULTI)?;
//! k.put_fixed(&IfInfoMsg::new(AddrFamily::UNSPEC, 1, IfFlags::UP | IfFlags::LOOPBACK, IfFlags(0)))?;
//! k.put_str(3, "lo")?; // IFLA_IFNAME
//! k.put_u32(4, 65536)?; // IFLA_MTU
//! k.finish()?[8..12].copy_from_slice(&seq.0.to_ne_bytes());
//! k.begin(MsgType::DONE, Flags::MULTI)?;
//! k.put_fixed(&0i32)?;
//! k.finish()?[8..12].copy_from_slice(&seq.0.to_ne_bytes());
//! let len = k.len();
//!
//! let mut links = 0;
//! for event in session.feed(&reply[..len], Source::KERNEL) {
//!     match event? {
//!         Event::Reply { msg, .. } => {
//!             let lo = Link::decode(&msg)?;
//!             assert_eq!((lo.index, lo.name.as_str(), lo.mtu), (1, "lo", Some(65536)));
//!             links += 1;
//!         }
//!         Event::Done { seq: done, interrupted } => assert!(done == seq && !interrupted),
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! assert_eq!((links, session.pending()), (1, 0));
//! # }
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
#![deny(unused_must_use)]

mod error;
mod macros;
pub mod session;
pub mod values;
pub mod wire;

#[cfg(feature = "route")]
pub mod route;

#[cfg(feature = "route")]
pub mod diff;

#[cfg(feature = "route")]
pub mod tc;

#[cfg(feature = "genl")]
pub mod genl;

#[cfg(feature = "nfnl")]
pub mod nfnl;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use error::{DecodeError, EncodeError, Error, SessionError};
pub use values::{IfName, IpNet, Ipv4Net, Ipv6Net, Mac};
