//! The engine: runs the active rules over a document's units, moves their spans into
//! document space, labels them, applies masks and removes duplicates.

use std::ops::Range;

use crate::detect::{Hit, Scope, Unit};
use crate::finding::Finding;
use crate::pack::{Mask, Rule};
use crate::text::{Document, LastEnd, MatchSet};
use crate::SharedStr;

/// One pass over each paragraph that tells which pattern rules can match it.
#[derive(Debug)]
pub struct Prefilter {
    set: MatchSet,
    /// Rule id -> index of its pattern in `set`.
    slots: rustc_hash::FxHashMap<SharedStr, usize>,
}

impl Prefilter {
    /// A prefilter over the rules of `rules` that it can screen (see [`Self::pattern_of`]).
    pub fn build(rules: &[Rule]) -> Option<Prefilter> {
        let mut patterns = Vec::new();
        let mut slots = rustc_hash::FxHashMap::default();
        for r in rules {
            if let Some(p) = Self::pattern_of(r) {
                slots.insert(r.id.clone(), patterns.len());
                patterns.push(p);
            }
        }
        let set = MatchSet::superset(&patterns).ok()?;
        Some(Prefilter { set, slots })
    }

    /// The pattern the screen matches for `rule`: a paragraph rule's prefilter, if it
    /// has one.
    pub fn pattern_of(rule: &Rule) -> Option<&str> {
        match rule.detector.scope() {
            Scope::Paragraph => rule.detector.prefilter(),
            _ => None,
        }
    }

    /// Number of patterns.
    pub fn patterns(&self) -> usize {
        self.set.len()
    }

    /// Sets `matched[i]` to where pattern `i` last matches in `text` (`matched` has
    /// [`Self::patterns`] items).
    pub fn matches(&self, text: &str, matched: &mut [LastEnd]) {
        self.set.which(text, matched);
    }

    /// [`Self::matches`] for each of `texts`, into columns: pattern `i` in text `t` at
    /// `matched[i * texts.len() + t]`.
    pub fn matches_each<'t>(
        &self,
        texts: impl ExactSizeIterator<Item = &'t str>,
        matched: &mut [LastEnd],
    ) {
        self.set.which_each(texts, matched);
    }
}

/// Runs `rules` over `doc` and returns the findings in document order. With a
/// prefilter, paragraph rules skip the paragraphs their pattern cannot match.
pub fn run(rules: &[&Rule], doc: &Document, prefilter: Option<&Prefilter>) -> Vec<Finding> {
    let all = vec![true; rules.len()];
    let mut out = run_batch(rules, &[(doc, &all)], prefilter);
    out.pop().unwrap_or_default()
}

/// [`run`] over a batch of documents, a rule at a time: each rule (and the rule screen)
/// works through the whole batch while its tables and automata are in the cache.
/// `docs` pairs each document with the rules of `rules` that apply to it (`active[i]`
/// for `rules[i]`); the findings of each document come back in its order.
pub fn run_batch(
    rules: &[&Rule],
    docs: &[(&Document, &[bool])],
    prefilter: Option<&Prefilter>,
) -> Vec<Vec<Finding>> {
    // Rule i's pattern in the prefilter, if it has one.
    let slots: Vec<Option<usize>> = rules
        .iter()
        .map(|r| prefilter.and_then(|pf| pf.slots.get(&*r.id).copied()))
        .collect();
    let screens: Vec<Option<Screen>> = docs
        .iter()
        .map(|(doc, _)| prefilter.map(|pf| Screen::new(pf, doc)))
        .collect();
    let runs_on = |i: usize, d: usize| docs[d].1[i] && will_run(rules[i], slots[i], &screens[d]);
    let unprepared: Vec<&Rule> = (0..rules.len())
        .filter(|&i| !rules[i].detector.is_prepared() && (0..docs.len()).any(|d| runs_on(i, d)))
        .map(|i| rules[i])
        .collect();
    prepare_in_parallel(&unprepared);
    // Sized for about one finding every 256 bytes (the bench's wires have one every 270):
    // a document's list seldom grows, each growth a copy.
    let mut found: Vec<Vec<(usize, Finding)>> = docs
        .iter()
        .map(|(doc, _)| Vec::with_capacity(doc.text.len() / 256 + 4))
        .collect();
    let mut hits = Vec::new();
    for (index, (rule, &slot)) in rules.iter().zip(&slots).enumerate() {
        for (((doc, active), screen), found) in docs.iter().zip(&screens).zip(&mut found) {
            let screened = slot.zip(screen.as_ref());
            if active[index] && screened.is_none_or(|(s, screen)| screen.any(s)) {
                let passing = screened.map(|(s, screen)| screen.column(s));
                run_rule(index, rule, doc, passing, &mut hits, found);
            }
        }
    }
    found
        .into_iter()
        .map(|found| finish(rules, found))
        .collect()
}

