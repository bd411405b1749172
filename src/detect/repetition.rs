//! Repetition: a doubled word (`le le`), and a sentence or paragraph repeated in the
//! same story, exactly or nearly (normalised Levenshtein similarity).

use std::collections::hash_map::Entry;
use std::collections::HashSet;

use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};
use crate::text::words::Word;
use crate::text::{Document, Sentence};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WordSettings {
    /// Words that may legitimately follow themselves (`nous nous`, `vous vous`).
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Debug)]
pub struct RepeatedWord {
    allow: HashSet<String>,
}

impl RepeatedWord {
    pub fn new(settings: WordSettings) -> Self {
        RepeatedWord {
            allow: settings.allow.iter().map(|w| w.to_lowercase()).collect(),
        }
    }
}

impl Detector for RepeatedWord {
    /// The whole document in one call, not a call per paragraph: a pair across a line
    /// break fails the test of only spaces between.
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let end = unit.start + unit.text.len();
        let bytes = unit.doc.text.as_bytes();
        // Cheapest tests first, in one branch: equal lengths and first bytes that may be
        // the same letter (lower-cased strings begin with their first characters
        // lower-cased: two ASCII bytes apart but for bit 5 need no lower-casing of the
        // rest). Which of the two tests a pair fails is as good as random: a branch on
        // each was often mispredicted. Each word's length and first byte are read once
        // and kept for the next pair; the few pairs that pass go on to [`Self::pair`].
        let Some((first, rest)) = unit.doc_words.split_first() else {
            return;
        };
        let key = |w: &Word| (w.end().min(end) - w.start(), bytes[w.start()]);
        let (mut previous, (mut length, mut byte)) = (first, key(first));
        for word in rest {
            let (next_length, next_byte) = key(word);
            // Each nonzero when its test fails, OR-ed for one comparison (two comparisons
            // joined by `&` become two branches again).
            let lengths_apart = length ^ next_length;
            let both_ascii = usize::from((byte | next_byte) < 0x80);
            let letters_apart = usize::from((byte ^ next_byte) & !0x20) & both_ascii.wrapping_neg();
            if lengths_apart | letters_apart == 0 {
                self.pair(unit, previous, word, out);
            }
            (previous, length, byte) = (word, next_length, next_byte);
        }
    }
}

impl RepeatedWord {
    /// Reports the pair of words `first`, `second` of `unit` if the second doubles the
    /// first: only spaces between, the same word in any case, no digit, and not a name
    /// (`Duran Duran`) nor an allowed pair.
    #[inline(never)]
    fn pair(&self, unit: &Unit<'_>, first: &Word, second: &Word, out: &mut Vec<Hit>) {
        let (text, base) = (unit.text, unit.start);
        let end = base + text.len();
        let first = first.start() - base..first.end() - base;
        let second = second.start() - base..second.end().min(end) - base;
        let gap = &text[first.end..second.start];
        if gap.is_empty() || !gap.bytes().all(|b| b == b' ') {
            return;
        }
        let (a, b) = (&text[first.clone()], &text[second.clone()]);
        let same =
            a.eq_ignore_ascii_case(b) || (!(a.is_ascii() && b.is_ascii()) && same_lowercase(a, b));
        if !same || a.bytes().any(|c| c.is_ascii_digit()) {
            return;
        }
        // `Duran Duran` is a name; `Selon Selon` opening a sentence is not.
        let starts_sentence = unit
            .doc
            .sentences
            .binary_search_by_key(&(unit.start + first.start), |s| s.range.start)
            .is_ok();
        let both_capitalised =
            crate::text::words::is_capitalised(a) && crate::text::words::is_capitalised(b);
        if (both_capitalised && !starts_sentence) || self.allow.contains(&a.to_lowercase()) {
            return;
        }
        out.push(Hit {
            span: first.start..second.end,
            message: Some(format!("doubled word `{a}`")),
            fix: Some(a.to_string()),
        });
    }
}

/// `a.to_lowercase() == b.to_lowercase()`, without the copies (`à la`, the same length in
/// bytes, comes up in every French paragraph). Only `Σ` lower-cases by its place in the
/// word: with one, the copies are made.
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase() == b.to_lowercase();
    }
    let lower_b = b.chars().flat_map(char::to_lowercase);
    a.chars().flat_map(char::to_lowercase).eq(lower_b)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SentenceSettings {
    /// Sentences shorter than this many words are not compared.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Normalised Levenshtein similarity from which two sentences count as repeated.
    #[serde(default = "default_similarity")]
    similarity: f64,
}

fn default_min_words() -> usize {
    6
}

fn default_similarity() -> f64 {
    0.92
}

/// How many earlier sentences a sentence is compared with for near repeats.
const NEAR_WINDOW: usize = 64;

