//! Generic netlink families resolved through the driver, cross-checked
//! with iproute2's `genl ctrl get name NAME` on the same kernel.

use crate::addrs::expect_err;
use nl_proto::genl::ctrl::{CtrlCmd, OpFlags};
use nl_proto::genl::ethtool::{Duplex, Port};
use nl_proto::genl::mptcp::PmCmd;
use nl_rustix::{Conn, Error, LinkId};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, run_in, t};
use std::sync::Arc;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "genl::resolves_families_like_genl_ctrl",
            needs_kinds: &[],
            needs_ip: true,
            run: resolves_like_genl,
        },
        Scenario {
            name: "genl::missing_family_and_group",
            needs_kinds: &[],
            needs_ip: false,
            run: missing,
        },
        Scenario {
            name: "genl::cached_per_connection",
            needs_kinds: &[],
            needs_ip: false,
            run: cached,
        },
        Scenario {
            name: "genl::ethtool_link_modes_and_info_of_a_veth",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: ethtool_veth,
        },
    ]
}

/// What `genl ctrl get name NAME` prints about a family: id, version,
/// command ids, and multicast groups (name, id).
#[derive(Debug, Default, PartialEq)]
struct GenlView {
    id: u16,
    version: u32,
    cmds: Vec<u8>,
    groups: Vec<(String, u32)>,
}

fn hex<T: TryFrom<u64>>(s: &str) -> Option<T> {
    u64::from_str_radix(s.trim().trim_start_matches("0x"), 16)
        .ok()
        .and_then(|v| T::try_from(v).ok())
}

/// Parse `genl ctrl get` output:
/// `ID: 0x1c  Version: 0x1 …`, then `#1:  ID-0x1` per command and
/// `#1:  ID-0x8  name: mptcp_pm_cmds` per group.
fn parse_genl(out: &str) -> Result<GenlView, Failed> {
    let mut v = GenlView::default();
    let mut in_groups = false;
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["ID:", id, "Version:", ver, ..] => {
                v.id = hex(id).ok_or_else(|| format!("bad id in {line:?}"))?;
                v.version = hex(ver).ok_or_else(|| format!("bad version in {line:?}"))?;
            }
            ["multicast", "groups:"] => in_groups = true,
            [_, id, rest @ ..] if id.starts_with("ID-") => {
                let n: u64 = hex(&id[3..]).ok_or_else(|| format!("bad id in {line:?}"))?;
                if in_groups {
                    let name = rest
                        .iter()
                        .skip_while(|w| **w != "name:")
                        .nth(1)
                        .ok_or_else(|| format!("no group name in {line:?}"))?;
                    v.groups.push((name.to_string(), n as u32));
                } else {
                    v.cmds.push(n as u8);
                }
            }
            _ => {}
        }
    }
    Ok(v)
}

fn view_of(f: &nl_proto::genl::ctrl::Family) -> GenlView {
    GenlView {
        id: f.id.get(),
        version: f.version,
        cmds: f.ops.iter().map(|o| o.cmd).collect(),
        groups: f
            .mcast_groups
            .iter()
            .map(|g| (g.name.to_string(), g.id))
            .collect(),
    }
}

fn resolves_like_genl(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    for name in ["nlctrl", "mptcp_pm", "ethtool"] {
        let family = t!(conn.genl_family(name));
        ensure_eq!(family.name.as_str(), name);
        let genl = run_in(&ctx.netns(), "genl", &["ctrl", "get", "name", name])?;
        ensure_eq!(view_of(&family), parse_genl(&genl)?, "{name} vs genl ctrl");
    }
    // Known facts of each family, beyond what genl prints.
    let nlctrl = t!(conn.genl_family("nlctrl"));
    ensure_eq!(nlctrl.id.get(), 0x10);
    let getfamily = nlctrl.op(CtrlCmd::GETFAMILY.0).ok_or("no GETFAMILY op")?;
    ensure!(
        getfamily
            .flags
            .contains(OpFlags::CAP_DO | OpFlags::CAP_DUMP),
        "{getfamily:?}"
    );
    let mptcp = t!(conn.genl_family("mptcp_pm"));
    ensure_eq!(mptcp.version, 1);
    let get_addr = mptcp.op(PmCmd::GET_ADDR.0).ok_or("no GET_ADDR op")?;
    ensure!(get_addr.flags.contains(OpFlags::CAP_DUMP), "{get_addr:?}");
    let events = t!(conn.genl_group("mptcp_pm", "mptcp_pm_events"));
    ensure_eq!(Some(events), mptcp.group("mptcp_pm_events"));
    let ethtool = t!(conn.genl_family("ethtool"));
    ensure!(ethtool.group("monitor").is_some(), "{ethtool:?}");
    // The group number is one a socket can join.
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Generic));
    t!(sock.join(events));
    // The dump agrees with the gets.
    let all = t!(conn.genl_families());
    for name in ["nlctrl", "mptcp_pm", "ethtool"] {
        let from_dump = all
            .iter()
            .find(|f| f.name.as_str() == name)
            .ok_or_else(|| format!("{name} missing from the dump"))?;
        ensure_eq!(**from_dump, *t!(conn.genl_family(name)));
    }
    Ok(())
}

