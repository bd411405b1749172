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
    /// Can `floating` be searched through a whole document first, to skip its lines
    /// when it matches none? Yes when its only look-arounds are word boundaries: a line
    /// has white space or nothing around it in the document, as far as they can tell,
    /// where an anchor (`$`) would tell the line from the document.
    floating_gate: bool,
}

impl LineMatcher {
    fn new(lines: &[String]) -> Result<Self, String> {
        let mut anchored = Vec::new();
        let mut floating = Vec::new();
        let mut floating_gate = true;
        for (i, line) in lines.iter().enumerate() {
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(line)
                .map_err(|e| format!("line pattern {}: {e}", i + 1))?;
            if hir.properties().look_set_prefix().contains(Look::Start) {
                anchored.push(hir);
            } else {
                floating_gate &= hir.properties().look_set().iter().all(|look| {
                    matches!(
                        look,
                        Look::WordAscii
                            | Look::WordAsciiNegate
                            | Look::WordUnicode
                            | Look::WordUnicodeNegate
                    )
                });
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
            floating_gate,
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

    /// Is `line` furniture? `floating` is the matcher's floating patterns, or None where
    /// they match nowhere in the document.
    fn is_furniture_line(&self, line: &str, floating: Option<&regex::Regex>) -> bool {
        line.len() <= MAX_LINE
            && (self.matcher().anchored.is_match_at_start(line)
                || floating.is_some_and(|re| re.is_match(line)))
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
        // One search through the document spares most documents one per line.
        let m = self.matcher();
        let floating = m
            .floating
            .as_ref()
            .filter(|re| !m.floating_gate || re.is_match(&doc.text));
        let mut flagged: Vec<bool> = trimmed
            .iter()
            .map(|(_, l)| self.is_furniture_line(l, floating))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, Segmenter};

    /// The lines of `text` that a detector of the line patterns `lines` flags.
    fn flagged<'t>(lines: &[&str], text: &'t str) -> Vec<&'t str> {
        let settings = Settings {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            block_max_words: 0,
        };
        let detector = FurnitureDetector::new(settings, false).unwrap();
        let doc = Document::new(text.into(), &Segmenter::default());
        let mut hits = Vec::new();
        detector.check(&Unit::new(&doc, 0..text.len()), &mut hits);
        hits.iter().map(|h| &text[h.span.clone()]).collect()
    }

    #[test]
    fn floating_lines_are_searched_through_the_document_first_only_when_that_is_sound() {
        let text = "Le marché recule.\n  Nous utilisons des cookies  \nIl rebondit.";
        // Word boundaries tell a line apart from its document as they do the line alone.
        let bounded = [r"(?-u:\b)cookies(?-u:\b)", r"\bcookies\b"];
        for line in bounded {
            assert!(LineMatcher::new(&[line.to_string()]).unwrap().floating_gate);
            assert_eq!(flagged(&[line], text), ["Nous utilisons des cookies"]);
            assert!(flagged(&[line], "Le marché recule.\nIl rebondit.").is_empty());
        }
        // `$` ends the line, not the document: no search through the document first.
        let anchored = "des cookies$";
        assert!(
            !LineMatcher::new(&[anchored.to_string()])
                .unwrap()
                .floating_gate
        );
        assert_eq!(flagged(&[anchored], text), ["Nous utilisons des cookies"]);
    }
}
