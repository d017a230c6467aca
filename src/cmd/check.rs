//! `kpi check`: load and validate every definition (and data, when given) and say so.

use kpi_core::Kind;

use crate::cli::CheckArgs;
use crate::error::CliError;
use crate::project::Project;

/// Runs `kpi check`.
pub fn run(project: &Project, args: &CheckArgs) -> Result<(), CliError> {
    let dirs = project.metric_dirs(&args.metrics);
    let catalog = project.load_catalog(&args.metrics, true)?;
    let kpis = catalog
        .metrics()
        .iter()
        .filter(|m| m.kind == Kind::Kpi)
        .count();
    let metrics = catalog.metrics().len() - kpis;
    let directories = format!(
        "{} director{}",
        dirs.len(),
        if dirs.len() == 1 { "y" } else { "ies" }
    );
    let from = match (project.library(&args.metrics).is_some(), dirs.len()) {
        (true, 0) => "the standard library".to_string(),
        (true, _) => format!("the standard library and {directories}"),
        (false, _) => directories,
    };
    let mut summary = format!(
        "ok: {kpis} KPI{}, {metrics} metric{} and {} input{} from {from}",
        plural(kpis),
        plural(metrics),
        catalog.inputs().len(),
        plural(catalog.inputs().len()),
    );
    let sources = project.sources(&args.data);
    if !sources.is_empty() {
        let data = project.load_data(&sources, &catalog)?;
        crate::diag::print_all(
            data.missing_inputs()
                .map(std::slice::from_ref)
                .unwrap_or_default(),
        );
        let months = data.present().iter().filter(|&&p| p).count();
        summary.push_str(&format!("; data: {months} month{}", plural(months)));
    }
    crate::output::stderr(&summary);
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
