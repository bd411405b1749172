//! The text output for people, rustc-style: `path:line:col: severity[rule] message`,
//! the line with the span underlined, the fix, and a summary at the end.

use std::io::{self, Write};

use super::{finding_positions, Printer, Sink, Summary};
use crate::{Report, Severity};

/// Characters of context shown on each side of a span on a long line.
const CONTEXT: usize = 60;

/// The text printer.
pub struct TextPrinter {
    out: Sink,
    color: bool,
}

impl TextPrinter {
    /// A printer writing to `out`, in ANSI colours when `color`.
    pub fn new(out: Sink, color: bool) -> Self {
        TextPrinter { out, color }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }
}

/// The text shown for the span `start..end` of `source`: up to [`CONTEXT`] characters
/// on each side within its line (never a scan of the whole line), the span's column in
/// it (1-based) and its width in characters.
fn snippet(source: &str, start: usize, end: usize) -> (String, usize, usize) {
    let is_eol = |c: char| c == '\n' || c == '\r';
    let mut before: Vec<char> = Vec::new();
    let mut cut_before = false;
    for c in source[..start].chars().rev() {
        if is_eol(c) {
            break;
        }
        if before.len() == CONTEXT {
            cut_before = true;
            break;
        }
        before.push(c);
    }
    before.reverse();
    let span: String = source[start..end]
        .chars()
        .take_while(|&c| !is_eol(c))
        .collect();
    let mut after = String::new();
    let mut cut_after = false;
    for (n, c) in source[end..].chars().enumerate() {
        if is_eol(c) {
            break;
        }
        if n == CONTEXT {
            cut_after = true;
            break;
        }
        after.push(c);
    }
    let mut shown = String::new();
    if cut_before {
        shown.push('…');
    }
    shown.extend(before.iter());
    let column = shown.chars().count() + 1;
    shown.push_str(&span);
    shown.push_str(&after);
    if cut_after {
        shown.push('…');
    }
    (
        shown.replace('\t', " "),
        column,
        span.chars().count().max(1),
    )
}

impl Printer for TextPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        let doc = &report.document;
        let source = doc
            .origin
            .as_ref()
            .map_or(doc.text.as_str(), |o| o.source.as_str());
        for (f, (start, _)) in report.findings.iter().zip(finding_positions(report)) {
            let head = format!(
                "{name}:{}:{}: {}[{}] {}",
                start.line,
                start.column,
                self.severity(f.severity),
                f.rule,
                f.message
            );
            writeln!(self.out, "{head}")?;
            let (from, to) = match &doc.origin {
                Some(o) => (o.offset(f.span.start), o.end_offset(&doc.text, f.span.end)),
                None => (f.span.start, f.span.end),
            };
            let (shown, column, width) = snippet(source, from, to.max(from));
            let gutter = start.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(self.out, "{} |", pad)?;
            writeln!(self.out, "{} | {}", self.paint("1;34", &gutter), shown)?;
            let marks = self.paint("1;31", &"^".repeat(width));
            writeln!(self.out, "{} | {}{}", pad, " ".repeat(column - 1), marks)?;
            if let Some(fix) = &f.fix {
                let shown = if fix.is_empty() {
                    "delete it".to_string()
                } else {
                    format!("replace with {fix:?}")
                };
                writeln!(self.out, "{} = fix: {}", pad, self.paint("32", &shown))?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "{} file{}, {} sentences: {} error{}, {} warning{}, {} info",
            summary.files,
            if summary.files == 1 { "" } else { "s" },
            summary.sentences,
            summary.errors,
            if summary.errors == 1 { "" } else { "s" },
            summary.warnings,
            if summary.warnings == 1 { "" } else { "s" },
            summary.infos
        )?;
        if !summary.lowest.is_empty() {
            writeln!(self.out, "lowest-scoring sentences:")?;
            for (score, file, line, text) in &summary.lowest {
                let short: String = text.chars().take(70).collect();
                let more = if text.chars().count() > 70 { "…" } else { "" };
                writeln!(self.out, "  {score:>3}  {file}:{line}  {short}{more}")?;
            }
        }
        self.out.flush()
    }
}
