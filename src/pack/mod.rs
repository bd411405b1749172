//! Rule packs: loading TOML files (embedded or from disk), compiling them into rules,
//! and running every rule's own examples.

pub mod examples;
pub mod schema;

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;

use crate::detect::{self, BuildContext, Detector, PatternDetector};
use crate::error::line_of;
use crate::finding::{Category, Severity};
use crate::text::Segmenter;
use crate::SharedStr;
use schema::{PackFile, RuleSpec};

/// The rule packs compiled into the binary: `(path, contents)`.
pub const BUILTIN_PACKS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// A rule file that could not be loaded; names the file, the line and the problem.
pub type PackError = crate::error::FileError;

/// Which findings a rule's findings hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mask {
    All,
    Category(Category),
}

/// A compiled rule: metadata, its detector and its examples.
#[derive(Debug)]
pub struct Rule {
    pub id: SharedStr,
    pub category: Category,
    pub severity: Severity,
    pub message: SharedStr,
    pub description: String,
    pub weight: u32,
    /// `*` for every language, else a language code such as `fr`.
    pub language: String,
    pub masks: Vec<Mask>,
    pub detector: Box<dyn Detector>,
    pub bad: Vec<schema::BadExample>,
    pub good: Vec<schema::GoodExample>,
    /// `file:line` where the rule is defined.
    pub origin: String,
}

impl Rule {
    /// Does this rule apply to a document in `language` (None: no pack matched)?
    pub fn applies_to(&self, language: Option<&str>) -> bool {
        self.language == "*" || Some(self.language.as_str()) == language
    }
}

/// A language served by a pack.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub whatlang: Option<whatlang::Lang>,
    pub segmenter: Segmenter,
    /// Frequent words that tell the language from its neighbours (lower case).
    pub markers: rustc_hash::FxHashSet<String>,
}

/// Default score cost of a finding of each severity.
pub fn default_weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 25,
        Severity::Warning => 10,
        Severity::Info => 1,
    }
}

/// House changes applied to rules before they are compiled (from `wirecheck.toml`).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Per rule id: severity, weight, fix and settings to replace.
    pub rules: BTreeMap<String, RuleOverride>,
    /// Names and terms never reported as stray English or name variants.
    pub allow: Vec<String>,
}

/// What a house configuration changes in one rule.
#[derive(Debug, Clone, Default)]
pub struct RuleOverride {
    pub severity: Option<Severity>,
    pub weight: Option<u32>,
    pub fix: Option<String>,
    /// Settings merged over the rule's own (key by key).
    pub settings: toml::Table,
}

impl Overrides {
    /// Applies the house changes to `spec`; true when they changed its settings.
    fn apply(&self, spec: &mut RuleSpec) -> bool {
        let mut changed_settings = false;
        if let Some(o) = self.rules.get(&spec.id) {
            spec.severity = o.severity.unwrap_or(spec.severity);
            spec.weight = o.weight.or(spec.weight);
            if o.fix.is_some() {
                spec.fix = o.fix.clone();
            }
            for (k, v) in &o.settings {
                spec.settings.insert(k.clone(), v.clone());
            }
            changed_settings = !o.settings.is_empty();
        }
        let takes_allow = matches!(
            spec.detector.as_deref(),
            Some("stray-english" | "name-variant")
        );
        if takes_allow && !self.allow.is_empty() {
            let list = spec
                .settings
                .entry("allow")
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            if let toml::Value::Array(items) = list {
                items.extend(self.allow.iter().map(|a| toml::Value::String(a.clone())));
            }
        }
        changed_settings
    }
}

/// Every loaded rule and language.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub languages: BTreeMap<String, Language>,
    /// Segmenter for documents in no known language (common abbreviations only).
    pub common_segmenter: Segmenter,
    /// One pass over a paragraph for all pattern rules, built on first use.
    prefilter: std::sync::OnceLock<Option<crate::engine::Prefilter>>,
    overrides: Overrides,
}

impl RuleSet {
    /// The built-in packs, then each extra pack file in order. A rule whose id is already
    /// loaded replaces the earlier one, so a house pack can override a built-in rule.
    pub fn load(extra: &[(String, String)]) -> Result<RuleSet, PackError> {
        RuleSet::load_with(extra, Overrides::default())
    }

