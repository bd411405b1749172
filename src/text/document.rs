//! A decoded document cut into paragraphs (lines) and sentences.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::words::Word;
use super::{LineIndex, Segmenter};

/// One sentence: a byte range inside one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    /// Index into [`Document::paragraphs`].
    pub paragraph: usize,
    /// Indices into [`Document::words`] of the words that start in the sentence.
    pub words: Range<usize>,
}

/// Where a document's text came from when it is not the file itself (HTML stripped of
/// its tags): reports point into `source`.
#[derive(Debug, Clone)]
pub struct Origin {
    pub source: String,
    pub lines: LineIndex,
    /// Sorted pairs (text offset, source offset) where a run of copied bytes starts.
    map: Vec<(usize, usize)>,
}

impl Origin {
    /// An origin from the source and its sorted offset pairs.
    pub fn new(source: String, map: Vec<(usize, usize)>) -> Self {
        Origin {
            lines: LineIndex::new(&source),
            source,
            map,
        }
    }

    /// The source offset just past the text that ends at text offset `at` (so that a span
    /// ending before a tag does not take the tag in).
    pub fn end_offset(&self, text: &str, at: usize) -> usize {
        match text[..at].chars().next_back() {
            Some(c) => self.offset(at - c.len_utf8()) + c.len_utf8(),
            None => self.offset(0),
        }
    }

    /// The source offset of text offset `at`.
    pub fn offset(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(t, _)| t <= at);
        let (t, s) = i.checked_sub(1).map_or((0, 0), |i| self.map[i]);
        let mut o = (s + (at - t)).min(self.source.len());
        while !self.source.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}

/// A text ready for the detectors.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub lines: LineIndex,
    /// Byte ranges of the non-blank lines, without their line terminators.
    pub paragraphs: Vec<Range<usize>>,
    /// Indices into [`Document::words`] of the words that start in each paragraph.
    pub paragraph_words: Vec<Range<usize>>,
    pub sentences: Vec<Sentence>,
    /// URLs and e-mail addresses, sorted: most rules leave them alone.
    pub protected: Vec<Range<usize>>,
    /// Where decoding replaced invalid UTF-8 by U+FFFD: (offset, original bytes), sorted.
    pub invalid_bytes: Vec<(usize, Vec<u8>)>,
    /// Set when the text was derived from another source (HTML): positions refer to it.
    pub origin: Option<Origin>,
    /// Every word of the text, tokenised once for all detectors.
    pub words: Vec<Word>,
}

impl Document {
    /// Cuts `text` into paragraphs and sentences with `segmenter`.
    pub fn new(text: String, segmenter: &Segmenter) -> Self {
        let words = super::words::words(&text);
        Document::with_words(text, words, segmenter)
    }

    /// [`Self::new`] for a text already tokenised (`words` must be `words::words(&text)`).
    pub fn with_words(text: String, words: Vec<Word>, segmenter: &Segmenter) -> Self {
        let lines = LineIndex::new(&text);
        let mut paragraphs = Vec::with_capacity(lines.len());
        for i in 0..lines.len() {
            let start = lines.line_start(i);
            let mut end = if i + 1 < lines.len() {
                lines.line_start(i + 1)
            } else {
                text.len()
            };
            while end > start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            if !text[start..end].trim().is_empty() {
                paragraphs.push(start..end);
            }
        }
        let protected = protected_zones(&text);
        // About five sentences for four paragraphs in news copy.
        let mut sentences = Vec::with_capacity(paragraphs.len() + paragraphs.len() / 2);
        let mut ranges = Vec::new();
        let mut sentence_words = WordCursor::new(&words);
        // A paragraph's sentences hold all its words (only white space lies between
        // and around them): its words run from its first sentence's to its last one's.
        let mut paragraph_words = Vec::with_capacity(paragraphs.len());
        for (index, para) in paragraphs.iter().enumerate() {
            segmenter.split_into(&text[para.clone()], para.start, &protected, &mut ranges);
            let first = sentences.len();
            sentences.extend(ranges.drain(..).map(|range| Sentence {
                words: sentence_words.words_in(&range),
                range,
                paragraph: index,
            }));
            paragraph_words.push(match &sentences[first..] {
                [] => sentence_words.words_in(para),
                [one, ..] => one.words.start..sentences[sentences.len() - 1].words.end,
            });
        }
        Document {
            words,
            text,
            lines,
            paragraphs,
            paragraph_words,
            sentences,
            protected,
            invalid_bytes: Vec::new(),
            origin: None,
        }
    }

