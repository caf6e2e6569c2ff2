//! `ip netns`: list, add, del, exec — named namespaces under `/run/netns`,
//! as iproute2 keeps them (a file bind-mounted over the namespace).
//!
//! The bind mount and its removal run the system's `mount` and `umount`
//! (this example keeps to safe Rust). Unlike iproute2, `exec` does not
//! give the command a mount namespace with `/sys` remounted for the
//! namespace, nor `/etc/netns/NAME` files.

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::words::{Opts, Words, matches, unknown_command};
use nl_rustix::{Netns, PrivateNetns};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `ip netns`.
pub(crate) const OBJECT: Object = Object {
    names: &["netns"],
    plan,
};

const RUN_DIR: &str = "/run/netns";

/// iproute2's first line, then what this `ip` takes.
const USAGE: &str = "Usage:\tip netns list
\tip netns add NAME
\tip netns { delete | exec } NAME [ COMMAND ... ]";

/// Parse an `ip netns` command line.
fn plan(_opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(Plan::run(|_| list()));
    };
    if matches(cmd, "list") || matches(cmd, "show") || cmd == "lst" {
        Ok(Plan::run(|_| list()))
    } else if matches(cmd, "add") {
        let name = name(&mut w)?;
        Ok(Plan::run(move |_| add(&name)))
    } else if matches(cmd, "delete") {
        let name = name(&mut w)?;
        Ok(Plan::run(move |_| delete(&name)))
    } else if matches(cmd, "exec") {
        let name = name(&mut w)?;
        let argv: Vec<String> = std::iter::from_fn(|| w.next().map(str::to_string)).collect();
        if argv.is_empty() {
            return Err(Failure::arg("No command specified"));
        }
        Ok(Plan::run(move |_| exec(&name, &argv)))
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(unknown_command(cmd, "netns"))
    }
}

/// The namespace name argument, as iproute2 checks it.
fn name(w: &mut Words<'_>) -> Result<String, Failure> {
    let n = w
        .next()
        .ok_or_else(|| Failure::arg("No netns name specified"))?;
    if n.is_empty() || n.contains('/') || n == "." || n == ".." {
        return Err(Failure::arg(format!("Invalid netns name \"{n}\"")));
    }
    Ok(n.to_string())
}

fn file(name: &str) -> PathBuf {
    Path::new(RUN_DIR).join(name)
}

fn os_error(e: &std::io::Error) -> String {
    e.raw_os_error()
        .map_or_else(|| e.to_string(), crate::fail::strerror)
}

/// `list`: the names under `/run/netns`, in directory order.
fn list() -> Result<(), Failure> {
    let Ok(dir) = std::fs::read_dir(RUN_DIR) else {
        return Ok(());
    };
    for entry in dir.flatten() {
        println!("{}", entry.file_name().to_string_lossy());
    }
    Ok(())
}

/// Run a helper program; its failure (stderr) is ours.
fn helper(prog: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    let out = Command::new(prog)
        .args(args)
        .output()
        .map_err(|e| format!("{prog}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// `add NAME`: a new namespace, kept by a bind mount on `/run/netns/NAME`.
fn add(name: &str) -> Result<(), Failure> {
    let path = file(name);
    std::fs::create_dir_all(RUN_DIR)
        .map_err(|e| Failure::arg(format!("mkdir {RUN_DIR} failed: {}", os_error(&e))))?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            Failure::arg(format!(
                "Cannot create namespace file \"{}\": {}",
                path.display(),
                os_error(&e)
            ))
        })?;
    let bound = PrivateNetns::new()
        .map_err(|e| e.to_string())
        .and_then(|ns| {
            helper(
                "mount",
                &["--bind".as_ref(), ns.path().as_os_str(), path.as_os_str()],
            )
        });
    if let Err(why) = bound {
        let _ = std::fs::remove_file(&path);
        return Err(Failure::arg(format!(
            "Bind {} -> {} failed: {why}",
            "/proc/self/ns/net",
            path.display()
        )));
    }
    Ok(())
}

/// `del NAME`: detach the bind mount and remove the file.
fn delete(name: &str) -> Result<(), Failure> {
    let path = file(name);
    // Not mounted (a stale file) is fine: the file still goes.
    let _ = helper("umount", &["-l".as_ref(), path.as_os_str()]);
    std::fs::remove_file(&path).map_err(|e| {
        Failure::arg(format!(
            "Cannot remove namespace file \"{}\": {}",
            path.display(),
            os_error(&e)
        ))
    })
}

/// `exec NAME CMD…`: run the command inside the namespace; its exit
/// status is ours.
fn exec(name: &str, argv: &[String]) -> Result<(), Failure> {
    let ns = Netns::Named(name.to_string());
    if let Err(e) = ns.open_file() {
        let why = e
            .errno()
            .map_or_else(|| e.to_string(), crate::fail::strerror);
        return Err(Failure::usage(format!(
            "Cannot open network namespace \"{name}\": {why}"
        )));
    }
    let status = ns
        .run(|| Command::new(&argv[0]).args(&argv[1..]).status())?
        .map_err(|e| Failure::arg(format!("exec of \"{}\" failed: {}", argv[0], os_error(&e))))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Failure::Exit(u8::try_from(code).unwrap_or(1))),
        None => Err(Failure::Exit(1)),
    }
}
