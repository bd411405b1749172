//! Inputs: files, folders walked recursively, standard input; decoding to text.

mod decode;
pub mod feed;
pub mod html;
mod reader;

pub use decode::{decode, decode_owned, DecodeError, Decoded, FileEncoding, InvalidBytes};
pub use reader::Reader;

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
            // As `Path::display` writes it (invalid UTF-8 as U+FFFD), without the
            // formatting machinery: two names a file.
            Source::File(p) => p.to_string_lossy().into_owned(),
        }
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

/// The bytes of a walked entry's path.
fn path_bytes(entry: &walkdir::DirEntry) -> &[u8] {
    entry.path().as_os_str().as_encoded_bytes()
}

fn walk(
    dir: &Path,
    extensions: &[String],
    sources: &mut Vec<Source>,
    errors: &mut Vec<InputError>,
) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        // Siblings' paths are their folder's path joined with their names: comparing the
        // whole paths' bytes orders them by name, without looking for the last component.
        .sort_by(|a, b| path_bytes(a).cmp(path_bytes(b)));
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

    /// Names are written as `Path::display` writes them, a name that is not UTF-8 too.
    #[cfg(unix)]
    #[test]
    fn a_file_is_named_as_its_path_displays() {
        use std::os::unix::ffi::OsStrExt;
        for name in [
            &b"wires/caf\xc3\xa9.txt"[..],
            b"wires/caf\xe9.txt",
            b"a\xff\xfeb",
        ] {
            let path = PathBuf::from(std::ffi::OsStr::from_bytes(name));
            let expected = path.display().to_string();
            assert_eq!(Source::File(path).display_name(), expected);
        }
        assert_eq!(Source::Stdin.display_name(), "-");
    }

    /// The files of `dir` and its folders, each folder's entries taken in order of name.
    fn walked_by_name(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        for path in entries {
            if path.is_dir() {
                walked_by_name(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    #[test]
    fn folders_are_walked_in_order_of_name_at_every_level() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["", "a", "a/b", "a0", "a b"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            for name in [
                "b.txt",
                "a b.txt",
                "a.txt",
                "été.txt",
                "Z.txt",
                "a-b.txt",
                "a0.txt",
            ] {
                std::fs::write(dir.path().join(folder).join(name), "x").unwrap();
            }
        }
        let (sources, errors) = expand(&[dir.path().to_path_buf()], &["txt".into()]);
        assert!(errors.is_empty());
        let walked: Vec<PathBuf> = sources
            .into_iter()
            .map(|s| match s {
                Source::File(p) => p,
                Source::Stdin => unreachable!(),
            })
            .collect();
        let mut expected = Vec::new();
        walked_by_name(dir.path(), &mut expected);
        assert_eq!(walked.len(), 35);
        assert_eq!(walked, expected);
    }
}
