//! The driver's request layer against the kernel, below any family verb.

use nl_proto::route::RTM_GETLINK;
use nl_proto::session::{Expect, Request};
use nl_proto::wire::{Flags, MsgWriter};
use nl_rustix::{Error, Netns};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "conn::dump_in_private_netns_sees_only_lo",
            needs_kinds: &[],
            needs_ip: false,
            run: dump_sees_only_lo,
        },
        Scenario {
            name: "conn::kernel_error_carries_errno",
            needs_kinds: &[],
            needs_ip: false,
            run: kernel_error,
        },
        Scenario {
            name: "conn::netns_errors_name_the_target",
            needs_kinds: &[],
            needs_ip: false,
            run: netns_errors,
        },
    ]
}

/// RTM_GETLINK dump written with the bare writer (the link codec has its
/// own scenarios).
fn getlink_dump<'w>(w: &'w mut MsgWriter<'_>) -> Result<Request<'w>, nl_proto::EncodeError> {
    w.begin(RTM_GETLINK, Flags::DUMP)?;
    w.put_fixed(&[0u8; 16])?;
    Ok(Request::new(w.finish()?, Expect::Dump))
}

fn dump_sees_only_lo(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut n = 0;
    let interrupted = t!(ctx.conn.dump(getlink_dump, |_| {
        n += 1;
        Ok(())
    }));
    ensure!(!interrupted, "a dump of a quiet namespace was interrupted");
    ensure_eq!(n, 1, "a new namespace holds only lo");
    // The connection is reusable after a dump.
    let mut again = 0;
    t!(ctx.conn.dump(getlink_dump, |_| {
        again += 1;
        Ok(())
    }));
    ensure_eq!(again, 1);
    Ok(())
}

fn kernel_error(ctx: &mut Ctx) -> Result<(), Failed> {
    // RTM_GETLINK for ifindex 9999, which does not exist.
    let err = ctx
        .conn
        .get(
            |w: &mut MsgWriter<'_>| {
                w.begin(RTM_GETLINK, Flags::EMPTY)?;
                let mut ifi = [0u8; 16];
                ifi[4..8].copy_from_slice(&9999i32.to_ne_bytes());
                w.put_fixed(&ifi)?;
                Ok(Request::new(w.finish()?, Expect::Ack))
            },
            |_| Ok(()),
        )
        .err();
    let Some(err) = err else {
        return Err("GETLINK of ifindex 9999 succeeded".into());
    };
    ensure_eq!(err.errno(), Some(19), "{err}");
    ensure!(
        err.to_string().starts_with("netlink ENODEV (19): "),
        "display: {err}"
    );
    Ok(())
}

fn netns_errors(_ctx: &mut Ctx) -> Result<(), Failed> {
    let e = Netns::Named("nl-test-does-not-exist".into())
        .socket(nl_rustix::Protocol::Route)
        .err();
    let Some(e @ Error::Sys { .. }) = e else {
        return Err(format!("expected a Sys error, got {e:?}"));
    };
    ensure!(
        e.to_string()
            .contains("no such network namespace \"nl-test-does-not-exist\""),
        "{e}"
    );
    // Highest pid the kernel allows is below 2^22, so this one cannot exist.
    let e = Netns::Pid(4_194_304 + 7)
        .socket(nl_rustix::Protocol::Route)
        .err()
        .ok_or("pid netns opened")?;
    ensure!(e.to_string().contains("no such process 4194311"), "{e}");
    let e = Netns::Path("/etc/hostname".into())
        .socket(nl_rustix::Protocol::Route)
        .err()
        .ok_or("file netns opened")?;
    ensure_eq!(e.errno(), Some(22), "entering a non-namespace file: {e}");
    Ok(())
}
