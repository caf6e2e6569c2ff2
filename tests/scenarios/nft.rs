//! nf_tables through the `nft` example and the `nl_rustix::nft` verbs,
//! cross-checked with nftables' own `nft` (1.0.6) where it is installed.
//!
//! The JSON documents are nftables' own (`nft -j`): the same file is
//! applied by `nft -j -f` in one private namespace and by the example in
//! another, and `nft -j list ruleset` must print the same in both; the
//! example's own listing must equal nft's byte for byte.

use nl_rustix::nft::{self, Cmd};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{Expr, Placement, Verdict};
use nl_rustix::{Conn, PrivateNetns, Protocol};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub(crate) fn scenarios() -> Vec<Scenario> {
    let with_nft = |name, run| Scenario {
        name,
        needs_kinds: &["cmd:nft"],
        needs_ip: false,
        run,
    };
    vec![
        Scenario {
            name: "nft::verbs_apply_list_delete_replace",
            needs_kinds: &[],
            needs_ip: false,
            run: verbs,
        },
        with_nft("nft::same_file_same_ruleset_as_nft", same_file),
        with_nft("nft::sets_and_elements_same_as_nft", sets_and_elements),
        with_nft("nft::bad_input_changes_nothing_with_either", bad_input),
        with_nft("nft::five_thousand_rules_apply_whole", many_rules),
        with_nft(
            "nft::listing_survives_what_it_cannot_render",
            partial_listing,
        ),
        with_nft("nft::rule_builder_writes_what_nft_writes", builder),
        with_nft("nft::expressions_and_statements_same_as_nft", expressions),
        Scenario {
            name: "nft::hundred_thousand_elements_one_transaction",
            needs_kinds: &[],
            needs_ip: false,
            run: many_elements,
        },
    ]
}

/// `nft -j list ruleset` of a ruleset with every supported statement,
/// as nft 1.0.6 printed it for the text rules in its comment:
/// `ip saddr 10.0.0.0/8 tcp dport 22 counter accept`, `iifname "lo"
/// accept`, `ip6 daddr ::1 udp sport 53 drop`, `meta l4proto udp udp
/// dport 1000-2000 limit rate 10/second burst 5 packets log prefix "x "
/// jump r`, `meta mark 0x1 reject`, `tcp dport != 10-20 log goto r`,
/// `return`; nat chains with `ip saddr 10.1.16.0/20 tcp dport != 100-200
/// dnat to 10.0.0.2:8080`, `oifname "eth0" masquerade`, `ip daddr
/// 192.168.0.0/16 snat to 1.2.3.4`; `reject` and `limit rate 1/minute
/// log` in an ip table.
const RULESET: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "t", "handle": 1}}, {"chain": {"family": "inet", "table": "t", "name": "c", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"chain": {"family": "inet", "table": "t", "name": "r", "handle": 2}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 8}}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "daddr"}}, "right": "::1"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "sport"}}, "right": 53}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 6, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": {"range": [1000, 2000]}}}, {"limit": {"rate": 10, "burst": 5, "per": "second"}}, {"log": {"prefix": "x "}}, {"jump": {"target": "r"}}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 7, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}}, {"reject": {"type": "icmpx", "expr": "port-unreachable"}}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 8, "expr": [{"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [10, 20]}}}, {"log": null}, {"goto": {"target": "r"}}]}}, {"rule": {"family": "inet", "table": "t", "chain": "r", "handle": 9, "expr": [{"return": null}]}}, {"table": {"family": "ip", "name": "n", "handle": 2}}, {"chain": {"family": "ip", "table": "n", "name": "pre", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}}, {"chain": {"family": "ip", "table": "n", "name": "post", "handle": 2, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}}, {"rule": {"family": "ip", "table": "n", "chain": "pre", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.1.16.0", "len": 20}}}}, {"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [100, 200]}}}, {"dnat": {"addr": "10.0.0.2", "port": 8080}}]}}, {"rule": {"family": "ip", "table": "n", "chain": "post", "handle": 4, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth0"}}, {"masquerade": null}]}}, {"rule": {"family": "ip", "table": "n", "chain": "post", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "192.168.0.0", "len": 16}}}}, {"snat": {"addr": "1.2.3.4"}}]}}, {"table": {"family": "ip", "name": "x", "handle": 3}}, {"chain": {"family": "ip", "table": "x", "name": "c", "handle": 1}}, {"rule": {"family": "ip", "table": "x", "chain": "c", "handle": 2, "expr": [{"reject": {"type": "icmp", "expr": "port-unreachable"}}]}}, {"rule": {"family": "ip", "table": "x", "chain": "c", "handle": 3, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.0.0.1"}}, {"limit": {"rate": 1, "burst": 5, "per": "minute"}}, {"log": null}]}}]}"#;

