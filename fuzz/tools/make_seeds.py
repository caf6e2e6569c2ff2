#!/usr/bin/env python3
"""Write the hand-made and capture-derived seed corpora for fuzz/.

Usage: python3 fuzz/tools/make_seeds.py CAPTURE_DIR
(the captures are the JSONL files of shared/tools/nl-capture: one datagram
per line, "dir" and "hex"). Seeds are named by content hash, as libFuzzer
names its own, so re-running is idempotent. Input formats are documented on
the bodies in nl-proto/src/fuzzing.rs.
"""
import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")

# Captures whose kernel answers make good seeds: dumps of every family,
# acks, errors with extack, genl and nfnetlink.
PICK = [
    "route_show", "link_show_dump", "link_show_lo", "addr_show_lo", "neigh_show",
    "rule_show", "genl_ctrl_get_nlctrl", "nft_list_tables", "nft_add_table_echo",
    "route_get", "err_route_add_eexist", "err_link_set_veth_mtu_too_big",
    "err_link_add_vlan", "err_nft_create_table_exists", "link_add_vxlan",
    "route_add_via", "addr_add_v6_nodad", "neigh_add_v6", "rule_add_fwmark",
    "link_set_mtu",
]


def write(target, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def recv_datagrams(cap_dir, name, limit_bytes=4000):
    out = []
    with open(os.path.join(cap_dir, name + ".jsonl")) as f:
        for line in f:
            rec = json.loads(line)
            if rec["dir"] == "recv":
                b = bytes.fromhex(rec["hex"])
                if 0 < len(b) <= limit_bytes:
                    out.append(b)
    return out


def submit(expect, ty, flags, payload=b""):
    # op 0/1/2 = Ack/Dump/Nothing; type u16, flags u16, len u8, payload
    return bytes([expect]) + struct.pack("<HHB", ty, flags, len(payload)) + payload


def feed(dgram, src=0, stamp=None, take=None, arg=0):
    # op 4; source byte: bits 0-1 kind, bit 2 stamp seqs, bit 3 early drop
    b = (src & 3) | (4 if stamp is not None else 0) | (8 if take is not None else 0)
    out = bytes([4, b])
    if src & 3 in (1, 2):
        out += struct.pack("<I", arg)
    if stamp is not None:
        out += bytes([stamp])
    if take is not None:
        out += bytes([take])
    return out + struct.pack("<H", len(dgram)) + dgram


# tc_decode's forced types (byte 0 of its input), by message type.
TC_PICK = {36: 0, 37: 0, 40: 1, 41: 1, 44: 2, 45: 2, 48: 3, 49: 3, 100: 4, 101: 4}
# object_roundtrip's: link, nexthop, then tc's five.
RT_PICK = {16: 0, 17: 0, 104: 1, 105: 1, **{t: p + 2 for t, p in TC_PICK.items()}}


def tc_golden_seeds():
    """tc_decode and object_roundtrip: every request of tc's golden vectors
    (nl-proto/src/tc/golden.txt), byte 0 forcing its own object's type."""
    path = os.path.join(HERE, "..", "..", "nl-proto", "src", "tc", "golden.txt")
    n = 0
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            msg = bytes.fromhex(line.split()[1])
            ty = struct.unpack_from("<H", msg, 4)[0]
            write("tc_decode", bytes([TC_PICK.get(ty, 0)]) + msg)
            write("object_roundtrip", bytes([RT_PICK.get(ty, 2)]) + msg)
            n += 1
    return n


def object_seeds(cap_dir):
    """object_roundtrip: the kernel's link and nexthop dumps, if captured
    (links_detail.jsonl: `ip -d link show` over a bridge, a veth port, a
    vxlan and a macvlan; nexthops.jsonl: `ip nexthop show` over a gateway,
    a device, a blackhole and a group)."""
    n = 0
    for name in ["links_detail", "nexthops"]:
        if not os.path.exists(os.path.join(cap_dir, name + ".jsonl")):
            continue
        for d in recv_datagrams(cap_dir, name, limit_bytes=16000):
            ty = struct.unpack_from("<H", d, 4)[0]
            write("object_roundtrip", bytes([RT_PICK.get(ty, 0)]) + d)
            n += 1
    return n


def main():
    cap_dir = sys.argv[1]
    n = tc_golden_seeds() + object_seeds(cap_dir)
    for name in PICK:
        if not os.path.exists(os.path.join(cap_dir, name + ".jsonl")):
            continue
        dgrams = recv_datagrams(cap_dir, name)
        # msgs_attrs: the largest answer of the scenario.
        if dgrams:
            write("msgs_attrs", max(dgrams, key=len))
            n += 1
            # session_feed: submit a dump and an ack request, then feed the
            # scenario's answers stamped with our seqs.
            script = bytes([0]) + submit(1, 18, 0x300) + submit(0, 16, 0x405, b"\0" * 16)
            for d in dgrams[:4]:
                script += feed(d, stamp=0)
            write("session_feed", script)
    # session_feed by hand: a full table, a notification, a foreign sender,
    # an early drop, a cancel and abort_all, near the seq wrap.
    done = struct.pack("<IHHII", 20, 3, 2, 0, 0) + struct.pack("<i", 0)
    ack = struct.pack("<IHHII", 36, 2, 0x100, 0, 0) + b"\0" * 4 + struct.pack("<IHHII", 32, 16, 5, 0, 0)
    write("session_feed", bytes([1]) + submit(1, 18, 0x300) * 5 + feed(done * 2, stamp=0) + bytes([6, 2]))
    write("session_feed", bytes([0]) + submit(0, 16, 5) + feed(ack, src=1, arg=1) + feed(ack, src=2, arg=77)
          + feed(ack + ack, stamp=0, take=0) + bytes([5, 0, 7]))
    write("session_feed", bytes([2]) + submit(2, 16, 0) + submit(0, 16, 0) + bytes([3, 20]) + b"\x20" * 20 + bytes([0])
          + feed(ack, stamp=1))
    # writer_roundtrip by hand: type, buffer size, tokens.
    leaf = lambda kind, p: bytes([0]) + struct.pack("<HB", kind, len(p)) + p
    opn = lambda kind: bytes([2]) + struct.pack("<H", kind)
    close = bytes([3])
    write("writer_roundtrip", struct.pack("<HH", 24, 0xffff) + leaf(15, b"\xfe") + leaf(1, b"\x0a\x09\0\0")
          + leaf(5, b"\x0a\0\0\x02") + leaf(4, struct.pack("<I", 3)))
    write("writer_roundtrip", struct.pack("<HH", 16, 61) + leaf(3, b"br0\0") + opn(18) + leaf(1, b"bridge\0")
          + opn(2) + leaf(7, b"\x01") + opn(9) + opn(10) + leaf(0x3fff, bytes(range(64))) + close + close
          + close + close + leaf(4, struct.pack("<I", 1500)))
    write("writer_roundtrip", struct.pack("<HH", 0, 17) + opn(1) + opn(2) + opn(3) + opn(4) + opn(5) + leaf(6, b""))
    print(f"{n} capture seeds")


if __name__ == "__main__":
    main()
