// The `ip` example's parser without its `main`, for the fuzz target
// `ip_argv` (fuzz/fuzz_targets/ip_argv.rs) and its corpus replay
// (nl-rustix/tests/ip_argv_corpus.rs), which `include!` this file at
// their crate root: the example's modules then resolve `crate::…` as
// in the binary. No inner attributes or `//!` docs: `include!` takes
// items only.

include!("modules.rs");

/// The `ip_argv` fuzz body: the words of a command line, split at NUL
/// bytes (each lossily UTF-8), through the global options and the
/// dispatcher to a plan, which is not run. Checks: no panic, and every
/// failure carries one of iproute2's exit statuses.
pub fn ip_argv(data: &[u8]) {
    let args: Vec<String> = data
        .split(|&b| b == 0)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    let result = words::Opts::parse(&args).and_then(|(opts, rest)| {
        // `-V` and `-n` act before the dispatcher, with I/O; `-batch`
        // reads a file. The line itself is planned either way.
        dispatch::plan_line(&opts, &rest).map(|_| ())
    });
    if let Err(e) = result {
        assert!(
            matches!(e.status(), 1 | 2 | 255),
            "exit status {} for {e:?}",
            e.status()
        );
    }
}
