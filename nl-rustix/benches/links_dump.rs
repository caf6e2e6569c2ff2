//! Dumping 1,000 links: our `Conn::links` against `ip -j link show`, side
//! by side in one run, on the same private namespace.
//!
//! ```text
//! cargo bench -p nl-rustix --bench links_dump
//! ```
//!
//! Needs root (a private network namespace); without it, it says so and
//! exits successfully. Nothing is created outside that namespace.

use nl_rustix::nl_proto::EncodeError;
use nl_rustix::nl_proto::route::link::{self, LinkKind, NewLink};
use nl_rustix::nl_proto::session::Request;
use nl_rustix::nl_proto::values::IfName;
use nl_rustix::nl_proto::wire::MsgWriter;
use nl_rustix::{Conn, PrivateNetns};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LINKS: usize = 1000;
const ITERS: usize = 20;

fn new_bridge(
    name: IfName,
) -> impl for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Result<Request<'w>, EncodeError> + Clone {
    move |w| link::encode_new(w, &NewLink::new(&name, LinkKind::Bridge))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    median(
        (0..ITERS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench` passes `--bench`; a test run (`cargo test --benches`)
    // does not: then just check that it builds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let ns = match PrivateNetns::new() {
        Ok(ns) => ns,
        Err(e) => {
            eprintln!("links_dump: SKIPPED, cannot create a network namespace ({e}); run as root");
            return;
        }
    };
    let netns = ns.netns();
    let mut conn = Conn::open_in(&netns).expect("open a connection in the namespace");
    let t = Instant::now();
    let requests: Vec<_> = (0..LINKS)
        .map(|i| new_bridge(IfName::new(&format!("br{i}")).expect("valid name")))
        .collect();
    let results = conn.batch(requests).expect("batch");
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(
        failed,
        0,
        "creating bridges: {:?}",
        results.iter().find(|r| r.is_err())
    );
    let created = t.elapsed();
    let count = conn.links().expect("dump").len();
    assert_eq!(count, LINKS + 1, "bridges plus lo");
    let json_len = netns
        .run(|| Command::new("ip").args(["-j", "link", "show"]).output())
        .expect("enter namespace")
        .map(|o| o.stdout.len());
    let json_len = match json_len {
        Ok(n) => n,
        Err(e) => {
            eprintln!("links_dump: `ip` is not available ({e}); only our side is measured");
            0
        }
    };

    let ours = measure(|| {
        let links = conn.links().expect("dump");
        assert_eq!(links.len(), LINKS + 1);
    });
    let ours_iter = measure(|| {
        let n = conn
            .links_iter()
            .expect("dump")
            .filter(Result::is_ok)
            .count();
        assert_eq!(n, LINKS + 1);
    });
    let (ip_capture, ip_null) = if json_len > 0 {
        let cap = measure(|| {
            let out = netns
                .run(|| Command::new("ip").args(["-j", "link", "show"]).output())
                .expect("enter namespace")
                .expect("run ip");
            assert!(out.status.success());
        });
        let null = measure(|| {
            let st = netns
                .run(|| {
                    Command::new("ip")
                        .args(["-j", "link", "show"])
                        .stdout(Stdio::null())
                        .status()
                })
                .expect("enter namespace")
                .expect("run ip");
            assert!(st.success());
        });
        (Some(cap), Some(null))
    } else {
        (None, None)
    };
    // The cost of entering the namespace alone (a thread and setns).
    let enter = measure(|| netns.run(|| ()).expect("enter namespace"));

    println!(
        "links_dump: {} links in a private namespace (created with one batch in {:.1} ms), \
         median of {ITERS} runs",
        LINKS + 1,
        ms(created)
    );
    if json_len > 0 {
        println!("`ip -j link show` prints {json_len} bytes");
    }
    println!("{:<52} {:>9} {:>8}", "what", "ms", "× ours");
    let row = |what: &str, d: Duration| {
        println!("{what:<52} {:>9.3} {:>8.1}", ms(d), ms(d) / ms(ours));
    };
    row("nl: conn.links() (dump + decode to Vec<Link>)", ours);
    row("nl: conn.links_iter() (streamed, counted)", ours_iter);
    if let (Some(cap), Some(null)) = (ip_capture, ip_null) {
        row("ip -j link show (spawned in netns, output captured)", cap);
        row("ip -j link show > /dev/null (Netns::run + Command)", null);
    }
    row("Netns::run(|| ()) alone (thread + setns)", enter);
}
