//! Left sides loaded from elsewhere than the packet's bytes, both ways:
//! `rt` (route), `socket`, `fib` (a FIB lookup), `ipsec` (xfrm state) and
//! `osf` (the sender's OS), as nft 1.0.6 writes them in JSON, with each
//! value's type.

use crate::fields::Ty;
use nl_rustix::nl_proto::nfnl::nft::{Expr, Fib, NFT_REG_1, Osf, Rt, Socket, Xfrm};
use serde_json::{Map, Value, json};

/// A load from one of these sources: the expression (into register 1),
/// its values' type and length, and whether numbers are in host order.
#[derive(Clone, Copy)]
pub(crate) struct Keyed {
    pub(crate) expr: Expr<'static>,
    pub(crate) ty: Ty,
    pub(crate) len: u32,
    pub(crate) host: bool,
}

const RT_KEYS: &[(&str, u32, Ty, u32, bool)] = &[
    ("classid", 0, Ty::Realm, 4, true),
    ("mtu", 3, Ty::Int, 2, true),
    ("ipsec", 4, Ty::Bool, 1, false),
];

const SOCKET_KEYS: &[(&str, u32, Ty, u32, bool)] = &[
    ("transparent", 0, Ty::Int, 1, true),
    ("mark", 1, Ty::Int, 4, true),
    ("wildcard", 2, Ty::Int, 1, true),
];

const FIB_FLAGS: &[(&str, u32)] = &[
    ("saddr", 1),
    ("daddr", 2),
    ("mark", 4),
    ("iif", 8),
    ("oif", 16),
];
const FIB_PRESENT: u32 = 32;

const ADDRTYPES: &[(u64, &str)] = &[
    (0, "unspec"),
    (1, "unicast"),
    (2, "local"),
    (3, "broadcast"),
    (4, "anycast"),
    (5, "multicast"),
    (6, "blackhole"),
    (7, "unreachable"),
    (8, "prohibit"),
    (9, "throw"),
    (10, "nat"),
    (11, "xresolve"),
];

const OSF_TTL: &[(&str, u8)] = &[("loose", 1), ("skip", 2)];

fn s<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, String> {
    o.get(k)
        .and_then(Value::as_str)
        .ok_or(format!("missing string \"{k}\""))
}

/// The left side `{k: o}`, if `k` is one of these sources.
pub(crate) fn left(k: &str, o: &Map<String, Value>) -> Option<Result<Keyed, String>> {
    let keyed = |expr, ty, len, host| Keyed {
        expr,
        ty,
        len,
        host,
    };
    Some((|| -> Result<Keyed, String> {
        match k {
            "rt" => {
                let key = s(o, "key")?;
                if key == "nexthop" {
                    let v6 = o.get("family").and_then(Value::as_str) == Some("ip6");
                    let (key, ty, len) = if v6 {
                        (2, Ty::Ipv6, 16)
                    } else {
                        (1, Ty::Ipv4, 4)
                    };
                    return Ok(keyed(
                        Expr::Rt(Rt {
                            dreg: NFT_REG_1,
                            key,
                        }),
                        ty,
                        len,
                        false,
                    ));
                }
                let &(_, n, ty, len, host) = RT_KEYS
                    .iter()
                    .find(|x| x.0 == key)
                    .ok_or(format!("unsupported rt key \"{key}\""))?;
                Ok(keyed(
                    Expr::Rt(Rt {
                        dreg: NFT_REG_1,
                        key: n,
                    }),
                    ty,
                    len,
                    host,
                ))
            }
            "socket" => {
                let key = s(o, "key")?;
                let &(_, n, ty, len, host) = SOCKET_KEYS
                    .iter()
                    .find(|x| x.0 == key)
                    .ok_or(format!("unsupported socket key \"{key}\""))?;
                let sock = Socket {
                    key: n,
                    dreg: NFT_REG_1,
                    level: Some(0),
                };
                Ok(keyed(Expr::Socket(sock), ty, len, host))
            }
            "fib" => {
                let mut flags = 0;
                let fl = match o.get("flags") {
                    Some(Value::Array(a)) => a.clone(),
                    Some(v) => vec![v.clone()],
                    None => vec![],
                };
                for f in &fl {
                    let f = f.as_str().ok_or("fib: bad flag")?;
                    flags |= FIB_FLAGS
                        .iter()
                        .find(|x| x.0 == f)
                        .ok_or(format!("fib: unknown flag \"{f}\""))?
                        .1;
                }
                let (result, ty, len) = match s(o, "result")? {
                    "oif" => (1, Ty::Ifindex, 4),
                    "oifname" => (2, Ty::Ifname, 16),
                    "type" => (3, Ty::Named(ADDRTYPES), 4),
                    r => return Err(format!("fib: unknown result \"{r}\"")),
                };
                let fib = Fib {
                    dreg: NFT_REG_1,
                    result,
                    flags,
                };
                Ok(keyed(Expr::Fib(fib), ty, len, true))
            }
            "ipsec" => {
                let key = s(o, "key")?;
                let v6 = o.get("family").and_then(Value::as_str) == Some("ip6");
                let (n, ty, len) = match (key, v6) {
                    ("daddr", false) => (1, Ty::Ipv4, 4),
                    ("daddr", true) => (2, Ty::Ipv6, 16),
                    ("saddr", false) => (3, Ty::Ipv4, 4),
                    ("saddr", true) => (4, Ty::Ipv6, 16),
                    ("reqid", _) => (5, Ty::Int, 4),
                    ("spi", _) => (6, Ty::Int, 4),
                    _ => return Err(format!("unsupported ipsec key \"{key}\"")),
                };
                let dir = match o.get("dir").and_then(Value::as_str) {
                    None | Some("in") => 0,
                    Some("out") => 1,
                    Some(d) => return Err(format!("ipsec: bad dir \"{d}\"")),
                };
                let spnum = o.get("spnum").and_then(Value::as_u64).unwrap_or(0);
                let x = Xfrm {
                    dreg: NFT_REG_1,
                    key: n,
                    dir,
                    spnum: u32::try_from(spnum).map_err(|_| "ipsec: bad spnum")?,
                };
                Ok(keyed(Expr::Xfrm(x), ty, len, n == 5))
            }
            "osf" => {
                let flags = match s(o, "key")? {
                    "name" => None,
                    "version" => Some(1),
                    k => return Err(format!("osf: unknown key \"{k}\"")),
                };
                let ttl = match o.get("ttl").and_then(Value::as_str) {
                    None => 0,
                    Some(t) => {
                        OSF_TTL
                            .iter()
                            .find(|x| x.0 == t)
                            .ok_or(format!("osf: bad ttl \"{t}\""))?
                            .1
                    }
                };
                let osf = Osf {
                    dreg: NFT_REG_1,
                    ttl: Some(ttl),
                    flags,
                };
                Ok(keyed(Expr::Osf(osf), Ty::Ifname, 16, false))
            }
            _ => Err(String::new()),
        }
    })())
    .filter(|r| !matches!(r, Err(e) if e.is_empty()))
}

