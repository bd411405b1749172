//! Untranslated English inside text of another language. Each word gets English
//! evidence: how much more frequent it is in English than in the target language
//! (Zipf scale). Runs of English-leaning words are reported; a sentence made mostly of
//! them is confirmed with whatlang (English or target only) and reported whole.
//! Capitalised words inside a sentence are names, never English evidence.

use std::ops::Range;

use serde::Deserialize;
use whatlang::{Detector as LangDetector, Lang};

use super::{shift_hits, words, Detector, Hit, Scope, Unit};
use crate::text::words::Word;
use crate::word_filter::{WordFilter, WordHash};
use crate::wordlist::{self, Margins};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Zipf frequency list of English (`en-zipf`).
    english: String,
    /// Zipf frequency list of the target language (`fr-zipf`).
    native: String,
    /// whatlang code of the target language (`fra`).
    native_lang: String,
    /// A word is English-leaning when its English Zipf exceeds its target-language one by this.
    #[serde(default = "d_word")]
    word_margin: f32,
    /// A run of two or more words is reported when its margins add up to this.
    #[serde(default = "d_run")]
    run_margin: f32,
    /// A single word is reported when its margin reaches this.
    #[serde(default = "d_single")]
    single_margin: f32,
    /// Accepted loanwords (any case): single words, or phrases (`pricing power`,
    /// `take-or-pay`) that are not reported as a run.
    #[serde(default)]
    allow: Vec<String>,
}

fn d_word() -> f32 {
    1.0
}
fn d_run() -> f32 {
    2.0
}
fn d_single() -> f32 {
    2.4
}

/// Lower-case words that link the capitalised words of a name (`Bank of America`).
const NAME_LINKS: &[&str] = &["of", "and", "for", "the", "de", "du", "des", "&"];

/// A weak English word (margin below `word-margin`) right before a run joins it from this margin.
const WEAK_LEAD: f32 = 0.3;

/// The English-margin table of the lists `english` and `native`.
fn margins(english: &str, native: &str) -> Result<Margins, String> {
    for name in [english, native] {
        wordlist::lookup(name).ok_or_else(|| format!("unknown word list `{name}`"))?;
    }
    match english {
        "en-zipf" => wordlist::english_margins(native)
            .ok_or_else(|| format!("no English-margin table for `{native}` (see build.rs)")),
        _ => Err(format!("`english` must be `en-zipf`, not `{english}`")),
    }
}

#[derive(Debug)]
pub struct StrayEnglish {
    /// English Zipf minus target Zipf of the English words that can count (build.rs).
    margins: Margins,
    /// The filter of the words whose margin may reach `word_margin`.
    strong_filter: WordFilter,
    langs: LangDetector,
    word_margin: f32,
    run_margin: f32,
    single_margin: f32,
    allow: rustc_hash::FxHashSet<String>,
    allow_phrases: rustc_hash::FxHashSet<String>,
}

