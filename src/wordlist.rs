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
