//! `wirecheck.toml`: found by walking up from the current folder, merged as
//! built-in defaults < file < command-line flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::pack::{Overrides, RuleOverride};

/// File names looked for in each folder, in order.
pub const FILE_NAMES: [&str; 2] = ["wirecheck.toml", ".wirecheck.toml"];

/// The house configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `auto` or a pack language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `error`, `warning` or `never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    /// Fail when a sentence scores below this (0-100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u32>,
    /// Extra rule packs, relative to the configuration file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<PathBuf>,
    /// Rule ids or whole categories switched off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    /// Names and terms that are never stray English or name variants (`Stargate AI`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// House typographic style.
    #[serde(default)]
    pub house_style: HouseStyle,
    /// Per-rule severity, score weight and settings.
    #[serde(default, rename = "rule", skip_serializing_if = "BTreeMap::is_empty")]
    pub rule: BTreeMap<String, RuleConfig>,
}

/// Which space the house puts before `? ! ; :` and inside `« »`, and how it treats tickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HouseStyle {
    /// Before `? ! ;`: `narrow` (U+202F, default), `nbsp` (U+00A0) or `plain` (a plain space is accepted).
    #[serde(default)]
    pub punctuation_space: SpaceStyle,
    /// Inside `« »`: `nbsp` (default), `narrow`, or `plain`.
    #[serde(default = "nbsp")]
    pub quote_space: SpaceStyle,
    /// A ticker in parentheses after a name, `Apple (AAPL.O)`: `keep` (default) or `flag`.
    #[serde(default)]
    pub tickers_in_parentheses: TickerStyle,
}

fn nbsp() -> SpaceStyle {
    SpaceStyle::Nbsp
}

impl Default for HouseStyle {
    fn default() -> Self {
        HouseStyle {
            punctuation_space: SpaceStyle::Narrow,
            quote_space: nbsp(),
            tickers_in_parentheses: TickerStyle::Keep,
        }
    }
}

/// A space character choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpaceStyle {
    #[default]
    Narrow,
    Nbsp,
    Plain,
}

impl SpaceStyle {
    fn char(self) -> char {
        match self {
            SpaceStyle::Narrow => '\u{202F}',
            SpaceStyle::Nbsp => '\u{A0}',
            SpaceStyle::Plain => ' ',
        }
    }
}

/// What to do with a ticker in parentheses right after a name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TickerStyle {
    #[default]
    Keep,
    Flag,
}

/// House changes to one rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Settings merged over the rule's own.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub settings: toml::Table,
}

/// A configuration file that could not be used: names the file, the line and the key.
pub type ConfigError = crate::error::FileError;

/// The nearest `wirecheck.toml` or `.wirecheck.toml` in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find_map(|dir| FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

impl Config {
    /// Reads and validates a configuration file; pack paths become relative to its folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let err = |line, message: String| ConfigError::new(name.clone(), line, message);
        let text =
            std::fs::read_to_string(path).map_err(|e| err(None, format!("cannot read: {e}")))?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| ConfigError::from_toml(name.clone(), &text, &e))?;
        if let Some(fail_on) = &config.fail_on {
            if !matches!(fail_on.as_str(), "error" | "warning" | "never") {
                return Err(err(
                    None,
                    format!("fail-on: `{fail_on}` is not error, warning or never"),
                ));
            }
        }
        if config.min_score.is_some_and(|m| m > 100) {
            return Err(err(None, "min-score: must be 0 to 100".into()));
        }
        let base = path.parent().unwrap_or(Path::new("."));
        for p in &mut config.rules {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }

    /// The rule overrides this configuration asks for, house style included.
    pub fn overrides(&self) -> Overrides {
        let mut rules: BTreeMap<String, RuleOverride> = self
            .rule
            .iter()
            .map(|(id, rc)| {
                (
                    id.clone(),
                    RuleOverride {
                        severity: rc.severity,
                        weight: rc.weight,
                        fix: None,
                        settings: rc.settings.clone(),
                    },
                )
            })
            .collect();
        let style = &self.house_style;
        let punct = style.punctuation_space.char();
        let quote = style.quote_space.char();
        let mut fix = |id: &str, template: String| {
            rules.entry(id.to_string()).or_default().fix = Some(template);
        };
        if style.punctuation_space != SpaceStyle::Narrow {
            fix(
                "fr.no-space-before-punctuation",
                format!("${{w}}{punct}${{p}}"),
            );
            fix("fr.plain-space-before-punctuation", punct.to_string());
        }
        if style.quote_space != SpaceStyle::Nbsp {
            fix("fr.straight-quotes", format!("«{quote}${{inner}}{quote}»"));
            fix("fr.english-quotes", format!("«{quote}${{inner}}{quote}»"));
            fix(
                "fr.guillemet-spacing",
                format!("${{span}}{quote}${{span2}}"),
            );
        }
        if style.tickers_in_parentheses == TickerStyle::Flag {
            rules
                .entry("common.ticker-residue".into())
                .or_default()
                .settings
                .insert("flag-parenthesised".into(), toml::Value::Boolean(true));
        }
        Overrides {
            rules,
            allow: self.allow.clone(),
        }
    }

    /// Rules that the house style switches off (a plain space before `? ! ; :` is accepted).
    pub fn implied_disabled(&self) -> Vec<String> {
        if self.house_style.punctuation_space == SpaceStyle::Plain {
            vec![
                "fr.plain-space-before-punctuation".into(),
                "fr.plain-space-before-colon".into(),
            ]
        } else {
            Vec::new()
        }
    }

    /// The configuration as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wirecheck.toml");
        std::fs::write(
            &path,
            "lang = \"fr\"\n\n[house-style]\nquote-spaces = \"nbsp\"\n",
        )
        .unwrap();
        let e = Config::load(&path).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("quote-spaces"), "{}", e.message);
    }

    #[test]
    fn defaults_change_no_rule() {
        let o = Config::default().overrides();
        assert!(
            o.rules.is_empty(),
            "{:?}",
            o.rules.keys().collect::<Vec<_>>()
        );
        let parsed: Config = toml::from_str("").unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".wirecheck.toml"), "").unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover(&deep), Some(dir.path().join(".wirecheck.toml")));
    }
}
