//! Untranslated English inside text of another language. Each word gets English
//! evidence: how much more frequent it is in English than in the target language
//! (Zipf scale). Runs of English-leaning words are reported; a sentence made mostly of
//! them is confirmed with whatlang (English or target only) and reported whole.
//! Capitalised words inside a sentence are names, never English evidence.

use std::ops::Range;

use serde::Deserialize;
use whatlang::{Detector as LangDetector, Lang};

use super::{words, Detector, Hit, Scope, Unit};
use crate::word_filter::WordHash;
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
        Ok(StrayEnglish {
            margins: margins(&s.english, &s.native)?,
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

    /// Could `word` be English enough to count on its own (whatever its place in the
    /// sentence)? Every word that counts so in [`Detector::check`] passes. A filter of the
    /// table's strong words turns most words away (a hyphenated word adds up its parts).
    fn may_be_strong(&self, word: &[u8]) -> bool {
        WordHash::of_ascii(word)
            .is_some_and(|(hash, hyphen)| hyphen || self.margins.may_reach(hash, self.word_margin))
            && self
                .ascii_margin(std::str::from_utf8(word).expect("ASCII"))
                .is_some_and(|m| m >= self.word_margin)
    }

    /// [`Self::margin`] of an ASCII word in any case (None for any other word). The word's
    /// case-folded hash goes to the table's Bloom filter first: most words stop there,
    /// before any copy.
    fn ascii_margin(&self, word: &str) -> Option<f32> {
        let bytes = word.as_bytes();
        let (hash, hyphen) = WordHash::of_ascii(bytes)?;
        // A hyphenated word is looked up part by part.
        if !hyphen && !self.margins.may_contain(hash) {
            return None;
        }
        let mut buffer = [0u8; 32];
        match buffer.get_mut(..word.len()) {
            _ if !bytes.iter().any(u8::is_ascii_uppercase) => self.margin(word),
            Some(lower) => {
                lower.copy_from_slice(bytes);
                lower.make_ascii_lowercase();
                self.margin(std::str::from_utf8(lower).expect("ASCII"))
            }
            None => self.margin(&word.to_ascii_lowercase()),
        }
    }

    /// English evidence of one word (lower-cased): None when it is not English at all.
    fn margin(&self, word: &str) -> Option<f32> {
        let margins = self.margins;
        let total = if word.as_bytes().contains(&b'-') {
            let mut total = 0.0;
            for part in word.split('-') {
                total += margins.get(part)?;
            }
            total
        } else {
            margins.get(word)?
        };
        (!self.allow.contains(word)).then_some(total)
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
    fn scope(&self) -> Scope {
        Scope::Sentence
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        // Every report needs a word English enough on its own, not a name: most sentences
        // have none, which this pass finds without building anything. A capitalised word
        // a single space after another is a name (see `is_name` below).
        let bytes = text.as_bytes();
        let mut previous_end = None;
        let may_report = unit.word_ranges().any(|r| {
            let after_space = previous_end
                .replace(r.end)
                .is_some_and(|end| r.start == end + 1 && bytes[end] == b' ');
            !(after_space && bytes[r.start].is_ascii_uppercase()) && self.may_be_strong(&bytes[r])
        });
        if !may_report {
            return;
        }
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
