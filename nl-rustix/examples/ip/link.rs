//! `ip link`: show, add, set, delete.
//!
//! ```text
//! ip link [ show [ [dev] NAME ] [ up ] [ master M ] [ type KIND ] ]
//! ip link add [name] NAME [link PARENT] [mtu N] [address MAC] [master M] [up]
//!             [netns NS] type KIND [ARGS]
//!     KIND := bridge [OPTIONS] | dummy | ifb | veth [peer [name] PEER [netns NS]]
//!           | macvlan [mode private|vepa|bridge|passthru|source]
//!           | ipvlan [mode l2|l3|l3s]
//!           | vlan [protocol 802.1q|802.1ad] id N [ingress-qos-map|egress-qos-map F:T…]
//!                  [reorder_hdr|gvrp|mvrp|loose_binding|bridge_binding on|off]
//!           | vrf table N | bond [OPTIONS] | wireguard
//!           | geneve … | gre|gretap|erspan|ip6gre|ip6gretap … | ipip|sit|ip6tnl …
//!                   (iproute2 6.1's words, see `kinds.rs` and `tunnels.rs`)
//!           | vxlan { id N | external } [dstport P] [local IP] [remote IP | group IP]
//!                   [dev PARENT] [ttl …] [tos …] [df …] [flowlabel …] [srcport MIN MAX]
//!                   [[no]learning] … (every option of iproute2 6.1's, see `vxlan.rs`)
//! ip link set [dev] NAME { up | down | mtu N | address MAC | name NEW
//!                        | master M | nomaster | netns PID|NAME|PATH | alias TEXT }...
//!                        [ type bridge|vlan|vrf|bond OPTIONS | type bridge_slave OPTIONS ]
//! ip link del[ete] [dev] NAME
//! ip link property { add | del } dev NAME altname ALT [altname ALT]...
//! ```
//!
//! Output follows iproute2 6.x: the text layout of `ip [-d] [-s [-s]] link`
//! and, with `-j`, its JSON key names and value formats, for the fields the
//! link codec decodes.

use crate::fail::Failure;
use crate::linkview::View;
use crate::plan::{Object, Plan};
use crate::render::{self, Names, print_json};
use crate::words::{
    Opts, Words, duparg, ifname_arg, invarg, matches, missarg, parse_number, unknown_command,
};
use nl_rustix::nl_proto::route::link::{IpvlanMode, LinkInfoData, MacvlanMode, PortInfoData};
use nl_rustix::nl_proto::values::Mac;
use nl_rustix::{Kind, LinkId, LinkSet, LinkSpec, Netns};

/// iproute2 6.1's `ip link help`, word for word (scripts grep it for
/// the kinds and options they need).
const USAGE: &str = include_str!("usage/link.txt");

/// `ip link`.
pub(crate) const OBJECT: Object = Object {
    names: &["link"],
    plan,
};

/// Parse an `ip link` command line.
fn plan(_opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(&mut w);
    };
    // iproute2's order of tests, so abbreviations resolve the same way
    // (`s` is `set`, `d` is `delete`, `l` is `lst`).
    if matches(cmd, "add") {
        add(&mut w)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        set(&mut w)
    } else if matches(cmd, "delete") {
        delete(&mut w)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(&mut w)
    } else if matches(cmd, "property") {
        property(&mut w)
    } else if matches(cmd, "help") {
        Err(help())
    } else {
        Err(unknown_command(cmd, "link"))
    }
}

/// iproute2's `usage()`: on stderr, exit 255.
fn help() -> Failure {
    Failure::usage(USAGE.trim_end())
}

fn duplicate(word: &str) -> Failure {
    duparg("dev", word)
}

fn invalid(value: &str, what: &str) -> Failure {
    invarg(value, format_args!("Invalid \"{what}\" value"))
}

