//! nf_tables verbs: read the whole ruleset, and apply a list of changes as
//! one transaction (one nfnetlink batch: all or nothing).
//!
//! Works on a [`Conn`] over a `NETLINK_NETFILTER` socket:
//!
//! ```no_run
//! use nl_rustix::nft::{self, Cmd};
//! use nl_rustix::nl_proto::nfnl::NfProto;
//! use nl_rustix::{Conn, Netns, Protocol};
//! let mut conn = Conn::with_socket(Netns::Current.socket(Protocol::Netfilter)?)?;
//! nft::apply(&mut conn, &[Cmd::AddTable { family: NfProto::INET, name: "t".into() }])?;
//! let ruleset = nft::list_ruleset(&mut conn)?;
//! assert!(ruleset.tables.iter().any(|t| t.name == "t"));
//! # Ok::<(), nl_rustix::Error>(())
//! ```

mod objects;
mod rules;

pub use objects::{FlowtableSpec, ObjSpec, OwnedFlowtable, OwnedObj, list_flowtables, list_objs};
pub(crate) use objects::{decode_flowtable, decode_obj};
pub use rules::RuleBuilder;

use crate::{Conn, Error};
use nl_proto::EncodeError;
use nl_proto::nfnl::NfProto;
use nl_proto::nfnl::nft::{
    self as p, BaseChain, Chain, Data, Expr, HookNum, NewSet, NewSetElem, Placement, Rule, Set,
    Table, Verdict, VerdictCode,
};
use nl_proto::session::Request;
use nl_proto::wire::{Msg, MsgWriter};
use std::ops::Range;

/// A base chain's hook, owned (see [`BaseChain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseSpec {
    /// `"filter"`, `"nat"` or `"route"`.
    pub chain_type: String,
    /// The hook.
    pub hook: HookNum,
    /// The priority.
    pub priority: i32,
    /// `NF_ACCEPT`/`NF_DROP`, or the kernel's default.
    pub policy: Option<u32>,
    /// The device of a netdev-family hook.
    pub device: Option<String>,
}

/// A set to add (owned, see [`NewSet`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetSpec {
    /// Table.
    pub table: String,
    /// Name.
    pub name: String,
    /// `NFT_SET_*` flags.
    pub flags: u32,
    /// nft's datatype id of the key.
    pub key_type: u32,
    /// Key length in bytes.
    pub key_len: u32,
    /// A map's data type and length (see [`NewSet::data`]).
    pub data: Option<(u32, u32)>,
    /// An object map's object type.
    pub obj_type: Option<u32>,
    /// Batch-local id (unique within one [`apply`]); elements added in the
    /// same transaction name the set by it.
    pub id: u32,
    /// `NFTA_SET_POLICY`.
    pub policy: Option<u32>,
    /// `NFTA_SET_DESC_SIZE`.
    pub size: Option<u32>,
    /// Field lengths of a concatenated interval key.
    pub concat: Vec<u32>,
    /// Default element timeout, milliseconds.
    pub timeout: Option<u64>,
    /// Garbage collection interval, milliseconds.
    pub gc_interval: Option<u32>,
    /// `NFTA_SET_USERDATA` (nft's TLVs: the key byte order).
    pub userdata: Vec<u8>,
}

/// A map element's data, owned (see [`Data`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElemData {
    /// A value.
    Value(Vec<u8>),
    /// A verdict, with its chain for jump and goto.
    Verdict(VerdictCode, Option<String>),
}

impl ElemData {
    fn borrow(&self) -> Data<'_> {
        match self {
            ElemData::Value(v) => Data::Value(v),
            ElemData::Verdict(code, chain) => Data::Verdict(Verdict {
                code: *code,
                chain: chain.as_deref(),
            }),
        }
    }
    pub(crate) fn owned(d: Data<'_>) -> Self {
        match d {
            Data::Value(v) => ElemData::Value(v.to_vec()),
            Data::Verdict(v) => ElemData::Verdict(v.code, v.chain.map(String::from)),
        }
    }
}

