//! Link verbs against the live kernel: every change is read back through
//! our own dump and cross-checked with `ip -j -d link show` in the same
//! namespace; the `ip` example is compared with iproute2 line for line.

use nl_proto::route::link::{
    BridgeOptions, BridgePortOptions, IfFlags, IpvlanMode, Link, LinkInfoData, MacvlanMode,
    OperState, PortInfoData, VxlanOptions,
};
use nl_proto::values::Mac;
use nl_rustix::{Conn, Error, Kind, LinkSet, LinkSpec, Netns, PrivateNetns};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, kernel_has_link_kind, run_in, t};
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::Command;

pub(crate) fn scenarios() -> Vec<Scenario> {
    macro_rules! s {
        ($name:literal, $run:expr) => {
            s!($name, &[], $run)
        };
        ($name:literal, $kinds:expr, $run:expr) => {
            Scenario {
                name: concat!("links::", $name),
                needs_kinds: $kinds,
                needs_ip: true,
                run: $run,
            }
        };
    }
    vec![
        s!("create_bridge", &["bridge"], create_bridge),
        s!(
            "bridge_and_port_options",
            &["bridge", "veth"],
            bridge_and_port_options
        ),
        s!("tap_settings_decoded", tap_settings_decoded),
        s!("create_veth_pair", &["veth"], create_veth_pair),
        s!(
            "create_veth_peer_in_other_netns",
            &["veth"],
            veth_peer_elsewhere
        ),
        s!(
            "create_macvlan_each_mode",
            &["veth", "macvlan"],
            macvlan_modes
        ),
        s!("create_vxlan", &["veth", "vxlan"], create_vxlan),
        s!("create_ifb", &["ifb"], create_ifb),
        s!("create_dummy", &["dummy"], create_dummy),
        s!("create_vlan", &["veth", "vlan"], create_vlan),
        s!("create_ipvlan_each_mode", &["veth", "ipvlan"], ipvlan_modes),
        s!(
            "kinds_missing_from_kernel_are_clear_errors",
            &["veth"],
            missing_kinds
        ),
        s!("set_up_down", &["bridge"], set_up_down),
        s!("set_mtu", &["veth"], set_mtu),
        s!("set_address", &["bridge"], set_address),
        s!("set_name", &["bridge"], set_name),
        s!("set_master_nomaster", &["bridge", "veth"], set_master),
        s!("set_several_at_once", &["veth"], set_several),
        s!("delete", &["bridge", "veth"], delete),
        s!("move_to_netns_by_pid", &["veth"], move_by_pid),
        s!("move_to_netns_by_path", &["veth"], move_by_path),
        s!("err_missing_link_is_enodev", err_enodev),
        s!("err_duplicate_is_eexist", &["bridge"], err_eexist),
        s!(
            "err_missing_parent_names_it",
            &["macvlan"],
            err_missing_parent
        ),
        s!("err_long_name_rejected_before_sending", err_long_name),
        s!("stats_match_iproute2", stats_match),
        s!(
            "example_show_matches_iproute2",
            &["bridge", "veth", "macvlan", "vxlan"],
            example_show
        ),
        s!(
            "example_mutations_match_iproute2",
            &["bridge", "veth", "macvlan", "vxlan", "ifb"],
            example_mutations
        ),
        s!("example_errors_and_usage", &["bridge"], example_errors),
    ]
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

/// `ip -j -d link show dev NAME` in `netns`, as one JSON object.
fn ip_link(netns: &Netns, name: &str) -> Result<Value, Failed> {
    let out = run_in(netns, "ip", &["-j", "-d", "link", "show", "dev", name])?;
    let v: Value = serde_json::from_str(&out).map_err(|e| format!("ip -j: {e}: {out}"))?;
    v.get(0)
        .cloned()
        .ok_or_else(|| format!("ip -j link show {name}: empty: {out}"))
}

/// All links `ip -j -d link show` lists in `netns`.
fn ip_links(netns: &Netns) -> Result<Vec<Value>, Failed> {
    let out = run_in(netns, "ip", &["-j", "-d", "link", "show"])?;
    match serde_json::from_str(&out).map_err(|e| format!("ip -j: {e}: {out}"))? {
        Value::Array(v) => Ok(v),
        other => Err(format!("ip -j link: not an array: {other}")),
    }
}

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// [`cross_check`] in the scenario's own namespace.
fn check(ctx: &mut Ctx, name: &str) -> Result<Link, Failed> {
    let ns = ctx.netns();
    cross_check(&mut ctx.conn, &ns, name)
}

/// Compare one link as our dump sees it with `ip -j -d link show`: ifindex,
/// ifname, flags, mtu, operstate, address, master, link_type, info_kind.
/// `conn` and `netns` must be the same namespace.
///
/// Carrier and operstate settle asynchronously (the kernel's linkwatch
/// work), so a link brought up a moment ago may change between our read
/// and iproute2's: the comparison is retried for up to a second.
fn cross_check(conn: &mut Conn, netns: &Netns, name: &str) -> Result<Link, Failed> {
    settle(|| cross_check_once(conn, netns, name))
}

/// Run `f` until it succeeds, for up to a second; the last error otherwise.
fn settle<T>(mut f: impl FnMut() -> Result<T, Failed>) -> Result<T, Failed> {
    let mut tries = 0;
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) if tries >= 20 => return Err(e),
            Err(_) => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }
}

