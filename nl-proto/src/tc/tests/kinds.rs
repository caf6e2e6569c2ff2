//! Golden vectors of the kinds this kernel lacks (sfq, fq, netem;
//! skbedit and police actions), built as the `tc` example builds them,
//! and decoded back to the same values.

use super::super::act_police::{Police, PoliceSpec};
use super::super::act_skbedit::Skbedit;
use super::super::action::{Action, Verdict};
use super::super::cls_u32::{Selector, TERMINAL, U32Filter};
use super::super::fq::Fq;
use super::super::netem::{Netem, NetemCorr, NetemProb, NetemRate, scale_percent};
use super::super::sfq::Sfq;
use super::super::units::{Rate, Size, time_to_ticks};
use super::super::*;
use super::{V0, check, golden, qdisc};

/// Encode `req`, compare with golden `name`, and decode the golden bytes
/// back to `req`'s options.
fn roundtrip(name: &str, object: Object, req: &NewTc<'_>) {
    check(name, |w| {
        let _ = encode_new(w, object, Mode::Add, req).unwrap();
    });
    let mut want = [0u8; 4096];
    let n = golden(name, &mut want);
    let t = Tc::decode(&Msg::parse(&want[..n]).unwrap().0).unwrap();
    assert_eq!(t.options, req.options, "{name}");
}

#[test]
fn golden_sfq() {
    let mut s = Sfq {
        quantum: 1514.into(),
        perturb_period: 10.into(),
        ..Sfq::default()
    };
    let req = NewTc::new(V0, Handle::ROOT, "sfq")
        .handle(Handle::new(1, 0))
        .options(Options::Sfq { sfq: s, v1: true });
    roundtrip("sfq_add", Object::Qdisc, &req);
    s = Sfq {
        limit: 100.into(),
        depth: 20.into(),
        headdrop: 1.into(),
        divisor: 512.into(),
        flows: 64.into(),
        ..Sfq::default()
    };
    let req = NewTc::new(V0, Handle::ROOT, "sfq").options(Options::Sfq { sfq: s, v1: true });
    roundtrip("sfq_full", Object::Qdisc, &req);
}

#[test]
fn golden_fq() {
    let f = Fq {
        plimit: Some(1000),
        flow_plimit: Some(50),
        quantum: Some(3028),
        initial_quantum: Some(15140),
        maxrate: Some(125_000_000),
        buckets_log: Some(11),
        pacing: Some(false),
        refill_delay: Some(40_000),
        orphan_mask: Some(511),
        ce_threshold: Some(10_000),
        horizon: Some(5_000_000),
        horizon_drop: Some(true),
        ..Fq::default()
    };
    let req = NewTc::new(V0, Handle::ROOT, "fq").options(Options::Fq(f));
    roundtrip("fq_add", Object::Qdisc, &req);
    let req = NewTc::new(V0, Handle::ROOT, "fq").options(Options::Fq(Fq::default()));
    roundtrip("fq_plain", Object::Qdisc, &req);
}

#[test]
fn golden_netem() {
    let mut n = Netem::new();
    n.qopt.latency = time_to_ticks(100_000).into();
    n.qopt.jitter = time_to_ticks(10_000).into();
    n.qopt.loss = scale_percent(0.005).into();
    n.qopt.duplicate = scale_percent(0.01).into();
    n.qopt.gap = 5.into();
    n.qopt.limit = 2000.into();
    n.corr = Some(NetemCorr {
        delay_corr: scale_percent(0.25).into(),
        loss_corr: scale_percent(0.2).into(),
        dup_corr: 0.into(),
    });
    n.reorder = Some(NetemProb {
        probability: scale_percent(0.25).into(),
        correlation: scale_percent(0.5).into(),
    });
    n.corrupt = Some(NetemProb {
        probability: scale_percent(0.001).into(),
        correlation: 0.into(),
    });
    let req = NewTc::new(V0, Handle::ROOT, "netem").options(Options::Netem(n));
    roundtrip("netem_delay", Object::Qdisc, &req);

    let mut n = Netem::new();
    n.qopt.latency = time_to_ticks(10_000).into();
    n.rate = Some(NetemRate {
        rate: 125_000.into(),
        packet_overhead: 20.into(),
        cell_size: 100.into(),
        cell_overhead: 5.into(),
    });
    let req = NewTc::new(V0, Handle::ROOT, "netem").options(Options::Netem(n));
    roundtrip("netem_rate", Object::Qdisc, &req);
    let req = NewTc::new(V0, Handle::ROOT, "netem").options(Options::Netem(Netem::new()));
    roundtrip("netem_plain", Object::Qdisc, &req);
    check(
        "netem_plain",
        qdisc(
            Mode::Add,
            &NewTc::new(V0, Handle::ROOT, "netem").options(Options::Netem(Netem::new())),
        ),
    );
}

