//! Output as iproute2's `json_print` writes it: every field is printed
//! through one call that goes to the text line, to the JSON record, or to
//! both (`PRINT_FP`, `PRINT_JSON`, `PRINT_ANY`), so the two forms come
//! from one walk over a value, as in tc.
//!
//! JSON objects keep duplicate keys (tc writes one `"match"` per u32
//! key into the same object), so records are built as ordered pairs, not
//! maps. `-p` lays them out as iproute2's JSON writer does.

use crate::pretty_json::{self, Shape};
use std::fmt::Write as _;
use std::io::Write;

/// A JSON value with ordered, possibly repeated, keys.
#[derive(Debug, Clone)]
pub(crate) enum J {
    Obj(Vec<(String, J)>),
    Arr(Vec<J>),
    Str(String),
    Num(String),
    Bool(bool),
    Null,
}

/// JSON `null` (iproute2's `print_null`: flags such as `horizon_drop`).
pub(crate) struct Null;

impl From<Null> for J {
    fn from(_: Null) -> Self {
        Self::Null
    }
}

/// A float as iproute2's JSON writer prints it (`%g`).
pub(crate) struct Float(pub(crate) f64);

impl From<Float> for J {
    fn from(f: Float) -> Self {
        Self::Num(g(f.0))
    }
}

/// C's `%g` (six significant digits).
pub(crate) fn g(v: f64) -> String {
    let mut s = String::new();
    let _ = nl_rustix::nl_proto::tc::units::fmt_g(&mut s, v, 6);
    s
}

impl From<&str> for J {
    fn from(s: &str) -> Self {
        Self::Str(s.to_string())
    }
}
impl From<String> for J {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}
impl From<std::fmt::Arguments<'_>> for J {
    /// Formatted only when JSON is written.
    fn from(a: std::fmt::Arguments<'_>) -> Self {
        Self::Str(a.to_string())
    }
}
impl From<bool> for J {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}
macro_rules! num {
    ($($t:ty),*) => {$(
        impl From<$t> for J {
            fn from(n: $t) -> Self {
                Self::Num(n.to_string())
            }
        }
    )*};
}
num!(u8, u16, u32, u64, usize, i16, i32, i64);

fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl J {
    fn compact(&self, out: &mut String) {
        match self {
            Self::Obj(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    escape(k, out);
                    out.push(':');
                    v.compact(out);
                }
                out.push('}');
            }
            Self::Arr(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.compact(out);
                }
                out.push(']');
            }
            Self::Str(s) => escape(s, out),
            Self::Num(n) => out.push_str(n),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Null => out.push_str("null"),
        }
    }
}

/// tc's values in the shared pretty layout.
impl pretty_json::Tree for J {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Self::Arr(a) => Shape::Array(a.iter().collect()),
            Self::Obj(m) => Shape::Object(m.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            scalar => {
                let mut s = String::new();
                scalar.compact(&mut s);
                Shape::Scalar(s)
            }
        }
    }
    fn key(key: &str, out: &mut String) {
        escape(key, out);
    }
}

/// Where a field goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum To {
    /// Text only (`PRINT_FP`).
    Fp,
    /// JSON only (`PRINT_JSON`).
    Json,
    /// Both (`PRINT_ANY`).
    Any,
}

/// The printer: text goes to stdout as it is written; JSON records are
/// collected and printed as one array at the end, as tc does.
///
/// Text is formatted into a `String` (`fmt::Write`, which has no I/O
/// error to carry per field) and handed to stdout in blocks of
/// [`FLUSH_AT`] bytes: a 10,000-filter listing is 1.4 MB of text, and
/// formatting it through `io::Write`'s adapter cost a third of the
/// example's time.
pub(crate) struct Out {
    json: bool,
    pretty: bool,
    /// Open containers: (key in the parent, value).
    stack: Vec<(Option<String>, J)>,
    records: Vec<J>,
    text: String,
    stdout: std::io::StdoutLock<'static>,
}

/// How much text is gathered before it is written out.
const FLUSH_AT: usize = 64 * 1024;

impl Out {
    pub(crate) fn new(json: bool, pretty: bool) -> Self {
        Self {
            json,
            pretty,
            stack: Vec::new(),
            records: Vec::new(),
            text: String::with_capacity(FLUSH_AT + 4096),
            stdout: std::io::stdout().lock(),
        }
    }

    /// Write out the gathered text once there is a block of it.
    fn spill(&mut self) {
        if self.text.len() >= FLUSH_AT {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let _ = self.stdout.write_all(self.text.as_bytes());
        let _ = self.stdout.flush();
        self.text.clear();
    }

    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    /// Text, in text mode.
    pub(crate) fn fp(&mut self, s: impl std::fmt::Display) {
        if !self.json {
            let _ = write!(self.text, "{s}");
        }
    }

    /// A newline, in text mode (`print_nl`).
    pub(crate) fn nl(&mut self) {
        if !self.json {
            self.text.push('\n');
            self.spill();
        }
    }

    fn put(&mut self, key: Option<&str>, v: J) {
        match self.stack.last_mut() {
            Some((_, J::Obj(m))) => m.push((key.unwrap_or_default().to_string(), v)),
            Some((_, J::Arr(a))) => a.push(v),
            _ => self.records.push(v),
        }
    }

    /// A field: `text` in text mode, `key: value` in JSON.
    pub(crate) fn any(
        &mut self,
        to: To,
        key: &str,
        value: impl Into<J>,
        text: impl std::fmt::Display,
    ) {
        if self.json {
            if to != To::Fp {
                self.put(Some(key), value.into());
            }
        } else if to != To::Json {
            let _ = write!(self.text, "{text}");
        }
    }

    /// A value in the open JSON array (or text).
    pub(crate) fn item(&mut self, value: impl Into<J>, text: impl std::fmt::Display) {
        if self.json {
            self.put(None, value.into());
        } else {
            let _ = write!(self.text, "{text}");
        }
    }

    /// `open_json_object(key)`.
    pub(crate) fn open(&mut self, key: Option<&str>) {
        if self.json {
            self.stack
                .push((key.map(str::to_string), J::Obj(Vec::new())));
        }
    }

    /// `open_json_array(key)`; `text` is what text mode prints.
    pub(crate) fn open_array(&mut self, key: &str, text: &str) {
        if self.json {
            self.stack.push((Some(key.to_string()), J::Arr(Vec::new())));
        } else {
            self.fp(text);
        }
    }

    /// Close the innermost object or array.
    pub(crate) fn close(&mut self) {
        if let Some((key, v)) = self.stack.pop() {
            self.put(key.as_deref(), v);
        }
    }

    /// End the listing: print the JSON array (tc prints `[]` for none).
    pub(crate) fn finish(&mut self) {
        if self.json {
            let mut s = String::new();
            let arr = J::Arr(std::mem::take(&mut self.records));
            if self.pretty {
                pretty_json::write(&arr, 0, &mut s);
            } else {
                arr.compact(&mut s);
            }
            self.text.push_str(&s);
            self.text.push('\n');
        }
        self.flush();
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        self.flush();
    }
}
