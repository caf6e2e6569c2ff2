//! Shared parsing: the word cursor, iproute2's `matches` and number
//! readers, EtherType names, and link names (tc's `ll_init_map`).

use crate::fail::{self, Failure};
pub(crate) use crate::shared_words::{Words, matches};
use nl_rustix::Conn;
use nl_rustix::nl_proto::tc::Mode;
use std::collections::HashMap;

/// tc's readers on the shared word cursor.
impl<'a> Words<'a> {
    /// The value a keyword needs (`NEXT_ARG`): missing is exit 255.
    pub(crate) fn value(&mut self) -> Result<&'a str, Failure> {
        self.next().ok_or_else(fail::incomplete)
    }
}

/// What `tc OBJECT CMD …` asks for: the verbs `tc_qdisc.c`, `tc_class.c`
/// and `tc_filter.c` share, matched by prefix in their order.
pub(crate) enum Verb {
    /// add, change, replace, link; `None` is delete.
    Modify(Option<Mode>),
    /// `get` (filters).
    Get,
    /// list, show, lst.
    Show,
}

/// The verb `cmd` names for `tc OBJECT`; `link` and `get` say whether the
/// object has those verbs. `help` and an unknown word end the command as
/// tc ends it.
pub(crate) fn verb(
    cmd: &str,
    object: &str,
    usage: &'static str,
    link: bool,
    get: bool,
) -> Result<Verb, Failure> {
    let c = |full: &str| matches(cmd, full);
    Ok(if c("add") {
        Verb::Modify(Some(Mode::Add))
    } else if c("change") {
        Verb::Modify(Some(Mode::Change))
    } else if c("replace") {
        Verb::Modify(Some(Mode::Replace))
    } else if link && c("link") {
        Verb::Modify(Some(Mode::Link))
    } else if c("delete") {
        Verb::Modify(None)
    } else if get && c("get") {
        Verb::Get
    } else if c("list") || c("show") || c("lst") {
        Verb::Show
    } else if c("help") {
        return Err(Failure::exit(usage));
    } else {
        return Err(Failure::ret(
            255,
            format!("Command \"{cmd}\" is unknown, try \"tc {object} help\"."),
        ));
    })
}

/// `strtoul(s, &end, base)` whole-word, as iproute2's `get_u32` (base 0:
/// `0x` hex, leading `0` octal, else decimal).
pub(crate) fn get_u32(s: &str, base: u32) -> Option<u32> {
    let (digits, radix) = match base {
        0 => {
            if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                (h, 16)
            } else if s.len() > 1 && s.starts_with('0') {
                (&s[1..], 8)
            } else {
                (s, 10)
            }
        }
        16 => (
            s.strip_prefix("0x")
                .or_else(|| s.strip_prefix("0X"))
                .unwrap_or(s),
            16,
        ),
        b => (s, b),
    };
    if digits.is_empty() {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

/// tc's EtherType names (`lib/ll_proto.c`), the common ones.
const PROTOS: &[(u16, &str)] = &[
    (0x0060, "loop"),
    (0x0800, "ip"),
    (0x0806, "arp"),
    (0x8035, "rarp"),
    (0x86DD, "ipv6"),
    (0x0003, "all"),
    (0x0004, "802_2"),
    (0x0001, "802_3"),
    (0x8100, "802.1Q"),
    (0x88A8, "802.1ad"),
    (0x8847, "mpls_uc"),
    (0x8848, "mpls_mc"),
    (0x6558, "teb"),
    (0x8863, "ppp_disc"),
    (0x8864, "ppp_ses"),
];

/// `ll_proto_a2n`: a name (any case) or a number.
pub(crate) fn proto_parse(s: &str) -> Option<u16> {
    PROTOS
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(s))
        .map(|&(id, _)| id)
        .or_else(|| get_u32(s, 0).and_then(|v| u16::try_from(v).ok()))
}

/// `ll_proto_n2a`: the name, else `[N]`.
pub(crate) fn proto_name(id: u16) -> String {
    PROTOS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or_else(|| format!("[{id}]"), |(_, n)| (*n).to_string())
}

/// Link names by index and back, read once per process (as tc's
/// `ll_init_map`), again on a miss.
#[derive(Default)]
pub(crate) struct Links {
    by_index: HashMap<u32, String>,
    by_name: HashMap<String, u32>,
    loaded: bool,
}

impl Links {
    fn load(&mut self, conn: &mut Conn) -> Result<(), Failure> {
        let links = conn.links().map_err(Failure::from)?;
        self.by_index.clear();
        self.by_name.clear();
        for l in links {
            self.by_name.insert(l.name.as_str().to_string(), l.index);
            self.by_index.insert(l.index, l.name.as_str().to_string());
        }
        self.loaded = true;
        Ok(())
    }

    /// The index of `name` (tc's `ll_name_to_index`); `None` if missing.
    pub(crate) fn index(&mut self, conn: &mut Conn, name: &str) -> Result<Option<u32>, Failure> {
        if !self.loaded || !self.by_name.contains_key(name) {
            self.load(conn)?;
        }
        Ok(self.by_name.get(name).copied())
    }

    /// `dev NAME` resolved, or tc's `Cannot find device` (exit 1).
    pub(crate) fn dev(&mut self, conn: &mut Conn, name: &str) -> Result<u32, Failure> {
        self.index(conn, name)?.ok_or_else(|| fail::nodev(name))
    }

    /// Read the names before a listing prints them ([`Links::name`]).
    pub(crate) fn preload(&mut self, conn: &mut Conn) -> Result<(), Failure> {
        if self.loaded { Ok(()) } else { self.load(conn) }
    }

    /// The name of `index` (tc's `ll_index_to_name`: `ifN` when unknown).
    pub(crate) fn name(&self, index: u32) -> String {
        self.by_index
            .get(&index)
            .cloned()
            .unwrap_or_else(|| format!("if{index}"))
    }
}
