//! Reading definitions as they are at a git revision, through the `git` command (for
//! `kpi diff`): `git rev-parse` to check the revision, `git ls-tree` and `git cat-file` to
//! read a folder's files without touching the working tree.

use std::path::Path;
use std::process::Command;

use kpi_core::SourceFile;
use kpi_core::limits::MAX_DEFINITION_BYTES;

use crate::error::{CliError, Failure, GitError, Usage};

/// Runs `git` with `args` in the current folder; its stdout, or its stderr's first line.
fn git(args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(GitError::Spawn)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim().to_string();
        Err(GitError::Said(first))
    }
}

/// The commit `rev` names; a bad revision (or no repository) is a usage error.
pub fn resolve(rev: &str) -> Result<String, CliError> {
    if rev.starts_with('-') {
        return Err(Usage::NotARevision(rev.to_string()).into());
    }
    let spec = format!("{rev}^{{commit}}");
    match git(&["rev-parse", "--verify", "--quiet", &spec]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        // `--quiet`: a revision that names nothing is said by silence.
        Err(GitError::Said(message)) if message.is_empty() => {
            Err(Usage::NotACommit(rev.to_string()).into())
        }
        Err(error) => Err(Usage::Revision {
            rev: rev.to_string(),
            error,
        }
        .into()),
    }
}

/// The `*.toml` files directly in `dir` at `commit`, sorted by name, each named
/// `<rev>:<path>` in messages. A folder the revision does not have gives no file.
pub fn folder(commit: &str, rev: &str, dir: &Path) -> Result<Vec<SourceFile>, CliError> {
    let prefix = format!("{}/", dir.display().to_string().trim_end_matches('/'));
    let listing =
        git(&["ls-tree", "-z", commit, "--", &prefix]).map_err(|error| Failure::GitList {
            folder: prefix.clone(),
            rev: rev.to_string(),
            error,
        })?;
    let mut files = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        // `<mode> <type> <object>\t<path>`
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (kind, object) = (meta.nth(1), meta.next());
        if kind != Some("blob") || !path.ends_with(".toml") {
            continue;
        }
        let object = object.unwrap_or_default();
        let located = || (path.to_string(), rev.to_string());
        let bytes = git(&["cat-file", "blob", object]).map_err(|error| {
            let (path, rev) = located();
            Failure::GitRead { path, rev, error }
        })?;
        if bytes.len() as u64 > MAX_DEFINITION_BYTES {
            let (path, rev) = located();
            return Err(Failure::GitTooLarge { path, rev }.into());
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            let (path, rev) = located();
            Failure::GitNotText { path, rev }
        })?;
        files.push(SourceFile::new(format!("{rev}:{path}"), text));
    }
    files.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(files)
}
