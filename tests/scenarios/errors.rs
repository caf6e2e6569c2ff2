//! Errors against the kernel: one failure reported one way whichever verb
//! met it, matched by kind (never by text), and refusals that name what
//! was refused and where.

use crate::example::example_bin;
use nl_rustix::reconcile::{Desired, LastApplied};
use nl_rustix::{
    AddrSpec, Conn, Error, ErrorKind, LinkId, LinkRole, LinkSet, LinkSpec, Netns, RouteSpec,
};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::os::unix::fs::MetadataExt;
use std::process::Command;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "errors::unknown_link_is_one_error_from_every_verb",
            needs_kinds: &["macvlan"],
            needs_ip: false,
            run: unknown_link,
        },
        Scenario {
            name: "errors::missing_process_is_esrch_from_every_verb",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: missing_process,
        },
        Scenario {
            name: "errors::namespace_files_named_once_and_checked",
            needs_kinds: &["bridge"],
            needs_ip: false,
            run: namespace_files,
        },
        Scenario {
            name: "errors::eperm_names_the_operation_and_namespace",
            needs_kinds: &["cmd:setpriv"],
            needs_ip: false,
            run: eperm_names_operation,
        },
        Scenario {
            name: "errors::eperm_in_a_reconcile_pass_names_the_step_and_namespace",
            needs_kinds: &["cmd:setpriv"],
            needs_ip: false,
            run: eperm_in_pass,
        },
    ]
}

/// The reconcile example as `nobody` in the scenario's namespace: it can
/// read, the kernel refuses the address it adds with `EPERM`, and the
/// pass's error names the step and the namespace (the pass has no socket
/// of its own to ask).
fn eperm_in_pass(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = nl_tests::example_bin("reconcile")?;
    let inode = t!(std::fs::metadata(ctx.ns.path())).ino();
    let dir = std::env::temp_dir().join(format!("nl-eperm-pass-{}", std::process::id()));
    t!(std::fs::create_dir_all(&dir));
    let desired = dir.join("desired.json");
    t!(std::fs::write(
        &desired,
        r#"{"addresses": [{"dev": "lo", "prefix": "10.0.0.1/24"}]}"#
    ));
    let out = t!(ctx.netns().run(|| {
        Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
            ])
            .arg(&bin)
            .arg(&desired)
            .output()
    }));
    let _ = std::fs::remove_dir_all(&dir);
    let out = t!(out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    ensure_eq!(out.status.code(), Some(1), "{stdout}");
    ensure!(
        stdout.contains(&format!(
            r#"not permitted to add address 10.0.0.1/24 on \"lo\" in network namespace net:[{inode}]; changes there need CAP_NET_ADMIN"#
        )),
        "{stdout}"
    );
    ensure!(
        t!(ctx.conn.addresses_of("lo", None)).is_empty(),
        "lo got an address"
    );
    Ok(())
}

/// `e` is the one "no such interface" error, for `link` in `role`.
fn is_no_such_link(e: &Error, link: &LinkId, role: LinkRole) -> Result<(), Failed> {
    ensure!(
        matches!(e, Error::NoSuchLink { link: l, role: r } if l == link && *r == role),
        "not NoSuchLink {{ {link:?}, {role:?} }}: {e:?}"
    );
    ensure_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    ensure_eq!(e.errno(), Some(19), "{e}");
    Ok(())
}

