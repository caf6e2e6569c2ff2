//! [`RuleBuilder`]: the rules people write most, one call each, compiled
//! to the expressions nft 1.0.6 sends for them (with the protocol
//! dependency nft adds), for [`Cmd::AddRule`](super::Cmd::AddRule).

use super::encode_exprs;
use crate::Error;
use nl_proto::nfnl::nft::{
    Bitwise, Cmp, CmpOp, Counter, Ct, CtKey, Data, Expr, HeaderField, Immediate, Meta, MetaKey,
    NFT_REG_1, Nat, NatType, Payload, Verdict,
};
use std::net::{IpAddr, SocketAddr};

/// `NF_NAT_RANGE_PROTO_SPECIFIED`: the nat has a port.
const NAT_PROTO_SPECIFIED: u32 = 2;
/// `NFPROTO_IPV4` and `NFPROTO_IPV6` as `nat`'s family.
const NAT_IPV4: u32 = 2;
const NAT_IPV6: u32 = 10;
/// Second data register (nft's choice for a nat port).
const NFT_REG_2: u32 = 2;

/// Builds a rule's expressions step by step: matches first, then
/// statements and a verdict, as in nft's syntax.
///
/// ```
/// use nl_rustix::nft::{Cmd, RuleBuilder};
/// use nl_rustix::nl_proto::nfnl::NfProto;
/// use nl_rustix::nl_proto::nfnl::nft::{CtKey, Placement};
///
/// // tcp dport 22 counter accept
/// let ssh = RuleBuilder::new().tcp_dport(22).counter().accept().build()?;
/// // ct state established,related accept
/// let back = RuleBuilder::new()
///     .ct_state(CtKey::STATE_ESTABLISHED | CtKey::STATE_RELATED)
///     .accept()
///     .build()?;
/// // tcp dport 80 dnat to 10.0.0.2:8080 (in an ip nat chain)
/// let web = RuleBuilder::new()
///     .tcp_dport(80)
///     .dnat("10.0.0.2:8080".parse().expect("an address"))
///     .build()?;
/// let add = |exprs| Cmd::AddRule {
///     family: NfProto::INET,
///     table: "t".into(),
///     chain: "input".into(),
///     at: Placement::Append(None),
///     exprs,
/// };
/// let cmds = [add(ssh), add(back)];
/// # let _ = (cmds, web);
/// # Ok::<(), nl_rustix::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RuleBuilder {
    exprs: Vec<u8>,
    /// The transport protocol already required (`meta l4proto`).
    l4: Option<u8>,
    error: Option<String>,
}

impl RuleBuilder {
    /// An empty rule (it matches every packet and does nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// Append any expression.
    pub fn expr(mut self, e: Expr<'_>) -> Self {
        if self.error.is_none() {
            match encode_exprs(&[e]) {
                Ok(b) => self.exprs.extend_from_slice(&b),
                Err(err) => self.error = Some(err.to_string()),
            }
        }
        self
    }

    /// `meta KEY == value` (`value` in the key's byte order: host order
    /// for marks, NUL-padded 16 bytes for interface names).
    pub fn meta_eq(self, key: MetaKey, value: &[u8]) -> Self {
        self.expr(Expr::Meta(Meta {
            key,
            dreg: Some(NFT_REG_1),
            sreg: None,
        }))
        .cmp(CmpOp::EQ, value)
    }

    /// `PROTO FIELD OP value` on a header field (`value` in network
    /// order, as long as the field).
    pub fn payload_cmp(self, f: HeaderField, op: CmpOp, value: &[u8]) -> Self {
        self.expr(Expr::Payload(Payload::load(f, NFT_REG_1)))
            .cmp(op, value)
    }

    fn cmp(self, op: CmpOp, data: &[u8]) -> Self {
        self.expr(Expr::Cmp(Cmp {
            sreg: NFT_REG_1,
            op,
            data,
        }))
    }

    /// `meta l4proto P`, once: the dependency of a transport field.
    fn l4proto(mut self, p: u8) -> Self {
        if self.l4 == Some(p) {
            return self;
        }
        self.l4 = Some(p);
        self.meta_eq(MetaKey::L4PROTO, &[p])
    }

