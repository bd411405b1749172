//! The two CSV reports of TAXONOMY.md: one row per finding, one row per sentence.

use std::io::Write;

use crate::Report;

/// Header of the findings CSV.
pub const FINDINGS_HEADER: [&str; 13] = [
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "category",
    "severity",
    "message",
    "excerpt",
    "suggestion",
    "sentence_id",
    "sentence_score",
];

/// Header of the sentences CSV.
pub const SENTENCES_HEADER: [&str; 10] = [
    "file",
    "sentence_id",
    "line",
    "column",
    "end_line",
    "end_column",
    "score",
    "worst_severity",
    "rules",
    "text",
];

/// Writes findings rows (RFC 4180) to any writer.
pub struct FindingsWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> FindingsWriter<W> {
    /// Starts the report with its header row.
    pub fn new(out: W) -> csv::Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(FINDINGS_HEADER)?;
        Ok(FindingsWriter { out })
    }

    /// Writes the rows of one document, named `file`.
    pub fn write(&mut self, file: &str, report: &Report) -> csv::Result<()> {
        let positions = super::finding_positions(report);
        for (f, (start, end)) in report.findings.iter().zip(positions) {
            let score = report.scores.get(f.sentence).map_or(100, |s| s.score);
            self.out.write_record([
                file,
                &start.line.to_string(),
                &start.column.to_string(),
                &end.line.to_string(),
                &end.column.to_string(),
                &f.rule,
                f.category.as_str(),
                f.severity.as_str(),
                &f.message,
                &report.document.text[f.span.clone()],
                f.fix.as_deref().unwrap_or(""),
                &(f.sentence + 1).to_string(),
                &score.to_string(),
            ])?;
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes sentence rows (RFC 4180) to any writer.
pub struct SentencesWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> SentencesWriter<W> {
    /// Starts the report with its header row.
    pub fn new(out: W) -> csv::Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(SENTENCES_HEADER)?;
        Ok(SentencesWriter { out })
    }

    /// Writes the rows of one document, named `file`.
    pub fn write(&mut self, file: &str, report: &Report) -> csv::Result<()> {
        let positions = super::sentence_positions(report);
        for (i, ((s, score), (start, end))) in report
            .document
            .sentences
            .iter()
            .zip(&report.scores)
            .zip(positions)
            .enumerate()
        {
            self.out.write_record([
                file,
                &(i + 1).to_string(),
                &start.line.to_string(),
                &start.column.to_string(),
                &end.line.to_string(),
                &end.column.to_string(),
                &score.score.to_string(),
                score.worst.map_or("", |w| w.as_str()),
                &score.rules.join(";"),
                &report.document.text[s.range.clone()],
            ])?;
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}
