//! The MPTCP path manager (`mptcp_pm`): endpoints (the local addresses the
//! in-kernel path manager announces or opens subflows from) and limits.
//! These are the requests behind `ip mptcp endpoint` and `ip mptcp limits`.
//!
//! ```text
//! nlmsghdr(type = mptcp_pm's family id) | genlmsghdr(cmd, version 1) |
//!   MPTCP_PM_ATTR_ADDR (nested) {                      endpoint commands
//!       ID u8, FLAGS u32, IF_IDX s32, PORT u16, FAMILY u16, ADDR4 | ADDR6
//!   }
//!   MPTCP_PM_ATTR_RCV_ADD_ADDRS u32, MPTCP_PM_ATTR_SUBFLOWS u32   limits
//! ```
//!
//! The family id is assigned at boot: resolve [`MPTCP_PM_NAME`] with
//! [`super::ctrl::encode_get_family`] first and pass its
//! [`FamilyId`] to every encoder here. Requests write attributes in the
//! order iproute2 does, so they compare byte for byte with its captures.
//!
//! Constants come from `include/uapi/linux/mptcp.h` (and, on newer
//! kernels, the generated `mptcp_pm.h`).

use super::{FamilyId, GenlHeader, split};
use crate::macros::{bit_flags, open_enum};
use crate::session::{Expect, Request};
use crate::wire::{Attr, AttrTable, Flags, Msg, MsgWriter};
use crate::{DecodeError, EncodeError};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `MPTCP_PM_NAME`: the family's name, to resolve its id.
pub const MPTCP_PM_NAME: &str = "mptcp_pm";
/// `MPTCP_PM_VER`: the interface version requests carry.
pub const MPTCP_PM_VER: u8 = 1;
/// `MPTCP_PM_CMD_GRP_NAME`: multicast group of command notifications.
pub const MPTCP_PM_CMD_GRP_NAME: &str = "mptcp_pm_cmds";
/// `MPTCP_PM_EV_GRP_NAME`: multicast group of connection events (what
/// `ip mptcp monitor` joins).
pub const MPTCP_PM_EV_GRP_NAME: &str = "mptcp_pm_events";

/// `AF_INET`, as `MPTCP_PM_ADDR_ATTR_FAMILY` carries it.
const AF_INET: u16 = 2;
/// `AF_INET6`.
const AF_INET6: u16 = 10;

open_enum! {
    /// A path manager command (`MPTCP_PM_CMD_*`), the `cmd` of `genlmsghdr`.
    pub struct PmCmd(u8) {
        /// `MPTCP_PM_CMD_UNSPEC`.
        UNSPEC = 0,
        /// `MPTCP_PM_CMD_ADD_ADDR`: add an endpoint.
        ADD_ADDR = 1,
        /// `MPTCP_PM_CMD_DEL_ADDR`: delete an endpoint.
        DEL_ADDR = 2,
        /// `MPTCP_PM_CMD_GET_ADDR`: one endpoint by id, or dump them all.
        GET_ADDR = 3,
        /// `MPTCP_PM_CMD_FLUSH_ADDRS`: delete every endpoint.
        FLUSH_ADDRS = 4,
        /// `MPTCP_PM_CMD_SET_LIMITS`.
        SET_LIMITS = 5,
        /// `MPTCP_PM_CMD_GET_LIMITS`.
        GET_LIMITS = 6,
        /// `MPTCP_PM_CMD_SET_FLAGS`: change an endpoint's backup/fullmesh flags.
        SET_FLAGS = 7,
        /// `MPTCP_PM_CMD_ANNOUNCE` (userspace path manager).
        ANNOUNCE = 8,
        /// `MPTCP_PM_CMD_REMOVE` (userspace path manager).
        REMOVE = 9,
        /// `MPTCP_PM_CMD_SUBFLOW_CREATE` (userspace path manager).
        SUBFLOW_CREATE = 10,
        /// `MPTCP_PM_CMD_SUBFLOW_DESTROY` (userspace path manager).
        SUBFLOW_DESTROY = 11,
    }
}

open_enum! {
    /// A top-level attribute (`MPTCP_PM_ATTR_*`).
    pub struct PmAttr(u16) {
        /// `MPTCP_PM_ATTR_UNSPEC`.
        UNSPEC = 0,
        /// `MPTCP_PM_ATTR_ADDR`: nested endpoint, [`AddrAttr`].
        ADDR = 1,
        /// `MPTCP_PM_ATTR_RCV_ADD_ADDRS`: `u32`, ADD_ADDRs accepted per connection.
        RCV_ADD_ADDRS = 2,
        /// `MPTCP_PM_ATTR_SUBFLOWS`: `u32`, subflows per connection.
        SUBFLOWS = 3,
        /// `MPTCP_PM_ATTR_TOKEN`: `u32`, a connection (userspace path manager).
        TOKEN = 4,
        /// `MPTCP_PM_ATTR_LOC_ID`: `u8`.
        LOC_ID = 5,
        /// `MPTCP_PM_ATTR_ADDR_REMOTE`: nested remote address.
        ADDR_REMOTE = 6,
    }
}

open_enum! {
    /// An endpoint attribute (`MPTCP_PM_ADDR_ATTR_*`), inside [`PmAttr::ADDR`].
    pub struct AddrAttr(u16) {
        /// `MPTCP_PM_ADDR_ATTR_UNSPEC`.
        UNSPEC = 0,
        /// `MPTCP_PM_ADDR_ATTR_FAMILY`: `u16`, `AF_INET` or `AF_INET6`.
        FAMILY = 1,
        /// `MPTCP_PM_ADDR_ATTR_ID`: `u8`, the endpoint id.
        ID = 2,
        /// `MPTCP_PM_ADDR_ATTR_ADDR4`: 4 bytes, network order.
        ADDR4 = 3,
        /// `MPTCP_PM_ADDR_ATTR_ADDR6`: 16 bytes.
        ADDR6 = 4,
        /// `MPTCP_PM_ADDR_ATTR_PORT`: `u16`, host order.
        PORT = 5,
        /// `MPTCP_PM_ADDR_ATTR_FLAGS`: `u32`, [`EndpointFlags`].
        FLAGS = 6,
        /// `MPTCP_PM_ADDR_ATTR_IF_IDX`: `s32`, an interface index.
        IF_IDX = 7,
    }
}

