//! Turns the command line and `kpi.toml` into what to load, then loads it: a flag given on
//! the command line replaces the file's value for that key.

use std::path::{Path, PathBuf};

use kpi_core::{Catalog, Dataset, Diagnostic, Period, ProjectConfig, Severity};

use crate::cli::{DataArgs, MetricsArgs};
use crate::diag;
use crate::error::CliError;

/// The project's defaults, from `kpi.toml` when there is one.
#[derive(Debug, Default)]
pub struct Project {
    config: ProjectConfig,
}

/// Definitions and data loaded for one month.
pub struct Loaded {
    /// The definitions.
    pub catalog: Catalog,
    /// The data.
    pub data: Dataset,
    /// The month asked for.
    pub period: Period,
    /// Its index in the data's months.
    pub t: usize,
}

impl Project {
    /// Reads `--config FILE`, or `./kpi.toml` when it exists.
    pub fn open(explicit: Option<&Path>) -> Result<Project, CliError> {
        let path = match explicit {
            Some(path) if !path.is_file() => {
                return Err(CliError::Usage(format!(
                    "config file `{}` does not exist",
                    path.display()
                )));
            }
            Some(path) => path.to_path_buf(),
            None if Path::new("kpi.toml").is_file() => PathBuf::from("kpi.toml"),
            None => return Ok(Project::default()),
        };
        let config = ProjectConfig::load(&path)?;
        Ok(Project { config })
    }

    /// The definition folders: the flags, else `kpi.toml`, else `./metrics.d`.
    pub fn metric_dirs(&self, args: &MetricsArgs) -> Vec<PathBuf> {
        if !args.metrics.is_empty() {
            return args.metrics.clone();
        }
        self.config
            .metrics
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from("metrics.d")])
    }

    /// Loads the definitions, printing warnings (and notes, when `notes`) on stderr.
    pub fn load_catalog(&self, args: &MetricsArgs, notes: bool) -> Result<Catalog, CliError> {
        let catalog = Catalog::load(&self.metric_dirs(args))?;
        let shown: Vec<Diagnostic> = catalog
            .notes()
            .iter()
            .filter(|d| notes || d.severity >= Severity::Warning)
            .cloned()
            .collect();
        diag::print_all(&shown);
        Ok(catalog)
    }

    /// The report title from `kpi.toml`.
    pub fn title(&self) -> Option<&str> {
        self.config.title.as_deref()
    }

    /// The report templates folder from `kpi.toml`, relative to the file's directory.
    pub fn templates(&self) -> Option<&Path> {
        self.config.templates.as_deref()
    }

    /// The data files given by the flags or `kpi.toml`, possibly none.
    pub fn data_files_if_any(&self, flags: &[PathBuf]) -> Vec<PathBuf> {
        if !flags.is_empty() {
            return flags.to_vec();
        }
        self.config.data.clone().unwrap_or_default()
    }

    /// The data files: the flags, else `kpi.toml`.
    pub fn data_files(&self, flags: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
        if !flags.is_empty() {
            return Ok(flags.to_vec());
        }
        match &self.config.data {
            Some(files) if !files.is_empty() => Ok(files.clone()),
            _ => Err(CliError::Usage(
                "no data file: pass `--data FILE`, or set `data = [...]` in kpi.toml".into(),
            )),
        }
    }

    /// Loads definitions and data and picks the month: `--period`, else the latest month in
    /// the data (said on stderr).
    pub fn load_month(&self, args: &DataArgs) -> Result<Loaded, CliError> {
        let files = self.data_files(&args.data)?;
        let catalog = self.load_catalog(&args.metrics, false);
        let data = Dataset::load(&files);
        // Report problems in both definitions and data at once.
        let (catalog, data) = match (catalog, data) {
            (Ok(c), Ok(d)) => (c, d),
            (Err(CliError::Invalid(mut a)), Err(b)) => {
                a.extend(b.0);
                return Err(CliError::Invalid(a));
            }
            (Err(e), _) => return Err(e),
            (_, Err(e)) => return Err(e.into()),
        };
        diag::print_all(&data.unused_columns(&catalog));
        let period = match args.period {
            Some(p) => p,
            None => {
                let latest = data.latest().expect("loaded data holds a month");
                crate::output::stderr(&format!(
                    "note: evaluating {latest}, the latest month in the data"
                ));
                latest
            }
        };
        let t = data.require(period)?;
        Ok(Loaded {
            catalog,
            data,
            period,
            t,
        })
    }
}
