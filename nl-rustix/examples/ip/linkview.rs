//! The link header: one link as `ip [-d] [-s [-s]] link` prints it (text
//! and JSON), also the header of each link in `ip address`. Rendering
//! only — no parsing, no I/O.

use crate::bridgeview;
use crate::render::Names;
use crate::vxlan::Vxlan;
use nl_rustix::nl_proto::route::link::{
    IfFlags, IpvlanMode, Link, LinkInfoAttrs, LinkInfoData, MacvlanMode, VlanProtocol,
    link_type_name,
};
use nl_rustix::nl_proto::route::stats::LinkStats64;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;

/// How to render a link (iproute2's `print_linkinfo`), for `ip link` and
/// as the header of each link in `ip address`.
pub(crate) struct View<'a> {
    pub(crate) names: &'a Names,
    pub(crate) details: bool,
    /// 0: no stats, 1: `-s`, 2: `-s -s`.
    pub(crate) stats: u8,
    /// `ip link` (iproute2's `do_link`): the link mode, alias and
    /// statistics too.
    pub(crate) do_link: bool,
    /// The `link/…` line (iproute2 leaves it out of `ip -4|-6 address`).
    pub(crate) lladdr: bool,
    /// With `-d`: each link's kind options the link codec leaves raw
    /// (a bridge's, a bridge port's), by index.
    pub(crate) extras: Option<&'a HashMap<u32, LinkInfoAttrs>>,
}

