// The modules of the `ip` example, included (`include!`) by its
// `main.rs` and by `fuzz_entry.rs`, so the fuzz target and the corpus
// replay compile exactly the modules the binary has. No inner attributes
// or `//!` docs here: `include!` takes items only.

mod addr;
mod addrlabel;
mod batch;
mod bridgeview;
mod dispatch;
mod encap;
mod fail;
mod kinds;
mod link;
mod linkview;
mod monitor;
mod mptcp;
mod neigh;
mod netns;
mod nexthop;
mod nhbucket;
mod plan;
#[path = "../shared/pretty_json.rs"]
mod pretty_json;
mod render;
mod route;
mod rule;
#[path = "../shared/words.rs"]
mod shared_words;
mod tunnels;
mod values;
mod vxlan;
mod words;
