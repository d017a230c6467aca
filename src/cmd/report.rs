//! `kpi report`: the monthly (or quarterly, or annual) report as HTML, Markdown or an email
//! message, in English or French, with the period's notes, on stdout or written atomically to a file. Into a
//! file, the report is rendered straight into a temporary file that takes the output's name
//! only when rendering succeeds, so a failing template never touches an existing file; to
//! stdout, it is rendered whole first.

use std::path::Path;

use kpi_core::objective::Objectives;
use kpi_core::{Catalog, Dataset, MonthIndex, evaluate};
use kpi_report::model::YearsToDate;
use kpi_report::{Format, Notes, Options, Report, Style, Templates};

use crate::console::Console;
use crate::error::CliError;
use crate::load;
use crate::month;
use crate::settings;
use crate::write;

/// Runs `kpi report`.
pub fn run(settings: settings::Report, console: &mut Console) -> Result<(), CliError> {
    // Templates are parsed first: a broken override is reported before any data is read.
    let renderer = Renderer::new(settings.format, &settings.templates)?;
    let inputs = Inputs {
        month: &settings.month,
        notes: settings.notes.as_deref(),
        title: settings.title.clone(),
        style: settings.style,
        with_descriptions: settings.with_descriptions,
    };
    let prepared = prepare(&inputs, console)?;
    // The years to date first: their evaluation is dropped before the month's is made.
    let ytd = YearsToDate::of(&prepared.catalog, &prepared.data, prepared.t);
    let evaluation = evaluate(&prepared.catalog, &prepared.data);
    let options = prepared.options(&inputs, &ytd);
    let output = settings.output.as_deref();
    let written = match &renderer {
        // A page's rows are built as they are written, each with the parts its loop shows: a
        // large report is never whole in memory.
        Renderer::Page(page) if page.is_direct() => {
            let report = Report::stream(&evaluation, prepared.t, &options);
            let written = write::output_with(output, console, |out| {
                Ok(page.render_streamed_to(&report, out)?)
            });
            // The process ends after this: freeing a large report, its evaluation and
            // definitions an allocation at a time (0.1 s and more at 100 000 metrics) would
            // only delay the exit, at which the system takes the memory back whole.
            std::mem::forget(report);
            written
        }
        // Through Handlebars, a loop may read anything of a row: rows streamed would each be
        // built whole for each loop, one after another; built first, they are built once, on
        // every core.
        Renderer::Page(page) => {
            let report = Report::build_with(&evaluation, prepared.t, &options);
            let written =
                write::output_with(output, console, |out| Ok(page.render_to(&report, out)?));
            std::mem::forget(report);
            written
        }
        #[cfg(feature = "email")]
        Renderer::Email(email) => {
            let report = Report::build_with(&evaluation, prepared.t, &options);
            write::output_with(output, console, |out| {
                let email = email.render(&report, &envelope(&settings.mail, &report))?;
                out.write_all(&email.message)
                    .map_err(|e| kpi_report::ReportError::Write(e).into())
            })
        }
    };
    std::mem::forget(evaluation);
    std::mem::forget(prepared);
    written
}

/// What a month's report is built from, as `kpi report` and `kpi send` resolve it.
pub struct Inputs<'a> {
    /// The month and its data.
    pub month: &'a settings::Month,
    /// The folder of the monthly notes.
    pub notes: Option<&'a Path>,
    /// The title, else the language's.
    pub title: Option<String>,
    /// The language and the currency.
    pub style: Style,
    /// Whether the Markdown carries the descriptions.
    pub with_descriptions: bool,
}

/// What a report is made of, loaded: the definitions, the data (rolled up for a longer
/// period), the period's position, its notes and the objectives.
struct Prepared {
    catalog: Catalog,
    data: Dataset,
    t: MonthIndex,
    notes: Option<Notes>,
    objectives: Objectives,
}

impl Prepared {
    /// The options a report of `inputs` is built with, with the years to date taken before.
    fn options<'a>(&'a self, inputs: &Inputs<'a>, ytd: &'a YearsToDate) -> Options<'a> {
        Options {
            title: inputs.title.clone(),
            style: inputs.style,
            notes: self.notes.as_ref(),
            objectives: (!self.objectives.is_empty()).then_some(&self.objectives),
            compare: inputs.month.compare.as_deref(),
            chart_year_ago: inputs.month.chart_year_ago,
            with_descriptions: inputs.with_descriptions,
            year_to_date: Some(ytd),
        }
    }
}

/// Loads what the report of the month (or the quarter, or the year) asked for is made of:
/// the data loaded and rolled up for a longer period, the period's notes (their warnings
/// shown) and the objectives.
fn prepare(inputs: &Inputs<'_>, console: &mut Console) -> Result<Prepared, CliError> {
    let (catalog, data, end, t) = match inputs.month.longer {
        Some((grain, end)) => {
            let loaded = month::load_period(inputs.month, grain, end, console)?;
            (loaded.catalog, loaded.rolled, end, loaded.t)
        }
        None => {
            let loaded = month::load(inputs.month, console)?;
            (loaded.catalog, loaded.data, loaded.period, loaded.t)
        }
    };
    let grain = data.grain();
    let notes = match inputs.notes {
        Some(dir) => {
            console.show(Notes::no_folder(dir, end, grain).as_slice());
            Notes::load(dir, end, grain)?
        }
        None => None,
    };
    if let Some(notes) = &notes {
        console.show(&notes.check(&catalog));
    }
    let objectives = load::objectives(&inputs.month.definitions, &catalog)?;
    Ok(Prepared {
        catalog,
        data,
        t,
        notes,
        objectives,
    })
}

/// The report model of the month (or the quarter, or the year) asked for, its rows built.
#[cfg(feature = "send")]
pub fn build(inputs: &Inputs<'_>, console: &mut Console) -> Result<Report, CliError> {
    let prepared = prepare(inputs, console)?;
    let ytd = YearsToDate::of(&prepared.catalog, &prepared.data, prepared.t);
    let evaluation = evaluate(&prepared.catalog, &prepared.data);
    Ok(Report::build_with(
        &evaluation,
        prepared.t,
        &prepared.options(inputs, &ytd),
    ))
}

/// A report's templates, parsed: one format's, or an email's two parts (boxed: the one
/// value is built once per run).
enum Renderer<'t> {
    Page(Box<kpi_report::Renderer<'t>>),
    #[cfg(feature = "email")]
    Email(Box<kpi_report::EmailRenderer<'t>>),
}

impl<'t> Renderer<'t> {
    fn new(format: Format, templates: &'t Templates) -> Result<Renderer<'t>, CliError> {
        match format {
            #[cfg(feature = "email")]
            Format::Email => Ok(Renderer::Email(Box::new(kpi_report::EmailRenderer::new(
                templates,
            )?))),
            #[cfg(not(feature = "email"))]
            Format::Email => Err(crate::error::Usage::EmailNotBuilt.into()),
            _ => Ok(Renderer::Page(Box::new(kpi_report::Renderer::new(
                format, templates,
            )?))),
        }
    }
}

/// The email's envelope as the flags and `kpi.toml` give it.
#[cfg(feature = "email")]
pub fn envelope(mail: &settings::Mail, report: &Report) -> kpi_report::Envelope {
    kpi_report::Envelope {
        subject: mail.subject(&report.title, &report.period_label),
        from: mail.from.clone(),
        to: mail.to.clone(),
        cc: mail.cc.clone(),
        date: mail.now.then(std::time::SystemTime::now),
    }
}
