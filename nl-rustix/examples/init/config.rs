//! The init example's configuration: the kernel's `ip=` parameter and a
//! short line-oriented file, parsed into one list of steps before
//! anything is changed.

use nl_proto::IpNet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// One thing to do, in the order given (after `lo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// `link NAME up [mtu N]`: bring a link up, optionally setting its MTU.
    Up { link: String, mtu: Option<u32> },
    /// `addr NAME PREFIX`: an address (replaced if present).
    Addr { link: String, prefix: IpNet },
    /// `route DST|default [via GW] [dev NAME] [metric N]` (replaced if present).
    Route {
        dst: IpNet,
        via: Option<IpAddr>,
        dev: Option<String>,
        metric: Option<u32>,
    },
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Up { link, mtu: None } => write!(f, "link {link} up"),
            Step::Up { link, mtu: Some(m) } => write!(f, "link {link} up mtu {m}"),
            Step::Addr { link, prefix } => write!(f, "addr {link} {prefix}"),
            Step::Route {
                dst,
                via,
                dev,
                metric,
            } => {
                write!(f, "route {dst}")?;
                if let Some(v) = via {
                    write!(f, " via {v}")?;
                }
                if let Some(d) = dev {
                    write!(f, " dev {d}")?;
                }
                if let Some(m) = metric {
                    write!(f, " metric {m}")?;
                }
                Ok(())
            }
        }
    }
}

/// Bad configuration: where and what (nothing has been changed).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadConfig {
    /// `FILE:LINE` or `ip=`.
    pub(crate) at: String,
    /// What is wrong.
    pub(crate) what: String,
}

impl fmt::Display for BadConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

fn bad(at: &str, what: impl Into<String>) -> BadConfig {
    BadConfig {
        at: at.to_owned(),
        what: what.into(),
    }
}

/// Parse a configuration file's text; `name` is used in errors.
///
/// One step per line; `#` starts a comment; blank lines are skipped.
pub(crate) fn parse_file(name: &str, text: &str) -> Result<Vec<Step>, BadConfig> {
    let mut steps = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", n + 1);
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let Some(verb) = words.next() else { continue };
        let rest: Vec<&str> = words.collect();
        steps.push(match verb {
            "link" => parse_link(&at, &rest)?,
            "addr" => parse_addr(&at, &rest)?,
            "route" => parse_route(&at, &rest)?,
            other => {
                return Err(bad(
                    &at,
                    format!("unknown directive \"{other}\" (link, addr, route)"),
                ));
            }
        });
    }
    Ok(steps)
}

fn parse_link(at: &str, w: &[&str]) -> Result<Step, BadConfig> {
    match w {
        [link, "up"] => Ok(Step::Up {
            link: name(at, link)?,
            mtu: None,
        }),
        [link, "up", "mtu", m] => Ok(Step::Up {
            link: name(at, link)?,
            mtu: Some(number(at, "mtu", m)?),
        }),
        _ => Err(bad(at, "expected: link NAME up [mtu N]")),
    }
}

fn parse_addr(at: &str, w: &[&str]) -> Result<Step, BadConfig> {
    match w {
        [link, prefix] => Ok(Step::Addr {
            link: name(at, link)?,
            prefix: prefix
                .parse()
                .map_err(|_| bad(at, format!("bad prefix \"{prefix}\" (ADDRESS/LEN)")))?,
        }),
        _ => Err(bad(at, "expected: addr NAME PREFIX")),
    }
}