    /// Does `range` overlap a URL or an e-mail address?
    pub fn is_protected(&self, range: &Range<usize>) -> bool {
        overlaps_any(&self.protected, range)
    }

    /// Makes the sentences that each of `spans` touches one sentence (a furniture or
    /// boilerplate line is scored as a unit), span after span in order of start: a span
    /// that touches a sentence merged for an earlier one joins the rest to it. Returns true
    /// when sentences were merged. One pass over the sentences, however many spans.
    pub fn merge_sentences(&mut self, spans: &[Range<usize>]) -> bool {
        if spans.is_empty() {
            return false;
        }
        let mut spans: Vec<&Range<usize>> = spans.iter().collect();
        spans.sort_by_key(|span| span.start);
        let mut rest = std::mem::take(&mut self.sentences).into_iter().peekable();
        // Done sentences: all but the last end before the current span starts.
        let mut done: Vec<Sentence> = Vec::with_capacity(rest.len());
        let mut merged = false;
        for span in spans {
            while let Some(s) = rest.next_if(|s| s.range.end <= span.start) {
                done.push(s);
            }
            let touched = |s: &Sentence| s.range.end > span.start && s.range.start < span.end;
            let mut group = done
                .last()
                .is_some_and(touched)
                .then(|| done.pop())
                .flatten();
            let mut count = usize::from(group.is_some());
            while let Some(s) = rest.next_if(|s| s.range.start < span.end) {
                count += 1;
                match &mut group {
                    Some(g) => {
                        g.range.end = s.range.end;
                        g.words.end = s.words.end;
                    }
                    None => group = Some(s),
                }
            }
            merged |= count >= 2;
            done.extend(group);
        }
        done.extend(rest);
        self.sentences = done;
        merged
    }

    /// The words that start inside `range`.
    pub fn words_in(&self, range: &Range<usize>) -> &[Word] {
        let lo = self.words.partition_point(|w| w.start() < range.start);
        let hi = self.words.partition_point(|w| w.start() < range.end);
        &self.words[lo..hi.max(lo)]
    }

    /// Index of the sentence holding byte `offset` (the nearest one before it otherwise).
    pub fn sentence_at(&self, offset: usize) -> usize {
        match self
            .sentences
            .binary_search_by(|s| s.range.start.cmp(&offset))
        {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }
}

/// Does `range` overlap one of the sorted, disjoint `zones`?
pub(crate) fn overlaps_any(zones: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = zones.partition_point(|z| z.end <= range.start);
    zones
        .get(i)
        .is_some_and(|z| z.start < range.end.max(range.start + 1))
}

/// Finds the words that start in each of a series of ranges, in order and apart, in one
/// pass over the words.
struct WordCursor<'w> {
    words: &'w [Word],
    next: usize,
}

impl<'w> WordCursor<'w> {
    fn new(words: &'w [Word]) -> Self {
        WordCursor { words, next: 0 }
    }

    /// Indices of the words that start in `range`, which follows the ranges before.
    fn words_in(&mut self, range: &Range<usize>) -> Range<usize> {
        let words = self.words;
        let starts_before = |i: usize, at: usize| i < words.len() && words[i].start() < at;
        while starts_before(self.next, range.start) {
            self.next += 1;
        }
        let first = self.next;
        while starts_before(self.next, range.end) {
            self.next += 1;
        }
        first..self.next
    }
}

