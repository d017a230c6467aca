//! `kpi.toml`: a project's defaults for the command line (definition folders and data files),
//! with paths relative to the file itself.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::read_text;
use crate::definition::from_toml;
use crate::diagnostic::Diagnostic;
use crate::limits::MAX_CONFIG_BYTES;
use crate::source::SourceFile;

/// The contents of a `kpi.toml`, with paths resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectConfig {
    /// Definition folders, in override order.
    pub metrics: Option<Vec<PathBuf>>,
    /// Data files.
    pub data: Option<Vec<PathBuf>>,
    /// Report title.
    pub title: Option<String>,
    /// Folder of report templates that replace the built-in ones.
    pub templates: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Definition folders, in override order.
    metrics: Option<Vec<PathBuf>>,
    /// Data files.
    data: Option<Vec<PathBuf>>,
    /// Report title.
    title: Option<String>,
    /// Folder of report templates.
    templates: Option<PathBuf>,
}

impl ProjectConfig {
    /// Reads `path`, resolving relative paths against its directory.
    pub fn load(path: &Path) -> Result<ProjectConfig, Diagnostic> {
        let text = read_text(path, MAX_CONFIG_BYTES)?;
        let raw: RawConfig = from_toml(&SourceFile::new(path, text))?;
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |paths: Option<Vec<PathBuf>>| {
            paths.map(|ps| ps.into_iter().map(|p| join(base, &p)).collect::<Vec<_>>())
        };
        Ok(ProjectConfig {
            metrics: resolve(raw.metrics),
            data: resolve(raw.data),
            title: raw.title,
            templates: raw.templates.map(|p| join(base, &p)),
        })
    }
}

/// `base` joined with `path`, with `dir/..` pairs removed so that messages show
/// `metrics.d/x.toml` rather than `examples/saas/../../metrics.d/x.toml`. Lexical only: a
/// `..` that cannot be removed (at the start, or after another `..`) is kept.
fn join(base: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::join;
    use std::path::Path;

    #[test]
    fn joins_lexically() {
        let j = |a: &str, b: &str| join(Path::new(a), Path::new(b)).display().to_string();
        assert_eq!(j("examples/saas", "../../metrics.d"), "metrics.d");
        assert_eq!(j("examples/saas", "data.csv"), "examples/saas/data.csv");
        assert_eq!(j("", "metrics.d"), "metrics.d");
        assert_eq!(j("", "../x"), "../x");
        assert_eq!(j("a", "../.."), "..");
        assert_eq!(j("/srv/kpi", "/abs/data.csv"), "/abs/data.csv");
        assert_eq!(j("a", ".."), ".");
    }
}
