//! The whole check pipeline on arbitrary bytes: decoding, segmentation, every rule,
//! positions, fixes. Nothing may panic; spans must lie on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wirecheck::{fix, Checker, LanguageChoice};

fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(Checker::builtin)
}

fuzz_target!(|data: &[u8]| {
    let lang = if data.first().is_some_and(|b| b % 2 == 0) { LanguageChoice::Auto } else { LanguageChoice::Fixed("fr".into()) };
    if let Ok(report) = checker().check_bytes(data, &lang) {
        let text = &report.document.text;
        for f in &report.findings {
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end) && f.span.start <= f.span.end);
        }
        let _ = wirecheck::report::finding_positions(&report);
        let _ = wirecheck::report::sentence_positions(&report);
        let _ = fix::apply(text, &report.findings);
    }
});
