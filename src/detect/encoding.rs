//! Mojibake (UTF-8 read as Windows-1252: `Ã©`, `â€™`), lone C1 control characters,
//! U+FFFD and bytes that were not valid UTF-8. Fixes re-decode the mojibake.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {}

#[derive(Debug)]
pub struct MojibakeDetector {
    /// [`pattern`], anchored at the start.
    re: Regex,
    openings: AhoCorasick,
}

/// The sequences reported: UTF-8 read as Windows-1252, C1 controls, U+FFFD.
fn pattern() -> String {
    // A continuation byte 0x80..0xBF read as Windows-1252.
    let cont = r"[\u{80}-\u{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]";
    format!(r"[ÂÃÄÅÆÐÑ]{cont}|[âãäåæçèéêëìíîï][€‚]{cont}?|ï»¿|[\u{{80}}-\u{{9F}}]|\u{{FFFD}}")
}

/// Characters Windows-1252 puts at bytes 0x80..=0x9F (U+FFFD where it has none).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
    '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}',
    'ž', 'Ÿ',
];

/// The Windows-1252 byte for `c`, counting undefined slots as their C1 control.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..0x100).contains(&u) || (0x80..0xA0).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Re-decodes mojibake: `Ã©` -> `é`. None when the bytes are not UTF-8.
fn repair(s: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = s.chars().map(cp1252_byte).collect();
    String::from_utf8(bytes?).ok().filter(|r| r != s)
}

impl MojibakeDetector {
    pub fn new(_settings: Settings) -> Result<Self, String> {
        Ok(MojibakeDetector {
            re: Regex::new(&format!("^(?:{})", pattern())).map_err(|e| e.to_string())?,
            openings: openings(),
        })
    }

    /// The spans of the sequences of `text`, in order: the pattern is tried at each
    /// candidate (see [`first_candidate`]) only, never run over the accented letters
    /// between them.
    fn sequences<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let mut from = 0;
        std::iter::from_fn(move || loop {
            let at = from + first_candidate(&self.openings, &text[from..])?;
            match self.re.find(&text[at..]) {
                Some(m) => {
                    from = at + m.end();
                    return Some(at..from);
                }
                None => from = at + text[at..].chars().next().map_or(1, char::len_utf8),
            }
        })
    }
}

