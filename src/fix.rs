//! Safe fixes: applying the findings' replacements to a text.

use crate::finding::Finding;

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
