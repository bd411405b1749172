//! One person or company spelled two ways in one story (`Lagarde` ... `Largarde`).
//! Each minority spelling is reported with the majority one. Strong evidence is needed:
//! a one-letter difference (or two, when the consonants agree), a majority spelling seen
//! at least twice, no inflection (`Américain`/`Américains`), not two known words, and no
//! conflicting first names.

use std::collections::BTreeSet;

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
    /// By a word's first byte, the fewest bytes it needs to be compared: `min_length` for
    /// an upper-case ASCII letter or a byte of a non-ASCII character, 255 for any other
    /// (the exact tests follow, so a longer word may pass: they turn it away).
    length_needed: [u8; 256],
    inflections: Vec<String>,
    titles: rustc_hash::FxHashSet<String>,
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
        let may_open_a_name = |b: u8| b >= 0x80 || b.is_ascii_uppercase();
        let fewest = settings.min_length.min(255) as u8;
        Ok(NameVariants {
            length_needed: std::array::from_fn(|b| {
                if may_open_a_name(b as u8) {
                    fewest
                } else {
                    255
                }
            }),
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

/// One occurrence of a name, with the capitalised word right before it (a first name).
struct Occurrence<'a> {
    spelling: &'a str,
    /// [`sort_prefix`] of the spelling: most comparisons of the sort end there.
    prefix: u64,
    span: std::ops::Range<usize>,
    first_name: Option<&'a str>,
}

/// The first eight bytes of the word `text[word]` (not empty), big-endian and
/// zero-padded (read in one load inside a text): words without NUL bytes are ordered by
/// it as they are by their bytes, up to ties.
fn sort_prefix(text: &str, word: std::ops::Range<usize>) -> u64 {
    crate::word_filter::packed(text.as_bytes(), word.start, word.len().min(8)).swap_bytes()
}

/// A spelling and all its occurrences.
struct Spelling<'o, 'a> {
    word: &'a str,
    initial: Option<char>,
    /// Length in characters.
    chars: usize,
    all: &'o [Occurrence<'a>],
}

impl Spelling<'_, '_> {
    fn first_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.all.iter().filter_map(|o| o.first_name)
    }

    /// No first name on one side, or one first name shared.
    fn may_be_the_same_person_as(&self, other: &Spelling<'_, '_>) -> bool {
        self.first_names().next().is_none()
            || other.first_names().next().is_none()
            || self
                .first_names()
                .any(|a| other.first_names().any(|b| a == b))
    }
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

/// Spellings in a document from which they are compared through [`variant_keys`]: fewer
/// are compared each with every other of their initial, which costs less.
const INDEX_FROM: usize = 2048;

/// Keys of which any two spellings that [`NameVariants::similar`] accepts share one: the
/// lower-cased spelling and each of its one-character deletions (one letter apart, by
/// substitution, insertion, deletion or transposition, leaves a deletion in common), and
/// its consonant [`skeleton`] (two letters apart needs the same one). As hashes: a
/// collision only adds a candidate, which `similar` turns away.
fn variant_keys(word: &str, keys: &mut Vec<u64>) {
    use std::hash::{BuildHasher, Hash, Hasher};
    let hasher = rustc_hash::FxBuildHasher;
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    keys.clear();
    for skip in 0..=lower.len() {
        let mut h = hasher.build_hasher();
        for (i, c) in lower.iter().enumerate() {
            if i != skip {
                c.hash(&mut h);
            }
        }
        keys.push(h.finish());
    }
    keys.push(hasher.hash_one((0xFEED_u32, skeleton(word))));
}

/// A lower bound on the edit distance of two words (lower-cased): each insertion or
/// deletion changes their letter counts by one, each substitution by two, each
/// transposition not at all. Letters are counted in 64 buckets; two letters sharing one
/// only lower the bound.
fn edit_distance_floor(a: &str, b: &str) -> u32 {
    let mut counts = [0i16; 64];
    for (word, step) in [(a, 1), (b, -1)] {
        for c in word.chars().flat_map(char::to_lowercase) {
            counts[c as usize % 64] += step;
        }
    }
    let unmatched: u32 = counts.iter().map(|n| n.unsigned_abs() as u32).sum();
    unmatched.div_ceil(2)
}

impl NameVariants {
    fn similar(&self, a: &str, b: &str) -> bool {
        // Most pairs compared differ in several letters: counted first, without a copy.
        if edit_distance_floor(a, b) > 2 {
            return false;
        }
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

impl NameVariants {
    /// The majority spelling, among `candidates`, of which `minor` is a variant.
    fn majority<'s, 'o, 'a>(
        &self,
        minor: &Spelling<'o, 'a>,
        candidates: impl Iterator<Item = &'s Spelling<'o, 'a>>,
    ) -> Option<&'s Spelling<'o, 'a>> {
        candidates
            .filter(|major| {
                // The majority spelling must be established: twice at least, and more
                // often than the variant. Cheap tests first: lengths within two.
                major.initial == minor.initial
                    && major.all.len() >= 2
                    && major.all.len() > minor.all.len()
                    && major.chars.abs_diff(minor.chars) <= 2
                    && major.word != minor.word
                    && self.similar(major.word, minor.word)
            })
            // Different first names mean different people.
            .filter(|major| major.may_be_the_same_person_as(minor))
            .max_by_key(|major| major.all.len())
            .filter(|_| !self.allow.contains(&minor.word.to_lowercase()))
    }
}

