//! Scenario tests against the live kernel. Each runs in a private network
//! namespace of its own (see the `nl_tests` harness).

use nl_tests::Scenario;

mod addrs;
mod batch;
mod builders;
mod conn;
mod errors;
mod example;
mod example_cli;
mod genl;
mod init;
mod link_kinds;
mod links;
mod monitor;
mod mptcp;
mod neighs;
mod nexthops;
mod nft;
mod nft_objects;
mod nft_stmts;
mod pinned;
mod reconcile;
mod reconcile_links;
mod reconcile_props;
mod reconcile_qdiscs;
mod reconcile_truth;
mod routes;
mod rules;
mod socket;
mod tc;
mod tc_monitor;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut all: Vec<Scenario> = Vec::new();
    all.extend(conn::scenarios());
    all.extend(links::scenarios());
    all.extend(link_kinds::scenarios());
    all.extend(addrs::scenarios());
    all.extend(routes::scenarios());
    all.extend(neighs::scenarios());
    all.extend(nexthops::scenarios());
    all.extend(rules::scenarios());
    all.extend(batch::scenarios());
    all.extend(reconcile::scenarios());
    all.extend(reconcile_links::scenarios());
    all.extend(reconcile_truth::scenarios());
    all.extend(reconcile_props::scenarios());
    all.extend(reconcile_qdiscs::scenarios());
    all.extend(example::scenarios());
    all.extend(socket::scenarios());
    all.extend(example_cli::scenarios());
    all.extend(genl::scenarios());
    all.extend(init::scenarios());
    all.extend(mptcp::scenarios());
    all.extend(monitor::scenarios());
    all.extend(nft::scenarios());
    all.extend(nft_stmts::scenarios());
    all.extend(nft_objects::scenarios());
    all.extend(pinned::scenarios());
    all.extend(tc::scenarios());
    all.extend(tc_monitor::scenarios());
    all.extend(errors::scenarios());
    all.extend(builders::scenarios());
    libtest_mimic::run(&args, nl_tests::trials(&all)).exit();
}
