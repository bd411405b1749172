//! Word lists shipped in `data/wordlists/`, compiled by build.rs into perfect-hash tables:
//! nothing to parse at start-up.

include!(concat!(env!("OUT_DIR"), "/word_lists.rs"));

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

/// English Zipf minus `native`'s Zipf for the English words that can be English evidence
/// in `native` text (a word missing from `native` counts as Zipf 1.5; words more than 0.5
/// less frequent in English are left out), compiled by build.rs. None for a list without
/// such a table.
pub fn english_margins(native: &str) -> Option<&'static Zipf> {
    match native {
        "fr-zipf" => Some(&EN_OVER_FR_ZIPF),
        _ => None,
    }
}
