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

/// The part of `line` shown for a span of columns `[start, end)` (1-based), and the
/// span's columns within it.
fn window(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let from = start.saturating_sub(1 + CONTEXT);
    let to = (end - 1 + CONTEXT).min(chars.len());
    let mut shown: String = chars[from..to].iter().collect();
    let mut offset = from;
    if from > 0 {
        shown.insert(0, '…');
        offset -= 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    (shown, start - offset, end - offset)
}

impl Printer for TextPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        let doc = &report.document;
        let (source, lines) = match &doc.origin {
            Some(o) => (o.source.as_str(), &o.lines),
            None => (doc.text.as_str(), &doc.lines),
        };
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let head = format!(
                "{name}:{}:{}: {}[{}] {}",
                start.line,
                start.column,
                self.severity(f.severity),
                f.rule,
                f.message
            );
            writeln!(self.out, "{head}")?;
            let line_start = lines.line_start(start.line - 1);
            let line_end = source[line_start..]
                .find(['\n', '\r'])
                .map_or(source.len(), |e| line_start + e);
            let line = &source[line_start..line_end];
            let end_col = if end.line == start.line {
                end.column
            } else {
                line.chars().count() + 1
            };
            let (shown, s, e) = window(line, start.column, end_col.max(start.column));
            let gutter = start.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(self.out, "{} |", pad)?;
            writeln!(self.out, "{} | {}", self.paint("1;34", &gutter), shown)?;
            let marks = self.paint("1;31", &"^".repeat((e - s).max(1)));
            writeln!(self.out, "{} | {}{}", pad, " ".repeat(s - 1), marks)?;
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
