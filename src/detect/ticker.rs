//! Bare instrument codes left in running text: Reuters RICs with an exchange suffix
//! (`9984.T`), futures (`LCOc1`), currency and commodity codes (`EUR=`), index codes
//! (`.FCHI`), LME codes (`CMCU3`) and any code in angle brackets (`<AAPL.O>`).

use std::collections::HashSet;

use regex::Regex;
use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Exchange suffixes that make `CODE.SUFFIX` an instrument code (`T`, `KS`, `O`...).
    suffixes: Vec<String>,
    /// Also flag a code in parentheses right after a name, `Apple (AAPL.O)`.
    #[serde(default)]
    flag_parenthesised: bool,
    /// Codes that are names here (`.NET`).
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Debug)]
pub struct TickerDetector {
    angle: Regex,
    bare: Regex,
    suffixes: HashSet<String>,
    flag_parenthesised: bool,
    allow: HashSet<String>,
}

impl TickerDetector {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let angle =
            Regex::new(r"<\s*[A-Z0-9.=^][A-Za-z0-9.=^/_+-]*\s*>").map_err(|e| e.to_string())?;
        let bare = Regex::new(concat!(
            r"(?-u:\b)(?P<sfx>[A-Z0-9]{1,8}[a-z]?\.(?P<exch>[A-Z]{1,3}))(?-u:\b)",
            r"|(?-u:\b)(?P<fut>[A-Z]{1,4}[cv][1-9][0-9]?)(?-u:\b)",
            r"|(?-u:\b)(?P<eq>[A-Z][A-Z0-9]{2,8}=[A-Z]{0,3})",
            r"|(?:^|[\s(\[])(?P<idx>\.[A-Z][A-Z0-9]{1,7})(?-u:\b)",
            r"|(?-u:\b)(?P<lme>CM[A-Z]{2}3)(?-u:\b)",
        ))
        .map_err(|e| e.to_string())?;
        Ok(TickerDetector {
            angle,
            bare,
            suffixes: settings.suffixes.into_iter().collect(),
            flag_parenthesised: settings.flag_parenthesised,
            allow: settings.allow.into_iter().collect(),
        })
    }

    fn accept_bare(&self, text: &str, caps: &regex::Captures<'_>, m: &regex::Match<'_>) -> bool {
        let after = &text[m.end()..];
        if let Some(exch) = caps.name("exch") {
            let code = &m.as_str()[..m.len() - exch.len() - 1];
            let has_digit = code.bytes().any(|b| b.is_ascii_digit());
            // `J.P.`, `U.S.`: initials, not codes; `E.ON`: a name.
            if !self.suffixes.contains(exch.as_str()) || (code.len() < 2 && !has_digit) {
                return false;
            }
            if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_alphanumeric()) {
                return false;
            }
            if text[..m.start()].ends_with('.') {
                return false;
            }
        }
        if caps.name("eq").is_some() && after.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        !self.allow.contains(m.as_str())
    }

    /// `Apple (AAPL.O)`, `le CAC 40 (.FCHI)`, `(AAPL.O, MSFT.O)`: house style.
    fn is_parenthesised(text: &str, start: usize, end: usize) -> bool {
        let before = text[..start].trim_end_matches([' ', ',']);
        let after = text[end..].trim_start_matches([' ', ',']);
        let open = before.rfind('(');
        let inside_only_codes = open.is_some_and(|o| {
            text[o + 1..start].chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '=' | ',' | ' ' | ':' | '^')
            })
        });
        inside_only_codes
            && after.find(')').is_some_and(|c| {
                after[..c].chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '.' | '=' | ',' | ' ' | ':' | '^')
                })
            })
    }
}

/// What every match of `angle` or `bare` contains: `<`, `.` before a capital (`9984.T`,
/// `.FCHI`), a future's month code (`LCOc1`), `=` (`EUR=`) or `CM` (`CMCU3`).
const TICKER_PREFILTER: &str = r"<|\.[A-Z]|[A-Z][cv][1-9]|=|CM";

impl Detector for TickerDetector {
    fn scope(&self) -> Scope {
        Scope::Paragraph
    }

    fn prefilter(&self) -> Option<&str> {
        Some(TICKER_PREFILTER)
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        let mut spans = Vec::new();
        for m in self.angle.find_iter(text) {
            spans.push((m.start(), m.end()));
        }
        for caps in self.bare.captures_iter(text) {
            let m = ["sfx", "fut", "eq", "idx", "lme"]
                .iter()
                .find_map(|n| caps.name(n))
                .expect("one alternative matched");
            if !self.accept_bare(text, &caps, &m) {
                continue;
            }
            let mut span = (m.start(), m.end());
            if Self::is_parenthesised(text, m.start(), m.end()) {
                if !self.flag_parenthesised {
                    continue;
                }
                // A lone code in parentheses goes with its parentheses.
                if text[..m.start()].ends_with('(') && text[m.end()..].starts_with(')') {
                    span = (m.start() - 1, m.end() + 1);
                }
            }
            if spans.iter().any(|&(s, e)| s < span.1 && span.0 < e) {
                continue; // inside an angle-bracket code
            }
            spans.push(span);
        }
        spans.sort_unstable();
        for (start, end) in spans {
            let span = start..end;
            if unit.is_protected(&span) {
                continue;
            }
            // The fix removes the code with the space before it.
            let with_space = if text[..start].ends_with(' ') {
                start - 1
            } else {
                start
            };
            out.push(Hit {
                span: with_space..end,
                message: Some(format!(
                    "instrument code `{}` left in running text",
                    text[start..end].trim().trim_matches(['(', ')'])
                )),
                fix: Some(String::new()),
            });
        }
    }
}
