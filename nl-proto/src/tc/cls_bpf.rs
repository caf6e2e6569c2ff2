//! The `bpf` classifier (`TCA_BPF_*`): a classic BPF program carried in
//! the request (`bytecode`), or an eBPF program by file descriptor (the
//! caller loads or opens it), optionally in direct-action mode.

use zerocopy::byteorder::{NativeEndian, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::action::{self, Actions};
use super::{Handle, TcAttr};
use crate::macros::open_enum;
use crate::wire::MsgWriter;
use crate::{DecodeError, EncodeError};

open_enum! {
    /// bpf option attributes (`TCA_BPF_*`).
    pub struct BpfAttr(u16) {
        /// `TCA_BPF_ACT`: actions.
        ACT = 1,
        /// `TCA_BPF_POLICE`.
        POLICE = 2,
        /// `TCA_BPF_CLASSID`: u32 (`classid`/`flowid`).
        CLASSID = 3,
        /// `TCA_BPF_OPS_LEN`: u16 instructions of a classic program.
        OPS_LEN = 4,
        /// `TCA_BPF_OPS`: the classic program (`struct sock_filter`s).
        OPS = 5,
        /// `TCA_BPF_FD`: u32 file descriptor of an eBPF program.
        FD = 6,
        /// `TCA_BPF_NAME`: the eBPF program's name.
        NAME = 7,
        /// `TCA_BPF_FLAGS`: u32, `TCA_BPF_FLAG_ACT_DIRECT` (`da`).
        FLAGS = 8,
        /// `TCA_BPF_FLAGS_GEN`: u32 `TCA_CLS_FLAGS_*`.
        FLAGS_GEN = 9,
        /// `TCA_BPF_TAG`: the program's tag (reported).
        TAG = 10,
        /// `TCA_BPF_ID`: the program's id (reported).
        ID = 11,
    }
}

/// `TCA_BPF_FLAG_ACT_DIRECT`: the program's return value is the verdict.
pub const FLAG_ACT_DIRECT: u32 = 1;

/// The most classic BPF instructions a decoded filter holds (the kernel
/// takes 4096; more fails to decode with [`DecodeError::TooLong`]).
pub const MAX_OPS: usize = 256;

/// `struct sock_filter`: one classic BPF instruction.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct SockFilter {
    /// `code`.
    pub code: U16<NativeEndian>,
    /// `jt`.
    pub jt: u8,
    /// `jf`.
    pub jf: u8,
    /// `k`.
    pub k: U32<NativeEndian>,
}

impl SockFilter {
    /// One instruction.
    pub fn new(code: u16, jt: u8, jf: u8, k: u32) -> Self {
        Self {
            code: code.into(),
            jt,
            jf,
            k: k.into(),
        }
    }
}

/// The longest eBPF program name kept.
pub type BpfName = heapless::String<128>;

/// A bpf filter's options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BpfFilter {
    /// `TCA_BPF_CLASSID`.
    pub classid: Option<Handle>,
    /// `TCA_BPF_ACT`.
    pub actions: Actions,
    /// `TCA_BPF_OPS`: a classic program (`bytecode`).
    pub ops: heapless::Vec<SockFilter, MAX_OPS>,
    /// `TCA_BPF_FD`: an eBPF program's descriptor (requests only).
    pub fd: Option<u32>,
    /// `TCA_BPF_NAME`.
    pub name: Option<BpfName>,
    /// `TCA_BPF_FLAGS`.
    pub flags: Option<u32>,
    /// `TCA_BPF_FLAGS_GEN`.
    pub flags_gen: Option<u32>,
    /// `TCA_BPF_TAG`.
    pub tag: Option<[u8; 8]>,
    /// `TCA_BPF_ID`.
    pub id: Option<u32>,
}

impl BpfFilter {
    /// Write `TCA_OPTIONS` in tc's order: class id, actions, the program
    /// (instructions, or descriptor and name), flags.
    ///
    /// # Errors
    ///
    /// [`EncodeError::BufferFull`]; actions of kinds not encoded here.
    pub fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        let nest = w.begin_nest_unflagged(TcAttr::OPTIONS.0)?;
        if let Some(c) = self.classid {
            w.put_u32(BpfAttr::CLASSID.0, c.0)?;
        }
        action::emit_actions(w, BpfAttr::ACT.0, &self.actions)?;
        if !self.ops.is_empty() {
            let n = u16::try_from(self.ops.len()).map_err(|_| EncodeError::Invalid {
                what: "bpf: too many instructions",
            })?;
            w.put_u16(BpfAttr::OPS_LEN.0, n)?;
            w.put(BpfAttr::OPS.0, self.ops.as_slice().as_bytes())?;
        }
        if let Some(fd) = self.fd {
            w.put_u32(BpfAttr::FD.0, fd)?;
        }
        if let Some(n) = &self.name {
            w.put_str(BpfAttr::NAME.0, n)?;
        }
        if let Some(f) = self.flags_gen {
            w.put_u32(BpfAttr::FLAGS_GEN.0, f)?;
        }
        if let Some(f) = self.flags {
            w.put_u32(BpfAttr::FLAGS.0, f)?;
        }
        w.end_nest(nest)
    }

    pub(crate) fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut b = Self::default();
        let mut ops = None;
        let mut len = None;
        for attr in super::nested(payload).map_while(Result::ok) {
            match BpfAttr(attr.kind()) {
                BpfAttr::CLASSID => b.classid = Some(Handle(attr.u32()?)),
                BpfAttr::ACT => b.actions = action::decode_actions(attr.payload())?,
                BpfAttr::OPS_LEN => len = Some(usize::from(attr.u16()?)),
                BpfAttr::OPS => ops = Some(attr.payload()),
                BpfAttr::FD => b.fd = Some(attr.u32()?),
                BpfAttr::NAME => {
                    let s = attr.cstr()?;
                    b.name = Some(BpfName::try_from(s).map_err(|_| DecodeError::TooLong {
                        what: "TCA_BPF_NAME",
                        len: s.len(),
                        cap: 128,
                    })?);
                }
                BpfAttr::FLAGS => b.flags = Some(attr.u32()?),
                BpfAttr::FLAGS_GEN => b.flags_gen = Some(attr.u32()?),
                BpfAttr::TAG => b.tag = Some(super::read_struct(attr.payload())),
                BpfAttr::ID => b.id = Some(attr.u32()?),
                _ => {}
            }
        }
        if let (Some(p), Some(n)) = (ops, len) {
            for chunk in p.chunks_exact(8).take(n) {
                b.ops
                    .push(super::read_struct(chunk))
                    .map_err(|_| DecodeError::TooLong {
                        what: "bpf instructions",
                        len: n,
                        cap: MAX_OPS,
                    })?;
            }
            if b.ops.len() < n {
                return Err(DecodeError::Truncated {
                    what: "TCA_BPF_OPS",
                    need: n * 8,
                    have: p.len(),
                });
            }
        }
        Ok(b)
    }
}