/// A document's findings in document order: masked, without duplicates, with no
/// overlapping fixes.
fn finish(rules: &[&Rule], found: Vec<(usize, Finding)>) -> Vec<Finding> {
    let mut findings = dedupe(apply_masks(rules, found));
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    drop_overlapping_fixes(&mut findings);
    findings
}

/// What the rule screen says of one document: pattern j, paragraph i ->
/// `matched[j * paragraphs + i]` (a pattern's paragraphs side by side: a rule finds the
/// few it runs on in one short slice).
struct Screen {
    matched: Vec<LastEnd>,
    paragraphs: usize,
    /// Does pattern `j` pass any paragraph? (Most pass none: their rules skip the
    /// document without a look at its paragraphs.)
    any: Vec<bool>,
}

impl Screen {
    fn new(prefilter: &Prefilter, doc: &Document) -> Screen {
        let paragraphs = doc.paragraphs.len();
        let mut matched = vec![LastEnd::NONE; paragraphs * prefilter.patterns()];
        let texts = doc.paragraphs.iter().map(|p| &doc.text[p.clone()]);
        prefilter.matches_each(texts, &mut matched);
        // Without a branch a paragraph: columns are short, and a fold the compiler
        // vectorises costs less than an early exit.
        let any = match paragraphs {
            0 => vec![false; prefilter.patterns()],
            _ => matched
                .chunks_exact(paragraphs)
                .map(|column| column.iter().fold(false, |any, m| any | m.matched()))
                .collect(),
        };
        Screen {
            matched,
            paragraphs,
            any,
        }
    }

    /// Which paragraphs pass pattern `slot`, and where its matches end in each.
    fn column(&self, slot: usize) -> &[LastEnd] {
        &self.matched[slot * self.paragraphs..(slot + 1) * self.paragraphs]
    }

    /// Does any paragraph pass pattern `slot`?
    fn any(&self, slot: usize) -> bool {
        self.any[slot]
    }
}

/// Will `rule` (whose pattern is `slot` in the prefilter, if any) run on a document?
fn will_run(rule: &Rule, slot: Option<usize>, screen: &Option<Screen>) -> bool {
    match (rule.detector.scope(), slot, screen) {
        (Scope::Paragraph, Some(slot), Some(screen)) => screen.any(slot),
        _ => true,
    }
}

