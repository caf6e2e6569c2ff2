//! `ip address`: show, add, replace, del.

use crate::fail::Failure;
use crate::linkview::View;
use crate::plan::{Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{
    Families, Family, Opts, Words, duparg, invarg, matches, missarg, parse_addr, parse_lifetime,
    parse_prefix, unknown_command,
};
use ipnet::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::{AddrFlags, Address, Scope};
use nl_rustix::nl_proto::route::link::Link;
use nl_rustix::{AddrSpec, Error, LinkId, Op};
use serde_json::{Map, Value};
use std::net::IpAddr;

/// `ip address`.
pub(crate) const OBJECT: Object = Object {
    names: &["address"],
    plan,
};

/// Parse an `ip address` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(&mut w);
    };
    if matches(cmd, "add") {
        Ok(Plan::Op(Op::AddAddress(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "replace") {
        Ok(Plan::Op(Op::ReplaceAddress(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "delete") {
        let spec = parse_spec(opts, &mut w)?;
        Ok(Plan::Op(Op::DeleteAddress(spec.link, spec.prefix)))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(&mut w)
    } else {
        Err(unknown_command(cmd, "address"))
    }
}

/// `[local] PREFIX dev NAME [peer P] [broadcast B|+] [label L] [scope S]
/// [valid_lft N|forever] [preferred_lft N|forever] [nodad] [noprefixroute]`.
fn parse_spec(opts: &Opts, w: &mut Words<'_>) -> Result<AddrSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut local: Option<IpNet> = None;
    let mut peer: Option<IpNet> = None;
    let mut brd: Option<String> = None;
    let mut dev = None;
    let mut label = None;
    let mut scope = None;
    let mut flags = AddrFlags::EMPTY;
    let mut valid = None;
    let mut preferred = None;
    while let Some(word) = w.next() {
        match word {
            "peer" | "remote" => {
                let p = parse_prefix(w.value("peer")?, "peer")?.resolve(fam.family());
                fam.see("peer", p.addr())?;
                peer = Some(p);
            }
            "broadcast" | "brd" => brd = Some(w.value("broadcast")?.to_string()),
            "dev" => dev = Some(w.value("dev")?),
            "label" => label = Some(w.value("label")?.to_string()),
            "scope" => {
                let v = w.value("scope")?;
                scope = Some(Scope::parse(v).ok_or_else(|| invarg(v, "invalid scope value."))?);
            }
            "valid_lft" => valid = Some(parse_lifetime(w.value("valid_lft")?, "valid_lft")?),
            "preferred_lft" => {
                preferred = Some(parse_lifetime(w.value("preferred_lft")?, "preferred_lft")?);
            }
            "nodad" => flags |= AddrFlags::NODAD,
            "noprefixroute" => flags |= AddrFlags::NOPREFIXROUTE,
            "home" => flags |= AddrFlags::HOMEADDRESS,
            "mngtmpaddr" => flags |= AddrFlags::MANAGETEMPADDR,
            "optimistic" => flags |= AddrFlags::OPTIMISTIC,
            "autojoin" => flags |= AddrFlags::MCAUTOJOIN,
            other => {
                let word = if other == "local" {
                    w.value("local")?
                } else {
                    other
                };
                if local.is_some() {
                    return Err(duparg("to", word, Some("address")));
                }
                let p = parse_prefix(word, "local")?.resolve(fam.family());
                fam.see("local", p.addr())?;
                local = Some(p);
            }
        }
    }
    let Some(mut prefix) = local else {
        return Err(missarg("local"));
    };
    let Some(dev) = dev else {
        return Err(missarg("dev"));
    };
    if let Some(p) = peer {
        // As iproute2: the prefix length is the peer's.
        prefix = IpNet::new(prefix.addr(), p.prefix_len()).unwrap_or(prefix);
    }
    let mut spec = AddrSpec::new(LinkId::from(dev), prefix);
    spec.peer = peer.map(|p| p.addr());
    if let Some(b) = brd {
        let IpNet::V4(v4) = prefix else {
            return Err(
                Error::Invalid(format!("broadcast {b} given for IPv6 address {prefix}")).into(),
            );
        };
        spec.broadcast = Some(match b.as_str() {
            "+" => v4.broadcast(),
            "-" => v4.network(),
            _ => match parse_addr(&b, "broadcast")? {
                IpAddr::V4(a) => a,
                a @ IpAddr::V6(_) => {
                    return Err(Error::Invalid(format!(
                        "mixed address families: broadcast {a} is IPv6 but {prefix} is IPv4"
                    ))
                    .into());
                }
            },
        });
    }
    spec.label = label;
    spec.scope = scope;
    spec.flags = flags;
    // iproute2 sends both lifetimes when either is given.
    if valid.is_some() || preferred.is_some() {
        let v = valid.unwrap_or(u32::MAX);
        spec.valid_lft = Some(v);
        spec.preferred_lft = Some(preferred.unwrap_or(v));
    }
    Ok(spec)
}

/// `show [dev NAME]`: each link with the link header of `ip link`
/// ([`View`]) and its addresses.
fn show(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut dev: Option<String> = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.value("dev")?.to_string()),
            other if dev.is_none() => dev = Some(other.to_string()),
            other => return Err(duparg("to", other, Some("address"))),
        }
    }
    Ok(Plan::run(move |ctx| {
        let family = ctx.opts.family.map(Family::af);
        let conn = &mut ctx.conn;
        let all = conn.links()?;
        let links: Vec<Link> = match dev.as_deref() {
            Some(d) => vec![conn.link(d)?],
            None => all.clone(),
        };
        let addrs = match dev.as_deref() {
            Some(d) => conn.addresses_of(d, family)?,
            None => conn.addresses(family)?,
        };
        let names = Names::of(&all);
        let view = View {
            names: &names,
            details: false,
            stats: 0,
            do_link: false,
            lladdr: family.is_none(),
        };
        let mut records = Vec::new();
        let mut text = String::new();
        for link in &links {
            let mine: Vec<&Address> = addrs.iter().filter(|a| a.index == link.index).collect();
            if family.is_some() && mine.is_empty() {
                continue;
            }
            if ctx.opts.json {
                let mut j = view.json(link);
                if let Value::Object(m) = &mut j {
                    let info = mine.iter().map(|a| addr_json(a)).collect();
                    m.insert("addr_info".into(), Value::Array(info));
                }
                records.push(j);
            } else {
                view.text(link, &mut text);
                text.push('\n');
                for a in mine {
                    text += &addr_text(a);
                }
            }
        }
        if ctx.opts.json {
            print_json(records);
        } else {
            print!("{text}");
        }
        Ok(())
    }))
}

fn family_name(f: AddrFamily) -> &'static str {
    match f {
        AddrFamily::INET => "inet",
        AddrFamily::INET6 => "inet6",
        _ => "unknown",
    }
}

/// iproute2's flag words, in its order (`dynamic` where `permanent` is
/// missing; `temporary` for an IPv6 secondary).
fn flag_words(a: &Address) -> Vec<&'static str> {
    let mut out = Vec::new();
    for bit in 0..12 {
        let f = AddrFlags::from(1u32 << bit);
        if f == AddrFlags::PERMANENT {
            if !a.flags.contains(f) {
                out.push("dynamic");
            }
        } else if a.flags.contains(f) {
            if f == AddrFlags::SECONDARY && a.family == AddrFamily::INET6 {
                out.push("temporary");
            } else if let Some(n) = f.names().next() {
                out.push(n);
            }
        }
    }
    out
}