fn match_all() -> Selector {
    let mut sel = Selector {
        flags: TERMINAL,
        ..Selector::default()
    };
    sel.pack32(0, 0, 0, 0).unwrap();
    sel
}

fn u32_filter(u: U32Filter) -> NewTc<'static> {
    NewTc::new(V0, Handle::INGRESS_QDISC, "u32")
        .filter(0, 0x0800)
        .options(Options::U32(u))
}

#[test]
fn golden_skbedit() {
    let mut s = Skbedit {
        mark: Some(5),
        mask: Some(0xff),
        priority: Some(Handle::new(1, 0x10)),
        queue_mapping: Some(2),
        ptype: Some(0),
        ..Skbedit::default()
    };
    s.common.action = Verdict::PIPE.0.into();
    let mut u = U32Filter {
        sel: Some(match_all()),
        ..U32Filter::default()
    };
    let mut a = Action::skbedit(s);
    a.order = 1;
    u.actions.push(a).unwrap();
    roundtrip("skbedit_add", Object::Filter, &u32_filter(u));
}

#[test]
fn golden_police() {
    let spec = PoliceSpec {
        rate: Rate::parse("1mbit").unwrap(),
        burst: Size::parse("10k").unwrap(),
        exceed: Verdict::SHOT,
        conform: Some(Verdict::OK),
        ..PoliceSpec::default()
    };
    let mut u = U32Filter {
        sel: Some(match_all()),
        ..U32Filter::default()
    };
    let mut a = Action::police(Police::new(&spec));
    a.order = 1;
    u.actions.push(a).unwrap();
    roundtrip("police_act", Object::Filter, &u32_filter(u));

    let spec = PoliceSpec {
        rate: Rate::parse("1mbit").unwrap(),
        burst: Size::parse("10k").unwrap(),
        mtu: Size(1500),
        exceed: Verdict::SHOT,
        ..PoliceSpec::default()
    };
    let p = Police::new(&spec);
    assert_eq!(p.burst_bytes(), 10240);
    let u = U32Filter {
        sel: Some(match_all()),
        police: Some(p),
        ..U32Filter::default()
    };
    roundtrip("police_u32", Object::Filter, &u32_filter(u));
}

#[test]
fn golden_chains() {
    use super::super::chain::{self, Chain, ChainSpec};
    let spec = ChainSpec::new(V0, Handle::INGRESS_QDISC, 3);
    check("chain_add", |w| {
        let _ = chain::encode_new(w, &spec).unwrap();
    });
    check("chain_del", |w| {
        let _ = chain::encode_del(w, &spec).unwrap();
    });
    // tc's get asks for no ack (its answer is the echo); the session
    // adds `NLM_F_ACK` to every request that is not a dump.
    let mut want = [0u8; 64];
    let n = golden("chain_get", &mut want);
    want[6] |= 0x04;
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    let _ = chain::encode_get(&mut w, &spec).unwrap();
    let len = w.len();
    buf[6] |= 0x04;
    assert_eq!(&buf[..len], &want[..n], "chain_get");
    check("chain_show", |w| {
        let _ = chain::encode_dump(w, V0, Handle::INGRESS_QDISC).unwrap();
    });
    let mut want = [0u8; 64];
    let n = golden("chain_add", &mut want);
    let c = Chain::decode(&Msg::parse(&want[..n]).unwrap().0).unwrap();
    assert_eq!(
        (c.ifindex, c.parent, c.index, c.deleted),
        (V0, Handle::INGRESS_QDISC, 3, false)
    );
}

