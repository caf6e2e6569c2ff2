//! Small checked value types shared by the families.

mod ifname;
mod mac;

pub use ifname::{IfName, IfNameError};
pub use mac::{Mac, MacParseError};
