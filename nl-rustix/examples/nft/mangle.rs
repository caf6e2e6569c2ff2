//! `mangle` (`meta mark set ...`, `ct zone set ...`, `tcp option maxseg
//! size set ...`) compiled as nft 1.0.6 does: the value into register 1
//! (an immediate, a load, or a load combined with a constant by `&`, `|`,
//! `^`), then the write from that register.

use crate::fields::{Field, Loc, Ty};
use crate::matches::{self, Ctx, Left, keep};
use nl_rustix::nl_proto::nfnl::NfProto;
use nl_rustix::nl_proto::nfnl::nft::{
    Bitwise, Ct, Data, Expr, Exthdr, Immediate, Meta, NFT_PAYLOAD_CSUM_INET,
    NFT_PAYLOAD_L4CSUM_PSEUDOHDR, NFT_REG_1, Payload, PayloadWrite,
};
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
            Loc::Payload(_) => return payload_write(f, value, fam, ctx, out),
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
        if matches!(k.as_str(), "jhash" | "symhash") {
            return crate::actions::hash(k, body, fam, ctx, out);
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

/// The byte offset of the internet checksum nft updates when a field of
/// `proto` is written (`None`: the header has none nft keeps).
fn checksum_at(proto: &str) -> Option<u32> {
    Some(match proto {
        "ip" => 10,
        "icmp" | "icmpv6" | "igmp" => 2,
        "tcp" => 16,
        "udp" | "udplite" => 6,
        _ => return None,
    })
}

/// Where nft writes a header field: the bytes it rewrites (offset,
/// length), the shift of the value in them, and whether it reads them
/// first (a field that is not whole bytes, or, under a checksum, not
/// whole 16-bit words: nft rewrites whole words so the checksum update
/// stays cheap).
pub(crate) fn write_span(f: &Field) -> (u32, u32, u32, bool) {
    let (mut off, mut len) = f.load();
    let mut shift = f.shift();
    let csum = checksum_at(f.proto).is_some();
    let partial = f.mask().is_some();
    if !partial && !(csum && (f.bits % 16 != 0 || f.bit % 16 != 0)) {
        return (off, len, 0, false);
    }
    if csum && len % 2 == 1 {
        len += 1;
        if off % 2 == 1 {
            off -= 1;
        } else {
            shift += 8;
        }
    }
    (off, len, shift, true)
}

/// The checksum fields of a write to `f`: type, offset, flags.
pub(crate) fn write_csum(f: &Field) -> (u32, u32, u32) {
    let pseudo = matches!(
        (f.proto, f.name),
        ("ip" | "ip6", "saddr" | "daddr") | ("ip", "protocol") | ("ip6", "nexthdr")
    );
    let flags = if pseudo {
        NFT_PAYLOAD_L4CSUM_PSEUDOHDR
    } else {
        0
    };
    match checksum_at(f.proto) {
        Some(at) => (NFT_PAYLOAD_CSUM_INET, at, flags),
        None => (0, 0, flags),
    }
}

/// `ip ttl set 23` and the like: an immediate of the field's bytes, or
/// for a field that is not whole bytes (or words, under a checksum) the
/// bytes around it read, masked and combined with the value; then the
/// write, with the checksum to update.
fn payload_write(
    f: &'static Field,
    value: &Value,
    fam: NfProto,
    ctx: &mut Ctx,
    out: &mut Vec<Expr<'static>>,
) -> Result<(), String> {
    let Loc::Payload(base) = f.loc else {
        return Err("mangle: not a header field".into());
    };
    let f = match matches::depend_left(Left::Field(f), fam, ctx, out)? {
        Left::Field(placed) => placed,
        _ => f,
    };
    let (off, len, shift, rmw) = write_span(f);
    let (_, flen) = f.load();
    let v = f.ty.encode(value, flen as usize, false)?;
    if rmw {
        let n = v.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x)) << shift;
        let bytes = n.to_be_bytes();
        let xor = bytes[16 - len as usize..].to_vec();
        let ones = if f.bits >= 128 {
            u128::MAX
        } else {
            (1u128 << f.bits) - 1
        };
        let field = (ones << shift).to_be_bytes();
        let mask: Vec<u8> = field[16 - len as usize..].iter().map(|b| !b).collect();
        out.push(Expr::Payload(Payload {
            dreg: NFT_REG_1,
            base,
            offset: off,
            len,
        }));
        out.push(Expr::Bitwise(Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            len,
            mask: keep(mask),
            xor: keep(xor),
        }));
    } else {
        out.push(Expr::Immediate(Immediate {
            dreg: NFT_REG_1,
            data: Data::Value(keep(v)),
        }));
    }
    let (csum_type, csum_offset, csum_flags) = write_csum(f);
    out.push(Expr::PayloadWrite(PayloadWrite {
        csum_type,
        csum_offset,
        csum_flags,
        ..PayloadWrite::new(NFT_REG_1, base, off, len)
    }));
    Ok(())
}

/// A payload write as nft lists it, given what its register holds: the
/// constant, or the same bytes read, masked and combined with the value
/// (`mask`, `xor`).
pub(crate) fn list_payload_write(
    p: &PayloadWrite,
    imm: Option<&[u8]>,
    rmw: Option<(&[u8], &[u8])>,
    protos: &[&str],
) -> Option<(serde_json::Value, &'static str)> {
    let fields = crate::fields::FIELDS.iter().filter(|f| {
        f.loc == Loc::Payload(p.base) && (protos.contains(&f.proto) || f.proto == "th")
    });
    for f in fields {
        let (off, len, shift, partial) = write_span(f);
        if (off, len) != (p.offset, p.len)
            || write_csum(f) != (p.csum_type, p.csum_offset, p.csum_flags)
        {
            continue;
        }
        let value = match (partial, imm, rmw) {
            (false, Some(b), None) => f.ty.render(b, false)?,
            (true, None, Some((mask, xor))) => {
                let ones = if f.bits >= 128 {
                    u128::MAX
                } else {
                    (1u128 << f.bits) - 1
                };
                let field = (ones << shift).to_be_bytes();
                let want: Vec<u8> = field[16 - len as usize..].iter().map(|b| !b).collect();
                if want != mask {
                    continue;
                }
                let n = xor.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x)) >> shift;
                let flen = f.load().1 as usize;
                f.ty.render(&n.to_be_bytes()[16 - flen..], false)?
            }
            _ => continue,
        };
        let j = serde_json::json!({"mangle": {"key": f.left_json(), "value": value}});
        return Some((j, f.proto));
    }
    None
}
