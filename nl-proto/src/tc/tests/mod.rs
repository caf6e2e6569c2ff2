//! Golden vectors: every request tc 6.1 sent for a command (`golden.txt`)
//! against what the encoders build for the same command, byte for byte.

use super::action::{Action, MirredAction, Verdict};
use super::cls_u32::{Selector, U32Filter, fields};
use super::fifo::{Fifo, Prio};
use super::htb::{Htb, HtbClass, HtbClassSpec};
use super::tbf::{Tbf, TbfSpec};
use super::units::{Rate, Size, Time};
use super::*;
use crate::wire::Msgs;

const GOLDEN: &str = include_str!("../golden.txt");
pub(super) const V0: i32 = 3;
pub(super) const IFB0: u32 = 4;

pub(super) fn golden(name: &str, out: &mut [u8]) -> usize {
    let hex = GOLDEN
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no golden vector {name}"));
    let b = hex.as_bytes();
    let val = |c: u8| (c as char).to_digit(16).unwrap() as u8;
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = val(pair[0]) << 4 | val(pair[1]);
    }
    b.len() / 2
}

/// Encode with `f`, add `NLM_F_ACK` as the session would (tc sets it
/// itself), and compare with the golden vector `name`.
pub(super) fn check(name: &str, f: impl FnOnce(&mut MsgWriter<'_>)) {
    let mut want = [0u8; 4096];
    let n = golden(name, &mut want);
    let mut buf = [0u8; 4096];
    let mut w = MsgWriter::new(&mut buf);
    f(&mut w);
    let len = w.len();
    let is_dump = buf[7] & 0x03 == 0x03 && buf[6] & 0x04 == 0;
    if !is_dump {
        buf[6] |= 0x04;
    }
    assert_eq!(&buf[..len], &want[..n], "{name}");
    // Every qdisc, class and filter request decodes back (dumps have no
    // kind; chains have their own decoder).
    let (msg, _) = Msg::parse(&buf[..len]).unwrap();
    if !is_dump && buf[4] & 1 == 0 && Object::of(msg.msg_type()).is_some() {
        let t = Tc::decode(&msg).unwrap();
        assert_eq!(t.ifindex, V0);
    }
}

pub(super) fn qdisc(mode: Mode, req: &NewTc<'_>) -> impl FnOnce(&mut MsgWriter<'_>) {
    move |w| {
        let _ = encode_new(w, Object::Qdisc, mode, req).unwrap();
    }
}

#[test]
fn golden_qdiscs() {
    let tbf = Tbf::with_latency(
        Rate::parse("1mbit").unwrap(),
        Size::parse("32kbit").unwrap(),
        Time::parse("400ms").unwrap(),
    );
    check(
        "tbf_add",
        qdisc(
            Mode::Add,
            &NewTc::new(V0, Handle::ROOT, "tbf").options(Options::Tbf(tbf)),
        ),
    );

    let spec = TbfSpec {
        rate: Rate::parse("10gbit").unwrap(),
        burst: Size::parse("1mb").unwrap(),
        limit: Some(Size::parse("100kb").unwrap()),
        peakrate: Some(Rate::parse("20gbit").unwrap()),
        mtu: Size(9000),
        ..TbfSpec::default()
    };
    let tbf = Tbf::new(&spec).unwrap();
    let req = NewTc::new(V0, Handle::ROOT, "tbf")
        .handle(Handle::parse_qdisc("5:").unwrap())
        .options(Options::Tbf(tbf));
    check("tbf_peak", qdisc(Mode::Replace, &req));

    let req = NewTc::new(V0, Handle::ROOT, "pfifo")
        .handle(Handle::new(1, 0))
        .options(Options::Fifo(Fifo { limit: 100 }));
    check("pfifo_add", qdisc(Mode::Add, &req));
    let req = NewTc::new(V0, Handle::ROOT, "bfifo").options(Options::Fifo(Fifo { limit: 10240 }));
    check("bfifo_add", qdisc(Mode::Add, &req));
    check(
        "pfifo_fast_add",
        qdisc(Mode::Add, &NewTc::new(V0, Handle::ROOT, "pfifo_fast")),
    );
    let ingress = NewTc::new(V0, Handle::INGRESS, "ingress").handle(Handle::INGRESS_QDISC);
    check("ingress_add", qdisc(Mode::Add, &ingress));
    let clsact = NewTc::new(V0, Handle::INGRESS, "clsact").handle(Handle::INGRESS_QDISC);
    check("clsact_add", qdisc(Mode::Add, &clsact));
    let req = NewTc::new(V0, Handle::ROOT, "htb")
        .handle(Handle::new(1, 0))
        .options(Options::Htb(Htb::new(0x10)));
    check("htb_add", qdisc(Mode::Add, &req));

    check("qdisc_del", |w| {
        let _ = encode_del(w, Object::Qdisc, &NewTc::new(V0, Handle::ROOT, "")).unwrap();
    });
    check("qdisc_del_ingress", |w| {
        let _ = encode_del(w, Object::Qdisc, &ingress).unwrap();
    });
}

#[test]
fn golden_classes() {
    let spec = HtbClassSpec {
        ceil: Rate::parse("2mbit"),
        ..HtbClassSpec::new(Rate::parse("1mbit").unwrap())
    };
    let req = NewTc::new(V0, Handle::new(1, 0), "htb")
        .handle(Handle::new(1, 0x10))
        .options(Options::HtbClass(HtbClass::new(&spec).unwrap()));
    check("htb_class_add", |w| {
        let _ = encode_new(w, Object::Class, Mode::Add, &req).unwrap();
    });
    let spec = HtbClassSpec {
        burst: Some((Size::parse("15k").unwrap(), None)),
        prio: 2,
        ..HtbClassSpec::new(Rate::parse("5gbit").unwrap())
    };
    let req = NewTc::new(V0, Handle::new(1, 0), "htb")
        .handle(Handle::new(1, 0x10))
        .options(Options::HtbClass(HtbClass::new(&spec).unwrap()));
    check("htb_class_change", |w| {
        let _ = encode_new(w, Object::Class, Mode::Change, &req).unwrap();
    });
}

#[test]
fn golden_filters() {
    const ETH_P_IP: u16 = 0x0800;
    const ETH_P_ALL: u16 = 0x0003;
    let filter = |req: NewTc<'static>| {
        move |w: &mut MsgWriter<'_>| {
            let _ = encode_new(w, Object::Filter, Mode::Add, &req).unwrap();
        }
    };

    let mut sel = Selector {
        flags: super::cls_u32::TERMINAL,
        ..Selector::default()
    };
    sel.pack_ipv4(fields::IP_DST, "10.0.0.1".parse().unwrap(), 32, 0)
        .unwrap();
    let u = U32Filter {
        classid: Some(Handle::new(1, 0x10)),
        sel: Some(sel),
        ..U32Filter::default()
    };
    check(
        "u32_add",
        filter(
            NewTc::new(V0, Handle::new(1, 0), "u32")
                .filter(1, ETH_P_IP)
                .options(Options::U32(u)),
        ),
    );

    let mut sel = Selector {
        flags: super::cls_u32::TERMINAL,
        ..Selector::default()
    };
    sel.pack32(0, 0, 0, 0).unwrap();
    let mut u = U32Filter {
        sel: Some(sel.clone()),
        ..U32Filter::default()
    };
    u.actions
        .push(Action::mirred(MirredAction::EGRESS_REDIR, IFB0))
        .unwrap();
    // No `prio`: tc sends 0 and the kernel picks 49152.
    check(
        "u32_mirred_add",
        filter(
            NewTc::new(V0, Handle::INGRESS_QDISC, "u32")
                .filter(0, ETH_P_IP)
                .options(Options::U32(u)),
        ),
    );

    let mut u = U32Filter {
        sel: Some(sel),
        ..U32Filter::default()
    };
    u.actions
        .push(Action::mirred(MirredAction::INGRESS_MIRROR, IFB0))
        .unwrap();
    check(
        "u32_mirror",
        filter(
            NewTc::new(V0, Handle::INGRESS_QDISC, "u32")
                .filter(0, ETH_P_ALL)
                .options(Options::U32(u)),
        ),
    );

    let mut sel = Selector {
        flags: super::cls_u32::TERMINAL,
        ..Selector::default()
    };
    sel.pack_ipv4(fields::IP_SRC, "192.168.0.0".parse().unwrap(), 16, 0)
        .unwrap();
    sel.pack16(80, 0xffff, fields::IP_DPORT, 0).unwrap();
    let mut u = U32Filter {
        sel: Some(sel),
        ..U32Filter::default()
    };
    u.actions.push(Action::gact(Verdict::SHOT)).unwrap();
    check(
        "u32_gact",
        filter(
            NewTc::new(V0, Handle::INGRESS_QDISC, "u32")
                .filter(10, ETH_P_IP)
                .options(Options::U32(u)),
        ),
    );
}

