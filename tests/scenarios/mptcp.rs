//! The MPTCP path manager through the driver (`MptcpPm`), cross-checked
//! with `ip mptcp` in the same private namespace (endpoints and limits are
//! per network namespace).

use crate::addrs::{expect_err, jn, js};
use nl_proto::genl::mptcp::{Endpoint, EndpointFlags, Limits};
use nl_rustix::Conn;
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;
use std::net::IpAddr;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "mptcp::endpoints_like_ip_mptcp",
            needs_kinds: &[],
            needs_ip: true,
            run: endpoints,
        },
        Scenario {
            name: "mptcp::limits_like_ip_mptcp",
            needs_kinds: &[],
            needs_ip: true,
            run: limits,
        },
        Scenario {
            name: "mptcp::kernel_refusals_name_the_endpoint",
            needs_kinds: &[],
            needs_ip: false,
            run: refusals,
        },
    ]
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// An endpoint as `ip -j mptcp endpoint show` lists it: address, id,
/// flag names, dev.
type Row = (String, u64, Vec<String>, Option<String>);

fn ip_endpoints(ctx: &Ctx) -> Result<Vec<Row>, Failed> {
    let v = ctx.ip_json(&["mptcp", "endpoint", "show"])?;
    let list = v.as_array().ok_or_else(|| format!("not a list: {v}"))?;
    Ok(list
        .iter()
        .map(|e| {
            let flags = ["signal", "subflow", "backup", "fullmesh"]
                .iter()
                .filter(|f| e.get(**f) == Some(&Value::Bool(true)))
                .map(|f| f.to_string())
                .collect();
            (
                js(e, "address").unwrap_or_default().to_string(),
                jn(e, "id").unwrap_or(u64::MAX),
                flags,
                js(e, "dev").map(str::to_string),
            )
        })
        .collect())
}

fn endpoints(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.ip(&["link", "set", "lo", "up"])?;
    // A port needs the address to exist (the kernel opens a listener).
    ctx.ip(&["addr", "add", "10.0.0.1/8", "dev", "lo"])?;
    let lo = t!(ctx.conn.link_index("lo"));
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    ensure!(
        t!(pm.endpoints()).is_empty(),
        "a fresh namespace has endpoints"
    );

    let signal = Endpoint {
        addr: Some(ip("10.0.0.1")),
        id: Some(3),
        port: Some(5000),
        flags: EndpointFlags::SIGNAL,
        ifindex: Some(lo),
    };
    t!(pm.add_endpoint(&signal));
    let mesh = Endpoint::at(
        ip("2001:db8::1"),
        EndpointFlags::SUBFLOW | EndpointFlags::BACKUP | EndpointFlags::FULLMESH,
    );
    t!(pm.add_endpoint(&mesh));
    // One made by iproute2 is seen too.
    ctx.ip(&["mptcp", "endpoint", "add", "10.0.0.9", "id", "9", "subflow"])?;

    let ours = t!(pm.endpoints());
    ensure_eq!(ours.len(), 3, "{ours:?}");
    ensure_eq!(ours[0], signal);
    ensure_eq!(ours[1].addr, mesh.addr);
    ensure_eq!(ours[1].flags, mesh.flags);
    let mesh_id = ours[1].id.ok_or("the kernel gave no id")?;
    ensure_eq!(ours[2].id, Some(9));

    // The same list as ip shows it.
    let listed: Vec<Row> = ours
        .iter()
        .map(|e| {
            (
                e.addr.map(|a| a.to_string()).unwrap_or_default(),
                u64::from(e.id.unwrap_or(0)),
                e.flags.names().map(str::to_string).collect::<Vec<_>>(),
                (e.ifindex == Some(lo)).then(|| "lo".to_string()),
            )
        })
        .collect();
    ensure_eq!(listed, ip_endpoints(ctx)?);

    // Get by id, change flags, delete, flush.
    ensure_eq!(t!(pm.endpoint(3)), signal);
    t!(pm.change_endpoint(&Endpoint {
        flags: EndpointFlags::SUBFLOW,
        ..Endpoint::with_id(9)
    }));
    ensure_eq!(t!(pm.endpoint(9)).flags, EndpointFlags::SUBFLOW);
    t!(pm.change_endpoint(&Endpoint {
        flags: EndpointFlags::BACKUP,
        ..Endpoint::with_id(9)
    }));
    ensure_eq!(
        t!(pm.endpoint(9)).flags,
        EndpointFlags::SUBFLOW | EndpointFlags::BACKUP
    );
    t!(pm.delete_endpoint(&Endpoint::with_id(mesh_id)));
    let ids: Vec<_> = t!(pm.endpoints()).iter().map(|e| e.id).collect();
    ensure_eq!(ids, vec![Some(3), Some(9)]);
    t!(pm.flush_endpoints());
    ensure!(t!(pm.endpoints()).is_empty(), "flush left endpoints");
    ensure!(ip_endpoints(ctx)?.is_empty(), "ip still lists endpoints");
    Ok(())
}

fn limits(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    let before = t!(pm.limits());
    let text = ctx.ip(&["mptcp", "limits", "show"])?;
    ensure_eq!(
        text,
        format!(
            "add_addr_accepted {} subflows {} \n",
            before.add_addr_accepted.unwrap_or(0),
            before.subflows.unwrap_or(0)
        )
    );
    // Setting one leaves the other.
    t!(pm.set_limits(&Limits {
        subflows: Some(5),
        ..Limits::default()
    }));
    ensure_eq!(
        t!(pm.limits()),
        Limits {
            subflows: Some(5),
            ..before
        }
    );
    t!(pm.set_limits(&Limits {
        add_addr_accepted: Some(8),
        subflows: Some(0),
    }));
    ensure_eq!(
        ctx.ip(&["mptcp", "limits", "show"])?,
        "add_addr_accepted 8 subflows 0 \n"
    );
    ctx.ip(&["mptcp", "limits", "set", "subflows", "2"])?;
    ensure_eq!(
        t!(pm.limits()),
        Limits {
            add_addr_accepted: Some(8),
            subflows: Some(2),
        }
    );
    Ok(())
}

fn refusals(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::open_generic_in(&ctx.netns()));
    let mut pm = t!(conn.mptcp_pm());
    let ep = Endpoint::at(ip("10.0.0.2"), EndpointFlags::SUBFLOW);
    t!(pm.add_endpoint(&ep));
    expect_err(
        pm.add_endpoint(&ep),
        17,
        "netlink EEXIST (17): too many addresses or duplicate one: -17 (mptcp endpoint 10.0.0.2)",
    )?;
    expect_err(
        pm.endpoint(42),
        22,
        "netlink EINVAL (22): address not found (mptcp endpoint id 42)",
    )?;
    expect_err(
        pm.delete_endpoint(&Endpoint::with_id(42)),
        22,
        "netlink EINVAL (22): address not found (mptcp endpoint id 42)",
    )?;
    expect_err(
        pm.set_limits(&Limits {
            subflows: Some(9),
            ..Limits::default()
        }),
        22,
        "netlink EINVAL (22): limit greater than maximum (8)",
    )?;
    // Still one endpoint, limits unchanged by the refusal.
    ensure_eq!(t!(pm.endpoints()).len(), 1);
    ensure!(
        t!(pm.limits()).subflows != Some(9),
        "a refused limit applied"
    );
    Ok(())
}
