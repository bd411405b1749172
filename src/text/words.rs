//! Word tokens with byte ranges: letters and digits, with inner hyphens and apostrophes.

use std::ops::Range;

/// Byte ranges of the words of `text`. A word is a run of alphanumeric characters that
/// may contain single `-`, `'` or `’` between two alphanumeric characters. U+FFFD counts
/// as a letter, so that a word broken by a lost character stays one (broken) word.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if start.is_some()
            && matches!(c, '-' | '\'' | '’')
            && iter.peek().is_some_and(|(_, n)| is_word_char(*n))
        {
            // joiner inside a word
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || c == '\u{FFFD}'
    }
}

/// Does the word start with an upper-case letter?
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Is the word all upper-case letters (and digits), like an acronym or a code?
pub fn is_acronym(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_inner_joiners_and_drops_outer_ones() {
        let text = "l'OpenAI, year-on-year -x 3,5 d' ";
        let got: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["l'OpenAI", "year-on-year", "x", "3", "5", "d"]);
    }
}
