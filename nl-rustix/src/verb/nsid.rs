//! The namespace id verbs: `ip netns set NAME auto|N`, `ip netns
//! list-id`, and the `(id: N)` of `ip netns list`.

use super::{Call, Request};
use crate::Error;
use nl_proto::EncodeError;
use nl_proto::route::nsid::{self, NSID_NOT_ASSIGNED, NsRef, Nsid};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::Arc;

/// The namespace open as `ns`, kept open (a duplicate of the descriptor)
/// for as long as the request may be sent: a readiness loop sends it
/// later, after the caller may have closed its own.
fn kept(ns: &impl AsFd) -> Result<(Arc<OwnedFd>, NsRef), Error> {
    let fd = ns
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Error::io("dup namespace descriptor", &e))?;
    // A descriptor is never negative.
    let r = NsRef::Fd(u32::try_from(fd.as_raw_fd()).unwrap_or(u32::MAX));
    Ok((Arc::new(fd), r))
}

/// The reference a kept descriptor is sent as (a verb whose descriptor
/// could not be kept fails before it encodes anything).
fn ns_ref(kept: &Option<(Arc<OwnedFd>, NsRef)>) -> Result<NsRef, EncodeError> {
    kept.as_ref().map(|(_, r)| *r).ok_or(EncodeError::Invalid {
        what: "namespace descriptor",
    })
}

fn id(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `ip netns set NAME N|auto`: as [`Conn::set_nsid`](crate::Conn::set_nsid).
pub fn set_nsid(ns: &impl AsFd, nsid: Option<u32>) -> Call<()> {
    let value = nsid.map_or(NSID_NOT_ASSIGNED, id);
    let (fd, early) = match kept(ns) {
        Ok(k) => (Some(k), None),
        Err(e) => (None, Some(e)),
    };
    Call::new(
        None,
        false,
        move |_| {
            let kept = fd.clone();
            Request::ack(move |w| nsid::encode_set(w, ns_ref(&kept)?, value))
        },
        |_, a| a.map(|_| ()),
    )
    .fail_early(early)
}

/// The id of the namespace open as `ns`: as
/// [`Conn::nsid_of`](crate::Conn::nsid_of).
pub fn nsid_of(ns: &impl AsFd) -> Call<Option<u32>> {
    let (fd, early) = match kept(ns) {
        Ok(k) => (Some(k), None),
        Err(e) => (None, Some(e)),
    };
    Call::new(
        None,
        false,
        move |_| {
            let kept = fd.clone();
            Request::get(move |w| nsid::encode_get(w, ns_ref(&kept)?))
        },
        |_, a| Ok(u32::try_from(a?.decode_one(Nsid::decode)?.nsid).ok()),
    )
    .fail_early(early)
}

/// `ip netns list-id [target-nsid T]`: as [`Conn::nsids`](crate::Conn::nsids).
pub fn nsids(target: Option<u32>) -> Call<Vec<Nsid>> {
    let target = target.map(id);
    Call::new(
        None,
        true,
        move |_| Request::new(move |w| nsid::encode_dump(w, target)),
        |_, a| a?.decode(|m| Nsid::decode(m).map(Some)),
    )
}

/// `ip netns list-id nsid N [target-nsid T]`: as
/// [`Conn::nsid_lookup`](crate::Conn::nsid_lookup).
pub fn nsid_lookup(nsid: u32, target: Option<u32>) -> Call<Nsid> {
    let (n, target) = (id(nsid), target.map(id));
    Call::new(
        None,
        false,
        move |_| Request::get(move |w| nsid::encode_get_by_id(w, n, target)),
        |_, a| a?.decode_one(Nsid::decode),
    )
}