fn addr_json(a: &Address) -> Value {
    let mut j = Map::new();
    j.insert("family".into(), family_name(a.family).into());
    if let Some(l) = a.local() {
        j.insert("local".into(), l.to_string().into());
    }
    if let Some(p) = a.peer() {
        j.insert("address".into(), p.to_string().into());
    }
    j.insert("prefixlen".into(), a.prefix_len.into());
    if let Some(b) = a.broadcast {
        j.insert("broadcast".into(), b.to_string().into());
    }
    j.insert("scope".into(), a.scope.to_string().into());
    for f in flag_words(a) {
        j.insert(f.into(), true.into());
    }
    if let Some(l) = &a.label {
        j.insert("label".into(), l.as_str().into());
    }
    if let (Some(v), Some(p)) = (a.valid_lft, a.preferred_lft) {
        j.insert("valid_life_time".into(), v.into());
        j.insert("preferred_life_time".into(), p.into());
    }
    Value::Object(j)
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "forever".into()
    } else {
        format!("{v}sec")
    }
}

fn addr_text(a: &Address) -> String {
    let mut s = format!("    {} ", family_name(a.family));
    if let Some(l) = a.local() {
        s += &l.to_string();
    }
    if let Some(p) = a.peer() {
        s += &format!(" peer {p}");
    }
    s += &format!("/{} ", a.prefix_len);
    if let Some(b) = a.broadcast {
        s += &format!("brd {b} ");
    }
    s += &format!("scope {} ", a.scope);
    for f in flag_words(a) {
        s += f;
        s += " ";
    }
    if let Some(l) = &a.label {
        s += l.as_str();
    }
    s += "\n";
    if let (Some(v), Some(p)) = (a.valid_lft, a.preferred_lft) {
        s += &format!(
            "       valid_lft {} preferred_lft {}\n",
            lifetime(v),
            lifetime(p)
        );
    }
    s
}
