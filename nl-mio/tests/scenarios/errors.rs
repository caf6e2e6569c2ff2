//! Failures reported against the request that caused them.

use super::{result_of, run_until_idle, setup};
use nl_mio::Error;
use nl_proto::route::link::{self, LinkRef};
use nl_proto::route::route::{self, NewRoute, RouteMode};
use nl_proto::{IpNet, Ipv4Net};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::net::{IpAddr, Ipv4Addr};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "errors::kernel_errors_carry_extack_text_to_their_own_request",
            needs_kinds: &[],
            needs_ip: false,
            run: extack,
        },
        Scenario {
            name: "errors::encoder_errors_fail_submit_and_queue_nothing",
            needs_kinds: &[],
            needs_ip: false,
            run: encoder_errors,
        },
    ]
}

fn extack(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let mut bad = NewRoute::new(IpNet::V4(Ipv4Net::new_assert(
        Ipv4Addr::new(10, 8, 0, 0),
        24,
    )));
    bad.gateway = Some(IpAddr::V4(Ipv4Addr::new(10, 5, 0, 2)));
    let good_before = t!(conn.submit(|w: &mut _| link::encode_get(w, LinkRef::Index(1))));
    let unreachable = t!(conn.submit(move |w: &mut _| route::encode_new(w, &bad, RouteMode::Add)));
    let nodev = t!(conn.submit(|w: &mut _| link::encode_get(w, LinkRef::Index(9999))));
    let good_after = t!(conn.submit(|w: &mut _| link::encode_get(w, LinkRef::Index(1))));
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), 4);
    ensure!(result_of(&done, good_before)?.is_ok(), "first GET");
    ensure!(result_of(&done, good_after)?.is_ok(), "last GET");
    let e = result_of(&done, unreachable)?
        .as_ref()
        .err()
        .ok_or("bad route accepted")?;
    ensure_eq!(e.errno(), Some(101));
    ensure_eq!(e.kernel_message(), Some("Nexthop has invalid gateway"));
    ensure_eq!(
        e.to_string(),
        "netlink ENETUNREACH (101): Nexthop has invalid gateway"
    );
    let e = result_of(&done, nodev)?
        .as_ref()
        .err()
        .ok_or("link 9999 found")?;
    ensure!(matches!(e, Error::Kernel { .. }), "{e:?}");
    ensure_eq!(e.errno(), Some(19), "{e}");
    ensure!(e.to_string().starts_with("netlink ENODEV (19): "), "{e}");
    Ok(())
}

fn encoder_errors(ctx: &mut Ctx) -> Result<(), Failed> {
    let (_poll, mut conn) = setup(ctx)?;
    let e = conn
        .submit(|w: &mut _| link::encode_get(w, LinkRef::Index(0)))
        .err()
        .ok_or("index 0 encoded")?;
    ensure!(matches!(e, Error::Invalid(_)), "{e:?}");
    ensure_eq!(conn.pipeline().queued(), 0);
    ensure!(!conn.is_busy(), "nothing to wait for");
    ensure_eq!(conn.interest(), mio::Interest::READABLE);
    Ok(())
}
