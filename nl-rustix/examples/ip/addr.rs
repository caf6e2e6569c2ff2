//! `ip address`: show, add, replace, del.

use crate::fail::Failure;
use crate::linkview::View;
use crate::plan::{Object, Plan};
use crate::render::{self, Json, Names};
use crate::words::{
    Families, Family, Opts, Prefix, Words, duparg, invarg, matches, missarg, parse_lifetime,
    parse_number, unknown_command,
};
use nl_proto::IpNet;
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::{self, AddrFlags, Address, Scope};
use nl_rustix::nl_proto::route::link::Link;
use nl_rustix::{AddrSpec, LinkId, Op};
use serde_json::{Map, Value};
use std::io::{self, Write};
use std::net::IpAddr;

/// `ip address`.
pub(crate) const OBJECT: Object = Object {
    names: &["address"],
    plan,
};

/// iproute2's first line, then what this `ip` takes.
const USAGE: &str = "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address flush [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ]
                         [ to PREFIX ] [ FLAG-LIST ] [ proto ADDRPROTO ] [up] ]
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
          [ proto ADDRPROTO ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
ADDRPROTO := [ NAME | NUMBER ]";

/// Parse an `ip address` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w);
    };
    if matches(cmd, "add") {
        Ok(Plan::Op(Op::AddAddress(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "change") || cmd == "chg" {
        Ok(Plan::Op(Op::ChangeAddress(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "replace") {
        Ok(Plan::Op(Op::ReplaceAddress(parse_spec(opts, &mut w)?)))
    } else if matches(cmd, "delete") {
        let spec = parse_spec(opts, &mut w)?;
        Ok(Plan::Op(Op::DeleteAddress(spec.link, spec.prefix)))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(opts, &mut w)
    } else if matches(cmd, "flush") {
        flush(opts, &mut w)
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(unknown_command(cmd, "address"))
    }
}

/// The address selectors of `ip address show|flush`: `dev NAME`, `to
/// PREFIX`, `scope S`, `label PATTERN` (flush only), `permanent`,
/// `dynamic`, `primary`, `secondary`.
#[derive(Default)]
struct AddrFilter {
    dev: Option<String>,
    to: Option<IpNet>,
    family: Option<AddrFamily>,
    scope: Option<Scope>,
    label: Option<String>,
    permanent: Option<bool>,
    secondary: Option<bool>,
    /// `proto P`: addresses the kernel reports another protocol for are
    /// left out; those it reports none for stay (as iproute2).
    proto: Option<u8>,
}

/// `fnmatch` for the `*` and `?` a label pattern may hold.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.split_first(), text.split_first()) {
        (None, None) => true,
        (Some((b'*', rest)), _) => {
            glob(rest, text) || text.split_first().is_some_and(|(_, t)| glob(pattern, t))
        }
        (Some((b'?', p)), Some((_, t))) => glob(p, t),
        (Some((a, p)), Some((b, t))) if a == b => glob(p, t),
        _ => false,
    }
}

impl AddrFilter {
    /// Whether any selector looks at the addresses.
    fn on_addresses(&self) -> bool {
        self.to.is_some()
            || self.scope.is_some()
            || self.label.is_some()
            || self.permanent.is_some()
            || self.secondary.is_some()
            || self.proto.is_some()
    }

    fn wants(&self, a: &Address) -> bool {
        let label = a.label.as_ref().map(|l| l.as_str());
        self.to.is_none_or(|p| p.trunc().contains(&a.local))
            && self.scope.is_none_or(|s| a.scope == s)
            && self
                .label
                .as_deref()
                .is_none_or(|p| label.is_some_and(|l| glob(p.as_bytes(), l.as_bytes())))
            && self
                .permanent
                .is_none_or(|p| a.flags.contains(AddrFlags::PERMANENT) == p)
            && self
                .secondary
                .is_none_or(|s| a.flags.contains(AddrFlags::SECONDARY) == s)
            && self
                .proto
                .is_none_or(|p| a.proto.is_none_or(|have| have == p))
    }
}

/// `flush SELECTOR`: delete the addresses the selectors pick, pipelined.
fn flush(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    if w.is_empty() {
        return Err(Failure::arg("Flush requires arguments."));
    }
    let mut fam = Families::new(opts);
    let mut f = AddrFilter::default();
    while let Some(word) = w.next() {
        match word {
            "dev" => f.dev = Some(w.value("dev")?.to_string()),
            "scope" => {
                let v = w.value("scope")?;
                if v != "all" {
                    f.scope = Some(Scope::parse(v).ok_or_else(|| invarg(v, "invalid \"scope\""))?);
                }
            }
            "label" => f.label = Some(w.value("label")?.to_string()),
            "permanent" => f.permanent = Some(true),
            "dynamic" => f.permanent = Some(false),
            "primary" => f.secondary = Some(false),
            "secondary" | "temporary" => f.secondary = Some(true),
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                f.to = match fam.prefix(word)? {
                    Prefix::Net(n) => Some(n),
                    Prefix::Any => None,
                };
            }
        }
    }
    f.family = fam.family().map(Family::af);
    Ok(Plan::run(move |ctx| {
        let conn = &mut ctx.conn;
        let addrs = match f.dev.as_deref() {
            Some(d) => conn
                .addresses_of(d, f.family)
                .map_err(|e| Failure::from(e).no_such_device())?,
            None => conn.addresses(f.family)?,
        };
        let ops: Vec<Op> = addrs
            .iter()
            .filter(|a| f.wants(a))
            .map(|a| Op::DeleteAddress(LinkId::Index(a.index), a.prefix()))
            .collect();
        for result in conn.apply(&ops)? {
            match result {
                // Gone with its primary (a secondary), or already.
                Err(e) if e.errno() == Some(libc::EADDRNOTAVAIL) => {}
                other => other?,
            }
        }
        Ok(())
    }))
}

/// An address protocol (`IFAPROT_*`), by iproute2's name or a number up
/// to 255.
fn addr_proto(v: &str) -> Option<u8> {
    const NAMES: [&str; 4] = ["unspec", "kernel_lo", "kernel_ra", "kernel_ll"];
    if let Some(i) = NAMES.iter().position(|n| *n == v) {
        return u8::try_from(i).ok();
    }
    parse_number(v)
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
    let mut metric = None;
    let mut proto = None;
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "metric")
                || matches(word, "priority")
                || matches(word, "preference") =>
            {
                let v = w.value(word)?;
                metric = Some(
                    parse_number::<u32>(v)
                        .ok_or_else(|| invarg(v, "\"metric\" value is invalid"))?,
                );
            }
            "proto" => {
                let v = w.value("proto")?;
                proto = Some(addr_proto(v).ok_or_else(|| invarg(v, "\"proto\" value is invalid"))?);
            }
            "peer" | "remote" => {
                let v = w.value("peer")?;
                peer = Some(fam.prefix(v)?.resolve(fam.family()));
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
                    return Err(duparg("local", word));
                }
                local = Some(fam.prefix(word)?.resolve(fam.family()));
            }
        }
    }
    // iproute2 asks for the device first, and returns (exit 1).
    let Some(dev) = dev else {
        return Err(Failure::arg(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let Some(mut prefix) = local else {
        return Err(missarg("local"));
    };
    if let Some(p) = peer {
        // As iproute2: the prefix length is the peer's.
        prefix = IpNet::new(prefix.addr(), p.prefix_len()).unwrap_or(prefix);
    }
    let mut spec = AddrSpec::new(LinkId::from(dev), prefix);
    spec.peer = peer.map(|p| p.addr());
    if let Some(b) = brd {
        let IpNet::V4(v4) = prefix else {
            return Err(Failure::arg("Broadcast can be set only for IPv4 addresses"));
        };
        spec.broadcast = Some(match b.as_str() {
            "+" => v4.broadcast(),
            "-" => v4.network(),
            _ => match fam.addr(&b)? {
                IpAddr::V4(a) => a,
                IpAddr::V6(_) => {
                    return Err(Failure::arg("Broadcast can be set only for IPv4 addresses"));
                }
            },
        });
    }
    spec.label = label;
    spec.scope = scope;
    spec.flags = flags;
    spec.metric = metric;
    spec.proto = proto;
    // iproute2 sends both lifetimes when either is given.
    if valid.is_some() || preferred.is_some() {
        let v = valid.unwrap_or(u32::MAX);
        spec.valid_lft = Some(v);
        spec.preferred_lft = Some(preferred.unwrap_or(v));
    }
    Ok(spec)
}

/// `show [[dev] NAME] [to PREFIX] [scope S] [up] [primary|secondary]
/// [permanent|dynamic]`: each link with the link header of `ip link`
/// ([`View`]) and its addresses. As iproute2: `to` implies its family
/// (no `link/…` line, links without a match left out); the other address
/// selectors leave out links whose addresses all fail them, but not links
/// without addresses.
fn show(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut fam = Families::new(opts);
    let mut dev: Option<String> = None;
    let mut f = AddrFilter::default();
    let mut up = false;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.value("dev")?.to_string()),
            "to" => {
                f.to = match fam.prefix(w.value("to")?)? {
                    Prefix::Net(n) => Some(n),
                    Prefix::Any => None,
                };
            }
            "scope" => {
                let v = w.value("scope")?;
                if v != "all" {
                    f.scope = Some(Scope::parse(v).ok_or_else(|| invarg(v, "invalid \"scope\""))?);
                }
            }
            "up" => up = true,
            "proto" => {
                let v = w.value("proto")?;
                f.proto =
                    Some(addr_proto(v).ok_or_else(|| invarg(v, "\"proto\" value is invalid"))?);
            }
            "permanent" => f.permanent = Some(true),
            "dynamic" => f.permanent = Some(false),
            "primary" => f.secondary = Some(false),
            "secondary" | "temporary" => f.secondary = Some(true),
            "label" | "master" | "vrf" | "type" | "nomaster" => {
                return Err(Failure::Unsupported(format!(
                    "Error: \"{word}\" is not supported by this ip in show."
                )));
            }
            other if dev.is_none() => dev = Some(other.to_string()),
            other => return Err(duparg("dev", other)),
        }
    }
    let family = fam.family().map(Family::af);
    Ok(Plan::run(move |ctx| {
        let conn = &mut ctx.conn;
        let (all, extras) = render::links(conn, ctx.opts.details)?;
        let links: Vec<Link> = match dev.as_deref() {
            Some(d) => vec![
                conn.link(d)
                    .map_err(|e| Failure::from(e).no_such_device())?,
            ],
            None => all.clone(),
        };
        let names = Names::of(&all);
        let view = View {
            names: &names,
            details: ctx.opts.details,
            stats: 0,
            do_link: false,
            lladdr: family.is_none(),
            extras: Some(&extras),
        };
        let o = &ctx.opts;
        let mode = if o.json && o.brief {
            Mode::BriefJson
        } else if o.json {
            Mode::Json
        } else if o.brief {
            Mode::Brief
        } else if o.oneline {
            Mode::Oneline
        } else {
            Mode::Text
        };
        let mut out = Json::new(render::stdout(), o.pretty);
        let io = |e: io::Error| Failure::from(render::write_error(&e));
        if o.json {
            out.begin_array().map_err(io)?;
        }
        let dump_family = family.unwrap_or(AddrFamily::UNSPEC);
        for link in links.iter().filter(|l| !up || l.is_up()) {
            // The link's addresses, filtered by the kernel (strict
            // checking) and streamed: the link is printed when its first
            // wanted address arrives, or at the end if it shows without.
            let mut entry = Entry::new(mode, link, &view);
            let index = link.index;
            let mut had_any = false;
            conn.dump(
                move |w| addr::encode_dump(w, dump_family, Some(index)),
                |m| {
                    let Some(a) = Address::decode_ip(m)? else {
                        return Ok(());
                    };
                    // Kernels without strict checking ignore the filter.
                    if a.index != index {
                        return Ok(());
                    }
                    had_any = true;
                    if f.wants(&a) {
                        entry
                            .address(&mut out, &a)
                            .map_err(|e| render::write_error(&e))?;
                    }
                    Ok(())
                },
            )
            .map_err(|e| {
                let e = Failure::from(e);
                if dev.is_some() { e.no_such_device() } else { e }
            })?;
            let hidden = family.is_some() || (had_any && f.on_addresses());
            entry.end(&mut out, !hidden).map_err(io)?;
        }
        if o.json {
            out.end_array().map_err(io)?;
            out.inner().write_all(b"\n").map_err(io)?;
        }
        out.inner().flush().map_err(io)?;
        Ok(())
    }))
}

