//! Sentence scores: 100 for a clean sentence, minus the weight of each finding that
//! touches it, floored at 0. A finding that spans several sentences (a quotation of two
//! sentences in straight quotes) costs each of them.

use crate::finding::{Finding, Severity};
use crate::text::Sentence;
use crate::SharedStr;
use smallvec::SmallVec;

/// Score and worst severity of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceScore {
    pub score: u32,
    pub worst: Option<Severity>,
    /// Rule ids found in the sentence, in order of first appearance (the first two held
    /// inline: most sentences with a finding have one or two rules, and no allocation).
    pub rules: SmallVec<[SharedStr; 2]>,
}

/// Scores every sentence from `findings`.
pub fn score_sentences(sentences: &[Sentence], findings: &[Finding]) -> Vec<SentenceScore> {
    let mut scores = vec![
        SentenceScore {
            score: 100,
            worst: None,
            rules: SmallVec::new()
        };
        sentences.len()
    ];
    for f in findings {
        let last = sentences.partition_point(|s| s.range.start < f.span.end.max(f.span.start + 1));
        for (i, s) in scores.iter_mut().enumerate().take(last).skip(f.sentence) {
            if i > f.sentence && sentences[i].range.start >= f.span.end {
                break;
            }
            s.score = s.score.saturating_sub(f.weight);
            s.worst = s.worst.max(Some(f.severity));
            if !s.rules.contains(&f.rule) {
                s.rules.push(f.rule.clone());
            }
        }
    }
    scores
}

/// A document's score: its lowest sentence score (100 for an empty document).
pub fn document_score(scores: &[SentenceScore]) -> u32 {
    scores.iter().map(|s| s.score).min().unwrap_or(100)
}