/// `nft -j list ruleset` of typed sets (ipv4_addr, inet_service and
/// ipv4_addr intervals, ifname, ether_addr, ipv6_addr, mark, a timeout
/// set) and rules looking them up (`ip saddr @a tcp dport @p`, `ip daddr
/// != @n`, `iifname @i`, `ip6 saddr @s6`), as nft 1.0.6 printed it.
const SETS: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "t", "handle": 1}}, {"set": {"family": "inet", "name": "a", "table": "t", "type": "ipv4_addr", "handle": 1, "elem": ["10.0.0.1", "10.0.0.2", "192.168.0.1"]}}, {"set": {"family": "inet", "name": "p", "table": "t", "type": "inet_service", "handle": 2, "flags": ["interval"], "elem": [22, {"range": [1000, 2000]}, 8080]}}, {"set": {"family": "inet", "name": "n", "table": "t", "type": "ipv4_addr", "handle": 3, "flags": ["interval"], "elem": ["1.2.3.4", {"prefix": {"addr": "10.0.0.0", "len": 8}}, {"range": ["172.16.0.1", "172.16.0.9"]}]}}, {"set": {"family": "inet", "name": "i", "table": "t", "type": "ifname", "handle": 4, "elem": ["lo", "eth0"]}}, {"set": {"family": "inet", "name": "e", "table": "t", "type": "ether_addr", "handle": 5, "elem": ["02:00:00:00:00:01"]}}, {"set": {"family": "inet", "name": "s6", "table": "t", "type": "ipv6_addr", "handle": 6, "elem": ["::1", "2001:db8::1"]}}, {"set": {"family": "inet", "name": "mk", "table": "t", "type": "mark", "handle": 7, "elem": [1, 7, 256]}}, {"set": {"family": "inet", "name": "m", "table": "t", "type": "mark", "handle": 8, "flags": ["timeout"], "timeout": 3600}}, {"chain": {"family": "inet", "table": "t", "name": "c", "handle": 9, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 10, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@a"}}, {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": "@p"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 11, "expr": [{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "@n"}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 12, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "@i"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 13, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}}, "right": "@s6"}}, {"accept": null}]}}]}"#;

