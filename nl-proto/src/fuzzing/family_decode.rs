//! The `family_decode` body: every family decoder, round trips where it emits.

use super::Input;
use crate::EncodeError;
use crate::wire::{Flags, HEADER_LEN, Msg, MsgType, MsgWriter, Msgs};
use core::hint::black_box;

/// Every family decoder on every message of a datagram.
///
/// Input: byte 0 picks the family decoder (modulo the number of decoders);
/// the rest is a datagram. Each message is decoded twice: as it is, and as
/// a copy whose `nlmsg_type` is forced to the decoder's own type (so the
/// fuzzer reaches the attribute parsing without guessing types). Checks:
/// no panic; for objects with an `emit`, a successful decode followed by
/// `emit` and another decode gives the same value (emit → parse is the
/// identity on whatever the decoder accepted).
pub fn family_decode(data: &[u8]) {
    let mut input = Input::new(data);
    let pick = input.u8();
    let datagram = input.bytes(usize::MAX);
    for msg in Msgs::new(datagram).map_while(Result::ok) {
        decode_all(&msg);
        let mut one = [0u8; 4096];
        let Some(ty) = forced_type(pick) else {
            continue;
        };
        if let Some(forced) = with_type(&msg, ty, &mut one) {
            decode_all(&forced);
        }
    }
}

