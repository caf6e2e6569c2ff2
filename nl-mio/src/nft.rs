//! The nf_tables verbs of [`nl_rustix::nft`] on the readiness [`Conn`],
//! under the same names and argument types: [`apply`] (one transaction),
//! [`list_ruleset`] and [`list_sets`]. Open the connection with
//! [`Protocol::Netfilter`](nl_rustix::Protocol::Netfilter):
//!
//! ```no_run
//! use nl_mio::{Conn, Netns, Protocol, nft};
//! use nl_mio::mio::{Interest, Poll, Token};
//! use nl_rustix::nft::Cmd;
//! use nl_rustix::nl_proto::nfnl::NfProto;
//! let mut poll = Poll::new()?;
//! let mut conn = Conn::open_protocol_in(Protocol::Netfilter, &Netns::Current)?;
//! poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
//! let call = nft::apply(&mut conn, &[Cmd::AddTable { family: NfProto::INET, name: "t".into() }])?;
//! conn.wait(&mut poll, &call)?;
//! let call = nft::list_ruleset(&mut conn)?;
//! assert!(conn.wait(&mut poll, &call)?.tables.iter().any(|t| t.name == "t"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::{Call, Conn};
use nl_rustix::Error;
use nl_rustix::nft::{Cmd, Ruleset, SetList};
use nl_rustix::verb;

/// Apply `cmds` as one nf_tables transaction: as [`nl_rustix::nft::apply`].
///
/// # Errors
///
/// As [`Conn::call`]; the result's error is the first command's the
/// kernel reported, as the blocking verb's.
pub fn apply(conn: &mut Conn, cmds: &[Cmd]) -> Result<Call<()>, Error> {
    conn.call(verb::nft::apply(cmds))
}

/// Every table, set (with its elements), chain and rule: as
/// [`nl_rustix::nft::list_ruleset`].
///
/// # Errors
///
/// As [`Conn::call`].
pub fn list_ruleset(conn: &mut Conn) -> Result<Call<Ruleset>, Error> {
    conn.call(verb::nft::list_ruleset())
}

/// Every set with its elements: as [`nl_rustix::nft::list_sets`].
///
/// # Errors
///
/// As [`Conn::call`].
pub fn list_sets(conn: &mut Conn) -> Result<Call<SetList>, Error> {
    conn.call(verb::nft::list_sets())
}
