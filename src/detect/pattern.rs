//! The `pattern` rule kind: a regex, with an optional `span` group, context guards
//! (`unless-before`, `unless-after`) and a fix template.

use std::sync::OnceLock;

use regex::Regex;

use super::{ceil_boundary, floor_boundary, Detector, Hit, Scope, Unit};
use crate::pack::schema::{FixTransform, RuleSpec};

/// How far guards look around a match, in bytes.
const GUARD_WINDOW: usize = 64;

/// Size limit for compiled rule regexes: a pathological house rule is refused, not run.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// A pattern rule. Its regexes are compiled on first use when the rule is trusted
/// (built in, and checked by the test suite), at once otherwise, so that a house rule's
/// error is reported when its pack loads.
#[derive(Debug)]
pub struct PatternDetector {
    source: String,
    unless_before: Option<String>,
    unless_after: Option<String>,
    compiled: OnceLock<Compiled>,
    scope: Scope,
    fix: Option<String>,
    fix_transform: Option<FixTransform>,
    skip_urls: bool,
}

#[derive(Debug)]
struct Compiled {
    regex: Regex,
    /// Capture groups named `span...`: the first that took part is the reported span.
    span_groups: Vec<usize>,
    unless_before: Option<Regex>,
    unless_after: Option<Regex>,
}

/// A compile error with the byte offset (in the rule file) of the offending string.
pub type PatternError = (Option<usize>, String);

impl PatternDetector {
    /// Prepares the pattern rule `spec` (which must have a `pattern`). With `lazy` (a
    /// built-in rule, whose patterns the tests compile), the regexes compile on first use.
    pub fn compile(spec: &RuleSpec, lazy: bool) -> Result<Self, PatternError> {
        let pattern = spec.pattern.as_ref().expect("pattern rule");
        // The source with its lists expanded, and its regex unless `lazy`.
        let prepare = |s: &toml::Spanned<String>, wrap: fn(String) -> String| {
            let source = wrap(expand_lists(s.get_ref(), &spec.lists));
            let regex = if lazy {
                Ok(None)
            } else {
                build(&source).map(Some)
            };
            regex
                .map(|r| (source, r))
                .map_err(|e| (Some(s.span().start), e))
        };
        let guard = |g: &Option<toml::Spanned<String>>, wrap: fn(String) -> String| {
            g.as_ref().map(|g| prepare(g, wrap)).transpose()
        };
        let (source, regex) = prepare(pattern, |s| s)?;
        let (unless_before, before) = guard(&spec.unless_before, |s| format!("(?:{s})$"))?
            .map_or((None, None), |(s, r)| (Some(s), r));
        let (unless_after, after) = guard(&spec.unless_after, |s| format!("^(?:{s})"))?
            .map_or((None, None), |(s, r)| (Some(s), r));
        let compiled = OnceLock::new();
        if let Some(regex) = regex {
            let _ = compiled.set(Compiled::new(regex, before, after));
        }
        Ok(PatternDetector {
            source,
            unless_before,
            unless_after,
            compiled,
            scope: spec.scope,
            fix: spec.fix.clone(),
            fix_transform: spec.fix_transform,
            skip_urls: spec.skip_urls,
        })
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let build = |s: &str| {
                build(s)
                    .expect("built-in patterns compile (every rule's examples run in the tests)")
            };
            Compiled::new(
                build(&self.source),
                self.unless_before.as_deref().map(build),
                self.unless_after.as_deref().map(build),
            )
        })
    }
}

impl Compiled {
    fn new(regex: Regex, unless_before: Option<Regex>, unless_after: Option<Regex>) -> Self {
        Compiled {
            span_groups: regex
                .capture_names()
                .enumerate()
                .filter(|(_, n)| n.is_some_and(|n| n.starts_with("span")))
                .map(|(i, _)| i)
                .collect(),
            regex,
            unless_before,
            unless_after,
        }
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
        Some(&self.source)
    }

    fn prepare(&self) {
        self.compiled();
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let text = unit.text;
        let compiled = self.compiled();
        for caps in compiled.regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let m = compiled
                .span_groups
                .iter()
                .find_map(|&g| caps.get(g))
                .unwrap_or(whole);
            let span = m.start()..m.end();
            if span.is_empty() || (self.skip_urls && unit.is_protected(&span)) {
                continue;
            }
            if let Some(re) = &compiled.unless_before {
                let from = floor_boundary(text, whole.start().saturating_sub(GUARD_WINDOW));
                if re.is_match(&text[from..whole.start()]) {
                    continue;
                }
            }
            if let Some(re) = &compiled.unless_after {
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
