//! `ip mptcp`: endpoint add, delete, change, show, flush; limits set,
//! show. The MPTCP path manager is a generic netlink family, so each step
//! opens a `NETLINK_GENERIC` connection in the namespace and resolves
//! `mptcp_pm` on it; interface names go through the rtnetlink one.
//!
//! Parsing follows iproute2 6.1's `ipmptcp.c` word for word, because its
//! quirks are visible: any word that is not a keyword is taken as an
//! address (so `ip mptcp endpoint add 10.0.0.1 implicit` is "any valid
//! address is expected rather than \"implicit\"", exit 1), numbers are C's
//! `strtoul` with base 0 (`010` is 8), IPv4 addresses are iproute2's own
//! parser (`10.8` is 10.8.0.0), and `ip -j mptcp limits show` prints text.
//!
//! `ip mptcp monitor` joins the family's `mptcp_pm_events` group, found by
//! name through the controller, and prints each event until killed.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{Names, print_json};
use crate::words::{Opts, incomplete, invarg, matches, unknown_command};
use nl_rustix::nl_proto::genl::mptcp::{
    Endpoint, EndpointFlags, Event, EventType, Limits, MPTCP_PM_EV_GRP_NAME, MPTCP_PM_NAME,
};
use nl_rustix::nl_proto::wire::Msgs;
use nl_rustix::{Conn, Netns, Protocol, Received};
use serde_json::{Map, Value};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `ip mptcp`.
pub(crate) const OBJECT: Object = Object {
    names: &["mptcp"],
    plan,
};

/// iproute2 6.1's `ip mptcp help` (exit 255).
const USAGE: &str = "Usage:\tip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]
\t\t\t\t      [ port NR ] [ FLAG-LIST ]
\tip mptcp endpoint delete id ID [ ADDRESS ]
\tip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT
\tip mptcp endpoint show [ id ID ]
\tip mptcp endpoint flush
\tip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]
\tip mptcp limits show
\tip mptcp monitor
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ signal | subflow | backup | fullmesh ]
CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]";

/// The flag words iproute2 6.1 knows, in its order; `nobackup` and
/// `nofullmesh` are words that set nothing. It prints unknown bits
/// (`implicit`, added later) as `rawflags XX`.
const FLAG_WORDS: &[(&str, EndpointFlags)] = &[
    ("signal", EndpointFlags::SIGNAL),
    ("subflow", EndpointFlags::SUBFLOW),
    ("backup", EndpointFlags::BACKUP),
    ("fullmesh", EndpointFlags::FULLMESH),
    ("nobackup", EndpointFlags::EMPTY),
    ("nofullmesh", EndpointFlags::EMPTY),
];

/// Parse an `ip mptcp` command line.
fn plan(_opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let Some((word, rest)) = args.split_first() else {
        return Err(Failure::usage(USAGE));
    };
    if matches(word, "help") {
        return Err(Failure::usage(USAGE));
    }
    if matches(word, "endpoint") {
        let Some((cmd, rest)) = rest.split_first() else {
            return Ok(show_all());
        };
        return if matches(cmd, "add") {
            endpoint(Cmd::Add, rest)
        } else if matches(cmd, "change") {
            endpoint(Cmd::Change, rest)
        } else if matches(cmd, "delete") {
            endpoint(Cmd::Delete, rest)
        } else if matches(cmd, "show") {
            if rest.is_empty() {
                Ok(show_all())
            } else {
                endpoint(Cmd::Show, rest)
            }
        } else if matches(cmd, "flush") {
            Ok(Plan::run(|ctx| {
                Ok(pm_conn(ctx)?.mptcp_pm()?.flush_endpoints()?)
            }))
        } else {
            Err(unknown_command(cmd, "mptcp"))
        };
    }
    let (mut word, mut rest) = (word, rest);
    if matches(word, "limits") {
        let Some((cmd, after)) = rest.split_first() else {
            return Ok(show_limits());
        };
        if matches(cmd, "set") {
            let limits = parse_limits(after)?;
            return Ok(Plan::run(move |ctx| {
                Ok(pm_conn(ctx)?.mptcp_pm()?.set_limits(&limits)?)
            }));
        }
        if matches(cmd, "show") {
            // iproute2 parses (and sends, to be ignored) limits here too.
            parse_limits(after)?;
            return Ok(show_limits());
        }
        // iproute2 goes on with this word as the object word (so `ip
        // mptcp limits m` is the monitor).
        (word, rest) = (cmd, after);
    }
    if matches(word, "monitor") {
        return match rest.first() {
            None => Ok(monitor()),
            Some(extra) => Err(unknown_command(extra, "mptcp")),
        };
    }
    Err(unknown_command(word, "mptcp"))
}

