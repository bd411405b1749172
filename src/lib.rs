//! wirecheck: finds machine-translation artefacts in news wires, scores every sentence
//! and reports the findings.
//!
//! ```
//! use wirecheck::{Checker, LanguageChoice};
//! let checker = Checker::builtin();
//! let report = checker.check_text("La startup DeepSeek () a levé des fonds.", &LanguageChoice::Fixed("fr".into()));
//! assert_eq!(report.findings[0].rule, "common.empty-brackets");
//! ```

pub mod baseline;
pub mod config;
pub mod detect;
pub mod engine;
pub mod error;
pub mod finding;
pub mod fix;
pub mod input;
pub mod language;
pub mod pack;
pub mod report;
pub mod score;
pub mod shared_str;
pub mod text;
mod word_filter;
pub mod wordlist;

pub use finding::{Category, Finding, Severity};
pub use pack::{PackError, Rule, RuleSet};
pub use score::SentenceScore;
pub use shared_str::SharedStr;

use text::Document;

/// Which language pack checks a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LanguageChoice {
    /// Decide per document with whatlang; common rules only when no pack matches.
    Auto,
    /// A pack's language code (`fr`); an unknown code means common rules only.
    Fixed(String),
}

/// One checked document.
#[derive(Debug, Clone)]
pub struct Report {
    pub document: Document,
    /// The pack language used, if any.
    pub language: Option<String>,
    /// Findings in document order.
    pub findings: Vec<Finding>,
    /// One score per sentence of `document.sentences`.
    pub scores: Vec<SentenceScore>,
}

impl Report {
    /// The document's score: its lowest sentence score.
    pub fn score(&self) -> u32 {
        score::document_score(&self.scores)
    }

    /// Keeps the findings `keep` accepts and scores the sentences again.
    pub fn retain_findings(&mut self, keep: impl FnMut(&Finding) -> bool) {
        self.findings.retain(keep);
        self.scores = score::score_sentences(&self.document.sentences, &self.findings);
    }
}

/// A rule set ready to check documents. Cheap to share between threads.
#[derive(Debug)]
pub struct Checker {
    pub rules: RuleSet,
    /// Rule ids switched off.
    pub disabled: std::collections::HashSet<String>,
    /// Whole categories switched off.
    pub disabled_categories: std::collections::HashSet<Category>,
    picker: language::LanguagePicker,
}

impl Checker {
    /// A checker with the built-in packs.
    pub fn builtin() -> Self {
        Checker::new(RuleSet::builtin())
    }

    /// A checker with `rules`.
    pub fn new(rules: RuleSet) -> Self {
        Checker {
            picker: language::LanguagePicker::new(&rules),
            rules,
            disabled: Default::default(),
            disabled_categories: Default::default(),
        }
    }

    /// Compiles the regexes of whole-document rules, which every document runs, that would
    /// otherwise compile on first use: on a second thread, while the checking thread
    /// builds the rule screen. The first document's other rules compile on two threads
    /// once the screen has told which it needs.
    pub fn prepare(&self) {
        let rules = &self.rules.rules;
        for rule in rules
            .iter()
            .filter(|r| r.detector.scope() == detect::Scope::Document)
        {
            rule.detector.prepare();
        }
    }

    /// Picks the pack language for `text`.
    pub fn language_of(&self, text: &str, choice: &LanguageChoice) -> Option<String> {
        let prefix = &text[..detect::floor_boundary(text, language::PREFIX)];
        self.language_with_words(text, &text::words::words(prefix), choice)
    }

    /// [`Self::language_of`] for a text already tokenised (`words` of `text`, or of its start).
    fn language_with_words(
        &self,
        text: &str,
        words: &[text::words::Word],
        choice: &LanguageChoice,
    ) -> Option<String> {
        match choice {
            LanguageChoice::Fixed(code) => self
                .rules
                .languages
                .contains_key(code)
                .then(|| code.clone()),
            LanguageChoice::Auto => self
                .picker
                .pick(&self.rules, text, words)
                .map(|l| l.code.clone()),
        }
    }

    /// Checks a decoded text.
    pub fn check_text(&self, text: &str, choice: &LanguageChoice) -> Report {
        self.check_decoded(input::Decoded::from_text(text.to_string()), choice)
    }

