//! Word lists shipped in `data/wordlists/`, compiled by build.rs into perfect-hash tables:
//! nothing to parse at start-up.

include!(concat!(env!("OUT_DIR"), "/word_lists.rs"));

use crate::word_filter::{WordFilter, WordHash};

/// Word frequencies on the Zipf scale (log10 of occurrences per billion words).
pub type Zipf = phf::Map<&'static str, f32>;

/// A frequency list.
#[derive(Debug, Clone, Copy)]
pub struct WordList {
    map: &'static Zipf,
}

impl WordList {
    /// The list.
    pub fn get(&self) -> &'static Zipf {
        self.map
    }
}

/// The frequency list `name` (`en-zipf`, `fr-zipf`), None for an unknown name.
pub fn lookup(name: &str) -> Option<WordList> {
    match name {
        "en-zipf" => Some(WordList { map: &EN_ZIPF }),
        "fr-zipf" => Some(WordList { map: &FR_ZIPF }),
        _ => None,
    }
}

/// English Zipf minus a target language's Zipf, for the English words that can be English
/// evidence in that language's text, behind a Bloom filter.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    table: &'static Zipf,
    filter: WordFilter,
    /// The filter of the words whose margin is at least `strong_from`.
    strong: WordFilter,
    strong_from: f32,
}

impl Margins {
    /// The margin of `word`, None when it is not in the table.
    #[inline]
    pub fn get(&self, word: &str) -> Option<f32> {
        if !self.may_contain(WordHash::of(word.as_bytes())) {
            return None;
        }
        self.table.get(word).copied()
    }

    /// False when the word of `hash` (`WordHash::of(word)`) is certainly not in the table.
    #[inline]
    pub fn may_contain(&self, hash: WordHash) -> bool {
        self.filter.may_contain(hash)
    }

    /// A filter that turns away the words certainly without a margin of `at_least` or
    /// more (chosen once for a loop).
    pub fn filter_reaching(&self, at_least: f32) -> WordFilter {
        if at_least >= self.strong_from {
            self.strong
        } else {
            self.filter
        }
    }
}

/// English Zipf minus `native`'s Zipf for the English words that can be English evidence
/// in `native` text (a word missing from `native` counts as Zipf 1.5; words more than 0.5
/// less frequent in English are left out), compiled by build.rs. None for a list without
/// such a table.
pub fn english_margins(native: &str) -> Option<Margins> {
    match native {
        "fr-zipf" => Some(Margins {
            table: &EN_OVER_FR_ZIPF,
            filter: WordFilter {
                bits: &EN_OVER_FR_FILTER,
            },
            strong: WordFilter {
                bits: &EN_OVER_FR_STRONG_FILTER,
            },
            strong_from: EN_OVER_FR_STRONG_MARGIN,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_pass_ascii_hash_agrees_with_the_plain_one() {
        use crate::word_filter::WordHash;
        for w in [
            "",
            "a",
            "data-dependent",
            "Take-or-Pay",
            "ruling",
            "exactly8",
            "nine-char",
            "été",
            "x-",
        ] {
            let expected = w.is_ascii().then(|| WordHash::of(w.as_bytes()));
            assert_eq!(WordHash::of_ascii(w.as_bytes()), expected, "{w}");
        }
    }

    #[test]
    fn the_filter_lets_every_listed_word_through() {
        let margins = english_margins("fr-zipf").unwrap();
        for (word, margin) in EN_OVER_FR_ZIPF.entries() {
            assert_eq!(margins.get(word), Some(*margin), "{word}");
        }
        assert_eq!(margins.get("trimestre"), None);
    }

    #[test]
    fn the_strong_filter_lets_every_strong_word_through_and_few_others() {
        let margins = english_margins("fr-zipf").unwrap();
        let reach = |w: &str, m| {
            margins
                .filter_reaching(m)
                .may_contain(WordHash::of(w.as_bytes()))
        };
        let mut weak_passing = 0;
        for (word, margin) in EN_OVER_FR_ZIPF.entries() {
            if *margin >= EN_OVER_FR_STRONG_MARGIN {
                assert!(reach(word, EN_OVER_FR_STRONG_MARGIN), "{word}");
                assert!(reach(&word.to_uppercase(), *margin), "{word} in capitals");
            } else {
                assert!(reach(word, *margin), "{word}");
                weak_passing += usize::from(reach(word, EN_OVER_FR_STRONG_MARGIN));
            }
        }
        let weak = EN_OVER_FR_ZIPF.len()
            - EN_OVER_FR_ZIPF
                .values()
                .filter(|m| **m >= EN_OVER_FR_STRONG_MARGIN)
                .count();
        assert!(
            weak_passing * 10 < weak,
            "{weak_passing} of {weak} weak words pass"
        );
    }
}