/// The bytes that open every sequence of [`pattern`] (or, for `â` to `ï` before `€` or
/// `‚`, that follow the opening letter): few enough for a SIMD search, which an accented
/// letter, in French every few words, does not stop.
fn openings() -> AhoCorasick {
    let mut openings: Vec<Vec<u8>> = [
        "Â", "Ã", "Ä", "Å", "Æ", "Ð", "Ñ", "€", "‚", "ï»¿", "\u{FFFD}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    openings.extend((0x80..=0x9F).map(|b| vec![0xC2, b])); // C1 controls
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(openings)
        .expect("a few short literals")
}

/// Where the first sequence of [`pattern`] may begin in `text`: `Â` to `Ñ`, `â` to `ï`
/// before `€` or `‚`, `ï»¿`, a C1 control or U+FFFD.
fn first_candidate(openings: &AhoCorasick, text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    openings
        .find_iter(bytes)
        .find_map(|m| match bytes[m.start()] {
            // `€` or `‚`: a candidate when `â` to `ï` (0xC3 0xA2..=0xAF) is right before.
            0xE2 => (m.start() >= 2
                && bytes[m.start() - 2] == 0xC3
                && (0xA2..=0xAF).contains(&bytes[m.start() - 1]))
            .then(|| m.start() - 2),
            _ => Some(m.start()),
        })
}

impl Detector for MojibakeDetector {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let invalid = &unit.doc.invalid_bytes;
        for span in self.sequences(unit.text) {
            let s = &unit.text[span.clone()];
            let hit = if s == "\u{FFFD}" {
                let at = unit.start + span.start;
                let message = match invalid.binary_search_by_key(&at, |(o, _)| *o) {
                    Ok(i) => format!(
                        "invalid UTF-8 byte(s) {} in the file",
                        invalid[i]
                            .1
                            .iter()
                            .map(|b| format!("0x{b:02X}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    Err(_) => {
                        "U+FFFD replacement character: the original character was lost".to_string()
                    }
                };
                Hit {
                    span,
                    message: Some(message),
                    fix: None,
                }
            } else if s.chars().count() == 1
                && ('\u{80}'..='\u{9F}').contains(&s.chars().next().unwrap())
            {
                let fixed = cp1252_byte(s.chars().next().unwrap())
                    .map(|b| CP1252_HIGH[(b - 0x80) as usize])
                    .filter(|&c| c != '\u{FFFD}');
                Hit {
                    span,
                    message: Some(format!(
                        "C1 control character U+{:04X}",
                        s.chars().next().unwrap() as u32
                    )),
                    fix: fixed.map(String::from),
                }
            } else {
                let fix = repair(s);
                let message = match &fix {
                    Some(r) => {
                        format!("mojibake `{s}`: UTF-8 read as Windows-1252 (should be `{r}`)")
                    }
                    None => format!("mojibake `{s}`: UTF-8 read as Windows-1252"),
                };
                Hit {
                    span,
                    message: Some(message),
                    fix,
                }
            };
            out.push(hit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan finds what the regex of the sequences' first characters finds,
        /// among characters that share their bytes.
        #[test]
        fn the_first_candidate_is_where_the_regex_of_first_characters_matches(
            text in "[a ÂÃÅÐÑÒâéïð€‚ƒ»¿«\u{80}\u{9F}\u{A0}\u{FFFD}\u{FFFC}\u{EFBF}’]{0,12}"
        ) {
            let start = Regex::new(r"[ÂÃÄÅÆÐÑ]|[âãäåæçèéêëìíîï][€‚]|ï»¿|[\u{80}-\u{9F}]|\u{FFFD}").unwrap();
            proptest::prop_assert_eq!(first_candidate(&openings(), &text), start.find(&text).map(|m| m.start()));
        }
    }

    proptest::proptest! {
        /// Trying the pattern at each candidate finds what a search for it over the
        /// whole text finds.
        #[test]
        fn sequences_are_those_a_search_of_the_whole_text_finds(
            text in "[a ÂÃÅÐÑâéïð€‚ƒ»¿«\u{80}\u{9F}\u{A0}\u{AD}\u{FFFD}’]{0,12}"
        ) {
            let detector = MojibakeDetector::new(Settings {}).unwrap();
            let whole: Vec<Range<usize>> = Regex::new(&pattern())
                .unwrap()
                .find_iter(&text)
                .map(|m| m.range())
                .collect();
            proptest::prop_assert_eq!(detector.sequences(&text).collect::<Vec<_>>(), whole);
        }
    }

    #[test]
    fn the_first_candidate_of_each_kind_is_found_after_near_misses() {
        let near_misses = "été « à » ĳ ï» ï¿ â‹ é„ ¿ \u{A0}ǂ\u{FFFC}";
        for (sequence, what) in [
            ("Ã©", "two-byte"),
            ("Ñ\u{80}", "two-byte ending in a C1 control"),
            ("â€™", "three-byte with €"),
            ("ï‚", "three-byte with ‚"),
            ("ï»¿", "byte order mark"),
            ("\u{92}", "C1 control"),
            ("\u{FFFD}", "U+FFFD"),
        ] {
            let text = format!("{near_misses}{sequence} x");
            assert_eq!(
                first_candidate(&openings(), &text),
                Some(near_misses.len()),
                "{what}"
            );
        }
        assert_eq!(first_candidate(&openings(), near_misses), None);
    }

    #[test]
    fn repairs_common_mojibake() {
        assert_eq!(repair("Ã©").as_deref(), Some("é"));
        assert_eq!(repair("â€™").as_deref(), Some("’"));
        assert_eq!(repair("Å‘").as_deref(), Some("ő"));
        assert_eq!(repair("â€\u{9D}").as_deref(), Some("”"));
        assert_eq!(repair("é"), None);
    }
}