    /// Like [`RuleSet::load`], with house overrides applied to every rule before it compiles.
    pub fn load_with(
        extra: &[(String, String)],
        overrides: Overrides,
    ) -> Result<RuleSet, PackError> {
        let mut set = RuleSet {
            overrides,
            ..RuleSet::default()
        };
        let packs: Vec<(&str, &str, Trust)> = BUILTIN_PACKS
            .iter()
            .map(|&(path, text)| (path, text, Trust::BuiltIn))
            .chain(
                extra
                    .iter()
                    .map(|(p, t)| (p.as_str(), t.as_str(), Trust::House)),
            )
            .collect();
        // The packs compile on every core (rayon keeps their order), then join the set.
        let compiled: Vec<_> = packs
            .par_iter()
            .map(|&(path, text, trust)| set.compile_pack(path, text, trust))
            .collect();
        for (&(path, _, trust), pack) in packs.iter().zip(compiled) {
            // A house pack may replace built-in rules.
            set.merge(path, pack?, trust == Trust::House)?;
        }
        set.finish();
        Ok(set)
    }

    /// The built-in packs only.
    pub fn builtin() -> RuleSet {
        RuleSet::load(&[]).expect("built-in rule packs compile")
    }

    /// Parses and compiles one pack file. With `may_override`, a rule may replace an
    /// earlier one with the same id; otherwise a duplicate id is an error.
    pub fn add_pack(
        &mut self,
        file: &str,
        text: &str,
        may_override: bool,
    ) -> Result<(), PackError> {
        self.add(file, text, may_override, Trust::House)
    }

    fn add(
        &mut self,
        file: &str,
        text: &str,
        may_override: bool,
        trust: Trust,
    ) -> Result<(), PackError> {
        let pack = self.compile_pack(file, text, trust)?;
        self.merge(file, pack, may_override)
    }

    /// Parses one pack file and compiles its rules (with the house overrides), without
    /// adding anything to the set yet.
    fn compile_pack(
        &self,
        file: &str,
        text: &str,
        trust: Trust,
    ) -> Result<CompiledPack, PackError> {
        let err = |line: Option<usize>, message: String| PackError::new(file, line, message);
        let pack: PackFile =
            toml::from_str(text).map_err(|e| PackError::from_toml(file, text, &e))?;
        let whatlang = match pack.lexicon.as_ref().and_then(|l| l.whatlang.as_ref()) {
            Some(code) => Some(
                whatlang::Lang::from_code(code)
                    .ok_or_else(|| err(None, format!("unknown whatlang code `{code}`")))?,
            ),
            None => None,
        };
        let mut seen_here = HashSet::new();
        let mut rules = Vec::with_capacity(pack.rules.len());
        for spanned in pack.rules {
            let line = line_of(text, spanned.span().start);
            let mut spec = spanned.into_inner();
            // House settings are checked as house rules are: at load.
            let trust = if self.overrides.apply(&mut spec) {
                Trust::House
            } else {
                trust
            };
            if !seen_here.insert(spec.id.clone()) {
                return Err(err(Some(line), format!("duplicate rule id `{}`", spec.id)));
            }
            let rule = compile_rule(spec, &pack.language, text, trust)
                .map_err(|(l, m)| err(Some(l.unwrap_or(line)), m))?;
            let origin = format!("{file}:{line}");
            rules.push((line, Rule { origin, ..rule }));
        }
        Ok(CompiledPack {
            language: pack.language,
            lexicon: pack.lexicon.map(|l| (l, whatlang)),
            rules,
        })
    }

    /// Adds a compiled pack: its lexicon to its language, its rules to the set.
    fn merge(
        &mut self,
        file: &str,
        pack: CompiledPack,
        may_override: bool,
    ) -> Result<(), PackError> {
        self.prefilter = Default::default(); // built again for the rules as they will stand
        let language = pack.language;
        if let Some((lexicon, whatlang)) = pack.lexicon {
            let entry = self
                .languages
                .entry(language.clone())
                .or_insert_with(|| Language {
                    code: language.clone(),
                    whatlang: None,
                    segmenter: Segmenter::default(),
                    markers: Default::default(),
                });
            entry
                .markers
                .extend(lexicon.markers.iter().map(|m| m.to_lowercase()));
            entry.whatlang = whatlang.or(entry.whatlang);
            entry
                .segmenter
                .extend(lexicon.abbreviations.iter().cloned());
            if language == "*" {
                self.common_segmenter
                    .extend(lexicon.abbreviations.iter().cloned());
            }
        }
        for (line, rule) in pack.rules {
            match self.rules.iter().position(|r| r.id == rule.id) {
                Some(i) if may_override => self.rules[i] = rule,
                Some(_) => {
                    let message = format!("duplicate rule id `{}`", rule.id);
                    return Err(PackError::new(file, Some(line), message));
                }
                None => self.rules.push(rule),
            }
        }
        Ok(())
    }

    fn finish(&mut self) {
        let common = self.common_segmenter.clone();
        for lang in self.languages.values_mut() {
            lang.segmenter.merge(&common);
        }
    }