fn unknown_link(ctx: &mut Ctx) -> Result<(), Failed> {
    let nope = LinkId::from("nope0");
    let c = &mut ctx.conn;
    let prefix = "10.1.0.1/24".parse().map_err(|e| format!("{e}"))?;
    let ip = "10.1.0.2".parse().map_err(|e| format!("{e}"))?;
    let verbs: Vec<(&str, Result<(), Error>)> = vec![
        ("link", c.link("nope0").map(drop)),
        ("link_index", c.link_index("nope0").map(drop)),
        ("link_is_up", c.link_is_up("nope0").map(drop)),
        ("set_link", c.set_link("nope0", &LinkSet::new().up())),
        ("delete_link", c.delete_link("nope0")),
        ("move_link", c.move_link("nope0", &Netns::Current)),
        ("link_stats", c.link_stats("nope0").map(drop)),
        ("addresses_of", c.addresses_of("nope0", None).map(drop)),
        (
            "add_address",
            c.add_address(&AddrSpec::new("nope0", prefix)),
        ),
        ("delete_address", c.delete_address("nope0", prefix)),
        (
            "add_route dev",
            c.add_route(
                &RouteSpec::new("10.3.0.0/24".parse().map_err(|e| format!("{e}"))?).dev("nope0"),
            ),
        ),
        ("add_neighbour", c.add_neighbour("nope0", ip, None)),
        ("delete_neighbour", c.delete_neighbour("nope0", ip)),
        (
            "neighbours",
            c.neighbours(None, Some(nope.clone())).map(drop),
        ),
    ];
    for (verb, result) in verbs {
        let e = result.err().ok_or(format!("{verb} on nope0 succeeded"))?;
        is_no_such_link(&e, &nope, LinkRole::Link).map_err(|m| format!("{verb}: {m}"))?;
        ensure_eq!(
            e.to_string(),
            "netlink ENODEV (19): no such interface \"nope0\"",
            "{verb}"
        );
    }
    // By index, the same error naming the index.
    let e = c.link(9999u32).err().ok_or("index 9999 exists")?;
    is_no_such_link(&e, &LinkId::Index(9999), LinkRole::Link)?;
    ensure_eq!(
        e.to_string(),
        "netlink ENODEV (19): no such interface with index 9999"
    );
    // A missing parent or master: the same variant, its role told.
    let e = c
        .create_link(&LinkSpec::macvlan(
            "mv0",
            "nope0",
            nl_rustix::nl_proto::route::link::MacvlanMode::BRIDGE,
        ))
        .err()
        .ok_or("macvlan on nope0 created")?;
    is_no_such_link(&e, &nope, LinkRole::Parent)?;
    ensure_eq!(
        e.to_string(),
        "netlink ENODEV (19): no such parent interface \"nope0\""
    );
    let e = c
        .create_link(&LinkSpec::bridge("br0").master("nope0"))
        .err()
        .ok_or("bridge with master nope0 created")?;
    is_no_such_link(&e, &nope, LinkRole::Master)?;
    // The reconciler's plan names it the same way.
    let mut desired = Desired::new();
    desired.addresses.push(AddrSpec::new("nope0", prefix));
    let e = c
        .plan_reconcile(&desired, &LastApplied::new())
        .err()
        .ok_or("a plan for nope0")?;
    is_no_such_link(&e, &nope, LinkRole::Link)?;
    // And `?` into an `io::Result` keeps the kind.
    ensure_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::NotFound);
    Ok(())
}

/// Highest pid the kernel allows is below 2^22, so this one cannot exist.
const NO_PID: u32 = 4_194_304 + 7;

fn missing_process(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("v0", "v1")));
    let gone = Netns::Pid(NO_PID);
    let c = &mut ctx.conn;
    let verbs: Vec<(&str, Result<(), Error>)> = vec![
        ("Conn::open_in", Conn::open_in(&gone).map(drop)),
        ("Netns::open_file", gone.open_file().map(drop)),
        ("Netns::run", gone.run(|| ())),
        ("move_link", c.move_link("v0", &gone)),
        (
            "create_link netns",
            c.create_link(&LinkSpec::bridge("br0").netns(gone.clone())),
        ),
        (
            "create_link peer_netns",
            c.create_link(&LinkSpec::veth("v2", "v3").peer_netns(gone.clone())),
        ),
    ];
    for (verb, result) in verbs {
        let e = result
            .err()
            .ok_or(format!("{verb} with pid {NO_PID} succeeded"))?;
        ensure_eq!(e.errno(), Some(3), "{verb}: {e}");
        ensure_eq!(e.kind(), ErrorKind::NotFound, "{verb}: {e}");
        ensure_eq!(
            e.to_string(),
            format!("no such process {NO_PID}: ESRCH (3): no such process"),
            "{verb}"
        );
    }
    let names: Vec<String> = t!(ctx.conn.links())
        .iter()
        .map(|l| l.name.as_str().to_string())
        .collect();
    ensure!(
        !names
            .iter()
            .any(|n| ["br0", "v2", "v3"].contains(&n.as_str())),
        "something was created: {names:?}"
    );
    Ok(())
}

