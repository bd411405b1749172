//! A baseline of accepted findings: CI then fails only on new ones. Findings are matched
//! by file, rule and excerpt, not by line, so edits above them do not break the baseline.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Report;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub rule: String,
    pub excerpt: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// Accepted findings, as a multiset: two identical findings need two entries.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    counts: HashMap<Entry, usize>,
}

impl Baseline {
    /// Reads a baseline written by [`Baseline::save`].
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{}: malformed baseline: {e}", path.display()))?;
        let mut b = Baseline::default();
        for e in file.findings {
            *b.counts.entry(e).or_default() += 1;
        }
        Ok(b)
    }

    /// Adds every finding of a report of `file`.
    pub fn record(&mut self, file: &str, report: &Report) {
        for f in &report.findings {
            let entry = Entry {
                file: file.to_string(),
                rule: f.rule.to_string(),
                excerpt: report.document.text[f.span.clone()].to_string(),
            };
            *self.counts.entry(entry).or_default() += 1;
        }
    }

    /// Writes the baseline as JSON, entries sorted (stable diffs in version control).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut findings: Vec<Entry> = self
            .counts
            .iter()
            .flat_map(|(e, &n)| std::iter::repeat_n(e.clone(), n))
            .collect();
        findings.sort();
        let json = serde_json::to_string_pretty(&BaselineFile {
            version: 1,
            findings,
        })?;
        std::fs::write(path, json + "\n")
    }

    /// Removes from `report` the findings the baseline accepts (each entry once).
    pub fn filter(&mut self, file: &str, report: &mut Report) {
        let text = report.document.text.clone();
        report.retain_findings(|f| {
            let entry = Entry {
                file: file.to_string(),
                rule: f.rule.to_string(),
                excerpt: text[f.span.clone()].to_string(),
            };
            match self.counts.get_mut(&entry) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
    }
}