bit_flags! {
    /// What the path manager does with an endpoint
    /// (`MPTCP_PM_ADDR_FLAG_*`). Names are `ip mptcp`'s.
    pub struct EndpointFlags(u32) {
        /// `MPTCP_PM_ADDR_FLAG_SIGNAL`: announce it to the peer (ADD_ADDR).
        SIGNAL = 1 << 0 => "signal",
        /// `MPTCP_PM_ADDR_FLAG_SUBFLOW`: open subflows from it.
        SUBFLOW = 1 << 1 => "subflow",
        /// `MPTCP_PM_ADDR_FLAG_BACKUP`: subflows from it are backups.
        BACKUP = 1 << 2 => "backup",
        /// `MPTCP_PM_ADDR_FLAG_FULLMESH`: a subflow to every peer address.
        FULLMESH = 1 << 3 => "fullmesh",
        /// `MPTCP_PM_ADDR_FLAG_IMPLICIT`: created by the kernel, not by a user.
        IMPLICIT = 1 << 4 => "implicit",
    }
}

/// An endpoint: what `ip mptcp endpoint add` takes and `show` prints.
///
/// Every field is optional on the wire; `None` (and empty flags) is left
/// out of a request. A request names an endpoint by `id` (delete, get) or
/// describes one (add); a decoded endpoint has what the kernel sent, which
/// for a dump entry is at least the id, the flags and the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Endpoint {
    /// The address (`FAMILY` with `ADDR4` or `ADDR6`).
    pub addr: Option<IpAddr>,
    /// The endpoint id (`ID`); the kernel picks one when an add omits it.
    pub id: Option<u8>,
    /// The port (`PORT`, `signal` endpoints only). The kernel reports 0
    /// for "no port"; that is kept as `Some(0)`, as sent.
    pub port: Option<u16>,
    /// Flags (`FLAGS`); empty when absent.
    pub flags: EndpointFlags,
    /// The interface it is bound to (`IF_IDX`).
    pub ifindex: Option<u32>,
}

impl Endpoint {
    /// An endpoint named by its id only (delete, get).
    pub const fn with_id(id: u8) -> Self {
        Self {
            addr: None,
            id: Some(id),
            port: None,
            flags: EndpointFlags::EMPTY,
            ifindex: None,
        }
    }

    /// An endpoint at `addr` with `flags` (add).
    pub const fn at(addr: IpAddr, flags: EndpointFlags) -> Self {
        Self {
            addr: Some(addr),
            id: None,
            port: None,
            flags,
            ifindex: None,
        }
    }

    /// Write the `MPTCP_PM_ATTR_ADDR` nest, in iproute2's order.
    fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.nested(PmAttr::ADDR.0, |w| {
            if let Some(id) = self.id {
                w.put_u8(AddrAttr::ID.0, id)?;
            }
            if !self.flags.is_empty() {
                w.put_u32(AddrAttr::FLAGS.0, self.flags.bits())?;
            }
            if let Some(index) = self.ifindex {
                w.put_u32(AddrAttr::IF_IDX.0, index)?;
            }
            if let Some(port) = self.port {
                w.put_u16(AddrAttr::PORT.0, port)?;
            }
            if let Some(addr) = self.addr {
                let (family, kind) = match addr {
                    IpAddr::V4(_) => (AF_INET, AddrAttr::ADDR4),
                    IpAddr::V6(_) => (AF_INET6, AddrAttr::ADDR6),
                };
                w.put_u16(AddrAttr::FAMILY.0, family)?;
                w.put_ip(kind.0, addr)?;
            }
            Ok(())
        })
    }

    /// Read an endpoint nest (`MPTCP_PM_ATTR_ADDR` or `ADDR_REMOTE`).
    ///
    /// The address is read from the attribute `FAMILY` names; without a
    /// family, from whichever of `ADDR4`/`ADDR6` is present. A family
    /// other than `AF_INET`/`AF_INET6` leaves `addr` empty.
    fn read(nest: Attr<'_>) -> Result<Self, DecodeError> {
        let tb = AttrTable::<8>::parse(nest.nested());
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let family = tb.get(AddrAttr::FAMILY.0).map(|a| a.u16()).transpose()?;
        let v4 = || tb.get(AddrAttr::ADDR4.0).map(|a| a.ipv4().map(IpAddr::V4));
        let v6 = || tb.get(AddrAttr::ADDR6.0).map(|a| a.ipv6().map(IpAddr::V6));
        let addr = match family {
            Some(AF_INET) => v4(),
            Some(AF_INET6) => v6(),
            Some(_) => None,
            None => v4().or_else(v6),
        }
        .transpose()?;
        Ok(Self {
            addr,
            id: tb.get(AddrAttr::ID.0).map(|a| a.u8()).transpose()?,
            port: tb.get(AddrAttr::PORT.0).map(|a| a.u16()).transpose()?,
            flags: tb
                .get(AddrAttr::FLAGS.0)
                .map(|a| a.u32())
                .transpose()?
                .map_or(EndpointFlags::EMPTY, EndpointFlags),
            ifindex: tb.get(AddrAttr::IF_IDX.0).map(|a| a.u32()).transpose()?,
        })
    }

    /// Decode an endpoint message: a `GET_ADDR` reply or dump entry (or
    /// any request carrying `MPTCP_PM_ATTR_ADDR`). The message type (the
    /// family id) and the command are not checked.
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] without a `genlmsghdr`;
    /// [`DecodeError::MissingAttr`] without `MPTCP_PM_ATTR_ADDR`; framing
    /// and attribute size errors inside it.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split(msg)?;
        let tb = AttrTable::<7>::parse(attrs);
        match tb.get(PmAttr::ADDR.0) {
            Some(nest) => Self::read(nest),
            None => Err(tb.error().unwrap_or(DecodeError::MissingAttr {
                what: "mptcp endpoint",
                kind: PmAttr::ADDR.0,
            })),
        }
    }

    /// Write this endpoint as a `cmd` message of `family` with `flags`
    /// (for tests, fakes and round trips; requests have their encoders).
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        family: FamilyId,
        cmd: PmCmd,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, family, cmd, flags, |w| self.put(w))
    }
}

/// The path manager's limits, per MPTCP connection: `ip mptcp limits`.
/// `None` is left out of a request (the kernel keeps that limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// ADD_ADDR announcements accepted from the peer
    /// (`MPTCP_PM_ATTR_RCV_ADD_ADDRS`, `add_addr_accepted`).
    pub add_addr_accepted: Option<u32>,
    /// Additional subflows (`MPTCP_PM_ATTR_SUBFLOWS`, `subflows`).
    pub subflows: Option<u32>,
}

