//! `ip neigh`: show, add, replace, del.

use crate::fail::Failure;
use crate::plan::{Ctx, Object, Plan};
use crate::render::{self, Json, Names};
use crate::words::{
    Families, Family, Opts, Prefix, Words, duparg, invarg, matches, unknown_command,
};
use nl_proto::IpNet;
use nl_rustix::nl_proto::route::neigh::{NeighFlags, Neighbour, NudState};
use nl_rustix::nl_proto::route::{AddrFamily, neigh};
use nl_rustix::nl_proto::values::Mac;
use nl_rustix::{LinkId, NeighSpec, Op};
use std::io::{self, Write};

/// `ip neighbour`.
pub(crate) const OBJECT: Object = Object {
    names: &["neighbour", "neighbor"],
    plan,
};

/// iproute2's first line, then what this `ip` takes.
const USAGE: &str = "Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ]

	ip neigh { show | flush } [ to PREFIX ] [ dev DEV ] [ nud STATE ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }";

/// Parse an `ip neigh` command line.
fn plan(opts: &Opts, args: &[String]) -> Result<Plan, Failure> {
    let mut w = Words::new(args);
    let Some(cmd) = w.next() else {
        return show(opts, &mut w);
    };
    if matches(cmd, "add") {
        Ok(Plan::Op(Op::NewNeighbour(parse_entry(opts, &mut w)?)))
    } else if matches(cmd, "replace") {
        let mut spec = parse_entry(opts, &mut w)?;
        spec.replace = true;
        Ok(Plan::Op(Op::NewNeighbour(spec)))
    } else if matches(cmd, "delete") {
        let spec = parse_entry(opts, &mut w)?;
        if spec.proxy {
            return Ok(Plan::run(move |ctx| {
                Ok(ctx.conn.delete_proxy_neighbour(spec.link, spec.dst)?)
            }));
        }
        Ok(Plan::Op(Op::DeleteNeighbour(spec.link, spec.dst)))
    } else if matches(cmd, "get") {
        get(opts, &mut w)
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        show(opts, &mut w)
    } else if matches(cmd, "flush") {
        flush(opts, &mut w)
    } else if matches(cmd, "help") {
        Err(Failure::usage(USAGE))
    } else {
        Err(unknown_command(cmd, "neigh"))
    }
}

/// `[to] ADDR [lladdr MAC] dev NAME [nud STATE] [router]` (`lladdr` and
/// `nud` are ignored on delete, as in iproute2).
fn parse_entry(opts: &Opts, w: &mut Words<'_>) -> Result<NeighSpec, Failure> {
    let mut fam = Families::new(opts);
    let mut dst = None;
    let mut mac = None;
    let mut dev = None;
    let mut state = NudState::PERMANENT;
    let mut router = false;
    let mut proxy = false;
    while let Some(word) = w.next() {
        match word {
            "lladdr" => mac = Some(parse_lladdr(w.value("lladdr")?)?),
            "dev" => dev = Some(w.value("dev")?),
            "nud" => {
                let v = w.value("nud")?;
                let lower = v.to_ascii_lowercase();
                let (_, bits) = STATES
                    .iter()
                    .find(|(n, _)| *n == lower)
                    .ok_or_else(|| invarg(v, "nud state is bad"))?;
                state = NudState(*bits);
            }
            "router" => router = true,
            _ if matches(word, "proxy") => {
                let v = w.value("proxy")?;
                if dst.is_some() {
                    return Err(duparg("address", v));
                }
                dst = Some(fam.addr(v)?);
                proxy = true;
            }
            "extern_learn" | "protocol" | "vrf" => {
                return Err(Failure::Unsupported(format!(
                    "Error: \"{word}\" is not supported by this ip."
                )));
            }
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                if dst.is_some() {
                    return Err(duparg("to", word));
                }
                dst = Some(fam.addr(word)?);
            }
        }
    }
    let (Some(dst), Some(dev)) = (dst, dev) else {
        return Err(Failure::usage(
            "Device and destination are required arguments.",
        ));
    };
    let mut spec = NeighSpec::new(dev, dst);
    spec.lladdr = mac;
    spec.state = state;
    spec.router = router;
    spec.proxy = proxy;
    Ok(spec)
}

