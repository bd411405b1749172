//! Number formats that need code: a currency symbol written first (`$10 milliards`),
//! rewritten the target language's way, and a `%` glued to its number where the story
//! itself spaces it.

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;

use super::{Detector, Hit, Scope, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CurrencySettings {
    /// Symbol -> [singular, plural] name in the target language.
    currencies: BTreeMap<String, [String; 2]>,
    /// Magnitude words that may follow the number (English or target) -> [singular, plural] target word.
    magnitudes: BTreeMap<String, [String; 2]>,
    /// Target decimal separator.
    decimal: String,
    /// Target thousands separator.
    group: String,
    /// Word that links a magnitude to the currency (`de` in `10 milliards de dollars`).
    of: String,
}

#[derive(Debug)]
pub struct CurrencyFirst {
    re: Regex,
    /// What every match holds, a symbol before a digit: the rule screen's pattern, which
    /// keeps the regex off the other paragraphs.
    prefilter: String,
    s: CurrencySettings,
}

impl CurrencyFirst {
    pub fn new(s: CurrencySettings) -> Result<Self, String> {
        let symbols: Vec<String> = s.currencies.keys().map(|k| regex::escape(k)).collect();
        let mut mags: Vec<&String> = s.magnitudes.keys().collect();
        mags.sort_by_key(|m| std::cmp::Reverse(m.len()));
        let mags: Vec<String> = mags.iter().map(|m| regex::escape(m)).collect();
        let pattern = format!(
            r"(?:US|C|A|HK|NZ)?(?P<sym>{})\s?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<mag>{})(?-u:\b))?",
            symbols.join("|"),
            mags.join("|")
        );
        Ok(CurrencyFirst {
            re: Regex::new(&pattern).map_err(|e| e.to_string())?,
            prefilter: format!(r"(?:{})\s?\d", symbols.join("|")),
            s,
        })
    }

    /// `3,682.40` -> `3 682,40` in the target's separators; the value, for agreement.
    fn localise(&self, num: &str) -> (String, f64) {
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        let value: f64 = format!(
            "{}.{}",
            int.replace(',', ""),
            if frac.is_empty() { "0" } else { frac }
        )
        .parse()
        .unwrap_or(0.0);
        let mut out = int.replace(',', &self.s.group);
        if !frac.is_empty() {
            out.push_str(&self.s.decimal);
            out.push_str(frac);
        }
        (out, value)
    }
}

impl Detector for CurrencyFirst {
    fn scope(&self) -> Scope {
        Scope::Paragraph
    }

    fn prefilter(&self) -> Option<&str> {
        Some(&self.prefilter)
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        for caps in self.re.captures_iter(unit.text) {
            let m = caps.get(0).expect("group 0");
            if unit.is_protected(&m.range()) {
                continue;
            }
            let (num, value) = self.localise(&caps["num"]);
            let [one, many] = &self.s.currencies[&caps["sym"]];
            let fix = match caps.name("mag") {
                Some(mag) => {
                    let [mag_one, mag_many] = &self.s.magnitudes[mag.as_str()];
                    let mag = if value < 2.0 { mag_one } else { mag_many };
                    format!("{num} {mag} {} {many}", self.s.of)
                }
                None => format!("{num} {}", if value < 2.0 { one } else { many }),
            };
            out.push(Hit {
                span: m.range(),
                message: Some(format!("currency symbol written first: `{}`", m.as_str())),
                fix: Some(fix),
            });
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PercentSettings {
    /// The spaced percentages a story needs before its glued ones count as inconsistent.
    #[serde(default = "default_min_spaced")]
    min_spaced: usize,
    /// The space the fix puts before `%`.
    space: String,
    /// Regexes that identify a wire whose house style spaces `%` (Reuters' French service):
    /// in a story that matches one, every glued `%` is reported.
    #[serde(default)]
    house_style_markers: Vec<String>,
}

fn default_min_spaced() -> usize {
    2
}

/// `30%` in a story that otherwise writes `2,7 %`: the story's own convention decides.
#[derive(Debug)]
pub struct PercentConsistency {
    glued: Regex,
    spaced: Regex,
    markers: Option<regex::RegexSet>,
    s: PercentSettings,
}

impl PercentConsistency {
    pub fn new(s: PercentSettings) -> Result<Self, String> {
        Ok(PercentConsistency {
            glued: Regex::new(r"\d%").map_err(|e| e.to_string())?,
            spaced: Regex::new(r"\d[ \u{A0}\u{202F}]%").map_err(|e| e.to_string())?,
            markers: if s.house_style_markers.is_empty() {
                None
            } else {
                Some(regex::RegexSet::new(&s.house_style_markers).map_err(|e| e.to_string())?)
            },
            s,
        })
    }
}

impl Detector for PercentConsistency {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        // Without a glued `%` there is nothing to report: the other searches are skipped.
        let glued: Vec<_> = self.glued.find_iter(unit.text).collect();
        if glued.is_empty() {
            return;
        }
        let spaced = self.spaced.find_iter(unit.text).count();
        let house_style = self.markers.as_ref().is_some_and(|m| m.is_match(unit.text));
        if !house_style && (spaced < self.s.min_spaced || spaced <= glued.len()) {
            return;
        }
        for m in glued {
            let pct = m.end() - 1..m.end();
            if unit.is_protected(&pct) {
                continue;
            }
            out.push(Hit {
                span: pct,
                message: Some(if house_style {
                    "`%` glued to its number: this wire's house style spaces it".to_string()
                } else {
                    format!("`%` glued to its number, while this story spaces it {spaced} times")
                }),
                fix: Some(format!("{}%", self.s.space)),
            });
        }
    }
}
