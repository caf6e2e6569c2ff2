//! A set's key as nft 1.0.6 describes it to the kernel: the datatype id
//! (`NFTA_SET_KEY_TYPE`; a concatenation packs its fields' ids 6 bits
//! each), the byte order, and the `typeof` expression it stores in
//! `NFTA_SET_USERDATA` (so that it can list the set's keys by name).

use crate::fields::{self, Ty};
use crate::matches::Left;

/// nft's `BYTEORDER_HOST_ENDIAN` and `BYTEORDER_BIG_ENDIAN`.
pub(crate) const HOST: u32 = 1;
pub(crate) const BIG: u32 = 2;

/// nft's datatype ids (`enum datatypes`) this file names.
pub(crate) const INTEGER: u32 = 4;
const VERDICT: u32 = 1;

/// `NFTNL_UDATA_SET_*` (libnftnl's set userdata TLVs).
pub(crate) const UD_KEYBYTEORDER: u8 = 0;
pub(crate) const UD_DATABYTEORDER: u8 = 1;
pub(crate) const UD_MERGE_ELEMENTS: u8 = 2;
pub(crate) const UD_KEY_TYPEOF: u8 = 3;
pub(crate) const UD_DATA_TYPEOF: u8 = 4;
pub(crate) const UD_DATA_INTERVAL: u8 = 6;

/// nft's `enum expr_types` of the expressions a key can be.
const EXPR_VERDICT: u32 = 1;
const EXPR_PAYLOAD: u32 = 7;
const EXPR_META: u32 = 9;
const EXPR_CT: u32 = 12;
const EXPR_CONCAT: u32 = 13;

/// One key (or one field of a concatenated key).
#[derive(Debug, Clone)]
pub(crate) struct Key {
    /// Datatype id.
    pub(crate) dtype: u32,
    /// `BYTEORDER_*`.
    pub(crate) byteorder: u32,
    /// The `typeof` expression: nft's expression type and its TLVs, when
    /// nft stores one.
    pub(crate) typeof_: Option<(u32, Vec<u8>)>,
}

