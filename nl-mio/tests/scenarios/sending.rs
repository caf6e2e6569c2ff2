//! The send side: a queue that survives `EWOULDBLOCK`, writable interest
//! only while requests wait, and the fd driven by a loop that is not mio.

use super::{CONN, run_until_idle, setup};
use mio::{Events, Interest};
use nl_mio::{Conn, Pipeline, Protocol, RequestId};
use nl_proto::route::route::{self, Route, RouteGet};
use nl_proto::{IpNet, Ipv4Net};
use nl_rustix::Received;
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use rustix::event::{PollFd, PollFlags};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "sending::ewouldblock_keeps_requests_queued_and_resends_them",
            needs_kinds: &[],
            needs_ip: false,
            run: ewouldblock_requeues,
        },
        Scenario {
            name: "sending::writable_interest_only_while_requests_wait",
            needs_kinds: &[],
            needs_ip: false,
            run: writable_only_while_queued,
        },
        Scenario {
            name: "sending::budget_holds_requests_back_until_answers_free_it",
            needs_kinds: &[],
            needs_ip: false,
            run: budget_holds_back,
        },
        Scenario {
            name: "sending::a_full_send_queue_is_queue_full_and_loses_nothing",
            needs_kinds: &[],
            needs_ip: false,
            run: queue_full,
        },
        Scenario {
            name: "sending::plain_poll_drives_the_conn_through_its_fd",
            needs_kinds: &[],
            needs_ip: false,
            run: plain_poll_drives_conn,
        },
    ]
}

fn lookup(i: u8) -> (Ipv4Addr, impl nl_mio::EncodeClosure) {
    let ip = Ipv4Addr::new(127, 0, 0, i);
    let get = RouteGet::new(IpAddr::V4(ip));
    (ip, nl_mio::encoder(move |w| route::encode_get(w, &get)))
}

fn check_route(answer: &nl_mio::Answer, ip: Ipv4Addr) -> Result<(), Failed> {
    let r = t!(answer.decode_one(Route::decode));
    ensure_eq!(r.dst, IpNet::V4(Ipv4Net::new_assert(ip, 32)));
    Ok(())
}

/// Back-pressure is its own kind: a request the send queue has no room
/// for is refused with [`nl_mio::Error::QueueFull`] (a raw submit and a
/// verb alike), nothing of it queued; what was queued completes, and the
/// same request is taken once the queue drained.
fn queue_full(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    ensure!(
        conn.pipeline_mut().set_queue_capacity(256),
        "the queue is empty"
    );
    let mut ids = Vec::new();
    let refused = loop {
        let (ip, get) = lookup(u8::try_from(ids.len() + 1).unwrap_or(255));
        match conn.submit(get) {
            Ok(id) => ids.push((id, ip)),
            Err(e) => break e,
        }
        ensure!(ids.len() < 64, "a 256-byte queue took 64 requests");
    };
    ensure!(!ids.is_empty(), "the first request fits");
    ensure!(
        matches!(refused, nl_mio::Error::QueueFull { .. }),
        "{refused:?}"
    );
    ensure!(refused.is_queue_full(), "{refused:?}");
    ensure_eq!(refused.kind(), nl_mio::ErrorKind::QueueFull);
    ensure_eq!(
        std::io::Error::from(refused).kind(),
        std::io::ErrorKind::WouldBlock
    );
    ensure_eq!(conn.pipeline().queued(), ids.len(), "nothing of it queued");
    let verb = conn.link(1u32);
    ensure!(
        verb.as_ref().is_err_and(nl_mio::Error::is_queue_full),
        "a verb on the full queue: {verb:?}"
    );
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), ids.len(), "every queued request completed");
    for (id, ip) in &ids {
        let answer = super::result_of(&done, *id)?;
        check_route(t!(answer.as_ref()), *ip)?;
    }
    let (ip, get) = lookup(200);
    let id = t!(conn.submit(get));
    let done = run_until_idle(&mut poll, &mut conn)?;
    check_route(t!(super::result_of(&done, id)?.as_ref()), ip)?;
    Ok(())
}

