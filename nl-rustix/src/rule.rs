//! Policy-rule verbs: `ip rule show|add|del`.

use crate::link::ifname;
use crate::{Conn, Error, verb};
use nl_proto::IpNet;
use nl_proto::route::AddrFamily;
use nl_proto::route::route::RouteProtocol;
use nl_proto::route::rule::{self, Rule, RuleAction};

/// A rule to add or delete: `ip rule add|del [from P] [to P] [fwmark M[/MASK]]
/// [iif NAME] [oif NAME] [priority N] [table ID] …`.
///
/// The family follows the prefixes, IPv4 when there are none. On delete,
/// unset fields match any rule.
///
/// ```no_run
/// use nl_rustix::{Conn, RuleSpec};
/// let mut conn = Conn::open()?;
/// conn.add_rule(&RuleSpec::new().from("10.0.0.0/24".parse().unwrap()).table(100).priority(1000))?;
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RuleSpec {
    /// Family; inferred when `None`.
    pub family: Option<AddrFamily>,
    /// Priority (`priority`/`pref`).
    pub priority: Option<u32>,
    /// Source prefix (`from`).
    pub src: Option<IpNet>,
    /// Destination prefix (`to`).
    pub dst: Option<IpNet>,
    /// Table (`table`/`lookup`).
    pub table: Option<u32>,
    /// Action (`blackhole`, `unreachable`, `prohibit`, `goto`…).
    pub action: Option<RuleAction>,
    /// Firewall mark.
    pub fwmark: Option<u32>,
    /// Mark mask.
    pub fwmask: Option<u32>,
    /// Input interface name (`iif`).
    pub iif: Option<String>,
    /// Output interface name (`oif`).
    pub oif: Option<String>,
    /// Target priority of a `goto`.
    pub goto: Option<u32>,
    /// Protocol (`protocol`).
    pub protocol: Option<RouteProtocol>,
    /// `not`.
    pub invert: bool,
    /// `tos`/`dsfield` (0 = any).
    pub tos: u8,
    /// `l3mdev`.
    pub l3mdev: bool,
    /// `uidrange START-END`.
    pub uid_range: Option<(u32, u32)>,
    /// `ipproto P`.
    pub ip_proto: Option<u8>,
    /// `sport START[-END]`.
    pub sport_range: Option<(u16, u16)>,
    /// `dport START[-END]`.
    pub dport_range: Option<(u16, u16)>,
    /// `suppress_prefixlength N`.
    pub suppress_prefixlen: Option<u32>,
    /// `suppress_ifgroup G`.
    pub suppress_ifgroup: Option<u32>,
    /// `realms [FROM/]TO`, as `FROM << 16 | TO`.
    pub flow: Option<u32>,
    /// `tun_id N`.
    pub tun_id: Option<u64>,
    /// `dscp N` (Linux 6.12+).
    pub dscp: Option<u8>,
    /// `flowlabel LABEL[/MASK]` (Linux 6.14+).
    pub flowlabel: Option<(u32, u32)>,
}

impl RuleSpec {
    /// Matches everything; add fields to narrow it.
    pub fn new() -> Self {
        Self::default()
    }
    /// `from PREFIX`.
    #[must_use]
    pub fn from(mut self, p: IpNet) -> Self {
        self.src = Some(p);
        self
    }
    /// `to PREFIX`.
    #[must_use]
    pub fn to(mut self, p: IpNet) -> Self {
        self.dst = Some(p);
        self
    }
    /// `table ID`.
    #[must_use]
    pub fn table(mut self, t: u32) -> Self {
        self.table = Some(t);
        self
    }
    /// `priority N`.
    #[must_use]
    pub fn priority(mut self, p: u32) -> Self {
        self.priority = Some(p);
        self
    }
    /// `fwmark MARK[/MASK]`.
    #[must_use]
    pub fn fwmark(mut self, mark: u32, mask: Option<u32>) -> Self {
        self.fwmark = Some(mark);
        self.fwmask = mask;
        self
    }
    /// `iif NAME`.
    #[must_use]
    pub fn iif(mut self, name: impl Into<String>) -> Self {
        self.iif = Some(name.into());
        self
    }
    /// `oif NAME`.
    #[must_use]
    pub fn oif(mut self, name: impl Into<String>) -> Self {
        self.oif = Some(name.into());
        self
    }
    /// The action (`blackhole`, `unreachable`, `prohibit`, `goto`).
    #[must_use]
    pub fn action(mut self, a: RuleAction) -> Self {
        self.action = Some(a);
        self
    }

