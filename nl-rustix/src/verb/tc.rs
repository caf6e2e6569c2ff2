//! The traffic-control verbs: `tc qdisc|class|filter add|replace|change|
//! del|get|show` and `tc chain add|del|get|show`, each a link resolution
//! and one request.

use super::{Call, Request};
use crate::engine::Answer;
use crate::ops::tc_verb;
use crate::tc::{context, noun};
use crate::{Error, LinkId, TcDump, TcSpec};
use nl_proto::EncodeError;
use nl_proto::tc::chain::{self as tc_chain, Chain, ChainSpec};
use nl_proto::tc::{self, Handle, Mode, Object, Tc};

/// Create, replace or change a qdisc, class or filter: as
/// [`Conn::tc_new`](crate::Conn::tc_new).
pub fn tc_new(object: Object, mode: Mode, spec: &TcSpec) -> Call<()> {
    let sent = spec.clone();
    let shown = spec.clone();
    let what = format!("{} {} on {}", tc_verb(mode), noun(object), spec.dev);
    Call::new(
        Some(spec.dev.clone()),
        false,
        move |index| {
            let spec = sent.clone();
            let index = index.unwrap_or(0);
            Request::ack(move |w| tc::encode_new(w, object, mode, &spec.request(index)))
        },
        move |_, a| a.map(|_| ()).map_err(|e| context(e, object, &shown)),
    )
    .permission(move || what.clone())
}

/// Delete a qdisc, class or filter: as
/// [`Conn::tc_delete`](crate::Conn::tc_delete).
pub fn tc_delete(object: Object, spec: &TcSpec) -> Call<()> {
    let sent = spec.clone();
    let shown = spec.clone();
    let what = format!("delete {} on {}", noun(object), spec.dev);
    Call::new(
        Some(spec.dev.clone()),
        false,
        move |index| {
            let spec = sent.clone();
            let index = index.unwrap_or(0);
            Request::ack(move |w| tc::encode_del(w, object, &spec.request(index)))
        },
        move |_, a| a.map(|_| ()).map_err(|e| context(e, object, &shown)),
    )
    .permission(move || what.clone())
}

/// Read one qdisc, class or filter: as [`Conn::tc_get`](crate::Conn::tc_get).
pub fn tc_get(object: Object, spec: &TcSpec) -> Call<Tc> {
    let sent = spec.clone();
    let shown = spec.clone();
    Call::new(
        Some(spec.dev.clone()),
        false,
        move |index| {
            let spec = sent.clone();
            let index = index.unwrap_or(0);
            Request::get(move |w| tc::encode_get(w, object, &spec.request(index)))
        },
        move |_, a| {
            a.and_then(|a| a.decode_one(Tc::decode))
                .map_err(|e| context(e, object, &shown))
        },
    )
}

/// Qdiscs, classes or filters, narrowed by `what`: as
/// [`Conn::tc_dump`](crate::Conn::tc_dump).
pub fn tc_dump(object: Object, what: &TcDump) -> Call<Vec<Tc>> {
    let what = what.clone();
    let narrow = what.clone();
    Call::new(
        what.dev.clone(),
        true,
        move |index| {
            let filter = what.request(object, index.unwrap_or(0));
            Request::new(move |w| tc::encode_dump(w, object, &filter))
        },
        move |index, a: Result<_, Error>| {
            let ifindex = index.unwrap_or(0);
            a?.decode(|msg| {
                if msg.msg_type() != object.types()[0] {
                    return Ok(None);
                }
                let t = Tc::decode(msg)?;
                Ok(narrow.keeps(ifindex, &t).then_some(t))
            })
        },
    )
}

/// Every qdisc (on `dev`, or on all links): as
/// [`Conn::qdiscs`](crate::Conn::qdiscs).
pub fn qdiscs(dev: Option<LinkId>) -> Call<Vec<Tc>> {
    tc_dump(
        Object::Qdisc,
        &TcDump {
            dev,
            ..TcDump::default()
        },
    )
}

/// A chain's request on link `index`: `ifindex` is an `i32` on the wire
/// (an index past it is refused while encoding).
fn chain_spec(index: Option<u32>, parent: Handle, chain: u32) -> Result<ChainSpec, EncodeError> {
    let ifindex = i32::try_from(index.unwrap_or(0)).map_err(|_| EncodeError::Invalid {
        what: "link index past i32",
    })?;
    Ok(ChainSpec::new(ifindex, parent, chain))
}

/// A chain request (add, delete or get) after `dev` is resolved.
fn chain_call<T: Send + 'static>(
    dev: &LinkId,
    parent: Handle,
    chain: u32,
    request: fn(ChainSpec) -> Request,
    finish: impl Fn(Result<&Answer, Error>) -> Result<T, Error> + Send + 'static,
) -> Call<T> {
    Call::new(
        Some(dev.clone()),
        false,
        move |index| match chain_spec(index, parent, chain) {
            Ok(spec) => request(spec),
            Err(e) => Request::ack(move |_| Err(e)),
        },
        move |_, a| finish(a),
    )
}

/// Add filter chain `chain` under `parent` on `dev`: as
/// [`Conn::tc_chain_new`](crate::Conn::tc_chain_new).
pub fn tc_chain_new(dev: &LinkId, parent: Handle, chain: u32) -> Call<()> {
    let what = format!("add chain {chain} on {dev}");
    chain_call(
        dev,
        parent,
        chain,
        |s| Request::ack(move |w| tc_chain::encode_new(w, &s)),
        |a| a.map(|_| ()),
    )
    .permission(move || what.clone())
}

/// Delete a chain and its filters: as
/// [`Conn::tc_chain_delete`](crate::Conn::tc_chain_delete).
pub fn tc_chain_delete(dev: &LinkId, parent: Handle, chain: u32) -> Call<()> {
    let what = format!("delete chain {chain} on {dev}");
    chain_call(
        dev,
        parent,
        chain,
        |s| Request::ack(move |w| tc_chain::encode_del(w, &s)),
        |a| a.map(|_| ()),
    )
    .permission(move || what.clone())
}

/// Read one chain: as [`Conn::tc_chain_get`](crate::Conn::tc_chain_get).
pub fn tc_chain_get(dev: &LinkId, parent: Handle, chain: u32) -> Call<Chain> {
    chain_call(
        dev,
        parent,
        chain,
        |s| Request::get(move |w| tc_chain::encode_get(w, &s)),
        |a| a?.decode_one(Chain::decode),
    )
}

/// The chains under `parent` on `dev`: as
/// [`Conn::tc_chains`](crate::Conn::tc_chains).
pub fn tc_chains(dev: &LinkId, parent: Handle) -> Call<Vec<Chain>> {
    Call::new(
        Some(dev.clone()),
        true,
        move |index| match chain_spec(index, parent, 0) {
            Ok(spec) => Request::new(move |w| tc_chain::encode_dump(w, spec.ifindex, spec.parent)),
            Err(e) => Request::new(move |_| Err(e)),
        },
        |_, a| {
            a?.decode(|m| {
                if m.msg_type() != tc::RTM_NEWCHAIN {
                    return Ok(None);
                }
                Chain::decode(m).map(Some)
            })
        },
    )
}