/// `Take-or-Pay` -> `take or pay`.
fn phrase_key(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '’', '\''], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl StrayEnglish {
    pub fn new(s: Settings) -> Result<Self, String> {
        let native_lang = Lang::from_code(&s.native_lang)
            .ok_or_else(|| format!("unknown whatlang code `{}`", s.native_lang))?;
        let margins = margins(&s.english, &s.native)?;
        Ok(StrayEnglish {
            strong_filter: margins.filter_reaching(s.word_margin),
            margins,
            langs: LangDetector::with_allowlist(vec![Lang::Eng, native_lang]),
            word_margin: s.word_margin,
            run_margin: s.run_margin,
            single_margin: s.single_margin,
            allow: s
                .allow
                .iter()
                .filter(|w| !w.contains([' ', '-']))
                .map(|w| w.to_lowercase())
                .collect(),
            allow_phrases: s
                .allow
                .iter()
                .filter(|w| w.contains([' ', '-']))
                .map(|w| phrase_key(w))
                .collect(),
        })
    }

    /// Can `text[word]` be English enough to count on its own (whatever its place in the
    /// sentence)? A filter of the table's strong words turns most words away, with one
    /// read, and so do non-ASCII bytes among its first eight (a `hyphenated` word adds up
    /// its parts: it may pass whatever the filter says). The tests are combined without
    /// a branch between them: one branch a word, on the outcome, which is nearly always
    /// no. A word that passes may still fail [`Self::strong_margin`].
    #[inline(always)]
    fn may_be_strong(&self, text: &str, word: Range<usize>, hyphenated: bool) -> bool {
        let (hash, ascii) = WordHash::of_prefix_in(text.as_bytes(), word);
        ascii & (hyphenated | self.strong_filter.may_contain(hash))
    }

    /// The margin of a word that [`Self::may_be_strong`] lets through, when it is English
    /// enough to count on its own: every word that counts so in [`Self::analyse`] has one.
    fn strong_margin(&self, word: &str) -> Option<f32> {
        self.ascii_margin(word).filter(|&m| m >= self.word_margin)
    }

    /// Can [`Self::analyse`] report anything in `unit`? Each report needs a strong word
    /// (see [`Self::strong_margin`]), and one of these: it is hyphenated (a run of two
    /// parts), long and strong enough to stand alone, led by an English-leaning word
    /// joined to it, or not the unit's only strong word (a run of two, or a sentence
    /// mostly English). Names a space after another word and addresses are never strong.
    /// Most sentences have no word that [`Self::may_be_strong`] lets through, which the
    /// first loop finds, a test a word and nothing more; the second goes on from there.
    /// `hyphens` is at or before the unit (and goes on to the next).
    fn may_report(&self, unit: &Unit<'_>, hyphens: &mut Hyphens<'_>) -> bool {
        // Words are read where they are in the document: no offsets to move per word.
        let (text, bytes) = (unit.doc.text.as_str(), unit.doc.text.as_bytes());
        let end = unit.start + unit.text.len();
        let words = unit.doc_words;
        let range_of = |w: &Word| w.start()..w.end().min(end);
        let passes_filter = |r: Range<usize>, hyphens: &mut Hyphens<'_>| {
            let hyphenated = hyphens.within(&r);
            self.may_be_strong(text, r, hyphenated)
        };
        let Some(first) = words
            .iter()
            .position(|w| passes_filter(range_of(w), hyphens))
        else {
            return false;
        };
        let mut strong = 0;
        for (i, w) in words.iter().enumerate().skip(first) {
            let r = range_of(w);
            // The filter first: it turns most words away; then names, before the table.
            if i > first && !passes_filter(r.clone(), hyphens) {
                continue;
            }
            let before = i.checked_sub(1).map(|j| range_of(&words[j]));
            let after_space = before
                .as_ref()
                .is_some_and(|b| r.start == b.end + 1 && bytes[b.end] == b' ');
            if after_space && bytes[r.start].is_ascii_uppercase() {
                continue;
            }
            let Some(margin) = self.strong_margin(&text[r.clone()]) else {
                continue;
            };
            if unit.doc.is_protected(&r) {
                continue;
            }
            strong += 1;
            let led = || {
                before.as_ref().is_some_and(|b| {
                    bytes[b.end..r.start].iter().all(|&c| c == b' ')
                        && self
                            .ascii_margin(&text[b.clone()])
                            .is_some_and(|m| m >= WEAK_LEAD)
                })
            };
            if strong >= 2
                || bytes[r.clone()].contains(&b'-')
                || (r.len() >= 4 && margin >= self.single_margin)
                || led()
            {
                return true;
            }
        }
        false
    }

    /// The English evidence of an ASCII word in any case (None for any other word, and for
    /// a word that is not English at all). The word's case-folded hash goes to the table's
    /// Bloom filter first, where most words stop; the table is searched by that hash, in
    /// any case. A hyphenated word adds up the margins of its parts, each of which must
    /// have one.
    fn ascii_margin(&self, word: &str) -> Option<f32> {
        let bytes = word.as_bytes();
        let hash = WordHash::of_ascii(bytes)?;
        let total = if bytes.contains(&b'-') {
            let mut total = 0.0;
            for part in word.split('-') {
                total += self.margins.get(part)?;
            }
            total
        } else {
            self.margins.get_hashed(word, hash)?
        };
        (!self.is_allowed(word)).then_some(total)
    }

    /// Is `word` (ASCII) an accepted loanword? The list is lower-case: a word with
    /// capitals is looked up lower-cased, on the stack when it is short.
    fn is_allowed(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        if !bytes.iter().any(u8::is_ascii_uppercase) {
            return self.allow.contains(word);
        }
        let mut buffer = [0u8; 32];
        match buffer.get_mut(..word.len()) {
            Some(lower) => {
                lower.copy_from_slice(bytes);
                lower.make_ascii_lowercase();
                self.allow
                    .contains(std::str::from_utf8(lower).expect("ASCII"))
            }
            None => self.allow.contains(&word.to_ascii_lowercase()),
        }
    }
}

