//! The `object_roundtrip` body: decode → encode → decode for the
//! rtnetlink and tc objects whose encoder is a request builder rather
//! than an `emit` of the decoded value (links, nexthops, qdiscs, classes,
//! filters, actions, chains).

use super::Input;
use super::family_decode::decode_each;
use crate::route::link::{
    Link, LinkChange, LinkInfoData, LinkKind, NewLink, encode_new, encode_set,
};
use crate::route::nexthop::{self, NewNexthop, Nexthop};
use crate::wire::{Msg, MsgWriter};

/// Round trips only, one object family per forced type.
///
/// Input as [`family_decode`](super::family_decode()): byte 0 picks the
/// forced type (link, nexthop, qdisc, class, filter, action, chain), the
/// rest is a datagram. Whatever decodes is re-encoded as the request that
/// would set it, and that request must decode to the same value in every
/// field the request carries (see `link_round_trip` and
/// `nexthop_round_trip` in this file, and the tc checks of
/// [`tc_decode`](super::tc_decode())).
pub fn object_roundtrip(data: &[u8]) {
    use crate::route::{RTM_NEWLINK, RTM_NEWNEXTHOP};
    use crate::tc::{RTM_NEWACTION, RTM_NEWCHAIN, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER};
    let mut input = Input::new(data);
    let pick = input.u8();
    let types = [
        RTM_NEWLINK,
        RTM_NEWNEXTHOP,
        RTM_NEWQDISC,
        RTM_NEWTCLASS,
        RTM_NEWTFILTER,
        RTM_NEWACTION,
        RTM_NEWCHAIN,
    ];
    decode_each(pick, input.bytes(usize::MAX), &types, |msg| {
        if let Ok(l) = Link::decode(msg) {
            link_round_trip(&l);
        }
        if let Ok(n) = Nexthop::decode(msg) {
            nexthop_round_trip(&n);
        }
        super::tc_decode::decode_tc_all(msg);
    });
}

/// A decoded link, set again (`RTM_NEWLINK` without create flags, as `ip
/// link set`): its name, MTU, MAC, master, alias, kind and every
/// kind-specific option ([`Link::info`]) come back unchanged. The port
/// options are left out: a request names them by `IFLA_INFO_KIND`
/// `bridge_slave`, a notification by `IFLA_INFO_SLAVE_KIND` `bridge`, so
/// they are not the same message.
pub(super) fn link_round_trip(l: &Link) {
    let change = LinkChange {
        mtu: l.mtu,
        mac: l.mac,
        name: Some(&l.name),
        master: l.master.map(Some),
        alias: l.alias.as_deref(),
        info: l.kind.as_deref().map(|k| (k, &l.info)),
        ..LinkChange::default()
    };
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    // Index 0 or above i32::MAX cannot be set; a refused alias neither.
    let Ok(r) = encode_set(&mut w, l.index, &change) else {
        return;
    };
    let Ok((msg, _)) = Msg::parse(r.msg) else {
        panic!("encode_set wrote an unparsable message");
    };
    let back = match Link::decode(&msg) {
        Ok(b) => b,
        Err(e) => panic!("a link we encoded does not decode: {e:?} {l:?}"),
    };
    assert_eq!(back.malformed, None, "a link we encoded is malformed");
    assert_eq!(
        (back.index, &back.name, back.mtu, back.mac, back.master),
        (l.index, &l.name, l.mtu, l.mac, l.master),
        "link header round trip"
    );
    assert_eq!(back.alias, l.alias, "link alias round trip");
    assert_eq!(back.kind, l.kind, "link kind round trip");
    match &l.info {
        // Written by `LinkKind::Vxlan` of a create, not by
        // `LinkInfoData::put` (documented there): set sends the kind alone.
        LinkInfoData::Vxlan { .. } => vxlan_round_trip(l),
        // Reported only (tun's owner, queues): nothing to send.
        LinkInfoData::Tun(_) => {}
        info => assert_eq!(&back.info, info, "link options round trip"),
    }
}

/// A decoded vxlan, created again with [`LinkKind::Vxlan`]: the same
/// options come back. An id the encoder would add (none decoded, no
/// `external`) or leave out (`external` with an id) is not the same
/// request, and skipped.
fn vxlan_round_trip(l: &Link) {
    let LinkInfoData::Vxlan {
        id,
        port,
        local,
        remote,
        link,
        options,
    } = &l.info
    else {
        return;
    };
    let external = options.collect_metadata == Some(true);
    let id = match (id, external) {
        (Some(id), false) => *id,
        (None, true) => 0,
        _ => return,
    };
    let kind = LinkKind::Vxlan {
        id,
        port: *port,
        local: *local,
        remote: *remote,
        parent: *link,
        options: *options,
    };
    let new = NewLink::new(&l.name, kind);
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    // A vni of 2^24 or more, addresses of two families: refused.
    let Ok(r) = encode_new(&mut w, &new) else {
        return;
    };
    let Ok((msg, _)) = Msg::parse(r.msg) else {
        panic!("encode_new wrote an unparsable message");
    };
    // `ttl_inherit` is a flag in a request: false is sent as nothing.
    let mut expect = l.info.clone();
    if let LinkInfoData::Vxlan { options, .. } = &mut expect {
        options.ttl_inherit = options.ttl_inherit.filter(|&t| t);
    }
    match Link::decode(&msg) {
        Ok(b) => assert_eq!(b.info, expect, "vxlan options round trip"),
        Err(e) => panic!("a vxlan we encoded does not decode: {e:?} {l:?}"),
    }
}

/// A decoded nexthop, encoded as `ip nexthop add` would: the same
/// nexthop in every field but the scope (a request always says
/// universe). Id 0 (the kernel picks one)
/// and a gateway of another family than the header's are refused by the
/// encoder and skipped, as is a resilient group carrying the
/// kernel's own unbalanced time.
pub(super) fn nexthop_round_trip(n: &Nexthop) {
    if n.id == 0 {
        return;
    }
    let req = NewNexthop {
        id: n.id,
        family: n.family,
        gateway: n.gateway,
        oif: n.oif,
        blackhole: n.blackhole,
        group: &n.group,
        protocol: n.protocol,
        flags: n.flags,
        fdb: n.fdb,
        encap: n.encap,
        group_type: n.group_type,
        resilient: n.resilient,
    };
    let mut buf = [0u8; 1024];
    let mut w = MsgWriter::new(&mut buf);
    let Ok(r) = nexthop::encode_new(&mut w, &req, false) else {
        return;
    };
    let Ok((msg, _)) = Msg::parse(r.msg) else {
        panic!("nexthop::encode_new wrote an unparsable message");
    };
    let back = match Nexthop::decode(&msg) {
        Ok(b) => b,
        Err(e) => panic!("a nexthop we encoded does not decode: {e:?} {n:?}"),
    };
    let expect = Nexthop {
        scope: crate::route::addr::Scope::UNIVERSE,
        group_truncated: false,
        // Dump options and statistics flags: answers only, never sent.
        op_flags: None,
        hw_stats_enable: None,
        hw_stats_used: None,
        ..n.clone()
    };
    assert_eq!(back, expect, "nexthop round trip");
}