    /// `tcp dport PORT`.
    pub fn tcp_dport(self, port: u16) -> Self {
        self.l4proto(6)
            .payload_cmp(HeaderField::TCP_DPORT, CmpOp::EQ, &port.to_be_bytes())
    }

    /// `tcp sport PORT`.
    pub fn tcp_sport(self, port: u16) -> Self {
        self.l4proto(6)
            .payload_cmp(HeaderField::TCP_SPORT, CmpOp::EQ, &port.to_be_bytes())
    }

    /// `udp dport PORT`.
    pub fn udp_dport(self, port: u16) -> Self {
        self.l4proto(17)
            .payload_cmp(HeaderField::UDP_DPORT, CmpOp::EQ, &port.to_be_bytes())
    }

    /// `udp sport PORT`.
    pub fn udp_sport(self, port: u16) -> Self {
        self.l4proto(17)
            .payload_cmp(HeaderField::UDP_SPORT, CmpOp::EQ, &port.to_be_bytes())
    }

    /// `ct state A,B,...`: any of the state bits (`CtKey::STATE_*`) set.
    pub fn ct_state(self, bits: u32) -> Self {
        self.expr(Expr::Ct(Ct {
            key: CtKey::STATE,
            dreg: Some(NFT_REG_1),
            sreg: None,
            direction: None,
        }))
        .expr(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len: 4,
            mask: &bits.to_ne_bytes(),
            xor: &[0; 4],
        }))
        .cmp(CmpOp::NEQ, &[0; 4])
    }

    /// `counter`.
    pub fn counter(self) -> Self {
        self.expr(Expr::Counter(Counter::default()))
    }

    /// A verdict.
    pub fn verdict(self, v: Verdict<'_>) -> Self {
        self.expr(Expr::verdict(v))
    }

    /// `accept`.
    pub fn accept(self) -> Self {
        self.verdict(Verdict::ACCEPT)
    }

    /// `drop`.
    pub fn drop(self) -> Self {
        self.verdict(Verdict::DROP)
    }

    /// `jump CHAIN`.
    pub fn jump(self, chain: &str) -> Self {
        self.verdict(Verdict::jump(chain))
    }

    /// `dnat to ADDR:PORT` (port 0: address only), in a nat chain of the
    /// address's family (in an inet table, nft writes `dnat ip to`).
    pub fn dnat(self, to: SocketAddr) -> Self {
        self.nat(NatType::DNAT, to)
    }

    /// `snat to ADDR:PORT` (port 0: address only).
    pub fn snat(self, to: SocketAddr) -> Self {
        self.nat(NatType::SNAT, to)
    }

    fn nat(self, kind: NatType, to: SocketAddr) -> Self {
        let (family, addr) = match to.ip() {
            IpAddr::V4(a) => (NAT_IPV4, a.octets().to_vec()),
            IpAddr::V6(a) => (NAT_IPV6, a.octets().to_vec()),
        };
        let port = to.port().to_be_bytes();
        let with_port = to.port() != 0;
        let mut b = self.expr(Expr::Immediate(Immediate {
            dreg: NFT_REG_1,
            data: Data::Value(&addr),
        }));
        if with_port {
            b = b.expr(Expr::Immediate(Immediate {
                dreg: NFT_REG_2,
                data: Data::Value(&port),
            }));
        }
        b.expr(Expr::Nat(Nat {
            kind,
            family,
            reg_addr_min: Some(NFT_REG_1),
            reg_addr_max: None,
            reg_proto_min: with_port.then_some(NFT_REG_2),
            reg_proto_max: None,
            flags: with_port.then_some(NAT_PROTO_SPECIFIED),
        }))
    }

    /// The encoded expressions, for [`Cmd::AddRule`](super::Cmd::AddRule).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if an expression could not be encoded.
    pub fn build(self) -> Result<Vec<u8>, Error> {
        match self.error {
            Some(e) => Err(Error::Invalid(format!("nf_tables rule: {e}"))),
            None => Ok(self.exprs),
        }
    }
}
