//! Reading files whole, within a size limit, with every failure turned into a diagnostic that
//! names the path.

use std::fs;
use std::io::Read as _;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Problem};

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
    // Read at most one byte past the limit: a path may name a device or a file that grows
    // (`/dev/zero` has a size of 0), which the size above does not bound.
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file whole, refusing files larger than `limit`.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| {
        Diagnostic::error(
            Problem::NotUtf8 {
                path: path.to_path_buf(),
            },
            None,
        )
    })
}
