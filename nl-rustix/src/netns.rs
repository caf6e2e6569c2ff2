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
    /// [`Error::Sys`] naming the process or file (`ENOENT` for a missing
    /// one), [`Error::Invalid`] for a bad name.
    pub fn open_file(&self) -> Result<Arc<OwnedFd>, Error> {
        let (path, what) = match self {
            Self::Current => (
                PathBuf::from("/proc/thread-self/ns/net"),
                "the calling thread's network namespace".to_string(),
            ),
            Self::Fd(fd) => return Ok(fd.clone()),
            Self::Pid(pid) => (
                PathBuf::from(format!("/proc/{pid}/ns/net")),
                format!("process {pid}"),
            ),
            Self::Path(p) => (p.clone(), format!("namespace file {}", p.display())),
            Self::Named(n) => {
                if n.is_empty() || n.contains('/') || n == "." || n == ".." {
                    return Err(Error::Invalid(format!("bad network namespace name {n:?}")));
                }
                (
                    Path::new(NETNS_RUN_DIR).join(n),
                    format!("network namespace \"{n}\""),
                )
            }
        };
        match rustix::fs::open(&path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()) {
            Ok(fd) => Ok(Arc::new(fd)),
            Err(Errno::NOENT) => Err(Error::sys(
                format!("no such {what} ({})", path.display()),
                Errno::NOENT,
            )),
            Err(e) => Err(Error::sys(format!("open {what} ({})", path.display()), e)),
        }
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
        self.run(|| Socket::open(protocol))?
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
    let no_such = || Error::sys(format!("no such process {pid}"), Errno::SRCH);
    let p = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(no_such)?;
    match rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::SRCH) => Err(no_such()),
        Err(Errno::NOSYS | Errno::INVAL) => Ok(None),
        Err(e) => Err(Error::sys(format!("pidfd_open({pid})"), e)),
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

/// A new, empty network namespace that lives as long as this handle (or
/// any socket or process inside it).
///
/// This is how tests and sandboxes get a namespace of their own without
/// touching the host's: a thread unshares into a new namespace, opens its
/// namespace file, and exits.
///
/// ```no_run
/// use nl_rustix::{Conn, PrivateNetns};
/// let ns = PrivateNetns::new()?;
/// let conn = Conn::open_in(&ns.netns())?;
/// assert_ne!(conn.socket().port_id(), 0);
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PrivateNetns {
    fd: Arc<OwnedFd>,
}

impl PrivateNetns {
    /// Create one.
    ///
    /// # Errors
    ///
    /// `EPERM` without `CAP_SYS_ADMIN` (run as root, or under `unshare -r`).
    pub fn new() -> Result<Self, Error> {
        let fd = std::thread::spawn(|| -> Result<OwnedFd, Error> {
            sys::unshare_netns().map_err(|e| Error::sys("unshare(CLONE_NEWNET)", e))?;
            rustix::fs::open(
                "/proc/thread-self/ns/net",
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| Error::sys("open /proc/thread-self/ns/net", e))
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok(Self { fd: Arc::new(fd) })
    }

    /// This namespace as a [`Netns`].
    pub fn netns(&self) -> Netns {
        Netns::Fd(self.fd.clone())
    }

    /// A path naming this namespace while this process lives
    /// (`/proc/PID/fd/N`), for tools such as `nsenter --net=PATH`.
    pub fn path(&self) -> PathBuf {
        use std::os::fd::AsRawFd;
        PathBuf::from(format!(
            "/proc/{}/fd/{}",
            std::process::id(),
            self.fd.as_raw_fd()
        ))
    }
}

impl AsFd for PrivateNetns {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