impl View<'_> {
    /// The flag names iproute2 prints, including `M-DOWN` when the parent
    /// (`IFLA_LINK`, same namespace) is down.
    fn flag_names(&self, l: &Link) -> Vec<String> {
        let mut v: Vec<String> = l.flags.iproute2_names().map(str::to_string).collect();
        let rest = l.flags.unnamed_bits();
        if rest != 0 {
            v.push(format!("{rest:x}"));
        }
        if let (Some(parent), None) = (l.link, l.link_netnsid) {
            if parent != 0 && !self.names.is_up(parent) {
                v.push("M-DOWN".into());
            }
        }
        v
    }

    fn group(l: &Link) -> String {
        match l.group {
            Some(0) | None => "default".into(),
            Some(g) => g.to_string(),
        }
    }

    /// One link as `ip [-d] [-s] link` prints it, without the final
    /// newline.
    pub(crate) fn text(&self, l: &Link, out: &mut String) {
        let _ = write!(out, "{}: {}", l.index, l.name);
        match (l.link, l.link_netnsid) {
            (Some(0), _) => out.push_str("@NONE"),
            (Some(p), Some(_)) => {
                let _ = write!(out, "@if{p}");
            }
            (Some(p), None) => {
                let _ = write!(out, "@{}", self.names.name(p));
            }
            (None, _) => {}
        }
        let _ = write!(out, ": <{}>", self.flag_names(l).join(","));
        if let Some(m) = l.mtu {
            let _ = write!(out, " mtu {m}");
        }
        if let Some(q) = &l.qdisc {
            let _ = write!(out, " qdisc {q}");
        }
        if let Some(m) = l.master {
            let _ = write!(out, " master {}", self.names.name(m));
        }
        let _ = write!(out, " state {}", operstate(l));
        if let (Some(m), true) = (l.linkmode, self.do_link) {
            let _ = write!(out, " mode {}", linkmode(m));
        }
        let _ = write!(out, " group {}", Self::group(l));
        if let Some(q) = l.txqlen {
            let _ = write!(out, " qlen {q}");
        }
        if self.lladdr {
            // iproute2 prints `link/TYPE ` then the address: a link
            // without one (`link/none`) keeps the space.
            let _ = write!(out, "\n    link/{} ", link_type(l));
            if !l.address_raw.is_empty() {
                let _ = write!(out, "{}", hex(&l.address_raw));
            }
            if !l.broadcast_raw.is_empty() {
                let word = if l.flags.contains(IfFlags::POINTOPOINT) {
                    "peer"
                } else {
                    "brd"
                };
                let _ = write!(out, " {word} {}", hex(&l.broadcast_raw));
            }
        }
        if let Some(id) = l.link_netnsid {
            let _ = write!(out, " link-netnsid {id}");
        }
        if self.details {
            if let Some(p) = l.promiscuity {
                let _ = write!(out, " promiscuity {p} ");
            }
            if let Some(a) = l.allmulti {
                let _ = write!(out, " allmulti {a}");
            }
            if let Some(m) = l.min_mtu {
                let _ = write!(out, " minmtu {m}");
            }
            if let Some(m) = l.max_mtu {
                let _ = write!(out, " maxmtu {m}");
            }
            out.push(' ');
            let extra = self.extras.and_then(|e| e.get(&l.index));
            if let Some(k) = &l.kind {
                let _ = write!(out, "\n    {k} ");
                self.info_text(l, out);
                if let Some(x) = extra {
                    bridgeview::text(k, false, &x.data, out);
                }
            }
            if let Some(k) = &l.slave_kind {
                let _ = write!(out, "\n    {k}_slave ");
                if let Some(x) = extra {
                    bridgeview::text(k, true, &x.slave, out);
                }
            }
            if let (Some(m), true) = (l.addr_gen_mode, self.do_link) {
                let _ = write!(out, "addrgenmode {} ", addr_gen_mode(m));
            }
            for (word, _, v) in sizes(l) {
                let _ = write!(out, "{word} {v} ");
            }
            if let (Some(bus), Some(dev)) = (&l.parent_bus, &l.parent_dev) {
                let _ = write!(out, "parentbus {bus} parentdev {dev} ");
            }
        }
        if let (Some(a), true) = (&l.alias, self.do_link || self.details) {
            let _ = write!(out, "\n    alias {a}");
        }
        for n in &l.altnames {
            let _ = write!(out, "\n    altname {n}");
        }
        if let (Some(s), true) = (&l.stats, self.do_link && self.stats > 0) {
            stats_text(s, l.carrier_changes, self.stats > 1, out);
        }
    }

    fn info_text(&self, l: &Link, out: &mut String) {
        match &l.info {
            LinkInfoData::Macvlan { mode: Some(m) } => {
                let _ = write!(out, "mode {} ", macvlan_mode_name(*m));
            }
            LinkInfoData::Ipvlan { mode: Some(m) } => {
                let _ = write!(out, "mode {} ", ipvlan_mode_name(*m));
            }
            LinkInfoData::Vlan { id, protocol, .. } => {
                if let Some(p) = protocol {
                    let _ = write!(out, "protocol {} ", vlan_protocol_name(*p));
                }
                if let Some(id) = id {
                    let _ = write!(out, "id {id} ");
                }
            }
            LinkInfoData::Vxlan {
                id,
                port,
                local,
                remote,
                link,
                options,
            } => Vxlan {
                id: *id,
                port: *port,
                local: *local,
                remote: *remote,
                link: *link,
                options,
            }
            .text(self.names, out),
            _ => {}
        }
    }

    /// `NAME@PARENT` as `-br` prints it in its first column.
    fn name_at(&self, l: &Link) -> String {
        match (l.link, l.link_netnsid) {
            (Some(0), _) => format!("{}@NONE", l.name),
            (Some(p), Some(_)) => format!("{}@if{p}", l.name),
            (Some(p), None) => format!("{}@{}", l.name, self.names.name(p)),
            (None, _) => l.name.to_string(),
        }
    }

    /// The first two columns of `ip -br link|address`: name and state.
    pub(crate) fn brief_head(&self, l: &Link, out: &mut String) {
        let _ = write!(out, "{:<16} {:<14} ", self.name_at(l), operstate(l));
    }

    /// One link as `ip -br link` prints it (with its newline).
    pub(crate) fn brief_text(&self, l: &Link, out: &mut String) {
        self.brief_head(l, out);
        if !l.address_raw.is_empty() {
            let _ = write!(out, "{} ", hex(&l.address_raw));
        }
        let _ = writeln!(out, "<{}> ", self.flag_names(l).join(","));
    }

    /// The leading members of a `-br -j` record: `link`, `ifname`,
    /// `operstate`.
    pub(crate) fn brief_json_head(&self, l: &Link) -> Map<String, Value> {
        let mut m = Map::new();
        match (l.link, l.link_netnsid) {
            (Some(0), _) => {
                m.insert("link".into(), Value::Null);
            }
            (Some(p), Some(_)) => {
                m.insert("link_index".into(), json!(p));
            }
            (Some(p), None) => {
                m.insert("link".into(), json!(self.names.name(p)));
            }
            (None, _) => {}
        }
        m.insert("ifname".into(), json!(l.name.as_str()));
        m.insert("operstate".into(), json!(operstate(l)));
        m
    }

    /// One link as `ip -br -j link` prints it.
    pub(crate) fn brief_json(&self, l: &Link) -> Value {
        let mut m = self.brief_json_head(l);
        if !l.address_raw.is_empty() {
            m.insert("address".into(), json!(hex(&l.address_raw)));
        }
        m.insert("flags".into(), json!(self.flag_names(l)));
        Value::Object(m)
    }

    /// One link as `ip -j [-d] [-s] link` prints it.
    pub(crate) fn json(&self, l: &Link) -> Value {
        let mut m = Map::new();
        m.insert("ifindex".into(), json!(l.index));
        match (l.link, l.link_netnsid) {
            (Some(0), _) => {
                m.insert("link".into(), Value::Null);
            }
            (Some(p), Some(_)) => {
                m.insert("link_index".into(), json!(p));
            }
            (Some(p), None) => {
                m.insert("link".into(), json!(self.names.name(p)));
            }
            (None, _) => {}
        }
        m.insert("ifname".into(), json!(l.name.as_str()));
        m.insert("flags".into(), json!(self.flag_names(l)));
        if let Some(v) = l.mtu {
            m.insert("mtu".into(), json!(v));
        }
        if let Some(q) = &l.qdisc {
            m.insert("qdisc".into(), json!(q.as_str()));
        }
        if let Some(v) = l.master {
            m.insert("master".into(), json!(self.names.name(v)));
        }
        m.insert("operstate".into(), json!(operstate(l)));
        if let (Some(v), true) = (l.linkmode, self.do_link) {
            m.insert("linkmode".into(), json!(linkmode(v)));
        }
        m.insert("group".into(), json!(Self::group(l)));
        if let Some(v) = l.txqlen {
            m.insert("txqlen".into(), json!(v));
        }
        if self.lladdr {
            m.insert("link_type".into(), json!(link_type(l)));
            if !l.address_raw.is_empty() {
                m.insert("address".into(), json!(hex(&l.address_raw)));
            }
            if !l.broadcast_raw.is_empty() {
                if l.flags.contains(IfFlags::POINTOPOINT) {
                    m.insert("link_pointtopoint".into(), json!(true));
                }
                m.insert("broadcast".into(), json!(hex(&l.broadcast_raw)));
            }
        }
        if let Some(id) = l.link_netnsid {
            m.insert("link_netnsid".into(), json!(id));
        }
        if self.details {
            if let Some(v) = l.promiscuity {
                m.insert("promiscuity".into(), json!(v));
            }
            if let Some(v) = l.allmulti {
                m.insert("allmulti".into(), json!(v));
            }
            if let Some(v) = l.min_mtu {
                m.insert("min_mtu".into(), json!(v));
            }
            if let Some(v) = l.max_mtu {
                m.insert("max_mtu".into(), json!(v));
            }
            if l.kind.is_some() || l.slave_kind.is_some() {
                let mut info = Map::new();
                let extra = self.extras.and_then(|e| e.get(&l.index));
                if let Some(k) = &l.kind {
                    info.insert("info_kind".into(), json!(k.as_str()));
                    let data = self
                        .info_json(l)
                        .or_else(|| bridgeview::json(k, false, &extra?.data));
                    if let Some(d) = data {
                        info.insert("info_data".into(), Value::Object(d));
                    }
                }
                if let Some(k) = &l.slave_kind {
                    info.insert("info_slave_kind".into(), json!(k.as_str()));
                    if let Some(d) = extra.and_then(|x| bridgeview::json(k, true, &x.slave)) {
                        info.insert("info_slave_data".into(), Value::Object(d));
                    }
                }
                m.insert("linkinfo".into(), Value::Object(info));
            }
            if let (Some(v), true) = (l.addr_gen_mode, self.do_link) {
                m.insert("inet6_addr_gen_mode".into(), json!(addr_gen_mode(v)));
            }
            for (_, key, v) in sizes(l) {
                m.insert(key.into(), json!(v));
            }
            if let (Some(bus), Some(dev)) = (&l.parent_bus, &l.parent_dev) {
                m.insert("parentbus".into(), json!(bus.as_str()));
                m.insert("parentdev".into(), json!(dev.as_str()));
            }
        }
        if let (Some(a), true) = (&l.alias, self.do_link || self.details) {
            m.insert("ifalias".into(), json!(a.as_str()));
        }
        if !l.altnames.is_empty() {
            let names: Vec<&str> = l.altnames.iter().map(|n| n.as_str()).collect();
            m.insert("altnames".into(), json!(names));
        }
        if let (Some(s), true) = (&l.stats, self.do_link && self.stats > 0) {
            m.insert(
                "stats64".into(),
                stats_json(s, l.carrier_changes, self.stats > 1),
            );
        }
        Value::Object(m)
    }

    fn info_json(&self, l: &Link) -> Option<Map<String, Value>> {
        let mut d = Map::new();
        match &l.info {
            LinkInfoData::Macvlan { mode: Some(m) } => {
                d.insert("mode".into(), json!(macvlan_mode_name(*m)));
            }
            LinkInfoData::Ipvlan { mode: Some(m) } => {
                d.insert("mode".into(), json!(ipvlan_mode_name(*m)));
            }
            LinkInfoData::Vlan { id, protocol, .. } => {
                if let Some(p) = protocol {
                    d.insert("protocol".into(), json!(vlan_protocol_name(*p)));
                }
                if let Some(id) = id {
                    d.insert("id".into(), json!(id));
                }
            }
            LinkInfoData::Vxlan {
                id,
                port,
                local,
                remote,
                link,
                options,
            } => {
                d = Vxlan {
                    id: *id,
                    port: *port,
                    local: *local,
                    remote: *remote,
                    link: *link,
                    options,
                }
                .json(self.names);
            }
            _ => return None,
        }
        Some(d)
    }
}

