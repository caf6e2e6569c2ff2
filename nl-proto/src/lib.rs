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
//! - Families: `route` (rtnetlink), `genl` (generic netlink),
//!   `nfnl` (nfnetlink), each behind a feature of the same name.
//! - [`values`]: small checked value types (`IfName`, `Mac`).
//!
//! Drivers (`nl-rustix`, `nl-mio`) own the socket: they send what the
//! writer built, and feed what they receive, with its sender address, to
//! the session.
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

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use error::{DecodeError, EncodeError, SessionError};
