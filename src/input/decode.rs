//! Bytes to text: UTF-8 with or without BOM, UTF-16 with a BOM, lossy on invalid UTF-8.

use std::fmt;

/// A run of bytes that was not valid UTF-8, replaced by one U+FFFD in the decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBytes {
    /// Byte offset of the U+FFFD in the decoded text.
    pub offset: usize,
    pub bytes: Vec<u8>,
}

/// Decoded text, with the invalid UTF-8 sequences it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    pub text: String,
    pub invalid: Vec<InvalidBytes>,
    /// The file began with a UTF-8 byte-order mark (kept when the file is rewritten).
    pub utf8_bom: bool,
    /// The file was UTF-16 (it is checked, but never rewritten).
    pub utf16: bool,
}

impl Decoded {
    /// Text from a string that was valid UTF-8 all along.
    pub fn from_text(text: String) -> Self {
        Decoded {
            text,
            ..Decoded::default()
        }
    }

    /// How the text can be written back to its file.
    pub fn encoding(&self) -> FileEncoding {
        FileEncoding {
            utf8_bom: self.utf8_bom,
            lossless: self.invalid.is_empty() && !self.utf16,
        }
    }
}

/// How a decoded file is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileEncoding {
    /// The file began with a UTF-8 byte-order mark.
    pub utf8_bom: bool,
    /// The text can be written back byte for byte as the file had it (outside fixes):
    /// valid UTF-8, not UTF-16.
    pub lossless: bool,
}

impl FileEncoding {
    /// The bytes to write for `text` (UTF-8, BOM kept).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.utf8_bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// Why a file cannot be checked as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// NUL bytes: an image, an archive, a binary.
    Binary,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => f.write_str("binary file (contains NUL bytes), not checked"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// [`decode`] of bytes it may keep: valid UTF-8 without a byte-order mark, as most files
/// are, becomes the text as it is, without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if encoding_rs::Encoding::for_bom(&bytes).is_none()
        && memchr::memchr(0, &bytes).is_none()
        && simdutf8::basic::from_utf8(&bytes).is_ok()
    {
        // SAFETY: the bytes were just validated as UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Ok(Decoded::from_text(text));
    }
    decode(&bytes)
}

/// Decodes `bytes`. Invalid UTF-8 is replaced by U+FFFD and recorded, never dropped.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            return Ok(Decoded {
                text: text.into_owned(),
                utf16: true,
                ..Decoded::default()
            });
        }
    }
    let utf8_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if memchr::memchr(0, bytes).is_some() {
        return Err(DecodeError::Binary);
    }
    // Most files are valid UTF-8, validated with SIMD: std's validation leaves its ASCII
    // fast path at every accented letter.
    if let Ok(valid) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: valid.to_owned(),
            utf8_bom,
            ..Decoded::default()
        });
    }
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            invalid.push(InvalidBytes {
                offset: text.len(),
                bytes: chunk.invalid().to_vec(),
            });
            text.push('\u{FFFD}');
        }
    }
    Ok(Decoded {
        text,
        invalid,
        utf8_bom,
        utf16: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom_and_keeps_text() {
        let d = decode(b"\xEF\xBB\xBFl'an").unwrap();
        assert_eq!(d.text, "l'an");
        assert!(d.invalid.is_empty());
    }

    #[test]
    fn records_invalid_utf8_in_place() {
        let d = decode(b"caf\xE9 ici").unwrap();
        assert_eq!(d.text, "caf\u{FFFD} ici");
        assert_eq!(
            d.invalid,
            [InvalidBytes {
                offset: 3,
                bytes: vec![0xE9]
            }]
        );
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "été".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "été");
    }

    #[test]
    fn refuses_binary() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00"), Err(DecodeError::Binary));
    }

    #[test]
    fn plain_utf8_becomes_the_text_without_a_copy() {
        let bytes = "Le marché a progressé.".as_bytes().to_vec();
        let at = bytes.as_ptr();
        let decoded = decode_owned(bytes).unwrap();
        assert_eq!(decoded.text, "Le marché a progressé.");
        assert_eq!(decoded.text.as_ptr(), at);
    }

    proptest::proptest! {
        /// Kept or borrowed, bytes decode the same: with or without a byte-order mark,
        /// invalid UTF-8, NUL bytes, UTF-16.
        #[test]
        fn owned_bytes_decode_as_borrowed_ones(
            bom in proptest::sample::select(vec![&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"]),
            body in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', 0xC3, 0xA9, 0xE9, 0, 0x80]),
                0..12,
            ),
        ) {
            let bytes = [bom, &body[..]].concat();
            proptest::prop_assert_eq!(decode_owned(bytes.clone()), decode(&bytes));
        }
    }
}
