//! Watch a network namespace: one line per change, and a re-list whenever
//! the kernel dropped notifications.
//!
//! ```text
//! cargo run -p nl-rustix --example monitor [NETNS]
//! ```
//!
//! `NETNS` is a name under `/run/netns` or a path such as
//! `/proc/PID/ns/net`; without it, the current namespace. Runs until
//! interrupted.

use nl_rustix::monitor::{Event, Monitor, Snapshot};
use nl_rustix::nl_proto::route::Group;
use nl_rustix::nl_proto::route::change::Change;
use nl_rustix::{Error, Netns};

fn main() -> Result<(), Error> {
    let netns = std::env::args()
        .nth(1)
        .map_or(Netns::Current, |arg| Netns::from_arg(&arg));
    let mut monitor = Monitor::route(&netns, &Group::CHANGES)?;
    print_snapshot(&monitor.snapshot()?);
    loop {
        match monitor.recv() {
            Ok(Event::Change { change, .. }) => print_change(&change),
            Ok(Event::ResyncNeeded) => {
                println!("-- notifications were lost; re-listing");
                print_snapshot(&monitor.snapshot()?);
            }
            Ok(_) => {}
            // One notification that did not decode: say so and go on.
            Err(Error::Decode(e)) => eprintln!("undecodable notification: {e}"),
            Err(e) => return Err(e),
        }
    }
}

fn print_change(change: &Change<'_>) {
    let what = if change.is_deletion() { "del" } else { "new" };
    match change {
        Change::NewLink(l) | Change::DelLink(l) => {
            let state = if l.is_up() { "up" } else { "down" };
            println!("{what} link {} {} {state}", l.index, l.name);
        }
        Change::NewAddress(a) | Change::DelAddress(a) => {
            println!("{what} address {} on {}", a.prefix(), a.index);
        }
        Change::NewRoute(r) | Change::DelRoute(r) => {
            let via = r.gateway.map(|g| format!(" via {g}")).unwrap_or_default();
            println!("{what} route {}{via} table {}", r.dst, r.table);
        }
        Change::NewNeighbour(n) | Change::DelNeighbour(n) => {
            if let Some(dst) = n.dst {
                println!("{what} neighbour {dst} on {}", n.index);
            }
        }
        Change::NewRule(r) | Change::DelRule(r) => {
            println!("{what} rule {:?} table {}", r.priority, r.table);
        }
        Change::NewNexthop(n) | Change::DelNexthop(n) => println!("{what} nexthop {}", n.id),
        // Netconf, multicast addresses, …: not printed here.
        _ => {}
    }
}

fn print_snapshot(s: &Snapshot) {
    println!(
        "-- {} links, {} addresses, {} routes, {} neighbours, {} rules",
        s.links.len(),
        s.addresses.len(),
        s.routes.len(),
        s.neighbours.len(),
        s.rules.len()
    );
}
