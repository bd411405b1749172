//! Sentence scores: 100 for a clean sentence, minus each finding's weight, floored at 0.

use crate::finding::{Finding, Severity};

/// Score and worst severity of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceScore {
    pub score: u32,
    pub worst: Option<Severity>,
    /// Rule ids found in the sentence, in order of first appearance.
    pub rules: Vec<String>,
}

/// Scores every one of `sentence_count` sentences from `findings`.
pub fn score_sentences(sentence_count: usize, findings: &[Finding]) -> Vec<SentenceScore> {
    let mut scores = vec![
        SentenceScore {
            score: 100,
            worst: None,
            rules: Vec::new()
        };
        sentence_count
    ];
    for f in findings {
        let Some(s) = scores.get_mut(f.sentence) else { continue };
        s.score = s.score.saturating_sub(f.weight);
        s.worst = s.worst.max(Some(f.severity));
        if !s.rules.contains(&f.rule) {
            s.rules.push(f.rule.clone());
        }
    }
    scores
}

/// A document's score: its lowest sentence score (100 for an empty document).
pub fn document_score(scores: &[SentenceScore]) -> u32 {
    scores.iter().map(|s| s.score).min().unwrap_or(100)
}