/// How `ip address` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Brief,
    Oneline,
    Json,
    BriefJson,
}

/// One link of the listing, opened on its first address.
struct Entry<'a> {
    mode: Mode,
    link: &'a Link,
    view: &'a View<'a>,
    open: bool,
}

impl<'a> Entry<'a> {
    fn new(mode: Mode, link: &'a Link, view: &'a View<'a>) -> Self {
        Self {
            mode,
            link,
            view,
            open: false,
        }
    }

    /// Print the link's header (once).
    fn open(&mut self, out: &mut render::Out) -> io::Result<()> {
        if self.open {
            return Ok(());
        }
        self.open = true;
        let mut head = String::new();
        match self.mode {
            Mode::Json | Mode::BriefJson => {
                let head = if self.mode == Mode::BriefJson {
                    self.view.brief_json_head(self.link)
                } else {
                    match self.view.json(self.link) {
                        Value::Object(m) => m,
                        _ => Map::new(),
                    }
                };
                out.begin_object()?;
                for (k, v) in &head {
                    out.key(k)?;
                    out.value(v)?;
                }
                out.key("addr_info")?;
                out.begin_array()
            }
            Mode::Brief => {
                self.view.brief_head(self.link, &mut head);
                out.inner().write_all(head.as_bytes())
            }
            Mode::Oneline => Ok(()),
            Mode::Text => {
                self.view.text(self.link, &mut head);
                head.push('\n');
                out.inner().write_all(head.as_bytes())
            }
        }
    }