/// Decode each message of `datagram` with `decode`, as it is and with its
/// type forced to `types[pick % len]`.
#[allow(dead_code)]
pub(super) fn decode_each(pick: u8, datagram: &[u8], types: &[MsgType], decode: fn(&Msg<'_>)) {
    let forced = types.get(usize::from(pick) % types.len().max(1)).copied();
    for msg in Msgs::new(datagram).map_while(Result::ok) {
        decode(&msg);
        let mut one = [0u8; 4096];
        if let Some(forced) = forced.and_then(|ty| with_type(&msg, ty, &mut one)) {
            decode(&forced);
        }
    }
}

/// The rtnetlink decoders alone (links, addresses, routes, neighbours,
/// rules, nexthops, stats, change notifications); input as
/// [`family_decode`], byte 0 picking among rtnetlink's types.
#[cfg(feature = "route")]
pub fn route_decode(data: &[u8]) {
    use crate::route::*;
    let mut input = Input::new(data);
    let pick = input.u8();
    let types = [
        RTM_NEWLINK,
        RTM_NEWADDR,
        RTM_NEWROUTE,
        RTM_NEWNEIGH,
        RTM_NEWRULE,
        RTM_NEWSTATS,
        RTM_NEWNEXTHOP,
        RTM_DELLINK,
        crate::tc::RTM_NEWQDISC,
        crate::tc::RTM_NEWTCLASS,
        crate::tc::RTM_NEWTFILTER,
    ];
    decode_each(pick, input.bytes(usize::MAX), &types, decode_route);
}

/// The generic netlink decoders alone (controller, MPTCP path manager,
/// ethtool); byte 0 picks the forced type (the controller's, or a
/// dynamic family id).
#[cfg(feature = "genl")]
pub fn genl_decode(data: &[u8]) {
    let mut input = Input::new(data);
    let pick = input.u8();
    let types = [
        MsgType(crate::genl::GENL_ID_CTRL.get()),
        MsgType(0x15),
        MsgType(0x1f),
    ];
    decode_each(pick, input.bytes(usize::MAX), &types, decode_genl);
}

/// The nf_tables decoders alone (tables, chains, rules with every
/// expression round-tripped, sets, set elements); byte 0 picks the
/// forced message type.
#[cfg(feature = "nfnl")]
pub fn nft_decode(data: &[u8]) {
    use crate::nfnl::nft::NftMsg;
    let mut input = Input::new(data);
    let pick = input.u8();
    let types = [
        NftMsg::NEWTABLE.msg_type(),
        NftMsg::NEWCHAIN.msg_type(),
        NftMsg::NEWRULE.msg_type(),
        NftMsg::NEWSET.msg_type(),
        NftMsg::NEWSETELEM.msg_type(),
    ];
    decode_each(pick, input.bytes(usize::MAX), &types, decode_nft);
}

/// The message types of the decoders `family_decode` exercises.
#[allow(unused_mut, unused_variables, unused_assignments)]
fn forced_type(pick: u8) -> Option<MsgType> {
    let mut types: [Option<MsgType>; 12] = [None; 12];
    #[cfg(feature = "route")]
    {
        use crate::route::*;
        types = [
            Some(RTM_NEWLINK),
            Some(RTM_NEWADDR),
            Some(RTM_NEWROUTE),
            Some(RTM_NEWNEIGH),
            Some(RTM_NEWRULE),
            Some(RTM_NEWSTATS),
            None,
            None,
            None,
            None,
            None,
            None,
        ];
    }
    #[cfg(feature = "genl")]
    {
        types[6] = Some(MsgType(crate::genl::GENL_ID_CTRL.get()));
    }
    #[cfg(feature = "nfnl")]
    {
        use crate::nfnl::nft::NftMsg;
        types[7] = Some(NftMsg::NEWTABLE.msg_type());
        types[8] = Some(NftMsg::NEWCHAIN.msg_type());
        types[9] = Some(NftMsg::NEWRULE.msg_type());
        types[10] = Some(NftMsg::NEWSET.msg_type());
        types[11] = Some(NftMsg::NEWSETELEM.msg_type());
    }
    let n = types.len();
    types.get(usize::from(pick) % n).copied().flatten()
}

/// Copy `msg` into `buf` with its type replaced by `ty`.
fn with_type<'b>(msg: &Msg<'_>, ty: MsgType, buf: &'b mut [u8]) -> Option<Msg<'b>> {
    use zerocopy::IntoBytes;
    let head = msg.header().as_bytes();
    let len = HEADER_LEN.checked_add(msg.payload().len())?;
    let out = buf.get_mut(..len)?;
    let (h, p) = out.split_at_mut(HEADER_LEN);
    h.copy_from_slice(head);
    h.get_mut(4..6)?.copy_from_slice(&ty.0.to_ne_bytes());
    p.copy_from_slice(msg.payload());
    Msg::parse(out).ok().map(|(m, _)| m)
}

/// Decode `msg` with every decoder; round-trip the ones that succeed.
#[allow(unused_variables)]
fn decode_all(msg: &Msg<'_>) {
    #[cfg(feature = "route")]
    decode_route(msg);
    #[cfg(feature = "genl")]
    decode_genl(msg);
    #[cfg(feature = "nfnl")]
    decode_nft(msg);
}

/// Every rtnetlink decoder; round trips where the object emits.
#[cfg(feature = "route")]
fn decode_route(msg: &Msg<'_>) {
    {
        use crate::route::{addr::Address, link::Link, neigh::Neighbour, route::Route, rule::Rule};
        if let Ok(l) = Link::decode(msg) {
            super::object_roundtrip::link_round_trip(&l);
        }
        if let Ok(n) = crate::route::nexthop::Nexthop::decode(msg) {
            super::object_roundtrip::nexthop_round_trip(&n);
        }
        // A monitor's decoder: dispatches on the type to the ones here.
        let _ = black_box(crate::route::change::Change::decode(msg));
        let _ = black_box(crate::route::stats::decode(msg));
        super::tc_decode::decode_tc(msg);
        if let Ok(v) = Address::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Address::decode,
            );
        }
        let _ = black_box(Route::decode(msg));
        if let Ok(v) = Route::decode_full(msg) {
            round_trip(
                &v,
                |(r, x), w| r.emit_full(x, w, Flags::EMPTY).map(|_| ()),
                Route::decode_full,
            );
        }
        if let Ok(v) = Neighbour::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Neighbour::decode,
            );
        }
        if let Ok(v) = Rule::decode(msg) {
            round_trip(&v, |v, w| v.emit(w, Flags::EMPTY).map(|_| ()), Rule::decode);
        }
        if let Ok(v) = crate::route::neightbl::NeighTable::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                crate::route::neightbl::NeighTable::decode,
            );
        }
    }
}

