//! The `{"nftables": [...]}` document read one command at a time: each
//! command is parsed into its own small [`Value`], handed on, and dropped
//! before the next one is read.
//!
//! Why not one `Value` for the whole document: for 10,000 rules that is a
//! tree of some 100,000 maps allocated at once, freed at once, and then
//! consolidated by the allocator on the next large allocation; it cost
//! more than compiling and encoding the rules. One command at a time, the
//! allocator reuses the same few kilobytes for every command.
//!
//! What the caller sees is what parsing the whole document first gave:
//! malformed JSON anywhere is that error (even after a bad command), then
//! a document without an `"nftables"` array, then the first bad command.
//! A repeated `"nftables"` key counts once, the last one (as a JSON object
//! keeps it); its commands start again from a fresh state.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// Read `text`, calling `each(state, n, command)` for every command `n`
/// (from 1) of its `"nftables"` array, in order, on a state `start` made;
/// the state after the last command. Errors are the messages `nft -j -f`
/// prints: `malformed JSON: …`, `JSON: expected {"nftables": [...]}`, or
/// `command N: …` for the first command `each` refused (no command after
/// it is handed on).
pub(crate) fn commands<S>(
    text: &str,
    start: impl FnMut() -> S,
    each: impl FnMut(&mut S, &Value) -> Result<(), String>,
) -> Result<S, String> {
    let mut doc = Doc {
        start,
        each,
        last: None,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    (&mut doc)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| format!("malformed JSON: {e}"))?;
    match doc.last {
        Some(Some(done)) => done,
        _ => Err("JSON: expected {\"nftables\": [...]}".into()),
    }
}

/// The document: the outcome of its last `"nftables"` value (`None`
/// inside: not an array).
struct Doc<S, F, E> {
    start: F,
    each: E,
    last: Option<Option<Result<S, String>>>,
}

impl<'de, S, F, E> DeserializeSeed<'de> for &mut Doc<S, F, E>
where
    F: FnMut() -> S,
    E: FnMut(&mut S, &Value) -> Result<(), String>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S, F, E> Visitor<'de> for &mut Doc<S, F, E>
where
    F: FnMut() -> S,
    E: FnMut(&mut S, &Value) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "nftables" {
                let list = List {
                    start: &mut self.start,
                    each: &mut self.each,
                };
                self.last = Some(map.next_value_seed(list)?);
            } else {
                map.next_value::<Value>()?;
            }
        }
        Ok(())
    }

    // Anything but an object: valid JSON, no "nftables" in it.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Value>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<X: serde::de::Error>(self, _: bool) -> Result<(), X> {
        Ok(())
    }

    fn visit_i64<X: serde::de::Error>(self, _: i64) -> Result<(), X> {
        Ok(())
    }

    fn visit_u64<X: serde::de::Error>(self, _: u64) -> Result<(), X> {
        Ok(())
    }

    fn visit_f64<X: serde::de::Error>(self, _: f64) -> Result<(), X> {
        Ok(())
    }

    fn visit_str<X: serde::de::Error>(self, _: &str) -> Result<(), X> {
        Ok(())
    }

    fn visit_unit<X: serde::de::Error>(self) -> Result<(), X> {
        Ok(())
    }
}

/// One `"nftables"` value: its commands run on a fresh state (`None`: not
/// an array).
struct List<'a, F, E> {
    start: &'a mut F,
    each: &'a mut E,
}

impl<'de, S, F, E> DeserializeSeed<'de> for List<'_, F, E>
where
    F: FnMut() -> S,
    E: FnMut(&mut S, &Value) -> Result<(), String>,
{
    type Value = Option<Result<S, String>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        // Not an array: parsed (it must be valid JSON) and dropped.
        let mut list = None;
        d.deserialize_any(ListVisitor {
            list: &mut list,
            seed: self,
        })?;
        Ok(list)
    }
}

struct ListVisitor<'a, 'b, S, F, E> {
    list: &'b mut Option<Result<S, String>>,
    seed: List<'a, F, E>,
}

impl<S, F, E> ListVisitor<'_, '_, S, F, E> {
    fn other<X: serde::de::Error>(self) -> Result<(), X> {
        *self.list = None;
        Ok(())
    }
}

impl<'de, S, F, E> Visitor<'de> for ListVisitor<'_, '_, S, F, E>
where
    F: FnMut() -> S,
    E: FnMut(&mut S, &Value) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut state = Ok((self.seed.start)());
        let mut n = 0usize;
        while let Some(item) = seq.next_element::<Value>()? {
            n += 1;
            // After a bad command the rest is only parsed: malformed
            // JSON further on is still the error.
            if let Ok(s) = &mut state
                && let Err(e) = (self.seed.each)(s, &item)
            {
                state = Err(format!("command {n}: {e}"));
            }
        }
        *self.list = Some(state);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<String>()?.is_some() {
            map.next_value::<Value>()?;
        }
        self.other()
    }

    fn visit_bool<X: serde::de::Error>(self, _: bool) -> Result<(), X> {
        self.other()
    }

    fn visit_i64<X: serde::de::Error>(self, _: i64) -> Result<(), X> {
        self.other()
    }

    fn visit_u64<X: serde::de::Error>(self, _: u64) -> Result<(), X> {
        self.other()
    }

    fn visit_f64<X: serde::de::Error>(self, _: f64) -> Result<(), X> {
        self.other()
    }

    fn visit_str<X: serde::de::Error>(self, _: &str) -> Result<(), X> {
        self.other()
    }

    fn visit_unit<X: serde::de::Error>(self) -> Result<(), X> {
        self.other()
    }
}