/// Anonymous sets and maps, concatenations and named maps, as nft 1.0.6
/// lists the text rules `tcp dport { 22, 80 } accept`, `ip saddr . tcp
/// dport { 1.2.3.4 . 22 } drop`, `tcp dport vmap { 22 : accept, 23-30 :
/// drop, * : continue }`, `meta mark { 1-10, 20 } accept`, `ip daddr != {
/// 10.0.0.0/8, 1.1.1.1 } drop`, `ct state { established, related }
/// accept`, `ip saddr . ip daddr { 192.0.2.1 . 10.0.0.1-10.0.0.2 }
/// accept`, `ip saddr vmap @m`, `ip saddr . tcp dport @cs accept` with
/// `map m { type ipv4_addr : verdict; … }` and `set cs { type ipv4_addr .
/// inet_service; flags interval; … }` (applied once as JSON, so that the
/// handles are those a JSON apply gives).
const ANON: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "t", "handle": 1}}, {"map": {"family": "inet", "name": "m", "table": "t", "type": "ipv4_addr", "handle": 1, "map": "verdict", "elem": [["10.0.0.1", {"accept": null}], ["10.0.0.2", {"drop": null}]]}}, {"set": {"family": "inet", "name": "cs", "table": "t", "type": ["ipv4_addr", "inet_service"], "handle": 2, "flags": ["interval"], "elem": [{"concat": [{"prefix": {"addr": "10.0.0.0", "len": 8}}, {"range": [22, 23]}]}]}}, {"chain": {"family": "inet", "table": "t", "name": "c", "handle": 3}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, 80]}}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 7, "expr": [{"match": {"op": "==", "left": {"concat": [{"payload": {"protocol": "ip", "field": "saddr"}}, {"payload": {"protocol": "tcp", "field": "dport"}}]}, "right": {"set": [{"concat": ["1.2.3.4", 22]}]}}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 9, "expr": [{"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": {"set": [[22, {"accept": null}], [{"range": [23, 30]}, {"drop": null}], ["*", {"continue": null}]]}}}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 11, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": {"set": [{"range": [1, 10]}, 20]}}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 13, "expr": [{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"set": ["1.1.1.1", {"prefix": {"addr": "10.0.0.0", "len": 8}}]}}}, {"drop": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 15, "expr": [{"match": {"op": "==", "left": {"ct": {"key": "state"}}, "right": {"set": ["established", "related"]}}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 17, "expr": [{"match": {"op": "==", "left": {"concat": [{"payload": {"protocol": "ip", "field": "saddr"}}, {"payload": {"protocol": "ip", "field": "daddr"}}]}, "right": {"set": [{"concat": ["192.0.2.1", {"range": ["10.0.0.1", "10.0.0.2"]}]}]}}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 18, "expr": [{"vmap": {"key": {"payload": {"protocol": "ip", "field": "saddr"}}, "data": "@m"}}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 19, "expr": [{"match": {"op": "==", "left": {"concat": [{"payload": {"protocol": "ip", "field": "saddr"}}, {"payload": {"protocol": "tcp", "field": "dport"}}]}, "right": "@cs"}}, {"accept": null}]}}]}"#;

/// Element changes on top of [`SETS`]: add and delete elements, a range and
/// a prefix into interval sets, delete a set.
const ELEMS: &str = r#"{"nftables": [{"add": {"element": {"family": "inet", "table": "t", "name": "a", "elem": ["10.9.9.9"]}}}, {"delete": {"element": {"family": "inet", "table": "t", "name": "a", "elem": ["10.0.0.1"]}}}, {"add": {"element": {"family": "inet", "table": "t", "name": "p", "elem": [{"range": [3000, 3010]}, 5]}}}, {"add": {"element": {"family": "inet", "table": "t", "name": "n", "elem": [{"prefix": {"addr": "192.168.0.0", "len": 16}}]}}}, {"delete": {"set": {"family": "inet", "table": "t", "name": "mk"}}}]}"#;

/// `ct state established,related accept`, `ct state new accept`, `ct
/// state != established accept`, `ct state invalid counter drop`, as nft
/// 1.0.6 lists them.
const CT_STATE: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "t", "handle": 1}}, {"chain": {"family": "inet", "table": "t", "name": "c", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 2, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 3, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "new"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 4, "expr": [{"match": {"op": "!=", "left": {"ct": {"key": "state"}}, "right": "established"}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 5, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "invalid"}}, {"counter": {"packets": 0, "bytes": 0}}, {"drop": null}]}}]}"#;

fn example_bin() -> Result<PathBuf, Failed> {
    nl_tests::example_bin("nft")
}

/// Run a program with `stdin`, either the example (`-n NS` given) or the
/// system's nft (entered into the namespace).
pub(crate) fn run(
    ns: &PrivateNetns,
    ours: bool,
    args: &[&str],
    stdin: &str,
) -> Result<Output, Failed> {
    let spawn = |mut cmd: Command| -> Result<Output, String> {
        let mut child = cmd
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        if let Some(mut pipe) = child.stdin.take() {
            use std::io::Write;
            pipe.write_all(stdin.as_bytes())
                .map_err(|e| e.to_string())?;
        }
        child.wait_with_output().map_err(|e| e.to_string())
    };
    if ours {
        let mut cmd = Command::new(example_bin()?);
        cmd.arg("-n").arg(ns.path());
        spawn(cmd)
    } else {
        t!(ns.netns().run(|| spawn(Command::new("nft"))))
    }
}

