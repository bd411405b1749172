//! Command-line arguments (clap), checked and merged with `wirecheck.toml` into
//! validated [`Options`].

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use wirecheck::config::Config;
use wirecheck::{LanguageChoice, Severity};

/// Checks machine-translated news wires for translation artefacts.
#[derive(Debug, Parser)]
#[command(name = "wirecheck", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or folders to check (folders are walked for *.txt); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,

    /// Target language: `auto` (per document, with whatlang) or a pack code such as `fr` [default: auto].
    #[arg(long)]
    pub lang: Option<String>,

    /// Write the per-sentence CSV report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Write the per-finding CSV report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,

    /// What goes to standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with 1 when a finding reaches this severity [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

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

    /// Print a rule's description with its bad and good examples, then exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Use this configuration file instead of the one found from the current folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Print the effective configuration (defaults < file < flags) as TOML, then exit.
    #[arg(long)]
    pub dump_config: bool,

    /// Apply every safe fix in place (atomically); standard input is fixed to standard output.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print the safe fixes as a unified diff; write nothing.
    #[arg(long)]
    pub diff: bool,

    /// Accepted findings (written by --write-baseline): only new findings are reported.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write every finding of this run to FILE as the accepted baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// How the inputs are read: plain text files, or feeds of records.
    #[arg(long, value_enum, default_value_t = InputKind::Text)]
    pub input: InputKind,

    /// JSON Lines feeds: the (dotted) field holding the text.
    #[arg(long, value_name = "PATH", default_value = "text")]
    pub text_field: String,

    /// JSON Lines feeds: the (dotted) field holding the record id.
    #[arg(long, value_name = "PATH", default_value = "id")]
    pub id_field: String,

    /// CSV feeds: the column holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_column: String,

    /// CSV feeds: the column holding the record id.
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_column: String,

    /// Documents checked in parallel [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with rule packs.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Run the bad and good examples of each rule of these packs; exit 1 on a failure.
    Test {
        /// Rule-pack files.
        #[arg(required = true)]
        packs: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each finding with its line, the span underlined and the fix, then a summary.
    Text,
    /// JSON Lines: one object per finding and one summary per file, each with a `type`.
    Json,
    /// The per-sentence CSV report.
    Csv,
    /// The per-finding CSV report.
    FindingsCsv,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Plain-text files (UTF-8, or UTF-16 with a BOM).
    Text,
    /// JSON Lines: one record per line, text and id at --text-field and --id-field.
    Jsonl,
    /// CSV with a header row: text and id in --text-column and --id-column.
    Csv,
    /// IPTC ninjs documents (one per file, or one per line): `body_text`, or `body_html` with tags stripped.
    Ninjs,
}

/// Options after merging built-in defaults < configuration file < flags.
#[derive(Debug)]
pub struct Options {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub language: LanguageChoice,
    pub fail_on: Option<Severity>,
    pub min_score: Option<u32>,
    pub rule_packs: Vec<PathBuf>,
}

impl Args {
    /// File extensions walked in folders.
    pub fn extensions(&self) -> Vec<String> {
        let mut exts = vec!["txt".to_string()];
        if matches!(self.input, InputKind::Jsonl | InputKind::Ninjs) {
            exts.extend(["jsonl".into(), "json".into(), "ndjson".into()]);
        }
        if self.input == InputKind::Csv {
            exts.push("csv".into());
        }
        for e in &self.ext {
            exts.extend(
                e.split(',')
                    .map(|x| x.trim_start_matches('.').to_string())
                    .filter(|x| !x.is_empty()),
            );
        }
        exts
    }

    /// Finds and reads the configuration, then lays the flags over it.
    pub fn options(&self) -> Result<Options> {
        let config_path = if self.no_config {
            None
        } else if let Some(p) = &self.config {
            if !p.is_file() {
                bail!("{}: configuration file not found", p.display());
            }
            Some(p.clone())
        } else {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            wirecheck::config::discover(&cwd)
        };
        let mut config = match &config_path {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        // Flags win over the file.
        if let Some(lang) = &self.lang {
            config.lang = Some(lang.clone());
        }
        if let Some(f) = self.fail_on {
            config.fail_on = Some(
                match f {
                    FailOn::Error => "error",
                    FailOn::Warning => "warning",
                    FailOn::Never => "never",
                }
                .into(),
            );
        }
        if let Some(m) = self.min_score {
            config.min_score = Some(m);
        }
        config.rules.extend(self.rules.iter().cloned());
        let language = match config.lang.as_deref().unwrap_or("auto") {
            "auto" => LanguageChoice::Auto,
            code => LanguageChoice::Fixed(code.to_string()),
        };
        let fail_on = match config.fail_on.as_deref().unwrap_or("error") {
            "warning" => Some(Severity::Warning),
            "never" => None,
            _ => Some(Severity::Error),
        };
        Ok(Options {
            language,
            fail_on,
            min_score: config.min_score,
            rule_packs: config.rules.clone(),
            config,
            config_path,
        })
    }
}
