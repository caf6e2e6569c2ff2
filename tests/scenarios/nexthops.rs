//! Nexthop verbs against the kernel: resilient groups (their parameters
//! read back), their buckets (dump with filters, get, an index out of
//! range) and per-member group statistics, cross-checked with `ip -j`.

use crate::addrs::{ip, jn, net, veth};
use nl_proto::route::nexthop::{BucketDump, GroupMember, GroupType, ResilientGroup};
use nl_rustix::{AddrSpec, NexthopSpec};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use serde_json::Value;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![Scenario {
        name: "nexthops::resilient_group_buckets_and_stats",
        needs_kinds: &["veth"],
        needs_ip: true,
        run: resilient,
    }]
}

fn resilient(ctx: &mut Ctx) -> Result<(), Failed> {
    veth(ctx)?;
    t!(ctx
        .conn
        .add_address(&AddrSpec::new("v0", net("10.0.0.1/24"))));
    for (id, gw) in [(1, "10.0.0.2"), (2, "10.0.0.3")] {
        t!(ctx
            .conn
            .add_nexthop(&NexthopSpec::via(id, ip(gw)).dev("v0")));
    }
    let members = vec![
        GroupMember { id: 1, weight: 1 },
        GroupMember { id: 2, weight: 3 },
    ];
    let params = ResilientGroup {
        buckets: Some(8),
        idle_timer: Some(12_000),
        unbalanced_timer: Some(30_000),
        unbalanced_time: None,
    };
    let spec = NexthopSpec {
        group_type: Some(GroupType::RESILIENT),
        resilient: Some(params),
        ..NexthopSpec::group(10, members)
    };
    t!(ctx.conn.add_nexthop(&spec));

    // The group reads back with its parameters, as iproute2 sees them.
    let n = t!(ctx.conn.nexthop(10));
    ensure_eq!(n.group_type, Some(GroupType::RESILIENT));
    let r = n.resilient.ok_or("no NHA_RES_GROUP in the reply")?;
    ensure_eq!(
        (r.buckets, r.idle_timer, r.unbalanced_timer),
        (Some(8), Some(12_000), Some(30_000))
    );
    let theirs = ctx.ip_json(&["nexthop", "show", "id", "10"])?;
    let args = &theirs[0]["resilient_args"];
    ensure_eq!(jn(args, "buckets"), Some(8));
    ensure_eq!(jn(args, "idle_timer"), Some(120));

    // Eight buckets, spread 2:6 by weight, each named as iproute2 names it.
    let all = t!(ctx.conn.nexthop_buckets(&BucketDump {
        id: Some(10),
        ..BucketDump::default()
    }));
    ensure_eq!(all.len(), 8);
    let on = |id| all.iter().filter(|b| b.nh_id == id).count();
    ensure_eq!((on(1), on(2)), (2, 6));
    let theirs = ctx.ip_json(&["nexthop", "bucket", "show", "id", "10"])?;
    let pairs = |v: &Value| {
        v.as_array().map(|a| {
            a.iter()
                .map(|b| (jn(&b["bucket"], "index"), jn(&b["bucket"], "nhid")))
                .collect::<Vec<_>>()
        })
    };
    let ours: Vec<_> = all
        .iter()
        .map(|b| (Some(u64::from(b.index)), Some(u64::from(b.nh_id))))
        .collect();
    ensure_eq!(pairs(&theirs), Some(ours));

    // Filters: by member, and by device (both members leave by v0).
    let on_1 = t!(ctx.conn.nexthop_buckets(&BucketDump {
        nh_id: Some(1),
        ..BucketDump::default()
    }));
    ensure!(
        on_1.len() == 2 && on_1.iter().all(|b| b.nh_id == 1),
        "buckets of member 1: {on_1:?}"
    );
    let v0 = t!(ctx.conn.link_index("v0"));
    let by_dev = t!(ctx.conn.nexthop_buckets(&BucketDump {
        oif: Some(v0),
        ..BucketDump::default()
    }));
    ensure_eq!(by_dev.len(), 8);

    // One bucket; an index past the table is the kernel's ENOENT (2), with its text.
    let b = t!(ctx.conn.nexthop_bucket(10, 3));
    ensure_eq!((b.id, b.index), (10, 3));
    ensure_eq!(
        Some(b.nh_id),
        all.iter().find(|x| x.index == 3).map(|x| x.nh_id)
    );
    let err = ctx
        .conn
        .nexthop_bucket(10, 8)
        .err()
        .ok_or("index 8 of 8 answered")?;
    ensure_eq!(err.errno(), Some(2), "{err}");
    ensure!(
        err.to_string().contains("Bucket index out of bounds"),
        "{err}"
    );
    // A nexthop that is not a group has no buckets (EINVAL, 22).
    let err = ctx
        .conn
        .nexthop_buckets(&BucketDump {
            id: Some(1),
            ..BucketDump::default()
        })
        .err()
        .ok_or("buckets of a plain nexthop")?;
    ensure_eq!(err.errno(), Some(22), "{err}");

    // Group statistics (Linux 6.10+): one entry per member, no traffic.
    let all = t!(ctx.conn.nexthop_group_stats());
    let (_, g) = all
        .iter()
        .find(|(id, _)| *id == 10)
        .ok_or("group 10 not dumped")?;
    let stats: Vec<(u32, u64)> = g.iter().map(|s| (s.id, s.packets)).collect();
    ensure_eq!(stats, [(1, 0), (2, 0)]);
    Ok(())
}