pub(crate) fn listing(ns: &PrivateNetns, ours: bool) -> Result<String, Failed> {
    let out = run(ns, ours, &["-j", "list", "ruleset"], "")?;
    ensure!(
        out.status.success(),
        "list ruleset (ours: {ours}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Apply `doc` (`-j -f FILE`) with nft or the example. A file, not stdin:
/// nft 1.0.6 exits 0 without a word on malformed JSON from stdin.
pub(crate) fn apply(ns: &PrivateNetns, ours: bool, doc: &str) -> Result<Output, Failed> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "nl-nft-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    t!(std::fs::write(&path, doc));
    let out = run(ns, ours, &["-j", "-f", &path.to_string_lossy()], "");
    let _ = std::fs::remove_file(&path);
    out
}

pub(crate) fn nft_conn(ns: &PrivateNetns) -> Result<Conn, Failed> {
    let sock = t!(ns.netns().socket(Protocol::Netfilter));
    let mut conn = t!(Conn::with_socket(sock));
    t!(conn.set_timeout(Some(std::time::Duration::from_secs(5))));
    Ok(conn)
}

fn accept() -> Expr<'static> {
    Expr::verdict(Verdict::ACCEPT)
}

/// The verbs alone (no nft needed): one transaction adds a table, a chain
/// and two rules; a rule is deleted by handle; a failing transaction
/// changes nothing; a table's ruleset is replaced atomically.
fn verbs(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = nft_conn(&ctx.ns)?;
    let inet = NfProto::INET;
    let rule = || -> Result<Cmd, Failed> {
        Ok(Cmd::AddRule {
            family: inet,
            table: "t".into(),
            chain: "c".into(),
            at: Placement::Append(None),
            exprs: t!(nft::encode_exprs(&[accept()])),
        })
    };
    t!(nft::apply(
        &mut conn,
        &[
            Cmd::AddTable {
                family: inet,
                name: "t".into()
            },
            Cmd::AddChain {
                family: inet,
                table: "t".into(),
                name: "c".into(),
                base: None,
                exclusive: false,
            },
            rule()?,
            rule()?,
        ]
    ));
    let rs = t!(nft::list_ruleset(&mut conn));
    ensure_eq!(rs.tables.len(), 1);
    ensure_eq!(rs.chains.len(), 1);
    ensure_eq!(rs.rules.len(), 2);
    let first = rs.rules[0].rule();
    ensure_eq!(
        first.exprs().map(|e| e.ok()).collect::<Vec<_>>(),
        vec![Some(accept())]
    );
    let handle = first.handle;

    t!(nft::apply(
        &mut conn,
        &[Cmd::DeleteRule {
            family: inet,
            table: "t".into(),
            chain: "c".into(),
            handle,
        }]
    ));
    let rs = t!(nft::list_ruleset(&mut conn));
    ensure_eq!(rs.rules.len(), 1);
    ensure!(
        rs.rules[0].rule().handle != handle,
        "deleted the wrong rule"
    );

    // One bad command (a chain in a missing table): nothing of it applies.
    let err = nft::apply(
        &mut conn,
        &[
            Cmd::AddTable {
                family: inet,
                name: "u".into(),
            },
            Cmd::AddChain {
                family: inet,
                table: "missing".into(),
                name: "c".into(),
                base: None,
                exclusive: false,
            },
        ],
    );
    let err = match err {
        Ok(()) => return Err("a batch with a bad command succeeded".into()),
        Err(e) => e,
    };
    ensure_eq!(err.errno(), Some(2), "{err}");
    ensure!(
        err.to_string().contains("add chain inet missing c"),
        "{err}"
    );
    let rs = t!(nft::list_ruleset(&mut conn));
    ensure_eq!(
        rs.tables.len(),
        1,
        "table u was created by an aborted batch"
    );

    // Replace the table's ruleset in one transaction.
    t!(nft::apply(
        &mut conn,
        &[
            Cmd::DeleteTable {
                family: inet,
                name: "t".into()
            },
            Cmd::AddTable {
                family: inet,
                name: "t".into()
            },
            Cmd::AddChain {
                family: inet,
                table: "t".into(),
                name: "c".into(),
                base: None,
                exclusive: false,
            },
            rule()?,
            rule()?,
            rule()?,
        ]
    ));
    let rs = t!(nft::list_ruleset(&mut conn));
    ensure_eq!(rs.rules.len(), 3);
    Ok(())
}