/// Where the next `-` of a text is, from a place on: looked for once a hyphen, not once
/// a word.
struct Hyphens<'t> {
    bytes: &'t [u8],
    /// The first `-` at or after the last place asked about (`end` when none is left).
    next: usize,
    end: usize,
}

impl<'t> Hyphens<'t> {
    /// The hyphens of `bytes[from..end]`.
    fn new(bytes: &'t [u8], from: usize, end: usize) -> Self {
        let mut hyphens = Hyphens {
            bytes,
            next: from,
            end,
        };
        hyphens.find_from(from);
        hyphens
    }

    fn find_from(&mut self, from: usize) {
        let rest = &self.bytes[from..self.end];
        self.next = memchr::memchr(b'-', rest).map_or(self.end, |k| from + k);
    }

    /// Is there a `-` in `range`? Ranges are asked about in order of start, from the
    /// place the search started.
    #[inline(always)]
    fn within(&mut self, range: &Range<usize>) -> bool {
        if self.next < range.start {
            self.find_from(range.start);
        }
        self.next < range.end
    }
}

/// A word of the sentence with its English evidence.
struct Tok {
    range: Range<usize>,
    margin: Option<f32>,
    /// Follows the previous word with only spaces between.
    joined: bool,
}

impl Detector for StrayEnglish {
    /// The whole document in one call: its sentences are gone through here, which spares
    /// the engine's cost of a call a sentence (most have no English and cost little more).
    fn scope(&self) -> Scope {
        Scope::Document
    }

    /// Reports in each sentence of `unit`.
    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let doc = unit.doc;
        let end = unit.start + unit.text.len();
        let first = doc
            .sentences
            .partition_point(|s| s.range.start < unit.start);
        let mut hyphens = Hyphens::new(doc.text.as_bytes(), unit.start, end);
        for s in doc.sentences[first..]
            .iter()
            .take_while(|s| s.range.end <= end)
        {
            let sentence = Unit::with_words(doc, s.range.clone(), &doc.words[s.words.clone()]);
            if self.may_report(&sentence, &mut hyphens) {
                let found = out.len();
                self.analyse(&sentence, out);
                shift_hits(&mut out[found..], s.range.start - unit.start);
            }
        }
    }
}

