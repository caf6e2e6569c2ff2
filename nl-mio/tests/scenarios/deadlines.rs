//! Per-request deadlines: the poll timeout, expiry in flight and in the
//! queue, and late answers dropped.

use super::{CONN, result_of, run_until_idle, setup};
use mio::Events;
use nl_mio::{Error, RequestOptions};
use nl_proto::route::link;
use nl_proto::route::route::{self, RouteGet};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "deadlines::expired_in_flight_times_out_and_its_late_answer_is_dropped",
            needs_kinds: &[],
            needs_ip: false,
            run: late_answer_dropped,
        },
        Scenario {
            name: "deadlines::expired_in_the_queue_is_never_sent",
            needs_kinds: &[],
            needs_ip: false,
            run: queued_expiry,
        },
        Scenario {
            name: "deadlines::poll_timeout_is_the_nearest_deadline",
            needs_kinds: &[],
            needs_ip: false,
            run: nearest_deadline,
        },
    ]
}

fn get_lo_route<'w>(
    w: &'w mut nl_proto::wire::MsgWriter<'_>,
) -> Result<nl_proto::session::Request<'w>, nl_proto::EncodeError> {
    route::encode_get(w, &RouteGet::new(IpAddr::V4(Ipv4Addr::LOCALHOST)))
}

fn late_answer_dropped(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let id = t!(conn.submit_with(
        get_lo_route,
        RequestOptions::new().timeout(Duration::from_secs(60))
    ));
    t!(conn.flush());
    ensure_eq!(conn.pipeline().in_flight(), 1);
    // The loop's clock says the minute is up before we read the answer
    // that the kernel has already queued.
    conn.handle_timeout(Instant::now() + Duration::from_secs(61));
    let (got, result) = conn.poll_completion().ok_or("no timeout completion")?;
    ensure_eq!(got, id);
    let e = result.err().ok_or("completed without error")?;
    ensure!(
        matches!(e, Error::Timeout(d) if d == Duration::from_secs(60)),
        "{e}"
    );
    ensure!(e.to_string().starts_with("netlink ETIMEDOUT (110)"), "{e}");
    ensure!(!conn.is_busy(), "nothing left to wait for");

    // Now the late answer arrives, and is dropped.
    let mut events = Events::with_capacity(8);
    let start = Instant::now();
    while conn.stats().late_answers == 0 {
        ensure!(start.elapsed() < super::HUNG, "late answer never read");
        t!(poll.poll(&mut events, Some(Duration::from_millis(100))));
        for ev in &events {
            if ev.token() == CONN {
                t!(conn.on_ready(ev));
            }
        }
    }
    ensure!(
        conn.poll_completion().is_none(),
        "the late answer completed something"
    );
    ensure_eq!(conn.pipeline().in_flight(), 0);
    ensure_eq!(conn.next_deadline(), None);

    // The connection carries on.
    let next = t!(conn.submit(get_lo_route));
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), 1);
    ensure!(result_of(&done, next)?.is_ok(), "{:?}", done[0].1);
    ensure_eq!(conn.stats().stray, 0);
    Ok(())
}

fn queued_expiry(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let first = t!(conn.submit(|w: &mut _| link::encode_dump(w)));
    // The kernel runs one dump per socket, so this one waits in the queue.
    let second = t!(conn.submit_with(
        |w: &mut _| link::encode_dump(w),
        RequestOptions::new().timeout(Duration::from_millis(1))
    ));
    t!(conn.flush());
    ensure_eq!(
        (conn.pipeline().queued(), conn.pipeline().in_flight()),
        (1, 1)
    );
    conn.handle_timeout(Instant::now() + Duration::from_secs(1));
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), 2);
    ensure!(
        matches!(result_of(&done, second)?, Err(Error::Timeout(_))),
        "{:?}",
        result_of(&done, second)
    );
    let links = result_of(&done, first)?
        .as_ref()
        .map_err(|e| e.to_string())?;
    ensure_eq!(links.len(), 1, "lo");
    ensure_eq!(conn.stats().sends, 1, "the expired dump was never sent");
    ensure_eq!(conn.pipeline().queued(), 0);
    Ok(())
}

fn nearest_deadline(ctx: &mut Ctx) -> Result<(), Failed> {
    let (_poll, mut conn) = setup(ctx)?;
    ensure_eq!(conn.timeout(), None);
    let before = Instant::now();
    let slow = t!(conn.submit_with(
        get_lo_route,
        RequestOptions::new().timeout(Duration::from_secs(5))
    ));
    let fast = t!(conn.submit_with(
        get_lo_route,
        RequestOptions::new().timeout(Duration::from_millis(50))
    ));
    let untimed = t!(conn.submit_with(get_lo_route, RequestOptions::new().no_deadline()));
    let nearest = conn.next_deadline().ok_or("no deadline")?;
    ensure!(
        nearest >= before + Duration::from_millis(50)
            && nearest <= Instant::now() + Duration::from_millis(50),
        "nearest deadline is the 50 ms one"
    );
    ensure!(
        conn.timeout() <= Some(Duration::from_millis(50)),
        "{:?}",
        conn.timeout()
    );
    conn.handle_timeout(nearest);
    let (id, result) = conn.poll_completion().ok_or("nothing expired")?;
    ensure_eq!(id, fast);
    ensure!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    ensure!(conn.poll_completion().is_none(), "only the nearest expired");
    ensure!(
        conn.next_deadline() > Some(nearest),
        "the next is the 5 s one"
    );
    let _ = (slow, untimed);
    Ok(())
}
