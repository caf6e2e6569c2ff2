//! Golden vectors: what nft 1.0.6 sends for each object type (`nft -f` of
//! the lines below in `ip t`, nl-capture --normalize) and what the kernel
//! (6.18) reports for them in a dump.

use super::*;
use crate::nfnl::nft::CHAIN_NAME_CAP;
use crate::nfnl::nft::test_hex as hex;

/// `add counter ip t cnt1`, … `add synproxy ip t synproxy2 { mss 1460 wscale 7 timestamp sack-perm; }`:
/// the NEWOBJ members of the batch, in this order: cnt1, cnt2 `{ packets 5 bytes 100 }`,
/// qt1 `{ 25 mbytes }`, qt2 `{ over 1 kbytes }`, qt3 `{ 25 mbytes used 3 kbytes }`,
/// cthelp1 `{ type "ftp" protocol tcp; }`, lim1 `{ rate 400/minute; }`,
/// lim2 `{ rate over 1024 bytes/second burst 512 bytes; }`,
/// cttime1 `{ protocol tcp; policy = { established:122 }; }`,
/// cttime3 `{ protocol tcp; policy = { established:132, close:16, close_wait:16 }; l3proto ip; }`,
/// cttime4 `{ protocol udp; policy = { replied:14, unreplied:19 }; }`,
/// ctexpect1 `{ protocol tcp; dport 1234; timeout 2m; size 12; }`,
/// ctexpect5 `{ protocol udp; dport 9876; timeout 2m; size 12; l3proto ip; }`,
/// synproxy1 `{ mss 1460 wscale 7; }`, synproxy2.
const SENT: [&str; 15] = [
    // cnt1
    "4c000000120a0104000000000000000002000000060001007400000009000200636e74310000000008000300000000011c0004800c00010000000000000000000c0002000000000000000000",
    // cnt2
    "4c000000120a0104000000000000000002000000060001007400000009000200636e74320000000008000300000000011c0004800c00010000000000000000640c0002000000000000000005",
    // qt1
    "50000000120a0104000000000000000002000000060001007400000008000200717431000800030000000002240004800c00010000000000019000000c00040000000000000000000800020000000000",
    // qt2
    "50000000120a0104000000000000000002000000060001007400000008000200717432000800030000000002240004800c00010000000000000004000c00040000000000000000000800020000000001",
    // qt3
    "50000000120a0104000000000000000002000000060001007400000008000200717433000800030000000002240004800c00010000000000019000000c0004000000000000000c000800020000000000",
    // cthelp1
    "44000000120a010400000000000000000200000006000100740000000c000200637468656c70310008000300000000031400048007000100667470000500030006000000",
    // lim1
    "64000000120a01040000000000000000020000000600010074000000090002006c696d31000000000800030000000004340004800c00010000000000000001900c000200000000000000003c080003000000000508000400000000000800050000000000",
    // lim2
    "64000000120a01040000000000000000020000000600010074000000090002006c696d32000000000800030000000004340004800c00010000000000000004000c0002000000000000000001080003000000020008000400000000010800050000000001",
    // cttime1
    "98000000120a010400000000000000000200000006000100740000000c000200637474696d65310008000300000000076800048005000200060000005c0003800800010000000078080002000000003c080003000000007a0800040000000078080005000000003c080006000000001e0800070000000078080008000000000a080009000000007808000a000000012c08000b000000012c",
    // cttime3
    "a0000000120a010400000000000000000200000006000100740000000c000200637474696d653300080003000000000770000480060001000002000005000200060000005c0003800800010000000078080002000000003c080003000000008408000400000000780800050000000010080006000000001e08000700000000780800080000000010080009000000007808000a000000012c08000b000000012c",
    // cttime4
    "50000000120a010400000000000000000200000006000100740000000c000200637474696d6534000800030000000007200004800500020011000000140003800800010000000013080002000000000e",
    // ctexpect1
    "58000000120a010400000000000000000200000006000100740000000e00020063746578706563743100000008000300000000092400048005000200060000000600030004d2000008000400c0d40100050005000c000000",
    // ctexpect5
    "60000000120a010400000000000000000200000006000100740000000e00020063746578706563743500000008000300000000092c00048006000100000200000500020011000000060003002694000008000400c0d40100050005000c000000",
    // synproxy1
    "50000000120a010400000000000000000200000006000100740000000e00020073796e70726f787931000000080003000000000a1c0004800600010005b4000005000200070000000800030000000003",
    // synproxy2
    "50000000120a010400000000000000000200000006000100740000000e00020073796e70726f787932000000080003000000000a1c0004800600010005b400000500020007000000080003000000000f",
];

