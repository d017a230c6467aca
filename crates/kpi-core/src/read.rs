//! The one bounded reader: files (and standard input) read whole, never more than one byte
//! past a size limit, whatever the file's metadata claims.
//!
//! Every reader of user files goes through it: data sources, definitions, `kpi.toml`, and in
//! `kpi-report` the month's notes and the templates. A path may name a device or a file that
//! grows (a symbolic link to `/dev/zero`, whose size reads as 0) or a FIFO fed without end: the
//! metadata only refuses a regular file early, with its exact size; the read itself stops at
//! the limit + 1 byte, so that such a file gets the same "too large" error instead of
//! exhausting memory. Each caller keeps its own wording by mapping [`ReadError`].

use std::fmt;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Problem, os_reason};
use crate::source::{Location, SourceFile};

/// Why a file could not be read within its limit, with the file's path.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The system could not open or read the file.
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
    /// The file holds more than the limit.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size: the size its metadata gives, or the limit + 1 for a file cut off while
        /// read (a device, a FIFO, a file that grows).
        size: u64,
        /// The limit.
        limit: u64,
    },
}

impl ReadError {
    /// The problem as `kpi-core` words it.
    pub fn problem(&self) -> Problem {
        match self {
            ReadError::Io { path, error } => Problem::Io {
                path: path.clone(),
                error: os_reason(error),
            },
            ReadError::TooLarge { path, size, limit } => Problem::FileTooLarge {
                path: path.clone(),
                size: *size,
                limit: *limit,
            },
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem().fmt(f)
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for Diagnostic {
    fn from(e: ReadError) -> Self {
        Diagnostic::error(e.problem(), None)
    }
}

/// Reads the file at `path` whole, refusing more than `limit` bytes. A regular file larger
/// than the limit is refused from its metadata, before any byte is read; any other is read
/// at most one byte past the limit.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |error| ReadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let size = fs::metadata(path).map_err(io)?.len();
    if size > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    // Sized from the file's length (one byte more, to see the end without growing), so that
    // a large file is held once, not in a buffer doubled past its size.
    let capacity = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    read_into(fs::File::open(path).map_err(io)?, path, limit, capacity)
}

/// Reads `reader` to its end, refusing more than `limit` bytes; `path` names it in errors
/// (`<stdin>` for standard input). Reads at most one byte past the limit.
pub fn read_stream(
    reader: impl std::io::Read,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    read_into(reader, path, limit, 0)
}

/// [`read_stream`] into a buffer of `capacity` bytes to start with.
fn read_into(
    reader: impl std::io::Read,
    path: &Path,
    limit: u64,
    capacity: usize,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io {
            path: path.to_path_buf(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_file`], with its error as a diagnostic.
pub(crate) fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    Ok(read_file(path, limit)?)
}

/// [`read_stream`], with its error as a diagnostic.
pub(crate) fn read_limited(
    reader: impl std::io::Read,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, Diagnostic> {
    Ok(read_stream(reader, path, limit)?)
}

/// Reads a UTF-8 text file whole, refusing files larger than `limit`. A file that is not
/// UTF-8 is refused at its first invalid byte, with the line and column.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        Diagnostic::error(
            Problem::NotUtf8 {
                path: path.to_path_buf(),
                byte: bytes[at],
            },
            Some(locate_invalid(path, &bytes, at)),
        )
    })
}

/// Where byte `at` of `bytes` is, for a file valid UTF-8 up to it: the text up to the end of
/// that line is enough (and is valid before `at`, so offsets match), the rest is not read.
fn locate_invalid(path: &Path, bytes: &[u8], at: usize) -> Location {
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let text = String::from_utf8_lossy(&bytes[..end]);
    SourceFile::new(path, text.into_owned()).locate(at, at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_is_located_at_the_first_invalid_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, b"name = \"a\"\ndescription = \"caf\xe9 \xff\"\n").unwrap();
        let d = read_text(&path, 1000).unwrap_err();
        let location = d.location.as_deref().unwrap();
        assert_eq!((location.line, location.column), (2, 19));
        assert_eq!(location.line_text, "description = \"caf\u{fffd} \u{fffd}\"");
        assert_eq!(
            *d.problem,
            Problem::NotUtf8 {
                path: path.clone(),
                byte: 0xe9
            }
        );
    }

    #[test]
    fn a_regular_file_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, [b'x'; 100]).unwrap();
        let e = read_file(&path, 10).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::TooLarge {
                    size: 100,
                    limit: 10,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(read_file(&path, 100).unwrap().len(), 100);
    }

    /// `/dev/zero` claims a size of 0 and never ends: it is cut one byte past the limit.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_cut_one_byte_past_the_limit() {
        let e = read_file(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::TooLarge {
                    size: 1001,
                    limit: 1000,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`/dev/zero` is 1001 bytes, more than the limit of 1000 bytes"
        );
        let e = read_stream(std::io::repeat(b'a'), Path::new("<stdin>"), 5).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size: 6, .. }), "{e:?}");
    }
}