#[test]
fn golden_bpf() {
    use super::cls_bpf::{BpfFilter, SockFilter};
    let mut b = BpfFilter {
        classid: Some(Handle::new(1, 1)),
        ..BpfFilter::default()
    };
    for (c, jt, jf, k) in [
        (40, 0, 0, 12),
        (21, 0, 1, 2048),
        (6, 0, 0, 262_144),
        (6, 0, 0, 0),
    ] {
        b.ops.push(SockFilter::new(c, jt, jf, k)).unwrap();
    }
    let req = NewTc::new(V0, Handle::CLSACT_INGRESS, "bpf")
        .filter(0, 0x0003)
        .options(Options::Bpf(b.clone()));
    check("bpf_bytecode", |w| {
        let _ = encode_new(w, Object::Filter, Mode::Add, &req).unwrap();
    });
    let mut want = [0u8; 512];
    let n = golden("bpf_bytecode", &mut want);
    let t = Tc::decode(&Msg::parse(&want[..n]).unwrap().0).unwrap();
    assert_eq!(t.options, Options::Bpf(b));
}

#[test]
fn golden_kinds_this_kernel_lacks() {
    let mut p = Prio {
        bands: 4,
        ..Prio::default()
    };
    p.priomap[..4].copy_from_slice(&[0, 1, 2, 3]);
    let req = NewTc::new(V0, Handle::ROOT, "prio")
        .handle(Handle::new(1, 0))
        .options(Options::Prio(p));
    check("prio_add", qdisc(Mode::Add, &req));

    let f = super::fq_codel::FqCodel {
        limit: Some(1000),
        flows: Some(512),
        quantum: Some(1514),
        interval: Some(100_000),
        target: Some(5000),
        ecn: Some(true),
        ..Default::default()
    };
    let req = NewTc::new(V0, Handle::ROOT, "fq_codel")
        .handle(Handle::new(1, 0))
        .options(Options::FqCodel(f));
    check("fq_codel_add", qdisc(Mode::Add, &req));

    let mut m = super::cls_matchall::MatchallFilter {
        flags: Some(super::cls_u32::FLAG_SKIP_HW),
        ..Default::default()
    };
    m.actions
        .push(Action::mirred(MirredAction::EGRESS_REDIR, 2))
        .unwrap();
    let req = NewTc::new(V0, Handle::CLSACT_INGRESS, "matchall")
        .filter(1, 0x0003)
        .options(Options::Matchall(m));
    check("matchall_add", |w| {
        let _ = encode_new(w, Object::Filter, Mode::Add, &req).unwrap();
    });
}

