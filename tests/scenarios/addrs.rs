//! `ip addr` verbs against the kernel: add, replace, delete, show, in
//! IPv4 and IPv6, each read back with our verbs and cross-checked with
//! `ip -j addr`.

use nl_proto::IpNet;
use nl_proto::route::AddrFamily;
use nl_proto::route::addr::{AddrFlags, Address, Scope};
use nl_rustix::{AddrSpec, Error};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;
use std::net::IpAddr;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "addrs::add_show_v4_v6_all_options",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: add_show,
        },
        Scenario {
            name: "addrs::replace_and_delete",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: replace_delete,
        },
        Scenario {
            name: "addrs::errors_name_errno_and_object",
            needs_kinds: &["veth"],
            needs_ip: true,
            run: errors,
        },
    ]
}

/// `lo` up and a veth pair `v0`/`v1`, both up, made with iproute2 (so
/// these scenarios do not depend on the link verbs).
pub(crate) fn veth(ctx: &Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "set", "lo", "up"])?;
    ctx.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ctx.ip(&["link", "set", "v0", "up"])?;
    ctx.ip(&["link", "set", "v1", "up"])?;
    Ok(())
}

pub(crate) fn net(s: &str) -> IpNet {
    s.parse().expect("test prefix")
}

pub(crate) fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// Check that `r` failed with `errno` and reads exactly `display`.
pub(crate) fn expect_err<T: std::fmt::Debug>(
    r: Result<T, Error>,
    errno: i32,
    display: &str,
) -> Result<(), Failed> {
    match r {
        Ok(v) => Err(format!("expected errno {errno} ({display}), got Ok({v:?})")),
        Err(e) => {
            ensure_eq!(e.errno(), Some(errno), "errno of {e}");
            ensure_eq!(e.to_string(), display);
            Ok(())
        }
    }
}

/// A JSON string field.
pub(crate) fn js<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// A JSON number field.
pub(crate) fn jn(v: &Value, k: &str) -> Option<u64> {
    v.get(k).and_then(Value::as_u64)
}

/// `ip -j addr show dev DEV`'s `addr_info` entries.
fn ip_addrs(ctx: &Ctx, dev: &str) -> Result<Vec<Value>, Failed> {
    let v = ctx.ip_json(&["addr", "show", "dev", dev])?;
    Ok(v.get(0)
        .and_then(|l| l.get("addr_info"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

fn find<'a>(addrs: &'a [Address], local: &str) -> Result<&'a Address, Failed> {
    addrs
        .iter()
        .find(|a| a.local == ip(local))
        .ok_or_else(|| format!("address {local} not found in {addrs:?}"))
}

fn find_json<'a>(addrs: &'a [Value], local: &str) -> Result<&'a Value, Failed> {
    addrs
        .iter()
        .find(|a| js(a, "local") == Some(local))
        .ok_or_else(|| format!("ip -j: address {local} not found in {addrs:?}"))
}

fn add_show(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let c = &mut ctx.conn;
    t!(c.add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))));
    t!(c.add_address(&AddrSpec::new("v0", net("10.0.1.1/32")).peer(ip("10.0.1.2"))));
    t!(c.add_address(
        &AddrSpec::new("v0", net("10.0.2.1/24"))
            .broadcast("10.0.2.255".parse().unwrap())
            .label("v0:x")
            .scope(Scope::LINK)
            .lifetimes(1000, 500)
            .noprefixroute()
    ));
    t!(c.add_address(&AddrSpec::new("v0", net("2001:db8::1/64")).nodad()));
    t!(c.add_address(
        &AddrSpec::new("v0", net("2001:db8:1::1/64"))
            .nodad()
            .noprefixroute()
    ));

    let ours = t!(ctx.conn.addresses_of("v0", None));
    let a = find(&ours, "10.0.0.1")?;
    ensure_eq!(a.prefix_len, 24);
    ensure_eq!(a.scope, Scope::UNIVERSE);
    ensure_eq!(a.label.as_deref(), Some("v0"));
    ensure_eq!(a.valid_lft, Some(u32::MAX));
    let p = find(&ours, "10.0.1.1")?;
    ensure_eq!(p.peer, Some(ip("10.0.1.2")));
    ensure_eq!(p.prefix_len, 32);
    let b = find(&ours, "10.0.2.1")?;
    ensure_eq!(b.broadcast, Some("10.0.2.255".parse().unwrap()));
    ensure_eq!(b.label.as_deref(), Some("v0:x"));
    ensure_eq!(b.scope, Scope::LINK);
    ensure!(b.flags.contains(AddrFlags::NOPREFIXROUTE), "{:?}", b.flags);
    ensure!(
        b.valid_lft.is_some_and(|v| v <= 1000 && v > 900),
        "valid_lft {:?}",
        b.valid_lft
    );
    let v6 = find(&ours, "2001:db8::1")?;
    ensure_eq!(v6.family, AddrFamily::INET6);
    ensure!(v6.flags.contains(AddrFlags::NODAD), "{:?}", v6.flags);
    let v6b = find(&ours, "2001:db8:1::1")?;
    ensure!(
        v6b.flags.contains(AddrFlags::NOPREFIXROUTE),
        "{:?}",
        v6b.flags
    );

    // Family filters.
    let only6 = t!(ctx.conn.addresses_of("v0", Some(AddrFamily::INET6)));
    ensure!(
        only6.iter().all(|a| a.family == AddrFamily::INET6) && only6.len() >= 2,
        "{only6:?}"
    );
    let all4 = t!(ctx.conn.addresses(Some(AddrFamily::INET)));
    ensure_eq!(all4.len(), 4, "lo + three on v0: {all4:?}");

    // Cross-check with iproute2.
    let j = ip_addrs(ctx, "v0")?;
    let e = find_json(&j, "10.0.0.1")?;
    ensure_eq!(jn(e, "prefixlen"), Some(24));
    ensure_eq!(js(e, "scope"), Some("global"));
    ensure_eq!(js(e, "label"), Some("v0"));
    let e = find_json(&j, "10.0.1.1")?;
    ensure_eq!(js(e, "address"), Some("10.0.1.2"));
    let e = find_json(&j, "10.0.2.1")?;
    ensure_eq!(js(e, "broadcast"), Some("10.0.2.255"));
    ensure_eq!(js(e, "label"), Some("v0:x"));
    ensure_eq!(js(e, "scope"), Some("link"));
    ensure_eq!(e.get("noprefixroute"), Some(&Value::Bool(true)));
    ensure!(jn(e, "valid_life_time").is_some_and(|v| v <= 1000), "{e}");
    let e = find_json(&j, "2001:db8::1")?;
    ensure_eq!(e.get("nodad"), Some(&Value::Bool(true)));
    ensure_eq!(js(e, "family"), Some("inet6"));
    // Same set of addresses both ways.
    let mut a: Vec<String> = ours.iter().map(|a| a.local.to_string()).collect();
    let mut b: Vec<String> = j
        .iter()
        .filter_map(|e| js(e, "local").map(str::to_string))
        .collect();
    a.sort();
    b.sort();
    ensure_eq!(a, b);
    Ok(())
}