fn parse_route(at: &str, w: &[&str]) -> Result<Step, BadConfig> {
    let Some((dst, mut opts)) = w.split_first() else {
        return Err(bad(
            at,
            "expected: route DST|default [via GW] [dev NAME] [metric N]",
        ));
    };
    let (mut via, mut dev, mut metric) = (None, None, None);
    while let [key, value, more @ ..] = opts {
        match *key {
            "via" => {
                via = Some(
                    value
                        .parse::<IpAddr>()
                        .map_err(|_| bad(at, format!("bad gateway \"{value}\"")))?,
                );
            }
            "dev" => dev = Some(name(at, value)?),
            "metric" => metric = Some(number(at, "metric", value)?),
            other => return Err(bad(at, format!("unknown route option \"{other}\""))),
        }
        opts = more;
    }
    if let [extra] = opts {
        return Err(bad(at, format!("\"{extra}\" needs a value")));
    }
    let dst = destination(at, dst, via)?;
    if via.is_none() && dev.is_none() {
        return Err(bad(at, format!("route {dst} needs via or dev")));
    }
    Ok(Step::Route {
        dst,
        via,
        dev,
        metric,
    })
}

/// A route's destination: `default` (of the gateway's family, IPv4
/// without one), a prefix without host bits, or a bare address.
fn destination(at: &str, dst: &str, via: Option<IpAddr>) -> Result<IpNet, BadConfig> {
    if dst == "default" {
        return Ok(match via {
            Some(IpAddr::V6(_)) => "::/0".parse().unwrap_or_default(),
            _ => IpNet::default(),
        });
    }
    let net: IpNet = match dst.parse::<IpNet>() {
        Ok(n) => n,
        Err(_) => dst
            .parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|_| bad(at, format!("bad destination \"{dst}\"")))?,
    };
    if net.trunc() != net {
        return Err(bad(
            at,
            format!(
                "destination {net} has host bits set (did you mean {}?)",
                net.trunc()
            ),
        ));
    }
    Ok(net)
}

fn name(at: &str, s: &str) -> Result<String, BadConfig> {
    nl_rustix::ifname(s).map_err(|e| bad(at, e.to_string()))?;
    Ok(s.to_owned())
}

fn number(at: &str, what: &str, s: &str) -> Result<u32, BadConfig> {
    s.parse()
        .map_err(|_| bad(at, format!("bad {what} \"{s}\"")))
}

/// The steps of a kernel command line's `ip=` parameter, if it has one:
/// `ip=CLIENT:SERVER:GATEWAY:NETMASK:HOSTNAME:DEVICE:AUTOCONF[:…]`
/// (Documentation/admin-guide/nfs/nfsroot.rst). Only static
/// configuration (`off`, `none`, `static` or empty autoconf) is done
/// here: DHCP and friends need a client. SERVER, HOSTNAME and the DNS
/// and NTP fields are not network configuration and are ignored.
pub(crate) fn parse_cmdline(cmdline: &str) -> Result<Vec<Step>, BadConfig> {
    let Some(param) = cmdline
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("ip="))
        .next_back()
    else {
        return Ok(Vec::new());
    };
    let at = "ip=";
    let f: Vec<&str> = param.split(':').collect();
    let field = |i: usize| f.get(i).copied().unwrap_or("");
    let autoconf = field(6);
    if f.len() == 1 && matches!(param, "off" | "none") {
        return Ok(Vec::new());
    }
    if f.len() == 1 {
        return Err(bad(
            at,
            format!("autoconfiguration \"{param}\" is not supported (static only)"),
        ));
    }
    if !matches!(autoconf, "" | "off" | "none" | "static") {
        return Err(bad(
            at,
            format!("autoconfiguration \"{autoconf}\" is not supported (static only)"),
        ));
    }
    let device = field(5);
    if device.is_empty() {
        return Err(bad(at, "a static ip= needs its DEVICE field"));
    }
    let device = name(at, device)?;
    let mut steps = vec![Step::Up {
        link: device.clone(),
        mtu: None,
    }];
    let client = field(0);
    if !client.is_empty() {
        let ip: Ipv4Addr = client
            .parse()
            .map_err(|_| bad(at, format!("bad client address \"{client}\"")))?;
        let mask = field(3);
        let len = if mask.is_empty() {
            32
        } else {
            netmask_len(mask).ok_or_else(|| bad(at, format!("bad netmask \"{mask}\"")))?
        };
        let prefix = nl_proto::Ipv4Net::new(ip, len)
            .map_err(|_| bad(at, format!("bad netmask \"{mask}\"")))?;
        steps.push(Step::Addr {
            link: device.clone(),
            prefix: prefix.into(),
        });
    }
    let gw = field(2);
    if !gw.is_empty() {
        let via: Ipv4Addr = gw
            .parse()
            .map_err(|_| bad(at, format!("bad gateway \"{gw}\"")))?;
        steps.push(Step::Route {
            dst: IpNet::default(),
            via: Some(via.into()),
            dev: Some(device),
            metric: None,
        });
    }
    Ok(steps)
}

