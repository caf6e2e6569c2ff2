//! The socket layer under every driver: multicast classification by group
//! number (`NETLINK_PKTINFO`), receive sizing.

use nl_proto::route::addr::{self, NewAddress};
use nl_proto::session::{Event, Session, Source};
use nl_proto::wire::{MsgWriter, Seq};
use nl_rustix::{Conn, LinkSpec, Netns, PrivateNetns, Protocol, Received, Socket};
use nl_tests::{Ctx, Failed, Scenario, ensure, ensure_eq, t};
use std::os::fd::AsFd;
use std::time::Duration;

pub(crate) fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "socket::group_above_32_is_a_notification",
            needs_kinds: &[],
            needs_ip: false,
            run: group_above_32,
        },
        Scenario {
            name: "socket::datagram_larger_than_the_receive_buffer",
            needs_kinds: &[],
            needs_ip: false,
            run: larger_than_buffer,
        },
        Scenario {
            name: "socket::unpeeked_answer_cut_short_is_never_silent",
            needs_kinds: &[],
            needs_ip: false,
            run: unpeeked_cut_short,
        },
        Scenario {
            name: "socket::other_processes_cannot_unicast_to_a_socket",
            needs_kinds: &[],
            needs_ip: false,
            run: unicast_refused,
        },
        Scenario {
            name: "socket::netns_pid_is_the_process_namespace",
            needs_kinds: &["veth"],
            needs_ip: false,
            run: netns_pid,
        },
        Scenario {
            name: "socket::nonblocking_conn_reports_would_block",
            needs_kinds: &[],
            needs_ip: false,
            run: nonblocking_would_block,
        },
        Scenario {
            name: "socket::notification_with_our_seq_before_our_ack",
            needs_kinds: &[],
            needs_ip: false,
            run: our_seq_before_ack,
        },
    ]
}

/// `RTNLGRP_IPV4_IFADDR`.
const IPV4_IFADDR: u32 = 5;
/// `RTNLGRP_IPV4_MCADDR`: above 32, so the address's legacy mask is 0.
const IPV4_MCADDR: u32 = 37;
/// `RTM_NEWADDR`.
const RTM_NEWADDR: u16 = 20;
/// `RTM_NEWMULTICAST`.
const RTM_NEWMULTICAST: u16 = 56;

/// A socket in the scenario's namespace that gives up after a second.
fn socket(ctx: &Ctx) -> Result<Socket, Failed> {
    let sock = t!(ctx.netns().socket(Protocol::Route));
    t!(sock.set_recv_timeout(Some(Duration::from_secs(1))));
    Ok(sock)
}

/// One event, rendered: (kind, group or 0, message type or 0, seq).
type Seen = (String, u32, u16, u32);

/// Receive one datagram and render what the session makes of it.
fn receive(
    sock: &Socket,
    session: &mut Session<4>,
    buf: &mut Vec<u8>,
) -> Result<(Source, Vec<Seen>), Failed> {
    let (len, src) = match t!(sock.recv_vec(buf)) {
        Received::Datagram { len, src } => (len, src),
        Received::Truncated { len, .. } => return Err(format!("truncated {len}")),
    };
    let mut events = Vec::new();
    for ev in session.feed(&buf[..len], src) {
        events.push(match t!(ev) {
            Event::Notification { group, msg } => (
                "notification".to_string(),
                group,
                msg.msg_type().0,
                msg.seq().0,
            ),
            Event::Reply { seq, msg } => ("reply".into(), 0, msg.msg_type().0, seq.0),
            Event::Ack { seq } => ("ack".into(), 0, 0, seq.0),
            Event::Stray { msg } => ("stray".into(), 0, msg.msg_type().0, msg.seq().0),
            other => (format!("{other:?}"), 0, 0, 0),
        });
    }
    Ok((src, events))
}

/// Bringing `lo` up joins it to 224.0.0.1, which the kernel announces as
/// `RTM_NEWMULTICAST` on group 37. The sender address's legacy mask is 0
/// there, so only `NETLINK_PKTINFO` tells it from a unicast answer.
fn group_above_32(ctx: &mut Ctx) -> Result<(), Failed> {
    let sock = socket(ctx)?;
    t!(sock.join(IPV4_MCADDR));
    t!(ctx.conn.set_link("lo", &nl_rustix::LinkSet::new().up()));
    let mut session = Session::<4>::new();
    let mut buf = Vec::new();
    let mut seen = Vec::new();
    // lo gets several multicast addresses (v4, and v6 ones on group 38
    // which we did not join); look at what arrived.
    while let Ok((src, events)) = receive(&sock, &mut session, &mut buf) {
        let found = events.iter().any(|e| e.2 == RTM_NEWMULTICAST);
        seen.push((src, events));
        if found || seen.len() > 8 {
            break;
        }
    }
    let (src, events) = seen
        .iter()
        .find(|(_, e)| e.iter().any(|e| e.2 == RTM_NEWMULTICAST))
        .ok_or_else(|| format!("no RTM_NEWMULTICAST arrived: {seen:?}"))?;
    ensure_eq!(src.group, IPV4_MCADDR, "pktinfo group of {events:?}");
    ensure_eq!(src.groups, 0, "the legacy mask is 0 above 32");
    for e in events {
        ensure_eq!(
            (e.0.as_str(), e.1, e.2),
            ("notification", IPV4_MCADDR, RTM_NEWMULTICAST)
        );
    }
    Ok(())
}

