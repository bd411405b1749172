//! Word lists shipped in `data/wordlists/`, compiled by build.rs into tables (perfect-hash
//! maps, and the English margins in a table found by word hash): nothing to parse at
//! start-up.

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
/// evidence in that language's text, behind a Bloom filter. The words are found by their
/// case-folded `WordHash`, which the callers have at hand: no string hashing, and no
/// lower-case copy of the word.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    /// Each word (lower-case ASCII) with its margin.
    words: &'static [(&'static str, f32)],
    /// A power of two of slots, at most half full: 0 (empty) or a word's index plus one,
    /// each word in the first free slot from `WordHash::slot` on (build.rs).
    slots: &'static [u32],
    filter: WordFilter,
    /// The filter of the words whose margin is at least `strong_from`.
    strong: WordFilter,
    strong_from: f32,
}

impl Margins {
    /// The margin of `word` (ASCII, in any case), None when it is not in the table.
    #[inline]
    pub fn get(&self, word: &str) -> Option<f32> {
        self.get_hashed(word, WordHash::of(word.as_bytes()))
    }

    /// [`Self::get`] given the word's hash.
    #[inline]
    pub fn get_hashed(&self, word: &str, hash: WordHash) -> Option<f32> {
        if !self.may_contain(hash) {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash.slot(self.slots.len().trailing_zeros());
        loop {
            let index = self.slots[slot].checked_sub(1)?;
            let (listed, margin) = self.words[index as usize];
            if listed.eq_ignore_ascii_case(word) {
                return Some(margin);
            }
            slot = (slot + 1) & mask;
        }
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

    /// Every word of the table with its margin.
    pub fn entries(&self) -> &'static [(&'static str, f32)] {
        self.words
    }
}

/// English Zipf minus `native`'s Zipf for the English words that can be English evidence
/// in `native` text (a word missing from `native` counts as Zipf 1.5; words more than 0.5
/// less frequent in English are left out), compiled by build.rs. None for a list without
/// such a table.
pub fn english_margins(native: &str) -> Option<Margins> {
    match native {
        "fr-zipf" => Some(Margins {
            words: &EN_OVER_FR_WORDS,
            slots: &EN_OVER_FR_SLOTS,
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
        for (word, margin) in margins.entries() {
            assert_eq!(margins.get(word), Some(*margin), "{word}");
            assert_eq!(margins.get(&word.to_uppercase()), Some(*margin), "{word}");
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
        for (word, margin) in margins.entries() {
            if *margin >= EN_OVER_FR_STRONG_MARGIN {
                assert!(reach(word, EN_OVER_FR_STRONG_MARGIN), "{word}");
                assert!(reach(&word.to_uppercase(), *margin), "{word} in capitals");
            } else {
                assert!(reach(word, *margin), "{word}");
                weak_passing += usize::from(reach(word, EN_OVER_FR_STRONG_MARGIN));
            }
        }
        let weak = margins
            .entries()
            .iter()
            .filter(|(_, m)| *m < EN_OVER_FR_STRONG_MARGIN)
            .count();
        assert!(
            weak_passing * 10 < weak,
            "{weak_passing} of {weak} weak words pass"
        );
    }
}
