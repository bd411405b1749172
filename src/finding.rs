//! Findings, their categories (spelled as in TAXONOMY.md) and severities.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::SharedStr;

/// The artefact categories of the report contract (`TAXONOMY.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    EmptyBrackets,
    TickerResidue,
    Spacing,
    Typography,
    PunctuationBalance,
    StrayEnglish,
    Capitalisation,
    NumberFormat,
    Repetition,
    NameVariant,
    Encoding,
    PageFurniture,
    WireBoilerplate,
}

impl Category {
    /// Every category, in taxonomy order.
    pub const ALL: [Category; 13] = [
        Category::EmptyBrackets,
        Category::TickerResidue,
        Category::Spacing,
        Category::Typography,
        Category::PunctuationBalance,
        Category::StrayEnglish,
        Category::Capitalisation,
        Category::NumberFormat,
        Category::Repetition,
        Category::NameVariant,
        Category::Encoding,
        Category::PageFurniture,
        Category::WireBoilerplate,
    ];

    /// The spelling used in reports and rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::EmptyBrackets => "empty-brackets",
            Category::TickerResidue => "ticker-residue",
            Category::Spacing => "spacing",
            Category::Typography => "typography",
            Category::PunctuationBalance => "punctuation-balance",
            Category::StrayEnglish => "stray-english",
            Category::Capitalisation => "capitalisation",
            Category::NumberFormat => "number-format",
            Category::Repetition => "repetition",
            Category::NameVariant => "name-variant",
            Category::Encoding => "encoding",
            Category::PageFurniture => "page-furniture",
            Category::WireBoilerplate => "wire-boilerplate",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

/// How serious a finding is; ordered `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The spelling used in reports and rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "unknown severity `{s}` (expected error, warning or info)"
            )),
        }
    }
}

/// One artefact found in a document. `span` is a byte range in the document text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Byte range in the document text.
    pub span: Range<usize>,
    /// Public rule id, such as `common.empty-brackets`.
    pub rule: SharedStr,
    pub category: Category,
    pub severity: Severity,
    pub message: SharedStr,
    /// Replacement text for `span` when a safe fix exists.
    pub fix: Option<String>,
    /// Score weight this finding costs its sentence.
    pub weight: u32,
    /// Index of the sentence holding the start of the span.
    pub sentence: usize,
}