impl Limits {
    fn put(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        if let Some(n) = self.add_addr_accepted {
            w.put_u32(PmAttr::RCV_ADD_ADDRS.0, n)?;
        }
        if let Some(n) = self.subflows {
            w.put_u32(PmAttr::SUBFLOWS.0, n)?;
        }
        Ok(())
    }

    /// Decode a `GET_LIMITS` reply (or a `SET_LIMITS` request). The
    /// message type and the command are not checked.
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] without a `genlmsghdr`; framing and
    /// attribute size errors.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (_, attrs) = split(msg)?;
        let tb = AttrTable::<4>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let get = |kind: PmAttr| tb.get(kind.0).map(|a| a.u32()).transpose();
        Ok(Self {
            add_addr_accepted: get(PmAttr::RCV_ADD_ADDRS)?,
            subflows: get(PmAttr::SUBFLOWS)?,
        })
    }

    /// Write these limits as a `cmd` message of `family` with `flags` (for
    /// tests, fakes and round trips).
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        family: FamilyId,
        cmd: PmCmd,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        build(w, family, cmd, flags, |w| self.put(w))
    }
}

/// One path manager message: `genlmsghdr` then what `body` writes.
fn build<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    cmd: PmCmd,
    flags: Flags,
    body: impl FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
) -> Result<&'w mut [u8], EncodeError> {
    w.message(family.msg_type(), flags, |w| {
        w.put_fixed(&GenlHeader::new(cmd.0, MPTCP_PM_VER))?;
        body(w)
    })
}

/// A request expecting an ack (and, for gets, a reply before it).
fn request<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    cmd: PmCmd,
    body: impl FnOnce(&mut MsgWriter<'_>) -> Result<(), EncodeError>,
) -> Result<Request<'w>, EncodeError> {
    Ok(Request::new(
        build(w, family, cmd, Flags::REQUEST, body)?,
        Expect::Ack,
    ))
}

/// `MPTCP_PM_CMD_ADD_ADDR`: `ip mptcp endpoint add ADDRESS [dev NAME] [id
/// ID] [port NR] [FLAGS]`. The kernel refuses an endpoint without an
/// address, a duplicate (`EEXIST`-like `EINVAL` with extack text), and a
/// port without `signal`.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_add_addr<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    endpoint: &Endpoint,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::ADD_ADDR, |w| endpoint.put(w))
}

/// `MPTCP_PM_CMD_DEL_ADDR`: `ip mptcp endpoint delete id ID [ADDRESS]`.
/// `endpoint` names the endpoint by id; id 0 (the address a connection
/// started on) also needs the address.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_del_addr<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    endpoint: &Endpoint,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::DEL_ADDR, |w| endpoint.put(w))
}

/// `MPTCP_PM_CMD_GET_ADDR` for one endpoint: `ip mptcp endpoint show id
/// ID`. The kernel answers with one message ([`Endpoint::decode`]), or
/// `EINVAL` ("address not found").
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_get_addr<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    endpoint: &Endpoint,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::GET_ADDR, |w| endpoint.put(w))
}

/// `MPTCP_PM_CMD_GET_ADDR` with `NLM_F_DUMP`: every endpoint (`ip mptcp
/// endpoint show`), one message each.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_dump_addrs<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
) -> Result<Request<'w>, EncodeError> {
    let msg = build(
        w,
        family,
        PmCmd::GET_ADDR,
        Flags::REQUEST | Flags::DUMP,
        |_| Ok(()),
    )?;
    Ok(Request::new(msg, Expect::Dump))
}

/// `MPTCP_PM_CMD_SET_FLAGS`: `ip mptcp endpoint change [id ID] [ADDRESS]
/// [port NR] backup|nobackup|fullmesh|nofullmesh`. The endpoint is found
/// by id, or by address when the id is absent; `flags` is the new set.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_set_flags<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    endpoint: &Endpoint,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::SET_FLAGS, |w| endpoint.put(w))
}

/// `MPTCP_PM_CMD_FLUSH_ADDRS`: `ip mptcp endpoint flush`.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_flush_addrs<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::FLUSH_ADDRS, |_| Ok(()))
}

/// `MPTCP_PM_CMD_SET_LIMITS`: `ip mptcp limits set [subflows NR]
/// [add_addr_accepted NR]`. The kernel refuses values above its maximum
/// (8 here) with `EINVAL` and extack text.
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_set_limits<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
    limits: &Limits,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::SET_LIMITS, |w| limits.put(w))
}

/// `MPTCP_PM_CMD_GET_LIMITS`: `ip mptcp limits show`. The kernel answers
/// with one message ([`Limits::decode`]).
///
/// # Errors
///
/// Writer errors; nothing is left in the writer on error.
pub fn encode_get_limits<'w>(
    w: &'w mut MsgWriter<'_>,
    family: FamilyId,
) -> Result<Request<'w>, EncodeError> {
    request(w, family, PmCmd::GET_LIMITS, |_| Ok(()))
}

open_enum! {
    /// A path manager event (`enum mptcp_event_type`), the `cmd` of a
    /// message on the [`MPTCP_PM_EV_GRP_NAME`] group.
    pub struct EventType(u8) {
        /// `MPTCP_EVENT_UNSPEC`.
        UNSPEC = 0,
        /// `MPTCP_EVENT_CREATED`: a connection was created.
        CREATED = 1,
        /// `MPTCP_EVENT_ESTABLISHED`: a connection is established.
        ESTABLISHED = 2,
        /// `MPTCP_EVENT_CLOSED`: a connection closed.
        CLOSED = 3,
        /// `MPTCP_EVENT_ANNOUNCED`: the peer announced an address.
        ANNOUNCED = 6,
        /// `MPTCP_EVENT_REMOVED`: the peer removed an address.
        REMOVED = 7,
        /// `MPTCP_EVENT_SUB_ESTABLISHED`: a subflow is established.
        SUB_ESTABLISHED = 10,
        /// `MPTCP_EVENT_SUB_CLOSED`: a subflow closed.
        SUB_CLOSED = 11,
        /// `MPTCP_EVENT_SUB_PRIORITY`: a subflow's priority changed.
        SUB_PRIORITY = 13,
        /// `MPTCP_EVENT_LISTENER_CREATED`: a listener was created.
        LISTENER_CREATED = 15,
        /// `MPTCP_EVENT_LISTENER_CLOSED`: a listener closed.
        LISTENER_CLOSED = 16,
    }
}