/// A set element, owned: to add or delete, or as read back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetElem {
    /// The key in the set's byte order.
    pub key: Vec<u8>,
    /// `NFT_SET_ELEM_*` flags.
    pub flags: u32,
    /// Timeout (ms).
    pub timeout: Option<u64>,
    /// Time left (ms), as read back.
    pub expiration: Option<u64>,
    /// A map element's data.
    pub data: Option<ElemData>,
    /// The last key of its range, in a concatenated interval set.
    pub key_end: Option<Vec<u8>>,
    /// An object map element's object.
    pub objref: Option<String>,
}

/// One change of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// `add table` (no error if it exists).
    AddTable {
        /// Family.
        family: NfProto,
        /// Name.
        name: String,
    },
    /// `create table` (`EEXIST` if it exists).
    CreateTable {
        /// Family.
        family: NfProto,
        /// Name.
        name: String,
    },
    /// `delete table`, with everything in it.
    DeleteTable {
        /// Family.
        family: NfProto,
        /// Name.
        name: String,
    },
    /// `flush table`: delete every rule of the table.
    FlushTable {
        /// Family.
        family: NfProto,
        /// Name.
        name: String,
    },
    /// `add chain` / `create chain` (`exclusive`).
    AddChain {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Chain.
        name: String,
        /// Hook, type, priority and policy of a base chain.
        base: Option<BaseSpec>,
        /// `create`: fail if it exists.
        exclusive: bool,
    },
    /// `delete chain`.
    DeleteChain {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Chain.
        name: String,
    },
    /// `flush chain`: delete its rules.
    FlushChain {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Chain.
        name: String,
    },
    /// `add rule` / `insert rule`: `exprs` is the encoded
    /// `NFTA_RULE_EXPRESSIONS` content (see [`encode_exprs`]).
    AddRule {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Chain.
        chain: String,
        /// Where it goes.
        at: Placement,
        /// The expressions, as `NFTA_LIST_ELEM`s.
        exprs: Vec<u8>,
    },
    /// `delete rule ... handle N`.
    DeleteRule {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Chain.
        chain: String,
        /// The rule's handle.
        handle: u64,
    },
    /// `add set`.
    AddSet {
        /// Family.
        family: NfProto,
        /// The set.
        set: SetSpec,
    },
    /// `delete set`.
    DeleteSet {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Set.
        name: String,
    },
    /// `add element` (interval sets: the start and end elements nft
    /// sends, see [`nl_proto::nfnl::nft::NFT_SET_ELEM_INTERVAL_END`]).
    AddElems {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Set.
        set: String,
        /// The [`SetSpec::id`] of a set added in the same transaction.
        set_id: Option<u32>,
        /// Elements.
        elems: Vec<SetElem>,
    },
    /// `delete element`.
    DeleteElems {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Set.
        set: String,
        /// Elements.
        elems: Vec<SetElem>,
    },
    /// `add counter|quota|limit|ct helper|…`: a named stateful object.
    AddObj {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Name.
        name: String,
        /// Its type and contents.
        obj: ObjSpec,
        /// nft's comment.
        comment: Option<String>,
    },
    /// `delete counter|quota|…`.
    DeleteObj {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Name.
        name: String,
        /// Its type (part of its identity).
        kind: nl_proto::nfnl::nft::ObjType,
    },
    /// `add flowtable`.
    AddFlowtable {
        /// Family.
        family: NfProto,
        /// The flowtable.
        flowtable: FlowtableSpec,
    },
    /// `delete flowtable`.
    DeleteFlowtable {
        /// Family.
        family: NfProto,
        /// Table.
        table: String,
        /// Name.
        name: String,
    },
    /// `flush ruleset`: delete every table.
    FlushRuleset,
}

fn elem_specs(elems: &[SetElem]) -> Vec<NewSetElem<'_>> {
    elems
        .iter()
        .map(|e| NewSetElem {
            key: &e.key,
            flags: e.flags,
            timeout: e.timeout,
            data: e.data.as_ref().map(ElemData::borrow),
            key_end: e.key_end.as_deref(),
            objref: e.objref.as_deref(),
        })
        .collect()
}