fn same_file(_: &mut Ctx) -> Result<(), Failed> {
    for doc in [RULESET, CT_STATE, ANON] {
        let (a, b) = (t!(PrivateNetns::new()), t!(PrivateNetns::new()));
        let by_nft = apply(&a, false, doc)?;
        ensure!(
            by_nft.status.success(),
            "nft: {}",
            String::from_utf8_lossy(&by_nft.stderr)
        );
        let by_us = apply(&b, true, doc)?;
        ensure!(
            by_us.status.success(),
            "example: {}",
            String::from_utf8_lossy(&by_us.stderr)
        );
        let (la, lb) = (listing(&a, false)?, listing(&b, false)?);
        ensure_eq!(la, lb);
        // The document is nft's own listing: applying it reproduces it.
        ensure_eq!(la.trim_end(), doc);
        // And our listing is nft's, byte for byte, in both namespaces.
        ensure_eq!(listing(&a, true)?, la);
        ensure_eq!(listing(&b, true)?, lb);
    }
    Ok(())
}

fn sets_and_elements(_: &mut Ctx) -> Result<(), Failed> {
    let (a, b) = (t!(PrivateNetns::new()), t!(PrivateNetns::new()));
    for doc in [SETS, ELEMS] {
        let by_nft = apply(&a, false, doc)?;
        ensure!(
            by_nft.status.success(),
            "nft: {}",
            String::from_utf8_lossy(&by_nft.stderr)
        );
        let by_us = apply(&b, true, doc)?;
        ensure!(
            by_us.status.success(),
            "example: {}",
            String::from_utf8_lossy(&by_us.stderr)
        );
        let (la, lb) = (listing(&a, false)?, listing(&b, false)?);
        ensure_eq!(la, lb);
        ensure_eq!(listing(&a, true)?, la);
        ensure_eq!(listing(&b, true)?, lb);
        if doc == SETS {
            ensure_eq!(la.trim_end(), SETS);
        }
    }
    Ok(())
}

