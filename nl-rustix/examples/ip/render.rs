//! Shared rendering: JSON records as `ip -j` prints them, and interface
//! names for printing. No parsing; the only I/O is the link dump
//! [`Names::fetch`] asks for.

use crate::pretty_json::{self, Shape};
use crate::words::Opts;
use nl_proto::IpNet;
use nl_rustix::nl_proto::route::link::{self, IfFlags, Link, LinkInfoAttrs};
use nl_rustix::nl_proto::values::Mac;
use nl_rustix::{Conn, Error};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufWriter, StdoutLock, Write};
use std::net::IpAddr;

/// iproute2's `print_rt_flags` words, in its order: a route's
/// `rtm_flags`, a next hop's `rtnh_flags`, a nexthop object's or a
/// bucket's `nh_flags`.
pub(crate) const RT_FLAGS: [(u32, &str); 11] = [
    (0x1, "dead"),
    (0x4, "onlink"),
    (0x2, "pervasive"),
    (0x8, "offload"),
    (0x40, "trap"),
    (0x100, "notify"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x4000, "rt_offload"),
    (0x8000, "rt_trap"),
    (0x2000_0000, "rt_offload_failed"),
];

/// The [`RT_FLAGS`] words set in `flags`, in iproute2's order.
pub(crate) fn rt_flag_words(flags: u32) -> impl Iterator<Item = &'static str> {
    RT_FLAGS
        .iter()
        .filter(move |(b, _)| flags & b != 0)
        .map(|(_, n)| *n)
}

/// Print a list of JSON records as `ip -j` does: one line, or with `-p`
/// indented as iproute2's JSON writer does it.
pub(crate) fn print_json(opts: &Opts, records: Vec<Value>) {
    let v = Value::Array(records);
    if opts.pretty {
        let mut out = String::new();
        pretty_json::write(&v, 0, &mut out);
        println!("{out}");
    } else {
        println!("{v}");
    }
}

/// serde_json's values in the shared pretty layout.
impl pretty_json::Tree for Value {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Value::Array(items) => Shape::Array(items.iter().collect()),
            Value::Object(members) => {
                Shape::Object(members.iter().map(|(k, v)| (k.as_str(), v)).collect())
            }
            scalar => Shape::Scalar(scalar.to_string()),
        }
    }
    fn key(key: &str, out: &mut String) {
        out.push_str(&Value::from(key).to_string());
    }
}

/// All links and, with `details`, the kind options the link codec leaves
/// raw (a bridge's, a bridge port's), by index — from one dump.
pub(crate) fn links(
    conn: &mut Conn,
    details: bool,
) -> Result<(Vec<Link>, HashMap<u32, LinkInfoAttrs>), Error> {
    if !details {
        return Ok((conn.links()?, HashMap::new()));
    }
    let both = conn.dump_collect(link::encode_dump, |m| {
        Ok(Some((Link::decode(m)?, LinkInfoAttrs::decode(m)?)))
    })?;
    let extras = both.iter().map(|(l, x)| (l.index, x.clone())).collect();
    Ok((both.into_iter().map(|(l, _)| l).collect(), extras))
}

/// Interface index → name and flags, for printing (iproute2's
/// `ll_index_to_name` cache). Sorted by index: a listing looks a name up
/// per line, and a binary search over a few links beats hashing.
pub(crate) struct Names(Vec<(u32, String, IfFlags)>);

impl Names {
    /// The names of `links`.
    pub(crate) fn of(links: &[Link]) -> Self {
        let mut v: Vec<_> = links
            .iter()
            .map(|l| (l.index, l.name.as_str().to_string(), l.flags))
            .collect();
        v.sort_unstable_by_key(|(i, _, _)| *i);
        Self(v)
    }

    /// Dump the links and name them.
    pub(crate) fn fetch(conn: &mut Conn) -> Result<Self, Error> {
        Ok(Self::of(&conn.links()?))
    }

    fn get(&self, index: u32) -> Option<&(u32, String, IfFlags)> {
        self.0
            .binary_search_by_key(&index, |(i, _, _)| *i)
            .ok()
            .map(|at| &self.0[at])
    }

    /// The name of interface `index` (`ifN` when unknown).
    pub(crate) fn name(&self, index: u32) -> String {
        self.display(index).to_string()
    }

    /// The name of interface `index`, to print (`ifN` when unknown).
    pub(crate) fn display(&self, index: u32) -> NameOf<'_> {
        NameOf(self.get(index).map(|(_, n, _)| n.as_str()), index)
    }

    /// Whether interface `index` is known and up.
    pub(crate) fn is_up(&self, index: u32) -> bool {
        self.get(index)
            .is_some_and(|(_, _, f)| f.contains(IfFlags::UP))
    }
}

