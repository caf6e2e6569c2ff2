//! The traffic-control verbs: `tc qdisc|class|filter add|replace|change|
//! del|get|show`, each a link resolution and one request.

use super::{Call, Request};
use crate::tc::{context, noun};
use crate::{Error, LinkId, TcDump, TcSpec};
use nl_proto::tc::{self, Mode, Object, Tc};

/// Create, replace or change a qdisc, class or filter: as
/// [`Conn::tc_new`](crate::Conn::tc_new).
pub fn tc_new(object: Object, mode: Mode, spec: &TcSpec) -> Call<()> {
    let sent = spec.clone();
    let shown = spec.clone();
    let verb = match mode {
        Mode::Add => "add",
        Mode::Replace => "replace",
        Mode::Change => "change",
        Mode::Link => "link",
    };
    let what = format!("{verb} {} on {}", noun(object), spec.dev);
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
