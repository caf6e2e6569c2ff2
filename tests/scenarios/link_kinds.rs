//! `ip link add|set … type KIND OPTIONS`: the requests the `ip` example
//! sends are iproute2 6.1's, byte for byte. Most of these kinds are absent
//! from this kernel (it refuses them), so what is compared is the request,
//! captured from both programs with `nl-capture` (strace, in private
//! namespaces of its own): one `-force -batch` file per program, every
//! `RTM_NEWLINK` it sent, `NLA_F_NESTED` cleared (our writer sets it,
//! iproute2 does not; the kernel takes both).

use crate::example::example_bin;
use nl_tests::{Ctx, Failed, Scenario, ensure_eq};
use std::process::Command;

/// The capture tool of this workspace's machine.
const NL_CAPTURE: &str = "/work/shared/tools/nl-capture";

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "link_kinds::add_and_set_requests_are_iproute2s",
            needs_kinds: &[
                "bridge",
                "veth",
                "cmd:strace",
                "file:/work/shared/tools/nl-capture",
            ],
            needs_ip: true,
            run: requests_match,
        },
        Scenario {
            name: "link_kinds::help_texts_are_iproute2s",
            needs_kinds: &[],
            needs_ip: true,
            run: help_texts,
        },
    ]
}

/// `ip link help` and each kind's `help`: iproute2's words (scripts probe
/// features by grepping them) and exit status, whole.
fn help_texts(ctx: &mut Ctx) -> Result<(), Failed> {
    let ours = example_bin()?;
    let ns = ctx.netns();
    let run = |prog: &std::path::Path, args: &[&str]| {
        ns.run(|| Command::new(prog).args(args).output())
            .map_err(|e| format!("enter namespace: {e}"))?
            .map_err(|e| format!("run {}: {e}", prog.display()))
    };
    let mut lines: Vec<Vec<&str>> = vec![vec!["link", "help"]];
    for kind in [
        "bridge",
        "vlan",
        "vrf",
        "bond",
        "geneve",
        "gre",
        "gretap",
        "erspan",
        "ip6gre",
        "ip6gretap",
        "ipip",
        "sit",
        "ip6tnl",
        "vxlan",
    ] {
        lines.push(vec!["link", "add", "type", kind, "help"]);
    }
    lines.push(vec![
        "link",
        "set",
        "dev",
        "lo",
        "type",
        "bridge_slave",
        "help",
    ]);
    for args in &lines {
        let theirs = run(std::path::Path::new("ip"), args)?;
        let mine = run(&ours, args)?;
        let line = args.join(" ");
        ensure_eq!(
            mine.status.code(),
            theirs.status.code(),
            "ip {line}: status"
        );
        ensure_eq!(
            String::from_utf8_lossy(&mine.stderr),
            String::from_utf8_lossy(&theirs.stderr),
            "ip {line}: stderr"
        );
        ensure_eq!(mine.stdout, theirs.stdout, "ip {line}: stdout");
    }
    Ok(())
}

