//! Mojibake (UTF-8 read as Windows-1252: `Ã©`, `â€™`), lone C1 control characters,
//! U+FFFD and bytes that were not valid UTF-8. Fixes re-decode the mojibake.

use regex::Regex;
use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {}

#[derive(Debug)]
pub struct MojibakeDetector {
    /// The first one or two characters of every sequence `re` finds: a search for a few
    /// dozen literals that most texts pass in one go (`re` starts with every accented
    /// letter, which French has every few words).
    start: Regex,
    re: Regex,
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
        // A continuation byte 0x80..0xBF read as Windows-1252.
        let cont = r"[\u{80}-\u{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]";
        let pattern = format!(
            r"[ÂÃÄÅÆÐÑ]{cont}|[âãäåæçèéêëìíîï][€‚]{cont}?|ï»¿|[\u{{80}}-\u{{9F}}]|\u{{FFFD}}"
        );
        let start = r"[ÂÃÄÅÆÐÑ]|[âãäåæçèéêëìíîï][€‚]|ï»¿|[\u{80}-\u{9F}]|\u{FFFD}";
        Ok(MojibakeDetector {
            start: Regex::new(start).map_err(|e| e.to_string())?,
            re: Regex::new(&pattern).map_err(|e| e.to_string())?,
        })
    }
}

impl Detector for MojibakeDetector {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let invalid = &unit.doc.invalid_bytes;
        // No sequence starts before the first place `start` finds.
        let Some(from) = self.start.find(unit.text).map(|m| m.start()) else {
            return;
        };
        for m in self.re.find_iter(&unit.text[from..]) {
            let s = m.as_str();
            let span = from + m.start()..from + m.end();
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

    #[test]
    fn repairs_common_mojibake() {
        assert_eq!(repair("Ã©").as_deref(), Some("é"));
        assert_eq!(repair("â€™").as_deref(), Some("’"));
        assert_eq!(repair("Å‘").as_deref(), Some("ő"));
        assert_eq!(repair("â€\u{9D}").as_deref(), Some("”"));
        assert_eq!(repair("é"), None);
    }
}
