//! Batches: `Conn::apply` with hundreds of operations and deliberate
//! failures in the middle, and the example's `-batch`.

use crate::addrs::{ip, js, net, veth};
use crate::example::{example_bin, run_example};
use nl_proto::route::route::Route;
use nl_rustix::{AddrSpec, Op, RouteSpec, RuleSpec, Tables};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "batch::apply_500_routes_two_bad",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: apply_500,
        },
        Scenario {
            name: "batch::apply_mixed_objects",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: mixed,
        },
        Scenario {
            name: "batch::example_batch_file_reports_each_failure",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: example_batch,
        },
        Scenario {
            name: "batch::nft_10_tables_in_one_transaction",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 10, false),
        },
        Scenario {
            name: "batch::nft_1100_tables_in_one_transaction",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 1100, false),
        },
        Scenario {
            name: "batch::nft_10000_tables_in_one_transaction",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 10_000, false),
        },
        Scenario {
            name: "batch::nft_10_tables_bad_last_applies_nothing",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 10, true),
        },
        Scenario {
            name: "batch::nft_1100_tables_bad_last_applies_nothing",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 1100, true),
        },
        Scenario {
            name: "batch::nft_10000_tables_bad_last_applies_nothing",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| nft_tables(ctx, 10_000, true),
        },
        Scenario {
            name: "batch::nft_two_transactions_in_one_call",
            needs_kinds: &[],
            needs_ip: false,
            run: nft_two_transactions,
        },
        Scenario {
            name: "batch::nft_stale_genid_fails_with_erestart",
            needs_kinds: &[],
            needs_ip: false,
            run: nft_stale_genid,
        },
        Scenario {
            name: "batch::nft_10000_failing_deletes_then_an_apply_succeeds",
            needs_kinds: &[],
            needs_ip: false,
            run: nft_failing_then_apply,
        },
        Scenario {
            name: "batch::overflow_is_outcome_unknown_and_the_conn_recovers",
            needs_kinds: &[],
            needs_ip: false,
            run: overflow_recovers,
        },
        Scenario {
            name: "batch::nft_broken_batches_are_not_sent_and_the_rest_goes",
            needs_kinds: &[],
            needs_ip: false,
            run: nft_broken_batches,
        },
        Scenario {
            name: "batch::max_in_flight_gets_lose_no_answer",
            needs_kinds: &["bridge"],
            needs_ip: false,
            run: max_in_flight_gets,
        },
    ]
}

/// A netfilter connection in the scenario's namespace. The timeout is short
/// so that a batch the driver waits on forever fails the scenario fast.
fn nft_conn(ctx: &Ctx) -> Result<nl_rustix::Conn, Failed> {
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Netfilter));
    let mut conn = t!(nl_rustix::Conn::with_socket(sock));
    t!(conn.set_timeout(Some(std::time::Duration::from_secs(2))));
    Ok(conn)
}

/// The names of the `inet` tables the kernel lists.
fn nft_table_names(conn: &mut nl_rustix::Conn) -> Result<Vec<String>, Failed> {
    use nl_proto::nfnl::NfProto;
    use nl_proto::nfnl::nft::{self, Table};
    let tables = t!(conn.dump_collect(
        |w| nft::encode_dump_tables(w, NfProto::INET),
        |m| Table::decode(m).map(Some)
    ));
    Ok(tables.into_iter().map(|t| t.name.to_string()).collect())
}

/// One nf_tables item of a `Conn::batch` call.
#[derive(Clone)]
enum NftItem {
    Begin,
    Table(u32),
    DelMissing,
    End,
}

fn nft_encode(item: NftItem) -> impl nl_rustix::Encode + Clone {
    use nl_proto::nfnl::nft;
    use nl_proto::nfnl::{NfProto, Subsys, batch};
    nl_rustix::encoder(move |w| match &item {
        NftItem::Begin => batch::begin_batch(w, Subsys::NFTABLES),
        NftItem::Table(i) => nft::encode_new_table(w, NfProto::INET, &format!("t{i}")),
        NftItem::DelMissing => nft::encode_del_table(w, NfProto::INET, "no_such_table"),
        NftItem::End => batch::end_batch(w, Subsys::NFTABLES),
    })
}

