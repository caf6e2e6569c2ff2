//! The other families' verbs in a readiness loop (nf_tables, generic
//! netlink with mptcp and ethtool, traffic control), and connections
//! opened in a namespace by each way of naming it: each answers as the
//! blocking verb does on the same namespace.

use super::writes::{done, same};
use super::{CONN, setup};
use mio::{Interest, Poll};
use nl_mio::{Conn, Netns, Protocol, nft};
use nl_proto::genl::mptcp::{Endpoint, EndpointFlags, Limits};
use nl_proto::nfnl::NfProto;
use nl_proto::tc::{Handle, Mode, Object};
use nl_rustix::nft::Cmd;
use nl_rustix::{LinkSet, LinkSpec, TcDump, TcSpec};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::process::Command;

pub(crate) fn scenarios() -> Vec<Scenario> {
    let s = |name, run| Scenario {
        name,
        needs_kinds: &["veth"],
        needs_ip: false,
        run,
    };
    vec![
        s(
            "families::nft_apply_and_list_as_the_blocking_verbs",
            nft_verbs,
        ),
        s(
            "families::genl_mptcp_and_ethtool_as_the_blocking_verbs",
            genl,
        ),
        s("families::tc_verbs_as_the_blocking_verbs", tc),
        s("families::open_in_by_every_kind_of_namespace", netns),
        s("families::namespace_ids_as_the_blocking_verbs", nsids),
    ]
}

/// A connection of `protocol` in the scenario's namespace, registered.
fn open(ctx: &Ctx, protocol: Protocol) -> Result<(Poll, Conn), Failed> {
    let poll = t!(Poll::new());
    let mut conn = t!(Conn::open_protocol_in(protocol, &ctx.netns()));
    t!(poll
        .registry()
        .register(&mut conn, CONN, Interest::READABLE));
    Ok((poll, conn))
}

fn nft_verbs(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = open(ctx, Protocol::Netfilter)?;
    let mut b = t!(nl_rustix::Conn::with_socket(t!(ctx
        .netns()
        .socket(Protocol::Netfilter))));
    let inet = NfProto::INET;
    let cmds = [
        Cmd::AddTable {
            family: inet,
            name: "t".into(),
        },
        Cmd::AddChain {
            family: inet,
            table: "t".into(),
            name: "c".into(),
            base: None,
            exclusive: false,
        },
    ];
    t!(done(&mut poll, &mut conn, |c| nft::apply(c, &cmds))?);
    let got = t!(done(&mut poll, &mut conn, nft::list_ruleset)?);
    let want = t!(nl_rustix::nft::list_ruleset(&mut b));
    ensure_eq!(got.tables.len(), 1, "{:?}", got.tables);
    ensure_eq!(got.tables, want.tables);
    ensure_eq!(got.chains, want.chains);
    ensure_eq!(got.chains.len(), 1, "{:?}", got.chains);
    ensure_eq!(got.rules.len(), want.rules.len());
    let sets = t!(done(&mut poll, &mut conn, nft::list_sets)?);
    ensure_eq!(sets.len(), t!(nl_rustix::nft::list_sets(&mut b)).len());
    // A transaction the kernel refuses: nothing of it is applied, and
    // the error names the command as the blocking verb's does.
    let bad = [
        Cmd::AddTable {
            family: inet,
            name: "t2".into(),
        },
        Cmd::AddChain {
            family: inet,
            table: "missing".into(),
            name: "c".into(),
            base: None,
            exclusive: false,
        },
    ];
    let got = done(&mut poll, &mut conn, |c| nft::apply(c, &bad))?;
    ensure_eq!(
        got.as_ref().err().and_then(nl_mio::Error::errno),
        Some(libc::ENOENT),
        "{got:?}"
    );
    same(
        "refused transaction",
        got,
        nl_rustix::nft::apply(&mut b, &bad),
    )?;
    let tables = t!(nl_rustix::nft::list_ruleset(&mut b)).tables;
    ensure_eq!(tables.len(), 1, "nothing of the refused batch: {tables:?}");
    Ok(())
}