#[derive(Debug)]
pub struct RepeatedSentence {
    min_words: usize,
    similarity: f64,
}

impl RepeatedSentence {
    pub fn new(settings: SentenceSettings) -> Self {
        RepeatedSentence {
            min_words: settings.min_words,
            similarity: settings.similarity,
        }
    }
}

/// A sentence kept for comparison with the sentences after it.
struct Earlier<'a> {
    text: &'a str,
    sentence: &'a Sentence,
    /// Its [`signature`], computed the first time a comparison needs it: most sentences
    /// are compared with none of similar length.
    signature: std::cell::OnceCell<u64>,
    words: usize,
    /// Its word bag, computed the first time a comparison gets that far.
    bag: std::cell::OnceCell<Vec<u64>>,
    start: usize,
}

/// A text as a key of the exact-repeat maps: equal as strings, hashed by their length
/// and their first and last eight bytes only (two loads, whatever the length), which
/// tell most sentences of a story apart; the map compares the texts themselves on a tie.
#[derive(PartialEq, Eq)]
struct Verbatim<'a>(&'a str);

impl std::hash::Hash for Verbatim<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let bytes = self.0.as_bytes();
        let edge = |start: usize| crate::word_filter::packed(bytes, start, bytes.len().min(8));
        let (head, tail) = match bytes.len() {
            0 => (0, 0),
            n => (edge(0), edge(n - n.min(8))),
        };
        state.write_u64(head ^ tail.rotate_left(29) ^ (bytes.len() as u64) << 56);
    }
}

fn word_hash(w: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(w);
    hasher.finish()
}

/// The words of the sentence `s` of `doc` (tokenised once per document), as bytes.
fn sentence_words<'d>(doc: &'d Document, s: &Sentence) -> impl Iterator<Item = &'d [u8]> {
    let (bytes, end) = (doc.text.as_bytes(), s.range.end);
    doc.words[s.words.clone()]
        .iter()
        .map(move |w| &bytes[w.start()..w.end().min(end)])
}

/// Sorted hashes of the words of a sentence.
fn word_bag<'d>(words: impl Iterator<Item = &'d [u8]>) -> Vec<u64> {
    let mut bag: Vec<u64> = words.map(word_hash).collect();
    bag.sort_unstable();
    bag
}