/// `address MAC`: iproute2's message for a bad one.
/// `address MAC` as iproute2 reads it (`ll_addr_a2n`): hex bytes of one
/// or two digits between colons; a bad byte is named (exit 1). A length
/// other than 6 is refused as `ip link set` refuses it (exit 1); `ip link
/// add` leaves that to the kernel (exit 2), which this `ip` does not
/// send, hence `on_add`.
fn parse_mac(v: &str, on_add: bool) -> Result<Mac, Failure> {
    let mut bytes = Vec::new();
    for part in v.split(':') {
        let b = u8::from_str_radix(part, 16)
            .ok()
            .filter(|_| !part.is_empty() && part.len() <= 2)
            .ok_or_else(|| Failure::arg(format!("\"{part}\" is invalid lladdr.")))?;
        bytes.push(b);
    }
    <[u8; 6]>::try_from(bytes.as_slice()).map(Mac).map_err(|_| {
        let n = bytes.len();
        if on_add {
            Failure::Unsupported(format!(
                "Error: a {n}-byte link address is not supported by this ip (6 bytes)."
            ))
        } else {
            Failure::arg(format!("Invalid address length {n} - must be 6 bytes"))
        }
    })
}

/// `netns PID|NAME|PATH` as iproute2 reads it: a namespace name or path
/// first, a process id otherwise.
fn parse_netns(v: &str) -> Netns {
    let by_name = Netns::from_arg(v);
    if by_name.open_file().is_ok() {
        return by_name;
    }
    match v.parse::<u32>() {
        Ok(pid) => Netns::Pid(pid),
        // Let the driver report the missing namespace.
        Err(_) => by_name,
    }
}

// ---------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Filter {
    dev: Option<String>,
    up: bool,
    master: Option<String>,
    kind: Option<String>,
}

fn show(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut f = Filter::default();
    while let Some(word) = w.next() {
        match word {
            "up" => f.up = true,
            "master" => f.master = Some(w.value("master")?.to_string()),
            "type" => f.kind = Some(w.value("type")?.to_string()),
            "dev" => {
                let v = w.value("dev")?;
                if f.dev.replace(v.to_string()).is_some() {
                    return Err(duplicate(v));
                }
            }
            "help" => return Err(help()),
            other => {
                if f.dev.replace(other.to_string()).is_some() {
                    return Err(duplicate(other));
                }
            }
        }
    }
    Ok(Plan::run(move |ctx| {
        // A named device that does not exist is an error (ENODEV), as in iproute2.
        let only = match &f.dev {
            Some(d) => Some(
                ctx.conn
                    .link(d.as_str())
                    .map_err(|e| Failure::from(e).no_such_device())?
                    .index,
            ),
            None => None,
        };
        let master = match &f.master {
            Some(m) => Some(ctx.conn.link(m.as_str())?.index),
            None => None,
        };
        let (links, extras) = render::links(&mut ctx.conn, ctx.opts.details)?;
        let names = Names::of(&links);
        let shown = links.iter().filter(|l| {
            only.is_none_or(|i| l.index == i)
                && (!f.up || l.is_up())
                && master.is_none_or(|m| l.master == Some(m))
                && f.kind
                    .as_deref()
                    .is_none_or(|k| l.kind.as_deref() == Some(k))
        });
        let o = &ctx.opts;
        let view = View {
            names: &names,
            details: o.details,
            stats: u8::from(o.stats) + u8::from(o.stats && o.stats_twice),
            do_link: true,
            lladdr: true,
            extras: Some(&extras),
        };
        if o.json {
            let records = shown.map(|l| {
                if o.brief {
                    view.brief_json(l)
                } else {
                    view.json(l)
                }
            });
            print_json(o, records.collect());
        } else {
            let mut out = String::new();
            for l in shown {
                if o.brief {
                    view.brief_text(l, &mut out);
                } else if o.oneline {
                    // `-o`: the record's lines joined with a backslash.
                    let mut one = String::new();
                    view.text(l, &mut one);
                    out.push_str(&one.replace('\n', "\\"));
                    out.push('\n');
                } else {
                    view.text(l, &mut out);
                    out.push('\n');
                }
            }
            print!("{out}");
        }
        Ok(())
    }))
}

