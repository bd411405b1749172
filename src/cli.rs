//! Command-line arguments, checked and turned into validated options.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use wirecheck::{LanguageChoice, Severity};

/// Checks machine-translated news wires for translation artefacts.
#[derive(Debug, Parser)]
#[command(name = "wirecheck", version, about, long_about = None)]
pub struct Args {
    /// Files or folders to check (folders are walked for *.txt); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,

    /// Target language: `auto` (per document, with whatlang) or a pack code such as `fr`.
    #[arg(long, default_value = "auto")]
    pub lang: String,

    /// Write the per-sentence CSV report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Write the per-finding CSV report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,

    /// What goes to standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with 1 when a finding reaches this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Exit with 1 when a sentence scores below N (0-100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub min_score: Option<u32>,

    /// Extra rule pack (TOML); repeatable. Its rules override built-in rules with the same id.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// More file extensions to check in folders (besides `txt`); repeatable.
    #[arg(long = "ext", value_name = "EXT")]
    pub ext: Vec<String>,

    /// Colour the text output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// List every rule with its id, category, severity and description, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: severity[rule] message` with the line and the span marked.
    Text,
    /// JSON Lines: one object per finding and one summary per file, each with a `type`.
    Json,
    /// The per-sentence CSV report.
    Csv,
    /// The per-finding CSV report.
    FindingsCsv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Args {
    /// The language choice.
    pub fn language(&self) -> LanguageChoice {
        match self.lang.as_str() {
            "auto" => LanguageChoice::Auto,
            code => LanguageChoice::Fixed(code.to_string()),
        }
    }

    /// File extensions walked in folders.
    pub fn extensions(&self) -> Vec<String> {
        let mut exts = vec!["txt".to_string()];
        for e in &self.ext {
            exts.extend(
                e.split(',')
                    .map(|x| x.trim_start_matches('.').to_string())
                    .filter(|x| !x.is_empty()),
            );
        }
        exts
    }
}
