//! The nf_tables verbs: [`apply`] (one transaction, a [`Step::Batch`]
//! framed by `BATCH_BEGIN` and `BATCH_END`) and the listings
//! ([`list_ruleset`], [`list_sets`]: one dump after another).

use super::{BatchResults, Context, Request, Step, Verb};
use crate::Error;
use crate::engine::Answer;
use crate::nft::{Cmd, ElemData, OwnedRule, Ruleset, SetElem, encode_part, parts_of};
use nl_proto::nfnl::batch::{begin_batch, end_batch};
use nl_proto::nfnl::nft::{self as p, Chain, Rule, Set, SetElems, Table};
use nl_proto::nfnl::{NfProto, Subsys};
use nl_proto::wire::{Msg, MsgWriter};
use std::collections::VecDeque;
use std::sync::Arc;

/// How many times an interrupted dump is run again.
const DUMP_ATTEMPTS: u32 = 3;

/// `cmds` as one transaction: as [`nft::apply`](crate::nft::apply).
pub fn apply(cmds: &[Cmd]) -> Apply {
    Apply {
        cmds: Arc::new(cmds.to_vec()),
        owner: Vec::new(),
    }
}

/// One nf_tables transaction (see [`apply`]).
#[derive(Debug)]
pub struct Apply {
    cmds: Arc<Vec<Cmd>>,
    /// The command each message comes from (`None`: the batch's own).
    owner: Vec<Option<usize>>,
}

impl Verb for Apply {
    type Output = ();

    fn start(&mut self, _cx: &mut Context<'_>) -> Step<()> {
        let mut reqs = Vec::with_capacity(self.cmds.len() + 2);
        reqs.push(Request::ack(|w| begin_batch(w, Subsys::NFTABLES)));
        self.owner.push(None);
        for (i, cmd) in self.cmds.iter().enumerate() {
            for part in parts_of(cmd) {
                let cmds = Arc::clone(&self.cmds);
                reqs.push(Request::ack(move |w| {
                    encode_part(w, &cmds[i], part.clone())
                }));
                self.owner.push(Some(i));
            }
        }
        reqs.push(Request::ack(|w| end_batch(w, Subsys::NFTABLES)));
        self.owner.push(None);
        Step::Batch(reqs)
    }

    fn on_answer(&mut self, _: Result<&Answer, Error>, _: &mut Context<'_>) -> Step<()> {
        Step::done(Err(Error::Unexpected(
            "an answer nf_tables apply did not ask for",
        )))
    }

    fn on_batch(&mut self, results: BatchResults, cx: &mut Context<'_>) -> Step<()> {
        let results = match results {
            Ok(r) => r,
            Err(e) => return Step::done(Err(e)),
        };
        let cmds = &self.cmds;
        let mut aborted = None;
        for (r, owner) in results.into_iter().zip(&self.owner) {
            match r {
                Ok(()) => {}
                Err(e @ Error::BatchAborted { .. }) => {
                    aborted.get_or_insert(e);
                }
                Err(e) => {
                    let e = match owner {
                        Some(c) => e.not_permitted(cx.socket(), || {
                            format!("{} (command {} of {})", cmds[*c], c + 1, cmds.len())
                        }),
                        None => e,
                    };
                    let what =
                        owner.map(|c| format!("command {} of {}: {}", c + 1, cmds.len(), cmds[c]));
                    return Step::done(Err(e.context(|_| what)));
                }
            }
        }
        Step::done(aborted.map_or(Ok(()), Err))
    }
}

/// What a listing reads, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Tables,
    Sets,
    Elems,
    Objs,
    Flowtables,
    Chains,
    Rules,
}

/// One dump after another (see [`list_ruleset`] and [`list_sets`]).
#[derive(Debug)]
pub struct List<T> {
    stage: Stage,
    /// Only the sets: stop after their elements.
    sets_only: bool,
    attempts: u32,
    out: Ruleset,
    /// Sets whose elements are still to read.
    todo: VecDeque<Set>,
    pick: fn(Ruleset) -> T,
}

/// Every table, set (with its elements), object, flowtable, chain and rule: as
/// [`nft::list_ruleset`](crate::nft::list_ruleset).
pub fn list_ruleset() -> List<Ruleset> {
    List::new(Stage::Tables, false, |r| r)
}

/// Every set with its elements: as [`nft::list_sets`](crate::nft::list_sets).
pub fn list_sets() -> List<Vec<(Set, Vec<SetElem>)>> {
    List::new(Stage::Sets, true, |r| r.sets)
}

impl<T> List<T> {
    fn new(stage: Stage, sets_only: bool, pick: fn(Ruleset) -> T) -> Self {
        Self {
            stage,
            sets_only,
            attempts: 0,
            out: Ruleset::default(),
            todo: VecDeque::new(),
            pick,
        }
    }

