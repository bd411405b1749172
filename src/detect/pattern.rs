//! The `pattern` rule kind: a regex, with an optional `span` group, context guards
//! (`unless-before`, `unless-after`) and a fix template.

use regex::Regex;

use super::{ceil_boundary, floor_boundary, Detector, Hit, Scope, Unit};
use crate::pack::schema::{FixTransform, RuleSpec};

/// How far guards look around a match, in bytes.
const GUARD_WINDOW: usize = 64;

/// Size limit for compiled rule regexes: a pathological house rule is refused, not run.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// A compiled pattern rule.
#[derive(Debug)]
pub struct PatternDetector {
    regex: Regex,
    scope: Scope,
    /// Capture groups named `span...`: the first that took part is the reported span.
    span_groups: Vec<usize>,
    fix: Option<String>,
    fix_transform: Option<FixTransform>,
    unless_before: Option<Regex>,
    unless_after: Option<Regex>,
    skip_urls: bool,
}

/// A compile error with the byte offset (in the rule file) of the offending string.
pub type PatternError = (Option<usize>, String);

impl PatternDetector {
    /// Compiles the pattern rule `spec` (which must have a `pattern`).
    pub fn compile(spec: &RuleSpec) -> Result<Self, PatternError> {
        let pattern = spec.pattern.as_ref().expect("pattern rule");
        let source = expand_lists(pattern.get_ref(), &spec.lists);
        let regex = build(&source).map_err(|e| (Some(pattern.span().start), e))?;
        let guard = |g: &Option<toml::Spanned<String>>,
                     anchor_end: bool|
         -> Result<Option<Regex>, PatternError> {
            g.as_ref()
                .map(|s| {
                    let src = expand_lists(s.get_ref(), &spec.lists);
                    let src = if anchor_end {
                        format!("(?:{src})$")
                    } else {
                        format!("^(?:{src})")
                    };
                    build(&src).map_err(|e| (Some(s.span().start), e))
                })
                .transpose()
        };
        Ok(PatternDetector {
            span_groups: regex
                .capture_names()
                .enumerate()
                .filter(|(_, n)| n.is_some_and(|n| n.starts_with("span")))
                .map(|(i, _)| i)
                .collect(),
            regex,
            scope: spec.scope,
            fix: spec.fix.clone(),
            fix_transform: spec.fix_transform,
            unless_before: guard(&spec.unless_before, true)?,
            unless_after: guard(&spec.unless_after, false)?,
            skip_urls: spec.skip_urls,
        })
    }
}

fn build(source: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid pattern: {e}"))
}

/// Replaces each `{name}` whose name is a key of `lists` by an alternation of its words.
fn expand_lists(pattern: &str, lists: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    let mut out = pattern.to_string();
    for (name, words) in lists {
        let mut sorted: Vec<&String> = words.iter().collect();
        sorted.sort_by_key(|w| std::cmp::Reverse(w.len())); // longest first
        let alternation = sorted
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        out = out.replace(&format!("{{{name}}}"), &format!("(?:{alternation})"));
    }
    out
}

impl Detector for PatternDetector {
    fn scope(&self) -> Scope {
        self.scope
    }

    fn prefilter(&self) -> Option<&str> {
        Some(self.regex.as_str())
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        for caps in self.regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let m = self
                .span_groups
                .iter()
                .find_map(|&g| caps.get(g))
                .unwrap_or(whole);
            let span = m.start()..m.end();
            if span.is_empty() || (self.skip_urls && unit.is_protected(&span)) {
                continue;
            }
            if let Some(re) = &self.unless_before {
                let from = floor_boundary(text, whole.start().saturating_sub(GUARD_WINDOW));
                if re.is_match(&text[from..whole.start()]) {
                    continue;
                }
            }
            if let Some(re) = &self.unless_after {
                let to = ceil_boundary(text, whole.end() + GUARD_WINDOW);
                if re.is_match(&text[whole.end()..to]) {
                    continue;
                }
            }
            let fix = match (self.fix_transform, &self.fix) {
                (Some(FixTransform::LowercaseFirst), _) => Some(lowercase_first(m.as_str())),
                (None, Some(template)) => {
                    let mut dst = String::new();
                    caps.expand(template, &mut dst);
                    Some(dst)
                }
                (None, None) => None,
            };
            out.push(Hit {
                span,
                message: None,
                fix,
            });
        }
    }
}

/// `A déclaré` -> `a déclaré`.
pub(crate) fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
