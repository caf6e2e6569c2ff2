//! Monitors as mio sources.

use mio::{Events, Interest, Poll, Token};
use nl_mio::{Netns, Protocol};
use nl_proto::route::link::Link;
use nl_proto::route::{Group, RTM_NEWLINK};
use nl_proto::session::{Event, Session};
use nl_rustix::{LinkSpec, Received};
use nl_tests::{Ctx, Failed, Scenario, ensure, t};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![Scenario {
        name: "monitor::in_a_namespace_by_pid",
        needs_kinds: &["bridge"],
        needs_ip: false,
        run: by_pid,
    }]
}

/// A process that lives in the scenario's namespace until killed.
struct Resident(std::process::Child);

impl Drop for Resident {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn by_pid(ctx: &mut Ctx) -> Result<(), Failed> {
    let child = t!(ctx
        .netns()
        .run(|| Command::new("sleep").arg("60").stdin(Stdio::null()).spawn()));
    let resident = Resident(t!(child));
    let pid = resident.0.id();

    let mut poll = t!(Poll::new());
    let mut mon = t!(nl_mio::Socket::open_in(&Netns::Pid(pid), Protocol::Route));
    t!(mon.get_ref().join(Group::LINK.0));
    t!(poll
        .registry()
        .register(&mut mon, Token(1), Interest::READABLE));
    // A change in the namespace, made through another socket in it.
    t!(ctx.conn.create_link(&LinkSpec::bridge("br7")));

    let mut session = Session::<1>::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut events = Events::with_capacity(8);
    let start = Instant::now();
    let mut seen = false;
    while !seen {
        ensure!(
            start.elapsed() < Duration::from_secs(10),
            "no event for br7"
        );
        t!(poll.poll(&mut events, Some(Duration::from_millis(200))));
        if events.is_empty() {
            continue;
        }
        loop {
            match mon.get_ref().recv(&mut buf) {
                Ok(Received::Datagram { len, src }) => {
                    for ev in session.feed(&buf[..len], src) {
                        if let Ok(Event::Notification { msg, .. }) = ev {
                            if msg.msg_type() == RTM_NEWLINK {
                                seen |= t!(Link::decode(&msg)).name.as_str() == "br7";
                            }
                        }
                    }
                }
                Ok(other) => return Err(format!("{other:?}")),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    t!(poll.registry().deregister(&mut mon));
    Ok(())
}
