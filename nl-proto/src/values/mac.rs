//! Link-layer (MAC) addresses.

use core::fmt;

/// A 6-byte Ethernet address.
///
/// ```
/// use nl_proto::values::Mac;
/// let mac: Mac = "02:00:5e:10:00:01".parse()?;
/// assert_eq!(mac.octets()[5], 1);
/// assert!(mac.is_locally_administered());
/// # Ok::<(), nl_proto::values::MacParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mac(pub [u8; 6]);

/// A string is not `xx:xx:xx:xx:xx:xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid MAC address (want six hex octets separated by ':')")]
pub struct MacParseError;

impl Mac {
    /// The octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }
    /// Whether the multicast bit is set.
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 1 != 0
    }
    /// Whether the locally-administered bit is set.
    pub const fn is_locally_administered(&self) -> bool {
        self.0[0] & 2 != 0
    }
    /// Whether all zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 6]
    }
}

impl core::str::FromStr for Mac {
    type Err = MacParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 6];
        let mut parts = s.split(':');
        for byte in &mut out {
            let part = parts.next().ok_or(MacParseError)?;
            if part.is_empty() || part.len() > 2 {
                return Err(MacParseError);
            }
            *byte = u8::from_str_radix(part, 16).map_err(|_| MacParseError)?;
        }
        if parts.next().is_some() {
            return Err(MacParseError);
        }
        Ok(Self(out))
    }
}

impl From<[u8; 6]> for Mac {
    fn from(b: [u8; 6]) -> Self {
        Self(b)
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        let m: Mac = "2:0:AB:cd:0:ff".parse().unwrap();
        assert_eq!(m.0, [2, 0, 0xab, 0xcd, 0, 0xff]);
        let mut s = heapless::String::<32>::new();
        core::fmt::write(&mut s, format_args!("{m}")).unwrap();
        assert_eq!(s.as_str(), "02:00:ab:cd:00:ff");
        for bad in [
            "",
            "1:2:3:4:5",
            "1:2:3:4:5:6:7",
            "001:2:3:4:5:6",
            "g:2:3:4:5:6",
            "1::3:4:5:6",
        ] {
            assert_eq!(bad.parse::<Mac>(), Err(MacParseError), "{bad:?}");
        }
    }
}
