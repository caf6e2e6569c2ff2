//! The request/reply state machine.

mod request;

pub use request::{Expect, Request};
