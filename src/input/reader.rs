//! Reading sources whole, with as few system calls a file as the system allows.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::Source;
use crate::text::words::MAX_TOKENISED;

/// The error of a source over [`MAX_TOKENISED`] bytes.
fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "4 GiB or larger: wirecheck checks documents under 4 GiB",
    )
}

/// Reads sources one after another. On Unix a file is opened relative to its folder,
/// which is opened once for the files that follow in it: the system then looks up one
/// name a file, not every folder of its path (about 0.7 µs less a file here).
#[derive(Default)]
pub struct Reader {
    /// The last folder, and its handle if it opened.
    #[cfg(unix)]
    folder: Option<(std::path::PathBuf, Option<std::os::fd::OwnedFd>)>,
}

impl Reader {
    /// Reads all bytes of `source`: a file is opened, asked its size through the open
    /// file, and read in one call when the size is right (four system calls). A source
    /// larger than [`MAX_TOKENISED`] is refused (before it is read, when its size is known).
    pub fn read(&mut self, source: &Source) -> io::Result<Vec<u8>> {
        let bytes = match source {
            Source::Stdin => {
                let mut buf = Vec::new();
                io::stdin().lock().read_to_end(&mut buf)?;
                buf
            }
            Source::File(path) => {
                let file = self.open(path)?;
                let size = file.metadata().ok().map(|m| m.len());
                if size.is_some_and(|s| s > MAX_TOKENISED as u64) {
                    return Err(too_large());
                }
                read_sized(file, size)?
            }
        };
        if bytes.len() > MAX_TOKENISED {
            return Err(too_large());
        }
        Ok(bytes)
    }

    /// Opens `path` for reading, through its folder's handle when the folder opens.
    #[cfg(unix)]
    fn open(&mut self, path: &Path) -> io::Result<File> {
        use rustix::fs::{Mode, OFlags};
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return File::open(path);
        };
        if folder.as_os_str().is_empty() {
            return File::open(path);
        }
        if self.folder.as_ref().is_none_or(|(last, _)| last != folder) {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::open(folder, flags, Mode::empty()).ok();
            self.folder = Some((folder.to_path_buf(), fd));
        }
        match self.folder.as_ref().and_then(|(_, fd)| fd.as_ref()) {
            Some(fd) => {
                let flags = OFlags::RDONLY | OFlags::CLOEXEC;
                Ok(rustix::fs::openat(fd, name, flags, Mode::empty())?.into())
            }
            // A folder that can be searched but not read (tried once for all its files):
            // the whole path, then.
            None => File::open(path),
        }
    }

    #[cfg(not(unix))]
    fn open(&mut self, path: &Path) -> io::Result<File> {
        File::open(path)
    }
}

/// Reads `file` to its end, expecting `size` bytes (if known): a file that has grown or
/// shrunk since is read whole all the same.
fn read_sized(mut file: File, size: Option<u64>) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let Some(size) = size.and_then(|s| usize::try_from(s).ok()) else {
        file.read_to_end(&mut buf)?;
        return Ok(buf);
    };
    // One byte more than the size: a read that brings the size, and no more, has met the
    // end (a file that grew brings the byte more and is read on).
    buf.try_reserve_exact(size.saturating_add(1))
        .map_err(io::Error::other)?;
    read_once(&mut file, &mut buf)?;
    if buf.len() != size {
        // Through `take`: `File::read_to_end` would ask the size again.
        file.take(u64::MAX).read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// Appends to `buf` what one read of `file` brings, into its spare capacity (zeroing it
/// first took 0.2 % of a run's time on the bench's wires). Nothing when interrupted.
#[cfg(unix)]
fn read_once(file: &mut File, buf: &mut Vec<u8>) -> io::Result<()> {
    match rustix::io::read(&*file, rustix::buffer::spare_capacity(buf)) {
        Err(rustix::io::Errno::INTR) => Ok(()),
        other => other.map(drop).map_err(io::Error::from),
    }
}

#[cfg(not(unix))]
fn read_once(file: &mut File, buf: &mut Vec<u8>) -> io::Result<()> {
    let start = buf.len();
    buf.resize(buf.capacity(), 0);
    let read = match file.read(&mut buf[start..]) {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
        other => other?,
    };
    buf.truncate(start + read);
    Ok(())
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
        // The file may have grown or shrunk since its size was taken.
        for size in [
            None,
            Some(0),
            Some(10),
            Some(text.len() as u64),
            Some(1 << 20),
        ] {
            let file = File::open(&path).unwrap();
            assert_eq!(read_sized(file, size).unwrap(), text.as_bytes(), "{size:?}");
        }
    }

    /// Files of one folder, then of another, then of the first again, and a file named
    /// without a folder: each reads as itself.
    #[test]
    fn files_read_as_themselves_from_folder_to_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for folder in ["a", "b", "a"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            for name in ["x.txt", "y.txt"] {
                let path = dir.path().join(folder).join(name);
                std::fs::write(&path, format!("{folder}/{name}")).unwrap();
                paths.push(path);
            }
        }
        let mut reader = Reader::default();
        for path in &paths {
            let got = reader.read(&Source::File(path.clone())).unwrap();
            let rel = path.strip_prefix(dir.path()).unwrap();
            assert_eq!(got, rel.to_str().unwrap().as_bytes());
        }
        assert!(reader
            .read(&Source::File(dir.path().join("a/none.txt")))
            .is_err());
        assert!(reader.read(&Source::File("Cargo.toml".into())).is_ok());
    }
}
