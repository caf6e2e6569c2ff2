//! nf_tables (`NFNL_SUBSYS_NFTABLES`): message types and, one file per
//! object, the objects this crate can encode and decode. Changes go inside
//! a batch (see the [nfnl module docs](super#batches)); dumps do not.
//!
//! Constants come from `include/uapi/linux/netfilter/nf_tables.h`.

mod chain;
mod expr;
mod exthdr;
mod flowtable;
mod loads;
mod obj;
mod objref;
mod rule;
mod set;
mod stmts;
mod table;
mod words;

pub use expr::{
    Bitwise, Byteorder, Cmp, Counter, Ct, Data, Expr, Immediate, Limit, Log, Lookup, Masq, Meta,
    NFT_BYTEORDER_HTON, NFT_QUOTA_F_INV, NFT_REG_1, NFT_REG_VERDICT, NFTA_LIST_ELEM, Nat, Payload,
    Quota, Range, Redir, Reject, Verdict,
};
pub use exthdr::{Exthdr, ExthdrOp, NFT_EXTHDR_F_PRESENT};
pub use flowtable::{
    Flowtable, NF_FLOWTABLE_COUNTER, NF_FLOWTABLE_HW_OFFLOAD, NewFlowtable, encode_del_flowtable,
    encode_dump_flowtables, encode_new_flowtable,
};
pub use loads::{Fib, Numgen, Osf, Rt, Socket, Xfrm};
pub use obj::{
    CT_TIMEOUT_CAP, CtExpect, CtHelper, CtTimeout, NewObj, Obj, ObjData, ObjType, encode_del_obj,
    encode_dump_objs, encode_new_obj,
};
pub use objref::{FlowOffload, Objref};
pub use rule::{
    Placement, Rule, RuleAttr, encode_del_rule, encode_dump_rules, encode_new_rule,
    encode_new_rule_raw,
};
pub use set::{
    Elem, NFT_DATA_VERDICT, NFT_SET_ANONYMOUS, NFT_SET_CONCAT, NFT_SET_CONSTANT,
    NFT_SET_ELEM_CATCHALL, NFT_SET_ELEM_INTERVAL_END, NFT_SET_EVAL, NFT_SET_INTERVAL, NFT_SET_MAP,
    NFT_SET_OBJECT, NFT_SET_TIMEOUT, NewSet, NewSetElem, SET_KEY_CAP, Set, SetElems, elem_runs,
    encode_del_elems, encode_del_set, encode_dump_elems, encode_dump_sets, encode_new_elems,
    encode_new_set,
};
pub use stmts::{
    Connlimit, Dup, Fwd, Hash, NFT_CONNLIMIT_F_INV, NFT_HASH_JENKINS, NFT_HASH_SYM,
    NFT_PAYLOAD_CSUM_INET, NFT_PAYLOAD_L4CSUM_PSEUDOHDR, PayloadWrite, Synproxy, Tproxy,
};
pub use words::{
    CmpOp, CtKey, HeaderField, LimitType, MetaKey, NatType, PayloadBase, RangeOp, RejectType,
    VerdictCode,
};

pub use chain::{
    BaseChain, CHAIN_NAME_CAP, CHAIN_TYPE_CAP, Chain, ChainAttr, Hook, HookAttr, HookNum,
    NF_ACCEPT, NF_DROP, NFT_CHAIN_BASE, encode_create_chain, encode_del_chain, encode_dump_chains,
    encode_flush_chain, encode_new_chain,
};
pub use table::{
    TABLE_NAME_CAP, Table, TableAttr, encode_create_table, encode_del_table, encode_dump_tables,
    encode_flush_ruleset, encode_flush_table, encode_new_table,
};

use super::{Subsys, msg_type};
use crate::macros::open_enum;
use crate::wire::MsgType;

open_enum! {
    /// An nf_tables message (`enum nf_tables_msg_types`), the low byte of
    /// `nlmsg_type` under [`Subsys::NFTABLES`].
    pub struct NftMsg(u8) {
        /// `NFT_MSG_NEWTABLE`.
        NEWTABLE = 0,
        /// `NFT_MSG_GETTABLE`.
        GETTABLE = 1,
        /// `NFT_MSG_DELTABLE`.
        DELTABLE = 2,
        /// `NFT_MSG_NEWCHAIN`.
        NEWCHAIN = 3,
        /// `NFT_MSG_GETCHAIN`.
        GETCHAIN = 4,
        /// `NFT_MSG_DELCHAIN`.
        DELCHAIN = 5,
        /// `NFT_MSG_NEWRULE`.
        NEWRULE = 6,
        /// `NFT_MSG_GETRULE`.
        GETRULE = 7,
        /// `NFT_MSG_DELRULE`.
        DELRULE = 8,
        /// `NFT_MSG_NEWSET`.
        NEWSET = 9,
        /// `NFT_MSG_GETSET`.
        GETSET = 10,
        /// `NFT_MSG_DELSET`.
        DELSET = 11,
        /// `NFT_MSG_NEWSETELEM`.
        NEWSETELEM = 12,
        /// `NFT_MSG_GETSETELEM`.
        GETSETELEM = 13,
        /// `NFT_MSG_DELSETELEM`.
        DELSETELEM = 14,
        /// `NFT_MSG_NEWGEN`: the ruleset generation (reply, notification).
        NEWGEN = 15,
        /// `NFT_MSG_GETGEN`.
        GETGEN = 16,
        /// `NFT_MSG_TRACE`: a trace event (notification).
        TRACE = 17,
        /// `NFT_MSG_NEWOBJ`.
        NEWOBJ = 18,
        /// `NFT_MSG_GETOBJ`.
        GETOBJ = 19,
        /// `NFT_MSG_DELOBJ`.
        DELOBJ = 20,
        /// `NFT_MSG_GETOBJ_RESET`: read and reset (counters, quotas).
        GETOBJ_RESET = 21,
        /// `NFT_MSG_NEWFLOWTABLE`.
        NEWFLOWTABLE = 22,
        /// `NFT_MSG_GETFLOWTABLE`.
        GETFLOWTABLE = 23,
        /// `NFT_MSG_DELFLOWTABLE`.
        DELFLOWTABLE = 24,
    }
}

impl NftMsg {
    /// The full `nlmsg_type` (`NFNL_SUBSYS_NFTABLES << 8 | msg`).
    pub const fn msg_type(self) -> MsgType {
        msg_type(Subsys::NFTABLES, self.0)
    }
}

/// Hex text to bytes, for the golden vectors in tests.
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
pub(crate) fn test_hex(s: &str) -> heapless::Vec<u8, 1024> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