/// `get { ADDR | proxy ADDR } dev DEV`: the one entry, printed as `show`
/// prints it (as text: iproute2 6.1 has no JSON here).
fn get(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let mut fam = Families::new(opts);
    let (mut dst, mut dev, mut proxy) = (None, None, false);
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.value("dev")?.to_string()),
            _ if matches(word, "proxy") => {
                let v = w.value("proxy")?;
                if matches(v, "help") {
                    return Err(Failure::usage(USAGE));
                }
                if dst.is_some() {
                    return Err(duparg("address", v));
                }
                dst = Some(fam.addr(v)?);
                proxy = true;
            }
            other => {
                let word = if other == "to" { w.value("to")? } else { other };
                if matches(word, "help") {
                    return Err(Failure::usage(USAGE));
                }
                if dst.is_some() {
                    return Err(duparg("to", word));
                }
                dst = Some(fam.addr(word)?);
            }
        }
    }
    let (Some(dst), Some(dev)) = (dst, dev) else {
        return Err(Failure::arg("Device and address are required arguments."));
    };
    Ok(Plan::run(move |ctx| {
        let index = ctx
            .conn
            .link_index(dev.as_str())
            .map_err(|_| Failure::arg(format!("Cannot find device \"{dev}\"")))?;
        let n = ctx.conn.neighbour(index, dst, proxy)?;
        let names = Names::fetch(&mut ctx.conn)?;
        // iproute2 6.1 prints `get` as text, `-j` or not.
        let mut out = Json::new(render::stdout(), ctx.opts.pretty);
        let write = |out: &mut render::Out| -> io::Result<()> {
            write_text(out.inner(), &n, &names, true)?;
            out.inner().write_all(b"\n")?;
            out.inner().flush()
        };
        write(&mut out).map_err(|e| render::write_error(&e))?;
        Ok(())
    }))
}

/// `lladdr MAC` as iproute2 reads it: a bad byte is named (exit 1).
fn parse_lladdr(v: &str) -> Result<Mac, Failure> {
    let bad = |part: &str| Failure::arg(format!("\"{part}\" is invalid lladdr."));
    let mut bytes = [0u8; 6];
    let mut n = 0;
    for part in v.split(':') {
        let b = u8::from_str_radix(part, 16)
            .ok()
            .filter(|_| !part.is_empty() && part.len() <= 2)
            .ok_or_else(|| bad(part))?;
        *bytes.get_mut(n).ok_or_else(|| {
            Failure::Unsupported(format!(
                "Error: a link address of more than 6 bytes (\"{v}\") is not supported by this ip."
            ))
        })? = b;
        n += 1;
    }
    if n != 6 {
        return Err(Failure::Unsupported(format!(
            "Error: a {n}-byte link address is not supported by this ip (6 bytes)."
        )));
    }
    Ok(Mac(bytes))
}

/// `nud` state names (iproute2's `nud_state_a2n`).
const STATES: [(&str, u16); 9] = [
    ("permanent", 0x80),
    ("reachable", 0x02),
    ("noarp", 0x40),
    ("none", 0x00),
    ("stale", 0x04),
    ("incomplete", 0x01),
    ("delay", 0x08),
    ("probe", 0x10),
    ("failed", 0x20),
];

/// Stands for "no state" in a state mask (iproute2's 0x100).
const NO_STATE: u16 = 0x100;

/// The selectors of `ip neigh show` and `ip neigh flush`.
struct Filter {
    dev: Option<String>,
    to: Option<IpNet>,
    /// States shown (bits of `NUD_*`, [`NO_STATE`] for none).
    states: u16,
    /// Any selector was given (`flush` requires one).
    given: bool,
}

