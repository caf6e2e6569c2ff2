//! Coverage of the kernel's rtnetlink attributes (issue 19).
//!
//! `specs/*.txt` are facts: the attribute sets of the kernel's YNL specs
//! (`rt-link`, `rt-addr`, `rt-route`, `rt-neigh`, `rt-rule`) and of the
//! nexthop UAPI, each attribute with its number and YNL type. The tables in
//! this folder (one file per spec) are the project's word on each of those
//! attributes: the typed field that decodes it, or why it is skipped. The
//! tests compare the two, so an attribute a newer kernel adds (a new line in
//! a spec file) or a row that names no attribute fails, and a decoded row
//! must name an attribute constant of the crate with the spec's number.
//!
//! `cargo test -p nl-proto --test coverage -- --nocapture` prints the
//! numbers per spec.

mod addr;
mod link;
mod neigh;
mod nexthop;
mod route;
mod rule;

use std::collections::BTreeMap;

/// What the project does with one attribute.
#[derive(Debug, Clone, Copy)]
pub(crate) enum How {
    /// Decoded into this typed field (a path a reader can grep for).
    Field(&'static str),
    /// Deliberately not decoded, for this reason.
    Skipped(&'static str),
    /// Not decoded yet: work left, counted apart from deliberate skips.
    Pending,
}

/// One attribute of a set: its spec name and what the project does with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// The name in the spec (`mtu`, `alt-ifname`).
    pub(crate) name: &'static str,
    /// Decoded, skipped or pending.
    pub(crate) how: How,
}

/// A row for an attribute decoded into `field`.
pub(crate) const fn field(name: &'static str, field: &'static str) -> Row {
    Row {
        name,
        how: How::Field(field),
    }
}

/// A row for an attribute skipped for `reason`.
pub(crate) const fn skip(name: &'static str, reason: &'static str) -> Row {
    Row {
        name,
        how: How::Skipped(reason),
    }
}

/// A row for an attribute not decoded yet.
pub(crate) const fn pending(name: &'static str) -> Row {
    Row {
        name,
        how: How::Pending,
    }
}

/// The project's table for one attribute set.
pub(crate) struct Set {
    /// The spec (`rt-link`).
    pub(crate) spec: &'static str,
    /// The set's name in the spec (`link-attrs`).
    pub(crate) name: &'static str,
    /// The crate's attribute constants for this set: the constant's name
    /// for a number, if the crate names it (an open enum's `name`).
    pub(crate) constant: Option<fn(u16) -> Option<&'static str>>,
    /// One row per attribute.
    pub(crate) rows: &'static [Row],
}

/// One attribute of a spec file.
#[derive(Debug, Clone)]
struct SpecAttr {
    value: u16,
    name: String,
}

/// `(spec, set)` → attributes, from the fact files.
fn spec_sets() -> BTreeMap<(String, String), Vec<SpecAttr>> {
    let files = [
        include_str!("specs/rt-link.txt"),
        include_str!("specs/rt-addr.txt"),
        include_str!("specs/rt-route.txt"),
        include_str!("specs/rt-neigh.txt"),
        include_str!("specs/rt-rule.txt"),
        include_str!("specs/nexthop.txt"),
    ];
    let mut out = BTreeMap::new();
    for text in files {
        let mut spec = String::new();
        let mut set = String::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["spec", name] => spec = (*name).to_owned(),
                ["set", name, ..] => {
                    set = (*name).to_owned();
                    out.insert((spec.clone(), set.clone()), Vec::new());
                }
                [value, name, _ty] => out
                    .get_mut(&(spec.clone(), set.clone()))
                    .expect("an attribute line follows a set line")
                    .push(SpecAttr {
                        value: value.parse().expect("a number"),
                        name: (*name).to_owned(),
                    }),
                _ => panic!("bad fact line {line:?}"),
            }
        }
    }
    out
}

fn tables() -> Vec<&'static Set> {
    [
        link::SETS,
        addr::SETS,
        route::SETS,
        neigh::SETS,
        rule::SETS,
        nexthop::SETS,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

#[test]
fn every_spec_attribute_has_exactly_one_row() {
    let specs = spec_sets();
    let tables = tables();
    let mut faults = Vec::new();
    for ((spec, set), attrs) in &specs {
        let Some(table) = tables.iter().find(|t| t.spec == spec && t.name == set) else {
            faults.push(format!("{spec} {set}: no table"));
            continue;
        };
        for a in attrs {
            let n = table.rows.iter().filter(|r| r.name == a.name).count();
            if n != 1 {
                faults.push(format!("{spec} {set} {}: {n} rows", a.name));
            }
        }
        for r in table.rows {
            if !attrs.iter().any(|a| a.name == r.name) {
                faults.push(format!("{spec} {set} {}: not in the spec", r.name));
            }
        }
    }
    for t in &tables {
        if !specs.contains_key(&(t.spec.to_owned(), t.name.to_owned())) {
            faults.push(format!("{} {}: a table for no spec set", t.spec, t.name));
        }
    }
    assert!(
        faults.is_empty(),
        "coverage table and specs disagree:\n{}",
        faults.join("\n")
    );
}

#[test]
fn decoded_rows_have_the_crates_constant() {
    let specs = spec_sets();
    let mut faults = Vec::new();
    for t in tables() {
        let Some(constant) = t.constant else { continue };
        let Some(attrs) = specs.get(&(t.spec.to_owned(), t.name.to_owned())) else {
            continue;
        };
        for r in t.rows {
            let How::Field(_) = r.how else { continue };
            let Some(a) = attrs.iter().find(|a| a.name == r.name) else {
                continue;
            };
            if constant(a.value).is_none() {
                faults.push(format!("{} {} {} = {}", t.spec, t.name, r.name, a.value));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "decoded attributes without a constant of that number:\n{}",
        faults.join("\n")
    );
}

#[test]
fn skip_reasons_are_written() {
    for t in tables() {
        for r in t.rows {
            match r.how {
                How::Skipped(reason) => assert!(
                    reason.len() >= 10,
                    "{} {} {}: a skip needs its reason",
                    t.spec,
                    t.name,
                    r.name
                ),
                How::Field(path) => assert!(
                    path.contains("::") || path.contains('.'),
                    "{} {} {}: name the type and field",
                    t.spec,
                    t.name,
                    r.name
                ),
                How::Pending => {}
            }
        }
    }
}

#[test]
fn prints_coverage_per_spec() {
    let specs = spec_sets();
    let mut per_spec: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for t in tables() {
        let counts = per_spec.entry(t.spec).or_default();
        for r in t.rows {
            let i = match r.how {
                How::Field(_) => 0,
                How::Skipped(_) => 1,
                How::Pending => 2,
            };
            counts[i] += 1;
            counts[3] += 1;
        }
    }
    let total_facts: usize = specs.values().map(Vec::len).sum();
    let total_rows: usize = per_spec.values().map(|c| c[3]).sum();
    println!("spec        decoded skipped pending total");
    for (spec, [d, s, p, t]) in &per_spec {
        println!("{spec:<11} {d:>7} {s:>7} {p:>7} {t:>5}");
    }
    assert_eq!(total_rows, total_facts, "one row per spec attribute");
}
