//! Why a command failed, what tc 6.1 prints and its exit status. The
//! bottom layer: every module may use it, it uses none of them.
//!
//! tc's commands return -1 (exit 255), 1 or 2 (the kernel refused), and
//! its argument checks (`invarg`, `duparg`, `usage`) call `exit(-1)`:
//! 255, ending a `-batch` at once. Any other failing `-batch` line prints
//! `Command failed FILE:LINE` and ends the run with 1 (unless `-force`).

use nl_rustix::Error;

/// A failed command.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What tc prints to stderr (lines, each ending in a newline).
    pub(crate) text: String,
    /// The exit status.
    pub(crate) status: u8,
    /// tc calls `exit()` here: a `-batch` ends at once.
    pub(crate) exits: bool,
}

impl Failure {
    /// A command that returns `status` after printing `msg`.
    pub(crate) fn ret(status: u8, msg: impl Into<String>) -> Self {
        let mut text = msg.into();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Self {
            text,
            status,
            exits: false,
        }
    }

    /// tc's `exit(-1)` after `msg` (usage, invalid argument): 255.
    pub(crate) fn exit(msg: impl Into<String>) -> Self {
        Self {
            exits: true,
            ..Self::ret(255, msg)
        }
    }

    /// The kernel refused a request: `Error: TEXT.` (extack) or
    /// `RTNETLINK answers: STRERROR`, then `more` (tc's own line after
    /// it, e.g. for filters), exit 2. Our own errors before sending read
    /// `Error: …`.
    pub(crate) fn kernel(e: &Error, more: &str) -> Self {
        let mut text = if let Some(msg) = e.kernel_message() {
            let dot = if msg.ends_with('.') { "" } else { "." };
            format!("Error: {msg}{dot}\n")
        } else if let (Error::Kernel { .. }, Some(errno)) = (e, e.errno()) {
            format!("RTNETLINK answers: {}\n", strerror(errno))
        } else {
            format!("Error: {e}\n")
        };
        text.push_str(more);
        Self::ret(2, text)
    }

    pub(crate) fn report(&self) {
        eprint!("{}", self.text);
    }
}

/// `strerror(errno)` as glibc words it.
pub(crate) fn strerror(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    match text.split_once(" (os error") {
        Some((t, _)) => t.to_string(),
        None => text,
    }
}

/// `Cannot find device "X"`: tc's `nodev`, exit 1.
pub(crate) fn nodev(dev: &str) -> Failure {
    Failure::ret(1, format!("Cannot find device \"{dev}\""))
}

/// tc's `invarg`: exit 255.
pub(crate) fn invarg(msg: &str, arg: &str) -> Failure {
    Failure::exit(format!("Error: argument \"{arg}\" is wrong: {msg}"))
}

/// tc's `duparg`: exit 255.
pub(crate) fn duparg(key: &str, arg: &str) -> Failure {
    Failure::exit(format!(
        "Error: duplicate \"{key}\": \"{arg}\" is the second value."
    ))
}

/// tc's `incomplete_command`: exit 255.
pub(crate) fn incomplete() -> Failure {
    Failure::exit("Command line is not complete. Try option \"help\"")
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::kernel(&e, "")
    }
}