open_enum! {
    /// An event attribute (`enum mptcp_event_attr`, `MPTCP_ATTR_*`).
    pub struct EventAttr(u16) {
        /// `MPTCP_ATTR_UNSPEC`.
        UNSPEC = 0,
        /// `MPTCP_ATTR_TOKEN`: `u32`, the connection.
        TOKEN = 1,
        /// `MPTCP_ATTR_FAMILY`: `u16`.
        FAMILY = 2,
        /// `MPTCP_ATTR_LOC_ID`: `u8`.
        LOC_ID = 3,
        /// `MPTCP_ATTR_REM_ID`: `u8`.
        REM_ID = 4,
        /// `MPTCP_ATTR_SADDR4`: 4 bytes, network order.
        SADDR4 = 5,
        /// `MPTCP_ATTR_SADDR6`: 16 bytes.
        SADDR6 = 6,
        /// `MPTCP_ATTR_DADDR4`: 4 bytes, network order.
        DADDR4 = 7,
        /// `MPTCP_ATTR_DADDR6`: 16 bytes.
        DADDR6 = 8,
        /// `MPTCP_ATTR_SPORT`: `u16`, network order.
        SPORT = 9,
        /// `MPTCP_ATTR_DPORT`: `u16`, network order.
        DPORT = 10,
        /// `MPTCP_ATTR_BACKUP`: `u8`.
        BACKUP = 11,
        /// `MPTCP_ATTR_ERROR`: `u8`.
        ERROR = 12,
        /// `MPTCP_ATTR_FLAGS`: `u16`.
        FLAGS = 13,
        /// `MPTCP_ATTR_TIMEOUT`: `u32`.
        TIMEOUT = 14,
        /// `MPTCP_ATTR_IF_IDX`: `s32`.
        IF_IDX = 15,
        /// `MPTCP_ATTR_RESET_REASON`: `u32`.
        RESET_REASON = 16,
        /// `MPTCP_ATTR_RESET_FLAGS`: `u32`.
        RESET_FLAGS = 17,
        /// `MPTCP_ATTR_SERVER_SIDE`: `u8`.
        SERVER_SIDE = 18,
    }
}

/// A path manager event, as `ip mptcp monitor` prints it. Which fields
/// are present depends on the event (see `include/uapi/linux/mptcp.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Event {
    /// What happened (the `cmd` of `genlmsghdr`).
    pub kind: EventType,
    /// The connection (`TOKEN`).
    pub token: Option<u32>,
    /// Address family (`FAMILY`).
    pub family: Option<u16>,
    /// Local address id (`LOC_ID`).
    pub loc_id: Option<u8>,
    /// Remote address id (`REM_ID`).
    pub rem_id: Option<u8>,
    /// Source IPv4 address (`SADDR4`).
    pub saddr4: Option<Ipv4Addr>,
    /// Source IPv6 address (`SADDR6`).
    pub saddr6: Option<Ipv6Addr>,
    /// Destination IPv4 address (`DADDR4`).
    pub daddr4: Option<Ipv4Addr>,
    /// Destination IPv6 address (`DADDR6`).
    pub daddr6: Option<Ipv6Addr>,
    /// Source port (`SPORT`).
    pub sport: Option<u16>,
    /// Destination port (`DPORT`).
    pub dport: Option<u16>,
    /// Backup subflow (`BACKUP`).
    pub backup: Option<u8>,
    /// Error (`ERROR`, a copy of `sk_err`).
    pub error: Option<u8>,
    /// Flags (`FLAGS`, `MPTCP_PM_EV_FLAG_*`).
    pub flags: Option<u16>,
    /// Timeout (`TIMEOUT`).
    pub timeout: Option<u32>,
    /// Interface index (`IF_IDX`).
    pub ifindex: Option<i32>,
    /// Reset reason (`RESET_REASON`, `MPTCP_RST_*`).
    pub reset_reason: Option<u32>,
    /// Reset flags (`RESET_FLAGS`).
    pub reset_flags: Option<u32>,
    /// This side accepted the connection (`SERVER_SIDE`).
    pub server_side: Option<u8>,
}

