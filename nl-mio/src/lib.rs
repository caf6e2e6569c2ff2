//! # nl-mio
//!
//! The readiness driver of the nl netlink stack: netlink sockets as
//! [`mio`] event sources, requests pipelined many at a time, and monitors,
//! all driven from one event loop that never blocks.
//!
//! It builds on [`nl_rustix`] for everything that is not waiting: the
//! socket and its options, namespaces ([`Netns`]), the error type
//! ([`Error`]) and request encoders ([`Encode`]); the protocol itself
//! (sequence numbers, routing answers to requests, decoding) is
//! [`nl_proto`]'s session. What this crate adds is the readiness part:
//!
//! - [`Socket`]: a non-blocking [`nl_rustix::Socket`] that implements
//!   [`mio::event::Source`], [`AsFd`](std::os::fd::AsFd) and
//!   [`AsRawFd`](std::os::fd::AsRawFd).
//! - [`Pipeline`]: the I/O-free request engine (send queue, receive
//!   budget, nfnetlink batches, deadlines, completions), for any loop that
//!   owns the fd itself (epoll, io_uring). It is nl-rustix's
//!   [`engine`](nl_rustix::engine), re-exported: the blocking
//!   [`Conn::batch`](nl_rustix::Conn::batch) runs on the same one, with
//!   the same socket calls ([`nl_rustix::drive`]), so the two drivers
//!   differ only in how they wait.
//! - [`Conn`]: a socket and a pipeline as one mio source, with
//!   `WRITABLE` interest only while it has requests to send. It has every
//!   typed verb of [`nl_rustix::Conn`] under the same names and argument
//!   types (`conn.links()`, `conn.add_route(&spec)`, `conn.apply(&ops)`,
//!   `conn.tc_new(…)`, `conn.genl_family("…")`, `conn.mptcp_pm()?…`, and
//!   [`nft::apply`] / [`nft::list_ruleset`]), each returning a [`Call`]
//!   whose result [`Conn::poll_call`] gives in the blocking verb's type;
//!   both drivers run the same verb values, [`nl_rustix::verb`]. It opens
//!   in any namespace ([`Conn::open_in`]: the calling thread's, a
//!   process's, a path's, a pinned one) through nl-rustix's namespace
//!   code.
//! - [`Monitor`]: notifications as a mio source, decoded by nl-rustix's
//!   [`MonitorCore`](nl_rustix::monitor::MonitorCore) (the same events as
//!   the blocking monitor, including `ResyncNeeded` when the kernel
//!   dropped some).
//! - [`Reconciler`]: nl-rustix's reconcile loop (keep a namespace
//!   converged) inside the caller's loop, on the same I/O-free pass and
//!   schedule as the blocking [`Watch`](nl_rustix::reconcile::Watch).
//!
//! ## Quick start
//!
//! A typed verb, waited for (in a loop of your own, poll and collect with
//! [`Conn::poll_call`] instead):
//!
//! ```no_run
//! use mio::{Interest, Poll, Token};
//! use nl_mio::Conn;
//! use nl_rustix::{AddrSpec, LinkSet};
//!
//! let mut poll = Poll::new()?;
//! let mut conn = Conn::open()?;
//! poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
//! let up = conn.set_link("lo", &LinkSet::new().up())?;
//! let addr = conn.add_address(&AddrSpec::new("lo", "10.0.0.1/8".parse().unwrap()))?;
//! conn.wait(&mut poll, &up)?;
//! conn.wait(&mut poll, &addr)?;
//! let links = conn.links()?;
//! for l in conn.wait(&mut poll, &links)? {
//!     println!("{} {}", l.index, l.name);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Raw requests: ask for every link and the addresses of `lo` at once, and
//! collect both answers from one poll loop:
//!
//! ```no_run
//! use mio::{Events, Interest, Poll, Token};
//! use nl_mio::Conn;
//! use nl_proto::route::{AddrFamily, addr, link};
//! use std::time::Instant;
//!
//! let mut poll = Poll::new()?;
//! let mut conn = Conn::open()?;
//! poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
//!
//! let links = conn.submit(|w: &mut _| link::encode_dump(w))?;
//! let addrs = conn.submit(|w: &mut _| addr::encode_dump(w, AddrFamily::UNSPEC, Some(1)))?;
//!
//! let mut events = Events::with_capacity(16);
//! let mut open = 2;
//! while open > 0 {
//!     poll.poll(&mut events, conn.timeout())?;
//!     for event in &events {
//!         conn.on_ready(event)?;
//!     }
//!     conn.handle_timeout(Instant::now());
//!     while let Some((id, result)) = conn.poll_completion() {
//!         open -= 1;
//!         let answer = result?;
//!         if id == links {
//!             for l in answer.decode(|m| link::Link::decode(m).map(Some))? {
//!                 println!("link {} {}", l.index, l.name);
//!             }
//!         } else if id == addrs {
//!             println!("lo has {} address(es)", answer.len());
//!         }
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod call;
mod conn;
mod monitor;
mod mptcp;
pub mod nft;
mod reconcile;
mod socket;
mod verbs;

pub use call::Call;
pub use conn::Conn;
pub use monitor::Monitor;
pub use mptcp::MptcpPm;
pub use reconcile::Reconciler;
pub use socket::Socket;

/// The request engine, re-exported from [`nl_rustix::engine`].
pub use nl_rustix::engine::{
    ANSWER_COST, Answer, DEFAULT_QUEUE_BYTES, DEFAULT_TIMEOUT, DUMP_COST, FAILURE_COST,
    LATE_ANSWER_GRACE, MAX_CHUNK, MAX_IN_FLIGHT, MIN_BUDGET, Pipeline, Replies, RequestId,
    RequestOptions, Room, Stats,
};

pub use mio;
pub use nl_rustix::{
    self, Encode, EncodeClosure, EncodeFn, Error, ErrorKind, IpNet, Mac, Netns, Outcome,
    PinnedNetns, Protocol, encoder,
};
