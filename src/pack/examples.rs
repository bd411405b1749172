//! Runs every rule's own `bad` and `good` examples: the rule alone must flag each bad
//! text with the exact excerpt (and, if given, fix it to the exact fixed text), and must
//! leave each good text alone.

use super::{Rule, RuleSet};
use crate::text::Document;

/// One example that did not behave as its rule file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    pub problem: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.rule, self.origin, self.problem)
    }
}

/// Checks the examples of every rule in `set`.
pub fn run_all(set: &RuleSet) -> Vec<ExampleFailure> {
    set.rules.iter().flat_map(|r| run_rule(set, r)).collect()
}

/// Checks the examples of one rule.
pub fn run_rule(set: &RuleSet, rule: &Rule) -> Vec<ExampleFailure> {
    let segmenter = set
        .languages
        .get(&rule.language)
        .map_or(&set.common_segmenter, |l| &l.segmenter);
    // Bad examples go through the rule set's prefilter, as checked text does, so that a
    // prefilter that misses a rule's matches fails them; good ones are checked in full.
    let check_with = |text: &str, prefilter| {
        let doc = Document::new(text.to_string(), segmenter);
        let findings = crate::engine::run(&[rule], &doc, prefilter);
        (doc, findings)
    };
    let check = |text: &str| check_with(text, None);
    let fail = |problem: String| ExampleFailure {
        rule: rule.id.to_string(),
        origin: rule.origin.clone(),
        problem,
    };
    let mut failures = Vec::new();
    for bad in &rule.bad {
        let (doc, findings) = check_with(&bad.text, set.prefilter());
        let excerpts: Vec<&str> = findings.iter().map(|f| &doc.text[f.span.clone()]).collect();
        if !excerpts.contains(&bad.flag.as_str()) {
            failures.push(fail(format!(
                "bad example {:?}: expected to flag {:?}, flagged {:?}",
                bad.text, bad.flag, excerpts
            )));
            continue;
        }
        if let Some(fixed) = &bad.fixed {
            let (got, _) = crate::fix::apply(&doc.text, &findings);
            if &got != fixed {
                failures.push(fail(format!(
                    "bad example {:?}: fix gives {:?}, expected {:?}",
                    bad.text, got, fixed
                )));
            }
        }
    }
    for good in &rule.good {
        let (doc, findings) = check(&good.text);
        if !findings.is_empty() {
            let excerpts: Vec<&str> = findings.iter().map(|f| &doc.text[f.span.clone()]).collect();
            failures.push(fail(format!(
                "good example {:?}: flagged {:?}",
                good.text, excerpts
            )));
        }
    }
    failures
}
