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
            paths.map(|ps| ps.into_iter().map(|p| base.join(p)).collect::<Vec<_>>())
        };
        Ok(ProjectConfig {
            metrics: resolve(raw.metrics),
            data: resolve(raw.data),
            title: raw.title,
            templates: raw.templates.map(|p| base.join(p)),
        })
    }
}
