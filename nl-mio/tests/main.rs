//! nl-mio against the live kernel. Each scenario runs in a private network
//! namespace of its own (the `nl_tests` harness); without root they are
//! reported ignored with the reason, never passed.

use nl_tests::Scenario;

mod scenarios;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let all: Vec<Scenario> = scenarios::all();
    libtest_mimic::run(&args, nl_tests::trials(&all)).exit();
}