/// Write `n` in decimal, without the formatting machinery (a listing
/// writes several numbers per line).
pub(crate) fn write_u64(w: &mut impl Write, mut n: u64) -> io::Result<()> {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    w.write_all(&buf[at..])
}

/// Write an address as `Display` does (IPv4 by hand: it is most of a
/// route listing).
pub(crate) fn write_ip(w: &mut impl Write, ip: IpAddr) -> io::Result<()> {
    match ip {
        IpAddr::V4(a) => {
            let mut buf = [0u8; 15];
            let mut len = 0;
            for (i, octet) in a.octets().into_iter().enumerate() {
                if i > 0 {
                    buf[len] = b'.';
                    len += 1;
                }
                if octet >= 100 {
                    buf[len] = b'0' + octet / 100;
                    len += 1;
                }
                if octet >= 10 {
                    buf[len] = b'0' + octet / 10 % 10;
                    len += 1;
                }
                buf[len] = b'0' + octet % 10;
                len += 1;
            }
            w.write_all(&buf[..len])
        }
        IpAddr::V6(a) => write!(w, "{a}"),
    }
}

/// Write a MAC address as `Display` does (`02:00:00:00:00:01`).
pub(crate) fn write_mac(w: &mut impl Write, mac: &Mac) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [b':'; 17];
    for (i, b) in mac.0.iter().enumerate() {
        buf[i * 3] = HEX[usize::from(b >> 4)];
        buf[i * 3 + 1] = HEX[usize::from(b & 0xf)];
    }
    w.write_all(&buf)
}

/// Write a prefix as iproute2 prints it: a host route without its
/// `/32` (`/128`).
pub(crate) fn write_host_or_prefix(w: &mut impl Write, n: &IpNet) -> io::Result<()> {
    write_ip(w, n.addr())?;
    if n.prefix_len() != n.max_prefix_len() {
        w.write_all(b"/")?;
        write_u64(w, n.prefix_len().into())?;
    }
    Ok(())
}

/// Where listings go: stdout, buffered. The buffer is flushed when the
/// listing ends (and on drop), so a listing costs a handful of `write`s,
/// not one per line.
pub(crate) fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// A listing's output: JSON or text, to buffered stdout.
pub(crate) type Out = Json<BufWriter<StdoutLock<'static>>>;

/// A write to stdout that failed, as the driver's error (so a dump
/// callback can return it).
pub(crate) fn write_error(e: &io::Error) -> Error {
    Error::Sys {
        what: "write to stdout".to_string(),
        errno: e.raw_os_error().unwrap_or(libc::EIO),
    }
}

/// The name of interface `index` for printing, without allocating:
/// its name, or `ifN` when unknown.
pub(crate) struct NameOf<'a>(Option<&'a str>, u32);

impl NameOf<'_> {
    /// Write it (as `Display`, minus the formatting machinery).
    pub(crate) fn write(&self, w: &mut impl Write) -> io::Result<()> {
        match self.0 {
            Some(n) => w.write_all(n.as_bytes()),
            None => write!(w, "if{}", self.1),
        }
    }

    /// Write it as a JSON member.
    pub(crate) fn json<W: Write>(&self, j: &mut Json<W>, key: &str) -> io::Result<()> {
        j.key(key)?;
        match self.0 {
            Some(n) => j.text(n),
            None => j.str(self),
        }
    }
}

impl fmt::Display for NameOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => f.write_str(n),
            None => write!(f, "if{}", self.1),
        }
    }
}

/// A streaming writer of `ip -j` output: values are written as they come,
/// byte for byte what serde_json's compact writer (or, with `-p`,
/// [`pretty_json`]) prints for the same records, without building them.
pub(crate) struct Json<W: Write> {
    w: W,
    pretty: bool,
    /// For each open array or object: whether it has a member yet.
    open: Vec<(bool, bool)>,
    /// A key was just written; the value follows without a separator.
    after_key: bool,
}

impl<W: Write> Json<W> {
    /// A writer to `w`, indented as `ip -j -p` when `pretty`.
    pub(crate) fn new(w: W, pretty: bool) -> Self {
        Self {
            w,
            pretty,
            open: Vec::with_capacity(8),
            after_key: false,
        }
    }

    /// Before a value: the comma between members of an array.
    fn sep(&mut self) -> io::Result<()> {
        if self.after_key {
            self.after_key = false;
            return Ok(());
        }
        if let Some((is_obj, any)) = self.open.last_mut() {
            debug_assert!(!*is_obj, "object member without a key");
            if *any {
                self.w.write_all(b",")?;
            }
            *any = true;
        }
        Ok(())
    }

    fn newline(&mut self) -> io::Result<()> {
        self.w.write_all(b"\n")?;
        for _ in 0..self.open.len() {
            self.w.write_all(b"    ")?;
        }
        Ok(())
    }