/// Runs one rule (number `index`) over the units of `doc` (of its paragraphs, those
/// that `passing` marks as matched, or all without it), pushing its findings to `found`.
fn run_rule(
    index: usize,
    rule: &Rule,
    doc: &Document,
    passing: Option<&[LastEnd]>,
    hits: &mut Vec<Hit>,
    found: &mut Vec<(usize, Finding)>,
) {
    let mut emit = |unit_start: usize, hits: &mut Vec<Hit>| {
        for hit in hits.drain(..) {
            let span = unit_start + hit.span.start..unit_start + hit.span.end;
            debug_assert!(
                doc.text.is_char_boundary(span.start) && doc.text.is_char_boundary(span.end)
            );
            found.push((
                index,
                Finding {
                    sentence: doc.sentence_at(first_visible(&doc.text, &span)),
                    span,
                    rule: rule.id.clone(),
                    category: rule.category,
                    severity: rule.severity,
                    message: hit
                        .message
                        .map_or_else(|| rule.message.clone(), SharedStr::from),
                    fix: hit.fix,
                    weight: rule.weight,
                },
            ));
        }
    };
    let mut check = |range: Range<usize>,
                     words: Range<usize>,
                     screened_end: Option<usize>,
                     hits: &mut Vec<Hit>| {
        let mut unit = Unit::with_words(doc, range.clone(), &doc.words[words]);
        unit.screened_end = screened_end;
        rule.detector.check(&unit, hits);
        emit(range.start, hits);
    };
    match rule.detector.scope() {
        Scope::Document => check(0..doc.text.len(), 0..doc.words.len(), None, hits),
        Scope::Paragraph => match passing {
            None => {
                for (p, words) in doc.paragraphs.iter().zip(&doc.paragraph_words) {
                    check(p.clone(), words.clone(), None, hits);
                }
            }
            Some(passing) => {
                for (i, mark) in passing.iter().enumerate().filter(|(_, m)| m.matched()) {
                    let (p, words) = (&doc.paragraphs[i], &doc.paragraph_words[i]);
                    check(p.clone(), words.clone(), mark.end(), hits);
                }
            }
        },
        Scope::Sentence => {
            for s in &doc.sentences {
                check(s.range.clone(), s.words.clone(), None, hits);
            }
        }
    }
}

/// Prepares `rules` (the first document's: their regexes compile on first use) on two
/// threads, one from each end of the list.
fn prepare_in_parallel(rules: &[&Rule]) {
    if rules.len() < 2 {
        rules.iter().for_each(|r| r.detector.prepare());
        return;
    }
    std::thread::scope(|scope| {
        scope.spawn(|| rules.iter().rev().for_each(|r| r.detector.prepare()));
        rules.iter().for_each(|r| r.detector.prepare());
    });
}

