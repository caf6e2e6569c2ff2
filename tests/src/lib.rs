//! The scenario harness: every scenario runs against the live kernel in a
//! private network namespace created for it, never in the host's.
//!
//! Namespaces come from [`PrivateNetns`]: a helper thread unshares into a
//! new namespace and hands back its descriptor. Sockets are opened inside
//! it through that descriptor, and `ip` cross-checks run as child processes
//! started from a thread that entered it, so the test thread itself never
//! changes namespace.
//!
//! Scenarios that need root, or a kernel feature this machine lacks, are
//! reported as *ignored* with the reason on stderr, never as passed.

use nl_rustix::{Conn, Netns, PrivateNetns};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The example program `name` of nl-rustix, `target/<profile>/examples/NAME`,
/// found from the running test binary's path (`target/<profile>/deps/…`).
///
/// # Errors
///
/// The example is not built (`cargo test --workspace` builds them all).
pub fn example_bin(name: &str) -> Result<PathBuf, Failed> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected test binary path {}", exe.display()))?;
    let bin = profile.join("examples").join(name);
    if !bin.is_file() {
        return Err(format!(
            "the {name} example is not built: {} is missing (run `cargo build -p nl-rustix --examples` or `cargo test --workspace`)",
            bin.display()
        ));
    }
    Ok(bin)
}

/// A scenario's failure message.
pub type Failed = String;

/// What a scenario gets: its own namespace and a connection inside it.
pub struct Ctx {
    /// The scenario's private namespace.
    pub ns: PrivateNetns,
    /// An rtnetlink connection opened inside it.
    pub conn: Conn,
}

impl Ctx {
    /// A fresh private namespace with `lo` up, and a connection in it.
    ///
    /// # Errors
    ///
    /// Namespace or socket creation fails.
    pub fn new() -> Result<Self, Failed> {
        let ns = PrivateNetns::new().map_err(|e| format!("private netns: {e}"))?;
        let conn = Conn::open_in(&ns.netns()).map_err(|e| format!("open conn: {e}"))?;
        Ok(Self { ns, conn })
    }

    /// The namespace as a [`Netns`].
    pub fn netns(&self) -> Netns {
        self.ns.netns()
    }

    /// Another connection in the same namespace.
    ///
    /// # Errors
    ///
    /// Socket creation fails.
    pub fn conn2(&self) -> Result<Conn, Failed> {
        Conn::open_in(&self.netns()).map_err(|e| e.to_string())
    }

    /// Run `ip ARGS…` inside the namespace; returns stdout, or stderr as
    /// the error when it exits non-zero.
    ///
    /// # Errors
    ///
    /// `ip` is missing or fails.
    pub fn ip(&self, args: &[&str]) -> Result<String, Failed> {
        run_in(&self.netns(), "ip", args)
    }

    /// Run `ip -j ARGS…` inside the namespace and parse its JSON.
    ///
    /// # Errors
    ///
    /// `ip` fails or prints something that is not JSON.
    pub fn ip_json(&self, args: &[&str]) -> Result<serde_json::Value, Failed> {
        let mut full = vec!["-j"];
        full.extend_from_slice(args);
        let out = self.ip(&full)?;
        let text = if out.trim().is_empty() {
            "[]"
        } else {
            out.as_str()
        };
        serde_json::from_str(text).map_err(|e| format!("ip -j {args:?}: bad JSON ({e}): {out}"))
    }
}

/// Run `prog ARGS…` as a child process inside `netns`.
///
/// # Errors
///
/// The program is missing or exits non-zero (its stderr is the message).
pub fn run_in(netns: &Netns, prog: &str, args: &[&str]) -> Result<String, Failed> {
    let out = netns
        .run(|| Command::new(prog).args(args).output())
        .map_err(|e| format!("enter netns for {prog}: {e}"))?
        .map_err(|e| format!("run {prog}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{prog} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether we may create namespaces (root, or a user namespace with
/// `CAP_SYS_ADMIN`). Checked by trying.
pub fn can_create_netns() -> Result<(), String> {
    PrivateNetns::new().map(|_| ()).map_err(|e| e.to_string())
}

/// Whether the kernel can create links of `kind`, checked in a throwaway
/// private namespace with `ip link add` (so this probe does not depend on
/// the code under test). Kinds that need a lower link get a veth (or `lo`
/// when veth itself is missing) and the arguments iproute2 requires; a
/// refusal other than the kernel's "Unknown device type" (`EOPNOTSUPP`)
/// still means the kind exists.
pub fn kernel_has_link_kind(kind: &str) -> bool {
    let Ok(ns) = PrivateNetns::new() else {
        return false;
    };
    let netns = ns.netns();
    let parent = if run_in(
        &netns,
        "ip",
        &["link", "add", "probep0", "type", "veth", "peer", "probep1"],
    )
    .is_ok()
    {
        "probep0"
    } else {
        "lo"
    };
    let mut args = vec!["link", "add", "name", "probe0"];
    if matches!(kind, "macvlan" | "macvtap" | "ipvlan" | "ipvtap" | "vlan") {
        args.extend(["link", parent]);
    }
    args.extend(["type", kind]);
    match kind {
        "vlan" | "vxlan" => args.extend(["id", "1"]),
        _ => {}
    }
    match run_in(&netns, "ip", &args) {
        Ok(_) => true,
        Err(e) => !e.contains("Unknown device type"),
    }
}

/// Whether `cmd` is installed (runs `cmd --version`).
pub fn have_command(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `tc LINE` succeeds in a fresh private namespace (an entry
/// `tc:LINE` of [`Scenario::needs_kinds`]): tc is installed and the
/// kernel has the qdisc, classifier or action the line uses (`'…'`
/// quotes a word with spaces). `lo` is
/// there; an ingress qdisc on it first when the line is a filter.
pub fn tc_accepts(line: &str) -> bool {
    let Ok(ns) = PrivateNetns::new() else {
        return false;
    };
    let netns = ns.netns();
    if line.starts_with("filter")
        && run_in(&netns, "tc", &["qdisc", "add", "dev", "lo", "ingress"]).is_err()
    {
        return false;
    }
    let args = shell_words(line);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(&netns, "tc", &args).is_ok()
}

/// Whether nft applies `text` (nft's syntax) in a fresh private
/// namespace (an entry `nft:TEXT` of [`Scenario::needs_kinds`]): nft is
/// installed and the kernel has what the text uses (a flowtable, a
/// secmark context).
pub fn nft_accepts(text: &str) -> bool {
    let Ok(ns) = PrivateNetns::new() else {
        return false;
    };
    let run = || {
        let mut child = Command::new("nft")
            .args(["-f", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        if let Some(mut pipe) = child.stdin.take() {
            use std::io::Write;
            pipe.write_all(text.as_bytes())?;
        }
        child.wait()
    };
    ns.netns()
        .run(run)
        .is_ok_and(|r| r.is_ok_and(|s| s.success()))
}

/// Split `line` into words at whitespace, keeping `'…'` together (the
/// quotes removed), as a shell would for the lines scenarios run.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// Whether the `ip` command is available.
pub fn have_ip() -> bool {
    Command::new("ip")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Fail with `msg` unless `cond`.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!("{}:{}: {}", file!(), line!(), format!($($fmt)+)));
        }
    };
}

/// Fail unless both sides are equal, showing both.
#[macro_export]
macro_rules! ensure_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            return Err(format!("{}:{}: {} != {}\n  left: {:?}\n right: {:?}", file!(), line!(), stringify!($left), stringify!($right), l, r));
        }
    }};
    ($left:expr, $right:expr, $($fmt:tt)+) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            return Err(format!("{}:{}: {}\n  left: {:?}\n right: {:?}", file!(), line!(), format!($($fmt)+), l, r));
        }
    }};
}

