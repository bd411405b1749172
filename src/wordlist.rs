//! Word lists shipped in `data/wordlists/`, embedded in the binary and parsed on first
//! use (not at start-up).

use std::sync::OnceLock;

/// Word frequencies on the Zipf scale (log10 of occurrences per billion words).
pub type Zipf = rustc_hash::FxHashMap<String, f32>;

/// A frequency list, parsed the first time it is read.
#[derive(Debug, Clone, Copy)]
pub struct WordList {
    text: &'static str,
    cell: &'static OnceLock<Zipf>,
}

impl WordList {
    /// The parsed list.
    pub fn get(&self) -> &'static Zipf {
        self.cell.get_or_init(|| parse(self.text))
    }
}

/// The frequency list `name` (`en-zipf`, `fr-zipf`), None for an unknown name.
pub fn lookup(name: &str) -> Option<WordList> {
    static EN: OnceLock<Zipf> = OnceLock::new();
    static FR: OnceLock<Zipf> = OnceLock::new();
    match name {
        "en-zipf" => Some(WordList {
            text: include_str!("../data/wordlists/en-zipf.tsv"),
            cell: &EN,
        }),
        "fr-zipf" => Some(WordList {
            text: include_str!("../data/wordlists/fr-zipf.tsv"),
            cell: &FR,
        }),
        _ => None,
    }
}

fn parse(text: &str) -> Zipf {
    let mut map = Zipf::with_capacity_and_hasher(text.len() / 10, Default::default());
    for line in text.lines() {
        if let Some((word, value)) = line.split_once('\t') {
            if let Ok(z) = value.trim().parse() {
                map.insert(word.to_string(), z);
            }
        }
    }
    map
}