/// The kernel's GETOBJ dump entries for them (handles 2…16).
const LISTED: [&str; 15] = [
    // cnt1
    "60000000120a0208000000000000000002000002060001007400000009000200636e74310000000008000300000000010c000600000000000000000208000500000000021c0004000c00010000000000000000000c0002000000000000000000",
    // cnt2
    "60000000120a0208000000000000000002000002060001007400000009000200636e74320000000008000300000000010c000600000000000000000308000500000000021c0004000c00010000000000000000640c0002000000000000000005",
    // qt1
    "64000000120a02080000000000000000020000020600010074000000080002007174310008000300000000020c00060000000000000000040800050000000003240004000c00010000000000019000000c00040000000000000000000800020000000000",
    // qt2
    "64000000120a02080000000000000000020000020600010074000000080002007174320008000300000000020c00060000000000000000050800050000000001240004000c00010000000000000004000c00040000000000000000000800020000000001",
    // qt3
    "64000000120a02080000000000000000020000020600010074000000080002007174330008000300000000020c00060000000000000000060800050000000000240004000c00010000000000019000000c0004000000000000000c000800020000000000",
    // cthelp1
    "60000000120a020800000000000000000200000206000100740000000c000200637468656c70310008000300000000030c000600000000000000000708000500000000031c000400080001006674700005000300060000000600020000020000",
    // lim1
    "78000000120a02080000000000000000020000020600010074000000090002006c696d310000000008000300000000040c00060000000000000000080800050000000003340004000c00010000000000000001900c000200000000000000003c080003000000000508000400000000000800050000000000",
    // lim2
    "78000000120a02080000000000000000020000020600010074000000090002006c696d320000000008000300000000040c00060000000000000000090800050000000001340004000c00010000000000000004000c0002000000000000000001080003000000020008000400000000010800050000000001",
    // cttime1
    "b4000000120a020800000000000000000200000206000100740000000c000200637474696d65310008000300000000070c000600000000000000000a080005000000000170000400050002000600000006000100000200005c0003800800010000000078080002000000003c080003000000007a0800040000000078080005000000003c080006000000001e0800070000000078080008000000000a080009000000007808000a000000012c08000b000000012c",
    // cttime3
    "b4000000120a020800000000000000000200000206000100740000000c000200637474696d65330008000300000000070c000600000000000000000b080005000000000070000400050002000600000006000100000200005c0003800800010000000078080002000000003c080003000000008408000400000000780800050000000010080006000000001e08000700000000780800080000000010080009000000007808000a000000012c08000b000000012c",
    // cttime4
    "6c000000120a020800000000000000000200000206000100740000000c000200637474696d65340008000300000000070c000600000000000000000c08000500000000002800040005000200110000000600010000020000140003800800010000000013080002000000000e",
    // ctexpect1
    "74000000120a020800000000000000000200000206000100740000000e00020063746578706563743100000008000300000000090c000600000000000000000d08000500000000012c000400060001000002000005000200060000000600030004d2000008000400c0d40100050005000c000000",
    // ctexpect5
    "74000000120a020800000000000000000200000206000100740000000e00020063746578706563743500000008000300000000090c000600000000000000000e08000500000000002c00040006000100000200000500020011000000060003002694000008000400c0d40100050005000c000000",
    // synproxy1
    "64000000120a020800000000000000000200000206000100740000000e00020073796e70726f787931000000080003000000000a0c000600000000000000000f08000500000000021c0004000600010005b4000005000200070000000800030000000003",
    // synproxy2
    "64000000120a020800000000000000000200000206000100740000000e00020073796e70726f787932000000080003000000000a0c000600000000000000001008000500000000011c0004000600010005b400000500020007000000080003000000000f",
];

/// `add secmark ip t sec1 { "system_u:object_r:ssh_server_packet_t:s0" }`
/// (the kernel here has no SELinux and refuses it; the request is nft's).
const SENT_SECMARK: &str = "60000000120a010400000000000000000200000006000100740000000900020073656331000000000800030000000008300004802c00010073797374656d5f753a6f626a6563745f723a7373685f7365727665725f7061636b65745f743a7330";

