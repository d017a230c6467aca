//! Reading definitions as they are at a git revision, through the `git` command (for
//! `kpi diff`): `git rev-parse` to check the revision, `git ls-tree` and `git cat-file` to
//! read a folder's files without touching the working tree.

use std::path::Path;
use std::process::Command;

use kpi_core::SourceFile;
use kpi_core::limits::MAX_DEFINITION_BYTES;

use crate::error::CliError;

/// Runs `git` with `args` in the current folder; its stdout, or its stderr's first line.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run `git`: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("").trim().to_string())
    }
}

/// The commit `rev` names; a bad revision (or no repository) is a usage error.
pub fn resolve(rev: &str) -> Result<String, CliError> {
    if rev.starts_with('-') {
        return Err(CliError::Usage(format!("`{rev}` is not a git revision")));
    }
    let spec = format!("{rev}^{{commit}}");
    match git(&["rev-parse", "--verify", "--quiet", &spec]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        Err(message) if message.is_empty() => Err(CliError::Usage(format!(
            "`{rev}` is not a commit of this git repository: give a branch, a tag or a commit, such as `origin/main` (run `git fetch` first in a shallow clone)"
        ))),
        Err(message) => Err(CliError::Usage(format!(
            "cannot read git revision `{rev}`: {message}"
        ))),
    }
}

/// The `*.toml` files directly in `dir` at `commit`, sorted by name, each named
/// `<rev>:<path>` in messages. A folder the revision does not have gives no file.
pub fn folder(commit: &str, rev: &str, dir: &Path) -> Result<Vec<SourceFile>, CliError> {
    let prefix = format!("{}/", dir.display().to_string().trim_end_matches('/'));
    let listing = git(&["ls-tree", "-z", commit, "--", &prefix])
        .map_err(|m| CliError::Failed(format!("cannot list `{prefix}` at `{rev}`: {m}")))?;
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
        let bytes = git(&["cat-file", "blob", object])
            .map_err(|m| CliError::Failed(format!("cannot read `{path}` at `{rev}`: {m}")))?;
        if bytes.len() as u64 > MAX_DEFINITION_BYTES {
            return Err(CliError::Failed(format!(
                "`{rev}:{path}` is larger than {} KiB",
                MAX_DEFINITION_BYTES / 1024
            )));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::Failed(format!("`{rev}:{path}` is not UTF-8 text")))?;
        files.push(SourceFile::new(format!("{rev}:{path}"), text));
    }
    files.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(files)
}
