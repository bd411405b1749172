//! One person or company spelled two ways in one story (`Lagarde` ... `Largarde`).
//! Each minority spelling is reported with the majority one. Strong evidence is needed:
//! a one-letter difference (or two, when the consonants agree), a majority spelling seen
//! at least twice, no inflection (`Américain`/`Américains`), not two known words, and no
//! conflicting first names.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{words, Detector, Hit, Scope, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Names shorter than this (in characters) are not compared.
    #[serde(default = "default_min_len")]
    min_length: usize,
    /// Endings that make a different word, not a different spelling (`s`, `e`).
    #[serde(default)]
    inflections: Vec<String>,
    /// Titles that may stand before a surname without being a first name (`M.`, `Mme`).
    #[serde(default)]
    titles: Vec<String>,
    /// Word lists (`fr-zipf`, `en-zipf`): two spellings that are both known words
    /// (`Industriel`/`Industrial`, `Normandie`/`Normandy`) are two words, not a misspelling.
    #[serde(default)]
    known_words: Vec<String>,
    /// Names never reported (house allow list).
    #[serde(default)]
    allow: Vec<String>,
}

fn default_min_len() -> usize {
    6
}

#[derive(Debug)]
pub struct NameVariants {
    min_length: usize,
    inflections: Vec<String>,
    titles: BTreeSet<String>,
    known_words: Vec<crate::wordlist::WordList>,
    allow: BTreeSet<String>,
}

impl NameVariants {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let known_words = settings
            .known_words
            .iter()
            .map(|n| crate::wordlist::lookup(n).ok_or_else(|| format!("unknown word list `{n}`")))
            .collect::<Result<_, _>>()?;
        Ok(NameVariants {
            min_length: settings.min_length,
            inflections: settings.inflections,
            titles: settings.titles.into_iter().collect(),
            known_words,
            allow: settings
                .allow
                .iter()
                .flat_map(|a| a.split_whitespace())
                .map(str::to_lowercase)
                .collect(),
        })
    }

    fn is_known_word(&self, w: &str) -> bool {
        let w = w.to_lowercase();
        self.known_words
            .iter()
            .any(|list| list.get().contains_key(&w))
    }

    /// `Américains`/`Américaines`: one stem with different endings.
    fn is_inflection(&self, a: &str, b: &str) -> bool {
        let stems = |w: &str| -> Vec<String> {
            std::iter::once(w.to_string())
                .chain(
                    self.inflections
                        .iter()
                        .filter_map(|i| w.strip_suffix(i.as_str()).map(String::from)),
                )
                .collect()
        };
        let sa = stems(a);
        stems(b).iter().any(|s| sa.contains(s))
    }
}

/// Every occurrence of a spelling, with the capitalised word before it (a first name).
#[derive(Default)]
struct Spelling<'a> {
    spans: Vec<std::ops::Range<usize>>,
    first_names: BTreeSet<&'a str>,
}

/// Consonants in order, doubled letters collapsed, vowels (and `y`, `h`, `w`) dropped.
fn skeleton(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if !c.is_alphabetic() || "aeiouyhwàâäéèêëîïôöùûü".contains(c) {
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

impl NameVariants {
    fn similar(&self, a: &str, b: &str) -> bool {
        let (la, lb) = (a.to_lowercase(), b.to_lowercase());
        if la.chars().next() != lb.chars().next()
            || self.is_inflection(&la, &lb)
            || (self.is_known_word(&la) && self.is_known_word(&lb))
        {
            return false;
        }
        match strsim::damerau_levenshtein(&la, &lb) {
            1 => true,
            2 => skeleton(&la) == skeleton(&lb) && la.chars().count().min(lb.chars().count()) >= 7,
            _ => false,
        }
    }
}

impl Detector for NameVariants {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        let mut spellings: BTreeMap<&str, Spelling> = BTreeMap::new();
        let mut previous: Option<std::ops::Range<usize>> = None;
        for tok in unit.word_ranges() {
            let prev = previous.replace(tok.clone());
            // Most words fail on their first byte: a lower-case ASCII letter or a digit.
            let first = text.as_bytes()[tok.start];
            if first.is_ascii() && !first.is_ascii_uppercase() {
                continue;
            }
            let w = &text[tok.clone()];
            if !words::is_capitalised(w)
                || words::is_acronym(w)
                || w.chars().count() < self.min_length
                || w.bytes().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let entry = spellings.entry(w).or_default();
            entry.spans.push(tok.clone());
            // A capitalised word right before (a space apart, so in the same paragraph).
            if let Some(prev) = prev {
                let p = &text[prev.clone()];
                if text[prev.end..tok.start] == *" "
                    && words::is_capitalised(p)
                    && !words::is_acronym(p)
                    && !self.titles.contains(p)
                {
                    entry.first_names.insert(p);
                }
            }
        }
        // (spelling, first letter, length in characters, occurrences), in the map's order:
        // the spellings of one first letter are contiguous.
        let names: Vec<(&str, Option<char>, usize, usize)> = spellings
            .iter()
            .map(|(w, sp)| (*w, w.chars().next(), w.chars().count(), sp.spans.len()))
            .collect();
        for &(minor, initial, len, seen) in &names {
            let m = &spellings[minor];
            let same_initial =
                names.partition_point(|n| n.1 < initial)..names.partition_point(|n| n.1 <= initial);
            let best = names[same_initial]
                .iter()
                .filter(|&&(major, major_initial, major_len, major_seen)| {
                    // The majority spelling must be established: twice at least, and more
                    // often than the variant. Cheap tests first: same first letter,
                    // lengths within two.
                    major_seen >= 2
                        && major_seen > seen
                        && major_initial == initial
                        && major_len.abs_diff(len) <= 2
                        && major != minor
                        && self.similar(major, minor)
                })
                .filter(|&&(major, ..)| {
                    // Different first names mean different people.
                    let j = &spellings[major];
                    j.first_names.is_empty()
                        || m.first_names.is_empty()
                        || !j.first_names.is_disjoint(&m.first_names)
                })
                .max_by_key(|&&(_, _, _, major_seen)| major_seen)
                .map(|&(major, ..)| major)
                .filter(|_| !self.allow.contains(&minor.to_lowercase()));
            if let Some(major) = best {
                let count = spellings[major].spans.len();
                for span in &m.spans {
                    out.push(Hit {
                        span: span.clone(),
                        message: Some(format!(
                            "`{minor}` is spelled `{major}` elsewhere in this story ({count} time{})",
                            if count == 1 { "" } else { "s" }
                        )),
                        fix: None,
                    });
                }
            }
        }
    }
}
