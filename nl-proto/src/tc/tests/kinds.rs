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
