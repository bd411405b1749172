//! Quotes and brackets that never close (or never open) within a paragraph. Straight
//! quotes, which both open and close, open after a space and close elsewhere.
//! A French quotation that runs over paragraphs reopens each one with `«`; an opening
//! `«` left open before such a paragraph is not flagged.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use smallvec::SmallVec;

use super::{ceil_boundary, floor_boundary, shift_hits, Detector, Hit, Scope, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Pairs of opening and closing characters, each written as two characters: `()`, `«»`.
    pairs: Vec<String>,
    /// Characters that both open and close (`"`): one after a space opens, any other closes.
    #[serde(default)]
    symmetric: Vec<char>,
}

#[derive(Debug)]
pub struct BalanceDetector {
    pairs: Vec<(char, char)>,
    /// Every mark, searched for many bytes at a time (SIMD where the processor has it):
    /// a scan a byte at a time also stopped at each `’` and no-break space, which share
    /// their first byte with `“` and `«`.
    marks: AhoCorasick,
    /// The mark of each of `marks`' patterns.
    mark_chars: Vec<char>,
}

/// Is the symmetric quote at `at` an opening one (at the start, or after a space or an opener)?
fn opens(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '«' | '—' | '–' | '-' | '/'))
}

impl BalanceDetector {
    pub fn new(settings: Settings) -> Self {
        let pairs = settings
            .pairs
            .iter()
            .filter_map(|p| {
                let mut chars = p.chars();
                Some((chars.next()?, chars.next()?))
            })
            .chain(settings.symmetric.iter().map(|&c| (c, c)))
            .collect::<Vec<(char, char)>>();
        let mut mark_chars: Vec<char> = pairs.iter().flat_map(|&(o, c)| [o, c]).collect();
        mark_chars.sort_unstable();
        mark_chars.dedup();
        // Leftmost-first: the kind the SIMD searchers (Teddy) serve.
        let marks = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(mark_chars.iter().map(|c| c.to_string()))
            .expect("a few one-character patterns build");
        BalanceDetector {
            pairs,
            marks,
            mark_chars,
        }
    }

    /// The marks of `text` in order, with their offsets.
    fn marks<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, char)> + 't {
        self.marks
            .find_iter(text)
            .map(|m| (m.start(), self.mark_chars[m.pattern().as_usize()]))
    }

    fn opener(&self, c: char) -> Option<usize> {
        self.pairs.iter().position(|p| p.0 == c)
    }

    fn closer(&self, c: char) -> Option<usize> {
        self.pairs.iter().position(|p| p.1 == c)
    }
}

/// `1)`, `a)` opening a paragraph or following a space: a list marker, not a bracket.
fn is_list_marker(text: &str, at: usize) -> bool {
    // The token before `at`: one or two alphanumeric characters after a space or the start.
    let mut token = 0;
    for c in text[..at].chars().rev() {
        if c.is_whitespace() {
            break;
        }
        if token == 2 || !c.is_alphanumeric() {
            return false;
        }
        token += 1;
    }
    token > 0
}

/// Bytes of the word a span is extended over, at most: a "word" of megabytes without a
/// space (a scraper's dump of brackets) would otherwise make each of its marks report it
/// whole, a report quadratic in the size of the input.
const WIDEN_AT_MOST: usize = 256;

/// The span of the unmatched character `at` extended over the next (or previous) word.
fn widen(text: &str, at: usize, len: usize, forward: bool) -> std::ops::Range<usize> {
    if forward {
        let rest = &text[at + len..];
        let word_start = text.len() - rest.trim_start().len();
        let limit = floor_boundary(text, word_start + WIDEN_AT_MOST);
        let word = text[word_start..limit]
            .find(char::is_whitespace)
            .unwrap_or(limit - word_start);
        at..word_start + word
    } else {
        let head = text[..at].trim_end();
        let limit = ceil_boundary(head, head.len().saturating_sub(WIDEN_AT_MOST));
        let start = head[limit..]
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map_or(limit, |(p, c)| limit + p + c.len_utf8());
        start..at + len
    }
}

impl Detector for BalanceDetector {
    /// The whole document in one call: its marks are found in one pass, then balanced
    /// paragraph by paragraph (most paragraphs hold none, and cost nothing). As a
    /// paragraph rule, each paragraph with a mark cost a call and a search of its own,
    /// and the marks, frequent, kept stopping the engine's rule screen.
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let doc = unit.doc;
        let end = unit.start + unit.text.len();
        let mut marks = self
            .marks(unit.text)
            .map(|(at, c)| (unit.start + at, c))
            .peekable();
        let mut in_paragraph: SmallVec<[(usize, char); 16]> = SmallVec::new();
        while let Some(&(at, _)) = marks.peek() {
            // The paragraph of the next mark (every mark is in one: paragraphs are the
            // lines that are not blank).
            let p = doc.paragraphs.partition_point(|p| p.end <= at);
            let Some(range) = doc.paragraphs.get(p).filter(|r| r.start <= at) else {
                marks.next();
                continue;
            };
            let range = range.start.max(unit.start)..range.end.min(end);
            in_paragraph.clear();
            while let Some((at, c)) = marks.next_if(|&(at, _)| at < range.end) {
                in_paragraph.push((at - range.start, c));
            }
            let words = &doc.words[doc.paragraph_words[p].clone()];
            let found = out.len();
            self.balance(
                &Unit::with_words(doc, range.clone(), words),
                &in_paragraph,
                out,
            );
            shift_hits(&mut out[found..], range.start - unit.start);
        }
    }
}