/// The queue counts and offload sizes `-d` prints after the link kind:
/// (text word, JSON key, value), in iproute2's order.
fn sizes(l: &Link) -> impl Iterator<Item = (&'static str, &'static str, u32)> {
    [
        ("numtxqueues", "num_tx_queues", l.num_tx_queues),
        ("numrxqueues", "num_rx_queues", l.num_rx_queues),
        ("gso_max_size", "gso_max_size", l.gso_max_size),
        ("gso_max_segs", "gso_max_segs", l.gso_max_segs),
        ("tso_max_size", "tso_max_size", l.tso_max_size),
        ("tso_max_segs", "tso_max_segs", l.tso_max_segs),
        ("gro_max_size", "gro_max_size", l.gro_max_size),
    ]
    .into_iter()
    .filter_map(|(word, key, v)| v.map(|v| (word, key, v)))
}

/// `IN6_ADDR_GEN_MODE_*` as iproute2 names it.
fn addr_gen_mode(m: u8) -> String {
    match m {
        0 => "eui64".into(),
        1 => "none".into(),
        2 => "stable_secret".into(),
        3 => "random".into(),
        n => format!("addrgenmode {n:#x}"),
    }
}

fn operstate(l: &Link) -> String {
    l.operstate
        .name()
        .map_or_else(|| l.operstate.0.to_string(), str::to_string)
}

