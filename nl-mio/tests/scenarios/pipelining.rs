//! Many requests in flight through one loop, with a monitor on the same poll.

use super::{CONN, HUNG, result_of, setup};
use mio::{Events, Interest, Token};
use nl_mio::nl_rustix::monitor::Event;
use nl_mio::{Monitor, RequestId};
use nl_proto::route::Group;
use nl_proto::route::addr::{self, NewAddress};
use nl_proto::route::change::Change;
use nl_proto::route::route::{self, Route, RouteGet};
use nl_proto::{IpNet, Ipv4Net};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![Scenario {
        name: "pipelining::ten_thousand_requests_with_a_monitor_on_the_same_poll",
        needs_kinds: &[],
        needs_ip: false,
        run: ten_thousand_with_monitor,
    }]
}

const MON: Token = Token(1);
const REQUESTS: u32 = 10_000;

enum Expected {
    /// A route lookup whose answer must name this destination.
    Route(Ipv4Addr),
    /// An address added to `lo`, whose event the monitor must see.
    Added(Ipv4Addr),
}

fn ten_thousand_with_monitor(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let mut mon = t!(Monitor::route(&ctx.netns(), &[Group::IPV4_IFADDR]));
    t!(poll.registry().register(&mut mon, MON, Interest::READABLE));

    let mut expected: HashMap<RequestId, Expected> = HashMap::new();
    for i in 0..REQUESTS {
        let k = i / 2;
        let (hi, lo) = ((k >> 8) as u8, k as u8);
        if i % 2 == 0 {
            let ip = Ipv4Addr::new(10, 1, hi, lo);
            let new = NewAddress::new(1, IpNet::V4(Ipv4Net::new_assert(ip, 32)));
            let id = t!(conn.submit(move |w: &mut _| addr::encode_new(w, &new)));
            expected.insert(id, Expected::Added(ip));
        } else {
            let ip = Ipv4Addr::new(127, 0, hi, lo);
            let get = RouteGet::new(IpAddr::V4(ip));
            let id = t!(conn.submit(move |w: &mut _| route::encode_get(w, &get)));
            expected.insert(id, Expected::Route(ip));
        }
    }

    let mut done = Vec::new();
    let mut seen: HashSet<Ipv4Addr> = HashSet::new();
    let mut resync = false;
    let mut events = Events::with_capacity(64);
    let start = Instant::now();
    let added = (REQUESTS / 2) as usize;
    // Run until every request completed and every event arrived (or a
    // resync was reported); events may trail the last answer slightly.
    while conn.is_busy() || (!resync && seen.len() < added) {
        ensure!(
            start.elapsed() < HUNG,
            "hung: {:?}, {} events",
            conn.pipeline(),
            seen.len()
        );
        t!(poll.poll(&mut events, Some(Duration::from_millis(200))));
        for event in &events {
            if event.token() == CONN {
                t!(conn.on_ready(event));
            } else if event.token() == MON {
                while let Some(ev) = mon.next_event() {
                    match t!(ev) {
                        Event::Change {
                            change: Change::NewAddress(a),
                            ..
                        } => {
                            if let IpAddr::V4(v4) = a.local {
                                seen.insert(v4);
                            }
                        }
                        Event::ResyncNeeded => resync = true,
                        _ => {}
                    }
                }
            }
        }
        conn.handle_timeout(Instant::now());
        done.extend(conn.completions());
    }
    t!(poll.registry().deregister(&mut mon));

    ensure_eq!(
        done.len(),
        REQUESTS as usize,
        "every request completes once"
    );
    for (id, want) in &expected {
        let answer = match result_of(&done, *id)? {
            Ok(a) => a,
            Err(e) => return Err(format!("{id}: {e}")),
        };
        match want {
            Expected::Route(ip) => {
                let r = t!(answer.decode_one(Route::decode));
                ensure_eq!(r.dst, IpNet::V4(Ipv4Net::new_assert(*ip, 32)), "{id}");
            }
            Expected::Added(_) => ensure!(answer.is_empty(), "{id}: an add has no reply"),
        }
    }
    let stats = conn.stats();
    ensure!(
        stats.sends < u64::from(REQUESTS) / 10,
        "requests were batched: {stats:?}"
    );
    ensure_eq!(stats.stray, 0);
    if resync {
        // Events were lost; the kernel's state is the truth.
        let have: HashSet<Ipv4Addr> = t!(ctx.conn.addresses(None))
            .into_iter()
            .filter_map(|a| match a.local {
                IpAddr::V4(v4) if v4.octets()[..2] == [10, 1] => Some(v4),
                _ => None,
            })
            .collect();
        ensure_eq!(have.len(), added);
    } else {
        let want: HashSet<Ipv4Addr> = expected
            .values()
            .filter_map(|e| match e {
                Expected::Added(ip) => Some(*ip),
                Expected::Route(_) => None,
            })
            .collect();
        ensure!(
            want.is_subset(&seen),
            "{} of {added} events seen",
            seen.len()
        );
    }
    eprintln!(
        "pipelining: {REQUESTS} requests in {:?}, {} sends, resync {resync}",
        start.elapsed(),
        stats.sends
    );
    Ok(())
}
