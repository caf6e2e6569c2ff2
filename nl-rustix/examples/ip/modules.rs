// The modules of the `ip` example, included (`include!`) by its
// `main.rs` and by `fuzz_entry.rs`, so the fuzz target and the corpus
// replay compile exactly the modules the binary has. No inner attributes
// or `//!` docs here: `include!` takes items only.

mod addr;
mod addrlabel;
mod batch;
mod bridgeview;
mod dispatch;
mod fail;
mod kinds;
mod link;
mod linkview;
mod monitor;
mod mptcp;
mod neigh;
mod netns;
mod nexthop;
mod plan;
mod render;
mod route;
mod rule;
mod tunnels;
mod values;
mod vxlan;
mod words;
