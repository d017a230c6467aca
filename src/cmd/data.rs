//! `kpi data pull`: run every source and write the monthly table that evaluation sees, so
//! that the data behind a committed report can be committed beside it.

use crate::cli::PullArgs;
use crate::error::CliError;
use crate::project::Project;
use crate::write;

/// Runs `kpi data pull`.
pub fn pull(project: &Project, args: &PullArgs) -> Result<(), CliError> {
    let sources = project.sources(&args.data);
    let catalog = project.load_catalog(&args.metrics, false)?;
    let data = project.load_data(&sources, &catalog)?;
    write::output(args.output.as_deref(), &data.to_csv())
}
