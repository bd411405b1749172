//! Picks the pack language of a document: a vote of the packs' marker words first, and
//! whatlang only when the vote is unclear (a marker count costs a few microseconds, the
//! language identifier tens).

use std::ops::ControlFlow;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::pack::{Language, RuleSet};
use crate::word_filter::zero_bytes;

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
    markers: Markers,
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
            markers: Markers::new(rules),
        }
    }

    /// The pack language of `text`, if a pack serves it, from the `words` of `text` (or
    /// of its first [`PREFIX`] bytes at least).
    pub fn pick<'r>(
        &self,
        rules: &'r RuleSet,
        text: &str,
        words: &[crate::text::words::Word],
    ) -> Option<&'r Language> {
        let end = crate::detect::floor_boundary(text, PREFIX);
        if let Some(lang) = self.markers.vote(rules, text, words, end) {
            return Some(lang);
        }
        let prefix = &text[..end];
        let info = self.detector.detect(prefix)?;
        rules.language_for(info.lang())
    }
}

/// The marker words of every pack, as the vote looks them up: one lookup a word, however
/// many packs, and a word of eight bytes or fewer (every marker of the built-in packs) as
/// a number, with no hashing of strings.
#[derive(Debug)]
struct Markers {
    /// Language codes of the packs with markers.
    packs: Vec<String>,
    /// Short marker -> the packs (indices into `packs`) it marks.
    short: FxHashMap<u64, Vec<usize>>,
    /// Longer marker -> the packs it marks.
    long: FxHashMap<String, Vec<usize>>,
    /// Bytes of the longest marker: longer words are no marker.
    longest: usize,
}

/// A string of at most eight bytes as a number (its bytes, little-endian, zero-padded).
fn short_key(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .enumerate()
        .fold(0, |key, (i, &b)| key | u64::from(b) << (8 * i))
}

/// A [`short_key`] lower-cased, eight bytes at once, when its characters are ASCII or
/// `à` to `ÿ` (which are their own lower case): French words mostly are. None otherwise.
fn simple_lowercase(key: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let high = key & (0x80 * ONES);
    // Valid UTF-8 whose only bytes above 0x7F are 0xC3 and 0xA0..=0xBF: U+00E0..=U+00FF.
    // Tested on the eight bytes at once, with no branch on a byte (an accented word
    // is as good as random).
    let allowed =
        zero_bytes(key ^ (0xC3 * ONES)) | zero_bytes((key & (0xE0 * ONES)) ^ (0xA0 * ONES));
    if high & !allowed != 0 {
        return None;
    }
    // Bit 7 of each byte of `upper` is set where the byte is `A`..=`Z` (no carries from
    // the low seven bits; bytes above 0x7F are left out); shifted to bit 5, it
    // lower-cases the letter.
    let low = key & (0x7F * ONES);
    let upper =
        low.wrapping_add(0x3F * ONES) & !low.wrapping_add(0x25 * ONES) & (0x80 * ONES) & !high;
    Some(key | upper >> 2)
}

/// The pack (index into `counts`) whose markers clearly dominate `seen` runs, and still
/// would after `remaining` more whatever they are: enough markers, a large enough share
/// of the runs, twice the runner-up's count (which each other pack may raise by
/// `remaining`). With none left, the vote's verdict.
fn clear_leader(counts: &[usize], seen: usize, remaining: usize) -> Option<usize> {
    let (best, &hits) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, c)| *c + remaining)
        .max()
        .unwrap_or(0);
    let clear = hits >= MIN_MARKERS
        && hits as f64 >= MIN_SHARE * (seen + remaining) as f64
        && hits >= 2 * runner_up;
    clear.then_some(best)
}

impl Markers {
    fn new(rules: &RuleSet) -> Self {
        let mut markers = Markers {
            packs: Vec::new(),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            longest: 0,
        };
        for language in rules.languages.values().filter(|l| !l.markers.is_empty()) {
            let pack = markers.packs.len();
            markers.packs.push(language.code.clone());
            // Looked up as the words are: lower-cased.
            for m in language.markers.iter().map(|m| m.to_lowercase()) {
                markers.longest = markers.longest.max(m.len());
                let packs = match m.len() {
                    0..=8 => markers.short.entry(short_key(m.as_bytes())).or_default(),
                    _ => markers.long.entry(m).or_default(),
                };
                if !packs.contains(&pack) {
                    packs.push(pack);
                }
            }
        }
        markers
    }