#[test]
fn golden_standalone_actions() {
    use super::super::act_msg::{self, ActionMsg};
    use super::super::action::MirredAction;
    const V1: u32 = 2;
    let mut a = Action::mirred(MirredAction::EGRESS_MIRROR, V1);
    a.set_index(1);
    check("act_add", |w| {
        let _ = act_msg::encode_new(w, Mode::Add, core::slice::from_ref(&a)).unwrap();
    });
    let mut c = Action::mirred(MirredAction::INGRESS_MIRROR, V1);
    c.set_verdict(Verdict::RECLASSIFY);
    c.cookie = Some(super::super::action::Cookie::from_slice(&[0xaa, 0x11, 0xbb, 0x22]).unwrap());
    check("act_cookie", |w| {
        let _ = act_msg::encode_new(w, Mode::Add, core::slice::from_ref(&c)).unwrap();
    });
    check("act_show", |w| {
        let _ = act_msg::encode_dump(w, "mirred").unwrap();
    });
    check("act_del", |w| {
        let _ = act_msg::encode_del(w, &[("mirred", 1)]).unwrap();
    });
    check("act_flush", |w| {
        let _ = act_msg::encode_flush(w, "mirred").unwrap();
    });
    // tc's get asks for no ack; the session adds one to every request.
    let mut want = [0u8; 128];
    let n = golden("act_get", &mut want);
    want[6] |= 0x04;
    let mut buf = [0u8; 128];
    let mut w = MsgWriter::new(&mut buf);
    let _ = act_msg::encode_get(&mut w, &[("mirred", 1)]).unwrap();
    let len = w.len();
    buf[6] |= 0x04;
    assert_eq!(&buf[..len], &want[..n], "act_get");
    let n = golden("act_cookie", &mut want);
    let m = ActionMsg::decode(&Msg::parse(&want[..n]).unwrap().0).unwrap();
    assert_eq!(m.actions[0].cookie, c.cookie);
    assert_eq!(m.actions[0].verdict(), Some(Verdict::RECLASSIFY));
}

#[test]
fn golden_flower() {
    use super::super::action::MirredAction;
    use super::super::cls_flower::{End, FlowerFilter, FlowerKey};
    use core::net::{Ipv4Addr, Ipv6Addr};
    let flower = |protocol: u16, prio: u16, f: FlowerFilter| {
        NewTc::new(V0, Handle::CLSACT_INGRESS, "flower")
            .filter(prio, protocol)
            .options(Options::Flower(f))
    };
    let mut f = FlowerFilter {
        flags: Some(super::super::cls_u32::FLAG_SKIP_HW),
        eth_type: Some(0x0800),
        ..FlowerFilter::default()
    };
    for k in [
        FlowerKey::Ipv4 {
            end: End::Dst,
            addr: Ipv4Addr::new(10, 0, 0, 0),
            mask: Ipv4Addr::new(255, 0, 0, 0),
        },
        FlowerKey::Ipv4 {
            end: End::Src,
            addr: Ipv4Addr::new(192, 168, 1, 1),
            mask: Ipv4Addr::BROADCAST,
        },
        FlowerKey::IpProto(6),
        FlowerKey::Port {
            tcp: true,
            end: End::Dst,
            port: 80,
            mask: None,
        },
    ] {
        f.keys.push(k).unwrap();
    }
    let mut a = Action::mirred(MirredAction::EGRESS_REDIR, super::IFB0);
    a.order = 1;
    f.actions.push(a).unwrap();
    roundtrip("flower_ip", Object::Filter, &flower(0x0800, 1, f));

    let mut f = FlowerFilter {
        flags: Some(0),
        eth_type: Some(0x8100),
        ..FlowerFilter::default()
    };
    for k in [
        FlowerKey::VlanId(100),
        FlowerKey::VlanPrio(3),
        FlowerKey::Mac {
            end: End::Dst,
            addr: [2, 0, 0, 0, 0, 1],
            mask: [0xff; 6],
        },
        FlowerKey::Mac {
            end: End::Src,
            addr: [2, 0, 0, 0, 0, 0],
            mask: [0xff, 0xff, 0xff, 0, 0, 0],
        },
        FlowerKey::ClassId(Handle::new(1, 0x10)),
    ] {
        f.keys.push(k).unwrap();
    }
    roundtrip("flower_eth", Object::Filter, &flower(0x8100, 0, f));

    let mut f = FlowerFilter {
        flags: Some(super::super::cls_u32::FLAG_SKIP_SW),
        eth_type: Some(0x86dd),
        ..FlowerFilter::default()
    };
    let mut mask = [0u8; 16];
    mask[..4].fill(0xff);
    for k in [
        FlowerKey::Ipv6 {
            end: End::Dst,
            addr: "2001:db8::".parse::<Ipv6Addr>().unwrap(),
            mask: Ipv6Addr::from(mask),
        },
        FlowerKey::IpProto(17),
        FlowerKey::Port {
            tcp: false,
            end: End::Src,
            port: 53,
            mask: None,
        },
        FlowerKey::IpTtl(64, 0xff),
    ] {
        f.keys.push(k).unwrap();
    }
    roundtrip("flower_ip6", Object::Filter, &flower(0x86dd, 0, f));
}