/// `add counter ip t c3 { comment "hi" }`.
const SENT_COMMENT: &str = "54000000120a01040000000000000000020000000600010074000000070002006333000008000300000000010900080000036869000000001c0004800c00010000000000000000000c0002000000000000000000";

/// `delete counter ip t cnt1`.
const SENT_DELETE: &str = "34000000140a0100000000000000000002000000060001007400000009000200636e743100000000080003000000000104000480";

/// nft's TCP and UDP defaults (nft's `tcp_dflt_timeout`), which it sends
/// for every state the policy leaves out.
const TCP: [u32; 11] = [120, 60, 432_000, 120, 60, 30, 120, 10, 120, 300, 300];

fn timeouts(v: &[u32]) -> heapless::Vec<u32, CT_TIMEOUT_CAP> {
    heapless::Vec::from_slice(v).unwrap()
}

/// What each of `SENT` asks for, as [`ObjData`].
fn wanted() -> [(&'static str, ObjData<'static>); 15] {
    let mut tcp1 = TCP;
    tcp1[2] = 122;
    let mut tcp3 = TCP;
    tcp3[2] = 132;
    tcp3[4] = 16;
    tcp3[7] = 16;
    [
        ("cnt1", ObjData::Counter(Counter::default())),
        (
            "cnt2",
            ObjData::Counter(Counter {
                bytes: 100,
                packets: 5,
            }),
        ),
        (
            "qt1",
            ObjData::Quota(Quota {
                bytes: 25 << 20,
                flags: 0,
                consumed: 0,
            }),
        ),
        (
            "qt2",
            ObjData::Quota(Quota {
                bytes: 1024,
                flags: 1,
                consumed: 0,
            }),
        ),
        (
            "qt3",
            ObjData::Quota(Quota {
                bytes: 25 << 20,
                flags: 0,
                consumed: 3072,
            }),
        ),
        (
            "cthelp1",
            ObjData::CtHelper(CtHelper {
                name: "ftp",
                l3proto: None,
                l4proto: 6,
            }),
        ),
        (
            "lim1",
            ObjData::Limit(Limit {
                rate: 400,
                unit: 60,
                burst: 5,
                kind: LimitType::PKTS,
                flags: 0,
            }),
        ),
        (
            "lim2",
            ObjData::Limit(Limit {
                rate: 1024,
                unit: 1,
                burst: 512,
                kind: LimitType::PKT_BYTES,
                flags: 1,
            }),
        ),
        (
            "cttime1",
            ObjData::CtTimeout(CtTimeout {
                l3proto: None,
                l4proto: 6,
                timeouts: timeouts(&tcp1),
            }),
        ),
        (
            "cttime3",
            ObjData::CtTimeout(CtTimeout {
                l3proto: Some(2),
                l4proto: 6,
                timeouts: timeouts(&tcp3),
            }),
        ),
        (
            "cttime4",
            ObjData::CtTimeout(CtTimeout {
                l3proto: None,
                l4proto: 17,
                timeouts: timeouts(&[19, 14]),
            }),
        ),
        (
            "ctexpect1",
            ObjData::CtExpect(CtExpect {
                l3proto: None,
                l4proto: 6,
                dport: 1234,
                timeout: 120_000,
                size: 12,
            }),
        ),
        (
            "ctexpect5",
            ObjData::CtExpect(CtExpect {
                l3proto: Some(2),
                l4proto: 17,
                dport: 9876,
                timeout: 120_000,
                size: 12,
            }),
        ),
        (
            "synproxy1",
            ObjData::Synproxy(Synproxy {
                mss: Some(1460),
                wscale: Some(7),
                flags: 3,
            }),
        ),
        (
            "synproxy2",
            ObjData::Synproxy(Synproxy {
                mss: Some(1460),
                wscale: Some(7),
                flags: 15,
            }),
        ),
    ]
}

fn encoded(name: &str, data: ObjData<'_>, comment: Option<&str>) -> heapless::Vec<u8, 1024> {
    let mut buf = [0u8; 1024];
    let mut w = MsgWriter::new(&mut buf);
    let obj = NewObj {
        table: "t",
        name,
        data,
        comment,
    };
    let req = encode_new_obj(&mut w, NfProto::IPV4, &obj).unwrap();
    assert_eq!(req.expect, Expect::Ack);
    heapless::Vec::from_slice(req.msg).unwrap()
}

