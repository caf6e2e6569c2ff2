//! nf_tables benchmark (issues 10 and 20), side by side with nftables'
//! `nft` (1.0.6): apply one 10,000-rule table, and one set of 100,000
//! IPv4 elements, each as one transaction from the same nft JSON file with
//! the `nft` example and with `nft -j -f` (and, for reference, nft's
//! native syntax with `nft -f`), then list it back with both (`-j list
//! ruleset`).
//!
//! Everything happens inside private network namespaces; the host's is
//! never touched. Needs root and `nft`; otherwise prints why it is
//! skipped and exits 0. Needs the example built in the same profile
//! (`cargo bench` builds it; else `cargo build --release -p nl-rustix
//! --examples`).
//!
//! Run with `cargo bench -p nl-rustix --bench nft`. Wall-clock times of
//! whole processes (start, parse, netlink, exit), median of 5 with min and
//! max; every trial uses a fresh namespace.

use nl_rustix::PrivateNetns;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RULES: u32 = 10_000;
const ELEMS: u32 = 100_000;
const TRIALS: usize = 5;

fn json_doc(n: u32) -> String {
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

fn text_doc(n: u32) -> String {
    let mut s = String::from(
        "add table inet big\nadd chain inet big in { type filter hook input priority 0; policy accept; }\n",
    );
    for i in 0..n {
        let [_, a, b, c] = i.to_be_bytes();
        s += &format!(
            "add rule inet big in ip saddr 10.{a}.{b}.{c} tcp dport {} counter accept\n",
            1000 + i % 50000
        );
    }
    s
}

fn ip(i: u32) -> String {
    let [a, b, c, d] = (0x0a00_0000 + i).to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

fn set_json_doc(n: u32) -> String {
    let elems: Vec<String> = (0..n).map(|i| format!("\"{}\"", ip(i))).collect();
    format!(
        r#"{{"nftables": [{{"add": {{"table": {{"family": "inet", "name": "big"}}}}}}, {{"add": {{"set": {{"family": "inet", "table": "big", "name": "s", "type": "ipv4_addr", "elem": [{}]}}}}}}]}}"#,
        elems.join(", ")
    )
}

fn set_text_doc(n: u32) -> String {
    let elems: Vec<String> = (0..n).map(ip).collect();
    format!(
        "add table inet big\nadd set inet big s {{ type ipv4_addr; elements = {{ {} }} }}\n",
        elems.join(", ")
    )
}

fn example_bin() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("examples").join("nft");
    bin.is_file().then_some(bin)
}

/// Run `prog args` in `ns` (the example gets `-n`), timing the process.
fn timed(ns: &PrivateNetns, prog: &Path, ours: bool, args: &[&str]) -> Duration {
    let ns_path = ns.path();
    let run = || {
        let mut cmd = Command::new(prog);
        if ours {
            cmd.arg("-n").arg(&ns_path);
        }
        let start = Instant::now();
        let out = cmd
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("spawn");
        assert!(
            out.status.success(),
            "{} {args:?}: {}",
            prog.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        start.elapsed()
    };
    if ours {
        run()
    } else {
        ns.netns().run(run).expect("enter namespace")
    }
}

fn summary(name: &str, mut t: Vec<Duration>) {
    t.sort();
    println!(
        "{name:<44} median {:>8.1} ms  (min {:.1}, max {:.1})",
        t[t.len() / 2].as_secs_f64() * 1e3,
        t[0].as_secs_f64() * 1e3,
        t[t.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if PrivateNetns::new().is_err() {
        println!("nft bench skipped: needs root (cannot create a network namespace)");
        return;
    }
    let nft_ok = Command::new("nft")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !nft_ok {
        println!("nft bench skipped: needs the `nft` command");
        return;
    }
    let Some(ours) = example_bin() else {
        println!("nft bench skipped: the nft example is not built next to the bench");
        return;
    };
    let nft = PathBuf::from("nft");
    let what = format!("one table, one chain, {RULES} rules");
    compare(
        &ours,
        &nft,
        &what,
        "rules",
        &json_doc(RULES),
        &text_doc(RULES),
    );
    let what = format!("one table, one set of {ELEMS} IPv4 elements");
    compare(
        &ours,
        &nft,
        &what,
        "set",
        &set_json_doc(ELEMS),
        &set_text_doc(ELEMS),
    );
}

/// Time applying `json` with both and `text` with nft, and listing back.
fn compare(ours: &Path, nft: &Path, what: &str, tag: &str, json: &str, text: &str) {
    let dir = std::env::temp_dir();
    let id = std::process::id();
    let json_path = dir.join(format!("nl-bench-nft-{tag}-{id}.json"));
    let text_path = dir.join(format!("nl-bench-nft-{tag}-{id}.nft"));
    std::fs::write(&json_path, json).expect("write json");
    std::fs::write(&text_path, text).expect("write text");
    let (json_s, text_s) = (json_path.to_string_lossy(), text_path.to_string_lossy());

    println!("nf_tables: {what}, one transaction; {TRIALS} trials");
    let mut results: Vec<(&str, Vec<Duration>)> = vec![
        ("apply JSON: nft example -j -f", vec![]),
        ("apply JSON: nft -j -f", vec![]),
        ("apply text: nft -f (reference)", vec![]),
        ("list: nft example -j list ruleset", vec![]),
        ("list: nft -j list ruleset", vec![]),
    ];
    for _ in 0..TRIALS {
        let ns = PrivateNetns::new().expect("netns");
        results[0]
            .1
            .push(timed(&ns, ours, true, &["-j", "-f", &json_s]));
        results[3]
            .1
            .push(timed(&ns, ours, true, &["-j", "list", "ruleset"]));
        results[4]
            .1
            .push(timed(&ns, nft, false, &["-j", "list", "ruleset"]));
        let ns = PrivateNetns::new().expect("netns");
        results[1]
            .1
            .push(timed(&ns, nft, false, &["-j", "-f", &json_s]));
        let ns = PrivateNetns::new().expect("netns");
        results[2].1.push(timed(&ns, nft, false, &["-f", &text_s]));
    }
    for (name, t) in results {
        summary(name, t);
    }
    let _ = std::fs::remove_file(&json_path);
    let _ = std::fs::remove_file(&text_path);
}