fn genl(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("va", "vb").up()));
    t!(ctx.conn.set_link(1u32, &LinkSet::new().up()));
    t!(ctx
        .conn
        .add_address(&nl_rustix::AddrSpec::new("lo", t!("10.0.0.1/8".parse()))));
    let (mut poll, mut conn) = open(ctx, Protocol::Generic)?;
    let (p, c) = (&mut poll, &mut conn);
    let mut b = t!(nl_rustix::Conn::open_generic_in(&ctx.netns()));
    let got = t!(done(p, c, |c| c.genl_family("nlctrl"))?);
    ensure_eq!(got, t!(b.genl_family("nlctrl")), "nlctrl");
    let mut got: Vec<String> = t!(done(p, c, |c| c.genl_families())?)
        .iter()
        .map(|f| f.name.to_string())
        .collect();
    let mut want: Vec<String> = t!(b.genl_families())
        .iter()
        .map(|f| f.name.to_string())
        .collect();
    got.sort();
    want.sort();
    ensure_eq!(got, want, "families");
    same(
        "genl_group nlctrl notify",
        done(p, c, |c| c.genl_group("nlctrl", "notify"))?,
        b.genl_group("nlctrl", "notify"),
    )?;
    let got = done(p, c, |c| c.genl_group("nlctrl", "nosuch"))?;
    ensure!(got.is_err(), "{got:?}");
    same("genl_group nosuch", got, b.genl_group("nlctrl", "nosuch"))?;
    let got = done(p, c, |c| c.genl_family("nosuchfamily"))?;
    ensure_eq!(
        got.as_ref().err().and_then(nl_mio::Error::errno),
        Some(libc::ENOENT)
    );
    same(
        "genl_family nosuch",
        got.map(|f| f.id),
        b.genl_family("nosuchfamily").map(|f| f.id),
    )?;

    same(
        "ethtool_linkmodes va",
        done(p, c, |c| c.ethtool_linkmodes("va"))?,
        b.ethtool_linkmodes("va"),
    )?;
    same(
        "ethtool_linkinfo va",
        done(p, c, |c| c.ethtool_linkinfo("va"))?,
        b.ethtool_linkinfo("va"),
    )?;
    let got = done(p, c, |c| c.ethtool_linkmodes("nosuch0"))?;
    ensure!(
        matches!(got, Err(nl_mio::Error::NoSuchLink { .. })),
        "{got:?}"
    );
    same("ethtool nosuch0", got, b.ethtool_linkmodes("nosuch0"))?;

    // MPTCP: whatever the kernel says (a kernel without it: the same
    // ENOENT from both), the two drivers agree.
    let limits = Limits {
        subflows: Some(2),
        add_addr_accepted: Some(2),
    };
    same(
        "set_limits",
        done(p, c, |c| c.mptcp_pm()?.set_limits(&limits))?,
        b.mptcp_pm().and_then(|mut pm| pm.set_limits(&limits)),
    )?;
    let ep = Endpoint {
        addr: Some(t!("10.0.0.1".parse())),
        id: Some(3),
        flags: EndpointFlags::SIGNAL,
        ..Endpoint::default()
    };
    let added = done(p, c, |c| c.mptcp_pm()?.add_endpoint(&ep))?;
    if added.is_ok() {
        same(
            "endpoints",
            done(p, c, |c| c.mptcp_pm()?.endpoints())?,
            b.mptcp_pm().and_then(|mut pm| pm.endpoints()),
        )?;
        same(
            "endpoint 3",
            done(p, c, |c| c.mptcp_pm()?.endpoint(3))?,
            b.mptcp_pm().and_then(|mut pm| pm.endpoint(3)),
        )?;
        same(
            "limits",
            done(p, c, |c| c.mptcp_pm()?.limits())?,
            b.mptcp_pm().and_then(|mut pm| pm.limits()),
        )?;
        // Adding it again is refused the same way by both.
        same(
            "add_endpoint twice",
            done(p, c, |c| c.mptcp_pm()?.add_endpoint(&ep))?,
            b.mptcp_pm().and_then(|mut pm| pm.add_endpoint(&ep)),
        )?;
        t!(done(p, c, |c| c.mptcp_pm()?.delete_endpoint(&ep))?);
        ensure!(
            t!(t!(b.mptcp_pm()).endpoints()).is_empty(),
            "endpoint deleted"
        );
        t!(done(p, c, |c| c.mptcp_pm()?.flush_endpoints())?);
    } else {
        same(
            "add_endpoint",
            added,
            b.mptcp_pm().and_then(|mut pm| pm.add_endpoint(&ep)),
        )?;
    }
    // A generic verb on an rtnetlink connection is refused before sending.
    let (mut rpoll, mut route) = setup(ctx)?;
    same(
        "genl on rtnetlink",
        done(&mut rpoll, &mut route, |c| c.genl_family("nlctrl"))?.map(|f| f.id),
        ctx.conn.genl_family("nlctrl").map(|f| f.id),
    )?;
    Ok(())
}