/// The command's namespace.
fn netns(ctx: &Ctx) -> Netns {
    ctx.opts
        .netns
        .as_deref()
        .map_or(Netns::Current, Netns::from_arg)
}

/// A generic netlink connection in the command's namespace.
fn pm_conn(ctx: &Ctx) -> Result<Conn, Failure> {
    Ok(Conn::open_generic_in(&netns(ctx))?)
}

/// `ip mptcp monitor`: print every path manager event, until killed.
fn monitor() -> Plan {
    Plan::run(|ctx| {
        let mut conn = pm_conn(ctx)?;
        let family = conn.genl_family(MPTCP_PM_NAME)?.id;
        let group = conn.genl_group(MPTCP_PM_NAME, MPTCP_PM_EV_GRP_NAME)?;
        let sock = netns(ctx).socket(Protocol::Generic)?;
        sock.join(group)?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let len = match sock.recv_vec(&mut buf) {
                // Only the kernel's datagrams; a full queue (ENOBUFS)
                // loses events, as it does for iproute2.
                Ok(Received::Datagram { len, src }) if src.pid == 0 => len,
                Ok(_) => continue,
                Err(e) if e.raw_os_error() == Some(105) => continue,
                Err(e) => {
                    return Err(Failure::Nl(nl_rustix::Error::Sys {
                        what: "recv mptcp events".into(),
                        errno: e.raw_os_error().unwrap_or(5),
                    }));
                }
            };
            for msg in Msgs::new(&buf[..len]).map_while(Result::ok) {
                if msg.msg_type() != family.msg_type() {
                    continue;
                }
                if let Ok(ev) = Event::decode(&msg) {
                    println!("{}", event_line(&ev));
                }
            }
        }
    })
}

/// An event as iproute2 6.1 prints it: the name in 14 columns (or
/// `[UNKNOWN N]` for events it does not know), then the attributes.
fn event_line(ev: &Event) -> String {
    let name = match ev.kind {
        EventType::CREATED => "CREATED",
        EventType::ESTABLISHED => "ESTABLISHED",
        EventType::CLOSED => "CLOSED",
        EventType::ANNOUNCED => "ANNOUNCED",
        EventType::REMOVED => "REMOVED",
        EventType::SUB_ESTABLISHED => "SF_ESTABLISHED",
        EventType::SUB_CLOSED => "SF_CLOSED",
        EventType::SUB_PRIORITY => "SF_PRIO",
        other => return format!("[UNKNOWN {}]", other.0),
    };
    let mut s = format!("[{name:>14}]");
    let mut field = |text: Option<String>| {
        if let Some(t) = text {
            s.push(' ');
            s.push_str(&t);
        }
    };
    field(ev.token.map(|v| format!("token={v:08x}")));
    field(ev.rem_id.map(|v| format!("remid={v}")));
    field(ev.loc_id.map(|v| format!("locid={v}")));
    field(ev.saddr4.map(|v| format!("saddr4={v}")));
    field(ev.daddr4.map(|v| format!("daddr4={v}")));
    field(ev.saddr6.map(|v| format!("saddr6={v}")));
    field(ev.daddr6.map(|v| format!("daddr6={v}")));
    field(ev.sport.map(|v| format!("sport={v}")));
    field(ev.dport.map(|v| format!("dport={v}")));
    field(ev.backup.map(|v| format!("backup={v}")));
    field(ev.error.map(|v| format!("error={v}")));
    field(ev.flags.map(|v| format!("flags={v:x}")));
    field(ev.timeout.map(|v| format!("timeout={v}")));
    field(ev.ifindex.map(|v| format!("ifindex={v}")));
    field(ev.reset_reason.map(|v| format!("reset_reason={v}")));
    field(ev.reset_flags.map(|v| format!("reset_flags={v:#x}")));
    s
}

/// The endpoint commands, which share iproute2's `mptcp_parse_opt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    Add,
    Change,
    Delete,
    Show,
}

/// `dev NAME` as given: resolved when the plan runs, because iproute2
/// looks it up while parsing (a missing device is its error, before any
/// error in the words after it).
struct Dev {
    name: String,
}

