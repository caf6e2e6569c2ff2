//! The dispatcher: one command line (after the global options) → a
//! [`Plan`], through the registry of objects. No I/O: the fuzz target
//! `ip_argv` runs exactly this on arbitrary words.

use crate::fail::Failure;
use crate::plan::{Object, Plan};
use crate::words::{Opts, matches};
use crate::{
    addr, addrlabel, link, monitor, mptcp, neigh, netns, nexthop, route, rule,
};

/// The objects this `ip` knows. Adding one is a module and a line here.
const OBJECTS: &[Object] = &[
    addr::OBJECT,
    addrlabel::OBJECT,
    route::OBJECT,
    rule::OBJECT,
    neigh::OBJECT,
    link::OBJECT,
    mptcp::OBJECT,
    netns::OBJECT,
    nexthop::OBJECT,
    monitor::OBJECT,
];

/// iproute2's objects in the order it tries them, so an abbreviation
/// means the same object here (`r` is route, `n` neighbour, `l` link).
const IPROUTE2_ORDER: &[&str] = &[
    "address",
    "addrlabel",
    "amt",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "stats",
    "help",
];

/// iproute2's usage line, then what this `ip` knows.
pub(crate) const USAGE: &str = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | link | monitor | mptcp | neighbour | netns | nexthop | route | rule }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -4 | -6 |
                    -f[orce] | -b[atch] [filename] | -n[etns] name |
                    -j[son] | -p[retty] | -o[neline] | -br[ief] }";

/// The registered object `word` names (iproute2's abbreviation rules).
fn object(word: &str) -> Result<&'static Object, Failure> {
    let full = IPROUTE2_ORDER
        .iter()
        .find(|full| matches(word, full))
        .copied();
    full.and_then(|f| OBJECTS.iter().find(|o| o.names.contains(&f)))
        .ok_or_else(|| Failure::arg(format!("Object \"{word}\" is unknown, try \"ip help\".")))
}

/// The dispatcher: one command line (after the global options) → plan.
pub(crate) fn plan_line(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let Some((word, rest)) = args.split_first() else {
        return Err(Failure::usage(USAGE));
    };
    if matches(word, "help") {
        return Err(Failure::usage(USAGE));
    }
    (object(word)?.plan)(opts, rest)
}