#[test]
fn notices_name_the_object() {
    use super::super::notice::{TcNotice, TcObject};
    use crate::route::change::Change;
    let mut buf = [0u8; 4096];
    let n = golden("tbf_add", &mut buf);
    let m = Msg::parse(&buf[..n]).unwrap().0;
    let Change::Tc(t) = Change::decode(&m).unwrap() else {
        panic!("not a tc change")
    };
    assert_eq!(
        (t.object, t.deleted, t.ifindex, t.parent, t.kind.as_str()),
        (TcObject::Tc(Object::Qdisc), false, V0, Handle::ROOT, "tbf")
    );
    assert!(!Change::decode(&m).unwrap().is_deletion());
    let n = golden("chain_del", &mut buf);
    let t = TcNotice::decode(&Msg::parse(&buf[..n]).unwrap().0)
        .unwrap()
        .unwrap();
    assert_eq!(
        (t.object, t.deleted, t.chain),
        (TcObject::Chain, true, Some(3))
    );
    let n = golden("act_del", &mut buf);
    let m = Msg::parse(&buf[..n]).unwrap().0;
    let t = TcNotice::decode(&m).unwrap().unwrap();
    assert_eq!(
        (t.object, t.deleted, t.kind.as_str(), t.handle),
        (TcObject::Action, true, "mirred", Handle(1))
    );
    assert!(Change::decode(&m).unwrap().is_deletion());
    // Requests to read are not notices.
    let n = golden("qdisc_show", &mut buf);
    assert_eq!(
        TcNotice::decode(&Msg::parse(&buf[..n]).unwrap().0).unwrap(),
        None
    );
}

#[test]
fn golden_basic() {
    use super::super::action::MirredAction;
    use super::super::cls_basic::BasicFilter;
    let mut b = BasicFilter {
        classid: Some(Handle::new(1, 5)),
        ..BasicFilter::default()
    };
    let mut a = Action::mirred(MirredAction::EGRESS_REDIR, super::IFB0);
    a.order = 1;
    b.actions.push(a).unwrap();
    let req = NewTc::new(V0, Handle::INGRESS_QDISC, "basic")
        .filter(5, 0x0800)
        .options(Options::Basic(b));
    roundtrip("basic_add", Object::Filter, &req);
    let spec = PoliceSpec {
        rate: Rate::parse("2mbit").unwrap(),
        burst: Size::parse("20k").unwrap(),
        exceed: Verdict::SHOT,
        ..PoliceSpec::default()
    };
    let b = BasicFilter {
        police: Some(Police::new(&spec)),
        ..BasicFilter::default()
    };
    let req = NewTc::new(V0, Handle::INGRESS_QDISC, "basic")
        .filter(0, 0x0003)
        .options(Options::Basic(b));
    roundtrip("basic_police", Object::Filter, &req);
}
