//! Word tokens with byte ranges: letters and digits, with inner hyphens and apostrophes.

use std::ops::Range;

/// Byte ranges of the words of `text`. A word is a run of alphanumeric characters that
/// may contain single `-`, `'` or `’` between two alphanumeric characters. U+FFFD counts
/// as a letter, so that a word broken by a lost character stays one (broken) word.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut i = 0;
    while i < bytes.len() {
        // Skip to the next word character: ASCII by table, the others decoded.
        if !ASCII_WORD[usize::from(bytes[i])] {
            let len = match bytes[i] {
                b if b.is_ascii() => 1,
                _ => match non_ascii_class_at(text, i) {
                    (Class::Word, _) => 0,
                    (_, len) => len,
                },
            };
            if len > 0 {
                i += len;
                continue;
            }
        }
        let start = i;
        loop {
            // Runs of ASCII letters and digits without decoding.
            while i < bytes.len() && ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
            let (class, len) = class_at(text, i);
            match class {
                Class::Word => i += len,
                Class::Joiner
                    if i + len < bytes.len() && class_at(text, i + len).0 == Class::Word =>
                {
                    i += len
                }
                _ => break,
            }
        }
        out.push(start..i);
    }
    out
}

/// The ASCII letters and digits, by byte value.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Joiner,
    Other,
}

/// The class and length of the character at byte `i` (ASCII without decoding).
#[inline(always)]
fn class_at(text: &str, i: usize) -> (Class, usize) {
    let b = text.as_bytes()[i];
    if b >= 0x80 {
        return non_ascii_class_at(text, i);
    }
    let class = if b.is_ascii_alphanumeric() {
        Class::Word
    } else if b == b'-' || b == b'\'' {
        Class::Joiner
    } else {
        Class::Other
    };
    (class, 1)
}

