//! Statements that act on the packet, through the `nft` example: written
//! by nft 1.0.6 from its own syntax, the example lists them exactly as
//! nft does, and applying nft's listing with the example leaves what
//! nft's own apply leaves.

use crate::nft::lists_and_applies_as_nft;
use nl_tests::{Ctx, Failed, Scenario};

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "nft::statements_list_and_apply_as_nft",
            needs_kinds: &["cmd:nft"],
            needs_ip: false,
            run: statements,
        },
        Scenario {
            name: "nft::vlan_tags_list_and_apply_as_nft",
            needs_kinds: &["cmd:nft"],
            needs_ip: false,
            run: vlan_tags,
        },
        Scenario {
            name: "nft::wildcards_and_random_list_and_apply_as_nft",
            needs_kinds: &["cmd:nft"],
            needs_ip: false,
            run: wildcards_and_random,
        },
        Scenario {
            name: "nft::raw_payload_list_and_apply_as_nft",
            needs_kinds: &["cmd:nft"],
            needs_ip: false,
            run: raw_payload,
        },
    ]
}

/// Payload writes (whole bytes, sub-byte fields, checksummed words, a
/// pseudo-header address), nat with ranges, prefixes, port ranges, flags
/// and an inet family, tproxy, synproxy, dup, fwd, notrack, ct count and
/// the hashes. Regular chains: the kernel checks a statement against a
/// base chain's hook and type, which these would each need their own of.
const RULES: &str = "table ip t {
    chain c {
        ip ttl set 23
        ip dscp set af23
        ip ecn set ce
        ip daddr set 127.0.0.1
        ip protocol set 1
        udp checksum set 0
        tcp dport set 1
        ether saddr set ff:fe:dc:ba:98:76
        meta l4proto 6 tproxy to 192.0.2.1:50080
        ip protocol 6 tproxy to :50080
        tcp dport 80 synproxy mss 1460 wscale 7 timestamp sack-perm
        synproxy
        ct mark set jhash ip saddr . ip daddr mod 2 seed 0xdeadbeef offset 100
        ct mark set jhash ip saddr mod 2
        ct mark set symhash mod 2 offset 100
        dup to 192.168.2.1 device \"lo\"
        notrack
        ct count over 3
    }
    chain n {
        tcp dport 80-90 snat to 192.168.3.15-192.168.3.240
        snat to 10.0.0.0/24
        tcp dport 81 snat to 1.2.3.4 random,persistent
    }
    chain p {
        tcp dport 81 dnat to 192.168.3.2:8080-8999
        tcp dport 81 dnat to 192.168.3.2-192.168.3.4:8080
    }
}
table ip6 t {
    chain c {
        ip6 daddr set ::1
        ip6 dscp set af42
        ip6 flowlabel set 12345
        meta l4proto 17 tproxy to [2001:db8::1]:50080
    }
    chain p {
        tcp dport 80-90 dnat to [2001:838:35f:1::]-[2001:838:35f:2::]:80-100
        dnat to [2001:838:35f:1::]/64
    }
}
table inet t {
    chain c {
        meta l4proto 17 tproxy ip6 to [2001:db8::1]:50080
        meta l4proto 17 tproxy to :50080
    }
    chain p {
        tcp dport 443 dnat ip to 192.168.3.2
        meta l4proto tcp dnat to :80
    }
}
table netdev t {
    chain c {
        dup to \"lo\"
        fwd to \"lo\"
        fwd ip to 192.168.2.200 device \"lo\"
    }
}
";

fn statements(_: &mut Ctx) -> Result<(), Failed> {
    lists_and_applies_as_nft(RULES)
}

/// 802.1Q tags: the `ether type 8021q` a tag's field implies (hidden when
/// listed, shown before a bare `vlan type`), an inner tag's fields after
/// `vlan type 8021q`, the network protocol a tag's type implies, a tag's
/// field in a merged load, a set, a range, a concatenation and a write.
const VLAN_RULES: &str = "table bridge t {
    chain c {
        vlan id 4094 vlan dei 1 vlan pcp 3
        vlan id 4094 vlan cfi 1
        vlan id 4094 vlan dei != 1
        vlan type ip
        ether type vlan ip protocol 1 accept
        vlan id 1 ip saddr 10.0.0.0/23 udp dport 53
        ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip ip protocol 6
        ether saddr 00:01:02:03:04:05 vlan id 1
        vlan id 2 ether saddr 0:1:2:3:4:6
        vlan id { 1, 2, 4, 100, 4095 } vlan pcp 1-3
        ether saddr . vlan id { 0a:0b:0c:0d:0e:0f . 42, 0a:0b:0c:0d:0e:0f . 4095 }
        vlan id 1 vlan id set 2
    }
}
table netdev t {
    chain c {
        vlan id 4094 tcp dport 22
        ether type vlan vlan id 0
    }
}
";

fn vlan_tags(_: &mut Ctx) -> Result<(), Failed> {
    lists_and_applies_as_nft(VLAN_RULES)
}

/// Interface name wildcards (a prefix compared without its NUL; `\*` a
/// star of the name) and `meta random`, a big-endian number nft still
/// turns "to network order" before comparing its magnitude; `ct id`,
/// big-endian too, and `ct helper`, a 16-byte name.
const WILDCARD_RULES: &str = r#"table ip t {
    chain c {
        meta iifname "dummy*"
        meta iifname "dummy\*"
        oifname != "eth*"
        meta random eq 1
        meta random gt 1000000
        meta random 1-3
        ct id 12345
        ct id 1-3
        ct helper "ftp"
    }
}
"#;

fn wildcards_and_random(_: &mut Ctx) -> Result<(), Failed> {
    lists_and_applies_as_nft(WILDCARD_RULES)
}

/// Raw payloads (`@base,offset,length`): no protocol, no dependency; a
/// bit range is listed as the bytes around it under a mask.
const RAW_RULES: &str = "table inet t {
    chain c {
        @nh,8,8 0xff
        @nh,8,16 0x0
        @ll,0,1 1
        @ll,0,8 & 0x80 == 0x80
        meta l4proto 91 @th,400,16 0x0 accept
        @ih,32,32 0x14000000
    }
}
";

fn raw_payload(_: &mut Ctx) -> Result<(), Failed> {
    lists_and_applies_as_nft(RAW_RULES)
}