/// A load from one of these sources as nft lists its left side: the
/// JSON, the values' type, and whether numbers are in host order.
/// `present`: the fib lookup only tests whether there is a result.
pub(crate) fn list(e: &Expr<'_>) -> Option<(Value, Ty, bool)> {
    Some(match e {
        Expr::Rt(r) => match r.key {
            1 => (
                json!({"rt": {"key": "nexthop", "family": "ip"}}),
                Ty::Ipv4,
                false,
            ),
            2 => (
                json!({"rt": {"key": "nexthop", "family": "ip6"}}),
                Ty::Ipv6,
                false,
            ),
            k => {
                let &(n, _, ty, _, host) = RT_KEYS.iter().find(|x| x.1 == k)?;
                (json!({"rt": {"key": n}}), ty, host)
            }
        },
        Expr::Socket(sk) => {
            let &(n, _, ty, _, host) = SOCKET_KEYS.iter().find(|x| x.1 == sk.key)?;
            (json!({"socket": {"key": n}}), ty, host)
        }
        Expr::Fib(f) => {
            let (result, ty) = match f.result {
                1 => ("oif", Ty::Ifindex),
                2 => ("oifname", Ty::Ifname),
                3 => ("type", Ty::Named(ADDRTYPES)),
                _ => return None,
            };
            let flags: Vec<&str> = FIB_FLAGS
                .iter()
                .filter(|x| f.flags & x.1 != 0)
                .map(|x| x.0)
                .collect();
            if f.flags & !(FIB_PRESENT | 31) != 0 {
                return None;
            }
            let ty = if f.flags & FIB_PRESENT != 0 {
                Ty::Bool
            } else {
                ty
            };
            (json!({"fib": {"result": result, "flags": flags}}), ty, true)
        }
        Expr::Xfrm(x) => {
            let mut o = Map::new();
            let (key, fam, ty) = match x.key {
                1 => ("daddr", Some("ip"), Ty::Ipv4),
                2 => ("daddr", Some("ip6"), Ty::Ipv6),
                3 => ("saddr", Some("ip"), Ty::Ipv4),
                4 => ("saddr", Some("ip6"), Ty::Ipv6),
                5 => ("reqid", None, Ty::Int),
                6 => ("spi", None, Ty::Int),
                _ => return None,
            };
            o.insert("key".into(), json!(key));
            if let Some(f) = fam {
                o.insert("family".into(), json!(f));
            }
            o.insert("dir".into(), json!(if x.dir == 0 { "in" } else { "out" }));
            o.insert("spnum".into(), json!(x.spnum));
            (json!({ "ipsec": o }), ty, x.key == 5)
        }
        Expr::Osf(os) => {
            let mut o = Map::new();
            let key = if os.flags.unwrap_or(0) & 1 != 0 {
                "version"
            } else {
                "name"
            };
            o.insert("key".into(), json!(key));
            if let Some(t) = OSF_TTL.iter().find(|x| Some(x.1) == os.ttl) {
                o.insert("ttl".into(), json!(t.0));
            }
            (json!({ "osf": o }), Ty::Ifname, false)
        }
        _ => return None,
    })
}

/// How many bytes the load that lists as `left` puts in its register.
pub(crate) fn len_of(left: &Value) -> Option<u32> {
    let (k, o) = left.as_object()?.iter().next()?;
    Some(self::left(k, o.as_object()?)?.ok()?.len)
}

/// Load `e` (one of these sources' expressions) into register `dreg`
/// instead (a part of a concatenation).
pub(crate) fn into_reg(e: Expr<'static>, dreg: u32) -> Expr<'static> {
    match e {
        Expr::Rt(x) => Expr::Rt(Rt { dreg, ..x }),
        Expr::Socket(x) => Expr::Socket(Socket { dreg, ..x }),
        Expr::Fib(x) => Expr::Fib(Fib { dreg, ..x }),
        Expr::Xfrm(x) => Expr::Xfrm(Xfrm { dreg, ..x }),
        Expr::Osf(x) => Expr::Osf(Osf { dreg, ..x }),
        other => other,
    }
}

/// The fib lookup's presence flag, set for a match on `true`/`false`.
pub(crate) fn set_present(k: &mut Keyed) {
    if let Expr::Fib(f) = &mut k.expr {
        f.flags |= FIB_PRESENT;
        k.ty = Ty::Bool;
        k.len = 4;
        k.host = true;
    }
}
