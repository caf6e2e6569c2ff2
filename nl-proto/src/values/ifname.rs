//! Interface names.

use core::fmt;

/// An interface name: 1 to 15 bytes (`IFNAMSIZ` - 1), no NUL, no `/`, no
/// whitespace, not `.` or `..` — the rules of the kernel's `dev_valid_name`.
/// Checked at construction, so a request can never carry a name the
/// kernel would cut or refuse for its shape.
///
/// ```
/// use nl_proto::values::IfName;
/// assert_eq!(IfName::new("eth0")?.as_str(), "eth0");
/// assert!(IfName::new("a-name-of-16-byt").is_err());
/// # Ok::<(), nl_proto::values::IfNameError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IfName(heapless::String<15>);

/// Why a string is not a valid interface name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IfNameError {
    /// Empty.
    #[error("interface name is empty")]
    Empty,
    /// Longer than 15 bytes.
    #[error("interface name is {len} bytes, the limit is 15")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Contains NUL, `/`, `:` or whitespace, or is `.`/`..`.
    #[error("interface name contains a character the kernel refuses")]
    BadChar,
}

impl IfName {
    /// The longest name, in bytes.
    pub const MAX_LEN: usize = 15;

    /// Check and copy `name`.
    ///
    /// # Errors
    ///
    /// [`IfNameError`] if the kernel would not accept it.
    pub fn new(name: &str) -> Result<Self, IfNameError> {
        if name.is_empty() {
            return Err(IfNameError::Empty);
        }
        if name.len() > Self::MAX_LEN {
            return Err(IfNameError::TooLong { len: name.len() });
        }
        if name == "."
            || name == ".."
            || name
                .bytes()
                .any(|b| b == 0 || b == b'/' || b == b':' || b.is_ascii_whitespace())
        {
            return Err(IfNameError::BadChar);
        }
        let mut s = heapless::String::new();
        s.push_str(name)
            .map_err(|_| IfNameError::TooLong { len: name.len() })?;
        Ok(Self(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::str::FromStr for IfName {
    type Err = IfNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl core::ops::Deref for IfName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert!(IfName::new("abcdefghijklmno").is_ok());
        assert_eq!(
            IfName::new("abcdefghijklmnop"),
            Err(IfNameError::TooLong { len: 16 })
        );
        assert_eq!(IfName::new(""), Err(IfNameError::Empty));
        for bad in ["a b", "a/b", "a:b", ".", "..", "a\0"] {
            assert_eq!(IfName::new(bad), Err(IfNameError::BadChar), "{bad:?}");
        }
    }
}
