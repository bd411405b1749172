//! SARIF 2.1.0: one run with the rule metadata, results with character-based regions,
//! and fixes. Buffers the results and writes the whole log at the end.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{finding_positions, Printer, Summary};
use crate::{Report, RuleSet, Severity, SharedStr};

/// The SARIF printer.
pub struct SarifPrinter {
    out: super::Sink,
    rules: Vec<Value>,
    ids: Vec<SharedStr>,
    results: Vec<Value>,
    artifacts: Vec<String>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl SarifPrinter {
    /// A printer that describes every rule of `rules`.
    pub fn new(out: super::Sink, rules: &RuleSet) -> Self {
        let metadata = rules
            .rules
            .iter()
            .map(|r| {
                let full = if r.description.is_empty() { &*r.message } else { &r.description };
                json!({
                    "id": r.id,
                    "shortDescription": { "text": r.message },
                    "fullDescription": { "text": full },
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": { "category": r.category.as_str(), "language": r.language, "weight": r.weight },
                })
            })
            .collect();
        SarifPrinter {
            out,
            rules: metadata,
            ids: rules.rules.iter().map(|r| r.id.clone()).collect(),
            results: Vec::new(),
            artifacts: Vec::new(),
        }
    }
}

impl Printer for SarifPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        let artifact_index = self.artifacts.len();
        self.artifacts.push(name.to_string());
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let region = json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
                "snippet": { "text": &report.document.text[f.span.clone()] },
            });
            let location = json!({ "uri": name, "index": artifact_index });
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{ "physicalLocation": { "artifactLocation": location, "region": region } }],
                "properties": {
                    "category": f.category.as_str(),
                    "sentenceId": f.sentence + 1,
                    "sentenceScore": report.scores.get(f.sentence).map_or(100, |s| s.score),
                },
            });
            if let Some(i) = self.ids.iter().position(|id| *id == f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &f.fix {
                let deleted = json!({
                    "startLine": start.line, "startColumn": start.column,
                    "endLine": end.line, "endColumn": end.column,
                });
                result["fixes"] = json!([{
                    "description": { "text": if fix.is_empty() { "delete".to_string() } else { format!("replace with {fix:?}") } },
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": [{ "deletedRegion": deleted, "insertedContent": { "text": fix } }],
                    }],
                }]);
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "wirecheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": self.rules,
                }},
                "columnKind": "unicodeCodePoints",
                "artifacts": self.artifacts.iter().map(|a| json!({ "location": { "uri": a } })).collect::<Vec<_>>(),
                "results": self.results,
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}