/// What `mptcp_parse_opt` collected, up to the first error.
struct Parsed {
    endpoint: Endpoint,
    devs: Vec<Dev>,
    /// The first error, reported after the devices before it resolved.
    error: Option<Failure>,
}

/// Parse endpoint words as iproute2 does; stop at the first error.
fn parse_endpoint(cmd: Cmd, words: &[String]) -> Parsed {
    let mut p = Parsed {
        endpoint: Endpoint::default(),
        devs: Vec::new(),
        error: None,
    };
    if let Err(e) = parse_into(cmd, words, &mut p) {
        p.error = Some(e);
    }
    p
}

fn parse_into(cmd: Cmd, words: &[String], p: &mut Parsed) -> Result<(), Failure> {
    let mut flags = EndpointFlags::EMPTY;
    let mut id = None;
    let mut port = 0u16;
    let mut addr = None;
    let mut it = words.iter().map(String::as_str);
    while let Some(word) = it.next() {
        if let Some(&(_, f)) = FLAG_WORDS.iter().find(|(n, _)| *n == word) {
            flags |= f;
            if cmd == Cmd::Add && flags.contains(EndpointFlags::SIGNAL | EndpointFlags::FULLMESH) {
                return Err(invarg(word, "flags mustn't have both signal and fullmesh"));
            }
            let changeable = EndpointFlags::BACKUP | EndpointFlags::FULLMESH;
            if cmd == Cmd::Change && !flags.difference(changeable).is_empty() {
                return Err(invarg(word, "invalid flags, backup and fullmesh only"));
            }
        } else if matches(word, "id") {
            let v = it.next().ok_or_else(incomplete)?;
            id = Some(c_number(v, u8::MAX.into()).ok_or_else(|| invarg(v, "invalid ID\n"))? as u8);
        } else if matches(word, "dev") {
            let v = it.next().ok_or_else(incomplete)?;
            if v.is_empty() || v.len() >= 16 || v.contains(|c: char| c == '/' || c.is_whitespace())
            {
                return Err(invarg(v, "invalid interface name\n"));
            }
            p.devs.push(Dev {
                name: v.to_string(),
            });
        } else if matches(word, "port") {
            let v = it.next().ok_or_else(incomplete)?;
            port = c_number(v, u16::MAX.into()).ok_or_else(|| invarg(v, "expected port"))? as u16;
        } else {
            addr = Some(address(word)?);
        }
    }
    if cmd == Cmd::Add && addr.is_none() {
        return Err(missarg("ADDRESS"));
    }
    if cmd == Cmd::Delete {
        match id {
            None => return Err(missarg("ID")),
            Some(i) if i != 0 && addr.is_some() => {
                return Err(invarg("ADDRESS", "invalid for non-zero id address\n"));
            }
            Some(0) if addr.is_none() => {
                return Err(invarg(
                    "ID",
                    "address is needed for deleting id 0 address\n",
                ));
            }
            Some(_) => {}
        }
    }
    finish(p, cmd, flags, id, port, addr)
}

/// The checks after the words, then the endpoint as iproute2 sends it
/// (flags, port and device left out when 0).
fn finish(
    p: &mut Parsed,
    cmd: Cmd,
    flags: EndpointFlags,
    id: Option<u8>,
    port: u16,
    addr: Option<IpAddr>,
) -> Result<(), Failure> {
    if cmd == Cmd::Add && port != 0 && !flags.contains(EndpointFlags::SIGNAL) {
        return Err(invarg("port", "flags must have signal when using port"));
    }
    if cmd == Cmd::Change && id.is_some() && port != 0 {
        return Err(invarg("port", "port can't be used with id"));
    }
    p.endpoint = Endpoint {
        addr,
        id,
        port: (port != 0).then_some(port),
        flags,
        ifindex: None,
    };
    Ok(())
}

/// iproute2's `missarg` (exit 255).
fn missarg(key: &str) -> Failure {
    Failure::usage(format!("Error: argument \"{key}\" is required"))
}