impl Filter {
    /// `[to] PREFIX | dev NAME | nud STATE|all` (repeatable `nud`).
    fn parse(opts: &Opts, w: &mut Words<'_>, flush: bool) -> Result<Self, Failure> {
        let mut fam = Families::new(opts);
        // As iproute2: show hides NOARP entries, flush NOARP and PERMANENT.
        let default = if flush {
            0xff & !(NudState::NOARP.0 | NudState::PERMANENT.0)
        } else {
            0xff & !NudState::NOARP.0
        };
        let mut f = Self {
            dev: None,
            to: None,
            states: default,
            given: false,
        };
        let mut state_given = false;
        while let Some(word) = w.next() {
            f.given = true;
            match word {
                "dev" => f.dev = Some(w.value("dev")?.to_string()),
                "nud" => {
                    let v = w.value("nud")?;
                    if !state_given {
                        state_given = true;
                        f.states = 0;
                    }
                    let lower = v.to_ascii_lowercase();
                    let state = match STATES.iter().find(|(n, _)| *n == lower) {
                        Some((_, 0)) => NO_STATE,
                        Some((_, s)) => *s,
                        None if v == "all" => {
                            if flush {
                                0x1ff & !NudState::NOARP.0
                            } else {
                                0x1ff
                            }
                        }
                        None => return Err(invarg(v, "nud state is bad")),
                    };
                    f.states |= state;
                }
                "proxy" | "unused" | "nomaster" | "vrf" | "master" => {
                    return Err(Failure::Unsupported(format!(
                        "Error: \"{word}\" is not supported by this ip."
                    )));
                }
                other => {
                    let word = if other == "to" { w.value("to")? } else { other };
                    if let Prefix::Net(n) = fam.prefix(word)? {
                        f.to = Some(n);
                    }
                }
            }
        }
        Ok(f)
    }

    fn wants(&self, n: &Neighbour) -> bool {
        let state_ok =
            n.state.0 & self.states != 0 || (n.state.0 == 0 && self.states & NO_STATE != 0);
        let to_ok = self
            .to
            .is_none_or(|p| n.dst.is_some_and(|d| p.trunc().contains(&d)));
        (state_ok
            || n.flags.contains(NeighFlags::PROXY)
            || n.flags.contains(NeighFlags::EXT_LEARNED))
            && to_ok
    }

    /// Call `each` on every entry the filter selects, as the dump arrives.
    fn each(
        &self,
        ctx: &mut Ctx,
        mut each: impl FnMut(&Neighbour) -> io::Result<()>,
    ) -> Result<(), Failure> {
        let family = ctx.opts.family.map_or(AddrFamily::UNSPEC, Family::af);
        let index = self
            .dev
            .as_deref()
            .map(|d| ctx.conn.link_index(d))
            .transpose()?;
        let interrupted = ctx.conn.dump(
            move |w| neigh::encode_dump(w, family, index),
            |m| {
                // Entries of other families (bridge FDB, anything not IP)
                // are skipped before decoding.
                if let Some(n) = Neighbour::decode_ip(m)? {
                    if index.is_none_or(|i| n.index == i) && self.wants(&n) {
                        each(&n).map_err(|e| render::write_error(&e))?;
                    }
                }
                Ok(())
            },
        )?;
        if interrupted {
            eprintln!("Dump was interrupted and may be inconsistent.");
        }
        Ok(())
    }

    fn select(&self, ctx: &mut Ctx) -> Result<Vec<Neighbour>, Failure> {
        let mut all = Vec::new();
        self.each(ctx, |n| {
            all.push(n.clone());
            Ok(())
        })?;
        Ok(all)
    }
}

