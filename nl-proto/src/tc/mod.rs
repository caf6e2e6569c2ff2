//! Traffic control (rtnetlink): qdiscs, classes and filters —
//! `RTM_{NEW,DEL,GET}{QDISC,TCLASS,TFILTER}` — with the options of the
//! kinds iproute2's `tc` speaks, their statistics, and tc's units.
//!
//! ```text
//!  0        1       2       4          8         12        16       20
//! +--------+-------+-------+----------+---------+---------+--------+---------+
//! | family | pad1  | pad2  | ifindex  | handle  | parent  | info   | TCA_*...|
//! +--------+-------+-------+----------+---------+---------+--------+---------+
//! ```
//!
//! All three objects share the header (`struct tcmsg`) and the top-level
//! attributes (`TCA_KIND`, `TCA_OPTIONS`, `TCA_STATS2`, …); what differs
//! is the message type and what `info` means (a qdisc's reference count;
//! a filter's priority and protocol). So one owned value, [`Tc`], and one
//! request, [`NewTc`], serve all three, told apart by [`Object`]. The
//! options of each kind are typed ([`Options`]), encoded the way tc
//! encodes them (rate tables included) and decoded from what the kernel
//! reports.
//!
//! ```
//! use nl_proto::tc::{self, Handle, Mode, NewTc, Object, Options};
//! use nl_proto::tc::tbf::Tbf;
//! use nl_proto::tc::units::{Rate, Size, Time};
//! use nl_proto::wire::MsgWriter;
//!
//! // `tc qdisc add dev IFINDEX 3 root tbf rate 1mbit burst 32kbit latency 400ms`
//! let tbf = Tbf::with_latency(Rate::parse("1mbit").unwrap(), Size(4096), Time(400_000));
//! let req = NewTc::new(3, Handle::ROOT, "tbf").options(Options::Tbf(tbf));
//! let mut buf = [0u8; 2048];
//! let mut w = MsgWriter::new(&mut buf);
//! let r = tc::encode_new(&mut w, Object::Qdisc, Mode::Add, &req)?;
//! let back = tc::Tc::decode(&nl_proto::wire::Msg::parse(r.msg)?.0)?;
//! assert_eq!(back.kind.as_str(), "tbf");
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use zerocopy::byteorder::{I32, NativeEndian, U32};
use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::macros::open_enum;
use crate::session::{Expect, Request};
use crate::wire::{Flags, Msg, MsgType, MsgWriter};
use crate::{DecodeError, EncodeError};

pub mod act_msg;
pub mod act_police;
pub mod act_skbedit;
pub mod action;
pub mod chain;
pub mod cls_basic;
pub mod cls_bpf;
pub mod cls_flower;
pub mod cls_matchall;
pub mod cls_u32;
pub mod fifo;
pub mod fq;
pub mod fq_codel;
mod handle;
pub mod htb;
pub mod netem;
pub mod notice;
pub mod sfq;
pub mod stats;
pub mod tbf;
pub mod units;

pub use handle::Handle;

/// `RTM_NEWQDISC`.
pub const RTM_NEWQDISC: MsgType = MsgType(36);
/// `RTM_DELQDISC`.
pub const RTM_DELQDISC: MsgType = MsgType(37);
/// `RTM_GETQDISC`.
pub const RTM_GETQDISC: MsgType = MsgType(38);
/// `RTM_NEWTCLASS`.
pub const RTM_NEWTCLASS: MsgType = MsgType(40);
/// `RTM_DELTCLASS`.
pub const RTM_DELTCLASS: MsgType = MsgType(41);
/// `RTM_GETTCLASS`.
pub const RTM_GETTCLASS: MsgType = MsgType(42);
/// `RTM_NEWTFILTER`.
pub const RTM_NEWTFILTER: MsgType = MsgType(44);
/// `RTM_DELTFILTER`.
pub const RTM_DELTFILTER: MsgType = MsgType(45);
/// `RTM_GETTFILTER`.
pub const RTM_GETTFILTER: MsgType = MsgType(46);
/// `RTM_NEWACTION`.
pub const RTM_NEWACTION: MsgType = MsgType(48);
/// `RTM_DELACTION`.
pub const RTM_DELACTION: MsgType = MsgType(49);
/// `RTM_GETACTION`.
pub const RTM_GETACTION: MsgType = MsgType(50);
/// `RTM_NEWCHAIN`.
pub const RTM_NEWCHAIN: MsgType = MsgType(100);
/// `RTM_DELCHAIN`.
pub const RTM_DELCHAIN: MsgType = MsgType(101);
/// `RTM_GETCHAIN`.
pub const RTM_GETCHAIN: MsgType = MsgType(102);

