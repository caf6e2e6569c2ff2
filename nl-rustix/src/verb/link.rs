//! The link write verbs: `ip link add|set|del`, moving a link between
//! namespaces, alternative names. Each is [`Apply`] of one operation but
//! `link_altnames`, a link resolution and one request.

use super::apply::{Apply, One};
use super::{Call, Request};
use crate::{Error, LinkId, LinkSet, LinkSpec, Netns, Op};
use nl_proto::route::link;

/// `ip link add`: as [`Conn::create_link`](crate::Conn::create_link)
/// (a veth's peer, or the link itself, may be created in another
/// namespace).
pub fn create_link(spec: &LinkSpec) -> One {
    Apply::one(Op::CreateLink(spec.clone()), true)
}

/// `ip link set`: as [`Conn::set_link`](crate::Conn::set_link).
pub fn set_link(id: impl Into<LinkId>, change: &LinkSet) -> One {
    Apply::one(Op::SetLink(id.into(), change.clone()), false)
}

/// `ip link set NAME netns NS`: as [`Conn::move_link`](crate::Conn::move_link).
pub fn move_link(id: impl Into<LinkId>, to: &Netns) -> One {
    set_link(id, &LinkSet::new().netns(to.clone()))
}

/// `ip link del`: as [`Conn::delete_link`](crate::Conn::delete_link).
pub fn delete_link(id: impl Into<LinkId>) -> One {
    Apply::one(Op::DeleteLink(id.into()), false)
}

/// `ip link property add|del dev DEV altname NAME…`: as
/// [`Conn::link_altnames`](crate::Conn::link_altnames).
pub fn link_altnames(id: impl Into<LinkId>, names: &[&str], add: bool) -> Call<()> {
    let id = id.into();
    let shown = id.clone();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    Call::new(
        Some(id),
        false,
        move |index| {
            let index = index.unwrap_or(0);
            let names = names.clone();
            Request::ack(move |w| {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                link::encode_altnames(w, index, &names, add)
            })
        },
        move |_, a| {
            a.map(|_| ())
                .map_err(|e: Error| super::read::no_such_link(e, &shown))
        },
    )
}
