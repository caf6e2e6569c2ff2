//! The typed verbs of [`nl_rustix::Conn`] on the readiness [`Conn`],
//! under the same names and argument types. Each queues the verb's first
//! request and returns a [`Call`]; [`Conn::poll_call`] (or, for a poll
//! that holds only this connection, [`Conn::wait`]) gives its result in
//! the blocking verb's type. The verbs themselves are the values of
//! [`nl_rustix::verb`], which the blocking `Conn` runs too.
//!
//! The examples share this set-up (hidden in them):
//!
//! ```no_run
//! use nl_mio::Conn;
//! use nl_mio::mio::{Interest, Poll, Token};
//! let mut poll = Poll::new()?;
//! let mut conn = Conn::open()?;
//! poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::{Call, Conn};
use nl_rustix::nl_proto::genl::ctrl::Family;
use nl_rustix::nl_proto::genl::ethtool::{LinkInfo, LinkModes};
use nl_rustix::nl_proto::route::AddrFamily;
use nl_rustix::nl_proto::route::addr::Address;
use nl_rustix::nl_proto::route::addrlabel::AddrLabel;
use nl_rustix::nl_proto::route::link::Link;
use nl_rustix::nl_proto::route::neigh::Neighbour;
use nl_rustix::nl_proto::route::nexthop::{Nexthop, NexthopDump};
use nl_rustix::nl_proto::route::nsid::Nsid;
use nl_rustix::nl_proto::route::route::{Route, RouteExtras, RouteGet};
use nl_rustix::nl_proto::route::rule::Rule;
use nl_rustix::nl_proto::route::stats::LinkStats64;
use nl_rustix::nl_proto::tc::chain::Chain;
use nl_rustix::nl_proto::tc::{Handle, Mode, Object, Tc};
use nl_rustix::verb;
use nl_rustix::{
    AddrSpec, Error, IpNet, LinkId, LinkSet, LinkSpec, Mac, Netns, NexthopSpec, Op, RouteSpec,
    RuleSpec, Tables, TcDump, TcSpec,
};
use std::net::IpAddr;
use std::os::fd::AsFd;
use std::sync::Arc;

