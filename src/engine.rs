//! The engine: runs the active rules over a document's units, moves their spans into
//! document space, labels them, applies masks and removes duplicates.

use crate::detect::{Hit, Scope, Unit};
use crate::finding::Finding;
use crate::pack::{Mask, Rule};
use crate::text::{Document, MatchSet};

/// One pass over each paragraph that tells which pattern rules can match it.
#[derive(Debug)]
pub struct Prefilter {
    set: MatchSet,
    /// Rule id -> index of its pattern in `set`.
    slots: rustc_hash::FxHashMap<String, usize>,
}

impl Prefilter {
    /// A prefilter over the paragraph-scope rules of `rules` that offer a pattern.
    pub fn build(rules: &[Rule]) -> Option<Prefilter> {
        let mut patterns = Vec::new();
        let mut slots = rustc_hash::FxHashMap::default();
        for r in rules {
            if let (Scope::Paragraph, Some(p)) = (r.detector.scope(), r.detector.prefilter()) {
                slots.insert(r.id.clone(), patterns.len());
                patterns.push(p);
            }
        }
        let set = MatchSet::superset(&patterns).ok()?;
        Some(Prefilter { set, slots })
    }

    /// Number of patterns.
    pub fn patterns(&self) -> usize {
        self.set.len()
    }

    /// Sets `matched[i]` for each pattern `i` that matches `text` (`matched` has
    /// [`Self::patterns`] items).
    pub fn matches(&self, text: &str, matched: &mut [bool]) {
        self.set.which(text, matched);
    }
}

/// Runs `rules` over `doc` and returns the findings in document order. With a
/// prefilter, paragraph rules skip the paragraphs their pattern cannot match.
pub fn run(rules: &[&Rule], doc: &Document, prefilter: Option<&Prefilter>) -> Vec<Finding> {
    let mut found: Vec<(usize, Finding)> = Vec::new();
    let mut hits = Vec::new();
    // Paragraph i, pattern j -> matched[i * patterns + j].
    let matched: Option<(Vec<bool>, usize)> = prefilter.map(|pf| {
        let n = pf.patterns();
        let mut matched = vec![false; doc.paragraphs.len() * n];
        for (p, row) in doc.paragraphs.iter().zip(matched.chunks_mut(n.max(1))) {
            pf.matches(&doc.text[p.clone()], row);
        }
        (matched, n)
    });
    // Rule i's pattern in the prefilter, if it has one.
    let slots: Vec<Option<usize>> = rules
        .iter()
        .map(|r| prefilter.and_then(|pf| pf.slots.get(&r.id).copied()))
        .collect();
    let will_run = |rule: &Rule, slot: Option<usize>| match (rule.detector.scope(), slot, &matched)
    {
        (Scope::Paragraph, Some(slot), Some((m, n))) => m.iter().skip(slot).step_by(*n).any(|&b| b),
        _ => true,
    };
    let unprepared: Vec<&Rule> = rules
        .iter()
        .zip(&slots)
        .filter(|(r, &slot)| !r.detector.is_prepared() && will_run(r, slot))
        .map(|(r, _)| *r)
        .collect();
    prepare_in_parallel(&unprepared);
    for (index, (rule, &slot)) in rules.iter().zip(&slots).enumerate() {
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
                        message: hit.message.unwrap_or_else(|| rule.message.clone()),
                        fix: hit.fix,
                        weight: rule.weight,
                    },
                ));
            }
        };
        match rule.detector.scope() {
            Scope::Document => {
                let unit = Unit {
                    text: &doc.text,
                    start: 0,
                    doc,
                };
                rule.detector.check(&unit, &mut hits);
                emit(0, &mut hits);
            }
            Scope::Paragraph => {
                for (i, p) in doc.paragraphs.iter().enumerate() {
                    if let (Some(slot), Some((m, n))) = (slot, &matched) {
                        if !m[i * n + slot] {
                            continue;
                        }
                    }
                    let unit = Unit {
                        text: &doc.text[p.clone()],
                        start: p.start,
                        doc,
                    };
                    rule.detector.check(&unit, &mut hits);
                    emit(p.start, &mut hits);
                }
            }
            Scope::Sentence => {
                for s in &doc.sentences {
                    let unit = Unit {
                        text: &doc.text[s.range.clone()],
                        start: s.range.start,
                        doc,
                    };
                    rule.detector.check(&unit, &mut hits);
                    emit(s.range.start, &mut hits);
                }
            }
        }
    }
    let found = apply_masks(rules, found);
    let mut findings = dedupe(found);
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    drop_overlapping_fixes(&mut findings);
    findings
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
pub fn first_visible(text: &str, span: &std::ops::Range<usize>) -> usize {
    let piece = &text[span.clone()];
    span.start + (piece.len() - piece.trim_start().len()).min(piece.len().saturating_sub(1))
}

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Drops findings hidden by another rule's masks: first by rules that mask everything
/// (boilerplate, furniture), then by category masks of the findings that remain.
fn apply_masks(rules: &[&Rule], found: Vec<(usize, Finding)>) -> Vec<(usize, Finding)> {
    let mut found = found;
    for pass_all in [true, false] {
        let maskers: Vec<(usize, std::ops::Range<usize>)> = found
            .iter()
            .filter(|(r, _)| {
                rules[*r]
                    .masks
                    .iter()
                    .any(|m| (*m == Mask::All) == pass_all)
            })
            .map(|(r, f)| (*r, f.span.clone()))
            .collect();
        if maskers.is_empty() {
            continue;
        }
        found.retain(|(r, f)| {
            !maskers.iter().any(|(mr, span)| {
                mr != r
                    && overlaps(span, &f.span)
                    && rules[*mr].masks.iter().any(|m| match m {
                        Mask::All => pass_all,
                        Mask::Category(c) => !pass_all && *c == f.category,
                    })
            })
        });
    }
    found
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
