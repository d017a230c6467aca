//! `kpi check`: load and validate every definition (and data, when given) and say so.

use kpi_core::{Dataset, Kind};

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
    let mut summary = format!(
        "ok: {kpis} KPI{}, {metrics} metric{} and {} input{} from {} director{}",
        plural(kpis),
        plural(metrics),
        catalog.inputs().len(),
        plural(catalog.inputs().len()),
        dirs.len(),
        if dirs.len() == 1 { "y" } else { "ies" },
    );
    let files = project.data_files_if_any(&args.data);
    if !files.is_empty() {
        let data = Dataset::load(&files)?;
        crate::diag::print_all(&data.unused_columns(&catalog));
        let months = data.present().iter().filter(|&&p| p).count();
        summary.push_str(&format!("; data: {months} month{}", plural(months)));
    }
    crate::output::stderr(&summary);
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
