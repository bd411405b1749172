//! Every rule of the built-in packs tests itself: each `bad` example is flagged with the
//! exact excerpt (and fixed to the exact text), each `good` example is left alone.

use wirecheck::pack::examples;
use wirecheck::RuleSet;

#[test]
fn every_builtin_rule_passes_its_own_examples() {
    let set = RuleSet::builtin();
    let failures = examples::run_all(&set);
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} example failures:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_bad_and_good_examples() {
    let set = RuleSet::builtin();
    assert!(
        set.rules.len() >= 30,
        "only {} rules loaded",
        set.rules.len()
    );
    for rule in &set.rules {
        assert!(
            !rule.bad.is_empty() && !rule.good.is_empty(),
            "{} lacks examples",
            rule.id
        );
    }
}

#[test]
fn a_shifted_example_shifts_every_span_by_the_prefix() {
    // nlprule's check: a prefix paragraph moves spans by exactly its length, no more, no less.
    let checker = wirecheck::Checker::builtin();
    let lang = wirecheck::LanguageChoice::Fixed("fr".into());
    let set = &checker.rules;
    let prefix = "Un préambule sans défaut aucun.\n";
    for rule in &set.rules {
        for bad in &rule.bad {
            let plain = checker.check_text(&bad.text, &lang);
            let shifted = checker.check_text(&format!("{prefix}{}", bad.text), &lang);
            let a: Vec<_> = plain
                .findings
                .iter()
                .map(|f| {
                    (
                        f.rule.clone(),
                        f.span.start + prefix.len(),
                        f.span.end + prefix.len(),
                    )
                })
                .collect();
            let b: Vec<_> = shifted
                .findings
                .iter()
                .map(|f| (f.rule.clone(), f.span.start, f.span.end))
                .collect();
            assert_eq!(a, b, "rule {} example {:?}", rule.id, bad.text);
        }
    }
}
