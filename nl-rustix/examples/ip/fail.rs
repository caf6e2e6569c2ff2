//! Why a command failed, what iproute2 prints for it and its exit status.
//! The bottom layer: every other module may use it, it uses none of them.

use nl_rustix::Error;
use std::fmt;

/// Why a command failed. Each variant is one of iproute2's ways out, so
/// a script sees the same status.
#[derive(Debug)]
pub(crate) enum Failure {
    /// iproute2 prints a message and its command returns -1: exit 1
    /// (missing device, bad prefix, `"ip rule add" requires arguments.`).
    Arg(String),
    /// The driver or the kernel refused: exit 2 (1 for a missing device,
    /// which iproute2 finds before sending).
    Nl(Error),
}

impl Failure {
    /// A message and exit status 1.
    pub(crate) fn arg(msg: impl Into<String>) -> Self {
        Self::Arg(msg.into())
    }

    /// The exit status iproute2 gives for this failure.
    pub(crate) fn status(&self) -> u8 {
        match self {
            Self::Arg(_) => 1,
            Self::Nl(_) => 2,
        }
    }

    /// Print the failure to stderr: iproute2's line first, our context on
    /// the lines after.
    pub(crate) fn report(&self) {
        eprint!("{self}");
    }
}

impl fmt::Display for Failure {
    /// Every line ends with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Arg(m) => writeln!(f, "{m}"),
            Self::Nl(e) => writeln!(f, "Error: {e}"),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Nl(e)
    }
}
