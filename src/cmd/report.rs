//! `kpi report`: the monthly (or quarterly, or annual) report as HTML, Markdown or an email
//! message, in English or French, with the period's notes, on stdout or written atomically to a file. Into a
//! file, the report is rendered straight into a temporary file that takes the output's name
//! only when rendering succeeds, so a failing template never touches an existing file; to
//! stdout, it is rendered whole first.

use std::path::Path;

use kpi_core::evaluate;
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
    let report = build(
        &Inputs {
            month: &settings.month,
            notes: settings.notes.as_deref(),
            title: settings.title.clone(),
            style: settings.style,
            with_descriptions: settings.with_descriptions,
        },
        console,
    )?;
    let written = write::output_with(settings.output.as_deref(), console, |out| {
        renderer.write(&report, &settings.mail, out)
    });
    // The process ends after this: freeing a large report a row at a time (0.1 s at 100 000
    // metrics) would only delay the exit, at which the system takes the memory back whole.
    std::mem::forget(report);
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

/// The report model of the month (or the quarter, or the year) asked for: the data loaded,
/// rolled up for a longer period, and evaluated, with the period's notes (their warnings
/// shown).
pub fn build(inputs: &Inputs<'_>, console: &mut Console) -> Result<Report, CliError> {
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
    let evaluation = evaluate(&catalog, &data);
    let options = Options {
        title: inputs.title.clone(),
        style: inputs.style,
        notes: notes.as_ref(),
        objectives: (!objectives.is_empty()).then_some(&objectives),
        compare: inputs.month.compare.as_deref(),
        chart_year_ago: inputs.month.chart_year_ago,
        with_descriptions: inputs.with_descriptions,
    };
    Ok(Report::build_with(&evaluation, t, &options))
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

    /// Writes the report's text into `out` as it is rendered; for an email, the whole
    /// message (ASCII, CRLF line ends), made first.
    #[cfg_attr(not(feature = "email"), allow(unused_variables))]
    fn write(
        &self,
        report: &Report,
        mail: &settings::Mail,
        out: &mut dyn std::io::Write,
    ) -> Result<(), CliError> {
        match self {
            Renderer::Page(renderer) => Ok(renderer.render_to(report, out)?),
            #[cfg(feature = "email")]
            Renderer::Email(renderer) => {
                let email = renderer.render(report, &envelope(mail, report))?;
                out.write_all(&email.message)
                    .map_err(|e| kpi_report::ReportError::Write(e).into())
            }
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