    /// Checks raw file bytes (decoding them first).
    pub fn check_bytes(
        &self,
        bytes: &[u8],
        choice: &LanguageChoice,
    ) -> Result<Report, input::DecodeError> {
        Ok(self.check_decoded(input::decode(bytes)?, choice))
    }

    /// Checks a decoded text, reporting its invalid bytes too.
    pub fn check_decoded(&self, decoded: input::Decoded, choice: &LanguageChoice) -> Report {
        let mut reports = self.check_batch(vec![decoded], choice);
        reports.pop().expect("one report per text")
    }

    /// [`Self::check_decoded`] for many texts, which the rules go through one rule at a
    /// time (see [`engine::run_batch`]): faster than one text at a time.
    pub fn check_batch(&self, texts: Vec<input::Decoded>, choice: &LanguageChoice) -> Vec<Report> {
        let prepared: Vec<(Document, Option<String>)> = texts
            .into_iter()
            .map(|d| self.prepare_document(d, choice))
            .collect();
        let rules: Vec<&Rule> = self
            .rules
            .rules
            .iter()
            .filter(|r| {
                !self.disabled.contains(&*r.id) && !self.disabled_categories.contains(&r.category)
            })
            .collect();
        let active: Vec<Vec<bool>> = prepared
            .iter()
            .map(|(_, language)| {
                rules
                    .iter()
                    .map(|r| r.applies_to(language.as_deref()))
                    .collect()
            })
            .collect();
        let docs: Vec<(&Document, &[bool])> = prepared
            .iter()
            .zip(&active)
            .map(|((doc, _), active)| (doc, active.as_slice()))
            .collect();
        // The screen serves only the rules it has a pattern for: with all of them
        // switched off, it is neither built nor walked.
        let screened = rules
            .iter()
            .any(|r| engine::Prefilter::pattern_of(r).is_some());
        let prefilter = screened.then(|| self.rules.prefilter()).flatten();
        let findings = engine::run_batch(&rules, &docs, prefilter);
        prepared
            .into_iter()
            .zip(findings)
            .map(|((document, language), findings)| Self::report(document, language, findings))
            .collect()
    }

    /// Tokenises, picks the language and splits a text into sentences.
    fn prepare_document(
        &self,
        decoded: input::Decoded,
        choice: &LanguageChoice,
    ) -> (Document, Option<String>) {
        // Tokenised once: the language vote reads the words of the start.
        let words = text::words::words(&decoded.text);
        let language = self.language_with_words(&decoded.text, &words, choice);
        let segmenter = language
            .as_ref()
            .and_then(|l| self.rules.languages.get(l))
            .map_or(&self.rules.common_segmenter, |l| &l.segmenter);
        let mut document = Document::with_words(decoded.text, words, segmenter);
        document.invalid_bytes = decoded
            .invalid
            .into_iter()
            .map(|i| (i.offset, i.bytes))
            .collect();
        (document, language)
    }

    /// The report of a document from its findings: furniture and boilerplate lines become
    /// sentences of their own, then every sentence is scored.
    fn report(
        mut document: Document,
        language: Option<String>,
        mut findings: Vec<Finding>,
    ) -> Report {
        let blocks: Vec<_> = findings
            .iter()
            .filter(|f| {
                matches!(
                    f.category,
                    Category::PageFurniture | Category::WireBoilerplate
                )
            })
            .map(|f| f.span.clone())
            .collect();
        if document.merge_sentences(&blocks) {
            for f in &mut findings {
                f.sentence = document.sentence_at(engine::first_visible(&document.text, &f.span));
            }
        }
        let scores = score::score_sentences(&document.sentences, &findings);
        Report {
            document,
            language,
            findings,
            scores,
        }
    }
}

