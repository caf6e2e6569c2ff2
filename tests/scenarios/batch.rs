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
    ]
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
