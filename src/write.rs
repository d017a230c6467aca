//! Writing files so that nothing is lost: the bytes go to a temporary file in the same
//! directory, which then takes the final name in one step. A failure at any point removes
//! the temporary file and leaves whatever was at the final path untouched.
//!
//! An output that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is
//! written into, never renamed over: run as root, a rename would replace the system's
//! `/dev/null` with a regular file. A symbolic link is followed to its target, which is then
//! written the same way.
//!
//! Temporary files are named `.kpi-<hash of the output's name>-<random>.tmp`: short, so that
//! an output name near the file system's limit still works, and recognisable per output, so
//! that a run killed half way (`kill -9` leaves its temporary file behind) is cleaned up by the
//! next successful write of the same output. A writer holds an advisory lock on its temporary
//! file until it is in place; only unlocked ones, whose writer is gone, are removed.

use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::console::Console;
use crate::error::{CliError, Failure, SpecialFile, WriteError};

/// The folder of `path` (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// FNV-1a, 64 bits: a hash that stays the same across builds and Rust versions, so that a
/// later run recognises what an earlier one left.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The start of the names of `path`'s temporary files: `.kpi-<16 hex digits>-`.
fn temporary_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or(path.as_os_str());
    format!(".kpi-{:016x}-", fnv1a(name.as_encoded_bytes()))
}

/// Why a file written by [`replace_with`] is not in place: writing failed, or what filled it
/// did (and the file is left as it was).
pub enum Halt<E> {
    /// Creating, writing or renaming the file failed.
    Write(WriteError),
    /// What was to be written failed.
    Fill(E),
}

impl<E> From<WriteError> for Halt<E> {
    fn from(error: WriteError) -> Self {
        Halt::Write(error)
    }
}

impl From<Halt<io::Error>> for WriteError {
    /// Bytes that could not be written are a write error like any other.
    fn from(halt: Halt<io::Error>) -> Self {
        match halt {
            Halt::Write(e) => e,
            Halt::Fill(e) => WriteError::Io(e),
        }
    }
}

impl<E> From<io::Error> for Halt<E> {
    fn from(error: io::Error) -> Self {
        Halt::Write(WriteError::Io(error))
    }
}

/// A temporary file beside `path`, holding `bytes`, locked, with the permissions `path` has
/// (`like`) or a new file would have.
fn write_temporary(
    path: &Path,
    like: Option<&Metadata>,
    bytes: &[u8],
) -> Result<NamedTempFile, WriteError> {
    Ok(fill_temporary(path, like, |out: &mut dyn Write| {
        out.write_all(bytes)
    })?)
}

/// A temporary file beside `path`, holding what `fill` writes into it (through a buffer),
/// locked, with the permissions `path` has (`like`) or a new file would have.
fn fill_temporary<E>(
    path: &Path,
    like: Option<&Metadata>,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<NamedTempFile, Halt<E>> {
    let dir = folder(path);
    let prefix = temporary_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(6);
    // 0666 less the umask, as for any file a program creates (tempfile's default is 0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // A cleaner may remove a file between its creation and its lock (it is not locked yet):
    // then it is gone from the folder, and another is made.
    for _ in 0..10 {
        let mut temporary = builder.tempfile_in(dir).map_err(|e| located(dir, e))?;
        // Held until the file is persisted or removed; released if the process dies. A file
        // system without locks fails here and in the cleaner's `try_lock` alike: the write
        // goes on, and its temporaries are never taken for stale ones.
        let _ = temporary.as_file().lock();
        if !still_there(&temporary) {
            continue;
        }
        if let Some(existing) = like {
            keep_owner_and_mode(temporary.as_file(), existing);
        }
        let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut temporary);
        fill(&mut buffered).map_err(Halt::Fill)?;
        buffered.flush()?;
        drop(buffered);
        temporary.as_file().sync_all()?;
        return Ok(temporary);
    }
    Err(Halt::Write(WriteError::Io(io::Error::other(
        "temporary files kept disappearing",
    ))))
}

/// Whether `temporary`'s name still leads to its file.
fn still_there(temporary: &NamedTempFile) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (
            fs::metadata(temporary.path()),
            temporary.as_file().metadata(),
        ) {
            (Ok(named), Ok(open)) => named.dev() == open.dev() && named.ino() == open.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        temporary.path().exists()
    }
}

