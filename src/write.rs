//! Writing files so that nothing is lost: the bytes go to a temporary file in the same
//! directory, which then takes the final name in one step. A failure at any point removes
//! the temporary file and leaves whatever was at the final path untouched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Removes the temporary file unless it was moved into place.
struct Temporary(Option<PathBuf>);

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_file(path);
        }
    }
}

fn write_temporary(path: &Path, bytes: &[u8]) -> io::Result<Temporary> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(
            ".{}.{}-{attempt}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate);
        match file {
            Ok(mut file) => {
                let temporary = Temporary(Some(candidate));
                file.write_all(bytes)?;
                file.sync_all()?;
                return Ok(temporary);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file",
    ))
}

/// Writes `bytes` to `path`, which must not exist: an existing file is never overwritten.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = write_temporary(path, bytes)?;
    // A hard link fails if `path` exists, where a rename would replace it.
    fs::hard_link(temporary.0.as_ref().expect("just written"), path)
}
