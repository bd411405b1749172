//! Inputs: files, folders walked recursively, standard input; decoding to text.

mod decode;
pub mod feed;
pub mod html;

pub use decode::{decode, DecodeError, Decoded, FileEncoding, InvalidBytes};

use std::io::Read;
use std::path::{Path, PathBuf};

/// One thing to check, as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The name reports use: the path as given, or `-` for standard input.
    pub fn display_name(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// Size in bytes of a file (None for standard input, or a file that cannot be read).
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::Stdin => None,
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }

    /// Reads all bytes of the source, whose [`Self::size`] is `size` if known (a file is
    /// then not asked its size a second time).
    pub fn read(&self, size: Option<u64>) -> std::io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        match self {
            Source::Stdin => {
                std::io::stdin().lock().read_to_end(&mut buf)?;
            }
            Source::File(p) => {
                let Some(size) = size.and_then(|s| usize::try_from(s).ok()) else {
                    return std::fs::read(p);
                };
                // One byte more: the read that finds the end needs no room of its own.
                buf.try_reserve_exact(size.saturating_add(1))
                    .map_err(std::io::Error::other)?;
                // Through `take`: `File::read_to_end` would ask the size again.
                std::fs::File::open(p)?
                    .take(u64::MAX)
                    .read_to_end(&mut buf)?;
            }
        }
        Ok(buf)
    }
}

/// A path that could not be expanded into sources.
#[derive(Debug)]
pub struct InputError {
    pub name: String,
    pub message: String,
}

/// Expands command-line paths into sources: folders are walked recursively for files
/// whose extension is in `extensions`, in sorted order; `-` is standard input.
pub fn expand(paths: &[PathBuf], extensions: &[String]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        sources.push(Source::Stdin);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if path.is_dir() {
            walk(path, extensions, &mut sources, &mut errors);
        } else if path.exists() {
            sources.push(Source::File(path.clone()));
        } else {
            errors.push(InputError {
                name: path.display().to_string(),
                message: "no such file or folder".into(),
            });
        }
    }
    (sources, errors)
}

/// The bytes of the last component of a walked path: what `Path::file_name` gives
/// there, without parsing every component (sorting 40,000 files called it a million
/// times).
fn file_name(path: &Path) -> &[u8] {
    let bytes = path.as_os_str().as_encoded_bytes();
    let start = bytes
        .iter()
        .rposition(|&b| std::path::is_separator(char::from(b)))
        .map_or(0, |i| i + 1);
    &bytes[start..]
}

fn walk(
    dir: &Path,
    extensions: &[String],
    sources: &mut Vec<Source>,
    errors: &mut Vec<InputError>,
) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by(|a, b| file_name(a.path()).cmp(file_name(b.path())));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && has_extension(e.path(), extensions) => {
                sources.push(Source::File(e.into_path()))
            }
            Ok(_) => {}
            Err(e) => errors.push(InputError {
                name: e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string()),
                message: if e.loop_ancestor().is_some() {
                    "symbolic link loop, skipped".into()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                },
            }),
        }
    }
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|want| want.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_whole_whatever_size_it_was_said_to_have() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.txt");
        let text = "Le marché a progressé.\n".repeat(500);
        std::fs::write(&path, &text).unwrap();
        let source = Source::File(path);
        assert_eq!(source.size(), Some(text.len() as u64));
        // The file may have grown or shrunk since its size was taken.
        for size in [
            None,
            Some(0),
            Some(10),
            Some(text.len() as u64),
            Some(1 << 20),
        ] {
            assert_eq!(source.read(size).unwrap(), text.as_bytes(), "{size:?}");
        }
    }

    #[test]
    fn walked_file_names_are_those_of_the_standard_library() {
        for p in [
            "c.txt",
            "a/b/c.txt",
            "corpus//x.txt",
            "./dépêches/été 2024.txt",
            "a/.hidden",
        ] {
            let path = Path::new(p);
            let expected = path.file_name().unwrap().as_encoded_bytes();
            assert_eq!(file_name(path), expected, "{p}");
        }
    }
}
