//! Dumps: collected, streamed, and several queued at once.

use super::{result_of, run_until_idle, setup};
use nl_mio::RequestOptions;
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{self, Address};
use nl_proto::route::link::{self, Link};
use nl_proto::route::route::{self, Route};
use nl_proto::{IpNet, Ipv4Net};
use nl_rustix::{AddrSpec, Op};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "dumps::collected_dump_equals_the_blocking_listing",
            needs_kinds: &[],
            needs_ip: false,
            run: collected,
        },
        Scenario {
            name: "dumps::streamed_dump_hands_each_entry_to_the_callback",
            needs_kinds: &[],
            needs_ip: false,
            run: streamed,
        },
        Scenario {
            name: "dumps::back_to_back_dumps_run_one_at_a_time",
            needs_kinds: &[],
            needs_ip: false,
            run: back_to_back,
        },
    ]
}

/// 300 addresses on `lo`: a dump of several datagrams.
fn addresses(ctx: &mut Ctx) -> Result<Vec<Address>, Failed> {
    t!(ctx.conn.set_link(1u32, &nl_rustix::LinkSet::new().up()));
    let ops: Vec<Op> = (0..300u16)
        .map(|i| {
            let ip = Ipv4Addr::new(10, 2, (i >> 8) as u8, i as u8);
            Op::AddAddress(AddrSpec::new(1u32, IpNet::V4(Ipv4Net::new_assert(ip, 32))))
        })
        .collect();
    for r in t!(ctx.conn.apply(&ops)) {
        t!(r);
    }
    Ok(t!(ctx.conn.addresses(Some(AddrFamily::INET))))
}

fn collected(ctx: &mut Ctx) -> Result<(), Failed> {
    let want = addresses(ctx)?;
    let (mut poll, mut conn) = setup(ctx)?;
    let id = t!(conn.submit(|w: &mut _| addr::encode_dump(w, AddrFamily::INET, None)));
    let done = run_until_idle(&mut poll, &mut conn)?;
    let answer = result_of(&done, id)?.as_ref().map_err(|e| e.to_string())?;
    ensure!(!answer.interrupted(), "interrupted");
    let got = t!(answer.decode(|m| Address::decode(m).map(Some)));
    ensure_eq!(got.len(), want.len());
    ensure!(got == want, "the same entries in the same order");
    ensure!(
        conn.stats().datagrams > 1,
        "a multi-part dump: {:?}",
        conn.stats()
    );
    Ok(())
}

fn streamed(ctx: &mut Ctx) -> Result<(), Failed> {
    let want = addresses(ctx)?;
    let (mut poll, mut conn) = setup(ctx)?;
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let id = t!(conn.submit_with(
        |w: &mut _| addr::encode_dump(w, AddrFamily::INET, None),
        RequestOptions::new().on_reply(move |m| {
            sink.lock()
                .map_err(|_| nl_mio::Error::Unexpected("poisoned"))?
                .push(Address::decode(m)?);
            Ok(())
        })
    ));
    let done = run_until_idle(&mut poll, &mut conn)?;
    let answer = result_of(&done, id)?.as_ref().map_err(|e| e.to_string())?;
    ensure!(answer.is_empty(), "streamed entries are not also collected");
    let got = got.lock().map_err(|e| e.to_string())?;
    ensure!(*got == want, "{} entries, want {}", got.len(), want.len());
    Ok(())
}

fn back_to_back(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(t!(conn.submit(|w: &mut _| link::encode_dump(w))));
        ids.push(t!(conn.submit(|w: &mut _| addr::encode_dump(
            w,
            AddrFamily::UNSPEC,
            None
        ))));
        ids.push(t!(conn.submit(|w: &mut _| route::encode_dump(
            w,
            AddrFamily::INET,
            None
        ))));
    }
    // Sent in one go, the kernel would refuse all but the first (EBUSY).
    t!(conn.flush());
    ensure_eq!(conn.pipeline().in_flight(), 1);
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), ids.len());
    for (i, id) in ids.iter().enumerate() {
        let answer = result_of(&done, *id)?
            .as_ref()
            .map_err(|e| format!("{id}: {e}"))?;
        match i % 3 {
            0 => ensure_eq!(t!(answer.decode(|m| Link::decode(m).map(Some))).len(), 1),
            1 => ensure!(
                answer.len() >= 2,
                "lo's 127.0.0.1 and ::1: {}",
                answer.len()
            ),
            _ => ensure!(
                !t!(answer.decode(|m| Route::decode(m).map(Some))).is_empty(),
                "routes"
            ),
        }
    }
    Ok(())
}