impl Event {
    /// Decode an event message. The message type (the family id) is not
    /// checked; any command is an [`EventType`] (unknown ones are kept).
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] without a `genlmsghdr`; framing and
    /// attribute size errors.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let (hdr, attrs) = split(msg)?;
        let tb = AttrTable::<19>::parse(attrs);
        if let Some(e) = tb.error() {
            return Err(e);
        }
        let a = |k: EventAttr| tb.get(k.0);
        Ok(Self {
            kind: EventType(hdr.cmd),
            token: a(EventAttr::TOKEN).map(|a| a.u32()).transpose()?,
            family: a(EventAttr::FAMILY).map(|a| a.u16()).transpose()?,
            loc_id: a(EventAttr::LOC_ID).map(|a| a.u8()).transpose()?,
            rem_id: a(EventAttr::REM_ID).map(|a| a.u8()).transpose()?,
            saddr4: a(EventAttr::SADDR4).map(|a| a.ipv4()).transpose()?,
            saddr6: a(EventAttr::SADDR6).map(|a| a.ipv6()).transpose()?,
            daddr4: a(EventAttr::DADDR4).map(|a| a.ipv4()).transpose()?,
            daddr6: a(EventAttr::DADDR6).map(|a| a.ipv6()).transpose()?,
            sport: a(EventAttr::SPORT).map(|a| a.be16()).transpose()?,
            dport: a(EventAttr::DPORT).map(|a| a.be16()).transpose()?,
            backup: a(EventAttr::BACKUP).map(|a| a.u8()).transpose()?,
            error: a(EventAttr::ERROR).map(|a| a.u8()).transpose()?,
            flags: a(EventAttr::FLAGS).map(|a| a.u16()).transpose()?,
            timeout: a(EventAttr::TIMEOUT).map(|a| a.u32()).transpose()?,
            ifindex: a(EventAttr::IF_IDX).map(|a| a.i32()).transpose()?,
            reset_reason: a(EventAttr::RESET_REASON).map(|a| a.u32()).transpose()?,
            reset_flags: a(EventAttr::RESET_FLAGS).map(|a| a.u32()).transpose()?,
            server_side: a(EventAttr::SERVER_SIDE).map(|a| a.u8()).transpose()?,
        })
    }

    /// Write this event as a message of `family` with `flags`, attributes
    /// in the kernel's order for connection events (for tests, fakes and
    /// round trips).
    ///
    /// # Errors
    ///
    /// Writer errors. Nothing is left in the writer on error.
    pub fn emit<'w>(
        &self,
        w: &'w mut MsgWriter<'_>,
        family: FamilyId,
        flags: Flags,
    ) -> Result<&'w mut [u8], EncodeError> {
        w.message(family.msg_type(), flags, |w| {
            w.put_fixed(&GenlHeader::new(self.kind.0, MPTCP_PM_VER))?;
            let u8s = |w: &mut MsgWriter<'_>, fields: &[(EventAttr, Option<u8>)]| {
                fields.iter().try_for_each(|(k, v)| match v {
                    Some(v) => w.put_u8(k.0, *v),
                    None => Ok(()),
                })
            };
            let u32s = |w: &mut MsgWriter<'_>, fields: &[(EventAttr, Option<u32>)]| {
                fields.iter().try_for_each(|(k, v)| match v {
                    Some(v) => w.put_u32(k.0, *v),
                    None => Ok(()),
                })
            };
            u32s(w, &[(EventAttr::TOKEN, self.token)])?;
            u8s(w, &[(EventAttr::SERVER_SIDE, self.server_side)])?;
            if let Some(v) = self.flags {
                w.put_u16(EventAttr::FLAGS.0, v)?;
            }
            if let Some(v) = self.family {
                w.put_u16(EventAttr::FAMILY.0, v)?;
            }
            let addrs = [
                (EventAttr::SADDR4, self.saddr4.map(IpAddr::V4)),
                (EventAttr::DADDR4, self.daddr4.map(IpAddr::V4)),
                (EventAttr::SADDR6, self.saddr6.map(IpAddr::V6)),
                (EventAttr::DADDR6, self.daddr6.map(IpAddr::V6)),
            ];
            for (k, v) in addrs {
                if let Some(ip) = v {
                    w.put_ip(k.0, ip)?;
                }
            }
            for (k, v) in [
                (EventAttr::SPORT, self.sport),
                (EventAttr::DPORT, self.dport),
            ] {
                if let Some(p) = v {
                    w.put_be16(k.0, p)?;
                }
            }
            u8s(
                w,
                &[
                    (EventAttr::LOC_ID, self.loc_id),
                    (EventAttr::REM_ID, self.rem_id),
                    (EventAttr::BACKUP, self.backup),
                    (EventAttr::ERROR, self.error),
                ],
            )?;
            u32s(w, &[(EventAttr::TIMEOUT, self.timeout)])?;
            if let Some(v) = self.ifindex {
                w.put_i32(EventAttr::IF_IDX.0, v)?;
            }
            u32s(
                w,
                &[
                    (EventAttr::RESET_REASON, self.reset_reason),
                    (EventAttr::RESET_FLAGS, self.reset_flags),
                ],
            )
        })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod tests {
    //! Golden vectors: iproute2 6.1.0's requests and the kernel's (6.18)
    //! answers, captured with `nl-capture --normalize` (seq and port id
    //! zeroed). `mptcp_pm` had family id 0x1c in every capture.
    use super::*;
    use crate::wire::{MsgType, Msgs};

    const FAMILY: FamilyId = match FamilyId::new(0x1c) {
        Some(f) => f,
        None => FamilyId::CTRL,
    };

    /// `ip mptcp endpoint add 10.0.0.1 dev lo id 3 port 5000 signal`
    /// (lo has index 1). iproute2 sets `NLM_F_ACK`; the session does.
    const ADD4: [u8; 72] = [
        0x48, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: REQUEST|ACK
        1, 1, 0, 0, // genlmsghdr: ADD_ADDR, version 1
        0x34, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR | NLA_F_NESTED
        5, 0, 2, 0, 3, 0, 0, 0, // ID 3
        8, 0, 6, 0, 1, 0, 0, 0, // FLAGS signal
        8, 0, 7, 0, 1, 0, 0, 0, // IF_IDX 1
        6, 0, 5, 0, 0x88, 0x13, 0, 0, // PORT 5000
        6, 0, 1, 0, 2, 0, 0, 0, // FAMILY AF_INET
        8, 0, 3, 0, 10, 0, 0, 1, // ADDR4 10.0.0.1
    ];

    /// `ip mptcp endpoint add 2001:db8::1 subflow backup fullmesh`.
    const ADD6: [u8; 60] = [
        0x3c, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        1, 1, 0, 0, // ADD_ADDR
        0x28, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        8, 0, 6, 0, 0x0e, 0, 0, 0, // FLAGS subflow|backup|fullmesh
        6, 0, 1, 0, 10, 0, 0, 0, // FAMILY AF_INET6
        0x14, 0, 4, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, // ADDR6 2001:db8::1
    ];

    /// `ip mptcp endpoint delete id 3`.
    const DEL: [u8; 32] = [
        0x20, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        2, 1, 0, 0, // DEL_ADDR
        0x0c, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        5, 0, 2, 0, 3, 0, 0, 0, // ID 3
    ];

    /// `ip mptcp endpoint delete id 0 10.0.0.2`.
    const DEL0: [u8; 48] = [
        0x30, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        2, 1, 0, 0, // DEL_ADDR
        0x1c, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        5, 0, 2, 0, 0, 0, 0, 0, // ID 0
        6, 0, 1, 0, 2, 0, 0, 0, // FAMILY AF_INET
        8, 0, 3, 0, 10, 0, 0, 2, // ADDR4 10.0.0.2
    ];

    /// `ip mptcp endpoint show id 3`: a get, so iproute2 sends no ACK flag.
    const GET: [u8; 32] = [
        0x20, 0, 0, 0, 0x1c, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: REQUEST
        3, 1, 0, 0, // GET_ADDR
        0x0c, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        5, 0, 2, 0, 3, 0, 0, 0, // ID 3
    ];

    /// The kernel's answer to `GET` after `ip mptcp endpoint add 10.0.0.2
    /// id 3 subflow backup dev lo`.
    const GET_REPLY: [u8; 72] = [
        0x48, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        3, 1, 0, 0, // GET_ADDR
        0x34, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        6, 0, 1, 0, 2, 0, 0, 0, // FAMILY AF_INET
        6, 0, 5, 0, 0, 0, 0, 0, // PORT 0
        5, 0, 2, 0, 3, 0, 0, 0, // ID 3
        8, 0, 6, 0, 6, 0, 0, 0, // FLAGS subflow|backup
        8, 0, 7, 0, 1, 0, 0, 0, // IF_IDX 1
        8, 0, 3, 0, 10, 0, 0, 2, // ADDR4 10.0.0.2
    ];

    /// `ip mptcp endpoint show`: the dump request.
    const DUMP: [u8; 20] = [
        0x14, 0, 0, 0, 0x1c, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, // REQUEST|DUMP
        3, 1, 0, 0, // GET_ADDR
    ];

    /// The kernel's dump answer after `ADD4` and `ADD6`: two entries in
    /// one datagram, then `NLMSG_DONE` (a second datagram).
    const DUMP_REPLY: [u8; 148] = [
        0x48, 0, 0, 0, 0x1c, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: MULTI
        3, 1, 0, 0, // GET_ADDR
        0x34, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        6, 0, 1, 0, 2, 0, 0, 0, // FAMILY AF_INET
        6, 0, 5, 0, 0x88, 0x13, 0, 0, // PORT 5000
        5, 0, 2, 0, 3, 0, 0, 0, // ID 3
        8, 0, 6, 0, 1, 0, 0, 0, // FLAGS signal
        8, 0, 7, 0, 1, 0, 0, 0, // IF_IDX 1
        8, 0, 3, 0, 10, 0, 0, 1, // ADDR4 10.0.0.1
        0x4c, 0, 0, 0, 0x1c, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: MULTI
        3, 1, 0, 0, // GET_ADDR
        0x38, 0, 0x01, 0x80, // MPTCP_PM_ATTR_ADDR
        6, 0, 1, 0, 10, 0, 0, 0, // FAMILY AF_INET6
        6, 0, 5, 0, 0, 0, 0, 0, // PORT 0
        5, 0, 2, 0, 4, 0, 0, 0, // ID 4 (the kernel's pick)
        8, 0, 6, 0, 0x0e, 0, 0, 0, // FLAGS subflow|backup|fullmesh
        0x14, 0, 4, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, // ADDR6 2001:db8::1
    ];

    /// `ip mptcp endpoint flush`.
    const FLUSH: [u8; 20] = [
        0x14, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        4, 1, 0, 0, // FLUSH_ADDRS
    ];

    /// `ip mptcp limits set subflows 3 add_addr_accepted 4`.
    const SET_LIMITS: [u8; 36] = [
        0x24, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        5, 1, 0, 0, // SET_LIMITS
        8, 0, 2, 0, 4, 0, 0, 0, // RCV_ADD_ADDRS 4
        8, 0, 3, 0, 3, 0, 0, 0, // SUBFLOWS 3
    ];

    /// `ip mptcp limits set subflows 9`.
    const SET_SUBFLOWS_9: [u8; 28] = [
        0x1c, 0, 0, 0, 0x1c, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        5, 1, 0, 0, // SET_LIMITS
        8, 0, 3, 0, 9, 0, 0, 0, // SUBFLOWS 9
    ];

    /// `ip mptcp limits show` (a get: no ACK flag).
    const GET_LIMITS: [u8; 20] = [
        0x14, 0, 0, 0, 0x1c, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: REQUEST
        6, 1, 0, 0, // GET_LIMITS
    ];

    /// The kernel's answer to `GET_LIMITS` after `SET_LIMITS`.
    const GET_LIMITS_REPLY: [u8; 36] = [
        0x24, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        6, 1, 0, 0, // GET_LIMITS
        8, 0, 2, 0, 4, 0, 0, 0, // RCV_ADD_ADDRS 4
        8, 0, 3, 0, 3, 0, 0, 0, // SUBFLOWS 3
    ];

    /// Assert that `got` (an encoder's output) is iproute2's `golden`
    /// request apart from `NLM_F_ACK`: iproute2 asks for acks itself on
    /// changes, and the session adds one to every non-dump request.
    fn same_but_ack(got: &[u8], golden: &[u8]) {
        assert_eq!(got.len(), golden.len());
        assert_eq!(got[6] & !0x04, golden[6] & !0x04, "flags");
        assert_eq!(got[..6], golden[..6]);
        assert_eq!(got[7..], golden[7..]);
    }

    fn msg(bytes: &[u8]) -> Msg<'_> {
        Msg::parse(bytes).unwrap().0
    }

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    fn add4() -> Endpoint {
        Endpoint {
            addr: Some(v4(10, 0, 0, 1)),
            id: Some(3),
            port: Some(5000),
            flags: EndpointFlags::SIGNAL,
            ifindex: Some(1),
        }
    }

    fn add6() -> Endpoint {
        let addr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
        Endpoint::at(
            addr,
            EndpointFlags::SUBFLOW | EndpointFlags::BACKUP | EndpointFlags::FULLMESH,
        )
    }

    fn del0() -> Endpoint {
        Endpoint {
            addr: Some(v4(10, 0, 0, 2)),
            ..Endpoint::with_id(0)
        }
    }

    #[test]
    fn requests_match_iproute2() {
        let mut buf = [0xa5u8; 128];
        let mut check =
            |golden: &[u8],
             expect: Expect,
             f: &dyn for<'w, 'b> Fn(&'w mut MsgWriter<'b>) -> Request<'w>| {
                buf.fill(0xa5);
                let mut w = MsgWriter::new(&mut buf);
                let req = f(&mut w);
                assert_eq!(req.expect, expect);
                same_but_ack(req.msg, golden);
            };
        check(&ADD4, Expect::Ack, &|w| {
            encode_add_addr(w, FAMILY, &add4()).unwrap()
        });
        check(&ADD6, Expect::Ack, &|w| {
            encode_add_addr(w, FAMILY, &add6()).unwrap()
        });
        check(&DEL, Expect::Ack, &|w| {
            encode_del_addr(w, FAMILY, &Endpoint::with_id(3)).unwrap()
        });
        check(&DEL0, Expect::Ack, &|w| {
            encode_del_addr(w, FAMILY, &del0()).unwrap()
        });
        check(&GET, Expect::Ack, &|w| {
            encode_get_addr(w, FAMILY, &Endpoint::with_id(3)).unwrap()
        });
        check(&DUMP, Expect::Dump, &|w| {
            encode_dump_addrs(w, FAMILY).unwrap()
        });
        check(&FLUSH, Expect::Ack, &|w| {
            encode_flush_addrs(w, FAMILY).unwrap()
        });
        let both = Limits {
            add_addr_accepted: Some(4),
            subflows: Some(3),
        };
        check(&SET_LIMITS, Expect::Ack, &|w| {
            encode_set_limits(w, FAMILY, &both).unwrap()
        });
        let nine = Limits {
            subflows: Some(9),
            ..Limits::default()
        };
        check(&SET_SUBFLOWS_9, Expect::Ack, &|w| {
            encode_set_limits(w, FAMILY, &nine).unwrap()
        });
        check(&GET_LIMITS, Expect::Ack, &|w| {
            encode_get_limits(w, FAMILY).unwrap()
        });
    }

    #[test]
    fn decodes_iproute2_requests() {
        assert_eq!(Endpoint::decode(&msg(&ADD4)), Ok(add4()));
        assert_eq!(Endpoint::decode(&msg(&ADD6)), Ok(add6()));
        assert_eq!(Endpoint::decode(&msg(&DEL)), Ok(Endpoint::with_id(3)));
        assert_eq!(Endpoint::decode(&msg(&DEL0)), Ok(del0()));
        assert_eq!(
            Limits::decode(&msg(&SET_LIMITS)),
            Ok(Limits {
                add_addr_accepted: Some(4),
                subflows: Some(3)
            })
        );
        assert_eq!(Limits::decode(&msg(&GET_LIMITS)), Ok(Limits::default()));
    }

    #[test]
    fn decodes_kernel_answers() {
        assert_eq!(
            Endpoint::decode(&msg(&GET_REPLY)),
            Ok(Endpoint {
                addr: Some(v4(10, 0, 0, 2)),
                id: Some(3),
                port: Some(0),
                flags: EndpointFlags::SUBFLOW | EndpointFlags::BACKUP,
                ifindex: Some(1),
            })
        );
        let entries: heapless::Vec<Endpoint, 4> = Msgs::new(&DUMP_REPLY)
            .map(|m| Endpoint::decode(&m.unwrap()).unwrap())
            .collect();
        assert_eq!(
            entries[..],
            [
                add4(),
                Endpoint {
                    id: Some(4),
                    port: Some(0),
                    ..add6()
                }
            ]
        );
        assert_eq!(
            Limits::decode(&msg(&GET_LIMITS_REPLY)),
            Ok(Limits {
                add_addr_accepted: Some(4),
                subflows: Some(3)
            })
        );
    }

    #[test]
    fn round_trips() {
        let mut buf = [0u8; 128];
        let ipv6_only = Endpoint {
            addr: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            id: Some(255),
            port: Some(0),
            flags: EndpointFlags(0x8000_0001),
            ifindex: Some(u32::MAX),
        };
        for ep in [
            add4(),
            add6(),
            del0(),
            Endpoint::default(),
            Endpoint::with_id(7),
            ipv6_only,
        ] {
            let mut w = MsgWriter::new(&mut buf);
            let bytes = ep
                .emit(&mut w, FAMILY, PmCmd::GET_ADDR, Flags::MULTI)
                .unwrap();
            let m = msg(bytes);
            assert_eq!(m.msg_type(), MsgType(0x1c));
            assert_eq!(Endpoint::decode(&m), Ok(ep));
        }
        for limits in [
            Limits::default(),
            Limits {
                add_addr_accepted: Some(0),
                subflows: Some(u32::MAX),
            },
        ] {
            let mut w = MsgWriter::new(&mut buf);
            let bytes = limits
                .emit(&mut w, FAMILY, PmCmd::GET_LIMITS, Flags::EMPTY)
                .unwrap();
            assert_eq!(Limits::decode(&msg(bytes)), Ok(limits));
        }
    }

    #[test]
    fn flag_names_are_ip_mptcps() {
        let f = EndpointFlags::SIGNAL | EndpointFlags::BACKUP | EndpointFlags(0x40);
        let names: heapless::Vec<&str, 4> = f.names().collect();
        assert_eq!(names[..], ["signal", "backup"]);
        assert_eq!(f.unknown_bits(), 0x40);
        assert_eq!(
            EndpointFlags::from_name("fullmesh"),
            Some(EndpointFlags::FULLMESH)
        );
        assert_eq!(EndpointFlags::from_name("nobackup"), None);
    }

    #[test]
    fn rejects_malformed_answers() {
        // No MPTCP_PM_ATTR_ADDR: the nest's type renamed.
        let mut bytes = GET_REPLY;
        bytes[22] = 0x7f;
        assert_eq!(
            Endpoint::decode(&msg(&bytes)),
            Err(DecodeError::MissingAttr {
                what: "mptcp endpoint",
                kind: 1
            })
        );
        // ADDR4 of the wrong size: the nest claims 3 bytes for it.
        let mut bytes = GET_REPLY;
        bytes[64] = 7;
        assert!(matches!(
            Endpoint::decode(&msg(&bytes)),
            Err(DecodeError::AttrSize { kind: 3, .. })
        ));
        // An ID of two bytes.
        let mut bytes = GET_REPLY;
        bytes[40] = 6;
        assert!(matches!(
            Endpoint::decode(&msg(&bytes)),
            Err(DecodeError::AttrSize { kind: 2, .. })
        ));
        // A nest running past the message.
        let mut bytes = GET_REPLY;
        bytes[20] = 0x60;
        assert!(Endpoint::decode(&msg(&bytes)).is_err());
        // No genlmsghdr.
        let short = [16, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            Endpoint::decode(&msg(&short)),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            Limits::decode(&msg(&short)),
            Err(DecodeError::Truncated { .. })
        ));
        // A limit of two bytes.
        let mut bytes = GET_LIMITS_REPLY;
        bytes[20] = 6;
        assert!(Limits::decode(&msg(&bytes)).is_err());
    }

    #[test]
    fn encoders_roll_back_when_full() {
        let mut buf = [0u8; 40];
        let mut w = MsgWriter::new(&mut buf);
        assert!(matches!(
            encode_add_addr(&mut w, FAMILY, &add6()),
            Err(EncodeError::BufferFull { .. })
        ));
        assert!(!w.in_message());
        assert!(w.is_empty());
    }

    /// `ip mptcp monitor` while a client connects to 127.0.0.1:4242 in
    /// the same namespace: the client's CREATED event.
    const EV_CREATED: [u8; 84] = [
        0x54, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        1, 1, 0, 0, // CREATED
        8, 0, 1, 0, 0x39, 0x5a, 0xe2, 0xc1, // TOKEN 0xc1e25a39
        6, 0, 2, 0, 2, 0, 0, 0, // FAMILY AF_INET
        8, 0, 5, 0, 127, 0, 0, 1, // SADDR4
        8, 0, 7, 0, 127, 0, 0, 1, // DADDR4
        6, 0, 9, 0, 0x87, 0x30, 0, 0, // SPORT 34608 (network order)
        6, 0, 0x0a, 0, 0x10, 0x92, 0, 0, // DPORT 4242
        5, 0, 3, 0, 0, 0, 0, 0, // LOC_ID 0
        5, 0, 4, 0, 0, 0, 0, 0, // REM_ID 0
    ];

    /// The server side's ESTABLISHED event.
    const EV_ESTABLISHED: [u8; 100] = [
        0x64, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        2, 1, 0, 0, // ESTABLISHED
        8, 0, 1, 0, 0xd0, 0x80, 0x33, 0xa1, // TOKEN 0xa13380d0
        5, 0, 0x12, 0, 1, 0, 0, 0, // SERVER_SIDE 1
        6, 0, 0x0d, 0, 2, 0, 0, 0, // FLAGS 2
        6, 0, 2, 0, 2, 0, 0, 0, // FAMILY AF_INET
        8, 0, 5, 0, 127, 0, 0, 1, // SADDR4
        8, 0, 7, 0, 127, 0, 0, 1, // DADDR4
        6, 0, 9, 0, 0x10, 0x92, 0, 0, // SPORT 4242
        6, 0, 0x0a, 0, 0x87, 0x30, 0, 0, // DPORT 34608
        5, 0, 3, 0, 0, 0, 0, 0, // LOC_ID 0
        5, 0, 4, 0, 0, 0, 0, 0, // REM_ID 0
    ];

    /// CLOSED: the token only.
    const EV_CLOSED: [u8; 28] = [
        0x1c, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        3, 1, 0, 0, // CLOSED
        8, 0, 1, 0, 0xd0, 0x80, 0x33, 0xa1, // TOKEN
    ];

    /// LISTENER_CLOSED (newer than the UAPI header here).
    const EV_LISTENER_CLOSED: [u8; 44] = [
        0x2c, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        0x10, 1, 0, 0, // LISTENER_CLOSED
        6, 0, 2, 0, 2, 0, 0, 0, // FAMILY AF_INET
        6, 0, 9, 0, 0x10, 0x92, 0, 0, // SPORT 4242
        8, 0, 5, 0, 127, 0, 0, 1, // SADDR4
    ];

    #[test]
    fn decodes_kernel_events() {
        let lo = Ipv4Addr::LOCALHOST;
        let created = Event::decode(&msg(&EV_CREATED)).unwrap();
        assert_eq!(
            created,
            Event {
                kind: EventType::CREATED,
                token: Some(0xc1e2_5a39),
                family: Some(2),
                loc_id: Some(0),
                rem_id: Some(0),
                saddr4: Some(lo),
                daddr4: Some(lo),
                sport: Some(34608),
                dport: Some(4242),
                ..Event::default()
            }
        );
        let est = Event::decode(&msg(&EV_ESTABLISHED)).unwrap();
        assert_eq!(est.kind, EventType::ESTABLISHED);
        assert_eq!((est.server_side, est.flags), (Some(1), Some(2)));
        assert_eq!((est.sport, est.dport), (Some(4242), Some(34608)));
        assert_eq!(
            Event::decode(&msg(&EV_CLOSED)),
            Ok(Event {
                kind: EventType::CLOSED,
                token: Some(0xa133_80d0),
                ..Event::default()
            })
        );
        let listener = Event::decode(&msg(&EV_LISTENER_CLOSED)).unwrap();
        assert_eq!(listener.kind, EventType::LISTENER_CLOSED);
        assert_eq!((listener.token, listener.saddr4), (None, Some(lo)));
        // Connection events emit in the kernel's order: byte for byte.
        let mut buf = [0u8; 128];
        for golden in [&EV_CREATED[..], &EV_ESTABLISHED[..], &EV_CLOSED[..]] {
            let ev = Event::decode(&msg(golden)).unwrap();
            let mut w = MsgWriter::new(&mut buf);
            assert_eq!(ev.emit(&mut w, FAMILY, Flags::EMPTY).unwrap(), golden);
        }
    }

    #[test]
    fn events_round_trip() {
        let every = Event {
            kind: EventType(99),
            token: Some(1),
            family: Some(10),
            loc_id: Some(2),
            rem_id: Some(3),
            saddr4: Some(Ipv4Addr::new(10, 0, 0, 1)),
            saddr6: Some(Ipv6Addr::LOCALHOST),
            daddr4: Some(Ipv4Addr::new(10, 0, 0, 2)),
            daddr6: Some(Ipv6Addr::UNSPECIFIED),
            sport: Some(1),
            dport: Some(65535),
            backup: Some(1),
            error: Some(104),
            flags: Some(0xffff),
            timeout: Some(30),
            ifindex: Some(-1),
            reset_reason: Some(6),
            reset_flags: Some(0x10),
            server_side: Some(0),
        };
        let mut buf = [0u8; 256];
        for ev in [every, Event::default()] {
            let mut w = MsgWriter::new(&mut buf);
            let bytes = ev.emit(&mut w, FAMILY, Flags::EMPTY).unwrap();
            assert_eq!(Event::decode(&msg(bytes)), Ok(ev));
        }
        // A port of three bytes.
        let mut bad = EV_CREATED;
        bad[52] = 7;
        assert!(matches!(
            Event::decode(&msg(&bad)),
            Err(DecodeError::AttrSize { kind: 9, .. })
        ));
    }

    #[test]
    fn never_panics_on_truncations_and_bit_flips() {
        for base in [&GET_REPLY[..], &DUMP_REPLY[..72], &GET_LIMITS_REPLY[..]] {
            let mut bytes = [0u8; 72];
            let n = base.len();
            for cut in 16..n {
                bytes[..n].copy_from_slice(base);
                bytes[0] = cut as u8;
                if let Ok((m, _)) = Msg::parse(&bytes[..cut]) {
                    let _ = Endpoint::decode(&m);
                    let _ = Limits::decode(&m);
                }
            }
            for i in 16..n {
                for bit in 0..8 {
                    bytes[..n].copy_from_slice(base);
                    bytes[i] ^= 1 << bit;
                    let m = msg(&bytes[..n]);
                    let _ = Endpoint::decode(&m);
                    let _ = Limits::decode(&m);
                }
            }
        }
    }
}
