//! The word cursor and iproute2's `matches`, written once for the `ip`
//! and `tc` examples (each includes this file with `#[path]` and adds
//! its own readers, such as `value`, in an `impl Words` of its own:
//! their errors are each example's).

/// A cursor over a command's words.
#[derive(Clone)]
pub(crate) struct Words<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Words<'a> {
    pub(crate) fn new(words: &'a [String]) -> Self {
        Self { words, pos: 0 }
    }
    /// The next word, if any.
    pub(crate) fn next(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.pos)?;
        self.pos += 1;
        Some(w.as_str())
    }
    /// The next word, left in place.
    pub(crate) fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(String::as_str)
    }
    /// How many words are left.
    pub(crate) fn remaining(&self) -> usize {
        self.words.len().saturating_sub(self.pos)
    }
}

/// Whether `word` is an abbreviation of `full` (iproute2's `matches`).
pub(crate) fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}
