//! `ip addrlabel`: list, add, del, flush — the IPv6 address label table
//! (RFC 6724), as iproute2 6.1 reads and prints it.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{Families, Opts, Words, invarg, matches, parse_number};
use nl_rustix::nl_proto::route::addrlabel::AddrLabel;
use serde_json::{Map, Value};
use std::net::IpAddr;

/// `ip addrlabel`.
pub(crate) const OBJECT: Object = Object {
    names: &["addrlabel"],
    plan,
};

const USAGE: &str = "Usage: ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]
       ip addrlabel [ list | flush | help ]";

/// Parse an `ip addrlabel` command line (iproute2's order of commands).
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return Ok(Plan::run(list));
    };
    if matches(cmd, "list") || matches(cmd, "lst") || matches(cmd, "show") {
        if !w.is_empty() {
            return Err(Failure::arg(
                "\"ip addrlabel show\" does not take any arguments.",
            ));
        }
        Ok(Plan::run(list))
    } else if matches(cmd, "add") || matches(cmd, "delete") {
        let delete = !matches(cmd, "add");
        let (label, dev) = parse_label(opts, &mut w)?;
        Ok(Plan::run(move |ctx| {
            let mut label = label;
            if let Some(d) = &dev {
                label.index = ctx
                    .conn
                    .link_index(d.as_str())
                    .map_err(|_| invarg(d, "dev is invalid"))?;
            }
            if delete {
                Ok(ctx.conn.delete_addr_label(&label)?)
            } else {
                Ok(ctx.conn.add_addr_label(&label)?)
            }
        }))
    } else if matches(cmd, "flush") {
        if !w.is_empty() {
            return Err(Failure::arg(
                "\"ip addrlabel flush\" does not allow extra arguments",
            ));
        }
        Ok(Plan::run(flush))
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(Failure::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip addrlabel help\"."
        )))
    }
}

/// `prefix P [dev D] label L`; iproute2 skips words it does not know.
fn parse_label(opts: &Opts, w: &mut Words<'_>) -> Result<(AddrLabel, Option<String>), Failure> {
    let mut fam = Families::new(opts);
    let (mut prefix, mut dev, mut label) = (None, None, None);
    while let Some(word) = w.next() {
        match word {
            "prefix" => prefix = Some(fam.prefix(w.value("prefix")?)?.resolve(fam.family())),
            "dev" => dev = Some(w.value("dev")?.to_string()),
            "label" => {
                let v = w.value("label")?;
                label = Some(
                    parse_number::<u32>(v)
                        .filter(|&l| l != u32::MAX)
                        .ok_or_else(|| invarg(v, "label is invalid"))?,
                );
            }
            _ => {}
        }
    }
    let required = |what: &str| {
        Failure::arg(format!(
            "Not enough information: \"{what}\" argument is required."
        ))
    };
    let prefix = prefix.ok_or_else(|| required("prefix"))?;
    let label = label.ok_or_else(|| required("label"))?;
    let IpAddr::V6(addr) = prefix.addr() else {
        // The kernel takes IPv6 labels only: iproute2 sends the 4-byte
        // address and the kernel refuses it with this (exit 2).
        return Err(Failure::Unsupported(
            "Error: Attribute failed policy validation.".into(),
        ));
    };
    Ok((
        AddrLabel {
            prefix: addr,
            prefix_len: prefix.prefix_len(),
            index: 0,
            label,
        },
        dev,
    ))
}

/// `list`: `prefix P/N [dev D] label L` per entry.
fn list(ctx: &mut Ctx) -> Result<(), Failure> {
    let labels = ctx.conn.addr_labels()?;
    let names = Names::fetch(&mut ctx.conn)?;
    let mut json = Vec::new();
    for l in &labels {
        let mut o = Map::new();
        o.insert("address".into(), l.prefix.to_string().into());
        o.insert("prefixlen".into(), l.prefix_len.into());
        let mut line = format!("prefix {}/{} ", l.prefix, l.prefix_len);
        if l.index != 0 {
            let name = names.name(l.index);
            line += &format!("dev {name} ");
            o.insert("ifname".into(), name.into());
        }
        line += &format!("label {} ", l.label);
        o.insert("label".into(), l.label.into());
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

/// `flush`: delete every entry, the kernel's defaults too (as iproute2).
fn flush(ctx: &mut Ctx) -> Result<(), Failure> {
    for l in ctx.conn.addr_labels()? {
        if let Err(e) = ctx.conn.delete_addr_label(&l) {
            Failure::from(e).report();
            return Err(Failure::arg("Flush terminated"));
        }
    }
    Ok(())
}