fn replace_delete(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    let spec = AddrSpec::new("v0", net("10.0.0.1/24")).lifetimes(300, 200);
    t!(ctx.conn.add_address(&spec));
    // replace: same address, new lifetimes; twice is still one address.
    let forever = AddrSpec::new("v0", net("10.0.0.1/24"));
    t!(ctx.conn.replace_address(&forever));
    t!(ctx.conn.replace_address(&forever));
    let v4 = t!(ctx.conn.addresses_of("v0", Some(AddrFamily::INET)));
    ensure_eq!(v4.len(), 1, "{v4:?}");
    ensure_eq!(v4[0].valid_lft, Some(u32::MAX));
    ensure_eq!(v4[0].preferred_lft, Some(u32::MAX));
    // replace creates when missing (v6 too).
    t!(ctx
        .conn
        .replace_address(&AddrSpec::new("v0", net("2001:db8::7/64")).nodad()));
    let j = ip_addrs(ctx, "v0")?;
    ensure_eq!(
        jn(find_json(&j, "10.0.0.1")?, "valid_life_time"),
        Some(u64::from(u32::MAX))
    );
    find_json(&j, "2001:db8::7")?;

    t!(ctx.conn.delete_address("v0", net("10.0.0.1/24")));
    t!(ctx.conn.delete_address("v0", net("2001:db8::7/64")));
    let left = t!(ctx.conn.addresses_of("v0", None));
    ensure!(
        left.iter()
            .all(|a| !a.local.is_ipv4() && a.local.to_string().starts_with("fe80")),
        "only the link-local address is left: {left:?}"
    );
    let j = ip_addrs(ctx, "v0")?;
    ensure!(
        j.iter()
            .all(|e| js(e, "local").is_some_and(|l| l.starts_with("fe80"))),
        "{j:?}"
    );
    Ok(())
}

fn errors(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))));
    expect_err(
        ctx.conn
            .add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))),
        17,
        "netlink EEXIST (17): ipv4: Address already assigned (address 10.0.0.1/24 already exists on \"v0\")",
    )?;
    expect_err(
        ctx.conn.delete_address("v0", net("10.0.9.1/24")),
        99,
        "netlink EADDRNOTAVAIL (99): ipv4: Address not found (address 10.0.9.1/24 is not on \"v0\")",
    )?;
    let e = ctx.conn.delete_address("v0", net("2001:db8::9/64")).err();
    ensure_eq!(e.as_ref().and_then(Error::errno), Some(99), "{e:?}");
    let e = e.map(|e| e.to_string()).unwrap_or_default();
    ensure!(
        e.starts_with("netlink EADDRNOTAVAIL (99): ")
            && e.ends_with("(address 2001:db8::9/64 is not on \"v0\")"),
        "{e}"
    );
    expect_err(
        ctx.conn
            .add_address(&AddrSpec::new("nope0", net("10.0.3.1/24"))),
        19,
        "netlink ENODEV (19): no such interface \"nope0\"",
    )?;
    let e = ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.4.1/24")).label("foo"))
        .err();
    ensure!(matches!(e, Some(Error::Invalid(_))), "{e:?}");
    let v4 = t!(ctx.conn.addresses_of("v0", Some(AddrFamily::INET)));
    ensure_eq!(v4.len(), 1, "nothing was added by the failures: {v4:?}");
    Ok(())
}
