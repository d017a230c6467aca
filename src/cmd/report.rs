//! `kpi report`: the monthly report as HTML or Markdown, in English or French, with the
//! month's notes, on stdout or written atomically to a file. The whole report is rendered in memory first, so a failing template never touches an
//! existing file.

use std::path::Path;

use kpi_core::evaluate;
use kpi_report::{Format, Notes, Options, Renderer, Report, ReportError, Templates};

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::CliError;
use crate::project::Project;
use crate::write;

/// The format: `--format`, else the output file's extension; both must agree.
fn format(args: &ReportArgs) -> Result<Format, CliError> {
    let flag = args.format.map(|f| match f {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
    });
    let inferred = args.output.as_deref().and_then(Format::from_extension);
    match (flag, inferred, args.output.as_deref()) {
        (Some(flag), Some(inferred), Some(path)) if flag != inferred => Err(CliError::Usage(format!(
            "`--format {}` does not match the extension of `{}`; drop `--format` or change the file name",
            name(flag),
            path.display()
        ))),
        (Some(flag), _, _) => Ok(flag),
        (None, Some(inferred), _) => Ok(inferred),
        (None, None, Some(path)) => Err(CliError::Usage(format!(
            "cannot tell the format from `{}`: pass `--format html` or `--format md`, or name the file `.html` or `.md`",
            path.display()
        ))),
        (None, None, None) => Err(CliError::Usage(
            "no format: pass `--format html` or `--format md` (or `--output FILE.html` / `FILE.md`)"
                .into(),
        )),
    }
}

fn name(format: Format) -> &'static str {
    match format {
        Format::Html => "html",
        Format::Markdown => "md",
    }
}

fn templates(dir: Option<&Path>) -> Result<Templates, CliError> {
    match dir {
        Some(dir) => Templates::load(dir).map_err(report_error),
        None => Ok(Templates::builtin()),
    }
}

fn report_error(e: ReportError) -> CliError {
    match e {
        ReportError::MissingTemplates { .. } | ReportError::MissingNotes { .. } => {
            CliError::Usage(e.to_string())
        }
        e => CliError::Failed(e.to_string()),
    }
}

/// Runs `kpi report`.
pub fn run(project: &Project, args: &ReportArgs) -> Result<(), CliError> {
    let format = format(args)?;
    let templates = templates(args.templates.as_deref().or(project.templates()))?;
    let title = args
        .title
        .as_deref()
        .or(project.title())
        .map(str::to_string);
    let style = project.style(args.locale)?;
    // Templates are parsed first: a broken override is reported before any data is read.
    let renderer = Renderer::new(format, &templates).map_err(report_error)?;
    let loaded = project.load_month(&args.data)?;
    let notes = match project.notes() {
        Some(dir) => Notes::load(dir, loaded.period).map_err(report_error)?,
        None => None,
    };
    if let Some(notes) = &notes {
        crate::diag::print_all(&notes.check(&loaded.catalog));
    }
    let evaluation = evaluate(&loaded.catalog, &loaded.data);
    let options = Options {
        title,
        style,
        notes: notes.as_ref(),
    };
    let report = Report::build_with(&evaluation, loaded.t, &options);
    let text = renderer.render(&report).map_err(report_error)?;
    write::output(args.output.as_deref(), &text)
}
