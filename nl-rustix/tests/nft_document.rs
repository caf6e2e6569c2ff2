//! The `nft` example's document reader (`examples/nft/document.rs`),
//! which parses `{"nftables": [...]}` one command at a time: what it
//! reports is what parsing the whole document first reported.
// The example's modules are included for `input::parse`; most of them
// (its listing, its `main`) are compiled, not called.
#![allow(dead_code)]

include!("../examples/nft/fuzz_entry.rs");

fn err(doc: &str) -> String {
    match input::parse(doc, &[]) {
        Ok(cmds) => panic!("accepted {doc}: {cmds:?}"),
        Err(e) => e,
    }
}

const TABLE: &str = r#"{"add": {"table": {"family": "inet", "name": "t"}}}"#;
const BAD: &str = r#"{"add": {"table": {"family": "inet7", "name": "t"}}}"#;

#[test]
fn commands_in_order() {
    let doc = format!(
        r#"{{"nftables": [{TABLE}, {{"add": {{"chain": {{"family": "inet", "table": "t", "name": "c"}}}}}}]}}"#
    );
    let cmds = input::parse(&doc, &[]).expect("parses");
    let names: Vec<String> = cmds.iter().map(ToString::to_string).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].contains("table"), "{names:?}");
    assert!(names[1].contains("chain"), "{names:?}");
}

#[test]
fn first_bad_command_is_the_error() {
    let doc = format!(r#"{{"nftables": [{TABLE}, {BAD}, {BAD}, 3]}}"#);
    assert_eq!(err(&doc), r#"command 2: unknown family "inet7""#);
}

#[test]
fn malformed_json_after_a_bad_command_is_still_the_error() {
    let doc = format!(r#"{{"nftables": [{BAD}, {TABLE}"#);
    assert!(
        err(&doc).starts_with("malformed JSON: EOF"),
        "{}",
        err(&doc)
    );
    let doc = format!(r#"{{"nftables": [{BAD}, 1e400]}}"#);
    assert!(err(&doc).starts_with("malformed JSON: number out of range"));
    let doc = r#"{"nftables": []} x"#;
    assert!(err(doc).starts_with("malformed JSON: trailing characters"));
}

#[test]
fn a_document_without_an_nftables_array() {
    for doc in [
        "[]",
        "null",
        "7",
        r#"{"other": [1]}"#,
        r#"{"nftables": {"add": 1}}"#,
        r#"{"nftables": [], "nftables": 3}"#,
    ] {
        assert_eq!(err(doc), r#"JSON: expected {"nftables": [...]}"#, "{doc}");
    }
}

#[test]
fn a_repeated_nftables_key_counts_once_the_last() {
    let doc = format!(r#"{{"nftables": [{BAD}], "nftables": [{TABLE}]}}"#);
    assert_eq!(input::parse(&doc, &[]).expect("the last one").len(), 1);
    let doc = format!(r#"{{"nftables": [{TABLE}], "nftables": [{BAD}]}}"#);
    assert_eq!(err(&doc), r#"command 1: unknown family "inet7""#);
}
