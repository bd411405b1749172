//! Reports: the CSV files of the contract, and the text output for people.

pub mod csv;
pub mod text;

use crate::text::{Document, Position};

/// Positions of many byte offsets, computed in one sweep (linear even on one huge line).
pub fn positions(doc: &Document, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Position { line: 1, column: 1 }; offsets.len()];
    let mut cursor: Option<(usize, usize, usize)> = None; // (offset, line index, column)
    for i in order {
        let offset = offsets[i];
        let line = doc.lines.line_of(offset);
        let column = match cursor {
            Some((at, l, col)) if l == line && at <= offset => {
                col + doc.text[at..offset].chars().count()
            }
            _ => doc.text[doc.lines.line_start(line)..offset].chars().count() + 1,
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
pub fn finding_positions(report: &crate::Report) -> Vec<(Position, Position)> {
    let offsets: Vec<usize> = report
        .findings
        .iter()
        .flat_map(|f| [f.span.start, f.span.end])
        .collect();
    let pos = positions(&report.document, &offsets);
    pos.chunks(2).map(|p| (p[0], p[1])).collect()
}

/// Start and end positions of each sentence of a report.
pub fn sentence_positions(report: &crate::Report) -> Vec<(Position, Position)> {
    let offsets: Vec<usize> = report
        .document
        .sentences
        .iter()
        .flat_map(|s| [s.range.start, s.range.end])
        .collect();
    let pos = positions(&report.document, &offsets);
    pos.chunks(2).map(|p| (p[0], p[1])).collect()
}
