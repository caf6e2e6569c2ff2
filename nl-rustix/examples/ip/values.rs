//! The values of `ip rule` selectors and `ip route get` keys, read and
//! written as iproute2 6.1 does: numbers, and names from the system's
//! tables (`/etc/protocols`, `/etc/iproute2/rt_dsfield`, `rt_realms`,
//! `group`).

use crate::fail::Failure;
use crate::words::{invarg, parse_number};
use std::fs;

/// `(number, name)` pairs of a name table: `NUMBER NAME` lines (decimal
/// or `0x` hexadecimal), `#` comments. A missing file is an empty table.
fn table(path: &str) -> Vec<(u32, String)> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('#').next()?.split_whitespace();
            let n = parse_number(it.next()?)?;
            Some((n, it.next()?.to_string()))
        })
        .collect()
}

fn name_of(path: &str, n: u32) -> Option<String> {
    table(path)
        .into_iter()
        .find(|(k, _)| *k == n)
        .map(|(_, v)| v)
}

fn number_of(path: &str, name: &str) -> Option<u32> {
    table(path)
        .into_iter()
        .find(|(_, v)| v == name)
        .map(|(k, _)| k)
}

const DSFIELD: &str = "/etc/iproute2/rt_dsfield";
const REALMS: &str = "/etc/iproute2/rt_realms";
const GROUPS: &str = "/etc/iproute2/group";

/// `tos`/`dsfield`: a name of `rt_dsfield`, or a hexadecimal number (with
/// or without `0x`) up to 255 (`rtnl_dsfield_a2n`).
pub(crate) fn tos(v: &str) -> Result<u8, Failure> {
    number_of(DSFIELD, v)
        .or_else(|| u32::from_str_radix(v.trim_start_matches("0x"), 16).ok())
        .and_then(|n| u8::try_from(n).ok())
        .ok_or_else(|| invarg(v, "TOS value is invalid"))
}

/// How iproute2 prints a TOS: its `rt_dsfield` name, else `0x%02x`.
pub(crate) fn tos_name(t: u8) -> String {
    name_of(DSFIELD, u32::from(t)).unwrap_or_else(|| format!("0x{t:02x}"))
}

/// One `/etc/protocols` entry: name, number, aliases.
fn protocols() -> Vec<(String, u8, Vec<String>)> {
    let text = fs::read_to_string("/etc/protocols").unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('#').next()?.split_whitespace();
            let name = it.next()?.to_string();
            let n = it.next()?.parse().ok()?;
            Some((name, n, it.map(str::to_string).collect()))
        })
        .collect()
}

/// `ipproto`: a number or an `/etc/protocols` name or alias
/// (`inet_proto_a2n`).
pub(crate) fn ip_proto(v: &str) -> Result<u8, Failure> {
    parse_number(v)
        .or_else(|| {
            protocols()
                .into_iter()
                .find(|(n, _, aliases)| n == v || aliases.iter().any(|a| a == v))
                .map(|(_, p, _)| p)
        })
        .ok_or_else(|| invarg(v, "Invalid \"ipproto\" value"))
}

/// How iproute2 prints an IP protocol: its `/etc/protocols` name, else
/// `ipproto-N` (`inet_proto_n2a`).
pub(crate) fn ip_proto_name(p: u8) -> String {
    protocols()
        .into_iter()
        .find(|(_, n, _)| *n == p)
        .map_or_else(|| format!("ipproto-{p}"), |(name, _, _)| name)
}

/// C's `strtoul` on the leading digits of `s`, as `sscanf("%hu")` reads
/// it: the value truncated to 16 bits, and the rest of `s`.
fn leading_u16(s: &str) -> Option<(u16, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..end].parse().ok()?;
    // Truncation is what `%hu` does with a larger number.
    #[allow(clippy::cast_possible_truncation)]
    Some((n as u16, &s[end..]))
}

/// `sport`/`dport`: `N` or `N-M` (`sscanf("%hu-%hu")`: a malformed end
/// reads as `N-N`, a number above 65535 wraps).
pub(crate) fn port_range(v: &str) -> Result<(u16, u16), Failure> {
    let (start, rest) = leading_u16(v).ok_or_else(|| invarg(v, "invalid port range"))?;
    let end = rest
        .strip_prefix('-')
        .and_then(leading_u16)
        .map_or(start, |(e, _)| e);
    Ok((start, end))
}

/// `uidrange N-M` (`sscanf("%u-%u")`, both required).
pub(crate) fn uid_range(v: &str) -> Result<(u32, u32), Failure> {
    let bad = || invarg(v, "invalid UID range");
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let num = |s: &str| {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        s[..end].parse::<u32>().ok()
    };
    Ok((num(a).ok_or_else(bad)?, num(b).ok_or_else(bad)?))
}