/// URLs and e-mail addresses of `text`, line by line: the full regex only runs on the
/// lines where a byte scan finds `://`, `www.`, `@` or a domain ending.
fn protected_zones(text: &str) -> Vec<Range<usize>> {
    let mut zones = Vec::new();
    let mut from = 0;
    while let Some(at) = next_address_hint(text.as_bytes(), from) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        zones.extend(
            zones_in(&text[start..end])
                .into_iter()
                .map(|z| z.start + start..z.end + start),
        );
        from = end;
    }
    zones
}

/// Domain endings that make a line worth the address regex (see [`zones_in`]).
const DOMAIN_ENDINGS: [&str; 14] = [
    "com", "org", "net", "fr", "ly", "io", "co", "uk", "de", "es", "it", "eu", "gov", "int",
];

/// Offset, at or after `from`, of the first `://`, `www.`, `@` or `.` followed by a
/// domain ending: where an address may be.
fn next_address_hint(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(found) = memchr::memchr3(b'@', b'/', b'.', &bytes[i.min(bytes.len())..]) {
        let at = i + found;
        let hint = match bytes[at] {
            b'@' => true,
            b'/' => at > 0 && bytes[at - 1] == b':' && bytes.get(at + 1) == Some(&b'/'),
            // Most full stops end a sentence, a space after them: no ending to try.
            _ => {
                (at >= 3 && &bytes[at - 3..at] == b"www")
                    || (bytes.get(at + 1).is_some_and(u8::is_ascii_lowercase)
                        && DOMAIN_ENDINGS
                            .iter()
                            .any(|d| bytes[at + 1..].starts_with(d.as_bytes())))
            }
        };
        if hint {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn zones_in(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(&format!(
            concat!(
                r"(?:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>\x22«»]+",
                r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
                r"|(?-u:\b)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{})(?-u:\b)(?:/[^\s<>\x22«»]*)?",
            ),
            DOMAIN_ENDINGS.join("|")
        ))
        .expect("protected-zone regex compiles")
    });
    re.find_iter(text)
        .map(|m| {
            // A sentence-final period is not part of the address, nor is a closing
            // bracket that the address did not open.
            let mut s = m.as_str();
            loop {
                let t = s.trim_end_matches(['.', ',', ';', ':']);
                let unopened = t.ends_with(')') && t.matches('(').count() < t.matches(')').count();
                s = if unopened { &t[..t.len() - 1] } else { t };
                if !unopened {
                    break;
                }
            }
            m.start()..m.start() + s.len()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences of `text` after merging those `spans` touch, as texts.
    fn merged_sentences<'t>(text: &'t str, spans: &[Range<usize>]) -> (bool, Vec<&'t str>) {
        let mut doc = Document::new(text.into(), &Segmenter::default());
        let merged = doc.merge_sentences(spans);
        let texts = doc.sentences.iter().map(|s| &text[s.range.clone()]);
        (merged, texts.collect())
    }

    #[test]
    fn spans_merge_the_sentences_they_touch() {
        let text = "Un. Deux. Trois. Quatre. Cinq.";
        let at = |s: &str| text.find(s).unwrap();
        // Inside one sentence: nothing to merge.
        let inside = at("eux")..at("eux") + 2;
        assert!(!merged_sentences(text, std::slice::from_ref(&inside)).0);
        // Two pairs, the spans out of order, then a span inside a merged sentence.
        let spans = [
            at("Trois")..at("Quatre") + 2,
            at("Un")..at("Deux") + 1,
            at("Trois") + 1..at("Trois") + 2,
        ];
        assert_eq!(
            merged_sentences(text, &spans),
            (true, vec!["Un. Deux.", "Trois. Quatre.", "Cinq."])
        );
        // A span that touches a merged sentence and the next one joins them.
        let spans = [at("Un")..at("Deux") + 1, at("Deux")..at("Trois") + 1];
        assert_eq!(
            merged_sentences(text, &spans),
            (true, vec!["Un. Deux. Trois.", "Quatre.", "Cinq."])
        );
        // Empty spans and spans past the end merge nothing.
        let spans = [at("Deux")..at("Deux"), text.len()..text.len()];
        assert!(!merged_sentences(text, &spans).0);
    }

    /// Each sentence's and paragraph's words are the words that start inside it.
    fn assert_words_are_those_inside(doc: &Document) {
        assert_eq!(doc.paragraph_words.len(), doc.paragraphs.len());
        let units = doc.sentences.iter().map(|s| (&s.range, &s.words));
        for (range, words) in units.chain(doc.paragraphs.iter().zip(&doc.paragraph_words)) {
            assert_eq!(&doc.words[words.clone()], doc.words_in(range), "{range:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn units_know_the_words_that_start_in_them(text in "([a-zA-ZéÉ0-9'’-]{0,6}[ .?!\n«»()\u{a0}\u{202f}\t]{0,3}){0,30}") {
            assert_words_are_those_inside(&Document::new(text, &Segmenter::default()));
        }
    }

    #[test]
    fn merging_all_spans_at_once_equals_merging_them_one_by_one() {
        // The former merge, a span at a time (each pass shifting the sentences after it).
        fn one_by_one(sentences: &mut Vec<Sentence>, span: &Range<usize>) -> bool {
            let first = sentences.partition_point(|s| s.range.end <= span.start);
            let last = sentences.partition_point(|s| s.range.start < span.end);
            if last <= first + 1 {
                return false;
            }
            sentences[first].range.end = sentences[last - 1].range.end;
            sentences[first].words.end = sentences[last - 1].words.end;
            sentences.drain(first + 1..last);
            true
        }
        let text = "Un. Deux.  Trois.\nQuatre. Cinq.";
        let doc = Document::new(text.into(), &Segmenter::default());
        let bounds: Vec<Range<usize>> = (0..=text.len())
            .flat_map(|a| (a..=text.len()).map(move |b| a..b))
            .step_by(7)
            .collect();
        for a in &bounds {
            for b in bounds.iter().filter(|b| b.start >= a.start).step_by(3) {
                let spans = [a.clone(), b.clone()];
                let mut expected = doc.sentences.clone();
                let mut merged = false;
                for span in &spans {
                    merged |= one_by_one(&mut expected, span);
                }
                let mut all_at_once = doc.clone();
                assert_eq!(all_at_once.merge_sentences(&spans), merged, "{spans:?}");
                assert_eq!(all_at_once.sentences, expected, "{spans:?}");
                assert_words_are_those_inside(&all_at_once);
            }
        }
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_terminators() {
        let doc = Document::new("un.\r\n\r\n  \ndeux\n".into(), &Segmenter::default());
        let paras: Vec<&str> = doc
            .paragraphs
            .iter()
            .map(|p| &doc.text[p.clone()])
            .collect();
        assert_eq!(paras, ["un.", "deux"]);
    }

    fn zone_texts(text: &str) -> Vec<&str> {
        protected_zones(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn zones_are_found_on_any_line_with_document_offsets() {
        let text = "Sans adresse ici.\nÉcrire à presse@exemple.fr.\nRien.\nVoir www.reuters.com";
        assert_eq!(zone_texts(text), ["presse@exemple.fr", "www.reuters.com"]);
    }

    /// The byte scan tries the domain endings only after a full stop followed by a
    /// lower-case letter: every ending must begin with one, and each is found so.
    #[test]
    fn every_domain_ending_is_hinted() {
        for ending in DOMAIN_ENDINGS {
            assert!(ending.as_bytes()[0].is_ascii_lowercase(), "{ending}");
            let text = format!("Voir exemple.{ending} puis. Fin.");
            assert_eq!(next_address_hint(text.as_bytes(), 0), Some(12), "{ending}");
        }
    }

    #[test]
    fn urls_and_emails_are_protected() {
        let text = "voir https://bit.ly/rtrsauto. ou presse@exemple.fr et reuters.com/x (https://w.org/a_(b))";
        assert_eq!(
            zone_texts(text),
            [
                "https://bit.ly/rtrsauto",
                "presse@exemple.fr",
                "reuters.com/x",
                "https://w.org/a_(b)"
            ]
        );
    }
}