fn namespace_files(ctx: &mut Ctx) -> Result<(), Failed> {
    // A missing file or name: its path once.
    let path = "/run/netns/nl-test-does-not-exist";
    let e = Netns::Path(path.into())
        .open_file()
        .err()
        .ok_or("a missing file opened")?;
    ensure_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    ensure_eq!(e.to_string().matches(path).count(), 1, "{e}");
    ensure_eq!(
        e.to_string(),
        format!("no such namespace file {path}: ENOENT (2): no such file or directory")
    );
    let e = Netns::Named("nl-test-does-not-exist".into())
        .open_file()
        .err()
        .ok_or("a missing name opened")?;
    ensure_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    ensure_eq!(e.to_string().matches(path).count(), 1, "{e}");
    // A file that is not a namespace, or a namespace of another type,
    // says so, from every verb that takes a namespace.
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    for (file, why) in [
        (
            "/etc/hostname",
            "is not a network namespace (not a namespace file)",
        ),
        (
            "/proc/self/ns/uts",
            "is a namespace, but not a network namespace",
        ),
    ] {
        let ns = Netns::Path(file.into());
        let results = [
            ("Conn::open_in", Conn::open_in(&ns).map(drop)),
            ("move_link", ctx.conn.move_link("br0", &ns)),
            (
                "create_link netns",
                ctx.conn
                    .create_link(&LinkSpec::bridge("br1").netns(ns.clone())),
            ),
        ];
        for (verb, result) in results {
            let e = result
                .err()
                .ok_or(format!("{verb} into {file} succeeded"))?;
            ensure_eq!(e.kind(), ErrorKind::Invalid, "{verb}: {e}");
            ensure_eq!(e.errno(), Some(22), "{verb}: {e}");
            ensure_eq!(
                e.to_string(),
                format!("namespace file {file} {why}: EINVAL (22): invalid argument"),
                "{verb}"
            );
        }
    }
    ensure!(t!(ctx.conn.link("br0")).index > 0, "br0 stays where it was");
    Ok(())
}

/// The ip example, run as `nobody` without capabilities inside the
/// scenario's namespace: the kernel refuses its changes with `EPERM`,
/// and the error names the change and the namespace (by inode).
fn eperm_names_operation(ctx: &mut Ctx) -> Result<(), Failed> {
    let bin = example_bin()?;
    let inode = t!(std::fs::metadata(ctx.ns.path())).ino();
    let run = |args: &[&str]| -> Result<String, Failed> {
        let out = t!(ctx.netns().run(|| {
            Command::new("setpriv")
                .args([
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--bounding-set=-all",
                ])
                .arg(&bin)
                .args(args)
                .output()
        }));
        let out = t!(out);
        ensure!(!out.status.success(), "{args:?} succeeded as nobody");
        Ok(String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let stderr = run(&["link", "add", "br9", "type", "bridge"])?;
    ensure_eq!(
        stderr,
        format!(
            "RTNETLINK answers: Operation not permitted\n  netlink EPERM (1): not permitted to \
             create link \"br9\" in network namespace net:[{inode}]; changes there need \
             CAP_NET_ADMIN\n"
        )
    );
    let stderr = run(&["addr", "add", "10.0.0.1/24", "dev", "lo"])?;
    ensure_eq!(
        stderr,
        format!(
            "RTNETLINK answers: Operation not permitted\n  netlink EPERM (1): not permitted to \
             add address 10.0.0.1/24 on \"lo\" in network namespace net:[{inode}]; changes \
             there need CAP_NET_ADMIN\n"
        )
    );
    // Nothing changed.
    ensure!(
        ctx.conn
            .link("br9")
            .is_err_and(|e| e.kind() == ErrorKind::NotFound),
        "br9 exists"
    );
    ensure!(
        t!(ctx.conn.addresses_of("lo", None)).is_empty(),
        "lo got an address"
    );
    Ok(())
}
