//! Word tokens with byte ranges: letters and digits, with inner hyphens and apostrophes.

use std::ops::{ControlFlow, Range};

/// A word's byte range in its text, in 32-bit offsets: half the memory of a
/// `Range<usize>`, for a list that often outweighs the text (a word every six bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    start: u32,
    end: u32,
}

/// Texts are tokenised up to this byte (see [`Word`]); the reader refuses longer files.
pub const MAX_TOKENISED: usize = u32::MAX as usize;

impl Word {
    /// The word at `start..end` (both at most [`MAX_TOKENISED`]).
    fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end && end <= MAX_TOKENISED);
        Word {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Where the word starts.
    #[inline]
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// Where the word ends.
    #[inline]
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Its byte range.
    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }
}

/// Byte ranges of the words of `text` (of its first [`MAX_TOKENISED`] bytes). A word is a
/// run of alphanumeric characters that may contain single `-`, `'` or `’` between two
/// alphanumeric characters. U+FFFD counts as a letter, so that a word broken by a lost
/// character stays one (broken) word.
///
/// The text is read 64 bytes at a time: ASCII bytes are classified sixteen at a time
/// (SIMD), other characters one by one, into a mask of the block's word bytes, whose
/// edges give the words without a branch per byte.
pub fn words(text: &str) -> Vec<Word> {
    let text = &text[..crate::detect::floor_boundary(text, MAX_TOKENISED)];
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut state = BlockState::default();
    let mut base = 0;
    while base + BLOCK <= bytes.len() {
        let block: &[u8; BLOCK] = bytes[base..base + BLOCK].try_into().expect("a block");
        state.words_of_block(text, base, block, &mut out);
        base += BLOCK;
    }
    if base < bytes.len() {
        // The last bytes, after spaces: the spaces end any word at the end of the text.
        let mut block = [b' '; BLOCK];
        block[..bytes.len() - base].copy_from_slice(&bytes[base..]);
        state.words_of_block(text, base, &block, &mut out);
    } else if state.in_word {
        out.push(Word::new(state.start, bytes.len()));
    }
    out
}

/// Bytes read at a time by [`words`].
const BLOCK: usize = 64;

/// What a block passes on to the next.
#[derive(Default)]
struct BlockState {
    /// Is the last byte of the block in a word (which then started at `start`)?
    in_word: bool,
    start: usize,
    /// Is the last byte of the block a word character's?
    last_is_word_char: bool,
    /// The first bytes of the next block that end a character of a word (a word character,
    /// or an inner joiner) begun in this one.
    carried: u64,
}

impl BlockState {
    /// Pushes the words that end in `block` (the bytes of `text` from `base`, or its last
    /// bytes followed by spaces).
    fn words_of_block(
        &mut self,
        text: &str,
        base: usize,
        block: &[u8; BLOCK],
        out: &mut Vec<Word>,
    ) {
        let mut ascii = AsciiMasks::default();
        for (k, chunk) in block.chunks_exact(16).enumerate() {
            ascii.add(k, chunk.try_into().expect("sixteen bytes"));
        }
        // The bytes of word characters: ASCII ones, those of a character begun in the
        // last block, and those of the others, decoded from their first bytes; the first
        // bytes of `’`, a joiner, apart.
        let mut word_chars = ascii.alphanumeric | self.carried;
        let mut in_words = self.carried;
        let mut carried = 0;
        let mut leads = ascii.leads;
        let mut curly = 0u64;
        while leads != 0 {
            let p = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            let (class, len) = non_ascii_class_at(text, base + p);
            match class {
                Class::Word => {
                    let (here, next) = span_bits(p, len);
                    word_chars |= here;
                    carried |= next;
                }
                Class::Joiner => curly |= 1 << p,
                Class::Other => {}
            }
        }
        // A joiner between two word characters belongs to the word.
        let mut joiners = ascii.joiners | curly;
        while joiners != 0 {
            let p = joiners.trailing_zeros() as usize;
            joiners &= joiners - 1;
            let len = if curly >> p & 1 == 1 { 3 } else { 1 };
            let after_word = match p {
                0 => self.last_is_word_char,
                _ => word_chars >> (p - 1) & 1 == 1,
            };
            let before_word = || match p + len {
                next if next < BLOCK => word_chars >> next & 1 == 1,
                next => base + next < text.len() && class_at(text, base + next).0 == Class::Word,
            };
            if after_word && before_word() {
                let (here, next) = span_bits(p, len);
                in_words |= here;
                carried |= next;
            }
        }
        in_words |= word_chars;
        // Each edge of the mask starts or ends a word, in turn: the first ends the word
        // under way, if one is, then they come in pairs (a start, an end) but for a
        // start left alone at the end, whose word goes on in the next block.
        let mut edges = in_words ^ (in_words << 1 | u64::from(self.in_word));
        let next_edge = |edges: &mut u64| {
            let p = edges.trailing_zeros() as usize;
            *edges &= edges.wrapping_sub(1);
            base + p
        };
        if self.in_word && edges != 0 {
            out.push(Word::new(self.start, next_edge(&mut edges)));
        }
        while edges != 0 {
            let start = next_edge(&mut edges);
            if edges == 0 {
                self.start = start;
                break;
            }
            out.push(Word::new(start, next_edge(&mut edges)));
        }
        self.in_word = in_words >> (BLOCK - 1) == 1;
        self.last_is_word_char = word_chars >> (BLOCK - 1) == 1;
        self.carried = carried;
    }
}