    /// Open an array (`[`).
    pub(crate) fn begin_array(&mut self) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(if self.pretty { b"[ " } else { b"[" })?;
        self.open.push((false, false));
        Ok(())
    }

    /// Close the innermost array.
    pub(crate) fn end_array(&mut self) -> io::Result<()> {
        let (_, any) = self.open.pop().unwrap_or_default();
        if self.pretty && any {
            self.w.write_all(b" ")?;
        }
        self.w.write_all(b"]")
    }

    /// Open an object (`{`).
    pub(crate) fn begin_object(&mut self) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(b"{")?;
        self.open.push((true, false));
        Ok(())
    }

    /// Close the innermost object.
    pub(crate) fn end_object(&mut self) -> io::Result<()> {
        let (_, any) = self.open.pop().unwrap_or_default();
        if self.pretty && any {
            self.newline()?;
        }
        self.w.write_all(b"}")
    }

    /// A member's key; its value is written next.
    pub(crate) fn key(&mut self, k: &str) -> io::Result<()> {
        if let Some((_, any)) = self.open.last_mut() {
            let comma = *any;
            *any = true;
            if comma {
                self.w.write_all(b",")?;
            }
        }
        if self.pretty {
            self.newline()?;
        }
        self.string(k)?;
        self.w.write_all(if self.pretty { b": " } else { b":" })?;
        self.after_key = true;
        Ok(())
    }

    fn string(&mut self, s: &str) -> io::Result<()> {
        self.w.write_all(b"\"")?;
        escape(&mut self.w, s)?;
        self.w.write_all(b"\"")
    }

    /// A string value: `v` displayed, escaped as JSON.
    pub(crate) fn str(&mut self, v: impl fmt::Display) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(b"\"")?;
        let mut e = Escaper {
            w: &mut self.w,
            err: None,
        };
        if fmt::write(&mut e, format_args!("{v}")).is_err() {
            return Err(e
                .err
                .unwrap_or_else(|| io::Error::other("formatting failed")));
        }
        self.w.write_all(b"\"")
    }

    /// A number value.
    pub(crate) fn num(&mut self, n: u64) -> io::Result<()> {
        self.sep()?;
        write_u64(&mut self.w, n)
    }

    /// A string value `f` writes itself, knowing it needs no escaping
    /// (addresses, prefixes).
    pub(crate) fn plain(&mut self, f: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(b"\"")?;
        f(&mut self.w)?;
        self.w.write_all(b"\"")
    }

    /// `"key":"ADDRESS"`.
    pub(crate) fn ip_member(&mut self, k: &str, ip: IpAddr) -> io::Result<()> {
        self.key(k)?;
        self.plain(|w| write_ip(w, ip))
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, b: bool) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(if b { b"true" } else { b"false" })
    }

    /// A value built elsewhere (the link header of `ip -j address`).
    pub(crate) fn value(&mut self, v: &Value) -> io::Result<()> {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => {
                self.sep()?;
                write!(self.w, "{n}")
            }
            Value::String(s) => self.text(s),
            Value::Array(items) => {
                self.begin_array()?;
                for item in items {
                    self.value(item)?;
                }
                self.end_array()
            }
            Value::Object(members) => {
                self.begin_object()?;
                for (k, item) in members {
                    self.key(k)?;
                    self.value(item)?;
                }
                self.end_object()
            }
        }
    }

    /// `null`.
    pub(crate) fn null(&mut self) -> io::Result<()> {
        self.sep()?;
        self.w.write_all(b"null")
    }

    /// A string value, escaped.
    pub(crate) fn text(&mut self, s: &str) -> io::Result<()> {
        self.sep()?;
        self.string(s)
    }

    /// `"key":"value"`.
    pub(crate) fn str_member(&mut self, k: &str, v: impl fmt::Display) -> io::Result<()> {
        self.key(k)?;
        self.str(v)
    }

    /// `"key":N`.
    pub(crate) fn num_member(&mut self, k: &str, n: u64) -> io::Result<()> {
        self.key(k)?;
        self.num(n)
    }

    /// The writer underneath (for the closing newline).
    pub(crate) fn inner(&mut self) -> &mut W {
        &mut self.w
    }
}

/// Escape `s` as serde_json does inside a string.
fn escape(w: &mut impl Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    // Nearly everything a listing writes needs no escaping: one scan, one write.
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        return w.write_all(bytes);
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        w.write_all(&bytes[start..i])?;
        if short.is_empty() {
            write!(w, "\\u{b:04x}")?;
        } else {
            w.write_all(short)?;
        }
        start = i + 1;
    }
    w.write_all(&bytes[start..])
}

/// `fmt::Write` into an `io::Write`, escaping as JSON.
struct Escaper<'w, W: Write> {
    w: &'w mut W,
    err: Option<io::Error>,
}

impl<W: Write> fmt::Write for Escaper<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape(self.w, s).map_err(|e| {
            self.err = Some(e);
            fmt::Error
        })
    }
}