/// `ip mptcp endpoint add|change|delete|show …`.
fn endpoint(cmd: Cmd, words: &[String]) -> Result<Plan, Failure> {
    let mut parsed = parse_endpoint(cmd, words);
    if parsed.devs.is_empty() {
        if let Some(e) = parsed.error.take() {
            return Err(e);
        }
    }
    Ok(Plan::run(move |ctx| {
        let mut ep = parsed.endpoint;
        for dev in &parsed.devs {
            let index = ctx
                .conn
                .link_index(dev.name.as_str())
                .ok()
                .or_else(|| if_n(&dev.name))
                .filter(|&i| i != 0)
                .ok_or_else(|| invarg(&dev.name, "device does not exist\n"))?;
            ep.ifindex = Some(index);
        }
        if let Some(e) = parsed.error {
            return Err(e);
        }
        let mut conn = pm_conn(ctx)?;
        let mut pm = conn.mptcp_pm()?;
        match cmd {
            Cmd::Add => pm.add_endpoint(&ep)?,
            Cmd::Change => pm.change_endpoint(&ep)?,
            Cmd::Delete => pm.delete_endpoint(&ep)?,
            Cmd::Show => {
                let found = pm.get_endpoint(&ep)?;
                print_endpoints(ctx, &[found])?;
            }
        }
        Ok(())
    }))
}

