//! `last_applied`: what earlier passes installed, by interface name so it
//! survives a link being re-created with a new index, and its text form
//! for a state file.

use super::qdiscs::TcSlot;
use crate::{Error, RuleSpec};
use nl_proto::IpNet;
use nl_proto::route::AddrFamily;
use nl_proto::route::route::RouteProtocol;
use nl_proto::route::rule::RuleAction;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::IpAddr;

/// The links a reconciler created, and the addresses, neighbours and rules
/// it installed (created or updated), in earlier passes: the only ones a
/// later pass may delete.
/// Routes need no such set; they are owned by their protocol.
///
/// Thread [`Report::last_applied`](super::Report::last_applied) into the
/// next pass; persist it with [`LastApplied::to_text`] and
/// [`LastApplied::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastApplied {
    /// Links a pass created, by name.
    pub links: BTreeSet<String>,
    /// `(link name, address/prefix length)`.
    pub addresses: BTreeSet<(String, IpNet)>,
    /// `(link name, address)`.
    pub neighbours: BTreeSet<(String, IpAddr)>,
    /// Rules, each in its canonical text form ([`rule_text`]).
    pub rules: BTreeSet<String>,
    /// `(link name, root or ingress)`: the qdiscs a pass created, with
    /// what hangs off them.
    pub qdiscs: BTreeSet<(String, TcSlot)>,
}

impl LastApplied {
    /// Nothing applied yet (a first pass).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
            && self.addresses.is_empty()
            && self.neighbours.is_empty()
            && self.rules.is_empty()
            && self.qdiscs.is_empty()
    }

    /// One line per key, sorted: `link NAME`, `address LINK PREFIX`,
    /// `neighbour LINK ADDR`, `rule FIELD=VALUE…`, `qdisc LINK root|ingress`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for name in &self.links {
            let _ = writeln!(out, "link {name}");
        }
        for (link, prefix) in &self.addresses {
            let _ = writeln!(out, "address {link} {prefix}");
        }
        for (link, dst) in &self.neighbours {
            let _ = writeln!(out, "neighbour {link} {dst}");
        }
        for r in &self.rules {
            let _ = writeln!(out, "rule {r}");
        }
        for (link, slot) in &self.qdiscs {
            let _ = writeln!(out, "qdisc {link} {}", slot.as_str());
        }
        out
    }

    /// Read what [`LastApplied::to_text`] wrote. Blank lines and lines
    /// starting with `#` are ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the first bad line.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut out = Self::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| Error::Invalid(format!("state line {}: {why}: {line}", n + 1));
            let mut words = line.split_whitespace();
            match words.next() {
                Some("link") => {
                    let (Some(name), None) = (words.next(), words.next()) else {
                        return Err(bad("want `link NAME`"));
                    };
                    out.links.insert(name.to_string());
                }
                Some("address") => {
                    let (Some(link), Some(p), None) = (words.next(), words.next(), words.next())
                    else {
                        return Err(bad("want `address LINK PREFIX`"));
                    };
                    let p = p.parse().map_err(|_| bad("bad prefix"))?;
                    out.addresses.insert((link.to_string(), p));
                }
                Some("neighbour") => {
                    let (Some(link), Some(d), None) = (words.next(), words.next(), words.next())
                    else {
                        return Err(bad("want `neighbour LINK ADDR`"));
                    };
                    let d = d.parse().map_err(|_| bad("bad address"))?;
                    out.neighbours.insert((link.to_string(), d));
                }
                Some("rule") => {
                    let rest = line.strip_prefix("rule").unwrap_or_default().trim();
                    let spec = parse_rule(rest).map_err(|e| bad(&e))?;
                    out.rules.insert(rule_text(&spec));
                }
                Some("qdisc") => {
                    let (Some(link), Some(slot), None) = (words.next(), words.next(), words.next())
                    else {
                        return Err(bad("want `qdisc LINK root|ingress`"));
                    };
                    let slot = TcSlot::parse(slot).ok_or_else(|| bad("want root or ingress"))?;
                    out.qdiscs.insert((link.to_string(), slot));
                }
                _ => return Err(bad("unknown kind")),
            }
        }
        Ok(out)
    }
}

/// A rule's canonical text: the fields a [`RuleSpec`] sets, in a fixed
/// order (`family=inet6 priority=100 from=… to=… table=100 action=1
/// fwmark=… fwmask=… iif=… oif=… goto=… protocol=… not`).
pub fn rule_text(r: &RuleSpec) -> String {
    let mut s = String::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(k);
            s.push('=');
            s.push_str(&v);
        }
    };
    let family = r.family.map(|f| match f {
        AddrFamily::INET6 => "inet6".to_string(),
        AddrFamily::INET => "inet".to_string(),
        other => other.0.to_string(),
    });
    put("family", family);
    put("priority", r.priority.map(|v| v.to_string()));
    put("from", r.src.map(|v| v.to_string()));
    put("to", r.dst.map(|v| v.to_string()));
    put("table", r.table.map(|v| v.to_string()));
    put("action", r.action.map(|v| v.0.to_string()));
    put("fwmark", r.fwmark.map(|v| v.to_string()));
    put("fwmask", r.fwmask.map(|v| v.to_string()));
    put("iif", r.iif.clone());
    put("oif", r.oif.clone());
    put("goto", r.goto.map(|v| v.to_string()));
    put("protocol", r.protocol.map(|v| v.0.to_string()));
    put("tos", (r.tos != 0).then(|| r.tos.to_string()));
    put(
        "suppress_prefixlength",
        r.suppress_prefixlen.map(|v| v.to_string()),
    );
    put("uidrange", r.uid_range.map(|(a, b)| format!("{a}-{b}")));
    put("ipproto", r.ip_proto.map(|v| v.to_string()));
    put("sport", r.sport_range.map(|(a, b)| format!("{a}-{b}")));
    put("dport", r.dport_range.map(|(a, b)| format!("{a}-{b}")));
    if r.invert {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str("not");
    }
    s
}

