//! The `tc_decode` body: traffic control decoders and their round trips.

use super::Input;
use super::family_decode::decode_each;
use crate::tc::act_msg::{self, ActionMsg};
use crate::tc::chain::{self, Chain, ChainSpec};
use crate::tc::notice::TcNotice;
use crate::tc::{Mode, NewTc, Options, Tc, encode_new};
use crate::wire::{Msg, MsgWriter};
use core::hint::black_box;

/// The traffic control decoders alone: qdiscs, classes, filters (every
/// kind's options and actions), standalone actions, chains, and the
/// monitor's [`TcNotice`].
///
/// Input as [`family_decode`](super::family_decode()): byte 0 picks the
/// forced type (qdisc, class, filter, action, chain), the rest is a
/// datagram. Checks: no panic; decode → encode → decode is the identity
/// on what a request carries (qdisc/class/filter options, handle, parent
/// and info; a table of actions; a chain's device, parent and index);
/// [`Tc::decode_into`] over a value that held another object agrees with
/// [`Tc::decode`].
pub fn tc_decode(data: &[u8]) {
    use crate::tc::{RTM_NEWACTION, RTM_NEWCHAIN, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER};
    let mut input = Input::new(data);
    let pick = input.u8();
    let types = [
        RTM_NEWQDISC,
        RTM_NEWTCLASS,
        RTM_NEWTFILTER,
        RTM_NEWACTION,
        RTM_NEWCHAIN,
    ];
    decode_each(pick, input.bytes(usize::MAX), &types, decode_tc_all);
}

/// Every tc decoder on `msg`.
pub(super) fn decode_tc_all(msg: &Msg<'_>) {
    decode_tc(msg);
    let _ = black_box(TcNotice::decode(msg));
    if let Ok(m) = ActionMsg::decode(msg) {
        actions_round_trip(&m);
    }
    if let Ok(c) = Chain::decode(msg) {
        chain_round_trip(&c);
    }
}

/// A qdisc, class or filter: decode, re-encode what decoded (as a
/// request of the same object), decode again: the same value; and
/// decoding into a value that held another object gives the same as a
/// fresh decode.
pub(super) fn decode_tc(msg: &Msg<'_>) {
    let Ok(t) = Tc::decode(msg) else {
        return;
    };
    // A value that held a u32 filter with a key and an action: refilling
    // it must leave nothing of them behind.
    let mut reused = Tc::empty(crate::tc::Object::Filter);
    let mut sel = crate::tc::cls_u32::Selector::default();
    let _ = sel.pack32(1, 1, 0, 0);
    let mut u = crate::tc::cls_u32::U32Filter {
        sel: Some(sel),
        classid: Some(crate::tc::Handle(1)),
        ..Default::default()
    };
    let _ = u.actions.push(crate::tc::action::Action::gact(
        crate::tc::action::Verdict::SHOT,
    ));
    reused.options = crate::tc::Options::U32(u);
    if reused.decode_into(msg).is_ok() {
        assert_eq!(reused, t, "decode_into differs from decode");
    }
    if t.kind.is_empty() {
        // An empty kind is sent as none: not the same request.
        return;
    }
    let req = NewTc {
        ifindex: t.ifindex,
        handle: t.handle,
        parent: t.parent,
        info: t.info,
        kind: t.kind.as_str(),
        options: t.options.clone(),
        chain: t.chain,
        ingress_block: t.ingress_block,
        egress_block: t.egress_block,
    };
    let mut buf = [0u8; 16384];
    let mut w = MsgWriter::new(&mut buf);
    if let Ok(r) = encode_new(&mut w, t.object, Mode::Add, &req) {
        let Ok((back, _)) = Msg::parse(r.msg) else {
            panic!("encode_new wrote an unparsable message");
        };
        let back = match Tc::decode(&back) {
            Ok(b) => b,
            Err(e) => panic!("a request we encoded does not decode: {e:?} {t:?}"),
        };
        // Statistics and reported-only fields are not part of a request.
        assert_eq!(
            back.options,
            as_request(&t.options),
            "tc options round trip"
        );
        assert_eq!(
            (
                back.object,
                back.ifindex,
                back.handle,
                back.parent,
                back.info
            ),
            (t.object, t.ifindex, t.handle, t.parent, t.info)
        );
        assert_eq!(
            (back.kind, back.chain, back.ingress_block, back.egress_block),
            (t.kind, t.chain, t.ingress_block, t.egress_block)
        );
    }
}

/// What a request built from decoded `options` carries: actions as
/// `renumber` leaves them (a request numbers them from 1; the kernel may
/// number them otherwise), and no count of flower keys not typed
/// here (they are not sent back), no u32 hit counters, no netem
/// distribution length (the kernel's report).
fn as_request(options: &Options) -> Options {
    let mut o = options.clone();
    let actions = match &mut o {
        Options::U32(f) => {
            // Hit counters, reported only.
            f.pcnt = None;
            &mut f.actions
        }
        Options::Bpf(f) => &mut f.actions,
        Options::Matchall(f) => &mut f.actions,
        Options::Basic(f) => &mut f.actions,
        Options::Flower(f) => {
            f.other_keys = 0;
            &mut f.actions
        }
        Options::Netem(n) => {
            // The delay distribution's length, reported only.
            n.dist_len = 0;
            return o;
        }
        _ => return o,
    };
    renumber(actions);
    o
}

/// What a request carries of decoded `actions`: each one's kind,
/// parameters and cookie, numbered 1, 2, … (`Action::emit` writes no
/// more: the index, statistics, timestamps and hardware counters are
/// the kernel's report).
fn renumber(actions: &mut [crate::tc::action::Action]) {
    for (a, n) in actions.iter_mut().zip(1u16..) {
        a.order = n;
        a.index = None;
        a.stats = None;
        a.tm = None;
        a.in_hw_count = None;
        a.flags = None;
        a.hw_stats = None;
        a.used_hw_stats = None;
    }
}

/// A table of standalone actions survives `RTM_NEWACTION` encode →
/// decode.
fn actions_round_trip(m: &ActionMsg) {
    let mut buf = [0u8; 16384];
    let mut w = MsgWriter::new(&mut buf);
    let Ok(r) = act_msg::encode_new(&mut w, Mode::Add, &m.actions) else {
        return;
    };
    let Ok((back, _)) = Msg::parse(r.msg) else {
        panic!("act_msg::encode_new wrote an unparsable message");
    };
    match ActionMsg::decode(&back) {
        Ok(b) => {
            let mut expect = m.actions.clone();
            renumber(&mut expect);
            assert_eq!(b.actions, expect, "action table round trip");
        }
        Err(e) => panic!("actions we encoded do not decode: {e:?} {m:?}"),
    }
}

/// A chain's device, parent and index survive `RTM_NEWCHAIN` encode →
/// decode.
fn chain_round_trip(c: &Chain) {
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let spec = ChainSpec::new(c.ifindex, c.parent, c.index);
    let Ok(r) = chain::encode_new(&mut w, &spec) else {
        return;
    };
    let Ok((back, _)) = Msg::parse(r.msg) else {
        panic!("chain::encode_new wrote an unparsable message");
    };
    match Chain::decode(&back) {
        Ok(b) => assert_eq!(
            (b.ifindex, b.parent, b.index, b.deleted),
            (c.ifindex, c.parent, c.index, false),
            "chain round trip"
        ),
        Err(e) => panic!("a chain we encoded does not decode: {e:?}"),
    }
}
