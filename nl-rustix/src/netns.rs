//! Network namespaces: opening sockets in them, and creating private ones.
//!
//! A netlink socket belongs to the network namespace it was created in, and
//! keeps talking to it whatever thread later uses it. So opening a socket
//! elsewhere means: open the namespace file, spawn a short-lived thread,
//! enter the namespace there (`setns(fd, CLONE_NEWNET)`), create the socket,
//! and hand it back. The caller's own thread never changes namespace.

use crate::socket::{Protocol, Socket};
use crate::{Error, sys};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;
use rustix::thread::{LinkNameSpaceType, ThreadNameSpaceType};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod private;
pub use private::PrivateNetns;

/// Where iproute2 keeps named namespaces (`ip netns add NAME`).
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// A network namespace to open sockets in.
#[derive(Debug, Clone)]
pub enum Netns {
    /// The calling thread's namespace.
    Current,
    /// The namespace of process (or thread) `pid`. The process is pinned
    /// when the call starts (`pidfd_open`, then `setns` on the pidfd; the
    /// namespace file `/proc/PID/ns/net` on kernels before 5.8), and a link
    /// moved there is sent the namespace file opened once
    /// (`IFLA_NET_NS_FD`), never the pid for the kernel to resolve later:
    /// a pid reused meanwhile cannot redirect it.
    Pid(u32),
    /// A namespace file: `/proc/…/ns/net`, or a bind mount such as
    /// `/run/netns/NAME`.
    Path(PathBuf),
    /// A name under `/run/netns`, as `ip -n NAME` takes it.
    Named(String),
    /// An open namespace descriptor.
    Fd(Arc<OwnedFd>),
}

impl Netns {
    /// Interpret `arg` the way `ip -n` does, extended to paths: an argument
    /// containing `/` is a path, anything else a name under `/run/netns`.
    pub fn from_arg(arg: &str) -> Self {
        if arg.contains('/') {
            Self::Path(arg.into())
        } else {
            Self::Named(arg.to_string())
        }
    }