/// Gives `file` the mode, and when allowed the owner and group, of the file it replaces: a
/// report that others could read stays readable. The owner can only be kept by root (or
/// when it is ours already): otherwise the new file is ours, as after any edit.
fn keep_owner_and_mode(file: &File, existing: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
    }
    let _ = file.set_permissions(existing.permissions());
}

/// An error creating a file in `dir`, with a clearer cause when a folder on the way is a
/// file, or a symbolic link to nothing (where `create_dir_all` says "File exists").
fn located(dir: &Path, e: io::Error) -> WriteError {
    if let Some(file) = file_in_the_way(dir) {
        return WriteError::NotAFolder(file);
    }
    match dangling_on_the_way(dir) {
        Some((link, target)) => WriteError::FolderLinksToNothing { link, target },
        None => WriteError::Io(e),
    }
}

/// The first of `dir` and its ancestors that is a symbolic link to nothing, with its target.
fn dangling_on_the_way(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    dir.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| {
            fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink())
                && fs::metadata(a).is_err()
        })
        .map(|a| (a.to_path_buf(), fs::read_link(a).unwrap_or_default()))
}

/// The first of `dir` and its ancestors that exists and is not a folder.
fn file_in_the_way(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find_map(|a| match fs::metadata(a) {
            Ok(m) if !m.is_dir() => Some(a.to_path_buf()),
            _ => None,
        })
}