fn linkmode(m: nl_rustix::nl_proto::route::link::LinkMode) -> String {
    m.name().map_or_else(|| m.0.to_string(), str::to_string)
}

fn link_type(l: &Link) -> String {
    link_type_name(l.link_type).map_or_else(|| format!("[{}]", l.link_type), str::to_string)
}

/// `aa:bb:…` for a link-layer address of any length.
fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn macvlan_mode_name(m: MacvlanMode) -> String {
    match m {
        MacvlanMode::PRIVATE => "private".into(),
        MacvlanMode::VEPA => "vepa".into(),
        MacvlanMode::BRIDGE => "bridge".into(),
        MacvlanMode::PASSTHRU => "passthru".into(),
        MacvlanMode::SOURCE => "source".into(),
        other => other.0.to_string(),
    }
}

fn ipvlan_mode_name(m: IpvlanMode) -> String {
    match m {
        IpvlanMode::L2 => "l2".into(),
        IpvlanMode::L3 => "l3".into(),
        IpvlanMode::L3S => "l3s".into(),
        other => other.0.to_string(),
    }
}

fn vlan_protocol_name(p: VlanProtocol) -> String {
    match p {
        VlanProtocol::DOT1Q => "802.1Q".into(),
        VlanProtocol::DOT1AD => "802.1ad".into(),
        other => format!("{:#06x}", other.0),
    }
}