/// The prefix length of a contiguous dotted netmask (`255.255.255.0` → 24).
fn netmask_len(mask: &str) -> Option<u8> {
    let m = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let len = m.leading_ones();
    (m.checked_shl(len).unwrap_or(0) == 0)
        .then(|| u8::try_from(len).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmdline_static() {
        let steps =
            parse_cmdline("console=ttyS0 ip=10.0.0.2::10.0.0.1:255.255.255.0:box:eth0:off rw")
                .unwrap();
        let text: Vec<String> = steps.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "link eth0 up",
                "addr eth0 10.0.0.2/24",
                "route 0.0.0.0/0 via 10.0.0.1 dev eth0"
            ]
        );
        assert_eq!(parse_cmdline("quiet").unwrap(), []);
        assert_eq!(parse_cmdline("ip=off").unwrap(), []);
    }

    #[test]
    fn cmdline_refusals() {
        for (line, what) in [
            (
                "ip=dhcp",
                "autoconfiguration \"dhcp\" is not supported (static only)",
            ),
            (
                "ip=10.0.0.2:::255.255.0.255::eth0:",
                "bad netmask \"255.255.0.255\"",
            ),
            (
                "ip=10.0.0.2::::box::off",
                "a static ip= needs its DEVICE field",
            ),
            (
                "ip=10.0.0.2:::::eth0:bootp",
                "autoconfiguration \"bootp\" is not supported (static only)",
            ),
        ] {
            assert_eq!(parse_cmdline(line).unwrap_err().what, what, "{line}");
        }
    }

    #[test]
    fn file() {
        let text = "# boot network\nlink eth0 up mtu 1400\naddr eth0 10.0.0.2/24\n\n\
                    addr eth0 fd00::2/64 # v6 too\nroute default via 10.0.0.1\n\
                    route 10.1.0.0/16 via 10.0.0.254 dev eth0 metric 10\nroute 192.0.2.1 dev eth0\n";
        let text: Vec<String> = parse_file("net.conf", text)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "link eth0 up mtu 1400",
                "addr eth0 10.0.0.2/24",
                "addr eth0 fd00::2/64",
                "route 0.0.0.0/0 via 10.0.0.1",
                "route 10.1.0.0/16 via 10.0.0.254 dev eth0 metric 10",
                "route 192.0.2.1/32 dev eth0",
            ]
        );
    }

    #[test]
    fn file_refusals() {
        for (text, what) in [
            (
                "bogus eth0",
                "net.conf:1: unknown directive \"bogus\" (link, addr, route)",
            ),
            (
                "addr eth0 10.0.0.2",
                "net.conf:1: bad prefix \"10.0.0.2\" (ADDRESS/LEN)",
            ),
            (
                "\nroute 10.1.0.1/16 dev eth0",
                "net.conf:2: destination 10.1.0.1/16 has host bits set (did you mean 10.1.0.0/16?)",
            ),
            (
                "route 10.1.0.0/16",
                "net.conf:1: route 10.1.0.0/16 needs via or dev",
            ),
            ("route 10.1.0.0/16 dev", "net.conf:1: \"dev\" needs a value"),
            (
                "link abcdefghijklmnop up",
                "net.conf:1: invalid input: interface name \"abcdefghijklmnop\": interface name is 16 bytes, the limit is 15",
            ),
            ("link eth0 up mtu big", "net.conf:1: bad mtu \"big\""),
        ] {
            assert_eq!(
                parse_file("net.conf", text).unwrap_err().to_string(),
                what,
                "{text}"
            );
        }
    }
}