/// Encode `exprs` as the content of `NFTA_RULE_EXPRESSIONS`, for
/// [`Cmd::AddRule`].
///
/// # Errors
///
/// [`Error::Invalid`] if an expression cannot be encoded.
pub fn encode_exprs(exprs: &[Expr<'_>]) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; 1024 + exprs.len() * 256];
    let mut w = MsgWriter::new(&mut buf);
    // A scratch message: the writer only writes attributes inside one.
    let msg = w.message(
        nl_proto::wire::MsgType(0),
        nl_proto::wire::Flags::EMPTY,
        |w| exprs.iter().try_for_each(|e| e.emit(w)),
    )?;
    Ok(msg[16..].to_vec())
}

/// The messages of one command, as the runs of its elements each
/// carries: one message (`0..0` for a command without elements), or for
/// elements as many `NFT_MSG_{NEW,DEL}SETELEM` as the elements need (each
/// nest stays below 64 KiB), all in the same batch. Encode each with
/// [`encode_part`].
pub(crate) fn parts_of(cmd: &Cmd) -> Vec<Range<usize>> {
    let elems = match cmd {
        Cmd::AddElems { elems, .. } | Cmd::DeleteElems { elems, .. } => elems,
        _ => return std::iter::once(0..0).collect(),
    };
    let specs = elem_specs(elems);
    let mut at = 0;
    let runs: Vec<_> = p::elem_runs(&specs)
        .map(|run| {
            at += run.len();
            at - run.len()..at
        })
        .collect();
    if runs.is_empty() {
        // No elements: still one message, which the kernel checks.
        return std::iter::once(0..0).collect();
    }
    runs
}

/// The message of `cmd` that carries its elements `part` (see
/// [`parts_of`]).
pub(crate) fn encode_part<'w>(
    w: &'w mut MsgWriter<'_>,
    cmd: &Cmd,
    part: Range<usize>,
) -> Result<Request<'w>, EncodeError> {
    match cmd {
        Cmd::AddElems { elems, .. } | Cmd::DeleteElems { elems, .. } => {
            encode_elems(w, cmd, elems.get(part).unwrap_or(&[]))
        }
        _ => encode_one(w, cmd),
    }
}

/// One run of a [`Cmd::AddElems`] or [`Cmd::DeleteElems`].
fn encode_elems<'w>(
    w: &'w mut MsgWriter<'_>,
    cmd: &Cmd,
    part: &[SetElem],
) -> Result<Request<'w>, EncodeError> {
    match cmd {
        Cmd::AddElems {
            family,
            table,
            set,
            set_id,
            ..
        } => p::encode_new_elems(w, *family, table, set, *set_id, &elem_specs(part)),
        Cmd::DeleteElems {
            family, table, set, ..
        } => p::encode_del_elems(w, *family, table, set, &elem_specs(part)),
        _ => encode_one(w, cmd),
    }
}

fn encode_one<'w>(w: &'w mut MsgWriter<'_>, cmd: &Cmd) -> Result<Request<'w>, EncodeError> {
    match cmd {
        Cmd::AddTable { family, name } => p::encode_new_table(w, *family, name),
        Cmd::CreateTable { family, name } => p::encode_create_table(w, *family, name),
        Cmd::DeleteTable { family, name } => p::encode_del_table(w, *family, name),
        Cmd::FlushTable { family, name } => p::encode_flush_table(w, *family, name),
        Cmd::AddChain {
            family,
            table,
            name,
            base,
            exclusive,
        } => {
            let b = base.as_ref().map(|b| BaseChain {
                chain_type: &b.chain_type,
                hook: b.hook,
                priority: b.priority,
                policy: b.policy,
                device: b.device.as_deref(),
            });
            if *exclusive {
                p::encode_create_chain(w, *family, table, name, b.as_ref())
            } else {
                p::encode_new_chain(w, *family, table, name, b.as_ref())
            }
        }
        Cmd::DeleteChain {
            family,
            table,
            name,
        } => p::encode_del_chain(w, *family, table, name),
        Cmd::FlushChain {
            family,
            table,
            name,
        } => p::encode_flush_chain(w, *family, table, name),
        Cmd::AddRule {
            family,
            table,
            chain,
            at,
            exprs,
        } => p::encode_new_rule_raw(w, *family, table, chain, *at, exprs),
        Cmd::DeleteRule {
            family,
            table,
            chain,
            handle,
        } => p::encode_del_rule(w, *family, table, chain, *handle),
        Cmd::AddSet { family, set } => p::encode_new_set(
            w,
            *family,
            &NewSet {
                table: &set.table,
                name: &set.name,
                flags: set.flags,
                key_type: set.key_type,
                key_len: set.key_len,
                data: set.data,
                obj_type: set.obj_type,
                id: set.id,
                policy: set.policy,
                size: set.size,
                concat: &set.concat,
                timeout: set.timeout,
                gc_interval: set.gc_interval,
                userdata: &set.userdata,
            },
        ),
        Cmd::DeleteSet {
            family,
            table,
            name,
        } => p::encode_del_set(w, *family, table, name),
        Cmd::AddElems { .. } | Cmd::DeleteElems { .. } => encode_elems(w, cmd, &[]),
        Cmd::AddObj {
            family,
            table,
            name,
            obj,
            comment,
        } => objects::encode_add_obj(w, *family, table, name, obj, comment.as_deref()),
        Cmd::DeleteObj {
            family,
            table,
            name,
            kind,
        } => p::encode_del_obj(w, *family, table, name, *kind),
        Cmd::AddFlowtable { family, flowtable } => {
            objects::encode_add_flowtable(w, *family, flowtable)
        }
        Cmd::DeleteFlowtable {
            family,
            table,
            name,
        } => p::encode_del_flowtable(w, *family, table, name),
        Cmd::FlushRuleset => p::encode_flush_ruleset(w),
    }
}

