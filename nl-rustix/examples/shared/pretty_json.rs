//! iproute2's pretty JSON layout (`ip -j -p`, `tc -j -p`), written once
//! for the `ip` and `tc` examples (each includes this file with
//! `#[path]`). Members of an object go one per line, indented four
//! spaces a level; arrays open on the line they are in (`[ "UP","LOWER_UP" ]`,
//! `[ {` … `} ]`). The examples keep their own value types (`ip`'s is
//! serde_json's, `tc`'s keeps repeated keys), so the layout walks a
//! value through [`Tree`].

/// What the layout needs of a JSON value.
pub(crate) enum Shape<'a, V> {
    /// An array's items.
    Array(Vec<&'a V>),
    /// An object's members, in order, keys as they are (unescaped).
    Object(Vec<(&'a str, &'a V)>),
    /// A scalar, already written as compact JSON.
    Scalar(String),
}

/// A JSON value the layout can walk.
pub(crate) trait Tree: Sized {
    /// The value's shape.
    fn shape(&self) -> Shape<'_, Self>;
    /// Append `key` as a JSON string (quoted and escaped).
    fn key(key: &str, out: &mut String);
}

/// Append `v` laid out as iproute2's pretty JSON writer does, `depth`
/// levels in.
pub(crate) fn write<V: Tree>(v: &V, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    match v.shape() {
        Shape::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(*item, depth + 1, out);
            }
            if !items.is_empty() {
                out.push(' ');
            }
            out.push(']');
        }
        Shape::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                V::key(k, out);
                out.push_str(": ");
                write(*item, depth + 1, out);
            }
            if !members.is_empty() {
                newline(out, depth);
            }
            out.push('}');
        }
        Shape::Scalar(s) => out.push_str(&s),
    }
}
