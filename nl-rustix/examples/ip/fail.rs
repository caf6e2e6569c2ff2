//! Why a command failed, what iproute2 prints for it and its exit status.
//! The bottom layer: every other module may use it, it uses none of them.
//!
//! iproute2 6.1 leaves in three ways, and scripts rely on the status:
//!
//! | status | iproute2 does                          | for                                  |
//! |--------|-----------------------------------------|--------------------------------------|
//! | 1      | prints, its command returns -1          | missing device, bad prefix, `ip rule add` alone, a failed `-batch` |
//! | 255    | prints, calls `exit(-1)`                | usage, `invarg`, `duparg`, an incomplete line, an unknown command — also inside `-batch`, which it ends |
//! | 2      | `RTNETLINK answers: …` / `Error: ….`    | the kernel refused                   |

use nl_rustix::{Error, LinkId};
use std::fmt;

/// Why a command failed. Each variant is one of iproute2's ways out.
#[derive(Debug)]
pub(crate) enum Failure {
    /// iproute2 prints a message and its command returns -1: exit 1.
    Arg(String),
    /// iproute2 prints a message and calls `exit(-1)`: exit 255, and a
    /// `-batch` ends there (even with `-force`).
    Usage(String),
    /// The driver or the kernel refused: exit 2 (1 for a missing device,
    /// which iproute2 finds before sending).
    Nl(Error),
    /// Something iproute2 would leave to the kernel, which this `ip` does
    /// not send (a link type it cannot encode): exit 2, as the kernel's
    /// refusal would be.
    Unsupported(String),
    /// A `-batch` line failed (reported already): exit 1.
    Batch,
    /// A command we ran (`ip netns exec`) exited with this status.
    Exit(u8),
}

impl Failure {
    /// A message and exit status 1.
    pub(crate) fn arg(msg: impl Into<String>) -> Self {
        Self::Arg(msg.into())
    }

    /// A message and exit status 255.
    pub(crate) fn usage(msg: impl Into<String>) -> Self {
        Self::Usage(msg.into())
    }

    /// The exit status iproute2 gives for this failure.
    pub(crate) fn status(&self) -> u8 {
        match self {
            Self::Arg(_) | Self::Batch => 1,
            Self::Usage(_) => 255,
            Self::Nl(e) if missing_device(e).is_some() => 1,
            Self::Nl(_) | Self::Unsupported(_) => 2,
            Self::Exit(code) => *code,
        }
    }

    /// Whether iproute2 ends a whole `-batch` here (its `exit(-1)`).
    pub(crate) fn ends_batch(&self) -> bool {
        matches!(self, Self::Usage(_))
    }

    /// Print the failure to stderr: iproute2's line first, our context on
    /// the lines after.
    pub(crate) fn report(&self) {
        eprint!("{self}");
    }

    /// A missing interface in `show` reads `Device "X" does not exist.`
    /// (exit 1) in iproute2, not `Cannot find device`.
    pub(crate) fn no_such_device(self) -> Self {
        match &self {
            Self::Nl(e) => match missing_device(e) {
                Some(dev) => Self::arg(format!("Device \"{dev}\" does not exist.")),
                None => self,
            },
            _ => self,
        }
    }
}

impl Failure {
    /// Where iproute2 resolves a device while it parses (`ip nexthop`),
    /// a missing one is an invalid argument (exit 255).
    pub(crate) fn device_is_argument(self) -> Self {
        match &self {
            Self::Nl(e) => match missing_device(e) {
                Some(dev) => Self::usage(format!(
                    "Error: argument \"{dev}\" is wrong: Device does not exist"
                )),
                None => self,
            },
            _ => self,
        }
    }
}

/// The name of a link that does not exist, when the error is that (by
/// name: iproute2 says `Cannot find device "x"` then).
fn missing_device(e: &Error) -> Option<&str> {
    match e {
        Error::NoSuchLink {
            link: LinkId::Name(n),
            ..
        } => Some(n),
        _ => None,
    }
}

/// `strerror(errno)` as glibc words it (what iproute2 prints after
/// `RTNETLINK answers:`).
pub(crate) fn strerror(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    match text.split_once(" (os error") {
        Some((t, _)) => t.to_string(),
        None => text,
    }
}

impl fmt::Display for Failure {
    /// Every line ends with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Arg(m) | Self::Usage(m) | Self::Unsupported(m) => writeln!(f, "{m}"),
            Self::Batch | Self::Exit(_) => Ok(()),
            Self::Nl(e) => {
                let first = if let Some(dev) = missing_device(e) {
                    format!("Cannot find device \"{dev}\"")
                } else if let Some(msg) = e.kernel_message() {
                    format!("Error: {msg}.")
                } else if let (Error::Kernel { .. }, Some(errno)) = (e, e.errno()) {
                    format!("RTNETLINK answers: {}", strerror(errno))
                } else {
                    // Our own check, before anything was sent.
                    return writeln!(f, "Error: {e}");
                };
                writeln!(f, "{first}")?;
                writeln!(f, "  {e}")
            }
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Nl(e)
    }
}
