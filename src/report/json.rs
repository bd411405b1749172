//! JSON Lines: one `{"type":"finding",...}` object per finding and one
//! `{"type":"summary",...}` object per file.

use std::io::{self, Write};

use serde_json::json;

use super::{finding_positions, Printer, Summary};
use crate::Report;

/// The JSON Lines printer.
pub struct JsonPrinter {
    out: super::Sink,
}

impl JsonPrinter {
    /// A printer writing to `out`.
    pub fn new(out: super::Sink) -> Self {
        JsonPrinter { out }
    }
}

impl Printer for JsonPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        let out = &mut self.out;
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let value = json!({
                "type": "finding",
                "file": name,
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "rule": f.rule,
                "category": f.category.as_str(),
                "severity": f.severity.as_str(),
                "message": f.message,
                "excerpt": &report.document.text[f.span.clone()],
                "suggestion": f.fix,
                "sentence_id": f.sentence + 1,
                "sentence_score": report.scores.get(f.sentence).map_or(100, |s| s.score),
            });
            writeln!(out, "{value}")?;
        }
        let summary = json!({
            "type": "summary",
            "file": name,
            "language": report.language,
            "sentences": report.document.sentences.len(),
            "findings": report.findings.len(),
            "score": report.score(),
        });
        writeln!(out, "{summary}")
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