fn non_ascii_class_at(text: &str, i: usize) -> (Class, usize) {
    // Latin-1 letters (U+00C0-U+00FF but × and ÷) and Latin Extended-A (U+0100-U+017F).
    match (text.as_bytes()[i], text.as_bytes().get(i + 1)) {
        (0xC3, Some(&n)) if n != 0x97 && n != 0xB7 => return (Class::Word, 2),
        (0xC4 | 0xC5, Some(_)) => return (Class::Word, 2),
        _ => {}
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

/// Calls `f` on each maximal run of the characters of `text` that satisfy `keep`, in order;
/// ASCII characters are tested without decoding (`keep` sees them as `char`s too).
#[inline]
pub fn for_each_run(text: &str, keep: impl Fn(char) -> bool, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let (kept, len) = match bytes[i] {
            b if b.is_ascii() => (keep(char::from(b)), 1),
            _ => {
                let c = text[i..].chars().next().expect("a character at a boundary");
                (keep(c), c.len_utf8())
            }
        };
        match (kept, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// Calls `f` on each maximal run of alphanumeric characters of `text[..end]`, given the
/// `words` of `text`: every such run lies inside a word, cut at the word's joiners and
/// U+FFFD (and at `end`, a character boundary).
pub fn for_each_alphanumeric_run(
    text: &str,
    words: &[Range<usize>],
    end: usize,
    mut f: impl FnMut(&str),
) {
    // Every other character of a word is alphanumeric: the cuts are found by bytes.
    const APOSTROPHE: &[u8] = "’".as_bytes();
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    for w in words.iter().take_while(|w| w.start < end) {
        let word = &text[w.start..w.end.min(end)];
        let bytes = word.as_bytes();
        let (mut run, mut i) = (0, 0);
        while i < bytes.len() {
            let cut = match bytes[i] {
                b'-' | b'\'' => 1,
                0xE2 if bytes[i..].starts_with(APOSTROPHE) => APOSTROPHE.len(),
                0xEF if bytes[i..].starts_with(REPLACEMENT) => REPLACEMENT.len(),
                _ => 0,
            };
            if cut == 0 {
                i += 1;
                continue;
            }
            if run < i {
                f(&word[run..i]);
            }
            i += cut;
            run = i;
        }
        if run < bytes.len() {
            f(&word[run..]);
        }
    }
}

/// Calls `f` on each token of `str::split_whitespace`, scanning bytes: nothing is decoded.
#[inline]
pub fn for_each_whitespace_token<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && whitespace_len(bytes, i) > 0 {
            i += whitespace_len(bytes, i);
        }
        if i == bytes.len() {
            return;
        }
        let start = i;
        loop {
            while i < bytes.len() && !MAY_START_WHITESPACE[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() || whitespace_len(bytes, i) > 0 {
                break;
            }
            i += 1;
        }
        f(&text[start..i]);
    }
}

/// The bytes that can start a white-space character: ASCII white space and the lead bytes
/// of the others (see [`whitespace_len`]).
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    table
};

/// The UTF-8 length of the white-space character (`char::is_whitespace`) starting at
/// byte `i`, or 0 when none does there (continuation bytes included).
#[inline(always)]
fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 => match bytes.get(i + 1) {
            Some(0x85 | 0xA0) => 2, // U+0085, U+00A0
            _ => 0,
        },
        0xE1 => usize::from(bytes.get(i + 1..i + 3) == Some(&[0x9A, 0x80])) * 3, // U+1680
        0xE2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
            // U+2000-U+200A, U+2028, U+2029, U+202F, U+205F
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => usize::from(bytes.get(i + 1..i + 3) == Some(&[0x80, 0x80])) * 3, // U+3000
        _ => 0,
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

    /// The definition, one character at a time: what the fast tokeniser must agree with.
    fn reference(text: &str) -> Vec<Range<usize>> {
        let is_word = |c: char| c.is_alphanumeric() || c == '\u{FFFD}';
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if is_word(c) {
                start.get_or_insert(i);
            } else if start.is_some()
                && matches!(c, '-' | '\'' | '’')
                && iter.peek().is_some_and(|(_, n)| is_word(*n))
            {
            } else if let Some(s) = start.take() {
                out.push(s..i);
            }
        }
        out.extend(start.map(|s| s..text.len()));
        out
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_definition(text in "[a-zé9 '’\\-.,\u{FFFD}\u{301}жÀ×÷œſĀ]{0,40}") {
            proptest::prop_assert_eq!(words(&text), reference(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_are_the_split_on_other_characters(text in "[a-zA-Z0-9 ,.'éÉœ’«»\u{A0}\u{2009}\u{FFFD}\t\nωΩ٣-]{0,40}") {
            let mut runs = Vec::new();
            for_each_run(&text, char::is_alphanumeric, |w| runs.push(w.to_string()));
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            proptest::prop_assert_eq!(runs, expected);
            for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                let mut from_words = Vec::new();
                for_each_alphanumeric_run(&text, &words(&text), end, |w| from_words.push(w.to_string()));
                let expected: Vec<&str> = text[..end]
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                proptest::prop_assert_eq!(from_words, expected);
            }
            let mut tokens = Vec::new();
            for_each_whitespace_token(&text, |w| tokens.push(w.to_string()));
            proptest::prop_assert_eq!(tokens, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn whitespace_bytes_agree_with_char_is_whitespace_for_every_char() {
        let mut buffer = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let encoded = c.encode_utf8(&mut buffer).as_bytes();
            let expected = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(whitespace_len(encoded, 0), expected, "{:?}", c);
        }
    }

    proptest::proptest! {
        #[test]
        fn whitespace_tokens_are_split_whitespace(text in "[a\u{85}\u{A0}\u{80}\u{1680}\u{1681}\u{2000}-\u{2030}\u{205F}\u{205E}\u{3000}\u{3001} \t\n\r\u{B}\u{C}é€]{0,30}") {
            let mut tokens = Vec::new();
            for_each_whitespace_token(&text, |w| tokens.push(w));
            proptest::prop_assert_eq!(tokens, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn keeps_inner_joiners_and_drops_outer_ones() {
        let text = "l'OpenAI, year-on-year -x 3,5 d' ";
        let got: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["l'OpenAI", "year-on-year", "x", "3", "5", "d"]);
    }
}