/// One bit per distinct word of the sentence `s` of `doc`. The bit is a function of the
/// word's length and first eight bytes (read in one load): a function of the word is all
/// the bound it serves needs.
fn signature(doc: &Document, s: &Sentence) -> u64 {
    let (bytes, end) = (doc.text.as_bytes(), s.range.end);
    doc.words[s.words.clone()].iter().fold(0, |signature, w| {
        let len = w.end().min(end) - w.start();
        let key = crate::word_filter::packed(bytes, w.start(), len.min(8));
        signature | 1 << ((key ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
    })
}

/// Is the normalised Levenshtein similarity of `a` and `b` (1 - distance / longer length,
/// in characters, as `strsim::normalized_levenshtein`) at least `min`? The distance is
/// only computed up to the bound that decides, with a bit-parallel algorithm.
fn similar_enough(a: &str, b: &str, min: f64) -> bool {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 1.0 >= min;
    }
    // Any distance above this bound fails the test, whatever the rounding.
    let bound = ((1.0 - min).max(0.0) * longest as f64).ceil() as usize + 1;
    let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(bound);
    rapidfuzz::distance::levenshtein::distance_with_args(a.chars(), b.chars(), &args)
        .is_some_and(|d| 1.0 - d as f64 / longest as f64 >= min)
}

/// How many words two sorted bags share.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

impl Detector for RepeatedSentence {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let doc = unit.doc;
        let base = unit.start;
        // Repeats are verbatim copies: texts are compared as they stand (trimmed), and the
        // near test below catches the rest.
        // Sized once: growing a map rehashes every key in it.
        let mut seen_paragraphs: rustc_hash::FxHashMap<Verbatim<'_>, usize> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(
                doc.paragraphs.len(),
                Default::default(),
            );
        let mut repeated_paragraphs = vec![false; doc.paragraphs.len()];
        for (i, p) in doc.paragraphs.iter().enumerate() {
            let text = &doc.text[p.clone()];
            if doc.paragraph_words[i].len() < self.min_words {
                continue;
            }
            let key = text.trim();
            match seen_paragraphs.entry(Verbatim(key)) {
                Entry::Occupied(first) => {
                    let line = doc.lines.line_of(doc.paragraphs[*first.get()].start) + 1;
                    let lead = text.len() - text.trim_start().len();
                    let start = p.start + lead - base;
                    out.push(Hit {
                        span: start..start + key.len(),
                        message: Some(format!("paragraph repeated from line {line}")),
                        fix: None,
                    });
                    repeated_paragraphs[i] = true;
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        let mut earlier: Vec<Earlier> = Vec::with_capacity(doc.sentences.len());
        let mut exact: rustc_hash::FxHashMap<Verbatim<'_>, usize> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(
                doc.sentences.len(),
                Default::default(),
            );
        for s in &doc.sentences {
            if repeated_paragraphs[s.paragraph] {
                continue;
            }
            let text = &doc.text[s.range.clone()];
            let key = text;
            let words = s.words.len();
            if words < self.min_words {
                continue;
            }
            // Its signature and word bag, computed when a comparison first needs them.
            let mut own_signature: Option<u64> = None;
            let mut bag: Option<Vec<u64>> = None;
            // One hash of the sentence: its slot in `exact` is kept for the insertion.
            let slot = exact.entry(Verbatim(key));
            let exact_repeat = matches!(slot, Entry::Occupied(_));
            let repeat_of = match &slot {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(_) => earlier
                    .iter()
                    .rev()
                    .take(NEAR_WINDOW)
                    .find(|e| {
                        // Cheap tests first: similar lengths, then few words missing from
                        // either side (each signature bit the other lacks is a missing word).
                        let (a, c) = (e.text.len() as f64, key.len() as f64);
                        if a.min(c) / a.max(c) < self.similarity {
                            return false;
                        }
                        let needed = self.similarity * e.words.max(words) as f64 - 1.0;
                        // No more words shared than the shorter sentence has: the test
                        // below, on the word counts alone, before any signature.
                        if (e.words.min(words) as f64) < needed {
                            return false;
                        }
                        let own = *own_signature.get_or_insert_with(|| signature(doc, s));
                        let theirs = *e.signature.get_or_init(|| signature(doc, e.sentence));
                        let missing = (theirs & !own).count_ones() as usize;
                        let extra = (own & !theirs).count_ones() as usize;
                        if ((e.words - missing.min(e.words)) as f64) < needed
                            || ((words - extra.min(words)) as f64) < needed
                        {
                            return false;
                        }
                        let mine = bag.get_or_insert_with(|| word_bag(sentence_words(doc, s)));
                        let theirs = e
                            .bag
                            .get_or_init(|| word_bag(sentence_words(doc, e.sentence)));
                        shared(theirs, mine) as f64 >= needed
                            && similar_enough(e.text, key, self.similarity)
                    })
                    .map(|e| e.start),
            };
            match repeat_of {
                Some(first_start) => {
                    let line = doc.lines.line_of(first_start) + 1;
                    let para = &doc.paragraphs[s.paragraph];
                    // An exact repeat inside a paragraph is removed with the space before it.
                    let mut start = s.range.start;
                    while start > para.start && doc.text[..start].ends_with(' ') {
                        start -= 1;
                    }
                    let deletable = exact_repeat && start > para.start;
                    let span_start = if deletable { start } else { s.range.start };
                    out.push(Hit {
                        span: span_start - base..s.range.end - base,
                        message: Some(format!("sentence repeated from line {line}")),
                        fix: deletable.then(String::new),
                    });
                }
                None => {
                    if let Entry::Vacant(slot) = slot {
                        slot.insert(s.range.start);
                    }
                    earlier.push(Earlier {
                        text: key,
                        sentence: s,
                        signature: own_signature
                            .map(std::cell::OnceCell::from)
                            .unwrap_or_default(),
                        words,
                        bag: bag.map(std::cell::OnceCell::from).unwrap_or_default(),
                        start: s.range.start,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doubled words `text` reports.
    fn doubled(text: &str) -> Vec<&str> {
        let doc = Document::new(text.into(), &crate::text::Segmenter::default());
        let mut hits = Vec::new();
        RepeatedWord::new(WordSettings { allow: Vec::new() })
            .check(&Unit::new(&doc, 0..text.len()), &mut hits);
        hits.iter().map(|h| &text[h.span.clone()]).collect()
    }

    /// The quick tests of a pair's lengths and first bytes let a doubled word through in
    /// any case, also where a letter's two cases begin with different bytes (`Р`, `р`);
    /// words of one length that begin apart are no pair.
    #[test]
    fn doubled_words_are_found_in_any_case() {
        assert_eq!(doubled("il a dit selon Selon lui"), ["selon Selon"]);
        assert_eq!(doubled("Цены Рынок рынок растут"), ["Рынок рынок"]);
        assert_eq!(doubled("le groupe DÉJÀ déjà prêt"), ["DÉJÀ déjà"]);
        assert!(doubled("le mardi lundi et Paris paris2 puis marché marche").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn similar_enough_agrees_with_strsim(
            a in "[abcé ]{0,30}",
            b in "[abcé ]{0,30}",
            min in 0.0f64..=1.0,
        ) {
            proptest::prop_assert_eq!(
                similar_enough(&a, &b, min),
                strsim::normalized_levenshtein(&a, &b) >= min
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn same_lowercase_agrees_with_to_lowercase(
            a in "[aAàÀéÉİıßẞΣσςΟοKK]{0,6}",
            b in "[aAàÀéÉİıßẞΣσςΟοKK]{0,6}",
        ) {
            // Against another word, and against the same in capitals.
            for b in [b, a.to_uppercase()] {
                proptest::prop_assert_eq!(
                    same_lowercase(&a, &b),
                    a.to_lowercase() == b.to_lowercase()
                );
            }
        }
    }

    /// The sentences of `text` (one paragraph) that repeat an earlier one, by the plain
    /// definition: the same text as a sentence kept before, or close enough to one of
    /// the last `NEAR_WINDOW` kept: similar byte lengths, enough words in common (all
    /// but one in `similarity`), then the similarity itself.
    fn repeated_by_definition(text: &str, min_words: usize, similarity: f64) -> Vec<usize> {
        let doc = Document::new(text.to_string(), &crate::text::Segmenter::default());
        let mut kept: Vec<(&str, &Sentence)> = Vec::new();
        let mut repeated = Vec::new();
        for (i, s) in doc.sentences.iter().enumerate() {
            let text = &doc.text[s.range.clone()];
            if s.words.len() < min_words {
                continue;
            }
            let bag = |s: &Sentence| word_bag(sentence_words(&doc, s));
            let near = |(e, es): &(&str, &Sentence)| {
                let (a, c) = (e.len() as f64, text.len() as f64);
                let needed = similarity * es.words.len().max(s.words.len()) as f64 - 1.0;
                a.min(c) / a.max(c) >= similarity
                    && shared(&bag(es), &bag(s)) as f64 >= needed
                    && similar_enough(e, text, similarity)
            };
            if kept.iter().any(|(e, _)| *e == text) || kept.iter().rev().take(NEAR_WINDOW).any(near)
            {
                repeated.push(i);
            } else {
                kept.push((text, s));
            }
        }
        repeated
    }

    proptest::proptest! {
        /// The signatures that spare most comparisons (each computed when first needed)
        /// turn none away that the definition keeps.
        #[test]
        fn the_bounds_turn_away_no_repeat(
            sentences in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(&["le", "la", "hausse", "de", "5", "6", "%", "prix", "baisse", "Le", "élevé"][..]), 3..9),
                1..12,
            ),
            similarity in proptest::sample::select(&[0.6, 0.75, 0.92][..]),
        ) {
            // Each sentence opens with a capital, as the segmenter wants to cut there.
            let text: String = sentences
                .iter()
                .map(|w| format!("Et {}. ", w.join(" ")))
                .collect();
            let text = text.trim_end();
            let detector = RepeatedSentence::new(SentenceSettings { min_words: 3, similarity });
            let doc = Document::new(text.to_string(), &crate::text::Segmenter::default());
            let mut hits = Vec::new();
            detector.check(&Unit::new(&doc, 0..text.len()), &mut hits);
            let found: Vec<usize> = hits
                .iter()
                .map(|h| doc.sentences.iter().position(|s| s.range.end == h.span.end).unwrap())
                .collect();
            proptest::prop_assert_eq!(found, repeated_by_definition(text, 3, similarity));
        }
    }

    /// Sentences of one length that open and close alike (one key in the exact-repeat
    /// map) are told apart by their texts: only the true repeat is reported.
    #[test]
    fn sentences_alike_at_both_ends_are_no_repeat() {
        let a = "Le groupe a annoncé une hausse des ventes en Asie ce trimestre.";
        let b = "Le groupe a démenti une rumeur de rachat du rival ce trimestre.";
        assert_eq!(a.len(), b.len());
        let text = format!("{a} {b} {a}");
        let detector = RepeatedSentence::new(SentenceSettings {
            min_words: 6,
            similarity: 0.92,
        });
        let doc = Document::new(text.clone(), &crate::text::Segmenter::default());
        let mut hits = Vec::new();
        detector.check(&Unit::new(&doc, 0..text.len()), &mut hits);
        let reported: Vec<&str> = hits.iter().map(|h| text[h.span.clone()].trim()).collect();
        assert_eq!(reported, [a]);
        assert!(hits[0].span.start > a.len() + b.len());
    }

    #[test]
    fn near_repeats_pass_and_rewrites_fail() {
        let a = "Le groupe a annoncé mardi une hausse de 5 % de son chiffre d'affaires.";
        let b = "Le groupe a annoncé mardi une hausse de 6 % de son chiffre d'affaires.";
        let c = "Les autorités ont démenti toute hausse des prix de l'énergie cet hiver.";
        assert!(similar_enough(a, b, 0.85));
        assert!(!similar_enough(a, c, 0.85));
        assert!(similar_enough("", "", 1.0));
    }
}