/// The traffic-control family header, `struct tcmsg`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct TcMsg {
    /// `tcm_family` (`AF_UNSPEC`).
    pub family: u8,
    /// `tcm__pad1`.
    pub pad1: u8,
    /// `tcm__pad2`.
    pub pad2: [u8; 2],
    /// `tcm_ifindex`.
    pub ifindex: I32<NativeEndian>,
    /// `tcm_handle`.
    pub handle: U32<NativeEndian>,
    /// `tcm_parent`.
    pub parent: U32<NativeEndian>,
    /// `tcm_info`: a qdisc's reference count; a filter's
    /// `priority << 16 | htons(protocol)`.
    pub info: U32<NativeEndian>,
}

open_enum! {
    /// Top-level traffic-control attribute types (`TCA_*`).
    pub struct TcAttr(u16) {
        /// `TCA_KIND`: the kind's name, NUL-terminated (`"htb"`).
        KIND = 1,
        /// `TCA_OPTIONS`: the kind's options.
        OPTIONS = 2,
        /// `TCA_STATS`: legacy `struct tc_stats`.
        STATS = 3,
        /// `TCA_XSTATS`: the kind's own statistics.
        XSTATS = 4,
        /// `TCA_RATE`: a rate estimator (`struct tc_estimator`).
        RATE = 5,
        /// `TCA_FCNT`.
        FCNT = 6,
        /// `TCA_STATS2`: nested `TCA_STATS_*`.
        STATS2 = 7,
        /// `TCA_STAB`: a size table.
        STAB = 8,
        /// `TCA_PAD`.
        PAD = 9,
        /// `TCA_DUMP_INVISIBLE`: flag, dump invisible qdiscs too.
        DUMP_INVISIBLE = 10,
        /// `TCA_CHAIN`: u32 filter chain index.
        CHAIN = 11,
        /// `TCA_HW_OFFLOAD`: u8, offloaded to hardware.
        HW_OFFLOAD = 12,
        /// `TCA_INGRESS_BLOCK`: u32 shared block index.
        INGRESS_BLOCK = 13,
        /// `TCA_EGRESS_BLOCK`: u32 shared block index.
        EGRESS_BLOCK = 14,
        /// `TCA_DUMP_FLAGS`: `nla_bitfield32` (terse dumps).
        DUMP_FLAGS = 15,
        /// `TCA_EXT_WARN_MSG`: a warning string from the kernel.
        EXT_WARN_MSG = 16,
    }
}

/// Which of the three objects a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Object {
    /// A queueing discipline: `RTM_*QDISC`.
    Qdisc,
    /// A class of a classful qdisc: `RTM_*TCLASS`.
    Class,
    /// A filter (classifier): `RTM_*TFILTER`.
    Filter,
}

impl Object {
    /// The `RTM_NEW*`, `RTM_DEL*` and `RTM_GET*` types of this object.
    pub const fn types(self) -> [MsgType; 3] {
        match self {
            Self::Qdisc => [RTM_NEWQDISC, RTM_DELQDISC, RTM_GETQDISC],
            Self::Class => [RTM_NEWTCLASS, RTM_DELTCLASS, RTM_GETTCLASS],
            Self::Filter => [RTM_NEWTFILTER, RTM_DELTFILTER, RTM_GETTFILTER],
        }
    }

    /// The object a message type belongs to.
    pub fn of(ty: MsgType) -> Option<Self> {
        [Self::Qdisc, Self::Class, Self::Filter]
            .into_iter()
            .find(|o| o.types().contains(&ty))
    }
}

/// How a `NEW` request treats an object that exists (tc's verbs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `add`: `NLM_F_CREATE | NLM_F_EXCL`.
    Add,
    /// `replace`: `NLM_F_CREATE | NLM_F_REPLACE`.
    Replace,
    /// `change`: no flags; the object must exist.
    Change,
    /// `link`: `NLM_F_REPLACE`.
    Link,
}

impl Mode {
    /// The request flags tc sends for this verb (`NLM_F_ACK` is the
    /// session's).
    pub fn flags(self) -> Flags {
        Flags::REQUEST
            | match self {
                Self::Add => Flags::CREATE | Flags::EXCL,
                Self::Replace => Flags::CREATE | Flags::REPLACE,
                Self::Change => Flags(0),
                Self::Link => Flags::REPLACE,
            }
    }
}

