//! Watch a network namespace from one mio loop, and answer events with
//! requests: every link that appears gets its addresses listed.
//!
//! ```text
//! cargo run -p nl-mio --example watch [NETNS] [--seconds N]
//! ```
//!
//! `NETNS` is a name under `/run/netns`, a path such as `/proc/PID/ns/net`,
//! or a process id; without it, the current namespace. The loop only reads:
//! it lists links and addresses and watches their changes. Try it on a
//! scratch namespace:
//!
//! ```text
//! unshare -n sh -c 'cargo run -p nl-mio --example watch $$ --seconds 5 &
//!                   sleep 1; ip link add br0 type bridge; ip addr add 10.9.0.1/24 dev br0;
//!                   ip link set br0 up; wait'
//! ```

use mio::{Events, Interest, Poll, Token};
use nl_mio::nl_rustix::monitor::Event;
use nl_mio::{Conn, Monitor, Netns, RequestId};
use nl_proto::route::addr::{self, Address};
use nl_proto::route::change::Change;
use nl_proto::route::link::{self, Link};
use nl_proto::route::{AddrFamily, Group};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const CONN: Token = Token(0);
const MONITOR: Token = Token(1);

/// What a request in flight was for.
enum Asked {
    /// The full link list (at start, and after a resync).
    Links,
    /// The addresses of one link.
    Addresses { name: String },
}

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    let mut netns = Netns::Current;
    let mut until = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let secs: u64 = args.next().ok_or("--seconds needs a number")?.parse()?;
                until = Some(Instant::now() + Duration::from_secs(secs));
            }
            _ => {
                netns = match arg.parse::<u32>() {
                    Ok(pid) => Netns::Pid(pid),
                    Err(_) => Netns::from_arg(&arg),
                }
            }
        }
    }

    let mut poll = Poll::new()?;
    // Join before the first dump, so nothing falls between list and watch.
    let groups = [Group::LINK, Group::IPV4_IFADDR, Group::IPV6_IFADDR];
    let mut monitor = Monitor::route(&netns, &groups)?;
    poll.registry()
        .register(&mut monitor, MONITOR, Interest::READABLE)?;
    let mut conn = Conn::open_in(&netns)?;
    poll.registry()
        .register(&mut conn, CONN, Interest::READABLE)?;

    let mut asked: HashMap<RequestId, Asked> = HashMap::new();
    asked.insert(conn.submit(|w: &mut _| link::encode_dump(w))?, Asked::Links);
    let mut known: HashMap<u32, String> = HashMap::new();
    let mut events = Events::with_capacity(64);

    loop {
        let now = Instant::now();
        if until.is_some_and(|u| now >= u) {
            break;
        }
        let mut wait = conn.timeout();
        if let Some(u) = until {
            let left = u.saturating_duration_since(now);
            wait = Some(wait.map_or(left, |w| w.min(left)));
        }
        poll.poll(&mut events, wait)?;
        for event in &events {
            match event.token() {
                CONN => conn.on_ready(event)?,
                MONITOR => {
                    // Readiness is edge-triggered: read until nothing is left.
                    while let Some(ev) = monitor.next_event() {
                        match ev? {
                            Event::Change { change, .. } => {
                                on_change(change, &mut conn, &mut asked, &mut known)?
                            }
                            // Events were lost: the kernel's lists are the truth.
                            Event::ResyncNeeded => resync(&mut conn, &mut asked)?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        conn.handle_timeout(Instant::now());
        while let Some((id, result)) = conn.poll_completion() {
            let Some(what) = asked.remove(&id) else {
                continue;
            };
            let answer = match result {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("watch: {e}");
                    continue;
                }
            };
            match what {
                Asked::Links => {
                    for l in answer.decode(|m| Link::decode(m).map(Some))? {
                        if known.insert(l.index, l.name.to_string()).is_none() {
                            println!("link {} {}", l.index, l.name);
                            ask_addresses(&mut conn, &mut asked, l.index, l.name.to_string())?;
                        }
                    }
                }
                Asked::Addresses { name } => {
                    let list: Vec<String> = answer
                        .decode(|m| Address::decode(m).map(Some))?
                        .iter()
                        .map(|a| format!("{}/{}", a.local, a.prefix_len))
                        .collect();
                    println!(
                        "  {name}: {}",
                        if list.is_empty() {
                            "no addresses".into()
                        } else {
                            list.join(" ")
                        }
                    );
                }
            }
        }
    }
    poll.registry().deregister(&mut monitor)?;
    poll.registry().deregister(&mut conn)?;
    Ok(())
}

/// Print a change; a link seen for the first time gets its addresses asked for.
fn on_change(
    change: Change<'_>,
    conn: &mut Conn,
    asked: &mut HashMap<RequestId, Asked>,
    known: &mut HashMap<u32, String>,
) -> Result<(), BoxError> {
    match change {
        // A link seen for the first time (not a change to a known one).
        Change::NewLink(l) if !known.contains_key(&l.index) => {
            known.insert(l.index, l.name.to_string());
            println!("new link {} {}", l.index, l.name);
            ask_addresses(conn, asked, l.index, l.name.to_string())?;
        }
        Change::DelLink(l) => {
            known.remove(&l.index);
            println!("deleted link {} {}", l.index, l.name);
        }
        Change::NewAddress(ref a) | Change::DelAddress(ref a) => {
            let verb = if matches!(change, Change::NewAddress(_)) {
                "added"
            } else {
                "removed"
            };
            let name = known.get(&a.index).map_or("?", String::as_str);
            println!("  {name}: {verb} {}/{}", a.local, a.prefix_len);
        }
        _ => {}
    }
    Ok(())
}

/// Events were lost: the kernel's lists are the truth, so list again.
fn resync(conn: &mut Conn, asked: &mut HashMap<RequestId, Asked>) -> Result<(), BoxError> {
    println!("resync: events were lost, listing again");
    let id = conn.submit(|w: &mut _| link::encode_dump(w))?;
    asked.insert(id, Asked::Links);
    Ok(())
}

fn ask_addresses(
    conn: &mut Conn,
    asked: &mut HashMap<RequestId, Asked>,
    index: u32,
    name: String,
) -> Result<(), BoxError> {
    let id = conn.submit(move |w: &mut _| addr::encode_dump(w, AddrFamily::UNSPEC, Some(index)))?;
    asked.insert(id, Asked::Addresses { name });
    Ok(())
}