/// One line per option set; names differ so that present kinds (bridge,
/// veth) do not collide. Bridge, bridge port and bond options are given in
/// the kernel's attribute order: iproute2 writes those in the order of the
/// words, the example in the kernel's (the same attributes, another order
/// for other word orders). The set lines work on `br0`, `v0` and `v1`,
/// created first.
const LINES: &[&str] = &[
    "link add br0 type bridge",
    "link add v0 type veth peer name v1",
    "link set v0 master br0",
    "link set dev br0 type bridge ageing_time 20000 stp_state 0 priority 7",
    "link set dev v0 type bridge_slave state 3 priority 10 cost 100 hairpin on guard on root_block on fastleave on learning off flood off proxy_arp on proxy_arp_wifi on mcast_router 2 mcast_flood off mcast_to_unicast on vlan_tunnel on bcast_flood off group_fwd_mask 8 neigh_suppress on isolated on backup_port v1 locked on",
    "link add br1 type bridge forward_delay 400 hello_time 100 max_age 1000 ageing_time 20000 stp_state 1 priority 100 group_fwd_mask 8 group_address 01:80:c2:00:00:0e mcast_router 2 mcast_snooping 0 mcast_query_use_ifaddr 1 mcast_querier 1 mcast_hash_elasticity 16 mcast_hash_max 1024 mcast_last_member_count 3 mcast_startup_query_count 3 mcast_last_member_interval 200 mcast_membership_interval 20000 mcast_querier_interval 20000 mcast_query_interval 10000 mcast_query_response_interval 500 mcast_startup_query_interval 2500 nf_call_iptables 1 nf_call_ip6tables 1 nf_call_arptables 1 vlan_default_pvid 2 vlan_stats_enabled 1 mcast_stats_enabled 1 mcast_igmp_version 3 mcast_mld_version 2 vlan_stats_per_port 1",
    "link add br2 type bridge vlan_filtering 1 vlan_protocol 802.1ad no_linklocal_learn 1 mcast_vlan_snooping 0",
    "link add vl0 link lo type vlan protocol 802.1ad id 5 ingress-qos-map 1:2 3:4 egress-qos-map 5:6 reorder_hdr off gvrp on mvrp on loose_binding on bridge_binding on",
    "link add vl1 link lo type vlan id 7",
    "link add vrf0 type vrf table 10",
    "link add wg0 type wireguard",
    "link add d0 type dummy",
    "link add bond0 type bond mode 802.3ad miimon 100 updelay 200 downdelay 200 arp_interval 100 arp_ip_target 10.0.0.1,10.0.0.2 xmit_hash_policy layer3+4 min_links 1 lacp_rate fast ad_actor_system 02:00:00:00:00:01",
    "link add bond1 type bond mode active-backup use_carrier 0 arp_validate all arp_all_targets all primary_reselect better fail_over_mac active resend_igmp 2 num_grat_arp 3 all_slaves_active 1 lp_interval 2 packets_per_slave 4 ad_select count ad_actor_sys_prio 9 ad_user_port_key 5 tlb_dynamic_lb 0 peer_notify_delay 100 lacp_active on arp_missed_max 3 ns_ip6_target 2001:db8::1",
    "link add gnv0 type geneve id 10 remote 10.1.1.1 ttl 64 tos 0x10 df set flowlabel 0x12 dstport 6082 noudpcsum udp6zerocsumtx udp6zerocsumrx",
    "link add gnv1 type geneve external",
    "link add gnv2 type geneve id 5 remote 2001:db8::2 innerprotoinherit",
    "link add gre0 type gre remote 10.0.0.2 local 10.0.0.1 ttl 64 tos 0x10 key 42 csum seq nopmtudisc",
    "link add gre1 type gre remote 10.0.0.2 dev lo ignore-df fwmark 7",
    "link add gt0 type gretap remote 10.0.0.2 local 10.0.0.1 ikey 1 okey 2 ttl 10 icsum oseq",
    "link add gt1 type gretap external",
    "link add es0 type erspan remote 10.0.0.2 local 10.0.0.1 seq key 1 erspan_ver 1 erspan 3",
    "link add es1 type erspan remote 10.0.0.2 local 10.0.0.1 seq key 1 erspan_ver 2 erspan_dir egress erspan_hwid 7",
    "link add g6 type ip6gre remote 2001:db8::2 local 2001:db8::1 hoplimit 32 tclass 0x10 flowlabel 0x5 encaplimit 4 key 9",
    "link add g7 type ip6gre remote 2001:db8::2 dev lo",
    "link add g8 type ip6gretap remote 2001:db8::2 okey 3",
    "link add ipip0 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 tos 0x10 pmtudisc",
    "link add ipip1 type ipip remote 10.0.0.2 dev lo mode any fwmark 3",
    "link add sit0 type sit remote 10.0.0.2 local 10.0.0.1 ttl 64 mode ip6ip",
    "link add sit1 type sit remote 10.0.0.2 isatap",
    "link add t6 type ip6tnl remote 2001:db8::2 local 2001:db8::1 hoplimit 32 encaplimit 4 tclass 0x10 flowlabel 0x5 mode ip6ip6",
    "link add t7 type ip6tnl remote 2001:db8::2 dev lo mode ipip6 encaplimit none",
];

/// The `RTM_NEWLINK`s `program` sends for the batch file, as hex, with
/// `NLA_F_NESTED` cleared; iproute2's per-line 32-byte probe (an empty
/// `RTM_NEWLINK` it sends to learn whether the kernel speaks rtnetlink
/// link creation) is left out.
fn newlinks(program: &str, batch: &str) -> Result<Vec<String>, Failed> {
    let out = Command::new(NL_CAPTURE)
        .args([
            "--json",
            "--normalize",
            "--",
            program,
            "-force",
            "-batch",
            batch,
        ])
        .output()
        .map_err(|e| format!("{NL_CAPTURE}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut msgs = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("nl-capture line {line:?}: {e}"))?;
        if v["dir"] != "send" {
            continue;
        }
        let hex = v["hex"].as_str().ok_or("nl-capture: no hex")?;
        let mut b: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("nl-capture hex: {e}"))?;
        if b.len() <= 32 || u16::from_ne_bytes([b[4], b[5]]) != 16 {
            continue;
        }
        clear_nested(&mut b[32..]);
        msgs.push(b.iter().map(|x| format!("{x:02x}")).collect());
    }
    Ok(msgs)
}

fn clear_nested(b: &mut [u8]) {
    let mut i = 0;
    while i + 4 <= b.len() {
        let len = usize::from(u16::from_ne_bytes([b[i], b[i + 1]]));
        if len < 4 || i + len > b.len() {
            return;
        }
        if b[i + 3] & 0x80 != 0 {
            b[i + 3] &= 0x7f;
            clear_nested(&mut b[i + 4..i + len]);
        }
        i += (len + 3) & !3;
    }
}

fn requests_match(_ctx: &mut Ctx) -> Result<(), Failed> {
    let ours = example_bin()?;
    let dir = tempfile_dir()?;
    let batch = dir.join("kinds.batch");
    std::fs::write(&batch, LINES.join("\n") + "\n").map_err(|e| format!("write batch: {e}"))?;
    let batch = batch.to_string_lossy().into_owned();
    let theirs = newlinks("ip", &batch)?;
    let mine = newlinks(&ours.to_string_lossy(), &batch)?;
    let _ = std::fs::remove_dir_all(&dir);
    // Every line sends one request (the veth line too), whatever the
    // kernel answers.
    ensure_eq!(theirs.len(), LINES.len(), "iproute2's requests");
    for ((line, a), b) in LINES.iter().zip(&theirs).zip(&mine) {
        ensure_eq!(b, a, "ip {line} (left: ours, right: iproute2's)");
    }
    ensure_eq!(mine.len(), theirs.len());
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, Failed> {
    let dir = std::env::temp_dir().join(format!("nl-link-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("temp dir: {e}"))?;
    Ok(dir)
}
