//! The neighbour verbs that are not operations of a batch: `ip neigh get
//! [proxy]` and `ip neigh del proxy`.

use super::{Call, Request};
use crate::LinkId;
use nl_proto::route::neigh::{self, NeighFlags, Neighbour};
use std::net::IpAddr;

/// The entry for `dst` on `link` (with `proxy`, the proxy entry): as
/// [`Conn::neighbour`](crate::Conn::neighbour).
pub fn neighbour(link: impl Into<LinkId>, dst: IpAddr, proxy: bool) -> Call<Neighbour> {
    let flags = if proxy {
        NeighFlags::PROXY
    } else {
        NeighFlags::EMPTY
    };
    Call::new(
        Some(link.into()),
        false,
        move |index| {
            let index = index.unwrap_or(0);
            Request::get(move |w| neigh::encode_get(w, index, dst, flags))
        },
        |_, a| {
            a?.decode_one(|m| {
                Neighbour::decode_ip(m)?.ok_or(nl_proto::DecodeError::UnexpectedType {
                    what: "an IP neighbour",
                    ty: m.msg_type().0,
                })
            })
        },
    )
}

/// Delete the proxy entry for `dst` on `link`: as
/// [`Conn::delete_proxy_neighbour`](crate::Conn::delete_proxy_neighbour).
pub fn delete_proxy_neighbour(link: impl Into<LinkId>, dst: IpAddr) -> Call<()> {
    let link = link.into();
    let what = format!("delete proxy neighbour {dst} on {link}");
    Call::new(
        Some(link),
        false,
        move |index| {
            let index = index.unwrap_or(0);
            Request::ack(move |w| neigh::encode_del_flags(w, index, dst, NeighFlags::PROXY))
        },
        |_, a| a.map(|_| ()),
    )
    .permission(move || what.clone())
}