impl BalanceDetector {
    /// Reports the marks of `paragraph` (`marks`, paragraph-relative, in order) that never
    /// close or close nothing.
    fn balance(&self, paragraph: &Unit<'_>, marks: &[(usize, char)], out: &mut Vec<Hit>) {
        let text = paragraph.text;
        // Kept on the stack of the thread: most paragraphs hold a few marks, balanced.
        let mut stack: SmallVec<[(usize, usize, char); 16]> = SmallVec::new();
        // Openers of each kind on the stack (sized at the first): a closer with none looks
        // no further.
        let mut open: SmallVec<[usize; 8]> = SmallVec::new();
        let mut hits = Vec::new();
        for &(i, c) in marks {
            if paragraph.is_protected(&(i..i + c.len_utf8())) {
                continue;
            }
            let symmetric = self.opener(c).is_some() && self.closer(c).is_some();
            if let Some(kind) = self.opener(c).filter(|_| !symmetric || opens(text, i)) {
                stack.push((kind, i, c));
                open.resize(self.pairs.len(), 0);
                open[kind] += 1;
            } else if let Some(kind) = self.closer(c) {
                let depth = open
                    .get(kind)
                    .is_some_and(|&n| n > 0)
                    .then(|| stack.iter().rposition(|&(k, _, _)| k == kind))
                    .flatten();
                if let Some(depth) = depth {
                    // Openers above the match never closed.
                    for &(k, _, _) in &stack[depth..] {
                        open[k] -= 1;
                    }
                    for &(_, at, oc) in &stack[depth + 1..] {
                        hits.push((at, oc, true));
                    }
                    stack.truncate(depth);
                } else if !(c == ')' && is_list_marker(text, i)) {
                    hits.push((i, c, false));
                }
            }
        }
        let next = next_paragraph_start(paragraph);
        for &(_, at, c) in &stack {
            // A quotation running on into the next paragraph reopens it with the same mark.
            if matches!(c, '«' | '"' | '“') && next.is_some_and(|n| n.starts_with(c)) {
                continue;
            }
            hits.push((at, c, true));
        }
        hits.sort_unstable();
        for (at, c, opening) in hits {
            let message = if opening {
                format!("`{c}` is never closed in this paragraph")
            } else {
                format!("`{c}` closes nothing in this paragraph")
            };
            out.push(Hit {
                span: widen(text, at, c.len_utf8(), opening),
                message: Some(message),
                fix: None,
            });
        }
    }
}

fn next_paragraph_start<'a>(unit: &Unit<'a>) -> Option<&'a str> {
    let doc = unit.doc;
    let end = unit.start + unit.text.len();
    let next = doc.paragraphs.partition_point(|p| p.start < end);
    doc.paragraphs
        .get(next)
        .map(|p| doc.text[p.clone()].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, Segmenter};

    fn detector() -> BalanceDetector {
        BalanceDetector::new(Settings {
            pairs: ["()", "[]", "{}", "«»", "“”"].map(String::from).to_vec(),
            symmetric: vec!['"'],
        })
    }

    /// What `unit` of `doc` reports, as document text.
    fn reported<'d>(doc: &'d Document, unit: Unit<'_>) -> Vec<&'d str> {
        let mut hits = Vec::new();
        detector().check(&unit, &mut hits);
        let shifted = hits
            .iter()
            .map(|h| unit.start + h.span.start..unit.start + h.span.end);
        shifted.map(|span| &doc.text[span]).collect()
    }

    /// Each paragraph is balanced on its own, with one search of the document: a bracket
    /// never closes in one and another closes nothing in the next, a quotation runs on
    /// into a paragraph that reopens it; a unit that is part of a document is reported
    /// at its own offsets.
    #[test]
    fn a_document_is_balanced_paragraph_by_paragraph() {
        let text = "Le titre (en hausse a fini.\n\nIl a dit) merci.\n\n« Nous verrons.\n\n« Oui », a-t-il dit.\n\nFin (sans).";
        let doc = Document::new(text.into(), &Segmenter::default());
        let all = reported(&doc, Unit::new(&doc, 0..text.len()));
        assert_eq!(all, ["(en", "dit)"]);
        let second = doc.paragraphs[1].clone();
        assert_eq!(reported(&doc, Unit::new(&doc, second)), ["dit)"]);
    }

    proptest::proptest! {
        #[test]
        fn the_search_finds_the_marks_the_regex_finds(
            text in "[a-zé’‘«»“”—\u{A0}°\"()\\[\\]{} -]{0,40}"
        ) {
            let detector = detector();
            let any_mark: Vec<String> =
                detector.mark_chars.iter().map(|c| regex::escape(&c.to_string())).collect();
            let regex = regex::Regex::new(&any_mark.join("|")).unwrap();
            let expected: Vec<(usize, char)> = regex
                .find_iter(&text)
                .map(|m| (m.start(), m.as_str().chars().next().unwrap()))
                .collect();
            proptest::prop_assert_eq!(detector.marks(&text).collect::<Vec<_>>(), expected);
        }
    }
}
