//! Loading what the settings name, definitions and data, each returned with the warnings to
//! show beside it: the command shows them, nothing here writes to the terminal.

use std::path::Path;
use std::sync::Arc;

use kpi_core::data::{Inputs, SourceSpec};
use kpi_core::diagnostic::MonthUse;
use kpi_core::input::InputDecl;
use kpi_core::objective::Objectives;
use kpi_core::reported::default_month;
use kpi_core::{Catalog, Dataset, Diagnostic, MonthIndex, Period, Severity, evaluate};

use crate::error::{CliError, Usage};
use crate::settings::Definitions;

/// A loaded value and the warnings to show with it.
pub struct Warned<T> {
    /// What was loaded.
    pub value: T,
    /// Its warnings (and notes, when asked for).
    pub warnings: Vec<Diagnostic>,
}

/// Loads the definitions, with their warnings (and their notes too, when `notes`).
pub fn catalog(definitions: &Definitions, notes: bool) -> Result<Warned<Catalog>, CliError> {
    let dirs = &definitions.dirs;
    let catalog = match &definitions.library {
        Some(selection) => Catalog::load_with_library(selection, dirs)?,
        None => {
            if definitions.unconfigured && !Path::new("metrics.d").exists() {
                return Err(Usage::NoDefinitions.into());
            }
            Catalog::load(dirs)?
        }
    };
    let warnings = catalog
        .notes()
        .iter()
        .filter(|d| notes || d.severity >= Severity::Warning)
        .cloned()
        .collect();
    Ok(Warned {
        value: catalog,
        warnings,
    })
}

/// The objectives of the project, checked against `catalog`: none unless `kpi.toml` names
/// their folder.
pub fn objectives(definitions: &Definitions, catalog: &Catalog) -> Result<Objectives, CliError> {
    match &definitions.objectives {
        Some(dir) => Ok(Objectives::load(dir, catalog)?),
        None => Ok(Objectives::default()),
    }
}

/// Reads the data for these inputs (a catalog's, or for `kpi diff` those of two), with the
/// data's warnings.
pub fn data(
    sources: &[SourceSpec],
    inputs: &[(String, Arc<InputDecl>)],
) -> Result<Warned<Dataset>, CliError> {
    let data = Dataset::load(sources, Inputs::Declared(inputs))?;
    let warnings = data.warnings().to_vec();
    Ok(Warned {
        value: data,
        warnings,
    })
}

/// The month a command works on, and where it is in the data.
pub struct Chosen {
    /// The month.
    pub period: Period,
    /// Its position in the data's months.
    pub t: MonthIndex,
    /// The note that names the month, when it was taken for want of a month named with
    /// `--period` (`--period latest` names none).
    pub note: Option<Diagnostic>,
    /// Whether later months of the data were passed over (they hold no value computed from
    /// data, only target series or nothing read).
    pub passed_over: bool,
}

/// `period`, else the month reported by default ([`default_month`]: the latest with a value
/// computed from data by `catalog`); a month the data does not hold is an error.
pub fn month(
    catalog: &Catalog,
    data: &Dataset,
    period: Option<Period>,
    doing: MonthUse,
) -> Result<Chosen, CliError> {
    if let Some(period) = period {
        let t = data.require(period)?;
        return Ok(Chosen {
            period,
            t,
            note: None,
            passed_over: false,
        });
    }
    let chosen = default_month(&evaluate(catalog, data));
    Ok(Chosen {
        period: chosen.period,
        t: chosen.t,
        note: Some(chosen.note(doing)),
        passed_over: chosen.passed_over.is_some(),
    })
}
