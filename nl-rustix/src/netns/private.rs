//! Private network namespaces: created for this process, optionally
//! named under `/run/netns`, gone when the last handle drops.

use super::{NETNS_RUN_DIR, Netns, check_name};
use crate::{Error, sys};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A new, empty network namespace that lives as long as this handle (or
/// any socket or process inside it).
///
/// This is how tests and sandboxes get a namespace of their own without
/// touching the host's: a thread unshares into a new namespace, opens its
/// namespace file, and exits. [`PrivateNetns::named`] also gives it a
/// name under `/run/netns`, for `ip -n NAME`.
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
    /// The name under `/run/netns`, removed when the last clone drops.
    name: Option<Arc<RunName>>,
}

impl PrivateNetns {
    /// Create one.
    ///
    /// # Errors
    ///
    /// `EPERM` without `CAP_SYS_ADMIN` (run as root, or under `unshare -r`).
    pub fn new() -> Result<Self, Error> {
        let fd = std::thread::spawn(|| -> Result<OwnedFd, Error> {
            sys::unshare_netns().map_err(|e| {
                let what = match e {
                    Errno::PERM => {
                        "create a network namespace (unshare(CLONE_NEWNET), which needs CAP_SYS_ADMIN)"
                    }
                    _ => "create a network namespace (unshare(CLONE_NEWNET))",
                };
                Error::sys(what, e)
            })?;
            rustix::fs::open(
                "/proc/thread-self/ns/net",
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| Error::sys("open /proc/thread-self/ns/net", e))
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok(Self {
            fd: Arc::new(fd),
            name: None,
        })
    }

    /// Create one named `name` under `/run/netns`, as `ip netns add NAME`
    /// does: `ip -n NAME …`, `ip netns exec NAME …` and
    /// [`Netns::Named`] reach it while this handle or a clone lives, and
    /// the name is removed when the last of them drops (the namespace
    /// itself lives on while a socket or process is inside it).
    ///
    /// ```no_run
    /// use nl_rustix::{Conn, LinkSpec, Netns, PrivateNetns};
    /// let ns = PrivateNetns::named("sandbox1")?;
    /// Conn::open_in(&Netns::Named("sandbox1".into()))?.create_link(&LinkSpec::bridge("br0"))?;
    /// // `ip -n sandbox1 link show br0` shows it now.
    /// drop(ns); // `/run/netns/sandbox1` is gone
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Mounts
    ///
    /// The name is a bind mount of the namespace file on an empty file
    /// `/run/netns/NAME` (`/run/netns` is created, mode 0755, if missing),
    /// made in the calling thread's mount namespace; dropping unmounts it
    /// (lazily, `MNT_DETACH`) and removes the file, from the dropping
    /// thread's mount namespace. Unlike `ip netns add`, this does not
    /// make `/run/netns` a shared mount: other mount namespaces see the
    /// name only if `/run/netns` already propagates to them (iproute2
    /// sets that up the first time it adds a name). A process that ends
    /// without dropping the handle leaves the name behind, as `ip netns
    /// add` does; `ip netns del NAME` removes it.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a name that is not one file name;
    /// [`Error::Sys`]: `EEXIST` when the name is taken (nothing is
    /// changed then), `EPERM` without `CAP_SYS_ADMIN`.
    pub fn named(name: &str) -> Result<Self, Error> {
        check_name(name)?;
        let dir = Path::new(NETNS_RUN_DIR);
        match rustix::fs::mkdir(dir, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(Error::sys(format!("create {}", dir.display()), e)),
        }
        let path = dir.join(name);
        // The mount point, created exclusively: a name in use is refused,
        // never mounted over.
        let flags = OFlags::CREATE | OFlags::EXCL | OFlags::RDONLY | OFlags::CLOEXEC;
        match rustix::fs::open(&path, flags, Mode::empty()) {
            Ok(_) => {}
            Err(Errno::EXIST) => {
                return Err(Error::sys(
                    format!(
                        "name the network namespace \"{name}\": {} exists already",
                        path.display()
                    ),
                    Errno::EXIST,
                ));
            }
            Err(e) => return Err(Error::sys(format!("create {}", path.display()), e)),
        }
        // From here on, a failure removes the file again.
        let run_name = RunName { path };
        let ns = Self::new()?;
        rustix::mount::mount_bind(ns.path(), &run_name.path).map_err(|e| {
            Error::sys(
                format!(
                    "bind-mount the network namespace on {}",
                    run_name.path.display()
                ),
                e,
            )
        })?;
        Ok(Self {
            fd: ns.fd,
            name: Some(Arc::new(run_name)),
        })
    }

    /// This namespace as a [`Netns`]. It keeps the namespace alive, but
    /// not its name under `/run/netns`.
    pub fn netns(&self) -> Netns {
        Netns::Fd(self.fd.clone())
    }

    /// Its name under `/run/netns`, if it was created with one
    /// ([`PrivateNetns::named`]).
    pub fn name(&self) -> Option<&str> {
        self.name
            .as_ref()
            .and_then(|n| n.path.file_name())
            .and_then(|n| n.to_str())
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

/// A name under `/run/netns`: the file, and the bind mount on it once
/// made. Dropping removes both.
#[derive(Debug)]
struct RunName {
    path: PathBuf,
}

impl Drop for RunName {
    fn drop(&mut self) {
        // EINVAL when nothing was mounted yet: the file goes all the same.
        let _ = rustix::mount::unmount(&self.path, rustix::mount::UnmountFlags::DETACH);
        let _ = std::fs::remove_file(&self.path);
    }
}