    /// The dump of the current stage (the elements of the first set left).
    fn request(&mut self) -> Request {
        self.attempts += 1;
        match self.stage {
            Stage::Tables => Request::new(|w| p::encode_dump_tables(w, NfProto::UNSPEC)),
            Stage::Sets => Request::new(|w| p::encode_dump_sets(w, NfProto::UNSPEC)),
            Stage::Elems => {
                let set = self.todo.front().cloned();
                Request::new(move |w: &mut MsgWriter<'_>| match &set {
                    Some(s) => p::encode_dump_elems(w, s.family, &s.table, &s.name),
                    None => p::encode_dump_sets(w, NfProto::UNSPEC),
                })
            }
            Stage::Objs => Request::new(|w| p::encode_dump_objs(w, NfProto::UNSPEC)),
            Stage::Flowtables => Request::new(|w| p::encode_dump_flowtables(w, NfProto::UNSPEC)),
            Stage::Chains => Request::new(|w| p::encode_dump_chains(w, NfProto::UNSPEC)),
            Stage::Rules => Request::new(|w| p::encode_dump_rules(w, NfProto::UNSPEC)),
        }
    }

    /// Take in one stage's answer; `false` when the listing is complete.
    fn take(&mut self, a: &Answer) -> Result<bool, Error> {
        match self.stage {
            Stage::Tables => {
                self.out.tables = a.decode(|m| Table::decode(m).map(Some))?;
                self.stage = Stage::Sets;
            }
            Stage::Sets => {
                self.todo = a.decode(|m| Set::decode(m).map(Some))?.into();
                self.stage = Stage::Elems;
            }
            Stage::Elems => {
                if let Some(set) = self.todo.pop_front() {
                    let elems = a.decode(decode_elems)?;
                    self.out
                        .sets
                        .push((set, elems.into_iter().flatten().collect()));
                }
            }
            Stage::Objs => {
                self.out.objs = a.decode(crate::nft::decode_obj)?;
                self.stage = Stage::Flowtables;
            }
            Stage::Flowtables => {
                self.out.flowtables = a.decode(crate::nft::decode_flowtable)?;
                self.stage = Stage::Chains;
            }
            Stage::Chains => {
                self.out.chains = a.decode(|m| Chain::decode(m).map(Some))?;
                self.stage = Stage::Rules;
            }
            Stage::Rules => {
                self.out.rules = a.decode(decode_rule)?;
                return Ok(false);
            }
        }
        if self.stage == Stage::Elems && self.todo.is_empty() {
            if self.sets_only {
                return Ok(false);
            }
            self.stage = Stage::Objs;
        }
        Ok(true)
    }
}

impl<T: Send + 'static> Verb for List<T> {
    type Output = T;

    fn start(&mut self, _cx: &mut Context<'_>) -> Step<T> {
        Step::Send(self.request())
    }

    fn on_answer(&mut self, answer: Result<&Answer, Error>, _cx: &mut Context<'_>) -> Step<T> {
        let a = match answer {
            Ok(a) => a,
            Err(e) => return Step::done(Err(e)),
        };
        if a.interrupted() && self.attempts < DUMP_ATTEMPTS {
            return Step::Send(self.request());
        }
        match self.take(a) {
            Ok(true) => {
                self.attempts = 0;
                Step::Send(self.request())
            }
            Ok(false) => Step::done(Ok((self.pick)(std::mem::take(&mut self.out)))),
            Err(e) => Step::done(Err(e)),
        }
    }
}

/// One message of a set's elements.
fn decode_elems(m: &Msg<'_>) -> Result<Option<Vec<SetElem>>, nl_proto::DecodeError> {
    let e = SetElems::decode(m)?;
    e.elems()
        .map(|x| {
            x.map(|x| SetElem {
                key: x.key.to_vec(),
                flags: x.flags,
                timeout: x.timeout,
                expiration: x.expiration,
                data: x.data.map(ElemData::owned),
                key_end: x.key_end.map(<[u8]>::to_vec),
                objref: x.objref.map(String::from),
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A rule, kept as its own message (re-emitted, so it decodes alone).
fn decode_rule(m: &Msg<'_>) -> Result<Option<OwnedRule>, nl_proto::DecodeError> {
    let rule = Rule::decode(m)?;
    let mut buf = vec![0u8; m.payload().len() + 64];
    let mut w = MsgWriter::new(&mut buf);
    let bytes = rule
        .emit(&mut w, nl_proto::wire::Flags::EMPTY)
        .map_err(|_| nl_proto::DecodeError::BadLength {
            what: "nf_tables rule",
            len: m.payload().len(),
        })?
        .to_vec();
    Ok(Some(OwnedRule { bytes }))
}
