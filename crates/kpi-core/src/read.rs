//! Reading files whole, within a size limit, with every failure turned into a diagnostic that
//! names the path.

use std::fs;
use std::io::Read as _;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Problem};
use crate::source::{Location, SourceFile};

/// Reads a file's bytes, refusing files larger than `limit`.
pub(crate) fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(
            Problem::Io {
                path: path.to_path_buf(),
                error: e.to_string(),
            },
            None,
        )
    };
    let too_large = |size: u64| {
        Diagnostic::error(
            Problem::FileTooLarge {
                path: path.to_path_buf(),
                size,
                limit,
            },
            None,
        )
    };
    let size = fs::metadata(path).map_err(io)?.len();
    if size > limit {
        return Err(too_large(size));
    }
    read_limited(fs::File::open(path).map_err(io)?, path, limit)
}

/// Reads `reader` to its end, refusing more than `limit` bytes; `path` names it in messages
/// (`<stdin>` for standard input). Reads at most one byte past the limit: a device or a file
/// that grows (`/dev/zero` has a size of 0) is cut off rather than read without end.
pub(crate) fn read_limited(
    reader: impl std::io::Read,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Diagnostic::error(
                Problem::Io {
                    path: path.to_path_buf(),
                    error: e.to_string(),
                },
                None,
            )
        })?;
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::error(
            Problem::FileTooLarge {
                path: path.to_path_buf(),
                size: bytes.len() as u64,
                limit,
            },
            None,
        ));
    }
    Ok(bytes)
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
}
