//! `ip netns`: list, add, set, del, exec, list-id — named namespaces under
//! `/run/netns`, as iproute2 keeps them (a file bind-mounted over the
//! namespace), and the ids this namespace gives them (`set`, `list-id`).
//!
//! The bind mount and its removal run the system's `mount` and `umount`
//! (this example keeps to safe Rust). Unlike iproute2, `exec` does not
//! give the command a mount namespace with `/sys` remounted for the
//! namespace, nor `/etc/netns/NAME` files.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::print_json;
use crate::words::{Opts, Words, duparg, invarg, matches, unknown_command};
use nl_rustix::nl_proto::route::nsid::Nsid;
use nl_rustix::{Netns, PrivateNetns};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `ip netns`.
pub(crate) const OBJECT: Object = Object {
    names: &["netns"],
    plan,
};

const RUN_DIR: &str = "/run/netns";

/// iproute2 6.1's usage, less what this `ip` lacks (attach, identify,
/// pids, monitor, `-all`).
const USAGE: &str = "Usage:\tip netns list
\tip netns add NAME
\tip netns set NAME NETNSID
\tip netns delete NAME
\tip netns exec NAME cmd ...
\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT";

/// Parse an `ip netns` command line.
fn plan(_opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(Plan::run(list));
    };
    if matches(cmd, "list") || matches(cmd, "show") || cmd == "lst" {
        Ok(Plan::run(list))
    } else if matches(cmd, "list-id") {
        let (nsid, target) = list_id_args(&mut w)?;
        Ok(Plan::run(move |ctx| list_id(ctx, nsid, target)))
    } else if matches(cmd, "add") {
        let name = name(&mut w)?;
        Ok(Plan::run(move |_| add(&name)))
    } else if matches(cmd, "set") {
        let name = name(&mut w)?;
        let nsid = match w.next() {
            None => return Err(Failure::arg("No nsid specified")),
            Some("auto") => None,
            Some(v) => Some(nsid_value(v, "Invalid \"netnsid\" value", "\"netnsid\"")?),
        };
        Ok(Plan::run(move |ctx| set(ctx, &name, nsid)))
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

/// iproute2's `get_integer` for an id: a number (any base) that is not
/// negative; `bad` is the message for a word that is not a number.
fn nsid_value(v: &str, bad: &str, what: &str) -> Result<u32, Failure> {
    let n: i64 = crate::words::parse_number(v).ok_or_else(|| invarg(v, bad))?;
    if n < 0 {
        return Err(invarg(v, format_args!("{what} value should be >= 0")));
    }
    u32::try_from(n).map_err(|_| invarg(v, bad))
}

/// The names under `/run/netns`, in directory order.
fn names() -> Vec<String> {
    std::fs::read_dir(RUN_DIR)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The id this namespace gives `/run/netns/NAME`, if any.
fn id_of(ctx: &mut Ctx, name: &str) -> Option<u32> {
    let file = std::fs::File::open(file(name)).ok()?;
    ctx.conn.nsid_of(&file).ok().flatten()
}

/// `list`: the names under `/run/netns`, in directory order, each with
/// the id this namespace gives it (`NAME (id: N)`).
fn list(ctx: &mut Ctx) -> Result<(), Failure> {
    let mut json = Vec::new();
    for name in names() {
        let id = id_of(ctx, &name);
        if ctx.opts.json {
            let mut o = Map::new();
            o.insert("name".into(), name.into());
            if let Some(id) = id {
                o.insert("id".into(), id.into());
            }
            json.push(Value::Object(o));
        } else {
            match id {
                Some(id) => println!("{name} (id: {id})"),
                None => println!("{name}"),
            }
        }
    }
    if ctx.opts.json {
        print_json(&ctx.opts, json);
    }
    Ok(())
}

/// `set NAME auto|N`: give `/run/netns/NAME` an id in this namespace.
fn set(ctx: &mut Ctx, name: &str, nsid: Option<u32>) -> Result<(), Failure> {
    let file = std::fs::File::open(file(name)).map_err(|e| {
        Failure::arg(format!(
            "Cannot open network namespace \"{name}\": {}",
            os_error(&e)
        ))
    })?;
    Ok(ctx.conn.set_nsid(&file, nsid)?)
}

/// `list-id [target-nsid T] [nsid N]`, as iproute2 reads them.
fn list_id_args(w: &mut Words<'_>) -> Result<(Option<u32>, Option<u32>), Failure> {
    let (mut nsid, mut target) = (None, None);
    while let Some(word) = w.next() {
        let (slot, what) = match word {
            "target-nsid" => (&mut target, "\"target-nsid\""),
            "nsid" => (&mut nsid, "\"nsid\""),
            _ => return Err(Failure::usage(USAGE)),
        };
        if slot.is_some() {
            return Err(duparg(word, word));
        }
        let v = w.value(word)?;
        *slot = Some(nsid_value(v, &format!("{what} value is invalid"), what)?);
    }
    Ok((nsid, target))
}

/// `list-id`: `nsid N [current-nsid C] (iproute2 netns name: NAME)` per
/// id, the name found by asking for each `/run/netns` entry's id.
fn list_id(ctx: &mut Ctx, nsid: Option<u32>, target: Option<u32>) -> Result<(), Failure> {
    let ids = match nsid {
        Some(n) => vec![ctx.conn.nsid_lookup(n, target)?],
        None => ctx
            .conn
            .nsids(target)
            .map_err(|e| match e.kernel_message() {
                // iproute2 prints the kernel's refusal of the dump, then this.
                Some(msg) => Failure::arg(format!("Error: {msg}.\nDump terminated")),
                None => Failure::from(e),
            })?,
    };
    let named: Vec<(u32, String)> = names()
        .into_iter()
        .filter_map(|n| id_of(ctx, &n).map(|id| (id, n)))
        .collect();
    let mut json = Vec::new();
    for Nsid { nsid, current, .. } in ids {
        let mut o = Map::new();
        let mut line = match u32::try_from(nsid) {
            Ok(n) => {
                o.insert("nsid".into(), n.into());
                format!("nsid {n} ")
            }
            Err(_) => "nsid unassigned ".to_string(),
        };
        if let Some(c) = current {
            match u32::try_from(c) {
                Ok(c) => {
                    o.insert("current-nsid".into(), c.into());
                    line += &format!("current-nsid {c} ");
                }
                Err(_) => line += "current-nsid unassigned ",
            }
        }
        let key = current.unwrap_or(nsid);
        if let Some((_, name)) = named
            .iter()
            .find(|(id, _)| i64::from(*id) == i64::from(key))
        {
            o.insert("name".into(), name.clone().into());
            line += &format!("(iproute2 netns name: {name})");
        }
        if ctx.opts.json {
            json.push(Value::Object(o));
        } else {
            println!("{line}");
        }
    }
    if ctx.opts.json {
        print_json(&ctx.opts, json);
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
