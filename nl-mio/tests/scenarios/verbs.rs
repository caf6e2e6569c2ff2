//! The typed verbs in a readiness loop: each gives what the blocking verb
//! gives on the same namespace, names resolved without blocking, and a
//! name that does not exist fails with the blocking verb's error.

use super::{run_until_idle, setup};
use nl_mio::{Call, Conn, Error};
use nl_proto::route::AddrFamily;
use nl_proto::route::nexthop::NexthopDump;
use nl_rustix::{AddrSpec, LinkSpec, NexthopSpec, RouteSpec, Tables};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::fmt::Debug;

/// IPv6 link-local addresses change (DAD ends) between two reads: compare
/// the IPv4 ones, which the scenario set.
const V4: Option<AddrFamily> = Some(AddrFamily::INET);

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "verbs::every_read_verb_matches_the_blocking_verb",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: reads_match,
        },
        Scenario {
            name: "verbs::unknown_names_fail_as_the_blocking_verb",
            needs_kinds: &[],
            needs_ip: false,
            run: unknown_names,
        },
    ]
}

/// The result of a finished call.
fn take<T: 'static>(conn: &mut Conn, call: &Call<T>) -> Result<Result<T, Error>, Failed> {
    conn.poll_call(call)
        .ok_or_else(|| "the loop went idle with the call unfinished".to_string())
}

fn same<T: PartialEq + Debug>(
    what: &str,
    mio: Result<T, Error>,
    blocking: Result<T, Error>,
) -> Result<(), Failed> {
    match (mio, blocking) {
        (Ok(a), Ok(b)) => {
            ensure_eq!(a, b, "{what}");
        }
        (Err(a), Err(b)) => {
            ensure_eq!(a.errno(), b.errno(), "{what}: errno");
            ensure_eq!(a.to_string(), b.to_string(), "{what}: error");
        }
        (a, b) => return Err(format!("{what}: nl-mio {a:?}, blocking {b:?}")),
    }
    Ok(())
}

fn reads_match(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    t!(ctx.conn.create_link(&LinkSpec::veth("va", "vb").up()));
    t!(ctx.conn.set_link("vb", &nl_rustix::LinkSet::new().up()));
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("va", t!("10.9.0.1/24".parse())).nodad()));
    t!(ctx
        .conn
        .add_route(&RouteSpec::new(t!("10.77.0.0/16".parse())).via(t!("10.9.0.2".parse()))));
    t!(ctx
        .conn
        .add_nexthop(&NexthopSpec::via(7, t!("10.9.0.2".parse())).dev("va")));
    // Every verb in flight at once; those on a name resolve it first.
    let links = t!(conn.links());
    let va = t!(conn.link("va"));
    let lo = t!(conn.link(1u32));
    let addrs = t!(conn.addresses(V4));
    let addrs_va = t!(conn.addresses_of("va", V4));
    let routes = t!(conn.routes(None, Tables::All));
    let neigh = t!(conn.neighbours(None, Some("va".into())));
    let rules = t!(conn.rules(None));
    let nhs = t!(conn.nexthops(&NexthopDump::default()));
    let nh = t!(conn.nexthop(7));
    let stats = t!(conn.link_stats("va"));
    let all_stats = t!(conn.all_link_stats());
    run_until_idle(&mut poll, &mut conn)?;
    let b = &mut ctx.conn;
    let got_links = take(&mut conn, &links)?;
    ensure!(matches!(&got_links, Ok(l) if l.len() == 3), "{got_links:?}");
    let names = |r: Result<Vec<nl_proto::route::link::Link>, Error>| {
        r.map(|v| v.into_iter().map(|l| (l.index, l.name)).collect::<Vec<_>>())
    };
    same("links", names(got_links), names(b.links()))?;
    let got_va = take(&mut conn, &va)?;
    same(
        "link va",
        got_va.map(|l| (l.index, l.name)),
        b.link("va").map(|l| (l.index, l.name)),
    )?;
    same(
        "link 1",
        take(&mut conn, &lo)?.map(|l| l.name),
        b.link(1u32).map(|l| l.name),
    )?;
    same("addresses", take(&mut conn, &addrs)?, b.addresses(V4))?;
    let got = take(&mut conn, &addrs_va)?;
    ensure!(matches!(&got, Ok(a) if a.len() == 1), "{got:?}");
    same("addresses of va", got, b.addresses_of("va", V4))?;
    let got = take(&mut conn, &routes)?;
    ensure!(matches!(&got, Ok(r) if r.len() >= 2), "{got:?}");
    same("routes", got, b.routes(None, Tables::All))?;
    same(
        "neighbours of va",
        take(&mut conn, &neigh)?,
        b.neighbours(None, Some("va".into())),
    )?;
    same("rules", take(&mut conn, &rules)?, b.rules(None))?;
    let got = take(&mut conn, &nhs)?;
    ensure!(matches!(&got, Ok(n) if n.len() == 1), "{got:?}");
    same("nexthops", got, b.nexthops(&NexthopDump::default()))?;
    same("nexthop 7", take(&mut conn, &nh)?, b.nexthop(7))?;
    // Counters move between the two reads: both answer, for the same link.
    ensure!(take(&mut conn, &stats)?.is_ok(), "link stats of va");
    let got = t!(take(&mut conn, &all_stats)?);
    let want = t!(b.all_link_stats());
    ensure_eq!(
        got.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        want.iter().map(|(i, _)| *i).collect::<Vec<_>>()
    );
    ensure!(conn.poll_call(&nh).is_none(), "a result is collected once");
    Ok(())
}

fn unknown_names(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let link = t!(conn.link("nosuch0"));
    let addrs = t!(conn.addresses_of("nosuch0", None));
    let neigh = t!(conn.neighbours(None, Some("nosuch0".into())));
    let stats = t!(conn.link_stats("nosuch0"));
    let bad = t!(conn.link("a/b"));
    run_until_idle(&mut poll, &mut conn)?;
    let b = &mut ctx.conn;
    let got = take(&mut conn, &link)?;
    ensure_eq!(
        got.as_ref().err().and_then(Error::errno),
        Some(libc::ENODEV)
    );
    same("link", got, b.link("nosuch0"))?;
    same(
        "addresses_of",
        take(&mut conn, &addrs)?,
        b.addresses_of("nosuch0", None),
    )?;
    same(
        "neighbours",
        take(&mut conn, &neigh)?,
        b.neighbours(None, Some("nosuch0".into())),
    )?;
    same(
        "link_stats",
        take(&mut conn, &stats)?,
        b.link_stats("nosuch0"),
    )?;
    let got = take(&mut conn, &bad)?;
    ensure!(matches!(got, Err(Error::Invalid(_))), "{got:?}");
    same("malformed name", got, b.link("a/b"))?;
    Ok(())
}