fn cross_check_once(conn: &mut Conn, netns: &Netns, name: &str) -> Result<Link, Failed> {
    let ours = t!(conn.links())
        .into_iter()
        .find(|l| l.name.as_str() == name)
        .ok_or_else(|| format!("{name} is not in our dump"))?;
    let by_get = t!(conn.link(name));
    ensure_eq!(by_get.index, ours.index, "GET and dump disagree on {name}");
    let ip = ip_link(netns, name)?;
    ensure_eq!(
        ip["ifindex"].as_u64(),
        Some(u64::from(ours.index)),
        "{name}: ifindex"
    );
    ensure_eq!(s(&ip, "ifname"), Some(name), "ifname");
    // iproute2 adds M-DOWN from the parent's state; the rest must match.
    let ip_flags: Vec<String> = ip["flags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let ip_flags: Vec<&str> = ip_flags
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "M-DOWN")
        .collect();
    let our_flags: Vec<&str> = ours.flags.iproute2_names().collect();
    ensure_eq!(our_flags, ip_flags, "{name}: flags");
    ensure_eq!(ip["mtu"].as_u64(), ours.mtu.map(u64::from), "{name}: mtu");
    ensure_eq!(
        s(&ip, "operstate"),
        ours.operstate.name(),
        "{name}: operstate"
    );
    ensure_eq!(
        s(&ip, "address").map(str::to_string),
        ours.mac.map(|m| m.to_string()),
        "{name}: address"
    );
    let our_master = match ours.master {
        Some(m) => Some(t!(conn.link(m)).name.to_string()),
        None => None,
    };
    ensure_eq!(
        s(&ip, "master").map(str::to_string),
        our_master,
        "{name}: master"
    );
    ensure_eq!(
        s(&ip, "link_type"),
        nl_proto::route::link::link_type_name(ours.link_type),
        "{name}: link_type"
    );
    ensure_eq!(
        ip["linkinfo"]["info_kind"].as_str(),
        ours.kind.as_deref(),
        "{name}: info_kind"
    );
    ensure_eq!(
        ip["linkinfo"]["info_slave_kind"].as_str(),
        ours.slave_kind.as_deref(),
        "{name}: info_slave_kind"
    );
    Ok(ours)
}

fn names(conn: &mut Conn) -> Result<Vec<String>, Failed> {
    Ok(t!(conn.links())
        .into_iter()
        .map(|l| l.name.to_string())
        .collect())
}

fn veth(ctx: &mut Ctx, a: &str, b: &str) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth(a, b)));
    Ok(())
}

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

/// A tap made by iproute2 (`ioctl(TUNSETIFF)`; netlink cannot create
/// one): its settings, decoded from `IFLA_INFO_DATA`.
fn tap_settings_decoded(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&[
        "tuntap",
        "add",
        "tap0",
        "mode",
        "tap",
        "user",
        "7",
        "multi_queue",
    ])?;
    let l = t!(ctx.conn.link("tap0"));
    ensure_eq!(l.kind.as_deref(), Some("tun"));
    let LinkInfoData::Tun(o) = &l.info else {
        return Err(format!("not a tun's settings: {:?}", l.info));
    };
    ensure_eq!(o.kind, Some(2), "tap");
    ensure_eq!(o.owner, Some(7));
    ensure_eq!(o.persist, Some(1));
    ensure_eq!(o.multi_queue, Some(1));
    ensure_eq!(o.pi, Some(0), "iproute2's tuntap sets IFF_NO_PI");
    Ok(())
}

/// A bridge created with options and a port changed with port options:
/// the kernel reports what was asked, decoded into typed fields.
fn bridge_and_port_options(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut o = BridgeOptions::default();
    // (Kernel STP is refused outside the initial namespace, VLAN
    // filtering by this kernel.)
    o.hello_time = Some(300);
    o.priority = Some(0x1000);
    o.ageing_time = Some(12000);
    o.mcast_snooping = Some(0);
    let kind = Kind::Options {
        kind: "bridge".into(),
        options: Box::new(LinkInfoData::Bridge(o)),
        parent: None,
    };
    t!(ctx.conn.create_link(&LinkSpec::new("br0", kind)));
    t!(ctx
        .conn
        .create_link(&LinkSpec::veth("v0", "v1").master("br0")));
    let l = check(ctx, "br0")?;
    let LinkInfoData::Bridge(got) = &l.info else {
        return Err(format!("not a bridge's options: {:?}", l.info));
    };
    ensure_eq!(got.hello_time, Some(300));
    ensure_eq!(got.priority, Some(0x1000));
    ensure_eq!(got.ageing_time, Some(12000));
    ensure_eq!(got.mcast_snooping, Some(0));
    ensure_eq!(got.bridge_id.map(|b| b.prio), Some([0x10, 0]));

    let mut p = BridgePortOptions::default();
    p.cost = Some(77);
    p.priority = Some(9);
    p.learning = Some(false);
    p.isolated = Some(true);
    let mut set = LinkSet::new();
    set.port = Some(Box::new(PortInfoData::Bridge(p)));
    t!(ctx.conn.set_link("v0", &set));
    let port = check(ctx, "v0")?;
    ensure_eq!(port.slave_kind.as_deref(), Some("bridge"));
    let PortInfoData::Bridge(got) = &port.port else {
        return Err(format!("not a bridge port's options: {:?}", port.port));
    };
    ensure_eq!(got.cost, Some(77));
    ensure_eq!(got.priority, Some(9));
    ensure_eq!(got.learning, Some(false));
    ensure_eq!(got.isolated, Some(true));
    ensure_eq!(
        got.unicast_flood,
        Some(true),
        "the kernel's default, untouched"
    );
    Ok(())
}

