//! Turns the command line and `kpi.toml` into what to load, then loads it: a flag given on
//! the command line replaces the file's value for that key.

use std::path::{Path, PathBuf};

use kpi_core::data::{Inputs, SourceSpec};
use kpi_core::input::InputDecl;
use kpi_core::library::Selection;
use kpi_core::{Catalog, Dataset, Diagnostic, Period, Problem, ProjectConfig, Severity};
use kpi_report::{Currency, Locale, Style};

use crate::cli::{DataArgs, MetricsArgs};
use crate::diag;
use crate::error::CliError;

/// The project's defaults, from `kpi.toml` when there is one.
#[derive(Debug, Default)]
pub struct Project {
    /// The `kpi.toml` read, if any.
    path: Option<PathBuf>,
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
        Ok(Project {
            path: Some(path),
            config,
        })
    }

    /// The standard definitions used: the flag, else `kpi.toml`'s `library`; none without
    /// either.
    pub fn library(&self, args: &MetricsArgs) -> Option<Selection> {
        args.library.clone().or_else(|| self.config.library.clone())
    }

    /// The definition folders: the flags, else `kpi.toml`, else `./metrics.d` when no
    /// standard definitions are used (with them, a project may have no folder of its own).
    pub fn metric_dirs(&self, args: &MetricsArgs) -> Vec<PathBuf> {
        if !args.metrics.is_empty() {
            return args.metrics.clone();
        }
        match &self.config.metrics {
            Some(dirs) => dirs.clone(),
            None if self.library(args).is_some() => Vec::new(),
            None => vec![PathBuf::from("metrics.d")],
        }
    }

    /// The folder a new definition goes to: the last `metrics` folder of `kpi.toml`, the
    /// project's own (the standard library is built in, so it is never written to).
    pub fn own_dir(&self) -> Result<PathBuf, CliError> {
        let Some(path) = &self.path else {
            return Err(CliError::Usage(
                "no `kpi.toml` here to say where definitions go: pass `--dir DIR`, or run `kpi init` to start a project"
                    .into(),
            ));
        };
        self.config
            .metrics
            .as_ref()
            .and_then(|dirs| dirs.last())
            .cloned()
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "`{}` names no `metrics` folder for the project's own definitions: pass `--dir DIR`, or add `metrics = [\"team\"]` to it",
                    path.display()
                ))
            })
    }

    /// Loads the definitions, printing warnings (and notes, when `notes`) on stderr.
    pub fn load_catalog(&self, args: &MetricsArgs, notes: bool) -> Result<Catalog, CliError> {
        let dirs = self.metric_dirs(args);
        let catalog = match self.library(args) {
            Some(selection) => Catalog::load_with_library(&selection, &dirs)?,
            None => {
                // Nothing says what to load, and the default folder is not there: most likely
                // a first run in a new folder.
                if self.path.is_none()
                    && args.metrics.is_empty()
                    && !Path::new("metrics.d").exists()
                {
                    return Err(CliError::Usage(
                        "no `kpi.toml` in this folder, and no `metrics.d` folder of definitions: run `kpi init` to start a project here, or pass `--library all` (the standard definitions) or `--metrics DIR`"
                            .into(),
                    ));
                }
                Catalog::load(&dirs)?
            }
        };
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

    /// The language: `flag`, else `locale` in `kpi.toml` (an error there when reports know no
    /// such language), else English.
    pub fn locale(&self, flag: Option<Locale>) -> Result<Locale, CliError> {
        if let Some(locale) = flag {
            return Ok(locale);
        }
        let Some((code, location)) = &self.config.locale else {
            return Ok(Locale::default());
        };
        Locale::from_code(code).ok_or_else(|| {
            let known: Vec<String> = Locale::ALL
                .iter()
                .map(|l| format!("`{}`", l.code()))
                .collect();
            CliError::from(Diagnostic::error(
                Problem::Config {
                    message: format!("reports are not written in `{code}`"),
                    hint: format!("use one of {}", known.join(", ")),
                },
                Some(location.clone()),
            ))
        })
    }

    /// How reports write numbers: the language (`flag`, else `kpi.toml`) and the currency of
    /// `kpi.toml`.
    pub fn style(&self, flag: Option<Locale>) -> Result<Style, CliError> {
        Ok(Style {
            locale: self.locale(flag)?,
            currency: self.config.currency.as_deref().and_then(Currency::new),
        })
    }

    /// The folder of the monthly notes from `kpi.toml`, relative to the file's directory.
    pub fn notes(&self) -> Option<&Path> {
        self.config.notes.as_deref()
    }

    /// The report templates folder from `kpi.toml`, relative to the file's directory.
    pub fn templates(&self) -> Option<&Path> {
        self.config.templates.as_deref()
    }

    /// The data sources: `--data` files (which replace every source of `kpi.toml`), else
    /// `kpi.toml`'s `data` files then its `[[sources]]`; possibly none.
    pub fn sources(&self, flags: &[PathBuf]) -> Vec<SourceSpec> {
        if !flags.is_empty() {
            return flags.iter().cloned().map(SourceSpec::csv).collect();
        }
        let files = self
            .config
            .data
            .iter()
            .flatten()
            .cloned()
            .map(SourceSpec::csv);
        files.chain(self.config.sources.iter().cloned()).collect()
    }

    /// Reads the data for the catalog's inputs, printing the data's warnings on stderr.
    pub fn load_data(
        &self,
        sources: &[SourceSpec],
        catalog: &Catalog,
    ) -> Result<Dataset, CliError> {
        if sources.is_empty() {
            return Err(CliError::Usage(
                "no data: pass `--data FILE`, or set `data = [...]` or `[[sources]]` in kpi.toml"
                    .into(),
            ));
        }
        self.load_data_for(sources, catalog.inputs())
    }

    /// Reads the data for these inputs (`kpi diff` reads those of two catalogs), printing
    /// the data's warnings on stderr.
    pub fn load_data_for(
        &self,
        sources: &[SourceSpec],
        inputs: &[(String, InputDecl)],
    ) -> Result<Dataset, CliError> {
        let data = Dataset::load(sources, Inputs::Declared(inputs))?;
        diag::print_all(data.warnings());
        Ok(data)
    }

    /// Loads definitions and data and picks the month: `--period`, else the latest month in
    /// the data (said on stderr).
    pub fn load_month(&self, args: &DataArgs) -> Result<Loaded, CliError> {
        let sources = self.sources(&args.data);
        if sources.is_empty() {
            return Err(CliError::Usage(
                "no data: pass `--data FILE`, or set `data = [...]` or `[[sources]]` in kpi.toml"
                    .into(),
            ));
        }
        // The data is read for the inputs the definitions declare, so definitions come first.
        let catalog = self.load_catalog(&args.metrics, false)?;
        let data = self.load_data(&sources, &catalog)?;
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
