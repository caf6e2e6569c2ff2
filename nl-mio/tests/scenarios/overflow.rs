//! `ENOBUFS`: when the kernel drops answers, the connection empties its
//! queue and resynchronises; the requests whose answers were lost fail
//! with a clear error instead of waiting forever, the others get theirs.

use super::{result_of, run_until_idle, setup};
use nl_mio::Error;
use nl_proto::route::link::{self, LinkRef};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![Scenario {
        name: "overflow::enobufs_fails_only_the_requests_whose_answers_were_lost",
        needs_kinds: &[],
        needs_ip: false,
        run: enobufs_fails_outstanding,
    }]
}

const REQUESTS: usize = 200;

fn enobufs_fails_outstanding(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    // The smallest receive buffer the kernel grants, and a budget that
    // ignores it: the answers of 200 GETs cannot all be queued.
    t!(rustix::net::sockopt::set_socket_recv_buffer_size(
        conn.socket(),
        1
    ));
    conn.pipeline_mut().set_budget(usize::MAX / 2);
    let ids: Vec<_> = (0..REQUESTS)
        .map(|_| conn.submit(|w: &mut _| link::encode_get(w, LinkRef::Index(1))))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), REQUESTS, "every request completes exactly once");
    let mut lost = 0;
    for id in &ids {
        match result_of(&done, *id)? {
            Ok(a) => ensure_eq!(a.len(), 1, "{id}: its one reply"),
            Err(e @ Error::OutcomeUnknown { request }) => {
                ensure_eq!(*request, id.0, "the error names its request");
                ensure_eq!(e.errno(), Some(105));
                ensure!(e.to_string().starts_with("netlink ENOBUFS (105): "), "{e}");
                lost += 1;
            }
            Err(e) => return Err(format!("{id}: {e}")),
        }
    }
    ensure!(lost > 0, "the kernel dropped nothing: {:?}", conn.stats());
    ensure!(conn.stats().overflows >= 1, "{:?}", conn.stats());
    ensure_eq!(conn.pipeline().in_flight(), 0);

    // With a buffer that holds a GET's reply and ack, and a budget that
    // fits it, the connection works again.
    t!(rustix::net::sockopt::set_socket_recv_buffer_size(
        conn.socket(),
        64 * 1024
    ));
    conn.pipeline_mut().set_budget(32 * 1024);
    let again: Vec<_> = (0..5)
        .map(|_| conn.submit(|w: &mut _| link::encode_get(w, LinkRef::Index(1))))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let done = run_until_idle(&mut poll, &mut conn)?;
    for id in again {
        ensure!(result_of(&done, id)?.is_ok(), "{:?}", result_of(&done, id));
    }
    eprintln!("overflow: {lost} of {REQUESTS} lost, {:?}", conn.stats());
    Ok(())
}