/// A kind's name (`TCA_KIND`), at most 15 bytes as in the kernel
/// (`IFNAMSIZ`).
pub type KindName = heapless::String<16>;

/// The options of a qdisc, class or filter (`TCA_OPTIONS`), by kind.
///
/// A u32 filter's keys and actions are held inline (no allocation), so
/// this is a few KiB; stream large dumps rather than collect them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "no allocation: u32's keys are inline"
)]
pub enum Options {
    /// No `TCA_OPTIONS` (ingress, clsact, or a kind's defaults).
    None,
    /// `pfifo`, `bfifo`, `pfifo_head_drop`: the limit.
    Fifo(fifo::Fifo),
    /// `pfifo_fast` and `prio`: bands and priority map.
    Prio(fifo::Prio),
    /// `tbf`.
    Tbf(tbf::Tbf),
    /// An `htb` qdisc.
    Htb(htb::Htb),
    /// An `htb` class.
    HtbClass(htb::HtbClass),
    /// A `u32` filter.
    U32(cls_u32::U32Filter),
    /// A `bpf` filter.
    Bpf(cls_bpf::BpfFilter),
    /// A `matchall` filter.
    Matchall(cls_matchall::MatchallFilter),
    /// A `flower` filter.
    Flower(cls_flower::FlowerFilter),
    /// A `basic` filter.
    Basic(cls_basic::BasicFilter),
    /// `fq_codel`.
    FqCodel(fq_codel::FqCodel),
    /// `sfq`; `v1` when the kernel sent the whole `tc_sfq_qopt_v1`.
    Sfq {
        /// The options (the v1 part zero when `v1` is false).
        sfq: sfq::Sfq,
        /// Whether the v1 part was there.
        v1: bool,
    },
    /// `fq`.
    Fq(fq::Fq),
    /// `netem`.
    Netem(netem::Netem),
    /// Options of a kind this crate does not decode: their size.
    Other {
        /// Bytes of `TCA_OPTIONS` payload.
        len: usize,
    },
}

impl Options {
    /// Write `TCA_OPTIONS` (nothing for [`Options::None`]).
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; [`EncodeError::Invalid`] for
    /// [`Options::Other`], which cannot be sent.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        match self {
            Self::None => Ok(()),
            Self::Fifo(f) => f.emit(w),
            Self::Prio(p) => p.emit(w),
            Self::Tbf(t) => t.emit(w),
            Self::Htb(h) => h.emit(w),
            Self::HtbClass(c) => c.emit(w),
            Self::U32(u) => u.emit(w),
            Self::Bpf(b) => b.emit(w),
            Self::Matchall(m) => m.emit(w),
            Self::Flower(f) => f.emit(w),
            Self::Basic(b) => b.emit(w),
            Self::FqCodel(f) => f.emit(w),
            Self::Sfq { sfq, .. } => sfq.emit(w),
            Self::Fq(f) => f.emit(w),
            Self::Netem(n) => n.emit(w),
            Self::Other { .. } => Err(EncodeError::Invalid {
                what: "options of an unknown kind cannot be encoded",
            }),
        }
    }

    fn decode(object: Object, kind: &str, payload: &[u8]) -> Result<Self, DecodeError> {
        Ok(match (object, kind) {
            (Object::Qdisc, "pfifo" | "bfifo" | "pfifo_head_drop") => {
                Self::Fifo(fifo::Fifo::decode(payload))
            }
            (Object::Qdisc, "pfifo_fast" | "prio") => Self::Prio(fifo::Prio::decode(payload)),
            (Object::Qdisc, "tbf") => Self::Tbf(tbf::Tbf::decode(payload)?),
            (Object::Qdisc, "htb") => Self::Htb(htb::Htb::decode(payload)?),
            (Object::Class, "htb") => Self::HtbClass(htb::HtbClass::decode(payload)?),
            (Object::Filter, "u32") => Self::U32(cls_u32::U32Filter::decode(payload)?),
            (Object::Filter, "bpf") => Self::Bpf(cls_bpf::BpfFilter::decode(payload)?),
            (Object::Filter, "matchall") => {
                Self::Matchall(cls_matchall::MatchallFilter::decode(payload)?)
            }
            (Object::Filter, "basic") => Self::Basic(cls_basic::BasicFilter::decode(payload)?),
            (Object::Filter, "flower") => Self::Flower(cls_flower::FlowerFilter::decode(payload)?),
            (Object::Qdisc, "fq_codel") => Self::FqCodel(fq_codel::FqCodel::decode(payload)?),
            (Object::Qdisc, "sfq") if payload.len() >= sfq::V0_LEN => {
                let (sfq, v1) = sfq::Sfq::decode(payload);
                Self::Sfq { sfq, v1 }
            }
            (Object::Qdisc, "fq") => Self::Fq(fq::Fq::decode(payload)?),
            (Object::Qdisc, "netem") => Self::Netem(netem::Netem::decode(payload)?),
            _ => Self::Other { len: payload.len() },
        })
    }
}

