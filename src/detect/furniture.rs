//! Scraped page furniture: comment widgets, share buttons, log-in, newsletter and
//! cookie prompts. A line is furniture when it matches one of the pack's line patterns,
//! or when it is a short line in the trailing block of such lines after the story.

use std::sync::OnceLock;

use regex_syntax::hir::Look;
use serde::Deserialize;

use super::{words::words, Detector, Hit, Scope, Unit};
use crate::text::MatchSet;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Regexes matched, case-insensitively, against each trimmed line.
    lines: Vec<String>,
    /// A line of at most this many words, not ending like a sentence, in the trailing
    /// block that holds a matched line, is furniture too.
    #[serde(default = "default_block_words")]
    block_max_words: usize,
}

/// Furniture lines are short: longer ones (story paragraphs) are not matched at all.
const MAX_LINE: usize = 400;

fn default_block_words() -> usize {
    4
}

#[derive(Debug)]
pub struct FurnitureDetector {
    lines: Vec<String>,
    /// Compiled on first use for built-in packs (or by `prepare` on another thread).
    compiled: OnceLock<LineMatcher>,
    block_max_words: usize,
}

#[derive(Debug)]
struct LineMatcher {
    /// The line patterns anchored at the line's start (`^...`): searched from the start
    /// only, so that a story paragraph is ruled out within its first bytes.
    anchored: MatchSet,
    /// The other line patterns, searched through the line (with literal prefilters).
    floating: Option<regex::Regex>,
}

impl LineMatcher {
    fn new(lines: &[String]) -> Result<Self, String> {
        let mut anchored = Vec::new();
        let mut floating = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(line)
                .map_err(|e| format!("line pattern {}: {e}", i + 1))?;
            if hir.properties().look_set_prefix().contains(Look::Start) {
                anchored.push(hir);
            } else {
                floating.push(format!("(?:{line})"));
            }
        }
        let floating = if floating.is_empty() {
            None
        } else {
            let regex = regex::RegexBuilder::new(&floating.join("|"))
                .case_insensitive(true)
                .build()
                .map_err(|e| e.to_string())?;
            Some(regex)
        };
        Ok(LineMatcher {
            anchored: MatchSet::from_hirs(&anchored)?,
            floating,
        })
    }
}

impl FurnitureDetector {
    /// With `lazy` (a built-in pack, whose patterns the tests compile), the line
    /// patterns compile on first use; otherwise now, so that errors show at load.
    pub fn new(settings: Settings, lazy: bool) -> Result<Self, String> {
        let compiled = OnceLock::new();
        if !lazy {
            let _ = compiled.set(LineMatcher::new(&settings.lines)?);
        }
        Ok(FurnitureDetector {
            lines: settings.lines,
            compiled,
            block_max_words: settings.block_max_words,
        })
    }

    fn matcher(&self) -> &LineMatcher {
        self.compiled.get_or_init(|| {
            LineMatcher::new(&self.lines).expect("built-in furniture lines compile (tested)")
        })
    }

    fn is_furniture_line(&self, line: &str) -> bool {
        let m = self.matcher();
        line.len() <= MAX_LINE
            && (m.anchored.is_match_at_start(line)
                || m.floating.as_ref().is_some_and(|re| re.is_match(line)))
    }

    fn is_short_ui_line(&self, line: &str) -> bool {
        !line.starts_with(['(', '*', '-', '«', '"'])
            && !line.ends_with(['.', ')', '»', '"', ':', ';', ','])
            && words(line).len() <= self.block_max_words
    }
}

impl Detector for FurnitureDetector {
    fn scope(&self) -> Scope {
        Scope::Document
    }

    fn prepare(&self) {
        self.matcher();
    }

    fn is_prepared(&self) -> bool {
        self.compiled.get().is_some()
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let doc = unit.doc;
        let trimmed: Vec<(std::ops::Range<usize>, &str)> = doc
            .paragraphs
            .iter()
            .map(|p| {
                let raw = &doc.text[p.clone()];
                let lead = raw.len() - raw.trim_start().len();
                let line = raw.trim();
                (
                    p.start + lead - unit.start..p.start + lead + line.len() - unit.start,
                    line,
                )
            })
            .collect();
        let mut flagged: Vec<bool> = trimmed
            .iter()
            .map(|(_, l)| self.is_furniture_line(l))
            .collect();
        // The trailing block: short lines after the story, if one of them is known furniture.
        let mut first = trimmed.len();
        while first > 0 && (flagged[first - 1] || self.is_short_ui_line(trimmed[first - 1].1)) {
            first -= 1;
        }
        if flagged[first..].iter().any(|&f| f) {
            for f in &mut flagged[first..] {
                *f = true;
            }
        }
        for ((span, _), f) in trimmed.into_iter().zip(flagged) {
            if f {
                out.push(Hit::new(span));
            }
        }
    }
}