/// nft's name of a family (`ip`, `ip6`, `inet`, `arp`, `bridge`, `netdev`).
pub fn family_name(f: NfProto) -> &'static str {
    match f {
        NfProto::IPV4 => "ip",
        NfProto::IPV6 => "ip6",
        NfProto::INET => "inet",
        NfProto::ARP => "arp",
        NfProto::BRIDGE => "bridge",
        NfProto::NETDEV => "netdev",
        _ => "unknown",
    }
}

/// The family named `name` by nft.
pub fn family_by_name(name: &str) -> Option<NfProto> {
    Some(match name {
        "ip" => NfProto::IPV4,
        "ip6" => NfProto::IPV6,
        "inet" => NfProto::INET,
        "arp" => NfProto::ARP,
        "bridge" => NfProto::BRIDGE,
        "netdev" => NfProto::NETDEV,
        _ => return None,
    })
}

impl std::fmt::Display for Cmd {
    /// As nft would write the command (without rule expressions).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fam = family_name;
        match self {
            Cmd::AddTable { family, name } => write!(f, "add table {} {name}", fam(*family)),
            Cmd::CreateTable { family, name } => write!(f, "create table {} {name}", fam(*family)),
            Cmd::DeleteTable { family, name } => write!(f, "delete table {} {name}", fam(*family)),
            Cmd::FlushTable { family, name } => write!(f, "flush table {} {name}", fam(*family)),
            Cmd::AddChain {
                family,
                table,
                name,
                exclusive,
                ..
            } => {
                let verb = if *exclusive { "create" } else { "add" };
                write!(f, "{verb} chain {} {table} {name}", fam(*family))
            }
            Cmd::DeleteChain {
                family,
                table,
                name,
            } => write!(f, "delete chain {} {table} {name}", fam(*family)),
            Cmd::FlushChain {
                family,
                table,
                name,
            } => write!(f, "flush chain {} {table} {name}", fam(*family)),
            Cmd::AddRule {
                family,
                table,
                chain,
                at,
                ..
            } => {
                let verb = match at {
                    Placement::Append(_) => "add",
                    Placement::Insert(_) => "insert",
                };
                write!(f, "{verb} rule {} {table} {chain}", fam(*family))
            }
            Cmd::DeleteRule {
                family,
                table,
                chain,
                handle,
            } => write!(
                f,
                "delete rule {} {table} {chain} handle {handle}",
                fam(*family)
            ),
            Cmd::AddSet { family, set } => {
                write!(f, "add set {} {} {}", fam(*family), set.table, set.name)
            }
            Cmd::DeleteSet {
                family,
                table,
                name,
            } => write!(f, "delete set {} {table} {name}", fam(*family)),
            Cmd::AddElems {
                family, table, set, ..
            } => write!(f, "add element {} {table} {set}", fam(*family)),
            Cmd::DeleteElems {
                family, table, set, ..
            } => write!(f, "delete element {} {table} {set}", fam(*family)),
            Cmd::AddObj {
                family,
                table,
                name,
                obj,
                ..
            } => write!(
                f,
                "add {} {} {table} {name}",
                obj_word(obj.kind()),
                fam(*family)
            ),
            Cmd::DeleteObj {
                family,
                table,
                name,
                kind,
            } => write!(
                f,
                "delete {} {} {table} {name}",
                obj_word(*kind),
                fam(*family)
            ),
            Cmd::AddFlowtable { family, flowtable } => write!(
                f,
                "add flowtable {} {} {}",
                fam(*family),
                flowtable.table,
                flowtable.name
            ),
            Cmd::DeleteFlowtable {
                family,
                table,
                name,
            } => write!(f, "delete flowtable {} {table} {name}", fam(*family)),
            Cmd::FlushRuleset => write!(f, "flush ruleset"),
        }
    }
}

