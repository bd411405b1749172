//! Errors that point at a place in a file the user wrote: rule packs, configuration.

use std::fmt;

/// A problem in a file, with the 1-based line when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl FileError {
    /// An error in `file` at `line`.
    pub fn new(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        FileError {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// A TOML parse error of `file`, whose text is `text`, located by its span.
    pub fn from_toml(file: impl Into<String>, text: &str, e: &toml::de::Error) -> Self {
        FileError::new(file, e.span().map(|s| line_of(text, s.start)), e.message())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
