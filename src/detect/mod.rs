//! The detector seam: a detector looks at one unit (sentence, paragraph or document)
//! and reports byte spans relative to it; the engine places them and labels them.

mod balance;
mod builtin;
mod encoding;
mod furniture;
mod names;
mod numbers;
mod pattern;
mod repetition;
mod stray_english;
mod ticker;

use std::fmt::Debug;
use std::ops::Range;

pub use crate::pack::schema::Scope;
use crate::text::words::{self, Word};
use crate::text::Document;
pub use builtin::{build as build_builtin, BuildContext};
pub use pattern::PatternDetector;

/// A span a detector flagged, relative to its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub span: Range<usize>,
    /// Overrides the rule's message (for messages that name what was found).
    pub message: Option<String>,
    /// Replacement text for `span` when a safe fix exists.
    pub fix: Option<String>,
}

impl Hit {
    /// A hit with the rule's own message and no fix.
    pub fn new(span: Range<usize>) -> Self {
        Hit {
            span,
            message: None,
            fix: None,
        }
    }
}

/// The unit a detector is handed: its text, where it starts, its words and the whole
/// document.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    pub text: &'a str,
    /// Byte offset of `text` in the document.
    pub start: usize,
    pub doc: &'a Document,
    /// The document's words that start in the unit, as they are in the document
    /// (document-relative; [`Self::words`] gives them unit-relative).
    pub doc_words: &'a [Word],
    /// Where the last match of the detector's [`Detector::prefilter`] ends in the unit,
    /// when the engine's rule screen knows: no hit of a pattern ends after it.
    pub screened_end: Option<usize>,
}

impl<'a> Unit<'a> {
    /// The unit of `doc` at `range`, with its words.
    pub fn new(doc: &'a Document, range: Range<usize>) -> Self {
        Unit::with_words(doc, range.clone(), doc.words_in(&range))
    }

    /// The unit of `doc` at `range`, whose words (`doc.words_in(&range)`) are known.
    pub fn with_words(doc: &'a Document, range: Range<usize>, words: &'a [Word]) -> Self {
        Unit {
            text: &doc.text[range.clone()],
            start: range.start,
            doc,
            doc_words: words,
            screened_end: None,
        }
    }

    /// The words of the unit, unit-relative (tokenised once per document).
    pub fn words(&self) -> Vec<Range<usize>> {
        self.word_ranges().collect()
    }

    /// [`Self::words`] without collecting them.
    pub fn word_ranges(&self) -> impl Iterator<Item = Range<usize>> + 'a {
        let start = self.start;
        let end = start + self.text.len();
        self.doc_words
            .iter()
            .map(move |w| w.start() - start..w.end().min(end) - start)
    }

    /// Does the unit-relative `span` touch a URL or an e-mail address?
    pub fn is_protected(&self, span: &Range<usize>) -> bool {
        self.doc
            .is_protected(&(self.start + span.start..self.start + span.end))
    }
}

/// A stateless check. Implementations must be cheap to call and never panic on any text.
pub trait Detector: Send + Sync + Debug {
    /// The unit this detector wants.
    fn scope(&self) -> Scope;
    /// Appends the spans found in `unit` to `out`.
    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>);

    /// A regex that every unit with a hit matches: the engine runs all of them in one
    /// pass (a `RegexSet`) and calls `check` only on the units they match.
    fn prefilter(&self) -> Option<&str> {
        None
    }

    /// Does now what the first `check` would do on first use (compiling regexes), so that
    /// another thread can take that off the first document's path.
    fn prepare(&self) {}

    /// Has [`Self::prepare`] nothing left to do?
    fn is_prepared(&self) -> bool {
        true
    }
}

/// Moves the spans of `hits`, found in a part of a unit that starts `by` bytes into it,
/// to the unit's own offsets (a document-scope detector that goes through its sentences
/// or paragraphs one by one).
fn shift_hits(hits: &mut [Hit], by: usize) {
    for hit in hits {
        hit.span = hit.span.start + by..hit.span.end + by;
    }
}

/// Moves `i` back to the nearest char boundary of `s` at or before it.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves `i` forward to the nearest char boundary of `s` at or after it.
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
