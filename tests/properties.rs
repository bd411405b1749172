//! Properties that hold for any text: no panic, spans on character boundaries, positions
//! that agree with the spans, fixes that never overlap and do not come back once applied,
//! a prefix paragraph that shifts every span by exactly its length, and texts checked in
//! a batch that report what each reports alone.

use proptest::prelude::*;
use wirecheck::{fix, Checker, LanguageChoice};

/// Pieces of wire text, artefacts and hostile characters, glued at random.
const PIECES: &[&str] = &[
    "Le marché",
    " a ",
    "progressé",
    " de 3.5%",
    " DeepSeek ()",
    " 9984.T",
    " .FCHI",
    " <AAPL.O>",
    " (AAPL.O)",
    "\"cité\"",
    " « texte»",
    "font?",
    " A déclaré",
    " le le",
    "Ã©",
    "â€™",
    "&amp;",
    "<br>",
    " - ",
    "  ",
    " .",
    " ,",
    "l' OpenAI",
    "$10 milliards",
    "1,500 personnes",
    "(ouvert",
    "fermé)",
    "\n",
    "\r\n",
    "\n\n",
    "According to",
    " the deal",
    " M. Altman",
    " Mardi",
    "https://bit.ly/x?y=1",
    "\u{FFFD}",
    "\u{0092}",
    "e\u{301}",
    "👩‍👩‍👧",
    "שלום",
    "\u{202F}",
    "\u{A0}",
    "\t",
    "Fermer",
    "0 commentaire",
    "((Traduction automatisée par Reuters))",
    "Vaishnaw",
    " Vaishnav",
    " Vaishnaw",
    ". ",
    "…",
    "\u{0}",
    "«",
    "»",
    "[",
    "]",
    "{",
    "}",
    "’",
];

fn wire_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat()),
        "\\PC{0,120}",
    ]
}

fn checker() -> &'static Checker {
    static C: std::sync::OnceLock<Checker> = std::sync::OnceLock::new();
    C.get_or_init(Checker::builtin)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_are_on_boundaries_and_positions_agree(text in wire_text()) {
        let report = checker().check_text(&text, &LanguageChoice::Fixed("fr".into()));
        let positions = wirecheck::report::finding_positions(&report);
        for (f, (start, end)) in report.findings.iter().zip(positions) {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            // Recount naively: lines end at \n, \r\n or \r; columns count characters.
            for (offset, pos) in [(f.span.start, start), (f.span.end, end)] {
                let before = &text[..offset];
                let line = before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count() + 1;
                let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                prop_assert_eq!((pos.line, pos.column), (line, before[line_start..].chars().count() + 1));
            }
        }
    }

    #[test]
    fn fixes_never_overlap_and_do_not_come_back(text in wire_text()) {
        let lang = LanguageChoice::Fixed("fr".into());
        let report = checker().check_text(&text, &lang);
        let fixes: Vec<_> = report.findings.iter().filter(|f| f.fix.is_some()).collect();
        for pair in fixes.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start, "{:?} overlaps {:?}", pair[0], pair[1]);
        }
        let (fixed, applied) = fix::apply(&text, &report.findings);
        prop_assert_eq!(applied, fixes.len());
        // Where each fix landed in the new text, the same rule finds nothing to fix again.
        let after = checker().check_text(&fixed, &lang);
        let mut shift: isize = 0;
        for f in &fixes {
            let replacement = f.fix.as_deref().unwrap();
            let at = (f.span.start as isize + shift) as usize;
            let landed = at..at + replacement.len();
            prop_assert!(
                !after.findings.iter().any(|g| g.rule == f.rule && g.span == landed && g.fix.as_deref() == Some(replacement)),
                "{} came back at {:?} in {:?}", f.rule, landed, fixed
            );
            shift += replacement.len() as isize - f.span.len() as isize;
        }
    }

    #[test]
    fn a_batch_reports_what_each_text_reports_alone(texts in prop::collection::vec(wire_text(), 0..5)) {
        for lang in [LanguageChoice::Auto, LanguageChoice::Fixed("fr".into())] {
            let decoded = texts.iter().map(|t| wirecheck::input::Decoded::from_text(t.clone()));
            let together = checker().check_batch(decoded.collect(), &lang);
            prop_assert_eq!(together.len(), texts.len());
            for (text, report) in texts.iter().zip(&together) {
                let alone = checker().check_text(text, &lang);
                prop_assert_eq!(&alone.findings, &report.findings);
                prop_assert_eq!(&alone.scores, &report.scores);
            }
        }
    }

    #[test]
    fn a_prefix_paragraph_shifts_every_span(text in wire_text()) {
        let lang = LanguageChoice::Fixed("fr".into());
        let prefix = "Un préambule sans défaut.\n";
        let plain = checker().check_text(&text, &lang);
        let shifted = checker().check_text(&format!("{prefix}{text}"), &lang);
        let a: Vec<_> = plain.findings.iter().map(|f| (f.rule.clone(), f.span.start + prefix.len(), f.span.end + prefix.len())).collect();
        let b: Vec<_> = shifted.findings.iter().map(|f| (f.rule.clone(), f.span.start, f.span.end)).collect();
        prop_assert_eq!(a, b);
    }
}
