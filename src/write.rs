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

/// Writes `bytes` to `path`, replacing any file there in one step: readers see the old
/// content or the new, never a mix, and a failure leaves the old file as it was.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temporary = write_temporary(path, bytes)?;
    fs::rename(temporary.0.as_ref().expect("just written"), path)?;
    // Moved into place: nothing left to remove.
    temporary.0 = None;
    Ok(())
}

/// Writes a command's output: to `path` atomically (its folder created when missing, so that
/// `reports/2026-10.md` works on a fresh clone), saying so on stderr; to stdout without one.
pub fn output(path: Option<&Path>, text: &str) -> Result<(), crate::error::CliError> {
    let Some(path) = path else {
        return crate::output::print(text);
    };
    let existed = path.exists();
    let written = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => fs::create_dir_all(dir).and_then(|()| replace(path, text.as_bytes())),
        None => replace(path, text.as_bytes()),
    };
    written.map_err(|e| {
        let kept = if existed {
            "; it is left as it was"
        } else {
            ""
        };
        crate::error::CliError::Failed(format!("cannot write `{}`: {e}{kept}", path.display()))
    })?;
    crate::output::stderr(&format!("wrote {}", path.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replace_swaps_the_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        replace(&path, b"one").unwrap();
        replace(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(listing(dir.path()), ["report.md"]);
    }

    #[test]
    fn a_failed_replace_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A directory cannot be replaced by a file: the rename fails.
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"kept").unwrap();
        assert!(replace(&path, b"new").is_err());
        assert_eq!(listing(dir.path()), ["taken"]);
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"kept");
    }

    #[test]
    fn create_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        create_new(&path, b"first").unwrap();
        assert!(create_new(&path, b"second").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(listing(dir.path()), ["a.toml"]);
    }
}