    /// Open the namespace file. For [`Netns::Current`] that is the calling
    /// *thread's* namespace (`/proc/thread-self/ns/net`), which differs from
    /// the process's when the thread entered another one.
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] naming the process or file: `ESRCH` for a process
    /// that does not exist (as [`Netns::run`] reports it), `ENOENT` for a
    /// missing file or name, `EINVAL` for a file or descriptor that is
    /// not a network namespace; [`Error::Invalid`] for a bad name.
    pub fn open_file(&self) -> Result<Arc<OwnedFd>, Error> {
        // The path to open, and what it is (for errors).
        let (path, what) = match self {
            Self::Current => (
                PathBuf::from("/proc/thread-self/ns/net"),
                "the calling thread's network namespace".to_string(),
            ),
            Self::Fd(fd) => {
                check_is_netns(fd, || "the descriptor".to_string())?;
                return Ok(fd.clone());
            }
            Self::Pid(pid) => {
                let path = PathBuf::from(format!("/proc/{pid}/ns/net"));
                return match open_ns(&path) {
                    Ok(fd) => Ok(Arc::new(fd)),
                    // `/proc/PID` is there exactly while the process is.
                    Err(Errno::NOENT) => Err(no_such_process(*pid)),
                    Err(e) => Err(Error::sys(
                        format!(
                            "open the network namespace of process {pid} ({})",
                            path.display()
                        ),
                        e,
                    )),
                };
            }
            Self::Path(p) => (p.clone(), format!("namespace file {}", p.display())),
            Self::Named(n) => {
                check_name(n)?;
                let path = Path::new(NETNS_RUN_DIR).join(n);
                let what = format!("network namespace \"{n}\" ({})", path.display());
                (path, what)
            }
        };
        let fd = match open_ns(&path) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Err(Error::sys(format!("no such {what}"), Errno::NOENT)),
            Err(e) => return Err(Error::sys(format!("open {what}"), e)),
        };
        if !matches!(self, Self::Current) {
            check_is_netns(&fd, || what.clone())?;
        }
        Ok(Arc::new(fd))
    }

    /// Resolve this namespace once, for something that outlives one call
    /// (a loop, a monitor): the namespace file is opened now and held,
    /// and for [`Netns::Pid`] the process is pinned by its pidfd, so that
    /// [`PinnedNetns::check`] can tell when it exits. Whatever happens to
    /// the pid or the path later — the process moves to another
    /// namespace, exits and its pid is reused, the bind mount is replaced
    /// — the pinned namespace stays the one resolved here.
    /// [`Netns::Current`] stays the calling thread's namespace (nothing
    /// outside the thread can redirect it).
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, Netns};
    /// let pinned = Netns::Pid(4242).pin()?;
    /// // … later, as often as needed:
    /// pinned.check()?; // the process still runs
    /// let conn = Conn::open_in(&pinned.netns())?;
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Netns::open_file`]; for [`Netns::Pid`] also `ESRCH` when the
    /// process does not exist or exits while it is being pinned.
    pub fn pin(&self) -> Result<PinnedNetns, Error> {
        let (netns, process) = match self {
            Self::Current => (Self::Current, None),
            Self::Pid(pid) => {
                let pidfd = pidfd(*pid)?;
                let file = self.open_file()?;
                let process = pidfd.map(|pidfd| Process { pid: *pid, pidfd });
                // The pidfd was taken before the file was opened: if the
                // process still runs now, the pid named it when the file
                // was opened, not a process that reused the pid.
                if let Some(p) = &process {
                    p.check()?;
                }
                (Self::Fd(file), process.map(Arc::new))
            }
            Self::Fd(fd) => (Self::Fd(fd.clone()), None),
            Self::Path(_) | Self::Named(_) => (Self::Fd(self.open_file()?), None),
        };
        Ok(PinnedNetns {
            netns,
            process,
            origin: self.to_string(),
        })
    }

    /// Run `f` on a fresh thread inside this namespace and return its
    /// result. Processes spawned by `f` start in the namespace too.
    ///
    /// # Errors
    ///
    /// Opening or entering the namespace fails (`EPERM` without
    /// `CAP_SYS_ADMIN`, `EINVAL` if the file is not a network namespace).
    pub fn run<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T, Error> {
        // A new thread starts in its creator's namespace: nothing to enter.
        let target = match self {
            Self::Current => None,
            Self::Pid(pid) => Some(match pidfd(*pid)? {
                Some(fd) => Target::Process(fd),
                None => Target::File(self.open_file()?),
            }),
            _ => Some(Target::File(self.open_file()?)),
        };
        std::thread::scope(|s| {
            s.spawn(|| {
                if let Some(target) = &target {
                    self.enter(target)
                        .map_err(|e| Error::sys(format!("enter network namespace {self}"), e))?;
                }
                Ok(f())
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// `setns` into `target`'s network namespace (on the helper thread).
    fn enter(&self, target: &Target) -> Result<(), Errno> {
        match target {
            Target::File(fd) => rustix::thread::move_into_link_name_space(
                fd.as_fd(),
                Some(LinkNameSpaceType::Network),
            ),
            Target::Process(pidfd) => {
                match rustix::thread::move_into_thread_name_spaces(
                    pidfd.as_fd(),
                    ThreadNameSpaceType::NETWORK,
                ) {
                    // Kernels before 5.8 take no pidfd in setns; the
                    // namespace file is the next best pin.
                    Err(Errno::INVAL) => {
                        let file = self.open_file().map_err(|_| Errno::INVAL)?;
                        self.enter(&Target::File(file))
                    }
                    other => other,
                }
            }
        }
    }

    /// Open a netlink socket in this namespace.
    ///
    /// # Errors
    ///
    /// As [`Netns::run`], plus socket creation errors.
    pub fn socket(&self, protocol: Protocol) -> Result<Socket, Error> {
        if let Self::Current = self {
            return Socket::open(protocol);
        }
        let mut sock = self.run(|| Socket::open(protocol))??;
        if !matches!(self, Self::Fd(_)) {
            sock.set_netns_given(self.to_string());
        }
        Ok(sock)
    }
}

/// Which network namespace a socket was opened in, as errors name it
/// (`network namespace "blue" (net:[4026532304])`): as the caller named
/// it, if it did, and by inode number, the name `ip netns identify`,
/// `lsns` and `/proc/PID/ns/net` give it.
#[derive(Debug, Clone, Default)]
pub(crate) struct NetnsName {
    pub(crate) given: Option<Arc<str>>,
    pub(crate) inode: Option<u64>,
}

impl NetnsName {
    /// The calling thread's namespace, by inode (best effort: none if
    /// `/proc` is not mounted).
    pub(crate) fn of_this_thread() -> Self {
        Self {
            given: None,
            inode: rustix::fs::stat("/proc/thread-self/ns/net")
                .ok()
                .map(|s| s.st_ino),
        }
    }
}

impl std::fmt::Display for NetnsName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.given, self.inode) {
            (Some(g), Some(i)) => write!(f, "network namespace {g} (net:[{i}])"),
            (Some(g), None) => write!(f, "network namespace {g}"),
            (None, Some(i)) => write!(f, "network namespace net:[{i}]"),
            (None, None) => f.write_str("the network namespace the socket was opened in"),
        }
    }
}

/// What the helper thread of [`Netns::run`] enters.
enum Target {
    /// A namespace file (or descriptor).
    File(Arc<OwnedFd>),
    /// A process, pinned by its pidfd.
    Process(OwnedFd),
}

/// A namespace resolved once ([`Netns::pin`]): its namespace file held
/// open and, when it was named by a process, that process pinned by its
/// pidfd. Clones share both.
#[derive(Debug, Clone)]
pub struct PinnedNetns {
    /// [`Netns::Current`] or [`Netns::Fd`].
    netns: Netns,
    process: Option<Arc<Process>>,
    /// How the caller named it, for messages.
    origin: String,
}

impl PinnedNetns {
    /// The pinned namespace, to open sockets in: a [`Netns::Fd`] (or
    /// [`Netns::Current`]), never re-resolved.
    pub fn netns(&self) -> Netns {
        self.netns.clone()
    }

    /// The process whose namespace this is, when it was named by one
    /// (and the kernel has pidfds).
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.pid)
    }

    /// Whether the namespace is still the one the caller meant: for a
    /// namespace named by a process, that the process still runs. A loop
    /// calls this before each pass and ends when it fails. On a kernel
    /// without pidfds (before 5.3), or for a thread id that is not a
    /// process's, only the namespace file is pinned and this cannot tell
    /// (it returns `Ok`; [`PinnedNetns::pid`] is `None`).
    ///
    /// # Errors
    ///
    /// [`Error::Sys`] with `ESRCH`, naming the process, once it exited.
    pub fn check(&self) -> Result<(), Error> {
        self.process.as_ref().map_or(Ok(()), |p| p.check())
    }
}

impl std::fmt::Display for PinnedNetns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.origin)
    }
}

/// A process pinned by its pidfd.
#[derive(Debug)]
struct Process {
    pid: u32,
    pidfd: OwnedFd,
}

impl Process {
    /// A pidfd polls readable once its process exited.
    fn check(&self) -> Result<(), Error> {
        let mut fds = [rustix::event::PollFd::new(
            &self.pidfd,
            rustix::event::PollFlags::IN,
        )];
        let now = rustix::event::Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        match rustix::event::poll(&mut fds, Some(&now)) {
            Ok(0) => Ok(()),
            Ok(_) => Err(Error::sys(
                format!(
                    "process {} exited: its network namespace is no longer used",
                    self.pid
                ),
                Errno::SRCH,
            )),
            Err(e) => Err(Error::sys(
                format!("poll the pidfd of process {}", self.pid),
                e,
            )),
        }
    }
}

/// Pin process `pid` (`pidfd_open`); `None` on kernels without pidfds,
/// and for a thread id that is not a process's (`EINVAL`: `pidfd_open`
/// takes those only with `PIDFD_THREAD`), which the namespace file pins
/// alone.
fn pidfd(pid: u32) -> Result<Option<OwnedFd>, Error> {
    let p = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| no_such_process(pid))?;
    match rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::SRCH) => Err(no_such_process(pid)),
        Err(Errno::NOSYS | Errno::INVAL) => Ok(None),
        Err(e) => Err(Error::sys(format!("pidfd_open({pid})"), e)),
    }
}

/// Refuse a name that is not one file name under `/run/netns`.
fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(Error::Invalid(format!(
            "bad network namespace name {name:?}"
        )));
    }
    Ok(())
}

/// Process `pid` does not exist: `ESRCH`, whichever call met it (a
/// `pidfd_open`, or its `/proc/PID` being gone).
fn no_such_process(pid: u32) -> Error {
    Error::sys(format!("no such process {pid}"), Errno::SRCH)
}

fn open_ns(path: &Path) -> Result<OwnedFd, Errno> {
    rustix::fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
}

/// `NSFS_MAGIC` (`include/uapi/linux/magic.h`): the file system of
/// namespace files.
const NSFS_MAGIC: i64 = 0x6e73_6673;

/// Refuse a file that is not a network namespace before it is used as
/// one, with the `EINVAL` the kernel would answer, and saying why.
fn check_is_netns(fd: &OwnedFd, what: impl FnOnce() -> String) -> Result<(), Error> {
    match sys::namespace_type(fd) {
        Ok(t) if t == libc::CLONE_NEWNET => Ok(()),
        Ok(_) => Err(Error::sys(
            format!("{} is a namespace, but not a network namespace", what()),
            Errno::INVAL,
        )),
        // Kernels before 4.11 know no NS_GET_NSTYPE: any nsfs file passes.
        Err(Errno::NOTTY) if rustix::fs::fstatfs(fd).is_ok_and(|s| s.f_type == NSFS_MAGIC) => {
            Ok(())
        }
        Err(Errno::NOTTY) => Err(Error::sys(
            format!(
                "{} is not a network namespace (not a namespace file)",
                what()
            ),
            Errno::INVAL,
        )),
        // Whatever else went wrong, entering it will say.
        Err(_) => Ok(()),
    }
}

impl std::fmt::Display for Netns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Current => f.write_str("(current)"),
            Self::Pid(p) => write!(f, "of process {p}"),
            Self::Path(p) => write!(f, "{}", p.display()),
            Self::Named(n) => write!(f, "\"{n}\""),
            Self::Fd(_) => f.write_str("(descriptor)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// Highest pid the kernel allows is below 2^22.
    const NO_PID: u32 = 4_194_304 + 7;

    /// A missing process is `ESRCH` whichever call meets it.
    #[test]
    fn a_missing_process_is_esrch() {
        let want = format!("no such process {NO_PID}: ESRCH (3): no such process");
        let open = Netns::Pid(NO_PID).open_file().unwrap_err();
        let run = Netns::Pid(NO_PID).run(|| ()).unwrap_err();
        for e in [open, run] {
            assert_eq!(e.errno(), Some(libc::ESRCH), "{e}");
            assert_eq!(e.kind(), ErrorKind::NotFound);
            assert_eq!(e.to_string(), want);
        }
    }

    /// Paths are printed once; files that are not network namespaces say so.
    #[test]
    fn namespace_files_are_named_once_and_checked() {
        let e = Netns::Path("/nonexistent/ns".into())
            .open_file()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no such namespace file /nonexistent/ns: ENOENT (2): no such file or directory"
        );
        let e = Netns::Named("nl-unit-nope".into()).open_file().unwrap_err();
        assert_eq!(
            e.to_string(),
            "no such network namespace \"nl-unit-nope\" (/run/netns/nl-unit-nope): ENOENT (2): no such file or directory"
        );
        let e = Netns::Path("/proc/self/status".into())
            .open_file()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "namespace file /proc/self/status is not a network namespace (not a namespace file): EINVAL (22): invalid argument"
        );
        assert_eq!(e.kind(), ErrorKind::Invalid);
        let e = Netns::Path("/proc/self/ns/uts".into())
            .open_file()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "namespace file /proc/self/ns/uts is a namespace, but not a network namespace: EINVAL (22): invalid argument"
        );
        let file = Arc::new(OwnedFd::from(
            std::fs::File::open("/proc/self/status").unwrap(),
        ));
        let e = Netns::Fd(file).open_file().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        // The real thing passes.
        assert!(Netns::Path("/proc/self/ns/net".into()).open_file().is_ok());
        assert!(Netns::Current.open_file().is_ok());
        let e = Netns::Named("a/b".into()).open_file().unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    }
}