fn tc(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    t!(ctx.conn.create_link(&LinkSpec::veth("va", "vb").up()));
    let (p, c) = (&mut poll, &mut conn);
    let b = &mut ctx.conn;
    let root = TcSpec::new("va", Handle::ROOT, "pfifo").handle(Handle::new(1, 0));
    t!(done(p, c, |c| c.tc_new(Object::Qdisc, Mode::Add, &root))?);
    let got = t!(done(p, c, |c| c.qdiscs(Some("va".into())))?);
    ensure!(
        got.iter().any(|q| q.kind.as_str() == "pfifo"),
        "pfifo on va: {got:?}"
    );
    same("qdiscs va", Ok(got), b.qdiscs(Some("va".into())))?;
    same(
        "tc_dump qdiscs",
        done(p, c, |c| c.tc_dump(Object::Qdisc, &TcDump::dev("va")))?,
        b.tc_dump(Object::Qdisc, &TcDump::dev("va")),
    )?;
    same(
        "tc_get",
        done(p, c, |c| c.tc_get(Object::Qdisc, &root))?,
        b.tc_get(Object::Qdisc, &root),
    )?;
    let got = done(p, c, |c| c.tc_new(Object::Qdisc, Mode::Add, &root))?;
    ensure!(got.is_err(), "adding it again: {got:?}");
    same(
        "tc_new twice",
        got,
        b.tc_new(Object::Qdisc, Mode::Add, &root),
    )?;
    t!(done(p, c, |c| c.tc_delete(Object::Qdisc, &root))?);
    ensure!(
        !t!(b.qdiscs(Some("va".into())))
            .iter()
            .any(|q| q.kind.as_str() == "pfifo"),
        "pfifo deleted"
    );
    let got = done(p, c, |c| c.tc_delete(Object::Qdisc, &root))?;
    same("tc_delete absent", got, b.tc_delete(Object::Qdisc, &root))?;
    Ok(())
}

/// The link names a connection of nl-mio sees.
fn names_via(netns: &Netns) -> Result<Vec<String>, Failed> {
    let mut poll = t!(Poll::new());
    let mut conn = t!(Conn::open_in(netns));
    t!(poll
        .registry()
        .register(&mut conn, CONN, Interest::READABLE));
    let links = t!(done(&mut poll, &mut conn, |c| c.links())?);
    let mut names: Vec<String> = links.iter().map(|l| l.name.to_string()).collect();
    names.sort();
    Ok(names)
}

fn netns(ctx: &mut Ctx) -> Result<(), Failed> {
    t!(ctx.conn.create_link(&LinkSpec::veth("vx", "vy")));
    let want = vec!["lo".to_string(), "vx".to_string(), "vy".to_string()];
    ensure_eq!(names_via(&ctx.netns())?, want, "the scenario's netns");
    ensure_eq!(names_via(&Netns::Path(ctx.ns.path()))?, want, "by path");
    // A process inside the namespace, named by its pid, and pinned.
    let mut child = t!(t!(ctx
        .netns()
        .run(|| Command::new("sleep").arg("30").spawn())));
    let pid = child.id();
    let by_pid = names_via(&Netns::Pid(pid));
    let pinned = Netns::Pid(pid)
        .pin()
        .map_err(|e| e.to_string())
        .and_then(|p| names_via(&p.netns()));
    let _ = child.kill();
    let _ = child.wait();
    ensure_eq!(by_pid?, want, "by pid");
    ensure_eq!(pinned?, want, "pinned");
    // The calling thread's namespace: the same links as the blocking
    // driver lists there.
    let mut host: Vec<String> = t!(t!(nl_rustix::Conn::open_in(&Netns::Current)).links())
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    host.sort();
    ensure_eq!(
        names_via(&Netns::Current)?,
        host,
        "the calling thread's namespace"
    );
    // Generic netlink in a namespace too.
    let mut poll = t!(Poll::new());
    let mut g = t!(Conn::open_generic_in(&Netns::Path(ctx.ns.path())));
    t!(poll.registry().register(&mut g, CONN, Interest::READABLE));
    let f = t!(done(&mut poll, &mut g, |c| c.genl_family("nlctrl"))?);
    ensure_eq!(f.name.as_str(), "nlctrl");
    Ok(())
}

fn nsids(ctx: &mut Ctx) -> Result<(), Failed> {
    let (mut poll, mut conn) = setup(ctx)?;
    let (p, c) = (&mut poll, &mut conn);
    let b = &mut ctx.conn;
    let other = t!(nl_rustix::PrivateNetns::new());
    let third = t!(nl_rustix::PrivateNetns::new());
    // The descriptor is closed before the loop sends the request.
    let call = t!(c.set_nsid(&t!(std::fs::File::open(other.path())), Some(5)));
    t!(super::run_until_idle(p, c));
    t!(c.poll_call(&call).ok_or("set_nsid did not finish")?);
    let file = t!(std::fs::File::open(other.path()));
    let got = done(p, c, |c| c.nsid_of(&file))?;
    ensure_eq!(got.as_ref().ok().copied(), Some(Some(5)), "{got:?}");
    same("nsid_of", got, b.nsid_of(&file))?;
    let three = t!(std::fs::File::open(third.path()));
    same(
        "nsid_of unset",
        done(p, c, |c| c.nsid_of(&three))?,
        b.nsid_of(&three),
    )?;
    same("nsids", done(p, c, |c| c.nsids(None))?, b.nsids(None))?;
    same(
        "nsid_lookup 5",
        done(p, c, |c| c.nsid_lookup(5, None))?,
        b.nsid_lookup(5, None),
    )?;
    let got = done(p, c, |c| c.set_nsid(&file, Some(6)))?;
    ensure!(got.is_err(), "an id twice: {got:?}");
    same("set_nsid twice", got, b.set_nsid(&file, Some(6)))?;
    Ok(())
}