#[test]
fn emits_every_object_type_as_nft() {
    for ((name, data), sent) in wanted().into_iter().zip(SENT) {
        assert_eq!(encoded(name, data, None), hex(sent), "{name}");
    }
    assert_eq!(
        encoded(
            "sec1",
            ObjData::Secmark("system_u:object_r:ssh_server_packet_t:s0"),
            None
        ),
        hex(SENT_SECMARK)
    );
    assert_eq!(
        encoded("c3", ObjData::Counter(Counter::default()), Some("hi")),
        hex(SENT_COMMENT)
    );
    let mut buf = [0u8; 128];
    let mut w = MsgWriter::new(&mut buf);
    let req = encode_del_obj(&mut w, NfProto::IPV4, "t", "cnt1", ObjType::COUNTER).unwrap();
    assert_eq!(&req.msg[..], &hex(SENT_DELETE)[..]);
}

#[test]
fn parses_the_kernels_listing() {
    for (i, ((name, mut data), listed)) in wanted().into_iter().zip(LISTED).enumerate() {
        let bytes = hex(listed);
        let (m, _) = Msg::parse(&bytes).unwrap();
        let obj = Obj::decode(&m).unwrap();
        assert_eq!(
            (obj.family, obj.table, obj.name),
            (NfProto::IPV4, "t", name)
        );
        assert_eq!(obj.handle, u64::try_from(i).unwrap() + 2);
        // The kernel fills in what nft left out: the helper's and the
        // timeout's family, the ct expectation's.
        match &mut data {
            ObjData::CtHelper(h) => h.l3proto = Some(2),
            ObjData::CtTimeout(t) => t.l3proto = Some(2),
            ObjData::CtExpect(e) => e.l3proto = Some(2),
            _ => {}
        }
        assert_eq!(obj.data, data, "{name}");
        // Re-emitted as the kernel describes it, it decodes the same.
        let mut buf = [0u8; 1024];
        let mut w = MsgWriter::new(&mut buf);
        let again = obj.emit(&mut w, Flags::MULTI).unwrap();
        let (m2, _) = Msg::parse(again).unwrap();
        assert_eq!(Obj::decode(&m2).unwrap(), obj);
    }
}

#[test]
fn parses_comments_secmark_and_unknown_types() {
    let bytes = hex(SENT_COMMENT);
    let (m, _) = Msg::parse(&bytes).unwrap();
    let obj = Obj::decode(&m).unwrap();
    assert_eq!(obj.comment(), Some("hi"));
    let bytes = hex(SENT_SECMARK);
    let (m, _) = Msg::parse(&bytes).unwrap();
    assert_eq!(
        Obj::decode(&m).unwrap().data,
        ObjData::Secmark("system_u:object_r:ssh_server_packet_t:s0")
    );
    // A type this crate does not model (tunnel) keeps its bytes, and
    // writes them back unchanged.
    let mut b = hex(SENT[0]);
    b[47] = 6;
    let (m, _) = Msg::parse(&b).unwrap();
    let obj = Obj::decode(&m).unwrap();
    assert!(
        matches!(obj.data, ObjData::Unknown { kind: ObjType::TUNNEL, data } if data.len() == 24)
    );
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let out = obj.emit(&mut w, Flags::EMPTY).unwrap();
    let (m, _) = Msg::parse(out).unwrap();
    assert_eq!(Obj::decode(&m).unwrap().data, obj.data);
}

#[test]
fn rejects_bad_names_and_never_panics() {
    let mut buf = [0u8; 256];
    let mut w = MsgWriter::new(&mut buf);
    let long = [b'x'; CHAIN_NAME_CAP + 1];
    let long = core::str::from_utf8(&long).unwrap();
    for bad in ["", "a\0b", long] {
        let obj = NewObj {
            table: "t",
            name: bad,
            data: ObjData::Counter(Counter::default()),
            comment: None,
        };
        assert!(encode_new_obj(&mut w, NfProto::IPV4, &obj).is_err());
        assert!(w.is_empty());
    }
    for listed in LISTED {
        let bytes = hex(listed);
        for cut in 16..bytes.len() {
            let mut b = bytes.clone();
            b[0] = u8::try_from(cut).unwrap();
            if let Ok((m, _)) = Msg::parse(&b[..cut]) {
                let _ = Obj::decode(&m);
            }
        }
        for i in 20..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            if let Ok((m, _)) = Msg::parse(&b) {
                let _ = Obj::decode(&m).map(|o| o.comment());
            }
        }
    }
}
