//! Safe fixes: applying the findings' replacements to a text, to a fixed point, and
//! writing a fixed file atomically.

use std::io::Write;
use std::path::Path;

use crate::finding::Finding;
use crate::{Checker, LanguageChoice};

/// Applies every fix of `findings` to `text`. Fixes that overlap an earlier one are
/// skipped, so each byte is changed by one fix at most. Returns the new text and the
/// number of fixes applied.
pub fn apply(text: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<(&std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter_map(|f| f.fix.as_deref().map(|r| (&f.span, r)))
        .collect();
    fixes.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for (span, replacement) in fixes {
        if span.start < at {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push_str(replacement);
        at = span.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// At most this many passes: fixes skipped for overlapping an earlier one get their turn.
const MAX_PASSES: usize = 8;

/// What [`fix_all`] did.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// The findings of the fixed text (what is left for the editor).
    pub remaining: Vec<Finding>,
}

/// Checks and fixes `text` until no fix is left (eight passes at most). The last check
/// is the one of the fixed text, so its findings come back with it.
pub fn fix_all(checker: &Checker, text: &str, choice: &LanguageChoice) -> Fixed {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let report = checker.check_text(&current, choice);
        let (next, n) = apply(&current, &report.findings);
        if n == 0 {
            return Fixed {
                text: current,
                applied,
                remaining: report.findings,
            };
        }
        applied += n;
        current = next;
    }
    let remaining = checker.check_text(&current, choice).findings;
    Fixed {
        text: current,
        applied,
        remaining,
    }
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file's bytes are not those that were checked.
    ChangedOnDisk,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ChangedOnDisk => {
                f.write_str("changed on disk since it was read, not fixed")
            }
            WriteError::Io(e) => write!(f, "cannot write the fixed file: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Replaces `path` by `bytes` atomically: a temporary file in the same folder, with the
/// original's permissions, renamed over it, and only if the file still holds `original`.
pub fn write_atomically(path: &Path, original: &[u8], bytes: &[u8]) -> Result<(), WriteError> {
    let current = std::fs::read(path).map_err(WriteError::Io)?;
    if current != original {
        return Err(WriteError::ChangedOnDisk);
    }
    let permissions = std::fs::metadata(path)
        .map_err(WriteError::Io)?
        .permissions();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".wirecheck-")
        .tempfile_in(dir)
        .map_err(WriteError::Io)?;
    tmp.write_all(bytes).map_err(WriteError::Io)?;
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    std::fs::set_permissions(tmp.path(), permissions).map_err(WriteError::Io)?;
    tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// A unified diff of `old` and `new`, with `name` as both file names.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