/// `stats64` as `ip -j -s [-s] link` prints it (iproute2's
/// `print_link_stats64`): keys, order and the counters it prints only when
/// non-zero.
pub(crate) fn stats_json(s: &LinkStats64, carrier_changes: Option<u32>, more: bool) -> Value {
    let mut rx = Map::new();
    rx.insert("bytes".into(), json!(s.rx_bytes));
    rx.insert("packets".into(), json!(s.rx_packets));
    rx.insert("errors".into(), json!(s.rx_errors));
    rx.insert("dropped".into(), json!(s.rx_dropped));
    rx.insert("over_errors".into(), json!(s.rx_over_errors));
    rx.insert("multicast".into(), json!(s.multicast));
    if s.rx_compressed != 0 {
        rx.insert("compressed".into(), json!(s.rx_compressed));
    }
    if more {
        rx.insert("length_errors".into(), json!(s.rx_length_errors));
        rx.insert("crc_errors".into(), json!(s.rx_crc_errors));
        rx.insert("frame_errors".into(), json!(s.rx_frame_errors));
        rx.insert("fifo_errors".into(), json!(s.rx_fifo_errors));
        rx.insert("missed_errors".into(), json!(s.rx_missed_errors));
        if s.rx_nohandler != 0 {
            rx.insert("nohandler".into(), json!(s.rx_nohandler));
        }
        if s.rx_otherhost_dropped != 0 {
            rx.insert("otherhost_dropped".into(), json!(s.rx_otherhost_dropped));
        }
    }
    let mut tx = Map::new();
    tx.insert("bytes".into(), json!(s.tx_bytes));
    tx.insert("packets".into(), json!(s.tx_packets));
    tx.insert("errors".into(), json!(s.tx_errors));
    tx.insert("dropped".into(), json!(s.tx_dropped));
    tx.insert("carrier_errors".into(), json!(s.tx_carrier_errors));
    tx.insert("collisions".into(), json!(s.collisions));
    if s.tx_compressed != 0 {
        tx.insert("compressed".into(), json!(s.tx_compressed));
    }
    if more {
        tx.insert("aborted_errors".into(), json!(s.tx_aborted_errors));
        tx.insert("fifo_errors".into(), json!(s.tx_fifo_errors));
        tx.insert("window_errors".into(), json!(s.tx_window_errors));
        tx.insert("heartbeat_errors".into(), json!(s.tx_heartbeat_errors));
        if let Some(c) = carrier_changes {
            tx.insert("carrier_changes".into(), json!(c));
        }
    }
    json!({ "rx": rx, "tx": tx })
}

