//! Many regexes matched in one pass: a forward-only lazy DFA without captures, which
//! is cheap to build (no reverse automaton) and answers "which patterns match here".

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

use super::ThreadPools;

/// Memory the lazy DFA may use per thread before it starts over.
const CACHE_CAPACITY: usize = 16 << 20;

/// Largest automaton a set may compile to: a pathological pattern is refused, not run.
const NFA_SIZE_LIMIT: usize = 64 << 20;

/// A set of patterns searched together. Cheap to share between threads.
#[derive(Debug)]
pub struct MatchSet {
    dfa: DFA,
    caches: ThreadPools<Cache>,
}

/// Texts walked at once by [`MatchSet::which_each`].
const LANES: usize = 3;

/// One text's walk through a set's DFA: the next byte to read, the state reached, and
/// the text's number (where its marks go in the [`Grid`]).
struct Walk<'h> {
    haystack: &'h [u8],
    at: usize,
    sid: LazyStateID,
    text: usize,
}

/// What a set tells of one pattern in one text: no match, or a match and where the
/// pattern's last match in the text ends (every match of it ends there or before), when
/// it knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LastEnd(u32);

impl LastEnd {
    /// No match.
    pub const NONE: LastEnd = LastEnd(0);
    /// A match that may end anywhere (the DFA gave up, or the text is too long to say).
    const ANYWHERE: LastEnd = LastEnd(u32::MAX);

    /// A match ending at byte `end`.
    fn at(end: usize) -> LastEnd {
        match u32::try_from(end) {
            Ok(end) if end < u32::MAX - 1 => LastEnd(end + 1),
            _ => LastEnd::ANYWHERE,
        }
    }

    /// Does the pattern match?
    pub fn matched(self) -> bool {
        self != LastEnd::NONE
    }

    /// Where its last match ends, when known.
    pub fn end(self) -> Option<usize> {
        match self {
            LastEnd::NONE | LastEnd::ANYWHERE => None,
            LastEnd(n) => Some(n as usize - 1),
        }
    }
}

/// The marks of many texts: pattern `i` and text `t` at `cells[i * texts + t]` (a
/// column of texts a pattern).
struct Grid<'m> {
    cells: &'m mut [LastEnd],
    texts: usize,
    patterns: usize,
}

impl Grid<'_> {
    /// Marks a match of `pattern` in `text` that ends at `end`, or anywhere.
    fn mark(&mut self, text: usize, pattern: usize, end: LastEnd) {
        let cell = &mut self.cells[pattern * self.texts + text];
        *cell = (*cell).max(end);
    }

    /// Marks every pattern for `text`, ending anywhere (the DFA gave up on it: callers
    /// run the real check).
    fn mark_all(&mut self, text: usize) {
        (0..self.patterns).for_each(|pattern| self.mark(text, pattern, LastEnd::ANYWHERE));
    }
}

impl MatchSet {
    /// Compiles `patterns` (case-insensitively with `ignore_case`).
    pub fn new<P: AsRef<str>>(patterns: &[P], ignore_case: bool) -> Result<Self, String> {
        let hirs = parse(patterns, ignore_case)?;
        MatchSet::from_hirs(&hirs)
    }

    /// A set that matches wherever one of `patterns` does, and possibly elsewhere: a
    /// Unicode class of many ranges beyond Latin (`\p{L}`, `\d`) is kept exact for Latin
    /// letters and general punctuation and takes in every other character.
    /// Such a set compiles twice as fast (`\p{L}` alone is hundreds of byte ranges): a
    /// prefilter, whose matches the real patterns then confirm.
    pub fn superset<P: AsRef<str>>(patterns: &[P]) -> Result<Self, String> {
        let hirs: Vec<Hir> = parse(patterns, false)?.iter().map(widen).collect();
        MatchSet::from_hirs(&hirs)
    }

    /// Compiles patterns already parsed.
    pub fn from_hirs(hirs: &[Hir]) -> Result<Self, String> {
        MatchSet::compile(hirs, DFA::config().cache_capacity(CACHE_CAPACITY))
    }