/// `n` NEWTABLEs between one BEGIN and one END, sent with `Conn::batch`:
/// the batch is one transaction whatever its size. Without `bad_last`,
/// every result is Ok and the kernel lists every table; with a DELTABLE of
/// a missing table at the end, that item fails with ENOENT, no other item
/// reports Ok, and no table exists.
fn nft_tables(ctx: &mut Ctx, n: u32, bad_last: bool) -> Result<(), Failed> {
    let mut conn = nft_conn(ctx)?;
    let mut items = vec![NftItem::Begin];
    items.extend((0..n).map(NftItem::Table));
    if bad_last {
        items.push(NftItem::DelMissing);
    }
    items.push(NftItem::End);
    let total = items.len();
    let results = t!(conn.batch(items.into_iter().map(nft_encode)));
    ensure_eq!(results.len(), total);
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let listed = nft_table_names(&mut conn)?;
    if !bad_last {
        let first_err = results.iter().position(Result::is_err);
        ensure!(
            ok == total,
            "{ok} of {total} Ok, {} of {n} listed, first failure: {:?}",
            listed.len(),
            first_err.map(|i| (i, &results[i]))
        );
        ensure_eq!(listed.len(), n as usize, "every table is listed");
        let mut want: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
        let mut got = listed;
        want.sort();
        got.sort();
        ensure!(want == got, "listed names differ");
    } else {
        let bad = &results[total - 2];
        ensure_eq!(
            bad.as_ref().err().and_then(nl_rustix::Error::errno),
            Some(2),
            "the bad item fails with ENOENT: {bad:?}"
        );
        ensure_eq!(ok, 0, "an aborted batch reports nothing Ok");
        ensure!(listed.is_empty(), "{} tables exist", listed.len());
    }
    Ok(())
}

/// Two transactions in one `Conn::batch` call: each goes in a datagram of
/// its own (nfnetlink ignores whatever follows a BATCH_END in a datagram),
/// and the second sees the first's table.
fn nft_two_transactions(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = nft_conn(ctx)?;
    let items = [
        NftItem::Begin,
        NftItem::Table(1),
        NftItem::End,
        NftItem::Begin,
        NftItem::Table(2),
        NftItem::End,
    ];
    let results = t!(conn.batch(items.into_iter().map(nft_encode)));
    ensure!(results.iter().all(Result::is_ok), "{results:?}");
    let mut listed = nft_table_names(&mut conn)?;
    listed.sort();
    ensure_eq!(listed, vec!["t1".to_string(), "t2".to_string()]);
    Ok(())
}