fn create_bridge(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0").mtu(1400)));
    let l = check(ctx, "br0")?;
    ensure_eq!(l.kind.as_deref(), Some("bridge"));
    // The kernel's defaults, decoded: STP off, 15 s forward delay, 2 s
    // hello, 20 s max age (centiseconds), and priority 0x8000 in the
    // bridge id (its address is a port's, none yet).
    let LinkInfoData::Bridge(o) = &l.info else {
        return Err(format!("not a bridge's options: {:?}", l.info));
    };
    ensure_eq!(o.stp_state, Some(0));
    ensure_eq!(o.forward_delay, Some(1500));
    ensure_eq!(o.hello_time, Some(200));
    ensure_eq!(o.max_age, Some(2000));
    ensure_eq!(o.bridge_id.map(|b| b.prio), Some([0x80, 0]));
    ensure_eq!(l.mtu, Some(1400));
    ensure!(!l.is_up(), "created down");
    // Created up, with a chosen MAC.
    let mac: Mac = t!("02:11:22:33:44:55".parse::<Mac>());
    t!(ctx.conn.create_link(&LinkSpec::bridge("br1").mac(mac).up()));
    let l = check(ctx, "br1")?;
    ensure_eq!(l.mac, Some(mac));
    ensure!(l.is_up(), "created up");
    Ok(())
}

fn create_veth_pair(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "v0", "v1")?;
    let a = check(ctx, "v0")?;
    let b = check(ctx, "v1")?;
    ensure_eq!(a.kind.as_deref(), Some("veth"));
    ensure_eq!(a.link, Some(b.index), "v0's IFLA_LINK is its peer");
    ensure_eq!(b.link, Some(a.index), "v1's IFLA_LINK is its peer");
    ensure_eq!(a.link_netnsid, None);
    let ip = ip_link(&ctx.netns(), "v0")?;
    ensure_eq!(s(&ip, "link"), Some("v1"), "ip names the peer");
    Ok(())
}

fn veth_peer_elsewhere(ctx: &mut Ctx) -> Result<(), Failed> {
    let ns2 = t!(PrivateNetns::new());
    let spec = LinkSpec::new(
        "va",
        Kind::Veth {
            peer: "vb".into(),
            peer_netns: Some(ns2.netns()),
        },
    );
    t!(ctx.conn.create_link(&spec));
    let mut conn2 = t!(Conn::open_in(&ns2.netns()));
    let here = names(&mut ctx.conn)?;
    ensure!(
        here.contains(&"va".to_string()) && !here.contains(&"vb".to_string()),
        "{here:?}"
    );
    let there = names(&mut conn2)?;
    ensure_eq!(there, vec!["lo".to_string(), "vb".to_string()]);
    let a = check(ctx, "va")?;
    let b = cross_check(&mut conn2, &ns2.netns(), "vb")?;
    ensure_eq!(
        a.link,
        Some(b.index),
        "va's peer index (in the other namespace)"
    );
    ensure!(a.link_netnsid.is_some(), "the peer's namespace has an id");
    let ip = ip_link(&ctx.netns(), "va")?;
    ensure_eq!(ip["link_netnsid"].as_i64(), a.link_netnsid.map(i64::from));
    ensure_eq!(ip["link_index"].as_u64(), Some(u64::from(b.index)));
    Ok(())
}

fn macvlan_modes(ctx: &mut Ctx) -> Result<(), Failed> {
    let modes = [
        (MacvlanMode::PRIVATE, "private"),
        (MacvlanMode::VEPA, "vepa"),
        (MacvlanMode::BRIDGE, "bridge"),
        (MacvlanMode::PASSTHRU, "passthru"),
        (MacvlanMode::SOURCE, "source"),
    ];
    for (i, (mode, word)) in modes.into_iter().enumerate() {
        // passthru takes its parent for itself: one parent per macvlan.
        let (p, q, name) = (format!("p{i}"), format!("q{i}"), format!("mv{i}"));
        veth(ctx, &p, &q)?;
        t!(ctx
            .conn
            .create_link(&LinkSpec::macvlan(name.as_str(), p.as_str(), mode)));
        let l = check(ctx, &name)?;
        let parent = t!(ctx.conn.link(p.as_str()));
        ensure_eq!(l.link, Some(parent.index), "{name}'s parent");
        ensure_eq!(l.info, LinkInfoData::Macvlan { mode: Some(mode) }, "{name}");
        let ip = ip_link(&ctx.netns(), &name)?;
        ensure_eq!(
            ip["linkinfo"]["info_data"]["mode"].as_str(),
            Some(word),
            "{name}"
        );
        ensure_eq!(s(&ip, "link"), Some(p.as_str()), "{name}: ip's parent");
    }
    Ok(())
}