/// Offset of the first non-space character of `span` (a span may start with the space it deletes).
pub fn first_visible(text: &str, span: &Range<usize>) -> usize {
    let piece = &text[span.clone()];
    span.start + (piece.len() - piece.trim_start().len()).min(piece.len().saturating_sub(1))
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Drops findings hidden by another rule's masks: first by rules that mask everything
/// (boilerplate, furniture), then by category masks of the findings that remain.
fn apply_masks(rules: &[&Rule], found: Vec<(usize, Finding)>) -> Vec<(usize, Finding)> {
    let mut found = found;
    for pass_all in [true, false] {
        let mut maskers = maskers(rules, &found, pass_all);
        if maskers.is_empty() {
            continue;
        }
        // Sorted by start, with the furthest end reached so far: the maskers a span can
        // overlap are found by two binary searches, not by a scan of them all (a 10 MB
        // document has thousands of maskers and findings).
        maskers.sort_by_key(|(_, span)| span.start);
        let reach: Vec<usize> = maskers
            .iter()
            .scan(0, |reach, (_, span)| {
                *reach = (*reach).max(span.end.max(span.start + 1));
                Some(*reach)
            })
            .collect();
        found.retain(|finding| {
            let span = &finding.1.span;
            let first = reach.partition_point(|&end| end <= span.start);
            let last = maskers.partition_point(|(_, m)| m.start < span.end.max(span.start + 1));
            !maskers[first..last.max(first)]
                .iter()
                .any(|masker| hides(rules, pass_all, masker, finding))
        });
    }
    found
}

/// The rule and span of each finding whose rule masks everything (`pass_all`) or some
/// categories.
fn maskers(
    rules: &[&Rule],
    found: &[(usize, Finding)],
    pass_all: bool,
) -> Vec<(usize, Range<usize>)> {
    found
        .iter()
        .filter(|(r, _)| {
            rules[*r]
                .masks
                .iter()
                .any(|m| (*m == Mask::All) == pass_all)
        })
        .map(|(r, f)| (*r, f.span.clone()))
        .collect()
}

/// Does the finding of rule `masker` on `span` hide the finding `f` of another rule?
fn hides(
    rules: &[&Rule],
    pass_all: bool,
    (masker, span): &(usize, Range<usize>),
    (rule, f): &(usize, Finding),
) -> bool {
    masker != rule
        && overlaps(span, &f.span)
        && rules[*masker].masks.iter().any(|m| match m {
            Mask::All => pass_all,
            Mask::Category(c) => !pass_all && *c == f.category,
        })
}

/// Keeps one fix where fixes overlap (the first in document order): the finding stays,
/// its suggestion goes, and a later `--fix` pass fixes it once the first fix is in.
fn drop_overlapping_fixes(findings: &mut [Finding]) {
    let mut fixed_until = 0;
    for f in findings.iter_mut().filter(|f| f.fix.is_some()) {
        if f.span.start < fixed_until
            || (f.span.is_empty() && f.span.start == fixed_until && fixed_until > 0)
        {
            f.fix = None;
        } else {
            fixed_until = f.span.end;
        }
    }
}

/// One finding per artefact and span: of findings of one category on the very same
/// span, keeps the most severe (then the one of the earlier rule).
fn dedupe(mut found: Vec<(usize, Finding)>) -> Vec<Finding> {
    found.sort_by(|(ra, a), (rb, b)| {
        (a.span.start, a.span.end, a.category)
            .cmp(&(b.span.start, b.span.end, b.category))
            .then(b.severity.cmp(&a.severity))
            .then(ra.cmp(rb))
    });
    found.dedup_by(|(_, later), (_, kept)| {
        later.span == kept.span && later.category == kept.category
    });
    found.into_iter().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::RuleSet;

    /// The masks as they were first written: every finding against every masker.
    fn masked_by_scan(rules: &[&Rule], found: &[(usize, Finding)]) -> Vec<(usize, Finding)> {
        let mut found = found.to_vec();
        for pass_all in [true, false] {
            let maskers = maskers(rules, &found, pass_all);
            found.retain(|f| !maskers.iter().any(|m| hides(rules, pass_all, m, f)));
        }
        found
    }

    #[test]
    fn masks_hide_the_same_findings_as_a_scan_of_every_masker() {
        let set = RuleSet::builtin();
        let rules: Vec<&Rule> = set.rules.iter().collect();
        assert!(rules.iter().any(|r| r.masks.contains(&Mask::All)));
        assert!(rules
            .iter()
            .any(|r| r.masks.iter().any(|m| *m != Mask::All)));
        // Findings of random rules on random spans (empty, short and long ones).
        let mut next = crate::testing::sequence(7);
        let mut hidden = 0;
        for _ in 0..300 {
            let found: Vec<(usize, Finding)> = (0..next(40))
                .map(|_| {
                    let r = next(rules.len());
                    let start = next(200);
                    let len = [0, 1, 3, 10, 80][next(5)];
                    let finding = Finding {
                        span: start..start + len,
                        rule: rules[r].id.clone(),
                        category: rules[r].category,
                        severity: rules[r].severity,
                        message: SharedStr::default(),
                        fix: None,
                        weight: 1,
                        sentence: 0,
                    };
                    (r, finding)
                })
                .collect();
            let expected = masked_by_scan(&rules, &found);
            hidden += found.len() - expected.len();
            assert_eq!(apply_masks(&rules, found), expected);
        }
        assert!(hidden > 100, "the masks hid only {hidden} findings");
    }
}