/// A batch whose BATCH_BEGIN carries a generation id that is not the
/// ruleset's: the kernel answers ERESTART against BEGIN and processes
/// nothing. Every item of the batch fails with it, promptly (the
/// connection's 2 s timeout would turn a wait into ETIMEDOUT), and no
/// table exists.
fn nft_stale_genid(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::nfnl::nft;
    use nl_proto::nfnl::{NfProto, Subsys, batch};
    use nl_rustix::EncodeFn;
    let mut conn = nft_conn(ctx)?;
    let results = t!(conn.batch([
        (|w| batch::begin_batch_genid(w, Subsys::NFTABLES, 0xdead_beef)) as EncodeFn,
        |w| nft::encode_new_table(w, NfProto::INET, "genid_t"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
    ]));
    ensure_eq!(results.len(), 3);
    for r in &results {
        ensure_eq!(
            r.as_ref().err().and_then(nl_rustix::Error::errno),
            Some(85),
            "{r:?}"
        );
    }
    let shown = results[1].as_ref().err().map(ToString::to_string);
    ensure!(
        shown
            .as_deref()
            .is_some_and(|s| s.starts_with("netlink ERESTART (85): ")),
        "{shown:?}"
    );
    ensure!(nft_table_names(&mut conn)?.is_empty(), "nothing applied");
    Ok(())
}

/// Review C3 and m5: an nf_tables transaction of 10,000 deletes of missing
/// tables makes the kernel answer 10,000 errors, more than a default
/// receive buffer holds. The apply fails with the kernel's own error (the
/// first command's ENOENT, with its index), and the same connection then
/// applies a table at once (its 2 s timeout would make a lost answer
/// ETIMEDOUT) that the kernel lists.
fn nft_failing_then_apply(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::nft::{self, Cmd};
    use nl_rustix::nl_proto::nfnl::NfProto;
    let mut conn = nft_conn(ctx)?;
    let missing: Vec<Cmd> = (0..10_000)
        .map(|i| Cmd::DeleteTable {
            family: NfProto::INET,
            name: format!("missing{i}"),
        })
        .collect();
    let err = match nft::apply(&mut conn, &missing) {
        Ok(()) => return Err("deleting missing tables succeeded".into()),
        Err(e) => e,
    };
    ensure_eq!(err.errno(), Some(2), "the kernel's reason is kept: {err}");
    ensure!(
        err.to_string().contains("command 1 of 10000:"),
        "names the first command: {err}"
    );
    t!(nft::apply(
        &mut conn,
        &[Cmd::AddTable {
            family: NfProto::INET,
            name: "good".into(),
        }]
    ));
    ensure_eq!(nft_table_names(&mut conn)?, vec!["good".to_string()]);
    Ok(())
}

/// Batches `Conn::batch` cannot send whole are not sent at all, and the
/// requests around them go on: one with a request that fails to encode
/// (that request has its error, the others of its batch name it in
/// `BatchAborted`), and one that never ends (each of its requests
/// `Invalid`). A transaction between them commits.
fn nft_broken_batches(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::nfnl::nft;
    use nl_proto::nfnl::{NfProto, Subsys, batch};
    use nl_rustix::{EncodeFn, Error};
    let mut conn = nft_conn(ctx)?;
    let results = t!(conn.batch([
        (|w| batch::begin_batch(w, Subsys::NFTABLES)) as EncodeFn,
        |w| nft::encode_new_table(w, NfProto::INET, "never_a"),
        |w| nft::encode_new_table(w, NfProto::INET, &"x".repeat(300)),
        |w| batch::end_batch(w, Subsys::NFTABLES),
        |w| batch::begin_batch(w, Subsys::NFTABLES),
        |w| nft::encode_new_table(w, NfProto::INET, "good"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
        |w| batch::begin_batch(w, Subsys::NFTABLES),
        |w| nft::encode_new_table(w, NfProto::INET, "never_b"),
    ]));
    ensure_eq!(results.len(), 9);
    let encode_failed = results[2].as_ref().err();
    ensure!(
        matches!(encode_failed, Some(Error::Invalid(_) | Error::Encode(_))),
        "the oversized name fails to encode: {encode_failed:?}"
    );
    for i in [0, 1, 3] {
        ensure!(
            matches!(results[i], Err(Error::BatchAborted { failed: Some(2) })),
            "request {i}: {:?}",
            results[i]
        );
    }
    for (i, r) in results.iter().enumerate().skip(4) {
        if i < 7 {
            ensure!(r.is_ok(), "request {i}: {r:?}");
        } else {
            ensure!(
                matches!(r, Err(Error::Invalid(m)) if m.contains("never ends")),
                "request {i}: {r:?}"
            );
        }
    }
    ensure_eq!(nft_table_names(&mut conn)?, vec!["good".to_string()]);
    Ok(())
}

/// With the smallest receive buffer the kernel grants, a GET's reply fits
/// but its ack is dropped (`ENOBUFS`). The blocking one-request path
/// reports the overflow and empties the queue; `Conn::batch`
/// resynchronises and names each request whose answer was lost
/// ([`nl_rustix::Error::OutcomeUnknown`]), never a timeout. With the
/// buffer back, the same connection answers both ways again.
fn overflow_recovers(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::route::link::{self, LinkRef};
    use nl_rustix::Error;
    let get = |i: u32| nl_rustix::encoder(move |w| link::encode_get(w, LinkRef::Index(i)));
    let mut conn = t!(nl_rustix::Conn::open_in(&ctx.netns()));
    t!(conn.set_timeout(Some(std::time::Duration::from_secs(2))));
    let normal = t!(conn.socket().recv_buffer_size());
    t!(rustix::net::sockopt::set_socket_recv_buffer_size(
        conn.socket(),
        1
    ));
    match conn.link("lo") {
        Err(e @ Error::Overflow { .. }) => ensure_eq!(e.errno(), Some(105)),
        other => return Err(format!("one GET with no room for its ack: {other:?}")),
    }
    let results = t!(conn.batch((0..20).map(|_| get(1))));
    ensure_eq!(results.len(), 20);
    let mut lost = 0;
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(()) => {}
            Err(Error::OutcomeUnknown { request }) => {
                ensure_eq!(*request, i as u64, "names its request");
                lost += 1;
            }
            Err(e) => return Err(format!("request {i}: {e}")),
        }
    }
    ensure!(
        lost > 0,
        "nothing was lost with a {normal}-byte buffer gone"
    );
    t!(conn.socket().set_recv_buffer_size(normal / 2));
    t!(conn.link("lo"));
    let results = t!(conn.batch((0..20).map(|_| get(1))));
    ensure!(results.iter().all(Result::is_ok), "{results:?}");
    Ok(())
}