// ---------------------------------------------------------------------------
// add
// ---------------------------------------------------------------------------

fn set_once<'a>(slot: &mut Option<&'a str>, v: &'a str) -> Result<(), Failure> {
    if slot.replace(v).is_some() {
        return Err(duplicate(v));
    }
    Ok(())
}

fn add(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut name = None;
    let mut parent = None;
    let mut mtu = None;
    let mut mac = None;
    let mut master = None;
    let mut up = false;
    let mut netns = None;
    let mut kind_word = None;
    let mut peer_mac = None;
    let mut tunnel_dev = None;
    while let Some(word) = w.next() {
        match word {
            "name" => set_once(&mut name, ifname_arg(w.value(word)?)?)?,
            "dev" => set_once(&mut name, w.value(word)?)?,
            "link" => parent = Some(w.value("link")?),
            "mtu" => mtu = Some(w.number::<u32>("mtu")?),
            "address" => mac = Some(parse_mac(w.value("address")?, true)?),
            "master" => master = Some(w.value("master")?),
            "up" => up = true,
            "down" => up = false,
            "netns" => netns = Some(parse_netns(w.value("netns")?)),
            "type" => {
                kind_word = Some(w.value("type")?);
                break;
            }
            "help" => return Err(help()),
            other => set_once(&mut name, other)?,
        }
    }
    let kind_word = kind_word
        .ok_or_else(|| Failure::arg("Not enough information: \"type\" argument is required"))?;
    let need_parent = |k: &str| -> Result<LinkId, Failure> {
        parent.map(LinkId::from).ok_or_else(|| {
            Failure::arg(format!(
                "Not enough information: \"link\" argument is required for type {k}."
            ))
        })
    };
    let kind = match kind_word {
        "bridge" => match crate::kinds::bridge(w)? {
            d if d.is_empty() => Kind::Bridge,
            d => options("bridge", d, None),
        },
        "vrf" => options("vrf", crate::kinds::vrf(w)?, None),
        "bond" => options("bond", crate::kinds::bond(w)?, None),
        "geneve" => tunnel(kind_word, crate::tunnels::geneve(w)?, &mut tunnel_dev),
        "gre" | "gretap" | "erspan" | "ip6gre" | "ip6gretap" => {
            let parsed = crate::tunnels::gre(kind_word, w)?;
            tunnel(kind_word, parsed, &mut tunnel_dev)
        }
        "ipip" | "sit" => {
            let parsed = crate::tunnels::iptun(kind_word, w)?;
            tunnel(kind_word, parsed, &mut tunnel_dev)
        }
        "ip6tnl" => tunnel(kind_word, crate::tunnels::ip6tnl(w)?, &mut tunnel_dev),
        // iproute2 has no words for these and ignores any given.
        "dummy" => Kind::Dummy,
        "ifb" => Kind::Ifb,
        "veth" => {
            let (kind, mac) = veth(w)?;
            peer_mac = mac;
            kind
        }
        "macvlan" => {
            let mut mode = MacvlanMode::VEPA;
            while let Some(word) = w.next() {
                match word {
                    "mode" => {
                        let v = w.value("mode")?;
                        mode = match v {
                            "private" => MacvlanMode::PRIVATE,
                            "vepa" => MacvlanMode::VEPA,
                            "bridge" => MacvlanMode::BRIDGE,
                            "passthru" => MacvlanMode::PASSTHRU,
                            "source" => MacvlanMode::SOURCE,
                            _ => return Err(invalid(v, "mode")),
                        };
                    }
                    other => return Err(unknown_arg("macvlan", other)),
                }
            }
            Kind::Macvlan {
                parent: need_parent("macvlan")?,
                mode,
            }
        }
        "ipvlan" => {
            let mut mode = IpvlanMode::L3;
            while let Some(word) = w.next() {
                match word {
                    "mode" => {
                        let v = w.value("mode")?;
                        mode = match v {
                            "l2" => IpvlanMode::L2,
                            "l3" => IpvlanMode::L3,
                            "l3s" => IpvlanMode::L3S,
                            _ => return Err(invalid(v, "mode")),
                        };
                    }
                    other => return Err(unknown_arg("ipvlan", other)),
                }
            }
            Kind::Ipvlan {
                parent: need_parent("ipvlan")?,
                mode,
            }
        }
        // Without an id the request still goes: the kernel's vlan driver
        // refuses it ("8021q: VLAN properties not specified."), as it
        // does iproute2's.
        "vlan" => options("vlan", crate::kinds::vlan(w)?, Some(need_parent("vlan")?)),
        "vxlan" => crate::vxlan::parse(w)?,
        // Any other kind goes to the kernel by name, which refuses one it
        // does not know (exit 2, as iproute2's line).
        other => no_args(w, Kind::Other(other.to_string()))?,
    };
    // After the kind's words, so that `type KIND help` answers first.
    let name = name.ok_or_else(|| missarg("dev"))?;
    let mut spec = LinkSpec::new(name, kind);
    spec.mtu = mtu;
    spec.mac = mac;
    spec.master = master.map(LinkId::from);
    spec.up = up;
    spec.netns = netns;
    spec.peer_mac = peer_mac;
    Ok(Plan::run(move |ctx| {
        // A tunnel's `dev NAME` goes in its own LINK attribute.
        if let (Some(dev), Kind::Options { options, .. }) = (&tunnel_dev, &mut spec.kind) {
            let index = ctx.conn.link_index(dev.as_str())?;
            match options.as_mut() {
                LinkInfoData::Gre(o) => o.link = Some(index),
                LinkInfoData::Iptun(o) => o.link = Some(index),
                LinkInfoData::Ip6tnl(o) => o.link = Some(index),
                _ => {}
            }
        }
        Ok(ctx.conn.create_link(&spec)?)
    }))
}

