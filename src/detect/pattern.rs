//! The `pattern` rule kind: a regex, with an optional `span` group, context guards
//! (`unless-before`, `unless-after`) and a fix template.

use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::Input;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

use super::{ceil_boundary, floor_boundary, Detector, Hit, Scope, Unit};
use crate::pack::schema::{FixTransform, RuleSpec};
use crate::text::ThreadPools;

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

/// What a search writes to: the regex's cache and the groups of a match.
#[derive(Debug)]
struct Scratch {
    cache: meta::Cache,
    caps: Captures,
}

#[derive(Debug)]
struct Compiled {
    regex: Regex,
    /// Room for the searches of a unit, taken once for all its matches.
    scratch: ThreadPools<Scratch>,
    /// Capture groups named `span...`: the first that took part is the reported span.
    span_groups: Vec<usize>,
    /// Can the regex match the empty string? If it cannot, each match ends past the last.
    matches_empty: bool,
    unless_before: Option<Guard>,
    unless_after: Option<Guard>,
}

/// A compile error with the byte offset (in the rule file) of the offending string.
pub type PatternError = (Option<usize>, String);

impl PatternDetector {
    /// Prepares the pattern rule `spec` (which must have a `pattern`). With `lazy` (a
    /// built-in rule, whose patterns the tests compile), the regexes compile on first use.
    pub fn compile(spec: &RuleSpec, lazy: bool) -> Result<Self, PatternError> {
        let pattern = spec.pattern.as_ref().expect("pattern rule");
        let expand = |s: &toml::Spanned<String>| expand_lists(s.get_ref(), &spec.lists);
        let detector = PatternDetector {
            source: expand(pattern),
            unless_before: spec
                .unless_before
                .as_ref()
                .map(|g| format!("(?:{})$", expand(g))),
            unless_after: spec
                .unless_after
                .as_ref()
                .map(|g| format!("^(?:{})", expand(g))),
            compiled: OnceLock::new(),
            scope: spec.scope,
            fix: spec.fix.clone(),
            fix_transform: spec.fix_transform,
            skip_urls: spec.skip_urls,
        };
        if !lazy {
            let offset = |s: Option<&toml::Spanned<String>>| s.map(|s| s.span().start);
            let compiled = detector.build().map_err(|(part, message)| {
                let at = match part {
                    Part::Pattern => Some(pattern),
                    Part::UnlessBefore => spec.unless_before.as_ref(),
                    Part::UnlessAfter => spec.unless_after.as_ref(),
                };
                (offset(at), message)
            })?;
            let _ = detector.compiled.set(compiled);
        }
        Ok(detector)
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            self.build()
                .expect("built-in patterns compile (every rule's examples run in the tests)")
        })
    }

    /// Compiles the pattern and its guards; on error, says which failed.
    fn build(&self) -> Result<Compiled, (Part, String)> {
        let guard = |source: &Option<String>, part| {
            source
                .as_deref()
                .map(|s| Guard::build(s, part == Part::UnlessBefore))
                .transpose()
                .map_err(|e| (part, e))
        };
        let hir = parse(&self.source).map_err(|e| (Part::Pattern, e))?;
        let matches_empty = hir.properties().minimum_len().is_none_or(|len| len == 0);
        let regex = build_from_hir(&hir).map_err(|e| (Part::Pattern, e))?;
        let for_scratch = regex.clone();
        let make = move || Scratch {
            cache: for_scratch.create_cache(),
            caps: for_scratch.create_captures(),
        };
        Ok(Compiled {
            span_groups: regex
                .group_info()
                .pattern_names(regex_automata::PatternID::ZERO)
                .enumerate()
                .filter(|(_, n)| n.is_some_and(|n| n.starts_with("span")))
                .map(|(i, _)| i)
                .collect(),
            scratch: ThreadPools::new(make),
            matches_empty,
            regex,
            unless_before: guard(&self.unless_before, Part::UnlessBefore)?,
            unless_after: guard(&self.unless_after, Part::UnlessAfter)?,
        })
    }
}

