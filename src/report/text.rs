//! The text output for people: `path:line:col: severity[rule] message`, then the line
//! with the span underlined, and the fix when there is one.

use std::fmt::Write as _;

use crate::Report;

/// ANSI styles, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Renders every finding of `report` for the file named `file`.
pub fn render(file: &str, report: &Report, style: Style) -> String {
    let mut out = String::new();
    let doc = &report.document;
    for (f, (start, end)) in report.findings.iter().zip(super::finding_positions(report)) {
        let sev = match f.severity {
            crate::Severity::Error => style.paint("1;31", "error"),
            crate::Severity::Warning => style.paint("1;33", "warning"),
            crate::Severity::Info => style.paint("1;36", "info"),
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            file, start.line, start.column, sev, f.rule, f.message
        );
        let line_index = start.line - 1;
        let line_start = doc.lines.line_start(line_index);
        let line_end = doc.text[line_start..]
            .find(['\n', '\r'])
            .map_or(doc.text.len(), |e| line_start + e);
        let line = &doc.text[line_start..line_end];
        let end_col = if end.line == start.line {
            end.column
        } else {
            line.chars().count() + 1
        };
        let width = end_col.saturating_sub(start.column).max(1);
        let _ = writeln!(out, "  | {}", line.replace('\t', " "));
        let _ = writeln!(
            out,
            "  | {}{}",
            " ".repeat(start.column - 1),
            style.paint("1;31", &"^".repeat(width))
        );
        if let Some(fix) = &f.fix {
            let shown = if fix.is_empty() {
                "(delete)".to_string()
            } else {
                format!("{fix:?}")
            };
            let _ = writeln!(out, "  = fix: {}", style.paint("32", &shown));
        }
    }
    out
}
