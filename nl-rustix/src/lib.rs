//! # nl-rustix
//!
//! A blocking netlink driver: [`Socket`]s on rustix, opened in any network
//! namespace ([`Netns`]), a request layer ([`Conn`]) that pairs a socket with
//! the `nl-proto` session, and `ip`-like verbs on top.
//!
//! Nothing here parses bytes: encoding, decoding and the request state
//! machine are `nl-proto`'s. This crate moves bytes between the socket and
//! the core and turns events into `Result`s.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod addr;
mod conn;
mod error;
mod genl;
mod genl_ethtool;
mod genl_mptcp;
mod link;
pub mod monitor;
mod neigh;
mod netns;
mod nexthop;
pub mod nft;
mod ops;
pub mod reconcile;
mod route;
mod rule;
mod snapshot;
mod socket;
mod sys;

pub use addr::AddrSpec;
pub use conn::{
    Conn, DEFAULT_TIMEOUT, Decoder, DumpIter, Encode, EncodeFn, MAX_IN_FLIGHT, Outcome, RECV_BUF,
    SEND_BUF, answer_cost, encoder,
};
pub use error::{Error, errno_name};
pub use genl_mptcp::MptcpPm;
pub use link::{Kind, LinkId, LinkSet, LinkSpec, ifname};
pub use monitor::{Monitor, MonitorCore};
pub use neigh::NeighSpec;
pub use netns::{NETNS_RUN_DIR, Netns, PrivateNetns};
pub use nexthop::NexthopSpec;
pub use nl_proto;
pub use ops::Op;
pub use route::{NextHopSpec, RouteSpec, Tables};
pub use rule::RuleSpec;
pub use socket::{Protocol, Received, Socket};
