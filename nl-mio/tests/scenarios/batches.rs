//! nfnetlink batches: a span that must reach the kernel in one datagram.

use super::{CONN, result_of, run_until_idle};
use mio::{Interest, Poll};
use nl_mio::{Conn, EncodeFn, Outcome};
use nl_proto::nfnl::nft::{self, Table};
use nl_proto::nfnl::{NfProto, Subsys, batch};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "batches::nftables_batch_goes_whole_even_over_budget",
            needs_kinds: &[],
            needs_ip: false,
            run: nftables_batch,
        },
        Scenario {
            name: "batches::nftables_1100_tables_in_one_batch",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| many_tables(ctx, 1100),
        },
        Scenario {
            name: "batches::nftables_8000_tables_in_one_batch",
            needs_kinds: &[],
            needs_ip: false,
            run: |ctx| many_tables(ctx, 8000),
        },
    ]
}

/// Review M1: a batch of more than 1,024 messages used to wait for a
/// session slot per member and was never sent (ETIMEDOUT after 10 s), and
/// one over the default send buffer (~208 KiB: 8,000 tables) failed with
/// EMSGSIZE. Both commit, and the kernel lists every table.
fn many_tables(ctx: &mut Ctx, n: usize) -> Result<(), Failed> {
    use nl_rustix::encoder;
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Netfilter));
    let mut conn = t!(Conn::with_socket(sock));
    let mut poll = t!(Poll::new());
    t!(poll
        .registry()
        .register(&mut conn, CONN, Interest::READABLE));
    let names: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    let begin = encoder(|w| batch::begin_batch(w, Subsys::NFTABLES));
    let end = encoder(|w| batch::end_batch(w, Subsys::NFTABLES));
    let tables: Vec<_> = names
        .iter()
        .map(|name| encoder(move |w| nft::encode_new_table(w, NfProto::INET, name)))
        .collect();
    let mut seq: Vec<&dyn nl_rustix::Encode> = vec![&begin];
    seq.extend(tables.iter().map(|t| t as &dyn nl_rustix::Encode));
    seq.push(&end);
    let ids = t!(conn.submit_batch(seq));
    ensure_eq!(ids.len(), n + 2);
    let list = t!(conn.submit(|w: &mut _| nft::encode_dump_tables(w, NfProto::INET)));
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), n + 3);
    for id in &ids {
        ensure!(
            result_of(&done, *id)?.is_ok(),
            "{id}: {:?}",
            result_of(&done, *id)?
        );
    }
    let listed = t!(result_of(&done, list)?
        .as_ref()
        .map_err(|e| e.to_string())?
        .decode(|m| Table::decode(m).map(Some)));
    ensure_eq!(listed.len(), n, "every table is listed");
    Ok(())
}

fn nftables_batch(ctx: &mut Ctx) -> Result<(), Failed> {
    let sock = t!(ctx.netns().socket(nl_rustix::Protocol::Netfilter));
    let mut conn = t!(Conn::with_socket(sock));
    let poll = t!(Poll::new());
    t!(poll
        .registry()
        .register(&mut conn, CONN, Interest::READABLE));
    let mut poll = poll;
    // Room for one answer: cut by the budget, BEGIN would go alone and
    // the kernel would abort the batch for its missing END.
    conn.pipeline_mut().set_budget(1);
    let list = t!(conn.submit(|w: &mut _| nft::encode_dump_tables(w, NfProto::UNSPEC)));
    let first = t!(conn.submit_batch([
        (|w| batch::begin_batch(w, Subsys::NFTABLES)) as EncodeFn,
        |w| nft::encode_new_table(w, NfProto::INET, "nl_mio_a"),
        |w| nft::encode_new_table(w, NfProto::INET, "nl_mio_b"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
    ]));
    // EXCL on an existing table: fails against that item only.
    let second = t!(conn.submit_batch([
        (|w| batch::begin_batch(w, Subsys::NFTABLES)) as EncodeFn,
        |w| nft::encode_create_table(w, NfProto::INET, "nl_mio_a"),
        |w| batch::end_batch(w, Subsys::NFTABLES),
    ]));
    let again = t!(conn.submit(|w: &mut _| nft::encode_dump_tables(w, NfProto::UNSPEC)));
    let done = run_until_idle(&mut poll, &mut conn)?;
    ensure_eq!(done.len(), 2 + first.len() + second.len());

    let before = result_of(&done, list)?
        .as_ref()
        .map_err(|e| e.to_string())?;
    ensure!(before.is_empty(), "a new namespace has no tables");
    for id in [first[0], first[3]] {
        let a = result_of(&done, id)?.as_ref().map_err(|e| e.to_string())?;
        ensure_eq!(a.outcome(), Outcome::Sent);
    }
    // The second batch was aborted: its other requests say which failed.
    for id in [second[0], second[2]] {
        let e = result_of(&done, id)?
            .as_ref()
            .err()
            .ok_or("aborted batch committed")?;
        ensure!(
            matches!(e, nl_mio::Error::BatchAborted { failed: Some(1) }),
            "{e:?}"
        );
    }
    for id in [first[1], first[2]] {
        let a = result_of(&done, id)?
            .as_ref()
            .map_err(|e| format!("{id}: {e}"))?;
        ensure_eq!(a.outcome(), Outcome::Acked);
    }
    let e = result_of(&done, second[1])?
        .as_ref()
        .err()
        .ok_or("EXCL create of an existing table succeeded")?;
    ensure_eq!(e.errno(), Some(17), "{e}");
    let tables = t!(result_of(&done, again)?
        .as_ref()
        .map_err(|e| e.to_string())?
        .decode(|m| Table::decode(m).map(Some)));
    let mut names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    ensure_eq!(names, ["nl_mio_a", "nl_mio_b"]);
    Ok(())
}