/// Removes the temporary files of `path` that a run killed half way left: those whose lock
/// no writer holds. Errors are ignored: this is tidying, the output is already written.
fn remove_stale(path: &Path) {
    let prefix = temporary_prefix(path);
    let Ok(entries) = fs::read_dir(folder(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.len() == prefix.len() + 6 + 4
            && name.starts_with(&prefix)
            && name.ends_with(".tmp");
        if !ours || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(file) = File::open(entry.path()) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path`, which must not exist: an existing file is never overwritten.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let temporary = write_temporary(path, None, bytes)?;
    // Fails if `path` exists, even as a dangling link, where a rename would replace it.
    temporary.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// What writing to an existing path means.
enum Target {
    /// A regular file, or nothing yet: replaced in one step, at this path.
    File(PathBuf, Option<Metadata>),
    /// A character device or a FIFO: written into.
    Device,
}

/// What `path` is, following symbolic links.
fn target(path: &Path) -> Result<Target, WriteError> {
    let link = fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_symlink());
    let metadata = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return match link {
                Some(_) => Err(WriteError::DanglingLink(
                    fs::read_link(path).unwrap_or_default(),
                )),
                None => Ok(Target::File(path.to_path_buf(), None)),
            };
        }
        Err(e) => return Err(located(folder(path), e)),
    };
    let kind = metadata.file_type();
    if kind.is_file() {
        // Replace the link's target, not the link.
        let at = match link {
            Some(_) => fs::canonicalize(path)?,
            None => path.to_path_buf(),
        };
        return Ok(Target::File(at, Some(metadata)));
    }
    if kind.is_dir() {
        return Err(WriteError::IsAFolder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            return Ok(Target::Device);
        }
        if kind.is_block_device() {
            return Err(WriteError::Unsupported(SpecialFile::BlockDevice));
        }
        if kind.is_socket() {
            return Err(WriteError::Unsupported(SpecialFile::Socket));
        }
    }
    Err(WriteError::Unsupported(SpecialFile::Other))
}

/// Writes to `path` what `fill` writes. A regular file is replaced in one step: `fill` writes
/// into a temporary file beside it, which takes its name only when `fill` succeeds, so readers
/// see the old content or the new, never a mix; a failure leaves the old file as it was; the
/// new file keeps the old one's mode; and output too large to hold whole (a 100 000-metric
/// report) goes to disk as it is made. A character device or a FIFO is given the whole text
/// once `fill` has succeeded.
pub fn replace_with<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Halt<E>> {
    match target(path)? {
        Target::Device => {
            let mut text = Vec::new();
            fill(&mut text).map_err(Halt::Fill)?;
            let mut device = fs::OpenOptions::new().write(true).open(path)?;
            device.write_all(&text)?;
            device.flush()?;
        }
        Target::File(at, existing) => {
            let temporary = fill_temporary(&at, existing.as_ref(), fill)?;
            temporary
                .persist(&at)
                .map_err(|e| Halt::Write(WriteError::Io(e.error)))?;
            remove_stale(&at);
        }
    }
    Ok(())
}

/// Whether `path` names this process's standard output, which is written as standard output
/// (a file it is redirected to is appended to or truncated as the shell chose, not replaced).
fn is_stdout(path: &Path) -> bool {
    ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|p| path == Path::new(p))
}

/// Writes a command's output, what `fill` writes: to `path` (its folder created when missing,
/// so that `reports/2026-10.md` works on a fresh clone), streamed into the file that takes its
/// name when `fill` succeeds ([`replace_with`]), saying so on stderr; to stdout without one,
/// made whole first, so that a failure prints nothing.
pub fn output_with(
    path: Option<&Path>,
    console: &mut Console,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let Some(path) = path.filter(|p| !is_stdout(p)) else {
        let mut text = Vec::new();
        fill(&mut text)?;
        return console.print(&String::from_utf8_lossy(&text));
    };
    let existed = path.exists();
    let failed = |error: WriteError| Failure::Write {
        path: path.to_path_buf(),
        error,
        kept: existed,
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| failed(located(dir, e)))?;
    }
    // A write that fails inside `fill` (a full disk) is this file's failure, said with its
    // path, whatever `fill` makes of it.
    let mut lost = None;
    let filled = replace_with(path, |out| {
        let mut recording = Recording {
            out,
            lost: &mut lost,
        };
        fill(&mut recording)
    });
    match (filled, lost) {
        (Ok(()), _) => {}
        (Err(Halt::Write(error)), _) | (Err(Halt::Fill(_)), Some(error)) => {
            return Err(failed(error).into());
        }
        (Err(Halt::Fill(error)), None) => return Err(error),
    }
    console.say(&format!("wrote {}", path.display()));
    Ok(())
}

/// [`output_with`], for output whose making cannot fail once it starts, only its writing (a
/// table already read): to stdout it goes out as it is made rather than whole first, since
/// there is no failure to keep from printing half of it, and a wide table's text made whole
/// would hold the table twice.
pub fn stream_with(
    path: Option<&Path>,
    console: &mut Console,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    if path.is_none_or(is_stdout) {
        return console.print_with(|out| fill(out));
    }
    output_with(path, console, |out| {
        fill(out).map_err(|e| Failure::Output(e).into())
    })
}

/// A writer that keeps the first error of the one it writes into.
struct Recording<'a, 'b> {
    out: &'a mut dyn Write,
    lost: &'b mut Option<WriteError>,
}

impl Recording<'_, '_> {
    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.lost
                .get_or_insert_with(|| WriteError::Io(io::Error::new(e.kind(), e.to_string())));
        }
        result
    }
}

impl Write for Recording<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let result = self.out.write(bytes);
        self.keep(result)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let result = self.out.write_all(bytes);
        self.keep(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.out.flush();
        self.keep(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        Ok(replace_with(path, |out| out.write_all(bytes))?)
    }

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
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"kept").unwrap();
        assert!(matches!(replace(&path, b"new"), Err(WriteError::IsAFolder)));
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

    #[test]
    fn temporary_names_are_short_and_per_output() {
        let long = "r".repeat(250);
        let a = temporary_prefix(Path::new(&long));
        assert_eq!(a.len(), ".kpi-".len() + 16 + 1);
        assert_eq!(a, temporary_prefix(&Path::new("x").join(&long)));
        assert_ne!(a, temporary_prefix(Path::new("report.md")));
        // FNV-1a's published value for "a".
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn stale_temporaries_of_the_output_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        let prefix = temporary_prefix(&path);
        // Left by a killed run: nobody holds its lock.
        fs::write(dir.path().join(format!("{prefix}AbCdEf.tmp")), b"old").unwrap();
        // Being written by another run: locked.
        let live = dir.path().join(format!("{prefix}LiVe00.tmp"));
        fs::write(&live, b"new").unwrap();
        let held = File::open(&live).unwrap();
        held.lock().unwrap();
        // Another output's, and a file that only looks alike.
        let other = format!("{}AbCdEf.tmp", temporary_prefix(Path::new("other.md")));
        fs::write(dir.path().join(&other), b"x").unwrap();
        fs::write(dir.path().join(format!("{prefix}long-name.tmp")), b"x").unwrap();
        replace(&path, b"report").unwrap();
        let mut expected = vec![
            other,
            format!("{prefix}LiVe00.tmp"),
            format!("{prefix}long-name.tmp"),
            "report.md".to_string(),
        ];
        expected.sort();
        assert_eq!(listing(dir.path()), expected);
    }
}