/// iproute2's last resort for a device name: `ifN` is index N.
fn if_n(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("if")?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// `ip mptcp endpoint [show]`: the dump.
fn show_all() -> Plan {
    Plan::run(|ctx| {
        let endpoints = pm_conn(ctx)?.mptcp_pm()?.endpoints()?;
        print_endpoints(ctx, &endpoints)
    })
}

/// Print endpoints as `ip mptcp endpoint show` does: one line each, or
/// one JSON list.
fn print_endpoints(ctx: &mut Ctx, endpoints: &[Endpoint]) -> Result<(), Failure> {
    let names = if endpoints.iter().any(|e| e.ifindex.is_some_and(|i| i != 0)) {
        Some(Names::fetch(&mut ctx.conn)?)
    } else {
        None
    };
    let dev = |e: &Endpoint| {
        let index = e.ifindex.filter(|&i| i != 0)?;
        names.as_ref().map(|n| n.name(index))
    };
    if ctx.opts.json {
        let records = endpoints.iter().map(|e| json(e, dev(e))).collect();
        print_json(&ctx.opts, records);
    } else {
        for e in endpoints {
            println!("{}", text(e, dev(e)));
        }
    }
    Ok(())
}

/// The flag words of `flags`, then the bits iproute2 6.1 has no word for.
fn flag_words(flags: EndpointFlags) -> (Vec<&'static str>, Option<String>) {
    let words = FLAG_WORDS
        .iter()
        .filter(|(_, f)| !f.is_empty() && flags.contains(*f))
        .map(|(n, _)| *n)
        .collect();
    let known = FLAG_WORDS
        .iter()
        .fold(EndpointFlags::EMPTY, |acc, (_, f)| acc | *f);
    let rest = flags.difference(known);
    (
        words,
        (!rest.is_empty()).then(|| format!("{:02x}", rest.bits())),
    )
}

fn text(e: &Endpoint, dev: Option<String>) -> String {
    let mut s = String::new();
    if let Some(a) = e.addr {
        s.push_str(&format!("{a} "));
    }
    if let Some(p) = e.port.filter(|&p| p != 0) {
        s.push_str(&format!("port {p} "));
    }
    if let Some(id) = e.id {
        s.push_str(&format!("id {id} "));
    }
    let (words, raw) = flag_words(e.flags);
    for w in words {
        s.push_str(w);
        s.push(' ');
    }
    if let Some(raw) = raw {
        s.push_str(&format!("rawflags {raw} "));
    }
    if let Some(d) = dev {
        s.push_str(&format!("dev {d} "));
    }
    s
}

fn json(e: &Endpoint, dev: Option<String>) -> Value {
    let mut o = Map::new();
    if let Some(a) = e.addr {
        o.insert("address".into(), a.to_string().into());
    }
    if let Some(p) = e.port.filter(|&p| p != 0) {
        o.insert("port".into(), p.into());
    }
    if let Some(id) = e.id {
        o.insert("id".into(), id.into());
    }
    let (words, raw) = flag_words(e.flags);
    for w in words {
        o.insert(w.into(), true.into());
    }
    if let Some(raw) = raw {
        o.insert("rawflags".into(), raw.into());
    }
    if let Some(d) = dev {
        o.insert("dev".into(), d.into());
    }
    Value::Object(o)
}

/// `[subflows NR] [add_addr_accepted NR]`, abbreviations allowed.
fn parse_limits(words: &[String]) -> Result<Limits, Failure> {
    let mut limits = Limits::default();
    let mut it = words.iter().map(String::as_str);
    while let Some(word) = it.next() {
        let (slot, what) = if matches(word, "subflows") {
            (&mut limits.subflows, "subflows")
        } else if matches(word, "add_addr_accepted") {
            (&mut limits.add_addr_accepted, "add_addr_accepted")
        } else {
            return Err(invarg(word, "unknown limit"));
        };
        let v = it.next().ok_or_else(incomplete)?;
        let n = c_number(v, u32::MAX.into())
            .ok_or_else(|| invarg(v, format_args!("invalid {what}\n")))?;
        *slot = Some(n as u32);
    }
    Ok(limits)
}

/// `ip mptcp limits [show]`: always text, even with `-j` (iproute2 6.1
/// opens no JSON writer for it).
fn show_limits() -> Plan {
    Plan::run(|ctx| {
        let limits = pm_conn(ctx)?.mptcp_pm()?.limits()?;
        let mut s = String::new();
        if let Some(n) = limits.add_addr_accepted {
            s.push_str(&format!("add_addr_accepted {n} "));
        }
        if let Some(n) = limits.subflows {
            s.push_str(&format!("subflows {n} "));
        }
        println!("{s}");
        Ok(())
    })
}

/// An address as iproute2's `get_addr(…, AF_UNSPEC)`: IPv6 when it has a
/// `:`, otherwise its IPv4 parser; a bad one is exit 1.
fn address(word: &str) -> Result<IpAddr, Failure> {
    if matches!(word, "default" | "all" | "any") {
        // iproute2 sends family 0 and an empty address; the kernel refuses.
        return Err(Failure::Unsupported(format!(
            "Error: \"{word}\" is not an address this ip can send."
        )));
    }
    let parsed = if word.contains(':') {
        word.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        ipv4(word).map(IpAddr::V4)
    };
    parsed.ok_or_else(|| {
        Failure::arg(format!(
            "Error: any valid address is expected rather than \"{word}\"."
        ))
    })
}

/// iproute2's IPv4 parser: up to four parts, each a C number of at most
/// 255, missing parts zero (`10.8` is 10.8.0.0).
fn ipv4(word: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = word;
    for (i, octet) in octets.iter_mut().enumerate() {
        let (n, after) = strtoul(rest)?;
        if n > 255 {
            return None;
        }
        *octet = n as u8;
        if after.is_empty() {
            return Some(Ipv4Addr::from(octets));
        }
        rest = after.strip_prefix('.').filter(|_| i < 3)?;
    }
    None
}

/// iproute2's `get_u8`/`get_u16`/`get_u32`: a whole word that C's
/// `strtoul(…, 0)` reads, at most `max`.
fn c_number(word: &str, max: u64) -> Option<u64> {
    match strtoul(word)? {
        (n, "") if n <= max => Some(n),
        _ => None,
    }
}

/// C's `strtoul(s, &end, 0)`: leading white space, a sign, `0x` for hex
/// and `0` for octal. Returns the value and the rest, or `None` when no
/// digit was read (or on overflow, which iproute2 refuses).
fn strtoul(s: &str) -> Option<(u64, &str)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let hex_digits = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()));
    let (radix, digits) = match hex_digits {
        Some(r) => (16, r),
        None if t.starts_with('0') => (8, t),
        None => (10, t),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 {
        return None;
    }
    let n = u64::from_str_radix(&digits[..end], radix).ok()?;
    Some((if negative { n.wrapping_neg() } else { n }, &digits[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_cs() {
        assert_eq!(c_number("010", 255), Some(8));
        assert_eq!(c_number("0x10", 255), Some(16));
        assert_eq!(c_number(" 7", 255), Some(7));
        assert_eq!(c_number("256", 255), None);
        assert_eq!(c_number("-1", u32::MAX.into()), None);
        assert_eq!(c_number("-0", 255), Some(0));
        assert_eq!(c_number("0x", 255), None);
        assert_eq!(c_number("08", 255), None);
        assert_eq!(c_number("", 255), None);
    }

    #[test]
    fn ipv4_is_iproute2s() {
        assert_eq!(ipv4("10.8"), Some(Ipv4Addr::new(10, 8, 0, 0)));
        assert_eq!(ipv4("10"), Some(Ipv4Addr::new(10, 0, 0, 0)));
        assert_eq!(ipv4("010.0x10.0.1"), Some(Ipv4Addr::new(8, 16, 0, 1)));
        assert_eq!(ipv4("1.2.3.4.5"), None);
        assert_eq!(ipv4("1.2.3."), None);
        assert_eq!(ipv4("256.0.0.1"), None);
        assert_eq!(ipv4("10.0.0.x"), None);
    }
}