/// A qdisc, class or filter, decoded from `RTM_NEW*` or `RTM_DEL*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc {
    /// Which object this is.
    pub object: Object,
    /// `tcm_ifindex`.
    pub ifindex: i32,
    /// `tcm_handle`: the qdisc's handle, the class id, or the filter's
    /// handle (kind-specific, e.g. u32's `800::800`).
    pub handle: Handle,
    /// `tcm_parent`.
    pub parent: Handle,
    /// `tcm_info` (see [`Tc::priority`], [`Tc::protocol`]).
    pub info: u32,
    /// `TCA_KIND`.
    pub kind: KindName,
    /// `TCA_OPTIONS`, typed by kind.
    pub options: Options,
    /// `TCA_STATS2` (or the legacy `TCA_STATS`), with `TCA_XSTATS`.
    pub stats: Option<stats::Stats>,
    /// `TCA_CHAIN`.
    pub chain: Option<u32>,
    /// `TCA_HW_OFFLOAD`.
    pub hw_offload: bool,
    /// `TCA_INGRESS_BLOCK`.
    pub ingress_block: Option<u32>,
    /// `TCA_EGRESS_BLOCK`.
    pub egress_block: Option<u32>,
}

impl Tc {
    /// Decode any of `RTM_NEWQDISC`, `RTM_DELQDISC`, `RTM_NEWTCLASS`,
    /// `RTM_DELTCLASS`, `RTM_NEWTFILTER`, `RTM_DELTFILTER`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnexpectedType`], [`DecodeError::Truncated`],
    /// [`DecodeError::MissingAttr`] (no `TCA_KIND`), attribute sizes and
    /// the kind's own options.
    pub fn decode(msg: &Msg<'_>) -> Result<Self, DecodeError> {
        let mut tc = Self::empty(Object::Qdisc);
        tc.decode_into(msg)?;
        Ok(tc)
    }

    /// An object with nothing set: the value [`Tc::decode_into`] refills.
    pub fn empty(object: Object) -> Self {
        Self {
            object,
            ifindex: 0,
            handle: Handle::UNSPEC,
            parent: Handle::UNSPEC,
            info: 0,
            kind: KindName::new(),
            options: Options::None,
            stats: None,
            chain: None,
            hw_offload: false,
            ingress_block: None,
            egress_block: None,
        }
    }

