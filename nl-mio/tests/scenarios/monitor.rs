//! Monitors as mio sources.

use mio::{Events, Interest, Poll, Token};
use nl_mio::nl_rustix::monitor::Event;
use nl_mio::{Monitor, Netns, Protocol};
use nl_proto::route::Group;
use nl_proto::route::change::Change;
use nl_rustix::{AddrSpec, LinkSet, LinkSpec, Op};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "monitor::in_a_namespace_by_pid",
            needs_kinds: &["bridge"],
            needs_ip: false,
            run: by_pid,
        },
        Scenario {
            name: "monitor::group_above_31_is_a_notification",
            needs_kinds: &[],
            needs_ip: false,
            run: group_above_31,
        },
        Scenario {
            name: "monitor::overflow_reports_resync_and_keeps_delivering",
            needs_kinds: &[],
            needs_ip: false,
            run: resync,
        },
    ]
}

const MON: Token = Token(1);

/// Poll `monitor` until `want` accepts an event (true) or 10 s pass.
fn wait_for(
    poll: &mut Poll,
    monitor: &mut Monitor,
    mut want: impl FnMut(&Event<'_>) -> Result<bool, Failed>,
) -> Result<(), Failed> {
    let mut events = Events::with_capacity(8);
    let start = Instant::now();
    loop {
        ensure!(
            start.elapsed() < Duration::from_secs(10),
            "the event never came"
        );
        t!(poll.poll(&mut events, Some(Duration::from_millis(200))));
        while let Some(ev) = monitor.next_event() {
            if want(&t!(ev))? {
                return Ok(());
            }
        }
    }
}

/// A process that lives in the scenario's namespace until dropped.
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
    let mut poll = t!(Poll::new());
    let mut monitor = t!(Monitor::route(&Netns::Pid(resident.0.id()), &[Group::LINK]));
    t!(poll
        .registry()
        .register(&mut monitor, MON, Interest::READABLE));
    // A change in the namespace, made through another socket in it.
    t!(ctx.conn.create_link(&LinkSpec::bridge("br7")));
    let want = t!(ctx.conn.link("br7"));
    wait_for(&mut poll, &mut monitor, |ev| {
        Ok(match ev {
            Event::Change {
                change: Change::NewLink(l),
                group,
                ..
            } if l.name.as_str() == "br7" => {
                ensure_eq!(*group, Group::LINK.0);
                ensure_eq!(l.index, want.index);
                true
            }
            _ => false,
        })
    })?;
    t!(poll.registry().deregister(&mut monitor));
    Ok(())
}

/// `RTNLGRP_IPV4_MCADDR` (37): past the legacy 32-bit mask, so only the
/// destination group from `NETLINK_PKTINFO` tells it is a notification.
fn group_above_31(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut poll = t!(Poll::new());
    let mut monitor = t!(Monitor::open(&ctx.netns(), Protocol::Route, &[37]));
    t!(poll
        .registry()
        .register(&mut monitor, MON, Interest::READABLE));
    // Bringing lo up joins it to 224.0.0.1: an RTM_NEWMULTICAST to group 37.
    t!(ctx.conn.set_link(1u32, &LinkSet::new().up()));
    wait_for(&mut poll, &mut monitor, |ev| {
        Ok(matches!(ev, Event::Change { group: 37, .. }))
    })
}

fn resync(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.set_link(1u32, &LinkSet::new().up()));
    let mut poll = t!(Poll::new());
    let mut monitor = t!(Monitor::route(&ctx.netns(), &[Group::IPV4_IFADDR]));
    // The smallest queue the kernel grants: a few notifications.
    t!(rustix::net::sockopt::set_socket_recv_buffer_size(
        monitor.socket(),
        1
    ));
    t!(poll
        .registry()
        .register(&mut monitor, MON, Interest::READABLE));
    let ops: Vec<Op> = (0..200u8)
        .map(|i| {
            let ip = std::net::Ipv4Addr::new(10, 3, 0, i);
            Op::AddAddress(AddrSpec::new(
                1u32,
                nl_proto::IpNet::V4(nl_proto::Ipv4Net::new_assert(ip, 32)),
            ))
        })
        .collect();
    for r in t!(ctx.conn.apply(&ops)) {
        t!(r);
    }
    wait_for(&mut poll, &mut monitor, |ev| {
        Ok(matches!(ev, Event::ResyncNeeded))
    })?;
    // Still delivering: one more change arrives.
    t!(ctx.conn.apply(&[Op::AddAddress(AddrSpec::new(
        1u32,
        nl_proto::IpNet::V4(nl_proto::Ipv4Net::new_assert(
            std::net::Ipv4Addr::new(10, 4, 0, 1),
            32
        ))
    ))]))
    .pop()
    .ok_or("no result")?
    .map_err(|e| e.to_string())?;
    wait_for(&mut poll, &mut monitor, |ev| {
        Ok(
            matches!(ev, Event::Change { change: Change::NewAddress(a), .. }
            if a.local == std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 4, 0, 1))),
        )
    })
}
