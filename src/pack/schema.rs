//! The serde mirror of a rule-pack file (`rules/**/*.toml`).

use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Category, Severity};

/// One rule-pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// The language the pack serves (`fr`), or `*` for every language.
    #[serde(default = "any_language")]
    pub language: String,
    /// Language data: abbreviations for the segmenter, the whatlang code.
    pub lexicon: Option<LexiconSpec>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<Spanned<RuleSpec>>,
}

fn any_language() -> String {
    "*".to_string()
}

/// Language-wide data of a pack.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LexiconSpec {
    /// whatlang's ISO 639-3 code for the language (`fra`).
    pub whatlang: Option<String>,
    /// Tokens ending in `.` that never end a sentence.
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Frequent lower-case words that tell this language from its neighbours.
    #[serde(default)]
    pub markers: Vec<String>,
}

/// Where a detector looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Sentence,
    #[default]
    Paragraph,
    Document,
}

/// A case transformation applied to the flagged text to build its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixTransform {
    LowercaseFirst,
}

/// One rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub description: String,
    /// Score cost of one finding; defaults by severity.
    pub weight: Option<u32>,
    #[serde(default)]
    pub scope: Scope,
    /// A regex (pattern rules). `{name}` inserts `lists.name` as an alternation.
    pub pattern: Option<Spanned<String>>,
    /// A built-in detector's name (built-in rules).
    pub detector: Option<String>,
    /// Settings of a built-in detector.
    #[serde(default)]
    pub settings: toml::Table,
    /// Word lists for `{name}` placeholders in `pattern`.
    #[serde(default)]
    pub lists: std::collections::BTreeMap<String, Vec<String>>,
    /// Replacement for the flagged text, with `$name` capture references.
    pub fix: Option<String>,
    pub fix_transform: Option<FixTransform>,
    /// Skip a match when the text just before it matches this regex (checked at its end).
    pub unless_before: Option<Spanned<String>>,
    /// Skip a match when the text just after it matches this regex (checked at its start).
    pub unless_after: Option<Spanned<String>>,
    /// Leave URLs and e-mail addresses alone (default true).
    #[serde(default = "yes")]
    pub skip_urls: bool,
    /// Categories (or `*`) whose findings inside this rule's findings are dropped.
    #[serde(default)]
    pub masks: Vec<String>,
    #[serde(default)]
    pub bad: Vec<BadExample>,
    #[serde(default)]
    pub good: Vec<GoodExample>,
}

fn yes() -> bool {
    true
}

/// Text the rule must flag.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadExample {
    pub text: String,
    /// The exact excerpt the rule must report.
    pub flag: String,
    /// The text after the rule's fix, when it has one.
    pub fixed: Option<String>,
}

/// A near miss the rule must leave alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodExample {
    pub text: String,
}