/// Turn any displayable error into a scenario failure with its location.
#[macro_export]
macro_rules! t {
    ($e:expr) => {
        $e.map_err(|e| format!("{}:{}: {}: {}", file!(), line!(), stringify!($e), e))?
    };
}

/// A scenario: a name, the kernel link kinds it needs, and its body.
pub struct Scenario {
    /// Unique name.
    pub name: &'static str,
    /// Link kinds that must exist in this kernel (probed before running);
    /// an entry `cmd:NAME` is instead a command that must be installed
    /// (e.g. `cmd:nft` for cross-checks with nftables), `file:PATH` a
    /// file that must exist, `tc:LINE` a `tc` line that must work
    /// (see [`tc_accepts`]), and `nft:TEXT` nft lines that must apply
    /// (see [`nft_accepts`]).
    pub needs_kinds: &'static [&'static str],
    /// Whether it needs the `ip` command for cross-checks.
    pub needs_ip: bool,
    /// The body, given a fresh private namespace.
    pub run: fn(&mut Ctx) -> Result<(), Failed>,
}

/// Turn scenarios into libtest-mimic trials, marking as ignored (with the
/// reason printed) those this machine cannot run.
pub fn trials(scenarios: &[Scenario]) -> Vec<libtest_mimic::Trial> {
    let netns = can_create_netns();
    if let Err(e) = &netns {
        eprintln!(
            "SKIPPING all kernel scenarios: cannot create a network namespace ({e}); run as root"
        );
    }
    let ip = have_ip();
    if !ip {
        eprintln!("SKIPPING scenarios that cross-check with iproute2: `ip` is not installed");
    }
    let mut kinds = std::collections::HashMap::new();
    scenarios
        .iter()
        .map(|s| {
            let mut reason = None;
            if netns.is_err() {
                reason = Some("needs root (cannot create a network namespace)".to_string());
            } else if s.needs_ip && !ip {
                reason = Some("needs the `ip` command".to_string());
            } else {
                for kind in s.needs_kinds {
                    if let Some(line) = kind.strip_prefix("tc:") {
                        if !tc_accepts(line) {
                            reason = Some(format!(
                                "needs `tc {line}` to work (tc or a kernel module missing)"
                            ));
                            break;
                        }
                        continue;
                    }
                    if let Some(text) = kind.strip_prefix("nft:") {
                        if !nft_accepts(text) {
                            reason = Some(format!(
                                "needs `nft -f` of `{text}` to work (nft or a kernel feature missing)"
                            ));
                            break;
                        }
                        continue;
                    }
                    if let Some(path) = kind.strip_prefix("file:") {
                        if !std::path::Path::new(path).exists() {
                            reason = Some(format!("needs {path}"));
                            break;
                        }
                        continue;
                    }
                    if let Some(cmd) = kind.strip_prefix("cmd:") {
                        if !have_command(cmd) {
                            reason = Some(format!("needs the `{cmd}` command"));
                            break;
                        }
                        continue;
                    }
                    let has = *kinds
                        .entry(*kind)
                        .or_insert_with(|| kernel_has_link_kind(kind));
                    if !has {
                        reason = Some(format!("kernel lacks link kind `{kind}`"));
                        break;
                    }
                }
            }
            if let Some(r) = &reason {
                eprintln!("SKIPPED {}: {r}", s.name);
            }
            let run = s.run;
            libtest_mimic::Trial::test(s.name, move || {
                let mut ctx = Ctx::new()?;
                run(&mut ctx).map_err(Into::into)
            })
            .with_ignored_flag(reason.is_some())
        })
        .collect()
}
