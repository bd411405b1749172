//! The `pattern` rule kind: a regex, with an optional `span` group, context guards
//! (`unless-before`, `unless-after`) and a fix template.

use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

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
    unless_before: Option<Matcher>,
    unless_after: Option<Matcher>,
}

/// A compile error with the byte offset (in the rule file) of the offending string.
pub type PatternError = (Option<usize>, String);

impl PatternDetector {
    /// Prepares the pattern rule `spec` (which must have a `pattern`). With `lazy` (a
    /// built-in rule, whose patterns the tests compile), the regexes compile on first use.
    pub fn compile(spec: &RuleSpec, lazy: bool) -> Result<Self, PatternError> {
        let pattern = spec.pattern.as_ref().expect("pattern rule");
        // The source with its lists expanded, and its compiled form unless `lazy`.
        let prepare = |s: &toml::Spanned<String>, wrap: fn(String) -> String, side: Side| {
            let source = wrap(expand_lists(s.get_ref(), &spec.lists));
            let compiled = if lazy {
                Ok(None)
            } else {
                Matcher::build(&source, side).map(Some)
            };
            compiled
                .map(|r| (source, r))
                .map_err(|e| (Some(s.span().start), e))
        };
        let guard = |g: &Option<toml::Spanned<String>>, wrap: fn(String) -> String, side| {
            g.as_ref().map(|g| prepare(g, wrap, side)).transpose()
        };
        let (source, regex) = prepare(pattern, |s| s, Side::Whole)?;
        let (unless_before, before) =
            guard(&spec.unless_before, |s| format!("(?:{s})$"), Side::Before)?
                .map_or((None, None), |(s, r)| (Some(s), r));
        let (unless_after, after) =
            guard(&spec.unless_after, |s| format!("^(?:{s})"), Side::After)?
                .map_or((None, None), |(s, r)| (Some(s), r));
        let compiled = OnceLock::new();
        if let Some(Matcher::Regex(regex)) = regex {
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
            let build = |s: &str, side| {
                Matcher::build(s, side)
                    .expect("built-in patterns compile (every rule's examples run in the tests)")
            };
            let Matcher::Regex(regex) = build(&self.source, Side::Whole) else {
                unreachable!("a whole pattern compiles to a regex")
            };
            Compiled::new(
                regex,
                self.unless_before
                    .as_deref()
                    .map(|s| build(s, Side::Before)),
                self.unless_after.as_deref().map(|s| build(s, Side::After)),
            )
        })
    }
}

/// Which text a regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The unit: the rule's own pattern.
    Whole,
    /// The text before a match (`unless-before`, anchored at its end).
    Before,
    /// The text after a match (`unless-after`, anchored at its start).
    After,
}

/// A compiled pattern or guard. A guard that only tests the one character next to the
/// match (`[^\s]` after it) keeps that character class: no regex to compile, and half a
/// millisecond less at start-up for each.
#[derive(Debug)]
enum Matcher {
    Regex(Regex),
    NextChar { class: ClassUnicode, side: Side },
}

impl Matcher {
    fn build(source: &str, side: Side) -> Result<Self, String> {
        if side != Side::Whole {
            if let Some(class) = regex_syntax::parse(source)
                .ok()
                .and_then(|hir| next_char_class(&hir, side))
            {
                return Ok(Matcher::NextChar { class, side });
            }
        }
        build(source).map(Matcher::Regex)
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Regex(re) => re.is_match(text),
            Matcher::NextChar { class, side } => {
                let next = if *side == Side::Before {
                    text.chars().next_back()
                } else {
                    text.chars().next()
                };
                next.is_some_and(|c| {
                    class
                        .ranges()
                        .binary_search_by(|r| {
                            if r.end() < c {
                                std::cmp::Ordering::Less
                            } else if r.start() > c {
                                std::cmp::Ordering::Greater
                            } else {
                                std::cmp::Ordering::Equal
                            }
                        })
                        .is_ok()
                })
            }
        }
    }
}

/// The class of `hir` when it is one character class anchored on the match's side:
/// `^[...]` for the text after it, `[...]$` for the text before it.
fn next_char_class(hir: &Hir, side: Side) -> Option<ClassUnicode> {
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let anchor = if side == Side::Before {
        Look::End
    } else {
        Look::Start
    };
    let is_anchor = |h: &&Hir| matches!(h.kind(), HirKind::Look(l) if *l == anchor);
    let (anchors, class) = if side == Side::Before {
        (
            parts.iter().rev().take_while(is_anchor).count(),
            parts.first(),
        )
    } else {
        (parts.iter().take_while(is_anchor).count(), parts.last())
    };
    match class.map(Hir::kind) {
        Some(HirKind::Class(Class::Unicode(c))) if anchors > 0 && parts.len() == anchors + 1 => {
            Some(c.clone())
        }
        _ => None,
    }
}

impl Compiled {
    fn new(regex: Regex, unless_before: Option<Matcher>, unless_after: Option<Matcher>) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_character_guard_needs_no_regex_and_agrees_with_one() {
        let guards = [
            ("^(?:[\\p{L}\\p{N}])", Side::After),
            ("^(?:^(?:[^\\p{L}\\p{N}(«\"]|\\d))", Side::After),
            ("^(?:[^\\s])", Side::After),
            ("(?:[.\\p{L}\\p{N}])$", Side::Before),
            ("(?:[\\p{Ll}]$)$", Side::Before),
        ];
        let texts = [
            "", "a", "É", "7", " ", "«", ".", "x ", " x", "e\u{301}", "漢", "\u{a0}", "«é",
        ];
        for (source, side) in guards {
            let matcher = Matcher::build(source, side).unwrap();
            assert!(matches!(matcher, Matcher::NextChar { .. }), "{source}");
            let regex = Regex::new(source).unwrap();
            for text in texts {
                assert_eq!(
                    matcher.is_match(text),
                    regex.is_match(text),
                    "{source} on {text:?}"
                );
            }
        }
        // Anything else stays a regex.
        for (source, side) in [
            ("(?:^|[^\\p{L}])$", Side::Before),
            ("^(?:\\s*\\d)", Side::After),
            ("[a-z]", Side::After),
        ] {
            assert!(matches!(
                Matcher::build(source, side).unwrap(),
                Matcher::Regex(_)
            ));
        }
    }
}
