//! The `skbedit` action (`TCA_SKBEDIT_*`): set a packet's mark,
//! priority, transmit queue or packet type.

use zerocopy::IntoBytes;

use super::Handle;
use super::action::TcGen;
use crate::wire::{Attr, MsgWriter};
use crate::{DecodeError, EncodeError};

/// `TCA_SKBEDIT_*` attribute types.
pub(crate) mod attr {
    pub(crate) const TM: u16 = 1;
    pub(crate) const PARMS: u16 = 2;
    pub(crate) const PRIORITY: u16 = 3;
    pub(crate) const QUEUE_MAPPING: u16 = 4;
    pub(crate) const MARK: u16 = 5;
    pub(crate) const PTYPE: u16 = 7;
    pub(crate) const MASK: u16 = 8;
    pub(crate) const FLAGS: u16 = 9;
}

/// `SKBEDIT_F_INHERITDSFIELD`: take the priority from the DS field.
pub const F_INHERITDSFIELD: u64 = 0x20;

/// Packet types (`PACKET_*`, `linux/if_packet.h`) and tc's names.
pub const PTYPES: [(u16, &str); 4] = [
    (0, "host"),
    (1, "broadcast"),
    (2, "multicast"),
    (3, "otherhost"),
];

/// An skbedit action's parameters; `None` is "not sent".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Skbedit {
    /// `TCA_SKBEDIT_PARMS` (`struct tc_skbedit` is a bare `tc_gen`).
    pub common: TcGen,
    /// `queue_mapping`.
    pub queue_mapping: Option<u16>,
    /// `priority` (a class id).
    pub priority: Option<Handle>,
    /// `mark`.
    pub mark: Option<u32>,
    /// `mark …/MASK`.
    pub mask: Option<u32>,
    /// `ptype` (`PACKET_*`).
    pub ptype: Option<u16>,
    /// `TCA_SKBEDIT_FLAGS` (`SKBEDIT_F_*` without a value of their own).
    pub flags: Option<u64>,
}

impl Skbedit {
    /// Write the action's options in tc's order: parameters, queue,
    /// priority, mark, mask, packet type, flags.
    pub(crate) fn emit(&self, w: &mut MsgWriter<'_>) -> Result<(), EncodeError> {
        w.put(attr::PARMS, self.common.as_bytes())?;
        if let Some(q) = self.queue_mapping {
            w.put_u16(attr::QUEUE_MAPPING, q)?;
        }
        if let Some(p) = self.priority {
            w.put_u32(attr::PRIORITY, p.0)?;
        }
        if let Some(m) = self.mark {
            w.put_u32(attr::MARK, m)?;
        }
        if let Some(m) = self.mask {
            w.put_u32(attr::MASK, m)?;
        }
        if let Some(p) = self.ptype {
            w.put_u16(attr::PTYPE, p)?;
        }
        if let Some(f) = self.flags {
            w.put_u64(attr::FLAGS, f)?;
        }
        Ok(())
    }

    /// Take one attribute of the options; `false` for one not skbedit's.
    pub(crate) fn decode_attr(&mut self, a: &Attr<'_>) -> Result<bool, DecodeError> {
        match a.kind() {
            attr::PARMS => self.common = super::read_struct(a.payload()),
            attr::QUEUE_MAPPING => self.queue_mapping = Some(a.u16()?),
            attr::PRIORITY => self.priority = Some(Handle(a.u32()?)),
            attr::MARK => self.mark = Some(a.u32()?),
            attr::MASK => self.mask = Some(a.u32()?),
            attr::PTYPE => self.ptype = Some(a.u16()?),
            attr::FLAGS => self.flags = Some(a.u64()?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}