/// Adding an address on a socket that watches `RTNLGRP_IPV4_IFADDR`: the
/// kernel's notification carries our seq and comes before our ack; the
/// session must report it as a notification (group 5) and still complete
/// the request with the ack, not with the notification.
fn our_seq_before_ack(ctx: &mut Ctx) -> Result<(), Failed> {
    let sock = socket(ctx)?;
    t!(sock.join(IPV4_IFADDR));
    let mut session = Session::<4>::new();
    let mut out = [0u8; 256];
    let mut w = MsgWriter::new(&mut out);
    let req = t!(addr::encode_new(
        &mut w,
        &NewAddress::new(1, t!("127.0.0.2/8".parse()))
    ));
    let seq: Seq = t!(session.submit(req));
    let len = w.len();
    t!(sock.send(&out[..len]));
    let mut buf = Vec::new();
    let mut all = Vec::new();
    while session.is_pending(seq) {
        let (src, events) = receive(&sock, &mut session, &mut buf)?;
        ensure!(all.len() < 8, "no ack after {all:?}");
        all.push((src, events));
    }
    let events: Vec<_> = all.iter().flat_map(|(_, e)| e.clone()).collect();
    ensure_eq!(
        events,
        vec![
            ("notification".to_string(), IPV4_IFADDR, RTM_NEWADDR, seq.0),
            ("ack".to_string(), 0, 0, seq.0),
        ]
    );
    ensure_eq!(all[0].0.group, IPV4_IFADDR, "pktinfo group");
    ensure_eq!(all[1].0.group, 0, "the ack is unicast");
    Ok(())
}

/// `lo`'s `RTM_NEWLINK` (64-bit stats, `IFLA_AF_SPEC`) is larger than
/// 1 KiB: with a 1 KiB receive buffer the connection must grow it, not
/// fail the request with `Truncated`.
fn larger_than_buffer(ctx: &mut Ctx) -> Result<(), Failed> {
    ctx.conn.set_recv_buffer_len_for_tests(1024);
    let lo = t!(ctx.conn.link("lo"));
    ensure_eq!(lo.index, 1);
    ctx.conn.set_recv_buffer_len_for_tests(1024);
    let links = t!(ctx.conn.links());
    ensure_eq!(links.len(), 1, "{links:?}");
    ensure_eq!(links[0].name.as_str(), "lo");
    Ok(())
}

/// `Conn::ack` and `Conn::get` read without peeking the size; what a
/// datagram cut short costs depends on what it carried:
/// - a reply to a request sent through `ack` (a `link get`, 1.5 KiB for
///   `lo`, into a 1 KiB buffer) is not read anyway: the call succeeds on
///   the acknowledgement that follows;
/// - the reply to a `get` is asked for again and returned whole;
/// - a dump sent through `batch` or `ack` is peeked as any dump is;
/// - an acknowledgement cut short (a 36-byte ack into 20 bytes) fails the
///   call with `Truncated` naming both sizes, not a hang or a success,
///   and the connection peeks from then on, so the same call succeeds.
fn unpeeked_cut_short(ctx: &mut Ctx) -> Result<(), Failed> {
    let lo = t!(nl_rustix::ifname("lo"));
    let get_lo = nl_rustix::encoder(|w| {
        nl_proto::route::link::encode_get(w, nl_proto::route::link::LinkRef::Name(&lo))
    });
    let mut conn = t!(ctx.conn2());
    conn.set_recv_buffer_len_for_tests(1024);
    t!(conn.ack(get_lo));
    conn.set_recv_buffer_len_for_tests(1024);
    let link = t!(conn.link("lo"));
    ensure_eq!(link.index, 1);
    ensure!(
        link.stats.is_some(),
        "the whole reply, with its statistics: {link:?}"
    );

    // A dump sent through `batch` or `ack` is still peeked: its parts
    // (1.5 KiB for `lo`) arrive whole into a 1 KiB buffer.
    let mut conn = t!(ctx.conn2());
    conn.set_recv_buffer_len_for_tests(1024);
    let dump = nl_rustix::encoder(nl_proto::route::link::encode_dump);
    let results = t!(conn.batch([dump]));
    ensure!(
        matches!(results.as_slice(), [Ok(())]),
        "a dump in a batch: {results:?}"
    );
    t!(conn.ack(dump));

    let mut conn = t!(ctx.conn2());
    conn.set_recv_buffer_len_for_tests(20);
    let up = nl_rustix::LinkSet::new().up();
    match conn.set_link(1u32, &up) {
        Err(nl_rustix::Error::Truncated { len, cap }) => {
            ensure_eq!((len, cap), (36, 20), "a capped ack");
        }
        other => return Err(format!("expected Truncated, got {other:?}")),
    }
    t!(conn.set_link(1u32, &up));
    ensure_eq!(t!(conn.link("lo")).index, 1);
    Ok(())
}