    /// Run `f` with the codec's borrowed form of this rule.
    pub(crate) fn with_codec<T>(
        &self,
        f: impl FnOnce(&rule::NewRule<'_>) -> T,
    ) -> Result<T, Error> {
        if let (Some(s), Some(d)) = (self.src, self.dst) {
            if s.addr().is_ipv4() != d.addr().is_ipv4() {
                return Err(Error::Invalid(format!(
                    "from {s} and to {d} are of different families"
                )));
            }
        }
        let iif = self.iif.as_deref().map(ifname).transpose()?;
        let oif = self.oif.as_deref().map(ifname).transpose()?;
        let spec = rule::NewRule {
            family: self.family,
            priority: self.priority,
            src: self.src,
            dst: self.dst,
            table: self.table,
            action: self.action,
            fwmark: self.fwmark,
            fwmask: self.fwmask,
            iif: iif.as_ref(),
            oif: oif.as_ref(),
            goto: self.goto,
            protocol: self.protocol,
            invert: self.invert,
            tos: self.tos,
            l3mdev: self.l3mdev,
            uid_range: self.uid_range,
            ip_proto: self.ip_proto,
            sport_range: self.sport_range,
            dport_range: self.dport_range,
            suppress_prefixlen: self.suppress_prefixlen,
            suppress_ifgroup: self.suppress_ifgroup,
            flow: self.flow,
            tun_id: self.tun_id,
            dscp: self.dscp,
            flowlabel: self.flowlabel,
        };
        Ok(f(&spec))
    }
}

impl Conn {
    /// Rules of `family` (IPv4 if `None`, like `ip rule`): `ip rule show`.
    ///
    /// # Errors
    ///
    /// I/O, kernel or decoding errors.
    pub fn rules(&mut self, family: Option<AddrFamily>) -> Result<Vec<Rule>, Error> {
        self.run(verb::rules(family))
    }

    /// Add a rule: `ip rule add`.
    ///
    /// # Errors
    ///
    /// `EEXIST` for a duplicate, [`Error::Invalid`] for mixed families or a
    /// bad interface name (nothing sent).
    pub fn add_rule(&mut self, spec: &RuleSpec) -> Result<(), Error> {
        self.run(verb::add_rule(spec))
    }

    /// Delete the first rule matching `spec`: `ip rule del`.
    ///
    /// # Errors
    ///
    /// `ENOENT` when none matches.
    pub fn delete_rule(&mut self, spec: &RuleSpec) -> Result<(), Error> {
        self.run(verb::delete_rule(spec))
    }
}

impl From<&Rule> for RuleSpec {
    /// The spec that names this rule (priority included), so deleting what
    /// a dump returned is `conn.delete_rule(&(&rule).into())`.
    fn from(r: &Rule) -> Self {
        Self {
            family: Some(r.family),
            priority: Some(r.pref()),
            src: r.src,
            dst: r.dst,
            table: Some(r.table),
            action: Some(r.action),
            fwmark: r.fwmark,
            fwmask: r.fwmask,
            iif: r.iif.as_ref().map(|n| n.as_str().to_string()),
            oif: r.oif.as_ref().map(|n| n.as_str().to_string()),
            goto: r.goto,
            protocol: r.protocol,
            invert: r.flags.contains(nl_proto::route::rule::RuleFlags::INVERT),
            tos: r.tos,
            l3mdev: r.l3mdev,
            uid_range: r.uid_range,
            ip_proto: r.ip_proto,
            sport_range: r.sport_range,
            dport_range: r.dport_range,
            suppress_prefixlen: r.suppress_prefixlen,
            suppress_ifgroup: r.suppress_ifgroup,
            flow: r.flow,
            tun_id: r.tun_id,
            dscp: r.dscp,
            flowlabel: r.flowlabel,
        }
    }
}

impl RuleSpec {
    /// The desired-state [`Rule`] this spec describes: what
    /// [`nl_proto::diff`] compares. Family inferred as on add, table main
    /// and action `lookup` (or `goto`) when unset.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for mixed families or a bad interface name.
    pub fn to_rule(&self) -> Result<Rule, Error> {
        self.with_codec(|_| ())?;
        let of = |n: Option<IpNet>| n.map(|n| AddrFamily::of(&n.addr()));
        let family = self
            .family
            .or(of(self.src))
            .or(of(self.dst))
            .unwrap_or(AddrFamily::INET);
        let mut r = Rule::new(family);
        r.priority = self.priority;
        r.src = self.src;
        r.dst = self.dst;
        r.table = self.table.unwrap_or(if self.l3mdev {
            0
        } else {
            nl_proto::route::route::Table::MAIN.0
        });
        r.action = self.action.unwrap_or(if self.goto.is_some() {
            RuleAction::GOTO
        } else {
            RuleAction::TO_TBL
        });
        r.fwmark = self.fwmark;
        r.fwmask = self.fwmask;
        r.iif = self.iif.as_deref().map(ifname).transpose()?;
        r.oif = self.oif.as_deref().map(ifname).transpose()?;
        r.goto = self.goto;
        r.protocol = self.protocol;
        r.tos = self.tos;
        r.l3mdev = self.l3mdev;
        r.uid_range = self.uid_range;
        r.ip_proto = self.ip_proto;
        r.sport_range = self.sport_range;
        r.dport_range = self.dport_range;
        r.suppress_prefixlen = self.suppress_prefixlen;
        r.suppress_ifgroup = self.suppress_ifgroup;
        r.flow = self.flow;
        r.tun_id = self.tun_id;
        r.dscp = self.dscp;
        r.flowlabel = self.flowlabel;
        if self.invert {
            r.flags = nl_proto::route::rule::RuleFlags::INVERT;
        }
        Ok(r)
    }
}