/// The bits of bytes `p..p + len` of a block, and those of the next block's bytes past
/// its end.
fn span_bits(p: usize, len: usize) -> (u64, u64) {
    let bits = ((1u128 << len) - 1) << p;
    (bits as u64, (bits >> BLOCK) as u64)
}

/// Masks of a block's bytes (bit `i` for byte `i`): ASCII letters and digits, ASCII
/// joiners (`-`, `'`), and the first bytes of other characters.
#[derive(Default)]
struct AsciiMasks {
    alphanumeric: u64,
    joiners: u64,
    leads: u64,
}

impl AsciiMasks {
    /// Classifies bytes `16k` to `16k + 15` of the block, `chunk`, sixteen at a time
    /// (in one SIMD register where the target has them). As signed bytes, the ASCII
    /// ones are the non-negative ones, and lead bytes (`11xxxxxx`) run from -64 to -1.
    fn add(&mut self, k: usize, chunk: &[u8; 16]) {
        use wide::{i8x16, CmpEq, CmpGt};
        let v = i8x16::new(chunk.map(|b| b as i8));
        let at_least = |m: u8| v.cmp_gt(i8x16::splat(m as i8 - 1));
        let below = |m: u8| i8x16::splat(m as i8).cmp_gt(v);
        let digit = at_least(b'0') & below(b'9' + 1);
        // Bit 5 set lower-cases an ASCII letter and keeps other bytes' signs.
        let folded = v | i8x16::splat(0x20);
        let letter = folded.cmp_gt(i8x16::splat(b'a' as i8 - 1))
            & i8x16::splat(b'z' as i8 + 1).cmp_gt(folded);
        let joiner = v.cmp_eq(i8x16::splat(b'-' as i8)) | v.cmp_eq(i8x16::splat(b'\'' as i8));
        let lead = v.cmp_gt(i8x16::splat(-65)) & i8x16::splat(0).cmp_gt(v);
        let bits = |mask: i8x16| u64::from(mask.move_mask() as u16) << (16 * k);
        self.alphanumeric |= bits(digit | letter);
        self.joiners |= bits(joiner);
        self.leads |= bits(lead);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    // The characters of French copy, without decoding: Latin-1 letters (U+00C0-U+00FF
    // but × and ÷) and Latin Extended-A (U+0100-U+017F); the rest of Latin-1 (no-break
    // space, « », °), where only ª µ º and ¹ ² ³ ¼ ½ ¾ are alphanumeric; general
    // punctuation (U+2000-U+203F: spaces, dashes, quotes, `’`), none alphanumeric.
    let bytes = text.as_bytes();
    match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
        (0xC3, Some(&n), _) if n != 0x97 && n != 0xB7 => return (Class::Word, 2),
        (0xC4 | 0xC5, Some(_), _) => return (Class::Word, 2),
        (0xC2, Some(0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9..=0xBA | 0xBC..=0xBE), _) => {
            return (Class::Word, 2)
        }
        (0xC2, Some(_), _) => return (Class::Other, 2),
        (0xE2, Some(0x80), Some(0x99)) => return (Class::Joiner, 3),
        (0xE2, Some(0x80), Some(_)) => return (Class::Other, 3),
        _ => {}
    }
    decoded_class_at(text, i)
}

