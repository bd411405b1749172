//! Word lists shipped in `data/wordlists/`, embedded in the binary and parsed once.

use std::sync::OnceLock;

/// Word frequencies on the Zipf scale (log10 of occurrences per billion words).
pub type Zipf = rustc_hash::FxHashMap<String, f32>;

const EN_ZIPF: &str = include_str!("../data/wordlists/en-zipf.tsv");
const FR_ZIPF: &str = include_str!("../data/wordlists/fr-zipf.tsv");

/// The frequency list `name` (`en-zipf`, `fr-zipf`), parsed on first use.
pub fn zipf(name: &str) -> Option<&'static Zipf> {
    static EN: OnceLock<Zipf> = OnceLock::new();
    static FR: OnceLock<Zipf> = OnceLock::new();
    match name {
        "en-zipf" => Some(EN.get_or_init(|| parse(EN_ZIPF))),
        "fr-zipf" => Some(FR.get_or_init(|| parse(FR_ZIPF))),
        _ => None,
    }
}

fn parse(text: &str) -> Zipf {
    text.lines()
        .filter_map(|line| {
            let (word, value) = line.split_once('\t')?;
            Some((word.to_string(), value.trim().parse().ok()?))
        })
        .collect()
}
