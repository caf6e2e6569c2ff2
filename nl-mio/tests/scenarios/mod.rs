//! The scenarios, one file per concern, and the loop they share.

use mio::{Events, Interest, Poll, Token};
use nl_mio::{Answer, Conn, Error, RequestId};
use nl_tests::{Ctx, Failed, Scenario, t};
use std::time::{Duration, Instant};

mod batches;
mod deadlines;
mod dumps;
mod errors;
mod families;
mod monitor;
mod overflow;
mod pipelining;
mod reconcile;
mod sending;
mod verbs;
mod writes;

pub(crate) fn all() -> Vec<Scenario> {
    let mut all = Vec::new();
    all.extend(pipelining::scenarios());
    all.extend(sending::scenarios());
    all.extend(deadlines::scenarios());
    all.extend(overflow::scenarios());
    all.extend(dumps::scenarios());
    all.extend(errors::scenarios());
    all.extend(monitor::scenarios());
    all.extend(batches::scenarios());
    all.extend(reconcile::scenarios());
    all.extend(verbs::scenarios());
    all.extend(writes::scenarios());
    all.extend(families::scenarios());
    all
}

/// The token of the connection under test.
pub(crate) const CONN: Token = Token(0);
/// How long any loop in these tests may run before it counts as hung.
pub(crate) const HUNG: Duration = Duration::from_secs(30);

/// A completed request.
pub(crate) type Completion = (RequestId, Result<Answer, Error>);

/// A poll with an nl-mio connection in the scenario's namespace
/// registered for `READABLE`, and `lo` up.
pub(crate) fn setup(ctx: &mut Ctx) -> Result<(Poll, Conn), Failed> {
    t!(ctx.conn.set_link(1u32, &nl_rustix::LinkSet::new().up()));
    let poll = t!(Poll::new());
    let mut conn = t!(Conn::open_in(&ctx.netns()));
    t!(poll
        .registry()
        .register(&mut conn, CONN, Interest::READABLE));
    Ok((poll, conn))
}

/// Run the loop until no request is left, collecting completions.
pub(crate) fn run_until_idle(poll: &mut Poll, conn: &mut Conn) -> Result<Vec<Completion>, Failed> {
    let mut out = Vec::new();
    let mut events = Events::with_capacity(64);
    let start = Instant::now();
    while conn.is_busy() {
        if start.elapsed() > HUNG {
            return Err(format!("loop hung: {:?}", conn.pipeline()));
        }
        let wait = conn.timeout().unwrap_or(HUNG).min(Duration::from_secs(1));
        t!(poll.poll(&mut events, Some(wait)));
        for event in &events {
            if event.token() == CONN {
                t!(conn.on_ready(event));
            }
        }
        conn.handle_timeout(Instant::now());
        out.extend(conn.completions());
    }
    Ok(out)
}

/// The single completion of `id` in `done`.
pub(crate) fn result_of(
    done: &[Completion],
    id: RequestId,
) -> Result<&Result<Answer, Error>, Failed> {
    let mut it = done.iter().filter(|(i, _)| *i == id);
    let first = it.next().ok_or(format!("{id} did not complete"))?;
    if it.next().is_some() {
        return Err(format!("{id} completed twice"));
    }
    Ok(&first.1)
}