/// The kernel never makes a send to itself wait (it handles the request
/// inside `sendmsg`), so `EWOULDBLOCK` is injected here by telling the
/// pipeline the send blocked instead of sending; everything else is real.
fn ewouldblock_requeues(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.set_link(1u32, &nl_rustix::LinkSet::new().up()));
    let sock = t!(nl_mio::Socket::open_in(&ctx.netns(), Protocol::Route));
    let mut pipeline = Pipeline::new(1 << 20);
    let mut ids: Vec<(RequestId, Ipv4Addr)> = Vec::new();
    for i in 1..=3 {
        let (ip, enc) = lookup(i);
        ids.push((t!(pipeline.submit(enc)), ip));
    }
    ensure!(pipeline.poll_transmit().is_some(), "a chunk to send");
    pipeline.send_blocked();
    ensure_eq!((pipeline.queued(), pipeline.in_flight()), (3, 0));
    ensure!(pipeline.wants_send(), "still wants to send");
    ensure_eq!(pipeline.stats().blocked_sends, 1);

    let chunk = pipeline.poll_transmit().ok_or("the same requests again")?;
    t!(sock.get_ref().send(chunk));
    pipeline.sent();
    ensure_eq!((pipeline.queued(), pipeline.in_flight()), (0, 3));

    let mut buf = vec![0u8; 64 * 1024];
    let mut done = Vec::new();
    let start = Instant::now();
    while done.len() < 3 {
        ensure!(start.elapsed() < super::HUNG, "hung: {pipeline:?}");
        match sock.get_ref().recv(&mut buf) {
            Ok(Received::Datagram { len, src }) => pipeline.handle_datagram(&buf[..len], src),
            Ok(other) => return Err(format!("{other:?}")),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Err(e) => return Err(e.to_string()),
        }
        done.extend(std::iter::from_fn(|| pipeline.poll_completion()));
    }
    for (id, ip) in ids {
        let answer = super::result_of(&done, id)?
            .as_ref()
            .map_err(|e| e.to_string())?;
        check_route(answer, ip)?;
    }
    // The blocked chunk's sequence numbers never reached the kernel.
    ensure_eq!(pipeline.stats().stray, 0);
    ensure_eq!(pipeline.stats().sends, 1);
    Ok(())
}

fn writable_only_while_queued(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    ensure_eq!(conn.registered_interest(), Some(Interest::READABLE));
    let (ip, enc) = lookup(7);
    let id = t!(conn.submit(enc));
    ensure_eq!(
        conn.registered_interest(),
        Some(Interest::READABLE | Interest::WRITABLE)
    );
    // Nothing is sent until the loop sees the socket writable.
    ensure_eq!(conn.pipeline().queued(), 1);
    let mut events = Events::with_capacity(8);
    t!(poll.poll(&mut events, Some(Duration::from_secs(5))));
    let ev = events
        .iter()
        .find(|e| e.token() == CONN)
        .ok_or("no event")?;
    ensure!(ev.is_writable(), "writable event");
    t!(conn.on_ready(ev));
    ensure_eq!(conn.pipeline().queued(), 0);
    ensure_eq!(conn.registered_interest(), Some(Interest::READABLE));
    let done = run_until_idle(&mut poll, &mut conn)?;
    let answer = super::result_of(&done, id)?
        .as_ref()
        .map_err(|e| e.to_string())?;
    check_route(answer, ip)?;
    t!(poll.registry().deregister(&mut conn));
    ensure_eq!(conn.registered_interest(), None);
    Ok(())
}

fn budget_holds_back(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    // Room for one answer at a time.
    conn.pipeline_mut().set_budget(1);
    let mut ids = Vec::new();
    for i in 1..=3 {
        let (ip, enc) = lookup(i);
        ids.push((t!(conn.submit(enc)), ip));
    }
    t!(conn.flush());
    ensure_eq!(
        (conn.pipeline().queued(), conn.pipeline().in_flight()),
        (2, 1)
    );
    // Waiting for answers, not for writability.
    ensure_eq!(conn.registered_interest(), Some(Interest::READABLE));
    let done = run_until_idle(&mut poll, &mut conn)?;
    for (id, ip) in ids {
        let answer = super::result_of(&done, id)?
            .as_ref()
            .map_err(|e| e.to_string())?;
        check_route(answer, ip)?;
    }
    ensure_eq!(conn.stats().sends, 3);
    Ok(())
}

/// `poll(2)` on the connection's fd, with the interest it asks for: what
/// an epoll or io_uring loop does.
fn plain_poll_drives_conn(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.set_link(1u32, &nl_rustix::LinkSet::new().up()));
    let mut conn = t!(Conn::open_in(&ctx.netns()));
    let mut ids = Vec::new();
    for i in 1..=50 {
        let (ip, enc) = lookup(i);
        ids.push((t!(conn.submit(enc)), ip));
    }
    let mut done = Vec::new();
    let start = Instant::now();
    while conn.is_busy() {
        ensure!(start.elapsed() < super::HUNG, "hung");
        let want = conn.interest();
        let mut flags = PollFlags::IN;
        if want.is_writable() {
            flags |= PollFlags::OUT;
        }
        let mut fds = [PollFd::new(&conn, flags)];
        let timeout = rustix::event::Timespec {
            tv_sec: 1,
            tv_nsec: 0,
        };
        t!(rustix::event::poll(&mut fds, Some(&timeout)));
        let got = fds[0].revents();
        if got.contains(PollFlags::IN) {
            t!(conn.receive());
        } else if got.contains(PollFlags::OUT) {
            t!(conn.flush());
        }
        done.extend(conn.completions());
    }
    for (id, ip) in ids {
        let answer = super::result_of(&done, id)?
            .as_ref()
            .map_err(|e| e.to_string())?;
        check_route(answer, ip)?;
    }
    Ok(())
}
