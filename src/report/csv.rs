//! The two CSV reports of TAXONOMY.md: one row per finding, one row per sentence.

use std::io;

use super::{finding_positions, sentence_positions, Printer, Sink, Summary};
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

/// Which of the two CSV reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Findings,
    Sentences,
}

/// Writes one of the CSV reports (RFC 4180), header row first.
pub struct CsvPrinter {
    kind: CsvKind,
    out: csv::Writer<Sink>,
    /// The row being written, reused: a whole record takes the csv writer's fast path
    /// (one check and one copy a field), where fields handed one by one each go through
    /// its state machine.
    row: csv::ByteRecord,
}

impl CsvPrinter {
    /// Starts the report with its header row.
    pub fn new(kind: CsvKind, out: Sink) -> io::Result<Self> {
        // Handed on 64 KB at a time, not 8 KB (the default): eight times fewer system
        // calls for a report that runs to megabytes.
        let mut out = csv::WriterBuilder::new()
            .buffer_capacity(64 << 10)
            .from_writer(out);
        match kind {
            CsvKind::Findings => out.write_record(FINDINGS_HEADER)?,
            CsvKind::Sentences => out.write_record(SENTENCES_HEADER)?,
        }
        Ok(CsvPrinter {
            kind,
            out,
            row: csv::ByteRecord::new(),
        })
    }

    fn findings(&mut self, file: &str, report: &Report) -> csv::Result<()> {
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let score = report.scores.get(f.sentence).map_or(100, |s| s.score);
            let mut numbers = [(); 6].map(|_| itoa::Buffer::new());
            let [a, b, c, d, e, g] = &mut numbers;
            self.write_row([
                file,
                a.format(start.line),
                b.format(start.column),
                c.format(end.line),
                d.format(end.column),
                &f.rule,
                f.category.as_str(),
                f.severity.as_str(),
                &f.message,
                &report.document.text[f.span.clone()],
                f.fix.as_deref().unwrap_or(""),
                e.format(f.sentence + 1),
                g.format(score),
            ])?;
        }
        Ok(())
    }

    fn write_row<const N: usize>(&mut self, fields: [&str; N]) -> csv::Result<()> {
        self.row.clear();
        for field in fields {
            self.row.push_field(field.as_bytes());
        }
        self.out.write_byte_record(&self.row)
    }

    fn sentences(&mut self, file: &str, report: &Report) -> csv::Result<()> {
        let sentences = report.document.sentences.iter().zip(&report.scores);
        for (i, ((s, score), (start, end))) in sentences.zip(sentence_positions(report)).enumerate()
        {
            let mut numbers = [(); 6].map(|_| itoa::Buffer::new());
            let [a, b, c, d, e, g] = &mut numbers;
            self.write_row([
                file,
                a.format(i + 1),
                b.format(start.line),
                c.format(start.column),
                d.format(end.line),
                e.format(end.column),
                g.format(score.score),
                score.worst.map_or("", |w| w.as_str()),
                &score.rules.join(";"),
                &report.document.text[s.range.clone()],
            ])?;
        }
        Ok(())
    }
}

impl Printer for CsvPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        match self.kind {
            CsvKind::Findings => self.findings(name, report)?,
            CsvKind::Sentences => self.sentences(name, report)?,
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