/// One of a rule's regexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Pattern,
    /// Matched against the text before a match, anchored at its end.
    UnlessBefore,
    /// Matched against the text after a match, anchored at its start.
    UnlessAfter,
}

/// A compiled guard. One that only tests the character next to the match (`[^\s]`
/// after it) keeps that character class: no regex to compile, and half a millisecond
/// less at start-up for each.
#[derive(Debug)]
enum Guard {
    Regex(Regex),
    /// The last character of the text (`before`) or its first is in the class.
    NextChar {
        class: ClassUnicode,
        before: bool,
    },
}

impl Guard {
    /// The guard of `source` for the text before the match (`before`) or after it.
    fn build(source: &str, before: bool) -> Result<Self, String> {
        let one_class = regex_syntax::parse(source)
            .ok()
            .and_then(|hir| next_char_class(&hir, before));
        match one_class {
            Some(class) => Ok(Guard::NextChar { class, before }),
            None => build(source).map(Guard::Regex),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Guard::Regex(re) => re.is_match(text),
            Guard::NextChar { class, before } => {
                let next = if *before {
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
/// `[...]$` for the text before it (`before`), `^[...]` for the text after it.
fn next_char_class(hir: &Hir, before: bool) -> Option<ClassUnicode> {
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let anchor = if before { Look::End } else { Look::Start };
    let is_anchor = |h: &&Hir| matches!(h.kind(), HirKind::Look(l) if *l == anchor);
    let (anchors, class) = if before {
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

/// Parses a rule's regex as `regex::Regex` would, with its error message.
fn parse(source: &str) -> Result<Hir, String> {
    regex_syntax::parse(source).map_err(|e| format!("invalid pattern: {e}"))
}

/// Compiles a rule's regex as `regex::Regex` would (leftmost-first, UTF-8, empty matches
/// on character boundaries), with its error messages, but with captures that can be
/// reused from match to match.
fn build(source: &str) -> Result<Regex, String> {
    build_from_hir(&parse(source)?)
}

/// [`build`] from the parsed regex.
fn build_from_hir(hir: &Hir) -> Result<Regex, String> {
    // No fully compiled DFA for the small patterns: the lazy one serves them as fast once
    // warm (the same instructions at the margin), and building it cost 3 % of the
    // instructions of a start on the seed wire (106.5 -> 103.2 M).
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT)
        .utf8_empty(true)
        .dfa(false);
    meta::Builder::new()
        .configure(config)
        .build_from_hir(hir)
        .map_err(|e| match e.size_limit() {
            Some(limit) => {
                format!("invalid pattern: Compiled regex exceeds size limit of {limit} bytes.")
            }
            None => format!("invalid pattern: {e}"),
        })
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

    fn is_prepared(&self) -> bool {
        self.compiled.get().is_some()
    }

    fn check(&self, unit: &Unit<'_>, out: &mut Vec<Hit>) {
        let compiled = self.compiled();
        let mut scratch = compiled.scratch.get();
        let Scratch { cache, caps } = &mut *scratch;
        // The screen saw where the last match ends: the search stops there, not at the
        // end of the text (a regex that matches the empty string may match once more).
        let last_end = unit.screened_end.filter(|_| !compiled.matches_empty);
        let mut matches = Searcher::new(Input::new(unit.text));
        while let Some(whole) = matches
            .advance(|input| {
                compiled.regex.search_captures_with(cache, input, caps);
                Ok(caps.get_match())
            })
            .map(|m| m.span())
        {
            out.extend(self.hit(unit, compiled, caps, whole));
            if last_end.is_some_and(|end| whole.end >= end) {
                break;
            }
        }
    }
}

impl PatternDetector {
    /// The hit of the match `whole` (whose groups are in `caps`), unless a guard or an
    /// address turns it away.
    fn hit(
        &self,
        unit: &Unit<'_>,
        compiled: &Compiled,
        caps: &Captures,
        whole: regex_automata::Span,
    ) -> Option<Hit> {
        let text = unit.text;
        let span = compiled
            .span_groups
            .iter()
            .find_map(|&g| caps.get_group(g))
            .unwrap_or(whole)
            .range();
        if span.is_empty() || (self.skip_urls && unit.is_protected(&span)) {
            return None;
        }
        if let Some(re) = &compiled.unless_before {
            let from = floor_boundary(text, whole.start.saturating_sub(GUARD_WINDOW));
            if re.is_match(&text[from..whole.start]) {
                return None;
            }
        }
        if let Some(re) = &compiled.unless_after {
            let to = ceil_boundary(text, whole.end + GUARD_WINDOW);
            if re.is_match(&text[whole.end..to]) {
                return None;
            }
        }
        let fix = match (self.fix_transform, &self.fix) {
            (Some(FixTransform::LowercaseFirst), _) => Some(lowercase_first(&text[span.clone()])),
            (None, Some(template)) => {
                // Room for the template and the span it most often rewrites.
                let mut dst = String::with_capacity(template.len() + span.len());
                caps.interpolate_string_into(text, template, &mut dst);
                Some(dst)
            }
            (None, None) => None,
        };
        Some(Hit {
            span,
            message: None,
            fix,
        })
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
    use crate::text::{Document, MatchSet, Segmenter};

    fn detector(pattern: &str) -> PatternDetector {
        PatternDetector {
            source: pattern.into(),
            unless_before: None,
            unless_after: None,
            compiled: OnceLock::new(),
            scope: Scope::Paragraph,
            fix: None,
            fix_transform: None,
            skip_urls: false,
        }
    }

    #[test]
    fn the_search_stops_where_the_screen_saw_the_last_match_end() {
        let doc = Document::new("ab, ab; ab.".into(), &Segmenter::default());
        let hits = |pattern: &str, screened_end: Option<usize>| {
            let mut unit = Unit::new(&doc, 0..doc.text.len());
            unit.screened_end = screened_end;
            let mut out = Vec::new();
            detector(pattern).check(&unit, &mut out);
            out.into_iter().map(|h| h.span).collect::<Vec<_>>()
        };
        let mut marks = [crate::text::LastEnd::NONE];
        MatchSet::superset(&["ab[,;]"])
            .unwrap()
            .which(&doc.text, &mut marks);
        assert_eq!(marks[0].end(), Some(7));
        assert_eq!(hits("ab[,;]", marks[0].end()), [0..3, 4..7]);
        assert_eq!(hits("ab[,;]", None), [0..3, 4..7]);
        // The screen is taken at its word: the search ends at the end it gives...
        assert_eq!(hits("ab[,;]", Some(3)), vec![(0..3)]);
        // ...unless the regex may match the empty string, which may come after it.
        assert_eq!(hits("(?:ab[,;])?", Some(3)), [0..3, 4..7]);
    }

    #[test]
    fn a_one_character_guard_needs_no_regex_and_agrees_with_one() {
        let guards = [
            ("^(?:[\\p{L}\\p{N}])", false),
            ("^(?:^(?:[^\\p{L}\\p{N}(«\"]|\\d))", false),
            ("^(?:[^\\s])", false),
            ("(?:[.\\p{L}\\p{N}])$", true),
            ("(?:[\\p{Ll}]$)$", true),
        ];
        let texts = [
            "", "a", "É", "7", " ", "«", ".", "x ", " x", "e\u{301}", "漢", "\u{a0}", "«é",
        ];
        for (source, before) in guards {
            let guard = Guard::build(source, before).unwrap();
            assert!(matches!(guard, Guard::NextChar { .. }), "{source}");
            let regex = Regex::new(source).unwrap();
            for text in texts {
                assert_eq!(
                    guard.is_match(text),
                    regex.is_match(text),
                    "{source} on {text:?}"
                );
            }
        }
        // Anything else stays a regex.
        for (source, before) in [
            ("(?:^|[^\\p{L}])$", true),
            ("^(?:\\s*\\d)", false),
            ("[a-z]", false),
        ] {
            assert!(matches!(
                Guard::build(source, before).unwrap(),
                Guard::Regex(_)
            ));
        }
    }
}
