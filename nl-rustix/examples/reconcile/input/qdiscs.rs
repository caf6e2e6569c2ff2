//! The `qdiscs` section: per link a root qdisc and an ingress redirect.

use super::{Obj, need, number, only, text};
use nl_proto::tc::Handle;
use nl_proto::tc::units::{Rate, Size, Time};
use nl_rustix::reconcile::{DesiredClass, DesiredFilter, DesiredHtb, DesiredQdiscs, DesiredRoot};
use serde_json::Value;

/// `{"dev", "root": {…}, "ingress_redirect": "ifb0"}`.
pub(super) fn qdiscs(o: &Obj) -> Result<DesiredQdiscs, String> {
    only(o, &["dev", "root", "ingress_redirect"])?;
    let mut d = DesiredQdiscs::new(need(o, "dev")?);
    d.ingress_redirect = text(o, "ingress_redirect")?.map(str::to_string);
    d.root = match o.get("root") {
        None | Some(Value::Null) => None,
        Some(Value::Object(r)) => Some(root(r).map_err(|e| format!("root: {e}"))?),
        Some(_) => return Err("\"root\" must be an object".into()),
    };
    Ok(d)
}

fn root(o: &Obj) -> Result<DesiredRoot, String> {
    match need(o, "kind")? {
        "tbf" => {
            only(o, &["kind", "rate", "burst", "latency"])?;
            Ok(DesiredRoot::Tbf {
                rate: unit(o, "rate", "a rate", Rate::parse)?,
                burst: unit(o, "burst", "a size", Size::parse)?,
                latency: unit(o, "latency", "a time", Time::parse)?,
            })
        }
        "htb" => {
            only(o, &["kind", "handle", "default", "classes", "filters"])?;
            let handle = unit(o, "handle", "a qdisc handle", Handle::parse_qdisc)?;
            let default_class = text(o, "default")?
                .map(|s| classid(s, "default"))
                .transpose()?;
            let classes = each(o, "classes", class)?;
            let filters = each(o, "filters", filter)?;
            Ok(DesiredRoot::Htb(DesiredHtb {
                handle,
                default_class,
                classes,
                filters,
            }))
        }
        k => Err(format!("\"kind\": \"{k}\" is not tbf or htb")),
    }
}

/// Required field `k` in tc's units.
fn unit<T>(o: &Obj, k: &str, what: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    let s = need(o, k)?;
    parse(s).ok_or_else(|| format!("\"{k}\": \"{s}\" is not {what}"))
}

fn classid(s: &str, k: &str) -> Result<Handle, String> {
    Handle::parse_classid(s).ok_or_else(|| format!("\"{k}\": \"{s}\" is not a class id"))
}

/// Array field `k`, each object read by `item`.
fn each<T>(o: &Obj, k: &str, item: fn(&Obj) -> Result<T, String>) -> Result<Vec<T>, String> {
    let Some(v) = o.get(k) else {
        return Ok(Vec::new());
    };
    let items = v
        .as_array()
        .ok_or_else(|| format!("\"{k}\" must be an array"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let o = v
                .as_object()
                .ok_or_else(|| format!("{k}[{i}]: must be an object"))?;
            item(o).map_err(|e| format!("{k}[{i}]: {e}"))
        })
        .collect()
}

/// `{"classid", "parent", "rate", "ceil", "prio"}`.
fn class(o: &Obj) -> Result<DesiredClass, String> {
    only(o, &["classid", "parent", "rate", "ceil", "prio"])?;
    Ok(DesiredClass {
        classid: classid(need(o, "classid")?, "classid")?,
        parent: text(o, "parent")?
            .map(|s| classid(s, "parent"))
            .transpose()?,
        rate: unit(o, "rate", "a rate", Rate::parse)?,
        ceil: text(o, "ceil")?
            .map(|s| Rate::parse(s).ok_or_else(|| format!("\"ceil\": \"{s}\" is not a rate")))
            .transpose()?,
        prio: number(o, "prio")?.unwrap_or(0),
    })
}

/// `{"prio", "src", "dst", "flowid"}`.
fn filter(o: &Obj) -> Result<DesiredFilter, String> {
    only(o, &["prio", "src", "dst", "flowid"])?;
    let prio = number(o, "prio")?.ok_or("\"prio\" is required")?;
    Ok(DesiredFilter {
        prio: u16::try_from(prio).map_err(|_| format!("\"prio\": {prio} is above 65535"))?,
        src: super::parsed(o, "src", "a prefix")?,
        dst: super::parsed(o, "dst", "a prefix")?,
        flowid: classid(need(o, "flowid")?, "flowid")?,
    })
}