impl StrayEnglish {
    /// Reports the English runs and sentences of `unit`.
    fn analyse(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        let ranges = unit.words();
        let word = |i: usize| &text[ranges[i].clone()];
        let gap = |i: usize| &text[ranges[i - 1].end..ranges[i].start];
        // A word opening the sentence, a bracket or a bullet may be capitalised without being a name.
        let initial =
            |i: usize| i == 0 || gap(i).contains(['(', '*', ':']) || gap(i).contains(". ");
        let capitalised_at = |i: usize| i < ranges.len() && words::is_capitalised(word(i));
        let is_name = |i: usize| {
            if !words::is_capitalised(word(i)) {
                return false;
            }
            // `Bank of America`, `Sustainable Financing Framework`: a name even when initial.
            !initial(i)
                || capitalised_at(i + 1)
                || (i + 2 < ranges.len()
                    && NAME_LINKS.contains(&word(i + 1))
                    && capitalised_at(i + 2))
        };
        let mut toks = Vec::with_capacity(ranges.len());
        let (mut counted, mut english) = (0usize, 0usize);
        for (i, r) in ranges.iter().enumerate() {
            let w = word(i);
            let name = is_name(i);
            let acronym = words::is_acronym(w);
            let margin = if name || acronym || !w.is_ascii() || unit.is_protected(r) {
                None // accented words are not English
            } else {
                self.ascii_margin(w)
            };
            let has_letter = margin.is_some()
                || w.bytes().any(|b| b.is_ascii_alphabetic())
                || (!w.is_ascii() && w.chars().any(char::is_alphabetic));
            if !name && !acronym && has_letter {
                counted += 1;
                if margin.is_some_and(|m| m >= self.word_margin) {
                    english += 1;
                }
            }
            let joined = i > 0 && gap(i).bytes().all(|b| b == b' ');
            toks.push(Tok {
                range: r.clone(),
                margin,
                joined,
            });
        }
        // A sentence that is mostly English, confirmed by whatlang: reported whole.
        if counted >= 4 && english * 2 >= counted {
            if let Some(info) = self.langs.detect(text) {
                if info.lang() == Lang::Eng {
                    let start = toks.first().map_or(0, |t| t.range.start);
                    let end = text.trim_end().len();
                    out.push(Hit {
                        span: start..end,
                        message: Some("untranslated English sentence".into()),
                        fix: None,
                    });
                    return;
                }
            }
        }
        // Runs of English-leaning words; weak words (`on`, `dot`) only inside a run or
        // right before it.
        let strong = |t: &Tok| t.margin.is_some_and(|m| m >= self.word_margin);
        let mut i = 0;
        let mut consumed = 0;
        while i < toks.len() {
            if !strong(&toks[i]) {
                i += 1;
                continue;
            }
            let lead = i > consumed
                && toks[i].joined
                && toks[i - 1].margin.is_some_and(|m| m >= WEAK_LEAD);
            let first = if lead { i - 1 } else { i };
            let mut j = i + 1;
            let mut last_strong = i;
            while j < toks.len() && toks[j].joined && toks[j].margin.is_some() {
                if strong(&toks[j]) {
                    last_strong = j;
                }
                j += 1;
            }
            let run = &toks[first..=last_strong];
            let total: f32 = run.iter().filter_map(|t| t.margin).sum();
            let parts: usize = run
                .iter()
                .map(|t| text[t.range.clone()].split('-').count())
                .sum();
            let report = if parts >= 2 {
                total >= self.run_margin
            } else {
                // A lone short word (`to`, `of`) is too weak a sign on its own.
                total >= self.single_margin && run[0].range.len() >= 4
            };
            let span_text = &text[run[0].range.start..run[run.len() - 1].range.end];
            if report && !self.allow_phrases.contains(&phrase_key(span_text)) {
                let span = run[0].range.start..run[run.len() - 1].range.end;
                out.push(Hit {
                    message: Some(format!("untranslated English: `{}`", &text[span.clone()])),
                    span,
                    fix: None,
                });
            }
            consumed = last_strong + 1;
            i = last_strong + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, Segmenter};

    /// The detector of the French pack, with its settings.
    fn french() -> StrayEnglish {
        let pack: toml::Table = include_str!("../../rules/fr/stray-english.toml")
            .parse()
            .unwrap();
        let settings = pack["rule"][0]["settings"].clone();
        StrayEnglish::new(settings.try_into().unwrap()).unwrap()
    }

    /// Checks that the screen turns away no sentence of `text` that the analysis reports
    /// in; returns how many sentences the analysis reports in.
    fn screen_is_sound(detector: &StrayEnglish, text: &str) -> usize {
        let doc = Document::new(text.to_string(), &Segmenter::default());
        let mut reported = 0;
        for s in &doc.sentences {
            let unit = Unit::new(&doc, s.range.clone());
            let mut hits = Vec::new();
            detector.analyse(&unit, &mut hits);
            if !hits.is_empty() {
                let mut hyphens = Hyphens::new(doc.text.as_bytes(), unit.start, s.range.end);
                assert!(
                    detector.may_report(&unit, &mut hyphens),
                    "screened out: {:?}",
                    unit.text
                );
                reported += 1;
            }
        }
        reported
    }

    const PIECES: &[&str] = &[
        "the",
        "an",
        "un",
        "of",
        "to",
        "on",
        "said",
        "report",
        "According",
        "Steel",
        "start-up",
        "year-on-year",
        "data-dependent",
        "bit",
        "le",
        "marché",
        "a",
        "progressé",
        "Bank",
        "RBI",
        "https://bit.ly/x",
        "www.example.com",
        "good",
        "won",
        "lot",
        "plot",
        "output",
        "L'an",
    ];
    const GLUE: &[&str] = &[" ", " ", " ", "  ", ", ", ". ", " (", ") ", "-", "\n"];

    proptest::proptest! {
        #[test]
        fn the_screen_turns_away_no_sentence_with_a_report(
            words in proptest::collection::vec((proptest::sample::select(PIECES), proptest::sample::select(GLUE)), 0..24)
        ) {
            let text: String = words.iter().flat_map(|(w, g)| [*w, *g]).collect();
            screen_is_sound(&french(), &text);
        }
    }

    #[test]
    fn a_unit_is_checked_sentence_by_sentence() {
        let detector = french();
        let text = "Le marché progresse.\nSelon lui, le dot plot surprend. La Fed reste data-dependent.\nThe company expects memory prices to stabilise.";
        let doc = Document::new(text.into(), &Segmenter::default());
        let check = |range: Range<usize>| {
            let mut hits = Vec::new();
            detector.check(&Unit::new(&doc, range.clone()), &mut hits);
            hits.iter()
                .map(|h| &text[range.start + h.span.start..range.start + h.span.end])
                .collect::<Vec<_>>()
        };
        let reported = [
            "dot plot",
            "data-dependent",
            "The company expects memory prices to stabilise.",
        ];
        assert_eq!(check(0..text.len()), reported);
        // A unit smaller than the document: its own sentences, its own offsets.
        let second = doc.paragraphs[1].clone();
        assert_eq!(check(second), reported[..2]);
    }

    #[test]
    fn the_screen_lets_each_kind_of_report_through_and_turns_near_misses_away() {
        let detector = french();
        let mut reported = 0;
        for text in [
            include_str!("../../data/samples/fr-seed.txt"),
            // One report per sentence, each through one way of the screen: a sentence
            // mostly English, a long word alone, a hyphenated word, a lead, two strong words.
            "The company expects memory prices to stabilise in the third quarter.",
            "According to la banque, le marché progresse.",
            "La Fed reste data-dependent selon lui.",
            "Le dot plot de la Fed surprend.",
            "Les secondary perils pèsent sur les assureurs.",
            // Two strong words apart, in a sentence whatlang finds English (found by the
            // property test above).
            "un-the good, good According le",
            // Near misses: a name, an address, `an`, a loanword.
            "Le projet Stargate AI avance. Un an plus tard. Voir https://bit.ly/rtrsauto.",
            "Il a levé des fonds pour sa start-up.",
        ] {
            reported += screen_is_sound(&detector, text);
        }
        assert!(reported >= 5, "only {reported} sentences reported");
        // Words of the table that French uses too (`an`, `bit` of an address) let the
        // sentence through only with a second strong word or a lead.
        let doc = Document::new(
            "Voir https://bit.ly/rtrsauto pour un an de plus.".into(),
            &Segmenter::default(),
        );
        let unit = Unit::new(&doc, 0..doc.text.len());
        let mut hyphens = Hyphens::new(doc.text.as_bytes(), 0, doc.text.len());
        assert!(!french().may_report(&unit, &mut hyphens));
    }
}