    /// One wanted address.
    fn address(&mut self, out: &mut render::Out, a: &Address) -> io::Result<()> {
        self.open(out)?;
        match self.mode {
            Mode::Json => addr_json(out, a),
            Mode::BriefJson => brief_json(out, a),
            Mode::Brief => {
                let w = out.inner();
                render::write_ip(w, a.local)?;
                w.write_all(b"/")?;
                render::write_u64(w, a.prefix_len.into())?;
                w.write_all(b" ")?;
                if let Some(m) = a.rt_priority {
                    w.write_all(b"metric ")?;
                    render::write_u64(w, m.into())?;
                    w.write_all(b" ")?;
                }
                Ok(())
            }
            Mode::Oneline => {
                // `-o`: one line per address, `N: NAME` first, the
                // address's lines joined with a backslash.
                let mut lines = Vec::new();
                addr_text(&mut lines, a)?;
                if lines.last() == Some(&b'\n') {
                    lines.pop();
                }
                for b in &mut lines {
                    if *b == b'\n' {
                        *b = b'\\';
                    }
                }
                let w = out.inner();
                write!(w, "{}: {}", self.link.index, self.link.name)?;
                w.write_all(&lines)?;
                w.write_all(b"\n")
            }
            Mode::Text => addr_text(out.inner(), a),
        }
    }