    /// [`Tc::decode`] into `self`, reusing the storage of a u32 filter's
    /// keys and actions: a dump decodes each entry into one value instead
    /// of building (and moving) a few KiB per entry.
    ///
    /// # Errors
    ///
    /// As [`Tc::decode`]; `self` is then unspecified.
    pub fn decode_into(&mut self, msg: &Msg<'_>) -> Result<(), DecodeError> {
        let ty = msg.msg_type();
        let object =
            Object::of(ty)
                .filter(|o| o.types()[2] != ty)
                .ok_or(DecodeError::UnexpectedType {
                    what: "tcmsg",
                    ty: ty.0,
                })?;
        let (hdr, attrs) = msg.split::<TcMsg>("tcmsg")?;
        let mut kind = None;
        let mut options = None;
        let mut stats2 = None;
        let mut legacy = None;
        let mut xstats = None;
        self.object = object;
        self.ifindex = hdr.ifindex.get();
        self.handle = Handle(hdr.handle.get());
        self.parent = Handle(hdr.parent.get());
        self.info = hdr.info.get();
        self.chain = None;
        self.hw_offload = false;
        self.ingress_block = None;
        self.egress_block = None;
        for attr in attrs.map_while(Result::ok) {
            match TcAttr(attr.kind()) {
                TcAttr::KIND => kind = Some(attr.cstr()?),
                TcAttr::OPTIONS => options = Some(attr.payload()),
                TcAttr::STATS2 => stats2 = Some(attr.payload()),
                TcAttr::STATS => legacy = Some(attr.payload()),
                TcAttr::XSTATS => xstats = Some(attr.payload()),
                TcAttr::CHAIN => self.chain = Some(attr.u32()?),
                TcAttr::HW_OFFLOAD => self.hw_offload = attr.u8()? != 0,
                TcAttr::INGRESS_BLOCK => self.ingress_block = Some(attr.u32()?),
                TcAttr::EGRESS_BLOCK => self.egress_block = Some(attr.u32()?),
                _ => {}
            }
        }
        let kind = kind.ok_or(DecodeError::MissingAttr {
            what: "tcmsg",
            kind: TcAttr::KIND.0,
        })?;
        self.kind = KindName::try_from(kind).map_err(|_| DecodeError::TooLong {
            what: "TCA_KIND",
            len: kind.len(),
            cap: 15,
        })?;
        match (options, object, kind, &mut self.options) {
            (Some(p), Object::Filter, "u32", Options::U32(u)) => u.decode_into(p)?,
            (Some(p), _, _, slot) => *slot = Options::decode(object, kind, p)?,
            (None, _, _, slot) => *slot = Options::None,
        }
        self.stats = stats::Stats::decode(stats2, legacy, xstats, object, kind)?;
        Ok(())
    }

    /// A filter's priority (`pref`): the high 16 bits of `info`.
    pub fn priority(&self) -> u16 {
        Handle(self.info).major()
    }

    /// A filter's protocol, an EtherType in host order (`ETH_P_IP` is
    /// 0x0800); `info` carries it in network order.
    pub fn protocol(&self) -> u16 {
        u16::from_be(Handle(self.info).minor())
    }
}

/// `tcm_info` of a filter: `prio << 16 | htons(protocol)`.
pub fn filter_info(priority: u16, protocol: u16) -> u32 {
    Handle::new(priority, protocol.to_be()).0
}

/// A qdisc, class or filter to create, replace or change (and, with
/// only the header fields set, to delete or get).
///
/// Start from [`NewTc::new`]: device, parent and kind; set the handle,
/// the options and, for filters, [`NewTc::filter`]'s priority and
/// protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTc<'a> {
    /// `tcm_ifindex`.
    pub ifindex: i32,
    /// `tcm_handle` (0: the kernel chooses).
    pub handle: Handle,
    /// `tcm_parent`.
    pub parent: Handle,
    /// `tcm_info`: filters' priority and protocol ([`filter_info`]).
    pub info: u32,
    /// `TCA_KIND`; empty sends none (delete by handle, `change` of a
    /// class keeping its kind is not possible: the kernel wants it).
    pub kind: &'a str,
    /// `TCA_OPTIONS`.
    pub options: Options,
    /// `TCA_CHAIN` (filters).
    pub chain: Option<u32>,
    /// `TCA_INGRESS_BLOCK` (qdiscs).
    pub ingress_block: Option<u32>,
    /// `TCA_EGRESS_BLOCK` (qdiscs).
    pub egress_block: Option<u32>,
}

impl<'a> NewTc<'a> {
    /// An object of `kind` on link `ifindex` under `parent`, with no
    /// handle and default options.
    pub fn new(ifindex: i32, parent: Handle, kind: &'a str) -> Self {
        Self {
            ifindex,
            handle: Handle::UNSPEC,
            parent,
            info: 0,
            kind,
            options: Options::None,
            chain: None,
            ingress_block: None,
            egress_block: None,
        }
    }

    /// With this handle (qdisc handle, class id, filter handle).
    #[must_use]
    pub fn handle(mut self, h: Handle) -> Self {
        self.handle = h;
        self
    }

    /// With these options.
    #[must_use]
    pub fn options(mut self, o: Options) -> Self {
        self.options = o;
        self
    }

    /// A filter's priority and protocol (EtherType, host order).
    #[must_use]
    pub fn filter(mut self, priority: u16, protocol: u16) -> Self {
        self.info = filter_info(priority, protocol);
        self
    }

    fn header(&self) -> TcMsg {
        TcMsg {
            family: 0,
            pad1: 0,
            pad2: [0; 2],
            ifindex: self.ifindex.into(),
            handle: self.handle.0.into(),
            parent: self.parent.0.into(),
            info: self.info.into(),
        }
    }