fn create_vxlan(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "u0", "u1")?;
    let local = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let remote = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
    let spec = LinkSpec::new(
        "vx0",
        Kind::Vxlan {
            id: 42,
            port: Some(4789),
            local: Some(local),
            remote: Some(remote),
            parent: Some("u0".into()),
            options: VxlanOptions {
                learning: Some(false),
                ttl: Some(9),
                ..VxlanOptions::default()
            },
        },
    );
    t!(ctx.conn.create_link(&spec));
    let l = check(ctx, "vx0")?;
    let u0 = t!(ctx.conn.link("u0")).index;
    // The kernel reports the rest with their defaults.
    let LinkInfoData::Vxlan { options, .. } = l.info else {
        return Err("vx0 is not a vxlan".into());
    };
    ensure_eq!(
        l.info,
        LinkInfoData::Vxlan {
            id: Some(42),
            port: Some(4789),
            local: Some(local),
            remote: Some(remote),
            link: Some(u0),
            options: VxlanOptions {
                learning: Some(false),
                ttl: Some(9),
                ..options
            },
        }
    );
    let d = &ip_link(&ctx.netns(), "vx0")?["linkinfo"]["info_data"];
    ensure_eq!(d["id"].as_u64(), Some(42));
    ensure_eq!(d["port"].as_u64(), Some(4789));
    ensure_eq!(d["local"].as_str(), Some("10.0.0.1"));
    ensure_eq!(d["remote"].as_str(), Some("10.0.0.2"));
    ensure_eq!(d["link"].as_str(), Some("u0"));
    ensure_eq!(d["learning"].as_bool(), Some(false));
    ensure_eq!(d["ttl"].as_u64(), Some(9));
    // Defaults: no port (kernel's 8472), no addresses, no parent.
    t!(ctx.conn.create_link(&LinkSpec::vxlan("vx1", 7)));
    let l = check(ctx, "vx1")?;
    ensure!(
        matches!(
            l.info,
            LinkInfoData::Vxlan {
                id: Some(7),
                port: Some(8472),
                local: None,
                remote: None,
                link: None,
                ..
            }
        ),
        "{:?}",
        l.info
    );
    Ok(())
}

fn create_ifb(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::new("ifb7", Kind::Ifb)));
    let l = check(ctx, "ifb7")?;
    ensure_eq!(l.info, LinkInfoData::Ifb);
    Ok(())
}

fn create_dummy(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::dummy("d0")));
    let l = check(ctx, "d0")?;
    ensure_eq!(l.info, LinkInfoData::Dummy);
    Ok(())
}

fn create_vlan(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "w0", "w1")?;
    t!(ctx.conn.create_link(&LinkSpec::vlan("w0.10", "w0", 10)));
    let l = check(ctx, "w0.10")?;
    ensure!(
        matches!(l.info, LinkInfoData::Vlan { id: Some(10), .. }),
        "{:?}",
        l.info
    );
    let ip = ip_link(&ctx.netns(), "w0.10")?;
    ensure_eq!(ip["linkinfo"]["info_data"]["id"].as_u64(), Some(10));
    let spec = LinkSpec::new(
        "w0.20",
        Kind::Vlan {
            parent: "w0".into(),
            id: 20,
            protocol: nl_proto::route::link::VlanProtocol::DOT1AD,
        },
    );
    t!(ctx.conn.create_link(&spec));
    let ip = ip_link(&ctx.netns(), "w0.20")?;
    ensure_eq!(
        ip["linkinfo"]["info_data"]["protocol"].as_str(),
        Some("802.1ad")
    );
    Ok(())
}

fn ipvlan_modes(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "w0", "w1")?;
    for (i, (mode, word)) in [
        (IpvlanMode::L2, "l2"),
        (IpvlanMode::L3, "l3"),
        (IpvlanMode::L3S, "l3s"),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("iv{i}");
        t!(ctx
            .conn
            .create_link(&LinkSpec::ipvlan(name.as_str(), "w0", mode)));
        let l = check(ctx, &name)?;
        ensure_eq!(l.info, LinkInfoData::Ipvlan { mode: Some(mode) });
        let ip = ip_link(&ctx.netns(), &name)?;
        ensure_eq!(ip["linkinfo"]["info_data"]["mode"].as_str(), Some(word));
    }
    Ok(())
}