impl Detector for NameVariants {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let (text, base) = (unit.text, unit.start);
        let end = base + text.len();
        let words = unit.doc_words;
        // About one word in sixteen is a capitalised word long enough: sized for that,
        // the list seldom grows (each growth copies it).
        let mut found: Vec<Occurrence<'_>> = Vec::with_capacity(words.len() / 16);
        for (i, word) in words.iter().enumerate() {
            // Most words fail on their length (a word has no more characters than
            // bytes) or on their first byte (a lower-case ASCII letter or a digit): one
            // comparison, with the length a word of that first byte needs. (Which of the
            // two tests a word fails is as good as random: a branch on each was
            // mispredicted about every other word.)
            let word_end = word.end().min(end);
            let first = text.as_bytes()[word.start() - base];
            if word_end - word.start() < usize::from(self.length_needed[usize::from(first)]) {
                continue;
            }
            let tok = word.start() - base..word_end - base;
            let prev = i
                .checked_sub(1)
                .map(|j| words[j].start() - base..words[j].end() - base);
            let w = &text[tok.clone()];
            if !words::is_capitalised(w)
                || words::is_acronym(w)
                || w.chars().count() < self.min_length
                || w.bytes().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            // A capitalised word right before (a space apart, so in the same paragraph).
            let first_name = prev
                .filter(|prev| text[prev.end..tok.start] == *" ")
                .map(|prev| &text[prev])
                .filter(|p| {
                    words::is_capitalised(p) && !words::is_acronym(p) && !self.titles.contains(*p)
                });
            found.push(Occurrence {
                spelling: w,
                prefix: sort_prefix(text, tok.clone()),
                span: tok.clone(),
                first_name,
            });
        }
        // Grouped by spelling (in document order within each: the sort is stable).
        found.sort_by(|a, b| {
            a.prefix
                .cmp(&b.prefix)
                .then_with(|| a.spelling.cmp(b.spelling))
        });
        let mut spellings: Vec<Spelling<'_, '_>> = Vec::with_capacity(found.len());
        spellings.extend(
            found
                .chunk_by(|a, b| a.spelling == b.spelling)
                .map(|all| Spelling {
                    word: all[0].spelling,
                    initial: all[0].spelling.chars().next(),
                    chars: all[0].spelling.chars().count(),
                    all,
                }),
        );
        // A spelling is compared with the majority spellings (seen twice at least) of its
        // initial; in a long list of names, only with those that share a variant key (a
        // comparison with every other would take time quadratic in the list's length).
        let majors: Vec<&Spelling<'_, '_>> =
            spellings.iter().filter(|s| s.all.len() >= 2).collect();
        if majors.is_empty() {
            return;
        }
        let by_key = (spellings.len() > INDEX_FROM).then(|| {
            let mut index: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
            let mut keys = Vec::new();
            for (i, major) in spellings
                .iter()
                .enumerate()
                .filter(|(_, s)| s.all.len() >= 2)
            {
                variant_keys(major.word, &mut keys);
                for &key in &keys {
                    index.entry(key).or_default().push(i);
                }
            }
            index
        });
        let (mut keys, mut keyed): (Vec<u64>, Vec<usize>) = (Vec::new(), Vec::new());
        for minor in &spellings {
            let best = match &by_key {
                Some(index) => {
                    variant_keys(minor.word, &mut keys);
                    keyed.clear();
                    keyed.extend(keys.iter().filter_map(|k| index.get(k)).flatten());
                    // In spelling order, as the scan meets them (ties of `max_by_key`).
                    keyed.sort_unstable();
                    keyed.dedup();
                    self.majority(minor, keyed.iter().map(|&i| &spellings[i]))
                }
                None => {
                    let same_initial = majors.partition_point(|n| n.initial < minor.initial)
                        ..majors.partition_point(|n| n.initial <= minor.initial);
                    self.majority(minor, majors[same_initial].iter().copied())
                }
            };
            if let Some(major) = best {
                let count = major.all.len();
                for occurrence in minor.all {
                    out.push(Hit {
                        span: occurrence.span.clone(),
                        message: Some(format!(
                            "`{}` is spelled `{}` elsewhere in this story ({count} time{})",
                            minor.word,
                            major.word,
                            if count == 1 { "" } else { "s" }
                        )),
                        fix: None,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> NameVariants {
        NameVariants::new(Settings {
            min_length: 6,
            inflections: vec!["s".into(), "e".into()],
            titles: Vec::new(),
            known_words: Vec::new(),
            allow: Vec::new(),
        })
        .unwrap()
    }

    /// The spellings `text` reports as variants.
    fn variants(text: &str) -> Vec<&str> {
        let doc = crate::text::Document::new(text.into(), &crate::text::Segmenter::default());
        let mut hits = Vec::new();
        detector().check(&Unit::new(&doc, 0..text.len()), &mut hits);
        hits.iter().map(|h| &text[h.span.clone()]).collect()
    }

    /// The quick test of a word's length and first byte lets through every name the exact
    /// tests accept: one opening with an accented capital, one of exactly `min-length`
    /// letters; and a lower-case word, however long, is no name.
    #[test]
    fn names_of_any_capital_and_of_the_least_length_are_compared() {
        let story =
            |a: &str, b: &str| format!("{a} parle. {a} ajoute. Selon {a}, rien. {b} conclut.");
        assert_eq!(variants(&story("Darmanin", "Darmenin")), ["Darmenin"]);
        assert_eq!(variants(&story("Écrivain", "Écrivein")), ["Écrivein"]);
        assert_eq!(variants(&story("Lagard", "Lagerd")), ["Lagerd"]);
        assert!(variants(&story("Lagar", "Lager")).is_empty());
        assert!(variants(&story("x darmanin", "x darmenin")).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_sort_prefix_orders_words_as_their_bytes(a in "[A-Za-zÉé]{1,10}", b in "[A-Za-zÉé]{1,10}") {
            let prefix = |w: &str| sort_prefix(w, 0..w.len());
            let by_prefix = prefix(&a).cmp(&prefix(&b)).then_with(|| a.cmp(&b));
            proptest::prop_assert_eq!(by_prefix, a.cmp(&b));
        }
    }

    /// The floor never exceeds the edit distance (else `similar` would turn away true
    /// variants), and it does turn away most different names.
    #[test]
    fn the_edit_distance_floor_is_a_floor() {
        let letters: Vec<char> = "aAbcdeéÉèfghiîjklmnopqrstuvwxyzŁłœ".chars().collect();
        let mut next = crate::testing::sequence(5);
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..1 + next(9))
                .map(|_| letters[next(letters.len())])
                .collect()
        };
        for _ in 0..20_000 {
            let a = word(&mut next);
            let mut b: Vec<char> = a.chars().collect();
            for _ in 0..next(4) {
                let i = next(b.len() + 1);
                match next(3) {
                    0 if i < b.len() => b[i] = letters[next(letters.len())],
                    1 if i < b.len() => drop(b.remove(i)),
                    _ => b.insert(i, letters[next(letters.len())]),
                }
            }
            let b: String = if next(4) == 0 {
                word(&mut next)
            } else {
                b.into_iter().collect()
            };
            let distance = strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase());
            assert!(
                edit_distance_floor(&a, &b) as usize <= distance,
                "{a} / {b}"
            );
        }
        assert_eq!(edit_distance_floor("Lagarde", "Largarde"), 1);
        assert_eq!(edit_distance_floor("ÉLYSÉE", "élysée"), 0);
        assert!(edit_distance_floor("Lagarde", "Lambert") > 2);
    }

    /// Every pair of spellings `similar` accepts shares a variant key, so that the index
    /// of long documents finds all the pairs the scan of short ones does.
    #[test]
    fn similar_spellings_share_a_variant_key() {
        let names = detector();
        let letters: Vec<char> = "abcdeéfghijklmnopqrstuvwxyz".chars().collect();
        let mut next = crate::testing::sequence(11);
        let (mut similar, mut keys_a, mut keys_b) = (0, Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let mut a: Vec<char> = (0..6 + next(5))
                .map(|_| letters[next(letters.len())])
                .collect();
            a[0] = 'L';
            // One or two random edits: substitution, insertion, deletion, transposition.
            let mut b = a.clone();
            for _ in 0..1 + next(2) {
                let i = 1 + next(b.len() - 1);
                match next(4) {
                    0 => b[i] = letters[next(letters.len())],
                    1 => b.insert(i, letters[next(letters.len())]),
                    2 if b.len() > 2 => drop(b.remove(i)),
                    _ if i + 1 < b.len() => b.swap(i, i + 1),
                    _ => {}
                }
            }
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            if names.similar(&a, &b) {
                similar += 1;
                variant_keys(&a, &mut keys_a);
                variant_keys(&b, &mut keys_b);
                assert!(keys_a.iter().any(|k| keys_b.contains(k)), "{a} / {b}");
            }
        }
        assert!(similar > 5_000, "only {similar} similar pairs");
    }
}
