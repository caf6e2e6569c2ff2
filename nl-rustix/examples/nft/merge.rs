//! nft's merge of adjacent header matches: `tcp sport 1024 tcp dport 22`
//! is one 4-byte load compared with both values, as nft 1.0.6 sends it
//! (listing splits it again, in `rulelist.rs`).

use crate::matches::keep;
use nl_rustix::nl_proto::nfnl::nft::{Cmp, CmpOp, Expr, Payload};

/// The most bytes one comparison holds (a register: `NFT_REG_SIZE`).
const REG_SIZE: u32 = 16;

/// Merge each run of `payload` + `cmp ==` pairs that read adjacent bytes
/// of one header into one load and one comparison.
pub(crate) fn payloads(exprs: &mut Vec<Expr<'static>>) {
    let mut i = 0;
    while i + 3 < exprs.len() {
        if let (Expr::Payload(a), Expr::Cmp(ca), Expr::Payload(b), Expr::Cmp(cb)) =
            (exprs[i], exprs[i + 1], exprs[i + 2], exprs[i + 3])
            && ca.op == CmpOp::EQ
            && cb.op == CmpOp::EQ
            && ca.sreg == a.dreg
            && cb.sreg == b.dreg
            && a.dreg == b.dreg
            && a.base == b.base
            && a.offset + a.len == b.offset
            && a.len + b.len <= REG_SIZE
            && ca.data.len() == a.len as usize
            && cb.data.len() == b.len as usize
        {
            let mut data = ca.data.to_vec();
            data.extend_from_slice(cb.data);
            exprs[i] = Expr::Payload(Payload {
                len: a.len + b.len,
                ..a
            });
            exprs[i + 1] = Expr::Cmp(Cmp {
                data: keep(data),
                ..ca
            });
            exprs.drain(i + 2..i + 4);
            continue;
        }
        i += 1;
    }
}