    /// Has [`Self::prefilter`] been built?
    #[cfg(test)]
    pub(crate) fn prefilter_is_built(&self) -> bool {
        self.prefilter.get().is_some()
    }

    /// The prefilter of the pattern rules (built on first call).
    pub fn prefilter(&self) -> Option<&crate::engine::Prefilter> {
        self.prefilter
            .get_or_init(|| crate::engine::Prefilter::build(&self.rules))
            .as_ref()
    }

    /// The rule with id `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The pack language whatlang's `lang` maps to.
    pub fn language_for(&self, lang: whatlang::Lang) -> Option<&Language> {
        self.languages.values().find(|l| l.whatlang == Some(lang))
    }
}

type CompileError = (Option<usize>, String);

/// A pack file parsed and its rules compiled, not yet added to a set.
struct CompiledPack {
    language: String,
    lexicon: Option<(schema::LexiconSpec, Option<whatlang::Lang>)>,
    /// Each rule with the line where it is defined.
    rules: Vec<(usize, Rule)>,
}

/// Where a pack comes from: built-in packs are checked by the test suite and compile
/// their patterns on first use; a house pack compiles them as it loads, to report errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    BuiltIn,
    House,
}

fn compile_rule(
    spec: RuleSpec,
    language: &str,
    file_text: &str,
    trust: Trust,
) -> Result<Rule, CompileError> {
    if spec.bad.is_empty() || spec.good.is_empty() {
        return Err((
            None,
            format!(
                "rule `{}` needs at least one `bad` and one `good` example",
                spec.id
            ),
        ));
    }
    let masks = spec
        .masks
        .iter()
        .map(|m| match m.as_str() {
            "*" => Ok(Mask::All),
            other => other.parse().map(Mask::Category).map_err(|e| (None, e)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let detector: Box<dyn Detector> = match (&spec.pattern, &spec.detector) {
        (Some(_), Some(_)) => {
            return Err((
                None,
                format!("rule `{}` has both `pattern` and `detector`", spec.id),
            ))
        }
        (None, None) => {
            return Err((
                None,
                format!("rule `{}` needs a `pattern` or a `detector`", spec.id),
            ))
        }
        (Some(_), None) => Box::new(
            PatternDetector::compile(&spec, trust == Trust::BuiltIn).map_err(
                |(span, message)| {
                    (
                        span.map(|s| line_of(file_text, s)),
                        format!("rule `{}`: {message}", spec.id),
                    )
                },
            )?,
        ),
        (None, Some(name)) => {
            let ctx = BuildContext {
                language,
                settings: &spec.settings,
                lazy: trust == Trust::BuiltIn,
            };
            detect::build_builtin(name, &ctx)
                .map_err(|m| (None, format!("rule `{}`: {m}", spec.id)))?
        }
    };
    Ok(Rule {
        weight: spec.weight.unwrap_or_else(|| default_weight(spec.severity)),
        language: language.to_string(),
        id: spec.id.into(),
        category: spec.category,
        severity: spec.severity,
        message: spec.message.into(),
        description: spec.description,
        masks,
        detector,
        bad: spec.bad,
        good: spec.good,
        origin: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pattern_compiles_within_the_size_limits() {
        let mut set = RuleSet::default();
        for (path, text) in BUILTIN_PACKS {
            if let Err(e) = set.add(path, text, false, Trust::House) {
                panic!("{e}");
            }
        }
        assert!(set.rules.len() >= 40);
    }

    #[test]
    fn house_settings_of_a_built_in_rule_are_compiled_at_load() {
        let mut settings = toml::Table::new();
        settings.insert("lines".into(), toml::Value::Array(vec!["^(fermer".into()]));
        let overrides = Overrides {
            rules: [(
                "fr.page-furniture".to_string(),
                RuleOverride {
                    settings,
                    ..Default::default()
                },
            )]
            .into(),
            allow: Vec::new(),
        };
        let Err(e) = RuleSet::load_with(&[], overrides) else {
            panic!("a house line that does not compile was accepted");
        };
        let e = e.to_string();
        assert!(
            e.contains("fr.page-furniture") && e.contains("line pattern 1"),
            "{e}"
        );
    }

    #[test]
    fn parallel_compilation_keeps_the_input_order() {
        let parallel = RuleSet::builtin();
        let ids: Vec<&str> = parallel.rules.iter().map(|r| &*r.id).collect();
        let mut sequential = RuleSet::default();
        for (path, text) in BUILTIN_PACKS {
            sequential.add(path, text, false, Trust::BuiltIn).unwrap();
        }
        let expected: Vec<&str> = sequential.rules.iter().map(|r| &*r.id).collect();
        assert_eq!(ids, expected);
    }
}