    /// The pack whose marker words clearly dominate `text[..end]` (whose `words` are
    /// given), if one does.
    fn vote<'r>(
        &self,
        rules: &'r RuleSet,
        text: &str,
        words: &[crate::text::words::Word],
        end: usize,
    ) -> Option<&'r Language> {
        if self.packs.is_empty() {
            return None;
        }
        let (counts, seen) = self.tally(text, words, end, true);
        let best = clear_leader(&counts, seen, 0)?;
        rules.languages.get(&self.packs[best])
    }

    /// The marker count of each pack among the runs of `text[..end]`, and the number of
    /// runs. With `settle`, stops as soon as the runs left cannot change the vote.
    fn tally(
        &self,
        text: &str,
        words: &[crate::text::words::Word],
        end: usize,
        settle: bool,
    ) -> (SmallVec<[usize; 4]>, usize) {
        let mut counts: SmallVec<[usize; 4]> = smallvec::smallvec![0; self.packs.len()];
        let mut seen = 0usize;
        // Runs of text[..end]: at most one per word, and one more per cut inside a word
        // (a joiner or U+FFFD, whose first bytes are counted here wherever they are).
        let runs_at_most = match settle {
            true => {
                let prefix = &text.as_bytes()[..end];
                let cuts = memchr::memchr3_iter(b'-', b'\'', 0xE2, prefix).count()
                    + memchr::memchr_iter(0xEF, prefix).count();
                words.partition_point(|w| w.start() < end) + cuts
            }
            false => 0,
        };
        // Inlined where the runs are found (three places): left to itself, the compiler
        // made a call a run of it, its registers saved and restored every time.
        crate::text::words::for_each_alphanumeric_run(
            text,
            words,
            end,
            #[inline(always)]
            |run| {
                seen += 1;
                for &pack in self.packs_of(text, run) {
                    counts[pack] += 1;
                }
                let settled = settle
                    && seen % 8 == 0
                    && clear_leader(&counts, seen, runs_at_most.saturating_sub(seen)).is_some();
                if settled {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        (counts, seen)
    }

    /// The packs that the run `text[run]` marks (none for most runs).
    #[inline(always)]
    fn packs_of(&self, text: &str, run: std::ops::Range<usize>) -> &[usize] {
        let bytes = text.as_bytes();
        let simple = (run.len() <= 8)
            .then(|| simple_lowercase(crate::word_filter::packed(bytes, run.start, run.len())))
            .flatten();
        let packs = match simple {
            // Lower-casing keeps such a word's length: a longer one is no marker.
            Some(key) if run.len() <= self.longest => self.short.get(&key),
            Some(_) => None,
            None => self.lower_cased(&text[run]),
        };
        packs.map_or(&[], Vec::as_slice)
    }

    /// The packs `word` marks once lower-cased, when it is not ASCII or longer than eight
    /// bytes. Out of the vote's loop: its common case stays short.
    #[inline(never)]
    fn lower_cased(&self, word: &str) -> Option<&Vec<usize>> {
        // Longer words are no marker: skipped before any lower-casing or lookup.
        // Lower-casing never gives fewer characters, nor fewer bytes than characters.
        if word.len() > self.longest && (word.is_ascii() || word.chars().count() > self.longest) {
            return None;
        }
        let lower: String = word.chars().flat_map(char::to_lowercase).collect();
        if lower.len() <= 8 {
            self.short.get(&short_key(lower.as_bytes()))
        } else {
            self.long.get(lower.as_str())
        }
    }
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
        Markers::new(rules).vote(rules, text, &words, text.len())
    }

    /// The lower case of `word`'s key where [`simple_lowercase`] must give it.
    fn simply_lowered(word: &str) -> Option<u64> {
        word.chars()
            .all(|c| c.is_ascii() || ('à'..='ÿ').contains(&c))
            .then(|| short_key(word.to_lowercase().as_bytes()))
    }

    proptest::proptest! {
        #[test]
        fn packed_keys_lower_case_like_the_standard_library(
            word in "[A-Za-z0-9@\\[`{'-àéÿ÷ÀÉÞß×ĳĲœŒ«\u{80}\u{9F}]{0,4}"
        ) {
            let word = &word[..crate::detect::floor_boundary(&word, 8)];
            proptest::prop_assert_eq!(simple_lowercase(short_key(word.as_bytes())), simply_lowered(word));
        }
    }

    #[test]
    fn packed_keys_lower_case_ascii_like_the_standard_library() {
        for word in [
            "", "a", "Les", "QU", "@[`{Z", "AZaz09-'", "ÉTÉ", "après", "ÊTRE", "à÷ÿ", "Ĳ",
        ] {
            assert_eq!(
                simple_lowercase(short_key(word.as_bytes())),
                simply_lowered(word),
                "{word}"
            );
        }
        assert_eq!(simply_lowered("Été"), None);
        assert_eq!(simply_lowered("ApRès"), Some(short_key(b"apr\xC3\xA8s")));
        // A word's key read in place (in one load, or byte by byte near the end of the
        // text) is the key of its markers.
        let text = b"qu'Elles du d";
        for range in [0..2, 3..9, 10..12, 12..13] {
            assert_eq!(
                crate::word_filter::packed(text, range.start, range.len()),
                short_key(&text[range])
            );
        }
        let keys = [b"d".as_ref(), b"de", b"des", b"ed"].map(short_key);
        assert!(keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k)));
    }

    /// Words for random votes: French markers, the test pack's, and others.
    const VOTE_WORDS: &[&str] = &[
        "les", "des", "et", "est", "dans", "été", "d'un", "qu'il", "zorg", "blik", "ÜHM", "the",
        "and", "marché", "Bourse", "3,5", "hausse", "selon", "Les", "DES",
    ];

    /// Words for the rest of a text after a start rich in markers: no French marker.
    const TAIL_WORDS: &[&str] = &[
        "the",
        "a",
        "x",
        "1",
        "marché",
        "3,5",
        "zorg",
        "blik",
        "a-b-c",
        "l’x-y",
        "x\u{FFFD}y",
        "\u{FFFD}\u{FFFD}",
        "—",
    ];

    proptest::proptest! {
        #[test]
        fn settling_early_never_changes_the_vote(
            head in proptest::collection::vec(proptest::sample::select(VOTE_WORDS), 0..80),
            tail in proptest::collection::vec(proptest::sample::select(TAIL_WORDS), 0..300),
            two_packs in proptest::bool::ANY,
        ) {
            let words = [head, tail].concat();
            let mut rules = RuleSet::builtin();
            if two_packs {
                let pack = "language = \"xx\"\n[lexicon]\nmarkers = [\"les\", \"zorg\", \"blik\", \"ühm\"]\n";
                rules.add_pack("xx.toml", pack, false).unwrap();
            }
            let markers = Markers::new(&rules);
            let text = words.join(" ");
            let end = crate::detect::floor_boundary(&text, PREFIX);
            let tokens = crate::text::words::words(&text);
            let (early, early_seen) = markers.tally(&text, &tokens, end, true);
            let (full, full_seen) = markers.tally(&text, &tokens, end, false);
            proptest::prop_assert_eq!(
                clear_leader(&early, early_seen, 0),
                clear_leader(&full, full_seen, 0)
            );
        }
    }

    #[test]
    fn a_french_wire_settles_the_vote_before_the_end_of_its_prefix() {
        let rules = RuleSet::builtin();
        let markers = Markers::new(&rules);
        let words = crate::text::words::words(SEED);
        let end = crate::detect::floor_boundary(SEED, PREFIX);
        let (early, early_seen) = markers.tally(SEED, &words, end, true);
        let (full, full_seen) = markers.tally(SEED, &words, end, false);
        assert!(
            early_seen < full_seen,
            "{early_seen} of {full_seen} runs read"
        );
        assert_eq!(
            clear_leader(&early, early_seen, 0),
            clear_leader(&full, full_seen, 0)
        );
        assert!(clear_leader(&early, early_seen, 0).is_some());
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
    fn each_pack_counts_its_own_markers_shared_or_not() {
        let mut rules = RuleSet::builtin();
        // A second pack that shares `les` and `des` with French.
        let pack = "language = \"xx\"\n[lexicon]\nmarkers = [\"les\", \"des\", \"zorg\", \"blik\", \"Ühm\", \"verylongmarker\"]\n";
        rules.add_pack("xx.toml", pack, false).unwrap();
        let code = |text: &str| vote_on(&rules, text).map(|l| l.code.clone());
        assert_eq!(code(&SEED[..1024]).as_deref(), Some("fr"));
        let xx = "zorg blik les ühm des zorg verylongmarker blik ZORG les ühm";
        assert_eq!(code(xx).as_deref(), Some("xx"));
        // Shared markers count for both packs, a marker written in capitals too: seven
        // French markers win over three, not over four.
        assert_eq!(
            code("les des zorg et est une dans pour").as_deref(),
            Some("fr")
        );
        assert_eq!(code("les des zorg ÜHM et est une dans pour"), None);
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