/// Every generic netlink decoder (controller, MPTCP, ethtool).
#[cfg(feature = "genl")]
fn decode_genl(msg: &Msg<'_>) {
    {
        use crate::genl::ctrl::Family;
        if let Ok(v) = Family::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Family::decode,
            );
        }
        // The path manager's and ethtool's decoders take any genl message
        // (their family ids are dynamic), so every input reaches them.
        use crate::genl::FamilyId;
        use crate::genl::mptcp::{Endpoint, Limits, PmCmd};
        let family = FamilyId::new(msg.msg_type().0).unwrap_or(FamilyId::CTRL);
        if let Ok(v) = Endpoint::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, PmCmd::GET_ADDR, Flags::EMPTY).map(|_| ()),
                Endpoint::decode,
            );
        }
        if let Ok(v) = Limits::decode(msg) {
            round_trip(
                &v,
                |v, w| {
                    v.emit(w, family, PmCmd::GET_LIMITS, Flags::EMPTY)
                        .map(|_| ())
                },
                Limits::decode,
            );
        }
        if let Ok(v) = crate::genl::mptcp::Event::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                crate::genl::mptcp::Event::decode,
            );
        }
        use crate::genl::ethtool::{LinkInfo, LinkModes};
        if let Ok(v) = LinkModes::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                LinkModes::decode,
            );
        }
        if let Ok(v) = LinkInfo::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, family, Flags::EMPTY).map(|_| ()),
                LinkInfo::decode,
            );
        }
    }
}

/// Every nf_tables decoder: tables, chains, rules and their expressions,
/// sets, set elements.
#[cfg(feature = "nfnl")]
fn decode_nft(msg: &Msg<'_>) {
    {
        use crate::nfnl::nft::{Chain, Table};
        if let Ok(v) = Table::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Table::decode,
            );
        }
        if let Ok(v) = Chain::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                Chain::decode,
            );
        }
        if let Ok(rule) = crate::nfnl::nft::Rule::decode(msg) {
            nft_rule_round_trip(&rule);
        }
        if let Ok(v) = crate::nfnl::nft::Set::decode(msg) {
            round_trip(
                &v,
                |v, w| v.emit(w, Flags::EMPTY).map(|_| ()),
                crate::nfnl::nft::Set::decode,
            );
        }
        if let Ok(elems) = crate::nfnl::nft::SetElems::decode(msg) {
            // Decoding checked every element; walking them again agrees.
            assert!(elems.elems().all(|e| e.is_ok()), "set elements re-walk");
        }
    }
}

/// A rule, and each of its expressions, must survive emit → decode.
#[cfg(feature = "nfnl")]
fn nft_rule_round_trip(rule: &crate::nfnl::nft::Rule<'_>) {
    use crate::nfnl::nft::{Expr, Rule};
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    if let Ok(out) = rule.emit(&mut w, Flags::EMPTY) {
        let Ok((msg, _)) = Msg::parse(out) else {
            panic!("emit wrote an unparsable rule");
        };
        assert_eq!(
            Rule::decode(&msg).ok().as_ref(),
            Some(rule),
            "rule emit → decode"
        );
    }
    for e in rule.exprs().map_while(Result::ok) {
        let mut buf = [0u8; 8192];
        let mut w = MsgWriter::new(&mut buf);
        let written = w.message(MsgType(0x0a06), Flags::EMPTY, |w| {
            w.put_fixed(&crate::nfnl::NfGenMsg::new(crate::nfnl::NfProto::INET, 0))?;
            e.emit(w)
        });
        let Ok(out) = written else { continue };
        let Ok((msg, _)) = Msg::parse(out) else {
            panic!("emit wrote an unparsable expression");
        };
        let elem = msg
            .payload()
            .get(4..)
            .and_then(|p| crate::wire::Attrs::new(p).next())
            .and_then(Result::ok);
        let again = elem.map(Expr::decode);
        assert_eq!(again, Some(Ok(e)), "expression emit → decode");
    }
}

/// `emit` then decode again must give the same value. A value too large
/// for the buffer (or one `emit` refuses) is skipped, not a finding.
#[allow(dead_code)]
fn round_trip<T: PartialEq + core::fmt::Debug>(
    value: &T,
    emit: impl Fn(&T, &mut MsgWriter<'_>) -> Result<(), EncodeError>,
    decode: impl Fn(&Msg<'_>) -> Result<T, crate::DecodeError>,
) {
    let mut buf = [0u8; 8192];
    let mut w = MsgWriter::new(&mut buf);
    if emit(value, &mut w).is_err() {
        return;
    }
    let len = w.len();
    let Some((msg, _)) = buf.get(..len).and_then(|b| Msg::parse(b).ok()) else {
        panic!("emit wrote an unparsable message");
    };
    let again = decode(&msg);
    assert_eq!(
        again.as_ref().ok(),
        Some(value),
        "emit → decode is not the identity"
    );
}
