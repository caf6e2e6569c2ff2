//! The IPv6 address label verbs: `ip addrlabel add|del|list`.

use super::{Call, Request};
use nl_proto::route::addrlabel::{self, AddrLabel};

/// The address label table: as
/// [`Conn::addr_labels`](crate::Conn::addr_labels).
pub fn addr_labels() -> Call<Vec<AddrLabel>> {
    Call::new(
        None,
        true,
        |_| Request::new(addrlabel::encode_dump),
        |_, a| a?.decode(|m| AddrLabel::decode(m).map(Some)),
    )
}

/// Add a label: as [`Conn::add_addr_label`](crate::Conn::add_addr_label).
pub fn add_addr_label(label: &AddrLabel) -> Call<()> {
    modify(*label, false)
}

/// Delete a label: as
/// [`Conn::delete_addr_label`](crate::Conn::delete_addr_label).
pub fn delete_addr_label(label: &AddrLabel) -> Call<()> {
    modify(*label, true)
}

fn modify(label: AddrLabel, delete: bool) -> Call<()> {
    let what = format!(
        "{} address label {}/{}",
        if delete { "delete" } else { "add" },
        label.prefix,
        label.prefix_len
    );
    Call::new(
        None,
        false,
        move |_| Request::ack(move |w| addrlabel::encode_modify(w, &label, delete)),
        |_, a| a.map(|_| ()),
    )
    .permission(move || what.clone())
}
