// The modules of the `nft` example, included (`include!`) by its
// `main.rs` and by `fuzz_entry.rs`, so the fuzz target and the corpus
// replay compile exactly the modules the binary has. No inner attributes
// or `//!` docs here: `include!` takes items only.

mod actions;
mod anonset;
mod document;
mod exthdr;
mod fields;
mod input;
mod jsonfmt;
mod keys;
mod listing;
mod mangle;
mod matches;
mod merge;
mod namedset;
mod objects;
mod rulelist;
mod settype;
mod sources;
mod stmt;
