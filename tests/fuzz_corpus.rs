//! Every input the fuzzers kept (fuzz/corpus) runs here on every `cargo test`: the whole
//! check pipeline on the `check` corpus, the pack loader on the `rule_pack` corpus.

mod common;

use wirecheck::{fix, Checker, LanguageChoice, RuleSet};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = common::root().join("fuzz/corpus").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn check_corpus_runs_clean() {
    let checker = Checker::builtin();
    let corpus = inputs("check");
    assert!(corpus.len() > 100, "{} inputs", corpus.len());
    for (name, bytes) in &corpus {
        for lang in [LanguageChoice::Auto, LanguageChoice::Fixed("fr".into())] {
            let Ok(report) = checker.check_bytes(bytes, &lang) else {
                continue;
            };
            let text = &report.document.text;
            for f in &report.findings {
                assert!(
                    text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
                    "{name}"
                );
            }
            let _ = wirecheck::report::finding_positions(&report);
            let _ = fix::apply(text, &report.findings);
        }
    }
}

#[test]
fn rule_pack_corpus_loads_or_fails_cleanly() {
    let corpus = inputs("rule_pack");
    assert!(corpus.len() > 50, "{} inputs", corpus.len());
    for (_, bytes) in &corpus {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let mut set = RuleSet::default();
        if set.add_pack("fuzz.toml", text, false).is_ok() {
            for rule in &set.rules {
                let _ = wirecheck::pack::examples::run_rule(&set, rule);
            }
        }
    }
}