    pub(crate) fn write(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put_fixed(&self.header())?;
        // tc's order: a filter's chain comes before the kind.
        if let Some(c) = self.chain {
            w.put_u32(TcAttr::CHAIN.0, c)?;
        }
        if !self.kind.is_empty() {
            w.put_str(TcAttr::KIND.0, self.kind)?;
        }
        if let Some(b) = self.ingress_block {
            w.put_u32(TcAttr::INGRESS_BLOCK.0, b)?;
        }
        if let Some(b) = self.egress_block {
            w.put_u32(TcAttr::EGRESS_BLOCK.0, b)?;
        }
        self.options.emit(w)
    }
}

/// Create, replace or change a qdisc, class or filter: `RTM_NEWQDISC`,
/// `RTM_NEWTCLASS` or `RTM_NEWTFILTER` with `mode`'s flags, as tc sends
/// them (kind, then options).
///
/// # Errors
///
/// [`EncodeError::BufferFull`]; the options' own errors.
pub fn encode_new<'w>(
    w: &'w mut MsgWriter<'_>,
    object: Object,
    mode: Mode,
    req: &NewTc<'_>,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(object.types()[0], mode.flags(), |w| req.write(w))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// Delete a qdisc, class or filter: `RTM_DEL*` with the header of `req`
/// and its kind when set (tc sends the kind only when given one).
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_del<'w>(
    w: &'w mut MsgWriter<'_>,
    object: Object,
    req: &NewTc<'_>,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(object.types()[1], Flags::REQUEST, |w| req.write(w))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// Get one object: `RTM_GET*` without `NLM_F_DUMP`, the header of `req`
/// (and its kind when set). The kernel answers with one `RTM_NEW*`.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_get<'w>(
    w: &'w mut MsgWriter<'_>,
    object: Object,
    req: &NewTc<'_>,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(object.types()[2], Flags::REQUEST, |w| req.write(w))?;
    Ok(Request::new(msg, Expect::Ack))
}

/// What a dump is narrowed to, in the header the kernel reads: the link
/// (qdiscs: 0 = all links; classes and filters need one), and for
/// filters the parent and `info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DumpFilter {
    /// `tcm_ifindex`.
    pub ifindex: i32,
    /// `tcm_handle`.
    pub handle: Handle,
    /// `tcm_parent`.
    pub parent: Handle,
    /// `tcm_info`.
    pub info: u32,
    /// `TCA_CHAIN`: only this chain's filters.
    pub chain: Option<u32>,
    /// `TCA_DUMP_INVISIBLE` (qdiscs: `tc qdisc show invisible`).
    pub invisible: bool,
}

/// Dump qdiscs, classes or filters: `RTM_GET*` with `NLM_F_DUMP` and the
/// header of `filter`, as `tc qdisc|class|filter show` sends it.
///
/// # Errors
///
/// [`EncodeError::BufferFull`].
pub fn encode_dump<'w>(
    w: &'w mut MsgWriter<'_>,
    object: Object,
    filter: &DumpFilter,
) -> Result<Request<'w>, EncodeError> {
    let msg = w.message(object.types()[2], Flags::REQUEST | Flags::DUMP, |w| {
        w.put_fixed(&TcMsg {
            ifindex: filter.ifindex.into(),
            handle: filter.handle.0.into(),
            parent: filter.parent.0.into(),
            info: filter.info.into(),
            ..TcMsg::new_zeroed()
        })?;
        if let Some(c) = filter.chain {
            w.put_u32(TcAttr::CHAIN.0, c)?;
        }
        if filter.invisible {
            w.put_flag(TcAttr::DUMP_INVISIBLE.0)?;
        }
        Ok(())
    })?;
    Ok(Request::new(msg, Expect::Dump))
}

/// Read a kernel struct from the start of `payload`, zero-filling a
/// shorter one (structs grow with kernels).
pub(crate) fn read_struct<T: FromBytes + IntoBytes + FromZeros>(payload: &[u8]) -> T {
    let mut v = T::new_zeroed();
    let out = v.as_mut_bytes();
    let n = out.len().min(payload.len());
    if let (Some(dst), Some(src)) = (out.get_mut(..n), payload.get(..n)) {
        dst.copy_from_slice(src);
    }
    v
}

/// The attributes nested in an options payload.
pub(crate) fn nested(payload: &[u8]) -> crate::wire::Attrs<'_> {
    crate::wire::Attrs::new(payload)
}

#[cfg(test)]
mod tests;