/// Review M4: MAX_IN_FLIGHT GETs in one `Conn::batch`, of `lo` and of a
/// bridge. Each answer is a reply plus an ack, about 3 KiB of receive
/// buffer for `lo` and 5 KiB for a bridge; chunks are budgeted for that,
/// so no answer is dropped (ENOBUFS) and every GET succeeds.
fn max_in_flight_gets(ctx: &mut Ctx) -> Result<(), Failed> {
    use nl_proto::route::link::{self, LinkRef};
    t!(ctx.conn.create_link(&nl_rustix::LinkSpec::bridge("br0")));
    let br0 = t!(ctx.conn.link_index("br0"));
    let n = nl_rustix::MAX_IN_FLIGHT;
    for index in [1, br0] {
        let results = t!(ctx.conn.batch(
            (0..n).map(|_| nl_rustix::encoder(move |w| link::encode_get(w, LinkRef::Index(index))))
        ));
        ensure_eq!(results.len(), n);
        let failed = results.iter().filter(|r| r.is_err()).count();
        ensure_eq!(
            failed,
            0,
            "ifindex {index}, first: {:?}",
            results.iter().find(|r| r.is_err())
        );
    }
    Ok(())
}

fn in_test_range(r: &Route) -> bool {
    r.dst.prefix_len() == 24 && net("10.100.0.0/14").contains(&r.dst)
}