/// Helpers of the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A fixed pseudo-random sequence (a linear congruential generator seeded with
    /// `seed`): each call gives a number below `n`.
    pub fn sequence(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |n| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preparing_on_one_thread_while_checking_on_another_changes_nothing() {
        let seed = include_str!("../data/samples/fr-seed.txt");
        let fr = LanguageChoice::Fixed("fr".into());
        let expected = Checker::builtin().check_text(seed, &fr).findings;
        let checker = Checker::builtin();
        let findings = std::thread::scope(|scope| {
            scope.spawn(|| checker.prepare());
            checker.check_text(seed, &fr).findings
        });
        assert!(!expected.is_empty());
        assert_eq!(findings, expected);
    }

    #[test]
    fn the_screen_is_built_only_for_enabled_rules_that_use_it() {
        let seed = include_str!("../data/samples/fr-seed.txt");
        let fr = LanguageChoice::Fixed("fr".into());
        let mut checker = Checker::builtin();
        let screened: Vec<String> = checker
            .rules
            .rules
            .iter()
            .filter(|r| engine::Prefilter::pattern_of(r).is_some())
            .map(|r| r.id.to_string())
            .collect();
        assert!(screened.contains(&"common.empty-brackets".to_string()));
        checker.disabled.extend(screened.iter().cloned());
        let without = checker.check_text(seed, &fr).findings;
        // The other rules still report (stray English, names, boilerplate...).
        assert!(!without.is_empty());
        assert!(without
            .iter()
            .all(|f| !screened.contains(&f.rule.to_string())));
        assert!(!checker.rules.prefilter_is_built());
        // One of them back on: the screen is built, and the rule reports again.
        checker.disabled.remove("common.empty-brackets");
        let with = checker.check_text(seed, &fr).findings;
        assert!(checker.rules.prefilter_is_built());
        assert!(with.iter().any(|f| &*f.rule == "common.empty-brackets"));
        assert_eq!(with.len(), without.len() + 1);
    }

    #[test]
    fn a_batch_reports_what_each_text_reports_alone() {
        let texts = [
            include_str!("../data/samples/fr-seed.txt"),
            include_str!("../tests/fixtures/languages/en.txt"),
            include_str!("../tests/fixtures/clean.txt"),
            "",
            "La startup DeepSeek () a levé des fonds.\n\nLa startup DeepSeek () a levé des fonds.",
            include_str!("../tests/fixtures/languages/de.txt"),
            "The Chinese startup DeepSeek () said on Monday that it had raised new funds.",
        ];
        let mut checker = Checker::builtin();
        checker.disabled.insert("fr.straight-quotes".into());
        for choice in [LanguageChoice::Auto, LanguageChoice::Fixed("fr".into())] {
            let alone: Vec<Report> = texts
                .iter()
                .map(|t| checker.check_text(t, &choice))
                .collect();
            let decoded = texts
                .iter()
                .map(|t| input::Decoded::from_text(t.to_string()));
            let together = checker.check_batch(decoded.collect(), &choice);
            assert_eq!(together.len(), texts.len());
            for (a, b) in alone.iter().zip(&together) {
                assert_eq!(a.language, b.language);
                assert_eq!(a.findings, b.findings);
                assert_eq!(a.scores, b.scores);
                // Only the rules of each text's own language, none switched off.
                assert!(b.findings.iter().all(|f| {
                    let rule = checker.rules.rule(&f.rule).unwrap();
                    rule.applies_to(b.language.as_deref()) && f.rule != "fr.straight-quotes"
                }));
            }
            // Findings in French texts and, with languages detected, in others too.
            let found_where = |french: bool| {
                alone.iter().any(|r| {
                    (r.language.as_deref() == Some("fr")) == french && !r.findings.is_empty()
                })
            };
            assert!(found_where(true));
            assert_eq!(found_where(false), choice == LanguageChoice::Auto);
        }
        assert!(checker
            .check_batch(Vec::new(), &LanguageChoice::Auto)
            .is_empty());
    }

    #[test]
    fn a_document_compiles_the_rules_it_needs_and_no_others() {
        let checker = Checker::builtin();
        let fr = LanguageChoice::Fixed("fr".into());
        let prepared = |id: &str| checker.rules.rule(id).unwrap().detector.is_prepared();
        checker.check_text("Le marché a progressé de 2 % mardi.", &fr);
        assert!(prepared("fr.page-furniture"), "every document runs it");
        assert!(!prepared("fr.straight-quotes"), "no quote: not compiled");
        let report = checker.check_text("Il a eu une \"discussion\" avec lui.", &fr);
        assert!(report
            .findings
            .iter()
            .any(|f| f.rule == "fr.straight-quotes"));
        assert!(prepared("fr.straight-quotes"));
        assert!(!prepared("fr.english-byline"));
    }
}
