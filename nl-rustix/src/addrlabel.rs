//! IPv6 address label verbs: `ip addrlabel add|del|list|flush`.

use crate::{Conn, Error, verb};
use nl_proto::route::addrlabel::AddrLabel;

impl Conn {
    /// The IPv6 address label table (RFC 6724): `ip addrlabel list`.
    ///
    /// # Errors
    ///
    /// I/O or kernel errors.
    pub fn addr_labels(&mut self) -> Result<Vec<AddrLabel>, Error> {
        self.run(verb::addr_labels())
    }

    /// Add a label: `ip addrlabel add prefix P [dev D] label L`.
    ///
    /// ```no_run
    /// use nl_rustix::Conn;
    /// use nl_rustix::nl_proto::route::addrlabel::AddrLabel;
    /// let l = AddrLabel { prefix: "2001:db8::".parse().unwrap(), prefix_len: 32, index: 0, label: 99 };
    /// Conn::open()?.add_addr_label(&l)?;
    /// # Ok::<(), nl_rustix::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EEXIST` when the prefix has a label already.
    pub fn add_addr_label(&mut self, label: &AddrLabel) -> Result<(), Error> {
        self.run(verb::add_addr_label(label))
    }

    /// Delete a label: `ip addrlabel del prefix P [dev D] label L`.
    ///
    /// # Errors
    ///
    /// `ESRCH` when there is no such entry.
    pub fn delete_addr_label(&mut self, label: &AddrLabel) -> Result<(), Error> {
        self.run(verb::delete_addr_label(label))
    }
}