/// [`non_ascii_class_at`] by decoding the character.
fn decoded_class_at(text: &str, i: usize) -> (Class, usize) {
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
    words: &[Word],
    end: usize,
    mut f: impl FnMut(Range<usize>) -> ControlFlow<()>,
) {
    // Every other character of a word is alphanumeric: the cuts are found by bytes.
    const APOSTROPHE: &[u8] = "’".as_bytes();
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    let bytes = text.as_bytes();
    for w in words.iter().take_while(|w| w.start() < end) {
        let (start, word_end) = (w.start(), w.end().min(end));
        // Most words have eight bytes or fewer and no cut: their bytes are read in one
        // load and tested at once, not one by one (whose loop ended on a mispredicted
        // branch, at a length as good as random).
        let len = word_end - start;
        if len <= 8 && !any_may_cut(crate::word_filter::packed(bytes, start, len)) {
            if f(start..word_end).is_break() {
                return;
            }
            continue;
        }
        let (mut run, mut i) = (start, start);
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

/// Does a byte of `chunk` (one to eight bytes, zero-padded) start a cut ([`MAY_CUT`])?
/// Each byte is compared with each of the four at once (padding never matches).
fn any_may_cut(chunk: u64) -> bool {
    use crate::word_filter::has_byte;
    has_byte(chunk, b'-') | has_byte(chunk, b'\'') | has_byte(chunk, 0xE2) | has_byte(chunk, 0xEF)
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

    /// The shortcuts of `non_ascii_class_at` class every character as decoding does.
    #[test]
    fn every_character_is_classed_as_decoding_classes_it() {
        let mut buffer = [0u8; 4];
        // Every scalar value from U+0080 (a range of `char` skips the surrogates).
        for c in '\u{80}'..=char::MAX {
            let text = c.encode_utf8(&mut buffer);
            assert_eq!(
                non_ascii_class_at(text, 0),
                decoded_class_at(text, 0),
                "{c:?}"
            );
        }
    }

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
        /// Up to 900 bytes: words, joiners and characters of every length across the
        /// edges of the 64-byte blocks.
        fn agrees_with_the_definition(text in "[a-zé9 '’\\-.,\u{FFFD}\u{301}жÀ×÷œſĀ]{0,300}|[\u{0}-\u{7F}é]{0,300}|[a-c'’\\- 漢\u{1F600}]{0,300}") {
            let ranges: Vec<Range<usize>> = words(&text).into_iter().map(Word::range).collect();
            proptest::prop_assert_eq!(ranges, reference(&text));
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

    /// The one-load test agrees with the byte table for every byte in every place of a
    /// word of one to eight bytes, and the zero padding after a short word never cuts.
    #[test]
    fn the_packed_cut_test_agrees_with_the_byte_table() {
        for len in 1..=8 {
            let plain = crate::word_filter::packed(b"abcdefgh", 0, len);
            assert!(!any_may_cut(plain), "{len}");
            for place in 0..len {
                for b in 0..=255u8 {
                    let chunk = plain & !(0xFF << (8 * place)) | u64::from(b) << (8 * place);
                    assert_eq!(
                        any_may_cut(chunk),
                        MAY_CUT[usize::from(b)],
                        "{len} {place} {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn classifies_every_byte_in_every_place_of_a_chunk() {
        for b in 0..=255u8 {
            for i in 0..16 {
                let mut chunk = [b' '; 16];
                chunk[i] = b;
                let mut masks = AsciiMasks::default();
                masks.add(2, &chunk);
                let bit = |mask: u64| mask == 1 << (32 + i);
                assert_eq!(bit(masks.alphanumeric), b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(bit(masks.joiners), b == b'-' || b == b'\'', "{b:#x}");
                assert_eq!(bit(masks.leads), b >= 0xC0, "{b:#x}");
                for mask in [masks.alphanumeric, masks.joiners, masks.leads] {
                    assert!(mask == 0 || bit(mask), "{b:#x} at {i}");
                }
            }
        }
    }

    #[test]
    fn keeps_inner_joiners_and_drops_outer_ones() {
        let text = "l'OpenAI, year-on-year -x 3,5 d' ";
        let got: Vec<&str> = words(text).into_iter().map(|w| &text[w.range()]).collect();
        assert_eq!(got, ["l'OpenAI", "year-on-year", "x", "3", "5", "d"]);
    }
}