/// Read [`rule_text`] back.
pub(crate) fn parse_rule(text: &str) -> Result<RuleSpec, String> {
    let mut r = RuleSpec::new();
    for word in text.split_whitespace() {
        if word == "not" {
            r.invert = true;
            continue;
        }
        let (k, v) = word
            .split_once('=')
            .ok_or_else(|| format!("`{word}` is not FIELD=VALUE"))?;
        let num = |v: &str| v.parse::<u32>().map_err(|_| format!("bad {k} `{v}`"));
        let net = |v: &str| v.parse::<IpNet>().map_err(|_| format!("bad {k} `{v}`"));
        match k {
            "family" => {
                r.family = Some(match v {
                    "inet" => AddrFamily::INET,
                    "inet6" => AddrFamily::INET6,
                    n => AddrFamily(n.parse().map_err(|_| format!("bad family `{n}`"))?),
                });
            }
            "priority" => r.priority = Some(num(v)?),
            "from" => r.src = Some(net(v)?),
            "to" => r.dst = Some(net(v)?),
            "table" => r.table = Some(num(v)?),
            "action" => {
                r.action = Some(RuleAction(
                    u8::try_from(num(v)?).map_err(|_| format!("bad action `{v}`"))?,
                ));
            }
            "fwmark" => r.fwmark = Some(num(v)?),
            "fwmask" => r.fwmask = Some(num(v)?),
            "iif" => r.iif = Some(v.to_string()),
            "oif" => r.oif = Some(v.to_string()),
            "goto" => r.goto = Some(num(v)?),
            "protocol" => {
                r.protocol = Some(RouteProtocol(
                    u8::try_from(num(v)?).map_err(|_| format!("bad protocol `{v}`"))?,
                ));
            }
            "tos" => r.tos = u8::try_from(num(v)?).map_err(|_| format!("bad tos `{v}`"))?,
            "suppress_prefixlength" => r.suppress_prefixlen = Some(num(v)?),
            "uidrange" => r.uid_range = Some(range(v, u32::MAX).map_err(|e| format!("{k}: {e}"))?),
            "ipproto" => {
                r.ip_proto = Some(u8::try_from(num(v)?).map_err(|_| format!("bad ipproto `{v}`"))?);
            }
            "sport" | "dport" => {
                let (a, b) = range(v, u32::from(u16::MAX)).map_err(|e| format!("{k}: {e}"))?;
                let pair = (
                    u16::try_from(a).unwrap_or(u16::MAX),
                    u16::try_from(b).unwrap_or(u16::MAX),
                );
                if k == "sport" {
                    r.sport_range = Some(pair);
                } else {
                    r.dport_range = Some(pair);
                }
            }
            other => return Err(format!("unknown rule field `{other}`")),
        }
    }
    Ok(r)
}

/// `A-B` or `A` (both ends `A`), each at most `max`, `A <= B`: a rule's
/// port or uid range as the state file and iproute2 write it.
pub fn range(text: &str, max: u32) -> Result<(u32, u32), String> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let n = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|&v| v <= max)
            .ok_or_else(|| format!("`{text}` is not a range of 0 to {max}"))
    };
    let (a, b) = (n(a)?, n(b)?);
    if a > b {
        return Err(format!("`{text}`: the range ends before it starts"));
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trip() {
        let mut s = LastApplied::new();
        s.addresses
            .insert(("eth0".into(), "10.0.0.2/24".parse().unwrap()));
        s.neighbours
            .insert(("eth0".into(), "fe80::9".parse().unwrap()));
        let rule = RuleSpec::new()
            .from("10.0.0.0/24".parse().unwrap())
            .table(100)
            .priority(100)
            .iif("eth0");
        let ports = RuleSpec {
            ip_proto: Some(6),
            dport_range: Some((80, 90)),
            uid_range: Some((1000, 1000)),
            tos: 16,
            ..RuleSpec::new().priority(200)
        };
        let t = rule_text(&ports);
        assert_eq!(
            t,
            "priority=200 tos=16 uidrange=1000-1000 ipproto=6 dport=80-90"
        );
        assert_eq!(rule_text(&parse_rule(&t).unwrap()), t);
        s.rules.insert(rule_text(&rule));
        s.qdiscs.insert(("eth0".into(), TcSlot::Ingress));
        let text = s.to_text();
        assert_eq!(
            text,
            "address eth0 10.0.0.2/24\nneighbour eth0 fe80::9\n\
             rule priority=100 from=10.0.0.0/24 table=100 iif=eth0\n\
             qdisc eth0 ingress\n"
        );
        assert!(LastApplied::parse("qdisc eth0 egress").is_err());
        assert_eq!(LastApplied::parse(&text).unwrap(), s);
        assert!(LastApplied::parse("address eth0").is_err());
        assert!(LastApplied::parse("rule colour=blue").is_err());
        assert!(LastApplied::parse("\n# nothing\n").unwrap().is_empty());
    }
}