/// A kind with its options.
fn options(kind: &str, data: LinkInfoData, parent: Option<LinkId>) -> Kind {
    Kind::Options {
        kind: kind.to_string(),
        options: Box::new(data),
        parent,
    }
}

/// A tunnel's kind; its `dev`, if any, is resolved when the plan runs.
fn tunnel(kind: &str, parsed: crate::tunnels::Parsed, dev: &mut Option<String>) -> Kind {
    *dev = parsed.dev;
    options(kind, parsed.info, None)
}

fn unknown_arg(kind: &str, word: &str) -> Failure {
    Failure::arg(format!("{kind}: unknown command \"{word}\"?"))
}

/// A kind without words of its own in iproute2: any word is garbage.
fn no_args(w: &mut Words<'_>, kind: Kind) -> Result<Kind, Failure> {
    match w.next() {
        None => Ok(kind),
        Some(word) => Err(Failure::arg(format!(
            "Garbage instead of arguments \"{word} ...\". Try \"ip link help\"."
        ))),
    }
}

/// `veth [peer [name] NAME [address MAC] [netns NS]]`: the kind and the
/// peer's MAC address.
fn veth(w: &mut Words<'_>) -> Result<(Kind, Option<Mac>), Failure> {
    let mut peer = None;
    let mut peer_netns = None;
    let mut peer_mac = None;
    if let Some(word) = w.next() {
        if word != "peer" {
            return Err(unknown_arg("veth", word));
        }
        while let Some(word) = w.next() {
            match word {
                "name" => set_once(&mut peer, ifname_arg(w.value(word)?)?)?,
                "dev" => set_once(&mut peer, w.value(word)?)?,
                "netns" => peer_netns = Some(parse_netns(w.value("netns")?)),
                "address" => peer_mac = Some(parse_mac(w.value("address")?, true)?),
                other => set_once(&mut peer, other)?,
            }
        }
    }
    let kind = Kind::Veth {
        // Without a peer name the kernel picks the next free `vethN`.
        peer: peer.unwrap_or("veth%d").to_string(),
        peer_netns,
    };
    Ok((kind, peer_mac))
}

