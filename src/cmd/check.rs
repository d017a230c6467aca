//! `kpi check`: load and validate every definition (and data, when given) and say so. In
//! strict mode (`--strict`, `strict = true`), for CI, it also checks the month reported
//! (every KPI has a value, its notes name known metrics) and any warning fails the run.

use kpi_core::data::rollup::Grain;
use kpi_core::diagnostic::MonthUse;
use kpi_core::{Catalog, Dataset, Diagnostic, Kind, Problem, Severity, evaluate};
use kpi_report::Notes;

use crate::console::Console;
use crate::error::{CliError, Failure};
use crate::load::{self, Warned};
use crate::settings::{Check, Definitions, Strict};

/// Runs `kpi check`.
pub fn run(settings: Check, console: &mut Console) -> Result<(), CliError> {
    let mut warnings = 0;
    let catalog = shown(
        load::catalog(&settings.definitions, true)?,
        &mut warnings,
        console,
    );
    let kpis = catalog
        .metrics()
        .iter()
        .filter(|m| m.kind == Kind::Kpi)
        .count();
    let metrics = catalog.metrics().len() - kpis;
    let objectives = load::objectives(&settings.definitions, &catalog)?;
    let without: Vec<String> = catalog
        .inputs()
        .iter()
        .filter(|(_, decl)| decl.aggregate.is_none())
        .map(|(name, _)| name.clone())
        .collect();
    let some_rolled = without.len() < catalog.inputs().len();
    if !without.is_empty() && some_rolled {
        // Said once, as a note, when the project rolls some inputs up (the standard library's
        // all declare their rule): a project of months only, with no rule at all, needs none.
        console.show(&[Diagnostic::note(
            Problem::NoAggregates { inputs: without },
            None,
        )]);
    }
    let mut summary = format!(
        "ok: {kpis} KPI{}, {metrics} metric{} and {} input{} from {}",
        plural(kpis),
        plural(metrics),
        catalog.inputs().len(),
        plural(catalog.inputs().len()),
        from(&settings.definitions),
    );
    if settings.definitions.objectives.is_some() {
        let n = objectives.len();
        summary.push_str(&format!("; {n} objective{}", plural(n)));
    }
    if !settings.sources.is_empty() {
        let sources = settings.sources.required()?;
        let data = shown(
            load::data(sources, catalog.inputs())?,
            &mut warnings,
            console,
        );
        let missing = Warned {
            value: (),
            warnings: data.missing_inputs().cloned().into_iter().collect(),
        };
        shown(missing, &mut warnings, console);
        if settings.strict.is_some() {
            warnings += the_month(&settings, &catalog, &data, console)?;
        }
        let months = data.present().iter().filter(|&&p| p).count();
        summary.push_str(&format!("; data: {months} month{}", plural(months)));
    }
    if let Some(strict) = settings.strict
        && warnings > 0
    {
        return Err(Failure::Strict {
            warnings,
            by_flag: strict == Strict::Flag,
        }
        .into());
    }
    console.say(&summary);
    Ok(())
}

/// Shows what was loaded with its diagnostics, adds its warnings to `warnings`, and returns
/// the value.
fn shown<T>(loaded: Warned<T>, warnings: &mut usize, console: &mut Console) -> T {
    *warnings += count(&loaded.warnings);
    console.shown(loaded)
}

/// The warnings among `diagnostics` (notes do not count).
fn count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count()
}

/// Strict mode's checks of the month reported by default (the one `kpi report` would
/// render): each KPI without a value, and the notes' warnings. Shows them, and returns how
/// many warnings there were.
fn the_month(
    settings: &Check,
    catalog: &Catalog,
    data: &Dataset,
    console: &mut Console,
) -> Result<usize, CliError> {
    let chosen = load::month(catalog, data, None, MonthUse::Check)?;
    console.show(chosen.note.as_slice());
    let e = evaluate(catalog, data);
    let mut found: Vec<Diagnostic> = catalog
        .metric_indexes()
        .zip(catalog.metrics())
        .filter(|(m, metric)| metric.kind == Kind::Kpi && e.value(*m, chosen.t).is_none())
        .map(|(m, metric)| {
            Diagnostic::warning(
                Problem::KpiWithoutValue {
                    id: metric.id.clone(),
                    period: chosen.period,
                    reason: e.reason(m, chosen.t).to_string(),
                },
                Some(metric.id_location()),
            )
        })
        .collect();
    if let Some(dir) = &settings.notes
        && let Some(notes) = Notes::load(dir, chosen.period, Grain::Month)?
    {
        found.extend(notes.check(catalog));
    }
    console.show(&found);
    Ok(count(&found))
}

/// Where the definitions came from: `the standard library and 2 directories`.
fn from(definitions: &Definitions) -> String {
    let dirs = definitions.dirs.len();
    let directories = format!("{dirs} director{}", if dirs == 1 { "y" } else { "ies" });
    match (definitions.library.is_some(), dirs) {
        (true, 0) => "the standard library".to_string(),
        (true, _) => format!("the standard library and {directories}"),
        (false, _) => directories,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