#[test]
fn golden_dumps() {
    let dump = |object, ifindex| {
        move |w: &mut MsgWriter<'_>| {
            let f = DumpFilter {
                ifindex,
                ..DumpFilter::default()
            };
            let _ = encode_dump(w, object, &f).unwrap();
        }
    };
    check("qdisc_show", dump(Object::Qdisc, V0));
    check("qdisc_show_all", dump(Object::Qdisc, 0));
    check("class_show", dump(Object::Class, V0));
    check("filter_show", dump(Object::Filter, V0));
}

#[test]
fn decodes_what_it_encodes() {
    let mut buf = [0u8; 4096];
    let mut want = [0u8; 4096];
    for name in [
        "tbf_add",
        "tbf_peak",
        "htb_class_add",
        "u32_mirred_add",
        "u32_gact",
        "pfifo_add",
    ] {
        let n = golden(name, &mut want);
        let (msg, _) = Msg::parse(&want[..n]).unwrap();
        let t = Tc::decode(&msg).unwrap();
        // Re-encode the decoded value: the same bytes.
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
        let mut w = MsgWriter::new(&mut buf);
        let mode = if name == "tbf_peak" {
            Mode::Replace
        } else {
            Mode::Add
        };
        let _ = encode_new(&mut w, t.object, mode, &req).unwrap();
        let len = w.len();
        buf[6] |= 0x04;
        assert_eq!(&buf[..len], &want[..n], "{name}");
    }
    let n = golden("tbf_add", &mut want);
    let t = Tc::decode(&Msg::parse(&want[..n]).unwrap().0).unwrap();
    let Options::Tbf(tbf) = t.options else {
        panic!("not tbf")
    };
    assert_eq!(tbf.rate, Rate(125_000));
    assert_eq!(tbf.burst_bytes(), 4096);
    assert_eq!(tbf.latency() as u32, 400_000);
}

#[test]
fn prio_defaults() {
    let p = Prio::default();
    assert_eq!(p.bands, 3);
    let mut buf = [0u8; 128];
    let mut w = MsgWriter::new(&mut buf);
    let _ = encode_new(
        &mut w,
        Object::Qdisc,
        Mode::Add,
        &NewTc::new(1, Handle::ROOT, "prio").options(Options::Prio(p)),
    )
    .unwrap();
    let n = w.len();
    let t = Tc::decode(&Msg::parse(&buf[..n]).unwrap().0).unwrap();
    assert_eq!(t.options, Options::Prio(p));
}

#[test]
fn never_panics_on_mutations() {
    let mut want = [0u8; 4096];
    for name in ["u32_mirred_add", "u32_gact", "htb_add", "pfifo_add"] {
        let n = golden(name, &mut want);
        let bytes = &want[..n];
        let mut buf = [0u8; 512];
        for i in 0..n {
            for v in [0u8, 1, 4, 0x7f, 0x80, 0xff] {
                buf[..n].copy_from_slice(bytes);
                buf[i] = v;
                for m in Msgs::new(&buf[..n]).map_while(Result::ok) {
                    let _ = Tc::decode(&m);
                }
            }
        }
    }
}

#[test]
fn rejects_bad_messages() {
    let mut want = [0u8; 4096];
    let n = golden("qdisc_show", &mut want);
    let (msg, _) = Msg::parse(&want[..n]).unwrap();
    assert!(matches!(
        Tc::decode(&msg),
        Err(DecodeError::UnexpectedType { .. })
    ));
    let n = golden("qdisc_del", &mut want);
    let (msg, _) = Msg::parse(&want[..n]).unwrap();
    assert!(matches!(
        Tc::decode(&msg),
        Err(DecodeError::MissingAttr { .. })
    ));
}

mod kinds;
