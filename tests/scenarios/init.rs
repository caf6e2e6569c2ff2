//! The `init` example: a small system's network bring-up, from a config
//! file and a kernel command line, in a private namespace.

use nl_proto::route::AddrFamily;
use nl_rustix::Tables;
use nl_tests::{Ctx, Failed, Scenario, ensure_eq, example_bin};
use std::process::{Command, Output};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "init::brings_up_links_addresses_and_routes",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: brings_up,
        },
        Scenario {
            name: "init::bad_config_changes_nothing",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: bad_config,
        },
    ]
}

fn init(ctx: &Ctx, files: &[(&str, &str)], args: &[&str]) -> Result<Output, Failed> {
    let dir = std::env::temp_dir().join(format!(
        "nl-init-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
    }
    let out = Command::new(example_bin("init")?)
        .current_dir(&dir)
        .arg("-n")
        .arg(ctx.ns.path())
        .args(args)
        .output()
        .map_err(|e| format!("run init: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn setup(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.conn
        .create_link(&nl_rustix::LinkSpec::veth("v0", "v1"))
        .map_err(|e| e.to_string())
}

fn brings_up(ctx: &mut Ctx) -> Result<(), Failed> {
    setup(ctx)?;
    let conf = "link v0 up mtu 1400\naddr v0 10.0.0.2/24\naddr v0 fd00::2/64\n\
                route 10.1.0.0/16 via 10.0.0.254 metric 10\n\
                route 10.2.0.0/16 via 10.9.9.9 # unreachable: this step fails\n";
    let cmdline = "console=ttyS0 ip=10.5.0.2::10.5.0.1:255.255.0.0:box:v1:off quiet";
    let args = ["--cmdline", "cmdline", "net.conf"];
    let out = init(ctx, &[("net.conf", conf), ("cmdline", cmdline)], &args)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One failed step: exit 1, and every other step still done.
    ensure_eq!(out.status.code(), Some(1), "{stderr}");
    let failed: Vec<&str> = stderr.lines().filter(|l| !l.ends_with(": ok")).collect();
    ensure_eq!(failed.len(), 1, "{stderr}");
    if !failed[0].starts_with("init: route 10.2.0.0/16 via 10.9.9.9: netlink ENETUNREACH") {
        return Err(format!("unexpected failure line: {}", failed[0]));
    }
    let c = &mut ctx.conn;
    for (link, mtu) in [("v0", 1400), ("v1", 1500)] {
        let l = c.link(link).map_err(|e| e.to_string())?;
        ensure_eq!(
            c.link_is_up(link).map_err(|e| e.to_string())?,
            true,
            "{link} up"
        );
        ensure_eq!(l.mtu, Some(mtu), "{link} mtu");
    }
    let mut addrs: Vec<String> = c
        .addresses(None)
        .map_err(|e| e.to_string())?
        .iter()
        .filter(|a| a.scope == nl_proto::route::addr::Scope::UNIVERSE)
        .map(|a| format!("{}/{}", a.local, a.prefix_len))
        .collect();
    addrs.sort();
    ensure_eq!(addrs, ["10.0.0.2/24", "10.5.0.2/16", "fd00::2/64"]);
    let routes = c
        .routes(Some(AddrFamily::INET), Tables::MAIN)
        .map_err(|e| e.to_string())?;
    let gw = |dst: &str| {
        routes
            .iter()
            .find(|r| r.dst.to_string() == dst)
            .map(|r| (r.gateway, r.priority))
    };
    ensure_eq!(
        gw("0.0.0.0/0"),
        Some((Some("10.5.0.1".parse().unwrap()), None))
    );
    ensure_eq!(
        gw("10.1.0.0/16"),
        Some((Some("10.0.0.254".parse().unwrap()), Some(10)))
    );
    ensure_eq!(gw("10.2.0.0/16"), None);
    // A second run changes nothing and fails the same one step only.
    let again = init(ctx, &[("net.conf", conf), ("cmdline", cmdline)], &args)?;
    ensure_eq!(again.status.code(), Some(1));
    ensure_eq!(String::from_utf8_lossy(&again.stderr), stderr);
    Ok(())
}

fn bad_config(ctx: &mut Ctx) -> Result<(), Failed> {
    setup(ctx)?;
    // The second line is bad: the first must not have run either.
    let out = init(
        ctx,
        &[
            ("net.conf", "link v0 up\nroute 10.1.0.1/16 dev v0\n"),
            ("cmdline", ""),
        ],
        &["--cmdline", "cmdline", "net.conf"],
    )?;
    ensure_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure_eq!(
        stderr.lines().next(),
        Some(
            "init: net.conf:2: destination 10.1.0.1/16 has host bits set (did you mean 10.1.0.0/16?)"
        )
    );
    ensure_eq!(ctx.conn.link_is_up("v0").map_err(|e| e.to_string())?, false);
    ensure_eq!(
        ctx.conn.link_is_up("lo").map_err(|e| e.to_string())?,
        false,
        "lo untouched: nothing ran"
    );
    Ok(())
}