impl Conn {
    /// All links: as [`nl_rustix::Conn::links`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn links(&mut self) -> Result<Call<Vec<Link>>, Error> {
        self.call(verb::links())
    }

    /// One link, by name or index: as [`nl_rustix::Conn::link`]; a missing one is [`Error::NoSuchLink`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link(&mut self, id: impl Into<LinkId>) -> Result<Call<Link>, Error> {
        self.call(verb::link(id))
    }

    /// The index of a link: as [`nl_rustix::Conn::link_index`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link_index(&mut self, id: impl Into<LinkId>) -> Result<Call<u32>, Error> {
        self.call(verb::link_index(id))
    }

    /// Whether a link is administratively up: as [`nl_rustix::Conn::link_is_up`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link_is_up(&mut self, id: impl Into<LinkId>) -> Result<Call<bool>, Error> {
        self.call(verb::link_is_up(id))
    }

    /// Create a link (`ip link add`, a veth's peer possibly in another namespace): as [`nl_rustix::Conn::create_link`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.create_link(&LinkSpec::veth("veth0", "veth1").up())?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn create_link(&mut self, spec: &LinkSpec) -> Result<Call<()>, Error> {
        self.call(verb::create_link(spec))
    }

    /// Change a link (`ip link set`): as [`nl_rustix::Conn::set_link`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.set_link("veth0", &LinkSet::new().mtu(1400).up())?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn set_link(&mut self, id: impl Into<LinkId>, change: &LinkSet) -> Result<Call<()>, Error> {
        self.call(verb::set_link(id, change))
    }

    /// Move a link into another namespace: as [`nl_rustix::Conn::move_link`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn move_link(&mut self, id: impl Into<LinkId>, to: &Netns) -> Result<Call<()>, Error> {
        self.call(verb::move_link(id, to))
    }

    /// Delete a link (`ip link del`): as [`nl_rustix::Conn::delete_link`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.delete_link("nope0")?;
    /// let err = conn.wait(&mut poll, &call).unwrap_err();
    /// assert!(matches!(err, nl_rustix::Error::NoSuchLink { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_link(&mut self, id: impl Into<LinkId>) -> Result<Call<()>, Error> {
        self.call(verb::delete_link(id))
    }

    /// Add or delete alternative names of a link: as [`nl_rustix::Conn::link_altnames`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link_altnames(
        &mut self,
        id: impl Into<LinkId>,
        names: &[&str],
        add: bool,
    ) -> Result<Call<()>, Error> {
        self.call(verb::link_altnames(id, names, add))
    }

    /// One link's 64-bit statistics: as [`nl_rustix::Conn::link_stats`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn link_stats(&mut self, id: impl Into<LinkId>) -> Result<Call<LinkStats64>, Error> {
        self.call(verb::link_stats(id))
    }

    /// Every link's statistics: as [`nl_rustix::Conn::all_link_stats`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn all_link_stats(&mut self) -> Result<Call<Vec<(u32, LinkStats64)>>, Error> {
        self.call(verb::all_link_stats())
    }

    /// Every address: as [`nl_rustix::Conn::addresses`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn addresses(&mut self, family: Option<AddrFamily>) -> Result<Call<Vec<Address>>, Error> {
        self.call(verb::addresses(family))
    }

    /// One link's addresses: as [`nl_rustix::Conn::addresses_of`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.addresses_of("lo", None)?;
    /// for a in conn.wait(&mut poll, &call)? {
    ///     println!("{}/{}", a.local, a.prefix_len);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn addresses_of(
        &mut self,
        link: impl Into<LinkId>,
        family: Option<AddrFamily>,
    ) -> Result<Call<Vec<Address>>, Error> {
        self.call(verb::addresses_of(link, family))
    }

    /// Add an address (`ip addr add`): as [`nl_rustix::Conn::add_address`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.add_address(&AddrSpec::new("lo", "10.0.0.1/24".parse().unwrap()))?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_address(&mut self, spec: &AddrSpec) -> Result<Call<()>, Error> {
        self.call(verb::add_address(spec))
    }

    /// Add or update an address: as [`nl_rustix::Conn::replace_address`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn replace_address(&mut self, spec: &AddrSpec) -> Result<Call<()>, Error> {
        self.call(verb::replace_address(spec))
    }

    /// Change an existing address: as [`nl_rustix::Conn::change_address`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn change_address(&mut self, spec: &AddrSpec) -> Result<Call<()>, Error> {
        self.call(verb::change_address(spec))
    }

    /// Delete an address: as [`nl_rustix::Conn::delete_address`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_address(
        &mut self,
        link: impl Into<LinkId>,
        prefix: IpNet,
    ) -> Result<Call<()>, Error> {
        self.call(verb::delete_address(link, prefix))
    }

    /// Routes: as [`nl_rustix::Conn::routes`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn routes(
        &mut self,
        family: Option<AddrFamily>,
        tables: Tables,
    ) -> Result<Call<Vec<Route>>, Error> {
        self.call(verb::routes(family, tables))
    }

    /// Routes with their extras: as [`nl_rustix::Conn::routes_full`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn routes_full(
        &mut self,
        family: Option<AddrFamily>,
        tables: Tables,
    ) -> Result<Call<Vec<(Route, RouteExtras)>>, Error> {
        self.call(verb::routes_full(family, tables))
    }

    /// The route the kernel would use for `dst`: as [`nl_rustix::Conn::route_get`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn route_get(&mut self, dst: IpAddr) -> Result<Call<Route>, Error> {
        self.call(verb::route_get(dst))
    }

    /// A route lookup with selectors: as [`nl_rustix::Conn::route_lookup`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn route_lookup(&mut self, req: &RouteGet) -> Result<Call<Route>, Error> {
        self.call(verb::route_lookup(req))
    }

    /// A route lookup with the route's extras: as [`nl_rustix::Conn::route_lookup_full`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn route_lookup_full(
        &mut self,
        req: &RouteGet,
    ) -> Result<Call<(Route, RouteExtras)>, Error> {
        self.call(verb::route_lookup_full(req))
    }

    /// Add a route (`ip route add`): as [`nl_rustix::Conn::add_route`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let spec = RouteSpec::new("10.9.0.0/24".parse().unwrap()).via("10.0.0.2".parse().unwrap());
    /// let call = conn.add_route(&spec)?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_route(&mut self, spec: &RouteSpec) -> Result<Call<()>, Error> {
        self.call(verb::add_route(spec))
    }

    /// Add or update a route: as [`nl_rustix::Conn::replace_route`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn replace_route(&mut self, spec: &RouteSpec) -> Result<Call<()>, Error> {
        self.call(verb::replace_route(spec))
    }

    /// Delete a route: as [`nl_rustix::Conn::delete_route`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_route(&mut self, spec: &RouteSpec) -> Result<Call<()>, Error> {
        self.call(verb::delete_route(spec))
    }

    /// Neighbour entries: as [`nl_rustix::Conn::neighbours`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn neighbours(
        &mut self,
        family: Option<AddrFamily>,
        link: Option<LinkId>,
    ) -> Result<Call<Vec<Neighbour>>, Error> {
        self.call(verb::neighbours(family, link))
    }

    /// Add a permanent neighbour entry: as [`nl_rustix::Conn::add_neighbour`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let mac = "02:00:00:00:00:01".parse().unwrap();
    /// let call = conn.add_neighbour("veth0", "10.0.0.9".parse().unwrap(), Some(mac))?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<Call<()>, Error> {
        self.call(verb::add_neighbour(link, dst, lladdr))
    }

    /// Add or update a permanent neighbour entry: as [`nl_rustix::Conn::replace_neighbour`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn replace_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        lladdr: Option<Mac>,
    ) -> Result<Call<()>, Error> {
        self.call(verb::replace_neighbour(link, dst, lladdr))
    }

    /// Delete a neighbour entry: as [`nl_rustix::Conn::delete_neighbour`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
    ) -> Result<Call<()>, Error> {
        self.call(verb::delete_neighbour(link, dst))
    }

    /// One neighbour entry (with `proxy`, the proxy entry): as
    /// [`nl_rustix::Conn::neighbour`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
        proxy: bool,
    ) -> Result<Call<Neighbour>, Error> {
        self.call(verb::neighbour(link, dst, proxy))
    }

    /// Delete a proxy neighbour entry: as
    /// [`nl_rustix::Conn::delete_proxy_neighbour`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_proxy_neighbour(
        &mut self,
        link: impl Into<LinkId>,
        dst: IpAddr,
    ) -> Result<Call<()>, Error> {
        self.call(verb::delete_proxy_neighbour(link, dst))
    }

    /// The IPv6 address label table: as [`nl_rustix::Conn::addr_labels`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn addr_labels(&mut self) -> Result<Call<Vec<AddrLabel>>, Error> {
        self.call(verb::addr_labels())
    }

    /// Add an address label: as [`nl_rustix::Conn::add_addr_label`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_addr_label(&mut self, label: &AddrLabel) -> Result<Call<()>, Error> {
        self.call(verb::add_addr_label(label))
    }

    /// Delete an address label: as [`nl_rustix::Conn::delete_addr_label`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_addr_label(&mut self, label: &AddrLabel) -> Result<Call<()>, Error> {
        self.call(verb::delete_addr_label(label))
    }

    /// Rules: as [`nl_rustix::Conn::rules`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn rules(&mut self, family: Option<AddrFamily>) -> Result<Call<Vec<Rule>>, Error> {
        self.call(verb::rules(family))
    }

    /// Add a rule (`ip rule add`): as [`nl_rustix::Conn::add_rule`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.add_rule(&RuleSpec::new().priority(100).table(10))?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_rule(&mut self, spec: &RuleSpec) -> Result<Call<()>, Error> {
        self.call(verb::add_rule(spec))
    }

    /// Delete a rule: as [`nl_rustix::Conn::delete_rule`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_rule(&mut self, spec: &RuleSpec) -> Result<Call<()>, Error> {
        self.call(verb::delete_rule(spec))
    }

    /// Nexthop objects: as [`nl_rustix::Conn::nexthops`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nexthops(&mut self, filter: &NexthopDump) -> Result<Call<Vec<Nexthop>>, Error> {
        self.call(verb::nexthops(filter))
    }

    /// One nexthop: as [`nl_rustix::Conn::nexthop`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nexthop(&mut self, id: u32) -> Result<Call<Nexthop>, Error> {
        self.call(verb::nexthop(id))
    }

    /// Add a nexthop (`ip nexthop add`): as [`nl_rustix::Conn::add_nexthop`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let call = conn.add_nexthop(&NexthopSpec::via(7, "10.0.0.2".parse().unwrap()).dev("veth0"))?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn add_nexthop(&mut self, spec: &NexthopSpec) -> Result<Call<()>, Error> {
        self.call(verb::add_nexthop(spec))
    }

    /// Add or replace a nexthop: as [`nl_rustix::Conn::replace_nexthop`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn replace_nexthop(&mut self, spec: &NexthopSpec) -> Result<Call<()>, Error> {
        self.call(verb::replace_nexthop(spec))
    }

    /// Delete a nexthop: as [`nl_rustix::Conn::delete_nexthop`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn delete_nexthop(&mut self, id: u32) -> Result<Call<()>, Error> {
        self.call(verb::delete_nexthop(id))
    }

    /// Apply many mutations, batched (one result per operation, in order): as [`nl_rustix::Conn::apply`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let ops: Vec<Op> = (0..100u8)
    ///     .map(|i| Op::AddRoute(RouteSpec::new(format!("10.1.{i}.0/24").parse().unwrap()).dev("lo")))
    ///     .collect();
    /// let call = conn.apply(&ops)?;
    /// for (op, result) in ops.iter().zip(conn.wait(&mut poll, &call)?) {
    ///     if let Err(e) = result {
    ///         eprintln!("{op:?}: {e}");
    ///     }
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`]; the result's outer error is I/O that left the outcome of operations unknown.
    pub fn apply(&mut self, ops: &[Op]) -> Result<Call<Vec<Result<(), Error>>>, Error> {
        self.call(verb::apply(ops))
    }

    /// Create, replace or change a qdisc, class or filter: as [`nl_rustix::Conn::tc_new`].
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// use nl_rustix::nl_proto::tc::{Handle, Mode, Object};
    /// let call = conn.tc_new(Object::Qdisc, Mode::Add, &TcSpec::new("veth0", Handle::ROOT, "pfifo"))?;
    /// conn.wait(&mut poll, &call)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_new(&mut self, object: Object, mode: Mode, spec: &TcSpec) -> Result<Call<()>, Error> {
        self.call(verb::tc_new(object, mode, spec))
    }

    /// Delete a qdisc, class or filter: as [`nl_rustix::Conn::tc_delete`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_delete(&mut self, object: Object, spec: &TcSpec) -> Result<Call<()>, Error> {
        self.call(verb::tc_delete(object, spec))
    }

    /// Read one qdisc, class or filter: as [`nl_rustix::Conn::tc_get`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_get(&mut self, object: Object, spec: &TcSpec) -> Result<Call<Tc>, Error> {
        self.call(verb::tc_get(object, spec))
    }

    /// Qdiscs, classes or filters: as [`nl_rustix::Conn::tc_dump`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_dump(&mut self, object: Object, what: &TcDump) -> Result<Call<Vec<Tc>>, Error> {
        self.call(verb::tc_dump(object, what))
    }

    /// Every qdisc (on `dev`, or on all links): as [`nl_rustix::Conn::qdiscs`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn qdiscs(&mut self, dev: Option<LinkId>) -> Result<Call<Vec<Tc>>, Error> {
        self.call(verb::qdiscs(dev))
    }

    /// Add a filter chain: as [`nl_rustix::Conn::tc_chain_new`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_chain_new(
        &mut self,
        dev: &LinkId,
        parent: Handle,
        index: u32,
    ) -> Result<Call<()>, Error> {
        self.call(verb::tc_chain_new(dev, parent, index))
    }

    /// Delete a filter chain: as [`nl_rustix::Conn::tc_chain_delete`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_chain_delete(
        &mut self,
        dev: &LinkId,
        parent: Handle,
        index: u32,
    ) -> Result<Call<()>, Error> {
        self.call(verb::tc_chain_delete(dev, parent, index))
    }

    /// Read one filter chain: as [`nl_rustix::Conn::tc_chain_get`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_chain_get(
        &mut self,
        dev: &LinkId,
        parent: Handle,
        index: u32,
    ) -> Result<Call<Chain>, Error> {
        self.call(verb::tc_chain_get(dev, parent, index))
    }

    /// The filter chains under `parent` on `dev`: as
    /// [`nl_rustix::Conn::tc_chains`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn tc_chains(&mut self, dev: &LinkId, parent: Handle) -> Result<Call<Vec<Chain>>, Error> {
        self.call(verb::tc_chains(dev, parent))
    }

    /// A generic netlink family, resolved once per connection: as [`nl_rustix::Conn::genl_family`] (on a connection from [`Conn::open_generic`]).
    ///
    /// ```no_run
    /// # use nl_mio::Conn;
    /// # use nl_mio::mio::{Interest, Poll, Token};
    /// # use nl_rustix::{AddrSpec, LinkSet, LinkSpec, NexthopSpec, Op, RouteSpec, RuleSpec, TcSpec};
    /// # let mut poll = Poll::new()?;
    /// # let mut conn = Conn::open()?;
    /// # poll.registry().register(&mut conn, Token(0), Interest::READABLE)?;
    /// let mut conn = Conn::open_generic()?;
    /// poll.registry().register(&mut conn, Token(1), Interest::READABLE)?;
    /// let call = conn.genl_family("nlctrl")?;
    /// println!("nlctrl is family {:?}", conn.wait(&mut poll, &call)?.id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn genl_family(&mut self, name: &str) -> Result<Call<Arc<Family>>, Error> {
        self.call(verb::genl_family(name))
    }

    /// Every generic netlink family (the cache refilled): as [`nl_rustix::Conn::genl_families`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn genl_families(&mut self) -> Result<Call<Vec<Arc<Family>>>, Error> {
        self.call(verb::genl_families())
    }

    /// A generic netlink multicast group's number: as [`nl_rustix::Conn::genl_group`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn genl_group(&mut self, family: &str, group: &str) -> Result<Call<u32>, Error> {
        self.call(verb::genl_group(family, group))
    }

    /// A device's link modes: as [`nl_rustix::Conn::ethtool_linkmodes`] (generic netlink).
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn ethtool_linkmodes(&mut self, dev: impl Into<LinkId>) -> Result<Call<LinkModes>, Error> {
        self.call(verb::ethtool_linkmodes(dev))
    }

    /// A device's link info: as [`nl_rustix::Conn::ethtool_linkinfo`] (generic netlink).
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn ethtool_linkinfo(&mut self, dev: impl Into<LinkId>) -> Result<Call<LinkInfo>, Error> {
        self.call(verb::ethtool_linkinfo(dev))
    }

    /// Give the namespace open as `ns` the id `nsid` (or one the kernel
    /// picks): as [`nl_rustix::Conn::set_nsid`]. The descriptor is
    /// duplicated, so `ns` may be closed before the request is sent.
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn set_nsid(&mut self, ns: &impl AsFd, nsid: Option<u32>) -> Result<Call<()>, Error> {
        self.call(verb::set_nsid(ns, nsid))
    }

    /// The id this namespace gives the namespace open as `ns`: as
    /// [`nl_rustix::Conn::nsid_of`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nsid_of(&mut self, ns: &impl AsFd) -> Result<Call<Option<u32>>, Error> {
        self.call(verb::nsid_of(ns))
    }

    /// The namespace ids: as [`nl_rustix::Conn::nsids`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nsids(&mut self, target: Option<u32>) -> Result<Call<Vec<Nsid>>, Error> {
        self.call(verb::nsids(target))
    }

    /// One namespace id: as [`nl_rustix::Conn::nsid_lookup`].
    ///
    /// # Errors
    ///
    /// As [`Conn::call`].
    pub fn nsid_lookup(&mut self, nsid: u32, target: Option<u32>) -> Result<Call<Nsid>, Error> {
        self.call(verb::nsid_lookup(nsid, target))
    }
}