fn bad_input(_: &mut Ctx) -> Result<(), Failed> {
    let good_then_bad = |bad: &str| {
        format!(
            r#"{{"nftables": [{{"add": {{"table": {{"family": "inet", "name": "new"}}}}}}, {bad}]}}"#
        )
    };
    let cases = [
        // The kernel refuses it: a chain in a missing table.
        good_then_bad(r#"{"add": {"chain": {"family": "inet", "table": "missing", "name": "c"}}}"#),
        // Unknown family.
        good_then_bad(r#"{"add": {"table": {"family": "inet7", "name": "x"}}}"#),
        // Malformed JSON.
        r#"{"nftables": [{"add": {"table": {"family": "inet", "name": "new"}}}"#.to_string(),
    ];
    for ours in [false, true] {
        let ns = t!(PrivateNetns::new());
        let setup = apply(&ns, false, RULESET)?;
        ensure!(
            setup.status.success(),
            "setup: {}",
            String::from_utf8_lossy(&setup.stderr)
        );
        let before = listing(&ns, false)?;
        for doc in &cases {
            let out = apply(&ns, ours, doc)?;
            ensure!(!out.status.success(), "ours: {ours}: accepted {doc}");
            ensure!(!out.stderr.is_empty(), "ours: {ours}: no message for {doc}");
            ensure_eq!(
                listing(&ns, false)?,
                before,
                "ours: {ours}: {doc} changed the ruleset"
            );
        }
    }
    // What only the example refuses (nft supports more): a statement it
    // does not know is an error before anything is sent.
    let ns = t!(PrivateNetns::new());
    let doc = good_then_bad(
        r#"{"add": {"rule": {"family": "inet", "table": "new", "chain": "c", "expr": [{"osf": {"key": "name"}}]}}}"#,
    );
    let out = apply(&ns, true, &doc)?;
    ensure!(!out.status.success(), "accepted an unsupported statement");
    let msg = String::from_utf8_lossy(&out.stderr);
    ensure!(msg.contains("unsupported statement `osf`"), "{msg}");
    ensure!(!listing(&ns, false)?.contains("\"new\""), "table created");
    Ok(())
}

fn many_rules(_: &mut Ctx) -> Result<(), Failed> {
    let doc = rules_doc(5000);
    let ns = t!(PrivateNetns::new());
    let out = apply(&ns, true, &doc)?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = nft_conn(&ns)?;
    let rs = t!(nft::list_ruleset(&mut conn));
    ensure_eq!(rs.rules.len(), 5000);
    // nft reads back what the example wrote exactly as the example does.
    ensure_eq!(listing(&ns, true)?, listing(&ns, false)?);
    Ok(())
}

/// 100,000 IPv4 elements (past one message's 64 KiB nest many times
/// over) apply in one transaction with their set and list back whole; a
/// bad element in the last message fails the command that holds it and
/// leaves nothing behind.
fn many_elements(ctx: &mut Ctx) -> Result<(), Failed> {
    const N: u32 = 100_000;
    let mut conn = nft_conn(&ctx.ns)?;
    let inet = NfProto::INET;
    let elem = |key: Vec<u8>| nft::SetElem {
        key,
        flags: 0,
        ..Default::default()
    };
    let cmds = |mut elems: Vec<nft::SetElem>, extra: Option<Vec<u8>>| {
        if let Some(k) = extra {
            elems.push(elem(k));
        }
        vec![
            Cmd::AddTable {
                family: inet,
                name: "t".into(),
            },
            Cmd::AddSet {
                family: inet,
                set: nft::SetSpec {
                    table: "t".into(),
                    name: "big".into(),
                    flags: 0,
                    key_type: 7,
                    key_len: 4,
                    id: 1,
                    userdata: vec![0, 4, 2, 0, 0, 0],
                    ..Default::default()
                },
            },
            Cmd::AddElems {
                family: inet,
                table: "t".into(),
                set: "big".into(),
                set_id: Some(1),
                elems,
            },
        ]
    };
    let elems: Vec<_> = (0..N)
        .map(|i| elem((0x0a00_0000 + i).to_be_bytes().to_vec()))
        .collect();

    // A 3-byte key for a 4-byte set, last: the kernel refuses the last
    // element message only, and the error names the elements' command.
    let err = nft::apply(&mut conn, &cmds(elems.clone(), Some(vec![1, 2, 3])));
    let err = match err {
        Ok(()) => return Err("a 3-byte key in a 4-byte set was accepted".into()),
        Err(e) => e,
    };
    ensure_eq!(err.errno(), Some(22), "{err}");
    ensure!(
        err.to_string()
            .contains("command 3 of 3: add element inet t big"),
        "{err}"
    );
    ensure_eq!(t!(nft::list_ruleset(&mut conn)).tables.len(), 0);

    t!(nft::apply(&mut conn, &cmds(elems, None)));
    // The kernel grows the set's hash table in the background after a bulk
    // insert, and a dump walking it meanwhile can see an element twice and
    // miss another (nft's listing too): a listing that is off is retried a
    // few times; one that stays off fails.
    let mut last = String::new();
    for _ in 0..10 {
        let sets = t!(nft::list_sets(&mut conn));
        ensure_eq!(sets.len(), 1);
        let (set, listed) = &sets[0];
        ensure_eq!(set.name.as_str(), "big");
        let mut keys: Vec<u32> = listed
            .iter()
            .map(|e| e.key.as_slice().try_into().map(u32::from_be_bytes))
            .collect::<Result<_, _>>()
            .map_err(|_| "a key is not 4 bytes")?;
        keys.sort_unstable();
        keys.dedup();
        if listed.len() == N as usize && keys.iter().copied().eq(0x0a00_0000..0x0a00_0000 + N) {
            return Ok(());
        }
        last = format!("{} listed, {} distinct", listed.len(), keys.len());
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Err(format!(
        "the listed elements are not the ones added: {last}"
    ))
}

/// Rules written by nft with statements of every kind around ones the
/// example cannot (yet) render: its listing still succeeds, lists every
/// rule it can exactly as nft does, and names each one it leaves out.
fn partial_listing(_: &mut Ctx) -> Result<(), Failed> {
    const RULES: &str = "table inet t {
        chain c {
            tcp dport 22 accept
            quota 10 mbytes
            fib daddr type local accept
            ip daddr set 10.0.0.1
            meta l4proto udp notrack
            osf name \"Linux\" accept
            synproxy mss 1460 wscale 7
            counter accept
        }
    }
    ";
    let ns = t!(PrivateNetns::new());
    let out = run(&ns, false, &["-f", "-"], RULES)?;
    ensure!(
        out.status.success(),
        "nft: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: serde_json::Value = t!(serde_json::from_str(&listing(&ns, false)?));
    let out = run(&ns, true, &["-j", "list", "ruleset"], "")?;
    let warnings = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.success(), "the listing failed: {warnings}");
    let ours: serde_json::Value = t!(serde_json::from_slice(&out.stdout));
    let items = |v: &serde_json::Value| v["nftables"].as_array().cloned().unwrap_or_default();
    let ours = items(&ours);
    let mut listed = 0;
    for item in items(&theirs) {
        if ours.contains(&item) {
            listed += 1;
            continue;
        }
        let r = &item["rule"];
        let name = format!(
            "rule inet t c handle {}:",
            r["handle"]
                .as_u64()
                .ok_or(format!("not listed by us: {item}"))?
        );
        ensure!(
            warnings
                .lines()
                .any(|l| l.starts_with(&format!("Warning: {name}"))),
            "{name} neither listed nor named in the warnings: {warnings}"
        );
    }
    // The table, the chain, `tcp dport 22 accept` and `counter accept`
    // at least; and nothing of ours that nft does not list.
    ensure!(listed >= 4, "only {listed} items listed");
    ensure_eq!(
        listed + warnings.lines().count(),
        items(&theirs).len(),
        "{warnings}"
    );
    Ok(())
}

/// One rule of each kind of expression and statement the example
/// compiles (extension headers, TCP options, SCTP chunks, mangle, log and
/// limit options, reject types, nat flags, merged and masked header
/// matches, meta and ct keys, rt/socket/fib/ipsec/osf), written by nft
/// from its own syntax: the example lists them exactly as nft does, and
/// applying nft's listing with the example leaves what nft's own apply
/// leaves.
fn expressions(_: &mut Ctx) -> Result<(), Failed> {
    const RULES: &str = "table inet t {
        chain c {
            type filter hook input priority 0;
            hbh nexthdr 22
            frag more-fragments 1
            exthdr rt exists
            srh sid[1] dead::beef
            tcp option maxseg size 1
            tcp option sack1 right 1
            tcp option 255 missing
            tcp option maxseg size set 1360
            reset tcp option mptcp
            sctp chunk init initial-tsn 5
            sctp chunk data exists
            mh nexthdr 33-45
            meta mark set 0xffffffc8 xor 0x16
            ct mark set ct mark or 0x00000001
            ct original zone set 1
            meta mark and 0x03 == 0x01
            meta mark 0xffffff00/24
            meta iif \"lo\" accept
            meta hour \"17:00:01\" drop
            meta day \"Saturday\" drop
            meta time < \"2022-07-01 11:00:00\" accept
            tcp sport 1024 tcp dport 22
            tcp flags & (syn | ack) == syn | ack
            icmp mtu 33
            icmpv6 code no-route
            log prefix \"x \" group 2 snaplen 33 queue-threshold 2
            log level debug flags ip options flags skuid
            limit rate over 1025 kbytes/second burst 1023 kbytes
            reject with icmp host-unreachable
            mark 12345 reject with tcp reset
            reject with icmpx admin-prohibited
            fib daddr . iif type local
            fib daddr oif missing
            socket mark 0x00000005
            ipsec in reqid 1
            osf ttl loose name \"Linux\"
            ct event set new,destroy
        }
        chain n {
            type nat hook postrouting priority 100;
            meta l4proto tcp masquerade to :1024-2048 random,persistent
        }
        chain p {
            type nat hook prerouting priority 0;
            tcp dport 9128 redirect to :993 fully-random
        }
    }
    ";
    lists_and_applies_as_nft(RULES)
}

/// Rules in nft's syntax, loaded by nft: our listing of them is nft's
/// byte for byte, and our applying that listing leaves what nft left.
pub(crate) fn lists_and_applies_as_nft(rules: &str) -> Result<(), Failed> {
    let (a, b) = (t!(PrivateNetns::new()), t!(PrivateNetns::new()));
    let out = run(&a, false, &["-f", "-"], rules)?;
    ensure!(
        out.status.success(),
        "nft: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = listing(&a, false)?;
    let out = run(&a, true, &["-j", "list", "ruleset"], "")?;
    ensure!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ensure_eq!(String::from_utf8_lossy(&out.stdout), theirs);
    let by_us = apply(&b, true, &theirs)?;
    ensure!(
        by_us.status.success(),
        "example: {}",
        String::from_utf8_lossy(&by_us.stderr)
    );
    ensure_eq!(listing(&b, false)?, theirs);
    Ok(())
}

/// Rules from [`nft::RuleBuilder`] list in nft exactly as the same rules
/// written in nft's syntax.
fn builder(_: &mut Ctx) -> Result<(), Failed> {
    use nl_rustix::nl_proto::nfnl::nft::CtKey;
    const TEXT: &str = "table ip t {
        chain c {
            tcp dport 22 counter accept
            ct state established,related accept
            udp sport 53 udp dport 5353 drop
            jump d
        }
        chain d {
        }
        chain n {
            type nat hook prerouting priority -100; policy accept;
            tcp dport 80 dnat to 10.0.0.2:8080
        }
        chain p {
            type nat hook postrouting priority 100; policy accept;
            snat to 10.0.0.9
        }
    }
    ";
    let ours = t!(PrivateNetns::new());
    let chain = |name: &str, base| Cmd::AddChain {
        family: NfProto::IPV4,
        table: "t".into(),
        name: name.into(),
        base,
        exclusive: false,
    };
    let rule = |chain: &str, b: nft::RuleBuilder| -> Result<Cmd, Failed> {
        Ok(Cmd::AddRule {
            family: NfProto::IPV4,
            table: "t".into(),
            chain: chain.into(),
            at: Placement::Append(None),
            exprs: t!(b.build()),
        })
    };
    let b = nft::RuleBuilder::new;
    let cmds = vec![
        Cmd::AddTable {
            family: NfProto::IPV4,
            name: "t".into(),
        },
        chain("c", None),
        chain("d", None),
        chain(
            "n",
            Some(nft::BaseSpec {
                chain_type: "nat".into(),
                hook: nl_rustix::nl_proto::nfnl::nft::HookNum::PREROUTING,
                priority: -100,
                policy: None,
                device: None,
            }),
        ),
        chain(
            "p",
            Some(nft::BaseSpec {
                chain_type: "nat".into(),
                hook: nl_rustix::nl_proto::nfnl::nft::HookNum::POSTROUTING,
                priority: 100,
                policy: None,
                device: None,
            }),
        ),
        rule("c", b().tcp_dport(22).counter().accept())?,
        rule(
            "c",
            b().ct_state(CtKey::STATE_ESTABLISHED | CtKey::STATE_RELATED)
                .accept(),
        )?,
        rule("c", b().udp_sport(53).udp_dport(5353).drop())?,
        rule("c", b().jump("d"))?,
        rule("n", b().tcp_dport(80).dnat(t!("10.0.0.2:8080".parse())))?,
        rule("p", b().snat(t!("10.0.0.9:0".parse())))?,
    ];
    let mut conn = nft_conn(&ours)?;
    t!(nft::apply(&mut conn, &cmds));
    let theirs = t!(PrivateNetns::new());
    let out = run(&theirs, false, &["-f", "-"], TEXT)?;
    ensure!(
        out.status.success(),
        "nft: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = |ns: &PrivateNetns| -> Result<String, Failed> {
        let out = run(ns, false, &["list", "ruleset"], "")?;
        ensure!(out.status.success(), "nft list ruleset failed");
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let listed = text(&ours)?;
    ensure!(listed.contains("dnat to 10.0.0.2:8080"), "{listed}");
    ensure_eq!(listed, text(&theirs)?);
    ensure_eq!(listing(&ours, false)?, listing(&theirs, false)?);
    Ok(())
}

/// A table with one base chain and `n` rules `ip saddr 10.X.Y.Z tcp dport
/// P counter accept`, as an nft JSON document.
pub(crate) fn rules_doc(n: u32) -> String {
    let mut items = vec![
        r#"{"add": {"table": {"family": "inet", "name": "big"}}}"#.to_string(),
        r#"{"add": {"chain": {"family": "inet", "table": "big", "name": "in", "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}}"#.to_string(),
    ];
    for i in 0..n {
        let [_, a, b, c] = i.to_be_bytes();
        items.push(format!(
            r#"{{"add": {{"rule": {{"family": "inet", "table": "big", "chain": "in", "expr": [{{"match": {{"op": "==", "left": {{"payload": {{"protocol": "ip", "field": "saddr"}}}}, "right": "10.{a}.{b}.{c}"}}}}, {{"match": {{"op": "==", "left": {{"payload": {{"protocol": "tcp", "field": "dport"}}}}, "right": {}}}}}, {{"counter": null}}, {{"accept": null}}]}}}}}}"#,
            1000 + i % 50000
        ));
    }
    format!(r#"{{"nftables": [{}]}}"#, items.join(", "))
}
