//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…::…` annotation per
//! finding (`error`, `warning`, or `notice` for info).

use std::io::{self, Write};

use super::{finding_positions, Printer, Summary};
use crate::{Report, Severity};

/// The GitHub annotations printer.
pub struct GithubPrinter {
    out: super::Sink,
}

impl GithubPrinter {
    /// A printer writing to `out`.
    pub fn new(out: super::Sink) -> Self {
        GithubPrinter { out }
    }
}

/// Escapes a workflow-command message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Printer for GithubPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        let out = &mut self.out;
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(name),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&f.rule),
                escape_data(&f.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
