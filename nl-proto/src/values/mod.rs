//! Small checked value types shared by the families.

mod ifname;
mod mac;
mod prefix;

pub use ifname::{IfName, IfNameError};
pub use mac::{Mac, MacParseError};
pub use prefix::{AddrParseError, IpNet, Ipv4Net, Ipv6Net, Member, PrefixLenError};