/// The `RX:`/`TX:` table of `ip -s [-s] link`, with iproute2's column
/// widths (each at least its heading, widened to fit the numbers).
fn stats_text(s: &LinkStats64, carrier_changes: Option<u32>, more: bool, out: &mut String) {
    let cc = u64::from(carrier_changes.unwrap_or(0));
    let mut cols: [usize; 8] = [10, 7, 6, 7, 7, 7, 10, 9];
    let mut fit = |vals: &[u64]| {
        for (c, v) in cols.iter_mut().zip(vals) {
            *c = (*c).max(v.to_string().len());
        }
    };
    fit(&[
        s.rx_bytes,
        s.rx_packets,
        s.rx_errors,
        s.rx_dropped,
        s.rx_missed_errors,
        s.multicast,
        s.rx_compressed,
        s.rx_nohandler,
    ]);
    fit(&[
        s.tx_bytes,
        s.tx_packets,
        s.tx_errors,
        s.tx_dropped,
        s.tx_carrier_errors,
        s.collisions,
        s.tx_compressed,
    ]);
    if more {
        fit(&[
            0,
            s.rx_length_errors,
            s.rx_crc_errors,
            s.rx_frame_errors,
            s.rx_fifo_errors,
            s.rx_over_errors,
            s.rx_nohandler,
        ]);
        fit(&[
            0,
            s.tx_aborted_errors,
            s.tx_fifo_errors,
            s.tx_window_errors,
            s.tx_heartbeat_errors,
            cc,
        ]);
    }
    let c = cols;
    // A heading row: `    RX:` then each heading right-aligned in its column.
    let heading = |out: &mut String, label: &str, first: usize, cells: &[(usize, &str)]| {
        let _ = write!(out, "\n    {label}{:first$}", "");
        for (w, h) in cells {
            let _ = write!(out, " {h:>w$}");
        }
    };
    let values = |out: &mut String, indent: usize, cells: &[(usize, u64)]| {
        let _ = write!(out, "\n{:indent$}", "");
        for (w, v) in cells {
            let _ = write!(out, "{v:>w$} ");
        }
    };
    let opt = |v: u64, h: &'static str| if v != 0 { h } else { "" };
    heading(
        out,
        "RX:",
        0,
        &[
            (c[0] - 4, "bytes"),
            (c[1], "packets"),
            (c[2], "errors"),
            (c[3], "dropped"),
            (c[4], "missed"),
            (c[5], "mcast"),
            (c[6], opt(s.rx_compressed, "compressed")),
        ],
    );
    let mut rx = vec![
        (c[0], s.rx_bytes),
        (c[1], s.rx_packets),
        (c[2], s.rx_errors),
        (c[3], s.rx_dropped),
        (c[4], s.rx_missed_errors),
        (c[5], s.multicast),
    ];
    if s.rx_compressed != 0 {
        rx.push((c[6], s.rx_compressed));
    }
    values(out, 4, &rx);
    if more {
        let mut head = vec![
            (c[1], "length"),
            (c[2], "crc"),
            (c[3], "frame"),
            (c[4], "fifo"),
            (c[5], "overrun"),
        ];
        let mut vals = vec![
            (c[1], s.rx_length_errors),
            (c[2], s.rx_crc_errors),
            (c[3], s.rx_frame_errors),
            (c[4], s.rx_fifo_errors),
            (c[5], s.rx_over_errors),
        ];
        if s.rx_nohandler != 0 {
            head.push((c[7], "nohandler"));
            vals.push((c[7], s.rx_nohandler));
        }
        heading(out, "RX errors:", c[0] - 10, &head);
        values(out, c[0] + 5, &vals);
    }
    heading(
        out,
        "TX:",
        0,
        &[
            (c[0] - 4, "bytes"),
            (c[1], "packets"),
            (c[2], "errors"),
            (c[3], "dropped"),
            (c[4], "carrier"),
            (c[5], "collsns"),
            (c[6], opt(s.tx_compressed, "compressed")),
        ],
    );
    let mut tx = vec![
        (c[0], s.tx_bytes),
        (c[1], s.tx_packets),
        (c[2], s.tx_errors),
        (c[3], s.tx_dropped),
        (c[4], s.tx_carrier_errors),
        (c[5], s.collisions),
    ];
    if s.tx_compressed != 0 {
        tx.push((c[6], s.tx_compressed));
    }
    values(out, 4, &tx);
    if more {
        heading(
            out,
            "TX errors:",
            c[0] - 10,
            &[
                (c[1], "aborted"),
                (c[2], "fifo"),
                (c[3], "window"),
                (c[4], "heartbt"),
                (c[5], "transns"),
            ],
        );
        values(
            out,
            c[0] + 5,
            &[
                (c[1], s.tx_aborted_errors),
                (c[2], s.tx_fifo_errors),
                (c[3], s.tx_window_errors),
                (c[4], s.tx_heartbeat_errors),
                (c[5], cc),
            ],
        );
    }
}
