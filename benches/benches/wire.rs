//! Wire codec and session benches. Numbers are per message
//! (`Throughput::Elements`): criterion reports elements/s; ns/message is
//! its inverse.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nl_benches::{
    RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTMSG_LEN,
    encode_route_add, route_dump_datagram,
};
use nl_proto::session::{Event, Expect, Request, Session, Source};
use nl_proto::wire::{Attrs, Flags, MsgType, MsgWriter, Msgs};
use std::hint::black_box;

/// Read every attribute of a route the way a decoder would: one pass,
/// typed getters.
fn walk_route(attrs: Attrs<'_>) -> u64 {
    let mut acc = 0u64;
    for a in attrs.map_while(Result::ok) {
        acc = acc.wrapping_add(match a.kind() {
            RTA_TABLE | RTA_OIF | RTA_PRIORITY => u64::from(a.u32().unwrap_or(0)),
            RTA_DST | RTA_GATEWAY | RTA_PREFSRC => u64::from(a.ipv4().map(u32::from).unwrap_or(0)),
            _ => 0,
        });
    }
    acc
}

/// A session with one dump in flight (seq 1); replies to it keep it open.
fn session_with_dump() -> Session<8> {
    let mut s = Session::<8>::new();
    let mut buf = [0u8; 64];
    let mut w = MsgWriter::new(&mut buf);
    w.begin(MsgType(26), Flags::DUMP).unwrap(); // RTM_GETROUTE
    w.put_fixed(&[0u8; RTMSG_LEN]).unwrap();
    let seq = s
        .submit(Request::new(w.finish().unwrap(), Expect::Dump))
        .unwrap();
    assert_eq!(seq.0, 1);
    s
}

fn route_dump(c: &mut Criterion) {
    let (dgram, n) = route_dump_datagram(32 * 1024, 1);
    let mut g = c.benchmark_group("route_dump_32k");
    g.throughput(Throughput::Elements(n));

    let mut s = session_with_dump();
    g.bench_function(BenchmarkId::new("feed_and_walk", n), |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for e in s.feed(black_box(&dgram), Source::KERNEL) {
                if let Ok(Event::Reply { msg, .. }) = e {
                    let (_, attrs) = msg.split::<[u8; RTMSG_LEN]>("rtmsg").unwrap();
                    acc = acc.wrapping_add(walk_route(attrs));
                }
            }
            acc
        })
    });

    let mut s = session_with_dump();
    g.bench_function(BenchmarkId::new("feed_only", n), |b| {
        b.iter(|| {
            s.feed(black_box(&dgram), Source::KERNEL)
                .filter(|e| e.is_ok())
                .count()
        })
    });

    g.bench_function(BenchmarkId::new("msgs_only", n), |b| {
        b.iter(|| {
            Msgs::new(black_box(&dgram))
                .map_while(Result::ok)
                .fold(0u32, |acc, m| acc.wrapping_add(m.header().len()))
        })
    });
    g.finish();
}

fn route_add(c: &mut Criterion) {
    let mut g = c.benchmark_group("route_add");
    g.throughput(Throughput::Elements(1));
    let mut s = Session::<8>::new();
    let mut buf = [0u8; 256];
    g.bench_function("encode_and_submit", |b| {
        b.iter(|| {
            let mut w = MsgWriter::new(black_box(&mut buf));
            let msg = encode_route_add(&mut w).unwrap();
            let seq = s.submit(Request::new(msg, Expect::Ack)).unwrap();
            // Keep the table from filling: the bench is the encode + submit.
            s.cancel(seq);
            seq
        })
    });
    g.finish();
}

criterion_group!(benches, route_dump, route_add);
criterion_main!(benches);