/// Always runs: for each kind this kernel may lack, creating one either
/// works (the kernel has it) or fails with the kernel's own refusal.
fn missing_kinds(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "w0", "w1")?;
    let specs = [
        ("dummy", LinkSpec::dummy("d0")),
        ("vlan", LinkSpec::vlan("w0.5", "w0", 5)),
        ("ipvlan", LinkSpec::ipvlan("iv0", "w0", IpvlanMode::L2)),
    ];
    for (kind, spec) in specs {
        let has = kernel_has_link_kind(kind);
        match ctx.conn.create_link(&spec) {
            Ok(()) => ensure!(has, "created a {kind} although `ip` could not"),
            Err(e) => {
                ensure!(!has, "{kind}: {e}");
                ensure_eq!(e.errno(), Some(95), "{kind}: {e}");
                let text = e.to_string();
                ensure!(
                    text.starts_with("netlink EOPNOTSUPP (95): "),
                    "{kind}: {text}"
                );
                ensure!(text.contains("Unknown device type"), "{kind}: {text}");
                ensure!(
                    !names(&mut ctx.conn)?.contains(&spec.name),
                    "{kind} half-created"
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// set
// ---------------------------------------------------------------------------

fn set_up_down(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    t!(ctx.conn.set_link("br0", &LinkSet::new().up()));
    let l = check(ctx, "br0")?;
    ensure!(l.is_up(), "up");
    ensure!(t!(ctx.conn.link_is_up("br0")), "link_is_up");
    t!(ctx.conn.set_link("br0", &LinkSet::new().down()));
    let l = check(ctx, "br0")?;
    ensure!(!l.is_up(), "down");
    ensure_eq!(l.operstate, OperState::DOWN);
    // lo by index.
    t!(ctx.conn.set_link(1u32, &LinkSet::new().up()));
    let lo = check(ctx, "lo")?;
    ensure!(
        lo.flags.contains(IfFlags::UP | IfFlags::LOWER_UP),
        "{:?}",
        lo.flags
    );
    Ok(())
}

fn set_mtu(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "v0", "v1")?;
    t!(ctx.conn.set_link("v0", &LinkSet::new().mtu(1280)));
    ensure_eq!(check(ctx, "v0")?.mtu, Some(1280));
    // Out of range: the kernel's extack text.
    let e = ctx
        .conn
        .set_link("v0", &LinkSet::new().mtu(70_000))
        .err()
        .ok_or("mtu 70000 accepted")?;
    ensure_eq!(e.errno(), Some(22), "{e}");
    ensure!(e.to_string().starts_with("netlink EINVAL (22): "), "{e}");
    ensure_eq!(check(ctx, "v0")?.mtu, Some(1280));
    Ok(())
}

fn set_address(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    let mac: Mac = t!("02:00:5e:10:00:01".parse::<Mac>());
    t!(ctx.conn.set_link("br0", &LinkSet::new().mac(mac)));
    let l = check(ctx, "br0")?;
    ensure_eq!(l.mac, Some(mac));
    Ok(())
}

fn set_name(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    let index = t!(ctx.conn.link_index("br0"));
    t!(ctx.conn.set_link("br0", &LinkSet::new().name("uplink")));
    let l = check(ctx, "uplink")?;
    ensure_eq!(l.index, index, "renaming keeps the index");
    ensure!(
        !names(&mut ctx.conn)?.contains(&"br0".to_string()),
        "old name gone"
    );
    // Renaming onto a taken name.
    t!(ctx.conn.create_link(&LinkSpec::bridge("br1")));
    let e = ctx
        .conn
        .set_link("br1", &LinkSet::new().name("uplink"))
        .err()
        .ok_or("rename onto uplink worked")?;
    ensure_eq!(e.errno(), Some(17), "{e}");
    Ok(())
}

fn set_master(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    veth(ctx, "v0", "v1")?;
    t!(ctx.conn.set_link("v0", &LinkSet::new().master("br0")));
    let br = t!(ctx.conn.link("br0"));
    let l = check(ctx, "v0")?;
    ensure_eq!(l.master, Some(br.index));
    ensure_eq!(l.slave_kind.as_deref(), Some("bridge"));
    t!(ctx.conn.set_link("v0", &LinkSet::new().nomaster()));
    let l = check(ctx, "v0")?;
    ensure_eq!(l.master, None);
    let e = ctx
        .conn
        .set_link("v0", &LinkSet::new().master("nope0"))
        .err()
        .ok_or("master nope0 worked")?;
    ensure_eq!(
        e.to_string(),
        "netlink ENODEV (19): no such master interface \"nope0\""
    );
    // At creation.
    t!(ctx
        .conn
        .create_link(&LinkSpec::veth("v2", "v3").master("br0")));
    ensure_eq!(check(ctx, "v2")?.master, Some(br.index));
    Ok(())
}

fn set_several(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx, "v0", "v1")?;
    let mac: Mac = t!("02:00:00:00:00:aa".parse::<Mac>());
    t!(ctx
        .conn
        .set_link("v0", &LinkSet::new().mtu(1400).mac(mac).name("eth9").up()));
    let l = check(ctx, "eth9")?;
    ensure_eq!((l.mtu, l.mac, l.is_up()), (Some(1400), Some(mac), true));
    Ok(())
}

fn delete(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    veth(ctx, "v0", "v1")?;
    t!(ctx.conn.delete_link("br0"));
    // One end of a veth takes the other with it.
    let v1 = t!(ctx.conn.link_index("v1"));
    t!(ctx.conn.delete_link(v1));
    ensure_eq!(names(&mut ctx.conn)?, vec!["lo".to_string()]);
    let ip: Vec<String> = ip_links(&ctx.netns())?
        .iter()
        .filter_map(|l| s(l, "ifname").map(str::to_string))
        .collect();
    ensure_eq!(ip, vec!["lo".to_string()]);
    Ok(())
}

// ---------------------------------------------------------------------------
// move between namespaces
// ---------------------------------------------------------------------------

/// A thread parked inside a namespace, so it has a pid (tid) there.
struct Parked {
    tid: u32,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Parked {
    fn new(ns: &PrivateNetns) -> Result<Self, Failed> {
        let ns = ns.clone();
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let entered = rustix::thread::move_into_link_name_space(
                std::os::fd::AsFd::as_fd(&ns),
                Some(rustix::thread::LinkNameSpaceType::Network),
            )
            .map(|()| rustix::thread::gettid().as_raw_nonzero().get() as u32)
            .map_err(|e| e.to_string());
            let _ = tid_tx.send(entered);
            let _ = stop_rx.recv();
        });
        let tid = tid_rx.recv().map_err(|e| e.to_string())??;
        Ok(Self {
            tid,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Parked {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn move_and_configure(ctx: &mut Ctx, ns2: &PrivateNetns, to: &Netns) -> Result<(), Failed> {
    veth(ctx, "v0", "v1")?;
    t!(ctx.conn.move_link("v1", to));
    ensure!(
        !names(&mut ctx.conn)?.contains(&"v1".to_string()),
        "v1 still in A"
    );
    let in_a: Vec<String> = ip_links(&ctx.netns())?
        .iter()
        .filter_map(|l| s(l, "ifname").map(str::to_string))
        .collect();
    ensure!(
        !in_a.contains(&"v1".to_string()),
        "ip still sees v1 in A: {in_a:?}"
    );
    let mut b = t!(Conn::open_in(&ns2.netns()));
    ensure_eq!(names(&mut b)?, vec!["lo".to_string(), "v1".to_string()]);
    t!(b.set_link("v1", &LinkSet::new().up().mtu(1300)));
    let l = cross_check(&mut b, &ns2.netns(), "v1")?;
    ensure_eq!((l.is_up(), l.mtu), (true, Some(1300)));
    ensure!(
        l.link_netnsid.is_some(),
        "v1's peer is now in another namespace"
    );
    // v0 sees its peer in another namespace too.
    let v0 = check(ctx, "v0")?;
    ensure_eq!(v0.link, Some(l.index));
    Ok(())
}

fn move_by_pid(ctx: &mut Ctx) -> Result<(), Failed> {
    let ns2 = t!(PrivateNetns::new());
    let parked = Parked::new(&ns2)?;
    let r = move_and_configure(ctx, &ns2, &Netns::Pid(parked.tid));
    drop(parked);
    r
}

fn move_by_path(ctx: &mut Ctx) -> Result<(), Failed> {
    let ns2 = t!(PrivateNetns::new());
    move_and_configure(ctx, &ns2, &Netns::Path(ns2.path()))
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

fn expect_err<T: std::fmt::Debug>(r: Result<T, Error>, what: &str) -> Result<Error, Failed> {
    match r {
        Ok(v) => Err(format!("{what} succeeded: {v:?}")),
        Err(e) => Ok(e),
    }
}

fn err_enodev(ctx: &mut Ctx) -> Result<(), Failed> {
    const WANT: &str = "netlink ENODEV (19): no such interface \"nope0\"";
    let e = expect_err(ctx.conn.link("nope0"), "get nope0")?;
    ensure_eq!(e.to_string(), WANT);
    let e = expect_err(
        ctx.conn.set_link("nope0", &LinkSet::new().up()),
        "set nope0",
    )?;
    ensure_eq!(e.to_string(), WANT);
    let e = expect_err(ctx.conn.delete_link("nope0"), "del nope0")?;
    ensure_eq!(e.to_string(), WANT);
    let e = expect_err(ctx.conn.link_stats("nope0"), "stats nope0")?;
    ensure_eq!(e.to_string(), WANT);
    Ok(())
}

fn err_eexist(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::bridge("br0")));
    let e = expect_err(ctx.conn.create_link(&LinkSpec::bridge("br0")), "second br0")?;
    ensure_eq!(e.errno(), Some(17), "{e}");
    let text = e.to_string();
    ensure!(text.starts_with("netlink EEXIST (17): "), "{text}");
    ensure!(text.contains("\"br0\""), "{text}");
    Ok(())
}

fn err_missing_parent(ctx: &mut Ctx) -> Result<(), Failed> {
    let e = expect_err(
        ctx.conn
            .create_link(&LinkSpec::macvlan("mv0", "nope0", MacvlanMode::BRIDGE)),
        "macvlan on nope0",
    )?;
    ensure_eq!(
        e.to_string(),
        "netlink ENODEV (19): no such parent interface \"nope0\""
    );
    ensure_eq!(names(&mut ctx.conn)?, vec!["lo".to_string()]);
    Ok(())
}

fn err_long_name(ctx: &mut Ctx) -> Result<(), Failed> {
    let long = "a-name-of-16-byt";
    ensure_eq!(long.len(), 16);
    let e = expect_err(
        ctx.conn.create_link(&LinkSpec::bridge(long)),
        "16-byte name",
    )?;
    ensure!(matches!(e, Error::Invalid(_)), "{e:?}");
    ensure!(e.to_string().contains(long), "{e}");
    let e = expect_err(
        ctx.conn.set_link("lo", &LinkSet::new().name(long)),
        "rename to 16 bytes",
    )?;
    ensure!(matches!(e, Error::Invalid(_)), "{e:?}");
    let e = expect_err(
        ctx.conn.create_link(&LinkSpec::veth("ok0", long)),
        "16-byte peer",
    )?;
    ensure!(matches!(e, Error::Invalid(_)), "{e:?}");
    ensure_eq!(names(&mut ctx.conn)?, vec!["lo".to_string()]);
    Ok(())
}

// ---------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------

fn stats_match(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.set_link("lo", &LinkSet::new().up()));
    // Traffic on lo only: UDP datagrams to ourselves.
    const N: usize = 25;
    t!(t!(ctx.netns().run(|| -> std::io::Result<()> {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0")?;
        let me = sock.local_addr()?;
        for _ in 0..N {
            sock.send_to(b"nl stats", me)?;
        }
        Ok(())
    })));
    let before = t!(ctx.conn.link_stats("lo"));
    let ip = ctx.ip_json(&["-s", "-s", "link", "show", "lo"])?;
    let after = t!(ctx.conn.link_stats("lo"));
    let from_dump = t!(ctx.conn.link("lo")).stats.ok_or("no IFLA_STATS64")?;
    ensure!(
        before.rx_packets >= N as u64,
        "rx_packets {} < {N}",
        before.rx_packets
    );
    ensure!(
        before.tx_packets >= N as u64,
        "tx_packets {} < {N}",
        before.tx_packets
    );
    ensure_eq!(before, after, "lo's counters moved with nothing running");
    ensure_eq!(from_dump, after, "IFLA_STATS64 and RTM_GETSTATS disagree");
    let s64 = &ip[0]["stats64"];
    let mut compared = 0;
    for ((dir, key, lo), (_, _, hi)) in before
        .iproute2_counters()
        .into_iter()
        .zip(after.iproute2_counters())
    {
        match s64[dir][key].as_u64() {
            Some(v) => {
                ensure!(
                    lo <= v && v <= hi,
                    "{dir}.{key}: ip says {v}, we read {lo} then {hi}"
                );
                compared += 1;
            }
            // iproute2 prints these only when non-zero.
            None => ensure!(
                lo == 0 && hi == 0,
                "{dir}.{key} = {lo} is missing from ip's stats64: {s64}"
            ),
        }
    }
    ensure!(compared >= 20, "only {compared} counters compared: {s64}");
    Ok(())
}

// ---------------------------------------------------------------------------
// the `ip` example against iproute2
// ---------------------------------------------------------------------------

/// The built `ip` example.
fn example_bin() -> Result<PathBuf, Failed> {
    nl_tests::example_bin("ip")
}

/// Run the example with `-n PATH` first; (status, stdout, stderr).
fn example(ns: &PrivateNetns, args: &[&str]) -> Result<(i32, String, String), Failed> {
    let ns_path = ns.path();
    let out = Command::new(example_bin()?)
        .arg("-n")
        .arg(&ns_path)
        .args(args)
        .output()
        .map_err(|e| format!("run the ip example: {e}"))?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn example_ok(ns: &PrivateNetns, args: &[&str]) -> Result<String, Failed> {
    let (code, out, err) = example(ns, args)?;
    ensure_eq!(code, 0, "ip example {args:?} failed: {err}");
    Ok(out)
}

fn example_show(ctx: &mut Ctx) -> Result<(), Failed> {
    for line in [
        "link set lo up",
        "link add br0 type bridge",
        "link add v0 type veth peer name v1",
        "link set v0 master br0",
        "link add mv0 link v1 type macvlan mode bridge",
        "link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 remote 10.0.0.2 dev v1",
        "link set br0 up",
        "link set v0 up",
    ] {
        ctx.ip(&line.split(' ').collect::<Vec<_>>())?;
    }
    let ns = ctx.ns.clone();
    settle(|| compare_show(ctx, &ns))
}

fn compare_show(ctx: &mut Ctx, ns: &PrivateNetns) -> Result<(), Failed> {
    let ns = ns.clone();
    // Without -d the whole output is the same, text and JSON.
    for opts in [&[][..], &["-s"], &["-s", "-s"]] {
        let mut args = opts.to_vec();
        args.extend(["link", "show"]);
        let ours = example_ok(&ns, &args)?;
        let theirs = ctx.ip(&args)?;
        ensure_eq!(ours, theirs, "text of {args:?}");
        let mut jargs = vec!["-j"];
        jargs.extend(&args);
        let ours: Value =
            serde_json::from_str(&example_ok(&ns, &jargs)?).map_err(|e| e.to_string())?;
        let theirs: Value = serde_json::from_str(&ctx.ip(&jargs)?).map_err(|e| e.to_string())?;
        ensure_eq!(ours, theirs, "JSON of {jargs:?}");
    }
    // One link, by name, with and without `dev`.
    ensure_eq!(
        example_ok(&ns, &["link", "show", "dev", "v0"])?,
        ctx.ip(&["link", "show", "dev", "v0"])?
    );
    ensure_eq!(
        example_ok(&ns, &["l", "ls", "v1"])?,
        ctx.ip(&["link", "show", "v1"])?
    );
    // With -d: every key we print is one iproute2 prints, with its value.
    let ours: Value = serde_json::from_str(&example_ok(&ns, &["-j", "-d", "link"])?)
        .map_err(|e| e.to_string())?;
    let theirs = ip_links(&ctx.netns())?;
    let ours = ours.as_array().ok_or("not an array")?;
    ensure_eq!(ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(&theirs) {
        subset(o, t, s(t, "ifname").unwrap_or_default())?;
    }
    Ok(())
}

/// Every key of `ours` is in `theirs` with the same value (recursively for
/// objects). A bridge's running timers (`gc_timer`, `hello_timer`, …) count
/// between the two reads, so they may differ by up to a second.
fn subset(ours: &Value, theirs: &Value, at: &str) -> Result<(), Failed> {
    match (ours, theirs) {
        (Value::Number(o), Value::Number(t)) if at.ends_with("_timer") => {
            let (o, t) = (
                o.as_f64().unwrap_or(f64::NAN),
                t.as_f64().unwrap_or(f64::NAN),
            );
            ensure!((o - t).abs() <= 1.0, "{at}: {o} vs {t}");
            Ok(())
        }
        (Value::Object(o), Value::Object(t)) => {
            for (k, v) in o {
                let tv = t
                    .get(k)
                    .ok_or_else(|| format!("{at}: iproute2 has no {k:?}"))?;
                subset(v, tv, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        _ => {
            ensure_eq!(ours, theirs, "{at}");
            Ok(())
        }
    }
}

const MUTATIONS: &[&str] = &[
    "link set lo up",
    "link add br0 type bridge",
    "link add name v0 type veth peer name v1",
    "link add v2 mtu 1400 type veth peer v3",
    "link set v0 master br0",
    "link set dev v0 mtu 1400 up",
    "link set v1 up address 02:00:00:00:00:11",
    "link add mv0 link v1 type macvlan mode private",
    "link add mv1 link v3 address 02:00:00:00:00:22 type macvlan mode passthru",
    "link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 remote 10.0.0.2 dev v1",
    "link add vx1 type vxlan id 43 dstport 0 group 239.1.1.1 dev v1",
    "link add ifb0 type ifb",
    "link set br0 up",
    "link set mv0 name mvx",
    "link set v0 nomaster",
    "link add b2 address 02:00:00:00:00:33 type bridge",
    "link set v2 master b2",
    "link set v2 down mtu 1300 name v2x",
    "link del ifb0",
    "link delete dev vx1",
];

fn example_mutations(ctx: &mut Ctx) -> Result<(), Failed> {
    let ours_ns = t!(PrivateNetns::new());
    for line in MUTATIONS {
        let args: Vec<&str> = line.split(' ').collect();
        ctx.ip(&args)
            .map_err(|e| format!("iproute2: {line}: {e}"))?;
        let (code, _, err) = example(&ours_ns, &args)?;
        ensure_eq!(code, 0, "ip example: {line}: {err}");
    }
    settle(|| compare_mutated(ctx, &ours_ns))
}

fn compare_mutated(ctx: &mut Ctx, ours_ns: &PrivateNetns) -> Result<(), Failed> {
    let theirs = ip_links(&ctx.netns())?;
    let ours = ip_links(&ours_ns.netns())?;
    let summary = |v: &[Value]| -> Vec<String> {
        v.iter()
            .filter_map(|l| s(l, "ifname").map(str::to_string))
            .collect()
    };
    ensure_eq!(summary(&ours), summary(&theirs), "the same links");
    // Random MACs differ; compare them only where the sequence set them.
    // (A passthru macvlan takes its parent's MAC, whatever `address` said.)
    let fixed_mac = ["lo", "v1", "b2"];
    for (o, t) in ours.iter().zip(&theirs) {
        let name = s(t, "ifname").unwrap_or_default();
        let mut keys = vec![
            "ifindex",
            "ifname",
            "link",
            "flags",
            "mtu",
            "qdisc",
            "master",
            "operstate",
            "linkmode",
            "group",
            "txqlen",
            "link_type",
            "broadcast",
            "min_mtu",
            "max_mtu",
        ];
        if fixed_mac.contains(&name) {
            keys.push("address");
        }
        for k in keys {
            ensure_eq!(o.get(k), t.get(k), "{name}.{k}");
        }
        for k in ["info_kind", "info_slave_kind"] {
            ensure_eq!(
                o["linkinfo"].get(k),
                t["linkinfo"].get(k),
                "{name}.linkinfo.{k}"
            );
        }
        for k in ["mode", "id", "port", "local", "remote", "group", "link"] {
            ensure_eq!(
                o["linkinfo"]["info_data"].get(k),
                t["linkinfo"]["info_data"].get(k),
                "{name}.linkinfo.info_data.{k}"
            );
        }
    }
    // And the example's own view of its namespace matches iproute2's.
    ensure_eq!(
        example_ok(ours_ns, &["link"])?,
        run_in(&ours_ns.netns(), "ip", &["link"])?
    );
    Ok(())
}

fn example_errors(ctx: &mut Ctx) -> Result<(), Failed> {
    let ns = ctx.ns.clone();
    let (code, out, err) = example(&ns, &["link", "set", "lo", "address", "zz:zz"])?;
    ensure_eq!(
        (code, out.as_str(), err.trim()),
        (1, "", "\"zz\" is invalid lladdr.")
    );
    let (code, _, err) = example(
        &ns,
        &[
            "link",
            "add",
            "br0",
            "address",
            "02:00:00:00:00",
            "type",
            "bridge",
        ],
    )?;
    // iproute2 sends the 5 bytes and the kernel refuses (exit 2); this
    // `ip` refuses before sending, with the same status.
    ensure_eq!(code, 2, "{err}");
    // Exit statuses and first lines as iproute2 6.1's (more in
    // example_cli.rs): 255 for invalid arguments and unknown commands, 1
    // for a missing device, 2 for the kernel's refusals.
    let first = |e: &str| e.lines().next().unwrap_or_default().to_string();
    let (code, _, err) = example(&ns, &["link", "set", "lo", "mtu", "abc"])?;
    ensure_eq!(
        (code, first(&err)),
        (
            255,
            "Error: argument \"abc\" is wrong: Invalid \"mtu\" value".to_string()
        )
    );
    let (code, _, err) = example(&ns, &["link", "frob"])?;
    ensure_eq!(
        (code, first(&err)),
        (
            255,
            "Command \"frob\" is unknown, try \"ip link help\".".to_string()
        )
    );
    let (code, _, err) = example(&ns, &["link", "show", "nope0"])?;
    ensure_eq!(
        (code, first(&err)),
        (1, "Device \"nope0\" does not exist.".to_string())
    );
    let (code, _, err) = example(&ns, &["link", "del", "nope0"])?;
    ensure_eq!(
        (code, err.as_str()),
        (
            1,
            "Cannot find device \"nope0\"\n  netlink ENODEV (19): no such interface \"nope0\"\n"
        )
    );
    example_ok(&ns, &["link", "add", "br0", "type", "bridge"])?;
    let (code, _, err) = example(&ns, &["link", "add", "br0", "type", "bridge"])?;
    ensure_eq!(code, 2, "{err}");
    ensure!(
        err.starts_with("RTNETLINK answers: File exists\n  netlink EEXIST (17): "),
        "{err}"
    );
    let (code, _, err) = example(&ns, &["link", "add", "a-name-of-16-byt", "type", "bridge"])?;
    ensure_eq!(code, 2, "{err}");
    ensure!(err.starts_with("Error: invalid input: "), "{err}");
    // Nothing but lo and br0 was created.
    ensure_eq!(
        names(&mut ctx.conn)?,
        vec!["lo".to_string(), "br0".to_string()]
    );
    Ok(())
}
