//! Scenario tests against the live kernel. Each runs in a private network
//! namespace of its own (see the `nl_tests` harness).

use nl_tests::Scenario;

mod conn;
mod links;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut all: Vec<Scenario> = Vec::new();
    all.extend(conn::scenarios());
    all.extend(links::scenarios());
    libtest_mimic::run(&args, nl_tests::trials(&all)).exit();
}