    /// Close the link; `show_empty`: print it even without addresses.
    fn end(mut self, out: &mut render::Out, show_empty: bool) -> io::Result<()> {
        if !self.open {
            if !show_empty {
                return Ok(());
            }
            self.open(out)?;
        }
        match self.mode {
            Mode::Json | Mode::BriefJson => {
                out.end_array()?;
                out.end_object()
            }
            Mode::Brief => out.inner().write_all(b"\n"),
            Mode::Oneline | Mode::Text => Ok(()),
        }
    }
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
fn flag_words(a: &Address) -> impl Iterator<Item = &'static str> + '_ {
    (0..12).filter_map(move |bit| {
        let f = AddrFlags::from(1u32 << bit);
        if f == AddrFlags::PERMANENT {
            (!a.flags.contains(f)).then_some("dynamic")
        } else if !a.flags.contains(f) {
            None
        } else if f == AddrFlags::SECONDARY && a.family == AddrFamily::INET6 {
            Some("temporary")
        } else {
            f.names().next()
        }
    })
}

fn addr_json<W: Write>(j: &mut Json<W>, a: &Address) -> io::Result<()> {
    j.begin_object()?;
    j.key("family")?;
    j.text(family_name(a.family))?;
    j.ip_member("local", a.local)?;
    if let Some(p) = a.peer {
        j.ip_member("address", p)?;
    }
    j.num_member("prefixlen", a.prefix_len.into())?;
    if let Some(m) = a.rt_priority {
        j.num_member("metric", m.into())?;
    }
    if let Some(b) = a.broadcast {
        j.ip_member("broadcast", b.into())?;
    }
    match a.scope.ip_name() {
        Some(n) => {
            j.key("scope")?;
            j.text(n)?;
        }
        None => j.str_member("scope", a.scope)?,
    }
    for f in flag_words(a) {
        j.key(f)?;
        j.bool(true)?;
    }
    if let Some(l) = &a.label {
        j.key("label")?;
        j.text(l.as_str())?;
    }
    if let (Some(v), Some(p)) = (a.valid_lft, a.preferred_lft) {
        j.num_member("valid_life_time", v.into())?;
        j.num_member("preferred_life_time", p.into())?;
    }
    j.end_object()
}

/// One address in `ip -br -j address`: only where it is.
fn brief_json<W: Write>(j: &mut Json<W>, a: &Address) -> io::Result<()> {
    j.begin_object()?;
    j.ip_member("local", a.local)?;
    j.num_member("prefixlen", a.prefix_len.into())?;
    if let Some(m) = a.rt_priority {
        j.num_member("metric", m.into())?;
    }
    j.end_object()
}

fn write_lifetime(w: &mut impl Write, v: u32) -> io::Result<()> {
    if v == u32::MAX {
        w.write_all(b"forever")
    } else {
        render::write_u64(w, v.into())?;
        w.write_all(b"sec")
    }
}

fn addr_text(w: &mut impl Write, a: &Address) -> io::Result<()> {
    w.write_all(b"    ")?;
    w.write_all(family_name(a.family).as_bytes())?;
    w.write_all(b" ")?;
    render::write_ip(w, a.local)?;
    if let Some(p) = a.peer {
        w.write_all(b" peer ")?;
        render::write_ip(w, p)?;
    }
    w.write_all(b"/")?;
    render::write_u64(w, a.prefix_len.into())?;
    w.write_all(b" ")?;
    if let Some(m) = a.rt_priority {
        w.write_all(b"metric ")?;
        render::write_u64(w, m.into())?;
        w.write_all(b" ")?;
    }
    if let Some(b) = a.broadcast {
        w.write_all(b"brd ")?;
        render::write_ip(w, b.into())?;
        w.write_all(b" ")?;
    }
    w.write_all(b"scope ")?;
    match a.scope.ip_name() {
        Some(n) => w.write_all(n.as_bytes())?,
        None => render::write_u64(w, a.scope.0.into())?,
    }
    w.write_all(b" ")?;
    for f in flag_words(a) {
        w.write_all(f.as_bytes())?;
        w.write_all(b" ")?;
    }
    if let Some(l) = &a.label {
        w.write_all(l.as_bytes())?;
    }
    w.write_all(b"\n")?;
    if let (Some(v), Some(p)) = (a.valid_lft, a.preferred_lft) {
        w.write_all(b"       valid_lft ")?;
        write_lifetime(w, v)?;
        w.write_all(b" preferred_lft ")?;
        write_lifetime(w, p)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
