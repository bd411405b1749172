//! A sentence segmenter that knows wire text: abbreviations, initials, decimals,
//! instrument codes, URLs, and quotes or brackets that close after the full stop.

use std::ops::Range;

use super::document::overlaps_any;

/// Splits paragraphs into sentences. Abbreviations come from the language packs.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    /// Tokens ending in `.` that never end a sentence (`M.`, `p.`, `U.S.`), case-sensitive.
    abbreviations: rustc_hash::FxHashSet<String>,
}

impl Segmenter {
    /// A segmenter that never breaks after the given abbreviations (each written with its final `.`).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(abbreviations: I) -> Self {
        Segmenter {
            abbreviations: abbreviations.into_iter().map(Into::into).collect(),
        }
    }

    /// Adds abbreviations (each written with its final `.`).
    pub fn extend<I: IntoIterator<Item = String>>(&mut self, abbreviations: I) {
        self.abbreviations.extend(abbreviations);
    }

    /// Adds every abbreviation of `other`.
    pub fn merge(&mut self, other: &Segmenter) {
        self.abbreviations
            .extend(other.abbreviations.iter().cloned());
    }

    /// Sentence ranges of `para`, shifted by `base`, trimmed of surrounding white space.
    /// `protected` (document offsets) marks URLs where a `.` never ends a sentence.
    pub fn split(&self, para: &str, base: usize, protected: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.split_into(para, base, protected, &mut out);
        out
    }

    /// [`Self::split`], appending the ranges to `out`.
    pub fn split_into(
        &self,
        para: &str,
        base: usize,
        protected: &[Range<usize>],
        out: &mut Vec<Range<usize>>,
    ) {
        const TERMINATORS: [char; 4] = ['.', '?', '!', '…'];
        let next = |j: usize| para[j..].chars().next();
        let mut start = 0;
        let mut i = 0;
        let ellipses = ELLIPSIS.find(para.as_bytes()).is_some();
        while let Some(at) = find_terminator(para, i, ellipses) {
            let c = next(at).expect("a terminator");
            // The run of terminators, then closing quotes and brackets.
            let mut j = at;
            while let Some(t) = next(j).filter(|t| TERMINATORS.contains(t)) {
                j += t.len_utf8();
            }
            loop {
                match next(j) {
                    Some(q @ ('"' | '»' | '”' | '’' | ')' | ']' | '\u{a0}' | '\u{202f}')) => {
                        j += q.len_utf8()
                    }
                    // `bien. »`: a closing guillemet after a plain space still closes.
                    Some(w) if w.is_whitespace() => {
                        let rest = para[j..].trim_start();
                        if rest.starts_with('»') {
                            j = para.len() - rest.len() + '»'.len_utf8();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            let space_from = j;
            j = para.len() - para[j..].trim_start().len();
            let breaks = j > space_from
                && next(j).is_some_and(starts_sentence)
                && !(c == '.' && self.dot_is_not_final(para, at))
                && !overlaps_any(protected, &(base + at..base + at + 1));
            if breaks {
                push_trimmed(out, para, start, space_from, base);
                start = j;
            }
            i = j.max(at + c.len_utf8());
        }
        push_trimmed(out, para, start, para.len(), base);
    }

    /// Is the `.` at byte `at` part of an abbreviation or an initial rather than a full stop?
    fn dot_is_not_final(&self, para: &str, at: usize) -> bool {
        let before = &para[..at];
        let token_start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '«' | '"' | '['))
            .map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
        let token = &para[token_start..at + 1];
        if token.len() == 1 {
            return false; // a lone `.` after a space: a full stop
        }
        if self.abbreviations.contains(token) {
            return true;
        }
        // Initials: `J.` in `J. Powell`, `J.P.` in `J.P. Morgan`.
        let mut letters = token.chars().filter(|c| *c != '.');
        let (first, second, third) = (letters.next(), letters.next(), letters.next());
        third.is_none()
            && first.is_some_and(char::is_uppercase)
            && second.is_none_or(char::is_uppercase)
    }
}

/// A searcher for `…` (in UTF-8), built once: `memmem::find` builds one for each call,
/// which cost more than the search of a paragraph.
static ELLIPSIS: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("…"));

/// Byte offset of the first `.`, `?`, `!` or `…` of `para` at or after `from`; `ellipses`
/// when `para` holds a `…`. Both searches are SIMD scans, the second only up to the
/// first hit of the other.
fn find_terminator(para: &str, from: usize, ellipses: bool) -> Option<usize> {
    let rest = &para.as_bytes()[from..];
    let ascii = memchr::memchr3(b'.', b'?', b'!', rest);
    let ellipsis = ellipses
        .then(|| ELLIPSIS.find(&rest[..ascii.unwrap_or(rest.len())]))
        .flatten();
    ellipsis.or(ascii).map(|p| from + p)
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '«' | '"' | '“' | '(' | '[' | '*' | '-' | '–' | '—')
}

fn push_trimmed(out: &mut Vec<Range<usize>>, para: &str, start: usize, end: usize, base: usize) {
    let piece = &para[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(base + start + lead..base + end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let seg = Segmenter::new(["M.", "Mme.", "MM.", "p.", "ex.", "U.S."]);
        seg.split(text, 0, &[])
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn keeps_abbreviations_initials_decimals_and_codes_inside() {
        assert_eq!(
            sentences(
                "M. Altman a vu J.P. Morgan et U.S. Steel. Le taux est de 3,5 % ou 1.0708 $."
            ),
            [
                "M. Altman a vu J.P. Morgan et U.S. Steel.",
                "Le taux est de 3,5 % ou 1.0708 $."
            ]
        );
        assert_eq!(
            sentences("SoftBank 9984.T et l'indice .SPX montent."),
            ["SoftBank 9984.T et l'indice .SPX montent."]
        );
        assert_eq!(
            sentences("des risques (p. ex. la grêle). Fin."),
            ["des risques (p. ex. la grêle).", "Fin."]
        );
    }

    #[test]
    fn an_ellipsis_ends_a_sentence() {
        assert_eq!(
            sentences("Il hésite… Puis il signe\u{202f}! Vraiment\u{202f}? Oui."),
            [
                "Il hésite…",
                "Puis il signe\u{202f}!",
                "Vraiment\u{202f}?",
                "Oui."
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn finds_the_first_terminator_from_any_place(text in "[a.?!…’—\u{202f} ]{0,30}") {
            let ellipses = text.contains('…');
            for (from, _) in text.char_indices() {
                let expected = text[from..]
                    .find(['.', '?', '!', '…'])
                    .map(|p| from + p);
                proptest::prop_assert_eq!(find_terminator(&text, from, ellipses), expected);
            }
        }
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("« Tout va bien. » Il sourit. \"Vraiment?\" A déclaré M. Vaishnaw."),
            [
                "« Tout va bien. »",
                "Il sourit.",
                "\"Vraiment?\"",
                "A déclaré M. Vaishnaw."
            ]
        );
    }

    #[test]
    fn urls_do_not_end_sentences() {
        let text = "Voir www.Reuters.Com. Puis.";
        let zones = vec![std::ops::Range { start: 5, end: 20 }];
        let seg = Segmenter::default();
        let got: Vec<&str> = seg
            .split(text, 0, &zones)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["Voir www.Reuters.Com.", "Puis."]);
    }
}