/// `show SELECTOR`: streamed, one entry per message, straight to a
/// buffered stdout (constant memory).
fn show(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w, false)?;
    Ok(Plan::run(move |ctx| {
        let names = Names::fetch(&mut ctx.conn)?;
        let show_dev = filter.dev.is_none();
        let json = ctx.opts.json;
        let mut out = Json::new(render::stdout(), ctx.opts.pretty);
        if json {
            out.begin_array().map_err(|e| render::write_error(&e))?;
        }
        filter.each(ctx, |n| {
            if json {
                write_json(&mut out, n, &names, show_dev)
            } else {
                let w = out.inner();
                write_text(w, n, &names, show_dev)?;
                w.write_all(b"\n")
            }
        })?;
        let end = |out: &mut render::Out| -> io::Result<()> {
            if json {
                out.end_array()?;
                out.inner().write_all(b"\n")?;
            }
            out.inner().flush()
        };
        end(&mut out).map_err(|e| render::write_error(&e))?;
        Ok(())
    }))
}

/// `flush SELECTOR`: delete what the selector picks, pipelined.
fn flush(opts: &Opts, w: &mut Words<'_>) -> Result<Plan, Failure> {
    let filter = Filter::parse(opts, w, true)?;
    if !filter.given {
        return Err(Failure::arg("Flush requires arguments."));
    }
    Ok(Plan::run(move |ctx| {
        let ops: Vec<Op> = filter
            .select(ctx)?
            .iter()
            .filter_map(|n| Some(Op::DeleteNeighbour(LinkId::Index(n.index), n.dst?)))
            .collect();
        for result in ctx.conn.apply(&ops)? {
            match result {
                // Gone already (expired or its link went down).
                Err(e) if e.errno() == Some(libc::ENOENT) => {}
                other => other?,
            }
        }
        Ok(())
    }))
}

fn flag_words(n: &Neighbour) -> impl Iterator<Item = &'static str> + '_ {
    [
        (NeighFlags::ROUTER, "router"),
        (NeighFlags::PROXY, "proxy"),
        (NeighFlags::EXT_LEARNED, "extern_learn"),
        (NeighFlags::OFFLOADED, "offload"),
    ]
    .into_iter()
    .filter(|(f, _)| n.flags.contains(*f) || (*f == NeighFlags::ROUTER && n.router))
    .map(|(_, w)| w)
}

fn write_json<W: Write>(
    j: &mut Json<W>,
    n: &Neighbour,
    names: &Names,
    show_dev: bool,
) -> io::Result<()> {
    j.begin_object()?;
    if let Some(d) = n.dst {
        j.ip_member("dst", d)?;
    }
    if show_dev && n.index != 0 {
        names.display(n.index).json(j, "dev")?;
    }
    if let Some(m) = n.lladdr {
        j.key("lladdr")?;
        j.plain(|w| render::write_mac(w, &m))?;
    }
    for f in flag_words(n) {
        j.key(f)?;
        j.null()?;
    }
    if n.state.0 != 0 {
        j.key("state")?;
        j.begin_array()?;
        for st in n.state.names() {
            j.text(st)?;
        }
        j.end_array()?;
    }
    j.end_object()
}

fn write_text(w: &mut impl Write, n: &Neighbour, names: &Names, show_dev: bool) -> io::Result<()> {
    if let Some(d) = n.dst {
        render::write_ip(w, d)?;
        w.write_all(b" ")?;
    }
    if show_dev && n.index != 0 {
        w.write_all(b"dev ")?;
        names.display(n.index).write(w)?;
        w.write_all(b" ")?;
    }
    if let Some(m) = n.lladdr {
        w.write_all(b"lladdr ")?;
        render::write_mac(w, &m)?;
        w.write_all(b" ")?;
    }
    for f in flag_words(n) {
        w.write_all(f.as_bytes())?;
        w.write_all(b" ")?;
    }
    // As iproute2: no state word for NUD_NONE (a proxy entry's).
    if n.state.0 != 0 {
        for st in n.state.names() {
            w.write_all(st.as_bytes())?;
            w.write_all(b" ")?;
        }
    }
    Ok(())
}
