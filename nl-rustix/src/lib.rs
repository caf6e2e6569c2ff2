//! # nl-rustix
//!
//! A blocking netlink driver: [`Socket`]s on rustix, opened in any network
//! namespace ([`Netns`]), a request layer ([`Conn`]) that pairs a socket with
//! the `nl-proto` session, and `ip`-like verbs on top.
//!
//! ## Quick start
//!
//! List links, add an address and a route, and read an error, all in a
//! private network namespace so the host's is never touched. Creating
//! one needs `CAP_SYS_ADMIN`; without it this example shows the error
//! you get instead (run it as root, or under `unshare -r`, to see the rest).
//!
//! ```
//! use nl_rustix::{AddrSpec, Conn, Error, ErrorKind, LinkSet, PrivateNetns, RouteSpec};
//!
//! let ns = match PrivateNetns::new() {
//!     Ok(ns) => ns,
//!     Err(e) if e.kind() == ErrorKind::Permission => {
//!         // Not privileged: the error says which step failed and why.
//!         eprintln!("no private namespace, skipping the rest: {e}");
//!         return Ok(());
//!     }
//!     Err(e) => return Err(e),
//! };
//! let mut conn = Conn::open_in(&ns.netns())?;
//!
//! // `ip link show`: a new namespace has only `lo`, and it is down.
//! let links = conn.links()?;
//! assert_eq!(links.len(), 1);
//! assert_eq!(links[0].name.as_str(), "lo");
//!
//! // `ip link set lo up; ip addr add 10.0.0.1/24 dev lo`
//! conn.set_link("lo", &LinkSet::new().up())?;
//! conn.add_address(&AddrSpec::new("lo", "10.0.0.1/24".parse().unwrap()))?;
//!
//! // `ip route add 10.9.0.0/24 via 10.0.0.2`
//! conn.add_route(&RouteSpec::new("10.9.0.0/24".parse().unwrap()).via("10.0.0.2".parse().unwrap()))?;
//! let routes = conn.routes(None, nl_rustix::Tables::MAIN)?;
//! assert!(routes.iter().any(|r| r.dst.to_string() == "10.9.0.0/24"));
//!
//! // Errors read like iproute2's, with the errno's name and number, and
//! // are matched by kind (`?` also turns them into `std::io::Error`s).
//! let err = conn.link("nope0").unwrap_err();
//! assert_eq!(err.to_string(), r#"netlink ENODEV (19): no such interface "nope0""#);
//! assert_eq!(err.kind(), ErrorKind::NotFound);
//! # Ok::<(), Error>(())
//! ```
//!
//! Every typed verb is a value of [`verb`] (an I/O-free state machine);
//! [`Conn::run`] carries one out by sending and waiting, and each verb
//! method is that (`conn.add_route(&spec)` is
//! `conn.run(verb::add_route(&spec))`). nl-mio runs the same values in a
//! readiness loop.
//!
//! Nothing here parses bytes: encoding, decoding and the request state
//! machine are `nl-proto`'s. This crate moves bytes between the socket and
//! the core and turns events into `Result`s.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod addr;
mod addrlabel;
mod conn;
pub mod drive;
pub mod engine;
mod error;
mod genl;
mod genl_ethtool;
mod genl_mptcp;
mod link;
mod link_request;
pub mod monitor;
mod neigh;
mod netns;
mod nexthop;
pub mod nft;
mod nsid;
mod ops;
pub mod reconcile;
mod route;
mod rule;
mod snapshot;
mod socket;
mod sys;
mod tc;
pub mod verb;

pub use addr::AddrSpec;
pub use conn::{
    Conn, DEFAULT_TIMEOUT, Decoder, DumpIter, Encode, EncodeClosure, EncodeFn, MAX_IN_FLIGHT,
    Outcome, RECV_BUF, SEND_BUF, answer_cost, encoder,
};
pub use error::{Error, ErrorKind, LinkRole, errno_name};
pub use genl_mptcp::MptcpPm;
pub use link::{Kind, LinkId, LinkSet, LinkSpec, ifname};
pub use monitor::{Monitor, MonitorCore};
pub use neigh::NeighSpec;
pub use netns::{NETNS_RUN_DIR, Netns, PinnedNetns, PrivateNetns};
pub use nexthop::NexthopSpec;
pub use nl_proto;
pub use nl_proto::{IfName, IpNet, Ipv4Net, Ipv6Net, Mac};
pub use ops::Op;
pub use route::{LegSpec, RoutePref, RouteSpec, Tables};
pub use rule::RuleSpec;
pub use socket::{Protocol, Received, Socket};
pub use tc::{TcDump, TcSpec, decode_tc};
