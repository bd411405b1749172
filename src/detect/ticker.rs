//! Bare instrument codes left in running text: Reuters RICs with an exchange suffix
//! (`9984.T`), futures (`LCOc1`), currency and commodity codes (`EUR=`), index codes
//! (`.FCHI`), LME codes (`CMCU3`) and any code in angle brackets (`<AAPL.O>`).

use std::collections::HashSet;
use std::ops::Range;

use regex::{CaptureLocations, Regex};
use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};
use crate::text::Nearest;

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
    /// Group indices in `bare`: the code of each alternative, the exchange suffix, the
    /// `=` code.
    codes: [usize; 5],
    exch: usize,
    eq: usize,
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
        let group = |name: &str| {
            bare.capture_names()
                .position(|n| n == Some(name))
                .expect("a group of the pattern")
        };
        Ok(TickerDetector {
            codes: ["sfx", "fut", "eq", "idx", "lme"].map(group),
            exch: group("exch"),
            eq: group("eq"),
            angle,
            bare,
            suffixes: settings.suffixes.into_iter().collect(),
            flag_parenthesised: settings.flag_parenthesised,
            allow: settings.allow.into_iter().collect(),
        })
    }

    /// Is `text[m]`, the code of a match of `bare` (whose groups are `caps`), an
    /// instrument code?
    fn accept_bare(&self, text: &str, caps: &CaptureLocations, m: Range<usize>) -> bool {
        let after = &text[m.end..];
        if let Some((exch_start, exch_end)) = caps.get(self.exch) {
            let exch = &text[exch_start..exch_end];
            let code = &text[m.start..exch_start - 1];
            let has_digit = code.bytes().any(|b| b.is_ascii_digit());
            // `J.P.`, `U.S.`: initials, not codes; `E.ON`: a name.
            if !self.suffixes.contains(exch) || (code.len() < 2 && !has_digit) {
                return false;
            }
            if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_alphanumeric()) {
                return false;
            }
            if text[..m.start].ends_with('.') {
                return false;
            }
        }
        if caps.get(self.eq).is_some() && after.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        !self.allow.contains(&text[m])
    }
}

/// A character of a list of codes (`AAPL.O, MSFT.O`).
fn is_list_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '=' | ',' | ' ' | ':' | '^')
}

/// Is the code at `start..end` in parentheses that hold only codes, `Apple (AAPL.O)`,
/// `le CAC 40 (.FCHI)`, `(AAPL.O, MSFT.O)` (house style)? `stops` finds the characters
/// that end a list of codes.
fn in_parentheses(
    stops: &mut Nearest<'_, impl Fn(char) -> bool>,
    start: usize,
    end: usize,
) -> bool {
    stops.last_before(start).is_some_and(|(_, c)| c == '(')
        && stops.first_from(end).is_some_and(|(_, c)| c == ')')
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
        let angled: Vec<(usize, usize)> = self
            .angle
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut spans = angled.clone();
        // Codes come in order of position: the stops around them are found in one pass.
        let mut stops = Nearest::new(text, |c| !is_list_char(c));
        // One set of group slots for all the matches (every match of `bare` is at least a
        // character long: each search starts where the last match ended).
        let mut caps = self.bare.capture_locations();
        let mut from = 0;
        while let Some(whole) = self.bare.captures_read_at(&mut caps, text, from) {
            debug_assert!(!whole.is_empty(), "every alternative takes a character");
            from = whole.end();
            let m = self
                .codes
                .iter()
                .find_map(|&g| caps.get(g))
                .map(|(start, end)| start..end)
                .expect("one alternative matched");
            if !self.accept_bare(text, &caps, m.clone()) {
                continue;
            }
            let mut span = (m.start, m.end);
            if in_parentheses(&mut stops, m.start, m.end) {
                if !self.flag_parenthesised {
                    continue;
                }
                // A lone code in parentheses goes with its parentheses.
                if text[..m.start].ends_with('(') && text[m.end..].starts_with(')') {
                    span = (m.start - 1, m.end + 1);
                }
            }
            // Inside an angle-bracket code (the angle codes are sorted and apart; the other
            // codes never overlap one another).
            let next_angle = angled.partition_point(|&(_, e)| e <= span.0);
            if angled.get(next_angle).is_some_and(|&(s, _)| s < span.1) {
                continue;
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
