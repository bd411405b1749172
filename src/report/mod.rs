//! Reports behind one seam: every output format is a [`Printer`] that is handed each
//! checked document in order, then a run summary.

pub mod csv;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

use crate::text::{Document, Position};
use crate::{Report, Severity};

/// Where a printer writes.
pub type Sink = Box<dyn Write>;

/// An output format, writing to its own sink.
pub trait Printer {
    /// Prints (or buffers) one checked document named `name`.
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()>;
    /// Ends the output (a format that buffers writes it all here) and flushes.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// What a run found, for summary lines.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub sentences: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The lowest-scoring sentences: (score, file, line, text), lowest first.
    pub lowest: Vec<(u32, String, usize, String)>,
}

/// How many of the lowest-scoring sentences a summary keeps.
const LOWEST_KEPT: usize = 5;

impl Summary {
    /// Adds one document.
    pub fn add(&mut self, name: &str, report: &Report) {
        self.files += 1;
        self.sentences += report.document.sentences.len();
        for f in &report.findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
        for (i, score) in report.scores.iter().enumerate() {
            let kept_full = self.lowest.len() == LOWEST_KEPT;
            if score.score == 100 || (kept_full && score.score >= self.lowest[LOWEST_KEPT - 1].0) {
                continue;
            }
            // Positions only for the few sentences kept, not for every sentence.
            let range = report.document.sentences[i].range.clone();
            let (start, _) = span_positions(&report.document, &[(range.start, range.end)])[0];
            let text = report.document.text[range].to_string();
            self.lowest
                .push((score.score, name.to_string(), start.line, text));
            self.lowest.sort_by_key(|l| l.0);
            self.lowest.truncate(LOWEST_KEPT);
        }
    }
}

/// Start and end positions of many byte spans, computed in one sweep (linear even on
/// one huge line). When the document came from HTML, positions point into the HTML.
pub fn span_positions(doc: &Document, spans: &[(usize, usize)]) -> Vec<(Position, Position)> {
    let offsets: Vec<usize> = match &doc.origin {
        Some(o) => spans
            .iter()
            .flat_map(|&(s, e)| [o.offset(s), o.end_offset(&doc.text, e)])
            .collect(),
        None => spans.iter().flat_map(|&(s, e)| [s, e]).collect(),
    };
    let pos = match &doc.origin {
        Some(o) => sweep(&o.source, &o.lines, &offsets),
        None => sweep(&doc.text, &doc.lines, &offsets),
    };
    pos.chunks(2).map(|p| (p[0], p[1])).collect()
}

fn sweep(text: &str, lines: &crate::text::LineIndex, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Position { line: 1, column: 1 }; offsets.len()];
    let mut cursor: Option<(usize, usize, usize)> = None; // (offset, line index, column)
    for i in order {
        let offset = offsets[i];
        let line = lines.line_of(offset);
        let column = match cursor {
            Some((at, l, col)) if l == line && at <= offset => {
                col + text[at..offset].chars().count()
            }
            _ => text[lines.line_start(line)..offset].chars().count() + 1,
        };
        cursor = Some((offset, line, column));
        out[i] = Position {
            line: line + 1,
            column,
        };
    }
    out
}

/// Start and end positions of each finding of a report.
pub fn finding_positions(report: &Report) -> Vec<(Position, Position)> {
    let spans: Vec<(usize, usize)> = report
        .findings
        .iter()
        .map(|f| (f.span.start, f.span.end))
        .collect();
    span_positions(&report.document, &spans)
}

/// Start and end positions of each sentence of a report.
pub fn sentence_positions(report: &Report) -> Vec<(Position, Position)> {
    let spans: Vec<(usize, usize)> = report
        .document
        .sentences
        .iter()
        .map(|s| (s.range.start, s.range.end))
        .collect();
    span_positions(&report.document, &spans)
}