fn apply_500(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let dst = |i: u32| net(&format!("10.{}.{}.0/24", 100 + i / 256, i % 256));
    let mut ops: Vec<Op> = (0..500u32)
        .map(|i| Op::AddRoute(RouteSpec::new(dst(i)).dev("v0")))
        .collect();
    // A duplicate of op 100, and a missing device.
    ops[200] = Op::AddRoute(RouteSpec::new(dst(100)).dev("v0"));
    ops[300] = Op::AddRoute(RouteSpec::new(dst(300)).dev("nope0"));
    let results = t!(ctx.conn.apply(&ops));
    ensure_eq!(results.len(), 500);
    for (i, r) in results.iter().enumerate() {
        match (i, r) {
            (200, Err(e)) => {
                ensure_eq!(e.errno(), Some(17), "{e}");
                ensure_eq!(
                    e.to_string(),
                    "netlink EEXIST (17): route to 10.100.100.0/24 already exists"
                );
            }
            (300, Err(e)) => {
                ensure_eq!(e.errno(), Some(19), "{e}");
                ensure_eq!(
                    e.to_string(),
                    "netlink ENODEV (19): no such interface \"nope0\""
                );
            }
            (200 | 300, Ok(())) => return Err(format!("op {i} should have failed")),
            (_, Err(e)) => return Err(format!("op {i} failed: {e}")),
            (_, Ok(())) => {}
        }
    }
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(main.iter().filter(|r| in_test_range(r)).count(), 498);
    let j = ctx.ip_json(&["route", "show", "dev", "v0"])?;
    ensure_eq!(j.as_array().map(Vec::len), Some(498), "ip agrees");
    // And deleting them all in one batch.
    let del: Vec<Op> = main
        .iter()
        .filter(|r| in_test_range(r))
        .map(|r| Op::DeleteRoute(RouteSpec::new(r.dst).dev("v0")))
        .collect();
    let results = t!(ctx.conn.apply(&del));
    ensure!(results.iter().all(Result::is_ok), "deletes: {results:?}");
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure_eq!(main.iter().filter(|r| in_test_range(r)).count(), 0);
    Ok(())
}

fn mixed(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let ops = vec![
        Op::AddAddress(AddrSpec::new("v0", net("10.0.0.1/24"))),
        Op::AddAddress(AddrSpec::new("v0", net("2001:db8::1/64")).nodad()),
        Op::AddRoute(RouteSpec::new(net("10.9.0.0/24")).via(ip("10.0.0.2"))),
        Op::ReplaceRoute(RouteSpec::default_v6().via(ip("2001:db8::2")).dev("v0")),
        Op::AddNeighbour(
            "v0".into(),
            ip("10.0.0.2"),
            Some("02:00:00:00:00:02".parse().unwrap()),
        ),
        Op::AddRule(
            RuleSpec::new()
                .from(net("10.0.0.0/24"))
                .table(100)
                .priority(1000),
        ),
        Op::DeleteAddress("v0".into(), net("10.0.0.99/24")),
        Op::DeleteNeighbour("v0".into(), ip("10.0.0.77")),
        Op::DeleteRule(RuleSpec::new().priority(4444)),
    ];
    let results = t!(ctx.conn.apply(&ops));
    let errnos: Vec<Option<i32>> = results
        .iter()
        .map(|r| r.as_ref().err().and_then(nl_rustix::Error::errno))
        .collect();
    ensure_eq!(
        errnos,
        vec![
            None,
            None,
            None,
            None,
            None,
            None,
            Some(99),
            Some(2),
            Some(2)
        ]
    );
    let j = ctx.ip_json(&["route", "show"])?;
    ensure!(
        j.as_array()
            .is_some_and(|a| a.iter().any(|r| js(r, "dst") == Some("10.9.0.0/24"))),
        "{j}"
    );
    let j = ctx.ip_json(&["-6", "route", "show"])?;
    ensure!(
        j.as_array()
            .is_some_and(|a| a.iter().any(|r| js(r, "dst") == Some("default"))),
        "{j}"
    );
    let j = ctx.ip_json(&["neigh"])?;
    ensure!(
        j.as_array()
            .is_some_and(|a| a.iter().any(|r| js(r, "dst") == Some("10.0.0.2"))),
        "{j}"
    );
    ensure_eq!(t!(ctx.conn.rules(None)).len(), 4);
    Ok(())
}

