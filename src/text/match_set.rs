//! Many regexes matched in one pass: a forward-only lazy DFA without captures, which
//! is cheap to build (no reverse automaton) and answers "which patterns match here".

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Memory the lazy DFA may use per thread before it starts over.
const CACHE_CAPACITY: usize = 16 << 20;

/// Largest automaton a set may compile to: a pathological pattern is refused, not run.
const NFA_SIZE_LIMIT: usize = 64 << 20;

/// A set of patterns searched together. Cheap to share between threads.
#[derive(Debug)]
pub struct MatchSet {
    dfa: DFA,
    caches: Pool<Cache, CacheFn>,
}

impl MatchSet {
    /// Compiles `patterns` (case-insensitively with `ignore_case`).
    pub fn new<P: AsRef<str>>(patterns: &[P], ignore_case: bool) -> Result<Self, String> {
        let hirs = parse(patterns, ignore_case)?;
        MatchSet::from_hirs(&hirs)
    }

    /// A set that matches wherever one of `patterns` does, and possibly elsewhere: every
    /// Unicode class is kept exact for Latin letters and takes in every character beyond.
    /// Such a set compiles twice as fast (`\p{L}` alone is hundreds of byte ranges): a
    /// prefilter, whose matches the real patterns then confirm.
    pub fn superset<P: AsRef<str>>(patterns: &[P]) -> Result<Self, String> {
        let hirs: Vec<Hir> = parse(patterns, false)?.iter().map(widen).collect();
        MatchSet::from_hirs(&hirs)
    }

    /// Compiles patterns already parsed.
    pub fn from_hirs(hirs: &[Hir]) -> Result<Self, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(CACHE_CAPACITY),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_caches = dfa.clone();
        let make: CacheFn = Box::new(move || for_caches.create_cache());
        Ok(MatchSet {
            dfa,
            caches: Pool::new(make),
        })
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.dfa.pattern_len()
    }

    /// Is the set empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sets `matched[i]` for each pattern `i` that matches somewhere in `text`, clears the
    /// others (`matched` has [`Self::len`] items). Should the DFA give up, every pattern
    /// is reported as matching: callers then run the real check.
    pub fn which(&self, text: &str, matched: &mut [bool]) {
        matched.fill(false);
        let mut cache = self.caches.get();
        if self
            .mark_matches(&mut cache, text.as_bytes(), matched)
            .is_none()
        {
            matched.fill(true);
        }
    }

    /// Walks the DFA over `haystack` a byte at a time and marks the patterns of every
    /// match state it passes through: two thirds of the instructions of the general
    /// overlapping search, which stops at each match. `None` when the DFA gives up.
    fn mark_matches(&self, cache: &mut Cache, haystack: &[u8], matched: &mut [bool]) -> Option<()> {
        let dfa = &self.dfa;
        let mut sid = dfa.start_state_forward(cache, &Input::new(haystack)).ok()?;
        let mut at = 0;
        while at < haystack.len() {
            if sid.is_tagged() {
                sid = dfa.next_state(cache, sid, haystack[at]).ok()?;
            } else {
                // Most steps go from an untagged state to another: a table read each,
                // with no other check, until a tagged state (a match, an end, or a state
                // not computed yet, which is computed from the one before).
                let mut previous = sid;
                for (i, &byte) in haystack[at..].iter().enumerate() {
                    previous = sid;
                    sid = dfa.next_state_untagged(cache, sid, byte);
                    if sid.is_tagged() {
                        at += i;
                        break;
                    }
                }
                if !sid.is_tagged() {
                    break; // the end of the haystack, in an untagged state
                }
                if sid.is_unknown() {
                    sid = dfa.next_state(cache, previous, haystack[at]).ok()?;
                }
            }
            if sid.is_tagged() {
                if sid.is_match() {
                    self.mark(cache, sid, matched);
                } else if sid.is_dead() {
                    return Some(());
                } else if sid.is_quit() {
                    return None;
                }
            }
            at += 1;
        }
        sid = dfa.next_eoi_state(cache, sid).ok()?;
        if sid.is_match() {
            self.mark(cache, sid, matched);
        }
        Some(())
    }

    /// Marks the patterns of the match state `sid`.
    fn mark(&self, cache: &Cache, sid: LazyStateID, matched: &mut [bool]) {
        for i in 0..self.dfa.match_len(cache, sid) {
            matched[self.dfa.match_pattern(cache, sid, i).as_usize()] = true;
        }
    }

    /// Does any pattern match at the very start of `text`? (true when the DFA gives up) The
    /// search stops as soon as no pattern can match any more, often within a few bytes.
    pub fn is_match_at_start(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        let input = Input::new(text).earliest(true).anchored(Anchored::Yes);
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .map_or(true, |m| m.is_some())
    }

    /// Does any pattern match somewhere in `text`? (true when the DFA gives up)
    pub fn is_match(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        self.dfa
            .try_search_fwd(&mut cache, &Input::new(text).earliest(true))
            .map_or(true, |m| m.is_some())
    }
}

