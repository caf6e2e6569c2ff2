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
        Scenario {
            name: "conn::batch_fits_a_small_receive_buffer",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: batch_fits_small_rcvbuf,
        },
        Scenario {
            name: "conn::current_netns_is_the_calling_threads",
            needs_kinds: &[],
            needs_ip: false,
            run: current_is_thread_netns,
        },
        Scenario {
            name: "conn::empty_main_table_lists_empty",
            needs_kinds: &[],
            needs_ip: false,
            run: empty_main_table,
        },
        Scenario {
            name: "conn::nftables_batch_in_one_sendmsg",
            needs_kinds: &[],
            needs_ip: false,
            run: nftables_batch,
        },
        Scenario {
            name: "harness::kind_probe_handles_kinds_that_need_arguments",
            needs_kinds: &[],
            needs_ip: true,
            run: kind_probe,
        },
    ]
}

/// The harness's own probe: macvlan needs a parent and vxlan an id, so a
/// bare `ip link add … type K` fails for them even where the kernel has
/// them; the probe must still find every kind this project's machines have
/// (DESIGN.md), and no kind that does not exist.
fn kind_probe(_ctx: &mut Ctx) -> Result<(), Failed> {
    for kind in ["bridge", "veth", "macvlan", "vxlan", "ifb"] {
        ensure!(
            nl_tests::kernel_has_link_kind(kind),
            "probe misses `{kind}`"
        );
    }
    ensure!(
        !nl_tests::kernel_has_link_kind("no-such-kind"),
        "probe invents a kind"
    );
    Ok(())
}

/// A batch whose answers outgrow a default-sized receive buffer
/// (net.core.rmem_max is 212992 on most systems; this machine allows
/// more, so the test shrinks the buffer itself) still gets every answer:
/// chunks are sized to the buffer the kernel granted.
fn batch_fits_small_rcvbuf(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::{LinkSpec, Op, RouteSpec};
    t!(ctx.conn.create_link(&LinkSpec::veth("v0", "v1").up()));
    t!(ctx.conn.set_link("v1", &nl_rustix::LinkSet::new().up()));
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Route));
    t!(rustix::net::sockopt::set_socket_recv_buffer_size(
        &sock, 106_496
    ));
    let granted = t!(sock.recv_buffer_size());
    ensure!(granted <= 212_992, "buffer not shrunk: {granted}");
    let mut conn = t!(nl_rustix::Conn::with_socket(sock));
    let ops: Vec<Op> = (0..1024u32)
        .map(|i| {
            let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
            Op::AddRoute(RouteSpec::new(dst.parse().unwrap()).dev("v0"))
        })
        .collect();
    let results = t!(conn.apply(&ops));
    let failed: Vec<_> = results.iter().filter(|r| r.is_err()).collect();
    ensure!(
        failed.is_empty(),
        "{} of 1024 failed, first: {:?}",
        failed.len(),
        failed.first()
    );
    let routes = t!(ctx.conn.routes(None, nl_rustix::Tables::MAIN));
    ensure_eq!(routes.len(), 1024);
    Ok(())
}

/// `Netns::Current` means the calling thread's namespace: a thread that
/// entered this scenario's namespace opens *it*, not the process's.
fn current_is_thread_netns(ctx: &mut Ctx) -> Result<(), Failed> {
    use std::os::fd::AsFd;
    let ino = |fd: std::os::fd::BorrowedFd<'_>| rustix::fs::fstat(fd).map(|st| st.st_ino);
    let ours = t!(ino(ctx.ns.as_fd()));
    let seen = t!(t!(ctx
        .netns()
        .run(|| Netns::Current.open_file().map(|fd| ino(fd.as_fd())))));
    let seen = t!(seen);
    ensure_eq!(seen, ours, "Current inside the namespace's thread");
    let process = t!(t!(Netns::Pid(std::process::id()).open_file())
        .as_fd()
        .try_clone_to_owned());
    ensure!(
        t!(ino(process.as_fd())) != ours,
        "the process itself is not in the scenario's namespace"
    );
    Ok(())
}

/// A fresh namespace has no IPv4 main table yet; the kernel answers a dump
/// of it with ENOENT, which `routes` turns into the empty list `ip route`
/// shows. Any other table nothing was ever put in lists empty too (issue
/// 8: a never-used table is empty, not an error).
fn empty_main_table(ctx: &mut Ctx) -> Result<(), Failed> {
    let routes = t!(ctx.conn.routes(None, nl_rustix::Tables::MAIN));
    ensure!(routes.is_empty(), "{routes:?}");
    let routes = t!(ctx.conn.routes(None, nl_rustix::Tables::Id(1000)));
    ensure!(routes.is_empty(), "{routes:?}");
    Ok(())
}

/// nfnetlink transport: BATCH_BEGIN, NEWTABLE, BATCH_END sent in one
/// `sendmsg` through `Conn::batch`; every item is Ok once the kernel
/// committed the batch, and the table is then listed.
fn nftables_batch(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::nfnl::nft::{self, Table};
    use nl_proto::nfnl::{NfProto, Subsys, batch};
    use nl_rustix::EncodeFn;
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Netfilter));
    let mut conn = t!(nl_rustix::Conn::with_socket(sock));
    let results = t!(conn.batch([
        (|w| batch::begin_batch(w, Subsys::NFTABLES)) as EncodeFn,
        |w| nft::encode_new_table(w, NfProto::INET, "nl_test"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
    ]));
    ensure_eq!(results.len(), 3);
    for r in &results {
        ensure!(r.is_ok(), "{r:?}");
    }
    let tables = t!(conn.dump_collect(
        |w| nft::encode_dump_tables(w, NfProto::UNSPEC),
        |m| Table::decode(m).map(Some)
    ));
    ensure!(
        tables
            .iter()
            .any(|t| t.name.as_str() == "nl_test" && t.family == NfProto::INET),
        "{tables:?}"
    );
    // Creating it again with EXCL fails that item; the batch is aborted, so
    // the delimiters report that nothing was applied.
    let results = t!(conn.batch([
        (|w| batch::begin_batch(w, Subsys::NFTABLES)) as EncodeFn,
        |w| nft::encode_create_table(w, NfProto::INET, "nl_test"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
    ]));
    for i in [0, 2] {
        ensure!(
            matches!(results[i], Err(Error::BatchAborted { failed: Some(1) })),
            "{results:?}"
        );
    }
    ensure_eq!(
        results[1].as_ref().err().and_then(Error::errno),
        Some(17),
        "{results:?}"
    );
    Ok(())
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
