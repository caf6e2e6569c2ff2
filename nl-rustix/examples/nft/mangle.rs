//! `mangle` (`meta mark set ...`, `ct zone set ...`, `tcp option maxseg
//! size set ...`) compiled as nft 1.0.6 does: the value into register 1
//! (an immediate, a load, or a load combined with a constant by `&`, `|`,
//! `^`), then the write from that register.

use crate::fields::{Loc, Ty};
use crate::matches::{self, Ctx, Left, keep};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{Bitwise, Ct, Data, Expr, Exthdr, Immediate, Meta, NFT_REG_1};
use serde_json::Value;

/// Compile `{"key": LEFT, "value": VALUE}`.
pub(crate) fn compile(
    body: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let key = body.get("key").ok_or("mangle: missing key")?;
    let value = body.get("value").ok_or("mangle: missing value")?;
    let l = matches::left(key)?;
    let (ty, len, host) = l.ty();
    let write = match l {
        Left::Meta(k, ..) => Expr::Meta(Meta {
            key: k,
            dreg: None,
            sreg: Some(NFT_REG_1),
        }),
        Left::Ct(k, _, _, dir) => Expr::Ct(Ct {
            key: k,
            dreg: None,
            sreg: Some(NFT_REG_1),
            direction: dir,
        }),
        Left::Field(f) => match f.loc {
            Loc::Exthdr(op, kind) if f.mask().is_none() => {
                let (off, n) = f.load();
                Expr::Exthdr(Exthdr {
                    sreg: Some(NFT_REG_1),
                    dreg: None,
                    ..Exthdr::load(op, kind, off, n, NFT_REG_1)
                })
            }
            _ => return Err(format!("mangle: unsupported key {key}")),
        },
        Left::Present(..) | Left::Keyed(_) => {
            return Err(format!("mangle: unsupported key {key}"));
        }
    };
    rvalue(value, ty, len, host, fam, ctx, out)?;
    out.push(write);
    Ok(())
}

/// Put `v` (of type `ty`, `len` bytes) into register 1.
fn rvalue(
    v: &Value,
    ty: Ty,
    len: u32,
    host: bool,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    if let Some(o) = v.as_object().filter(|o| o.len() == 1) {
        let (k, body) = o.iter().next().ok_or("mangle: bad value")?;
        if let ("&" | "|" | "^", Some([a, b])) = (k.as_str(), body.as_array().map(Vec::as_slice)) {
            rvalue(a, ty, len, host, fam, ctx, out)?;
            let b = ty.encode(b, len as usize, host)?;
            let n = len as usize;
            let (mask, xor) = match k.as_str() {
                "&" => (b, vec![0; n]),
                "|" => (b.iter().map(|x| !x).collect(), b),
                _ => (vec![0xff; n], b),
            };
            out.push(Expr::Bitwise(Bitwise {
                sreg: NFT_REG_1,
                dreg: NFT_REG_1,
                len,
                mask: keep(mask),
                xor: keep(xor),
            }));
            return Ok(());
        }
        let l = matches::left(v)?;
        let (mask, _) = matches::load(l, fam, ctx, out)?;
        if mask.is_some() {
            return Err(format!("mangle: unsupported value {v}"));
        }
        return Ok(());
    }
    out.push(Expr::Immediate(Immediate {
        dreg: NFT_REG_1,
        data: Data::Value(keep(ty.encode(v, len as usize, host)?)),
    }));
    Ok(())
}
