//! The project a command runs in: its `kpi.toml` (from `--config`, or `./kpi.toml` when it
//! exists), read once. What the file says is merged with the flags in `settings`.

use std::path::{Path, PathBuf};

use kpi_core::ProjectConfig;

use crate::error::{CliError, Usage};

/// The project's defaults, from `kpi.toml` when there is one.
#[derive(Debug, Default)]
pub struct Project {
    /// The `kpi.toml` read, if any.
    pub path: Option<PathBuf>,
    /// What it says (all defaults without a file).
    pub config: ProjectConfig,
}

impl Project {
    /// Reads `--config FILE`, or `./kpi.toml` when it exists.
    pub fn open(explicit: Option<&Path>) -> Result<Project, CliError> {
        let path = match explicit {
            Some(path) if path.is_dir() => {
                return Err(Usage::ConfigIsAFolder(path.to_path_buf()).into());
            }
            Some(path) if !path.is_file() => {
                return Err(Usage::ConfigMissing(path.to_path_buf()).into());
            }
            Some(path) => path.to_path_buf(),
            None if Path::new("kpi.toml").is_file() => PathBuf::from("kpi.toml"),
            None => return Ok(Project::default()),
        };
        let config = ProjectConfig::load(&path)?;
        Ok(Project {
            path: Some(path),
            config,
        })
    }
}
