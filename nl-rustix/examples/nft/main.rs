//! `nft`: a small nftables front end on nl-rustix that speaks nftables' own
//! JSON (libnftables-json, what `nft -j` reads and prints).
//!
//! ```text
//! nft [-n NETNS] -j -f FILE       apply every command of FILE as ONE transaction
//! nft [-n NETNS] -j list ruleset  print the ruleset as nft 1.0.6 prints it
//! ```
//!
//! `-n NETNS` names a network namespace (a name under `/run/netns`, or a
//! path); nft's own `-n` (numeric output) is not supported. Bad input
//! (malformed JSON, an unknown family, an expression this example does not
//! support, a command the kernel refuses) is an error on stderr, exit
//! status 1, and nothing changed: the whole file is one nf_tables batch.
//! A listing never fails for one rule or set it cannot render: that one is
//! left out with a warning on stderr naming it, the rest is printed, and
//! the exit status is 0.
//!
//! Layout: `input.rs` turns JSON commands into [`nl_rustix::nft::Cmd`]s
//! (compiling rule statements into kernel expressions as nft does),
//! `listing.rs` turns the kernel's ruleset back into nft's JSON, `jsonfmt.rs`
//! prints JSON with nft's spacing.

mod anonset;
mod exthdr;
mod fields;
mod input;
mod jsonfmt;
mod keys;
mod listing;
mod mangle;
mod matches;
mod merge;
mod namedset;
mod objects;
mod rulelist;
mod settype;
mod sources;
mod stmt;

use nl_rustix::{Conn, Netns, Protocol};
use std::process::ExitCode;

const USAGE: &str = "usage: nft [-n NETNS] -j -f FILE | nft [-n NETNS] -j list ruleset";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let mut netns = None;
    let mut json = false;
    let mut file = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-n" | "--netns" => netns = Some(it.next().ok_or(USAGE)?.clone()),
            "-j" | "--json" => json = true,
            "-f" | "--file" => file = Some(it.next().ok_or(USAGE)?.clone()),
            _ => rest.push(a.as_str()),
        }
    }
    if !json {
        return Err(format!("only JSON (-j) is supported\n{USAGE}"));
    }
    let ns = netns.as_deref().map_or(Netns::Current, Netns::from_arg);
    // Interface names for `meta iif` and the like, as the namespace has
    // them (nft resolves them when it compiles and when it lists).
    if let Ok(mut route) = ns
        .socket(Protocol::Route)
        .map_err(|e| e.to_string())
        .and_then(|s| Conn::with_socket(s).map_err(|e| e.to_string()))
        && let Ok(links) = route.links()
    {
        let names = links
            .into_iter()
            .map(|l| (l.index, l.name.as_str().to_string()))
            .collect();
        let _ = fields::LINKS.set(names);
    }
    let open = || -> Result<Conn, String> {
        let sock = ns.socket(Protocol::Netfilter).map_err(|e| e.to_string())?;
        Conn::with_socket(sock).map_err(|e| e.to_string())
    };
    match (file, rest.as_slice()) {
        (Some(path), []) => {
            let text = if path == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))?
            } else {
                std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?
            };
            let mut conn = open()?;
            let existing = nl_rustix::nft::list_sets(&mut conn).map_err(|e| e.to_string())?;
            let existing: Vec<_> = existing.into_iter().map(|(s, _)| s).collect();
            let cmds = input::parse(&text, &existing)?;
            nl_rustix::nft::apply(&mut conn, &cmds).map_err(|e| e.to_string())
        }
        (None, ["list", "ruleset"]) => {
            let mut conn = open()?;
            let rs = nl_rustix::nft::list_ruleset(&mut conn).map_err(|e| e.to_string())?;
            let (value, warnings) = listing::ruleset(&rs);
            println!("{}", jsonfmt::to_string(&value));
            for w in warnings {
                eprintln!("Warning: {w}");
            }
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}