fn missing(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    expect_err(
        conn.genl_family("nope_family"),
        2, // ENOENT
        "netlink ENOENT (2): no such generic netlink family \"nope_family\"",
    )?;
    // The connection is still usable after the refusal.
    t!(conn.genl_family("nlctrl"));
    let e = conn
        .genl_group("nlctrl", "nope")
        .err()
        .ok_or("a missing group resolved")?;
    ensure_eq!(
        e.to_string(),
        "invalid input: generic netlink family \"nlctrl\" has no multicast group \"nope\""
    );
    // Names the controller cannot hold are refused before sending.
    let e = conn.genl_family("").err().ok_or("empty name resolved")?;
    ensure!(matches!(e, Error::Invalid(_)), "{e}");
    // A generic request on an rtnetlink connection is refused, not sent
    // (type 0x10 there is RTM_NEWLINK).
    let e = ctx
        .conn
        .genl_family("nlctrl")
        .err()
        .ok_or("genl on rtnetlink resolved")?;
    ensure!(matches!(e, Error::Invalid(_)), "{e}");
    Ok(())
}

fn cached(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let first = t!(conn.genl_family("mptcp_pm"));
    let again = t!(conn.genl_family("mptcp_pm"));
    ensure!(Arc::ptr_eq(&first, &again), "second lookup was not cached");
    conn.forget_genl_families();
    let fresh = t!(conn.genl_family("mptcp_pm"));
    ensure!(!Arc::ptr_eq(&first, &fresh), "forget kept the entry");
    ensure_eq!(*first, *fresh);
    // Another connection has its own cache.
    let mut other = t!(Conn::open_generic_in(&ctx.netns()));
    let theirs = t!(other.genl_family("mptcp_pm"));
    ensure!(!Arc::ptr_eq(&fresh, &theirs), "caches are shared");
    Ok(())
}

/// `ethtool DEV`'s `Key: value` lines.
fn ethtool_field<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.lines()
        .filter_map(|l| l.trim().split_once(": "))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim())
}

fn ethtool_veth(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    let index = t!(ctx.conn.link_index("v0"));
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let modes = t!(conn.ethtool_linkmodes("v0"));
    // veth's fixed answers (drivers/net/veth.c, veth_get_link_ksettings).
    ensure_eq!(modes.speed_mbps(), Some(10_000));
    ensure_eq!(modes.duplex, Some(Duplex::FULL));
    ensure_eq!(modes.autoneg, Some(false));
    ensure_eq!(modes.header.ifindex, Some(index));
    ensure_eq!(modes.header.ifname.as_deref(), Some("v0"));
    let ours = modes.ours.clone().ok_or("no OURS bitset")?;
    ensure!(ours.size > 0, "{ours:?}");
    ensure_eq!(ours.iter().count(), 0, "veth advertises no link modes");
    // By index, the same answer.
    ensure_eq!(t!(conn.ethtool_linkmodes(LinkId::Index(index))), modes);
    let info = t!(conn.ethtool_linkinfo("v0"));
    ensure_eq!(info.port, Some(Port::TP));
    ensure_eq!(info.header.ifindex, Some(index));
    // A missing device, by name and by index: the one "no such
    // interface" error every verb gives.
    expect_err(
        conn.ethtool_linkmodes("nope0"),
        19,
        "netlink ENODEV (19): no such interface \"nope0\"",
    )?;
    let e = conn
        .ethtool_linkinfo(LinkId::Index(9999))
        .err()
        .ok_or("index 9999 answered")?;
    ensure!(
        matches!(
            e,
            nl_rustix::Error::NoSuchLink {
                link: LinkId::Index(9999),
                ..
            }
        ),
        "{e:?}"
    );
    ensure_eq!(e.kind(), nl_rustix::ErrorKind::NotFound, "{e}");
    // ethtool itself, where installed, prints the same.
    if !nl_tests::have_command("ethtool") {
        eprintln!("genl::ethtool: `ethtool` is not installed; its cross-check was not run");
        return Ok(());
    }
    let out = run_in(&ctx.netns(), "ethtool", &["v0"])?;
    ensure_eq!(ethtool_field(&out, "Speed"), Some("10000Mb/s"));
    ensure_eq!(ethtool_field(&out, "Duplex"), Some("Full"));
    ensure_eq!(ethtool_field(&out, "Auto-negotiation"), Some("off"));
    ensure_eq!(ethtool_field(&out, "Port"), Some("Twisted Pair"));
    Ok(())
}