fn realm(v: &str) -> Option<u32> {
    number_of(REALMS, v)
        .or_else(|| parse_number(v))
        .filter(|&n| n <= 0xffff)
}

/// `realms [FROM/]TO`: `FRA_FLOW` = `FROM << 16 | TO`.
pub(crate) fn realms(v: &str) -> Result<u32, Failure> {
    let bad = || invarg(v, "invalid realms");
    match v.split_once('/') {
        Some((from, to)) => Ok(realm(from).ok_or_else(bad)? << 16 | realm(to).ok_or_else(bad)?),
        None => realm(v).ok_or_else(bad),
    }
}

/// A realm as iproute2 prints it: its `rt_realms` name, else the number.
pub(crate) fn realm_name(r: u32) -> String {
    name_of(REALMS, r).unwrap_or_else(|| r.to_string())
}

/// `suppress_ifgroup`: a `group` name or a number.
pub(crate) fn ifgroup(v: &str) -> Result<u32, Failure> {
    number_of(GROUPS, v)
        .or_else(|| parse_number(v))
        .ok_or_else(|| invarg(v, "Invalid \"suppress_ifgroup\" value"))
}

/// A device group as iproute2 prints it: its name, else the number.
pub(crate) fn ifgroup_name(g: u32) -> String {
    name_of(GROUPS, g).unwrap_or_else(|| g.to_string())
}

/// `suppress_prefixlength N`.
pub(crate) fn suppress_prefixlen(v: &str) -> Result<u32, Failure> {
    parse_number(v).ok_or_else(|| invarg(v, "suppress_prefixlength value is invalid"))
}

/// `tun_id N` (a u64).
pub(crate) fn tun_id(v: &str) -> Result<u64, Failure> {
    parse_number(v).ok_or_else(|| invarg(v, "\"tun_id\" value is invalid"))
}

/// `fwmark MARK[/MASK]`.
pub(crate) fn fwmark(v: &str) -> Result<(u32, Option<u32>), Failure> {
    let (m, mask) = match v.split_once('/') {
        Some((m, k)) => (m, Some(k)),
        None => (v, None),
    };
    let mark = parse_number(m).ok_or_else(|| invarg(m, "fwmark value is invalid"))?;
    let mask = mask
        .map(|k| parse_number(k).ok_or_else(|| invarg(k, "fwmask value is invalid")))
        .transpose()?;
    Ok((mark, mask))
}

/// `dscp N` (0 to 63; newer than iproute2 6.1).
pub(crate) fn dscp(v: &str) -> Result<u8, Failure> {
    parse_number(v)
        .filter(|&d: &u8| d < 64)
        .ok_or_else(|| invarg(v, "invalid dscp"))
}

/// `flowlabel LABEL[/MASK]` (20 bits each; newer than iproute2 6.1).
pub(crate) fn flowlabel(v: &str) -> Result<(u32, u32), Failure> {
    let bad = || invarg(v, "invalid flowlabel");
    let (l, m) = v.split_once('/').unwrap_or((v, "0xfffff"));
    let label: u32 = parse_number(l).ok_or_else(bad)?;
    let mask: u32 = parse_number(m).ok_or_else(bad)?;
    if label > 0xf_ffff || mask > 0xf_ffff {
        return Err(bad());
    }
    Ok((label, mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_read_as_sscanf_does() {
        assert_eq!(port_range("53").unwrap(), (53, 53));
        assert_eq!(port_range("1000-2000").unwrap(), (1000, 2000));
        assert_eq!(port_range("5-x").unwrap(), (5, 5));
        assert_eq!(port_range("70000").unwrap(), (4464, 4464));
        assert!(port_range("x").is_err());
        assert_eq!(uid_range("100-200").unwrap(), (100, 200));
        assert!(uid_range("5").is_err());
        assert!(uid_range("a-b").is_err());
    }

    #[test]
    fn tos_and_realms() {
        assert_eq!(tos("0x10").unwrap(), 0x10);
        assert_eq!(tos("10").unwrap(), 0x10);
        assert!(tos("0x1ff").is_err());
        assert!(tos("zz").is_err());
        assert_eq!(realms("3/4").unwrap(), 3 << 16 | 4);
        assert_eq!(realms("4").unwrap(), 4);
        assert!(realms("x").is_err());
        assert_eq!(fwmark("5/0xff").unwrap(), (5, Some(0xff)));
    }
}