// ---------------------------------------------------------------------------
// set, delete
// ---------------------------------------------------------------------------

fn set(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut dev = None;
    let mut change = LinkSet::new();
    let mut backup = None;
    while let Some(word) = w.next() {
        match word {
            "up" => change = change.up(),
            "down" => change = change.down(),
            "mtu" => {
                let v = w.value("mtu")?;
                change = change.mtu(parse_number(v).ok_or_else(|| invalid(v, "mtu"))?);
            }
            "address" => change = change.mac(parse_mac(w.value("address")?, false)?),
            "name" => change = change.name(ifname_arg(w.value("name")?)?),
            "master" => change = change.master(w.value("master")?),
            "nomaster" => change = change.nomaster(),
            "alias" => change = change.alias(w.value("alias")?),
            "netns" => change = change.netns(parse_netns(w.value("netns")?)),
            "dev" => set_once(&mut dev, w.value("dev")?)?,
            "type" => {
                let kind = w.value("type")?;
                let data = match kind {
                    "bridge" => crate::kinds::bridge(w)?,
                    "vlan" => crate::kinds::vlan(w)?,
                    "vrf" => crate::kinds::vrf(w)?,
                    "bond" => crate::kinds::bond(w)?,
                    "bridge_slave" => {
                        let (port, name) = crate::kinds::bridge_slave(w)?;
                        change.port = Some(Box::new(crate::kinds::port(port)));
                        backup = name;
                        break;
                    }
                    other => {
                        return Err(Failure::arg(format!(
                            "Error: link type \"{other}\" has no options this ip sets."
                        )));
                    }
                };
                change.info = Some(Box::new((kind.to_string(), data)));
                break;
            }
            "help" => return Err(help()),
            other => set_once(&mut dev, other)?,
        }
    }
    let dev = dev
        .ok_or_else(|| Failure::usage("Not enough information: \"dev\" argument is required."))?
        .to_string();
    Ok(Plan::run(move |ctx| {
        // `backup_port DEVICE` is an index on the wire.
        if let Some(name) = &backup {
            let index = ctx.conn.link_index(name.as_str())?;
            if let Some(PortInfoData::Bridge(o)) = change.port.as_deref_mut() {
                o.backup_port = Some(index);
            }
        }
        Ok(ctx.conn.set_link(dev, &change)?)
    }))
}

fn delete(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut dev = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => set_once(&mut dev, w.value("dev")?)?,
            other => set_once(&mut dev, other)?,
        }
    }
    let dev = dev.ok_or_else(|| missarg("dev"))?.to_string();
    Ok(Plan::run(move |ctx| Ok(ctx.conn.delete_link(dev)?)))
}

/// `ip link property { add | del } dev DEV altname NAME…`.
fn property(w: &mut Words<'_>) -> Result<Plan, Failure> {
    let add = match w.next() {
        Some(op) if matches(op, "add") => true,
        Some(op) if matches(op, "delete") => false,
        Some(op) if matches(op, "help") => return Err(help()),
        _ => return Err(Failure::usage("Operator required")),
    };
    let mut dev = None;
    let mut names = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "dev" => set_once(&mut dev, w.value("dev")?)?,
            "altname" => {
                let v = w.value("altname")?;
                // `ALTIFNAMSIZ` is 128 with its NUL.
                if v.len() >= 128 {
                    return Err(invarg(v, "altname too long"));
                }
                names.push(v.to_string());
            }
            "help" => return Err(help()),
            other => set_once(&mut dev, other)?,
        }
    }
    let dev = dev
        .ok_or_else(|| Failure::usage("Not enough of information: \"dev\" argument is required."))?
        .to_string();
    Ok(Plan::run(move |ctx| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Ok(ctx.conn.link_altnames(dev, &names, add)?)
    }))
}