    /// Compiles patterns already parsed into a lazy DFA configured by `config`.
    fn compile(hirs: &[Hir], config: regex_automata::hybrid::dfa::Config) -> Result<Self, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(config.match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_caches = dfa.clone();
        let make = move || for_caches.create_cache();
        Ok(MatchSet {
            dfa,
            caches: ThreadPools::new(make),
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

    /// Sets `matched[i]` to where pattern `i` last matches in `text` ([`LastEnd::NONE`]
    /// when it does not; `matched` has [`Self::len`] items). Should the DFA give up, every
    /// pattern is reported as matching anywhere: callers then run the real check.
    pub fn which(&self, text: &str, matched: &mut [LastEnd]) {
        self.which_each(std::iter::once(text), matched);
    }

    /// [`Self::which`] for each of `texts`, into columns: pattern `i` in text `t` (of
    /// `texts.len()`) at `matched[i * texts.len() + t]`. The texts a pattern matches are
    /// then found in one slice.
    pub fn which_each<'t>(
        &self,
        texts: impl ExactSizeIterator<Item = &'t str>,
        matched: &mut [LastEnd],
    ) {
        let grid = Grid {
            texts: texts.len(),
            cells: matched,
            patterns: self.len(),
        };
        self.walk_all(texts, grid);
    }

    /// Clears `grid` and marks in it the patterns that match each of `texts`. Three texts
    /// are walked at once: each walk is a chain of dependent table reads, and the
    /// processor overlaps the chains.
    fn walk_all<'t>(&self, texts: impl IntoIterator<Item = &'t str>, mut grid: Grid<'_>) {
        grid.cells.fill(LastEnd::NONE);
        if self.is_empty() {
            return;
        }
        let mut cache = self.caches.get();
        let mut pending = texts.into_iter().map(str::as_bytes).enumerate();
        let mut lanes: [Option<Walk<'t>>; LANES] = std::array::from_fn(|_| None);
        let mut clears = cache.clear_count();
        loop {
            for lane in &mut lanes {
                while lane.is_none() {
                    let Some((text, haystack)) = pending.next() else {
                        break;
                    };
                    *lane = self.start(&mut cache, haystack, text, &mut grid);
                }
            }
            if self.redo_if_cleared(&mut cache, &mut clears, &mut lanes, &mut grid) {
                continue;
            }
            if lanes.iter().any(Option::is_none) {
                // No text left to start: the walks under way finish one by one.
                for i in 0..LANES {
                    if let Some(walk) = lanes[i].take() {
                        let Walk {
                            haystack,
                            at,
                            sid,
                            text,
                        } = walk;
                        self.finish_alone(&mut cache, haystack, at, Some(sid), text, &mut grid);
                    }
                    self.redo_if_cleared(&mut cache, &mut clears, &mut lanes, &mut grid);
                }
                return;
            }
            self.step_together(&cache, &mut lanes);
            // Then a step the general way (computing states, marking matches) for those
            // that need one.
            for i in 0..LANES {
                if let Some(walk) = lanes[i].as_mut() {
                    if self.needs_general_step(&cache, walk)
                        && !self.step(&mut cache, walk, &mut grid)
                    {
                        lanes[i] = None;
                    }
                }
                if self.redo_if_cleared(&mut cache, &mut clears, &mut lanes, &mut grid) {
                    break;
                }
            }
        }
    }

    /// Has the cache started over (it does when full) since it had been cleared `clears`
    /// times? The states of the walks under way have then gone stale: those walks are
    /// done again from their start, alone (their marks so far stand).
    fn redo_if_cleared(
        &self,
        cache: &mut Cache,
        clears: &mut usize,
        lanes: &mut [Option<Walk<'_>>],
        grid: &mut Grid<'_>,
    ) -> bool {
        if cache.clear_count() == *clears {
            return false;
        }
        for walk in lanes.iter_mut().filter_map(Option::take) {
            self.finish_alone(cache, walk.haystack, 0, None, walk.text, grid);
        }
        *clears = cache.clear_count();
        true
    }

    /// A walk of `haystack` from the start state; None when the DFA gives up at once
    /// (every pattern is then marked).
    fn start<'h>(
        &self,
        cache: &mut Cache,
        haystack: &'h [u8],
        text: usize,
        grid: &mut Grid<'_>,
    ) -> Option<Walk<'h>> {
        match self.dfa.start_state_forward(cache, &Input::new(haystack)) {
            Ok(sid) => Some(Walk {
                haystack,
                at: 0,
                sid,
                text,
            }),
            Err(_) => {
                grid.mark_all(text);
                None
            }
        }
    }

    /// Steps every walk of `lanes` (all under way) in lockstep while each goes from
    /// untagged state to untagged state and has bytes left: a table read each, with no
    /// other check. Where one walk would reach a tagged state, the others take their step.
    fn step_together(&self, cache: &Cache, lanes: &mut [Option<Walk<'_>>; LANES]) {
        let mut sids = [LazyStateID::default(); LANES];
        let mut left = usize::MAX;
        for (sid, walk) in sids.iter_mut().zip(lanes.iter().flatten()) {
            *sid = walk.sid;
            left = left.min(walk.haystack.len() - walk.at);
        }
        if sids.iter().any(|s| s.is_tagged()) {
            return;
        }
        let bytes: [&[u8]; LANES] = std::array::from_fn(|k| {
            let walk = lanes[k].as_ref().expect("every lane under way");
            &walk.haystack[walk.at..walk.at + left]
        });
        let mut steps = [left; LANES];
        #[allow(clippy::needless_range_loop)] // `i` indexes every lane's bytes
        for i in 0..left {
            let next: [LazyStateID; LANES] =
                std::array::from_fn(|k| self.dfa.next_state_untagged(cache, sids[k], bytes[k][i]));
            if next.iter().any(|s| s.is_tagged()) {
                for k in 0..LANES {
                    steps[k] = i;
                    if !next[k].is_tagged() {
                        sids[k] = next[k];
                        steps[k] += 1;
                    }
                }
                break;
            }
            sids = next;
        }
        for ((sid, steps), walk) in sids.into_iter().zip(steps).zip(lanes.iter_mut().flatten()) {
            walk.sid = sid;
            walk.at += steps;
        }
    }

    /// Must `walk` take its next step the general way (a tagged state now or next, or
    /// the end of its text)?
    fn needs_general_step(&self, cache: &Cache, walk: &Walk<'_>) -> bool {
        walk.sid.is_tagged()
            || walk.at == walk.haystack.len()
            || self
                .dfa
                .next_state_untagged(cache, walk.sid, walk.haystack[walk.at])
                .is_tagged()
    }

    /// One step of `walk` the general way (computing the next state if need be, marking
    /// a match); at the end of its text, its last step. False once the walk is over.
    fn step(&self, cache: &mut Cache, walk: &mut Walk<'_>, grid: &mut Grid<'_>) -> bool {
        let dfa = &self.dfa;
        if walk.at == walk.haystack.len() {
            match dfa.next_eoi_state(cache, walk.sid) {
                Ok(sid) if sid.is_match() => {
                    self.mark(cache, sid, walk.text, walk.haystack.len(), grid)
                }
                Ok(_) => {}
                Err(_) => grid.mark_all(walk.text),
            }
            return false;
        }
        match dfa.next_state(cache, walk.sid, walk.haystack[walk.at]) {
            Ok(sid) => {
                walk.sid = sid;
                walk.at += 1;
                if sid.is_match() {
                    // Matches show one byte late: this one ends before the byte read.
                    self.mark(cache, sid, walk.text, walk.at - 1, grid);
                    true
                } else if sid.is_dead() {
                    false
                } else if sid.is_quit() {
                    grid.mark_all(walk.text);
                    false
                } else {
                    true
                }
            }
            Err(_) => {
                grid.mark_all(walk.text);
                false
            }
        }
    }

    /// Finishes a walk of `haystack` on its own, from `at` in state `sid` (or from the start).
    fn finish_alone(
        &self,
        cache: &mut Cache,
        haystack: &[u8],
        at: usize,
        sid: Option<LazyStateID>,
        text: usize,
        grid: &mut Grid<'_>,
    ) {
        let walked = match sid {
            Some(sid) => self.mark_matches_from(cache, haystack, at, sid, text, grid),
            None => self.mark_matches(cache, haystack, text, grid),
        };
        if walked.is_none() {
            grid.mark_all(text);
        }
    }

    /// Walks the DFA over `haystack` a byte at a time and marks the patterns of every
    /// match state it passes through: two thirds of the instructions of the general
    /// overlapping search, which stops at each match. `None` when the DFA gives up.
    fn mark_matches(
        &self,
        cache: &mut Cache,
        haystack: &[u8],
        text: usize,
        grid: &mut Grid<'_>,
    ) -> Option<()> {
        let sid = self
            .dfa
            .start_state_forward(cache, &Input::new(haystack))
            .ok()?;
        self.mark_matches_from(cache, haystack, 0, sid, text, grid)
    }

    /// [`Self::mark_matches`] from state `sid` at offset `at`.
    fn mark_matches_from(
        &self,
        cache: &mut Cache,
        haystack: &[u8],
        mut at: usize,
        mut sid: LazyStateID,
        text: usize,
        grid: &mut Grid<'_>,
    ) -> Option<()> {
        let dfa = &self.dfa;
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
                    // Matches show one byte late: this one ends before the byte read.
                    self.mark(cache, sid, text, at, grid);
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
            self.mark(cache, sid, text, haystack.len(), grid);
        }
        Some(())
    }

    /// Marks the patterns of the match state `sid` for `text`, their match ending at `end`.
    fn mark(&self, cache: &Cache, sid: LazyStateID, text: usize, end: usize, grid: &mut Grid<'_>) {
        let end = LastEnd::at(end);
        for i in 0..self.dfa.match_len(cache, sid) {
            grid.mark(text, self.dfa.match_pattern(cache, sid, i).as_usize(), end);
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
/// of the languages served)...
const EXACT_UP_TO: char = '\u{17F}';

/// ...and in the General Punctuation block (narrow no-break space, `’`, `“`, `—`, `…`:
/// French text is full of them, and a digit or a letter class widened over them would
/// pass every paragraph)...
const EXACT: [(char, char); 2] = [('\0', EXACT_UP_TO), ('\u{2000}', '\u{206F}')];

/// ...and take in every character of the zones between and after that they touch.
const WIDENED: [(char, char); 2] = [('\u{180}', '\u{1FFF}'), ('\u{2070}', char::MAX)];

/// Ranges beyond [`EXACT_UP_TO`] that a class may have and still be kept exact.
const KEPT_BEYOND: usize = 16;

/// `hir` with every Unicode class of more than [`KEPT_BEYOND`] ranges beyond
/// [`EXACT_UP_TO`] widened beyond [`EXACT`], and without capture groups.
fn widen(hir: &Hir) -> Hir {
    match hir.kind() {
        // A few ranges beyond stay as they are (`€`, `«`, `\s`): a class that rules out
        // most characters beyond keeps the screen from passing every paragraph that
        // holds one.
        HirKind::Class(Class::Unicode(class))
            if class.iter().filter(|r| r.end() > EXACT_UP_TO).count() > KEPT_BEYOND =>
        {
            let class_of = |zones: &[(char, char)]| {
                ClassUnicode::new(zones.iter().map(|&(s, e)| ClassUnicodeRange::new(s, e)))
            };
            let mut widened = class.clone();
            widened.intersect(&class_of(&EXACT));
            for zone in WIDENED.map(|zone| class_of(&[zone])) {
                let mut within = class.clone();
                within.intersect(&zone);
                if within.iter().next().is_some() {
                    widened.union(&zone);
                }
            }
            Hir::class(Class::Unicode(widened))
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

    /// Where the last match of each of `patterns` ends in `text`, from the lazy DFA's own
    /// overlapping search (which reports every match end).
    fn last_ends(patterns: &[&str], text: &str) -> Vec<LastEnd> {
        use regex_automata::hybrid::dfa::OverlappingState;
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_many(patterns)
            .unwrap();
        let (mut cache, mut state) = (dfa.create_cache(), OverlappingState::start());
        let mut ends = vec![LastEnd::NONE; patterns.len()];
        loop {
            dfa.try_search_overlapping_fwd(&mut cache, &Input::new(text), &mut state)
                .unwrap();
            let Some(m) = state.get_match() else {
                return ends;
            };
            let end = &mut ends[m.pattern().as_usize()];
            *end = (*end).max(LastEnd::at(m.offset()));
        }
    }

    #[test]
    fn tells_which_patterns_match_and_where_their_last_match_ends() {
        let patterns = [r"\d+ %", "(?-u:\\b)abc", "é{2}", "c$"];
        let set = MatchSet::new(&patterns, false).unwrap();
        let mut m = vec![LastEnd::NONE; 4];
        set.which("3 % et abc, 12 % abcd", &mut m);
        let ends: Vec<Option<usize>> = m.iter().map(|e| e.end()).collect();
        assert_eq!(ends, [Some(16), Some(20), None, None]);
        set.which("abc", &mut m);
        let ends: Vec<Option<usize>> = m.iter().map(|e| e.end()).collect();
        assert_eq!(ends, [None, Some(3), None, Some(3)]);
        set.which("rien", &mut m);
        assert!(m.iter().all(|e| !e.matched()));
        assert!(set.is_match("xx éé"));
        assert!(!set.is_match("xx é"));
        assert!(set.is_match_at_start("éé xx"));
        assert!(!set.is_match_at_start("xx éé"));
    }

    proptest::proptest! {
        /// The walk, with its fast steps between untagged states, marks what the
        /// regex crate's own set finds, on texts that run through match states, dead
        /// ends and states computed mid-walk, and the last match end that the DFA's own
        /// overlapping search finds; no match of a pattern ends after it.
        #[test]
        fn marks_what_a_regex_set_finds(text in "[ab ,.éÉ«»\u{A0}0-9%]{0,60}") {
            let patterns = [r"\d+ ?%", r"(?i)é{2}", r"a b", r" ,", r"^ab", r"\.$", r"«\p{Lu}", r"[a-z]{3,}"];
            let set = MatchSet::new(&patterns, false).unwrap();
            let reference = regex::RegexSet::new(patterns).unwrap();
            let mut marks = vec![LastEnd::NONE; patterns.len()];
            set.which(&text, &mut marks);
            let found = reference.matches(&text);
            let matched: Vec<bool> = marks.iter().map(|m| m.matched()).collect();
            let expected: Vec<bool> = (0..patterns.len()).map(|i| found.matched(i)).collect();
            proptest::prop_assert_eq!(matched, expected);
            proptest::prop_assert_eq!(&marks, &last_ends(&patterns, &text));
            for (pattern, mark) in patterns.iter().zip(&marks) {
                for m in regex::Regex::new(pattern).unwrap().find_iter(&text) {
                    proptest::prop_assert!(Some(m.end()) <= mark.end(), "{pattern} {text:?}");
                }
            }
        }
    }

    /// Patterns whose DFA has many states, and texts that reach many of them.
    const MANY_STATES: [&str; 5] = [
        r"[ab]{1,3}c[ab]{2}",
        r"b.{4}c",
        r"(?i)é[^a]{3}a",
        r"\d+ ?%",
        r"^a",
    ];
    const ALPHABET: &str = "[abcéÉ1 %]{0,80}";

    /// What `which_each` marks, text by text, against the DFA's own overlapping search.
    fn check_rows(
        set: &MatchSet,
        texts: &[String],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut marks = vec![LastEnd::ANYWHERE; texts.len() * MANY_STATES.len()];
        set.which_each(texts.iter().map(String::as_str), &mut marks);
        for (t, text) in texts.iter().enumerate() {
            let marked: Vec<LastEnd> = (0..MANY_STATES.len())
                .map(|i| marks[i * texts.len() + t])
                .collect();
            proptest::prop_assert_eq!(marked, last_ends(&MANY_STATES, text), "{:?}", text);
        }
        Ok(())
    }

    proptest::proptest! {
        /// Texts walked together are marked as each is alone, whatever their lengths
        /// (walks end, and new ones start, at different times).
        #[test]
        fn texts_walked_together_are_marked_as_alone(texts in proptest::collection::vec(ALPHABET, 0..9)) {
            let set = MatchSet::new(&MANY_STATES, false).unwrap();
            check_rows(&set, &texts)?;
        }

        /// With the smallest cache, which starts over again and again, the walks under
        /// way when it does are done again and lose no match.
        #[test]
        fn walks_survive_a_cache_that_starts_over(texts in proptest::collection::vec(ALPHABET, 0..9)) {
            let hirs = parse(&MANY_STATES, false).unwrap();
            let config = DFA::config().cache_capacity(0).skip_cache_capacity_check(true);
            let set = MatchSet::compile(&hirs, config).unwrap();
            check_rows(&set, &texts)?;
        }
    }

    #[test]
    fn the_smallest_cache_does_start_over() {
        let hirs = parse(&MANY_STATES, false).unwrap();
        let config = DFA::config()
            .cache_capacity(0)
            .skip_cache_capacity_check(true);
        let set = MatchSet::compile(&hirs, config).unwrap();
        let texts = [
            "abcab bxxxxc éÉbbba 12 % a".repeat(20),
            "aacbb".repeat(50),
            "ÉÉÉÉa1%".repeat(30),
        ];
        let mut marks = vec![LastEnd::NONE; 3 * MANY_STATES.len()];
        set.which_each(texts.iter().map(String::as_str), &mut marks);
        assert!(set.caches.get().clear_count() > 0);
    }

    #[test]
    fn a_superset_matches_wherever_its_patterns_do() {
        let patterns = [r"\p{Ll}(?P<s>,)\p{Lu}", r"[^\p{L}\s]{3}", "«é»"];
        let exact = MatchSet::new(&patterns, false).unwrap();
        let wide = MatchSet::superset(&patterns).unwrap();
        let (mut a, mut b) = (vec![LastEnd::NONE; 3], vec![LastEnd::NONE; 3]);
        for text in ["été,Été", "a,B", "123", "«é»", "€€€", "rien", "ω,Ω", "Ж,ж"] {
            exact.which(text, &mut a);
            wide.which(text, &mut b);
            for (x, y) in a.iter().zip(&b) {
                assert!(x <= y, "{text}: the superset missed a match");
            }
        }
        // and it may say more beyond Latin: `ж` is not upper-case
        wide.which("a,ж", &mut b);
        assert!(b[0].matched());
        wide.which("a,é", &mut b);
        assert!(!b[0].matched());
        // A class with few ranges beyond Latin (`€`, `£`, `\s`) is kept as it is.
        let few = MatchSet::superset(&[r"(?:€|£)\s?\d"]).unwrap();
        assert!(few.is_match("10 € ou £\u{202f}5"));
        assert!(!few.is_match("150\u{202f}000 ж1 Ω 2"));
        // A class of many ranges takes in the characters beyond, but for punctuation.
        let digit = MatchSet::superset(&[r"\d%"]).unwrap();
        assert!(digit.is_match("3%") && digit.is_match("٣%") && digit.is_match("ж%"));
        assert!(!digit.is_match("3\u{202f}% 3 % 4\u{a0}% ’% —%"));
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