fn example_batch(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let bin = example_bin()?;
    let dir = std::env::temp_dir().join(format!("nl-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("ok.batch");
    let ok = "\
# a comment, then a blank line

addr add 10.0.0.1/24 dev v0
a add 2001:db8::1/64 dev v0 nodad
route add 10.9.0.0/24 via 10.0.0.2
r add blackhole 10.7.0.0/16
route show
neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
ru add from 10.0.0.0/24 lookup 100 pref 1000
rule show
";
    std::fs::write(&file, ok).map_err(|e| e.to_string())?;
    let out = run_example(
        &bin,
        &ctx.ns,
        &["-batch", file.to_str().unwrap_or_default()],
    )?;
    ensure!(out.status.success(), "ok batch: {out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    ensure!(
        stdout.contains("10.9.0.0/24 via 10.0.0.2 dev v0")
            && stdout.contains("blackhole 10.7.0.0/16")
            && stdout.contains("1000:\tfrom 10.0.0.0/24 lookup 100"),
        "show lines ran in order after the mutations: {stdout}"
    );

    // Failures: a duplicate, a missing device and an unknown command, with
    // good lines around them; with -force every line runs until the
    // unknown command, which ends the run with 255 as in iproute2.
    let bad = "\
route add 10.1.0.0/24 dev v0
route add 10.9.0.0/24 via 10.0.0.2
route add 10.2.0.0/24 dev nope0
route add 10.3.0.0/24 dev v0
route frobnicate
route add 10.4.0.0/24 dev v0
";
    let file = dir.join("bad.batch");
    std::fs::write(&file, bad).map_err(|e| e.to_string())?;
    let name = file.to_str().unwrap_or_default();
    let out = run_example(&bin, &ctx.ns, &["-force", "-batch", name])?;
    ensure_eq!(out.status.code(), Some(255), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expect = format!(
        "RTNETLINK answers: File exists\n  \
         netlink EEXIST (17): route to 10.9.0.0/24 already exists\n\
         Command failed {name}:2\n\
         Cannot find device \"nope0\"\n  \
         netlink ENODEV (19): no such interface \"nope0\"\n\
         Command failed {name}:3\n\
         Command \"frobnicate\" is unknown, try \"ip route help\".\n"
    );
    ensure_eq!(stderr, expect);
    let routes = ctx.ip_json(&["route", "show"])?;
    let has = |d: &str| {
        routes
            .as_array()
            .is_some_and(|a| a.iter().any(|r| js(r, "dst") == Some(d)))
    };
    for d in ["10.1.0.0/24", "10.3.0.0/24"] {
        ensure!(has(d), "{d} missing: {routes}");
    }
    ensure!(
        !has("10.4.0.0/24"),
        "ran past the unknown command: {routes}"
    );

    // Without -force: line by line, stop at the first failure.
    let stop = "\
route add 10.5.0.0/24 dev v0
route add 10.5.0.0/24 dev v0
route add 10.6.0.0/24 dev v0
route show
route add 10.8.0.0/24 dev v0
";
    let out = run_example_stdin(&bin, ctx, stop)?;
    ensure_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(
        stderr.starts_with(
            "RTNETLINK answers: File exists\n  netlink EEXIST (17): route to 10.5.0.0/24 already exists\nCommand failed -:2\n"
        ),
        "{stderr}"
    );
    let main = t!(ctx.conn.routes(None, Tables::MAIN));
    ensure!(main.iter().any(|r| r.dst == net("10.5.0.0/24")), "line 1");
    for after in ["10.6.0.0/24", "10.8.0.0/24"] {
        ensure!(
            !main.iter().any(|r| r.dst == net(after)),
            "{after}: applied after the failing line"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn run_example_stdin(
    bin: &std::path::Path,
    ctx: &Ctx,
    input: &str,
) -> Result<std::process::Output, Failed> {
    use std::io::Write;
    let mut child = std::process::Command::new(bin)
        .arg("-n")
        .arg(ctx.ns.path())
        .args(["-batch", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("run {}: {e}", bin.display()))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.as_bytes())
        .map_err(|e| e.to_string())?;
    child.wait_with_output().map_err(|e| e.to_string())
}
