//! Shared rendering: JSON records as `ip -j` prints them, and interface
//! names for printing. No parsing; the only I/O is the link dump
//! [`Names::fetch`] asks for.

use crate::words::Opts;
use nl_rustix::nl_proto::route::link::{IfFlags, Link};
use nl_rustix::{Conn, Error};
use serde_json::Value;
use std::collections::HashMap;

/// Print a list of JSON records as `ip -j` does: one line, or with `-p`
/// indented as iproute2's JSON writer does it.
pub(crate) fn print_json(opts: &Opts, records: Vec<Value>) {
    let v = Value::Array(records);
    if opts.pretty {
        let mut out = String::new();
        Pretty::default().value(&v, &mut out);
        println!("{out}");
    } else {
        println!("{v}");
    }
}

/// iproute2's pretty JSON layout (`ip -j -p`): members of an object one
/// per line, indented four spaces a level; arrays on the line they open
/// (`[ "UP","LOWER_UP" ]`, `[ {` … `} ]`).
#[derive(Default)]
struct Pretty {
    depth: usize,
}

impl Pretty {
    fn newline(&self, out: &mut String) {
        out.push('\n');
        for _ in 0..self.depth {
            out.push_str("    ");
        }
    }

    fn value(&mut self, v: &Value, out: &mut String) {
        match v {
            Value::Array(items) => {
                out.push_str("[ ");
                self.depth += 1;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.value(item, out);
                }
                self.depth -= 1;
                if !items.is_empty() {
                    out.push(' ');
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                self.depth += 1;
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.newline(out);
                    out.push_str(&Value::from(k.as_str()).to_string());
                    out.push_str(": ");
                    self.value(item, out);
                }
                self.depth -= 1;
                if !members.is_empty() {
                    self.newline(out);
                }
                out.push('}');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
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