/// A TLV of nft's userdata (type, 1-byte length, value).
pub(crate) fn tlv(out: &mut Vec<u8>, ty: u8, v: &[u8]) {
    out.push(ty);
    out.push(u8::try_from(v.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(v);
}

pub(crate) fn tlv32(out: &mut Vec<u8>, ty: u8, v: u32) {
    tlv(out, ty, &v.to_ne_bytes());
}

/// nft's `enum proto_desc_id`.
fn proto_desc(proto: &str) -> u32 {
    match proto {
        "ah" => 1,
        "esp" => 2,
        "comp" => 3,
        "icmp" => 4,
        "igmp" => 5,
        "udp" => 6,
        "udplite" => 7,
        "tcp" => 8,
        "dccp" => 9,
        "sctp" => 10,
        "th" => 11,
        "ip" => 12,
        "ip6" => 13,
        "icmpv6" => 14,
        "arp" => 15,
        "vlan" => 16,
        "ether" => 17,
        _ => 0,
    }
}

/// The datatype of a header field (`src/proto.c`'s templates).
fn field_dtype(proto: &str, name: &str, ty: Ty) -> u32 {
    match (proto, name) {
        (_, "sport" | "dport") => 13,
        ("icmp", "code") => 32,
        ("icmpv6", "code") => 33,
        ("comp", "flags") => 3,
        ("dccp", "type") => 16,
        ("igmp", "type") => 42,
        _ => ty_dtype(ty),
    }
}

/// The datatype a value type stands for, where it says.
fn ty_dtype(ty: Ty) -> u32 {
    match ty {
        Ty::Ipv4 => 7,
        Ty::Ipv6 => 8,
        Ty::Ether => 9,
        Ty::EtherType => 10,
        Ty::InetProto => 12,
        Ty::Ifname => 41,
        Ty::NfProto => 2,
        Ty::Millis => 18,
        Ty::TcHandle => 23,
        Ty::Named(n) => match n.first().map(|x| x.1) {
            Some("echo-reply") => 14,
            Some("destination-unreachable") => 29,
            Some("cs0") => 36,
            Some("not-ect") => 37,
            Some("request") => 11,
            Some("host") => 31,
            Some("ether") => 21,
            Some("default") => 35,
            Some("original") => 27,
            _ => INTEGER,
        },
        Ty::Bits(n) => match n.first().map(|x| x.1) {
            Some("fin") => 15,
            Some("invalid") => 26,
            Some("expected") => 28,
            _ => 3,
        },
        _ => INTEGER,
    }
}

fn meta_dtype(name: &str, ty: Ty) -> u32 {
    match name {
        "mark" => 19,
        "iif" | "oif" | "sdif" => 20,
        "skuid" => 24,
        "skgid" => 25,
        "rtclassid" => 22,
        "ipsec" => 39,
        "time" => 43,
        "day" => 45,
        "hour" => 44,
        _ => ty_dtype(ty),
    }
}

fn ct_dtype(name: &str, ty: Ty) -> u32 {
    match name {
        "mark" => 19,
        "proto-src" | "proto-dst" => 13,
        "label" => 30,
        "event" => 40,
        "helper" => 5,
        _ => ty_dtype(ty),
    }
}

/// The key a left side makes, as nft describes it; `masked`: the left side
/// is a bit field (nft stores no `typeof` for it).
pub(crate) fn of(l: Left, masked: bool) -> Key {
    match l {
        // nft's typeof of an extension header is not modelled: the key's
        // datatype alone.
        Left::Present(..) => Key {
            dtype: INTEGER,
            byteorder: BIG,
            typeof_: None,
        },
        Left::Field(f)
            if f.proto.is_empty() || !matches!(f.loc, crate::fields::Loc::Payload(_)) =>
        {
            Key {
                dtype: ty_dtype(f.ty),
                byteorder: BIG,
                typeof_: None,
            }
        }
        Left::Field(f) => {
            let dtype = field_dtype(f.proto, f.name, f.ty);
            let index = fields::FIELDS
                .iter()
                .filter(|x| x.proto == f.proto)
                .position(|x| x.name == f.name)
                .map_or(0, |i| i + 1);
            let mut ud = Vec::new();
            tlv32(&mut ud, 0, proto_desc(f.proto));
            tlv32(&mut ud, 1, u32::try_from(index).unwrap_or(0));
            if dtype == INTEGER {
                tlv32(&mut ud, 4, f.bits);
            }
            Key {
                dtype,
                byteorder: BIG,
                typeof_: (!masked).then_some((EXPR_PAYLOAD, ud)),
            }
        }
        Left::Meta(k, ty, _) => {
            let name = fields::meta_by_key(k).map_or("", |m| m.0);
            let mut ud = Vec::new();
            tlv32(&mut ud, 0, k.0);
            let big = matches!(name, "protocol" | "ibrvproto" | "random");
            Key {
                dtype: meta_dtype(name, ty),
                byteorder: if big { BIG } else { HOST },
                typeof_: Some((EXPR_META, ud)),
            }
        }
        // nft's typeof of these sources is not modelled either.
        Left::Keyed(k) => Key {
            dtype: ty_dtype(k.ty),
            byteorder: if k.host { HOST } else { BIG },
            typeof_: None,
        },
        Left::Ct(k, ty, _, dir) => {
            let name = fields::ct_by_key(k).map_or("", |m| m.0);
            let mut ud = Vec::new();
            tlv32(&mut ud, 0, k.0);
            tlv32(&mut ud, 1, dir.map_or(u32::MAX, u32::from));
            let big = matches!(ty, Ty::Ipv4 | Ty::Ipv6 | Ty::InetProto)
                || matches!(name, "proto-src" | "proto-dst" | "id");
            Key {
                dtype: ct_dtype(name, ty),
                byteorder: if big { BIG } else { HOST },
                typeof_: Some((EXPR_CT, ud)),
            }
        }
    }
}

/// The key of a concatenation of `keys`.
pub(crate) fn concat(keys: &[Key]) -> Key {
    let dtype = keys.iter().fold(0, |a, k| (a << 6) | k.dtype);
    let mut ud = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let Some((ety, data)) = &k.typeof_ else {
            // nft stores no typeof when one field has none.
            return Key {
                dtype,
                byteorder: 0,
                typeof_: None,
            };
        };
        let mut nest = Vec::new();
        tlv32(&mut nest, 0, *ety);
        tlv(&mut nest, 1, data);
        tlv(&mut ud, u8::try_from(i).unwrap_or(u8::MAX), &nest);
    }
    Key {
        dtype,
        byteorder: 0,
        typeof_: Some((EXPR_CONCAT, ud)),
    }
}

/// A verdict map's data.
pub(crate) fn verdict() -> Key {
    Key {
        dtype: VERDICT,
        byteorder: 0,
        typeof_: Some((EXPR_VERDICT, Vec::new())),
    }
}

impl Key {
    /// The `typeof` TLV of type `ud` (key or data), if nft stores one.
    pub(crate) fn put_typeof(&self, out: &mut Vec<u8>, ud: u8) {
        if let Some((ety, data)) = &self.typeof_ {
            let mut nest = Vec::new();
            tlv32(&mut nest, 0, *ety);
            tlv(&mut nest, 1, data);
            tlv(out, ud, &nest);
        }
    }
}