/// A socket is connected to the kernel, so the kernel refuses unicasts
/// from other sockets to it (`ECONNREFUSED` to the sender, even a
/// privileged one): what it receives outside multicast groups is the
/// kernel's, which is why it reads without the sender's address. The
/// connection still answers afterwards.
fn unicast_refused(ctx: &mut Ctx) -> Result<(), Failed> {
    let other = t!(ctx.netns().socket(Protocol::Route));
    let to = rustix::net::netlink::SocketAddrNetlink::new(ctx.conn.socket().port_id(), 0);
    // An NLMSG_NOOP from one user socket to the other.
    let mut noop = [0u8; 16];
    noop[..4].copy_from_slice(&16u32.to_ne_bytes());
    noop[4..6].copy_from_slice(&1u16.to_ne_bytes());
    let sent = rustix::net::sendto(&other, &noop, rustix::net::SendFlags::empty(), &to);
    ensure_eq!(
        sent,
        Err(rustix::io::Errno::CONNREFUSED),
        "unicast to port {}",
        to.pid()
    );
    ensure_eq!(t!(ctx.conn.link("lo")).index, 1);
    Ok(())
}

/// The inode of a namespace descriptor: equal inodes, same namespace.
fn ns_inode(fd: impl AsFd) -> Result<u64, Failed> {
    Ok(t!(rustix::fs::fstat(fd)).st_ino)
}

/// A process running in the scenario's namespace, killed on drop.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `Netns::Pid` reaches the namespace of the process (pinned by pidfd for
/// sockets, by its namespace file for a moved link): a socket opened by
/// pid talks to the namespace whose inode is the process's, and a link
/// moved by pid lands there.
fn netns_pid(ctx: &mut Ctx) -> Result<(), Failed> {
    let child = Child(t!(t!(ctx.netns().run(|| std::process::Command::new(
        "sleep"
    )
    .arg("60")
    .spawn()))));
    let pid = Netns::Pid(child.0.id());
    let want = ns_inode(&ctx.ns)?;
    let proc_file = t!(pid.open_file());
    ensure_eq!(
        ns_inode(&*proc_file)?,
        want,
        "the child runs in the scenario's namespace"
    );
    let sock = t!(pid.socket(Protocol::Route));
    let Netns::Fd(sock_ns) = t!(sock.netns()) else {
        return Err("Socket::netns is not a descriptor".into());
    };
    ensure_eq!(ns_inode(&*sock_ns)?, want, "the socket's namespace");

    let other = t!(PrivateNetns::new());
    let mut conn = t!(Conn::open_in(&other.netns()));
    t!(conn.create_link(&LinkSpec::veth("mv0", "mv1")));
    t!(conn.move_link("mv0", &pid));
    ensure!(conn.link("mv0").is_err(), "mv0 still in the old namespace");
    let moved = t!(Conn::with_socket(sock)).link("mv0");
    ensure!(moved.is_ok(), "mv0 not where the process is: {moved:?}");
    t!(ctx.conn.link("mv0"));
    Ok(())
}

/// A request the kernel never answers: an nfnetlink `BATCH_BEGIN` too
/// short to hold an `nfgenmsg` is dropped without an ack.
fn unanswered<'w>(
    w: &'w mut MsgWriter<'_>,
) -> Result<nl_proto::session::Request<'w>, nl_proto::EncodeError> {
    w.begin(
        nl_proto::wire::MsgType(0x10),
        nl_proto::wire::Flags::REQUEST,
    )?;
    Ok(nl_proto::session::Request::new(
        w.finish()?,
        nl_proto::session::Expect::Ack,
    ))
}

/// On a blocking socket an unanswered request times out; once the socket
/// is switched to non-blocking, the same wait is `EAGAIN` at once, not a
/// timeout it never waited for.
fn nonblocking_would_block(ctx: &mut Ctx) -> Result<(), Failed> {
    let mut conn = t!(Conn::with_socket(t!(ctx
        .netns()
        .socket(Protocol::Netfilter))));
    t!(conn.set_timeout(Some(Duration::from_millis(100))));
    let e = conn.request(unanswered, |_| Ok(())).err();
    ensure!(
        matches!(e, Some(nl_rustix::Error::Timeout(_))),
        "blocking: {e:?}"
    );
    t!(conn.socket().set_nonblocking(true));
    let e = conn
        .request(unanswered, |_| Ok(()))
        .err()
        .ok_or("answered")?;
    ensure!(
        !matches!(e, nl_rustix::Error::Timeout(_)),
        "non-blocking reported {e}"
    );
    ensure_eq!(e.errno(), Some(11), "{e}");
    ensure!(e.to_string().starts_with("netlink EAGAIN (11): "), "{e}");
    Ok(())
}
