//! Picks the pack language of a document: a vote of the packs' marker words first, and
//! whatlang only when the vote is unclear (a marker count costs a few microseconds, the
//! language identifier tens).

use crate::pack::{Language, RuleSet};

/// Bytes of a document's start that the vote and whatlang read.
pub const PREFIX: usize = 1024;

/// A pack wins the vote outright with at least this many marker words...
const MIN_MARKERS: usize = 5;

/// ...making up at least this share of the prefix's words (French briefs against the French
/// markers: 5-28 %, most above 10 %; English, German, Spanish, Italian or Portuguese news:
/// under 1 %). A document below the share is left to whatlang, never refused.
const MIN_SHARE: f64 = 0.07;

/// Languages whatlang chooses among, besides the packs' own: the usual sources and
/// targets of wire translation (a short list is ten times faster than all 69).
const ALSO_DETECT: [whatlang::Lang; 8] = [
    whatlang::Lang::Eng,
    whatlang::Lang::Fra,
    whatlang::Lang::Deu,
    whatlang::Lang::Spa,
    whatlang::Lang::Ita,
    whatlang::Lang::Por,
    whatlang::Lang::Nld,
    whatlang::Lang::Rus,
];

/// Chooses among the packs of one rule set.
#[derive(Debug)]
pub struct LanguagePicker {
    detector: whatlang::Detector,
    /// Bytes of the longest marker word: longer words are no marker.
    longest_marker: usize,
}

impl LanguagePicker {
    /// A picker for the languages of `rules`.
    pub fn new(rules: &RuleSet) -> Self {
        let mut langs: Vec<whatlang::Lang> = rules
            .languages
            .values()
            .filter_map(|l| l.whatlang)
            .collect();
        langs.extend(ALSO_DETECT);
        langs.sort_by_key(|l| l.code());
        langs.dedup();
        LanguagePicker {
            detector: whatlang::Detector::with_allowlist(langs),
            longest_marker: longest_marker(rules),
        }
    }

    /// The pack language of `text`, if a pack serves it, from the `words` of `text` (or
    /// of its first [`PREFIX`] bytes at least).
    pub fn pick<'r>(
        &self,
        rules: &'r RuleSet,
        text: &str,
        words: &[std::ops::Range<usize>],
    ) -> Option<&'r Language> {
        let end = crate::detect::floor_boundary(text, PREFIX);
        if let Some(lang) = vote(rules, text, words, end, self.longest_marker) {
            return Some(lang);
        }
        let prefix = &text[..end];
        let info = self.detector.detect(prefix)?;
        rules.language_for(info.lang())
    }
}

/// Bytes of the longest marker word of the packs of `rules`.
fn longest_marker(rules: &RuleSet) -> usize {
    let markers = rules.languages.values().flat_map(|l| &l.markers);
    markers.map(String::len).max().unwrap_or(0)
}

/// The pack whose marker words clearly dominate `text[..end]` (whose `words` are given),
/// if one does. No marker is longer than `longest` bytes.
fn vote<'r>(
    rules: &'r RuleSet,
    text: &str,
    words: &[std::ops::Range<usize>],
    end: usize,
    longest: usize,
) -> Option<&'r Language> {
    let candidates: Vec<&Language> = rules
        .languages
        .values()
        .filter(|l| !l.markers.is_empty())
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let mut counts = vec![0usize; candidates.len()];
    let mut seen = 0usize;
    // Longer words are no marker: skipped before any lower-casing or lookup.
    let mut lower = String::new();
    crate::text::words::for_each_alphanumeric_run(text, words, end, |word| {
        seen += 1;
        // Lower-casing never gives fewer characters, nor fewer bytes than characters.
        if word.len() > longest && (word.is_ascii() || word.chars().count() > longest) {
            return;
        }
        let word = if !word.is_ascii() {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            lower.as_str()
        } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            lower.as_str()
        } else {
            word
        };
        for (count, lang) in counts.iter_mut().zip(&candidates) {
            *count += usize::from(lang.markers.contains(word));
        }
    });
    let (best, &hits) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0);
    let clear =
        hits >= MIN_MARKERS && hits as f64 >= MIN_SHARE * seen as f64 && hits >= 2 * runner_up;
    clear.then_some(candidates[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREIGN: [(&str, &str); 5] = [
        ("en", include_str!("../tests/fixtures/languages/en.txt")),
        ("de", include_str!("../tests/fixtures/languages/de.txt")),
        ("es", include_str!("../tests/fixtures/languages/es.txt")),
        ("it", include_str!("../tests/fixtures/languages/it.txt")),
        ("pt", include_str!("../tests/fixtures/languages/pt.txt")),
    ];
    const SEED: &str = include_str!("../data/samples/fr-seed.txt");

    fn vote_on<'r>(rules: &'r RuleSet, text: &str) -> Option<&'r Language> {
        let words = crate::text::words::words(text);
        vote(rules, text, &words, text.len(), longest_marker(rules))
    }

    #[test]
    fn a_french_wire_wins_the_vote() {
        let rules = RuleSet::builtin();
        assert_eq!(
            vote_on(&rules, &SEED[..1024]).map(|l| l.code.as_str()),
            Some("fr")
        );
    }

    #[test]
    fn neighbouring_languages_never_win_the_french_vote_nor_the_pick() {
        let rules = RuleSet::builtin();
        let picker = LanguagePicker::new(&rules);
        for (code, text) in FOREIGN {
            assert!(vote_on(&rules, text).is_none(), "{code} won the vote");
            assert!(
                picker
                    .pick(&rules, text, &crate::text::words::words(text))
                    .is_none(),
                "{code} picked as a pack"
            );
        }
    }

    #[test]
    fn a_short_french_line_without_markers_falls_back_to_whatlang() {
        let rules = RuleSet::builtin();
        let text = "La Bourse de Paris a terminé la séance en nette hausse, portée par le luxe.";
        assert!(vote_on(&rules, text).is_none());
        let picked =
            LanguagePicker::new(&rules).pick(&rules, text, &crate::text::words::words(text));
        assert_eq!(picked.map(|l| l.code.as_str()), Some("fr"));
    }
}
