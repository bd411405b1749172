//! Word tokens with byte ranges: letters and digits, with inner hyphens and apostrophes.

use std::ops::Range;

/// Byte ranges of the words of `text`. A word is a run of alphanumeric characters that
/// may contain single `-`, `'` or `’` between two alphanumeric characters. U+FFFD counts
/// as a letter, so that a word broken by a lost character stays one (broken) word.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (class, len) = class_at(text, i);
        match class {
            Class::Word => {
                start.get_or_insert(i);
            }
            Class::Joiner
                if start.is_some()
                    && i + len < bytes.len()
                    && class_at(text, i + len).0 == Class::Word => {}
            _ => {
                if let Some(s) = start.take() {
                    out.push(s..i);
                }
            }
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Joiner,
    Other,
}

/// The class and length of the character at byte `i` (ASCII without decoding).
fn class_at(text: &str, i: usize) -> (Class, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        let class = if b.is_ascii_alphanumeric() {
            Class::Word
        } else if b == b'-' || b == b'\'' {
            Class::Joiner
        } else {
            Class::Other
        };
        return (class, 1);
    }
    let c = text[i..].chars().next().expect("a character at a boundary");
    let class = if c.is_alphanumeric() || c == '\u{FFFD}' {
        Class::Word
    } else if c == '’' {
        Class::Joiner
    } else {
        Class::Other
    };
    (class, c.len_utf8())
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
