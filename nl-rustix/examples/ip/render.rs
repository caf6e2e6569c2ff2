//! Shared rendering: JSON records as `ip -j` prints them, and interface
//! names for printing. No parsing; the only I/O is the link dump
//! [`Names::fetch`] asks for.

use nl_rustix::nl_proto::route::link::{IfFlags, Link};
use nl_rustix::{Conn, Error};
use serde_json::Value;
use std::collections::HashMap;

/// Print a list of JSON records as `ip -j` does (one line).
pub(crate) fn print_json(records: Vec<Value>) {
    println!("{}", Value::Array(records));
}

/// Interface index → name and flags, for printing (iproute2's
/// `ll_index_to_name` cache).
pub(crate) struct Names(HashMap<u32, (String, IfFlags)>);

impl Names {
    /// The names of `links`.
    pub(crate) fn of(links: &[Link]) -> Self {
        Self(
            links
                .iter()
                .map(|l| (l.index, (l.name.as_str().to_string(), l.flags)))
                .collect(),
        )
    }

    /// Dump the links and name them.
    pub(crate) fn fetch(conn: &mut Conn) -> Result<Self, Error> {
        Ok(Self::of(&conn.links()?))
    }

    /// The name of interface `index` (`ifN` when unknown).
    pub(crate) fn name(&self, index: u32) -> String {
        self.0
            .get(&index)
            .map_or_else(|| format!("if{index}"), |(n, _)| n.clone())
    }

    /// Whether interface `index` is known and up.
    pub(crate) fn is_up(&self, index: u32) -> bool {
        self.0
            .get(&index)
            .is_some_and(|(_, f)| f.contains(IfFlags::UP))
    }
}