/// nft's word for an object type (`counter`, `ct helper`, …).
pub fn obj_word(kind: nl_proto::nfnl::nft::ObjType) -> &'static str {
    use nl_proto::nfnl::nft::ObjType as T;
    match kind {
        T::COUNTER => "counter",
        T::QUOTA => "quota",
        T::LIMIT => "limit",
        T::CONNLIMIT => "ct count",
        T::CT_HELPER => "ct helper",
        T::CT_TIMEOUT => "ct timeout",
        T::CT_EXPECT => "ct expectation",
        T::SYNPROXY => "synproxy",
        T::SECMARK => "secmark",
        T::TUNNEL => "tunnel",
        _ => "object",
    }
}

/// Apply `cmds` as one nf_tables transaction: all of them or none.
///
/// Elements are sent as many messages as they need (sets of any size),
/// still in the one transaction. The verb is
/// [`verb::nft::apply`](crate::verb::nft::apply), which nl-mio runs too.
///
/// # Errors
///
/// The first command's error the kernel reported (others are
/// [`Error::BatchAborted`] and skipped), in context `command N of M: …`
/// (`N` counts from 1) naming the command as nft would write it; I/O
/// errors. Nothing is changed when this fails.
pub fn apply(conn: &mut Conn, cmds: &[Cmd]) -> Result<(), Error> {
    conn.run(crate::verb::nft::apply(cmds))
}

/// A rule read back from the kernel: its message, decodable with
/// [`OwnedRule::rule`].
#[derive(Debug, Clone)]
pub struct OwnedRule {
    pub(crate) bytes: Vec<u8>,
}

impl OwnedRule {
    /// The decoded rule (decoding cannot fail: it was checked when read).
    pub fn rule(&self) -> Rule<'_> {
        Msg::parse(&self.bytes)
            .ok()
            .and_then(|(m, _)| Rule::decode(&m).ok())
            .expect("checked when read")
    }
}

/// Sets with their elements, as [`list_sets`] reads them.
pub type SetList = Vec<(Set, Vec<SetElem>)>;

/// Everything nf_tables holds, in the kernel's dump order.
#[derive(Debug, Clone, Default)]
pub struct Ruleset {
    /// Tables.
    pub tables: Vec<Table>,
    /// Sets (anonymous ones included) with their elements.
    pub sets: Vec<(Set, Vec<SetElem>)>,
    /// Stateful objects.
    pub objs: Vec<OwnedObj>,
    /// Flowtables.
    pub flowtables: Vec<OwnedFlowtable>,
    /// Chains.
    pub chains: Vec<Chain>,
    /// Rules.
    pub rules: Vec<OwnedRule>,
}

/// Read every table, set (with its elements), object, flowtable, chain and
/// rule.
///
/// # Errors
///
/// I/O, kernel and decoding errors.
pub fn list_ruleset(conn: &mut Conn) -> Result<Ruleset, Error> {
    conn.run(crate::verb::nft::list_ruleset())
}

/// Read every set (anonymous ones included) with its elements.
///
/// # Errors
///
/// I/O, kernel and decoding errors.
pub fn list_sets(conn: &mut Conn) -> Result<Vec<(Set, Vec<SetElem>)>, Error> {
    conn.run(crate::verb::nft::list_sets())
}