fn parse<P: AsRef<str>>(patterns: &[P], ignore_case: bool) -> Result<Vec<Hir>, String> {
    patterns
        .iter()
        .map(|p| {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(ignore_case)
                .build()
                .parse(p.as_ref())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Classes are kept exact up to here (ASCII, Latin-1 and Latin Extended-A: the letters
/// of the languages served), and take in every character above.
const EXACT_UP_TO: char = '\u{17F}';

/// `hir` with every Unicode class widened beyond [`EXACT_UP_TO`], and without capture groups.
fn widen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut ranges: Vec<ClassUnicodeRange> = class
                .iter()
                .filter(|r| r.start() <= EXACT_UP_TO)
                .map(|r| ClassUnicodeRange::new(r.start(), r.end().min(EXACT_UP_TO)))
                .collect();
            if class.iter().any(|r| r.end() > EXACT_UP_TO) {
                ranges.push(ClassUnicodeRange::new('\u{180}', char::MAX));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(widen(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => widen(&cap.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(widen).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(widen).collect()),
        _ => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_which_patterns_match() {
        let set = MatchSet::new(&[r"\d+ %", "(?-u:\\b)abc", "é{2}"], false).unwrap();
        let mut m = vec![false; 3];
        set.which("3 % et abc", &mut m);
        assert_eq!(m, [true, true, false]);
        set.which("rien", &mut m);
        assert_eq!(m, [false, false, false]);
        assert!(set.is_match("xx éé"));
        assert!(!set.is_match("xx é"));
        assert!(set.is_match_at_start("éé xx"));
        assert!(!set.is_match_at_start("xx éé"));
    }

    proptest::proptest! {
        /// The walk, with its fast steps between untagged states, marks what the
        /// regex crate's own set finds, on texts that run through match states, dead
        /// ends and states computed mid-walk.
        #[test]
        fn marks_what_a_regex_set_finds(text in "[ab ,.éÉ«»\u{A0}0-9%]{0,60}") {
            let patterns = [r"\d+ ?%", r"(?i)é{2}", r"a b", r" ,", r"^ab", r"\.$", r"«\p{Lu}", r"[a-z]{3,}"];
            let set = MatchSet::new(&patterns, false).unwrap();
            let reference = regex::RegexSet::new(patterns).unwrap();
            let mut matched = vec![false; patterns.len()];
            set.which(&text, &mut matched);
            let found = reference.matches(&text);
            let expected: Vec<bool> = (0..patterns.len()).map(|i| found.matched(i)).collect();
            proptest::prop_assert_eq!(matched, expected);
        }
    }

    #[test]
    fn a_superset_matches_wherever_its_patterns_do() {
        let patterns = [r"\p{Ll}(?P<s>,)\p{Lu}", r"[^\p{L}\s]{3}", "«é»"];
        let exact = MatchSet::new(&patterns, false).unwrap();
        let wide = MatchSet::superset(&patterns).unwrap();
        let (mut a, mut b) = (vec![false; 3], vec![false; 3]);
        for text in ["été,Été", "a,B", "123", "«é»", "€€€", "rien", "ω,Ω", "Ж,ж"] {
            exact.which(text, &mut a);
            wide.which(text, &mut b);
            for (x, y) in a.iter().zip(&b) {
                assert!(!x || *y, "{text}: the superset missed a match");
            }
        }
        // and it may say more beyond Latin: `ж` is not upper-case
        wide.which("a,ж", &mut b);
        assert!(b[0]);
        wide.which("a,é", &mut b);
        assert!(!b[0]);
    }

    #[test]
    fn ignores_case_when_asked() {
        let set = MatchSet::new(&["^partager$"], true).unwrap();
        assert!(set.is_match("Partager"));
        assert!(!MatchSet::new(&["^partager$"], false)
            .unwrap()
            .is_match("Partager"));
    }
}
