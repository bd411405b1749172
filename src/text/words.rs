//! Word tokens with byte ranges: letters and digits, with inner hyphens and apostrophes.

use std::ops::{ControlFlow, Range};

/// Byte ranges of the words of `text`. A word is a run of alphanumeric characters that
/// may contain single `-`, `'` or `’` between two alphanumeric characters. U+FFFD counts
/// as a letter, so that a word broken by a lost character stays one (broken) word.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut i = 0;
    while i < bytes.len() {
        // Skip to the next word character: ASCII by table, the others decoded.
        while i < bytes.len() && bytes[i] < 0x80 && !ASCII_WORD[usize::from(bytes[i])] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        if bytes[i] >= 0x80 {
            match non_ascii_class_at(text, i) {
                (Class::Word, _) => {}
                (_, len) => {
                    i += len;
                    continue;
                }
            }
        }
        let start = i;
        loop {
            // Runs of ASCII letters and digits without decoding.
            while i < bytes.len() && ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if b < 0x80 {
                // An ASCII joiner between two word characters (`year-on-year`, `l'an`).
                if !matches!(b, b'-' | b'\'') {
                    break;
                }
                match bytes.get(i + 1) {
                    Some(&n) if n < 0x80 && ASCII_WORD[usize::from(n)] => i += 2,
                    Some(&n) if n >= 0x80 && non_ascii_class_at(text, i + 1).0 == Class::Word => {
                        i += 1
                    }
                    _ => break,
                }
                continue;
            }
            let (class, len) = non_ascii_class_at(text, i);
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

/// Calls `f` on the byte range of each maximal run of alphanumeric characters of
/// `text[..end]`, given the `words` of `text`, until `f` breaks: every such run lies
/// inside a word, cut at the word's joiners and U+FFFD (and at `end`, a character
/// boundary).
pub fn for_each_alphanumeric_run(
    text: &str,
    words: &[Range<usize>],
    end: usize,
    mut f: impl FnMut(Range<usize>) -> ControlFlow<()>,
) {
    // Every other character of a word is alphanumeric: the cuts are found by bytes.
    const APOSTROPHE: &[u8] = "’".as_bytes();
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    let bytes = text.as_bytes();
    for w in words.iter().take_while(|w| w.start < end) {
        let word_end = w.end.min(end);
        let (mut run, mut i) = (w.start, w.start);
        while let Some(k) = bytes[i..word_end]
            .iter()
            .position(|&b| MAY_CUT[usize::from(b)])
        {
            let at = i + k;
            let rest = &bytes[at..word_end];
            let cut = match rest[0] {
                b'-' | b'\'' => 1,
                _ if rest.starts_with(APOSTROPHE) || rest.starts_with(REPLACEMENT) => 3,
                _ => 0,
            };
            i = at + cut.max(1);
            if cut > 0 {
                if run < at && f(run..at).is_break() {
                    return;
                }
                run = i;
            }
        }
        if run < word_end && f(run..word_end).is_break() {
            return;
        }
    }
}

/// The bytes that may start a cut inside a word: `-`, `'`, and the lead bytes of `’`
/// and U+FFFD.
static MAY_CUT: [bool; 256] = {
    let mut table = [false; 256];
    table[b'-' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xE2] = true;
    table[0xEF] = true;
    table
};

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
        fn agrees_with_the_definition(text in "[a-zé9 '’\\-.,\u{FFFD}\u{301}жÀ×÷œſĀ]{0,40}|[\u{0}-\u{7F}é]{0,40}") {
            proptest::prop_assert_eq!(words(&text), reference(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn alphanumeric_runs_are_the_split_on_other_characters(text in "[a-zA-Z0-9 ,.'éÉœ’«»\u{A0}\u{2009}\u{FFFD}\t\nωΩ٣ⅷａ–-]{0,40}") {
            for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                let mut from_words = Vec::new();
                for_each_alphanumeric_run(&text, &words(&text), end, |w| {
                    from_words.push(text[w].to_string());
                    ControlFlow::Continue(())
                });
                let expected: Vec<&str> = text[..end]
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                proptest::prop_assert_eq!(from_words, expected);
            }
        }
    }

    #[test]
    fn keeps_inner_joiners_and_drops_outer_ones() {
        let text = "l'OpenAI, year-on-year -x 3,5 d' ";
        let got: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["l'OpenAI", "year-on-year", "x", "3", "5", "d"]);
    }
}
